"""A code written with characters outside ASCII that codekit reads as an ASCII code.

The code systems read a code as people paste it (:func:`codekit._text.clean`): full-width
characters (``Ｍ１７.１１``), a no-break space (``M17\\u00a0.11``), Unicode dots and dashes
are their ASCII forms, and invisible characters (a zero-width space, a byte order mark)
are dropped. The code is then judged as its ASCII reading, but the claim as sent still
holds those characters: an 837 carries codes in the X12 character sets, which are ASCII,
and a gate that forwards the claim as it came sends text a payer's translator rejects.
This edit says so, naming each character and where it stands, with the ASCII code as the
``fix``. A code with a character that has no ASCII reading (an Arabic-Indic digit, a
Cyrillic letter that looks like a Latin one) is not read at all: its validity edit
(``DX_FORMAT_INVALID``, ``PROC_FORMAT_INVALID``, ``MOD_INVALID``) says so, as an error,
and this edit adds nothing; nor for an ICD-10-PCS code, which is read in ASCII only (but
for the blanks around it): ``PCS_FORMAT_INVALID`` says the other characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .._show import shown
from .._text import clean
from ..findings import Hit
from .context import ClaimContext
from .engine import rule

#: The distinct characters one finding names, at most (then how many more there are), and
#: the positions it names for each.
_MOST_CHARACTERS = 5
_MOST_POSITIONS = 3


def ascii_reading(text: str) -> str | None:
    """The ASCII code codekit reads ``text`` as, when ``text`` holds characters outside
    ASCII that all have an ASCII reading; None for ASCII text, for text with a character
    that has none, and for text that reads as nothing (only invisible characters).

    >>> ascii_reading("E1\\u200b1.65"), ascii_reading("\\uff2d\\uff11\\uff17.\\uff11\\uff11")
    ('E11.65', 'M17.11')
    >>> ascii_reading("E11.65"), ascii_reading("\\u0669\\u0669\\u0662\\u0661\\u0663")
    (None, None)
    """
    if text.isascii():
        return None
    reading = clean(text)
    return reading if reading and reading.isascii() else None


def characters(text: str) -> str:
    """The characters of ``text`` outside ASCII, each once, with its code point, its name
    (as ``docs/pandas.md``'s notes name them) and its positions (from 1).

    >>> characters("\\uff19\\uff19213")
    'U+FF19 (fullwidth digit nine) at characters 1 and 2'
    >>> characters("M17\\u00a0.11\\u200b")
    'U+00A0 (no-break space) at character 4, U+200B (zero width space) at character 8'
    """
    where: dict[str, list[int]] = {}
    for i, ch in enumerate(text, 1):
        if ord(ch) > 127:
            where.setdefault(ch, []).append(i)
    parts = []
    for ch, at in list(where.items())[:_MOST_CHARACTERS]:
        name = unicodedata.name(ch, "")
        named = f"U+{ord(ch):04X}" + (f" ({name.lower()})" if name else "")
        shown_at = [str(i) for i in at[:_MOST_POSITIONS]]
        if len(at) > _MOST_POSITIONS:
            shown_at.append(f"{len(at) - _MOST_POSITIONS:,} more")
        places = shown_at[0] if len(shown_at) == 1 else \
            ", ".join(shown_at[:-1]) + " and " + shown_at[-1]
        parts.append(f"{named} at character{'s' if len(at) > 1 else ''} {places}")
    more = len(where) - _MOST_CHARACTERS
    if more > 0:
        parts.append(f"and {more:,} more character{'s' if more > 1 else ''} outside ASCII")
    return ", ".join(parts)


@rule("CODE_NOT_ASCII", "A", "warning",
      "X12 005010 basic and extended character sets (ASCII); ICD-10-CM, CPT and HCPCS "
      "code formats (letters A-Z and digits 0-9)", when=["code-not-ascii"])
def code_not_ascii(ctx: ClaimContext) -> Iterator[Hit]:
    """A code holds characters outside ASCII that codekit reads as an ASCII code
    (full-width characters, a no-break space, a zero-width space, a byte order mark):
    the code is judged as read, but the claim as sent carries characters an 837 cannot.
    The finding names each character and its position; ``fix``: the ASCII code."""
    claim = ctx.claim
    for i, raw in enumerate(claim.diagnoses):
        yield from _hit(f"Diagnosis {i + 1}", raw, ("diagnoses", i))
    if claim.admitting_diagnosis:
        yield from _hit("The admitting diagnosis", claim.admitting_diagnosis,
                        ("admitting_diagnosis",))
    for i, raw in enumerate(claim.visit_reasons):
        yield from _hit(f"The patient's reason for visit {i + 1}", raw, ("visit_reasons", i))
    for i, line in enumerate(claim.service_lines):
        yield from _hit(f"Line {line.line}: the procedure code", line.procedure_code,
                        ("service_lines", i, "procedure_code"))
        for j, mod in enumerate(line.modifiers):
            yield from _hit(f"Line {line.line}: modifier {j + 1}", mod,
                            ("service_lines", i, "modifiers", j))
    for p in ctx.procs:
        # ICD-10-PCS reads only ASCII (but the blanks around a code): a code it could not
        # read is its own error (PCS_FORMAT_INVALID, with the ASCII code as its fix)
        if p.error is None or p.error.code != "PCS_FORMAT_INVALID":
            yield from _hit(f"ICD-10-PCS procedure {p.index + 1}", p.raw,
                            ("procedures", p.index, "code"))


def _hit(what: str, raw: str, location: tuple[str | int, ...]) -> Iterator[Hit]:
    reading = ascii_reading(raw)
    if reading is not None:
        yield Hit(f"{what} {shown(raw)} holds {characters(raw)}: codekit read it as "
                  f"{reading}; send {reading} (an 837 carries codes in ASCII only, and a "
                  "payer's translator rejects other characters).", location, (raw,),
                  (reading,))


RULES = (code_not_ascii,)
