"""The shape of a fixture file: pydantic models that every record passes before anything is written.

Records refer to each other by natural keys (state codes, organisation acronyms, company,
agreement and document keys), never by database ids, so files stay readable and reloadable.
"""

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from api.models.dates import PartialDateText
from api.models.enums import (
    AgreementKind,
    AgreementStatus,
    CodeAssignment,
    CorridorKind,
    CorridorLinkKind,
    CorridorRole,
    CorridorStatus,
    EventKind,
    ExerciseFormat,
    FigureQualifier,
    FigureUnit,
    InitiativeKind,
    InitiativeRole,
    InitiativeStatus,
    MembershipRole,
    OrganisationKind,
    OutcomeKind,
    ParticipantRole,
    PartyRole,
    TransferStatus,
    TransportMode,
    WeaponCategory,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
Year = Annotated[int, Field(ge=1000, le=2999)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SourceIn(Strict):
    """Evidence for a record. `locator` is computed for documents whose text silkgraph holds."""

    document: Key
    quote: Text | None = None
    locator: Text | None = None
    url: Text | None = None


class Cited(Strict):
    sources: list[SourceIn] = Field(min_length=1)


class DocumentIn(Strict):
    key: Key
    title: Text
    author: Text | None = None
    publisher: Text | None = None
    published: PartialDateText | None = None
    url: Text | None = None
    text: Text | None = Field(
        default=None, description="Path of the full text, relative to the file."
    )
    text_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None

    @model_validator(mode="after")
    def _hash_with_text(self) -> Self:
        if (self.text is None) != (self.text_sha256 is None):
            raise ValueError("text and text_sha256 go together: give both or neither")
        return self


class StateIn(Cited):
    """A state the ISO list lacks, or facts that enrich an ISO state."""

    code: StateCode
    code_assignment: CodeAssignment | None = None
    name: Text | None = None
    official_name: Text | None = None
    aliases: list[Text] = Field(default_factory=list)
    region: Text | None = None
    continent: Text | None = None
    recognition_note: Text | None = None


class FormerNameIn(Cited):
    name: Text
    from_year: Year | None = Field(default=None, alias="from")
    until_year: Year | None = Field(default=None, alias="until")


class OrganisationIn(Cited):
    acronym: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    name: Text
    kind: OrganisationKind
    founded: Year | None = None
    headquarters: Text | None = None
    headquarters_state: StateCode | None = None
    parent: Text | None = None
    description: Text | None = None
    former_names: list[FormerNameIn] = Field(default_factory=list)


class CompanyIn(Cited):
    key: Key
    name: Text
    country: StateCode | None = None
    description: Text | None = None


class ActorRef(Strict):
    """Exactly one of a state code, an organisation acronym or a company key."""

    state: StateCode | None = None
    organisation: Text | None = None
    company: Key | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [name for name in ("state", "organisation", "company") if getattr(self, name)]
        if len(given) != 1:
            named = ", ".join(given) or "none"
            raise ValueError(f"name exactly one of state, organisation, company (got {named})")
        return self

    @property
    def label(self) -> str:
        return self.state or self.organisation or self.company or "?"


class MembershipIn(Cited):
    key: Annotated[str, StringConstraints(max_length=200)] | None = None
    organisation: Text
    member: ActorRef
    role: MembershipRole
    since: PartialDateText | None = None
    until: PartialDateText | None = None
    attested: Year | None = Field(
        default=None, description="Year the source says the role held, when `since` is unknown."
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _member_and_period(self) -> Self:
        if self.member.company:
            raise ValueError("member: a company cannot be a member of an organisation")
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self

    @property
    def natural_key(self) -> str:
        return self.key or "/".join(
            (self.organisation, self.member.label, self.role.value, self.since or "-")
        )


class PartyIn(ActorRef):
    role: PartyRole = PartyRole.SIGNATORY


class AgreementIn(Cited):
    key: Key
    title: Text
    kind: AgreementKind
    date: PartialDateText | None = None
    place: Text | None = None
    summary: Text | None = None
    status: AgreementStatus = AgreementStatus.UNKNOWN
    parties: list[PartyIn] = Field(min_length=1)


class FinancingIn(Strict):
    amount: Annotated[int, Field(gt=0)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class ArmsTransferIn(Cited):
    key: Key
    supplier: StateCode | None = None
    recipient: StateCode | None = None
    weapon_designation: Text | None = None
    weapon_category: WeaponCategory
    weapon_description: Text | None = None
    number_ordered: Annotated[int, Field(gt=0)] | None = None
    number_delivered: Annotated[int, Field(ge=0)] | None = None
    order_year: Year | None = None
    delivery_years: list[Year] = Field(default_factory=list)
    status: TransferStatus
    financing: FinancingIn | None = None
    agreement: Key | None = None
    comments: Text | None = None


def _one_of(record: BaseModel, names: tuple[str, ...]) -> None:
    given = [name for name in names if getattr(record, name) is not None]
    if len(given) != 1:
        raise ValueError(
            f"name exactly one of {', '.join(names)} (got {', '.join(given) or 'none'})"
        )


class ParticipantRef(Strict):
    """Exactly one of a state code, an organisation acronym or a person key."""

    state: StateCode | None = None
    organisation: Text | None = None
    person: Key | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        _one_of(self, ("state", "organisation", "person"))
        return self

    @property
    def label(self) -> str:
        return self.state or self.organisation or self.person or "?"


class OfficeIn(Cited):
    """An office a person held; `state` or `organisation` names where, if the source says."""

    office: Text
    state: StateCode | None = None
    organisation: Text | None = None
    since: PartialDateText | None = None
    until: PartialDateText | None = None
    attested: Year | None = Field(
        default=None, description="Year the source says the office was held, when undated."
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _body_and_period(self) -> Self:
        if self.state and self.organisation:
            raise ValueError("name at most one of state, organisation")
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self


class PersonIn(Cited):
    key: Key
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    nationality: StateCode | None = None
    description: Text | None = None
    offices: list[OfficeIn] = Field(default_factory=list)


class ParticipantIn(ParticipantRef):
    role: ParticipantRole = ParticipantRole.ATTENDEE
    note: Text | None = None


class OutcomeIn(Strict):
    """What an event produced: exactly one agreement, membership, organisation or initiative."""

    kind: OutcomeKind
    agreement: Key | None = None
    membership: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None, description="The membership's natural key (OTS/XNC/OBSERVER/2022-11)."
    )
    organisation: Text | None = None
    initiative: Key | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        _one_of(self, ("agreement", "membership", "organisation", "initiative"))
        return self


class EventIn(Cited):
    key: Key
    title: Text
    kind: EventKind
    number: Annotated[int, Field(gt=0)] | None = None
    date: PartialDateText | None = None
    city: Text | None = None
    place_state: StateCode | None = None
    organisation: Text | None = Field(default=None, description="The organising organisation.")
    parent: Key | None = Field(default=None, description="The event it was held alongside.")
    summary: Text | None = None
    participants: list[ParticipantIn] = Field(default_factory=list)
    outcomes: list[OutcomeIn] = Field(default_factory=list)
    corridors: list[Key] = Field(default_factory=list, description="Corridors on its agenda.")


class OrganiserRef(Strict):
    state: StateCode | None = None
    organisation: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        _one_of(self, ("state", "organisation"))
        return self


class ExerciseIn(Cited):
    key: Key
    name: Text
    series: Text | None = None
    date: PartialDateText | None = None
    host_state: StateCode | None = None
    organiser: OrganiserRef | None = None
    format: ExerciseFormat | None = None
    focus: Text | None = None
    summary: Text | None = None
    participants: list[StateCode] = Field(default_factory=list)


class StopIn(Strict):
    """A point along a corridor: a state, a sea or a region."""

    state: StateCode | None = None
    sea: Text | None = None
    region: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        _one_of(self, ("state", "sea", "region"))
        return self


class CorridorActorIn(OrganiserRef):
    role: CorridorRole


class CorridorLinkIn(Strict):
    corridor: Key
    kind: CorridorLinkKind
    status: CorridorStatus | None = None
    note: Text | None = None


class CorridorIn(Cited):
    key: Key
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    kind: CorridorKind
    modes: list[TransportMode] = Field(default_factory=list)
    status: CorridorStatus = CorridorStatus.UNKNOWN
    summary: Text | None = None
    stops: list[StopIn] = Field(default_factory=list)
    actors: list[CorridorActorIn] = Field(default_factory=list)
    links: list[CorridorLinkIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_linked_to_itself(self) -> Self:
        if any(link.corridor == self.key for link in self.links):
            raise ValueError(f"links: {self.key} cannot link to itself")
        return self


class InitiativeActorIn(ParticipantRef):
    role: InitiativeRole


class InitiativeIn(Cited):
    key: Key
    title: Text
    kind: InitiativeKind
    status: InitiativeStatus = InitiativeStatus.UNKNOWN
    date: PartialDateText | None = None
    summary: Text | None = None
    actors: list[InitiativeActorIn] = Field(default_factory=list)


class EconomicFigureIn(Cited):
    key: Key
    metric: Text
    value: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    unit: FigureUnit
    qualifier: FigureQualifier = FigureQualifier.EXACT
    year: Year | None = None
    period: Text | None = None
    subject: ParticipantRef
    partner: StateCode | None = None
    note: Text | None = None


class FixtureFile(Strict):
    """One YAML file; each top-level key is a section holding records of one kind."""

    documents: list[DocumentIn] = Field(default_factory=list)
    states: list[StateIn] = Field(default_factory=list)
    organisations: list[OrganisationIn] = Field(default_factory=list)
    companies: list[CompanyIn] = Field(default_factory=list)
    memberships: list[MembershipIn] = Field(default_factory=list)
    agreements: list[AgreementIn] = Field(default_factory=list)
    arms_transfers: list[ArmsTransferIn] = Field(default_factory=list)
    people: list[PersonIn] = Field(default_factory=list)
    initiatives: list[InitiativeIn] = Field(default_factory=list)
    corridors: list[CorridorIn] = Field(default_factory=list)
    events: list[EventIn] = Field(default_factory=list)
    military_exercises: list[ExerciseIn] = Field(default_factory=list)
    economic_figures: list[EconomicFigureIn] = Field(default_factory=list)


# How a raw record is named in an error message, per section.
RECORD_LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "documents": ("key",),
    "states": ("code",),
    "organisations": ("acronym",),
    "companies": ("key",),
    "memberships": ("natural_key", "key", "organisation"),
    "agreements": ("key",),
    "arms_transfers": ("key",),
    "people": ("key",),
    "initiatives": ("key",),
    "corridors": ("key",),
    "events": ("key",),
    "military_exercises": ("key",),
    "economic_figures": ("key",),
}
