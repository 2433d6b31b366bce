"""The DataLoaders of one request; made fresh per request so no cache outlives it."""

from functools import partial
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from api.db import SessionFactory
from schema.loaders.relations import RowsKey, load_by_id, load_pages, load_rows
from schema.pagination import Page, PageKey

Row = TypeVar("Row")


class Loaders:
    """Batching and per-request caching for every nested field of the schema."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self.rows: DataLoader[RowsKey, list[Any]] = DataLoader(partial(load_rows, sessions))
        self.pages: DataLoader[PageKey, Page[Any]] = DataLoader(partial(load_pages, sessions))
        self._by_id: dict[type, DataLoader[int, Any]] = {}

    def by_id(self, model: type[Row]) -> "DataLoader[int, Row | None]":
        """The loader of `model` rows by primary key, made on first use in this request."""
        loader = self._by_id.get(model)
        if loader is None:
            loader = DataLoader(partial(load_by_id, self._sessions, model))
            self._by_id[model] = loader
        return loader
