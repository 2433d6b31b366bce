"""Events: summits, meetings, conferences, fairs; who took part and what came out of them."""

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from api.models.enums import DatePrecision, EventKind, OutcomeKind, ParticipantRole
from api.models.source import exactly_one


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    title: str
    kind: EventKind = Field(sa_type=String(30), index=True)
    number: int | None = None  # its ordinal in a series: the eighth summit, the seventh meeting
    date: str | None = Field(default=None, max_length=10)  # PartialDate text, sorts correctly
    date_precision: DatePrecision | None = Field(default=None, sa_type=String(5))
    year: int | None = Field(default=None, index=True)
    city: str | None = None
    place_state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="SET NULL"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    # An event held on the sidelines of, or as part of, another.
    parent_id: int | None = Field(
        default=None, foreign_key="event.id", index=True, ondelete="SET NULL"
    )
    summary: str | None = None


class EventParticipant(SQLModel, table=True):
    """One participant of an event: a state, an organisation or a person, in a role."""

    __tablename__ = "event_participant"
    __table_args__ = (
        CheckConstraint(
            exactly_one("state_id", "organisation_id", "person_id"),
            name="event_participant_one_participant",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="CASCADE"
    )
    role: ParticipantRole = Field(default=ParticipantRole.ATTENDEE, sa_type=String(20))
    note: str | None = None
    position: int = 0


class EventOutcome(SQLModel, table=True):
    """Something an event produced: an agreement, a membership, a body, an initiative."""

    __tablename__ = "event_outcome"
    __table_args__ = (
        CheckConstraint(
            exactly_one("agreement_id", "membership_id", "organisation_id", "initiative_id"),
            name="event_outcome_one_outcome",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    kind: OutcomeKind = Field(sa_type=String(20))
    agreement_id: int | None = Field(
        default=None, foreign_key="agreement.id", index=True, ondelete="CASCADE"
    )
    membership_id: int | None = Field(
        default=None, foreign_key="membership.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    initiative_id: int | None = Field(
        default=None, foreign_key="initiative.id", index=True, ondelete="CASCADE"
    )
    position: int = 0


class EventCorridor(SQLModel, table=True):
    """A transport corridor on an event's agenda."""

    __tablename__ = "event_corridor"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    corridor_id: int = Field(foreign_key="corridor.id", index=True, ondelete="CASCADE")
