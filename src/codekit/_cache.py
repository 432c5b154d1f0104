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
  tables are dropped too and re-read on next use. (A registry that compares the files'
  names, sizes and modification times on every use, like ICD-10-CM's shared bundled
  tables, is registered ``checked`` and kept: it notices changed files itself.) A store
  that changes its data in memory does so inside :func:`changing`, which moves the
  generation *before* the data changes, so that a check running meanwhile sees it.
- :func:`clear_caches` (public as :func:`codekit.clear_caches`) -- to give memory back: it
  empties every cache and drops the opened tables (they are read again when needed).

Every cache is bounded twice, by entries and by (approximate) bytes: a dict registered
with :func:`owned` becomes a :class:`BoundedCache`, which forgets its oldest entries past
either bound (:data:`DEFAULT_MAX_ENTRIES`, :data:`DEFAULT_MAX_BYTES`, changed per cache or
for all with :func:`set_limits`). Inputs longer than a code can be are answered but not
remembered (:func:`cacheable`), so junk input cannot fill memory.

Caches about an object a caller makes (an ICD-10-CM or ICD-10-PCS ``Store``) live *in*
that object (:class:`PerOwner`): dropping the store frees everything it owns. The stores
opened by folder (``open_store``, what unpickling returns) are kept by a :class:`Stores`
registry, the one the code systems share.

>>> from codekit import icd10cm
>>> before = generation()
>>> data_changed()
>>> generation() == before + 1
True
>>> "icd10cm.answers" in sizes()
True
"""

from __future__ import annotations

import contextlib
import operator
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_ENTRIES", "BoundedCache", "Once", "PerOwner",
           "Stores", "cacheable", "changes", "clear_caches", "data_changed", "generation",
           "limits", "nbytes", "owned", "register", "set_limits", "settle", "sizes", "weigh"]

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
S = TypeVar("S")

#: Entries a registered dict cache holds at most, unless it says otherwise.
DEFAULT_MAX_ENTRIES = 200_000
#: Approximate bytes a registered dict cache holds at most (keys, values and the dict's
#: own slots, as :func:`sys.getsizeof` counts them), unless it says otherwise.
DEFAULT_MAX_BYTES = 16 << 20
#: What a dict entry costs beyond its key and value (hash, pointers, table slack).
ENTRY_OVERHEAD = 64

#: The longest input string a cache remembers (codes are at most a few dozen characters
#: as written; anything longer is answered but not remembered).
MAX_KEY = 64

_lock = threading.RLock()
#: Held while data changes (:func:`changing`): :func:`settle` waits for it.
_changing = threading.RLock()
#: How many data changes have begun (moved before the data changes).
_generation = 0
#: How many data changes have finished emptying the answer caches. Equal to
#: :data:`_generation` but while a change is under way: a check that began with
#: ``_changes`` at ``n`` and ends with ``_generation`` still ``n`` ran while no data
#: changed; otherwise it may have read (and remembered) answers of the old data.
_changes = 0
# name -> (clear, size, level): 0 an answer cache (every data_changed empties it), 1 a
# table registry (data_changed(reopen=True) and clear_caches drop it), 2 a registry that
# checks its files on every use (only clear_caches drops it)
_caches: dict[str, tuple[Callable[[], None], Callable[[], int], int]] = {}
# name -> its bounded caches (one, or one per live owner), for set_limits and nbytes
_bounded: dict[str, Callable[[], list[BoundedCache[Any, Any]]]] = {}
# limits set by set_limits: name (or "" for every cache) -> (max_entries, max_bytes)
_limits: dict[str, tuple[int | None, int | None]] = {}


def _too_long(key: object, limit: int) -> bool:
    """Whether ``key`` is, or holds, a string longer than ``limit``."""
    if type(key) is str:
        return len(key) > limit
    if type(key) is tuple:  # a key of parts, some of them tuples (a line's modifiers)
        for k in key:
            t = type(k)
            if t is str:
                if len(k) > limit:
                    return True
            elif t is tuple:
                for j in k:
                    if type(j) is str and len(j) > limit:
                        return True
    return False


def weigh(x: object) -> int:
    """Approximate bytes of a key or value, one level deep: its own size; a tuple's items
    (a key of several parts, a named tuple); an attrs object's fields; an exception's
    message and fields (a remembered error holds its message, suggestions, fix). Classes
    are shared, not counted; nor are a list's items (the lists cached are of shared,
    interned code strings). Sizes are :func:`sys.getsizeof`'s, worked out without calling
    it where the class says them (:func:`_sizeof`: a call costs more than a dictionary
    read, and a stream weighs every entry it remembers).

    >>> weigh("E119") < weigh(("E119", "2025-06-01"))
    True
    >>> import datetime
    >>> day = datetime.date(2025, 6, 1)
    >>> weigh(("E119", day)) == sum(map(sys.getsizeof, (("E119", day), "E119", day)))
    True
    """
    t = type(x)
    if t is str:
        return _STR + len(x) if x.isascii() else _size(x)  # type: ignore[attr-defined,arg-type]
    how = _HOW.get(t)
    if how is None:
        how = _HOW[t] = _how(t)
    parts: Any
    if how is _ITEMS:
        n = _TUPLE + 8 * len(x) if t is tuple else _size(x)  # type: ignore[arg-type]
        parts = x
    else:
        fixed = _FIXED.get(t, _MISSING)
        if fixed is _MISSING:
            fixed = _FIXED[t] = _fixed_size(t, x)
        n = fixed if fixed is not None else _size(x)
        if how is _OWN_SIZE:
            return n
        if how is _ERROR:
            return _error_weight(x, n)  # type: ignore[arg-type]
        parts = how(x)
    # the parts, as _parts weighs them (inline: a call costs more than weighing a part)
    for p in parts:
        pt = type(p)
        if pt is str:
            n += _STR + len(p) if p.isascii() else _size(p)
        elif pt not in _FREE:
            fixed = _FIXED.get(pt, _MISSING)
            if fixed is _MISSING:
                fixed = _FIXED[pt] = _fixed_size(pt, p)
            n += fixed if fixed is not None else _shallow(p)
    return n


def _key_cost(key: object, limit: int | None) -> int:
    """``weigh(key)``, or -1 when ``key`` is, or holds, a string longer than ``limit``
    (:func:`_too_long`; None: any length): a key is looked at once for both."""
    t = type(key)
    if t is str:
        if limit is not None and len(key) > limit:  # type: ignore[arg-type]
            return -1
        return _STR + len(key) if key.isascii() else _size(key)  # type: ignore
    if t is not tuple:
        return weigh(key)
    n = _TUPLE + 8 * len(key)  # type: ignore[arg-type]
    for p in key:  # type: ignore[attr-defined]
        pt = type(p)
        if pt is str:
            if limit is not None and len(p) > limit:
                return -1
            n += _STR + len(p) if p.isascii() else _size(p)
        elif pt not in _FREE:
            if pt is tuple and limit is not None and any(
                    type(j) is str and len(j) > limit for j in p):
                return -1
            fixed = _FIXED.get(pt, _MISSING)
            if fixed is _MISSING:
                fixed = _FIXED[pt] = _fixed_size(pt, p)
            n += fixed if fixed is not None else _shallow(p)
    return n


def _error_weight(x: BaseException, n: int) -> int:
    """An exception's weight, ``n`` its own size: with its message and fields, remembered
    in it (a copy of a remembered error is not weighed again)."""
    fields = getattr(x, "__dict__", None)
    if fields:
        known = fields.get(_WEIGHT)
        if known is not None:  # weighed before (a copy of a remembered error too)
            return int(known)
    args = x.args
    n += _size(args) + _parts(args)
    if fields:
        n += _size(fields) + _parts(fields.values())
        fields[_WEIGHT] = n
    return n


def _how(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """How :func:`weigh` weighs an object of ``cls`` beyond its own size: its items (a
    tuple), its message and fields (an exception), its attrs fields' values (a function
    giving them), or nothing more (:func:`_OWN_SIZE`)."""
    if issubclass(cls, tuple):
        return _ITEMS
    if issubclass(cls, BaseException):
        return _ERROR
    return _field_values(cls)


def _OWN_SIZE(x: Any) -> tuple[Any, ...]:
    return ()


def _ITEMS(x: Any) -> tuple[Any, ...]:
    return tuple(x)


def _ERROR(x: Any) -> tuple[Any, ...]:
    return tuple(x.args)


def _sizeof(x: object) -> int:
    """``sys.getsizeof(x)``: for an ASCII string and an object of a class whose objects
    all have one size (:data:`_FIXED`: a date, an attrs or slotted class, None) without the
    call."""
    t = type(x)
    if t is str:
        return _STR + len(x) if x.isascii() else _size(x)  # type: ignore[attr-defined,arg-type]
    fixed = _FIXED.get(t, _MISSING)
    if fixed is _MISSING:
        fixed = _FIXED[t] = _fixed_size(t, x)
    return fixed if fixed is not None else _size(x)


def _fixed_size(cls: type, x: object) -> int | None:
    """The size every object of ``cls`` has (that of ``x``, one of them), or None when it
    varies: a class with items (int, tuple, bytes), its own ``__sizeof__`` (str, dict,
    list, set) or a class of classes (whose GC header depends on the class) varies."""
    if cls.__itemsize__ or cls.__sizeof__ is not object.__sizeof__ or \
            issubclass(cls, _NOT_FIXED):
        return None
    return _size(x)


#: what :func:`_shallow` weighs with more than its own size, or not at all (a class)
_NOT_FIXED = (type, BaseException, tuple, list, frozenset, set, dict)


#: class -> the size of each of its objects, or None when it varies (see _fixed_size;
#: classes are few and shared: never cleared)
_FIXED: dict[type, int | None] = {}


def _parts(items: Any) -> int:
    """``sum(map(_shallow, items))``, a string or an object of a fixed size (or None, or a
    bool: 0) sized without a call."""
    n = 0
    for p in items:
        t = type(p)
        if t is str:
            n += _STR + len(p) if p.isascii() else _size(p)
        elif t in _FREE:
            continue
        else:
            fixed = _FIXED.get(t, _MISSING)
            if fixed is _MISSING:
                fixed = _FIXED[t] = _fixed_size(t, p)
            n += fixed if fixed is not None else _shallow(p)
    return n


def _field_values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving an attrs object's field values as a tuple (one C call), or
    _OWN_SIZE for a class that is not an attrs class."""
    fields = getattr(cls, "__attrs_attrs__", None)
    if not fields:
        return _OWN_SIZE
    names = [f.name for f in fields]
    get = operator.attrgetter(*names, "__class__")  # two names at least: always a tuple

    def values(x: Any) -> tuple[Any, ...]:
        try:
            found: tuple[Any, ...] = get(x)
        except AttributeError:  # a field not set (a slotted class built by hand)
            return tuple(getattr(x, name, None) for name in names)
        return found[:-1]

    return values


#: class -> how :func:`weigh` weighs its objects (:func:`_how`; classes are few and
#: shared: never cleared)
_HOW: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


_size = sys.getsizeof
_STR = _size("")  # an ASCII string's size is this plus its length
_TUPLE = _size(())  # a tuple's is this plus 8 bytes an item
#: where an exception keeps its weight once weighed: a cache counts an entry once, when it
#: is kept, so a remembered error (and each copy of it) is weighed once, not once a cache
_WEIGHT = "_codekit_weight"
_PLAIN = frozenset({str, int, float, bytes})  # their own size is all they cost
_FREE = frozenset({bool, type(None)})  # shared singletons


def _shallow(x: object) -> int:
    """The size of a part of a key or value: a small container with its items' sizes, an
    exception with its message; a class or a shared singleton costs nothing."""
    t = type(x)
    if t in _PLAIN:
        return _size(x)
    if t in _FREE or isinstance(x, type):
        return 0
    if t is tuple:  # a tuple of a value (the groups of a note kind): its items' sizes
        n = _TUPLE + 8 * len(x)  # type: ignore[arg-type]
        if len(x) < 64:  # type: ignore[arg-type]
            for p in x:  # type: ignore[attr-defined]
                pt = type(p)
                if pt is str:
                    n += _STR + len(p) if p.isascii() else _size(p)
                else:
                    fixed = _FIXED.get(pt, _MISSING)
                    if fixed is _MISSING:
                        fixed = _FIXED[pt] = _fixed_size(pt, p)
                    n += fixed if fixed is not None else _size(p)
        return n
    n = _size(x)
    if isinstance(x, (tuple, list, frozenset, set)):
        if len(x) < 64:
            n += sum(map(_sizeof, x))
    elif isinstance(x, dict):
        if len(x) < 64:
            n += sum(map(_sizeof, x)) + sum(map(_sizeof, x.values()))
    elif isinstance(x, BaseException):
        n += sum(map(_size, x.args)) + _size(getattr(x, "__dict__", {}))
    return n


def entry_weight(key: object, value: object) -> int:
    """What a cache entry is counted as, in bytes, when weighed (see :func:`weigh`)."""
    return weigh(key) + weigh(value) + ENTRY_OVERHEAD


class BoundedCache(dict[K, V]):
    """A dict that forgets its oldest entries when it holds more than ``max_entries`` or
    more than about ``max_bytes`` (keys and values as :func:`sys.getsizeof` counts them,
    a tuple with its items, plus :data:`ENTRY_OVERHEAD` an entry).

    Reads are plain dict reads (no cost on the hot paths); writes keep the count. An
    oldest-first policy, not least-recently-used: a read never writes.

    >>> c = BoundedCache(max_entries=2)
    >>> c["a"], c["b"], c["c"] = 1, 2, 3
    >>> sorted(c)
    ['b', 'c']
    >>> big = BoundedCache(max_bytes=1000)
    >>> big["k"] = "x" * 5000  # bigger than the whole budget: not remembered
    >>> big["E11.9" * 100] = "E119"  # a key longer than a code can be: not remembered
    >>> len(big)
    0
    """

    __slots__ = ("__weakref__", "max_bytes", "max_entries", "max_key", "nbytes", "weigher")

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES,
                 max_bytes: int = DEFAULT_MAX_BYTES, *, max_key: int | None = MAX_KEY,
                 weigher: Callable[[Any, Any], int] | None = None) -> None:
        super().__init__()
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: a key holding a string longer than this is not remembered (None: any length)
        self.max_key = max_key
        #: ``weigher(key, value)``: what an entry costs, for a cache that knows the shape
        #: of its entries and can say it for less than :func:`weigh` (None: weigh them)
        self.weigher = weigher
        self.nbytes = 0

    def cost(self, key: object, value: object) -> int:
        """What one entry is counted as, in bytes."""
        weigher = self.weigher
        return entry_weight(key, value) if weigher is None else weigher(key, value)

    def __setitem__(self, key: K, value: V) -> None:
        # Threads write the same keys at once (a code every thread meets first on a cold
        # cache): an entry's cost is added by the one write that put it in and taken off
        # by the one removal that took it out, each a single dict operation, so the count
        # stays that of what is held (a read of the old entry, weighing, then a plain
        # assignment counted a key two threads wrote twice, and took a replaced one off
        # twice).
        # junk first: a key too long to remember is not remembered (what cost() says is
        # worked out here without its calls: a stream writes for every answer it is new to)
        weigher = self.weigher
        if weigher is None:
            cost = _key_cost(key, self.max_key)
            if cost < 0:  # too long
                self._forget(key)
                return
            cost += weigh(value) + ENTRY_OVERHEAD
        else:
            max_key = self.max_key
            if max_key is not None and _too_long(key, max_key):
                self._forget(key)
                return
            cost = weigher(key, value)
        if cost > self.max_bytes:
            # too big to remember at all: answered, not remembered
            self._forget(key)
            return
        if dict.get(self, key, _MISSING) is value:
            return  # held already (a shared value, such as (), another thread put in)
        while dict.setdefault(self, key, value) is not value:
            self._forget(key)  # another answer for the key: this one replaces it
        self.nbytes += cost
        if len(self) > self.max_entries or self.nbytes > self.max_bytes:
            self._shrink()

    def put(self, key: K, value: V, since: int) -> None:
        """Remember ``value``, an answer worked out from data that a load may change,
        unless data began to change since the work began: ``since`` is :func:`changes`
        read before it began (as :meth:`Once.get` does). An answer of the old data
        written after the change emptied the caches would outlive it: a caller outside a
        check (``hcpcs.lookup`` in one thread while another loads a file) has no
        :func:`settle` to forget it. Costs an integer compare before and after the write.

        >>> c = BoundedCache()
        >>> since = changes()
        >>> data_changed()  # a load ran while the answer was worked out
        >>> c.put("G0000", "old answer", since)
        >>> c.put("X9", "new answer", changes())
        >>> sorted(c)
        ['X9']
        """
        if since != _generation:
            return
        self[key] = value
        if since != _generation:  # a change began meanwhile: its emptying may have come
            self._forget(key)  # before this write (one that comes after empties it)

    def _forget(self, key: K) -> None:
        """Drop ``key`` if held, taking its cost off."""
        old = dict.pop(self, key, _MISSING)
        if old is not _MISSING:
            self.nbytes = max(0, self.nbytes - self.cost(key, old))

    def setdefault(self, key: K, default: V = None) -> V:  # type: ignore[assignment]
        found = dict.get(self, key, _MISSING)
        if found is not _MISSING:
            return found
        self[key] = default
        return default

    def update(self, *args: Any, **kwargs: Any) -> None:
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def __delitem__(self, key: K) -> None:
        value = dict.pop(self, key)
        self.nbytes = max(0, self.nbytes - self.cost(key, value))

    def pop(self, key: K, *default: Any) -> Any:
        value = dict.pop(self, key, _MISSING)
        if value is _MISSING:
            if default:
                return default[0]
            raise KeyError(key)
        self.nbytes = max(0, self.nbytes - self.cost(key, value))
        return value

    def clear(self) -> None:
        dict.clear(self)
        self.nbytes = 0

    def _shrink(self) -> None:
        """Forget the oldest entries until both bounds hold (with some room, so that a
        full cache does not shrink on every write). One walk from the oldest entry picks
        them all: taking ``next(iter(self))`` once per entry would rescan the emptied
        front of the table each time."""
        entries = self.max_entries - self.max_entries // 8
        room = self.max_bytes - self.max_bytes // 8
        n, nbytes = len(self), self.nbytes
        drop: list[tuple[Any, Any, int]] = []
        try:
            for key, value in dict.items(self):
                if n <= entries and nbytes <= room:
                    break
                cost = self.cost(key, value)
                drop.append((key, value, cost))
                n -= 1
                nbytes -= cost
        except RuntimeError:  # another thread changed it: forget what was picked so far
            pass
        for key, value, cost in drop:
            old = dict.pop(self, key, _MISSING)
            if old is not _MISSING:  # what was taken out (replaced since? its own cost)
                self.nbytes -= cost if old is value else self.cost(key, old)
        if not self:
            self.nbytes = 0

    def set_limits(self, max_entries: int | None = None, max_bytes: int | None = None) -> None:
        """Change the bounds (forgetting entries now if they no longer hold)."""
        if max_entries is not None:
            self.max_entries = max_entries
        if max_bytes is not None:
            self.max_bytes = max_bytes
        if len(self) > self.max_entries or self.nbytes > self.max_bytes:
            self._shrink()

    def __reduce__(self) -> Any:  # a cache pickles empty
        if self.weigher is None:
            return (type(self), (self.max_entries, self.max_bytes))
        return (_unpickled, (type(self), self.max_entries, self.max_bytes, self.max_key,
                           self.weigher))


def _unpickled(cls: type[BoundedCache[Any, Any]], max_entries: int, max_bytes: int,
             max_key: int | None, weigher: Callable[[Any, Any], int]) -> BoundedCache[Any, Any]:
    """An empty cache with a weigher of its own (how one pickles)."""
    return cls(max_entries, max_bytes, max_key=max_key, weigher=weigher)


_MISSING: Any = object()


def register(name: str, clear: Callable[[], None], size: Callable[[], int] | None = None,
             *, tables: bool = False, checked: bool = False) -> None:
    """Register a cache: ``clear`` empties it, ``size`` counts its entries; ``tables``
    marks a registry of opened data tables (dropped by :func:`clear_caches` and by
    ``data_changed(reopen=True)``, kept by a plain :func:`data_changed`); ``checked`` one
    that compares its files with the disk on every use (dropped by :func:`clear_caches`
    only)."""
    with _lock:
        _caches[name] = (clear, size or (lambda: 0), 2 if checked else 1 if tables else 0)


def _bounded_named(name: str, find: Callable[[], list[BoundedCache[Any, Any]]]) -> None:
    with _lock:
        _bounded[name] = find
        wanted = _limits.get(name) or _limits.get("")
    if wanted:
        for c in find():
            c.set_limits(*wanted)


def owned(name: str, cache: T, *, tables: bool = False, max_entries: int | None = None,
          max_bytes: int | None = None, long_keys: bool = False,
          weigher: Callable[[Any, Any], int] | None = None) -> T:
    """Register ``cache`` and return it: ``_SEEN = owned("procedure.resolved", {})``.

    A dict becomes a :class:`BoundedCache` (``max_entries`` and ``max_bytes``, by default
    :data:`DEFAULT_MAX_ENTRIES` and :data:`DEFAULT_MAX_BYTES`; an answer cache does not
    remember a key holding a string longer than :data:`MAX_KEY`, a ``tables`` registry
    does, and so does a cache whose keys are codekit's own text, not a caller's
    (``long_keys``: its entries are bounded by count and bytes only); ``weigher(key,
    value)`` says what an entry costs when the cache knows for less than weighing it (see
    :attr:`BoundedCache.weigher`). A function wrapped by
    ``functools.lru_cache`` keeps its own ``maxsize`` (keep its keys and values small:
    ``maxsize`` times an entry is its byte bound).
    """
    c: Any = cache
    if hasattr(c, "cache_clear"):
        register(name, c.cache_clear, lambda: c.cache_info().currsize, tables=tables)
        return cache
    if type(c) is dict:
        if c:
            raise ValueError(f"cache {name}: register it empty")
        c = BoundedCache(max_entries or DEFAULT_MAX_ENTRIES, max_bytes or DEFAULT_MAX_BYTES,
                         max_key=None if tables or long_keys else MAX_KEY, weigher=weigher)
    elif isinstance(c, BoundedCache):
        c.set_limits(max_entries, max_bytes)
    register(name, c.clear, c.__len__, tables=tables)
    if isinstance(c, BoundedCache):
        _bounded_named(name, lambda: [c])
    return c


class PerOwner(Generic[K, V]):
    """A cache per owner object (a ``Store``), held by the owner itself: dropping the
    owner frees its cache. Registered under one name: :func:`clear_caches` and
    :func:`data_changed` empty it in every live owner, :func:`sizes` sums them.

    >>> class Owner: pass
    >>> answers = PerOwner("doctest.per_owner", max_entries=10)
    >>> o = Owner()
    >>> answers.of(o)["E119"] = True
    >>> sizes()["doctest.per_owner"]
    1
    >>> del o
    >>> sizes()["doctest.per_owner"]
    0
    """

    def __init__(self, name: str, *, tables: bool = False,
                 max_entries: int = DEFAULT_MAX_ENTRIES,
                 max_bytes: int = DEFAULT_MAX_BYTES,
                 weigher: Callable[[Any, Any], int] | None = None) -> None:
        self.name = name
        self.tables = tables
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: what each owner's cache weighs its entries with (see BoundedCache.weigher)
        self.weigher = weigher
        self._attr = "_cache_" + name.replace(".", "_")
        self._owners: weakref.WeakSet[Any] = weakref.WeakSet()
        register(name, self.clear, self.size, tables=tables)
        _bounded_named(name, self.caches)

    def of(self, owner: Any) -> BoundedCache[K, V]:
        """The cache ``owner`` holds (made on first use)."""
        found: BoundedCache[K, V] | None = owner.__dict__.get(self._attr)
        if found is None:
            with _lock:
                found = owner.__dict__.get(self._attr)
                if found is None:
                    found = BoundedCache(self.max_entries, self.max_bytes,
                                         max_key=None if self.tables else MAX_KEY,
                                         weigher=self.weigher)
                    wanted = _limits.get(self.name) or _limits.get("")
                    if wanted:
                        found.set_limits(*wanted)
                    owner.__dict__[self._attr] = found
                    self._owners.add(owner)
        return found

    def caches(self) -> list[BoundedCache[K, V]]:
        """The caches of the live owners."""
        with _lock:
            owners = list(self._owners)
        return [c for o in owners if (c := o.__dict__.get(self._attr)) is not None]

    def clear(self) -> None:
        for c in self.caches():
            c.clear()

    def size(self) -> int:
        return sum(len(c) for c in self.caches())


class Once(Generic[S]):
    """A value made on first use (a table opened, a coverage worked out) and kept until
    :func:`clear_caches` or a data change empties it (``tables=True``: a table, kept by a
    plain :func:`data_changed`). :meth:`get` returns what it read or made even when
    another thread empties it at that moment: a one-item list read twice (``if not L``,
    then ``L[0]``) raised IndexError in a checking thread then. A value made while the
    data changed (a change under way when it began, or begun since) is returned to its
    caller but not kept.

    :attr:`value` is the value held, or None: a caller on a hot path reads it first
    (``once.value or once.get()``, for a value that is never empty) and saves a call.

    >>> once = Once("doctest.once", lambda: (2015, 2027), tables=True)
    >>> once.value is None, once.get(), once.value
    (True, (2015, 2027), (2015, 2027))
    >>> clear_caches(); sizes()["doctest.once"]
    0
    """

    def __init__(self, name: str, make: Callable[[], S], *, tables: bool = False) -> None:
        self._make = make
        #: the value held (None when none is: made on the next :meth:`get`)
        self.value: S | None = None
        self._lock = threading.Lock()
        register(name, self.forget, lambda: int(self.value is not None), tables=tables)

    def get(self) -> S:
        """The value (made now if it is not held)."""
        value = self.value  # read once: emptied right after, it is still this
        if value is None:
            with self._lock:
                value = self.value
                if value is None:
                    # as a check does (Checker._check): made while no change was under
                    # way or began, the generation it ends with is the count of finished
                    # changes it began with (the generation moves before data changes)
                    made_in = _changes
                    value = self._make()
                    if made_in == _generation:  # data changed meanwhile: not kept
                        self.value = value
        return value

    def forget(self) -> None:
        self.value = None


class Stores(Generic[S]):
    """The process-wide stores of one code system, one per pair of folders (bundled, user):
    what ``open_store`` and ``default_store`` return and unpickling a store gives back.
    Registered as a table registry: :func:`clear_caches` drops them (they are opened again
    on next use). A store a caller makes itself (``Store(user=path)``) is not kept here.
    """

    def __init__(self, name: str, make: Callable[[Path | None, Path | None], S]) -> None:
        self._make = make
        self._stores: dict[tuple[Path | None, Path | None], S] = {}
        self._lock = threading.Lock()
        register(name, self.forget, self._stores.__len__, tables=True)

    def open(self, bundled: Path | None = None, user: Path | None = None) -> S:
        """The store for these folders (opened once)."""
        key = (bundled, user)
        store = self._stores.get(key)
        if store is None:
            with self._lock:
                store = self._stores.get(key)
                if store is None:
                    store = self._stores[key] = self._make(bundled, user)
        return store

    def forget(self) -> None:
        """Drop the opened stores: the next :meth:`open` reads the folders again."""
        with self._lock:
            self._stores.clear()

    def default(self) -> S:
        """The store over the bundled data and the user data directory."""
        store = self._stores.get((None, None))
        return store if store is not None else self.open()


def file_signature(path: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What tells a changed file or folder: (name, mtime in ns, size, inode) of the file,
    or of each ``*.ckt`` table of the folder; empty when it is missing."""
    paths = sorted(path.glob("*.ckt")) if path.is_dir() else [path]
    out = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:  # missing (or gone since the listing): opening it says so
            continue
        out.append((p.name, st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(out)


class Shared(Generic[S]):
    """Tables opened from a bundled file or folder, shared by every store opened on it
    while the files are unchanged (:func:`file_signature`): read, checked and interned
    once, so a store a caller makes costs only its own files. Registered ``checked``:
    :func:`clear_caches` drops them; at most ``max_paths`` paths are kept.

    The tables are made from the path resolved (``make(resolved)``): they are shared by
    every path that resolves to the same file, so they must not read through the one that
    happened to open them first (a symlink in a temporary folder, gone since).

    >>> from pathlib import Path
    >>> shared = Shared("doctest.shared")
    >>> a = shared.get(Path("no-such-folder"), lambda p: object())
    >>> a is shared.get(Path("no-such-folder"), lambda p: object())
    True
    """

    def __init__(self, name: str, max_paths: int = 4) -> None:
        self._found: dict[str, tuple[tuple[tuple[str, int, int, int], ...], S]] = {}
        self._lock = threading.Lock()
        self.max_paths = max_paths
        register(name, self.forget, self._found.__len__, checked=True)

    def get(self, path: Path, make: Callable[[Path], S]) -> S:
        """The tables of ``path``, made by ``make(the path resolved)`` when new or changed
        on disk."""
        resolved = path.resolve()
        key = str(resolved)
        signature = file_signature(path)
        found = self._found.get(key)
        if found is not None and found[0] == signature:
            return found[1]
        made = make(resolved)
        with self._lock:
            self._found.pop(key, None)
            while len(self._found) >= self.max_paths:
                del self._found[next(iter(self._found))]
            self._found[key] = (signature, made)
        return made

    def forget(self) -> None:
        with self._lock:
            self._found.clear()


def set_limits(max_entries: int | None = None, max_bytes: int | None = None, *,
               name: str | None = None) -> None:
    """Change the bounds of every registered dict cache (or of the one called ``name``):
    a service with memory to spare may let them hold more, a small worker less.

    >>> set_limits(max_bytes=8 << 20, name="icd10cm.keys")
    >>> limits()["icd10cm.keys"][1]
    8388608
    >>> set_limits(max_bytes=DEFAULT_MAX_BYTES, name="icd10cm.keys")
    """
    with _lock:
        _limits[name or ""] = (max_entries, max_bytes)
        finds = list(_bounded.values()) if name is None else [_bounded[name]] \
            if name in _bounded else []
    for find in finds:
        for c in find():
            c.set_limits(max_entries, max_bytes)


def limits() -> dict[str, tuple[int, int]]:
    """(max entries, max bytes) of each bounded cache that holds a table now, by name
    (per owner for a :class:`PerOwner` cache)."""
    with _lock:
        finds = list(_bounded.items())
    out = {}
    for name, find in finds:
        found = find()
        if found:
            out[name] = (found[0].max_entries, found[0].max_bytes)
    return out


def nbytes() -> dict[str, int]:
    """Approximate bytes held by each bounded cache, by name (for the benches)."""
    with _lock:
        finds = list(_bounded.items())
    return {name: sum(c.nbytes for c in find()) for name, find in finds}


def cacheable(key: object) -> bool:
    """Whether a raw input may be remembered: a string no longer than :data:`MAX_KEY`."""
    return type(key) is str and len(key) <= MAX_KEY


def generation() -> int:
    """The data generation: how many times data was loaded or unloaded in this process."""
    return _generation


def _clear(level: int) -> None:
    """Empty every registered cache of level ``level`` or below."""
    with _lock:
        entries = list(_caches.values())
    for clear, _, of_level in entries:
        if of_level <= level:
            clear()


def data_changed(*, reopen: bool = False) -> None:
    """Data was loaded or unloaded: bump the generation and forget every remembered answer
    (with ``reopen``, the opened tables too, to read changed files again)."""
    with changing(reopen=reopen):
        pass


@contextlib.contextmanager
def changing(*, reopen: bool = False) -> Iterator[None]:
    """Data changes inside the block (a store adds or drops a user file): the generation
    moves first, so a check running meanwhile knows it may have read the old data or the
    new, or both; when the block ends, every remembered answer is forgotten (with
    ``reopen``, the opened tables too) and the change counted finished (:func:`changes`).
    One change at a time; :func:`settle` waits for the one under way.

    >>> before = generation()
    >>> with changing():
    ...     generation() - before, changes() - before
    (1, 0)
    >>> generation() - before, changes() - before
    (1, 1)
    """
    global _generation, _changes
    with _changing:
        with _lock:
            _generation += 1
        try:
            yield
        finally:
            try:
                _clear(1 if reopen else 0)
            finally:  # counted even when emptying is cut short (a KeyboardInterrupt):
                with _lock:  # a count left behind made every later check run twice
                    _changes += 1


def changes() -> int:
    """How many data changes have finished (see :func:`settle`)."""
    return _changes


def settle() -> int:
    """For a caller that worked across a data change (the :func:`generation` it ends with
    is not the :func:`changes` it began with): wait for a change under way to finish, then
    forget every remembered answer again, without a new generation, since its answers of
    the old data, remembered after the change emptied the caches, would outlive it.
    Returns the generation to begin again with (work done from now on that ends with the
    same generation saw no change)."""
    with _changing:
        _clear(0)
        return _generation


def clear_caches() -> None:
    """Forget every remembered answer and drop the opened data tables, to give memory
    back; everything is read again on next use. Answers do not change.

    Loaded user files (HCPCS releases, CPT descriptors) are data, not caches: they stay.
    """
    _clear(2)


def sizes() -> dict[str, int]:
    """Entries held by each registered cache, by name (for diagnostics and benchmarks)."""
    with _lock:
        entries = list(_caches.items())
    return {name: size() for name, (_, size, _) in entries}
