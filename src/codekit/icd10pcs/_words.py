"""The readings of an ICD-10-PCS search query: as written, and in the words of PCS titles.

PCS titles name the root operation and the body part; people search with surgical terms.
:func:`readings` rewrites a (lower-case, punctuation-free) query with the tables of
:mod:`codekit._synonyms` (and :data:`TERMS`): whole words and phrases (``cabg``, ``knee
replacement``), and surgical terms read as an ending (the operation) after a stem (the
body part), also when misspelt by a letter (``apendectomy``, ``hysterectmy``). An
endoscopy named with another operation (``biopsy by colonoscopy``) is read without
its inspection: an inspection is not coded apart from another procedure done through
the same approach (ICD-10-PCS guideline B3.11a).

>>> readings("laparoscopic cholecystectomy")
['laparoscopic cholecystectomy', 'percutaneous endoscopic resection gallbladder', \
'percutaneous endoscopic excision gallbladder']
>>> readings("colonoscopy"), readings("resection appendix")
(['colonoscopy', 'inspection via natural or artificial opening endoscopic lower intestinal \
tract', 'inspection via natural or artificial opening endoscopic colon'], \
['resection appendix'])
>>> readings("biopsy by colonoscopy")[1]
'excision diagnostic by via natural or artificial opening endoscopic lower intestinal tract'
"""

from __future__ import annotations

import itertools

from .._synonyms import PCS_ENDINGS, PCS_STEMS, PCS_TERMS

__all__ = ["NATURAL", "OPERATIONS", "TERMS", "readings", "term"]

#: Words and phrases of PCS queries read in the words of PCS titles, besides
#: :data:`codekit._synonyms.PCS_TERMS`: what the PCS Reference Manual codes the common
#: term as (a fracture reduction is a Reposition, an amputation a Detachment; dialysis
#: the Performance of Urinary Filtration; ECMO the Extracorporeal Oxygenation; a central
#: line an Infusion Device put in percutaneously; a chest tube a Drainage of the Pleural
#: Cavity with a Drainage Device; a heart catheterization the Measurement of Cardiac
#: Sampling and Pressure).
TERMS: dict[str, tuple[str, ...]] = {
    "reduction": ("reposition",), "amputation": ("detachment",),
    "dialysis": ("performance urinary filtration",),
    "hemodialysis": ("performance urinary filtration",),
    "ecmo": ("extracorporeal oxygenation membrane",),
    "central line": ("infusion device percutaneous",),
    "chest tube": ("drainage pleural cavity drainage device",),
    "heart catheterization": ("measurement cardiac sampling pressure heart",),
    "cardiac catheterization": ("measurement cardiac sampling pressure heart",),
}
#: Body parts of :data:`codekit._synonyms.PCS_STEMS` a scope reaches through a natural
#: opening (the mouth, the anus, the urethra, the vagina), not through the skin.
NATURAL = frozenset(("lower intestinal tract", "colon", "sigmoid colon", "bladder",
                     "tracheobronchial tree", "bronchus", "trachea", "esophagus", "stomach",
                     "duodenum", "upper intestinal tract", "ureter", "urethra", "vagina",
                     "uterus", "common bile duct", "ileum"))
_PHRASES = {k: v for k, v in (*PCS_TERMS.items(), *TERMS.items()) if " " in k}
#: The root operations of the Medical and Surgical section (and Delivery): a reading
#: that begins with one names the operation.
OPERATIONS = frozenset((
    "alteration", "bypass", "change", "control", "creation", "delivery", "destruction",
    "detachment", "dilation", "division", "drainage", "excision", "extirpation",
    "extraction", "fragmentation", "fusion", "insertion", "inspection", "map", "occlusion",
    "reattachment", "release", "removal", "repair", "replacement", "reposition",
    "resection", "restriction", "revision", "supplement", "transfer", "transplantation"))

#: The most readings of one query (each is searched: the cost grows with them).
MAX_READINGS = 4
#: A query of more words is read as written only (a name of a procedure is shorter; a
#: page of text would be searched four times over).
MAX_WORDS = 8

_ENDINGS = sorted(PCS_ENDINGS, key=len, reverse=True)


def term(word: str) -> tuple[str, ...]:
    """What one word of a query may be in PCS titles' words; ``()`` when it is itself.

    >>> term("hysterectomy"), term("lithotripsy"), term("knee")
    (('resection uterus', 'excision uterus'), ('fragmentation',), ())
    """
    found = PCS_TERMS.get(word) or TERMS.get(word)
    if found is not None:
        return found
    if len(word) < 6:
        return ()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[:-len(ending)]
            key = max((k for k in PCS_STEMS if stem.startswith(k)), key=len, default=None)
            if key is None:
                key = _near_stem(stem)
            ops = PCS_ENDINGS[ending]
            if key is None:
                return ops
            return _reading(ending, key)
    return _misspelt(word)


def _reading(ending: str, stem: str) -> tuple[str, ...]:
    """The readings of a term of ``ending`` after ``stem``: the operation and the body
    part; a scope into a body part reached through a natural opening goes that way
    (colonoscopy: *Via Natural or Artificial Opening Endoscopic*)."""
    out = []
    for part in PCS_STEMS[stem]:
        for op in PCS_ENDINGS[ending]:
            if op == "inspection endoscopic" and part in NATURAL:
                op = "inspection via natural or artificial opening endoscopic"
            out.append(f"{op} {part}")
    return tuple(out)


def _near_stem(stem: str) -> str | None:
    """The stem of :data:`PCS_STEMS` that ``stem`` begins with one letter wrong, missing
    or extra (``apend``: append; ``tonsil``: tonsill), the longest; None when none."""
    from rapidfuzz.distance import Levenshtein

    best = None
    for k in PCS_STEMS:
        if len(k) < 4 or (best is not None and len(k) <= len(best)):
            continue
        if any(Levenshtein.distance(stem[:len(k) + d], k, score_cutoff=1) <= 1
               for d in (-1, 0, 1)):
            best = k
    return best


def _misspelt(word: str) -> tuple[str, ...]:
    """:func:`term` of a word whose ending is one letter off (``hysterectmy``,
    ``cholecystecomy``), when its stem names a body part; ``()`` otherwise (``anatomy``
    is no -otomy)."""
    from rapidfuzz.distance import Levenshtein

    for ending in _ENDINGS:
        if len(ending) < 5:
            continue
        for size in (len(ending) - 1, len(ending), len(ending) + 1):
            tail = word[-size:]
            if len(word) > size + 2 and tail != ending and \
                    Levenshtein.distance(tail, ending, score_cutoff=1) <= 1:
                stem = word[:-size]
                key = max((k for k in PCS_STEMS if stem.startswith(k)), key=len,
                          default=None) or _near_stem(stem)
                if key is not None:
                    return _reading(ending, key)
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
    # an endoscopy with another operation: the other operation, through the scope
    firsts = [{a.split()[0] for a in alts} & OPERATIONS for alts in merged]
    if any(f - {"inspection"} for f in firsts):
        merged = [tuple(a.removeprefix("inspection ") for a in alts) if f == {"inspection"}
                  else alts for alts, f in zip(merged, firsts, strict=True)]
    out = [query]
    for combo in itertools.product(*merged):
        text = " ".join(combo)
        if text not in out:
            out.append(text)
        if len(out) >= MAX_READINGS:
            break
    return out
