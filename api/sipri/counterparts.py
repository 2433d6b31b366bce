"""The paper's deals that no SIPRI record stands beside, so a missing link is never silent:
those a curator checked and found in no release (`no_counterpart.csv`, with the reason), and
those nobody has checked yet (in neither that table nor `same_deals.csv`)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models
from api.sipri.crosswalk import NO_COUNTERPART_FILE, SAME_DEALS_FILE, Crosswalk

PAPER = "paper"  # the document key of the paper's records


@dataclass(frozen=True)
class Counterparts:
    reviewed: list[str]  # paper keys the crosswalk says SIPRI does not describe
    unchecked: list[str]  # paper keys in neither table

    def summary(self) -> list[str]:
        """The import summary's lines: what SIPRI does not describe, what nobody checked."""
        lines = []
        if self.reviewed:
            lines.append(
                f"  paper deals SIPRI does not describe ({len(self.reviewed)}, reviewed with "
                f"the reasons in {NO_COUNTERPART_FILE.name}): {', '.join(self.reviewed)}"
            )
        if self.unchecked:
            lines.append(
                f"  paper deals not yet checked against SIPRI ({len(self.unchecked)}; add them "
                f"to {SAME_DEALS_FILE.name} or {NO_COUNTERPART_FILE.name}): "
                f"{', '.join(self.unchecked)}"
            )
        return lines


async def unlinked_paper_deals(session: AsyncSession, crosswalk: Crosswalk) -> Counterparts:
    """The loaded paper deals without a SIPRI link, split into reviewed and unchecked."""
    transfers, citations, documents = models.ArmsTransfer, models.Citation, models.Document
    loaded = set(
        await session.scalars(
            select(col(transfers.key))
            .join(citations, col(citations.arms_transfer_id) == col(transfers.id))
            .join(documents, col(documents.id) == col(citations.document_id))
            .where(col(documents.key) == PAPER)
            .distinct()
        )
    )
    reviewed = {entry.paper_key for entry in crosswalk.no_counterpart}
    linked = {link.paper_key for link in crosswalk.same_deals}
    return Counterparts(
        reviewed=sorted(loaded & reviewed), unchecked=sorted(loaded - reviewed - linked)
    )
