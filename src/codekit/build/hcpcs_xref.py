"""The codes CMS names in place of discontinued HCPCS Level II codes, bundled as
``data/procedures/xref.ckt``.

``python -m codekit.build bundled`` builds it after the procedure tables;
``python -m codekit.build.hcpcs_xref [--reference DIR] [--out DATA]`` builds it alone (it
reads only the CMS file and the ``procedures/codes.ckt`` already in ``DATA``).

Input: the official CMS HCPCS Level II alpha-numeric file of October 2025
(``hcpcs_2025q4/HCPC2025_OCT_ANWEB.xlsx`` of the reference directory, pinned by its
sha256), read with :func:`codekit.hcpcs.load_release`. For every code the file lists with
a termination date (``TERM DT``) and at least one cross-reference (``XREF1``-``XREF5``),
the table keeps the date and the codes named, when the bundled IOCE quarters know the code
(a code that ended before 2019-07-01 is unknown to them, and left out: counted in the
provenance). Nothing is added or corrected: a code the file lists without a
cross-reference (J1020, J1030, J1040, ended 2024-03-31, which the methylprednisolone
acetate per-1-mg code J1010 replaced) gets none. The build checks each kept code's
termination date against the last day the IOCE quarters give it, and which named codes
may be reported the day after it ended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import _artifact
from ..errors import DataError
from ..hcpcs import load_release, pack_cross_references
from ..procedure import ProcedureStore
from ..procedure import is_valid as procedure_is_valid
from . import provenance
from .reference import Reference, run_step

__all__ = ["ANWEB", "build_cross_references", "main"]

#: The CMS HCPCS file of October 2025 in the reference directory, and its sha256.
ANWEB = ("hcpcs_2025q4/HCPC2025_OCT_ANWEB.xlsx",
         "6fcd04186caa69af047915d16426a05ba20e49c3eba2367f472a94b534f9be52")
FILE = "procedures/xref.ckt"


def _checks(rows: list[tuple[str, dt.date, tuple[str, ...]]],
            store: ProcedureStore) -> dict[str, Any]:
    """Each kept code's termination date against the bundled quarters' last day for it,
    and the named codes that may not be reported the day after the code ended."""
    agree = 0
    differ = []
    not_valid_after = []
    for code, term, named in rows:
        last = store.ioce_ranges(code)[-1][1]
        if last == term:
            agree += 1
        else:
            differ.append({"code": code, "terminated": term.isoformat(),
                           "ioce_last_day": last.isoformat() if last else None})
        after = term + dt.timedelta(days=1)
        bad = [c for c in named if not procedure_is_valid(c, on=after, store=store)]
        if bad:
            not_valid_after.append({"code": code, "day": after.isoformat(), "named": bad})
    return {"termination_date_agrees_with_ioce": agree,
            "termination_date_differs": differ,
            "named_not_valid_the_day_after": not_valid_after}


def build_cross_references(reference: Path, out: Path) -> dict[str, Any]:
    """Write ``out/procedures/xref.ckt`` from the reference directory's CMS HCPCS file
    and its record in ``out/PROVENANCE.json`` (key ``hcpcs_cross_references``)."""
    ref = Reference(reference)
    data = ref.read(ANWEB[0], pin=ANWEB[1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(ANWEB[0]).name
        path.write_bytes(data)
        release = load_release(path, store=ProcedureStore(out))
    store = ProcedureStore(out)  # the bundled quarters only (no file loaded)
    known = store.codes.masks
    ended = [(c, r.terminated, r.cross_references) for c, r in sorted(release.codes.items())
             if r.terminated is not None and r.cross_references]
    rows = [r for r in ended if r[0] in known]
    left_out = [r for r in ended if r[0] not in known]
    counts = {
        "codes": len(release.codes),
        "codes_with_cross_references": sum(1 for r in release.codes.values()
                                           if r.cross_references),
        "discontinued_with_cross_references": len(ended),
        "kept": len(rows),
        "left_out_unknown_to_the_bundled_quarters": len(left_out),
        "left_out_latest_termination": max(r[1] for r in left_out).isoformat()
        if left_out else None,
        "named_codes": sum(len(r[2]) for r in rows),
        "kept_by_termination_year": dict(sorted(Counter(str(r[1].year)
                                                        for r in rows).items())),
    }
    if not rows:
        raise DataError(f"{ANWEB[0]}: no discontinued code with a cross-reference that the "
                        "bundled quarters know (is procedures/codes.ckt built?)")
    source = ref.used[ANWEB[0]]
    meta, sections = pack_cross_references(rows, {
        "release": release.label, "effective": release.effective.isoformat(),
        "source": {"title": "CMS HCPCS Level II alpha-numeric file, October 2025 "
                            "(XREF1-XREF5, TERM DT)",
                   "reference": source["path"], "sha256": source["content_sha256"]},
        "counts": counts})
    target = out / FILE
    _artifact.write(target, meta, sections)
    stored = target.read_bytes()
    value = {"file": FILE, "bytes": len(stored), "sha256": hashlib.sha256(stored).hexdigest(),
             "source": source, "release": release.label,
             "effective": release.effective.isoformat(), "counts": counts,
             "checks": _checks(rows, store)}
    provenance.update(out, "hcpcs_cross_references", value, [])
    return value


def _summary(rec: dict[str, Any]) -> str:
    counts = rec["counts"]
    return (f"HCPCS cross-references: {counts['kept']} discontinued codes "
            f"({counts['left_out_unknown_to_the_bundled_quarters']} older ones left out), "
            f"{rec['bytes']} bytes -> {rec['file']}")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m codekit.build.hcpcs_xref [--reference DIR] [--out DIR]``."""
    return run_step(argv, prog="python -m codekit.build.hcpcs_xref", doc=__doc__,
                    build=build_cross_references, summary=_summary)


if __name__ == "__main__":
    raise SystemExit(main())
