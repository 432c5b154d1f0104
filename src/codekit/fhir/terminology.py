"""Terminology operations shaped like FHIR ``CodeSystem/$validate-code`` and
``CodeSystem/$lookup``: a system URI, a code (and a display), a date -> a ``Parameters``
resource, answered from codekit's code systems (``codekit.codesystem.get(name)``).

The systems are the rows of :data:`codekit.fhir._systems.SYSTEMS` that name a codekit code
system: ICD-10-CM (``http://hl7.org/fhir/sid/icd-10-cm``), CPT
(``http://www.ama-assn.org/go/cpt``), HCPCS Level II
(``https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets`` and its ``http://``
spelling), the modifiers (a two-character code under the CPT or HCPCS URI, or
``urn:codekit:fhir:CodeSystem:modifiers``), and ICD-10-PCS (``http://www.cms.gov/
Medicare/Coding/ICD10``). Adding a system is one row.

>>> from codekit.fhir import terminology
>>> p = terminology.validate_code("http://hl7.org/fhir/sid/icd-10-cm", "E11.99",
...                               date="2025-11-03")
>>> terminology.value(p, "result"), terminology.values(p, "suggestion")[0]["code"]
(False, 'E11.9')
>>> p = terminology.lookup("http://hl7.org/fhir/sid/icd-10-cm", "e1165", date="2025-11-03")
>>> terminology.value(p, "display"), terminology.value(p, "version")
('Type 2 diabetes mellitus with hyperglycemia', 'FY2026')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import codesystem
from .._dates import coerce_date
from .._show import json_kind, shown
from ..errors import InvalidArgument, ValidationError
from ..rules.code_text import ascii_reading, characters
from . import _systems as S

__all__ = ["INPUTS", "UNANSWERED", "ambiguous", "lookup", "parameters", "supported_systems",
           "validate_code", "value", "values"]


def supported_systems() -> dict[str, str]:
    """URI -> codekit code system, for every URI the operations answer for."""
    return {uri: row.codekit for uri, row in S.SYSTEMS.items()
            if row.codekit is not None and row.codekit in codesystem.SYSTEMS}


def _system(uri: object, code: object) -> tuple[str, S.System]:
    """(codekit code-system name, row) for a system URI and a code; raises
    :class:`~codekit.InvalidArgument` for a system codekit does not answer for."""
    if not isinstance(uri, str) or not uri:
        raise InvalidArgument("system: missing (the code system's URI, e.g. "
                              f"{S.ICD10CM})")
    row = S.of(uri)
    if row is None and "|" in uri:  # canonical|version
        base, _, version = uri.partition("|")
        if S.of(base) is not None:
            raise InvalidArgument(f"system={uri[:200]!r}: version {version[:40]!r}: "
                                  f"{UNANSWERED['version']}")
    if row is None or row.codekit is None:
        known = ", ".join(sorted(supported_systems()))
        raise InvalidArgument(f"system={uri[:200]!r}: codekit does not answer for this code "
                              f"system ({S.label(uri)}); it knows {known}")
    name = row.codekit
    if row.kind == "proc" and isinstance(code, str) and len(code.strip()) == 2:
        name = "modifiers"  # CPT and HCPCS modifiers live in their code systems
    if name not in codesystem.SYSTEMS:
        raise InvalidArgument(f"system={uri!r}: {row.label} is not available in this version "
                              "of codekit")
    return name, row


def _day(date: object) -> dt.date:
    return coerce_date(date, "date")


def _code(code: object) -> str:
    if not isinstance(code, str) or not code.strip():
        raise InvalidArgument("code: missing (the code to check)")
    if len(code) > 64:
        raise InvalidArgument(f"code: {len(code):,} characters is not a code")
    return code


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def validate_code(system: str, code: str, *, display: str | None = None,
                  date: object = None) -> dict[str, Any]:
    """``$validate-code``: may ``code`` of ``system`` be reported on ``date`` (None:
    today)? A ``Parameters`` resource with ``result``, ``message`` (why not, or a note),
    ``display`` (the code's title where codekit has one), ``code`` and ``system`` as
    checked, ``version`` (the release that answered), ``reason`` (the codekit error code,
    e.g. ``DX_NOT_VALID_ON_DOS``) and one ``suggestion`` Coding per did-you-mean, best
    first. A ``display`` that is not the code's title makes ``result`` false.

    Raises :class:`~codekit.InvalidArgument` for a system codekit does not answer for, a
    missing code or a bad date."""
    code = _code(code)
    name, row = _system(system, code)
    day = _day(date)
    cs = codesystem.get(name)
    out: list[dict[str, Any]] = []
    try:
        entry = cs.validate(code, on=day)
    except ValidationError as e:
        out += [{"name": "result", "valueBoolean": False},
                {"name": "message", "valueString": str(e)},
                {"name": "reason", "valueCode": e.code}]
        title = _title(cs, code, day)
        if title:
            out.append({"name": "display", "valueString": title})
        out += [{"name": "code", "valueCode": code}, {"name": "system", "valueUri": system}]
        for fix in e.fix:
            coding: dict[str, Any] = {"system": system, "code": fix}
            fix_title = _title(cs, fix, day)
            if fix_title:
                coding["display"] = fix_title
            out.append({"name": "suggestion", "valueCoding": coding})
        return {"resourceType": "Parameters", "parameter": out}
    result = True
    notes = []
    reading = ascii_reading(code)
    if reading is not None:  # CODE_NOT_ASCII's hint: readable, but no 837 carries it
        notes.append(f"the code {shown(code)} holds {characters(code)}: codekit read it as "
                     f"{entry.formatted}; send {entry.formatted} (an 837 carries codes in "
                     "ASCII only, and a payer's translator rejects other characters)")
    title = entry.title
    if display is not None:
        if not title:
            notes.append(f"display not checked: codekit has no title for {entry.formatted} "
                         f"({row.label} descriptors are licensed; load yours)")
        elif not _same(display, title) and not _same(display, getattr(entry, "short_title", "")
                                                     or ""):
            result = False
            notes.append(f"the display {shown(display, 60)} is not {entry.formatted}'s: "
                         f"{title!r}")
    if entry.note:
        notes.append(entry.note)
    out.append({"name": "result", "valueBoolean": result})
    if notes:
        out.append({"name": "message", "valueString": "; ".join(notes)})
    if title:
        out.append({"name": "display", "valueString": title})
    out += [{"name": "code", "valueCode": entry.formatted},
            {"name": "system", "valueUri": system}]
    if entry.release:
        out.append({"name": "version", "valueString": entry.release})
    return {"resourceType": "Parameters", "parameter": out}


def _title(cs: Any, code: str, day: dt.date) -> str | None:
    try:
        title = cs.lookup(code, on=day).title
    except ValidationError:
        return None
    return title if isinstance(title, str) else None


def lookup(system: str, code: str, *, date: object = None) -> dict[str, Any]:
    """``$lookup``: what ``code`` of ``system`` is, on ``date`` (None: today), valid then or
    not. A ``Parameters`` resource with ``name`` (the system), ``version`` (the release),
    ``display`` (the title where codekit has one) and ``property`` parts: ``status``
    (``active`` on the date, else ``inactive``), ``effective`` (each validity range,
    ``start/end``), and for ICD-10-CM ``billable`` and ``parent``.

    Raises the code system's :class:`~codekit.ValidationError` (its ``fix`` the
    did-you-mean) for a code in no release, and :class:`~codekit.InvalidArgument` as
    :func:`validate_code` does."""
    code = _code(code)
    name, row = _system(system, code)
    day = _day(date)
    entry = codesystem.get(name).lookup(code, on=day)
    out: list[dict[str, Any]] = [{"name": "name", "valueString": row.label}]
    if entry.release:
        out.append({"name": "version", "valueString": entry.release})
    if entry.title:
        out.append({"name": "display", "valueString": entry.title})
    out.append(_prop("code", valueCode=entry.formatted))
    out.append(_prop("status", valueCode="active" if entry.valid else "inactive"))
    for start, end in entry.valid_ranges:
        out.append(_prop("effective", valueString=f"{start.isoformat()}/"
                                                  f"{end.isoformat() if end else ''}"))
    billable = getattr(entry, "billable", None)
    if isinstance(billable, bool):
        out.append(_prop("billable", valueBoolean=billable))
    parent = getattr(entry, "parent", None)
    parent_code = getattr(parent, "formatted", None)
    if isinstance(parent_code, str):
        out.append(_prop("parent", valueCode=parent_code))
    if entry.note:
        out.append(_prop("note", valueString=entry.note))
    return {"resourceType": "Parameters", "parameter": out}


def _prop(code: str, **value: Any) -> dict[str, Any]:
    return {"name": "property", "part": [{"name": "code", "valueCode": code},
                                         {"name": "value", **value}]}


def parameters(resource: object) -> dict[str, Any]:
    """The inputs of a ``Parameters`` resource (POSTed to an operation) as keywords:
    ``url``/``system``, ``code``, ``display``, ``date`` (a ``coding`` part is unpacked).
    Raises :class:`~codekit.InvalidArgument` for anything else."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Parameters":
        raise InvalidArgument("expected a Parameters resource")
    out: dict[str, Any] = {}
    params = resource.get("parameter")
    if not isinstance(params, list):
        raise InvalidArgument("Parameters.parameter: expected an array")
    problem = ambiguous([(p["name"], v) for p in params if isinstance(p, dict)
                         and p.get("name") in INPUTS for k, v in p.items()
                         if k.startswith("value")])
    if problem:
        raise InvalidArgument(problem)
    coding: dict[str, Any] = {}
    for p in params:
        if not isinstance(p, dict) or not isinstance(p.get("name"), str):
            continue
        name = p["name"]
        vals = [v for k, v in p.items() if k.startswith("value")]
        v = vals[0] if vals else None
        if name == "coding" and isinstance(v, dict):
            coding = {k: v[k] for k in ("system", "code", "display") if isinstance(v.get(k), str)}
        elif name in ("url", "system", "code", "display", "date"):
            if not isinstance(v, str):
                raise InvalidArgument(f"{name}: expected text, got "
                                      f"{json_kind(v) if vals else 'no value'}")
            out["system" if name == "url" else name] = v
        elif name in UNANSWERED:
            raise InvalidArgument(f"{name}: {UNANSWERED[name]}")
    for key, v in coding.items():  # a coding and the plain parameters must agree
        if out.setdefault(key, v) != v:
            raise InvalidArgument(f"coding.{key} {v!r} and {key} {out[key]!r} disagree: give "
                                  "the code once (a coding, or system and code)")
    return out


#: The parameters $validate-code and $lookup read (from a query or a Parameters resource).
INPUTS = ("url", "system", "code", "display", "date", "coding")


def ambiguous(given: list[tuple[str, Any]]) -> str | None:
    """Why the inputs of an operation are ambiguous: a parameter given twice, or ``url``
    and ``system`` naming different code systems (None when they are not). Either was
    answered for the last or one of them, the other ignored.

    >>> ambiguous([("code", "I10"), ("code", "E11.9")])
    'code: given more than once; give it once'
    """
    seen: dict[str, Any] = {}
    for name, v in given:
        if name in seen:
            return f"{name}: given more than once; give it once"
        seen[name] = v
    if "url" in seen and "system" in seen and seen["url"] != seen["system"]:
        return (f"url {seen['url']!r} and system {seen['system']!r} disagree: give the code "
                "system once")
    return None


#: Parameters of $validate-code / $lookup codekit does not answer: said, never ignored.
UNANSWERED = {
    "version": "codekit answers for a date of service, not a code system version: give "
               "date (e.g. 2019-10-01 for ICD-10-CM FY2020)",
    "codeableConcept": "not supported: give one code (a coding, or system and code)",
    "valueSet": "codekit validates against code systems, not value sets",
    "displayLanguage": "codekit's titles are in English only",
}


def values(params: dict[str, Any], name: str) -> list[Any]:
    """Every value of the parameter ``name`` in a ``Parameters`` resource."""
    out = []
    for p in params.get("parameter", ()):
        if p.get("name") == name:
            out += [v for k, v in p.items() if k.startswith("value")]
    return out


def value(params: dict[str, Any], name: str) -> Any:
    """The first value of the parameter ``name`` (None when absent)."""
    found = values(params, name)
    return found[0] if found else None
