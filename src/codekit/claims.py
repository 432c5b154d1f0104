"""Claims as plain immutable values: :class:`Claim`, :class:`Patient`, :class:`ServiceLine`,
:class:`Procedure`.

A claim is built from a dict (or JSON) in the shape of an 837P/837I claim summary; only
``claim_type``, ``patient`` and ``diagnoses`` are required, and ``date_of_service`` unless
every line has its own date::

    {"claim_id": "PCN-0001",                 # CLM01, echoed in the report
     "claim_type": "professional" | "institutional",
     "payer": "medicare" | "commercial" | <any payer name or id>,
     "filing_indicator": "MB",               # X12 SBR09 claim filing indicator
     "billing_provider": "1234567893",       # NPI; "rendering_provider" too
     "place_of_service": "11", "total_charge": 250.00, "frequency_code": "1",
     "bill_type": "111", "condition_codes": ["45"], "opps": true,   # institutional
     "dme_supplier": true,                   # professional: a DMEPOS supplier's claim to
                                             # the DME MAC (DME supplier NCCI tables)
     "asc_facility": true,                   # an ambulatory surgical center's facility
                                             # claim (837P, POS 24; an 837I says it by its
                                             # type of bill 83x, which this must agree with)
     "patient": {"id": "MBR123", "sex": "M"|"F"|"U", "birth_date": "YYYY-MM-DD"},  # or "age"
                                             # (both: they must agree)
     "date_of_service": "YYYY-MM-DD",        # or an ISO date-time; its date counts
     "statement_period": ["2025-11-01", "2025-11-03"], "admission_date": "2025-11-01",
                                             # inpatient (11x): date_of_service, when
                                             # given, is the period's end (the discharge)
     "discharge_status": "01",               # NUBC patient discharge status (UB-04 FL17,
                                             # 837I CL1-03)
     "occurrence_codes": [{"code": "22", "date": "2025-11-03"}],     # institutional: NUBC
     "occurrence_spans": [{"code": "70", "from": "2025-10-01", "through": "2025-10-04"}],
     "value_codes": [{"code": "80", "amount": 2}],  # occurrence (UB-04 FL31-34, 837I HI
                                             # BH), span (FL35-36, BI), value (FL39-41, BE)
     "diagnoses": ["E11.9", {"code": "I10", "poa": "Y"}],   # position 1 = principal;
                                             # poa upper-cased ("y" is Y)
     "admitting_diagnosis": "R07.9", "visit_reasons": ["R07.9"],
     "procedures": ["0DTJ4ZZ", {"code": "0SR90J9", "date": "2025-11-02"}],  # ICD-10-PCS
     "service_lines": [{"line": 1, "line_id": "A1", "procedure_code": "99213",
                        "modifiers": ["25"], "units": 1, "diagnosis_pointers": [1, 2],
                        "revenue_code": "0450", "date_of_service": "YYYY-MM-DD",
                        "place_of_service": "11", "charge": 125.00, "ndc": "..."}],
     "extra": {...}}                          # anything of yours, kept as is

An unknown key is a format error (a typo must not silently drop data); put what is yours
under ``"extra"``, which the claim keeps and the report echoes. The older spellings
``"provider"`` (= ``billing_provider``) and ``"notes"`` (kept in ``extra``) are accepted.
A line's ``"line"`` (its number: the 837's LX01, FHIR's ``item.sequence``) is a whole
number from 1, unique within the claim, in any order; left out, it is the line's position.

:meth:`Claim.from_dict` checks the *shape* (keys, types, dates): every problem is listed,
with its path, in one :class:`~codekit.errors.ClaimFormatError`, and no claim is
half-built. Values that are well-typed but wrong for billing (sex "X", zero units, pointer
13, an unknown code, a POA indicator "Q") make a claim all the same: they are the rules
engine's findings, not format errors.

>>> claim = Claim.from_dict({
...     "claim_id": "PCN-0001", "claim_type": "professional", "payer": "medicare",
...     "patient": {"sex": "F", "birth_date": "1956-03-02"},
...     "date_of_service": "2025-11-03T09:00:00-05:00", "diagnoses": ["E11.9", "I10"],
...     "service_lines": [{"procedure_code": "99213", "units": 1,
...                        "diagnosis_pointers": [1, 2]}]})
>>> claim.claim_id, claim.date_of_service, claim.patient.age_on(claim.date_of_service)
('PCN-0001', datetime.date(2025, 11, 3), 69)
>>> claim.service_lines[0].line
1
>>> Claim.from_dict({"claim_type": "dental", "date_of_service": "2025-13-01"})
Traceback (most recent call last):
...
codekit.errors.ClaimFormatError: 4 problems in the claim:
  claim_type: must be 'professional' or 'institutional', got 'dental'
  date_of_service: not a date (YYYY-MM-DD, or an ISO date-time): '2025-13-01'
  diagnoses: missing
  patient: missing
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import operator
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from . import _cache, _json
from ._frozen import maker
from ._json import not_json
from ._show import json_kind, shown
from ._text import DECIMAL_TEXT
from .errors import ClaimFormatError
from .errors import format_path as _path_text

__all__ = ["ASC_BILL_CLASS", "ASC_TAXONOMY", "CLAIM_KEYS", "CORRECTIONS", "LINE_KEYS",
           "PATIENT_KEYS", "REOPENING", "TOTAL_REVENUE", "Claim",
           "ClaimFormatError", "Occurrence", "OccurrenceSpan", "Patient", "Procedure",
           "ServiceLine", "ValueCode", "bill_class", "claim_date", "is_asc_bill", "is_total_line",
           "line_identity"]

Path = tuple[str | int, ...]

#: The NUCC health care provider taxonomy code of an ambulatory surgical center
#: (Ambulatory Health Care Facilities, Clinic/Center, Ambulatory Surgical): an 837P whose
#: billing provider has it (2000A ``PRV*BI*PXC*261QA1903X``) is the ASC's facility claim
#: (:attr:`Claim.asc_facility`).
ASC_TAXONOMY = "261QA1903X"
#: The first two digits of an ambulatory surgery center's type of bill (NUBC UB-04 FL 4:
#: facility type 8, special facility; bill classification 3, ambulatory surgery center):
#: an institutional claim of type of bill 83x is the ASC's facility claim
#: (:attr:`Claim.is_asc_facility`).
ASC_BILL_CLASS = "83"
#: The claim frequency codes (837 CLM05-3; an institutional claim's type of bill's last
#: digit) of a claim that corrects one sent before, and what each is: the 2300 REF*F8
#: (``Claim.corrected_claim_id``) must name the claim corrected.
CORRECTIONS = {"7": "a replacement", "8": "a void"}
#: The claim frequency of a reopening, a correction asked for outside the timely filing
#: limits (NUBC, from 2016; Medicare's TOB xxQ, CMS CR 8581): it may name the claim it
#: reopens (X12 RFI 2173: REF*F8 is "appropriate and useful" on it), and need not.
REOPENING = "Q"


def bill_class(bill_type: str | None) -> str:
    """The first two digits of a type of bill (UB-04 FL4, 837I CLM05-1): the type of
    facility and the bill classification, which the edits and the routing read (``"11"``
    hospital inpatient, ``"13"`` hospital outpatient, ``"85"`` critical access hospital),
    as written with blanks around it or the UB-04's leading zero; ``""`` without one. The
    claim's own is :attr:`Claim.bill_class`.

    >>> bill_class("0131"), bill_class(" 111"), bill_class("85"), bill_class(None)
    ('13', '11', '85', '')
    """
    return bill_type.strip().lstrip("0")[:2] if bill_type else ""


def is_asc_bill(bill_type: str | None) -> bool:
    """Whether a type of bill is an ambulatory surgery center's (83x,
    :data:`ASC_BILL_CLASS`): what an institutional claim's ``asc_facility`` must agree
    with, in every door.

    >>> is_asc_bill("0831"), is_asc_bill("131"), is_asc_bill(None)
    (True, False, False)
    """
    return bill_class(bill_type) == ASC_BILL_CLASS


@attrs.frozen(weakref_slot=False)
class Patient:
    """Sex (``"M"``, ``"F"``, ``"U"``, or whatever was sent), birth date or age, and the
    patient's identifier on the claim (member id), when given."""

    sex: str
    birth_date: dt.date | None = None
    age: int | None = None
    id: str | None = None
    name: str | None = None

    def age_on(self, day: dt.date) -> int | None:
        """Age in completed years on ``day`` (the given age when no birth date is known)."""
        if self.birth_date is None:
            return self.age
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


@attrs.frozen(weakref_slot=False)
class ServiceLine:
    """One service line: procedure code, up to four modifiers, units and pointers, and
    what an 837 line carries beside them (line id, date, place of service, charge, NDC,
    its own rendering provider)."""

    line: int
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    units: Decimal | None = Decimal(1)
    diagnosis_pointers: tuple[int, ...] = ()
    revenue_code: str | None = None
    date_of_service: dt.date | None = None
    #: The line's own identifier (837 REF*6R line item control number), echoed in reports.
    line_id: str | None = None
    place_of_service: str | None = None
    charge: Decimal | None = None
    ndc: str | None = None
    #: The NPI of the provider who rendered the line when it is not the claim's
    #: (:attr:`Claim.rendering_provider`): 837P 2420A / 837I 2420C ``NM1*82`` NM109, the
    #: FHIR item's ``careTeamSequence``. None: the claim's. A group's claim may bill the
    #: services of several of its practitioners; the NCCI edits pair and sum only one
    #: provider's lines (:meth:`Claim.provider_of`).
    rendering_provider: str | None = None


@attrs.frozen
class Procedure:
    """An ICD-10-PCS procedure of an institutional claim, with its date when given."""

    code: str
    date: dt.date | None = None


@attrs.frozen(weakref_slot=False)
class Occurrence:
    """A NUBC occurrence code of an institutional claim with its date (UB-04 FL 31-34, 837I
    2300 HI BH): ``{"code": "22", "date": "2025-06-30"}`` in the claim dict (22: the date
    active care ended)."""

    code: str
    date: dt.date


@attrs.frozen(weakref_slot=False)
class OccurrenceSpan:
    """A NUBC occurrence span code of an institutional claim with its from and through
    dates (UB-04 FL 35-36, 837I 2300 HI BI): ``{"code": "70", "from": "2025-05-16",
    "through": "2025-05-19"}`` in the claim dict (70: a SNF's qualifying stay dates)."""

    code: str
    start: dt.date
    end: dt.date


@attrs.frozen(weakref_slot=False)
class ValueCode:
    """A NUBC value code of an institutional claim with its amount (UB-04 FL 39-41, 837I
    2300 HI BE): ``{"code": "80", "amount": 30}`` in the claim dict (80: covered days; an
    amount is a count of days or units for some codes, dollars for others, as NUBC defines
    each)."""

    code: str
    amount: Decimal


def _condition_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """A claim's condition codes as the claim keeps them (:attr:`Claim.condition_codes`):
    each without the spaces around it, in order.

    A fixed-width 837 element, a CSV or spreadsheet cell and a FHIR feed may carry a code
    as ``" 41"`` or ``"41 "``; the rules compare condition codes as written ("41" is
    partial hospitalization on the I/OCE's paths), and the I/OCE trims them too, so the
    claim model strips them once, whichever door made the claim (the field's converter).

    >>> _condition_codes([" 41", "G0 ", "07"])
    ('41', 'G0', '07')
    """
    if not codes:
        return ()
    return tuple(c.strip() if type(c) is str else c for c in codes)


@attrs.frozen(weakref_slot=False)
class Claim:
    """A claim: who, when, the diagnoses in order, the service lines, and its identity."""

    claim_type: str
    payer: str
    patient: Patient
    date_of_service: dt.date
    diagnoses: tuple[str, ...]
    service_lines: tuple[ServiceLine, ...]
    bill_type: str | None = None
    #: NUBC condition codes (837I HI BG), stripped of the spaces around them
    #: (:func:`_condition_codes`).
    condition_codes: tuple[str, ...] = attrs.field(default=(), converter=_condition_codes)
    #: The claim's identifier (837 CLM01, patient control number), echoed in reports.
    claim_id: str | None = None
    billing_provider: str | None = None
    rendering_provider: str | None = None
    place_of_service: str | None = None
    total_charge: Decimal | None = None
    #: Claim frequency type code (837 CLM05-3: 1 original, 7 replacement, 8 void...).
    frequency_code: str | None = None
    #: The payer's claim control number of the claim a replacement or void corrects (837
    #: 2300 REF*F8; FHIR ``Claim.related`` of relationship ``prior``).
    corrected_claim_id: str | None = None
    #: Claim filing indicator (837 SBR09: MB Medicare Part B, MA Part A, MC Medicaid...).
    filing_indicator: str | None = None
    #: Present-on-admission indicator per diagnosis position (None where not given).
    poa: tuple[str | None, ...] = ()
    #: ICD-10-PCS procedures (institutional claims).
    procedures: tuple[Procedure, ...] = ()
    admitting_diagnosis: str | None = None
    visit_reasons: tuple[str, ...] = ()
    #: Statement covers period (institutional: from, through).
    statement_period: tuple[dt.date, dt.date] | None = None
    admission_date: dt.date | None = None
    #: The NUBC patient discharge status (UB-04 FL 17, 837I 2300 CL1-03, FHIR
    #: ``supportingInfo`` ``discharge-status``), as written: ``"01"``, ``"30"``...
    discharge_status: str | None = None
    #: NUBC occurrence codes with their dates (UB-04 FL 31-34, 837I 2300 HI BH), in order.
    occurrence_codes: tuple[Occurrence, ...] = ()
    #: NUBC occurrence span codes with their dates (UB-04 FL 35-36, 837I 2300 HI BI).
    occurrence_spans: tuple[OccurrenceSpan, ...] = ()
    #: NUBC value codes with their amounts (UB-04 FL 39-41, 837I 2300 HI BE).
    value_codes: tuple[ValueCode, ...] = ()
    #: Whether an institutional outpatient claim is paid under OPPS (the IOCE's flag); None
    #: when not said, which ``medicare-outpatient`` takes as OPPS, the I/OCE's default.
    opps: bool | None = None
    #: Whether a professional claim is a DMEPOS supplier's, billed to a DME MAC: its NCCI
    #: setting is ``dme`` (the DME supplier MUE table, not the practitioner one) and a
    #: Medicare claim goes to the ``medicare-dme`` profile. An 837P carries nothing that
    #: says so for certain, so the sender says it; None when not said (a practitioner's
    #: claim). True only on a professional claim (DMEPOS suppliers bill on the 837P).
    dme_supplier: bool | None = None
    #: Whether the claim is an ambulatory surgical center's facility claim, as the sender
    #: or the 837P says it. On a professional claim (the ASC's fee, billed on the 837P /
    #: CMS-1500 with place of service 24, as the surgeon who operated there bills his):
    #: True when said, or read from an 837P whose billing provider's taxonomy (2000A
    #: ``PRV*BI``) is 261QA1903X (Ambulatory Surgical); False when the sender says it is
    #: not; None when unknown (at place of service 24 either side's claim). On an
    #: institutional claim the type of bill says it (83x: :data:`ASC_BILL_CLASS`), and a
    #: value given must agree with it (:meth:`from_dict` refuses one that does not). What
    #: the edits read is :attr:`is_asc_facility`.
    asc_facility: bool | None = None
    #: Whatever the caller keeps with the claim (``"extra"`` in the dict), echoed as is.
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)

    def provider_of(self, line: ServiceLine) -> str | None:
        """The NPI of the provider who rendered ``line``: the line's own
        (:attr:`ServiceLine.rendering_provider`), else the claim's
        (:attr:`rendering_provider`), else the billing provider's (the 837P sends 2420A
        only where a line's rendering provider is not 2310B's, and 2310B only where it is
        not the billing provider, 2010AA), without the spaces around it; None when none
        is given.

        >>> claim = Claim.from_dict({"claim_type": "professional",
        ...     "rendering_provider": "1245319599", "patient": {"sex": "F", "age": 70},
        ...     "date_of_service": "2025-11-20", "diagnoses": ["M23.221"], "service_lines": [
        ...         {"procedure_code": "29881"},
        ...         {"procedure_code": "29877", "rendering_provider": "1679576722"}]})
        >>> [claim.provider_of(line) for line in claim.service_lines]
        ['1245319599', '1679576722']
        """
        for npi in (line.rendering_provider, self.rendering_provider, self.billing_provider):
            if npi is not None and npi.strip():
                return npi.strip()
        return None

    @property
    def is_institutional(self) -> bool:
        """True for an institutional claim (837I, UB-04: ``claim_type`` ``"institutional"``),
        False for a professional one (837P, CMS-1500)."""
        return self.claim_type == "institutional"

    @property
    def is_inpatient(self) -> bool:
        """An institutional claim with a type of bill 11x (hospital inpatient: ``"111"``,
        ``"0111"``, ``" 111 "``)."""
        # bill_class(self.bill_type) == "11" written out: asked many times of every claim,
        # where the call cost 166 instructions (callgrind)
        bill = self.bill_type
        return self.claim_type == "institutional" and bill is not None and \
            bill.strip().lstrip("0")[:2] == "11"

    @property
    def is_asc_facility(self) -> bool:
        """Whether the claim is an ambulatory surgical center's facility claim: an
        institutional claim whose type of bill is 83x (NUBC UB-04 FL 4: facility type 8,
        special facility; bill classification 3, ambulatory surgery center), or a
        professional claim with :attr:`asc_facility` true (the ASC's 837P), whichever door
        it came through.

        >>> claim = Claim.from_dict({"claim_type": "institutional", "bill_type": "0831",
        ...     "patient": {"sex": "F", "age": 70}, "date_of_service": "2026-03-02",
        ...     "diagnoses": ["K63.5"], "service_lines": []})
        >>> claim.asc_facility, claim.is_asc_facility
        (None, True)
        """
        if self.claim_type == "institutional":
            return is_asc_bill(self.bill_type)
        return bool(self.asc_facility)

    @property
    def bill_class(self) -> str:
        """The first two digits of the claim's type of bill (:func:`bill_class`: ``"13"``
        for ``"0131"``), ``""`` without one.

        >>> Claim.from_dict({"claim_type": "institutional", "bill_type": "0131",
        ...     "patient": {"sex": "F", "age": 60}, "date_of_service": "2025-11-03",
        ...     "diagnoses": ["I10"], "service_lines": []}).bill_class
        '13'
        """
        return bill_class(self.bill_type)

    def line_date(self, line: ServiceLine) -> dt.date:
        """The date of service of ``line``: its own ``date_of_service`` when it has one,
        else the claim's. Every edit judges a line's code on this date.

        >>> c = Claim.from_dict({"claim_type": "professional", "payer": "medicare",
        ...     "patient": {"sex": "F", "age": 60}, "date_of_service": "2025-11-03",
        ...     "diagnoses": ["I10"], "service_lines": [
        ...         {"procedure_code": "99213", "units": 1},
        ...         {"procedure_code": "93000", "units": 1, "date_of_service": "2025-11-04"}]})
        >>> [c.line_date(ln).isoformat() for ln in c.service_lines]
        ['2025-11-03', '2025-11-04']
        """
        return line.date_of_service or self.date_of_service

    @property
    def line_ids(self) -> tuple[str | None, ...]:
        """Each line's identifier (None where the line has none), in line order."""
        return tuple(ln.line_id for ln in self.service_lines)

    @classmethod
    def from_dict(cls, data: object) -> Claim:
        """Build a claim from its dict (``codekit.schema("claim")``); raises one
        :class:`~codekit.errors.ClaimFormatError` listing every problem (the input is
        never changed).

        >>> Claim.from_dict({"claim_type": "professional", "payer": "medicare",
        ...     "patient": {"sex": "F"}, "date_of_service": "2025-02-30",
        ...     "diagnoses": ["M17.11"], "service_lines": []})
        Traceback (most recent call last):
        ...
        codekit.errors.ClaimFormatError: 2 problems in the claim:
          date_of_service: not a date (YYYY-MM-DD, or an ISO date-time): '2025-02-30'
          patient: needs birth_date or age
        """
        claim = _fast_claim(data)
        return claim if claim is not None else _Reader().claim(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Claim:
        """A claim from JSON text (str or UTF-8 bytes) of its dict; raises
        :class:`~codekit.errors.ClaimFormatError` when the text is not JSON or not a claim.

        The text is read with ``orjson`` when it is installed and the claim holds nothing
        it could read differently from ``json`` (a claim's numbers are bounded far below
        the integers it turns into floats; ``extra`` is read again when it holds such a
        float or nests hundreds deep); anything else, text that could nest deeper than
        1,024 levels, and every claim that is not valid, is read with ``json``, so the
        claim and every message are the same either way (JSON nested too deeply for
        ``json`` is a ``ClaimFormatError``, "nested too deeply").

        >>> Claim.from_json(b'{"claim_type": "professional", "payer": "commercial", '
        ...     b'"patient": {"sex": "F", "age": 40}, '
        ...     b'"date_of_service": "2025-03-01", "diagnoses": ["J02.9"], '
        ...     b'"service_lines": [{"procedure_code": "99213", "units": 1}]}').diagnoses
        ('J02.9',)
        """
        fast = _json.fast_loads
        try:
            short = len(text) <= _FAST_MAX_DEPTH
        except TypeError:  # not text (None, 5): json's refusal below says what it is
            short = False
        # orjson gets no text that could nest deeper than it reads safely (before 3.9.15 a
        # deep object crashed the process): a claim line is shorter than the bound, a
        # longer text is counted first
        if fast is not None and (short or _json.shallow(text)):
            try:
                claim = cls.from_dict(fast(text))
            except (ValueError, TypeError, RecursionError):  # ClaimFormatError too:
                # read again with json, whose messages the user gets
                pass
            else:
                if not claim.extra or not _json.read_again(claim.extra):
                    return claim
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError) as e:
            raise ClaimFormatError([((), f"not JSON: {not_json(e)}")]) from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The claim in the shape :meth:`from_dict` reads (only the fields that are set)."""
        p: dict[str, Any] = {"sex": self.patient.sex}
        for key in ("id", "name"):
            if getattr(self.patient, key) is not None:
                p[key] = getattr(self.patient, key)
        if self.patient.birth_date is not None:
            p["birth_date"] = self.patient.birth_date.isoformat()
        if self.patient.age is not None:
            p["age"] = self.patient.age
        d: dict[str, Any] = {}
        if self.claim_id is not None:
            d["claim_id"] = self.claim_id
        d.update(claim_type=self.claim_type, payer=self.payer, patient=p,
                 date_of_service=self.date_of_service.isoformat())
        if any(self.poa):
            d["diagnoses"] = [code if poa is None else {"code": code, "poa": poa}
                              for code, poa in zip(self.diagnoses, self._poa(), strict=True)]
        else:
            d["diagnoses"] = list(self.diagnoses)
        d["service_lines"] = [_line_dict(line) for line in self.service_lines]
        for key in ("bill_type", "billing_provider", "rendering_provider", "place_of_service",
                    "frequency_code", "corrected_claim_id", "filing_indicator",
                    "admitting_diagnosis", "discharge_status", "opps", "dme_supplier",
                    "asc_facility"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        if self.condition_codes:
            d["condition_codes"] = list(self.condition_codes)
        if self.visit_reasons:
            d["visit_reasons"] = list(self.visit_reasons)
        if self.total_charge is not None:
            d["total_charge"] = _num(self.total_charge)
        if self.procedures:
            d["procedures"] = [p.code if p.date is None else
                               {"code": p.code, "date": p.date.isoformat()}
                               for p in self.procedures]
        if self.statement_period is not None:
            d["statement_period"] = [day.isoformat() for day in self.statement_period]
        if self.admission_date is not None:
            d["admission_date"] = self.admission_date.isoformat()
        if self.occurrence_codes:
            d["occurrence_codes"] = [{"code": o.code, "date": o.date.isoformat()}
                                     for o in self.occurrence_codes]
        if self.occurrence_spans:
            d["occurrence_spans"] = [{"code": o.code, "from": o.start.isoformat(),
                                      "through": o.end.isoformat()}
                                     for o in self.occurrence_spans]
        if self.value_codes:
            d["value_codes"] = [{"code": v.code, "amount": _num(v.amount)}
                                for v in self.value_codes]
        if self.extra:
            d["extra"] = dict(self.extra)
        return d

    def _poa(self) -> tuple[str | None, ...]:
        """The POA indicators padded to one per diagnosis."""
        n = len(self.diagnoses)
        return tuple(self.poa[:n]) + (None,) * (n - len(self.poa))

    def to_json(self) -> str:
        """The claim as JSON text: :meth:`to_dict` dumped, which :meth:`from_json` reads
        back to an equal claim."""
        return json.dumps(self.to_dict())


def _line_dict(line: ServiceLine) -> dict[str, Any]:
    d: dict[str, Any] = {"line": line.line, "procedure_code": line.procedure_code,
                         "modifiers": list(line.modifiers),
                         "units": None if line.units is None else _num(line.units),
                         "diagnosis_pointers": list(line.diagnosis_pointers)}
    for key in ("line_id", "revenue_code", "place_of_service", "ndc", "rendering_provider"):
        value = getattr(line, key)
        if value is not None:
            d[key] = value
    if line.date_of_service is not None:
        d["date_of_service"] = line.date_of_service.isoformat()
    if line.charge is not None:
        d["charge"] = _num(line.charge)
    return d


def _num(d: Decimal) -> int | float:
    if not d.is_finite():  # a claim built by hand: from_dict says what is wrong with it
        return float(d)
    return int(d) if d == d.to_integral_value() else float(d)


_MISSING: Any = object()
#: The keys of a claim dict (top level); with :data:`PATIENT_KEYS` and :data:`LINE_KEYS`,
#: what :meth:`Claim.from_dict` reads (anything else is a format problem).
CLAIM_KEYS = frozenset({
    "claim_id", "claim_type", "payer", "filing_indicator", "billing_provider",
    "rendering_provider", "provider", "place_of_service", "total_charge", "frequency_code",
    "corrected_claim_id", "bill_type", "condition_codes", "opps", "dme_supplier",
    "asc_facility", "patient",
    "date_of_service",
    "statement_period", "admission_date", "discharge_status", "occurrence_codes",
    "occurrence_spans", "value_codes", "diagnoses", "admitting_diagnosis", "visit_reasons",
    "procedures", "service_lines", "extra", "notes"})
#: The keys of a claim dict's ``patient``.
PATIENT_KEYS = frozenset({"sex", "birth_date", "age", "id", "name"})
#: The keys of each of a claim dict's ``service_lines``.
LINE_KEYS = frozenset({"line", "line_id", "procedure_code", "modifiers", "units",
                       "diagnosis_pointers", "revenue_code", "date_of_service",
                       "place_of_service", "charge", "ndc", "rendering_provider"})
#: What other tools, the 837 and FHIR call a claim dict's keys, for the did-you-mean of an
#: unknown key (a typo must not silently drop data, and the error should say the name).
_ALIASES: dict[str, dict[str, str]] = {
    "claim": {"lines": "service_lines", "line_items": "service_lines",
              "items": "service_lines", "service_line": "service_lines",
              "dx": "diagnoses", "dxs": "diagnoses", "diagnosis": "diagnoses",
              "diagnosis_codes": "diagnoses", "icd10": "diagnoses", "icd10_codes": "diagnoses",
              "dos": "date_of_service", "service_date": "date_of_service",
              "pos": "place_of_service", "type": "claim_type", "member": "patient",
              "frequency": "frequency_code", "claim_frequency_code": "frequency_code",
              "total": "total_charge", "total_charges": "total_charge",
              "billing_npi": "billing_provider", "rendering_npi": "rendering_provider",
              "type_of_bill": "bill_type", "tob": "bill_type",
              "icd10pcs": "procedures", "pcs": "procedures",
              "principal_procedure": "procedures", "claim_number": "claim_id",
              "claim_no": "claim_id", "npi": "billing_provider", "insurance": "payer",
              "insurer": "payer", "payer_name": "payer", "health_plan": "payer",
              "charge": "total_charge", "charges": "total_charge", "id": "claim_id",
              "cpt_codes": "service_lines", "hcpcs_codes": "service_lines"},
    "line": {"procedure": "procedure_code", "code": "procedure_code", "cpt": "procedure_code",
             "cpt_code": "procedure_code", "hcpcs": "procedure_code",
             "hcpcs_code": "procedure_code", "service_code": "procedure_code",
             "pointers": "diagnosis_pointers", "dx_pointers": "diagnosis_pointers",
             "diagnosis_pointer": "diagnosis_pointers", "modifier": "modifiers",
             "mods": "modifiers", "quantity": "units", "qty": "units",
             "unit": "units", "dos": "date_of_service", "service_date": "date_of_service",
             "pos": "place_of_service", "amount": "charge", "charges": "charge",
             "line_charge": "charge", "revenue": "revenue_code", "rev_code": "revenue_code",
             "line_number": "line", "rendering_npi": "rendering_provider"},
    "patient": {"gender": "sex", "dob": "birth_date", "date_of_birth": "birth_date",
                "birthdate": "birth_date", "birth_day": "birth_date",
                "member_id": "id", "patient_id": "id"},
}


def unknown_field(key: object, keys: Iterable[str], level: str = "") -> str:
    """The message for an unknown key of a claim dict: with the key codekit takes in its
    place where it is plain which one (another tool's name for it, another case, a typo).

    >>> unknown_field("lines", CLAIM_KEYS, "claim")
    "unknown field: did you mean 'service_lines'?"
    >>> unknown_field("Procedure_Code", LINE_KEYS, "line")
    "unknown field: did you mean 'procedure_code'?"
    >>> unknown_field("dignoses", CLAIM_KEYS, "claim")
    "unknown field: did you mean 'diagnoses'?"
    >>> unknown_field("colour", PATIENT_KEYS, "patient")
    'unknown field'
    """
    import difflib

    known = sorted(keys)
    name = str(key)[:80].strip().lower().replace("-", "_").replace(" ", "_")
    guess = name if name in known else _ALIASES.get(level, {}).get(name)
    if guess is None and level == "claim":
        misplaced = _misplaced(name)
        if misplaced:
            return misplaced
    if guess is None:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        guess = close[0] if close else None
    return "unknown field" if guess is None or guess == key else \
        f"unknown field: did you mean {guess!r}?"


def _misplaced(name: str) -> str:
    """The message for a claim-level key that belongs to the patient or to each line, or
    "" when it belongs to neither.

    >>> _misplaced("sex")
    "unknown field: give it under 'patient' (as 'sex')"
    >>> _misplaced("cpt")
    "unknown field: give it on each of 'service_lines' (as 'procedure_code')"
    """
    for level, where, keys in (("patient", "under 'patient'", PATIENT_KEYS),
                               ("line", "on each of 'service_lines'", LINE_KEYS)):
        field = name if name in keys else _ALIASES[level].get(name)
        if field is not None:
            pcs = "; ICD-10-PCS codes go in 'procedures'" if field == "procedure_code" \
                and not name.startswith(("cpt", "hcpcs")) else ""
            return f"unknown field: give it {where} (as {field!r}){pcs}"
    return ""


#: The longest text kept from a claim field; longer is a format error, not a code.
MAX_TEXT = 4096
_DATE_CACHE: dict[str, dt.date] = {}


def _fast_date(value: object) -> dt.date | None:
    """A remembered ``YYYY-MM-DD`` text's date, a ``datetime.date`` itself (what Arrow,
    Spark and Parquet give), or None (then the reader decides: date-times, timestamps)."""
    if type(value) is not str:
        return value if type(value) is dt.date else None
    day = _DATE_CACHE.get(value)
    if day is None and len(value) == 10:
        if value[4] != "-" or value[7] != "-":  # "2025-W40-3": an ISO week date
            return None  # the reader decides (coerce_date refuses it)
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
        if len(_DATE_CACHE) >= 4096:
            _DATE_CACHE.clear()
        _DATE_CACHE[value] = day
    return day


def _fast_text(d: dict[str, Any], key: str) -> str | bool | None:
    """d[key] when it is text of a plausible length or absent (None); False otherwise."""
    v = d.get(key)
    if v is None or (type(v) is str and len(v) <= MAX_TEXT):
        return v
    return False


_UNITS = {n: Decimal(n) for n in range(1000)}
_FAST_MAX_DEPTH = _json.FAST_MAX_DEPTH
#: Lines are immutable values and claims repeat them: one object per distinct line.
_LINES: dict[tuple[Any, ...], ServiceLine] = _cache.owned("claims.lines", {}, max_bytes=8 << 20)


def _fast_claim(data: object) -> Claim | None:
    """The claim of a dict in the plain shape most claims have (text, lists of text, small
    whole numbers, ``YYYY-MM-DD`` dates), built without the reader's checks; None for
    anything else, which the reader then judges (and lists its problems). The two agree on
    every claim this accepts (``tests/test_claims_property.py``)."""
    if type(data) is not dict or not _FAST_CLAIM_KEYS.issuperset(data):
        return None
    get = data.get
    claim_type = get("claim_type")
    # text first: a caller's object (pandas.NA, an array) may have no truth value for a
    # comparison to give; the reader says what it is
    if type(claim_type) is not str or \
            (claim_type != "professional" and claim_type != "institutional"):
        return None
    dos = get("date_of_service")
    dos = _DATE_CACHE.get(dos) if type(dos) is str else None
    if dos is None:
        dos = _fast_date(get("date_of_service"))
    raw_dx = get("diagnoses")
    patient = get("patient")
    raw_lines = get("service_lines", ())
    if dos is None or type(raw_dx) is not list or type(patient) is not dict or \
            type(raw_lines) is not list or not PATIENT_KEYS.issuperset(patient):
        return None
    for code in raw_dx:
        if type(code) is not str or len(code) > MAX_TEXT:
            return None
    pget = patient.get
    sex, birth, age, pid, name = (pget("sex"), pget("birth_date"), pget("age"), pget("id"),
                                  pget("name"))
    if type(sex) is not str or len(sex) > MAX_TEXT:
        return None
    if birth is not None:
        birth = _DATE_CACHE.get(birth) if type(birth) is str else None
        if birth is None:
            birth = _fast_date(pget("birth_date"))
            if birth is None:
                return None
    if age is not None and (type(age) is not int or not -1000 < age < 1000):
        return None
    if (birth is None) is (age is None):  # neither, or both (the slow path compares them)
        return None
    if (pid is not None and type(pid) is not str) or (name is not None and type(name) is not str):
        return None
    texts: dict[str, Any] = {}
    for key in _FAST_TEXT_KEYS.intersection(data):
        v = data[key]
        if v is not None:
            if type(v) is not str or len(v) > MAX_TEXT:
                return None
            texts[key] = v
    conditions = get("condition_codes")
    if conditions is None:
        conditions = ()
    elif type(conditions) is not list or \
            not all(type(c) is str and len(c) <= MAX_TEXT for c in conditions):
        return None  # by type alone: "", pandas.NA or an array is the reader's to judge
    else:
        conditions = tuple(conditions)
    lines = []
    units_of = _UNITS.get
    numbered = True  # every line's number is its position (so none is given twice)
    for number, raw in enumerate(raw_lines, 1):
        if type(raw) is not dict or not _FAST_LINE_KEYS.issuperset(raw):
            return None
        rget = raw.get
        code, n, units, mods, ptrs, day, rev, line_id = (
            rget("procedure_code"), rget("line", number), rget("units"), rget("modifiers"),
            rget("diagnosis_pointers"), rget("date_of_service"), rget("revenue_code"),
            rget("line_id"))
        if type(code) is not str or type(n) is not int or not 0 < n < 10**9 or \
                len(code) > MAX_TEXT:
            return None
        if n != number:
            numbered = False
        if units is not None:
            units = units_of(units) if type(units) is int else None
            if units is None:
                return None
        # modifiers and pointers by type alone, never by truth value (pandas.NA, an
        # array: the reader says what they are)
        if type(mods) is list:
            if mods:
                for m in mods:
                    if type(m) is not str or len(m) > MAX_TEXT:
                        return None
                mods = tuple(mods)
            else:
                mods = ()
        elif mods is None:
            mods = ()
        else:
            return None
        if type(ptrs) is list:
            if ptrs:
                for q in ptrs:
                    if type(q) is not int or not -1000 < q < 1000:
                        return None
                ptrs = tuple(ptrs)
            else:
                ptrs = ()
        elif ptrs is None:
            ptrs = ()
        else:
            return None
        if day is not None:
            day = _fast_date(day)
            if day is None:
                return None
        if (rev is not None and type(rev) is not str) or \
                (line_id is not None and type(line_id) is not str):
            return None
        if line_id is not None:  # a line with its own id is never seen twice
            lines.append(_new_line(n, code, mods, units, ptrs, rev, day, line_id))
            continue
        line_key = (n, code, mods, units, ptrs, rev, day)
        line = _LINES.get(line_key)
        if line is None:
            line = _new_line(n, code, mods, units, ptrs, rev, day)
            if len(_LINES) >= 65536:
                _LINES.clear()
            _LINES[line_key] = line
        lines.append(line)
    if not numbered and len({ln.line for ln in lines}) != len(lines):
        return None  # a line number given twice: the reader says where
    return _new_claim(claim_type, (texts.pop("payer", "") or "").strip().lower() or "unknown",
                      _new_patient(sex.strip().upper(), birth, age, pid, name),
                      dos, tuple(raw_dx), tuple(lines), condition_codes=conditions, **texts)


# the fast path's constructors (see codekit._frozen: the same objects, made faster)
_new_claim, _new_patient, _new_line = maker(Claim), maker(Patient), maker(ServiceLine)


#: The keys the fast path reads (others go through the reader).
_FAST_TEXT_KEYS = frozenset({"claim_id", "payer", "filing_indicator", "billing_provider",
                             "rendering_provider", "place_of_service", "frequency_code",
                             "corrected_claim_id", "bill_type", "admitting_diagnosis",
                             "discharge_status"})
#: (``dme_supplier``, on a DMEPOS supplier's claims only, and ``asc_facility`` go through
#: the reader, as ``opps`` does: looking for it on every claim cost the fast path 240
#: instructions a claim, 0.4 %; the pandas and Spark doors leave a null cell out of the dict.)
_FAST_CLAIM_KEYS = frozenset({"claim_type", "date_of_service", "diagnoses", "patient",
                              "service_lines", "condition_codes", *_FAST_TEXT_KEYS})
_FAST_LINE_KEYS = frozenset({"line", "line_id", "procedure_code", "modifiers", "units",
                             "diagnosis_pointers", "revenue_code", "date_of_service"})


def claim_date(claim_type: str | None, period: tuple[dt.date, dt.date] | None,
               line_days: Sequence[dt.date | None]) -> dt.date | None:
    """The date a claim given without its own ``date_of_service`` is judged on: one rule
    for every front door (the claim dict and JSON, the pandas and Spark tables, the 837
    reader).

    - An institutional claim: the end of its statement period (the through date), as the
      837I reader takes it. An inpatient stay (type of bill 11x) is coded for its
      discharge (the "discharge and/or through date" of CMS MLN Matters SE1325 on claims
      that span a code-set change); an outpatient claim's diagnoses are judged on the
      through date, each line's procedure on its own date, and a diagnosis not valid on
      the period's first day is ``DX_SPANS_CODE_SET_CHANGE`` (SE1325: such claims are
      split). Without a period, the last line date when every line has one.
    - Any other claim: the earliest line date when every line has one (the 837P's claim
      date), else the statement period's end.

    None when neither is there. The line dates never move an institutional claim off its
    period: a stay of 2025-09-25 to 2025-10-02 whose room-and-board line is dated
    2025-09-25 is judged on 2025-10-02, when G35 is a header.

    >>> import datetime as dt
    >>> stay = (dt.date(2025, 9, 25), dt.date(2025, 10, 2))
    >>> claim_date("institutional", stay, [dt.date(2025, 9, 25)])
    datetime.date(2025, 10, 2)
    >>> claim_date("professional", None, [dt.date(2025, 10, 1), dt.date(2025, 9, 30)])
    datetime.date(2025, 9, 30)
    """
    dated = bool(line_days) and all(line_days)
    if claim_type == "institutional":
        if period is not None:
            return period[1]
        return max(line_days) if dated else None  # type: ignore[type-var]
    if dated:
        return min(line_days)  # type: ignore[type-var]
    return period[1] if period is not None else None


def line_out_of_range(number: int) -> str:
    """What is said of a line numbered below 1 or over 999999999."""
    return (f"must be from 1 to 999999999 (837 LX01 and FHIR item.sequence count from 1), "
            f"got {_short(number)}")


def line_repeated(number: int, first: int, given: bool = True) -> str:
    """What is said of a line whose number is also that of ``service_lines[first]``
    (``given``: the line says its number; else its position is its number)."""
    return ((f"is {number}," if given else
             f"is missing, so it is the line's position, {number},")
            + f" which is also the number of {_path_text(('service_lines', first))}: each "
            "line of a claim has a number of its own (837 LX01, FHIR item.sequence)")


def line_identity(data: object) -> tuple[tuple[str | None, ...], tuple[int, ...]]:
    """The ids and numbers of a claim dict's service lines, read as
    :meth:`Claim.from_dict` reads them (a number given badly, or not at all, is the line's
    position; an id that is not text or a whole number is None), whatever else is wrong
    with the claim: the report of a claim that cannot be read names its lines as a checked
    claim's would. ``((), ())`` when ``data`` has no list of lines.

    >>> line_identity({"service_lines": [{"line": 7, "line_id": "L-7", "units": "x"},
    ...                                  {"line": "two"}, "junk", {"line_id": 12}]})
    (('L-7', None, None, '12'), (7, 2, 3, 4))
    """
    raw_lines = data.get("service_lines") if isinstance(data, Mapping) else None
    if isinstance(raw_lines, str | bytes | Mapping) or not isinstance(raw_lines, Sequence):
        return (), ()
    reader = _Reader()  # its complaints are the claim's format errors, said elsewhere
    ids: list[str | None] = []
    numbers: list[int] = []
    for i, raw in enumerate(raw_lines):
        number = i + 1
        line_id = None
        if isinstance(raw, Mapping):
            given = _whole(raw.get("line", number))
            if type(given) is int and 0 < given < 10**9:
                number = given
            line_id = reader.text(raw.get("line_id"), ())
        ids.append(line_id)
        numbers.append(number)
    return tuple(ids), tuple(numbers)


def line_number_problems(lines: tuple[ServiceLine, ...]) -> list[tuple[Path, str]]:
    """The lines numbered below 1 (or over 999999999) or with another line's number, as
    :meth:`Claim.from_dict` says them of a claim dict: for a claim built by hand, which
    has no validators (findings and report rows name lines by their numbers)."""
    out: list[tuple[Path, str]] = []
    first: dict[int, int] = {}
    for i, ln in enumerate(lines):
        n = ln.line
        if type(n) is not int:
            continue  # ill-typed: the checker's shape check says it
        if not 0 < n < 10**9:
            out.append((("service_lines", i, "line"), line_out_of_range(n)))
        elif first.setdefault(n, i) != i:
            out.append((("service_lines", i, "line"), line_repeated(n, first[n])))
    return out


class _Reader:
    """Reads a claim dict, collecting every problem instead of stopping at the first."""

    __slots__ = ("numbers", "problems")

    def __init__(self) -> None:
        self.problems: list[tuple[Path, str]] = []
        #: Each line number read, and the index of the first line that has it.
        self.numbers: dict[int, int] = {}

    def fail(self, path: Path, msg: str) -> None:
        self.problems.append((path, msg))

    def text(self, value: Any, path: Path) -> str | None:
        """Optional text (None, missing or text; a whole number becomes its digits)."""
        if value is _MISSING or value is None:
            return None
        if type(value) is not str and isinstance(value, str):
            value = str.__str__(value)  # a str subclass (numpy.str_): the plain text of it
        if type(value) is str:
            if len(value) > MAX_TEXT:
                self.fail(path, f"is {len(value):,} characters long (at most {MAX_TEXT:,})")
                return None
            return value
        number = _integer(value)
        if number is not None and abs(number) < 10 ** 18:
            return str(number)  # 99213 sent as a number: keep it, the rules judge it
        self.fail(path, f"must be text, got {json_kind(value)}")
        return None

    def date(self, value: Any, path: Path) -> dt.date | None:
        if value is _MISSING or value is None:
            return None
        if type(value) is str:
            day = _DATE_CACHE.get(value)
            if day is not None:
                return day
        try:
            from ._dates import coerce_date

            day = coerce_date(value, "date")
        except Exception:  # InvalidArgument, or a hostile object's own exception
            day = None
        if day is None:
            self.fail(path, f"not a date (YYYY-MM-DD, or an ISO date-time): {shown(value)}")
            return None
        if type(value) is str:
            if len(_DATE_CACHE) >= 4096:
                _DATE_CACHE.clear()
            _DATE_CACHE[value] = day
        return day

    def strings(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is _MISSING or value is None:
            return ()
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            self.fail(path, f"must be a list, got {json_kind(value)}")
            return ()
        if all(type(v) is str and len(v) <= MAX_TEXT for v in value):
            return tuple(value)
        out = []
        for i, item in enumerate(value):
            s = self.text(item, (*path, i))
            if s is not None:
                out.append(s)
            elif item is None:
                self.fail((*path, i), "must be text, got null")
        return tuple(out)

    def claim(self, data: object) -> Claim:
        if not isinstance(data, Mapping):
            raise ClaimFormatError([((), f"a claim must be an object, got {json_kind(data)}")])
        get = data.get
        for key in data:
            if key not in CLAIM_KEYS:
                self.fail((str(key)[:80],),
                          f"{unknown_field(key, CLAIM_KEYS, 'claim')} (put your own under "
                          "'extra')")
        claim_type = self.text(get("claim_type", _MISSING), ("claim_type",))
        if claim_type is None:
            if "claim_type" not in data:
                self.fail(("claim_type",), "missing")
            elif get("claim_type") is None:
                self.fail(("claim_type",), "missing (null)")
        elif claim_type not in ("professional", "institutional"):
            self.fail(("claim_type",), "must be 'professional' or 'institutional', got "
                      f"{_short(get('claim_type'))}")  # as sent: 7, not '7'
        payer = self.text(get("payer"), ("payer",))
        text = {k: self.text(get(k), (k,)) for k in (
            "claim_id", "filing_indicator", "billing_provider", "rendering_provider",
            "place_of_service", "frequency_code", "corrected_claim_id", "bill_type",
            "admitting_diagnosis", "discharge_status")}
        if "provider" in data:  # the older spelling of billing_provider
            provider = self.text(get("provider"), ("provider",))
            if text["billing_provider"] is None:
                text["billing_provider"] = provider
            elif provider is not None and provider != text["billing_provider"]:
                self.fail(("provider",), f"is {_short(provider)} but billing_provider is "
                          f"{_short(text['billing_provider'])}: provider is the older name of "
                          "billing_provider; give one of them")
        conditions = self.strings(get("condition_codes"), ("condition_codes",))
        visit_reasons = self.strings(get("visit_reasons"), ("visit_reasons",))
        opps = get("opps")
        if opps is not None and type(opps) is not bool:
            self.fail(("opps",), f"must be true or false, got {_short(opps)}")
            opps = None
        supplier = get("dme_supplier")
        if supplier is not None and type(supplier) is not bool:
            self.fail(("dme_supplier",), f"must be true or false, got {_short(supplier)}")
            supplier = None
        elif supplier and claim_type == "institutional":
            self.fail(("dme_supplier",), "is true on an institutional claim: a DMEPOS "
                      "supplier bills the DME MAC on a professional claim (837P); give "
                      "claim_type 'professional', or leave dme_supplier out")
        asc = get("asc_facility")
        if asc is not None and type(asc) is not bool:
            self.fail(("asc_facility",), f"must be true or false, got {_short(asc)}")
            asc = None
        elif asc is not None and claim_type == "institutional" and \
                asc is not is_asc_bill(text["bill_type"]):
            # an institutional claim is an ASC's by its type of bill: said, it must agree
            bill = text["bill_type"]
            self.fail(("asc_facility",), (
                f"is true on an institutional claim of type of bill {_short(bill)}" if bill
                else "is true on an institutional claim without a type of bill") + (
                ": an ambulatory surgical center's institutional claim (837I, UB-04) is "
                "one of type of bill 83x (facility type 8, special facility; bill "
                "classification 3, ambulatory surgery center), and an ASC bills Medicare "
                "its facility fee on a professional claim (837P, place of service 24); give "
                "the type of bill 83x or claim_type 'professional', or leave asc_facility "
                "out") if asc else (
                f"is false on an institutional claim of type of bill {_short(bill)}, an "
                "ambulatory surgery center's (83x: facility type 8, special facility; bill "
                "classification 3, ambulatory surgery center): give the facility's type of "
                "bill, or leave asc_facility out"))
        elif asc and supplier:
            self.fail(("asc_facility",), "and dme_supplier are both true: a claim is an "
                      "ambulatory surgical center's facility claim or a DMEPOS supplier's, "
                      "not both; leave out the one that is not")
        total = self.amount(get("total_charge", _MISSING), ("total_charge",))
        raw_dos = get("date_of_service", _MISSING)
        dos = self.date(raw_dos, ("date_of_service",))
        period = self.period(get("statement_period"), ("statement_period",))
        admission = self.date(get("admission_date", _MISSING), ("admission_date",))
        occurrences, spans, values = self.nubc(data) if (
            "occurrence_codes" in data or "occurrence_spans" in data
            or "value_codes" in data) else ((), (), ())
        diagnoses, poa = self.diagnoses(get("diagnoses", _MISSING))
        procedures = self.procedures(get("procedures"))
        patient = self.patient(get("patient", _MISSING))
        raw_lines = get("service_lines", _MISSING)
        lines: list[ServiceLine] = []
        if raw_lines is not _MISSING and raw_lines is not None:
            if isinstance(raw_lines, str | bytes | Mapping) or \
                    not isinstance(raw_lines, Sequence):
                self.fail(("service_lines",), f"must be a list, got {json_kind(raw_lines)}")
            else:
                for i, raw in enumerate(raw_lines):
                    line = self.line(raw, i)
                    if line is not None:
                        lines.append(line)
        if dos is None and (raw_dos is _MISSING or raw_dos is None):
            # the date the 837 reader gives the claim (claim_date: an institutional
            # claim's through date, a professional claim's first line date); null is a
            # missing field, as for every optional key (JSON writers put null for None)
            dos = claim_date(claim_type, period, [ln.date_of_service for ln in lines])
            if dos is None:
                self.fail(("date_of_service",), ("missing (null)" if raw_dos is None else
                          "missing") + " (give it, or a date on every line)")
        extra: dict[str, Any] = {}
        raw_extra = get("extra")
        if raw_extra is not None:
            if isinstance(raw_extra, Mapping):
                extra.update(raw_extra)
            else:
                self.fail(("extra",), f"must be an object, got {json_kind(raw_extra)}")
        if "notes" in data:  # kept in extra; given in both places, neither is dropped
            if "notes" in extra and not _equal(extra["notes"], data["notes"]):
                self.fail(("notes",), "is given at the top level and as extra.notes, with "
                          "other values: give one of them")
            extra.setdefault("notes", data["notes"])
        through = period[1] if period is not None else dos  # the discharge
        if period is not None and dos is not None and dos != through and \
                claim_type == "institutional" and raw_dos is not _MISSING and \
                bill_class(text["bill_type"]) == "11":
            # the MCE, the POA list and the length of stay read the discharge: codes judged
            # on another date would be judged on two dates at once
            self.fail(("date_of_service",), f"{dos} is not the statement period's end "
                      f"({through}): an inpatient claim (type of bill 11x) is coded for its "
                      "discharge, the period's through date; give that date, or leave "
                      "date_of_service out")
        if admission is not None and through is not None and admission > through:
            self.fail(("admission_date",), f"{admission} is after the "
                      + ("statement period's end" if period is not None else "date of service")
                      + f" ({through}): a stay cannot end before it starts")
        if patient is not None and dos is not None and patient.birth_date is not None \
                and patient.age is not None:
            self.ages_agree(patient, dos, (admission, period[0] if period else None))
        if self.problems:
            raise ClaimFormatError(sorted(self.problems, key=lambda p: _path_text(p[0])))
        if claim_type is None or dos is None or patient is None:  # each failed above
            raise ClaimFormatError([((), "claim_type, date_of_service and patient are "
                                     "required")])
        return Claim(claim_type=claim_type, payer=(payer or "").strip().lower() or "unknown",
                     patient=patient, date_of_service=dos, diagnoses=diagnoses,
                     service_lines=tuple(lines), condition_codes=conditions,
                     total_charge=total, poa=poa, procedures=procedures,
                     visit_reasons=visit_reasons, statement_period=period,
                     admission_date=admission, opps=opps, dme_supplier=supplier,
                     asc_facility=asc, occurrence_codes=occurrences, occurrence_spans=spans,
                     value_codes=values, extra=extra, **text)

    def period(self, value: Any, path: Path) -> tuple[dt.date, dt.date] | None:
        if value is None:
            return None
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence) or \
                len(value) != 2:
            self.fail(path, "must be [from, through], two dates")
            return None
        for i in (0, 1):
            if value[i] is None:  # [from, null]: the period was dropped without a word
                self.fail((*path, i), "missing (null): the period needs both dates")
        a, b = self.date(value[0], (*path, 0)), self.date(value[1], (*path, 1))
        if a is None or b is None:
            return None
        if b < a:
            self.fail(path, f"runs backwards: {a} to {b}")
            return None
        return a, b

    def nubc(self, data: Mapping[str, Any]) -> tuple[tuple[Occurrence, ...],
                                                     tuple[OccurrenceSpan, ...],
                                                     tuple[ValueCode, ...]]:
        """The claim's occurrence codes, occurrence spans and value codes: lists of objects
        (``code`` and ``date``; ``code``, ``from`` and ``through``; ``code`` and
        ``amount``), each field required; a code is kept without the spaces around it."""
        out: dict[str, list[Any]] = {}
        fields = {"occurrence_codes": ("date",), "occurrence_spans": ("from", "through"),
                  "value_codes": ("amount",)}
        for name, keys in fields.items():
            found: list[Any] = []
            out[name] = found
            value = data.get(name)
            path: Path = (name,)
            if value is None:
                continue
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
                self.fail(path, f"must be a list, got {json_kind(value)}")
                continue
            for i, item in enumerate(value):
                at: Path = (*path, i)
                if not isinstance(item, Mapping):
                    self.fail(at, f"must be an object ({{'code': ..., "
                              f"{', '.join(repr(k) + ': ...' for k in keys)}}}), got "
                              f"{json_kind(item)}")
                    continue
                for key in item:
                    if key != "code" and key not in keys:
                        self.fail((*at, str(key)[:80]),
                                  unknown_field(key, ("code", *keys)))
                code = self.text(item.get("code", _MISSING), (*at, "code"))
                parts: list[Any] = []
                for key in keys:
                    raw = item.get(key, _MISSING)
                    part = self.amount(raw, (*at, key)) if key == "amount" else \
                        self.date(raw, (*at, key))
                    if raw is _MISSING or raw is None:
                        self.fail((*at, key), "missing")
                    parts.append(part)
                if code is None:
                    self.fail((*at, "code"), "missing")
                    continue
                if any(p is None for p in parts):
                    continue
                code = code.strip()
                if name == "occurrence_codes":
                    found.append(Occurrence(code, parts[0]))
                elif name == "value_codes":
                    found.append(ValueCode(code, parts[0]))
                elif parts[1] < parts[0]:
                    self.fail(at, f"runs backwards: {parts[0]} to {parts[1]}")
                else:
                    found.append(OccurrenceSpan(code, parts[0], parts[1]))
        return (tuple(out["occurrence_codes"]), tuple(out["occurrence_spans"]),
                tuple(out["value_codes"]))

    def diagnoses(self, value: Any) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
        path: Path = ("diagnoses",)
        if value is _MISSING:
            self.fail(path, "missing")
            return (), ()
        if value is None:
            return (), ()
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            self.fail(path, f"must be a list, got {json_kind(value)}")
            return (), ()
        if all(type(v) is str and len(v) <= MAX_TEXT for v in value):
            return tuple(value), ()
        codes: list[str] = []
        poa: list[str | None] = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                for key in item:
                    if key not in ("code", "poa"):
                        self.fail((*path, i, str(key)[:80]),
                                  unknown_field(key, ("code", "poa")))
                code = self.text(item.get("code", _MISSING), (*path, i, "code"))
                if code is None:
                    if item.get("code") is None:
                        self.fail((*path, i, "code"), "missing")
                    continue
                codes.append(code)
                # upper-cased, as the FHIR reader does: "y" is Y (the 837I reader, whose
                # HI0x-9 is a code list, calls a lower-case one invalid)
                value = self.text(item.get("poa"), (*path, i, "poa"))
                poa.append(value.upper() if value is not None else None)
            else:
                code = self.text(item, (*path, i))
                if code is None:
                    if item is None:
                        self.fail((*path, i), "must be text, got null")
                    continue
                codes.append(code)
                poa.append(None)
        return tuple(codes), (tuple(poa) if any(p is not None for p in poa) else ())

    def procedures(self, value: Any) -> tuple[Procedure, ...]:
        path: Path = ("procedures",)
        if value is None:
            return ()
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            self.fail(path, f"must be a list, got {json_kind(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                for key in item:
                    if key not in ("code", "date"):
                        self.fail((*path, i, str(key)[:80]),
                                  unknown_field(key, ("code", "date")))
                code = self.text(item.get("code", _MISSING), (*path, i, "code"))
                day = self.date(item.get("date"), (*path, i, "date"))
                if code is None:
                    self.fail((*path, i, "code"), "missing")
                    continue
                out.append(Procedure(code, day))
            else:
                code = self.text(item, (*path, i))
                if code is None:
                    if item is None:
                        self.fail((*path, i), "must be text, got null")
                    continue
                out.append(Procedure(code))
        return tuple(out)

    def patient(self, value: Any) -> Patient | None:
        path: Path = ("patient",)
        if value is _MISSING:
            self.fail(path, "missing")
            return None
        if not isinstance(value, Mapping):
            self.fail(path, f"must be an object, got {json_kind(value)}")
            return None
        for key in value:
            if key not in PATIENT_KEYS:
                self.fail((*path, str(key)[:80]), unknown_field(key, PATIENT_KEYS, "patient"))
        sex = self.text(value.get("sex", _MISSING), (*path, "sex"))
        if sex is None and value.get("sex") is None:
            self.fail((*path, "sex"), "missing")
        birth = self.date(value.get("birth_date", _MISSING), (*path, "birth_date"))
        age_raw = value.get("age")
        age = None
        if age_raw is not None:
            age_raw = _whole(age_raw)
            if isinstance(age_raw, bool) or not isinstance(age_raw, int):
                self.fail((*path, "age"), f"must be a whole number, got {_short(age_raw)}")
            elif not -1000 < age_raw < 1000:
                self.fail((*path, "age"), f"is out of any range, got {_short(age_raw)}")
            else:
                age = age_raw
        if value.get("birth_date") is None and age_raw is None:
            self.fail(path, "needs birth_date or age")
        return Patient(sex=(sex or "").strip().upper(), birth_date=birth, age=age,
                       id=self.text(value.get("id"), (*path, "id")),
                       name=self.text(value.get("name"), (*path, "name")))

    def ages_agree(self, patient: Patient, dos: dt.date,
                   others: tuple[dt.date | None, ...]) -> None:
        """Both ``age`` and ``birth_date``: the age must be the birth date's on the date of
        service, the admission or the start of the statement period (an inpatient age is
        often the age at admission); otherwise the claim contradicts itself (birth_date
        would win silently: age 70 and born 2020 was judged as a child)."""
        ages = {patient.age_on(d) for d in (dos, *others) if d is not None}
        if patient.age not in ages:
            self.fail(("patient", "age"), f"is {patient.age} but birth_date "
                      f"{patient.birth_date} makes the patient {patient.age_on(dos)} on "
                      f"{dos}: give one of them, or make them agree")

    def line(self, raw: Any, i: int) -> ServiceLine | None:
        path: Path = ("service_lines", i)
        if not isinstance(raw, Mapping):
            self.fail(path, f"must be an object, got {json_kind(raw)}")
            return None
        for key in raw:
            if key not in LINE_KEYS:
                self.fail((*path, str(key)[:80]), unknown_field(key, LINE_KEYS, "line"))
        given = raw.get("line", _MISSING)
        number = i + 1 if given is _MISSING else _whole(given)
        if isinstance(number, bool) or not isinstance(number, int):
            self.fail((*path, "line"), f"must be a whole number, got {_short(number)}")
            number = i + 1
        elif not 0 < number < 10**9:
            self.fail((*path, "line"), line_out_of_range(number))
            number = i + 1
        else:
            first = self.numbers.setdefault(number, i)
            if first != i:
                self.fail((*path, "line"), line_repeated(number, first,
                                                         given is not _MISSING))
        code = self.text(raw.get("procedure_code", _MISSING), (*path, "procedure_code"))
        if code is None and raw.get("procedure_code") is None:
            revenue = raw.get("revenue_code")
            if type(revenue) is str and revenue.strip():
                code = ""  # a revenue-code-only line of an 837I (room and board, 0120)
            else:
                self.fail((*path, "procedure_code"), "missing (give it, or a revenue_code "
                          "for a line that has none)")
        mods = raw.get("modifiers")
        modifiers = self.strings(mods, (*path, "modifiers")) if _given(mods) else ()
        units = self.units(raw.get("units", _MISSING), (*path, "units"))
        pointers = self.pointers(raw.get("diagnosis_pointers"), (*path, "diagnosis_pointers"))
        day = self.date(raw.get("date_of_service", _MISSING), (*path, "date_of_service"))
        charge = self.amount(raw.get("charge", _MISSING), (*path, "charge"))
        if code is None:
            return None
        return ServiceLine(
            line=number, procedure_code=code, modifiers=modifiers, units=units,
            diagnosis_pointers=pointers,
            revenue_code=self.text(raw.get("revenue_code"), (*path, "revenue_code")),
            date_of_service=day, line_id=self.text(raw.get("line_id"), (*path, "line_id")),
            place_of_service=self.text(raw.get("place_of_service"),
                                       (*path, "place_of_service")),
            charge=charge, ndc=self.text(raw.get("ndc"), (*path, "ndc")),
            rendering_provider=self.text(raw.get("rendering_provider"),
                                         (*path, "rendering_provider")))

    def number(self, value: Any, path: Path) -> Decimal | None:
        if value is _MISSING or value is None:
            return None
        if type(value) is int and -10**9 < value < 10**12:
            return Decimal(value)
        if isinstance(value, bool):
            self.fail(path, f"must be a number, got {value!r}")
            return None
        try:
            if isinstance(value, numbers.Number):
                d = Decimal(str(value))
            elif isinstance(value, str) and len(value) <= 40:
                text = value.strip()
                d = Decimal(text)
                if DECIMAL_TEXT.fullmatch(text) is None:
                    # Decimal also reads "1e3", "1_0", "١" (an Arabic-Indic 1), "NaN":
                    # text no sender means as a quantity, and not the schema's
                    self.fail(path, "must be a number, or its plain decimal text (ASCII "
                              f"digits, a sign, a point: 2, 2.5), got {_short(value)}")
                    return None
            else:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.fail(path, f"must be a number, got {_short(value)}")
            return None
        if not d.is_finite():
            self.fail(path, f"must be a finite number, got {_short(value)}")
            return None
        if d.adjusted() > 11:
            self.fail(path, f"is too large, got {_short(value)}")
            return None
        return d

    def units(self, value: Any, path: Path) -> Decimal | None:
        # missing, zero or negative units: the UNITS_INVALID edit reports them (spec D3),
        # as it does for the same line read from an 837 or a FHIR Claim
        d = self.number(value, path)
        if d is not None and d.adjusted() > 9:  # above a billion units: not a quantity
            self.fail(path, f"is too large, got {_short(value)}")
            return None
        return d

    def amount(self, value: Any, path: Path) -> Decimal | None:
        return self.number(value, path)

    def pointers(self, value: Any, path: Path) -> tuple[int, ...]:
        if value is None:
            return ()
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            self.fail(path, f"must be a list of numbers, got {json_kind(value)}")
            return ()
        out = []
        for i, p in enumerate(value):
            if type(p) is not int:
                p = _whole(p)
            if type(p) is int and -1000 < p < 1000:
                out.append(p)
                continue
            text = p.strip().upper() if isinstance(p, str) and len(p) < 10 else ""
            if text.isascii() and text.isdigit():
                out.append(int(text))
            elif len(text) == 1 and "A" <= text <= "L":  # CMS-1500 item 24E letters
                out.append(ord(text) - 64)
            elif type(p) is int:
                self.fail((*path, i), f"is out of any range, got {_short(p)}")
            else:
                self.fail((*path, i), f"must be a whole number (or A-L), got {_short(p)}")
        return tuple(out)


def _short(value: object) -> str:
    return shown(value, 60)


def _equal(a: object, b: object) -> bool:
    """``a == b`` for two values of a caller's claim; False where the comparison has no
    truth value (``pandas.NA``, NumPy arrays) rather than raise."""
    try:
        return a is b or bool(a == b)
    except (TypeError, ValueError):
        return False


def _given(value: object) -> bool:
    """Whether an optional list field holds something to read: not None, and not empty
    (``[]``, ``""``, ``0``, ``False`` are read as none given). A value with no truth value
    (``pandas.NA``, a NumPy array of several items) is given, and the reader says what it
    is, rather than raise from inside it.

    >>> class Ambiguous:  # as numpy.ndarray and pandas.NA are
    ...     def __bool__(self) -> bool:
    ...         raise ValueError("the truth value is ambiguous")
    >>> _given(None), _given([]), _given(""), _given(["25"]), _given(Ambiguous())
    (False, False, False, True, True)
    """
    try:
        return bool(value)
    except (TypeError, ValueError):  # pandas.NA, numpy.ndarray: "ambiguous"
        return True


def _whole(value: Any) -> Any:
    """A number with no fraction as the int it is (``30.0``: a column of whole numbers
    with gaps, as pandas and Spark write it to JSON; ``numpy.int64(2)``, ``numpy.float64``:
    a value taken from a NumPy or pandas array); anything else unchanged.

    >>> _whole(30.0), _whole(Decimal("2.00")), _whole(2.5), _whole(True), _whole("3")
    (30, 2, 2.5, True, '3')
    """
    kind = type(value)
    if kind is int or kind is bool:
        return value
    if isinstance(value, float):  # numpy.float64 is a float
        value = float(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        return value
    number = _integer(value)
    return value if number is None else number


def _integer(value: Any) -> int | None:
    """An integer as an int: ``int`` itself, and every other integer type
    (``numbers.Integral``: ``numpy.int64``, from a NumPy or pandas array); None for
    anything else, booleans included.

    >>> _integer(7), _integer(True), _integer(7.0), _integer("7")
    (7, None, None, None)
    """
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return None
    try:
        return operator.index(value)
    except Exception:  # a hostile __index__: said as what the value is
        return None


#: The revenue code of the UB-04's total line (FL 42 line 23, NUBC: total charge), whose
#: charge is the claim's total (FL 47), not a service's.
TOTAL_REVENUE = "0001"


def is_total_line(line: ServiceLine) -> bool:
    """Whether ``line`` is the UB-04's total line (revenue code 0001, also written ``1``
    or ``001``), which a claim read from a UB-04 may carry beside its service lines: no
    service, so the line edits pass it over (its units, its HCPCS code, its date: FL 45
    of line 23 holds the bill's creation date).

    >>> from codekit.claims import ServiceLine
    >>> [is_total_line(ServiceLine(1, "", revenue_code=rev)) for rev in ("0001", "001", "0450")]
    [True, True, False]
    """
    rev = line.revenue_code
    return rev is not None and rev.strip().zfill(4) == TOTAL_REVENUE
