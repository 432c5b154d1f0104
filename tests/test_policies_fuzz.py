"""Property tests: the loader fails only with PolicyError whatever it reads; random valid
policies over random claims never raise, and the indexed PolicySet finds exactly what the
rules find one by one (also after pickling)."""

from __future__ import annotations

import contextlib
import copy
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from codekit import Checker, Claim
from codekit.policies import PolicyError, PolicySet, loads
from codekit.rules.context import ClaimContext

MEDICARE_DIR = Path(__file__).resolve().parents[1] / "data" / "policies" / "medicare"
SAMPLE = (MEDICARE_DIR / "chiropractic.policy").read_text(encoding="utf-8")

FAST = settings(deadline=None, max_examples=150, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def _loads_or_policy_error(text: str) -> None:
    with contextlib.suppress(PolicyError):
        loads(text)


@FAST
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    _loads_or_policy_error(text)


VOCAB = [
    "rule", "set", "end", "for", "each", "line", "lines", "where", "when", "require", "forbid",
    "deny", "example", "pass", "fail", "expect", "not", "and", "or", "in", "any", "all", "no",
    "first", "pointed", "dx", "diagnosis", "other", "procedure", "modifier", "age", "units",
    "dos", "sex", "claim_type", "payer", "between", "except", "on", "type", "bill",
    "the", "same", "day",
    "conditions", "patient", "born", "dated", "title:", "source:", "payer:", "effective:",
    "until:", "message:", "finding:", "severity:", "claim_type:", "bogus:", "R1", "S",
    "M99.00-M99.05", "M99.05-M99.00", "E11.-", "E11", "E119", "I10", "98940-98942", "93668",
    "G0121", "AT", "59", "ZZ", "2025-11-03", "2025-13-01", "70", "-1", "F", "X",
    "medicare", "professional", '"text"', '"{line} {nope}"', '"{dx}"', '"', "{", "}", "(",
    ")", ",", "=", "+", "->", ">=", "<", "!=", "#", "\n", "∈", "{{", "É",
]


@FAST
@given(st.lists(st.sampled_from(VOCAB), max_size=60))
def test_token_soup(words: list[str]) -> None:
    _loads_or_policy_error(" ".join(words))


@FAST
@given(st.data())
def test_mutated_policy_files(data: st.DataObject) -> None:
    text = SAMPLE
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        chunk = data.draw(st.sampled_from([*VOCAB, "x", " ", "9", ".", "-"]))
        if op == "delete":
            text = text[:i] + text[i + data.draw(st.integers(1, 12)):]
        elif op == "insert":
            text = text[:i] + chunk + text[i:]
        else:
            text = text[:i] + chunk + text[i + len(chunk):]
    _loads_or_policy_error(text)


# -- random valid policies over random claims ----------------------------------------------

DX_SETS = ["I10", "E11.9", "E11.-", "M99.00-M99.05", "I70.211-I70.218", "Z12.11", "M54.50",
           "{I10, E11.-}", "{M99.00-M99.05, M54.5-}", "E11.- except E11.9",
           "I10 + {Z12.11, Z12.12}", "SUBLUX", "SUBLUX except M99.03", "DIAB + SUBLUX"]
PROC_SETS = ["98940-98942", "93668", "99213", "{97140, 98941}", "G0008-G0010", "71271",
             "CMT", "CMT except 98941", "{99202-99215, 93668}"]
MOD_SETS = ["AT", "59", "{59, XS}", "{GP, AT, 25}"]
OPS = [">=", "<=", "=", "!=", "<", ">"]


def _line_atom() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda s, neg: f"procedure {'not ' if neg else ''}in {s}",
                  st.sampled_from(PROC_SETS), st.booleans()),
        st.builds(lambda m: f"modifier {m}" if not m.startswith("{") else f"modifier in {m}",
                  st.sampled_from(MOD_SETS)),
        st.builds(lambda op, n: f"units {op} {n}", st.sampled_from(OPS),
                  st.sampled_from(["0", "1", "2.5"])),
        st.builds(lambda q, f, s: f"{q}{f}pointed dx in {s}",
                  st.sampled_from(["", "any ", "all ", "no "]),
                  st.sampled_from(["", "first "]), st.sampled_from(DX_SETS)),
        st.builds(lambda d: f"dos >= {d}", st.sampled_from(["2020-01-01", "2025-11-03"])),
    )


def _claim_atom() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda q, f, s, neg: f"{q}{f}dx {'not ' if neg else ''}in {s}",
                  st.sampled_from(["", "any ", "all ", "no "]),
                  st.sampled_from(["", "first "]), st.sampled_from(DX_SETS), st.booleans()),
        st.builds(lambda op, n: f"age {op} {n}", st.sampled_from(OPS),
                  st.sampled_from(["0", "18", "65", "130"])),
        st.builds(lambda a, b: f"age between {min(a, b)} and {max(a, b)}",
                  st.integers(0, 100), st.integers(0, 100)),
        st.sampled_from(["sex = F", "sex != M", "sex in {F, U}", "claim_type = professional",
                         "payer = medicare", "payer in {medicare, acme}",
                         "dos between 2025-01-01 and 2025-12-31"]),
    )


def _combine(atom: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.recursive(atom, lambda inner: st.one_of(
        st.builds(lambda a, b: f"{a} and {b}", inner, inner),
        st.builds(lambda a, b: f"({a} or {b})", inner, inner),
        st.builds(lambda a: f"not {a}", inner),
    ), max_leaves=5)


LINE_COND = _combine(st.one_of(_line_atom(), _claim_atom()))
CLAIM_COND = _combine(st.one_of(
    _claim_atom(),
    st.builds(lambda q, c: f"{q} line where ({c})",
              st.sampled_from(["any", "all", "no"]), _combine(_line_atom())),
))


@st.composite
def rule_texts(draw: st.DrawFn, k: int) -> str:
    line_rule = draw(st.booleans())
    cond = LINE_COND if line_rule else CLAIM_COND
    body = []
    if line_rule and draw(st.booleans()):  # the common coverage shape (the fast path)
        body.append(f"  for each line where procedure in {draw(st.sampled_from(PROC_SETS))}")
        body.append(f"  require {draw(st.sampled_from(['', 'any ', 'first ']))}pointed dx in "
                    f"{draw(st.sampled_from(DX_SETS))}")
        return f"rule FUZZ-{k}\n  source: \"fuzz {k}\"\n" + "\n".join(body) + "\nend\n"
    if line_rule:
        trigger = draw(st.one_of(st.none(), st.builds(lambda s: f"procedure in {s}",
                                                      st.sampled_from(PROC_SETS)), LINE_COND))
        body.append("  for each line" + (f" where {trigger}" if trigger else ""))
    if draw(st.booleans()):
        body.append(f"  when {draw(cond)}")
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["require", "forbid", "deny"]))
        body.append("  deny" if kind == "deny" else f"  {kind} {draw(cond)}")
    header = [f'  source: "fuzz {k}"']
    if draw(st.booleans()):
        header.append(f"  payer: {draw(st.sampled_from(['medicare', 'acme', 'medicare, acme']))}")
    if draw(st.booleans()):
        header.append(f"  claim_type: {draw(st.sampled_from(['professional', 'institutional']))}")
    if draw(st.booleans()):
        header.append("  effective: 2025-01-01\n  until: 2025-12-31")
    if draw(st.booleans()):
        msg = "{rule} {dx} {age}" + (" {line} {procedure} {pointed_dx}" if line_rule else "")
        header.append(f'  message: "{msg}"')
    return f"rule FUZZ-{k}\n" + "\n".join(header + body) + "\nend\n"


PREAMBLE = "set SUBLUX = M99.00-M99.05\nset DIAB = E11.- except E11.9\nset CMT = 98940-98942\n"

CLAIMS = st.fixed_dictionaries({
    "claim_type": st.sampled_from(["professional", "institutional"]),
    "payer": st.sampled_from(["medicare", "acme", "commercial"]),
    "patient": st.one_of(
        st.fixed_dictionaries({"sex": st.sampled_from(["F", "M", "U", "X"]),
                               "age": st.integers(-5, 140)}),
        st.fixed_dictionaries({"sex": st.sampled_from(["F", "M"]),
                               "birth_date": st.sampled_from(["1950-03-01", "2030-01-01"])})),
    "date_of_service": st.sampled_from(["2025-11-03", "2024-02-29", "2019-08-01"]),
    "diagnoses": st.lists(st.sampled_from(
        ["I10", "E11.9", "E11.65", "M99.03", "M54.50", "I70.211", "Z12.11", "E11.99", "",
         "garbage", "M99.01"]), max_size=5),
    "service_lines": st.lists(st.fixed_dictionaries({
        "procedure_code": st.sampled_from(["98941", "93668", "99213", "97140", "G0008",
                                           "71271", "99999", "99201", "ABCDE", "98940"]),
        "modifiers": st.lists(st.sampled_from(["AT", "59", "GP", "XS", "ZZ", "25"]),
                              max_size=3),
        "units": st.sampled_from([None, 0, 1, 2.5]),
        "diagnosis_pointers": st.lists(st.integers(0, 14), max_size=5),
    }), max_size=4),
})


def _general(rules: PolicySet) -> list[Any]:
    """Copies of the policies that never take the fast path."""
    out = []
    for p in rules:
        q = copy.copy(p)
        object.__setattr__(q, "fast", None)
        out.append(q)
    return out


def _findings(policies: Any, ctx: ClaimContext) -> list[Any]:
    return [f for p in policies for f in p.check(ctx)]


@settings(deadline=None, max_examples=120, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=4).flatmap(
    lambda ks: st.tuples(*(rule_texts(i) for i in range(len(ks))))),
    st.lists(CLAIMS, min_size=1, max_size=3))
def test_random_policies_over_random_claims(texts: tuple[str, ...],
                                            claims: list[dict[str, Any]]) -> None:
    try:
        rules = loads(PREAMBLE + "\n".join(texts))
    except PolicyError as e:  # "age >= 65 and age < 18": refused as never true
        refused = e
    else:
        refused = None
    if refused is not None:
        assert refused.kind == "never_true", refused
        assume(False)
    again = pickle.loads(pickle.dumps(rules))
    checker = Checker(policies=[rules])
    for data in claims:
        claim = Claim.from_dict(data)
        ctx = checker.context(claim)
        indexed = list(rules.check(ctx))
        assert indexed == _findings(rules, ctx)  # the index loses and adds nothing
        assert indexed == list(again.check(ctx))
        assert list(PolicySet(rules.policies[::-1]).check(ctx)) == \
            _findings(rules.policies[::-1], ctx)
        assert indexed == _findings(_general(rules), ctx)  # the fast path changes nothing
        for f in indexed:
            assert f.reference.endswith(tuple(f"[policy {p.id}]" for p in rules))
            assert isinstance(f.message, str) and "{" not in f.message
        checker.check(claim)  # with the built-in edits, too


@pytest.mark.parametrize("codes", ["DIAB + SUBLUX", "{E11.65, M99.03}", "E11.-"])
@pytest.mark.parametrize(("pointers", "expected"), [
    ([0, 5], 0),   # pointer 0 points nowhere: the first pointed dx is #5, E11.65
    ([9, 5], 0),   # so does a pointer past the last diagnosis
    ([1, 5], 1),   # #1 is I10: not covered, and only the first pointed dx counts
    ([5, 1], 0),
])
def test_first_pointed_dx_skips_pointers_to_nothing(codes: str, pointers: list[int],
                                                    expected: int) -> None:
    """Found by the fuzz test above: the fast path (flat sets and sets with ranges alike)
    must read "first pointed dx" as the general path does."""
    rules = loads(PREAMBLE + "rule FUZZ-0\n  source: \"fuzz 0\"\n"
                  "  for each line where procedure in 98940-98942\n"
                  f"  require first pointed dx in {codes}\nend\n")
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "patient": {"sex": "F", "age": 70},
        "date_of_service": "2025-11-03", "diagnoses": ["I10", "I10", "I10", "I10", "E11.65"],
        "service_lines": [{"procedure_code": "98941", "units": 1,
                           "diagnosis_pointers": pointers}]})
    checker = Checker(policies=[rules])
    ctx = checker.context(claim)
    assert rules.policies[0].fast is not None  # the case the fast path handles
    found = list(rules.check(ctx))
    assert len(found) == expected
    assert found == _findings(_general(rules), ctx)
