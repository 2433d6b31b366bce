"""Checks schemathesis runs on every answer of the live server (SCHEMATHESIS_HOOKS=this)."""

import json
from typing import Any

import schemathesis

# A fuzzed operation may be refused or find nothing, but never meet an error of ours.
HONEST_CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_COMPLEX",
    "QUERY_TOO_DEEP",
    "BAD_REQUEST",
}
LEAKS = ["select ", "sqlalchemy", "sqlite", "asyncpg", "traceback", '.py"', "/work/"]


@schemathesis.check
def errors_are_coded_and_ours_are_absent(ctx: Any, response: Any, case: Any) -> None:
    """Every error has extensions.code, none is an unexpected (masked) error, none leaks."""
    body = response.json()
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            raise AssertionError(f"an error without extensions.code: {error}")
        if code not in HONEST_CODES:
            raise AssertionError(f"an error of ours ({code}): {error}")
    text = json.dumps(errors).lower()
    leaked = [leak for leak in LEAKS if leak in text]
    if leaked:
        raise AssertionError(f"an error mentions {leaked}: {errors}")
