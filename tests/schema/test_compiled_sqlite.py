"""How the compiled path writes nested JSON on SQLite: each level's JSON is written once.

A nested answer on SQLite is `json_object`/`json_group_array` over correlated subqueries.
Re-reading each level's JSON where it is embedded (`-> '$'`) parsed and wrote again the whole
text at every level, and numbering a nested list's rows (`row_number()`, which only
PostgreSQL's ordered aggregate reads) cost a window pass per parent: together most of query
a's statement (docs/BENCHMARKS.md, "Compiled reads: query a on SQLite"). The first test holds
the SQLite that Python ships to the rule the statements rely on instead; the second asks query
a through HTTP and reads the statement that answered it.
"""

import sqlite3

import httpx
import pytest

from api.settings import Settings
from bench.queries import BENCHMARK, choose_parameters
from tests.conftest import StatementCounter
from tests.graphql import client_for

A = next(query for query in BENCHMARK if query.name == "a")


def test_sqlite_keeps_the_json_of_a_scalar_subquery_and_not_of_a_from_subquery() -> None:
    connection = sqlite3.connect(":memory:")
    try:
        scalar = "SELECT json_object('a', (SELECT json_object('b', 1)))"
        from_subquery = "SELECT json_object('a', j) FROM (SELECT json_object('b', 1) AS j)"
        reread = "SELECT json_object('a', j -> '$') FROM (SELECT json_object('b', 1) AS j)"
        assert connection.execute(scalar).fetchone() == ('{"a":{"b":1}}',)
        # out of a FROM subquery the value is text again, so there it is read again
        assert connection.execute(from_subquery).fetchone() == ('{"a":"{\\"b\\":1}"}',)
        assert connection.execute(reread).fetchone() == ('{"a":{"b":1}}',)
    finally:
        connection.close()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_query_a_writes_each_level_of_json_once(settings: Settings) -> None:
    # given query a about the state with the most memberships
    quiet = settings.model_copy(update={"rate_limit_enabled": False})
    parameters = await choose_parameters(settings.database_url)
    payload = {"query": A.silkgraph, "variables": A.variables(parameters)}
    async with (
        client_for(quiet) as compiled,
        client_for(quiet, compiled_reads=False) as resolved,
    ):
        counter = StatementCounter.of(compiled.app)  # type: ignore[attr-defined]

        # when it is answered the compiled way
        with counter:
            answer = await compiled.post("/graphql", json=payload)
        reference = await resolved.post("/graphql", json=payload)

    # then by one statement that neither re-reads the JSON it embeds nor numbers the rows of
    # the memberships list, and with the resolvers' bytes
    assert answer.headers["server-timing"].startswith("compiled;")
    assert answer.content == reference.content
    assert len(_memberships(answer)) == parameters.state_memberships > 1
    (statement,) = counter.statements
    assert "json_group_array" in statement
    assert "->" not in statement
    assert "json(" not in statement
    assert "row_number" not in statement


def _memberships(response: httpx.Response) -> list[object]:
    memberships: list[object] = response.json()["data"]["state"]["memberships"]
    return memberships
