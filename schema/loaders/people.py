"""People, the offices they held, and who held offices in a state or organisation."""

from sqlalchemy import func

from api import models
from schema.loaders.relations import Relation, scope_conditions
from schema.pagination import Ordering, SortKey, by_id

PERSON_ORDER = Ordering((SortKey("name", lambda c: c.name), by_id()))
# Offices by when they were held (dated or attested), undated last, then as listed.
OFFICE_ORDER = Ordering(
    (
        SortKey("year", lambda c: func.coalesce(c.since_year, c.attested_year, c.until_year, 9999)),
        SortKey("position", lambda c: c.position),
        by_id(),
    )
)


def _offices_by(name: str, parent: object) -> Relation:
    return Relation(
        name=name,
        model=models.OfficeHolding,
        parent=parent,
        ordering=OFFICE_ORDER,
        conditions=scope_conditions,
    )


OFFICES_BY_PERSON_ID = _offices_by("offices_by_person_id", models.OfficeHolding.person_id)
OFFICES_BY_STATE_ID = _offices_by("offices_by_state_id", models.OfficeHolding.state_id)
OFFICES_BY_ORGANISATION_ID = _offices_by(
    "offices_by_organisation_id", models.OfficeHolding.organisation_id
)
PEOPLE_BY_NATIONALITY_ID = Relation(
    name="people_by_nationality_id",
    model=models.Person,
    parent=models.Person.nationality_id,
    ordering=PERSON_ORDER,
    conditions=scope_conditions,
)
