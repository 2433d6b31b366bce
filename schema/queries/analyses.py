"""Root fields of the paper's analyses."""

from typing import Annotated

import strawberry

from api import models
from schema.context import Info
from schema.errors import bad_input
from schema.filters import ArmsTransferFilter, IntRange
from schema.filters.base import MAX_LIST_ITEMS, NO_CRITERIA, Criteria, state_code_in
from schema.graph import ActorKey, ActorKind, Tie, TieKind, shortest_paths, walk
from schema.loaders.analyses import supplier_counts, supplier_counts_statement
from schema.types.analyses import ArmsSupplierDiversification, diversification
from schema.types.arguments import Filter, transfer_criteria
from schema.types.graph import (
    ActorPath,
    ActorPaths,
    Hop,
    Network,
    NetworkEdge,
    NetworkNode,
    TieRecord,
    actor_of,
    global_id,
    label_of,
    load_actors,
    record_id,
    resolve_actor,
)

RECIPIENTS = state_code_in(models.ArmsTransfer.recipient_id)
MAX_HOPS = 4
MAX_PATHS = 50
MAX_TIES_PER_HOP = 10
MAX_WALK = 5000
MAX_DEPTH = 3
MAX_NETWORK = 1000

ACTOR_NAME = (
    "A state code, organisation acronym, company key, person key, non-state-actor key (any "
    "case) or global ID."
)
ActorName = Annotated[str, strawberry.argument(description=ACTOR_NAME)]
TieKinds = Annotated[
    list[TieKind] | None,
    strawberry.argument(description="Only ties of these kinds; all when left out."),
]


def _between(value: int, low: int, high: int, field: str) -> int:
    if not low <= value <= high:
        raise bad_input(f"`{field}` must be between {low} and {high}, got {value}", field)
    return value


def _kinds(kinds: list[TieKind] | None) -> list[TieKind]:
    return list(TieKind) if kinds is None else sorted(set(kinds), key=list(TieKind).index)


@strawberry.type
class AnalysisQueries:
    @strawberry.field(
        description="Supplier diversification of several recipients at once (see "
        "`State.armsSupplierDiversification`), by recipient code; every recipient of a "
        "matching deal when `recipients` is left out."
    )
    async def arms_supplier_diversification(
        self,
        info: Info,
        recipients: Annotated[
            list[str] | None,
            strawberry.argument(description="Recipient state codes (any case)."),
        ] = None,
        order_year: Annotated[
            IntRange | None,
            strawberry.argument(description="Only deals ordered in these years."),
        ] = None,
        filter: Filter[ArmsTransferFilter] = None,
    ) -> list[ArmsSupplierDiversification]:
        chosen = NO_CRITERIA
        if recipients is not None:
            if len(recipients) > MAX_LIST_ITEMS:
                raise bad_input(f"`recipients` takes at most {MAX_LIST_ITEMS} items", "recipients")
            chosen = Criteria((RECIPIENTS.checked(recipients, "recipients"),))
        criteria = transfer_criteria(order_year, filter, chosen)
        statement = supplier_counts_statement(criteria, None)
        async with info.context.sessions() as session:
            counts = supplier_counts((await session.execute(statement)).all())
        return [diversification(recipient, found) for recipient, found in counts.items()]

    @strawberry.field(
        description="The shortest chains of ties (memberships, agreements, arms transfers, "
        "parent bodies, home states, exercises, events, initiatives, corridors, offices, "
        "nationalities) between two actors, each step with the records that tie it and their "
        "sources. Found breadth-first, one statement per tie kind and step."
    )
    async def connections(
        self,
        info: Info,
        from_: Annotated[str, strawberry.argument(name="from", description=ACTOR_NAME)],
        to: ActorName,
        max_hops: Annotated[
            int, strawberry.argument(description=f"At most this many steps (1 to {MAX_HOPS}).")
        ] = 3,
        kinds: TieKinds = None,
        first: Annotated[
            int,
            strawberry.argument(description=f"At most this many chains (1 to {MAX_PATHS})."),
        ] = 10,
    ) -> ActorPaths:
        _between(max_hops, 1, MAX_HOPS, "maxHops")
        _between(first, 1, MAX_PATHS, "first")
        start = await resolve_actor(info, from_, "from")
        end = await resolve_actor(info, to, "to")
        walked = await walk(
            info.context.sessions,
            start,
            _kinds(kinds),
            max_hops if start != end else 0,
            stop_at=end,
            max_nodes=MAX_WALK,
        )
        chains = shortest_paths(walked, start, end, first + 1)
        actors = await load_actors(
            info, sorted({k for chain in chains for k in chain} | {start, end}, key=_key)
        )

        def hop(source: ActorKey, target: ActorKey) -> Hop:
            ties = sorted(walked.reached_by[target][source])[:MAX_TIES_PER_HOP]
            return Hop(
                from_=actor_of(source, actors[source]),
                to=actor_of(target, actors[target]),
                ties=[TieRecord(kind=t.kind, tie=t) for t in ties],
            )

        paths = [
            ActorPath(hops=[hop(a, b) for a, b in zip(chain, chain[1:], strict=False)])
            for chain in chains[:first]
        ]
        return ActorPaths(
            from_=actor_of(start, actors[start]),
            to=actor_of(end, actors[end]),
            hops=walked.distance.get(end),
            paths=paths,
            truncated=walked.truncated or len(chains) > first,
        )

    @strawberry.field(
        description="The actors within `depth` steps of a centre and the ties among them, as "
        "nodes and edges ready for a graph view."
    )
    async def network(
        self,
        info: Info,
        center: ActorName,
        depth: Annotated[
            int, strawberry.argument(description=f"Steps out from the centre (1 to {MAX_DEPTH}).")
        ] = 1,
        kinds: TieKinds = None,
        max_nodes: Annotated[
            int,
            strawberry.argument(description=f"At most this many actors (1 to {MAX_NETWORK})."),
        ] = 200,
    ) -> Network:
        _between(depth, 1, MAX_DEPTH, "depth")
        _between(max_nodes, 1, MAX_NETWORK, "maxNodes")
        start = await resolve_actor(info, center, "center")
        walked = await walk(
            info.context.sessions, start, _kinds(kinds), depth, max_nodes=max_nodes, close=True
        )
        rows = await load_actors(info, sorted(walked.distance, key=_key))
        nodes = sorted(
            (
                NetworkNode(
                    id=strawberry.ID(global_id(*key)),
                    kind=key[0],
                    label=label_of(key, rows[key]),
                    depth=distance,
                    row=rows[key],
                )
                for key, distance in walked.distance.items()
            ),
            key=lambda n: (n.depth, list(ActorKind).index(n.kind), n.label, n.id),
        )
        edges: dict[Tie, NetworkEdge] = {}
        for _source, _target, tie in walked.edges:
            if tie.a in walked.distance and tie.b in walked.distance and tie not in edges:
                edges[tie] = NetworkEdge(
                    source=strawberry.ID(global_id(*tie.a)),
                    target=strawberry.ID(global_id(*tie.b)),
                    kind=tie.kind,
                    record=strawberry.ID(record_id(tie)),
                )
        ordered = sorted(edges.items(), key=lambda item: (item[0], item[1].source, item[1].target))
        return Network(nodes=nodes, edges=[e for _, e in ordered], truncated=walked.truncated)


def _key(key: ActorKey) -> tuple[int, int]:
    return (list(ActorKind).index(key[0]), key[1])
