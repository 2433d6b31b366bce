"""What every data set's importer does around its own steps: collect the problems that stop
it, report progress, cite the document it reads, and end its report the same way.

Each importer (api/sipri, api/cow) keeps its own read, crosswalk and diff; these are the parts
in which they do not differ, so a refusal or a summary reads alike whichever data set it is.
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import models

Progress = Callable[[str, int, int], None]
"""Called as (stage, done, total) while an import runs; the CLI draws it as a bar."""


class ImportRefused(Exception):
    """Why nothing was imported: every problem found, each naming where it is."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(kw_only=True)
class ImportOutcome:
    """What every import's report ends with: what it created, the search entries it wrote,
    how long it took and whether it was a dry run."""

    created: Counter[str] = field(default_factory=Counter)
    search_entries: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    def closing(self, count: int, unit: str) -> list[str]:
        """The summary's last lines, with `count` `unit` (deals, rows) per second."""
        lines = []
        if not self.dry_run:
            lines.append(f"  search index: {self.search_entries:,} entries written or removed")
        rate = count / self.seconds if self.seconds else 0.0
        verb = "Checked" if self.dry_run else "Imported"
        lines.append(f"{verb} in {self.seconds:.2f} s ({rate:,.0f} {unit}/s).")
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return lines


class ImportJob:
    """One import inside its transaction: the problems found so far, its progress, and the
    document its records cite."""

    refusal: ClassVar[type[ImportRefused]] = ImportRefused

    def __init__(
        self, session: AsyncSession, outcome: ImportOutcome, progress: Progress | None
    ) -> None:
        self.session = session
        self.outcome = outcome
        self.progress = progress
        self.problems: list[str] = []

    def _tick(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def stop_if_problems(self) -> None:
        if self.problems:
            raise self.refusal(self.problems)

    async def cited_document(self, key: str, values: Mapping[str, Any]) -> models.Document:
        """The document keyed `key`, created if new (and counted), with `values` set."""
        document = await self.session.scalar(
            select(models.Document).where(col(models.Document.key) == key)
        )
        if document is None:
            document = models.Document(key=key, title="")
            self.session.add(document)
            self.outcome.created["documents"] += 1
        document.sqlmodel_update(dict(values))
        await self.session.flush()
        return document

    def cite(
        self,
        document_id: int,
        column: str,
        subject_id: int | None,
        *,
        quote: str,
        locator: str,
    ) -> None:
        """A citation of the record whose id `column` (`state_id` …) holds."""
        citation = models.Citation(
            document_id=document_id, quote=quote, locator=locator, position=0
        )
        setattr(citation, column, subject_id)
        self.session.add(citation)
