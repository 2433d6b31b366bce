"""SIPRI exports, their changes and a deal's history answer alike on both read paths.

The fixtures hold no SIPRI export, so each test imports two editions first (the second
changes, adds and removes deals), as tests/api/test_sipri_releases.py does.
"""

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col

from api import models
from tests.api.test_cli import run
from tests.api.test_sipri_releases import NEWER, SMALL
from tests.schema.test_compiled import Paths, _global_id, paths

__all__ = ["paths"]  # the fixture, shared with the differential test

pytestmark = pytest.mark.usefixtures("backend")

EXPORT_FIELDS = """id release generated stamp fileName layout selection deliveriesOnly yearStart
  yearEnd suppliers recipients deals added changed removed unchanged uncertain __typename"""
CHANGE_FIELDS = "id deal kind field oldValue newValue uncertain __typename"

SIPRI = [
    f"{{ sipriExports(first: 10) {{ totalCount edges {{ cursor node {{ {EXPORT_FIELDS}"
    " document { key title hasFullText } } } pageInfo { hasNextPage endCursor } } }",
    "{ sipriExports(last: 1, release: 2025) { totalCount edges { cursor node { release"
    " deliveriesOnly } } pageInfo { hasPreviousPage startCursor } } none: sipriExports("
    "release: 1900) { totalCount edges { node { id } } } }",
    f"{{ sipriChanges(release: 2025, first: 4) {{ totalCount edges {{ cursor node {{"
    f" {CHANGE_FIELDS} export {{ release generated }} }} }} pageInfo {{ hasNextPage endCursor"
    " } } back: sipriChanges(release: 2025, last: 2, uncertain: false) { edges { cursor node {"
    " deal kind } } pageInfo { hasPreviousPage startCursor } } }",
    '{ armsTransfers(filter: {source: "sipri"}, first: 20) { edges { node { key sipriExports'
    f" {{ {EXPORT_FIELDS} document {{ key }} }} history {{ {CHANGE_FIELDS} export {{ release"
    " } } } } } }",
    "{ documents { key title hasFullText } }",
]


async def _import_two_editions(database_url: str) -> None:
    for arguments in [(SMALL,), ("--allow-removals", NEWER)]:
        code, output = await run("import", "sipri", *arguments, database_url=database_url)
        assert code == 0, output


async def test_sipri_reads_answer_like_the_resolvers(paths: Paths, database_url: str) -> None:
    await _import_two_editions(database_url)
    for query in SIPRI:
        path, body = await paths.both(query)
        assert path == "compiled", (query, body)
        assert "errors" not in body
    # Not vacuous: the exports, the changes (JSON values included) and a deal's history.
    _, body = await paths.both(SIPRI[3])
    transfers = [edge["node"] for edge in body["data"]["armsTransfers"]["edges"]]
    history = [change for transfer in transfers for change in transfer["history"]]
    assert any(change["oldValue"] and change["oldValue"][0] == "[" for change in history)
    assert any(transfer["sipriExports"] for transfer in transfers)


async def test_rarer_export_values_answer_alike(paths: Paths, database_url: str) -> None:
    # Microseconds, chosen suppliers with non-ASCII names, and each state of `orders`.
    await _import_two_editions(database_url)
    engine = paths.compiled.app.state.engine  # type: ignore[attr-defined]
    rows: list[dict[str, Any]] = [
        {"generated": datetime.fromisoformat("2024-03-11T09:05:07.000120"), "orders": True},
        {"generated": datetime.fromisoformat("2025-03-10T23:59:59.999999"), "orders": None},
    ]
    async with engine.begin() as connection:
        for i, values in enumerate(rows, start=1):
            await connection.execute(
                update(models.SipriExport)
                .where(col(models.SipriExport.id) == i)
                .values(suppliers=["Türkiye", 'Ωmega "x"'], recipients=[], **values)
            )
    path, body = await paths.both(SIPRI[0])
    assert path == "compiled", body
    exports = [edge["node"] for edge in body["data"]["sipriExports"]["edges"]]
    assert [e["generated"] for e in exports] == [
        "2024-03-11T09:05:07.000120",
        "2025-03-10T23:59:59.999999",
    ]
    assert [e["deliveriesOnly"] for e in exports] == [False, None]


@pytest.mark.parametrize("type_name", ["SipriExport", "ArmsTransferChange", "EconomicFigure"])
async def test_node_of_the_new_types_answers_like_the_resolvers(
    paths: Paths, database_url: str, type_name: str
) -> None:
    await _import_two_editions(database_url)
    query = """query ($id: ID!) { node(id: $id) { __typename id ... on SipriExport {
      release generated document { key } } ... on ArmsTransferChange { deal oldValue
      newValue export { stamp } } ... on EconomicFigure { key value subject { __typename
      } } } }"""
    path, body = await paths.both(query, {"id": _global_id(type_name, 1)})
    assert path == "compiled", body
    assert body["data"]["node"]["__typename"] == type_name
