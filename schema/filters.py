"""Filter inputs of the root connections and the SQL conditions each one stands for."""

import re
from typing import Any, Protocol

import strawberry
from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlmodel import col

from api import models
from schema.errors import bad_input
from schema.loaders.corridors import CORRIDORS_BY_ORGANISATION_ID, CORRIDORS_BY_STATE_ID
from schema.loaders.economic_figures import FIGURES_BY_STATE_ID
from schema.loaders.events import EVENTS_BY_ORGANISATION_ID, EVENTS_BY_PERSON_ID, EVENTS_BY_STATE_ID
from schema.loaders.exercises import EXERCISES_BY_STATE_ID
from schema.loaders.initiatives import (
    INITIATIVES_BY_ORGANISATION_ID,
    INITIATIVES_BY_PERSON_ID,
    INITIATIVES_BY_STATE_ID,
)
from schema.loaders.memberships import MembershipScope, membership_conditions
from schema.loaders.relations import Relation
from schema.types.enums import (
    CorridorKind,
    CorridorStatus,
    EventKind,
    ExerciseFormat,
    FigureUnit,
    InitiativeKind,
    InitiativeStatus,
    MembershipRole,
    OrganisationKind,
)

_STATE_CODE = re.compile(r"^[A-Za-z]{3}$")

Conditions = list[ColumnElement[bool]]


def state_code(value: str, field: str) -> str:
    """A state code as stored (upper case); anything but three letters is the caller's error."""
    value = value.strip()
    if not _STATE_CODE.match(value):
        raise bad_input(f"`{field}` must be a three-letter state code, got {value!r}", field)
    return value.upper()


def state_id_of(code: str, field: str) -> ColumnElement[int]:
    return (
        select(col(models.State.id))
        .where(col(models.State.code) == state_code(code, field))
        .scalar_subquery()
    )


@strawberry.input(description="Narrows states; all given conditions must hold.")
class StateFilter:
    region: str | None = strawberry.field(
        default=None, description="UN M49 sub-region, e.g. `Central Asia` (any case)."
    )
    codes: list[str] | None = strawberry.field(
        default=None, description="Any of these state codes (any case)."
    )

    def conditions(self) -> Conditions:
        found: Conditions = []
        if self.region is not None:
            found.append(func.lower(models.State.region) == self.region.strip().lower())
        if self.codes is not None:
            codes = [state_code(c, "filter.codes") for c in self.codes]
            found.append(col(models.State.code).in_(codes))
        return found


@strawberry.input(description="Narrows organisations; all given conditions must hold.")
class OrganisationFilter:
    kind: OrganisationKind | None = strawberry.field(default=None, description="Only this kind.")
    acronyms: list[str] | None = strawberry.field(
        default=None, description="Any of these acronyms or short names (any case)."
    )

    def conditions(self) -> Conditions:
        found: Conditions = []
        if self.kind is not None:
            found.append(col(models.Organisation.kind) == self.kind)
        if self.acronyms is not None:
            wanted = [a.strip().lower() for a in self.acronyms]
            found.append(func.lower(models.Organisation.acronym).in_(wanted))
        return found


@strawberry.input(description="Narrows memberships; all given conditions must hold.")
class MembershipFilter:
    organisation: str | None = strawberry.field(
        default=None, description="Acronym of the organisation (any case)."
    )
    member: str | None = strawberry.field(
        default=None, description="State code or organisation acronym of the member."
    )
    role: MembershipRole | None = strawberry.field(default=None, description="Only this role.")
    as_of: int | None = strawberry.field(default=None, description="Only roles held in this year.")

    def conditions(self) -> Conditions:
        found: Conditions = list(membership_conditions(MembershipScope(self.as_of, self.role)))
        if self.organisation is not None:
            found.append(
                col(models.Membership.organisation_id).in_(_organisation_ids(self.organisation))
            )
        if self.member is not None:
            by_org = col(models.Membership.member_organisation_id).in_(
                _organisation_ids(self.member)
            )
            if _STATE_CODE.match(self.member.strip()):
                by_state = col(models.Membership.member_state_id) == state_id_of(
                    self.member, "filter.member"
                )
                found.append(or_(by_state, by_org))
            else:
                found.append(by_org)
        return found


def _organisation_ids(acronym: str) -> ColumnElement[int]:
    return (
        select(col(models.Organisation.id))
        .where(func.lower(models.Organisation.acronym) == acronym.strip().lower())
        .scalar_subquery()
    )


@strawberry.input(description="Narrows agreements; all given conditions must hold.")
class AgreementFilter:
    party: str | None = strawberry.field(
        default=None,
        description="A party: state code, organisation acronym, or company name or key (any case).",
    )

    def conditions(self) -> Conditions:
        if self.party is None:
            return []
        wanted = self.party.strip()
        party = models.AgreementParty
        return [
            exists(
                select(col(party.id))
                .outerjoin(models.State, col(models.State.id) == col(party.state_id))
                .outerjoin(
                    models.Organisation,
                    col(models.Organisation.id) == col(party.organisation_id),
                )
                .outerjoin(models.Company, col(models.Company.id) == col(party.company_id))
                .where(
                    col(party.agreement_id) == col(models.Agreement.id),
                    or_(
                        col(models.State.code) == wanted.upper(),
                        func.lower(models.Organisation.acronym) == wanted.lower(),
                        func.lower(models.Company.name) == wanted.lower(),
                        col(models.Company.key) == wanted.lower(),
                    ),
                )
            )
        ]


@strawberry.input(description="Narrows arms transfers; all given conditions must hold.")
class ArmsTransferFilter:
    supplier: str | None = strawberry.field(
        default=None, description="Code of the supplying state (any case)."
    )
    recipient: str | None = strawberry.field(
        default=None, description="Code of the receiving state (any case)."
    )

    def conditions(self) -> Conditions:
        found: Conditions = []
        if self.supplier is not None:
            found.append(
                col(models.ArmsTransfer.supplier_id)
                == state_id_of(self.supplier, "filter.supplier")
            )
        if self.recipient is not None:
            found.append(
                col(models.ArmsTransfer.recipient_id)
                == state_id_of(self.recipient, "filter.recipient")
            )
        return found


class Filter(Protocol):
    def conditions(self) -> Conditions: ...


def conditions_of(filter_: Filter | None) -> tuple[ColumnElement[bool], ...]:
    """The WHERE terms of an optional filter input."""
    return tuple(filter_.conditions()) if filter_ is not None else ()


# -- the rest of the paper: events, exercises, corridors, people, initiatives, figures ------


def _organisation_id(acronym: str) -> ColumnElement[int]:
    return _organisation_ids(acronym)


def _person_id(key: str) -> ColumnElement[int]:
    return (
        select(col(models.Person.id))
        .where(col(models.Person.key) == key.strip().lower())
        .scalar_subquery()
    )


def _linked(record_id: Any, relation: Relation, parent: ColumnElement[int]) -> ColumnElement[bool]:
    """The record is tied to `parent` through the relation's link (participant, host …)."""
    link = relation.link
    return col(record_id).in_(select(link.c.record_id).where(link.c.parent_id == parent))


@strawberry.input(description="Narrows events; all given conditions must hold.")
class EventFilter:
    state: str | None = strawberry.field(
        default=None, description="A state that took part in or hosted it (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None,
        description="An organisation that took part in, organised or came out of it (acronym).",
    )
    person: str | None = strawberry.field(default=None, description="A participant's key.")
    kind: EventKind | None = strawberry.field(default=None, description="Only this kind.")
    year: int | None = strawberry.field(default=None, description="Only events of this year.")

    def conditions(self) -> Conditions:
        event = models.Event
        found: Conditions = []
        if self.state is not None:
            found.append(
                _linked(event.id, EVENTS_BY_STATE_ID, state_id_of(self.state, "filter.state"))
            )
        if self.organisation is not None:
            found.append(
                _linked(event.id, EVENTS_BY_ORGANISATION_ID, _organisation_id(self.organisation))
            )
        if self.person is not None:
            found.append(_linked(event.id, EVENTS_BY_PERSON_ID, _person_id(self.person)))
        if self.kind is not None:
            found.append(col(event.kind) == self.kind)
        if self.year is not None:
            found.append(col(event.year) == self.year)
        return found


@strawberry.input(description="Narrows military exercises; all given conditions must hold.")
class MilitaryExerciseFilter:
    state: str | None = strawberry.field(
        default=None, description="A state that joined, hosted or organised it (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The organising organisation (acronym, any case)."
    )
    format: ExerciseFormat | None = strawberry.field(default=None, description="Only this format.")
    year: int | None = strawberry.field(default=None, description="Only exercises of this year.")

    def conditions(self) -> Conditions:
        exercise = models.MilitaryExercise
        found: Conditions = []
        if self.state is not None:
            found.append(
                _linked(exercise.id, EXERCISES_BY_STATE_ID, state_id_of(self.state, "filter.state"))
            )
        if self.organisation is not None:
            found.append(
                col(exercise.organiser_organisation_id).in_(_organisation_id(self.organisation))
            )
        if self.format is not None:
            found.append(col(exercise.format) == self.format)
        if self.year is not None:
            found.append(col(exercise.year) == self.year)
        return found


@strawberry.input(description="Narrows corridors; all given conditions must hold.")
class CorridorFilter:
    state: str | None = strawberry.field(
        default=None,
        description="A state it runs through or that initiated, backs or has a stake in it.",
    )
    organisation: str | None = strawberry.field(
        default=None, description="An organisation that coordinates, backs or initiated it."
    )
    kind: CorridorKind | None = strawberry.field(default=None, description="Only this kind.")
    status: CorridorStatus | None = strawberry.field(default=None, description="Only this status.")

    def conditions(self) -> Conditions:
        corridor = models.Corridor
        found: Conditions = []
        if self.state is not None:
            found.append(
                _linked(corridor.id, CORRIDORS_BY_STATE_ID, state_id_of(self.state, "filter.state"))
            )
        if self.organisation is not None:
            found.append(
                _linked(
                    corridor.id,
                    CORRIDORS_BY_ORGANISATION_ID,
                    _organisation_id(self.organisation),
                )
            )
        if self.kind is not None:
            found.append(col(corridor.kind) == self.kind)
        if self.status is not None:
            found.append(col(corridor.status) == self.status)
        return found


@strawberry.input(description="Narrows people; all given conditions must hold.")
class PersonFilter:
    state: str | None = strawberry.field(
        default=None, description="Nationality or the state of an office held (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The organisation of an office held (acronym, any case)."
    )

    def conditions(self) -> Conditions:
        person, office = models.Person, models.OfficeHolding
        found: Conditions = []
        if self.state is not None:
            state_id = state_id_of(self.state, "filter.state")
            found.append(
                or_(
                    col(person.nationality_id) == state_id,
                    col(person.id).in_(
                        select(col(office.person_id)).where(col(office.state_id) == state_id)
                    ),
                )
            )
        if self.organisation is not None:
            found.append(
                col(person.id).in_(
                    select(col(office.person_id)).where(
                        col(office.organisation_id).in_(_organisation_id(self.organisation))
                    )
                )
            )
        return found


@strawberry.input(description="Narrows initiatives; all given conditions must hold.")
class InitiativeFilter:
    state: str | None = strawberry.field(
        default=None, description="A state among its actors (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="An organisation among its actors (acronym, any case)."
    )
    person: str | None = strawberry.field(
        default=None, description="A person among its actors (key)."
    )
    kind: InitiativeKind | None = strawberry.field(default=None, description="Only this kind.")
    status: InitiativeStatus | None = strawberry.field(
        default=None, description="Only this status."
    )
    year: int | None = strawberry.field(default=None, description="Only initiatives of this year.")

    def conditions(self) -> Conditions:
        initiative = models.Initiative
        found: Conditions = []
        if self.state is not None:
            found.append(
                _linked(
                    initiative.id,
                    INITIATIVES_BY_STATE_ID,
                    state_id_of(self.state, "filter.state"),
                )
            )
        if self.organisation is not None:
            found.append(
                _linked(
                    initiative.id,
                    INITIATIVES_BY_ORGANISATION_ID,
                    _organisation_id(self.organisation),
                )
            )
        if self.person is not None:
            found.append(_linked(initiative.id, INITIATIVES_BY_PERSON_ID, _person_id(self.person)))
        if self.kind is not None:
            found.append(col(initiative.kind) == self.kind)
        if self.status is not None:
            found.append(col(initiative.status) == self.status)
        if self.year is not None:
            found.append(col(initiative.year) == self.year)
        return found


@strawberry.input(description="Narrows economic figures; all given conditions must hold.")
class EconomicFigureFilter:
    state: str | None = strawberry.field(
        default=None, description="The subject or partner state (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The subject organisation (acronym, any case)."
    )
    unit: FigureUnit | None = strawberry.field(default=None, description="Only this unit.")
    year: int | None = strawberry.field(default=None, description="Only figures of this year.")

    def conditions(self) -> Conditions:
        figure = models.EconomicFigure
        found: Conditions = []
        if self.state is not None:
            found.append(
                _linked(figure.id, FIGURES_BY_STATE_ID, state_id_of(self.state, "filter.state"))
            )
        if self.organisation is not None:
            found.append(
                col(figure.subject_organisation_id).in_(_organisation_id(self.organisation))
            )
        if self.unit is not None:
            found.append(col(figure.unit) == self.unit)
        if self.year is not None:
            found.append(col(figure.year) == self.year)
        return found
