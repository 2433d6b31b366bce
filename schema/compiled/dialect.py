"""How each back end writes JSON, in one place: the compiled path's only dialect differences.

The compiled answer must be byte for byte what the resolver path's encoder (orjson) writes, so
every value is rendered the way orjson renders it:

- PostgreSQL objects come from `row_to_json` over a one-row subquery and arrays from
  `array_to_json(array_agg(…))`: both write compact JSON (`json_build_object` and `json_agg`
  put spaces after colons and commas; `jsonb` reorders keys). Floats are written by hand in
  orjson's form (`30.0`, not `30`; `0.000012`, not `1.2e-05`).
- SQLite (3.40, as Python 3.11 ships it) has `json_object` and `json_group_array`, but no
  base64, writes floats with 15 digits, and knows no booleans; the few things it cannot say
  are small Python functions registered on each connection (`install`), which produce exactly
  what the resolver path produces, by calling the same code.
- SQLite loses the JSON subtype of a value that leaves a FROM subquery (or goes through CASE),
  so such a value is re-read with `json(…)` where it is used; a scalar subquery's keeps it.
"""

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    literal_column,
    not_,
    null,
    select,
    type_coerce,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import ScalarSelect
from sqlalchemy.util import await_only

from schema.pagination import CURSOR_PREFIX, cursor_of
from schema.types.sipri import display_json

Expression = ColumnElement[Any]
# A JSON value as each back end holds it mid-statement (PostgreSQL: json; SQLite: text).
JsonValue = ColumnElement[Any]


def _sqlite_b64(text: str | None) -> str | None:
    return None if text is None else base64.b64encode(text.encode()).decode()


def _sqlite_float(value: float | int | None) -> str | None:
    return None if value is None else orjson.dumps(float(value)).decode()


def _sqlite_cursor(signature: str, *values: Any) -> str:
    return cursor_of(signature, values)


def _sqlite_iso_datetime(text: str | None) -> str | None:
    # As SQLAlchemy reads the stored text back, and the resolver then writes it.
    return None if text is None else datetime.fromisoformat(text).isoformat()


# The SQLite functions the compiled statements call: name, arity (-1: any), function.
SQLITE_FUNCTIONS: tuple[tuple[str, int, Callable[..., Any]], ...] = (
    ("sg_b64", 1, _sqlite_b64),
    ("sg_float", 1, _sqlite_float),
    ("sg_cursor", -1, _sqlite_cursor),
    ("sg_iso_datetime", 1, _sqlite_iso_datetime),
    ("sg_display_json", 1, display_json),
)


def install(engine: AsyncEngine) -> None:
    """Registers the SQLite functions the compiled statements call, on every new connection
    of `engine` (the single-statement reader, api/single_read.py, is given them too)."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        driver = dbapi_connection.driver_connection
        for name, arity, function in SQLITE_FUNCTIONS:
            await_only(driver.create_function(name, arity, function, deterministic=True))

    event.listen(engine.sync_engine, "connect", on_connect)


class Dialect:
    """Writes JSON values and containers; one subclass per back end."""

    name = ""

    def obj(self, pairs: Sequence[tuple[str, JsonValue]]) -> JsonValue:
        raise NotImplementedError

    def array(
        self,
        item: JsonValue,
        source: Any,
        order_by: Sequence[Expression],
        where: Expression | None = None,
    ) -> JsonValue:
        """The JSON array of `item` over the rows of `source`, in `order_by` order ([] if
        none)."""
        raise NotImplementedError

    def text(self, value: Expression) -> JsonValue:
        raise NotImplementedError

    def number(self, value: Expression) -> JsonValue:
        raise NotImplementedError

    def float(self, value: Expression) -> JsonValue:
        raise NotImplementedError

    def boolean(self, value: Expression) -> JsonValue:
        raise NotImplementedError

    def text_list(self, value: Expression) -> JsonValue:
        """A JSON column holding a list of strings, re-written compactly."""
        raise NotImplementedError

    def nullable_text_list(self, value: Expression) -> JsonValue:
        return self.or_null(value, self.text_list(value))

    def nullable_number_list(self, value: Expression) -> JsonValue:
        return self.or_null(value, self.number_list(value))

    def or_null(self, value: Expression, written: JsonValue) -> JsonValue:
        """`written`, or null where the JSON column `value` is SQL NULL or JSON null (a JSON
        column stores None as JSON null)."""
        raise NotImplementedError

    def present(self, value: Expression) -> JsonValue:
        """Whether the column holds a value (`Document.hasFullText`)."""
        return self.boolean(value.is_not(None))

    def negated(self, value: Expression) -> JsonValue:
        """A nullable boolean column negated, null staying null (`SipriExport.deliveriesOnly`)."""
        return self.boolean(not_(value))

    def iso_datetime(self, value: Expression) -> JsonValue:
        """A timestamp as Python's `isoformat()` writes it (microseconds only when set)."""
        raise NotImplementedError

    def json_display(self, value: Expression) -> JsonValue:
        """A stored JSON text as `display_json` shows it: a string bare, the rest as stored
        (the importer stored `json.dumps` of it, which reading and dumping again gives back)."""
        raise NotImplementedError

    def number_list(self, value: Expression) -> JsonValue:
        raise NotImplementedError

    def base64(self, value: Expression) -> Expression:
        raise NotImplementedError

    def cursor(self, signature: str, keys: Sequence[Expression]) -> Expression:
        raise NotImplementedError

    def first(self, value: Expression, order_by: Sequence[Expression], where: Expression) -> Any:
        """The first `value` in `order_by` order among the rows where `where` holds (an
        aggregate)."""
        raise NotImplementedError

    def embed(self, value: JsonValue) -> JsonValue:
        """A JSON value that comes out of a subquery, as a JSON value again."""
        return value

    def as_text(self, value: JsonValue) -> Expression:
        """The statement's one column: the JSON as text, never parsed by the driver."""
        raise NotImplementedError

    def node_id(self, type_name: str, id_column: Expression) -> JsonValue:
        """A Relay global ID, as strawberry writes it: base64 of `Type:id`."""
        return self.text(self.base64(literal(f"{type_name}:", String) + cast(id_column, Text)))


class PostgresDialect(Dialect):
    name = "postgresql"

    def obj(self, pairs: Sequence[tuple[str, JsonValue]]) -> JsonValue:
        # A one-row subquery whose columns are the keys: LATERAL, and told to correlate
        # everything it reads, so it reads the enclosing rows instead of joining them again.
        # (`correlate_except(None)` says "every FROM" without listing them: listing them with
        # `get_final_froms()` compiled the subquery, and so each level of nesting compiled all
        # the levels below it again, a third of the CPU of building a statement.)
        values = select(*(value.label(key) for key, value in pairs))
        row = values.correlate_except(None).lateral("o")
        return select(func.row_to_json(row.table_valued())).scalar_subquery()

    def array(
        self,
        item: JsonValue,
        source: Any,
        order_by: Sequence[Expression],
        where: Expression | None = None,
    ) -> JsonValue:
        aggregate: Expression = func.array_agg(aggregate_order_by(item, *order_by))
        if where is not None:
            aggregate = func.array_agg(aggregate_order_by(item, *order_by)).filter(where)
        return func.coalesce(func.array_to_json(aggregate), _json("[]"))

    def text(self, value: Expression) -> JsonValue:
        return cast(value, Text)

    def number(self, value: Expression) -> JsonValue:
        return value

    def float(self, value: Expression) -> JsonValue:
        # orjson's form: integral values keep `.0`; positional from 1e-5 up to 1e16,
        # exponents without zero padding (`1e-6`, `1e+16`). PostgreSQL writes the same
        # shortest digits, positional from 1e-4 up to 1e15, exponents padded (`1e-06`).
        magnitude = func.abs(value)
        integral = cast(func.trunc(value), postgresql.BIGINT)
        written = case(
            (
                (value == func.trunc(value)) & (magnitude < 1e16),
                cast(integral, Text) + literal_column("'.0'"),
            ),
            (
                (magnitude >= 1e-5) & (magnitude < 1e-4),
                cast(cast(value, postgresql.NUMERIC), Text),
            ),
            else_=func.regexp_replace(
                cast(value, Text), literal_column("'e([+-])0'"), literal_column("'e\\1'")
            ),
        )
        return cast(written, postgresql.JSON)

    def boolean(self, value: Expression) -> JsonValue:
        return cast(value, Boolean)

    def text_list(self, value: Expression) -> JsonValue:
        return _ordered_array(func.json_array_elements_text(value))

    def or_null(self, value: Expression, written: JsonValue) -> JsonValue:
        absent = value.is_(None) | (func.json_typeof(value) == literal_column("'null'"))
        return case((absent, null()), else_=written)

    def iso_datetime(self, value: Expression) -> JsonValue:
        seconds = func.to_char(value, literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'"), type_=Text)
        fraction = func.to_char(value, literal_column("'.US'"), type_=Text)
        whole = func.date_trunc(literal_column("'second'"), value) == value
        return self.text(seconds + case((whole, literal_column("''")), else_=fraction))

    def json_display(self, value: Expression) -> JsonValue:
        decoded = cast(value, postgresql.JSON).op("#>>")(literal_column("'{}'"))
        string = func.left(value, 1) == literal_column("'\"'")
        return self.text(case((string, decoded), else_=value))

    def number_list(self, value: Expression) -> JsonValue:
        return _ordered_array(func.json_array_elements(value))

    def base64(self, value: Expression) -> Expression:
        encoded = func.encode(func.convert_to(value, literal_column("'UTF8'")), "base64")
        return func.translate(encoded, literal_column("E'\\n'"), literal_column("''"))

    def cursor(self, signature: str, keys: Sequence[Expression]) -> Expression:
        parts: list[Expression] = []
        for i, key in enumerate(keys):
            if i:
                parts.append(literal_column("','"))
            parts.append(cast(self._key(key), Text))
        payload = func.concat(
            literal(f'{CURSOR_PREFIX}:{{"o":{json.dumps(signature)},"k":[', String),
            *parts,
            literal_column("']}'"),
        )
        return self.base64(payload)

    def _key(self, key: Expression) -> JsonValue:
        # Python's json.dumps of the value the resolver path reads: floats as repr writes
        # them (`30.0`, `1e-05`), which PostgreSQL matches but for the trailing `.0`.
        if isinstance(key.type, Float):
            integral = (key == func.trunc(key)) & (func.abs(key) < 1e16)
            return case(
                (
                    integral,
                    cast(cast(func.trunc(key), postgresql.BIGINT), Text) + literal_column("'.0'"),
                ),
                else_=cast(func.to_json(key), Text),
            )
        return func.to_json(key)

    def first(self, value: Expression, order_by: Sequence[Expression], where: Expression) -> Any:
        aggregate = func.array_agg(aggregate_order_by(value, *order_by)).filter(where)
        return type_coerce(aggregate, postgresql.ARRAY(Text))[1]

    def as_text(self, value: JsonValue) -> Expression:
        return cast(value, Text)


class SqliteDialect(Dialect):
    name = "sqlite"

    def obj(self, pairs: Sequence[tuple[str, JsonValue]]) -> JsonValue:
        arguments: list[Expression] = []
        for key, value in pairs:
            arguments += [literal(key, String), value]
        return func.json_object(*arguments, type_=Text)

    def array(
        self,
        item: JsonValue,
        source: Any,
        order_by: Sequence[Expression],
        where: Expression | None = None,
    ) -> JsonValue:
        # No ORDER BY inside aggregates before SQLite 3.44: `source` arrives ordered. An
        # object made right here is JSON already; wrapping it again would cost a level of
        # the parser's stack, which deep nesting runs out of (`schema.compiled.sql`).
        if not _is_object(item):
            item = func.json(item)
        aggregate = func.json_group_array(item, type_=Text)
        return aggregate.filter(where) if where is not None else aggregate

    def text(self, value: Expression) -> JsonValue:
        return value

    def number(self, value: Expression) -> JsonValue:
        return value

    def float(self, value: Expression) -> JsonValue:
        return func.json(func.sg_float(value))

    def boolean(self, value: Expression) -> JsonValue:
        return case(
            (value.is_(None), literal_column("NULL")),
            (value != 0, func.json(literal_column("'true'"))),
            else_=func.json(literal_column("'false'")),
        )

    def text_list(self, value: Expression) -> JsonValue:
        return self._list(value)

    def or_null(self, value: Expression, written: JsonValue) -> JsonValue:
        absent = value.is_(None) | (func.json_type(value) == literal_column("'null'"))
        # Re-read as JSON: SQLite loses the JSON subtype through CASE.
        return func.json(case((absent, literal_column("NULL")), else_=written))

    def iso_datetime(self, value: Expression) -> JsonValue:
        return func.sg_iso_datetime(value, type_=Text)

    def json_display(self, value: Expression) -> JsonValue:
        return func.sg_display_json(value, type_=Text)

    def number_list(self, value: Expression) -> JsonValue:
        return self._list(value)

    def _list(self, value: Expression) -> JsonValue:
        items = func.json_each(value).table_valued("key", "value")
        ordered = select(items.c.value).select_from(items).order_by(items.c.key).subquery("l")
        return func.json(
            select(func.json_group_array(ordered.c.value)).select_from(ordered).scalar_subquery()
        )

    def base64(self, value: Expression) -> Expression:
        return func.sg_b64(value, type_=Text)

    def cursor(self, signature: str, keys: Sequence[Expression]) -> Expression:
        return func.sg_cursor(literal(signature, String), *keys, type_=Text)

    def first(self, value: Expression, order_by: Sequence[Expression], where: Expression) -> Any:
        # `source` arrives ordered; json_group_array keeps that order.
        values = func.json_group_array(value).filter(where)
        return func.json_extract(values, literal_column("'$[0]'"))

    def as_text(self, value: JsonValue) -> Expression:
        return value

    def embed(self, value: JsonValue) -> JsonValue:
        # A scalar subquery's result keeps its JSON subtype (SQLite strips it only where a
        # value leaves a FROM subquery, a view or a CTE, and through CASE): re-reading it
        # would parse and write again the whole text at every level, most of a nested
        # answer's cost. `tests/schema/test_compiled_sqlite.py` holds SQLite to that.
        if isinstance(value, ScalarSelect):
            return value
        # `-> '$'` is `json(…)` in the fewest of the parser's stack slots: an operator costs
        # about one, a function call three (SQLite 3.40's stack holds about a hundred).
        return value.op("->", return_type=Text)(literal_column("'$'"))


def _is_object(value: JsonValue) -> bool:
    return isinstance(value, FunctionElement) and value.name == "json_object"


def _json(text: str) -> Expression:
    return cast(literal_column(f"'{text}'"), postgresql.JSON)


def aggregate_order_by(value: Expression, *order_by: Expression) -> Expression:
    if not order_by:
        return value
    return postgresql.aggregate_order_by(value, *order_by)


def dialect_of(name: str) -> Dialect:
    return PostgresDialect() if name == "postgresql" else SqliteDialect()


def _ordered_array(elements: Any) -> JsonValue:
    """The elements of a JSON array (a set-returning function) as a JSON array again, in
    their order: PostgreSQL's `array_agg` keeps it only when told (`WITH ORDINALITY`)."""
    items = elements.table_valued("value", with_ordinality="n").render_derived()
    return (
        select(
            func.coalesce(
                func.array_to_json(func.array_agg(aggregate_order_by(items.c.value, items.c.n))),
                _json("[]"),
            )
        )
        .select_from(items)
        .scalar_subquery()
    )
