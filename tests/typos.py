"""Coder's typos of ICD-10-CM codes, shared by the tests and the benches (no test here)."""

from __future__ import annotations

import random
from collections.abc import Container

#: Characters coders confuse (letter O and zero, I and one...).
CONFUSE = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B",
           "Z": "2", "2": "Z"}


def typo(rng: random.Random, code: str, known: Container[str]) -> str:
    """``code`` with one typo -- a confusable character, two neighbours swapped, or a
    dropped character -- that is not in ``known`` (``code + "9"`` after 20 tries)."""
    for _ in range(20):
        i = rng.randrange(len(code))
        kind = rng.randrange(3)
        if kind == 0 and code[i] in CONFUSE:
            t = code[:i] + CONFUSE[code[i]] + code[i + 1:]
        elif kind == 1 and i + 1 < len(code):
            t = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        else:
            t = code[:i] + code[i + 1:]
        if t not in known and len(t) >= 3:
            return t
    return code + "9"
