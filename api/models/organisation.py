"""International organisations, formats and agencies, with the names they used to carry."""

from sqlalchemy import Index, String, func, literal_column
from sqlmodel import Field, SQLModel

from api.models.enums import OrganisationKind


class Organisation(SQLModel, table=True):
    __table_args__ = (
        # Look-ups by acronym ignore case, so uniqueness must too.
        Index("ix_organisation_acronym_lower", func.lower(literal_column("acronym")), unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The acronym, or the customary short name where the body has none ("Turkic Academy").
    acronym: str = Field(max_length=60)
    name: str = Field(index=True)
    kind: OrganisationKind = Field(sa_type=String(40), index=True)
    founded_year: int | None = None
    headquarters: str | None = None
    headquarters_state_id: int | None = Field(
        default=None, foreign_key="state.id", ondelete="SET NULL"
    )
    parent_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="SET NULL"
    )
    description: str | None = None
    # Its number in the Correlates of War IGO data (`ionum`), which re-imports match it by.
    cow_number: int | None = Field(default=None, unique=True, index=True)


class OrganisationName(SQLModel, table=True):
    """A name an organisation carried in the past, with the years it was in use."""

    __tablename__ = "organisation_name"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    name: str
    from_year: int | None = None
    until_year: int | None = None
