"""Economic figures: what `economicFigures(filter:, orderBy:)` and the nested figure
connections and lists accept."""

from enum import Enum

import strawberry
from sqlalchemy import func
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    FloatRange,
    IntRange,
    between,
    equal_to,
    items,
    key_in,
    linked_state,
    linked_states,
    name,
    one_of,
    organisation_ids,
    person_ids,
    state_code_in,
    text_in,
)
from schema.loaders.economic_figures import FIGURES_BY_STATE_ID
from schema.ordering import SortField, text_field
from schema.pagination import Direction
from schema.types.enums import FigureQualifier, FigureUnit

Figure = models.EconomicFigure
STATES = FIGURES_BY_STATE_ID.link


@strawberry.input(description="Narrows economic figures; all given conditions must hold.")
class EconomicFigureFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="The subject or partner state (code, any case)."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Any of these as subject or partner state (codes)."
    )
    partners: list[str] | None = strawberry.field(
        default=None, description="Figures about dealings with any of these states (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The subject organisation (acronym, any case)."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Any of these subject organisations (acronyms)."
    )
    people: list[str] | None = strawberry.field(
        default=None, description="Any of these subject people (keys)."
    )
    unit: FigureUnit | None = strawberry.field(default=None, description="Only this unit.")
    units: list[FigureUnit] | None = strawberry.field(
        default=None, description="Any of these units."
    )
    qualifiers: list[FigureQualifier] | None = strawberry.field(
        default=None, description="Any of these qualifiers (`MORE_THAN` …)."
    )
    year: int | None = strawberry.field(default=None, description="Only figures of this year.")
    years: IntRange | None = strawberry.field(
        default=None, description="Figures of these years (undated figures never match)."
    )
    value: FloatRange | None = strawberry.field(
        default=None, description="Values in this range (in the figure's own unit)."
    )
    keys: list[str] | None = strawberry.field(default=None, description="Any of these figure keys.")
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the metric, the period or the note (any case)."
    )

    criteria_of = {
        "state": linked_state(Figure.id, STATES),
        "states": linked_states(Figure.id, STATES),
        "partners": state_code_in(Figure.partner_state_id),
        "organisation": Criterion(
            name, lambda n: col(Figure.subject_organisation_id).in_(organisation_ids([n]))
        ),
        "organisations": Criterion(
            items(name),
            lambda names: col(Figure.subject_organisation_id).in_(organisation_ids(names)),
        ),
        "people": Criterion(
            items(name), lambda keys: col(Figure.subject_person_id).in_(person_ids(keys))
        ),
        "unit": equal_to(Figure.unit),
        "units": one_of(Figure.unit),
        "qualifiers": one_of(Figure.qualifier),
        "year": equal_to(Figure.year),
        "years": between(Figure.year),
        "value": between(Figure.value),
        "keys": key_in(Figure.key),
        "text_contains": text_in(Figure.metric, Figure.period, Figure.note),
    }


@strawberry.enum(description="What economic figures can be sorted by.")
class EconomicFigureOrderField(Enum):
    YEAR = "YEAR"
    METRIC = "METRIC"
    VALUE = "VALUE"
    UNIT = "UNIT"
    KEY = "KEY"


@strawberry.input(description="One sort term for economic figures.")
class EconomicFigureOrder:
    field: EconomicFigureOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


ECONOMIC_FIGURE_SORT = {
    EconomicFigureOrderField.YEAR: SortField("year", lambda c: c.year, nullable=True),
    EconomicFigureOrderField.METRIC: text_field("metric", lambda c: func.lower(c.metric)),
    EconomicFigureOrderField.VALUE: SortField("value", lambda c: c.value),
    EconomicFigureOrderField.UNIT: text_field("unit", lambda c: c.unit),
    EconomicFigureOrderField.KEY: text_field("key", lambda c: c.key),
}
