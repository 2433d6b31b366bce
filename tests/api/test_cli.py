"""The `silkgraph` command as users run it: a real process, configured by the environment."""

import asyncio
import os
import sys
from pathlib import Path

import httpx
import yaml

from api.settings import PROJECT_ROOT
from tests.pg_server import free_port

SILKGRAPH = str(Path(sys.executable).parent / "silkgraph")


async def run(*args: str, database_url: str) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    process = await asyncio.create_subprocess_exec(
        SILKGRAPH,
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_load_refuses_a_bad_file_and_says_why(database_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "organisations": [
                    {
                        "acronym": "XYZ",
                        "name": "X",
                        "kind": "CLUB",
                        "sources": [{"document": "paper", "quote": "q"}],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )

    code, output = await run("load", str(bad), database_url=database_url)

    assert code == 1
    assert "Nothing was loaded" in output
    assert f"{bad}: organisations[0] (XYZ): kind: Input should be" in output


async def test_load_reports_what_it_wrote(empty_database_url: str) -> None:
    code, output = await run(
        "load", str(PROJECT_ROOT / "fixtures"), database_url=empty_database_url
    )

    assert code == 0, output
    assert "arms transfers: 22 new" in output


async def test_db_upgrade_creates_a_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new' / 'silkgraph.db'}"

    code, output = await run("db", "upgrade", database_url=url)

    assert code == 0, output
    assert (tmp_path / "new" / "silkgraph.db").exists()


async def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"

    code, _ = await run("export-schema", "--output", str(target), database_url="sqlite://")

    assert code == 0
    assert target.read_text() == (PROJECT_ROOT / "schema" / "schema.graphql").read_text()


async def test_serve_loads_an_empty_database_and_answers(empty_database_url: str) -> None:
    port = free_port()
    # The paper alone: tests/api/test_first_start.py starts with the bundled data sets too.
    env = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "SILKGRAPH_LOAD_BUNDLED_DATA": "false",
    }
    process = await asyncio.create_subprocess_exec(
        SILKGRAPH,
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            response = await client.post(
                "/graphql",
                json={"query": '{ organisation(acronym: "ots") { members { role } } }'},
            )
    finally:
        process.terminate()
        await process.wait()

    members = response.json()["data"]["organisation"]["members"]
    assert len([m for m in members if m["role"] == "MEMBER"]) == 5


async def test_coverage_lists_uncited_paragraphs_and_the_share(database_url: str) -> None:
    code, output = await run("coverage", "paper", database_url=database_url)

    assert code == 0, output
    lines = output.strip().splitlines()
    assert [line.split(" ")[0] for line in lines[:-1]] == ["¶4", "¶26", "¶38"]
    assert lines[0].startswith("¶4 (Introduction): Turkey’s current turn to Central Asia")
    assert lines[-1] == "35 of 38 paragraphs of 'paper' cited (92.1%)."


async def test_coverage_of_an_unknown_document_fails(database_url: str) -> None:
    code, output = await run("coverage", "nope", database_url=database_url)

    assert code == 2
    assert "no document 'nope'" in output
