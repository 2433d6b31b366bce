"""The GraphQL schema: the root Query merged from per-entity query classes, and its extensions."""

import copy
import functools

import strawberry
from strawberry import relay
from strawberry.types.base import get_object_definition

from api.settings import Settings
from schema.compiled.mixed import CompiledRoots
from schema.limits import (
    ConfigKey,
    SilkgraphSchema,
    config_key,
    schema_config,
    schema_extensions,
)
from schema.queries.agreement import AgreementQueries
from schema.queries.analyses import AnalysisQueries
from schema.queries.corridor import CorridorQueries
from schema.queries.document import DocumentQueries
from schema.queries.economic_figure import EconomicFigureQueries
from schema.queries.event import EventQueries
from schema.queries.exercise import MilitaryExerciseQueries
from schema.queries.initiative import InitiativeQueries
from schema.queries.non_state_actor import NonStateActorQueries
from schema.queries.organisation import OrganisationQueries
from schema.queries.person import PersonQueries
from schema.queries.search import SearchQueries
from schema.queries.sipri import SipriQueries
from schema.queries.state import StateQueries
from schema.queries.stats import StatsQueries


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
    # SIPRI releases over time (issue 10)
    SipriQueries,
    # dashboards (issue 4)
    SearchQueries,
    StatsQueries,
    AnalysisQueries,
):
    node: relay.Node | None = relay.node(description="Any object, by its global ID.")


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the limits, error policy and introspection switch `settings` ask for.

    Building the type system takes a second or so, and every application builds a schema (the
    test suite builds one per test); so it is built once per config and each call gets a
    shallow copy with extensions of its own: limits, error policy and a document cache that no
    other application shares. Strawberry makes extensions per request from `extensions`.
    """
    schema = copy.copy(_type_system(config_key(settings)))
    schema.extensions = tuple(schema_extensions(settings))
    return schema


@functools.cache
def _type_system(key: ConfigKey) -> SilkgraphSchema:
    # relay.node() binds its resolver to the field object when a schema is built, so each
    # schema gets a fresh `node` field.
    @strawberry.type(
        name="Query", description=get_object_definition(Query, strict=True).description
    )
    class RootQuery(Query):
        node: relay.Node | None = relay.node(description="Any object, by its global ID.")

    return SilkgraphSchema(
        query=RootQuery, config=schema_config(key), execution_context_class=CompiledRoots
    )
