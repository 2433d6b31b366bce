"""The GraphQL schema: the root Query merged from per-entity query classes, and its extensions."""

import strawberry
from strawberry import relay

from schema.errors import ErrorPolicy
from schema.queries.agreement import AgreementQueries
from schema.queries.analyses import AnalysisQueries
from schema.queries.organisation import OrganisationQueries
from schema.queries.search import SearchQueries
from schema.queries.state import StateQueries
from schema.queries.stats import StatsQueries


@strawberry.type(description="Read the silkgraph knowledge base.")
class Query(
    StateQueries,
    OrganisationQueries,
    AgreementQueries,
    SearchQueries,
    StatsQueries,
    AnalysisQueries,
):
    node: relay.Node | None = relay.node(description="Any object, by its global ID.")


schema = strawberry.Schema(query=Query, extensions=[ErrorPolicy])
