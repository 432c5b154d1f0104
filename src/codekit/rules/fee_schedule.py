"""The Medicare physician fee schedule's payment indicators on professional lines.

Each edit reads a line's row of a loaded CMS MPFS RVU file (``ProcedureEntry.mpfs``,
:func:`codekit.procedure.load_mpfs`): the PC/TC indicator (26 and TC), the bilateral
surgery indicator (50; RT and LT on two lines), the assistant at surgery indicator (80,
81, 82, AS), the status code (codes Medicare does not recognize, does not cover, or
never pays separately) and the global days (a surgery's package across the claim's
dates: 57, 24, 58, 78, 79). They run under a profile with the option ``pfs``
(``medicare-professional``) and are planned only for claims with a procedure the loaded
file has a row for (the feature ``proc-mpfs``): without a loaded file they are skipped,
silently, as the global days of ``EM_MINOR_PROC_NO_MOD25`` are (CMS publishes the file on
no package registry, and it holds CPT descriptors: codekit ships none); but for the
status I of the prolonged services 99417 and 99418, which codekit knows without the file
(``procedure.PROLONGED_STATUS_I``, ``PROC_MEDICARE_USES_OTHER_CODE``). A file answers for
its own calendar year only (``ProcedureStore.mpfs_for``): a line on a date no loaded file
answers for gets no MPFS answer, and an edit that would judge it lists itself in
``Report.not_run`` with the reason (``ProcedureStore.mpfs_gap``).

Sources: CMS, National Physician Fee Schedule Relative Value File, record layout (the
``RVUPUF`` document of each quarterly RVU zip: status code, PC/TC indicator, bilateral
surgery, assistant at surgery indicators); Medicare Claims Processing Manual ch.12
§20.4.3 (assistant at surgery), §40.7 (bilateral surgery), ch.13 §20.1 (the professional
component of a hospital patient's diagnostic test).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from ..findings import Hit, NotRun
from ..modifiers import POSTOPERATIVE_PROCEDURE
from ..procedure import (
    PCTC,
    PROLONGED_STATUS_I,
    MpfsIndicators,
    default_store,
    em_setting,
    is_em,
    is_em_or_eye_exam,
)
from .context import ClaimContext, LineInfo, lines_on
from .engine import rule
from .ncci_edits import by_provider

__all__ = ["MEDICARE_CODE", "RULES", "medicare_code"]

#: Places of service of a hospital patient (ch.13 §20.1: the hospital bills the technical
#: component of the patient's diagnostic test, the physician the professional one, 26).
HOSPITAL_POS = {"19": "off-campus outpatient hospital", "21": "inpatient hospital",
                "22": "on-campus outpatient hospital", "23": "emergency room, hospital"}
#: The assistant-at-surgery modifiers (80, 81, 82: a physician; AS: a PA, NP or CNS).
ASSISTANT_MODIFIERS = ("80", "81", "82", "AS")
ASSISTANT_MODIFIERS_SET = frozenset(ASSISTANT_MODIFIERS)
#: Global test only codes (PC/TC indicator 4) whose components have codes of their own:
#: global -> (the professional component only code, indicator 2; the technical component
#: only code, indicator 3), None where the part is not one code. A code is named only when
#: the loaded file gives the three the indicators 4, 2 and 3 (the ECG 93000/93010/93005,
#: the rhythm ECG 93040/93042/93041, the patient-initiated spirometric recording
#: 94014/94016/94015; the external ECG, event and blood pressure recordings, whose
#: technical part is two codes).
COMPONENT_CODES: dict[str, tuple[str | None, str | None]] = {
    "93000": ("93010", "93005"), "93040": ("93042", "93041"), "94014": ("94016", "94015"),
    "93224": ("93227", None), "93268": ("93272", None), "93784": ("93790", None),
}
#: The codes Medicare pays instead of a status-I code, by the E/M it goes with and the date
#: they start: (the code, the E/M codes, from). Prolonged services: G2212 for 99417 beside
#: 99205/99215 (CY 2021 PFS final rule), G0316-G0318 for the inpatient and observation,
#: nursing facility and home visits (CY 2023 PFS final rule).
MEDICARE_CODE: dict[str, tuple[tuple[str, frozenset[str], dt.date], ...]] = {
    "99417": (("G2212", frozenset({"99205", "99215"}), dt.date(2021, 1, 1)),
              ("G0317", frozenset({"99306", "99310"}), dt.date(2023, 1, 1)),
              ("G0318", frozenset({"99345", "99350"}), dt.date(2023, 1, 1))),
    "99418": (("G0316", frozenset({"99223", "99233", "99236"}), dt.date(2023, 1, 1)),
              ("G0317", frozenset({"99306", "99310"}), dt.date(2023, 1, 1))),
}
#: Modifiers a provider puts on a line it expects Medicare to deny: GY (statutorily
#: excluded), GA (a signed ABN), GZ (no ABN), GX (a voluntary ABN).
DENIAL_EXPECTED = frozenset({"GY", "GA", "GZ", "GX"})


def _rows(ctx: ClaimContext) -> Iterator[tuple[LineInfo, MpfsIndicators]]:
    """(line, its MPFS row) of the valid lines of a professional claim that have one."""
    if ctx.claim.is_institutional:
        return
    for ln in ctx.valid_lines:
        row = ln.entry.mpfs
        if row is not None:
            yield ln, row


def _gaps(ctx: ClaimContext,
          judged: Callable[[LineInfo], bool] | None = None) -> Iterator[NotRun]:
    """A :class:`NotRun` (once per reason) for the valid lines of a professional claim
    the edit would judge (``judged``; else every one) that are on a date no loaded MPFS
    file answers for (``ProcedureStore.mpfs_gap``: a CY 2023 file on a 2024 line); none
    when no MPFS file is loaded (the edits are skipped, as documented)."""
    store = default_store()
    if not store.mpfs or ctx.claim.is_institutional:
        return
    said: set[str] = set()
    for ln in ctx.valid_lines:
        if ln.entry.mpfs is not None or (judged is not None and not judged(ln)):
            continue
        why = store.mpfs_gap(ln.day)
        if why is not None and why not in said:
            said.add(why)
            yield NotRun(why)


@rule("MOD_26_MISSING", "E", "error",
      "Claims Processing Manual ch.13 §20.1 (professional component of a hospital "
      "patient's diagnostic test); MPFS RVU file, PC/TC indicator 1",
      when=["proc-mpfs"], options=["pfs"])
def mod_26_missing(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A diagnostic test with a professional and a technical component (MPFS PC/TC
    indicator 1: 71046, 93306...) billed without 26 or TC on a professional claim at a
    hospital place of service (19, 21, 22, 23; the line's, else the claim's): the hospital
    bills the technical component of its patient's test, the physician the interpretation
    with 26."""
    claim_pos = ctx.claim.place_of_service
    yield from _gaps(ctx, lambda ln: "26" not in ln.modifiers and "TC" not in ln.modifiers
                     and (ln.line.place_of_service or claim_pos or "").strip() in HOSPITAL_POS)
    for ln, row in _rows(ctx):
        if row.pctc != "1" or "26" in ln.modifiers or "TC" in ln.modifiers:
            continue
        pos = (ln.line.place_of_service or claim_pos or "").strip()
        where = HOSPITAL_POS.get(pos)
        if where is None:
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} has a professional and a technical "
                  f"component (MPFS PC/TC indicator 1) and is billed whole at place of "
                  f"service {pos} ({where}): the hospital bills the technical component of "
                  "its patient's test; append 26 to bill the interpretation (Claims "
                  "Processing Manual ch.13 §20.1).",
                  ("service_lines", ln.index, "modifiers"), (ln.code or "",), ("26",))


@rule("MOD_PCTC_NOT_ALLOWED", "E", "error",
      "MPFS RVU file, PC/TC indicator (26 and TC with indicator 1; 26 with 6)",
      when=["proc-mpfs", "modifiers"], options=["pfs"])
def mod_pctc_not_allowed(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """Modifier 26 or TC on a code whose MPFS PC/TC indicator does not take it: 26 goes
    with indicators 1 (a diagnostic test with both components) and 6 (a laboratory
    physician's interpretation), TC with 1 only. A professional or technical component
    only code (2, 3) is the component itself; a global test only code (4: 93000) has
    component codes of its own, named in the ``fix`` when the loaded file gives them the
    indicators 2 and 3 (93000-26: 93010). An E/M is left to ``MOD_INVALID``, which says
    26 and TC never go on one."""
    yield from _gaps(ctx, lambda ln: "26" in ln.modifiers or "TC" in ln.modifiers)
    for ln, row in _rows(ctx):
        for j, m in enumerate(ln.modifiers):
            if m not in ("26", "TC") or row.takes(m) is not False or is_em(ln.code):
                continue
            code = ln.code or ""
            ind = row.pctc or ""
            part = "professional" if m == "26" else "technical"
            fix: tuple[str, ...] = ()
            if ind == "2" or ind == "3":
                own = "professional" if ind == "2" else "technical"
                how = (f"{code} is itself a {own} component only code (MPFS PC/TC "
                       f"indicator {ind}): remove {m}" + (
                           "" if own == part else
                           f"; the {part} component of the test has a code of its own"))
            elif ind == "4":
                named = _component(code, m, ln.day)
                fix = (named,) if named else ()
                how = (f"{code} is a global test only code (MPFS PC/TC indicator 4): its "
                       f"{part} component has a code of its own" + (
                           f": bill {named} instead of {code}-{m}" if named else
                           f" (PC/TC indicator {'2' if m == '26' else '3'}): bill that "
                           f"code instead of {code}-{m}"))
            else:
                how = (f"{code} takes no {m} (MPFS PC/TC indicator {ind}: "
                       f"{PCTC.get(ind, ind)}): remove {m}")
            yield Hit(f"Line {ln.line.line}: {how}.",
                      ("service_lines", ln.index, "modifiers", j), (code, m), fix)
            break


def _component(code: str, modifier: str, day: dt.date) -> str | None:
    """The component code of global test ``code`` that ``modifier`` (26, TC) asks for,
    when :data:`COMPONENT_CODES` has one and the loaded MPFS file gives the global code
    indicator 4 and the component its own (2 for 26, 3 for TC) on ``day``."""
    pair = COMPONENT_CODES.get(code)
    if pair is None:
        return None
    named = pair[0] if modifier == "26" else pair[1]
    if named is None:
        return None
    row = default_store().mpfs_row(named, day)
    return named if row is not None and row.pctc == ("2" if modifier == "26" else "3") \
        else None


@rule("MOD_50_NOT_BILATERAL", "E", "warning",
      "Claims Processing Manual ch.12 §40.7 (bilateral surgery); MPFS RVU file, bilateral "
      "surgery indicator (50 with indicators 1 and 3)",
      when=["proc-mpfs", "mods-50"], options=["pfs"],
      supersedes=["BILATERAL_UNITS_WITH_50", "LATERALITY_MISMATCH"])
def mod_50_not_bilateral(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """Modifier 50 on a code whose MPFS bilateral surgery indicator is 0 (the bilateral
    adjustment does not apply: by anatomy or physiology, or the code names one side), 2
    (the code is priced as bilateral already: 77066, 77067) or 9 (the concept does not
    apply). Indicators 1 and 3 take 50. It replaces ``BILATERAL_UNITS_WITH_50`` and
    ``LATERALITY_MISMATCH``'s advice on the same line (50 goes, whatever the units or
    the diagnoses)."""
    yield from _gaps(ctx, lambda ln: "50" in ln.modifiers)
    for ln, row in _rows(ctx):
        ind = row.bilateral
        if "50" not in ln.modifiers or ind not in ("0", "2", "9"):
            continue
        code = ln.code or ""
        if ind == "2":
            how = (f"{code} is priced as bilateral already (MPFS bilateral surgery "
                   "indicator 2: the code covers both sides): remove 50 (for a procedure "
                   "done on one side only, bill its one-side code where CPT has one)")
        elif ind == "0":
            how = (f"the bilateral adjustment does not apply to {code} (MPFS bilateral "
                   "surgery indicator 0: by anatomy or physiology, or the code names the "
                   "side): remove 50")
        else:
            how = (f"the bilateral concept does not apply to {code} (MPFS bilateral "
                   "surgery indicator 9): remove 50")
        yield Hit(f"Line {ln.line.line}: {how}.",
                  ("service_lines", ln.index, "modifiers", ln.modifiers.index("50")),
                  (code, "50"))


@rule("MOD_BILATERAL_TWO_LINES", "E", "warning",
      "Claims Processing Manual ch.12 §40.7.B (a bilateral procedure on a single line with "
      "50); MPFS RVU file, bilateral surgery indicator 1",
      when=["proc-mpfs", "mods-side", "lines-several"], options=["pfs"])
def mod_bilateral_two_lines(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A code whose MPFS bilateral surgery indicator is 1 (the bilateral adjustment
    applies: 20610, 27447) billed on two lines of one date, one with RT and one with LT:
    Medicare takes a bilateral procedure on a single line with 50 and 1 unit. Lines with
    50, 76 or 77 (a repeat) are left alone. One finding, on the second of the two lines."""
    yield from _gaps(ctx, lambda ln: "RT" in ln.modifiers or "LT" in ln.modifiers)
    rows = {ln.index: row for ln, row in _rows(ctx) if row.bilateral == "1"}
    if not rows:
        return
    for day, lines in lines_on(ctx).items():
        right: dict[str, LineInfo] = {}
        left: dict[str, LineInfo] = {}
        for ln in lines:
            if ln.index not in rows or {"50", "76", "77"} & set(ln.modifiers):
                continue
            mods = ln.modifiers
            group = right if "RT" in mods and "LT" not in mods else \
                left if "LT" in mods and "RT" not in mods else None
            if group is not None:
                group.setdefault(ln.code or "", ln)
        for code, r in right.items():
            other = left.get(code)
            if other is None:
                continue
            first, second = sorted((r, other), key=lambda x: x.index)
            side = "LT" if second is other else "RT"
            yield Hit(f"Lines {first.line.line} and {second.line.line} bill {code} on the "
                      f"right and the left side on {day}: Medicare takes a bilateral "
                      "procedure (MPFS bilateral surgery indicator 1) on a single line with "
                      "modifier 50 and 1 unit (Claims Processing Manual ch.12 §40.7.B): "
                      f"bill {code} once with 50 instead of the two lines.",
                      ("service_lines", second.index, "modifiers",
                       second.modifiers.index(side)), (code, "RT", "LT"), ("50",))


@rule("MOD_ASSISTANT_NOT_PAID", "E", "error",
      "Claims Processing Manual ch.12 §20.4.3 (assistant at surgery); MPFS RVU file, "
      "assistant at surgery indicator 1",
      when=["proc-mpfs", "modifiers"], options=["pfs"])
def mod_assistant_not_paid(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """An assistant-at-surgery modifier (80, 81, 82, AS) on a code whose MPFS assistant at
    surgery indicator is 1 (an assistant is not paid: 20610) or 9 (the concept does not
    apply). An E/M is left to ``MOD_INVALID``."""
    yield from _gaps(ctx, lambda ln: bool(ASSISTANT_MODIFIERS_SET.intersection(ln.modifiers)))
    for ln, row in _rows(ctx):
        ind = row.assistant
        if ind not in ("1", "9"):
            continue
        j = next((j for j, m in enumerate(ln.modifiers) if m in ASSISTANT_MODIFIERS), -1)
        if j < 0 or is_em(ln.code):
            continue
        m, code = ln.modifiers[j], ln.code or ""
        why = ("Medicare does not pay an assistant at surgery for it (MPFS assistant at "
               "surgery indicator 1)" if ind == "1" else
               "the assistant-at-surgery concept does not apply to it (MPFS assistant at "
               "surgery indicator 9)")
        yield Hit(f"Line {ln.line.line}: {code} carries {m}, an assistant-at-surgery "
                  f"modifier, but {why}: the assistant's line is denied; do not bill it "
                  "(Claims Processing Manual ch.12 §20.4.3).",
                  ("service_lines", ln.index, "modifiers", j), (code, m))


@rule("PROC_MEDICARE_USES_OTHER_CODE", "D", "error",
      "MPFS RVU file, status code I (not valid for Medicare purposes: Medicare uses another "
      "code); CY 2021 PFS final rule (G2212), CY 2023 PFS final rule (G0316-G0318)",
      when=["proc-mpfs"], options=["pfs"], supersedes=["MOD_TELEHEALTH_NOT_ELIGIBLE"])
def proc_medicare_uses_other_code(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A code with MPFS status I: not valid for Medicare purposes, Medicare uses another
    code for the service (99417: G2212 beside 99205/99215; the telemedicine visits
    98000-98015 of 2025). The ``fix`` names the Medicare code where
    :data:`MEDICARE_CODE` has it for the E/M billed the same day. Replaces
    ``MOD_TELEHEALTH_NOT_ELIGIBLE`` on the same line (99417-95: the code is the mistake).
    The prolonged service codes whose status codekit knows without a file
    (:data:`codekit.procedure.PROLONGED_STATUS_I`: 99417, 99418, status I from their first
    day) are judged on a line no loaded file has a row for too: with no MPFS file loaded,
    or none for the line's date, 99215 + 99417 is told G2212 as with the file (and as
    the same 99417 billed as telehealth was told without it)."""
    yield from _gaps(ctx, lambda ln: ln.code not in PROLONGED_STATUS_I)
    if ctx.claim.is_institutional:
        return
    for ln in ctx.valid_lines:
        row = ln.entry.mpfs
        status = row.status if row is not None else \
            "I" if ln.code in PROLONGED_STATUS_I else None
        if status != "I":
            continue
        code = ln.code or ""
        other = medicare_code(ctx, ln)
        use = (f": report {other} instead" if other else
               ": report the code Medicare recognizes for the service")
        yield Hit(f"Line {ln.line.line}: {code} is not valid for Medicare (MPFS status I: "
                  f"Medicare uses another code for the service){use}.",
                  ("service_lines", ln.index, "procedure_code"), (code,),
                  (other,) if other else ())


def medicare_code(ctx: ClaimContext, ln: LineInfo) -> str | None:
    """The code :data:`MEDICARE_CODE` gives status-I line ``ln``'s code beside an E/M of
    its date, from the date that code starts."""
    for other, ems, start in MEDICARE_CODE.get(ln.code or "", ()):
        if ln.day >= start and any(o.day == ln.day and o.code in ems
                                   for o in ctx.valid_lines):
            return other
    return None


@rule("PROC_NOT_COVERED_BY_MEDICARE", "D", "warning",
      "MPFS RVU file, status code N (non-covered service); Claims Processing Manual ch.1 "
      "§60.4 and ch.30 (GY, GA, GZ, GX)",
      when=["proc-mpfs"], options=["pfs"])
def proc_not_covered_by_medicare(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A code with MPFS status N (not covered by Medicare: 99397, 92015...) on a line
    without GY, GA, GZ or GX, the modifiers of a line billed for its expected denial."""
    yield from _gaps(ctx)
    for ln, row in _rows(ctx):
        if row.status != "N" or DENIAL_EXPECTED.intersection(ln.modifiers):
            continue
        code = ln.code or ""
        yield Hit(f"Line {ln.line.line}: {code} is not covered by Medicare (MPFS status N): "
                  "the line will be denied. If it is billed for the denial, add GY (a "
                  "statutorily excluded service) or GA/GZ (with or without a signed ABN); "
                  "otherwise bill the patient or the other payer.",
                  ("service_lines", ln.index, "procedure_code"), (code,))


@rule("PROC_BUNDLED_BY_MEDICARE", "D", "info",
      "MPFS RVU file, status codes B (bundled) and P (bundled or excluded)",
      when=["proc-mpfs"], options=["pfs"])
def proc_bundled_by_medicare(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A code with MPFS status B (bundled: payment is always part of other services) or P
    (bundled or excluded: no separate payment under the fee schedule): a note that the
    line gets no payment of its own."""
    yield from _gaps(ctx)
    for ln, row in _rows(ctx):
        if row.status not in ("B", "P"):
            continue
        code = ln.code or ""
        why = ("its payment is always part of the services it goes with" if row.status == "B"
               else "bundled or excluded, no payment under the fee schedule")
        yield Hit(f"Line {ln.line.line}: Medicare makes no separate payment for {code} "
                  f"(MPFS status {row.status}: {why}).",
                  ("service_lines", ln.index, "procedure_code"), (code,))


#: The global periods of the MPFS file with postoperative days, and how many (Claims
#: Processing Manual ch.12 §40.1.A): a minor procedure (010) and a major surgery (090,
#: whose package also holds the visits of the day before it).
POSTOPERATIVE_DAYS = {"010": 10, "090": 90}
#: The global periods of a procedure the surgical package of another may hold (a surgery
#: of its postoperative period: 58, 78 or 79 says it is none of the package).
_SURGICAL_DAYS = frozenset({"000", "010", "090"})
#: Modifiers that say a visit is no part of a surgery's package, or that leave it to
#: another edit or to the payer: 24 (an unrelated E/M in the postoperative period), 57
#: (the decision for a surgery), 25 (separate from a service of its own date), FT (an
#: unrelated E/M during a global period, HCPCS Level II from 2022).
_VISIT_APART = frozenset({"24", "25", "57", "FT"})
#: Modifiers of a surgery line that split its package (54: surgical care only; 55:
#: postoperative management only) or keep the period of another surgery (78): the line
#: opens no period codekit judges.
_NO_OWN_PERIOD = frozenset({"54", "55", "78"})


@rule("GLOBAL_PERIOD_MODIFIER_MISSING", "E", "error",
      "Claims Processing Manual ch.12 §40.1.A (the global surgical package), §40.2.A "
      "(modifiers 24, 57, 58, 78, 79); MPFS RVU file, global days 010 and 090",
      when=["proc-mpfs", "dates-several"], options=["pfs"])
def global_period_modifier_missing(ctx: ClaimContext) -> Iterator[Hit | NotRun]:
    """A practitioner's service on another date of the claim inside the global surgical
    package of a procedure the loaded MPFS file gives 010 or 090 global days, by the same
    rendering provider, without the modifier that takes it out of the package: a visit of
    a setting (office, hospital, emergency department, nursing facility, home:
    :func:`codekit.procedure.em_setting`) on the day before a major surgery (090) without
    57 (the decision for the surgery); a visit in the postoperative days (10 or 90 after
    the day of the procedure) without 24 (unrelated to the surgery); a procedure with a
    global period of its own (000, 010, 090) in them without 58, 78 or 79. A visit with
    25, 57, 24 or FT is not judged; the visits and procedures of the surgery's own date are
    ``EM_MINOR_PROC_NO_MOD25``'s and the PTP edits'. A surgery line with 54, 55 or 78
    opens no period here. Without a loaded MPFS file the edit is skipped silently, as the
    other fee schedule edits are. One finding a line, naming the latest surgery whose
    period holds it."""
    if ctx.claim.is_institutional:
        return
    yield from _gaps(ctx, lambda ln: not is_em_or_eye_exam(ln.code))
    surgeries = [ln for ln in ctx.valid_lines
                 if ln.entry.global_days in POSTOPERATIVE_DAYS and not is_em_or_eye_exam(ln.code)
                 and _NO_OWN_PERIOD.isdisjoint(ln.modifiers)]
    if not surgeries:
        return
    for lines in by_provider(ctx, ctx.valid_lines):
        own = sorted((s for s in surgeries if s in lines), key=lambda s: s.day, reverse=True)
        if not own:
            continue
        for ln in lines:
            hit = _in_a_package(ln, own)
            if hit is not None:
                yield hit


#: The findings of :func:`global_period_modifier_missing`: the advice of each case.
_PREOPERATIVE = ("a major surgery (090 global days) whose global surgical package includes "
                 "the visits from the day before it, unless the visit was the decision for "
                 "the surgery (Claims Processing Manual ch.12 §40.1.A, §40.2.A.4): append 57 "
                 "if so, otherwise remove it")
_POSTOPERATIVE_VISIT = ("whose global surgical package includes the surgeon's visits of the "
                        "period (Claims Processing Manual ch.12 §40.1.A): append 24 if the "
                        "visit was unrelated to the surgery (§40.2.A), otherwise remove it")
_POSTOPERATIVE_PROCEDURE = (
    "whose global surgical package includes the surgeon's treatment of complications that "
    "need no return to the operating room (Claims Processing Manual ch.12 §40.1.A): append "
    "58 if the procedure was staged or related (planned, or more extensive), 78 if it was "
    "an unplanned return to the operating room for a complication, 79 if it was unrelated "
    "(§40.2.A); otherwise it is part of the package: remove it")


def _in_a_package(ln: LineInfo, surgeries: list[LineInfo]) -> Hit | None:
    """The finding of line ``ln`` inside the package of one of ``surgeries`` (its
    provider's lines that open a period, latest first) without its modifier; None when it
    is in none, or carries it."""
    visit = em_setting(ln.code) is not None
    if visit:
        if not _VISIT_APART.isdisjoint(ln.modifiers):
            return None
    elif is_em_or_eye_exam(ln.code) or ln.entry.global_days not in _SURGICAL_DAYS or \
            not POSTOPERATIVE_PROCEDURE.isdisjoint(ln.modifiers):
        return None
    for s in surgeries:
        if s is ln or s.day == ln.day:
            continue
        days = s.entry.global_days or ""
        after = (ln.day - s.day).days
        where = ("service_lines", ln.index, "modifiers")
        codes = (ln.code or "", s.code or "")
        head = f"Line {ln.line.line}: {ln.code} on {ln.day} is "
        if after == -1 and days == "090" and visit:
            return Hit(head + f"the day before {s.code} (line {s.line.line}, {s.day}), "
                       + _PREOPERATIVE + ".", where, codes, ("57",))
        if 0 < after <= POSTOPERATIVE_DAYS[days]:
            end = s.day + dt.timedelta(days=POSTOPERATIVE_DAYS[days])
            period = (f"in the postoperative period of {s.code} (line {s.line.line}, "
                      f"{s.day}: {days} global days, through {end}), ")
            if visit:
                return Hit(head + period + _POSTOPERATIVE_VISIT + ".", where, codes, ("24",))
            return Hit(head + period + _POSTOPERATIVE_PROCEDURE + ".", where, codes,
                       ("58", "78", "79"))
    return None


RULES = (mod_26_missing, mod_pctc_not_allowed, mod_50_not_bilateral, mod_bilateral_two_lines,
         mod_assistant_not_paid, proc_medicare_uses_other_code, proc_not_covered_by_medicare,
         proc_bundled_by_medicare, global_period_modifier_missing)
