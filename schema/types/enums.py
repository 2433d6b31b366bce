"""The model vocabularies registered as GraphQL enums (same values, documented for GraphiQL).

`strawberry.enum` registers the classes in place, so modules annotate fields with these very
classes and the type checker sees ordinary enums.
"""

import strawberry

from api.models.enums import (
    AgreementKind,
    AgreementStatus,
    CodeAssignment,
    DatePrecision,
    MembershipRole,
    OrganisationKind,
    PartyRole,
    TransferCondition,
    TransferStatus,
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

__all__ = [
    "AgreementKind",
    "AgreementStatus",
    "CodeAssignment",
    "DatePrecision",
    "MembershipRole",
    "OrganisationKind",
    "PartyRole",
    "TransferCondition",
    "TransferStatus",
    "WeaponCategory",
]
