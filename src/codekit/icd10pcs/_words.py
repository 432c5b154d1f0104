"""The readings of an ICD-10-PCS search query: as written, and in the words of PCS titles.

PCS titles name the root operation and the body part; people search with surgical terms.
:func:`readings` rewrites a (lower-case, punctuation-free) query with the tables of
:mod:`codekit._synonyms`: whole words and phrases (``cabg``, ``knee replacement``), and
surgical terms read as an ending (the operation) after a stem (the body part).

>>> readings("laparoscopic cholecystectomy")
['laparoscopic cholecystectomy', 'percutaneous endoscopic resection gallbladder', \
'percutaneous endoscopic excision gallbladder']
>>> readings("colonoscopy"), readings("resection appendix")
(['colonoscopy', 'inspection endoscopic lower intestinal tract', \
'inspection endoscopic colon'], ['resection appendix'])
"""

from __future__ import annotations

import itertools

from .._synonyms import PCS_ENDINGS, PCS_STEMS, PCS_TERMS

__all__ = ["readings"]

#: The most readings of one query (each is searched: the cost grows with them).
MAX_READINGS = 4
#: A query of more words is read as written only (a name of a procedure is shorter; a
#: page of text would be searched four times over).
MAX_WORDS = 8

_ENDINGS = sorted(PCS_ENDINGS, key=len, reverse=True)
_PHRASES = {k: v for k, v in PCS_TERMS.items() if " " in k}


def term(word: str) -> tuple[str, ...]:
    """What one word of a query may be in PCS titles' words; ``()`` when it is itself.

    >>> term("hysterectomy"), term("lithotripsy"), term("knee")
    (('resection uterus', 'excision uterus'), ('fragmentation',), ())
    """
    found = PCS_TERMS.get(word)
    if found is not None:
        return found
    if len(word) < 6:
        return ()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[:-len(ending)]
            key = max((k for k in PCS_STEMS if stem.startswith(k)), key=len, default=None)
            ops = PCS_ENDINGS[ending]
            if key is None:
                return ops
            return tuple(f"{op} {part}" for part in PCS_STEMS[key] for op in ops)
    return ()


def readings(query: str) -> list[str]:
    """``query`` as written, then up to :data:`MAX_READINGS` - 1 readings in the words of
    PCS titles (none when no word of it is a term the tables know, or it has more than
    :data:`MAX_WORDS` words)."""
    words = query.split()
    if len(words) > MAX_WORDS:
        return [query]
    # phrases first (two words read as one): "knee replacement", "c section"
    merged: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if pair in _PHRASES:
            merged.append(_PHRASES[pair])
            i += 2
            continue
        merged.append(term(words[i]) or (words[i],))
        i += 1
    if all(len(alts) == 1 and alts[0] in words for alts in merged):
        return [query]
    out = [query]
    for combo in itertools.product(*merged):
        text = " ".join(combo)
        if text not in out:
            out.append(text)
        if len(out) >= MAX_READINGS:
            break
    return out
