"""An operation's plan: which root fields, tables, columns and nested objects its answer needs.

The plan is plain data, made once per operation shape and cached: graphql-core's own field
collection decides which fields a selection holds (aliases, fragments, inline fragments,
`@skip`/`@include`, `__typename`), so the compiled answer has exactly the keys, in exactly the
order, that the executor would give. Argument values are not in it: each request evaluates
them from its own variables (`schema.compiled.sql`). A root field asking for anything the
compiled path cannot answer is left to the resolvers, by response key (the operation is then
mixed: `schema.compiled.mixed`); an operation with no root field to compile gets no plan,
only the reason, and goes to the resolvers whole.
"""

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues
from strawberry.relay.fields import ConnectionExtension

from api import models

DEFINITION = "strawberry-definition"  # where strawberry keeps a field's own definition


class NotCompilable(Exception):
    """Part of the operation only the resolvers can answer; the message says which."""


class Deferred(NotCompilable):
    """`@defer` anywhere: the whole operation goes to the resolvers, which deliver it in
    parts."""


# -- what the compiled path knows about the schema's types ------------------------------------


@dataclass(frozen=True)
class ToOne:
    """A field resolved by id through a loader: the row of `target` whose id is `foreign_key`."""

    foreign_key: str
    target: str


@dataclass(frozen=True)
class Borrow:
    """A scalar field whose resolver reads `column` of the `model` row `foreign_key` points
    at; with `own`, the row's own column of that name comes first when it is not empty (or,
    with `empty_is_own`, whenever it is not null: a stop's name is its own even when blank)."""

    foreign_key: str
    model: Any
    column: str
    own: str | None = None
    empty_is_own: bool = False


@dataclass(frozen=True)
class Within:
    """An object its resolver builds from the parent's own row (`ArmsTransfer.financing`):
    `target`'s `TypeMap` reads the parent's model; null unless every `required` column is set."""

    target: str
    required: tuple[str, ...]


@dataclass(frozen=True)
class TypeMap:
    """A type built by `from_row` from one row of `model`: data fields read the column of the
    same name unless `columns` says otherwise; fields with resolvers need an entry in
    `to_one`, `lists` or `unions` (or be a connection), or they are not compiled.

    `lists` names the type of a list field whose resolver asks the rows loader for one
    relation's rows (`FromRow.related`): the compiled path asks that resolver which relation
    and scope, so arguments mean what they mean there. `unions` gives, for a union field,
    the foreign keys its resolver tries in turn: the first that is not null is the answer.
    `union_lists` names, for a list of a union, the type whose rows its resolver loads and
    that type's union field each item is (`Agreement.parties`: each party row's `party`).
    `shared` names, for a list of the rows sharing a value of the parent's (not its id), the
    type and that column; the parent itself is left out (`ArmsTransfer.sameDeal`). `within`
    names the objects built from the row's own columns. `converted` names, for a data field
    `from_row` computes from one column, that column and the dialect's writer that computes
    it the same way (`Document.hasFullText`: whether `full_text` is set).
    """

    model: Any
    columns: Mapping[str, str] = field(default_factory=dict)
    to_one: Mapping[str, ToOne] = field(default_factory=dict)
    lists: Mapping[str, str] = field(default_factory=dict)
    unions: Mapping[str, tuple[ToOne, ...]] = field(default_factory=dict)
    borrowed: Mapping[str, Borrow] = field(default_factory=dict)
    union_lists: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    shared: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    within: Mapping[str, Within] = field(default_factory=dict)
    converted: Mapping[str, tuple[str, str]] = field(default_factory=dict)


# The branches of the Party union, in the order its resolver (`load_actor`) tries them.
PARTY = (
    ToOne("state_id", "State"),
    ToOne("organisation_id", "Organisation"),
    ToOne("company_id", "Company"),
)

# Whose figure an economic figure is, in the order its resolver (`load_participant`) tries.
FIGURE_SUBJECT = (
    ToOne("subject_state_id", "State"),
    ToOne("subject_organisation_id", "Organisation"),
    ToOne("subject_person_id", "Person"),
)
# The branches of the Participant union, in the order its resolver (`load_participant`) tries.
PARTICIPANT = (
    ToOne("state_id", "State"),
    ToOne("organisation_id", "Organisation"),
    ToOne("person_id", "Person"),
)
# The Actor union's: `load_state(…) or load_organisation(…)`.
ACTOR = PARTICIPANT[:2]

TYPES: dict[str, TypeMap] = {
    "ArmsTransfer": TypeMap(
        models.ArmsTransfer,
        columns={"description": "weapon_description"},
        lists={
            "sources": "Source",
            "sipri_exports": "SipriExport",
            "history": "ArmsTransferChange",
        },
        shared={"same_deal": ("ArmsTransfer", "deal_key")},
        within={"financing": Within("Financing", ("financing_amount", "financing_currency"))},
        to_one={
            "supplier": ToOne("supplier_id", "State"),
            "recipient": ToOne("recipient_id", "State"),
            "agreement": ToOne("agreement_id", "Agreement"),
        },
        unions={
            "supplier_actor": (
                ToOne("supplier_id", "State"),
                ToOne("supplier_organisation_id", "Organisation"),
                ToOne("supplier_non_state_actor_id", "NonStateActor"),
            ),
            "recipient_actor": (
                ToOne("recipient_id", "State"),
                ToOne("recipient_organisation_id", "Organisation"),
                ToOne("recipient_non_state_actor_id", "NonStateActor"),
            ),
        },
    ),
    "NonStateActor": TypeMap(
        models.NonStateActor,
        to_one={"country": ToOne("country_id", "State")},
        lists={"sources": "Source"},
    ),
    "Source": TypeMap(
        models.Citation,
        to_one={"document_details": ToOne("document_id", "Document")},
        borrowed={
            "document": Borrow("document_id", models.Document, "title"),
            "url": Borrow("document_id", models.Document, "url", own="url"),
        },
    ),
    "Document": TypeMap(models.Document, converted={"has_full_text": ("full_text", "present")}),
    "Agreement": TypeMap(
        models.Agreement,
        lists={
            "sources": "Source",
            "arms_transfers": "ArmsTransfer",
            "party_roles": "AgreementParty",
            "events": "Event",
        },
        union_lists={"parties": ("AgreementParty", "party")},
    ),
    "AgreementParty": TypeMap(models.AgreementParty, unions={"party": PARTY}),
    "Event": TypeMap(
        models.Event,
        to_one={
            "place_state": ToOne("place_state_id", "State"),
            "organisation": ToOne("organisation_id", "Organisation"),
            "parent": ToOne("parent_id", "Event"),
        },
        lists={
            "sources": "Source",
            "side_events": "Event",
            "participants": "EventParticipant",
            "outcomes": "EventOutcome",
            "corridors": "Corridor",
        },
    ),
    "Person": TypeMap(
        models.Person,
        to_one={"nationality": ToOne("nationality_id", "State")},
        lists={
            "sources": "Source",
            "offices": "OfficeHolding",
            "economic_figures": "EconomicFigure",
            "initiatives": "Initiative",
        },
    ),
    "OfficeHolding": TypeMap(
        models.OfficeHolding,
        columns={
            "since": "since_year",
            "since_date": "since",
            "until": "until_year",
            "until_date": "until",
        },
        to_one={
            "person": ToOne("person_id", "Person"),
            "state": ToOne("state_id", "State"),
            "organisation": ToOne("organisation_id", "Organisation"),
        },
        lists={"sources": "Source"},
    ),
    "Company": TypeMap(
        models.Company,
        to_one={"country": ToOne("country_id", "State")},
        lists={"sources": "Source"},
    ),
    "State": TypeMap(
        models.State,
        lists={
            "memberships": "Membership",
            "sources": "Source",
            "companies": "Company",
            "military_exercises": "MilitaryExercise",
            "corridors": "Corridor",
            "initiatives": "Initiative",
            "office_holders": "OfficeHolding",
            "people": "Person",
        },
    ),
    "Organisation": TypeMap(
        models.Organisation,
        columns={"founded": "founded_year"},
        to_one={
            "headquarters_state": ToOne("headquarters_state_id", "State"),
            "parent": ToOne("parent_id", "Organisation"),
        },
        lists={
            "members": "Membership",
            "memberships": "Membership",
            "subsidiaries": "Organisation",
            "sources": "Source",
            "economic_figures": "EconomicFigure",
            "military_exercises": "MilitaryExercise",
            "corridors": "Corridor",
            "initiatives": "Initiative",
            "office_holders": "OfficeHolding",
            "former_names": "FormerName",
        },
    ),
    "Membership": TypeMap(
        models.Membership,
        columns={
            "since": "since_year",
            "since_date": "since",
            "until": "until_year",
            "until_date": "until",
        },
        to_one={"organisation": ToOne("organisation_id", "Organisation")},
        lists={"sources": "Source", "events": "Event"},
        unions={
            "member": (
                ToOne("member_state_id", "State"),
                ToOne("member_organisation_id", "Organisation"),
            )
        },
    ),
    "EconomicFigure": TypeMap(
        models.EconomicFigure,
        to_one={"partner": ToOne("partner_state_id", "State")},
        unions={"subject": FIGURE_SUBJECT},
        lists={"sources": "Source"},
    ),
    "SipriExport": TypeMap(
        models.SipriExport,
        to_one={"document": ToOne("document_id", "Document")},
        converted={
            "generated": ("generated", "iso_datetime"),
            "deliveries_only": ("orders", "negated"),
        },
    ),
    "ArmsTransferChange": TypeMap(
        models.ArmsTransferChange,
        to_one={"export": ToOne("export_id", "SipriExport")},
        converted={
            "old_value": ("old_value", "json_display"),
            "new_value": ("new_value", "json_display"),
        },
    ),
    "MilitaryExercise": TypeMap(
        models.MilitaryExercise,
        to_one={"host_state": ToOne("host_state_id", "State")},
        unions={
            "organiser": (
                ToOne("organiser_state_id", "State"),
                ToOne("organiser_organisation_id", "Organisation"),
            )
        },
        lists={"participants": "State", "sources": "Source"},
    ),
    "Corridor": TypeMap(
        models.Corridor,
        lists={
            "stops": "CorridorStop",
            "actors": "CorridorActor",
            "links": "CorridorLink",
            "sources": "Source",
        },
    ),
    "CorridorStop": TypeMap(
        models.CorridorStop,
        to_one={"state": ToOne("state_id", "State")},
        borrowed={"name": Borrow("state_id", models.State, "name", own="name", empty_is_own=True)},
    ),
    "CorridorActor": TypeMap(models.CorridorActor, unions={"actor": ACTOR}),
    "CorridorLink": TypeMap(
        models.CorridorLink, to_one={"corridor": ToOne("other_id", "Corridor")}
    ),
    "Initiative": TypeMap(
        models.Initiative,
        lists={"actors": "InitiativeActor", "events": "Event", "sources": "Source"},
    ),
    "InitiativeActor": TypeMap(models.InitiativeActor, unions={"actor": PARTICIPANT}),
    "EventParticipant": TypeMap(models.EventParticipant, unions={"participant": PARTICIPANT}),
    "EventOutcome": TypeMap(
        models.EventOutcome,
        unions={
            "record": (
                ToOne("agreement_id", "Agreement"),
                ToOne("membership_id", "Membership"),
                ToOne("organisation_id", "Organisation"),
                ToOne("initiative_id", "Initiative"),
            )
        },
    ),
    "FormerName": TypeMap(
        models.OrganisationName,
        columns={"from_": "from_year", "until": "until_year"},
        lists={"sources": "Source"},
    ),
    "Financing": TypeMap(
        models.ArmsTransfer,
        columns={"amount": "financing_amount", "currency": "financing_currency"},
    ),
}

# Root look-ups by a key argument: the root field, the type it returns.
LOOKUPS = {
    "state": "State",
    "organisation": "Organisation",
    "agreement": "Agreement",
    "event": "Event",
    "person": "Person",
    "company": "Company",
    "nonStateActor": "NonStateActor",
    "document": "Document",
    "militaryExercise": "MilitaryExercise",
    "corridor": "Corridor",
    "initiative": "Initiative",
}
# Root plain lists (not connections), each the resolver's own statement: the type it returns.
ROOT_LISTS = {"documents": "Document"}


# -- the plan --------------------------------------------------------------------------------

SCALAR_KINDS = {"String": "text", "Int": "number", "Float": "float", "Boolean": "boolean"}
LIST_KINDS = {"String": "text_list", "Int": "number_list"}


@dataclass(frozen=True)
class Value:
    """A scalar read from a column, written as `kind` (text, number, float, boolean …)."""

    key: str
    column: str
    kind: str


@dataclass(frozen=True)
class Typename:
    key: str
    name: str


@dataclass(frozen=True)
class NodeId:
    key: str
    type_name: str


@dataclass(frozen=True)
class Related:
    """A nested object found by a foreign key of the parent row (null when there is none)."""

    key: str
    foreign_key: str
    target: "ObjectPlan"


@dataclass(frozen=True)
class Borrowed:
    """A scalar read from the row a foreign key points at (see `Borrow`)."""

    key: str
    borrow: Borrow
    kind: str


@dataclass(frozen=True)
class Embedded:
    """An object built from the parent's own row (see `Within`), null unless every
    `required` column is set."""

    key: str
    required: tuple[str, ...]
    target: "ObjectPlan"


@dataclass(frozen=True)
class OneOf:
    """A union field: the object of the first branch whose foreign key is not null (null
    when none is), each branch `(foreign key, plan of the type it points at)`."""

    key: str
    branches: tuple[tuple[str, "ObjectPlan"], ...]


@dataclass(frozen=True)
class RowList:
    """A nested list of a relation's rows: its field (whose resolver names the relation and
    scope) and the plan of each row's object. With `unwrap`, each item is not the row's
    object but the value of its one field, a union (`TypeMap.union_lists`). `parent_key` is
    the parent's column the rows hang off (its id unless `TypeMap.shared` says otherwise,
    when the parent's own row is left out)."""

    key: str
    field_name: str
    node: GraphQLField
    field_node: FieldNode
    target: "ObjectPlan"
    parent: Any  # the parent's class, whose resolver it is
    unwrap: bool = False
    parent_key: str = "id"


# What an object holds: scalars, nested objects, unions, lists and connections.
Field: TypeAlias = (
    "Value | Typename | NodeId | Related | Borrowed | OneOf | RowList | ConnectionPlan | Embedded"
)


@dataclass(frozen=True)
class ObjectPlan:
    type_name: str
    model: Any
    fields: tuple[Field, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns of its row the object reads (the id always: rows are told by it)."""
        names = {"id"}
        for each in self.fields:
            if isinstance(each, Value):
                names.add(each.column)
            elif isinstance(each, Related):
                names.add(each.foreign_key)
            elif isinstance(each, OneOf):
                names.update(foreign_key for foreign_key, _ in each.branches)
            elif isinstance(each, RowList):
                names.add(each.parent_key)
            elif isinstance(each, Borrowed):
                names.add(each.borrow.foreign_key)
                if each.borrow.own is not None:
                    names.add(each.borrow.own)
            elif isinstance(each, Embedded):
                names.update(each.required)
                names.update(each.target.columns)
        return tuple(sorted(names))


@dataclass(frozen=True)
class EdgesPlan:
    """`edges`: each part is (`cursor` | `node` | `__typename`, key, node plan or type name)."""

    key: str
    parts: tuple[tuple[str, str, Any], ...]


@dataclass(frozen=True)
class PageInfoPlan:
    """`pageInfo`: each part is (field name, key); `__typename` parts name the type."""

    key: str
    parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Counted:
    key: str


@dataclass(frozen=True)
class ConnectionPlan:
    """A root or nested connection: its field (whose resolver says what to select and how to order
    it), the node type, and which parts of the connection the client asks for."""

    key: str
    field_name: str
    node: GraphQLField
    field_node: FieldNode
    type_name: str
    parts: tuple["EdgesPlan | PageInfoPlan | Counted | Typename", ...]
    parent: Any = None  # a nested connection's parent's class, whose resolver it is

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the nodes of its edges read."""
        names = {"id"}
        for part in self.parts:
            if isinstance(part, EdgesPlan):
                for kind, _, node in part.parts:
                    if kind == "node":
                        names.update(node.columns)
        return tuple(sorted(names))


@dataclass(frozen=True)
class LookupPlan:
    """A root look-up by key, null when no row has it."""

    key: str
    field_name: str
    node: GraphQLField
    field_node: FieldNode
    target: ObjectPlan


@dataclass(frozen=True)
class RootList(LookupPlan):
    """A root field that is a plain list (not a connection): every row its resolver's
    statement selects, in that statement's order (`schema.compiled.sql.LIST_STATEMENTS`)."""


@dataclass(frozen=True)
class NodeLookup(LookupPlan):
    """`node(id:)`: the look-up of the type the global ID names, by row id, with a plan for
    each type the compiled path knows (`target` is the first). Which one is asked for is
    known per request, from the ID."""

    branches: Mapping[str, ObjectPlan] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What the statement answers, root field by root field. `resolved` holds the response
    keys of the root fields only the resolvers can answer: with any, the operation is mixed,
    and the statement answers the other fields one column each (`schema.compiled.mixed`)."""

    operation: OperationDefinitionNode
    fields: tuple["ConnectionPlan | LookupPlan | Typename", ...]
    resolved: frozenset[str] = frozenset()

    @property
    def read_keys(self) -> list[str]:
        """The response keys of the root fields a mixed operation's statement reads, one
        column each in this order (`__typename` is left to the executor)."""
        return [f.key for f in self.fields if not isinstance(f, Typename)]


@dataclass
class _Collector:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    operation: OperationDefinitionNode

    def subfields(
        self, type_: GraphQLObjectType, details: list[FieldDetails]
    ) -> dict[str, list[FieldDetails]]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, type_, details
        )
        if collected.new_defer_usages:
            raise Deferred("@defer")
        return dict(collected.grouped_field_set)

    def root(self) -> dict[str, list[FieldDetails]]:
        query = self.schema.query_type
        assert query is not None
        collected = collect_fields(
            self.schema, self.fragments, self.variables, query, self.operation
        )
        if collected.new_defer_usages:
            raise Deferred("@defer")
        return dict(collected.grouped_field_set)


def _named(type_: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    """The type without NonNull, and whether it is a list."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        inner = type_.of_type
        return (inner.of_type if isinstance(inner, GraphQLNonNull) else inner), True
    return type_, False


def _scalar_kind(type_: GraphQLOutputType, name: str) -> str:
    named, is_list = _named(type_)
    kind: str | None
    if isinstance(named, GraphQLEnumType):
        # Stored as the member's value; answered as its name, so they must agree.
        if any(value.value != key for key, value in named.values.items()):
            raise NotCompilable(f"enum {named.name} stores values unlike its names")
        kind = "text_list" if is_list else "text"
    elif is_list:
        kind = LIST_KINDS.get(getattr(named, "name", ""))
    else:
        kind = SCALAR_KINDS.get(getattr(named, "name", ""))
    if kind is None:
        raise NotCompilable(f"field {name} of type {type_}")
    if is_list and not isinstance(type_, GraphQLNonNull):
        kind = f"nullable_{kind}"  # a JSON column that may hold JSON null
    return kind


class Planner:
    """Makes plans for one schema."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def plan(self, collector: _Collector) -> Plan:
        """The plan of every root field the compiled path can answer; the others are left to
        the resolvers, by response key (a root field is answered whole one way or the other)."""
        fields: list[ConnectionPlan | LookupPlan | Typename] = []
        resolved: list[str] = []
        query = self.schema.query_type
        assert query is not None
        for key, details in collector.root().items():
            name = details[0].node.name.value
            if name == "__typename":
                fields.append(Typename(key, query.name))
                continue
            try:
                fields.append(self._root(collector, key, name, details))
            except Deferred:
                raise
            except NotCompilable:
                resolved.append(key)
        if all(isinstance(f, Typename) for f in fields):
            raise NotCompilable("nothing to read from the database")
        return Plan(collector.operation, tuple(fields), frozenset(resolved))

    def _root(
        self, collector: _Collector, key: str, name: str, details: list[FieldDetails]
    ) -> "ConnectionPlan | LookupPlan":
        query = self.schema.query_type
        assert query is not None
        definition = query.fields.get(name)  # introspection's fields are not the type's
        if definition is None:
            raise NotCompilable(f"root field {name}")
        if name == "node":
            return self._node(collector, key, definition, details)
        if name in LOOKUPS:
            target = self._object(collector, LOOKUPS[name], details)
            return LookupPlan(key, name, definition, details[0].node, target)
        if name in ROOT_LISTS:
            target = self._object(collector, ROOT_LISTS[name], details)
            return RootList(key, name, definition, details[0].node, target)
        if _is_connection(definition):
            return self._connection(collector, key, name, definition, details)
        raise NotCompilable(f"root field {name}")

    def _connection(
        self,
        collector: _Collector,
        key: str,
        name: str,
        definition: GraphQLField,
        details: list[FieldDetails],
    ) -> ConnectionPlan:
        connection, _ = _named(definition.type)
        assert isinstance(connection, GraphQLObjectType)
        edge_type, _ = _named(connection.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        node_type, _ = _named(edge_type.fields["node"].type)
        type_name = getattr(node_type, "name", "")
        if type_name not in TYPES:
            raise NotCompilable(f"connection of {type_name}")
        parts: list[EdgesPlan | PageInfoPlan | Counted | Typename] = []
        for part_key, part in collector.subfields(connection, details).items():
            part_name = part[0].node.name.value
            if part_name == "__typename":
                parts.append(Typename(part_key, connection.name))
            elif part_name == "totalCount":
                parts.append(Counted(part_key))
            elif part_name == "pageInfo":
                page_info, _ = _named(connection.fields["pageInfo"].type)
                assert isinstance(page_info, GraphQLObjectType)
                parts.append(
                    PageInfoPlan(
                        part_key,
                        tuple(
                            (d[0].node.name.value, k)
                            for k, d in collector.subfields(page_info, part).items()
                        ),
                    )
                )
            elif part_name == "edges":
                parts.append(self._edges(collector, part_key, edge_type, type_name, part))
            else:
                raise NotCompilable(f"connection field {part_name}")
        return ConnectionPlan(key, name, definition, details[0].node, type_name, tuple(parts))

    def _edges(
        self,
        collector: _Collector,
        key: str,
        edge_type: GraphQLObjectType,
        type_name: str,
        details: list[FieldDetails],
    ) -> EdgesPlan:
        parts: list[tuple[str, str, Any]] = []
        for part_key, part in collector.subfields(edge_type, details).items():
            part_name = part[0].node.name.value
            if part_name == "node":
                parts.append(("node", part_key, self._object(collector, type_name, part)))
            elif part_name == "__typename":
                parts.append(("__typename", part_key, edge_type.name))
            else:
                parts.append((part_name, part_key, None))
        return EdgesPlan(key, tuple(parts))

    def _object(
        self, collector: _Collector, type_name: str, details: list[FieldDetails]
    ) -> ObjectPlan:
        type_map = TYPES[type_name]
        object_type = self.schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        table = type_map.model.__table__.c
        fields: list[Field] = []
        for key, field_details in collector.subfields(object_type, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                fields.append(Typename(key, type_name))
                continue
            definition = object_type.fields[name]
            strawberry_field = definition.extensions.get(DEFINITION)
            python_name = getattr(strawberry_field, "python_name", name)
            if name == "id":
                fields.append(NodeId(key, type_name))
            elif python_name in type_map.to_one:
                to_one = type_map.to_one[python_name]
                target = self._object(collector, to_one.target, field_details)
                fields.append(Related(key, to_one.foreign_key, target))
            elif python_name in type_map.within:
                within = type_map.within[python_name]
                target = self._object(collector, within.target, field_details)
                fields.append(Embedded(key, within.required, target))
            elif python_name in type_map.borrowed:
                kind = _scalar_kind(definition.type, name)
                fields.append(Borrowed(key, type_map.borrowed[python_name], kind))
            elif python_name in type_map.unions:
                fields.append(
                    self._one_of(
                        collector, key, definition, type_map.unions[python_name], field_details
                    )
                )
            elif python_name in type_map.union_lists:
                row_type, union_field = type_map.union_lists[python_name]
                row_map = TYPES[row_type]
                branches = row_map.unions[union_field]
                one_of = self._one_of(collector, key, definition, branches, field_details)
                rows = ObjectPlan(row_type, row_map.model, (one_of,))
                origin = _origin(object_type)
                node = field_details[0].node
                fields.append(RowList(key, name, definition, node, rows, origin, unwrap=True))
            elif python_name in type_map.shared:
                row_type, column = type_map.shared[python_name]
                target = self._object(collector, row_type, field_details)
                origin = _origin(object_type)
                node = field_details[0].node
                fields.append(
                    RowList(key, name, definition, node, target, origin, parent_key=column)
                )
            elif python_name in type_map.lists:
                target = self._object(collector, type_map.lists[python_name], field_details)
                origin = _origin(object_type)
                node = field_details[0].node
                fields.append(RowList(key, name, definition, node, target, origin))
            elif python_name in type_map.converted:
                column, kind = type_map.converted[python_name]
                fields.append(Value(key, column, kind))
            elif _is_connection(definition):
                nested = self._connection(collector, key, name, definition, field_details)
                fields.append(replace(nested, parent=_origin(object_type)))
            elif getattr(strawberry_field, "base_resolver", None) is not None:
                raise NotCompilable(f"{type_name}.{name}")
            else:
                column = type_map.columns.get(python_name, python_name)
                if column not in table:
                    raise NotCompilable(f"{type_name}.{name}")
                fields.append(Value(key, column, _scalar_kind(definition.type, name)))
        return ObjectPlan(type_name, type_map.model, tuple(fields))

    def _node(
        self,
        collector: _Collector,
        key: str,
        definition: GraphQLField,
        details: list[FieldDetails],
    ) -> NodeLookup:
        branches = {}
        for type_name in TYPES:
            object_type = self.schema.get_type(type_name)
            assert isinstance(object_type, GraphQLObjectType)
            if any(interface.name == "Node" for interface in object_type.interfaces):
                branches[type_name] = self._object(collector, type_name, details)
        first = next(iter(branches.values()))
        return NodeLookup(key, "node", definition, details[0].node, first, branches)

    def _one_of(
        self,
        collector: _Collector,
        key: str,
        definition: GraphQLField,
        branches: tuple[ToOne, ...],
        details: list[FieldDetails],
    ) -> OneOf:
        union, _ = _named(definition.type)
        assert isinstance(union, GraphQLUnionType)
        # Each branch's selection as graphql-core collects it for that runtime type: inline
        # fragments on other types drop out, and a type nothing selects answers `{}`.
        return OneOf(
            key,
            tuple(
                (branch.foreign_key, self._object(collector, branch.target, details))
                for branch in branches
            ),
        )


def _origin(object_type: GraphQLObjectType) -> Any:
    """The Python class strawberry made a type from."""
    return object_type.extensions[DEFINITION].origin


def _is_connection(definition: GraphQLField) -> bool:
    strawberry_field = definition.extensions.get(DEFINITION)
    extensions = getattr(strawberry_field, "extensions", ())
    return any(isinstance(e, ConnectionExtension) for e in extensions)


# -- the cache -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why an operation shape goes to the resolvers (cached like a plan)."""

    reason: str


class PlanCache:
    """Plans (and refusals) by operation shape, least recently used first out."""

    def __init__(self, schema: GraphQLSchema, max_entries: int = 256) -> None:
        self.planner = Planner(schema)
        self.max_entries = max_entries
        self.entries: OrderedDict[Any, Plan | Refusal] = OrderedDict()

    def get(
        self,
        text: str,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
    ) -> Plan | Refusal:
        if operation.operation is not OperationType.QUERY:
            return Refusal(operation.operation.value)
        # What changes the shape: the values of boolean variables (@skip/@include) and
        # which variables are null; everything else is bound per request.
        coerced = variables.coerced
        key = (
            text,
            operation.name.value if operation.name else None,
            tuple(sorted((k, v) for k, v in coerced.items() if isinstance(v, bool))),
            tuple(sorted(k for k, v in coerced.items() if v is None)),
        )
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            return found
        collector = _Collector(self.planner.schema, fragments, variables, operation)
        try:
            found = self.planner.plan(collector)
        except NotCompilable as reason:
            found = Refusal(str(reason))
        self.entries[key] = found
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return found
