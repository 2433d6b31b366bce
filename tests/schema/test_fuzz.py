"""Fuzzing in-process: operations generated from the exported SDL by hypothesis-graphql,
valid ones and ones with a schema violation, sent over HTTP to the app on each back end.

Whatever comes in, the answer is honest: no 5xx, every error has a code, none is an
unexpected error (masked or not), and none mentions SQL or the server's files. The examples
are derandomized (the same ones on every run, so a red CI points at a change) and bounded by
FUZZ_EXAMPLES (default 150) per mode and back end. The long, random run is
`python -m bench.fuzz` (docs/HARDENING.md); what it finds is added below as a plain case.
"""

import os
from typing import Any

import httpx
import pytest
from hypothesis_graphql import Mode

from api.settings import Settings
from tests.fuzzing import fuzz, problems
from tests.graphql import client_for, post

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))


def must_be_honest(query: str, status: int, body: Any) -> None:
    assert not problems(status, body), (query, status, body)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["valid", "invalid"])
async def test_fuzzed_operations_get_honest_answers(settings: Settings, mode: Mode) -> None:
    async with client_for(settings, rate_limit_enabled=False) as client:
        await fuzz(client, mode, must_be_honest, max_examples=EXAMPLES, derandomize=True)


def test_the_judge_catches_what_it_must() -> None:
    masked = {
        "errors": [
            {"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
    }
    uncoded = {"errors": [{"message": "boom"}]}
    leaky = {
        "errors": [
            {
                "message": "(sqlite3.OperationalError) near SELECT *",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
    }

    assert problems(200, {"data": {"state": None}}) == []
    assert problems(500, {}) == ["status 500"]
    assert problems(200, masked)
    assert problems(200, uncoded)
    assert problems(200, leaky) == ["leaks 'select '", "leaks 'sqlite'"]


async def test_the_fuzzer_reaches_the_data(client: httpx.AsyncClient) -> None:
    """Generated queries are not all refused: some valid ones read rows (a smoke check)."""
    answered: list[bool] = []

    def collect(_query: str, _status: int, body: Any) -> None:
        answered.append("errors" not in body and bool(body.get("data")))

    await fuzz(client, Mode.POSITIVE, collect, max_examples=30, derandomize=True, fields=["states"])

    assert any(answered)


async def test_the_suites_fuzzer_draws_the_same_operations_every_run(
    client: httpx.AsyncClient,
) -> None:
    runs: list[list[str]] = []
    for _ in range(2):
        drawn: list[str] = []
        runs.append(drawn)

        def keep(query: str, _status: int, _body: Any, drawn: list[str] = drawn) -> None:
            drawn.append(query)

        await fuzz(
            client, Mode.NEGATIVE, keep, max_examples=10, derandomize=True, fields=["states"]
        )

    assert runs[0] == runs[1]
    assert len(set(runs[0])) > 1


# What the fuzzers found, kept as plain cases: each must get an honest answer.
FOUND = [
    # Issue 14: the suite's fuzzer drew it; `or_()` of no kinds warned, and -W error made the
    # warning an internal error (an empty list now matches nothing: test_empty_lists.py).
    "{ armsSupplierDiversification(filter: {supplierKinds: []}) { deals } }",
    # bench.fuzz on PostgreSQL, 2026-11-29: TIMEOUT after the production 10 s on a machine at
    # load 12 (the long fuzz now gives requests 60 s, as the suite does); honest, and kept.
    (
        "{ documents { hasFullText } node(id: -630597) { ... on MilitaryExercise { series hostS"
        'tate { armsSupplierDiversification( orderYear: null filter: { recipient: "\ud185" tivT'
        'otalOrder: null orderYearEstimated: null suppliers: [ "\xc1I\\u009E\\u009B\xb63" "\xd0'
        '\xe7\u7e7b\xc7\u65ce" "\xb7" "\xc3\xa7" "\u6866" "\xad\xec\xce\xf3\xf6" "\xcaE\\u009D'
        '\xfe+\ud521\\u000B\xcaP\xa8\xcd\u3b0c\uec0e\\u0090" "6\xce\\u0010" "\xa0\xbb\xf0O'
        '\ub48d\u7665" "FS\ue5a8" "\xc1" "\xe5\u7377\';h\xf2" ] statuses: null recipientKinds: '
        "[STATE, ORGANISATION, UNKNOWN] supplierActors: null } ) { dealsWithOtherSupplier } } }"
        " ... on OfficeHolding { organisation { nameAsOf(year: -3208) } } ... on Organisation {"
        " acronym } ... on Person { key } ... on State { memberships( asOf: null role: CANDIDAT"
        "E filter: { members: null, roles: null, member: null, role: null } ) { note } } } }"
    ),
]


@pytest.mark.parametrize("query", FOUND)
async def test_what_the_long_fuzz_found_gets_honest_answers(
    client: httpx.AsyncClient, query: str
) -> None:
    body = await post(client, query)

    assert not problems(200, body), body
