"""Cross-check of the ``medicare-outpatient`` profile against the CMS I/OCE port on PyPI.

``pyoce`` 0.1.0 (``IoceComponent``, the CMS Integrated Outpatient Code Editor in Python)
runs in its own Python >= 3.12 (``tests/ioce_env.py`` finds or makes it; the tests skip,
saying why, when none can be had) on the same generated outpatient claims as codekit --
one subprocess for the whole batch, JSON in and out (``tests/ioce_oracle.py``). Every
I/OCE edit with a catalog counterpart is compared *by location* (which diagnosis, which
line, which modifier): a decision is "does this edit fire here", and codekit and the I/OCE
must decide alike. See ``docs/ioce_crosscheck.md``; ``python tests/test_ioce_crosscheck.py``
prints its tables on the full set.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
import re
import time
from collections.abc import Iterable
from typing import Any

import pytest

from codekit import Checker, Claim, Report, icd10cm, modifiers, ncci, procedure
from codekit.build.procedures import AGE_LIMITS

try:
    from . import ioce_env
    from .typos import typo
except ImportError:  # run as a script: python tests/test_ioce_crosscheck.py
    import ioce_env  # type: ignore[no-redef]
    from typos import typo  # type: ignore[no-redef]

N_CLAIMS = 6000
SAMPLE = 1500  # the claims the test suite runs (the first ones of the full set)
SEED = 20260612

FIRST_DAY, LAST_DAY = dt.date(2019, 7, 1), dt.date(2026, 6, 30)
#: Dates where an I/OCE rule starts or stops (besides every quarter's start).
EDGE_DAYS = (dt.date(2019, 10, 1),   # edit 113 (unacceptable principal) from version 77
             dt.date(2020, 3, 18),   # modifier CS (cost-sharing waiver) from
             dt.date(2023, 5, 12),   # modifier CS after the end of the PHE (edit 123)
             dt.date(2023, 7, 1),    # edit 114 ends (version 92)
             dt.date(2024, 10, 1))
EDGE_AGES = (0, 1, 11, 12, 14, 15, 17, 18, 55, 64, 65, 100, 124)
ICD10_LAYOUT = re.compile(r"[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}")
ICD9 = ("25000", "4019", "V7231", "E8889", "486", "41401", "2724", "V5861")
SEXES = {"M": "1", "F": "2", "U": "0"}

#: Outpatient services a hospital bills, by the revenue code it bills them under.
COMMON = {
    "0450": ("99281", "99282", "99283", "99284", "99285", "99291", "G0380", "G0383"),
    "0510": ("G0463", "99213", "99214", "99203", "G2211", "99212"),
    "0300": ("80053", "85025", "80048", "36415", "84443", "83036", "80061", "87635",
             "U0003", "U0004", "87426", "87811"),
    "0320": ("71046", "73562", "70450", "74177", "72148", "76700", "77067", "71250"),
    "0360": ("11042", "11043", "29881", "20610", "12001", "12002", "64483", "45378",
             "43239", "10060", "17000", "29880", "66984", "52000", "36556", "62323"),
    "0260": ("96360", "96365", "96374", "96372", "96413"),
    "0420": ("97110", "97140", "97530", "97161", "97597", "97598"),
    "0480": ("93000", "93005", "93306", "93017", "93458"),
    "0636": ("J1100", "J3301", "J1885", "J2405", "J7030", "J0696", "J1642"),
    "0914": ("90832", "90834", "90837", "90791", "90785", "90833", "90836", "90838"),
    "0771": ("90471", "90686", "G0008", "90732"),
}
#: Codes of the last MCE sex lists (the I/OCE has no sex flag on any diagnosis).
SEX_DX = ("N400", "N401", "C61", "N529", "Z125", "N4889", "O80", "N951", "Z01419", "N946",
          "Z30011", "N760", "O0990", "C561", "N390")
#: Separately paid services (status V, T, S, J1 or J2 in the quarters they exist).
ANCHORS = ("99283", "99284", "G0463", "11042", "29881", "45378", "71250", "93306",
           "20610", "64483", "66984", "93017")
AMBULANCE = ("A0425", "A0427", "A0429", "A0426", "A0428", "A0433", "A0434")
#: Ambulance origin/destination letters (HCPCS Level II ambulance modifiers).
ORIGIN_DEST = "DEGHIJNPRSX"
#: Add-on chains: (add-on, add-on it needs, base procedure).
CHAINS = (("90785", "90836", "99213"), ("90785", "90833", "99214"),
          ("90785", "90838", "99215"))


#: The data_hcpcs flags of the missing-companion edits (ioce_oracle.HCPCS_FLAGS).
COMPANION_FLAGS = ("blood_service", "blood_product", "device_procedure", "device",
                   "bypass_e92_modifier", "skin_substitute_sg_lo", "skin_substitute_lo",
                   "skin_substitute_sg_hi", "skin_substitute_hi",
                   "skin_substitute_application_procedure", "cornea_transplant",
                   "cornea_tissue_processing")


#: The data_hcpcs flags of the billing-form edits (ioce_oracle.HCPCS_FLAGS).
BILLING_FLAGS = ("blood_product", "packed_red_cells", "whole_blood", "allogeneic_transplant",
                 "opioid_treatment_program", "observation", "observation_hourly",
                 "observation_direct_admit", "observation_hospital_only",
                 "trauma_revenue_code", "trauma_critical_care")


def _ymd(n: int) -> dt.date:
    return dt.date(n // 10000, n // 100 % 100, n % 100)


# -- what the I/OCE knows ----------------------------------------------------------------------


class Pools:
    """Code lists of the I/OCE tables (``ioce_oracle.py pools``), by internal version."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.versions = [(n, _ymd(s), _ymd(e)) for n, _id, s, e in raw["versions"]]
        self.first_version = self.versions[0][0]
        self.hcpcs: dict[str, list[tuple[Any, ...]]] = collections.defaultdict(list)
        for r in raw["hcpcs"]:
            self.hcpcs[r["code"]].append((r["lo"], r["hi"], r["si"], r["lo_age"], r["hi_age"],
                                          frozenset(r["flags"]), tuple(r["dates"])))
        self.codes = sorted(self.hcpcs)
        self.known = frozenset(self.codes)
        self.aged = sorted(c for c, rows in self.hcpcs.items()
                           if any((r[3], r[4]) != (0, 124) for r in rows))
        self.dated = [(c, r) for c, rows in self.hcpcs.items() for r in rows
                      if r[6][2] in (67, 68, 69, 83, 110, 134) and (r[6][0] or r[6][1])]
        self.dated.sort()
        self.mods: dict[str, list[tuple[int, int, bool]]] = collections.defaultdict(list)
        for r in raw["modifiers"]:
            if not r["code"].startswith("#"):
                self.mods[r["code"]].append((r["lo"], r["hi"], r["ncci"]))
        self.mod_codes = sorted(self.mods)
        self.ncci_mods = sorted(m for m, rows in self.mods.items() if any(r[2] for r in rows))
        self.maps: dict[str, dict[str, list[tuple[str, int, int]]]] = {}
        for name in ("map_addon_type1", "map_addon_type2", "map_addon_type3", "map_addon_saas",
                     "map_addon_remote_mental_health", "map_addon_covid_lab",
                     "map_addon_drug_admin"):
            m: dict[str, list[tuple[str, int, int]]] = collections.defaultdict(list)
            for addon, primary, lo, hi in raw[name]:
                m[addon].append((primary, lo, hi))
            self.maps[name] = dict(m)
        self.dx: dict[str, list[tuple[Any, ...]]] = collections.defaultdict(list)
        for r in raw["dx"]:
            self.dx[r["code"]].append((r["lo"], r["hi"], r["lo_age"], r["hi_age"], r["sex"],
                                       frozenset(r["flags"])))
        self.dx_codes = sorted(self.dx)
        #: Codes by IOCE bilateral designation (any version: drawn with valid_code).
        self.bilateral = {kind: sorted(c for c, rows in self.hcpcs.items()
                                       if any(f"bilateral_{kind}" in r[5] for r in rows))
                          for kind in ("inherent", "conditional", "independent")}
        self.dx_known = frozenset(self.dx_codes) | {c[:n] for c in self.dx_codes
                                                    for n in range(3, len(c))}
        flagged: dict[str, set[str]] = collections.defaultdict(set)
        for code, rows in self.dx.items():
            for lo, _hi, a, b, sex, flags in rows:
                if (a, b) != (0, 124):
                    flagged["age"].add(code)
                if sex:
                    flagged["sex"].add(code)
                for f in flags:
                    flagged[f].add(code)
                if "unacceptable_pdx" in flags and "unacceptable_pdx_exclusion" not in flags \
                        and lo > self.first_version:
                    flagged["unacceptable_new"].add(code)
        self.dx_flagged = {f: sorted(c) for f, c in flagged.items()}
        self.headers = sorted({c[:n] for c in self.dx_codes for n in range(3, len(c))}
                              - set(self.dx_codes))
        self.seventh = [c for c in self.dx_codes if len(c) == 7]
        self.placeholder = [c for c in self.seventh if "X" in c[3:6]]
        #: Revenue codes: (first version, last version, status indicator, flags).
        self.revenue: dict[str, list[tuple[int, int, str, frozenset[str]]]] = \
            collections.defaultdict(list)
        for r in raw.get("revenue", ()):
            self.revenue[r["code"]].append((r["lo"], r["hi"], r["si"], frozenset(r["flags"])))
        self.revenue_codes = sorted(self.revenue)
        #: Codes by the flags of the missing-companion edits (43, 87, 92, 93), any version.
        self.companion = {f: sorted(c for c, rows in self.hcpcs.items()
                                    if any(f in r[5] for r in rows))
                          for f in COMPANION_FLAGS}
        #: Codes by the flags of the billing-form edits (73, 79, 100, 116, 44, 58, 53, 76).
        self.billing = {f: sorted(c for c, rows in self.hcpcs.items()
                                  if any(f in r[5] for r in rows)) for f in BILLING_FLAGS}
        #: Codes of status indicator G (pass-through drugs: edit 122) in some version.
        self.billing["G"] = sorted(c for c, rows in self.hcpcs.items()
                                   if any(r[2] == "G" for r in rows))
        #: The modifier pairs of edit 102: (modifier, modifier, first version, last).
        self.modifier_conflicts = [tuple(r) for r in raw.get("map_modifier_conflict", ())]
        #: Codes of status indicator S1 in some version (the skin substitute products of
        #: edit 87 from 2026-01-01).
        self.companion["S1"] = sorted(c for c, rows in self.hcpcs.items()
                                      if any(r[2] == "S1" for r in rows))

    def version(self, day: dt.date) -> int:
        for n, start, end in self.versions:
            if start <= day <= end:
                return n
        raise ValueError(day)

    def quarter(self, day: dt.date) -> tuple[dt.date, dt.date]:
        for _n, start, end in self.versions:
            if start <= day <= end:
                return start, end
        raise ValueError(day)

    def hcpcs_row(self, code: str, v: int) -> tuple[Any, ...] | None:
        return next((r for r in self.hcpcs.get(code, ()) if r[0] <= v <= r[1]), None)

    def dx_row(self, code: str, v: int) -> tuple[Any, ...] | None:
        return next((r for r in self.dx.get(code, ()) if r[0] <= v <= r[1]), None)

    def mod_valid(self, mod: str, v: int) -> bool:
        return any(lo <= v <= hi for lo, hi, _ in self.mods.get(mod, ()))

    def valid_code(self, rng: random.Random, v: int, pool: list[str] | None = None,
                   inpatient: bool = False) -> str:
        """A code valid in version ``v`` (of ``pool``); not an inpatient-only procedure
        (status C) unless ``inpatient``."""
        pool = pool or self.codes
        for _ in range(200):
            c = rng.choice(pool)
            row = self.hcpcs_row(c, v)
            if row is not None and (inpatient or row[2] != "C"):
                return c
        return "99213"

    def valid_dx(self, rng: random.Random, v: int, pool: list[str] | None = None) -> str:
        pool = pool or self.dx_codes
        for _ in range(200):
            c = rng.choice(pool)
            if self.dx_row(c, v) is not None:
                return c
        return "R69"

    def revenue_row(self, code: str, v: int) -> tuple[Any, ...] | None:
        return next((r for r in self.revenue.get(code, ()) if r[0] <= v <= r[1]), None)

    def revenue_code(self, rng: random.Random, v: int, kind: str) -> str:
        """A revenue code known in version ``v``: ``"hcpcs"`` one a line needs a HCPCS
        code with (edit 48), ``"alone"`` one it needs none with (packaged N, F, or
        bypassing edit 48), ``"not_recognized"`` one Medicare does not recognize (65);
        ``"unknown"`` four digits the I/OCE does not know (41)."""
        for _ in range(500):
            if kind == "unknown":
                c = f"{rng.randrange(10000):04d}"
                if self.revenue_row(c, v) is None:
                    return c
                continue
            c = rng.choice(self.revenue_codes)
            row = self.revenue_row(c, v)
            if row is None:
                continue
            alone = row[2] in ("N", "F") or "bypass_e48" in row[3]
            if (kind == "not_recognized" and "not_recognized" in row[3]) or \
                    (kind == "hcpcs" and not alone) or \
                    (kind == "alone" and alone and "not_recognized" not in row[3]):
                return c
        raise ValueError(kind)

    def addon_rows(self, name: str, addon: str, v: int) -> list[str]:
        return [p for p, lo, hi in self.maps[name].get(addon, ()) if lo <= v <= hi]


# -- the generated claims ----------------------------------------------------------------------


def _revenue(code: str) -> str:
    for rev, codes in COMMON.items():
        if code in codes:
            return rev
    if code in AMBULANCE or code.startswith("A0"):
        return "0540"
    if code[0] == "J":
        return "0636"
    if code[0] == "9" and code.startswith("97"):
        return "0420"
    if code[0].isdigit():
        return {"1": "0360", "2": "0360", "3": "0360", "4": "0360", "5": "0360",
                "6": "0360", "7": "0320", "8": "0300", "9": "0940", "0": "0360"}[code[0]]
    return "0510"


class Draw:
    """One claim being drawn: its date, version and lines."""

    def __init__(self, rng: random.Random, pools: Pools, day: dt.date) -> None:
        self.rng, self.pools, self.day = rng, pools, day
        self.v = pools.version(day)
        self.lines: list[dict[str, Any]] = []

    def line(self, code: str, mods: Iterable[str] = (), units: int = 1,
             revenue: str | None = None, day: dt.date | None = None) -> None:
        self.lines.append({"procedure_code": code, "modifiers": list(mods), "units": units,
                           "revenue_code": revenue or _revenue(code),
                           "date_of_service": (day or self.day).isoformat()})

    # -- diagnoses --

    def dx(self) -> str:
        rng, p, v = self.rng, self.pools, self.v
        r = rng.random()
        if r < 0.42:
            return p.valid_dx(rng, v)
        if r < 0.56:
            return p.valid_dx(rng, v, p.dx_flagged["age"])
        if r < 0.62:
            return p.valid_dx(rng, v, list(SEX_DX))
        if r < 0.68:  # valid in another version only (added or deleted on an update)
            for _ in range(200):
                c = rng.choice(p.dx_codes)
                if p.dx_row(c, v) is None:
                    return c
            return "G35"
        if r < 0.74:
            return rng.choice(p.headers)
        if r < 0.82:
            return typo(rng, p.valid_dx(rng, v), p.dx_known)
        if r < 0.85:
            code = rng.choice(p.seventh)
            return code[:6] if rng.random() < 0.5 else code[:6] + rng.choice("ABCDGKPSQ")
        if r < 0.88:
            code = rng.choice(p.placeholder)
            return code[:6].rstrip("X") + code[6]
        if r < 0.90:
            return rng.choice(ICD9)
        return p.valid_dx(rng, v)

    def principal(self) -> str:
        rng, p, v = self.rng, self.pools, self.v
        r = rng.random()
        if r < 0.14:
            pool = p.dx_flagged["unacceptable_new" if rng.random() < 0.1 else
                                "unacceptable_pdx"]
            return p.valid_dx(rng, v, pool)
        if r < 0.19:
            return p.valid_dx(rng, v, p.dx_flagged["external_cause"])
        if r < 0.23:
            return p.valid_dx(rng, v, p.dx_flagged["manifestation"])
        return self.dx()

    # -- lines --

    def common(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            return self.pools.valid_code(rng, self.v, inpatient=rng.random() < 0.01)
        rev = rng.choice(sorted(COMMON))
        return rng.choice(COMMON[rev])

    def modifiers(self, code: str) -> list[str]:
        rng, p, v = self.rng, self.pools, self.v
        r = rng.random()
        if r < 0.70:
            return []
        if r < 0.80:
            return [m for m in (rng.choice(p.mod_codes) for _ in range(rng.randint(1, 2)))
                    if p.mod_valid(m, v)][:2]
        if r < 0.86:  # a modifier of another quarter only
            for _ in range(100):
                m = rng.choice(p.mod_codes)
                if not p.mod_valid(m, v):
                    return [m]
            return ["JG"]
        if r < 0.91:  # not a modifier at all
            return [rng.choice(("ZZ", "88", "5O", "1T", "Q", "RTT", "9Z", "X5", "LR"))]
        if r < 0.95:
            return ["CS"]
        return [rng.choice(ORIGIN_DEST) + rng.choice(ORIGIN_DEST)]

    def ncci_pair(self) -> None:
        rng, p, v, day = self.rng, self.pools, self.v, self.day
        ptp = ncci.hospital_ptp()
        inpatient = rng.random() < 0.02  # an inpatient-only procedure (status C) allowed
        for _ in range(100):
            c1 = rng.choice(ptp.codes)
            row = p.hcpcs_row(c1, v)
            if row is None or (row[2] == "C" and not inpatient):
                continue
            edits = ptp.edits(c1, on=day)
            if not edits:
                continue
            e = rng.choice(edits)
            row = p.hcpcs_row(e.column_2, v)
            if row is None or (row[2] == "C" and not inpatient):
                continue
            m1: list[str] = []
            m2: list[str] = []
            r = rng.random()
            if r < 0.25:
                m2 = [rng.choice(p.ncci_mods)]
            elif r < 0.40:
                m1 = [rng.choice(p.ncci_mods)]
            elif r < 0.45:
                m1, m2 = [rng.choice(p.ncci_mods)], [rng.choice(p.ncci_mods)]
            elif r < 0.55:
                m2 = [rng.choice(("25", "57", "76", "77", "91", "GA", "GY", "KX", "TC"))]
            lines = [(c1, m1), (e.column_2, m2)]
            rng.shuffle(lines)
            for code, mods in lines:
                self.line(code, [m for m in mods if p.mod_valid(m, v)])
            return

    def em_and_procedure(self) -> None:
        rng = self.rng
        em = rng.choice(("99283", "99284", "99285", "G0463", "99213", "99214"))
        proc = rng.choice(("11042", "12001", "20610", "29881", "10060", "64483", "17000",
                           "11720", "36556", "51702", "31500"))
        mod = rng.choice(((), ("25",), ("59",), ("XU",), ("XS",), ("57",), ("RT",), ("LT",),
                          ("25",), ()))
        self.line(em, mod)
        self.line(proc, rng.choice(((), (), ("RT",), ("59",))))

    def addon(self) -> None:
        rng, p, v = self.rng, self.pools, self.v
        r = rng.random()
        if r < 0.12:
            addon, needs, base = rng.choice(CHAINS)
            self.line(addon)
            self.line(needs)
            if rng.random() < 0.5:
                self.line(base)
            return
        name = ("map_addon_type1" if r < 0.55 else "map_addon_type3" if r < 0.70 else
                "map_addon_type2" if r < 0.76 else "map_addon_saas" if r < 0.84 else
                "map_addon_remote_mental_health" if r < 0.88 else
                "map_addon_covid_lab" if r < 0.94 else "map_addon_drug_admin")
        live = [a for a, rows in p.maps[name].items()
                if any(lo <= v <= hi for _p, lo, hi in rows)
                and p.hcpcs_row(a, v) is not None]
        if not live:
            self.line(self.common())
            return
        addon = rng.choice(sorted(live))
        self.line(addon, units=rng.choice((1, 1, 2)))
        primaries = [c for c in p.addon_rows(name, addon, v) if c and p.hcpcs_row(c, v)]
        r = rng.random()
        if primaries and r < 0.6:
            self.line(rng.choice(sorted(primaries)))
        elif r < 0.8:
            self.line(self.common())  # another procedure, not one of the listed primaries

    def ambulance(self) -> None:
        rng = self.rng
        code = rng.choice(AMBULANCE)
        r = rng.random()
        if r < 0.7:
            mods = [rng.choice(ORIGIN_DEST) + rng.choice(ORIGIN_DEST)]
        elif r < 0.8:
            mods = [rng.choice(ORIGIN_DEST) + rng.choice(ORIGIN_DEST), "QM"]
        elif r < 0.9:
            mods = [rng.choice(("ZZ", "88", "XX9"))]
        else:
            mods = []
        self.line(code, mods, units=rng.choice((1, 1, 12, 25)), revenue="0540")
        if rng.random() < 0.3:  # an origin/destination pair on a line that is not ambulance
            self.line(self.common(), [rng.choice(ORIGIN_DEST) + rng.choice(ORIGIN_DEST)])

    def invalid_procedure(self) -> None:
        rng, p, v = self.rng, self.pools, self.v
        r = rng.random()
        if r < 0.45:  # a code of another quarter only (deleted, or not yet added)
            for _ in range(200):
                c = rng.choice(p.codes)
                if p.hcpcs_row(c, v) is None:
                    self.line(c)
                    return
        if r < 0.85:
            self.line(typo(rng, p.valid_code(rng, v), p.known))
        else:
            self.line(rng.choice(("00000", "9921", "99213-25", "J01X", "A")))

    def aged(self) -> None:
        self.line(self.pools.valid_code(self.rng, self.v, self.pools.aged))

    def bilateral(self, rng: random.Random) -> None:
        """Lines for the I/OCE's bilateral and telehealth edits (17, 74, 37, 126), drawn
        with their own ``rng`` (the claim's other draws stay as they were)."""
        p, v = self.pools, self.v
        r = rng.random()
        if r < 0.4:  # an inherently bilateral code repeated (edit 17)
            code = p.valid_code(rng, v, p.bilateral["inherent"])
            k = rng.random()
            if k < 0.4:
                self.line(code)
                self.line(code, rng.choice(((), (), ("76",), ("77",), ("RT",))))
            else:
                self.line(code, units=rng.choice((1, 2, 2, 3)))
        elif r < 0.8:  # a conditionally or independently bilateral code (edits 74, 37)
            code = p.valid_code(rng, v, p.bilateral[rng.choice(("conditional",
                                                                "independent"))])
            mods = rng.choice((("50",), ("50",), ("52",), ("73",), ("52", "50"),
                               ("73", "50"), ("RT",), ()))
            self.line(code, mods, units=rng.choice((1, 2, 2, 3)))
        else:  # a telehealth modifier (edit 126: critical access hospitals only)
            code = rng.choice(("G0463", "99213", "99214", "90834", "92012", "97110"))
            self.line(code, (rng.choice(("95", "GT", "GQ")),))


    def revenue(self, rng: random.Random) -> None:
        """Lines for the I/OCE's revenue-code edits (41, 48, 65), drawn with their own
        ``rng`` (the claim's other draws stay as they were): mostly revenue-code-only
        lines (no HCPCS code), some with a HCPCS code of a common service."""
        p, v = self.pools, self.v
        r = rng.random()
        code = "" if rng.random() < 0.7 else rng.choice(("G0463", "85025", "80053", "71046"))
        if r < 0.3:  # a revenue code that needs a HCPCS code (48 without one)
            rev = p.revenue_code(rng, v, "hcpcs")
        elif r < 0.5:  # one that needs none (packaged N, F, or bypassing 48)
            rev = p.revenue_code(rng, v, "alone")
        elif r < 0.7:  # not recognized by Medicare (65)
            rev = p.revenue_code(rng, v, "not_recognized")
        elif r < 0.9:  # four digits the I/OCE does not know (41)
            rev = p.revenue_code(rng, v, "unknown")
        else:  # written otherwise: 3 digits (the I/OCE reads a number: 0450), or not digits
            rev = rng.choice(("450", "510", "45O", "O450", "4500A", "0X"))
        self.line(code, revenue=rev)


    def flagged(self, rng: random.Random, flag: str) -> str | None:
        """A code with the companion ``flag`` (or status ``"S1"``) in the claim's
        version, or None when none is drawn."""
        p, v = self.pools, self.v
        pool = p.companion[flag]
        for _ in range(50):
            c = rng.choice(pool)
            row = p.hcpcs_row(c, v)
            if row is not None and (flag in row[5] or (flag == "S1" and row[2] == "S1")):
                return c
        return None

    def companion(self, rng: random.Random) -> None:
        """Lines for the I/OCE's missing-companion edits (43, 87, 92, 93), drawn with their
        own ``rng``: a blood procedure, a device-intensive procedure (some with modifier
        52, 73, 74 or CG), a skin substitute application or cornea tissue processing, half
        of the time with its companion code (the same day)."""
        r = rng.random()
        if r < 0.25:
            need, have = "blood_service", ("blood_product",)
        elif r < 0.55:
            need, have = "device_procedure", ("device",)
        elif r < 0.8:
            need = rng.choice(("skin_substitute_sg_lo", "skin_substitute_sg_hi",
                               "skin_substitute_application_procedure"))
            have = {"skin_substitute_sg_lo": ("skin_substitute_lo",),
                    "skin_substitute_sg_hi": ("skin_substitute_hi",)}.get(need, ("S1",))
        else:
            need, have = "cornea_tissue_processing", ("cornea_transplant",)
        code = self.flagged(rng, need)
        if code is None:
            return
        mods: tuple[str, ...] = ()
        if need == "device_procedure" and rng.random() < 0.2:
            mods = (rng.choice(("52", "73", "74", "CG")),)
        self.line(code, mods)
        if rng.random() < 0.5:
            partner = self.flagged(rng, rng.choice(have))
            if partner is not None:
                self.line(partner)


def _day(rng: random.Random, pools: Pools) -> dt.date:
    r = rng.random()
    span = (LAST_DAY - FIRST_DAY).days
    if r < 0.15:
        return rng.choice(EDGE_DAYS) + dt.timedelta(days=rng.randint(-3, 3))
    if r < 0.30:
        start = rng.choice(pools.versions[1:])[1]
        return start + dt.timedelta(days=rng.randint(-3, 3))
    return FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))


def make_claims(pools: Pools, n: int = N_CLAIMS, seed: int = SEED) -> list[dict[str, Any]]:
    """``n`` outpatient claim dicts (codekit's shape); ``ioce_input`` turns one into the
    I/OCE's."""
    rng = random.Random(seed)
    claims = []
    for i in range(n):
        day = _day(rng, pools)
        dated = None
        if rng.random() < 0.08:  # a code with a date edit, near its date
            code, row = rng.choice(pools.dated)
            when = [d for d in row[6][:2] if d]
            day = _ymd(rng.choice(when)) + dt.timedelta(days=rng.randint(-5, 5))
            lo = max(FIRST_DAY, pools.versions[row[0] - pools.first_version][1])
            hi = min(LAST_DAY, pools.versions[row[1] - pools.first_version][2])
            day = min(max(day, lo), hi)
            dated = code
        day = min(max(day, FIRST_DAY), LAST_DAY)
        d = Draw(rng, pools, day)
        codes = [d.principal()] + [d.dx() for _ in range(rng.randint(0, 5))]
        if dated:
            d.line(dated)
        if rng.random() < 0.85:  # a separately paid service, as most claims have
            d.line(rng.choice(ANCHORS))
        for _ in range(rng.randint(0 if dated else 1, 3)):
            d.line(d.common(), d.modifiers(""))
        r = rng.random()
        if r < 0.28:
            d.ncci_pair()
        elif r < 0.40:
            d.em_and_procedure()
        if rng.random() < 0.22:
            d.addon()
        if rng.random() < 0.08:
            d.ambulance()
        if rng.random() < 0.10:
            d.invalid_procedure()
        if rng.random() < 0.08:
            d.aged()
        for ln in d.lines:
            if ln["procedure_code"][:1] == "J" and rng.random() < 0.5:
                ln["units"] = rng.randint(2, 40)
            if not ln["modifiers"] and rng.random() < 0.05:
                ln["modifiers"] = d.modifiers(ln["procedure_code"])
            if rng.random() < 0.01:  # no units (codekit: UNITS_INVALID; the I/OCE takes 1)
                ln["units"] = 0
        # Some claims span two or three days (within the quarter: the I/OCE reads its
        # tables for the quarter of the claim's first day).
        last = day
        if rng.random() < 0.12 and len(d.lines) > 1:
            q_end = pools.quarter(day)[1]
            for ln in d.lines[1:]:
                if rng.random() < 0.5:
                    on = min(day + dt.timedelta(days=rng.randint(1, 2)), q_end)
                    ln["date_of_service"] = on.isoformat()
                    last = max(last, on)
        # The bilateral and telehealth lines, from their own generator (the claims'
        # other draws stay as they were). Edit 126 applies to critical access hospitals
        # (85x) only: the KNOWN claims hold those; here both sides must leave 131 alone.
        brng = random.Random(f"{seed}-{i}")
        if brng.random() < 0.08:
            d.bilateral(brng)
            if brng.random() < 0.25:
                d.bilateral(brng)
        # The revenue-code lines, from a generator of their own too (edits 41, 48, 65).
        rrng = random.Random(f"{seed}-revenue-{i}")
        if rrng.random() < 0.08:
            d.revenue(rrng)
            if rrng.random() < 0.25:
                d.revenue(rrng)
        # The missing-companion lines, from a generator of their own (43, 87, 92, 93).
        crng = random.Random(f"{seed}-companion-{i}")
        if crng.random() < 0.08:
            d.companion(crng)
        # A line without a revenue code (edit 41: the I/OCE takes a blank one as invalid,
        # codekit's claim model makes it optional), from a generator of its own too.
        nrng = random.Random(f"{seed}-norevenue-{i}")
        if nrng.random() < 0.03:
            d.line(nrng.choice(COMMON[nrng.choice(sorted(COMMON))]))
            d.lines[-1]["revenue_code"] = None
        age = rng.choice(EDGE_AGES) if rng.random() < 0.3 else rng.randint(0, 100)
        if rng.random() < 0.01:
            age = rng.choice((125, 130, 150))
        sex = "U" if rng.random() < 0.03 else rng.choice("MF")
        if rng.random() < 0.01:
            sex = "X"
        claims.append({
            "claim_id": f"IOCE-{i:05d}",
            "claim_type": "institutional", "payer": "medicare", "bill_type": "131",
            "opps": rng.random() < 0.7,
            "patient": {"sex": sex, "age": age},
            "date_of_service": day.isoformat(),
            "statement_period": [day.isoformat(), last.isoformat()],
            "diagnoses": [_written(rng, c) for c in codes],
            "service_lines": [{**ln, "line": j + 1} for j, ln in enumerate(d.lines)],
        })
    return claims


#: The path claims (edit 113 per I/OCE path): types of bill whose path runs the I/OCE's
#: inpatient list (12x, 22x, 81x, 82x) or its outpatient one (13x, 14x, 23x, 32x); with
#: condition code 07 and an antigen, cast or splint code, 22x, 23x, 32x, 81x and 82x go
#: down the CC07 path (the outpatient list).
PATH_BILLS = ("121", "221", "811", "821", "131", "141", "231", "321")
PATH_SEED = 20261205
N_PATH_CLAIMS = 2000
PATH_SAMPLE = 500  # the path claims the test suite runs (the first ones)
#: 2025-04-01: the I/OCE's inpatient list gains F02-F09, R53.81-R53.83, R54, R62.7.
PATH_EDGE = dt.date(2025, 4, 1)


def make_path_claims(pools: Pools, n: int = N_PATH_CLAIMS,
                     seed: int = PATH_SEED) -> list[dict[str, Any]]:
    """``n`` claims for edit 113 on the I/OCE's paths: a type of bill of
    :data:`PATH_BILLS` (half of the 22x, 23x, 32x, 81x and 82x ones with condition code
    07, two thirds of those with a cast, splint or antigen code: the CC07 path), the OPPS
    flag true on 70 %; the principal from the codes the inpatient list adds (40 %), from
    the outpatient list (30 %; ``unacceptable_pdx`` without the exclusion) or any code
    valid on the date; a second valid code; one visit line (G0463, revenue code 0510) and
    the path's line. Dates: 30 % within 3 days of 2025-04-01, 10 % of 2019-10-01 (edit 113
    begins), the rest from 2023-01-01 to the last day. Age 70, sex F: nothing else
    draws an edit."""
    rng = random.Random(seed)
    added = pools.dx_flagged.get("unacceptable_pdx_exclusion_ignored", [])
    outpatient = sorted(c for c, rows in pools.dx.items() if any(
        "unacceptable_pdx" in r[5] and "unacceptable_pdx_exclusion" not in r[5] for r in rows))
    path_codes = sorted(c for c, rows in pools.hcpcs.items()
                        if any({"cast", "splint", "antigen"} & r[5] for r in rows))
    start = dt.date(2023, 1, 1)
    claims = []
    for i in range(n):
        r = rng.random()
        if r < 0.3:
            day = PATH_EDGE + dt.timedelta(days=rng.randint(-3, 3))
        elif r < 0.4:
            day = EDGE_DAYS[0] + dt.timedelta(days=rng.randint(-3, 3))
        else:
            day = start + dt.timedelta(days=rng.randrange((LAST_DAY - start).days + 1))
        v = pools.version(day)
        r = rng.random()
        pool = added if r < 0.4 else outpatient if r < 0.7 else None
        codes = [pools.valid_dx(rng, v, pool), pools.valid_dx(rng, v)]
        bill = rng.choice(PATH_BILLS)
        lines = [{"procedure_code": "G0463", "modifiers": [], "units": 1,
                  "revenue_code": "0510", "date_of_service": day.isoformat()}]
        claim: dict[str, Any] = {}
        if bill[:2] in ("22", "23", "32", "81", "82") and rng.random() < 0.5:
            claim["condition_codes"] = ["07"]
            if rng.random() < 2 / 3:
                lines.append({"procedure_code": pools.valid_code(rng, v, path_codes),
                              "modifiers": [], "units": 1, "revenue_code": "0360",
                              "date_of_service": day.isoformat()})
        claims.append({
            "claim_id": f"PATH-{i:05d}", "claim_type": "institutional", "payer": "medicare",
            "bill_type": bill, "opps": rng.random() < 0.7,
            "patient": {"sex": "F", "age": 70}, "date_of_service": day.isoformat(),
            "statement_period": [day.isoformat(), day.isoformat()],
            "diagnoses": [_written(rng, c) for c in codes],
            "service_lines": [{**ln, "line": j + 1} for j, ln in enumerate(lines)], **claim})
    return claims


BILL_SEED = 20261206
N_BILL_CLAIMS = 1200
BILL_SAMPLE = 400  # the type-of-bill claims the test suite runs (the first ones)
#: 2024-01-01 (version 94): edit 118 for 76x without condition code 41 or 92, and for 12x
#: and 14x with 41 (edit 46 before).
BILL_EDGE = dt.date(2024, 1, 1)
BILL_TYPES = ("761", "761", "761", "121", "141", "131", "851", "831")


def make_bill_claims(pools: Pools, n: int = N_BILL_CLAIMS,
                     seed: int = BILL_SEED) -> list[dict[str, Any]]:
    """``n`` claims for edits 118 and 46 (the type of bill the I/OCE rejects before any
    other edit): a type of bill of :data:`BILL_TYPES`; on 76x condition code 41, 92 or
    none (a third each), on the others 41 half of the time; the OPPS flag true on 85 % of
    the 76x claims, 50 % of the 83x and 85x ones, 70 % of the others; dates 40 % within 3
    days of 2024-01-01, the rest from 2019-07-01 to the last day. A partial
    hospitalization line (G0410, revenue code 0915) with condition code 41 or on 76x, else
    a clinic visit (G0463, 0510), and a common service; the principal a header (I25:
    edit 1) on 10 % of the claims, else a valid code; a second valid code. Age 70, sex F."""
    rng = random.Random(seed)
    first = pools.versions[0][1]
    claims = []
    for i in range(n):
        if rng.random() < 0.4:
            day = BILL_EDGE + dt.timedelta(days=rng.randint(-3, 3))
        else:
            day = first + dt.timedelta(days=rng.randrange((LAST_DAY - first).days + 1))
        v = pools.version(day)
        bill = rng.choice(BILL_TYPES)
        if bill[:2] == "76":
            conditions = rng.choice(([], ["41"], ["92"]))
            opps = rng.random() < 0.85
        else:
            conditions = ["41"] if rng.random() < 0.5 else []
            opps = rng.random() < (0.5 if bill[:2] in ("83", "85") else 0.7)
        dx = ["I25" if rng.random() < 0.1 else pools.valid_dx(rng, v), pools.valid_dx(rng, v)]
        first_line = ("G0410", "0915") if conditions == ["41"] or bill[:2] == "76" else \
            ("G0463", "0510")
        rev = rng.choice(sorted(COMMON))
        lines = [first_line, (rng.choice(COMMON[rev]), rev)]
        claim: dict[str, Any] = {
            "claim_id": f"BILL-{i:05d}", "claim_type": "institutional", "payer": "medicare",
            "bill_type": bill, "opps": opps, "patient": {"sex": "F", "age": 70},
            "date_of_service": day.isoformat(),
            "statement_period": [day.isoformat(), day.isoformat()],
            "diagnoses": [_written(rng, c) for c in dx],
            "service_lines": [{"line": j + 1, "procedure_code": code, "modifiers": [],
                               "units": 1, "revenue_code": r,
                               "date_of_service": day.isoformat()}
                              for j, (code, r) in enumerate(lines)]}
        if conditions:
            claim["condition_codes"] = conditions
        claims.append(claim)
    return claims


#: The types of bill of a payment-integrity review's probes (2026-12-06): not a type of bill (blank,
#: not three characters after the UB-04's leading zero, not two digits first, type of facility 0 or
#: 9), 11x, and those no I/OCE path takes; and three the I/OCE reads as 13x.
PROBE_BILLS = ("", "   ", "0", "13", "13 ", "A31", "1X1", "999", "011", "1311", "1 31", "111",
               "0111", "117", "181", "191", "211", "281", "311", "331", "351", "361", "371",
               "381", "391", "411", "611", "651", "791", "861", "13A", "130", "131 ")
N_PROBE_CLAIMS = 1188  # 36 times each
PROBE_SAMPLE = 99  # the probe claims the test suite runs (the first ones: 3 times each)


def make_probe_claims(pools: Pools, n: int = N_PROBE_CLAIMS) -> list[dict[str, Any]]:
    """``n`` claims of :func:`make_bill_claims` (the same ``n`` first ones, their lines,
    dates, diagnoses, condition codes and OPPS flags) with the types of bill of
    :data:`PROBE_BILLS` instead, in turn."""
    claims = make_bill_claims(pools, n)
    for i, c in enumerate(claims):
        c["claim_id"] = c["claim_id"].replace("BILL", "PROBE")
        c["bill_type"] = PROBE_BILLS[i % len(PROBE_BILLS)]
    return claims

BILLING_SEED = 20261207
N_BILLING_CLAIMS = 1500
BILLING_SAMPLE = 500  # the billing-form claims the test suite runs (the first ones)
#: Dates where a billing-form edit starts or stops: 116 from 2020-01-01 (version 78),
#: 122 from 2022-04-01 (version 87) to 2024-12-31 (JG is no modifier after).
BILLING_EDGES = (dt.date(2020, 1, 1), dt.date(2022, 4, 1), dt.date(2025, 1, 1))
#: The scenarios of ``make_billing_claims``: the types of bill each draws from (the I/OCE
#: paths that run its edits, and some that do not).
BILLING_BILLS: dict[str, tuple[str, ...]] = {
    "blood": ("131", "131", "131", "121", "851", "831", "731", "141"),
    "allogeneic": ("131", "131", "121", "851", "141"),
    "otp": ("131", "131", "871", "851", "121", "141", "711", "221", "341", "431", "771"),
    "observation": ("131", "131", "131", "851", "121", "141", "221", "871"),
    "trauma": ("131", "131", "121", "851", "141"),
    "modifiers": ("131", "131", "121", "141", "851", "321", "711", "231"),
    "jg": ("131", "131", "121", "341", "141"),
}
#: The non-OPPS-only types of bill (the I/OCE has a path for them on non-OPPS claims).
_NON_OPPS_ONLY = ("73", "78", "83", "84", "85", "89")


def make_billing_claims(pools: Pools, n: int = N_BILLING_CLAIMS,
                        seed: int = BILLING_SEED) -> list[dict[str, Any]]:
    """``n`` claims for the billing-form edits (73, 79, 100, 116, 44, 58, 53, 76, 122,
    102), one scenario each: blood products under revenue codes 038x, 039x and others,
    with and without BL, their 038x and 039x lines with the same units or not, and
    revenue codes 0381 and 0382 with other codes (73, 79); 38240 with and without a 0815
    line (100); an opioid treatment program code (116); G0378, G0379 and other codes under
    0762, on the same date or not (44, 58, 53); G0390 under 068x or 0450, with 99291 or
    99285, and at times a 0636 drug line (76); two of CT, FX, FY, ER, PN, PO and others on
    one line (102); a pass-through drug (status G) with JG or TB (122). Types of bill from
    :data:`BILLING_BILLS` (non-OPPS on 73x, 83x, 85x; 70 % OPPS elsewhere), condition code
    89 on a fifth of the 12x, 13x and 85x claims; dates 30 % within 3 days of
    :data:`BILLING_EDGES`, the rest from 2019-07-01 to the last day. A visit line on most
    claims. Age 70, sex F."""
    rng = random.Random(seed)
    first = pools.versions[0][1]
    claims = []
    for i in range(n):
        if rng.random() < 0.3:
            day = rng.choice(BILLING_EDGES) + dt.timedelta(days=rng.randint(-3, 3))
        else:
            day = first + dt.timedelta(days=rng.randrange((LAST_DAY - first).days + 1))
        scenario = rng.choice(sorted(BILLING_BILLS))
        if scenario == "jg" and rng.random() < 0.7:  # the years of edit 122
            day = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(1100))
        v = pools.version(day)
        nxt = min(day + dt.timedelta(days=1), pools.quarter(day)[1])  # in the quarter
        d = Draw(rng, pools, day)
        bill = rng.choice(BILLING_BILLS[scenario])
        opps = False if bill[:2] in _NON_OPPS_ONLY else rng.random() < 0.7
        conditions = ["89"] if bill[:2] in ("12", "13", "85") and rng.random() < 0.2 else []
        if rng.random() < 0.8:
            d.line(*(("G0463", (), 1, "0510") if bill[:2] != "13" or rng.random() < 0.5
                     else ("99283", (), 1, "0450")))

        def flagged(flag: str, v: int = v) -> str | None:
            pool = pools.billing[flag]
            for _ in range(50):
                c = rng.choice(pool)
                row = pools.hcpcs_row(c, v)
                if row is not None and (flag in row[5] or (flag == "G" and row[2] == "G")):
                    return c
            return None

        dx = {"blood": "D64.9", "allogeneic": "C92.00", "otp": "F11.20",
              "observation": "R07.9", "trauma": "S06.9X0A", "modifiers": "R07.9",
              "jg": "C50.911"}[scenario]
        if scenario == "blood":
            product = flagged(rng.choice(("blood_product", "packed_red_cells",
                                          "whole_blood")))
            if rng.random() < 0.3:
                d.line("36430", revenue="0391")
            r = rng.random()
            if product is None:
                pass
            elif r < 0.3:  # purchased: 038x and 039x, BL on both or one, units alike or not
                rev = rng.choice(("0381", "0382", "0383", "0384", "0389"))
                units = rng.choice((1, 1, 2))
                d.line(product, ["BL"] if rng.random() < 0.8 else [], units, rev)
                d.line(product, ["BL"] if rng.random() < 0.8 else [],
                       units if rng.random() < 0.8 else units + 1, rng.choice(("0390", "0391",
                                                                              "0399")))
            elif r < 0.5:  # not purchased: 039x alone, at times with BL
                d.line(product, ["BL"] if rng.random() < 0.3 else [], 1,
                       rng.choice(("0390", "0391", "0399")))
            elif r < 0.7:  # 038x alone
                d.line(product, ["BL"] if rng.random() < 0.5 else [], 1,
                       rng.choice(("0381", "0382", "0383", "0384")))
            else:  # another revenue code
                d.line(product, [], 1, rng.choice(("0300", "0510", "0636", "0390")))
            if rng.random() < 0.3:  # 0381 / 0382 with another code, or none
                code = rng.choice(("85025", "86900", "", flagged("blood_product") or ""))
                d.line(code, revenue=rng.choice(("0381", "0382")))
        elif scenario == "allogeneic":
            code = flagged("allogeneic_transplant")
            if code:
                d.line(code, revenue="0362")
            if rng.random() < 0.5:
                d.line("", revenue="0815", day=rng.choice((day, day, nxt)))
        elif scenario == "otp":
            code = flagged("opioid_treatment_program")
            if code:
                d.line(code, revenue=rng.choice(("0510", "0900", "0944")))
        elif scenario == "observation":
            r = rng.random()
            if r < 0.25:  # hourly observation, with a direct referral at times
                d.line("G0378", units=rng.randint(8, 30), revenue="0762")
                if rng.random() < 0.3:
                    d.line("G0379", revenue="0762")
            elif r < 0.7:  # a direct referral, the hours the same date or not, or none
                d.line("G0379", revenue="0762")
                k = rng.random()
                if k < 0.4:
                    d.line("G0378", units=rng.randint(8, 30), revenue="0762",
                           day=rng.choice((day, nxt)))
            else:  # another code under 0762, or none
                d.line(rng.choice(("99213", "99218", "99285", "96374", "", "G0463",
                                   "99219")), revenue="0762")
        elif scenario == "trauma":
            d.line("G0390", revenue=rng.choice(("0681", "0682", "0450", "0450")))
            if rng.random() < 0.7:
                d.line(rng.choice(("99291", "99291", "99285")), revenue="0450")
            if rng.random() < 0.3:
                d.line(rng.choice(("J1100", "J2405")), revenue="0636")
            if rng.random() < 0.1:
                d.line("", revenue="0681")
        elif scenario == "modifiers":
            pair = rng.sample(("CT", "FX", "FY", "ER", "PN", "PO", "RT", "59", "25"), 2)
            code = rng.choice(("71046", "73562", "70450", "G0463", "99284", "74177"))
            d.line(code, pair, revenue=_revenue(code))
        else:  # jg
            code = flagged("G")
            if code:
                d.line(code, [rng.choice(("JG", "JG", "TB"))], rng.randint(1, 10), "0636")
        if not d.lines:
            d.line("G0463", revenue="0510")
        last = max(ln["date_of_service"] for ln in d.lines)
        claim: dict[str, Any] = {
            "claim_id": f"BILLING-{i:05d}", "claim_type": "institutional",
            "payer": "medicare", "bill_type": bill, "opps": opps,
            "patient": {"sex": "F", "age": 70}, "date_of_service": day.isoformat(),
            "statement_period": [day.isoformat(), last],
            "diagnoses": [dx, "I10"],
            "service_lines": [{**ln, "line": j + 1} for j, ln in enumerate(d.lines)]}
        if conditions:
            claim["condition_codes"] = conditions
        claims.append(claim)
    return claims


def _written(rng: random.Random, code: str) -> str:
    if ICD10_LAYOUT.fullmatch(code) and len(code) > 3 and rng.random() < 0.5:
        return code[:3] + "." + code[3:]
    return code


def ioce_input(claim: dict[str, Any]) -> dict[str, Any]:
    """The same claim for pyoce (camelCase strings, undotted codes, sex 0/1/2)."""
    start, end = claim["statement_period"]
    dx = [c.replace(".", "") for c in claim["diagnoses"]]
    ymd = lambda s: s.replace("-", "")  # noqa: E731
    return {
        "claimId": claim["claim_id"], "age": str(claim["patient"]["age"]),
        "sex": SEXES.get(claim["patient"]["sex"], "3"),
        "dateStarted": ymd(start), "dateEnded": ymd(end), "billType": claim["bill_type"],
        "oppsFlag": "1" if claim["opps"] else "2", "patientStatus": "01",
        "conditionCodeInputList": list(claim.get("condition_codes", ())),
        "principalDiagnosisCode": {"diagnosis": dx[0]},
        "secondaryDiagnosisCodeList": [{"diagnosis": c} for c in dx[1:]],
        "lineItemList": [{
            "serviceDate": ymd(ln["date_of_service"]), "revenueCode": ln["revenue_code"] or "",
            "hcpcs": ln["procedure_code"], "unitsInput": str(ln["units"]),
            "charge": "100.00",
            "hcpcsModifierInputList": [{"hcpcsModifier": m} for m in ln["modifiers"]],
        } for ln in claim["service_lines"]],
    }


# -- the comparison ------------------------------------------------------------------------------

DX_VALIDITY = frozenset({
    "DX_FORMAT_INVALID", "DX_CODE_UNKNOWN", "DX_NOT_BILLABLE", "DX_SEVENTH_CHAR_MISSING",
    "DX_SEVENTH_CHAR_INVALID", "DX_PLACEHOLDER_X_MISSING", "DX_NOT_VALID_ON_DOS",
})
PROC_VALIDITY = frozenset({"PROC_FORMAT_INVALID", "PROC_CODE_UNKNOWN", "PROC_NOT_VALID_ON_DOS"})
#: codekit rule -> the I/OCE edit it stands for (NCCI PTP by modifier indicator, below).
RULE_EDIT: dict[str, str] = {
    **dict.fromkeys(DX_VALIDITY, "1"),
    "DX_AGE_CONFLICT": "2", "DX_SEX_CONFLICT": "3", "DX_EXTERNAL_CAUSE_FIRST_LISTED": "5",
    "DX_MANIFESTATION_FIRST_LISTED": "86", "DX_SECONDARY_ONLY_FIRST_LISTED": "113",
    **dict.fromkeys(PROC_VALIDITY, "6"),
    "PROC_AGE_CONFLICT": "7", "PROC_SEX_CONFLICT": "8", "MOD_INVALID": "22",
    "ADDON_WITHOUT_PRIMARY": "addon", "PATIENT_AGE_INVALID": "25",
    "PATIENT_SEX_INVALID": "26", "MOD_CS_AFTER_PHE": "123", "MOD_CS_NOT_ELIGIBLE": "114",
    "BILATERAL_REPEATED": "17", "BILATERAL_UNITS_WITH_50": "74",
    "MOD_TERMINATED_MULTIPLE": "37", "MOD_TELEHEALTH_NOT_ELIGIBLE": "126",
    "PROC_NOT_RECOGNIZED_BY_MEDICARE": "28", "PROC_NOT_RECOGNIZED_BY_OPPS": "62",
    "PROC_STATUTORY_EXCLUSION": "50", "PROC_DME_MAC_ONLY": "61",
    "PROC_NOT_BILLABLE_TO_MAC": "72",
    "REVENUE_CODE_INVALID": "41", "REVENUE_CODE_REQUIRES_HCPCS": "48",
    "REVENUE_CODE_NOT_RECOGNIZED": "65",
    "BLOOD_PROCEDURE_WITHOUT_PRODUCT": "43", "SKIN_SUBSTITUTE_WITHOUT_PRODUCT": "87",
    "DEVICE_PROCEDURE_WITHOUT_DEVICE": "92", "CORNEA_TISSUE_WITHOUT_TRANSPLANT": "93",
    "BILL_TYPE_INVALID": "bill", "PROC_VALID_ONLY_DURING_PHE": "124",
    "MOD_PT_NOT_APPLICABLE": "120",
    "BLOOD_PRODUCT_BILLING_INVALID": "73", "BLOOD_REVENUE_CODE_MISMATCH": "79",
    "ALLOGENEIC_TRANSPLANT_WITHOUT_DONOR_ACQUISITION": "100",
    "OTP_SERVICE_BILL_TYPE_INVALID": "116", "OBSERVATION_REVENUE_CODE_MISMATCH": "44",
    "DIRECT_REFERRAL_WITHOUT_OBSERVATION": "58", "OBSERVATION_BILL_TYPE_INVALID": "53",
    "OBSERVATION_MULTIPLE_LINES": "51",
    "TRAUMA_RESPONSE_WITHOUT_CRITICAL_CARE": "76", "MOD_340B_ON_PASS_THROUGH": "122",
    "PHP_IOP_PRINCIPAL_NOT_MENTAL_HEALTH": "mh_dx",
    "PHP_IOP_SERVICE_NOT_APPROVED": "mh_service",
    "PHP_IOP_SERVICE_OUTSIDE_PROGRAM": "mh_outside",
    "VISIT_SAME_DAY_PROCEDURE_NO_MOD25": "21",
}
#: The I/OCE's status-indicator line edits (codekit.rules.ioce_status).
STATUS_EDITS = (28, 62, 50, 61, 72)
#: The I/OCE's revenue-code line edits (codekit.rules.ioce_status too).
REVENUE_EDITS = (41, 48, 65)
#: The I/OCE's missing-companion line edits (codekit.rules.ioce_status too).
COMPANION_EDITS = (43, 87, 92, 93)
#: The I/OCE's edit of a code valid only during the public health emergency (ioce_status),
#: its edit of modifier PT on a day without a colorectal code (screening_modifiers), and
#: of hourly observation on more than one line (51, ioce_billing).
PHE_EDITS = (124, 120, 51)
#: The I/OCE's billing-form line edits (codekit.rules.ioce_billing; 102 is
#: MOD_COMBINATION_INVALID on the I/OCE's modifier pairs, codekit.modifiers.IOCE_CONFLICTS).
BILLING_EDITS = (73, 79, 100, 116, 44, 58, 53, 76, 122, 102)
#: The I/OCE's modifier pairs of edit 102, as codekit's finding names them.
IOCE_MODIFIER_PAIRS = frozenset(pair for pair, _, _ in modifiers.IOCE_CONFLICTS)
#: The I/OCE date edits (procedure approved or ended inside a quarter) and codekit's IDs
#: for them (``procedure.DATE_EDITS``).
DATE_EDITS: dict[int, str] = {e: v[0] for e, v in getattr(procedure, "DATE_EDITS", {}).items()}
RULE_EDIT.update({rule: str(e) for e, rule in DATE_EDITS.items()})
#: I/OCE edit -> the name of its decision (the add-on edits are one codekit rule).
IOCE_EDIT = {1: "1", 2: "2", 3: "3", 5: "5", 86: "86", 113: "113", 6: "6", 7: "7", 8: "8",
             20: "20", 40: "40", 21: "21", 22: "22", 25: "25", 26: "26", 106: "addon", 107: "addon",
             108: "addon", 115: "addon", 123: "123", 114: "114", 118: "bill", 46: "bill",
             # the partial hospitalization / intensive outpatient edits, each pair one
             # codekit rule: 29 / 109 (the claim), 80 / 132, 81 / 133 (the line)
             29: "mh_dx", 109: "mh_dx", 80: "mh_service", 132: "mh_service",
             81: "mh_outside", 133: "mh_outside",
             **{e: str(e) for e in (67, 68, 69, 83, 110, 134, 136, 17, 74, 37, 126,
                                    *STATUS_EDITS, *REVENUE_EDITS, *COMPANION_EDITS,
                                    *PHE_EDITS, *BILLING_EDITS)}}
#: Where each decision is taken: per diagnosis, on the principal only, per line, per
#: modifier, per claim.
SCOPE = {"1": "dx", "2": "dx", "3": "dx", "5": "pdx", "86": "pdx", "113": "pdx",
         "6": "line", "7": "line", "8": "line", "20": "line", "40": "line", "21": "line",
         "addon": "line",
         "22": "mod", "123": "mod", "114": "line", "25": "claim", "26": "claim",
         "bill": "claim", "mh_dx": "claim", "mh_service": "line", "mh_outside": "line",
         **{str(e): "line" for e in (67, 68, 69, 83, 110, 134, 136, 17, 74, 37, 126,
                                     *STATUS_EDITS, *REVENUE_EDITS,
                                     *COMPANION_EDITS, *PHE_EDITS, *BILLING_EDITS)}}
EDITS = tuple(SCOPE)

Loc = tuple[Any, ...]


def _where(location: tuple[Any, ...]) -> Loc | None:
    if location[:1] == ("diagnoses",) and len(location) > 1:
        return ("dx", location[1])
    if location[:1] == ("service_lines",) and len(location) > 1:
        if len(location) > 3 and location[2] == "modifiers":
            return ("mod", location[1], location[3])
        return ("line", location[1])
    if location[:1] in (("patient",), ("bill_type",)):
        return ("claim",)
    return None


def codekit_decisions(claim: dict[str, Any], report: Report) -> set[tuple[str, Loc]]:
    """(edit, location) for every finding of a mapped rule: errors only (a warning does
    not stop the claim; the I/OCE's sex edits are inactive, codekit warns)."""
    ptp = ncci.hospital_ptp()
    out: set[tuple[str, Loc]] = set()
    for f in report.findings:
        where = _where(f.location)
        if where is None or f.severity.value != "error":
            continue
        if f.rule in ("NCCI_PTP_CONFLICT", "EM_MINOR_PROC_NO_MOD25"):
            line = claim["service_lines"][f.location[1]]
            c1, c2 = f.codes if f.rule == "NCCI_PTP_CONFLICT" else f.codes[::-1]
            e = ptp.pair(c1, c2, on=line["date_of_service"])
            out.add(("20" if e is not None and e.modifier_indicator == 0 else "40",
                     ("line", where[1])))
            continue
        if f.rule == "MOD_COMBINATION_INVALID":
            if frozenset(f.codes) in IOCE_MODIFIER_PAIRS:
                out.add(("102", ("line", where[1])))
            continue
        edit = RULE_EDIT.get(f.rule)
        if edit is not None:
            scope = SCOPE[edit]
            out.add((edit, ("claim",) if scope == "claim" else
                     ("line", where[1]) if scope == "line" else where))
    return out


def ioce_decisions(result: dict[str, Any]) -> set[tuple[str, Loc]]:
    out: set[tuple[str, Loc]] = set()
    for i, edits in enumerate(result["dx"]):
        for e in edits:
            name = IOCE_EDIT.get(e)
            if name is not None and SCOPE[name] in ("dx", "pdx"):
                out.add((name, ("dx", i)))
    for i, ln in enumerate(result["lines"]):
        for e in ln["hcpcs"] + ln["date"] + ln["revenue"]:
            name = IOCE_EDIT.get(e)
            if name is not None and SCOPE[name] == "line":
                out.add((name, ("line", i)))
        for j, mod in enumerate(ln["mods"]):
            for e in mod:
                name = IOCE_EDIT.get(e)
                if name is not None and SCOPE[name] == "mod":
                    out.add((name, ("mod", i, j)))
    for e in result["claim"]:
        name = IOCE_EDIT.get(e)
        if name is not None and SCOPE[name] == "claim":
            out.add((name, ("claim",)))
    return out


def universe(claim: dict[str, Any]) -> list[tuple[str, Loc]]:
    """Every decision taken on a claim: each mapped edit at each place it can fire."""
    n_dx = len(claim["diagnoses"])
    lines = claim["service_lines"]
    out: list[tuple[str, Loc]] = []
    for edit, scope in SCOPE.items():
        if scope == "dx":
            out += [(edit, ("dx", i)) for i in range(n_dx)]
        elif scope == "pdx":
            out.append((edit, ("dx", 0)))
        elif scope == "line":
            out += [(edit, ("line", i)) for i in range(len(lines))]
        elif scope == "mod":
            out += [(edit, ("mod", i, j)) for i, ln in enumerate(lines)
                    for j in range(len(ln["modifiers"]))]
        else:
            out.append((edit, ("claim",)))
    return out


class Outcome:
    """One claim: the decisions of each side, and how every disagreement is explained."""

    __slots__ = ("claim", "codekit", "disagreements", "ioce", "report", "result")

    def __init__(self, claim: dict[str, Any], report: Report, result: dict[str, Any]) -> None:
        self.claim = claim
        self.report = report
        self.result = result
        self.codekit = codekit_decisions(claim, report)
        self.ioce = ioce_decisions(result)
        self.disagreements: dict[tuple[str, Loc], str] = {}
        for d in self.codekit ^ self.ioce:
            side = "ioce" if d in self.ioce else "codekit"
            self.disagreements[d] = classify(d, side, self)


#: Why codekit and the I/OCE may disagree on a decision, by category name. ``classify``
#: holds the exact test of each; docs/ioce_crosscheck.md explains them at length.
CATEGORIES: dict[str, str] = {
    "claim stopped by edit 118": "The I/OCE rejects the claim's type of bill (edit 118: "
        "one that is not a type of bill, 11x or another no path takes, 76x without "
        "condition code 41 or 92 from 2024-01-01, 12x or 14x with 41, a type of bill of "
        "the other kind of provider; edit 46: 12x or 14x with 41 before 2024-01-01) and "
        "runs no other edit; codekit reports the coding errors of the claim beside it "
        "(invalid diagnoses...; on 11x the MCE's unacceptable principals), and none of the "
        "I/OCE's path edits.",
    "claim stopped by edit 27": "The claim has only packaged (status N) or invalid lines "
        "on an OPPS claim: the I/OCE rejects it with edit 27 and runs no later edit (age, "
        "sex, principal diagnosis, NCCI, add-on, modifier CS); codekit reports every "
        "coding error of the claim.",
    "inpatient-only procedure day": "An inpatient-only procedure (status C) on an OPPS "
        "claim: the I/OCE denies it (edit 18) and every other line of its day (edit 49) "
        "and runs no later edit on them (procedure age, NCCI, add-on, modifier CS); "
        "codekit edits every line.",
    "ambulance line modifier": "A modifier on an ambulance line (revenue code 054x) "
        "that is neither a CPT/HCPCS modifier nor an origin/destination pair (ZZ, 88, "
        "X as the origin: XR): the I/OCE does not edit the modifiers of ambulance lines "
        "at all; codekit accepts the origin/destination pairs there and reports the "
        "rest.",
    "invalid line": "A modifier (invalid, CS or PT) on a line whose procedure code is not "
        "valid on the date, or such a line under revenue code 0762 (observation) or 0381 / "
        "0382 (packed red cells, whole blood): the I/OCE still applies edits 22, 114, 123, "
        "120, 44 and 79 to it; codekit's precedence (catalog, precedence rule 3) reports "
        "the invalid code and leaves the rest to the corrected line.",
    "HCPCS file dates": "A Level II code on a day outside its dates in CMS's HCPCS file "
        "(ADD DT, TERM DT), which the I/OCE's table of the quarter still lists (U0003-U0005, "
        "G2023, G2024 from 2023-05-12 to 2023-06-30; M0220-M0248 and Q0220-Q0247 on "
        "2024-12-13; Q5119 and Q5120 before 2020-07-01; the HIV PrEP codes on 2024-01-01; "
        "the 'Payer Only' M codes, M1077...): codekit reports the code not valid (edit 6, "
        "or the I/OCE's own edit that replaces it: 124, a date edit) and leaves the line "
        "out of the edits that judge a valid code (add-on, status, NCCI, edit 21's "
        "procedure); the I/OCE edits it as a valid code of its table.",
    "date-edit line": "A line whose code CMS approved or ended inside the quarter, on a "
        "day outside its dates: both report the date edit (67, 68, 69, 83, 110, 134); the "
        "I/OCE also edits the line as a valid code (procedure age, NCCI pairs with the "
        "other lines of the day, modifiers), while codekit takes the code as not valid on "
        "the day and leaves it out of those edits (precedence rule 3).",
    "date edit without day-precise dates": "A code CMS approved or ended inside a quarter, "
        "on a day outside its dates: the I/OCE raises its date edit (67, 68, 69, 83, 110, "
        "134, 136); this codekit has no day-precise procedure dates "
        "(codekit.procedure.DATE_EDITS is missing) and takes the code as valid for the "
        "whole quarter.",
    "codekit's own age limit": "A newborn care code (99460-99463), which the I/OCE "
        "gives no age, on an older patient: codekit's bundled data limits it to age 0 "
        "(codekit.build.procedures.AGE_LIMITS, catalog PROC_AGE_CONFLICT), one more "
        "finding than the I/OCE gives.",
    "blood revenue code without a code": "A line under revenue code 0381 or 0382 with no "
        "procedure code: the I/OCE raises edit 79 (no packed red cells / whole blood "
        "code) beside edit 48 (a HCPCS code required); codekit says the missing code once "
        "(REVENUE_CODE_REQUIRES_HCPCS).",
    "line rejected by edit 127": "On a Part B inpatient claim (12x) the I/OCE rejects a "
        "line whose code and revenue code it does not take on such a claim (edit 127, a "
        "coverage decision codekit does not make: the HCPCS part_b_billable and revenue "
        "code part_b_billable_inpatient flags) before edits 100, 58 and 93, which skip "
        "rejected lines; codekit reports the missing donor acquisition line, hourly "
        "observation or cornea transplant.",
    "trauma revenue code range": "G0390 and 99291 on a date with a line under revenue "
        "code 0580-0679 and none under 068x: pyoce's hard-coded trauma range "
        "(HardcodedRevenueCodeSet.TRAUMA_RANGE_START, 580) takes that line as the trauma "
        "response and raises no edit 76; the edit's own description, and CMS, name 068x, "
        "and codekit follows them (edit 76 codekit only; edit 21 I/OCE only on a visit of "
        "that date: codekit leaves the rejected G0390 out of edit 21, pyoce counts it).",
    "status assigned while pricing (Q1-Q3)": "Edit 21 (a medical visit without 25 on the "
        "date of an S or T procedure): every line of the visit's date that the I/OCE pays "
        "as S or T has a conditional status in the quarter's table (Q1, Q2, Q3: 70450, "
        "74177, 88309) that the I/OCE resolves while pricing; codekit counts no such code "
        "as the procedure (VISIT_SAME_DAY_PROCEDURE_NO_MOD25 decides only on known "
        "statuses).",
    "critical care paid as S (99291)": "Edit 21: the only line of the visit's date that "
        "the I/OCE pays as S is critical care, 99291 (status J2 in the table, paid as S "
        "outside a comprehensive observation stay); codekit does not count it as the "
        "procedure.",
    "invalid principal of a program claim": "A partial hospitalization or intensive "
        "outpatient program claim whose principal diagnosis is not valid (a header, a "
        "typo): the I/OCE raises edit 29 (no mental health principal) beside edit 1; "
        "codekit reports the invalid code and judges the corrected one (precedence rule "
        "3: a typo of F32.1 is no reason to tell the coder to list a mental health "
        "diagnosis).",
    "secondary-only by the classification": "The principal diagnosis is one the "
        "classification allows only as an additional code (B95-B97, Z37, Z3A, Z68) but the "
        "I/OCE's list does not have it on the date (before 2019-10-01, when edit 113 "
        "began, or a code the list gained later): codekit reports it all the same.",
}

#: The I/OCE edits whose logic runs before edit 27 stops a claim (13x bill types).
BEFORE_EDIT_27 = frozenset({"1", "41", "6", "22"})
#: The decisions the I/OCE skips on a line it denied for an inpatient-only procedure.
SKIPPED_ON_INPATIENT_LINES = frozenset({"7", "8", "20", "40", "addon", "114", "123", "67",
                                        "68", "69", "83", "110", "134", "136", "17", "74",
                                        "37", "126", "28", "62", "50", "61", "72", "48", "65",
                                        "43", "87", "92", "93", "124", "120", "73", "79",
                                        "100", "116", "44", "58", "53", "76", "122",
                                        "102"})
#: The I/OCE date edits.
IOCE_DATE_EDITS = frozenset({67, 68, 69, 83, 110, 134, 136})


def _inpatient_days(o: Outcome) -> set[str]:
    """The dates of the OPPS claim's lines the I/OCE denied for an inpatient-only
    procedure (edit 18 on one line of the date, 49 on the others)."""
    return {ln["date_of_service"] for ln, r in zip(o.claim["service_lines"],
                                                   o.result["lines"], strict=True)
            if {18, 49} & set(r["hcpcs"])}


def _outside_the_hcpcs_file(line: dict[str, Any]) -> bool:
    """A Level II code the I/OCE accepts on the line's date (its table's quarter, its date
    edits) that CMS's HCPCS file does not: added later or ended before."""
    try:
        code = procedure.compact(line["procedure_code"])
    except ValueError:
        return False
    day = dt.date.fromisoformat(line["date_of_service"])
    if not code or code[0].isdigit() or procedure.is_valid(code, on=day):
        return False
    return any(a <= day and (b is None or day <= b)
               for a, b in procedure.default_store().ioce_ranges(code))


#: The I/OCE's line rejections the cross-checked claims meet beside edit 21 (NCCI pairs,
#: revenue code not recognized, trauma response, an inherently bilateral code repeated,
#: the date edits): lines its edit 21 skips.
LINE_REJECTIONS = frozenset({17, 20, 40, 65, 76, *IOCE_DATE_EDITS})


def _edit_21_reason(o: Outcome, i: int) -> str | None:
    """Why the I/OCE raises edit 21 on line ``i`` where codekit does not: a category, or
    None."""
    claim = o.claim
    day = claim["service_lines"][i]["date_of_service"]
    if any(ln["date_of_service"] == day and ("6", ("line", j)) in o.codekit
           and _outside_the_hcpcs_file(ln) for j, ln in enumerate(claim["service_lines"])):
        return "HCPCS file dates"  # the I/OCE's S or T line may be one codekit rejects
    cah = claim["bill_type"][:2] == "85"  # no APC, no status out: the table's statuses
    paid = []  # the table status of each line of the day the I/OCE pays as S or T
    for j, (ln, r) in enumerate(zip(claim["service_lines"], o.result["lines"], strict=True)):
        si = r["si"]
        if cah and ln["date_of_service"] == day:
            found = procedure.lookup(ln["procedure_code"], on=day)
            si = found.status_indicator if found else None
        if ln["date_of_service"] != day or si not in ("S", "T"):
            continue
        if ("76", ("line", j)) in o.codekit and 76 not in r["hcpcs"]:
            return "trauma revenue code range"  # codekit leaves the line out, pyoce not
        if LINE_REJECTIONS & set(r["hcpcs"] + r["date"] + r["revenue"]):
            continue  # a line the I/OCE rejects: not in its edit 21
        entry = procedure.lookup(ln["procedure_code"], on=day)
        paid.append((ln["procedure_code"], entry.status_indicator if entry else None))
    if paid and any(si in ("Q1", "Q2", "Q3") for _, si in paid) and \
            all(si in ("Q1", "Q2", "Q3") or (code, si) == ("99291", "J2") for code, si in paid):
        return "status assigned while pricing (Q1-Q3)"
    if paid and all((code, si) == ("99291", "J2") for code, si in paid):
        return "critical care paid as S (99291)"
    return None


def classify(d: tuple[str, Loc], side: str, o: Outcome) -> str:
    """The explained category of one disagreement, or ``"unexplained"``."""
    edit, loc = d
    claim = o.claim
    if side == "codekit" and 27 in o.result["claim"] and edit not in BEFORE_EDIT_27:
        return "claim stopped by edit 27"
    if side == "codekit" and edit != "bill" and (118 in o.result["claim"] or (
            46 in o.result["claim"] and claim["bill_type"][:2] in ("12", "14"))):
        return "claim stopped by edit 118"
    if loc[0] in ("line", "mod"):
        line = claim["service_lines"][loc[1]]
        day = line["date_of_service"]
        if side == "codekit" and edit in SKIPPED_ON_INPATIENT_LINES \
                and day in _inpatient_days(o):
            return "inpatient-only procedure day"
        if edit == "22" and side == "codekit" and \
                (line["revenue_code"] or "").startswith("054"):
            return "ambulance line modifier"
        if edit in ("22", "114", "123", "120", "44", "79") and side == "ioce" \
                and ("6", ("line", loc[1])) in o.codekit:
            return "invalid line"
        if edit == "79" and side == "ioce" and not line["procedure_code"].strip() \
                and ("48", ("line", loc[1])) in o.codekit:
            return "blood revenue code without a code"
        if edit in ("100", "58", "93") and side == "codekit" and \
                127 in o.result["lines"][loc[1]]["hcpcs"]:
            return "line rejected by edit 127"
        if edit == "7" and side == "codekit" and line["procedure_code"] in AGE_LIMITS:
            return "codekit's own age limit"
        if (side == "ioce" or edit == "6") and _outside_the_hcpcs_file(line):
            return "HCPCS file dates"
        if edit == "76" and side == "codekit":
            revs = [(ln["revenue_code"] or "").strip().zfill(4)
                    for ln in claim["service_lines"] if ln["date_of_service"] == day]
            if not any(r.startswith("068") for r in revs) and \
                    any("0580" <= r <= "0679" for r in revs if r.isdigit()):
                return "trauma revenue code range"
        if edit == "21" and side == "ioce":
            why = _edit_21_reason(o, loc[1])
            if why is not None:
                return why
        if side == "ioce" and edit in ("7", "20", "40", "addon", "22", "114", "123", "120",
                                       *map(str, STATUS_EDITS)):
            dated = {i for i, r in enumerate(o.result["lines"])
                     if IOCE_DATE_EDITS & set(r["hcpcs"])}
            partners = dated if edit in ("20", "40") else {loc[1]}
            if any(claim["service_lines"][i]["date_of_service"] == day for i in partners):
                return "date-edit line"
    if side == "ioce" and edit.isdigit() and int(edit) in (67, 68, 69, 83, 110, 134, 136) \
            and not DATE_EDITS:
        return "date edit without day-precise dates"
    if edit == "mh_dx" and side == "ioce" and ("1", ("dx", 0)) in o.codekit:
        return "invalid principal of a program claim"
    if edit == "113" and side == "codekit":
        from codekit import icd10cm

        f = icd10cm.facts(claim["diagnoses"][0], on=claim["date_of_service"])
        if f is not None and f.secondary_only and not f.ioce_unacceptable_principal:
            return "secondary-only by the classification"
    return "unexplained"


TIMES: dict[str, float] = {}  # what the last run took (python tests/test_ioce_crosscheck.py)


def run(claims: list[dict[str, Any]]) -> list[Outcome]:
    """Both editors on ``claims``: pyoce in one subprocess for the batch, then codekit's
    ``medicare-outpatient`` profile (no payer policies: the I/OCE has none)."""
    answer = ioce_env.call("run", [ioce_input(c) for c in claims])
    TIMES.update(ioce=answer["seconds"], ioce_start=answer["start_seconds"])
    checker = Checker(profile="medicare-outpatient", policies=())
    parsed = [Claim.from_dict(c) for c in claims]
    t = time.perf_counter()
    reports = [checker.check(c) for c in parsed]
    TIMES["codekit"] = time.perf_counter() - t
    out = []
    for claim, report, result in zip(claims, reports, answer["results"], strict=True):
        if "error" in result:
            raise AssertionError(f"pyoce failed on {claim['claim_id']}: {result['error']}")
        out.append(Outcome(claim, report, result))
    return out


def tally(outcomes: list[Outcome], explained: bool = False) -> dict[str, dict[str, int]]:
    """Per mapped edit: decisions where both fire, neither, only the I/OCE, only codekit
    (with ``explained``, a disagreement in a documented category counts as agreement: on
    the I/OCE's side)."""
    table = {e: {"both": 0, "neither": 0, "ioce only": 0, "codekit only": 0} for e in EDITS}
    for o in outcomes:
        for d in universe(o.claim):
            a, b = d in o.ioce, d in o.codekit
            if explained and a != b and o.disagreements.get(d, "unexplained") != "unexplained":
                b = a
            table[d[0]]["both" if a and b else "neither" if not (a or b) else
                        "ioce only" if a else "codekit only"] += 1
    return table


def jaccard(row: dict[str, int]) -> float:
    """|both| / |either| (1.0 when neither side ever fires the edit)."""
    either = row["both"] + row["ioce only"] + row["codekit only"]
    return row["both"] / either if either else 1.0


def agreement(table: dict[str, dict[str, int]]) -> float:
    total = sum(sum(r.values()) for r in table.values())
    return sum(r["both"] + r["neither"] for r in table.values()) / total


def categories(outcomes: list[Outcome]) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((d[0], why) for o in outcomes
                               for d, why in o.disagreements.items())


def unmapped(outcomes: list[Outcome]) -> collections.Counter[int]:
    """Claims on which the I/OCE raised each edit codekit has no counterpart for."""
    mapped = set(IOCE_EDIT)
    return collections.Counter(e for o in outcomes for e in set(o.result["claim"]) - mapped)


def summary(outcomes: list[Outcome]) -> str:
    """The tables of docs/ioce_crosscheck.md."""
    table, adjusted = tally(outcomes), tally(outcomes, explained=True)
    total = sum(sum(r.values()) for r in table.values())
    lines = [f"{len(outcomes)} claims, {total} decisions: {agreement(table):.3%} agree "
             f"({agreement(adjusted):.3%} with the explained differences)", "",
             "| I/OCE edit | both | neither | I/OCE only | codekit only | Jaccard | "
             "explained |", "|---|---:|---:|---:|---:|---:|---:|"]
    for edit, row in table.items():
        lines.append(f"| {edit} | {row['both']} | {row['neither']} | {row['ioce only']} | "
                     f"{row['codekit only']} | {jaccard(row):.4f} | "
                     f"{jaccard(adjusted[edit]):.4f} |")
    lines += ["", "| edit | category | decisions |", "|---|---|---:|"]
    for (edit, why), n in sorted(categories(outcomes).items()):
        lines.append(f"| {edit} | {why} | {n} |")
    lines += ["", "unmapped I/OCE edits (claims): " + ", ".join(
        f"{e}: {n}" for e, n in sorted(unmapped(outcomes).items()))]
    if TIMES:
        n = len(outcomes)
        lines += ["", f"pyoce {TIMES['ioce']:.2f} s ({n / TIMES['ioce']:.0f} claims/s, "
                  f"start {TIMES['ioce_start']:.2f} s); codekit {TIMES['codekit']:.2f} s "
                  f"({n / TIMES['codekit']:.0f} claims/s): codekit "
                  f"{TIMES['ioce'] / TIMES['codekit']:.1f}x"]
    return "\n".join(lines)


# -- the tests -------------------------------------------------------------------------------------

#: The exact count of every explained disagreement on the first ``SAMPLE`` claims (seed
#: above). A change in either direction fails: a new disagreement, or an explained one that
#: goes away (after a fix, move the category out and update the docs).
EXPECTED: dict[tuple[str, str], int] = {
    ('113', 'secondary-only by the classification'): 1,
    ('addon', 'HCPCS file dates'): 1,
    ('114', 'claim stopped by edit 27'): 1,
    ('114', 'invalid line'): 1,
    ('123', 'invalid line'): 1,
    ('20', 'date-edit line'): 1,
    ('20', 'inpatient-only procedure day'): 2,
    ('22', 'ambulance line modifier'): 12,
    ('28', 'inpatient-only procedure day'): 3,
    ('40', 'date-edit line'): 1,
    ('40', 'inpatient-only procedure day'): 8,
    ('62', 'date-edit line'): 1,
    ('62', 'inpatient-only procedure day'): 2,
    ('7', 'inpatient-only procedure day'): 2,
    ('48', 'inpatient-only procedure day'): 1,
    ('21', 'status assigned while pricing (Q1-Q3)'): 18,
}
#: The same on the full set (``python tests/test_ioce_crosscheck.py``; docs/ioce_crosscheck.md).
EXPECTED_FULL: dict[tuple[str, str], int] = {
    ('110', 'inpatient-only procedure day'): 1,
    ('113', 'secondary-only by the classification'): 3,
    ('114', 'claim stopped by edit 27'): 1,
    ('114', 'date-edit line'): 1,
    ('114', 'inpatient-only procedure day'): 5,
    ('114', 'invalid line'): 2,
    ('123', 'inpatient-only procedure day'): 2,
    ('123', 'invalid line'): 2,
    ('2', 'claim stopped by edit 27'): 2,
    ('20', 'date-edit line'): 1,
    ('20', 'inpatient-only procedure day'): 3,
    ('22', 'ambulance line modifier'): 59,
    ('40', 'date-edit line'): 3,
    ('17', 'inpatient-only procedure day'): 5,
    ('37', 'inpatient-only procedure day'): 1,
    ('40', 'inpatient-only procedure day'): 69,
    ('5', 'claim stopped by edit 27'): 2,
    ('7', 'inpatient-only procedure day'): 10,
    ('28', 'inpatient-only procedure day'): 13,
    ('62', 'date-edit line'): 4,
    ('62', 'inpatient-only procedure day'): 17,
    ('61', 'inpatient-only procedure day'): 1,
    ('72', 'date-edit line'): 4,
    ('72', 'inpatient-only procedure day'): 11,
    ('48', 'inpatient-only procedure day'): 2,
    ('43', 'inpatient-only procedure day'): 2,
    ('92', 'inpatient-only procedure day'): 1,
    ('93', 'inpatient-only procedure day'): 1,
    ('73', 'inpatient-only procedure day'): 1,
    ('79', 'blood revenue code without a code'): 1,
    ('7', "codekit's own age limit"): 3,
    ('6', 'HCPCS file dates'): 5,
    ('72', 'HCPCS file dates'): 3,
    ('addon', 'HCPCS file dates'): 1,
    ('21', 'status assigned while pricing (Q1-Q3)'): 79,
    ('21', 'critical care paid as S (99291)'): 1,
}
#: Edits whose raw Jaccard index may be below 0.95 on the claims, and the documented
#: categories that account for it (the shortfall must vanish once they are taken out).
#: Edit 21 (0.867 raw on the first 1,500 claims, 0.852 on the full set): the I/OCE pays Q3
#: imaging codes as S, which codekit does not count (0.998 on the full set without them).
#: Every other mapped edit reaches 0.95 raw (the lowest, 114, 0.955 on the full set).
RAW_BELOW: dict[str, tuple[str, ...]] = {"21": ("status assigned while pricing (Q1-Q3)",)}
#: The I/OCE sex edits (3, 8) are inactive in every version: neither side may raise them as
#: errors (codekit warns).
INACTIVE = ("3", "8")
#: Edits the generated claims (type of bill 131) never raise: 126 applies to critical access
#: hospitals (85x) only; the KNOWN claims below exercise it, the generated ones check that
#: neither side raises it on 131 (their telehealth modifiers).
#: "bill" (edits 118, 46): the 131 claims carry no condition code; the type-of-bill claims
#: (make_bill_claims) exercise it too. 124: six codes between 2023-05-12 and 2023-06-30
#: (K1034 after), a few decisions of the generated claims (3 in the first 1,500). 120:
#: modifier PT among the random modifiers (1 decision in the first 1,500 claims). 51: G0378
#: on two lines (the generated claims draw it once at most).
KNOWN_ONLY = ("126", "bill", "124", "120", "51", "mh_dx", "mh_service", "mh_outside")
#: The billing-form edits: the generated 131 claims meet them a few times (edit 73: blood
#: products drawn by the companion lines under revenue codes that are not 038x/039x); the
#: billing-form claims (make_billing_claims) and KNOWN exercise them.
BILLING_ONLY = tuple(str(e) for e in BILLING_EDITS)


#: The pools, read once for every set of claims of the module (3-4 s each time).
_POOLS: list[Pools] = []


def _pools() -> Pools:
    if not _POOLS:
        try:
            _POOLS.append(Pools(ioce_env.pools()))
        except ioce_env.Unavailable as e:
            pytest.skip(str(e))
    return _POOLS[0]


def _run_or_skip(claims: list[dict[str, Any]]) -> list[Outcome]:
    """The outcomes of ``claims`` on both sides, or the test skipped (saying why) where
    the I/OCE port cannot run."""
    try:
        return run(claims)
    except ioce_env.Unavailable as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return _run_or_skip(make_claims(_pools(), SAMPLE))



@pytest.mark.slow
def test_the_claims_exercise_every_edit(outcomes: list[Outcome]) -> None:
    assert len(outcomes) == SAMPLE
    table = tally(outcomes)
    for edit, row in table.items():
        if edit in INACTIVE or edit in KNOWN_ONLY or edit in BILLING_ONLY or (
                edit.isdigit() and int(edit) in IOCE_DATE_EDITS):
            continue  # inactive, 85x only; the date edits are counted together below
        assert row["both"] >= 10, (edit, row)
    dated = sum(table[str(e)]["both"] for e in IOCE_DATE_EDITS)
    assert dated >= 20 and sum(table[str(e)]["both"] > 0 for e in IOCE_DATE_EDITS) >= 4
    for edit in ("1", "2", "5", "113", "6", "7", "20", "40", "addon", "22", "123", "114"):
        assert table[edit]["both"] >= 25, (edit, table[edit])
    days = sorted(o.claim["date_of_service"] for o in outcomes)
    assert days[0] < "2019-08-01" and days[-1] > "2026-05-31"
    assert {o.claim["opps"] for o in outcomes} == {True, False}
    assert sum(m in ("95", "GT", "GQ") for o in outcomes for ln in o.claim["service_lines"]
               for m in ln["modifiers"]) >= 5  # edit 126 "neither" on 131
    assert sum(len(o.claim["service_lines"]) for o in outcomes) > 4 * SAMPLE


@pytest.mark.slow
def test_agreement(outcomes: list[Outcome]) -> None:
    """>= 99.5 % of the decisions agree; once the documented differences are taken out,
    every mapped edit has a Jaccard index of 1.0 between the two sides' positive
    decisions. Before, it is >= 0.95 for every edit with 50 positive decisions or more,
    except those of ``RAW_BELOW``, which reach it without their one category."""
    table, explained = tally(outcomes), tally(outcomes, explained=True)
    assert agreement(table) >= 0.995
    assert {e: jaccard(r) for e, r in explained.items()} == dict.fromkeys(EDITS, 1.0)
    big = {e for e, r in table.items() if r["both"] + r["ioce only"] + r["codekit only"] >= 50}
    low = {e for e in big if jaccard(table[e]) < 0.95}
    assert low <= set(RAW_BELOW)
    for edit, why in RAW_BELOW.items():
        row = dict(table[edit])
        for o in outcomes:
            for d, w in o.disagreements.items():
                if d[0] == edit and w in why:
                    row["ioce only" if d in o.ioce else "codekit only"] -= 1
        assert jaccard(row) >= 0.95, (edit, row)


@pytest.mark.slow
def test_every_disagreement_is_explained(outcomes: list[Outcome]) -> None:
    unexplained = [(d, o.claim["claim_id"]) for o in outcomes
                   for d, why in o.disagreements.items() if why == "unexplained"]
    assert unexplained == []


@pytest.mark.slow
def test_disagreements_are_exactly_the_documented_ones(outcomes: list[Outcome]) -> None:
    assert dict(categories(outcomes)) == EXPECTED
    assert {why for _edit, why in EXPECTED} <= set(CATEGORIES)


@pytest.mark.slow
def test_inactive_sex_edits(outcomes: list[Outcome]) -> None:
    """Neither side rejects for sex (I/OCE 3 and 8 are inactive); codekit still warns,
    with the last published lists, on the claims where a code and the sex disagree."""
    warned = 0
    for o in outcomes:
        assert not {e for e, _ in o.ioce | o.codekit} & set(INACTIVE)
        warned += any(f.rule in ("DX_SEX_CONFLICT", "PROC_SEX_CONFLICT")
                      for f in o.report.findings)
    assert warned >= 50


#: The explained disagreements on the first ``PATH_SAMPLE`` path claims, and on all of them.
EXPECTED_PATHS: dict[tuple[str, str], int] = {
    ('113', 'secondary-only by the classification'): 2,
}
EXPECTED_PATHS_FULL: dict[tuple[str, str], int] = {
    ('113', 'secondary-only by the classification'): 3,
}


def path_of(claim: dict[str, Any]) -> str:
    """The I/OCE path of a path claim: ``"cc07"`` or its type of bill (as
    ``make_path_claims`` draws them: a second line is the antigen, cast or splint)."""
    if "07" in claim.get("condition_codes", ()) and claim["opps"] and \
            claim["bill_type"][:2] in ("22", "23", "32", "81", "82") and \
            len(claim["service_lines"]) > 1:
        return "cc07"
    return claim["bill_type"]


@pytest.fixture(scope="module")
def path_outcomes() -> list[Outcome]:
    return _run_or_skip(make_path_claims(_pools(), PATH_SAMPLE))


@pytest.mark.slow
def test_path_claims_edit_113(path_outcomes: list[Outcome]) -> None:
    """Edit 113 on the I/OCE's paths (``make_path_claims``): the inpatient list on 12x,
    22x, 81x and 82x, the outpatient list on 13x, 14x, 23x, 32x and the condition code 07
    path. Every decision of the claims is compared; the two sides agree on all but the
    documented category, and each path has principals both sides reject."""
    assert len(path_outcomes) == PATH_SAMPLE
    assert dict(categories(path_outcomes)) == EXPECTED_PATHS
    assert [d for o in path_outcomes for d, why in o.disagreements.items()
            if why == "unexplained"] == []
    fired = collections.Counter(path_of(o.claim) for o in path_outcomes
                                if ("113", ("dx", 0)) in o.ioce & o.codekit)
    assert all(fired[p] >= 10 for p in (*PATH_BILLS, "cc07")), fired
    table = tally(path_outcomes)
    assert table["113"]["ioce only"] == 0 and table["113"]["both"] >= 150
    # the codes only the inpatient list has: rejected on 12x, 22x, 81x, 82x only
    added = collections.Counter()
    for o in path_outcomes:
        facts = icd10cm.facts(o.claim["diagnoses"][0], on=o.claim["date_of_service"])
        if facts is not None and facts.ioce_unacceptable_principal_inpatient and \
                not facts.ioce_unacceptable_principal:
            added[path_of(o.claim), ("113", ("dx", 0)) in o.ioce & o.codekit] += 1
    assert {p for p, both in added if both} == {"121", "221", "811", "821"}
    assert {p for p, both in added if not both} == {"131", "141", "231", "321", "cc07"}


#: The categories of the first :data:`BILL_SAMPLE` type-of-bill claims, and of all of them.
EXPECTED_BILLS: dict[tuple[str, str], int] = {
    ('1', 'claim stopped by edit 118'): 10,
    ('2', 'claim stopped by edit 118'): 8,
    ('40', 'claim stopped by edit 118'): 26,
    ('5', 'claim stopped by edit 118'): 12,
    ('6', 'claim stopped by edit 118'): 2,
    ('86', 'claim stopped by edit 118'): 3,
    ('addon', 'claim stopped by edit 118'): 9,
    ('mh_dx', 'invalid principal of a program claim'): 15,
    ('21', 'status assigned while pricing (Q1-Q3)'): 3,
}
EXPECTED_BILLS_FULL: dict[tuple[str, str], int] = {
    ('1', 'claim stopped by edit 118'): 39,
    ('2', 'claim stopped by edit 118'): 28,
    ('40', 'claim stopped by edit 118'): 80,
    ('5', 'claim stopped by edit 118'): 34,
    ('6', 'claim stopped by edit 118'): 4,
    ('86', 'claim stopped by edit 118'): 6,
    ('addon', 'claim stopped by edit 118'): 13,
    ('mh_dx', 'invalid principal of a program claim'): 50,
    ('21', 'status assigned while pricing (Q1-Q3)'): 7,
    ('21', 'critical care paid as S (99291)'): 1,
}


@pytest.fixture(scope="module")
def bill_outcomes() -> list[Outcome]:
    return _run_or_skip(make_bill_claims(_pools(), BILL_SAMPLE))


@pytest.mark.slow
def test_bill_type_claims_edit_118(bill_outcomes: list[Outcome]) -> None:
    """Edits 118 and 46 (``make_bill_claims``: 76x with and without condition codes 41 and
    92, 12x, 14x and 13x with and without 41, 83x and 85x with either OPPS flag, around
    2024-01-01): codekit's ``BILL_TYPE_INVALID`` on exactly the claims the I/OCE rejects,
    and none of the I/OCE's path edits on them; the coding errors codekit reports beside
    it are the documented category."""
    assert len(bill_outcomes) == BILL_SAMPLE
    assert dict(categories(bill_outcomes)) == EXPECTED_BILLS
    assert [d for o in bill_outcomes for d, why in o.disagreements.items()
            if why == "unexplained"] == []
    table = tally(bill_outcomes)
    assert table["bill"]["ioce only"] == table["bill"]["codekit only"] == 0
    kinds = collections.Counter(
        (o.claim["bill_type"][:2], 118 in o.result["claim"]) for o in bill_outcomes
        if ("bill", ("claim",)) in o.ioce & o.codekit)
    # 76x (118), 12x and 14x with 41 (46 before 2024, 118 after), 83x, 85x on OPPS (118)
    assert {k for k, n in kinds.items() if n >= 5} == {
        ("76", True), ("12", True), ("12", False), ("14", True), ("14", False),
        ("83", True), ("85", True)}, kinds
    assert sum(("72", ("line", 1)) in o.ioce & o.codekit for o in bill_outcomes) >= 3
    # edit 29 (a principal diagnosis not on the I/OCE's mental health list) on the 76x
    # claims and the 13x claims with condition code 41 (their principals are any valid code)
    assert table["mh_dx"]["codekit only"] == 0 and table["mh_dx"]["both"] >= 50, table["mh_dx"]


#: The categories of the first :data:`PROBE_SAMPLE` probe claims, and of all of them.
EXPECTED_PROBES: dict[tuple[str, str], int] = {
    ('1', 'claim stopped by edit 118'): 6,
    ('2', 'claim stopped by edit 118'): 4,
    ('40', 'claim stopped by edit 118'): 20,
    ('5', 'claim stopped by edit 118'): 9,
    ('6', 'claim stopped by edit 118'): 2,
    ('86', 'claim stopped by edit 118'): 1,
    ('mh_dx', 'invalid principal of a program claim'): 1,
}
EXPECTED_PROBES_FULL: dict[tuple[str, str], int] = {
    ('1', 'claim stopped by edit 118'): 108,
    ('113', 'claim stopped by edit 118'): 1,  # the MCE's list on an 11x claim
    ('2', 'claim stopped by edit 118'): 79,
    ('40', 'claim stopped by edit 118'): 221,
    ('5', 'claim stopped by edit 118'): 102,
    ('6', 'claim stopped by edit 118'): 20,
    ('86', 'claim stopped by edit 118'): 9,
    ('addon', 'claim stopped by edit 118'): 27,
    ('mh_dx', 'invalid principal of a program claim'): 4,
    ('21', 'status assigned while pricing (Q1-Q3)'): 1,
}


@pytest.fixture(scope="module")
def probe_outcomes() -> list[Outcome]:
    return _run_or_skip(make_probe_claims(_pools(), PROBE_SAMPLE))


@pytest.mark.slow
def test_type_of_bill_probes_edit_118(probe_outcomes: list[Outcome]) -> None:
    """Edit 118 on the payment-integrity review's types of bill (``make_probe_claims``): codekit's
    ``BILL_TYPE_INVALID`` on exactly the claims the I/OCE returns, and none of the
    I/OCE's path edits on them (under medicare-outpatient chosen for every claim, as the
    cross-check runs; ``0111`` and ``111`` too). Before the change the I/OCE's "bill"
    decisions had no counterpart and codekit's path edits decided decisions of returned
    claims (62, 72, 113: docs/ioce_crosscheck.md)."""
    assert len(probe_outcomes) == PROBE_SAMPLE
    assert dict(categories(probe_outcomes)) == EXPECTED_PROBES
    assert [d for o in probe_outcomes for d, why in o.disagreements.items()
            if why == "unexplained"] == []
    table = tally(probe_outcomes)
    assert table["bill"]["ioce only"] == table["bill"]["codekit only"] == 0
    assert table["bill"]["both"] >= 0.8 * PROBE_SAMPLE
    returned = {o.claim["bill_type"] for o in probe_outcomes
                if ("bill", ("claim",)) in o.ioce & o.codekit}
    assert returned == set(PROBE_BILLS) - {"13A", "130", "131 "}, returned

#: The categories of the first :data:`BILLING_SAMPLE` billing-form claims, and of all.
EXPECTED_BILLING: dict[tuple[str, str], int] = {
    ('100', 'line rejected by edit 127'): 9,
    ('44', 'invalid line'): 1,
    ('76', 'trauma revenue code range'): 4,
    ('79', 'blood revenue code without a code'): 2,
    ('21', 'status assigned while pricing (Q1-Q3)'): 6,
    ('21', 'critical care paid as S (99291)'): 3,
    ('21', 'trauma revenue code range'): 7,
}
EXPECTED_BILLING_FULL: dict[tuple[str, str], int] = {
    ('100', 'line rejected by edit 127'): 17,
    ('44', 'invalid line'): 7,
    ('76', 'trauma revenue code range'): 10,
    ('79', 'blood revenue code without a code'): 8,
    ('21', 'status assigned while pricing (Q1-Q3)'): 19,
    ('21', 'critical care paid as S (99291)'): 7,
    ('21', 'trauma revenue code range'): 8,
}


@pytest.fixture(scope="module")
def billing_outcomes() -> list[Outcome]:
    return _run_or_skip(make_billing_claims(_pools(), BILLING_SAMPLE))


@pytest.mark.slow
def test_billing_claims_edits(billing_outcomes: list[Outcome]) -> None:
    """The billing-form edits (``make_billing_claims``: blood products and revenue codes
    0381/0382, 38240 and 0815, opioid treatment program codes, observation codes and
    revenue code 0762, G0390, modifier pairs, JG on a pass-through drug; on the types of
    bill whose I/OCE paths run them and some whose paths do not): every decision of the
    claims agrees but the documented categories, and each edit fires on both sides."""
    assert len(billing_outcomes) == BILLING_SAMPLE
    assert dict(categories(billing_outcomes)) == EXPECTED_BILLING
    assert [d for o in billing_outcomes for d, why in o.disagreements.items()
            if why == "unexplained"] == []
    table = tally(billing_outcomes)
    for edit in BILLING_ONLY:
        assert table[edit]["both"] >= 3, (edit, table[edit])
    # the paths: 116 on 131, 121, 141, 851 and not on 871 nor with condition code 89
    fired = collections.Counter(
        (o.claim["bill_type"], "89" in o.claim.get("condition_codes", ()))
        for o in billing_outcomes if any(e == "116" for e, _ in o.ioce & o.codekit))
    assert {k for k in fired if k[1] or k[0] == "871"} == set(), fired


def known(day: str, dx: list[str], lines: list[tuple[Any, ...]], *,
          opps: bool = True, units: tuple[int, ...] = (), bill_type: str = "131",
          conditions: tuple[str, ...] = ()) -> dict[str, Any]:
    """A real-code outpatient claim (type of bill 131) in the generator's shape; lines
    ``(code, modifiers, revenue code[, date])``, ``units`` per line (1 when not given)."""
    service = []
    for i, (code, mods, rev, *on) in enumerate(lines):
        service.append({"line": i + 1, "procedure_code": code, "modifiers": list(mods),
                        "units": units[i] if i < len(units) else 1, "revenue_code": rev,
                        "date_of_service": on[0] if on else day})
    last = max(ln["date_of_service"] for ln in service)
    out = {"claim_id": "KNOWN", "claim_type": "institutional", "payer": "medicare",
           "bill_type": bill_type, "opps": opps, "patient": {"sex": "F", "age": 70},
           "date_of_service": day, "statement_period": [day, last], "diagnoses": dx,
           "service_lines": service}
    if conditions:
        out["condition_codes"] = list(conditions)
    return out


ED = ("99283", (), "0450")  # a separately paid visit: keeps an OPPS claim out of edit 27
#: The same with 25: beside a Q3 code (71046) the I/OCE pays as S, no edit 21 (which
#: codekit does not decide there: KNOWN_DIFFERENT).
ED25 = ("99283", ("25",), "0450")
#: Lines of the condition code 07 claims: statuses E1 (28), B (62), Y (61), a revenue code
#: needing a HCPCS code (48), a blood procedure (43) and a cast (the CC07 path).
CC07: list[tuple[Any, ...]] = [("99243", (), "0510"), ("80320", (), "0300"),
                               ("E0601", (), "0290"), ("", (), "0450"), ("36430", (), "0391"),
                               ("29075", (), "0360")]
VISIT = ("G0463", (), "0510")
CAST = ("29075", (), "0360")  # a cast: the CC07 path with condition code 07
ECG = ("93000", (), "0730")  # status M: edit 72
PHP = ("G0410", (), "0915")  # group psychotherapy in a partial hospitalization program
GROUP = ("90853", (), "0915")  # group psychotherapy (I/OCE: not for PHP to 2023-12-31)
IOP = ("G0410", (), "0905")  # the same in an intensive outpatient program (revenue 0905)
IOP_GROUP = ("90853", (), "0905")
LAB = ("85025", (), "0300")
TRANSFUSION = ("36430", (), "0391")  # a blood procedure (edit 43 wants a blood product)
OTP = ("G2067", (), "0510")  # an opioid treatment program's weekly bundle (edit 116)
HOURS = ("G0378", (), "0762")  # hourly observation
REFERRAL = ("G0379", (), "0762")  # direct referral for observation (edit 58 wants G0378)
KNOWN: list[tuple[dict[str, Any], set[tuple[str, Loc]]]] = [
    # the CPT Category II exclusion modifiers, valid on a practitioner's quality line, are
    # not on the I/OCE's list: edit 22 (8P is)
    (known("2025-11-20", ["E11.9"], [ED, ("3046F", ("1P",), "0510")]),
     {("22", ("mod", 1, 0))}),
    (known("2025-11-20", ["E11.9"], [ED, ("3046F", ("8P",), "0510")]), set()),
    # the bilateral edits on the paths that run them (17, 74, 37)
    (known("2024-03-01", ["H61.23"], [("69210", (), "0510"), ("69210", (), "0510")],
           bill_type="121", conditions=("89",)), {("17", ("line", 0)), ("17", ("line", 1))}),
    (known("2024-03-01", ["H61.23"], [("69210", (), "0510"), ("69210", (), "0510")],
           bill_type="141"), set()),
    (known("2024-03-01", ["M17.0"], [("20610", ("50",), "0510")], units=(2,),
           bill_type="141"), {("74", ("line", 0))}),
    (known("2024-03-01", ["H61.23"], [("69210", (), "0510"), ("69210", (), "0510")],
           bill_type="321"), set()),
    (known("2024-03-01", ["M17.0"], [("20610", ("52",), "0510")], units=(2,),
           bill_type="341"), set()),
    (known("2024-03-01", ["M17.0"], [("20610", ("52",), "0510")], units=(2,),
           bill_type="851", opps=False), {("37", ("line", 0))}),
    (known("2024-08-01", ["T36.0X5A", "L27.0"], [ED]), {("113", ("dx", 0))}),
    (known("2019-09-30", ["T36.0X5A", "L27.0"], [ED]), set()),
    (known("2024-08-01", ["R40.2112", "S06.0X0A"], [ED]), {("113", ("dx", 0))}),
    (known("2024-08-01", ["Z00.00"], [("G0463", (), "0510")]), set()),
    (known("2024-08-01", ["S72.001A"], [ED, ("A0427", ("RH",), "0540")]), set()),
    (known("2024-08-01", ["S72.001A"], [ED25, ("71046", ("RH",), "0320")]),
     {("22", ("mod", 1, 0))}),
    (known("2024-03-01", ["F41.1"], [("90785", (), "0914"), ("90836", (), "0914")],
           opps=False), {("addon", ("line", 0)), ("addon", ("line", 1))}),
    (known("2024-03-01", ["F41.1"], [("90785", (), "0914"), ("90836", (), "0914"),
                                     ("99213", (), "0510")], opps=False), set()),
    (known("2024-03-01", ["C50.911"], [("88311", (), "0310"), ("99213", (), "0510")],
           opps=False), {("addon", ("line", 0))}),
    (known("2024-03-01", ["L57.0"], [ED, ("17003", (), "0360")]), set()),
    (known("2024-03-01", ["L57.0"], [ED, ("17003", (), "0360")], opps=False),
     {("addon", ("line", 1))}),
    (known("2024-01-15", ["I10"], [ED, ("0722T", (), "0350")]), {("addon", ("line", 1))}),
    (known("2024-01-15", ["I10"], [ED, ("0722T", (), "0350"), ("70450", (), "0350")]),
     {("21", ("line", 0))}),
    (known("2024-01-15", ["F32.A"], [ED, ("C7902", (), "0900")]), {("addon", ("line", 1))}),
    (known("2021-06-01", ["Z20.822"], [ED, ("U0005", (), "0300")]), {("addon", ("line", 1))}),
    (known("2024-03-01", ["E86.0"], [("96375", (), "0260")], opps=False),
     {("addon", ("line", 0))}),
    (known("2024-03-01", ["R57.9"], [("99291", (), "0450", "2024-03-01"),
                                     ("99292", (), "0450", "2024-03-02")], opps=False), set()),
    (known("2024-03-01", ["R57.9"], [("99291", (), "0450", "2024-03-01"),
                                     ("99292", (), "0450", "2024-03-03")], opps=False),
     {("addon", ("line", 1))}),
    (known("2024-03-01", ["M17.11"], [("0054T", (), "0960"), ("27447", (), "0960")],
           opps=False), {("addon", ("line", 0))}),
    # a critical access hospital (85x) bills its practitioners' services under 0960-0989
    # (method II): the I/OCE pairs NCCI codes and add-ons with their primaries only between
    # lines of one kind, facility or professional
    (known("2025-06-12", ["I10"], [("G0463", (), "0510"), ("99213", (), "0960")],
           bill_type="851", opps=False), set()),
    (known("2025-06-12", ["A41.9"], [("96365", (), "0260"), ("96374", (), "0960")],
           bill_type="851", opps=False), set()),
    (known("2025-06-12", ["A41.9"], [("96365", (), "0260"), ("96374", (), "0260")],
           bill_type="851", opps=False), {("40", ("line", 1))}),
    (known("2025-06-12", ["B35.1"], [("99213", (), "0960"), ("11720", (), "0510")],
           bill_type="851", opps=False), set()),
    (known("2025-06-12", ["B35.1"], [("99213", (), "0960"), ("11720", (), "0960")],
           bill_type="851", opps=False), {("40", ("line", 0))}),
    (known("2025-06-12", ["I46.9"], [("99291", (), "0450"), ("99292", (), "0960")],
           bill_type="851", opps=False), {("addon", ("line", 1))}),
    (known("2025-06-12", ["I46.9"], [("99291", (), "0450"), ("99292", (), "0960"),
                                     ("99291", (), "0960")], bill_type="851", opps=False),
     set()),
    (known("2025-06-12", ["C50.911"], [("96413", (), "0335"), ("96415", (), "0960")],
           bill_type="851", opps=False), {("addon", ("line", 1))}),
    (known("2025-06-12", ["C50.911"], [("96413", (), "0335"), ("96415", (), "0335")],
           bill_type="851", opps=False), set()),
    # edit 51: hourly observation once a claim (a stay past midnight is one line too)
    (known("2025-06-12", ["R07.89"], [ED, HOURS, ("G0378", (), "0762", "2025-06-13")]),
     {("51", ("line", 2))}),
    (known("2025-06-12", ["R07.89"], [ED, HOURS, HOURS], bill_type="851", opps=False),
     {("51", ("line", 2))}),
    (known("2025-06-12", ["R07.89"], [ED, HOURS, HOURS], opps=False), set()),
    (known("2025-06-12", ["R07.89"], [ED, HOURS, HOURS], conditions=("89",)),
     {("53", ("line", 1)), ("53", ("line", 2))}),  # G0378 on an OTP's 13x: edit 53 alone
    (known("2025-06-12", ["R07.89"], [ED, HOURS]), set()),
    (known("2023-05-12", ["Z20.822"], [("99213", ("CS",), "0510")], opps=False),
     {("123", ("mod", 0, 0))}),
    (known("2021-06-01", ["J18.9"], [ED25, ("71046", ("CS",), "0320")]),
     {("114", ("line", 1))}),
    (known("2023-06-30", ["J18.9"], [ED25, ("71046", ("CS",), "0320")]),
     {("114", ("line", 1)), ("123", ("mod", 1, 0))}),
    # 99213 has status B on OPPS claims (edit 62: OPPS takes G0463 for a clinic visit)
    (known("2025-11-03", ["L98.9"], [("99213", ("59",), "0510"), ("11102", (), "0360")]),
     {("62", ("line", 0))}),
    (known("2025-11-03", ["L98.9"], [("99213", (), "0510"), ("11102", (), "0360")]),
     {("40", ("line", 0)), ("62", ("line", 0))}),
    (known("2022-02-12", ["I10"], [("96365", (), "0260"), ("99203", (), "0510"),
                                   ("80504", (), "0300")]),
     {("40", ("line", 1)), ("20", ("line", 1)), ("62", ("line", 1))}),
    # edit 17: an inherently bilateral code twice on a day (76/77 on the repeat: accepted)
    (known("2024-03-01", ["H61.23"], [ED, ("69210", (), "0510"), ("69210", (), "0510")]),
     {("17", ("line", 1)), ("17", ("line", 2))}),
    (known("2024-03-01", ["H61.23"], [ED, ("69210", (), "0510")], units=(1, 2)),
     {("17", ("line", 1))}),
    (known("2024-03-01", ["H61.23"], [ED, ("69210", (), "0510"), ("69210", ("76",), "0510")]),
     set()),
    (known("2024-03-01", ["Z12.31"], [ED, ("77067", (), "0403"), ("77067", (), "0403",
                                                                  "2024-03-02")]), set()),
    # edit 74: modifier 50 with 2 units on a conditionally bilateral code
    (known("2024-03-01", ["M17.0"], [ED, ("20610", ("50",), "0360")], units=(1, 2)),
     {("74", ("line", 1)), ("21", ("line", 0))}),
    (known("2024-03-01", ["M17.0"], [ED, ("20610", ("50",), "0360")]), {("21", ("line", 0))}),
    (known("2024-03-01", ["M17.0"], [ED, ("20610", ("50",), "0360")], units=(1, 2),
           conditions=("89",)), set()),
    # edit 37: 52 or 73 with 2 units, or with 50 on a conditionally bilateral code (OPPS)
    (known("2024-03-01", ["M17.0"], [ED, ("20610", ("52",), "0360")], units=(1, 2)),
     {("37", ("line", 1)), ("21", ("line", 0))}),
    (known("2024-03-01", ["M17.0"], [ED, ("20610", ("73", "50"), "0360")]),
     {("37", ("line", 1)), ("21", ("line", 0))}),
    (known("2024-03-01", ["M17.0"], [ED, ("20610", ("52",), "0360")], units=(1, 2),
           opps=False), set()),
    # edit 126: 95 on a code not flagged telehealth, on a critical access hospital claim
    (known("2024-03-01", ["I10"], [("G0463", ("95",), "0510")], bill_type="851",
           opps=False), {("126", ("line", 0))}),
    (known("2024-03-01", ["I10"], [("99213", ("95",), "0510")], bill_type="851",
           opps=False), set()),
    (known("2023-06-30", ["I10"], [("G0463", ("95",), "0510")], bill_type="851",
           opps=False), set()),
    (known("2024-03-01", ["I10"], [ED, ("G0463", ("95",), "0510")]), set()),
    (known("2024-03-01", ["I10"], [("G0463", ("GT",), "0510"), ("G0463", ("GQ",), "0510")],
           bill_type="851", opps=False), {("126", ("line", 0)), ("126", ("line", 1))}),
    # critical access hospitals (85x): a code billed by the facility and under a
    # professional-fee revenue code is one procedure (17); 74 on professional lines only
    (known("2024-03-01", ["H61.23"], [("69210", (), "0510"), ("69210", (), "0960")],
           bill_type="851", opps=False), set()),
    (known("2024-03-01", ["H61.23"], [("69210", (), "0510"), ("69210", (), "0510")],
           bill_type="851", opps=False), {("17", ("line", 0)), ("17", ("line", 1))}),
    (known("2024-03-01", ["M17.0"], [("20610", ("50",), "0360")], units=(2,),
           bill_type="851", opps=False), set()),
    (known("2024-03-01", ["M17.0"], [("20610", ("50",), "0960"), ("20610", (), "0960")],
           bill_type="851", opps=False), {("74", ("line", 0)), ("74", ("line", 1))}),
    (known("2024-03-01", ["M17.0"], [("20610", ("52",), "0360")], units=(2,),
           bill_type="851", opps=False), {("37", ("line", 0))}),
    # status indicator V with condition code G0 (distinct visits): no edit 17
    (known("2024-03-01", ["H61.23"], [("92012", (), "0510"), ("92012", (), "0510")],
           conditions=("G0",)), set()),
    (known("2024-03-01", ["H61.23"], [("92012", (), "0510"), ("92012", (), "0510")]),
     {("17", ("line", 0)), ("17", ("line", 1))}),
    # the status-indicator edits: 28 (E1, not recognized by Medicare), 62 (B, not by OPPS:
    # OPPS claims only), 50 (E1, statutory exclusion), 61 (Y, DME MAC only: not with a
    # comprehensive APC procedure, status J1, on an OPPS claim)
    (known("2024-03-01", ["I10"], [ED, ("99243", (), "0510")]), {("28", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("99243", (), "0510")], conditions=("89",)), set()),
    (known("2024-03-01", ["F19.20"], [ED, ("80320", (), "0300")]), {("62", ("line", 1))}),
    (known("2024-03-01", ["F19.20"], [ED, ("80320", (), "0300")], opps=False), set()),
    (known("2024-03-01", ["H52.13"], [ED, ("92015", (), "0510")]), {("50", ("line", 1))}),
    (known("2024-03-01", ["G47.33"], [ED, ("E0601", (), "0290")]), {("61", ("line", 1))}),
    # (27447 is device-intensive: without a device code on its day, edit 92 on OPPS claims)
    (known("2024-03-01", ["M17.11"], [("27447", (), "0360"), ("E0601", (), "0290")]),
     {("92", ("line", 0))}),
    (known("2024-03-01", ["M17.11"], [("27447", (), "0360"), ("E0601", (), "0290")],
           opps=False), {("61", ("line", 1))}),
    # the revenue-code edits: 41 (a revenue code the I/OCE does not know, or not written
    # as one; 450 is read as the number 0450), 48 (a revenue code that needs a HCPCS code,
    # on a line without one: not 0250, packaged, nor 0964, F; not with condition code 89
    # on 13x, nor on 85x), 65 (not recognized by Medicare: 0905 until 2023-12-31)
    (known("2024-03-01", ["I10"], [ED, ("G0463", (), "0457")]), {("41", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("G0463", (), "45A0")]), {("41", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("G0463", (), "510")]), set()),
    (known("2024-03-01", ["I10"], [ED, ("", (), "0450")]), {("48", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("", (), "0250"), ("", (), "0964")]), set()),
    (known("2024-03-01", ["I10"], [ED, ("", (), "0450")], conditions=("89",)), set()),
    (known("2024-03-01", ["I10"], [("G0463", (), "0510"), ("", (), "0450")],
           bill_type="141"), {("48", ("line", 1))}),
    (known("2023-06-01", ["I10"], [ED, ("", (), "0905")]), {("65", ("line", 1))}),
    (known("2024-01-02", ["I10"], [ED, ("", (), "0905")]), set()),
    (known("2024-03-01", ["I10"], [ED, ("G0463", (), "0500")]), {("65", ("line", 1))}),
    # the missing-companion edits: 43 (a blood procedure, no blood product on the claim:
    # OPPS claims, 12x/13x/76x; not 13x with condition code 89), 92 (a device-intensive
    # procedure, no device code that day: OPPS 12x/13x; not with 52, 73, 74, nor CG on a
    # code flagged to bypass it), 87 (a skin substitute application, no product that day:
    # to 2025 by the low/high cost flags, from 2026 a product of status S1), 93 (cornea
    # tissue, no cornea transplant that day; a non-covered one, E1, does not count)
    (known("2024-03-01", ["D64.9"], [ED, ("36430", (), "0391")]),
     {("43", ("line", 1)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, ("36430", (), "0391"), ("P9016", (), "0390")]),
     {("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, ("36430", (), "0391")], opps=False), set()),
    (known("2024-03-01", ["D64.9"], [ED, ("36430", (), "0391")], conditions=("89",)), set()),
    (known("2024-03-01", ["D64.9"], [ED, ("36430", (), "0391")], bill_type="141"), set()),
    (known("2024-03-01", ["I49.5"], [("33208", (), "0360")]), {("92", ("line", 0))}),
    (known("2024-03-01", ["I49.5"], [("33208", (), "0360"), ("C1785", (), "0278")]), set()),
    (known("2024-03-01", ["I49.5"], [("33208", (), "0360"),
                                     ("C1785", (), "0278", "2024-03-02")]),
     {("92", ("line", 0))}),
    (known("2024-03-01", ["I49.5"], [("33208", ("73",), "0360")]), set()),
    (known("2024-03-01", ["I49.5"], [("33208", (), "0360")], opps=False), set()),
    (known("2024-03-01", ["G89.4"], [("63650", ("CG",), "0360")]), set()),
    (known("2024-03-01", ["G89.4"], [("63650", (), "0360")]), {("92", ("line", 0))}),
    (known("2025-03-03", ["L97.412"], [ED, ("15271", (), "0360")]),
     {("87", ("line", 1)), ("21", ("line", 0))}),
    (known("2025-03-03", ["L97.412"], [ED, ("15271", (), "0360"), ("Q4101", (), "0636")]),
     {("21", ("line", 0))}),
    (known("2025-03-03", ["L97.412"], [ED, ("15271", (), "0360"), ("Q4102", (), "0636")]),
     {("87", ("line", 1)), ("21", ("line", 0))}),
    (known("2026-03-02", ["L97.412"], [ED, ("15271", (), "0360")]),
     {("87", ("line", 1)), ("21", ("line", 0))}),
    (known("2026-03-02", ["L97.412"], [ED, ("15271", (), "0360"), ("Q4102", (), "0636")]),
     {("21", ("line", 0))}),
    (known("2025-03-03", ["L97.412"], [ED, ("15271", (), "0360")], conditions=("41",)),
     {("mh_dx", ("claim",))}),  # no 87 with condition code 41; L97.412 is no mental health dx
    (known("2024-03-01", ["H18.601"], [ED, ("V2785", (), "0360")]), {("93", ("line", 1))}),
    (known("2024-03-01", ["H18.601"], [("65710", (), "0360"), ("V2785", (), "0360")]), set()),
    (known("2024-03-01", ["H18.601"], [ED, ("65710", (), "0500"), ("V2785", (), "0360")]),
     {("65", ("line", 1)), ("93", ("line", 2))}),
    (known("2024-03-01", ["H18.601"], [ED, ("65767", (), "0360"), ("V2785", (), "0360")]),
     {("93", ("line", 2))}),
    # edit 92 on 13x not with condition code 89 (on 12x with it)
    (known("2024-03-01", ["I49.5"], [("33208", (), "0360")], conditions=("89",)), set()),
    (known("2024-03-01", ["I49.5"], [("33208", (), "0360")], bill_type="121",
           conditions=("89",)), {("92", ("line", 0))}),
    # edit 41 on a line without a revenue code, on every path (none: 851 flagged OPPS,
    # which the I/OCE returns with edit 118 before any other edit)
    (known("2024-03-01", ["I10"], [ED, ("G0463", (), None)]), {("41", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("G0463", (), "")], bill_type="141"),
     {("41", ("line", 1))}),
    (known("2024-03-01", ["I10"], [("G0463", (), "0510"), ("G0463", (), None)],
           bill_type="811"), {("41", ("line", 1))}),
    (known("2024-03-01", ["I10"], [("G0463", (), "0510"), ("G0463", (), None)],
           bill_type="851", opps=False), {("41", ("line", 1))}),
    (known("2024-03-01", ["I10"], [("G0463", (), "0510"), ("G0463", (), None)],
           bill_type="851"), {("bill", ("claim",))}),
    # edit 118 on a type of bill that is not one (blank, not 3 characters, not two digits
    # first, type of facility 0 or 9), on 11x, and on one no path takes (18x, 19x, 21x,
    # 31x, 33x, 35x-39x, 41x, 61x, 79x): the payment-integrity review's probes; the I/OCE runs no
    # other edit (93000: no edit 72). A frequency that is a letter, and spaces around, pass.
    *[(known("2025-03-03", ["R07.9"], [ED, ECG], bill_type=bill), {("bill", ("claim",))})
      for bill in ("", "   ", "0", "13", "13 ", "A31", "1X1", "999", "011", "1311", "111",
                   "181", "191", "211", "311", "331", "351", "361", "371", "381", "391",
                   "411", "611", "791")],
    *[(known("2025-03-03", ["R07.9"], [ED, ECG], bill_type=bill, opps=False),
       {("bill", ("claim",))}) for bill in ("1X1", "211", "111")],
    *[(known("2025-03-03", ["R07.9"], [ED, ECG], bill_type=bill), {("72", ("line", 1))})
      for bill in ("13A", "130", "131 ")],
    # home health (34x): edits 43, 28 and 62 on an OPPS claim with a vaccine, antigen,
    # cast, splint or negative pressure wound therapy code (to 2023-12-31) only; no 61
    (known("2024-03-01", ["D64.9"], [("36430", (), "0391")], bill_type="341"), set()),
    (known("2024-03-01", ["D64.9"], [("36430", (), "0391"), ("90471", (), "0771")],
           bill_type="341"), {("43", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [("36430", (), "0391"), ("90471", (), "0771")],
           bill_type="341", opps=False), set()),
    (known("2024-03-01", ["D64.9"], [("36430", (), "0391"), ("95165", (), "0300")],
           bill_type="341"), {("43", ("line", 0))}),
    (known("2022-03-01", ["D64.9"], [("36430", (), "0391"), ("97607", (), "0420")],
           bill_type="341"), {("43", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [("36430", (), "0391"), ("97607", (), "0420")],
           bill_type="341"), set()),
    (known("2024-03-01", ["I10"], [("99243", (), "0510"), ("80320", (), "0300"),
                                   ("E0601", (), "0290")], bill_type="341"), set()),
    (known("2024-03-01", ["I10"], [("99243", (), "0510"), ("80320", (), "0300"),
                                   ("E0601", (), "0290"), ("29075", (), "0360")],
           bill_type="341"), {("28", ("line", 0)), ("62", ("line", 1))}),
    # condition code 07 (OPPS; 22x, 23x, 32x, 72x, 74x, 75x, 81x, 82x; an antigen, cast or
    # splint code): 28, 43, 62 (not on 22x/23x); no 48 nor 61. 40: 36430 beside 29075
    (known("2024-03-01", ["I10"], CC07, bill_type="321", conditions=("07",)),
     {("28", ("line", 0)), ("62", ("line", 1)), ("43", ("line", 4)), ("40", ("line", 4))}),
    (known("2024-03-01", ["I10"], CC07, bill_type="321"),
     {("48", ("line", 3)), ("40", ("line", 4))}),
    (known("2024-03-01", ["I10"], CC07, bill_type="321", conditions=("07",), opps=False),
     {("48", ("line", 3)), ("40", ("line", 4))}),
    (known("2024-03-01", ["I10"], [*CC07[:5], ("90471", (), "0771")], bill_type="321",
           conditions=("07",)), {("48", ("line", 3)), ("40", ("line", 0))}),
    (known("2024-03-01", ["I10"], CC07, bill_type="221", conditions=("07",)),
     {("28", ("line", 0)), ("43", ("line", 4)), ("40", ("line", 4))}),
    (known("2024-03-01", ["I10"], CC07, bill_type="221"),
     {("28", ("line", 0)), ("61", ("line", 2)), ("48", ("line", 3)), ("40", ("line", 4))}),
    (known("2024-03-01", ["I10"], CC07, bill_type="811", conditions=("07",)),
     {("28", ("line", 0)), ("62", ("line", 1)), ("43", ("line", 4)), ("40", ("line", 4))}),
    (known("2024-03-01", ["D64.9"], [ED, ("36430", (), "0391"), ("29075", (), "0360")],
           conditions=("07",)), {("43", ("line", 1)), ("40", ("line", 1)), ("21", ("line", 0))}),
    # edit 113 per path: the inpatient list on 12x, 22x, 81x, 82x (from 2025-04-01 F02-F09,
    # R53.81-R53.83, R54, R62.7 too), the outpatient list elsewhere (CC07 too), none on 43x
    (known("2025-06-02", ["F03.90", "I10"], [VISIT], bill_type="121"), {("113", ("dx", 0))}),
    (known("2025-06-02", ["R62.7", "I10"], [VISIT], bill_type="121", opps=False),
     {("113", ("dx", 0))}),
    (known("2025-06-02", ["F03.90", "I10"], [VISIT], bill_type="221"), {("113", ("dx", 0))}),
    (known("2025-06-02", ["F03.90", "I10"], [VISIT], bill_type="811"), {("113", ("dx", 0))}),
    (known("2025-03-31", ["F03.90", "I10"], [VISIT], bill_type="811"), set()),
    (known("2025-06-02", ["R54", "I10"], [VISIT], bill_type="821"), {("113", ("dx", 0))}),
    (known("2025-06-02", ["F02.80", "G30.9"], [VISIT], bill_type="811"),
     {("113", ("dx", 0)), ("86", ("dx", 0))}),
    (known("2025-06-02", ["T36.0X5A", "L27.0"], [VISIT], bill_type="811"), {("113", ("dx", 0))}),
    (known("2025-06-02", ["F03.90", "I10"], [VISIT]), set()),
    (known("2025-06-02", ["R54", "I10"], [VISIT], bill_type="321"), set()),
    (known("2025-06-02", ["F03.90", "I10"], [VISIT, CAST], bill_type="221",
           conditions=("07",)), set()),
    (known("2025-06-02", ["T36.0X5A", "L27.0"], [VISIT, CAST], bill_type="221",
           conditions=("07",)), {("113", ("dx", 0))}),
    (known("2025-06-02", ["R54", "I10"], [VISIT, CAST], bill_type="811", conditions=("07",)),
     set()),
    (known("2025-06-02", ["R54", "I10"], [VISIT, CAST], bill_type="321", conditions=("07",)),
     set()),
    (known("2025-06-02", ["T36.0X5A", "L27.0"], [VISIT], bill_type="431"), set()),
    # edit 72 (status M: 93000, where the facility bills 93005) on the paths that run it
    (known("2024-03-01", ["R00.2"], [ED, ECG]), {("72", ("line", 1))}),
    (known("2024-03-01", ["R00.2"], [ED, ("93005", (), "0730")]), set()),
    (known("2024-03-01", ["R00.2"], [ED, ECG], conditions=("89",)), {("72", ("line", 1))}),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG], bill_type="121"), {("72", ("line", 1))}),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG], bill_type="341"), {("72", ("line", 1))}),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG], bill_type="431"), set()),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG], bill_type="711"), set()),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG], bill_type="811"), {("72", ("line", 1))}),
    (known("2024-03-01", ["R00.2"], [VISIT, ("93000", (), "0657")], bill_type="811"), set()),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG], bill_type="851", opps=False),
     {("72", ("line", 1))}),
    (known("2024-03-01", ["R00.2"], [VISIT, ("93000", (), "0985")], bill_type="851",
           opps=False), set()),
    (known("2024-03-01", ["R00.2"], [VISIT, ECG, CAST], bill_type="221", conditions=("07",)),
     {("40", ("line", 1)), ("72", ("line", 1))}),
    # edit 124: a code valid only during the public health emergency, after 2023-05-11
    (known("2023-06-01", ["Z20.822"], [ED, ("U0003", (), "0300")]), {("124", ("line", 1))}),
    (known("2023-05-11", ["Z20.822"], [ED, ("U0003", (), "0300")]), set()),
    (known("2023-07-01", ["Z20.822"], [ED, ("U0003", (), "0300")]), {("6", ("line", 1))}),
    (known("2023-06-01", ["Z20.822"], [ED, ("87635", (), "0300")]), set()),
    (known("2024-03-01", ["Z20.822"], [ED, ("K1034", (), "0300")]), {("124", ("line", 1))}),
    (known("2023-06-01", ["Z20.822"], [VISIT, ("U0004", (), "0300")], bill_type="851",
           opps=False), {("124", ("line", 1))}),
    (known("2023-06-01", ["Z20.822"], [VISIT, ("U0004", (), "0300")], bill_type="771"),
     {("124", ("line", 1))}),
    (known("2023-06-01", ["Z20.822"], [ED, ("U0003", (), "0300")], conditions=("89",)),
     {("124", ("line", 1))}),
    # edit 120: modifier PT on a day with no colorectal code (the I/OCE's flag: 45385 has
    # it, G0105 and G0121 do not); anesthesia and pathology pass on such a day; 12x, 13x
    # (not with condition code 41, 89, 92), 85x (not with 89) only
    (known("2024-03-01", ["Z12.11"], [("G0121", ("PT",), "0360")]), {("120", ("line", 0))}),
    (known("2024-03-01", ["Z12.11", "Z80.0"], [("G0105", ("PT",), "0360")]),
     {("120", ("line", 0))}),
    (known("2024-03-01", ["Z12.11", "D12.5"], [("45385", ("PT",), "0360")]), set()),
    (known("2024-03-01", ["Z12.11", "D12.5"], [("45385", ("PT",), "0360"),
                                               ("88305", ("PT",), "0310")]), set()),
    (known("2024-03-01", ["Z12.11", "D12.5"], [("45385", (), "0360"),
                                               ("00811", ("PT",), "0370")]), set()),
    (known("2024-03-01", ["Z12.11", "D12.5"], [ED, ("88305", ("PT",), "0310"),
                                               ("45385", (), "0360", "2024-03-02")]),
     {("120", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("99283", ("PT",), "0450")], opps=False),
     {("120", ("line", 1))}),
    (known("2024-03-01", ["I10"], [ED, ("99283", ("PT",), "0450")], conditions=("89",)),
     set()),
    (known("2024-03-01", ["I10"], [("99283", ("PT",), "0450")], bill_type="121"),
     {("120", ("line", 0))}),
    (known("2024-03-01", ["I10"], [("99283", ("PT",), "0450")], bill_type="851",
           opps=False), {("120", ("line", 0))}),
    (known("2024-03-01", ["I10"], [("99283", ("PT",), "0450")], bill_type="141"), set()),
    (known("2024-03-01", ["I10"], [("99283", ("PT",), "0450")], bill_type="831",
           opps=False), set()),
    (known("2024-03-01", ["I10"], [("99283", ("PT",), "0450")], bill_type="221"), set()),
    (known("2019-08-01", ["I10"], [ED, ("99283", ("PT",), "0450")]),
     {("120", ("line", 1))}),
    # modifier 53 on 131 and 851: the I/OCE raises nothing (codekit's MOD_53_FACILITY is
    # a warning on 13x, no I/OCE decision)
    (known("2024-03-01", ["Z12.11", "K63.5"], [("45385", ("53",), "0360")]), set()),
    (known("2024-03-01", ["Z12.11", "K63.5"], [("45385", ("53",), "0360")],
           bill_type="851", opps=False), set()),
    (known("2024-03-01", ["I10"], [("99283", ("53",), "0450")]), set()),
    # and on an ambulatory surgery center's 83x (non-OPPS), where MOD_53_FACILITY warns too
    (known("2026-03-02", ["Z12.11", "K63.5"], [("45378", ("53",), "0490")],
           bill_type="831", opps=False), set()),
    # edit 118 (invalid type of bill, from 2024-01-01): the I/OCE runs no other edit
    (known("2024-03-01", ["F33.1"], [PHP, ECG], bill_type="761"), {("bill", ("claim",))}),
    (known("2024-03-01", ["F33.1"], [PHP, ECG], bill_type="761", conditions=("41",)),
     {("72", ("line", 1))}),
    (known("2024-03-01", ["F33.1"], [PHP, ECG], bill_type="761", conditions=("92",)),
     {("72", ("line", 1))}),
    (known("2023-12-29", ["F33.1"], [PHP, ECG], bill_type="761"), {("72", ("line", 1))}),
    (known("2023-12-29", ["F33.1"], [PHP, ECG, ("G0463", (), "0510", "2024-01-02")],
           bill_type="761"), {("72", ("line", 1))}),
    (known("2024-03-01", ["F33.1"], [PHP, ("", (), "0450")], bill_type="761", opps=False),
     {("bill", ("claim",))}),
    (known("2024-03-01", ["F33.1"], [PHP, ("", (), "0450")], bill_type="761", opps=False,
           conditions=("41",)), {("bill", ("claim",))}),
    (known("2024-03-01", ["F33.1"], [PHP, ("", (), "0450")], bill_type="761",
           conditions=("41",)), {("48", ("line", 1))}),
    (known("2024-03-01", ["F33.1"], [VISIT, ECG, ("36430", (), "0391")], bill_type="121",
           conditions=("41",)), {("bill", ("claim",))}),
    (known("2024-03-01", ["F33.1"], [VISIT, ECG], bill_type="141", conditions=("41",)),
     {("bill", ("claim",))}),
    (known("2023-12-29", ["F33.1"], [VISIT, ECG], bill_type="141", conditions=("41",)),
     {("bill", ("claim",))}),
    (known("2024-03-01", ["F33.1"], [VISIT, ECG], bill_type="131", conditions=("41",)),
     {("72", ("line", 1))}),
    (known("2023-12-29", ["F33.1"], [VISIT, ("69210", (), "0510"), ("69210", (), "0510")],
           bill_type="121", conditions=("41",)), {("bill", ("claim",))}),
    (known("2024-03-01", ["F33.1"], [VISIT, ECG], bill_type="431", conditions=("41",)),
     {("bill", ("claim",))}),
    # condition code 41 on 12x and 14x in every year: edit 46 to 2023-12-31, 118 after
    # (test_bill_type_edit_numbers_agree); 43x: edit 46 whatever the year
    *((known(day, ["F33.1"], [VISIT, ECG], bill_type=tob, conditions=("41",)),
       {("bill", ("claim",))})
      for day in ("2022-03-01", "2023-06-01", "2025-06-02") for tob in ("121", "141", "431")),
    # a condition code written with spaces around it is the code (the I/OCE trims it)
    (known("2024-03-01", ["F33.1"], [PHP, ECG], bill_type="761", conditions=(" 41",)),
     {("72", ("line", 1))}),
    (known("2024-03-01", ["F33.1"], [PHP, ECG], bill_type="761", conditions=("92 ",)),
     {("72", ("line", 1))}),
    (known("2024-03-01", ["F33.1"], [VISIT, ECG], bill_type="121", conditions=("41 ",)),
     {("bill", ("claim",))}),
    (known("2023-06-01", ["F33.1"], [VISIT, ECG], bill_type="141", conditions=(" 41",)),
     {("bill", ("claim",))}),
    # the billing-form edits. 73: a blood product on its 038x and 039x lines (both with BL
    # and the same units when purchased), or on 039x alone; 79: 0381 / 0382 with a code
    # that is not packed red cells / whole blood
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", (), "0381")]),
     {("73", ("line", 2)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", ("BL",), "0390"),
                                     ("P9016", ("BL",), "0381")]), {("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", ("BL",), "0390"),
                                     ("P9016", (), "0381")]),
     {("73", ("line", 2)), ("73", ("line", 3)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", ("BL",), "0390"),
                                     ("P9016", ("BL",), "0381")], units=(1, 1, 2, 1)),
     {("73", ("line", 2)), ("73", ("line", 3)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", (), "0390"),
                                     ("P9016", (), "0381")]),
     {("73", ("line", 2)), ("73", ("line", 3)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", (), "0300")]),
     {("73", ("line", 2)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9010", (), "0381")]),
     {("73", ("line", 2)), ("79", ("line", 2)), ("21", ("line", 0))}),
    (known("2024-03-01", ["D64.9"], [ED, TRANSFUSION, ("P9016", (), "0381")], opps=False),
     set()),
    (known("2024-03-01", ["D64.9"], [ED, ("85025", (), "0381")]), {("79", ("line", 1))}),
    (known("2024-03-01", ["D64.9"], [ED, ("85025", (), "0381")], opps=False), set()),
    (known("2024-03-01", ["D64.9"], [VISIT, ("85025", (), "0382")], bill_type="851",
           opps=False), {("79", ("line", 1))}),
    # 100: an allogeneic stem cell transplant without a donor acquisition line (0815)
    (known("2024-03-01", ["C92.00"], [("38240", (), "0362")]), {("100", ("line", 0))}),
    (known("2024-03-01", ["C92.00"], [("38240", (), "0362"), ("", (), "0815")]), set()),
    (known("2024-03-01", ["C92.00"], [("38240", (), "0362")], conditions=("89",)), set()),
    # 116: an opioid treatment program code off a program's claim (87x; 13x and 85x with
    # condition code 89), from 2020-01-01
    (known("2024-03-01", ["F11.20"], [VISIT, OTP]), {("116", ("line", 1))}),
    (known("2024-03-01", ["F11.20"], [VISIT, OTP], conditions=("89",)), set()),
    (known("2024-03-01", ["F11.20"], [VISIT, OTP], bill_type="871", opps=False), set()),
    (known("2024-03-01", ["F11.20"], [VISIT, OTP], bill_type="851", opps=False),
     {("116", ("line", 1))}),
    (known("2024-03-01", ["F11.20"], [VISIT, OTP], bill_type="141"), {("116", ("line", 1))}),
    # 44: 0762 with a code that is not observation; 58: G0379 without G0378 that day; 53:
    # G0378 or G0379 off 13x and 85x (on 13x with condition code 89)
    (known("2024-03-01", ["R07.9"], [ED, ("99213", (), "0762")]),
     {("44", ("line", 1)), ("62", ("line", 1))}),
    (known("2024-03-01", ["R07.9"], [ED, HOURS], units=(1, 8)), set()),
    (known("2024-03-01", ["R07.9"], [ED, ("", (), "0762")]), set()),
    (known("2024-03-01", ["R07.9"], [REFERRAL]), {("58", ("line", 0))}),
    (known("2024-03-01", ["R07.9"], [REFERRAL, HOURS], units=(1, 8)), set()),
    (known("2024-03-01", ["R07.9"], [REFERRAL, ("G0378", (), "0762", "2024-03-02")],
           units=(1, 8)), {("58", ("line", 0))}),
    (known("2024-03-01", ["R07.9"], [REFERRAL], opps=False), set()),
    (known("2024-03-01", ["R07.9"], [REFERRAL], bill_type="851", opps=False),
     {("58", ("line", 0))}),
    (known("2024-03-01", ["R07.9"], [VISIT, HOURS], bill_type="121", units=(1, 8)),
     {("53", ("line", 1))}),
    (known("2024-03-01", ["R07.9"], [VISIT, REFERRAL], bill_type="121"),
     {("53", ("line", 1))}),
    (known("2024-03-01", ["R07.9"], [VISIT, HOURS], units=(1, 8), conditions=("89",)),
     {("53", ("line", 1))}),
    (known("2024-03-01", ["R07.9"], [VISIT, HOURS], bill_type="851", opps=False,
           units=(1, 8)), set()),
    (known("2024-03-01", ["R07.9"], [VISIT, HOURS], bill_type="711", opps=False,
           units=(1, 8)), {("53", ("line", 1))}),
    # 76: G0390 without revenue code 068x and 99291 on its date
    (known("2024-03-01", ["S06.9X0A"], [("G0390", (), "0681"), ("99291", (), "0450")]),
     set()),
    (known("2024-03-01", ["S06.9X0A"], [("G0390", (), "0450"), ("99291", (), "0450")]),
     {("76", ("line", 0))}),
    (known("2024-03-01", ["S06.9X0A"], [("G0390", (), "0681"), ("99285", (), "0450")]),
     {("76", ("line", 0))}),
    (known("2024-03-01", ["S06.9X0A"], [("G0390", (), "0450"), ("99291", (), "0450")],
           conditions=("89",)), set()),
    # 102: two modifiers the I/OCE does not allow on one line (not 13x with 89, nor 23x)
    (known("2024-03-01", ["R07.9"], [ED25, ("71046", ("FX", "FY"), "0320")]),
     {("102", ("line", 1))}),
    (known("2024-03-01", ["R07.9"], [("G0463", ("PO", "PN"), "0510")]),
     {("102", ("line", 0))}),
    (known("2024-03-01", ["R07.9"], [("G0463", ("PO", "PN"), "0510")], conditions=("89",)),
     set()),
    (known("2024-03-01", ["R07.9"], [("G0463", ("PO", "PN"), "0510")], bill_type="231"),
     set()),
    # 122: JG on a pass-through drug (status G) from 2022-04-01 to 2024-12-31, OPPS
    (known("2023-03-01", ["C50.911"], [ED, ("J1932", ("JG",), "0636")]),
     {("122", ("line", 1))}),
    (known("2023-03-01", ["C50.911"], [ED, ("J1932", ("TB",), "0636")]), set()),
    (known("2023-03-01", ["C50.911"], [ED, ("J1932", ("JG",), "0636")], opps=False), set()),
    (known("2022-03-01", ["C50.911"], [ED, ("J0699", ("JG",), "0636")]), set()),
    (known("2022-04-01", ["C50.911"], [ED, ("J0699", ("JG",), "0636")]),
     {("122", ("line", 1))}),
    (known("2024-12-31", ["C50.911"], [ED, ("J0219", ("JG",), "0636")]),
     {("122", ("line", 1))}),
    # partial hospitalization (condition code 41) and intensive outpatient programs (92):
    # 29 / 109 (a principal diagnosis not on the I/OCE's mental health list; a "code first"
    # one without a mental health first secondary), 80 / 132 (a mental health code not
    # approved for the program), 81 / 133 (a program code outside the program)
    (known("2024-03-01", ["I10"], [PHP, GROUP], conditions=("41",)), {("mh_dx", ("claim",))}),
    (known("2024-03-01", ["F32.1"], [PHP, GROUP], conditions=("41",)), set()),
    (known("2024-03-01", ["G30.9", "I10"], [PHP, GROUP], conditions=("41",)), set()),
    (known("2024-03-01", ["I10"], [PHP, GROUP], conditions=("41",), opps=False), set()),
    (known("2024-03-01", ["I10"], [IOP, IOP_GROUP], conditions=("92",)),
     {("mh_dx", ("claim",))}),
    (known("2023-06-01", ["I10"], [IOP, IOP_GROUP], conditions=("92",)),  # (no IOP path yet;
     {("65", ("line", 0)), ("65", ("line", 1))}),  # revenue code 0905 from 2024-01-01)
    (known("2024-03-01", ["I10"], [IOP, IOP_GROUP], bill_type="761", conditions=("92",)),
     {("mh_dx", ("claim",))}),
    (known("2024-03-01", ["I10"], [PHP, GROUP], bill_type="761", conditions=("41",)),
     {("mh_dx", ("claim",))}),
    (known("2024-03-01", ["T14.91XA", "I10", "F32.1"], [PHP, GROUP], conditions=("41",)),
     {("mh_dx", ("claim",))}),
    (known("2024-03-01", ["T14.91XA", "F32.1"], [PHP, GROUP], conditions=("41",)), set()),
    (known("2022-03-01", ["I10", "F32.1"], [PHP, GROUP], conditions=("41",)),
     {("mh_dx", ("claim",)), ("mh_service", ("line", 1))}),
    (known("2023-03-01", ["F32.1"], [PHP, GROUP], conditions=("41",)), set()),
    (known("2022-03-01", ["F32.1"], [PHP, GROUP], bill_type="761"),
     {("mh_service", ("line", 1))}),
    (known("2024-03-01", ["F32.1"], [PHP, ("90865", (), "0912")], bill_type="761",
           conditions=("41",)), {("mh_service", ("line", 1))}),
    (known("2024-03-01", ["F84.0"], [IOP, ("0362T", (), "0905")], bill_type="761",
           conditions=("92",)), {("mh_service", ("line", 1))}),
    (known("2024-03-01", ["F32.1"], [LAB, PHP]), {("mh_outside", ("line", 1))}),
    (known("2023-03-01", ["F32.1"], [LAB, PHP]), {("mh_outside", ("line", 1))}),
    (known("2024-03-01", ["F32.1"], [VISIT, PHP]),
     {("40", ("line", 0)), ("mh_outside", ("line", 1))}),
    (known("2024-03-01", ["F32.1"], [LAB, PHP], opps=False), set()),
    (known("2024-03-01", ["F32.1"], [LAB, PHP], conditions=("89",)), set()),
    # 21: a visit without 25 beside an S or T line (both); not beside a Q2 code paid as
    # J1 (64584, 75716), nor beside a G0390 the I/OCE rejects (edit 76)
    (known("2025-06-01", ["S61.411A"], [ED, ("11042", (), "0360")]), {("21", ("line", 0))}),
    (known("2023-03-29", ["S61.411A"], [ED, ("64584", (), "0360"), ("96411", (), "0940")]),
     set()),
    (known("2026-06-14", ["S61.411A"], [ED, ("96161", (), "0940"), ("75716", (), "0320")]),
     set()),
    (known("2022-03-30", ["S61.411A"], [ED, ("G0390", (), "0450")]), {("76", ("line", 1))}),
]


@pytest.mark.slow
def test_the_billing_flags_and_pairs_are_the_ioce_tables() -> None:
    """The bundled flags of the billing-form edits (``procedure.ioce_companion_flags``)
    are those of the I/OCE's HCPCS table on the first and the last day of every version
    of every code the table flags; the modifier pairs of ``MOD_COMBINATION_INVALID``'s
    edit 102 (``modifiers.IOCE_CONFLICTS``) are the I/OCE's ``map_modifier_conflict``,
    the same in every version."""
    pools = _pools()
    for flag in BILLING_FLAGS:
        for c in pools.billing[flag]:
            for r in pools.hcpcs[c]:
                for version in (r[0], r[1]):
                    start, end = next((s, e) for n, s, e in pools.versions if n == version)
                    for day in (start, min(end, LAST_DAY)):
                        assert (flag in procedure.ioce_companion_flags(c, on=day)) is (
                            flag in r[5]), (flag, c, day)
    last, first = pools.versions[-1][0], pools.versions[0][0]
    pairs = {frozenset(r[:2]) for r in pools.modifier_conflicts if r[2] == first
             and r[3] == last}
    assert len(pairs) == len({frozenset(r[:2]) for r in pools.modifier_conflicts}) == 6
    assert pairs == set(IOCE_MODIFIER_PAIRS)


def test_the_conditional_therapy_codes_are_the_ioce_table() -> None:
    """``procedure.IOCE_CONDITIONAL_THERAPY`` (the "sometimes therapy" codes edit 21
    leaves out when billed as therapy) is the I/OCE's ``therapy_conditionally_paid`` flag,
    set in every version of each code and of no other."""
    pools = _pools()
    flagged = {c for c, rows in pools.hcpcs.items()
               if any("therapy_conditionally_paid" in r[5] for r in rows)}
    assert flagged == procedure.IOCE_CONDITIONAL_THERAPY
    assert all("therapy_conditionally_paid" in r[5] for c in flagged
               for r in pools.hcpcs[c])


def test_the_path_flags_are_the_ioce_tables() -> None:
    """The bundled flags that choose the I/OCE's 34x and condition code 07 paths (antigen,
    cast, splint, negative pressure wound therapy: ``procedure.ioce_companion_flags``),
    and edit 120's colorectal codes, are those of the I/OCE's HCPCS table, on the first
    and the last day of every version."""
    from codekit import procedure

    pools = _pools()
    for flag in ("antigen", "cast", "splint", "negative_pressure_wound_therapy", "colorectal"):
        for c in pools.codes:
            for r in pools.hcpcs[c]:
                for version in (r[0], r[1]):
                    start, end = next((s, e) for n, s, e in pools.versions if n == version)
                    for day in (start, min(end, LAST_DAY)):
                        assert (flag in procedure.ioce_companion_flags(c, on=day)) is (
                            flag in r[5]), (flag, c, day)


#: Real-code claims on which the two editors decide differently, for a documented reason:
#: (claim, the I/OCE's decisions, codekit's). CMS's HCPCS file ended G2023, G2024 and
#: U0003-U0005 on 2023-05-11; the I/OCE's table keeps them to 2023-06-30: where it runs
#: edit 124 that edit replaces codekit's PROC_NOT_VALID_ON_DOS (edit 6), and the I/OCE
#: also edits the line as a valid code (62, status B); where it does not (43x, 77x with
#: condition code 65), codekit reports edit 6 and the I/OCE nothing.
KNOWN_DIFFERENT: list[tuple[dict[str, Any], set[tuple[str, Loc]], set[tuple[str, Loc]],
                            str]] = [
    (known("2023-06-01", ["Z20.822"], [ED, ("G2023", (), "0300")]),
     {("124", ("line", 1)), ("62", ("line", 1))}, {("124", ("line", 1))}, "HCPCS file dates"),
    (known("2023-06-01", ["Z20.822"], [VISIT, ("U0004", (), "0300")], bill_type="431"),
     set(), {("6", ("line", 1))}, "HCPCS file dates"),
    (known("2023-06-01", ["Z20.822"], [VISIT, ("U0004", (), "0300")], bill_type="771",
           conditions=("65",)), set(), {("6", ("line", 1))}, "HCPCS file dates"),
    # edit 21: the I/OCE pays 71046 (Q3) alone as S; codekit does not decide the visit
    (known("2024-03-01", ["R07.9"], [ED, ("71046", (), "0320")]), {("21", ("line", 0))},
     set(), "status assigned while pricing (Q1-Q3)"),
]


@pytest.fixture(scope="module")
def known_outcomes() -> list[Outcome]:
    # one pyoce process for them all: KNOWN, then KNOWN_DIFFERENT
    return _run_or_skip([c for c, _ in KNOWN] + [c for c, *_ in KNOWN_DIFFERENT])


@pytest.mark.parametrize("i", range(len(KNOWN)))
def test_known_claims_agree(known_outcomes: list[Outcome], i: int) -> None:
    """Real-code claims (those of tests/test_ioce_rules.py) on which both editors must
    take exactly the decisions listed."""
    o, decisions = known_outcomes[i], KNOWN[i][1]
    assert o.ioce == decisions, o.claim
    assert o.codekit == decisions, o.claim


@pytest.mark.parametrize("i", range(len(KNOWN_DIFFERENT)))
def test_known_claims_differ_as_documented(known_outcomes: list[Outcome], i: int) -> None:
    """Real-code claims on which the editors differ in one documented category (CMS's
    HCPCS file's dates; edit 21 beside a Q3 code): each side takes exactly the decisions
    listed."""
    o = known_outcomes[len(KNOWN) + i]
    _, ioce, codekit, why = KNOWN_DIFFERENT[i]
    assert (o.ioce, o.codekit) == (ioce, codekit), o.claim
    assert set(o.disagreements.values()) == {why}, o.claim


#: Edit 99 (a separately payable drug on a claim without an OPPS payable procedure:
#: DRUG_WITHOUT_PAYABLE_PROCEDURE), which codekit decides only where no line of the claim
#: has a status the I/OCE's pricing steps could make payable (``NO_PAYABLE_PROCEDURE``):
#: real-code claims, the lines the I/OCE flags and those codekit flags. The last differs by
#: design: a blood product (P9016, status R) is no payable procedure to the port, but the
#: edit's CMS description counts it, and codekit leaves the claim unjudged. (On the 3,000
#: generated claims and the billing-form claims, 2026-12-07: 24 lines flagged by both, none
#: by codekit alone.)
_D99 = "2024-08-12"
KNOWN_99: list[tuple[dict[str, Any], list[int], list[int]]] = [
    (known(_D99, ["C18.9"], [("J9035", (), "0636")], units=(40,)), [0], [0]),
    (known(_D99, ["C18.9"], [("96413", (), "0335"), ("J9035", (), "0636")], units=(1, 40)),
     [], []),
    (known(_D99, ["C18.9"], [("36415", (), "0300"), ("J9035", (), "0636")], units=(1, 40)),
     [1], [1]),
    (known(_D99, ["C18.9"], [("J1100", (), "0636"), ("J9035", (), "0636")], units=(4, 40)),
     [1], [1]),
    (known(_D99, ["C18.9"], [("J9035", (), "0636")], units=(40,), opps=False), [], []),
    (known(_D99, ["D66"], [("J7192", (), "0636")], units=(1000,)), [], []),
    (known(_D99, ["C18.9"], [("J2506", (), "0636")], units=(6,)), [], []),
    (known(_D99, ["C18.9"], [("J9035", (), "0636")], units=(40,), bill_type="121"), [0], [0]),
    (known(_D99, ["C18.9"], [("J9035", (), "0636")], units=(40,), conditions=("89",)), [], []),
    (known("2026-03-02", ["C18.9"], [("J9035", (), "0636")], units=(40,)), [0], [0]),
    (known("2025-03-03", ["C18.9"], [("Q5107", (), "0636")], units=(40,)), [0], [0]),
    (known(_D99, ["C18.9"], [("P9016", (), "0390"), ("J9035", (), "0636")], units=(1, 40)),
     [1], []),
]


def test_edit_99_on_known_claims() -> None:
    """The lines pyoce flags with edit 99 and those codekit flags
    (``DRUG_WITHOUT_PAYABLE_PROCEDURE``), claim by claim."""
    for o, (_, ioce, ours) in zip(_run_or_skip([c for c, *_ in KNOWN_99]), KNOWN_99,
                                  strict=True):
        assert [i for i, ln in enumerate(o.result["lines"])
                if 99 in (ln.get("hcpcs") or [])] == ioce, o.claim
        assert [f.location[1] for f in o.report.findings
                if f.rule == "DRUG_WITHOUT_PAYABLE_PROCEDURE"] == ours, o.claim


def test_bill_type_edit_numbers_agree(known_outcomes: list[Outcome]) -> None:
    """Where both editors return a claim for its type of bill, codekit's message names the
    edit the I/OCE raised: 46 for condition code 41 on 12x and 14x to 2023-12-31 (and on
    43x in every year), 118 from 2024-01-01 (2022, 2023, 2024 and 2025 among ``KNOWN``)."""
    named = collections.Counter()
    for o in known_outcomes:
        if ("bill", ("claim",)) not in o.codekit:
            continue
        (f,) = [f for f in o.report.findings if f.rule == "BILL_TYPE_INVALID"]
        edit = int(re.search(r"I/OCE edit (\d+)", f.message).group(1))  # type: ignore[union-attr]
        assert edit in o.result["claim"], (o.claim, o.result["claim"], f.message)
        named[(o.claim["bill_type"][:2], o.claim["date_of_service"][:4], edit)] += 1
    for tob in ("12", "14"):
        assert {(y, e) for t, y, e in named if t == tob} == {
            ("2022", 46), ("2023", 46), ("2024", 118), ("2025", 118)}, named
    assert {(y, e) for t, y, e in named if t == "43"} == {
        ("2022", 46), ("2023", 46), ("2024", 46), ("2025", 46)}, named


if __name__ == "__main__":
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else N_CLAIMS
    pools = Pools(ioce_env.pools())
    outcomes = run(make_claims(pools, n))
    print(summary(outcomes))
    if n == N_CLAIMS:
        found = dict(categories(outcomes))
        print("\nthe documented categories (EXPECTED_FULL):",
              "match" if found == EXPECTED_FULL else f"DIFFER: {found}")
    # the type-of-bill claims (edits 118 and 46), in proportion
    bills = run(make_bill_claims(pools, n * N_BILL_CLAIMS // N_CLAIMS))
    print("\nthe type-of-bill claims:\n" + summary(bills))
    if n == N_CLAIMS:
        found = dict(categories(bills))
        print("\nthe documented categories (EXPECTED_BILLS_FULL):",
              "match" if found == EXPECTED_BILLS_FULL else f"DIFFER: {found}")
    # the payment-integrity review's types of bill (edit 118), in proportion
    probes = run(make_probe_claims(pools, n * N_PROBE_CLAIMS // N_CLAIMS))
    print("\nthe probe claims:\n" + summary(probes))
    if n == N_CLAIMS:
        found = dict(categories(probes))
        print("\nthe documented categories (EXPECTED_PROBES_FULL):",
              "match" if found == EXPECTED_PROBES_FULL else f"DIFFER: {found}")
    # the billing-form claims (73, 79, 100, 116, 44, 58, 53, 76, 122, 102), in proportion
    billing = run(make_billing_claims(pools, n * N_BILLING_CLAIMS // N_CLAIMS))
    print("\nthe billing-form claims:\n" + summary(billing))
    if n == N_CLAIMS:
        found = dict(categories(billing))
        print("\nthe documented categories (EXPECTED_BILLING_FULL):",
              "match" if found == EXPECTED_BILLING_FULL else f"DIFFER: {found}")
    # the path claims (edit 113 per I/OCE path), in proportion
    paths = run(make_path_claims(pools, n * N_PATH_CLAIMS // N_CLAIMS))
    print("\nthe path claims:\n" + summary(paths))
    if n == N_CLAIMS:
        found = dict(categories(paths))
        print("\nthe documented categories (EXPECTED_PATHS_FULL):",
              "match" if found == EXPECTED_PATHS_FULL else f"DIFFER: {found}")
