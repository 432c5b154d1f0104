"""Running the example claims that policies carry (``example pass|fail { ... }``).

A ``pass`` example must produce no finding from its rule, and be a claim the rule applies
to (its line codes valid on their dates, its dates within the rule's); a ``fail`` example
at least one finding (exactly on the lines named by ``expect line ...``, when given).
Examples run through the rule's :class:`PolicySet`, as a checker runs them, and only the
rule's own findings count: not the built-in edits, not the set's other rules, so examples
test the policy and nothing else.
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


def run_example(policy: Policy, example: Example, within: PolicySet | None = None
                ) -> ExampleResult:
    """Run one example claim through its policy, as a checker does: through
    ``within.check`` (the set the policy is used in; by default a set of the policy alone),
    keeping the policy's own findings. A ``pass`` example the rule did not apply to (a
    line whose code is not valid on its date, dates outside the rule's) fails: it tests
    nothing. A ``fail`` example without a finding says why, when the rule did not apply
    to it (those, or a payer or claim type not the rule's)."""
    if within is None:
        within = PolicySet((policy,))
    elif within.get(policy.id) is not policy:
        raise InvalidArgument(f"policies.run_example: policy {policy.id!r} is not in the "
                              f"set given as within= ({within!r})")
    ctx = _context(example.claim)
    findings = tuple(f for f in within.check(ctx) if f.policy == policy.id)
    if example.expect == "pass":
        idle = "" if findings else _not_applied(policy, ctx)
        ok = not findings and not idle
        detail = ("" if ok else f"the rule did not apply to this example: {idle}" if idle
                  else "expected no finding, got: " + "; ".join(f.message for f in findings))
    else:
        got = sorted({example.claim.service_lines[f.location[1]].line  # type: ignore[index]
                      for f in findings if f.location[:1] == ("service_lines",)
                      and isinstance(f.location[1:2][0] if f.location[1:2] else None, int)})
        if not findings:
            ok, detail = False, "expected a finding, got none"
            # (a line whose code is not valid on its date: _invalid_codes says so below)
            idle = _out_of_scope(policy, ctx) or (
                "" if any(ln.entry is None for ln in ctx.lines) else _not_applied(policy, ctx))
            if idle:
                detail += f": the rule did not apply to this example: {idle}"
        elif example.lines is not None and tuple(got) != tuple(sorted(example.lines)):
            ok = False
            detail = (f"expected findings on line(s) {', '.join(map(str, example.lines))}, "
                      f"got line(s) {', '.join(map(str, got)) or 'none'}")
        else:
            ok, detail = True, ""
    if not ok and not detail.startswith("the rule did not apply"):
        detail += _invalid_codes(example.claim)
    return ExampleResult(policy=policy.id, example=example.name, expect=example.expect,
                         ok=ok, findings=findings, detail=detail, file=example.file,
                         line=example.line)


def _not_applied(policy: Policy, ctx: Any) -> str:
    """Why ``policy`` cannot have judged the example claim of ``ctx`` (its pass would
    then test nothing), or "": a line whose code is not valid on its date (every rule
    skips it), or dates outside the rule's (``effective``/``until``): the claim's date for
    a claim rule, the dates of every line whose code may trigger a line rule."""
    skipped = [f"line {ln.line.line}'s {ln.line.procedure_code.strip()} is not a procedure "
               f"code valid on {ln.day} (a line with an invalid code is skipped)"
               for ln in ctx.lines if ln.entry is None]
    if skipped:
        return "; ".join(skipped)
    if policy.scope == "line":
        index = policy.index
        lines = [ln for ln in ctx.lines if index is None or ln.code in index]
        if not lines or any(policy.in_effect(ln.day) for ln in lines):
            return ""
        return "; ".join(f"line {ln.line.line} ({ln.code}) is dated {_outside(policy, ln.day)}"
                         for ln in lines)
    day = ctx.claim.date_of_service
    return "" if policy.in_effect(day) else f"the claim is dated {_outside(policy, day)}"


def _out_of_scope(policy: Policy, ctx: Any) -> str:
    """Why a ``fail`` example's claim is outside the rule's ``payer`` or ``claim_type``
    (a ``pass`` example may be so on purpose: another payer is not bound), or ""."""
    claim = ctx.claim
    if policy.payers and not any(n in policy.payers for n in ctx.payers):
        return (f"its payer {claim.payer!r} is none of the rule's "
                f"({', '.join(policy.payers)})")
    if policy.claim_types and claim.claim_type not in policy.claim_types:
        return (f"its claim type {claim.claim_type!r} is not the rule's "
                f"({', '.join(policy.claim_types)})")
    return ""


def _outside(policy: Policy, day: Any) -> str:
    if policy.effective is not None and day < policy.effective:
        return f"{day}, before the rule's effective date {policy.effective}"
    return f"{day}, after the rule's until date {policy.until}"


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

        policies: PolicySet = load(source)
    elif isinstance(source, Policy):
        policies = PolicySet((source,))
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
        policies = PolicySet([p for item in items
                              for p in ((item,) if isinstance(item, Policy) else item)])
    else:
        raise InvalidArgument(f"policies.run_tests: expected a policy file or folder (str or "
                              f"pathlib.Path), a PolicySet or policies, got "
                              f"{type(source).__name__}")
    # through the set, as a checker runs them: a rule that cannot fire in it fails
    return tuple(run_example(p, ex, policies) for p in policies for ex in p.examples)


def _shown(item: object) -> str:
    return f"a {type(item).__name__} ({shown(item, 40)})"
