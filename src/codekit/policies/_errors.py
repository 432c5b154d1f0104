"""PolicyError: what is wrong in a policy file, where (file, line, column) and what was expected.

Every problem the loader finds (syntax, unknown code, bad range, reversed dates, duplicate
rule ID, unknown field...) is one :class:`PolicyError`. ``kind`` is a stable slug to branch
on; the text shows the line with a caret under the column:

>>> e = PolicyError("unknown code 'M99.99'", kind="unknown_code", file="chiro.policy",
...                 line=3, column=18, text="set SUBLUXATION = M99.99",
...                 expected="a code that exists in some ICD-10-CM release")
>>> print(e)
chiro.policy:3:18: unknown code 'M99.99'
  set SUBLUXATION = M99.99
                    ^
expected: a code that exists in some ICD-10-CM release
>>> import pickle
>>> e2 = pickle.loads(pickle.dumps(e))
>>> (e2.kind, e2.line, e2.column, isinstance(e2, ValueError))
('unknown_code', 3, 18, True)
"""

from __future__ import annotations

from typing import Any

from ..errors import CodekitError

__all__ = ["KINDS", "PolicyError"]

#: Every ``PolicyError.kind``, with what it means.
KINDS: dict[str, str] = {
    "syntax": "the text does not follow the grammar (an unexpected word, symbol or end)",
    "read_error": "the file cannot be read or is not UTF-8 text",
    "bad_code": "an item is not written like a code (ICD-10-CM codes keep their dot)",
    "unknown_code": "a code (or range end, or prefix) is in no release codekit knows",
    "bad_range": "a range runs backwards or mixes code systems or kinds",
    "wrong_system": "a set of one code system is used where another is needed",
    "unknown_set": "a name that is not a set defined earlier in the file",
    "duplicate_set": "a set name defined twice in one file",
    "bad_value": "a field or comparison value of the wrong kind (date, number, word)",
    "reversed_dates": "a rule ends before it takes effect",
    "duplicate_rule": "two rules share an ID (in a file or across a folder)",
    "unknown_field": "a header field that does not exist",
    "duplicate_field": "a field or statement given twice in one rule",
    "missing_field": "a rule lacks something it needs (source, require/forbid/deny)",
    "misplaced": "a line condition used where there is no line, or a clause out of place",
    "unknown_placeholder": "a {name} in a message that the rule cannot fill in",
    "bad_example": "an example claim that cannot be built",
    "too_deep": "conditions nested too deeply",
}


class PolicyError(CodekitError, ValueError):
    """A policy file that cannot be compiled. Nothing of the file (or folder) is loaded.

    Attributes: ``kind`` (see :data:`KINDS`), ``reason``, ``file``, ``line`` and
    ``column`` (1-based), ``text`` (the source line), ``expected``.
    """

    code = "POLICY_INVALID"

    def __init__(self, reason: str, *, kind: str = "syntax", file: str = "<string>",
                 line: int = 0, column: int = 0, text: str = "", expected: str = "") -> None:
        where = f"{file}:{line}:{column}" if line else file
        parts = [f"{where}: {reason}"]
        if text and line:
            shown = text.rstrip("\n")
            caret = "".join(ch if ch == "\t" else " " for ch in shown[: max(column - 1, 0)])
            parts += [f"  {shown}", f"  {caret}^"]
        if expected:
            parts.append(f"expected: {expected}")
        super().__init__("\n".join(parts))
        self._fields: dict[str, Any] = {
            "reason": reason, "kind": kind, "file": file, "line": line, "column": column,
            "text": text, "expected": expected}
        self.reason = reason
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.text = text
        self.expected = expected


def source_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, or "" when out of range."""
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""
