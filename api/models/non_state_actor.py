"""Armed groups, rebel movements and rival governments that trade arms without being states."""

from sqlmodel import Field, SQLModel


class NonStateActor(SQLModel, table=True):
    """A non-state actor as a source names it (SIPRI marks them with `*`), never a state."""

    __tablename__ = "non_state_actor"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    name: str = Field(index=True)
    # The state a source places it in (SIPRI's parentheses: "PKK (Turkiye)*"), if it names one.
    country_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="SET NULL"
    )
    description: str | None = None
