"""A state's or organisation's history in one list: every dated record of every kind, in order.

Each kind of record comes through its relation loader, so a timeline costs one statement per
kind (plus the look-ups its titles need) however many states or organisations ask at once.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import strawberry

from api import models
from api.models.dates import PartialDate
from schema.context import Info
from schema.loaders.agreements import (
    AGREEMENTS_BY_PARTY_ORGANISATION_ID,
    AGREEMENTS_BY_PARTY_STATE_ID,
)
from schema.loaders.economic_figures import FIGURES_BY_ORGANISATION_ID, FIGURES_BY_STATE_ID
from schema.loaders.events import EVENTS_BY_ORGANISATION_ID, EVENTS_BY_STATE_ID
from schema.loaders.exercises import EXERCISES_BY_ORGANISER_ORGANISATION_ID, EXERCISES_BY_STATE_ID
from schema.loaders.initiatives import INITIATIVES_BY_ORGANISATION_ID, INITIATIVES_BY_STATE_ID
from schema.loaders.memberships import (
    MEMBERSHIPS_BY_MEMBER_ORGANISATION_ID,
    MEMBERSHIPS_BY_MEMBER_STATE_ID,
    MEMBERSHIPS_BY_ORGANISATION_ID,
)
from schema.loaders.people import OFFICES_BY_ORGANISATION_ID, OFFICES_BY_STATE_ID
from schema.loaders.relations import Relation, RowsKey
from schema.types.actors import load_actor
from schema.types.agreement import Agreement
from schema.types.economic_figure import EconomicFigure
from schema.types.enums import DatePrecision, FigureQualifier, FigureUnit, MembershipRole
from schema.types.event import Event
from schema.types.exercise import MilitaryExercise
from schema.types.initiative import Initiative
from schema.types.membership import Membership
from schema.types.organisation import Organisation
from schema.types.person import OfficeHolding, load_organisation


@strawberry.enum(description="What a timeline item marks.")
class TimelineKind(StrEnum):
    FOUNDED = "FOUNDED"
    MEMBERSHIP_START = "MEMBERSHIP_START"
    MEMBERSHIP_END = "MEMBERSHIP_END"
    AGREEMENT = "AGREEMENT"
    EVENT = "EVENT"
    MILITARY_EXERCISE = "MILITARY_EXERCISE"
    INITIATIVE = "INITIATIVE"
    ECONOMIC_FIGURE = "ECONOMIC_FIGURE"
    OFFICE_START = "OFFICE_START"
    OFFICE_END = "OFFICE_END"
    OFFICE_HELD = "OFFICE_HELD"


TimelineRecord = Annotated[
    Organisation
    | Membership
    | Agreement
    | Event
    | MilitaryExercise
    | Initiative
    | EconomicFigure
    | OfficeHolding,
    strawberry.union("TimelineRecord", description="A dated record of any kind."),
]


@strawberry.type(description="One dated entry of a history, pointing at the record it comes from.")
class TimelineItem:
    date: str = strawberry.field(description="When, as precise as reported (YYYY[-MM[-DD]]).")
    date_precision: DatePrecision = strawberry.field(description="Year, month or day.")
    year: int = strawberry.field(description="The year of `date`.")
    kind: TimelineKind = strawberry.field(description="What the item marks.")
    title: str = strawberry.field(description="A one-line label for the item.")
    item: TimelineRecord = strawberry.field(description="The record it comes from.")


@dataclass(frozen=True)
class Subject:
    """Whose timeline: the relations that hold its records, per kind."""

    memberships: tuple[Relation, ...]
    agreements: Relation
    events: Relation
    exercises: Relation
    initiatives: Relation
    figures: Relation
    offices: Relation


STATE = Subject(
    memberships=(MEMBERSHIPS_BY_MEMBER_STATE_ID,),
    agreements=AGREEMENTS_BY_PARTY_STATE_ID,
    events=EVENTS_BY_STATE_ID,
    exercises=EXERCISES_BY_STATE_ID,
    initiatives=INITIATIVES_BY_STATE_ID,
    figures=FIGURES_BY_STATE_ID,
    offices=OFFICES_BY_STATE_ID,
)
ORGANISATION = Subject(
    memberships=(MEMBERSHIPS_BY_MEMBER_ORGANISATION_ID, MEMBERSHIPS_BY_ORGANISATION_ID),
    agreements=AGREEMENTS_BY_PARTY_ORGANISATION_ID,
    events=EVENTS_BY_ORGANISATION_ID,
    exercises=EXERCISES_BY_ORGANISER_ORGANISATION_ID,
    initiatives=INITIATIVES_BY_ORGANISATION_ID,
    figures=FIGURES_BY_ORGANISATION_ID,
    offices=OFFICES_BY_ORGANISATION_ID,
)

_QUALIFIER_WORDS = {
    FigureQualifier.EXACT: "",
    FigureQualifier.MORE_THAN: "more than ",
    FigureQualifier.ABOUT: "about ",
    FigureQualifier.AT_LEAST: "at least ",
    FigureQualifier.UP_TO: "up to ",
    FigureQualifier.LESS_THAN: "less than ",
}
_UNIT_WORDS = {
    FigureUnit.USD: "USD {}",
    FigureUnit.COUNT: "{}",
    FigureUnit.PERCENT: "{}%",
    FigureUnit.RANK: "rank {}",
}


def figure_label(figure: EconomicFigure) -> str:
    value = f"{figure.value:,.0f}" if figure.value == int(figure.value) else f"{figure.value:,}"
    amount = _UNIT_WORDS[figure.unit].format(value)
    return f"{figure.metric}: {_QUALIFIER_WORDS[figure.qualifier]}{amount}"


_ROLE_WORDS = {
    MembershipRole.MEMBER: "member",
    MembershipRole.FOUNDING_MEMBER: "founding member",
    MembershipRole.ASSOCIATE: "associate member",
    MembershipRole.OBSERVER: "observer",
    MembershipRole.SUSPENDED: "suspended member",
    MembershipRole.CANDIDATE: "candidate",
    MembershipRole.GUEST: "guest",
    MembershipRole.PARTNER: "partner",
}

Pending = tuple[str, TimelineKind, Callable[[], Awaitable[str]], Any]


async def _named(name: str) -> str:
    return name


async def _actor_name(info: Info, state_id: int | None, organisation_id: int | None) -> str:
    actor = await load_actor(info, state_id=state_id, organisation_id=organisation_id)
    return actor.name


async def _membership_title(info: Info, row: models.Membership, ended: bool) -> str:
    organisation, member = await asyncio.gather(
        load_organisation(info, row.organisation_id),
        _actor_name(info, row.member_state_id, row.member_organisation_id),
    )
    assert organisation is not None
    role = _ROLE_WORDS[MembershipRole(row.role)]
    verb = "ceases to be" if ended else "becomes"
    return f"{member} {verb} {role} of {organisation.acronym}"


async def _office_title(info: Info, row: models.OfficeHolding, suffix: str) -> str:
    person = await info.context.loaders.by_id(models.Person).load(row.person_id)
    assert person is not None
    return f"{person.name}: {row.office}{suffix}"


async def build_timeline(
    info: Info,
    subject: Subject,
    subject_id: int,
    *,
    founded: int | None,
    founded_item: Any,
    year_from: int | None,
    year_to: int | None,
) -> list[TimelineItem]:
    """Every dated record tied to the subject, in date order, between the years given."""
    rows = info.context.loaders.rows
    relations = [
        *subject.memberships,
        subject.agreements,
        subject.events,
        subject.exercises,
        subject.initiatives,
        subject.figures,
        subject.offices,
    ]
    loaded = await rows.load_many([RowsKey(r, subject_id) for r in relations])
    memberships = {m.id: m for batch in loaded[: len(subject.memberships)] for m in batch}
    agreements, events, exercises, initiatives, figures, offices = loaded[
        len(subject.memberships) :
    ]

    pending: list[Pending] = []
    if founded is not None:
        pending.append(
            (str(founded), TimelineKind.FOUNDED, lambda: _named("Founded"), founded_item)
        )
    for m in memberships.values():
        record = Membership.from_row(m)
        if m.since:
            pending.append(
                (
                    m.since,
                    TimelineKind.MEMBERSHIP_START,
                    _bind(_membership_title, info, m, False),
                    record,
                )
            )
        if m.until:
            pending.append(
                (
                    m.until,
                    TimelineKind.MEMBERSHIP_END,
                    _bind(_membership_title, info, m, True),
                    record,
                )
            )
    for a in agreements:
        if a.date:
            pending.append(
                (a.date, TimelineKind.AGREEMENT, _bind(_named, a.title), Agreement.from_row(a))
            )
    for e in events:
        if e.date:
            pending.append((e.date, TimelineKind.EVENT, _bind(_named, e.title), Event.from_row(e)))
    for x in exercises:
        if x.date:
            pending.append(
                (
                    x.date,
                    TimelineKind.MILITARY_EXERCISE,
                    _bind(_named, f"{x.name} {x.year}" if x.series else x.name),
                    MilitaryExercise.from_row(x),
                )
            )
    for i in initiatives:
        if i.date:
            pending.append(
                (i.date, TimelineKind.INITIATIVE, _bind(_named, i.title), Initiative.from_row(i))
            )
    for f in figures:
        if f.year is not None:
            figure = EconomicFigure.from_row(f)
            pending.append(
                (
                    str(f.year),
                    TimelineKind.ECONOMIC_FIGURE,
                    _bind(_named, figure_label(figure)),
                    figure,
                )
            )
    for o in offices:
        office = OfficeHolding.from_row(o)
        if o.since:
            pending.append(
                (o.since, TimelineKind.OFFICE_START, _bind(_office_title, info, o, ""), office)
            )
        if o.until:
            pending.append(
                (o.until, TimelineKind.OFFICE_END, _bind(_office_title, info, o, " (ends)"), office)
            )
        if not o.since and not o.until and o.attested_year is not None:
            pending.append(
                (
                    str(o.attested_year),
                    TimelineKind.OFFICE_HELD,
                    _bind(_office_title, info, o, ""),
                    office,
                )
            )

    wanted = [
        (date, kind, title, item)
        for date, kind, title, item in pending
        if (year_from is None or PartialDate.parse(date).year >= year_from)
        and (year_to is None or PartialDate.parse(date).year <= year_to)
    ]
    titles = await asyncio.gather(*(title() for _, _, title, _ in wanted))
    order = list(TimelineKind)
    items = [
        TimelineItem(
            date=date,
            date_precision=PartialDate.parse(date).precision,
            year=PartialDate.parse(date).year,
            kind=kind,
            title=title,
            item=item,
        )
        for (date, kind, _, item), title in zip(wanted, titles, strict=True)
    ]
    items.sort(key=lambda i: (i.date, order.index(i.kind), i.title))
    return items


def _bind(function: Callable[..., Awaitable[str]], *args: Any) -> Callable[[], Awaitable[str]]:
    return lambda: function(*args)
