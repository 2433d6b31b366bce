"""People: what `people(filter:)` accepts."""

from typing import Any

import strawberry
from sqlalchemy import ColumnElement, or_, select
from sqlmodel import col

from api import models
from schema.filters.base import (
    Criterion,
    FilterInput,
    name,
    organisation_ids,
    state_code,
    state_ids,
)

Person = models.Person
Office = models.OfficeHolding


def _holding(condition: Any) -> ColumnElement[bool]:
    """People with an office that meets `condition`."""
    return col(Person.id).in_(select(col(Office.person_id)).where(condition))


def _of_state(code: str) -> ColumnElement[bool]:
    ids = state_ids([code])
    return or_(col(Person.nationality_id).in_(ids), _holding(col(Office.state_id).in_(ids)))


@strawberry.input(description="Narrows people; all given conditions must hold.")
class PersonFilter(FilterInput):
    state: str | None = strawberry.field(
        default=None, description="Nationality or the state of an office held (code, any case)."
    )
    organisation: str | None = strawberry.field(
        default=None, description="The organisation of an office held (acronym, any case)."
    )

    criteria_of = {
        "state": Criterion(state_code, _of_state),
        "organisation": Criterion(
            name, lambda n: _holding(col(Office.organisation_id).in_(organisation_ids([n])))
        ),
    }
