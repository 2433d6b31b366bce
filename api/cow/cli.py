"""`silkgraph import cow FILE`: bring the COW IGO-year table into the database."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from api import migrate
from api.cow.importer import CowImportError, ImportReport, import_table
from api.crosswalk_csv import CrosswalkError
from api.db import create_session_factory, engine_scope
from api.import_lock import ImportLocked
from api.progress import progress_bar, stage_callback
from api.refusals import locked, refused
from api.settings import get_settings


async def _import(path: Path, *, dry_run: bool, progress: Progress) -> ImportReport:
    async with engine_scope(get_settings()) as engine:
        await migrate.upgrade(engine)
        return await import_table(
            create_session_factory(engine),
            path,
            dry_run=dry_run,
            progress=stage_callback(progress),
        )


def cow(
    file: Annotated[
        Path, typer.Argument(help="The COW IGO-year table (.csv or .csv.gz), as distributed.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
) -> None:
    """Import the Correlates of War IGO data: all periods or none; re-importing changes only
    what changed."""
    progress = progress_bar()
    try:
        with progress:
            report = asyncio.run(_import(file, dry_run=dry_run, progress=progress))
    except (CowImportError, CrosswalkError) as error:
        raise refused("Nothing was imported", error.problems) from error
    except ImportLocked as error:
        raise locked(error) from error
    for line in report.summary():
        typer.echo(line)
