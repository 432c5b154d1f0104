"""Griffe extension: ``#:`` comments above an assignment are the attribute's docstring.

codekit documents its constants and the fields of its attrs classes the way Sphinx's
autodoc reads them, with ``#:`` comment lines just above the assignment::

    #: The most problems the report of a claim that cannot be read lists.
    MAX_PROBLEMS = 100

Griffe (which mkdocstrings uses to read the sources) only knows string literals after an
assignment, so without this extension the API reference leaves such attributes out
(``show_if_no_docstring: false``). mkdocs.yml loads it (``extensions:`` of the python
handler), and ``tests/test_api_docstrings.py`` checks the public API with it.
"""

from __future__ import annotations

from typing import Any

import griffe


def comment_above(lines: list[str], lineno: int) -> str | None:
    """The ``#:`` comment block that ends on the line above ``lineno`` (1-based), its
    lines without the ``#:`` marker and one space; None when there is none.

    >>> comment_above(["x = 1", "#: The answer,", "#:   told twice.", "ANSWER = 42"], 4)
    'The answer,\\n  told twice.'
    >>> comment_above(["# a plain comment", "ANSWER = 42"], 2) is None
    True
    """
    found: list[str] = []
    i = lineno - 2
    while i >= 0:
        text = lines[i].strip()
        if not text.startswith("#:"):
            break
        found.append(text[2:][1:] if text[2:3] == " " else text[2:])
        i -= 1
    if not found:
        return None
    return "\n".join(reversed(found)).strip() or None


class CommentDocstrings(griffe.Extension):
    """Give an attribute with no docstring the ``#:`` comment above it."""

    def on_attribute_instance(self, *, node: Any, attr: griffe.Attribute, agent: Any,
                              **kwargs: Any) -> None:
        """Called by griffe for every attribute it reads from the sources."""
        if attr.docstring is not None and attr.docstring.value.strip():
            return
        if attr.lineno is None:
            return
        try:
            lines = attr.lines_collection[attr.filepath]  # type: ignore[index]
        except (KeyError, TypeError, AttributeError):
            return
        text = comment_above(list(lines), attr.lineno)
        if text is not None:
            attr.docstring = griffe.Docstring(text, lineno=attr.lineno - 1, parent=attr)
