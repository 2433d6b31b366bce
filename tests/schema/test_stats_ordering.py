"""Statistics shaped for dashboards: sorted by key or by count either way, and time series
with every year of a range, 0 where nothing happened."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, errors_of

TRANSFERS = """query ($groupBy: [ArmsTransferDimension!]!, $orderBy: StatsOrder,
                      $fillYears: IntRange, $filter: ArmsTransferFilter, $limit: Int) {
  armsTransferStats(groupBy: $groupBy, orderBy: $orderBy, fillYears: $fillYears,
                    filter: $filter, limit: $limit) {
    truncated
    buckets { supplier { code } recipient { code } orderYear count
              numberOrderedSum numberOrderedUnknown numberDeliveredUnknown tivTotalOrderSum }
  }
}"""

MEMBERS = """query ($orderBy: StatsOrder, $fill: Boolean!, $limit: Int) {
  membershipStats(years: { gte: 2017, lte: 2025 }, filter: { organisation: "OTS" },
                  orderBy: $orderBy, fillEmptyYears: $fill, limit: $limit) {
    truncated rows { organisation { acronym } role year count }
  }
}"""


async def _buckets(client: httpx.AsyncClient, **variables: Any) -> list[dict[str, Any]]:
    data = await data_of(client, TRANSFERS, variables)
    buckets: list[dict[str, Any]] = data["armsTransferStats"]["buckets"]
    return buckets


def _code(actor: dict[str, Any] | None) -> str | None:
    return actor["code"] if actor else None


async def test_transfer_buckets_sort_by_key_or_count_either_way(
    client: httpx.AsyncClient,
) -> None:
    def pairs(buckets: list[dict[str, Any]]) -> list[tuple[str | None, int]]:
        return [(_code(b["recipient"]), b["count"]) for b in buckets]

    by_key = pairs(await _buckets(client, groupBy=["RECIPIENT"], orderBy={"field": "KEY"}))
    by_key_desc = pairs(
        await _buckets(client, groupBy=["RECIPIENT"], orderBy={"field": "KEY", "direction": "DESC"})
    )
    by_count = pairs(await _buckets(client, groupBy=["RECIPIENT"], orderBy={"field": "COUNT"}))
    by_default = pairs(await _buckets(client, groupBy=["RECIPIENT"]))
    by_count_desc = pairs(
        await _buckets(
            client, groupBy=["RECIPIENT"], orderBy={"field": "COUNT", "direction": "DESC"}
        )
    )

    assert by_key == [("KAZ", 5), ("KGZ", 5), ("TJK", 2), ("TKM", 7), ("UZB", 3)]
    assert by_key_desc == by_key[::-1]
    # Ties (KAZ and KGZ) by key, ascending, whichever way the counts go.
    assert by_count == [("TJK", 2), ("UZB", 3), ("KAZ", 5), ("KGZ", 5), ("TKM", 7)]
    assert by_count_desc == by_default == [
        ("TKM", 7), ("KAZ", 5), ("KGZ", 5), ("UZB", 3), ("TJK", 2)
    ]  # fmt: skip


async def test_an_unknown_key_comes_last_either_way(client: httpx.AsyncClient) -> None:
    up = await _buckets(client, groupBy=["ORDER_YEAR"], orderBy={"field": "KEY"})
    down = await _buckets(
        client, groupBy=["ORDER_YEAR"], orderBy={"field": "KEY", "direction": "DESC"}
    )

    assert [(b["orderYear"], b["count"]) for b in up] == [(2022, 1), (None, 21)]
    assert [(b["orderYear"], b["count"]) for b in down] == [(2022, 1), (None, 21)]


async def test_filled_years_make_a_series_with_no_gaps(client: httpx.AsyncClient) -> None:
    buckets = await _buckets(
        client,
        groupBy=["ORDER_YEAR"],
        orderBy={"field": "KEY"},
        fillYears={"gte": 2019, "lte": 2024},
    )

    assert [(b["orderYear"], b["count"]) for b in buckets] == [
        (2019, 0), (2020, 0), (2021, 0), (2022, 1), (2023, 0), (2024, 0)
    ]  # fmt: skip
    empty = buckets[0]
    # An empty year sums nothing: its sums are unknown (null), and no deal is unreported.
    assert (empty["numberOrderedSum"], empty["numberOrderedUnknown"]) == (None, 0)
    assert (empty["numberDeliveredUnknown"], empty["tivTotalOrderSum"]) == (0, None)
    assert buckets[3]["numberOrderedUnknown"] == 1


async def test_each_series_gets_every_year(client: httpx.AsyncClient) -> None:
    buckets = await _buckets(
        client,
        groupBy=["SUPPLIER", "ORDER_YEAR"],
        orderBy={"field": "KEY", "direction": "DESC"},
        fillYears={"gte": 2021, "lte": 2023},
    )
    newest_first = [(_code(b["supplier"]), b["orderYear"], b["count"]) for b in buckets]

    # Russia orders nothing with a known year in the range: it is no series of it.
    assert newest_first == [("TUR", 2023, 0), ("TUR", 2022, 1), ("TUR", 2021, 0)]


async def test_filled_years_are_cut_by_the_limit(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        TRANSFERS,
        {"groupBy": ["ORDER_YEAR"], "fillYears": {"gte": 2000, "lte": 2099}, "limit": 50},
    )

    stats = data["armsTransferStats"]
    assert stats["truncated"] is True
    assert len(stats["buckets"]) == 50
    assert stats["buckets"][0] == {
        "supplier": None, "recipient": None, "orderYear": 2022, "count": 1,
        "numberOrderedSum": None, "numberOrderedUnknown": 1, "numberDeliveredUnknown": 1,
        "tivTotalOrderSum": None,
    }  # fmt: skip


async def test_membership_years_can_be_filled_and_sorted(client: httpx.AsyncClient) -> None:
    plain = (await data_of(client, MEMBERS, {"fill": False}))["membershipStats"]["rows"]
    filled = (await data_of(client, MEMBERS, {"fill": True}))["membershipStats"]["rows"]
    by_count = (
        await data_of(
            client, MEMBERS, {"fill": False, "orderBy": {"field": "COUNT", "direction": "DESC"}}
        )
    )["membershipStats"]["rows"]

    def series(rows: list[dict[str, Any]], role: str) -> list[tuple[int, int]]:
        return [(r["year"], r["count"]) for r in rows if r["role"] == role]

    years = list(range(2017, 2026))
    assert series(filled, "MEMBER") == [(y, 5 if y == 2025 else 0) for y in years]
    assert series(filled, "OBSERVER") == [
        (2017, 0), (2018, 1), (2019, 1), (2020, 1), (2021, 2),
        (2022, 3), (2023, 4), (2024, 4), (2025, 4),
    ]  # fmt: skip
    assert [r for r in filled if r["count"]] == plain
    assert [(r["role"], r["year"], r["count"]) for r in by_count[:3]] == [
        ("MEMBER", 2025, 5), ("OBSERVER", 2023, 4), ("OBSERVER", 2024, 4)
    ]  # fmt: skip
    assert sorted(by_count, key=str) == sorted(plain, key=str)


async def test_membership_keys_sort_either_way(client: httpx.AsyncClient) -> None:
    up = await data_of(client, MEMBERS, {"fill": True, "orderBy": {"field": "KEY"}})
    down = await data_of(
        client, MEMBERS, {"fill": True, "orderBy": {"field": "KEY", "direction": "DESC"}}
    )

    assert down["membershipStats"]["rows"] == up["membershipStats"]["rows"][::-1]


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        ({"groupBy": ["SUPPLIER"], "fillYears": {"gte": 2020, "lte": 2022}}, "fillYears",
         "ORDER_YEAR"),
        ({"groupBy": ["ORDER_YEAR"], "fillYears": {"gte": 2020}}, "fillYears", "both"),
        ({"groupBy": ["ORDER_YEAR"], "fillYears": {"gte": 1900, "lte": 2025}}, "fillYears",
         "more than 100"),
        ({"groupBy": ["ORDER_YEAR"], "fillYears": {"gte": 2025, "lte": 2020}}, "fillYears",
         "greater than"),
    ],
)  # fmt: skip
async def test_bad_fill_ranges_name_the_field(
    client: httpx.AsyncClient, variables: dict[str, Any], field: str, message: str
) -> None:
    [error] = await errors_of(client, TRANSFERS, variables)

    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert message in error["message"]


async def test_a_filled_series_is_one_statement(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    with count_statements:
        await _buckets(
            client, groupBy=["SUPPLIER", "RECIPIENT", "ORDER_YEAR"],
            fillYears={"gte": 1950, "lte": 2025},
        )  # fmt: skip
        await data_of(client, MEMBERS, {"fill": True})

    # Each: the GROUP BY with its series, then one look-up of the states or organisations.
    assert count_statements.count == 4, count_statements.statements
