"""Root fields of the paper's analyses."""

from typing import Annotated

import strawberry

from api import models
from schema.context import Info
from schema.errors import bad_input
from schema.filters import ArmsTransferFilter, IntRange
from schema.filters.base import MAX_LIST_ITEMS, Criteria, state_code_in
from schema.loaders.analyses import supplier_counts, supplier_counts_statement
from schema.types.analyses import ArmsSupplierDiversification, diversification
from schema.types.arguments import Filter, transfer_criteria

RECIPIENTS = state_code_in(models.ArmsTransfer.recipient_id)


@strawberry.type
class AnalysisQueries:
    @strawberry.field(
        description="Supplier diversification of several recipients at once (see "
        "`State.armsSupplierDiversification`), by recipient code; every recipient of a "
        "matching deal when `recipients` is left out."
    )
    async def arms_supplier_diversification(
        self,
        info: Info,
        recipients: Annotated[
            list[str] | None,
            strawberry.argument(description="Recipient state codes (any case)."),
        ] = None,
        order_year: Annotated[
            IntRange | None,
            strawberry.argument(description="Only deals ordered in these years."),
        ] = None,
        filter: Filter[ArmsTransferFilter] = None,
    ) -> list[ArmsSupplierDiversification]:
        criteria = transfer_criteria(order_year, filter)
        if recipients is not None:
            if len(recipients) > MAX_LIST_ITEMS:
                raise bad_input(f"`recipients` takes at most {MAX_LIST_ITEMS} items", "recipients")
            codes = RECIPIENTS.canonical(recipients, "recipients")
            criteria = criteria & Criteria(((RECIPIENTS, codes),))
        statement = supplier_counts_statement(criteria, None)
        async with info.context.sessions() as session:
            counts = supplier_counts((await session.execute(statement)).all())
        return [diversification(recipient, found) for recipient, found in counts.items()]
