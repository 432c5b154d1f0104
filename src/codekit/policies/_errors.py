"""The kinds of :class:`~codekit.errors.PolicyError`: what can be wrong in a policy file.

Every problem the loader finds (syntax, unknown code, bad range, reversed dates, duplicate
rule ID, unknown field...) is one :class:`~codekit.errors.PolicyError` (defined, like every
codekit exception, in :mod:`codekit.errors`); ``kind`` is a stable slug to branch on.
"""

from __future__ import annotations

from ..errors import PolicyError

__all__ = ["KINDS", "PolicyError"]

#: Every ``PolicyError.kind``, with what it means.
KINDS: dict[str, str] = {
    "syntax": "the text does not follow the grammar (an unexpected word, symbol or end)",
    "read_error": "the file cannot be read or is not UTF-8 text",
    "bad_code": "an item is not written like a code (ICD-10-CM codes keep their dot)",
    "unknown_code": "a code (or range end, or prefix) is in no release codekit knows",
    "bad_range": "a range runs backwards or mixes code systems or kinds",
    "never_true": "an 'and' no claim can meet (age >= 65 and age < 18, procedure in 95810 "
                  "and procedure in 95811), a test against the rule's header (claim_type: "
                  "professional with claim_type = institutional), or demands no claim "
                  "meets together (require C and forbid C, in a rule or in two rules of the "
                  "same claims)",
    "wrong_system": "a set of one code system is used where another is needed",
    "unknown_set": "a name that is not a set defined earlier in the file",
    "duplicate_set": "a set name defined twice in one file",
    "bad_value": "a field or comparison value of the wrong kind (date, number, word)",
    "reversed_dates": "a rule ends before it takes effect",
    "overlapping_versions": "two versions of a rule (same trigger, finding and payers) both "
                            "apply on some day: the new one takes effect before the old one ends",
    "empty_set": "a code set with no code left ({I10} except {I10})",
    "duplicate_rule": "two rules share an ID (in a file or across a folder)",
    "unknown_field": "a header field that does not exist",
    "duplicate_field": "a field or statement given twice in one rule",
    "missing_field": "a rule lacks something it needs (source, require/forbid/deny)",
    "misplaced": "a line condition used where there is no line, or a clause out of place",
    "unknown_placeholder": "a {name} in a message that the rule cannot fill in",
    "bad_example": "an example claim that cannot be built",
    "too_deep": "conditions nested too deeply",
}


def source_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, or "" when out of range."""
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""
