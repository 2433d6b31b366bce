"""The DataLoaders of one request; made fresh per request so no cache outlives it."""

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from api.db import SessionFactory
from schema.loaders.relations import RowsKey, load_by_id, load_pages, load_rows
from schema.pagination import Page, PageKey

Row = TypeVar("Row")
K = TypeVar("K")
V = TypeVar("V")
BatchLoad = Callable[[SessionFactory, list[K]], Awaitable[list[V]]]


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose futures outlive any one of their awaiters.

    graphql-core cancels the sibling fields of a field that fails, and a cancelled task
    cancels the future it awaits; a future shared through the loader's cache then raised
    CancelledError in every other field awaiting the same key (in another part of the
    operation, or another operation of a batch), and the whole request failed.
    """

    def load(self, key: K) -> Awaitable[V]:
        return asyncio.shield(super().load(key))


class Loaders:
    """Batching and per-request caching for every nested field of the schema."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self.rows: DataLoader[RowsKey, list[Any]] = SharedLoader(partial(load_rows, sessions))
        self.pages: DataLoader[PageKey, Page[Any]] = SharedLoader(partial(load_pages, sessions))
        self._by_id: dict[type, DataLoader[int, Any]] = {}
        self._batches: dict[Any, DataLoader[Any, Any]] = {}

    def by_id(self, model: type[Row]) -> "DataLoader[int, Row | None]":
        """The loader of `model` rows by primary key, made on first use in this request."""
        loader = self._by_id.get(model)
        if loader is None:
            loader = SharedLoader(partial(load_by_id, self._sessions, model))
            self._by_id[model] = loader
        return loader

    def batch(self, load: "BatchLoad[K, V]") -> "DataLoader[K, V]":
        """The loader of one batch function (`load(sessions, keys)`), made on first use in
        this request: nested fields that are not plain relations (analyses, aggregates) batch
        their parents through it."""
        loader = self._batches.get(load)
        if loader is None:
            loader = SharedLoader(partial(load, self._sessions))
            self._batches[load] = loader
        return loader
