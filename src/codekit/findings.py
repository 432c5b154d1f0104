"""The findings vocabulary: what a check says about a claim.

A rule yields :class:`Hit` objects (a message, where on the claim, which codes, the fix) or
:class:`NotRun` (it cannot judge this claim, and why); the checker turns hits into
:class:`Finding` objects with the rule's catalog ID (``docs/catalog.md``), the severity the
profile gives it and its reference, and collects them in a :class:`Report`. Payer policies
(:mod:`codekit.policies`) produce the same findings, so this module sits below both.

>>> f = Finding("DX_NOT_BILLABLE", Severity.ERROR, "E11 is a header", ("diagnoses", 0),
...             ("E11",), fix=("E11.9", "E11.65"))
>>> f.path, str(f.severity), f.fix[0]
('$.diagnoses[0]', 'error', 'E11.9')
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from typing import Any

import attrs

from . import _cache
from ._show import shown

__all__ = ["COVERAGE_NOTICES", "Finding", "Hit", "Location", "NotRun", "Notice", "Report",
           "Severity"]


class Severity(enum.StrEnum):
    """How bad a finding is. ``error``: the claim will be rejected or denied;
    ``warning``: a coding-convention or audit problem a payer may enforce; ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


#: Where on the claim: a path of keys and indexes, e.g. ``("service_lines", 0, "units")``.
Location = tuple[str | int, ...]


@attrs.frozen
class Hit:
    """What a rule yields: the engine turns it into a :class:`Finding`."""

    message: str
    location: Location = ()
    codes: tuple[str, ...] = ()
    #: The machine-readable fix: codes to use instead or to add, best first; at a line's
    #: units, the units the line is to carry (never 0: a line to remove has none).
    fix: tuple[str, ...] = ()


@attrs.frozen
class NotRun:
    """What a rule yields when it cannot judge this claim (e.g. no table for its date)."""

    reason: str


@attrs.frozen
class Notice:
    """Something the report must say about how the claim was judged, beside the findings:
    data that does not cover a date, a payer the routing could not place, a table used
    past its quarter. ``code`` is stable (``docs/catalog.md#notices``)."""

    code: str
    message: str
    location: Location = ()

    def to_dict(self) -> dict[str, Any]:
        """The notice as JSON-ready data, as the report's ``notices`` hold it:
        ``{"code", "message", "location"}`` (the location a list, ``[]`` for the claim)."""
        return {"code": self.code, "message": self.message, "location": list(self.location)}


#: The notices that say a date of the claim lies outside the data that judged it: a
#: code system's dates (``covers``/``coverage``), an NCCI table's quarters, the I/OCE's
#: list (``docs/catalog.md#notices``). A claim judged with one was "judged outside the
#: data": its answer is extrapolated, so it is never counted clean
#: (:attr:`Report.outside_data`; ``docs/batch.md#the-command-line``).
COVERAGE_NOTICES = frozenset({"ICD10CM_DATE_NOT_COVERED", "ICD10PCS_DATE_NOT_COVERED",
                              "PROCEDURE_DATE_NOT_COVERED", "NCCI_TABLE_PAST_QUARTER",
                              "IOCE_DATE_NOT_COVERED"})


@attrs.frozen(weakref_slot=False)
class Finding:
    """One problem on a claim: which rule, how bad, where, which codes, why, and the fix."""

    rule: str
    severity: Severity
    message: str
    location: Location = ()
    codes: tuple[str, ...] = ()
    reference: str = ""
    #: The machine-readable fix: codes to use instead (or to add: a missing modifier, the
    #: code to list first), best first; empty when the message is the only advice. At a
    #: line's units (``("service_lines", i, "units")``) it is the units count the line is
    #: to carry instead (``("1",)``), never 0: a line to remove has no fix, and its
    #: message says to remove it.
    fix: tuple[str, ...] = ()
    #: The rule ID of the payer policy that raised the finding (``"MCR-G2211-MOD25"``:
    #: :attr:`codekit.policies.Policy.id`), None for a built-in edit and every other
    #: finding. ``rule`` is then the finding ID the policy raises
    #: (``COVERAGE_CRITERIA_NOT_MET``), shared by many policies; ``policy`` says which.
    policy: str | None = None

    @property
    def catalog(self) -> str:
        """Where the edit is described: ``docs/catalog.md#<rule in lower case>`` (every
        built-in edit and every finding of the shipped policies has an entry there)."""
        return f"docs/catalog.md#{self.rule.lower()}"

    @property
    def path(self) -> str:
        """The location as a JSON path, e.g. ``$.service_lines[0].modifiers[1]``; a key
        that is not a name (an unknown key ``a.b`` of an unreadable claim, ``''``, ``x y``)
        in brackets, quoted as RFC 9535 does: ``$['a.b']``, so that no two locations share
        a path (``$.a.b`` is the key ``b`` under ``a``)."""
        out = "$"
        for part in self.location:
            if isinstance(part, int):
                out += f"[{part}]"
            elif type(part) is str and part.isidentifier():
                out += f".{part}"
            else:
                out += f"[{_quoted(str(part))}]"
        return out

    def __str__(self) -> str:
        return self.text()

    def text(self, at: str | None = None) -> str:
        """The finding as one line of text (``str(finding)``): severity, rule (and the
        policy's rule ID, for a finding of a payer policy), where, and the message; ``at``
        says where in place of the JSON path (a FHIRPath, for a finding of FHIR input; ""
        for nowhere in particular).

        >>> print(Finding("COVERAGE_CRITERIA_NOT_MET", Severity.ERROR, "Line 2: ...",
        ...               ("service_lines", 1), policy="MCR-G2211-MOD25"))
        ERROR   COVERAGE_CRITERIA_NOT_MET (policy MCR-G2211-MOD25) at $.service_lines[1]: ...
        """
        where = self.path if at is None else at
        policy = self.policy
        if policy is not None:  # an ID with a newline or an escape must not forge lines
            policy = f" (policy {policy if policy.isprintable() else shown(policy)})"
        return f"{self.severity.value.upper():<7} {self.rule}{policy or ''}" + \
            (f" at {where}" if where else "") + f": {self.message}"

    def _repr_html_(self) -> str:
        from . import _html

        return _html.finding(self)

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data (``codekit.schema("report")``'s finding):
        ``policy`` is always there, null for a built-in edit's finding."""
        return {"rule": self.rule, "severity": self.severity.value, "message": self.message,
                "location": list(self.location), "path": self.path, "codes": list(self.codes),
                "reference": self.reference, "catalog": self.catalog, "fix": list(self.fix),
                "policy": self.policy}


@attrs.frozen(weakref_slot=False)
class Report:
    """The findings for one claim, the rules that could not run (and why), and the claim's
    identity: its ``claim_id`` and the ``line_ids`` of its service lines, so that every
    finding can be joined back to what was sent (:meth:`rows`)."""

    findings: tuple[Finding, ...]
    profile: str
    not_run: tuple[tuple[str, str], ...] = ()
    claim_id: str | None = None
    #: Each service line's identifier (None where it has none), in line order.
    line_ids: tuple[str | None, ...] = ()
    #: Each service line's number (``ServiceLine.line``), in line order.
    line_numbers: tuple[int, ...] = ()
    #: What the report must say about how the claim was judged (:class:`Notice`).
    notices: tuple[Notice, ...] = ()

    @property
    def ok(self) -> bool:
        """No error-level finding."""
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``error``, in report order (empty when :attr:`ok`).

        >>> r = Report((Finding("DX_NOT_BILLABLE", Severity.ERROR, "...", ("diagnoses", 0)),
        ...             Finding("PTR_DUPLICATE", Severity.WARNING, "...",
        ...                     ("service_lines", 0, "diagnosis_pointers", 1))),
        ...            "medicare-professional")
        >>> [f.rule for f in r.errors], [f.rule for f in r.warnings], r.ok
        (['DX_NOT_BILLABLE'], ['PTR_DUPLICATE'], False)
        """
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def outside_data(self) -> tuple[Notice, ...]:
        """The notices saying a date of the claim lies outside the data that judged it
        (:data:`COVERAGE_NOTICES`): when there are any, the claim was judged outside the
        data, and a claim without findings is not clean, only unflagged (:attr:`ok`, which
        says only that no error was found, is unchanged). The batch summaries count such
        claims apart (``codekit check``, ``x12.Checked.summary``, the pandas door's
        counts).

        >>> r = Report((), "medicare-professional", notices=(Notice(
        ...     "ICD10CM_DATE_NOT_COVERED", "2031-06-01 is after ..."),))
        >>> r.ok, [n.code for n in r.outside_data]
        (True, ['ICD10CM_DATE_NOT_COVERED'])
        """
        notices = self.notices
        if not notices:
            return ()
        return tuple(n for n in notices if n.code in COVERAGE_NOTICES)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings of severity ``warning``, in report order (``info`` findings are in
        neither :attr:`errors` nor this). ``codekit check`` exits 1 for a claim with
        warnings and no error."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def by_rule(self) -> dict[str, tuple[Finding, ...]]:
        """The findings grouped by their rule (finding ID), in the order each rule first
        appears; a rule with no finding is not a key.

        >>> r = Report((Finding("POA_MISSING", Severity.ERROR, "...", ("poa", 0)),
        ...             Finding("POA_MISSING", Severity.ERROR, "...", ("poa", 1))), "x")
        >>> {rule: len(fs) for rule, fs in r.by_rule().items()}
        {'POA_MISSING': 2}
        """
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.rule, []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    def line_of(self, finding: Finding) -> tuple[int | None, str | None]:
        """(line number, line id) of the service line a finding is about, or (None, None)."""
        loc = finding.location
        if len(loc) > 1 and loc[0] == "service_lines" and type(loc[1]) is int:
            i = loc[1]
            number = self.line_numbers[i] if i < len(self.line_numbers) else i + 1
            return number, self.line_ids[i] if i < len(self.line_ids) else None
        return None, None

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per finding, ready for a table (a DataFrame, CSV, a database):
        claim id, line number and id, rule, severity, path, codes, message, fix, catalog,
        and policy (the payer policy's rule ID; None for a built-in edit). Every row has
        every key; a key added later comes last, so that no column of a table moves.

        >>> r = Report((Finding("UNITS_INVALID", Severity.ERROR, "units are 0",
        ...                     ("service_lines", 0, "units"), ("99213",)),), "commercial",
        ...            claim_id="PCN-1", line_ids=("A1",), line_numbers=(1,))
        >>> row = r.rows()[0]
        >>> row["claim_id"], row["line"], row["line_id"], row["rule"], row["path"]
        ('PCN-1', 1, 'A1', 'UNITS_INVALID', '$.service_lines[0].units')
        >>> row["policy"] is None
        True
        """
        out = []
        for f in self.findings:
            line, line_id = self.line_of(f)
            out.append({"claim_id": self.claim_id, "line": line, "line_id": line_id,
                        "rule": f.rule, "severity": f.severity.value, "path": f.path,
                        "codes": list(f.codes), "message": f.message, "fix": list(f.fix),
                        "catalog": f.catalog, "policy": f.policy})
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data, as ``codekit.schema("report")`` describes it
        (what ``codekit check --format json`` writes for a claim, without ``input``):
        ``claim_id``, ``ok``, ``profile``, the counts of ``errors`` and ``warnings``,
        ``findings`` (:meth:`Finding.to_dict`, with ``line`` and ``line_id`` for a finding
        about a service line), ``not_run`` (``{"rule", "reason"}`` each) and ``notices``.

        >>> r = Report((Finding("UNITS_INVALID", Severity.ERROR, "units are 0",
        ...                     ("service_lines", 0, "units"), ("99213",)),), "commercial",
        ...            claim_id="PCN-1", line_ids=("A1",), line_numbers=(1,))
        >>> d = r.to_dict()
        >>> d["ok"], d["errors"], d["findings"][0]["path"], d["findings"][0]["line_id"]
        (False, 1, '$.service_lines[0].units', 'A1')
        """
        d: dict[str, Any] = {"claim_id": self.claim_id, "ok": self.ok, "profile": self.profile,
                             "errors": len(self.errors), "warnings": len(self.warnings),
                             "findings": [], "not_run": [
                                 {"rule": r, "reason": why} for r, why in self.not_run],
                             "notices": [n.to_dict() for n in self.notices]}
        for f in self.findings:
            fd = f.to_dict()
            line, line_id = self.line_of(f)
            if line is not None:
                fd["line"], fd["line_id"] = line, line_id
            d["findings"].append(fd)
        return d

    def to_json(self, **kw: Any) -> str:
        """The report as JSON text: ``json.dumps(report.to_dict(), **kw)``, byte for byte
        (without ``kw`` written piece by piece: what most claims share, the not-run list
        and a report with no finding, is encoded once; each finding is written from its
        parts, those every finding of a rule shares encoded once too)."""
        if kw:
            return json.dumps(self.to_dict(), **kw)
        findings, notices = self.findings, self.notices
        key = (self.profile, self.not_run)
        shared = _REPORT_JSON.get(key)
        if shared is None:
            not_run = json.dumps([{"rule": r, "reason": why} for r, why in self.not_run])
            shared = (f', "ok": true, "profile": {_text(self.profile)}, "errors": 0, '
                      f'"warnings": 0, "findings": [], "not_run": {not_run}, "notices": []}}',
                      not_run)
            _REPORT_JSON[key] = shared
        if not findings and not notices:  # most claims: only the claim id is the claim's
            return '{"claim_id": ' + _text(self.claim_id) + shared[0]
        errors = warnings = 0
        out = []
        for f in findings:
            if f.severity is _ERROR:
                errors += 1
            elif f.severity is _WARNING:
                warnings += 1
            out.append(_finding_json(f, *self.line_of(f)))
        text = "[" + ", ".join(out) + "]"
        notes = json.dumps([n.to_dict() for n in notices]) if notices else "[]"
        return (f'{{"claim_id": {_text(self.claim_id)}, "ok": {"false" if errors else "true"}'
                f', "profile": {_text(self.profile)}, "errors": {errors}, "warnings": '
                f'{warnings}, "findings": {text}, "not_run": {shared[1]}, "notices": '
                f"{notes}}}")

    def _repr_html_(self) -> str:
        from . import _html

        return _html.report(self)

    def __str__(self) -> str:
        return self.text()

    def text(self, at: Callable[[Finding], str] | None = None) -> str:
        """The report as text (``str(report)``); ``at`` gives where each finding is, in
        place of its JSON path (:meth:`Finding.text`)."""
        cid = self.claim_id
        # an id with control characters (a newline, an ANSI escape) is quoted: it must not
        # forge or recolour lines of the text report
        who = "" if cid is None else f"claim {cid if cid.isprintable() else shown(cid)} "
        # a claim that could not be read was judged under no profile: say why instead
        judged = self.profile or "not read"
        # no error found on a claim judged outside the data is not clean, only unflagged
        verdict = "NOT OK" if not self.ok else \
            "OK, judged outside the data" if self.outside_data else "OK"
        head = (f"{who}{verdict} ({judged}): {len(self.errors)} error(s), "
                f"{len(self.warnings)} warning(s)")
        lines = [head, *(f"  {f.text(None if at is None else at(f))}"
                         for f in self.findings)]
        lines += [f"  not run: {r} ({why})" for r, why in self.not_run]
        lines += [f"  notice {n.code}: {n.message}" for n in self.notices]
        return "\n".join(lines)


_ERROR, _WARNING = Severity.ERROR, Severity.WARNING
#: (profile, not_run) -> (the JSON of a report with neither findings nor notices after its
#: claim id, the not-run list's JSON) (Report.to_json): most claims share one of a few.
#: The reasons are the rules' own sentences, longer than an input key may be: long_keys.
_REPORT_JSON: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[str, str]] = _cache.owned(
    "findings.report_json", {}, max_entries=1024, long_keys=True)
#: (rule, severity, reference, policy) -> the JSON around a finding's own fields
#: (:func:`_finding_json`): a rule's findings share all but their message, location,
#: codes and fix. Keys are codekit's rules and references, or a policy file's.
_FINDING_JSON: dict[tuple[str, Severity, str, str | None], tuple[str, str, str]] = \
    _cache.owned("findings.finding_json", {}, max_entries=4096, long_keys=True)
_ENCODE_TEXT = json.encoder.encode_basestring_ascii  # what json.dumps does to a str


def _finding_json(f: Finding, line: int | None, line_id: str | None) -> str:
    """``json.dumps`` of the finding's dict in a report (:meth:`Finding.to_dict`, with
    ``line`` and ``line_id`` when ``line`` is not None), byte for byte, written from its
    parts; a finding holding anything but text (and whole numbers in its location) is
    given to ``json.dumps`` itself."""
    try:
        key = (f.rule, f.severity, f.reference, f.policy)
        around = _FINDING_JSON.get(key)  # (a value that cannot be a key: TypeError)
        if around is None:
            if type(f.severity) is not Severity:  # text equal to a Severity: not its key
                raise TypeError
            around = (f'{{"rule": {json.dumps(f.rule)}, "severity": '
                      f'{json.dumps(f.severity.value)}, "message": ',
                      f'], "reference": {json.dumps(f.reference)}, "catalog": '
                      f'{json.dumps(f.catalog)}, "fix": [',
                      f'], "policy": {json.dumps(f.policy)}')
            _FINDING_JSON[key] = around
        location, path = [], "$"  # the location as JSON and Finding.path, in one pass
        for part in f.location:
            if type(part) is int:
                location.append(str(part))
                path += f"[{part}]"
            elif type(part) is str:
                location.append(_ENCODE_TEXT(part))
                path += f".{part}" if part.isidentifier() else f"[{_quoted(part)}]"
            else:  # a bool, a float, a str or int subclass: json.dumps says it
                raise TypeError
        head, middle, tail = around
        message = _ENCODE_TEXT(f.message)
        codes = ", ".join(map(_ENCODE_TEXT, f.codes)) if f.codes else ""
        fix = ", ".join(map(_ENCODE_TEXT, f.fix)) if f.fix else ""
        if line is None:
            end = "}"
        elif type(line) is int:
            end = f', "line": {line}, "line_id": {_text(line_id)}}}'
        else:
            raise TypeError
        return (f'{head}{message}, "location": [{", ".join(location)}], "path": '
                f'{_ENCODE_TEXT(path)}, "codes": [{codes}{middle}{fix}{tail}{end}')
    except TypeError:  # not text where text is written (encode_basestring_ascii refuses)
        fd = f.to_dict()
        if line is not None:
            fd["line"], fd["line_id"] = line, line_id
        return json.dumps(fd)


#: RFC 9535 (JSONPath) name-selector escapes: the quote, the backslash, control characters
#: and lone surrogates (a key read from JSON text may hold one).
_PATH_ESCAPES = {**{c: f"\\u{c:04x}" for c in (*range(0x20), *range(0xD800, 0xE000))},
                 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r",
                 ord("'"): "\\'", ord("\\"): "\\\\"}


def _quoted(name: str) -> str:
    """``name`` as a JSONPath name selector: ``'a.b'``."""
    return "'" + name.translate(_PATH_ESCAPES) + "'"


def _text(value: object) -> str:
    """``json.dumps(value)`` for text or None, quickly."""
    if type(value) is str:
        return _ENCODE_TEXT(value)
    return "null" if value is None else json.dumps(value)
