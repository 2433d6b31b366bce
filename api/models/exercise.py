"""Military exercises: who held, organised and joined them, when and where."""

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from api.models.enums import DatePrecision, ExerciseFormat


class MilitaryExercise(SQLModel, table=True):
    """One exercise, or one holding of a recurring series (Unity 2024, Unity 2025)."""

    __tablename__ = "military_exercise"
    __table_args__ = (
        CheckConstraint(
            "organiser_state_id IS NULL OR organiser_organisation_id IS NULL",
            name="military_exercise_one_organiser",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    name: str
    series: str | None = Field(default=None, index=True)
    date: str | None = Field(default=None, max_length=10)  # PartialDate text
    date_precision: DatePrecision | None = Field(default=None, sa_type=String(5))
    year: int | None = Field(default=None, index=True)
    host_state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="SET NULL"
    )
    organiser_state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="SET NULL"
    )
    organiser_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    format: ExerciseFormat | None = Field(default=None, sa_type=String(20), index=True)
    focus: str | None = None
    summary: str | None = None


class ExerciseParticipant(SQLModel, table=True):
    """A state taking part in an exercise."""

    __tablename__ = "exercise_participant"

    id: int | None = Field(default=None, primary_key=True)
    exercise_id: int = Field(foreign_key="military_exercise.id", index=True, ondelete="CASCADE")
    state_id: int = Field(foreign_key="state.id", index=True, ondelete="CASCADE")
    position: int = 0
