"""Documents and the citations that tie every record to a quote from one of them."""

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint, text
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


class DocumentParagraph(SQLModel, table=True):
    """A numbered body paragraph of a document silkgraph holds, kept so coverage is a query."""

    __tablename__ = "document_paragraph"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    number: int
    section: str
    text: str = Field(sa_type=Text)


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
    "person",
    "office_holding",
    "event",
    "military_exercise",
    "corridor",
    "initiative",
    "economic_figure",
    "non_state_actor",
)


def subject_index(column: str) -> Index:
    """An index over one subject column of the exclusive arc, holding only the citations that
    have it: a citation fills one of the fifteen, so full indexes would write fourteen NULL
    entries for each citation an import adds (a SIPRI release adds 28,000). A lookup by
    subject (`= x`, `IN (…)`, a cascading delete) implies NOT NULL, so both back ends use
    it all the same."""
    return Index(
        f"ix_citation_{column}",
        column,
        sqlite_where=text(f"{column} IS NOT NULL"),
        postgresql_where=text(f"{column} IS NOT NULL"),
    )


def exactly_one(*columns: str) -> str:
    """SQL that holds when exactly one of `columns` is set: the exclusive-arc check."""
    return " + ".join(f"(CASE WHEN {c} IS NOT NULL THEN 1 ELSE 0 END)" for c in columns) + " = 1"


class Citation(SQLModel, table=True):
    """One piece of evidence for one record: which document, what it says, where."""

    __table_args__ = (
        CheckConstraint(
            exactly_one(*(f"{t}_id" for t in CITED_TABLES)), name="citation_one_subject"
        ),
        *(subject_index(f"{t}_id") for t in CITED_TABLES),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="RESTRICT")
    quote: str | None = Field(default=None, sa_type=Text)
    locator: str | None = None
    url: str | None = None
    position: int = Field(default=0, description="Order of the citation within its record.")
    # The body paragraph of the document the quote stands in, where silkgraph holds the text.
    paragraph: int | None = None

    state_id: int | None = Field(default=None, foreign_key="state.id", ondelete="CASCADE")
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="CASCADE"
    )
    organisation_name_id: int | None = Field(
        default=None, foreign_key="organisation_name.id", ondelete="CASCADE"
    )
    company_id: int | None = Field(default=None, foreign_key="company.id", ondelete="CASCADE")
    membership_id: int | None = Field(default=None, foreign_key="membership.id", ondelete="CASCADE")
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id", ondelete="CASCADE")
    arms_transfer_id: int | None = Field(
        default=None, foreign_key="arms_transfer.id", ondelete="CASCADE"
    )
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE")
    office_holding_id: int | None = Field(
        default=None, foreign_key="office_holding.id", ondelete="CASCADE"
    )
    event_id: int | None = Field(default=None, foreign_key="event.id", ondelete="CASCADE")
    military_exercise_id: int | None = Field(
        default=None, foreign_key="military_exercise.id", ondelete="CASCADE"
    )
    corridor_id: int | None = Field(default=None, foreign_key="corridor.id", ondelete="CASCADE")
    initiative_id: int | None = Field(default=None, foreign_key="initiative.id", ondelete="CASCADE")
    economic_figure_id: int | None = Field(
        default=None, foreign_key="economic_figure.id", ondelete="CASCADE"
    )
    non_state_actor_id: int | None = Field(
        default=None, foreign_key="non_state_actor.id", ondelete="CASCADE"
    )
