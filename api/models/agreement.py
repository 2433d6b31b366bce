"""Agreements in the broad sense (treaties, declarations, memoranda …) and who is party to them."""

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from api.models.enums import AgreementKind, AgreementStatus, DatePrecision, PartyRole


class Agreement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    title: str
    kind: AgreementKind = Field(sa_type=String(20), index=True)
    date: str | None = Field(default=None, max_length=10)  # PartialDate text, sorts correctly
    date_precision: DatePrecision | None = Field(default=None, sa_type=String(5))
    year: int | None = Field(default=None, index=True)
    place: str | None = None
    summary: str | None = None
    status: AgreementStatus = Field(default=AgreementStatus.UNKNOWN, sa_type=String(20))


class AgreementParty(SQLModel, table=True):
    """One party to an agreement: a state, an organisation or a company."""

    __tablename__ = "agreement_party"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN state_id IS NOT NULL THEN 1 ELSE 0 END)"
            " + (CASE WHEN organisation_id IS NOT NULL THEN 1 ELSE 0 END)"
            " + (CASE WHEN company_id IS NOT NULL THEN 1 ELSE 0 END) = 1",
            name="agreement_party_one_party",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    company_id: int | None = Field(
        default=None, foreign_key="company.id", index=True, ondelete="CASCADE"
    )
    role: PartyRole = Field(default=PartyRole.SIGNATORY, sa_type=String(20))
    position: int = 0
