"""Claims as plain immutable values: :class:`Claim`, :class:`Patient`, :class:`ServiceLine`.

A claim is built from a dict (or JSON) in the shape of an 837P/837I summary::

    {"claim_type": "professional" | "institutional",
     "payer": "medicare" | "commercial" | <any payer id>,
     "bill_type": "111",                 # institutional only, optional
     "condition_codes": ["45"],          # institutional only, optional
     "patient": {"sex": "M"|"F"|"U", "birth_date": "YYYY-MM-DD"}  # or "age": int
     "date_of_service": "YYYY-MM-DD",
     "diagnoses": ["E11.9", "I10"],      # ordered; position 1 = principal / first-listed
     "service_lines": [{"line": 1, "procedure_code": "99213", "modifiers": ["25"],
                        "units": 1, "diagnosis_pointers": [1, 2],
                        "revenue_code": "0450",          # institutional, optional
                        "date_of_service": "YYYY-MM-DD"}]}  # optional per line

:meth:`Claim.from_dict` checks the *shape* (keys, types, dates): every problem is listed,
with its path, in one :class:`ClaimFormatError`, and no claim is half-built. Values that
are well-typed but wrong for billing (sex "X", zero units, pointer 13, an unknown code)
make a claim all the same: they are the rules engine's findings, not format errors.

>>> claim = Claim.from_dict({
...     "claim_type": "professional", "payer": "medicare",
...     "patient": {"sex": "F", "birth_date": "1956-03-02"},
...     "date_of_service": "2025-11-03", "diagnoses": ["E11.9", "I10"],
...     "service_lines": [{"procedure_code": "99213", "units": 1,
...                        "diagnosis_pointers": [1, 2]}]})
>>> claim.patient.age_on(claim.date_of_service), claim.service_lines[0].line
(69, 1)
>>> Claim.from_dict({"claim_type": "dental", "date_of_service": "2025-13-01"})
Traceback (most recent call last):
...
codekit.errors.ClaimFormatError: 5 problems in the claim:
  claim_type: must be 'professional' or 'institutional', got 'dental'
  date_of_service: not a date (YYYY-MM-DD): '2025-13-01'
  diagnoses: missing
  patient: missing
  service_lines: missing
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .errors import ClaimFormatError
from .errors import format_path as _path_text

__all__ = ["Claim", "ClaimFormatError", "Patient", "ServiceLine"]

Path = tuple[str | int, ...]


@attrs.frozen
class Patient:
    """Sex (``"M"``, ``"F"``, ``"U"``, or whatever was sent) and birth date or age."""

    sex: str
    birth_date: dt.date | None = None
    age: int | None = None

    def age_on(self, day: dt.date) -> int | None:
        """Age in completed years on ``day`` (the given age when no birth date is known)."""
        if self.birth_date is None:
            return self.age
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


@attrs.frozen
class ServiceLine:
    """One service line: procedure code, up to four modifiers, units and pointers."""

    line: int
    procedure_code: str
    modifiers: tuple[str, ...] = ()
    units: Decimal | None = Decimal(1)
    diagnosis_pointers: tuple[int, ...] = ()
    revenue_code: str | None = None
    date_of_service: dt.date | None = None


@attrs.frozen
class Claim:
    """A claim: who, when, the diagnoses in order, the service lines."""

    claim_type: str
    payer: str
    patient: Patient
    date_of_service: dt.date
    diagnoses: tuple[str, ...]
    service_lines: tuple[ServiceLine, ...]
    bill_type: str | None = None
    condition_codes: tuple[str, ...] = ()

    @property
    def is_institutional(self) -> bool:
        return self.claim_type == "institutional"

    @property
    def is_inpatient(self) -> bool:
        """An institutional claim with a type of bill 11x (hospital inpatient)."""
        return self.is_institutional and (self.bill_type or "").lstrip("0").startswith("11")

    def line_date(self, line: ServiceLine) -> dt.date:
        return line.date_of_service or self.date_of_service

    @classmethod
    def from_dict(cls, data: object) -> Claim:
        """Build a claim; raises one :class:`ClaimFormatError` listing every problem."""
        return _Reader().claim(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Claim:
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as e:
            raise ClaimFormatError([((), f"not JSON: {e}")]) from e
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The claim in the shape :meth:`from_dict` reads."""
        p: dict[str, Any] = {"sex": self.patient.sex}
        if self.patient.birth_date is not None:
            p["birth_date"] = self.patient.birth_date.isoformat()
        if self.patient.age is not None:
            p["age"] = self.patient.age
        d: dict[str, Any] = {
            "claim_type": self.claim_type, "payer": self.payer, "patient": p,
            "date_of_service": self.date_of_service.isoformat(),
            "diagnoses": list(self.diagnoses),
            "service_lines": [_line_dict(line) for line in self.service_lines],
        }
        if self.bill_type is not None:
            d["bill_type"] = self.bill_type
        if self.condition_codes:
            d["condition_codes"] = list(self.condition_codes)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


def _line_dict(line: ServiceLine) -> dict[str, Any]:
    d: dict[str, Any] = {"line": line.line, "procedure_code": line.procedure_code,
                         "modifiers": list(line.modifiers),
                         "units": None if line.units is None else _num(line.units),
                         "diagnosis_pointers": list(line.diagnosis_pointers)}
    if line.revenue_code is not None:
        d["revenue_code"] = line.revenue_code
    if line.date_of_service is not None:
        d["date_of_service"] = line.date_of_service.isoformat()
    return d


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


_MISSING = object()


class _Reader:
    """Reads a claim dict, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[Path, str]] = []

    def fail(self, path: Path, msg: str) -> None:
        self.problems.append((path, msg))

    def get(self, d: Mapping[str, Any], key: str, path: Path, required: bool = True) -> Any:
        value = d.get(key, _MISSING)
        if value is _MISSING and required:
            self.fail((*path, key), "missing")
        return value

    def string(self, value: Any, path: Path, *, allow_none: bool = False) -> str | None:
        if value is _MISSING or (value is None and allow_none):
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"must be text, got {type(value).__name__}")
            return None
        return str(value)  # 99213 sent as a number: keep it, the rules judge it

    def date(self, value: Any, path: Path) -> dt.date | None:
        if value is _MISSING or value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(path, f"not a date (YYYY-MM-DD): {value!r}")
        return None

    def strings(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is _MISSING or value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, Sequence):
            self.fail(path, f"must be a list, got {type(value).__name__}")
            return ()
        out = []
        for i, item in enumerate(value):
            s = self.string(item, (*path, i))
            if s is not None:
                out.append(s)
        return tuple(out)

    def claim(self, data: object) -> Claim:
        if not isinstance(data, Mapping):
            raise ClaimFormatError([((), f"a claim must be an object, got {type(data).__name__}")])
        claim_type = self.string(self.get(data, "claim_type", ()), ("claim_type",))
        if claim_type is not None and claim_type not in ("professional", "institutional"):
            self.fail(("claim_type",), "must be 'professional' or 'institutional', got "
                      f"{claim_type!r}")
        payer = self.string(self.get(data, "payer", (), required=False), ("payer",),
                            allow_none=True)
        bill_type = self.string(self.get(data, "bill_type", (), required=False),
                                ("bill_type",), allow_none=True)
        conditions = self.strings(data.get("condition_codes"), ("condition_codes",))
        dos = self.date(self.get(data, "date_of_service", ()), ("date_of_service",))
        raw_dx = self.get(data, "diagnoses", ())
        diagnoses = self.strings(raw_dx, ("diagnoses",)) if raw_dx is not _MISSING else ()
        patient = self.patient(self.get(data, "patient", ()))
        raw_lines = self.get(data, "service_lines", ())
        lines: list[ServiceLine] = []
        if raw_lines is not _MISSING:
            if isinstance(raw_lines, str) or not isinstance(raw_lines, Sequence):
                self.fail(("service_lines",), f"must be a list, got {type(raw_lines).__name__}")
            else:
                for i, raw in enumerate(raw_lines):
                    line = self.line(raw, i)
                    if line is not None:
                        lines.append(line)
        known = {"claim_type", "payer", "bill_type", "condition_codes", "date_of_service",
                 "diagnoses", "patient", "service_lines", "claim_id", "provider", "notes"}
        for key in data:
            if key not in known:
                self.fail((str(key),), "unknown field")
        if self.problems:
            raise ClaimFormatError(sorted(self.problems, key=lambda p: _path_text(p[0])))
        assert claim_type is not None and dos is not None and patient is not None
        return Claim(claim_type=claim_type, payer=(payer or "").strip().lower() or "unknown",
                     patient=patient, date_of_service=dos, diagnoses=diagnoses,
                     service_lines=tuple(lines), bill_type=bill_type,
                     condition_codes=conditions)

    def patient(self, value: Any) -> Patient | None:
        if value is _MISSING:
            return None
        if not isinstance(value, Mapping):
            self.fail(("patient",), f"must be an object, got {type(value).__name__}")
            return None
        path: Path = ("patient",)
        sex = self.string(self.get(value, "sex", path), (*path, "sex"))
        birth = self.date(value.get("birth_date", _MISSING), (*path, "birth_date"))
        age_raw = value.get("age", _MISSING)
        age = None
        if age_raw is not _MISSING and age_raw is not None:
            if isinstance(age_raw, bool) or not isinstance(age_raw, int):
                self.fail((*path, "age"), f"must be a whole number, got {age_raw!r}")
            else:
                age = age_raw
        if "birth_date" not in value and "age" not in value:
            self.fail(path, "needs birth_date or age")
        for key in value:
            if key not in ("sex", "birth_date", "age", "id", "name"):
                self.fail((*path, str(key)), "unknown field")
        return Patient(sex=(sex or "").strip().upper(), birth_date=birth, age=age)

    def line(self, raw: Any, i: int) -> ServiceLine | None:
        path: Path = ("service_lines", i)
        if not isinstance(raw, Mapping):
            self.fail(path, f"must be an object, got {type(raw).__name__}")
            return None
        number = raw.get("line", i + 1)
        if isinstance(number, bool) or not isinstance(number, int):
            self.fail((*path, "line"), f"must be a whole number, got {number!r}")
            number = i + 1
        code = self.string(self.get(raw, "procedure_code", path), (*path, "procedure_code"))
        modifiers = self.strings(raw.get("modifiers"), (*path, "modifiers"))
        units = self.units(raw.get("units", _MISSING), (*path, "units"))
        pointers = self.pointers(raw.get("diagnosis_pointers"), (*path, "diagnosis_pointers"))
        revenue = self.string(raw.get("revenue_code", _MISSING), (*path, "revenue_code"),
                              allow_none=True)
        day = self.date(raw.get("date_of_service", _MISSING), (*path, "date_of_service"))
        for key in raw:
            if key not in ("line", "procedure_code", "modifiers", "units",
                           "diagnosis_pointers", "revenue_code", "date_of_service", "charge",
                           "place_of_service", "ndc"):
                self.fail((*path, str(key)), "unknown field")
        if code is None:
            return None
        return ServiceLine(line=number, procedure_code=code, modifiers=modifiers, units=units,
                           diagnosis_pointers=pointers, revenue_code=revenue,
                           date_of_service=day)

    def units(self, value: Any, path: Path) -> Decimal | None:
        if value is _MISSING or value is None:
            return None  # missing units: the UNITS_INVALID edit reports it
        if isinstance(value, bool):
            self.fail(path, f"must be a number, got {value!r}")
            return None
        try:
            if isinstance(value, numbers.Number):
                d = Decimal(str(value))
            elif isinstance(value, str):
                d = Decimal(value.strip())
            else:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.fail(path, f"must be a number, got {value!r}")
            return None
        if not d.is_finite():
            self.fail(path, f"must be a finite number, got {value!r}")
            return None
        if d.adjusted() > 9:  # above a billion units: not a quantity anyone bills
            self.fail(path, f"is too large, got {value!r}")
            return None
        if d < 0:
            self.fail(path, f"must not be negative, got {value!r}")
            return None
        return d

    def pointers(self, value: Any, path: Path) -> tuple[int, ...]:
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, Sequence):
            self.fail(path, f"must be a list of numbers, got {type(value).__name__}")
            return ()
        out = []
        for i, p in enumerate(value):
            if isinstance(p, bool) or not isinstance(p, int):
                text = p.strip().upper() if isinstance(p, str) else ""
                if text.isascii() and text.isdigit():
                    out.append(int(text))
                elif len(text) == 1 and "A" <= text <= "L":  # CMS-1500 item 24E letters
                    out.append(ord(text) - 64)
                else:
                    self.fail((*path, i), f"must be a whole number (or A-L), got {p!r}")
            else:
                out.append(p)
        return tuple(out)
