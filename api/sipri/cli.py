"""`silkgraph import sipri FILE`: bring a SIPRI trade-register export into the database."""

import asyncio
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from api import migrate
from api.crosswalk_csv import CrosswalkError
from api.db import create_session_factory, engine_scope
from api.import_lock import ImportLocked
from api.refusals import locked, refused
from api.settings import get_settings
from api.sipri.importer import ImportReport, SipriImportError, import_register

import_app = typer.Typer(help="Import data from outside sources.", no_args_is_help=True)


@dataclass(frozen=True)
class _Options:
    dry_run: bool
    allow_unmapped: bool
    allow_older: bool
    allow_removals: bool
    data_generated: date | None


async def _import(path: Path, options: _Options, progress: Progress) -> ImportReport:
    tasks: dict[str, TaskID] = {}

    def advance(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    async with engine_scope(get_settings()) as engine:
        await migrate.upgrade(engine)
        return await import_register(
            create_session_factory(engine),
            path,
            dry_run=options.dry_run,
            allow_unmapped=options.allow_unmapped,
            allow_older=options.allow_older,
            allow_removals=options.allow_removals,
            data_generated=options.data_generated,
            progress=advance,
        )


@import_app.command("sipri")
def sipri(
    file: Annotated[Path, typer.Argument(help="A SIPRI trade-register CSV export, as downloaded.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    allow_unmapped: Annotated[
        bool,
        typer.Option(
            "--allow-unmapped",
            help="Import actors missing from the crosswalk as spelled (no state, organisation "
            "or non-state actor), and new deals of unknown weapon descriptions as OTHER, "
            "instead of stopping.",
        ),
    ] = False,
    allow_older: Annotated[
        bool,
        typer.Option(
            "--allow-older",
            help="Import a release older than one already imported: newer values stay, deals "
            "only it holds are added, and it joins the deals' history.",
        ),
    ] = False,
    allow_removals: Annotated[
        bool,
        typer.Option(
            "--allow-removals",
            help="Remove the deals the export's selection covers but no longer lists, even when "
            "they are more than 2% of what it covers.",
        ),
    ] = False,
    data_generated: Annotated[
        datetime | None,
        typer.Option(
            "--data-generated",
            formats=["%Y-%m-%d"],
            help="The date the export was made (YYYY-MM-DD), for a file re-saved by a "
            "spreadsheet that lost SIPRI's 'Data generated' line.",
        ),
    ] = None,
) -> None:
    """Import a SIPRI export: all of it or nothing; only what its selection covers changes."""
    console = Console(stderr=True)
    # A bar on a terminal only: logs and pipes get the summary alone.
    progress = Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    try:
        with progress:
            report = asyncio.run(
                _import(
                    file,
                    _Options(
                        dry_run,
                        allow_unmapped,
                        allow_older,
                        allow_removals,
                        data_generated.date() if data_generated else None,
                    ),
                    progress,
                )
            )
    except (SipriImportError, CrosswalkError) as error:
        raise refused("Nothing was imported", error.problems) from error
    except ImportLocked as error:
        raise locked(error) from error
    except OSError as error:
        typer.secho(f"Nothing was imported: cannot read {file}: {error.strerror}", err=True)
        raise typer.Exit(1) from error
    for line in report.summary():
        typer.echo(line)
