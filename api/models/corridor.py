"""Transport corridors and routes: where they run, how, who drives them, what they join."""

from sqlalchemy import JSON, CheckConstraint, Column, String
from sqlmodel import Field, SQLModel

from api.models.enums import CorridorKind, CorridorLinkKind, CorridorRole, CorridorStatus, StopKind
from api.models.source import exactly_one


class Corridor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    name: str = Field(index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: CorridorKind = Field(sa_type=String(20))
    modes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: CorridorStatus = Field(default=CorridorStatus.UNKNOWN, sa_type=String(20), index=True)
    summary: str | None = None


class CorridorStop(SQLModel, table=True):
    """One state, sea or region along a corridor, in order."""

    __tablename__ = "corridor_stop"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'STATE') = (state_id IS NOT NULL)", name="corridor_stop_state_kind"
        ),
        CheckConstraint("state_id IS NOT NULL OR name IS NOT NULL", name="corridor_stop_named"),
    )

    id: int | None = Field(default=None, primary_key=True)
    corridor_id: int = Field(foreign_key="corridor.id", index=True, ondelete="CASCADE")
    position: int
    kind: StopKind = Field(sa_type=String(10))
    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    name: str | None = None  # of a sea or region; a state's name comes from the state


class CorridorActor(SQLModel, table=True):
    """A state or organisation that initiated, coordinates, supports or has a stake in a route."""

    __tablename__ = "corridor_actor"
    __table_args__ = (
        CheckConstraint(exactly_one("state_id", "organisation_id"), name="corridor_actor_one"),
    )

    id: int | None = Field(default=None, primary_key=True)
    corridor_id: int = Field(foreign_key="corridor.id", index=True, ondelete="CASCADE")
    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    role: CorridorRole = Field(sa_type=String(20))
    position: int = 0


class CorridorLink(SQLModel, table=True):
    """A route a corridor connects to, or is compared with."""

    __tablename__ = "corridor_link"
    __table_args__ = (CheckConstraint("corridor_id <> other_id", name="corridor_link_distinct"),)

    id: int | None = Field(default=None, primary_key=True)
    corridor_id: int = Field(foreign_key="corridor.id", index=True, ondelete="CASCADE")
    other_id: int = Field(foreign_key="corridor.id", index=True, ondelete="CASCADE")
    kind: CorridorLinkKind = Field(sa_type=String(20))
    status: CorridorStatus | None = Field(default=None, sa_type=String(20))
    note: str | None = None
    position: int = 0
