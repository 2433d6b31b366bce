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
