"""CPU per request of one query in process: resolvers, compiled the whole way, front door.

The application is driven through httpx's ASGI transport (or, with `--asgi`, called
directly, so not even the client's CPU counts), so the number is the server's own work (HTTP
stack, GraphQL, SQL, encoding) without a network or a load generator sharing the cores;
`time.process_time()` counts this process only, which keeps the measurement usable on a busy
machine. `--profile` prints cProfile's top entries for the compiled path.

    .venv/bin/python -m bench.compiled_cpu --database-url sqlite+aiosqlite:///var/silkgraph.db
"""

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from typing import Any

import httpx
import orjson

from api.app import create_app
from api.settings import get_settings
from bench.queries import BENCHMARK
from tests.asgi import json_post_scope

# The resolvers; the compiled path the whole way (the lean lane inside FastAPI's route); and
# the front door (api/front_door.py), which answers a known compiled read before FastAPI.
VARIANTS = (
    ("resolvers", {"compiled_reads": False, "front_door": False}),
    ("compiled, whole way", {"compiled_reads": True, "front_door": False}),
    ("compiled, front door", {"compiled_reads": True, "front_door": True}),
)


async def measure(
    url: str,
    query: str,
    variables: dict[str, object],
    requests: int,
    *,
    variants: tuple[tuple[str, dict[str, bool]], ...] = VARIANTS,
    asgi: bool = False,
) -> None:
    settings = get_settings().model_copy(update={"database_url": url, "rate_limit_enabled": False})
    payload = {"query": query, "variables": variables}
    for label, changes in variants:
        app = create_app(settings.model_copy(update=changes))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(20):
                await post(app, client, payload, asgi=asgi)
            started = time.process_time()
            for _ in range(requests):
                timing = await post(app, client, payload, asgi=asgi)
            per_request = (time.process_time() - started) / requests * 1000
            path = timing.split(";")[0]
            print(f"{label} ({path or 'refused'}): {per_request:.2f} ms CPU per request")
        await app.state.engine.dispose()


async def post(app: Any, client: httpx.AsyncClient, payload: object, *, asgi: bool) -> str:
    """One request; the Server-Timing of its answer (which path answered)."""
    if asgi:
        return await post_asgi(app, orjson.dumps(payload))
    response = await client.post("/graphql", json=payload)
    timing: str = response.headers.get("server-timing", "")
    return timing


async def post_asgi(app: Any, body: bytes) -> str:
    """POST `body` to /graphql by calling the ASGI application itself: no client's CPU in
    the count, only the server's. The Server-Timing of the answer."""
    scope = json_post_scope("/graphql", body)
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    timing = b""

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # the client never leaves
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        nonlocal timing
        if message["type"] == "http.response.start":
            timing = dict(message["headers"]).get(b"server-timing", b"")

    await app(scope, receive, send)
    return timing.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--query", default="b", help="a benchmark query: a, b, c or d")
    parser.add_argument("--variables", default='{"recipient": "KGZ"}', help="as JSON")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--asgi", action="store_true", help="call the ASGI app directly (no httpx client)"
    )
    parser.add_argument("--compiled-only", action="store_true", help="skip the resolvers")
    arguments = parser.parse_args()
    query = next(q for q in BENCHMARK if q.name == arguments.query).silkgraph
    run = measure(
        arguments.database_url,
        query,
        json.loads(arguments.variables),
        arguments.requests,
        variants=VARIANTS[1:] if arguments.compiled_only else VARIANTS,
        asgi=arguments.asgi,
    )
    if not arguments.profile:
        asyncio.run(run)
        return
    profile = cProfile.Profile()
    profile.runcall(asyncio.run, run)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
