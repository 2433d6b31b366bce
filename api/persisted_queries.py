"""Apollo's automatic persisted queries: a client sends the SHA-256 of its operation instead
of the text, and the text only when the server does not know the hash yet.

The protocol, as Apollo Client's persisted-queries link and Apollo Server speak it: a request
(GET or POST) carries `extensions.persistedQuery = {version: 1, sha256Hash}`. Without `query`,
a known hash runs the text stored under it, and an unknown one is answered with the error
`PersistedQueryNotFound` (code PERSISTED_QUERY_NOT_FOUND), upon which the client sends the
hash again with the text. With `query`, the hash must be the text's SHA-256 (else 400, and
nothing runs); the text is stored once it has run, so the store never keeps a document that
does not parse or validate. The store is bounded by the characters it holds, least recently
used out first: a flood of new texts costs memory up to the bound, not beyond.
"""

import hashlib
import re
from dataclasses import replace
from typing import Any

from cachetools import LRUCache
from cross_web import HTTPException
from graphql import GraphQLError
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from schema.errors import ErrorCode

VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PersistedQueryMiss(Exception):
    """The request names a persisted query this server cannot run; `result` says why."""

    def __init__(self, result: ExecutionResult) -> None:
        super().__init__(result.errors)
        self.result = result


def _error(message: str, code: ErrorCode) -> PersistedQueryMiss:
    # Apollo clients match on the message (older ones) or the code (newer ones): both kept.
    error = GraphQLError(message, extensions={"code": code.value})
    return PersistedQueryMiss(ExecutionResult(data=None, errors=[error]))


class PersistedQueries:
    """Query texts by their SHA-256, shared by the requests of one worker process."""

    def __init__(self, max_chars: int) -> None:
        self.texts: LRUCache[str, str] | None = (
            LRUCache(maxsize=max_chars, getsizeof=len) if max_chars > 0 else None
        )

    def resolve(self, request: GraphQLRequestData) -> tuple[GraphQLRequestData, str | None]:
        """The request with its text filled in from the store, and the hash to store the text
        under once it has run (None when there is nothing to store).

        Raises PersistedQueryMiss for an unknown hash or version, HTTPException (400) for a
        hash that is malformed or is not its text's."""
        persisted = _persisted_query(request.extensions)
        if persisted is None:
            return request, None
        version, digest = persisted.get("version"), persisted.get("sha256Hash")
        if version != VERSION:
            raise _error("PersistedQueryNotSupported", ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED)
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise HTTPException(
                400, "`extensions.persistedQuery.sha256Hash` must be 64 lowercase hex digits."
            )
        if request.query is not None:
            if hashlib.sha256(request.query.encode("utf-8", "surrogatepass")).hexdigest() != digest:
                raise HTTPException(400, "provided sha does not match query")
            return request, digest
        text = self.texts.get(digest) if self.texts is not None else None
        if text is None:
            raise _error("PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND)
        return replace(request, query=text), None

    def keep(self, digest: str, text: str) -> None:
        """Store `text` under `digest` (a text larger than the whole store is not kept)."""
        if self.texts is not None and len(text) <= self.texts.maxsize:
            self.texts[digest] = text


def _persisted_query(extensions: dict[str, Any] | None) -> dict[str, Any] | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise HTTPException(400, "`extensions.persistedQuery` must be an object.")
    return persisted
