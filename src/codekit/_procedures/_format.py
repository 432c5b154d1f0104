"""The format of procedure codes and modifiers: clean-up, the grammar, and its fast path.

``grammars/procedure.lark`` is the source of truth. :data:`FAST_CODE`, :data:`FAST_MODIFIER`
and :data:`FAST_LINE` are the same languages as regular expressions, used on the hot path;
``tests/test_procedure.py`` checks that they accept exactly the strings the grammar accepts
and split them the same way.

>>> parse("99213")
ProcedureCode(code='99213', category='category_i')
>>> parse("g0121").system, parse("0001U").category.label
('hcpcs', 'CPT PLA (proprietary laboratory analyses)')
>>> parse_line("20610RT")
ProcedureLine(code=ProcedureCode(code='20610', category='category_i'), modifiers=('RT',))
"""

from __future__ import annotations

import enum
import re

import attrs

from .. import _text
from .._grammars import parser
from ..errors import InvalidFormat, InvalidModifier

__all__ = [
    "FAST_CODE",
    "FAST_LINE",
    "FAST_MODIFIER",
    "Category",
    "ProcedureCode",
    "ProcedureLine",
    "clean",
    "level_ii_section",
    "modifier_pieces",
    "other_system",
    "parse",
    "parse_line",
    "parse_line_with_grammar",
    "parse_modifier",
    "parse_modifier_with_grammar",
    "parse_with_grammar",
]

FORMAT_ERROR = "PROC_FORMAT_INVALID"

#: The letters CMS uses for HCPCS Level II codes (D is CDT dental).
LEVEL_II_LETTERS = "ABCDEGHJKLMPQRSTUV"

#: ``procedure`` of the grammar as a regular expression: group 1 a CPT code (4 digits and
#: a digit or A/M/F/T/U), group 2 a HCPCS Level II code.
FAST_CODE = re.compile(r"([0-9]{4}[0-9AMFTU])|([ABCDEGHJKLMPQRSTUV][0-9]{4})")
#: ``modifier`` of the grammar.
FAST_MODIFIER = re.compile(r"[0-9A-Z]{2}")
#: ``line`` of the grammar: a code (group 1), then modifiers each optionally preceded by a
#: separator (group 2, split with :data:`FAST_MODIFIER`).
FAST_LINE = re.compile(
    r"([0-9]{4}[0-9AMFTU]|[ABCDEGHJKLMPQRSTUV][0-9]{4})((?:[-,;:/]?[0-9A-Z]{2})*)")

_SUFFIX = {"A": "vaccine", "M": "maaa", "F": "category_ii", "T": "category_iii", "U": "pla"}


class Category(enum.StrEnum):
    """What kind of procedure code a well-formed code is (the grammar's rule names)."""

    CATEGORY_I = "category_i"
    VACCINE = "vaccine"
    MAAA = "maaa"
    CATEGORY_II = "category_ii"
    CATEGORY_III = "category_iii"
    PLA = "pla"
    LEVEL_II = "level_ii"

    @property
    def label(self) -> str:
        """A readable name: ``'CPT Category II (performance measurement)'``."""
        return _LABELS[self]

    @property
    def system(self) -> str:
        """``"cpt"`` or ``"hcpcs"``."""
        return "hcpcs" if self is Category.LEVEL_II else "cpt"

    def __repr__(self) -> str:
        return repr(self.value)


_LABELS = {
    Category.CATEGORY_I: "CPT Category I",
    Category.VACCINE: "CPT Category I vaccine product or administration",
    Category.MAAA: "CPT administrative MAAA (multianalyte assay with algorithmic analysis)",
    Category.CATEGORY_II: "CPT Category II (performance measurement)",
    Category.CATEGORY_III: "CPT Category III (emerging technology)",
    Category.PLA: "CPT PLA (proprietary laboratory analyses)",
    Category.LEVEL_II: "HCPCS Level II",
}

#: What the first letter of a HCPCS Level II code says about it (CMS HCPCS structure).
LEVEL_II_SECTIONS: dict[str, str] = {
    "A": "transportation, medical and surgical supplies, miscellaneous",
    "B": "enteral and parenteral therapy",
    "C": "outpatient PPS (temporary hospital codes)",
    "D": "dental (CDT codes; not used on medical claims unless the payer allows them)",
    "E": "durable medical equipment",
    "G": "procedures and professional services (temporary)",
    "H": "behavioral health and alcohol and drug abuse treatment (Medicaid)",
    "J": "drugs administered other than oral method, chemotherapy drugs",
    "K": "DME MAC temporary codes",
    "L": "orthotic and prosthetic procedures and devices",
    "M": "other medical services, quality measures",
    "P": "pathology and laboratory services",
    "Q": "miscellaneous services (temporary)",
    "R": "diagnostic radiology services (transportation of equipment)",
    "S": "temporary national codes (non-Medicare, private payers)",
    "T": "national codes established for state Medicaid agencies",
    "U": "coronavirus laboratory tests",
    "V": "vision, hearing and speech-language pathology services",
}


def level_ii_section(code: str) -> str | None:
    """What the first letter of a HCPCS Level II code means.

    >>> level_ii_section("J3490")
    'drugs administered other than oral method, chemotherapy drugs'
    """
    return LEVEL_II_SECTIONS.get(code[:1])


@attrs.frozen
class ProcedureCode:
    """A well-formed CPT or HCPCS Level II code (structure only, no data consulted).

    >>> c = parse(" 99213 ")
    >>> c.code, c.system, c.category.label
    ('99213', 'cpt', 'CPT Category I')
    >>> parse("J3490").section
    'drugs administered other than oral method, chemotherapy drugs'
    """

    #: The 5-character code, upper case.
    code: str
    #: Which layout it has.
    category: Category

    def __str__(self) -> str:
        return self.code

    @property
    def system(self) -> str:
        """``"cpt"`` (Level I, starts with a digit) or ``"hcpcs"`` (Level II, a letter)."""
        return self.category.system

    @property
    def section(self) -> str | None:
        """For HCPCS Level II: what the first letter stands for; None for CPT."""
        return LEVEL_II_SECTIONS.get(self.code[0]) if self.category is Category.LEVEL_II \
            else None


@attrs.frozen
class ProcedureLine:
    """A procedure code and the modifiers written with it (``99213-25`` → 99213 + 25).

    >>> parse_line("99213 25 59").modifiers
    ('25', '59')
    """

    code: ProcedureCode
    modifiers: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "-".join((self.code.code, *self.modifiers))


def clean(value: object) -> str:
    """``value`` as upper-case ASCII without white space; InvalidFormat for non-text."""
    if not isinstance(value, str):
        raise InvalidFormat(value, f"expected a procedure code as text, got "
                            f"{type(value).__name__}", code=FORMAT_ERROR)
    return _text.clean(value)


def _category(code: str) -> Category:
    if code[0].isdigit():
        return Category(_SUFFIX.get(code[4], "category_i"))
    return Category.LEVEL_II


_WHO = {"cpt": "a CPT code", "hcpcs": "a HCPCS Level II code", None: "a procedure code"}
_EXAMPLES = {"cpt": "(e.g. 99213, 0001U, 1036F)", "hcpcs": "(e.g. G0121, J3490)",
             None: "(e.g. 99213, 0001U, G0121)"}


_ICD10CM_DOTTED = re.compile(r"[A-Z][0-9A-Z]{2}\.[0-9A-Z]{1,4}")
_ICD9_DOTTED = re.compile(r"(?:[0-9]{2,3}|V[0-9]{2}|E[0-9]{3})\.[0-9]{1,2}")
_PCS = re.compile(r"[0-9][0-9A-HJ-NP-Z]{6}")


def other_system(text: str) -> str | None:
    """The code system whose code ``text`` (cleaned: upper case, no blanks) is written as,
    when it is no CPT or HCPCS code mistyped: ``"ICD-10-CM"`` (a letter, two characters, a
    dot: E11.9), ``"ICD-9-CM"`` (digits and a dot: 401.9, 47.01) or ``"ICD-10-PCS"`` (seven
    characters, a digit first and a letter among them: 0DTJ4ZZ); else None. No procedure
    code is near such a code: its error proposes none (``suggest`` answers ``[]``).

    >>> [other_system(t) for t in ("E11.9", "401.9", "0DTJ4ZZ", "992134", "9921", "99213")]
    ['ICD-10-CM', 'ICD-9-CM', 'ICD-10-PCS', None, None, None]
    """
    if _ICD10CM_DOTTED.fullmatch(text):
        return "ICD-10-CM"
    if _ICD9_DOTTED.fullmatch(text):
        return "ICD-9-CM"
    if _PCS.fullmatch(text) and not text.isdigit():
        return "ICD-10-PCS"
    return None


#: What the error says of a code of another system (``{}``: the text, quoted).
_OTHER = {
    "ICD-10-CM": "procedure codes have no dot; {} looks like an ICD-10 diagnosis code (see "
                 "codekit.icd10cm)",
    "ICD-9-CM": "procedure codes have no dot; {} looks like an ICD-9-CM code; procedures on "
                "a service line are CPT or HCPCS",
    "ICD-10-PCS": "{} looks like an ICD-10-PCS code: an inpatient claim reports those as its "
                  "procedures (see codekit.icd10pcs), not on service lines, which take CPT "
                  "or HCPCS",
}


def _format_error(value: object, text: str, system: str | None = None) -> InvalidFormat:
    who, eg = _WHO[system], _EXAMPLES[system]

    def err(message: str) -> InvalidFormat:
        return InvalidFormat(value, message, code=FORMAT_ERROR)

    if not text:
        return err(f"empty: {who} has 5 characters {eg}")
    if not text.isascii():  # an Arabic-Indic digit is a digit to isdigit(), not to a code
        odd = next(ch for ch in text if ord(ch) > 127)
        import unicodedata

        name = unicodedata.name(odd, "")
        return err(f"{odd!r} (U+{ord(odd):04X}{', ' + name.lower() if name else ''}) is no "
                   f"letter A-Z or digit 0-9, and has none it stands for: {who} is 5 of "
                   f"them {eg}")
    m = FAST_LINE.fullmatch(text)
    if m is not None and m.group(2):
        mods = FAST_MODIFIER.findall(m.group(2))
        return err(f"a modifier is attached ({', '.join(mods)}): pass the code "
                   f"{m.group(1)} alone, or split the line with "
                   f"codekit.procedure.parse_line({text!r})")
    other = other_system(text)
    if other is not None:
        return err(_OTHER[other].format(repr(text)))
    if "." in text:
        return err(f"procedure codes have no dot: {who} has 5 characters {eg}")
    joined = text.replace("-", "")
    if joined != text and FAST_CODE.fullmatch(joined):  # E-0601: the code, split
        kind = _category(joined).system
        where = "" if system in (None, kind) else \
            f" ({joined} is {_WHO[kind]}: use codekit.{kind})"
        return err(f"procedure codes have no hyphen: write {joined}{where}")
    n = len(text)
    if n < 5:
        return err(f"too short: {who} has 5 characters {eg}")
    if n > 5:
        return err(f"too long: {who} has 5 characters {eg}")
    first = text[0]
    if first.isdigit():
        if not text[:4].isdigit():
            return err("a CPT code is 5 digits, or 4 digits followed by A, M, F, T or U")
        return err(f"{text[4]!r} ends no CPT code: after 4 digits comes a digit (Category I), "
                   "A (vaccine), M (MAAA), F (Category II), T (Category III) or U (PLA)")
    if first.isalpha():
        if first not in LEVEL_II_LETTERS:
            return err(f"HCPCS Level II codes never start with {first!r}: CMS uses "
                       "A-E, G, H, J-M and P-V (F, I, N, O, W, X, Y, Z are unused)")
        return err("a HCPCS Level II code is a letter followed by 4 digits (e.g. G0121)")
    return err(f"not {who}: 5 letters or digits {eg}")


def _check_system(value: object, code: ProcedureCode, system: str | None) -> ProcedureCode:
    if system is None or code.system == system:
        return code
    if system == "cpt":
        msg = (f"{code.code} is a HCPCS Level II code, not CPT: use codekit.hcpcs "
               "(or codekit.procedure, which takes both)")
    else:
        msg = (f"{code.code} is a CPT (HCPCS Level I) code, not Level II: use codekit.cpt "
               "(or codekit.procedure, which takes both)")
    raise InvalidFormat(value, msg, code=FORMAT_ERROR)


def parse(value: object, system: str | None = None) -> ProcedureCode:
    """Parse one procedure code written in any common way (no data is consulted).

    ``system="cpt"`` or ``"hcpcs"`` accepts only that system's codes.

    >>> parse("0042t").category
    'category_iii'
    >>> parse("99213-25")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidFormat: '99213-25': a modifier is attached (25): pass the code 99213 ...
    >>> parse("W1234")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidFormat: 'W1234': HCPCS Level II codes never start with 'W': ...
    """
    text = clean(value)
    if FAST_CODE.fullmatch(text) is None:
        raise _format_error(value, text, system)
    return _check_system(value, ProcedureCode(text, _category(text)), system)


def _tree_code(tree: object) -> ProcedureCode:
    rule = tree.children[0]  # type: ignore[attr-defined]
    return ProcedureCode("".join(str(t) for t in rule.children), Category(rule.data))


def parse_with_grammar(value: object, system: str | None = None) -> ProcedureCode:
    """:func:`parse` through the lark grammar (slow; the reference for the fast path)."""
    from lark.exceptions import LarkError

    text = clean(value)
    try:
        tree = parser("procedure.lark", start="procedure").parse(text)
    except LarkError as e:
        raise _format_error(value, text, system) from e
    return _check_system(value, _tree_code(tree), system)


def parse_line(value: object) -> ProcedureLine:
    """Split a service line as written in the wild into its code and modifiers.

    >>> parse_line("99213-25")
    ProcedureLine(code=ProcedureCode(code='99213', category='category_i'), modifiers=('25',))
    >>> parse_line("j3490 jw").modifiers, str(parse_line("99213 25 59"))
    (('JW',), '99213-25-59')
    """
    text = clean(value)
    if len(text) > _text.MAX_CODE:
        raise InvalidFormat(value, f"{len(text):,} characters: longer than any service line "
                            f"(codekit reads at most {_text.MAX_CODE})", code=FORMAT_ERROR)
    m = FAST_LINE.fullmatch(text)
    if m is None:
        raise _line_error(value, text)
    code = m.group(1)
    return ProcedureLine(ProcedureCode(code, _category(code)),
                         tuple(FAST_MODIFIER.findall(m.group(2))))


def _line_error(value: object, text: str) -> InvalidFormat:
    m = FAST_CODE.match(text)
    if m is None or not text:
        return _format_error(value, text[:5] if len(text) > 5 else text)
    return InvalidFormat(
        value, f"after the code {m.group()} comes {text[5:]!r}: modifiers are 2 letters or "
        "digits each, optionally separated by '-', ',', ';', ':' or '/' (e.g. 99213-25-59)",
        code=FORMAT_ERROR)


def parse_line_with_grammar(value: object) -> ProcedureLine:
    """:func:`parse_line` through the lark grammar (the reference for the fast path)."""
    from lark.exceptions import LarkError

    text = clean(value)
    try:
        tree = parser("procedure.lark", start="line").parse(text)
    except LarkError as e:
        raise _line_error(value, text) from e
    code = _tree_code(tree.children[0])
    # the children after the code are "modifier" rules (Trees), never bare Tokens
    mods = tuple("".join(str(t) for t in m.children)  # type: ignore[union-attr]
                 for m in tree.children[1:])
    return ProcedureLine(code, mods)


_MODIFIER_SEPARATORS = re.compile(r"[\s,;/+-]+")


def modifier_pieces(text: str) -> list[str]:
    """Text holding several modifiers in one place (``25RT``, ``25,59``, ``RT-LT``) cut
    into two-character pieces, two to four of them; ``[]`` when it cannot be (an odd
    length, a piece that is no modifier's shape). Format only: whether each piece is a
    modifier on a date is the data's question.

    >>> modifier_pieces("25RT"), modifier_pieces("25, 59"), modifier_pieces("G2211")
    (['25', 'RT'], ['25', '59'], [])
    """
    plain = _MODIFIER_SEPARATORS.sub("", text.upper())
    if len(plain) not in (4, 6, 8):
        return []
    pieces = [plain[i:i + 2] for i in range(0, len(plain), 2)]
    return pieces if all(FAST_MODIFIER.fullmatch(p) for p in pieces) else []


#: CMS's shorthand for the modifiers XE, XP, XS and XU (``X{EPSU}``; ``X{EP}`` ...).
X_SHORTHAND = re.compile(r"X\{([EPSU]+)\}")


def _modifier_error(value: object, text: str) -> InvalidModifier:
    shorthand = X_SHORTHAND.fullmatch(text)
    if shorthand:
        named = ", ".join(dict.fromkeys("X" + c for c in shorthand[1]))
        return InvalidModifier(value, f"{text} is CMS's shorthand for the modifiers "
                               f"{named}, not a modifier: report the one that describes "
                               "the service (XE separate encounter, XP separate "
                               "practitioner, XS separate structure, XU unusual "
                               "non-overlapping service)")
    if len(text) == 2:
        return InvalidModifier(value, "a modifier is 2 letters or digits (e.g. 25, RT, JW)")
    n = len(text)
    why = (f"a modifier is 2 letters or digits (e.g. 25, RT, JW); got {n} character"
           + ("" if n == 1 else "s"))
    pieces = modifier_pieces(text)
    if pieces:
        why += (f": if they are {len(pieces)} modifiers ({', '.join(pieces)}), give each its "
                "own place")
    return InvalidModifier(value, why)


def parse_modifier(value: object) -> str:
    """The modifier in canonical form (upper case, no spaces or leading hyphen).

    >>> parse_modifier(" -rt")
    'RT'
    >>> parse_modifier("250")
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidModifier: '250': a modifier is 2 letters or digits ...; got 3 characters
    """
    if not isinstance(value, str):
        raise InvalidModifier(value, f"expected a modifier as text, got {type(value).__name__}")
    text = _text.clean(value).lstrip("-")
    if FAST_MODIFIER.fullmatch(text) is None:
        raise _modifier_error(value, text)
    return text


def parse_modifier_with_grammar(value: object) -> str:
    """:func:`parse_modifier` through the lark grammar."""
    from lark.exceptions import LarkError

    if not isinstance(value, str):
        raise InvalidModifier(value, f"expected a modifier as text, got {type(value).__name__}")
    text = _text.clean(value).lstrip("-")
    try:
        tree = parser("procedure.lark", start="modifier").parse(text)
    except LarkError as e:
        raise _modifier_error(value, text) from e
    return "".join(str(t) for t in tree.children)
