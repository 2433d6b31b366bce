"""Initiatives and policies: plans, concepts, formats and proposals that are not agreements."""

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from api.models.enums import DatePrecision, InitiativeKind, InitiativeRole, InitiativeStatus
from api.models.source import exactly_one


class Initiative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    title: str
    kind: InitiativeKind = Field(sa_type=String(20), index=True)
    status: InitiativeStatus = Field(default=InitiativeStatus.UNKNOWN, sa_type=String(20))
    date: str | None = Field(default=None, max_length=10)  # PartialDate text
    date_precision: DatePrecision | None = Field(default=None, sa_type=String(5))
    year: int | None = Field(default=None, index=True)
    summary: str | None = None


class InitiativeActor(SQLModel, table=True):
    """Who proposed, initiated, adopted or published an initiative, or what it concerns."""

    __tablename__ = "initiative_actor"
    __table_args__ = (
        CheckConstraint(
            exactly_one("state_id", "organisation_id", "person_id"), name="initiative_actor_one"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True, ondelete="CASCADE")
    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="CASCADE"
    )
    role: InitiativeRole = Field(sa_type=String(20))
    position: int = 0
