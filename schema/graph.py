"""The actors and the ties between them, as a graph to walk: shortest chains and neighbourhoods.

Actors (states, organisations, companies, people, non-state actors) and tie kinds are declared
once. A tie is a record that joins two actors: a membership (member – organisation), an arms
transfer (supplier – recipient, of any kind), an agreement (any two of its parties), a body
and the organisation it belongs to, a company and its home state, an exercise, event,
initiative or corridor (any two of those taking part in it), an office (holder – state or
organisation), a nationality. Each tie kind is either a `DirectTie` (a table whose rows name
both ends) or a `SharedTie` (a link – a table or a union of selects – whose rows sharing a
group are tied pairwise). Walking the graph loads a whole frontier's ties with one statement
per tie kind, so a walk costs (hops × tie kinds) statements however wide it gets.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import Integer, Select, cast, null, or_, select, union
from sqlalchemy.sql import FromClause
from sqlmodel import col

from api import models
from api.db import SessionFactory
from api.models.enums import ParticipantRole


@strawberry.enum(description="The kinds of actor the graph joins.")
class ActorKind(Enum):
    STATE = "STATE"
    ORGANISATION = "ORGANISATION"
    COMPANY = "COMPANY"
    PERSON = "PERSON"
    NON_STATE_ACTOR = "NON_STATE_ACTOR"


@strawberry.enum(description="The kinds of record that tie two actors.")
class TieKind(Enum):
    MEMBERSHIP = "MEMBERSHIP"
    AGREEMENT = "AGREEMENT"
    ARMS_TRANSFER = "ARMS_TRANSFER"
    PARENT_ORGANISATION = "PARENT_ORGANISATION"
    BASED_IN = "BASED_IN"
    MILITARY_EXERCISE = "MILITARY_EXERCISE"
    EVENT = "EVENT"
    INITIATIVE = "INITIATIVE"
    CORRIDOR = "CORRIDOR"
    OFFICE = "OFFICE"
    NATIONALITY = "NATIONALITY"


ACTOR_MODELS: dict[ActorKind, Any] = {
    ActorKind.STATE: models.State,
    ActorKind.ORGANISATION: models.Organisation,
    ActorKind.COMPANY: models.Company,
    ActorKind.PERSON: models.Person,
    ActorKind.NON_STATE_ACTOR: models.NonStateActor,
}

ActorKey = tuple[ActorKind, int]


@dataclass(frozen=True, order=True)
class Tie:
    """A record tying two actors; `record_model` and `record_id` name the record. Equal ties
    are the same record between the same two actors, whichever way round they were met."""

    kind_rank: int
    record_id: int
    pair: tuple[tuple[str, int], tuple[str, int]]
    kind: TieKind = field(compare=False)
    record_model: Any = field(compare=False)
    a: ActorKey = field(compare=False)
    b: ActorKey = field(compare=False)

    @classmethod
    def of(
        cls, kind: TieKind, record_model: Any, record_id: int, a: ActorKey, b: ActorKey
    ) -> "Tie":
        ends = sorted([(a[0].value, a[1]), (b[0].value, b[1])])
        pair = (ends[0], ends[1])
        return cls(_rank(kind), record_id, pair, kind, record_model, a, b)


Frontier = Mapping[ActorKind, set[int]]


def _end(row: Any, columns: Mapping[ActorKind, str], prefix: str) -> ActorKey | None:
    for kind, column in columns.items():
        value = row._mapping.get(f"{prefix}{column}")
        if value is not None:
            return (kind, value)
    return None


def _rank(kind: TieKind) -> int:
    return list(TieKind).index(kind)


@dataclass(frozen=True)
class DirectTie:
    """A table whose every row ties the actor in its `a` columns to the one in its `b` ones."""

    kind: TieKind
    model: Any
    a: Mapping[ActorKind, str]
    b: Mapping[ActorKind, str]

    def statement(self, frontier: Frontier) -> Select[Any] | None:
        table = self.model.__table__
        terms = [
            table.c[column].in_(sorted(frontier[kind]))
            for end in (self.a, self.b)
            for kind, column in end.items()
            if frontier.get(kind)
        ]
        if not terms:
            return None
        columns = [table.c.id.label("record_id")]
        columns += [table.c[c].label(f"a_{c}") for c in self.a.values()]
        columns += [table.c[c].label(f"b_{c}") for c in self.b.values()]
        return select(*columns).where(or_(*terms))

    def ties(self, rows: Iterable[Any]) -> list[Tie]:
        found = []
        for row in rows:
            a, b = _end(row, self.a, "a_"), _end(row, self.b, "b_")
            if a is not None and b is not None and a != b:
                found.append(Tie.of(self.kind, self.model, row.record_id, a, b))
        return found


@dataclass(frozen=True)
class SharedTie:
    """A link (a table, or a union of selects) whose rows with the same `group` tie their
    actors pairwise; a row never ties its actor to itself."""

    kind: TieKind
    link: FromClause
    group: str
    record_model: Any
    ends: Mapping[ActorKind, str]

    def statement(self, frontier: Frontier) -> Select[Any] | None:
        mine, theirs = self.link.alias(), self.link.alias()
        terms = [
            mine.c[column].in_(sorted(frontier[kind]))
            for kind, column in self.ends.items()
            if frontier.get(kind)
        ]
        if not terms:
            return None
        columns = [mine.c[self.group].label("record_id")]
        columns += [mine.c[c].label(f"a_{c}") for c in self.ends.values()]
        columns += [theirs.c[c].label(f"b_{c}") for c in self.ends.values()]
        pairs = theirs.c[self.group] == mine.c[self.group]
        return select(*columns).select_from(mine).join(theirs, pairs).where(or_(*terms))

    def ties(self, rows: Iterable[Any]) -> list[Tie]:
        found = []
        for row in rows:
            a, b = _end(row, self.ends, "a_"), _end(row, self.ends, "b_")
            if a is not None and b is not None and a != b:
                found.append(Tie.of(self.kind, self.record_model, row.record_id, a, b))
        return found


NO_ID = cast(null(), Integer)


def link(group: str, *parts: Select[Any]) -> FromClause:
    """The union of `parts`, each selecting `group` and the actor columns (`state_id`,
    `organisation_id`, `person_id`): who takes part in what, wherever the tables keep it."""
    return union(*parts).subquery(f"{group}_actors")


def _actors(group: Any, state: Any = NO_ID, organisation: Any = NO_ID, person: Any = NO_ID) -> Any:
    return select(
        group.label("group_id"),
        state.label("state_id"),
        organisation.label("organisation_id"),
        person.label("person_id"),
    )


Exercise, Event = models.MilitaryExercise, models.Event
ExerciseParticipant, EventParticipant = models.ExerciseParticipant, models.EventParticipant
InitiativeActor, CorridorActor = models.InitiativeActor, models.CorridorActor
CorridorStop = models.CorridorStop
ALL_ENDS = {
    ActorKind.STATE: "state_id",
    ActorKind.ORGANISATION: "organisation_id",
    ActorKind.PERSON: "person_id",
}

# Exercises: the states that joined, the host, the organiser (state or organisation).
EXERCISE_ACTORS = link(
    "exercise",
    _actors(col(ExerciseParticipant.exercise_id), col(ExerciseParticipant.state_id)),
    _actors(col(Exercise.id), col(Exercise.host_state_id)).where(
        col(Exercise.host_state_id).is_not(None)
    ),
    _actors(
        col(Exercise.id), col(Exercise.organiser_state_id), col(Exercise.organiser_organisation_id)
    ).where(
        or_(
            col(Exercise.organiser_state_id).is_not(None),
            col(Exercise.organiser_organisation_id).is_not(None),
        )
    ),
)
# Events: who took part in any role but ABSENT (the source says they stayed away), and the
# organisation that held it.
EVENT_ACTORS = link(
    "event",
    _actors(
        col(EventParticipant.event_id),
        col(EventParticipant.state_id),
        col(EventParticipant.organisation_id),
        col(EventParticipant.person_id),
    ).where(col(EventParticipant.role) != ParticipantRole.ABSENT.value),
    _actors(col(Event.id), organisation=col(Event.organisation_id)).where(
        col(Event.organisation_id).is_not(None)
    ),
)
INITIATIVE_ACTORS = link(
    "initiative",
    _actors(
        col(InitiativeActor.initiative_id),
        col(InitiativeActor.state_id),
        col(InitiativeActor.organisation_id),
        col(InitiativeActor.person_id),
    ),
)
# Corridors: the states along them and those who initiated, coordinate or back them.
CORRIDOR_ACTORS = link(
    "corridor",
    _actors(
        col(CorridorActor.corridor_id),
        col(CorridorActor.state_id),
        col(CorridorActor.organisation_id),
    ),
    _actors(col(CorridorStop.corridor_id), col(CorridorStop.state_id)).where(
        col(CorridorStop.state_id).is_not(None)
    ),
)

TIES: dict[TieKind, DirectTie | SharedTie] = {
    TieKind.MEMBERSHIP: DirectTie(
        TieKind.MEMBERSHIP,
        models.Membership,
        {ActorKind.STATE: "member_state_id", ActorKind.ORGANISATION: "member_organisation_id"},
        {ActorKind.ORGANISATION: "organisation_id"},
    ),
    TieKind.AGREEMENT: SharedTie(
        TieKind.AGREEMENT,
        models.AgreementParty.__table__,  # type: ignore[attr-defined]
        "agreement_id",
        models.Agreement,
        {
            ActorKind.STATE: "state_id",
            ActorKind.ORGANISATION: "organisation_id",
            ActorKind.COMPANY: "company_id",
        },
    ),
    TieKind.ARMS_TRANSFER: DirectTie(
        TieKind.ARMS_TRANSFER,
        models.ArmsTransfer,
        {
            ActorKind.STATE: "supplier_id",
            ActorKind.ORGANISATION: "supplier_organisation_id",
            ActorKind.NON_STATE_ACTOR: "supplier_non_state_actor_id",
        },
        {
            ActorKind.STATE: "recipient_id",
            ActorKind.ORGANISATION: "recipient_organisation_id",
            ActorKind.NON_STATE_ACTOR: "recipient_non_state_actor_id",
        },
    ),
    TieKind.PARENT_ORGANISATION: DirectTie(
        TieKind.PARENT_ORGANISATION,
        models.Organisation,
        {ActorKind.ORGANISATION: "id"},
        {ActorKind.ORGANISATION: "parent_id"},
    ),
    TieKind.BASED_IN: DirectTie(
        TieKind.BASED_IN,
        models.Company,
        {ActorKind.COMPANY: "id"},
        {ActorKind.STATE: "country_id"},
    ),
    TieKind.MILITARY_EXERCISE: SharedTie(
        TieKind.MILITARY_EXERCISE, EXERCISE_ACTORS, "group_id", Exercise, ALL_ENDS
    ),
    TieKind.EVENT: SharedTie(TieKind.EVENT, EVENT_ACTORS, "group_id", Event, ALL_ENDS),
    TieKind.INITIATIVE: SharedTie(
        TieKind.INITIATIVE, INITIATIVE_ACTORS, "group_id", models.Initiative, ALL_ENDS
    ),
    TieKind.CORRIDOR: SharedTie(
        TieKind.CORRIDOR, CORRIDOR_ACTORS, "group_id", models.Corridor, ALL_ENDS
    ),
    TieKind.OFFICE: DirectTie(
        TieKind.OFFICE,
        models.OfficeHolding,
        {ActorKind.PERSON: "person_id"},
        {ActorKind.STATE: "state_id", ActorKind.ORGANISATION: "organisation_id"},
    ),
    TieKind.NATIONALITY: DirectTie(
        TieKind.NATIONALITY,
        models.Person,
        {ActorKind.PERSON: "id"},
        {ActorKind.STATE: "nationality_id"},
    ),
}


def _frontier(nodes: Iterable[ActorKey]) -> dict[ActorKind, set[int]]:
    found: dict[ActorKind, set[int]] = defaultdict(set)
    for kind, actor_id in nodes:
        found[kind].add(actor_id)
    return found


async def expand(
    sessions: SessionFactory, nodes: Iterable[ActorKey], kinds: Sequence[TieKind]
) -> list[tuple[ActorKey, ActorKey, Tie]]:
    """Every tie of the given kinds leaving `nodes`, as (from, to, tie): one statement per
    kind for the whole frontier."""
    frontier = _frontier(nodes)
    inside = {(kind, i) for kind, ids in frontier.items() for i in ids}
    found: list[tuple[ActorKey, ActorKey, Tie]] = []
    async with sessions() as session:
        for kind in kinds:
            statement = TIES[kind].statement(frontier)
            if statement is None:
                continue
            for tie in TIES[kind].ties((await session.execute(statement)).all()):
                if tie.a in inside:
                    found.append((tie.a, tie.b, tie))
                if tie.b in inside:
                    found.append((tie.b, tie.a, tie))
    return found


@dataclass
class Walk:
    """A breadth-first walk: each actor's distance, and the ties that first reached it."""

    distance: dict[ActorKey, int]
    reached_by: dict[ActorKey, dict[ActorKey, set[Tie]]]
    edges: dict[tuple[ActorKey, ActorKey, Tie], None]
    truncated: bool = False


async def walk(
    sessions: SessionFactory,
    start: ActorKey,
    kinds: Sequence[TieKind],
    depth: int,
    *,
    stop_at: ActorKey | None = None,
    max_nodes: int,
    close: bool = False,
) -> Walk:
    """Walk `depth` levels out from `start` (stopping at the level that reaches `stop_at`),
    recording every shortest way to each actor; at most `max_nodes` actors. `close` expands
    the last level once more for the ties among the actors reached, adding no actor."""
    state = Walk({start: 0}, defaultdict(lambda: defaultdict(set)), {})
    frontier = [start]
    for level in range(1, depth + 1):
        found: list[ActorKey] = []
        for source, target, tie in sorted(await expand(sessions, frontier, kinds), key=_order):
            if target not in state.distance:
                if len(state.distance) >= max_nodes:
                    state.truncated = True
                    continue
                state.distance[target] = level
                found.append(target)
            if state.distance[target] == level:
                state.reached_by[target][source].add(tie)
            state.edges[(source, target, tie)] = None
        if not found or (stop_at is not None and stop_at in state.distance):
            return state
        frontier = found
    if close:
        for source, target, tie in await expand(sessions, frontier, kinds):
            if target in state.distance:
                state.edges[(source, target, tie)] = None
    return state


def _order(edge: tuple[ActorKey, ActorKey, Tie]) -> tuple[Any, ...]:
    source, target, tie = edge
    return (tie, source[0].value, source[1], target[0].value, target[1])


def shortest_paths(state: Walk, start: ActorKey, end: ActorKey, limit: int) -> list[list[ActorKey]]:
    """Up to `limit` shortest chains from `start` to `end`, in a stable order."""
    if end not in state.distance:
        return []
    paths: list[list[ActorKey]] = []

    def back(node: ActorKey, suffix: list[ActorKey]) -> None:
        if len(paths) >= limit:
            return
        if node == start:
            paths.append([node, *suffix])
            return
        for previous in sorted(state.reached_by[node], key=lambda k: (k[0].value, k[1])):
            back(previous, [node, *suffix])

    back(end, [])
    return paths
