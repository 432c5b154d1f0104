"""The CDC ICD-10-CM conversion table, bundled as ``data/icd10cm/conversion.ckt``.

``python -m codekit.build bundled`` builds it after the ICD-10-CM releases;
``python -m codekit.build.conversion [--reference DIR] [--out DATA]`` builds it alone
(it reads only the workbook and the release tables already in ``DATA``).

Input: the official CDC FY2026 conversion table
(``icd10cm_fy2026/ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx`` of the reference directory,
pinned by its sha256), cumulative FY2017-FY2026: one sheet of a title note, a header row,
then one row a new code: the current code (dotted), the year it took effect (October 1 of
that year) or, for a mid-year update, the date as an Excel serial number (43922 =
2020-04-01), and its previous code(s) as text. The text is read into tokens:

========================================== =====================================
text                                       tokens
========================================== =====================================
``G35``                                    ``G35``
``E11.69 and R40.20``, ``A, B; C``, ``&``  one token each (``E1169 R4020``)
``H35.20-H35.23``                          a span ``H3520-H3523``
``Codes in Categories T15-T19``            a span ``T15-T19``
``I63.-``, ``a code from R11-``            the category ``I63``, ``R11``
``None``                                   no token
========================================== =====================================

Exact duplicate rows (O44.20 to O44.33 are listed twice) are kept once. Nothing is
corrected: a previous code the table misspells (``V29.80XA`` for V29.81XA, ``Q25.12``
for Q52.12) stays as written and is listed in the provenance; codekit names a code from
the table only when it is billable on the date asked about, so such a token names
nothing. The build checks every row's date against the date codekit's own release
tables say the code took effect.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import _artifact
from .._xlsx import iter_rows
from ..errors import DataError
from ..icd10cm import Store
from ..icd10cm._store import pack_conversion
from . import provenance
from .reference import Reference, run_step

__all__ = ["CONVERSION", "build_conversion", "main", "previous_tokens", "read_conversion"]

#: The CDC FY2026 conversion table in the reference directory, and its sha256.
CONVERSION = ("icd10cm_fy2026/ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx",
              "9040e201d336180bc2f9b5824661a02899bb969d107f352aa81b2e44730d2479")
HEADER = ["Current code assignment", "Effective", "Previous Code(s) Assignment"]

_CODE = r"[A-Z][0-9A][0-9A-Z](?:\.?[0-9A-Z]{1,4})?"  # (W453XXA: one is undotted)
_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
_LEAD = re.compile(r"(?:codes? (?:in|from) categories|a code from)\s+", re.IGNORECASE)
_PIECE = re.compile(rf"({_CODE})\s*-\s*({_CODE})|({_CODE})(?:\.?-)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def previous_tokens(text: str) -> list[str]:
    """The tokens of a "Previous Code(s) Assignment" cell (compact codes and spans).

    >>> previous_tokens("H44.20-H44.23 and H35.30"), previous_tokens("None")
    (['H4420-H4423', 'H3530'], [])
    >>> previous_tokens("K59.09 AND Code from categories T36-T50")
    ['K5909', 'T36-T50']
    >>> previous_tokens("I63.- and P91.88"), previous_tokens("K31.89 and a code from R11-")
    (['I63', 'P9188'], ['K3189', 'R11'])
    """
    text = text.strip()
    if text.lower() == "none":
        return []
    out = []
    for piece in _SEPARATOR.split(text):
        m = _PIECE.fullmatch(_LEAD.sub("", piece.strip(), count=1))
        if m is None:
            raise DataError(f"conversion table: cannot read previous code(s) {text!r}")
        first, last, one = (g.replace(".", "") if g else g for g in m.groups())
        out.append(f"{first}-{last}" if first else one)
    return out


def _effective(cell: str) -> dt.date:
    """October 1 of a year (``2016``), or an Excel serial date (``43922``)."""
    cell = cell.strip()
    if re.fullmatch(r"20[0-9]{2}", cell):
        return dt.date(int(cell), 10, 1)
    if re.fullmatch(r"4[0-9]{4}", cell):
        return _EXCEL_EPOCH + dt.timedelta(days=int(cell))
    raise DataError(f"conversion table: effective date {cell!r} is neither a year nor a date")


def read_conversion(path: Path) -> tuple[list[tuple[str, dt.date, list[str]]], dict[str, Any]]:
    """The rows of the conversion workbook ``path`` (current code compact, the date it took
    effect, the previous-code tokens), in sheet order, and what was read (counts)."""
    rows: list[tuple[str, dt.date, list[str]]] = []
    header_seen = False
    blank = 0
    for number, cells in iter_rows(path):
        cells = [c.strip() for c in cells]
        if not header_seen:
            header_seen = cells[:3] == HEADER
            continue
        if not any(cells):
            blank += 1
            continue
        if len(cells) < 3 or not re.fullmatch(_CODE, cells[0]):
            raise DataError(f"{path}: row {number}: not a code, a date and previous codes: "
                            f"{cells[:3]!r}")
        rows.append((cells[0].replace(".", ""), _effective(cells[1]), previous_tokens(cells[2])))
    if not header_seen:
        raise DataError(f"{path}: no header row {HEADER!r}")
    unique = sorted({(c, e, tuple(t)) for c, e, t in rows})
    tokens = [t for _, _, ts in unique for t in ts]
    counts = {
        "sheet_rows": len(rows), "duplicate_rows": len(rows) - len(unique),
        "rows": len(unique), "current_codes": len({c for c, _, _ in unique}),
        "rows_without_previous_code": sum(1 for _, _, t in unique if not t),
        "previous_tokens": len(tokens), "previous_spans": sum("-" in t for t in tokens),
        "blank_rows": blank,
        "by_effective_date": dict(sorted(Counter(e.isoformat() for _, e, _ in unique).items())),
    }
    return [(c, e, list(t)) for c, e, t in unique], counts


def _check(rows: list[tuple[str, dt.date, list[str]]], store: Store) -> dict[str, Any]:
    """Each row's date against the date codekit's releases say the code took effect, and
    the codes the table names that no codekit release has."""
    masks, known = store.validity.masks, store.known_codes()
    agree = 0
    differ = []
    for code, effective, _ in rows:
        ranges = store.validity.ranges(code) if code in masks else []
        if ranges and ranges[0][0] == effective:
            agree += 1
        else:
            differ.append({"code": code, "effective": effective.isoformat(),
                           "codekit": ranges[0][0].isoformat() if ranges else None})
    unknown = sorted({p for _, _, ts in rows for t in ts for p in t.split("-")
                      if p not in known})
    return {"effective_date_agrees": agree, "effective_date_differs": differ,
            "previous_codes_unknown_to_codekit": unknown}


def build_conversion(reference: Path, out: Path) -> dict[str, Any]:
    """Write ``out/icd10cm/conversion.ckt`` from the reference directory's CDC workbook
    and its record in ``out/PROVENANCE.json`` (key ``icd10cm_conversion``)."""
    ref = Reference(reference)
    data = ref.read(CONVERSION[0], pin=CONVERSION[1])
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / Path(CONVERSION[0]).name
        workbook.write_bytes(data)
        rows, counts = read_conversion(workbook)
    path = out / "icd10cm" / "conversion.ckt"
    with tempfile.TemporaryDirectory() as no_user_data:  # the bundled releases only
        checks = _check(rows, Store(out, Path(no_user_data)))
    source = ref.used[CONVERSION[0]]
    meta, sections = pack_conversion(rows, {
        "source": {"title": "CDC ICD-10-CM FY2026 Conversion Table (cumulative FY2017-FY2026)",
                   "reference": source["path"], "sha256": source["content_sha256"]},
        "counts": counts})
    _artifact.write(path, meta, sections)
    stored = path.read_bytes()
    value = {"file": "icd10cm/conversion.ckt", "bytes": len(stored),
             "sha256": hashlib.sha256(stored).hexdigest(), "source": source,
             "counts": counts, "checks": checks}
    provenance.update(out, "icd10cm_conversion", value, [])
    return value


def _summary(rec: dict[str, Any]) -> str:
    counts = rec["counts"]
    return (f"conversion table: {counts['rows']} rows, {counts['current_codes']} codes, "
            f"{rec['bytes']} bytes -> {rec['file']}")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m codekit.build.conversion [--reference DIR] [--out DIR]``."""
    return run_step(argv, prog="python -m codekit.build.conversion", doc=__doc__,
                    build=build_conversion, summary=_summary)


if __name__ == "__main__":
    raise SystemExit(main())
