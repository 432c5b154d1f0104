"""The ``ADD DT`` and ``TERM DT`` CMS's HCPCS file gives Level II codes, bundled as
``data/procedures/hcpcs_dates.ckt``.

``python -m codekit.build bundled`` builds it after the procedure tables (before the
cross-references); ``python -m codekit.build.hcpcs_dates [--reference DIR] [--out DATA]``
builds it alone (it reads only the CMS file and the ``procedures/codes.ckt`` already in
``DATA``).

Input: the official CMS HCPCS Level II alpha-numeric file of October 2025
(``hcpcs_2025q4/HCPC2025_OCT_ANWEB.xlsx`` of the reference directory, pinned by its
sha256), read with :func:`codekit.hcpcs.load_release`. The table keeps, for every code the
file lists that the bundled IOCE quarters know, its ``ADD DT`` and ``TERM DT``; and the
Level II codes (not CPT, not CDT) the IOCE quarters list on or before the last day of the
file's quarter that the file does not list (the I/OCE's "Payer Only code"s). Level II
validity follows it (:mod:`codekit._procedures._hcpcs_dates` says how, and which source
wins where they disagree). Nothing is corrected: the dates are the file's.

The build records in ``PROVENANCE.json`` (key ``hcpcs_dates``) where the file and the
IOCE quarters (with their date edits) disagree on ``[2019-07-01, 2025-12-31]``, code by
code: days the I/OCE's date edits reject inside the file's dates (now valid, the
outpatient edits judge them), days the I/OCE accepts outside them (now invalid), and whole
IOCE quarters without a code inside its file dates (kept as gaps), with the file's last
action on the code.
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
from .._dates import OPEN, subtract
from ..errors import DataError
from ..hcpcs import HcpcsRelease, load_release, pack_hcpcs_dates
from ..procedure import ProcedureStore
from . import provenance
from .hcpcs_xref import ANWEB
from .reference import Reference, run_step

__all__ = ["build_hcpcs_dates", "main"]

FILE = "procedures/hcpcs_dates.ckt"

Span = tuple[int, int]


def _level_ii(code: str) -> bool:
    return not code[0].isdigit() and code[0] != "D"


def _through(effective: dt.date) -> dt.date:
    """The last day of the quarter starting ``effective``."""
    month = effective.month + 3
    return dt.date(effective.year + (month - 1) // 12, (month - 1) % 12 + 1, 1) - \
        dt.timedelta(days=1)


def _spans(ranges: Sequence[tuple[dt.date | None, dt.date | None]], lo: int,
           hi: int) -> list[Span]:
    """``ranges`` (end inclusive, None = open) as ordinal spans clipped to ``[lo, hi]``."""
    out = []
    for a, b in ranges:
        s = max(lo if a is None else a.toordinal(), lo)
        e = min(OPEN if b is None else b.toordinal(), hi)
        if s <= e:
            out.append((s, e))
    return out


def _minus(a: list[Span], b: list[Span]) -> list[Span]:
    """The days of ``a`` not in ``b`` (sorted, disjoint spans)."""
    out = list(a)
    for cut in b:
        out = subtract(out, cut)
    return sorted(out)


def _iso(spans: list[Span]) -> list[list[str]]:
    return [[dt.date.fromordinal(a).isoformat(), dt.date.fromordinal(b).isoformat()]
            for a, b in spans]


def _checks(release: HcpcsRelease, store: ProcedureStore, kept: list[str],
            first: dt.date, through: dt.date) -> dict[str, Any]:
    """Where the file and the IOCE quarters disagree on ``[first, through]``."""
    lo, hi = first.toordinal(), through.toordinal()
    qs = store.quarters
    date_edit: dict[str, Any] = {}
    outside: dict[str, Any] = {}
    gaps: dict[str, Any] = {}
    for code in kept:
        rec = release.codes[code]
        ioce = _spans(store.ioce_ranges(code), lo, hi)  # what the I/OCE accepts
        now = _spans(store.ranges("codes", code), lo, hi)  # the file within the quarters
        listed = _spans(qs.ranges(store.codes.masks[code]), lo, hi)
        file = _spans([(rec.added, rec.terminated)], lo, hi)
        if more := _minus(now, ioce):
            limit = store.date_limit(code, dt.date.fromordinal(more[0][0]))
            date_edit[code] = {"days": _iso(more),
                               "ioce_edit": limit.ioce_edit if limit else None}
        if less := _minus(ioce, now):
            outside[code] = {"days": _iso(less),
                             "added": rec.added.isoformat() if rec.added else None,
                             "terminated": rec.terminated.isoformat()
                             if rec.terminated else None}
        if gap := _minus(file, listed):
            last = rec.action_effective
            gaps[code] = {"days": _iso(gap), "action_effective": last.isoformat() if last else None,
                          "action": rec.action,
                          "ends_on_the_last_action": last is not None and all(
                              e + 1 == last.toordinal() for _, e in gap)}
    later = [c for c in kept if (t := release.codes[c].terminated) is not None and
             t <= through and any(b is None or b > through
                                  for _, b in qs.ranges(store.codes.masks[c]))]
    return {"ioce_date_edit_days_inside_the_file_dates": date_edit,
            "ioce_days_outside_the_file_dates": outside,
            "ioce_quarters_without_the_code_inside_the_file_dates": gaps,
            "ended_by_the_file_yet_listed_by_later_quarters": later,
            "added_after_the_file_quarter": sorted(
                c for c in kept if (a := release.codes[c].added) is not None and a > through)}


def build_hcpcs_dates(reference: Path, out: Path) -> dict[str, Any]:
    """Write ``out/procedures/hcpcs_dates.ckt`` from the reference directory's CMS HCPCS
    file and its record in ``out/PROVENANCE.json`` (key ``hcpcs_dates``)."""
    ref = Reference(reference)
    data = ref.read(ANWEB[0], pin=ANWEB[1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(ANWEB[0]).name
        path.write_bytes(data)
        # read into a store of the build's own: the process-wide store (every checker's)
        # must not answer from a file a build step read
        release = load_release(path, store=ProcedureStore(out))
    store = ProcedureStore(out)  # the bundled quarters (this table's own file unread)
    qs = store.quarters
    masks = store.codes.masks
    through = _through(release.effective)
    last_q = max(i for i, s in enumerate(qs.starts) if s <= through)
    before = (1 << (last_q + 1)) - 1  # the quarters up to the file's
    kept = sorted(c for c in release.codes if c in masks)
    unlisted = sorted(c for c, m in masks.items()
                      if _level_ii(c) and c not in release.codes and m & before)
    if not kept:
        raise DataError(f"{ANWEB[0]}: no code the bundled quarters know (is "
                        "procedures/codes.ckt built?)")
    titles: Counter[str] = Counter()
    for c in unlisted:
        row = store.codes.nearest_row(c, last_q)
        titles[(store.codes.description(row) if row is not None else None) or ""] += 1
    counts = {
        "codes": len(release.codes),
        "kept": len(kept),
        "left_out_unknown_to_the_bundled_quarters": len(release.codes) - len(kept),
        "with_termination_date": sum(release.codes[c].terminated is not None for c in kept),
        "unlisted": len(unlisted),
        "unlisted_by_ioce_title": dict(sorted(titles.items())),
    }
    source = ref.used[ANWEB[0]]
    meta, sections = pack_hcpcs_dates(
        [(c, release.codes[c].added, release.codes[c].terminated) for c in kept], unlisted, {
            "release": release.label, "effective": release.effective.isoformat(),
            "through": through.isoformat(),
            "source": {"title": "CMS HCPCS Level II alpha-numeric file, October 2025 "
                                "(ADD DT, TERM DT)",
                       "reference": source["path"], "sha256": source["content_sha256"]},
            "counts": counts})
    target = out / FILE
    _artifact.write(target, meta, sections)
    # the checks read the table written, through a store made now: list it first
    provenance.write_manifest(out)
    checks = _checks(release, ProcedureStore(out), kept, qs.first, through)
    stored = target.read_bytes()
    value = {"file": FILE, "bytes": len(stored), "sha256": hashlib.sha256(stored).hexdigest(),
             "source": source, "release": release.label,
             "effective": release.effective.isoformat(), "through": through.isoformat(),
             "counts": counts, "unlisted": unlisted, "checks": checks}
    provenance.update(out, "hcpcs_dates", value, [])
    return value


def _summary(rec: dict[str, Any]) -> str:
    counts = rec["counts"]
    return (f"HCPCS dates: {counts['kept']} Level II codes, {counts['unlisted']} the file "
            f"does not list, {rec['bytes']} bytes -> {rec['file']}")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m codekit.build.hcpcs_dates [--reference DIR] [--out DIR]``."""
    return run_step(argv, prog="python -m codekit.build.hcpcs_dates", doc=__doc__,
                    build=build_hcpcs_dates, summary=_summary)


if __name__ == "__main__":
    raise SystemExit(main())
