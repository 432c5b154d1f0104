"""What the X12 front door returns: locations in the file, envelopes, claims read, results.

All are frozen values. A :class:`Location` says where in the 837 a finding is: the
interchange, group and transaction control numbers (ISA13, GS06, ST02), the claim
(CLM01), the loop (``2300``), the segment with its ordinal in the transaction (as SE01
counts, ST = 1), its line and byte offset in the file, and the element (``HI01-2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..findings import Finding, Report, Severity
from ..findings import Location as ClaimPath

if TYPE_CHECKING:
    from ..claims import Claim
    from ..errors import X12Error

__all__ = ["X12_SAYS", "Envelope", "Location", "Result", "Summary", "X12Claim", "X12Finding"]

#: The checker's edits of a claim's own consistency (``codekit.rules.claim_form``) that
#: the 837's own checks say from the 837 as sent, at their element: the claim charge's
#: balance (``X12_CLAIM_TOTAL_MISMATCH``, CLM02 against every SV102/SV203, with the lines
#: of another code set no claim carries: SV101-1 ER, IV, WK), negative charges
#: (``X12_AMOUNT_NEGATIVE``) and the REF*F8 of a replacement or void
#: (``X12_SEGMENT_MISSING``, ``X12_SEGMENT_NOT_USED``). An 837 claim's report leaves
#: these out: one mistake, one finding.
X12_SAYS = frozenset({"CLAIM_TOTAL_MISMATCH", "CHARGE_NEGATIVE", "CORRECTED_CLAIM_ID_MISSING",
                      "CORRECTED_CLAIM_ID_UNEXPECTED"})


@attrs.frozen
class Location:
    """Where in the 837: control numbers, claim, loop, segment, element, line and byte.

    >>> loc = Location(interchange="000000101", group="101", transaction="1239",
    ...                claim_id="1000A", loop="2300", segment="HI", ordinal=23, line=24,
    ...                offset=744, element="HI01-2")
    >>> str(loc)
    'line 24, byte 744: HI01-2 (HI, segment 23 of ST 1239; loop 2300; claim 1000A)'
    """

    interchange: str | None = None
    group: str | None = None
    transaction: str | None = None
    claim_id: str | None = None
    loop: str | None = None
    segment: str | None = None
    #: The segment's position in its transaction, counted as SE01 counts (ST is 1).
    ordinal: int | None = None
    #: 1-based line of the file the segment starts on.
    line: int | None = None
    #: Byte offset of the segment's first character in the file (a character offset when
    #: the input was a text stream).
    offset: int | None = None
    #: ``HI01-2``: element 01, component 2 (``CLM02`` for a simple element).
    element: str | None = None

    def __str__(self) -> str:
        head = ", ".join(p for p in (
            f"line {self.line}" if self.line is not None else "",
            f"byte {self.offset}" if self.offset is not None else "") if p)
        what = self.element or self.segment or "interchange"
        inner = []
        if self.segment:
            seg = self.segment
            if self.ordinal is not None:
                seg += f", segment {self.ordinal}"
                if self.transaction is not None:
                    seg += f" of ST {self.transaction}"
            if self.element:
                inner.append(seg)
            elif self.ordinal is not None:
                inner.append(seg[len(self.segment) + 2:])
        if self.loop:
            inner.append(f"loop {self.loop}")
        if self.claim_id is not None:
            inner.append(f"claim {self.claim_id}")
        tail = f" ({'; '.join(inner)})" if inner else ""
        return f"{head}: {what}{tail}" if head else f"{what}{tail}"

    def to_dict(self) -> dict[str, Any]:
        """The location as JSON-ready data: every field by name (None where unknown)."""
        return attrs.asdict(self)


@attrs.frozen
class Envelope:
    """The envelope a claim travelled in: control numbers, sender and receiver, the
    guide the transaction names and the one it was validated with."""

    interchange: str | None = None
    group: str | None = None
    transaction: str | None = None
    sender: str | None = None
    receiver: str | None = None
    #: The version the transaction names (ST03, or GS08 when ST03 is missing).
    version: str | None = None
    #: The pyx12 guide it was validated with (``005010X222A1`` / ``005010X223A2``).
    guide: str | None = None
    claim_type: str | None = None


@attrs.frozen
class X12Finding:
    """A finding with its WEDI SNIP level and its place in the 837.

    ``finding.location`` is the claim path (``("diagnoses", 1)``); ``location`` the X12
    location of the same thing (``HI02-2``, with the file's line and byte). ``line`` and
    ``line_id`` name the service line it is about, as every door's report rows do: the
    line's number (LX01, as the claim's ``ServiceLine.line`` reads it) and its id (REF*6R,
    ``ServiceLine.line_id``); None for a finding about no line."""

    finding: Finding
    snip: int
    location: Location
    #: The service line's number (LX01 as read: ``ServiceLine.line``), or None.
    line: int | None = None
    #: The service line's id (REF*6R: ``ServiceLine.line_id``), or None.
    line_id: str | None = None

    @property
    def rule(self) -> str:
        """The finding ID (``finding.rule``)."""
        return self.finding.rule

    @property
    def severity(self) -> Severity:
        """The finding's severity (``finding.severity``)."""
        return self.finding.severity

    def row(self) -> dict[str, Any]:
        """One flat row: the claim, its service line (``line``: LX01 as read, ``line_id``:
        REF*6R; as :meth:`codekit.Report.rows` names lines), control numbers, SNIP level,
        rule, severity, claim path, loop, segment, ordinal, the file position
        (``file_line``, 1-based, and ``offset``, the byte), element, message, codes, fix,
        catalog, and policy (the payer policy's rule ID, None for a built-in edit:
        :attr:`Finding.policy`)."""
        f, loc = self.finding, self.location
        return {"claim_id": loc.claim_id, "line": self.line, "line_id": self.line_id,
                "interchange": loc.interchange,
                "group": loc.group, "transaction": loc.transaction, "snip": self.snip,
                "rule": f.rule, "severity": f.severity.value, "path": f.path,
                "loop": loc.loop, "segment": loc.segment, "ordinal": loc.ordinal,
                "file_line": loc.line, "offset": loc.offset, "element": loc.element,
                "message": f.message, "codes": list(f.codes), "fix": list(f.fix),
                "catalog": f.catalog, "policy": f.policy}

    def __str__(self) -> str:
        return f"{self.finding} [SNIP {self.snip}; {self.location}]"


def _frozen_map(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return dict(value)


@attrs.frozen
class X12Claim:
    """One 2300 claim loop as read: the codekit :class:`~codekit.claims.Claim` (or the
    ``error`` that kept it from being one), its envelope and its X12 location, what
    levels 1-4 found, and the table from claim paths to X12 locations (:meth:`locate`).

    ``kind`` is ``"claim"``; an ``"envelope"`` record carries what was found outside any
    claim (a transaction with no claims, a wrong SE count, missing trailers) and has no
    claim.
    """

    claim: Claim | None
    envelope: Envelope
    location: Location
    findings: tuple[X12Finding, ...] = ()
    error: X12Error | None = None
    kind: str = "claim"
    _paths: Mapping[ClaimPath, Location] = attrs.field(factory=dict, converter=_frozen_map,
                                                       repr=False, eq=False, alias="paths")

    @property
    def claim_id(self) -> str | None:
        """CLM01 of the claim, None for an envelope record (or a claim without one)."""
        return self.location.claim_id

    def locate(self, path: ClaimPath) -> Location:
        """The X12 location of a claim path, e.g. ``("service_lines", 0, "modifiers", 1)``
        → ``SV101-4``; a path with no element of its own falls back to the nearest
        enclosing one (the line's SV1, then the claim's CLM)."""
        paths = self._paths
        p = tuple(path)
        while p:
            loc = paths.get(p)
            if loc is not None:
                return loc
            p = p[:-1]
        return paths.get((), self.location)

    @property
    def paths(self) -> Mapping[ClaimPath, Location]:
        """Every claim path this claim has an X12 location for."""
        return self._paths

    def result(self, report: Report | None, groups: Mapping[str, str] | None = None
               ) -> Result:
        """This claim's :class:`Result`: its own findings (SNIP 1-5) and those of the
        checker's ``report`` on its claim (each located with :meth:`locate`, its level from
        ``groups``, the checker's rule groups by ID), in SNIP order, in one report."""
        from ._snip import snip_level

        findings = list(self.findings)
        if self.claim is None or report is None:
            return Result(self, None, tuple(findings))
        groups = groups or {}
        # a revenue code this record's SV201 check already calls malformed, or missing
        # (pyx12: SV201 is mandatory), a type of bill whose CLM05-1 it calls malformed or
        # too long: one finding
        malformed = {x.finding.location for x in self.findings
                     if x.rule in ("X12_ELEMENT_CODE_INVALID", "X12_ELEMENT_MISSING",
                                   "X12_ELEMENT_LENGTH")}
        for f in report.findings:
            if f.rule in ("REVENUE_CODE_INVALID", "BILL_TYPE_INVALID") and \
                    f.location in malformed:
                continue
            if f.rule in X12_SAYS:
                continue
            findings.append(X12Finding(f, snip_level(f.rule, groups.get(f.rule)),
                                       self.locate(f.location), *report.line_of(f)))
        findings.sort(key=lambda x: x.snip)
        return Result(self, attrs.evolve(report, findings=tuple(x.finding for x in findings)),
                      tuple(findings))


@attrs.frozen
class Result:
    """One claim checked (or one envelope record): the claim or why it could not be read,
    the codekit :class:`~codekit.findings.Report` with every finding of SNIP levels 1-7,
    and the same findings with their levels and X12 locations."""

    record: X12Claim
    report: Report | None
    findings: tuple[X12Finding, ...]

    @property
    def claim(self) -> Claim | None:
        """The codekit claim read from the 2300 loop; None for an envelope record or a
        claim that could not be read (:attr:`error` says why)."""
        return self.record.claim

    @property
    def error(self) -> X12Error | None:
        """Why the claim could not be read (:class:`~codekit.X12ClaimUnreadable`,
        :class:`~codekit.X12Unsupported`), or None when it was."""
        return self.record.error

    @property
    def kind(self) -> str:
        """``"claim"``, or ``"envelope"`` for a record of what was found outside any
        claim (a wrong SE count, missing trailers, a transaction with no claim)."""
        return self.record.kind

    @property
    def claim_id(self) -> str | None:
        """CLM01 of the claim, None for an envelope record."""
        return self.record.claim_id

    @property
    def location(self) -> Location:
        """Where the record is in the file: its CLM segment (for an envelope record,
        the segment the finding is about)."""
        return self.record.location

    @property
    def envelope(self) -> Envelope:
        """The interchange, group and transaction the record came in (control numbers,
        sender, receiver, version and guide)."""
        return self.record.envelope

    @property
    def ok(self) -> bool:
        """Read, and no error-level finding at any level."""
        return self.record.error is None and not any(
            f.finding.severity is Severity.ERROR for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error-level findings (and, for a claim that could not be read, its error as
        a finding with the error's code)."""
        out = tuple(f.finding for f in self.findings if f.finding.severity is Severity.ERROR)
        err = self.record.error
        if err is not None:
            out = (Finding(err.code, Severity.ERROR, err.reason,
                           reference="docs/x12.md"), *out)
        return out

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The warning-level findings of every SNIP level, in SNIP order."""
        return tuple(f.finding for f in self.findings
                     if f.finding.severity is Severity.WARNING)

    def to_json(self, **kw: Any) -> str:
        """:meth:`to_dict` as JSON text; ``kw`` go to :func:`json.dumps`."""
        import json

        return json.dumps(self.to_dict(), **kw)

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per finding (see :meth:`X12Finding.row`); a claim that could not
        be read gives one row for its error."""
        out = [f.row() for f in self.findings]
        if self.record.error is not None:
            loc = self.record.location
            out.insert(0, {"claim_id": loc.claim_id, "line": None, "line_id": None,
                           "interchange": loc.interchange,
                           "group": loc.group, "transaction": loc.transaction, "snip": None,
                           "rule": self.record.error.code, "severity": "error", "path": "$",
                           "loop": loc.loop, "segment": loc.segment, "ordinal": loc.ordinal,
                           "file_line": loc.line, "offset": loc.offset,
                           "element": loc.element,
                           "message": self.record.error.reason, "codes": [], "fix": [],
                           "catalog": f"docs/x12.md#{self.record.error.code.lower()}",
                           "policy": None})
        return out

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: ``kind``, ``claim_id``, ``ok``, ``envelope``,
        ``location``, ``error`` (``{"code", "message"}`` or None), ``profile``,
        ``not_run``, ``notices`` and ``findings`` (one :meth:`X12Finding.row` each)."""
        rec = self.record
        return {"kind": rec.kind, "claim_id": rec.claim_id, "ok": self.ok,
                "envelope": attrs.asdict(rec.envelope), "location": rec.location.to_dict(),
                "error": None if rec.error is None else {
                    "code": rec.error.code, "message": str(rec.error)},
                "profile": None if self.report is None else self.report.profile,
                "not_run": [] if self.report is None else [
                    {"rule": r, "reason": why} for r, why in self.report.not_run],
                "notices": [] if self.report is None else [
                    n.to_dict() for n in getattr(self.report, "notices", ())],
                "findings": [f.row() for f in self.findings]}

    def __str__(self) -> str:
        rec = self.record
        if rec.kind != "claim":
            head = f"{rec.location}: envelope"
        else:
            head = f"claim {rec.claim_id} ({rec.location})"
        if rec.error is not None:
            head += f": NOT READ: {rec.error.reason}"
        else:
            errors = sum(f.finding.severity is Severity.ERROR for f in self.findings)
            warnings = sum(f.finding.severity is Severity.WARNING for f in self.findings)
            outside = self.report is not None and self.report.outside_data
            verdict = "NOT OK" if not self.ok else \
                "OK, judged outside the data" if outside else "OK"
            head += f": {verdict}, {errors} error(s), {warnings} warning(s)"
        return "\n".join([head, *(f"  {f}" for f in self.findings)])


@attrs.frozen
class Summary:
    """What a file came to: claims read and not read, accepted (no error at any level)
    and rejected, findings by rule and by SNIP level, envelope records."""

    claims: int = 0
    accepted: int = 0
    rejected: int = 0
    #: Claims that could not be read (included in ``rejected``).
    unreadable: int = 0
    envelopes: int = 0
    by_rule: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_map)
    by_snip: Mapping[int, int] = attrs.field(factory=dict, converter=_frozen_map)
    #: Claims judged outside the data (accepted or not): their report has a coverage
    #: notice (:attr:`codekit.Report.outside_data`), a date codekit's data does not cover,
    #: so their answers are extrapolated. Counted apart: "accepted" says only that no
    #: error was found, as :attr:`codekit.Report.ok` does.
    outside_data: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready data: ``claims``, ``accepted``, ``rejected``,
        ``unreadable``, ``envelopes``, ``outside_data``, and ``by_rule`` and ``by_snip``
        (the SNIP levels as text keys), sorted."""
        return {"claims": self.claims, "accepted": self.accepted, "rejected": self.rejected,
                "unreadable": self.unreadable, "envelopes": self.envelopes,
                "outside_data": self.outside_data,
                "by_rule": dict(sorted(self.by_rule.items())),
                "by_snip": {str(k): v for k, v in sorted(self.by_snip.items())}}

    def __str__(self) -> str:
        outside = (f"; {self.outside_data} judged outside the data (a date codekit's data "
                   "does not cover: see their notices)") if self.outside_data else ""
        lines = [f"{self.claims} claim(s): {self.accepted} accepted, {self.rejected} "
                 f"rejected ({self.unreadable} not readable){outside}; {self.envelopes} "
                 "envelope record(s)"]
        for rule, n in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:>7}  {rule}")
        return "\n".join(lines)
