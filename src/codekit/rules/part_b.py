"""Groups D and E: Medicare Part B's own codes and modifiers for vaccines and the annual
wellness visit.

Medicare pays the administration of an influenza, pneumococcal or hepatitis B vaccine as
G0008, G0009 or G0010, never as a CPT immunization administration code (Claims
Processing Manual ch.18 §10.2.1); zoster and RSV vaccines are Part D's, not Part B's
(Social Security Act §1860D-2(e)(1)); and advance care planning on the day of an annual
wellness visit, its optional element, carries modifier 33, which waives the deductible and
coinsurance (Claims Processing Manual ch.12 §280.5.1, ch.18 §140); without the AWV, 33
waives nothing (CR 9271).

Every rule runs under a profile with the option ``part_b_billing``
(``medicare-professional``, ``medicare-outpatient``): other payers take the CPT codes.
The rules wait for the claim features ``proc-vaccine`` (a vaccine of
``procedure.PART_B_VACCINES`` or ``procedure.PART_D_VACCINES`` on a valid line) and
``proc-acp`` (99497 or 99498): a claim without either plans none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from .. import procedure
from ..findings import Hit
from .context import ClaimContext, LineInfo, lines_on
from .engine import rule

#: What G0008, G0009 and G0010 administer, with its article; and 90480, COVID-19.
_KIND = {admin: ("an " if kind[0] in "aeiou" else "a ") + kind
         for admin, kind in procedure.PART_B_VACCINE_ADMINISTRATION.items()}
_COVID_ADMIN = procedure.COVID_VACCINE_ADMINISTRATION
_KIND[_COVID_ADMIN] = "a COVID-19"
#: The first date Medicare pays a COVID-19 vaccine's administration as 90480.
_COVID_FROM = min(procedure.COVID_VACCINES.values())


def _count(units: Any) -> int:
    """The vaccines a line's units count: 1 when missing or unusable, at most 99."""
    try:
        n = int(units)
    except (TypeError, ValueError, OverflowError):
        return 1
    return max(1, min(n, 99))


@rule("VACCINE_ADMIN_CODE_MISMATCH", "D", "error",
      "Claims Processing Manual ch.18 §10.2.1 (G0008, G0009, G0010: the administration of "
      "influenza, pneumococcal and hepatitis B vaccines), §10.2.2; COVID-19 vaccines: 90480 "
      "from 2023-09-11 (MLN Connects 2023-09-14; CMS COVID-19 vaccine billing codes)",
      when=["proc-vaccine", "lines-several"], options=["part_b_billing"])
def vaccine_admin_code(ctx: ClaimContext) -> Iterator[Hit]:
    """A vaccine Medicare Part B pays with its own administration code (influenza G0008,
    pneumococcal G0009, hepatitis B G0010: ``procedure.PART_B_VACCINES``; a COVID-19
    vaccine 90480, from 2023-09-11: ``procedure.COVID_VACCINES``) whose code is not on
    its date, administered instead with the code of another kind (G0008 beside a
    pneumococcal vaccine and no influenza vaccine: fix G0009; G0008 beside 91320 and no
    influenza vaccine: fix 90480) or with a CPT immunization administration code (90460,
    90471-90474) the date's other vaccines and toxoids do not account for (one a unit,
    counted in claim order after those of the other vaccines: 90471 with 90686 alone, fix
    G0008; 90471 with 91320 alone, fix 90480; 90471 with 90715 and 90686 is left alone, the
    administration may be the toxoid's). Location: the administration line's code; fix:
    the administration code of the vaccine's kind. Under a profile with the option
    ``part_b_billing``."""
    for day, lines in lines_on(ctx).items():
        yield from _administrations(day, lines)


def _vaccine_lines(day: dt.date, lines: list[LineInfo]
                   ) -> tuple[list[tuple[LineInfo, str]], list[LineInfo], list[LineInfo]]:
    """A date's lines of Part B and COVID-19 vaccines (each with its Part B administration
    code), of their administration codes (G0008, G0009, G0010; 90480 from 2023-09-11) and
    of CPT immunization administration codes (90460, 90471-90474), in claim order."""
    vaccines = procedure.PART_B_VACCINES
    admin_codes = procedure.PART_B_VACCINE_ADMINISTRATION
    cpt_codes = procedure.CPT_VACCINE_ADMINISTRATION
    covid = procedure.COVID_VACCINES
    covid_admin = _COVID_ADMIN if day >= _COVID_FROM else None
    products: list[tuple[LineInfo, str]] = []  # (a vaccine's line, its administration)
    given: list[LineInfo] = []  # lines of G0008, G0009, G0010 (90480 from 2023-09-11)
    cpt: list[LineInfo] = []  # lines of a CPT immunization administration code
    for ln in lines:  # one pass: most dates have a vaccine and its own code, or no code
        code = ln.code
        if code in vaccines:
            products.append((ln, vaccines[code]))  # type: ignore[index]
        elif code in covid and covid[code] <= day:  # type: ignore[index]
            products.append((ln, _COVID_ADMIN))
        elif code in admin_codes or (code == covid_admin and covid_admin is not None):
            given.append(ln)
        elif code in cpt_codes:
            cpt.append(ln)
    return products, given, cpt


def _administrations(day: dt.date, lines: list[LineInfo]) -> Iterator[Hit]:
    products, given, cpt = _vaccine_lines(day, lines)
    if not products or not (given or cpt):
        return
    have = {ln.code for ln in given}
    missing: list[tuple[str, LineInfo]] = []  # (the kind's code, its first vaccine line)
    for ln, admin in products:
        if admin not in have and all(a != admin for a, _ in missing):
            missing.append((admin, ln))
    if not missing:
        return
    billed = {admin for _, admin in products}
    for ln in given:  # a code of a kind no vaccine of the date is
        if ln.code not in billed and missing:
            admin, product = missing.pop(0)
            yield _wrong_kind(ln, admin, product, day)
    if not missing or not cpt:
        return
    # the administrations of the date's other vaccines and toxoids come first (90480, in
    # the range of the products, is an administration: in given)
    own = {ln.index for ln, _ in products} | {ln.index for ln in given}
    skip = sum(_count(ln.line.units) for ln in lines
               if ln.index not in own and procedure.is_vaccine_product(ln.code))
    for ln in cpt:
        n = _count(ln.line.units)
        if skip >= n:
            skip -= n
            continue
        n, skip = n - skip, 0
        while n and missing:
            admin, product = missing.pop(0)
            yield _cpt_code(ln, admin, product)
            n -= 1
        if not missing:
            return


def _wrong_kind(ln: LineInfo, admin: str, product: LineInfo, day: dt.date) -> Hit:
    code = ln.code or ""
    return Hit(f"Line {ln.line.line}: {code} is the administration of {_KIND[code]} "
               f"vaccine, and no such vaccine is billed on {day}; the vaccine on line "
               f"{product.line.line} ({product.code}) is {_KIND[admin]} vaccine, whose "
               f"administration Medicare pays as {admin}: report {admin} (and keep {code} "
               "only if that vaccine, supplied free, was given too).",
               ("service_lines", ln.index, "procedure_code"), (code, product.code or ""),
               (admin,))


def _cpt_code(ln: LineInfo, admin: str, product: LineInfo) -> Hit:
    code = ln.code or ""
    pays = (f"the administration of a COVID-19 vaccine as {admin} (from "
            f"{_COVID_FROM})" if admin == _COVID_ADMIN else
            "the administration of an influenza, pneumococcal or hepatitis B vaccine only "
            "as G0008, G0009 or G0010")
    return Hit(f"Line {ln.line.line} ({code}) bills the administration of the vaccine on "
               f"line {product.line.line} ({product.code}), {_KIND[admin]} vaccine, with a "
               f"CPT immunization administration code: Medicare Part B pays {pays}: report "
               f"{admin} for it in place of {code}.",
               ("service_lines", ln.index, "procedure_code"), (code, product.code or ""),
               (admin,))


#: M0201, the add-on of a Part B vaccine administered in the patient's home.
_HOME = procedure.HOME_VACCINE_ADMINISTRATION


def _covid_administration(code: str | None) -> bool:
    """A COVID-19 vaccine's own CPT administration code (0001A-0174A: four digits and A,
    the codes of the vaccine products CPT numbered before 90480)."""
    return code is not None and len(code) == 5 and code[4] == "A" and code[:4].isdigit()


@rule("VACCINE_HOME_ADDON_WITHOUT_ADMIN", "D", "error",
      "CMS, Home Vaccine Administration Additional Payment (M0201 billed with the vaccine's "
      "administration code, G0008, G0009, G0010, 90480: \"You must use both\"); CY 2024 "
      "PFS final rule (CMS-1784-F)", when=["proc-vaccine"], options=["part_b_billing"])
def home_addon_without_admin(ctx: ClaimContext) -> Iterator[Hit]:
    """M0201 (``procedure.HOME_VACCINE_ADMINISTRATION``: the additional payment for a Part
    B preventive vaccine administered in the patient's home) on a date with no line of the
    administration of an influenza, pneumococcal, hepatitis B or COVID-19 vaccine (G0008,
    G0009, G0010, 90480, or a COVID-19 vaccine's own administration code, 0001A-0174A):
    CMS pays M0201 in addition to that code, which is billed with it. A CPT immunization
    administration code (90460, 90471-90474) beside a Part B or COVID-19 vaccine of the
    date counts as that administration (``VACCINE_ADMIN_CODE_MISMATCH`` asks for its G
    code). Location: M0201's code; fix: the administration codes of the date's Part B and
    COVID-19 vaccines (the code to add), else none. Under a profile with the option
    ``part_b_billing``."""
    for day, lines in lines_on(ctx).items():
        home = [ln for ln in lines if ln.code == _HOME]
        if not home:
            continue
        products, given, cpt = _vaccine_lines(day, lines)
        if given or any(ln.code == _COVID_ADMIN or _covid_administration(ln.code)
                        for ln in lines):
            continue
        # the administration codes of the date's vaccines
        need = list(dict.fromkeys(admin for _, admin in products))
        if need and cpt:
            continue  # the CPT code is the administration, miscoded: VACCINE_ADMIN_CODE_MISMATCH
        for ln in home:
            yield _home_alone(ln, day, tuple(need))


def _home_alone(ln: LineInfo, day: dt.date, need: tuple[str, ...]) -> Hit:
    add = (f"add {' and '.join(need)}, the administration of the vaccine"
           f"{'s' if len(need) > 1 else ''} billed that day" if need else
           "add the administration code of the vaccine given (G0008 influenza, G0009 "
           "pneumococcal, G0010 hepatitis B, 90480 COVID-19)")
    return Hit(f"Line {ln.line.line}: {ln.code} is Medicare's additional payment for a Part B "
               f"vaccine administered in the patient's home, and no line of {day} bills the "
               "administration of an influenza, pneumococcal, hepatitis B or COVID-19 "
               f"vaccine: {ln.code} is paid only with that administration code, billed "
               f"beside it: {add}; otherwise remove {ln.code}.",
               ("service_lines", ln.index, "procedure_code"), (ln.code or "",), need)


@rule("PROC_PART_D_VACCINE", "D", "warning",
      "Social Security Act §1860D-2(e)(1) (a vaccine is a covered Part D drug), §1861(s)(10) "
      "(the vaccines Part B pays); Benefit Policy Manual ch.15 §50.4.4.2",
      when=["proc-vaccine"], options=["part_b_billing"])
def part_d_vaccine(ctx: ClaimContext) -> Iterable[Hit]:
    """A zoster vaccine (90736, 90750) or an RSV vaccine (90678, 90679, 90683:
    ``procedure.PART_D_VACCINE_KINDS``) on a Medicare professional claim: Part B does not
    pay it, Part D does, with its administration. Not
    on a line with GY or GX (billed for the denial). Outpatient institutional claims are
    left to ``PROC_NOT_BILLABLE_TO_MAC`` (the I/OCE gives these codes status M). Location:
    the line's code; no fix (the vaccine is billed to the patient's Part D plan). Under a
    profile with the option ``part_b_billing``."""
    if ctx.claim.is_institutional:
        return ()
    part_d = procedure.PART_D_VACCINES
    return [_part_d(ln) for ln in ctx.valid_lines if ln.code in part_d
            and "GY" not in ln.modifiers and "GX" not in ln.modifiers]


def _part_d(ln: LineInfo) -> Hit:
    kind = procedure.PART_D_VACCINE_KINDS[ln.code or ""]
    return Hit(f"Line {ln.line.line}: {ln.code} is {'an' if kind == 'RSV' else 'a'} {kind} "
               "vaccine, which Medicare Part B does not pay: it is a Part D drug (Social "
               "Security Act §1860D-2(e)(1)), billed with its administration to the "
               "patient's Part D plan. Take the "
               "vaccine and its administration off the Part B claim (or add GY to have Part "
               "B deny them for a secondary payer).",
               ("service_lines", ln.index, "procedure_code"), (ln.code or "",))


@rule("MOD_33_MISSING", "E", "warning",
      "Claims Processing Manual ch.12 §280.5.1 (advance care planning as an optional "
      "element of the annual wellness visit, modifier 33), ch.18 §140",
      when=["proc-acp", "lines-several"], options=["part_b_billing"])
def mod_33_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """Advance care planning (99497, 99498) without modifier 33 on the date of an annual
    wellness visit (G0438, G0439) of the same claim: furnished with the AWV it is its
    optional element, and Medicare waives its deductible and coinsurance when the line
    carries 33 (without it the patient is charged them). Location: the line's modifiers;
    fix: 33. Under a profile with the option ``part_b_billing``."""
    for day, lines in lines_on(ctx).items():
        awv = next((ln for ln in lines if ln.code in procedure.ANNUAL_WELLNESS_VISIT), None)
        if awv is None:
            continue
        for ln in lines:
            if ln.code in procedure.ADVANCE_CARE_PLANNING and "33" not in ln.modifiers:
                yield Hit(f"Line {ln.line.line} ({ln.code}) reports advance care planning on "
                          f"{day}, the day of the annual wellness visit on line "
                          f"{awv.line.line} ({awv.code}): as the visit's optional element, "
                          "Medicare waives its deductible and coinsurance when the line "
                          "carries modifier 33: add 33 (without it the patient is charged "
                          "coinsurance).", ("service_lines", ln.index, "modifiers"),
                          (ln.code or "", awv.code or ""), ("33",))


@rule("MOD_33_NOT_APPLICABLE", "E", "warning",
      "CMS CR 9271 (MLN Matters MM9271: advance care planning as an optional element of "
      "the annual wellness visit, billed on its claim with modifier 33); Claims Processing "
      "Manual ch.12 §280.5.1, ch.18 §140",
      when=["proc-acp", "modifiers"], options=["part_b_billing"])
def mod_33_not_applicable(ctx: ClaimContext) -> Iterator[Hit]:
    """Advance care planning (99497, 99498) with modifier 33 on a date the claim has no
    annual wellness visit (G0438, G0439): Medicare waives the ACP deductible and
    coinsurance only for ACP furnished with the AWV, the same day by the same provider,
    billed on the AWV's claim with 33; elsewhere 33 waives nothing and the patient owes
    them (CR 9271). Location: the line's 33; no fix (remove 33, or bill the ACP on the
    claim of the AWV it was furnished with). Under a profile with the option
    ``part_b_billing``."""
    acp = procedure.ADVANCE_CARE_PLANNING
    awv = procedure.ANNUAL_WELLNESS_VISIT
    for day, lines in lines_on(ctx).items():
        if any(ln.code in awv for ln in lines):
            continue
        for ln in lines:
            if ln.code in acp and "33" in ln.modifiers:
                yield Hit(f"Line {ln.line.line} ({ln.code}) reports advance care planning "
                          f"with modifier 33 on {day}, and the claim has no annual wellness "
                          "visit (G0438, G0439) that day: Medicare waives the deductible "
                          "and coinsurance of advance care planning only when it is "
                          "furnished with the AWV, the same day by the same provider, and "
                          "billed on the AWV's claim with 33 (CR 9271); without the AWV, 33 "
                          "waives nothing and the patient owes them: remove 33, or, if an "
                          "AWV was furnished with it that day, bill the two on one claim.",
                          ("service_lines", ln.index, "modifiers",
                           ln.modifiers.index("33")), (ln.code or "",))


RULES = (vaccine_admin_code, home_addon_without_admin, part_d_vaccine, mod_33_missing,
         mod_33_not_applicable)
