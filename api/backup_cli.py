"""`silkgraph db backup FILE` and `silkgraph db restore FILE`, as the CLI offers them."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from api.backup import BackupError, backup, restore
from api.import_lock import ImportLocked
from api.refusals import locked
from api.settings import get_settings


def _refused(error: BackupError | ImportLocked, what: str) -> typer.Exit:
    if isinstance(error, ImportLocked):
        return locked(error)
    typer.secho(f"Nothing was {what}: {error}.", fg="red", err=True)
    return typer.Exit(1)


def backup_command(
    file: Annotated[Path, typer.Argument(help="Where to write the backup.")],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace FILE if it exists.")
    ] = False,
) -> None:
    """Copy the database to FILE, consistently, while it serves and imports write
    (SQLite: its online backup; PostgreSQL: pg_dump's custom format)."""
    try:
        asyncio.run(backup(get_settings(), file, overwrite=overwrite))
    except BackupError as error:
        raise _refused(error, "backed up") from error
    typer.echo(f"Backed up to {file} ({file.stat().st_size:,} bytes).")


def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup written by `silkgraph db backup`.")],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace what the database holds (it says what)."),
    ] = False,
) -> None:
    """Make the database hold exactly the backup FILE, all of it or nothing; refuses a
    database that holds data unless given --replace."""
    try:
        before = asyncio.run(restore(get_settings(), file, replace=replace))
    except (BackupError, ImportLocked) as error:
        raise _refused(error, "restored") from error
    replaced = "" if before.empty else f"; replaced {before.describe()}"
    typer.echo(f"Restored {file}{replaced}.")
