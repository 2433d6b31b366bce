"""Military exercises: what `militaryExercises(filter:)` and the nested lists accept."""

import strawberry
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    equal_to,
    linked,
    name,
    organisation_ids,
    state_code,
    state_ids,
)
from schema.loaders.exercises import EXERCISES_BY_STATE_ID
from schema.types.enums import ExerciseFormat

Exercise = models.MilitaryExercise


@strawberry.input(description="Narrows military exercises; all given conditions must hold.")
class MilitaryExerciseFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="A state that joined, hosted or organised it (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The organising organisation (acronym, any case)."
    )
    format: ExerciseFormat | None = strawberry.field(default=None, description="Only this format.")
    year: int | None = strawberry.field(default=None, description="Only exercises of this year.")

    criteria_of = {
        "state": Criterion(
            state_code,
            lambda code: linked(Exercise.id, EXERCISES_BY_STATE_ID.link, state_ids([code])),
        ),
        "organisation": Criterion(
            name, lambda n: col(Exercise.organiser_organisation_id).in_(organisation_ids([n]))
        ),
        "format": equal_to(Exercise.format),
        "year": equal_to(Exercise.year),
    }
