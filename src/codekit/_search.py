"""Search over code texts: words, an inverted index built with the data, and a ranking
whose score says how good the best match is.

This core module knows no code system. A code system gives :func:`pack_index` its
*documents* -- (code, text, source) triples: a code's title, its inclusion terms, the
title of a header pointing to the header's default code, an Excludes note naming the code
("diarrhea NOS (R19.7)"), a descriptor... -- and reads the packed index back with
:class:`Index`, which answers a query with the best-matching codes.

Words are lower-cased, accents dropped (``Waldenström`` -> ``waldenstrom``), plurals
folded (``stones`` -> ``stone``), roman numerals read as numbers; words in parentheses
are *nonessential* (the convention of the tabular and the index: ``Myocardial
infarction (acute) NOS``), as are filler words (``unspecified``, ``NOS``, ``initial
encounter``...). A query is searched as written and as rewritten by
:mod:`codekit._synonyms` (``htn``, ``heart attack``); a word the index does not know is
completed (``diabet``) or corrected (``pnemonia``).

A document's **score** (0-1) is ``source weight x coverage² x (0.35 + 0.65 x
precision)``: *coverage* is the share of the query's words (weighted by rarity) the
document has, *precision* the share of the document's essential words (weighted alike)
the query named; a corrected word counts less. 1.0 means every word of the query matched
a text that says nothing more -- the concept itself; below about 0.5 the best hit is a
poor match (:data:`WEAK`). A code's score is its best document's.

The code system that opens an index may give it a :class:`Reading` (ICD-10-CM:
:data:`CLINICAL`): a query's "history of" or "status post" is then read as whose condition
it is and when, not as words (the codes of that reading first, the others after them,
never a good match), a side it names weighs as much as its other words, and a text that
names a kind the query does not (a newborn's, a family's history) ranks lower.

>>> docs = [("I10", "Essential (primary) hypertension", TITLE),
...         ("I10", "hypertension (arterial) (benign) (essential)", INCLUSION),
...         ("K766", "Portal hypertension", TITLE)]
>>> meta, sections = pack_index(docs)
>>> index = Index(meta, sections)
>>> [(code, round(score, 2)) for code, _, score in index.search("hypertension")]
[('I10', 1.0), ('K766', 0.57)]
>>> index.search("high blood pressure")[0][:2]  # rewritten: "hypertension"
('I10', 'hypertension (arterial) (benign) (essential)')

**Slots.** A document may say on which *slots* (for ICD-10-CM: the releases, in order) its
text is the code's: a fourth element of the triple, a bit set (bit *i*: slot *i*). A
search given ``slot=`` matches only the documents that have it, and reads only the words
of those: a word known only from another slot's texts is completed or corrected like an
unknown one. An index without slots (every document on every slot) ignores ``slot``.

>>> meta, sections = pack_index([("E671", "Hypercarotinemia", TITLE, 0b01),
...                              ("E671", "Hypercarotenemia", TITLE, 0b10)], slots=2)
>>> index = Index(meta, sections)
>>> [(code, text) for code, text, _ in index.search("hypercarotinemia", slot=0)]
[('E671', 'Hypercarotinemia')]
>>> [(code, text) for code, text, _ in index.search("hypercarotinemia", slot=1)]
[('E671', 'Hypercarotenemia')]
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from . import _artifact
from ._synonyms import (
    AFTER,
    ALONE,
    DEFAULT_PHRASES,
    DESCRIPTOR,
    DIRECTED,
    FREE,
    ITEMS,
    MARKERS,
    PARTS,
    QUALIFIERS,
    QUERY,
    READINGS,
    ROMAN,
    ROUTES,
    SIDE_NAMES,
    SIDES,
)
from ._text import DROP_INVISIBLE
from .errors import DataError

__all__ = [
    "CLASSIFIABLE",
    "CLINICAL",
    "DEFAULTS",
    "DRUGS",
    "EXCLUDES_REF",
    "HEADER",
    "INCLUSION",
    "SHORT",
    "TITLE",
    "VERSION",
    "WEAK",
    "Index",
    "Query",
    "Reading",
    "Terms",
    "alone_table",
    "american",
    "item_table",
    "pack_index",
    "tokens",
]

#: The word rules: an index records the version it was built with and is read only by
#: the same (a change here needs the index rebuilt: ``python -m codekit.build search``).
#: 2: accents folded ("Waldenström" is the word "waldenstrom", not "waldenstr" and "m");
#: descriptor phrases of two words expanded (:data:`codekit._synonyms.DESCRIPTOR`).
VERSION = 2
#: Below this score the best hit is a poor match ("no good match").
WEAK = 0.5

#: Document sources and their weights.
TITLE, INCLUSION, HEADER, EXCLUDES_REF, SHORT, CLASSIFIABLE = 0, 1, 2, 3, 4, 5
WEIGHTS = {TITLE: 1.0, INCLUSION: 1.0, HEADER: 0.9, EXCLUDES_REF: 0.85, SHORT: 0.95,
           CLASSIFIABLE: 0.9}

STOP = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by",
                  "as", "from", "is", "are", "be", "due", "its", "into", "than", "per",
                  "any", "all", "&"})
FILLER = frozenset({"unspecified", "nos", "nec", "elsewhere", "classified", "otherwise",
                    "specified", "initial", "encounter", "without", "complication",
                    "uncomplicated", "site", "organism", "type", "unsp"})
#: Words a text may say without saying more than the query asked, though the index
#: holds them as essential: the classification's default, written out ("initial encounter
#: for closed fracture": a fracture not said to be open is closed). A text's precision
#: does not count them against it, so "nasal fracture" finds the initial encounter for a
#: closed fracture (S02.2XXA) before the sequela (S) and the open fracture (B).
DEFAULTS = frozenset({"closed", "female"})
#: Words of a query that say a negation: a text's negated words are then matched as any
#: other (:meth:`Index.unsaid`), as the query asks about them ("nausea without vomiting").
NEGATIONS = frozenset({"not", "no", "non", "without", "wo", "nor", "never", "cannot"})
#: Words of a text after which its words (to the end of the phrase: a comma, or one of
#: :data:`_UNNEGATED`) are negated: "Nausea without vomiting" does not say vomiting;
#: "Malignant neoplasm of liver, not specified as primary or secondary" says no secondary
#: neoplasm; "with or without" negates nothing. After "non" the next word only ("Non-ST
#: elevation"). Words in parentheses are nonessential and not read.
_NEGATING = frozenset({"not", "without", "wo"})
#: Words that end a negated phrase: what follows says something of its own ("Laceration
#: without foreign body of left hand": the hand is said).
_UNNEGATED = frozenset({"with", "of", "in", "on", "at", "to", "for", "following", "due",
                        "and", "affecting", "by", "from"})
_CLAUSE = re.compile(r"[,;:\[\]]")
#: The end of a text's clause, in its packed bytes (a text ends at a newline).
_CLAUSE_END = re.compile(rb"[,;:\[\]()\n]")
#: What a text that names a kind the query does not (a newborn's, a family's history: see
#: :data:`codekit._synonyms.QUALIFIERS`) keeps of its score.
QUALIFIED = 0.6


@attrs.frozen
class Reading:
    """How an index reads a query beyond its words (:mod:`codekit._synonyms`): the
    phrases that say whose condition it is or when (``markers``: "history of", "status
    post"), what a text must and must not say to be of that reading and what it may say
    (``readings``), the words of a text a query must name to get it (``qualifiers``), the
    side words (``sides``, with the words a side implies) and the phrases whose small word
    matters (``directed``). An index without one reads words only (HCPCS, modifiers).
    """

    markers: Mapping[str, str]
    readings: Mapping[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]
    qualifiers: Mapping[str, frozenset[str]]
    sides: Mapping[str, frozenset[str]]
    directed: Mapping[str, tuple[str, ...]]
    #: words of a text that say its condition came after another ("following"): of a
    #: history or status reading when it matches more of the query than its texts do
    after: frozenset[str] = frozenset()
    #: phrases of the classification's default: (the phrase's words, those of them a
    #: text that says the phrase may say without saying more than the query asked, the
    #: query words that say otherwise, the query words one of which names the condition
    #: it is the default of) -- "single episode": a major depressive disorder not said
    #: recurrent, F32.- (:data:`codekit._synonyms.DEFAULT_PHRASES`)
    defaults: tuple[tuple[tuple[str, ...], tuple[str, ...], frozenset[str], frozenset[str]],
                    ...] = ()

    @classmethod
    def of_tables(cls) -> Reading:
        """The reading of :mod:`codekit._synonyms`'s tables, its keys as query words."""
        return cls({" ".join(tokens(k)): v for k, v in MARKERS.items()}, READINGS,
                   QUALIFIERS, SIDES, DIRECTED, AFTER,
                   tuple((tuple(tokens(p)), tuple(tokens(free)), frozenset(tokens(other)),
                          frozenset(tokens(of)))
                         for p, (free, other, of) in DEFAULT_PHRASES.items()))

    def unnamed(self, named: set[str]) -> frozenset[str]:
        """The qualifiers (kinds of text) no word of ``named`` names: a name that begins
        with ``*`` is an ending (``*oma``: a word ending so names a neoplasm).

        >>> sorted(CLINICAL.unnamed({"lipoma", "arm"}) & {"neoplasm", "newborn"})
        ['newborn']
        """
        out = []
        for kind, names in self.qualifiers.items():
            if names & named:
                continue
            ends = tuple(n[1:] for n in names if n[:1] == "*")
            if ends and any(w.endswith(ends) for w in named):
                continue
            out.append(kind)
        return frozenset(out)


#: What a text of another route than the query names (J7509 "Methylprednisolone oral" for
#: "methylprednisolone injection"), or of a part of an item the query does not name (E0156
#: "Walker seat attachment" for "walker"), keeps of its score: never a good match.
OTHER_ROUTE = 0.5
PART = 0.6
#: A dose as one word ("5mg"): a drug text may say it (:attr:`Terms.free`); a number alone
#: may say more than a dose (J1095 "Injection, dexamethasone 9%", intraocular).
_DOSE = re.compile(r"[0-9.]+(?:mg|mcg|ml|g|u|cc)")


@attrs.frozen
class Terms:
    """How an index of drug and supply texts (HCPCS Level II) weighs words beyond their
    rarity (:mod:`codekit._synonyms`: :data:`~codekit._synonyms.FREE`,
    :data:`~codekit._synonyms.ROUTES`, :data:`~codekit._synonyms.PARTS`):

    - ``free``: words a text may say without saying more than the query asked (a drug's
      salt, its dose, "injection"; numbers and doses too): they do not count against a
      text's precision;
    - ``routes``: route words by route. A query that names a route matches a text of
      another route (and none of its own) at :data:`OTHER_ROUTE`; a text of a code of
      ``drugs`` (the prefixes of drug codes) that names no route is of the first route
      (injection), and matches the query's word for it;
    - ``parts``: words of a part or an accessory: a text that says one the query does not
      name keeps :data:`PART` of its score (the walker before its seat attachment).
    """

    free: frozenset[str]
    routes: Mapping[str, str]
    parts: frozenset[str]
    drugs: tuple[str, ...]

    @classmethod
    def of_tables(cls) -> Terms:
        """The terms of :mod:`codekit._synonyms`'s tables, for HCPCS Level II texts."""
        return cls(FREE, ROUTES, PARTS, DRUGS)

    @property
    def default_route(self) -> str:
        """The route of a drug text that names none (the first of ``routes``)."""
        return next(iter(self.routes.values()))


#: The codes whose texts are of drugs (HCPCS Level II: J codes, the Q5 biosimilars, the C9
#: pass-through drugs).
DRUGS = ("J", "Q5", "C9")


@attrs.frozen
class Query:
    """A query as read (:meth:`Index.read`): its word lists to match (as written, and as
    rewritten by the synonyms, side words last), its reading (``history``, ``family``,
    ``status`` or None) and its side words."""

    variants: list[list[str]]
    reading: str | None = None
    sides: tuple[str, ...] = ()
    #: whether the query says a negation ("not", "without", "non", "w/o"): then a text's
    #: negated words (:meth:`Index.unsaid`) are matched as any other, as the query asks
    #: about them (so too for a reading of it that says one: "nstemi", "non st elevation")
    negates: bool = False
    #: the words the query said a side with (:data:`codekit._synonyms.SIDE_NAMES`:
    #: "both"), matched as well as the side word they stand for
    side_names: tuple[str, ...] = ()


_WORD = re.compile(r"[a-z0-9]+")
#: A query's words with a decimal number as one word ("bmi 42.5": "42.5"), read so by an
#: index with a :class:`Reading` (:meth:`Index.read`) to find the range holding it.
_DECIMAL_WORD = re.compile(r"(?<![a-z0-9.])[0-9]+\.[0-9]+(?![0-9.])|[a-z0-9]+")
#: A number a query says: a count, a measure ("42", "42.5") or an ordinal ("96th").
_NUMBER = re.compile(r"([0-9]+(?:\.[0-9]+)?)(st|nd|rd|th)?")
#: A query that may be a code of an index (compact, upper case): 3-7 letters and digits,
#: a digit among them.
_CODE = re.compile(r"(?=[A-Z]*[0-9])[A-Z0-9]{3,7}")
_PAREN = re.compile(r"\(([^()]*)\)")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_IRREGULAR = {"feet": "foot", "teeth": "tooth", "children": "child", "women": "woman",
              "men": "man", "bitten": "bite", "biting": "bite", "lice": "louse",
              "mice": "mouse", "calculi": "calculus", "vertebrae": "vertebra",
              "diagnoses": "diagnosis", "analyses": "analysis", "bronchi": "bronchus",
              "fungi": "fungus", "nuclei": "nucleus", "ova": "ovum", "data": "datum",
              "indices": "index", "appendices": "appendix"}


def stem(word: str) -> str:
    """A word with its plural (and possessive) folded: ``stones`` -> ``stone``."""
    w = _IRREGULAR.get(word)
    if w is not None:
        return w
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


#: Letters NFKD does not take apart, as the ASCII letters a person types for them.
_LETTERS = str.maketrans({"\u00f8": "o", "\u00e6": "ae", "\u0153": "oe", "\u00df": "ss",
                          "\u0142": "l", "\u0111": "d", "\u00f0": "d", "\u00fe": "th",
                          "\u0131": "i"})


#: British spellings as the American ones the classification writes (ICD-10-CM, CMS and
#: the AMA write American English; WHO's ICD-10, British and Australian charts write the
#: British forms): ``anaemia``, ``oedema``, ``tumour``, ``centre``, ``immunisation``,
#: ``paralysed``, ``sulphonamide``. Applied to a query word the index does not know, and
#: kept only when the index knows the result (:meth:`Index.read`).
_BRITISH = ((re.compile(r"(?<=[a-z])ae|^ae(?=t)"), "e"),
            (re.compile(r"(?<=[a-z])oe|^oe(?=[sd])"), "e"),
            (re.compile(r"(?<=[a-z])our(?=$|[a-z])"), "or"), (re.compile(r"(?<=[a-z])tre$"), "ter"),
            (re.compile(r"(?<=[a-z])is(?=e$|ed$|es$|ing$|ation$|ations$)"), "iz"),
            (re.compile(r"(?<=[a-z])ys(?=e$|ed$|es$|ing$)"), "yz"), (re.compile(r"sulph"), "sulf"))


def american(word: str) -> str:
    """``word`` in American spelling by the regular British-American differences (the
    caller checks that the result is a word it knows: ``american("oesophagitis")`` is
    ``esophagitis``, as the titles write it).

    >>> [american(w) for w in ("anaemia", "oedema", "tumour", "foetal", "aetiology",
    ...                        "haemorrhoid", "centre", "immunisation", "paralysed")]
    ['anemia', 'edema', 'tumor', 'fetal', 'etiology', 'hemorrhoid', 'center', 'immunization',
     'paralyzed']
    """
    if len(word) < 5:  # "toe", "four", "hour" are no British spellings
        return word
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word)
    return word


def ascii_letters(text: str) -> str:
    """``text`` with its accents dropped (NFKD, combining marks removed), so that the
    words typed without them match: an index and a query read words alike.

    >>> ascii_letters("Waldenstr\u00f6m, Rosenm\u00fcller, Beh\u00e7et, Sj\u00f8gren")
    'Waldenstrom, Rosenmuller, Behcet, Sjogren'
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)


def _words(text: str, expand: bool, decimals: bool = False) -> list[str]:
    text = ascii_letters(text.lower())
    text = text.replace("'s", "").replace("\u2019s", "").replace("w/o", " wo ")
    out: list[str] = []
    words = (_DECIMAL_WORD if decimals else _WORD).findall(text.replace("'", ""))
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if expand:  # a two-word phrase first ("lwr ext"), then the word ("ext")
            rep = DESCRIPTOR.get(f"{w} {words[i]}") if i < len(words) else None
            if rep is not None:
                i += 1
            else:
                rep = DESCRIPTOR.get(w)
            if rep is not None:
                out += rep.split()
                continue
        out.append(ROMAN.get(w, w))
    return out


#: Characters a query drops before its words are read: invisible ones (zero-width space,
#: joiners, BOM) and control characters other than white space, which split no word a
#: person typed ("diab\u200betes", "dia\x00betes" are "diabetes").
_DROP = DROP_INVISIBLE | {c: None for c in (*range(0x20), *range(0x7f, 0xa0))
                          if chr(c) not in "\t\n\r\x0b\x0c"}


def fold(text: str) -> str:
    """A query as its words are read: compatibility forms folded (NFKC: full-width
    ``\uff44\uff4d`` is ``dm``), invisible and control characters dropped.

    >>> fold("diab\u200betes \uff48\uff54\uff4e")
    'diabetes htn'
    """
    if text.isascii():
        return text.translate(_DROP)
    return unicodedata.normalize("NFKC", text).translate(_DROP)


def tokens(text: str, *, expand: bool = False) -> list[str]:
    """The index words of ``text`` (stop words dropped, plurals folded).

    >>> tokens("Calculi of the kidneys (renal) NOS")
    ['calculus', 'kidney', 'renal', 'nos']
    """
    return [stem(w) for w in _words(text, expand) if w not in STOP]


#: The reading of clinical queries (ICD-10-CM).
CLINICAL = Reading.of_tables()


def _split(text: str, expand: bool) -> tuple[list[str], list[str]]:
    """(essential words, nonessential words) of a document text."""
    optional_text = " ".join(_PAREN.findall(text))
    essential_text = _PAREN.sub(" ", text)
    essential = [t for t in tokens(essential_text, expand=expand) if t not in FILLER]
    optional = tokens(optional_text, expand=expand) + \
        [t for t in tokens(essential_text, expand=expand) if t in FILLER]
    return essential, optional


def documents_of(code: str, text: str, source: int) -> list[tuple[str, str, int]]:
    """A text as documents: an alternative name in brackets is a document of its own
    (``Acute nasopharyngitis [common cold]``)."""
    out = [(code, _BRACKET.sub(" ", text).strip(), source)]
    out += [(code, alt.strip(), source) for alt in _BRACKET.findall(text) if alt.strip()]
    return out


# -- building ------------------------------------------------------------------------------------


def pack_index(docs: Iterable[tuple[str, str, int] | tuple[str, str, int, int]], *,
               expand: bool = False, meta: Mapping[str, Any] | None = None,
               slots: int | None = None) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The index of ``docs`` ((code, text, source) triples, or (code, text, source,
    slot bits) with ``slots`` the number of slots), as (meta, sections) for
    :func:`codekit._artifact.write`. ``expand`` expands descriptor abbreviations
    (:data:`codekit._synonyms.DESCRIPTOR`) in the texts, and then in queries.

    A text whose words a document of the same code already has is kept once: on the
    slots of the first, and as a document of its own only for slots the first lacks
    (merged into a document of the same source that has them)."""
    every = (1 << slots) - 1 if slots else 0
    seen: dict[tuple[str, str], list[int]] = {}  # words -> their documents
    owners: dict[str, int] = {}
    doc_owner = array("I")
    doc_source = bytearray()
    doc_text: list[str] = []
    doc_tokens: list[tuple[list[str], list[str]]] = []
    doc_slots: list[int] = []
    for doc in docs:
        code, raw, source = doc[0], doc[1], doc[2]
        bits = doc[3] & every if slots and len(doc) > 3 else every
        if slots and not bits:
            continue
        for c, text, src in documents_of(code, raw, source):
            text = " ".join(text.split())
            essential, optional = _split(text, expand)
            if not essential and not optional:
                continue
            key = (c, " ".join(sorted(set(essential))) + "|" + " ".join(sorted(set(optional))))
            same = seen.get(key)
            if same is not None:
                if all(bits & ~doc_slots[d] for d in same):
                    d = next((d for d in same if doc_source[d] == src), None)
                    if d is not None:
                        doc_slots[d] |= bits
                        continue
                else:
                    continue
            seen.setdefault(key, []).append(len(doc_text))
            doc_owner.append(owners.setdefault(c, len(owners)))
            doc_source.append(src)
            doc_text.append(text)
            doc_tokens.append((essential, optional))
            doc_slots.append(bits)
    postings: dict[str, list[int]] = {}
    for d, (essential, optional) in enumerate(doc_tokens):
        ess = set(essential)
        for t in ess:
            postings.setdefault(t, []).append(d << 1 | 1)
        for t in set(optional) - ess:
            postings.setdefault(t, []).append(d << 1)
    vocab = sorted(postings)
    n = len(doc_text)
    offsets = array("I", [0])
    flat = array("I")
    idf: dict[str, float] = {}
    for t in vocab:
        flat.extend(postings[t])
        offsets.append(len(flat))
        idf[t] = math.log(1 + n / len(postings[t]))
    weight = array("f", (sum(idf[t] for t in set(essential)) for essential, _ in doc_tokens))
    starts = array("I", [0])
    for text in doc_text:
        starts.append(starts[-1] + len(text.encode("utf-8")) + 1)
    sections = {
        "vocab": _artifact.pack_strings(vocab),
        "offsets": _bytes(offsets),
        "postings": _bytes(flat),
        "owners": _artifact.pack_strings(owners),
        "doc_owner": _bytes(doc_owner),
        "doc_source": bytes(doc_source),
        "doc_weight": _bytes(weight),
        "doc_text": _artifact.pack_strings(doc_text),
        "doc_starts": _bytes(starts),
    }
    head = {"kind": "search-index", "version": VERSION, "documents": n, "codes": len(owners),
            "words": len(vocab), "expand": expand, **(meta or {})}
    if slots:
        width = (slots + 7) // 8
        word_slots = []
        for t in vocab:
            bits = 0
            for x in postings[t]:
                bits |= doc_slots[x >> 1]
            word_slots.append(bits)
        sections["doc_slots"] = b"".join(b.to_bytes(width, "little") for b in doc_slots)
        sections["word_slots"] = b"".join(b.to_bytes(width, "little") for b in word_slots)
        head["slots"] = slots
    return head, sections


def _bytes(a: array) -> bytes:
    if sys.byteorder != "little":  # pragma: no cover - big-endian hosts
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


def _array(code: str, raw: bytes) -> array:
    a = array(code)
    a.frombytes(raw)
    if sys.byteorder != "little":  # pragma: no cover
        a.byteswap()
    return a


# -- numbers in a text's range ---------------------------------------------------------------------

#: A number a text writes: a count, a measure, a percentage ("10-19%") or an ordinal
#: ("95th percentile"); a share of another number ("120% of the 95th percentile") is
#: taken out first (:data:`_RELATIVE`): no number a query says is in it.
_N = rb"([0-9]+(?:\.[0-9]+)?)(st|nd|rd|th|%)?"
_RELATIVE = re.compile(rb"[0-9]+(?:\.[0-9]+)?% of the [0-9]+(?:st|nd|rd|th)")
#: The ways a text writes a range of numbers, each with (lower bound inclusive, upper
#: bound inclusive); a bound a pattern does not give is open. "40.0-44.9", "10-19%";
#: "85th percentile to less than 95th percentile", "95th percentile for age to less than
#: 120% of the 95th percentile" (no upper bound of the same kind: open); "less than 8
#: weeks", "19.9 or less"; "greater than 42 weeks", "70 or greater", "greater than or
#: equal to 95th percentile".
_RANGES: tuple[tuple[re.Pattern[bytes], str, bool, bool], ...] = (
    (re.compile(rb"(?<![0-9a-z.])" + _N + rb" ?- ?" + _N + rb"(?![0-9a-z])"), "ab", True, True),
    (re.compile(rb"(?<![0-9a-z.])" + _N + rb"(?: [a-z]+){0,3} to less than (?:" + _N +
                rb"|#+)"), "ab", True, False),
    (re.compile(rb"(?<!to )(?:less than|under|below) " + _N), "b", False, False),
    (re.compile(rb"(?<![0-9a-z.])" + _N + rb" or (?:less|fewer|under|below)"), "b", False, True),
    (re.compile(rb"(?:greater than or equal to|at least) " + _N), "a", True, False),
    (re.compile(rb"(?:greater than|more than|over|above) (?!or )" + _N), "a", False, False),
    (re.compile(rb"(?<![0-9a-z.])" + _N + rb" or (?:greater|more|over|above|older)"), "a",
     True, False),
)
#: A text that may write a range (a dash, or a word of :data:`_COMPARING`): the others are
#: not read for one.
_RANGED = re.compile(rb"-|less|greater|more|fewer|under|over|above|below|least|older")
#: The words of a range besides its numbers that say it (their rarity counts as said when
#: a query's number is in the range).
_COMPARING = frozenset({"less", "greater", "equal", "more", "fewer", "under", "over",
                        "above", "below", "least", "older"})


def _number(word: str) -> tuple[float, bool] | None:
    """(value, whether an ordinal) of a query word that is a number ("42", "42.5",
    "96th"), or None."""
    m = _NUMBER.fullmatch(word)
    return (float(m.group(1)), bool(m.group(2))) if m else None


def _bound(value: bytes | None, suffix: bytes | None) -> tuple[float | None, bool | None]:
    """A range's bound as (value, whether an ordinal); (None, None) when open."""
    if value is None:
        return None, None
    return float(value), suffix in (b"st", b"nd", b"rd", b"th")


# -- reading and searching -------------------------------------------------------------------------


class Index:
    """A packed index opened for searching (see the module doc)."""

    def __init__(self, meta: Mapping[str, Any], sections: Mapping[str, bytes] | Any) -> None:
        if meta.get("version") != VERSION:
            raise DataError(f"search index version {meta.get('version')!r}, this codekit "
                            f"reads version {VERSION}: rebuild it with python -m "
                            "codekit.build search")
        get = sections.section if hasattr(sections, "section") else sections.__getitem__
        self.meta = dict(meta)
        self.expand = bool(meta.get("expand"))
        self.vocab: list[str] = get("vocab").decode("utf-8").split("\n")
        self.word_id = {w: i for i, w in enumerate(self.vocab)}
        self.offsets = _array("I", get("offsets"))
        self.postings = _array("I", get("postings"))
        self.owners: list[str] = get("owners").decode("ascii").split("\n")
        self.doc_owner = _array("I", get("doc_owner"))
        self.doc_source = get("doc_source")
        self.doc_weight = _array("f", get("doc_weight"))
        self._get = get  # the texts are read when a search first needs one
        self._text: tuple[bytes, array] | None = None
        self.n = len(self.doc_owner)
        self._members: dict[int, dict[int, int]] = {}  # word -> {doc: essential}, common words
        self._synonyms = _synonym_table()
        self._sorted: bool | None = None  # are the owners in order (found on first need)
        #: how a query is read beyond its words (None: words only); set by the code
        #: system that opens the index (ICD-10-CM: :data:`CLINICAL`)
        self.reading: Reading | None = None
        #: how a drug or supply text's words weigh beyond their rarity (None: by rarity
        #: only); set by the code system that opens the index (HCPCS Level II: :class:`Terms`)
        self.terms: Terms | None = None
        #: what a query that names an item alone also reads as, keyed by its stemmed words
        #: (empty: nothing); set by the code system that opens the index (HCPCS Level II:
        #: :data:`codekit._synonyms.ITEMS`, through :func:`item_table`; ICD-10-CM: a drug's
        #: long term use, :data:`codekit._synonyms.ALONE`, through :func:`alone_table`)
        self.items: Mapping[str, list[list[str]]] = {}
        self._termed: _Termed | None = None  # the documents of ``terms``' words, found once
        self._ess: dict[str, frozenset[int]] = {}  # word -> the documents it is essential in
        self._weights: dict[str, dict[int, float]] = {}  # a default phrase -> {doc: weight}
        self._frees: dict[tuple[int, ...], dict[int, float]] = {}  # see :meth:`_free`
        self._negations: dict[str, tuple[dict[int, int], float] | None] = {}
        self._bonuses: dict[tuple[frozenset[str], frozenset[str]], dict[int, float]] = {}
        self._narrows: dict[frozenset[str], dict[int, float]] = {}
        self._negating: frozenset[int] | None = None  # the documents that negate a word
        self._unspecified: dict[int, float] | None = None  # "unspecified as to ..." texts
        self._unsaid: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        #: the number of slots (0: none, every document on every slot) and the bit sets
        #: of the documents and of the words, ``width`` bytes each
        self.slots = int(meta.get("slots") or 0)
        self.width = (self.slots + 7) // 8
        self.doc_slots = get("doc_slots") if self.slots else b""
        self.word_slots = get("word_slots") if self.slots else b""
        self._off: dict[int, frozenset[int]] = {}  # slot -> the documents not on it
        #: the ranges of numbers the texts write (:meth:`ranged`), found on first need
        self._ranges: list[tuple[float, float, bool, bool, bool, int, float]] | None = None
        self._ranged: dict[str, dict[int, float]] = {}

    @classmethod
    def open(cls, path: Any) -> Index:
        table = _artifact.Table(path)
        return cls(table.meta, table)

    def text(self, doc: int) -> str:
        """The text of document ``doc``."""
        if self._text is None:
            self._text = (self._get("doc_text"), _array("I", self._get("doc_starts")))
        blob, starts = self._text
        return blob[starts[doc]:starts[doc + 1] - 1].decode("utf-8")

    def df(self, w: int) -> int:
        return self.offsets[w + 1] - self.offsets[w]

    def idf(self, w: int) -> float:
        return math.log(1 + self.n / max(self.df(w), 1))

    # -- the query ------------------------------------------------------------------------------

    def on_slot(self, slot: int | None) -> Callable[[int], bool] | None:
        """Whether a document is on ``slot`` (None: every document is)."""
        if slot is None or not self.slots:
            return None
        if not 0 <= slot < self.slots:
            return lambda d: False
        blob, width, at, bit = self.doc_slots, self.width, slot >> 3, 1 << (slot & 7)
        return lambda d: bool(blob[d * width + at] & bit)

    def off_slot(self, slot: int) -> frozenset[int]:
        """The documents not on ``slot`` (a few thousand of the ICD-10-CM index's
        113,000: old titles, notes of one tabular), found once per slot."""
        found = self._off.get(slot)
        if found is None:
            if 0 <= slot < self.slots:
                bit = 1 << (slot & 7)
                table = bytes(0 if b & bit else 1 for b in range(256))
                flags = self.doc_slots[slot >> 3::self.width].translate(table)
                out = []
                i = flags.find(1)
                while i >= 0:
                    out.append(i)
                    i = flags.find(1, i + 1)
                found = frozenset(out)
            else:
                found = frozenset(range(self.n))
            self._off[slot] = found
        return found

    def word_on_slot(self, w: int, slot: int | None) -> bool:
        """Whether a document on ``slot`` has the word ``w``."""
        if slot is None or not self.slots:
            return True
        if not 0 <= slot < self.slots:
            return False
        return bool(self.word_slots[w * self.width + (slot >> 3)] & 1 << (slot & 7))

    def ranged(self, word: str) -> dict[int, float]:
        """{doc: weight} of the texts whose range of numbers holds the number ``word``
        ("42.5" and "42": Z68.41 "Body mass index [BMI] 40.0-44.9, adult"; "96th": Z68.54
        "... 95th percentile for age to less than ..."), the weight the rarity of the
        range's words (its numbers and "less", "greater"...); empty for a word that is no
        number. An ordinal is in ranges of ordinals only, another number in the others.

        >>> index = Index(*pack_index([("Z6841", "BMI 40.0-44.9, adult", TITLE),
        ...                            ("Z3A01", "Less than 8 weeks gestation", TITLE)]))
        >>> [index.owners[index.doc_owner[d]] for d in index.ranged("42.5")]
        ['Z6841']
        >>> [index.owners[index.doc_owner[d]] for d in index.ranged("5")], index.ranged("8")
        (['Z3A01'], {})
        """
        found = self._ranged.get(word)
        if found is not None:
            return found
        number = _number(word)
        found = {}
        if number is not None:
            value, ordinal = number
            for lo, hi, lo_in, hi_in, ordn, d, weight in self._range_table():
                if ordn == ordinal and (lo < value or (lo_in and lo == value)) and \
                        (value < hi or (hi_in and hi == value)):
                    found[d] = max(found.get(d, 0.0), weight)
        if len(self._ranged) >= 256:
            self._ranged.clear()
        self._ranged[word] = found
        return found

    def _range_table(self) -> list[tuple[float, float, bool, bool, bool, int, float]]:
        """(low, high, low inclusive, high inclusive, of ordinals, doc, weight) of every
        range of numbers the texts write (:data:`_RANGES`), found once: one pass over the
        texts (a few hundred ranges in the ICD-10-CM index: BMI, weeks of gestation, birth
        weights, coma scale scores, burned body surface, blood alcohol levels)."""
        if self._ranges is None:
            out: list[tuple[float, float, bool, bool, bool, int, float]] = []
            numbered: set[int] = set()  # the texts that write a number (by the postings)
            for w, word in enumerate(self.vocab):
                if word[:1].isdigit():
                    numbered.update(x >> 1 for x in
                                    self.postings[self.offsets[w]:self.offsets[w + 1]])
            if numbered:
                self.text(0)  # the texts, read
                assert self._text is not None
                blob, starts = self._text
            for d in sorted(numbered):
                low = blob[starts[d]:starts[d + 1] - 1].lower()
                if not _RANGED.search(low):
                    continue
                if b"%" in low:
                    low = _RELATIVE.sub(lambda m: b"#" * len(m.group()), low)
                taken: list[tuple[int, int]] = []
                for pattern, bounds, lo_in, hi_in in _RANGES:
                    for m in pattern.finditer(low):
                        if any(a <= m.start() < b for a, b in taken):
                            continue  # "to less than B" of a range found before
                        taken.append(m.span())
                        groups = m.groups()
                        a, b = (groups[0:2], groups[2:4]) if bounds == "ab" else \
                            ((groups[0:2], (None, None)) if bounds == "a"
                             else ((None, None), groups[0:2]))
                        lo, lo_ord = _bound(*a)
                        hi, hi_ord = _bound(*b)
                        if lo is not None and hi is not None and lo_ord != hi_ord:
                            hi = None  # "95th ... to less than 120% of ...": open
                        words = {t for t in tokens(m.group().decode("utf-8", "replace"))
                                 if t in _COMPARING or any(c.isdigit() for c in t)}
                        weight = sum(self.idf(self.word_id[t]) for t in words
                                     if t in self.word_id)
                        out.append((-math.inf if lo is None else lo,
                                    math.inf if hi is None else hi, lo_in, hi_in,
                                    bool(lo_ord or hi_ord), d, weight))
            self._ranges = out
        return self._ranges

    def _alternatives(self, token: str, slot: int | None = None) -> list[tuple[int, float]]:
        """(word id, weight) the query word stands for: itself, else completions of a
        prefix, else close spellings (words of documents on ``slot`` only)."""
        w = self.word_id.get(token)
        if w is not None and self.word_on_slot(w, slot):
            if self.reading is not None and token.endswith("virus"):
                # a virus is also its adjective ("Cytomegaloviral disease", "Rotaviral
                # enteritis"), said as much
                a = self.word_id.get(token[:-5] + "viral")
                if a is not None and self.word_on_slot(a, slot):
                    return [(w, 1.0), (a, 1.0)]
            return [(w, 1.0)]
        out: list[tuple[int, float]] = []
        if "." in token or (self.reading is not None and _NUMBER.fullmatch(token)):
            # a number is no misspelling ("96th" is not "95th"): matched by the ranges that
            # hold it only
            return out
        if len(token) >= 4 and not token.isdigit():
            i = bisect.bisect_left(self.vocab, token)
            found: list[int] = []
            while i < len(self.vocab) and self.vocab[i].startswith(token) and len(found) < 40:
                if i != w and self.word_on_slot(i, slot):
                    found.append(i)
                i += 1
            found.sort(key=lambda j: -self.df(j))
            out += [(j, 0.9) for j in found[:6]]
        if not out and len(token) >= 4 and not token.isdigit():
            from rapidfuzz import process
            from rapidfuzz.distance import Levenshtein

            cutoff = 1 if len(token) <= 5 else 2
            near = process.extract(token, self.vocab, scorer=Levenshtein.distance,
                                   score_cutoff=cutoff, limit=3 if slot is None else 12)
            for _, dist, j in near:
                if j != w and self.word_on_slot(j, slot) and len(out) < 3:
                    out.append((j, 0.85 if dist <= 1 else 0.7))
        return out

    def split(self, token: str) -> list[str] | None:
        """An unknown word read as two the index knows (``preeclampsia``: the titles
        write ``Pre-eclampsia``; ``earwax``, ``heartbeat``), or None.

        >>> Index(*pack_index([("O1490", "Pre-eclampsia", TITLE)])).split("preeclampsia")
        ['pre', 'eclampsia']
        """
        if len(token) < 6 or token in self.word_id or token.isdigit():
            return None
        best: list[str] | None = None
        for i in range(3, len(token) - 2):
            head, tail = token[:i], stem(token[i:])
            if head in self.word_id and tail in self.word_id and \
                    (best is None or min(i, len(tail)) > min(map(len, best))):
                best = [head, tail]
        return best

    def join(self, first: str, second: str) -> str | None:
        """Two query words read as the one word the index knows them as (``heat stroke``:
        the titles write *Heatstroke*; ``tooth ache``), or None.

        >>> Index(*pack_index([("T670XXA", "Heatstroke", TITLE)])).join("heat", "stroke")
        'heatstroke'
        """
        if len(first) < 2 or len(second) < 2 or " " in first or " " in second or \
                first.isdigit() or second.isdigit():
            return None
        joined = stem(first + second)
        return joined if joined in self.word_id else None

    def variants(self, text: str) -> list[list[str]]:
        """The query's words as written, and as rewritten by the synonym tables."""
        return self.read(text).variants

    def read(self, text: str) -> Query:
        """The query as read: its words as written and as rewritten by the synonym tables
        and, for an index with a :class:`Reading`, with abbreviations of one meaning
        written out first ("hx", "fx": so that "fx left hip" reads the phrase "fracture
        hip"), its reading ("history of", "status post": those words are not matched, the
        reading is), its side words taken out of the phrases and matched last.

        >>> index = Index(*pack_index([("I252", "Old myocardial infarction", TITLE)]))
        >>> index.read("hx MI").variants[-1]  # words only: "history" is a word to match
        ['history', 'myocardial', 'infarction']
        >>> index.reading = CLINICAL
        >>> q = index.read("hx MI left")
        >>> q.reading, q.sides, q.variants
        ('history', ('left',), [['myocardial', 'infarction', 'left']])
        """
        reading = self.reading
        raw = _words(fold(text), self.expand, decimals=reading is not None)
        if reading is not None and any("." in w for w in raw):
            # a decimal number no range of a text holds is read as its words, as before
            raw = [x for w in raw for x in
                   (w.split(".") if "." in w and not self.ranged(w) else (w,))]
        words: list[str] = []
        i = 0
        while i < len(raw):
            pair = f"{raw[i]} {raw[i + 1]}" if i + 1 < len(raw) else ""
            if reading is not None and pair in reading.directed:
                words.append(pair)  # "metastatic to": one word, the table's key
                i += 2
                continue
            if raw[i] not in STOP:
                words.append(raw[i])
            i += 1
        stems = [w if " " in w else stem(w) for w in words]
        known, table = self.word_id, self._synonyms
        # a British spelling the index does not know is the American word it or the
        # synonym table knows ("brain tumour": "tumor", so that the tables read it as
        # "brain tumor" does; "haemodialysis": the table's "hemodialysis")
        stems = [american(w) if w not in known and w not in table and " " not in w and
                 (american(w) in known or american(w) in table) else w for w in stems]
        item = self.items.get(" ".join(stems), ()) if self.items else ()
        marker: str | None = None
        sides: list[str] = []
        named: tuple[str, ...] = ()
        if reading is not None:
            plain = self._plain_words()
            out: list[str] = []
            i = 0
            while i < len(stems):  # a phrase of the table as typed stays ("low blood sugar")
                size = next((k for k in (4, 3, 2) if i + k <= len(stems) and
                             " ".join(stems[i:i + k]) in table), 1)
                alt = plain.get(stems[i]) if size == 1 else None
                out += alt if alt is not None and stems[i] not in self.word_id \
                    else stems[i:i + size]
                i += size
            # "both" is "bilateral", matched as either word
            named = tuple(w for w in out if w in SIDE_NAMES)
            stems = [SIDE_NAMES.get(w, w) for w in out]
            marker, stems = _marker(stems, reading.markers)
            rest = [w for w in stems if w not in reading.sides]
            if rest:  # a query of side words only is read as words
                sides = [w for w in stems if w in reading.sides]
                stems = rest
        segments: list[list[list[str]]] = []
        # a type the query states ("dm1", "type 1 diabetes") is not overridden by a
        # rewrite that names the default one ("diabetes": "type 2 diabetes mellitus", as
        # I.C.4.a.2 makes type 2 the default only when no type is documented): such a
        # rewrite keeps its other words ("dm1 with dka" was read as "type 1 type 2
        # diabetes mellitus with ...", eight readings where three say it)
        typed = "type" in stems
        i = 0
        while i < len(stems):
            for size in (4, 3, 2, 1):
                if i + size > len(stems):
                    continue
                if size == 1 and i + 1 < len(stems):
                    # two words the titles write as one ("heat stroke": "Heatstroke"),
                    # read as that word, not as their own synonyms ("stroke")
                    joined = self.join(stems[i], stems[i + 1])
                    if joined is not None:
                        segments.append([stems[i:i + 2], [joined]])
                        i += 2
                        break
                alts = table.get(" ".join(stems[i:i + size]))
                if alts is None and size == 2 and reading is not None:
                    # two words in the Index's order, the main term first ("failure
                    # renal acute": Failure, renal, acute N17.9), as the phrase they are
                    alts = table.get(f"{stems[i + 1]} {stems[i]}")
                if alts is not None:
                    if typed and "type" not in stems[i:i + size]:
                        alts = [_untyped(a) for a in alts]
                    segments.append([stems[i:i + size], *alts])
                    i += size
                    break
            else:
                parts = self.split(stems[i])
                segments.append([[stems[i]], parts] if parts else [[stems[i]]])
                i += 1
        out_variants: list[list[str]] = [[]]
        for choices in segments:
            out_variants = [v + c for v in out_variants for c in choices][:12]
        seen = set()
        unique = []
        for v in out_variants:
            # a directed phrase as written is its first word ("metastatic")
            v = [w.split()[0] if " " in w else w for w in v] + sides
            # a word said twice is one word to match (:meth:`_score`): a reading that
            # differs from an earlier one only so is the same search ("type 1 diabetes
            # mellitus mellitus", the rewrite of "diabetes" before the query's "mellitus")
            key = tuple(dict.fromkeys(v))
            if v and key not in seen:
                seen.add(key)
                unique.append(v)
        for v in item:  # the query is an item's name alone: its standard model too
            if tuple(v) not in seen:
                seen.add(tuple(v))
                unique.append(v)
        return Query(unique, marker, tuple(sides), not NEGATIONS.isdisjoint(raw),
                     named if sides else ())

    def _plain_words(self) -> dict[str, list[str]]:
        """The abbreviations of the synonym table with one meaning (a word to one word
        list: ``hx`` -> ``history``), written out before a :class:`Reading` reads phrases."""
        found = _PLAIN.get(0)
        if found is None:
            found = _PLAIN[0] = {k: v[0] for k, v in self._synonyms.items()
                                 if " " not in k and len(v) == 1}
        return found

    def search(self, text: str, *, accept: Callable[[str], bool] | None = None,
               limit: int = 10, slot: int | None = None) -> list[tuple[str, str, float]]:
        """(code, matched text, score) of the best codes for ``text``, best first; only
        codes ``accept`` says yes to (e.g. valid on a date), matched only by documents on
        ``slot`` (see the module doc). A query with a reading ("history of", "status
        post": :class:`Reading`) gets the codes of that reading first: the others follow,
        under :data:`WEAK` and under the last code of the reading. Of codes as good, the
        one the query as written found comes before one a rewrite found ("shortness of
        breath": R06.02 by its title before R06.00 Dyspnea)."""
        # owner -> (score, doc, tier, the variant that found it)
        best: dict[int, tuple[float, int, int, int]] = {}
        exact = self.owner_of(text)
        if exact is not None:  # the query is a code of the index: it first
            first = self._first_doc(exact, slot)
            if first is not None:
                best[exact] = (2.0, first, 0, 0)
        query = self.read(text)
        full = _Full() if self.reading is not None and query.reading is None else None
        for k, variant in enumerate(query.variants):
            self._score(variant, best, slot, query, k, full)
        if full is not None:
            # every text that says all the query's words, in any reading of it, is of one
            # kind the query does not name: that kind is the condition's default
            # ("Absence, gallbladder (congenital) Q44.0": "absence of gallbladder" found
            # Q44.0 at 0.497, "no good match"), its texts not discounted
            for o, hit in full.defaults(self).items():
                if best.get(o, hit)[0] < hit[0]:
                    best[o] = hit
        if query.reading is not None:
            # a code of the reading far below the reading's best (I25.2 Old myocardial
            # infarction for "history of stroke") is no better than one of another
            # reading: ranked with those, by its score
            top = max((v[0] for v in best.values() if not v[2]), default=0.0)
            for o, (score, doc, tier, k) in list(best.items()):
                if not tier and score < top * 0.5:
                    best[o] = (score, doc, 2, k)
        # scores as good to 6 places are a tie (two exact matches: no rounding noise of
        # the rarity weights decides it)
        owners = self.owners
        ranked = [(tier > 0, -int((score * OTHER_READING if tier == 1 else score) * 1e6 + 0.5),
                   k, len(owners[o]), owners[o], o) for o, (score, doc, tier, k) in best.items()]
        ranked.sort()
        out = []
        last = 1.0  # the score of the last code of the query's reading
        for *_, owner in ranked:
            score, doc, tier, k = best[owner]
            code = self.owners[owner]
            if accept is not None and not accept(code):
                continue
            score = min(_shown((score, doc, tier, k)), 1.0)
            if tier:  # another reading: below every code of the query's
                score = min(score, last * 0.99)
            else:
                last = score
            out.append((code, self.text(doc), score))
            if len(out) >= limit:
                break
        return out

    def owner_of(self, text: str) -> int | None:
        """The owner number of the code ``text`` is (``e11.9``, `` J1885``), or None.

        >>> Index(*pack_index([("E119", "Type 2 diabetes", TITLE)])).owner_of(" e11.9 ")
        0
        """
        code = fold(text).strip().upper().replace(".", "")
        if not _CODE.fullmatch(code):
            return None
        if self._sorted is None:
            owners = self.owners
            self._sorted = all(a < b for a, b in itertools.pairwise(owners))
        if self._sorted:
            i = bisect.bisect_left(self.owners, code)
            return i if i < len(self.owners) and self.owners[i] == code else None
        return self.owners.index(code) if code in self.owners else None

    def _first_doc(self, owner: int, slot: int | None = None) -> int | None:
        """The first document of ``owner`` on ``slot``: its title, where the index has
        one; None when it has none there."""
        d = self.doc_owner.index(owner)
        on = self.on_slot(slot)
        if on is None:
            return d
        owners = self.doc_owner
        while d < self.n and owners[d] == owner:  # a code's documents come together
            if on(d):
                return d
            d += 1
        return next((d for d in range(self.n) if owners[d] == owner and on(d)), None)

    def _members_of(self, w: int) -> dict[int, int]:
        found = self._members.get(w)
        if found is None:
            p = self.postings[self.offsets[w]:self.offsets[w + 1]]
            found = {x >> 1: x & 1 for x in p}
            if len(self._members) >= 256:
                self._members.clear()
            self._members[w] = found
        return found

    def essential_docs(self, word: str) -> frozenset[int]:
        """The documents ``word`` is an essential word of (none for a word the index does
        not know), found once per word (the few words of a :class:`Reading`)."""
        found = self._ess.get(word)
        if found is None:
            w = self.word_id.get(word)
            found = frozenset() if w is None else frozenset(
                x >> 1 for x in self.postings[self.offsets[w]:self.offsets[w + 1]] if x & 1)
            self._ess[word] = found
        return found

    def _of_reading(self, name: str, satisfy: frozenset[str],
                    forbid: frozenset[str]) -> frozenset[int]:
        """The documents of a reading: those with one of the ``satisfy`` words, none of
        the ``forbid`` ones (found once per reading)."""
        key = "reading " + name
        found = self._ess.get(key)
        if found is None:
            found = frozenset().union(*(self.essential_docs(w) for w in satisfy)) - \
                frozenset().union(*(self.essential_docs(w) for w in forbid))
            self._ess[key] = found
        return found

    def _of_kind(self, word: str) -> frozenset[int]:
        """The documents a qualifier ``word`` narrows to its kind: those it is essential in,
        but for those that say it negated ("Non-pressure chronic ulcer" is of no pressure
        kind, "Malignant neoplasm of liver, not specified as primary or secondary" of no
        secondary one; "Family history of non-pressure chronic ulcer" is of the family's
        kind all the same)."""
        key = "kind " + word
        found = self._ess.get(key)
        if found is None:
            negating = self.negating_docs()
            found = self._ess[key] = frozenset(
                d for d in self.essential_docs(word)
                if d not in negating or word not in self.unsaid(d)[0])
        return found

    def _bonus(self, words: frozenset[str], negated: frozenset[str]) -> dict[int, float]:
        """{doc: weight} of ``words`` a document may say without saying more than the
        query asked (each word's rarity, where it is essential), and of the qualifiers of
        ``negated`` it says negated ("non" and the word); found once per pair (4 kept: one
        pair answers most queries)."""
        key = (words, negated)
        found = self._bonuses.get(key)
        if found is None:
            found = {}
            for word in words:
                w = self.word_id.get(word)
                if w is None:
                    continue
                idf = self.idf(w)
                for d, ess in self._members_of(w).items():
                    if ess:
                        found[d] = found.get(d, 0.0) + idf
            for word in negated:
                said = self._negated(word)
                if said is not None:
                    for d in said[0]:
                        found[d] = found.get(d, 0.0) + said[1]
            if len(self._bonuses) >= 4:
                self._bonuses.clear()
            self._bonuses[key] = found
        return found

    def _free(self, defaults: tuple[int, ...]) -> dict[int, float]:
        """{doc: weight} of the words a document says that are the classification's
        default wording, not said: what it leaves unspecified (:meth:`unspecified_as_to`)
        and the words of the reading's default phrases numbered ``defaults`` ("single
        episode"), found once per set. They are not of the words a text says more than
        the query asked, nor of those it matched: "other" finds no K56.699 "Other
        intestinal obstruction unspecified as to partial versus complete obstruction", and
        "disorder" no "Major depressive disorder, single episode, in full remission"."""
        found = self._frees.get(defaults)
        if found is None:
            found = dict(self.unspecified_as_to())
            for k in defaults:
                phrase, free, _, _ = self.reading.defaults[k] if self.reading else \
                    ((), (), frozenset(), frozenset())
                for d, weight in self._phrase(phrase, free).items():
                    found[d] = found.get(d, 0.0) + weight
            self._frees[defaults] = found
        return found

    def _phrase(self, words: tuple[str, ...], free: tuple[str, ...]) -> dict[int, float]:
        """{doc: weight} of the documents that say every word of ``words`` (essential),
        the weight the rarities' sum of its ``free`` words (found once per phrase: the few
        of a :class:`Reading`'s defaults)."""
        key = "phrase " + " ".join(words)
        found = self._weights.get(key)
        if found is None:
            docs = frozenset.intersection(*(self.essential_docs(w) for w in words)) \
                if words else frozenset()
            weight = sum(self.idf(self.word_id[w]) for w in free if w in self.word_id)
            found = self._weights[key] = dict.fromkeys(docs, weight)
        return found

    def _narrow(self, kinds: frozenset[str]) -> dict[int, float]:
        """{doc: factor} of the documents of the kinds of ``kinds`` (QUALIFIED a kind),
        found once per set of kinds."""
        found = self._narrows.get(kinds)
        if found is None:
            found = {}
            for kind in kinds:
                for d in self._of_kind(kind):
                    found[d] = found.get(d, 1.0) * QUALIFIED
            if len(self._narrows) >= 16:  # a set per kinds a query names: a few in use
                self._narrows.clear()
            self._narrows[kinds] = found
        return found

    def _negated(self, word: str) -> tuple[dict[int, int], float] | None:
        """({doc: 1} of the documents that say a qualifier ``word`` negated ("non-
        pressure"), the weight of the two words), found once per word; None when none
        does."""
        if word not in self._negations:
            docs = self.essential_docs("non") & self.essential_docs(word)
            self._negations[word] = None if not docs else (
                dict.fromkeys(docs, 1), self.idf(self.word_id[word]) +
                self.idf(self.word_id["non"]))
        return self._negations[word]

    def negating_docs(self) -> frozenset[int]:
        """The documents that say "not", "without" or "non" (5,500 of the ICD-10-CM
        index's 114,000), found once."""
        if self._negating is None:
            found: set[int] = set()
            for word in (*_NEGATING, "non"):
                w = self.word_id.get(word)
                if w is not None:
                    found.update(x >> 1 for x in self.postings[self.offsets[w]:self.offsets[w + 1]])
            self._negating = frozenset(found | set(self.unspecified_as_to()))
        return self._negating

    def unspecified_as_to(self) -> dict[int, float]:
        """{doc: weight} of the documents that say what they leave unspecified ("Partial
        intestinal obstruction, unspecified as to cause"; "..., unspecified whether traffic
        or nontraffic accident"), the weight that of those words: the classification's
        default wording, which says nothing a query did not ask (no word of a text's
        precision) and does not say the words it names (:meth:`unsaid`: K56.609's
        "unspecified as to partial versus complete" says no partial obstruction). Found
        once, by a scan of the texts for the phrase (241 of the ICD-10-CM index's
        114,000)."""
        if self._unspecified is None:
            found: dict[int, float] = {}
            if self.n:
                self.text(0)
                assert self._text is not None
                blob, starts = self._text
                for phrase in (b"nspecified as to ", b"nspecified whether "):
                    i = blob.find(phrase)
                    while i >= 0:
                        d = bisect.bisect_right(starts, i) - 1
                        end = _CLAUSE_END.search(blob, i + len(phrase))
                        stop = end.start() if end else starts[d + 1] - 1
                        tail = blob[i + len(phrase):stop]
                        # its words the text does not say elsewhere ("Other intestinal
                        # obstruction unspecified as to partial versus complete obstruction")
                        rest = blob[starts[d]:i] + b" " + blob[stop:starts[d + 1] - 1]
                        said = set(tokens(rest.decode("utf-8", "replace")))
                        weight = sum(self.idf(self.word_id[t])
                                     for t in set(tokens(tail.decode("utf-8", "replace")))
                                     if t in self.word_id and t not in FILLER and t not in said)
                        found[d] = found.get(d, 0.0) + weight
                        i = blob.find(phrase, i + 1)
            self._unspecified = found
        return self._unspecified

    def unsaid(self, doc: int) -> tuple[frozenset[str], frozenset[str]]:
        """(the words document ``doc`` says negated and nowhere else, the words it says
        otherwise), read once per document: "Nausea without vomiting" does not say
        vomiting, "Enterocolitis due to Clostridium difficile, not specified as recurrent"
        does not say recurrent, "Non-ST elevation (NSTEMI) myocardial infarction" does not
        say ST, "Unspecified intestinal obstruction, unspecified as to partial versus
        complete obstruction" does not say partial (words in parentheses are
        nonessential and not read).

        >>> index = Index(*pack_index([("R110", "Nausea without vomiting", TITLE),
        ...                            ("I214", "Non-ST elevation (NSTEMI) MI", TITLE)]))
        >>> index.unsaid(0), index.unsaid(1)[0]
        ((frozenset({'vomiting'}), frozenset({'nausea'})), frozenset({'st'}))
        """
        found = self._unsaid.get(doc)
        if found is None:
            negated: set[str] = set()
            said: set[str] = set()
            for clause in _CLAUSE.split(_PAREN.sub(" ", self.text(doc))):
                # 0: said; 1: the next word negated ("non"); 2: to the end of the phrase;
                # 3: to the end of the clause
                state = 0
                after_with = False
                before = ("", "")  # the two words before
                for word in _words(clause, self.expand):
                    before, last = (before[1], word), before
                    if (word == "whether" and last[1] == "unspecified") or \
                            (word == "to" and last == ("unspecified", "as")):
                        state = 3  # "unspecified as to partial versus complete": to the end
                        continue
                    if state == 3:
                        if word not in STOP:
                            negated.add(stem(word))
                        continue
                    if word in _NEGATING and not after_with:
                        state = 2
                        continue
                    after_with = (word == "or" and after_with) or word == "with"
                    if word == "non":
                        state = 1
                        continue
                    if word in _UNNEGATED:
                        state = 0
                    if word in STOP:
                        continue
                    (negated if state else said).add(stem(word))
                    if state == 1:
                        state = 0
            found = (frozenset(negated - said), frozenset(said))
            self._unsaid[doc] = found
        return found

    def _unsay(self, doc: int, asked: list[tuple[dict[str, float], float]], cover: float,
               precise: float) -> tuple[float, float]:
        """``doc``'s matched query weight and essential weight without the query words it
        says negated (see :meth:`unsaid`); ``asked``: per query word, its words in the index
        with the weight each adds to a text's essential words (0 for a filler word), and
        its weight in the query."""
        negated, said = self.unsaid(doc)
        for names, weight in asked:
            for name, idf in names.items():
                if name in negated:
                    if said.isdisjoint(names):
                        cover -= weight
                        precise -= idf
                    break
        return cover, max(precise, 0.0)

    def _score(self, words: list[str], best: dict[int, tuple[float, int, int, int]],
               slot: int | None = None, query: Query | None = None,
               variant: int = 0, full: _Full | None = None) -> None:
        reading = self.reading if query is not None else None
        groups = []
        said_sides, side_names = (query.sides, query.side_names) \
            if reading is not None and query is not None else ((), ())
        for t in dict.fromkeys(words):
            alts = self._alternatives(t, slot)
            if t in said_sides:  # a side as the query said it too ("both eyes")
                for name in side_names:
                    if SIDE_NAMES.get(name) == t:
                        alts = alts + [a for a in self._alternatives(name, slot)
                                       if a not in alts]
            df = sum(self.df(w) for w, _ in alts)
            groups.append((alts, math.log(1 + self.n / max(df, 1)), df, t))
        if reading is not None and query is not None and query.sides:
            # a side weighs as much as the query's other words on average (its own
            # rarity is small: thousands of texts say "left")
            others = [g[1] for g in groups if g[3] not in reading.sides]
            if others:
                mean = sum(others) / len(others)
                groups = [(a, max(wt, mean) if t in reading.sides else wt, df, t)
                          for a, wt, df, t in groups]
        total = sum(g[1] for g in groups)
        if total <= 0:
            return
        groups.sort(key=lambda g: g[2])
        cover: dict[int, float] = {}  # doc -> matched query weight
        precise: dict[int, float] = {}  # doc -> matched essential weight
        penalty: dict[int, float] = {}
        common = 2000
        postings, offsets = self.postings, self.offsets
        sides = query.sides if reading is not None and query is not None else ()
        termed = self.termed()
        free = termed.free if termed is not None else frozenset()
        # a number of the query is said by a text whose range holds it ("bmi 42":
        # "40.0-44.9"), as much as the range's words weigh (ICD-10-CM's texts), once the
        # words are read: a number finds no text its words did not find
        numbers: list[tuple[float, dict[int, float], set[int], float]] = []
        # a side word names no condition: it adds to the texts the query's other words
        # found and seeds none ("s/p left bka" scored every text that says "left", 16,235
        # of them, when "bka" found none: 90 ms for "no good match"); a query of side
        # words only is read as words (``read``)
        pending = list(groups)
        deferred: set[str] = set()
        k_group = 0
        while k_group < len(pending):
            alts, weight, df, t = pending[k_group]
            k_group += 1
            if t in sides and not cover:
                if t not in deferred and any(g[3] not in sides
                                             for g in pending[k_group:]):
                    deferred.add(t)
                    pending.append((alts, weight, df, t))
                continue  # (else nothing else found a text: the side alone is no condition)
            ranged = self.ranged(t) if reading is not None and t[:1].isdigit() else {}
            if ranged:
                said_here: set[int] = set()
                numbers.append((weight, ranged, said_here,
                                max((self.idf(w) for w, _ in alts), default=0.0)))
            if not alts:
                continue
            if cover and df > common:
                # a common word: only the candidates the rarer words found
                found = False
                for w, pen in alts:
                    members = self._members_of(w)
                    idf = 0.0 if w in free else self.idf(w)
                    for d in list(cover):
                        ess = members.get(d)
                        if ess is None:
                            continue
                        found = True
                        self._hit(d, ess, weight, idf, pen, cover, precise, penalty)
                        if ranged:
                            said_here.add(d)
                if not found and t in sides:
                    # a side no text of the condition says: the condition has no side in
                    # the classification (I.B.13 is of codes that do), and the side is
                    # no word to match ("left lower lobe pneumonia": J18.9)
                    total -= weight
                continue
            seen_here: set[int] = set()
            for w, pen in alts:
                idf = 0.0 if w in free else self.idf(w)
                for x in postings[offsets[w]:offsets[w + 1]]:
                    d = x >> 1
                    if d in seen_here:
                        continue
                    seen_here.add(d)
                    self._hit(d, x & 1, weight, idf, pen, cover, precise, penalty)
            if ranged:
                said_here |= seen_here
        for weight, ranged, said_here, idf_word in numbers:
            seed = not cover  # the query is numbers only
            for d, idf in ranged.items():
                if d in said_here:  # the number as a word of it: the range says more
                    if idf > idf_word:
                        precise[d] = precise.get(d, 0.0) + idf - idf_word
                elif seed or d in cover:
                    self._hit(d, 1, weight, idf, 1.0, cover, precise, penalty)
        if not cover:
            return
        if termed is not None:
            termed.weigh(self, groups, words, cover, penalty)
        top = max(cover.values())
        floor = top * 0.5
        # other slots' documents are not texts of the date: skipped below, and the
        # floor is that of the best document on the slot
        off = self.off_slot(slot) if slot is not None and self.slots else frozenset()
        if off:
            high = [d for d, c in cover.items() if c >= floor]
            if all(d in off for d in high if cover[d] == top):
                top = max((c for d, c in cover.items() if d not in off), default=0.0)
                if top <= 0:
                    return
                floor = top * 0.5
        # a text's negated words are not matched ("Nausea without vomiting" for "nausea and
        # vomiting"), unless the query says a negation too: a text's matched weights as
        # (cover, essential) without them (a document that says no negation: as found).
        # Read so for an index with a Reading (ICD-10-CM's titles); the descriptor table
        # reads a bi-level device "w/o backup" as one (HCPCS: "bipap" is E0470 too)
        negating = self.negating_docs() if reading is not None and query is not None and \
            not query.negates and NEGATIONS.isdisjoint(words) else frozenset()
        asked = [({self.vocab[w]: 0.0 if self.vocab[w] in FILLER else self.idf(w)
                   for w, _ in g[0]}, g[1]) for g in groups if g[0]] if negating else []
        names = frozenset(n for a in asked for n in a[0])

        def said(d: int) -> tuple[float, float]:
            if d in negating and not names.isdisjoint(self.unsaid(d)[0]):
                return self._unsay(d, asked, cover[d], precise.get(d, 0.0))
            return cover[d], precise.get(d, 0.0)

        weights, sources, owner_of = self.doc_weight, self.doc_source, self.doc_owner
        # the words a text may say without saying more than the query asked (DEFAULTS;
        # the reading's; "unilateral" for a side; a kind said negated, "Non-pressure"), as
        # one {doc: weight}; the kinds of text the query does not name as one {doc:
        # factor}; the query's reading: which documents are of it (``ok``)
        may = {w for w in DEFAULTS if w not in words}
        ok: Callable[[int], bool] | None = None
        unnamed: frozenset[str] = frozenset()
        if reading is not None and query is not None:
            # a kind named by any reading of the query ("ca": "malignant neoplasm")
            named = {w for v in query.variants for w in v} | set(words) | \
                ({query.reading} if query.reading else set())
            if query.reading is not None:
                satisfy, forbid, counts = reading.readings[query.reading]
                ok = self._of_reading(query.reading, satisfy, forbid).__contains__
                may |= counts - set(words)
                if reading.after and query.reading != "family":
                    # a text of a condition after another (I69 "... following cerebral
                    # infarction") that matches more of the query than the reading's
                    # texts (the deficit it names too) is of the reading
                    later = self._of_reading("after", reading.after, frozenset())
                    top_ok = max((said(d)[0] for d in cover if ok(d) and d not in off),
                                 default=0.0)
                    more = {d for d, c in cover.items() if c > top_ok and d in later and
                            said(d)[0] > top_ok * (1 + 1e-9)} if top_ok > 0 else set()
                    if more:
                        ok = _either(ok, more)
            for side in query.sides:
                may |= reading.sides.get(side, frozenset()) - set(words)
            unnamed = reading.unnamed(named)
        bonus = self._bonus(frozenset(may), unnamed)
        narrow = self._narrow(unnamed)
        # the default wording a text says: what it leaves unspecified, and the default
        # phrases of the condition the query names ("single episode" of a depressive
        # disorder) when it says none of their words
        free_of = self._free(tuple(
            k for k, (_, _, other, of) in enumerate(reading.defaults)
            if other.isdisjoint(words) and not of.isdisjoint(words))) \
            if reading is not None and query is not None else {}
        # the weight of a text that says every word, while no plain one has (:class:`_Full`)
        whole = total * (1 - 1e-9) if full is not None and not full.plain else 0.0
        for d, c in cover.items():
            if c < floor or d in off:
                continue
            exact = precise.get(d, 0.0)
            if d in negating and not names.isdisjoint(self.unsaid(d)[0]):
                c, exact = self._unsay(d, asked, c, exact)
                if c < floor:
                    continue
            tier = 0 if ok is None or ok(d) else 1
            q = c / total
            dw = weights[d] - termed.free_weight.get(d, 0.0) if termed is not None else \
                weights[d] - free_of.get(d, 0.0)
            matched = exact + bonus.get(d, 0.0)
            p = min(matched / dw, 1.0) if dw > 0 else 1.0
            score = WEIGHTS.get(sources[d], 0.8) * q * q * (0.35 + 0.65 * p) * \
                penalty.get(d, 1.0)
            o = owner_of[d]
            factor = narrow.get(d, 1.0)
            if whole and c >= whole and not tier and full is not None:  # says every word
                if factor >= 1.0:
                    full.plain = True
                    whole = 0.0
                else:
                    full.found.append((d, o, score, variant, unnamed))
            score *= factor
            old = best.get(o)
            # better: of the query's reading, else a better score (by more than the
            # rounding of the weights: a later variant's tie keeps the earlier's text)
            if old is None or tier < old[2] or (tier == old[2] and score > old[0] + 1e-6):
                best[o] = (score, d, tier, variant)

    def termed(self) -> _Termed | None:
        """The documents of the words of :attr:`terms` (None without terms), found once."""
        if self.terms is None:
            return None
        if self._termed is None or self._termed.terms is not self.terms:
            self._termed = _Termed.of(self, self.terms)
        return self._termed

    @staticmethod
    def _hit(d: int, ess: int, weight: float, idf: float, pen: float,
             cover: dict[int, float], precise: dict[int, float],
             penalty: dict[int, float]) -> None:
        cover[d] = cover.get(d, 0.0) + weight
        if ess:
            precise[d] = precise.get(d, 0.0) + idf
        if pen < 1.0:
            penalty[d] = penalty.get(d, 1.0) * pen


@attrs.frozen
class _Termed:
    """The documents of an index's :class:`Terms` words, found when first searched: the
    ids of the free words and each document's free essential weight, the documents of each
    route, of any route, of drug codes and of parts."""

    terms: Terms
    free: frozenset[int]
    free_weight: dict[int, float]
    routes: dict[str, frozenset[int]]
    any_route: frozenset[int]
    drugs: frozenset[int]
    parts: frozenset[int]

    @classmethod
    def of(cls, index: Index, terms: Terms) -> _Termed:
        free = frozenset(i for i, w in enumerate(index.vocab)
                         if w in terms.free or _DOSE.fullmatch(w))
        weight: dict[int, float] = {}
        for w in free:
            idf = index.idf(w)
            for x in index.postings[index.offsets[w]:index.offsets[w + 1]]:
                if x & 1:
                    weight[x >> 1] = weight.get(x >> 1, 0.0) + idf
        routes: dict[str, set[int]] = {}
        for word, route in terms.routes.items():
            routes.setdefault(route, set()).update(index.essential_docs(word))
        owners = [o.startswith(terms.drugs) for o in index.owners]
        drugs = frozenset(d for d, o in enumerate(index.doc_owner) if owners[o])
        parts = frozenset().union(*(index.essential_docs(w) for w in terms.parts))
        return cls(terms, free, weight, {r: frozenset(d) for r, d in routes.items()},
                   frozenset().union(*routes.values()), drugs, parts)

    def weigh(self, index: Index, groups: list[tuple[list[tuple[int, float]], float, int,
                                                     str]],
              words: list[str], cover: dict[int, float], penalty: dict[int, float]) -> None:
        """Weigh the matches ``cover`` (doc -> matched query weight) of the query
        ``words`` (their ``groups``: alternatives, weight, frequency, word) by route and
        part: a route word of the query is matched by a text of its route that says it
        otherwise ("infusion": "Bevacizumab injection") and by a drug code's text that
        names no route when it is the default one; a text of another route only, or of a
        part the query does not name, gets a ``penalty`` factor."""
        terms = self.terms
        asked = [(terms.routes[t], weight, index.essential_docs(t))
                 for _, weight, _, t in groups if t in terms.routes]
        if asked:
            own = frozenset().union(*(self.routes.get(r, frozenset()) for r, _, _ in asked))
            default = terms.default_route
            for d in cover:
                if d in self.any_route and d not in own:
                    penalty[d] = penalty.get(d, 1.0) * OTHER_ROUTE
                    continue
                for route, weight, said in asked:
                    if d in said:
                        continue
                    if d in self.routes.get(route, frozenset()) or (
                            route == default and d not in self.any_route and d in self.drugs):
                        cover[d] += weight
        if self.parts and terms.parts.isdisjoint(words):
            for d in cover:
                if d in self.parts:
                    penalty[d] = penalty.get(d, 1.0) * PART


class _Full:
    """The texts that say every word of a query, over the readings of it (``Index.search``
    with a :class:`Reading`): whether one is of no kind the query leaves unnamed
    (``plain``), and the others as (doc, owner, undiscounted score, variant, the kinds
    the query left unnamed), until one is plain."""

    __slots__ = ("found", "plain")

    def __init__(self) -> None:
        self.plain = False
        self.found: list[tuple[int, int, float, int, frozenset[str]]] = []

    def defaults(self, index: Index) -> dict[int, tuple[float, int, int, int]]:
        """{owner: (score, doc, tier, variant)} of the texts of the one kind that alone
        says every word, undiscounted; empty when a plain text says them, or texts of two
        kinds."""
        if self.plain or not self.found:
            return {}
        kinds = {k for d, _, _, _, unnamed in self.found for k in unnamed
                 if d in index._of_kind(k)}
        if len(kinds) != 1:
            return {}
        out: dict[int, tuple[float, int, int, int]] = {}
        for d, owner, score, variant, _ in self.found:
            old = out.get(owner)
            if old is None or score > old[0] + 1e-6:
                out[owner] = (score, d, 0, variant)
        return out


_SYNONYMS: list[dict[str, list[list[str]]]] = []
_ITEMS: list[dict[str, list[list[str]]]] = []
_ALONE: list[dict[str, list[list[str]]]] = []
_PLAIN: dict[int, dict[str, list[str]]] = {}


#: What a text of another reading than the query's keeps of its score: less than half,
#: so that it is never a good match (:data:`WEAK`), whatever its words.
OTHER_READING = 0.49


def _either(first: Callable[[int], bool], more: set[int]) -> Callable[[int], bool]:
    """Whether a document is of ``first`` or among ``more``."""
    return lambda d: first(d) or d in more


def _shown(hit: tuple[float, int, int, int]) -> float:
    """The score of a ranked (score, doc, tier): a text of another reading than the
    query's (tier 1) is never a good match."""
    return hit[0] * OTHER_READING if hit[2] == 1 else hit[0]


def _untyped(words: list[str]) -> list[str]:
    """``words`` without the type they name ("type 2 diabete mellitus": "diabete
    mellitus"), for a query that states its own.

    >>> _untyped(["type", "2", "diabete", "mellitus", "with", "ketoacidosis"])
    ['diabete', 'mellitus', 'with', 'ketoacidosis']
    """
    if "type" not in words:
        return words
    out: list[str] = []
    skip = False
    for k, w in enumerate(words):
        if skip:
            skip = False
            continue
        if w == "type" and k + 1 < len(words):
            skip = True
            continue
        out.append(w)
    return out


def _marker(words: list[str], markers: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """(the reading of the first marker phrase of ``words``, the words without it); (None,
    ``words``) when there is none, or nothing else."""
    for i in range(len(words)):
        for size in (3, 2, 1):
            found = markers.get(" ".join(words[i:i + size])) if i + size <= len(words) \
                else None
            if found is not None:
                rest = words[:i] + words[i + size:]
                return (found, rest) if rest else (None, words)
    return None, words


def item_table() -> dict[str, list[list[str]]]:
    """:data:`codekit._synonyms.ITEMS` keyed by stemmed words, values as word lists."""
    if not _ITEMS:
        _ITEMS.append({" ".join(tokens(k)): [tokens(a) for a in alts]
                       for k, alts in ITEMS.items()})
    return _ITEMS[0]


def alone_table() -> dict[str, list[list[str]]]:
    """:data:`codekit._synonyms.ALONE` (a drug an ICD-10-CM query names alone, as its long
    term use) keyed by stemmed words, values as word lists, for :attr:`Index.items`."""
    if not _ALONE:
        _ALONE.append({" ".join(tokens(k)): [tokens(a) for a in alts]
                       for k, alts in ALONE.items()})
    return _ALONE[0]


def _synonym_table() -> dict[str, list[list[str]]]:
    """:data:`codekit._synonyms.QUERY` keyed by stemmed words, values as word lists."""
    if not _SYNONYMS:
        table: dict[str, list[list[str]]] = {}
        for key, alts in QUERY.items():
            k = " ".join(tokens(key))
            if not k:
                continue
            table.setdefault(k, [])
            for alt in alts:
                words = tokens(alt)
                if words and words != k.split() and words not in table[k]:
                    table[k].append(words)
        for key, alts in DIRECTED.items():  # the key as read: one word with its space
            table[key] = [tokens(alt) for alt in alts]
        _SYNONYMS.append({k: v for k, v in table.items() if v})
    return _SYNONYMS[0]
