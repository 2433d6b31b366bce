"""Initiatives seen from who proposed, adopted or realises them, and their actors."""

from sqlalchemy import func

from api import models
from schema.loaders.relations import Relation, through, union_link
from schema.pagination import Ordering, SortKey, by_id

Initiative = models.Initiative
Actor = models.InitiativeActor

# Chronological, undated last.
INITIATIVE_ORDER = Ordering((SortKey("date", lambda c: func.coalesce(c.date, "9999")), by_id()))
POSITION_ORDER = Ordering((SortKey("position", lambda c: c.position), by_id()))

ACTORS_BY_INITIATIVE_ID = Relation(
    name="actors_by_initiative_id",
    model=Actor,
    parent=Actor.initiative_id,
    ordering=POSITION_ORDER,
)


def _initiatives_by(name: str, column: object) -> Relation:
    return through(
        name, Initiative, union_link(name, (Actor.initiative_id, column)), INITIATIVE_ORDER
    )


INITIATIVES_BY_STATE_ID = _initiatives_by("initiatives_by_state_id", Actor.state_id)
INITIATIVES_BY_ORGANISATION_ID = _initiatives_by(
    "initiatives_by_organisation_id", Actor.organisation_id
)
INITIATIVES_BY_PERSON_ID = _initiatives_by("initiatives_by_person_id", Actor.person_id)
