"""Parse and validate each distinct operation text once, not on every request.

A client sends the same few documents over and over; parsing one and running GraphQL's ~30
validation rules over it cost about a tenth of a simple request (bench/run.py, profiled).
Neither result depends on anything but the text and the schema, except for the rules marked
`per_request` (the cost budget, which reads variables such as `first: $n`, and the text guard,
which reads variable values): those still run on every request.

Only successes are cached: a document that failed to parse or validate is parsed and
validated again next time, so its errors are always fresh objects. The caches are bounded
(least recently used first out) and skip long texts, so unique queries cannot grow them
without limit.
"""

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, validate
from strawberry.extensions import SchemaExtension

PER_REQUEST = "per_request"  # a validation rule class attribute: its verdict reads variables


@dataclass
class DocumentCache:
    """Parsed documents and the texts that passed the static validation rules."""

    max_entries: int = 256
    max_text: int = 16_384  # characters; longer texts are rare and not worth the memory
    documents: OrderedDict[tuple[str, Any], DocumentNode] = field(default_factory=OrderedDict)
    valid: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def document(self, text: str, options: Any) -> DocumentNode | None:
        found = self.documents.get((text, options))
        if found is not None:
            self.documents.move_to_end((text, options))
        return found

    def keep_document(self, text: str, options: Any, document: DocumentNode) -> None:
        if len(text) <= self.max_text:
            self.documents[(text, options)] = document
            while len(self.documents) > self.max_entries:
                self.documents.popitem(last=False)

    def is_valid(self, text: str) -> bool:
        if text in self.valid:
            self.valid.move_to_end(text)
            return True
        return False

    def keep_valid(self, text: str) -> None:
        if len(text) <= self.max_text:
            self.valid[text] = None
            while len(self.valid) > self.max_entries:
                self.valid.popitem(last=False)


class CachedDocuments(SchemaExtension):
    """Serves parsed documents and static validation verdicts from a shared `DocumentCache`;
    a factory makes one per operation, all sharing the schema's cache."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        text = context.query
        # The parser's options (its token budget) are part of the key: a document parsed
        # under one budget must not be served under a smaller one.
        options = tuple(sorted(context.parse_options.items()))
        cached = self.cache.document(text, options) if text else None
        if cached is not None:
            context.graphql_document = cached
        yield
        if cached is None and text and context.graphql_document is not None:
            self.cache.keep_document(text, options, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        text = context.query
        document = context.graphql_document
        known = text is not None and document is not None and self.cache.is_valid(text)
        if known:
            assert document is not None
            per_request = tuple(
                rule for rule in context.validation_rules if getattr(rule, PER_REQUEST, False)
            )
            context.pre_execution_errors = (
                validate(context.schema._schema, document, per_request) if per_request else []
            )
        yield
        if not known and text and context.pre_execution_errors == []:
            self.cache.keep_valid(text)
