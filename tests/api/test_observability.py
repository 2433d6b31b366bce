"""Each request is told once: a JSON line in the log and samples in `/metrics`, with its
request id, operation names, outcome and duration."""

import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.metrics import MAX_OPERATION_NAMES, OTHER, Metrics
from api.observability import document_operation_name
from api.settings import Settings
from tests.graphql import client_for
from tests.live import live_server

NAMED = "query StateName($code: String!) { state(code: $code) { name } }"
# `first: 101` is refused, nulling the organisation; the state's name still comes back.
PARTIAL = """query StateName { state(code: "UZB") { name }
  organisation(acronym: "OTS") { armsImports(first: 101) { totalCount } } }"""


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _operations(samples: dict[Any, float], **labels: str) -> float:
    key = ("silkgraph_graphql_operations_total", frozenset(labels.items()))
    return samples.get(key, 0.0)


async def test_metrics_count_operations_by_name_and_outcome(client: httpx.AsyncClient) -> None:
    for code in ("UZB", "KAZ"):
        await client.post("/graphql", json={"query": NAMED, "variables": {"code": code}})
    await client.post("/graphql", json={"query": "{ __typename }"})
    await client.post("/graphql", json={"query": PARTIAL})
    await client.post("/graphql", json={"query": "query Broken { nope }"})
    await client.get("/export/states.csv?limit=1")

    answer = await client.get("/metrics")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    samples = _samples(answer.text)
    ok = {"outcome": "ok", "code": "", "path": "resolved"}
    # `state(code:)` alone is the compiled read path's to answer.
    assert _operations(samples, operation="StateName", **{**ok, "path": "compiled"}) == 2
    assert _operations(samples, operation="anonymous", **ok) == 1
    partial = {"outcome": "partial", "code": "BAD_USER_INPUT", "path": "resolved"}
    assert _operations(samples, operation="StateName", **partial) == 1
    error = {"outcome": "error", "code": "GRAPHQL_VALIDATION_FAILED", "path": "resolved"}
    assert _operations(samples, operation="Broken", **error) == 1
    graphql = frozenset({"endpoint": "graphql", "path": "resolved"}.items())
    assert samples[("silkgraph_http_request_duration_seconds_count", graphql)] == 3
    assert samples[("silkgraph_http_request_duration_seconds_sum", graphql)] > 0
    export = frozenset({"endpoint": "export", "status": "200", "path": ""}.items())
    assert samples[("silkgraph_http_requests_total", export)] == 1


async def test_metrics_tell_which_read_path_answered(settings: Settings) -> None:
    async with client_for(settings) as client:
        await client.get("/graphql", params={"query": "{ states(first: 1) { totalCount } }"})
        await client.get("/graphql", params={"query": "{ __typename }"})
        samples = _samples((await client.get("/metrics")).text)

    for path in ("compiled", "resolved"):
        labels = {"operation": "anonymous", "outcome": "ok", "code": "", "path": path}
        assert _operations(samples, **labels) == 1


async def test_metrics_can_be_switched_off(settings: Settings) -> None:
    async with client_for(settings, metrics_enabled=False) as client:
        answer = await client.get("/metrics")

    assert answer.status_code == 404


def test_the_operation_names_counted_are_capped() -> None:
    metrics = Metrics()
    names = [metrics.label_of(f"Op{n}") for n in range(MAX_OPERATION_NAMES + 5)]

    assert names[:MAX_OPERATION_NAMES] == [f"Op{n}" for n in range(MAX_OPERATION_NAMES)]
    assert names[MAX_OPERATION_NAMES:] == [OTHER] * 5
    assert metrics.label_of("Op3") == "Op3"  # a name already counted stays itself
    assert Metrics().label_of("not a name {") == OTHER


@pytest.mark.parametrize(
    ("document", "name"),
    [
        ("query A { x }", "A"),
        ("mutation Save($a: Int) { x }", "Save"),
        ("{ x }", None),
        ("query { x }", None),
        ("query @live { x }", None),
        ("# query Commented\n query Real { x }", "Real"),
        ('fragment query on Query { a(b: {c: "query X"}) } query Named { ...query }', "Named"),
        ("fragment F on T @d(a: {b: 1}) { x { y } } subscription S { x }", "S"),
        ("query Broken {", "Broken"),
        ('"unterminated', None),
        ("", None),
    ],
)
def test_the_operation_name_is_read_from_the_document(document: str, name: str | None) -> None:
    assert document_operation_name(document) == name


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "silkgraph.access"]


async def test_each_request_is_one_json_log_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="silkgraph.access")
    await client.post(
        "/graphql",
        json={"query": NAMED, "variables": {"code": "UZB"}},
        headers={"x-request-id": "frontend-42"},
    )
    await client.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ nope }"}])
    await client.get("/export/states.ndjson")
    await client.post("/graphql", content=b"{", headers={"content-type": "application/json"})

    named, batch, export, refused = _lines(caplog)

    assert named == {
        "request_id": "frontend-42",
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "operation": "StateName",
        "outcome": "ok",
        "codes": [],
        "execution_path": "compiled",
        "duration_ms": named["duration_ms"],
    }
    assert named["duration_ms"] > 0
    assert batch["operation"] == [None, None]
    assert batch["outcome"] == "error"
    assert batch["codes"] == ["GRAPHQL_VALIDATION_FAILED"]
    assert re.fullmatch(r"[0-9a-f]{32}", batch["request_id"])
    # A streamed answer is told once, when its last row has left.
    assert export["path"] == "/export/states.ndjson"
    assert (export["status"], export["operation"], export["outcome"]) == (200, None, "ok")
    assert export["execution_path"] is None
    assert (refused["status"], refused["outcome"]) == (400, "error")


@pytest.mark.slow
def test_serve_writes_the_json_lines_to_its_output(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with live_server(database_url, log=log) as base:
        httpx.post(
            f"{base}/graphql",
            json={"query": NAMED, "variables": {"code": "KGZ"}},
            headers={"x-request-id": "live-1"},
        )

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [line] = [line for line in lines if line["request_id"] == "live-1"]
    assert (line["operation"], line["status"], line["outcome"]) == ("StateName", 200, "ok")
    # uvicorn's own access lines are off: the JSON line says all they said and more.
    assert '"POST /graphql HTTP/1.1" 200' not in log.read_text()
