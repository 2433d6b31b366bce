"""How soon the explorer draws the largest network of the default data: a bounded benchmark.

Serves a fresh SQLite database with the paper's data (what `make serve` loads) on 127.0.0.1,
finds the actor whose network is largest (most actors, then ties) at each depth the explorer
offers, and opens `/explore?actor=…&depth=…` in headless Chromium with other hosts blocked,
a fresh page each run. It reads two marks the page sets, both from navigation start: the
graph painted once by cytoscape.js, and everything drawn (graph, timeline, memberships,
suppliers).

    .venv/bin/python -m bench.explorer_paint [--runs 5]

Results are written down in docs/BENCHMARKS.md.
"""

import argparse
import statistics
import tempfile
from pathlib import Path
from typing import Any

import httpx

from tests.browser import offline_page
from tests.live import live_server

ACTORS = """query ($after: String) {
  %s(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } }
}"""
NETWORK = """query ($center: String!, $depth: Int!) {
  network(center: $center, depth: $depth, maxNodes: 400) { nodes { label } edges { kind } }
}"""


def _ask(base: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = httpx.post(
        f"{base}/graphql", json={"query": query, "variables": variables}, timeout=60
    ).json()
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


def actor_ids(base: str) -> list[str]:
    found = []
    for connection in ("states", "organisations", "people", "companies", "nonStateActors"):
        after = None
        while True:
            page = _ask(base, ACTORS % connection, after=after)[connection]
            found += [edge["node"]["id"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    return found


def by_size(base: str, ids: list[str], depth: int) -> list[tuple[int, int, str, str]]:
    """(actors, ties, label, id) of each actor's network at `depth`, largest first."""
    sizes = []
    for actor in ids:
        network = _ask(base, NETWORK, center=actor, depth=depth)["network"]
        nodes, edges = network["nodes"], network["edges"]
        sizes.append((len(nodes), len(edges), nodes[0]["label"], actor))
    return sorted(sizes, reverse=True)


def paint(base: str, actor: str, depth: int, runs: int) -> tuple[list[float], list[float]]:
    painted, ready = [], []
    with offline_page() as browsing:
        for _ in range(runs):
            page = browsing.page
            page.goto(f"{base}/explore?actor={actor}&depth={depth}")
            page.wait_for_selector("#status[data-state=ready]", timeout=60_000)
            painted.append(page.evaluate("explorer.firstPaint"))
            ready.append(page.evaluate("explorer.ready"))
        assert browsing.blocked == [], browsing.blocked
    return painted, ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'default.db'}"
        with live_server(url, ready_within=300, settings={"rate_limit_enabled": "false"}) as base:
            first = by_size(base, actor_ids(base), 1)
            # Deeper networks only around the ten largest at depth 1, which hold the others.
            top = [actor for *_, actor in first[:10]]
            print(
                "| depth | centre | actors | ties | graph painted (median, max) "
                "| all drawn (median, max) |"
            )
            print("| --- | --- | --- | --- | --- | --- |")
            for depth in (1, 2, 3):
                nodes, edges, label, actor = (first if depth == 1 else by_size(base, top, depth))[0]
                painted, ready = paint(base, actor, depth, args.runs)
                print(
                    f"| {depth} | {label} | {nodes} | {edges} "
                    f"| {statistics.median(painted):.0f} ms, {max(painted):.0f} ms "
                    f"| {statistics.median(ready):.0f} ms, {max(ready):.0f} ms |"
                )


if __name__ == "__main__":
    main()
