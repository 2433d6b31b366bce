"""Root fields for organisations, their memberships and companies."""

from typing import Annotated

import strawberry
from sqlalchemy import Select, func, select
from sqlmodel import col
from strawberry import relay

from api import models
from schema.context import Info
from schema.filters import (
    COMPANY_SORT,
    MEMBERSHIP_SORT,
    ORGANISATION_SORT,
    CompanyFilter,
    CompanyOrder,
    MembershipFilter,
    MembershipOrder,
    OrganisationFilter,
    OrganisationOrder,
    conditions_of,
)
from schema.loaders.memberships import MEMBERSHIP_ORDER
from schema.loaders.organisations import ACRONYM_ORDER, NAME_ORDER
from schema.ordering import ordering_of
from schema.pagination import Connection, PageQuery
from schema.queries import first_row
from schema.types.arguments import Filter, OrderBy
from schema.types.company import Company
from schema.types.membership import Membership
from schema.types.organisation import Organisation


def organisation_by_acronym(acronym: str) -> Select[models.Organisation]:
    """The look-up `organisation(acronym:)` makes, shared with the compiled read path."""
    return select(models.Organisation).where(
        func.lower(models.Organisation.acronym) == acronym.strip().lower()
    )


def company_by_key(key: str) -> Select[models.Company]:
    """The look-up `company(key:)` makes, shared with the compiled read path."""
    return select(models.Company).where(col(models.Company.key) == key.strip().lower())


@strawberry.type
class OrganisationQueries:
    @strawberry.field(
        description="The organisation with this acronym or short name (any case); null if none."
    )
    async def organisation(
        self,
        info: Info,
        acronym: Annotated[str, strawberry.argument(description="e.g. `OTS`, `csto`.")],
    ) -> Organisation | None:
        row = await first_row(info, organisation_by_acronym(acronym))
        return Organisation.from_row(row) if row else None

    @relay.connection(
        Connection[Organisation],
        description="All organisations, by acronym unless `orderBy` says otherwise.",
    )
    async def organisations(
        self,
        info: Info,
        filter: Filter[OrganisationFilter] = None,
        order_by: OrderBy[OrganisationOrder] = None,
    ) -> PageQuery[Organisation]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Organisation,
            ordering=ordering_of(ORGANISATION_SORT, order_by, ACRONYM_ORDER),
            to_node=Organisation.from_row,
            where=conditions_of(filter),
        )

    @relay.connection(
        Connection[Membership],
        description="All memberships, in order of their start unless `orderBy` says otherwise.",
    )
    async def memberships(
        self,
        info: Info,
        filter: Filter[MembershipFilter] = None,
        order_by: OrderBy[MembershipOrder] = None,
    ) -> PageQuery[Membership]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Membership,
            ordering=ordering_of(MEMBERSHIP_SORT, order_by, MEMBERSHIP_ORDER),
            to_node=Membership.from_row,
            where=conditions_of(filter),
        )

    @strawberry.field(description="The company with this key; null if there is none.")
    async def company(self, info: Info, key: str) -> Company | None:
        row = await first_row(info, company_by_key(key))
        return Company.from_row(row) if row else None

    @relay.connection(
        Connection[Company], description="All companies, by name unless `orderBy` says otherwise."
    )
    async def companies(
        self,
        info: Info,
        filter: Filter[CompanyFilter] = None,
        order_by: OrderBy[CompanyOrder] = None,
    ) -> PageQuery[Company]:
        return PageQuery(
            sessions=info.context.sessions,
            model=models.Company,
            ordering=ordering_of(COMPANY_SORT, order_by, NAME_ORDER),
            to_node=Company.from_row,
            where=conditions_of(filter),
        )
