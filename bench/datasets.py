"""Generated data sets kept between benchmark runs (`bench.run --keep-data DIR`).

A million transfers take minutes to generate on SQLite and again on PostgreSQL, while a run
that measures a change to the read path needs the same data, not new data. A kept data set
lies in DIR beside a stamp saying what made it: the scale, the seed, and a digest of the
generator, the fixtures, their loader and the migrations. It is used again only while the
stamp still matches; data that another generator or schema made is made afresh, never reused
silently. The stamp is written last, so an interrupted generation is never taken for a whole
one.
"""

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.settings import PROJECT_ROOT

# What decides the rows a generation leaves behind.
MADE_BY = (
    "bench/generate.py",
    "api/fixtures.py",
    "api/migrations/versions",
    "fixtures",
)


def made_by() -> str:
    """A digest of every file that decides a generated data set's rows."""
    digest = hashlib.sha256()
    for name in MADE_BY:
        root = PROJECT_ROOT / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class KeptDataSet:
    """One back end's data set of one scale and seed, in a directory of kept data sets."""

    directory: Path
    backend: str
    scale: str
    seed: int

    @property
    def home(self) -> Path:
        """The SQLite file's stem, or the PostgreSQL cluster's directory."""
        return self.directory / f"{self.backend}-{self.scale}-{self.seed}"

    @property
    def sqlite_file(self) -> Path:
        return self.home.with_name(f"{self.home.name}.db")

    @property
    def stamp(self) -> Path:
        return self.directory / f"{self.home.name}.stamp.json"

    def _wanted(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "scale": self.scale,
            "seed": self.seed,
            "made_by": made_by(),
        }

    def reusable(self) -> dict[str, Any] | None:
        """What the kept data set's generation reported (rows and seconds), marked reused,
        if it is whole and made as now."""
        try:
            stamp: dict[str, Any] = json.loads(self.stamp.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        wanted = self._wanted()
        if {key: stamp.get(key) for key in wanted} != wanted:
            return None
        return {"rows": stamp["rows"], "seconds": stamp["seconds"], "reused": True}

    def forget(self) -> None:
        """Drop the stamp first, then the data: a half-removed set is never reusable."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.stamp.unlink(missing_ok=True)
        if self.home.is_dir():
            shutil.rmtree(self.home)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)

    def remember(self, generated: dict[str, Any]) -> None:
        """Stamp the data set whole, with what its generation reported."""
        stamp = {**self._wanted(), **generated}
        self.stamp.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


__all__ = ["KeptDataSet", "made_by"]
