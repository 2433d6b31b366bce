"""People the sources name, and the offices they held."""

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, SQLModel


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    name: str = Field(index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    nationality_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="SET NULL"
    )
    description: str | None = None


class OfficeHolding(SQLModel, table=True):
    """One office a person held, in a state or an organisation, as far as sources date it."""

    __tablename__ = "office_holding"
    __table_args__ = (
        CheckConstraint(
            "state_id IS NULL OR organisation_id IS NULL", name="office_holding_one_body"
        ),
        CheckConstraint(
            "until_year IS NULL OR since_year IS NULL OR since_year <= until_year",
            name="office_holding_period_ordered",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    office: str
    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    since: str | None = Field(default=None, max_length=10)  # PartialDate text
    since_year: int | None = Field(default=None, index=True)
    until: str | None = Field(default=None, max_length=10)
    until_year: int | None = None
    # When the period is not reported: the year the source says the office was held.
    attested_year: int | None = Field(default=None, index=True)
    position: int = 0
    note: str | None = None
