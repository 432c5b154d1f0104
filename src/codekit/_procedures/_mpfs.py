"""Payment indicators from the CMS Medicare Physician Fee Schedule RVU file (PPRRVU).

The MPFS relative value file carries, per CPT/HCPCS code (and per payment modifier row:
26, TC, 53), the payment policy indicators its record layout documents (CMS, National
Physician Fee Schedule Relative Value File, the ``RVUPUF`` document of each quarterly RVU
zip): the status code (``STATUS CODE``), the professional/technical component indicator
(``PCTC IND``), the global surgery period (``GLOB DAYS``), the bilateral surgery
(``BILAT SURG``), assistant at surgery (``ASST SURG``), co-surgeon (``CO-SURG``) and team
surgery (``TEAM SURG``) indicators. The CSV spreads its column names over up to five
header rows (``PCTC`` above ``IND``, ``BILAT`` above ``SURG``...); the last one starts with
``HCPCS``. codekit keeps only the code, its modifier rows and these indicators of the file
the user downloads from CMS (the descriptor column holds CPT text: never kept); a plain
CSV with named columns (``code,global_days,status,pctc,bilateral,assistant...``) works
too. The claim edits use them (``docs/catalog.md``): global days tell modifier 25 (an E/M
beside a minor procedure) from 57 (the decision for a major surgery); the others judge
26/TC, 50, the assistant-at-surgery modifiers and codes Medicare does not pay as billed.

A file answers for the dates of its calendar year only (the fee schedule is set a year at
a time: G2211 has status B in the CY 2023 file and A from 2024-01-01, CY 2024 PFS final
rule): from the date its CMS name gives (:func:`dates_of_name`: ``PPRRVU23_JAN``,
``RVU24B``, ``PPRRVU2026_JAN``...) or ``effective=``, to the end of that year (or the day
before the next loaded file of the same year), or to ``through=``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from .._dates import coerce_date
from .._files import (
    FileIdentity,
    FileLimits,
    Problems,
    RowProblem,
    identify,
    norm_header,
    reread,
    rows_after_header,
)
from ..errors import InvalidArgument
from ._format import FAST_CODE

__all__ = ["ASSISTANT", "BILATERAL", "GLOBAL_DAYS", "MPFS_STATUS", "PCTC", "MpfsIndicators",
           "MpfsTable", "dates_of_name", "load_mpfs"]

#: The global surgery indicators of the MPFS, with what each means.
GLOBAL_DAYS = {
    "000": "minor procedure, no postoperative days",
    "010": "minor procedure, 10 postoperative days",
    "090": "major surgery, 90 postoperative days",
    "MMM": "maternity",
    "XXX": "global concept does not apply",
    "YYY": "global period set by the contractor",
    "ZZZ": "within the global period of another service",
}

#: The MPFS status codes (the record layout's "Status code"), in codekit's words.
MPFS_STATUS = {
    "A": "active: paid separately under the fee schedule, if covered",
    "B": "bundled: payment is always included in other services (no separate payment)",
    "C": "carrier priced: the MAC sets the payment",
    "D": "deleted code (paid during a 90-day grace period)",
    "E": "excluded from the fee schedule by regulation (paid otherwise, if covered)",
    "F": "deleted or discontinued code (no grace period)",
    "G": "not valid for Medicare purposes: Medicare uses another code (grace period)",
    "H": "deleted modifier for this code",
    "I": "not valid for Medicare purposes: Medicare uses another code",
    "J": "anesthesia service (no relative value units)",
    "L": "local code set up by the MAC",
    "M": "measurement code, for reporting only",
    "N": "not covered by Medicare",
    "P": "bundled or excluded: no separate payment under the fee schedule",
    "R": "restricted coverage: paid only in special circumstances",
    "T": "paid only when no other fee schedule service is billed the same day by the "
         "same provider",
    "X": "statutory exclusion from the fee schedule (paid under another fee schedule, "
         "if covered: laboratory, ambulance, DMEPOS)",
}

#: The PC/TC indicators, in codekit's words (which of 26 and TC a code takes).
PCTC = {
    "0": "physician service: no professional/technical split (26 and TC not used)",
    "1": "diagnostic test with a professional and a technical component (26 and TC used)",
    "2": "professional component only code (26 and TC not used)",
    "3": "technical component only code (26 and TC not used)",
    "4": "global test only code (26 and TC not used: the component codes bill the parts)",
    "5": "incident-to service (26 and TC not used)",
    "6": "laboratory physician interpretation (26 used; TC not)",
    "7": "physical or occupational therapist in private practice (26 and TC not used)",
    "8": "physician interpretation of an abnormal smear for a hospital inpatient "
         "(26 and TC not used)",
    "9": "the PC/TC concept does not apply (26 and TC not used)",
}

#: The bilateral surgery indicators (modifier 50), in codekit's words.
BILATERAL = {
    "0": "the bilateral adjustment does not apply (modifier 50 not used)",
    "1": "bilateral adjustment applies: both sides on one line with 50, 1 unit",
    "2": "already priced as bilateral (modifier 50 not used)",
    "3": "each side paid in full (radiology and other diagnostic tests)",
    "9": "the bilateral concept does not apply (modifier 50 not used)",
}

#: The assistant at surgery indicators (modifiers 80, 81, 82, AS), in codekit's words.
ASSISTANT = {
    "0": "assistant paid only with documentation of medical necessity",
    "1": "assistant at surgery not paid",
    "2": "assistant at surgery paid",
    "9": "the assistant-at-surgery concept does not apply",
}

#: The co-surgeon (62) and team surgery (66) indicators.
_SURGEONS = {"0": "not permitted", "1": "paid with documentation", "2": "permitted",
             "9": "concept does not apply"}


@attrs.frozen(slots=True)
class MpfsIndicators:
    """One code's row of the MPFS RVU file: its payment policy indicators, each as the
    file writes it (None when the file has no such column or leaves the cell blank).

    >>> MpfsIndicators(status="A", pctc="1", global_days="XXX").takes("26")
    True
    """

    #: Status code (:data:`MPFS_STATUS`): ``"A"``, ``"B"``, ``"I"``, ``"N"``, ``"X"``...
    status: str | None = None
    #: PC/TC indicator (:data:`PCTC`): ``"0"``-``"9"``.
    pctc: str | None = None
    #: Global surgery days (:data:`GLOBAL_DAYS`): ``"000"``, ``"010"``, ``"090"``, ``"XXX"``...
    global_days: str | None = None
    #: Bilateral surgery indicator (:data:`BILATERAL`): ``"0"``, ``"1"``, ``"2"``, ``"3"``, ``"9"``.
    bilateral: str | None = None
    #: Assistant at surgery indicator (:data:`ASSISTANT`): ``"0"``, ``"1"``, ``"2"``, ``"9"``.
    assistant: str | None = None
    #: Co-surgeons indicator (modifier 62): ``"0"``, ``"1"``, ``"2"``, ``"9"``.
    co_surgeons: str | None = None
    #: Team surgery indicator (modifier 66): ``"0"``, ``"1"``, ``"2"``, ``"9"``.
    team_surgery: str | None = None
    #: The payment modifiers the file prices the code with on rows of their own
    #: (``("26", "TC")`` for a diagnostic test with both components, ``("53",)``...).
    modifiers: tuple[str, ...] = ()

    def takes(self, modifier: str) -> bool | None:
        """Whether the PC/TC indicator lets the code carry ``modifier`` (``"26"`` or
        ``"TC"``): 26 on indicators 1 and 6, TC on 1 only; None when the indicator is
        unknown."""
        if self.pctc is None:
            return None
        return self.pctc in ("1", "6") if modifier == "26" else self.pctc == "1"


#: field -> (the normalised header names that find its column, the values it takes or
#: None for any); the first column whose own name, or its name joined with the header rows
#: above it, is one of them.
_FIELDS: dict[str, tuple[frozenset[str], Any]] = {
    "status": (frozenset({"statuscode", "status", "statusindicator", "mpfsstatus"}),
               MPFS_STATUS),
    "pctc": (frozenset({"pctcind", "pctc", "pctcindicator", "pcind"}), PCTC),
    "global_days": (frozenset({"globdays", "glob", "globaldays", "globalsurgery", "days"}),
                    GLOBAL_DAYS),
    "bilateral": (frozenset({"bilatsurg", "bilateral", "bilateralsurgery",
                             "bilateralindicator"}), BILATERAL),
    "assistant": (frozenset({"asstsurg", "assistant", "assistantatsurgery",
                             "assistantsurgery", "assistantindicator"}), ASSISTANT),
    "co_surgeons": (frozenset({"cosurg", "cosurgeons", "cosurgery", "cosurgeon"}),
                    _SURGEONS),
    "team_surgery": (frozenset({"teamsurg", "team", "teamsurgery"}), _SURGEONS),
}
_CODE_NAMES = ("hcpcs", "code", "hcpcscode", "cpthcpcs", "hcpcscd")
#: How many header rows a column's name may be spread over (the CMS CSV: up to five).
_HEADER_ROWS = 5


#: The fields whose values are one digit (a spreadsheet may write "1.0" or "09").
_DIGITS = frozenset({"pctc", "bilateral", "assistant", "co_surgeons", "team_surgery"})


def _digit(value: str) -> str:
    """A one-digit indicator as a spreadsheet may write it (``"1.0"``, ``"09"``) -> ``"1"``,
    ``"9"``; anything else unchanged."""
    head, dot, tail = value.partition(".")
    if head.isdigit() and (not dot or tail.strip("0") == ""):
        return str(int(head))
    return value


#: A CMS RVU file's name: ``PPRRVU`` or ``RVU``, the calendar year (two digits, or four
#: from CY 2026: ``PPRRVU2026_JAN``), then the release: a quarter letter (the zip's
#: ``RVU25A``, ``RVU21AR`` for a revised one, ``PPRRVU24_A``) or a month (``PPRRVU23_JAN``,
#: ``PPRRVU2026_Jan_nonQPP``), or none (the year's start).
_NAME = re.compile(r"(?<![A-Z])(?:PPRRVU|RVU)(20\d{2}|\d{2})(?!\d)"
                   r"(?:[_\- ]?(?:([A-D])R?(?![A-Z])|(JAN|APR|JUL|OCT)[A-Z]*))?", re.I)
#: The quarter letter or month of a CMS RVU release -> the month it takes effect.
_STARTS = {"A": 1, "JAN": 1, "B": 4, "APR": 4, "C": 7, "JUL": 7, "D": 10, "OCT": 10}
#: What a name without a year is told.
_NAMES = ("PPRRVU23_JAN, PPRRVU24_A, RVU25A, PPRRVU2026_JAN: the calendar year, then the "
          "quarter letter or month")


def dates_of_name(name: str) -> dt.date | None:
    """The first day a CMS MPFS RVU file answers for, from its name (the calendar year,
    and the quarter letter A-D or month JAN, APR, JUL, OCT of its release; no release:
    January 1), or None when the name gives no year.

    >>> dates_of_name("PPRRVU23_JAN.csv"), dates_of_name("RVU24B/PPRRVU24_APR.csv")
    (datetime.date(2023, 1, 1), datetime.date(2024, 4, 1))
    >>> dates_of_name("PPRRVU2026_Jan_nonQPP.csv"), dates_of_name("RVU25D.zip")
    (datetime.date(2026, 1, 1), datetime.date(2025, 10, 1))
    >>> dates_of_name("PPRRVU24_A.xlsx"), dates_of_name("fees.csv")
    (datetime.date(2024, 1, 1), None)
    """
    found = list(_NAME.finditer(Path(name).name))  # (a folder's name is not read)
    if not found:
        return None
    m = found[-1]
    year = int(m.group(1))
    if year < 100:
        year += 2000
    release = (m.group(2) or m.group(3) or "A").upper()
    return dt.date(year, _STARTS[release], 1)


class MpfsTable:
    """Code -> its MPFS payment indicators (and global surgery days), from one RVU file,
    for the dates from :attr:`effective` to the end of its calendar year (or
    :attr:`through`, when given)."""

    __slots__ = ("effective", "global_days", "indicators", "path", "problems", "source",
                 "through")

    def __init__(self, path: Path, global_days: dict[str, str],
                 problems: tuple[RowProblem, ...] = (),
                 indicators: dict[str, MpfsIndicators] | None = None, *,
                 effective: dt.date | None = None, through: dt.date | None = None,
                 source: FileIdentity | None = None) -> None:
        self.path = path
        #: The file's absolute path, size and sha256 of the bytes its rows were parsed
        #: from, hashed in the same read (what reading it again in a worker process
        #: checks).
        self.source = source if source is not None else identify(path)
        self.global_days = global_days
        self.problems = problems
        #: code -> its row's indicators (every code row of the file).
        self.indicators: dict[str, MpfsIndicators] = indicators if indicators is not None \
            else {c: MpfsIndicators(global_days=d) for c, d in global_days.items()}
        #: The first date the file answers for: ``effective=``, else the date of its CMS
        #: name (:func:`dates_of_name`).
        self.effective: dt.date = effective if effective is not None else \
            _dates_or_fail(path)
        #: The last date it answers for when given (``through=``); None: the end of the
        #: calendar year of :attr:`effective`, or the day before the next loaded file of
        #: that year takes effect (:meth:`ProcedureStore.mpfs_for`).
        self.through: dt.date | None = through

    def __reduce__(self) -> tuple[Any, ...]:
        # read again as it was read (row problems collected, not refused), checked
        return (reread, (load_mpfs, self.source, {
            "effective": self.effective.isoformat(),
            "through": None if self.through is None else self.through.isoformat(),
            "errors": "collect" if self.problems else "raise"}))

    def __repr__(self) -> str:
        end = self.through if self.through is not None else dt.date(self.effective.year, 12, 31)
        return (f"<MpfsTable {len(self.indicators)} codes from {self.path.name}, "
                f"{self.effective} to {end}>")

    def __len__(self) -> int:
        return len(self.indicators)


def _dates_or_fail(path: Path) -> dt.date:
    """The first date of the file at ``path`` by its name, or InvalidArgument."""
    day = dates_of_name(str(path))
    if day is None:
        raise InvalidArgument(
            f"cannot tell which calendar year the MPFS RVU file {path.name} is for: its name "
            f"is not a CMS one with a year ({_NAMES}); pass effective= (the first date it "
            "answers for, e.g. effective='2025-01-01')")
    return day


Columns = tuple[int, int, dict[str, int]]


def _header_finder() -> Callable[[list[str]], Columns | None]:
    """A ``find_columns`` for :func:`rows_after_header` that remembers the rows before the
    one it is asked about: (code, modifier or -1, field -> column) of a header row whose
    own cells name the code column and whose cells, alone or joined with the rows above
    (``PCTC`` over ``IND``), name at least one indicator column; else None."""
    above: list[list[str]] = []

    def find(cells: list[str]) -> Columns | None:
        own = [norm_header(c) for c in cells]
        code = next((i for i, n in enumerate(own) if n in _CODE_NAMES), None)
        if code is None:
            above.append(cells)
            del above[:-(_HEADER_ROWS - 1)]
            return None
        names = []
        for i, n in enumerate(own):
            joined = {n}
            words = cells[i].strip()
            for row in reversed(above):
                part = row[i].strip() if i < len(row) else ""
                if part:
                    words = f"{part} {words}"
                    joined.add(norm_header(words))
            names.append(joined)
        found = {}
        for field, (accepted, _) in _FIELDS.items():
            col = next((i for i, joined in enumerate(names)
                        if i != code and joined & accepted), None)
            if col is not None:
                found[field] = col
        if not found:
            above.append(cells)
            del above[:-(_HEADER_ROWS - 1)]
            return None
        mod = next((i for i, n in enumerate(own) if n in ("mod", "modifier")), -1)
        return code, mod, found

    return find


def load_mpfs(path: str | os.PathLike[str], *, effective: object = None,
              through: object = None, errors: str = "raise",
              limits: FileLimits | None = None) -> MpfsTable:
    """Read the payment indicators of a CMS MPFS RVU file (``PPRRVU*.csv``/``.txt``/
    ``.xlsx``, any of them gzipped) or a CSV with a ``code`` column and any of
    ``global_days``, ``status``, ``pctc``, ``bilateral``, ``assistant``, ``co_surgeons``,
    ``team``. A row with a payment modifier (26, TC, 53) gives only the modifier
    (:attr:`MpfsIndicators.modifiers`): the code's own row decides. A blank indicator is
    unknown (None); one that is not a value of the record layout is a problem. Malformed
    rows raise :class:`~codekit.errors.MalformedFile` naming the file and line, or with
    ``errors="collect"`` are listed in ``problems``. ``limits`` bounds what the file may
    cost (:class:`~codekit.FileLimits`).

    The table answers for the dates of one calendar year: from the date its CMS name gives
    (:func:`dates_of_name`: ``PPRRVU25_JAN``, ``RVU25B``, ``PPRRVU2026_JAN``...) or from
    ``effective`` (which wins), to the end of that year, or to ``through`` when given. A
    name without a year and no ``effective`` raises :class:`~codekit.InvalidArgument`, as
    does ``through`` before ``effective``."""
    p = Path(path)
    eff = coerce_date(effective, "effective") if effective is not None else _dates_or_fail(p)
    end = coerce_date(through, "through") if through is not None else None
    if end is not None and end < eff:
        raise InvalidArgument(f"through={end} is before the MPFS file's first date {eff}")
    probs = Problems(p, errors, limits)
    rows: dict[str, MpfsIndicators] = {}
    mods: dict[str, list[str]] = {}
    for line, cells, (ic, im, cols) in rows_after_header(
            p, _header_finder(), probs,
            "no header row with HCPCS and GLOB DAYS (or STATUS CODE, PCTC IND, BILAT SURG, "
            "ASST SURG) columns"):
        if max(ic, im, *cols.values()) >= len(cells):
            probs.add(line, "row shorter than the header", cells)
            continue
        code = cells[ic].strip().upper()
        mod = cells[im].strip().upper() if im >= 0 else ""
        if FAST_CODE.fullmatch(code) is None:
            probs.add(line, f"not a CPT or HCPCS code: {code!r}",
                      [code, *(cells[i] for i in cols.values())])
            continue
        if mod:
            have = mods.setdefault(code, [])
            if mod not in have:
                have.append(mod)
            continue
        values: dict[str, str] = {}
        bad = None
        for field, i in cols.items():
            value = cells[i].strip().upper()
            if not value:
                continue
            allowed = _FIELDS[field][1]
            if value not in allowed and field in _DIGITS:
                value = _digit(value)
            if value not in allowed:
                bad = (field, value, allowed)
                break
            values[field] = value
        if bad is not None:
            field, value, allowed = bad
            what = "global days" if field == "global_days" else field.replace("_", " ")
            probs.add(line, f"{code}: {what} {value!r} is not one of {', '.join(allowed)}",
                      [code, value])
            continue
        if "global_days" in cols and "global_days" not in values:
            probs.add(line, f"{code}: global days '' is not one of {', '.join(GLOBAL_DAYS)}",
                      [code, ""])
            continue
        rows[code] = MpfsIndicators(**values)  # type: ignore[arg-type]
    for code, extra in mods.items():
        row = rows.get(code)
        if row is not None:
            rows[code] = attrs.evolve(row, modifiers=tuple(extra))
    if not rows and not probs.items:
        raise probs.fail("no code rows with global days found")
    days = {c: r.global_days for c, r in rows.items() if r.global_days is not None}
    return MpfsTable(p, days, tuple(probs.items), rows, effective=eff, through=end,
                     source=probs.source)
