"""Procedure code modifiers (CPT and HCPCS Level II) by date of service.

Which modifiers exist on a date comes from the IOCE modifier list bundled with codekit
(2019-07-01 on); a CMS HCPCS file loaded with :func:`codekit.hcpcs.load_release` adds the
Level II descriptions and newer quarters. Anatomic and laterality modifiers carry their
side and site; NCCI-associated modifiers (those that may bypass a PTP edit with modifier
indicator 1) are flagged:

>>> from codekit import modifiers
>>> m = modifiers.validate("rt", on="2025-02-01")
>>> m.code, m.side, m.ncci_associated
('RT', 'right', True)
>>> modifiers.lookup("E1", on="2025-02-01").label
'upper left eyelid'
>>> modifiers.is_valid("JG", on="2024-12-31"), modifiers.is_valid("JG", on="2025-01-01")
(True, False)
>>> modifiers.validate("88", on="2025-02-01")
Traceback (most recent call last):
...
codekit.errors.InvalidModifier: '88': 88 is not a CPT or HCPCS modifier codekit knows ...

CPT modifiers get a short functional label written for codekit (``"distinct procedural
service"`` for 59), not the AMA's descriptor.
"""

from __future__ import annotations

import datetime as _dt
import itertools as _it
from collections.abc import Iterable, Mapping

import attrs

from ._dates import coerce_date as _coerce_date
from ._dates import covered
from ._procedures import _codes, _modsuggest, _suggest
from ._procedures._entries import ModifierEntry
from ._procedures._format import parse_modifier as _parse
from ._procedures._modifiers import REQUIRED as _REQUIRED
from ._procedures._modifiers import is_valid, lookup, validate
from ._procedures._modifiers import renamed as _renamed
from ._procedures._modmeta import (
    ANATOMIC,
    LABELS,
    LEVEL2_KINDS,
    NCCI_ASSOCIATED,
    NOT_ON_EM,
    NOT_ON_LAB,
    PLACEMENT,
    POSTOPERATIVE_PROCEDURE,
    SUCCESSORS,
    Anatomy,
    Placement,
    is_clinical_lab,
    is_cpt_modifier,
    level2_kind,
    level2_kind_why,
)
from ._procedures._store import ProcedureStore, default_store
from .codesystem import SearchResults
from .errors import ModifierNotValidOnDate, ValidationError

__all__ = [
    "ANATOMIC",
    "CONTRADICTIONS",
    "DISTINCT_SERVICE",
    "IOCE_CONFLICTS",
    "IOCE_UNLISTED",
    "LABELS",
    "LEVEL2_KINDS",
    "NCCI_ASSOCIATED",
    "NOT_ON_EM",
    "NOT_ON_LAB",
    "ORIGIN_DESTINATION",
    "PLACEMENT",
    "POSTOPERATIVE_PROCEDURE",
    "SUCCESSORS",
    "SYSTEM",
    "Anatomy",
    "ModifierCode",
    "ModifierEntry",
    "ModifierNotValidOnDate",
    "Placement",
    "compact",
    "coverage",
    "covers",
    "format",
    "is_clinical_lab",
    "is_cpt_modifier",
    "is_valid",
    "level2_kind",
    "level2_kind_why",
    "lookup",
    "origin_destination",
    "parse",
    "search",
    "suggest",
    "validate",
]

#: The system's name among :data:`codekit.codesystem.SYSTEMS`.
SYSTEM = "modifiers"

_Contradiction = tuple[frozenset[str], str, tuple[str, ...]]


def _one_of(group: Iterable[str], what: str) -> tuple[_Contradiction, ...]:
    """Every two of ``group``, modifiers of which a line carries one: ``what`` says why."""
    return tuple((frozenset({a, b}), f"{a} and {b} are both {what}: a line carries one", ())
                 for a, b in _it.combinations(group, 2))


#: The distinct procedural service modifiers: 59 and its more specific forms X{EPSU}
#: (separate encounter, practitioner, structure, unusual non-overlapping service).
DISTINCT_SERVICE = ("59", "XE", "XP", "XS", "XU")

#: Modifiers one line cannot carry together, why, and the one to keep when one is the
#: answer (``MOD_COMBINATION_INVALID``).
CONTRADICTIONS: tuple[_Contradiction, ...] = (
    *((frozenset({"59", x}), f"{x} is a more specific form of 59 (a distinct procedural "
       "service): CMS calls reporting both on one line incorrect; keep " + x, (x,))
      for x in DISTINCT_SERVICE[1:]),
    (frozenset({"26", "TC"}), "26 (the professional component) and TC (the technical "
     "component) split one service: a line bills one of them, or neither for the whole "
     "(global) service", ()),
    (frozenset({"GA", "GZ"}), "GA (a signed ABN is on file) and GZ (a denial is expected "
     "and no ABN was signed) cannot both be true", ()),
    *((frozenset({"GX", x}), f"GX (a voluntary notice for a service Medicare never covers) "
       f"cannot share a line with {x} (an ABN a covered service required): Medicare "
       "returns the claim (CMS CR 6563)", ()) for x in ("GA", "GZ")),
    (frozenset({"JW", "JZ"}), "JW (an amount of the drug was discarded) and JZ (none was "
     "discarded) cannot both be true: the amount administered goes on one line (JZ when "
     "nothing was discarded, else no modifier) and the discarded amount on its own line "
     "with JW (CMS JW/JZ policy)", ()),
    *_one_of((f"P{i}" for i in range(1, 7)), "anesthesia physical-status modifiers (the "
             "patient's ASA class)"),
    *_one_of(("AA", "AD", "QK", "QY", "QX", "QZ"), "anesthesia payment modifiers, each "
             "saying who furnished the anesthesia and how (Claims Processing Manual ch.12 "
             "§50, §140.3.3; the anesthesiologist and the CRNA each bill their own line)"),
    *_one_of(("GN", "GO", "GP"), "therapy discipline modifiers, naming the plan of care "
             "the service is under (Claims Processing Manual ch.5 §20.1)"),
    (frozenset({"CQ", "CO"}), "CQ (in part by a physical therapist assistant, with GP) and "
     "CO (in part by an occupational therapy assistant, with GO) name different "
     "disciplines (Claims Processing Manual ch.5 §20.1): a line carries one", ()),
    *((frozenset({"CQ", x}), f"CQ (in part by a physical therapist assistant) goes with "
       f"GP, not {x} (Claims Processing Manual ch.5 §20.1)", ()) for x in ("GN", "GO")),
    *((frozenset({"CO", x}), f"CO (in part by an occupational therapy assistant) goes "
       f"with GO, not {x} (Claims Processing Manual ch.5 §20.1)", ()) for x in ("GN", "GP")),
    *_one_of(("NU", "RR", "UE"), "DMEPOS payment-category modifiers (new purchase, rental, "
             "used purchase)"),
    *_one_of(("KH", "KI", "KJ"), "DMEPOS rental-month modifiers (KH the first month, KI "
             "the second and third, KJ the fourth to fifteenth)"),
    # KH is the initial claim of a purchase or the first rental month: it may go with NU
    *((frozenset({month, bought}), f"{month} (the {which} month of a rental: an item of "
       f"the capped rental category, or a PEN pump) cannot share a line with {bought} (a "
       f"{how} purchase): a rental month is billed with RR (Claims Processing Manual ch.20 "
       "§30.5), a purchase without a rental-month modifier other than KH", ())
      for month, which in (("KI", "second or third"), ("KJ", "fourth to fifteenth"))
      for bought, how in (("NU", "new"), ("UE", "used"))),
    (frozenset({"QM", "QN"}), "QM (ambulance service under arrangement by a provider) and "
     "QN (furnished directly by the provider) cannot both be true", ()),
    *((frozenset({x, "AS"}), f"{x} (an assistant at surgery who is a physician) and AS (one "
       "who is a physician assistant, nurse practitioner or clinical nurse specialist) "
       "name different assistants: a line bills one assistant, with one of them (Claims "
       "Processing Manual ch.12 §20.4.3)", ()) for x in ("80", "81", "82")),
)

#: The modifier pairs the I/OCE does not allow on one line of an outpatient institutional
#: claim (its edit 102, the table ``map_modifier_conflict`` of every version from
#: 2019-07-01; pyoce 0.1.0), why (``MOD_COMBINATION_INVALID`` under medicare-outpatient).
IOCE_CONFLICTS: tuple[_Contradiction, ...] = tuple(
    (frozenset({a, b}), f"{a} and {b} are both {what}", ())
    for group, what in (
        (("CT", "FX", "FY"), "imaging modifiers that reduce the payment for the equipment "
         "used (CT: a CT scan on equipment that does not meet the NEMA XR-29 standard; FX: "
         "an X-ray taken on film; FY: an X-ray taken by computed radiography)"),
        (("ER", "PN", "PO"), "modifiers of the hospital department that gave the service "
         "(ER: an off-campus provider-based emergency department; PN: a non-excepted, PO: "
         "an excepted off-campus provider-based department)"))
    for a, b in _it.combinations(group, 2))

#: The modifiers codekit knows that the I/OCE's modifier list lacks: CPT's Category II
#: exclusion modifiers 1P, 2P and 3P, added to the bundled list for practitioners' quality
#: lines (``codekit.build.procedures.CPT_MODIFIERS``). The I/OCE, an outpatient hospital's
#: editor, takes them as invalid (its edit 22: pyoce 0.1.0 on a 131 claim, 3046F-1P gets
#: it, 3046F-8P does not), and so does ``MOD_INVALID`` under medicare-outpatient.
IOCE_UNLISTED: frozenset[str] = frozenset({"1P", "2P", "3P"})

#: Ambulance origin and destination letters (HCPCS Level II). An ambulance line carries
#: them as one two-letter modifier, origin first (``RH``: residence to hospital); X is a
#: destination only. They are not in the modifier list codekit carries (the I/OCE does
#: not edit the modifiers of ambulance lines).
ORIGIN_DESTINATION: Mapping[str, str] = {
    "D": "diagnostic or therapeutic site other than P or H",
    "E": "residential, domiciliary or custodial facility",
    "G": "hospital-based ESRD facility",
    "H": "hospital",
    "I": "site of transfer between modes of ambulance transport",
    "J": "free-standing ESRD facility",
    "N": "skilled nursing facility",
    "P": "physician's office",
    "R": "residence",
    "S": "scene of accident or acute event",
    "X": "intermediate stop at a physician's office on the way to the hospital",
}


def origin_destination(modifier: object) -> tuple[str, str] | None:
    """The (origin, destination) an ambulance origin/destination modifier names, or None
    when ``modifier`` is not one.

    >>> origin_destination("rh")
    ('residence', 'hospital')
    >>> origin_destination("XR"), origin_destination("25")  # X is a destination only
    (None, None)
    """
    if not isinstance(modifier, str):
        return None
    m = modifier.strip().upper()
    if len(m) != 2 or m[0] == "X" or m[0] not in ORIGIN_DESTINATION \
            or m[1] not in ORIGIN_DESTINATION:
        return None
    return ORIGIN_DESTINATION[m[0]], ORIGIN_DESTINATION[m[1]]


@attrs.frozen
class ModifierCode:
    """A well-formed modifier (structure only, no data): its code and level.

    >>> m = parse(" -rt")
    >>> m.code, m.level, str(m)
    ('RT', 'hcpcs', 'RT')
    >>> parse("25").level
    'cpt'
    """

    code: str

    @property
    def level(self) -> str:
        """``"cpt"`` (Level I: two digits, or a digit and P) or ``"hcpcs"`` (Level II)."""
        return "cpt" if is_cpt_modifier(self.code) else "hcpcs"

    def __str__(self) -> str:
        return self.code


def parse(value: object) -> ModifierCode:
    """A modifier split into its parts by format alone; raises
    :class:`~codekit.InvalidModifier` when it is not two letters or digits.

    >>> parse("250")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidModifier: '250': a modifier is 2 letters or digits ...
    """
    return ModifierCode(_parse(value))


def compact(value: object) -> str:
    """The modifier upper case, without white space or a leading hyphen.

    >>> compact(" -rt ")
    'RT'
    """
    return _parse(value)


def format(value: object) -> str:
    """The modifier as printed (the compact form: modifiers have no punctuation)."""
    return _parse(value)


def coverage(*, store: ProcedureStore | None = None) -> tuple[_dt.date, _dt.date]:
    """The first and last date codekit's modifier data describes: the bundled IOCE
    quarters and the CMS HCPCS files you loaded (not a quarterly code list,
    :func:`codekit.procedure.load_quarter`: it lists codes, no modifier); other dates are
    answered as of the nearest quarter, and entries say so in ``covered`` and ``note``.

    >>> coverage()[0]
    datetime.date(2019, 7, 1)
    """
    return _codes.coverage(store or default_store(), code_lists=False)


def covers(code: object = None, *, on: object = None,
           store: ProcedureStore | None = None) -> bool:
    """Whether codekit's modifier data describes ``on`` (default today): see
    :func:`coverage`. Verbs that answer with a bool or a list (``is_valid``, ``suggest``)
    carry no note: for a date outside, they answer as of the nearest quarter; ask this
    first (``search``'s results say ``covered`` and ``note``).

    ``code`` (optional, beyond the contract's ``covers(*, on=)``) asks for one modifier,
    as its entry's ``covered`` says: a CMS HCPCS file you loaded describes the Level II
    modifiers of its quarter, not the CPT (Level I) ones, which it does not list. Without
    it (or for text that is no modifier), the answer is that of Level II modifiers.

    >>> covers(on="2025-06-01"), covers(on="2018-01-01"), covers("25", on="2025-06-01")
    (True, False, True)
    """
    if code is None:
        return covered(coverage(store=store), on)
    try:
        key = compact(code)
    except ValidationError:
        return covered(coverage(store=store), on)
    return _codes.covers(store or default_store(), _coerce_date(on), key, "modifiers")


def suggest(code: object = _REQUIRED, *, on: object = None, limit: int = 5,
            store: ProcedureStore | None = None, modifier: object = _REQUIRED) -> list[str]:
    """Modifiers active on ``on`` close to a mistyped modifier ``code``, best first.
    ``modifier=`` is the deprecated name of ``code`` (a :class:`DeprecationWarning`).

    >>> suggest("5O", on="2025-02-01")[:1], suggest("1T", on="2025-02-01")[:1]
    (['50'], ['T1'])
    """
    if modifier is not _REQUIRED or code is _REQUIRED:
        code = _renamed(code, modifier, "suggest")
    return _modsuggest.suggest(code, on=on, limit=limit, store=store)


def search(text: str, *, on: object = None, limit: int = 10,
           store: ProcedureStore | None = None) -> SearchResults:
    """Modifiers active on ``on`` whose label or CMS description matches ``text``; the
    results say the date, the release that answered and, for a date the data does not
    describe (:func:`covers`), a ``note``.

    >>> [h.code for h in search("distinct procedural service", on="2025-02-01")][:1]
    ['59']
    """
    found = _modsuggest.search(text, on=on, limit=limit, store=store)
    s = store or default_store()
    day = _coerce_date(on)
    release, note = _suggest.search_coverage(s, day, "modifiers")
    return SearchResults(found, query=found.query, on=day, release=release, note=note)
