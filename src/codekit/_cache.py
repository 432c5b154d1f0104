"""The one owner of codekit's caches.

codekit remembers answers on its hot paths (a raw code string's compact form, a code's
entry or error on a date, a claim line's resolved procedure, the facts of a diagnosis on a
date view...). Every such cache registers here, under a name, with the function that
empties it. Two things empty them:

- :func:`data_changed` -- data was loaded or unloaded (``hcpcs.load_release``,
  ``cpt.load_descriptors``, their unloads, ``codekit data add``): it bumps the data
  :func:`generation` and empties every answer cache, so that every answer -- of new
  checkers and existing ones, of every module -- reflects the new data at once, without
  the caller clearing anything. With ``reopen=True`` (files changed on disk) the opened
  tables are dropped too and re-read on next use.
- :func:`clear_caches` (public as :func:`codekit.clear_caches`) -- to give memory back: it
  empties every cache and drops the opened tables (they are read again when needed).

Caches bound themselves by entry count where they are written, and remember only inputs
of a plausible length (:func:`cacheable`), so junk input cannot fill memory.

>>> from codekit import icd10cm
>>> before = generation()
>>> data_changed()
>>> generation() == before + 1
True
>>> "icd10cm.answers" in sizes()
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["cacheable", "clear_caches", "data_changed", "generation", "owned", "register",
           "sizes"]

T = TypeVar("T")

#: The longest input string a cache remembers (codes are at most a few dozen characters
#: as written; anything longer is answered but not remembered).
MAX_KEY = 64

_lock = threading.Lock()
_generation = 0
# name -> (clear, size, is a table registry rather than an answer cache)
_caches: dict[str, tuple[Callable[[], None], Callable[[], int], bool]] = {}


def register(name: str, clear: Callable[[], None], size: Callable[[], int] | None = None,
             *, tables: bool = False) -> None:
    """Register a cache: ``clear`` empties it, ``size`` counts its entries; ``tables``
    marks a registry of opened data tables (dropped by :func:`clear_caches` and by
    ``data_changed(reopen=True)``, kept by a plain :func:`data_changed`)."""
    with _lock:
        _caches[name] = (clear, size or (lambda: 0), tables)


def owned(name: str, cache: T, *, tables: bool = False) -> T:
    """Register ``cache`` (a dict, or a function wrapped by ``functools.lru_cache``) and
    return it: ``_SEEN = owned("procedure.resolved", {})``."""
    c: Any = cache
    if hasattr(c, "cache_clear"):
        register(name, c.cache_clear, lambda: c.cache_info().currsize, tables=tables)
    else:
        register(name, c.clear, c.__len__, tables=tables)
    return cache


def cacheable(key: object) -> bool:
    """Whether a raw input may be remembered: a string no longer than :data:`MAX_KEY`."""
    return type(key) is str and len(key) <= MAX_KEY


def generation() -> int:
    """The data generation: how many times data was loaded or unloaded in this process."""
    return _generation


def _clear(tables: bool) -> None:
    with _lock:
        entries = list(_caches.values())
    for clear, _, is_tables in entries:
        if tables or not is_tables:
            clear()


def data_changed(*, reopen: bool = False) -> None:
    """Data was loaded or unloaded: bump the generation and forget every remembered answer
    (with ``reopen``, the opened tables too, to read changed files again)."""
    global _generation
    with _lock:
        _generation += 1
    _clear(tables=reopen)


def clear_caches() -> None:
    """Forget every remembered answer and drop the opened data tables, to give memory
    back; everything is read again on next use. Answers do not change.

    Loaded user files (HCPCS releases, CPT descriptors) are data, not caches: they stay.
    """
    _clear(tables=True)


def sizes() -> dict[str, int]:
    """Entries held by each registered cache, by name (for diagnostics and benchmarks)."""
    with _lock:
        entries = list(_caches.items())
    return {name: size() for name, (_, size, _) in entries}
