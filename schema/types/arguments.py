"""Arguments shared by root and nested fields: filters, sort orders, `asOf`, `role`."""

from typing import Annotated, TypeVar

import strawberry

from schema.filters import (
    NO_CRITERIA,
    ArmsTransferFilter,
    Criteria,
    FilterInput,
    IntRange,
    MembershipFilter,
    OfficeHoldingFilter,
    TransferRecords,
    criteria_of,
    transfer_criteria_of,
)
from schema.types.enums import MembershipRole

T = TypeVar("T")

Filter = Annotated[
    T | None, strawberry.argument(description="Only what matches all these conditions.")
]
OrderBy = Annotated[
    list[T] | None,
    strawberry.argument(
        description="Sort terms, most significant first; ties fall to the next term, then to "
        "the id. Nullable fields sort their nulls last in both directions."
    ),
]
AsOf = Annotated[int | None, strawberry.argument(description="Only roles held in this year.")]
Role = Annotated[MembershipRole | None, strawberry.argument(description="Only this role.")]
OfficeAsOf = Annotated[
    int | None,
    strawberry.argument(
        description="Only offices held in this year (see `OfficeHoldingFilter.asOf`)."
    ),
]
Years = Annotated[IntRange | None, strawberry.argument(description="Only changes in these years.")]


def membership_criteria(
    as_of: int | None, role: MembershipRole | None, filter: MembershipFilter | None
) -> Criteria | None:
    """`asOf` and `role` are shorthands for the filter fields of the same names."""
    shorthand = MembershipFilter(as_of=as_of, role=role).criteria("")
    return (shorthand & criteria_of(filter)) or None


def transfer_criteria(
    order_year: IntRange | None, filter: ArmsTransferFilter | None, also: Criteria = NO_CRITERIA
) -> Criteria:
    """`orderYear` is a shorthand for the filter field of the same name; `also` narrows
    further (before each deal is counted once, so a partner record must match it too)."""
    if order_year is not None:
        order_year.bounds("orderYear")
        shorthand = ArmsTransferFilter(order_year=order_year, records=TransferRecords.EVERY_RECORD)
        also = shorthand.criteria("") & also
    return transfer_criteria_of(filter, also=also)


def scope_of(filter: FilterInput | None) -> Criteria | None:
    """The scope a nested field asks its relation with: the filter's criteria, or None."""
    return criteria_of(filter) or None


def office_criteria(as_of: int | None, filter: OfficeHoldingFilter | None) -> Criteria | None:
    """`asOf` is a shorthand for the filter field of the same name."""
    shorthand = OfficeHoldingFilter(as_of=as_of).criteria("")
    return (shorthand & criteria_of(filter)) or None
