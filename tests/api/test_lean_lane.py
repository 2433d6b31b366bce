"""The lean lane answers known compiled operations with every guarantee of the whole way.

An operation is first answered the whole way (Strawberry's executor, with the compiled path
as an extension); from then on the lane answers it. Each test warms an operation, then checks
one guarantee on the lane: the same bytes, limits, timeouts, persisted queries, CORS, gzip,
metrics, the request log, `Server-Timing` and the single read. A spy on `Lane.execute`
tells whether the lane answered or handed the request on.
"""

import asyncio
import hashlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.read_snapshot import ReadSnapshot
from api.settings import Settings
from api.single_read import StatementReader
from schema.compiled.extension import CompiledPaths
from schema.compiled.lane import Lane
from schema.compiled.sql import Builder
from tests.graphql import client_for

PAGE = """query Page($first: Int, $after: String, $codes: [String!]) {
  armsTransfers(first: $first, after: $after, filter: { suppliers: $codes }) {
    totalCount
    edges { cursor node { key orderYear weaponDesignation supplier { code name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
HEADERS = {"x-request-id": "lane-test"}  # errors carry it: the same on both apps

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each call of the lane answered (True) or handed the request on (False)."""
    calls: list[bool] = []
    execute = Lane.execute

    async def spied(self: Lane, *args: Any) -> Any:
        result = await execute(self, *args)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(Lane, "execute", spied)
    return calls


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(settings, rate_limit_enabled=False) as client:
        yield client


async def _post(client: httpx.AsyncClient, variables: dict[str, Any], **headers: str) -> Any:
    payload = {"query": PAGE, "variables": variables}
    return await client.post("/graphql", json=payload, headers={**HEADERS, **headers})


async def test_a_known_operation_takes_the_lane_and_answers_the_same_bytes(
    settings: Settings, client: httpx.AsyncClient, answered: list[bool]
) -> None:
    first = await _post(client, {"first": 3})
    assert answered == [False]  # not known yet: the whole way
    again = await _post(client, {"first": 3})
    cursor = first.json()["data"]["armsTransfers"]["pageInfo"]["endCursor"]
    later = await _post(client, {"first": 3, "after": cursor})
    assert answered == [False, True, True]
    async with client_for(settings, compiled_reads=False, rate_limit_enabled=False) as resolved:
        reference = await _post(resolved, {"first": 3})
        reference_later = await _post(resolved, {"first": 3, "after": cursor})
    for lane, whole in ((again, reference), (later, reference_later)):
        assert lane.content == whole.content
        assert lane.status_code == whole.status_code == 200
        assert lane.headers["content-type"] == whole.headers["content-type"]
        assert lane.headers["server-timing"].startswith("compiled;dur=")
    assert json.loads(again.content)["extensions"]["cost"]["limit"] == settings.max_query_cost


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 100_000},  # over the page size
        {"first": 3, "after": "not a cursor"},  # BAD_USER_INPUT, worded by the resolvers
        {"first": 3, "codes": ["nul\u0000"]},  # the text guard
        {"first": "three"},  # variable coercion
        {"first": 3, "codes": ["not a code!"]},
    ],
)
async def test_refusals_are_the_whole_ways_word_for_word(
    settings: Settings, client: httpx.AsyncClient, answered: list[bool], variables: Any
) -> None:
    await _post(client, {"first": 3})
    await _post(client, {"first": 3})
    assert answered == [False, True]
    refused = await _post(client, variables)
    assert answered[-1] is False
    async with client_for(settings, rate_limit_enabled=False) as cold:
        reference = await _post(cold, variables)  # an app that never saw the operation
    assert refused.content == reference.content
    assert refused.status_code == reference.status_code
    assert refused.json()["errors"][0]["extensions"]["code"] in {
        "QUERY_TOO_COMPLEX",
        "BAD_USER_INPUT",
    }


SOMETIMES_MIXED = """query ($search: Boolean!) {
  armsTransfers(first: 2) { edges { node { key } } }
  search(text: "kaz", first: 1) @include(if: $search) { totalCount }
}"""


async def test_a_known_operation_that_turns_mixed_goes_the_whole_way(
    settings: Settings, client: httpx.AsyncClient, answered: list[bool]
) -> None:
    """Known as compiled while `$search` is false; with it true the executor must resolve
    the search, so the lane hands the request on."""
    payloads = [{"query": SOMETIMES_MIXED, "variables": {"search": s}} for s in (False, True)]
    await client.post("/graphql", json=payloads[0])
    compiled = await client.post("/graphql", json=payloads[0])
    mixed = await client.post("/graphql", json=payloads[1])
    assert answered == [False, True, False]
    assert compiled.headers["server-timing"].startswith("compiled;")
    assert mixed.headers["server-timing"].startswith("mixed;")
    async with client_for(settings, compiled_reads=False, rate_limit_enabled=False) as resolved:
        reference = await resolved.post("/graphql", json=payloads[1])
    assert mixed.content == reference.content
    assert mixed.json()["data"]["search"]["totalCount"] > 0


async def test_the_cost_budget_holds_on_the_lane(settings: Settings, answered: list[bool]) -> None:
    async with client_for(settings, rate_limit_enabled=False) as probe:
        cost = (await _post(probe, {"first": 3})).json()["extensions"]["cost"]["requested"]
    budget = {"rate_limit_enabled": False, "max_query_cost": cost}
    async with client_for(settings, **budget) as client:
        await _post(client, {"first": 3})
        await _post(client, {"first": 3})
        refused = await _post(client, {"first": 4})  # a legal page, over the budget
    assert answered == [False, False, True, False]  # the probe, then the client
    async with client_for(settings, **budget) as cold:
        reference = await _post(cold, {"first": 4})
    assert refused.content == reference.content
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"]["limit"] == cost


async def test_the_deadline_holds_on_the_lane(
    settings: Settings, answered: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with client_for(settings, rate_limit_enabled=False, request_timeout=2.0) as client:
        await _post(client, {"first": 3})
        bind = Builder.bind

        async def slow(self: Builder, *args: Any) -> Any:
            await asyncio.sleep(30)  # cancelled by the deadline
            return await bind(self, *args)

        monkeypatch.setattr(Builder, "bind", slow)
        late = await _post(client, {"first": 4}, accept="application/graphql-response+json")
    assert answered == [False]  # the lane did not answer: its deadline ended it
    assert late.status_code == 504
    assert late.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_a_fault_on_the_lane_costs_the_client_nothing(
    settings: Settings,
    client: httpx.AsyncClient,
    answered: list[bool],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _post(client, {"first": 3})

    async def broken(*_args: Any) -> Any:
        raise RuntimeError("a bug in the compiled path")

    monkeypatch.setattr(CompiledPaths, "_data", broken)
    with caplog.at_level(logging.ERROR, logger="silkgraph.compiled"):
        answer = await _post(client, {"first": 3})
    assert answered == [False, False]
    assert answer.headers["server-timing"].startswith("resolved;dur=")
    async with client_for(settings, compiled_reads=False, rate_limit_enabled=False) as resolved:
        assert answer.content == (await _post(resolved, {"first": 3})).content
    assert "a bug in the compiled path" not in answer.text  # masked: logged, not told
    assert any("compiled path failed" in r.getMessage() for r in caplog.records)


async def test_persisted_queries_take_the_lane(
    client: httpx.AsyncClient, answered: list[bool]
) -> None:
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    registered = await client.post(
        "/graphql",
        json={"query": PAGE, "variables": {"first": 2}, "extensions": extensions},
        headers=HEADERS,
    )
    by_hash = await client.get(
        "/graphql",
        params={"variables": json.dumps({"first": 2}), "extensions": json.dumps(extensions)},
        headers=HEADERS,
    )
    assert answered == [False, True]
    assert by_hash.status_code == 200
    assert by_hash.content == registered.content


async def test_http_layers_hold_on_the_lane(
    client: httpx.AsyncClient, answered: list[bool], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="silkgraph.access")
    await _post(client, {"first": 50})
    plain = await _post(client, {"first": 50})
    zipped = await _post(
        client, {"first": 50}, origin="http://localhost:5173", **{"accept-encoding": "gzip"}
    )
    assert answered == [False, True, True]
    # CORS and gzip: the middlewares wrap the lane as they wrap the whole way.
    assert zipped.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert zipped.headers["content-encoding"] == "gzip"
    assert len(plain.content) > 1024
    assert zipped.content == plain.content  # httpx decoded it
    assert zipped.headers["x-request-id"] == "lane-test"
    assert zipped.headers["server-timing"].startswith("compiled;dur=")
    # The request log and the metrics tell the path.
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "silkgraph.access"]
    assert [line["execution_path"] for line in lines] == ["compiled"] * 3
    assert [line["operation"] for line in lines] == ["Page"] * 3
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families((await client.get("/metrics")).text)
        for sample in family.samples
    }
    labels = {"operation": "Page", "outcome": "ok", "code": "", "path": "compiled"}
    assert samples[("silkgraph_graphql_operations_total", frozenset(labels.items()))] == 3


async def test_the_lane_reads_one_statement_past_the_requests_snapshot(
    client: httpx.AsyncClient, answered: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    await _post(client, {"first": 3})
    blocks: list[int] = []
    reads: list[int] = []
    call = ReadSnapshot.__call__
    scalar = StatementReader.scalar

    def counted(self: ReadSnapshot) -> Any:
        blocks.append(id(self))
        return call(self)

    async def read(self: StatementReader, *args: Any) -> Any:
        reads.append(id(self))
        return await scalar(self, *args)

    monkeypatch.setattr(ReadSnapshot, "__call__", counted)
    monkeypatch.setattr(StatementReader, "scalar", read)
    await _post(client, {"first": 3})
    assert answered == [False, True]
    # One statement is its own snapshot: no session, no transaction around it.
    assert blocks == []
    assert reads == [id(client.app.state.single_read)]  # type: ignore[attr-defined]
