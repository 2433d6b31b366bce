"""gzip for answers worth it: introspection and exports shrink, small answers stay as they are,
and streamed exports still leave in pieces, each one readable as it arrives."""

import json
import zlib

import httpx
from graphql import get_introspection_query

from tests.asgi import get_streamed

GZIP = {"accept-encoding": "gzip"}


async def test_the_introspection_answer_is_compressed(client: httpx.AsyncClient) -> None:
    query = {"query": get_introspection_query(descriptions=True)}

    plain = await client.post("/graphql", json=query, headers={"accept-encoding": "identity"})
    packed = await client.post("/graphql", json=query, headers=GZIP)

    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.json() == plain.json()  # httpx undoes the gzip
    assert len(plain.content) > 200_000
    assert packed.num_bytes_downloaded < len(plain.content) / 5


async def test_a_small_answer_is_sent_as_it_is(client: httpx.AsyncClient) -> None:
    answer = await client.post("/graphql", json={"query": "{ __typename }"}, headers=GZIP)

    assert "content-encoding" not in answer.headers
    assert answer.json()["data"] == {"__typename": "Query"}


async def test_an_export_is_compressed_and_still_streamed(client: httpx.AsyncClient) -> None:
    app = client.app  # type: ignore[attr-defined]
    answer = await get_streamed(app, "/export/states.ndjson", [(b"accept-encoding", b"gzip")])
    headers, pieces = answer.headers, answer.pieces

    assert headers[b"content-encoding"] == b"gzip"
    assert b"content-length" not in headers  # its length is not known before the end
    # 250 rows leave in pieces of 200: the first piece, alone, already holds whole rows.
    assert len(pieces) >= 2
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    first = decompressor.decompress(pieces[0])
    assert first.endswith(b"\n")
    assert first.count(b"\n") == 200
    rest = b"".join(decompressor.decompress(p) for p in pieces[1:]) + decompressor.flush()
    rows = [json.loads(line) for line in (first + rest).splitlines()]
    assert len(rows) == 250
    assert {"code": "UZB", "name": "Uzbekistan"}.items() <= next(
        r for r in rows if r["code"] == "UZB"
    ).items()
