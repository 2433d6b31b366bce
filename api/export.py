"""CSV and NDJSON exports for tools that do not speak GraphQL: `GET /export/{entity}.{format}`.

Each export is declared once (`EXPORTS`): its table, the GraphQL filter input and sort fields
it shares with its connection, and its columns, each an SQL expression with a stable name.
Query parameters mirror the filter input (`?recipient=KGZ&orderYear.gte=2020&categories=
AIRCRAFT,SHIPS`, `memberships.organisation=OTS` for a nested filter) plus `orderBy=
orderYear:desc,key` and `limit`; they are read by looking at the filter input's own fields,
so a field added to a filter is a parameter here too. Everything is checked before the first
byte is sent (400 with what was wrong), then rows stream from one ordered query.
"""

import csv
import dataclasses
import io
import json
import math
import types
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from graphql import GraphQLError
from sqlalchemy import ColumnElement, String, case, cast, func, literal, select
from sqlalchemy.orm import aliased
from sqlmodel import col
from strawberry import relay
from strawberry.utils.str_converters import to_camel_case

from api import models
from api.db import SessionFactory
from api.graphql_http import error_response
from schema.errors import ErrorCode
from schema.filters import (
    AGREEMENT_SORT,
    ARMS_TRANSFER_SORT,
    COMPANY_SORT,
    CORRIDOR_SORT,
    ECONOMIC_FIGURE_SORT,
    EVENT_SORT,
    INITIATIVE_SORT,
    MEMBERSHIP_SORT,
    MILITARY_EXERCISE_SORT,
    NON_STATE_ACTOR_SORT,
    ORGANISATION_SORT,
    PERSON_SORT,
    STATE_SORT,
    AgreementFilter,
    ArmsTransferFilter,
    CompanyFilter,
    CorridorFilter,
    EconomicFigureFilter,
    EventFilter,
    FilterInput,
    InitiativeFilter,
    MembershipFilter,
    MilitaryExerciseFilter,
    NonStateActorFilter,
    OrganisationFilter,
    PersonFilter,
    StateFilter,
)
from schema.filters.arms_transfer import SIDES, actor_label
from schema.filters.base import graphql_names, state_code_of
from schema.filters.non_state_actor import NON_STATE_ACTOR_BY_KEY
from schema.filters.state import STATE_ORDER
from schema.loaders.agreements import AGREEMENT_ORDER
from schema.loaders.arms_transfers import TRANSFER_ORDER
from schema.loaders.corridors import CORRIDOR_ORDER
from schema.loaders.economic_figures import FIGURE_ORDER
from schema.loaders.events import EVENT_ORDER
from schema.loaders.exercises import EXERCISE_ORDER
from schema.loaders.initiatives import INITIATIVE_ORDER
from schema.loaders.memberships import MEMBERSHIP_ORDER
from schema.loaders.organisations import ACRONYM_ORDER, NAME_ORDER
from schema.loaders.people import PERSON_ORDER
from schema.ordering import ID_KEY, MAX_ORDER_TERMS, SortField
from schema.pagination import Columns, Direction, Ordering, PageQuery, SortKey

LIST_SEPARATOR = "\x1f"  # joins aggregated values in SQL; never in the data
CSV_LIST_SEPARATOR = "; "
FORMATS = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
CHUNK_ROWS = 200


@dataclass(frozen=True)
class Column:
    """One exported column: its name, what it holds, and its SQL over the table's columns.

    `many` columns hold lists: a JSON list column, or values aggregated with LIST_SEPARATOR.
    `convert` turns the database value into the exported one (ids into global IDs).
    """

    name: str
    description: str
    sql: Callable[[Columns], ColumnElement[Any]]
    many: bool = False
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Export:
    model: Any
    type_name: str  # the GraphQL type, for global IDs
    filter: type[FilterInput]
    sort: Mapping[Any, SortField]
    default_order: Ordering
    columns: tuple[Column, ...]


def _global_id(type_name: str) -> Column:
    return Column(
        "id",
        f"Global ID of the {type_name} (the GraphQL `id`, resolvable with `node(id:)`)",
        lambda c: c.id,
        convert=lambda value: relay.to_base64(type_name, value),
    )


def _acronym_of(organisation_id: Any) -> Any:
    organisation = aliased(models.Organisation)
    return (
        select(col(organisation.acronym))
        .where(col(organisation.id) == organisation_id)
        .scalar_subquery()
    )


def _joined(value: Any) -> Any:
    """The values of `value` across a correlated subquery's rows, joined by LIST_SEPARATOR
    (ordered later, in Python: SQLite before 3.44 cannot order inside an aggregate)."""
    return func.aggregate_strings(value, LIST_SEPARATOR)


def _former_names(c: Columns) -> Any:
    name = aliased(models.OrganisationName)
    return (
        select(_joined(col(name.name))).where(col(name.organisation_id) == c.id).scalar_subquery()
    )


def _parties(c: Columns) -> Any:
    party = aliased(models.AgreementParty)
    state, organisation, company = (
        aliased(models.State),
        aliased(models.Organisation),
        aliased(models.Company),
    )
    label = func.coalesce(col(state.code), col(organisation.acronym), col(company.key))
    return (
        select(_joined(label))
        .select_from(party)
        .outerjoin(state, col(state.id) == col(party.state_id))
        .outerjoin(organisation, col(organisation.id) == col(party.organisation_id))
        .outerjoin(company, col(company.id) == col(party.company_id))
        .where(col(party.agreement_id) == c.id)
        .scalar_subquery()
    )


def _agreement_key(c: Columns) -> Any:
    agreement = aliased(models.Agreement)
    return select(col(agreement.key)).where(col(agreement.id) == c.agreement_id).scalar_subquery()


def _member(c: Columns) -> Any:
    return func.coalesce(state_code_of(c.member_state_id), _acronym_of(c.member_organisation_id))


def _member_kind(c: Columns) -> Any:
    return case((c.member_state_id.is_not(None), "STATE"), else_="ORGANISATION")


def _actor_kind(c: Columns, side: str) -> Any:
    state, organisation, actor = (c[column] for column in SIDES[side])
    return case(
        (state.is_not(None), "STATE"),
        (organisation.is_not(None), "ORGANISATION"),
        (actor.is_not(None), "NON_STATE_ACTOR"),
        else_="UNKNOWN",
    )


# -- the rest of the paper and non-state actors ------------------------------------------------

ORDER_PREFIX = 1_000_000  # positions as sortable text: "1000003:Kazakhstan" sorts by position


def _by_position(position: Any, label: Any) -> Any:
    """`label` prefixed with its position, so the list sorts in route (or listing) order."""
    return cast(position + ORDER_PREFIX, String).concat(":").concat(label)


def _unprefixed(values: list[str]) -> list[str]:
    return [value.partition(":")[2] for value in values]


def _actor_label(state: Any, organisation: Any, person: Any = None) -> tuple[Any, Any]:
    """(the label of an exclusive-arc row's actor, the outer joins it needs): state code,
    organisation acronym or person key."""
    states, organisations = aliased(models.State), aliased(models.Organisation)
    joins = [
        (states, col(states.id) == state),
        (organisations, col(organisations.id) == organisation),
    ]
    labels = [col(states.code), col(organisations.acronym)]
    if person is not None:
        people = aliased(models.Person)
        joins.append((people, col(people.id) == person))
        labels.append(col(people.key))
    return func.coalesce(*labels), joins


def _with_roles(link: Any, record: Any, person: bool = True) -> Callable[[Columns], Any]:
    """Who takes part in a record through a link table, as `label (ROLE)`, in listing order."""

    def sql(c: Columns) -> Any:
        row = aliased(link)
        label, joins = _actor_label(
            col(row.state_id), col(row.organisation_id), col(row.person_id) if person else None
        )
        statement = select(
            _joined(_by_position(col(row.position), label.concat(" (").concat(row.role) + ")"))
        ).select_from(row)
        for table, on in joins:
            statement = statement.outerjoin(table, on)
        return statement.where(getattr(row, record) == c.id).scalar_subquery()

    return sql


def _exercise_participants(c: Columns) -> Any:
    row, state = aliased(models.ExerciseParticipant), aliased(models.State)
    return (
        select(_joined(col(state.code)))
        .select_from(row)
        .join(state, col(state.id) == col(row.state_id))
        .where(col(row.exercise_id) == c.id)
        .scalar_subquery()
    )


def _organiser(c: Columns) -> Any:
    return func.coalesce(
        state_code_of(c.organiser_state_id), _acronym_of(c.organiser_organisation_id)
    )


def _stops(c: Columns) -> Any:
    stop, state = aliased(models.CorridorStop), aliased(models.State)
    name = func.coalesce(col(stop.name), col(state.name))
    return (
        select(_joined(_by_position(col(stop.position), name)))
        .select_from(stop)
        .outerjoin(state, col(state.id) == col(stop.state_id))
        .where(col(stop.corridor_id) == c.id)
        .scalar_subquery()
    )


def _offices(c: Columns) -> Any:
    office = aliased(models.OfficeHolding)
    where, joins = _actor_label(col(office.state_id), col(office.organisation_id))
    year = func.coalesce(col(office.since), cast(col(office.attested_year), String))
    # "office (TUR, 2023)", "office (XNC)", "office (2023)" or just "office"
    detail = func.coalesce(where.concat(func.coalesce(literal(", ").concat(year), "")), year)
    label = col(office.office).concat(func.coalesce(literal(" (").concat(detail).concat(")"), ""))
    statement = select(_joined(_by_position(col(office.position), label))).select_from(office)
    for table, on in joins:
        statement = statement.outerjoin(table, on)
    return statement.where(col(office.person_id) == c.id).scalar_subquery()


def _parent_event(c: Columns) -> Any:
    event = aliased(models.Event)
    return select(col(event.key)).where(col(event.id) == c.parent_id).scalar_subquery()


def _subject(c: Columns) -> Any:
    people = aliased(models.Person)
    return func.coalesce(
        state_code_of(c.subject_state_id),
        _acronym_of(c.subject_organisation_id),
        select(col(people.key)).where(col(people.id) == c.subject_person_id).scalar_subquery(),
    )


def _subject_kind(c: Columns) -> Any:
    return case(
        (c.subject_state_id.is_not(None), "STATE"),
        (c.subject_organisation_id.is_not(None), "ORGANISATION"),
        else_="PERSON",
    )


def _plain(name: str, description: str, attribute: str | None = None) -> Column:
    key = attribute or name
    return Column(name, description, lambda c: c[key])


def _state_code(name: str, description: str, attribute: str) -> Column:
    return Column(name, description, lambda c: state_code_of(c[attribute]))


def _acronym(name: str, description: str, attribute: str) -> Column:
    return Column(name, description, lambda c: _acronym_of(c[attribute]))


EXPORTS: dict[str, Export] = {
    "states": Export(
        models.State,
        "State",
        StateFilter,
        STATE_SORT,
        STATE_ORDER,
        (
            _global_id("State"),
            _plain("code", "ISO 3166-1 alpha-3 code, or silkgraph's own (XNC)"),
            _plain("name", "Short name"),
            _plain("official_name", "Official name, where ISO gives one"),
            _plain("alpha2", "ISO 3166-1 alpha-2 code"),
            _plain("region", "UN M49 sub-region"),
            _plain("continent", "UN M49 region"),
            _plain("code_assignment", "Where the code comes from"),
            Column("aliases", "Other names sources use", lambda c: c.aliases, many=True),
            _plain("recognition_note", "Who recognises it, where that is in question"),
        ),
    ),
    "organisations": Export(
        models.Organisation,
        "Organisation",
        OrganisationFilter,
        ORGANISATION_SORT,
        ACRONYM_ORDER,
        (
            _global_id("Organisation"),
            _plain("acronym", "Acronym or customary short name"),
            _plain("name", "Full current name"),
            _plain("kind", "What sort of body it is"),
            _plain("founded", "Year founded", "founded_year"),
            _plain("headquarters", "Seat (city)"),
            Column(
                "headquarters_state",
                "Code of the state of the seat",
                lambda c: state_code_of(c.headquarters_state_id),
            ),
            Column(
                "parent", "Acronym of the body it belongs to", lambda c: _acronym_of(c.parent_id)
            ),
            Column("former_names", "Names it carried before", _former_names, many=True),
            _plain("description", "What it is"),
        ),
    ),
    "memberships": Export(
        models.Membership,
        "Membership",
        MembershipFilter,
        MEMBERSHIP_SORT,
        MEMBERSHIP_ORDER,
        (
            _global_id("Membership"),
            Column(
                "organisation",
                "Acronym of the organisation",
                lambda c: _acronym_of(c.organisation_id),
            ),
            Column("member", "State code or organisation acronym of the member", _member),
            Column("member_kind", "STATE or ORGANISATION", _member_kind),
            _plain("role", "The standing held"),
            _plain("since", "When it began (YYYY, YYYY-MM or YYYY-MM-DD); empty if unreported"),
            _plain("until", "When it ended; empty while it lasts"),
            _plain("attested_year", "Year a source attests it, when the start is unreported"),
            _plain("note", "What else the sources say"),
        ),
    ),
    "agreements": Export(
        models.Agreement,
        "Agreement",
        AgreementFilter,
        AGREEMENT_SORT,
        AGREEMENT_ORDER,
        (
            _global_id("Agreement"),
            _plain("key", "Stable key"),
            _plain("title", "Title"),
            _plain("kind", "Its form"),
            _plain("date", "When signed or adopted, as precise as reported"),
            _plain("year", "The year of `date`"),
            _plain("place", "Where"),
            _plain("status", "How far it has got"),
            Column(
                "parties",
                "Parties: state codes, organisation acronyms, company keys (sorted)",
                _parties,
                many=True,
            ),
            _plain("summary", "What it does"),
        ),
    ),
    "arms-transfers": Export(
        models.ArmsTransfer,
        "ArmsTransfer",
        ArmsTransferFilter,
        ARMS_TRANSFER_SORT,
        TRANSFER_ORDER,
        (
            _global_id("ArmsTransfer"),
            _plain("key", "Stable key"),
            Column(
                "supplier", "Code of the supplying state", lambda c: state_code_of(c.supplier_id)
            ),
            Column(
                "recipient", "Code of the receiving state", lambda c: state_code_of(c.recipient_id)
            ),
            _plain("weapon_designation", "Designation of the weapon"),
            _plain("weapon_category", "SIPRI-style category"),
            _plain("weapon_description", "What the weapon is"),
            _plain(
                "number_ordered",
                "Items ordered; empty when not reported (0 only for SIPRI's open-ended orders)",
            ),
            _plain("number_delivered", "Items delivered; empty when not reported"),
            _plain("order_year", "Year of the order"),
            Column(
                "delivery_years", "Years with deliveries", lambda c: c.delivery_years, many=True
            ),
            _plain("status", "How far the deal has got"),
            _plain("financing_amount", "Money allocated, in whole units of the currency"),
            _plain("financing_currency", "ISO 4217 code of that money"),
            Column("agreement", "Key of the agreement it was made under", _agreement_key),
            _plain("comments", "What else the sources say"),
            Column(
                "supplier_actor",
                "The supplier of any kind: state code, organisation acronym or non-state-actor key",
                lambda c: actor_label(c, "supplier"),
            ),
            Column(
                "supplier_kind",
                "STATE, ORGANISATION, NON_STATE_ACTOR or UNKNOWN",
                lambda c: _actor_kind(c, "supplier"),
            ),
            Column(
                "recipient_actor",
                "The recipient of any kind, as `supplier_actor`",
                lambda c: actor_label(c, "recipient"),
            ),
            Column(
                "recipient_kind",
                "STATE, ORGANISATION, NON_STATE_ACTOR or UNKNOWN",
                lambda c: _actor_kind(c, "recipient"),
            ),
            _plain("supplier_name", "The supplier as a dataset spells it (SIPRI: `Turkiye`)"),
            _plain("recipient_name", "The recipient as a dataset spells it"),
            _plain("condition", "NEW, SECOND_HAND or SECOND_HAND_MODERNISED (SIPRI)"),
            _plain("order_year_estimated", "Whether SIPRI estimates the order year"),
            _plain("number_ordered_estimated", "Whether SIPRI estimates the number ordered"),
            _plain("number_delivered_estimated", "Whether SIPRI estimates the number delivered"),
            _plain("tiv_per_unit", "SIPRI trend-indicator value per unit, in millions"),
            _plain("tiv_total_order", "SIPRI TIV of the whole order, in millions"),
            _plain("tiv_delivered", "SIPRI TIV delivered, in millions; empty if none identified"),
            _plain("deal_key", "Key shared by the records of one deal from different sources"),
        ),
    ),
    "companies": Export(
        models.Company,
        "Company",
        CompanyFilter,
        COMPANY_SORT,
        NAME_ORDER,
        (
            _global_id("Company"),
            _plain("key", "Stable key"),
            _plain("name", "Name"),
            Column(
                "country",
                "Code of the state where it is based",
                lambda c: state_code_of(c.country_id),
            ),
            _plain("description", "What it does"),
        ),
    ),
    "events": Export(
        models.Event,
        "Event",
        EventFilter,
        EVENT_SORT,
        EVENT_ORDER,
        (
            _global_id("Event"),
            _plain("key", "Stable key"),
            _plain("title", "What the event is called"),
            _plain("kind", "What sort of event it was"),
            _plain("number", "Its ordinal in a series (8 for the eighth summit)"),
            _plain("date", "When, as precise as reported"),
            _plain("year", "The year of `date`"),
            _plain("city", "City or place"),
            _state_code("place_state", "Code of the state it took place in", "place_state_id"),
            _acronym("organisation", "Acronym of the organisation that held it", "organisation_id"),
            Column("parent", "Key of the event it was held alongside", _parent_event),
            Column(
                "participants",
                "Who took part, as `code, acronym or person key (ROLE)`, in listing order",
                _with_roles(models.EventParticipant, "event_id"),
                many=True,
                convert=_unprefixed,
            ),
            _plain("summary", "What happened"),
        ),
    ),
    "military-exercises": Export(
        models.MilitaryExercise,
        "MilitaryExercise",
        MilitaryExerciseFilter,
        MILITARY_EXERCISE_SORT,
        EXERCISE_ORDER,
        (
            _global_id("MilitaryExercise"),
            _plain("key", "Stable key"),
            _plain("name", "Name of the exercise"),
            _plain("series", "The recurring series it belongs to"),
            _plain("date", "When, as precise as reported"),
            _plain("year", "The year of `date`"),
            _plain("format", "BILATERAL or MULTINATIONAL, where reported"),
            _state_code("host_state", "Code of the state it was held in", "host_state_id"),
            Column("organiser", "State code or organisation acronym of the organiser", _organiser),
            Column(
                "participants",
                "Codes of the states that took part (sorted)",
                _exercise_participants,
                many=True,
            ),
            _plain("focus", "What it trained for"),
            _plain("summary", "What else the sources say"),
        ),
    ),
    "corridors": Export(
        models.Corridor,
        "Corridor",
        CorridorFilter,
        CORRIDOR_SORT,
        CORRIDOR_ORDER,
        (
            _global_id("Corridor"),
            _plain("key", "Stable key"),
            _plain("name", "Its usual name"),
            Column("aliases", "Other names", lambda c: c.aliases, many=True),
            _plain("kind", "CORRIDOR, RAILWAY or ROUTE"),
            Column("modes", "Means of transport", lambda c: c.modes, many=True),
            _plain("status", "How far it has got (current; undated)"),
            Column(
                "stops",
                "States, seas and regions along it, in route order",
                _stops,
                many=True,
                convert=_unprefixed,
            ),
            Column(
                "actors",
                "Who initiated, coordinates or backs it, as `code or acronym (ROLE)`",
                _with_roles(models.CorridorActor, "corridor_id", person=False),
                many=True,
                convert=_unprefixed,
            ),
            _plain("summary", "What the sources say of it"),
        ),
    ),
    "people": Export(
        models.Person,
        "Person",
        PersonFilter,
        PERSON_SORT,
        PERSON_ORDER,
        (
            _global_id("Person"),
            _plain("key", "Stable key"),
            _plain("name", "Name as the sources spell it"),
            Column("aliases", "Other spellings", lambda c: c.aliases, many=True),
            _state_code(
                "nationality", "Code of the state they are a national of", "nationality_id"
            ),
            Column(
                "offices",
                "Offices held, as `office (code or acronym, first or attested year)`",
                _offices,
                many=True,
                convert=_unprefixed,
            ),
            _plain("description", "Who they are"),
        ),
    ),
    "initiatives": Export(
        models.Initiative,
        "Initiative",
        InitiativeFilter,
        INITIATIVE_SORT,
        INITIATIVE_ORDER,
        (
            _global_id("Initiative"),
            _plain("key", "Stable key"),
            _plain("title", "Its name"),
            _plain("kind", "What sort of initiative it is"),
            _plain("status", "How far it has got"),
            _plain("date", "When proposed, launched or published, as precise as reported"),
            _plain("year", "The year of `date`"),
            Column(
                "actors",
                "Who proposed, adopted or realises it, as `code, acronym or person key (ROLE)`",
                _with_roles(models.InitiativeActor, "initiative_id"),
                many=True,
                convert=_unprefixed,
            ),
            _plain("summary", "What it is"),
        ),
    ),
    "economic-figures": Export(
        models.EconomicFigure,
        "EconomicFigure",
        EconomicFigureFilter,
        ECONOMIC_FIGURE_SORT,
        FIGURE_ORDER,
        (
            _global_id("EconomicFigure"),
            _plain("key", "Stable key"),
            _plain("metric", "What is counted or measured"),
            _plain("value", "The number, in `unit`"),
            _plain("unit", "USD, COUNT, PERCENT or RANK"),
            _plain("qualifier", "EXACT, MORE_THAN, ABOUT …, as the source says"),
            _plain("year", "The year it refers to"),
            _plain("period", "What it covers when undated"),
            Column("subject", "State code, organisation acronym or person key", _subject),
            Column("subject_kind", "STATE, ORGANISATION or PERSON", _subject_kind),
            _state_code("partner", "Code of the other state it concerns", "partner_state_id"),
            _plain("note", "What else the source says"),
        ),
    ),
    "non-state-actors": Export(
        models.NonStateActor,
        "NonStateActor",
        NonStateActorFilter,
        NON_STATE_ACTOR_SORT,
        NON_STATE_ACTOR_BY_KEY,
        (
            _global_id("NonStateActor"),
            _plain("key", "Stable key"),
            _plain("name", "Name as its source gives it"),
            _state_code("country", "Code of the state its source places it in", "country_id"),
            _plain("description", "What silkgraph notes about it"),
        ),
    ),
}


class BadParameter(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


# -- reading the query string into the filter input --------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type inside `X | None` and `list[X] | None`, whether it is a list)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        (annotation,) = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0], True
    return annotation, False


def _scalar(kind: Any, text: str, field: str) -> Any:
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise BadParameter(f"`{field}` must be an integer, got {text!r}", field) from None
    if kind is float:
        try:
            number = float(text)
        except ValueError:
            raise BadParameter(f"`{field}` must be a number, got {text!r}", field) from None
        if not math.isfinite(number):
            raise BadParameter(f"`{field}` must be a finite number, got {text!r}", field)
        return number
    if kind is bool:
        if text.lower() not in {"true", "false"}:
            raise BadParameter(f"`{field}` must be true or false, got {text!r}", field)
        return text.lower() == "true"
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(kind.__members__)
            raise BadParameter(f"`{field}` must be one of {allowed}; got {text!r}", field) from None
    return text


def input_fields(input_type: type) -> dict[str, tuple[str, Any, bool]]:
    """GraphQL name → (Python name, type, is a list) of an input type's fields."""
    hints = typing.get_type_hints(input_type)
    names = graphql_names(input_type)
    found = {}
    for field in dataclasses.fields(input_type):
        kind, many = _unwrap(hints[field.name])
        found[names[field.name]] = (field.name, kind, many)
    return found


def build_input(input_type: type, params: Mapping[str, list[str]], prefix: str = "") -> Any:
    """An instance of `input_type` from the parameters under `prefix`, or None if none is."""
    values: dict[str, Any] = {}
    for name, (python_name, kind, many) in input_fields(input_type).items():
        key = f"{prefix}{name}"
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            nested = build_input(kind, params, f"{key}.")
            if nested is not None:
                values[python_name] = nested
            continue
        given = params.get(key)
        if given is None:
            continue
        if many:
            items = [item.strip() for text in given for item in text.split(",") if item.strip()]
            values[python_name] = [_scalar(kind, item, key) for item in items]
        else:
            if len(given) > 1:
                raise BadParameter(f"`{key}` is given {len(given)} times", key)
            values[python_name] = _scalar(kind, given[0], key)
    return input_type(**values) if values else None


def known_parameters(input_type: type, prefix: str = "") -> set[str]:
    found = set()
    for name, (_, kind, _many) in input_fields(input_type).items():
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            found |= known_parameters(kind, f"{prefix}{name}.")
        else:
            found.add(f"{prefix}{name}")
    return found


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def ordering_from(export: Export, text: str | None) -> Ordering:
    """`orderYear:desc,key` → the ordering the connection would use for the same orderBy."""
    if text is None:
        return export.default_order
    by_name = {_normal(field.name): field for field in export.sort}
    terms = [t.strip() for t in text.split(",") if t.strip()]
    if not 1 <= len(terms) <= MAX_ORDER_TERMS:
        raise BadParameter(f"`orderBy` takes 1 to {MAX_ORDER_TERMS} terms", "orderBy")
    keys: list[SortKey] = []
    seen = set()
    for term in terms:
        name, _, direction = term.partition(":")
        field = by_name.get(_normal(name))
        if field is None:
            allowed = ", ".join(to_camel_case(f.name.lower()) for f in export.sort)
            raise BadParameter(f"`orderBy`: cannot sort by {name!r}; by {allowed}", "orderBy")
        if field in seen:
            raise BadParameter(f"`orderBy` names {name!r} twice", "orderBy")
        seen.add(field)
        try:
            way = Direction((direction or "asc").upper())
        except ValueError:
            raise BadParameter(f"`orderBy`: {direction!r} is not asc or desc", "orderBy") from None
        keys.extend(export.sort[field].keys(way))
    return Ordering((*keys, ID_KEY))


# -- writing ----------------------------------------------------------------------------------


def _values(export: Export, row: Sequence[Any]) -> list[Any]:
    found = []
    for column, value in zip(export.columns, row, strict=True):
        if column.many:
            if isinstance(value, str):
                value = sorted(value.split(LIST_SEPARATOR))
            value = list(value or [])
        elif isinstance(value, Enum):
            value = value.value
        if column.convert is not None and value is not None:
            value = column.convert(value)
        found.append(value)
    return found


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else value


async def _stream(
    export: Export, query: PageQuery[Any], fmt: str, limit: int | None
) -> AsyncIterator[str]:
    table = export.model.__table__.c
    columns = [c.sql(table).label(f"export_{c.name}") for c in export.columns]
    names = [c.name for c in export.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(names)
    count = 0
    # aclosing: stopping early (a limit, a client gone) still closes the session at once.
    async with aclosing(query.rows(*columns)) as rows:
        async for row in rows:
            values = _values(export, row[1:])
            if fmt == "csv":
                writer.writerow([_csv_cell(v) for v in values])
            else:
                record = dict(zip(names, values, strict=True))
                buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
            if count % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            if limit is not None and count >= limit:
                break
    yield buffer.getvalue()


def _error(message: str, field: str | None, status: int = 400) -> Response:
    """A refusal shaped like every other of the API: a GraphQL-style error with its code and,
    where one parameter was wrong, its name in `extensions.field`."""
    code = ErrorCode.NOT_FOUND if status == 404 else ErrorCode.BAD_USER_INPUT
    return error_response(status, message, code, extensions={"field": field} if field else None)


# -- the OpenAPI description: each export's own parameters, columns and errors ------------------

_ERROR_SHAPE: dict[str, Any] = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message", "extensions"],
                "properties": {
                    "message": {"type": "string", "description": "What was wrong, for people"},
                    "extensions": {
                        "type": "object",
                        "required": ["code"],
                        "properties": {
                            "code": {
                                "type": "string",
                                "enum": [ErrorCode.BAD_USER_INPUT.value, ErrorCode.NOT_FOUND.value],
                                "description": "What was wrong, for programs",
                            },
                            "field": {
                                "type": "string",
                                "description": "The parameter that was wrong, when one was",
                            },
                            "requestId": {
                                "type": "string",
                                "description": "The request's X-Request-ID, as in the logs",
                            },
                        },
                    },
                },
            },
        }
    },
}


def _error_example(message: str, code: ErrorCode, field: str | None) -> dict[str, Any]:
    extensions = {"code": code.value, **({"field": field} if field else {})}
    return {"errors": [{"message": message, "extensions": extensions}]}


def _json_schema(kind: Any, many: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "string"}
    if kind is bool:
        item = {"type": "boolean"}
    elif kind is int:
        item = {"type": "integer"}
    elif kind is float:
        item = {"type": "number"}
    elif isinstance(kind, type) and issubclass(kind, Enum):
        item = {"type": "string", "enum": list(kind.__members__)}
    return {"type": "array", "items": item} if many else item


def described_parameters(input_type: type, prefix: str = "", about: str = "") -> list[Any]:
    """(name, type, is a list, description) of each parameter an input type's fields give."""
    descriptions = {
        f.python_name: f.description or ""
        for f in input_type.__strawberry_definition__.fields  # type: ignore[attr-defined]
    }
    found: list[Any] = []
    for name, (python_name, kind, many) in input_fields(input_type).items():
        text = f"{about}{descriptions[python_name]}"
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            found += described_parameters(kind, f"{prefix}{name}.", f"{text} ")
        else:
            found.append((f"{prefix}{name}", kind, many, text))
    return found


def openapi_parameters(export: Export) -> list[dict[str, Any]]:
    sort_names = ", ".join(to_camel_case(f.name.lower()) for f in export.sort)
    parameters: list[dict[str, Any]] = [
        {
            "name": "format",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": list(FORMATS)},
            "description": "csv (a header row, lists joined with `; `) or ndjson (one JSON "
            "object a line, lists as arrays)",
        }
    ]
    for name, kind, many, text in described_parameters(export.filter):
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "description": text + (" Comma-separated, or the parameter repeated." if many else ""),
            "schema": _json_schema(kind, many),
        }
        if many:
            parameter |= {"style": "form", "explode": False}
        parameters.append(parameter)
    parameters += [
        {
            "name": "orderBy",
            "in": "query",
            "required": False,
            "description": f"1 to {MAX_ORDER_TERMS} terms `field` or `field:desc`, comma-"
            f"separated, by {sort_names}; ties are broken by id.",
            "schema": {"type": "string"},
            "example": f"{to_camel_case(next(iter(export.sort)).name.lower())}:desc",
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "At most this many rows (all when left out).",
            "schema": {"type": "integer", "minimum": 1},
        },
    ]
    return parameters


def openapi_responses(entity: str, export: Export) -> dict[int | str, dict[str, Any]]:
    columns = "\n".join(f"- `{c.name}`: {c.description}" for c in export.columns)
    first = min(known_parameters(export.filter), default="limit")
    return {
        200: {
            "description": f"The rows, streamed, with these columns:\n\n{columns}",
            "content": {
                media.split(";")[0]: {"schema": {"type": "string"}} for media in FORMATS.values()
            },
        },
        400: {
            "description": "A parameter is unknown or its value is not allowed; nothing is "
            "streamed.",
            "content": {
                "application/json": {
                    "schema": _ERROR_SHAPE,
                    "example": _error_example(
                        f"unknown parameter `colour`; {entity} takes {first}, …",
                        ErrorCode.BAD_USER_INPUT,
                        "colour",
                    ),
                }
            },
        },
        404: {
            "description": "No such export or format.",
            "content": {
                "application/json": {
                    "schema": _ERROR_SHAPE,
                    "example": _error_example(
                        f"no export '{entity}.xml': try {', '.join(EXPORTS)} as .csv or .ndjson",
                        ErrorCode.NOT_FOUND,
                        None,
                    ),
                }
            },
        },
    }


def export_router(sessions: SessionFactory) -> APIRouter:
    router = APIRouter()

    def entity_export(entity: str) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await export(f"{entity}.{request.path_params['format']}", request)

        return endpoint

    # One operation per export, so that the OpenAPI description lists its own parameters.
    for entity, spec in EXPORTS.items():
        router.add_api_route(
            f"/export/{entity}.{{format}}",
            entity_export(entity),
            methods=["GET"],
            summary=f"Stream {entity} as CSV or NDJSON, filtered and ordered like its connection.",
            operation_id=f"export_{entity.replace('-', '_')}",
            tags=["exports"],
            response_class=StreamingResponse,
            responses=openapi_responses(entity, spec),
            openapi_extra={"parameters": openapi_parameters(spec)},
        )

    @router.get("/export/{filename}", include_in_schema=False)
    async def export(filename: str, request: Request) -> Response:
        entity, _, fmt = filename.rpartition(".")
        if entity not in EXPORTS or fmt not in FORMATS:
            return _error(
                f"no export {filename!r}: try {', '.join(EXPORTS)} as .csv or .ndjson", None, 404
            )
        spec = EXPORTS[entity]
        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        known = known_parameters(spec.filter) | {"orderBy", "limit"}
        for key in params:
            if key not in known:
                return _error(
                    f"unknown parameter `{key}`; {entity} takes {', '.join(sorted(known))}", key
                )
        try:
            limit = None
            if "limit" in params:
                limit = _scalar(int, params["limit"][-1], "limit")
                if limit < 1:
                    raise BadParameter("`limit` must be at least 1", "limit")
            filter_input = build_input(spec.filter, params)
            # An input with nothing given may still narrow (arms transfers count deals once).
            criteria = (filter_input if filter_input is not None else spec.filter()).criteria("")
            order_by = params.get("orderBy")
            ordering = ordering_from(spec, order_by[-1] if order_by else None)
        except BadParameter as error:
            return _error(str(error), error.field)
        except TypeError as error:  # a filter input the parameters cannot build
            return _error(str(error), None)
        except GraphQLError as error:  # the filter's own checks (codes, ranges, lengths)
            field = (error.extensions or {}).get("field")
            return _error(error.message, str(field) if field else None)
        query: PageQuery[Any] = PageQuery(
            sessions=sessions,
            model=spec.model,
            ordering=ordering,
            to_node=lambda row: row,
            where=criteria.conditions(),
        )
        return StreamingResponse(
            _stream(spec, query, fmt, limit),
            media_type=FORMATS[fmt],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return router
