"""A field error that nulls a non-null parent leaves no coroutine unawaited (schema/execution.py).

graphql-core cancels the siblings of a failing field; a sibling cancelled before its first step
dropped the resolver coroutines it held, and the garbage collector reported each one as "never
awaited" (an error under `-W error`), sooner or later, depending on database timing.
"""

import asyncio
import gc
import sys
from typing import Any

import pytest
import strawberry
from graphql import GraphQLError

from api.settings import Settings
from schema import build_schema
from schema.execution import ClosingExecutionContext
from tests.graphql import client_for, data_of, errors_of

# `fail` fails at once; `items` yields to the loop once, so its items' fields become tasks
# just before the failure reaches the root and cancels them: every time, not by luck.
SIBLING_CANCELLED = "query Siblings($count: Int!) { fail items(count: $count) { double } }"


@strawberry.type
class Item:
    n: int

    @strawberry.field
    async def double(self) -> int:
        return self.n * 2


@strawberry.type
class Query:
    @strawberry.field
    async def fail(self) -> str:
        raise ValueError("no")

    @strawberry.field
    async def items(self, count: int) -> list[Item]:
        await asyncio.sleep(0)
        return [Item(n=n) for n in range(count)]


class Unlogged(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Not logged: the test's log capture would keep each error's frames (and with them
        the coroutines under test) alive past the garbage collection."""


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the interpreter could not raise (a coroutine never awaited among them), once the
    garbage collector has run."""
    seen: list[str] = []

    def hook(report: Any) -> None:
        seen.append(f"{report.exc_value}: {report.object!r}")

    monkeypatch.setattr(sys, "unraisablehook", hook)
    return seen


async def collected(seen: list[str]) -> list[str]:
    # Cancelled tasks finish on the loop's next turns; only then are their coroutines garbage.
    for _ in range(5):
        await asyncio.sleep(0)
    gc.collect()
    return [report for report in seen if "never awaited" in report]


# Past a thousand, the record of coroutines lets go of those started, keeping the rest.
@pytest.mark.parametrize("count", [3, 3000])
async def test_siblings_cancelled_before_they_start_are_closed(
    unraisable: list[str], count: int
) -> None:
    # given
    schema = Unlogged(query=Query, execution_context_class=ClosingExecutionContext)

    # when
    result = await schema.execute(SIBLING_CANCELLED, variable_values={"count": count})
    # The errors' tracebacks hold the executor's frames: keep their words only.
    data, messages = result.data, [error.message for error in result.errors or ()]
    del result

    # then
    assert data is None
    assert messages == ["no"]
    assert await collected(unraisable) == []


def test_the_application_schema_closes_them() -> None:
    schema = build_schema(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    assert issubclass(schema.execution_context_class, ClosingExecutionContext)


# The operation the differential test's generator reached: r1's bad cursor nulls `data` while
# r0 and r2 are still resolving, their nested fields in flight.
CURSOR = """
{ armsTransfers(first: 1, orderBy: [{field: ORDER_YEAR, direction: DESC}]) { edges { cursor } } }
"""
FAILING = """
query Failing($before: String!) {
  r0: state(code: "AZE") { name }
  r1: states(first: 2, filter: {region: "central asia"}) { edges { node { name
    armsImports(last: 1, before: $before, orderBy: [{field: SUPPLIER}, {field: STATUS}]) {
      totalCount edges { node { id } } } } } }
  r2: armsTransfers(first: 2) { edges { node { id
    supplier { name memberships(filter: {organisationKinds: [MILITARY_ALLIANCE]}) {
      since member { __typename } } }
    sources { document locator } } } }
}
"""
REPEATS = 3  # on PostgreSQL, before the fix, about four coroutines leaked per request


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "resolvers"])
async def test_a_failing_operation_leaves_no_coroutine_unawaited(
    settings: Settings, compiled: bool, unraisable: list[str]
) -> None:
    # given
    async with client_for(settings, compiled_reads=compiled) as client:
        page = await data_of(client, CURSOR)
        before = page["armsTransfers"]["edges"][0]["cursor"]

        # when
        for _ in range(REPEATS):
            errors = await errors_of(client, FAILING, {"before": before})

            # then
            assert [(e["extensions"]["code"], e["path"]) for e in errors] == [
                ("BAD_USER_INPUT", ["r1", "edges", 0, "node", "armsImports"])
            ]
            assert await collected(unraisable) == []
