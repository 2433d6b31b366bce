"""The model vocabularies registered as GraphQL enums (same values, documented for GraphiQL).

`strawberry.enum` registers the classes in place, so modules annotate fields with these very
classes and the type checker sees ordinary enums.
"""

import strawberry

from api.models.enums import (
    AgreementKind,
    AgreementStatus,
    CodeAssignment,
    CorridorKind,
    CorridorLinkKind,
    CorridorRole,
    CorridorStatus,
    DatePrecision,
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
    StopKind,
    TransferCondition,
    TransferStatus,
    TransportMode,
    WeaponCategory,
)

strawberry.enum(CodeAssignment, description="Where a state's three-letter code comes from.")
strawberry.enum(OrganisationKind, description="What sort of body an organisation is.")
strawberry.enum(MembershipRole, description="The standing a member holds in an organisation.")
strawberry.enum(AgreementKind, description="The form of an agreement.")
strawberry.enum(AgreementStatus, description="How far an agreement has got, as its sources tell.")
strawberry.enum(PartyRole, description="How a party stands to an agreement.")
strawberry.enum(DatePrecision, description="How much of a date its source gives.")
strawberry.enum(TransferStatus, description="How far an arms deal has got, as its sources tell.")
strawberry.enum(
    TransferCondition, description="Whether arms were new or used when transferred (SIPRI)."
)
strawberry.enum(
    WeaponCategory, description="SIPRI's weapon categories, plus small arms and packages."
)
strawberry.enum(EventKind, description="What sort of event it was.")
strawberry.enum(ParticipantRole, description="How a participant took part in an event.")
strawberry.enum(OutcomeKind, description="What an event did to the record it produced.")
strawberry.enum(ExerciseFormat, description="Whether two states or more took part.")
strawberry.enum(CorridorKind, description="What sort of transport route it is.")
strawberry.enum(CorridorStatus, description="How far a route has got, as its sources tell.")
strawberry.enum(CorridorRole, description="How a state or organisation stands to a route.")
strawberry.enum(CorridorLinkKind, description="How two routes relate.")
strawberry.enum(TransportMode, description="A means of transport a route uses.")
strawberry.enum(StopKind, description="What a point along a route is.")
strawberry.enum(InitiativeKind, description="What sort of initiative it is.")
strawberry.enum(InitiativeStatus, description="How far an initiative has got, as its sources tell.")
strawberry.enum(InitiativeRole, description="How an actor stands to an initiative.")
strawberry.enum(FigureUnit, description="What a figure counts or measures.")
strawberry.enum(FigureQualifier, description='How the source qualifies a number ("more than" …).')

__all__ = [
    "AgreementKind",
    "AgreementStatus",
    "CodeAssignment",
    "CorridorKind",
    "CorridorLinkKind",
    "CorridorRole",
    "CorridorStatus",
    "DatePrecision",
    "EventKind",
    "ExerciseFormat",
    "FigureQualifier",
    "FigureUnit",
    "InitiativeKind",
    "InitiativeRole",
    "InitiativeStatus",
    "MembershipRole",
    "OrganisationKind",
    "OutcomeKind",
    "ParticipantRole",
    "PartyRole",
    "StopKind",
    "TransferCondition",
    "TransferStatus",
    "TransportMode",
    "WeaponCategory",
]
