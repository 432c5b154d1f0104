"""From a policy syntax tree to :class:`~codekit.policies.Policy` objects.

The parser knows shapes; this module knows meanings. Every word is checked where it
stands (a date where a date belongs, a code that exists in a set, a field that exists in a
header) and the first problem raises :class:`PolicyError` at its line and column:

>>> compile_text('''
... rule R1
...   source: "test"
...   effective: 2025-01-01
...   until: 2024-12-31
...   require dx in I10
... end''', file="r.policy")
Traceback (most recent call last):
...
codekit.errors.PolicyError: r.policy:5:10: the rule ends (2024-12-31) before ...
  until: 2024-12-31
         ^
expected: an until date on or after 2025-01-01
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from decimal import Decimal
from typing import Any

from lark import Token, Tree

from ..claims import Claim, Patient, ServiceLine
from ..findings import Severity
from ._codesets import (
    _MODIFIER,
    NAME,
    SYSTEM_NAMES,
    CodeSet,
    Item,
    ItemError,
    _modifier_problem,
    a_system,
    check_item,
    classify,
    range_key,
)
from ._errors import PolicyError, source_line
from ._parser import NO_SUCH_TEST, parse
from ._runtime import (
    ALL,
    ANY,
    CLAIM_DX,
    FIRST_DX,
    FIRST_POINTED_DX,
    NO,
    PLACEHOLDERS,
    POINTED_DX,
    AllOf,
    AnyOf,
    Between,
    CodeIn,
    Compare,
    DxIn,
    Example,
    LineQuant,
    Member,
    ModIn,
    Not,
    Policy,
    ProcIn,
    SameDayQuant,
    Template,
    number,
)

__all__ = ["DEFAULT_FINDING", "FIELDS", "compile_text", "compile_tree", "payer_name_problem"]

#: The finding a rule raises unless it names another
#: (``docs/catalog.md#med_necessity_dx_not_covered``).
DEFAULT_FINDING = "MED_NECESSITY_DX_NOT_COVERED"

#: Header fields: name → (kind of value, what it is).
FIELDS: dict[str, tuple[str, str]] = {
    "title": ("text", "a short description, used in the default message"),
    "finding": ("id", f"the finding ID the rule raises (default {DEFAULT_FINDING})"),
    "severity": ("word", "error (default), warning or info"),
    "payer": ("words", "payer IDs the rule applies to (default: every payer)"),
    "claim_type": ("words", "professional and/or institutional (default: both)"),
    "effective": ("date", "first date of service the rule applies to"),
    "until": ("date", "last date of service the rule applies to"),
    "source": ("text", "the public source: manual chapter and section, NCD, LCD or article"),
    "message": ("text", "the finding's message, with {placeholders}"),
}
#: Names other tools and payer documents give a field, with the field's own name: a
#: did-you-mean by spelling would not find ``until`` from ``end_date`` or ``expires``.
FIELD_ALIASES = {
    "start": "effective", "starts": "effective", "begin": "effective", "begins": "effective",
    "from": "effective", "start_date": "effective", "effective_date": "effective",
    "effective_from": "effective", "valid_from": "effective",
    "end": "until", "ends": "until", "end_date": "until", "expires": "until",
    "expiry": "until", "expiration": "until", "expiration_date": "until",
    "termination": "until", "termination_date": "until", "thru": "until", "through": "until",
    "to": "until", "effective_until": "until", "valid_until": "until", "valid_to": "until",
    "name": "title", "description": "title", "reference": "source", "citation": "source",
    "payers": "payer", "claim_types": "claim_type", "level": "severity", "msg": "message",
}
_FIELD_EXPECT = {
    "text": 'a text in double quotes ("...")', "id": "an ID in capitals, e.g. PAYER_EDIT",
    "word": "one word", "words": "words separated by commas", "date": "a date YYYY-MM-DD",
}
_ID = re.compile(r"[A-Z][A-Z0-9_]*")
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_PAYER = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\"]*)\}|[{}]")
MAX_DEPTH = 32
SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
#: Subjects compared as codes (:class:`CodeIn`): with = and != or in {...}.
_CODE_SUBJECTS = ("pos", "bill_type", "revenue_code")
_ROOT_TYPES = {"claim_type": ("professional", "institutional"), "sex": ("M", "F", "U")}

Pos = Token | Tree | tuple[int, int]


class _Compiler:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.sets: dict[str, CodeSet] = {}
        self.set_lines: dict[str, int] = {}

    # -- errors ----------------------------------------------------------------------------

    def error(self, reason: str, kind: str, at: Pos, expected: str = "",
              offset: int = 0) -> PolicyError:
        if isinstance(at, Token):
            line, col = at.line or 1, (at.column or 1) + offset
        elif isinstance(at, Tree):
            tok = _first_token(at)
            line = (tok.line or 1) if tok is not None else 1
            col = ((tok.column or 1) if tok is not None else 1) + offset
        else:
            line, col = at[0], at[1] + offset
        return PolicyError(reason, kind=kind, file=self.file, line=line, column=col,
                           text=source_line(self.text, line), expected=expected)

    # -- the file --------------------------------------------------------------------------

    def compile(self, tree: Tree) -> list[Policy]:
        policies: list[Policy] = []
        seen: dict[str, int] = {}
        for node in tree.children:
            assert isinstance(node, Tree)
            if node.data == "set_def":
                self.set_def(node)
                continue
            rid = node.children[0]
            assert isinstance(rid, Token)
            if str(rid) in seen:
                raise self.error(f"duplicate rule ID {str(rid)!r} (first defined on line "
                                 f"{seen[str(rid)]})", "duplicate_rule", rid,
                                 "a rule ID used once across the loaded files")
            seen[str(rid)] = rid.line or 0
            policies.append(self.rule(node))
        return policies

    def set_def(self, node: Tree) -> None:
        name_tok, expr = node.children
        assert isinstance(name_tok, Token) and isinstance(expr, Tree)
        name = str(name_tok)
        if not NAME.fullmatch(name) or _code_shaped(name):
            raise self.error(f"{name!r} cannot name a set", "bad_value", name_tok,
                             "a name of letters, digits and _ that does not look like a code, "
                             "e.g. SUBLUXATION")
        if name in self.sets:
            raise self.error(f"set {name!r} is already defined on line "
                             f"{self.set_lines[name]}", "duplicate_set", name_tok,
                             "each set name defined once per file")
        codes = self.set_expr(expr, None)
        self.sets[name] = CodeSet(**{**_fields(codes), "text": name})
        self.set_lines[name] = name_tok.line or 0

    # -- code sets -------------------------------------------------------------------------

    def set_expr(self, node: Tree, want: str | None) -> CodeSet:
        parts = node.children
        result = self.set_term(parts[0], want)
        # A chain of 'except' is applied once, at its end (each step making its own set
        # copied the exclusions before it: n^2), and each exclusion is tested against the
        # parts of the set's codes (codes, prefixes, ranges) that those before it left, so
        # a chain of n is n tests.
        excluded: list[CodeSet] = []  # the exclusions of the chain, not applied yet
        left_over: list[_Part] | None = None  # the parts no exclusion surely holds
        for k in range(1, len(parts), 2):
            op = parts[k].children[0]
            other = self.set_term(parts[k + 1], want or result.system)
            if str(op) == "+":
                result = _minus(result, excluded).union(other)
                excluded, left_over = [], None
                continue
            if left_over is None:
                left_over = _uncovered(_parts(result), result.excluded)
            excluded.append(other)
            left_over = _uncovered(left_over, (other,))
            if not left_over:  # {I10} except {I10}: no claim can match
                left = _minus(result, excluded[:-1])
                raise self.error(f"'{left.text} except {other.text}' is empty: every code "
                                 f"of {left.text} is in {other.text}", "empty_set", op,
                                 "a set that keeps some code (a test of an empty set is never "
                                 "true, so 'require' would fail on every claim)")
        return _minus(result, excluded)

    def set_term(self, node: Tree, want: str | None) -> CodeSet:
        words = [w for w in node.children if isinstance(w, Token)]
        sets: list[CodeSet] = []
        exact: set[str] = set()
        prefixes: set[str] = set()
        ranges: set[tuple[str, str]] = set()
        system = want
        for w in words:
            word = str(w)
            if word in self.sets:
                named = self.sets[word]
                if system is not None and named.system != system:
                    raise self.wrong_system(w, f"set {word!r} holds {_sys(named.system)} "
                                            "codes", system)
                system = named.system
                sets.append(named)
                continue
            try:
                item = classify(word)
            except ItemError as e:
                undotted = e.expected.startswith("ICD-10-CM codes with their dot")
                if NAME.fullmatch(word) and e.kind == "bad_code" and not undotted:
                    raise self.unknown_set(w) from None
                if undotted and _name_like(word):  # T2DM: no code T2D.M either
                    dotted = f"{word[:3]}.{word[3:]}".upper()
                    code = Item("code", "icd10cm", word.upper(), word.upper())
                    if (check_item(code) or ("",))[0] == "unknown_code":
                        raise self.unknown_set(w, f"{dotted} is no ICD-10-CM code "
                                               "either") from None
                if undotted and system in ("procedure", "modifier"):  # J089 for J0897
                    raise self.error(f"{word!r} is not {a_system(system)} code", e.kind, w,
                                     "CPT/HCPCS codes of 5 characters (95810, J0897)"
                                     if system == "procedure" else "modifier codes of 2 "
                                     "characters (25, AT)") from None
                if system == "modifier" and word.isalnum():  # modifier 259: no ICD-9 talk
                    kind, reason, expected = _modifier_problem(word.upper()) or ("", "", "")
                    raise self.error(reason, kind, w, expected) from None
                raise self.error(e.reason, e.kind, w, e.expected, e.offset) from None
            if system is not None and item.system != system:
                if item.kind == "code" and _name_like(word):  # EM: a set meant, not AT
                    raise self.unknown_set(w, f"{word!r} is {a_system(item.system)} code, "
                                           f"not {a_system(system)} one")
                raise self.wrong_system(w, f"{word!r} is {a_system(item.system)} code", system)
            system = item.system
            problem = check_item(item)
            if problem:
                kind, reason, expected, offset = problem
                if (kind == "unknown_code" and item.kind == "code" and system != "modifier"
                        and _name_like(word)):  # PAD: a set meant, not P04.1A
                    raise self.unknown_set(w, f"{word!r} is no {_sys(system)} code either")
                raise self.error(reason, kind, w, expected, offset)
            if item.kind == "code":
                exact.add(item.start)
            elif item.kind == "prefix":
                prefixes.add(item.start)
            else:
                ranges.add((item.start, item.end))
        assert system is not None
        text = " ".join(str(w) for w in words)
        if len(words) > 1:
            text = "{" + ", ".join(str(w) for w in words) + "}"
        result = CodeSet.of(system, exact=exact, prefixes=prefixes, ranges=ranges, text=text)
        for named in sets:
            result = result.union(named) if (result.exact or result.prefixes or result.ranges
                                              or result.plus or result.excluded) else named
        return CodeSet(**{**_fields(result), "text": text})

    def unknown_set(self, at: Token, note: str = "") -> PolicyError:
        """``unknown_set`` for a word that names no set defined before it: the nearest set
        names, the defined ones, and ``note`` (what else the word is not)."""
        word = str(at)
        close = difflib.get_close_matches(word, list(self.sets), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        reason = f"unknown set {word!r}{hint}"
        if note:
            reason += f": no set of that name is defined, and {note}"
        expected = f"a set defined earlier in the file ({', '.join(self.sets) or 'none yet'}), " \
            "or a code"
        if re.search(rf"^[ \t]*set[ \t]+{re.escape(word)}[ \t]*=", self.text, re.MULTILINE):
            expected += f"; 'set {word}' comes after its use: define sets before the rules"
        if _code_shaped(word):
            expected += f"; a set's name cannot look like a code (e.g. {word}_SET)"
        return self.error(reason, "unknown_set", at, expected)

    def wrong_system(self, at: Token, what: str, want: str) -> PolicyError:
        hint = ""
        if want == "icd10cm" and re.fullmatch(r"[A-Z][0-9]{4}", str(at).upper()):
            w = str(at).upper()
            hint = f" (for the ICD-10-CM code write {w[:3]}.{w[3:]})"
        return self.error(f"{what}; {_sys(want)} codes are needed here{hint}", "wrong_system",
                          at, f"{_sys(want)} codes")

    # -- rules -----------------------------------------------------------------------------

    def rule(self, node: Tree) -> Policy:
        rid = node.children[0]
        assert isinstance(rid, Token)
        if not _RULE_ID.fullmatch(str(rid)):
            raise self.error(f"{str(rid)!r} cannot be a rule ID", "bad_value", rid,
                             "letters, digits, '.', '_' and '-', starting with a letter")
        fields: dict[str, tuple[Token, Any]] = {}
        scope: Tree | None = None
        when: Tree | None = None
        checks: list[Tree] = []
        examples: list[Tree] = []
        for st in node.children[1:]:
            assert isinstance(st, Tree)
            if st.data == "field":
                name_tok = st.children[0]
                assert isinstance(name_tok, Token)
                name = str(name_tok)
                if name.lower() in NO_SUCH_TEST:  # frequency: 1, prior_auth: required
                    raise self.error(f"unknown field {name!r}: policies cannot test "
                                     f"{NO_SUCH_TEST[name.lower()]}", "unknown_field",
                                     name_tok, "one of " + ", ".join(FIELDS))
                if name not in FIELDS:
                    meant = FIELD_ALIASES.get(name.lower())
                    close = [meant] if meant else difflib.get_close_matches(
                        name, list(FIELDS), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise self.error(f"unknown field {name!r}{hint}", "unknown_field",
                                     name_tok, "one of " + ", ".join(FIELDS))
                if name in fields:
                    raise self.error(f"field {name!r} is given twice (first on line "
                                     f"{fields[name][0].line})", "duplicate_field", name_tok,
                                     f"one {name!r} per rule")
                value_tok = _first_token(st.children[1])
                if value_tok is not None and value_tok.line != name_tok.line:
                    # ``payer:`` then ``deny`` on the next line: the word is no payer
                    raise self.error(f"{name!r} has no value", "bad_value", name_tok,
                                     f"{_FIELD_EXPECT[FIELDS[name][0]]} after '{name}:' on "
                                     "the same line", offset=len(name) + 1)
                fields[name] = (name_tok, st.children[1])
            elif st.data in ("scope", "when"):
                if (scope if st.data == "scope" else when) is not None:
                    first = scope if st.data == "scope" else when
                    what = "for each line" if st.data == "scope" else "when"
                    first_tok = _first_token(first)  # type: ignore[arg-type]
                    raise self.error(f"{what!r} is given twice (first on line "
                                     f"{first_tok.line if first_tok else '?'})",
                                     "duplicate_field", st, f"one {what!r} per rule; join "
                                     "conditions with 'and'")
                if st.data == "scope":
                    scope = st
                else:
                    when = st
            elif st.data == "example":
                examples.append(st)
            else:
                checks.append(st)
        values = {name: self.field_value(name, tok, val) for name, (tok, val) in
                  fields.items()}
        if "source" not in values:
            raise self.error(f"rule {str(rid)!r} has no 'source'", "missing_field", rid,
                             'a source: "<manual, chapter and section, NCD, LCD or article>"')
        if not values["source"]:
            raise self.error(f"rule {str(rid)!r} has an empty 'source'", "missing_field",
                             fields["source"][1],
                             'a source: "<manual, chapter and section, NCD, LCD or article>"')
        if not checks:
            raise self.error(f"rule {str(rid)!r} demands nothing", "missing_field", rid,
                             "a 'require CONDITION', 'forbid CONDITION' or 'deny' statement")
        effective, until = values.get("effective"), values.get("until")
        if effective and until and until < effective:
            raise self.error(f"the rule ends ({until}) before it takes effect ({effective})",
                             "reversed_dates", fields["until"][1].children[0],
                             f"an until date on or after {effective}")
        line_scope = scope is not None
        trigger_parts = []
        if scope is not None and len(scope.children) > 2:
            trigger_parts.append(self.cond(scope.children[2], line_scope, 0))
        if when is not None:
            trigger_parts.append(self.cond(when.children[1], line_scope, 0))
            apart = _never_both(tuple(trigger_parts)) if len(trigger_parts) == 2 else None
            if apart is not None:  # for each line where procedure in A / when procedure in B
                raise self.error(f"'{apart[0]}' (for each line where) and '{apart[1]}' "
                                 f"(when) are never true together: {apart[2]}, in no set of "
                                 "both: the rule never applies", "never_true", when,
                                 "one test, in 'for each line where', of what the rule is "
                                 "about")
        header = _header(values, fields)
        for st, part in zip([s for s in (scope, when) if s is not None and
                             (s is when or len(s.children) > 2)], trigger_parts, strict=True):
            clash = _against_header(header, part)
            if clash is not None:  # claim_type: professional / when claim_type = institutional
                where = "when" if st is when else "for each line where"
                raise self.error(f"'{clash[1]}' ({where}) and '{clash[0]}' (line {clash[3]}) "
                                 f"are never true together: {clash[2]}: the rule never "
                                 "applies", "never_true", st, "a test that can hold on what "
                                 f"the rule's header takes ({clash[0]}), or another header")
        trigger = _conjunction(trigger_parts)
        compiled_checks = []
        for st in checks:
            if st.data == "deny":
                compiled_checks.append(("deny", None, line_scope,
                                        ("procedure_code",) if line_scope else ()))
                continue
            cond = self.cond(st.children[1], line_scope, 0)
            apart = _never_both((*trigger_parts, cond)) if trigger_parts else None
            looked_at = "line" if line_scope else "claim"  # a claim rule has no lines
            effect = (f"fails on every {looked_at} the rule looks at"
                      if st.data == "require" else "never fails: the rule gives no finding")
            if apart is not None and _never_both(tuple(trigger_parts)) is None:
                # for each line where procedure in A / require procedure in B
                raise self.error(f"'{apart[1]}' never holds where the rule looks "
                                 f"('{apart[0]}': {apart[2]}), so this '{st.data}' {effect}",
                                 "never_true", st, "a demand that can hold on what the rule "
                                 "looks at ('deny' for a service never covered)")
            clash = _against_header(header, cond)
            if clash is not None:  # claim_type: professional / require claim_type = institutional
                raise self.error(f"'{clash[1]}' never holds where the rule looks ('{clash[0]}', "
                                 f"line {clash[3]}: {clash[2]}), so this '{st.data}' {effect}",
                                 "never_true", st, "a demand that can hold on what the rule's "
                                 "header takes ('deny' for a service never covered)")
            relative, focus = _focus(cond)
            compiled_checks.append((str(st.data), cond, relative and line_scope, focus))
        title = values.get("title", "")
        message = values.get("message")
        if message is None:
            parts = ([(False, "Line "), (True, "line"), (False, " ("), (True, "procedure"),
                      (False, "): ")] if line_scope else [])
            message = Template((*parts, (True, "title")))
        payers = values.get("payer", ())
        policy = Policy(
            id=str(rid), finding=values.get("finding", DEFAULT_FINDING),
            severity=values.get("severity", Severity.ERROR), title=title,
            source=values["source"], scope="line" if line_scope else "claim",
            trigger=trigger, checks=tuple(compiled_checks), message=message,
            payers=payers, claim_types=values.get("claim_type", ()), effective=effective,
            until=until, file=self.file, line=rid.line or 0, **_indexed(trigger, line_scope))
        if "message" in fields:
            self.check_placeholders(fields["message"][1], line_scope)
        exs = tuple(self.example(ex, policy) for ex in examples)
        return Policy(**{**_fields(policy), "examples": exs})

    def field_value(self, name: str, tok: Token, node: Tree) -> Any:
        kind = FIELDS[name][0]
        toks = [t for t in node.children if isinstance(t, Token)]
        if kind == "text":
            if node.data != "strings":
                raise self.error(f"{name!r} needs a text in double quotes", "bad_value",
                                 toks[0], _FIELD_EXPECT["text"])
            if name == "message":
                return self.template(toks)
            return "".join(_unquote(t) for t in toks).strip()
        if node.data != "words":
            if name == "payer":  # payer: "Medicare Part B"
                reason, expected = payer_name_problem("".join(_unquote(t) for t in toks))
                raise self.error(reason, "bad_value", toks[0], expected)
            raise self.error(f"{name!r} takes {_FIELD_EXPECT[kind]}, not a quoted text",
                             "bad_value", toks[0], _FIELD_EXPECT[kind])
        if kind != "words" and len(toks) > 1:
            raise self.error(f"{name!r} takes one value", "bad_value", toks[1],
                             _FIELD_EXPECT[kind])
        first = toks[0]
        if kind == "id":
            if not _ID.fullmatch(str(first)):
                raise self.error(f"{str(first)!r} cannot be a finding ID", "bad_value", first,
                                 _FIELD_EXPECT["id"])
            meant = _misspelt_finding(str(first))
            if meant is not None:  # profile overrides and the catalog link would miss it
                raise self.error(f"finding {str(first)!r} is no finding codekit has (did you "
                                 f"mean {meant!r}?)", "bad_value", first,
                                 f"{meant}, or a finding ID of your own that is not one or "
                                 "two letters away from a built-in one")
            return str(first)
        if kind == "date":
            return self.date(first)
        if name == "severity":
            sev = SEVERITIES.get(str(first))
            if sev is None:
                raise self.error(f"unknown severity {str(first)!r}", "bad_value", first,
                                 "error, warning or info")
            return sev
        out: list[str] = []
        for t in toks:
            if name == "payer":
                value = self.text_value("payer", t, rule=True)
            else:
                value = str(t)
                if value not in _ROOT_TYPES["claim_type"]:
                    raise self.error(f"unknown claim type {value!r}", "bad_value", t,
                                     "professional or institutional")
            if value not in out:
                out.append(value)
        return tuple(out)

    def date(self, tok: Token) -> dt.date:
        text = str(tok)
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.error(f"{text!r} is not a date", "bad_value", tok,
                             "a date YYYY-MM-DD, e.g. 2025-10-01") from None

    # -- messages --------------------------------------------------------------------------

    def template(self, toks: list[Token]) -> Template:
        parts: list[tuple[bool, str]] = []
        for t in toks:
            raw = str(t)[1:-1]
            pos = 0
            for m in _PLACEHOLDER.finditer(raw):
                if m.start() > pos:
                    parts.append((False, _unescape(raw[pos:m.start()])))
                pos = m.end()
                if m.group(0) in ("{{", "}}"):
                    parts.append((False, m.group(0)[0]))
                elif m.group(1) is None:
                    raise self.error(f"a lone {m.group(0)!r} in a message", "unknown_placeholder",
                                     t, "{name} for a placeholder, {{ or }} for a brace",
                                     1 + m.start())
                else:
                    name = m.group(1).strip()
                    if name not in PLACEHOLDERS:
                        close = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1)
                        hint = f" (did you mean {{{close[0]}}}?)" if close else ""
                        raise self.error(f"unknown placeholder {{{name}}}{hint}",
                                         "unknown_placeholder", t,
                                         "one of " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                                         1 + m.start())
                    parts.append((True, name))
            if pos < len(raw):
                parts.append((False, _unescape(raw[pos:])))
        return Template(tuple(parts))

    def check_placeholders(self, node: Tree, line_scope: bool) -> None:
        if line_scope:
            return
        for t in node.children:
            assert isinstance(t, Token)
            raw = str(t)[1:-1]
            for m in _PLACEHOLDER.finditer(raw):
                name = (m.group(1) or "").strip()
                if name in PLACEHOLDERS and PLACEHOLDERS[name][0]:
                    raise self.error(f"{{{name}}} needs a line, and this rule is about the "
                                     "whole claim", "unknown_placeholder", t,
                                     "a claim placeholder ({dx}, {first_dx}, {age}, {sex}, "
                                     "{payer}, {claim_type}, {dos}, {pos}, {bill_type}, "
                                     "{rule}, {title}), or "
                                     "'for each line' in the rule", 1 + m.start())

    # -- conditions ------------------------------------------------------------------------

    def cond(self, node: Tree, line: bool, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.error(f"conditions nested more than {MAX_DEPTH} deep", "too_deep", node,
                             "a flatter condition (name code sets instead of nesting)")
        kind = node.data
        ch = node.children
        if kind in ("disj", "conj"):
            parts = tuple(self.cond(c, line, depth + 1) for c in ch if isinstance(c, Tree))
            if kind == "disj":
                return AnyOf(parts)
            clash = _never_together(parts)
            if clash is not None:
                a, b = clash
                what = _SUBJECTS[a.split()[0]]
                raise self.error(f"'{a} and {b}' is never true: no {what} meets both",
                                 "never_true", node, "tests that can hold at once (did you "
                                 "flip < and >?)")
            apart = _never_both(parts)
            if apart is not None:
                a, b, what, negated = apart
                if negated:  # procedure in S and procedure not in S
                    raise self.error(f"'{a} and {b}' is never true: {what}", "never_true",
                                     node, "one of the two tests, or a 'not' that leaves "
                                     "some of the other test's values")
                if " not in " in f" {a} {b}":  # first dx not in {I10} and first dx in {I10}
                    raise self.error(f"'{a} and {b}' is never true: {what}, and 'not in' "
                                     "leaves out every code of the other set", "never_true",
                                     node, "an 'in' set with a code the 'not in' set leaves, "
                                     "or one of the two tests")
                raise self.error(f"'{a} and {b}' is never true: {what}, in no set of both",
                                 "never_true", node, f"'or' for either of them: {a} or {b}")
            return AllOf(parts)
        if kind == "not_":
            return Not(self.cond(ch[1], line, depth + 1))
        if kind == "dx_test":
            return self.dx_test(node, line)
        if kind in ("proc_test", "mod_test", "mod_one"):
            kw = ch[0]
            assert isinstance(kw, Token)
            if not line:
                raise self.misplaced(kw, f"'{kw}'")
            negate = any(isinstance(c, Token) and c.type == "NOT" for c in ch)
            if kind == "mod_one":
                codes = self.set_term(Tree("set_term", [ch[1]]), "modifier")
                pred: Any = ModIn(codes)
            else:
                expr = ch[-1]
                assert isinstance(expr, Tree)
                want = "procedure" if kind == "proc_test" else "modifier"
                codes = self.set_expr(expr, want)
                pred = ProcIn(codes) if kind == "proc_test" else ModIn(codes)
            return Not(pred) if negate else pred
        if kind in ("compare", "between", "member"):
            return self.comparison(node, line)
        if kind == "line_quant":
            quant = _quant(ch[0])
            other = any(isinstance(c, Token) and c.type == "OTHER" for c in ch)
            if other and not line:
                tok = next(c for c in ch if isinstance(c, Token) and c.type == "OTHER")
                raise self.misplaced(tok, "'other line'")
            same_day = any(isinstance(c, Tree) and c.data == "same_day" for c in ch)
            if same_day and not line:  # the day is the current line's
                raise self.misplaced(ch[0], "'on the same day'")
            inner = ch[-1]
            assert isinstance(inner, Tree)
            quant_type = SameDayQuant if same_day else LineQuant
            return quant_type(quant, other, self.cond(inner, True, depth + 1))
        raise AssertionError(kind)  # pragma: no cover

    def misplaced(self, at: Pos, what: str) -> PolicyError:
        return self.error(f"{what} is about a service line, and there is none here",
                          "misplaced", at, "the condition under 'for each line', or inside "
                          "'any line where (...)'")

    def dx_test(self, node: Tree, line: bool) -> DxIn:
        ch = node.children
        quant = ANY
        subject_node: Tree | None = None
        negate = False
        expr = ch[-1]
        for c in ch[:-1]:
            if isinstance(c, Tree) and c.data == "quant":
                quant = _quant(c)
            elif isinstance(c, Tree):
                subject_node = c
            elif isinstance(c, Token) and c.type == "NOT":
                negate = True
        assert subject_node is not None and isinstance(expr, Tree)
        flags = {t.type: t for t in subject_node.children if isinstance(t, Token)}
        if "POINTED" in flags:
            if not line:
                raise self.misplaced(flags["POINTED"], "'pointed dx'")
            subject = FIRST_POINTED_DX if "FIRST" in flags else POINTED_DX
        else:
            subject = FIRST_DX if "FIRST" in flags else CLAIM_DX
        codes = self.set_expr(expr, "icd10cm")
        if negate:  # "dx not in S": the quantifier applies to the complement
            codes = CodeSet("icd10cm", excluded=(codes,), text=f"not {codes.text}",
                            plus=(_EVERYTHING,))
        return DxIn(subject, quant, codes)

    def comparison(self, node: Tree, line: bool) -> Any:
        ch = node.children
        subj_tok = ch[0].children[0]
        assert isinstance(subj_tok, Token)
        subject = str(subj_tok)
        if subject in ("units", "revenue_code") and not line:
            raise self.misplaced(subj_tok, f"'{subject}'")
        words = [c for c in ch[1:] if isinstance(c, Token) and c.type == "WORD"]
        negate = any(isinstance(c, Token) and c.type == "NOT" for c in ch)
        if subject in _CODE_SUBJECTS and node.data != "between":
            if node.data == "compare":
                op = str(ch[1].children[0])
                if op not in ("=", "!="):
                    raise self.error(f"'{subject}' is compared with = or != only",
                                     "bad_value", ch[1], f"= or !=, or {subject} in {{...}}")
                negate = op == "!="
            exact: set[str] = set()
            prefixes: set[str] = set()
            for w in words:
                value, wild = self.code_value(subject, w, wildcard=True)
                (prefixes if wild else exact).add(value)
            codes = CodeIn(subject, frozenset(exact), tuple(sorted(prefixes)))
            return Not(codes) if negate else codes
        if node.data == "member":
            if subject not in ("sex", "claim_type", "payer"):
                raise self.error(f"'{subject} in {{...}}' is not a test", "bad_value", subj_tok,
                                 f"a comparison ({subject} >= ..., {subject} between ... and "
                                 "...)")
            pred: Any = Member(subject, frozenset(self.text_value(subject, w, rule=True)
                                                  for w in words))
            return Not(pred) if negate else pred
        if node.data == "between":
            if subject not in ("age", "units", "dos"):
                raise self.error(f"'{subject} between' is not a test", "bad_value", subj_tok,
                                 f"{subject} = ... or {subject} in {{...}}")
            low, high = (self.ordered_value(subject, w) for w in words)
            if low > high:
                raise self.error(f"'between {words[0]} and {words[1]}' is empty: {words[0]} "
                                 f"is after {words[1]}", "bad_range", words[1],
                                 f"a value of {words[0]} or more")
            return Between(subject, low, high)
        op = str(ch[1].children[0])
        if subject in ("sex", "claim_type", "payer"):
            if op not in ("=", "!="):
                raise self.error(f"'{subject}' is compared with = or != only", "bad_value",
                                 ch[1], "= or !=")
            pred = Member(subject, frozenset({self.text_value(subject, words[0], rule=True)}))
            return Not(pred) if op == "!=" else pred
        return Compare(subject, op, self.ordered_value(subject, words[0]))

    def code_value(self, subject: str, tok: Token, wildcard: bool = False
                   ) -> tuple[str, bool]:
        """A place of service, type of bill or revenue code as compared: (the value, whether
        it is a prefix: ``13x``, ``045x`` when ``wildcard``); ``bad_value`` at the word
        when it is not written as one."""
        text = str(tok)
        if subject == "pos":
            if re.fullmatch(r"\d{2}", text):
                return text, False
            raise self.error(f"{text!r} is not a place of service", "bad_value", tok,
                             "a place of service code of two digits, e.g. 11 (office), 02 or "
                             "10 (telehealth), 21 (inpatient hospital)")
        if subject == "bill_type":
            short = text[1:] if len(text) == 4 and text[:1] == "0" else text
            m = re.fullmatch(r"([1-9]\d)(\d|[xX])", short)
            if m and (wildcard or m.group(2).isdigit()):
                return (m.group(1), True) if not m.group(2).isdigit() else (short, False)
            raise self.error(f"{text!r} is not a type of bill", "bad_value", tok,
                             "a type of bill of 3 digits (131), or 4 with its leading zero "
                             "(0131)" + ("; x for any last digit (13x)" if wildcard else ""))
        m = re.fullmatch(r"(\d{3})(\d|[xX])", text)
        if m and (wildcard or m.group(2).isdigit()):
            return (m.group(1), True) if not m.group(2).isdigit() else (text, False)
        raise self.error(f"{text!r} is not a revenue code", "bad_value", tok,
                         "a revenue code of 4 digits, e.g. 0450" +
                         ("; x for any last digit (045x: 0450-0459)" if wildcard else ""))

    def text_value(self, subject: str, tok: Token, rule: bool = False) -> str:
        """A sex, claim type or payer ID as compared (``rule``: in a rule's ``payer:`` or
        test, where a payer family's other name is refused; an example's claim may use it)."""
        if subject == "payer":
            value = str(tok).lower()
            if not _PAYER.fullmatch(value):
                raise self.error(f"{str(tok)!r} cannot be a payer ID", "bad_value", tok,
                                 "a payer ID such as medicare")
            if rule and _payer_alias(value) is not None:  # mcr, cms
                reason, expected = payer_name_problem(str(tok))
                raise self.error(reason, "bad_value", tok, expected)
            meant = _misspelt_payer(value)
            if meant is not None:
                raise self.error(f"payer {value!r} matches no claim (did you mean {meant!r}?)",
                                 "bad_value", tok, f"{meant}, or a payer ID of your own that "
                                 "is not one letter away from a payer family")
            return value
        value = str(tok).upper() if subject == "sex" else str(tok)
        if value not in _ROOT_TYPES[subject]:
            raise self.error(f"{str(tok)!r} is not a {subject.replace('_', ' ')}", "bad_value",
                             tok, ", ".join(_ROOT_TYPES[subject][:-1]) + " or "
                             + _ROOT_TYPES[subject][-1])
        return value

    def ordered_value(self, subject: str, tok: Token) -> Any:
        if subject == "dos":
            return self.date(tok)
        try:
            value = number(str(tok))
        except ValueError:
            value = None
        if subject == "age":
            if value is None or value != value.to_integral_value() or not 0 <= value <= 130:
                raise self.error(f"{str(tok)!r} is not an age", "bad_value", tok,
                                 "a whole number of years, 0 to 130")
            return int(value)
        if value is None or value < 0:
            raise self.error(f"{str(tok)!r} is not a number of units", "bad_value", tok,
                             "a number of units, e.g. 1 or 2.5")
        return value

    # -- examples --------------------------------------------------------------------------

    def example(self, node: Tree, policy: Policy) -> Example:
        ch = node.children
        kw = ch[0]
        assert isinstance(kw, Token)
        expect = str(ch[1].children[0])
        name_tok = ch[2] if isinstance(ch[2], Token) and ch[2].type == "STRING" else None
        name = _unquote(name_tok) if name_tok is not None else f"example on line {kw.line}"
        seen: dict[str, Tree] = {}
        claim: dict[str, Any] = {
            "payer": policy.payers[0] if policy.payers else "commercial",
            "claim_type": policy.claim_types[0] if policy.claim_types else "professional",
            "bill_type": None, "condition_codes": (), "diagnoses": (),
        }
        patient = Patient(sex="U")
        lines: list[ServiceLine] = []
        expected_lines: tuple[int, ...] | None = None
        for st in ch[2:]:
            if not isinstance(st, Tree):
                continue
            words = [t for t in st.children if isinstance(t, Token) and t.type == "WORD"]
            if st.data != "ex_line" and st.data in seen:
                raise self.error(f"'{st.data[3:]}' is given twice in one example",
                                 "duplicate_field", st, "one per example")
            seen[st.data] = st
            if st.data == "ex_on":
                claim["date_of_service"] = self.date(words[0])
            elif st.data == "ex_payer":
                claim["payer"] = self.text_value("payer", words[0])
            elif st.data == "ex_type":
                claim["claim_type"] = self.text_value("claim_type", words[0])
            elif st.data == "ex_bill":
                self.code_value("bill_type", words[0])  # a type of bill, as written
                claim["bill_type"] = str(words[0])
            elif st.data == "ex_pos":
                claim["place_of_service"] = self.code_value("pos", words[0])[0]
            elif st.data == "ex_conditions":
                claim["condition_codes"] = tuple(str(w) for w in words)
            elif st.data == "ex_dx":
                claim["diagnoses"] = tuple(self.example_code(w, "icd10cm") for w in words)
            elif st.data == "ex_patient":
                patient = self.patient(st, words)
            elif st.data == "ex_line":
                lines.append(self.example_line(st, len(lines) + 1))
            else:
                if expect != "fail" or policy.scope != "line":
                    raise self.error("'expect line' belongs to a fail example of a "
                                     "'for each line' rule", "misplaced", st,
                                     "no 'expect' here")
                expected_lines = tuple(self.count(w, "line number") for w in words)
        if "date_of_service" not in claim:
            raise self.error(f"example {name!r} has no date of service", "bad_example", kw,
                             "'on YYYY-MM-DD' in the example")
        self.check_references(seen, ch[2:], len(claim["diagnoses"]), len(lines))
        claim_obj = Claim(patient=patient, service_lines=tuple(lines), **claim)
        return Example(name=name, expect=expect, claim=claim_obj, lines=expected_lines,
                       file=self.file, line=kw.line or 0)

    def check_references(self, seen: dict[str, Tree], statements: list[Any], n_dx: int,
                         n_lines: int) -> None:
        """A pointer to a diagnosis the example does not list, or ``expect line N`` beyond
        its lines, is a ``bad_example``: the claim would not be what its author meant (a
        pointer past the diagnoses points to nothing; no line N can ever fail)."""
        for st in statements:
            if not isinstance(st, Tree) or st.data != "ex_line":
                continue
            toks = [t for t in st.children if isinstance(t, Token)]
            arrow = next((k for k, t in enumerate(toks) if t.type == "ARROW"), None)
            for t in toks[arrow + 1:] if arrow is not None else ():
                if int(str(t)) > n_dx:
                    raise self.error(f"pointer {t} points past the example's diagnoses "
                                     f"({n_dx} listed)", "bad_example", t,
                                     f"a pointer from 1 to {n_dx}, or more diagnoses on the "
                                     "example's 'dx' line" if n_dx else
                                     "a 'dx' line listing the diagnoses the pointers name")
        expect = seen.get("ex_expect")
        if expect is not None:
            for w in expect.children:
                if isinstance(w, Token) and w.type == "WORD" and int(str(w)) > n_lines:
                    raise self.error(f"'expect line {w}': the example has {n_lines} line(s)",
                                     "bad_example", w, f"a line number from 1 to {n_lines}"
                                     if n_lines else "the example's lines ('line CODE ...')")

    def patient(self, st: Tree, words: list[Token]) -> Patient:
        sex = str(words[0]).upper()
        if sex not in ("M", "F", "U"):
            raise self.error(f"{str(words[0])!r} is not a sex", "bad_value", words[0],
                             "M, F or U")
        kinds = [t.type for t in st.children if isinstance(t, Token) and t.type in
                 ("AGE", "BORN")]
        if not kinds:
            return Patient(sex=sex)
        if kinds[0] == "AGE":
            return Patient(sex=sex, age=self.ordered_value("age", words[1]))
        return Patient(sex=sex, birth_date=self.date(words[1]))

    def example_line(self, st: Tree, number_: int) -> ServiceLine:
        toks = [t for t in st.children if isinstance(t, Token)][1:]  # after 'line'
        code = self.example_code(toks[0], "procedure")
        mods: list[str] = []
        units: Decimal | None = Decimal(1)
        day: dt.date | None = None
        pointers: list[int] = []
        pos: str | None = None
        revenue: str | None = None
        k = 1
        while k < len(toks):
            t = toks[k]
            if t.type != "WORD" and str(t) in ("pos", "revenue_code"):  # the keywords
                value = self.code_value(str(t), toks[k + 1])[0]
                if str(t) == "pos":
                    pos = value
                else:
                    revenue = value
                k += 2
            elif t.type == "UNITS":
                units = self.ordered_value("units", toks[k + 1])
                k += 2
            elif t.type == "DATED":
                day = self.date(toks[k + 1])
                k += 2
            elif t.type == "ARROW":
                pointers = [self.count(p, "diagnosis pointer") for p in toks[k + 1:]]
                break
            else:
                mods.append(self.example_modifier(t))
                k += 1
        return ServiceLine(line=number_, procedure_code=code, modifiers=tuple(mods),
                           units=units, diagnosis_pointers=tuple(pointers),
                           date_of_service=day, place_of_service=pos, revenue_code=revenue)

    def example_code(self, tok: Token, system: str) -> str:
        """An example's diagnosis or line code as written, or ``bad_example`` when it is not
        written like a code of ``system`` (a typo such as ``9X213`` would make a ``fail``
        example fail for a reason its author never meant). A well-formed code that is not
        valid on the example's date is allowed: it shows the rule skipping it."""
        from .. import icd10cm, procedure
        from ..errors import InvalidFormat

        module = icd10cm if system == "icd10cm" else procedure
        try:
            module.compact(str(tok))
        except InvalidFormat as e:
            what = "diagnosis" if system == "icd10cm" else "line code"
            raise self.error(f"the example's {what} {str(tok)!r} is not a code: {e.reason}",
                             "bad_example", tok,
                             "an ICD-10-CM code, e.g. M99.03" if system == "icd10cm" else
                             "a CPT or HCPCS code, e.g. 99213 or G0121") from None
        return str(tok)

    def example_modifier(self, tok: Token) -> str:
        """A modifier of an example line, upper case; ``bad_example`` when it is no
        modifier codekit knows (a typo such as ``unitss 2`` would otherwise become two
        modifiers, and the example would test something its author never meant)."""
        word = str(tok).upper()
        problem = _modifier_problem(word) if _MODIFIER.fullmatch(word) else (
            "", "not two letters or digits", "")
        if problem:
            raise self.error(f"the example's modifier {str(tok)!r} is not a modifier "
                             f"codekit knows ({problem[1]})", "bad_example", tok,
                             "modifiers of two letters or digits (25, 59, AT, RT...) after the "
                             "line's code, then 'units N', 'dated DATE', '-> POINTERS'")
        return word

    def count(self, tok: Token, what: str) -> int:
        text = str(tok)
        if not text.isdigit() or not 1 <= int(text) <= 99:
            raise self.error(f"{text!r} is not a {what}", "bad_value", tok,
                             "a whole number from 1")
        return int(text)


# -- helpers ------------------------------------------------------------------------------

#: Every code: the complement of a set is "everything except it".
_EVERYTHING = CodeSet("icd10cm", prefixes=tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), text="*")


#: The payer families claims are routed to (:mod:`codekit.rules.routing`): a payer ID one
#: typo away from one of them (``medicaer``, ``comercial``) would match no claim.
_PAYER_FAMILIES = ("medicare", "medicaid", "commercial")
_FAMILY_SET = frozenset(_PAYER_FAMILIES)


def _misspelt_payer(value: str) -> str | None:
    """The payer family ``value`` is one edit (a letter added, dropped, changed or two
    swapped) away from, unless it is one; None otherwise."""
    return _one_edit_from(value, _PAYER_FAMILIES)


@functools.cache
def _payer_alias(value: str) -> str | None:
    """The payer family ``value`` is another name of in codekit's payer routing (``mcr``,
    ``Medicare Part B`` -> ``medicare``); None for a family itself or a name it does not
    know (a plan's own ID, such as ``acme``). A family itself is answered without importing
    the rules package (0.25 s in a cold interpreter: ``codekit policy check``)."""
    if " ".join(value.lower().split()) in _PAYER_FAMILIES:
        return None
    from ..rules import PayerRouting

    family = PayerRouting().family(value, None)
    return family if family and family != " ".join(value.lower().split()) else None


def payer_name_problem(value: str) -> tuple[str, str]:
    """(reason, expected) for a payer written as a name, not a payer ID: another name of a
    family (``mcr``, ``Medicare Part B``), or words with spaces."""
    family = _payer_alias(value)
    if family is not None:
        return (f"payer {value!r} is another name of the {family} payer family: rules match "
                f"the family claims are routed to, and claims named {value!r} are routed to "
                f"{family}", f"payer: {family}")
    return (f"a payer ID is one word, and {value!r} is not",
            "payer IDs separated by commas (payer: acme, medicare); claims whose payer name "
            "has spaces reach a rule of the plan's ID through the checker's routing, "
            'PayerRouting(names={"acme health plan": "acme"})')


@functools.cache
def _misspelt_finding(value: str) -> str | None:
    """The built-in finding ID ``value`` is one edit away from (``MED_NECESITY_...``), or two
    (``COVERGE_CRITERIA_NOT_MEET``; see :func:`_two_edits_from`), unless it is one or
    extends one (``MED_NECESSITY_DX_NOT_COVERED2``: a finding of your own); None otherwise."""
    known = _known_findings()
    meant = _one_edit_from(value, known) or _two_edits_from(value, known)
    return None if meant is None or value.startswith(meant) else meant


def _edits(a: str, b: str, most: int = 2) -> int:
    """The optimal string alignment distance (characters added, dropped, changed, or two
    neighbours swapped), or ``most + 1`` as soon as it is surely more than ``most``."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > most:
            return most + 1
        prev2, prev = prev, row
    return prev[-1]


def _two_edits_from(value: str, known: frozenset[str]) -> str | None:
    """The one word of ``known`` that ``value`` (10 characters or more) is two edits away
    from; None when there is none or several, or when the two differ only in one short
    word between underscores (``MOD_59_MISSING`` beside ``MOD_26_MISSING``: an ID of its
    own, as the built-in ones are)."""
    if value in known or len(value) < 10:
        return None
    near = [k for k in sorted(known) if abs(len(k) - len(value)) <= 2 and _edits(value, k) == 2]
    if len(near) != 1:
        return None
    mine, theirs = value.split("_"), near[0].split("_")
    if len(mine) == len(theirs):
        diff = [k for k in range(len(mine)) if mine[k] != theirs[k]]
        if len(diff) == 1 and max(len(mine[diff[0]]), len(theirs[diff[0]])) <= 3:
            return None
    return near[0]


@functools.cache
def _known_findings() -> frozenset[str]:
    """The built-in rules' IDs and the policies' own (codekit's catalog)."""
    from ..rules import builtin_rules

    return frozenset({r.id for r in builtin_rules()}
                     | {DEFAULT_FINDING, "COVERAGE_CRITERIA_NOT_MET"})


def _one_edit_from(value: str, known: frozenset[str] | set[str] | tuple[str, ...]) -> str | None:
    """The word of ``known`` that ``value`` is one edit (a character added, dropped,
    changed, or two neighbours swapped) away from, unless it is one of them; None
    otherwise (and for words under 5 characters)."""
    if value in known or len(value) < 5:
        return None
    for family in sorted(known):
        if abs(len(family) - len(value)) > 1:
            continue
        if len(family) == len(value):
            diff = [k for k in range(len(value)) if value[k] != family[k]]
            if len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and value[diff[0]] == family[diff[1]]
                                  and value[diff[1]] == family[diff[0]]):
                return family
        else:
            short, long_ = sorted((value, family), key=len)
            if any(long_[:k] + long_[k + 1:] == short for k in range(len(long_))):
                return family
    return None


def _first_token(tree: Tree) -> Token | None:
    """The first token of a subtree (trees carry no positions of their own)."""
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Token):
            return node
        stack.extend(reversed(node.children))
    return None


def _fields(obj: Any) -> dict[str, Any]:
    import attrs

    return {a.name: getattr(obj, a.name) for a in attrs.fields(type(obj)) if a.init}


def _sys(system: str) -> str:
    return SYSTEM_NAMES[system]


def _name_like(word: str) -> bool:
    """A word written like a set name rather than a code: letters, digits and ``_`` with two
    letters in a row (``PAD``, ``EM``, ``T2DM``; no code of the word's shape has them)."""
    return bool(NAME.fullmatch(word)) and re.search(r"[A-Za-z]{2}", word) is not None


#: One part of a set's codes: an exact code (``(code, None)``), a prefix
#: (``(prefix, prefix)``) or a range (``(lo, hi)``).
_Part = tuple[str, str | None]


def _parts(codes: CodeSet) -> list[_Part]:
    """The parts of ``codes``'s own codes and of the sets it is the union of (its
    exclusions left out)."""
    out: list[_Part] = [(c, None) for c in codes.exact]
    out += [(p, p) for p in codes.prefixes]
    out += codes.ranges
    for part in codes.plus:
        out += _parts(part)
    return out


def _minus(codes: CodeSet, excluded: list[CodeSet]) -> CodeSet:
    """``codes except excluded[0] except excluded[1] ...``, made at once (what
    :meth:`CodeSet.minus` makes one step at a time)."""
    if not excluded:
        return codes
    text = codes.text + "".join(f" except {x.text}" for x in excluded)
    return CodeSet(**{**_fields(codes), "excluded": (*codes.excluded, *excluded),
                      "text": text})


def _uncovered(parts: list[_Part], by: tuple[CodeSet, ...]) -> list[_Part]:
    """The parts no set of ``by`` surely holds whole (all of them when unsure); none left:
    ``codes except by`` is empty."""
    return [(lo, hi) for lo, hi in parts
            if not any((lo in x) if hi is None else _holds(x, lo, hi) for x in by)]


def _holds(codes: CodeSet, lo: str, hi: str) -> bool:
    """Whether ``codes`` surely holds every code of the range ``lo``-``hi`` (a prefix when
    ``lo == hi``), and what is below its end."""
    if codes.excluded:
        return False
    klo, khi = range_key(codes.system, lo), range_key(codes.system, hi)
    return (any(lo.startswith(p) and hi.startswith(p) for p in codes.prefixes)
            or any(len(a) <= len(klo) and a <= klo[:len(a)] and len(b) <= len(khi)
                   and khi[:len(b)] <= b for a, b in codes.keyed)
            or any(_holds(part, lo, hi) for part in codes.plus))


def _code_shaped(word: str) -> bool:
    try:
        classify(word)
    except ItemError:
        return False
    return True


def _quant(node: Any) -> str:
    return {"any": ANY, "all": ALL, "no": NO}[str(node.children[0])]


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def _unquote(tok: Token) -> str:
    return _unescape(str(tok)[1:-1])


def _focus(cond: Any) -> tuple[bool, tuple[Any, ...]]:
    """Where a finding about ``cond`` points: (relative to the line?, path)."""
    while isinstance(cond, AllOf | AnyOf | Not):
        cond = cond.parts[0] if not isinstance(cond, Not) else cond.part
    if isinstance(cond, DxIn):
        return {CLAIM_DX: (False, ("diagnoses",)), FIRST_DX: (False, ("diagnoses", 0)),
                POINTED_DX: (True, ("diagnosis_pointers",)),
                FIRST_POINTED_DX: (True, ("diagnosis_pointers", 0))}[cond.subject]
    if isinstance(cond, ProcIn):
        return True, ("procedure_code",)
    if isinstance(cond, ModIn):
        return True, ("modifiers",)
    if isinstance(cond, LineQuant):
        return False, ("service_lines",)
    subject = cond.subject
    return {"units": (True, ("units",)), "dos": (True, ()), "age": (False, ("patient",)),
            "sex": (False, ("patient", "sex")), "claim_type": (False, ("claim_type",)),
            "payer": (False, ("payer",)), "pos": (False, ("place_of_service",)),
            "bill_type": (False, ("bill_type",)),
            "revenue_code": (True, ("revenue_code",))}[subject]


def _index(cond: Any, line_level: bool) -> CodeSet | None:
    """Procedure codes one of which must be on the claim for ``cond`` to hold (or None)."""
    if isinstance(cond, AllOf):
        for part in cond.parts:
            found = _index(part, line_level)
            if found is not None:
                return found
        return None
    if isinstance(cond, AnyOf):
        found_all: list[CodeSet] = []
        for part in cond.parts:
            found = _index(part, line_level)
            if found is None:
                return None
            found_all.append(found)
        out = found_all[0]
        for f in found_all[1:]:
            out = out.union(f)
        return out.superset()
    if isinstance(cond, ProcIn) and line_level:
        return cond.codes.superset()
    if isinstance(cond, LineQuant) and cond.quant == ANY and not cond.other and not line_level:
        return _index(cond.cond, True)
    return None


def _conjunction(parts: list[Any]) -> Any:
    """``a and b and ...`` with nested conjunctions flattened (None for no condition)."""
    flat: list[Any] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, AllOf) else (p,))
    return None if not flat else flat[0] if len(flat) == 1 else AllOf(tuple(flat))


def _simple(codes: CodeSet) -> bool:
    return not codes.plus and not codes.excluded and not codes.prefixes


def _indexed(trigger: Any, line_scope: bool) -> dict[str, Any]:
    """The policy's index (procedure codes that can trigger it) and residual trigger: the
    part of the trigger the index does not already guarantee."""
    if trigger is None:
        return {"index": None, "residual": None}
    index = _index(trigger, line_scope)
    parts = list(trigger.parts) if isinstance(trigger, AllOf) else [trigger]
    first = parts[0]
    if index is not None:
        by_line = line_scope and isinstance(first, ProcIn) and _simple(first.codes)
        by_claim = (not line_scope and isinstance(first, LineQuant) and first.quant == ANY
                    and not first.other and isinstance(first.cond, ProcIn)
                    and _simple(first.cond.codes))
        if by_line or by_claim:
            parts = parts[1:]
    return {"index": index, "residual": _conjunction(parts)}


def compile_tree(tree: Tree, text: str, file: str = "<string>") -> list[Policy]:
    """Policies of a parsed file."""
    return _Compiler(text, file).compile(tree)


def compile_text(text: str, *, file: str = "<string>") -> list[Policy]:
    """Parse and compile a policy file's text (no cross-file checks)."""
    return compile_tree(parse(text, file=file), text, file)


#: What an ordered test is about, in words.
_SUBJECTS = {"age": "age", "units": "number of units", "dos": "date of service"}

#: One step of a discrete subject: a comparison "> 64" holds from 65 (an age) or from the
#: next day (a date); units are decimals, with no next value.
_STEP: dict[str, Any] = {"age": 1, "dos": dt.timedelta(days=1)}


def _bounds(test: Any) -> tuple[str, Any, bool, Any, bool, str] | None:
    """(subject, low, low included, high, high included, the test as written) of an
    ordered test (``age >= 65``, ``dos between ...``); None for any other test. ``None``
    as a bound is no bound."""
    if isinstance(test, Between):
        return (test.subject, test.low, True, test.high, True,
                f"{test.subject} between {test.low} and {test.high}")
    if not isinstance(test, Compare) or test.subject not in ("age", "units", "dos"):
        return None
    v, op, text = test.value, test.op, f"{test.subject} {test.op} {test.value}"
    if op in ("=", "=="):
        return test.subject, v, True, v, True, text
    if op in (">", ">="):
        return test.subject, v, op == ">=", None, True, text
    if op in ("<", "<="):
        return test.subject, None, True, v, op == "<=", text
    return None  # != excludes one value: never empty on its own


def _flat_and(parts: tuple[Any, ...]) -> list[Any]:
    """The tests of one ``and``, nested ``and`` groups read as one."""
    flat: list[Any] = []
    todo = list(parts)
    while todo:
        p = todo.pop(0)
        if isinstance(p, AllOf):
            todo[:0] = p.parts
        else:
            flat.append(p)
    return flat


#: What holds one value, as a never-true error says it (``first dx in {I10} and first dx
#: in {E11.9}``: the first-listed diagnosis is one code).
_ONE_VALUE = {"procedure": "a line has one procedure code",
              FIRST_DX: "the first-listed diagnosis is one code",
              FIRST_POINTED_DX: "a line's first pointed diagnosis is one code",
              "sex": "a patient has one sex", "claim_type": "a claim has one claim type",
              "pos": "the place of service is one code",
              "bill_type": "a claim has one type of bill",
              "revenue_code": "a line has one revenue code",
              "payer": "a claim is routed to one payer family"}


def _one_value(test: Any) -> tuple[str, Any, str] | None:
    """(subject, what it must be in, the test as written) of a test of a value a line or
    claim has one of (its procedure code, its first diagnosis, its place of service...),
    held by no value outside a set; None for any other test (``dx in``, ``modifier``: a
    claim has several of those; a negated test). A ``payer`` test of payer families only
    (``payer = medicare``) is one: a claim is routed to one family; one naming a plan's ID
    is not (``payer = acme`` may be a medicare plan)."""
    if isinstance(test, ProcIn):
        return "procedure", test.codes, f"procedure in {test.codes.text}"
    if isinstance(test, DxIn) and test.subject in (FIRST_DX, FIRST_POINTED_DX) \
            and test.quant != NO:
        quant = "all " if test.quant == ALL else ""
        text = test.codes.text
        written = (f"{test.subject} not in {text[4:]}" if text.startswith("not ") else
                   f"{test.subject} in {text}")
        return test.subject, test.codes, quant + written
    if isinstance(test, Member) and (test.subject in ("sex", "claim_type") or (
            test.subject == "payer" and test.values <= _FAMILY_SET)):
        shown = sorted(test.values)
        text = (f"{test.subject} = {shown[0]}" if len(shown) == 1 else
                f"{test.subject} in {{{', '.join(shown)}}}")
        return test.subject, test, text
    if isinstance(test, CodeIn):
        shown = sorted(test.values) + [f"{p}x" for p in test.prefixes]
        text = (f"{test.subject} = {shown[0]}" if len(shown) == 1 else
                f"{test.subject} in {{{', '.join(shown)}}}")
        return test.subject, test, text
    return None


def _span(system: str, lo: str, hi: str | None) -> tuple[str, str]:
    """The keys (:func:`range_key`) every code of a set's part lies between: an exact code
    (``hi`` None), a prefix (``lo == hi``) or a range and what is below its end. A key
    starts with the keys of a code's prefixes of 3 characters or more only: a shorter
    prefix (``*``, every code, is the letters) spans every key."""
    if hi == lo and len(lo) < 3:
        return "", "\U0010ffff"
    klo = range_key(system, lo)
    if hi is None:
        return klo, klo
    return klo, range_key(system, hi) + "\U0010ffff"


def _share(a: Any, b: Any) -> bool:
    """Whether two sets of :func:`_one_value` (code sets, or the values of a ``Member``
    or ``CodeIn``) may hold a value in common: False only when surely not: their parts
    share no span, or every code of one is among the other's exclusions (``first dx not
    in {I10}`` and ``first dx in {I10}``). Otherwise a code set's exclusions are left out,
    so it is read as no smaller than it is."""
    if isinstance(a, CodeSet):
        if a.system != b.system:
            return True
        if _within(b, a.excluded) or _within(a, b.excluded):  # not in {I10} / in {I10}
            return False
        # one sweep in the order of the spans' starts: a span meets one of the other set
        # when one of those, started before it, has not ended yet
        spans = sorted([(*_span(a.system, lo, hi), 0) for lo, hi in _parts(a)]
                       + [(*_span(b.system, lo, hi), 1) for lo, hi in _parts(b)])
        ends: list[str | None] = [None, None]
        for start, end, side in spans:
            other = ends[1 - side]
            if other is not None and other >= start:
                return True
            if ends[side] is None or end > ends[side]:  # type: ignore[operator]
                ends[side] = end
        return False
    if isinstance(a, Member):
        return bool(a.values & b.values)
    if a.values & b.values:
        return True
    return any(v.startswith(p) for v in a.values for p in b.prefixes) or \
        any(v.startswith(p) for v in b.values for p in a.prefixes) or \
        any(p.startswith(q) or q.startswith(p) for p in a.prefixes for q in b.prefixes)


def _within(codes: CodeSet, outside: tuple[CodeSet, ...]) -> bool:
    """Whether every code of ``codes`` is surely in one of the sets ``outside``; False when
    not sure. Its exact codes are asked of the sets themselves; a prefix of it is in when a
    prefix of one of them (a set with no exclusions) starts it; a range is never claimed."""
    parts = _parts(codes)
    if not outside or not parts:
        return False
    for lo, hi in parts:
        if hi is None:
            if not any(lo in x for x in outside):
                return False
        elif hi != lo or not any(_starts_within(lo, x) for x in outside):
            return False
    return True


def _starts_within(prefix: str, codes: CodeSet) -> bool:
    """Whether every code starting with ``prefix`` is surely in ``codes`` (a set with no
    exclusions, one of whose prefixes, or of the sets it is the union of, starts it)."""
    if codes.excluded:
        return False
    return prefix.startswith(codes.prefixes) or any(_starts_within(prefix, p)
                                                    for p in codes.plus)


def _never_both(parts: tuple[Any, ...]) -> tuple[str, str, str, bool] | None:
    """Two tests of one ``and`` of a value a line or claim has one of, whose sets share no
    value (``procedure in 95810 and procedure in 95811``: "and" written for "or"), or a
    test and a negated one that leaves out every value the first allows (``procedure in S
    and procedure not in S``, ``modifier 25 and modifier not in {25}``, ``dx in E11.9 and
    no dx in E11.-``: :func:`_negated_clash`): the two as written, why, and whether the
    second kind; None when every pair can hold at once."""
    seen: dict[str, list[tuple[Any, str]]] = {}
    flat = _flat_and(parts)
    for p in flat:
        one = _one_value(p)
        if one is None:
            continue
        subject, values, text = one
        for other, other_text in seen.get(subject, ()):
            if not _share(other, values):
                return other_text, text, _ONE_VALUE[subject], False
        seen.setdefault(subject, []).append((values, text))
    return _negated_clash(flat)


#: What a positive and a negated test are about, as a never-true error names it.
_NOUNS = {"procedure": "procedure code", "modifier": "modifier", "sex": "sex",
          "claim_type": "claim type", "payer": "payer", "pos": "place of service",
          "bill_type": "type of bill", "revenue_code": "revenue code"}


def _signed(test: Any) -> tuple[str, Any, bool, str] | None:
    """(subject, values, negated, as written) of a test a negated test of the same subject
    can contradict: ``procedure in S`` / ``procedure not in S`` (a ``not`` before it),
    ``modifier``, ``[any|all|no] [first] [pointed] dx in S`` (``all``: at least one
    diagnosis, all in S; ``no`` and a ``not`` before ``dx in`` are negated), ``sex``,
    ``claim_type``, ``payer``, ``pos``, ``bill_type``, ``revenue_code``. None for any other
    test (an ordered test, ``dx not in S``: the complement of a set, a line quantifier)."""
    negated = isinstance(test, Not)
    inner = test.part if negated else test
    if isinstance(inner, ProcIn | ModIn):
        subject = "procedure" if isinstance(inner, ProcIn) else "modifier"
        return (subject, inner.codes, negated,
                f"{subject} {'not in' if negated else 'in'} {inner.codes.text}")
    if isinstance(inner, DxIn):
        if inner.codes.excluded and _EVERYTHING in inner.codes.plus:  # dx not in S
            return None
        if inner.quant == NO:
            negated = not negated
            written = f"no {inner.subject} in {inner.codes.text}"
        else:
            quant = "all " if inner.quant == ALL else ""
            written = f"{quant}{inner.subject} in {inner.codes.text}"
        if isinstance(test, Not):
            written = f"not {written}"
        if negated and inner.quant == ALL:  # not all dx in S: some dx outside S
            return None
        return "dx " + inner.subject, inner.codes, negated, written
    if isinstance(inner, Member | CodeIn):
        shown = sorted(inner.values) + [f"{p}x" for p in getattr(inner, "prefixes", ())]
        if len(shown) == 1:
            written = f"{inner.subject} {'!=' if negated else '='} {shown[0]}"
        else:
            written = (f"{inner.subject} {'not in' if negated else 'in'} "
                       f"{{{', '.join(shown)}}}")
        return inner.subject, inner, negated, written
    return None


#: Whose values a negated test of dx names: a claim's diagnoses hold its first, its
#: pointed and its first pointed ones; a line's pointed diagnoses its first pointed one.
_DX_WITHIN = {"dx " + CLAIM_DX: ("dx " + CLAIM_DX, "dx " + FIRST_DX, "dx " + POINTED_DX,
                                 "dx " + FIRST_POINTED_DX),
              "dx " + POINTED_DX: ("dx " + POINTED_DX, "dx " + FIRST_POINTED_DX)}


def _left_out(kept: Any, excluded: Any) -> bool:
    """Whether every value ``kept`` allows is surely among ``excluded``'s (same kind:
    code sets, or the values of a ``Member`` or ``CodeIn``); False when unsure."""
    if isinstance(kept, CodeSet):
        if kept.system != excluded.system:
            return False
        parts = _parts(kept)
        return bool(parts) and (kept == excluded or not _uncovered(parts, (excluded,)))
    prefixes = getattr(excluded, "prefixes", ())
    return bool(kept.values or getattr(kept, "prefixes", ())) and \
        all(v in excluded.values or (prefixes and v.startswith(prefixes))
            for v in kept.values) and \
        all(prefixes and p.startswith(prefixes) for p in getattr(kept, "prefixes", ()))


def _negated_clash(flat: list[Any]) -> tuple[str, str, str, bool] | None:
    """A test and a negated test of one ``and`` (:func:`_signed`) that no claim meets both
    of: the negated one leaves out every value the other allows (``procedure in 99213 and
    procedure not in 99211-99215``, ``sex != F and sex = F``, ``all dx in {I10} and no dx
    in {I10}``): (the two as written, in the order written, why, True); None otherwise."""
    signed = [s for s in map(_signed, flat) if s is not None]
    for i, (subject, kept, negated, text) in enumerate(signed):
        if negated:
            continue
        for j, (other, excluded, other_negated, other_text) in enumerate(signed):
            if not other_negated or not (
                    other == subject or subject in _DX_WITHIN.get(other, ())):
                continue
            if _left_out(kept, excluded):
                noun = "diagnosis" if subject.startswith("dx ") else _NOUNS[subject]
                why = f"'{other_text}' leaves out every {noun} '{text}' allows"
                return (text, other_text, why, True) if i < j else \
                    (other_text, text, why, True)
    return None


def _header(values: dict[str, Any], fields: dict[str, tuple[Token, Any]]
            ) -> list[tuple[str, Any, str, int]]:
    """The header fields a condition can contradict: (name, value, as written, line) of
    ``claim_type``, ``payer``, ``effective`` and ``until``, when given."""
    out: list[tuple[str, Any, str, int]] = []
    for name in ("claim_type", "payer", "effective", "until"):
        if name in values:
            value = values[name]
            shown = ", ".join(value) if isinstance(value, tuple) else str(value)
            out.append((name, value, f"{name}: {shown}", fields[name][0].line or 0))
    return out


def _member_text(test: Any) -> str:
    """A ``Member`` test, or ``Not`` of one, as written (``payer = medicare``, ``claim_type
    != professional``, ``payer not in {a, b}``)."""
    negated = isinstance(test, Not)
    m = test.part if negated else test
    shown = sorted(m.values)
    if len(shown) == 1:
        return f"{m.subject} {'!=' if negated else '='} {shown[0]}"
    return f"{m.subject} {'not in' if negated else 'in'} {{{', '.join(shown)}}}"


def _against_header(header: list[tuple[str, Any, str, int]], cond: Any
                    ) -> tuple[str, str, str, int] | None:
    """A test of ``cond``'s ``and`` (nested ``and`` groups read as one; not inside ``any
    line where (...)``, whose date is another line's) that no claim the rule's header
    takes meets: (the header field as written, the test as written, why, the field's
    line); None when there is none. A date of service is the one the rule's dates are
    judged by (a line rule's line, a claim rule's claim); a claim has one claim type and is
    routed to one payer family (a plan's own ID may go with any family:
    ``payer: acme`` and ``payer = medicare`` is left alone)."""
    if not header:
        return None
    flat = _flat_and((cond,))
    for name, value, written, line in header:
        for p in flat:
            if name in ("effective", "until"):
                bounds = _bounds(p)
                if bounds is None or bounds[0] != "dos":
                    continue
                h = Compare("dos", ">=" if name == "effective" else "<=", value)
                if _never_together((h, p)) is not None:
                    return written, bounds[5], "no date of service meets both", line
                continue
            negated = isinstance(p, Not)
            m = p.part if negated else p
            if not isinstance(m, Member) or m.subject != name:
                continue
            if negated and set(value) <= m.values:
                return (written, _member_text(p), f"it excludes every {name.replace('_', ' ')} "
                        "the rule is for", line)
            if negated or set(value) & m.values:
                continue
            if name == "claim_type":
                return written, _member_text(p), "a claim has one claim type", line
            if set(value) <= set(_PAYER_FAMILIES) and m.values <= set(_PAYER_FAMILIES):
                return written, _member_text(p), "a claim is routed to one payer family", line
    return None


def _never_together(parts: tuple[Any, ...]) -> tuple[str, str] | None:
    """Two ordered tests of one ``and`` that no value meets both of (``age >= 65 and age
    < 18``), as written; None when every pair can hold at once. Nested ``and`` groups are
    read as one."""
    flat = _flat_and(parts)
    # subject -> [low, low included, the test that set it, high, high included, its test]
    seen: dict[str, list[Any]] = {}
    for p in flat:
        b = _bounds(p)
        if b is None:
            continue
        subject, low, low_in, high, high_in, text = b
        step = _STEP.get(subject)
        if step is not None:  # a discrete subject: "> 64" is ">= 65", "< 18" is "<= 17"
            if low is not None and not low_in:
                low, low_in = low + step, True
            if high is not None and not high_in:
                high, high_in = high - step, True
        now = seen.setdefault(subject, [None, True, "", None, True, ""])
        if low is not None and (now[0] is None or low > now[0] or (low == now[0] and not low_in)):
            now[0:3] = [low, low_in, text]
        if high is not None and (now[3] is None or high < now[3] or
                                 (high == now[3] and not high_in)):
            now[3:6] = [high, high_in, text]
        lo, lo_in, lo_text, hi, hi_in, hi_text = now
        if lo is not None and hi is not None and \
                (lo > hi or (lo == hi and not (lo_in and hi_in))):
            return (lo_text, hi_text) if lo_text != text else (hi_text, text)
    return None

