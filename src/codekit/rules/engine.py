"""The rules engine: findings, reports, rules, profiles and the :class:`Checker`.

Rules are small functions that look at a :class:`~codekit.rules.context.ClaimContext` and
yield :class:`Hit` objects (a message, where on the claim, which codes). They do not know
their own severity or reference: the engine adds the rule's catalog ID (the edit's
heading in ``docs/catalog.md``), the severity the profile gives it and the reference that
defines it, so the same rule serves every payer.

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

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import InvalidArgument, UnknownEdit
from ..findings import Finding, Hit, Location, NotRun, Severity
from .context import ClaimContext

__all__ = ["Profile", "Rule", "drop_superseded", "rule"]

#: A rule's check: the hits on a claim, and a :class:`NotRun` where it cannot judge it.
Check = Callable[[ClaimContext], Iterable[Hit | NotRun]]

#: A rule ID, as the report schema has it: capitals, digits, ``_``, ``.``, ``-``.
RULE_ID = re.compile(r"[A-Z0-9][A-Z0-9_.-]*")


def _rule_id(_: Any, __: Any, value: str) -> None:
    if type(value) is not str or not RULE_ID.fullmatch(value) or len(value) > 100:
        raise InvalidArgument(f"rule id {value!r}: expected capitals, digits, '_', '.' or "
                              "'-' (e.g. MY_PAYER_EDIT), as the report's rule IDs are")


@attrs.frozen
class Rule:
    """A check with its catalog ID, default severity, reference and documentation.

    ``needs`` names tables the rule cannot run without (``"ptp"``, ``"mue"``,
    ``"policies"``); when the checker lacks one, the report lists the rule as not run.
    """

    id: str = attrs.field(validator=_rule_id)
    group: str
    severity: Severity
    reference: str
    doc: str
    check: Check = attrs.field(eq=False, repr=False)
    needs: tuple[str, ...] = ()
    #: Claim features the rule can only fire with (see ``ClaimContext.features``): the
    #: engine skips it on claims without them, e.g. modifier edits on a claim with none.
    when: frozenset[str] = frozenset()
    #: Rules whose finding on the same line or diagnosis, sharing a code, this rule's
    #: finding replaces (one mistake, one primary finding): the more specific one wins.
    supersedes: tuple[str, ...] = ()
    #: Profile options the rule only runs under (``("ioce",)``: the I/OCE's own edits,
    #: ``medicare-outpatient``): the engine does not plan it under a profile without them.
    options: tuple[str, ...] = ()
    #: Rules whose finding with this rule's location and fix, sharing a code, this rule's
    #: finding replaces: the same advice for one problem, said once, by the more specific
    #: edit (which takes the more severe of the two severities). A finding of theirs with
    #: other advice stays: it is another problem.
    same_advice: tuple[str, ...] = ()
    #: :attr:`supersedes` and :attr:`same_advice` together: the checker asks one field
    #: of every rule it runs whether its findings may replace others.
    replaces: tuple[str, ...] = attrs.field(init=False, default=attrs.Factory(
        lambda self: self.supersedes + self.same_advice, takes_self=True))

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
                       self.check, self.needs, self.when, self.supersedes, self.options,
                       self.same_advice))


def _load_rule(module: str, name: str) -> Rule:
    import importlib

    return getattr(importlib.import_module(module), name)


def rule(
    id: str, group: str, severity: Severity | str, reference: str, *,
    needs: Sequence[str] = (), when: Sequence[str] = (), supersedes: Sequence[str] = (),
    options: Sequence[str] = (), same_advice: Sequence[str] = (),
) -> Callable[[Check], Rule]:
    """Decorator: turn a check function into a :class:`Rule` (its docstring is the doc)."""

    try:
        level = Severity(severity)
    except ValueError:
        raise InvalidArgument(f"rule {id!r}: severity {severity!r}: expected one of "
                              f"{', '.join(s.value for s in Severity)}") from None

    def wrap(fn: Check) -> Rule:
        if not callable(fn):
            raise InvalidArgument(f"rule {id!r}: @rule(...) decorates a check function, "
                                  f"got {type(fn).__name__}")
        return Rule(id=id, group=group, severity=level, reference=reference,
                    doc=(fn.__doc__ or "").strip(), check=fn, needs=tuple(needs),
                    when=frozenset(when), supersedes=tuple(supersedes),
                    options=tuple(options), same_advice=tuple(same_advice))

    return wrap


def _options(_: Any, __: Any, options: Mapping[str, Any]) -> None:
    """Options checked when the profile is made: a misspelt NCCI setting made every claim
    checked under it fail (the tables are picked by it per claim)."""
    setting = options.get("ncci_setting")
    if setting is None:
        return
    from ..ncci import SETTINGS

    if setting not in SETTINGS:
        raise InvalidArgument(f"profile option ncci_setting={setting!r}: expected one of "
                              f"{', '.join(SETTINGS)} (or none: the claim type's)")


@attrs.frozen
class Profile:
    """Which rules run and how severe their findings are, for one kind of payer/claim.

    ``options`` tune rules: ``inpatient`` (MCE inpatient lists), ``poa_required`` (with
    ``inpatient``: a POA indicator on every diagnosis not exempt, ``POA_MISSING``; False
    for a hospital exempt from POA reporting; left out, True), ``sex_edits`` (``"mce"``:
    only while CMS's MCE has sex flags, i.e. until 2024-09-30; ``"last-lists"``: keep the
    last published lists), ``ncci`` (apply NCCI PTP/MUE/add-on edits), ``addon_edits``
    (with ``ncci`` off, still apply the add-on code edit to professional claims: CPT's
    add-on convention), ``ncci_not_run`` (with ``ncci`` off, list the PTP and MUE edits in
    ``Report.not_run``, with how to run them, instead of skipping them silently),
    ``ncci_setting``
    (``"practitioner"`` or ``"hospital"``: whose NCCI tables, instead of the claim type's),
    ``ncci_bypass`` (``"manual"``: the NCCI manual's modifiers; ``"ioce"``: an
    NCCI-associated modifier on either line, as the I/OCE), ``ioce`` (the I/OCE's own
    rules for outpatient claims: its unacceptable-principal list, edit 113, and its add-on
    logic by the claim's OPPS flag), ``coverage`` (run coverage policies),
    ``screening_modifiers`` (Medicare's modifiers of a screening turned diagnostic the same
    day: PT, GG), ``therapy_modifiers`` (the therapy discipline modifiers GN, GO, GP on
    "always therapy" codes and therapy revenue codes), ``part_b_billing`` (Medicare Part
    B's own codes and modifiers for vaccines and the annual wellness visit: G0008-G0010,
    Part D vaccines, modifier 33 on advance care planning), ``medicare_pfs`` (Medicare's
    physician fee schedule rules on an 837P: the telemedicine visits 98000-98015 not
    recognized, the anesthesia payment modifiers, split or shared visits in facility
    settings only), ``ambulance_modifiers`` (the origin/destination modifier on each line
    of an ambulance trip; QM or QN on an institutional provider's), ``post_acute_billing``
    (Medicare's claims processing manual on a hospice's claim, 81x or 82x: the
    site-of-service code on each level-of-care line, one calendar month a claim; on a home
    health PPS claim, 32x: one 30-day period of care).
    """

    name: str
    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = attrs.field(factory=dict)
    options: Mapping[str, Any] = attrs.field(factory=dict, validator=_options)
    description: str = ""

    def severity_of(self, rule: Rule) -> Severity:
        """The severity the profile gives ``rule``'s findings: its entry in
        :attr:`severities`, else the rule's default.

        >>> from codekit import Checker
        >>> from codekit.rules import builtin_rules
        >>> rule = next(r for r in builtin_rules() if r.id == "LATERALITY_MISMATCH")
        >>> profiles = Checker().profiles
        >>> str(profiles["medicare-professional"].severity_of(rule)), str(
        ...     profiles["commercial"].severity_of(rule))
        ('error', 'warning')
        """
        return self.severities.get(rule.id, rule.severity)

    def option(self, key: str, default: Any = None) -> Any:
        """The value of option ``key`` (``"ncci"``, ``"sex_edits"``, ``"poa_required"``
        ...: the catalog's Options), or ``default`` when the profile does not set it.

        >>> from codekit import Checker
        >>> p = Checker().profiles["medicare-inpatient"]
        >>> p.option("ncci"), p.option("sex_edits"), p.option("pfs", False)
        (False, 'mce', False)
        """
        return self.options.get(key, default)

    def evolve(self, *, name: str | None = None, disable: Iterable[str] = (),
               enable: Iterable[str] = (), severities: Mapping[str, Severity | str] | None = None,
               options: Mapping[str, Any] | None = None) -> Profile:
        """A copy with rules switched off/on, severities and options changed.

        An ID in ``enable`` that is not disabled (here or by ``disable``) would change
        nothing: a misspelt one is an :class:`~codekit.UnknownEdit` naming the disabled
        IDs closest to it. (The IDs of ``disable`` and ``severities`` are checked against
        the edits and policies of the :class:`~codekit.Checker` the profile is given to.)

        >>> p = Profile("p", disabled=frozenset({"PTR_DUPLICATE"}))
        >>> sorted(p.evolve(disable=["DX_MISSING"], enable=["PTR_DUPLICATE"]).disabled)
        ['DX_MISSING']
        >>> p.evolve(enable=["PTR_DUPLICAT"])
        Traceback (most recent call last):
        ...
        codekit.errors.UnknownEdit: profile 'p': enable names 'PTR_DUPLICAT', which is not
        disabled (disabled: PTR_DUPLICATE); did you mean PTR_DUPLICATE?
        """
        off = set(self.disabled) | set(disable)
        for name in enable:
            if name not in off:
                close = tuple(difflib.get_close_matches(str(name), sorted(off), n=3))
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                raise UnknownEdit(
                    f"profile {self.name!r}: enable names {name!r}, which is not disabled "
                    f"(disabled: {', '.join(sorted(off)) or 'none'}){hint}", name=str(name),
                    suggestions=close)
        disabled = off - set(enable)
        sev = dict(self.severities)
        for k, v in (severities or {}).items():
            sev[k] = Severity(v)
        return Profile(name=name or self.name, disabled=frozenset(disabled), severities=sev,
                       options={**self.options, **(options or {})},
                       description=self.description)


def drop_superseded(findings: list[Finding],
                     superseding: list[tuple[Rule, int]]) -> list[Finding]:
    """Findings without those a more specific rule replaced: same diagnosis position or
    line (``location[:2]``) and the same mistake -- a code in common when either finding
    names one code, two in common when both name more (an E/M finding about the pair
    99203/96365 does not replace the PTP finding about the pair 80504/99203 on the same
    line: one mistake, one primary finding, but two mistakes keep two). A rule's
    :attr:`Rule.same_advice` replaces a finding only when it gives the same advice: the
    same location and fix, and the same mistake; the finding kept takes the more severe
    of the two severities (90785 beside 90839: the add-on edit's finding, an error
    whatever the add-on edit's own severity, when the PTP edit says it is one)."""
    gone: dict[tuple[str, Location], list[frozenset[str]]] = {}
    same: dict[tuple[str, Location, tuple[str, ...]], list[int]] = {}
    for rule, start in superseding:
        for i in range(start, len(findings)):
            f = findings[i]
            if f.rule == rule.id:
                for other in rule.supersedes:
                    gone.setdefault((other, f.location[:2]), []).append(frozenset(f.codes))
                for other in rule.same_advice:
                    same.setdefault((other, f.location, f.fix), []).append(i)
    out: list[Finding | None] = []
    raised: dict[int, Severity] = {}
    for f in findings:
        codes = frozenset(f.codes)
        if any(_same_mistake(c, codes) for c in gone.get((f.rule, f.location[:2]), ())):
            out.append(None)
            continue
        kept = [i for i in same.get((f.rule, f.location, f.fix), ())
                if _same_mistake(frozenset(findings[i].codes), codes)]
        if kept:
            for i in kept:
                if _RANK[f.severity] > _RANK[raised.get(i, findings[i].severity)]:
                    raised[i] = f.severity
            out.append(None)
            continue
        out.append(f)
    for i, severity in raised.items():
        if out[i] is not None:
            out[i] = attrs.evolve(findings[i], severity=severity)
    return [f for f in out if f is not None]


#: Severities in order: a finding kept for another (:attr:`Rule.same_advice`) is as
#: severe as the more severe of the two.
_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def _same_mistake(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return True
    return len(a & b) >= min(2, len(a), len(b))
