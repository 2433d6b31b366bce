"""The GraphQL schema: the root Query merged from per-entity query classes, and its extensions."""

import strawberry
from strawberry import relay

from schema.errors import ErrorPolicy
from schema.queries.agreement import AgreementQueries
from schema.queries.corridor import CorridorQueries
from schema.queries.document import DocumentQueries
from schema.queries.economic_figure import EconomicFigureQueries
from schema.queries.event import EventQueries
from schema.queries.exercise import MilitaryExerciseQueries
from schema.queries.initiative import InitiativeQueries
from schema.queries.non_state_actor import NonStateActorQueries
from schema.queries.organisation import OrganisationQueries
from schema.queries.person import PersonQueries
from schema.queries.state import StateQueries


@strawberry.type(description="Read the silkgraph knowledge base.")
class Query(
    StateQueries,
    OrganisationQueries,
    AgreementQueries,
    # the rest of the paper (issue 3)
    EventQueries,
    MilitaryExerciseQueries,
    CorridorQueries,
    PersonQueries,
    InitiativeQueries,
    EconomicFigureQueries,
    DocumentQueries,
    # SIPRI actors (issue 5)
    NonStateActorQueries,
):
    node: relay.Node | None = relay.node(description="Any object, by its global ID.")


schema = strawberry.Schema(query=Query, extensions=[ErrorPolicy])
