"""Economic figures: what `economicFigures(filter:)` and the nested figure connections accept."""

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
from schema.loaders.economic_figures import FIGURES_BY_STATE_ID
from schema.types.enums import FigureUnit

Figure = models.EconomicFigure


@strawberry.input(description="Narrows economic figures; all given conditions must hold.")
class EconomicFigureFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="The subject or partner state (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The subject organisation (acronym, any case)."
    )
    unit: FigureUnit | None = strawberry.field(default=None, description="Only this unit.")
    year: int | None = strawberry.field(default=None, description="Only figures of this year.")

    criteria_of = {
        "state": Criterion(
            state_code,
            lambda code: linked(Figure.id, FIGURES_BY_STATE_ID.link, state_ids([code])),
        ),
        "organisation": Criterion(
            name, lambda n: col(Figure.subject_organisation_id).in_(organisation_ids([n]))
        ),
        "unit": equal_to(Figure.unit),
        "year": equal_to(Figure.year),
    }
