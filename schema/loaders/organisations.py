"""An organisation's bodies, former names, and the companies based in a state."""

from sqlalchemy import func

from api import models
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
FORMER_NAMES_BY_ORGANISATION_ID = Relation(
    name="former_names_by_organisation_id",
    model=models.OrganisationName,
    parent=models.OrganisationName.organisation_id,
    ordering=FORMER_NAME_ORDER,
)
COMPANIES_BY_COUNTRY_ID = Relation(
    name="companies_by_country_id",
    model=models.Company,
    parent=models.Company.country_id,
    ordering=NAME_ORDER,
)
