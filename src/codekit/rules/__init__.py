"""The built-in claim edits: rules, the claim context they read, and the profiles.

A rule is a small function with its catalog ID (``docs/catalog.md``), default severity and
reference, that reads a :class:`ClaimContext` and yields :class:`~codekit.findings.Hit`
objects. :class:`Profile` says which rules run, how severe, for a kind of claim. The
:class:`~codekit.Checker` (:mod:`codekit.checker`) runs them. See ``docs/rules.md``.
"""

from ..findings import Finding, Hit, NotRun, Report, Severity
from .builtin import builtin_rules
from .context import ClaimContext, DxInfo, LineInfo, NcciOffTables, ncci_off, why_missing
from .engine import Profile, Rule, drop_superseded, rule
from .profiles import builtin_profiles, profile_for
from .routing import PayerRouting, Route, route

__all__ = ["ClaimContext", "DxInfo", "Finding", "Hit", "LineInfo", "NcciOffTables", "NotRun",
           "PayerRouting", "Profile", "Report", "Route", "Rule", "Severity", "builtin_profiles",
           "builtin_rules", "drop_superseded", "ncci_off", "profile_for", "route", "rule",
           "why_missing"]
