"""The progress bar imports draw on a terminal (and nowhere else: logs get the summary)."""

import sys
from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    )


def stage_callback(progress: Progress, prefix: str = "") -> Callable[[str, int, int], None]:
    """An importer's (stage, done, total) reports as one bar per stage."""
    tasks: dict[str, TaskID] = {}

    def advance(stage: str, done: int, total: int) -> None:
        label = f"{prefix}{stage}"
        if label not in tasks:
            tasks[label] = progress.add_task(label, total=total)
        progress.update(tasks[label], completed=done, total=total)

    return advance
