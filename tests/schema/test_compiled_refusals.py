"""A statement the database refuses as too complex is tried once, then its shape is resolved.

SQLite 3.40's parser has a fixed stack: an operation within the depth limit can still compile
to a statement it cannot parse. The resolvers answer it the same; the compiled path remembers
the refusal for that plan and shape, so later requests neither retry it nor log again.
"""

import logging

import httpx
import pytest

from api.settings import Settings
from tests.graphql import client_for
from tests.schema.test_compiled import DEEP

pytestmark = pytest.mark.usefixtures("backend")


def _path(response: httpx.Response) -> str:
    return response.headers["server-timing"].split(";", 1)[0]


async def test_a_statement_too_deep_to_parse_is_tried_once(
    settings: Settings, backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    quiet = settings.model_copy(update={"rate_limit_enabled": False})
    async with (
        client_for(quiet) as compiled,
        client_for(quiet, compiled_reads=False) as resolved,
    ):
        reference = await resolved.post("/graphql", json={"query": DEEP})
        with caplog.at_level(logging.WARNING, logger="silkgraph.compiled"):
            answers = [await compiled.post("/graphql", json={"query": DEEP}) for _ in range(3)]

    assert "errors" not in reference.json()
    assert [a.content for a in answers] == [reference.content] * 3
    warnings = [r.getMessage() for r in caplog.records if r.name == "silkgraph.compiled"]
    if backend == "sqlite":
        assert [_path(a) for a in answers] == ["resolved"] * 3
        assert len(warnings) == 1, warnings
        assert "parser stack overflow" in warnings[0]
    else:  # PostgreSQL parses it: nothing to remember
        assert [_path(a) for a in answers] == ["compiled"] * 3
        assert warnings == []
