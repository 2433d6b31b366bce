"""A real `silkgraph serve` process on 127.0.0.1, for checks that need a live server (the
GraphQL-over-HTTP audit, schemathesis) and for the load and fault benchmarks."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from tests.pg_server import free_port

SILKGRAPH = str(Path(sys.executable).parent / "silkgraph")


class ServerFailed(RuntimeError):
    """The server did not come up; its output says why."""


@contextmanager
def live_server(
    database_url: str,
    *,
    workers: int = 1,
    log: Path | None = None,
    ready_within: float = 60.0,
    settings: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Serve `database_url` until the block ends; yields the base URL once /healthz is 200.

    `settings` are SILKGRAPH_* variables without the prefix (`rate_limit_enabled: false`).
    """
    with live_process(
        database_url, workers=workers, log=log, ready_within=ready_within, settings=settings
    ) as (base, _process):
        yield base


@contextmanager
def live_process(
    database_url: str,
    *,
    workers: int = 1,
    log: Path | None = None,
    ready_within: float = 60.0,
    settings: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, "subprocess.Popen[bytes]"]]:
    """As `live_server`, also yielding the `silkgraph serve` process (whose workers the
    benchmark measures)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SILKGRAPH_HOST": "127.0.0.1",
        "SILKGRAPH_PORT": str(port),
        "SILKGRAPH_WORKERS": str(workers),
        **{f"SILKGRAPH_{name.upper()}": value for name, value in (settings or {}).items()},
    }
    with ExitStack() as stack:
        output = stack.enter_context(open(log, "wb")) if log else subprocess.DEVNULL
        process = subprocess.Popen([SILKGRAPH, "serve"], env=env, stdout=output, stderr=output)
        try:
            _wait_until_ready(process, f"http://127.0.0.1:{port}", ready_within)
            yield f"http://127.0.0.1:{port}", process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], base: str, within: float) -> None:
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"silkgraph serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise ServerFailed(f"silkgraph serve did not answer within {within} s")
        time.sleep(0.1)
