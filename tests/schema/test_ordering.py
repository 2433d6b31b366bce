"""orderBy: every field of every connection, both ways, paged with cursors under filters.

Paging forwards and backwards in small pages must visit exactly the rows one large page holds,
in the same order, with nulls last in both directions; cursors stay valid while rows are added.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import TransferStatus, WeaponCategory
from tests.graphql import data_of, errors_of, nodes


@dataclass(frozen=True)
class Case:
    root: str  # the field path: `states` or `state(code: "TKM") { armsImports`
    order_type: str
    filter_type: str
    filter: dict[str, Any] | None
    selection: str
    fields: dict[str, Callable[[dict[str, Any]], Any]]
    key: Callable[[dict[str, Any]], str]

    def query(self) -> str:
        head, _, nested = self.root.partition(" { ")
        arguments = (
            "first: $first, after: $after, last: $last, before: $before, "
            "orderBy: $orderBy, filter: $filter"
        )
        connection = (
            f"{nested or head}({arguments}) {{ totalCount "
            "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
            f"edges {{ cursor node {{ {self.selection} }} }} }}"
        )
        body = f"{head} {{ {connection} }}" if nested else connection
        return (
            "query ($first: Int, $after: String, $last: Int, $before: String, "
            f"$orderBy: [{self.order_type}!], $filter: {self.filter_type}) {{ {body} }}"
        )

    def connection(self, data: dict[str, Any]) -> dict[str, Any]:
        head, _, nested = self.root.partition(" { ")
        name = head.split("(")[0]
        found: dict[str, Any] = data[name][nested] if nested else data[name]
        return found


def _code(node: dict[str, Any], key: str) -> Any:
    value = node[key]
    return value["code"] if value else None


CASES = {
    "states": Case(
        "states",
        "StateOrder",
        "StateFilter",
        {"continent": "Asia"},
        "code name region continent",
        {
            "CODE": lambda n: n["code"],
            "NAME": lambda n: n["name"],
            "REGION": lambda n: n["region"],
            "CONTINENT": lambda n: n["continent"],
        },
        lambda n: n["code"],
    ),
    "organisations": Case(
        "organisations",
        "OrganisationOrder",
        "OrganisationFilter",
        None,
        "acronym name kind founded",
        {
            "ACRONYM": lambda n: n["acronym"].lower(),
            "NAME": lambda n: n["name"],
            "KIND": lambda n: n["kind"],
            "FOUNDED": lambda n: n["founded"],
        },
        lambda n: n["acronym"],
    ),
    "memberships": Case(
        "memberships",
        "MembershipOrder",
        "MembershipFilter",
        {"organisationKinds": ["REGIONAL_FORMAT", "INTERGOVERNMENTAL_ORGANISATION"]},
        "id sinceDate untilDate role organisation { acronym } "
        "member { ... on State { code } ... on Organisation { acronym } }",
        {
            "SINCE": lambda n: n["sinceDate"],
            "UNTIL": lambda n: n["untilDate"],
            "ROLE": lambda n: n["role"],
            "ORGANISATION": lambda n: n["organisation"]["acronym"].lower(),
            "MEMBER": lambda n: (n["member"].get("code") or n["member"]["acronym"]).lower(),
        },
        lambda n: n["id"],
    ),
    "agreements": Case(
        "agreements",
        "AgreementOrder",
        "AgreementFilter",
        {"year": {"gte": 1900}},
        "key title kind status date",
        {
            "DATE": lambda n: n["date"],
            "TITLE": lambda n: n["title"],
            "KIND": lambda n: n["kind"],
            "STATUS": lambda n: n["status"],
            "KEY": lambda n: n["key"],
        },
        lambda n: n["key"],
    ),
    "armsTransfers": Case(
        "armsTransfers",
        "ArmsTransferOrder",
        "ArmsTransferFilter",
        {"suppliers": ["TUR", "RUS"]},
        "key orderYear numberOrdered numberDelivered weaponCategory status weaponDesignation "
        "supplier { code } recipient { code }",
        {
            "ORDER_YEAR": lambda n: n["orderYear"],
            "NUMBER_ORDERED": lambda n: n["numberOrdered"],
            "NUMBER_DELIVERED": lambda n: n["numberDelivered"],
            "SUPPLIER": lambda n: _code(n, "supplier"),
            "RECIPIENT": lambda n: _code(n, "recipient"),
            "CATEGORY": lambda n: n["weaponCategory"],
            "STATUS": lambda n: n["status"],
            "DESIGNATION": lambda n: n["weaponDesignation"],
            "KEY": lambda n: n["key"],
            "SUPPLIER_ACTOR": lambda n: (_code(n, "supplier") or "").lower() or None,
            "RECIPIENT_ACTOR": lambda n: (_code(n, "recipient") or "").lower() or None,
        },
        lambda n: n["key"],
    ),
    "companies": Case(
        "companies",
        "CompanyOrder",
        "CompanyFilter",
        None,
        "key name",
        {"NAME": lambda n: n["name"], "KEY": lambda n: n["key"]},
        lambda n: n["key"],
    ),
    "nested arms imports": Case(
        'state(code: "TKM") { armsImports',
        "ArmsTransferOrder",
        "ArmsTransferFilter",
        {"categories": ["ARMOURED_VEHICLES", "AIRCRAFT", "SHIPS", "ARTILLERY"]},
        "key weaponCategory supplier { code } weaponDesignation",
        {
            "SUPPLIER": lambda n: _code(n, "supplier"),
            "CATEGORY": lambda n: n["weaponCategory"],
            "DESIGNATION": lambda n: n["weaponDesignation"],
        },
        lambda n: n["key"],
    ),
    "nested agreements": Case(
        'organisation(acronym: "OTS") { agreements',
        "AgreementOrder",
        "AgreementFilter",
        None,
        "key title date",
        {"DATE": lambda n: n["date"], "TITLE": lambda n: n["title"]},
        lambda n: n["key"],
    ),
    # -- the rest of the paper and non-state actors ------------------------------------------
    "events": Case(
        "events",
        "EventOrder",
        "EventFilter",
        {"years": {"gte": 2000}},
        "key date title kind",
        {
            "DATE": lambda n: n["date"],
            "TITLE": lambda n: n["title"],
            "KIND": lambda n: n["kind"],
            "KEY": lambda n: n["key"],
        },
        lambda n: n["key"],
    ),
    "militaryExercises": Case(
        "militaryExercises",
        "MilitaryExerciseOrder",
        "MilitaryExerciseFilter",
        None,
        "key date name format",
        {
            "DATE": lambda n: n["date"],
            "NAME": lambda n: n["name"],
            "FORMAT": lambda n: n["format"],
            "KEY": lambda n: n["key"],
        },
        lambda n: n["key"],
    ),
    "corridors": Case(
        "corridors",
        "CorridorOrder",
        "CorridorFilter",
        None,
        "key name kind status",
        {
            "NAME": lambda n: n["name"],
            "KIND": lambda n: n["kind"],
            "STATUS": lambda n: n["status"],
            "KEY": lambda n: n["key"],
        },
        lambda n: n["key"],
    ),
    "people": Case(
        "people",
        "PersonOrder",
        "PersonFilter",
        None,
        "key name nationality { code }",
        {
            "NAME": lambda n: n["name"],
            "KEY": lambda n: n["key"],
            "NATIONALITY": lambda n: _code(n, "nationality"),
        },
        lambda n: n["key"],
    ),
    "initiatives": Case(
        "initiatives",
        "InitiativeOrder",
        "InitiativeFilter",
        {"kinds": ["PROPOSAL", "PLAN", "POLICY", "FORMAT", "STRATEGY"]},
        "key date title kind status",
        {
            "DATE": lambda n: n["date"],
            "TITLE": lambda n: n["title"],
            "KIND": lambda n: n["kind"],
            "STATUS": lambda n: n["status"],
            "KEY": lambda n: n["key"],
        },
        lambda n: n["key"],
    ),
    "economicFigures": Case(
        "economicFigures",
        "EconomicFigureOrder",
        "EconomicFigureFilter",
        None,
        "key year metric value unit",
        {
            "YEAR": lambda n: n["year"],
            "METRIC": lambda n: n["metric"].lower(),
            "VALUE": lambda n: n["value"],
            "UNIT": lambda n: n["unit"],
            "KEY": lambda n: n["key"],
        },
        lambda n: n["key"],
    ),
    "nested events": Case(
        'organisation(acronym: "OTS") { events',
        "EventOrder",
        "EventFilter",
        None,
        "key date title",
        {"DATE": lambda n: n["date"], "TITLE": lambda n: n["title"]},
        lambda n: n["key"],
    ),
    "nested figures": Case(
        'state(code: "TUR") { economicFigures',
        "EconomicFigureOrder",
        "EconomicFigureFilter",
        None,
        "key year value",
        {"YEAR": lambda n: n["year"], "VALUE": lambda n: n["value"]},
        lambda n: n["key"],
    ),
}

# Both directions in one test: they share the database and app a test sets up.
PARAMS = [
    pytest.param(name, field, id=f"{name}-{field}")
    for name, case in CASES.items()
    for field in case.fields
]


async def _page(
    client: httpx.AsyncClient, case: Case, order_by: Any, **variables: Any
) -> dict[str, Any]:
    data = await data_of(
        client, case.query(), {"orderBy": order_by, "filter": case.filter, **variables}
    )
    return case.connection(data)


async def _walk(
    client: httpx.AsyncClient, case: Case, order_by: Any, size: int, backwards: bool
) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        if backwards:
            page = await _page(client, case, order_by, last=size, before=cursor)
            seen = nodes(page) + seen
            if not page["pageInfo"]["hasPreviousPage"]:
                return seen
            cursor = page["pageInfo"]["startCursor"]
        else:
            page = await _page(client, case, order_by, first=size, after=cursor)
            seen += nodes(page)
            if not page["pageInfo"]["hasNextPage"]:
                return seen
            cursor = page["pageInfo"]["endCursor"]


def _assert_sorted(values: list[Any], direction: str) -> None:
    known = [v for v in values if v is not None]
    assert values == known + [None] * (len(values) - len(known)), "nulls come last"
    assert known == sorted(known, reverse=direction == "DESC")


@pytest.mark.parametrize(("name", "field"), PARAMS)
async def test_paging_under_every_ordering_visits_every_row_once(
    client: httpx.AsyncClient, name: str, field: str
) -> None:
    case = CASES[name]
    for direction in ("ASC", "DESC"):
        order_by = [{"field": field, "direction": direction}]

        everything = await _walk(client, case, order_by, size=100, backwards=False)
        small = max(1, len(everything) // 5)  # several pages, however many rows
        forwards = await _walk(client, case, order_by, size=small, backwards=False)
        backwards = await _walk(client, case, order_by, size=small + 1, backwards=True)

        keys = [case.key(n) for n in everything]
        assert len(keys) == len(set(keys)) > 1, direction
        assert [case.key(n) for n in forwards] == keys, direction
        assert [case.key(n) for n in backwards] == keys, direction
        _assert_sorted([case.fields[field](n) for n in everything], direction)


async def test_ties_fall_to_the_next_term(client: httpx.AsyncClient) -> None:
    case = CASES["armsTransfers"]
    order_by = [{"field": "SUPPLIER", "direction": "DESC"}, {"field": "CATEGORY"}]

    found = await _walk(client, case, order_by, size=5, backwards=False)

    pairs = [(n["supplier"]["code"], n["weaponCategory"]) for n in found]
    assert [p[0] for p in pairs] == sorted((p[0] for p in pairs), reverse=True)
    for supplier in ("TUR", "RUS"):
        categories = [c for s, c in pairs if s == supplier]
        assert categories == sorted(categories)


async def test_default_order_is_kept_without_order_by(client: httpx.AsyncClient) -> None:
    case = CASES["states"]

    default = await _page(client, case, None, first=5)
    explicit = await _page(client, case, [{"field": "CODE"}], first=5)

    assert nodes(default) == nodes(explicit)
    # The same ordering, so each cursor is valid under the other.
    again = await _page(client, case, None, first=5, after=explicit["pageInfo"]["endCursor"])
    assert again["edges"]


async def test_a_cursor_is_refused_under_another_ordering(client: httpx.AsyncClient) -> None:
    case = CASES["armsTransfers"]
    by_year = await _page(client, case, [{"field": "ORDER_YEAR"}], first=2)

    body = await errors_of(
        client,
        case.query(),
        {
            "orderBy": [{"field": "ORDER_YEAR", "direction": "DESC"}],
            "first": 2,
            "after": by_year["pageInfo"]["endCursor"],
        },
    )

    assert body[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    assert "different ordering" in body[0]["message"]


@pytest.mark.parametrize(
    ("order_by", "message"),
    [
        ([{"field": "KEY"}, {"field": "KEY", "direction": "DESC"}], "names KEY twice"),
        ([], "1 to 5 terms"),
        (
            [
                {"field": f}
                for f in ("KEY", "STATUS", "CATEGORY", "SUPPLIER", "RECIPIENT", "ORDER_YEAR")
            ],
            "1 to 5 terms",
        ),
    ],
)
async def test_bad_order_by_is_the_callers_error(
    client: httpx.AsyncClient, order_by: list[dict[str, str]], message: str
) -> None:
    errors = await errors_of(client, CASES["armsTransfers"].query(), {"orderBy": order_by})

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "orderBy"}
    assert message in errors[0]["message"]


async def _insert_transfers(client: httpx.AsyncClient, batch: int) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    async with AsyncSession(engine) as session, session.begin():
        states = {s.code: s.id for s in await session.scalars(select(models.State))}
        for i, supplier in enumerate(("AAA", "CHN", "RUS", "TUR", "ZZZ", None)):
            session.add(
                models.ArmsTransfer(
                    key=f"concurrent-{batch}-{i}",
                    supplier_id=states.get(supplier) if supplier else None,
                    recipient_id=states["KAZ"],
                    weapon_category=WeaponCategory.OTHER,
                    status=TransferStatus.PLANNED,
                    order_year=2000 + batch,
                )
            )


async def test_cursors_hold_while_rows_are_inserted_between_pages(
    client: httpx.AsyncClient,
) -> None:
    case = Case(**{**CASES["armsTransfers"].__dict__, "filter": None})
    order_by = [{"field": "SUPPLIER", "direction": "DESC"}, {"field": "ORDER_YEAR"}]
    before = [case.key(n) for n in await _walk(client, case, order_by, 100, backwards=False)]

    seen: list[str] = []
    cursor = None
    batch = 0
    while True:
        page = await _page(client, case, order_by, first=4, after=cursor)
        seen += [case.key(n) for n in nodes(page)]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
        batch += 1
        await _insert_transfers(client, batch)

    assert batch >= 5
    assert len(seen) == len(set(seen)), "no row twice"
    assert set(before) <= set(seen), "no row that was there all along is skipped"
    assert [k for k in seen if k in before] == before, "and they keep their order"
