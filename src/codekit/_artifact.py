"""The on-disk format of codekit's data tables (shared by the build and the run time).

A table file (``*.ckt``) is a small container of named sections, each zlib-compressed and
read only when asked for:

``b"CKT1"`` · u32 header length · JSON header · section bytes...

The header holds free-form ``meta`` and, per section, its offset, compressed and raw
length and the sha256 of the raw bytes. Writing is deterministic: the same sections give
the same bytes (sorted JSON keys, fixed compression level, no time stamps).

Integrity: a table of the bundled ``data/`` is checked against the sha256 of its whole file
in ``data/PROVENANCE.json`` (key ``files``, written by the build) when it is first opened
(a table opened with ``lazy=True``: when its header or a section is first read), before any
byte of it is used, once per process per file (again after :func:`codekit.clear_caches` or
a data change that reopens tables). A store that needs many tables' headers to open reads
them from its folder's header index (:data:`HEADERS`, itself a checked table) and opens
the tables lazily with them: a file is then checked when a section of it is first read,
and its own header must be the recorded one. The first check of a process also checks that
no file the manifest lists is missing and that the bundled policy files are intact. Any
other table (a user release, a saved table) has each section's sha256 checked when the
section is read. A mismatch, a missing or an unlisted file is a
:class:`~codekit.errors.DataError` naming the file.

Sections that hold one item per row are written with :func:`pack_strings` (items joined by
``\\n``) and read back with :class:`StringColumn`, which slices on demand instead of making
a Python object per row.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "t.ckt")
>>> write(path, {"release": "demo"}, {"codes": pack_strings(["A00", "A000"])})
>>> t = Table(path)
>>> t.meta["release"], StringColumn(t.section("codes"))[1]
('demo', 'A000')
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import functools
import hashlib
import json
import os
import re
import struct
import sys
import threading
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Self

from . import _cache
from ._dates import mask_ranges
from ._paths import bundled_data_dir
from .errors import DataError

__all__ = ["HEADERS", "MANIFEST", "RELEASE_ID", "SortedMasks", "StringColumn", "Table",
           "bundled_headers",
           "bundled_id", "check_bundled", "check_content", "forget_manifests", "manifest_of",
           "pack_strings",
           "release_meta",
           "verify_bundled", "write", "write_headers"]

#: The file of a data root that lists the sha256 of every table (under the key ``files``).
MANIFEST = "PROVENANCE.json"

#: A release id (a user release's file name): ASCII letters and digits, then ``-``, ``_``.
RELEASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")

MAGIC = b"CKT1"
FORMAT_VERSION = 1


def pack_strings(items: Iterable[str]) -> bytes:
    """Join items (which must not contain newlines) into one UTF-8 section."""
    items = list(items)
    for item in items:
        if "\n" in item:
            raise ValueError(f"newline inside a packed string: {item!r}")
    return "\n".join(items).encode("utf-8")


def write(
    path: str | os.PathLike[str], meta: Mapping[str, Any], sections: Mapping[str, bytes]
) -> None:
    """Write a table file atomically (a temporary file renamed into place)."""
    entries = []
    blobs = []
    offset = 0
    for name in sorted(sections):
        raw = sections[name]
        comp = zlib.compress(raw, 9)
        entries.append(
            {"name": name, "offset": offset, "size": len(comp), "raw_size": len(raw),
             "sha256": hashlib.sha256(raw).hexdigest()}
        )
        blobs.append(comp)
        offset += len(comp)
    header = json.dumps(
        {"format": FORMAT_VERSION, "meta": meta, "sections": entries},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(MAGIC + struct.pack("<I", len(header)) + header)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


#: The files of a data root the manifest covers: its tables, and the policies it ships
#: (small: they are checked with the manifest itself, see :func:`verify_bundled`).
MANIFEST_SUFFIXES = (".ckt", ".policy")


def manifest_of(root: Path) -> dict[str, str]:
    """``{path relative to root: sha256}`` of every table and policy file under ``root``
    (for the build: the ``files`` key of ``PROVENANCE.json``)."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix in MANIFEST_SUFFIXES):
        out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# Per data root: its manifest, and the files checked so far (path -> None). Registered as
# a table registry: clear_caches() and data_changed(reopen=True) check files again.
_manifests: dict[str, dict[str, str]] = {}
_verified: dict[str, None] = {}
_verify_lock = threading.Lock()


def _forget_verified() -> None:
    with _verify_lock:
        _manifests.clear()
        _verified.clear()


_cache.register("artifact.verified", _forget_verified, _verified.__len__, tables=True)


def forget_manifests() -> None:
    """Forget the manifests read and the files checked against them: the build calls it
    each time it rewrites a ``PROVENANCE.json`` (:mod:`codekit.build.provenance`), so a
    later step of the same build that opens tables of ``data/`` checks them against the
    manifest now on disk, not the one an earlier step read (which lacks the files written
    since)."""
    _forget_verified()


def _manifest(root: Path) -> dict[str, str]:
    key = str(root)
    found = _manifests.get(key)
    if found is not None:
        return found
    path = root / MANIFEST
    try:
        files = json.loads(path.read_bytes())["files"]
        if not isinstance(files, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise TypeError("'files' is not a map of file name to sha256")
    except OSError as e:
        raise DataError(f"codekit's bundled data is incomplete: cannot read {path} ({e}); "
                        "reinstall codekit") from None
    except (ValueError, KeyError, TypeError) as e:
        raise DataError(f"codekit's bundled data is damaged: {path} is unreadable ({e!r}); "
                        "reinstall codekit") from None
    missing = [name for name in files if not (root / name).is_file()]
    if missing:
        raise DataError(f"codekit's bundled data is incomplete: {root / missing[0]} is missing"
                        + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                        + "; reinstall codekit")
    for name, expected in files.items():
        if not name.endswith(".ckt"):  # a policy file: a few KB, checked now
            try:
                ok = hashlib.sha256((root / name).read_bytes()).hexdigest() == expected
            except OSError:
                ok = False
            if not ok:
                raise DataError(f"{root / name} is damaged (its sha256 differs from "
                                f"{path}); reinstall codekit")
    _manifests[key] = files
    return files


def check_bundled() -> None:
    """Check that no bundled file is missing and the bundled policy files are intact (once
    per process; every first open of a bundled table does it too)."""
    root = bundled_data_dir()
    if str(root) not in _manifests:
        with _verify_lock:
            _manifest(root)


def bundled_id() -> str:
    """The id of the bundled data: the first 16 hexadecimal digits of the sha256 of the
    ``files`` list of its ``PROVENANCE.json`` (every bundled table's and policy file's name
    and sha256, sorted by name, a ``name<TAB>sha256`` line each). Any rebuild that changes
    a byte of a bundled file changes it, whatever the version of codekit says; the same
    files give the same id on every machine."""
    root = bundled_data_dir()
    with _verify_lock:
        files = _manifest(root)
    listed = "".join(f"{name}\t{digest}\n" for name, digest in sorted(files.items()))
    return hashlib.sha256(listed.encode("utf-8")).hexdigest()[:16]


def verify_bundled(path: Path) -> bool:
    """Check a file of the bundled data against its manifest sha256 (once per process);
    False when ``path`` is not in the bundled data (then its sections are checked)."""
    root = bundled_data_dir()
    text = str(path)
    prefix = str(root) + os.sep
    if not text.startswith(prefix):
        return False
    if text in _verified:
        return True
    with _verify_lock:
        if text in _verified:
            return True
        files = _manifest(root)
        name = text[len(prefix):].replace(os.sep, "/")
        expected = files.get(name)
        if expected is None:
            raise DataError(f"{path} is not one of codekit's bundled files (not listed in "
                            f"{root / MANIFEST}); remove it or reinstall codekit")
        try:
            data = path.read_bytes()
        except OSError as e:
            raise DataError(f"cannot read codekit table {path}: {e}; reinstall codekit"
                            ) from None
        if hashlib.sha256(data).hexdigest() != expected:
            raise DataError(f"{path} is damaged (its sha256 differs from {root / MANIFEST}); "
                            "reinstall codekit")
        _verified[text] = None
    return True


#: A folder's header index: a table (no sections) whose ``meta["headers"]`` holds the
#: header ``meta`` of every other table of the folder, by file name
#: (:func:`write_headers`). Listed in the manifest like any table, so checked before use: a
#: store opens its tables lazily with their recorded headers (:func:`bundled_headers`), and
#: a file is hashed only when a section of it is first read.
HEADERS = "headers.ckt"


def write_headers(folder: Path) -> None:
    """Write ``folder``'s header index (:data:`HEADERS`) from the tables on disk (the build
    calls it with each manifest it writes, :mod:`codekit.build.provenance`)."""
    headers = {}
    for path in sorted(folder.glob("*.ckt")):
        if path.name != HEADERS:
            headers[path.name] = _read_header(path)[1]  # the files the manifest will list
    write(folder / HEADERS, {"kind": "headers", "headers": headers}, {})


def bundled_headers(folder: Path) -> dict[str, dict[str, Any]] | None:
    """The recorded header ``meta`` of each table of a bundled folder (file name -> meta),
    from its header index, checked against the manifest first; None for a folder outside
    the bundled data or without an index (its tables are then opened one by one)."""
    path = folder / HEADERS
    if not str(path).startswith(str(bundled_data_dir()) + os.sep) or not path.is_file():
        return None
    table = Table(path)
    headers = table.meta.get("headers")
    if not isinstance(headers, dict) or not all(isinstance(m, dict) for m in headers.values()):
        raise DataError(f"{path}: corrupt header index; reinstall codekit")
    return headers


def _read_header(path: Path) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The header of a table file, unchecked: its length, ``meta`` and sections by name."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if len(head) < 8 or head[:4] != MAGIC:
                raise DataError(f"{path}: not a codekit table (bad magic)")
            (size,) = struct.unpack("<I", head[4:])
            header = json.loads(f.read(size))
    except OSError as e:
        raise DataError(f"cannot read codekit table {path}: {e}") from e
    except ValueError as e:
        raise DataError(f"{path}: corrupt header: {e}") from e
    try:
        meta = header["meta"]
        sections = {s["name"]: s for s in header["sections"]}
        for entry in sections.values():
            for field in ("offset", "size", "raw_size"):
                if type(entry[field]) is not int or entry[field] < 0:
                    raise ValueError(f"section {entry['name']!r}: bad {field}")
        if not isinstance(meta, dict):
            raise TypeError("meta is not a map")
    except (KeyError, TypeError, ValueError) as e:
        raise DataError(f"{path}: corrupt header: {e!r}") from None
    return size, meta, sections


class Table:
    """A table file opened for lazy reading of its sections.

    With ``lazy=True`` not a byte of the file is read until its header (:attr:`meta`,
    :meth:`names`, ``in``) or a section is first asked for: a bundled file is then
    checked against its manifest sha256 before anything of it is used, as on an eager
    open, and a damaged, missing or unlisted file is the same :class:`DataError`, raised
    by that first question. For tables a process may never read (ICD-10-PCS's titles and
    tables beside its validity: a cold ``is_valid`` hashed 1 MB it did not use).

    ``meta``: the header's ``meta`` as recorded in a checked header index
    (:func:`bundled_headers`), which :attr:`meta` answers without reading the file; the
    file's own header, once read, must be the same (else :class:`DataError`)."""

    __slots__ = ("_base", "_checked", "_meta", "_recorded", "_sections", "path")

    def __init__(self, path: str | os.PathLike[str], *, lazy: bool = False,
                 meta: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self._sections: dict[str, Any] | None = None
        self._recorded = meta
        if not lazy:
            self._open()

    def _open(self) -> dict[str, Any]:
        """Check the file (a bundled one against its manifest) and read its header; the
        sections. Idempotent: two threads opening one lazy table both read the same."""
        #: whole file checked against the bundled manifest: sections need no check
        self._checked = verify_bundled(self.path)
        size, meta, sections = _read_header(self.path)
        if self._recorded is not None and meta != self._recorded:
            raise DataError(f"{self.path}: its header differs from the one recorded in "
                            f"{self.path.with_name(HEADERS)}; reinstall codekit")
        self._base = 8 + size
        self._meta: dict[str, Any] = meta
        self._sections = sections  # (last: it says the table is open)
        return sections

    def _header(self) -> dict[str, Any]:
        """The sections of the header, the file opened (and checked) first if lazy."""
        sections = self._sections
        return sections if sections is not None else self._open()

    @property
    def meta(self) -> dict[str, Any]:
        """The header's free-form ``meta`` (a release's id and dates, a table's kind)."""
        if self._recorded is not None:
            return self._recorded
        self._header()
        return self._meta

    def content_id(self) -> str:
        """What identifies the table's content without reading its sections again: the
        sha256 of its ``meta`` and of each section's sha256 (which a section read is
        checked against). A table pickled by its path checks it when opened again in
        another process (:func:`check_content`)."""
        sections = self._header()
        text = json.dumps([self.meta, {n: e.get("sha256") for n, e in sections.items()}],
                          sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __contains__(self, name: str) -> bool:
        return name in self._header()

    def names(self) -> list[str]:
        return sorted(self._header())

    def section(self, name: str) -> bytes:
        """The raw bytes of a section (decompressed and checked)."""
        sections = self._header()
        try:
            entry = sections[name]
        except KeyError:
            raise DataError(f"{self.path}: no section {name!r}") from None
        try:
            with open(self.path, "rb") as f:
                f.seek(self._base + entry["offset"])
                raw = zlib.decompress(f.read(entry["size"]))
        except (OSError, zlib.error) as e:
            raise DataError(f"{self.path}: cannot read section {name!r}: {e}") from e
        if len(raw) != entry["raw_size"]:
            raise DataError(f"{self.path}: section {name!r} is truncated")
        if not self._checked and hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
            raise DataError(f"{self.path}: section {name!r} is damaged (sha256 differs)")
        return raw

    def json(self, name: str) -> Any:
        return json.loads(self.section(name))


class StringColumn:
    """Row-indexed view of a :func:`pack_strings` section, decoding one row at a time."""

    __slots__ = ("_blob", "_starts")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        starts = array("I", [0])
        find = blob.find
        pos = find(b"\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        starts.append(len(blob) + 1)
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, i: int) -> str:
        s = self._starts
        return self._blob[s[i] : s[i + 1] - 1].decode("utf-8")

    def rows_containing(self, needle: bytes, *, fold: bool = False) -> list[int]:
        """Rows whose text contains ``needle`` (with ``fold``, ASCII case ignored: give
        ``needle`` in lower case)."""
        blob = self._blob.lower() if fold else self._blob
        starts = self._starts
        rows: list[int] = []
        pos = blob.find(needle)
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            if not rows or rows[-1] != i:
                rows.append(i)
            pos = blob.find(needle, starts[i + 1])  # the next row
        return rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._blob.decode("utf-8").split("\n")) if self._blob else iter(())


def release_meta(table: Table) -> tuple[str, dt.date, dt.date | None]:
    """The id, effective date and end (None: open) of a release table's header, or
    :class:`DataError` (a user release written by another tool, or damaged)."""
    meta = table.meta
    try:
        rid, until = meta["id"], meta.get("until")
        eff = dt.date.fromisoformat(meta["effective"])
        end = dt.date.fromisoformat(until) if until else None
    except (KeyError, TypeError, ValueError) as e:
        raise DataError(f"{table.path}: release header unreadable ({e!r})") from None
    if not isinstance(rid, str) or not RELEASE_ID.fullmatch(rid):
        raise DataError(f"{table.path}: release id {str(rid)[:80]!r} is not a release id")
    return rid, eff, end


class SortedMasks:
    """A code table's sorted codes (its ``codes`` section) and their period masks
    (``masks``, 64-bit little-endian), as the ICD-10-CM and ICD-10-PCS validity tables
    hold them: :meth:`mask` answers a process's first look-ups (up to
    :meth:`_probe_limit`) by bisecting the two sections (:meth:`_find`, each table's own
    layout), so a script that validates a few codes never makes the dict of every code;
    :attr:`masks` makes that dict once (:meth:`_make`), from the sections already read."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._lock = threading.Lock()
        self._masks: dict[str, int] | None = None
        #: before :attr:`masks` is made: the two sections, read (and checked:
        #: :meth:`_check`) on the first :meth:`mask`, and how many look-ups it answered
        self._sorted: tuple[bytes, array[int]] | None = None
        self._probes = 0

    def _probe_limit(self) -> int:
        raise NotImplementedError

    def _check(self, codes: bytes, masks: array[int]) -> None:
        """Raise :class:`DataError` when the sections do not agree (read on each first use)."""
        raise NotImplementedError

    def _find(self, codes: bytes, masks: array[int], code: str) -> int | None:
        raise NotImplementedError

    def _make(self, codes: bytes, masks: array[int]) -> dict[str, int]:
        raise NotImplementedError

    @property
    def masks(self) -> dict[str, int]:
        """Every code's mask of the periods in which it is valid."""
        if self._masks is None:
            with self._lock:
                if self._masks is None:
                    self._masks = self._make(*(self._sorted or self._read_sorted()))
                    self._sorted = None
        return self._masks

    @property
    def made_masks(self) -> dict[str, int] | None:
        """:attr:`masks` once made (None before: :meth:`mask` is answering)."""
        return self._masks

    def mask(self, code: str) -> int | None:
        """``masks.get(code)`` for a compact code, without making :attr:`masks` for a
        process's first look-ups."""
        masks = self._masks
        if masks is not None:
            return masks.get(code)
        if self._probes >= self._probe_limit():
            return self.masks.get(code)
        self._probes += 1  # unlocked: a count off by a few only moves when the dict is made
        found = self._sorted
        if found is None:
            with self._lock:
                found = self._sorted
                if found is None:
                    found = self._sorted = self._read_sorted()
        return self._find(*found, code)

    def _read_sorted(self) -> tuple[bytes, array[int]]:
        codes = self.table.section("codes")
        masks = array("Q")
        masks.frombytes(self.table.section("masks"))
        if sys.byteorder != "little":  # pragma: no cover
            masks.byteswap()
        self._check(codes, masks)
        return codes, masks


class DatedMasks(SortedMasks):
    """:class:`SortedMasks` whose bits are date periods, as the ICD-10-CM and ICD-10-PCS
    validity tables hold them: the table's ``meta`` gives the first day of each period
    (``periods``) and the last day the data speaks for (``table_end``). A copy may add a
    user release (:meth:`_with_release_masks`; the release is then one of
    :attr:`overrides`) or the date spans of unreadable ones (:meth:`with_broken`)."""

    def __init__(self, table: Table) -> None:
        super().__init__(table)
        meta = table.meta
        self.periods: list[dt.date] = [dt.date.fromisoformat(p) for p in meta["periods"]]
        self.table_end: dt.date = dt.date.fromisoformat(meta["table_end"])
        #: user releases in force: (release id, its first day, its last day or None)
        self.overrides: list[tuple[str, dt.date, dt.date | None]] = []
        #: date spans of unreadable user releases: (start, end or None, the error to raise)
        self.broken: list[tuple[dt.date, dt.date | None, DataError]] = []

    def period(self, on: dt.date) -> int:
        """Index of the period holding ``on`` (-1 before the first); raises the
        :class:`DataError` of an unreadable user release that covers ``on``."""
        if self.broken:
            for start, end, error in self.broken:
                if start <= on and (end is None or on <= end):
                    raise DataError(str(error))  # a new one: a re-raise grows its traceback
        return bisect.bisect_right(self.periods, on) - 1

    def with_broken(self, spans: list[tuple[dt.date, dt.date | None, DataError]]) -> Self:
        """A copy that raises each span's error for the dates it covers."""
        v = copy.copy(self)
        v.broken = [*self.broken, *spans]
        return v

    @functools.cached_property
    def ends(self) -> list[dt.date | None]:
        """The last day of each period (None for the last, open one)."""
        p = self.periods
        return [*(b - dt.timedelta(days=1) for b in p[1:]), None]

    def ranges(self, code: str) -> list[tuple[dt.date, dt.date | None]]:
        """The ``(start, end)`` date ranges (``end`` inclusive, None = open) in which
        ``code`` is valid (with an unreadable user release, its :class:`DataError`: its
        dates are unknown)."""
        if self.broken:
            raise DataError(str(self.broken[0][2]))
        return mask_ranges(self.masks.get(code, 0), self.periods, self.ends)

    def _with_release_masks(self, release_id: str, start: dt.date, until: dt.date | None,
                            codes: Iterable[str]) -> Self:
        """A bare copy (:class:`SortedMasks`'s and this class's fields only; a subclass
        sets its own) in which ``codes`` are valid from ``start`` to ``until`` (inclusive;
        None: open) and no other code is: the periods gain the release's bounds, each
        code's mask is moved onto them and loses the release's dates."""
        stop = until + dt.timedelta(days=1) if until else None
        periods = sorted({*self.periods, start, *([stop] if stop else [])})
        old = [self.period(p) for p in periods]
        inside = [start <= p and (stop is None or p < stop) for p in periods]

        def convert(mask: int) -> int:
            new = 0
            for j, oi in enumerate(old):
                if not inside[j] and oi >= 0 and mask >> oi & 1:
                    new |= 1 << j
            return new

        bits = sum(1 << j for j, ins in enumerate(inside) if ins)
        base = self.masks
        remap = {m: convert(m) for m in set(base.values())}  # a few hundred masks
        masks = dict(zip(base, map(remap.__getitem__, base.values()), strict=True))
        for c in codes:
            masks[c] = masks.get(c, 0) | bits
        v = type(self).__new__(type(self))
        v.table, v._lock, v._masks, v._sorted, v._probes = (
            self.table, threading.Lock(), masks, None, 0)
        v.periods, v.table_end = periods, self.table_end
        v.overrides = [*self.overrides, (release_id, start, until)]
        v.broken = list(self.broken)
        return v


def check_content(path: str, found: str, expected: str | None) -> None:
    """Raise :class:`DataError` naming ``path`` when the table opened there again (its
    :meth:`Table.content_id` ``found``) is not the one opened before (``expected``; None:
    not recorded)."""
    if expected is not None and found != expected:
        raise DataError(f"{path}: not the table that was opened (changed or replaced "
                        f"since): its content id is now {found}, it was {expected}")
