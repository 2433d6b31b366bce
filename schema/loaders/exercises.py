"""Military exercises seen from the states and organisations that held or joined them."""

from sqlalchemy import func

from api import models
from schema.loaders.relations import through, union_link
from schema.pagination import Ordering, SortKey, by_id

Exercise = models.MilitaryExercise
Participant = models.ExerciseParticipant

# Chronological, undated last, then by name.
EXERCISE_ORDER = Ordering(
    (
        SortKey("date", lambda c: func.coalesce(c.date, "9999")),
        SortKey("name", lambda c: c.name),
        by_id(),
    )
)
STATE_CODE_ORDER = Ordering((SortKey("code", lambda c: c.code), by_id()))

# A state's exercises: joined, hosted or organised.
EXERCISES_BY_STATE_ID = through(
    "exercises_by_state_id",
    Exercise,
    union_link(
        "exercise_state",
        (Participant.exercise_id, Participant.state_id),
        (Exercise.id, Exercise.host_state_id),
        (Exercise.id, Exercise.organiser_state_id),
    ),
    EXERCISE_ORDER,
)
EXERCISES_BY_ORGANISER_ORGANISATION_ID = through(
    "exercises_by_organiser_organisation_id",
    Exercise,
    union_link("exercise_organisation", (Exercise.id, Exercise.organiser_organisation_id)),
    EXERCISE_ORDER,
)
PARTICIPANTS_BY_EXERCISE_ID = through(
    "participants_by_exercise_id",
    models.State,
    union_link("exercise_participant_link", (Participant.state_id, Participant.exercise_id)),
    STATE_CODE_ORDER,
)
