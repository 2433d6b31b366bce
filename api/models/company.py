"""Companies that act in the record: manufacturers that sign memoranda or build arms."""

from sqlmodel import Field, SQLModel


class Company(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    name: str = Field(index=True)
    country_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="SET NULL"
    )
    description: str | None = None
