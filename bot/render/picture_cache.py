"""Rendered pictures, kept until their data changes: the key is a hash of what is drawn.

A picture costs 50-300 ms of CPU; the same /compare or /coverage asked again (by anyone, in the
same language) costs a dict lookup. New data gives a new key, so nothing stale is served."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable

MAX_PICTURES = 64  # about 100 KB each


class PictureCache:
    def __init__(self, size: int = MAX_PICTURES) -> None:
        self.size = size
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()  # pictures render in worker threads
        self.hits = self.misses = 0

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> bytes:
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        picture = render()
        with self._lock:
            self._data[key] = picture
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return picture

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def data_key(kind: str, *parts: object) -> str:
    raw = json.dumps([kind, *parts], ensure_ascii=False, default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


PICTURES = PictureCache()
