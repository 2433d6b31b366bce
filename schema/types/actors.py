"""Unions of the kinds of actor that can hold a seat or be party to an agreement."""

from typing import Annotated

import strawberry

from api import models
from schema.context import Info
from schema.types.company import Company
from schema.types.non_state_actor import NonStateActor
from schema.types.organisation import Organisation
from schema.types.state import State

Member = Annotated[
    State | Organisation,
    strawberry.union("Member", description="Who holds a seat: a state or an organisation."),
]
Party = Annotated[
    State | Organisation | Company,
    strawberry.union(
        "Party", description="Who is party to an agreement: a state, organisation or company."
    ),
]

TransferActor = Annotated[
    State | Organisation | NonStateActor,
    strawberry.union(
        "TransferActor",
        description="Who supplies or receives arms: a state, an organisation or a non-state actor.",
    ),
]


async def load_transfer_actor(
    info: Info,
    *,
    state_id: int | None,
    organisation_id: int | None,
    non_state_actor_id: int | None,
) -> State | Organisation | NonStateActor | None:
    """The one actor a side of an arms transfer points at; None when the source names none."""
    loaders = info.context.loaders
    if state_id is not None:
        state = await loaders.by_id(models.State).load(state_id)
        return State.from_row(state) if state else None
    if organisation_id is not None:
        organisation = await loaders.by_id(models.Organisation).load(organisation_id)
        return Organisation.from_row(organisation) if organisation else None
    if non_state_actor_id is not None:
        actor = await loaders.by_id(models.NonStateActor).load(non_state_actor_id)
        return NonStateActor.from_row(actor) if actor else None
    return None


async def load_actor(
    info: Info,
    *,
    state_id: int | None = None,
    organisation_id: int | None = None,
    company_id: int | None = None,
) -> State | Organisation | Company:
    """The one actor an exclusive-arc row points at, through the by-id loaders."""
    loaders = info.context.loaders
    if state_id is not None:
        state = await loaders.by_id(models.State).load(state_id)
        assert state is not None
        return State.from_row(state)
    if organisation_id is not None:
        organisation = await loaders.by_id(models.Organisation).load(organisation_id)
        assert organisation is not None
        return Organisation.from_row(organisation)
    assert company_id is not None  # the table's check constraint allows no other case
    company = await loaders.by_id(models.Company).load(company_id)
    assert company is not None
    return Company.from_row(company)
