"""Sustained load: N concurrent clients for D seconds against a mix of the example queries,
on PostgreSQL with W uvicorn workers. Zero errors expected; p50/p99 reported.

    .venv/bin/python -m bench.load --clients 64 --duration 60 --workers 2 \\
        --out docs/bench/load.json

The clients run in a process of their own (`drive`, started by this one), apart from the
server's workers: on a 2-core machine all three share the cores, so the numbers are the
machine's, not the server's alone. Each client has its own API key, so the rate limiter is on
the path (as in production) without one loopback address throttling all 64.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

from bench.common import Latencies, dump, error_codes, example_queries, stack

WARM_UP = 3.0  # seconds of load before measuring, so connection pools are full


async def _client(
    http: httpx.AsyncClient,
    url: str,
    number: int,
    queries: list[tuple[str, str]],
    start: float,
    stop: float,
    latencies: dict[str, Latencies],
    outcomes: Counter[str],
) -> None:
    position = number  # clients start at different queries of the mix
    headers = {"X-API-Key": f"load-{number}"}
    while (now := time.monotonic()) < stop:
        name, query = queries[position % len(queries)]
        position += 1
        began = time.monotonic()
        try:
            response = await http.post(url, json={"query": query}, headers=headers)
            body = response.json()
            codes = error_codes(body)
            outcome = (
                "ok"
                if response.status_code == 200 and not codes
                else (f"{response.status_code} {','.join(codes) or 'no data'}")
            )
        except (httpx.HTTPError, ValueError) as error:
            outcome = f"transport {type(error).__name__}"
        elapsed = time.monotonic() - began
        if now >= start:
            outcomes[outcome] += 1
            latencies["all"].add(elapsed)
            latencies[name].add(elapsed)


async def drive(url: str, clients: int, duration: float) -> dict[str, Any]:
    """Run the clients; return what they saw."""
    queries = list(example_queries().items())
    latencies: dict[str, Latencies] = defaultdict(Latencies)
    outcomes: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        begin = time.monotonic()
        start, stop = begin + WARM_UP, begin + WARM_UP + duration
        await asyncio.gather(
            *(
                _client(http, url, i, queries, start, stop, latencies, outcomes)
                for i in range(clients)
            )
        )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = sum(outcomes.values())
    return {
        "clients": clients,
        "duration_s": duration,
        "requests": total,
        "throughput_rps": round(total / duration, 1),
        "errors": total - outcomes["ok"],
        "outcomes": dict(outcomes),
        "latency": {name: lat.summary() for name, lat in sorted(latencies.items())},
        "load_generator_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
    }


def run(clients: int, duration: float, workers: int, out: Path | None) -> dict[str, Any]:
    keys = [f"load-{i}" for i in range(clients)]
    settings = {
        "api_keys": json.dumps(keys),
        "rate_limit_per_second": "1000",
        "rate_limit_burst": "1000",
    }
    workdir = Path(os.environ.get("BENCH_WORKDIR", "/tmp/silkgraph-bench-load"))
    with stack(workdir, workers=workers, settings=settings) as running:
        load_before = os.getloadavg()
        driven = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.load",
                "drive",
                running.graphql,
                "--clients",
                str(clients),
                "--duration",
                str(duration),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + WARM_UP + 120,
        )
    results: dict[str, Any] = {
        "backend": "postgresql",
        "workers": workers,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        **json.loads(driven.stdout),
    }
    dump(results, out)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "drive"])
    parser.add_argument("url", nargs="?", help="for `drive`: the GraphQL endpoint")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="also write the results (JSON) here")
    arguments = parser.parse_args()
    if not 1 <= arguments.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if arguments.mode == "drive":
        if not arguments.url or not arguments.url.startswith("http://127.0.0.1:"):
            parser.error("drive only loads a server on 127.0.0.1")
        print(json.dumps(asyncio.run(drive(arguments.url, arguments.clients, arguments.duration))))
        return
    results = run(arguments.clients, arguments.duration, arguments.workers, arguments.out)
    if results["errors"]:
        sys.exit(f"{results['errors']} requests failed")


if __name__ == "__main__":
    main()
