"""Statement templates: a compiled statement built once per shape, each request binding values.

Building the statement of a plan (its JSON projection, subqueries and their column proxies)
costs several times what running it does, and a client paging with `after: $cursor` sends new
values with every request. So the values that vary between requests are kept apart from the
shape: each root field's value-carrying parts (the filtered, cursor-bounded selection a
resolver hands over, a look-up's selection, the page size) are reduced to a *shape* (their
SQLAlchemy cache key, values left out) and the *values* in that key's order, named after
their place. A statement is built, with those names as bound parameters, the first time a
shape is met, and later requests of the same shape pass only their values.

The cache key is SQLAlchemy's own (the one its compiled cache uses): two statements with
equal keys differ only in the values of their bound parameters, listed in the same order.
"""

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Select, bindparam
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import replacement_traverse

Kept = TypeVar("Kept")


class Untemplatable(Exception):
    """A selection SQLAlchemy cannot key (a construct without a cache key): it is built per
    request instead."""


@dataclass(frozen=True)
class Parameters:
    """A selection's shape and its values, named `prefix` + place."""

    shape: Hashable
    values: dict[str, Any]


def parameters(statement: Select[Any], prefix: str) -> Parameters:
    """The shape of `statement` and the values of its bound parameters, by name."""
    key = statement._generate_cache_key()
    if key is None:
        raise Untemplatable(prefix)
    values = {f"{prefix}{i}": bound.effective_value for i, bound in enumerate(key.bindparams)}
    return Parameters(key.key, values)


def named(statement: Select[Any], prefix: str) -> Select[Any]:
    """`statement` with each bound parameter renamed to `prefix` + its place in the cache key,
    so a later request's values (`parameters`) bind to it by name."""
    key = statement._generate_cache_key()
    if key is None:
        raise Untemplatable(prefix)
    names: dict[int, str] = {}
    for i, bound in enumerate(key.bindparams):
        # One parameter used twice keeps the first place's name; later places' values are
        # passed too, and equal.
        names.setdefault(id(bound), f"{prefix}{i}")

    def rename(element: Any, **_: Any) -> Any:
        if isinstance(element, BindParameter) and id(element) in names:
            return bindparam(
                names[id(element)],
                element.effective_value,
                type_=element.type,
                expanding=element.expanding,
                literal_execute=element.literal_execute,
            )
        return None

    options: dict[str, Any] = {}
    return cast(Select[Any], replacement_traverse(cast(Any, statement), options, rename))


@dataclass
class ByPlan(Generic[Kept]):
    """Values kept by plan and a key (a shape, a request's variables), least recently used
    first out.

    The plan is kept beside its value, so its id cannot be reused while cached."""

    max_entries: int = 256
    entries: OrderedDict[tuple[int, Hashable], tuple[Any, Kept]] = field(
        default_factory=OrderedDict
    )

    def get(self, plan: Any, key: Hashable) -> Kept | None:
        found = self.entries.get((id(plan), key))
        if found is None or found[0] is not plan:
            return None
        self.entries.move_to_end((id(plan), key))
        return found[1]

    def keep(self, plan: Any, key: Hashable, value: Kept) -> None:
        self.entries[(id(plan), key)] = (plan, value)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
