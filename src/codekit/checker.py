"""The checker: a claim through the built-in edits and the payer policies, into a report.

:class:`Checker` picks the profile for a claim (which edits run and how severe they are),
resolves the claim's codes once (:class:`~codekit.rules.ClaimContext`), runs the built-in
rules of :mod:`codekit.rules` and then the payer policies of :mod:`codekit.policies`, and
returns a :class:`~codekit.findings.Report`. It is the top of the library; the front doors
(the command line, and the X12, FHIR, DataFrame and Spark adapters) call it.

>>> from codekit import Claim, Checker
>>> claim = Claim.from_dict({
...     "claim_type": "professional", "payer": "medicare",
...     "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": "2025-11-03",
...     "diagnoses": ["E11.9", "E10.9"],
...     "service_lines": [{"procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}]})
>>> report = Checker().check(claim)
>>> [f.rule for f in report.findings]
['DX_EXCLUDES1_CONFLICT']
>>> report.findings[0].location
('diagnoses', 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .errors import CheckerError
from .findings import Finding, NotRun, Report, Severity
from .rules import (
    ClaimContext,
    Profile,
    Rule,
    builtin_profiles,
    builtin_rules,
    drop_superseded,
    profile_for,
)
from .rules import why_missing as _why_missing

if TYPE_CHECKING:
    from .claims import Claim

__all__ = ["BUNDLED", "Checker", "check"]

BUNDLED = "bundled"


def _policies(value: Any) -> tuple[Any, ...] | str:
    """One policy set (which checks itself, with its index) or a sequence of them; or
    ``"bundled"``: the Medicare policies shipped in ``data/policies/medicare``."""
    if value == BUNDLED:
        return BUNDLED
    if value is None:
        return ()
    if hasattr(value, "check"):
        return (value,)
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        raise CheckerError(f"policies={value!r}: expected {BUNDLED!r}, a policy set "
                           "(codekit.policies.load(path)) or a sequence of them")
    sets = tuple(value)
    for s in sets:
        if not hasattr(s, "check"):
            raise CheckerError(f"policies: {s!r} is not a policy set (load one with "
                               "codekit.policies.load(path))")
    return sets


@attrs.frozen
class Checker:
    """Checks claims against the built-in edits, loaded tables and payer policies.

    With no ``profile`` the checker picks one per claim: ``medicare-inpatient`` (Medicare,
    institutional, type of bill 11x), ``medicare-outpatient`` (other Medicare institutional),
    ``medicare-professional`` and ``commercial`` (any other payer). ``profile`` may be one of
    those names or a :class:`Profile`. ``ptp``/``mue``/``addon`` are tables from
    :mod:`codekit.ncci` (the bundled hospital PTP and add-on tables are used when not
    given); ``policies`` are compiled payer policies (:mod:`codekit.policies`): by default
    the Medicare policies shipped with codekit (they apply to Medicare claims only); pass
    ``policies=()`` for none, or your own sets (add ``policies.default_policies()`` to
    keep the shipped ones).

    A checker is an immutable value: it pickles (tables travel as their file paths) and is
    safe to share between threads.
    """

    profile: Profile | str | None = None
    #: Tables from codekit.ncci; compiled policies: objects with ``check(ctx)`` yielding
    #: :class:`Finding` (see :mod:`codekit.policies`).
    ptp: Any = None
    mue: Any = None
    addon: Any = None
    policies: tuple[Any, ...] | str = attrs.field(default=BUNDLED, converter=_policies)
    rules: tuple[Rule, ...] = attrs.field(factory=lambda: _default_rules(), eq=False)
    profiles: Mapping[str, Profile] = attrs.field(factory=lambda: _default_profiles(),
                                                 eq=False)
    # What the checker works out once: ("plan", id(profile)) -> (profile, [(rule, severity)
    # for the enabled rules]); ("tables", id(profile)) -> (profile, {name: table});
    # "policies" -> the bundled policy sets once loaded.
    _memo: dict[object, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.profile, str) and self.profile not in self.profiles:
            raise CheckerError(f"unknown profile {self.profile!r}; known: "
                               + ", ".join(self.profiles))
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise CheckerError("two rules share an ID")

    def __reduce__(self) -> tuple[Any, ...]:
        # The memo of plans and tables is rebuilt on the other side, not shipped.
        return (Checker, (self.profile, self.ptp, self.mue, self.addon, self.policies,
                          self.rules, dict(self.profiles)))

    def preload(self) -> Checker:
        """Read every table this checker can use now, rather than when the first claim
        needs it (a service calls this once at start-up, as ``MceEditor()`` loads its
        data when made); returns the checker.

        >>> Checker(policies=()).preload().check  # doctest: +ELLIPSIS
        <bound method Checker.check of Checker(...)>
        """
        from . import icd10cm, procedure
        icd10cm.preload()
        procedure.preload()
        profiles = [*self.profiles.values()]
        if isinstance(self.profile, Profile):
            profiles.append(self.profile)
        for profile in profiles:
            self.tables_for(profile)  # opens the NCCI tables the profile uses
        self.policy_sets()
        return self

    def policy_sets(self) -> tuple[Any, ...]:
        """The policies this checker applies (the shipped Medicare set by default)."""
        policies = self.policies
        if isinstance(policies, str):  # BUNDLED, the only text _policies lets through
            bundled = self._memo.get("policies")
            if bundled is None:
                from .policies import default_policies

                bundled = self._memo["policies"] = (default_policies(),)
            return bundled
        return policies

    def _plan(self, profile: Profile, features: frozenset[str]) -> _Plan:
        """The rules to run on a claim with ``features`` under ``profile`` (with their
        severities), and those that cannot run for want of a table; worked out once."""
        key = ("plan", id(profile), features)
        cached = self._memo.get(key)
        if cached is not None and cached[0] is profile:
            return cached[1]
        tables = self.tables_for(profile)
        steps = []
        not_run = []
        for r in self.rules:
            if r.id in profile.disabled or (r.when and not r.when <= features):
                continue
            missing = next((n for n in r.needs if not (
                bool(self.policy_sets()) if n == "policies" else tables.get(n) is not None)),
                None)
            if missing is not None:
                reason = _why_missing(profile, missing)
                if reason:
                    not_run.append((r.id, reason))
                continue
            steps.append((r, r.check, profile.severity_of(r)))
        plan = (steps, not_run)
        if len(self._memo) < 1024:
            self._memo[key] = (profile, plan)
        return plan

    def tables_for(self, profile: Profile) -> dict[str, Any]:
        """The PTP, MUE and add-on tables a profile uses (None where it uses none)."""
        cached = self._memo.get(("tables", id(profile)))
        if cached is not None and cached[0] is profile:
            return cached[1]
        from . import ncci

        out: dict[str, Any] = {"ptp": None, "mue": None, "addon": None}
        if profile.option("ncci", False):
            if self.ptp is not None:
                out["ptp"] = self.ptp
            elif profile.option("ptp_table") == "hospital":
                out["ptp"] = ncci.hospital_ptp()
            out["mue"] = self.mue
            out["addon"] = self.addon if self.addon is not None else ncci.addons()
        if len(self._memo) < 128:
            self._memo[("tables", id(profile))] = (profile, out)
        return out

    def with_rules(self, *rules: Rule) -> Checker:
        """A checker with more rules (a rule with an existing ID replaces it)."""
        new = {r.id: r for r in self.rules}
        new.update({r.id: r for r in rules})
        return attrs.evolve(self, rules=tuple(new.values()))

    def with_profile(self, profile: Profile) -> Checker:
        """A checker that knows (and uses) ``profile``."""
        return attrs.evolve(self, profile=profile.name,
                            profiles={**self.profiles, profile.name: profile})

    def profile_for(self, claim: Claim) -> Profile:
        if isinstance(self.profile, Profile):
            return self.profile
        if isinstance(self.profile, str):
            return self.profiles[self.profile]
        return profile_for(claim, self.profiles)

    def context(self, claim: Claim) -> ClaimContext:
        """``claim`` resolved for its dates under the profile this checker picks for it,
        with the tables the profile uses: what rules and policies read."""
        profile = self.profile_for(claim)
        return ClaimContext(claim, profile, self.tables_for(profile))

    def iter_findings(self, claim: Claim) -> Iterator[Finding]:
        """Findings one by one (see :meth:`check` for the report)."""
        yield from self._run(claim)[0]

    def check(self, claim: Claim) -> Report:
        """Every finding for ``claim``, in rule order, and the rules that could not run."""
        findings, not_run, profile = self._run(claim)
        lines = claim.service_lines
        return Report(findings=tuple(findings), profile=profile.name, not_run=tuple(not_run),
                      claim_id=claim.claim_id, line_ids=tuple(ln.line_id for ln in lines),
                      line_numbers=tuple(ln.line for ln in lines))

    def _run(self, claim: Claim) -> tuple[list[Finding], list[tuple[str, str]], Profile]:
        profile = self.profile_for(claim)
        ctx = ClaimContext(claim, profile, self.tables_for(profile))
        findings: list[Finding] = []
        steps, static_not_run = self._plan(profile, ctx.features)
        not_run = list(static_not_run)
        superseding: list[tuple[Rule, int]] = []
        for rule, check, severity in steps:
            before = len(findings)
            for hit in check(ctx):
                if isinstance(hit, NotRun):
                    not_run.append((rule.id, hit.reason))
                    continue
                findings.append(Finding(rule.id, severity, hit.message, hit.location,
                                        hit.codes, rule.reference))
            if rule.supersedes and len(findings) > before:
                superseding.append((rule, before))
        if superseding:
            findings = drop_superseded(findings, superseding)
        # Payer policies (codekit.policies): each yields finished findings; the profile may
        # still switch their IDs off or change their severity.
        for policy in self.policy_sets():
            for f in policy.check(ctx):
                if f.rule in profile.disabled:
                    continue
                sev = profile.severities.get(f.rule)
                findings.append(f if sev is None else attrs.evolve(f, severity=sev))
        return findings, not_run, profile


_Plan = tuple[list[tuple[Rule, Callable[..., Iterable[Any]], Severity]],
              list[tuple[str, str]]]


def _default_rules() -> tuple[Rule, ...]:
    return builtin_rules()


def _default_profiles() -> dict[str, Profile]:
    return builtin_profiles()


_DEFAULT: list[Checker] = []


def check(claim: Claim) -> Report:
    """Check ``claim`` with a default :class:`Checker` on the bundled data."""
    if not _DEFAULT:
        _DEFAULT.append(Checker())
    return _DEFAULT[0].check(claim)
