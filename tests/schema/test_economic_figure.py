"""Economic figures: value, unit, qualifier, year, subject and partner, for every number."""

from typing import Any

import httpx
import pytest

from tests.graphql import data_of, nodes

FIGURES = """
query ($filter: EconomicFigureFilter) {
  economicFigures(first: 100, filter: $filter) {
    totalCount
    edges { node {
      key metric value unit qualifier year period note
      subject { __typename ... on State { code } ... on Organisation { acronym }
                ... on Person { key } }
      partner { code }
      sources { quote locator }
    } }
  }
}
"""


async def figures(client: httpx.AsyncClient, **filter_: object) -> dict[str, dict[str, Any]]:
    data = await data_of(client, FIGURES, {"filter": filter_ or None})
    return {n["key"]: n for n in nodes(data["economicFigures"])}


async def test_turkish_construction_in_turkmenistan(client: httpx.AsyncClient) -> None:
    found = await figures(client, state="TKM")

    projects, value = found["tur-tkm-construction-projects"], found["tur-tkm-construction-value"]
    assert (projects["value"], projects["unit"], projects["qualifier"]) == (1080, "COUNT", "EXACT")
    assert (value["value"], value["unit"], value["qualifier"]) == (5e10, "USD", "MORE_THAN")
    assert value["subject"] == {"__typename": "State", "code": "TUR"}
    assert value["partner"] == {"code": "TKM"}
    assert (value["year"], value["period"]) == (None, "post-Soviet period")


async def test_turkish_capital_in_uzbekistan_then_and_now(client: httpx.AsyncClient) -> None:
    found = await figures(client, state="uzb")

    assert found["tur-uzb-enterprises"]["value"] == 2025
    assert (
        found["tur-uzb-enterprises-share"]["value"],
        found["tur-uzb-enterprises-share"]["unit"],
    ) == (11.9, "PERCENT")
    assert found["tur-uzb-joint-ventures"]["value"] == 438
    assert (found["tur-uzb-companies-2017"]["value"], found["tur-uzb-companies-2017"]["year"]) == (
        479,
        2017,
    )
    assert found["tur-uzb-joint-ventures-2017"]["value"] == 199
    assert found["tur-uzb-investor-rank"]["unit"] == "RANK"


async def test_organisations_and_people_have_figures(client: httpx.AsyncClient) -> None:
    tika = await figures(client, organisation="tika")
    data = await data_of(
        client, '{ organisation(acronym: "OTS") { economicFigures { value unit } } }'
    )

    assert [(f["value"], f["qualifier"]) for f in tika.values()] == [(170, "MORE_THAN")]
    assert data["organisation"]["economicFigures"] == [{"value": 30, "unit": "COUNT"}]


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"year": 2017}, {"tur-uzb-companies-2017", "tur-uzb-joint-ventures-2017"}),
        ({"unit": "PERCENT"}, {"tur-uzb-enterprises-share", "tur-influence-second-zone"}),
        (
            {"state": "TJK", "unit": "USD"},
            {
                "tur-tjk-arms-purchase-allocation",
                "tur-tjk-military-training-allocation",
            },
        ),
    ],
)
async def test_figures_filter(
    client: httpx.AsyncClient, filter_: dict[str, object], expected: set[str]
) -> None:
    assert set(await figures(client, **filter_)) == expected


async def test_every_figure_quotes_the_paper(client: httpx.AsyncClient) -> None:
    found = await figures(client)

    assert len(found) == 15
    assert all(
        s["quote"] and s["locator"].startswith("¶") for f in found.values() for s in f["sources"]
    )


async def test_state_figures_connection_is_paged(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ state(code: "TUR") { economicFigures(first: 2) {
              totalCount pageInfo { hasNextPage } edges { node { year metric } } } } }""",
    )

    connection = data["state"]["economicFigures"]
    assert connection["totalCount"] == 12
    assert connection["pageInfo"]["hasNextPage"] is True
    assert [n["year"] for n in nodes(connection)] == [2010, 2017]
