"""Loading the grammars in ``grammars/*.lark`` (package data) and caching their parsers.

The grammars are the single source of truth for code formats. In an installed wheel they
live in ``codekit/grammars/``; in a source checkout they are read from the top-level
``grammars/`` folder. lark is imported only when a parser is first needed, so
``import codekit`` stays cheap.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError

if TYPE_CHECKING:
    from lark import Lark

__all__ = ["grammar_text", "parser"]

_REPO_GRAMMARS = Path(__file__).resolve().parents[2] / "grammars"


@functools.cache
def grammar_text(name: str) -> str:
    """Text of ``grammars/<name>`` from the package (or the source tree)."""
    packaged = Path(__file__).resolve().parent / "grammars" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    path = _REPO_GRAMMARS / name
    if path.is_file():
        return path.read_text(encoding="utf-8")
    raise DataError(f"grammar {name!r} not found in the codekit package or {_REPO_GRAMMARS}")


# Kept for callers written against the first name of this helper.
_load_grammar_text = grammar_text


@functools.cache
def parser(name: str, start: str = "start", **options: Any) -> Lark:
    """A cached LALR parser for ``grammars/<name>``."""
    from lark import Lark

    opts: dict[str, Any] = {"parser": "lalr", "start": start}
    opts.update(options)
    return Lark(grammar_text(name), **opts)
