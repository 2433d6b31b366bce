"""How every command says it refused: one heading, each problem on a line of its own, and an
exit code a script can act on (1: fix the input; 75: another writer holds the database)."""

from collections.abc import Sequence

import typer

from api.import_lock import EXIT_LOCKED, ImportLocked


def refused(heading: str, problems: Sequence[str]) -> typer.Exit:
    """Print the problems under `heading` ("Nothing was imported"); raise what it returns."""
    typer.secho(f"{heading}: {len(problems)} problem(s)", fg="red", err=True)
    for problem in problems:
        typer.echo(f"  {problem}", err=True)
    return typer.Exit(1)


def locked(error: ImportLocked) -> typer.Exit:
    """Say who holds the database; raise what it returns."""
    typer.secho(str(error), fg="red", err=True)
    return typer.Exit(EXIT_LOCKED)
