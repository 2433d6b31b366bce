"""Military exercises: what `militaryExercises(filter:, orderBy:)` and the nested exercise
lists accept."""

from enum import Enum

import strawberry
from sqlalchemy import func
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
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
    state_code_in,
    text_in,
)
from schema.loaders.exercises import EXERCISES_BY_STATE_ID
from schema.ordering import text_field
from schema.pagination import Direction
from schema.types.enums import ExerciseFormat

Exercise = models.MilitaryExercise
STATES = EXERCISES_BY_STATE_ID.link


@strawberry.input(description="Narrows military exercises; all given conditions must hold.")
class MilitaryExerciseFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="A state that joined, hosted or organised it (code, any case)."
    )
    states: list[str] | None = strawberry.field(
        default=None, description="Any of these states joined, hosted or organised it (codes)."
    )
    host_states: list[str] | None = strawberry.field(
        default=None, description="Held in any of these states (codes)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The organising organisation (acronym, any case)."
    )
    organisations: list[str] | None = strawberry.field(
        default=None, description="Organised by any of these organisations (acronyms)."
    )
    series: list[str] | None = strawberry.field(
        default=None, description="Holdings of any of these series (`Unity`, any case)."
    )
    format: ExerciseFormat | None = strawberry.field(default=None, description="Only this format.")
    formats: list[ExerciseFormat] | None = strawberry.field(
        default=None,
        description="Any of these formats (exercises of unreported format never match).",
    )
    year: int | None = strawberry.field(default=None, description="Only exercises of this year.")
    years: IntRange | None = strawberry.field(
        default=None, description="Held in these years (undated exercises never match)."
    )
    keys: list[str] | None = strawberry.field(
        default=None, description="Any of these exercise keys."
    )
    text_contains: str | None = strawberry.field(
        default=None, description="Text in the name, series, focus or summary (any case)."
    )

    criteria_of = {
        "state": linked_state(Exercise.id, STATES),
        "states": linked_states(Exercise.id, STATES),
        "host_states": state_code_in(Exercise.host_state_id),
        "organisation": Criterion(
            name, lambda n: col(Exercise.organiser_organisation_id).in_(organisation_ids([n]))
        ),
        "organisations": Criterion(
            items(name),
            lambda names: col(Exercise.organiser_organisation_id).in_(organisation_ids(names)),
        ),
        "series": Criterion(items(name), lambda names: func.lower(Exercise.series).in_(names)),
        "format": equal_to(Exercise.format),
        "formats": one_of(Exercise.format),
        "year": equal_to(Exercise.year),
        "years": between(Exercise.year),
        "keys": key_in(Exercise.key),
        "text_contains": text_in(Exercise.name, Exercise.series, Exercise.focus, Exercise.summary),
    }


@strawberry.enum(description="What military exercises can be sorted by.")
class MilitaryExerciseOrderField(Enum):
    DATE = "DATE"
    NAME = "NAME"
    FORMAT = "FORMAT"
    KEY = "KEY"


@strawberry.input(description="One sort term for military exercises.")
class MilitaryExerciseOrder:
    field: MilitaryExerciseOrderField = strawberry.field(description="What to sort by.")
    direction: Direction = strawberry.field(default=Direction.ASC, description="Which way.")


MILITARY_EXERCISE_SORT = {
    MilitaryExerciseOrderField.DATE: text_field("date", lambda c: c.date, nullable=True),
    MilitaryExerciseOrderField.NAME: text_field("name", lambda c: c.name),
    MilitaryExerciseOrderField.FORMAT: text_field("format", lambda c: c.format, nullable=True),
    MilitaryExerciseOrderField.KEY: text_field("key", lambda c: c.key),
}
