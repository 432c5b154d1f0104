"""What the ICD-10-CM Official Guidelines say of two codes together, where no tabular note
codekit reads says it: codes not reported together (:data:`CONFLICTS`), codes sequenced
after another (:data:`SEQUENCES`), the conditions chapter 15 classifies in a pregnancy
(:data:`IN_PREGNANCY`) and signs and symptoms not coded beside a disease they are
routinely part of (:data:`INTEGRAL`), one row a guideline, by compact code prefix (FY2026
text; each row from the first guidelines that say it, :attr:`Conflict.since`); and the
full term of O80 (:data:`PRETERM_BEFORE`, :data:`POST_TERM_FROM`, :func:`gestation_weeks`)
and the trimesters of chapter 15 (:data:`TRIMESTER_DAYS`, :func:`trimester`).

The claim edits ``DX_GUIDELINE_CONFLICT``, ``DX_GUIDELINE_SEQUENCE``,
``DX_OBSTETRIC_CODE_MISSING`` and ``DX_SYMPTOM_INTEGRAL`` (``codekit.rules.guideline_pairs``)
read these tables; :class:`~codekit.icd10cm.Facts` marks the codes the first two and the
last name (``Facts.GUIDELINE_DROP``, ``GUIDELINE_PARTNER``, ``GUIDELINE_FIRST``,
``SYMPTOM_INTEGRAL``, ``SYMPTOM_DISEASE``...) and keys the codes of the rows of one
category (:func:`kin_keys`), so that a claim with none of them, or none that pair, does
not run the edits.

>>> [row.guideline for row in CONFLICTS if row.applies("Z853", "C50911")]
['I.C.2.d, I.C.2.m']
>>> [row.guideline for row in CONFLICTS if row.applies("Z853", "C3490")]
[]
>>> [row.guideline for row in SEQUENCES if row.applies("R4020", "T402X1A")]
['I.C.19.e.5.b']
>>> [row.guideline for row in SEQUENCES if row.applies("G9340", "T402X1S")]
[]
>>> [row.guideline for row in CONFLICTS if row.applies("T424X5A", "T424X1A")]
['I.C.19.e.5']
>>> [row.guideline for row in CONFLICTS if row.applies("T424X5A", "T402X1A")]
[]
>>> [row.applies("Z8544", "C5701", dt.date(2024, 11, 4)) for row in CONFLICTS
...  if row.drop == ("Z8544",)], [row.applies("Z8544", "C5701", dt.date(2025, 11, 3))
...                               for row in CONFLICTS if row.drop == ("Z8544",)]
([True], [False])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from .. import _cache

__all__ = ["AFTER_CODES", "CONFLICTS", "COVID_RESPIRATORY", "DROP_CODES", "EDITION_UNTIL",
           "FIRST_CODES", "HISTORY_SITES", "HISTORY_UNTIL", "INTEGRAL", "INTEGRAL_CODES",
           "INTEGRAL_DISEASES", "IN_PREGNANCY", "LOCALIZED", "NOT_PREGNANT", "NO_ROWS",
           "PARTNER_CODES", "POISONS", "POST_TERM_FROM", "PRETERM_BEFORE", "REMISSION",
           "SEPSIS", "SEQUENCES", "SEVERE_SEPSIS_CAUSES", "SUPERFICIAL_INJURIES",
           "TRIMESTER_DAYS",
           "TRIMESTER_WORDS", "UNCOMPLICATED", "Conflict", "InPregnancy", "Sequence",
           "deeper", "degree", "drop_kinds", "edition", "encounter", "gestation_weeks",
           "goes_first",
           "in_pregnancy", "integral_rows", "is_drop", "is_integral_disease",
           "is_integral_symptom", "is_kin_partner", "is_partner", "kin_keys",
           "outranks", "rows_of", "same_drug", "same_injury", "same_neoplasm", "trimester",
           "trimesters_of", "underlies_severe_sepsis"]

#: The first day of ICD-10-CM: a row holds from it unless it says later.
ICD10 = dt.date(2015, 10, 1)
#: The last day of the fiscal year whose Official Guidelines the tables follow (FY2026):
#: a finding on a later date says so (:func:`edition`).
EDITION_UNTIL = dt.date(2026, 9, 30)


def edition(day: dt.date) -> str:
    """What a finding on ``day`` adds to its guideline: nothing within the edition the
    tables follow, else that codekit has no later one.

    >>> edition(dt.date(2026, 9, 30)), edition(dt.date(2026, 10, 1))
    ('', '; FY2026 edition, the latest codekit has')
    """
    return "" if day <= EDITION_UNTIL else "; FY2026 edition, the latest codekit has"


#: The 7th characters of an encounter (I.C.19.a, I.C.20.a.2) -> the encounter: initial (A;
#: B, C: an open fracture), subsequent (D; E-R: a fracture's routine, delayed or other
#: healing), sequela (S); an external cause has A, D and S only.
_ENCOUNTER = {**dict.fromkeys("ABC", "A"), **dict.fromkeys("DEFGHJKMNPQR", "D"), "S": "S"}
#: The first characters of the codes whose 7th character is an encounter: chapters 19 and
#: 20 (S00-T88, V00-Y38) and chapter 13's fractures (M48.4-, M48.5-, M80, M84.3-M84.6).
_ENCOUNTER_CODES = "MSTVWXY"
#: The 7th characters (of :data:`_ENCOUNTER`) of an initial encounter, of a subsequent
#: one, and of either after the initial one (subsequent, sequela): what :func:`initial`,
#: :func:`not_initial` and :func:`_subsequent` test, as :func:`encounter` reads them, with
#: no call to it (the claim edits test pairs of codes with them).
_INITIAL, _SUBSEQUENT = ("".join(c for c, e in _ENCOUNTER.items() if e == x) for x in "AD")
_LATER_ENCOUNTER = "".join(c for c, e in _ENCOUNTER.items() if e != "A")


def encounter(code: str) -> str | None:
    """The encounter a code (compact) of chapter 19 or 20 (S00-T88, V00-Y38) or a fracture
    of chapter 13 (M48.4-, M48.5-, M80, M84.3-M84.6) is for, by its 7th character: ``"A"``
    initial (A, B, C), ``"D"`` subsequent (D, E-R), ``"S"`` sequela; None for a code of
    none (Y92.009; M1A.0110, whose 7th character is a tophus).

    >>> [encounter(c) for c in ("S52521A", "S52521G", "W19XXXD", "T451X5S", "M80051K")]
    ['A', 'D', 'D', 'S', 'D']
    >>> encounter("Y92009"), encounter("M1A0110"), encounter("O3610X0")
    (None, None, None)
    """
    return _ENCOUNTER.get(code[6]) if len(code) == 7 and code[0] in _ENCOUNTER_CODES else None


def initial(code: str) -> bool:
    """A code (compact) for an initial encounter (:func:`encounter` ``"A"``): an injury,
    poisoning or burn (S00-T88), an external cause (V00-Y38) or a fracture of chapter 13
    (M48.4-, M48.5-, M80, M84) whose 7th character is A (for open fractures B or C)
    (I.C.19.a, I.C.20.a.2).

    >>> initial("S72001A"), initial("S82201B"), initial("W19XXXD"), initial("Y92009")
    (True, True, False, False)
    """
    return len(code) == 7 and code[0] in _ENCOUNTER_CODES and code[6] in _INITIAL


def _subsequent(code: str) -> bool:
    """An injury code (7 characters) for a subsequent encounter (:func:`encounter`
    ``"D"``: 7th character D, and for fractures E-R: routine, delayed healing, nonunion,
    malunion)."""
    return len(code) == 7 and code[6] in _SUBSEQUENT


def _sequela(code: str) -> bool:
    """An injury, poisoning or burn code (7 characters) for a sequela (:func:`encounter`
    ``"S"``)."""
    return len(code) == 7 and code[6] == "S"


#: The categories of superficial injuries, one a body region of chapter 19 (S00 head, S10
#: neck, S20 thorax, S30 abdomen, lower back, pelvis and external genitals, S40 shoulder
#: and upper arm, S50 elbow and forearm, S60 wrist, hand and fingers, S70 hip and thigh,
#: S80 knee and lower leg, S90 ankle, foot and toes): abrasions, blisters, contusions,
#: insect bites, superficial foreign bodies, which "are not coded when associated with
#: more severe injuries of the same site" (I.C.19.b.1).
SUPERFICIAL_INJURIES = ("S00", "S10", "S20", "S30", "S40", "S50", "S60", "S70", "S80", "S90")


def not_initial(code: str) -> bool:
    """A code (compact) of chapter 19 or 20 (S00-T88, V00-Y38) for an encounter after the
    initial one (:func:`encounter` ``"D"`` or ``"S"``): its 7th character is D, for
    fractures E-R, or S (sequela). Not a code whose 7th character is no encounter
    (T86.8401, corneal transplant rejection, right eye: the 7th character is the eye).

    >>> not_initial("W19XXXD"), not_initial("S72001S"), not_initial("S72001A")
    (True, True, False)
    >>> not_initial("Y9301"), not_initial("T868401")
    (False, False)
    """
    return len(code) == 7 and code[0] in "STVWXY" and code[6] in _LATER_ENCOUNTER


def same_injury(y: str, x: str) -> bool:
    """``x`` and ``y`` (compact) are one injury code of chapter 19 (S00-T88: the same
    first six characters), ``x`` for a subsequent encounter (7th character D, for fractures
    E-R) and ``y`` for the initial encounter (A, for open fractures B or C): "7th
    character 'A', initial encounter is used for each encounter where the patient is
    receiving active treatment for the condition" (I.C.19.a).

    >>> same_injury("S72001A", "S72001D"), same_injury("S72001A", "S72002D")
    (True, False)
    >>> same_injury("S72001D", "S72001A"), same_injury("W19XXXA", "W19XXXD")
    (False, False)
    """
    return len(x) == 7 == len(y) and x[:6] == y[:6] and x[0] in "ST" and \
        _subsequent(x) and y[6] in _INITIAL


def same_drug(y: str, x: str) -> bool:
    """``x`` is the adverse effect (T36-T50, 6th character 5) and ``y`` a poisoning (6th
    character 1-4) of the same drug or class (the first five characters), for the same
    encounter (7th character): a drug correctly prescribed and properly administered, or
    used improperly (I.C.19.e.5.a, I.C.19.e.5.b), not both.

    >>> same_drug("T424X1A", "T424X5A"), same_drug("T424X2A", "T424X5A")
    (True, True)
    >>> same_drug("T424X1D", "T424X5A"), same_drug("T402X1A", "T424X5A")
    (False, False)
    """
    return len(x) == 7 == len(y) and x[:5] == y[:5] and x[6] == y[6] and \
        "T36" <= x[:3] <= "T50" and x[5] == "5" and y[5] in "1234"


#: Burns and corrosions by site (T20-T25).
BURN_SITES = ("T20", "T21", "T22", "T23", "T24", "T25")


def degree(code: str) -> int:
    """The degree of a burn or corrosion (T20-T25, compact): its 4th character, 1-3 for
    the first to third degree of a burn (5-7 of a corrosion), 0 unspecified.

    >>> degree("T23301A"), degree("T22111A"), degree("T21701A"), degree("T20019A")
    (3, 1, 3, 0)
    """
    return int(code[3]) % 4


def outranks(y: str, x: str) -> bool:
    """Burn or corrosion ``y`` is of a higher degree than ``x`` at another site or side
    (compact codes; a site and side: the 3rd, 5th and 6th characters)."""
    return degree(y) > degree(x) and (y[:3], y[4:6]) != (x[:3], x[4:6])


#: The subcategories (compact) of C81-C96 whose 5th character is the neoplasm's status
#: (the tabular's axis): 0 not having achieved remission, 1 in remission, 2 in relapse
#: (leukemia, C91-C95; multiple myeloma and malignant plasma cell neoplasms, C90.0-C90.3;
#: from 2024-10-01 also 0 and 1 of C86.0-C86.6 and of C88, which have no relapse code).
#: A test holds it to every such subcategory of the tabular on 2025-11-03 and 2016-06-01.
REMISSION: tuple[str, ...] = (
    "C860", "C861", "C862", "C863", "C864", "C865", "C866",
    "C880", "C882", "C883", "C884", "C888", "C889",
    "C900", "C901", "C902", "C903",
    "C910", "C911", "C913", "C914", "C915", "C916", "C919", "C91A", "C91Z",
    "C920", "C921", "C922", "C923", "C924", "C925", "C926", "C929", "C92A", "C92Z",
    "C930", "C931", "C933", "C939", "C93Z",
    "C940", "C942", "C943", "C944", "C948",
    "C950", "C951", "C959",
)


def _status(code: str) -> bool:
    return len(code) == 5 and code[4] in "012" and code.startswith(REMISSION)


def same_neoplasm(y: str, x: str) -> bool:
    """``x`` and ``y`` (compact) are one neoplasm of a :data:`REMISSION` subcategory in two
    statuses (their 5th characters: not having achieved remission, in remission, in
    relapse), which one neoplasm cannot have at one encounter (I.C.2.n: "If the
    documentation is unclear as to whether the leukemia has achieved remission, the
    provider should be queried").

    >>> same_neoplasm("C9100", "C9101"), same_neoplasm("C9002", "C9001")
    (True, True)
    >>> same_neoplasm("C9100", "C9111"), same_neoplasm("C9101", "C9101")
    (False, False)
    """
    return x[:4] == y[:4] and x != y and _status(x) and _status(y)


def deeper(y: str, x: str) -> bool:
    """``y`` and ``x`` (compact) are both burns or both corrosions of one site and side,
    for the same encounter, ``y`` of a higher degree: the site is coded once, at ``y``'s
    degree (I.C.19.d.2). Not a sequela (7th character S): a current burn and the sequela
    of an old one may both be coded (I.C.19.d.5).

    >>> deeper("T22311A", "T22111A"), deeper("T22311A", "T22112A"), deeper("T22611A", "T22111A")
    (True, False, False)
    """
    return (y[:3], y[4:7]) == (x[:3], x[4:7]) and int(y[3]) // 4 == int(x[3]) // 4 \
        and degree(y) > degree(x) and not _sequela(y)


@attrs.frozen
class Conflict:
    """A code (``drop``, compact prefixes) the guideline says is not assigned beside a code
    of ``partners`` (but those of ``but``; with ``subsequent``, only an injury coded for a
    subsequent encounter), from ``since``; a partner of ``until`` (prefix, first day it no
    longer holds) only before that day, when a new code took it from ``drop``. ``why`` is
    the message after "X with Y: " (``{x}`` the code to remove, ``{ys}`` the partners);
    ``fix``: the partner prefixes that are the machine-readable fix (every partner when
    empty)."""

    drop: tuple[str, ...]
    partners: tuple[str, ...]
    guideline: str
    why: str
    since: dt.date = ICD10
    but: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()
    #: codes of ``drop`` the row does not remove (``R05`` but its chronic cough, ``R05.3``)
    drop_but: tuple[str, ...] = ()
    subsequent: bool = False
    until: tuple[tuple[str, dt.date], ...] = ()
    #: a partner only of the same site and side, of a higher degree (:func:`deeper`)
    same_site: bool = False
    #: a partner only of the same code's other 7th character (:func:`same_injury`:
    #: ``"injury"``), of the same drug's other use (:func:`same_drug`: ``"drug"``) or of
    #: the same neoplasm's other status (:func:`same_neoplasm`: ``"status"``)
    same: str = ""
    #: a category recorded once: a partner only at an earlier position of the claim (the
    #: later code is the one to remove)
    once: bool = False
    #: the two codes say one encounter: only on a claim of one encounter (an inpatient
    #: stay, or a claim whose lines are all on its date), and on an inpatient claim not
    #: beside a code not present on admission (POA N: a new event of the stay)
    encounter: bool = False
    #: not on a claim with a code of these (the code is right beside one: Y07 with
    #: confirmed abuse, T74.-, beside a suspected one, T76.-)
    unless: tuple[str, ...] = ()
    #: a partner only for an encounter after the initial one (:func:`not_initial`: 7th
    #: character D-R or S), and not on a claim with a code for an initial encounter
    #: (:func:`initial`): codes recorded at the initial encounter only (Y92, Y93, Y99)
    later: bool = False
    #: the code is not removed but replaced by the code of this category with the same
    #: characters after it (T31.10 beside corrosions only: T32.10); the fix, and
    #: ``{to}`` in :attr:`why`
    swap: str = ""
    #: the code is removed with nothing in its place: no fix (the partners say why, they
    #: do not replace it)
    remove_only: bool = False
    #: every partner of the row is of its code's own category (one burn site, one injury,
    #: one drug, a second Y93 or Y99): set from the fields above
    own_category: bool = attrs.field(init=False)

    @own_category.default
    def _own(self) -> bool:
        return self.same_site or bool(self.same) or self.once

    def drops(self, code: str) -> bool:
        """``code`` (compact) may be one this row removes (beside some partner)."""
        if not code.startswith(self.drop) or (self.drop_but and code.startswith(self.drop_but)):
            return False
        if self.same == "injury":
            return _subsequent(code)
        if self.same == "drug":
            return code[5:6] == "5"
        if self.same == "status":
            return _status(code)
        return True

    def partner(self, code: str, day: dt.date | None = None) -> bool:
        """``code`` (compact) is a partner of the row's codes (on ``day``; any day when
        None)."""
        if not code.startswith(self.partners) and not (self.until and any(
                code.startswith(p) and (day is None or day < end) for p, end in self.until)):
            return False
        if self.same == "injury" and not (len(code) == 7 and code[6] in _INITIAL):
            return False
        if self.same == "drug" and code[5:6] not in ("1", "2", "3", "4"):
            return False
        if self.same == "status" and not _status(code):
            return False
        if self.later and not not_initial(code):
            return False
        return not code.startswith(self.but) and (not self.subsequent or _subsequent(code))

    def cancelled(self, codes: Iterable[str]) -> bool:
        """The row does not hold on a claim of ``codes`` (compact): one of :attr:`unless`
        is there, or, for a row of :attr:`later`, a code for an initial encounter."""
        return any((self.unless and c.startswith(self.unless))
                   or (self.later and initial(c)) for c in codes)

    def kin(self, code: str) -> str:
        """For a row of :attr:`own_category`, what ``code`` (compact) shares with every code
        the row pairs with it, as the code to remove or the one ruling it out
        (:meth:`applies` holds only for two codes of one key): a burn's site, side,
        encounter and kind (:func:`deeper`: burn or corrosion), an injury's first six
        characters (:func:`same_injury`), a drug and its encounter (:func:`same_drug`), the
        row itself for a category recorded once. A tag tells the kinds apart.

        >>> [r.kin("T22211D") for r in CONFLICTS if r.own_category and r.drops("T22211D")]
        ['bT22011D', 'iT22211']
        """
        if self.same_site:
            d = code[3:4]
            return "b" + code[:3] + (str(int(d) // 4) if d.isdigit() else d) + code[4:7]
        if self.same == "injury":
            return "i" + code[:6]
        if self.same == "drug":
            return "d" + code[:5] + code[6:]
        if self.same == "status":
            return "s" + code[:4]
        return "o" + self.drop[0] + " " + self.partners[0]

    def applies(self, x: str, y: str, day: dt.date | None = None) -> bool:
        """``x`` is to be removed beside ``y`` (compact codes), on ``day`` (any day when
        None)."""
        return x != y and (not self.same_site or deeper(y, x)) and (
            not self.same or _SAME[self.same](y, x)) and \
            self.partner(y, day) and self.drops(x)


#: :attr:`Conflict.same` -> the test of the two codes (the partner ``y``, the code ``x``).
_SAME = {"injury": same_injury, "drug": same_drug, "status": same_neoplasm}


#: Z85 personal history code (compact prefix) -> the categories (or codes) of a current
#: malignancy of its site: the tabular's inclusion terms ("Conditions classifiable to
#: C50.-"), and for the codes without one the categories their titles name. Not here: the
#: unspecified and "other" sites (Z85.00, Z85.09, Z85.20, Z85.29, Z85.40, Z85.45, Z85.50,
#: Z85.819, Z85.89, Z85.9), no site to compare; the skin (Z85.820, Z85.821, Z85.828), where
#: a new primary at another place of the skin is common and codes cannot tell it; leukemia
#: and lymphoid tissue (Z85.6, Z85.7-), whose pairs the Excludes1 notes of C81-C96 already
#: give (DX_EXCLUDES1_CONFLICT); and secondary malignancies (C77-C79), which a history code
#: goes with (I.C.2.d). Nor a current malignancy whose code does not name one organ of the
#: history code's: the uterine adnexa unspecified (C57.4: an ovary, Z85.43, or a tube),
#: overlapping sites (C57.8, C63.8) and a genital organ unspecified (C57.9, C63.9, whose
#: history codes are Z85.40 and Z85.45). The placenta (C58) is one of the "other female
#: genital organs" of Z85.44 (C51-C58 are the female genital organs; Z85.4 takes
#: "conditions classifiable to C51-C63" and names no other place for it).
HISTORY_SITES: dict[str, tuple[str, ...]] = {
    "Z8501": ("C15",), "Z85020": ("C7A092",), "Z85028": ("C16",),
    "Z85030": ("C7A022", "C7A023", "C7A024", "C7A025", "C7A029"), "Z85038": ("C18",),
    "Z85040": ("C7A026",), "Z85048": ("C19", "C20", "C21"), "Z8505": ("C22",),
    "Z85060": ("C7A01",), "Z85068": ("C17",), "Z8507": ("C25",),
    "Z85110": ("C7A090",), "Z85118": ("C34",), "Z8512": ("C33",), "Z8521": ("C32",),
    "Z8522": ("C30", "C31"), "Z85230": ("C7A091",), "Z85238": ("C37",),
    "Z853": ("C50",),
    "Z8541": ("C53",), "Z8542": ("C54", "C55"), "Z8543": ("C56",),
    "Z8544": ("C51", "C52", "C571", "C572", "C573", "C577", "C58"),
    "Z854A": ("C570",),
    "Z8546": ("C61",), "Z8547": ("C62",), "Z8548": ("C630",),
    "Z8549": ("C60", "C631", "C632", "C637"),
    "Z8551": ("C67",), "Z85520": ("C7A093",), "Z85528": ("C64",), "Z8553": ("C65",),
    "Z8554": ("C66",), "Z8559": ("C68",),
    "Z85810": ("C01", "C02"),
    "Z85818": ("C00", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12",
               "C13", "C14"),
    "Z85830": ("C40", "C41"), "Z85831": ("C49",), "Z85840": ("C69",), "Z85841": ("C71",),
    "Z85848": ("C70", "C72"), "Z85850": ("C73",), "Z85858": ("C74", "C75"),
}

#: Z85 code -> the sites it had until a code of their own took them: the fallopian tube
#: (C57.0-) was an "other female genital organ" (Z85.44) until Z85.4A (FY2026, valid from
#: 2025-10-01).
HISTORY_UNTIL: dict[str, tuple[tuple[str, dt.date], ...]] = {
    "Z8544": (("C570", dt.date(2025, 10, 1)),),
}

_HISTORY = ("{x} is for a primary malignancy excised or eradicated from its site, with no "
            "further treatment directed to it and no evidence of it there, but {ys} codes a "
            "current malignancy of that site: remove {x}, unless the provider documents {ys} "
            "as a new primary distinct from the former one")

#: The aftercare Z codes whose Excludes1 notes send an injury's aftercare to the injury
#: code for a subsequent encounter (Z47: "aftercare for healing fracture-code to fracture
#: with 7th character D"; Z48: "aftercare following injury - code to Injury, by site, with
#: appropriate 7th character for subsequent encounter"), but the aftercare of scoliosis
#: surgery (Z47.82), of a transplant (Z48.2-) or of surgery for a neoplasm (Z48.3): never
#: an injury's.
AFTERCARE = ("Z471", "Z472", "Z473", "Z4781", "Z4789", "Z480", "Z481", "Z4881", "Z4889")
#: Injuries by site, foreign bodies, burns and corrosions, frostbite (S00-T34).
INJURIES = ("S", "T0", "T1", "T2", "T30", "T31", "T32", "T33", "T34")
#: Poisoning, adverse effect and underdosing of drugs, medicaments and biological
#: substances (T36-T50).
POISONS = tuple(f"T{n}" for n in range(36, 51))


def adverse_effect(code: str) -> bool:
    """``code`` (compact) is an adverse effect of a drug, medicament or biological
    substance: T36-T50 with 6th character 5, sequenced after the code of the nature of the
    adverse effect (Guideline I.C.19.e.5.a: "assign the appropriate code for the nature of
    the adverse effect followed by the appropriate code for the adverse effect of the
    drug").

    >>> adverse_effect("T424X5A"), adverse_effect("T424X1A"), adverse_effect("T887XXA")
    (True, False, False)
    """
    return code.startswith(POISONS) and code[5:6] == "5"

#: The codes of sepsis of chapter 1, the "underlying systemic infection" of Guidelines
#: I.C.1.d.1 and I.C.1.d.4: streptococcal and other sepsis (A40, A41) and the sepsis codes
#: of other categories (Salmonella A02.1, plague A20.7, anthrax A22.7, Erysipelothrix
#: A26.7, Listeria A32.7, meningococcemia A39.2-A39.4, Actinomyces A42.7, gonococcal
#: A54.86, candidal B37.7).
SEPSIS = ("A021", "A207", "A227", "A267", "A327", "A392", "A393", "A394", "A40", "A41",
          "A427", "A5486", "B377")

#: The codes that may be the underlying infection of severe sepsis (R65.2-, whose "Code
#: first underlying infection, such as:" names T81.4-, T80.2-, O85, O03.37, O03.87,
#: O04.87, O08.82 and A41.9): chapter 1 but the infectious agents B95-B97 (additional
#: codes of an infection coded elsewhere), COVID-19 (U07.1), the infections of the
#: perinatal period (P35-P39: neonatal sepsis is P36), sepsis in pregnancy, labor and
#: the puerperium and after an abortive outcome (O03-O08, O75.3, O85, O86.0-, O98), an
#: infection after a procedure, an infusion, a transfusion, an injection or an
#: immunization (T80.2-, T81.4-, T88.0-), postprocedural septic shock (T81.12-) and the
#: infections of devices, implants and grafts (T82.6, T82.7, T83.5-, T83.6, T84.5-,
#: T84.6-, T84.7, T85.7-). Wide on purpose: a claim with any of them is not judged.
SEVERE_SEPSIS_CAUSES = ("A", "B", "U071", "P35", "P36", "P37", "P38", "P39", "O03", "O04",
                        "O05", "O06", "O07", "O08", "O753", "O85", "O860", "O98", "T802",
                        "T8112", "T814", "T826", "T827", "T835", "T836", "T845", "T846",
                        "T847", "T857", "T880")
_AGENTS = ("B95", "B96", "B97")


def underlies_severe_sepsis(code: str) -> bool:
    """``code`` (compact) may code the underlying systemic infection of severe sepsis,
    R65.2- (:data:`SEVERE_SEPSIS_CAUSES`; Guideline I.C.1.d.1.b: "a minimum of 2 codes:
    first a code for the underlying systemic infection, followed by a code from
    subcategory R65.2").

    >>> underlies_severe_sepsis("A419"), underlies_severe_sepsis("T8144XA")
    (True, True)
    >>> underlies_severe_sepsis("J189"), underlies_severe_sepsis("B9620")
    (False, False)
    """
    return code.startswith(SEVERE_SEPSIS_CAUSES) and not code.startswith(_AGENTS)


#: Why a long-term drug therapy code goes beside gestational diabetes (I.C.15.i).
_GESTATIONAL_DRUG = ("O24.4- codes say how the gestational diabetes is controlled (diet, "
                     "insulin or oral hypoglycemic drugs: here {ys}), and the long-term "
                     "(current) drug therapy code {x} is not assigned with them: remove {x}")

#: The codes of chapters 19 and 20 that carry an encounter's 7th character (S00-T88,
#: V00-Y38): :attr:`Conflict.later` partners.
_LATER = ("S", "T", "V", "W", "X", "Y0", "Y1", "Y2", "Y3")
#: Burns of a site (T20-T25, 4th character 0-3), then of the eye and internal organs, of
#: an unspecified region (T26.0-T26.4, T27.0-T27.3, T28.0-T28.4, T30.0-T30.3).
_BURNS = (*(f"{c}{d}" for c in BURN_SITES for d in "0123"), "T260", "T261", "T262", "T263",
          "T264", "T270", "T271", "T272", "T273", "T280", "T281", "T282", "T283", "T284",
          "T300", "T301", "T302", "T303")
#: Corrosions of a site (T20-T25, 4th character 4-7), then the others (T26.5-T26.9,
#: T27.4-T27.7, T28.5-T28.9, T30.4-T30.7).
_CORROSIONS = (*(f"{c}{d}" for c in BURN_SITES for d in "4567"), "T265", "T266", "T267",
               "T268", "T269", "T274", "T275", "T276", "T277", "T285", "T286", "T287",
               "T288", "T289", "T304", "T305", "T306", "T307")
#: The psychoactive substances of F10-F19 (but nicotine, F17) whose pattern of use is the
#: 4th character: abuse (1), dependence (2), use (9).
_SUBSTANCES = ("F10", "F11", "F12", "F13", "F14", "F15", "F16", "F18", "F19")
#: (an "uncomplicated" code of a substance's pattern of use, the pattern's prefix), compact:
#: F10.10 and the alcohol abuse codes F10.1-, F10.20 and F10.2-, F10.90 and F10.9-; for
#: nicotine dependence, by product: F17.200 and F17.20-, F17.210 and F17.21- ...
UNCOMPLICATED: tuple[tuple[str, str], ...] = (
    *((f"{s}{p}0", f"{s}{p}") for s in _SUBSTANCES for p in "129"),
    *((f"F172{p}0", f"F172{p}") for p in "0129"),
)
_UNCOMPLICATED = ("{x} says the pattern of use of the substance is uncomplicated, but {ys} "
                  "codes the same pattern of use of the same substance with a complication "
                  "or in remission, and one code identifies the pattern of use (a "
                  "combination code says its complication): remove {x}")

#: "Not reported together" by the guidelines.
CONFLICTS: tuple[Conflict, ...] = (
    # I.C.1.g.1.e: Z20.822 for exposure when COVID-19 is ruled out, inconclusive or unknown;
    # "If COVID-19 is confirmed, see guideline I.C.1.g.1.a" (U07.1); Z20's Excludes1:
    # "diagnosed current infectious or parasitic disease" (names no code). Z20.822 and this
    # text from the update of 2021-01-01.
    Conflict(("Z20822",), ("U071",), "I.C.1.g.1.e",
             "contact with or suspected exposure to COVID-19 is not coded once COVID-19 is "
             "confirmed: remove {x}", since=dt.date(2021, 1, 1)),
    # I.C.1.d.1.a: "For a diagnosis of sepsis, assign the appropriate code for the
    # underlying systemic infection. If the type of infection or causal organism is not
    # further specified, assign code A41.9, Sepsis, unspecified organism" (A41.9 beside
    # streptococcal sepsis, A40.-, is its Excludes1 note's: DX_EXCLUDES1_CONFLICT)
    Conflict(("A419",), ("A41",), "I.C.1.d.1.a",
             "A41.9 (sepsis, unspecified organism) is assigned only when the causal organism "
             "is not further specified, and {ys} specifies it: remove {x}", but=("A419",)),
    # I.C.1.d.2: "For cases of septic shock, the code for the systemic infection should be
    # sequenced first, followed by code R65.21, Severe sepsis with septic shock"; R65.20 is
    # severe sepsis without septic shock (the two codes of R65.2 say one or the other)
    Conflict(("R6520",), ("R6521",), "I.C.1.d.2",
             "{x} is severe sepsis without septic shock, but {ys} is severe sepsis with "
             "septic shock, the code septic shock takes: remove {x}"),
    # I.C.5.b.2: "When the provider documentation refers to use, abuse and dependence of
    # the same substance ..., only one code should be assigned to identify the pattern of
    # use"; I.B.9: no multiple coding where a combination code (F10.239, dependence with
    # withdrawal) says all of it. The "uncomplicated" code of a pattern (F10.20) beside
    # another code of that pattern (F10.239, F10.21 in remission) says the opposite.
    *(Conflict((x,), (pattern,), "I.B.9, I.C.5.b.2", _UNCOMPLICATED, but=(x,))
      for x, pattern in UNCOMPLICATED),
    # I.C.9.e.1: "If NSTEMI evolves to STEMI, assign the STEMI code. If STEMI converts to
    # NSTEMI due to thrombolytic therapy, it is still coded as STEMI." A new infarction
    # within four weeks is I22 (I.C.9.e.4), so a type 1 NSTEMI (I21.4) beside a STEMI
    # (I21.0-I21.3) of one encounter is the same infarction: the STEMI stays. One
    # encounter only: a professional claim over several days may bill a visit before the
    # evolution.
    Conflict(("I214",), ("I210", "I211", "I212", "I213"), "I.C.9.e.1",
             "{x} is a non-ST elevation myocardial infarction (NSTEMI), and the "
             "encounter's ST elevation myocardial infarction (STEMI) is coded ({ys}): an "
             "NSTEMI that evolves to a STEMI is coded as the STEMI, and a STEMI that "
             "converts to an NSTEMI after thrombolytic therapy is still a STEMI: remove {x}",
             encounter=True),
    # I.C.9.b: "ICD-10-CM has combination codes for atherosclerotic heart disease with
    # angina pectoris" (I25.11-); I.B.9. I25.10's title says the native coronary artery's
    # atherosclerosis is "without angina pectoris", I25.11-'s the same with it: one
    # encounter (a claim over several days may bill a visit before the angina).
    Conflict(("I2510",), ("I2511",), "I.B.9, I.C.9.b",
             "{x} is atherosclerotic heart disease of the native coronary artery without "
             "angina pectoris, and {ys} codes the same disease with angina pectoris (a "
             "combination code that says both): remove {x}", encounter=True),
    # I.C.14.a.1: "If both a stage of CKD and ESRD are documented, assign code N18.6 only."
    Conflict(("N181", "N182", "N183", "N184", "N185", "N189"), ("N186",), "I.C.14.a.1",
             "when both a stage of chronic kidney disease and end stage renal disease are "
             "documented, only N18.6 is assigned: remove {x}"),
    # I.C.15.n.1: O80 "is not to be used if any other code from chapter 15 is needed to
    # describe a current complication"; I.C.15.n.3: "Z37.0 ... is the only outcome of
    # delivery code appropriate for use with O80"; O80's inclusion note: "not to be used
    # with any other code from chapter 15"
    Conflict(("O80",), ("O", "Z37"), "I.C.15.n.1, I.C.15.n.3",
             "O80 is a full-term uncomplicated delivery of a single liveborn infant, not "
             "reported with another chapter 15 code nor with an outcome of delivery other "
             "than Z37.0: remove {x} and code what the delivery had",
             but=("O80", "Z370"), fix=("O",)),
    # I.C.15.i: "Code Z79.4 ... or code Z79.84 ... should not be assigned with codes from
    # subcategory O24.4" (their 6th character says the control: diet, insulin, oral drugs);
    # the FY2026 text: "Codes Z79.4, Long-term (current) use of insulin, Z79.84, Long-term
    # (current) use of oral hypoglycemic drugs, and Z79.85, Long-term (current) use of
    # injectable non-insulin antidiabetic drugs, should not be assigned with codes from
    # subcategory O24.4."
    Conflict(("Z794", "Z7984"), ("O244",), "I.C.15.i", _GESTATIONAL_DRUG),
    # Z79.85 (valid from 2022-10-01) in that sentence: the FY2026 text says it; which
    # edition between FY2023 and FY2026 first did is not confirmed (an earlier one names
    # only Z79.4 and Z79.84), so the row holds from FY2026 (a miss before, not a finding
    # the text of the date may not give)
    Conflict(("Z7985",), ("O244",), "I.C.15.i", _GESTATIONAL_DRUG, since=dt.date(2025, 10, 1)),
    # I.C.15.i: "If a patient with gestational diabetes is treated with both diet and
    # insulin, only the code for insulin-controlled is required. If ... both diet and oral
    # hypoglycemic medications, only the code for 'controlled by oral hypoglycemic drugs'"
    Conflict(("O24410", "O24420", "O24430"),
             ("O24414", "O24415", "O24424", "O24425", "O24434", "O24435"), "I.C.15.i",
             "gestational diabetes treated with diet and with insulin or oral hypoglycemic "
             "drugs is coded by the drug alone ({ys}): remove {x}"),
    # I.C.15.i: "No other code from category O24, Diabetes mellitus in pregnancy,
    # childbirth, and the puerperium, should be used with a code from O24.4"
    Conflict(("O244",), ("O240", "O241", "O243", "O248", "O249"), "I.C.15.i",
             "gestational diabetes (O24.4-) is diabetes that arose in the pregnancy, and no "
             "other code of category O24 is used with it, but {ys} codes diabetes other "
             "than gestational: remove {x}, unless {ys} is the code in error"),
    # I.C.2.d, I.C.2.m: Z85 only when the primary malignancy was excised or eradicated
    # and there is "no evidence of any existing primary malignancy at that site"
    *(Conflict((z,), sites, "I.C.2.d, I.C.2.m", _HISTORY, until=HISTORY_UNTIL.get(z, ()))
      for z, sites in HISTORY_SITES.items()),
    # I.C.19.d.2: "Classify burns of the same anatomic site and on the same side but of
    # different degrees to the subcategory identifying the highest degree recorded in the
    # diagnosis"
    Conflict(BURN_SITES, BURN_SITES, "I.C.19.d.2",
             "burns (or corrosions) of one site and side in different degrees are coded "
             "once, to the highest degree recorded ({ys}): remove {x}", same_site=True),
    # I.C.21.c.7: "The aftercare Z codes should not be used for aftercare for injuries. For
    # aftercare of an injury, assign the acute injury code with the 7th character "D"
    # (subsequent encounter)"
    Conflict(AFTERCARE, INJURIES, "I.C.21.c.7",
             "aftercare Z codes are not used for injuries: the injury code with its "
             "subsequent-encounter 7th character ({ys}) reports the aftercare: remove {x}, "
             "unless it is for the aftercare of another condition", subsequent=True),
    # I.C.19.a: "7th character "A", initial encounter is used for each encounter where
    # the patient is receiving active treatment for the condition"; "7th character "D"
    # subsequent encounter is used for encounters after the patient has completed active
    # treatment of the condition and is receiving routine care for the condition during
    # the healing or recovery phase"
    Conflict(("S", "T"), ("S", "T"), "I.C.19.a",
             "one injury is coded for a subsequent encounter ({x}) and for the initial "
             "encounter ({ys}): an encounter where the injury receives active treatment is "
             "its initial encounter: remove {x}, unless the two codes are two injuries of "
             "one kind and site, one new and one healing", same="injury", encounter=True),
    # I.C.19.e.5.a: an adverse effect is of "a drug that has been correctly prescribed and
    # properly administered"; I.C.19.e.5.b: a poisoning is the improper use of a
    # medication ("overdose, wrong substance given or taken in error, wrong route of
    # administration"), and "If a nonprescribed drug or medicinal agent was taken in
    # combination with a correctly prescribed and properly administered drug, any drug
    # toxicity or other reaction resulting from the interaction of the two drugs would
    # be classified as a poisoning"
    Conflict(POISONS, POISONS, "I.C.19.e.5",
             "one drug is coded as an adverse effect ({x}: correctly prescribed and "
             "properly administered) and as a poisoning ({ys}: an overdose, a wrong "
             "substance or route, or a reaction with a nonprescribed drug): its use is "
             "coded as the poisoning: remove {x}, unless the codes are for two different "
             "drugs of the class", same="drug", encounter=True),
    # Y92's tabular note: "Place of occurrence should be recorded only at the initial
    # encounter for treatment"; I.C.20.b: "Generally, a place of occurrence code is
    # assigned only once, at the initial encounter for treatment" (the exception, "a new
    # injury occurs during hospitalization", is a new injury's initial encounter)
    Conflict(("Y92",), _LATER, "I.C.20.b",
             "a place of occurrence code (Y92) is recorded only at the initial encounter "
             "for treatment, and no code of the claim is for an initial encounter ({ys}: a "
             "subsequent encounter or a sequela): remove {x}",
             later=True, remove_only=True),
    # I.C.20.c: "An activity code is used only once, at the initial encounter for
    # treatment"; "The activity codes are not applicable to ... sequela"
    Conflict(("Y93",), _LATER, "I.C.20.c",
             "an activity code (Y93) is used only once, at the initial encounter for "
             "treatment, and no code of the claim is for an initial encounter ({ys}: a "
             "subsequent encounter or a sequela): remove {x}",
             later=True, remove_only=True),
    # I.C.20.k: "An external cause status code is used only once, at the initial
    # encounter for treatment"; "not applicable to ... late effects"
    Conflict(("Y99",), _LATER, "I.C.20.k",
             "an external cause status code (Y99) is used only once, at the initial "
             "encounter for treatment, and no code of the claim is for an initial encounter "
             "({ys}: a subsequent encounter or a sequela): remove {x}",
             later=True, remove_only=True),
    # Y07's tabular note: "Codes from this category are for use only in cases of
    # confirmed abuse (T74.-)"; I.C.19.f: "For suspected cases of abuse or neglect, do
    # not report external cause or perpetrator code". Confirmed abuse in pregnancy
    # (O9A.3-, O9A.4-, O9A.5-: "Use additional code to identify the perpetrator of abuse
    # (Y07.-)") takes Y07 too.
    Conflict(("Y07",), ("T76",), "I.C.19.f",
             "a perpetrator code (Y07) is for confirmed abuse (T74.-) only, and {ys} codes "
             "a suspected one: remove {x}", unless=("T74", "O9A3", "O9A4", "O9A5"),
             remove_only=True),
    # T31's note: "It should be used as a supplementary code with categories T20-T25
    # when the site [of the burn] is specified"; T32's: "It may be used as a
    # supplementary code with categories T20-T25 when the site [of the corrosion] is
    # specified"; I.C.19.d.6 (T31 for burns, T32 for corrosions). The 4th character of
    # T20-T25 tells them apart (0-3 burns, 4-7 corrosions); the two categories have the
    # same codes after it.
    Conflict(("T31",), _CORROSIONS[:24], "I.C.19.d.6",
             "T31 classifies the extent of burns, but the claim's burns of a site are "
             "corrosions ({ys}), whose extent T32 classifies: replace {x} by {to}",
             unless=_BURNS, swap="T32"),
    Conflict(("T32",), _BURNS[:24], "I.C.19.d.6",
             "T32 classifies the extent of corrosions, but the claim's corrosions of a site "
             "are burns ({ys}), whose extent T31 classifies: replace {x} by {to}",
             unless=_CORROSIONS, swap="T31"),
    # I.C.2.n: "The categories for leukemia, and category C90, Multiple myeloma and
    # malignant plasma cell neoplasms, have codes indicating whether or not the leukemia
    # has achieved remission ... If the documentation is unclear as to whether the
    # leukemia has achieved remission, the provider should be queried": the 5th character
    # says one status (not having achieved remission, in remission, in relapse), so two of
    # one subcategory contradict each other. Which is right the record says (no fix); the
    # later one is the finding; one encounter only (a claim over months may see a
    # remission or a relapse).
    Conflict(REMISSION, REMISSION, "I.C.2.n",
             "one neoplasm has one status at an encounter (the 5th character: not having "
             "achieved remission, in remission, in relapse), and {x} contradicts {ys}: "
             "keep the code of the status the record documents and remove the other, and "
             "query the provider when the record is unclear",
             same="status", once=True, encounter=True, remove_only=True),
    # I.C.20.c: "An activity code is used only once, at the initial encounter for
    # treatment. Only one code from Y93 should be recorded on a medical record"
    Conflict(("Y93",), ("Y93",), "I.C.20.c",
             "only one activity code (category Y93) is recorded for an encounter ({ys} is "
             "one): keep the activity of the patient at the time of the event and remove "
             "the other ({x})", once=True, encounter=True),
    # I.C.20.k: "An external cause status code is used only once, at the initial encounter
    # for treatment. Only one code from Y99 should be recorded on a medical record"
    Conflict(("Y99",), ("Y99",), "I.C.20.k",
             "only one external cause status code (category Y99) is recorded for an "
             "encounter ({ys} is one): keep the status of the patient at the time of the "
             "event and remove the other ({x})", once=True, encounter=True),
)


@attrs.frozen
class Sequence:
    """The first-listed code (``first``, compact prefixes) is sequenced after a code of
    ``before`` (with a 6th character of ``sixth`` when given; never one for a sequela, 7th
    character S: the sequela's condition goes first, I.B.10, I.C.19.a, I.C.19.d.5), from
    ``since``. ``why`` is
    the message after "Y should be listed before X: " (``{x}`` the first-listed code);
    ``degree``: of several codes of ``before``, the one of the highest degree goes first
    (a burn or corrosion's 4th character); ``higher``: only a code of a higher degree than
    the first-listed code, of another site or side (one site and side in two degrees is
    coded once, at the highest: I.C.19.d.2); ``admitted``: only on an inpatient claim
    where both codes are reported present on admission (POA Y); ``unless``: not on a claim
    with a code of these (another guideline sequences it first)."""

    first: tuple[str, ...]
    before: tuple[str, ...]
    guideline: str
    why: str
    since: dt.date = ICD10
    sixth: str = ""
    degree: bool = False
    higher: bool = False
    admitted: bool = False
    unless: tuple[str, ...] = ()

    def goes_first(self, code: str) -> bool:
        """``code`` (compact) is sequenced before the row's first-listed codes."""
        return code.startswith(self.before) and (not self.sixth or code[5:6] in self.sixth) \
            and not _sequela(code)

    def applies(self, x: str, y: str) -> bool:
        """``y`` goes before ``x`` (compact codes), whatever the date."""
        return x.startswith(self.first) and self.goes_first(y) and (
            not self.higher or outranks(y, x))



#: The chapters of conditions (1-18: A00-R99), chapter 15 excepted (its own sequencing
#: priority, I.C.15.a.1; a poisoning of a pregnant patient is O9A.2- first).
CONDITIONS = tuple("ABCDEFGHIJKLMNPQR")

#: Localized infections named by Guideline I.C.1.d.4 ("such as pneumonia or cellulitis")
#: and the commonest others of sepsis: pneumonia (J12-J16, J18; J17, pneumonia in
#: diseases classified elsewhere, is a manifestation, never first), cutaneous abscess and
#: cellulitis (L02, L03), acute pyelonephritis (N10), acute cystitis (N30.0-) and urinary
#: tract infection (N39.0).
LOCALIZED = ("J12", "J13", "J14", "J15", "J16", "J18", "L02", "L03", "N10", "N300", "N390")
#: The respiratory manifestations of COVID-19 Guideline I.C.1.g.1.b codes after U07.1
#: (J12.82 but: its "Code first COVID-19 (U07.1)" note already says it).
COVID_RESPIRATORY = ("J208", "J22", "J40", "J80", "J960", "J988")

#: The guidelines' order of two codes.
SEQUENCES: tuple[Sequence, ...] = (
    # I.C.19.e.5.b: poisoning, "use the appropriate code from categories T36-T50 ... Use
    # additional code(s) for all manifestations of poisonings"; the T36-T50 block's "Use
    # additional code(s) to specify: manifestations of poisoning"
    Sequence(CONDITIONS, POISONS, "I.C.19.e.5.b",
             "a poisoning (T36-T50, 6th character 1-4) is sequenced first, followed by "
             "the codes of its manifestations, unless {x} is unrelated to the poisoning",
             sixth="1234"),
    # I.C.19.d.6: "Categories T31 and T32 are to be used as the primary code only when the
    # site of the burn is unspecified. It should be used as a supplementary code with
    # categories T20-T25 when the site is specified" (the categories' note); I.C.19.d.1:
    # the highest degree first
    Sequence(("T31", "T32"), BURN_SITES, "I.C.19.d.6",
             "T31 and T32 (burns and corrosions by extent of body surface) are first-listed "
             "only when the site is unspecified; with a burn or corrosion of a specified site "
             "(T20-T25) they are additional codes, after the site of the highest degree",
             degree=True),
    # I.C.19.d.1: "Sequence first the code that reflects the highest degree of burn when
    # more than one burn is present"
    Sequence(BURN_SITES, BURN_SITES, "I.C.19.d.1",
             "when more than one burn or corrosion is present, the code of the highest "
             "degree is sequenced first, {x} after it", degree=True, higher=True),
    # I.C.1.d.4: "If the reason for admission is sepsis or severe sepsis and a localized
    # infection, such as pneumonia or cellulitis, a code(s) for the underlying systemic
    # infection should be assigned first and the code for the localized infection should
    # be assigned as a secondary diagnosis. ... If the patient is admitted with a localized
    # infection, such as pneumonia, and sepsis/severe sepsis doesn't develop until after
    # admission, the localized infection should be assigned first": so only where both
    # are present on admission (an inpatient claim's POA Y)
    Sequence(LOCALIZED, SEPSIS, "I.C.1.d.4",
             "when sepsis and a localized infection ({x}) are both present on admission, "
             "the code of the systemic infection is sequenced first and the localized "
             "infection after it (and R65.2- for severe sepsis)", admitted=True),
    # I.C.1.g.1.a: "When COVID-19 meets the definition of principal diagnosis, code U07.1,
    # COVID-19, should be sequenced first, followed by the appropriate codes for
    # associated manifestations, except when another guideline requires that certain
    # codes be sequenced first, such as obstetrics, sepsis, or transplant complications";
    # I.C.1.g.1.b: "When the reason for the encounter/admission is a respiratory
    # manifestation of COVID-19, assign code U07.1, COVID-19, as the principal/first-listed
    # diagnosis and assign code(s) for the respiratory manifestation(s) as additional
    # diagnoses" (acute bronchitis J20.8, bronchitis NOS J40, lower respiratory infection
    # J22, respiratory infection NOS J98.8, ARDS J80, acute respiratory failure J96.0-;
    # pneumonia, J12.82, says it in its own "Code first" note: DX_CODE_FIRST_ORDER); not
    # beside a code of sepsis or severe sepsis, nor a transplant complication (T86.-)
    Sequence(COVID_RESPIRATORY, ("U071",), "I.C.1.g.1.a, I.C.1.g.1.b",
             "COVID-19 (U07.1) is sequenced first, followed by the codes of its respiratory "
             "manifestations, unless {x} is not due to COVID-19",
             since=dt.date(2020, 4, 1), unless=(*SEPSIS, "R652", "T86")),
)

#: Every code a :data:`CONFLICTS` row may remove starts with one of these.
DROP_CODES: tuple[str, ...] = tuple(dict.fromkeys(p for r in CONFLICTS for p in r.drop))
#: Every partner of a row starts with one of these, chapter 15 (``Facts.OBSTETRIC``) but.
PARTNER_CODES: tuple[str, ...] = tuple(dict.fromkeys(
    p for r in CONFLICTS for p in (*r.partners, *(q for q, _ in r.until)) if p != "O"))
#: The rows of one category (:attr:`Conflict.own_category`), and the prefixes every code
#: they remove or pair with starts with.
_OWN_ROWS: tuple[Conflict, ...] = tuple(r for r in CONFLICTS if r.own_category)
_OWN_CODES: tuple[str, ...] = tuple(dict.fromkeys(
    p for r in _OWN_ROWS for p in (*r.drop, *r.partners, *(q for q, _ in r.until))))
#: Every code a :data:`SEQUENCES` row lists first starts with one of these.
FIRST_CODES: tuple[str, ...] = tuple(dict.fromkeys(p for r in SEQUENCES for p in r.before))
#: Every code a :data:`SEQUENCES` row may find first-listed before it starts with one of
#: these.
AFTER_CODES: tuple[str, ...] = tuple(dict.fromkeys(p for r in SEQUENCES for p in r.first))


def is_drop(code: str) -> bool:
    """``code`` (compact) may be one a :data:`CONFLICTS` row removes."""
    return code.startswith(DROP_CODES) and any(r.drops(code) for r in rows_of(code)[0])


def drop_kinds(code: str) -> tuple[bool, bool]:
    """Whether a :data:`CONFLICTS` row may remove ``code`` (compact) beside a code of
    any category, and whether one may beside a code of its own category only
    (:attr:`Conflict.own_category`): a claim whose categories are all different needs
    no look at the second kind.

    >>> drop_kinds("Z20822"), drop_kinds("S72001D"), drop_kinds("S72001A")
    ((True, False), (False, True), (False, False))
    """
    if not code.startswith(DROP_CODES):
        return False, False
    rows = [r for r in rows_of(code)[0] if r.drops(code)]
    return any(not r.own_category for r in rows), any(r.own_category for r in rows)


def kin_keys(code: str) -> tuple[str, ...]:
    """The keys (:meth:`Conflict.kin`) under which a :data:`CONFLICTS` row of one category
    (:attr:`Conflict.own_category`) may pair ``code`` (compact) with another code, as the
    code to remove or as the one ruling it out: two codes such a row pairs share a key, so
    a claim whose codes share none has no such pair (``Facts.guideline_kin``).

    >>> kin_keys("S72001D"), kin_keys("S72001A"), kin_keys("Y9301"), kin_keys("J189")
    (('iS72001',), ('iS72001',), ('oY93 Y93',), ())
    >>> kin_keys("T424X5A"), kin_keys("T22211A")
    (('iT424X5', 'dT424XA'), ('bT22011A', 'iT22211'))
    """
    if not code.startswith(_OWN_CODES):
        return ()
    return tuple(dict.fromkeys(r.kin(code) for r in rows_of(code)[2]
                               if r.drops(code) or r.partner(code)))


def is_kin_partner(code: str) -> bool:
    """``code`` (compact) may rule out a code of a :data:`CONFLICTS` row of one category
    (:attr:`Conflict.own_category`: an injury for the initial encounter, a poisoning, a
    burn, a Y93 or Y99 code)."""
    return code.startswith(_OWN_CODES) and any(r.partner(code) for r in rows_of(code)[2])


def is_partner(code: str) -> bool:
    """``code`` (compact) may rule out a code of a :data:`CONFLICTS` row (chapter 15 codes
    aside: ``Facts.OBSTETRIC`` marks them)."""
    return code.startswith(PARTNER_CODES) and any(r.partner(code) for r in rows_of(code)[1])


def goes_first(code: str) -> bool:
    """``code`` (compact) is one a :data:`SEQUENCES` row lists first."""
    return code.startswith(FIRST_CODES) and any(r.goes_first(code) for r in rows_of(code)[3])


# -- signs and symptoms integral to a disease (I.B.5, I.C.18.b) ---------------------------

_UNRELATED = "remove {x}, unless the provider documents it as not due to {ys}"
_CODED = "I.B.5, I.B.6, I.C.18.b"

#: Signs and symptoms "associated routinely with a disease process", which "should not be
#: assigned as additional codes, unless otherwise instructed by the classification"
#: (Guidelines I.B.5, I.C.18.b; I.C.18.c for a combination code that includes them), one
#: row a sign or symptom and the diseases it is part of, read by ``DX_SYMPTOM_INTEGRAL``
#: (``Conflict.drop`` the symptom codes, ``partners`` the diseases). Only pairs a public
#: source names and the classification does not contradict: the symptom codes of the
#: presenting complaint itself (not R07.1, R07.81, R07.82 and R07.89, whose inclusion
#: term is anterior chest-wall pain; not R10.2 pelvic and perineal pain nor R10.A flank
#: pain; not R05.2-R05.8, a subacute, chronic or other cough, nor cough syncope; not
#: R51.0, R11.12-R11.16), and diseases of which it is a routine part (acute myocardial
#: infarction type 1 and unstable angina, not MI type 2-5, I21.A-, nor I21.B, which may
#: show no chest pain; pneumonia but hypostatic, J18.2). Left out: fever (R50.9) with a
#: localized infection (pneumonia, a urinary tract infection, cellulitis), where it may not
#: be integral; hemoptysis with pneumonia (I.C.18.b's own example of a symptom coded
#: beside its disease); pairs an Excludes1 note already names (wheezing R06.2 with asthma
#: J45, hematuria R31 with N30.01, seizure R56.9 with G40, hyperglycemia R73.9 with
#: E08-E13: ``DX_EXCLUDES1_CONFLICT``) and those an Excludes2 note allows (headache R51.9
#: with migraine G43). Sources of the rows beyond the guideline (``docs/catalog.md``
#: names them): the standard examples of coding education (AHIMA, "How to Code Symptoms
#: and Definitive Diagnoses": nausea and vomiting with gastroenteritis; ICD10monitor,
#: 2013-09-17: fever, headache and body aches with influenza; study guides: chest pain
#: with an acute MI, abdominal pain with appendicitis, cough with pneumonia, dysuria with
#: cystitis), the tabular's inclusion terms (I20.9: "Ischemic chest pain"; J11.1:
#: "Influenza with upper respiratory symptoms NOS"; J11.2: "Influenza gastroenteritis
#: NOS"), R03.0's title ("without diagnosis of hypertension") and Guideline I.C.9.a.7.
INTEGRAL: tuple[Conflict, ...] = (
    # chest pain (precordial, unspecified) with an acute or subsequent MI (type 1,
    # STEMI/NSTEMI) or unstable angina (I20.9's inclusion term: "Ischemic chest pain" is
    # angina), also where a combination code classifies the unstable angina with its
    # atherosclerosis (I.C.9.b: "it is not necessary to use an additional code for angina
    # pectoris"; I25.110's Excludes1 names I20.0 as the same angina without it): native
    # coronary artery I25.110, bypass grafts and transplanted heart I25.700-I25.790
    Conflict(("R072", "R079"), ("I200", "I21", "I22", "I25110", "I25700", "I25710",
                                "I25720", "I25730", "I25750", "I25760", "I25790"), _CODED,
             "chest pain is routinely associated with an acute myocardial infarction and "
             "unstable angina (ischemic chest pain is classified to angina: I20.9's "
             "inclusion term): " + _UNRELATED, but=("I21A", "I21B"), encounter=True),
    # abdominal pain, tenderness, acute abdomen with appendicitis (K35-K37)
    Conflict(("R100", "R101", "R103", "R108", "R109"), ("K35", "K36", "K37"), _CODED,
             "abdominal pain is routinely associated with appendicitis: " + _UNRELATED,
             encounter=True),
    # cough (acute, unspecified; R05 until 2021-09-30) with pneumonia, and with influenza
    # with pneumonia (J09.X1, J10.0-, J11.0-)
    Conflict(("R05",), ("J12", "J13", "J14", "J15", "J16", "J17", "J18", "J09X1", "J100",
                        "J110"), _CODED,
             "cough is routinely associated with pneumonia: " + _UNRELATED,
             but=("J182",), drop_but=("R052", "R053", "R054", "R058"), encounter=True),
    # I.C.18.c: influenza with other respiratory manifestations (J09.X2, J10.1, J11.1) is
    # a combination code that includes them ("Influenza with upper respiratory symptoms
    # NOS" is J11.1, and its peers' inclusion terms say the same)
    Conflict(("R05",), ("J09X2", "J101", "J111"), "I.B.5, I.B.6, I.C.18.c",
             "{ys} is influenza with respiratory manifestations, a combination code that "
             "includes its cough (its inclusion term: influenza with upper respiratory "
             "symptoms): " + _UNRELATED,
             drop_but=("R052", "R053", "R054", "R058"), encounter=True),
    # fever with influenza (J09-J11)
    Conflict(("R509",), ("J09", "J10", "J11"), _CODED,
             "fever is routinely associated with influenza: " + _UNRELATED, encounter=True),
    # headache with influenza (R51 until 2020-09-30, R51.9 from 2020-10-01)
    Conflict(("R51",), ("J09", "J10", "J11"), _CODED,
             "headache is routinely associated with influenza: " + _UNRELATED,
             drop_but=("R510",), encounter=True),
    # nausea, vomiting and diarrhea with viral gastroenteritis (A08)
    Conflict(("R110", "R1110", "R1111", "R112", "R197"), ("A08",), _CODED,
             "nausea, vomiting and diarrhea are routinely associated with viral "
             "gastroenteritis: " + _UNRELATED, encounter=True),
    # I.C.18.c: influenza with gastrointestinal manifestations (J09.X3, J10.2, J11.2:
    # "Influenza gastroenteritis NOS") is a combination code that includes them
    Conflict(("R110", "R1110", "R1111", "R112", "R197"), ("J09X3", "J102", "J112"),
             "I.B.5, I.B.6, I.C.18.c",
             "{ys} is influenza with gastrointestinal manifestations (influenza "
             "gastroenteritis), a combination code that includes its nausea, vomiting and "
             "diarrhea: " + _UNRELATED, encounter=True),
    # dysuria with acute cystitis
    Conflict(("R300",), ("N300",), _CODED,
             "dysuria is routinely associated with acute cystitis: " + _UNRELATED,
             encounter=True),
    # I.C.9.a.7: "Assign code R03.0, Elevated blood pressure reading without diagnosis of
    # hypertension, unless patient has an established diagnosis of hypertension"; in a
    # pregnancy, chapter 15 classifies hypertension (O10-O16)
    Conflict(("R030",), ("I10", "I11", "I12", "I13", "I15", "I16", "I1A", "O10", "O11",
                         "O13", "O14", "O15", "O16"), "I.B.5, I.C.9.a.7",
             "R03.0 is an elevated blood-pressure reading without diagnosis of "
             "hypertension, and {ys} is that diagnosis: remove {x}", encounter=True),
)
#: Every code an :data:`INTEGRAL` row may remove starts with one of these.
INTEGRAL_CODES: tuple[str, ...] = tuple(dict.fromkeys(p for r in INTEGRAL for p in r.drop))
#: Every disease of an :data:`INTEGRAL` row starts with one of these.
INTEGRAL_DISEASES: tuple[str, ...] = tuple(dict.fromkeys(
    p for r in INTEGRAL for p in r.partners))


def is_integral_symptom(code: str) -> bool:
    """``code`` (compact) is a sign or symptom an :data:`INTEGRAL` row may remove.

    >>> [is_integral_symptom(c) for c in ("R079", "R0789", "R059", "R053", "R05", "R509")]
    [True, False, True, False, True, True]
    """
    return code.startswith(INTEGRAL_CODES) and any(r.drops(code) for r in rows_of(code)[4])


def is_integral_disease(code: str) -> bool:
    """``code`` (compact) is a disease beside which an :data:`INTEGRAL` row removes a sign
    or symptom.

    >>> [is_integral_disease(c) for c in ("I214", "I21A1", "J189", "J182", "K3580", "N390")]
    [True, False, True, False, True, False]
    """
    return code.startswith(INTEGRAL_DISEASES) and any(r.partner(code) for r in rows_of(code)[5])


_Rows = tuple[tuple[Conflict, ...], tuple[Conflict, ...], tuple[Conflict, ...],
              tuple[Sequence, ...], tuple[Conflict, ...], tuple[Conflict, ...]]
#: Every row, for a code shorter than a category (see :func:`rows_of`).
_ALL_ROWS: _Rows = (CONFLICTS, CONFLICTS, _OWN_ROWS, SEQUENCES, INTEGRAL, INTEGRAL)
#: What :func:`rows_of` answers for a code of a category no row names (most: 1,564 of
#: the 1,921 categories of the validity table).
NO_ROWS: _Rows = ((), (), (), (), (), ())
#: category -> :func:`rows_of` its codes (derived from the tables above, not from data)
_BY_CATEGORY: dict[str, _Rows] = _cache.owned("icd10cm.guideline_categories", {},
                                             max_entries=4096)


def _partners(r: Conflict) -> tuple[str, ...]:
    return (*r.partners, *(p for p, _ in r.until))


def _by_prefix() -> dict[str, tuple[tuple[int, int], ...]]:
    """What :func:`rows_of` reads: a row's prefixes (of its codes to remove, its partners...
    per table of :data:`_ALL_ROWS`) by their first three characters (a shorter prefix by
    itself) -> (table number, row number) of the rows they are of."""
    tables = ([r.drop for r in CONFLICTS], [_partners(r) for r in CONFLICTS],
              [(*r.drop, *_partners(r)) for r in _OWN_ROWS], [r.before for r in SEQUENCES],
              [r.drop for r in INTEGRAL], [_partners(r) for r in INTEGRAL])
    found: dict[str, set[tuple[int, int]]] = {}
    for k, table in enumerate(tables):
        for i, prefixes in enumerate(table):
            for p in prefixes:
                found.setdefault(p[:3], set()).add((k, i))
    return {p: tuple(sorted(rows)) for p, rows in found.items()}


_PREFIXES = _by_prefix()


def rows_of(code: str) -> _Rows:
    """The rows that may name compact ``code``, by the prefixes of its category (the rows
    of any other category cannot), in table order: the :data:`CONFLICTS` rows that may
    remove it, those it may be a partner of, the rows of one category
    (:attr:`Conflict.own_category`) that may remove it or pair it, the :data:`SEQUENCES`
    rows that may list it first, the :data:`INTEGRAL` rows that may remove it, those it
    may be a disease of (:data:`NO_ROWS` when no row names the category). A code's
    guideline facts are worked out when it is first seen: a few rows to test instead of
    every row of every table.

    >>> [len(rows) for rows in rows_of("S72001D")]
    [1, 5, 1, 0, 0, 0]
    >>> rows_of("E119") is NO_ROWS
    True
    """
    category = code[:3]
    found = _BY_CATEGORY.get(category)
    if found is None:
        if len(category) < 3:
            return _ALL_ROWS
        # a code of the category starts with a prefix of 3 characters or more when its
        # category is the prefix's first three, with a shorter one when it starts the
        # category
        get = _PREFIXES.get
        hits = get(category, ()) + get(category[:2], ()) + get(category[:1], ()) + \
            get("", ())
        picked: list[list[Any]] = [[], [], [], [], [], []]
        for k, i in sorted(set(hits)):
            picked[k].append(_ALL_ROWS[k][i])
        made: Any = tuple(tuple(rows) for rows in picked) if hits else NO_ROWS
        found = _BY_CATEGORY[category] = made
    return found


def integral_rows(code: str) -> tuple[Conflict, ...]:
    """The :data:`INTEGRAL` rows that may remove ``code`` (compact).

    >>> [r.guideline for r in integral_rows("R059")]
    ['I.B.5, I.B.6, I.C.18.b', 'I.B.5, I.B.6, I.C.18.c']
    >>> [r.applies("R079", "I214") for r in integral_rows("R079")], integral_rows("R0789")
    ([True], ())
    """
    return tuple(r for r in INTEGRAL if r.drops(code))


# -- O80 and the weeks of gestation (I.C.15.n.1) ------------------------------------------

#: O80 is for a full-term delivery (Guideline I.C.15.n.1: "a full-term normal delivery";
#: O80's inclusion note: "full-term"). The classification bounds the term: before 37
#: completed weeks is preterm (O60's inclusion note: "onset (spontaneous) of labor before
#: 37 completed weeks of gestation"), over 40 completed weeks post-term (O48.0: "Pregnancy
#: over 40 completed weeks to 42 completed weeks gestation"; O48.1 beyond 42).
PRETERM_BEFORE = 37
#: The first Z3A week that is post-term under any reading of "over 40 completed weeks":
#: Z3A.41 (41 weeks 0 days at the least). Z3A.40 (40 weeks 0-6 days) may be either.
POST_TERM_FROM = 41


def gestation_weeks(code: str) -> int | None:
    """The completed weeks of gestation a Z3A code (compact) reports: Z3A.01 (less than 8
    weeks) 7 at the most, Z3A.08-Z3A.42 their number, Z3A.49 (greater than 42 weeks) 43;
    None for Z3A.00 (not specified) and any other code.

    >>> [gestation_weeks(c) for c in ("Z3A34", "Z3A01", "Z3A41", "Z3A49", "Z3A00", "O80")]
    [34, 7, 41, 43, None, None]
    """
    if not code.startswith("Z3A") or len(code) != 5 or not code[3:].isdigit():
        return None
    n = int(code[3:])
    return None if n == 0 else 7 if n == 1 else 43 if n == 49 else n


# -- the trimester of a chapter 15 code and the weeks of gestation (I.C.15.a.3-5) ----------

#: The trimesters as the tabular's note at chapter 15 counts them (from the first day of
#: the last menstrual period), in days of gestation: the 1st less than 14 weeks 0 days, the
#: 2nd 14 weeks 0 days to less than 28 weeks 0 days, the 3rd 28 weeks 0 days until
#: delivery; trimester -> (first day, last day or None).
TRIMESTER_DAYS: dict[int, tuple[int, int | None]] = {1: (0, 14 * 7 - 1), 2: (14 * 7, 28 * 7 - 1),
                                                     3: (28 * 7, None)}
#: The words a chapter 15 title names its trimester with -> the trimester (0: unspecified).
TRIMESTER_WORDS = {"first trimester": 1, "second trimester": 2, "third trimester": 3,
                   "unspecified trimester": 0}


def trimester(title: str) -> int | None:
    """The trimester a chapter 15 code's title names: 1, 2 or 3, 0 for "unspecified
    trimester"; None for a title that names none, or two (O60.13: preterm labor second
    trimester with preterm delivery third trimester).

    >>> [trimester(t) for t in ("Other specified pregnancy related conditions, first "
    ...     "trimester", "Supervision of elderly primigravida, unspecified trimester",
    ...     "Encounter for full-term uncomplicated delivery", "Preterm labor second "
    ...     "trimester with preterm delivery third trimester, fetus 1")]
    [1, 0, None, None]
    """
    if "trimester" not in title:
        return None
    low = title.lower()
    named = {n for words, n in TRIMESTER_WORDS.items() if words in low}
    return named.pop() if len(named) == 1 else None


def trimesters_of(first_day: int, last_day: int) -> tuple[int, ...]:
    """The trimesters (1-3) days ``first_day`` to ``last_day`` of gestation touch.

    >>> trimesters_of(30 * 7, 30 * 7 + 6), trimesters_of(13 * 7, 14 * 7 + 6)
    ((3,), (1, 2))
    """
    return tuple(n for n, (lo, hi) in TRIMESTER_DAYS.items()
                 if (hi is None or first_day <= hi) and last_day >= lo)


# -- conditions chapter 15 classifies in a pregnancy (I.C.15.a.1, I.C.15.d, I.C.15.g) ------

#: Chapter 15 codes of no current pregnancy, childbirth or puerperium: pregnancy with
#: abortive outcome (O00-O08, whose complications their own 4th characters code) and the
#: sequelae of an obstetric complication (O94: "at any time after the puerperium").
NOT_PREGNANT = ("O00", "O01", "O02", "O03", "O04", "O05", "O06", "O07", "O08", "O94")


@attrs.frozen
class InPregnancy:
    """A condition of another chapter (``codes``, compact prefixes, but those of ``but``)
    that chapter 15 classifies in a pregnancy, childbirth or the puerperium: beside a
    chapter 15 code of one and no code of ``chapter15``, the code ``fix`` is missing --
    first, the condition's own code after it when ``keep`` (the chapter 15 code's "Use
    additional code" note), in its place otherwise. ``why`` is the message after "X with
    Y: " (``{x}`` the condition's code)."""

    codes: tuple[str, ...]
    chapter15: tuple[str, ...]
    fix: str
    keep: bool
    guideline: str
    why: str
    but: tuple[str, ...] = ()


_HYPERTENSION = ("O10", "O11", "O13", "O14", "O15", "O16")
_DIABETES = ("O24",)
_HYPERTENSIVE = ("pre-existing {what} in pregnancy, childbirth or the puerperium is coded "
                 "first to {fix}, followed by {{x}} for its type ({fix}'s \"Use additional "
                 "code\")")
_DIABETIC = ("diabetes in pregnancy, childbirth or the puerperium is coded first to "
             "category O24 ({what}: {fix}), followed by {{x}}")

#: The conditions chapter 15 classifies when the patient is pregnant, in childbirth or the
#: puerperium. Guideline I.C.15.a.1: chapter 15 codes unless the provider documents the
#: pregnancy as incidental to the encounter (Z33.1 in place of any chapter 15 code).
#: Hypertension (I.C.15.d; the tabular): I10's Excludes1 "hypertensive disease
#: complicating pregnancy, childbirth and the puerperium (O10-O11, O13-O16)" and O10.0's
#: inclusion "Any condition in I10 specified as a reason for obstetric care" (O10.0- in
#: place of I10); O10.1-O10.4 take I11, I12, I13, I15 in the same words and "Use additional
#: code from I11 [I12, I13, I15] to identify the type". Not I16 (hypertensive crisis) nor
#: I1A.0 (resistant hypertension): no O10 subcategory names them and their block's note
#: for O10-O16 is an Excludes2. Diabetes (I.C.15.g): "Pregnant patients who are diabetic
#: should be assigned a code from category O24 ... first, followed by the appropriate
#: diabetes code(s) (E08-E13)"; O24.0 uses E10, O24.1 E11, O24.8 E08, E09 and E13. Not the
#: presymptomatic type 1 codes (E10.A-) nor type 2 in remission (E11.A): no diabetes being
#: treated that O24 describes.
IN_PREGNANCY: tuple[InPregnancy, ...] = (
    InPregnancy(("I10",), _HYPERTENSION, "O10.0-", False, "I.C.15.a.1, I.C.15.d",
                "hypertension in pregnancy, childbirth or the puerperium is coded in chapter "
                "15 (I10's Excludes1: O10-O11, O13-O16): pre-existing essential hypertension "
                "is O10.0- in place of {x} (O11.- with superimposed pre-eclampsia; O13.- or "
                "O16.- for hypertension that arose in the pregnancy)"),
    InPregnancy(("I11",), _HYPERTENSION, "O10.1-", True, "I.C.15.a.1, I.C.15.d",
                _HYPERTENSIVE.format(what="hypertensive heart disease", fix="O10.1-")),
    InPregnancy(("I12",), _HYPERTENSION, "O10.2-", True, "I.C.15.a.1, I.C.15.d",
                _HYPERTENSIVE.format(what="hypertensive chronic kidney disease",
                                     fix="O10.2-")),
    InPregnancy(("I13",), _HYPERTENSION, "O10.3-", True, "I.C.15.a.1, I.C.15.d",
                _HYPERTENSIVE.format(what="hypertensive heart and chronic kidney disease",
                                     fix="O10.3-")),
    InPregnancy(("I15",), _HYPERTENSION, "O10.4-", True, "I.C.15.a.1, I.C.15.d",
                _HYPERTENSIVE.format(what="secondary hypertension", fix="O10.4-")),
    InPregnancy(("E10",), _DIABETES, "O24.0-", True, "I.C.15.a.1, I.C.15.g",
                _DIABETIC.format(what="pre-existing type 1", fix="O24.0-"), but=("E10A",)),
    InPregnancy(("E11",), _DIABETES, "O24.1-", True, "I.C.15.a.1, I.C.15.g",
                _DIABETIC.format(what="pre-existing type 2", fix="O24.1-"), but=("E11A",)),
    InPregnancy(("E08", "E09", "E13"), _DIABETES, "O24.8-", True, "I.C.15.a.1, I.C.15.g",
                _DIABETIC.format(what="other pre-existing diabetes", fix="O24.8-")),
)


def in_pregnancy(code: str) -> InPregnancy | None:
    """The :data:`IN_PREGNANCY` row of compact ``code``, or None.

    >>> [in_pregnancy(c).fix for c in ("I10", "I129", "E119", "E0900")]
    ['O10.0-', 'O10.2-', 'O24.1-', 'O24.8-']
    >>> in_pregnancy("E11A"), in_pregnancy("I160"), in_pregnancy("O10011")
    (None, None, None)
    """
    for row in IN_PREGNANCY:
        if code.startswith(row.codes) and not code.startswith(row.but):
            return row
    return None
