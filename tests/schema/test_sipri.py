"""The schema over the real SIPRI edition: actors of every kind, and no N+1 on its new fields.

The edition is imported once per back end into a template (after the fixtures), and each test
gets its own copy, as with the fixtures template.
"""

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlmodel import col

from api import models
from api.db import create_session_factory, engine_scope
from api.settings import PROJECT_ROOT
from api.sipri.importer import import_register
from schema.loaders.arms_transfers import TRANSFER_ORDER
from tests.conftest import StatementCounter, Templates, _database, _pg_admin, settings_for
from tests.graphql import data_of, nodes

REAL_EDITION = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"


async def _import(url: str) -> None:
    async with engine_scope(settings_for(url)) as engine:
        await import_register(create_session_factory(engine), REAL_EDITION)


@pytest.fixture(scope="session")
async def sipri_template(templates: Templates) -> Templates:
    path = templates.sqlite_path("sipri")
    shutil.copyfile(templates.sqlite_path("loaded"), path)
    await _import(f"sqlite+aiosqlite:///{path}")
    if templates.pg is not None:
        admin = await _pg_admin(templates.pg)
        await admin.execute('CREATE DATABASE "template_sipri" TEMPLATE "template_loaded"')
        await admin.close()
        await _import(templates.pg.url("template_sipri"))
    return templates


@pytest.fixture
async def database_url(
    backend: str, sipri_template: Templates, tmp_path: Path
) -> AsyncIterator[str]:
    """A fresh database with the fixtures and the real SIPRI edition, for this test alone."""
    async for url in _database(backend, "sipri", sipri_template, tmp_path):
        yield url


ACTOR = """__typename ... on State { code } ... on Organisation { acronym }
  ... on NonStateActor { key country { code } }"""

NESTED_QUERIES: dict[str, tuple[int, str, dict[str, Any], dict[str, Any]]] = {
    "transfer actors and accounts of one deal": (
        # armsTransfers, states, organisations, non-state actors, their country,
        # sameDeal, its sources
        7,
        f"""query ($filter: ArmsTransferFilter, $n: Int) {{
          armsTransfers(first: $n, filter: $filter) {{ edges {{ node {{ key
            supplierActor {{ {ACTOR} }} recipientActor {{ {ACTOR} }}
            sameDeal {{ key numberOrdered sources {{ locator }} }} }} }} }} }}""",
        {"filter": {"supplier": "TUR", "recipient": "KGZ"}, "n": 10},
        {"filter": {"supplier": "SUN"}, "n": 100},
    ),
    "arms trade of non-state actors and organisations": (
        # nonStateActors, country, sources, armsImports, their supplierActor (states,
        # organisations, non-state actors), armsExports; organisations, armsImports,
        # recipient, armsExports
        12,
        """query ($n: Int) {
          nonStateActors(first: $n) { edges { node { key country { code } sources { quote }
            armsImports(first: 3) { totalCount edges { node {
              supplierActor { __typename ... on State { code } ... on Organisation { acronym }
                ... on NonStateActor { key } } } } }
            armsExports(first: 3) { totalCount } } } }
          organisations(first: $n) { edges { node { acronym
            armsImports(first: 3) { totalCount edges { node { recipient { code } } } }
            armsExports(first: 2) { totalCount } } } } }""",
        {"n": 2},
        {"n": 100},
    ),
}


@pytest.mark.parametrize("name", NESTED_QUERIES)
async def test_statement_count_does_not_grow_with_rows(
    client: httpx.AsyncClient, count_statements: StatementCounter, name: str
) -> None:
    budget, query, few, many = NESTED_QUERIES[name]

    with count_statements:
        small = await data_of(client, query, few)
    assert count_statements.count <= budget, count_statements.statements
    with count_statements:
        large = await data_of(client, query, many)
    assert count_statements.count <= budget, count_statements.statements

    assert len(json.dumps(large)) > 3 * len(json.dumps(small)), "the large answer must be larger"


async def test_historic_states_keep_their_own_codes(client: httpx.AsyncClient) -> None:
    query = """query ($code: String!) { state(code: $code) { code codeAssignment name
      armsExports(first: 1) { totalCount } sources { quote document }
      armsImports(first: 100) { edges { node { recipientName } } } } }"""

    soviet = (await data_of(client, query, {"code": "SUN"}))["state"]
    north_yemen = (await data_of(client, query, {"code": "XNY"}))["state"]
    russia = (await data_of(client, query, {"code": "RUS"}))["state"]

    assert (soviet["codeAssignment"], soviet["name"]) == ("ISO_3166_3", "Soviet Union")
    assert soviet["armsExports"]["totalCount"] == 3351
    assert soviet["sources"][0]["quote"] == "Soviet Union"
    assert north_yemen["codeAssignment"] == "USER_ASSIGNED"
    # Both SIPRI spellings of North Yemen are one state.
    assert {n["recipientName"] for n in nodes(north_yemen["armsImports"])} == {
        "North Yemen",
        "Yemen Arab Republic (North Yemen)",
    }
    paper = await data_of(
        client,
        '{ armsTransfers(last: 100, filter: { supplier: "RUS" }) { edges { node { key } } } }',
    )
    from_paper = [n for n in nodes(paper["armsTransfers"]) if not n["key"].startswith("sipri:")]
    # SIPRI's 1,229 Russian deals, never the Soviet Union's, and the paper's own.
    assert russia["armsExports"]["totalCount"] == 1229 + len(from_paper)


async def test_unknown_suppliers_are_nobody(client: httpx.AsyncClient) -> None:
    query = """{ armsTransfers(first: 100, filter: { recipient: "KGZ" }) { edges { node {
      key supplierName supplier { code } supplierActor { __typename } } } } }"""

    data = await data_of(client, query)

    [unknown] = [
        n for n in nodes(data["armsTransfers"]) if n["supplierName"] == "unknown supplier(s)"
    ]
    assert (unknown["supplier"], unknown["supplierActor"]) == (None, None)


async def test_a_recipients_page_reads_the_newest_first_index(database_url: str) -> None:
    async with engine_scope(settings_for(database_url)) as engine:
        table = models.ArmsTransfer.__table__.c  # type: ignore[attr-defined]
        india = select(col(models.State.id)).where(col(models.State.code) == "IND")
        statement = (
            select(models.ArmsTransfer)
            .where(col(models.ArmsTransfer.recipient_id) == india.scalar_subquery())
            .order_by(*(key.order_by(table) for key in TRANSFER_ORDER.keys))
            .limit(51)
        )
        sql = str(statement.compile(engine.sync_engine, compile_kwargs={"literal_binds": True}))
        sqlite = engine.dialect.name == "sqlite"
        async with engine.connect() as connection:
            if not sqlite:
                await connection.execute(text("ANALYZE arms_transfer"))
            explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            plan = " ".join(str(row) for row in await connection.execute(text(explain + sql)))

    assert "ix_arms_transfer_recipient_newest" in plan
    # No sort step: the index is the order.
    assert "TEMP B-TREE" not in plan
    assert "Sort" not in plan
