"""Synthetic data at scale for benchmarks: deterministic, seeded, written straight to the tables.

    python bench/generate.py --scale small|large [--seed N] [--database-url URL]

Adds, on top of the fixtures (loaded first into an empty database: the 250 states and the
paper), organisations, non-state actors, memberships, agreements with their parties and arms
transfers shaped like the real thing: a few suppliers and recipients account for most deals,
memberships start and end over the decades, agreements have two to five parties, transfers
have order and delivery years, SIPRI-style estimates and TIVs. Every record cites one
"synthetic data" document. Rows go in with COPY on PostgreSQL and batched inserts on SQLite,
in one transaction; the same seed always gives the same rows.
"""

import argparse
import asyncio
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api import migrate, models
from api.bulk import insert_rows, reserve_ids
from api.db import SessionFactory, create_session_factory, engine_scope, is_sqlite
from api.fixtures import is_empty, load_fixtures
from api.models.enums import (
    AgreementKind,
    AgreementStatus,
    DatePrecision,
    MembershipRole,
    OrganisationKind,
    PartyRole,
    TransferCondition,
    TransferStatus,
    WeaponCategory,
)
from api.settings import Settings, get_settings

DOCUMENT_KEY = "synthetic-data"
KEY_PREFIX = "syn-"
FIRST_YEAR, LAST_YEAR = 1950, 2024


@dataclass(frozen=True)
class Scale:
    organisations: int
    non_state_actors: int
    memberships: int
    agreements: int
    transfers: int


SCALES = {
    "small": Scale(
        organisations=300,
        non_state_actors=50,
        memberships=5_000,
        agreements=5_000,
        transfers=20_000,
    ),
    "large": Scale(
        organisations=2_000,
        non_state_actors=500,
        memberships=50_000,
        agreements=200_000,
        transfers=1_000_000,
    ),
}


def table(model: Any) -> Table:
    found: Table = model.__table__
    return found


@dataclass
class Counts:
    rows: dict[str, int]
    seconds: float

    def summary(self) -> str:
        parts = ", ".join(f"{name}: {n:,}" for name, n in self.rows.items())
        total = sum(self.rows.values())
        return f"{parts} ({total:,} rows in {self.seconds:.1f} s, {total / self.seconds:,.0f}/s)"


class Skewed:
    """Draws from `items` with Zipf-like weights: a few items get most of the draws, as a few
    states make most arms deals."""

    def __init__(self, rng: random.Random, items: Sequence[int], exponent: float) -> None:
        self.rng = rng
        self.items = list(items)
        rng.shuffle(self.items)
        self.cumulative = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))

    def draw(self, k: int) -> list[int]:
        return self.rng.choices(self.items, cum_weights=self.cumulative, k=k)


def _year(rng: random.Random) -> int:
    # More deals and agreements in recent decades than in the 1950s.
    return LAST_YEAR - min(int(rng.expovariate(1 / 18)), LAST_YEAR - FIRST_YEAR)


class Generator:
    def __init__(self, session: AsyncSession, scale: Scale, seed: int) -> None:
        self.session = session
        self.scale = scale
        self.rng = random.Random(seed)
        self.seed = seed
        self.counts: dict[str, int] = {}
        self.document_id = 0
        self.state_ids: list[int] = []

    async def _write(
        self, model: Any, columns: Sequence[str], rows: Iterator[Sequence[Any]], label: str
    ) -> None:
        self.counts[label] = self.counts.get(label, 0) + await insert_rows(
            self.session, table(model), columns, rows
        )

    async def _cite(self, column: str, first_id: int, count: int) -> None:
        rows = (
            (self.document_id, first_id + i, f"synthetic row {first_id + i}", 0)
            for i in range(count)
        )
        await self._write(
            models.Citation, ["document_id", column, "locator", "position"], rows, "citations"
        )

    async def run(self) -> None:
        session = self.session
        document = models.Document(
            key=DOCUMENT_KEY,
            title=f"silkgraph synthetic benchmark data (seed {self.seed})",
            publisher="silkgraph bench/generate.py",
        )
        session.add(document)
        await session.flush()
        assert document.id is not None
        self.document_id = document.id
        self.state_ids = list(
            await session.scalars(select(col(models.State.id)).order_by(col(models.State.code)))
        )
        organisations = await self.organisations()
        actors = await self.non_state_actors()
        await self.memberships(organisations)
        agreements = await self.agreements(organisations)
        await self.transfers(organisations, actors, agreements)

    async def organisations(self) -> list[int]:
        rng, n = self.rng, self.scale.organisations
        first = await reserve_ids(self.session, table(models.Organisation), n)
        kinds = list(OrganisationKind)

        def rows() -> Iterator[tuple[Any, ...]]:
            for i in range(n):
                # One in ten is a body of an earlier organisation (an organ, a committee).
                parent = first + rng.randrange(i) if i and rng.random() < 0.1 else None
                yield (
                    first + i,
                    f"SYN{i:05d}",
                    f"Synthetic Organisation {i}",
                    rng.choice(kinds).value,
                    rng.randint(1945, 2020),
                    rng.choice(self.state_ids),
                    parent,
                )

        await self._write(
            models.Organisation,
            ["id", "acronym", "name", "kind", "founded_year", "headquarters_state_id", "parent_id"],
            rows(),
            "organisations",
        )
        await self._cite("organisation_id", first, n)
        return list(range(first, first + n))

    async def non_state_actors(self) -> list[int]:
        rng, n = self.rng, self.scale.non_state_actors
        first = await reserve_ids(self.session, table(models.NonStateActor), n)
        rows = (
            (
                first + i,
                f"{KEY_PREFIX}actor-{i}",
                f"Synthetic armed group {i}",
                rng.choice(self.state_ids) if rng.random() < 0.9 else None,
            )
            for i in range(n)
        )
        await self._write(
            models.NonStateActor, ["id", "key", "name", "country_id"], rows, "non-state actors"
        )
        await self._cite("non_state_actor_id", first, n)
        return list(range(first, first + n))

    async def memberships(self, organisations: list[int]) -> None:
        rng, n = self.rng, self.scale.memberships
        first = await reserve_ids(self.session, table(models.Membership), n)
        hosts = Skewed(rng, organisations, 0.8)  # some organisations have many members
        states = Skewed(rng, self.state_ids, 0.3)
        roles = list(MembershipRole)
        weights = [1 if r is not MembershipRole.MEMBER else 12 for r in roles]

        def rows() -> Iterator[tuple[Any, ...]]:
            for i, host in enumerate(hosts.draw(n)):
                member_org = rng.choice(organisations) if rng.random() < 0.1 else None
                member_state = None if member_org is not None else states.draw(1)[0]
                since = _year(rng) if rng.random() < 0.9 else None
                until = (
                    rng.randint(since, LAST_YEAR)
                    if since is not None and rng.random() < 0.15
                    else None
                )
                yield (
                    first + i,
                    f"{KEY_PREFIX}membership-{i}",
                    host,
                    member_state,
                    member_org,
                    rng.choices(roles, weights)[0].value,
                    str(since) if since else None,
                    since,
                    str(until) if until else None,
                    until,
                    None if since else 2025,
                )

        await self._write(
            models.Membership,
            [
                "id",
                "key",
                "organisation_id",
                "member_state_id",
                "member_organisation_id",
                "role",
                "since",
                "since_year",
                "until",
                "until_year",
                "attested_year",
            ],
            rows(),
            "memberships",
        )
        await self._cite("membership_id", first, n)

    async def agreements(self, organisations: list[int]) -> list[int]:
        rng, n = self.rng, self.scale.agreements
        first = await reserve_ids(self.session, table(models.Agreement), n)
        kinds, statuses = list(AgreementKind), list(AgreementStatus)
        states = Skewed(rng, self.state_ids, 0.6)

        def rows() -> Iterator[tuple[Any, ...]]:
            for i in range(n):
                year = _year(rng)
                month = rng.randint(1, 12)
                precision = rng.choice(list(DatePrecision))
                date = {
                    DatePrecision.YEAR: f"{year}",
                    DatePrecision.MONTH: f"{year}-{month:02d}",
                    DatePrecision.DAY: f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
                }[precision]
                yield (
                    first + i,
                    f"{KEY_PREFIX}agreement-{i}",
                    f"Synthetic agreement {i}",
                    rng.choice(kinds).value,
                    date,
                    precision.value,
                    year,
                    rng.choice(statuses).value,
                )

        await self._write(
            models.Agreement,
            ["id", "key", "title", "kind", "date", "date_precision", "year", "status"],
            rows(),
            "agreements",
        )

        def parties() -> Iterator[tuple[Any, ...]]:
            for i in range(n):
                count = rng.choices((2, 3, 4, 5), (70, 15, 10, 5))[0]
                for position in range(count):
                    organisation = rng.choice(organisations) if rng.random() < 0.1 else None
                    state = None if organisation is not None else states.draw(1)[0]
                    yield (first + i, state, organisation, PartyRole.SIGNATORY.value, position)

        await self._write(
            models.AgreementParty,
            ["agreement_id", "state_id", "organisation_id", "role", "position"],
            parties(),
            "agreement parties",
        )
        await self._cite("agreement_id", first, n)
        return list(range(first, first + n))

    async def transfers(
        self, organisations: list[int], actors: list[int], agreements: list[int]
    ) -> None:
        rng, n = self.rng, self.scale.transfers
        first = await reserve_ids(self.session, table(models.ArmsTransfer), n)
        # Suppliers are far more concentrated than recipients, as in SIPRI's register.
        suppliers = Skewed(rng, self.state_ids, 1.6)
        recipients = Skewed(rng, self.state_ids, 0.9)
        categories = list(WeaponCategory)
        designations = [f"Synthetic-{i}" for i in range(2_000)]
        conditions = list(TransferCondition)

        def rows() -> Iterator[tuple[Any, ...]]:
            supplier_draws = suppliers.draw(n)
            recipient_draws = recipients.draw(n)
            for i in range(n):
                roll = rng.random()
                supplier: list[int | None] = [supplier_draws[i], None, None]
                recipient: list[int | None] = [recipient_draws[i], None, None]
                if roll < 0.01:
                    supplier = [None, None, None]  # unknown supplier
                elif roll < 0.02:
                    recipient = [None, rng.choice(organisations), None]
                elif roll < 0.025:
                    recipient = [None, None, rng.choice(actors)]
                order_year = _year(rng)
                ordered = max(1, int(rng.lognormvariate(1.5, 1.2)))
                delivered = ordered if rng.random() < 0.8 else rng.randint(0, ordered)
                years = (
                    sorted(
                        {
                            min(order_year + rng.randint(0, 4), LAST_YEAR)
                            for _ in range(1 + ordered // 20)
                        }
                    )
                    if delivered
                    else []
                )
                unit = round(rng.lognormvariate(0, 1.5), 2)
                status = (
                    TransferStatus.ORDERED
                    if not delivered
                    else TransferStatus.DELIVERED
                    if delivered >= ordered
                    else TransferStatus.PARTLY_DELIVERED
                )
                yield (
                    first + i,
                    f"{KEY_PREFIX}transfer-{i}",
                    *supplier,
                    *recipient,
                    rng.choice(designations),
                    rng.choice(categories).value,
                    "synthetic weapon",
                    ordered,
                    delivered,
                    order_year,
                    years,
                    status.value,
                    rng.random() < 0.4,
                    rng.random() < 0.5,
                    rng.random() < 0.5,
                    rng.choices(conditions, (75, 23, 2))[0].value,
                    unit,
                    round(unit * ordered, 2),
                    round(unit * delivered, 2) if delivered else None,
                    rng.choice(agreements) if rng.random() < 0.03 else None,
                )

        await self._write(
            models.ArmsTransfer,
            [
                "id",
                "key",
                "supplier_id",
                "supplier_organisation_id",
                "supplier_non_state_actor_id",
                "recipient_id",
                "recipient_organisation_id",
                "recipient_non_state_actor_id",
                "weapon_designation",
                "weapon_category",
                "weapon_description",
                "number_ordered",
                "number_delivered",
                "order_year",
                "delivery_years",
                "status",
                "order_year_estimated",
                "number_ordered_estimated",
                "number_delivered_estimated",
                "condition",
                "tiv_per_unit",
                "tiv_total_order",
                "tiv_delivered",
                "agreement_id",
            ],
            rows(),
            "arms transfers",
        )
        await self._cite("arms_transfer_id", first, n)


class AlreadyGenerated(Exception):
    pass


async def generate(sessions: SessionFactory, scale: Scale, seed: int) -> Counts:
    """Write one data set in one transaction; refuse a database that already holds one."""
    started = time.perf_counter()
    async with sessions() as session, session.begin():
        found = await session.scalar(
            select(func.count()).where(col(models.Document.key) == DOCUMENT_KEY)
        )
        if found:
            raise AlreadyGenerated("the database already holds synthetic data: use a fresh one")
        generator = Generator(session, scale, seed)
        await generator.run()
    return Counts(generator.counts, time.perf_counter() - started)


async def prepare_and_generate(settings: Settings, scale: Scale, seed: int) -> Counts:
    """Migrate, load the fixtures into an empty database, then generate."""
    async with engine_scope(settings) as engine:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        if await is_empty(sessions):
            await load_fixtures(sessions, [settings.fixtures_dir])
        counts = await generate(sessions, scale, seed)
        if not is_sqlite(settings.database_url):
            # Fresh statistics, or the planner guesses at a million rows it has never seen;
            # and a visibility map, so counts can be answered from the indexes alone.
            async with engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql("VACUUM ANALYZE")
        return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), required=True)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="default: DATABASE_URL, else silkgraph's own default",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.database_url:
        settings = settings.model_copy(update={"database_url": args.database_url})
    try:
        counts = asyncio.run(prepare_and_generate(settings, SCALES[args.scale], args.seed))
    except AlreadyGenerated as error:
        print(f"Nothing generated: {error}")
        return 1
    print(f"Generated {args.scale} (seed {args.seed}): {counts.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
