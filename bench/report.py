"""bench/run.py's results as Markdown tables, and their place in docs/BENCHMARKS.md.

Pure functions of the results (a JSON-ready dict), so the tables can be re-rendered from a
saved run (`python -m bench.run --render docs/bench/run-small.json`) and tested without one.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Results = dict[str, Any]
Row = dict[str, Any]

BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SERVERS = {"silkgraph": "silkgraph", "postgraphile": "PostGraphile"}


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} ms"


def _statements(row: Row) -> str:
    count = row.get("statements")
    if count is None:
        return "—"
    text = f"{count:g}" if float(count).is_integer() else f"{count:.2f}"
    depth = row.get("depth")
    if depth is not None and row["server"] == "silkgraph":
        text += f" (≤ {depth + 1})"
    return text


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _skipped(row: Row) -> bool:
    return bool(row.get("skipped"))


def measurement_table(results: Results, server: str) -> list[str]:
    """Every measurement of one server: back end, workers, query, concurrency, the numbers."""
    rows = []
    for row in results["measurements"]:
        if row["server"] != server:
            continue
        where = [BACKENDS[row["backend"]], str(row["workers"]), row["query"], str(row["clients"])]
        if _skipped(row):
            rows.append([*where, f"skipped: {row['skipped']}", "", "", "", "", ""])
            continue
        rows.append(
            [
                *where,
                _number(row["rps"]),
                _ms(row["p50_ms"]),
                _ms(row["p95_ms"]),
                _ms(row["p99_ms"]),
                _statements(row),
                str(row["failed"]),
            ]
        )
    header = ["back end", "workers", "query", "clients", "req/s", "p50", "p95", "p99"]
    return _table([*header, "SQL statements / request", "failed"], rows)


def _key(row: Row) -> tuple[str, int, str, int]:
    return row["backend"], row["workers"], row["query"], row["clients"]


def comparisons(results: Results) -> list[Row]:
    """silkgraph and PostGraphile side by side, per query they both answered."""
    theirs = {
        _key(row): row
        for row in results["measurements"]
        if row["server"] == "postgraphile" and not _skipped(row)
    }
    pairs = []
    for ours in results["measurements"]:
        if ours["server"] != "silkgraph" or _skipped(ours) or _key(ours) not in theirs:
            continue
        other = theirs[_key(ours)]
        pairs.append(
            {
                "workers": ours["workers"],
                "query": ours["query"],
                "clients": ours["clients"],
                "silkgraph": ours,
                "postgraphile": other,
                "ratio": ours["rps"] / other["rps"] if other["rps"] else None,
            }
        )
    return pairs


def comparison_table(results: Results) -> list[str]:
    rows = []
    for pair in comparisons(results):
        ours, other = pair["silkgraph"], pair["postgraphile"]
        same = other.get("same_answer")
        rows.append(
            [
                str(pair["workers"]),
                pair["query"],
                str(pair["clients"]),
                _number(ours["rps"]),
                _number(other["rps"]),
                _number(pair["ratio"], 2),
                _ms(ours["p99_ms"]),
                _ms(other["p99_ms"]),
                f"{_statements(ours)} / {_statements(other)}",
                "—" if same is None else ("yes" if same else "**no**"),
            ]
        )
    header = ["workers", "query", "clients", "silkgraph req/s", "PostGraphile req/s"]
    header += ["ratio", "silkgraph p99", "PostGraphile p99", "SQL / request", "same answer"]
    return _table(header, rows)


def memory_table(results: Results) -> list[str]:
    rows = [
        [
            SERVERS[server["server"]],
            BACKENDS[server["backend"]],
            str(server["workers"]),
            ", ".join(f"{mib:,.0f}" for mib in server["peak_rss_mib"]),
        ]
        for server in results["servers"]
    ]
    return _table(["server", "back end", "workers", "peak RSS per worker (MiB)"], rows)


def import_table(results: Results) -> list[str]:
    rows = [
        [
            BACKENDS[run["backend"]],
            f"{run['deals']:,}",
            f"{run['first_seconds']:.2f} s ({run['first_rate']:,.0f} deals/s)",
            f"{run['again_seconds']:.2f} s ({run['again_rate']:,.0f} deals/s)",
        ]
        for run in results.get("imports", [])
    ]
    return _table(["back end", "deals", "first import", "re-import (nothing changes)"], rows)


def render(results: Results) -> str:
    """The Markdown that bench/run.py puts into docs/BENCHMARKS.md for one run."""
    meta = results["meta"]
    low, high = meta["load_average"]
    lines = [
        f"Run of {meta['date']}: scale `{meta['scale']}` (seed {meta['seed']}; "
        f"{meta['transfers']:,} transfers, busiest recipient `{meta['recipient']}` with "
        f"{meta['recipient_transfers']:,}, state `{meta['state']}` with "
        f"{meta['state_memberships']} memberships), {meta['duration']:g} s per measurement "
        f"after {meta['warmup']:g} s of warm-up, {meta['cores']} cores, load average "
        f"(1 min) {low:.1f}–{high:.1f} during the run.",
        "",
        "```sh",
        meta["command"],
        "```",
        "",
        f"Versions: {meta['versions']}.",
        "",
        "silkgraph:",
        "",
        *measurement_table(results, "silkgraph"),
    ]
    if any(row["server"] == "postgraphile" for row in results["measurements"]):
        lines += [
            "",
            "PostGraphile (same PostgreSQL, same data):",
            "",
            *measurement_table(results, "postgraphile"),
            "",
            "Side by side (ratio = silkgraph req/s ÷ PostGraphile req/s):",
            "",
            *comparison_table(results),
        ]
    lines += ["", "Peak resident memory of each worker process over the run:", ""]
    lines += memory_table(results)
    if results.get("imports"):
        lines += ["", "SIPRI import of the real edition (fixtures loaded first):", ""]
        lines += import_table(results)
    return "\n".join(lines) + "\n"


def _markers(scale: str) -> tuple[str, str]:
    return (
        f"<!-- bench/run.py --scale {scale}: begin (generated, do not edit) -->",
        f"<!-- bench/run.py --scale {scale}: end -->",
    )


def write_section(doc: Path, scale: str, markdown: str) -> None:
    """Replace the run's section of `doc` (between its markers), or append one."""
    begin, end = _markers(scale)
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    block = f"{begin}\n{markdown}{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    doc.write_text(text, encoding="utf-8")
