"""Filter inputs and sort orders of every connection, one module per entity.

`base` holds the machinery (criteria, `IntRange`, the `asOf` rule); each entity module holds
its `…Filter` input, its `…OrderField` enum and `…Order` input, and the sortable fields
behind them. Adding a filter field is declaring it and its criterion; exports and nested
connections pick it up from there.
"""

from schema.filters.agreement import (
    AGREEMENT_SORT,
    AgreementFilter,
    AgreementOrder,
    AgreementOrderField,
)
from schema.filters.arms_transfer import (
    ARMS_TRANSFER_SORT,
    ArmsTransferFilter,
    ArmsTransferOrder,
    ArmsTransferOrderField,
)
from schema.filters.base import (
    NO_CRITERIA,
    Criteria,
    FilterInput,
    IntRange,
    conditions_of,
    criteria_conditions,
    criteria_of,
    state_code,
)
from schema.filters.corridor import CorridorFilter
from schema.filters.economic_figure import EconomicFigureFilter
from schema.filters.event import EventFilter
from schema.filters.exercise import MilitaryExerciseFilter
from schema.filters.initiative import InitiativeFilter
from schema.filters.membership import (
    MEMBERSHIP_SORT,
    MembershipFilter,
    MembershipOrder,
    MembershipOrderField,
)
from schema.filters.organisation import (
    COMPANY_SORT,
    ORGANISATION_SORT,
    CompanyFilter,
    CompanyOrder,
    CompanyOrderField,
    OrganisationFilter,
    OrganisationOrder,
    OrganisationOrderField,
)
from schema.filters.person import PersonFilter
from schema.filters.state import STATE_SORT, StateFilter, StateOrder, StateOrderField

__all__ = [
    "PersonFilter",
    "InitiativeFilter",
    "MilitaryExerciseFilter",
    "EventFilter",
    "EconomicFigureFilter",
    "CorridorFilter",
    "AGREEMENT_SORT",
    "ARMS_TRANSFER_SORT",
    "COMPANY_SORT",
    "MEMBERSHIP_SORT",
    "NO_CRITERIA",
    "ORGANISATION_SORT",
    "STATE_SORT",
    "AgreementFilter",
    "AgreementOrder",
    "AgreementOrderField",
    "ArmsTransferFilter",
    "ArmsTransferOrder",
    "ArmsTransferOrderField",
    "CompanyFilter",
    "CompanyOrder",
    "CompanyOrderField",
    "Criteria",
    "FilterInput",
    "IntRange",
    "MembershipFilter",
    "MembershipOrder",
    "MembershipOrderField",
    "OrganisationFilter",
    "OrganisationOrder",
    "OrganisationOrderField",
    "StateFilter",
    "StateOrder",
    "StateOrderField",
    "conditions_of",
    "criteria_conditions",
    "criteria_of",
    "state_code",
]
