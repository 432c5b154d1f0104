"""FHIR R4 Claim (or ExplanationOfBenefit) -> codekit :class:`~codekit.claims.Claim`, with
the index maps that take a finding's claim location back to a FHIRPath.

The reader works on the resource as plain JSON data (dicts and lists) and never changes
it. It reads every element the claim edits use; what it cannot read is a finding with the
element's FHIRPath (a coding in a system codekit does not check, a reference it cannot
resolve, a value of the wrong type), never an exception.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .. import _cache
from .._json import AGAIN_DEPTH, deeper_than
from .._show import json_kind, shown
from ..claims import (
    MAX_TEXT,
    Claim,
    Occurrence,
    OccurrenceSpan,
    Patient,
    Procedure,
    ServiceLine,
    ValueCode,
    bill_class,
    is_asc_bill,
)
from ..findings import Finding, Location, Severity
from . import _systems as S

__all__ = ["CLAIM_TYPES", "MAX_ITEMS", "Paths", "ReadClaim", "Resolver", "not_json_data",
           "read_claim"]

#: What a resolver gets (a reference as written, ``Patient/123``) and gives back: the
#: resource as a dict (or a fhir.resources model), or None when it has none.
Resolver = Callable[[str], Any]

#: Claim.type codes codekit checks, and the codekit claim type each becomes (a vision
#: claim is billed on the professional form).
CLAIM_TYPES = {"professional": "professional", "institutional": "institutional",
               "vision": "professional"}
#: The most items a claim may have to be checked (the 837I limit; the 837P allows 50).
MAX_ITEMS = 999
READER = "codekit FHIR reader (docs/fhir.md)"

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_GENDER = {"male": "M", "female": "F", "unknown": "U", "other": "U"}
_BIRTH_SEX = {"M": "M", "F": "F", "UNK": "U"}
_ADMITTING = frozenset({"admitting"})
_REASON = frozenset({"patientreasonforvisit", "reason-for-visit", "reasonforvisit"})
#: A procedure type of the principal procedure: CARIN Blue Button (C4BBClaimProcedureType
#: ``principal``) and the FHIR example ProcedureType (``primary``).
_PRINCIPAL_PROCEDURE = frozenset({"principal", "primary"})
_MEMBER_ID_TYPES = frozenset({"MB", "MC", "MA", "SN", "MR"})
_BILL_TYPE = re.compile(r"\d{3,4}")
#: supportingInfo categories of the patient discharge status: CARIN Blue Button's
#: (C4BBSupportingInfoType ``discharge-status``) and FHIR's claiminformationcategory
#: ``discharge``
_DISCHARGE = frozenset({"discharge-status", "discharge"})
#: supportingInfo categories of the admission (their timing's start, or timingDate):
#: CARIN Blue Button's ``admissionperiod`` (C4BBSupportingInfoType), FHIR's
#: claiminformationcategory ``hospitalized``, and Da Vinci PAS's ``admissionDates``
#: (PASSupportingInfoType, STU 1 to 2.1) and ``admissionReviewStart`` (its later name).
_ADMISSION = frozenset({"admissionperiod", "hospitalized", "admissionDates",
                        "admissionReviewStart"})
#: Claim.status and ExplanationOfBenefit.status (FHIR R4 fm-status), and what the two that
#: end a claim's life mean.
_STATUSES = frozenset({"active", "cancelled", "draft", "entered-in-error"})
_WITHDRAWN = {"cancelled": "the claim was withdrawn",
              "entered-in-error": "the claim was recorded in error"}
_DAYS: dict[str, dt.date | None] = _cache.owned("fhir.days", {})
#: The systems of a modifier's codings (none: a coding without a system is read too).
_MODIFIER_URIS: frozenset[str | None] = S.MODIFIER_URIS | {None}
#: Claim.use of a request made before the service (Da Vinci PAS, a predetermination):
#: without a date of service, its codes are checked on the day it was created.
_REQUESTS = frozenset({"preauthorization", "predetermination"})


@attrs.frozen
class Paths:
    """Where each part of the codekit claim came from in the FHIR resource, so that a
    finding's location (``("service_lines", 1, "modifiers", 0)``) becomes a FHIRPath
    (``Claim.item[1].modifier[0]``): :meth:`expression`."""

    root: str = "Claim"
    #: codekit diagnosis position -> FHIRPath of its diagnosis element.
    dx: tuple[str, ...] = ()
    #: codekit diagnosis position -> FHIRPath of its code (``...diagnosisCodeableConcept``).
    dx_code: tuple[str, ...] = ()
    admitting: str | None = None
    visit_reasons: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    #: codekit procedure index -> FHIRPath of its ``date`` ("" when it has none).
    procedure_dates: tuple[str, ...] = ()
    #: codekit line index -> FHIRPath of its item.
    items: tuple[str, ...] = ()
    #: per codekit line, codekit modifier index -> index in item.modifier.
    modifiers: tuple[tuple[int, ...], ...] = ()
    #: per codekit line, codekit pointer index -> index in item.diagnosisSequence.
    pointers: tuple[tuple[int, ...], ...] = ()
    #: per codekit line, the element its date came from (``servicedDate``...) or "".
    line_dates: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    #: ``occurrence_codes``, ``occurrence_spans``, ``value_codes`` -> per code, the
    #: FHIRPath of its supportingInfo.
    nubc: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: patient field (``sex``, ``birth_date``, ``age``, ``id``) -> FHIRPath.
    patient: Mapping[str, str] = attrs.field(factory=dict)
    #: claim field (``date_of_service``, ``bill_type``, ``payer``...) -> FHIRPath.
    fields: Mapping[str, str] = attrs.field(factory=dict)
    #: codekit diagnosis position -> the FHIR ``diagnosis.sequence`` (None: it has none).
    dx_sequences: tuple[int | None, ...] = ()
    #: Whether codekit's numbers of the diagnoses (their positions, principal first: what
    #: its messages and pointers say) differ from the resource's sequences.
    renumbered: bool = False

    def sequence(self, location: Sequence[str | int], claim: Claim
                 ) -> tuple[int, int] | None:
        """(codekit's number, the resource's) of the diagnosis a checker finding's
        ``location`` in ``claim`` (the claim read) names: a diagnosis or its POA
        indicator (its ``sequence``), or a line's pointer (the diagnosis codekit read it
        as, and the value written in ``diagnosisSequence``: that diagnosis's sequence; a
        pointer to no diagnosis read keeps its value, the same number). None for any
        other location, or a diagnosis without a sequence.

        >>> line = ServiceLine(line=1, procedure_code="99213", diagnosis_pointers=(2, 9))
        >>> claim = Claim(claim_type="professional", payer="medicare", patient=Patient("F"),
        ...               date_of_service=dt.date(2025, 11, 3), diagnoses=("E11.9", "I10"),
        ...               service_lines=(line,))
        >>> p = Paths(dx_sequences=(2, 3))
        >>> p.sequence(("diagnoses", 1), claim)
        (2, 3)
        >>> [p.sequence(("service_lines", 0, "diagnosis_pointers", j), claim) for j in (0, 1)]
        [(2, 3), (9, 9)]
        """
        head = location[0] if location else None
        k = location[1] if len(location) > 1 and type(location[1]) is int else None
        if k is None:
            return None
        sequences = self.dx_sequences
        if head in ("diagnoses", "poa"):
            seq = sequences[k] if 0 <= k < len(sequences) else None
            return None if seq is None else (k + 1, seq)
        if head == "service_lines" and len(location) > 3 and \
                location[2] == "diagnosis_pointers" and type(location[3]) is int:
            lines = claim.service_lines
            pointers = lines[k].diagnosis_pointers if 0 <= k < len(lines) else ()
            j = location[3]
            if not 0 <= j < len(pointers):
                return None
            number = pointers[j]  # a position, or the value as written when out of range
            seq = sequences[number - 1] if 0 < number <= len(sequences) else number
            return None if seq is None else (number, seq)
        return None

    def numbering(self, location: Sequence[str | int], claim: Claim) -> str:
        """What a finding's message needs said when codekit's numbers of the diagnoses
        are not the resource's (:attr:`renumbered`) and the finding names one: which
        diagnosis sequence codekit's number stands for (``""`` otherwise). Its message
        keeps codekit's own words and numbers: they are the checker's, for every door."""
        if not self.renumbered:
            return ""
        found = self.sequence(location, claim)
        if found is None:
            return ""
        number, seq = found
        head = location[0]
        if head == "service_lines":
            if number == seq:
                return ""  # a pointer to no diagnosis read: its value as written
            return (f" [FHIR: this pointer, diagnosisSequence {seq}, is codekit's diagnosis "
                    f"{number}: codekit numbers the diagnoses in their order, the principal "
                    "first]")
        return (f" [FHIR: codekit's diagnosis {number} is {self.dx[number - 1]}, sequence "
                f"{seq}: codekit numbers the diagnoses in their order, the principal first]")

    def expression(self, location: Sequence[str | int]) -> str:
        """The FHIRPath of a codekit claim location (the nearest element that holds it).

        >>> p = Paths(items=("Claim.item[1]",), modifiers=((0,),), pointers=((0,),))
        >>> p.expression(("service_lines", 0, "modifiers", 0))
        'Claim.item[1].modifier[0]'
        >>> p.expression(("service_lines", 0, "units")), p.expression(())
        ('Claim.item[1].quantity', 'Claim')
        """
        if not location:
            return self.root
        head = location[0]
        rest = location[1:]
        k = rest[0] if rest and type(rest[0]) is int else None
        if head == "service_lines":
            if k is None or not 0 <= k < len(self.items):
                return f"{self.root}.item"
            item = self.items[k]
            field = rest[1] if len(rest) > 1 else None
            sub = rest[2] if len(rest) > 2 and type(rest[2]) is int else None
            if field == "modifiers":
                mods = self.modifiers[k] if k < len(self.modifiers) else ()
                if sub is not None and 0 <= sub < len(mods):
                    return f"{item}.modifier[{mods[sub]}]"
                return f"{item}.modifier"
            if field == "diagnosis_pointers":
                ptrs = self.pointers[k] if k < len(self.pointers) else ()
                if sub is not None and 0 <= sub < len(ptrs):
                    return f"{item}.diagnosisSequence[{ptrs[sub]}]"
                return f"{item}.diagnosisSequence"
            if field == "date_of_service":
                when = self.line_dates[k] if k < len(self.line_dates) else ""
                return f"{item}.{when}" if when else item
            element = _LINE_ELEMENTS.get(field) if isinstance(field, str) else None
            return f"{item}.{element}" if element else item
        if head == "diagnoses":
            if k is not None and len(rest) > 1 and rest[1] == "poa" and 0 <= k < len(self.dx):
                return f"{self.dx[k]}.onAdmission"  # the POA edits' ("diagnoses", i, "poa")
            if k is not None and 0 <= k < len(self.dx_code):
                return self.dx_code[k]
            return f"{self.root}.diagnosis"
        if head == "poa":
            if k is not None and 0 <= k < len(self.dx):
                return f"{self.dx[k]}.onAdmission"
            return f"{self.root}.diagnosis"
        if head == "procedures":
            if k is not None and 0 <= k < len(self.procedures):
                # the date edits' ("procedures", i, "date"): the procedure's date
                if len(rest) > 1 and rest[1] == "date" and k < len(self.procedure_dates) \
                        and self.procedure_dates[k]:
                    return self.procedure_dates[k]
                return self.procedures[k]
            return f"{self.root}.procedure"
        if head == "visit_reasons":
            if k is not None and 0 <= k < len(self.visit_reasons):
                return self.visit_reasons[k]
            return f"{self.root}.diagnosis"
        if head == "condition_codes":
            if k is not None and 0 <= k < len(self.conditions):
                return self.conditions[k]
            return f"{self.root}.supportingInfo"
        if head in ("occurrence_codes", "occurrence_spans", "value_codes"):
            found = self.nubc.get(head, ())
            if k is not None and 0 <= k < len(found):
                return found[k]
            return f"{self.root}.supportingInfo"
        if head == "admitting_diagnosis":
            return self.admitting or f"{self.root}.diagnosis"
        if head == "patient":
            field = rest[0] if rest else None
            if isinstance(field, str) and field in self.patient:
                return self.patient[field]
            return self.patient.get("", f"{self.root}.patient")
        if isinstance(head, str) and head in self.fields:
            return self.fields[head]
        return self.root


def _is_str(value: Any) -> bool:
    return type(value) is str


def _is_bool(value: Any) -> bool:
    return type(value) is bool


def _is_dict(value: Any) -> bool:
    return isinstance(value, dict)


#: codekit's own extensions (``urn:codekit:fhir:<name>``): the ``value[x]`` the writer
#: gives each (the first; the others read as well) and the test its value passes.
_OWN: dict[str, tuple[tuple[str, ...], Callable[[Any], bool], str]] = {
    "extra": (("valueString",), _is_str, "a string"),
    "opps": (("valueBoolean",), _is_bool, "a boolean"),
    "dme-supplier": (("valueBoolean",), _is_bool, "a boolean"),
    "asc-facility": (("valueBoolean",), _is_bool, "a boolean"),
    "place-of-service": (("valueCoding",), _is_dict, "a Coding (an object)"),
    "date-of-service": (("valueDate", "valueDateTime"), _is_str, "a string"),
    "sex": (("valueString",), _is_str, "a string"),
    "age": (("valueInteger",), lambda v: type(v) is int, "a whole number"),
    "role": (("valueCode",), _is_str, "a string"),
    "line-id": (("valueString",), _is_str, "a string"),
}


def _age_out_of_range(key: str, value: int) -> str | None:
    if -1000 < value < 1000:
        return None
    return f"has {key} {value}, out of any age's range (-999 to 999)"


def _pos_without_code(key: str, value: dict[str, Any]) -> str | None:
    code = value.get("code")
    if type(code) is str and code.strip() and len(code) <= MAX_TEXT:
        return None
    if code is None:
        return f"has a {key} with no code"
    if type(code) is not str:
        return f"has a {key} whose code is {json_kind(code)}, not a string"
    if not code.strip():
        return f"has a {key} whose code is blank"
    return f"has a {key} whose code is {len(code):,} characters long (at most {MAX_TEXT:,})"


def _not_a_day(key: str, value: str) -> str | None:
    if _parse_day(value) is not None:
        return None
    if _PARTIAL.fullmatch(value):
        return f"has {key} {_short(value)}, not a whole day (YYYY-MM-DD)"
    return f"has {key} {_short(value)}, not a FHIR date (YYYY-MM-DD) or dateTime"


#: What a value of the right ``value[x]`` and type must also be, by extension: the
#: problem (said, from the ``value[x]`` and the value), or None. The extensions not
#: named here take any value of their type.
_OWN_RANGE: dict[str, Callable[[str, Any], str | None]] = {
    "age": _age_out_of_range,
    "place-of-service": _pos_without_code,
    "date-of-service": _not_a_day,
}

#: The claim's NUBC fields read from supportingInfo by their code systems.
_NUBC_FIELDS = ("occurrence_codes", "occurrence_spans", "value_codes")

_LINE_ELEMENTS = {"procedure_code": "productOrService", "units": "quantity",
                  "place_of_service": "locationCodeableConcept", "charge": "net",
                  "revenue_code": "revenue", "line": "sequence", "ndc": "detail"}


@attrs.frozen
class ReadClaim:
    """One Claim read: the codekit ``claim`` (None when it cannot be checked: an oral or
    pharmacy claim, no date of service...), the reader's own ``findings`` (a diagnosis in
    SNOMED CT, an unresolved reference...), the ``paths`` that map the checker's findings
    back to FHIRPath, and the resource's identity (``resource_type``, ``id``, ``full_url``
    in its Bundle, ``expression``: where it is in the input, ``Claim`` or
    ``Bundle.entry[3].resource``)."""

    claim: Claim | None
    findings: tuple[Finding, ...]
    paths: Paths
    resource_type: str = "Claim"
    id: str | None = None
    full_url: str | None = None
    expression: str = "Claim"
    #: The claim's identifier (``identifier``, else the resource id), checked or not.
    claim_id: str | None = None

    @property
    def reference(self) -> str | None:
        """``Claim/<id>`` (or the Bundle fullUrl) when the resource has one."""
        if self.full_url:
            return self.full_url
        return f"{self.resource_type}/{self.id}" if self.id else None


def reads_as(location: Location) -> bool:
    """Whether a reader finding at ``location`` says how the reader read an element that
    fhir.resources' model rejects too: an item's ``sequence`` (missing, repeated, not a
    positive integer) and the line the item is read as. Validating, its finding is kept in
    place of the model's at the same element, so both paths say the same thing."""
    return len(location) == 4 and location[1] == "item" and type(location[2]) is int and \
        location[3] == "sequence"


def expression_of(location: Location) -> str:
    """A reader finding's location (``("Claim", "item", 1, "modifier", 0)``) as FHIRPath."""
    out = ""
    for part in location:
        out += f"[{part}]" if type(part) is int else (f".{part}" if out else str(part))
    return out


# -- reading ----------------------------------------------------------------------------------


class Context:
    """What references resolve against: the resources of the Bundle (by ``fullUrl`` and by
    ``Type/id``, with their FHIRPath in the Bundle) and the caller's resolver.

    A key two different resources of the Bundle share (a fullUrl used twice, which FHIR's
    Bundle invariant bdl-7 forbids, or two Patients with one id) resolves to neither: which
    one a claim means cannot be told, and taking the first would check the claim against
    a patient the order of the entries chose. :meth:`clash` says which two entries.
    """

    __slots__ = ("by_key", "clashes", "resolver")

    def __init__(self, entries: Iterable[tuple[str | None, Any, str]] = (),
                 resolver: Resolver | None = None) -> None:
        self.by_key: dict[str, tuple[dict[str, Any], str]] = {}
        #: key -> the FHIRPaths of the first two different resources found under it
        self.clashes: dict[str, tuple[str, str]] = {}
        self.resolver = resolver
        for full_url, res, where in entries:
            if not isinstance(res, dict):
                continue
            rtype, rid = res.get("resourceType"), res.get("id")
            if isinstance(full_url, str) and full_url:
                self._add(full_url, res, where)
            if isinstance(rtype, str) and isinstance(rid, str):
                self._add(f"{rtype}/{rid}", res, where)

    def _add(self, key: str, res: dict[str, Any], where: str) -> None:
        had = self.by_key.get(key)
        if had is None:
            if key not in self.clashes:
                self.by_key[key] = (res, where)
        elif had[0] is not res and had[0] != res:  # the same resource twice is no clash
            self.clashes[key] = (had[1], where)
            del self.by_key[key]

    @staticmethod
    def _keys(ref: str, base: str | None) -> Iterator[str]:
        """The keys ``ref`` may be found under, in the order they are tried: as written,
        without its ``_history``, relative to ``base`` (the fullUrl of the resource that
        holds the reference), and an absolute URL's ``Type/id``."""
        yield ref
        ref = ref.split("/_history/")[0]
        yield ref
        if base and "://" in base and "://" not in ref:
            # Claim at http://x/fhir/Claim/1 names Patient/2: http://x/fhir/Patient/2
            parts = base.rstrip("/").split("/")
            if len(parts) > 2:
                yield "/".join([*parts[:-2], ref])
        if "://" in ref:
            tail = ref.rstrip("/").split("/")
            if len(tail) >= 2:
                yield "/".join(tail[-2:])

    def find(self, ref: str, base: str | None) -> tuple[dict[str, Any], str] | None:
        """The Bundle resource ``ref`` names (relative to ``base``, the fullUrl of the
        resource that holds the reference), or None."""
        for key in self._keys(ref, base):
            hit = self.by_key.get(key)
            if hit is not None:
                return hit
        return None

    def clash(self, ref: str, base: str | None) -> tuple[str, str] | None:
        """The FHIRPaths of two different Bundle resources ``ref`` could name (when
        :meth:`find` found none because of them), or None."""
        for key in self._keys(ref, base):
            if key in self.clashes:
                return self.clashes[key]
        return None


def read_claim(res: Mapping[str, Any], *, context: Context | None = None,
               where: str | None = None, full_url: str | None = None,
               icd10_who: bool = False, max_items: int = MAX_ITEMS) -> ReadClaim:
    """Read one Claim (or ExplanationOfBenefit) resource given as JSON data."""
    return _Reader(res, context or Context(), where, full_url, icd10_who, max_items).read()


class _Reader:
    def __init__(self, res: Mapping[str, Any], context: Context, where: str | None,
                 full_url: str | None, icd10_who: bool, max_items: int) -> None:
        self.res = res
        rtype = res.get("resourceType")
        self.rtype = rtype if isinstance(rtype, str) else "Claim"
        self.root = where or self.rtype
        self.context = context
        self.full_url = full_url
        self.icd10_who = icd10_who
        self.max_items = max_items
        self.findings: list[Finding] = []
        self.fields: dict[str, str] = {}
        self.contained = _list(res.get("contained"))
        self.paths = Paths(root=self.root)
        self._period_ends: tuple[dt.date | None, dt.date | None] = (None, None)
        self._coverages: list[tuple[dict[str, Any], str]] | None = None
        #: provider identifiers said not to be NPIs
        self._not_npi: set[Location] = set()
        #: the FHIR sequence of each diagnosis read, in codekit's order (None: it has none)
        self._dx_sequences: list[int | None] = []
        self._claim_id: str | None = None
        #: ((first, last day), text, where, finding index, its parts) of a birthDate of a
        #: month or a year, settled once the date of service is known
        self._partial_birth: tuple[tuple[dt.date, dt.date], str, str, int, list[str]] | None \
            = None

    # findings ------------------------------------------------------------------------

    def note(self, rule: str, severity: Severity, message: str, path: Location,
             codes: Sequence[str] = (), fix: Sequence[str] = ()) -> None:
        self.findings.append(Finding(rule, severity, message, (self.root, *path),
                                     tuple(codes), READER, tuple(fix)))

    def bad(self, path: Location, message: str) -> None:
        self.note("FHIR_STRUCTURE_INVALID", E, f"{self.xp(path)}: {message}", path)

    def xp(self, path: Location) -> str:
        out = self.root
        for part in path:
            out += f"[{part}]" if type(part) is int else f".{part}"
        return out

    def modifier_extensions(self, most: int = 20) -> None:
        """Say each ``modifierExtension`` in the resource (contained resources included;
        the first ``most``): a modifier extension changes the meaning of the element it
        sits on (a line "not performed", a diagnosis "ruled out"), and FHIR forbids a
        reader that does not know it to process that element as if it were not there.
        codekit knows none."""
        stack: list[tuple[Any, Location]] = [(self.res, ())]
        found = 0
        while stack and found < most:
            value, path = stack.pop()
            if isinstance(value, list):
                stack.extend((value[j], (*path, j)) for j in range(len(value) - 1, -1, -1)
                             if isinstance(value[j], dict | list))
                continue
            if not isinstance(value, dict):
                continue
            later: list[tuple[Any, Location]] = []
            for key, child in value.items():
                if key != "modifierExtension":
                    if isinstance(child, dict | list):
                        later.append((child, (*path, key)))
                    continue
                for j, ext in enumerate(child if isinstance(child, list) else [child]):
                    if found >= most:
                        break
                    url = _dict(ext).get("url")
                    at: Location = (*path, key, j)
                    self.note("FHIR_MODIFIER_EXTENSION_UNKNOWN", E,
                              f"{self.xp(at)}: a modifier extension "
                              f"({shown(url, 80) if url else 'with no url'}) changes the "
                              "meaning of the element it sits on, and codekit does not know "
                              "it: the element was checked as if the extension were not "
                              "there, so its findings may not hold (remove the extension, "
                              "or leave the element out)", at)
                    found += 1
            stack.extend(reversed(later))

    # typed access --------------------------------------------------------------------

    def obj(self, value: Any, path: Location) -> dict[str, Any] | None:
        if value is None:
            return None
        if isinstance(value, dict):
            return value
        self.bad(path, f"must be an object, got {json_kind(value)}")
        return None

    def arr(self, value: Any, path: Location) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.bad(path, f"must be an array, got {json_kind(value)}")
        return []

    def text(self, value: Any, path: Location) -> str | None:
        if value is None:
            return None
        if type(value) is str:
            if len(value) > MAX_TEXT:
                self.bad(path, f"is {len(value):,} characters long (at most {MAX_TEXT:,})")
                return None
            return value
        self.bad(path, f"must be a string, got {json_kind(value)}")
        return None

    def day(self, value: Any, path: Location) -> dt.date | None:
        if value is None:
            return None
        if type(value) is str:
            day = _DAYS.get(value)
            if day is None and value not in _DAYS:
                day = _parse_day(value)
                if len(_DAYS) >= 4096:
                    _DAYS.clear()
                if len(value) <= _cache.MAX_KEY:
                    _DAYS[value] = day
            if day is not None:
                return day
            if _PARTIAL.fullmatch(value):
                self.bad(path, f"{value!r} is not a whole day (YYYY-MM-DD)")
                return None
        self.bad(path, f"not a FHIR date or dateTime: {_short(value)}")
        return None

    def number(self, value: Any, path: Location) -> Decimal | None:
        if value is None:
            return None
        if type(value) is int:
            if -10**12 < value < 10**12:
                return Decimal(value)
        elif isinstance(value, Decimal | float) and not isinstance(value, bool):
            try:
                # float.__repr__: a float's shortest digits, a subclass's too (NumPy's
                # float64 repr is np.float64(125.0))
                d = value if isinstance(value, Decimal) else Decimal(float.__repr__(value))
            except (InvalidOperation, ValueError):
                d = None
            if d is not None and d.is_finite() and d.adjusted() <= 11:
                return d
        self.bad(path, f"must be a finite number below 10^12, got {_short(value)}")
        return None

    def codings(self, concept: Any, path: Location) -> list[tuple[int, dict[str, Any]]]:
        """(index, coding) of a CodeableConcept's codings that have a code."""
        if type(concept) is dict:  # the common, well-formed case, without the checks' calls
            coding = concept.get("coding")
            if type(coding) is list:
                out = []
                for j, c in enumerate(coding):
                    code = c.get("code") if type(c) is dict else None
                    if type(code) is not str or not 0 < len(code) <= MAX_TEXT \
                            or type(c.get("system", "")) is not str:
                        break
                    out.append((j, c))
                else:
                    return out
        cc = self.obj(concept, path)
        if cc is None:
            return []
        out = []
        for j, c in enumerate(self.arr(cc.get("coding"), (*path, "coding"))):
            c = self.obj(c, (*path, "coding", j))
            if c is not None and self.text(c.get("code"), (*path, "coding", j, "code")) and (
                    c.get("system") is None
                    or self.text(c.get("system"), (*path, "coding", j, "system"))):
                out.append((j, c))
        return out

    def ext(self, element: Mapping[str, Any], name: str, path: Location = (),
            where: str | None = None) -> Any:
        """The value of codekit's own extension ``name`` on ``element`` (or None): the
        first such extension, when its value is the ``value[x]`` codekit writes
        (:data:`_OWN`). Another one (``valueString "true"`` for ``valueBoolean``), a value
        of the wrong JSON type, a value of the right type out of its range
        (:data:`_OWN_RANGE`: an age of 5000, a place of service with no code, a date of
        service that is not a day), or none is a ``FHIR_STRUCTURE_INVALID`` warning at the
        extension, and the value is not read: the claim is checked as if the extension
        were not there. ``path`` is where ``element`` is in the claim, or ``where`` its
        FHIRPath (a patient in the Bundle; the reference, for one the resolver gave)."""
        exts = element.get("extension")
        if not isinstance(exts, list):
            return None
        url = f"{S.CODEKIT}:{name}"
        for k, e in enumerate(exts):
            if isinstance(e, dict) and e.get("url") == url:
                kinds, fits, kind = _OWN[name]
                key, value = next(((key, value) for key, value in e.items()
                                   if key.startswith("value")), (None, None))
                out_of_range = None
                if key in kinds and fits(value):
                    in_range = _OWN_RANGE.get(name)
                    out_of_range = in_range(key, value) if in_range is not None else None
                    if out_of_range is None:
                        return value
                if out_of_range is not None:
                    has = out_of_range
                elif key is None:
                    has = f"has no value[x] (it takes {kinds[0]})"
                elif key in kinds:
                    has = f"has {key} holding {json_kind(value)}, not {kind}"
                else:
                    has = f"has {key} {_short(value)}, not the {kinds[0]} it takes"
                at: Location
                if where is None:
                    at = (self.root, *path, "extension", k)
                elif where == self.xp(path):  # from the resolver: said at the reference
                    at = tuple(_split(where))
                else:
                    at = (*_split(where), "extension", k)
                self.findings.append(Finding(
                    "FHIR_STRUCTURE_INVALID", W, f"{expression_of(at)}: {url} {has}: it is "
                    "not read, and the claim is checked without it", at, (), READER))
                return None
        return None

    @staticmethod
    def own_at(element: Mapping[str, Any], name: str) -> int:
        """The index in ``element``'s ``extension`` of codekit's own extension ``name``
        whose value :meth:`ext` read (the first with its URL): where a finding about the
        claim field it fills points (``Claim.extension[2]``, not every extension)."""
        url = f"{S.CODEKIT}:{name}"
        return next(k for k, e in enumerate(element["extension"])
                    if isinstance(e, dict) and e.get("url") == url)

    # references ----------------------------------------------------------------------

    def resolve(self, ref_obj: Any, path: Location, want: str | tuple[str, ...]
                ) -> tuple[dict[str, Any] | None, str | None, str]:
        """(resource, its FHIRPath, why not) for a Reference: contained, in the Bundle,
        or from the caller's resolver."""
        ref_obj = self.obj(ref_obj, path)
        if ref_obj is None:
            return None, None, "missing"
        ref = self.text(ref_obj.get("reference"), (*path, "reference"))
        if not ref:
            return None, None, "a logical reference (identifier only)" if \
                ref_obj.get("identifier") is not None else "no reference"
        if ref.startswith("#"):
            found = [(k, c) for k, c in enumerate(self.contained)
                     if isinstance(c, dict) and c.get("id") == ref[1:]]
            if not found:
                return None, None, f"{ref!r} names no contained resource"
            k, c = found[0]
            other = next((j for j, d in found[1:] if d != c), None)
            if other is not None:  # one id resolution space (references.html#contained)
                return None, None, f"{_short(ref)} names two different contained " \
                                   f"resources, {self.root}.contained[{k}] and " \
                                   f"{self.root}.contained[{other}]: an id used twice in " \
                                   "one resource, which one is meant cannot be told"
            return self.typed(c, want, f"{self.root}.contained[{k}]", ref)
        hit = self.context.find(ref, self.full_url)
        if hit is not None:
            return self.typed(hit[0], want, hit[1], ref)
        clash = self.context.clash(ref, self.full_url)
        if clash is not None:  # FHIR's bdl-7: a fullUrl names one resource of a Bundle
            return None, None, f"{_short(ref)} names two different resources of the " \
                               f"Bundle, {clash[0]} and {clash[1]}: a fullUrl (or a " \
                               "type and id) used twice, which one is meant cannot be told"
        if self.context.resolver is not None:
            try:
                found = self.context.resolver(ref)
            except Exception as e:  # the caller's code: its failure is a finding
                try:
                    why = str(e)[:200]
                except Exception:  # a hostile __str__
                    why = "?"
                return None, None, f"the resolver failed on {ref!r}: {type(e).__name__}: " \
                                   f"{why}"
            if found is not None:
                data = as_data(found)
                if data is None:
                    return None, None, f"the resolver gave {json_kind(found)} for {ref!r}"
                bad = not_json_data(data) if data is found else None  # a model dumps as JSON
                if bad is not None:
                    at, what = bad
                    return None, None, f"what the resolver gave for {ref!r} is not JSON " \
                                       f"data: {expression_of(at) + ' is ' if at else ''}{what}"
                return self.typed(data, want, expression_of((self.root, *path)), ref)
            return None, None, f"{ref!r} is not contained, not in the Bundle, and the " \
                               "resolver does not know it"
        return None, None, f"{ref!r} is not contained or in the Bundle (pass a resolver to " \
                           "look it up)"

    def contained_at(self, where: str | None) -> Location | None:
        """``("contained", k)`` when ``where`` (a FHIRPath :meth:`resolve` gave) is a
        resource contained in this one, so that a finding about it points at the element to
        change there; None for a resource held elsewhere (the Bundle, the resolver), whose
        findings stay at the reference."""
        prefix = f"{self.root}.contained["
        if where is None or not where.startswith(prefix) or not where.endswith("]"):
            return None
        k = where[len(prefix):-1]
        return ("contained", int(k)) if k.isdigit() else None

    def typed(self, res: dict[str, Any], want: str | tuple[str, ...], where: str, ref: str
              ) -> tuple[dict[str, Any] | None, str | None, str]:
        wanted = (want,) if isinstance(want, str) else want
        if res.get("resourceType") not in wanted:
            return None, None, f"{ref!r} is a {_short(res.get('resourceType'))}, not a " \
                               f"{' or '.join(wanted)}"
        return res, where, ""

    # the claim -----------------------------------------------------------------------

    def read(self) -> ReadClaim:
        res = self.res
        rid = res.get("id") if type(res.get("id")) is str else None
        self._claim_id = self.claim_id()
        claim = self.claim()
        paths = self.paths if claim is not None else Paths(root=self.root)
        return ReadClaim(claim, tuple(self.findings), paths, self.rtype, rid,
                         self.full_url, self.root, self._claim_id)

    def claim(self) -> Claim | None:
        res = self.res
        claim_type = self.claim_type()
        if claim_type is None:
            return None  # an oral or pharmacy claim: nothing else is read
        self.status()
        self.modifier_extensions()
        items = self.arr(res.get("item"), ("item",))
        if len(items) > self.max_items:
            self.note("FHIR_TOO_MANY_ITEMS", E, f"The claim has {len(items):,} items; codekit "
                      f"checks claims of at most {self.max_items:,} (an 837I carries at most "
                      "999 lines, an 837P 50): split it.", ("item",))
            return None
        diagnoses, poa, dx_paths, dx_code, seq_pos, excluded, admitting, reasons = \
            self.diagnoses(claim_type)
        procedures, proc_paths, proc_dates = self.procedures()
        patient, patient_paths = self.patient()
        lines, item_paths, mod_paths, ptr_paths, date_paths, item_days = self.lines(
            items, claim_type, seq_pos, excluded, len(diagnoses))
        info = self.supporting_info(claim_type)
        period = self.period()
        dos = self.date_of_service(claim_type, item_days, procedures, proc_dates,
                                   info["bill_type"])
        if dos is None:
            self.note("FHIR_DATE_OF_SERVICE_MISSING", E, "No date of service: give "
                      f"{self.rtype}.billablePeriod or a servicedDate on the items.",
                      ("billablePeriod",))
            return None
        extra = self.ext(res, "extra")
        extra_map: dict[str, Any] | None = None
        deep = False
        if isinstance(extra, str):
            try:
                loaded = json.loads(extra)
            except (ValueError, RecursionError) as e:  # thousands deep: RecursionError
                loaded, deep = None, isinstance(e, RecursionError)
            if isinstance(loaded, dict):
                if deeper_than(loaded, AGAIN_DEPTH):  # what json reads depends on the stack
                    deep = True
                else:
                    extra_map = loaded
        if extra is not None and extra_map is None:
            # codekit's own extension, hand-edited or cut: said, not dropped without a word
            at = _ext_at(res, "extra")
            what = f"nested more than {AGAIN_DEPTH} levels deep" if deep else \
                f"not a JSON object in valueString (got {_short(extra)})"
            self.note("FHIR_STRUCTURE_INVALID", W, f"{self.xp(('extension', at))}: "
                      f"{S.CODEKIT}:extra is {what}: the claim's extra is not read",
                      ("extension", at))
        if self._partial_birth is not None:
            patient = self.age_from_partial_birth(patient, patient_paths, dos)
        opps = self.ext(res, "opps")
        supplier = self.ext(res, "dme-supplier")
        if type(supplier) is not bool:
            supplier = None
        elif supplier and claim_type == "institutional":
            # a DMEPOS supplier bills on a professional claim: said, and not read
            at = _ext_at(res, "dme-supplier")
            self.note("FHIR_STRUCTURE_INVALID", W, f"{self.xp(('extension', at))}: "
                      f"{S.CODEKIT}:dme-supplier is true on an institutional claim: a DMEPOS "
                      "supplier bills the DME MAC on a professional claim; it is not read",
                      ("extension", at))
            supplier = None
        asc = self.ext(res, "asc-facility")
        # an institutional claim is an ASC's by its type of bill (83x): said, it must agree
        bill = info["bill_type"]
        if type(asc) is not bool:
            asc = None
        elif (asc and supplier) or (claim_type == "institutional" and asc is not is_asc_bill(bill)):
            # an ASC is no DMEPOS supplier, and its institutional claim is one of type of
            # bill 83x: said otherwise, and not read
            at = _ext_at(res, "asc-facility")
            tob = f"type of bill {bill}" if bill else "no type of bill"
            why = (f"true on an institutional claim of {tob}: an ambulatory surgical "
                   "center's institutional claim is one of type of bill 83x (facility type "
                   "8, bill classification 3, ambulatory surgery center), and an ASC bills "
                   "Medicare its facility fee on a professional claim" if asc and
                   claim_type == "institutional" else
                   f"true with {S.CODEKIT}:dme-supplier true: a claim is not both" if asc
                   else f"false on an institutional claim of {tob}, an ambulatory surgery "
                   "center's (83x)")
            self.note("FHIR_STRUCTURE_INVALID", W, f"{self.xp(('extension', at))}: "
                      f"{S.CODEKIT}:asc-facility is {why}; it is not read",
                      ("extension", at))
            asc = None
        admitted, through = info["admission"], period[1] if period is not None else dos
        if admitted is not None and admitted > through:
            self.bad(info["admission_at"], f"the admission {admitted} is after the end of the "
                     f"stay ({through}, the billablePeriod's end or the date of service): a "
                     "stay cannot end before it starts")
        total = self.total()
        self.paths = Paths(
            root=self.root, dx=dx_paths, dx_code=dx_code,
            admitting=admitting[1] if admitting else None,
            visit_reasons=tuple(p for _, p in reasons), procedures=proc_paths,
            procedure_dates=proc_dates,
            items=item_paths, modifiers=mod_paths, pointers=ptr_paths, line_dates=date_paths,
            conditions=tuple(p for _, p in info["conditions"]), patient=patient_paths,
            nubc={k: tuple(p for _, p in info[k]) for k in _NUBC_FIELDS if info[k]},
            fields=self.fields, dx_sequences=tuple(self._dx_sequences),
            renumbered=self._dx_sequences != list(range(1, len(self._dx_sequences) + 1)))
        return Claim(
            claim_type=claim_type, payer=self.payer(), patient=patient,
            date_of_service=dos, diagnoses=diagnoses, service_lines=lines,
            bill_type=info["bill_type"],
            condition_codes=tuple(c for c, _ in info["conditions"]),
            occurrence_codes=tuple(c for c, _ in info["occurrence_codes"]),
            occurrence_spans=tuple(c for c, _ in info["occurrence_spans"]),
            value_codes=tuple(c for c, _ in info["value_codes"]),
            claim_id=self._claim_id, billing_provider=self.billing_provider(),
            rendering_provider=self.rendering_provider(),
            place_of_service=self.place_of_service(), total_charge=total,
            frequency_code=info["frequency"], corrected_claim_id=self.corrected_claim(),
            filing_indicator=self.filing_indicator(info),
            poa=poa if any(p is not None for p in poa) else (), procedures=procedures,
            admitting_diagnosis=admitting[0] if admitting else None,
            visit_reasons=tuple(c for c, _ in reasons), statement_period=period,
            admission_date=info["admission"], discharge_status=info["status"],
            opps=opps if type(opps) is bool else None, dme_supplier=supplier,
            asc_facility=asc, extra=extra_map or {})

    def status(self) -> None:
        """Say a ``status`` outside its value set, and a claim withdrawn or recorded in
        error: it is checked as asked, but its findings are no claim's to fix."""
        status = self.res.get("status")
        if type(status) is not str:
            return  # missing or not text: the model validation says it
        if status not in _STATUSES:
            self.bad(("status",), f"{_short(status)} is not a {self.rtype} status (one of "
                     f"{', '.join(sorted(_STATUSES))})")
        elif status in _WITHDRAWN:
            self.note("FHIR_CLAIM_NOT_ACTIVE", W, f"{self.xp(('status',))} is {status!r}: "
                      f"{_WITHDRAWN[status]}; it is checked as asked, but no payer will "
                      "adjudicate it, and its findings need no fixing.", ("status",))

    def claim_type(self) -> str | None:
        cc = self.res.get("type")
        if cc is None:
            self.note("FHIR_CLAIM_TYPE_UNSUPPORTED", E, f"{self.rtype}.type is missing: "
                      "codekit checks professional and institutional claims.", ("type",))
            return None
        codes = [c.get("code") for _, c in self.codings(cc, ("type",))
                 if c.get("system") in (S.CLAIM_TYPE, None)]
        for code in codes:
            if code in CLAIM_TYPES:
                self.fields["claim_type"] = self.xp(("type",))
                return CLAIM_TYPES[code]
        shown = ", ".join(repr(c) for c in codes) or "no claim-type code"
        self.note("FHIR_CLAIM_TYPE_UNSUPPORTED", E, f"{self.rtype}.type is {shown}: codekit "
                  "checks professional, institutional and vision claims (oral and pharmacy "
                  "claims use code sets it does not check).", ("type",),
                  tuple(c for c in codes if isinstance(c, str)))
        return None

    def corrected_claim(self) -> str | None:
        """The identifier of the claim this one replaces or voids: ``related`` of
        relationship ``prior``, its ``claim.identifier.value`` (the 837's REF*F8)."""
        for j, rel in enumerate(self.arr(self.res.get("related"), ("related",))):
            rel = self.obj(rel, ("related", j))
            if rel is None or rel.get("relationship") is None:
                continue
            if not any(c.get("code") == "prior" for _, c in self.codings(
                    rel["relationship"], ("related", j, "relationship"))):
                continue
            claim = self.obj(rel.get("claim"), ("related", j, "claim"))
            ident = self.obj(claim.get("identifier"), ("related", j, "claim", "identifier")) \
                if claim is not None else None
            at: Location = ("related", j, "claim", "identifier", "value")
            value = self.text(ident.get("value"), at) if ident is not None else None
            if value:
                self.fields["corrected_claim_id"] = self.xp(at)
                return value
        return None

    def claim_id(self) -> str | None:
        ids = self.arr(self.res.get("identifier"), ("identifier",))
        best: tuple[int, str] | None = None
        for j, ident in enumerate(ids):
            ident = self.obj(ident, ("identifier", j))
            if ident is None:
                continue
            value = self.text(ident.get("value"), ("identifier", j, "value"))
            if not value:
                continue
            uc = any(c.get("code") == "uc" for _, c in self.codings(
                ident.get("type"), ("identifier", j, "type"))) if ident.get("type") else False
            if best is None or (uc and best[0] != 0):
                best = (0 if uc else 1, value)
                self.fields["claim_id"] = self.xp(("identifier", j))
        if best is not None:
            return best[1]
        rid = self.res.get("id")
        return rid if type(rid) is str else None

    # diagnoses ------------------------------------------------------------------------

    def diagnoses(self, claim_type: str | None) -> tuple[
            tuple[str, ...], tuple[str | None, ...], tuple[str, ...], tuple[str, ...],
            dict[int, int], dict[int, str], tuple[str, str] | None, list[tuple[str, str]]]:
        rows = []
        for i, d in enumerate(self.arr(self.res.get("diagnosis"), ("diagnosis",))):
            d = self.obj(d, ("diagnosis", i))
            if d is None:
                continue
            seq = d.get("sequence")
            if type(seq) is not int:
                if seq is not None:
                    self.bad(("diagnosis", i, "sequence"), f"must be a positive integer, got "
                             f"{_short(seq)}")
                seq = None
            rows.append((seq if seq is not None else 1 << 62, i, seq, d))
        first_of: dict[int, int] = {}
        for _, i, seq, _ in rows:
            if seq is None:
                continue
            if seq in first_of:
                self.bad(("diagnosis", i, "sequence"), f"{seq} is also the sequence of "
                         f"{self.xp(('diagnosis', first_of[seq]))}: diagnosis sequences must "
                         "be unique (an item's diagnosisSequence cannot tell them apart)")
            else:
                first_of[seq] = i
        rows.sort(key=lambda r: (r[0], r[1]))
        principal = [r for r in rows if "principal" in self.types("diagnosis", r[3], r[1])]
        if principal:
            rows.remove(principal[0])
            rows.insert(0, principal[0])
            if len(principal) > 1:
                self.principal_again("diagnosis", [r[1] for r in principal])
        codes: list[str] = []
        poa: list[str | None] = []
        dx_paths: list[str] = []
        dx_code: list[str] = []
        seq_pos: dict[int, int] = {}
        #: sequences of diagnoses that are not the claim's: "" not read (a finding says
        #: why), else what was read instead (the admitting diagnosis, a reason for visit)
        excluded: dict[int, str] = {}
        admitting: tuple[str, str] | None = None
        reasons: list[tuple[str, str]] = []
        institutional = claim_type == "institutional"
        for _, i, seq, d in rows:
            base: Location = ("diagnosis", i)
            found = self.dx_code(d, base)
            if found is None:
                if seq is not None:
                    excluded.setdefault(seq, "")
                continue
            code, where = found
            types = self.types("diagnosis", d, i)
            role = self.ext(d, "role", base)
            if role == "admitting" or (role is None and types and types <= _ADMITTING):
                if admitting is None:
                    admitting = (code, where)
                if seq is not None:
                    excluded.setdefault(seq, "the admitting diagnosis")
                continue
            if role == "visit-reason" or (role is None and institutional and types and
                                          types <= _REASON):
                reasons.append((code, where))
                if seq is not None:
                    excluded.setdefault(seq, "a patient's reason for visit")
                continue
            if "admitting" in types and admitting is None:
                admitting = (code, where)
            if seq is not None:
                seq_pos.setdefault(seq, len(codes) + 1)
            codes.append(code)
            self._dx_sequences.append(seq)
            dx_paths.append(f"{self.root}.diagnosis[{i}]")
            dx_code.append(where)
            poa.append(self.poa(d.get("onAdmission"), (*base, "onAdmission")))
        return (tuple(codes), tuple(poa), tuple(dx_paths), tuple(dx_code), seq_pos, excluded,
                admitting, reasons)

    def principal_again(self, element: str, indexes: Sequence[int]) -> None:
        """Say each ``Claim.{element}`` typed principal after the first (by sequence): a
        claim has one principal diagnosis (procedure); the others are read as secondary
        ones, in their sequence order, and that is said, not done without a word."""
        first = self.xp((element, indexes[0]))
        for i in indexes[1:]:
            self.note("FHIR_STRUCTURE_INVALID", W, (
                f"{self.xp((element, i))} is typed principal, as {first} is: a claim has one "
                f"principal {element}; {first} (the first by sequence) is read as the "
                f"principal, this one as a secondary {element}."), (element, i, "type"))

    def types(self, element: str, item: Mapping[str, Any], i: int) -> frozenset[str]:
        """The codes of the ``type`` of ``Claim.{element}[i]`` (a diagnosis's principal,
        admitting...; a procedure's principal)."""
        out = set()
        for j, t in enumerate(self.arr(item.get("type"), (element, i, "type"))):
            for _, c in self.codings(t, (element, i, "type", j)):
                out.add(c["code"])
        return frozenset(out)

    def dx_code(self, d: Mapping[str, Any], base: Location) -> tuple[str, str] | None:
        """(ICD-10-CM code, FHIRPath of its concept) of a diagnosis, or None after a finding
        that says why not."""
        if d.get("diagnosisCodeableConcept") is not None:
            path: Location = (*base, "diagnosisCodeableConcept")
            return self.icd10cm(d["diagnosisCodeableConcept"], path, base)
        if d.get("diagnosisReference") is not None:
            path = (*base, "diagnosisReference")
            cond, where, why = self.resolve(d["diagnosisReference"], path, "Condition")
            if cond is None:
                self.note("FHIR_REFERENCE_UNRESOLVED", E, f"{self.xp(path)}: the diagnosis "
                          f"cannot be read: {why}.", path)
                return None
            inside = self.contained_at(where)
            if inside is not None:  # the code to change is the contained Condition's
                path = (*inside, "code")
            return self.icd10cm(cond.get("code"), path, base, held_by=f"{where}.code")
        self.bad(base, "has neither diagnosisCodeableConcept nor diagnosisReference")
        return None

    def icd10cm(self, concept: Any, path: Location, base: Location,
                held_by: str | None = None) -> tuple[str, str] | None:
        codings = self.codings(concept, path) if held_by is None else \
            _plain_codings(concept)
        for _, c in codings:
            if c.get("system") in S.DX_URIS:
                self.also_coded(codings, c, S.DX_URIS, path, held_by, "ICD-10-CM",
                                "diagnosis as its own Claim.diagnosis")
                return c["code"], self.xp(path)
        who = [c for _, c in codings if c.get("system") in S.WHO_URIS]
        where = held_by or self.xp(path)
        if who and self.icd10_who:
            code = who[0]["code"]
            self.note("FHIR_DX_SYSTEM_UNSUPPORTED", W, f"{where}: {code} is coded in ICD-10 "
                      "(WHO) only; read as ICD-10-CM (icd10_who=True): send it with system "
                      f"{S.ICD10CM}.", path, (code,), (code,))
            return code, self.xp(path)
        systems = sorted({S.label(c.get("system")) for _, c in codings})
        codes = tuple(c["code"] for _, c in codings)
        if not codings:
            msg = f"{where}: the diagnosis has no code (codekit checks ICD-10-CM codes, " \
                  f"system {S.ICD10CM})."
        else:
            msg = (f"{where}: {_coded_in(codes, systems)}; codekit checks ICD-10-CM diagnoses "
                   f"(system {S.ICD10CM}): add an ICD-10-CM coding. Lines pointing to it are "
                   "checked without it.")
        fix = tuple(c["code"] for c in who)
        self.note("FHIR_DX_SYSTEM_UNSUPPORTED", E, msg, path, codes, fix)
        return None

    def also_coded(self, codings: Sequence[tuple[int, dict[str, Any]]],
                   chosen: Mapping[str, Any], uris: frozenset[str | None], path: Location,
                   held_by: str | None, what: str, send: str) -> None:
        """Say so when a CodeableConcept holds, beside the coding read (``chosen``),
        another code of the same kind (E11.9 and I10 under ICD-10-CM, G0439 under HCPCS
        and 99397 under CPT): its codings are one concept in several systems, so one code
        is read and the other would otherwise be dropped without a word. The same code
        written another way (``E119``, or a code under both the CPT and HCPCS URIs) is not
        another code."""
        first = _same_code(chosen["code"])
        others = [(j, c["code"]) for j, c in codings if c is not chosen
                  and c.get("system") in uris and _same_code(c["code"]) != first]
        if not others:
            return
        code = chosen["code"]
        named = ", ".join(shown(x, 20) for _, x in others[:5]) + (
            f" and {len(others) - 5} more" if len(others) > 5 else "")
        # at the reference to a resource held elsewhere; at the coding when it is here
        # (diagnosisCodeableConcept, or a contained resource's code: held_by is its path)
        here = held_by is None or held_by == self.xp(path)
        at: Location = (*path, "coding", others[0][0]) if here else path
        where = f"{held_by}.coding[{others[0][0]}]" if held_by is not None else self.xp(at)
        self.note("FHIR_STRUCTURE_INVALID", W, f"{where}: {what} {named} beside "
                  f"{shown(code, 20)} in one CodeableConcept, whose codings are one concept "
                  f"in several systems: codekit reads the first, {shown(code, 20)}, and not "
                  f"{named}; send each {send}.", at, (code, *(x for _, x in others[:20])))

    def poa(self, concept: Any, path: Location) -> str | None:
        if concept is None:
            return None
        codings = [c for _, c in self.codings(concept, path)]
        # a POA system's coding first (an EHR may put its own local coding before it)
        chosen = next((c for c in codings if c.get("system") in S.POA_URIS), None)
        if chosen is None:
            chosen = codings[0] if codings else None
        if chosen is None:
            text = _dict(concept).get("text")
            if type(text) is str and text.strip():  # read nothing: say what was not read
                self.note("FHIR_STRUCTURE_INVALID", W, f"{self.xp(path)}: no coding, only "
                          f"the text {shown(text, 40)}, which codekit does not read as a "
                          f"POA indicator: code it (system {S.NUBC_POA})", path)
            return None
        code: str = chosen["code"]
        # upper-cased (the example code system writes y/n/u/w; a NUBC "y" is Y too), as
        # Claim.from_dict does
        return code.upper()

    # procedures (ICD-10-PCS) -----------------------------------------------------------

    def procedures(self) -> tuple[tuple[Procedure, ...], tuple[str, ...], tuple[str, ...]]:
        """The ICD-10-PCS procedures, the FHIRPath of each one's code and of its date ("" for
        a procedure without one)."""
        out: list[Procedure] = []
        paths: list[str] = []
        dates: list[str] = []
        rows = []
        for i, p in enumerate(self.arr(self.res.get("procedure"), ("procedure",))):
            p = self.obj(p, ("procedure", i))
            if p is not None:
                seq = p.get("sequence")
                rows.append((seq if type(seq) is int else 1 << 62, i, p))
        rows.sort(key=lambda r: (r[0], r[1]))
        # the principal procedure first (an 837I's HI BBR), as the principal diagnosis:
        # typed CARIN Blue Button's "principal" or the FHIR example system's "primary"
        principal = [r for r in rows if self.types("procedure", r[2], r[1]) & _PRINCIPAL_PROCEDURE]
        if principal:
            rows.remove(principal[0])
            rows.insert(0, principal[0])
            if len(principal) > 1:
                self.principal_again("procedure", [r[1] for r in principal])
        for _, i, p in rows:
            base: Location = ("procedure", i)
            day = self.day(p.get("date"), (*base, "date"))
            if p.get("procedureCodeableConcept") is not None:
                path: Location = (*base, "procedureCodeableConcept")
                concept, held_by = p["procedureCodeableConcept"], None
            elif p.get("procedureReference") is not None:
                path = (*base, "procedureReference")
                proc, where, why = self.resolve(p["procedureReference"], path, "Procedure")
                if proc is None:
                    self.note("FHIR_REFERENCE_UNRESOLVED", E, f"{self.xp(path)}: the "
                              f"procedure cannot be read: {why}.", path)
                    continue
                concept, held_by = proc.get("code"), f"{where}.code"
                inside = self.contained_at(where)
                if inside is not None:  # the code to change is the contained Procedure's
                    path = (*inside, "code")
            else:
                self.bad(base, "has neither procedureCodeableConcept nor procedureReference")
                continue
            indexed = _plain_codings(concept)
            codings = [c for _, c in indexed]
            pcs = [c for c in codings if c.get("system") in S.PCS_URIS]
            if pcs:
                if len(pcs) > 1:
                    self.also_coded(indexed, pcs[0], S.PCS_URIS, path, held_by,
                                    "ICD-10-PCS", "procedure as its own Claim.procedure")
                out.append(Procedure(pcs[0]["code"], day))
                paths.append(self.xp(path))
                dates.append(self.xp((*base, "date")) if day is not None else "")
                continue
            systems = sorted({S.label(c.get("system")) for c in codings})
            codes = tuple(c["code"] for c in codings)
            what = _coded_in(codes, systems) if codes else "the procedure has no code"
            self.note("FHIR_PROCEDURE_SYSTEM_UNSUPPORTED", E, f"{held_by or self.xp(path)}: "
                      f"{what}; codekit reads ICD-10-PCS procedures (system {S.ICD10PCS}).",
                      path, codes)
        return tuple(out), tuple(paths), tuple(dates)

    # the patient -------------------------------------------------------------------------

    def patient(self) -> tuple[Patient, dict[str, str]]:
        path: Location = ("patient",)
        res, where, why = self.resolve(self.res.get("patient"), path, "Patient")
        ref = _dict(self.res.get("patient"))
        paths = {"": self.xp(path)}
        if res is None:
            ident = _dict(ref.get("identifier")).get("value")
            self.note("FHIR_PATIENT_UNRESOLVED", W, f"{self.xp(path)}: the patient cannot be "
                      f"read ({why}): the age and sex edits were not run.", path)
            return Patient(sex="U", id=ident if type(ident) is str and ident else None), paths
        assert where is not None
        paths["id"] = paths[""] = where
        sex, own_sex = self.sex(res, where, paths)
        birth = None
        raw_birth = res.get("birthDate")
        if type(raw_birth) is str:
            birth = _parse_day(raw_birth) if len(raw_birth) == 10 else None
        age = None
        raw_age = self.ext(res, "age", path, where)
        if type(raw_age) is int and -1000 < raw_age < 1000:
            age = raw_age  # codekit's own: an age given without a birth date
            paths["age"] = f"{where}.extension"
        if birth is not None:
            paths["birth_date"] = paths["age"] = f"{where}.birthDate"
        missing = []
        gender = res.get("gender")
        if sex == "U" and gender is None and own_sex is None:
            missing.append("no gender (the sex edits were not run)")
        elif gender is not None and not (type(gender) is str and gender in _GENDER):
            # administrative-gender is a required binding, and FHIR codes are case-sensitive
            missing.append(f"gender {_short(gender)} is not an administrative-gender code: "
                           "male, female, other or unknown, in lower case"
                           + (" (the sex edits were not run)" if sex == "U" else ""))
            paths["sex"] = f"{where}.gender"
        if birth is None and age is None:
            span = _month_or_year(raw_birth)
            if span is not None:  # the age may still be certain on the claim's date
                self._partial_birth = (span, str(raw_birth), where, len(self.findings), missing)
            missing.append(f"birthDate {_short(raw_birth)} is not a whole date"
                           if type(raw_birth) is str else
                           "no birthDate (the age edits were not run)")
            if raw_birth is not None:
                paths["birth_date"] = f"{where}.birthDate"
        if missing:
            self.findings.append(Finding(
                "FHIR_PATIENT_INCOMPLETE", W, f"{where}: {'; '.join(missing)}.",
                tuple(_split(where)), (), READER))
        return Patient(sex=sex, birth_date=birth, age=age, id=self.member_id(res),
                       name=self.name(res)), paths

    def age_from_partial_birth(self, patient: Patient, paths: dict[str, str],
                               dos: dt.date) -> Patient:
        """A birthDate of a month (``1960-05``) or a year: when every day it may stand for
        gives one age on the date of service (65 on 2025-11-03 for ``1960-05``), that is
        the patient's age and the age edits run; else the finding says why they did not."""
        assert self._partial_birth is not None
        (first, last), _, where, at, missing = self._partial_birth
        self._partial_birth = None
        young = Patient(sex="U", birth_date=last).age_on(dos)
        old = Patient(sex="U", birth_date=first).age_on(dos)
        i = len(missing) - 1  # the birthDate's own words (the last of the finding)
        if young == old and young is not None and young >= 0:
            missing.pop()
            paths["age"] = f"{where}.birthDate"
            patient = attrs.evolve(patient, age=young)
        else:
            missing[i] += (f" (the patient is {young} or {old} on {dos}: the age edits were "
                           "not run)" if young is not None and young >= 0 else "")
        finding = self.findings[at]
        if missing:
            self.findings[at] = attrs.evolve(finding, message=f"{where}: {'; '.join(missing)}.")
        else:
            del self.findings[at]
        return patient

    def sex(self, res: Mapping[str, Any], where: str, paths: dict[str, str]
            ) -> tuple[str, str | None]:
        """The patient's sex, and codekit's own sex extension's value (None without one)."""
        own = self.ext(res, "sex", ("patient",), where)
        if type(own) is str and len(own) <= MAX_TEXT:
            paths["sex"] = f"{where}.extension"
            return own, own
        gender = res.get("gender")
        if type(gender) is str and gender in _GENDER:
            paths["sex"] = f"{where}.gender"
            return _GENDER[gender], own
        for e in _list(res.get("extension")):
            if isinstance(e, dict) and e.get("url") == \
                    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex" and \
                    e.get("valueCode") in _BIRTH_SEX:
                paths["sex"] = f"{where}.extension"
                return _BIRTH_SEX[e["valueCode"]], own
        paths["sex"] = f"{where}.gender"
        return "U", own

    @staticmethod
    def member_id(res: Mapping[str, Any]) -> str | None:
        first = None
        for ident in _list(res.get("identifier")):
            if not isinstance(ident, dict):
                continue
            value = ident.get("value")
            if type(value) is not str or not value or len(value) > MAX_TEXT:
                continue
            types = {c.get("code") for c in _list(_dict(ident.get("type")).get("coding"))
                     if isinstance(c, dict) and type(c.get("code")) is str}
            if types & _MEMBER_ID_TYPES or ident.get("system") == \
                    "http://hl7.org/fhir/sid/us-mbi":
                return value
            first = first or value
        return first

    @staticmethod
    def name(res: Mapping[str, Any]) -> str | None:
        for n in _list(res.get("name")):
            if not isinstance(n, dict):
                continue
            text = n.get("text")
            if type(text) is str and text and len(text) <= MAX_TEXT:
                return text
            parts = [g for g in _list(n.get("given")) if type(g) is str]
            if type(n.get("family")) is str:
                parts.append(n["family"])
            joined = " ".join(parts)
            if joined and len(joined) <= MAX_TEXT:
                return joined
        return None

    # lines -----------------------------------------------------------------------------

    def lines(self, items: list[Any], claim_type: str | None, seq_pos: dict[int, int],
              excluded: dict[int, str], n_dx: int) -> tuple[
                  tuple[ServiceLine, ...], tuple[str, ...], tuple[tuple[int, ...], ...],
                  tuple[tuple[int, ...], ...], tuple[str, ...], list[dt.date | None]]:
        """The service lines, their paths, and the date of every item (read or not)."""
        days: list[dt.date | None] = []
        lines: list[ServiceLine] = []
        item_paths: list[str] = []
        mod_paths: list[tuple[int, ...]] = []
        ptr_paths: list[tuple[int, ...]] = []
        date_paths: list[str] = []
        institutional = claim_type == "institutional"
        # item.sequence (a positiveInt, unique: findings and reports name lines by it) ->
        # the first item with it; an item without a good one is read as a number no item
        # has (its position when it is free)
        first_of: dict[int, int] = {}
        for i, item in enumerate(items):
            seq = item.get("sequence") if isinstance(item, dict) else None
            if type(seq) is int and 0 < seq < 10**9:
                first_of.setdefault(seq, i)
        given: set[int] = set()
        for i, item in enumerate(items):
            base: Location = ("item", i)
            item = self.obj(item, base)
            if item is None:
                days.append(None)
                continue
            day, when = self.serviced(item, base)
            days.append(day)
            revenue = self.code_of(item.get("revenue"), (*base, "revenue"))
            code = self.product(item, base, institutional and revenue is not None, revenue)
            if code is None:
                continue
            seq = item.get("sequence")
            if type(seq) is not int or not 0 < seq < 10**9 or first_of.get(seq, i) != i:
                number = i + 1
                if number in first_of or number in given:
                    number = next(n for n in itertools.count(1)
                                  if n not in first_of and n not in given)
                given.add(number)
                as_line = (f"; the item is read as line {number}" +
                           (", its position" if number == i + 1 else
                            f" (its position, {i + 1}, is another item's sequence)"))
                if type(seq) is int and 0 < seq < 10**9:
                    self.bad((*base, "sequence"), f"{seq} is also the sequence of "
                             f"{self.xp(('item', first_of[seq]))}: item sequences must be "
                             "unique (findings and reports name lines by them)" + as_line)
                elif seq is not None:
                    self.bad((*base, "sequence"), f"must be a positive integer, got "
                             f"{_short(seq)}" + as_line)
                else:  # item.sequence is 1..1: said even when the position is free
                    self.bad((*base, "sequence"), "is missing" + as_line)
                seq = number
            mods, mod_idx = self.modifiers(item, base)
            ptrs, ptr_idx = self.pointers(item, base, seq_pos, excluded, n_dx)
            qty = _dict(item.get("quantity"))
            units = self.number(qty.get("value"), (*base, "quantity", "value"))
            if qty.get("comparator") is not None and units is not None:
                # SimpleQuantity (qty-3): "<2" is not a count of units; fhir.resources'
                # models do not hold the invariant, so the reader says it
                self.bad((*base, "quantity", "comparator"), "an item's quantity is a "
                         "SimpleQuantity, which has no comparator (qty-3): "
                         f"{_short(qty['comparator'])} {units} is not a count of units; "
                         "the units are not read")
                units = None
            elif units is not None:
                self.measured(qty, units, (*base, "quantity"))
            charge = self.money(item.get("net"), (*base, "net"))
            if charge is None and item.get("net") is None and item.get("unitPrice") is not None:
                price = self.money(item.get("unitPrice"), (*base, "unitPrice"))
                if price is not None:
                    charge = price * (units if units is not None else 1)
            line_id = self.ext(item, "line-id", base)
            if type(line_id) is not str:
                line_id = self.trace_number(item)
            lines.append(ServiceLine(
                line=seq, procedure_code=code, modifiers=mods, units=units,
                diagnosis_pointers=ptrs, revenue_code=revenue, date_of_service=day,
                line_id=line_id,
                place_of_service=self.pos_of(item.get("locationCodeableConcept"),
                                             (*base, "locationCodeableConcept")),
                charge=charge, ndc=self.ndc(item),
                rendering_provider=self.item_provider(item)))
            item_paths.append(f"{self.root}.item[{i}]")
            mod_paths.append(mod_idx)
            ptr_paths.append(ptr_idx)
            date_paths.append(when)
        return tuple(lines), tuple(item_paths), tuple(mod_paths), tuple(ptr_paths), \
            tuple(date_paths), days

    def product(self, item: Mapping[str, Any], base: Location, revenue_only_ok: bool,
                revenue: str | None) -> str | None:
        path: Location = (*base, "productOrService")
        if item.get("productOrService") is None:
            if revenue_only_ok:
                return ""  # a revenue-code-only line (837I SV202 is situational), as X12's
            stu3 = " (item.service is FHIR STU3's name for it: codekit reads FHIR R4, " \
                "where it is productOrService)" if item.get("service") is not None else ""
            self.bad(path, f"is missing: codekit checks CPT and HCPCS codes{stu3}")
            return None
        codings = self.codings(item["productOrService"], path)
        for _, c in codings:
            if c.get("system") in S.PROC_URIS:
                self.also_coded(codings, c, S.PROC_URIS, path, None, "CPT/HCPCS",
                                "service as its own Claim.item")
                code: str = c["code"]
                return code
        codes = tuple(c["code"] for _, c in codings)
        systems = sorted({S.label(c.get("system")) for _, c in codings})
        what = _coded_in(codes, systems) if codes else "productOrService has no code"
        if revenue_only_ok:
            # kept as a revenue-code-only line, as an 837I SV2 without SV202 is; said when
            # it holds a code of another system (data-absent-reason says there is none)
            if any(c.get("system") != S.DATA_ABSENT for _, c in codings):
                self.note("FHIR_ITEM_SYSTEM_UNSUPPORTED", INFO, f"{self.xp(path)}: {what}; "
                          f"the line is read by its revenue code {revenue} alone.", path,
                          codes)
            return ""
        else:
            self.note("FHIR_ITEM_SYSTEM_UNSUPPORTED", E, f"{self.xp(path)}: {what}; codekit "
                      f"checks CPT ({S.CPT}) and HCPCS ({S.HCPCS}) codes: the line is not "
                      "checked.", path, codes)
        return None

    def modifiers(self, item: Mapping[str, Any], base: Location
                  ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        mods: list[str] = []
        idx: list[int] = []
        for j, m in enumerate(self.arr(item.get("modifier"), (*base, "modifier"))):
            path: Location = (*base, "modifier", j)
            codings = self.codings(m, path)
            chosen = next((c for _, c in codings if c.get("system") in S.MODIFIER_URIS
                           or c.get("system") is None), None)
            if chosen is not None:
                if len(codings) > 1:
                    self.also_coded(codings, chosen, _MODIFIER_URIS, path, None, "modifier",
                                    "modifier as its own item.modifier")
                mods.append(chosen["code"])
                idx.append(j)
                continue
            codes = tuple(c["code"] for _, c in codings)
            systems = sorted({S.label(c.get("system")) for _, c in codings})
            what = _coded_in(codes, systems) if codes else "the modifier has no code"
            self.note("FHIR_MODIFIER_SYSTEM_UNSUPPORTED", E, f"{self.xp(path)}: {what}; "
                      "codekit reads CPT and HCPCS modifiers: the modifier is not checked.",
                      path, codes)
        return tuple(mods), tuple(idx)

    def pointers(self, item: Mapping[str, Any], base: Location, seq_pos: dict[int, int],
                 excluded: dict[int, str], n_dx: int
                 ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        ptrs: list[int] = []
        idx: list[int] = []
        # the highest sequence of a diagnosis read: a pointer at or below it that names
        # no diagnosis is a gap in the claim's own numbering (5 and 7, and a pointer to 6),
        # not a position beyond the diagnoses read (which PTR_INVALID judges)
        top = max((n_dx, *seq_pos))
        for j, s in enumerate(self.arr(item.get("diagnosisSequence"),
                                       (*base, "diagnosisSequence"))):
            path: Location = (*base, "diagnosisSequence", j)
            if type(s) is not int:
                self.bad(path, f"must be a positive integer, got {_short(s)}")
                continue
            pos = seq_pos.get(s)
            if pos is not None:
                ptrs.append(pos)
                idx.append(j)
            elif s in excluded:
                if excluded[s]:
                    # read as the admitting diagnosis or a reason for visit, which are not
                    # the diagnoses a line points to: said, not dropped without a word
                    self.note("FHIR_DIAGNOSIS_SEQUENCE_UNKNOWN", W, f"{self.xp(path)}: "
                              f"diagnosis sequence {s} is {excluded[s]} (typed only so), "
                              "not one of the claim's diagnoses: the pointer is dropped.",
                              path)
                continue  # else a diagnosis not read (its own finding says why)
            elif (s < 1 or s > top) and -1000 < s < 1000:
                ptrs.append(s)  # out of range: the pointer edits say so
                idx.append(j)
            else:
                self.note("FHIR_DIAGNOSIS_SEQUENCE_UNKNOWN", E, f"{self.xp(path)}: no "
                          f"diagnosis has sequence {shown(s)}.", path)
        return tuple(ptrs), tuple(idx)

    def serviced(self, item: Mapping[str, Any], base: Location) -> tuple[dt.date | None, str]:
        if item.get("servicedDate") is not None:
            return self.day(item["servicedDate"], (*base, "servicedDate")), "servicedDate"
        period = self.obj(item.get("servicedPeriod"), (*base, "servicedPeriod"))
        if period is not None:
            if period.get("start") is not None and period.get("end") is not None:
                start = self.day(period["start"], (*base, "servicedPeriod", "start"))
                end = self.day(period["end"], (*base, "servicedPeriod", "end"))
                if start is not None and end is not None and end < start:
                    # FHIR's per-1: a Period's start is not after its end
                    self.bad((*base, "servicedPeriod"), f"runs backwards: {start} to {end}")
                return start, "servicedPeriod.start"
            for key in ("start", "end"):
                if period.get(key) is not None:
                    return self.day(period[key], (*base, "servicedPeriod", key)), \
                        f"servicedPeriod.{key}"
        return None, ""

    def code_of(self, concept: Any, path: Location) -> str | None:
        for _, c in self.codings(concept, path):
            code: str = c["code"]
            return code
        return None

    def measured(self, qty: Mapping[str, Any], units: Decimal, path: Location) -> None:
        """Say when an item's quantity is an amount of a measure (30 mg, 2 h, 5 mL): a
        claim line counts the code's own units (a drug code's are doses of its descriptor,
        "per 10 mg"), and codekit reads the number as that count."""
        for key in ("code", "unit"):
            unit = qty.get(key)
            if type(unit) is str and unit.strip().lower() in _MEASURES:
                self.note("FHIR_STRUCTURE_INVALID", W, f"{self.xp(path)}: {units} "
                          f"{unit.strip()} is an amount, not a count of the code's "
                          f"units: it is read as {units} units (convert it to the code's "
                          "units: a drug code's are doses of its descriptor)", path)
                return

    def pos_of(self, concept: Any, path: Location) -> str | None:
        if concept is None:
            return None
        codings = self.codings(concept, path)
        for _, c in codings:
            if S.is_place_of_service(c.get("system")):
                code: str = c["code"]
                return code
        held = [f"{shown(c['code'], 20)} in " + (shown(c["system"], 80) if c.get("system")
                                                  else "no system") for _, c in codings]
        text = _dict(concept).get("text")
        if held or (type(text) is str and text.strip()):
            what = ", ".join(held[:3]) if held else f"only the text {shown(text, 40)}"
            self.note("FHIR_STRUCTURE_INVALID", W, f"{self.xp(path)}: no CMS place-of-service "
                      f"coding ({what}): the line's place of service is not read", path)
        return None

    def ndc(self, item: Mapping[str, Any]) -> str | None:
        for d in _list(item.get("detail")):
            for c in _list(_dict(_dict(d).get("productOrService")).get("coding")):
                if isinstance(c, dict) and c.get("system") == S.NDC and \
                        type(c.get("code")) is str and len(c["code"]) <= MAX_TEXT:
                    code: str = c["code"]
                    return code
        return None

    @staticmethod
    def trace_number(item: Mapping[str, Any]) -> str | None:
        for e in _list(item.get("extension")):
            if isinstance(e, dict) and str(e.get("url", "")).endswith("extension-itemTraceNumber"):
                value = _dict(e.get("valueIdentifier")).get("value")
                if type(value) is str and len(value) <= MAX_TEXT:
                    return value
        return None

    def total(self) -> Decimal | None:
        """Claim.total (Money); an ExplanationOfBenefit's total of category submitted."""
        value = self.res.get("total")
        if self.rtype == "ExplanationOfBenefit" or isinstance(value, list):
            for j, t in enumerate(self.arr(value, ("total",))):
                t = _dict(t)
                cats = {c.get("code") for c in _list(_dict(t.get("category")).get("coding"))
                        if isinstance(c, dict) and type(c.get("code")) is str}
                if "submitted" in cats:
                    return self.money(t.get("amount"), ("total", j, "amount"))
            return None
        return self.money(value, ("total",))

    def money(self, value: Any, path: Location) -> Decimal | None:
        m = self.obj(value, path)
        return None if m is None else self.number(m.get("value"), (*path, "value"))

    # dates -----------------------------------------------------------------------------

    def period(self) -> tuple[dt.date, dt.date] | None:
        p = self.obj(self.res.get("billablePeriod"), ("billablePeriod",))
        if p is None:
            return None
        start = self.day(p.get("start"), ("billablePeriod", "start"))
        end = self.day(p.get("end"), ("billablePeriod", "end"))
        self.fields["statement_period"] = self.xp(("billablePeriod",))
        if start is None or end is None:
            self._period_ends = (start, end)
            return None
        if end < start:
            self.bad(("billablePeriod",), f"runs backwards: {start} to {end}")
            self._period_ends = (None, None)
            return None
        self._period_ends = (start, end)
        return start, end

    def dated(self, days: Sequence[dt.date | None]) -> list[tuple[dt.date, str]]:
        """(date, FHIRPath) of each item that has one."""
        return [(d, f"{self.root}.item[{i}]") for i, d in enumerate(days) if d is not None]

    def date_of_service(self, claim_type: str | None, days: Sequence[dt.date | None],
                        procedures: Sequence[Procedure], proc_dates: Sequence[str],
                        bill_type: str | None = None) -> dt.date | None:
        """The claim's date of service: codekit's own extension; else, professional, the
        ``billablePeriod.start`` (else its end), else the first item date; institutional,
        the ``billablePeriod.end`` (the through date: the discharge, on which an 837I's
        statement period ends and the MCE picks the code set), else the last date the
        claim gives (an item's, a procedure's, the ``billablePeriod.start``), said unless
        every item is dated on an outpatient claim (its last item date is then its
        through date: a stay's discharge is not); else, for a preauthorization or a
        predetermination, ``created``, said. None when there is none of them."""
        own = self.ext(self.res, "date-of-service")
        if own is not None:
            at = ("extension", self.own_at(self.res, "date-of-service"))
            day = self.day(own, at)
            if day is not None:
                self.fields["date_of_service"] = self.xp(at)
                return day
        start, end = self._period_ends
        if claim_type == "institutional":
            if end is not None:
                self.fields["date_of_service"] = self.xp(("billablePeriod", "end"))
                return end
            known = self.dated(days) + [
                (p.date, at) for p, at in zip(procedures, proc_dates, strict=True)
                if p.date is not None]
            if start is not None:
                known.append((start, self.xp(("billablePeriod", "start"))))
            if known:
                day, where = max(known, key=lambda k: k[0])
                self.fields["date_of_service"] = where
                undated = [i for i, d in enumerate(days) if d is None]
                stay = bill_class(bill_type) == "11"
                if stay or undated or not days:  # the end is not given: said, not guessed
                    if start is not None:
                        what = f"{self.xp(('billablePeriod',))} has a start ({start}) and no end"
                    else:
                        what = f"The {self.rtype} has no billablePeriod" + (
                            f" and {self.xp(('item', undated[0]))} no date" if undated else "")
                    self.note("FHIR_DATE_OF_SERVICE_MISSING", W, (
                        f"{what}: an institutional claim is judged on its through date "
                        "(the discharge, where an 837I's statement period ends and the "
                        "MCE picks the code set), which the claim does not give; it was "
                        f"checked on {day}, the last date it gives ({where}), and no "
                        "procedure is judged after the discharge: give billablePeriod.end."),
                        ("billablePeriod",))
                return day
        else:
            day = start or end
            if day is not None:
                self.fields["date_of_service"] = self.xp(("billablePeriod",
                                                          "start" if start else "end"))
                return day
            dated = self.dated(days)
            if dated:
                day, where = min(dated, key=lambda k: k[0])
                self.fields["date_of_service"] = where
                undated = [i for i, d in enumerate(days) if d is None]
                if undated:  # they take the claim's date: named, not left to guess
                    named = ", ".join(self.xp(("item", i)) for i in undated[:5]) + (
                        f" and {len(undated) - 5} more" if len(undated) > 5 else "")
                    self.note("FHIR_DATE_OF_SERVICE_MISSING", W, (
                        f"{named} {'has' if len(undated) == 1 else 'have'} no servicedDate "
                        f"or servicedPeriod, and the claim no billablePeriod: "
                        f"{'it was' if len(undated) == 1 else 'they were'} checked on the "
                        f"claim's date of service, {day}, the first item date ({where}): "
                        "date each item, or give billablePeriod."), ("item", undated[0]))
                return day
        use = self.res.get("use")
        if isinstance(use, str) and use in _REQUESTS:
            created = self.day(self.res.get("created"), ("created",))
            if created is not None:
                self.fields["date_of_service"] = self.xp(("created",))
                self.note("FHIR_DATE_OF_SERVICE_MISSING", W, (
                    f"{self.xp(('use',))} is {use!r} and the claim gives no date of service "
                    "(billablePeriod, item servicedDate or servicedPeriod): its codes were "
                    f"checked on {self.xp(('created',))}, {created}, the day of the "
                    "request; a code that is not valid on the day of the service is judged "
                    "then: give the planned date (item.servicedDate)."), ("created",))
                return created
        return None

    # supporting info, payer, providers ------------------------------------------------

    def supporting_info(self, claim_type: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"conditions": [], "bill_type": None, "frequency": None,
                               "admission": None, "admission_at": (), "filing": None,
                               "status": None, "occurrence_codes": [],
                               "occurrence_spans": [], "value_codes": []}
        for i, si in enumerate(self.arr(self.res.get("supportingInfo"), ("supportingInfo",))):
            base: Location = ("supportingInfo", i)
            si = self.obj(si, base)
            if si is None:
                continue
            cats = {c["code"] for _, c in self.codings(si.get("category"), (*base, "category"))}
            codes = self.codings(si.get("code"), (*base, "code")) if si.get("code") else []
            nubc = next(((S.NUBC_INFO[c["system"]], j, c["code"]) for j, c in codes
                         if c.get("system") in S.NUBC_INFO), None)
            if nubc is not None:
                # an occurrence code, span or value code: its code and date(s) or amount
                self.nubc_info(out, si, base, *nubc)
                codes = []
            for _, c in codes:
                system, code = c.get("system"), c["code"]
                if system == S.NUBC_CONDITION:
                    out["conditions"].append((code, self.xp((*base, "code"))))
                elif system == S.X12_FREQUENCY and out["frequency"] is None:
                    out["frequency"] = code
                    self.fields["frequency_code"] = self.xp((*base, "code"))
                elif system == S.X12_FILING_INDICATOR and out["filing"] is None:
                    out["filing"] = code
                    self.fields["filing_indicator"] = self.xp((*base, "code"))
                elif "typeofbill" in cats and out["bill_type"] is None and (
                        system == S.NUBC_BILL_TYPE or _BILL_TYPE.fullmatch(code)):
                    out["bill_type"] = code
                    self.fields["bill_type"] = self.xp((*base, "code"))
                elif out["status"] is None and (system in S.DISCHARGE_STATUS_URIS or (
                        cats & _DISCHARGE and system not in (
                            S.NUBC_CONDITION, S.X12_FREQUENCY, S.X12_FILING_INDICATOR))):
                    # the first coding of a discharge-status supportingInfo, or a coding
                    # in the NUBC (or Blue Button) patient discharge status system
                    out["status"] = code
                    self.fields["discharge_status"] = self.xp((*base, "code"))
            if cats & _ADMISSION and out["admission"] is None:
                # timing[x]: a Period (the stay), or a date (the admission alone)
                timing = self.obj(si.get("timingPeriod"), (*base, "timingPeriod"))
                when: Location = (*base, "timingPeriod", "start") \
                    if timing is not None and timing.get("start") is not None else \
                    (*base, "timingDate") if si.get("timingDate") is not None else ()
                if when:
                    value = timing["start"] if timing is not None and \
                        when[-1] == "start" else si["timingDate"]
                    out["admission"] = self.day(value, when)
                    out["admission_at"] = when
                    self.fields["admission_date"] = self.xp(when)
        if out["bill_type"] is None and self.res.get("subType") is not None:
            for _, c in self.codings(self.res["subType"], ("subType",)):
                if c.get("system") in (S.NUBC_BILL_TYPE, "https://www.cms.gov/codes/billtype") \
                        and _BILL_TYPE.fullmatch(c["code"]):
                    out["bill_type"] = c["code"]
                    self.fields["bill_type"] = self.xp(("subType",))
                    break
        if out["bill_type"] is None and claim_type == "institutional":
            self.no_bill_type()
        return out

    def nubc_info(self, out: dict[str, Any], si: Mapping[str, Any], base: Location,
                  field: str, j: int, code: str) -> None:
        """Read one supportingInfo whose coding ``j`` is in a NUBC occurrence code,
        occurrence span or value code system (``field``, the claim's) into ``out[field]``:
        an occurrence code with its ``timingDate`` (else its ``timingPeriod``'s start), a
        span with its ``timingPeriod``'s start and end, a value code with its
        ``valueQuantity.value``. Without them the code is not read (the claim holds none
        without its date or amount): a warning says so."""
        where = self.xp((*base, "code", "coding", j))
        said = len(self.findings)
        got: Occurrence | OccurrenceSpan | ValueCode | None = None
        if field == "value_codes":
            qty = self.obj(si.get("valueQuantity"), (*base, "valueQuantity"))
            amount = self.number(qty.get("value"), (*base, "valueQuantity", "value")) \
                if qty is not None else None
            if amount is not None:
                got = ValueCode(code.strip(), amount)
            want = "valueQuantity with its value (the amount)"
        elif field == "occurrence_codes":
            # a timingPeriod is read only where it is used: a value code, or an occurrence
            # code with its timingDate, does not say a malformed one it never reads
            at: Location = (*base, "timingDate") if si.get("timingDate") is not None \
                else (*base, "timingPeriod", "start")
            if at[-1] == "timingDate":
                raw = si.get("timingDate")
            else:
                period = self.obj(si.get("timingPeriod"), (*base, "timingPeriod"))
                raw = period.get("start") if period is not None else None
            day = self.day(raw, at)
            if day is not None:
                got = Occurrence(code.strip(), day)
            want = "timingDate (the day it occurred)"
        else:
            period = self.obj(si.get("timingPeriod"), (*base, "timingPeriod"))
            ends = [self.day(period.get(k), (*base, "timingPeriod", k))
                    for k in ("start", "end")] if period is not None else [None, None]
            if ends[0] is not None and ends[1] is not None:
                if ends[1] < ends[0]:
                    self.bad((*base, "timingPeriod"), f"runs backwards: {ends[0]} to "
                             f"{ends[1]}; occurrence span code {code} is not read")
                    return
                got = OccurrenceSpan(code.strip(), ends[0], ends[1])
            want = "timingPeriod with its start and end (the span)"
        if got is None:
            # a value given but not readable is said by its own finding, before this one
            unread = " that can be read" if len(self.findings) > said else ""
            self.note("FHIR_STRUCTURE_INVALID", W, f"{where}: NUBC "
                      f"{field[:-1].replace('_', ' ')} {code} has no {want}{unread}: it is "
                      "not read", (*base,))
            return
        out[field].append((got, self.xp(base)))

    def no_bill_type(self) -> None:
        """Say that an institutional claim has no type of bill: codekit tells a hospital
        inpatient claim (the MCE's and the POA edits, ``medicare-inpatient``) by its type
        of bill 11x, and checks one without a type of bill as outpatient. A CARIN Blue
        Button subType (``inpatient``, ``outpatient``) is read and named: it says the
        setting, not the type of bill (inpatient is a hospital's 11x, a SNF's 21x, a swing
        bed's 18x...), which is not guessed from it."""
        sub = self.res.get("subType")
        setting = next((c["code"] for _, c in (self.codings(sub, ("subType",)) if sub else ())
                        if c.get("system") == S.C4BB_INSTITUTIONAL_SUBTYPE
                        and c["code"] in ("inpatient", "outpatient")), None)
        give = ("give the type of bill (a supportingInfo of category typeofbill whose "
                f"code is in {S.NUBC_BILL_TYPE}, or 3 or 4 digits: 0111 for a hospital "
                "inpatient stay, 0131 a hospital outpatient visit)")
        if setting == "inpatient":
            self.note("FHIR_BILL_TYPE_MISSING", W, (
                f"{self.xp(('subType',))} says an inpatient claim (CARIN Blue Button "
                "'inpatient'), and the claim has no type of bill codekit reads: codekit "
                "tells a hospital inpatient claim by its type of bill (11x; an inpatient "
                "stay may be a hospital's, a SNF's 21x, a swing bed's 18x), so it was "
                "checked as an outpatient institutional claim (a Medicare one under "
                f"medicare-outpatient, without the MCE's and the POA edits): {give}."),
                ("subType",))
        elif setting == "outpatient":
            self.note("FHIR_BILL_TYPE_MISSING", W, (
                f"{self.xp(('subType',))} says an outpatient claim (CARIN Blue Button "
                "'outpatient'), and the claim has no type of bill codekit reads: it was "
                "checked as an outpatient institutional claim, without the edits that judge "
                f"the type of bill (the I/OCE's for 12x-14x, 76x...): {give}."),
                ("subType",))
        else:
            self.note("FHIR_BILL_TYPE_MISSING", W, (
                f"The institutional {self.rtype} has no type of bill codekit reads (nor a "
                "subType that says inpatient or outpatient): codekit tells a hospital "
                "inpatient claim by its type of bill (11x), so it was checked as an "
                "outpatient institutional claim (a Medicare one under medicare-outpatient, "
                "without the MCE's and the POA edits), without the edits that judge the "
                f"type of bill: {give}."), ("supportingInfo",))

    def filing_indicator(self, info: Mapping[str, Any]) -> str | None:
        if info["filing"] is not None:
            filing: str = info["filing"]
            return filing
        for cov, where in self.coverages():
            for c in _list(_dict(cov.get("type")).get("coding")):
                if isinstance(c, dict) and c.get("system") == S.X12_FILING_INDICATOR and \
                        type(c.get("code")) is str and len(c["code"]) <= MAX_TEXT:
                    self.fields["filing_indicator"] = f"{where}.type"
                    code: str = c["code"]
                    return code
        return None

    def coverages(self) -> list[tuple[dict[str, Any], str]]:
        """The Coverage of the focal insurance (else the first), when it can be read."""
        if self._coverages is not None:
            return self._coverages
        out = []
        ins = [x for x in self.arr(self.res.get("insurance"), ("insurance",))
               if isinstance(x, dict)]
        ins.sort(key=lambda x: x.get("focal") is not True)
        for x in ins[:1]:
            ref = x.get("coverage")
            if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
                cov, where, _ = self.resolve(ref, ("insurance",), "Coverage")
                if cov is not None and where is not None:
                    out.append((cov, where))
        self._coverages = out
        return out

    def payer(self) -> str:
        """The payer's name or identifier, lower-cased (``Claim.payer``): the insurer's
        display, or the name of the Organization it references, or its identifier; else
        the same from the focal Coverage's payor; else "unknown"."""
        name = self.org_name(self.res.get("insurer"), ("insurer",))
        if name is None:
            for cov, where in self.coverages():
                for j, p in enumerate(_list(cov.get("payor"))):
                    name = self.org_name(p, None, f"{where}.payor[{j}]")
                    if name:
                        break
                if name is None:
                    for ident in _list(cov.get("identifier")):
                        # Blue Button writes the payer's name as a Coverage identifier.
                        if isinstance(ident, dict) and "payer" in str(ident.get("system")):
                            value = ident.get("value")
                            if type(value) is str and value.strip():
                                name = value
                                self.fields["payer"] = f"{where}.identifier"
                                break
        if name is None:
            ins = sorted(enumerate(_list(self.res.get("insurance"))),
                         key=lambda x: _dict(x[1]).get("focal") is not True)
            for j, x in ins:
                cov = _dict(_dict(x).get("coverage"))
                ident = _dict(cov.get("identifier"))
                if "payer" in str(ident.get("system")) and type(ident.get("value")) is str:
                    name = ident["value"]  # Blue Button: the payer's name as identifier
                elif type(cov.get("display")) is str and cov["display"].strip() and \
                        not isinstance(cov.get("reference"), str):
                    name = cov["display"]  # Synthea: the payer's name as the display
                if name is not None:
                    self.fields["payer"] = self.xp(("insurance", j, "coverage"))
                    break
        name = (name or "").strip().lower()
        return name[:MAX_TEXT] or "unknown"

    def org_name(self, ref: Any, path: Location | None, where: str | None = None
                 ) -> str | None:
        ref = _dict(ref)
        if not ref:
            return None
        at = where or self.xp(path or ())
        display = ref.get("display")
        if type(display) is str and display.strip():
            self.fields["payer"] = at
            return display
        if isinstance(ref.get("reference"), str):
            org, org_where, _ = self.resolve(ref, path or ("insurer",), "Organization")
            if org is not None and type(org.get("name")) is str and org["name"].strip():
                self.fields["payer"] = org_where or at
                name: str = org["name"]
                return name
        value = _dict(ref.get("identifier")).get("value")
        if type(value) is str and value.strip():
            self.fields["payer"] = at
            return value
        return None

    def npi(self, ref: Any, path: Location, depth: int = 0) -> str | None:
        """The NPI of a provider Reference: its ``identifier`` in the NPI system
        (``http://hl7.org/fhir/sid/us-npi``), else that of the resource it references; an
        identifier in another system (a tax id) or none is said, and not read as one."""
        ref = _dict(ref)
        ident = _dict(ref.get("identifier"))
        value = ident.get("value")
        if type(value) is str and value and len(value) <= MAX_TEXT:
            if _is_npi_system(ident.get("system")):
                return value
            at: Location = (*path, "identifier")
            system = ident.get("system")
            which = f"system {shown(system, 80)}" if system is not None else "no system"
            if at not in self._not_npi:  # once (a careTeam member asked for two roles)
                self._not_npi.add(at)
                self.note("FHIR_STRUCTURE_INVALID", INFO, (
                    f"{self.xp(at)}: {shown(value, 40)} has {which}, not the NPI system "
                    f"({S.NPI}): it is not read as the provider's NPI"), at)
        if isinstance(ref.get("reference"), str):
            res, _, _ = self.resolve(ref, path, ("Organization", "Practitioner",
                                                 "PractitionerRole"))
            if res is None:
                return None
            if res.get("resourceType") == "PractitionerRole":
                inner = _dict(res.get("practitioner"))
                if depth == 0:  # PractitionerRole -> its Practitioner, once
                    return self.npi(inner, path, 1)
                return None
            for ident in _list(res.get("identifier")):
                if isinstance(ident, dict) and _is_npi_system(ident.get("system")) and \
                        type(ident.get("value")) is str and len(ident["value"]) <= MAX_TEXT:
                    npi: str = ident["value"]
                    return npi
        return None

    def billing_provider(self) -> str | None:
        npi = self.npi(self.res.get("provider"), ("provider",))
        if npi is not None:
            self.fields["billing_provider"] = self.xp(("provider",))
        return npi

    def rendering_provider(self) -> str | None:
        team = [(j, t) for j, t in enumerate(self.arr(self.res.get("careTeam"), ("careTeam",)))
                if isinstance(t, dict)]
        found = self.member_npi(team, ("rendering", "primary"))
        if found is None:
            return None
        self.fields["rendering_provider"] = self.xp(("careTeam", found[0], "provider"))
        return found[1]

    def member_npi(self, team: list[tuple[int, dict[str, Any]]], roles: tuple[str, ...]
                   ) -> tuple[int, str] | None:
        """(position, NPI) of the first ``careTeam`` member of ``team`` (position, member)
        with an NPI, in the first of ``roles`` any has; None when none has."""
        for wanted in roles:
            for j, t in team:
                codes = {c.get("code") for c in _list(_dict(t.get("role")).get("coding"))
                         if isinstance(c, dict) and type(c.get("code")) is str}
                if wanted in codes:
                    npi = self.npi(t.get("provider"), ("careTeam", j, "provider"))
                    if npi is not None:
                        return j, npi
        return None

    #: The careTeam roles of the member who rendered an item, in the order looked for: the
    #: C4BB ``rendering`` and ``performing`` (what :func:`codekit.fhir.from_claim` writes
    #: for a line's own), then the base ``primary``.
    ITEM_ROLES = ("rendering", "performing", "primary")

    def item_provider(self, item: Mapping[str, Any]) -> str | None:
        """The NPI of the provider who rendered ``item``: of the ``careTeam`` member its
        ``careTeamSequence`` names in a role of :data:`ITEM_ROLES` (an assistant or a
        supervisor did not render it), or None (the item is then the claim's
        rendering provider's)."""
        seqs = item.get("careTeamSequence")
        team = self.res.get("careTeam")
        if not seqs or not isinstance(seqs, list) or not isinstance(team, list):
            return None
        named = [(j, t) for j, t in enumerate(team) if isinstance(t, dict) and
                 type(t.get("sequence")) is int and t["sequence"] in seqs]
        found = self.member_npi(named, self.ITEM_ROLES)
        return None if found is None else found[1]

    def place_of_service(self) -> str | None:
        own = self.ext(self.res, "place-of-service")
        if isinstance(own, dict) and type(own.get("code")) is str and \
                len(own["code"]) <= MAX_TEXT:
            self.fields["place_of_service"] = self.xp(
                ("extension", self.own_at(self.res, "place-of-service")))
            code: str = own["code"]
            return code
        return None


# -- helpers ---------------------------------------------------------------------------------

_PARTIAL = re.compile(r"\d{4}(-\d{2})?")


def _parse_day(value: str) -> dt.date | None:
    """The day of a FHIR date (``YYYY-MM-DD``) or dateTime (its date part); None for
    anything else, partial dates (``2015``, ``2015-10``) and ISO week dates
    (``2025-W40-3``, which Python reads) included."""
    if len(value) < 10 or value[4] != "-" or value[7] != "-":
        return None
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    if len(value) > 10 and value[10] == "T" and len(value) <= 40:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


#: UCUM codes and unit names of measures (mass, volume, time, length, activity, amount of
#: substance): a quantity in one of them is an amount, not a count of a code's units.
_MEASURES = frozenset({
    "mg", "g", "kg", "ug", "mcg", "ng", "[mg]", "milligram", "milligrams", "gram", "grams",
    "microgram", "micrograms", "ml", "l", "dl", "[ml]", "milliliter", "milliliters",
    "millilitre", "millilitres", "liter", "liters", "h", "hr", "hour", "hours", "min",
    "minute", "minutes", "s", "sec", "d", "day", "days", "wk", "week", "weeks", "mo",
    "month", "months", "cm", "mm", "m", "km", "[iu]", "iu", "[iu]/ml", "meq", "[meq]",
    "mmol", "mol", "mg/kg"})


def _month_or_year(value: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial FHIR date (``1960-05``, ``1960``) stands for.

    >>> _month_or_year("1960-02"), _month_or_year("1960-00"), _month_or_year("0000")
    ((datetime.date(1960, 2, 1), datetime.date(1960, 2, 29)), None, None)
    """
    if type(value) is not str or not _PARTIAL.fullmatch(value):
        return None
    year = int(value[:4])
    if len(value) == 4:
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else None
    month = int(value[5:])
    if not year or not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


#: Blue Button's own identifier systems, a claim variable each (``.../prvdr_npi``,
#: ``.../carr_clm_blg_npi_num``): those whose name says NPI hold one.
_BLUE_BUTTON_VARIABLES = "https://bluebutton.cms.gov/resources/variables/"


def _is_npi_system(system: object) -> bool:
    """Whether an identifier system is one of NPIs: ``http://hl7.org/fhir/sid/us-npi``, or
    a Blue Button NPI variable; a tax id's (``urn:oid:2.16.840.1.113883.4.4``), another
    system or none is not."""
    return system == S.NPI or (
        type(system) is str and system.startswith(_BLUE_BUTTON_VARIABLES)
        and "npi" in system[len(_BLUE_BUTTON_VARIABLES):])


def _same_code(code: str) -> str:
    """A code as compared with another of its kind: ``e11.9``, ``E119`` -> ``E119``."""
    return code.replace(".", "").strip().upper()


def _coded_in(codes: Sequence[str], systems: Sequence[str]) -> str:
    """``'SDI9901 has no code system'``, ``'M96.1 is coded in ICD-10 (WHO) (...) only'``."""
    shown = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
    named = [s for s in systems if s != "no system"]
    if not named:
        return f"{shown} {'has' if len(codes) == 1 else 'have'} no code system"
    also = " (and codings without a system)" if len(named) < len(systems) else ""
    return f"{shown} {'is' if len(codes) == 1 else 'are'} coded in {' and '.join(named)}" \
           f"{also} only"


def _ext_at(res: Mapping[str, Any], name: str) -> int:
    """Where in ``res["extension"]`` codekit's own extension ``name`` is (the first; the
    reader found it there)."""
    url = f"{S.CODEKIT}:{name}"
    return next(i for i, e in enumerate(res["extension"])
                if isinstance(e, dict) and e.get("url") == url)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _plain_codings(concept: Any) -> list[tuple[int, dict[str, Any]]]:
    """(index, coding) of the codings of a resource held elsewhere (a contained or
    referenced one) that have a code and a system that is text or absent; the rest are
    passed over silently (the resource they sit in is not the claim's)."""
    return [(j, c) for j, c in enumerate(_list(_dict(concept).get("coding")))
            if isinstance(c, dict) and type(c.get("code")) is str and c["code"]
            and len(c["code"]) <= MAX_TEXT
            and (c.get("system") is None or type(c.get("system")) is str)]


def _short(value: Any) -> str:
    return shown(value, 60)


def _split(expression: str) -> list[str | int]:
    """``Claim.contained[0]`` -> ``["Claim", "contained", 0]`` (a location for a finding)."""
    out: list[str | int] = []
    for part in expression.split("."):
        name, _, rest = part.partition("[")
        if name:
            out.append(name)
        while rest:
            idx, _, rest = rest.partition("]")
            out.append(int(idx) if idx.isdigit() else idx)
            rest = rest.lstrip("[")
    return out


#: The types of JSON's scalars as Python holds them read (``Decimal``: a JSON number
#: :func:`codekit.fhir.load` reads exactly).
_JSON_SCALARS = frozenset({str, int, float, bool, type(None), Decimal})


def not_json_data(value: Any, skip: str | None = None) -> tuple[Location, str] | None:
    """(where, what) of a thing in ``value`` (a resource given as Python data) that JSON
    does not hold, or None when it holds only JSON data: objects with text keys,
    arrays, text, numbers (``Decimal`` too), true, false and null. A dict read from JSON
    text needs no such look; a caller's dict may hold anything (``pd.NA``, a NumPy array,
    a ``datetime``, a set), whose ``==`` the reader cannot trust (``pd.NA == "x"`` is
    neither true nor false). ``skip``: a key of ``value`` itself not walked (a Bundle's
    ``entry``, whose entries are looked at one by one). Walked without recursion; the
    places are worked out only for a value found.

    >>> import datetime as dt
    >>> not_json_data({"item": [{"sequence": 1, "net": {"value": Decimal("10.5")}}]}) is None
    True
    >>> not_json_data({"item": [{"servicedDate": dt.date(2025, 11, 3)}]})
    (('item', 0, 'servicedDate'), 'a Python datetime.date (datetime.date(2025, 11, 3))')
    >>> not_json_data({"id": "a", 7: "b"})
    ((), 'a property named by a Python int (7), not a string')
    """
    stack = [(value if skip is None else {k: v for k, v in value.items() if k != skip})]
    while stack:  # the common case: every item of a JSON type itself, no subclass
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key in item:
                if type(key) is not str:
                    break
            else:
                stack.extend(item.values())
                continue
            break
        if kind is list:
            stack.extend(item)
        elif kind not in _JSON_SCALARS:
            break
    else:
        return None
    return _not_json_at(value, skip)


def _not_json_at(value: Any, skip: str | None) -> tuple[Location, str] | None:
    """:func:`not_json_data`'s answer with its place, subclasses of JSON's types allowed (an
    ``OrderedDict``, NumPy's ``float64``, a ``str`` enum)."""
    stack: list[tuple[Location, Any]] = [((), value)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str):
                    return at, f"a property named by {_python(key)}, not a string"
                if not (at == () and key == skip):
                    stack.append(((*at, key), inner))
        elif isinstance(item, list):
            stack.extend(((*at, k), inner) for k, inner in enumerate(item))
        elif item is not None and not isinstance(item, str | int | float | Decimal):
            return at, _python(item)
    return None


def _python(value: Any) -> str:
    """A value JSON does not hold, named by its Python type (``a Python numpy.ndarray
    (array([1, 2]))``): its own module's top name, not a private one."""
    kind = type(value)
    module = kind.__module__.split(".")[0]
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    return f"a Python {name} ({shown(value, 40)})"


def as_data(value: Any) -> dict[str, Any] | None:
    """A resource as JSON data: a dict as is, a fhir.resources model dumped (by alias,
    without empty elements); None for anything else."""
    if isinstance(value, dict):
        return value
    dump = getattr(value, "model_dump", None)
    if callable(dump) and hasattr(value, "get_resource_type"):
        data = dump(mode="json", by_alias=True, exclude_none=True)
        return data if isinstance(data, dict) else None
    return None
