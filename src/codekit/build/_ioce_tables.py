"""The CMS I/OCE tables inside the pyoce wheel (an LMDB, xz-compressed), read for the
builds of the procedure data (``build.procedures``) and of the I/OCE lists
(``build.ioce``)."""

from __future__ import annotations

import datetime as dt
import lzma
import marshal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._dates import OPEN
from ..errors import DataError
from .icd10cm_sources import lmdb_module

__all__ = ["IoceTables", "ymd"]


def ymd(n: int) -> dt.date:
    """A ``YYYYMMDD`` number as a date.

    >>> ymd(20240701)
    datetime.date(2024, 7, 1)
    """
    return dt.date(n // 10000, n // 100 % 100, n % 100)


class IoceTables:
    """The LMDB inside pyoce, decompressed into ``tmp``: its tables by name, and its
    versions (quarters) in order."""

    def __init__(self, mdb_xz: bytes, tmp: Path) -> None:
        lmdb = lmdb_module()
        path = tmp / "pyoce.mdb"
        path.write_bytes(lzma.decompress(mdb_xz))
        self.env = lmdb.open(str(path), subdir=False, readonly=True, lock=False, max_dbs=64)
        #: (internal version number, version id, first day, last day), oldest first.
        self.versions: list[tuple[int, str, dt.date, dt.date]] = sorted(
            (d["version"], d["version_id"], ymd(d["date_started"]), ymd(d["date_ended"]))
            for _, d in self.rows(b"version_range"))
        self.pos = {v[0]: i for i, v in enumerate(self.versions)}
        if [v[0] for v in self.versions] != list(range(self.versions[0][0],
                                                       self.versions[-1][0] + 1)):
            raise DataError("IOCE versions are not consecutive")

    def raw(self, name: bytes) -> Iterator[tuple[bytes, bytes]]:
        """The rows of table ``name``, key and value as stored."""
        db = self.env.open_db(name)
        with self.env.begin(db=db) as tx:
            yield from tx.cursor()

    def rows(self, name: bytes) -> Iterator[tuple[bytes, Any]]:
        """The rows of table ``name``, values unmarshalled."""
        for k, v in self.raw(name):
            yield k, marshal.loads(v)

    def dates(self, lo: int, hi: int) -> tuple[int, int]:
        """Effective and last-day ordinals of versions ``lo``..``hi`` (0 / ``OPEN`` where
        they reach the first / last version)."""
        first, last = self.pos[lo], self.pos[hi]
        eff = 0 if first == 0 else self.versions[first][2].toordinal()
        end = OPEN if last == len(self.versions) - 1 else self.versions[last][3].toordinal()
        return eff, end

    def close(self) -> None:
        self.env.close()
