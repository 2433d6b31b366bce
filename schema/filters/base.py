"""The machinery under every filter input: criteria declared per field, checked once, hashable.

A filter input (`ArmsTransferFilter` …) declares, for each of its fields, a `Criterion`: how to
check and canonicalise the value given (upper-case codes, sorted de-duplicated lists, a range
whose ends are in order) and the SQL condition the canonical value stands for. `criteria()`
turns an input into `Criteria`, a frozen tuple of (criterion, value) pairs: equal filters give
equal criteria, so nested connections asked with the same filter share one statement, and the
same criteria serve GraphQL, aggregates and CSV exports alike. All conditions are AND-combined.
"""

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, cast

import strawberry
from sqlalchemy import ColumnElement, Table, and_, false, func, or_, select
from sqlmodel import col
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from api import models
from schema.errors import bad_input
from schema.loaders.relations import scope_conditions

MAX_LIST_ITEMS = 100
MAX_TEXT_LENGTH = 200
_STATE_CODE = re.compile(r"^[A-Za-z]{3}$")

Column = Any  # a model attribute or column expression
Condition = ColumnElement[bool]


@strawberry.input(description="An inclusive range of integers; leave an end out to leave it open.")
class IntRange:
    gte: int | None = strawberry.field(default=None, description="At least this.")
    lte: int | None = strawberry.field(default=None, description="At most this.")

    def bounds(self, field: str) -> tuple[int | None, int | None]:
        """The two ends, checked to be in order."""
        if self.gte is not None and self.lte is not None and self.gte > self.lte:
            raise bad_input(
                f"`{field}`: `gte` ({self.gte}) is greater than `lte` ({self.lte})", field
            )
        return self.gte, self.lte


@strawberry.input(description="An inclusive range of numbers; leave an end out to leave it open.")
class FloatRange:
    gte: float | None = strawberry.field(default=None, description="At least this.")
    lte: float | None = strawberry.field(default=None, description="At most this.")

    def bounds(self, field: str) -> tuple[float | None, float | None]:
        """The two ends, checked to be in order."""
        if self.gte is not None and self.lte is not None and self.gte > self.lte:
            raise bad_input(
                f"`{field}`: `gte` ({self.gte}) is greater than `lte` ({self.lte})", field
            )
        return self.gte, self.lte


@dataclass(frozen=True, eq=False)
class Criterion:
    """One filter field: `canonical(value, field)` checks the input (raising a BAD_USER_INPUT
    that names `field`) and returns a hashable canonical form; `condition` is its SQL."""

    canonical: Callable[[Any, str], Hashable]
    condition: Callable[[Any], Condition]

    def checked(self, value: Any, field: str) -> "tuple[Criterion, Hashable]":
        """The criterion and canonical value that `value`, given for `field`, stands for.

        The one rule for lists lives here, so no field can forget it: an empty list matches
        nothing. A field's own condition never sees one; left to it, `any of []` built as an
        OR of no terms matched everything (or warned), and `all of []` matched everything.
        """
        if isinstance(value, list) and not value:
            return EMPTY_LIST, ()
        return self, self.canonical(value, field)


EMPTY_LIST = Criterion(lambda _value, _field: (), lambda _value: false())
"""What any list field given as `[]` stands for: no row."""


@dataclass(frozen=True)
class Criteria:
    """A checked filter, hashable: the scope key of batched nested queries."""

    items: tuple[tuple[Criterion, Hashable], ...] = ()

    def conditions(self) -> tuple[Condition, ...]:
        return tuple(criterion.condition(value) for criterion, value in self.items)

    def __and__(self, other: "Criteria") -> "Criteria":
        return Criteria(self.items + other.items)

    def __bool__(self) -> bool:
        return bool(self.items)


NO_CRITERIA = Criteria()


criteria_conditions = scope_conditions
"""A `Relation`'s conditions when its scope is a filter's criteria (or None)."""


_GRAPHQL_NAMES: dict[type, dict[str, str]] = {}


def graphql_names(input_type: type) -> dict[str, str]:
    """Python name → GraphQL name of an input's fields (camel case unless named otherwise)."""
    names = _GRAPHQL_NAMES.get(input_type)
    if names is None:
        definition = get_object_definition(input_type, strict=True)
        names = {
            field.python_name: field.graphql_name or to_camel_case(field.python_name)
            for field in definition.fields
        }
        _GRAPHQL_NAMES[input_type] = names
    return names


class FilterInput:
    """Base of every filter input: `criteria_of` maps field (Python name) to its criterion."""

    criteria_of: ClassVar[Mapping[str, Criterion]]

    def criteria(self, argument: str = "filter") -> Criteria:
        """The checked, canonical form; errors name `argument.field` (or `field` alone)."""
        items: list[tuple[Criterion, Hashable]] = []
        names = graphql_names(type(self))
        for name, criterion in self.criteria_of.items():
            value = getattr(self, name)
            if value is not None:
                name_ = names[name]
                field = f"{argument}.{name_}" if argument else name_
                items.append(criterion.checked(value, field))
        return Criteria(tuple(items))

    def conditions(self) -> list[Condition]:
        return list(self.criteria().conditions())


def criteria_of(filter_: FilterInput | None, argument: str = "filter") -> Criteria:
    return filter_.criteria(argument) if filter_ is not None else NO_CRITERIA


def conditions_of(filter_: FilterInput | None) -> tuple[Condition, ...]:
    """The WHERE terms of an optional filter input."""
    return criteria_of(filter_).conditions()


# -- canonical forms ------------------------------------------------------------------------


def state_code(value: str, field: str) -> str:
    """A state code as stored (upper case); anything but three letters is the caller's error."""
    value = value.strip()
    if not _STATE_CODE.match(value):
        raise bad_input(f"`{field}` must be a three-letter state code, got {value!r}", field)
    return value.upper()


def is_state_code(value: str) -> bool:
    return bool(_STATE_CODE.match(value.strip()))


def text(value: str, field: str) -> str:
    """Search text for a `…Contains` field, lower-cased; empty or overlong text is refused."""
    value = value.strip()
    if not value:
        raise bad_input(f"`{field}` must not be empty", field)
    if len(value) > MAX_TEXT_LENGTH:
        raise bad_input(f"`{field}` is longer than {MAX_TEXT_LENGTH} characters", field)
    return value.lower()


def name(value: str, field: str) -> str:
    """An acronym, key or name matched without regard to case."""
    value = value.strip()
    if not value or len(value) > MAX_TEXT_LENGTH:
        raise bad_input(f"`{field}` must be 1 to {MAX_TEXT_LENGTH} characters", field)
    return value.lower()


def items(each: Callable[[Any, str], Hashable]) -> Callable[[Sequence[Any], str], Hashable]:
    """A list canonicalised item by item, then de-duplicated and sorted; capped in length."""

    def canonical(values: Sequence[Any], field: str) -> tuple[Any, ...]:
        if len(values) > MAX_LIST_ITEMS:
            raise bad_input(f"`{field}` takes at most {MAX_LIST_ITEMS} items", field)
        found = {each(v, f"{field}[{i}]") for i, v in enumerate(values)}
        return tuple(sorted(found, key=lambda v: v.value if isinstance(v, Enum) else v))

    return canonical


def as_is(value: Any, _field: str) -> Hashable:
    hashable: Hashable = value
    return hashable


def year_range(value: IntRange | FloatRange, field: str) -> tuple[Any, Any]:
    return value.bounds(field)


# -- conditions ------------------------------------------------------------------------------


# Look-up subqueries use aliases, so they never correlate with the same table outside them.
# Table aliases, not ORM ones: `aliased()` builds a mapper-level alias per call, which cost a
# compiled request more than the rest of binding its values (bench/compiled_cpu.py, profiled).


def table_of(model: Any) -> Table:
    return cast(Table, model.__table__)


def state_ids(codes: Sequence[str]) -> Any:
    """The ids of the states with these codes, as a subquery."""
    state = table_of(models.State).alias()
    return select(state.c.id).where(state.c.code.in_(codes))


def state_id(code: str) -> Any:
    """The id of the state with this code, as a scalar subquery (NULL if there is none)."""
    state = table_of(models.State).alias()
    return select(state.c.id).where(state.c.code == code).scalar_subquery()


def organisation_ids(names: Sequence[str]) -> Any:
    """The ids of the organisations with these acronyms (lower-cased), as a subquery."""
    organisation = table_of(models.Organisation).alias()
    return select(organisation.c.id).where(func.lower(organisation.c.acronym).in_(names))


def person_ids(keys: Sequence[str]) -> Any:
    """The ids of the people with these keys (lower-cased), as a subquery."""
    person = table_of(models.Person).alias()
    return select(person.c.id).where(person.c.key.in_(keys))


def linked(record_id: Column, link: Any, parent_ids: Any) -> Condition:
    """The record is tied, through a relation's link (participants, hosts …), to one of the
    parents `parent_ids` selects. The link is aliased: a nested connection over the same
    relation joins the link itself, which must not be correlated with this one."""
    link = link.alias()
    return col(record_id).in_(select(link.c.record_id).where(link.c.parent_id.in_(parent_ids)))


def state_code_of(state_id: Any) -> Any:
    """The code of the state `state_id` points at, as a correlated subquery."""
    state = table_of(models.State).alias()
    return select(state.c.code).where(state.c.id == state_id).scalar_subquery()


def in_range(column: Column, bounds: tuple[Any, Any]) -> Condition:
    gte, lte = bounds
    terms = []
    if gte is not None:
        terms.append(column >= gte)
    if lte is not None:
        terms.append(column <= lte)
    return and_(*terms) if terms else column.is_not(None)


def contains(columns: Sequence[Column], needle: str) -> Condition:
    """Case-insensitive substring match on any of `columns`; LIKE wildcards match literally."""
    return or_(*(func.lower(c).contains(needle, autoescape=True) for c in columns))


def held_in(year: int | Column, start: Column, end: Column) -> Condition:
    """Valid in `year`: started by then (a NULL start counts as unknown, so not yet) and not
    ended by then. The end year is exclusive: a role given up in 2012 was not held in 2012.

    The one rule behind every `asOf` (memberships, former names; offices held and corridor
    statuses when they arrive): pass the start (or a coalesce of start and attested year).
    """
    return and_(start <= year, or_(end.is_(None), end > year))


# -- criterion builders ------------------------------------------------------------------------


def state_code_is(column: Column) -> Criterion:
    """One state code (any case); a well-formed unknown code matches nothing."""
    # `=` a scalar subquery, not IN: PostgreSQL then reads a page of the state's rows in an
    # index's order (LIMIT 51 rows) instead of every row of the state, sorted (b: all 2,442
    # of the busiest recipient). Codes are unique; an unknown one is NULL, matching nothing.
    return Criterion(state_code, lambda code: col(column) == state_id(code))


def state_code_in(column: Column) -> Criterion:
    """Any of these state codes."""
    return Criterion(items(state_code), lambda codes: col(column).in_(state_ids(codes)))


def one_of(column: Column) -> Criterion:
    """Any of these enum values; an empty list matches nothing."""
    return Criterion(items(as_is), lambda values: col(column).in_(values))


def equal_to(column: Column) -> Criterion:
    return Criterion(as_is, lambda value: col(column) == value)


def between(column: Column) -> Criterion:
    """An `IntRange` (or `FloatRange`) on a number column; rows where it is NULL never match."""
    return Criterion(year_range, lambda bounds: in_range(col(column), bounds))


def text_in(*columns: Column) -> Criterion:
    """Text contained (any case) in any of `columns`."""
    return Criterion(text, lambda needle: contains(columns, needle))


def known(column: Column) -> Criterion:
    """True: the value is reported; false: it is not (NULL)."""
    return Criterion(
        as_is, lambda wanted: col(column).is_not(None) if wanted else col(column).is_(None)
    )


def key_in(column: Column) -> Criterion:
    """Any of these keys (lower-cased, as keys are stored)."""
    return Criterion(items(name), lambda keys: col(column).in_(keys))


def is_flag(column: Column) -> Criterion:
    """A nullable boolean: true or false as asked; rows where it is NULL never match."""
    return Criterion(as_is, lambda wanted: col(column) == bool(wanted))


# Criteria on records tied to parents through a relation's link (participants, hosts …).


def linked_state(record_id: Column, link: Any) -> Criterion:
    """Tied to the state with this code."""
    return Criterion(state_code, lambda code: linked(record_id, link, state_ids([code])))


def linked_states(record_id: Column, link: Any) -> Criterion:
    """Tied to any of the states with these codes."""
    return Criterion(items(state_code), lambda codes: linked(record_id, link, state_ids(codes)))


def linked_organisation(record_id: Column, link: Any) -> Criterion:
    """Tied to the organisation with this acronym."""
    return Criterion(name, lambda n: linked(record_id, link, organisation_ids([n])))


def linked_organisations(record_id: Column, link: Any) -> Criterion:
    """Tied to any of the organisations with these acronyms."""
    return Criterion(items(name), lambda names: linked(record_id, link, organisation_ids(names)))


def linked_person(record_id: Column, link: Any) -> Criterion:
    """Tied to the person with this key."""
    return Criterion(name, lambda key: linked(record_id, link, person_ids([key])))


def linked_people(record_id: Column, link: Any) -> Criterion:
    """Tied to any of the people with these keys."""
    return Criterion(items(name), lambda keys: linked(record_id, link, person_ids(keys)))
