"""The executor every operation runs in: no coroutine it creates is left unstarted and unclosed.

Python coroutines do nothing until awaited, and graphql-core makes one per async field (the
resolver's, and wrappers around it) before it awaits any. When a field fails and an error nulls
a non-null parent, graphql-core cancels the siblings still running (`gather_with_cancel`): a
sibling task cancelled before its first step never awaits the coroutines it was handed, and
each of those is later collected with "coroutine … was never awaited" (a RuntimeWarning, an
error under `-W error`, noise in a server's log). Whether it shows depends on which task the
event loop runs first, so it comes and goes with database timing. This executor records the
coroutines it creates and, once the operation is over however it ends, closes those never
started: closing a coroutine that has not run is what awaiting it would have been for an
answer already decided, minus the work.
"""

from collections.abc import Awaitable, Coroutine
from inspect import CORO_CREATED, getcoroutinestate
from types import CoroutineType
from typing import Any, TypeGuard

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


def _unstarted(value: object) -> TypeGuard[Coroutine[Any, Any, Any]]:
    return isinstance(value, CoroutineType) and getcoroutinestate(value) == CORO_CREATED


class Created:
    """The coroutines an execution made: held until it ends, since one dropped unstarted is
    reported the moment it is collected; those already started are let go now and then, so
    a large answer does not keep every finished coroutine alive."""

    def __init__(self) -> None:
        self.coroutines: list[Coroutine[Any, Any, Any]] = []
        self.limit = 1024

    def add(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        coroutines = self.coroutines
        coroutines.append(coroutine)
        if len(coroutines) > self.limit:
            coroutines[:] = [c for c in coroutines if _unstarted(c)]
            self.limit = max(1024, 2 * len(coroutines))

    def close_unstarted(self) -> None:
        for coroutine in self.coroutines:
            if _unstarted(coroutine):
                coroutine.close()
        self.coroutines.clear()


class ClosingExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, closing at the end every coroutine it made and never ran."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The executor asks this of every resolver's result and every value it will await
        # (a field's, a list's, an object's), so it sees every coroutine it goes on to hold.
        self.created = created = Created()
        awaitable = self.is_awaitable

        def is_awaitable(value: Any) -> bool:
            if awaitable(value):
                if isinstance(value, CoroutineType):
                    created.add(value)
                return True
            return False

        self.is_awaitable = is_awaitable  # type: ignore[assignment]

    def execute_operation(self, serially: bool | None = None) -> Any:
        result = super().execute_operation(serially)
        if not _unstarted(result):
            self.created.close_unstarted()
            return result
        pending = result

        async def closing() -> Any:
            try:
                return await pending
            finally:
                self.created.close_unstarted()

        return closing()

    def complete_list_item_value(self, item: Any, complete_results: list[Any], *args: Any) -> bool:
        # The one coroutine the executor makes without asking `is_awaitable` of it: the
        # wrapper of a list item whose completion is pending.
        pending = super().complete_list_item_value(item, complete_results, *args)
        if pending:
            self.created.add(complete_results[-1])
        return pending

    def settle_in_background(self, awaitables: list[Awaitable[Any]]) -> None:
        # A sibling of a field that failed at once: one never started cannot have failed,
        # and running it would only do work for an answer already decided.
        running = [awaitable for awaitable in awaitables if not _unstarted(awaitable)]
        for awaitable in awaitables:
            if _unstarted(awaitable):
                awaitable.close()
        if running:
            super().settle_in_background(running)
