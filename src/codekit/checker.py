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

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from . import _cache
from ._frozen import maker
from ._show import shown
from .claims import Claim, Patient, Procedure, ServiceLine, line_number_problems
from .errors import CheckerError, ClaimFormatError, CodekitError, UnknownEdit
from .findings import Finding, NotRun, Report, Severity
from .rules import (
    ClaimContext,
    NcciOffTables,
    PayerRouting,
    Profile,
    Route,
    Rule,
    builtin_profiles,
    builtin_rules,
    drop_superseded,
    ncci_off,
    route,
)
from .rules import why_missing as _why_missing

if TYPE_CHECKING:
    from .ncci import AddonTable, MueTable, PtpTable, TableLibrary

__all__ = ["BUNDLED", "REQUIRE_GROUPS", "Checker", "ClaimLimits", "check", "default_checker"]

#: ``policies=`` default of :class:`Checker`: the payer policies shipped with codekit
#: (``data/policies``: :func:`codekit.policies.default_policies`).
BUNDLED = "bundled"

TOO_LARGE = "CLAIM_TOO_LARGE"
#: The finding of an edit ``Checker(require=...)`` names that did not run on a claim.
REQUIRED_NOT_RUN = "EDIT_REQUIRED_NOT_RUN"
#: The groups ``Checker(require=...)`` takes beside edit IDs: the name -> the catalog
#: group letter of its edits (``docs/catalog.md``), or None for every edit of the checker.
REQUIRE_GROUPS: Mapping[str, str | None] = MappingProxyType({"ncci": "G", "all": None})


@attrs.frozen
class ClaimLimits:
    """How much of a claim the checker will check at all.

    The X12 837 (5010) bounds a claim: 12 diagnoses on a professional claim and 25 on an
    institutional one, 4 modifiers and (837P) 4 diagnosis pointers per line, 50 service
    lines (837P) or 999 (837I). Over those, the claim is still checked and the edits
    ``DX_COUNT_EXCEEDED``, ``MOD_COUNT_EXCEEDED``, ``PTR_TOO_MANY`` and
    ``LINE_COUNT_EXCEEDED`` say so. These limits are the hard caps beyond: a claim over
    any of them is *not checked*; its report holds one ``CLAIM_TOO_LARGE`` error, so that
    no claim, however made, costs more than a claim the standard allows (the cost of
    several edits grows with the square of the lines or diagnoses). Raise them with
    ``Checker(limits=ClaimLimits(lines=5000))``.

    >>> where, why = ClaimLimits().problem(Claim.from_dict({
    ...     "claim_type": "professional", "patient": {"sex": "F", "age": 70},
    ...     "date_of_service": "2025-11-03", "diagnoses": ["I10"] * 100}))
    >>> where, why[:42]
    (('diagnoses', 99), '100 diagnoses: codekit checks at most 99 (')
    """

    #: diagnosis positions on the claim (837: 12 professional, 25 institutional)
    diagnoses: int = 99
    #: service lines (837: 50 professional, 999 institutional)
    lines: int = 999
    #: modifiers on one line (837: 4)
    modifiers: int = 20
    #: diagnosis pointers on one line (837P: 4)
    pointers: int = 99
    #: ICD-10-PCS procedures (837I: principal + 24)
    procedures: int = 99

    def problem(self, claim: Claim) -> tuple[tuple[str | int, ...], str] | None:
        """Where and why ``claim`` is over a limit (the first one found), or None."""
        if len(claim.diagnoses) > self.diagnoses or len(claim.service_lines) > self.lines \
                or len(claim.procedures) > self.procedures:
            return self._over_counts(len(claim.diagnoses), len(claim.service_lines),
                                     len(claim.procedures))
        for i, ln in enumerate(claim.service_lines):
            if len(ln.modifiers) > self.modifiers:
                return (("service_lines", i, "modifiers", self.modifiers),
                        f"line {ln.line} has {len(ln.modifiers)} modifiers: codekit checks "
                        f"at most {self.modifiers} (the 837 allows 4)")
            if len(ln.diagnosis_pointers) > self.pointers:
                return (("service_lines", i, "diagnosis_pointers", self.pointers),
                        f"line {ln.line} has {len(ln.diagnosis_pointers)} diagnosis "
                        f"pointers: codekit checks at most {self.pointers} (the 837P "
                        "allows 4)")
        return None

    def problem_before_reading(self, data: object) -> tuple[tuple[str | int, ...], str] | None:
        """Where and why a claim dict is over the limit on its diagnoses, service lines or
        ICD-10-PCS procedures, from the lengths of its lists alone (what :meth:`problem`
        says of the claim read from it), or None: a claim of 200,000 lines is refused
        before its lines are read (50 µs each), and its format problems, however many,
        are not listed. Anything but a dict of lists is left to the reader.

        >>> ClaimLimits().problem_before_reading({"service_lines": [{}] * 200_000})[0]
        ('service_lines', 999)
        """
        if type(data) is not dict and not isinstance(data, Mapping):
            return None
        try:
            dx, lines, procs = (data.get("diagnoses"), data.get("service_lines"),
                                data.get("procedures"))
        except Exception:  # a hostile Mapping: the reader says what is wrong with it
            return None
        n_dx = len(dx) if type(dx) is list or type(dx) is tuple else 0
        n_lines = len(lines) if type(lines) is list or type(lines) is tuple else 0
        n_procs = len(procs) if type(procs) is list or type(procs) is tuple else 0
        if n_dx > self.diagnoses or n_lines > self.lines or n_procs > self.procedures:
            return self._over_counts(n_dx, n_lines, n_procs)
        return None

    def _over_counts(self, diagnoses: int, lines: int, procedures: int
                     ) -> tuple[tuple[str | int, ...], str] | None:
        if diagnoses > self.diagnoses:
            return (("diagnoses", self.diagnoses),
                    f"{diagnoses} diagnoses: codekit checks at most {self.diagnoses} (the "
                    "837 allows 12 on a professional claim, 25 on an institutional one)")
        if lines > self.lines:
            return (("service_lines", self.lines),
                    f"{lines} service lines: codekit checks at most {self.lines} (the 837 "
                    "allows 50 on a professional claim, 999 on an institutional one)")
        if procedures > self.procedures:
            return (("procedures", self.procedures),
                    f"{procedures} ICD-10-PCS procedures: codekit checks at most "
                    f"{self.procedures} (the 837I allows 25)")
        return None

    def cut(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of the claim dict ``data`` with each of its lists over a limit cut to
        one item past it: read, it is over the same limit at the same position, for the
        cost of a claim at the limit (:func:`codekit.batch.report_of` reports a claim
        :meth:`problem_before_reading` refuses with the claim read from it)."""
        out = dict(data)
        for key, cap in (("diagnoses", self.diagnoses), ("service_lines", self.lines),
                         ("procedures", self.procedures)):
            value = out.get(key)
            if (type(value) is list or type(value) is tuple) and len(value) > cap + 1:
                out[key] = list(value[:cap + 1])
        return out

    def finding(self, claim: Claim) -> Finding | None:
        """The ``CLAIM_TOO_LARGE`` error of a claim over a limit, or None."""
        got = self.problem(claim)
        return None if got is None else self.finding_of(*got)

    @staticmethod
    def finding_of(location: tuple[str | int, ...], why: str) -> Finding:
        """The ``CLAIM_TOO_LARGE`` error at ``location`` for ``why`` (a :meth:`problem`)."""
        return Finding(TOO_LARGE, Severity.ERROR,
                       f"The claim is too large to check: {why}. Split it, or raise "
                       "the checker's ClaimLimits.", location, (),
                       "X12 837P/837I 5010 repeat limits; codekit.checker.ClaimLimits")


DEFAULT_LIMITS = ClaimLimits()


def _require(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The edit IDs and groups ``require`` names: one text or a sequence of them (each
    checked against the checker's edits when it is made: :func:`_required`)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    elif isinstance(value, bytes) or not hasattr(value, "__iter__"):
        raise CheckerError(f"require={value!r}: expected an edit ID or group (e.g. "
                           "'MUE_EXCEEDED', 'ncci') or a sequence of them")
    names = tuple(value)
    for name in names:
        if type(name) is not str:
            raise CheckerError(f"require: {name!r} is not an edit ID or group (text, e.g. "
                               "'MUE_EXCEEDED' or 'ncci')")
    return tuple(dict.fromkeys(name.strip() for name in names))


def _required(require: tuple[str, ...], rules: tuple[Rule, ...]) -> frozenset[str]:
    """The IDs of the edits ``require`` names among ``rules`` (groups expanded); a name
    that is neither an edit ID nor a group is an :class:`~codekit.UnknownEdit` naming
    the closest ones."""
    ids = {r.id for r in rules}
    out: set[str] = set()
    for name in require:
        if name in ids:
            out.add(name)
        elif name in REQUIRE_GROUPS:
            letter = REQUIRE_GROUPS[name]
            out.update(r.id for r in rules if letter is None or r.group == letter)
        else:
            close = _closest(name, [*REQUIRE_GROUPS, *sorted(ids)])
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise UnknownEdit(
                f"require: {name!r} is neither an edit of this checker nor a group{hint} "
                f"(groups: {', '.join(REQUIRE_GROUPS)}; the edit IDs are the headings of "
                "docs/catalog.md)", name=name, suggestions=close)
    return frozenset(out)


def _closest(name: str, known: list[str]) -> tuple[str, ...]:
    """Up to three of ``known`` closest to ``name``, best first, case aside: the most
    alike (difflib's ratio), a name holding it or held in it counting as close
    (``NCCI_MUE_EXCEEDED``: ``MUE_EXCEEDED``); only those near the best."""
    from difflib import SequenceMatcher

    key = name.upper()
    scores: dict[str, tuple[float, float]] = {}
    for k in known:
        u = k.upper()
        alike = SequenceMatcher(None, key, u).ratio()
        score = max(alike, 0.85) if len(key) >= 3 and (key in u or u in key) else alike
        if score >= 0.6:
            scores[k] = (score, alike)
    if not scores:
        return ()
    best = max(scores.values())[0]
    near = [k for k, (score, _) in scores.items() if score >= best - 0.1]
    return tuple(sorted(near, key=lambda k: scores[k], reverse=True)[:3])


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
    if len(sets) > 1:
        from .policies import check_unique_ids

        # one ID twice across the sets (a user's rule reusing a shipped ID, one file loaded
        # twice) would give one claim the same finding twice: a PolicyError naming both
        check_unique_ids(sets)
    return sets


@attrs.frozen
class Checker:
    """Checks claims against the built-in edits, the NCCI tables and payer policies.

    With no ``profile`` the checker picks one per claim by its payer
    (:mod:`codekit.rules.routing`; ``routing`` customises the map from payer names and X12
    claim filing indicators): ``medicare-inpatient`` (Medicare, institutional, type of bill
    11x), ``medicare-outpatient`` (other Medicare institutional), ``medicare-dme`` (a
    Medicare professional claim with ``dme_supplier`` true), ``medicare-professional``
    and ``commercial`` (any other payer); a payer the routing cannot place is said in the
    report. ``profile`` may be one of those names or a :class:`Profile`, for every claim.

    NCCI tables: ``tables`` is a :class:`codekit.ncci.TableLibrary` (the tables of every
    setting and quarter you have, e.g. ``TableLibrary(directory="ncci/")``); ``ptp``,
    ``mue`` and ``addon`` add single tables from :mod:`codekit.ncci` to the bundled hospital
    PTP and add-on tables. Each line is checked with the table of the claim's setting
    (practitioner for professional claims, DME for a DMEPOS supplier's, hospital for
    institutional ones) whose quarter covers its date.

    ``policies`` are compiled payer policies (:mod:`codekit.policies`): by default the
    Medicare policies shipped with codekit (they apply to Medicare claims only); pass
    ``policies=()`` for none, or your own sets (add ``policies.default_policies()`` to keep
    the shipped ones).

    ``require`` names edits that must judge every claim they apply to: edit IDs
    (``"MUE_EXCEEDED"``) and groups (``"ncci"``: the NCCI PTP, MUE and add-on edits of
    catalog group G; ``"all"``: every edit). A required edit the report lists as not run
    on a claim (no table covers a date, no table loaded...) adds an
    ``EDIT_REQUIRED_NOT_RUN`` error naming it and the reason, so the report is not ok.
    An edit the claim's profile does not run, or that has nothing to look at on the claim
    (a PTP edit on a claim of one line), is not "not run". A name that is neither an edit
    of the checker nor a group is an :class:`~codekit.UnknownEdit`; so is an ID a profile
    of the checker names (``disabled``, ``severities``) that is none of its edits or
    policies.

    A checker is an immutable value: it pickles (tables travel as their file paths) and is
    safe to share between threads.
    """

    profile: Profile | str | None = None
    #: Single NCCI tables from codekit.ncci, added to the bundled ones (see ``tables``).
    ptp: PtpTable | None = None
    mue: MueTable | None = None
    addon: AddonTable | None = None
    policies: tuple[Any, ...] | str = attrs.field(default=BUNDLED, converter=_policies)
    rules: tuple[Rule, ...] = attrs.field(factory=lambda: _default_rules(), eq=False)
    profiles: Mapping[str, Profile] = attrs.field(factory=lambda: _default_profiles(),
                                                 eq=False)
    #: A codekit.ncci.TableLibrary: the NCCI tables by setting and quarter.
    tables: TableLibrary | None = None
    #: Payer names / filing indicators -> profiles (codekit.rules.PayerRouting).
    routing: PayerRouting | None = None
    #: The hard caps on a claim's size: a claim over them is not checked (ClaimLimits).
    limits: ClaimLimits = DEFAULT_LIMITS
    #: Edit IDs and groups ("ncci", "all") that must not be left not run on a claim: an
    #: EDIT_REQUIRED_NOT_RUN error when one is (docs/catalog.md#edit_required_not_run).
    require: tuple[str, ...] = attrs.field(default=(), converter=_require)
    # the IDs of the edits ``require`` names, its groups expanded (set when made)
    _required: frozenset[str] = attrs.field(factory=frozenset, init=False, eq=False,
                                            repr=False)
    # What the checker works out once: ("plan", id(profile), features) -> the rules to run;
    # "library" -> the NCCI tables; "policies" -> the bundled policy sets once loaded.
    _memo: dict[object, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.profile, str) and self.profile not in self.profiles:
            raise CheckerError(f"unknown profile {self.profile!r}; known: "
                               + ", ".join(self.profiles))
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise CheckerError("two rules share an ID")
        if self.routing is not None and not isinstance(self.routing, PayerRouting):
            raise CheckerError(f"routing={self.routing!r}: expected a PayerRouting")
        if not isinstance(self.limits, ClaimLimits):
            raise CheckerError(f"limits={self.limits!r}: expected a ClaimLimits")
        if self.tables is not None or self.ptp is not None or self.mue is not None or \
                self.addon is not None:
            self._check_tables()
        if self.require:
            object.__setattr__(self, "_required", _required(self.require, self.rules))
        self._check_profile_ids()

    def _check_tables(self) -> None:
        """``tables``, ``ptp``, ``mue`` and ``addon`` are what they name, else a
        :class:`CheckerError` when the checker is made: a folder's path given as
        ``tables`` (what ``--ncci DIR`` takes) would fail every claim's check."""
        from .ncci import AddonTable, MueTable, PtpTable, TableLibrary

        for name, value, kind, how in (
                ("tables", self.tables, TableLibrary, "codekit.ncci.TableLibrary(directory=...)"),
                ("ptp", self.ptp, PtpTable, "codekit.ncci.load_ptp(path)"),
                ("mue", self.mue, MueTable, "codekit.ncci.load_mue(path)"),
                ("addon", self.addon, AddonTable, "codekit.ncci.load_addon(path)")):
            if value is not None and not isinstance(value, kind):
                raise CheckerError(f"{name}={shown(value)}: expected a {kind.__name__} "
                                   f"({how}) or None")

    def _check_profile_ids(self) -> None:
        """Every ID a profile of the checker names (in ``disabled``, in ``severities``) is
        an edit or a policy it could switch: a misspelt one switched nothing, silently
        (``disable=["LATERALITY_MISMACH"]``). Known: the checker's rules, the built-in ones
        (a built-in profile names them, also on a checker with rules of its own), the
        policies' finding IDs and rule IDs (this checker's and the shipped ones: read only
        when a name is none of the others). Raises :class:`~codekit.UnknownEdit`."""
        profiles = list(self.profiles.values())
        if isinstance(self.profile, Profile):
            profiles.append(self.profile)
        ids = {r.id for r in self.rules}
        named = [(p, where, name) for p in profiles
                 for where, names in (("disabled", p.disabled), ("severities", p.severities))
                 for name in names if name not in ids]
        if not named:
            return
        known = ids | _builtin_ids()
        named = [n for n in named if n[2] not in known]
        if not named:
            return
        known |= self._policy_ids()
        for profile, where, name in named:
            if name not in known:
                close = _closest(str(name), sorted(known))
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                raise UnknownEdit(
                    f"profile {profile.name!r}: {where} names {name!r}, which is neither an "
                    f"edit nor a payer policy of this checker{hint} (the edit IDs are the "
                    "headings of docs/catalog.md; a policy is named by its rule ID or its "
                    "finding ID)", name=str(name), suggestions=close)

    def _policy_ids(self) -> set[str]:
        """The rule IDs and finding IDs of this checker's policies and of the shipped
        ones (a profile made for a checker with the shipped policies may serve one
        without them), and codekit's two policy finding IDs."""
        from .policies import default_policies

        out = {"MED_NECESSITY_DX_NOT_COVERED", "COVERAGE_CRITERIA_NOT_MET"}
        sets = list(self.policy_sets())
        if self.policies != BUNDLED:
            sets.append(default_policies())
        for policy_set in sets:  # sets of Policy, or single ones
            group = policy_set if hasattr(policy_set, "__iter__") else (policy_set,)
            for p in group:
                for name in (getattr(p, "id", None), getattr(p, "finding", None)):
                    if isinstance(name, str):
                        out.add(name)
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        # The memo of plans and tables is rebuilt on the other side, not shipped.
        return (Checker, (self.profile, self.ptp, self.mue, self.addon, self.policies,
                          self.rules, dict(self.profiles), self.tables, self.routing,
                          self.limits, self.require))

    def preload(self) -> Checker:
        """Read every table this checker can use now, rather than when the first claim
        needs it (a service calls this once at start-up, as ``MceEditor()`` loads its
        data when made); returns the checker.

        >>> Checker(policies=()).preload().check  # doctest: +ELLIPSIS
        <bound method Checker.check of Checker(...)>
        """
        from . import icd10cm, icd10pcs, poa, procedure

        icd10cm.preload()
        procedure.preload()
        icd10pcs.preload()
        poa.fiscal_years()  # reads the POA-exempt lists
        library = self.library()
        for kind, setting, start, _, _ in library.entries:
            if start is not None:
                library.table(kind, setting, start)  # opens it
        self.policy_sets()
        return self

    def policy_sets(self) -> tuple[Any, ...]:
        """The policies this checker applies (the shipped Medicare set by default)."""
        policies = self.policies
        if isinstance(policies, str):  # BUNDLED, the only text _policies lets through
            bundled = self._memo.get("policies")
            if bundled is None:
                from . import _artifact
                from .policies import default_policies

                # the shipped policy files are checked against data/PROVENANCE.json first:
                # a damaged one is a DataError, as a damaged table is
                _artifact.check_bundled()
                bundled = self._memo["policies"] = (default_policies(),)
            return bundled
        return policies

    def _plan(self, profile: Profile, features: frozenset[str]) -> _Plan:
        """The rules to run on a claim with ``features`` under ``profile`` (with their
        severities), and those that cannot run at all; worked out once per distinct set of
        features (up to :data:`MAX_PLANS` a profile; past them, from the profile's
        eligible rules, a few microseconds).

        A stream meets new sets of features for as long as it runs (948 distinct ones in
        20,000 typical professional claims, still growing): the plans are kept apart from
        the checker's other remembered answers, whose bound they filled (routes were then
        worked out again on every claim), and a plan is a list of steps shared between
        plans."""
        key = ("plans", id(profile))
        held = self._memo.get(key)
        if held is None or held[0] is not profile:
            held = self._memo[key] = (profile, *self._eligible(profile), {})
        eligible: list[tuple[frozenset[str], _Step]] = held[1]
        plans: dict[frozenset[str], _Plan] = held[3]
        plan = plans.get(features)
        if plan is None:
            steps = [step for when, step in eligible if when <= features]
            plan = (steps, held[2], tuple(rule for rule, _, _ in steps if rule.replaces))
            if len(plans) < MAX_PLANS:
                plans[features] = plan
        return plan

    def _policy_switches(self, profile: Profile) -> dict[str, Severity | None]:
        """What ``profile`` says of single policies, by their rule ID (in ``disabled``, in
        ``severities``), keyed by the :attr:`~codekit.policies.Policy.reference` their
        findings carry: None (off) or the severity; empty when it names none (the usual
        case: a policy finding then pays one dictionary look-up)."""
        key = ("policy-switches", id(profile))
        held = self._memo.get(key)
        if held is None or held[0] is not profile:
            named = profile.disabled | profile.severities.keys()
            switches: dict[str, Severity | None] = {}
            if named:
                for policy_set in self.policy_sets():  # sets of Policy, or single ones
                    group = policy_set if hasattr(policy_set, "__iter__") else (policy_set,)
                    for p in group:
                        rule_id = getattr(p, "id", None)
                        if rule_id in named and isinstance(getattr(p, "reference", None), str):
                            switches[p.reference] = (None if rule_id in profile.disabled
                                                     else profile.severities[rule_id])
            held = self._memo[key] = (profile, switches)
        return held[1]

    def _eligible(self, profile: Profile) -> tuple[list[tuple[frozenset[str], _Step]],
                                                   list[tuple[str, str]]]:
        """The rules ``profile`` may run, each with the claim features it waits for and
        its step, and those that cannot run at all under it (a table or policies missing)."""
        # NCCI edits run under ncci; with it off, the add-on edit under addon_edits, and the
        # others under ncci_not_run only to say they did not run (ClaimContext.table_on)
        ncci = bool(profile.option("ncci", False))
        addons = ncci or bool(profile.option("addon_edits", False))
        listed = ncci or bool(profile.option("ncci_not_run", False))
        eligible: list[tuple[frozenset[str], _Step]] = []
        not_run: list[tuple[str, str]] = []
        for r in self.rules:
            if r.id in profile.disabled or (
                    r.options and not all(profile.option(o) for o in r.options)):
                continue
            missing = next((n for n in r.needs if not (
                bool(self.policy_sets()) if n == "policies" else
                addons if n == "addon" else listed)), None)
            if missing is not None:
                reason = _why_missing(profile, missing)
                if reason:
                    not_run.append((r.id, reason))
                continue
            eligible.append((r.when, (r, r.check, profile.severity_of(r))))
        return eligible, not_run

    def library(self) -> TableLibrary:
        """The NCCI tables this checker uses: ``tables``, or the bundled ones with
        ``ptp``, ``mue`` and ``addon`` added."""
        lib = self._memo.get("library")
        if lib is None:
            if self.tables is not None:
                lib = self.tables
            else:
                from .ncci import TableLibrary

                lib = TableLibrary([t for t in (self.ptp, self.mue, self.addon)
                                    if t is not None])
            self._memo["library"] = lib
        return lib

    def tables_for(self, profile: Profile) -> TableLibrary | NcciOffTables | None:
        """The NCCI tables of a profile that runs NCCI edits; for one with ``ncci`` off
        that runs the add-on edit or lists the others as not run (``commercial``), the
        add-on tables alone (:class:`~codekit.rules.NcciOffTables`); None for one that runs
        none. Read on every claim: plain option reads, the wrapper made once a profile."""
        options = profile.options
        if options.get("ncci"):
            return self.library()
        if not (options.get("addon_edits") or options.get("ncci_not_run")):
            return None
        held = self._memo.get(("ncci_off", id(profile)))
        if held is None or held[0] is not profile:
            held = self._memo[("ncci_off", id(profile))] = (
                profile, NcciOffTables(self.library(), profile.name))
        return held[1]

    def _problem_tables(self, where: Route) -> TableLibrary | NcciOffTables | None:
        """The NCCI tables of a claim the routing said something of (``Route.problem``):
        its profile's (:meth:`tables_for`), but for a claim of a type of bill no CMS
        editor takes (``"no-editor"``) tables that run no PTP or MUE edit and say nothing
        (CMS applies no NCCI edit to it: :data:`codekit.rules.context.NO_CMS_EDITOR`)."""
        if where.problem != "no-editor":
            return self.tables_for(where.profile)
        held = self._memo.get("no_editor_tables")
        if held is None:
            held = self._memo["no_editor_tables"] = NcciOffTables(
                self.library(), where.profile.name, said=False)
        return held

    def with_rules(self, *rules: Rule) -> Checker:
        """A checker with more rules (a rule with an existing ID replaces it)."""
        new = {r.id: r for r in self.rules}
        new.update({r.id: r for r in rules})
        return attrs.evolve(self, rules=tuple(new.values()))

    def with_profile(self, profile: Profile) -> Checker:
        """A checker that knows (and uses) ``profile``."""
        return attrs.evolve(self, profile=profile.name,
                            profiles={**self.profiles, profile.name: profile})

    def route(self, claim: Claim) -> Route:
        """The profile and payer family for ``claim`` (see :mod:`codekit.rules.routing`)."""
        # the route depends on these fields only: worked out once per distinct value
        key: tuple[object, ...] = ("route", claim.payer, claim.filing_indicator,
                                   claim.claim_type, claim.bill_type)
        if claim.dme_supplier:  # a DMEPOS supplier's claim (medicare-dme): its own route
            # (added only then: None in every claim's key cost 350 instructions a claim)
            key += (True,)
        memo = self._memo
        where = memo.get(key)
        if where is not None:
            return where
        where = route(claim, self.profiles, self.routing)
        if self.profile is not None:
            profile = self.profile if isinstance(self.profile, Profile) else \
                self.profiles[self.profile]
            # a profile chosen for every claim; one for 837I claims given an 837P one
            # judges it by the edits every claim gets only: the report says so
            mismatch = claim.claim_type == "professional" and bool(
                profile.option("inpatient") or profile.option("ioce"))
            where = Route(profile, where.payer, "mismatch" if mismatch else None, where.plan)
        if len(memo) < 1024:
            memo[key] = where
        return where

    def profile_for(self, claim: Claim) -> Profile:
        """The profile this checker judges ``claim`` under: the one it was given for
        every claim, else the one payer routing picks (:meth:`route`).

        >>> from codekit import Claim
        >>> claim = Claim.from_dict({"claim_type": "institutional", "bill_type": "111",
        ...     "payer": "medicare", "patient": {"sex": "F", "age": 70},
        ...     "date_of_service": "2025-11-03", "diagnoses": ["I10"], "service_lines": []})
        >>> Checker().profile_for(claim).name
        'medicare-inpatient'
        """
        return self.route(claim).profile

    def context(self, claim: Claim) -> ClaimContext:
        """``claim`` resolved for its dates under the profile this checker picks for it,
        with the tables the profile uses: what rules and policies read."""
        where = self.route(claim)
        tables = self.tables_for(where.profile) if where.problem is None else \
            self._problem_tables(where)
        return ClaimContext(claim, where.profile, tables, where.payer, where.plan,
                            where.problem)

    def iter_findings(self, claim: Claim) -> Iterator[Finding]:
        """Findings one by one (see :meth:`check` for the report)."""
        too_large = self._too_large(claim)
        if too_large is not None:
            yield too_large
            return
        yield from self._run_checked(claim)[0]

    def check(self, claim: Claim) -> Report:
        """Every finding for ``claim``, in rule order, the rules that could not run, and
        what the report must say about how the claim was judged (its notices). A bug in
        codekit met while checking it is raised (a single call surfaces it);
        :meth:`check_many` and the front doors' batches make it that claim's
        ``CLAIM_CHECK_FAILED`` report instead (:func:`codekit.batch.report_of`).
        Anything but a :class:`~codekit.claims.Claim` is a
        :class:`~codekit.errors.CheckerError`: :meth:`check_many` reads claim dicts and
        JSON text.

        >>> Checker().check({"claim_type": "professional"})
        Traceback (most recent call last):
        ...
        codekit.errors.CheckerError: expected a Claim, got dict: read a dict or JSON with ...
        """
        too_large = self._too_large(claim)
        lines = claim.service_lines
        if too_large is not None:  # checked as far as is safe: not at all
            return Report(findings=(too_large,), profile=self.route(claim).profile.name,
                          claim_id=claim.claim_id, line_ids=tuple(ln.line_id for ln in lines),
                          line_numbers=tuple(ln.line for ln in lines))
        findings, not_run, ctx = self._run_checked(claim)
        return _new_report(tuple(findings), ctx.profile.name, tuple(not_run), claim.claim_id,
                           tuple([ln.line_id for ln in lines]),
                           tuple([ln.line for ln in lines]), tuple(ctx.notices))

    def check_many(self, claims: Iterable[object], *, processes: int = 1,
                   chunk_size: int = 256) -> Iterator[Report]:
        """One report per claim of ``claims`` (Claims, claim dicts or JSON text), in input
        order, streaming; a claim that cannot be read gets a report of its
        ``CLAIM_FORMAT_INVALID`` problems, one whose check fails on a bug in codekit a
        report of one ``CLAIM_CHECK_FAILED`` error (its traceback logged to
        ``codekit.check``), and the stream goes on. ``processes`` > 1 checks
        in worker processes (0 = one per CPU; never more than the CPUs, nor than chunks
        of ``chunk_size`` claims). See :mod:`codekit.batch`."""
        from .batch import check_many

        return check_many(self, claims, processes=processes, chunk_size=chunk_size)

    def _too_large(self, claim: Claim) -> Finding | None:
        """The ``CLAIM_TOO_LARGE`` finding of a claim over :attr:`limits` (None when it
        can be checked); a claim argument of the wrong shape raises at once."""
        _claim_arg(claim)
        return self.limits.finding(claim)

    def _run_checked(self, claim: Claim) -> tuple[list[Finding], list[tuple[str, str]],
                                                  ClaimContext]:
        """:meth:`_run`; a claim built by hand with ill-typed fields (``Claim(...,
        date_of_service=None)``) is a :class:`ClaimFormatError`, found only when checking
        it fails (a claim from :meth:`Claim.from_dict` is always well-typed).

        A check that ran while another thread loaded data (``hcpcs.load_release``...)
        may have mixed the old data's answers with the new, and remembered old ones after
        the load emptied the caches: the generation it ends with is then not the count of
        finished changes it began with (a change moves the generation before the data
        changes). It waits for the change to finish, forgets those answers and checks the
        claim again, so its report and every later one are the new data's."""
        # _cache.changes() and generation(), read without a call on every claim
        began = _cache._changes
        try:
            out = self._run(claim)
            while _cache._generation != began:
                began = _cache.settle()
                out = self._run(claim)
            return out
        except (TypeError, AttributeError, ValueError, KeyError, IndexError,
                ArithmeticError) as e:  # Decimal("NaN") < 0 raises InvalidOperation
            if isinstance(e, CodekitError):
                raise
            problems = _shape_problems(claim)
            if problems:
                raise ClaimFormatError(problems) from e
            raise  # a well-formed claim: a codekit bug, not the claim's fault

    def _run(self, claim: Claim) -> tuple[list[Finding], list[tuple[str, str]], ClaimContext]:
        where = self.route(claim)
        profile = where.profile
        tables = self.tables_for(profile) if where.problem is None else \
            self._problem_tables(where)
        ctx = ClaimContext(claim, profile, tables, where.payer, where.plan, where.problem)
        findings: list[Finding] = []
        if where.problem is not None:
            _unrouted(ctx, where, findings)
        steps, static_not_run, replacing = self._plan(profile, ctx.features)
        not_run = list(static_not_run)
        for rule, check, severity in steps:
            for hit in check(ctx):
                if isinstance(hit, NotRun):
                    if (rule.id, hit.reason) not in not_run:
                        not_run.append((rule.id, hit.reason))
                    continue
                findings.append(_new_finding(rule.id, severity, hit.message, hit.location,
                                             hit.codes, rule.reference, hit.fix))
        if replacing and findings:
            # the plan's rules whose findings may replace others (Rule.replaces), asked
            # of the claim's findings once, not of every rule run
            made = {f.rule for f in findings}
            found = [(r, 0) for r in replacing if r.id in made]
            if found:
                findings = drop_superseded(findings, found)
        # Payer policies (codekit.policies): each yields finished findings; the profile may
        # still switch their finding IDs or their policies' rule IDs off, or change their
        # severity (the rule ID's first).
        switches: dict[str, Severity | None] | None = None
        for policy in self.policy_sets():
            for f in policy.check(ctx):
                if f.rule in profile.disabled:
                    continue
                sev = profile.severities.get(f.rule)
                if switches is None:
                    switches = self._policy_switches(profile)
                if switches and f.reference in switches:
                    sev = switches[f.reference]
                    if sev is None:  # the policy's rule ID is disabled
                        continue
                findings.append(f if sev is None else attrs.evolve(f, severity=sev))
        if self._required and not_run:  # Checker(require=...): none is left unjudged
            _required_not_run(self._required, not_run, findings,
                              None if profile.options.get("ncci") else ncci_off(profile.name))
        return findings, not_run, ctx


# the hot path's constructors (codekit._frozen: the same objects, made faster)
_new_report, _new_finding = maker(Report), maker(Finding)


def _required_not_run(required: frozenset[str], not_run: list[tuple[str, str]],
                      findings: list[Finding], off: str | None = None) -> None:
    """An ``EDIT_REQUIRED_NOT_RUN`` error for each entry of the report's not-run list
    (an edit, a reason) whose edit is ``required``: the claim was not judged by it.
    Not for an entry whose reason is ``off``: an edit the claim's profile runs only once
    configured (``commercial``'s PTP and MUE edits, :func:`~codekit.rules.ncci_off`),
    listed so that the report says it did not judge the claim, is not one the profile
    runs, and is not required of its claims."""
    for rule_id, reason in not_run:
        if rule_id in required and reason != off:
            findings.append(Finding(
                REQUIRED_NOT_RUN, Severity.ERROR,
                f"The required edit {rule_id} did not run on this claim, so the claim was "
                f"not judged by it: {reason.rstrip('.')}.", (), (rule_id,),
                "codekit.Checker(require=...); codekit check --require"))


def _claim_arg(claim: object) -> None:
    """A Claim whose sized fields are tuples (what :class:`ClaimLimits` counts); the
    rest of its shape is judged if checking it fails (:func:`_shape_problems`)."""
    if not isinstance(claim, Claim):
        raise CheckerError(f"expected a Claim, got {type(claim).__name__}: read a dict or "
                           "JSON with Claim.from_dict / Claim.from_json, or pass them to "
                           "check_many")
    lines = claim.service_lines
    if type(claim.diagnoses) is not tuple or type(lines) is not tuple or \
            type(claim.procedures) is not tuple:
        raise ClaimFormatError([
            ((name,), f"must be a tuple, got {type(getattr(claim, name)).__name__}")
            for name in ("diagnoses", "service_lines", "procedures")
            if type(getattr(claim, name)) is not tuple])
    numbered = True  # lines 1, 2, 3...: their numbers are good with no more looking
    for n, ln in enumerate(lines, 1):
        if type(ln) is ServiceLine and type(ln.modifiers) is tuple and \
                type(ln.diagnosis_pointers) is tuple and ln.line == n:
            continue  # the usual case: a well-typed line numbered n, cleared by one test
        i = n - 1
        if not isinstance(ln, ServiceLine):
            raise ClaimFormatError([(("service_lines", i), "must be a ServiceLine, got "
                                     f"{type(ln).__name__}")])
        for name in ("modifiers", "diagnosis_pointers"):
            if type(getattr(ln, name)) is not tuple:
                raise ClaimFormatError([(("service_lines", i, name), "must be a tuple, got "
                                         f"{type(getattr(ln, name)).__name__}")])
        numbered = False
    if not numbered:  # a line 0, or two of one number, in a claim built by hand
        problems = line_number_problems(lines)
        if problems:
            raise ClaimFormatError(problems)


def _shape_problems(claim: Claim) -> list[tuple[tuple[str | int, ...], str]]:
    """What is ill-typed in a claim built by hand (empty when its shape is right)."""
    out: list[tuple[tuple[str | int, ...], str]] = []

    def want(ok: bool, path: tuple[str | int, ...], what: str, value: object) -> None:
        if not ok:
            got = value if isinstance(value, Decimal) else type(value).__name__
            out.append((path, f"must be {what}, got {got}"))

    want(claim.claim_type in ("professional", "institutional"), ("claim_type",),
         "'professional' or 'institutional'", claim.claim_type)
    want(isinstance(claim.payer, str), ("payer",), "text", claim.payer)
    want(type(claim.date_of_service) is dt.date, ("date_of_service",), "a date",
         claim.date_of_service)
    p = claim.patient
    want(isinstance(p, Patient), ("patient",), "a Patient", p)
    if isinstance(p, Patient):
        want(isinstance(p.sex, str), ("patient", "sex"), "text", p.sex)
        want(p.birth_date is None or type(p.birth_date) is dt.date, ("patient", "birth_date"),
             "a date", p.birth_date)
        want(p.age is None or type(p.age) is int, ("patient", "age"), "a whole number", p.age)
    for i, d in enumerate(claim.diagnoses):
        want(isinstance(d, str), ("diagnoses", i), "text", d)
    for i, ln in enumerate(claim.service_lines):
        at: tuple[str | int, ...] = ("service_lines", i)
        want(type(ln.line) is int, (*at, "line"), "a whole number", ln.line)
        want(isinstance(ln.procedure_code, str), (*at, "procedure_code"), "text",
             ln.procedure_code)
        want(ln.date_of_service is None or type(ln.date_of_service) is dt.date,
             (*at, "date_of_service"), "a date", ln.date_of_service)
        want(ln.units is None or (isinstance(ln.units, Decimal) and not ln.units.is_nan()),
             (*at, "units"), "a Decimal number", ln.units)
        for j, m in enumerate(ln.modifiers):
            want(isinstance(m, str), (*at, "modifiers", j), "text", m)
        for j, ptr in enumerate(ln.diagnosis_pointers):
            want(type(ptr) is int, (*at, "diagnosis_pointers", j), "a whole number", ptr)
    for i, proc in enumerate(claim.procedures):
        want(isinstance(proc, Procedure), ("procedures", i), "a Procedure", proc)
    return out


def _unrouted(ctx: ClaimContext, where: Route, findings: list[Finding]) -> None:
    """Say that the payer routing could not place the claim's payer, or that the profile
    chosen for every claim is not one for this kind of claim."""
    claim = ctx.claim
    what = f"payer {claim.payer!r}" + (f" (filing indicator {claim.filing_indicator!r})"
                                        if claim.filing_indicator else "")
    # none given: Claim.from_dict's placeholder "unknown" is no payer's name
    nameless = claim.payer == "unknown" and not claim.filing_indicator
    if where.problem == "mismatch":
        kind = "hospital inpatient" if where.profile.option("inpatient") else "outpatient"
        ctx.notice("PROFILE_CLAIM_MISMATCH", f"the profile {where.profile.name} judges "
                   f"{kind} 837I claims, and this is a professional claim: its edits for "
                   "institutional claims do not apply to it, and the edits of a professional "
                   "profile may differ; check it under medicare-professional or commercial",
                   ("claim_type",))
        return
    if where.problem == "no-editor":
        ctx.notice("BILL_TYPE_NOT_EDITED_BY_CMS", f"type of bill {claim.bill_type}: CMS "
                   "runs neither the MCE (11x) nor the I/OCE (12x-14x, 22x, 23x, 32x, 34x, "
                   "43x, 71x-78x, 81x-85x, 87x, 89x) on it; it was checked under "
                   "medicare-outpatient without the I/OCE's edits and the NCCI PTP, MUE and "
                   "add-on edits, which CMS does not apply to this type of bill (its "
                   "diagnosis, procedure code and claim edits were run)", ("bill_type",))
        return
    if where.plan is not None:  # routed to a payer ID that is no family nor profile
        placed = (f"{what} is routed to {where.plan!r}, which is no payer family (medicare, "
                  "medicaid, commercial) nor a profile of the checker")
        choose = (f"route it to a family, or give the checker a profile named {where.plan!r}, "
                  "to choose its profile")
    elif nameless:
        placed = "the claim names no payer nor X12 filing indicator"
        choose = "give its payer (or X12 filing indicator) to choose its profile"
    else:
        placed = f"{what} is in no payer routing"
        choose = ("add it to the checker's PayerRouting (names= or filing_indicators=; "
                  "codekit check and serve: --route-payer or --route-filing-indicator) to "
                  "choose its profile")
    if where.problem == "unknown":
        findings.append(Finding(
            "PAYER_UNKNOWN", Severity.ERROR, f"{placed}: {choose}",
            ("payer",), (claim.payer,), "codekit.rules.routing (strict routing)"))
    elif where.plan is not None:
        ctx.notice("PAYER_UNROUTED", f"{placed}: checked as {where.payer} "
                   f"({where.profile.name}), with the policies for {where.payer} and for "
                   f"{where.plan}; {choose}", ("payer",))
    else:
        ctx.notice("PAYER_UNROUTED", f"{placed}: checked as {where.payer} "
                   f"({where.profile.name}); "
                   + (choose if nameless else "add it to the checker's PayerRouting "
                      "(codekit check and serve: --route-payer NAME=FAMILY) to choose"),
                   ("payer",))


_Step = tuple[Rule, Callable[..., Iterable[Any]], Severity]
#: (the steps, the rules that cannot run, the steps' rules whose findings may replace
#: others: :attr:`~codekit.rules.engine.Rule.replaces`)
_Plan = tuple[list[_Step], list[tuple[str, str]], tuple[Rule, ...]]
#: The plans a checker remembers a profile (about 0.5 KB each, with their keys).
MAX_PLANS = 4096


def _default_rules() -> tuple[Rule, ...]:
    return builtin_rules()


@functools.cache
def _builtin_ids() -> frozenset[str]:
    """The built-in rules' IDs (code, not data: worked out once)."""
    return frozenset(r.id for r in builtin_rules())


def _default_profiles() -> dict[str, Profile]:
    return builtin_profiles()


_DEFAULT: list[Checker] = []


def default_checker() -> Checker:
    """The process's default :class:`Checker` (bundled data, default profiles and
    policies): what :func:`check`, and a front door given no checker, check with."""
    if not _DEFAULT:
        _DEFAULT.append(Checker())
    return _DEFAULT[0]


def check(claim: Claim) -> Report:
    """Check ``claim`` with a default :class:`Checker` on the bundled data (its payer
    picks the profile). Anything but a :class:`~codekit.claims.Claim` is a
    :class:`~codekit.errors.CheckerError` (read a dict or JSON with ``Claim.from_dict``
    or ``Claim.from_json``); a
    bug in codekit met while checking it is raised, as :meth:`Checker.check` says.

    >>> from codekit.claims import Claim
    >>> claim = Claim.from_dict({"claim_type": "professional", "payer": "medicare",
    ...     "patient": {"sex": "F", "birth_date": "1951-04-12"},
    ...     "date_of_service": "2025-11-03", "diagnoses": ["M17.11"],
    ...     "service_lines": [{"procedure_code": "20610", "modifiers": ["LT"], "units": 1,
    ...                        "diagnosis_pointers": [1]}]})
    >>> report = check(claim)
    >>> report.ok, [(f.rule, f.fix) for f in report.findings]
    (False, [('LATERALITY_MISMATCH', ('RT',))])
    """
    return default_checker().check(claim)
