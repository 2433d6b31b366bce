"""Corridors seen from the states and bodies along or behind them, and their stops and links."""

from api import models
from schema.loaders.relations import Relation, through, union_link
from schema.pagination import Ordering, SortKey, by_id

Corridor = models.Corridor

CORRIDOR_ORDER = Ordering((SortKey("name", lambda c: c.name), by_id()))
POSITION_ORDER = Ordering((SortKey("position", lambda c: c.position), by_id()))

STOPS_BY_CORRIDOR_ID = Relation(
    name="stops_by_corridor_id",
    model=models.CorridorStop,
    parent=models.CorridorStop.corridor_id,
    ordering=POSITION_ORDER,
)
ACTORS_BY_CORRIDOR_ID = Relation(
    name="actors_by_corridor_id",
    model=models.CorridorActor,
    parent=models.CorridorActor.corridor_id,
    ordering=POSITION_ORDER,
)
LINKS_BY_CORRIDOR_ID = Relation(
    name="links_by_corridor_id",
    model=models.CorridorLink,
    parent=models.CorridorLink.corridor_id,
    ordering=POSITION_ORDER,
)
# A state's corridors: those running through it and those it initiated, backs or has a stake in.
CORRIDORS_BY_STATE_ID = through(
    "corridors_by_state_id",
    Corridor,
    union_link(
        "corridor_state",
        (models.CorridorStop.corridor_id, models.CorridorStop.state_id),
        (models.CorridorActor.corridor_id, models.CorridorActor.state_id),
    ),
    CORRIDOR_ORDER,
)
CORRIDORS_BY_ORGANISATION_ID = through(
    "corridors_by_organisation_id",
    Corridor,
    union_link(
        "corridor_organisation",
        (models.CorridorActor.corridor_id, models.CorridorActor.organisation_id),
    ),
    CORRIDOR_ORDER,
)
CORRIDORS_BY_EVENT_ID = through(
    "corridors_by_event_id",
    Corridor,
    union_link("corridor_event", (models.EventCorridor.corridor_id, models.EventCorridor.event_id)),
    CORRIDOR_ORDER,
)
