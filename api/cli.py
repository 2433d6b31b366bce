"""The `silkgraph` command: serve the API, load fixtures, migrate, export the schema."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from api import migrate
from api.backup_cli import backup_command, restore_command
from api.bundled import import_bundled
from api.coverage import UnknownDocument, coverage
from api.cow.cli import cow
from api.cow.importer import CowImportError
from api.db import create_session_factory, engine_scope
from api.fixtures import FixtureError, is_empty, load_fixtures
from api.import_lock import ImportLocked
from api.progress import progress_bar
from api.refusals import locked, refused
from api.search_index import ensure_search_index
from api.settings import PROJECT_ROOT, Settings, get_settings
from api.sipri.cli import import_app
from api.sipri.importer import SipriImportError

app = typer.Typer(help="silkgraph: a source-cited GraphQL knowledge base.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
import_app.command("cow")(cow)

SCHEMA_FILE = PROJECT_ROOT / "schema" / "schema.graphql"


async def _prepare(settings: Settings, paths: list[Path] | None) -> str | None:
    """Migrate, then load `paths` (or, with None, the fixtures and the bundled data sets if
    the database is empty)."""
    async with engine_scope(settings) as engine:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        await ensure_search_index(sessions)
        bundled = paths is None and settings.load_bundled_data
        if paths is None:
            if not (settings.load_fixtures_when_empty and await is_empty(sessions)):
                return None
            paths = [settings.fixtures_dir]
        report = await load_fixtures(sessions, paths)
        if not bundled:
            return report.summary()
        with progress_bar() as progress:
            lines = await import_bundled(sessions, settings.fixtures_dir, progress)
        return "\n".join([report.summary(), *lines])


def _run(settings: Settings, paths: list[Path] | None) -> None:
    try:
        summary = asyncio.run(_prepare(settings, paths))
    except FixtureError as error:
        raise refused("Nothing was loaded", error.problems) from error
    except ImportLocked as error:
        raise locked(error) from error
    except (SipriImportError, CowImportError) as error:
        # The fixtures were loaded in their own transaction; the data set was not.
        raise refused("A bundled data set was not imported", error.problems) from error
    if summary:
        typer.echo(f"Loaded: {summary}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
) -> None:
    """Serve the API; on first start, create the database and load the fixtures."""
    # Only serving needs the web stack (uvicorn, FastAPI, Strawberry): imported here, every
    # other command starts a quarter faster (1.6 s of CPU to 1.2), and tests run them often.
    import uvicorn

    from api.observability import log_config

    settings = get_settings()
    _run(settings, None)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        http="api.tcp:NoDelayHttpToolsProtocol",
        loop="auto",  # uvloop, a dependency, where it runs (not on Windows)
        log_config=log_config(),
        access_log=False,  # api.observability logs each request, with more to say
    )


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Fixture files or folders of *.yaml.")],
) -> None:
    """Validate fixtures, then load them all in one transaction (or nothing, on any problem)."""
    _run(get_settings(), paths)


@db_app.command()
def upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply database migrations up to REVISION."""

    async def run() -> None:
        async with engine_scope(get_settings()) as engine:
            await migrate.upgrade(engine, revision)

    asyncio.run(run())
    typer.echo(f"Database at {revision}.")


db_app.command("backup")(backup_command)
db_app.command("restore")(restore_command)


@app.command("coverage")
def coverage_command(
    source: Annotated[str, typer.Argument(help="Key of a document whose text is held: `paper`.")],
) -> None:
    """List the paragraphs of SOURCE that no record cites, and the share that records cite."""

    async def run() -> None:
        async with engine_scope(get_settings()) as engine:
            await migrate.upgrade(engine)
            found = await coverage(create_session_factory(engine), source)
        for paragraph in found.uncited:
            words = " ".join(paragraph.text.split()[:12])
            typer.echo(f"¶{paragraph.number} ({paragraph.section}): {words} …")
        typer.echo(
            f"{found.cited} of {found.total} paragraphs of {source!r} cited ({found.share:.1%})."
        )

    try:
        asyncio.run(run())
    except UnknownDocument as error:
        typer.secho(str(error), fg="red", err=True)
        raise typer.Exit(2) from error


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = SCHEMA_FILE,
) -> None:
    """Write the GraphQL schema (SDL) that frontends generate their types from."""
    from schema import build_schema

    output.write_text(build_schema(get_settings()).as_str() + "\n", encoding="utf-8")
    typer.echo(f"Wrote {output}.")
