"""Documents and the citations that tie every record to a quote from one of them."""

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    """A work cited as evidence: the paper, a reference dataset, a SIPRI edition."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=100)
    title: str
    author: str | None = None
    publisher: str | None = None
    published: str | None = Field(default=None, max_length=10)  # PartialDate text
    url: str | None = None
    # The full text where silkgraph holds it: quotes are checked and located against it.
    full_text: str | None = Field(default=None, sa_type=Text)
    text_sha256: str | None = Field(default=None, max_length=64)


# A citation belongs to exactly one record; each kind of record has its own nullable
# foreign key (an "exclusive arc"), so the database itself keeps citations from dangling.
CITED_TABLES: tuple[str, ...] = (
    "state",
    "organisation",
    "organisation_name",
    "company",
    "membership",
    "agreement",
    "arms_transfer",
    "non_state_actor",
)


def _exactly_one(columns: tuple[str, ...]) -> str:
    return " + ".join(f"(CASE WHEN {c} IS NOT NULL THEN 1 ELSE 0 END)" for c in columns) + " = 1"


class Citation(SQLModel, table=True):
    """One piece of evidence for one record: which document, what it says, where."""

    __table_args__ = (
        CheckConstraint(
            _exactly_one(tuple(f"{t}_id" for t in CITED_TABLES)), name="citation_one_subject"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="RESTRICT")
    quote: str | None = Field(default=None, sa_type=Text)
    locator: str | None = None
    url: str | None = None
    position: int = Field(default=0, description="Order of the citation within its record.")

    state_id: int | None = Field(
        default=None, foreign_key="state.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    organisation_name_id: int | None = Field(
        default=None, foreign_key="organisation_name.id", index=True, ondelete="CASCADE"
    )
    company_id: int | None = Field(
        default=None, foreign_key="company.id", index=True, ondelete="CASCADE"
    )
    membership_id: int | None = Field(
        default=None, foreign_key="membership.id", index=True, ondelete="CASCADE"
    )
    agreement_id: int | None = Field(
        default=None, foreign_key="agreement.id", index=True, ondelete="CASCADE"
    )
    arms_transfer_id: int | None = Field(
        default=None, foreign_key="arms_transfer.id", index=True, ondelete="CASCADE"
    )
    non_state_actor_id: int | None = Field(
        default=None, foreign_key="non_state_actor.id", index=True, ondelete="CASCADE"
    )
