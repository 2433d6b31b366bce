"""Military exercises: hosts, organisers of both kinds, participants, formats, filters."""

import httpx
import pytest

from tests.graphql import data_of, nodes

EXERCISE = """
query ($key: String!) {
  militaryExercise(key: $key) {
    name series date datePrecision year format focus
    hostState { code }
    organiser { __typename ... on State { code } ... on Organisation { acronym } }
    participants { code }
    sources { quote }
  }
}
"""
EXERCISES = """
query ($filter: MilitaryExerciseFilter) {
  militaryExercises(first: 100, filter: $filter) { totalCount edges { node { key } } }
}
"""


async def test_rubezh_2025_was_a_csto_drill_in_kyrgyzstan(client: httpx.AsyncClient) -> None:
    rubezh = (await data_of(client, EXERCISE, {"key": "rubezh-2025"}))["militaryExercise"]

    assert (rubezh["date"], rubezh["datePrecision"], rubezh["year"]) == ("2025-09", "MONTH", 2025)
    assert rubezh["hostState"] == {"code": "KGZ"}
    assert rubezh["organiser"] == {"__typename": "Organisation", "acronym": "CSTO"}
    assert "drone" in rubezh["focus"]


async def test_unity_was_held_twice_by_azerbaijan_and_four_central_asian_states(
    client: httpx.AsyncClient,
) -> None:
    unity = [
        (await data_of(client, EXERCISE, {"key": key}))["militaryExercise"]
        for key in ("unity-2024", "unity-2025")
    ]

    assert [(u["year"], u["hostState"]["code"]) for u in unity] == [(2024, "KAZ"), (2025, "UZB")]
    for holding in unity:
        assert holding["series"] == "Unity"
        assert [p["code"] for p in holding["participants"]] == ["AZE", "KAZ", "KGZ", "TJK", "UZB"]


async def test_turkey_organises_efes_and_kis(client: httpx.AsyncClient) -> None:
    efes = (await data_of(client, EXERCISE, {"key": "efes"}))["militaryExercise"]

    assert efes["organiser"] == {"__typename": "State", "code": "TUR"}
    assert (efes["format"], efes["year"], efes["participants"]) == ("MULTINATIONAL", None, [])


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"format": "BILATERAL", "year": 2023}, {"uzaz-2023", "khazri-2023", "kanzhar-2023"}),
        ({"organisation": "csto"}, {"rubezh-2025", "csto-military-drills"}),
        ({"state": "TUR"}, {"efes", "kis", "turkish-special-forces-training"}),
        ({"state": "aze", "format": "BILATERAL"}, {"uzaz-2023", "khazri-2023"}),
    ],
)
async def test_exercises_filter(
    client: httpx.AsyncClient, filter_: dict[str, object], expected: set[str]
) -> None:
    data = await data_of(client, EXERCISES, {"filter": filter_})

    assert {n["key"] for n in nodes(data["militaryExercises"])} == expected
    assert data["militaryExercises"]["totalCount"] == len(expected)


async def test_states_and_organisations_list_their_exercises(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        """{ state(code: "KAZ") { militaryExercises { key } }
             organisation(acronym: "SCO") { militaryExercises { key } } }""",
    )

    assert [x["key"] for x in data["state"]["militaryExercises"]] == [
        "kanzhar-2023",
        "khazri-2023",
        "unity-2024",
        "unity-2025",
    ]
    assert data["organisation"]["militaryExercises"] == [{"key": "sco-military-drills"}]
