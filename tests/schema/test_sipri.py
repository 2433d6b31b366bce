"""The schema over the real SIPRI edition: actors of every kind, and no N+1 on its new fields.

The edition is imported once per back end into a template (after the fixtures), and each test
gets its own copy, as with the fixtures template.
"""

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlmodel import col

from api import models
from api.db import engine_scope
from api.settings import PROJECT_ROOT
from schema.loaders.arms_transfers import TRANSFER_ORDER
from tests.conftest import (
    StatementCounter,
    Templates,
    _database,
    settings_for,
    template_with_sipri,
)
from tests.graphql import data_of, nodes

REAL_EDITION = PROJECT_ROOT / "fixtures" / "sipri" / "trade-register-2024-10.csv"


@pytest.fixture(scope="session")
async def sipri_template(templates: Templates) -> Templates:
    return await template_with_sipri(templates, "sipri", REAL_EDITION)


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
    "transfer statistics by actors of any kind": (
        # the GROUP BY, then the states, organisations and non-state actors of the buckets
        4,
        f"""query ($filter: ArmsTransferFilter) {{
          armsTransferStats(groupBy: [SUPPLIER_ACTOR, RECIPIENT_ACTOR, CONDITION],
                            filter: $filter, limit: 2000) {{
            buckets {{ count condition supplierActor {{ {ACTOR} }}
                       recipientActor {{ {ACTOR} }} }} }} }}""",
        {"filter": {"recipient": "KGZ"}},
        {"filter": {"orderYear": {"gte": 2015}}},
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


SIPRI_TRANSFERS = """query ($filter: ArmsTransferFilter, $orderBy: [ArmsTransferOrder!]) {
  armsTransfers(first: 100, filter: $filter, orderBy: $orderBy) { totalCount edges { node {
    key supplierName condition tivTotalOrder numberOrderedEstimated
    supplierActor { __typename } } } } }"""


async def _transfers(client: httpx.AsyncClient, filter: dict[str, Any], **more: Any) -> Any:
    data = await data_of(client, SIPRI_TRANSFERS, {"filter": filter, **more})
    return data["armsTransfers"]


async def test_sipri_fields_filter_and_sort_transfers(client: httpx.AsyncClient) -> None:
    kyrgyz = await _transfers(client, {"recipient": "KGZ"})
    # 15 SIPRI deals and the paper's 4 drones, 3 of which SIPRI describes too (counted once)
    assert kyrgyz["totalCount"] == 19 - 3

    unknown = await _transfers(client, {"recipient": "KGZ", "supplierKinds": ["UNKNOWN"]})
    assert [n["supplierName"] for n in nodes(unknown)] == ["unknown supplier(s)"]
    used = await _transfers(
        client, {"recipient": "KGZ", "conditions": ["SECOND_HAND"], "supplierKinds": ["STATE"]}
    )
    assert {n["condition"] for n in nodes(used)} == {"SECOND_HAND"}
    assert used["totalCount"] == 6
    # A flag is set only beside a number SIPRI gives; the paper's records carry none, so
    # neither value of a flag matches them.
    flagged = await _transfers(client, {"recipient": "KGZ", "numberOrderedEstimated": True})
    reported = await _transfers(client, {"recipient": "KGZ", "numberOrderedEstimated": False})
    numbered = await _transfers(client, {"recipient": "KGZ", "numberOrderedKnown": True})
    assert flagged["totalCount"] + reported["totalCount"] == numbered["totalCount"] > 0
    assert {n["numberOrderedEstimated"] for n in nodes(flagged)} == {True}

    by_value = await _transfers(
        client,
        {"recipient": "KGZ", "tivTotalOrder": {"gte": 10}},
        orderBy=[{"field": "TIV_TOTAL_ORDER", "direction": "DESC"}],
    )
    assert [n["tivTotalOrder"] for n in nodes(by_value)] == [16.2, 14.5, 11.6]
    # Unknown TIVs sort last either way, never as 0.
    ascending = await _transfers(
        client, {"recipient": "KGZ"}, orderBy=[{"field": "TIV_TOTAL_ORDER"}]
    )
    values = [n["tivTotalOrder"] for n in nodes(ascending)]
    known = [v for v in values if v is not None]
    assert values == sorted(known) + [None] * (len(values) - len(known))

    # Actors of any kind by name: NATO (organisation), PKK and Hezbollah (non-state actors).
    assert (await _transfers(client, {"recipientActors": ["nato", "PKK", "hezbollah"]}))[
        "totalCount"
    ] == 37
    others = await _transfers(client, {"supplierKinds": ["ORGANISATION", "NON_STATE_ACTOR"]})
    assert {n["supplierActor"]["__typename"] for n in nodes(others)} == {
        "Organisation",
        "NonStateActor",
    }


async def test_stats_group_by_actors_of_any_kind_and_condition(
    client: httpx.AsyncClient,
) -> None:
    data = await data_of(
        client,
        """{ others: armsTransferStats(groupBy: [SUPPLIER_ACTOR, RECIPIENT],
               filter: {supplierKinds: [ORGANISATION, NON_STATE_ACTOR]}) {
             buckets { supplier { code } recipient { code } count
               supplierActor { __typename ... on Organisation { acronym }
                               ... on NonStateActor { key } } } }
             turkish: armsTransferStats(groupBy: [CONDITION], filter: {supplier: "TUR"}) {
               buckets { condition count tivTotalOrderSum } }
             all: armsTransfers(filter: {supplier: "TUR"}) { totalCount }
             mali: state(code: "MLI") { armsSupplierDiversification {
               deals dealsWithOtherSupplier dealsWithUnknownSupplier
               suppliers { deals } } } }""",
    )

    others = data["others"]["buckets"]
    assert sum(b["count"] for b in others) == 7
    assert all(b["supplier"] is None for b in others)  # no state supplied these
    assert {"__typename": "Organisation", "acronym": "EU"} in [b["supplierActor"] for b in others]
    turkish = {b["condition"]: b for b in data["turkish"]["buckets"]}
    assert sum(b["count"] for b in turkish.values()) == data["all"]["totalCount"]
    assert turkish[None]["tivTotalOrderSum"] is None  # the paper's deals: no SIPRI values
    assert turkish["NEW"]["tivTotalOrderSum"] > 0
    mali = data["mali"]["armsSupplierDiversification"]
    # The EU's deal with Mali is neither a state's nor of unknown origin.
    assert mali["dealsWithOtherSupplier"] == 1
    assert mali["deals"] == (
        sum(s["deals"] for s in mali["suppliers"])
        + mali["dealsWithOtherSupplier"]
        + mali["dealsWithUnknownSupplier"]
    )


NON_STATE_ACTORS = """query ($filter: NonStateActorFilter, $orderBy: [NonStateActorOrder!],
                             $first: Int, $after: String) {
  nonStateActors(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { key name country { code } } } } }"""


async def test_non_state_actors_filter_and_page_in_every_order(
    client: httpx.AsyncClient,
) -> None:
    placed = await data_of(
        client,
        NON_STATE_ACTORS,
        {
            "filter": {"countries": ["TUR", "lbn"]},
            "orderBy": [{"field": "NAME", "direction": "DESC"}],
            "first": 100,
        },
    )
    assert [n["key"] for n in nodes(placed["nonStateActors"])] == [
        "sla",
        "pkk",
        "lebanon-palestinian-rebels",
        "lf",
        "hezbollah",
        "amal",
    ]

    sorted_by: dict[str, Callable[[dict[str, Any]], Any]] = {
        "KEY": lambda n: n["key"],
        "NAME": lambda n: n["name"],
        "COUNTRY": lambda n: (n["country"] or {}).get("code"),
    }
    for field, value in sorted_by.items():
        for direction in ("ASC", "DESC"):
            order_by = [{"field": field, "direction": direction}]
            whole = await data_of(client, NON_STATE_ACTORS, {"orderBy": order_by, "first": 100})
            everything = nodes(whole["nonStateActors"])
            paged: list[dict[str, Any]] = []
            after = None
            while True:
                page = (
                    await data_of(
                        client,
                        NON_STATE_ACTORS,
                        {"orderBy": order_by, "first": 7, "after": after},
                    )
                )["nonStateActors"]
                paged += nodes(page)
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            assert paged == everything, (field, direction)
            values = [value(n) for n in everything]
            known = [v for v in values if v is not None]
            assert known == sorted(known, reverse=direction == "DESC"), (field, direction)
            assert values == known + [None] * (len(values) - len(known)), (field, direction)


async def test_the_transfer_export_carries_every_sipri_field(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/export/arms-transfers.ndjson?recipient=KGZ&supplierKinds=UNKNOWN,NON_STATE_ACTOR"
    )

    assert response.status_code == 200, response.text
    [row] = [json.loads(line) for line in response.text.splitlines()]
    assert row["key"] == "sipri:kgz/unknown/2006/an2"
    assert (row["supplier"], row["supplier_actor"], row["supplier_kind"]) == (None, None, "UNKNOWN")
    assert (row["recipient_actor"], row["recipient_kind"]) == ("KGZ", "STATE")
    assert row["supplier_name"] == "unknown supplier(s)"
    assert row["condition"] in {"NEW", "SECOND_HAND", "SECOND_HAND_MODERNISED"}
    assert isinstance(row["order_year_estimated"], bool)
    assert row["tiv_per_unit"] is None or isinstance(row["tiv_per_unit"], float)


async def test_search_finds_what_the_edition_brought(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ hezbollah: search(text: "hezbollah", first: 3) { totalCount edges { node {
               kind title item { ... on NonStateActor { key }
                                 ... on ArmsTransfer { recipientActor { __typename } } } } } }
             soviet: search(text: "soviet union", kinds: [STATE]) { edges { node { title } } }
             unknown: search(text: "unknown supplier an 2", kinds: [ARMS_TRANSFER]) {
               edges { node { title } } } }""",
    )

    first, *transfers = nodes(data["hezbollah"])
    assert (first["kind"], first["item"]) == ("NON_STATE_ACTOR", {"key": "hezbollah"})
    # Deals name their actors of any kind: Iran's deliveries to Hezbollah.
    assert {t["title"].split(": ")[1] for t in transfers} == {"Iran to Hezbollah"}
    assert {t["item"]["recipientActor"]["__typename"] for t in transfers} == {"NonStateActor"}
    assert data["hezbollah"]["totalCount"] > 10
    assert [n["title"] for n in nodes(data["soviet"])][0] == "Soviet Union"
    assert "unknown supplier(s) to Kyrgyzstan" in nodes(data["unknown"])[0]["title"]


async def test_organisations_and_non_state_actors_are_tied_by_their_deals(
    client: httpx.AsyncClient,
) -> None:
    data = await data_of(
        client,
        """{ hezbollah: connections(from: "hezbollah", to: "IRN", kinds: [ARMS_TRANSFER]) {
               hops paths { hops { ties { kind record { ... on ArmsTransfer {
                 supplierActor { ... on State { code } } } } } } } }
             mali: connections(from: "EU", to: "MLI", maxHops: 1, kinds: [ARMS_TRANSFER]) {
               hops }
             pkk: network(center: "pkk", kinds: [ARMS_TRANSFER]) { nodes { label } edges { kind } }
             hezbollahs: network(center: "hezbollah", kinds: [ARMS_TRANSFER]) {
               nodes { kind label } edges { kind } } }""",
    )

    hezbollah = data["hezbollah"]
    assert hezbollah["hops"] == 1
    [[step]] = [path["hops"] for path in hezbollah["paths"]]
    assert {t["kind"] for t in step["ties"]} == {"ARMS_TRANSFER"}
    assert {t["record"]["supplierActor"]["code"] for t in step["ties"]} == {"IRN"}
    assert data["mali"]["hops"] == 1  # the EU's deal with Mali
    # The PKK's two deals name no supplier: no tie, an unknown actor is nobody.
    assert data["pkk"] == {"nodes": [{"label": "PKK"}], "edges": []}
    around = data["hezbollahs"]
    assert around["nodes"][0] == {"kind": "NON_STATE_ACTOR", "label": "Hezbollah"}
    assert {"kind": "STATE", "label": "Iran"} in around["nodes"]
    assert {e["kind"] for e in around["edges"]} == {"ARMS_TRANSFER"}


TIME_SERIES = """query ($fill: IntRange, $filter: ArmsTransferFilter) {
  armsTransferStats(groupBy: [RECIPIENT, ORDER_YEAR], filter: $filter, fillYears: $fill,
                    orderBy: { field: KEY }, limit: 10000) {
    truncated buckets { recipient { code } orderYear count tivTotalOrderSum } } }"""


async def test_a_filled_time_series_over_the_real_edition(client: httpx.AsyncClient) -> None:
    central_asia = {"recipients": ["KAZ", "KGZ", "TJK", "TKM", "UZB"], "supplier": "RUS"}
    years = range(1992, 2024)
    filled = await data_of(
        client, TIME_SERIES, {"fill": {"gte": years[0], "lte": years[-1]}, "filter": central_asia}
    )
    plain = await data_of(client, TIME_SERIES, {"fill": None, "filter": central_asia})

    buckets = filled["armsTransferStats"]["buckets"]
    series = sorted({b["recipient"]["code"] for b in buckets})
    assert series == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    # Every recipient, then every year in order: what a chart draws without gaps.
    assert [(b["recipient"]["code"], b["orderYear"]) for b in buckets] == [
        (code, year) for code in series for year in years
    ]
    in_range = [b for b in plain["armsTransferStats"]["buckets"] if b["orderYear"] in years]
    assert [b for b in buckets if b["count"]] == in_range
    assert sum(b["count"] == 0 for b in buckets) > 0
    assert all(b["tivTotalOrderSum"] is None for b in buckets if b["count"] == 0)
