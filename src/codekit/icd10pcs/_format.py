"""The ICD-10-PCS code format: clean-up, the grammar, its fast path, and the error that
says what is wrong with text that is not a PCS code.

``grammars/icd10pcs.lark`` is the source of truth. :data:`FAST_PATTERN` is the same
language as a regular expression, used on the hot path; ``tests/test_icd10pcs_format.py``
checks that the two accept exactly the same strings.
"""

from __future__ import annotations

import re

import attrs

from .. import _text
from .._grammars import parser
from ..errors import InvalidFormat

__all__ = ["AXES", "FAST_PATTERN", "PcsCode", "clean", "compact", "format_code", "other_system",
           "parse", "parse_with_grammar", "read_as_digits"]

#: The grammar as a regular expression: seven characters, digits and letters but I and O.
FAST_PATTERN = re.compile(r"[0-9A-HJ-NP-Z]{7}")
#: The grammar's names of the seven axes (their meaning per section is in the tables).
AXES = ("section", "body_system", "root_operation", "body_part", "approach", "device",
        "qualifier")
FORMAT_CODE = "PCS_FORMAT_INVALID"

_CPT = re.compile(r"[0-9]{4}[0-9FTU]")
_HCPCS = re.compile(r"[A-V][0-9]{4}")
_ICD9 = re.compile(r"[0-9]{2}\.?[0-9]{1,2}")
_ICD10CM = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")
_PCS_CHARS = frozenset("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")


@attrs.frozen
class PcsCode:
    """A well-formed ICD-10-PCS code split into its seven characters (no data consulted).

    >>> c = parse(" 0dtj4zz ")
    >>> c.code, c.table, c.section, c.root_operation, c.approach
    ('0DTJ4ZZ', '0DT', '0', 'T', '4')
    """

    code: str

    def __str__(self) -> str:
        return self.code

    @property
    def table(self) -> str:
        """The first three characters: the table (section, body system, operation)."""
        return self.code[:3]

    @property
    def characters(self) -> tuple[str, ...]:
        """The seven characters, in order (``('0', 'D', 'T', 'J', '4', 'Z', 'Z')``)."""
        return tuple(self.code)

    @property
    def section(self) -> str:
        """Character 1: the section (``0`` Medical and Surgical). The names of the other
        characters are those of section 0; other sections give some positions other
        meanings (:func:`codekit.icd10pcs.explain` gives every label)."""
        return self.code[0]

    @property
    def body_system(self) -> str:
        """Character 2: the body system (``D`` Gastrointestinal System in section 0)."""
        return self.code[1]

    @property
    def root_operation(self) -> str:
        """Character 3: the root operation (``T`` Resection in section 0)."""
        return self.code[2]

    @property
    def body_part(self) -> str:
        """Character 4: the body part (``J`` Appendix in table 0DT)."""
        return self.code[3]

    @property
    def approach(self) -> str:
        """Character 5: the approach (``4`` Percutaneous Endoscopic in section 0)."""
        return self.code[4]

    @property
    def device(self) -> str:
        """Character 6: the device (``Z`` No Device)."""
        return self.code[5]

    @property
    def qualifier(self) -> str:
        """Character 7: the qualifier (``Z`` No Qualifier)."""
        return self.code[6]


def clean(value: object) -> str:
    """``value`` as upper-case ASCII without white space; InvalidFormat for non-text."""
    if not isinstance(value, str):
        raise InvalidFormat(value, f"expected an ICD-10-PCS code as text, got "
                            f"{type(value).__name__}", code=FORMAT_CODE)
    return _text.clean(value)


#: What the error says of text that is a code of another system (see :func:`other_system`).
_OTHER = {
    "ICD-9-CM": "looks like an ICD-9-CM procedure code; inpatient procedures are reported "
                "in ICD-10-PCS since 2015-10-01 (7 characters, e.g. 0DTJ4ZZ)",
    "ICD-10-CM": "looks like an ICD-10-CM diagnosis code, not an ICD-10-PCS procedure code "
                 "(7 characters, e.g. 0DTJ4ZZ)",
    "CPT": "looks like a CPT code; procedures on an inpatient claim are reported in "
           "ICD-10-PCS (7 characters, e.g. 0DTJ4ZZ); CPT belongs on service lines",
    "HCPCS": "looks like a HCPCS Level II code (or an ICD-10-CM diagnosis), not an "
             "ICD-10-PCS procedure code (7 characters, e.g. 0DTJ4ZZ)",
}


def other_system(text: str) -> str | None:
    """The code system whose code ``text`` (cleaned: upper case, no blanks) is written as,
    when it is not an ICD-10-PCS code mistyped: ``"CPT"``, ``"HCPCS"``, ``"ICD-9-CM"`` or
    ``"ICD-10-CM"``; None for a PCS code or a mistyped one (a dot in a PCS code, the letter
    O, a character short, a table). No PCS code is near such a code: its error proposes
    none (:func:`codekit.icd10pcs.suggest` answers ``[]``).

    >>> [other_system(t) for t in ("99213", "A0425", "47.01", "E11.65", "0DTJ4Z", "ODTJ4ZZ")]
    ['CPT', 'HCPCS', 'ICD-9-CM', 'ICD-10-CM', None, None]
    >>> [other_system(t) for t in ("99213-25", "J3490-JW-59", "0DT-J4ZZ")]
    ['CPT', 'HCPCS', None]
    """
    if "-" in text and "." not in text:
        # 99213-25, J3490-JW: a CPT or HCPCS code with modifiers, not a PCS code with a
        # hyphen ("write 9921325" was the advice)
        head, *mods = text.split("-")
        if mods and all(_MODIFIER.fullmatch(m) for m in mods):
            if _CPT.fullmatch(head):
                return "CPT"
            if _HCPCS.fullmatch(head):
                return "HCPCS"
    if "." in text or "-" in text:
        if FAST_PATTERN.fullmatch(text.replace(".", "").replace("-", "")):
            return None  # 0DTJ.4ZZ: a PCS code with a dot
        return "ICD-9-CM" if _ICD9.fullmatch(text) else \
            "ICD-10-CM" if _ICD10CM.fullmatch(text) else None
    if len(text) == 7 and ("I" in text or "O" in text):
        return None  # ODTJ4ZZ: the letter O for zero
    if _CPT.fullmatch(text):
        return "CPT"
    if _HCPCS.fullmatch(text):
        return "HCPCS"
    if _ICD9.fullmatch(text):
        return "ICD-9-CM"
    if len(text) not in (3, 7) and _ICD10CM.fullmatch(text):
        return "ICD-10-CM"  # three characters are a PCS table; seven may be PCS
    return None


def _error(value: object, text: str) -> InvalidFormat:
    def err(why: str) -> InvalidFormat:
        return InvalidFormat(value, why, code=FORMAT_CODE)

    if not text:
        return err("empty: an ICD-10-PCS code has exactly 7 characters (e.g. 0DTJ4ZZ)")
    other = other_system(text)
    if other is not None:
        return err(_OTHER[other])
    plain = text.replace(".", "").replace("-", "")
    if "." in text or "-" in text:
        if FAST_PATTERN.fullmatch(plain):
            return err(f"ICD-10-PCS codes have no dot or hyphen: write {plain}")
        return err("ICD-10-PCS codes have no dot or hyphen: 7 characters, e.g. 0DTJ4ZZ")
    if len(text) == 7 and ("I" in text or "O" in text):
        where = ", ".join(f"character {i + 1} {ch!r}" for i, ch in enumerate(text)
                          if ch in "IO")
        # no "did you mean" here: whether the digits make a code depends on the date (the
        # dated verbs add it, naming only a code valid then: see read_as_digits)
        return err(f"ICD-10-PCS never uses the letters I and O ({where})")
    bad = [(i + 1, ch) for i, ch in enumerate(text) if ch not in _PCS_CHARS]
    if bad:
        shown = ", ".join(f"character {i} {ch!r}" for i, ch in bad[:3])
        return err(f"not ICD-10-PCS: {shown} (only digits and letters other than I and O)")
    if len(text) == 3:
        return err(f"{text} is a table (section, body system, root operation), not a code: "
                   "add body part, approach, device and qualifier (7 characters)")
    if len(text) < 7:
        return err(f"too short ({len(text)} characters): an ICD-10-PCS code has exactly 7")
    return err(f"too long ({len(text)} characters): an ICD-10-PCS code has exactly 7")


def read_as_digits(text: str) -> str | None:
    """``text`` (cleaned) with the letters O and I read as the digits 0 and 1, when it is
    seven characters holding either letter and so reads as a well-formed code; else None.

    >>> read_as_digits("0DTJ4ZO"), read_as_digits("0DTJ4ZZ"), read_as_digits("ODT")
    ('0DTJ4Z0', None, None)
    """
    if len(text) != 7 or ("I" not in text and "O" not in text):
        return None
    fixed = text.replace("O", "0").replace("I", "1")
    return fixed if FAST_PATTERN.fullmatch(fixed) else None


def parse(value: object) -> PcsCode:
    """The code split into its seven characters, by format alone (no data).

    >>> parse("0DTJ4ZZ").device
    'Z'
    >>> parse("0DTJ4ZO")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidFormat: '0DTJ4ZO': ICD-10-PCS never uses the letters I and O ...
    """
    text = clean(value)
    if FAST_PATTERN.fullmatch(text) is None:
        raise _error(value, text)
    return PcsCode(text)


def parse_with_grammar(value: object) -> PcsCode:
    """:func:`parse` through the lark grammar (slow; the reference the fast path is tested
    against)."""
    from lark.exceptions import LarkError

    text = clean(value)
    try:
        tree = parser("icd10pcs.lark").parse(text)
    except LarkError as e:
        raise _error(value, text) from e
    return PcsCode("".join(str(t.children[0]) for t in tree.children))  # type: ignore[union-attr]


def compact(value: object) -> str:
    """The code upper case, without white space: ``" 0dtj4zz "`` → ``"0DTJ4ZZ"``.

    >>> compact(" 0dtj4zz ")
    '0DTJ4ZZ'
    """
    return parse(value).code


def format_code(value: object) -> str:
    """The code as printed: its compact form (PCS codes have no punctuation).

    >>> format_code("0dtj4zz")
    '0DTJ4ZZ'
    """
    return parse(value).code
