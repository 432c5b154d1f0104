"""Group D: what Medicare's claims processing manual asks of a post-acute provider's claim:
a hospice's (81x, 82x), a home health agency's of a PPS period (32x).

- ``HOSPICE_SITE_OF_SERVICE_MISSING``: a level-of-care line (revenue code 0651 routine
  home care, 0652 continuous home care, 0655 inpatient respite care, 0656 general
  inpatient care) without the HCPCS code of the place where that care was given,
  Q5001-Q5010 (Claims Processing Manual ch.11 §30.3, since CMS CR 5567, 2008: "the
  appropriate HCPCS code ... on each level of care revenue code line to identify the
  service location"; the A/B MACs' hospice claim instructions, CGS and Cahaba, "Claim Page
  02", list it as required). The I/OCE does not judge it (its hospice path runs no edit of
  the line's code for a level of care: pyoce 0.1.0 passes 0651 with no code or with G0299);
  the MAC's own claim system returns the claim.
- ``HOSPICE_PERIOD_SPANS_MONTHS``: a hospice claim whose statement period runs into a
  second calendar month (ch.11 §90: hospices bill monthly, "monthly billing should conform
  to a calendar month ... rather than a 30 day period which could span two calendar
  months", as Palmetto GBA, the JM home health and hospice MAC, quotes it; CMS's edit
  returns such a claim). A claim may be shorter than a month (an admission, a discharge),
  never across two. Not on the hospice's notices (frequency A-E: the notice of election,
  of termination or revocation, of a change of hospice, of a cancelled election, of a change
  of ownership), which are no monthly bills.
- ``HOME_HEALTH_PERIOD_TOO_LONG``: a home health PPS claim (32x) whose statement period is
  longer than the 30-day period of care it bills: since 2020-01-01 (the Patient-Driven
  Groupings Model, CMS CR 11081; 42 CFR 484.205) the unit of payment is a 30-day period,
  and each period is billed on a claim of its own, the next one beginning on day 31 (CMS CR
  11527, Claims Processing Manual ch.10 §10.1.4, §10.1.5). Not on a period that begins
  before 2020-01-01 (a 60-day episode), nor on the agency's notice of admission (32A) or
  another notice (a letter for a frequency).
- ``HIPPS_CODE_INVALID`` (every profile): a HIPPS line's code (revenue code 0022 on a
  skilled nursing facility's stay, 21x, or a swing bed's, 18x; 0023 on a home health PPS
  claim, 32x: ``context.HIPPS_REVENUE_CODES``) that is not of its payment system's HIPPS
  structure (:func:`hipps_problem`): under the SNF PPS's Patient Driven Payment Model (from
  2019-10-01: CMS CR 11152, MLN MM11152) five positions, the PT/OT case-mix group (16: A-P),
  the speech-language pathology group (12: A-L), the nursing group (25: A-Y), the
  non-therapy ancillary group (6: A-F) and the assessment indicator (a digit), or the
  default code ZZZZZ; under the home health Patient-Driven Groupings Model (periods from
  2020-01-01: CMS CR 11081; Claims Processing Manual ch.10 §10.1.9) the admission source
  and timing (1-4), the clinical group (12: A-L), the functional impairment level (A-C),
  the comorbidity adjustment (1-3) and the placeholder 1. A HIPPS line is no CPT/HCPCS
  line (no procedure edit judges it), so this edit is the only one that reads its code. A
  line whose code a door kept apart (the 837I's SV202 qualifier HP, a FHIR HIPPS coding:
  the line is read by its revenue code alone, and the door says the code is not checked)
  is not judged; nor is an inpatient rehabilitation facility's 0024 line (11x).

The rules run under a profile with the option ``post_acute_billing``
(``medicare-outpatient``: Medicare's manual, not another payer's; ``HIPPS_CODE_INVALID``
under every profile: the HIPPS codes are every payer's), on claims with the feature
``hospice`` (an institutional claim of type of bill 81x or 82x:
``context.HOSPICE_BILL_TYPES``), ``home-health`` (32x: ``context.HOME_HEALTH_PPS``) or
``hipps`` (a HIPPS line on 18x, 21x or 32x).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Hit
from .context import (
    HOME_HEALTH_PPS,
    HOSPICE_BILL_TYPES,
    ClaimContext,
    hipps_revenue_codes,
    is_hipps_line,
)
from .engine import rule

__all__ = ["HIPPS_STRUCTURES", "LEVELS_OF_CARE", "NOTICES", "PDGM_START", "PDPM_START",
           "PERIOD_DAYS", "RULES", "SITES_OF_SERVICE", "hipps_problem"]

#: The hospice's levels of care, by revenue code (Claims Processing Manual ch.11 §30.1).
LEVELS_OF_CARE = {"0651": "routine home care", "0652": "continuous home care",
                  "0655": "inpatient respite care", "0656": "general inpatient care"}
#: The HCPCS codes of the place where a level of care was given (ch.11 §30.3: Q5001-Q5010,
#: from the patient's home, Q5001, to a hospice home care given in a hospice facility, Q5010).
SITES_OF_SERVICE = frozenset(f"Q50{n:02d}" for n in range(1, 11))
#: The frequencies (the type of bill's last character) of a hospice's notices, which are
#: no monthly bills: A notice of election, B of termination or revocation, C of a change
#: of hospice, D of a cancelled election, E of a change of ownership.
NOTICES = frozenset("ABCDE")

#: The first day of the home health PPS's 30-day periods of care (the Patient-Driven
#: Groupings Model, CMS CR 11081): periods beginning before it were 60-day episodes.
PDGM_START = dt.date(2020, 1, 1)
#: The days of a home health period of care since :data:`PDGM_START`.
PERIOD_DAYS = 30

def _hospice(ctx: ClaimContext) -> bool:
    claim = ctx.claim
    return claim.claim_type == "institutional" and not ctx.inpatient and \
        claim.bill_class in HOSPICE_BILL_TYPES


@rule("HOSPICE_SITE_OF_SERVICE_MISSING", "D", "error",
      "Medicare Claims Processing Manual ch.11 §30.3 (the HCPCS site-of-service code, "
      "Q5001-Q5010, on each level of care line: revenue codes 0651, 0652, 0655, 0656; CMS "
      "CR 5567)", when=["hospice"], options=["post_acute_billing"])
def site_of_service_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A hospice claim's level-of-care line (revenue code 0651, 0652, 0655 or 0656:
    :data:`LEVELS_OF_CARE`) whose HCPCS code is not one of the site-of-service codes
    Q5001-Q5010 (:data:`SITES_OF_SERVICE`): none, or another code (a visit's G0299
    belongs on its discipline's line, 055x). A new line is billed for each place of care
    within a level; no ``fix``: only the hospice knows where the care was given."""
    if not _hospice(ctx):
        return
    for i, line in enumerate(ctx.claim.service_lines):
        rev = (line.revenue_code or "").strip().zfill(4)
        level = LEVELS_OF_CARE.get(rev)
        if level is None:
            continue
        code = line.procedure_code.strip().upper()
        if code in SITES_OF_SERVICE:
            continue
        given = f"carries {code}, which is no site-of-service code" if code else \
            "carries no HCPCS code"
        yield Hit(f"Line {line.line}: a hospice level-of-care line (revenue code {rev}, "
                  f"{level}) {given}: each level-of-care line names, with a HCPCS code "
                  "Q5001-Q5010, where that care was given (the patient's home Q5001, an "
                  "assisted living facility Q5002, a skilled nursing facility Q5004, a "
                  "hospice facility Q5006 ...; Claims Processing Manual ch.11 §30.3): give "
                  "the code of the place, on a line of its own for each place.",
                  ("service_lines", i, "procedure_code"), (code,) if code else ())


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


@rule("HOSPICE_PERIOD_SPANS_MONTHS", "D", "error",
      "Medicare Claims Processing Manual ch.11 §90 (hospices bill monthly: a claim's "
      "statement period within one calendar month, not a 30-day period across two)",
      when=["hospice"], options=["post_acute_billing"])
def period_spans_months(ctx: ClaimContext) -> Iterator[Hit]:
    """A hospice claim (81x, 82x; not one of its notices, frequency A-E: :data:`NOTICES`)
    whose statement period runs from one calendar month into another: a hospice bills each
    calendar month on a claim of its own, from the admission or the month's first day
    through the discharge or its last day. The message gives the first month's part."""
    claim = ctx.claim
    period = claim.statement_period
    if period is None or not _hospice(ctx):
        return
    frequency = (claim.bill_type or "").strip()[-1:].upper()
    if frequency in NOTICES:
        return
    start, end = period
    if (start.year, start.month) == (end.year, end.month) or end < start:
        return  # (a period that ends before it starts is the statement period edits')
    yield Hit(f"The statement period {start.isoformat()} to {end.isoformat()} runs into "
              "another calendar month: a hospice bills each calendar month on a claim of "
              "its own, never a period across two (Claims Processing Manual ch.11 §90): "
              f"bill {start.isoformat()} to {_month_end(start).isoformat()} on this claim, "
              "and the days after on the next month's.", ("statement_period",))


@rule("HOME_HEALTH_PERIOD_TOO_LONG", "D", "error",
      "CMS CR 11081 (the home health PPS's unit of payment, a 30-day period of care, for "
      "periods beginning on or after 2020-01-01; 42 CFR 484.205); CMS CR 11527 and Claims "
      "Processing Manual ch.10 §10.1.4, §10.1.5 (each period on a claim of its own, the "
      "next from day 31)", when=["home-health"], options=["post_acute_billing"])
def home_health_period_too_long(ctx: ClaimContext) -> Iterator[Hit]:
    """A home health PPS claim (32x; not a notice, whose frequency is a letter: the notice
    of admission 32A) whose statement period, beginning on or after 2020-01-01
    (:data:`PDGM_START`), is longer than the 30-day period of care it bills
    (:data:`PERIOD_DAYS`): a period is days 1 to 30 at most, and the days after belong to
    the next period's claim. The message gives this claim's period."""
    claim = ctx.claim
    period = claim.statement_period
    if period is None or claim.claim_type != "institutional" or ctx.inpatient or \
            claim.bill_class != HOME_HEALTH_PPS:
        return
    if not (claim.bill_type or "").strip()[-1:].isdigit():
        return
    start, end = period
    days = (end - start).days + 1
    if start < PDGM_START or days <= PERIOD_DAYS:
        return
    last = start + dt.timedelta(days=PERIOD_DAYS - 1)
    yield Hit(f"The statement period {start.isoformat()} to {end.isoformat()} is {days} "
              f"days: a home health PPS claim bills one {PERIOD_DAYS}-day period of care "
              "(since 2020-01-01, CMS CR 11081), and the next period, from its day 31, is "
              f"billed on a claim of its own: bill {start.isoformat()} to "
              f"{last.isoformat()} on this claim.", ("statement_period",))


#: The first day of the SNF PPS's Patient Driven Payment Model (CMS CR 11152): its HIPPS
#: codes are those of the days of service from then on.
PDPM_START = dt.date(2019, 10, 1)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Per HIPPS revenue code, the payment system whose HIPPS structure its code follows: its
#: name, the first day it applies, its default code (None: none), and per position what
#: it says and the characters it takes (the number of the payment system's groups).
HIPPS_STRUCTURES: dict[str, tuple[str, dt.date, str | None, tuple[tuple[str, str], ...]]] = {
    "0022": ("the SNF PPS's Patient Driven Payment Model (PDPM)", PDPM_START, "ZZZZZ", (
        ("the PT/OT case-mix group", _LETTERS[:16]),
        ("the speech-language pathology case-mix group", _LETTERS[:12]),
        ("the nursing case-mix group", _LETTERS[:25]),
        ("the non-therapy ancillary case-mix group", _LETTERS[:6]),
        ("the assessment indicator", "0123456789"))),
    "0023": ("the home health Patient-Driven Groupings Model (PDGM)", PDGM_START, None, (
        ("the admission source and timing", "1234"),
        ("the clinical group", _LETTERS[:12]),
        ("the functional impairment level", "ABC"),
        ("the comorbidity adjustment", "123"),
        ("the placeholder", "1"))),
}


def hipps_problem(code: str, revenue: str, on: dt.date) -> str | None:
    """What makes ``code``, on a HIPPS line of revenue code ``revenue`` (``0022``, ``0023``:
    :data:`HIPPS_STRUCTURES`) for a period beginning ``on``, not a HIPPS code of its payment
    system; None when it is one, or the revenue code or date is none this edit knows (an
    IRF's 0024; a SNF day before 2019-10-01, a home health period before 2020-01-01).

    >>> day = dt.date(2025, 11, 1)
    >>> hipps_problem("NHNC1", "0022", day), hipps_problem("ZZZZZ", "0022", day)
    (None, None)
    >>> hipps_problem("1AA11", "0023", day), hipps_problem("4LC31", "0023", day)
    (None, None)
    >>> hipps_problem("99213", "0022", day)
    "its position 1 is '9', not the PT/OT case-mix group (A-P)"
    >>> hipps_problem("1AA12", "0023", day)
    "its position 5 is '2', not the placeholder (1)"
    >>> hipps_problem("1AA1", "0023", day)
    'it has 4 characters, not 5'
    """
    structure = HIPPS_STRUCTURES.get(revenue)
    if structure is None or on < structure[1]:
        return None
    _, _, default, positions = structure
    if code == default:
        return None
    if len(code) != len(positions):
        return f"it has {len(code)} character{'' if len(code) == 1 else 's'}, not 5"
    for i, (char, (what, takes)) in enumerate(zip(code, positions, strict=True)):
        if char not in takes:
            shown = takes if len(takes) == 1 else f"{takes[0]}-{takes[-1]}"
            return f"its position {i + 1} is {char!r}, not {what} ({shown})"
    return None


@rule("HIPPS_CODE_INVALID", "D", "error",
      "CMS CR 11152 (MLN MM11152: the PDPM HIPPS code on revenue code 0022, from "
      "2019-10-01); CMS CR 11081 and Claims Processing Manual ch.10 §10.1.9 (the PDGM "
      "HIPPS code on revenue code 0023, from 2020-01-01); CMS, Definition and Uses of HIPPS "
      "codes (2022)", when=["hipps"])
def hipps_code_invalid(ctx: ClaimContext) -> Iterator[Hit]:
    """A HIPPS line's code (0022 on 21x or 18x, 0023 on 32x:
    ``context.HIPPS_REVENUE_CODES``) that is not of its payment system's HIPPS structure
    (:func:`hipps_problem`: PDPM for a SNF day from 2019-10-01, by the line's date; PDGM
    for a home health period from 2020-01-01, by the period's first day). A code written
    in lower case whose upper case is one is given that as the ``fix``; otherwise none:
    the code is the grouper's answer to the patient's assessment (MDS, OASIS). Not on a
    line with no code (a door kept it apart: the 837I's SV202 HP)."""
    claim = ctx.claim
    hipps = hipps_revenue_codes(claim)
    if hipps is None or ctx.inpatient:
        return
    period = claim.statement_period
    for i, line in enumerate(claim.service_lines):
        if not is_hipps_line(hipps, line):
            continue
        code = line.procedure_code.strip()
        rev = (line.revenue_code or "").strip().zfill(4)
        if not code or rev not in HIPPS_STRUCTURES:
            continue
        on = period[0] if rev == "0023" and period is not None else claim.line_date(line)
        problem = hipps_problem(code, rev, on)
        if problem is None:
            continue
        upper = code.upper()
        fix: tuple[str, ...] = (upper,) if upper != code and \
            hipps_problem(upper, rev, on) is None else ()
        name = HIPPS_STRUCTURES[rev][0]
        yield Hit(f"Line {line.line}: {code!r} on revenue code {rev} is no HIPPS code of "
                  f"{name}: {problem}"
                  + (f"; it is {upper} in upper case" if fix else
                     "; give the HIPPS code the grouper assigned from the patient's "
                     "assessment") + ".",
                  ("service_lines", i, "procedure_code"), (code,), fix)


RULES = (site_of_service_missing, period_spans_months, home_health_period_too_long,
         hipps_code_invalid)
