"""Medicare's "always therapy" codes and the therapy discipline modifiers (GN, GO, GP).

Outpatient physical therapy, occupational therapy and speech-language pathology services
are furnished under a plan of care of one discipline, and every line of one carries the
modifier of that discipline: GN (speech-language pathology), GO (occupational therapy),
GP (physical therapy) (Medicare Claims Processing Manual, Pub. 100-04, ch.5 §20.1). CMS
sorts the codes of its annual therapy code list (the "Annual Therapy Update" of its Therapy
Services page) into "always therapy" codes, which take a discipline modifier whoever
furnishes them, and "sometimes therapy" codes, which a physician or non-physician
practitioner may bill without one outside a therapy plan of care (wound care 97597,
97598, 97602, 97605-97608, 97610; muscle and range of motion testing 95831-95852;
96105...): the sometimes codes are not here, and no finding is raised on them.

This table holds only the always-therapy codes a public source names as such (codes only,
never descriptor text), each from the date codekit judges it:

- the 14 discipline-specific codes of CMS CR 10176 (Pub. 100-04 Transmittal 3814,
  2017-07-27; "Updated Editing of Always Therapy Services - MCS", effective 2018-01-01: the
  Part B professional claims system returns a claim with an always-therapy code reported
  without its modifier as unprocessable): GN only on 92521, 92522, 92523, 92524, 92597,
  92607; GO only on 97165, 97166, 97167, 97168; GP only on 97161, 97162, 97163, 97164
  (the evaluations CR 9933 gave a discipline in 2017);
- 92507, 92508 and 92526, which the 2011 therapy multiple procedure payment reduction
  list of "always therapy" codes names (CMS CR 7050; the MPPR applies to the HCPCS codes
  on the list of always therapy services: NGS and Novitas MAC pages on the therapy MPPR),
  from 2018-01-01 as well;
- the physical medicine codes the CMS therapy code list (Therapy Services page, "Annual
  Therapy Update": the CY 2025 and CY 2026 lists) marks "always therapy", any discipline,
  from 2018-01-01 (the date CR 10176's editing began; 97763 was new then): the supervised
  and constant-attendance modalities 97012, 97016, 97018, 97022, 97024, 97026, 97028, 97032,
  97033, 97034, 97035, 97036; the therapeutic procedures 97110, 97112, 97113, 97116, 97124,
  97140, 97150, 97530, 97533, 97535, 97537, 97542; the tests and measurements 97750, 97755;
  orthotic and prosthetic management and training 97760, 97761, 97763; and G0283 (the
  Level II code for unattended electrical stimulation, which Medicare takes in place of
  97014).

Left out on purpose: 97010 (bundled: Medicare pays no line of it, so its modifier changes
nothing), 97014 (not recognized by Medicare: G0283 is its code), the unlisted codes 97039
and 97139 (what they stand for is the claim's to say), every code the list marks
"sometimes therapy" (a physician may bill it outside a therapy plan of care: wound care
97597, 97598, 97602, 97605-97608, 97610 and 92520, which the I/OCE pays conditionally as
therapy; muscle and range of motion testing 95831-95852; 96105), and any other code until
a source at hand confirms it is always therapy. A code CMS adds to the always-therapy list
is added with its first date (and last, when CMS takes it off the list) as a
:class:`TherapyCode` row.

On an institutional claim the revenue code says the discipline too: the Medicare
institutional claims system requires GN, GO or GP on every line of revenue code 042x
(physical therapy: GP only), 043x (occupational therapy: GO only) and 044x
(speech-language pathology: GN only) (Claims Processing Manual ch.5 §20.1):
:data:`THERAPY_REVENUE`.
"""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["ALWAYS_THERAPY", "IOCE_CONDITIONAL_THERAPY", "THERAPY_DISCIPLINES",
           "THERAPY_EVALUATIONS", "THERAPY_MODIFIERS", "THERAPY_REVENUE", "TherapyCode",
           "always_therapy"]

#: The therapy discipline modifiers, with the plan of care each says.
THERAPY_DISCIPLINES = {"GN": "speech-language pathology", "GO": "occupational therapy",
                       "GP": "physical therapy"}
#: GN, GO and GP: the keys of :data:`THERAPY_DISCIPLINES`.
THERAPY_MODIFIERS = frozenset(THERAPY_DISCIPLINES)
#: The first three digits of a therapy revenue code -> the one modifier its lines take
#: (Claims Processing Manual ch.5 §20.1).
THERAPY_REVENUE = {"042": "GP", "043": "GO", "044": "GN"}
#: The "sometimes therapy" codes the CMS I/OCE pays as therapy (status A, outside OPPS
#: payment) when billed as therapy, under a therapy revenue code (042x-044x) or with GN,
#: GO or GP: its ``data_hcpcs`` flag ``therapy_conditionally_paid``, the same 9 codes in
#: every I/OCE version from 2019-07-01 (pyoce 0.1.0, ``SometimesTherapyLogic``; the
#: speech-language evaluation 92520 and the wound care codes). Billed otherwise they
#: keep their OPPS status (97597: T).
IOCE_CONDITIONAL_THERAPY = frozenset({"92520", "97597", "97598", "97602", "97605", "97606",
                                      "97607", "97608", "97610"})

CR_10176 = "CMS CR 10176 (Transmittal 3814, effective 2018-01-01)"
MPPR_2011 = "CMS therapy MPPR list of always therapy codes (CR 7050, 2011)"
THERAPY_LIST = ("CMS therapy code list (Therapy Services, Annual Therapy Update, CY 2025 and "
                "CY 2026): always therapy")
#: The always-therapy codes of the CMS therapy code list that any discipline may bill
#: (module doc): modalities, therapeutic procedures, tests and measurements, orthotic and
#: prosthetic management and training, G0283.
ANY_DISCIPLINE = (
    "97012", "97016", "97018", "97022", "97024", "97026", "97028", "97032", "97033", "97034",
    "97035", "97036",
    "97110", "97112", "97113", "97116", "97124", "97140", "97150", "97530", "97533", "97535",
    "97537", "97542",
    "97750", "97755",
    "97760", "97761", "97763",
    "G0283")
FROM_2018 = dt.date(2018, 1, 1)


@attrs.frozen(slots=True)
class TherapyCode:
    """An always-therapy code from ``start`` (to ``end``, when CMS took it off the list):
    the ``discipline`` modifier it takes when CMS made it discipline-specific (else any of
    GN, GO, GP), and the ``source`` that lists it."""

    code: str
    start: dt.date
    discipline: str | None
    source: str
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        """Whether the code is on the list on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


def _rows() -> dict[str, TherapyCode]:
    rows = [TherapyCode(c, FROM_2018, "GN", CR_10176)
            for c in ("92521", "92522", "92523", "92524", "92597", "92607")]
    rows += [TherapyCode(c, FROM_2018, "GO", CR_10176)
             for c in ("97165", "97166", "97167", "97168")]
    rows += [TherapyCode(c, FROM_2018, "GP", CR_10176)
             for c in ("97161", "97162", "97163", "97164")]
    rows += [TherapyCode(c, FROM_2018, None, MPPR_2011) for c in ("92507", "92508", "92526")]
    rows += [TherapyCode(c, FROM_2018, None, THERAPY_LIST) for c in ANY_DISCIPLINE]
    return {r.code: r for r in rows}


#: code -> its :class:`TherapyCode` row (see the module doc for the sources).
ALWAYS_THERAPY: dict[str, TherapyCode] = _rows()


#: The evaluations and re-evaluations of outpatient therapy (codes only): physical
#: therapy 97161-97164, occupational therapy 97165-97168, speech-language pathology
#: 92521-92524, and the clinical swallowing evaluation 92610 (an SLP's or an OT's). The
#: therapist furnishes them: a therapy assistant does not evaluate (Benefit Policy Manual,
#: Pub. 100-02, ch.15 §230.1 PTAs, §230.2 OTAs; Medicare covers no SLP assistant, §230.3),
#: so CQ and CO never go on them.
THERAPY_EVALUATIONS: frozenset[str] = frozenset({
    "97161", "97162", "97163", "97164", "97165", "97166", "97167", "97168",
    "92521", "92522", "92523", "92524", "92610"})


def always_therapy(code: str | None, day: dt.date) -> TherapyCode | None:
    """The row of ``code`` (compact) when it is an always-therapy code on ``day``.

    >>> always_therapy("97161", dt.date(2025, 6, 10)).discipline
    'GP'
    >>> always_therapy("92507", dt.date(2025, 6, 10)).discipline is None
    True
    >>> always_therapy("97110", dt.date(2026, 3, 2)).discipline is None  # any discipline
    True
    >>> always_therapy("97597", dt.date(2025, 6, 10)) is None  # sometimes therapy
    True
    >>> always_therapy("97161", dt.date(2017, 6, 1)) is None  # before CR 10176
    True
    """
    row = ALWAYS_THERAPY.get(code or "")
    return row if row is not None and row.covers(day) else None
