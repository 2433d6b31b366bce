"""Documents parsed and validated once: what depends on each request still runs on each one."""

from typing import Any

import httpx
from graphql import parse

from api.settings import Settings
from schema.caching import DocumentCache
from tests.graphql import client_for, post

STATES = "query ($n: Int) { states(first: $n) { edges { node { code } } } }"
STATE = "query ($code: String!) { state(code: $code) { name } }"


async def test_a_known_document_is_still_costed_with_its_variables(settings: Settings) -> None:
    async with client_for(settings, max_query_cost=101) as client:
        # given the document was parsed and validated once
        allowed = await post(client, STATES, {"n": 99})

        # when the same text asks for more
        refused = await post(client, STATES, {"n": 100})
        again = await post(client, STATES, {"n": 2})

    # then
    assert "errors" not in allowed
    assert allowed["extensions"]["cost"] == {"requested": 101, "limit": 101}
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert refused["errors"][0]["extensions"]["cost"] == {"requested": 102, "limit": 101}
    assert again["extensions"]["cost"] == {"requested": 4, "limit": 101}


async def test_a_known_document_still_refuses_unstorable_variables(
    client: httpx.AsyncClient,
) -> None:
    first = await post(client, STATE, {"code": "KAZ"})

    refused = await post(client, STATE, {"code": "KA\x00Z"})

    assert first["data"] == {"state": {"name": "Kazakhstan"}}
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_invalid_document_fails_the_same_way_every_time(
    client: httpx.AsyncClient,
) -> None:
    answers: list[dict[str, Any]] = [
        await post(client, "{ state(code: 1) { nickname } }") for _ in range(3)
    ]

    assert answers[0] == answers[1] == answers[2]
    codes = [e["extensions"]["code"] for e in answers[0]["errors"]]
    assert codes == ["GRAPHQL_VALIDATION_FAILED"] * 2


def test_the_cache_forgets_the_least_recently_used_and_skips_long_texts() -> None:
    cache = DocumentCache(max_entries=2, max_text=40)
    a, b, c = "{ a }", "{ b }", "{ c }"
    for text in (a, b):
        cache.keep_document(text, (), parse("{ __typename }"))
        cache.keep_valid(text)

    assert cache.document(a, ()) is not None  # a is now the most recent
    assert cache.is_valid(a)
    cache.keep_document(c, (), parse("{ __typename }"))
    cache.keep_valid(c)
    cache.keep_valid("{ " + "x " * 40 + "}")

    assert cache.document(b, ()) is None
    assert not cache.is_valid(b)
    assert cache.document(a, ()) is not None
    assert cache.document(a, (("max_tokens", 5),)) is None  # another parser budget
    assert list(cache.valid) == [a, c]
