"""Root fields of aggregates: each one GROUP BY statement, counted and summed in SQL.

The dimensions transfers can be grouped by are declared once (`TRANSFER_DIMENSIONS`): the
columns grouped on and how its buckets sort; a new dimension is one more entry.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import ColumnElement, Integer, and_, case, func, literal, select, true
from sqlmodel import col

from api import models
from api.models.arms_transfer import RECIPIENT_COLUMNS, SUPPLIER_COLUMNS
from schema.context import Info
from schema.errors import bad_input
from schema.filters import (
    NO_CRITERIA,
    ArmsTransferFilter,
    Criteria,
    IntRange,
    MembershipFilter,
    criteria_of,
    transfer_criteria_of,
)
from schema.filters.arms_transfer import actor_label
from schema.filters.base import held_in, state_code_of
from schema.filters.membership import membership_start
from schema.loaders.memberships import ROLE_RANK
from schema.ordering import binary_text
from schema.pagination import Direction
from schema.types.arguments import Filter
from schema.types.enums import MembershipRole, TransferCondition, TransferStatus, WeaponCategory
from schema.types.non_state_actor import NonStateActor
from schema.types.organisation import Organisation
from schema.types.state import State
from schema.types.stats import (
    ArmsTransferBucket,
    ArmsTransferDimension,
    ArmsTransferStats,
    MembershipStat,
    MembershipStats,
    StatsOrder,
    StatsOrderField,
)

T = TypeVar("T")
MAX_LIMIT = 10_000
MAX_YEARS = 100
Transfer = models.ArmsTransfer
ORDER_YEARS = ArmsTransferFilter.criteria_of["order_year"]
_YEAR = ArmsTransferDimension.ORDER_YEAR


@dataclass(frozen=True)
class Dimension:
    """A grouping: the columns grouped on (named as the bucket fields they fill) and what its
    buckets sort by (text by code point, so both back ends agree)."""

    columns: Callable[[], tuple[tuple[str, Any], ...]]
    sort: Callable[[], Any]
    text: bool = True


def _one(field: str, column: Any) -> Callable[[], tuple[tuple[str, Any], ...]]:
    return lambda: ((field, col(column)),)


ACTOR_COLUMNS = {n: col(getattr(Transfer, n)) for n in (*SUPPLIER_COLUMNS, *RECIPIENT_COLUMNS)}


def _actor(side: str) -> Dimension:
    """Any kind of actor on one side: grouped on all three of its columns (at most one is
    set), sorted by its short name (code, acronym, key)."""
    names = SUPPLIER_COLUMNS if side == "supplier" else RECIPIENT_COLUMNS
    return Dimension(
        lambda: tuple((f"actor_{n}", col(getattr(Transfer, n))) for n in names),
        lambda: func.lower(actor_label(ACTOR_COLUMNS, side)),
    )


TRANSFER_DIMENSIONS = {
    ArmsTransferDimension.SUPPLIER: Dimension(
        _one("supplier_id", Transfer.supplier_id),
        lambda: state_code_of(Transfer.supplier_id),
    ),
    ArmsTransferDimension.RECIPIENT: Dimension(
        _one("recipient_id", Transfer.recipient_id),
        lambda: state_code_of(Transfer.recipient_id),
    ),
    ArmsTransferDimension.ORDER_YEAR: Dimension(
        _one("order_year", Transfer.order_year), lambda: col(Transfer.order_year), text=False
    ),
    ArmsTransferDimension.CATEGORY: Dimension(
        _one("category", Transfer.weapon_category), lambda: col(Transfer.weapon_category)
    ),
    ArmsTransferDimension.STATUS: Dimension(
        _one("status", Transfer.status), lambda: col(Transfer.status)
    ),
    ArmsTransferDimension.SUPPLIER_ACTOR: _actor("supplier"),
    ArmsTransferDimension.RECIPIENT_ACTOR: _actor("recipient"),
    ArmsTransferDimension.CONDITION: Dimension(
        _one("condition", Transfer.condition), lambda: col(Transfer.condition)
    ),
}

Limit = Annotated[
    int, strawberry.argument(description=f"At most this many rows (up to {MAX_LIMIT}).")
]


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_input(f"`limit` must be between 1 and {MAX_LIMIT}, got {limit}", "limit")
    return limit


def _unknown(column_: Any) -> ColumnElement[int]:
    return func.count() - func.count(column_)


def _year_series(low: int, high: int) -> Any:
    """The years `low`..`high` as rows of a CTE (`year`): a recursive CTE, which both back
    ends run alike."""
    start = select(literal(low, Integer).label("year")).cte("years", recursive=True)
    return start.union_all(select(start.c.year + 1).where(start.c.year < high))


def _year_range(years: IntRange, field: str) -> tuple[int, int]:
    low, high = years.bounds(field)
    if low is None or high is None:
        raise bad_input(f"`{field}` needs both `gte` and `lte`", field)
    if high - low + 1 > MAX_YEARS:
        raise bad_input(f"`{field}` spans more than {MAX_YEARS} years", field)
    return low, high


@dataclass(frozen=True)
class SortTerm:
    """A key the rows may sort by, unknowns last whichever way."""

    expression: Any
    text: bool

    def terms(self, direction: Direction) -> tuple[Any, Any]:
        value = binary_text(self.expression) if self.text else self.expression
        return self.expression.is_(None), value.desc() if direction == Direction.DESC else value


def _ordered(order: StatsOrder | None, count: Any, keys: Sequence[SortTerm]) -> list[Any]:
    """ORDER BY terms: by count, largest first, unless `order` asks otherwise."""
    by_keys = [t for key in keys for t in key.terms(Direction.ASC)]
    if order is None:
        return [count.desc(), *by_keys]
    if order.field == StatsOrderField.COUNT:
        return [count.desc() if order.direction == Direction.DESC else count.asc(), *by_keys]
    return [*(t for key in keys for t in key.terms(order.direction)), count.desc()]


def _filled(
    buckets: Any, series_fields: Sequence[str], years: Any, year_field: str
) -> tuple[Any, dict[str, Any]]:
    """Every series (a distinct value of `series_fields` among `buckets`) × every year of
    `years`, left-joined to `buckets`: the FROM clause and the column of each field."""
    if not series_fields:
        joined = years.outerjoin(buckets, buckets.c[year_field] == years.c.year)
        return joined, {year_field: years.c.year}
    series = select(*(buckets.c[f] for f in series_fields)).distinct().subquery("series")
    matches = [buckets.c[f].is_not_distinct_from(series.c[f]) for f in series_fields]
    joined = series.join(years, true()).outerjoin(
        buckets, and_(*matches, buckets.c[year_field] == years.c.year)
    )
    return joined, {**{f: series.c[f] for f in series_fields}, year_field: years.c.year}


StatsOrderBy = Annotated[
    StatsOrder | None,
    strawberry.argument(description="How to sort; by count, largest first, when left out."),
]


@strawberry.type
class StatsQueries:
    @strawberry.field(
        description="Arms transfers counted per group (supplier, recipient, order year, "
        "category, status, in any combination), with summed numbers ordered and delivered and "
        "how many deals left them unreported. No grouping gives one bucket for everything."
    )
    async def arms_transfer_stats(
        self,
        info: Info,
        group_by: Annotated[
            list[ArmsTransferDimension],
            strawberry.argument(description="What to group by; each at most once."),
        ],
        filter: Filter[ArmsTransferFilter] = None,
        limit: Limit = 1000,
        order_by: StatsOrderBy = None,
        fill_years: Annotated[
            IntRange | None,
            strawberry.argument(
                description="Keep the order years in this range (both ends given, at most "
                f"{MAX_YEARS} years) and give each of them a bucket in every series, with a "
                "count of 0 where no deal was ordered: a time series with no gaps. Needs "
                "ORDER_YEAR in `groupBy`; a series is each combination of the other grouped "
                "values found in the range."
            ),
        ] = None,
    ) -> ArmsTransferStats:
        if len(set(group_by)) != len(group_by):
            raise bad_input("`groupBy` names a dimension twice", "groupBy")
        limit = _limit(limit)
        dimensions = [TRANSFER_DIMENSIONS[d] for d in group_by]
        grouped = [pair for d in dimensions for pair in d.columns()]
        fields = [field for field, _ in grouped]
        sorts = [d.sort().label(f"sort_{n}") for n, d in enumerate(dimensions)]
        in_years = NO_CRITERIA
        if fill_years is not None:
            if ArmsTransferDimension.ORDER_YEAR not in group_by:
                raise bad_input("`fillYears` needs ORDER_YEAR in `groupBy`", "fillYears")
            low, high = _year_range(fill_years, "fillYears")
            in_years = Criteria(((ORDER_YEARS, (low, high)),))
        conditions = transfer_criteria_of(filter, also=in_years).conditions()
        buckets = (
            select(
                *(column.label(field) for field, column in grouped),
                *sorts,
                func.count().label("count"),
                func.sum(Transfer.number_ordered).label("ordered_sum"),
                _unknown(Transfer.number_ordered).label("ordered_unknown"),
                func.sum(Transfer.number_delivered).label("delivered_sum"),
                _unknown(Transfer.number_delivered).label("delivered_unknown"),
                func.sum(Transfer.tiv_total_order).label("tiv_total_order_sum"),
                func.sum(Transfer.tiv_delivered).label("tiv_delivered_sum"),
            )
            .where(*conditions)
            .group_by(*(column for _, column in grouped))
            .subquery("buckets")
        )
        sort_names = [sort.name for sort in sorts]
        if fill_years is None:
            source: Any = buckets
            columns = {f: buckets.c[f] for f in (*fields, *sort_names)}
        else:
            # A series is a value of every other dimension; the year's sort key is the year.
            year_sort = sort_names[group_by.index(_YEAR)]
            series = [f for f in (*fields, *sort_names) if f not in ("order_year", year_sort)]
            source, columns = _filled(buckets, series, _year_series(low, high), "order_year")
            columns[year_sort] = columns["order_year"]
        count = func.coalesce(buckets.c.count, 0)
        keys = [SortTerm(columns[n], d.text) for n, d in zip(sort_names, dimensions, strict=True)]
        statement = (
            select(
                *(columns[f].label(f) for f in fields),
                count.label("count"),
                buckets.c.ordered_sum,
                func.coalesce(buckets.c.ordered_unknown, 0).label("ordered_unknown"),
                buckets.c.delivered_sum,
                func.coalesce(buckets.c.delivered_unknown, 0).label("delivered_unknown"),
                buckets.c.tiv_total_order_sum,
                buckets.c.tiv_delivered_sum,
            )
            .select_from(source)
            .order_by(*_ordered(order_by, count, keys))
            .limit(limit + 1)
        )
        async with info.context.sessions() as session:
            rows = (await session.execute(statement)).mappings().all()
        kept = rows[:limit]
        actors = await _actors(info, kept)
        buckets_found = []
        for row in kept:
            found = {field: row[field] for field in fields}
            category, status, condition = (
                found.get("category"),
                found.get("status"),
                found.get("condition"),
            )
            buckets_found.append(
                ArmsTransferBucket(
                    supplier=actors.get((State, found.get("supplier_id") or 0)),
                    recipient=actors.get((State, found.get("recipient_id") or 0)),
                    supplier_actor=_side(actors, found, "supplier"),
                    recipient_actor=_side(actors, found, "recipient"),
                    order_year=found.get("order_year"),
                    category=WeaponCategory(category) if category else None,
                    status=TransferStatus(status) if status else None,
                    condition=TransferCondition(condition) if condition else None,
                    count=row["count"],
                    number_ordered_sum=_int(row["ordered_sum"]),
                    number_ordered_unknown=row["ordered_unknown"],
                    number_delivered_sum=_int(row["delivered_sum"]),
                    number_delivered_unknown=row["delivered_unknown"],
                    tiv_total_order_sum=_float(row["tiv_total_order_sum"]),
                    tiv_delivered_sum=_float(row["tiv_delivered_sum"]),
                )
            )
        return ArmsTransferStats(buckets=buckets_found, truncated=len(rows) > limit)

    @strawberry.field(
        description="How many members held each role in each organisation, year by year, by "
        "the `asOf` rule: a role counts from its start (or, when unreported, the year a source "
        "attests it) until the year it ends."
    )
    async def membership_stats(
        self,
        info: Info,
        years: Annotated[
            IntRange,
            strawberry.argument(
                description=f"The years to count, both ends given, at most {MAX_YEARS}."
            ),
        ],
        filter: Filter[MembershipFilter] = None,
        limit: Limit = 1000,
        order_by: Annotated[
            StatsOrder | None,
            strawberry.argument(
                description="How to sort; by organisation, role and year when left out."
            ),
        ] = None,
        fill_empty_years: Annotated[
            bool,
            strawberry.argument(
                description="Give every year of `years` a row in each organisation and role "
                "found in them, with a count of 0 where nobody held it: a time series with no "
                "gaps."
            ),
        ] = False,
    ) -> MembershipStats:
        low, high = _year_range(years, "years")
        limit = _limit(limit)
        series_years = _year_series(low, high)
        year = series_years.c.year
        membership = models.Membership
        organisation = col(membership.organisation_id)
        role = col(membership.role)
        rank = case({r.value: n for r, n in ROLE_RANK.items()}, value=role, else_=9)
        acronym = (
            select(func.lower(models.Organisation.acronym))
            .where(col(models.Organisation.id) == organisation)
            .scalar_subquery()
        )
        counted = (
            select(
                organisation.label("organisation_id"),
                role.label("role"),
                year.label("year"),
                acronym.label("acronym"),
                rank.label("rank"),
                func.count().label("count"),
            )
            .select_from(membership)
            .join(series_years, held_in(year, membership_start(), col(membership.until_year)))
            .where(*criteria_of(filter).conditions())
            .group_by(organisation, role, year)
            .subquery("counted")
        )
        series = ["organisation_id", "role", "acronym", "rank"]
        if fill_empty_years:
            source, columns = _filled(counted, series, series_years, "year")
        else:
            source = counted
            columns = {
                f: counted.c[f] for f in ("organisation_id", "role", "year", "acronym", "rank")
            }
        count = func.coalesce(counted.c.count, 0)
        keys = [
            SortTerm(columns["acronym"], text=True),
            SortTerm(columns["rank"], text=False),
            SortTerm(columns["year"], text=False),
        ]
        order = order_by or StatsOrder(field=StatsOrderField.KEY)
        statement = (
            select(columns["organisation_id"], columns["role"], columns["year"], count)
            .select_from(source)
            .order_by(*_ordered(order, count, keys))
            .limit(limit + 1)
        )
        async with info.context.sessions() as session:
            rows = (await session.execute(statement)).all()
        organisations = await _by_id(
            info, models.Organisation, Organisation.from_row, {row[0] for row in rows[:limit]}
        )
        return MembershipStats(
            rows=[
                MembershipStat(
                    organisation=organisations[organisation_id],
                    role=MembershipRole(role_),
                    year=year_,
                    count=count_,
                )
                for organisation_id, role_, year_, count_ in rows[:limit]
            ],
            truncated=len(rows) > limit,
        )


async def _by_id(
    info: Info, model: Any, from_row: Callable[[Any], T], ids: set[Any]
) -> dict[Any, T]:
    """The objects for `ids`, in one look-up through the by-id loader."""
    wanted = sorted(ids)
    rows = await info.context.loaders.by_id(model).load_many(wanted)
    return {i: from_row(row) for i, row in zip(wanted, rows, strict=True) if row is not None}


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _float(value: Any) -> float | None:
    # Sums of floats differ in their last bits between back ends: millions to 6 places.
    return round(float(value), 6) if value is not None else None


def _actor_type(column: str) -> tuple[Any, Any]:
    """The model and GraphQL type an actor column of arms_transfer points at."""
    if column.endswith("_organisation_id"):
        return models.Organisation, Organisation
    if column.endswith("_non_state_actor_id"):
        return models.NonStateActor, NonStateActor
    return models.State, State


def _is_actor(field: str) -> bool:
    return field in ("supplier_id", "recipient_id") or field.startswith("actor_")


async def _actors(info: Info, rows: Sequence[Any]) -> dict[tuple[Any, int], Any]:
    """Every actor the buckets name, one look-up per kind: (GraphQL type, id) → object."""
    wanted: dict[tuple[Any, Any], set[int]] = defaultdict(set)
    for row in rows:
        for field, value in row.items():
            if value is not None and _is_actor(field):
                wanted[_actor_type(field)].add(value)
    found: dict[tuple[Any, int], Any] = {}
    for (model, type_), ids in wanted.items():
        objects = await _by_id(info, model, type_.from_row, ids)
        found.update({(type_, i): obj for i, obj in objects.items()})
    return found


def _side(actors: dict[tuple[Any, int], Any], found: dict[str, Any], side: str) -> Any:
    """The actor of a bucket grouped by `side`'s actor; None where the source names none."""
    for column in SUPPLIER_COLUMNS if side == "supplier" else RECIPIENT_COLUMNS:
        value = found.get(f"actor_{column}")
        if value is not None:
            return actors.get((_actor_type(column)[1], value))
    return None
