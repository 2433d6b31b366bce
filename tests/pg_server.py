"""A throwaway PostgreSQL cluster on 127.0.0.1 for the test session (and benchmarks)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from glob import glob
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (initdb, pg_ctl)."""


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's versioned folders."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    for candidate in sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    raise PostgresUnavailable("initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class PostgresServer:
    port: int
    user: str
    # What stop() and start() need; only the fault benchmark stops a server mid-run.
    control: Callable[[str], None] | None = None

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Shut the server down (fast: clients are disconnected), keeping its data."""
        assert self.control is not None
        self.control("stop")

    def start(self) -> None:
        """Start it again on the same port and data, returning once it accepts connections."""
        assert self.control is not None
        self.control("start")


@contextmanager
def postgres_server(
    settings: Mapping[str, str] | None = None, keep: Path | None = None
) -> Iterator[PostgresServer]:
    """Start a fresh cluster (trust auth, loopback only, fsync off), stop and delete it after.

    `settings` are extra server settings (`-c name=value`), such as the benchmark's
    `shared_preload_libraries`. PostgreSQL refuses to run as root, so as root the cluster
    runs as the `postgres` user. With `keep`, the cluster lives in that directory instead: it
    is started on the data already there, if any, and stopped cleanly but not deleted after
    (the benchmark's kept data sets).
    """
    bindir = find_bindir()
    owner: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root, and no `postgres` user to run as") from None
        owner = "postgres"
    root = keep if keep is not None else Path(tempfile.mkdtemp(prefix="silkgraph-pg-"))
    root.mkdir(parents=True, exist_ok=True)
    data, sockets = root / "data", root / "sock"
    sockets.mkdir(exist_ok=True)
    if owner:
        shutil.chown(root, owner)
        shutil.chown(sockets, owner)

    def run(program: str, *args: str) -> None:
        subprocess.run(
            [str(bindir / program), *args],
            check=True,
            capture_output=True,
            user=owner,
            group=owner,
            extra_groups=[] if owner else None,
        )

    port = free_port()
    user = "silkgraph"
    if not (data / "PG_VERSION").exists():
        run("initdb", "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    options = f"-h 127.0.0.1 -p {port} -k {sockets} -F -c max_connections=200"
    options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())

    def control(action: str) -> None:
        if action == "start":
            run("pg_ctl", "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start")
        else:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")

    control("start")
    try:
        yield PostgresServer(port=port, user=user, control=control)
    finally:
        try:
            run("pg_ctl", "-D", str(data), "-m", "fast" if keep else "immediate", "stop")
        finally:
            if keep is None:
                shutil.rmtree(root, ignore_errors=True)


__all__ = ["PostgresServer", "PostgresUnavailable", "postgres_server"]
