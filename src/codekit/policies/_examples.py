"""Running the example claims that policies carry (``example pass|fail { ... }``).

A ``pass`` example must produce no finding from its rule; a ``fail`` example at least one
(exactly on the lines named by ``expect line ...``, when given). Only the rule itself
runs, not the built-in edits, so examples test the policy and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import attrs

from .._show import shown
from ..errors import InvalidArgument
from ..findings import Finding
from ._runtime import Example, Policy, PolicySet, check_unique_ids

__all__ = ["ExampleResult", "run_example", "run_tests"]


@attrs.frozen
class ExampleResult:
    """The outcome of one example: ``ok`` when it behaved as declared."""

    policy: str
    example: str
    expect: str
    ok: bool
    findings: tuple[Finding, ...]
    detail: str
    file: str
    line: int

    def __str__(self) -> str:
        head = f"{'ok  ' if self.ok else 'FAIL'} {self.policy}: {self.expect} {self.example!r}"
        return head if self.ok else f"{head} ({self.file}:{self.line}): {self.detail}"


_PROFILES: list[Any] = []


def _context(claim: Any) -> Any:
    """The claim resolved under the profile a checker would pick for it (no NCCI table:
    an example tests its policy, not the built-in edits)."""
    from ..rules import ClaimContext, builtin_profiles, route

    if not _PROFILES:
        _PROFILES.append(builtin_profiles())
    where = route(claim, _PROFILES[0])
    return ClaimContext(claim, where.profile, payer=where.payer)


def run_example(policy: Policy, example: Example) -> ExampleResult:
    """Run one example claim through its policy."""
    findings = tuple(policy.check(_context(example.claim)))
    if example.expect == "pass":
        ok = not findings
        detail = "" if ok else "expected no finding, got: " + "; ".join(
            f.message for f in findings)
    else:
        got = sorted({example.claim.service_lines[f.location[1]].line  # type: ignore[index]
                      for f in findings if f.location[:1] == ("service_lines",)
                      and isinstance(f.location[1:2][0] if f.location[1:2] else None, int)})
        if not findings:
            ok, detail = False, "expected a finding, got none"
        elif example.lines is not None and tuple(got) != tuple(sorted(example.lines)):
            ok = False
            detail = (f"expected findings on line(s) {', '.join(map(str, example.lines))}, "
                      f"got line(s) {', '.join(map(str, got)) or 'none'}")
        else:
            ok, detail = True, ""
    if not ok:
        detail += _invalid_codes(example.claim)
    return ExampleResult(policy=policy.id, example=example.name, expect=example.expect,
                         ok=ok, findings=findings, detail=detail, file=example.file,
                         line=example.line)


def _invalid_codes(claim: Any) -> str:
    """For a failed example: the codes of its claim not valid on their date (an invalid
    line code is skipped by every rule, an invalid diagnosis is in no set), which is often
    why it failed; "" when all are valid."""
    from .. import icd10cm, procedure

    day = claim.date_of_service
    bad = [f"diagnosis {dx}" for dx in claim.diagnoses if not icd10cm.is_valid(dx, on=day)]
    bad += [f"line {ln.line}'s {ln.procedure_code}" for ln in claim.service_lines
            if not procedure.is_valid(ln.procedure_code, on=ln.date_of_service or day)]
    if not bad:
        return ""
    return (f" (not valid on {day}: {', '.join(bad)}; a line with an invalid code is "
            "skipped, an invalid diagnosis is in no set)")


def run_tests(source: str | os.PathLike[str] | PolicySet | Iterable[Policy]
              ) -> tuple[ExampleResult, ...]:
    """Run every example of the policies in ``source`` (a file, a folder, a
    :class:`PolicySet`, a :class:`Policy`, or a sequence of policies and sets with
    distinct rule IDs). Raises :class:`PolicyError` when files do not load or two rules
    share an ID, :class:`~codekit.errors.InvalidArgument` for anything else (None, a list
    of paths).

    >>> from codekit.policies import loads
    >>> rules = loads('''
    ... rule CMT
    ...   payer: medicare
    ...   source: "Medicare Benefit Policy Manual ch. 15 §240.1.2"
    ...   for each line where procedure in 98940-98942
    ...   require first pointed dx in M99.00-M99.05
    ...   example pass { on 2025-11-03  dx M99.03, M54.50  line 98941 AT -> 1, 2 }
    ...   example fail { on 2025-11-03  dx M54.50, M99.03  line 98941 AT -> 1, 2 }
    ... end''')
    >>> [(r.expect, r.ok) for r in run_tests(rules)]
    [('pass', True), ('fail', True)]
    """
    if isinstance(source, str | os.PathLike):
        from ._load import load

        policies: Iterable[Policy] = load(source)
    elif isinstance(source, Policy):
        policies = (source,)
    elif isinstance(source, PolicySet):
        policies = source
    elif isinstance(source, Iterable) and not isinstance(source, bytes | bytearray):
        items = tuple(source)
        for i, item in enumerate(items):
            if not isinstance(item, Policy | PolicySet):
                raise InvalidArgument(
                    f"policies.run_tests: item {i} is {_shown(item)}, not a Policy or "
                    "PolicySet (give a policy file or folder, a PolicySet, or policies; "
                    "for several paths, load each)")
        check_unique_ids(items)
        policies = [p for item in items
                    for p in ((item,) if isinstance(item, Policy) else item)]
    else:
        raise InvalidArgument(f"policies.run_tests: expected a policy file or folder (str or "
                              f"pathlib.Path), a PolicySet or policies, got "
                              f"{type(source).__name__}")
    return tuple(run_example(p, ex) for p in policies for ex in p.examples)


def _shown(item: object) -> str:
    return f"a {type(item).__name__} ({shown(item, 40)})"
