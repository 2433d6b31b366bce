"""The front door answers known compiled reads before FastAPI, as the whole way answers them.

Each case sends the same requests to two apps on one database: one with the front door,
one without (`front_door=False`: the whole way, where the lean lane answers inside the
router). The operation is warmed first on both, so both know it; then the case's request
must get the same status, the same headers in the same order (less what varies by nature:
Server-Timing's duration, a generated X-Request-ID) and the same bytes, compressed or not.
A spy on the router tells whether a request reached FastAPI's route, so each case also says
which door answered.
"""

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.graphql_http import SilkgraphRouter
from api.settings import Settings
from bench.queries import BENCHMARK, Parameters, choose_parameters
from schema.compiled.lane import Lane
from schema.compiled.sql import Builder
from tests.asgi import json_post_scope
from tests.conftest import StatementCounter
from tests.graphql import client_for

pytestmark = pytest.mark.usefixtures("backend")

QUERIES = {query.name: query for query in BENCHMARK if query.name in {"a", "b", "c"}}
GIVEN_ID = {"x-request-id": "front-door-test"}
GZIP = {"accept-encoding": "gzip"}
ALLOWED = {"origin": "http://localhost:5173"}
REFUSED = {"origin": "https://elsewhere.example"}
GRAPHQL_RESPONSE = {"accept": "application/graphql-response+json"}
_DURATION = re.compile(r"dur=[0-9.]+")
_GENERATED = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Exchange:
    """What a client got, raw: status, headers in order, body bytes as sent."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    routed: bool  # whether the request reached FastAPI's route (Strawberry's view)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)


@dataclass(frozen=True)
class Case:
    """One request after the warm-up, and whether the front door should answer it."""

    query: str
    answered: bool
    headers: dict[str, str] = field(default_factory=dict)
    variables: Callable[[Parameters], dict[str, Any]] | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    payload: Callable[[str, dict[str, Any]], Any] | None = None  # the JSON body, or the below
    get: bool = False  # in the query string
    padding: int = 0  # characters of unused variable, to grow the body


def _apq(query: str, variables: dict[str, Any], *, with_text: bool) -> dict[str, Any]:
    digest = hashlib.sha256(query.encode()).hexdigest()
    payload: dict[str, Any] = {
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
    }
    if with_text:
        payload["query"] = query
    return payload


CASES = {
    "a": Case("a", answered=True, headers=GIVEN_ID),
    "b gzip, no id": Case("b", answered=True, headers=GZIP),
    "c gzip, allowed origin": Case("c", answered=True, headers={**GZIP, **ALLOWED, **GIVEN_ID}),
    "a refused origin": Case("a", answered=True, headers=REFUSED),
    "b graphql-response+json": Case("b", answered=True, headers={**GRAPHQL_RESPONSE, **GZIP}),
    "a persisted, hash and text": Case(
        "a", answered=True, payload=lambda q, v: _apq(q, v, with_text=True)
    ),
    "a persisted, hash only": Case(
        "a", answered=True, payload=lambda q, v: _apq(q, v, with_text=False)
    ),
    "a persisted, unknown hash": Case(
        "a",
        answered=False,
        headers=GIVEN_ID,
        payload=lambda q, v: _apq(q + " ", v, with_text=False),
    ),
    "a by GET": Case("a", answered=False, get=True, headers=GIVEN_ID),
    "a in a batch": Case("a", answered=False, payload=lambda q, v: [{"query": q, "variables": v}]),
    "a bad variable": Case("a", answered=False, headers=GIVEN_ID, variables=lambda _: {"code": 5}),
    "a unknown operation name": Case(
        "a",
        answered=False,
        headers=GIVEN_ID,
        payload=lambda q, v: {"query": q, "variables": v, "operationName": "X"},
    ),
    "a malformed request id": Case("a", answered=False, headers={"x-request-id": "not ok!"}),
    "a over the body limit": Case("a", answered=False, headers=GIVEN_ID, padding=70_000),
    "b streaming asked for": Case("b", answered=False, headers={"accept": "text/event-stream"}),
    "a rate-limited": Case(
        "a",
        answered=False,
        headers=GIVEN_ID,
        changes={"rate_limit_enabled": True, "rate_limit_per_second": 0.01, "rate_limit_burst": 1},
    ),
    "a within the rate": Case(
        "a",
        answered=True,
        headers=GIVEN_ID,
        changes={"rate_limit_enabled": True, "rate_limit_per_second": 0.01, "rate_limit_burst": 2},
    ),
}


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The method of each request that reached FastAPI's GraphQL route."""
    calls: list[str] = []
    run = SilkgraphRouter.run

    async def spied(self: SilkgraphRouter, request: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(request.method)
        return await run(self, request, *args, **kwargs)

    monkeypatch.setattr(SilkgraphRouter, "run", spied)
    return calls


@pytest.fixture
async def parameters(settings: Settings) -> Parameters:
    return await choose_parameters(settings.database_url)


@pytest.fixture
async def doors(settings: Settings) -> AsyncIterator[Callable[..., Any]]:
    """Opens the pair of apps (front door, whole way) with the same changed settings."""
    opened: list[Any] = []

    async def open_pair(**changes: Any) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
        pair = []
        for front_door in (True, False):
            manager = client_for(settings, front_door=front_door, **changes)
            opened.append(manager)
            pair.append(await manager.__aenter__())
        return pair[0], pair[1]

    yield open_pair
    for manager in reversed(opened):
        await manager.__aexit__(None, None, None)


async def exchange(
    client: httpx.AsyncClient,
    routed: list[str],
    payload: Any,
    headers: dict[str, str],
    *,
    get: bool = False,
) -> Exchange:
    before = len(routed)
    if get:
        params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()}
        request = client.build_request("GET", "/graphql", params=params, headers=headers)
    else:
        request = client.build_request("POST", "/graphql", json=payload, headers=headers)
    response = await client.send(request, stream=True)
    try:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()
    raw = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in response.headers.raw]
    return Exchange(response.status_code, raw, body, len(routed) > before)


def comparable(answer: Exchange, request_headers: dict[str, str]) -> list[tuple[str, str]]:
    """The headers less what varies by nature: a duration, an id made for this request."""
    kept = []
    for name, value in answer.headers:
        if name == "server-timing":
            value = _DURATION.sub("dur=…", value)
        elif name == "x-request-id" and value != request_headers.get("x-request-id"):
            assert _GENERATED.fullmatch(value), value
            value = "generated"
        kept.append((name, value))
    return kept


def _payload(case: Case, parameters: Parameters) -> Any:
    query = QUERIES[case.query]
    variables = (case.variables or query.variables)(parameters)
    if case.padding:
        variables = {**variables, "padding": "x" * case.padding}
    if case.payload is not None:
        return case.payload(query.silkgraph, variables)
    return {"query": query.silkgraph, "variables": variables}


async def _warm(client: httpx.AsyncClient, case: Case, parameters: Parameters) -> None:
    """The case's operation answered once (the whole way), so the lane knows it; persisted
    queries have their text stored under its hash."""
    query = QUERIES[case.query]
    warm = _apq(query.silkgraph, query.variables(parameters), with_text=True)
    answer = await client.post("/graphql", json=warm, headers=GIVEN_ID)
    assert answer.status_code == 200
    assert answer.headers["server-timing"].startswith("compiled;")


@pytest.mark.parametrize("name", CASES)
async def test_both_doors_give_the_same_answer(
    doors: Callable[..., Any], routed: list[str], parameters: Parameters, name: str
) -> None:
    case = CASES[name]
    door, whole = await doors(**case.changes)
    for client in (door, whole):
        limiter = client.app.state.rate_limiter
        if limiter is not None:
            limiter.clock = lambda: 1000.0  # still: both wait equally long, to the second
    payload = _payload(case, parameters)
    answers = []
    for client in (door, whole):
        await _warm(client, case, parameters)
        answers.append(await exchange(client, routed, payload, case.headers, get=case.get))
    by_door, by_whole = answers

    assert by_door.status == by_whole.status
    assert comparable(by_door, case.headers) == comparable(by_whole, case.headers)
    assert by_door.body == by_whole.body
    assert by_whole.routed or by_whole.status in {413, 429}  # refused before the route
    assert by_door.routed is not case.answered or by_door.status in {413, 429}
    if case.answered:
        assert by_door.status == 200
        assert (by_door.header("server-timing") or "").startswith("compiled;dur=")
    if case.headers.get("accept-encoding") == "gzip":
        assert by_door.header("content-encoding") == "gzip"  # a large answer: compressed


async def test_a_timeout_on_the_front_door_is_the_whole_ways(
    doors: Callable[..., Any],
    routed: list[str],
    parameters: Parameters,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = Case("b", answered=True, headers={**GIVEN_ID, **GRAPHQL_RESPONSE})
    # Long enough for the warm-up on a busy machine; the slow request waits it out twice.
    door, whole = await doors(request_timeout=3.0)
    for client in (door, whole):
        await _warm(client, case, parameters)
    bind = Builder.bind

    async def slow(self: Builder, *args: Any) -> Any:
        await asyncio.sleep(30)  # cancelled by the deadline
        return await bind(self, *args)

    monkeypatch.setattr(Builder, "bind", slow)
    # Variables never sent before: their binding is not cached, and is made (slowly) again.
    other = next(code for code in parameters.state_codes.values() if code != parameters.recipient)
    payload = {"query": QUERIES["b"].silkgraph, "variables": {"recipient": other}}
    answers = [await exchange(c, routed, payload, case.headers) for c in (door, whole)]
    by_door, by_whole = answers
    assert not by_door.routed
    assert by_door.status == by_whole.status == 504
    assert comparable(by_door, case.headers) == comparable(by_whole, case.headers)
    assert by_door.body == by_whole.body
    assert json.loads(by_door.body)["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_the_front_door_logs_and_counts_its_answers(
    settings: Settings,
    routed: list[str],
    parameters: Parameters,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="silkgraph.access")
    query = QUERIES["b"]
    payload = {"query": query.silkgraph, "variables": query.variables(parameters)}
    async with client_for(settings) as client:
        answers = [await exchange(client, routed, payload, GIVEN_ID) for _ in range(3)]
        metrics = (await client.get("/metrics")).text
    assert [answer.routed for answer in answers] == [True, False, False]
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "silkgraph.access"]
    assert [line["execution_path"] for line in lines[:3]] == ["compiled"] * 3
    for line in lines[:3]:
        assert line["operation"] == "RecipientPage"
        assert line["request_id"] == GIVEN_ID["x-request-id"]
        assert (line["status"], line["outcome"], line["codes"]) == (200, "ok", [])
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
    }
    operation = {"operation": "RecipientPage", "outcome": "ok", "code": "", "path": "compiled"}
    request = {"endpoint": "graphql", "status": "200", "path": "compiled"}
    assert samples[("silkgraph_graphql_operations_total", frozenset(operation.items()))] == 3
    assert samples[("silkgraph_http_requests_total", frozenset(request.items()))] == 3


async def test_a_front_door_answer_costs_one_statement(
    settings: Settings, routed: list[str], parameters: Parameters
) -> None:
    query = QUERIES["c"]
    payload = {"query": query.silkgraph, "variables": query.variables(parameters)}
    async with client_for(settings) as client:
        await exchange(client, routed, payload, GIVEN_ID)
        count_statements = StatementCounter.of(client.app)  # type: ignore[attr-defined]
        with count_statements:
            answer = await exchange(client, routed, payload, GIVEN_ID)
    assert not answer.routed
    assert count_statements.count == 1, count_statements.statements


async def test_a_fault_on_the_front_door_hands_the_request_on(
    settings: Settings,
    routed: list[str],
    parameters: Parameters,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    query = QUERIES["a"]
    payload = {"query": query.silkgraph, "variables": query.variables(parameters)}
    async with client_for(settings) as client:
        expected = await exchange(client, routed, payload, GIVEN_ID)

        async def broken(*_args: Any) -> Any:
            raise RuntimeError("a bug on the lane")

        monkeypatch.setattr(Lane, "execute", broken)
        with caplog.at_level(logging.ERROR, logger="silkgraph.http"):
            answer = await exchange(client, routed, payload, GIVEN_ID)
    # The whole way answered (its executor's compiled path, the lane not asked again).
    assert answer.routed
    assert answer.status == 200
    assert answer.body == expected.body
    assert any("the lane failed" in r.getMessage() for r in caplog.records)


async def _asgi_post(app: Any, body: bytes, pieces: int) -> tuple[int, bytes]:
    """POST `body` to the ASGI app in `pieces` messages, as a server reading a slow upload
    hands it on; the answer's status and body."""
    size = -(-len(body) // pieces)
    messages = [
        {"type": "http.request", "body": body[i : i + size], "more_body": i + size < len(body)}
        for i in range(0, len(body), size)
    ]
    scope = json_post_scope("/graphql", body)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, content


async def test_a_body_in_pieces_is_read_whole_and_replayed_whole(
    settings: Settings, routed: list[str], parameters: Parameters
) -> None:
    query = QUERIES["a"]
    operation = {"query": query.silkgraph, "variables": query.variables(parameters)}
    async with client_for(settings) as client:
        app = client.app  # type: ignore[attr-defined]
        _, expected = await _asgi_post(app, json.dumps(operation).encode(), 1)
        answered = await _asgi_post(app, json.dumps(operation).encode(), 5)
        assert routed == ["POST"]  # the first, the whole way; then the front door
        batch = await _asgi_post(app, json.dumps([operation]).encode(), 5)  # handed on
    assert answered == (200, expected)
    assert routed == ["POST", "POST"]
    assert batch == (200, b"[" + expected + b"]")
