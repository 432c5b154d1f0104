"""Licensed CPT descriptors, loaded from the user's own file (never shipped with codekit).

CPT descriptors are copyrighted by the AMA. Users who hold a licence point codekit at
their descriptor file: one code and one descriptor per line, separated by a tab or a
comma (a first header row is skipped; comma files may quote the descriptor). The text is
kept in memory only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .._files import (
    FileIdentity,
    FileLimits,
    Problems,
    RowProblem,
    identify,
    limit_error,
    open_rows,
    reread,
)
from ..errors import DataError
from ._format import FAST_CODE

__all__ = ["CptDescriptors", "load_descriptors"]

_SPACE = re.compile(r"([0-9]{4}[0-9AMFTU])\s+(\S.*)")


class CptDescriptors:
    """CPT code → descriptor, from one user file."""

    __slots__ = ("path", "problems", "source", "titles")

    def __init__(self, path: Path, titles: dict[str, str],
                 problems: tuple[RowProblem, ...] = (),
                 source: FileIdentity | None = None) -> None:
        self.path = path
        #: The file's absolute path, size and sha256 of the bytes its rows were parsed
        #: from, hashed in the same read (what reading it again in a worker process
        #: checks).
        self.source = source if source is not None else identify(path)
        self.titles = titles
        self.problems = problems

    def __reduce__(self) -> tuple[Any, ...]:
        # read again as it was read (row problems collected, not refused), checked
        return (reread, (load_descriptors, self.source,
                         {"errors": "collect" if self.problems else "raise"}))

    def __repr__(self) -> str:
        return f"<CptDescriptors {len(self.titles)} codes from {self.path.name}>"

    def __len__(self) -> int:
        return len(self.titles)


def load_descriptors(path: str | os.PathLike[str], *, errors: str = "raise",
                     limits: FileLimits | None = None) -> CptDescriptors:
    """Read a CPT descriptor file (tab- or comma-separated code + descriptor) within
    ``limits``."""
    p = Path(path)
    probs = Problems(p, errors, limits)
    preamble = 0
    titles: dict[str, str] = {}
    seen_data = False
    with open_rows(p, probs.limits) as src:
        for cells in src:
            line = src.line
            if not any(c.strip() for c in cells):
                continue
            first = cells[0].strip().upper()
            if len(cells) == 1 and (m := _SPACE.fullmatch(cells[0].strip())):
                first, cells = m[1], [m[1], m[2]]
            if FAST_CODE.fullmatch(first) is None or not first[0].isdigit():
                if not seen_data:
                    preamble += 1
                    if preamble > probs.limits.max_preamble_rows:
                        raise limit_error(p, probs.limits, "max_preamble_rows")
                    continue  # a header row
                probs.add(line, f"not a CPT code: {cells[0]!r}", cells)
                continue
            seen_data = True
            text = ",".join(cells[1:]).strip().strip('"').strip()
            if not text:
                probs.add(line, f"no descriptor after {first}", cells)
                continue
            old = titles.get(first)
            if old is not None and old != text:
                probs.add(line, f"{first} appears twice with different descriptors", cells)
                continue
            titles[first] = text
        source = src.identity()
    if not titles and not probs.items:
        raise DataError(f"{p}: no CPT code and descriptor rows found")
    return CptDescriptors(p, titles, tuple(probs.items), source)
