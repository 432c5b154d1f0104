"""The rules engine: findings, reports, rules, profiles and the :class:`Checker`.

Rules are small functions that look at a :class:`~codekit.rules.context.ClaimContext` and
yield :class:`Hit` objects (a message, where on the claim, which codes). They do not know
their own severity or reference: the engine adds the rule's catalog ID, the severity the
profile gives it and the reference that defines it, so the same rule serves every payer.

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

import enum
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import CheckerError
from .context import ClaimContext

if TYPE_CHECKING:
    from ..claims import Claim

__all__ = ["Checker", "Finding", "Hit", "NotRun", "Profile", "Report", "Rule", "Severity",
           "check", "rule"]


class Severity(enum.StrEnum):
    """How bad a finding is. ``error``: the claim will be rejected or denied;
    ``warning``: a coding-convention or audit problem a payer may enforce; ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


Location = tuple[str | int, ...]


@attrs.frozen
class Hit:
    """What a rule yields: the engine turns it into a :class:`Finding`."""

    message: str
    location: Location = ()
    codes: tuple[str, ...] = ()


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
                "reference": self.reference}


@attrs.frozen
class Rule:
    """A check with its catalog ID, default severity, reference and documentation.

    ``needs`` names tables the rule cannot run without (``"ptp"``, ``"mue"``,
    ``"policies"``); when the checker lacks one, the report lists the rule as not run.
    """

    id: str
    group: str
    severity: Severity
    reference: str
    doc: str
    check: Callable[[ClaimContext], Iterable[Hit]] = attrs.field(eq=False, repr=False)
    needs: tuple[str, ...] = ()
    #: Claim features the rule can only fire with (see ``ClaimContext.features``): the
    #: engine skips it on claims without them, e.g. modifier edits on a claim with none.
    when: frozenset[str] = frozenset()
    #: Rules whose finding on the same line and codes this rule's finding replaces (one
    #: mistake, one primary finding): the more specific explanation wins.
    supersedes: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # A rule defined at module level pickles as a reference to it (its function may be
        # a closure); others pickle field by field.
        module = getattr(self.check, "__module__", None)
        if module:
            import sys

            namespace = vars(sys.modules.get(module, object()))
            for name, value in namespace.items():
                if value is self:
                    return (_load_rule, (module, name))
        return (Rule, (self.id, self.group, self.severity, self.reference, self.doc,
                       self.check, self.needs, self.when, self.supersedes))


def _load_rule(module: str, name: str) -> Rule:
    import importlib

    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def rule(
    id: str, group: str, severity: Severity | str, reference: str, *,
    needs: Sequence[str] = (), when: Sequence[str] = (), supersedes: Sequence[str] = (),
) -> Callable[[Callable[[ClaimContext], Iterable[Hit]]], Rule]:
    """Decorator: turn a check function into a :class:`Rule` (its docstring is the doc)."""

    def wrap(fn: Callable[[ClaimContext], Iterable[Hit]]) -> Rule:
        return Rule(id=id, group=group, severity=Severity(severity), reference=reference,
                    doc=(fn.__doc__ or "").strip(), check=fn, needs=tuple(needs),
                    when=frozenset(when), supersedes=tuple(supersedes))

    return wrap


@attrs.frozen
class Profile:
    """Which rules run and how severe their findings are, for one kind of payer/claim.

    ``options`` tune rules: ``inpatient`` (MCE inpatient lists), ``sex_edits`` (``"mce"``:
    only while CMS's MCE has sex flags, i.e. until 2024-09-30; ``"last-lists"``: keep the
    last published lists), ``ncci`` (apply NCCI PTP/MUE/add-on edits), ``ptp_table`` and
    ``mue_table`` (``"practitioner"`` or ``"hospital"``), ``coverage`` (run coverage
    policies).
    """

    name: str
    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = attrs.field(factory=dict)
    options: Mapping[str, Any] = attrs.field(factory=dict)
    description: str = ""

    def severity_of(self, rule: Rule) -> Severity:
        return self.severities.get(rule.id, rule.severity)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def evolve(self, *, name: str | None = None, disable: Iterable[str] = (),
               enable: Iterable[str] = (), severities: Mapping[str, Severity | str] | None = None,
               options: Mapping[str, Any] | None = None) -> Profile:
        """A copy with rules switched off/on, severities and options changed."""
        disabled = (set(self.disabled) | set(disable)) - set(enable)
        sev = dict(self.severities)
        for k, v in (severities or {}).items():
            sev[k] = Severity(v)
        return Profile(name=name or self.name, disabled=frozenset(disabled), severities=sev,
                       options={**self.options, **(options or {})},
                       description=self.description)


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


BUNDLED = "bundled"


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
    policies: Sequence[Any] | str = attrs.field(default=BUNDLED,
                                                converter=lambda v: _policies(v))
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
        from .._procedures._store import default_store as procedure_store
        from ..icd10cm._store import default_store
        from .resolve import preload

        default_store().load()
        procedure_store().load()
        preload()
        profiles = [*self.profiles.values()]
        if isinstance(self.profile, Profile):
            profiles.append(self.profile)
        for profile in profiles:
            self.tables_for(profile)  # opens the NCCI tables the profile uses
        self.policy_sets()
        return self

    def policy_sets(self) -> tuple[Any, ...]:
        """The policies this checker applies (the shipped Medicare set by default)."""
        if self.policies == BUNDLED:
            bundled = self._memo.get("policies")
            if bundled is None:
                from ..policies import default_policies

                bundled = self._memo["policies"] = (default_policies(),)
            return bundled  # type: ignore[no-any-return]
        return self.policies  # type: ignore[return-value]

    def _plan(self, profile: Profile, features: frozenset[str]) -> _Plan:
        """The rules to run on a claim with ``features`` under ``profile`` (with their
        severities), and those that cannot run for want of a table; worked out once."""
        key = ("plan", id(profile), features)
        cached = self._memo.get(key)
        if cached is not None and cached[0] is profile:
            return cached[1]  # type: ignore[no-any-return]
        from .context import why_missing

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
                reason = why_missing(profile, missing)
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
            return cached[1]  # type: ignore[no-any-return]
        from .. import ncci

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
        if claim.payer == "medicare":
            if claim.is_inpatient:
                return self.profiles["medicare-inpatient"]
            if claim.is_institutional:
                return self.profiles["medicare-outpatient"]
            return self.profiles["medicare-professional"]
        return self.profiles["commercial"]

    def iter_findings(self, claim: Claim) -> Iterator[Finding]:
        """Findings one by one (see :meth:`check` for the report)."""
        yield from self._run(claim)[0]

    def check(self, claim: Claim) -> Report:
        """Every finding for ``claim``, in rule order, and the rules that could not run."""
        findings, not_run, profile = self._run(claim)
        return Report(findings=tuple(findings), profile=profile.name, not_run=tuple(not_run))

    def _run(self, claim: Claim) -> tuple[list[Finding], list[tuple[str, str]], Profile]:
        profile = self.profile_for(claim)
        ctx = ClaimContext(claim, profile, self)
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
            findings = _drop_superseded(findings, superseding)
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


def _drop_superseded(findings: list[Finding],
                     superseding: list[tuple[Rule, int]]) -> list[Finding]:
    """Findings without those a more specific rule replaced (same line, same codes)."""
    gone: set[tuple[str, Location, frozenset[str]]] = set()
    for rule, start in superseding:
        for f in findings[start:]:
            if f.rule == rule.id:
                for other in rule.supersedes:
                    gone.add((other, f.location[:2], frozenset(f.codes)))
    return [f for f in findings
            if (f.rule, f.location[:2], frozenset(f.codes)) not in gone]


def _policies(value: Any) -> tuple[Any, ...] | str:
    """One policy set (which checks itself, with its index) or a sequence of them; or
    ``"bundled"``: the Medicare policies shipped in ``data/policies/medicare``."""
    if value == BUNDLED:
        return BUNDLED
    if value is None:
        return ()
    if hasattr(value, "check"):
        return (value,)
    return tuple(value)


def _default_rules() -> tuple[Rule, ...]:
    from .builtin import builtin_rules

    return builtin_rules()


def _default_profiles() -> dict[str, Profile]:
    from .profiles import builtin_profiles

    return builtin_profiles()


_DEFAULT: list[Checker] = []


def check(claim: Claim) -> Report:
    """Check ``claim`` with a default :class:`Checker` on the bundled data."""
    if not _DEFAULT:
        _DEFAULT.append(Checker())
    return _DEFAULT[0].check(claim)
