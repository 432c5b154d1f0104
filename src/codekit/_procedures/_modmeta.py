"""What modifiers mean, as far as codekit ships it.

- Anatomic and laterality modifiers (RT, LT, 50, E1-E4, FA, F1-F9, TA, T1-T9, LC, LD, LM,
  RC, RI): the body site and side, from the public CMS HCPCS Level II definitions (50 is
  the CPT bilateral modifier).
- CPT modifiers (two digits, and the Category II 1P, 2P, 3P, 8P): a short functional
  label written for codekit; the AMA's descriptors are not included.
- The HCPCS Level II modifiers the claim edits name (X{EPSU}, GA, GY, GZ, KX, JW, JZ,
  JG, TB...) and those professional-fee coders and DMEPOS suppliers report (MS, KR, RA,
  RB, FS, FT, FQ, CS, G0, Q5, Q6...): a short label, so that they have a title and
  ``modifiers.search`` finds them without a loaded file. Full Level II descriptions come
  from the CMS HCPCS file the user loads (:func:`codekit.hcpcs.load_release`).
- NCCI-associated modifiers (NCCI Policy Manual chapter I, section E): those that may
  bypass a PTP edit with modifier indicator 1.
- Modifiers that belong on one section of CPT only (:data:`PLACEMENT`): the anesthesia
  physical-status modifiers P1-P6, the laboratory modifiers 90, 91, 92 and QW (a
  CLIA-waived test), 1P, 2P, 3P and 8P, the E/M modifiers 25 and 57, FS (a split or
  shared E/M visit),
  JW and JZ, JG and TB (a drug's line: never on a CPT code that is no drug, nor on a Level
  II code :func:`level2_kind` calls no drug), and the DMEPOS modifiers NU, RR, UE, KH, KI, KJ and MS
  (never on a CPT code, nor on a Level II drug, service or ambulance code); modifiers an E/M never
  takes (:data:`NOT_ON_EM`): the assistant-at-surgery modifiers and the professional and
  technical components; modifiers a clinical laboratory test never takes
  (:data:`NOT_ON_LAB`): the repeat-procedure modifiers 76 and 77 (a repeated test is 91).
"""

from __future__ import annotations

import attrs

from ._sections import ANESTHESIA, EM, LAB, SURGERY

__all__ = ["ANATOMIC", "LABELS", "LEVEL2_KINDS", "NCCI_ASSOCIATED", "NOT_ON_EM", "NOT_ON_LAB",
           "PLACEMENT", "POSTOPERATIVE_PROCEDURE", "SUCCESSORS", "Anatomy", "Placement",
           "is_clinical_lab", "is_cpt_modifier", "level2_kind", "level2_kind_why"]


@attrs.frozen
class Anatomy:
    """Where an anatomic modifier points: side, region and site."""

    side: str | None  # "left", "right", "bilateral" or None
    region: str | None  # "eyelid", "hand", "foot", "coronary artery" or None (whole body)
    site: str  # e.g. "upper left eyelid", "left hand, thumb"


_DIGITS = ("second digit", "third digit", "fourth digit", "fifth digit")


def _anatomy() -> dict[str, Anatomy]:
    a: dict[str, Anatomy] = {
        "RT": Anatomy("right", None, "right side of the body"),
        "LT": Anatomy("left", None, "left side of the body"),
        "50": Anatomy("bilateral", None, "both sides of the body (bilateral procedure)"),
        "E1": Anatomy("left", "eyelid", "upper left eyelid"),
        "E2": Anatomy("left", "eyelid", "lower left eyelid"),
        "E3": Anatomy("right", "eyelid", "upper right eyelid"),
        "E4": Anatomy("right", "eyelid", "lower right eyelid"),
        "FA": Anatomy("left", "hand", "left hand, thumb"),
        "F5": Anatomy("right", "hand", "right hand, thumb"),
        "TA": Anatomy("left", "foot", "left foot, great toe"),
        "T5": Anatomy("right", "foot", "right foot, great toe"),
        "LC": Anatomy("left", "coronary artery", "left circumflex coronary artery"),
        "LD": Anatomy("left", "coronary artery", "left anterior descending coronary artery"),
        "LM": Anatomy("left", "coronary artery", "left main coronary artery"),
        "RC": Anatomy("right", "coronary artery", "right coronary artery"),
        "RI": Anatomy(None, "coronary artery", "ramus intermedius coronary artery"),
    }
    for i, digit in enumerate(_DIGITS):
        a[f"F{i + 1}"] = Anatomy("left", "hand", f"left hand, {digit}")
        a[f"F{i + 6}"] = Anatomy("right", "hand", f"right hand, {digit}")
        a[f"T{i + 1}"] = Anatomy("left", "foot", f"left foot, {digit}")
        a[f"T{i + 6}"] = Anatomy("right", "foot", f"right foot, {digit}")
    return a


#: Anatomic and laterality modifiers.
ANATOMIC: dict[str, Anatomy] = _anatomy()

#: NCCI-associated modifiers (may bypass an indicator-1 PTP edit).
NCCI_ASSOCIATED: frozenset[str] = frozenset(
    ["E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9",
     "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "LT", "RT", "LC", "LD",
     "LM", "RC", "RI", "24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XP",
     "XS", "XU"])

#: Short functional labels written for codekit (not the AMA or CMS descriptors).
LABELS: dict[str, str] = {
    # CPT (HCPCS Level I) modifiers
    "22": "increased procedural services",
    "23": "unusual anesthesia",
    "24": "unrelated E/M service during a postoperative period",
    "25": "significant, separately identifiable E/M service on the day of a procedure",
    "26": "professional component",
    "27": "multiple outpatient hospital E/M encounters on the same date",
    "32": "mandated service",
    "33": "preventive service",
    "47": "anesthesia by the surgeon",
    "50": "bilateral procedure",
    "51": "multiple procedures",
    "52": "reduced service",
    "53": "discontinued procedure",
    "54": "surgical care only",
    "55": "postoperative management only",
    "56": "preoperative management only",
    "57": "decision for surgery",
    "58": "staged or related procedure during the postoperative period",
    "59": "distinct procedural service",
    "62": "two surgeons",
    "63": "procedure on an infant under 4 kg",
    "66": "surgical team",
    "73": "outpatient procedure discontinued before anesthesia",
    "74": "outpatient procedure discontinued after anesthesia",
    "76": "repeat procedure by the same practitioner",
    "77": "repeat procedure by another practitioner",
    "78": "unplanned return to the operating room during the postoperative period",
    "79": "unrelated procedure during the postoperative period",
    "80": "assistant surgeon",
    "81": "minimum assistant surgeon",
    "82": "assistant surgeon when no qualified resident is available",
    "90": "reference (outside) laboratory",
    "91": "repeat clinical diagnostic laboratory test",
    "92": "alternative laboratory platform testing",
    "93": "telemedicine service, audio only",
    "95": "telemedicine service, audio and video",
    "96": "habilitative service",
    "97": "rehabilitative service",
    "99": "multiple modifiers",
    "1P": "performance measure exclusion, for a medical reason",
    "2P": "performance measure exclusion, for the patient's reason",
    "3P": "performance measure exclusion, for a system reason",
    "8P": "performance measure action not performed, reason not otherwise specified",
    # HCPCS Level II modifiers the claim edits refer to
    "XE": "separate encounter (a subset of 59)",
    "XP": "separate practitioner (a subset of 59)",
    "XS": "separate structure or organ (a subset of 59)",
    "XU": "unusual non-overlapping service (a subset of 59)",
    "GA": "waiver of liability (ABN) on file",
    "GY": "statutorily excluded or not a Medicare benefit",
    "GZ": "expected to be denied as not reasonable and necessary, no ABN",
    "KX": "requirements in the medical policy have been met (documentation on file)",
    "JW": "drug amount discarded (wasted)",
    "JZ": "no drug amount discarded (zero wasted)",
    "JG": "drug acquired under the 340B program (replaced by TB from 2025)",
    "TB": "drug acquired under the 340B program, reported for information",
    "TC": "technical component",
    "GT": "telehealth via interactive audio and video (institutional claims)",
    "GC": "service performed in part by a resident under a teaching physician",
    "QW": "CLIA-waived test",
    "AT": "acute treatment (chiropractic manipulation)",
    "PO": "excepted service at an off-campus provider-based department",
    "PN": "non-excepted service at an off-campus provider-based department",
    # anesthesia (Claims Processing Manual ch.12 §50, §140.3.3)
    **{f"P{i}": f"anesthesia physical status, ASA class {i}" for i in range(1, 7)},
    "AA": "anesthesia personally performed by the anesthesiologist",
    "AD": "medical supervision of more than four concurrent anesthesia procedures",
    "QK": "medical direction of two, three or four concurrent anesthesia procedures",
    "QY": "medical direction of one CRNA by an anesthesiologist",
    "QX": "CRNA service with medical direction by a physician",
    "QZ": "CRNA service without medical direction by a physician",
    "QS": "monitored anesthesia care",
    # therapy (Claims Processing Manual ch.5 §20.1)
    "GN": "under a speech-language pathology plan of care",
    "GO": "under an occupational therapy plan of care",
    "GP": "under a physical therapy plan of care",
    "CQ": "furnished in whole or in part by a physical therapist assistant",
    "CO": "furnished in whole or in part by an occupational therapy assistant",
    # DMEPOS (Claims Processing Manual ch.20)
    "NU": "new equipment (purchase)",
    "RR": "rental",
    "UE": "used equipment (purchase)",
    "KH": "DMEPOS capped rental, first month (or initial purchase claim)",
    "KI": "DMEPOS capped rental, second or third month",
    "KJ": "DMEPOS capped rental, months four to fifteen",
    # ambulance furnished by a provider (Claims Processing Manual ch.15 §30)
    "QM": "ambulance service provided under arrangement by a provider of services",
    "QN": "ambulance service furnished directly by a provider of services",
    "GX": "notice of liability issued voluntarily (a service Medicare never covers)",
    # Level II modifiers a professional-fee coder and a DMEPOS supplier report, in codekit's
    # words after the meanings of CMS's HCPCS file (October 2025): without a loaded file
    # they had no title and no search found them (MS, FS, KR ...)
    "MS": "six-month maintenance and servicing fee for parts and labor",
    "KR": "rental item, billing for a partial month",
    "RA": "replacement of a DME, orthotic or prosthetic item",
    "RB": "replacement of a part of a DME, orthotic or prosthetic item, as part of a repair",
    "BP": "beneficiary chose to purchase the rented item (purchase option)",
    "BR": "beneficiary chose to rent the item (purchase option)",
    "BU": "beneficiary did not choose to purchase or rent within 30 days (purchase option)",
    "LL": "lease or rental, the rental applied to the purchase allowance",
    "NR": "new when rented: an item new when first rented, later purchased",
    "EY": "no order from a physician or other licensed practitioner for the item or service",
    "GK": "reasonable and necessary item or service that goes with a GA or GZ item",
    "GL": "medically unnecessary upgrade furnished instead of the standard item, no charge, "
          "no ABN",
    "KF": "item designated by the FDA as a class III device",
    "KS": "glucose monitor supply for a diabetic beneficiary not treated with insulin",
    "KL": "DMEPOS item delivered by mail",
    "CG": "policy criteria applied",
    **{f"K{i}": f"lower extremity prosthesis, functional level {i}" for i in range(5)},
    "FS": "split (or shared) E/M visit",
    "FT": "unrelated E/M visit on the day of another E/M visit or during a global period",
    "FQ": "service furnished using audio-only communication technology",
    "FR": "supervising practitioner present through two-way audio and video",
    "GQ": "telehealth via asynchronous (store and forward) technology",
    "G0": "telehealth service for the diagnosis, evaluation or treatment of an acute stroke "
          "(telestroke)",
    "CS": "cost sharing waived: COVID-19 testing-related service during the public health "
          "emergency",
    "Q5": "service furnished by a substitute physician under a reciprocal billing arrangement",
    "Q6": "service furnished by a substitute physician under a fee-for-time arrangement "
          "(locum tenens)",
    "AI": "principal physician of record",
    "AS": "assistant at surgery: a physician assistant, nurse practitioner or clinical nurse "
          "specialist",
    "GE": "service performed by a resident without a teaching physician present (primary "
          "care exception)",
    "GV": "attending physician not employed or paid under arrangement by the patient's "
          "hospice",
    "GW": "service not related to the hospice patient's terminal condition",
    "AQ": "physician service in an unlisted health professional shortage area (HPSA)",
    "CR": "catastrophe or disaster related",
    "ET": "emergency service",
    "GJ": "emergency or urgent service by an opt-out physician or practitioner",
    "QJ": "service to a prisoner or patient in state or local custody",
    "PT": "colorectal cancer screening test converted to a diagnostic test",
    "GG": "screening and diagnostic mammography on the same patient the same day",
    "CA": "inpatient-only procedure performed emergently on an outpatient who died before "
          "admission",
    "JA": "drug administered intravenously",
    "JB": "drug administered subcutaneously",
    "CT": "CT scan on equipment not meeting the NEMA XR-29 standard",
    "FX": "X-ray taken using film",
    "FY": "X-ray taken using computed radiography",
    "ER": "item or service furnished by an off-campus provider-based emergency department",
}
for _code, _a in ANATOMIC.items():
    LABELS.setdefault(_code, _a.site)

#: Modifiers CMS ended with other modifiers in their place: a line carrying one after it
#: ended is told to report these (``ModifierEntry.replacements``, the error's ``fix``).
#: JG (a 340B-acquired drug) ends on 2024-12-31 (its ``TERM DT`` in CMS's HCPCS file) and
#: every 340B-acquired drug takes TB from 2025-01-01 (CY 2025 OPPS/ASC final rule; the
#: edit specification's E1: "340B now uses TB"). CMS's file names no successor of a
#: modifier in its ``XREF`` columns.
SUCCESSORS: dict[str, tuple[str, ...]] = {"JG": ("TB",)}


@attrs.frozen
class Placement:
    """The codes a modifier belongs on: CPT sections (a procedure entry's ``section``)."""

    sections: frozenset[str]
    what: str  # what the modifier is, for a message: "an anesthesia physical-status modifier"
    codes: str  # the codes it belongs on, in words and ranges
    #: Judge CPT codes only: HCPCS Level II has codes of the kind too (laboratory G and P
    #: codes, quality-data G codes) that codekit cannot tell by section. A Level II code is
    #: then judged by its kind alone (:attr:`level2`).
    cpt_only: bool
    #: CPT code ranges (first, last) outside ``sections`` that take the modifier too.
    also: tuple[tuple[str, str], ...] = ()
    #: The modifier marks another service of the date (25, 57: the E/M beside a
    #: procedure): the message names the line of the date it belongs on.
    moves: bool = False
    #: The kinds of HCPCS Level II code (:func:`level2_kind`) that never take the modifier
    #: (with ``cpt_only``): JW and JZ no ``"equipment"``, ``"service"`` or ``"ambulance"``
    #: code, the DMEPOS modifiers no ``"drug"``, ``"service"`` or ``"ambulance"`` code.
    level2: frozenset[str] = frozenset()

    def takes(self, section: str | None, code: str) -> bool:
        """Whether a CPT code of ``section`` takes the modifier.

        >>> PLACEMENT["25"].takes("Evaluation and Management", "99213")
        True
        >>> PLACEMENT["25"].takes("Medicine", "92012"), PLACEMENT["25"].takes("Surgery", "20610")
        (True, False)
        """
        return section in self.sections or any(a <= code <= b for a, b in self.also)


#: OPPS status indicators (OPPS Addendum D1, the I/OCE's status of a code on its date) of
#: drugs and biologicals: G (pass-through drugs and biologicals), K (non-pass-through drugs,
#: nonimplantable biologicals, radiopharmaceuticals), K1 (non-opioid drugs for
#: post-surgical pain), L (influenza, pneumococcal, hepatitis B and COVID-19 vaccines,
#: monoclonal antibody products).
_DRUG_STATUS = frozenset({"G", "K", "K1", "L"})
#: OPPS status indicators of procedures and services: C (inpatient only), J1, J2
#: (comprehensive APCs), P (partial hospitalization, intensive outpatient), Q1-Q4
#: (conditionally packaged services and laboratory tests), S, T (procedures), V (visits).
_SERVICE_STATUS = frozenset({"C", "J1", "J2", "P", "Q1", "Q2", "Q3", "Q4", "S", "T", "V"})

#: What each kind of HCPCS Level II code (:func:`level2_kind`) is, for a message (a drug
#: or a service says why: its J code or its status indicator).
LEVEL2_KINDS: dict[str, str] = {
    "drug": "a drug or biological",
    "service": "a procedure or service",
    "equipment": "an item of equipment, an orthotic or prosthetic, or a vision or hearing "
                 "code: HCPCS E, K, L and V codes, no drug",
    "ambulance": "an ambulance service: HCPCS A0021-A0999",
}


def level2_kind(code: str, status: str | None) -> str | None:
    """What a HCPCS Level II ``code`` of OPPS status indicator ``status`` (on the date) is,
    as far as codekit's data tells, for the modifiers of one kind of code (:class:`Placement`):
    ``"drug"`` (a J code, the HCPCS drug section, or a status of drugs and biologicals: G,
    K, K1, L), ``"equipment"`` (an E, K, L or V code: durable medical equipment, the DME
    MACs' codes, orthotics and prosthetics, vision and hearing: no code of theirs has a
    drug status), ``"ambulance"`` (A0021-A0999), ``"service"`` (a status of procedures and
    services: C, J1, J2, P, Q1-Q4, S, T, V); None for the rest (supplies, nutrition, and
    codes of statuses N, Y, A, B, E1, E2, M, which hold drugs and supplies alike: A4253,
    test strips, and A4802, protamine, are both N). What decided it:
    :func:`level2_kind_why`.

    >>> level2_kind("J9035", "K"), level2_kind("J1100", "N"), level2_kind("Q5101", "K")
    ('drug', 'drug', 'drug')
    >>> level2_kind("E0601", "Y"), level2_kind("A0428", "A"), level2_kind("G0121", "T")
    ('equipment', 'ambulance', 'service')
    >>> level2_kind("A4253", "N"), level2_kind("Q4074", "Y")
    (None, None)
    """
    return level2_kind_why(code, status)[0]


def level2_kind_why(code: str, status: str | None) -> tuple[str | None, str]:
    """:func:`level2_kind` and what decided it, for a message: ``"a HCPCS J code"``,
    ``"OPPS status indicator K"``; "" where the code's range did and the kind's name
    (:data:`LEVEL2_KINDS`) says so (equipment, ambulance) or there is no kind.

    >>> level2_kind_why("J9035", "K"), level2_kind_why("Q5101", "K")
    (('drug', 'a HCPCS J code'), ('drug', 'OPPS status indicator K'))
    >>> level2_kind_why("E0601", "Y"), level2_kind_why("G0121", "T")
    (('equipment', ''), ('service', 'OPPS status indicator T'))
    """
    first = code[:1]
    if first == "J":
        return "drug", "a HCPCS J code"
    drug = _BY_DRUG_STATUS.get(status)
    if drug is not None:
        return drug
    if first in ("E", "K", "L", "V"):
        return "equipment", ""
    if first == "A" and "A0021" <= code <= "A0999":
        return "ambulance", ""
    return _BY_SERVICE_STATUS.get(status, (None, ""))


#: :func:`level2_kind_why`'s answers by status indicator, made once (it runs on every
#: Level II line with a modifier of one kind of code).
_BY_DRUG_STATUS: dict[str | None, tuple[str | None, str]] = {
    s: ("drug", f"OPPS status indicator {s}") for s in _DRUG_STATUS}
_BY_SERVICE_STATUS: dict[str | None, tuple[str | None, str]] = {
    s: ("service", f"OPPS status indicator {s}") for s in _SERVICE_STATUS}


_ANESTHESIA = Placement(frozenset({ANESTHESIA}), "an anesthesia physical-status modifier",
                        "an anesthesia code (00100-01999)", False)
_LAB = Placement(frozenset({LAB}), "a laboratory modifier",
                 "a laboratory code (CPT 80047-89398, PLA and MAAA codes, or a HCPCS "
                 "laboratory code)", True)

#: The HCPCS Level II codes of DMEPOS items, which take the DMEPOS modifiers.
_DMEPOS_CODES = ("a DMEPOS item's HCPCS Level II code (durable medical equipment, "
                 "prosthetics, orthotics and supplies: E, K, L and A codes such as E0601)")
#: The kinds of Level II code no DMEPOS modifier goes on: a drug, a procedure or
#: service, an ambulance service (:func:`level2_kind`).
_NOT_DMEPOS = frozenset({"drug", "service", "ambulance"})
_DMEPOS_PAYMENT = Placement(frozenset(), "a DMEPOS payment-category modifier (NU: new "
                            "equipment bought; RR: rented; UE: used equipment bought)",
                            _DMEPOS_CODES, True, level2=_NOT_DMEPOS)
_DMEPOS_RENTAL = Placement(frozenset(), "a DMEPOS capped-rental month modifier (KH: the "
                           "first month or the initial purchase claim; KI: the second and "
                           "third months; KJ: the fourth to fifteenth)", _DMEPOS_CODES, True,
                           level2=_NOT_DMEPOS)
_DMEPOS_SERVICING = Placement(frozenset(), "the DMEPOS maintenance and servicing modifier "
                              "(MS: the six-month maintenance and servicing of equipment "
                              "the beneficiary owns)", _DMEPOS_CODES, True,
                              level2=_NOT_DMEPOS)

#: The codes that take the E/M modifiers 25 and 57: CPT's E/M section (99201-99499);
#: the eye examinations 92002-92014, which ophthalmology reports in place of an E/M and
#: which take 25 and 57 as an E/M does; the telemedicine visits of CPT's E/M section
#: numbered 98000-98016 (from 2025). HCPCS Level II codes are not judged (the
#: preventive visits G0402, G0438, G0439 and the hospital clinic visit G0463 are visits).
_EM_CODES = ("an E/M code (CPT 99202-99499; the eye examinations 92002-92014; the "
             "telemedicine visits 98000-98016)")
_EM_ALSO = (("92002", "92014"), ("98000", "98016"))

#: The line of a drug, which takes the drug modifiers JW, JZ (the amount of a single-dose
#: container discarded, or none) and JG, TB (a 340B-acquired drug): a HCPCS Level II drug
#: code, or one of the drugs CPT numbers (immune globulins, vaccines, allergen extracts).
_DRUG_LINE = ("the drug's own line (a HCPCS drug code such as J9035; the drugs CPT numbers: "
              "immune globulins 90281-90399, vaccines 90476-90759 and 91300-91399, allergen "
              "extracts 95115-95199)")
_DRUG_ALSO = (("90281", "90399"), ("90476", "90479"), ("90481", "90759"), ("91300", "91399"),
              ("95115", "95199"))
#: The kinds of Level II code no drug modifier goes on (:func:`level2_kind`).
_NOT_DRUG = frozenset({"equipment", "service", "ambulance"})

_CATEGORY_II = Placement(frozenset({"Category II (Performance Measurement)"}),
                         "a performance-measurement (Category II) modifier",
                         "a Category II code (four digits and F) or a HCPCS quality-data "
                         "code", True)

#: Modifiers that belong on one kind of code only (CPT anesthesia guidelines: the
#: physical-status modifiers P1-P6 go on anesthesia codes; 47, anesthesia by the surgeon,
#: goes on the surgical code; 90, 91 and 92 are laboratory
#: modifiers, Claims Processing Manual ch.16, and so is QW, which marks a test of the CMS
#: list of CLIA-waived tests, all laboratory codes (ch.16, the CLIA edits; the MACs' QW pages);
#: the DMEPOS payment-category modifiers NU, RR, UE, the capped-rental months KH, KI,
#: KJ and the maintenance and servicing MS describe a DMEPOS item, which no CPT code is,
#: nor a Level II drug, service or ambulance code (HCPCS Level II modifiers; Claims
#: Processing Manual ch.20); 1P, 2P, 3P and 8P are Category II modifiers; 25 and 57 are
#: E/M modifiers, CPT Appendix A and NCCI Policy Manual ch.I §D: 25 marks an E/M separate
#: from a procedure or other service of its date, 57 the E/M that was the decision for a
#: major surgery, Claims Processing Manual ch.12 §30.6.6 and §40.2.A.4; JW and JZ go on a
#: drug's line, Claims Processing Manual ch.17 §40).
PLACEMENT: dict[str, Placement] = {
    **{f"P{i}": _ANESTHESIA for i in range(1, 7)},
    # 47, regional or general anesthesia the operating surgeon gave: on the surgeon's
    # surgical code, never on an anesthesia code 00100-01999 (CPT modifier 47; Noridian
    # JE Part B, modifier 47: "append to basic surgical service/procedure only", "do not
    # use with anesthesia codes"). Medicare pays the surgeon's anesthesia through the
    # surgery (Claims Processing Manual ch.12 §50).
    "47": Placement(frozenset({SURGERY}), "the modifier of anesthesia given by the "
                    "operating surgeon, reported on the surgery itself",
                    "the surgeon's surgical code (CPT 10004-69990)", True),
    "90": _LAB, "91": _LAB, "92": _LAB, "QW": _LAB,
    **dict.fromkeys(("1P", "2P", "3P", "8P"), _CATEGORY_II),
    "25": Placement(frozenset({EM}), "an E/M modifier (the E/M was separate from a "
                    "procedure or other service of its date)", _EM_CODES, True, _EM_ALSO,
                    True),
    "57": Placement(frozenset({EM}), "an E/M modifier (the E/M was the decision for a "
                    "major surgery)", _EM_CODES, True, _EM_ALSO, True),
    # 24, an unrelated E/M in a surgery's postoperative period (CPT Appendix A; Claims
    # Processing Manual ch.12 §40.2.A): on an E/M code, as 25 and 57; a procedure of the
    # postoperative period takes 79 (unrelated), 78 (a return to the operating room) or 58
    # (staged or related). Not a moving modifier: an E/M beside a procedure of its own date
    # takes 25 or 57, not 24.
    "24": Placement(frozenset({EM}), "an E/M modifier (an unrelated E/M in a postoperative "
                    "period; a procedure there takes 79, 78 or 58)", _EM_CODES, True,
                    _EM_ALSO),
    # FS, the split (or shared) visit: an E/M visit a physician and a nonphysician
    # practitioner of one group furnished together in a facility (HCPCS Level II, from
    # 2022-01-01; Claims Processing Manual ch.12 §30.6.18): CPT's E/M section only
    # (critical care and prolonged services among them; HCPCS codes are not judged).
    "FS": Placement(frozenset({EM}), "the split (or shared) visit modifier (an E/M visit "
                    "a physician and a nonphysician practitioner furnished together)",
                    "an E/M code (CPT 99202-99499)", True),
    # JW and JZ, the amount of a drug from a single-dose container discarded (JW) or that
    # none was (JZ): on the line of the drug's own code, with its units (Claims
    # Processing Manual ch.17 §40; CMS JW/JZ policy FAQ). CPT codes other than the drugs
    # CPT numbers (immune globulins, vaccines, allergen extracts) are no drug: an E/M, a
    # drug administration code (96413-JZ: the JZ goes on the J code). A HCPCS Level II code
    # is judged by its kind (level2_kind): equipment, orthotics, prosthetics, vision and
    # hearing codes (E0601-JZ), ambulance codes and procedures or services (G0121-JZ) are
    # no drug; the rest is not judged (drugs are J, Q, C, A and S codes among others, and
    # the supplies' status N holds drugs too: A4253-JW is not told from A4802-JW).
    **dict.fromkeys(("JW", "JZ"), Placement(
        frozenset(), "a drug amount modifier (JW: part of a single-dose container's drug "
        "discarded; JZ: none discarded)", _DRUG_LINE, True, _DRUG_ALSO,
        level2=_NOT_DRUG)),
    # JG and TB, a drug or biological acquired with the 340B drug pricing program's
    # discount (the HCPCS Level II modifiers of the CY 2018 OPPS/ASC final rule; TB
    # "reported for informational purposes"; JG ended 2024-12-31, every 340B-acquired drug
    # takes TB from 2025-01-01): reported on the claim line of the 340B-acquired drug (CMS's
    # 340B modifier guidance of the CY 2018 OPPS and of the Part B inflation rebates, from
    # 2024-01-01 for every 340B covered entity), never on the drug's administration
    # (96413-TB) or another service. Judged as JW and JZ are (not a vaccine CPT code: CMS
    # leaves vaccines out of the 340B modifier policy, a TB there is not wrong).
    **dict.fromkeys(("JG", "TB"), Placement(
        frozenset(), "a 340B modifier (a drug or biological acquired with the 340B drug "
        "pricing program's discount: JG until 2024-12-31, TB)", _DRUG_LINE, True,
        _DRUG_ALSO, level2=_NOT_DRUG)),
    # The DMEPOS modifiers: whether the item is bought new (NU) or used (UE) or rented
    # (RR), the month of a capped rental (KH, KI, KJ), the six-month maintenance and
    # servicing of equipment the beneficiary owns (MS: Benefit Policy Manual ch.15
    # §110.2; Claims Processing Manual ch.20). No CPT code is a DMEPOS item, nor a Level II
    # drug (J9035-RR), procedure or service (G0121-KH) or ambulance code (level2_kind);
    # the other Level II codes are not judged (which of them are DMEPOS items of which
    # payment category is the DMEPOS fee schedule's, which codekit does not ship).
    **dict.fromkeys(("NU", "RR", "UE"), _DMEPOS_PAYMENT),
    **dict.fromkeys(("KH", "KI", "KJ"), _DMEPOS_RENTAL),
    "MS": _DMEPOS_SERVICING,
}

_ASSISTANT = ("an assistant-at-surgery modifier: an assistant helps with a surgical "
              "procedure, and is billed on it (Claims Processing Manual ch.12 §20.4.3)")
_NO_SPLIT = ("an E/M has no professional and technical components (MPFS PC/TC indicator "
             "0, a physician service)")
_POSTOPERATIVE = ("a procedure's modifier of a surgery's postoperative period ({}): an E/M "
                  "there takes 24 when it is unrelated to the surgery, and is part of the "
                  "surgery's package when it is not (CPT Appendix A; Claims Processing "
                  "Manual ch.12 §40.1.A, §40.2.A)")
#: The procedures' modifiers of a surgery's postoperative period (CPT Appendix A; Claims
#: Processing Manual ch.12 §40.2.A): 58 (a staged or related procedure), 78 (a return to
#: the operating room), 79 (an unrelated procedure); an E/M there takes 24.
POSTOPERATIVE_PROCEDURE = frozenset({"58", "78", "79"})
#: Modifiers an E/M (:func:`codekit.procedure.is_em`) never takes, with why: the
#: assistant-at-surgery modifiers (80, 81, 82, AS), and the professional and technical
#: components (26, TC: an E/M has no such split, its MPFS PC/TC indicator is 0, a
#: physician service). 26 and TC on other codes are judged by the PC/TC indicator of a
#: loaded MPFS RVU file (``load_mpfs``; the edit ``MOD_PCTC_NOT_ALLOWED``). The
#: procedures' modifiers of a postoperative period, 58 (a staged or related procedure),
#: 78 (a return to the operating room) and 79 (an unrelated procedure): an E/M of a
#: postoperative period takes 24 (CPT Appendix A; Claims Processing Manual ch.12 §40.2.A).
NOT_ON_EM: dict[str, str] = {
    "80": _ASSISTANT, "81": _ASSISTANT, "82": _ASSISTANT, "AS": _ASSISTANT,
    "26": "the professional component of a service that has a technical one: " + _NO_SPLIT,
    "TC": "the technical component of a service that has a professional one: " + _NO_SPLIT,
    "58": _POSTOPERATIVE.format("58, a staged or related procedure"),
    "78": _POSTOPERATIVE.format("78, a return to the operating room"),
    "79": _POSTOPERATIVE.format("79, an unrelated procedure"),
}


_REPEAT_LAB = ("a laboratory test repeated on the date for a subsequent result takes 91 "
               "(CPT modifier 91; the Medicare MACs' modifier 76 pages, Novitas and First "
               "Coast, list repeat laboratory services as an incorrect use of 76)")
#: Modifiers a clinical laboratory test (:func:`is_clinical_lab`) never takes, with why:
#: the repeat-procedure modifiers 76 (by the same physician) and 77 (by another): a
#: laboratory test repeated the same day for a subsequent result is reported with 91.
NOT_ON_LAB: dict[str, str] = {
    "76": "the repeat of a procedure by the same physician, not of a laboratory test: "
          + _REPEAT_LAB,
    "77": "the repeat of a procedure by another physician, not of a laboratory test: "
          + _REPEAT_LAB,
}


def is_clinical_lab(section: str | None, code: str) -> bool:
    """Whether a CPT code of ``section`` is a clinical laboratory test: CPT's Pathology and
    Laboratory section (with the PLA and MAAA codes) but anatomic pathology and the other
    procedures of 88000-89398, which 91 does not describe.

    >>> is_clinical_lab(LAB, "85025"), is_clinical_lab(LAB, "0240U")
    (True, True)
    >>> is_clinical_lab(LAB, "88305"), is_clinical_lab("Medicine", "93000")
    (False, False)
    """
    return section == LAB and not "88000" <= code <= "89398"


def is_cpt_modifier(code: str) -> bool:
    """CPT (Level I) modifiers are two digits, or a digit and P (Category II)."""
    return code[0].isdigit() and (code[1].isdigit() or code[1] == "P")
