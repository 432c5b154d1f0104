"""Reading policy text into a syntax tree with ``grammars/policy.lark``.

Only the shape is checked here; :mod:`codekit.policies._compile` gives each word its
meaning. lark's errors become :class:`PolicyError` with the line, the column and, in
words, what could have stood there:

>>> parse("rule R1\\n  require dx in {I10\\nend", file="r.policy")
Traceback (most recent call last):
...
codekit.errors.PolicyError: r.policy:3:1: unexpected keyword 'end'
  end
  ^
expected: ',' or '}'
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._grammars import grammar_text
from .._grammars import parser as _grammar_parser
from ._errors import PolicyError, source_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from lark import Lark, Token, Tree

__all__ = ["TABLES", "grammar_sha256", "parse", "write_tables"]

GRAMMAR = "policy.lark"

#: How the named terminals are described in "expected: ..." (keywords show as 'word').
_DESCRIBE = {
    "WORD": "a word (code, range, set name, date, number or field name)",
    "STRING": 'a text in double quotes ("...")',
    "$END": "the end of the file",
}
#: Order of the descriptions: words and texts first, then keywords and symbols.
_FIRST = ("WORD", "STRING")


#: The LALR tables of the grammar, serialised by :func:`write_tables` (JSON, no pickle),
#: so a process does not rebuild them (60 ms) on its first policy load.
TABLES = Path(__file__).with_name("_parser_tables.json")
#: A snippet the loaded tables must parse, as a smoke test.
_SMOKE = 'set S = I10\nrule R\n  source: "s"\n  for each line where procedure in 99213\n' \
    '  require not pointed dx in S\n  example pass { on 2025-01-01 }\nend\n'


def grammar_sha256() -> str:
    import hashlib

    return hashlib.sha256(grammar_text(GRAMMAR).encode("utf-8")).hexdigest()


def _int_keys(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    # JSON keys are text: LALR states and memo ids are numbers.
    return {int(k) if k.isdigit() else k: v for k, v in pairs}


def _from_tables() -> Lark | None:
    """The parser from :data:`TABLES` when they match the grammar; None otherwise."""
    from lark import Lark

    try:
        stored = json.loads(TABLES.read_text(encoding="utf-8"), object_pairs_hook=_int_keys)
        if stored.get("grammar_sha256") != grammar_sha256():
            return None
        lark = Lark._load_from_dict(stored["data"], stored["memo"], postlex=_POSTLEX)
        lark.parse(_SMOKE)
    except Exception:  # missing, stale or from an incompatible lark: build instead
        return None
    return lark


class _Glued(Exception):
    """A keyword written against the word after it (``ruleR1``, ``setS``, ``eachline``):
    where no word may stand, the lexer would read the keyword and start a new token."""

    def __init__(self, keyword: Token, rest: Token) -> None:
        super().__init__(str(keyword))
        self.keyword = keyword
        self.rest = rest


_WORDISH = re.compile(r"[A-Za-z0-9_.]")


class _Separate:
    """A lark post-lexer that refuses two tokens written without a space between them
    when both are words or keywords: the lexer only splits such a run when a keyword is a
    prefix of it (``sett`` read as ``set`` then ``t``), which is always a typo."""

    always_accept: tuple[str, ...] = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        prev: Token | None = None
        for tok in stream:
            if (prev is not None and tok.start_pos == prev.end_pos
                    and _WORDISH.match(str(prev)[-1:]) and _WORDISH.match(str(tok)[:1])
                    and prev.type != "STRING" and tok.type != "STRING"):
                raise _Glued(prev, tok)
            prev = tok
            yield tok


_POSTLEX = _Separate()


@functools.cache
def _lark() -> Lark:
    return _from_tables() or _grammar_parser(GRAMMAR, postlex=_POSTLEX)


def write_tables(path: Path = TABLES) -> Path:
    """Serialise the grammar's LALR tables to ``path``. Run it after editing the grammar
    (``python -c "from codekit.policies._parser import write_tables; write_tables()"``);
    ``tests/test_policies.py`` fails while the tables are stale. Stale or missing tables
    only cost speed: the parser is then built from the grammar."""
    import lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = _grammar_parser(GRAMMAR).memo_serialize([TerminalDef, Rule])
    payload = {"grammar_sha256": grammar_sha256(), "lark": lark.__version__,
               "data": data, "memo": memo}
    path.write_text(json.dumps(payload, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


def _describe(names: set[str] | frozenset[str], lark: Lark) -> str:
    out: list[str] = []
    for name in sorted(names, key=lambda n: (n not in _FIRST, _FIRST.index(n)
                                              if n in _FIRST else 0, n)):
        text = _DESCRIBE.get(name)
        if text is None:
            try:
                pattern = lark.get_terminal(name).pattern
            except KeyError:
                text = name.lower()
            else:
                text = repr(pattern.value) if pattern.type == "str" else name.lower()
        if text not in out:
            out.append(text)
    return out[0] if len(out) == 1 else ", ".join(out[:-1]) + " or " + out[-1]


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


#: Parentheses nest at most this deep (conditions nest at most 32 deep, and each level
#: takes one or two): deeper text is refused before it is parsed, not after seconds of it.
MAX_PARENS = 64
_SCAN = re.compile(r'"(?:[^"\\\n]|\\["\\])*"|#[^\n]*|[()\n]')


def _too_deep(text: str, file: str) -> PolicyError | None:
    """A ``too_deep`` error at the first parenthesis deeper than :data:`MAX_PARENS`
    (outside texts and comments), else None."""
    if text.count("(") <= MAX_PARENS:
        return None
    depth, line, start = 0, 1, 0
    for m in _SCAN.finditer(text):
        ch = m.group()
        if ch == "\n":
            line, start = line + 1, m.end()
        elif ch == "(":
            depth += 1
            if depth > MAX_PARENS:
                return PolicyError(
                    f"parentheses nested more than {MAX_PARENS} deep", kind="too_deep",
                    file=file, line=line, column=m.start() - start + 1,
                    text=source_line(text, line),
                    expected="a flatter condition (name code sets instead of nesting)")
        elif ch == ")":
            depth = max(depth - 1, 0)
    return None


def _bad_escape(text: str, start: int) -> tuple[str, int] | None:
    r"""The first escape other than ``\"`` and ``\\`` in the text in double quotes that
    opens at ``start``, with its offset from ``start``; None when there is none before the
    end of the line (the text is then not closed on its line).

    >>> _bad_escape(r'"a\qb"', 0), _bad_escape(r'"a\"b"', 0), _bad_escape('"ab', 0)
    (('\\q', 2), None, None)
    """
    i = start + 1
    while i < len(text) and text[i] not in '"\n':
        if text[i] == "\\":
            follower = text[i + 1:i + 2]
            if follower in ('"', "\\"):
                i += 2
                continue
            if follower in ("", "\n", "\r"):
                return None
            return "\\" + follower, i - start
        i += 1
    return None


def _keywords(lark: Lark, names: Iterable[str] | None = None) -> list[str]:
    """The grammar's keywords (terminals that are a word), or those among ``names``."""
    wanted = None if names is None else set(names)
    return sorted({str(t.pattern.value) for t in lark.terminals if t.pattern.type == "str"
                   and _WORD_RUN.fullmatch(str(t.pattern.value))
                   and (wanted is None or t.name in wanted)})


def _close(word: str, candidates: list[str], keywords: list[str] | None = None) -> str:
    """`` (did you mean 'x'?)`` for a candidate close to ``word`` (not ``word`` itself);
    for a keyword written in capitals (``AND``, ``REQUIRE``: ``keywords`` or
    ``candidates`` has it in lower case), that keywords are lower case."""
    import difflib

    lower = word.lower()
    if lower != word and lower in (candidates if keywords is None else keywords):
        return f" (keywords are lower case: write '{lower}')"

    close = [c for c in difflib.get_close_matches(word, candidates, n=2, cutoff=0.75)
             if c != word]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _line_col(text: str, at: int) -> tuple[int, int]:
    r"""The line and column (both from 1) of the character at offset ``at`` of ``text``.

    >>> _line_col("rule R1\n  code: E11.9", 10)
    (2, 3)
    """
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _glued_error(text: str, start: int, keyword: str, file: str, lark: Lark) -> PolicyError:
    """A keyword written against the next word (``ruleR1``, ``sett``, ``nott``), at the
    start of the whole run of letters and digits."""
    m = _WORD_RUN.match(text, start)
    run = m.group() if m else keyword
    line, column = _line_col(text, start)
    return PolicyError(f"unexpected word {run!r}{_close(run, _keywords(lark))}", kind="syntax",
                       file=file, line=line, column=column, text=source_line(text, line),
                       expected=f"'{keyword}' as a word of its own, followed by a space")


_WORD_RUN = re.compile(r"[A-Za-z0-9_.]+")
#: ``end`` alone on its line, up to a ':' after it (``end: 2025-12-31``).
_END_THEN_COLON = re.compile(r"(?:^|\n)[ \t]*(end)[ \t]*\Z")
#: The words that start a statement of a rule (a word before ':' is a field name).
_STATEMENTS = ("require", "forbid", "deny", "when", "for", "example", "end", "where")
_PREVIOUS_WORD = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*)[ \t]*\n?[ \t]*\Z")


#: Quotation marks a word processor puts in for '"' (and "'"): never a text's quotes.
_CURLY_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019"
#: A header field's line: its name, and where its value starts.
_FIELD_LINE = re.compile(r"[ \t]*([A-Za-z_]+)[ \t]*:[ \t]*")


def _field_value_error(text: str, line: int, column: int, file: str) -> PolicyError | None:
    """When the parser stops inside a header field's value (``title: chiropractic rule``,
    ``source: NCD 20.35``, ``payer: Medicare Part B``: words it then reads as a new field):
    the error at the value, saying what the field takes and how to write it. None when the
    line is no field's, or the value is quoted (its own errors say more)."""
    from ._compile import _FIELD_EXPECT, FIELDS, payer_name_problem

    src = source_line(text, line)
    m = _FIELD_LINE.match(src)
    if m is None or m.group(1) not in FIELDS or column <= m.end() or '"' in src:
        return None
    name, kind = m.group(1), FIELDS[m.group(1)][0]
    value = src[m.end():].split("#", 1)[0].strip()
    if not value:
        return None
    if kind == "text":
        reason = f"{name!r} needs a text in double quotes"
        curly = value.strip(_CURLY_QUOTES)
        if curly != value:  # “NCD 20.35”, pasted from a word processor
            reason += ' (straight ones, ", not curly ones)'
        expected = f'{name}: "{curly}"'
    elif name == "payer":
        reason, expected = payer_name_problem(value)
    elif kind == "words":
        reason = f"{name!r} takes words separated by commas"
        expected = f"{name}: " + ", ".join(value.replace(",", " ").split())
    elif kind == "date":
        reason = f"{name!r} takes a date: {value!r} is not one"
        expected = _FIELD_EXPECT[kind] + ", e.g. 2025-10-01"
    else:
        reason = f"{name!r} takes one value"
        expected = _FIELD_EXPECT[kind]
    return PolicyError(reason, kind="bad_value", file=file, line=line, column=m.end() + 1,
                       text=src, expected=expected)


#: A header field's line with no value on it (``until:``, perhaps with a comment).
_EMPTY_FIELD = re.compile(r"[ \t]*([A-Za-z_]+)[ \t]*:[ \t]*(?:#[^\n]*)?\r?\Z")


def _empty_field_error(text: str, line: int, file: str) -> PolicyError | None:
    """When the parser stops on the line after a header field written with no value
    (``until:`` left to fill in, then ``source: "..."``: the next line's first word was
    read as its value): the error at that field, as the compiler gives it when the next
    line is a statement (``payer:`` then ``deny``). None when the line before ``line``
    (blank lines and comments skipped) is no such field.

    >>> print(_empty_field_error('rule R\\n  until:\\n  source: "s"\\n', 3, "r.policy"))
    r.policy:2:9: 'until' has no value
      until:
            ^
    expected: a date YYYY-MM-DD after 'until:' on the same line
    """
    from ._compile import _FIELD_EXPECT, FIELDS

    lines = text.split("\n")
    i = min(line, len(lines)) - 2  # the line before the error's, 0-based
    while i >= 0 and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        i -= 1
    m = _EMPTY_FIELD.match(lines[i]) if i >= 0 else None
    if m is None or m.group(1) not in FIELDS:
        return None
    name = m.group(1)
    return PolicyError(f"{name!r} has no value", kind="bad_value", file=file, line=i + 1,
                       column=lines[i].index(":", m.end(1)) + 2,
                       text=source_line(text, i + 1),
                       expected=f"{_FIELD_EXPECT[FIELDS[name][0]]} after '{name}:' on the "
                                "same line")


_FREQUENCY = ("a frequency over time (it needs the patient's earlier claims; a rule sees "
              "one claim)")
_PRIOR_AUTH = "a prior authorization or referral number (the claim model carries none)"
#: Words that start no test of the language (or name no field), with what they would
#: test: the language cannot say it, which a did-you-mean would hide.
NO_SUCH_TEST = {
    "specialty": "the provider's specialty", "provider": "the provider",
    "ndc": "a line's NDC", "condition": "the claim's condition codes",
    "condition_code": "the claim's condition codes",
    "condition_codes": "the claim's condition codes",
    "prior_auth": _PRIOR_AUTH, "prior_authorization": _PRIOR_AUTH, "auth": _PRIOR_AUTH,
    "authorization": _PRIOR_AUTH, "referral": _PRIOR_AUTH, "frequency": _FREQUENCY,
    "frequency_limit": _FREQUENCY, "lookback": _FREQUENCY, "history": _FREQUENCY,
}
#: Words of a frequency over time written after a test (``units <= 1 per 180 days``).
_FREQUENCY_WORDS = frozenset({"per", "within", "every", "once", "times"})
#: What a rule can say instead of a frequency over time.
_WITHIN_A_CLAIM = ("a limit within one claim (forbid units > 1; forbid any other line where "
                   "(procedure in J0897); ... on the same day where (...)): see 'What a "
                   "policy cannot say' in docs/policies.md")
#: Other names of tests the language has, with the test's own word.
_TEST_NAMES = {
    "place_of_service": "pos", "pos_code": "pos", "bill": "bill_type",
    "type_of_bill": "bill_type", "tob": "bill_type", "revenue": "revenue_code",
    "rev": "revenue_code", "rev_code": "revenue_code", "revenue_codes": "revenue_code",
    "pos": "pos", "bill_type": "bill_type", "revenue_code": "revenue_code",  # as POS = 11
}
#: Every test a condition can start with (the grammar's list is keywords only).
_TESTS = ("a test: procedure in SET, modifier in SET (or modifier AT), units > N, "
          "[any | all | no] [first | pointed] dx in SET, age >= N, sex = F, "
          "claim_type = professional, payer = medicare, dos >= DATE, pos in {02, 10}, "
          "bill_type = 131, revenue_code in {0450, 045x}, "
          "any | all | no [other] line where (...), not ..., or (...)")
#: Terminals that show the parser wants a test (a condition starts here).
_TEST_STARTS = frozenset({"PROCEDURE", "AGE", "DX", "SEX"})


def _unknown_test(tok: Token, file: str, lark: Lark, text: str) -> PolicyError:
    """A word where a test must start (``require pos = 11``): the whole list of tests, and
    what the word would test when the language has no such test."""
    word = str(tok)
    missing = NO_SUCH_TEST.get(word.lower())
    named = _TEST_NAMES.get(word.lower())
    reason = (f"unknown test {word!r}: policies cannot test {missing}" if missing else
              f"unknown test {word!r} (did you mean '{named}'?)" if named else
              f"unknown test {word!r}" + _close(word, _keywords(lark)))
    line = tok.line or 1
    return PolicyError(reason, kind="syntax", file=file, line=line, column=tok.column or 1,
                       text=source_line(text, line), expected=_TESTS)


#: Operators other languages write, with the policy language's own.
_OPERATORS = {"==": "=", "=>": ">=", "=<": "<=", "<>": "!=", "=!": "!=", "\u2265": ">=",
              "\u2264": "<=", "\u2260": "!="}
#: The comparison symbols of the grammar.
_OP_TOKENS = frozenset({"EQ", "NE", "LT", "GT", "LE", "GE"})
#: Tests of codes, which take a set (``in``), never a comparison.
_SET_TESTS = {"dx": "dx in {G47.33, G47.30}", "diagnosis": "diagnosis in {G47.33}",
              "diagnoses": "diagnoses in {G47.33}", "procedure": "procedure in {95810, 95811}",
              "modifier": "modifier 25, or modifier in {25, 59}"}


def _operator_error(text: str, pos: int, file: str) -> PolicyError | None:
    """When the parser stops at a comparison symbol: an operator of another language
    (``age => 18``, ``pos == 11``, ``age <> 18``) named with the one to write, or a code
    test written as a comparison (``dx = G47.33``, ``modifier = 25``); None otherwise."""
    two = text[pos - 1:pos + 1] if pos else ""
    if two in _OPERATORS:
        line, column = _line_col(text, pos - 1)
        return PolicyError(f"unknown operator {two!r}: write {_OPERATORS[two]!r}",
                           kind="syntax", file=file, line=line, column=column,
                           text=source_line(text, line),
                           expected="one of =, !=, <, <=, >, >= (or between, in)")
    m = _PREVIOUS_WORD.search(text, 0, pos)
    if m is None or m.group(1) not in _SET_TESTS:
        return None
    word = m.group(1)
    line, column = _line_col(text, pos)
    op = re.match(r"[=!<>]+", text[pos:])
    return PolicyError(f"'{word}' is tested with 'in' (a set of codes), not "
                       f"{op.group() if op else text[pos]!r}", kind="syntax", file=file,
                       line=line, column=column, text=source_line(text, line),
                       expected=_SET_TESTS[word])


#: A ``rule`` keyword and the word after it (its ID, or what was read as its ID).
_RULE_HEAD = re.compile(r"(?:^|\n)[ \t]*(rule)\s+(\"[^\"\n]*\"|[A-Za-z0-9_][^\s:]*)")
#: The words that open and close a file's items, at the start of a line.
_ITEM_WORDS = re.compile(r"(?:^|\n)[ \t]*(rule|set|end)\b")


def _rule_head_error(text: str, pos: int, file: str, at_end: bool = False
                     ) -> PolicyError | None:
    """When the parser stops in a rule whose head is wrong: ``rule`` with no ID (the
    first field or statement read as one: ``rule`` then ``source: "..."``), an ID in
    double quotes, or a rule with no ``end`` before the next ``rule`` or ``set`` (read as
    a field of it) or, ``at_end`` (the file ended where ``end`` could stand), before the
    end of the file; None otherwise."""
    from ._compile import FIELDS

    opened: re.Match[str] | None = None
    for m in _ITEM_WORDS.finditer(text):
        if m.start(1) > pos:
            break
        if m.group(1) == "end":
            opened = None
        elif opened is not None:  # rule R1 ... (no end) ... rule R2
            head = _RULE_HEAD.match(text, opened.start())
            rid = head.group(2) if head else "?"
            line, column = _line_col(text, m.start(1))
            return PolicyError(f"'{m.group(1)}' inside rule {rid!r} (line "
                               f"{_line_col(text, opened.start(1))[0]}), which has no 'end'",
                               kind="syntax", file=file, line=line, column=column,
                               text=source_line(text, line),
                               expected=f"'end' to close rule {rid!r} before the next "
                                        f"'{m.group(1)}'")
        elif m.group(1) == "rule":
            opened = m
    if opened is not None and at_end:  # the last rule has no 'end'
        head = _RULE_HEAD.match(text, opened.start())
        rid = head.group(2) if head else "?"
        line, column = _end_position(text)
        return PolicyError(f"unexpected end of file: rule {rid!r} (line "
                           f"{_line_col(text, opened.start(1))[0]}) has no 'end'",
                           kind="syntax", file=file, line=line, column=column,
                           text=source_line(text, line), expected=f"'end' to close rule {rid!r}")
    heads = [h for h in _RULE_HEAD.finditer(text) if h.start(1) <= pos]
    if not heads:
        return None
    head = heads[-1]
    word = head.group(2)
    if word.startswith('"') and head.start(2) == pos:  # rule "PSG-1"
        line, column = _line_col(text, pos)
        return PolicyError("a rule ID is written without quotes", kind="syntax", file=file,
                           line=line, column=column, text=source_line(text, line),
                           expected="rule " + "-".join(word.strip('"').split()))
    if word in FIELDS or word in _STATEMENTS:  # rule, then source: "..." on the next line
        line, column = _line_col(text, head.start(1))
        return PolicyError(f"'rule' has no ID ('{word}' was read as one)", kind="syntax",
                           file=file, line=line, column=column, text=source_line(text, line),
                           expected="an ID after 'rule', e.g. rule ACME-PSG-1")
    return None


def _not_a_field(text: str, pos: int, file: str, lark: Lark) -> PolicyError | None:
    """When the parser wants ':' because a misspelt statement (``requre dx in I10``,
    ``endd``) was read as a field name: the error at that word, naming what it may be; or,
    when the word continues a field's value on its line, the error about that value."""
    from ._compile import FIELDS

    m = _PREVIOUS_WORD.search(text, 0, pos)
    if m is None or m.group(1) in FIELDS:
        return None
    word = m.group(1)
    line, column = _line_col(text, m.start(1))
    src = source_line(text, line)
    field = _FIELD_LINE.match(src)
    if field is not None and field.group(1).lower() in NO_SUCH_TEST:  # frequency: 180 days
        return PolicyError(f"unknown field {field.group(1)!r}: policies cannot test "
                           f"{NO_SUCH_TEST[field.group(1).lower()]}", kind="unknown_field",
                           file=file, line=line, column=field.start(1) + 1, text=src,
                           expected=_WITHIN_A_CLAIM)
    in_value = _field_value_error(text, line, column, file)
    if in_value is not None:
        return in_value
    if word.lower() in _FREQUENCY_WORDS and src[:column - 1].strip():
        # after a test on its line: require units <= 1 per 180 days (not 'every line ...')
        return PolicyError(f"unexpected word {word!r}: policies cannot test {_FREQUENCY}",
                           kind="syntax", file=file, line=line, column=column, text=src,
                           expected=_WITHIN_A_CLAIM)
    if word.lower() != word and word.lower() in _keywords(lark) and src[:column - 1].strip():
        # after a test on its line (procedure in 95810 AND modifier 25): no statement or
        # field stands there; a keyword in capitals does
        return PolicyError(f"unexpected word {word!r}{_close(word, [], _keywords(lark))}",
                           kind="syntax", file=file, line=line, column=column, text=src,
                           expected=f"'{word.lower()}', in lower case")
    hint = (" (a line rule starts 'for each line')" if word.lower() in ("each", "every")
            else _close(word, [*_STATEMENTS, *FIELDS], _keywords(lark)))
    return PolicyError(
        f"unknown statement or field {word!r}{hint}", kind="syntax", file=file, line=line,
        column=column, text=source_line(text, line),
        expected="a statement (require, forbid, deny, when, for each line, example, end) or "
                 "a field followed by ':' (" + ", ".join(FIELDS) + ")")


def parse(text: str, *, file: str = "<string>") -> Tree:
    """The syntax tree of a policy file, or :class:`PolicyError` at the first problem."""
    from lark.exceptions import (
        LarkError,
        UnexpectedCharacters,
        UnexpectedEOF,
        UnexpectedToken,
    )

    deep = _too_deep(text, file)
    if deep is not None:
        raise deep
    lark = _lark()
    try:
        return lark.parse(text)
    except _Glued as g:
        err = _glued_error(text, g.keyword.start_pos or 0, str(g.keyword), file, lark)
    except UnexpectedToken as e:
        tok = e.token
        pos = tok.start_pos if tok.type != "$END" else len(text)
        if (tok.type != "$END" and pos and _WORDISH.match(text[pos - 1])
                and _WORDISH.match(str(tok)[:1])):
            # a keyword glued to this word (``nott``): refused by the contextual lexer
            begin = pos
            while begin and _WORDISH.match(text[begin - 1]):
                begin -= 1
            raise _glued_error(text, begin, text[begin:pos], file, lark) from None
        empty = _empty_field_error(
            text, _end_position(text)[0] if tok.type == "$END" else tok.line or 1, file)
        if empty is not None:  # until: (nothing), then source: "..." on the next line
            raise empty from None
        closed = _END_THEN_COLON.search(text, 0, pos) if str(tok) == ":" else None
        if closed is not None:  # ``end: 2025-12-31``: 'end' closed the rule, its date is left
            line, column = _line_col(text, closed.start(1))
            raise PolicyError("'end' closes a rule: it is not a field", kind="syntax",
                              file=file, line=line, column=column,
                              text=source_line(text, line),
                              expected="the last date of service a rule applies to as "
                                       "'until: YYYY-MM-DD'") from None
        head = _rule_head_error(text, pos, file,
                                at_end=tok.type == "$END" and "END" in e.expected)
        if head is not None:  # rule (no ID), rule "X", a rule without 'end'
            raise head from None
        if tok.type in _OP_TOKENS:  # age => 18, pos == 11, dx = G47.33
            operator = _operator_error(text, pos, file)
            if operator is not None:
                raise operator from None
        if "COLON" in e.expected and pos is not None:
            misspelt = _not_a_field(text, pos, file, lark)
            if misspelt is not None:
                raise misspelt from None
        if tok.type == "$END":
            line, col = _end_position(text)
            reason = "unexpected end of file"
        else:
            line, col = tok.line or 1, tok.column or 1
            what = "word" if tok.type in ("WORD",) else (
                "text" if tok.type == "STRING" else "keyword" if str(tok).isalpha()
                else "symbol")
            reason = f"unexpected {what} {str(tok)!r}"
            if tok.type == "WORD" and set(e.expected) >= _TEST_STARTS:
                raise _unknown_test(tok, file, lark, text) from None
            if tok.type == "WORD":  # a misspelt keyword: 'proceedure', 'inn', 'exceptt'
                reason += _close(str(tok), _keywords(lark, e.expected), _keywords(lark))
        err = PolicyError(reason, kind="syntax", file=file, line=line, column=col,
                          text=source_line(text, line), expected=_describe(e.expected, lark))
    except UnexpectedCharacters as e:
        pos = e.pos_in_stream  # lark types it Optional; UnexpectedCharacters always sets it
        char = text[pos] if pos is not None and 0 <= pos < len(text) else ""
        column = e.column
        allowed = set(e.allowed or ()) - {"COMMENT", "WS"}
        expected = _describe(allowed, lark) if allowed else ""
        escape = _bad_escape(text, pos) if char == '"' and pos is not None else None
        if escape is not None:
            reason = f"unknown escape '{escape[0]}' in a text in double quotes"
            column += escape[1]
            expected = '\\" (a double quote) or \\\\ (a backslash): the only escapes'
        else:
            in_value = None if char == '"' else _field_value_error(text, e.line, column, file)
            if in_value is not None:  # source: BPM §240, until: 12/31/2025
                raise in_value from None
            reason = (f"unexpected character {char!r}" if char not in ('"',) else
                      "a text in double quotes must end on the same line")
            if char in _OPERATORS:  # age ≥ 18
                reason += f": write {_OPERATORS[char]!r}"
        err = PolicyError(reason, kind="syntax", file=file, line=e.line, column=column,
                          text=source_line(text, e.line), expected=expected)
    except UnexpectedEOF as e:
        line, col = _end_position(text)
        empty = _empty_field_error(text, line, file)
        if empty is not None:
            raise empty from None
        err = PolicyError("unexpected end of file", kind="syntax", file=file, line=line,
                          column=col, text=source_line(text, line),
                          expected=_describe(set(e.expected), lark))
    except LarkError as e:  # pragma: no cover - other lark failures (should not happen)
        err = PolicyError(f"cannot parse: {e}", kind="syntax", file=file)
    raise err
