"""The claim rules engine: built-in edits of the rules catalog, profiles, checkers.

See :mod:`codekit.rules.engine` for the pieces and ``docs/rules.md`` for every edit.
"""

from .builtin import builtin_rules
from .engine import Checker, Finding, Hit, Profile, Report, Rule, Severity, check, rule
from .profiles import builtin_profiles

__all__ = ["Checker", "Finding", "Hit", "Profile", "Report", "Rule", "Severity",
           "builtin_profiles", "builtin_rules", "check", "rule"]
