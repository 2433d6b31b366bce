"""The OpenAPI description of the exports says what the exports do: each lists the parameters
it takes (and no other), its columns, and the shape of its refusals."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.export import EXPORTS, known_parameters
from api.settings import Settings
from tests.graphql import client_for


@pytest.fixture
async def unlimited(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client the rate limit lets through: one test sends hundreds of requests."""
    async with client_for(settings, rate_limit_enabled=False) as client:
        yield client


SAMPLE = {"integer": "2020", "number": "1.5", "boolean": "true", "string": "x"}


def _sample(schema: dict[str, Any]) -> str:
    item = schema.get("items", schema)
    if "enum" in item:
        return str(item["enum"][0])
    return SAMPLE[item["type"]]


def _matches_error_shape(body: Any, shape: dict[str, Any]) -> None:
    """`body` has what the documented error shape requires, of the documented types."""
    assert set(shape["required"]) <= set(body)
    for error in body["errors"]:
        item = shape["properties"]["errors"]["items"]
        assert set(item["required"]) <= set(error)
        assert isinstance(error["message"], str)
        extensions = item["properties"]["extensions"]
        assert set(extensions["required"]) <= set(error["extensions"])
        assert set(error["extensions"]) <= set(extensions["properties"])
        assert error["extensions"]["code"] in extensions["properties"]["code"]["enum"]


async def test_each_export_is_described_with_its_own_parameters_and_columns(
    client: httpx.AsyncClient,
) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]

    for entity, spec in EXPORTS.items():
        operation = paths[f"/export/{entity}.{{format}}"]["get"]
        # OpenAPI tells parameters apart by name and place (exercises filter by `format` too).
        places = [(p["name"], p["in"]) for p in operation["parameters"]]
        assert len(places) == len(set(places)), entity
        assert {name for name, place in places if place == "query"} == known_parameters(
            spec.filter
        ) | {"orderBy", "limit"}
        assert [name for name, place in places if place == "path"] == ["format"]
        assert all(p["description"] for p in operation["parameters"]), entity
        ok = operation["responses"]["200"]
        assert set(ok["content"]) == {"text/csv", "application/x-ndjson"}
        for column in spec.columns:
            assert f"`{column.name}`: {column.description}" in ok["description"]
        assert {"400", "404"} <= set(operation["responses"])


async def test_every_documented_parameter_is_taken_and_an_undocumented_one_refused(
    unlimited: httpx.AsyncClient,
) -> None:
    client = unlimited
    paths = (await client.get("/openapi.json")).json()["paths"]

    for entity in EXPORTS:
        operation = paths[f"/export/{entity}.{{format}}"]["get"]
        for parameter in operation["parameters"]:
            if parameter["in"] != "query" or parameter["name"] == "orderBy":
                continue
            value = _sample(parameter["schema"])
            response = await client.get(
                f"/export/{entity}.ndjson", params={parameter["name"]: value, "limit": "1"}
            )
            if response.status_code != 200:
                # A value the filter's own checks refuse (no state `x`), never the name.
                message = response.json()["errors"][0]["message"]
                assert not message.startswith("unknown parameter"), (entity, parameter["name"])
        refused = await client.get(f"/export/{entity}.csv", params={"colour": "red"})
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["field"] == "colour"


async def test_refusals_have_the_documented_shape(client: httpx.AsyncClient) -> None:
    operation = (await client.get("/openapi.json")).json()["paths"][
        "/export/arms-transfers.{format}"
    ]["get"]

    for status, path in [
        ("400", "/export/arms-transfers.csv?orderYear.gte=soon"),
        ("400", "/export/arms-transfers.csv?colour=red"),
        ("404", "/export/arms-transfers.xml"),
        ("404", "/export/weapons.csv"),
    ]:
        response = await client.get(path)
        assert str(response.status_code) == status, path
        documented = operation["responses"][status]["content"]["application/json"]
        _matches_error_shape(response.json(), documented["schema"])
        _matches_error_shape(documented["example"], documented["schema"])


async def test_orderby_documented_example_sorts(client: httpx.AsyncClient) -> None:
    operation = (await client.get("/openapi.json")).json()["paths"][
        "/export/arms-transfers.{format}"
    ]["get"]
    (order_by,) = [p for p in operation["parameters"] if p["name"] == "orderBy"]

    response = await client.get(
        "/export/arms-transfers.csv", params={"orderBy": order_by["example"], "limit": "3"}
    )

    assert response.status_code == 200
    assert len(response.text.splitlines()) == 4
