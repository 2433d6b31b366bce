"""Apollo's automatic persisted queries, over HTTP as Apollo clients speak them: a hash alone,
PersistedQueryNotFound, the hash with its text, then the hash alone again, by POST and GET."""

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from cross_web import HTTPException
from strawberry.http import GraphQLRequestData

from api.persisted_queries import PersistedQueries, PersistedQueryMiss
from api.settings import PROJECT_ROOT, Settings
from tests.graphql import client_for
from tests.live import live_server
from tests.node import npm_project

APOLLO = PROJECT_ROOT / "tests" / "apollo_client"

MEMBERS = """query OtsMembers($year: Int!) {
  organisation(acronym: "OTS") {
    members(asOf: $year, role: MEMBER) { member { ... on State { code } } }
  }
}"""
MEMBERS_HASH = hashlib.sha256(MEMBERS.encode()).hexdigest()
VARIABLES = {"year": 2025}


def _persisted(digest: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def _codes(members: dict[str, Any]) -> list[str]:
    return [m["member"]["code"] for m in members["data"]["organisation"]["members"]]


async def _post(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/graphql", json=body)


async def _get(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    # Apollo's link sends GETs with Accept: */*; JSON values travel as JSON in the query string.
    params = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in body.items()}
    return await client.get("/graphql", params=params, headers={"accept": "*/*"})


async def test_an_unknown_hash_asks_for_the_text_then_the_hash_alone_runs_it(
    client: httpx.AsyncClient,
) -> None:
    by_hash = {"variables": VARIABLES, "extensions": _persisted(MEMBERS_HASH)}

    missing = await _post(client, by_hash)
    registered = await _post(client, {**by_hash, "query": MEMBERS})
    again = await _post(client, {**by_hash, "variables": {"year": 2017}})
    by_get = await _get(client, by_hash)

    assert missing.status_code == 200
    assert missing.json()["errors"] == [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
    assert "data" not in missing.json() or missing.json()["data"] is None
    assert missing.headers["cache-control"] == "private, no-cache, must-revalidate"
    assert _codes(registered.json()) == ["AZE", "KAZ", "KGZ", "TUR", "UZB"]
    assert _codes(again.json()) == []  # its own variables: the paper attests them in 2025
    assert by_get.status_code == 200
    assert by_get.headers["content-type"].startswith("application/json")
    assert _codes(by_get.json()) == _codes(registered.json())


async def test_not_found_is_200_under_graphql_response_json_too(
    client: httpx.AsyncClient,
) -> None:
    # Apollo Client 4 asks for application/graphql-response+json first; Apollo Server still
    # answers these 200, and the persisted-queries link expects it.
    answer = await client.post(
        "/graphql",
        json={"extensions": _persisted(MEMBERS_HASH)},
        headers={"accept": "application/graphql-response+json,application/json;q=0.9"},
    )

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/graphql-response+json")
    assert answer.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }


async def test_the_text_can_be_registered_by_get_too(client: httpx.AsyncClient) -> None:
    query = '{ state(code: "UZB") { name } }'
    digest = hashlib.sha256(query.encode()).hexdigest()

    first = await _get(client, {"extensions": _persisted(digest)})
    registered = await _get(client, {"query": query, "extensions": _persisted(digest)})
    again = await _get(client, {"extensions": _persisted(digest)})

    assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert registered.json()["data"] == again.json()["data"] == {"state": {"name": "Uzbekistan"}}


async def test_a_hash_that_is_not_its_texts_is_refused_and_nothing_runs_or_is_kept(
    client: httpx.AsyncClient,
) -> None:
    other = hashlib.sha256(b"{ __typename }").hexdigest()

    refused = await _post(
        client, {"query": MEMBERS, "variables": VARIABLES, "extensions": _persisted(other)}
    )
    afterwards = await _post(client, {"variables": VARIABLES, "extensions": _persisted(other)})

    assert refused.status_code == 400
    [error] = refused.json()["errors"]
    assert error["message"] == "provided sha does not match query"
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "data" not in refused.json()
    assert afterwards.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_malformed_persisted_query_extensions_are_refused(client: httpx.AsyncClient) -> None:
    unsupported = await _post(client, {"extensions": _persisted(MEMBERS_HASH, version=2)})
    short = await _post(client, {"extensions": _persisted("abc123")})
    not_an_object = await _post(client, {"extensions": {"persistedQuery": "yes"}})

    assert unsupported.status_code == 200
    assert unsupported.json()["errors"] == [
        {
            "message": "PersistedQueryNotSupported",
            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
        }
    ]
    for answer in (short, not_an_object):
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "persistedQuery" in answer.json()["errors"][0]["message"]


async def test_a_text_that_does_not_validate_is_not_kept(client: httpx.AsyncClient) -> None:
    invalid = '{ state(code: "UZB") { noSuchField } }'
    digest = hashlib.sha256(invalid.encode()).hexdigest()

    first = await _post(client, {"query": invalid, "extensions": _persisted(digest)})
    second = await _post(client, {"extensions": _persisted(digest)})

    assert first.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert second.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_the_store_keeps_the_most_recently_used_texts_within_its_bound(
    settings: Settings,
) -> None:
    texts = [f'{{ state(code: "{code}") {{ code }} }}' for code in ("UZB", "KAZ", "TKM")]
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    # Room for two of the three texts.
    async with client_for(settings, persisted_query_cache_chars=2 * len(texts[0])) as client:
        for text, digest in zip(texts, digests, strict=True):
            await _post(client, {"query": text, "extensions": _persisted(digest)})
        kept = [await _post(client, {"extensions": _persisted(d)}) for d in digests]

    assert "PERSISTED_QUERY_NOT_FOUND" in json.dumps(kept[0].json())
    assert kept[1].json()["data"] == {"state": {"code": "KAZ"}}
    assert kept[2].json()["data"] == {"state": {"code": "TKM"}}


async def test_a_batch_may_mix_persisted_and_plain_operations(client: httpx.AsyncClient) -> None:
    await _post(client, {"query": MEMBERS, "variables": VARIABLES,
                         "extensions": _persisted(MEMBERS_HASH)})  # fmt: skip
    batch = [
        {"variables": VARIABLES, "extensions": _persisted(MEMBERS_HASH)},
        {"query": "{ __typename }"},
        {"extensions": _persisted("0" * 64)},
    ]

    answers = (await client.post("/graphql", json=batch)).json()

    assert _codes(answers[0]) == ["AZE", "KAZ", "KGZ", "TUR", "UZB"]
    assert answers[1]["data"] == {"__typename": "Query"}
    assert answers[2]["errors"][0]["message"] == "PersistedQueryNotFound"


def test_a_store_of_no_size_keeps_nothing() -> None:
    store = PersistedQueries(0)
    request = GraphQLRequestData(
        query=MEMBERS, variables=None, operation_name=None, extensions=_persisted(MEMBERS_HASH)
    )

    resolved, digest = store.resolve(request)
    store.keep(MEMBERS_HASH, MEMBERS)

    assert (resolved, digest) == (request, MEMBERS_HASH)
    with pytest.raises(PersistedQueryMiss):
        store.resolve(GraphQLRequestData(None, None, None, extensions=_persisted(MEMBERS_HASH)))
    with pytest.raises(HTTPException, match="does not match"):
        store.resolve(GraphQLRequestData("{ x }", None, None, extensions=_persisted(MEMBERS_HASH)))


@pytest.mark.slow
def test_apollo_clients_persisted_query_link(database_url: str, tmp_path: Path) -> None:
    node, _ = npm_project(APOLLO, "@apollo/client", "Apollo Client against the server")

    with live_server(database_url, log=tmp_path / "server.log") as base:
        done = subprocess.run(
            [node, "persisted.mjs", f"{base}/graphql"],
            cwd=APOLLO,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    seen = json.loads(done.stdout)
    assert seen["first"]["organisation"]["name"] == "Organization of Turkic States"
    assert seen["second"]["organisation"]["name"] == "Collective Security Treaty Organisation"
    # The hash alone by GET, unknown; hash and text by POST; then the hash alone suffices.
    assert seen["requests"] == [
        {"method": "GET", "status": 200, "sentQueryText": False, "sentHash": True},
        {"method": "POST", "status": 200, "sentQueryText": True, "sentHash": True},
        {"method": "GET", "status": 200, "sentQueryText": False, "sentHash": True},
    ]
    log = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines()
           if line.startswith("{")]  # fmt: skip
    assert [line["codes"] for line in log if line["path"] == "/graphql"] == [
        ["PERSISTED_QUERY_NOT_FOUND"], [], []
    ]  # fmt: skip
