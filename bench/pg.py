"""A throwaway PostgreSQL cluster on 127.0.0.1 for benchmarks, as the tests start one.

    python bench/pg.py [--seconds 3600] [--database NAME]

Prints a DATABASE_URL for a new, empty database NAME, then keeps the cluster up until
Ctrl-C or until --seconds have passed, and deletes it. fsync is off: numbers taken against
it measure silkgraph, not the disk.
"""

import argparse
import asyncio
import time

import asyncpg

from tests.pg_server import postgres_server


async def _create(port: int, user: str, database: str) -> None:
    admin = await asyncpg.connect(host="127.0.0.1", port=port, user=user, database="postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3600)
    parser.add_argument("--database", default="silkgraph")
    args = parser.parse_args()
    with postgres_server() as server:
        asyncio.run(_create(server.port, server.user, args.database))
        print(server.url(args.database), flush=True)
        try:
            time.sleep(max(1, args.seconds))
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
