"""Aggregates: arms transfers grouped any way and membership counts per year, counted in SQL."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, errors_of

TRANSFER_STATS = """
query ($groupBy: [ArmsTransferDimension!]!, $filter: ArmsTransferFilter, $limit: Int) {
  armsTransferStats(groupBy: $groupBy, filter: $filter, limit: $limit) {
    truncated
    buckets {
      supplier { code } recipient { code } orderYear category status count
      numberOrderedSum numberOrderedUnknown numberDeliveredSum numberDeliveredUnknown
    }
  }
}
"""

MEMBERSHIP_STATS = """
query ($years: IntRange!, $filter: MembershipFilter, $limit: Int) {
  membershipStats(years: $years, filter: $filter, limit: $limit) {
    truncated
    rows { organisation { acronym } role year count }
  }
}
"""


async def _buckets(client: httpx.AsyncClient, **variables: Any) -> list[dict[str, Any]]:
    data = await data_of(client, TRANSFER_STATS, variables)
    buckets: list[dict[str, Any]] = data["armsTransferStats"]["buckets"]
    return buckets


async def test_no_grouping_is_one_bucket_for_everything(client: httpx.AsyncClient) -> None:
    [everything] = await _buckets(client, groupBy=[])

    assert everything["count"] == 22
    # The paper reports no quantity for any deal: sums are unknown, not zero.
    assert everything["numberOrderedSum"] is None
    assert everything["numberOrderedUnknown"] == 22
    assert everything["numberDeliveredUnknown"] == 22
    assert everything["supplier"] is None
    assert everything["category"] is None


async def test_group_by_supplier_and_recipient(client: httpx.AsyncClient) -> None:
    buckets = await _buckets(client, groupBy=["SUPPLIER", "RECIPIENT"])

    pairs = [(b["supplier"]["code"], b["recipient"]["code"], b["count"]) for b in buckets]
    assert pairs == [
        ("RUS", "TKM", 4),
        ("TUR", "KAZ", 4),
        ("TUR", "KGZ", 4),
        ("TUR", "TKM", 3),
        ("TUR", "UZB", 2),
        ("RUS", "KAZ", 1),
        ("RUS", "KGZ", 1),
        ("RUS", "TJK", 1),
        ("RUS", "UZB", 1),
        ("TUR", "TJK", 1),
    ]
    assert sum(p[2] for p in pairs) == 22


async def test_group_by_with_a_filter_and_unknown_years(client: httpx.AsyncClient) -> None:
    buckets = await _buckets(client, groupBy=["ORDER_YEAR", "CATEGORY"], filter={"supplier": "TUR"})

    keys = [(b["orderYear"], b["category"], b["count"]) for b in buckets]
    assert keys == [
        (None, "AIRCRAFT", 7),
        (None, "ARMOURED_VEHICLES", 3),
        (2022, "AIRCRAFT", 1),
        (None, "MIXED", 1),
        (None, "SHIPS", 1),
        (None, "SMALL_ARMS", 1),
    ]


async def test_status_buckets_and_limit(client: httpx.AsyncClient) -> None:
    data = await data_of(client, TRANSFER_STATS, {"groupBy": ["STATUS"], "limit": 2})

    stats = data["armsTransferStats"]
    assert stats["truncated"] is True
    assert [(b["status"], b["count"]) for b in stats["buckets"]] == [
        ("SUPPLIED", 11),
        ("UNDER_DISCUSSION", 5),
    ]


async def test_membership_counts_per_year(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        MEMBERSHIP_STATS,
        {"years": {"gte": 2017, "lte": 2025}, "filter": {"organisation": "OTS"}},
    )

    rows = [(r["role"], r["year"], r["count"]) for r in data["membershipStats"]["rows"]]
    assert rows == [
        ("MEMBER", 2025, 5),  # attested in 2025; the paper gives no earlier dates
        ("OBSERVER", 2018, 1),
        ("OBSERVER", 2019, 1),
        ("OBSERVER", 2020, 1),
        ("OBSERVER", 2021, 2),
        ("OBSERVER", 2022, 3),
        ("OBSERVER", 2023, 4),
        ("OBSERVER", 2024, 4),
        ("OBSERVER", 2025, 4),
    ]
    assert data["membershipStats"]["truncated"] is False


async def test_membership_counts_across_organisations(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        MEMBERSHIP_STATS,
        {"years": {"gte": 2024, "lte": 2024}, "filter": {"roles": ["FOUNDING_MEMBER", "GUEST"]}},
    )

    assert [
        (r["organisation"]["acronym"], r["role"], r["count"])
        for r in data["membershipStats"]["rows"]
    ] == [
        ("Central Asia Consultative Meetings", "GUEST", 1),
        ("Eurasian Transport Route International Association", "FOUNDING_MEMBER", 7),
    ]


@pytest.mark.parametrize(
    ("query", "variables", "field", "message"),
    [
        (TRANSFER_STATS, {"groupBy": ["STATUS", "STATUS"]}, "groupBy", "twice"),
        (TRANSFER_STATS, {"groupBy": [], "limit": 0}, "limit", "between 1 and"),
        (MEMBERSHIP_STATS, {"years": {"gte": 1900}}, "years", "both"),
        (MEMBERSHIP_STATS, {"years": {"gte": 1900, "lte": 2025}}, "years", "more than 100"),
        (MEMBERSHIP_STATS, {"years": {"gte": 2025, "lte": 2024}}, "years", "greater"),
    ],
)
async def test_bad_arguments_name_the_field(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], field: str, message: str
) -> None:
    errors = await errors_of(client, query, variables)

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert message in errors[0]["message"]


async def test_stats_are_one_statement_plus_one_per_nested_object(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    with count_statements:
        await _buckets(client, groupBy=["SUPPLIER", "RECIPIENT", "CATEGORY", "STATUS"])
    # The GROUP BY, then the states of suppliers and recipients in one batch.
    assert count_statements.count == 2, count_statements.statements

    with count_statements:
        await data_of(client, MEMBERSHIP_STATS, {"years": {"gte": 1990, "lte": 2025}})
    assert count_statements.count == 2, count_statements.statements
