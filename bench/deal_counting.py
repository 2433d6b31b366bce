"""What counting each deal once costs: the same requests with `records: ONE_PER_DEAL` (the
default, one NOT EXISTS on `deal_key` per row) and `records: EVERY_RECORD` (no such term).

In process through httpx's ASGI transport, over a database holding the paper and a whole SIPRI
release; wall-clock medians, so run it under `nice` on a machine as quiet as you can get, after
`silkgraph import sipri …`:

    nice .venv/bin/python -m bench.deal_counting --database-url sqlite+aiosqlite:///var/x.db
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

from api.app import create_app
from api.settings import get_settings

REQUESTS = {
    "count every deal": "query ($f: ArmsTransferFilter) { armsTransfers(filter: $f) "
    "{ totalCount } }",
    "first 100 deals": "query ($f: ArmsTransferFilter) { armsTransfers(first: 100, filter: $f) "
    "{ edges { node { key } } } }",
    "stats by supplier and recipient": "query ($f: ArmsTransferFilter) { armsTransferStats("
    "groupBy: [SUPPLIER, RECIPIENT], filter: $f, limit: 10000) { buckets { count } } }",
    "diversification of every recipient": "query ($f: ArmsTransferFilter) { "
    "armsSupplierDiversification(filter: $f) { deals } }",
}
EXPORT = "/export/arms-transfers.csv"
MODES = ("ONE_PER_DEAL", "EVERY_RECORD")


async def measure(url: str, runs: int) -> None:
    settings = get_settings().model_copy(update={"database_url": url, "rate_limit_enabled": False})
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def median_ms(send: Callable[[], Awaitable[str]]) -> tuple[float, str]:
            """Median wall-clock ms (PostgreSQL works outside this process), and the answer."""
            times, answer = [], ""
            for _ in range(runs):
                started = time.perf_counter()
                answer = await send()
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times), answer

        print(f"median ms over {runs} runs | {' | '.join(MODES)} | ratio")
        for name, query in REQUESTS.items():
            found = []
            for mode in MODES:

                async def ask(query: str = query, mode: str = mode) -> str:
                    body = {"query": query, "variables": {"f": {"records": mode}}}
                    response = await client.post("/graphql", json=body)
                    assert "errors" not in response.json(), response.text
                    return str(len(response.text))

                await ask()
                found.append(await median_ms(ask))
            (one, _), (every, _) = found
            print(f"{name} | {one:.1f} | {every:.1f} | {one / every:.2f}")
        found = []
        for mode in MODES:

            async def export(mode: str = mode) -> str:
                response = await client.get(f"{EXPORT}?records={mode}")
                return str(response.text.count("\n") - 1)

            found.append(await median_ms(export))
        (one, rows_one), (every, rows_every) = found
        print(
            f"CSV export of every deal ({rows_one} rows / {rows_every} rows) | {one:.1f} | "
            f"{every:.1f} | {one / every:.2f}"
        )
    await app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=10)
    arguments = parser.parse_args()
    asyncio.run(measure(arguments.database_url, arguments.runs))


if __name__ == "__main__":
    main()
