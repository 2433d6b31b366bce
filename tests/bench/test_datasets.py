"""Kept benchmark data sets: used again only while what made them is unchanged, and a kept
PostgreSQL cluster starts again on its own data."""

import asyncio
import shutil
import tempfile
from pathlib import Path

import asyncpg
import pytest

import bench.datasets
from bench.datasets import KeptDataSet, made_by
from tests.conftest import IN_CI
from tests.pg_server import PostgresUnavailable, postgres_server


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project tree holding only what decides a data set's rows."""
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "generate.py").write_text("SEED = 1\n")
    (tmp_path / "fixtures" / "sipri").mkdir(parents=True)
    (tmp_path / "fixtures" / "sipri" / "deals.csv").write_text("id\n1\n")
    monkeypatch.setattr(bench.datasets, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(bench.datasets, "MADE_BY", ("bench/generate.py", "fixtures"))
    return tmp_path


def test_a_stamped_data_set_is_reused_with_what_its_generation_reported(
    project: Path, tmp_path: Path
) -> None:
    kept = KeptDataSet(tmp_path / "kept", "sqlite", "large", 2025)
    assert kept.reusable() is None  # nothing kept yet

    kept.forget()
    kept.home.with_suffix(".db").write_bytes(b"rows")
    kept.remember({"rows": {"arms_transfer": 10}, "seconds": 1.5})

    reused = kept.reusable()
    assert reused is not None
    assert reused["rows"] == {"arms_transfer": 10}
    assert reused["seconds"] == 1.5
    # another scale or seed is another data set
    assert KeptDataSet(tmp_path / "kept", "sqlite", "small", 2025).reusable() is None
    assert KeptDataSet(tmp_path / "kept", "sqlite", "large", 7).reusable() is None


@pytest.mark.parametrize("changed", ["bench/generate.py", "fixtures/sipri/deals.csv"])
def test_a_change_to_what_made_the_data_makes_it_unusable(
    project: Path, tmp_path: Path, changed: str
) -> None:
    kept = KeptDataSet(tmp_path / "kept", "sqlite", "large", 2025)
    kept.forget()
    kept.remember({"rows": {}, "seconds": 0.0})
    before = made_by()

    (project / changed).write_text("something else\n")

    assert made_by() != before
    assert kept.reusable() is None


def test_forgetting_drops_the_stamp_and_the_data(project: Path, tmp_path: Path) -> None:
    sqlite = KeptDataSet(tmp_path / "kept", "sqlite", "large", 2025)
    postgresql = KeptDataSet(tmp_path / "kept", "postgresql", "large", 2025)
    sqlite.forget()
    for suffix in (".db", ".db-wal", ".db-shm"):
        sqlite.home.with_name(sqlite.home.name + suffix).write_bytes(b"x")
    (postgresql.home / "data").mkdir(parents=True)
    for kept in (sqlite, postgresql):
        kept.remember({"rows": {}, "seconds": 0.0})

    sqlite.forget()
    postgresql.forget()

    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == []


def test_an_interrupted_generation_is_not_taken_for_a_whole_one(
    project: Path, tmp_path: Path
) -> None:
    kept = KeptDataSet(tmp_path / "kept", "sqlite", "large", 2025)
    kept.forget()
    kept.home.with_suffix(".db").write_bytes(b"half")  # generation stopped: no stamp

    assert kept.reusable() is None
    kept.stamp.write_text("{not json")
    assert kept.reusable() is None


async def _count(port: int, user: str, sql: str) -> object:
    connection = await asyncpg.connect(host="127.0.0.1", port=port, user=user, database="postgres")
    try:
        return await connection.fetchval(sql)
    finally:
        await connection.close()


def test_a_kept_cluster_starts_again_on_its_own_data() -> None:
    home = Path(tempfile.mkdtemp(prefix="silkgraph-kept-"))
    try:
        try:
            with postgres_server(keep=home) as first:
                asyncio.run(_count(first.port, first.user, "CREATE TABLE kept AS SELECT 42 AS n"))
        except PostgresUnavailable as error:
            if IN_CI:
                pytest.fail(f"CI must test on PostgreSQL, but it is not installed: {error}")
            pytest.skip(str(error))

        assert (home / "data" / "PG_VERSION").exists()  # stopped, not deleted
        with postgres_server(keep=home) as again:
            assert asyncio.run(_count(again.port, again.user, "SELECT n FROM kept")) == 42
    finally:
        shutil.rmtree(home, ignore_errors=True)
