"""Relay connections: keyset cursors page through everything once, both ways, nested too."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, errors_of

STATES = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  states(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code } }
  }
}
"""

KGZ_IMPORTS = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  state(code: "KGZ") {
    armsImports(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      edges { node { key } }
    }
  }
}
"""


async def _page(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    connection: dict[str, Any] = (await data_of(client, STATES, variables))["states"]
    return connection


def codes(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


async def test_paging_forward_visits_every_state_once_in_order(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = await _page(client, first=37, after=after)
        seen += codes(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert page["pageInfo"]["hasPreviousPage"] == (len(seen) > 37)

    assert len(seen) == page["totalCount"] == 250
    assert seen == sorted(seen)


async def test_paging_backward_mirrors_paging_forward(client: httpx.AsyncClient) -> None:
    forward = codes(await _page(client, first=100))
    seen: list[str] = []
    before = None
    while True:
        page = await _page(client, last=30, before=before)
        seen = codes(page) + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]

    assert len(seen) == 250
    assert seen[:100] == forward


async def test_default_page_size_applies_without_first(client: httpx.AsyncClient) -> None:
    page = await _page(client)

    assert len(page["edges"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True


async def test_empty_page_after_the_last_row(client: httpx.AsyncClient) -> None:
    last = await _page(client, last=1)
    page = await _page(client, first=5, after=last["pageInfo"]["endCursor"])

    assert page["edges"] == []
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["endCursor"] is None


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"last": 500}, "last"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "c29tZXRoaW5nOmVsc2U="}, "after"),
        ({"first": 1, "last": 1}, "first"),
    ],
)
async def test_bad_paging_arguments_are_the_callers_error(
    client: httpx.AsyncClient, variables: dict[str, Any], argument: str
) -> None:
    errors = await errors_of(client, STATES, variables)

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": argument}
    assert f"`{argument}`" in errors[0]["message"]


async def test_a_cursor_from_another_ordering_is_refused(client: httpx.AsyncClient) -> None:
    transfers = await data_of(client, "{ armsTransfers(first: 1) { pageInfo { endCursor } } }")
    cursor = transfers["armsTransfers"]["pageInfo"]["endCursor"]

    errors = await errors_of(client, STATES, {"first": 5, "after": cursor})

    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "different ordering" in errors[0]["message"]


async def test_nested_connection_pages_with_cursors(client: httpx.AsyncClient) -> None:
    full = (await data_of(client, KGZ_IMPORTS, {"first": 50}))["state"]["armsImports"]
    everything = [e["node"]["key"] for e in full["edges"]]
    seen: list[str] = []
    after = None
    while True:
        page = (await data_of(client, KGZ_IMPORTS, {"first": 2, "after": after}))["state"][
            "armsImports"
        ]
        assert page["totalCount"] == len(everything)
        seen += [e["node"]["key"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == everything
    assert len(everything) >= 5


async def test_nested_connection_past_its_end_still_counts(client: httpx.AsyncClient) -> None:
    full = (await data_of(client, KGZ_IMPORTS, {"first": 50}))["state"]["armsImports"]

    page = await data_of(client, KGZ_IMPORTS, {"first": 2, "after": full["pageInfo"]["endCursor"]})
    imports = page["state"]["armsImports"]

    assert imports["edges"] == []
    assert imports["totalCount"] == full["totalCount"]
    assert imports["pageInfo"]["hasPreviousPage"] is True


async def test_nested_connection_pages_backwards(client: httpx.AsyncClient) -> None:
    full = (await data_of(client, KGZ_IMPORTS, {"first": 50}))["state"]["armsImports"]
    everything = [e["node"]["key"] for e in full["edges"]]

    page = (await data_of(client, KGZ_IMPORTS, {"last": 2}))["state"]["armsImports"]

    assert [e["node"]["key"] for e in page["edges"]] == everything[-2:]
    assert page["pageInfo"]["hasPreviousPage"] is True


# Without totalCount a nested page is cut in each parent's own subquery (LATERAL on
# PostgreSQL, correlated ids on SQLite); with it, every parent's rows are counted and ranked in
# one window. Both must give the same pages: compared here for every state at once, under
# several orderings, both directions, and from a cursor.
EVERY_STATE = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  states(first: 100, filter: { codes: ["KGZ", "TUR", "AZE", "KAZ", "UZB", "RUS", "USA", "HUN"] }) {
    edges { node { code
      FIELD(first: $first, after: $after, last: $last, before: $before ORDER) {
        COUNT
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id } }
      }
    } }
  }
}
"""

NESTED_ORDERINGS = [
    ("armsImports", ""),
    ("armsImports", ", orderBy: [{ field: ORDER_YEAR, direction: ASC }]"),
    ("armsImports", ", orderBy: [{ field: SUPPLIER, direction: DESC }]"),
    ("armsImports", ", orderBy: [{ field: NUMBER_ORDERED, direction: DESC }]"),
    ("armsImports", ', filter: { supplier: "TUR" }'),
    ("events", ""),  # through a link of distinct (event, state) pairs
    ("events", ", orderBy: [{ field: DATE, direction: DESC }]"),
    ("agreements", ""),  # a DISTINCT relation: always counted and ranked
]


def _every_state(field: str, order: str, counted: bool) -> str:
    text = EVERY_STATE.replace("FIELD", field).replace("ORDER", order)
    return text.replace("COUNT", "totalCount" if counted else "")


async def _nested_pages(
    client: httpx.AsyncClient, field: str, order: str, counted: bool, variables: dict[str, Any]
) -> dict[str, Any]:
    data = await data_of(client, _every_state(field, order, counted), variables)
    pages = {}
    for edge in data["states"]["edges"]:
        page = dict(edge["node"][field])
        page.pop("totalCount", None)
        pages[edge["node"]["code"]] = page
    return pages


@pytest.mark.parametrize(("field", "order"), NESTED_ORDERINGS)
async def test_nested_pages_are_the_same_counted_or_not(
    client: httpx.AsyncClient, field: str, order: str
) -> None:
    first = await _nested_pages(client, field, order, True, {"first": 3})
    windows: list[dict[str, Any]] = [{"first": 3}, {"last": 2}, {"first": 0}]
    # Cursors of a parent with several rows, applied to every parent.
    busiest = max(first.values(), key=lambda page: len(page["edges"]))
    assert len(busiest["edges"]) >= 2, "the fixtures give some state several rows"
    middle = busiest["edges"][1]["cursor"]
    windows += [{"first": 2, "after": middle}, {"last": 2, "before": middle}]
    for variables in windows:
        counted = await _nested_pages(client, field, order, True, variables)
        cut = await _nested_pages(client, field, order, False, variables)
        assert cut == counted, variables
    assert any(page["edges"] for page in first.values())
