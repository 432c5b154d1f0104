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
"""

from __future__ import annotations

__all__ = ["clean"]

# Characters people (and word processors) put where a dot or a hyphen belongs.
_DOTS = "\u00b7\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff61\u3002\u0387\u16eb\u2e31"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u00ad"
_TRANSLATE = {ord(c): "." for c in _DOTS} | {ord(c): "-" for c in _DASHES}


def clean(text: str) -> str:
    """Upper-case ASCII form of ``text`` without white space; dots and hyphens are kept.

    Raises :class:`TypeError` for non-strings (callers turn that into their own error).
    """
    if text.isascii():
        out = "".join(text.split()).upper()
        return out
    import unicodedata

    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return "".join(text.split()).upper()

