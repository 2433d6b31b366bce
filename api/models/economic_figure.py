"""Economic and other figures the sources give, one indicator value per row."""

from sqlalchemy import CheckConstraint, Float, String
from sqlmodel import Field, SQLModel

from api.models.enums import FigureQualifier, FigureUnit
from api.models.source import exactly_one


class EconomicFigure(SQLModel, table=True):
    """A number as the source gives it: subject, partner, metric, value, unit, year, qualifier."""

    __tablename__ = "economic_figure"
    __table_args__ = (
        CheckConstraint(
            exactly_one("subject_state_id", "subject_organisation_id", "subject_person_id"),
            name="economic_figure_one_subject",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    metric: str = Field(index=True)
    value: float = Field(sa_type=Float)
    unit: FigureUnit = Field(sa_type=String(10))
    qualifier: FigureQualifier = Field(default=FigureQualifier.EXACT, sa_type=String(10))
    year: int | None = Field(default=None, index=True)
    period: str | None = None  # when no year is given: "post-Soviet period", "currently"
    subject_state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    subject_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    subject_person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="CASCADE"
    )
    partner_state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    note: str | None = None
