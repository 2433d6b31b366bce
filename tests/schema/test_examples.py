"""The example queries of schema/examples (shown in the README) answer what is committed beside
them. Run with SILKGRAPH_WRITE_EXAMPLES=1 to rewrite the answers after a deliberate change."""

import json
import os
from pathlib import Path

import httpx
import pytest

from api.settings import PROJECT_ROOT
from tests.graphql import data_of

EXAMPLES = sorted((PROJECT_ROOT / "schema" / "examples").glob("*.graphql"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
async def test_example_answers_as_committed(client: httpx.AsyncClient, example: Path) -> None:
    answer_file = example.with_suffix(".json")
    query = example.read_text(encoding="utf-8")  # noqa: ASYNC240  (a small local file)

    data = await data_of(client, query)

    if os.environ.get("SILKGRAPH_WRITE_EXAMPLES"):
        answer_file.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert data == json.loads(answer_file.read_text(encoding="utf-8"))
