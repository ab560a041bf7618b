"""The one cache of what is drawn from a body (snippet tabs, highlighted HTML), bounded by bytes.

Keyed on whole bodies, a cache bounded by entries holds whatever their sizes add up to: 128
entries of a 256 KB body's tabs are hundreds of MB per process. This one counts the bytes of
each key and value and forgets the least recently used until the total fits, so a process's
caches stay within :data:`MAX_BYTES` however many distinct bodies come.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Any

#: The bytes every cache of drawn text holds together, per process.
MAX_BYTES = 32 * 1024 * 1024


def text_bytes(parts: Iterable[Any]) -> int:
    """Give the bytes the strings among ``parts`` take in memory (anything else: a pointer)."""
    return sum(sys.getsizeof(p) if isinstance(p, str) else 8 for p in parts)


class TextCache:
    """A least-recently-used cache whose keys and values together take at most ``max_bytes``.

    A value larger than an eighth of the whole is not kept: one body must not push out all
    the others. Safe to share between threads.
    """

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any:
        """Give the value kept for ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Keep ``value`` for ``key``, taking ``size`` bytes, forgetting the oldest to fit."""
        if size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self.bytes = 0


#: The process's one cache of drawn text: snippet tabs and highlighted HTML share its bytes.
DRAWN = TextCache()
