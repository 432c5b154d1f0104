"""MkDocs hook: show the doctest examples of docstrings and pages as Python console code.

Docstrings carry runnable examples (``>>> ...`` and their output), which pytest runs as
doctests. Markdown does not know them: unfenced, their output (``['E11.65']``) reads as
reference links. This hook adds a Markdown preprocessor, for the pages and for the
docstrings mkdocstrings renders, that fences every ``>>>`` block outside a fence as
``pycon`` code.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

_FENCE = re.compile(r"^\s*(```|~~~)")


class _DoctestFences(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = False
        i = 0
        while i < len(lines):
            line = lines[i]
            if _FENCE.match(line):
                fenced = not fenced
            if fenced or not line.lstrip().startswith(">>>"):
                out.append(line)
                i += 1
                continue
            indent = line[: len(line) - len(line.lstrip())]
            out += ["", f"{indent}```pycon"]
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out += [f"{indent}```", ""]
        return out


class DoctestFences(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # the name is the Markdown API's
        md.preprocessors.register(_DoctestFences(md), "doctest_fences", 40)


def on_config(config: Any) -> Any:
    config.markdown_extensions.append(DoctestFences())
    return config
