"""Chains of ties between actors and neighbourhoods for graph views."""

from typing import Annotated, Any

import strawberry
from sqlalchemy import func, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.errors import ErrorCode, UserError
from schema.graph import ActorKey, ActorKind, Tie, TieKind
from schema.loaders.sources import SOURCES_BY_SUBJECT
from schema.types.agreement import Agreement
from schema.types.arms_transfer import ArmsTransfer
from schema.types.company import Company
from schema.types.corridor import Corridor
from schema.types.event import Event
from schema.types.exercise import MilitaryExercise
from schema.types.initiative import Initiative
from schema.types.membership import Membership
from schema.types.node import row_id
from schema.types.non_state_actor import NonStateActor
from schema.types.organisation import Organisation
from schema.types.person import OfficeHolding, Person
from schema.types.source import Source
from schema.types.state import State

GraphActor = Annotated[
    State | Organisation | Company | Person | NonStateActor,
    strawberry.union(
        "GraphActor",
        description="A state, organisation, company, person or non-state actor in the graph.",
    ),
]
ActorType = State | Organisation | Company | Person | NonStateActor
ACTOR_TYPES: dict[ActorKind, type[ActorType]] = {
    ActorKind.STATE: State,
    ActorKind.ORGANISATION: Organisation,
    ActorKind.COMPANY: Company,
    ActorKind.PERSON: Person,
    ActorKind.NON_STATE_ACTOR: NonStateActor,
}
RECORD_TYPES: dict[Any, type[Any]] = {  # RowNode and Cited types, each with `cited_as`
    models.Membership: Membership,
    models.Agreement: Agreement,
    models.ArmsTransfer: ArmsTransfer,
    models.Organisation: Organisation,
    models.Company: Company,
    models.MilitaryExercise: MilitaryExercise,
    models.Event: Event,
    models.Initiative: Initiative,
    models.Corridor: Corridor,
    models.OfficeHolding: OfficeHolding,
    models.Person: Person,
}
"""The GraphQL type of each kind of tying record; a new tie kind's record adds itself here."""


def global_id(kind: ActorKind, actor_id: int) -> str:
    return relay.to_base64(ACTOR_TYPES[kind].__name__, actor_id)


async def load_actors(info: Info, keys: list[ActorKey]) -> dict[ActorKey, Any]:
    """The rows of `keys`, through the by-id loaders: one statement per actor kind."""
    found: dict[ActorKey, Any] = {}
    for kind in ActorKind:
        ids = [i for k, i in keys if k is kind]
        if ids:
            rows = await info.context.loaders.by_id(ACTOR_TYPES[kind].model).load_many(ids)
            found.update({(kind, i): row for i, row in zip(ids, rows, strict=True)})
    return found


def actor_of(key: ActorKey, row: Any) -> ActorType:
    return ACTOR_TYPES[key[0]].from_row(row)


def label_of(key: ActorKey, row: Any) -> str:
    return str(row.acronym if key[0] is ActorKind.ORGANISATION else row.name)


async def resolve_actor(info: Info, value: str, field: str) -> ActorKey:
    """An actor named by global ID, state code, organisation acronym, company key, person key
    or non-state-actor key, looked up in that order."""
    wanted = value.strip()
    try:
        type_name, node_id = relay.from_base64(wanted)
    except ValueError:
        type_name, node_id = "", ""
    by_type = {t.__name__: k for k, t in ACTOR_TYPES.items()}
    async with info.context.sessions() as session:
        number = row_id(node_id)
        if type_name in by_type and number is not None:
            kind = by_type[type_name]
            model = ACTOR_TYPES[kind].model
            if await session.get(model, number) is not None:
                return (kind, number)
        lookups = [
            (
                ActorKind.STATE,
                select(col(models.State.id)).where(col(models.State.code) == wanted.upper()),
            ),
            (
                ActorKind.ORGANISATION,
                select(col(models.Organisation.id)).where(
                    func.lower(models.Organisation.acronym) == wanted.lower()
                ),
            ),
            (
                ActorKind.COMPANY,
                select(col(models.Company.id)).where(col(models.Company.key) == wanted.lower()),
            ),
            (
                ActorKind.PERSON,
                select(col(models.Person.id)).where(col(models.Person.key) == wanted.lower()),
            ),
            (
                ActorKind.NON_STATE_ACTOR,
                select(col(models.NonStateActor.id)).where(
                    col(models.NonStateActor.key) == wanted.lower()
                ),
            ),
        ]
        for kind, statement in lookups:
            found = (await session.execute(statement)).scalar()
            if found is not None:
                return (kind, found)
    raise UserError(
        f"`{field}`: no state, organisation, company, person or non-state actor {value!r}",
        code=ErrorCode.NOT_FOUND,
        field=field,
    )


@strawberry.type(description="A record that ties two actors: a membership, an agreement …")
class TieRecord:
    kind: TieKind = strawberry.field(description="What sort of tie it is.")
    tie: strawberry.Private[Tie]

    @strawberry.field(description="The record itself (Membership, Agreement, ArmsTransfer …).")
    async def record(self, info: Info) -> relay.Node:
        type_ = RECORD_TYPES[self.tie.record_model]
        row = await info.context.loaders.by_id(type_.model).load(self.tie.record_id)
        assert row is not None
        record: relay.Node = type_.from_row(row)
        return record

    @strawberry.field(description="The record's sources: the evidence for the tie.")
    async def sources(self, info: Info) -> list[Source]:
        cited_as: str = RECORD_TYPES[self.tie.record_model].cited_as
        return await Source.related(info, SOURCES_BY_SUBJECT[cited_as], self.tie.record_id)


@strawberry.type(description="One step of a chain: two actors and every record that ties them.")
class Hop:
    from_: GraphActor = strawberry.field(name="from", description="Where the step starts.")
    to: GraphActor = strawberry.field(description="Where it leads.")
    ties: list[TieRecord] = strawberry.field(
        description="The records tying the two (at most 10), by kind then record."
    )


@strawberry.type(description="A chain of ties from one actor to another.")
class ActorPath:
    hops: list[Hop] = strawberry.field(description="The steps, in order.")


@strawberry.type(description="The shortest chains of ties between two actors.")
class ActorPaths:
    from_: GraphActor = strawberry.field(name="from", description="Where the chains start.")
    to: GraphActor = strawberry.field(description="Where they end.")
    hops: int | None = strawberry.field(
        description="How many steps the shortest chains take; null when none is within reach."
    )
    paths: list[ActorPath] = strawberry.field(
        description="Every shortest chain (up to `first`), in a stable order."
    )
    truncated: bool = strawberry.field(
        description="Whether a limit (chains, actors visited) cut the answer short."
    )


@strawberry.type(description="An actor in a network, ready for a graph view.")
class NetworkNode:
    id: strawberry.ID = strawberry.field(description="Its global ID (`node(id:)` resolves it).")
    kind: ActorKind = strawberry.field(description="What sort of actor.")
    label: str = strawberry.field(description="A short label: name, or acronym.")
    depth: int = strawberry.field(description="Steps from the centre (0 for the centre).")
    row: strawberry.Private[Any]

    @strawberry.field(description="The actor itself.")
    def actor(self) -> GraphActor:
        return actor_of((self.kind, self.row.id), self.row)


@strawberry.type(description="A tie between two actors of a network.")
class NetworkEdge:
    source: strawberry.ID = strawberry.field(description="Global ID of one end.")
    target: strawberry.ID = strawberry.field(description="Global ID of the other.")
    kind: TieKind = strawberry.field(description="What ties them.")
    record: strawberry.ID = strawberry.field(
        description="Global ID of the tying record (`node(id:)` resolves it)."
    )


@strawberry.type(description="The actors around a centre and the ties among them.")
class Network:
    nodes: list[NetworkNode] = strawberry.field(description="By depth, then kind and label.")
    edges: list[NetworkEdge] = strawberry.field(description="By kind, then record.")
    truncated: bool = strawberry.field(description="Whether `maxNodes` cut the network short.")


def record_id(tie: Tie) -> str:
    return relay.to_base64(RECORD_TYPES[tie.record_model].__name__, tie.record_id)
