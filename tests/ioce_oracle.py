"""The CMS I/OCE port (``pyoce`` 0.1.0) as an oracle, run in its own interpreter.

pyoce needs Python >= 3.12, codekit supports 3.11: ``tests/test_ioce_crosscheck.py`` runs
this script in a separate virtual environment (see ``ioce_python`` there) and talks to it
in JSON. It imports nothing from codekit.

``python ioce_oracle.py run [passes] < claims.json > results.json``
    Every claim of a JSON array of I/OCE input dicts (pyoce's camelCase fields) through
    one ``pyoce.IoceComponent``; writes ``{"results": [...], "seconds": ...}``: per
    claim, the edits by
    location: ``dx`` (per diagnosis, principal first), ``lines`` (per line: ``hcpcs``,
    ``date``, ``revenue`` edits and ``mods``, per modifier), ``claim`` (every edit of the
    claim-level disposition lists), the I/OCE ``version`` and ``return_code``.
``python ioce_oracle.py pools > pools.json``
    What the I/OCE tables know, for drawing claims: HCPCS codes with their versions, age
    limits, dates and flags, modifiers, diagnosis flags, add-on maps and revenue codes
    with their status indicators and flags, the modifier pairs of edit 102 (internal
    version numbers and their dates).
    NCCI pairs are not included: codekit's bundled hospital PTP table is the I/OCE's ``map_ncci``.
"""

from __future__ import annotations

import json
import marshal
import sys
from typing import Any

#: The data_hcpcs flags the claims are drawn by.
HCPCS_FLAGS = ("addon_type1", "addon_type2", "addon_type3", "addon_drug_admin",
               "addon_covid_lab", "addon_saas", "remote_mental_health_addon",
               "coinsurance_deductible_waiver_eligible", "ncci_code1", "ncci_code2",
               "bilateral_conditional", "bilateral_independent", "bilateral_inherent",
               # the missing-companion edits (43, 87, 92, 93)
               "blood_service", "blood_product", "device_procedure", "device",
               "bypass_e92_modifier", "skin_substitute_sg_lo", "skin_substitute_lo",
               "skin_substitute_sg_hi", "skin_substitute_hi",
               "skin_substitute_application_procedure", "cornea_transplant",
               "cornea_tissue_processing",
               # the claim flags that choose the 34x branch and the CC07 path
               "vaccine", "antigen", "cast", "splint", "negative_pressure_wound_therapy",
               # edit 120 (modifier PT on a day without a colorectal code)
               "colorectal",
               # the billing-form edits (73, 79, 100, 116, 44, 58, 53, 76)
               "packed_red_cells", "whole_blood", "allogeneic_transplant",
               "opioid_treatment_program", "observation", "observation_hourly",
               "observation_direct_admit", "observation_hospital_only",
               "trauma_revenue_code", "trauma_critical_care",
               # the "sometimes therapy" codes paid as therapy (edit 21 leaves them out)
               "therapy_conditionally_paid")
#: The data_revenue flags the claims are drawn by (edits 65 and 48).
REVENUE_FLAGS = ("not_recognized", "bypass_e48")


def _edits(values: Any) -> list[int]:
    return sorted({int(v) for v in values or () if str(v).strip().isdigit() and int(v)})


def _result(out: dict[str, Any]) -> dict[str, Any]:
    dx = [out.get("principalDiagnosisCode") or {},
          *(out.get("secondaryDiagnosisCodeList") or [])]
    lines = [{"hcpcs": _edits(ln.get("hcpcsEditList")),
              "date": _edits(ln.get("serviceDateEditList")),
              "revenue": _edits(ln.get("revenueEditList")),
              "mods": [_edits(m.get("editList")) for m in ln.get("hcpcsModifierInputList") or []],
              "si": ln.get("statusIndicator")}
             for ln in out.get("lineItemList") or []]
    claim: set[int] = set()
    for key in ("claimRejectionEditList", "claimDenialEditList",
                "claimReturnToProviderEditList", "claimSuspensionEditList",
                "lineRejectionEditList", "lineDenialEditList"):
        claim.update(_edits(out.get(key)))
    info = out.get("processingInformation") or {}
    return {"dx": [_edits(d.get("editList")) for d in dx], "lines": lines,
            "claim": sorted(claim), "version": info.get("internalVersion"),
            "return_code": info.get("returnCode"),
            "processed": out.get("claimProcessedFlag")}


def run(claims: list[dict[str, Any]], passes: int = 1) -> dict[str, Any]:
    """``results`` (one per claim), ``seconds`` (the time ``process`` took on the claims
    after the first, per pass: a later pass sees them again) and ``start_seconds`` (making
    the engine, and its first claim)."""
    import time

    from pyoce import IoceComponent

    t0 = time.perf_counter()
    engine = IoceComponent()
    results: list[dict[str, Any]] = []
    spent = []
    start = 0.0
    for p in range(passes):
        total = 0.0
        for i, claim in enumerate(claims):
            t = time.perf_counter()
            try:
                out = _result(engine.process(dict(claim)))
            except Exception as e:  # a crash of the oracle is a result, not the end of it
                out = {"error": f"{type(e).__name__}: {e}"}
            if p == 0:
                results.append(out)
            if p == 0 and i == 0:
                start = time.perf_counter() - t0
            elif i:
                total += time.perf_counter() - t
        spent.append(total)
    return {"results": results, "seconds": spent[0], "passes": spent,
            "start_seconds": start, "python": sys.version.split()[0]}


def _env() -> Any:
    import lmdb
    from pyoce.dao.provider import LmdbDataProvider

    path = LmdbDataProvider()._env_path
    return lmdb.open(str(path), subdir=False, readonly=True, lock=False, max_dbs=64)


def _rows(env: Any, name: bytes) -> list[tuple[str, Any]]:
    db = env.open_db(name)
    with env.begin(db=db) as tx:
        return [(k.decode("ascii"), v) for k, v in tx.cursor()]


def pools() -> dict[str, Any]:
    env = _env()
    out: dict[str, Any] = {}
    out["versions"] = sorted(
        [d["version"], d["version_id"], d["date_started"], d["date_ended"]]
        for _, d in ((k, marshal.loads(v)) for k, v in _rows(env, b"version_range")))
    hcpcs = []
    for k, v in _rows(env, b"data_hcpcs"):
        d = marshal.loads(v)
        hcpcs.append({"code": k.split("|")[0], "lo": d["lo_version"], "hi": d["hi_version"],
                      "si": d.get("status_indicator") or "",
                      "lo_age": int(d.get("lo_age") or 0), "hi_age": int(d.get("hi_age") or 0),
                      "flags": sorted(n for n in HCPCS_FLAGS if d.get(n)),
                      "dates": [d.get("date_approved") or 0, d.get("date_terminated") or 0,
                                d.get("mid_quarter_date_edit") or 0]})
    out["hcpcs"] = hcpcs
    mods = []
    for k, v in _rows(env, b"data_modifier"):
        d = marshal.loads(v)
        mods.append({"code": k.split("|")[0], "lo": d["lo_version"], "hi": d["hi_version"],
                     "ncci": bool(d.get("ncci"))})
    out["modifiers"] = mods
    dx = []
    for k, v in _rows(env, b"data_dx10"):
        d = marshal.loads(v)
        flags = sorted(n for n in ("external_cause", "manifestation", "unacceptable_pdx",
                                   "unacceptable_pdx_exclusion",
                                   "unacceptable_pdx_exclusion_ignored", "mental_health")
                       if d.get(n))
        dx.append({"code": k.split("|")[0], "lo": d["lo_version"], "hi": d["hi_version"],
                   "lo_age": int(d.get("lo_age") or 0), "hi_age": int(d.get("hi_age") or 0),
                   "sex": int(d.get("sex") or 0), "flags": flags})
    out["dx"] = dx
    out["revenue"] = [{"code": f"{int(k.split('|')[0]):04d}", "lo": d["lo_version"],
                       "hi": d["hi_version"], "si": d.get("status_indicator") or "",
                       "flags": sorted(n for n in REVENUE_FLAGS if d.get(n))}
                      for k, d in ((k, marshal.loads(v)) for k, v in _rows(env, b"data_revenue"))]
    for name in ("map_addon_type1", "map_addon_type3", "map_addon_saas",
                 "map_addon_remote_mental_health", "map_addon_covid_lab",
                 "map_addon_drug_admin"):
        out[name] = [[k.split("|")[0], d.get("addon_primary", ""), d["lo_version"],
                      d["hi_version"]]
                     for k, d in ((k, marshal.loads(v)) for k, v in _rows(env, name.encode()))]
    out["map_addon_type2"] = [[k.split("|")[0], "", d["lo_version"], d["hi_version"]]
                              for k, d in ((k, marshal.loads(v))
                                           for k, v in _rows(env, b"map_addon_type2"))]
    # edit 102: the modifier pairs not allowed on one line (keys "M1|M2|lo|hi")
    out["map_modifier_conflict"] = [[*k.split("|")[:2], d["lo_version"], d["hi_version"]]
                                    for k, d in ((k, marshal.loads(v)) for k, v in
                                                 _rows(env, b"map_modifier_conflict"))]
    return out


def main(argv: list[str]) -> int:
    if argv[1:2] == ["run"] and len(argv) <= 3:
        passes = int(argv[2]) if len(argv) == 3 else 1
        json.dump(run(json.load(sys.stdin), passes), sys.stdout, separators=(",", ":"))
    elif argv[1:] == ["pools"]:
        json.dump(pools(), sys.stdout, separators=(",", ":"))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
