"""Who belongs to which organisation, in which role, over which years."""

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from api.models.enums import MembershipRole


class Membership(SQLModel, table=True):
    """A member (a state or an organisation) holding one role in an organisation for a time."""

    __table_args__ = (
        CheckConstraint(
            "(member_state_id IS NULL) <> (member_organisation_id IS NULL)",
            name="membership_one_member",
        ),
        CheckConstraint(
            "until_year IS NULL OR since_year IS NULL OR since_year <= until_year",
            name="membership_period_ordered",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    member_state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    member_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    role: MembershipRole = Field(sa_type=String(20), index=True)
    since: str | None = Field(default=None, max_length=10)  # PartialDate text
    since_year: int | None = Field(default=None, index=True)
    until: str | None = Field(default=None, max_length=10)
    until_year: int | None = None
    # When the start is not reported: the year the source says the role held, which is
    # what "as of" may rely on instead of an unknown start.
    attested_year: int | None = None
    note: str | None = None
