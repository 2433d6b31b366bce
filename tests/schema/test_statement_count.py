"""No N+1: a request's SQL statement count depends on its shape, never on how many rows it returns.

Each query below carries its statement budget: one statement per field that reads the database
(the root page, every nested list, connection and by-id look-up), whatever the number of parents.
Loaders may merge two such fields into one statement when their parents arrive together, so the
count can be below the budget, never above it. Each query runs on a few rows chosen to reach
every nested level and on many rows; both must stay within the same budget.
"""

import json
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.conftest import StatementCounter, statements_of
from tests.graphql import client_for, data_of

RICH_STATES = [
    "AZE",
    "KAZ",
    "KGZ",
    "TJK",
    "TKM",
    "UZB",
    "TUR",
    "RUS",
    "HUN",
    "XNC",
    "CHN",
    "AUT",
    "USA",
    "DEU",
    "JPN",
    "KOR",
    "IND",
    "CYP",
]

# Every nested field of the schema appears in at least one of these.
NESTED_QUERIES: dict[str, tuple[int, str, dict[str, Any], dict[str, Any]]] = {
    "state memberships and organisation members": (
        # states, memberships, organisation, members, member (state, organisation),
        # formerNames, their sources, sources, document
        10,
        """query ($states: StateFilter) { states(first: 100, filter: $states) { edges { node {
          code memberships { role organisation { acronym
            members(asOf: 2025) { member { ... on State { code } ... on Organisation { acronym } } }
            formerNames { name sources { quote } } } }
          sources { quote document url documentDetails { key } } } } } }""",
        {"states": {"codes": ["KAZ", "TUR"]}},
        {"states": {"codes": RICH_STATES}},
    ),
    "state arms trade and companies": (
        # states, armsImports, supplier, their sources, armsExports, recipient, agreement,
        # companies, country, company agreements, agreements
        11,
        """query ($states: StateFilter) { states(first: 100, filter: $states) { edges { node {
          armsImports(first: 3) { totalCount
            edges { node { supplier { code } sources { quote } } } }
          armsExports(first: 3) { totalCount
            edges { node { recipient { code } agreement { key } } } }
          companies { name country { code } agreements(first: 2) { totalCount } }
          agreements(first: 2) { totalCount edges { node { title } } } } } } }""",
        {"states": {"codes": ["KAZ", "TUR"]}},
        {"states": {"codes": RICH_STATES}},
    ),
    "organisation hierarchy and seats": (
        # organisations, parent, subsidiaries, headquartersState, memberships, their
        # organisation, members, member (state, organisation), agreements, sources
        11,
        """query ($organisations: OrganisationFilter) {
          organisations(first: 100, filter: $organisations) { edges { node { acronym
            parent { acronym } subsidiaries { acronym } headquartersState { code }
            memberships { organisation { acronym } } members { since member { __typename } }
            agreements(first: 2) { totalCount edges { node { key } } }
            sources { quote } } } } }""",
        {"organisations": {"acronyms": ["OTS", "TURKPA", "UNSC", "ECO"]}},
        {"organisations": None},
    ),
    "agreement parties": (
        # agreements, parties (state, organisation, company), partyRoles, party (same
        # three), armsTransfers, sources
        10,
        """query ($n: Int) { agreements(first: $n) { edges { node { title
          parties { ... on State { code } ... on Organisation { acronym } ... on Company { name } }
          partyRoles { role party { __typename } }
          armsTransfers { key } sources { quote } } } } }""",
        {"n": 4},
        {"n": 100},
    ),
    "arms transfers": (
        # armsTransfers, supplier, armsExports, recipient, memberships, agreement,
        # parties and their party (state, organisation, company), sources
        11,
        """query ($n: Int) { armsTransfers(first: $n) { edges { node { key
          supplier { code armsExports(first: 1) { totalCount } }
          recipient { code memberships { role } }
          agreement { parties { __typename } } sources { locator } } } } }""",
        {"n": 2},
        {"n": 100},
    ),
    "memberships": (
        # memberships, member (state, organisation), organisation, parent, sources
        6,
        """query ($memberships: MembershipFilter) {
          memberships(first: 100, filter: $memberships) { edges { node { role
            member { ... on State { code } ... on Organisation { acronym } }
            organisation { acronym parent { acronym } } sources { quote } } } } }""",
        {"memberships": {"organisation": "OTS"}},
        {"memberships": None},
    ),
    # -- the rest of the paper (issue 3) ------------------------------------------------------
    "state events and figures": (
        # states, events, placeState, organisation, parent, participants, participant (state,
        # organisation, person), economicFigures, subject (state, organisation, person),
        # partner, sources
        15,
        """query ($states: StateFilter) { states(first: 100, filter: $states) { edges { node {
          events(first: 3) { totalCount edges { node { key placeState { code }
            organisation { acronym } parent { key }
            participants { role participant { __typename ... on State { code } } } } } }
          economicFigures(first: 5) { totalCount edges { node { key
            subject { __typename } partner { code } sources { quote } } } } } } } }""",
        {"states": {"codes": ["KGZ"]}},
        {"states": {"codes": RICH_STATES}},
    ),
    "state exercises, corridors, initiatives and people": (
        # states, militaryExercises, hostState, organiser (state, organisation), participants,
        # corridors, stops, stop state, actors, actor (state, organisation), links, corridor,
        # initiatives, their actors, actor (state, organisation, person), officeHolders, person,
        # people, nationality
        23,
        """query ($states: StateFilter) { states(first: 100, filter: $states) { edges { node {
          militaryExercises { key hostState { code } organiser { __typename }
                              participants { code } }
          corridors { key stops { name state { code } } actors { actor { __typename } }
                      links { corridor { key } } }
          initiatives { key actors { role actor { __typename } } }
          officeHolders { office person { key } }
          people { key nationality { code } } } } } }""",
        {"states": {"codes": ["GEO"]}},
        {"states": {"codes": RICH_STATES}},
    ),
    "state timeline": (
        # states, then the timeline: memberships, agreements, events, exercises, initiatives,
        # figures, offices, and for titles organisation, member (state, organisation), person
        12,
        """query ($states: StateFilter) { states(first: 100, filter: $states) { edges { node {
          code timeline { date kind title item { __typename } } } } } }""",
        {"states": {"codes": ["GEO"]}},
        {"states": {"codes": RICH_STATES}},
    ),
    "organisation events, outcomes, exercises, corridors, initiatives, figures, timeline": (
        # organisations, events, outcomes, record (agreement, membership, organisation,
        # initiative), militaryExercises, corridors, initiatives, economicFigures, officeHolders,
        # person, and the timeline: memberships held and granted, agreements, events, exercises,
        # initiatives, figures, offices, and for titles organisation, member (state,
        # organisation), person
        26,
        """query ($organisations: OrganisationFilter) {
          organisations(first: 100, filter: $organisations) { edges { node { acronym
            events(first: 5) { totalCount edges { node { key outcomes { kind
              record { __typename } } } } }
            militaryExercises { key } corridors { key } initiatives { key }
            economicFigures { key } officeHolders { office person { key } }
            timeline { date kind title } } } } }""",
        {"organisations": {"acronyms": ["SCO"]}},
        {"organisations": None},
    ),
    "events with participants, outcomes and their origins": (
        # events, participants, participant (state, organisation, person), outcomes, record
        # (agreement, membership, organisation, initiative), events of the agreement, of the
        # membership and of the initiative, sideEvents, corridors, their events, sources
        17,
        """query ($n: Int) { events(first: $n) { edges { node { key
          participants { role participant { __typename } }
          outcomes { kind record { __typename
            ... on Agreement { events { key } } ... on Membership { events { key } }
            ... on Initiative { events { key } } } }
          sideEvents { key } corridors { key events(first: 2) { totalCount } }
          sources { quote } } } } }""",
        {"n": 2},
        {"n": 100},
    ),
    "people with offices, events, initiatives and figures": (
        # people, nationality, offices, state, organisation, person, events, initiatives,
        # economicFigures, sources
        10,
        """query ($people: PersonFilter) { people(first: 100, filter: $people) { edges { node {
          key nationality { code }
          offices { office state { code } organisation { acronym } person { key } }
          events(first: 5) { totalCount edges { node { key } } }
          initiatives { key } economicFigures { key } sources { quote } } } } }""",
        {"people": {"state": "XNC"}},
        {"people": None},
    ),
    "corridors with stops, actors, links and events": (
        # corridors, stops, stop state, actors, actor (state, organisation), links, corridor,
        # events, sources
        10,
        """query ($corridors: CorridorFilter) {
          corridors(first: 100, filter: $corridors) { edges { node { key
            stops { name state { code } } actors { role actor { __typename } }
            links { kind corridor { key } } events(first: 5) { totalCount edges { node { key } } }
            sources { quote } } } } }""",
        {"corridors": {"kind": "RAILWAY"}},
        {"corridors": None},
    ),
    "exercises, initiatives and figures": (
        # militaryExercises, hostState, organiser (state, organisation), participants, sources,
        # initiatives, actors, actor (state, organisation, person), events, economicFigures,
        # subject (state, organisation, person), partner
        18,
        """query ($n: Int) {
          militaryExercises(first: $n) { edges { node { key hostState { code }
            organiser { __typename } participants { code } sources { quote } } } }
          initiatives(first: $n) { edges { node { key actors { actor { __typename } }
            events { key } } } }
          economicFigures(first: $n) { edges { node { key subject { __typename }
            partner { code } } } } }""",
        {"n": 1},
        {"n": 100},
    ),
    "documents and their coverage": (
        # documents, paragraphs, uncited paragraphs
        3,
        """query ($withText: Boolean!) { documents { key
          coverage @include(if: $withText) { cited total uncited { number text } } } }""",
        {"withText": False},
        {"withText": True},
    ),
    # -- dashboards (issue 4) ------------------------------------------------------------------
    "filtered, ordered and analysed state fields": (
        # states, armsImports, supplier, armsExports, agreements, memberships, organisation,
        # membershipHistory, its member states and organisations, evidence, diversification,
        # its suppliers, sharedOrganisations, their organisations
        15,
        """query ($states: StateFilter) { states(first: 100, filter: $states) { edges { node {
          armsImports(first: 5, filter: {categories: [AIRCRAFT, MIXED]},
                      orderBy: [{field: SUPPLIER}, {field: DESIGNATION, direction: DESC}]) {
            totalCount edges { node { key supplier { code } } } }
          armsExports(filter: {statuses: [SUPPLIED]}) { totalCount }
          agreements(first: 3, filter: {kinds: [DECLARATION, CONCEPT]}, orderBy: [{field: TITLE}]) {
            totalCount }
          memberships(filter: {organisationKinds: [REGIONAL_FORMAT]}) { organisation { acronym } }
          membershipHistory { kind member { __typename } evidence { quote } }
          armsSupplierDiversification(orderYear: {lte: 2030}) {
            hhiByDeals suppliers { supplier { code } } }
          sharedOrganisations(with: "TUR", asOf: 2025) { roles organisation { acronym } }
        } } } }""",
        {"states": {"codes": ["KGZ", "TUR"]}},
        {"states": {"codes": RICH_STATES}},
    ),
    "organisation time travel": (
        # organisations, former names (asOf), former names (nameAsOf), memberships, member
        # states and organisations, evidence, previous (none: rows at hand), members filtered,
        # agreements filtered
        9,
        """query ($organisations: OrganisationFilter) {
          organisations(first: 100, filter: $organisations) { edges { node {
            nameAsOf(year: 2015) formerNames(asOf: 2020) { name }
            membershipHistory(years: {gte: 2000}) { kind previous { role }
              member { ... on State { code } ... on Organisation { acronym } } evidence { quote } }
            members(filter: {roles: [OBSERVER, MEMBER]}) { role }
            agreements(first: 2, filter: {year: {gte: 2020}}) { totalCount }
          } } } }""",
        {"organisations": {"acronyms": ["OTS", "CSTO"]}},
        {"organisations": None},
    ),
    "search results": (
        # the page, the count, one by-id look-up per kind (14), the memberships' organisations
        17,
        """query ($text: String!) { search(text: $text, first: 100) { totalCount edges { node {
          kind score snippet
          item { __typename ... on Membership { organisation { acronym } } }
        } } } }""",
        {"text": "Samarkand"},
        {"text": "central"},
    ),
    "arms transfer statistics": (
        # the GROUP BY, the states of suppliers and recipients
        2,
        """query ($filter: ArmsTransferFilter) {
          armsTransferStats(groupBy: [SUPPLIER, RECIPIENT, CATEGORY, STATUS], filter: $filter) {
            buckets { supplier { code } recipient { code } count } } }""",
        {"filter": {"recipient": "KGZ", "supplier": "TUR"}},
        {"filter": None},
    ),
    "filled arms transfer time series": (
        # the GROUP BY with its series and years, the states of suppliers
        2,
        """query ($years: IntRange) {
          armsTransferStats(groupBy: [SUPPLIER, ORDER_YEAR], fillYears: $years,
                            orderBy: {field: KEY}) {
            buckets { supplier { code } orderYear count } } }""",
        {"years": {"gte": 2022, "lte": 2022}},
        {"years": {"gte": 1950, "lte": 2025}},
    ),
    "connections": (
        # two look-ups (≤ 5 statements each), ≤ 4 levels × 11 tie kinds, actors (≤ 5 kinds),
        # tying records (≤ 11 kinds), their sources (≤ 11 kinds)
        10 + 44 + 5 + 11 + 11,
        """query ($from: String!, $to: String!) { connections(from: $from, to: $to, maxHops: 4,
          first: 50) { hops paths { hops { from { __typename } to { __typename }
            ties { kind record { id } sources { quote } } } } } }""",
        {"from": "HUN", "to": "OTS"},
        {"from": "JPN", "to": "NATO"},
    ),
    "filtered and ordered paper fields": (
        # states; events, economicFigures, militaryExercises, corridors, initiatives, people,
        # officeHolders; organisations, their events, armsImports, officeHolders; people and
        # their offices, events
        15,
        """query ($states: StateFilter, $organisations: OrganisationFilter,
                 $people: PersonFilter) {
          states(first: 100, filter: $states) { edges { node {
            events(first: 3, filter: {years: {gte: 2000}}, orderBy: [{field: TITLE}]) {
              totalCount edges { node { key } } }
            economicFigures(first: 3, filter: {units: [COUNT, USD]},
                            orderBy: [{field: VALUE, direction: DESC}]) { totalCount }
            militaryExercises(filter: {years: {gte: 2020}}) { key }
            corridors(filter: {kinds: [CORRIDOR, RAILWAY]}) { key }
            initiatives(filter: {statuses: [PROPOSED, ADOPTED]}) { key }
            people(filter: {textContains: "a"}) { key }
            officeHolders(asOf: 2025) { office } } } }
          organisations(first: 100, filter: $organisations) { edges { node {
            events(first: 2, filter: {kinds: [SUMMIT]}) { totalCount }
            armsImports(filter: {categories: [AIRCRAFT]}) { totalCount }
            officeHolders(filter: {textContains: "e"}) { office } } } }
          people(first: 100, filter: $people) { edges { node {
            offices(asOf: 2025) { office } events(first: 2, orderBy: [{field: DATE}]) {
              totalCount } } } } }""",
        {
            "states": {"codes": ["KGZ"]},
            "organisations": {"acronyms": ["OTS"]},
            "people": {"keys": ["ilham-aliyev"]},
        },
        {"states": {"codes": RICH_STATES}, "organisations": None, "people": None},
    ),
    "network": (
        # centre look-up (≤ 5), 3 levels and the closing one × 11 tie kinds, actors (5 kinds)
        5 + 44 + 5,
        """query ($center: String!, $depth: Int!) {
          network(center: $center, depth: $depth, maxNodes: 1000) {
          nodes { id label actor { __typename } } edges { source target kind record } } }""",
        {"center": "XNC", "depth": 1},
        {"center": "KAZ", "depth": 3},
    ),
}


@pytest.mark.parametrize("name", NESTED_QUERIES)
async def test_statement_count_does_not_grow_with_rows(
    client: httpx.AsyncClient, count_statements: StatementCounter, name: str
) -> None:
    budget, query, few, many = NESTED_QUERIES[name]

    with count_statements:
        small = await data_of(client, query, few)
    assert count_statements.count <= budget, count_statements.statements
    with count_statements:
        large = await data_of(client, query, many)
    assert count_statements.count <= budget, count_statements.statements

    assert len(json.dumps(large)) > 3 * len(json.dumps(small)), "the large answer must be larger"


@pytest.mark.parametrize(("compiled_reads", "statements"), [(False, 6), (True, 1)])
async def test_a_deep_request_costs_one_statement_per_relation_and_level(
    settings: Settings, compiled_reads: bool, statements: int
) -> None:
    """The resolvers (the reference) read once per relation and level: the organisation, its
    members, the member states and the member organisation (the ECO), the states'
    memberships, and the organisations of those. The compiled path reads it all at once."""
    query = """{ organisation(acronym: "OTS") {
        members { member { ... on State { code
          memberships { organisation { acronym } } } } } } }"""

    sent = await statements_of(settings, query, compiled_reads=compiled_reads)

    assert len(sent) == statements, sent


SEARCH = """search(text: "kaz", first: 3) { totalCount edges { node { kind title
  item { ... on State { code } } } } }"""
DEEP_MEMBERS = """organisation(acronym: "OTS") { members { member { ... on State { code
  memberships { organisation { acronym } } } } } }"""


async def test_a_mixed_request_adds_one_statement_to_its_resolved_fields(
    settings: Settings,
) -> None:
    """Beside a search (resolved), the deep request costs the compiled path one statement,
    however many relations and levels it reads (the resolvers: six, some of which the
    search's loaders may share)."""
    async with client_for(settings) as client:
        count_statements = StatementCounter.of(client.app)  # type: ignore[attr-defined]
        with count_statements:
            await data_of(client, f"{{ {SEARCH} }}")
        alone = count_statements.count
        with count_statements:
            await data_of(client, f"{{ {DEEP_MEMBERS} {SEARCH} }}")

    assert count_statements.count == alone + 1, count_statements.statements


# The shapes the compiled path answers beyond the benchmark's: each in one statement.
COMPILED_SHAPES = {
    "agreements with the Party union": """{ agreements(first: 50) { edges { node { key
      parties { __typename ... on State { code } ... on Organisation { acronym }
        ... on Company { name country { code } } }
      partyRoles { role party { __typename } } events { key } sources { quote }
      armsTransfers { key agreement { key } } } } } }""",
    "events": """{ events(first: 50) { totalCount edges { node { key placeState { code }
      organisation { acronym } parent { key } sideEvents { key } sources { quote } } } } }""",
    "people": """{ people(first: 50) { edges { node { key nationality { code }
      offices { office state { code } organisation { acronym } person { key } }
      events(first: 2) { totalCount edges { node { key } } } } } } }""",
    "other records of a deal": """{ armsTransfers(first: 50) { edges { node { key
      sameDeal { key supplier { code } sameDeal { key } } } } } }""",
    "look-ups": """{ agreement(key: "shusha-declaration-2021") { parties { __typename } }
      event(key: "ots-summit-2022-samarkand") { parent { key } }
      person(key: "ilham-aliyev") { offices { office } } }""",
    "companies, non-state actors and documents": """{ companies(first: 50) { totalCount
      edges { node { key country { code } sources { quote } } } }
      nonStateActors(first: 50) { edges { node { key country { code }
        armsImports(first: 2) { totalCount edges { node { key } } } } } }
      documents { key hasFullText } company(key: "turkish-aerospace") { name }
      nonStateActor(key: "zzz") { name } document(key: "paper") { title } }""",
    "economic figures": """{ economicFigures(first: 50) { totalCount edges { node { key
      value subject { __typename ... on State { code } ... on Organisation { acronym }
        ... on Person { key } } partner { code } sources { quote } } } }
      state(code: "TUR") { companies { key } economicFigures(first: 3) { totalCount
        edges { node { key } } } }
      organisation(acronym: "OTS") { economicFigures { key } }
      people(first: 10) { edges { node { economicFigures { key } } } } }""",
    "SIPRI exports, changes and a deal's history": """{ sipriExports(first: 10) {
      totalCount edges { node { release generated deliveriesOnly suppliers document { key } } } }
      sipriChanges(release: 2025, first: 10) { edges { node { deal oldValue newValue
        export { release } } } }
      armsTransfers(first: 50) { edges { node { key sipriExports { release }
        history { kind export { stamp } } } } } }""",
    # Exercises, corridors, initiatives, the unions and lists that lead to them, and the
    # agreements of a party (a connection through a link table, each agreement once).
    "exercises": """{ militaryExercises(first: 50) { totalCount edges { node { key
      hostState { code } organiser { __typename ... on State { code } }
      participants { code } sources { quote } } } } }""",
    "corridors": """{ corridors(first: 50) { edges { node { key modes
      stops { name state { code } } actors { role actor { __typename } }
      links { corridor { key } } events(first: 2) { totalCount edges { node { key } } }
    } } } }""",
    "initiatives and event outcomes": """{ initiatives(first: 50) { edges { node { key
      actors { actor { ... on Person { key } } } events { key participants { role
        participant { __typename } } outcomes { record { __typename } } corridors { key }
      } } } } }""",
    "lists and agreements of states and organisations": """{ states(first: 50) { edges {
      node { code militaryExercises { key } corridors { key } initiatives { key }
      officeHolders { office } people { key }
      agreements(first: 2) { totalCount edges { cursor node { key } }
        pageInfo { hasNextPage endCursor } } } } }
      organisation(acronym: "OTS") { formerNames { name } officeHolders { office }
        agreements(last: 2) { edges { node { key } } } } }""",
    "look-ups and financing": """{ militaryExercise(key: "unity-2024") { name }
      corridor(key: "middle-corridor") { name } initiative(key: "asia-anew") { title }
      armsTransfers(first: 50) { edges { node { financing { amount currency } } } } }""",
}


@pytest.mark.parametrize("name", COMPILED_SHAPES)
async def test_a_compiled_shape_costs_one_statement(settings: Settings, name: str) -> None:
    async with client_for(settings) as client:
        count_statements = StatementCounter.of(client.app)  # type: ignore[attr-defined]
        with count_statements:
            response = await client.post("/graphql", json={"query": COMPILED_SHAPES[name]})
    assert response.headers["server-timing"].startswith("compiled;"), response.text
    assert "errors" not in response.json()
    assert count_statements.count == 1, count_statements.statements
