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
from typing import Any

import attrs

__all__ = ["Finding", "Hit", "Location", "NotRun", "Report", "Severity"]


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
    #: The machine-readable fix: codes to use instead or to add, best first.
    fix: tuple[str, ...] = ()


@attrs.frozen
class NotRun:
    """What a rule yields when it cannot judge this claim (e.g. no table for its date)."""

    reason: str


@attrs.frozen
class Finding:
    """One problem on a claim: which rule, how bad, where, which codes, why, and the fix."""

    rule: str
    severity: Severity
    message: str
    location: Location = ()
    codes: tuple[str, ...] = ()
    reference: str = ""
    #: The machine-readable fix: codes to use instead (or to add: a missing modifier, the
    #: code to list first), best first; empty when the message is the only advice.
    fix: tuple[str, ...] = ()

    @property
    def catalog(self) -> str:
        """Where the edit is described: ``docs/catalog.md#<rule in lower case>`` (every
        built-in edit and every finding of the shipped policies has an entry there)."""
        return f"docs/catalog.md#{self.rule.lower()}"

    @property
    def path(self) -> str:
        """The location as a JSON path, e.g. ``$.service_lines[0].modifiers[1]``."""
        out = "$"
        for part in self.location:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def __str__(self) -> str:
        return f"{self.severity.value.upper():<7} {self.rule} at {self.path}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity.value, "message": self.message,
                "location": list(self.location), "path": self.path, "codes": list(self.codes),
                "reference": self.reference, "catalog": self.catalog, "fix": list(self.fix)}


@attrs.frozen
class Report:
    """The findings for one claim, and the rules that could not run (and why)."""

    findings: tuple[Finding, ...]
    profile: str
    not_run: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """No error-level finding."""
        return not self.errors

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def by_rule(self) -> dict[str, tuple[Finding, ...]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.rule, []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "profile": self.profile,
                "errors": len(self.errors), "warnings": len(self.warnings),
                "findings": [f.to_dict() for f in self.findings],
                "not_run": [{"rule": r, "reason": why} for r, why in self.not_run]}

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), **kw)

    def __str__(self) -> str:
        head = (f"{'OK' if self.ok else 'NOT OK'} ({self.profile}): {len(self.errors)} "
                f"error(s), {len(self.warnings)} warning(s)")
        lines = [head, *(f"  {f}" for f in self.findings)]
        lines += [f"  not run: {r} ({why})" for r, why in self.not_run]
        return "\n".join(lines)


