"""One SQL statement for a plan: the `data` of the answer, built as JSON by the database.

One function per selection kind (object, connection, look-up, scalar), each returning a
SQLAlchemy expression; values are bound parameters, never text. What to select and in which
order is not decided here: a root connection asks its own resolver, which returns the same
`PageQuery` (model, filter conditions, ordering) the resolver path pages, and the window is
`schema.pagination.Window`, so arguments are checked, and refused, exactly as there.

A request is first *bound* (`Builder.bind`: its arguments evaluated into each root field's
selection and page size, reduced to a shape and named values, `schema.compiled.template`);
the statement is then built once per plan and shape, every value a named parameter, and
reused by every later request of that shape.
"""

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.sql import Subquery
from strawberry.types.arguments import convert_arguments

from api.settings import Settings
from schema.compiled.dialect import Dialect, Expression, JsonValue
from schema.compiled.plan import (
    DEFINITION,
    ConnectionPlan,
    Counted,
    EdgesPlan,
    LookupPlan,
    NodeId,
    ObjectPlan,
    PageInfoPlan,
    Plan,
    Related,
    Typename,
    Value,
)
from schema.compiled.template import named, parameters
from schema.pagination import Direction, Ordering, PageQuery, Window
from schema.queries.state import state_by_code


class Unsupported(Exception):
    """A request the plan fits but whose arguments lead somewhere the compiled path does not
    go (a resolver returning something other than a root page)."""


@dataclass
class _Info:
    """What a root resolver reads of `info`: the request's context."""

    context: Any


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
        return Binding(fields, tuple(shape), values)

    def statement(self, plan: Plan, binding: Binding) -> Select[Any]:
        """The statement of `binding`'s shape, its values named parameters."""
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
        return select(self.dialect.as_text(self.dialect.obj(pairs)))

    # -- arguments --------------------------------------------------------------------------

    def arguments(self, field: ConnectionPlan | LookupPlan) -> dict[str, Any]:
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
            else:
                value = dialect.embed(self.related(field, columns))
            pairs.append((field.key, value))
        return dialect.obj(pairs)

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
        code = self.arguments(field)["code"]
        table = field.target.model.__table__
        columns = [table.c[name] for name in field.target.columns]
        return BoundLookup(prefix, state_by_code(code).with_only_columns(*columns).limit(1))

    def lookup(self, field: LookupPlan, bound: BoundLookup) -> JsonValue:
        rows = named(bound.rows, bound.prefix).subquery("found")
        return select(self.obj(field.target, rows.c)).select_from(rows).scalar_subquery()

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
        """The connection's JSON from its bound rows: its window, numbered `rel_n` in fetch
        order, one row more than the page when more follow."""
        dialect = self.dialect
        query, window, ordering = bound.query, bound.window, bound.ordering
        size = bindparam(f"{bound.prefix}size", type_=Integer)
        fetch = bindparam(f"{bound.prefix}fetch", type_=Integer)
        table = query.model.__table__
        rows = _numbered(named(bound.rows, f"{bound.prefix}r"), table, ordering, fetch)
        # Client order: a backwards window was fetched in reverse.
        client = [rows.c.rel_n.desc() if window.backwards else rows.c.rel_n.asc()]
        if dialect.name == "sqlite":
            rows = select(rows).order_by(*client).subquery("client")
            client = []
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
                assert bound.counted is not None
                counted = named(bound.counted, f"{bound.prefix}c").subquery()
                count = select(func.count()).select_from(counted)
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


def _numbered(statement: Select[Any], table: Any, ordering: Ordering, limit: Any) -> Subquery:
    """The first `limit` rows of `statement` in `ordering`, with their sort keys (`rel_k…`)
    and their place (`rel_n`, from 1)."""
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


def _sqlite_last(cursor: Expression, kept: Expression) -> Any:
    values = func.json_group_array(cursor).filter(kept)
    return func.json_extract(values, literal_column("'$[#-1]'"))
