"""Compiled policies at work: conditions as plain data, :class:`Policy` and :class:`PolicySet`.

A compiled condition is a tree of small frozen objects (:class:`AllOf`, :class:`DxIn`,
:class:`ProcIn`...), each with ``test(view, line)``; no Python is generated or evaluated,
and everything pickles. A :class:`PolicySet` indexes its rules by payer and by the procedure
codes that trigger them, so a claim only evaluates the rules that can apply to it:

>>> from codekit.policies import loads
>>> rules = loads('''
... rule A
...   payer: medicare
...   source: "s"
...   for each line where procedure in 98940-98942
...   require first pointed dx in M99.00-M99.05
... end
... rule B
...   source: "s"
...   for each line where procedure in 93668
...   require pointed dx in I70.211-I70.218
... end''')
>>> rules[0].trigger, rules[0].residual
(ProcIn(codes=CodeSet(procedure: 98940-98942)), None)
>>> rules[0].checks[0][1]
DxIn(subject='first pointed dx', quant='any', codes=CodeSet(icd10cm: M99.00-M99.05))
>>> idx = rules._by_payer["medicare"]
>>> idx.rules_for("98941"), idx.rules_for("93668"), idx.rules_for("99213")
((0,), (1,), ())
>>> rules._anyone.rules_for("98941")  # other payers: only rule B applies
()
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

import attrs

from .._frozen import maker
from ..findings import Finding, Severity
from ._codesets import CodeSet, _in_ranges, procedure_key

if TYPE_CHECKING:
    from ..claims import Claim
    from ..rules import ClaimContext, LineInfo

__all__ = [
    "AllOf", "AnyOf", "Between", "CodeIn", "Compare", "DxIn", "Example", "LineQuant", "Member",
    "ModIn", "Not", "Policy", "PolicySet", "ProcIn", "SameDayQuant", "Template", "View",
    "check_unique_ids",
]

# Subjects of a diagnosis test, quantifiers.
CLAIM_DX, FIRST_DX, POINTED_DX, FIRST_POINTED_DX = "dx", "first dx", "pointed dx", \
    "first pointed dx"
ANY, ALL, NO = "any", "all", "no"

OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge, "<=": operator.le, "!=": operator.ne, "=": operator.eq,
    "<": operator.lt, ">": operator.gt,
}


# -- the claim as the conditions see it ---------------------------------------------------


class View:
    """A claim as the compiled conditions see it, built once per claim and only when a rule
    may apply. Conditions get it with the :class:`~codekit.rules.context.LineInfo` of the
    line at hand (or None). Invalid diagnoses are ``None``: they are in no set; so is a
    procedure code that is not valid on its date."""

    __slots__ = ("_pointers", "claim", "ctx", "dx", "hits", "infos", "quants")

    def __init__(self, ctx: ClaimContext) -> None:
        self.ctx = ctx
        self.claim = ctx.claim
        self.dx: tuple[str | None, ...] = ctx.dx_codes
        #: Per position, the diagnosis's facts (with its dotted code), or False if invalid.
        self.hits: Sequence[Any] = ctx.dx_hits
        self.infos = ctx.lines
        self._pointers: dict[int, tuple[int, ...]] | None = None
        #: What each :class:`LineQuant` found on this claim, by the quantifier's id: its
        #: truth, or (for ``other line``) the truth of its condition on every line and
        #: how many hold. A quantifier is thus judged once per claim, not once per line
        #: of every enclosing quantifier (see :class:`LineQuant`).
        self.quants: dict[int, Any] = {}

    def pointers(self, ln: LineInfo) -> tuple[int, ...]:
        """0-based positions of the diagnoses the line points to (an 837I line without
        pointers: every diagnosis)."""
        memo = self._pointers
        if memo is None:
            memo = self._pointers = {}
        got = memo.get(ln.index)
        if got is None:
            n = len(self.dx)
            given = ln.line.diagnosis_pointers
            got = tuple([p - 1 for p in given if 0 < p <= n])
            if not given and self.claim.claim_type == "institutional":
                got = tuple(range(n))
            memo[ln.index] = got
        return got

    def pointed(self, ln: LineInfo) -> list[str | None]:
        """Compact codes of the diagnoses the line points to, in pointer order."""
        dx = self.dx
        return [dx[i] for i in self.pointers(ln)]


def _age(v: View, ln: LineInfo | None) -> int | None:
    """The patient's age on the line's date (the claim's, without a line): a line dated
    after a birthday the claim's date precedes is judged at the new age."""
    ctx = v.ctx
    if ln is None or ln.day == ctx.day:
        return ctx.age
    age = v.claim.patient.age_on(ln.day)
    return age if age is not None and 0 <= age <= 124 else None


def _value(subject: str, v: View, ln: LineInfo | None) -> Any:
    if subject == "age":
        return _age(v, ln)
    if subject == "units":
        return ln.line.units if ln is not None else None
    if subject == "dos":
        return ln.day if ln is not None else v.claim.date_of_service
    if subject == "sex":
        return v.claim.patient.sex
    if subject == "claim_type":
        return v.claim.claim_type
    return v.ctx.payer


def _digits(text: str | None, width: int) -> str | None:
    """A place of service (``width`` 2) or revenue code (4) as compared: without spaces,
    a number written short padded with zeros (``2`` is ``02``, ``450`` is ``0450``, as the
    I/OCE reads it); None when there is none."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    return text.zfill(width) if len(text) < width and text.isdigit() else text


def _pos(v: View, ln: LineInfo | None) -> str | None:
    """The place of service: the line's, else the claim's (the claim's, without a line)."""
    own = ln.line.place_of_service if ln is not None else None
    if own is not None and own.strip():
        return _digits(own, 2)
    return _digits(v.claim.place_of_service, 2)


def _bill_type(v: View) -> str | None:
    """The claim's type of bill without its leading zero (``0131`` is ``131``)."""
    bill = v.claim.bill_type
    return (bill.strip().lstrip("0") or None) if bill is not None else None


def _code_value(subject: str, v: View, ln: LineInfo | None) -> str | None:
    if subject == "pos":
        return _pos(v, ln)
    if subject == "bill_type":
        return _bill_type(v)
    return _digits(ln.line.revenue_code, 4) if ln is not None else None


# -- conditions ---------------------------------------------------------------------------


# Conditions test with explicit loops, not all()/any() over a generator: a generator is
# an object and a frame for each test, and a quantifier tests its condition on every line.


@attrs.frozen
class AllOf:
    parts: tuple[Any, ...]

    def test(self, v: View, ln: LineInfo | None) -> bool:
        for p in self.parts:  # noqa: SIM110
            if not p.test(v, ln):
                return False
        return True


@attrs.frozen
class AnyOf:
    parts: tuple[Any, ...]

    def test(self, v: View, ln: LineInfo | None) -> bool:
        for p in self.parts:  # noqa: SIM110
            if p.test(v, ln):
                return True
        return False


@attrs.frozen
class Not:
    part: Any

    def test(self, v: View, ln: LineInfo | None) -> bool:
        return not self.part.test(v, ln)


@attrs.frozen
class DxIn:
    """``[any|all|no] [first] [pointed] dx in SET``. ``all`` needs at least one diagnosis."""

    subject: str
    quant: str
    codes: CodeSet

    def test(self, v: View, ln: LineInfo | None) -> bool:
        s = self.subject
        if s == CLAIM_DX:
            seq: Sequence[str | None] = v.dx
        elif s == FIRST_DX:
            seq = v.dx[:1]
        elif s == POINTED_DX:
            seq = v.pointed(ln) if ln is not None else ()
        else:
            seq = v.pointed(ln)[:1] if ln is not None else ()
        codes = self.codes
        quant = self.quant
        if quant == ALL:
            return bool(seq) and all(c is not None and c in codes for c in seq)
        if codes.flat:  # the common case, inlined: exact codes and prefixes
            exact, prefixes = codes.exact, codes.prefixes
            for c in seq:
                if c is not None and (c in exact or (prefixes and c.startswith(prefixes))):
                    return quant == ANY
            return quant == NO
        for c in seq:
            if c is not None and c in codes:
                return quant == ANY
        return quant == NO


@attrs.frozen
class ProcIn:
    """``procedure in SET``: the line's procedure code (valid on its date) is in the set."""

    codes: CodeSet

    def test(self, v: View, ln: LineInfo | None) -> bool:
        if ln is None or ln.entry is None:
            return False
        codes, code = self.codes, ln.code
        if not codes.direct:  # unions and differences of sets
            return code in codes
        # CodeSet.__contains__ inlined: one look-up for listed codes and expanded ranges
        # (a line with an entry has its compact code)
        if code in codes.members or (codes.prefixes and
                                     code.startswith(codes.prefixes)):  # type: ignore[union-attr]
            return True
        if not codes.ranges or code in codes.known:
            return False
        return _in_ranges(codes.keyed, procedure_key(code))  # type: ignore[arg-type]


@attrs.frozen
class ModIn:
    """``modifier X`` / ``modifier in {...}``: the line carries one of the modifiers."""

    codes: CodeSet

    def test(self, v: View, ln: LineInfo | None) -> bool:
        if ln is None:
            return False
        codes = self.codes
        if codes.flat and not codes.prefixes:  # always, as written: modifiers one by one
            members = codes.members
            for m in ln.modifiers:  # noqa: SIM110
                if m in members:
                    return True
            return False
        for m in ln.modifiers:  # noqa: SIM110
            if m in codes:
                return True
        return False


@attrs.frozen
class Compare:
    """``age >= 65``, ``units > 1``, ``dos < 2024-01-01``, ``sex = F``. An unknown value
    (no age, no units) makes every comparison false."""

    subject: str
    op: str
    value: Any

    def test(self, v: View, ln: LineInfo | None) -> bool:
        got = _value(self.subject, v, ln)
        return got is not None and OPS[self.op](got, self.value)


@attrs.frozen
class Between:
    """``age between 50 and 77`` (both ends included)."""

    subject: str
    low: Any
    high: Any

    def test(self, v: View, ln: LineInfo | None) -> bool:
        got = _value(self.subject, v, ln)
        return got is not None and self.low <= got <= self.high


@attrs.frozen
class Member:
    """``sex in {F, U}``, ``payer not in {medicare}``. A payer matches by its family
    (``medicare`` for "Medicare Part B") or its own name (``acme``), as ``payer:`` does."""

    subject: str
    values: frozenset[str]

    def test(self, v: View, ln: LineInfo | None) -> bool:
        if self.subject == "payer":  # as the 'payer:' field: the family or the own name
            return any(name in self.values for name in v.ctx.payers)
        got = _value(self.subject, v, ln)
        return got in self.values


@attrs.frozen
class CodeIn:
    """``pos in {02, 10}``, ``bill_type = 131``, ``revenue_code in {0450, 045x}``: the
    place of service (the line's, else the claim's), the claim's type of bill or the line's
    revenue code is one of ``values``, or starts with one of ``prefixes`` (``13x``,
    ``045x``). A claim or line with none is in no set."""

    subject: str
    values: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def test(self, v: View, ln: LineInfo | None) -> bool:
        got = _code_value(self.subject, v, ln)
        if got is None:
            return False
        return got in self.values or (bool(self.prefixes) and got.startswith(self.prefixes))


@attrs.frozen
class LineQuant:
    """``any|all|no [other] line(s) where (COND)``. ``all`` needs at least one line.

    The cost is linear in the claim: ``COND`` can only speak of the quantifier's own line
    (a nested quantifier cannot name an outer line, save through ``other``), so a
    quantifier without ``other`` has one truth per claim, and one with ``other`` one truth
    of ``COND`` per line. Both are remembered in the :class:`View`: ``COND`` is evaluated
    at most once per line and per quantifier, however deep the nesting, where evaluating
    afresh for every line of every enclosing quantifier would cost ``lines ** depth``; and
    only on the lines it takes to decide (``any line`` stops at the first that holds, ``any
    other line`` as soon as a line other than its own holds).
    """

    quant: str
    other: bool
    cond: Any

    def test(self, v: View, ln: LineInfo | None) -> bool:
        memo = v.quants
        key = id(self)  # the View lives for one claim, the policy longer: ids are stable
        got = memo.get(key)
        if not self.other:
            if got is None:
                test, lines = self.cond.test, v.infos
                if self.quant == ALL:
                    got = bool(lines)
                    for x in lines:
                        if not test(v, x):
                            got = False
                            break
                else:  # any, no: whether one line holds
                    got = False
                    for x in lines:
                        if test(v, x):
                            got = True
                            break
                    if self.quant == NO:
                        got = not got
                memo[key] = got
            return bool(got)
        # 'other' (a line test: ``ln`` is the line, left out). Whether another line
        # decides: holds (any, no) or fails (all). The lines are judged in order, each
        # once a claim and only as far as a question needs: the state remembered is the
        # next line to judge and the first two lines found to decide (with two, every line
        # has another).
        pos, first, second = (0, -1, -1) if got is None else got
        skip = ln.index if ln is not None else -1
        every = self.quant == ALL
        if not ((first >= 0 and first != skip) or second >= 0):
            test, infos = self.cond.test, v.infos
            n = len(infos)
            while pos < n:
                x = infos[pos]
                pos += 1
                if (not test(v, x)) is every:  # this line decides
                    if first >= 0:
                        second = pos - 1
                        break
                    first = pos - 1
                    if first != skip:
                        break
            memo[key] = (pos, first, second)
        found = (first >= 0 and first != skip) or second >= 0
        if self.quant == ANY:
            return found
        if every:
            return not found and len(v.infos) > (0 if ln is None else 1)
        return not found


@attrs.frozen
class SameDayQuant(LineQuant):
    """``any|all|no [other] line(s) on the same day where (COND)``: a :class:`LineQuant`
    over the lines whose date of service (a line's own, else the claim's) is the current
    line's (the compiler allows it only where there is one).

    As for ``other``, ``COND`` is evaluated once per line and claim; the lines are
    counted by day, and each line then reads its day's counts (less itself, for
    ``other``): linear in the claim, however many days it spans.
    """

    def test(self, v: View, ln: LineInfo | None) -> bool:
        if ln is None:  # pragma: no cover - refused by the compiler
            return LineQuant.test(self, v, ln)
        memo = v.quants
        key = id(self)
        got = memo.get(key)
        if got is None:
            cond = self.cond
            truths: list[bool] = []
            days: dict[dt.date, list[int]] = {}  # day -> [lines, lines where COND holds]
            for x in v.infos:
                held = bool(cond.test(v, x))
                truths.append(held)
                count = days.get(x.day)
                if count is None:
                    count = days[x.day] = [0, 0]
                count[0] += 1
                count[1] += held
            got = memo[key] = (truths, days)
        truths, days = got
        lines, holding = days[ln.day]
        if self.other:
            lines -= 1
            holding -= truths[ln.index]
        if self.quant == ANY:
            return holding > 0
        if self.quant == ALL:
            return lines > 0 and holding == lines
        return holding == 0


# -- messages -----------------------------------------------------------------------------

#: Placeholders a message may use, and whether they need a line.
PLACEHOLDERS: dict[str, tuple[bool, str]] = {
    "rule": (False, "the policy's rule ID"),
    "title": (False, "the policy's title"),
    "line": (True, "the line number"),
    "procedure": (True, "the line's procedure code"),
    "modifiers": (True, "the line's modifiers, comma-separated ('none' when none)"),
    "units": (True, "the line's units"),
    "pointed_dx": (True, "the diagnoses the line points to ('none' when none)"),
    "first_pointed_dx": (True, "the line's first pointed diagnosis ('none' when none)"),
    "dx": (False, "every diagnosis on the claim"),
    "first_dx": (False, "the first-listed diagnosis"),
    "age": (False, "the patient's age on the date of service (the line's, for line rules; "
                   "'unknown' when not known)"),
    "sex": (False, "the patient's sex"),
    "payer": (False, "the claim's payer"),
    "claim_type": (False, "professional or institutional"),
    "dos": (False, "the date of service (the line's, for line rules)"),
    "pos": (False, "the place of service (the line's, else the claim's; 'none' when none)"),
    "bill_type": (False, "the claim's type of bill ('none' when none)"),
    "revenue_code": (True, "the line's revenue code ('none' when none)"),
}


@attrs.frozen
class Template:
    """A message with ``{placeholders}``: literal text and names, alternating."""

    parts: tuple[tuple[bool, str], ...]  # (is_name, text)

    def render(self, values: Callable[[str], str]) -> str:
        """The text, each name replaced by ``values(name)``.

        >>> Template(((False, "Line "), (True, "line"))).render(lambda name: "3")
        'Line 3'
        """
        return "".join([values(t) if is_name else t for is_name, t in self.parts])


def _join(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "none"


def _shown_dx(v: View, i: int) -> str:
    """A diagnosis as a finding shows it: dotted (as its facts hold it: ``E11.9``,
    ``I10``), or as written when it is invalid."""
    hit = v.hits[i]
    return hit.dotted if hit else v.claim.diagnoses[i].strip()


# -- policies -----------------------------------------------------------------------------


@attrs.frozen
class Example:
    """An example claim carried by a policy: ``expect`` is ``"pass"`` (no finding) or
    ``"fail"`` (at least one; exactly on ``lines`` when given)."""

    name: str
    expect: str
    claim: Claim
    lines: tuple[int, ...] | None = None
    file: str = "<string>"
    line: int = 0


#: A check: ("require" | "forbid" | "deny", condition or None, whether the location is
#: relative to the line, the location).
Check = tuple[str, Any, bool, tuple[Any, ...]]
#: A compiled message: its texts with blanks, and the functions that fill in the blanks
#: (each with the positions of its blanks).
_Render = tuple[tuple[str, ...],
                tuple[tuple[Callable[["Policy", View, Any], str], tuple[int, ...]], ...]]


@attrs.frozen
class Policy:
    """One compiled rule. ``check(ctx)`` yields its findings for a claim.

    ``scope`` is ``"line"`` (``for each line``: one finding per failing line) or
    ``"claim"`` (one finding per claim). ``trigger`` is the condition that makes the rule
    apply (``for each line where`` and ``when``), ``checks`` what it then demands.
    ``index`` is a superset of the procedure codes that can trigger it (None: any claim);
    ``residual`` what remains to test once a line's code is in the index.
    """

    id: str
    finding: str
    severity: Severity
    title: str
    source: str
    scope: str
    trigger: Any
    checks: tuple[Check, ...]
    message: Template
    payers: tuple[str, ...] = ()
    claim_types: tuple[str, ...] = ()
    effective: dt.date | None = None
    until: dt.date | None = None
    index: CodeSet | None = None
    #: The trigger less what the index already guarantees (None: nothing left to test).
    residual: Any = None
    examples: tuple[Example, ...] = ()
    file: str = "<string>"
    line: int = 0

    #: The source, with the policy's rule ID: what a finding cites.
    reference: str = attrs.field(init=False, eq=False)
    #: The shape of most coverage rules, checked without building a View: (first pointer
    #: only?, the code set) for "for each line where procedure in X / require [any|first]
    #: pointed dx in S"; else None.
    fast: tuple[bool, CodeSet] | None = attrs.field(init=False, eq=False, repr=False)
    _fast_parts: tuple[Any, ...] = attrs.field(init=False, eq=False, repr=False, default=())
    #: The message, compiled (:func:`_compiled`): each placeholder filled in once however
    #: often the message names it, the texts joined with no format string to parse.
    _render: _Render | None = attrs.field(init=False, eq=False, repr=False, default=None)

    def __attrs_post_init__(self) -> None:
        ref = f"{self.source} [policy {self.id}]" if self.source else f"policy {self.id}"
        object.__setattr__(self, "reference", ref)
        object.__setattr__(self, "_render", _compiled(self.message))
        fast = None
        if (self.scope == "line" and self.index is not None and self.residual is None
                and len(self.checks) == 1 and self.checks[0][0] == "require"):
            cond = self.checks[0][1]
            if (isinstance(cond, DxIn) and cond.quant == ANY
                    and cond.subject in (POINTED_DX, FIRST_POINTED_DX)):
                fast = (cond.subject == FIRST_POINTED_DX, cond.codes)
        object.__setattr__(self, "fast", fast)
        if fast is not None:  # what _run_fast reads, unpacked once
            codes = fast[1]
            object.__setattr__(self, "_fast_parts", (
                fast[0], codes, codes.flat, codes.exact, codes.prefixes, codes.seen,
                self.effective, self.until))

    def applies_to(self, claim: Claim, payers: tuple[str, ...] | None = None) -> bool:
        """Payer and claim type in scope (dates are checked per line or claim). ``payers``
        are the names the claim's payer goes by (:attr:`ClaimContext.payers`: the routed
        family, ``medicare`` for "Medicare Part B" or filing indicator MB, and its own
        name)."""
        names = (claim.payer.lower(),) if payers is None else payers
        return ((not self.payers or any(n in self.payers for n in names))
                and (not self.claim_types or claim.claim_type in self.claim_types))

    def in_effect(self, day: dt.date) -> bool:
        """Whether the policy applies to a service on ``day``: between its ``effective``
        and ``until`` dates, both included (None: no bound)."""
        return ((self.effective is None or day >= self.effective)
                and (self.until is None or day <= self.until))

    def check(self, ctx: ClaimContext) -> Iterator[Finding]:
        """The findings of this rule on one claim (see :class:`PolicySet` for many rules)."""
        if not self.applies_to(ctx.claim, ctx.payers):
            return iter(())
        if self.index is not None:
            idx = self.index
            lines = [ln.index for ln in ctx.lines if ln.entry is not None and ln.code in idx]
            if not lines:
                return iter(())
        else:
            lines = None
        out: list[Finding] = []
        self._run(ctx, [None], lines, out)
        return iter(out)

    def _run(self, ctx: ClaimContext, box: list[View | None], lines: list[int] | None,
             out: list[Finding]) -> None:
        """Append the findings on the claim (on ``lines`` only, when given) to ``out``.
        ``box`` holds the claim's View once built (shared by the rules of a set)."""
        if self.fast is not None and lines is not None:
            self._run_fast(ctx, box, lines, out)
            return
        start, end = self.effective, self.until
        if lines is not None and self.scope == "line" and (start is not None or
                                                          end is not None):
            # the lines of the rule's dates: none, and the claim's View is not built
            infos = ctx.lines
            for i in lines:
                day = infos[i].day
                if not ((start is not None and day < start) or (end is not None and
                                                                 day > end)):
                    break
            else:
                return
        v = box[0]
        if v is None:
            v = box[0] = View(ctx)
        if self.scope == "line":
            trigger = self.residual
            for i in (range(len(v.infos)) if lines is None else lines):
                info = v.infos[i]
                if info.entry is None or (start is not None and info.day < start) or (
                        end is not None and info.day > end):
                    continue
                if trigger is not None and not trigger.test(v, info):
                    continue
                for kind, cond, relative, focus in self.checks:
                    if kind == "deny" or (kind == "require") != cond.test(v, info):
                        out.append(self._finding(v, info, relative, focus,
                                                 _fix(kind, cond, v, info)))
                        break
        elif self.in_effect(v.claim.date_of_service) and (
                self.residual is None or self.residual.test(v, None)):
            f = self._judge(v, None)
            if f is not None:
                out.append(f)

    def _run_fast(self, ctx: ClaimContext, box: list[View | None], lines: list[int],
                  out: list[Finding]) -> None:
        """:meth:`_run` for :attr:`fast` rules: the same findings, fewer steps. ``lines``
        are lines with a valid procedure code (the callers' index look-ups keep no other)."""
        first_only, codes, flat, exact, prefixes, seen, start, end = self._fast_parts
        infos, dxs = ctx.lines, ctx.dx_hits  # per position: DxFacts, or False if invalid
        n = len(dxs)
        for i in lines:
            info = infos[i]
            if start is not None or end is not None:
                day = info.day
                if (start is not None and day < start) or (end is not None and day > end):
                    continue
            pointers = info.line.diagnosis_pointers
            if not pointers and ctx.claim.claim_type == "institutional":
                pointers = tuple(range(1, n + 1))  # 837I: every diagnosis
            covered = False
            # "first pointed dx": the first pointer that points to a diagnosis
            if flat:  # exact codes and prefixes only
                for p in pointers:
                    if 0 < p <= n:
                        d = dxs[p - 1]
                        if d and (d.code in exact or  # type: ignore[union-attr]
                                  (prefixes and d.code.startswith(prefixes))):  # type: ignore[union-attr]
                            covered = True
                            break
                        if first_only:
                            break
            else:
                for p in pointers:
                    if 0 < p <= n:
                        d = dxs[p - 1]
                        if d:
                            code = d.code  # type: ignore[union-attr]
                            hit = seen.get(code)
                            if hit is None:
                                hit = code in codes
                                if len(seen) < 4096:
                                    seen[code] = hit
                            if hit:
                                covered = True
                                break
                        if first_only:
                            break
            if not covered:
                v = box[0]
                if v is None:
                    v = box[0] = View(ctx)
                _, _, relative, focus = self.checks[0]
                out.append(self._finding(v, info, relative, focus))

    def _judge(self, v: View, ln: LineInfo | None) -> Finding | None:
        for kind, cond, relative, focus in self.checks:
            # require: a finding when the condition fails; forbid: when it holds.
            if kind == "deny" or (kind == "require") != cond.test(v, ln):
                return self._finding(v, ln, relative, focus, _fix(kind, cond, v, ln))
        return None

    def _finding(self, v: View, ln: LineInfo | None, relative: bool,
                 focus: tuple[Any, ...], fix: tuple[str, ...] = ()) -> Finding:
        location: tuple[Any, ...] = focus
        if ln is not None:
            hits = v.hits
            shown = [ln.line.procedure_code.strip()]
            for i in v.pointers(ln):  # _shown_dx, inlined
                hit = hits[i]
                shown.append(hit.dotted if hit else v.claim.diagnoses[i].strip())
            codes = tuple(shown)
            if not relative:  # about the claim (age, dx anywhere...): the line is denied
                location = ("service_lines", ln.index)
            elif focus[:1] == ("diagnosis_pointers",) and not ln.line.diagnosis_pointers:
                # no pointer to point at, and still the line's finding: an 837I line (which
                # has none: every diagnosis counts as pointed) is the line itself; an 837P
                # line sent without any, its missing pointers (where PTR_MISSING points)
                location = (("service_lines", ln.index)
                            if v.claim.claim_type == "institutional"
                            else ("service_lines", ln.index, "diagnosis_pointers"))
            else:
                location = ("service_lines", ln.index, *focus)
        else:
            codes = tuple(_shown_dx(v, i) for i in range(len(v.dx)))
        render = self._render
        if render is None:
            message = "".join([FILL[t](self, v, ln) if is_name else t
                               for is_name, t in self.message.parts])
        else:
            pieces, fill = render
            if not fill:
                message = pieces[0]
            else:
                parts = list(pieces)
                for f, at in fill:  # each placeholder filled in once, wherever it stands
                    text = f(self, v, ln)
                    for k in at:
                        parts[k] = text
                message = "".join(parts)
        # every finding of a policy, on every path (_run, _run_fast, claim and line
        # rules), is made here: it carries the policy's rule ID as data (Finding.policy)
        return _new_finding(self.finding, self.severity, message, location, codes,
                            self.reference, fix, self.id)


def _fix(kind: str, cond: Any, v: View, ln: LineInfo | None) -> tuple[str, ...]:
    """The machine-readable fix of a failed line demand, when the demand names it (else
    ``()``, the message being the only advice): ``require modifier AT`` or ``require
    modifier in {95, GT}`` on a line without it, the modifiers to add, as written (a named
    set's in code order); ``require units <= 4`` (or ``forbid units > 4``, ``units between
    1 and 4``...) on a line with a number of units outside it, the nearest number allowed,
    what the line is to carry instead (none below 1). Finding.fix's contract."""
    if ln is None or kind == "deny":
        return ()
    if kind == "require" and isinstance(cond, ModIn):
        codes = cond.codes
        written = [w.strip().upper() for w in codes.text.strip("{} ").split(",")]
        if written and all(w in codes.exact for w in written):
            return tuple(dict.fromkeys(written))
        return tuple(sorted(codes.exact)) if codes.flat and not codes.prefixes else ()
    if getattr(cond, "subject", None) != "units":
        return ()
    got = ln.line.units
    if got is None:
        return ()
    best: Decimal | None = None
    if isinstance(cond, Between):
        if kind == "require":
            best = cond.low if got < cond.low else cond.high if got > cond.high else None
    elif isinstance(cond, Compare):
        op, n = cond.op, cond.value
        if kind == "forbid":  # forbid units > 4: require units <= 4
            op = _NEGATED.get(op, "")
        whole = n == n.to_integral_value()
        best = {"<=": n, ">=": n, "=": n, "<": n - 1 if whole else None,
                ">": n + 1 if whole else None}.get(op)
    if best is None or best < 1 or best == got:
        return ()
    return (str(best.to_integral_value()) if best == best.to_integral_value()
            else str(best.normalize()),)


#: The comparison that holds exactly when ``op`` fails (none for ``!=``: no one value).
_NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "!=": "="}


def _pointed_text(p: Policy, v: View, ln: Any) -> str:
    # a diagnosis pointed to twice (pointers 1 and 3 to one code) is named once
    return _join(list(dict.fromkeys(_shown_dx(v, i) for i in v.pointers(ln))))


def _first_pointed_text(p: Policy, v: View, ln: Any) -> str:
    pointers = v.pointers(ln)
    return _shown_dx(v, pointers[0]) if pointers else "none"


def _age_text(p: Policy, v: View, ln: Any) -> str:
    age = _age(v, ln)
    return "unknown" if age is None else str(age)


def _rule_text(p: Policy, v: View, ln: Any) -> str:
    return p.id


def _title_text(p: Policy, v: View, ln: Any) -> str:
    return p.title or f"policy {p.id} is not met"


def _dx_text(p: Policy, v: View, ln: Any) -> str:
    return _join([_shown_dx(v, i) for i in range(len(v.dx))])


def _first_dx_text(p: Policy, v: View, ln: Any) -> str:
    return _shown_dx(v, 0) if v.dx else "none"


def _sex_text(p: Policy, v: View, ln: Any) -> str:
    return v.claim.patient.sex


def _payer_text(p: Policy, v: View, ln: Any) -> str:
    return v.ctx.payer


def _claim_type_text(p: Policy, v: View, ln: Any) -> str:
    return v.claim.claim_type


def _dos_text(p: Policy, v: View, ln: Any) -> str:
    return (ln.day if ln is not None else v.claim.date_of_service).isoformat()


def _line_text(p: Policy, v: View, ln: Any) -> str:
    return str(ln.line.line)


def _procedure_text(p: Policy, v: View, ln: Any) -> str:
    # the code as codekit reads it (G0008, not the g0008 typed), else as written
    return ln.code or ln.line.procedure_code.strip()


def _modifiers_text(p: Policy, v: View, ln: Any) -> str:
    return _join(ln.modifiers)


def _units_text(p: Policy, v: View, ln: Any) -> str:
    return "none" if ln.line.units is None else str(ln.line.units)


def _as_written(text: str | None) -> str:
    text = (text or "").strip()
    return text or "none"


def _pos_text(p: Policy, v: View, ln: Any) -> str:
    own = ln.line.place_of_service if ln is not None else None
    return _as_written(own if own is not None and own.strip() else v.claim.place_of_service)


def _bill_type_text(p: Policy, v: View, ln: Any) -> str:
    return _as_written(v.claim.bill_type)


def _revenue_code_text(p: Policy, v: View, ln: Any) -> str:
    return _as_written(ln.line.revenue_code)


#: How each placeholder is filled in: (policy, view, line or None) → text. Line
#: placeholders are accepted only in line rules, so ``ln`` is then a line. (Functions of
#: the module, not lambdas: a compiled message holds them, and policies pickle.)
FILL: dict[str, Callable[[Policy, View, Any], str]] = {
    "rule": _rule_text,
    "title": _title_text,
    "dx": _dx_text,
    "first_dx": _first_dx_text,
    "age": _age_text,
    "sex": _sex_text,
    "payer": _payer_text,
    "claim_type": _claim_type_text,
    "dos": _dos_text,
    "line": _line_text,
    "procedure": _procedure_text,
    "modifiers": _modifiers_text,
    "units": _units_text,
    "pointed_dx": _pointed_text,
    "first_pointed_dx": _first_pointed_text,
    "pos": _pos_text,
    "bill_type": _bill_type_text,
    "revenue_code": _revenue_code_text,
}


def _compiled(message: Template) -> _Render | None:
    """(the message's pieces, how its placeholders are filled in) for a message: its
    texts, with a blank where a placeholder stands, and for each placeholder its
    :data:`FILL` function and the blanks it fills (a placeholder the message names twice
    is filled in once); the text alone when the message names nothing; None when it names
    a placeholder :data:`FILL` does not know (a template made by hand: rendered as before).
    The pieces, filled in and joined, are :meth:`Template.render`'s text."""
    at: dict[str, list[int]] = {}
    pieces: list[str] = []
    text = False  # whether the last piece is text (two texts in a row are one piece)
    for is_name, part in message.parts:
        if not is_name:
            if text:
                pieces[-1] += part
            else:
                pieces.append(part)
            text = True
            continue
        if part not in FILL:
            return None
        at.setdefault(part, []).append(len(pieces))
        pieces.append("")
        text = False
    if not at:
        return ("".join(pieces),), ()
    return tuple(pieces), tuple((FILL[name], tuple(ks)) for name, ks in at.items())


# -- many policies, indexed ---------------------------------------------------------------


@attrs.frozen
class _Index:
    """Rules of one payer partition, by the procedure codes that trigger them."""

    exact: dict[str, tuple[int, ...]]
    bounds: tuple[str, ...]  # sorted segment starts of the range triggers (procedure_key)
    segments: tuple[tuple[int, ...], ...]  # rules whose ranges cover each segment
    always: tuple[int, ...]  # rules with no procedure trigger
    #: code → rules, remembered (a claim stream repeats its codes); bounded.
    memo: dict[str, tuple[int, ...]] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def build(cls, policies: Sequence[tuple[int, Policy]]) -> _Index:
        exact: dict[str, list[int]] = {}
        ranges: list[tuple[str, str, int]] = []
        always: list[int] = []
        for i, p in policies:
            if p.index is None:
                always.append(i)
                continue
            for code in p.index.exact:
                exact.setdefault(code, []).append(i)
            for lo, hi in p.index.keyed:  # by procedure_key: one kind of code a range
                ranges.append((lo, hi + "\x00", i))  # half-open [lo, hi + NUL)
        points = sorted({x for lo, hi, _ in ranges for x in (lo, hi)})
        segments = []
        for k, start in enumerate(points):
            stop = points[k + 1] if k + 1 < len(points) else "\uffff"
            segments.append(tuple(sorted({i for lo, hi, i in ranges
                                          if lo <= start and stop <= hi})))
        return cls({k: tuple(v) for k, v in exact.items()}, tuple(points), tuple(segments),
                   tuple(always))

    def rules_for(self, code: str) -> tuple[int, ...]:
        """The rules a line with procedure ``code`` may trigger, in rule order."""
        hits = self.memo.get(code)
        if hits is None:
            hits = self.exact.get(code, ())
            if self.bounds:
                k = bisect.bisect_right(self.bounds, procedure_key(code)) - 1
                if k >= 0 and self.segments[k]:
                    hits = tuple(sorted({*hits, *self.segments[k]}))
            if len(self.memo) >= 1 << 16:
                self.memo.clear()
            self.memo[code] = hits
        return hits


def _policy_tuple(policies: Iterable[Policy]) -> tuple[Policy, ...]:
    return tuple(policies)  # the attrs converter of PolicySet.policies, typed


def _files_tuple(files: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple(files)  # the attrs converter of PolicySet.files, typed


def _source_line(file: str, line: int) -> str:
    """Line ``line`` of the policy file ``file`` when it can be read, else ""."""
    from pathlib import Path

    from ._errors import source_line

    try:
        path = Path(file)
        return source_line(path.read_text(encoding="utf-8"), line) if path.is_file() else ""
    except (OSError, UnicodeDecodeError, ValueError):
        return ""


def check_unique_ids(sets: Iterable[Policy | Iterable[Policy]]) -> None:
    r"""Raise a :class:`~codekit.errors.PolicyError` (``duplicate_rule``) naming both files
    and lines when two policies of ``sets`` (policy sets, or single policies) share an ID:
    rules used together must have distinct IDs, or a claim gets the same finding twice and
    a user's rule silently sits next to a shipped one of the same ID. Items that are
    neither are ignored.

    >>> from codekit.policies import loads
    >>> a = loads('rule R1\n source: "x"\n deny\nend', file="a.policy")
    >>> b = loads('\nrule R1\n source: "y"\n deny\nend', file="b.policy")
    >>> check_unique_ids([a, b])
    Traceback (most recent call last):
    ...
    codekit.errors.PolicyError: b.policy:2:1: duplicate rule ID 'R1' (first defined in ...
    expected: a rule ID used once across the policies used together
    """
    from ..errors import PolicyError

    first: dict[str, Policy] = {}
    for item in sets:
        if isinstance(item, Policy):
            group: Iterable[Any] = (item,)
        elif isinstance(item, PolicySet):
            group = item.policies
        elif isinstance(item, Iterable) and not isinstance(item, str | bytes | bytearray):
            group = item
        else:
            continue
        for policy in group:
            if not isinstance(policy, Policy):
                continue
            prev = first.get(policy.id)
            if prev is None:
                first[policy.id] = policy
                continue
            # (prev is policy when one set is given twice: its rules would run twice too)
            text = _source_line(policy.file, policy.line)
            col = text.find(policy.id, text.find("rule") + 4 if "rule" in text else 0) + 1
            again = (prev.file, prev.line) == (policy.file, policy.line)
            raise PolicyError(
                f"duplicate rule ID {policy.id!r} (first defined in {prev.file} line "
                f"{prev.line}{': the same file used twice' if again else ''})",
                kind="duplicate_rule", file=policy.file, line=policy.line,
                column=col if col > 0 else 1, text=text,
                expected="a rule ID used once across the policies used together")


def _partitions(policies: tuple[Policy, ...]) -> tuple[dict[str, _Index], _Index]:
    numbered = list(enumerate(policies))
    anyone = [(i, p) for i, p in numbered if not p.payers]
    payers = sorted({x for p in policies for x in p.payers})
    by_payer = {payer: _Index.build([(i, p) for i, p in numbered
                                     if not p.payers or payer in p.payers])
                for payer in payers}
    return by_payer, _Index.build(anyone)


@attrs.frozen
class PolicySet(Sequence[Policy]):
    """Compiled policies, in file order, indexed for checking.

    It is a sequence of :class:`Policy`; its own :meth:`check` looks up, for each line,
    only the rules its procedure code triggers, so pass the set itself to the checker
    (``Checker(policies=[policy_set])``) rather than its policies one by one.
    """

    policies: tuple[Policy, ...] = attrs.field(default=(), converter=_policy_tuple)
    #: The files the set was compiled from (:func:`codekit.policies.load`), each as
    #: ``{"file": path, "bytes": size, "sha256": digest}`` of the bytes compiled, read
    #: once; empty for text (``loads``) and sets made by hand.
    files: tuple[dict[str, Any], ...] = attrs.field(default=(), converter=_files_tuple,
                                                    eq=False, kw_only=True)
    _by_payer: dict[str, _Index] = attrs.field(init=False, repr=False, eq=False)
    _anyone: _Index = attrs.field(init=False, repr=False, eq=False)
    #: The index of the rules of several payer names at once (a claim of "acme", routed
    #: to ``commercial``: the rules of either), by those names; built when first needed.
    _merged: dict[tuple[str, ...], _Index] = attrs.field(init=False, repr=False, eq=False,
                                                         factory=dict)

    def __attrs_post_init__(self) -> None:
        check_unique_ids([self.policies])  # one ID, one rule: also for ``a + b``
        by_payer, anyone = _partitions(self.policies)
        object.__setattr__(self, "_by_payer", by_payer)
        object.__setattr__(self, "_anyone", anyone)

    @overload
    def __getitem__(self, i: int) -> Policy: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Policy]: ...
    def __getitem__(self, i: int | slice) -> Policy | Sequence[Policy]:
        return self.policies[i]

    def __len__(self) -> int:
        return len(self.policies)

    def __add__(self, other: object) -> PolicySet:
        if not isinstance(other, PolicySet):
            return NotImplemented
        return PolicySet(self.policies + other.policies, files=self.files + other.files)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule IDs of the set's policies, in the set's order
        (``"MCR-G2211-MOD25"``...)."""
        return tuple(p.id for p in self.policies)

    def get(self, rule_id: str) -> Policy | None:
        """The policy with ``rule_id``, or None."""
        return next((p for p in self.policies if p.id == rule_id), None)

    def _index_of(self, names: tuple[str, ...]) -> _Index:
        """The index of the rules for every payer name of ``names`` (each rule once)."""
        key = tuple([n for n in names if n in self._by_payer])
        idx = self._merged.get(key)
        if idx is None:
            idx = _Index.build([(i, p) for i, p in enumerate(self.policies)
                                if not p.payers or any(n in p.payers for n in key)])
            if len(self._merged) < 256:
                self._merged[key] = idx
        return idx

    def check(self, ctx: ClaimContext) -> Iterator[Finding]:
        """The findings of every rule that applies to the claim, in rule order. A rule
        applies when its ``payer`` names any of the claim's payer names
        (:attr:`ClaimContext.payers`: its family and its own name)."""
        by_payer = self._by_payer
        idx = self._anyone
        if by_payer:  # the rules of the claim's payer names; of several, merged
            found: _Index | None = None
            for name in ctx.payers:
                named = by_payer.get(name)
                if named is not None:
                    if found is not None:  # a second name with rules: both names' rules
                        found = self._index_of(ctx.payers)
                        break
                    found = named
            if found is not None:
                idx = found
        wanted: dict[int, list[int] | None] | None = None
        if idx.exact or idx.bounds:
            memo = idx.memo
            for ln in ctx.valid_lines:
                hits = memo.get(ln.code)  # type: ignore[arg-type]
                if hits is None:
                    hits = idx.rules_for(ln.code)  # type: ignore[arg-type]
                if not hits:
                    continue
                if wanted is None:
                    wanted = {}
                for i in hits:
                    got = wanted.get(i)
                    if got is None:
                        wanted[i] = [ln.index]
                    elif got[-1] != ln.index:
                        got.append(ln.index)
        if idx.always:
            if wanted is None:
                wanted = {}
            for i in idx.always:
                wanted[i] = None
        if not wanted:
            return _NOTHING
        box: list[View | None] = [None]
        out: list[Finding] = []
        policies = self.policies
        for i in sorted(wanted) if len(wanted) > 1 else wanted:
            p = policies[i]
            if p.claim_types and ctx.claim.claim_type not in p.claim_types:
                continue
            lines = wanted[i]
            if p.fast is not None and lines is not None:
                p._run_fast(ctx, box, lines, out)
            else:
                p._run(ctx, box, lines, out)
        return iter(out) if out else _NOTHING

    def __repr__(self) -> str:
        return f"PolicySet({len(self.policies)} policies)"


_NOTHING: Iterator[Finding] = iter(())  # exhausted: shared by every claim with no finding
#: Finding(...), made faster (codekit._frozen: the same objects)
_new_finding = maker(Finding)


def number(text: str) -> Decimal:
    """A decimal from policy text (raises ValueError)."""
    from decimal import InvalidOperation

    if "_" in text:  # Decimal reads "6_5" as 65: a typo, not a number
        raise ValueError(text)
    try:
        d = Decimal(text)
    except InvalidOperation as e:
        raise ValueError(text) from e
    if not d.is_finite():
        raise ValueError(text)
    return d
