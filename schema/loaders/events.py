"""Events seen from their participants, organisers, places, outcomes and agendas, and back."""

from sqlalchemy import func

from api import models
from schema.loaders.relations import Relation, through, union_link
from schema.pagination import Ordering, SortKey, by_id

# Chronological; undated events last.
EVENT_ORDER = Ordering((SortKey("date", lambda c: func.coalesce(c.date, "9999")), by_id()))
POSITION_ORDER = Ordering((SortKey("position", lambda c: c.position), by_id()))

Event = models.Event
Participant = models.EventParticipant
Outcome = models.EventOutcome

PARTICIPANTS_BY_EVENT_ID = Relation(
    name="participants_by_event_id",
    model=Participant,
    parent=Participant.event_id,
    ordering=POSITION_ORDER,
)
OUTCOMES_BY_EVENT_ID = Relation(
    name="outcomes_by_event_id", model=Outcome, parent=Outcome.event_id, ordering=POSITION_ORDER
)
SIDE_EVENTS_BY_PARENT_ID = Relation(
    name="side_events_by_parent_id", model=Event, parent=Event.parent_id, ordering=EVENT_ORDER
)

# A state's events: those it took part in and those held on its soil.
EVENTS_BY_STATE_ID = through(
    "events_by_state_id",
    Event,
    union_link(
        "event_state",
        (Participant.event_id, Participant.state_id),
        (Event.id, Event.place_state_id),
    ),
    EVENT_ORDER,
)
# An organisation's events: those it took part in, organised, or came out of.
EVENTS_BY_ORGANISATION_ID = through(
    "events_by_organisation_id",
    Event,
    union_link(
        "event_organisation",
        (Participant.event_id, Participant.organisation_id),
        (Event.id, Event.organisation_id),
        (Outcome.event_id, Outcome.organisation_id),
    ),
    EVENT_ORDER,
)
EVENTS_BY_PERSON_ID = through(
    "events_by_person_id",
    Event,
    union_link("event_person", (Participant.event_id, Participant.person_id)),
    EVENT_ORDER,
)


def _events_producing(name: str, column: object) -> Relation:
    return through(name, Event, union_link(name, (Outcome.event_id, column)), EVENT_ORDER)


EVENTS_BY_OUTCOME_AGREEMENT_ID = _events_producing(
    "events_by_outcome_agreement_id", Outcome.agreement_id
)
EVENTS_BY_OUTCOME_MEMBERSHIP_ID = _events_producing(
    "events_by_outcome_membership_id", Outcome.membership_id
)
EVENTS_BY_OUTCOME_INITIATIVE_ID = _events_producing(
    "events_by_outcome_initiative_id", Outcome.initiative_id
)
EVENTS_BY_CORRIDOR_ID = through(
    "events_by_corridor_id",
    Event,
    union_link(
        "event_corridor_link",
        (models.EventCorridor.event_id, models.EventCorridor.corridor_id),
    ),
    EVENT_ORDER,
)
