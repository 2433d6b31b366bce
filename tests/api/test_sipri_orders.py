"""Exports of several releases imported in every order leave the same deals with the same
values, and a deal keeps its id from its first import on; SQLite and PostgreSQL."""

from itertools import permutations
from pathlib import Path
from typing import Any

import pytest

from api.settings import PROJECT_ROOT
from tests.api.test_cli import run
from tests.conftest import Templates, _database, settings_for
from tests.graphql import client_for, data_of, nodes

DATA = PROJECT_ROOT / "tests" / "data" / "sipri"
# A partial April 2024 export (deliveries list, 1990-2023), the October 2024 register and a
# March 2025 release: two releases, three layouts of selection.
EXPORTS = ("deliveries-2024-04.csv", "small.csv", "newer.csv")
STATE = """
{ armsTransfers(first: 100, filter: { source: "sipri" }) { totalCount edges { node {
    id key weaponDesignation description weaponCategory numberOrdered numberDelivered
    deliveryYears status tivPerUnit tivDelivered comments } } } }
"""


async def _final_state(
    backend: str, templates: Templates, folder: Path, order: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The SIPRI deals by key after importing `order`, and each deal's id as first seen."""
    first_ids: dict[str, str] = {}
    async for url in _database(backend, "loaded", templates, folder):
        async with client_for(settings_for(url)) as client:
            for name in order:
                code, output = await run(
                    "import",
                    "sipri",
                    "--allow-older",
                    "--allow-removals",
                    str(DATA / name),
                    database_url=url,
                )
                assert code == 0, output
                for node in nodes((await data_of(client, STATE))["armsTransfers"]):
                    first_ids.setdefault(node["key"], node["id"])
            final = {n["key"]: n for n in nodes((await data_of(client, STATE))["armsTransfers"])}
    return final, first_ids


@pytest.mark.slow
async def test_every_order_gives_the_same_deals(
    backend: str, templates: Templates, tmp_path: Path
) -> None:
    def values(state: dict[str, Any]) -> dict[str, Any]:
        return {key: {k: v for k, v in node.items() if k != "id"} for key, node in state.items()}

    expected: dict[str, Any] | None = None
    # The first permutation is the chronological order: April 2024, October 2024, 2025.
    for n, order in enumerate(permutations(EXPORTS)):
        folder = tmp_path / f"order-{n}"
        folder.mkdir()
        final, first_ids = await _final_state(backend, templates, folder, order)

        if expected is None:
            expected = final
            assert "sipri:kgz/tur/2021/bayraktartb2" in expected
            assert expected["sipri:kgz/tur/2021/bayraktartb2"]["numberOrdered"] == 4
        assert values(final) == values(expected), order
        # A deal keeps the id it got when first imported.
        assert {key: node["id"] for key, node in final.items()} == {
            key: first_ids[key] for key in final
        }, order
