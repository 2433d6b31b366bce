"""The paper's analyses as fields: how diversified a state's arms suppliers are, and which
organisations two states share.

Supplier diversification is the "multi-vector" measure: each supplier's share of a
recipient's deals (and of the units ordered, where numbers are reported), the top supplier,
and the Herfindahl–Hirschman index HHI = Σ (share × 100)², i.e. the sum of squared shares
× 10,000: 10,000 for a single supplier, 5,000 for two equal ones, lower the more evenly the
deals are spread. SQL counts; Python only divides.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry

from api import models
from schema.context import Info
from schema.loaders.analyses import SharedSeats, SupplierCount
from schema.loaders.memberships import ROLE_RANK
from schema.types.enums import MembershipRole

if TYPE_CHECKING:
    from schema.types.membership import Membership
    from schema.types.organisation import Organisation
    from schema.types.state import State

LazyMembership = Annotated["Membership", strawberry.lazy("schema.types.membership")]
LazyOrganisation = Annotated["Organisation", strawberry.lazy("schema.types.organisation")]
LazyState = Annotated["State", strawberry.lazy("schema.types.state")]


async def _state(info: Info, state_id: int) -> "State":
    from schema.types.state import State

    row = await info.context.loaders.by_id(models.State).load(state_id)
    assert row is not None
    return State.from_row(row)


@strawberry.type(description="One supplier's part in a recipient's arms imports.")
class SupplierShare:
    deals: int = strawberry.field(description="Deals with this supplier.")
    deal_share: float = strawberry.field(description="Its share of the deals (0 to 1).")
    units: int | None = strawberry.field(
        description="Items ordered, summed over its deals that report a number; null when none "
        "does."
    )
    unit_share: float | None = strawberry.field(
        description="Its share of the items ordered, over deals that report numbers; null when "
        "no deal of the recipient reports one."
    )
    deals_with_unknown_units: int = strawberry.field(
        description="Its deals whose number ordered is not reported."
    )
    supplier_id: strawberry.Private[int]

    @strawberry.field(description="The supplying state.")
    async def supplier(self, info: Info) -> LazyState:
        return await _state(info, self.supplier_id)


@strawberry.type(
    description="How spread a state's arms imports are over suppliers: shares, top supplier "
    "and Herfindahl–Hirschman index (sum of squared shares × 10,000; 10,000 is a single "
    "supplier, lower is more diversified)."
)
class ArmsSupplierDiversification:
    deals: int = strawberry.field(description="Deals counted (matching the filter).")
    suppliers: list[SupplierShare] = strawberry.field(
        description="Suppliers by deals, most first; ties by units, then code."
    )
    top_supplier: SupplierShare | None = strawberry.field(
        description="The supplier with most deals (see `topSupplierTied`); null without deals."
    )
    top_supplier_tied: bool = strawberry.field(
        description="Whether another supplier has as many deals as the top one."
    )
    hhi_by_deals: float | None = strawberry.field(
        description="HHI of the deal shares (0–10,000); null without deals of known supplier."
    )
    hhi_by_units: float | None = strawberry.field(
        description="HHI of the shares of items ordered, over deals that report numbers; null "
        "when none does."
    )
    deals_with_unknown_units: int = strawberry.field(
        description="Deals whose number ordered is not reported (left out of unit shares)."
    )
    deals_with_unknown_supplier: int = strawberry.field(
        description="Deals whose supplier is not known (left out of all shares)."
    )
    deals_with_other_supplier: int = strawberry.field(
        description="Deals supplied by an organisation or a non-state actor rather than a state "
        "(SIPRI's NATO, UN, rebel groups): left out of all shares, as the measure is over "
        "supplier states."
    )
    recipient_id: strawberry.Private[int]

    @strawberry.field(description="The receiving state.")
    async def recipient(self, info: Info) -> LazyState:
        return await _state(info, self.recipient_id)


def _hhi(parts: Sequence[int]) -> float | None:
    total = sum(parts)
    if total == 0:
        return None
    return round(sum((part / total * 100) ** 2 for part in parts), 2)


def diversification(
    recipient_id: int, counts: Sequence[SupplierCount]
) -> ArmsSupplierDiversification:
    """The analysis for one recipient from its per-supplier counts."""
    known = [c for c in counts if c.supplier_id is not None]
    deals = sum(c.deals for c in counts)
    known_deals = sum(c.deals for c in known)
    units_known = [c.units or 0 for c in known if c.deals_with_units]
    total_units = sum(units_known)
    ordered = sorted(known, key=lambda c: (-c.deals, -(c.units or 0), c.supplier_code or ""))
    shares = [
        SupplierShare(
            supplier_id=c.supplier_id,
            deals=c.deals,
            deal_share=round(c.deals / known_deals, 4),
            units=c.units if c.deals_with_units else None,
            unit_share=round((c.units or 0) / total_units, 4) if total_units else None,
            deals_with_unknown_units=c.deals - c.deals_with_units,
        )
        for c in ordered
        if c.supplier_id is not None
    ]
    return ArmsSupplierDiversification(
        recipient_id=recipient_id,
        deals=deals,
        suppliers=shares,
        top_supplier=shares[0] if shares else None,
        top_supplier_tied=len(shares) > 1 and shares[0].deals == shares[1].deals,
        hhi_by_deals=_hhi([c.deals for c in known]),
        hhi_by_units=_hhi(units_known) if any(c.deals_with_units for c in known) else None,
        deals_with_unknown_units=sum(c.deals - c.deals_with_units for c in counts),
        deals_with_unknown_supplier=sum(
            c.deals for c in counts if c.supplier_id is None and not c.other_supplier
        ),
        deals_with_other_supplier=sum(c.deals for c in counts if c.other_supplier),
    )


def _roles(seats: Sequence[models.Membership]) -> list[MembershipRole]:
    roles = {MembershipRole(seat.role) for seat in seats}
    return sorted(roles, key=lambda role: (ROLE_RANK.get(role, 9), role.value))


@strawberry.type(description="An organisation two states both belong to, with each one's roles.")
class SharedOrganisation:
    roles: list[MembershipRole] = strawberry.field(description="This state's roles in it.")
    other_roles: list[MembershipRole] = strawberry.field(description="The other state's roles.")
    seats: strawberry.Private[SharedSeats]

    @classmethod
    def from_seats(cls, seats: SharedSeats) -> "SharedOrganisation":
        return cls(roles=_roles(seats.mine), other_roles=_roles(seats.theirs), seats=seats)

    @strawberry.field(description="The organisation.")
    async def organisation(self, info: Info) -> LazyOrganisation:
        from schema.types.organisation import Organisation

        row = await info.context.loaders.by_id(models.Organisation).load(self.seats.organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(description="This state's memberships in it, with dates and sources.")
    def memberships(self) -> list[LazyMembership]:
        from schema.types.membership import Membership

        return [Membership.from_row(seat) for seat in self.seats.mine]

    @strawberry.field(description="The other state's memberships in it.")
    def other_memberships(self) -> list[LazyMembership]:
        from schema.types.membership import Membership

        return [Membership.from_row(seat) for seat in self.seats.theirs]
