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
    transfer_criteria_of,
)
from schema.filters.base import (
    NO_CRITERIA,
    Criteria,
    FilterInput,
    FloatRange,
    IntRange,
    conditions_of,
    criteria_conditions,
    criteria_of,
    state_code,
)
from schema.filters.corridor import CORRIDOR_SORT, CorridorFilter, CorridorOrder
from schema.filters.deals import TransferRecords
from schema.filters.economic_figure import (
    ECONOMIC_FIGURE_SORT,
    EconomicFigureFilter,
    EconomicFigureOrder,
)
from schema.filters.event import EVENT_SORT, EventFilter, EventOrder
from schema.filters.exercise import (
    MILITARY_EXERCISE_SORT,
    MilitaryExerciseFilter,
    MilitaryExerciseOrder,
)
from schema.filters.initiative import INITIATIVE_SORT, InitiativeFilter, InitiativeOrder
from schema.filters.membership import (
    MEMBERSHIP_SORT,
    MembershipFilter,
    MembershipOrder,
    MembershipOrderField,
)
from schema.filters.non_state_actor import (
    NON_STATE_ACTOR_SORT,
    NonStateActorFilter,
    NonStateActorOrder,
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
from schema.filters.person import PERSON_SORT, OfficeHoldingFilter, PersonFilter, PersonOrder
from schema.filters.state import STATE_SORT, StateFilter, StateOrder, StateOrderField

__all__ = [
    "AGREEMENT_SORT",
    "ARMS_TRANSFER_SORT",
    "COMPANY_SORT",
    "CORRIDOR_SORT",
    "ECONOMIC_FIGURE_SORT",
    "EVENT_SORT",
    "INITIATIVE_SORT",
    "MEMBERSHIP_SORT",
    "MILITARY_EXERCISE_SORT",
    "NON_STATE_ACTOR_SORT",
    "NO_CRITERIA",
    "ORGANISATION_SORT",
    "PERSON_SORT",
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
    "CorridorFilter",
    "CorridorOrder",
    "Criteria",
    "EconomicFigureFilter",
    "EconomicFigureOrder",
    "EventFilter",
    "EventOrder",
    "FilterInput",
    "FloatRange",
    "InitiativeFilter",
    "InitiativeOrder",
    "IntRange",
    "MembershipFilter",
    "MembershipOrder",
    "MembershipOrderField",
    "MilitaryExerciseFilter",
    "MilitaryExerciseOrder",
    "NonStateActorFilter",
    "NonStateActorOrder",
    "OfficeHoldingFilter",
    "OrganisationFilter",
    "OrganisationOrder",
    "OrganisationOrderField",
    "PersonFilter",
    "PersonOrder",
    "StateFilter",
    "StateOrder",
    "StateOrderField",
    "TransferRecords",
    "conditions_of",
    "criteria_conditions",
    "criteria_of",
    "state_code",
    "transfer_criteria_of",
]
