"""One SQL statement for a plan: the `data` of the answer, built as JSON by the database.

One function per selection kind (object, connection, look-up, scalar), each returning a
SQLAlchemy expression; values are bound parameters, never text. What to select and in which
order is not decided here: a root connection asks its own resolver, which returns the same
`PageQuery` (model, filter conditions, ordering) the resolver path pages, and the window is
`schema.pagination.Window`, so arguments are checked, and refused, exactly as there.

A request is first *bound* (`Builder.bind`: its arguments evaluated into each root field's
selection and page size, reduced to a shape and named values, `schema.compiled.template`);
the statement is then built once per plan and shape, every root value a named parameter,
and reused by every later request of that shape. What nested lists and connections were
asked for (their scope, window and cursor) is part of the shape, values included.
"""

import dataclasses
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any

from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy.sql import Subquery
from strawberry.relay import GlobalID, GlobalIDValueError
from strawberry.types.arguments import convert_arguments

from api.settings import Settings
from schema.compiled.dialect import Dialect, Expression, JsonValue
from schema.compiled.plan import (
    DEFINITION,
    Borrowed,
    ConnectionPlan,
    Counted,
    EdgesPlan,
    Embedded,
    LookupPlan,
    NodeId,
    NodeLookup,
    ObjectPlan,
    OneOf,
    PageInfoPlan,
    Plan,
    Related,
    RootList,
    RowList,
    Typename,
    Value,
)
from schema.compiled.template import named, parameters
from schema.loaders.relations import Relation, RowsKey
from schema.pagination import Direction, Nested, Ordering, PageQuery, Window
from schema.queries.agreement import (
    DOCUMENT_ORDER,
    agreement_by_key,
    document_by_key,
    every_document,
)
from schema.queries.corridor import corridor_by_key
from schema.queries.event import event_by_key
from schema.queries.exercise import military_exercise_by_key
from schema.queries.initiative import initiative_by_key
from schema.queries.non_state_actor import non_state_actor_by_key
from schema.queries.organisation import company_by_key, organisation_by_acronym
from schema.queries.person import person_by_key
from schema.queries.state import state_by_code
from schema.types.node import row_id

# Each root look-up's own statement (the resolver's), and the argument it takes.
LOOKUP_STATEMENTS: dict[str, tuple[Callable[[str], Select[Any]], str]] = {
    "state": (state_by_code, "code"),
    "organisation": (organisation_by_acronym, "acronym"),
    "agreement": (agreement_by_key, "key"),
    "event": (event_by_key, "key"),
    "person": (person_by_key, "key"),
    "company": (company_by_key, "key"),
    "nonStateActor": (non_state_actor_by_key, "key"),
    "document": (document_by_key, "key"),
    "militaryExercise": (military_exercise_by_key, "key"),
    "corridor": (corridor_by_key, "key"),
    "initiative": (initiative_by_key, "key"),
}
# Each root plain list's own statement (the resolver's), and the order it lists the rows in.
LIST_STATEMENTS: dict[str, tuple[Callable[[], Select[Any]], Ordering]] = {
    "documents": (every_document, DOCUMENT_ORDER),
}


class Unsupported(Exception):
    """A request the plan fits but whose arguments lead somewhere the compiled path does not
    go (a resolver returning something other than a root page)."""


@dataclass
class _Info:
    """What a root resolver reads of `info`: the request's context."""

    context: Any


def _parent(origin: Any, key: str = "id") -> Any:
    """The parent a nested field's resolver is called on: an object of the parent's class
    (whose class attributes a resolver may read) with no row behind it. The relation and
    scope the resolver names do not depend on which parent, whose id (or the column `key`
    names, set here to a value that is not null) the statement correlates instead."""
    parent = object.__new__(origin)
    parent.id = 0
    if key != "id":
        setattr(parent, key, "")
    return parent


class _AskedRows:
    """Stands in for the rows loader while a list field's resolver runs: it notes which
    relation and scope the resolver asks for, and answers no rows."""

    def __init__(self) -> None:
        self.keys: list[RowsKey] = []

    async def load(self, key: RowsKey) -> list[Any]:
        self.keys.append(key)
        return []


@dataclass
class _Loaders:
    rows: _AskedRows


@dataclass
class _Asking:
    """The context a list field's resolver sees: the request's, but for its rows loader."""

    real: Any
    loaders: _Loaders

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@dataclass(frozen=True)
class _NestedPage:
    """A nested connection as its resolver and the window arguments make it."""

    query: PageQuery[Any]
    window: Window


@dataclass
class BoundConnection:
    """A root connection's request-dependent parts: its rows' selection (filtered, after the
    cursor, only the columns the answer reads) and the selection it counts."""

    prefix: str
    query: PageQuery[Any]
    window: Window
    ordering: Ordering
    rows: Select[Any]
    counted: Select[Any] | None


@dataclass
class BoundLookup:
    prefix: str
    rows: Select[Any]
    target: ObjectPlan | None = None  # `node(id:)`: the plan of the type the ID names


@dataclass
class Binding:
    """One request's bound root fields (None for `__typename`): the statement's shape, and
    the values its named parameters take."""

    fields: list[BoundConnection | BoundLookup | None]
    shape: Hashable
    values: dict[str, Any]


@dataclass
class Builder:
    """Binds one request's arguments, and builds the statement when its shape is new; made
    per request, since arguments are evaluated from that request's variables (and a root
    resolver may read its context)."""

    dialect: Dialect
    settings: Settings
    context: Any
    variables: VariableValues
    strawberry_schema: Any
    # What the resolvers of nested lists and connections said, by plan node.
    nested: dict[int, "RowsKey | _NestedPage"] = dataclasses.field(default_factory=dict)

    async def bind(self, plan: Plan) -> Binding:
        fields: list[BoundConnection | BoundLookup | None] = []
        shape: list[Hashable] = []
        values: dict[str, Any] = {}
        for i, field in enumerate(plan.fields):
            prefix = f"f{i}_"
            if isinstance(field, Typename):
                fields.append(None)
                shape.append(None)
            elif isinstance(field, LookupPlan):
                lookup = self.bind_lookup(field, prefix)
                rows = parameters(lookup.rows, prefix)
                fields.append(lookup)
                shape.append(rows.shape)
                values.update(rows.values)
            else:
                connection = await self.bind_connection(field, prefix)
                rows = parameters(connection.rows, f"{prefix}r")
                counted = None
                if connection.counted is not None:
                    count = parameters(connection.counted, f"{prefix}c")
                    counted = count.shape
                    values.update(count.values)
                window = connection.window
                fields.append(connection)
                values.update(rows.values)
                values[f"{prefix}size"] = window.limit
                values[f"{prefix}fetch"] = window.limit + 1
                shape.append(
                    (
                        rows.shape,
                        counted,
                        connection.query.ordering.signature,
                        window.backwards,
                        window.cursor is not None,
                    )
                )
        for root in plan.fields:
            await self.prepare(root)
        # Nested values are written into the statement: they are part of its shape.
        shape.append(tuple(_nested_shape(found) for found in self.nested.values()))
        return Binding(fields, tuple(shape), values)

    def statement(self, plan: Plan, binding: Binding) -> Select[Any]:
        """The statement of `binding`'s shape, its root values named parameters: one column,
        the `data` object; for a mixed operation, one column per root field it answers, each
        that field's JSON (SQL NULL for null), `__typename` left to the executor."""
        pairs: list[tuple[str, JsonValue]] = []
        for field, bound in zip(plan.fields, binding.fields, strict=True):
            if isinstance(field, Typename):
                pairs.append((field.key, self.dialect.text(literal(field.name))))
            elif isinstance(field, LookupPlan):
                assert isinstance(bound, BoundLookup)
                pairs.append((field.key, self.dialect.embed(self.lookup(field, bound))))
            else:
                assert isinstance(bound, BoundConnection)
                pairs.append((field.key, self.dialect.embed(self.connection(field, bound))))
        if plan.resolved:
            read = dict(pairs)
            return select(*(self.dialect.as_text(read[key]) for key in plan.read_keys))
        return select(self.dialect.as_text(self.dialect.obj(pairs)))

    # -- arguments --------------------------------------------------------------------------

    def arguments(self, field: ConnectionPlan | LookupPlan | RowList) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (Python names and types)."""
        values = get_argument_values(field.node, field.field_node, self.variables)
        strawberry_field = field.node.extensions[DEFINITION]
        schema = self.strawberry_schema
        return convert_arguments(
            values,
            strawberry_field.arguments,
            scalar_registry=schema.schema_converter.scalar_registry,
            config=schema.config,
        )

    # -- objects ----------------------------------------------------------------------------

    def obj(self, plan: ObjectPlan, columns: Any) -> JsonValue:
        """The object for the row whose columns are `columns`."""
        dialect = self.dialect
        pairs: list[tuple[str, JsonValue]] = []
        for field in plan.fields:
            if isinstance(field, Value):
                value = getattr(dialect, field.kind)(columns[field.column])
            elif isinstance(field, Typename):
                value = dialect.text(literal(field.name))
            elif isinstance(field, NodeId):
                value = dialect.node_id(field.type_name, columns["id"])
            elif isinstance(field, Related):
                value = dialect.embed(self.related(field, columns))
            elif isinstance(field, Borrowed):
                value = self.borrowed(field, columns)
            elif isinstance(field, OneOf):
                value = self.one_of(field, columns)
            elif isinstance(field, RowList):
                value = dialect.embed(self.row_list(field, columns))
            elif isinstance(field, Embedded):
                value = self.embedded(field, columns)
            else:
                value = dialect.embed(self.nested_connection(field, columns["id"]))
            pairs.append((field.key, value))
        return dialect.obj(pairs)

    def borrowed(self, field: Borrowed, columns: Any) -> JsonValue:
        borrow = field.borrow
        target = borrow.model.__table__.alias()
        foreign_key = columns[borrow.foreign_key]
        value: Expression = (
            select(target.c[borrow.column])
            .where(target.c.id == foreign_key)
            .correlate(foreign_key.table)
            .scalar_subquery()
        )
        if borrow.own is not None:
            # The resolver's `own or borrowed`: an empty text counts as none.
            own = columns[borrow.own]
            chosen = own.is_not(None) if borrow.empty_is_own else own.is_not(None) & (own != "")
            value = case((chosen, own), else_=value)
        write: Callable[[Expression], JsonValue] = getattr(self.dialect, field.kind)
        return write(value)

    def embedded(self, field: Embedded, columns: Any) -> JsonValue:
        """The object built from the row's own columns, null unless all it needs is set."""
        present = and_(*(columns[name].is_not(None) for name in field.required))
        # Embedded whole, as a union's branch: SQLite would not keep its JSON through CASE.
        return self.dialect.embed(case((present, self.obj(field.target, columns)), else_=null()))

    def one_of(self, field: OneOf, columns: Any) -> JsonValue:
        """The first branch whose foreign key is set, as the union's resolver tries them."""
        whens = [
            (
                columns[foreign_key].is_not(None),
                self.related(Related(field.key, foreign_key, target), columns),
            )
            for foreign_key, target in field.branches
        ]
        # Embedded whole: SQLite would not keep the JSON of a branch through CASE.
        return self.dialect.embed(case(*whens, else_=null()))

    # -- nested lists and connections -------------------------------------------------------

    async def prepare(self, field: Any) -> None:
        """Asks the resolver of every nested list and connection in `field` which rows it
        means (relation, scope, ordering, window), before the statement is written: the
        arguments are checked, and refused, by the resolver path's own code."""
        if isinstance(field, ConnectionPlan):
            for part in field.parts:
                if isinstance(part, EdgesPlan):
                    for kind, _, node in part.parts:
                        if kind == "node":
                            await self.prepare(node)
        elif isinstance(field, NodeLookup):
            for target in field.branches.values():
                await self.prepare(target)
        elif isinstance(field, LookupPlan | Related | Embedded):
            await self.prepare(field.target)
        elif isinstance(field, OneOf):
            for _, target in field.branches:
                await self.prepare(target)
        elif isinstance(field, RowList):
            asked = _AskedRows()
            resolver = field.node.extensions[DEFINITION].base_resolver
            context = _Asking(self.context, _Loaders(asked))
            parent = _parent(field.parent, field.parent_key)
            await resolver.wrapped_func(parent, info=_Info(context), **self.arguments(field))
            if len(asked.keys) != 1:
                raise Unsupported(field.field_name)
            self.nested[id(field)] = asked.keys[0]
            await self.prepare(field.target)
        elif isinstance(field, ObjectPlan):
            for each in field.fields:
                if isinstance(each, ConnectionPlan):
                    self.nested[id(each)] = await self.nested_page(each)
                await self.prepare(each)

    async def nested_page(self, field: ConnectionPlan) -> _NestedPage:
        arguments = self.arguments(field)
        paging = {k: arguments.pop(k, None) for k in ("first", "last", "before", "after")}
        resolver = field.node.extensions[DEFINITION].base_resolver
        parent = _parent(field.parent)
        query = await resolver.wrapped_func(parent, info=_Info(self.context), **arguments)
        if not isinstance(query, PageQuery) or not isinstance(query.nested, Nested):
            raise Unsupported(field.field_name)
        if not isinstance(query.nested.relation, Relation):
            raise Unsupported(field.field_name)
        window = Window.from_arguments(
            query.ordering,
            **paging,
            default_size=self.settings.default_page_size,
            max_size=self.settings.max_page_size,
            columns=query.model.__table__.c,
        )
        return _NestedPage(query, window)

    def row_list(self, field: RowList, columns: Any) -> JsonValue:
        """A list field's rows, those of one parent, in the relation's order."""
        key = self.nested[id(field)]
        assert isinstance(key, RowsKey)
        table = field.target.model.__table__
        parent = columns[field.parent_key]
        statement = _parent_rows(key.relation, parent, key.scope, table, field.target.columns)
        if field.parent_key != "id":
            # Rows sharing the parent's value are its peers, the parent not among them.
            statement = statement.where(table.c.id != columns["id"])
        if field.unwrap:
            (union,) = field.target.fields
            assert isinstance(union, OneOf)
            return self.items(statement, table, key.relation.ordering, partial(self.one_of, union))
        return self.items(statement, table, key.relation.ordering, partial(self.obj, field.target))

    def items(
        self,
        statement: Select[Any],
        table: Any,
        ordering: Ordering,
        item: Callable[[Any], JsonValue],
    ) -> JsonValue:
        """The JSON array of `item` of each row of `statement` (given its columns), in
        `ordering`."""
        if self.dialect.name == "sqlite":
            # The rows in order and nothing more: the aggregate keeps the order they come in,
            # and numbering them (a window over the same sort) cost SQLite a pass per parent.
            rows = _sorted(statement, table, ordering)
            order = []
        else:
            rows = _in_order(statement, table, ordering, None)
            order = [rows.c.rel_n.asc()]
        items = self.dialect.array(item(rows.c), rows, order)
        return select(items).select_from(rows).scalar_subquery()

    def nested_connection(self, field: ConnectionPlan, parent: Expression) -> JsonValue:
        """One parent's page of a nested connection, written as a root one is."""
        found = self.nested[id(field)]
        assert isinstance(found, _NestedPage)
        query, window = found.query, found.window
        assert query.nested is not None
        assert isinstance(query.nested.relation, Relation)
        relation, scope = query.nested.relation, query.nested.scope
        table = query.model.__table__
        ordering = query.ordering.reversed() if window.backwards else query.ordering
        statement = _parent_rows(relation, parent, scope, table, field.columns)
        if window.cursor is not None:
            statement = statement.where(ordering.after(table.c, window.cursor))
        rows = _in_order(statement, table, ordering, window.limit + 1)
        counted = _parent_rows(relation, parent, scope, table, ("id",))
        # Fetched in client order unless backwards: SQLite then needs no reordering layer.
        in_order = not window.backwards
        return self.page(field, query, window, ordering, rows, counted, in_order)

    def related(self, field: Related, columns: Any) -> JsonValue:
        target = field.target.model.__table__.alias()
        foreign_key = columns[field.foreign_key]
        return (
            select(self.obj(field.target, target.c))
            .where(target.c.id == foreign_key)
            .correlate(foreign_key.table)
            .scalar_subquery()
        )

    def bind_lookup(self, field: LookupPlan, prefix: str) -> BoundLookup:
        if isinstance(field, NodeLookup):
            return self.bind_node(field, prefix)
        table = field.target.model.__table__
        columns = [table.c[name] for name in field.target.columns]
        if isinstance(field, RootList):
            every, _ = LIST_STATEMENTS[field.field_name]
            return BoundLookup(prefix, every().with_only_columns(*columns))
        look_up, argument = LOOKUP_STATEMENTS[field.field_name]
        found = look_up(self.arguments(field)[argument])
        return BoundLookup(prefix, found.with_only_columns(*columns).limit(1))

    def bind_node(self, field: NodeLookup, prefix: str) -> BoundLookup:
        """The row a global ID of a known type names, none when no row can have its id (the
        resolver's null); a malformed ID or another type goes to the resolvers (their
        errors)."""
        value = get_argument_values(field.node, field.field_node, self.variables)["id"]
        try:
            global_id = GlobalID.from_id(value)
        except GlobalIDValueError as error:
            raise Unsupported("node") from error
        target = field.branches.get(global_id.type_name)
        if target is None:
            raise Unsupported("node")
        table = target.model.__table__
        columns = [table.c[name] for name in target.columns]
        number = row_id(global_id.node_id)
        found = false() if number is None else table.c.id == number
        return BoundLookup(prefix, select(*columns).where(found), target)

    def lookup(self, field: LookupPlan, bound: BoundLookup) -> JsonValue:
        if isinstance(field, RootList):
            _, ordering = LIST_STATEMENTS[field.field_name]
            table = field.target.model.__table__
            every = named(bound.rows, bound.prefix)
            return self.items(every, table, ordering, partial(self.obj, field.target))
        rows = named(bound.rows, bound.prefix).subquery("found")
        target = bound.target or field.target
        return select(self.obj(target, rows.c)).select_from(rows).scalar_subquery()

    # -- connections ------------------------------------------------------------------------

    async def bind_connection(self, field: ConnectionPlan, prefix: str) -> BoundConnection:
        arguments = self.arguments(field)
        paging = {k: arguments.pop(k, None) for k in ("first", "last", "before", "after")}
        resolver = field.node.extensions[DEFINITION].base_resolver
        query = await resolver.wrapped_func(None, info=_Info(self.context), **arguments)
        if not isinstance(query, PageQuery) or query.nested is not None:
            raise Unsupported(field.field_name)
        table = query.model.__table__
        window = Window.from_arguments(
            query.ordering,
            **paging,
            default_size=self.settings.default_page_size,
            max_size=self.settings.max_page_size,
            columns=table.c,
        )
        ordering = query.ordering.reversed() if window.backwards else query.ordering
        # Only the columns the answer reads: each is carried through every layer above.
        statement = query.statement().with_only_columns(*(table.c[n] for n in field.columns))
        if window.cursor is not None:
            statement = statement.where(ordering.after(table.c, window.cursor))
        counted = query.statement() if any(isinstance(p, Counted) for p in field.parts) else None
        return BoundConnection(prefix, query, window, ordering, statement, counted)

    def connection(self, field: ConnectionPlan, bound: BoundConnection) -> JsonValue:
        """A root connection from its bound rows, its values named parameters."""
        size = bindparam(f"{bound.prefix}size", type_=Integer)
        fetch: Any = bindparam(f"{bound.prefix}fetch", type_=Integer)
        if self.dialect.name == "postgresql":
            fetch = _unseen(fetch)
        table = bound.query.model.__table__
        rows = _numbered(named(bound.rows, f"{bound.prefix}r"), table, bound.ordering, fetch)
        counted = None if bound.counted is None else named(bound.counted, f"{bound.prefix}c")
        return self.page(field, bound.query, bound.window, bound.ordering, rows, counted, size=size)

    def page(
        self,
        field: ConnectionPlan,
        query: PageQuery[Any],
        window: Window,
        ordering: Ordering,
        rows: Subquery,
        counted: Select[Any] | None = None,
        in_client_order: bool = False,
        size: Any = None,
    ) -> JsonValue:
        """The connection's JSON from `rows`: its window, numbered `rel_n` in fetch order,
        one row more than the page when more follow. `counted` selects the rows `totalCount`
        counts, when they are not the query's own (a nested connection's parent's);
        `in_client_order` says `rows` already come in client order; `size`, the page size
        as a parameter (the window's, written in, if None)."""
        dialect = self.dialect
        # Client order: a backwards window was fetched in reverse.
        client = [rows.c.rel_n.desc() if window.backwards else rows.c.rel_n.asc()]
        if dialect.name == "sqlite":
            if not in_client_order:
                rows = select(rows).order_by(*client).subquery("client")
            client = []
        size = window.limit if size is None else size
        kept = rows.c.rel_n <= size
        keys = [rows.c[f"rel_k{i}"] for i in range(len(ordering.keys))]
        cursor = dialect.cursor(query.ordering.signature, keys)
        aggregates: list[ColumnElement[Any]] = [func.max(rows.c.rel_n).label("n")]
        cursors = False
        for i, part in enumerate(field.parts):
            if isinstance(part, EdgesPlan):
                edge = self.edge(part, rows.c, cursor)
                aggregates.append(dialect.array(edge, rows, client, kept).label(f"edges{i}"))
            elif isinstance(part, PageInfoPlan) and not cursors:
                cursors = bool({name for name, _ in part.parts} & {"startCursor", "endCursor"})
                if cursors:
                    reverse = [rows.c.rel_n.asc() if window.backwards else rows.c.rel_n.desc()]
                    first = dialect.first(cursor, client, kept)
                    last = dialect.first(cursor, reverse, kept)
                    if dialect.name == "sqlite":
                        last = _sqlite_last(cursor, kept)
                    aggregates += [first.label("start"), last.label("end")]
        summary = select(*aggregates).select_from(rows).subquery("summary")
        more = func.coalesce(summary.c.n, 0) > size
        from_cursor = literal(window.cursor is not None)
        pairs: list[tuple[str, JsonValue]] = []
        for i, part in enumerate(field.parts):
            if isinstance(part, Typename):
                pairs.append((part.key, dialect.text(literal(part.name))))
            elif isinstance(part, Counted):
                every = query.statement() if counted is None else counted
                count = select(func.count()).select_from(every.subquery())
                pairs.append((part.key, dialect.number(count.scalar_subquery())))
            elif isinstance(part, EdgesPlan):
                pairs.append((part.key, dialect.embed(summary.c[f"edges{i}"])))
            else:
                has_next = from_cursor if window.backwards else more
                has_previous = more if window.backwards else from_cursor
                info = self.page_info(part, has_next, has_previous, summary)
                pairs.append((part.key, dialect.obj(info)))
        return select(dialect.obj(pairs)).select_from(summary).scalar_subquery()

    def page_info(
        self, plan: PageInfoPlan, has_next: Expression, has_previous: Expression, summary: Any
    ) -> list[tuple[str, JsonValue]]:
        dialect = self.dialect
        info: list[tuple[str, JsonValue]] = []
        for name, key in plan.parts:
            if name == "hasNextPage":
                info.append((key, dialect.boolean(has_next)))
            elif name == "hasPreviousPage":
                info.append((key, dialect.boolean(has_previous)))
            elif name == "startCursor":
                info.append((key, dialect.text(summary.c.start)))
            elif name == "endCursor":
                info.append((key, dialect.text(summary.c.end)))
            else:
                info.append((key, dialect.text(literal("PageInfo"))))
        return info

    def edge(self, plan: EdgesPlan, columns: Any, cursor: Expression) -> JsonValue:
        pairs: list[tuple[str, JsonValue]] = []
        for kind, key, payload in plan.parts:
            if kind == "cursor":
                pairs.append((key, self.dialect.text(cursor)))
            elif kind == "__typename":
                pairs.append((key, self.dialect.text(literal(payload))))
            else:
                pairs.append((key, self.obj(payload, columns)))
        return self.dialect.obj(pairs)


def _parent_rows(
    relation: Relation, parent: Expression, scope: Any, table: Any, columns: tuple[str, ...]
) -> Select[Any]:
    """The `columns` of the rows `relation` hangs off the parent whose id is `parent` (a
    column of the enclosing statement), in its scope."""
    statement = relation.select_parent_rows(parent, scope)
    if relation.link is not None and relation.distinct:
        # Each row once however many link rows pair it with the parent, as the resolvers'
        # DISTINCT gives it: as the rows whose ids the joined statement finds. (DISTINCT over
        # the columns read would need them comparable, not JSON on PostgreSQL, and would
        # number the duplicates apart.) Inside, the table is the inner one's own again.
        found = statement.with_only_columns(table.c.id).correlate_except(table)
        statement = select(table).where(table.c.id.in_(found))
    return statement.with_only_columns(*(table.c[n] for n in columns)).correlate_except(table)


def _nested_shape(found: "RowsKey | _NestedPage") -> Hashable:
    """What a nested list or connection was asked for, values included."""
    if isinstance(found, RowsKey):
        return found
    assert found.query.nested is not None
    nested, query = found.query.nested, found.query
    return (nested.relation, nested.scope, query.model, query.ordering.signature, found.window)


def _unseen(value: Any) -> Any:
    """`value` as PostgreSQL plans it the same way whether or not it knows it: a subquery.

    PostgreSQL keeps a prepared statement's generic plan only if it is priced about as its
    plans for the values were. Of a `LIMIT $n` it cannot see it guesses a tenth of the rows
    below; of one it can, the number: at a million transfers it priced query b's generic
    plan at 197 rows against 51 and planned b anew for every request (0.59 ms of planning
    for 0.42 ms of work). A limit it can never see is guessed alike in both, so the generic
    plan is kept, and it is the plan it was: read in order, stopping early. (A constant
    limit, the largest page, was priced alike too, but above the average recipient's rows
    it sorts the busiest recipient's whole set.) The value stays bound."""
    return select(value).scalar_subquery()


def _numbered(statement: Select[Any], table: Any, ordering: Ordering, limit: Any) -> Subquery:
    """The first `limit` rows (all, if None) of `statement` in `ordering`, with their sort
    keys (`rel_k…`) and their place (`rel_n`, from 1)."""
    keys = [k.expression(table.c).label(f"rel_k{i}") for i, k in enumerate(ordering.keys)]
    window = (
        statement.add_columns(*keys)
        .order_by(*(k.order_by(table.c) for k in ordering.keys))
        .limit(limit)
        .subquery("window")
    )
    order = [
        window.c[f"rel_k{i}"].asc()
        if k.direction is Direction.ASC
        else window.c[f"rel_k{i}"].desc()
        for i, k in enumerate(ordering.keys)
    ]
    return select(window, func.row_number().over(order_by=order).label("rel_n")).subquery("rows")


def _sorted(statement: Select[Any], table: Any, ordering: Ordering) -> Subquery:
    """`statement`'s rows in `ordering`, as a subquery whose order an aggregate over it keeps
    on SQLite (which does not flatten a subquery with ORDER BY into an aggregate)."""
    return statement.order_by(*(k.order_by(table.c) for k in ordering.keys)).subquery("rows")


def _in_order(
    statement: Select[Any], table: Any, ordering: Ordering, limit: int | None
) -> Subquery:
    """As `_numbered`, in one subquery whose rows come in `ordering`: nested lists and
    connections nest deep, and SQLite 3.40's parser refuses statements nested much deeper
    than query c (its stack holds about fifteen levels of subqueries)."""
    keys = [k.expression(table.c).label(f"rel_k{i}") for i, k in enumerate(ordering.keys)]
    order = [k.order_by(table.c) for k in ordering.keys]
    numbered = statement.add_columns(*keys, func.row_number().over(order_by=order).label("rel_n"))
    return numbered.order_by(*order).limit(limit).subquery("rows")


def _sqlite_last(cursor: Expression, kept: Expression) -> Any:
    values = func.json_group_array(cursor).filter(kept)
    return func.json_extract(values, literal_column("'$[#-1]'"))
