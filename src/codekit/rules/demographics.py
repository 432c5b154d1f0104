"""Group C: the patient's age and sex against diagnosis and procedure limits.

Diagnosis limits come from the MCE table for the date of service (ages: the I/OCE's own
table where it differs, under the ``ioce`` option). CMS stopped the
inpatient sex edit on 2024-10-01 (the MCE sex flags end on 2024-09-30): profiles with
``sex_edits="mce"`` stop there too; the others keep the last published lists (as of
2024-09-30), because payers still edit sex. Procedure sex comes from the CPT ranges of the
male and female genital systems and maternity care (no CMS table marks CPT codes by sex);
procedure ages from the IOCE data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from .. import _cache, icd10cm, procedure
from .._show import shown
from ..findings import Hit
from ..icd10cm import LAST_SEX_LISTS, Facts, ioce_age_limit, ioce_coverage
from ..procedure import resolve
from .context import ClaimContext, DxInfo, LineInfo
from .engine import rule
from .ioce_status import ioce_not_covered, newer_than_ioce

_SEXES = {"M": "male", "F": "female"}


def dx_sex(ctx: ClaimContext, d: DxInfo) -> str | None:
    """The sex a diagnosis is limited to on the claim's date, under the profile's policy."""
    if ctx.day <= LAST_SEX_LISTS or ctx.profile.option("sex_edits", "last-lists") == "mce":
        return d.facts.sex
    return d.facts.last_listed_sex


def _sex_bypassed(ctx: ClaimContext, dx_index: int | None = None,
                  line_index: int | None = None) -> bool:
    """Condition code 45 (institutional) or modifier KX (professional) bypasses sex edits."""
    if ctx.claim.is_institutional:
        return "45" in ctx.claim.condition_codes
    for ln in ctx.lines:
        if "KX" not in ln.modifiers:
            continue
        if line_index is not None and ln.index == line_index:
            return True
        if dx_index is not None and (dx_index + 1) in ln.line.diagnosis_pointers:
            return True
    return False


def _bypass_hint(ctx: ClaimContext, what: str) -> str:
    """How to keep a correct sex-specific code: the bypass this claim type honours."""
    if ctx.claim.is_institutional:
        return "condition code 45 when it is correct"
    return f"modifier KX on {what} when it is correct"


def _judged_lines(ctx: ClaimContext) -> list[LineInfo]:
    """The lines the procedure age and sex edits judge: those whose code is valid on its
    date, and those whose code is valid in its quarter but not on the day (a date edit:
    the code's limits hold whatever the date, and the I/OCE reports both)."""
    dated = ctx.dated_lines
    if not dated:
        return ctx.valid_lines
    return sorted((*ctx.valid_lines, *dated), key=lambda ln: ln.index)


@rule("PATIENT_AGE_INVALID", "C", "error", "I/OCE edit 25; MCE invalid age", when=["patient-odd"])
def age_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """The birth date is after the date of service or after the admission date (UB-04
    FL12: a stay cannot start before the patient is born; a newborn's is admitted on the
    day of birth), or after a line's own date of service (a service on a day before the
    patient was born: at the line's date; a line of an institutional claim dated outside
    its statement period is ``LINE_DATE_OUTSIDE_PERIOD``'s), or the age is negative or
    above 124. A stay across the 125th birthday (124 on admission) is not judged: which
    age CMS gives the MCE is not published (:attr:`ClaimContext.admission_age`)."""
    claim = ctx.claim
    p = claim.patient
    born, admitted = p.birth_date, claim.admission_date
    if born is not None and born > ctx.day:
        yield Hit(f"The birth date {born} is after the date of service {ctx.day}: "
                  "correct one of them.", ("patient", "birth_date"))
        return
    if born is not None and admitted is not None and born > admitted:
        yield Hit(f"The birth date {born} is after the admission date {admitted}: a stay "
                  "starts on the day of birth at the earliest (a newborn's is admitted on "
                  "it); correct one of them.", ("patient", "birth_date"))
        return
    if born is not None:
        period = claim.statement_period if claim.is_institutional else None
        for ln in ctx.lines:
            on = ln.day
            if on < born and (period is None or period[0] <= on <= period[1]):
                code = ln.line.procedure_code
                yield Hit(f"Line {ln.line.line}{f' ({code})' if code else ''} is dated {on}, "
                          f"before the birth date {born}: a service is on or after the day of "
                          "birth; correct the line's date or the birth date.",
                          ("service_lines", ln.index, "date_of_service"),
                          (code,) if code else ())
    age = p.age_on(ctx.day)
    if age is not None and not 0 <= age <= 124:
        at_admission = p.age_on(admitted) if born is not None and admitted is not None \
            and ctx.claim.is_institutional else None
        if at_admission is not None and 0 <= at_admission <= 124:
            return  # 124 on admission, 125 at discharge: not judged (see the doc)
        where = "birth_date" if born is not None else "age"
        yield Hit(f"Age {age} on {ctx.day} is outside 0-124: correct the patient's "
                  f"{where.replace('_', ' ')}.", ("patient", where))


@rule("PATIENT_SEX_INVALID", "C", "error", "I/OCE edit 26 (invalid sex)", when=["patient-odd"])
def sex_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """The patient's sex is not M, F or U (case ignored). A word for one of them
    (``female``, ``Male``, ``unknown``: FHIR's codes) names its letter as the fix; a
    blank sex is said to be missing."""
    if ctx.sex not in ("M", "F", "U"):
        if not ctx.sex.strip():
            # an 837 patient without DMG, a row with no sex: say it is missing (a quoted
            # '' reads as a typo), and give the letter for unknown
            yield Hit("The patient's sex is missing: give M, F or U (U when it is not "
                      "known).", ("patient", "sex"))
            return
        letter = _SEX_WORDS.get(ctx.sex.strip())
        yield Hit(f"Sex {shown(ctx.claim.patient.sex)} is not M, F or U"
                  + (f": write {letter}." if letter else "."), ("patient", "sex"),
                  fix=(letter,) if letter else ())


#: Words for a sex (upper case, as the claim holds it) -> the letter claims use.
_SEX_WORDS = {"FEMALE": "F", "MALE": "M", "UNKNOWN": "U", "UNK": "U"}


@rule("DX_SEX_CONFLICT", "C", "warning",
      "MCE edit 5 (deactivated 2024-10-01); I/OCE edit 3; Claims Processing Manual ch.32 "
      "§240 (CC 45, KX)", when=["dx-sex"])
def dx_sex_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """A diagnosis limited to one sex on a patient of the other."""
    if ctx.sex not in _SEXES:
        return
    for d in ctx.valid_dx:
        limit = dx_sex(ctx, d)
        if limit is None or limit == ctx.sex or _sex_bypassed(ctx, dx_index=d.index):
            continue
        yield Hit(f"{d.facts.dotted} ({d.facts.title}) is a {_SEXES[limit]}-only diagnosis "
                  f"but the patient's sex is {ctx.sex}: check the code or the sex "
                  f"({_bypass_hint(ctx, 'a line that points to it')}).",
                  ("diagnoses", d.index),
                  (d.facts.dotted,))


@rule("DX_AGE_CONFLICT", "C", "error", "MCE edit 4; I/OCE edit 2", when=["dx-age"])
def dx_age_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """The patient's age is outside the MCE age band of a diagnosis. Under a profile with
    the option ``ioce`` (``medicare-outpatient``) an outpatient claim is judged by the
    I/OCE's own age limit where its diagnosis table differs from the MCE's on the date
    (:func:`codekit.icd10cm.ioce_age_limit`: Z02.84 and Z13.32 in 2024-Q1; their
    ``Facts.bits`` carry ``AGE_LIMIT`` on those dates, so ``dx-age`` gates both). After
    the last I/OCE quarter codekit has, a code that took effect after it (K31.B, FY2027)
    is held to the MCE band, and the notice ``IOCE_DATE_NOT_COVERED`` says so."""
    return _age_conflicts(ctx)


def _ioce_ages(ctx: ClaimContext) -> bool:
    """The claim's diagnosis ages are the I/OCE's where its table differs: an outpatient
    claim under a profile with the option ``ioce``."""
    return bool(ctx.profile.options.get("ioce")) and not ctx.claim.is_inpatient


def _age_limit(f: Facts, day: dt.date, ioce: bool
               ) -> tuple[tuple[int, int] | None, str | None, str, bool]:
    """(the age range ``DX_AGE_CONFLICT`` holds a valid diagnosis to on ``day``, its
    band's name, where it comes from, whether the I/OCE's table gave it): the MCE's, or
    with ``ioce`` (:func:`_ioce_ages`) the I/OCE's where its table differs."""
    if ioce:
        limit = ioce_age_limit(f.code, on=day)
        if limit is not None:
            rng = None if limit[:2] == (0, 124) else (limit.min_age, limit.max_age)
            return rng, limit.band, " in the I/OCE's diagnosis table", True
    return f.age_range, f.age_band, "", False


def _ioce_age_notice(ctx: ClaimContext, f: Facts, day: dt.date, from_ioce: bool,
                     index: int) -> None:
    """On a date outside the I/OCE quarters codekit has, say how the age limit of ``f``
    was answered: the I/OCE's, as of that quarter (``from_ioce``); or, for a code that took
    effect after that quarter (K31.B, FY2027), which the quarter's diagnosis table does not
    list, the MCE's of the date (the I/OCE's table gives a code the MCE's age but for
    Z02.84 and Z13.32 one quarter in 2024)."""
    first, last = ioce_coverage()
    if first <= day <= last:
        return
    if from_ioce:
        outside = ioce_not_covered(day, f"the I/OCE's age limit of {f.dotted}")
        if outside is not None:
            ctx.notice("IOCE_DATE_NOT_COVERED", outside, ("diagnoses", index))
        return
    if day < first:
        return
    took_effect = newer_than_ioce(f.code, day)
    if took_effect is not None:
        ctx.notice("IOCE_DATE_NOT_COVERED", f"{f.dotted} took effect on {took_effect}, after "
                   f"the last I/OCE quarter codekit has (to {last}): that quarter's diagnosis "
                   "table does not know it, so its age limit (I/OCE edit 2) is the MCE's of "
                   f"{day}", ("diagnoses", index))


def _admitted(ctx: ClaimContext, other: int | None) -> str:
    """", 17 on admission (2025-03-01)" where the stay crosses a birthday, else ""."""
    return "" if other is None else f" ({other} on admission, {ctx.claim.admission_date})"


def _age_conflicts(ctx: ClaimContext) -> Iterator[Hit]:
    age = ctx.age
    if age is None:
        return
    # a stay across a birthday: a conflict at both ages, or none (ClaimContext.ages);
    # read on the first conflict only (most claims have none)
    other: int | None = -1
    day = ctx.day
    ioce = _ioce_ages(ctx)
    for d in ctx.valid_dx:
        f = d.facts
        rng, band, source = f.age_range, f.age_band, ""  # (_age_limit's, without ioce)
        if ioce:
            rng, band, source, from_ioce = _age_limit(f, day, ioce)
            if from_ioce or rng is not None:
                _ioce_age_notice(ctx, f, day, from_ioce, d.index)
        if rng is None or rng[0] <= age <= rng[1]:
            continue
        if other == -1:
            other = ctx.admission_age
        if other is not None and rng[0] <= other <= rng[1]:
            continue
        if band:
            article = "an" if band[:1] in ("a", "e", "i", "o", "u") else "a"
            what = f"{article} {band} diagnosis (ages {rng[0]}-{rng[1]}{source})"
        else:
            what = f"a diagnosis for ages {rng[0]}-{rng[1]}{source}"
        yield Hit(f"{f.dotted} is {what} but the patient is {age} on {day}"
                  f"{_admitted(ctx, other)}.", ("diagnoses", d.index), (f.dotted,))


#: The first date the tabular note at Z68 is judged from: the FY2021 tabular (its January
#: 2021 update, the earliest codekit has) says 20 and older / 2-19; the first release's
#: said 21 and older / 2-20, and in which year between it changed codekit's data cannot
#: say, so earlier dates are not judged.
BMI_NOTE_FROM = dt.date(2020, 10, 1)
#: The tabular note at Z68: "BMI adult codes are for use for persons 20 years of age or
#: older", "BMI pediatric codes are for use for persons 2-19 years of age."
_BMI_ADULT = re.compile(r"\bBMI adult codes are for use for persons (\d+) years of age or "
                        r"older\b", re.I)
_BMI_PEDIATRIC = re.compile(r"\bBMI pediatric codes are for use for persons (\d+)-(\d+) "
                            r"years of age\b", re.I)
#: the facts of a Z68 code -> ("adult" or "pediatric", youngest age, oldest age or None)
#: its category's note gives it, or () (no such note, or a code of neither kind)
_BMI_AGES: dict[Facts, tuple[str, int, int | None] | tuple[()]] = _cache.owned(
    "rules.bmi_ages", {}, max_entries=1024, weigher=lambda k, v: 120)


def bmi_ages(f: Facts) -> tuple[str, int, int | None] | tuple[()]:
    """("adult" or "pediatric", the youngest age, the oldest or None) the tabular note at
    Z68 gives a body mass index code (``f``, its facts on a date), read from the note of
    that date: () for a code it names no ages for.

    >>> bmi_ages(icd10cm.facts("Z68.41", on="2025-11-03"))
    ('adult', 20, None)
    >>> bmi_ages(icd10cm.facts("Z68.54", on="2025-11-03"))
    ('pediatric', 2, 19)
    """
    found = _BMI_AGES.get(f)
    if found is None:
        found = ()
        title = f.title.lower()
        kind = "adult" if title.endswith(", adult") else \
            "pediatric" if "pediatric" in title else ""
        if f.code.startswith("Z68") and kind:
            for note in f.entry.notes:
                m = (_BMI_ADULT if kind == "adult" else _BMI_PEDIATRIC).search(note.text)
                if m is not None:
                    found = (kind, int(m.group(1)),
                             int(m.group(2)) if kind == "pediatric" else None)
                    break
        _BMI_AGES[f] = found
    return found


def _bmi_codes(age: int, day: dt.date) -> tuple[str, ...]:
    """The billable body mass index codes (dotted) valid on ``day`` whose tabular note
    holds ``age`` (:func:`bmi_ages`): the adult codes Z68.1-Z68.45 at 20 and older, the
    pediatric Z68.5- at 2-19, none under 2."""
    out: list[str] = []
    todo = list(icd10cm.lookup("Z68", on=day).children)
    while todo:
        code = todo.pop(0)
        f = icd10cm.facts(code, on=day)
        if f is None:  # a header: its codes
            todo[:0] = icd10cm.lookup(code, on=day).children
            continue
        ages = bmi_ages(f)
        if ages and ages[1] <= age and (ages[2] is None or age <= ages[2]):
            out.append(f.dotted)
    return tuple(out)


@rule("DX_BMI_AGE_CONFLICT", "C", "warning",
      "Tabular note at Z68 (BMI adult codes for persons 20 years of age or older, pediatric "
      "codes for persons 2-19); ICD-10-CM Guidelines I.A (conventions), I.C.21.c.3",
      when=["dx-age-note"])
def bmi_age_conflict(ctx: ClaimContext) -> Iterable[Hit]:
    """A body mass index code of the other age group than the patient's, as the tabular
    note at Z68 gives them (read from the note of the date: 20 and older for the adult
    codes Z68.1-Z68.45, 2-19 for the pediatric percentile codes Z68.5-): an adult code for
    a patient of 15-19 (below 15 ``DX_AGE_CONFLICT`` says it, the MCE's adult band being
    15-124: whatever age its band leaves out is left to it), a pediatric code for one of
    20 or more, or under 2. From 2020-10-01 (:data:`BMI_NOTE_FROM`). The fix: the codes of
    the patient's group valid on the date (none under 2: no BMI code is for that age). Z68
    codes carry ``Facts.AGE_NOTE``: a claim without one (the feature ``dx-age-note``) does
    not run it."""
    age = ctx.age
    day = ctx.day
    if age is None or day < BMI_NOTE_FROM:
        return ()
    hits: list[Hit] | None = None  # no generator for the claims it passes (nearly all)
    seen: set[str] = set()
    for i, f in ctx.valid_hits:
        if not f.code.startswith("Z68") or f.code in seen:
            continue
        ages = bmi_ages(f)
        if not ages:
            continue
        kind, lo, hi = ages
        if lo <= age and (hi is None or age <= hi):
            continue
        other = ctx.admission_age  # a stay across a birthday: a conflict at both ages
        if other is not None and lo <= other and (hi is None or other <= hi):
            continue
        rng = _age_limit(f, day, _ioce_ages(ctx))[0]
        if rng is not None and not rng[0] <= age <= rng[1] and (
                other is None or not rng[0] <= other <= rng[1]):
            continue  # DX_AGE_CONFLICT's
        seen.add(f.code)
        group = f"{lo} years of age or older" if hi is None else f"{lo}-{hi} years of age"
        said = (f"{f.dotted} is {'an adult' if kind == 'adult' else 'a pediatric'} body mass "
                f"index code, for persons {group} (tabular note at Z68), but the patient is "
                f"{age} on {day}{_admitted(ctx, other)}")
        fix = _bmi_codes(age, day)
        if not fix:
            todo = "no body mass index code is for that age: remove it"
        elif kind == "adult":
            todo = (f"report the pediatric percentile code ({fix[0]}-{fix[-1]}) the record "
                    "documents")
        else:
            todo = f"report the adult code ({fix[0]}-{fix[-1]}) of the BMI the record documents"
        if hits is None:
            hits = []
        hits.append(Hit(f"{said}: {todo}.", ("diagnoses", i), (f.dotted,), fix))
    return () if hits is None else hits


#: Z38 codes of an infant born in hospital (Z38.0-, Z38.3-, Z38.6-: single, twin, other
#: multiple): the birth stay is admitted on the day of birth.
_BORN_IN_HOSPITAL = ("Z380", "Z383", "Z386")
#: The newborn (perinatal) period: "before birth through the 28th day following birth"
#: (ICD-10-CM Guidelines I.C.16).
NEWBORN_DAYS = 28


@rule("DX_LIVEBORN_NOT_AT_BIRTH", "C", "warning",
      "ICD-10-CM Guidelines I.C.16.a.2; tabular note at Z38", when=["dx-liveborn"],
      supersedes=["DX_Z_FIRST_LISTED_ONLY_NOT_FIRST"])
def liveborn_not_at_birth(ctx: ClaimContext) -> Iterator[Hit]:
    """A Z38 code (liveborn infant) on a stay admitted after the day of birth: "A code from
    category Z38 is assigned only once, to a newborn at the time of birth. If a newborn is
    transferred to another institution, a code from category Z38 should not be used at the
    receiving hospital" (Guideline I.C.16.a.2); the tabular's note at Z38: "for use as the
    principal code on the initial record of a newborn baby ... for the initial birth record
    only". Born in hospital (Z38.0-, Z38.3-, Z38.6-), the birth stay is admitted on the day
    of birth: an admission two days or more after it is a readmission or a transfer (one
    day after is left alone: an admission recorded past midnight). Born outside a hospital
    or in an unspecified place, the first admission may follow the birth by some days:
    only an admission after the newborn period (28 days) is judged. Needs the claim's
    admission date and the patient's birth date; not when the patient is not aged 0 on the
    date of service (``DX_AGE_CONFLICT`` says it: the newborn band). It replaces
    ``DX_Z_FIRST_LISTED_ONLY_NOT_FIRST`` on the same code (it is to be removed, not moved
    first)."""
    admitted, born = ctx.claim.admission_date, ctx.claim.patient.birth_date
    if admitted is None or born is None or ctx.age != 0:
        return
    days = (admitted - born).days
    if days < 2:
        return
    seen: set[str] = set()
    for i, f in ctx.valid_hits:
        code = f.code
        if not code.startswith("Z38") or code in seen:
            continue
        seen.add(code)
        in_hospital = code.startswith(_BORN_IN_HOSPITAL)
        if not in_hospital and days <= NEWBORN_DAYS:
            continue
        when = (f"{days} days after the birth ({born})" if in_hospital else
                f"{days} days after the birth ({born}), past the newborn period")
        yield Hit(f"{f.dotted} (liveborn infant) is for the birth stay only, but this stay "
                  f"was admitted on {admitted}, {when}: a Z38 code is assigned once, at the "
                  "time of birth, never on a readmission nor at the hospital a newborn is "
                  "transferred to; remove it and list the reason for this admission first "
                  "(Guideline I.C.16.a.2).", ("diagnoses", i), (f.dotted,))


#: The health examinations of an infant the classification tells apart by age in days
#: (compact code or prefix -> (first day of life, last day or None), whose words): Z00.110
#: "under 8 days old", Z00.111 "8 to 28 days old" (their titles), Z00.12- (routine child
#: health examination) from 29 days: its Excludes1 note "health check for child under 29
#: days old (Z00.11-)", and Z00.11's "health check for child over 28 days old (Z00.12-)".
EXAM_DAYS: dict[str, tuple[int, int | None, str]] = {
    "Z00110": (0, 7, "a newborn under 8 days old"),
    "Z00111": (8, 28, "a newborn 8 to 28 days old"),
    "Z0012": (29, None, "a child over 28 days old"),
}


def _exam_codes(days: int) -> tuple[str, ...]:
    """The health examination codes (dotted) of an infant ``days`` old."""
    return ("Z00.110",) if days <= 7 else ("Z00.111",) if days <= 28 else \
        ("Z00.129", "Z00.121")


def _claim_span(ctx: ClaimContext) -> tuple[dt.date, dt.date]:
    """The claim's first and last days: its admission date or statement period, its date
    of service, its lines' dates."""
    claim = ctx.claim
    first = last = ctx.day
    if claim.admission_date is not None:
        first = min(first, claim.admission_date)
    if claim.statement_period is not None:
        first = min(first, claim.statement_period[0])
        last = max(last, claim.statement_period[1])
    for ln in ctx.lines:
        first, last = min(first, ln.day), max(last, ln.day)
    return first, last


@rule("DX_AGE_DAYS_CONFLICT", "C", "warning",
      "ICD-10-CM tabular: titles of Z00.110, Z00.111; Excludes1 notes at Z00.11, Z00.12",
      when=["dx-age-days"])
def age_days_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """A newborn or child health examination code of another age in days than the
    patient's (:data:`EXAM_DAYS`): Z00.110 (a newborn under 8 days old) at 47 days, Z00.111
    (8 to 28 days old) at 2 days, Z00.12- (routine child health examination; its
    Excludes1: "health check for child under 29 days old (Z00.11-)") at 5 days. The MCE's
    bands are whole years (newborn 0, pediatric 0-17), which leave these out. Needs the
    patient's birth date (an age in years says nothing of days); a claim over several
    days is judged on each (a conflict on every one of them). At ages of 1 and more the
    codes are ``DX_AGE_CONFLICT``'s (newborn band). One finding per code, at it; fix the
    code of the patient's age in days on the date of service (Z00.129 or Z00.121 from 29
    days: without or with abnormal findings)."""
    born = ctx.claim.patient.birth_date
    if born is None or ctx.age != 0:
        return
    first, last = _claim_span(ctx)
    lo_days, hi_days = (first - born).days, (last - born).days
    seen: set[str] = set()
    for i, f in ctx.valid_hits:
        code = f.code
        if not code.startswith("Z001") or code in seen:
            continue
        seen.add(code)
        limit = EXAM_DAYS.get(code) or EXAM_DAYS.get(code[:5])
        if limit is None:
            continue
        lo, hi, words = limit
        if hi_days >= lo and (hi is None or lo_days <= hi):
            continue
        days = (ctx.day - born).days
        fix = _exam_codes(days)
        yield Hit(f"{f.dotted} ({f.title}) is for {words}, but the patient is "
                  f"{days} days old on {ctx.day} (born {born}): report "
                  f"{' or '.join(fix)}"
                  + (" (without or with abnormal findings)" if len(fix) > 1 else "")
                  + ", the examination code of that age.", ("diagnoses", i), (f.dotted,),
                  fix)


@rule("PROC_SEX_CONFLICT", "C", "warning",
      "I/OCE edit 8; CPT male/female genital system and maternity ranges",
      when=["proc-sex"])
def proc_sex_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """A sex-specific procedure on a patient of the other sex."""
    if ctx.sex not in _SEXES:
        return
    for ln in _judged_lines(ctx):
        limit = ln.facts.sex
        if limit is None or limit == ctx.sex or _sex_bypassed(ctx, line_index=ln.index):
            continue
        yield Hit(f"Line {ln.line.line}: {ln.code} is a {_SEXES[limit]}-only procedure but "
                  f"the patient's sex is {ctx.sex}: check the code or the sex "
                  f"({_bypass_hint(ctx, 'the line')}).",
                  ("service_lines", ln.index, "procedure_code"),
                  (ln.code or "",))


@rule("PROC_AGE_CONFLICT", "C", "error", "I/OCE edit 7 (procedure age conflict)",
      when=["proc-age"])
def proc_age_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """The patient's age is outside the age range of a procedure (IOCE data), on the
    line's own date of service. A code told apart from others of its kind by age alone
    (:data:`AGE_BANDS`) is told the one for the patient's age (the fix); a maternity
    service (the I/OCE's maternity ages, :data:`MATERNITY`: 59400, 76805, 80055) has none
    for other ages, and is told to check the code and the birth date; any other, to use
    the code of its kind for the patient's age where there is one (91314 and 91313,
    36555 and 36556 differ by age; 99460 has none), else to check them."""
    age = ctx.age
    if age is None:
        return
    patient = ctx.claim.patient
    for ln in _judged_lines(ctx):
        lo = getattr(ln.facts, "min_age", None)
        hi = getattr(ln.facts, "max_age", None)
        if lo is None and hi is None:
            continue
        on_day = age if ln.day == ctx.day else patient.age_on(ln.day)
        if on_day is None or not 0 <= on_day <= 124:
            continue
        if (lo is None or on_day >= lo) and (hi is None or on_day <= hi):
            continue
        # a line without its own date on a stay across a birthday: a conflict at both ages
        admitted = _undated_admission_age(ctx, ln)
        if admitted is not None and (lo is None or admitted >= lo) and (
                hi is None or admitted <= hi):
            continue
        other = _age_band_code(ln, on_day)
        yield Hit(f"Line {ln.line.line}: {ln.code} is for ages {lo if lo is not None else 0}-"
                  f"{hi if hi is not None else 124} but the patient is {on_day} on {ln.day}"
                  f"{_admitted(ctx, admitted)}: "
                  + (f"use {other[0]}, the code of its kind for ages {other[1]}."
                     if other else "a maternity service has no code for other ages: "
                     "check the code and the patient's birth date." if (lo, hi) == MATERNITY
                     else "use the code of its kind for the patient's age where there is "
                     "one; otherwise check the code and the patient's birth date."),
                  ("service_lines", ln.index, "procedure_code"), (ln.code or "",),
                  (other[0],) if other else ())


def _undated_admission_age(ctx: ClaimContext, ln: LineInfo) -> int | None:
    """:attr:`ClaimContext.admission_age` for a line without its own date of service (on
    a stay, done on a day between the admission and the discharge), else None."""
    return ctx.admission_age if ln.line.date_of_service is None else None


#: Codes told apart by the patient's age alone, each family one kind of service: the
#: preventive medicine visits of a new patient (99381-99387) and of an established one
#: (99391-99397), in the age bands of the IOCE's age limits.
AGE_BANDS = (("99381", "99387"), ("99391", "99397"))


#: The ages the I/OCE gives maternity services (obstetric care 59000-59899, obstetric
#: ultrasound and anesthesia, prenatal tests): no code of another age does what they do.
MATERNITY = (9, 64)


def _age_band_code(ln: LineInfo, age: int) -> tuple[str, str] | None:
    """(the code of ``ln``'s family (:data:`AGE_BANDS`) whose IOCE age limits hold
    ``age`` on the line's date, its ages as ``40-64``), or None (no family, or no code of
    it valid then for that age)."""
    code = ln.code
    family = next(((lo, hi) for lo, hi in AGE_BANDS
                   if code is not None and lo <= code <= hi and len(code) == 5), None)
    if family is None:
        return None
    for n in range(int(family[0]), int(family[1]) + 1):
        entry = resolve(str(n), on=ln.day).entry
        if entry is None or str(n) == code:
            continue
        lo, hi = entry.min_age, entry.max_age
        if (lo is None or age >= lo) and (hi is None or age <= hi):
            ages = (f"{lo} and over" if hi is None else "under 1" if not lo and hi == 0
                    else f"{lo or 0}-{hi}")
            return str(n), ages
    return None


#: CPT codes whose descriptors limit the patient's age where the IOCE gives no age, or
#: only whole years (``procedure.CPT_AGE_LIMITS``: 90460, 90461, 90696, 99100; in days of life
#: 99468, 99469, 99471, 99472).
CPT_AGE_LIMITS = procedure.CPT_AGE_LIMITS


@rule("PROC_AGE_CPT_CONFLICT", "C", "warning",
      "CPT descriptors of 90460/90461 (through age 18), 90696 (ages 4-6), 99100 (under 1 "
      "year or over 70), "
      "99468/99469 (through day 28 of life) and 99471/99472 (from day 29); CPT Appendix D "
      "(99100 is an add-on)", when=["proc-age"])
def proc_age_cpt_conflict(ctx: ClaimContext) -> Iterator[Hit]:
    """The patient's age is outside the ages a CPT code's own descriptor names, where the
    IOCE's procedure table sets no age or only whole years (``procedure.CPT_AGE_LIMITS``):
    90460 or 90461 on a patient of 19 or more (fix 90471 / 90472), 90696 outside ages 4-6
    (check the vaccine and the birth date), 99100 on a patient aged 1-69 (remove the
    line); with the patient's birth date, the neonatal critical care codes 99468 and 99469
    after the 28th day of life (fix 99471 / 99472) and the pediatric ones 99471 and 99472
    before the 29th (fix 99468 / 99469), where the I/OCE's ages (0-0, 0-2) hold. On the
    line's own date of service."""
    age = ctx.age
    if age is None:
        return
    patient = ctx.claim.patient
    for ln in ctx.valid_lines:
        limit = CPT_AGE_LIMITS.get(ln.code or "")
        if limit is None:
            continue
        on_day = age if ln.day == ctx.day else patient.age_on(ln.day)
        if on_day is None or not 0 <= on_day <= 124:
            continue
        if limit.allows(on_day):
            if limit.days is not None:
                hit = _days_conflict(ctx, ln, limit, on_day)
                if hit is not None:
                    yield hit
            continue
        admitted = _undated_admission_age(ctx, ln)  # a conflict at both ages, or none
        if admitted is not None and limit.allows(admitted):
            continue
        todo = (f"report {' or '.join(limit.instead)} instead" if limit.instead else
                "check the vaccine given and the patient's birth date (no code of another "
                "age stands for this product)" if procedure.is_vaccine_product(ln.code)
                else "remove the line")
        yield Hit(f"Line {ln.line.line}: {ln.code} is limited by age ({limit.source}) but "
                  f"the patient is {on_day} on {ln.day}{_admitted(ctx, admitted)}: {todo}.",
                  ("service_lines", ln.index, "procedure_code"), (ln.code or "",),
                  limit.instead)


def _days_conflict(ctx: ClaimContext, ln: LineInfo, limit: procedure.CptAgeLimit,
                   years: int) -> Hit | None:
    """The finding of a line whose code is limited to days of life (``limit.days``: the
    neonatal and pediatric critical care codes) on a patient of another age in days on
    the line's date, or None: none without a birth date, none when the I/OCE's whole years
    already rule the line out (``PROC_AGE_CONFLICT`` says it), and for a line without its
    own date on a stay, only a conflict on the admission day too."""
    born = ctx.claim.patient.birth_date
    if born is None:
        return None
    facts = ln.facts
    lo, hi = getattr(facts, "min_age", None), getattr(facts, "max_age", None)
    if (lo is not None and years < lo) or (hi is not None and years > hi):
        return None
    days = (ln.day - born).days
    if limit.allows_days(days):
        return None
    admitted = ctx.claim.admission_date
    if ln.line.date_of_service is None and admitted is not None and \
            limit.allows_days((admitted - born).days):
        return None
    return Hit(f"Line {ln.line.line}: {ln.code} is limited by age ({limit.source}) but the "
               f"patient is {days} days old on {ln.day} (born {born}): report "
               f"{' or '.join(limit.instead)} instead.",
               ("service_lines", ln.index, "procedure_code"), (ln.code or "",),
               limit.instead)


RULES = (age_invalid, sex_invalid, dx_sex_conflict, dx_age_conflict, bmi_age_conflict,
         liveborn_not_at_birth, age_days_conflict, proc_sex_conflict, proc_age_conflict,
         proc_age_cpt_conflict)
