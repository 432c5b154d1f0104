"""The on-disk format of codekit's data tables (shared by the build and the run time).

A table file (``*.ckt``) is a small container of named sections, each zlib-compressed and
read only when asked for:

``b"CKT1"`` · u32 header length · JSON header · section bytes...

The header holds free-form ``meta`` and, per section, its offset, compressed and raw
length and the sha256 of the raw bytes. Writing is deterministic: the same sections give
the same bytes (sorted JSON keys, fixed compression level, no time stamps).

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
import json
import os
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .errors import DataError

__all__ = ["StringColumn", "Table", "pack_strings", "write"]

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
    import hashlib

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


class Table:
    """A table file opened for lazy reading of its sections."""

    __slots__ = ("_base", "_sections", "meta", "path")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as f:
                head = f.read(8)
                if len(head) < 8 or head[:4] != MAGIC:
                    raise DataError(f"{self.path}: not a codekit table (bad magic)")
                (size,) = struct.unpack("<I", head[4:])
                header = json.loads(f.read(size))
        except OSError as e:
            raise DataError(f"cannot read codekit table {self.path}: {e}") from e
        except ValueError as e:
            raise DataError(f"{self.path}: corrupt header: {e}") from e
        self._base = 8 + size
        self.meta: dict[str, Any] = header["meta"]
        self._sections = {s["name"]: s for s in header["sections"]}

    def __contains__(self, name: str) -> bool:
        return name in self._sections

    def names(self) -> list[str]:
        return sorted(self._sections)

    def section(self, name: str) -> bytes:
        """The raw bytes of a section (decompressed and checked)."""
        try:
            entry = self._sections[name]
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
