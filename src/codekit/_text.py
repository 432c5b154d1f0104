"""Normalising code input: case, whitespace, Unicode look-alikes.

Codes arrive from scanned forms, spreadsheets and web pages: lower case, surrounded by
spaces or no-break spaces, with full-width characters (``Ｅ１１．９``), Unicode dots
(``E11·9``) or dashes (``99213–25``). :func:`clean` maps all of these to plain upper-case
ASCII and removes white space, keeping dots and hyphens so that the grammars can judge
where they stand.

>>> clean(" s72.001a ")
'S72.001A'
>>> clean("Ｅ１１．９")
'E11.9'
>>> clean("E11\u00b79")
'E11.9'
>>> clean("99213\u201325")
'99213-25'
>>> clean("\u200bE11.9\ufeff")
'E11.9'
"""

from __future__ import annotations

import re
from typing import Any

from ._dates import date_key
from ._show import shown
from .errors import InvalidArgument

__all__ = ["BILL", "DATE", "DECIMAL_TEXT", "DROP_INVISIBLE", "FIELD_KINDS", "FLAG", "INVISIBLE",
           "MAX_CODE", "MAX_LIMIT", "MAX_QUERY", "MAX_SUGGEST", "MIN_SIMILARITY", "NDC",
           "NUMBER", "TEXT", "cell_key", "cell_value", "clean", "field_kind", "flag_text",
           "fold", "limit_arg", "ndc_code", "number_key", "padded_code", "query_arg",
           "whole_text"]

#: No code text is longer, once trimmed: the longest code of any system is 8 characters
#: (``S72.001A``), a service line with four modifiers 17 (``99213-25-59-XS-RT``). Longer
#: text is invalid at once, and is never parsed further.
MAX_CODE = 256
#: The longest text ``suggest`` looks for codes near (once cleaned): longer text has no
#: near code, and ``suggest`` answers ``[]`` at once.
MAX_SUGGEST = 64
#: The least similarity (rapidfuzz ``fuzz.ratio``, 0-100: twice the characters two texts
#: share in order, over their total length) a fuzzy did-you-mean must have with what was
#: typed: half. ``E116S`` -> ``E1165`` is 80, ``I1`` -> ``I10`` 80, ``ZZ`` -> ``Z08`` 40.
#: Below it a "suggestion" is noise (``%%%`` used to get ``A00.0``, the first code).
MIN_SIMILARITY = 50
#: The longest text ``search`` takes (an :class:`InvalidArgument` beyond).
MAX_QUERY = 1000
#: The most results ``suggest`` and ``search`` give (an :class:`InvalidArgument` beyond).
MAX_LIMIT = 1000

# Characters people (and word processors) put where a dot or a hyphen belongs.
_DOTS = "\u00b7\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff61\u3002\u0387\u16eb\u2e31"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u00ad"
# Characters that show as nothing, pasted with a code from a web page or a word processor
# (zero-width space, non-joiner, joiner, word joiner, byte order mark, Mongolian vowel
# separator): dropped.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
#: ``str.translate`` table dropping :data:`INVISIBLE`.
DROP_INVISIBLE: dict[int, None] = dict.fromkeys(map(ord, INVISIBLE))
#: The Turkish dotted capital I (what locale-aware software upper-cases ``i`` to: "İ10"),
#: read as I; its dotless small ı upper-cases to I by itself.
_TURKISH_I = {0x130: "I"}
_TRANSLATE = {ord(c): "." for c in _DOTS} | {ord(c): "-" for c in _DASHES} | \
    DROP_INVISIBLE | _TURKISH_I


def clean(text: str) -> str:
    """Upper-case ASCII form of ``text`` without white space; dots and hyphens are kept.

    Raises :class:`TypeError` for non-strings (callers turn that into their own error).
    """
    if text.isascii():
        out = "".join(text.split()).upper()
        return out
    if type(text) is not str:
        text = str.__str__(text)  # numpy.str_ and other str subclasses: the text itself
    import unicodedata

    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return "".join(text.split()).upper()



def fold(text: str) -> str:
    """``text`` as two cells of one claim field are compared across a claim's rows (the
    pandas and Spark doors): without case, surrounding spaces or runs of white space.

    >>> fold(" Medicare  Part B "), fold("MEDICARE part b")
    ('medicare part b', 'medicare part b')
    """
    return " ".join(text.split()).casefold()


def limit_arg(limit: object) -> int:
    """``limit`` of a ``suggest`` or ``search``, checked: a whole number from 1 to
    :data:`MAX_LIMIT`.

    >>> limit_arg(10**6)
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidArgument: limit=1000000: expected a whole number from 1 to 1,000
    """
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit={limit!r}: expected a whole number from 1 to "
                              f"{MAX_LIMIT:,}")
    return limit


def query_arg(text: object) -> str:
    """The text of a ``search``, checked: words, at most :data:`MAX_QUERY` characters."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidArgument(f"text={_short(text)}: expected words to search for")
    if len(text) > MAX_QUERY:
        raise InvalidArgument(f"text: {len(text):,} characters; search takes at most "
                              f"{MAX_QUERY:,}")
    return text


_short = shown


#: A whole number written as text: a CSV read with ``dtype=str`` (``"70"``, ``" 2 "``,
#: ``"2.0"`` as pandas writes a float column with gaps, ``"250.00"``), a Spark string column.
_WHOLE_TEXT = re.compile(r"\s*([+-]?[0-9]+)(?:\.0*)?\s*", re.ASCII)


def whole_text(value: Any) -> Any:
    """A text cell of a number field of a claim (age, line, pointer, units, charge,
    amount) that is a clean whole number, as that int: the pandas and Spark doors read a
    table of text as its numbers (``read_csv(dtype=str)``, a string column). Anything else
    is unchanged: the claim reader reads plain decimal text (``"1.5"``) and says what is
    wrong with any other (``"1,000"``), naming the field.

    >>> whole_text("70"), whole_text(" 2 "), whole_text("1.0"), whole_text("70.5")
    (70, 2, 1, '70.5')
    >>> whole_text("1,000"), whole_text("\u0661"), whole_text("1e3"), whole_text(3)
    ('1,000', '\u0661', '1e3', 3)
    """
    if isinstance(value, str) and len(value) <= 40:
        m = _WHOLE_TEXT.fullmatch(value)
        if m is not None:
            return int(m.group(1))
    return value


#: A number as plain decimal text (ASCII digits, a sign, a point: ``2``, ``-2.5``, ``.5``), as
#: the claim schema says a number given as text is written: what the claim reader reads
#: as a units, charge or amount (``codekit.claims``) and :func:`number_key` compares.
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def number_key(value: Any) -> Any:
    """A cell of a number field of a claim (age, charge, amount) as the claim reader reads
    it, to compare two cells of one claim field: a whole number, a float, a Decimal or
    plain decimal text (``"70"``, ``"70.0"``, ``70.0``, ``"100.00"``) as its Decimal, so
    the cells that read as one number compare equal; anything else (a bool, a NaN, other
    text) unchanged, for the reader to judge.

    >>> number_key("70.0") == number_key(70) == number_key(" 70 "), number_key("55.250")
    (True, Decimal('55.250'))
    >>> number_key(55.25) == number_key("55.25"), number_key("1,000"), number_key(True)
    (True, '1,000', True)

    Text is stripped as the reader strips it (``str.strip()``: a no-break space too, which
    a spreadsheet's cell may end with; the reader reads ``"95\\u00a0"`` as a charge of 95):

    >>> number_key("95\\u00a0") == number_key(95)
    True
    """
    from decimal import Decimal

    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") \
            else value
    if isinstance(value, str) and len(value) <= 40:
        text = value.strip()
        if DECIMAL_TEXT.fullmatch(text) is not None:
            return Decimal(text)
    return value


def padded_code(value: Any, width: int) -> Any:
    """A code of a fixed number of digits that lost its leading zeros, padded: a whole
    number (a spreadsheet's or CSV reader's number column) or text of fewer ASCII digits
    (a CSV Excel saved, read with ``dtype=str``) than ``width``. A place of service
    (CMS, two digits: ``2`` is ``02``), a NUBC revenue code (four: ``450`` is ``0450``),
    discharge status, condition, occurrence and value code (two: ``1`` is ``01``) has one
    reading then. Anything else is unchanged (a number as its digits), for the reader and
    the rules to judge.

    >>> padded_code(2, 2), padded_code(" 2 ", 2), padded_code(450.0, 4), padded_code("450", 4)
    ('02', '02', '0450', '0450')
    >>> padded_code("11", 2), padded_code("2A", 2), padded_code(12345, 4), padded_code(True, 2)
    ('11', '2A', '12345', True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:0{width}d}" if 0 <= value < 10 ** width else str(value)
    if isinstance(value, str) and len(value) <= 40:
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) < width:
            return text.zfill(width)
    return value


def ndc_code(value: Any) -> Any:
    """An NDC cell that lost its leading zeros, as the 11-digit NDC a claim carries (the
    5-4-2 layout, 837 LIN02 ``N4``): a whole number (a CSV reader's number column) or
    text of ASCII digits (a CSV Excel saved, read with ``dtype=str``) of fewer than 10
    digits, zero-padded to 11 (``00009034702`` read as the number 9034702). This reads the
    column as the 11-digit NDCs claims carry (HIPAA's 837 takes no other): a column of
    10-digit NDCs (the package's 4-4-2, 5-3-2 or 5-4-1 layout) that lost a zero is read
    rightly only for the 4-4-2 layout, so keep such a column as text. Ten digits stay as
    they are: a 10-digit NDC, or an 11-digit one that lost one zero, cannot be told apart.
    Anything else is unchanged, for the claim reader and the 837 writer to judge.

    >>> ndc_code(9034702), ndc_code(9034702.0), ndc_code(" 9034702 "), ndc_code("00009034702")
    ('00009034702', '00009034702', '00009034702', '00009034702')
    >>> ndc_code(1234567890), ndc_code("0009-0347-02"), ndc_code(True)
    ('1234567890', '0009-0347-02', True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:011d}" if 0 <= value < 10 ** 9 else str(value)
    if isinstance(value, str) and len(value) <= 40:
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) < 10:
            return text.zfill(11)
    return value


def flag_text(value: Any) -> Any:
    """A cell of a true-or-false field of a claim (``opps``, ``dme_supplier``,
    ``asc_facility``) written as text, as the boolean it spells: ``"True"``/``"False"``
    (a bool column written by pandas and read back with ``dtype=str``), ``"TRUE"`` (Excel),
    ``"true"`` (Spark), without case or surrounding spaces. Anything else is unchanged,
    for the claim reader to judge (``"Y"`` is not read: must be true or false).

    >>> flag_text("True"), flag_text(" FALSE "), flag_text("Y"), flag_text(True)
    (True, False, 'Y', True)
    """
    if isinstance(value, str) and len(value) <= 10:
        text = value.strip().casefold()
        if text in ("true", "false"):
            return text == "true"
    return value


# -- how a table's cell of a claim field is read (the pandas and Spark doors) -----------------

#: The kinds of :data:`FIELD_KINDS`: a number field (text of a whole number is its int:
#: :func:`whole_text`; cells compare as one number: :func:`number_key`), a date field (cells
#: compare as one date: :func:`codekit._dates.date_key`), a true-or-false field (text
#: ``"true"``/``"false"`` is its boolean: :func:`flag_text`), a type of bill (read as written;
#: cells compare padded to four digits: the 837I's ``111`` is the UB-04's ``0111``), text
#: (compared without case or surrounding spaces: :func:`fold`), an NDC (a cell of fewer than
#: 10 digits is the 11-digit NDC that lost its leading zeros: :func:`ndc_code`). A whole
#: number ``n`` is a code of ``n`` digits that may have lost its leading zeros
#: (:func:`padded_code`).
NUMBER, DATE, FLAG, BILL, TEXT, NDC = "number", "date", "flag", "bill", "text", "ndc"
_LINE_KINDS: dict[str, Any] = {
    "line": NUMBER, "units": NUMBER, "charge": NUMBER, "diagnosis_pointers": [NUMBER],
    "date_of_service": DATE, "place_of_service": 2, "revenue_code": 4, "ndc": NDC}
#: How each field of a claim dict (:meth:`codekit.Claim.from_dict`) is read from a table's
#: cell, shaped as the claim dict: a struct's fields in a dict, a list's items as ``[kind]``;
#: a field not named is :data:`TEXT`. The pandas door reads its columns by the fields they
#: fill, the Spark door its columns' types beside it (:func:`field_kind`, :func:`cell_value`,
#: :func:`cell_key`): both doors read and compare a claim's rows alike.
FIELD_KINDS: dict[str, Any] = {
    "date_of_service": DATE, "admission_date": DATE, "statement_period": [DATE],
    "total_charge": NUMBER, "bill_type": BILL,
    "opps": FLAG, "dme_supplier": FLAG, "asc_facility": FLAG,
    # CMS place of service; NUBC discharge status, condition, occurrence and value codes
    "place_of_service": 2, "discharge_status": 2, "condition_codes": [2],
    "patient": {"age": NUMBER, "birth_date": DATE},
    "procedures": [{"date": DATE}],
    "occurrence_codes": [{"code": 2, "date": DATE}],
    "occurrence_spans": [{"code": 2, "from": DATE, "through": DATE}],
    "value_codes": [{"code": 2, "amount": NUMBER}],
    "service_lines": [_LINE_KINDS]}


def field_kind(*path: str) -> Any:
    """The kind (:data:`FIELD_KINDS`) of the claim field at ``path``, a list's items read
    as one: the kind of a cell that fills it (:data:`TEXT` for a struct or a field not
    named).

    >>> field_kind("patient", "age"), field_kind("condition_codes"), field_kind("payer")
    ('number', 2, 'text')
    >>> field_kind("service_lines", "revenue_code"), field_kind("procedures")
    (4, 'text')
    """
    kind: Any = FIELD_KINDS
    for key in path:
        if type(kind) is list:
            kind = kind[0]
        kind = kind.get(key, TEXT) if type(kind) is dict else TEXT
    if type(kind) is list:
        kind = kind[0]
    return TEXT if type(kind) is dict else kind


def cell_value(value: Any, kind: Any) -> Any:
    """A plain cell of a claim field of that ``kind`` as the claim holds it: a number
    field's whole text as its int, a code of a fixed width padded, a flag's text as its
    boolean; anything else as it is, for the claim reader to judge.

    >>> cell_value(" 70 ", NUMBER), cell_value(2, 2), cell_value("true", FLAG)
    (70, '02', True)
    >>> cell_value("111", BILL), cell_value("2025-11-03", DATE)
    ('111', '2025-11-03')
    """
    if kind == NUMBER:
        return whole_text(value)
    if kind == FLAG:
        return flag_text(value)
    if type(kind) is int:
        return padded_code(value, kind)
    if kind == NDC:
        return ndc_code(value)
    return value


def cell_key(value: Any, kind: Any = TEXT) -> Any:
    """What two plain cells of one claim field of that ``kind`` are compared by, as the
    claim reader reads them: a number field's number (``"70"``, ``"70.0"`` and ``70`` are
    one age), a date field's date (``"2025-11-03"`` and ``"2025-11-03T00:00:00"``), a code
    of a fixed width padded (``"1"`` and ``"01"`` are one discharge status), a type of bill
    in four digits, a flag's boolean; text without case or surrounding spaces (a whole
    number as its digits), None for blank text; anything else as it is.

    >>> cell_key("70.0", NUMBER) == cell_key(70, NUMBER), cell_key("111", BILL)
    (True, '0111')
    >>> cell_key(" Medicare  Part B "), cell_key(7), cell_key("  "), cell_key("1", 2)
    ('medicare part b', '7', None, '01')
    """
    if kind == NUMBER:
        value = number_key(value)
    elif kind == DATE:
        value = date_key(value)
    elif kind == FLAG:
        value = flag_text(value)
    elif kind == BILL:
        value = padded_code(value, 4)
    elif type(kind) is int:
        value = padded_code(value, kind)
    elif kind == NDC:
        value = ndc_code(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return fold(value) or None
    return value
