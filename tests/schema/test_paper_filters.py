"""Filters and orderBy on the rest of the paper and on non-state actors: events, exercises,
corridors, people and their offices (with `asOf`), initiatives and figures, at the root and on
nested connections and lists, declared on the same machinery as the first entities'."""

from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.conftest import statements_of
from tests.graphql import data_of, errors_of, nodes


def _connection(entity: str, filter_type: str, order_type: str, selection: str = "key") -> str:
    return f"""query ($filter: {filter_type}, $orderBy: [{order_type}!]) {{
      {entity}(first: 100, filter: $filter, orderBy: $orderBy) {{
        totalCount edges {{ node {{ {selection} }} }} }} }}"""


EVENTS = _connection("events", "EventFilter", "EventOrder")
EXERCISES = _connection("militaryExercises", "MilitaryExerciseFilter", "MilitaryExerciseOrder")
CORRIDORS = _connection("corridors", "CorridorFilter", "CorridorOrder")
PEOPLE = _connection("people", "PersonFilter", "PersonOrder")
INITIATIVES = _connection("initiatives", "InitiativeFilter", "InitiativeOrder")
FIGURES = _connection("economicFigures", "EconomicFigureFilter", "EconomicFigureOrder")
NON_STATE_ACTORS = _connection("nonStateActors", "NonStateActorFilter", "NonStateActorOrder")


async def _keys(
    client: httpx.AsyncClient,
    query: str,
    filter: dict[str, Any] | None,
    order_by: list[dict[str, str]] | None = None,
) -> list[str]:
    data = await data_of(client, query, {"filter": filter, "orderBy": order_by})
    connection = next(iter(data.values()))
    found = nodes(connection)
    assert connection["totalCount"] == len(found)
    return [n["key"] for n in found]


async def test_event_filters(client: httpx.AsyncClient) -> None:
    # Held in Uzbekistan: the Samarkand summits of 2022 and 2025, the Tashkent meeting.
    assert await _keys(client, EVENTS, {"placeStates": ["uzb"]}) == [
        "ots-summit-2022-samarkand",
        "eu-central-asia-summit-2025",
        "central-asia-consultative-meeting-7",
    ]
    # Tatar stayed away from Samarkand (the participant list says ABSENT) and went to the
    # informal summit in Azerbaijan; Fidan's events are later than 2025 or undated.
    assert await _keys(
        client, EVENTS, {"people": ["ersin-tatar", "hakan-fidan"], "years": {"gte": 2022}}
    ) == ["ots-summit-2022-samarkand", "ots-informal-summit-2024-azerbaijan"]
    assert await _keys(client, EVENTS, {"textContains": "SAMARKAND"}) == [
        "ots-summit-2022-samarkand",
        "eu-central-asia-summit-2025",
    ]
    summits_since_2025 = await _keys(
        client,
        EVENTS,
        {"states": ["UZB", "KAZ"], "years": {"gte": 2025}, "kinds": ["SUMMIT"]},
        [{"field": "DATE", "direction": "DESC"}],
    )
    assert summits_since_2025 == [
        "central-asia-consultative-meeting-7",
        "eu-central-asia-summit-2025",
    ]
    # The old single-value fields keep their meaning beside the new lists.
    assert await _keys(client, EVENTS, {"state": "uzb", "year": 2022}) == [
        "ots-summit-2022-samarkand"
    ]
    assert await _keys(client, EVENTS, {"keys": ["russia-war-in-ukraine", "nothing"]}) == [
        "russia-war-in-ukraine"
    ]


async def test_exercise_corridor_and_initiative_filters(client: httpx.AsyncClient) -> None:
    assert await _keys(
        client,
        EXERCISES,
        {"hostStates": ["KGZ", "UZB"], "years": {"gte": 2024}},
        [{"field": "DATE", "direction": "DESC"}],
    ) == ["rubezh-2025", "unity-2025"]
    assert await _keys(client, EXERCISES, {"series": ["UNITY"]}) == ["unity-2024", "unity-2025"]
    assert await _keys(client, EXERCISES, {"formats": ["BILATERAL"], "states": ["AZE"]}) == [
        "khazri-2023",
        "uzaz-2023",
    ]
    assert await _keys(
        client, EXERCISES, {"organisations": ["csto", "SCO"]}, [{"field": "NAME"}]
    ) == ["csto-military-drills", "sco-military-drills", "rubezh-2025"]

    # Modes are a JSON list: RAIL finds the railway and the Middle Corridor (sea, rail, road).
    assert await _keys(client, CORRIDORS, {"modes": ["RAIL"]}) == [
        "china-kyrgyzstan-uzbekistan-railway",
        "middle-corridor",
    ]
    assert await _keys(client, CORRIDORS, {"textContains": "trans-caspian"}) == ["middle-corridor"]
    assert await _keys(
        client,
        CORRIDORS,
        {"statuses": ["PLANNED", "UNDER_CONSTRUCTION"]},
        [{"field": "STATUS", "direction": "DESC"}],
    ) == ["china-kyrgyzstan-uzbekistan-railway", "trans-afghan-corridor"]

    assert await _keys(client, INITIATIVES, {"kinds": ["PROPOSAL"], "statuses": ["PROPOSED"]}) == [
        "permanent-council-turkic-states-economic-partnership",
        "ots-joint-military-exercises-proposal",
        "community-of-central-asia",
    ]
    assert await _keys(client, INITIATIVES, {"people": ["hakan-fidan"], "years": {"lte": 2024}})


async def test_figure_and_non_state_actor_filters(client: httpx.AsyncClient) -> None:
    # Turkish capital in Uzbekistan, largest number first: the paper's six figures.
    uzbek = await _keys(
        client,
        FIGURES,
        {"partners": ["UZB"], "organisations": None},
        [{"field": "VALUE", "direction": "DESC"}],
    )
    assert uzbek == [
        "tur-uzb-enterprises",
        "tur-uzb-companies-2017",
        "tur-uzb-joint-ventures",
        "tur-uzb-joint-ventures-2017",
        "tur-uzb-enterprises-share",
        "tur-uzb-investor-rank",
    ]
    assert await _keys(
        client, FIGURES, {"units": ["COUNT"], "years": {"gte": 2000}, "value": {"gte": 100}}
    ) == ["tur-uzb-companies-2017", "tur-uzb-joint-ventures-2017"]
    assert await _keys(client, FIGURES, {"people": ["vladimir-putin"]}) == [
        "putin-central-asia-meetings-2022"
    ]
    assert await _keys(client, FIGURES, {"qualifiers": ["MORE_THAN"], "textContains": "meetings"})
    # The fixtures hold no non-state actor (SIPRI brings them; see test_sipri).
    assert await _keys(client, NON_STATE_ACTORS, {"countries": ["TUR"], "textContains": "x"}) == []


async def test_offices_as_of_a_year(client: httpx.AsyncClient) -> None:
    # Every office in the paper is known from one year's mention: it counts for that year.
    in_2025 = await _keys(client, PEOPLE, {"offices": {"asOf": 2025}})
    assert in_2025 == ["ilham-aliyev", "mikhail-mishustin", "sergey-shoigu", "shavkat-mirziyoyev"]
    fidan_2010 = await _keys(client, PEOPLE, {"offices": {"asOf": 2010, "state": "TUR"}})
    assert fidan_2010 == ["hakan-fidan"]
    assert await _keys(client, PEOPLE, {"offices": {"asOf": 2011, "state": "TUR"}}) == []

    data = await data_of(
        client,
        """{ person(key: "hakan-fidan") { all: offices { office }
               y2023: offices(asOf: 2023) { office }
               minister: offices(filter: {textContains: "minister"}) { office } }
             state(code: "TUR") { officeHolders(asOf: 2010) { office person { key } } }
             ru: state(code: "RUS") { officeHolders(filter: {asOf: 2025}) { office } } }""",
    )
    person = data["person"]
    assert [o["office"] for o in person["all"]] == [
        "Deputy Undersecretary of the Prime Minister",
        "Foreign Minister",
    ]
    assert person["y2023"] == [{"office": "Foreign Minister"}]
    assert person["minister"] == [
        {"office": "Deputy Undersecretary of the Prime Minister"},
        {"office": "Foreign Minister"},
    ]
    assert data["state"]["officeHolders"] == [
        {"office": "Deputy Undersecretary of the Prime Minister", "person": {"key": "hakan-fidan"}}
    ]
    assert sorted(o["office"] for o in data["ru"]["officeHolders"]) == [
        "Prime Minister",
        "Secretary of the Security Council",
    ]


NESTED = """
query ($events: EventFilter, $otsEvents: EventFilter, $exercises: MilitaryExerciseFilter,
       $corridors: CorridorFilter, $people: PersonFilter, $figureFilter: EconomicFigureFilter,
       $initiatives: InitiativeFilter) {
  states(first: 20, filter: {codes: ["TUR", "UZB", "KAZ", "KGZ", "AZE", "RUS"]}) {
    edges { node { code
      events(first: 20, filter: $events, orderBy: [{field: DATE, direction: DESC}]) {
        totalCount edges { node { key } } }
      economicFigures(first: 20, filter: $figureFilter, orderBy: [{field: VALUE}]) {
        totalCount }
      militaryExercises(filter: $exercises) { key }
      corridors(filter: $corridors) { key }
      initiatives(filter: $initiatives) { key }
      people(filter: $people) { key }
      officeHolders(asOf: 2025) { office }
  } } }
  organisation(acronym: "OTS") {
    events(first: 20, filter: $otsEvents) { totalCount }
    militaryExercises(filter: $exercises) { key }
    corridors(filter: $corridors) { key }
    initiatives(filter: $initiatives) { key }
    economicFigures(filter: $figureFilter) { key }
  }
}
"""


async def test_nested_fields_take_the_same_filters(client: httpx.AsyncClient) -> None:
    data = await data_of(
        client,
        NESTED,
        {
            "events": {"kinds": ["SUMMIT"], "years": {"gte": 2025}},
            "otsEvents": {"kinds": ["SUMMIT"]},
            "exercises": {"years": {"gte": 2025}},
            "corridors": {"modes": ["RAIL"]},
            "people": {"offices": {"asOf": 2025}},
            "figureFilter": {"units": ["COUNT"]},
            "initiatives": {"statuses": ["PROPOSED"]},
        },
    )

    by_code = {n["code"]: n for n in nodes(data["states"])}
    assert [e["node"]["key"] for e in by_code["UZB"]["events"]["edges"]] == [
        "central-asia-consultative-meeting-7",
        "eu-central-asia-summit-2025",
    ]
    assert [x["key"] for x in by_code["UZB"]["militaryExercises"]] == ["unity-2025"]
    # By date: Unity 2025 is dated to the year only, Rubezh-2025 to September.
    assert [x["key"] for x in by_code["KGZ"]["militaryExercises"]] == [
        "unity-2025",
        "rubezh-2025",
    ]
    assert [c["key"] for c in by_code["KGZ"]["corridors"]] == [
        "china-kyrgyzstan-uzbekistan-railway"
    ]
    assert [p["key"] for p in by_code["RUS"]["people"]] == ["mikhail-mishustin", "sergey-shoigu"]
    assert by_code["TUR"]["people"] == []  # Fidan's offices are attested for 2010 and 2023
    assert by_code["TUR"]["economicFigures"]["totalCount"] == 6
    assert by_code["AZE"]["officeHolders"] == [{"office": "President"}]
    ots = data["organisation"]
    assert ots["events"]["totalCount"] == 6
    assert [i["key"] for i in ots["initiatives"]] == [
        "permanent-council-turkic-states-economic-partnership",
        "ots-joint-military-exercises-proposal",
    ]
    assert [f["key"] for f in ots["economicFigures"]] == ["ots-areas-of-cooperation"]


@pytest.mark.parametrize(("compiled_reads", "statements"), [(False, 14), (True, 1)])
async def test_nested_filters_cost_one_statement_per_field(
    settings: Settings, compiled_reads: bool, statements: int
) -> None:
    """The resolvers (the reference) read once per filtered field: states; its events,
    figures, exercises, corridors, initiatives, people, offices; the organisation and its
    events, exercises, corridors, initiatives, figures. The compiled path reads it all at
    once."""
    variables = {
        "events": {"kinds": ["SUMMIT"]},
        "otsEvents": None,
        "exercises": {"years": {"gte": 2020}},
        "corridors": {"kinds": ["CORRIDOR"]},
        "people": {"textContains": "a"},
        "figureFilter": {"units": ["COUNT", "USD"]},
        "initiatives": {"kinds": ["PROPOSAL"]},
    }
    sent = await statements_of(settings, NESTED, variables, compiled_reads=compiled_reads)

    assert len(sent) == statements, sent


@pytest.mark.parametrize(
    ("query", "filter", "field", "message"),
    [
        (EVENTS, {"years": {"gte": 2025, "lte": 2020}}, "filter.years", "greater"),
        (EVENTS, {"states": ["UZB", "Uzbekistan"]}, "filter.states[1]", "three-letter"),
        (EXERCISES, {"series": ["x" * 201]}, "filter.series[0]", "200"),
        (CORRIDORS, {"textContains": " "}, "filter.textContains", "empty"),
        (PEOPLE, {"offices": {"states": ["TUR"] * 101}}, "filter.offices.states", "at most 100"),
        (FIGURES, {"value": {"gte": 10.5, "lte": 1}}, "filter.value", "greater"),
        (NON_STATE_ACTORS, {"country": "Turkey"}, "filter.country", "three-letter"),
    ],
)
async def test_bad_filter_values_name_the_field(
    client: httpx.AsyncClient, query: str, filter: dict[str, Any], field: str, message: str
) -> None:
    errors = await errors_of(client, query, {"filter": filter})

    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert message in errors[0]["message"]
