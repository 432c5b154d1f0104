"""Building the I/OCE's own lists that codekit's outpatient rules use, from pyoce's tables.

The same pinned carrier as :mod:`codekit.build.procedures` (``pyoce==0.1.0``, the CMS
Integrated Outpatient Code Editor tables, IOCE versions 2019-07-01 to the 2026-04-01
release). Files written:

``icd10cm/ioce_principal.ckt``
    Diagnoses the I/OCE does not accept as the principal diagnosis of an outpatient claim
    (edit 113, from 2019-10-01): ``data_dx10`` rows with the ``unacceptable_pdx`` flag and
    without the ``unacceptable_pdx_exclusion`` flag, by date. Read by
    :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal`.
``icd10cm/ioce_principal_inpatient.ckt``
    The diagnoses the I/OCE's *inpatient* form of edit 113 adds to that list: the form its
    paths for types of bill 12x, 22x, 81x and 82x run (``DiagnosisUnacceptablePrincipal
    InpatientLogic``), which disregards the ``unacceptable_pdx_exclusion`` flag where the
    ``unacceptable_pdx_exclusion_ignored`` flag is set: ``data_dx10`` rows with all three
    flags, by date (from 2025-04-01: F02-F07, mental disorders due to a physiological
    condition). Read by :attr:`codekit.icd10cm.Facts.ioce_unacceptable_principal_inpatient`.
``icd10cm/ioce_mental_health.ckt``
    The I/OCE's own list of mental health diagnoses (``data_dx10`` rows with the
    ``mental_health`` flag), by date: the principal diagnosis a partial hospitalization
    or intensive outpatient program claim needs (edit 29); F01-F99 and also G30, G31,
    G47, O9A, R37, R41, R45, R48, R69 and Z codes among them. Read by
    :func:`codekit.icd10cm.ioce_mental_health`.
``icd10cm/ioce_code_first.ckt``
    The diagnoses the I/OCE takes as a "code first" principal on such a claim
    (``data_dx10`` rows with the ``code_first`` flag: intentional self-harm poisonings,
    T14.91X-), accepted with a mental health diagnosis as the first secondary diagnosis,
    edit 109 without one. Read by :func:`codekit.icd10cm.ioce_code_first`.
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
``procedures/revenue.ckt``
    The revenue codes the I/OCE knows (``data_revenue``), by date: rows
    ``code<TAB>effective<TAB>last day<TAB>status indicator<TAB>flags`` (the code four
    digits, zero-padded as the I/OCE reads it; the flags among :data:`REVENUE_FLAGS`,
    comma-separated), consecutive versions of a code with the same status and flags
    joined; a code not in it on a date is the I/OCE's edit 41
    (:func:`codekit.procedure.revenue_code`). No NUBC description is kept.
``procedures/ioce_companion.ckt``
    The ``data_hcpcs`` flags of the I/OCE's "missing companion code" edits (43 blood
    procedure without a blood product, 87 skin substitute application without the
    product, 92 device-intensive procedure without a device, 93 cornea tissue without a
    cornea transplant), of the claim flags that choose the I/OCE's path for them (34x,
    condition code 07), of edit 124 (``cms_mid_quarter_termination``: a code valid
    only during the public health emergency), of edit 120 (``colorectal``: the codes
    on whose day the I/OCE accepts modifier PT) and of the billing-form edits (73 and 79
    blood products, 100 allogeneic transplant, 116 opioid treatment program, 44, 58 and
    53 observation, 76 trauma response) and of edit 99 (``bypass_e99``: a drug the I/OCE
    does not edit for a claim without an OPPS payable procedure), by date: rows
    ``code<TAB>effective<TAB>last day<TAB>flags`` (the flags among
    :data:`COMPANION_FLAGS`, comma-separated), only codes with one of them,
    consecutive versions with the same flags joined
    (:func:`codekit.procedure.ioce_companion_flags`).

Rows are ``code<TAB>effective<TAB>last day`` (date ordinals; an IOCE version's first and
last days; 0 / the open end where a row reaches the first / last IOCE version); each
table's ``meta["coverage"]`` gives the first and the last day the IOCE versions describe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .. import _artifact
from ..errors import DataError, ValidationError
from ..icd10cm import Store, validate
from ..ncci._addon import pack_addon
from . import provenance
from ._ioce_tables import IoceTables
from .bundled import Sources
from .procedures import MEMBER, PYOCE, SOURCE

__all__ = ["ADDON_MAPS", "COMPANION_FLAGS", "REVENUE_FLAGS", "build_ioce"]

#: IOCE add-on map table -> the name codekit gives the map.
ADDON_MAPS = {"map_addon_saas": "saas",
              "map_addon_remote_mental_health": "remote_mental_health",
              "map_addon_covid_lab": "covid_lab",
              "map_addon_drug_admin": "drug_admin"}


#: The ``data_revenue`` flags kept: edit 65 (``not_recognized``), edit 48 is bypassed
#: (``bypass_e48``), and those other I/OCE revenue-code edits read.
REVENUE_FLAGS = ("not_recognized", "bypass_e48", "therapy", "statutory_exclusion",
                 "bundled_in_biological", "part_b_billable_inpatient")


#: The ``data_hcpcs`` flags of the I/OCE's missing-companion edits: 43 (``blood_service``
#: without a ``blood_product`` line), 92 (``device_procedure`` without a ``device`` line
#: the same day; ``bypass_e92_modifier``: modifier CG bypasses it), 87 (to 2025-12-31:
#: ``skin_substitute_sg_lo`` / ``_sg_hi`` without a ``skin_substitute_lo`` / ``_hi``
#: line the same day; from 2026-01-01: ``skin_substitute_application_procedure`` without
#: a status S1 line) and 93 (``cornea_tissue_processing`` without ``cornea_transplant``);
#: and the flags that send a claim down the I/OCE path that runs them: a home health
#: claim (34x) takes its OPPS branch with a vaccine (``ProcedureEntry.flags``), antigen,
#: cast, splint or negative pressure wound therapy code, a claim with condition code 07
#: the CC07 path with an antigen, cast or splint code (:mod:`codekit.rules.ioce_status`);
#: edit 124's ``cms_mid_quarter_termination`` (a code valid only during the COVID-19
#: public health emergency: G2023, G2024, K1034, U0003-U0005, from version 23.2);
#: edit 120's ``colorectal`` (the colorectal codes on whose day the I/OCE accepts modifier
#: PT: the codes of 44388-44406, 45190 and 45300-45399 the I/OCE flags, every version);
#: the flags of the partial hospitalization (PHP) and intensive outpatient program (IOP)
#: edits: ``mh_not_ph`` (80: a mental health code not approved for PHP), ``mh_not_iop``
#: (132: not approved for IOP), ``ph_not_mh`` (81) and ``iop_not_mh`` (133): a PHP / IOP
#: code (G0129, G0176, G0410, G0411) outside a PHP / IOP claim;
#: and the flags of the I/OCE's billing-form edits (:mod:`codekit.rules.ioce_billing`): 79
#: (``packed_red_cells`` and ``whole_blood``, the codes revenue codes 0381 and 0382 take),
#: 100 (``allogeneic_transplant``: 38240), 116 (``opioid_treatment_program``: G2067-G2080,
#: G1028, G2215, G2216, G0137, G0532-G0536), 44 (``observation``: G0378, G0379, the codes
#: revenue code 0762 takes), 58 (``observation_direct_admit``, G0379, without
#: ``observation_hourly``, G0378), 53 (``observation_hourly`` or
#: ``observation_hospital_only``: G0378, G0379 on a type of bill other than 13x, 85x) and
#: 76 (``trauma_revenue_code``, G0390, without revenue code 068x and
#: ``trauma_critical_care``, 99291); and edit 99's ``bypass_e99`` (a drug or biological of
#: status G, K or K1 the I/OCE does not edit for a claim with no OPPS payable procedure:
#: the clotting factors, pegfilgrastim).
COMPANION_FLAGS = ("blood_service", "blood_product", "device_procedure", "device",
                   "bypass_e92_modifier", "skin_substitute_sg_lo", "skin_substitute_lo",
                   "skin_substitute_sg_hi", "skin_substitute_hi",
                   "skin_substitute_application_procedure", "cornea_transplant",
                   "cornea_tissue_processing", "antigen", "cast", "splint",
                   "negative_pressure_wound_therapy", "cms_mid_quarter_termination",
                   "colorectal", "packed_red_cells", "whole_blood", "allogeneic_transplant",
                   "opioid_treatment_program", "observation", "observation_hourly",
                   "observation_direct_admit", "observation_hospital_only",
                   "trauma_revenue_code", "trauma_critical_care",
                   "mh_not_ph", "ph_not_mh", "mh_not_iop", "iop_not_mh", "bypass_e99")


_Row = TypeVar("_Row", bound=tuple[Any, ...])


def _merged(rows: Iterable[_Row]) -> list[_Row]:
    """Rows ``(code, effective, end, *values)`` sorted, consecutive or overlapping ones of a
    code with the same values joined."""
    out: list[_Row] = []
    for row in sorted(rows):
        prev = out[-1] if out else None
        if prev is not None and prev[0] == row[0] and prev[3:] == row[3:] \
                and prev[2] + 1 >= row[1]:
            out[-1] = (*prev[:2], max(prev[2], row[2]), *prev[3:])  # type: ignore[assignment]
        else:
            out.append(row)
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


def _dx_list(ioce: IoceTables, out: Path, name: str, keep: Callable[[dict[str, Any]], bool],
             meta: dict[str, Any]) -> dict[str, Any]:
    """The ``data_dx10`` codes whose flags ``keep`` takes, by date, written as the
    code-ranges artifact ``icd10cm/{name}.ckt`` with ``meta``."""
    rows = [(k.decode("ascii").split("|")[0], *ioce.dates(d["lo_version"], d["hi_version"]))
            for k, d in ioce.rows(b"data_dx10") if keep(d)]
    merged = _merged(rows)
    _write_ranges(out / "icd10cm" / f"{name}.ckt", merged,
                  {"kind": "code-ranges", **meta, "coverage": _coverage(ioce)})
    return {"file": f"icd10cm/{name}.ckt", "rows": len(merged),
            "codes": len({r[0] for r in merged})}


def _principal(ioce: IoceTables, out: Path) -> dict[str, Any]:
    return _dx_list(
        ioce, out, "ioce_principal",
        lambda d: bool(d["unacceptable_pdx"] and not d["unacceptable_pdx_exclusion"]),
        {"list": "ioce-unacceptable-principal",
         "source": SOURCE + ", data_dx10 (unacceptable_pdx and not "
                   "unacceptable_pdx_exclusion)",
         "note": "I/OCE edit 113 (unacceptable principal diagnosis), outpatient claims, "
                 "from version 20.3 (2019-10-01)."})


def _mental_health(ioce: IoceTables, out: Path) -> dict[str, Any]:
    return _dx_list(
        ioce, out, "ioce_mental_health", lambda d: bool(d["mental_health"]),
        {"list": "ioce-mental-health",
         "source": SOURCE + ", data_dx10 (mental_health)",
         "note": "I/OCE edit 29 (partial hospitalization or intensive outpatient claim "
                 "lacks a mental health principal diagnosis): the I/OCE's mental health "
                 "diagnoses."})


def _code_first(ioce: IoceTables, out: Path) -> dict[str, Any]:
    return _dx_list(
        ioce, out, "ioce_code_first", lambda d: bool(d["code_first"]),
        {"list": "ioce-code-first",
         "source": SOURCE + ", data_dx10 (code_first)",
         "note": "I/OCE edits 29 and 109: a principal diagnosis of a partial "
                 "hospitalization or intensive outpatient claim accepted with a mental "
                 "health diagnosis as the first secondary diagnosis (edit 109 without "
                 "one)."})


def _principal_inpatient(ioce: IoceTables, out: Path) -> dict[str, Any]:
    return _dx_list(
        ioce, out, "ioce_principal_inpatient",
        lambda d: bool(d["unacceptable_pdx"] and d["unacceptable_pdx_exclusion"]
                       and d.get("unacceptable_pdx_exclusion_ignored")),
        {"list": "ioce-unacceptable-principal-inpatient",
         "source": SOURCE + ", data_dx10 (unacceptable_pdx, unacceptable_pdx_exclusion "
                   "and unacceptable_pdx_exclusion_ignored)",
         "note": "I/OCE edit 113 (unacceptable principal diagnosis) on the paths of types "
                 "of bill 12x, 22x, 81x and 82x (its inpatient logic): the codes it adds to "
                 "icd10cm/ioce_principal.ckt, from version 20.3 (2019-10-01)."})


#: The I/OCE's "no age limit" (``lo_age`` empty, ``hi_age`` 124).
_NO_LIMIT = (0, 124)


def _mce_limit(store: Store, code: str, day: dt.date) -> tuple[int, int] | None:
    """The MCE age range codekit gives ``code`` on ``day`` (``_NO_LIMIT`` for none); None
    when the code may not be reported then (no age edit is made)."""
    try:
        mce = validate(code, on=day, store=store).mce
    except ValidationError:
        return None
    return mce.age_range if mce is not None and mce.age_range is not None else _NO_LIMIT


def _band(store: Store, limit: tuple[int, int], day: dt.date) -> str:
    """The MCE band whose range on ``day`` is ``limit`` ("" for none)."""
    iso = day.isoformat()
    for b in store.validity.age_bands:
        if b["start"] <= iso <= b["end"] and (b["min_age"], b["max_age"]) == limit:
            return str(b["band"])
    return ""


def _ages(ioce: IoceTables, out: Path) -> dict[str, Any]:
    """The I/OCE's diagnosis age limits on the dates they differ from codekit's MCE bands
    (module doc). Each I/OCE row's dates are cut wherever the code's MCE rows or the MCE
    bands change, and each piece is compared on its first day."""
    with tempfile.TemporaryDirectory() as no_user_data:
        store = Store(out, Path(no_user_data))
        v = store.validity
        cuts = {dt.date.fromisoformat(b[k]).toordinal() + (k == "end")
                for b in v.age_bands for k in ("start", "end")}
        last = v.table_end.toordinal()  # later dates answer as of it
        rows: list[tuple[str, int, int, int, int, str]] = []
        compared = 0
        for k, d in ioce.rows(b"data_dx10"):
            code = k.decode("ascii").split("|")[0]
            limit = (d["lo_age"] or 0, d["hi_age"])
            eff, end = ioce.dates(d["lo_version"], d["hi_version"])
            # the I/OCE says nothing of the dates before its first version
            first = eff or ioce.versions[0][2].toordinal()
            stop = min(end, last)
            mine = set(cuts)
            for start, until, _ in v.mce_rows(code):
                mine.add(start.toordinal())
                if until is not None:
                    mine.add(until.toordinal() + 1)
            points = sorted({first, *(p for p in mine if first < p <= stop)})
            for i, p in enumerate(points):
                day = dt.date.fromordinal(p)
                mce = _mce_limit(store, code, day)
                compared += 1
                if mce is None or mce == limit:
                    continue
                rows.append((code, p, points[i + 1] - 1 if i + 1 < len(points) else end, *limit,
                             _band(store, limit, day) if limit != _NO_LIMIT else ""))
    merged = _merged(rows)
    meta = {"kind": "ioce-dx-age", "source": SOURCE + ", data_dx10 (lo_age, hi_age)",
            "note": "I/OCE edit 2 (diagnosis and age conflict): the age limits of the I/OCE "
                    "diagnosis table on the dates they differ from the MCE age bands of "
                    "codekit's ICD-10-CM data; rows code, effective, last day, min age, max "
                    "age, MCE band of that range (0-124: no I/OCE limit).",
            "coverage": _coverage(ioce)}
    _artifact.write(out / "icd10cm" / "ioce_age.ckt", meta, {"rows": _artifact.pack_strings(
        "\t".join(map(str, r)) for r in merged)})
    return {"file": "icd10cm/ioce_age.ckt", "rows": len(merged),
            "codes": sorted({r[0] for r in merged}), "pieces_compared": compared}


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


def _revenue(ioce: IoceTables, out: Path) -> dict[str, Any]:
    rows: list[tuple[str, int, int, str, str]] = []
    for k, d in ioce.rows(b"data_revenue"):
        number = int(k.decode("ascii").split("|")[0])
        if not 0 <= number <= 9999:
            raise DataError(f"data_revenue: revenue code {number} is not four digits")
        rows.append((f"{number:04d}", *ioce.dates(d["lo_version"], d["hi_version"]),
                     d["status_indicator"] or "",
                     ",".join(f for f in REVENUE_FLAGS if d.get(f))))
    merged = _merged(rows)
    statuses = {si: d["description"] for si, d in (
        (k.decode("ascii").split("|")[0], d) for k, d in ioce.rows(b"data_status_indicator"))
        if d["hi_version"] == ioce.versions[-1][0]}
    used = sorted({r[3] for r in merged})
    meta = {"kind": "revenue-codes", "source": SOURCE + ", data_revenue",
            "flags": list(REVENUE_FLAGS),
            "status_indicators": {si: statuses.get(si, "") for si in used},
            "note": "The revenue codes the I/OCE knows, by date, with the status indicator "
                    "and flags of its revenue code table (I/OCE edits 41, 48, 65); rows "
                    "code, effective, last day, status indicator, flags. No NUBC "
                    "descriptions.", "coverage": _coverage(ioce)}
    return _write_dated(out, "procedures/revenue.ckt", meta, merged, REVENUE_FLAGS)


def _companion(ioce: IoceTables, out: Path) -> dict[str, Any]:
    rows: list[tuple[str, int, int, str]] = []
    for k, d in ioce.rows(b"data_hcpcs"):
        flags = ",".join(f for f in COMPANION_FLAGS if d.get(f) is True)
        if flags:
            rows.append((k.decode("ascii").split("|")[0],
                         *ioce.dates(d["lo_version"], d["hi_version"]), flags))
    merged = _merged(rows)
    meta = {"kind": "ioce-companion", "source": SOURCE + ", data_hcpcs ("
            + ", ".join(COMPANION_FLAGS) + ")", "flags": list(COMPANION_FLAGS),
            "note": "The HCPCS flags of the I/OCE's missing-companion edits (43 blood "
                    "procedure without blood product, 87 skin substitute application "
                    "without the product, 92 device-intensive procedure without device, "
                    "93 cornea tissue without cornea transplant), of the claim flags "
                    "choosing their path (antigen, cast, splint, negative pressure wound "
                    "therapy: 34x, condition code 07), of edit 124 (a code valid only "
                    "during the public health emergency), of edit 120 (colorectal: "
                    "modifier PT accepted on the day) and of the billing-form edits "
                    "(79 blood product revenue codes, 100 allogeneic transplant, 116 "
                    "opioid treatment program, 44, 58, 53 observation, 76 trauma "
                    "response), and of the partial hospitalization and intensive "
                    "outpatient program edits (80, 81, 132, 133), and the drugs edit 99 "
                    "(a drug without an OPPS payable procedure) bypasses; rows code, "
                    "effective, last day, flags; codes with none of the flags are left "
                    "out.",
            "coverage": _coverage(ioce)}
    return _write_dated(out, "procedures/ioce_companion.ckt", meta, merged, COMPANION_FLAGS)


def _write_dated(out: Path, name: str, meta: dict[str, Any], rows: list[tuple[Any, ...]],
                 flags: tuple[str, ...]) -> dict[str, Any]:
    """Write the dated rows of a table (``code, effective, end, ..., flags``: tab-separated,
    the flags last, comma-separated; read by ``codekit._procedures._dated.DatedRows``) and
    say what it holds."""
    _artifact.write(out / name, meta, {"rows": _artifact.pack_strings(
        "\t".join(map(str, r)) for r in rows)})
    return {"file": name, "rows": len(rows), "codes": len({r[0] for r in rows}),
            "flagged": {f: len({r[0] for r in rows if f in r[-1].split(",")})
                        for f in flags}}


def build_ioce(cache: Path, out: Path) -> dict[str, Any]:
    """Build the nine I/OCE list artifacts (module doc) and their provenance. The ages
    are compared with the ICD-10-CM data of ``out``: build that first.

    The ages come first: their store opens every table of ``out/icd10cm`` and checks it
    against ``out/PROVENANCE.json``, which lists none of the files this build writes
    until its end (written before, ``ioce_principal.ckt`` would be refused as unlisted or
    damaged)."""
    src = Sources(cache)
    raw = src.read(PYOCE, MEMBER)
    with tempfile.TemporaryDirectory() as tmp:
        ioce = IoceTables(raw, Path(tmp))
        try:
            ages = _ages(ioce, out)  # before any file of out changes (docstring)
            files = [_principal(ioce, out), _principal_inpatient(ioce, out), ages,
                     _mental_health(ioce, out), _code_first(ioce, out),
                     _addon_maps(ioce, out),
                     _cs_waiver(ioce, out), _revenue(ioce, out), _companion(ioce, out)]
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
