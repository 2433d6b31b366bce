"""Arguments shared by root and nested fields: filters, sort orders, `asOf`, `role`."""

from typing import Annotated, TypeVar

import strawberry

from schema.filters import (
    ArmsTransferFilter,
    Criteria,
    FilterInput,
    IntRange,
    MembershipFilter,
    OfficeHoldingFilter,
    criteria_of,
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


def transfer_criteria(order_year: IntRange | None, filter: ArmsTransferFilter | None) -> Criteria:
    """`orderYear` is a shorthand for the filter field of the same name."""
    if order_year is None:
        return criteria_of(filter)
    order_year.bounds("orderYear")
    return ArmsTransferFilter(order_year=order_year).criteria("") & criteria_of(filter)


def scope_of(filter: FilterInput | None) -> Criteria | None:
    """The scope a nested field asks its relation with: the filter's criteria, or None."""
    return criteria_of(filter) or None


def office_criteria(as_of: int | None, filter: OfficeHoldingFilter | None) -> Criteria | None:
    """`asOf` is a shorthand for the filter field of the same name."""
    shorthand = OfficeHoldingFilter(as_of=as_of).criteria("")
    return (shorthand & criteria_of(filter)) or None
