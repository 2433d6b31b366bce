"""CPU per request of one query in process: resolvers, compiled the whole way, front door.

The application is driven through httpx's ASGI transport, so the number is the server's own
work (HTTP stack, GraphQL, SQL, encoding) without a network or a load generator sharing the
cores; `time.process_time()` counts this process only, which keeps the measurement usable on
a busy machine. `--profile` prints cProfile's top entries for the compiled path.

    .venv/bin/python -m bench.compiled_cpu --database-url sqlite+aiosqlite:///var/silkgraph.db
"""

import argparse
import asyncio
import cProfile
import json
import pstats
import time

import httpx

from api.app import create_app
from api.settings import get_settings
from bench.queries import BENCHMARK

# The resolvers; the compiled path the whole way (the lean lane inside FastAPI's route); and
# the front door (api/front_door.py), which answers a known compiled read before FastAPI.
VARIANTS = (
    ("resolvers", {"compiled_reads": False, "front_door": False}),
    ("compiled, whole way", {"compiled_reads": True, "front_door": False}),
    ("compiled, front door", {"compiled_reads": True, "front_door": True}),
)


async def measure(url: str, query: str, variables: dict[str, object], requests: int) -> None:
    settings = get_settings().model_copy(update={"database_url": url, "rate_limit_enabled": False})
    payload = {"query": query, "variables": variables}
    for label, changes in VARIANTS:
        app = create_app(settings.model_copy(update=changes))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(20):
                await client.post("/graphql", json=payload)
            started = time.process_time()
            for _ in range(requests):
                response = await client.post("/graphql", json=payload)
            per_request = (time.process_time() - started) / requests * 1000
            path = response.headers.get("server-timing", "").split(";")[0]
            print(f"{label} ({path or 'refused'}): {per_request:.2f} ms CPU per request")
        await app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--query", default="b", help="a benchmark query: a, b, c or d")
    parser.add_argument("--variables", default='{"recipient": "KGZ"}', help="as JSON")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    query = next(q for q in BENCHMARK if q.name == arguments.query).silkgraph
    run = measure(
        arguments.database_url, query, json.loads(arguments.variables), arguments.requests
    )
    if not arguments.profile:
        asyncio.run(run)
        return
    profile = cProfile.Profile()
    profile.runcall(asyncio.run, run)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
