"""The statements the compiled path sends through the single reader, and PostgreSQL's plans of
one as that reader runs it: prepared, then planned for its values or once for all of them.

The plan tests of the count-once rule and of the page limit read these plans, because a
prepared statement's generic plan is the one the app ends up running, and it is blind to the
values that `EXPLAIN` of the statement with its values written in would show.
"""

import json
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection


def sent_statements(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, list[Any]]]:
    """A list that gathers each statement the client's single reader runs, with its values."""
    reader = client.app.state.single_read  # type: ignore[attr-defined]
    sent: list[tuple[str, list[Any]]] = []
    run = reader._run

    async def caught(sql: str, positional: list[Any]) -> Any:
        sent.append((sql, list(positional)))
        return await run(sql, positional)

    monkeypatch.setattr(reader, "_run", caught)
    return sent


def _literal(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise AssertionError(f"no literal for {value!r} here")
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


async def prepared_plan(
    connection: AsyncConnection, statement: str, values: list[Any], mode: str
) -> dict[str, Any]:
    """PostgreSQL's plan of `statement` prepared, under `plan_cache_mode = mode`."""
    await connection.exec_driver_sql(f"SET plan_cache_mode = {mode}")
    name = f"planned_{mode}"  # one per mode: a connection's asyncpg statements stay
    await connection.exec_driver_sql(f"PREPARE {name} AS {statement}")
    arguments = ", ".join(_literal(v) for v in values)
    explained = await connection.exec_driver_sql(
        f"EXPLAIN (FORMAT JSON) EXECUTE {name}({arguments})"
    )
    [[document]] = explained.all()
    plan: dict[str, Any] = (json.loads(document) if isinstance(document, str) else document)[0][
        "Plan"
    ]
    return plan


__all__ = ["prepared_plan", "sent_statements"]
