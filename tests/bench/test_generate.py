"""The synthetic data generator: the counts asked, every record cited, same seed same rows."""

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT
from bench.generate import Scale, generate
from tests.conftest import Templates, settings_for
from tests.graphql import data_of, nodes

TINY = Scale(organisations=20, non_state_actors=5, memberships=200, agreements=100, transfers=1000)
SEED = 7

COUNTS = """{ organisations { totalCount } nonStateActors { totalCount }
  memberships { totalCount } agreements { totalCount } armsTransfers { totalCount } }"""
CONTENT = text(
    """SELECT t.key, s.code, r.code, t.recipient_organisation_id IS NOT NULL,
         t.recipient_non_state_actor_id IS NOT NULL, t.weapon_designation, t.weapon_category,
         t.number_ordered, t.number_delivered, t.order_year, t.status, t.condition,
         t.tiv_per_unit, t.tiv_delivered
       FROM arms_transfer t
       LEFT JOIN state s ON s.id = t.supplier_id LEFT JOIN state r ON r.id = t.recipient_id
       WHERE t.key LIKE 'syn-%' ORDER BY t.key"""
)


async def _generate(url: str) -> list[Any]:
    async with engine_scope(settings_for(url)) as engine:
        await generate(create_session_factory(engine), TINY, SEED)
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(CONTENT)]


async def test_it_writes_the_counts_asked_and_cites_every_record(
    database_url: str, client: httpx.AsyncClient
) -> None:
    before = await data_of(client, COUNTS)

    await _generate(database_url)

    after = await data_of(client, COUNTS)
    added = {name: after[name]["totalCount"] - before[name]["totalCount"] for name in after}
    assert added == {
        "organisations": 20,
        "nonStateActors": 5,
        "memberships": 200,
        "agreements": 100,
        "armsTransfers": 1000,
    }
    data = await data_of(
        client,
        """{ armsTransfers(first: 50) { edges { node { key recipientActor { __typename }
             sources { document locator } } } }
           agreements(first: 50) { edges { node { key
             parties { __typename } sources { document } } } }
           memberships(last: 5) { edges { node { member { __typename } sources { document } } } }
        }""",
    )
    for transfer in nodes(data["armsTransfers"]):
        assert transfer["key"].startswith("syn-transfer-")
        assert transfer["sources"][0]["document"].startswith("silkgraph synthetic benchmark data")
    synthetic = [a for a in nodes(data["agreements"]) if a["key"].startswith("syn-")]
    assert synthetic
    for agreement in synthetic:
        assert 2 <= len(agreement["parties"]) <= 5
        assert agreement["sources"]
    assert all(m["sources"] for m in nodes(data["memberships"]))


async def test_the_same_seed_gives_the_same_rows_on_either_back_end(
    database_url: str, templates: Templates, tmp_path: Path
) -> None:
    reference = tmp_path / "reference.db"
    shutil.copyfile(templates.sqlite_path("loaded"), reference)

    rows = await _generate(database_url)

    assert rows == await _generate(f"sqlite+aiosqlite:///{reference}")
    recipients = {row[2] for row in rows}
    assert 30 < len(recipients) < 250  # skewed, yet spread over many states


async def test_the_script_refuses_a_second_run(database_url: str) -> None:
    await _generate(database_url)

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(PROJECT_ROOT / "bench" / "generate.py"),
        "--scale",
        "small",
        "--database-url",
        database_url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()

    assert process.returncode == 1
    assert output.decode().strip() == (
        "Nothing generated: the database already holds synthetic data: use a fresh one"
    )
