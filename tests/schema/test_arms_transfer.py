"""Arms transfers: filters by supplier and recipient, unknown numbers stay unknown."""

import httpx

from tests.graphql import data_of, errors_of, nodes

TRANSFERS = """
query ($filter: ArmsTransferFilter) {
  armsTransfers(first: 100, filter: $filter) {
    totalCount
    edges { node {
      key weaponDesignation weaponCategory description numberOrdered numberDelivered
      orderYear deliveryYears status comments
      supplier { code } recipient { code }
      agreement { key }
      sources { document quote locator }
    } }
  }
}
"""


async def test_kyrgyz_drone_orders_have_no_reported_quantity(client: httpx.AsyncClient) -> None:
    data = await data_of(client, TRANSFERS, {"filter": {"supplier": "TUR", "recipient": "KGZ"}})

    drones = {n["weaponDesignation"]: n for n in nodes(data["armsTransfers"])}
    assert set(drones) == {"Bayraktar TB2", "Aksungur", "Akıncı", "ANKA"}
    for drone in drones.values():
        assert drone["status"] == "ORDERED"
        assert drone["numberOrdered"] is None  # not reported, which is not zero
        assert drone["weaponCategory"] == "AIRCRAFT"
        assert all(s["quote"] and s["locator"].startswith("¶") for s in drone["sources"])


async def test_anka_co_production_belongs_to_the_memorandum(client: httpx.AsyncClient) -> None:
    data = await data_of(client, TRANSFERS, {"filter": {"recipient": "kaz", "supplier": "tur"}})

    [anka] = [n for n in nodes(data["armsTransfers"]) if n["weaponDesignation"] == "ANKA"]
    assert anka["status"] == "CO_PRODUCTION_PLANNED"
    assert anka["orderYear"] == 2022
    assert anka["agreement"] == {"key": "anka-joint-production-memorandum-2022"}


async def test_filters_combine_with_and(client: httpx.AsyncClient) -> None:
    everything = await data_of(client, TRANSFERS, {"filter": None})
    to_turkmenistan = await data_of(client, TRANSFERS, {"filter": {"recipient": "TKM"}})
    russian_to_turkmenistan = await data_of(
        client, TRANSFERS, {"filter": {"recipient": "TKM", "supplier": "RUS"}}
    )

    all_rows = nodes(everything["armsTransfers"])
    assert everything["armsTransfers"]["totalCount"] == len(all_rows)
    expected = [
        n["key"]
        for n in all_rows
        if n["recipient"]["code"] == "TKM" and n["supplier"]["code"] == "RUS"
    ]
    assert [n["key"] for n in nodes(russian_to_turkmenistan["armsTransfers"])] == expected
    assert len(expected) == 4
    assert to_turkmenistan["armsTransfers"]["totalCount"] > len(expected)


async def test_transfers_are_newest_order_first(client: httpx.AsyncClient) -> None:
    data = await data_of(client, TRANSFERS, {"filter": None})

    years = [n["orderYear"] or 0 for n in nodes(data["armsTransfers"])]
    assert years == sorted(years, reverse=True)


async def test_a_malformed_state_code_names_the_filter_field(client: httpx.AsyncClient) -> None:
    errors = await errors_of(client, TRANSFERS, {"filter": {"supplier": "Turkey"}})

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.supplier"}
    assert "Turkey" in errors[0]["message"]


async def test_a_well_formed_unknown_code_matches_nothing(client: httpx.AsyncClient) -> None:
    data = await data_of(client, TRANSFERS, {"filter": {"recipient": "QQQ"}})

    assert data["armsTransfers"]["totalCount"] == 0
