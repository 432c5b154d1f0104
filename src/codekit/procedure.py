"""Procedure codes of either system (CPT or HCPCS Level II), and service lines with modifiers.

:func:`parse` and :func:`validate` dispatch by the code's format; :func:`parse_line`
splits a line as people write it (``99213-25``, ``99213 25 59``, ``20610RT``) into the
code and its modifiers:

>>> from codekit import procedure
>>> procedure.parse("G0121").system, procedure.parse("0001U").category
('hcpcs', 'pla')
>>> line = procedure.parse_line("99213-25")
>>> line.code.code, line.modifiers
('99213', ('25',))
>>> procedure.validate("99220", on="2023-01-01")
Traceback (most recent call last):
...
codekit.errors.NotValidOnDate: '99220': not valid on 2023-01-01: it was deleted after 2022-12-31...
>>> procedure.system_of("JG"), procedure.system_of("J3490"), procedure.system_of("E11.9")
('modifier', 'hcpcs', None)
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import attrs

from . import _cache
from . import modifiers as _modifiers
from ._dates import coerce_date
from ._files import FileLimits
from ._json import jsonable
from ._procedures import _codes, _suggest
from ._procedures._companion import CompanionTable
from ._procedures._entries import (
    DATE_EDITS,
    CptEntry,
    DateLimit,
    HcpcsEntry,
    ModifierEntry,
    ProcedureEntry,
)
from ._procedures._facts import Resolved
from ._procedures._facts import resolve as _resolve
from ._procedures._format import (
    FAST_CODE,
    FAST_LINE,
    FAST_MODIFIER,
    Category,
    ProcedureCode,
    ProcedureLine,
    parse,
    parse_line,
)
from ._procedures._format import clean as _clean
from ._procedures._mpfs import (
    ASSISTANT,
    BILATERAL,
    GLOBAL_DAYS,
    MPFS_STATUS,
    PCTC,
    MpfsIndicators,
    MpfsTable,
    dates_of_name,
)
from ._procedures._mpfs import load_mpfs as _load_mpfs
from ._procedures._quarter import QuarterFile
from ._procedures._quarter import load_quarter as _load_quarter
from ._procedures._revenue import RevenueEntry, RevenueTable, revenue_key
from ._procedures._sections import (
    ADVANCE_CARE_PLANNING,
    AMBULANCE_MILEAGE,
    AMBULANCE_TRIPS,
    ANESTHESIA_QUALIFYING_CIRCUMSTANCES,
    ANNUAL_WELLNESS_VISIT,
    COLONOSCOPY_ANESTHESIA,
    COLORECTAL_ENDOSCOPY,
    COVID_VACCINE_ADMINISTRATION,
    COVID_VACCINES,
    CPT_AGE_LIMITS,
    CPT_VACCINE_ADMINISTRATION,
    DEFINITIVE_DRUG_TESTS,
    DMEPOS_ONE_A_SIDE,
    DMEPOS_SIDED,
    EM_RANGES,
    EM_SETTINGS,
    EM_VISIT_KINDS,
    EYE_EXAMS,
    FRACTURE_TREATMENT,
    HOME_VACCINE_ADMINISTRATION,
    LAB_PANELS,
    MAMMOGRAPHY_DIAGNOSTIC,
    MAMMOGRAPHY_SCREENING,
    MEDICARE_DEFINITIVE_DRUG_TESTS,
    PART_B_VACCINE_ADMINISTRATION,
    PART_B_VACCINES,
    PART_D_VACCINE_KINDS,
    PART_D_VACCINES,
    PREVENTIVE_VISITS,
    PROLONGED_STATUS_I,
    SCREENING_COLONOSCOPY_ANESTHESIA,
    SCREENING_TURNED_DIAGNOSTIC,
    TELEMEDICINE_VISITS,
    TELEPHONE_VISITS,
    VISIT_ADDONS,
    CptAgeLimit,
    em_setting,
    is_em,
    is_em_or_eye_exam,
    is_em_or_telemedicine,
    is_vaccine_product,
)
from ._procedures._store import ProcedureStore, default_store
from ._procedures._therapy import (
    ALWAYS_THERAPY,
    IOCE_CONDITIONAL_THERAPY,
    THERAPY_DISCIPLINES,
    THERAPY_EVALUATIONS,
    THERAPY_MODIFIERS,
    THERAPY_REVENUE,
    TherapyCode,
)
from ._procedures._therapy import always_therapy as _always_therapy
from ._ranges import CodeRanges
from .codesystem import SearchResults
from .errors import InvalidFormat, ValidationError

__all__ = [
    "ADVANCE_CARE_PLANNING",
    "ALWAYS_THERAPY",
    "AMBULANCE_MILEAGE",
    "AMBULANCE_TRIPS",
    "ANESTHESIA_QUALIFYING_CIRCUMSTANCES",
    "ANNUAL_WELLNESS_VISIT",
    "ASSISTANT",
    "BILATERAL",
    "CODE_PATTERN",
    "COLONOSCOPY_ANESTHESIA",
    "COLORECTAL_ENDOSCOPY",
    "COVID_VACCINES",
    "COVID_VACCINE_ADMINISTRATION",
    "CPT_AGE_LIMITS",
    "CPT_VACCINE_ADMINISTRATION",
    "DATE_EDITS",
    "DEFINITIVE_DRUG_TESTS",
    "DMEPOS_ONE_A_SIDE",
    "DMEPOS_SIDED",
    "EM_RANGES",
    "EM_SETTINGS",
    "EM_VISIT_KINDS",
    "EYE_EXAMS",
    "FRACTURE_TREATMENT",
    "GLOBAL_DAYS",
    "HOME_VACCINE_ADMINISTRATION",
    "IOCE_CONDITIONAL_THERAPY",
    "LAB_PANELS",
    "MAMMOGRAPHY_DIAGNOSTIC",
    "MAMMOGRAPHY_SCREENING",
    "MEDICARE_DEFINITIVE_DRUG_TESTS",
    "MODIFIER_PATTERN",
    "MPFS_STATUS",
    "PART_B_VACCINES",
    "PART_B_VACCINE_ADMINISTRATION",
    "PART_D_VACCINES",
    "PART_D_VACCINE_KINDS",
    "PCTC",
    "PREVENTIVE_VISITS",
    "PROLONGED_STATUS_I",
    "SCREENING_COLONOSCOPY_ANESTHESIA",
    "SCREENING_TURNED_DIAGNOSTIC",
    "SYSTEM",
    "TELEMEDICINE_VISITS",
    "TELEPHONE_VISITS",
    "THERAPY_DISCIPLINES",
    "THERAPY_EVALUATIONS",
    "THERAPY_MODIFIERS",
    "THERAPY_REVENUE",
    "VISIT_ADDONS",
    "Category",
    "CptAgeLimit",
    "CptEntry",
    "DateLimit",
    "HcpcsEntry",
    "LineEntry",
    "MpfsIndicators",
    "MpfsTable",
    "ProcedureCode",
    "ProcedureEntry",
    "ProcedureLine",
    "ProcedureStore",
    "QuarterFile",
    "Resolved",
    "RevenueEntry",
    "TherapyCode",
    "always_therapy",
    "compact",
    "coverage",
    "covers",
    "cs_waiver_eligible",
    "date_limit",
    "dates_of_name",
    "default_store",
    "describe",
    "em_setting",
    "format",
    "ioce_companion_flags",
    "is_em",
    "is_em_or_eye_exam",
    "is_em_or_telemedicine",
    "is_vaccine_product",
    "is_valid",
    "known_codes",
    "load_mpfs",
    "load_quarter",
    "lookup",
    "parse",
    "parse_line",
    "preload",
    "resolve",
    "revenue_code",
    "revenue_coverage",
    "search",
    "suggest",
    "system_of",
    "unload_mpfs",
    "unload_quarters",
    "validate",
    "validate_line",
]


#: The system's name among :data:`codekit.codesystem.SYSTEMS`.
SYSTEM = "procedure"

#: A well-formed, compact CPT or HCPCS Level II code, as a compiled regular expression (the
#: fast path of ``grammars/procedure.lark``; ``tests/test_procedure.py`` proves they agree).
CODE_PATTERN = FAST_CODE
#: A well-formed modifier (two letters or digits), as its fast path: the same grammar.
MODIFIER_PATTERN = FAST_MODIFIER


def compact(value: object) -> str:
    """The code upper case, without white space or a trailing modifier separator; raises
    :class:`~codekit.InvalidFormat` (``PROC_FORMAT_INVALID``) when it is not written like a
    CPT or HCPCS code.

    >>> compact(" g0121 "), compact("99213")
    ('G0121', '99213')
    """
    return _codes._parse(value, None).code


def format(value: object) -> str:
    """The code as printed (the compact form: procedure codes have no punctuation).

    >>> format(" j3490 ")
    'J3490'
    """
    return compact(value)


def search(text: str, *, on: object = None, limit: int = 10,
           store: ProcedureStore | None = None) -> SearchResults:
    """Codes of either system valid on ``on`` whose descriptors match ``text``, best
    first: HCPCS Level II always, CPT when a licensed descriptor file is loaded
    (:func:`codekit.cpt.load_descriptors`).

    >>> [h.code for h in search("unclassified drugs injection", on="2025-02-01")][:1]
    ['J3490']
    """
    s = store or default_store()
    found = _suggest.search(text, on=on, limit=limit, system="hcpcs", store=s)
    hits = list(found)
    if s.descriptors:
        hits += _suggest.search(text, on=on, limit=limit, system="cpt", store=s)
    day = coerce_date(on)
    release, note = _suggest.search_coverage(s, day, "procedure")
    return SearchResults(sorted(hits, key=lambda h: -h.score)[:limit], query=found.query,
                         on=day, release=release, note=note)


def load_mpfs(path: str | os.PathLike[str], *, effective: object = None,
              through: object = None, errors: str = "raise",
              store: ProcedureStore | None = None,
              limits: FileLimits | None = None) -> MpfsTable:
    """Load the payment indicators of a CMS Medicare Physician Fee Schedule RVU file
    (``PPRRVU*.csv``, ``.txt`` or ``.xlsx`` from the quarterly RVU zip CMS publishes), so
    that entries have :attr:`~ProcedureEntry.global_days` and :attr:`~ProcedureEntry.mpfs`
    (status code, PC/TC, bilateral surgery, assistant at surgery, co-surgeon and team
    surgery indicators: :class:`MpfsIndicators`) and the claim edits use them: 25 (a minor
    procedure) or 57 (the decision for a major surgery), 26/TC, 50, the assistant
    modifiers and the codes Medicare pays otherwise (``docs/catalog.md``). Only codes,
    their modifier rows and the indicators are kept (the file's CPT descriptors are not).
    Loading changes every answer at once (see ``docs/architecture.md``). ``limits`` bounds
    what the file may cost (:class:`~codekit.FileLimits`).

    A file answers for the dates of one calendar year (the fee schedule's): from the date
    its CMS name gives (``PPRRVU23_JAN``, ``PPRRVU24_A``, ``RVU25B``, ``PPRRVU2026_JAN``:
    the year, then the quarter letter A-D or month JAN, APR, JUL, OCT), or ``effective``
    (which wins), to the end of that year, the day before the next loaded file of that
    year, or ``through``. A name without a year and no ``effective`` raises
    :class:`~codekit.InvalidArgument`. A line on a date no loaded file answers for gets no
    MPFS answer, and the edits that need one list themselves in ``Report.not_run``,
    saying so. With files of several years loaded, each line is answered by its own
    year's."""
    table = _load_mpfs(path, effective=effective, through=through, errors=errors,
                       limits=limits)
    (store or default_store()).add_mpfs(table)
    return table


def unload_mpfs(*, store: ProcedureStore | None = None) -> None:
    """Forget every loaded MPFS file."""
    (store or default_store()).remove_mpfs()


def _open_cs_waiver() -> CodeRanges:
    from ._paths import bundled_data_dir

    return CodeRanges.open(bundled_data_dir() / "procedures" / "cs_waiver.ckt")


_CS_WAIVER = _cache.Once("procedure.cs_waiver", _open_cs_waiver, tables=True)


def _key(code: object) -> str | None:
    """``code`` compacted, or None when it is no procedure code: the look-ups by code
    answer "nothing" for such text, never raise."""
    try:
        return compact(code)
    except ValidationError:
        return None


def cs_waiver_eligible(code: object, *, on: object = None) -> bool:
    """Whether modifier CS may waive the cost sharing of ``code`` on ``on``: a COVID-19
    testing-related service eligible for the waiver, by the I/OCE's HCPCS table
    (``data/procedures/cs_waiver.ckt``; the waiver ran from 2020-03-18 to the end of the
    public health emergency, 2023-05-11). False for a malformed or unknown code.

    >>> cs_waiver_eligible("99213", on="2021-06-01"), cs_waiver_eligible("71046", on="2021-06-01")
    (True, False)
    """
    key = _key(code)
    return key is not None and _CS_WAIVER.get().on_list(key, coerce_date(on))


def _open_revenue() -> RevenueTable:
    from ._paths import bundled_data_dir

    return RevenueTable.open(bundled_data_dir() / "procedures" / "revenue.ckt")


_REVENUE = _cache.Once("procedure.revenue", _open_revenue, tables=True)


def revenue_code(code: object, *, on: object = None) -> RevenueEntry | None:
    """The revenue code ``code`` as the I/OCE's revenue code table has it in the quarter
    of ``on`` (``data/procedures/revenue.ckt``): its status indicator and flags
    (:class:`RevenueEntry`), or None when the I/OCE does not know the code then (its
    edit 41). ``code`` is four digits; as the I/OCE reads a number, ``450`` is ``0450``.
    A date outside the table (2019-07-01 to the end of its last quarter) is answered as
    of its nearest day, with ``covered`` False and a ``note`` saying so. Raises
    :class:`~codekit.InvalidFormat` (``REVENUE_CODE_INVALID``) for anything not written
    as a revenue code.

    >>> e = revenue_code("0450", on="2024-03-01")
    >>> e.code, e.status_indicator, e.requires_hcpcs, e.not_recognized, e.covered
    ('0450', 'E1', True, False, True)
    >>> revenue_code("0250", on="2024-03-01").requires_hcpcs  # packaged (N)
    False
    >>> revenue_code("0905", on="2023-12-31").not_recognized, \\
    ...     revenue_code("0905", on="2024-01-01").not_recognized
    (True, False)
    >>> revenue_code("0457", on="2024-03-01") is None  # not a code the I/OCE knows
    True
    >>> later = revenue_code("0450", on="2031-01-01")
    >>> later.covered, later.note  # doctest: +ELLIPSIS
    (False, "2031-01-01 is outside codekit's I/OCE revenue code data (2019-07-01 to ...")
    """
    day = on if type(on) is dt.date else coerce_date(on)
    memo = (code, day) if type(code) is str else None  # a claim line's code, as written
    if memo is not None:
        hit = _REVENUE_SEEN.get(memo, _UNSEEN)
        if hit is not _UNSEEN:
            return hit  # type: ignore[return-value]
    table = _REVENUE.value or _REVENUE.get()
    entry = table.entry(revenue_key(code), day)
    if memo is not None:
        _REVENUE_SEEN[memo] = entry
    return entry


_UNSEEN = object()
#: (revenue code as written, date) -> :func:`revenue_code`'s answer (None included): a
#: stream's lines repeat a few hundred codes; a code not written as one raises, unkept
_REVENUE_SEEN: dict[tuple[str, dt.date], RevenueEntry | None] = _cache.owned(
    "procedure.revenue_seen", {}, max_entries=1 << 15)


def revenue_coverage() -> tuple[dt.date, dt.date]:
    """The first and last date codekit's I/OCE revenue code table describes (other dates
    are answered as of the nearest one: :func:`revenue_code`).

    >>> revenue_coverage()
    (datetime.date(2019, 7, 1), datetime.date(2026, 6, 30))
    """
    table = _REVENUE.value or _REVENUE.get()
    return table.first, table.last


def _open_companion() -> CompanionTable:
    from ._paths import bundled_data_dir

    return CompanionTable.open(bundled_data_dir() / "procedures" / "ioce_companion.ckt")


_COMPANION = _cache.Once("procedure.ioce_companion", _open_companion, tables=True)


def ioce_companion_flags(code: object, *, on: object = None) -> frozenset[str]:
    """The I/OCE's flags of ``code`` for its "missing companion code" edits in the quarter
    of ``on`` (``data/procedures/ioce_companion.ckt``, the I/OCE's HCPCS table): among
    ``blood_service`` / ``blood_product`` (edit 43), ``device_procedure`` / ``device`` /
    ``bypass_e92_modifier`` (edit 92), ``skin_substitute_sg_lo`` / ``_sg_hi`` /
    ``_lo`` / ``_hi`` / ``skin_substitute_application_procedure`` (edit 87) and
    ``cornea_tissue_processing`` / ``cornea_transplant`` (edit 93); ``colorectal`` (edit
    120: modifier PT is accepted on the day of such a code); ``mh_not_ph`` /
    ``mh_not_iop`` (edits 80 / 132: a mental health code not approved for partial
    hospitalization / an intensive outpatient program) and ``ph_not_mh`` / ``iop_not_mh``
    (edits 81 / 133: a program code outside the program); ``bypass_e99`` (a drug edit 99
    leaves alone: clotting factors, pegfilgrastim). Empty for a code with
    none of them, or a malformed one. A date outside the I/OCE data (2019-07-01 to the end
    of its last quarter) is answered as of its nearest day (:func:`revenue_coverage`).

    >>> sorted(ioce_companion_flags("36430", on="2024-03-01"))
    ['blood_service']
    >>> sorted(ioce_companion_flags("V2785", on="2024-03-01"))
    ['cornea_tissue_processing']
    >>> sorted(ioce_companion_flags("45385", on="2024-03-01"))
    ['colorectal']
    >>> sorted(ioce_companion_flags("G0410", on="2024-03-01"))
    ['iop_not_mh', 'ph_not_mh']
    >>> ioce_companion_flags("99213", on="2024-03-01")
    frozenset()
    """
    try:
        key = compact(code)
    except ValidationError:
        return frozenset()
    table = _COMPANION.value or _COMPANION.get()
    return table.flags(key, on if type(on) is dt.date else coerce_date(on))


def coverage(*, store: ProcedureStore | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date codekit's procedure data (CPT and HCPCS codes, modifiers)
    describes: the bundled IOCE quarters, the loaded quarterly code lists, and the loaded
    CMS HCPCS files for Level II.
    Other dates are answered as of the nearest quarter, and claim reports say so.

    >>> coverage()[0]
    datetime.date(2019, 7, 1)
    """
    return _codes.coverage(store or default_store())


def preload() -> None:
    """Read the bundled procedure code and modifier tables now instead of on first use."""
    default_store().load()


def resolve(code: str, *, on: object = None) -> Resolved:
    """``code`` (as written on a claim line) resolved for ``on``: its compact code, its
    entry when it may be reported then, else the validity error :func:`validate` raises,
    and what the code may trigger (:attr:`Resolved.SEX`, ``AGE``, ``SIDED``,
    ``SCREENING``, ``MPFS``, ``THERAPY``, ``VACCINE``, ``ACP``, ``FRACTURE``, ``PREVENTIVE``,
    ``EM_OFFICE``, ``EM_FACILITY``, ``TELEMEDICINE``, ``ANESTHESIA``, ``AMBULANCE``,
    ``DATE_EDIT``, ``DRUG_TEST``, ``PERIOD``, ``QUALITY``, ``VISIT_ADDON``). Remembered
    per (code, date): a stream of claims pays a dictionary look-up a line.

    >>> r = resolve("55700", on="2024-06-01")
    >>> r.code, r.entry.sex, r.error, bool(r.bits & Resolved.SEX)
    ('55700', 'M', None, True)
    >>> resolve("99201", on="2023-01-01").error.code
    'PROC_NOT_VALID_ON_DOS'
    """
    # a claim line's date is a date already: straight to the (code, date) memo
    return _resolve(code, on if type(on) is dt.date else coerce_date(on))


def always_therapy(code: object, *, on: object = None) -> TherapyCode | None:
    """The Medicare "always therapy" row of ``code`` on ``on`` (default today): a code
    that takes a therapy discipline modifier (GN, GO, GP) whoever furnishes it, with the
    one modifier it takes when CMS made it discipline-specific (CR 10176); None for any
    other code, "sometimes therapy" codes among them. Only the codes a public source
    lists are held (``codekit._procedures._therapy``); :attr:`Resolved.THERAPY` marks
    them.

    >>> always_therapy("97165", on="2025-06-10").discipline
    'GO'
    >>> always_therapy("97597", on="2025-06-10") is None
    True
    """
    day = coerce_date(on)
    key = _key(code)
    return None if key is None else _always_therapy(key, day)


def known_codes(*, store: ProcedureStore | None = None) -> frozenset[str]:
    """Every CPT and HCPCS Level II code of the bundled quarters, compact, whatever the
    quarter it is active in (made once per bundled table; a code only a loaded CMS HCPCS
    file or quarterly code list adds is not in it). What a code set over the codes that
    exist may be enumerated over (``codekit.policies`` expands its procedure ranges so).

    >>> codes = known_codes()
    >>> "99213" in codes, "G2211" in codes, "99201" in codes, "99999" in codes
    (True, True, True, False)
    """
    return (store or default_store()).codes.known


def load_quarter(path: str | os.PathLike[str], *, effective: object = None,
                 errors: str = "raise", store: ProcedureStore | None = None,
                 limits: FileLimits | None = None) -> QuarterFile:
    """Load a quarterly CPT/HCPCS code list CMS publishes (OPPS Addendum B, or a CSV with
    ``code`` and ``status_indicator`` columns, optionally ``date_approved`` and
    ``date_terminated``) so that it answers for CPT and HCPCS validity from its quarter
    (``effective``, else from the file name) until the next bundled quarter or loaded
    list, or until a newer list when it is newer than the bundled data (past its own
    quarter, which is all it describes, as the nearest data: ``covered`` False, a note
    naming it, the claim notice ``PROCEDURE_DATE_NOT_COVERED``): the way to move CPT answers
    past the bundled quarters. Kept in memory only; CPT descriptors in the file are
    dropped. Every answer follows at once (loading data bumps the data generation).
    ``limits`` bounds what the file may cost (:class:`~codekit.FileLimits`)."""
    q = _load_quarter(path, effective=effective, errors=errors, limits=limits)
    (store or default_store()).add_quarter(q)
    return q


def unload_quarters(*, store: ProcedureStore | None = None) -> None:
    """Forget every quarterly code list loaded with :func:`load_quarter`."""
    (store or default_store()).remove_quarters()


def date_limit(code: object, *, on: object = None,
               store: ProcedureStore | None = None) -> DateLimit | None:
    """The dates between which CMS lets ``code`` be reported in the IOCE quarter of ``on``
    (default today), with the IOCE date edit that enforces them, when CMS approved or
    ended the code inside that quarter; None otherwise (validity then runs by quarter).

    >>> lim = date_limit("J0175", on="2024-07-01")
    >>> lim.rule, lim.approved, lim.violated_on(lim.approved)
    ('PROC_BEFORE_FDA_APPROVAL', datetime.date(2024, 7, 2), False)
    >>> date_limit("99213", on="2024-07-01") is None
    True
    """
    day = coerce_date(on)
    key = _key(code)
    return None if key is None else (store or default_store()).date_limit(key, day)


def covers(code: object = None, *, on: object = None,
           store: ProcedureStore | None = None) -> bool:
    """Whether the data codekit has describes ``on`` (default today): the bundled IOCE
    quarters (2019-07-01 to the end of the last one) or, for a HCPCS Level II ``code``, a
    loaded CMS HCPCS file. An answer for a date it does not cover is the nearest quarter's
    (entries say so in ``covered`` and ``note``); a code created since is unknown.

    >>> covers(on="2025-06-01"), covers(on="2018-01-01"), covers("0650U", on="2026-12-02")
    (True, False, False)
    """
    return _codes.covers_code(compact, code, on, store, "0")


def system_of(text: object) -> str | None:
    """Which kind of procedure input ``text`` is written like, by format alone:
    ``"cpt"``, ``"hcpcs"``, ``"modifier"``, ``"line"`` (a code with modifiers) or None.

    A letter and four digits (``A0021``) is also ICD-10-CM-shaped; callers that accept
    both should try the procedure tables first and fall back to ICD-10-CM.
    """
    try:
        t = _clean(text)
    except InvalidFormat:
        return None
    if FAST_CODE.fullmatch(t):
        return "cpt" if t[0].isdigit() else "hcpcs"
    if FAST_MODIFIER.fullmatch(t.lstrip("-")):
        return "modifier"
    m = FAST_LINE.fullmatch(t)
    if m and m.group(2):
        return "line"
    return None


def is_valid(code: object, *, on: object = None, store: ProcedureStore | None = None) -> bool:
    """True when ``code`` (CPT or HCPCS) may be reported on ``on``; False for anything
    else (a malformed date raises :class:`~codekit.InvalidArgument`).

    >>> is_valid("99201", on="2020-06-01"), is_valid("99201", on="2021-01-01")
    (True, False)
    """
    return _codes.is_valid(code, on=on, store=store)


def validate(code: object, *, on: object = None,
             store: ProcedureStore | None = None) -> CptEntry | HcpcsEntry:
    """The entry of a CPT or HCPCS code that may be reported on ``on``, or the most
    specific error (format, then date, then unknown: ``docs/catalog.md#precedence``).

    >>> validate("J3490", on="2025-02-01").short_description
    'Drugs unclassified injection'
    """
    return _codes.validate(code, on=on, store=store)  # type: ignore[return-value]


def lookup(code: object, *, on: object = None,
           store: ProcedureStore | None = None) -> CptEntry | HcpcsEntry:
    """Everything codekit knows about a CPT or HCPCS code as of ``on``."""
    return _codes.lookup(code, on=on, store=store)  # type: ignore[return-value]


def suggest(code: object, *, on: object = None, limit: int = 5,
            store: ProcedureStore | None = None) -> list[str]:
    """Codes of either system valid on ``on`` close to a mistyped ``code``.

    >>> suggest("99213-25", on="2025-02-01")[:1]
    ['99213']
    """
    return _suggest.suggest(code, on=on, limit=limit, store=store)


@attrs.frozen
class LineEntry:
    """A validated service line: the code's entry and each modifier's."""

    code: CptEntry | HcpcsEntry
    modifiers: tuple[ModifierEntry, ...] = ()


def validate_line(line: object, *, on: object = None,
                  store: ProcedureStore | None = None) -> LineEntry:
    """Validate a line such as ``"20610-RT"``: the code, then each modifier, on ``on``.

    Raises the first problem found (:class:`~codekit.InvalidFormat`, a date or unknown-code
    error, :class:`~codekit.InvalidModifier`).

    >>> le = validate_line("20610RT", on="2025-02-01")
    >>> le.code.code, [m.side for m in le.modifiers]
    ('20610', ['right'])
    """
    parsed = parse_line(line)
    s = store or default_store()
    day = coerce_date(on)
    entry = validate(parsed.code.code, on=day, store=s)
    mods = tuple(_modifiers.validate(m, on=day, store=s) for m in parsed.modifiers)
    return LineEntry(entry, mods)


# --------------------------------------------------------------------------------------
# describe: a JSON-ready answer for the command line


def _problem(fn: Any, value: str, day: dt.date, store: ProcedureStore) -> str | None:
    try:
        fn(value, on=day, store=store)
    except ValidationError as e:
        return str(e)
    return None


def describe(code: str, *, on: object = None,
             store: ProcedureStore | None = None) -> dict[str, Any]:
    """A JSON-ready description of a CPT/HCPCS code, a modifier or a service line on
    ``on`` (for ``codekit lookup``). Not valid on the date → ``"valid": False`` and
    ``"problem"`` says why; a code no data knows raises :class:`~codekit.UnknownCode`
    (or :class:`~codekit.InvalidModifier`); other text raises
    :class:`~codekit.InvalidFormat`. In a line, an unknown code or modifier is reported
    in its part (``"valid": False``, ``"problem"``, ``"error"``) instead.

    >>> d = describe("JG", on="2025-02-01")
    >>> d["kind"], d["valid"], d["valid_ranges"]
    ('modifier', False, [['2019-07-01', '2024-12-31']])
    >>> d["problem"]
    "'JG': not valid on 2025-02-01: it was discontinued after 2024-12-31: report TB in ..."
    >>> d = describe("99213", on="2025-02-01")
    >>> d["kind"], d["system"], d["section"], d["valid"], d["title"]
    ('procedure', 'cpt', 'Evaluation and Management', True, None)
    """
    s = store or default_store()
    day = coerce_date(on)
    kind = system_of(code)
    if kind is None:
        raise InvalidFormat(code, "not a CPT or HCPCS code, a modifier, or a code with "
                            "modifiers (e.g. 99213, G0121, 25, 99213-25)",
                            code="PROC_FORMAT_INVALID")
    if kind == "line":
        line = parse_line(code)

        def part(text: str) -> dict[str, Any]:
            try:
                return describe(text, on=day, store=s)
            except ValidationError as e:  # unknown code or modifier: report, go on
                return {"kind": "modifier" if len(text) == 2 else "procedure", "code": text,
                        "on": day.isoformat(), "valid": False, "problem": str(e),
                        "error": e.code}

        return {"kind": "line", "input": code, "on": day.isoformat(),
                "code": part(line.code.code),
                "modifiers": [part(m) for m in line.modifiers]}
    if kind == "modifier":
        m = _modifiers.lookup(code, on=day, store=s)
        d = jsonable(m)
        d.update(kind="modifier", problem=None if m.valid else
                 _problem(_modifiers.validate, code, day, s))
        d["is_anatomic"] = m.is_anatomic
        return d
    e = lookup(code, on=day, store=s)
    d = jsonable(e)
    d.update(kind="procedure", title=e.title, category_label=e.category.label,
             problem=None if e.valid else _problem(validate, code, day, s))
    return d
