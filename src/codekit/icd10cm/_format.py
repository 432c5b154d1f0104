"""The ICD-10-CM code format: clean-up, the grammar, and its fast path.

``grammars/icd10cm.lark`` is the source of truth. :data:`FAST_PATTERN` is the same
language as a regular expression, used on the hot path; ``tests/test_icd10cm_format.py``
checks that the two accept exactly the same strings and split them the same way.
"""

from __future__ import annotations

import re

import attrs

from .. import _text
from .._grammars import parser
from ..errors import InvalidFormat

__all__ = ["COMPACT_PATTERN", "FAST_PATTERN", "Icd10cmCode", "clean", "compact", "format_code",
           "other_system", "parse", "parse_with_grammar"]

#: The grammar as a regular expression: category (second character a digit or A, as in
#: FY2026's QA0), optional dot, 1-3 characters of
#: etiology/site/severity, and a 7th character only after all three.
FAST_PATTERN = re.compile(r"([A-Z][0-9A][0-9A-Z])(?:\.?([0-9A-Z]{1,2}|[0-9A-Z]{3}([0-9A-Z])?))?")

#: A code as release files write it (compact: the grammar without the optional dot).
COMPACT_PATTERN = re.compile(FAST_PATTERN.pattern.replace(r"\.?", ""))

_ICD9 = re.compile(r"(?:[0-9]{3}|V[0-9]{2}|E[0-9]{3})(?:\.[0-9]{0,2})?|[0-9]{4,5}")
_CPT = re.compile(r"[0-9]{4}[FTU]")  # CPT category II and III codes (5 digits: see below)


@attrs.frozen
class Icd10cmCode:
    """A well-formed ICD-10-CM code split into its parts (structure only, no data).

    >>> c = parse("s72.001a")
    >>> c.category, c.etiology, c.extension, str(c), c.dotted
    ('S72', '001', 'A', 'S72001A', 'S72.001A')
    >>> parse("T78.40XA").placeholders
    1
    """

    #: Characters 1-3: letter, digit, letter or digit.
    category: str
    #: Characters 4-6 (etiology, anatomic site, severity); may hold placeholder X.
    etiology: str = ""
    #: The 7th character, or "".
    extension: str = ""

    def __str__(self) -> str:
        return self.category + self.etiology + self.extension

    @property
    def code(self) -> str:
        """The compact code (no dot)."""
        return self.category + self.etiology + self.extension

    @property
    def dotted(self) -> str:
        """The code as printed in the tabular, with the dot after the category."""
        rest = self.etiology + self.extension
        return f"{self.category}.{rest}" if rest else self.category

    @property
    def placeholders(self) -> int:
        """How many trailing placeholder X fill characters 4-6 before a 7th character."""
        if not self.extension:
            return 0
        return len(self.etiology) - len(self.etiology.rstrip("X"))


def clean(value: object) -> str:
    """``value`` as upper-case ASCII without white space; raises InvalidFormat for non-text."""
    if not isinstance(value, str):
        raise InvalidFormat(value, f"expected a code as text, got {type(value).__name__}")
    return _text.clean(value)


def other_system(text: str) -> str | None:
    """The code system whose code ``text`` (cleaned: upper case, no blanks) is written as,
    when it is not ICD-10-CM syntax: ``"ICD-9-CM"``, ``"CPT or ICD-9-CM"`` (five digits:
    99213 is a CPT code, 25000 may be ICD-9 250.00) or ``"CPT"`` (four digits and F, T or
    U); else None (a 7-character text that starts with a digit may be an ICD-10-PCS code
    or an ICD-10-CM code mistyped, 566829A for S66.829A: its message does not guess).

    >>> [other_system(t) for t in ("250.00", "99213", "0001F", "0DTJ4ZZ", "E1.165", "E11.9")]
    ['ICD-9-CM', 'CPT or ICD-9-CM', 'CPT', None, None, None]
    """
    if FAST_PATTERN.fullmatch(text):
        return None
    if _ICD9.fullmatch(text):
        return "CPT or ICD-9-CM" if len(text) == 5 and text.isdigit() else "ICD-9-CM"
    if _CPT.fullmatch(text):
        return "CPT"
    return None


#: A diagnosis written as a code of another system: what its error says.
_OTHER = {
    "ICD-9-CM": "looks like an ICD-9-CM code; ICD-10-CM codes start with a letter, then a "
                "digit (e.g. E11.9). Convert it with a GEM/crosswalk first",
    "CPT or ICD-9-CM": "looks like a CPT code (a procedure: it belongs on a service line) or "
                       "an ICD-9-CM code without its dot (convert it with a GEM/crosswalk); "
                       "ICD-10-CM codes start with a letter, then a digit (e.g. E11.9)",
    "CPT": "looks like a CPT code (a procedure: it belongs on a service line); ICD-10-CM "
           "codes start with a letter, then a digit (e.g. E11.9)",
}


def _format_error(value: object, text: str) -> InvalidFormat:
    if not text:
        return InvalidFormat(value, "empty: an ICD-10-CM code has 3 to 7 characters")
    other = other_system(text)
    if other is not None:
        return InvalidFormat(value, _OTHER[other])
    if "." in text and text.index(".") != 3:
        return InvalidFormat(
            value, "the dot must follow the 3rd character (category), e.g. E11.65")
    if len(text.replace(".", "")) > 7:
        return InvalidFormat(value, "too long: an ICD-10-CM code has 3 to 7 characters")
    if len(text.replace(".", "")) < 3:
        return InvalidFormat(value, "too short: an ICD-10-CM code has 3 to 7 characters")
    return InvalidFormat(
        value, "not ICD-10-CM syntax: a letter, a digit (or A), a letter or digit, then up "
        "to 4 letters or digits (e.g. E11.65, S72.001A, QA0.0101)")


def parse(value: object) -> Icd10cmCode:
    """Parse a code written in any common way into its parts (no data is consulted).

    >>> parse("E11.65")
    Icd10cmCode(category='E11', etiology='65', extension='')
    >>> parse("E1.165")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidFormat: 'E1.165': the dot must follow the 3rd character ...
    """
    text = clean(value)
    m = FAST_PATTERN.fullmatch(text)
    if m is None:
        raise _format_error(value, text)
    cat, detail, ext = m.group(1), m.group(2) or "", m.group(3) or ""
    return Icd10cmCode(cat, detail[:3], ext)


def parse_with_grammar(value: object) -> Icd10cmCode:
    """:func:`parse` through the lark grammar (slow; the reference the fast path is tested
    against)."""
    from lark.exceptions import LarkError

    text = clean(value)
    try:
        tree = parser("icd10cm.lark").parse(text)
    except LarkError as e:
        raise _format_error(value, text) from e
    # every child of the start rule is a rule (a Tree), never a bare Token
    parts = {t.data: "".join(str(tok) for tok in t.children)  # type: ignore[union-attr]
             for t in tree.children}
    return Icd10cmCode(parts["category"], parts.get("etiology", ""), parts.get("extension", ""))


def compact(value: object) -> str:
    """The code without dot or white space, upper case: ``" s72.001a "`` → ``"S72001A"``.

    >>> compact(" s72.001a ")
    'S72001A'
    """
    return parse(value).code


def format_code(value: object) -> str:
    """The code with its dot: ``"s72001a"`` → ``"S72.001A"``.

    >>> format_code("s72001a")
    'S72.001A'
    """
    return parse(value).dotted
