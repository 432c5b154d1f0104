"""Every built-in edit of the rules catalog, in the order the engine runs them."""

from __future__ import annotations

from . import conventions, demographics, diagnoses, lines, ncci
from .engine import Rule

__all__ = ["builtin_rules"]


def builtin_rules() -> tuple[Rule, ...]:
    """A fresh tuple of the built-in rules (a checker holds its own)."""
    return (*diagnoses.RULES, *conventions.RULES, *demographics.RULES, *lines.RULES,
            *ncci.RULES)
