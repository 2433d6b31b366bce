"""Closed vocabularies shared by the tables, the fixtures and the GraphQL enums."""

from enum import StrEnum


class CodeAssignment(StrEnum):
    """Where a state's three-letter code comes from."""

    ISO_3166_1 = "ISO_3166_1"  # current ISO country
    ISO_3166_3 = "ISO_3166_3"  # formerly used code of a state that no longer exists
    USER_ASSIGNED = "USER_ASSIGNED"  # silkgraph's own, from ISO's user-assigned X-range


class OrganisationKind(StrEnum):
    INTERGOVERNMENTAL_ORGANISATION = "INTERGOVERNMENTAL_ORGANISATION"
    SUPRANATIONAL_UNION = "SUPRANATIONAL_UNION"
    MILITARY_ALLIANCE = "MILITARY_ALLIANCE"
    PARLIAMENTARY_ASSEMBLY = "PARLIAMENTARY_ASSEMBLY"
    ORGAN = "ORGAN"  # a principal organ of another organisation (UN Security Council)
    SUBSIDIARY_BODY = "SUBSIDIARY_BODY"  # committee, working group, alliance under a parent
    RESEARCH_INSTITUTION = "RESEARCH_INSTITUTION"
    DEVELOPMENT_AGENCY = "DEVELOPMENT_AGENCY"
    GOVERNMENT_AGENCY = "GOVERNMENT_AGENCY"
    REGIONAL_FORMAT = "REGIONAL_FORMAT"  # a standing meeting format without a treaty
    ASSOCIATION = "ASSOCIATION"


class MembershipRole(StrEnum):
    MEMBER = "MEMBER"
    ASSOCIATE = "ASSOCIATE"  # associate member (COW IGO status 2)
    OBSERVER = "OBSERVER"
    SUSPENDED = "SUSPENDED"
    CANDIDATE = "CANDIDATE"
    GUEST = "GUEST"
    PARTNER = "PARTNER"
    FOUNDING_MEMBER = "FOUNDING_MEMBER"


class AgreementKind(StrEnum):
    TREATY = "TREATY"
    AGREEMENT = "AGREEMENT"
    DECLARATION = "DECLARATION"
    MEMORANDUM = "MEMORANDUM"
    PROTOCOL = "PROTOCOL"
    CONCEPT = "CONCEPT"
    RESOLUTION = "RESOLUTION"
    CATALOGUE = "CATALOGUE"
    OTHER = "OTHER"


class AgreementStatus(StrEnum):
    SIGNED = "SIGNED"
    ADOPTED = "ADOPTED"
    IN_FORCE = "IN_FORCE"
    NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
    TERMINATED = "TERMINATED"
    UNKNOWN = "UNKNOWN"


class PartyRole(StrEnum):
    SIGNATORY = "SIGNATORY"  # signed it
    ADOPTER = "ADOPTER"  # adopted it (declarations, concepts, resolutions)
    ISSUER = "ISSUER"  # the body in whose name it was issued


class DatePrecision(StrEnum):
    YEAR = "YEAR"
    MONTH = "MONTH"
    DAY = "DAY"


class TransferStatus(StrEnum):
    """How far an arms deal has got, as far as its sources tell."""

    UNDER_DISCUSSION = "UNDER_DISCUSSION"  # interest or talks reported, no order
    PLANNED = "PLANNED"
    CO_PRODUCTION_PLANNED = "CO_PRODUCTION_PLANNED"
    FUNDED = "FUNDED"  # money allocated for a purchase, items not named
    ORDERED = "ORDERED"
    SUPPLIED = "SUPPLIED"  # deliveries reported without order or delivery details
    PARTLY_DELIVERED = "PARTLY_DELIVERED"  # some delivered; the rest not (yet) reported delivered
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class TransferCondition(StrEnum):
    """Whether the items were new or used when transferred (SIPRI's `status` column)."""

    NEW = "NEW"
    SECOND_HAND = "SECOND_HAND"
    SECOND_HAND_MODERNISED = "SECOND_HAND_MODERNISED"  # used, but modernised before delivery


class WeaponCategory(StrEnum):
    """SIPRI's categories of major conventional arms, plus what the paper names beyond them."""

    AIRCRAFT = "AIRCRAFT"
    AIR_DEFENCE_SYSTEMS = "AIR_DEFENCE_SYSTEMS"
    ANTI_SUBMARINE_WARFARE = "ANTI_SUBMARINE_WARFARE"
    ARMOURED_VEHICLES = "ARMOURED_VEHICLES"
    ARTILLERY = "ARTILLERY"
    ENGINES = "ENGINES"
    MISSILES = "MISSILES"
    NAVAL_WEAPONS = "NAVAL_WEAPONS"
    SATELLITES = "SATELLITES"
    SENSORS = "SENSORS"
    SHIPS = "SHIPS"
    SMALL_ARMS = "SMALL_ARMS"
    MIXED = "MIXED"  # a package spanning categories ("weapons, ammunition, UAVs")
    OTHER = "OTHER"


class EventKind(StrEnum):
    SUMMIT = "SUMMIT"  # a meeting of heads of state or government
    MINISTERIAL_MEETING = "MINISTERIAL_MEETING"
    TRILATERAL_MEETING = "TRILATERAL_MEETING"
    HIGH_LEVEL_MEETING = "HIGH_LEVEL_MEETING"
    OFFICIALS_MEETING = "OFFICIALS_MEETING"  # heads of agencies, security council secretaries
    CONFERENCE = "CONFERENCE"
    FAIR = "FAIR"
    SPEECH = "SPEECH"
    STRATEGY_SESSION = "STRATEGY_SESSION"
    REORGANISATION = "REORGANISATION"  # bodies abolished or created
    WAR = "WAR"
    OTHER = "OTHER"


class ParticipantRole(StrEnum):
    HOST = "HOST"
    ATTENDEE = "ATTENDEE"
    GUEST_OF_HONOUR = "GUEST_OF_HONOUR"
    SPEAKER = "SPEAKER"
    ABSENT = "ABSENT"  # the source says it did not attend
    PARTY = "PARTY"  # a side in a war
    SUPPORTER = "SUPPORTER"  # backed a side without being one


class OutcomeKind(StrEnum):
    """What an event produced, read with the record it points at."""

    ADOPTION = "ADOPTION"  # an agreement, declaration or concept adopted
    SIGNING = "SIGNING"
    ADMISSION = "ADMISSION"  # a membership or observer status granted
    FOUNDING = "FOUNDING"  # an organisation or format established
    RENAMING = "RENAMING"  # an organisation upgraded or renamed
    PROPOSAL = "PROPOSAL"  # an initiative proposed
    ANNOUNCEMENT = "ANNOUNCEMENT"
    ABOLITION = "ABOLITION"


class ExerciseFormat(StrEnum):
    BILATERAL = "BILATERAL"
    MULTINATIONAL = "MULTINATIONAL"


class CorridorKind(StrEnum):
    CORRIDOR = "CORRIDOR"
    RAILWAY = "RAILWAY"
    ROUTE = "ROUTE"


class CorridorStatus(StrEnum):
    OPERATING = "OPERATING"
    UNDER_CONSTRUCTION = "UNDER_CONSTRUCTION"
    PLANNED = "PLANNED"
    UNKNOWN = "UNKNOWN"


class TransportMode(StrEnum):
    SEA = "SEA"
    RAIL = "RAIL"
    ROAD = "ROAD"


class StopKind(StrEnum):
    STATE = "STATE"
    SEA = "SEA"
    REGION = "REGION"


class CorridorRole(StrEnum):
    INITIATOR = "INITIATOR"
    COORDINATOR = "COORDINATOR"  # a body that coordinates or drives it
    STAKEHOLDER = "STAKEHOLDER"  # a state the sources name as having a stake in it
    SUPPORTER = "SUPPORTER"


class CorridorLinkKind(StrEnum):
    CONNECTION = "CONNECTION"  # the routes are or may be joined
    ALTERNATIVE = "ALTERNATIVE"  # the sources compare them as alternatives


class InitiativeKind(StrEnum):
    PLAN = "PLAN"
    CONCEPT = "CONCEPT"
    POLICY = "POLICY"
    STRATEGY = "STRATEGY"
    FORMAT = "FORMAT"
    PROPOSAL = "PROPOSAL"
    PROJECT = "PROJECT"
    NARRATIVE = "NARRATIVE"


class InitiativeStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ANNOUNCED = "ANNOUNCED"
    ADOPTED = "ADOPTED"
    PUBLISHED = "PUBLISHED"
    LAUNCHED = "LAUNCHED"
    PLANNED = "PLANNED"
    ABANDONED = "ABANDONED"
    UNKNOWN = "UNKNOWN"


class InitiativeRole(StrEnum):
    PROPOSER = "PROPOSER"
    INITIATOR = "INITIATOR"
    ADOPTER = "ADOPTER"
    PUBLISHER = "PUBLISHER"
    AUTHOR = "AUTHOR"
    PARTICIPANT = "PARTICIPANT"
    SUBJECT = "SUBJECT"  # the body or state it would change or concerns
    REALISED_BY = "REALISED_BY"  # the standing format that gives it body


class FigureUnit(StrEnum):
    USD = "USD"
    COUNT = "COUNT"
    PERCENT = "PERCENT"
    RANK = "RANK"


class FigureQualifier(StrEnum):
    """How the source qualifies a number: "more than 170 countries" is MORE_THAN 170."""

    EXACT = "EXACT"
    MORE_THAN = "MORE_THAN"
    ABOUT = "ABOUT"
    AT_LEAST = "AT_LEAST"
    UP_TO = "UP_TO"
    LESS_THAN = "LESS_THAN"
