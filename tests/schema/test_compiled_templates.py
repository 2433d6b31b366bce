"""A compiled statement is built once per shape; requests with new values only bind them.

Each request still goes to both applications (compiled and resolved) and the bodies must be
the same bytes, so a value bound to the wrong parameter of a reused statement shows as a
different answer; the number of statements built is counted around `Builder.statement`.
"""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from api.settings import Settings
from schema.compiled.sql import Builder
from schema.compiled.template import ByPlan
from tests.graphql import client_for
from tests.schema.test_compiled import Paths

PAGES = """query Pages($codes: [String!], $first: Int, $after: String) {
  armsTransfers(first: $first, after: $after, filter: { suppliers: $codes }) {
    totalCount
    edges { cursor node { key orderYear supplier { code } recipient { code name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

LOOKUP = """query Lookup($code: String!) { state(code: $code) { code name region } }"""

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
async def paths(settings: Settings) -> AsyncIterator[Paths]:
    quiet = settings.model_copy(update={"rate_limit_enabled": False})
    async with (
        client_for(quiet) as compiled,
        client_for(quiet, compiled_reads=False) as resolved,
    ):
        yield Paths(compiled, resolved)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the statements the compiled path builds (one entry per build)."""
    calls: list[int] = []
    build = Builder.statement

    def counted(self: Builder, *args: Any) -> Any:
        calls.append(1)
        return build(self, *args)

    monkeypatch.setattr(Builder, "statement", counted)
    return calls


async def test_cursors_filters_and_sizes_rebind_one_statement(
    paths: Paths, built: list[int]
) -> None:
    requests = 0
    keys: dict[tuple[str, ...], list[str]] = {}
    for codes in (["TUR"], ["RUS", "tur"], ["USA", "RUS", "FRA", "GBR"], ["ZZZ"]):
        for first in (1, 3):
            seen: list[str] = []
            variables: dict[str, Any] = {"codes": codes, "first": first}
            while True:
                path, body = await paths.both(PAGES, variables)
                requests += 1
                assert path == "compiled", body
                page = body["data"]["armsTransfers"]
                seen += [edge["node"]["key"] for edge in page["edges"]]
                if not page["pageInfo"]["hasNextPage"]:
                    break
                variables = {**variables, "after": page["pageInfo"]["endCursor"]}
            assert len(seen) == page["totalCount"]
            keys.setdefault(tuple(codes), seen)
            assert keys[tuple(codes)] == seen  # the same rows whatever the page size
    assert any(keys.values()), "the fixtures hold transfers of these suppliers"
    # Two shapes: a first page, and a page after a cursor; any list length, any values.
    assert requests > 10
    assert len(built) == 2


async def test_lookups_rebind_one_statement(paths: Paths, built: list[int]) -> None:
    answers = []
    for code in ("TUR", " usa ", "fra", "ZZZ", "TUR"):
        path, body = await paths.both(LOOKUP, {"code": code})
        assert path == "compiled", body
        answers.append(body["data"]["state"])
    assert [a and a["code"] for a in answers] == ["TUR", "USA", "FRA", None, "TUR"]
    assert len(built) == 1


async def test_refused_values_still_refused_after_a_statement_exists(paths: Paths) -> None:
    _, first = await paths.both(PAGES, {"codes": ["USA"], "first": 2})
    assert "errors" not in first
    for variables in (
        {"codes": ["USA"], "first": 2, "after": "not a cursor"},
        {"codes": ["USA"], "first": 100_000},
        {"codes": ["not a code!"], "first": 2},
    ):
        path, body = await paths.both(PAGES, variables)
        assert path == "resolved"
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


def test_the_statement_cache_is_bounded() -> None:
    templates: ByPlan[object] = ByPlan(max_entries=2)
    plans = [object(), object(), object()]
    for plan in plans:
        templates.keep(plan, "shape", object())
    assert templates.get(plans[0], "shape") is None
    assert templates.get(plans[2], "shape") is not None
    assert len(templates.entries) == 2


NESTED = """query Nested($code: String!, $n: Int, $m: Int) {
  state(code: $code) {
    code
    armsImports(first: $n) { totalCount edges { cursor node { key supplier { code } } } }
    memberships { role organisation { acronym } }
  }
  states(first: $m) { edges { node { code armsExports(first: $n) { totalCount } } } }
}"""


async def test_nested_values_are_never_reused_from_another_request(paths: Paths) -> None:
    # Nested arguments are written into the statement, so they are part of its shape: a
    # statement built for one `first` must not answer another.
    sizes = []
    for code, n, m in (("TKM", 1, 2), ("TKM", 3, 2), ("KAZ", 1, 3), ("TKM", 1, 2)):
        path, body = await paths.both(NESTED, {"code": code, "n": n, "m": m})
        assert path == "compiled", body
        sizes.append(len(body["data"]["state"]["armsImports"]["edges"]))
    assert sizes == [1, 3, 1, 1]  # the fixtures' TKM and KAZ import several
