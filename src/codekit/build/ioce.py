"""Building the I/OCE's own lists that codekit's outpatient rules use, from pyoce's tables.

The same pinned carrier as :mod:`codekit.build.procedures` (``pyoce==0.1.0``, the CMS
Integrated Outpatient Code Editor tables, IOCE versions 2019-07-01 to the 2026-04-01
release). Files written:

``icd10cm/ioce_principal.ckt``
    Diagnoses the I/OCE does not accept as the principal diagnosis of an outpatient claim
    (edit 113, from 2019-10-01): ``data_dx10`` rows with the ``unacceptable_pdx`` flag and
    without the ``unacceptable_pdx_exclusion`` flag, by date. Read by
    :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal`.
``ncci/addon_ioce.ckt``
    The add-on maps the I/OCE checks besides the NCCI type 1/2/3 lists: Software as a
    Service (``map_addon_saas``), remote mental health (``map_addon_remote_mental_health``),
    COVID-19 laboratory (``map_addon_covid_lab``) and drug administration
    (``map_addon_drug_admin``); an add-on table (:class:`codekit.ncci.AddonTable`, every row
    type 1) whose ``meta["maps"]`` names the map of each add-on code
    (:func:`codekit.ncci.ioce_addons`).
``procedures/cs_waiver.ckt``
    Codes eligible for the COVID-19 cost-sharing waiver that modifier CS claims
    (``data_hcpcs.coinsurance_deductible_waiver_eligible``), by date
    (:func:`codekit.procedure.cs_waiver_eligible`).

Rows are ``code<TAB>effective<TAB>last day`` (date ordinals; an IOCE version's first and
last days; 0 / the open end where a row reaches the first / last IOCE version); each
table's ``meta["coverage"]`` gives the first and the last day the IOCE versions describe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import _artifact
from ..ncci._addon import pack_addon
from . import provenance
from ._ioce_tables import IoceTables
from .bundled import Sources
from .procedures import MEMBER, PYOCE, SOURCE

__all__ = ["ADDON_MAPS", "build_ioce"]

#: IOCE add-on map table -> the name codekit gives the map.
ADDON_MAPS = {"map_addon_saas": "saas",
              "map_addon_remote_mental_health": "remote_mental_health",
              "map_addon_covid_lab": "covid_lab",
              "map_addon_drug_admin": "drug_admin"}


def _merged(rows: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Rows ``(code, effective, end)`` sorted, consecutive ones of a code joined."""
    out: list[tuple[str, int, int]] = []
    for code, eff, end in sorted(rows):
        if out and out[-1][0] == code and out[-1][2] + 1 >= eff:
            out[-1] = (code, out[-1][1], max(out[-1][2], end))
        else:
            out.append((code, eff, end))
    return out


def _write_ranges(path: Path, rows: list[tuple[str, int, int]], meta: dict[str, Any]) -> None:
    _artifact.write(path, meta, {"rows": _artifact.pack_strings(
        f"{c}\t{e}\t{x}" for c, e, x in rows)})


def _coverage(ioce: IoceTables) -> list[str]:
    """The first and the last day the IOCE versions describe (the last version's quarter:
    its table says it runs to a far-off date)."""
    first = ioce.versions[0][2]
    start = ioce.versions[-1][2]
    month = start.month + 3
    end = dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return [first.isoformat(), end.isoformat()]


def _principal(ioce: IoceTables, out: Path) -> dict[str, Any]:
    rows = []
    for k, d in ioce.rows(b"data_dx10"):
        if d["unacceptable_pdx"] and not d["unacceptable_pdx_exclusion"]:
            rows.append((k.decode("ascii").split("|")[0],
                         *ioce.dates(d["lo_version"], d["hi_version"])))
    merged = _merged(rows)
    meta = {"kind": "code-ranges", "list": "ioce-unacceptable-principal",
            "source": SOURCE + ", data_dx10 (unacceptable_pdx and not "
                      "unacceptable_pdx_exclusion)",
            "note": "I/OCE edit 113 (unacceptable principal diagnosis), outpatient claims, "
                    "from version 20.3 (2019-10-01).", "coverage": _coverage(ioce)}
    _write_ranges(out / "icd10cm" / "ioce_principal.ckt", merged, meta)
    return {"file": "icd10cm/ioce_principal.ckt", "rows": len(merged),
            "codes": len({r[0] for r in merged})}


def _addon_maps(ioce: IoceTables, out: Path) -> dict[str, Any]:
    rows: dict[str, list[tuple[str, int, int, int]]] = {}
    maps: dict[str, str] = {}
    for table, name in ADDON_MAPS.items():
        for k, d in ioce.rows(table.encode("ascii")):
            addon = k.decode("ascii").split("|")[0]
            rows.setdefault(addon, []).append(
                (d["addon_primary"], 1, *ioce.dates(d["lo_version"], d["hi_version"])))
            maps[addon] = name
    meta = {"kind": "ncci-addon", "source": SOURCE + ", " + ", ".join(ADDON_MAPS),
            "maps": dict(sorted(maps.items())),
            "note": "Add-on maps the I/OCE checks besides the NCCI add-on lists; rows in "
                    "the first IOCE quarter have no effective date.", "coverage": _coverage(ioce)}
    _artifact.write(out / "ncci" / "addon_ioce.ckt", meta, pack_addon(rows))
    return {"file": "ncci/addon_ioce.ckt", "rows": sum(len(v) for v in rows.values()),
            "addon_codes": {name: sorted(c for c, m in maps.items() if m == name)
                            for name in ADDON_MAPS.values()}}


def _cs_waiver(ioce: IoceTables, out: Path) -> dict[str, Any]:
    rows = []
    for k, d in ioce.rows(b"data_hcpcs"):
        if d.get("coinsurance_deductible_waiver_eligible"):
            rows.append((k.decode("ascii").split("|")[0],
                         *ioce.dates(d["lo_version"], d["hi_version"])))
    merged = _merged(rows)
    meta = {"kind": "code-ranges", "list": "cs-waiver-eligible",
            "source": SOURCE + ", data_hcpcs (coinsurance_deductible_waiver_eligible)",
            "note": "Codes whose cost sharing the COVID-19 waiver (modifier CS) covers; "
                    "I/OCE edit 114 from 2020-03-18 to 2023-06-30.", "coverage": _coverage(ioce)}
    _write_ranges(out / "procedures" / "cs_waiver.ckt", merged, meta)
    return {"file": "procedures/cs_waiver.ckt", "rows": len(merged),
            "codes": len({r[0] for r in merged})}


def build_ioce(cache: Path, out: Path) -> dict[str, Any]:
    """Build the three I/OCE list artifacts (module doc) and their provenance."""
    src = Sources(cache)
    raw = src.read(PYOCE, MEMBER)
    with tempfile.TemporaryDirectory() as tmp:
        ioce = IoceTables(raw, Path(tmp))
        try:
            files = [_principal(ioce, out), _addon_maps(ioce, out), _cs_waiver(ioce, out)]
            versions = [v[1] for v in ioce.versions]
        finally:
            ioce.close()
    for rec in files:
        path = out / rec["file"]
        rec["bytes"] = path.stat().st_size
        rec["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    value = {"source": src.ref(PYOCE, MEMBER), "ioce_versions": [versions[0], versions[-1]],
             "files": files}
    provenance.update(out, "ioce", value, list(src.used.values()))
    return value
