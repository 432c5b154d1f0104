"""Group B: ICD-10-CM conventions from the tabular notes and the MCE/IOCE lists.

Only diagnoses that passed the validity edits are considered (``docs/catalog.md#precedence``,
rule 2).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .. import _cache, icd10cm
from ..claims import bill_class
from ..errors import InvalidFormat, NoteParseError
from ..findings import Hit
from ..icd10cm.guidelines import adverse_effect, edition, underlies_severe_sepsis
from .context import ClaimContext, DxInfo
from .engine import rule
from .ioce_status import ioce_not_covered, ioce_principal_list, newer_than_ioce


@functools.lru_cache(maxsize=4096)
def _origin(where: str) -> str:
    """Where a note was found, as a coder writes it: a code dotted (M54.5), a block
    (M50-M54) as it is (remembered: a claim stream names the same few origins)."""
    try:
        return icd10cm.format(where)
    except InvalidFormat:
        return where


_cache.owned("rules.note_origins", _origin)


def _dotted(d: DxInfo) -> str:
    return d.facts.dotted


def is_substance(code: str) -> bool:
    """A poisoning, adverse effect, underdosing or toxic effect code (T36-T65).

    Their Excludes1 notes naming one another say where a substance is classified
    (T36 "antineoplastic antibiotics (T45.1-)", T41 "opioids (T40.0-T40.2-)"), not that
    the two cannot be coded together: when two or more substances are involved each is
    coded (Guideline I.C.19.e.5.b), so such a pair is no conflict."""
    return code[:1] == "T" and "T36" <= code[:3] <= "T65"


#: A qualifier written after the parentheses of the codes it restricts: "underdosing of
#: medication (T36-T50) with fifth or sixth character 6" (Z91.12-, Z91.13-, Z91.A2-,
#: Z91.A3-). Tables built before the note reader attached it hold the references without
#: it (every T36-T50 code), so a note whose text has one is read again here.
_TRAILING_QUALIFIER = re.compile(r"\)\s*,?\s*with\s+(?:fourth|fifth|sixth|seventh|final|[4-7]th)\b")


@functools.lru_cache(maxsize=256)
def _qualified_refs(text: str) -> tuple[icd10cm.notes.CodeRef, ...] | None:
    """The references of a note with a trailing qualifier (None for any other note)."""
    if not _TRAILING_QUALIFIER.search(text):
        return None
    try:
        return icd10cm.notes.parse_refs(text)
    except NoteParseError:
        return None


_cache.owned("rules.qualified_notes", _qualified_refs)


def _code_first(facts: icd10cm.Facts, code: str) -> tuple[str, str] | None:
    """``facts.code_first_note(code)``, the note's trailing qualifier honoured."""
    note = facts.code_first_note(code)
    if note is not None:
        refs = _qualified_refs(note[0])
        if refs is not None and not any(r.matches(code) for r in refs):
            return None
    return note


def _notes_caveat(facts: icd10cm.Facts) -> str:
    """" (Note from the FY2026 tabular: ...)" when the note is another year's."""
    caveat = facts.notes_caveat
    return f" (Note from the {caveat[len('notes of the '):]})" if caveat else ""


#: A pattern of use of a psychoactive substance (F10-F19, the 4th character) -> its rank in
#: Guideline I.C.5.b.2's hierarchy (use < abuse < dependence) and its name.
_PATTERNS = {"9": (0, "use"), "1": (1, "abuse"), "2": (2, "dependence")}


def _keeper(x: str, y: str) -> tuple[str, str] | None:
    """Of two codes (compact) an Excludes1 note pairs, (the one a guideline keeps, what
    the guideline says) where one does: the higher pattern of use of one substance
    (F10.10 beside F10.20: F10.20, I.C.5.b.2); B20 beside Z21 (I.C.1.a.2.d) or R75
    (I.C.1.a.2.e). None for any other pair.

    >>> _keeper("F1010", "F1020")[0], _keeper("R75", "B20")[0], _keeper("J449", "J42")
    ('F1020', 'B20', None)
    """
    if x[:2] == y[:2] == "F1" and x[:3] == y[:3] and x[:3] != "F17":
        a, b = _PATTERNS.get(x[3:4]), _PATTERNS.get(y[3:4])
        if a is None or b is None or a[0] == b[0]:
            return None
        (low, _), (high, keep) = sorted(((a, x), (b, y)))
        return keep, (f"when {low[1]} and {high[1]} of one substance are documented, only "
                      f"the code for {high[1]} is assigned (Guideline I.C.5.b.2)")
    if {x, y} == {"B20", "Z21"}:
        return "B20", ("Z21 (asymptomatic HIV infection status) is not used for a patient "
                       "with HIV disease, who is coded B20 (Guideline I.C.1.a.2.d)")
    if {x, y} == {"B20", "R75"}:
        return "B20", ("R75 is for inconclusive HIV serology with no definitive diagnosis, "
                       "and B20 is one (Guideline I.C.1.a.2.e)")
    return None


@rule("DX_EXCLUDES1_CONFLICT", "B", "warning",
      "ICD-10-CM Guidelines I.A.12.a; tabular Excludes1 notes", when=["dx-several"])
def excludes1(ctx: ClaimContext) -> Iterator[Hit]:
    """Two diagnoses where an Excludes1 note on one (or above it) names the other."""
    # (position, facts) of the valid diagnoses, read from the context's facts: no DxInfo
    # is made for a claim whose diagnoses no note pairs (the usual case)
    valid = ctx.valid_hits
    if len(valid) < 2:
        return
    reported: set[frozenset[str]] = set()
    here = ctx.valid_categories  # the claim's categories, as bits
    for xi, x in valid:
        # most notes name none of the claim's categories: one AND says so (-1 until the
        # code's notes are read)
        if not x.excludes1_mask & here:
            continue
        notes = x.excludes1_index
        named = notes.mask & here  # the claim's categories the notes may name
        if not named or (named == x.category_bit and not ctx.repeated_categories & named):
            continue  # none, or only x's own category and x is the claim's only one of it
        lookup, xcode = notes.note, x.code
        xdrug = is_substance(xcode)
        for yi, y in valid:
            ycode = y.code
            if ycode == xcode or not named & y.category_bit:
                continue
            if xdrug and is_substance(ycode):
                continue  # two substances, each coded (see is_substance)
            note = lookup(ycode)
            if note is None:
                continue
            text, origin = note
            pair = frozenset((xcode, ycode))
            if pair in reported:
                continue
            reported.add(pair)
            xd, yd = x.dotted, y.dotted
            where = f" (at {_origin(origin)})" if origin and origin != xcode else ""
            said = (f"{xd} and {yd} should not be reported together: the Excludes1 note "
                    f"of {xd}{where} says '{text}'.")
            keeper = _keeper(xcode, ycode) if xcode[:1] in "BFRZ" else None
            if keeper is not None:  # a guideline names the code to keep: remove the other
                keep, why = keeper
                kept, gone = (x, yi) if keep == xcode else (y, xi)
                drop = yd if kept is x else xd
                yield Hit(f"{said} {why[:1].upper()}{why[1:]}: remove {drop}."
                          f"{_notes_caveat(x)}", ("diagnoses", gone), (xd, yd),
                          (kept.dotted,))
                continue
            yield Hit(
                f"{said} Keep the one that "
                "fits the patient, unless the conditions are unrelated (Guideline "
                f"I.A.12.a exception).{_notes_caveat(x)}",
                ("diagnoses", max(xi, yi)), (xd, yd))


@rule("DX_MANIFESTATION_FIRST_LISTED", "B", "error",
      "ICD-10-CM Guidelines I.A.13; MCE edit 6", when=["manifestation"],
      supersedes=["DX_CODE_FIRST_ORDER", "DX_ETIOLOGY_MISSING"])
def manifestation_first(ctx: ClaimContext) -> Iterator[Hit]:
    """A manifestation code ("in diseases classified elsewhere", or on the MCE list) is
    the principal/first-listed diagnosis. It replaces the code-first and etiology findings
    on that code: listing the etiology first fixes all three."""
    if ctx.dx and ctx.dx[0].valid and ctx.dx[0].facts.manifestation:
        d = ctx.dx[0]
        etiology = ""
        fix: tuple[str, ...] = ()
        if d.facts.has_code_first:
            for y in ctx.valid_dx[1:]:
                if y.code != d.code and _code_first(d.facts, y.code) is not None:  # type: ignore[arg-type]
                    etiology, fix = f" ({_dotted(y)} here)", (_dotted(y),)
                    break
        yield Hit(f"{_dotted(d)} ({d.facts.title}) is a manifestation code and may never be "
                  f"first-listed: sequence the underlying condition{etiology} first.",
                  ("diagnoses", 0), (_dotted(d),), fix)


@rule("DX_CODE_FIRST_ORDER", "B", "warning", "ICD-10-CM Guidelines I.A.13 (code first)",
      when=["dx-several"])
def code_first(ctx: ClaimContext) -> Iterator[Hit]:
    """A code with a "Code first" note is listed before the code the note names."""
    valid = ctx.valid_hits  # no DxInfo is made (see excludes1)
    here = ctx.valid_categories
    for xi, x in valid:
        # no "Code first" note, or none naming the claim's categories (see excludes1)
        if not x.code_first_mask & here:
            continue
        named = x.code_first_index.mask & here
        if not named:
            continue
        for yi, y in valid:
            if yi <= xi or y.code == x.code or not named & y.category_bit:
                continue
            note = _code_first(x, y.code)
            if note is not None:
                xd, yd = x.dotted, y.dotted
                yield Hit(f"{yd} should be listed before {xd}: "
                          f"{xd} says 'Code first {note[0]}'.{_notes_caveat(x)}",
                          ("diagnoses", xi), (xd, yd), (yd,))
                break


#: severe sepsis, R65.2- (its facts' bit)
_SEVERE_SEPSIS = icd10cm.Facts.SEVERE_SEPSIS


@rule("DX_ETIOLOGY_MISSING", "B", "warning", "ICD-10-CM Guidelines I.A.13, I.C.1.d.1.b",
      when=["dx-etiology"])
def etiology_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A manifestation code with no other (non-Z, non-external-cause) diagnosis; severe
    sepsis (R65.2-) with no code of an underlying systemic infection (A41.9, T81.44XA...:
    Guideline I.C.1.d.1.b, "a minimum of 2 codes: first a code for the underlying systemic
    infection, followed by a code from subcategory R65.2")."""
    valid = ctx.valid_dx
    seen: set[str] = set()  # severe sepsis written twice is judged once
    for x in valid:
        facts = x.facts
        if not facts.manifestation:
            if facts.bits & _SEVERE_SEPSIS and (code := facts.code) not in seen:  # R65.2-
                seen.add(code)
                if not any(underlies_severe_sepsis(y.code) for y in valid):  # type: ignore[arg-type]
                    yield Hit(f"{_dotted(x)} is severe sepsis but the claim has no code of its "
                              "underlying systemic infection: code the infection first (A41.9 "
                              "when the causal organism is not documented), then "
                              f"{_dotted(x)} (Guideline I.C.1.d.1.b{edition(ctx.day)}).",
                              ("diagnoses", x.index), (_dotted(x),))
            continue
        others = [y for y in valid if y is not x and not y.facts.manifestation
                  and y.code[0] != "Z" and not y.facts.external_cause]  # type: ignore[index]
        if not others:
            yield Hit(f"{_dotted(x)} is a manifestation code but the claim has no underlying "
                      "condition: add the etiology code (see its 'Code first' note).",
                      ("diagnoses", x.index), (_dotted(x),))


@rule("DX_EXTERNAL_CAUSE_FIRST_LISTED", "B", "error",
      "ICD-10-CM Guidelines I.C.20; MCE edit 2; I/OCE edit 5", when=["external-first"],
      supersedes=["DX_CODE_FIRST_ORDER"])
def external_cause_first(ctx: ClaimContext) -> Iterator[Hit]:
    """An external-cause code (V00-Y99) is the principal/first-listed diagnosis. It
    replaces the code-first finding on that code and names the code its "Code first"
    note asks for when the claim has it (Y90.8 before F10.129: one mistake, listing
    F10.129 first fixes both)."""
    if ctx.dx and ctx.dx[0].valid and ctx.dx[0].facts.external_cause:
        d = ctx.dx[0]
        # a "Code first" note naming a category of the claim (Y90's F10): the masks first,
        # no diagnosis of the claim made into a DxInfo for the many that have none
        first, fix = _code_first_here(ctx, d) if len(ctx.dx) > 1 and \
            d.facts.code_first_mask & ctx.valid_categories else ("", ())
        yield Hit(f"{_dotted(d)} is an external-cause code and can never be first-listed: "
                  f"list the injury or condition{first} first.", ("diagnoses", 0),
                  (_dotted(d),), fix)


#: Encounters for radiation therapy (Z51.0), chemotherapy (Z51.11) and immunotherapy
#: (Z51.12): first-listed only, but when one encounter gives more than one "more than one
#: of these codes may be assigned, in any sequence" (Guideline I.C.2.e.2).
_THERAPY = ("Z510", "Z5111", "Z5112")


@rule("DX_Z_FIRST_LISTED_ONLY_NOT_FIRST", "B", "warning",
      "ICD-10-CM Guidelines I.C.21.c.16", when=["dx-several", "z-later"])
def z_first_only(ctx: ClaimContext) -> Iterator[Hit]:
    """A Z code that may only be principal/first-listed appears in position 2 or later
    (among two or more valid diagnoses), after a code that is not one of these. Z51.0,
    Z51.11 and Z51.12 after one of them as the first-listed code are not: an encounter for
    more than one of these therapies lists them in any sequence (Guideline I.C.2.e.2).
    Nor is one that every code before it is itself a first-listed-only Z code of (Z01.419
    after Z00.00): I.C.21.c.16 allows them in other positions "when there are multiple
    encounters on the same day and the medical records for the encounters are combined",
    each encounter's first-listed reason heading the claim; a code of another kind before
    it (I10, Z00.00) is still the finding."""
    if len(ctx.valid_dx) < 2:
        return
    # a code written twice is judged once (DX_DUPLICATE says the repeat), and not at all
    # when its first writing is the first-listed diagnosis (Z00.00, I10, Z0000)
    first = ctx.dx[0]
    seen: set[str] = {first.code} if first.valid and first.code else set()
    head = 0  # how many codes from position 1 on are valid first-listed-only Z codes
    for d in ctx.valid_dx:
        if d.facts.first_listed_only and d.index == head:
            head += 1  # the claim opens with it and such codes only: I.C.21.c.16's
            continue   # combined encounters (position 1 is no finding anyway)
        if d.index > 0 and d.facts.first_listed_only:
            if d.code in seen:
                continue
            if d.facts.code.startswith(_THERAPY) and ctx.dx[0].valid \
                    and ctx.dx[0].facts.code.startswith(_THERAPY):
                continue  # chemotherapy, immunotherapy, radiation: in any sequence
            seen.add(d.code)  # type: ignore[arg-type]
            # moved first, a code on the MCE unacceptable-principal list is an error of
            # DX_SECONDARY_ONLY_FIRST_LISTED: on an inpatient claim it can only go
            barred = ctx.profile.option("inpatient") and d.facts.unacceptable_principal \
                and not d.facts.requires_secondary
            what = ("drop it (the MCE does not accept it as the principal diagnosis of an "
                    "inpatient claim either)" if barred else "move it first or drop it")
            yield Hit(f"{_dotted(d)} may only be reported as the principal/first-listed "
                      f"diagnosis, but is in position {d.index + 1}: {what}.",
                      ("diagnoses", d.index), (_dotted(d),))


@rule("DX_OBSTETRIC_NOT_FIRST", "B", "warning", "ICD-10-CM Guidelines I.C.15.a.1",
      when=["obstetric-later"])
def obstetric_first(ctx: ClaimContext) -> Iterator[Hit]:
    """A chapter 15 code (O00-O9A) is on the claim, but the first-listed diagnosis is of
    another chapter: "Chapter 15 codes have sequencing priority over codes from other
    chapters" (Guideline I.C.15.a.1; E11.9 with O24.112, B20 with O98.711, S82.101A with
    O9A.212). Not when the first-listed code is one the other group B edits judge in that
    place (an external cause, a code reported only as an additional code, a Z code
    reported only first-listed: Z33.2, Z39.2, Z51.11...), nor Z33.1 (pregnant state,
    incidental: its Excludes1 says the conflict with the chapter 15 code), nor when the
    first-listed code's "Code first" note names the chapter 15 code (B20's: O98.7-):
    DX_CODE_FIRST_ORDER says that."""
    valid = ctx.valid_hits  # (position, Facts): no DxInfo made for the claim's codes
    if not valid or valid[0][0] != 0:
        return
    f = valid[0][1]
    if f.code[:1] == "O" or f.external_cause or f.secondary_only or f.never_first \
            or f.first_listed_only or f.code == "Z331":
        return
    for i, y in valid:
        if i > 0 and y.code[:1] == "O":
            if f.code_first_note(y.code) is not None:
                return  # DX_CODE_FIRST_ORDER says it, from the tabular's own note
            yield Hit(f"{y.dotted} should be listed before {f.dotted}: codes of chapter 15 "
                      "(pregnancy, childbirth and the puerperium) have sequencing priority "
                      "over codes of other chapters (Guideline I.C.15.a.1); pregnancy "
                      "incidental to the encounter is Z33.1 instead.",
                      ("diagnoses", 0), (f.dotted, y.dotted), (y.dotted,))
            return


@rule("DX_SECONDARY_ONLY_FIRST_LISTED", "B", "warning",
      "Tabular notes (B95-B97, Z37, Z3A, Z68); Guideline I.B.14; MCE edit 9 (inpatient); "
      "I/OCE edit 113 (outpatient)", when=["not-principal-first"],
      supersedes=["DX_CODE_FIRST_ORDER", "DX_ETIOLOGY_MISSING"])
def secondary_only_first(ctx: ClaimContext) -> Iterator[Hit]:
    """A code allowed only as an additional code is in position 1. Inpatient claims add
    the MCE "unacceptable principal diagnosis" list; under a profile with the option
    ``ioce`` (``medicare-outpatient``) outpatient claims add the I/OCE's list (edit 113,
    from 2019-10-01: adverse effects and underdosing T36-T50, coma scale R40.2x, many Z
    codes...). Under the other profiles, the codes the guidelines never list first
    (``Facts.never_first``: R65.1-, R65.2-, underdosing; and the adverse effects,
    :func:`codekit.icd10cm.guidelines.adverse_effect`). It replaces the code-first
    finding on that code (Z3A.39 before O80: one mistake, listing O80 first fixes both),
    and names the code its "Code first" note asks for when the claim has it, on every list
    (R65.20 before A41.9 on an inpatient claim names A41.9).

    The I/OCE's list is the one its processing path for the claim runs
    (:func:`codekit.rules.ioce_status.ioce_principal_list`): on types of bill 12x, 22x, 81x
    and 82x its inpatient form, which adds F02-F09, R53.81-R53.83, R54 and R62.7 from
    2025-04-01 (F03.90 on a hospice claim); on the others (condition code 07's path too) the
    outpatient list; on 43x none (the I/OCE makes no diagnosis edit there)."""
    if not ctx.dx or not ctx.dx[0].valid:
        return
    d = ctx.dx[0]
    if d.facts.secondary_only:
        first, fix = _code_first_here(ctx, d)
        yield Hit(f"{_dotted(d)} is reported only as an additional code: list the condition "
                  f"it supplements{first} first.", ("diagnoses", 0), (_dotted(d),), fix)
    elif (d.facts.never_first or adverse_effect(d.facts.code)) \
            and not ctx.profile.option("inpatient") and not ctx.profile.option("ioce"):
        # where no CMS editor's list applies (professional claims, commercial payers): the
        # guidelines' own words; institutional Medicare claims follow the MCE / I/OCE lists
        first, fix = _code_first_here(ctx, d)
        code = d.facts.code
        what, why = _NEVER_FIRST.get(code[:4], _ADVERSE_EFFECT if adverse_effect(code)
                                     else _UNDERDOSING)
        yield Hit(f"{_dotted(d)} is never listed first: list {what}{first} first (Guideline "
                  f"{why}).", ("diagnoses", 0), (_dotted(d),), fix)
    elif ctx.profile.option("inpatient") and d.facts.unacceptable_principal:
        if d.facts.requires_secondary:
            # MCE "reqsdx" (Z51.89): acceptable as principal once a secondary is coded
            if len(ctx.dx) == 1:
                yield Hit(f"{_dotted(d)} may be the principal diagnosis of an inpatient "
                          "claim only with a secondary diagnosis (MCE): add the condition "
                          "the aftercare is for.", ("diagnoses", 0), (_dotted(d),))
            return
        # the code-first finding it replaces named the code to list first: so does this
        # one (R65.20 before A41.9, J12.82 before U07.1; Guidelines I.A.13, I.C.1.d.1.a.ii)
        first, fix = _code_first_here(ctx, d)
        yield Hit(f"{_dotted(d)} is unacceptable as the principal diagnosis of an inpatient "
                  "claim (MCE list): choose the condition chiefly responsible for the "
                  f"admission{first}.", ("diagnoses", 0), (_dotted(d),), fix)
    elif ctx.profile.option("ioce") and not ctx.claim.is_inpatient:
        which = ioce_principal_list(ctx)
        if which is None:
            return
        if not (d.facts.ioce_unacceptable_principal_inpatient if which == "inpatient"
                else d.facts.ioce_unacceptable_principal):
            # on the MCE's list, and newer than the last I/OCE quarter: not on it
            took_effect = newer_than_ioce(d.facts.code, ctx.day) \
                if d.facts.unacceptable_principal else None
            if took_effect is not None:
                ctx.notice("IOCE_DATE_NOT_COVERED", f"{_dotted(d)} took effect on "
                           f"{took_effect}, after the last I/OCE quarter codekit has "
                           f"(to {icd10cm.ioce_coverage()[1]}): the I/OCE's "
                           "unacceptable-principal list (edit 113) of that quarter does not "
                           "know it, so it was not judged by it (the MCE lists it as "
                           "unacceptable as principal)", ("diagnoses", 0))
            return
        outside = ioce_not_covered(ctx.day, "the I/OCE's unacceptable-principal list")
        if outside is not None:
            ctx.notice("IOCE_DATE_NOT_COVERED", outside, ("diagnoses", 0))
        first, fix = _code_first_here(ctx, d)
        if which == "inpatient":
            yield Hit(f"{_dotted(d)} is unacceptable as the principal diagnosis of a claim of "
                      f"type of bill {bill_class(ctx.claim.bill_type)}x (I/OCE edit 113, the list "
                      f"of types of bill 12x, 22x, 81x and 82x): {_ioce_hint(d, first, True)}",
                      ("diagnoses", 0), (_dotted(d),), fix)
            return
        yield Hit(f"{_dotted(d)} is unacceptable as the principal diagnosis of an outpatient "
                  f"claim (I/OCE edit 113 list): {_ioce_hint(d)}", ("diagnoses", 0),
                  (_dotted(d),), fix)


#: What to list before a code the guidelines never list first (``Facts.never_first``),
#: and the guideline: SIRS (R65.1-), severe sepsis (R65.2-); else an adverse effect
#: (T36-T50, 6th character 5) or underdosing (6th character 6).
_NEVER_FIRST = {"R651": ("the injury or condition that caused it", "I.C.18.g"),
                "R652": ("the underlying infection", "I.C.1.d.1.a.ii")}
_ADVERSE_EFFECT = ("the nature of the adverse effect", "I.C.19.e.5.a")
_UNDERDOSING = ("the condition the underdosing caused", "I.C.19.e.5.c")


def _code_first_here(ctx: ClaimContext, d: DxInfo) -> tuple[str, tuple[str, ...]]:
    """(" (O80 here)", ("O80",)) for the first later diagnosis the "Code first" note of
    ``d`` names, or ("", ())."""
    if d.facts.has_code_first:
        for y in ctx.valid_dx:
            if y.index > d.index and y.code != d.code \
                    and _code_first(d.facts, y.code) is not None:  # type: ignore[arg-type]
                return f" ({_dotted(y)} here)", (_dotted(y),)
    return "", ()


def _ioce_hint(d: DxInfo, first: str = "", inpatient: bool = False) -> str:
    """What to list first instead of an I/OCE-unacceptable principal diagnosis (``first``:
    " (G30.9 here)", the later diagnosis its "Code first" note names; ``inpatient``: the
    list of types of bill 12x, 22x, 81x, 82x)."""
    code = d.facts.code
    if code[:1] == "T" and "T36" <= code[:3] <= "T50" and code[5:6] in ("5", "6"):
        return ("sequence the nature of the adverse effect or the condition the "
                "underdosing caused first (Guideline I.C.19.e.5), this code after it.")
    if code.startswith("R402"):
        return ("coma scale codes go with the code of the injury or condition (Guideline "
                "I.C.18.e): list that first.")
    if inpatient and d.facts.has_code_first:
        return (f"list the underlying condition its \"Code first\" note asks for{first} "
                "first, this code after it.")
    if inpatient:
        return "list the underlying condition chiefly responsible for the services first."
    return "list the condition chiefly responsible for the visit first."


RULES = (excludes1, manifestation_first, code_first, etiology_missing, external_cause_first,
         z_first_only, obstetric_first, secondary_only_first)
