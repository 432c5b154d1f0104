"""Building the bundled ``data/procedures/`` and ``data/ncci/`` from the IOCE tables in pyoce.

Everything comes from one pinned carrier, ``pyoce==0.1.0`` (``pyoce/data/pyoce.mdb.xz``:
the CMS Integrated Outpatient Code Editor tables, 28 quarterly releases from 2019-07-01 to
the 2026-04-01 release), the age limits of :data:`AGE_LIMITS` (newborn care codes the
IOCE gives no age, each with its source) and the CPT modifiers of :data:`CPT_MODIFIERS`
(Category II modifiers the IOCE does not list, each with its source). Files written:

``procedures/codes.ckt``
    Every CPT and HCPCS Level II code by quarter: rows ``(code, first quarter, last
    quarter)`` with the OPPS status indicator, age limits and selected IOCE flags
    (bilateral, add-on type, ...), and the approval and termination dates of codes CMS
    approved or ended inside a quarter with the IOCE date edit that applies (67, 68, 69,
    83, 110, 134, 136). Short descriptors are kept for HCPCS Level II only:
    ``data_hcpcs.description`` holds AMA CPT text for codes starting with a digit and ADA
    CDT text for D codes, and both are dropped here.
``procedures/modifiers.ckt``
    Modifiers by quarter with their IOCE flags (no descriptions exist in the carrier), and
    the modifiers of :data:`CPT_MODIFIERS` in every quarter, with no flag.
``ncci/ptp_hospital.ckt``
    The NCCI hospital outpatient PTP edits (``map_ncci``; layout in
    :mod:`codekit.ncci._ptp`).
``ncci/addon.ckt``
    Add-on code → primary code lists, types 1, 2 and 3, by quarter; the IOCE's
    drug-administration add-on map (96361, 96375 ...) counts as type 1, as in the CMS AOC
    file. A type-1 add-on code the IOCE stops listing while the code stays (0836T, 0846T,
    0852T after 2024-03-31; CMS's AOC file of June 2024 still lists them) keeps its last
    primaries for as long as the code exists.

Quarters are the IOCE versions; a row that starts in the first one (2019-07-01) may be
older, and one that reaches the last one is open-ended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import sys
import tempfile
from array import array
from collections import Counter
from pathlib import Path
from typing import Any

from .. import _artifact
from ..errors import DataError
from ..ncci._addon import pack_addon
from ..ncci._ptp import pack_ptp
from . import provenance
from ._ioce_tables import IoceTables, ymd
from .bundled import Sources

__all__ = ["AGE_LIMITS", "CPT_MODIFIERS", "HCPCS_FLAGS", "MODIFIER_FLAGS", "build_procedures"]

PYOCE = "pyoce==0.1.0"
MEMBER = "pyoce/data/pyoce.mdb.xz"

#: IOCE ``data_hcpcs`` flags kept, in bit order (bit 0 first).
HCPCS_FLAGS = (
    "bilateral_conditional", "bilateral_independent", "bilateral_inherent",
    "addon_type1", "addon_type2", "addon_type3",
    "separate_procedure", "non_covered", "questionable", "not_recognized_mcare",
    "not_recognized_opps", "statutory_exclusion", "telehealth", "vaccine",
    "information_only", "unclassified_drug", "lab_service", "dmerc_billable_only",
    "non_billable_mac", "non_reportable_site", "ncci_code1", "ncci_code2",
)
#: IOCE ``data_modifier`` flags kept, in bit order.
MODIFIER_FLAGS = ("ncci", "therapy", "telehealth", "assistant_surgeon", "non_discount",
                  "died_transferred", "device_req_exclusion")

SOURCE = "CMS Integrated Outpatient Code Editor (IOCE) tables, via pyoce 0.1.0"

#: Age limits (lowest, highest whole years) the IOCE does not carry, by code, with their
#: source. Applied only where the IOCE row has no limit (``lo_age`` empty, ``hi_age`` 124).
#: 99460-99463 are the CPT "Newborn Care Services" codes (the section heading of the
#: code set, 99460-99465), reported only for a newborn, the patient's age 0: the
#: MCE/IOCE convention for a neonate (the I/OCE gives 99381, 99391 and the neonatal
#: anesthesia codes 00326, 00561, 00834, 00836 the band 0-0 the same way); codekit
#: specification edit C4 lists them. 99464 and 99465 (attendance and resuscitation at
#: delivery) are left to the IOCE. The inpatient neonatal and pediatric critical and
#: intensive care codes are reported by the patient's age on the day (the code set's
#: "Inpatient Neonatal and Pediatric Critical Care" and "Initial and Continuing Intensive
#: Care" bands, as SCCM's coding guidance restates them): 28 days or younger (99468,
#: 99469, 99477) is age 0; 29 days through 24 months (99471, 99472) and the interfacility
#: transport of a patient of 24 months or younger (99485, 99486) 0-2 in whole years (a
#: child of 2 years and some months passes: a miss, never a false finding); 2 through 5
#: years (99475, 99476) 2-5. 99478-99480 go by the infant's weight, not age: left out.
AGE_LIMITS: dict[str, tuple[int, int]] = {
    "99460": (0, 0), "99461": (0, 0), "99462": (0, 0), "99463": (0, 0),
    "99468": (0, 0), "99469": (0, 0), "99477": (0, 0),
    "99471": (0, 2), "99472": (0, 2), "99485": (0, 2), "99486": (0, 2),
    "99475": (2, 5), "99476": (2, 5),
}


#: CPT modifiers the IOCE's modifier list lacks, by code, with their source. The IOCE lists
#: what an outpatient hospital claim may carry; CPT's Category II (performance measurement)
#: modifiers 1P, 2P and 3P, the exclusions for a medical, a patient's or a system reason,
#: are reported on practitioners' claims with Category II codes (CPT Appendix A and the
#: Category II section; CMS MLN Matters MM6514 on their use with CPT II codes; the quality
#: data codes of MIPS claims reporting still name them). Their sibling 8P is in the IOCE
#: list. They are kept in every IOCE quarter: CPT added them with Category II, before 2019.
CPT_MODIFIERS: dict[str, str] = {
    "1P": "CPT Appendix A, Category II modifiers; CMS MLN Matters MM6514",
    "2P": "CPT Appendix A, Category II modifiers; CMS MLN Matters MM6514",
    "3P": "CPT Appendix A, Category II modifiers; CMS MLN Matters MM6514",
}


def _merge(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Join consecutive quarters of a code whose kept attributes are equal.

    Rows are ``(code, lo, hi, *attributes)`` sorted by code and ``lo``.
    """
    out: list[tuple[Any, ...]] = []
    for r in rows:
        if out and out[-1][0] == r[0]:
            last = out[-1]
            if last[2] >= r[1]:
                raise DataError(f"IOCE rows of {r[0]} overlap: {last[1:3]} and {r[1:3]}")
            if last[2] + 1 == r[1] and last[3:] == r[3:]:
                out[-1] = (last[0], last[1], r[2], *last[3:])
                continue
        out.append(r)
    return out


def _ordinal(number: int | None) -> int:
    """A ``YYYYMMDD`` IOCE date as a date ordinal (0 for none)."""
    return ymd(number).toordinal() if number else 0


def _flags(d: dict[str, Any], names: tuple[str, ...]) -> int:
    return sum(1 << i for i, n in enumerate(names) if d.get(n) is True)


def _u32(values: list[int]) -> bytes:
    a = array("I", values)
    if a.itemsize != 4:  # pragma: no cover
        raise DataError("array('I') is not 32-bit here")
    if sys.byteorder != "little":  # pragma: no cover
        a.byteswap()
    return a.tobytes()


def _counts(rows: list[tuple[Any, ...]], nversions: int) -> list[int]:
    # rows are (code, first version, last version, ...)
    active: list[set[str]] = [set() for _ in range(nversions)]
    for r in rows:
        for v in range(r[1], r[2] + 1):
            active[v].add(r[0])
    return [len(s) for s in active]


def _codes(ioce: IoceTables, meta_versions: list[dict[str, Any]], out: Path) -> dict[str, Any]:
    pos = ioce.pos
    rows = []
    for k, d in ioce.rows(b"data_hcpcs"):
        code = k.decode("ascii").split("|")[0]
        level_ii = code[0].isalpha() and code[0] != "D"
        desc = (d.get("description") or "").strip() if level_ii else ""
        lo_age, hi_age = int(d["lo_age"] or 0), int(d["hi_age"] or 0)
        if code in AGE_LIMITS and (lo_age, hi_age) == (0, 124):
            lo_age, hi_age = AGE_LIMITS[code]
        rows.append((code, pos[d["lo_version"]], pos[d["hi_version"]],
                     d["status_indicator"] or "", lo_age, hi_age,
                     _flags(d, HCPCS_FLAGS), desc,
                     _ordinal(d.get("date_approved")), _ordinal(d.get("date_terminated")),
                     int(d.get("mid_quarter_date_edit") or 0)))
    rows.sort()
    merged = _merge(rows)
    n = len(ioce.versions)
    counts = _counts(merged, n)
    by_system = {
        "cpt": _counts([r for r in merged if r[0][0].isdigit()], n),
        "hcpcs": _counts([r for r in merged if not r[0][0].isdigit()], n),
    }
    statuses: dict[str, str] = {}
    for k, d in ioce.rows(b"data_status_indicator"):
        si = k.decode("ascii").split("|")[0]
        if d["hi_version"] == ioce.versions[-1][0]:
            statuses[si] = d["description"]
    dated = sorted({r[0] for r in merged if r[10]})
    meta = {
        "kind": "procedure-codes", "source": SOURCE, "versions": meta_versions,
        "date_edits": {"codes": len(dated), "cpt": sum(c[0].isdigit() for c in dated),
                       "hcpcs": sum(not c[0].isdigit() for c in dated)},
        "flags": list(HCPCS_FLAGS), "counts": counts, "counts_by_system": by_system,
        "status_indicators": dict(sorted(statuses.items())), "rows": len(merged),
        "descriptions": "HCPCS Level II short descriptors only (no CPT or CDT text)",
    }
    ages = bytearray()
    for r in merged:
        ages += bytes((min(r[4], 255), min(r[5], 255)))
    sections = {
        "codes": _artifact.pack_strings(r[0] for r in merged),
        "lo": bytes(r[1] for r in merged),
        "hi": bytes(r[2] for r in merged),
        "status": _artifact.pack_strings(r[3] for r in merged),
        "ages": bytes(ages),
        "flags": _u32([r[6] for r in merged]),
        "descriptions": _artifact.pack_strings(r[7] for r in merged),
        # day precision: first and last day (date ordinals, 0 = none) and the IOCE edit
        "approved": _u32([r[8] for r in merged]),
        "terminated": _u32([r[9] for r in merged]),
        "date_edit": bytes(r[10] for r in merged),
    }
    _artifact.write(out / "procedures" / "codes.ckt", meta, sections)
    return {"file": "procedures/codes.ckt", "rows": len(merged), "ioce_rows": len(rows),
            "codes": len({r[0] for r in merged}), "active_codes_by_quarter": {
                v["start"]: c for v, c in zip(meta_versions, counts, strict=True)}}


def _modifiers(ioce: IoceTables, meta_versions: list[dict[str, Any]], out: Path) -> dict[str, Any]:
    pos = ioce.pos
    rows = []
    for k, d in ioce.rows(b"data_modifier"):
        code = k.decode("ascii").split("|")[0]
        if code.startswith("#"):
            continue  # IOCE-internal placeholders, not modifiers
        rows.append((code, pos[d["lo_version"]], pos[d["hi_version"]],
                     _flags(d, MODIFIER_FLAGS)))
    listed = {r[0] for r in rows}
    for code in CPT_MODIFIERS:
        if code in listed:
            raise DataError(f"the IOCE lists modifier {code} now: drop it from CPT_MODIFIERS")
        rows.append((code, 0, len(ioce.versions) - 1, 0))
    rows.sort()
    merged = _merge(rows)
    counts = _counts(merged, len(ioce.versions))
    meta = {"kind": "procedure-modifiers", "source": SOURCE, "versions": meta_versions,
            "flags": list(MODIFIER_FLAGS), "counts": counts, "rows": len(merged),
            "added": {code: f"not in the IOCE list: {why}"
                      for code, why in CPT_MODIFIERS.items()}}
    sections = {
        "codes": _artifact.pack_strings(r[0] for r in merged),
        "lo": bytes(r[1] for r in merged),
        "hi": bytes(r[2] for r in merged),
        "flags": _u32([r[3] for r in merged]),
    }
    _artifact.write(out / "procedures" / "modifiers.ckt", meta, sections)
    return {"file": "procedures/modifiers.ckt", "rows": len(merged),
            "modifiers": len({r[0] for r in merged})}


def _ptp(ioce: IoceTables, meta_versions: list[dict[str, Any]], out: Path) -> dict[str, Any]:
    codes: dict[str, int] = {}
    c1, c2, eff, end, mi = array("I"), array("I"), array("I"), array("I"), bytearray()
    for k, pairs in ioce.rows(b"map_ncci"):
        a = codes.setdefault(k.decode("ascii"), len(codes))
        for code2, blob in pairs:
            d = marshal.loads(blob)
            b = codes.setdefault(code2.decode("ascii"), len(codes))
            e, x = ioce.dates(d["lo_version"], d["hi_version"])
            c1.append(a)
            c2.append(b)
            eff.append(e)
            end.append(x)
            mi.append(1 if d["mod_indicator"] else 0)
    n = len(c1)
    meta = {"source": SOURCE + ", map_ncci (NCCI hospital outpatient PTP edits)",
            "setting": "hospital", "versions": meta_versions,
            "note": "Effective dates before 2019-07-01 are not in the IOCE tables: an edit "
                    "in the first IOCE quarter has no effective date."}
    meta, sections = pack_ptp(list(codes), c1, c2, eff, end, mi, array("I", bytes(4 * n)),
                              [""], meta)
    _artifact.write(out / "ncci" / "ptp_hospital.ckt", meta, sections)
    spans = Counter(zip(eff, end, strict=True))
    per_quarter = {}
    for v in meta_versions:
        day = dt.date.fromisoformat(v["start"]).toordinal()
        per_quarter[v["start"]] = sum(c for (e, x), c in spans.items() if e <= day <= x)
    return {"file": "ncci/ptp_hospital.ckt", "rows": n, "codes": len(codes),
            "active_edits_by_quarter": per_quarter}


def _addons(ioce: IoceTables, out: Path) -> dict[str, Any]:
    rows: dict[str, list[tuple[str, int, int, int]]] = {}
    last_version: dict[str, int] = {}  # add-on code -> last IOCE version listing it
    for typ, name in ((1, b"map_addon_type1"), (3, b"map_addon_type3"),
                      (1, b"map_addon_drug_admin")):
        for k, d in ioce.rows(name):
            addon = k.decode("ascii").split("|")[0]
            e, x = ioce.dates(d["lo_version"], d["hi_version"])
            rows.setdefault(addon, []).append((d["addon_primary"], typ, e, x))
            last_version[addon] = max(last_version.get(addon, 0), d["hi_version"])
    for k, d in ioce.rows(b"map_addon_type2"):
        e, x = ioce.dates(d["lo_version"], d["hi_version"])
        rows.setdefault(k.decode("ascii"), []).append(("", 2, e, x))
        last_version[k.decode("ascii")] = max(last_version.get(k.decode("ascii"), 0),
                                              d["hi_version"])
    # A type-1 add-on code the IOCE stops listing while the code itself stays (its
    # data_hcpcs rows go on without the add-on flag) is still an add-on code by its CPT
    # definition, and CMS's AOC file keeps listing it: its last primaries stay.
    code_last: dict[str, int] = {}
    for k, d in ioce.rows(b"data_hcpcs"):
        c = k.decode("ascii").split("|")[0]
        if c in rows:
            code_last[c] = max(code_last.get(c, 0), d["hi_version"])
    continued = []
    for addon, rs in rows.items():
        last = last_version[addon]
        if code_last.get(addon, 0) > last and all(r[1] == 1 for r in rs):
            end = ioce.dates(last, last)[1]
            x = ioce.dates(code_last[addon], code_last[addon])[1]
            rows[addon] = [(p, t, e, x if d == end else d) for p, t, e, d in rs]
            continued.append(addon)
    meta = {"kind": "ncci-addon",
            "source": SOURCE + ", map_addon_type1/2/3 and map_addon_drug_admin",
            "note": "IOCE add-on code lists by quarter; rows in the first IOCE quarter "
                    "have no effective date. The drug-administration map is type 1. "
                    f"Continued past the IOCE's last listing while the code exists: "
                    f"{', '.join(sorted(continued)) or 'none'}."}
    _artifact.write(out / "ncci" / "addon.ckt", meta, pack_addon(rows))
    return {"file": "ncci/addon.ckt", "rows": sum(len(v) for v in rows.values()),
            "addon_codes": len(rows), "continued_past_the_ioce": sorted(continued)}


def build_procedures(cache: Path, out: Path) -> dict[str, Any]:
    """Build ``out/procedures/*.ckt`` and ``out/ncci/*.ckt`` and their provenance."""
    src = Sources(cache)
    raw = src.read(PYOCE, MEMBER)
    with tempfile.TemporaryDirectory() as tmp:
        ioce = IoceTables(raw, Path(tmp))
        try:
            last = len(ioce.versions) - 1
            meta_versions = [
                {"id": vid, "start": start.isoformat(),
                 "end": None if i == last else end.isoformat()}
                for i, (_, vid, start, end) in enumerate(ioce.versions)]
            files = [_codes(ioce, meta_versions, out), _modifiers(ioce, meta_versions, out),
                     _ptp(ioce, meta_versions, out), _addons(ioce, out)]
        finally:
            ioce.close()
    for rec in files:
        path = out / rec["file"]
        rec["bytes"] = path.stat().st_size
        rec["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    value = {
        "source": src.ref(PYOCE, MEMBER),
        "ioce_versions": meta_versions,
        "files": files,
        "licence_note": "CPT and CDT descriptors in the carrier are dropped; only code "
                        "numbers, dates and flags of CPT codes are kept.",
    }
    provenance.update(out, "procedures", value, list(src.used.values()))
    return value
