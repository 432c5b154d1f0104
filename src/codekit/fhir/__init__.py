"""FHIR R4: Claims in, OperationOutcomes out, codes validated like a terminology server.

``pip install 'codekit[fhir]'`` (fhir.resources 8, whose R4B models validate FHIR R4
content). Input is JSON text or bytes, a dict, a fhir.resources model, or a list of them:
a ``Claim`` (an ``ExplanationOfBenefit`` reads the same way), or a ``Bundle`` whose Claims
are each checked, their Patients, Coverages, Organizations and Conditions found by
reference. See ``docs/fhir.md``.

>>> from codekit import fhir
>>> claim = {
...     "resourceType": "Claim", "status": "active", "use": "claim",
...     "identifier": [{"value": "PCN-7"}],
...     "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type",
...                          "code": "professional"}]},
...     "contained": [{"resourceType": "Patient", "id": "p", "gender": "female",
...                    "birthDate": "1956-03-02"}],
...     "patient": {"reference": "#p"}, "created": "2025-11-03",
...     "provider": {"display": "Dr. Who"}, "priority": {"coding": [{"code": "normal"}]},
...     "insurer": {"display": "Medicare"},
...     "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Part B"}}],
...     "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [
...         {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.99"}]}}],
...     "item": [{"sequence": 1, "diagnosisSequence": [1], "servicedDate": "2025-11-03",
...               "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
...                                                "code": "99213"}]},
...               "modifier": [{"coding": [{"code": "ZZ"}]}], "quantity": {"value": 1}}]}
>>> outcome = fhir.check(claim)
>>> [(i["details"]["coding"][0]["code"], i["expression"][0]) for i in outcome["issue"]
...  if i["severity"] == "error"]  # doctest: +NORMALIZE_WHITESPACE
[('DX_CODE_UNKNOWN', 'Claim.diagnosis[0].diagnosisCodeableConcept'),
 ('MOD_INVALID', 'Claim.item[0].modifier[0]')]
>>> fhir.to_claim(claim).payer, fhir.to_claim(claim).patient.sex
('medicare', 'F')
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .._json import not_json
from .._show import json_kind, shown
from ..batch import check_failed, report_of
from ..claims import Claim
from ..errors import FhirFormatError, InvalidArgument
from ..findings import Finding, Report, Severity
from . import _models
from ._outcome import (
    CODES_EXTENSION,
    DIAGNOSIS_SEQUENCE_EXTENSION,
    FIX_EXTENSION,
    OUTCOME_SYSTEM,
    POLICY_SYSTEM,
    RULE_SYSTEM,
    fatal_outcome,
    fix_extensions,
    issue,
    issue_code,
    not_run_issue,
    notice_issue,
    operation_outcome,
    outcome_bundle,
)
from ._read import (
    MAX_ITEMS,
    READER,
    Context,
    Paths,
    ReadClaim,
    Resolver,
    as_data,
    expression_of,
    not_json_data,
    read_claim,
    reads_as,
)
from ._read import _split as _split_expression
from ._write import from_claim

if TYPE_CHECKING:
    from ..checker import Checker

__all__ = [
    "CLAIM_RESOURCES",
    "CODES_EXTENSION",
    "DIAGNOSIS_SEQUENCE_EXTENSION",
    "FIX_EXTENSION",
    "MAX_ITEMS",
    "OUTCOME_SYSTEM",
    "POLICY_SYSTEM",
    "RULE_SYSTEM",
    "OnResult",
    "Paths",
    "ReadClaim",
    "Resolver",
    "Result",
    "can_validate",
    "check",
    "check_each",
    "check_json",
    "check_ndjson",
    "expression_of",
    "fix_extensions",
    "from_claim",
    "issue_code",
    "load",
    "looks_like_fhir",
    "outcome",
    "read",
    "records",
    "records_ndjson",
    "to_claim",
]

#: The resource types read as claims.
CLAIM_RESOURCES = ("Claim", "ExplanationOfBenefit")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class _Twice(ValueError):
    """A JSON object that names a property twice (the message says which)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's properties, refusing a name given twice: JSON parsers keep the last
    value and drop the other silently, and FHIR JSON names each property once."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        name = ""
        for name, _ in pairs:
            if name in seen:
                break
            seen.add(name)
        others = ", ".join(shown(k, 40) for k in found if k != name)
        raise _Twice(f"an object names {shown(name, 40)} twice"
                     + (f" (beside {others[:200]})" if others else "")
                     + ": a FHIR JSON object names each property once, and which value "
                     "counts would be a guess")
    return found


def load(source: Any, *, unique: bool = False) -> Any:
    """FHIR input as JSON data: text or bytes are parsed (decimals kept exact), a
    fhir.resources model is dumped, a dict or list is returned as is (never changed).
    Raises :class:`~codekit.FhirFormatError` for text that is not JSON, and with
    ``unique=True`` (what ``validate=True`` reads with) for an object that names a
    property twice, which FHIR forbids and plain JSON parsing reads as the last value.

    >>> load('{"resourceType": "Claim", "use": "claim", "use": "preauthorization"}')["use"]
    'preauthorization'
    >>> load('{"resourceType": "Claim", "use": "claim", "use": "preauthorization"}',
    ...      unique=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    codekit.errors.FhirFormatError: ... an object names 'use' twice (beside 'resourceType'): ...
    """
    if isinstance(source, str | bytes | bytearray):
        try:
            return json.loads(source, parse_float=Decimal, parse_constant=_no_constant,
                              object_pairs_hook=_unique if unique else None)
        except _Twice as e:
            raise FhirFormatError([("", f"not FHIR JSON: {e}")]) from None
        except (ValueError, RecursionError) as e:
            if not (source.strip(_BLANK) if isinstance(source, str) else
                    bytes(source).strip(_BLANK_BYTES)):
                # an empty body or file: no value at all, not one that fails at column 1
                raise FhirFormatError([("", "not JSON: the input is empty")]) from None
            raise FhirFormatError([("", f"not JSON: {not_json(e)}")]) from None
    data = as_data(source)
    if data is not None:
        return data
    if isinstance(source, list):
        return source
    # in JSON's words for what JSON has (None is null), never Python's (NoneType)
    what = json_kind(source) if source is None or isinstance(source, bool | int | float) \
        else f"a Python {type(source).__name__}"
    raise FhirFormatError([("", f"expected FHIR JSON (text, bytes, a dict or a "
                                f"fhir.resources model), got {what}")])


#: What an input holding no JSON value at all consists of (JSON's blanks, a BOM).
_BLANK = " \t\r\n\ufeff"
_BLANK_BYTES = b" \t\r\n\xef\xbb\xbf"


def can_validate() -> bool:
    """Whether fhir.resources is installed, so that ``validate=True`` works (else it
    raises :class:`~codekit.ExtraNotInstalled`)."""
    from ..errors import ExtraNotInstalled

    try:
        _models.model_class("Claim")
    except ExtraNotInstalled:
        return False
    return True


def looks_like_fhir(text: str | bytes) -> bool:
    """Whether a file's text looks like FHIR JSON (or NDJSON): ``resourceType`` is a key of
    its first object (in its first 4 KiB), not of an object inside it (a codekit claim
    keeping its FHIR source under ``extra`` is no FHIR resource). Used by ``codekit
    check`` to pick the reader.

    >>> looks_like_fhir('{"resourceType": "Claim"}'), looks_like_fhir('{"claim_type": "x"}')
    (True, False)
    >>> looks_like_fhir('{"extra": {"source": {"resourceType": "Claim"}}}')
    False
    """
    head = text[:4096]
    if isinstance(head, bytes | bytearray):
        head = bytes(head).decode("utf-8", "replace")
    head = head.lstrip("\ufeff \t\r\n[")
    if not head.startswith("{"):
        return False
    depth = 0
    expect_key = False  # at the first object's level, after "{" or ","
    key = False  # the last token was the key resourceType of the first object
    for found in _TOKENS.finditer(head):
        token = found.group()
        c = token[0]
        if c == '"':
            key = depth == 1 and expect_key and token == '"resourceType"'
            expect_key = False
        elif c == ":":
            if key:
                return True
        elif c == ",":
            key, expect_key = False, depth == 1
        else:
            key = False
            depth += 1 if c in "{[" else -1
            expect_key = depth == 1 and c == "{"
            if depth == 0:  # the end of the first object
                return False
    return key  # the head ends at the key (a pipe's first bytes)


#: The tokens that say where a key is: strings, brackets, colons and commas.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def _named(value: Any) -> str:
    """A resourceType as a message names it: a short text as it is, anything else shown
    (never raising, whatever the value is)."""
    return value if isinstance(value, str) and len(value) <= 60 else shown(value, 60)


def _resources(data: Any, where: str = "") -> Iterator[tuple[Any, str]]:
    """Each resource of ``data`` (a resource, or lists of them nested to any depth) with
    its position, depth first, without recursion (a list nested thousands deep is walked,
    not a ``RecursionError``)."""
    stack: list[tuple[Any, str]] = [(data, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, list):
            stack.extend((sub, f"{at}[{i}]" if at else f"[{i}]")
                         for i, sub in reversed(list(enumerate(item))))
        else:
            yield item, at


#: How many Bundles deep a Claim is looked for (a batch of collections is two).
_MAX_BUNDLE_DEPTH = 4


#: A claim found: (resource, context, FHIRPath, fullUrl).
_Found = tuple[dict[str, Any], Context, str, str | None]


def _not_a_resource(e: Any, at: str) -> FhirFormatError | None:
    """Why a Bundle entry at ``at`` holds no resource to read (None when it holds one, or
    is a request or response entry without one, which FHIR allows: a DELETE)."""
    if not isinstance(e, dict):
        return FhirFormatError([(at, f"not a Bundle entry: expected a JSON object, got "
                                     f"{json_kind(e)}; the entry is not read")])
    res = e.get("resource")
    if res is None:
        if e.get("request") is not None or e.get("response") is not None:
            return None
        return FhirFormatError([(at, "the entry holds no resource (nor a request or "
                                     "response: FHIR's bdl-5); the entry is not read")])
    if not isinstance(res, dict):
        return FhirFormatError([(f"{at}.resource", f"not a FHIR resource: expected a JSON "
                                                   f"object, got {json_kind(res)}; the entry "
                                                   "is not read")])
    if not isinstance(res.get("resourceType"), str) or not res["resourceType"]:
        return FhirFormatError([(f"{at}.resource", "not a FHIR resource: no resourceType; "
                                                   "the entry is not read")])
    return None


#: Said of an object without a resourceType that has a codekit claim's keys: the FHIR door
#: reads FHIR only, and a newcomer posts ``docs/examples/knee_injection.json`` to it.
_OWN_CLAIM_HINT = ("; this is codekit's own claim JSON (claim_type, service_lines), not "
                   "FHIR: check it with codekit.check or `codekit check`, or make it a FHIR "
                   "Claim with codekit.fhir.from_claim(Claim.from_dict(...))")


def _own_claim(data: dict[str, Any]) -> bool:
    """Whether ``data`` has the keys of a codekit claim dict (``Claim.from_dict``)."""
    return "claim_type" in data and "service_lines" in data


def _not_json_data(data: Any, where: str, skip: str | None = None,
                   unit: str = "resource") -> FhirFormatError | None:
    """The error of a resource (or a Bundle entry: ``unit``) given as Python data that
    holds something JSON does not (:func:`codekit.fhir._read.not_json_data`), at its place
    under ``where``; None when it holds only JSON data."""
    bad = not_json_data(data, skip)
    if bad is None:
        return None
    at, what = bad
    return FhirFormatError([(expression_of((where, *at) if where else at),
                             f"{what} is not JSON data (FHIR JSON holds objects, arrays, "
                             f"strings, numbers, true, false and null); the {unit} is not "
                             "read")])


def _claims_of(data: Any, where: str, resolver: Resolver | None, depth: int = 0,
               native: bool = False
               ) -> tuple[list[_Found | FhirFormatError], FhirFormatError | None]:
    """(resource, context, FHIRPath, fullUrl) of each claim in ``data`` (a resource), in
    order with the error of each Bundle entry that is not a resource (``{}``,
    ``{"resource": 7}``: a record of its own, not skipped without a word), or the error
    that says why there is none. A Bundle in a Bundle (a batch of collections) is read for
    its Claims too, its references resolved within it, to ``_MAX_BUNDLE_DEPTH`` Bundles
    deep. ``native``: ``data`` is the caller's Python data, not JSON read from text, and
    is looked at for what JSON does not hold (``pd.NA``, a NumPy array: the error of the
    resource, or of the Bundle entry that holds it) before anything in it is compared."""
    if not isinstance(data, dict):
        return [], FhirFormatError([(where, f"expected a FHIR resource (a JSON object), got "
                                            f"{json_kind(data)}")])
    rtype = data.get("resourceType")
    bundle = isinstance(rtype, str) and rtype == "Bundle"
    if native:
        error = _not_json_data(data, where or (rtype if isinstance(rtype, str) else ""),
                               "entry" if bundle else None)
        if error is not None:
            return [], error
    if rtype in CLAIM_RESOURCES:
        return [(data, Context((), resolver), where or rtype, None)], None
    if bundle:
        entries = data.get("entry")
        if entries is not None and not isinstance(entries, list):
            return [], FhirFormatError([(f"{where or 'Bundle'}.entry", "must be an array")])
        rows = []
        included: set[str] = set()  # searchset entries a search included, not matched
        bad: list[FhirFormatError] = []  # entries that are not resources
        slots: list[tuple[str | None, dict[str, Any], str] | FhirFormatError] = []
        for i, e in enumerate(entries or []):
            at = f"{where or 'Bundle'}.entry[{i}]"
            why = _not_a_resource(e, at)
            if why is None and native:  # its own error: the other entries are read
                why = _not_json_data(e, at, unit="entry")
            if why is not None:
                bad.append(why)
                slots.append(why)
            elif isinstance(e.get("resource"), dict):
                full = e.get("fullUrl")
                at = f"{where or 'Bundle'}.entry[{i}].resource"
                rows.append((full if isinstance(full, str) else None, e["resource"], at))
                slots.append(rows[-1])
                search = e.get("search")
                if isinstance(search, dict) and search.get("mode") == "include":
                    included.add(at)
        context = Context(rows, resolver)
        found: list[_Found | FhirFormatError] = []
        inner_error: FhirFormatError | None = None
        for slot in slots:
            if isinstance(slot, FhirFormatError):
                found.append(slot)  # in the order of the entries, beside the claims
                continue
            full, res, at = slot
            if res.get("resourceType") in CLAIM_RESOURCES:
                found.append((res, context, at, full))
            elif res.get("resourceType") == "Bundle":
                if depth >= _MAX_BUNDLE_DEPTH:
                    inner_error = inner_error or FhirFormatError([(at, (
                        f"a Bundle nested more than {_MAX_BUNDLE_DEPTH} Bundles deep: not "
                        "read"))])
                    continue
                claims, error = _claims_of(res, at, resolver, depth + 1)
                found.extend(claims)
                inner_error = inner_error or error
        if data.get("type") == "searchset" and included and \
                any(not isinstance(row, FhirFormatError) and row[2] not in included
                    for row in found):
            # the Claim a search included beside the ExplanationOfBenefit it matched (a
            # reference of it) is the same claim: checked once, through what matched
            found = [row for row in found
                     if isinstance(row, FhirFormatError) or row[2] not in included]
        if all(isinstance(row, FhirFormatError) for row in found):
            if inner_error is not None and not bad:
                return [], inner_error  # the innermost reason: the most specific
            kinds = sorted({_named(r.get("resourceType")) for _, r, _ in rows})
            held = f" (it holds {', '.join(kinds)})" if kinds else \
                " (no entry holds a resource)" if entries else " (it has no entries)"
            return [], FhirFormatError([(where or "Bundle", f"the Bundle holds no Claim{held}"),
                                        *(p for e in bad for p in e.problems)])
        return found, None
    if rtype is None:
        return [], FhirFormatError([(where, "not a FHIR resource: no resourceType"
                                            + _OWN_CLAIM_HINT * _own_claim(data))])
    return [], FhirFormatError([(where, f"expected a Claim or a Bundle of Claims, got a "
                                        f"{_named(rtype)}")])


def _read_one(res: dict[str, Any], context: Context, where: str, full_url: str | None,
              validate: bool, icd10_who: bool, max_items: int) -> ReadClaim:
    read = read_claim(res, context=context, where=where, full_url=full_url,
                      icd10_who=icd10_who, max_items=max_items)
    if not validate or any(f.rule == "FHIR_TOO_MANY_ITEMS" for f in read.findings):
        # a claim over max_items is not checked: validating its 100,000 items against
        # the model would cost seconds before saying "split it"
        return read
    problems = _models.problems(res, str(res.get("resourceType")), where)
    if not problems:
        return read
    # where the reader says how it read an element the model rejects (an item's sequence:
    # the line it is read as), the reader's finding is kept and the model's left out, so
    # validating or not says the same thing
    read_as = {expression_of(f.location) for f in read.findings
               if f.rule == "FHIR_STRUCTURE_INVALID" and reads_as(f.location)}
    problems = [(p, m) for p, m in problems if p not in read_as]
    seen = {p for p, _ in problems}
    model = tuple(Finding("FHIR_STRUCTURE_INVALID", Severity.ERROR, f"{p}: {m}",
                          tuple(_split_expression(p)), (), READER) for p, m in problems)
    own = tuple(f for f in read.findings if f.rule != "FHIR_STRUCTURE_INVALID" or
                expression_of(f.location) not in seen)
    return attrs.evolve(read, findings=model + own)


def read(source: Any, *, resolver: Resolver | None = None, validate: bool = True,
         icd10_who: bool = False, max_items: int = MAX_ITEMS) -> list[ReadClaim]:
    """Every Claim of ``source`` read into a codekit claim, with the reader's findings.

    ``resolver`` looks up references the input does not hold (``Patient/123``): called
    with the reference text, it returns the resource (a dict or a fhir.resources model) or
    None. ``validate=False`` skips fhir.resources' model validation (the fast path, for
    trusted input: the reader still never fails on bad data). ``icd10_who=True`` reads
    diagnoses coded in WHO ICD-10 only as ICD-10-CM (with a warning). A claim of more
    than ``max_items`` items is not checked. Raises :class:`~codekit.FhirFormatError`
    when the input holds no Claim (not JSON, a Patient, an empty Bundle)."""
    out: list[ReadClaim] = []
    data = load(source, unique=validate)
    problems: list[tuple[str, str]] = []
    for res, where in _resources(data):
        found, err = _claims_of(res, where, resolver, native=data is source)
        if err is not None:
            problems += err.problems
        for row in found:
            if isinstance(row, FhirFormatError):
                continue  # an entry that is not a resource: check_each's result says it
            r, context, at, full = row
            out.append(_read_one(r, context, at, full, validate, icd10_who, max_items))
    if not out:
        raise FhirFormatError(problems or [("", "no Claim")])
    return out


def to_claim(source: Any, **kw: Any) -> Claim:
    """The codekit claim of a FHIR Claim (the keywords of :func:`read`). Raises
    :class:`~codekit.FhirFormatError` when ``source`` does not hold exactly one Claim, or
    holds one codekit cannot check (its reader findings say why); findings that do not stop
    the check (a diagnosis in SNOMED CT...) are not raised: use :func:`read` to see them."""
    claims = read(source, **kw)
    if len(claims) != 1:
        raise FhirFormatError([("", f"expected one Claim, found {len(claims)}")])
    one = claims[0]
    if one.claim is None:
        raise FhirFormatError([(expression_of(f.location), f.message)
                               for f in one.findings if f.severity is Severity.ERROR])
    return one.claim


@attrs.frozen
class Result:
    """One claim of the input and its check: the :class:`ReadClaim` (None when the input
    held no claim), the checker's :class:`~codekit.Report` (None when the claim could not
    be checked), or the ``error`` that says why there was nothing to check."""

    read: ReadClaim | None
    report: Report | None = None
    error: FhirFormatError | None = None
    #: Where the record came from (``Claim``, ``Bundle.entry[2].resource``, ``line 3``).
    where: str = ""

    @property
    def claim(self) -> Claim | None:
        """The codekit claim read from the FHIR Claim (``read.claim``); None when the
        input held no claim, or a Claim that cannot be checked (an oral or pharmacy claim, no
        date of service: :attr:`error` or the reader's findings say why)."""
        return None if self.read is None else self.read.claim

    @property
    def checked(self) -> bool:
        """Whether the claim was checked (there is a :attr:`report`, and it is not that of
        a check that failed on a bug in codekit; status ``200 OK``)."""
        return self.report is not None and not self.failed

    @property
    def failed(self) -> bool:
        """Whether checking the claim failed on a bug in codekit: its report holds one
        ``CLAIM_CHECK_FAILED`` error (:func:`codekit.batch.check_failed_report`); status
        ``500 Internal Server Error``."""
        return self.report is not None and check_failed(self.report)

    @property
    def status(self) -> str:
        """The batch-response status: ``200 OK`` (checked), ``422 Unprocessable Entity``
        (a claim codekit cannot check), ``400 Bad Request`` (no claim), ``500 Internal
        Server Error`` (a claim whose check failed on a bug in codekit)."""
        if self.report is not None:
            return "500 Internal Server Error" if self.failed else "200 OK"
        return "422 Unprocessable Entity" if self.read is not None else "400 Bad Request"

    def issues(self) -> list[tuple[Finding, str]]:
        """(finding, FHIRPath) for the reader's findings, then the checker's. A checker
        finding about a diagnosis (or a pointer to one) of a Claim whose sequences are not
        codekit's numbers of its diagnoses (their order, principal first, which its
        messages speak) says which sequence it is about after its message
        (:meth:`Paths.numbering`)."""
        if self.read is None:
            return []
        out = [(f, expression_of(f.location)) for f in self.read.findings]
        if self.report is not None:
            paths = self.read.paths
            claim = self.read.claim
            if paths.renumbered and claim is not None:
                out += [(_numbered(f, paths, claim), paths.expression(f.location))
                        for f in self.report.findings]
            else:
                out += [(f, paths.expression(f.location)) for f in self.report.findings]
        return out

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding on the claim: the FHIR reader's (``read.findings``), then the
        checker's; their FHIRPaths are in :meth:`issues`."""
        return tuple(f for f, _ in self.issues())

    def finish(self, report: Report | None) -> Report:
        """The codekit report (:meth:`to_report`) once ``report``, the checker's report
        of :attr:`claim`, is known (ignored when there is no claim to check)."""
        checked = report if self.claim is not None else None
        return attrs.evolve(self, report=checked).to_report()

    def to_outcome(self) -> dict[str, Any]:
        """The FHIR OperationOutcome of this claim (JSON data)."""
        if self.read is None:
            err = self.error or FhirFormatError([("", "no claim")])
            return fatal_outcome(err.problems, _error_code(err))
        root = self.read.expression
        found = self.issues()
        mine = len(self.read.findings)  # the reader's, at the resource: no sequence of theirs
        issues = [issue(f, x) for f, x in found[:mine]] if mine else []
        claim = self.read.claim
        if len(found) > mine and claim is not None:
            sequence = self.read.paths.sequence
            for f, x in found[mine:]:
                at = sequence(f.location, claim)
                issues.append(issue(f, x, None if at is None else at[1]))
        report = self.report
        if report is not None:
            paths = self.read.paths
            issues += [notice_issue(n.code, n.message, paths.expression(n.location))
                       for n in report.notices]
            issues += [not_run_issue(rule, why, root) for rule, why in report.not_run]
        claim_id = self.read.claim_id
        return operation_outcome(issues, claim_id=claim_id,
                                 profile=None if report is None else report.profile,
                                 root=root, checked=self.checked)

    def to_report(self) -> Report:
        """A codekit :class:`~codekit.Report` of every finding (the reader's first), their
        locations the FHIR elements (``$.Claim.item[1].modifier[0]``): what ``codekit
        check`` prints for FHIR input."""
        claim_id = None if self.read is None else self.read.claim_id
        if self.read is None:
            err = self.error or FhirFormatError([("", "no claim")])
            # a problem of a whole NDJSON line (``line 7``, the OperationOutcome's
            # expression) is at the record itself: the line is its ``where``
            return Report(tuple(Finding("FHIR_FORMAT_INVALID", Severity.ERROR, m,
                                        tuple(_split_expression(x))
                                        if x and not _LINE.fullmatch(x) else (), (), READER)
                                for x, m in err.problems), "not checked")
        findings = [attrs.evolve(f, location=tuple(_split_expression(x)))
                    for f, x in self.issues()]
        report = self.report
        claim = self.claim
        lines = claim.service_lines if claim is not None else ()
        notices = () if report is None else tuple(
            attrs.evolve(n, location=tuple(_split_expression(
                self.read.paths.expression(n.location)))) for n in report.notices)
        items = tuple(tuple(_split_expression(x)) for x in self.read.paths.items)
        return _ItemReport(tuple(findings),
                           report.profile if report is not None else "not checked",
                           report.not_run if report is not None else (), claim_id,
                           tuple(ln.line_id for ln in lines), tuple(ln.line for ln in lines),
                           notices, items[:len(lines)])


@attrs.frozen(weakref_slot=False)
class _ItemReport(Report):
    """The report of a FHIR Claim (:meth:`Result.to_report`), its locations FHIR elements:
    a finding at an item (``("Claim", "item", 1, "modifier", 0)``) is about the service
    line read from it, whose number and id its rows, ``to_dict`` and ``codekit check``
    say (``line``, ``line_id``), as every door's do."""

    #: Each service line's item as a location (``("Claim", "item", 1)``), in line order.
    items: tuple[tuple[str | int, ...], ...] = ()

    def line_of(self, finding: Finding) -> tuple[int | None, str | None]:
        """(line number, line id) of the service line whose item ``finding`` is at (or
        within), or (None, None)."""
        loc = finding.location
        for i, item in enumerate(self.items):
            if loc[:len(item)] == item:
                return self.line_numbers[i], self.line_ids[i]
        return None, None


def _numbered(finding: Finding, paths: Paths, claim: Claim) -> Finding:
    """``finding`` with its message followed by the FHIR sequence of the diagnosis it is
    about, when codekit numbers it otherwise (the message itself is the checker's)."""
    note = paths.numbering(finding.location, claim)
    return attrs.evolve(finding, message=finding.message + note) if note else finding


#: The expression of a problem of a whole NDJSON line.
_LINE = re.compile(r"line [1-9][0-9]*")


def _error_code(err: FhirFormatError) -> str:
    text = " ".join(m for _, m in err.problems)
    if "expected a Claim" in text or "holds no Claim" in text:
        return "not-supported"
    return "structure"


def _check_read(read: ReadClaim, checker: Checker | None, raising: bool = False) -> Result:
    """The read claim checked; a check that fails on a bug in codekit is the claim's
    ``CLAIM_CHECK_FAILED`` report (its entry ``500``), the others of a batch are checked,
    unless ``raising`` (a single Claim: the answer is the error)."""
    if read.claim is None:
        return Result(read, where=read.expression)
    if checker is None:
        from ..checker import default_checker

        checker = default_checker()
    report = checker.check(read.claim) if raising else report_of(checker, read.claim)
    return Result(read, report, where=read.expression)


def _records(data: Any, kw: dict[str, Any], native: bool = False) -> Iterator[Result]:
    """One unchecked :class:`Result` per claim of ``data`` (or one per error), in order;
    ``native``: ``data`` is the caller's Python data, not read from JSON text."""
    resolver = kw.get("resolver")
    validate = kw.get("validate", True)
    icd10_who = kw.get("icd10_who", False)
    max_items = kw.get("max_items", MAX_ITEMS)
    for res, where in _resources(data):
        found, err = _claims_of(res, where, resolver, native=native)
        if err is not None:
            yield Result(None, error=err, where=where)
        for row in found:
            if isinstance(row, FhirFormatError):  # a Bundle entry that is not a resource
                yield Result(None, error=row, where=row.problems[0][0])
                continue
            r, context, at, full = row
            read = _read_one(r, context, at, full, validate, icd10_who, max_items)
            yield Result(read, where=read.expression)


#: What :func:`check` and :func:`check_each` call with each result once it is checked.
OnResult = Callable[["Result"], object]


def _results(data: Any, checker: Checker | None, kw: dict[str, Any],
             on_result: OnResult | None = None, raising: bool = False,
             native: bool = False) -> list[Result]:
    out = []
    for r in _records(data, kw, native):
        if r.read is not None:
            r = _check_read(r.read, checker, raising)
        if on_result is not None:
            on_result(r)  # what it raises stops the check, before the next record is read
        out.append(r)
    return out


def _kw(resolver: Resolver | None, validate: bool, icd10_who: bool, max_items: int
        ) -> dict[str, Any]:
    if resolver is not None and not callable(resolver):
        raise InvalidArgument(f"resolver={resolver!r}: expected a function of a reference")
    if type(max_items) is not int or max_items < 0:
        raise InvalidArgument(f"max_items={max_items!r}: expected a whole number >= 0")
    return {"resolver": resolver, "validate": validate, "icd10_who": icd10_who,
            "max_items": max_items}


def check_each(source: Any, *, checker: Checker | None = None,
               resolver: Resolver | None = None, validate: bool = True,
               icd10_who: bool = False, max_items: int = MAX_ITEMS,
               on_result: OnResult | None = None) -> list[Result]:
    """One :class:`Result` per Claim of ``source``, in order (the keywords of
    :func:`read`; ``checker``: a :class:`~codekit.Checker`, the default one if None). Bad
    input is a result, never an exception: text that is not JSON, or a resource that is
    not a Claim, gives one result with its ``error``. ``on_result``, if given, is called
    with each result as soon as it is checked, before the next record is read: what it
    raises stops the check and is raised (how an HTTP front caps the issues of one answer,
    or stops when its client has gone)."""
    kw = _kw(resolver, validate, icd10_who, max_items)
    try:
        data = load(source, unique=validate)
    except FhirFormatError as e:
        result = Result(None, error=e)
        if on_result is not None:
            on_result(result)
        return [result]
    return _results(data, checker, kw, on_result, native=data is source)


def records(source: Any, *, resolver: Resolver | None = None, validate: bool = True,
            icd10_who: bool = False, max_items: int = MAX_ITEMS,
            line: int | None = None) -> Iterator[Result]:
    """The claims of ``source`` read but not yet checked: one :class:`Result` per Claim
    (its ``report`` None) or per error, in order; check each with :meth:`Result.finish`
    (what ``codekit check`` does, so that its worker processes do the checking).
    ``line``: the line ``source`` starts on in a file of several records (NDJSON, or
    resources written one after another): its results say ``line N``, as
    :func:`records_ndjson`'s do, and a problem of the whole record is at ``line N``."""
    kw = _kw(resolver, validate, icd10_who, max_items)
    if line is not None:
        if type(line) is not int or line < 1:
            raise InvalidArgument(f"line={line!r}: expected a line number >= 1")
        yield from _records_at(line, source, kw)
        return
    try:
        data = load(source, unique=validate)
    except FhirFormatError as e:
        yield Result(None, error=e)
        return
    yield from _records(data, kw, data is source)


def _records_at(n: int, text: str | bytes | bytearray, kw: dict[str, Any]
                ) -> Iterator[Result]:
    """The results of one record of a file of several, the JSON ``text`` that starts on
    line ``n``: each says ``line N``, and a problem of the whole record is at ``line N``
    (not JSON, a Patient, ``null``), as a line of NDJSON's is."""
    try:
        data = load(text, unique=kw["validate"])
    except FhirFormatError as e:
        yield Result(None, error=FhirFormatError([(f"line {n}", m) for _, m in e.problems]),
                     where=f"line {n}")
        return
    for r in _records(data, kw):
        if r.error is not None:  # the whole line's problem is at the line, as JSON's is
            r = attrs.evolve(r, error=FhirFormatError([
                (x or f"line {n}", m) for x, m in r.error.problems]))
        yield attrs.evolve(r, where=f"line {n}" + (f": {r.where}" if r.where else ""))


def records_ndjson(lines: Iterable[str | bytes], *, resolver: Resolver | None = None,
                   validate: bool = True, icd10_who: bool = False,
                   max_items: int = MAX_ITEMS) -> Iterator[Result]:
    """:func:`records` of NDJSON input (one Claim or Bundle a line: text or bytes, a
    memoryview read as bytes; any other item is a result with its ``error``), streamed;
    ``where`` says ``line N``."""
    kw = _kw(resolver, validate, icd10_who, max_items)
    for n, line in enumerate(lines, 1):
        if isinstance(line, memoryview):  # bytes by another name
            line = line.tobytes()
        if not isinstance(line, str | bytes | bytearray):
            # a line is text: anything else is that line's result, and the stream goes on
            yield Result(None, error=FhirFormatError([(f"line {n}", "an NDJSON line is text "
                                                       f"or bytes, got {json_kind(line)}")]),
                         where=f"line {n}")
            continue
        if isinstance(line, str) and line.startswith("\ufeff"):
            # a file's byte order mark, which text mode leaves at the start of the first
            # line: read without it, as a line of bytes is (files joined by cat: any line)
            line = line[1:]
        if not line.strip():
            continue
        yield from _records_at(n, line, kw)


def check_ndjson(lines: Iterable[str | bytes], *, checker: Checker | None = None,
                 resolver: Resolver | None = None, validate: bool = True,
                 icd10_who: bool = False, max_items: int = MAX_ITEMS) -> Iterator[Result]:
    """The results of NDJSON input (one Claim or Bundle per line), as a stream; a line
    that is not JSON or holds no Claim, or an item that is not text or bytes (``None``, a
    number, a dict), is a result with its ``error``, and the stream goes on. ``where``
    says ``line N``."""
    for r in records_ndjson(lines, resolver=resolver, validate=validate, icd10_who=icd10_who,
                            max_items=max_items):
        yield r if r.read is None else attrs.evolve(_check_read(r.read, checker),
                                                    where=r.where)


def check(source: Any, *, checker: Checker | None = None, resolver: Resolver | None = None,
          validate: bool = True, icd10_who: bool = False, max_items: int = MAX_ITEMS,
          on_result: OnResult | None = None) -> dict[str, Any]:
    """Check FHIR input and answer in FHIR: an OperationOutcome for a Claim, a
    ``batch-response`` Bundle of OperationOutcomes (one per Claim, in order) for a Bundle
    or a list; an OperationOutcome with a ``fatal`` issue for input that holds no Claim.
    Never raises for bad input (the keywords of :func:`check_each`; what ``on_result``
    raises is raised). A bug in codekit met while checking a claim is raised for a single
    Claim, as :meth:`codekit.Checker.check` raises it; in a Bundle or a list it is that
    claim's ``500 Internal Server Error`` entry (one ``CLAIM_CHECK_FAILED`` error), and
    the other claims are answered."""
    kw = _kw(resolver, validate, icd10_who, max_items)
    try:
        data = load(source, unique=validate)
    except FhirFormatError as e:
        if on_result is not None:
            on_result(Result(None, error=e))
        return fatal_outcome(e.problems)
    kind = data.get("resourceType") if isinstance(data, dict) else None
    single = isinstance(kind, str) and kind in CLAIM_RESOURCES
    results = _results(data, checker, kw, on_result, raising=single, native=data is source)
    if single:
        return results[0].to_outcome()
    return _answer(results, batch=True)


def check_json(text: str | bytes, **kw: Any) -> str:
    """:func:`check` from JSON text to JSON text."""
    return json.dumps(check(text, **kw), separators=(",", ":"))


def outcome(results: Sequence[Result]) -> dict[str, Any]:
    """The FHIR answer for results: an OperationOutcome for one, else a ``batch-response``
    Bundle, an entry per result. Input that holds no claim at all (no result, ``[]``, or
    none that read a claim: ``[1, 2]``, a list of Patients) is one OperationOutcome with a
    ``fatal`` issue per problem, at its place (``[0]``), as a Bundle without a Claim is:
    a batch answers for the claims it holds, and an HTTP front a ``400``.

    >>> outcome(check_each("[1, {}]"))["issue"][1]["expression"]
    ['[1]']
    >>> outcome([])["issue"][0]["diagnostics"]
    'the input holds no Claim (an empty list)'
    """
    return _answer(results, batch=len(results) != 1)


def _answer(results: Sequence[Result], batch: bool) -> dict[str, Any]:
    """:func:`outcome`; ``batch``: a ``batch-response`` Bundle even for one result (the
    answer to a Bundle or a list of one Claim)."""
    if all(r.read is None for r in results):
        problems = [p for r in results
                    for p in (r.error or FhirFormatError([(r.where, "no claim")])).problems]
        err = FhirFormatError(problems or [("", "the input holds no Claim (an empty list)")])
        return Result(None, error=err).to_outcome()
    if not batch:
        return results[0].to_outcome()
    return outcome_bundle((r.to_outcome(), None if r.read is None else r.read.reference,
                           r.status) for r in results)
