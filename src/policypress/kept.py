"""What a process keeps for later calls (`mkdocs serve` rebuilds, a build's second reading of a
file, a template's script on every page): a mapping of its most recently used entries, bounded,
so that a long-running server or a scan of a large estate keeps flat memory."""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most ``size`` entries; the least recently used is forgotten first."""

    __slots__ = ("size", "_items", "__weakref__")

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        _every.add(self)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, key: K) -> V:
        """The value kept for ``key``, now the most recently used (KeyError if none is)."""
        value = self._items[key]
        self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        items = self._items
        items[key] = value
        items.move_to_end(key)
        if len(items) > self.size:
            items.popitem(last=False)
        return value

    def recall(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``make()``'s, kept."""
        items = self._items
        if key in items:
            items.move_to_end(key)
            return items[key]
        return self.put(key, make())

    def clear(self) -> None:
        self._items.clear()


_every: weakref.WeakSet[Kept[Any, Any]] = weakref.WeakSet()


def forget_all() -> None:
    """Empty every ``Kept`` of this process: what follows runs as it would in a new process (a test suite
    that builds many projects in one process; a server that wants everything read again)."""
    for kept in list(_every):
        kept.clear()
