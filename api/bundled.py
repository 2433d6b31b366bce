"""The outside data sets a fresh clone bundles, imported on first start beside the paper."""

from pathlib import Path

import typer
from rich.progress import Progress

from api.cow.importer import import_table
from api.db import SessionFactory
from api.progress import stage_callback
from api.sipri.importer import import_register

SIPRI_REGISTER = Path("sipri") / "trade-register-2024-10.csv"
COW_TABLE = Path("cow") / "igo_year_formatv3.csv.gz"


async def import_bundled(
    sessions: SessionFactory, fixtures_dir: Path, progress: Progress
) -> list[str]:
    """Import the bundled SIPRI register, then the COW IGO data (after SIPRI, so that COW's
    African Union and OSCE are the ones SIPRI created); returns both reports' summaries.
    Each line of what is happening goes to stderr too, for logs that draw no bar."""
    typer.echo(f"First start: importing {SIPRI_REGISTER} …", err=True)
    sipri = await import_register(
        sessions, fixtures_dir / SIPRI_REGISTER, progress=stage_callback(progress, "SIPRI ")
    )
    typer.echo(f"First start: importing {COW_TABLE} …", err=True)
    cow = await import_table(
        sessions, fixtures_dir / COW_TABLE, progress=stage_callback(progress, "COW ")
    )
    return [*sipri.summary(), *cow.summary()]
