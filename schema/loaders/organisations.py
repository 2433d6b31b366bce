"""An organisation's bodies, former names, and the companies based in a state."""

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import col

from api import models
from schema.filters.base import Criteria, Criterion, as_is, criteria_conditions
from schema.loaders.relations import Relation
from schema.pagination import Ordering, SortKey, by_id

ACRONYM_ORDER = Ordering((SortKey("acronym", lambda c: func.lower(c.acronym)), by_id()))
NAME_ORDER = Ordering((SortKey("name", lambda c: c.name), by_id()))
FORMER_NAME_ORDER = Ordering((SortKey("from", lambda c: func.coalesce(c.from_year, 0)), by_id()))

SUBSIDIARIES_BY_PARENT_ID = Relation(
    name="subsidiaries_by_parent_id",
    model=models.Organisation,
    parent=models.Organisation.parent_id,
    ordering=ACRONYM_ORDER,
)


def name_in_use(year: int) -> ColumnElement[bool]:
    """A former name in use in `year`: not yet given up (the year it was given up no longer
    counts, as with memberships) and taken by then, an unknown first year counting as taken."""
    name = models.OrganisationName
    return or_(col(name.from_year).is_(None), col(name.from_year) <= year) & or_(
        col(name.until_year).is_(None), col(name.until_year) > year
    )


NAME_IN_USE = Criterion(as_is, name_in_use)


def names_in_use(year: int | None) -> Criteria | None:
    """The scope of former names asked `asOf: year`."""
    return Criteria(((NAME_IN_USE, year),)) if year is not None else None


FORMER_NAMES_BY_ORGANISATION_ID = Relation(
    name="former_names_by_organisation_id",
    model=models.OrganisationName,
    parent=models.OrganisationName.organisation_id,
    ordering=FORMER_NAME_ORDER,
    conditions=criteria_conditions,
)
COMPANIES_BY_COUNTRY_ID = Relation(
    name="companies_by_country_id",
    model=models.Company,
    parent=models.Company.country_id,
    ordering=NAME_ORDER,
)
