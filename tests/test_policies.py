"""The policy language: every construct on real-code claims (exact findings and locations),
the API (load/loads, PolicySet, pickling, examples) and the CLI functions."""

from __future__ import annotations

import datetime as dt
import functools
import pickle
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, Severity
from codekit.cli import policy as policy_cli
from codekit.policies import (
    DEFAULT_FINDING,
    PolicyError,
    PolicySet,
    load,
    loads,
    run_tests,
)
from codekit.policies._codesets import CodeSet, classify

SOURCE = 'source: "test source §1"'


def make_claim(**kw: Any) -> Claim:
    """A Medicare professional claim on 2025-11-03; keyword arguments override fields."""
    data: dict[str, Any] = {
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1955-02-11"},  # 70 on 2025-11-03
        "date_of_service": "2025-11-03",
        "diagnoses": ["M99.03", "M54.50"],
        "service_lines": [{"procedure_code": "98941", "modifiers": ["AT"], "units": 1,
                           "diagnosis_pointers": [1, 2]}],
    }
    data.update(kw)
    return Claim.from_dict(data)


def line(code: str, pointers: list[int], mods: tuple[str, ...] = (), units: Any = 1,
         **kw: Any) -> dict[str, Any]:
    return {"procedure_code": code, "modifiers": list(mods), "units": units,
            "diagnosis_pointers": pointers, **kw}


def rule(body: str, *, rid: str = "R1", header: str = "") -> str:
    return f"rule {rid}\n  {SOURCE}\n{header}{body}\nend\n"


def findings(text: str, claim: Claim) -> list[Any]:
    """Findings of the policies alone (no built-in edits) on ``claim``."""
    rules = loads(text)
    checker = Checker(policies=[rules])
    ctx = checker.context(claim)
    return list(rules.check(ctx))


def where(text: str, claim: Claim) -> list[tuple[Any, ...]]:
    return [f.location for f in findings(text, claim)]


# -- code sets ----------------------------------------------------------------------------


class TestCodeSets:
    def test_items_by_shape(self) -> None:
        """Codes, ranges and prefixes are read by shape, compact and upper case."""
        assert classify("m99.03").start == "M9903"
        assert classify("M99.00-M99.05").kind == "range"
        assert (classify("E11.-").kind, classify("E11.-").start) == ("prefix", "E11")
        assert (classify("M54.4-").start, classify("98940-98942").system) == ("M544",
                                                                              "procedure")
        assert classify("G0121").system == "procedure"  # dotless: the HCPCS code
        assert classify("XS").system == "modifier"

    def test_range_includes_codes_below_its_end(self) -> None:
        s = CodeSet.of("icd10cm", ranges=[("I70211", "I70218")])
        assert ["I70211" in s, "I70218" in s, "I702181" in s, "I70219" in s, "I7021" in s] \
            == [True, True, True, False, False]

    def test_union_and_difference(self) -> None:
        text = rule("  require dx in DIABETES", header="") .replace(
            "rule R1", "set DIABETES = E11.- + {E10.-} except {E11.9, E10.9}\nrule R1")
        assert where(text, make_claim(diagnoses=["E11.65"])) == []
        assert where(text, make_claim(diagnoses=["E10.10"])) == []
        assert where(text, make_claim(diagnoses=["E11.9"])) == [("diagnoses",)]
        assert where(text, make_claim(diagnoses=["E13.9"])) == [("diagnoses",)]

    def test_union_of_a_difference(self) -> None:
        """``(A except B) + C``: C's codes are back in even if B held them."""
        text = ("set A = E11.- except E11.9\nset B = A + {E11.9}\n"
                + rule("  require dx in B"))
        assert where(text, make_claim(diagnoses=["E11.9"])) == []
        text2 = "set A = E11.- except E11.9\n" + rule("  require dx in A + I10")
        assert where(text2, make_claim(diagnoses=["E11.9"])) == [("diagnoses",)]
        assert where(text2, make_claim(diagnoses=["I10"])) == []

    def test_a_long_except_chain(self) -> None:
        """A chain of ``except`` compiled in quadratic time: 2,000 terms took 20 s, 4,000
        84 s (each step tested every exclusion before it, and copied them)."""
        text = rule("  require dx in M99.00-M99.05" + " except M99.03" * 1999
                    + " except M99.04")
        assert where(text, make_claim(diagnoses=["M99.05"])) == []
        assert where(text, make_claim(diagnoses=["M99.03"])) == [("diagnoses",)]
        assert where(text, make_claim(diagnoses=["M99.04"])) == [("diagnoses",)]
        s = loads(text)[0].checks[0][1].codes
        assert (len(s.excluded), s.text.count(" except ")) == (2000, 2000)
        with pytest.raises(PolicyError) as e:  # what is left is still followed
            loads(rule("  require dx in {M99.03, M99.04, M99.05} except M99.03 except M99.05"
                       " except M99.04"))
        assert e.value.reason == (
            "'{M99.03, M99.04, M99.05} except M99.03 except M99.05 except M99.04' is empty: "
            "every code of {M99.03, M99.04, M99.05} except M99.03 except M99.05 is in M99.04")

    def test_named_sets_in_lists(self) -> None:
        text = ("set SUBLUX = M99.00-M99.05\n"
                + rule("  require first dx in {SUBLUX, M54.50}"))
        assert where(text, make_claim(diagnoses=["M54.50"])) == []
        assert where(text, make_claim(diagnoses=["M99.05"])) == []
        assert where(text, make_claim(diagnoses=["M54.2"])) == [("diagnoses", 0)]

    def test_codes_deleted_since_are_accepted(self) -> None:
        """Z86.010 was billable until FY2024: a rule may cover its time."""
        rules = loads(rule("  require dx in {Z86.010, Z86.0101}"))
        assert len(rules) == 1

    def test_modifier_sets(self) -> None:
        text = ("set DISTINCT = {59, XE, XP, XS, XU}\n"
                + rule("  for each line\n  require modifier in DISTINCT"))
        c = make_claim(service_lines=[line("97140", [1], ("GP", "XS")),
                                      line("97140", [1], ("GP",))])
        assert where(text, c) == [("service_lines", 1, "modifiers")]


# -- conditions ---------------------------------------------------------------------------


class TestConditions:
    def test_procedure_in_and_not_in(self) -> None:
        text = rule("  for each line where procedure not in 98940-98942\n  deny")
        c = make_claim(service_lines=[line("98941", [1]), line("97140", [1], ("GP",))])
        assert where(text, c) == [("service_lines", 1, "procedure_code")]

    def test_modifier_one_and_not_in(self) -> None:
        text = rule("  for each line where procedure in 98940-98942\n  require modifier AT")
        c = make_claim(service_lines=[line("98941", [1], ("AT",)), line("98940", [1])])
        assert where(text, c) == [("service_lines", 1, "modifiers")]
        text2 = rule("  for each line\n  forbid modifier not in {AT, GP}")
        assert where(text2, make_claim(service_lines=[line("98941", [1], ("25",))])) == \
            [("service_lines", 0, "modifiers")]

    def test_units(self) -> None:
        text = rule("  for each line where procedure in 93668\n  require units <= 1")
        c = make_claim(diagnoses=["I70.211"],
                       service_lines=[line("93668", [1], units=2), line("93668", [1])])
        assert where(text, c) == [("service_lines", 0, "units")]
        text2 = rule("  for each line\n  require units between 1 and 4")
        c2 = make_claim(service_lines=[line("97110", [1], units=5),
                                       line("97110", [1], units=None)])
        assert where(text2, c2) == [("service_lines", 0, "units"), ("service_lines", 1, "units")]

    @pytest.mark.parametrize(("test", "diagnoses", "pointers", "fails"), [
        ("dx in I10", ["M54.50", "I10"], [1], False),
        ("dx in I10", ["M54.50"], [1], True),
        ("first dx in I10", ["M54.50", "I10"], [2], True),
        ("first dx in I10", ["I10", "M54.50"], [2], False),
        ("pointed dx in I10", ["M54.50", "I10"], [1], True),
        ("pointed dx in I10", ["M54.50", "I10"], [1, 2], False),
        ("first pointed dx in I10", ["M54.50", "I10"], [1, 2], True),
        ("first pointed dx in I10", ["M54.50", "I10"], [2, 1], False),
        ("all pointed dx in {I10, M54.50}", ["M54.50", "I10", "E11.9"], [1, 2], False),
        ("all pointed dx in {I10, M54.50}", ["M54.50", "I10", "E11.9"], [1, 3], True),
        ("all pointed dx in I10", ["I10"], [], True),  # all needs at least one
        ("no dx in E11.-", ["I10", "E11.9"], [1], True),
        ("no dx in E11.-", ["I10"], [1], False),
        ("any pointed dx not in I10", ["I10", "M54.50"], [1], True),
        ("all pointed dx not in E11.-", ["I10", "M54.50"], [1, 2], False),
        ("diagnosis in I10", ["I10"], [1], False),
    ])
    def test_diagnosis_tests(self, test: str, diagnoses: list[str], pointers: list[int],
                             fails: bool) -> None:
        text = rule(f"  for each line\n  require {test}")
        c = make_claim(diagnoses=diagnoses, service_lines=[line("99213", pointers)])
        assert bool(findings(text, c)) is fails

    def test_invalid_diagnosis_is_in_no_set(self) -> None:
        """E11.99 is not a code: it supports nothing (DX_CODE_UNKNOWN is its finding)."""
        text = rule("  for each line\n  require pointed dx in E11.-")
        c = make_claim(diagnoses=["E11.99"], service_lines=[line("99213", [1])])
        assert where(text, c) == [("service_lines", 0, "diagnosis_pointers")]

    def test_invalid_procedure_line_is_skipped(self) -> None:
        """A line whose code is not valid on its date skips the rule (catalog 0.3)."""
        text = rule("  for each line\n  deny")
        c = make_claim(service_lines=[line("99999", [1]), line("99201", [1]),
                                      line("99213", [1])])
        assert where(text, c) == [("service_lines", 2, "procedure_code")]

    def test_age_sex_claim_type_payer(self) -> None:
        c = make_claim()  # F, 70, professional, medicare
        assert findings(rule("  require age >= 65 and age between 70 and 70"), c) == []
        assert where(rule("  require age < 65"), c) == [("patient",)]
        assert where(rule("  require sex = M"), c) == [("patient", "sex")]
        assert findings(rule("  require sex != M and sex in {F, U}"), c) == []
        assert where(rule("  require claim_type = institutional"), c) == [("claim_type",)]
        assert where(rule("  forbid payer in {medicare, railroad}"), c) == [("payer",)]
        assert findings(rule("  require payer = MEDICARE"), c) == []

    def test_payer_conditions_match_the_payers_own_name_as_the_field_does(self) -> None:
        # 'payer: acme' applied to a claim of payer "ACME" but 'payer = acme' compared the
        # routed family ("commercial") only, so it could never be true
        acme = make_claim(payer="ACME")
        assert where(rule("  forbid payer = acme"), acme) == [("payer",)]
        assert where(rule("  forbid payer in {acme, other}"), acme) == [("payer",)]
        assert where(rule("  forbid payer = commercial"), acme) == [("payer",)]
        assert findings(rule("  require payer != acme"), acme)[0].location == ("payer",)
        assert findings(rule("  require payer not in {acme}"), acme) != []
        assert findings(rule("  forbid payer = acme"), make_claim()) == []
        part_b = make_claim(payer="Medicare Part B")
        assert where(rule("  forbid payer = medicare"), part_b) == [("payer",)]

    def test_unknown_age_fails_every_comparison(self) -> None:
        c = make_claim(patient={"sex": "F", "birth_date": "1800-01-01"})  # 225: invalid
        assert len(findings(rule("  require age >= 0"), c)) == 1
        assert len(findings(rule("  require age < 130"), c)) == 1

    def test_dos_is_the_lines_date(self) -> None:
        text = rule("  for each line\n  require dos >= 2025-11-04")
        c = make_claim(service_lines=[line("99213", [1]),
                                      line("99213", [1], date_of_service="2025-11-05")])
        assert where(text, c) == [("service_lines", 0)]
        assert findings(rule("  require dos between 2025-11-01 and 2025-11-30"), c) == []

    def test_precedence_and_parentheses(self) -> None:
        """``not`` binds tighter than ``and``, ``and`` tighter than ``or``."""
        c = make_claim()  # F 70
        assert findings(rule("  require sex = M and age > 80 or age = 70"), c) == []
        assert len(findings(rule("  require sex = M and (age > 80 or age = 70)"), c)) == 1
        assert findings(rule("  require not sex = M and age = 70"), c) == []
        assert len(findings(rule("  require not (sex = F and age = 70)"), c)) == 1

    def test_line_quantifiers(self) -> None:
        c = make_claim(service_lines=[line("98941", [1], ("AT",)), line("97140", [2], ("GP",))])
        assert findings(rule("  require any line where (procedure in 97140)"), c) == []
        assert where(rule("  require all lines where (modifier AT)"), c) == [("service_lines",)]
        assert where(rule("  require no line where (procedure in 97140)"), c) == \
            [("service_lines",)]
        other = rule("  for each line where procedure in 97140\n"
                     "  forbid any other line where (procedure in 98940-98942)")
        assert where(other, c) == [("service_lines", 1)]  # a claim-wide test: the line
        alone = make_claim(service_lines=[line("97140", [2], ("GP",))])
        assert where(other, alone) == []
        # "other" excludes the line itself
        self_only = rule("  for each line where procedure in 97140\n"
                         "  require no other line where (procedure in 97140)")
        assert where(self_only, alone) == []

    def test_line_quantifiers_on_the_same_day(self) -> None:
        """``... on the same day where (...)`` looks at the lines of the current line's date
        of service (its own, else the claim's, 2025-11-03)."""
        c = make_claim(service_lines=[
            line("98941", [1], ("AT",)), line("97140", [2], ("GP",)),
            line("98941", [1], ("AT",), date_of_service="2025-11-05"),
            line("97140", [2], ("GP",), date_of_service="2025-11-05"),
            line("97140", [2], ("GP",), date_of_service="2025-11-07")])
        beside = rule("  for each line where procedure in 97140\n"
                      "  require any other line on the same day where (procedure in 98941)")
        assert where(beside, c) == [("service_lines", 4)]
        alone = rule("  for each line where procedure in 97140\n"
                     "  require no other line on the same day where (procedure in 98941)")
        assert where(alone, c) == [("service_lines", 1), ("service_lines", 3)]
        # without 'other' the line itself counts; 'all' needs every line of its day
        own = rule("  for each line\n  require all lines on the same day where (modifier AT)")
        assert where(own, c) == [("service_lines", i) for i in range(5)]
        every = rule("  for each line\n"
                     "  require all other lines on the same day where (procedure in 97140)")
        assert where(every, c) == [("service_lines", 1), ("service_lines", 3),
                                   ("service_lines", 4)]  # 11-07: no other line at all
        self_in = rule("  for each line where procedure in 97140\n"
                       "  require any line on the same day where (procedure in 97140)")
        assert where(self_in, c) == []
        # inside a quantifier over the claim, the day is the quantified line's
        nested = rule("  require any line where (procedure in 97140 and "
                      "no other line on the same day where (procedure in 98941))")
        assert where(nested, c) == []
        one_day = make_claim(service_lines=[line("98941", [1], ("AT",)),
                                            line("97140", [2], ("GP",))])
        assert where(nested, one_day) == [("service_lines",)]

    def test_place_of_service_is_the_lines_else_the_claims(self) -> None:
        """``pos``: the line's place of service, else the claim's (a number written short is
        padded: 2 is 02); in a claim rule, the claim's."""
        c = make_claim(place_of_service="11", diagnoses=["I10"], service_lines=[
            line("99213", [1]), line("99214", [1], place_of_service="21"),
            line("99215", [1], place_of_service=" 2")])
        em_inpatient = rule('  message: "Line {line}: {procedure} at place of service {pos}"\n'
                            "  for each line where procedure in 99202-99215\n"
                            "  forbid pos in {21, 22, 23}")
        got = findings(em_inpatient, c)
        assert [(f.location, f.message) for f in got] == [
            (("service_lines", 1), "Line 2: 99214 at place of service 21")]
        telehealth = rule("  for each line\n  require pos not in {02, 10}")
        assert where(telehealth, c) == [("service_lines", 2)]
        assert where(rule("  for each line\n  forbid pos != 11"), c) == [
            ("service_lines", 1), ("service_lines", 2)]
        # a claim rule reads the claim's; a quantifier, each line's
        assert where(rule("  forbid pos = 21"), c) == []
        assert where(rule("  forbid any line where (pos = 21)"), c) == [("service_lines",)]
        assert where(rule("  forbid pos = 11"), c) == [("place_of_service",)]
        # no place of service at all: in no set
        bare = make_claim(diagnoses=["I10"], service_lines=[line("99213", [1])])
        assert where(em_inpatient, bare) == []
        assert where(rule("  for each line\n  require pos in {11}"), bare) == [
            ("service_lines", 0)]

    def test_type_of_bill_and_revenue_code(self) -> None:
        """``bill_type`` is the claim's type of bill without its leading zero (``13x``: any
        last digit); ``revenue_code`` the line's, four digits (450 is 0450)."""
        def inst(bill: str | None, *revenue: str | None) -> Claim:
            return make_claim(claim_type="institutional", bill_type=bill, diagnoses=["I10"],
                              service_lines=[line(("99284", "36415", "99213")[i], [1],
                                                  revenue_code=rev)
                                             for i, rev in enumerate(revenue)])

        outpatient = rule('  message: "type of bill {bill_type}"\n  require bill_type in {13x}')
        got = findings(outpatient, inst("0111"))
        assert [(f.location, f.message) for f in got] == [(("bill_type",), "type of bill 0111")]
        assert where(outpatient, inst("0137")) == where(outpatient, inst("131")) == []
        assert where(outpatient, inst(None)) == [("bill_type",)]
        assert where(rule("  forbid bill_type = 0131"), inst("131")) == [("bill_type",)]
        assert where(rule("  forbid bill_type = 131"), inst("137")) == []
        ed = rule('  message: "Line {line}: revenue code {revenue_code}, {procedure}"\n'
                  "  for each line where revenue_code in {045x}\n"
                  "  require procedure in 99281-99285")
        c = inst("0131", "0450", "450", "0510")
        got = findings(ed, c)
        assert [(f.location, f.message) for f in got] == [
            (("service_lines", 1, "procedure_code"), "Line 2: revenue code 450, 36415")]
        exact = rule("  for each line where procedure in 36415\n  require revenue_code = 0300")
        assert where(exact, c) == [("service_lines", 1, "revenue_code")]
        assert where(exact, inst("0131", None, "0300")) == []
        assert where(exact, inst("0131", None, None)) == [("service_lines", 1, "revenue_code")]

    def test_examples_give_a_place_of_service_type_of_bill_and_revenue_code(self) -> None:
        """``claim pos 11`` and ``bill 0131`` in an example; ``pos 02`` and
        ``revenue_code 0450`` on its lines."""
        rules = loads(rule(
            "  for each line where procedure in 99202-99215 and revenue_code = 0510\n"
            "  forbid pos in {21, 22} or bill_type = 111\n"
            "  example fail { on 2025-11-03 type institutional bill 0131 claim pos 11 dx I10\n"
            "    line 99213 pos 22 revenue_code 0510 -> 1  line 99213 -> 1  expect line 1 }\n"
            "  example pass { on 2025-11-03 type institutional bill 0131 claim pos 22 dx I10\n"
            "    line 99213 dated 2025-11-03 pos 11 revenue_code 0510 -> 1 }\n"
            "  example fail { on 2025-11-03 type institutional bill 111 dx I10\n"
            "    line 99213 revenue_code 0510 -> 1 }"))
        ex = rules[0].examples
        assert (ex[0].claim.bill_type, ex[0].claim.place_of_service) == ("0131", "11")
        assert [(ln.place_of_service, ln.revenue_code) for ln in ex[0].claim.service_lines] == [
            ("22", "0510"), (None, None)]
        assert [(r.expect, r.ok) for r in run_tests(rules)] == [
            ("fail", True), ("pass", True), ("fail", True)]

    def test_when_limits_a_claim_rule(self) -> None:
        text = rule("  when any line where (procedure in G0105)\n"
                    "  require dx in {Z80.0, Z86.0101}")
        screening = make_claim(diagnoses=["Z12.11"], service_lines=[line("G0105", [1])])
        assert where(text, screening) == [("diagnoses",)]
        assert where(text, make_claim()) == []
        policy = loads(text)[0]
        assert policy.index is not None and "G0105" in policy.index
        assert policy.residual is None  # the index is the whole trigger

    def test_forbid_deny_and_the_first_failing_check(self) -> None:
        text = rule("  for each line where procedure in 98940-98942\n"
                    "  require modifier AT\n  require first pointed dx in M99.00-M99.05")
        c = make_claim(diagnoses=["M54.50"], service_lines=[line("98941", [1]),
                                                             line("98940", [1], ("AT",))])
        assert where(text, c) == [("service_lines", 0, "modifiers"),
                                  ("service_lines", 1, "diagnosis_pointers", 0)]
        assert where(rule("  forbid dx in M54.50"), c) == [("diagnoses",)]
        assert where(rule("  deny"), c) == [()]

    def test_institutional_lines_without_pointers_point_to_every_diagnosis(self) -> None:
        text = rule("  for each line where procedure in 93668\n"
                    "  require any pointed dx in I70.211-I70.218")
        c = make_claim(claim_type="institutional", bill_type="131", diagnoses=["I10", "I70.212"],
                       service_lines=[{"procedure_code": "93668", "units": 1}])
        assert where(text, c) == []
        bad = make_claim(claim_type="institutional", bill_type="131", diagnoses=["I10"],
                         service_lines=[{"procedure_code": "93668", "units": 1}])
        assert where(text, bad) == [("service_lines", 0)]
        first = rule("  for each line\n  require first pointed dx in I70.2-")
        assert where(first, bad) == [("service_lines", 0)]

    def test_a_line_without_pointers_keeps_its_finding_on_the_line(self) -> None:
        """Each failing line of an 837I claim (no pointers) has its own finding on its own
        line, not two findings at ``$.diagnoses`` that no row can tell apart; an 837P line
        sent without pointers has it at its missing pointers, as ``PTR_MISSING``."""
        text = rule("  for each line where procedure in {93668, 97110}\n"
                    "  require any pointed dx in {I70.211}")
        lines = [{"procedure_code": "93668", "revenue_code": "0943", "units": 1},
                 {"procedure_code": "97110", "revenue_code": "0420", "units": 1,
                  "modifiers": ["GP"]}]
        inst = make_claim(claim_type="institutional", bill_type="131", diagnoses=["I10"],
                          service_lines=lines)
        assert where(text, inst) == [("service_lines", 0), ("service_lines", 1)]
        rows = Checker(policies=[loads(text)]).check(inst).rows()
        assert [(r["line"], r["path"]) for r in rows if r["policy"] == "R1"] == [
            (1, "$.service_lines[0]"), (2, "$.service_lines[1]")]
        prof = make_claim(diagnoses=["I10"], service_lines=[
            {"procedure_code": "93668", "units": 1, "diagnosis_pointers": []}])
        assert where(text, prof) == [("service_lines", 0, "diagnosis_pointers")]


    def test_a_demand_that_names_its_fix_gives_it(self) -> None:
        """Finding.fix, machine-readable: the modifiers a ``require modifier`` wants added
        (as written, else in code order), and the units a line is to carry for a units
        limit (the nearest allowed; never 0, none when no whole number is nearest); every
        other demand gives none (was: every policy finding had ``fix == ()``)."""
        text = ("set TELE = {GT, 95}\n"
                + rule("  for each line where procedure in 99213\n"
                       "  require modifier in {95, GT}", rid="MOD")
                + rule("  for each line where procedure in 99214\n"
                       "  require modifier in TELE", rid="NAMED")
                + rule("  for each line where procedure in 97110\n  require units <= 4",
                       rid="MAX")
                + rule("  for each line where procedure in 97140\n  forbid units > 2",
                       rid="FORBID")
                + rule("  for each line where procedure in 97112\n"
                       "  require units between 2 and 4", rid="BETWEEN")
                + rule("  for each line where procedure in 97530\n  require units < 2.5",
                       rid="NO-WHOLE")
                + rule("  for each line where procedure in 97535\n  require units >= 0.5",
                       rid="BELOW-ONE")
                + rule("  for each line where procedure in 97750\n"
                       "  require any pointed dx in {I10}", rid="DX"))
        c = make_claim(diagnoses=["M54.50"], service_lines=[
            line("99213", [1]), line("99214", [1]), line("97110", [1], ("GP",), units=5),
            line("97140", [1], ("GP",), units=3), line("97112", [1], ("GP",), units=1),
            line("97530", [1], ("GP",), units=3), line("97535", [1], ("GP",), units=0.25),
            line("97750", [1], ("GP",)),
            {"procedure_code": "97110", "modifiers": ["GP"], "diagnosis_pointers": [1]}])
        got = [(f.policy, f.location[1], f.fix) for f in findings(text, c)]
        assert got == [("MOD", 0, ("95", "GT")), ("NAMED", 1, ("95", "GT")),
                       ("MAX", 2, ("4",)), ("MAX", 8, ()), ("FORBID", 3, ("2",)),
                       ("BETWEEN", 4, ("2",)), ("NO-WHOLE", 5, ()), ("BELOW-ONE", 6, ()),
                       ("DX", 7, ())]
        at = Checker().check(make_claim(service_lines=[line("98941", [1, 2])])).findings
        assert [(f.policy, f.fix) for f in at if f.policy] == [
            ("MCR-CMT-AT-MODIFIER", ("AT",))]


# -- header fields ------------------------------------------------------------------------


class TestHeader:
    def test_defaults(self) -> None:
        p = loads(rule("  deny"))[0]
        assert (p.finding, p.severity, p.payers, p.claim_types, p.effective, p.until,
                p.scope) == (DEFAULT_FINDING, Severity.ERROR, (), (), None, None, "claim")
        assert p.reference == "test source §1 [policy R1]"

    def test_all_fields(self) -> None:
        text = rule("  for each line\n  deny", header=(
            '  title: "Title"\n  finding: PAYER_EDIT\n  severity: warning\n'
            "  payer: Medicare, railroad\n  claim_type: professional\n"
            "  effective: 2020-01-01\n  until: 2025-12-31\n"
            '  message: "m"\n'))
        p = loads(text)[0]
        assert (p.title, p.finding, p.severity, p.payers, p.claim_types, p.effective,
                p.until) == ("Title", "PAYER_EDIT", Severity.WARNING, ("medicare", "railroad"),
                             ("professional",), dt.date(2020, 1, 1), dt.date(2025, 12, 31))
        f = findings(text, make_claim())[0]
        assert (f.rule, f.severity, f.message, f.codes) == (
            "PAYER_EDIT", Severity.WARNING, "m", ("98941", "M99.03", "M54.50"))

    def test_payer_and_claim_type_scope(self) -> None:
        text = rule("  deny", header="  payer: medicare\n  claim_type: institutional\n")
        assert findings(text, make_claim()) == []
        inst = make_claim(claim_type="institutional", bill_type="131")
        assert len(findings(text, inst)) == 1
        assert findings(text, make_claim(claim_type="institutional", bill_type="131",
                                         payer="commercial")) == []

    def test_effective_and_until_use_the_lines_date(self) -> None:
        text = rule("  for each line\n  deny",
                    header="  effective: 2025-11-04\n  until: 2025-11-05\n")
        c = make_claim(service_lines=[line("99213", [1]),
                                      line("99213", [1], date_of_service="2025-11-04"),
                                      line("99213", [1], date_of_service="2025-11-06")])
        assert where(text, c) == [("service_lines", 1, "procedure_code")]
        claim_rule = rule("  deny", header="  until: 2025-11-02\n")
        assert findings(claim_rule, c) == []

    def test_texts_join_and_escape(self) -> None:
        text = ('rule R1\n  source: "a \\"quoted\\" " # a comment\n'
                '          "source \\\\ part"\n  deny\nend')
        assert loads(text)[0].source == 'a "quoted" source \\ part'


class TestMessages:
    def test_default_messages(self) -> None:
        line_rule = rule("  for each line\n  deny", header='  title: "No CMT"\n')
        assert findings(line_rule, make_claim())[0].message == "Line 1 (98941): No CMT"
        assert findings(rule("  deny"), make_claim())[0].message == "policy R1 is not met"

    def test_every_placeholder(self) -> None:
        text = rule("  for each line\n  deny", header=(
            '  title: "T"\n  message: "{rule}|{title}|{line}|{procedure}|{modifiers}|'
            '{units}|{pointed_dx}|{first_pointed_dx}|{dx}|{first_dx}|{age}|{sex}|{payer}|'
            '{claim_type}|{dos}|{{x}}"\n'))
        c = make_claim(diagnoses=["M99.03", "M54.50", "I10"],
                       service_lines=[line("98941", [2, 1], ("AT", "GA"), units=2,
                                           date_of_service="2025-11-04")])
        assert findings(text, c)[0].message == (
            "R1|T|1|98941|AT, GA|2|M54.50, M99.03|M54.50|M99.03, M54.50, I10|M99.03|70|F|"
            "medicare|professional|2025-11-04|{x}")

    def test_invalid_codes_are_shown_as_written(self) -> None:
        text = rule("  for each line\n  require pointed dx in I10",
                    header='  message: "{pointed_dx}"\n')
        c = make_claim(diagnoses=[" e11.99 "], service_lines=[line("99213", [1])])
        assert findings(text, c)[0].message == "e11.99"


# -- examples -----------------------------------------------------------------------------


class TestExamples:
    TEXT = """
rule CMT
  payer: medicare
  source: "BPM ch. 15 §240.1.2"
  for each line where procedure in 98940-98942
  require first pointed dx in M99.00-M99.05
  example pass "ok" { on 2025-11-03  dx M99.03  line 98941 AT -> 1 }
  example fail "wrong line expected" {
    on 2025-11-03
    dx M54.50
    line 98941 AT -> 1
    line 99213 -> 1
    expect line 2
  }
  example pass "wrongly declared pass" { on 2025-11-03  dx M54.50  line 98941 -> 1 }
  example fail "wrongly declared fail" { on 2025-11-03  dx M99.01  line 98941 -> 1 }
end
"""

    def test_results(self) -> None:
        results = run_tests(loads(self.TEXT))
        assert [(r.example, r.ok) for r in results] == [
            ("ok", True), ("wrong line expected", False), ("wrongly declared pass", False),
            ("wrongly declared fail", False)]
        assert results[1].detail == "expected findings on line(s) 2, got line(s) 1"
        assert results[2].detail.startswith("expected no finding, got: Line 1 (98941)")
        assert results[3].detail == "expected a finding, got none"
        assert str(results[0]) == "ok   CMT: pass 'ok'"
        assert str(results[3]).startswith("FAIL CMT: fail 'wrongly declared fail' (<string>:")

    def test_example_claims(self) -> None:
        text = rule("  deny\n  example fail {\n    on 2024-02-29\n    payer Railroad\n"
                    "    type institutional\n    bill 131\n    conditions 45, 44\n"
                    "    patient m born 1950-04-02\n    dx I10, E11.9\n"
                    "    line 93668 kx 59 units 2.5 dated 2024-03-01 -> 2, 1\n"
                    "    line 99213\n  }", header="  payer: medicare\n")
        ex = loads(text)[0].examples[0]
        c = ex.claim
        assert (ex.name, ex.expect, c.payer, c.claim_type, c.bill_type, c.condition_codes,
                c.patient.sex, c.patient.birth_date, c.diagnoses, c.date_of_service) == (
            "example on line 5", "fail", "railroad", "institutional", "131", ("45", "44"),
            "M", dt.date(1950, 4, 2), ("I10", "E11.9"), dt.date(2024, 2, 29))
        l1, l2 = c.service_lines
        assert (l1.line, l1.procedure_code, l1.modifiers, str(l1.units), l1.date_of_service,
                l1.diagnosis_pointers) == (1, "93668", ("KX", "59"), "2.5",
                                           dt.date(2024, 3, 1), (2, 1))
        assert (l2.line, l2.modifiers, l2.diagnosis_pointers) == (2, (), ())

    def test_defaults_come_from_the_rule(self) -> None:
        text = rule("  deny\n  example fail { on 2025-11-03 }",
                    header="  payer: railroad, medicare\n  claim_type: institutional\n")
        c = loads(text)[0].examples[0].claim
        assert (c.payer, c.claim_type, c.patient.sex, c.patient.age) == (
            "railroad", "institutional", "U", None)
        plain = loads(rule("  deny\n  example fail { on 2025-11-03 }"))[0].examples[0].claim
        assert (plain.payer, plain.claim_type) == ("commercial", "professional")

    def test_run_tests_on_a_folder(self, tmp_path: Path) -> None:
        (tmp_path / "a.policy").write_text(self.TEXT, encoding="utf-8")
        assert len(run_tests(tmp_path)) == 4
        assert len(run_tests(str(tmp_path / "a.policy"))) == 4


# -- loading, sets of policies, pickling --------------------------------------------------


class TestLoading:
    def test_load_a_folder_in_path_order(self, tmp_path: Path) -> None:
        (tmp_path / "b.policy").write_text(rule("  deny", rid="B"), encoding="utf-8")
        sub = tmp_path / "sub"
        sub.mkdir()
        (sub / "a.policy").write_text(rule("  deny", rid="A"), encoding="utf-8")
        (tmp_path / "notes.txt").write_text("not a policy", encoding="utf-8")
        rules = load(tmp_path)
        assert rules.ids == ("B", "A")  # b.policy sorts before sub/a.policy
        assert rules[1].file == str(sub / "a.policy") and rules[1].line == 1
        assert load(tmp_path / "b.policy").ids == ("B",)

    def test_a_folder_never_half_loads(self, tmp_path: Path) -> None:
        (tmp_path / "a.policy").write_text(rule("  deny", rid="A"), encoding="utf-8")
        (tmp_path / "b.policy").write_text(rule("  require dx in M99.99", rid="B"),
                                           encoding="utf-8")
        with pytest.raises(PolicyError) as e:
            load(tmp_path)
        assert (e.value.kind, Path(e.value.file).name, e.value.line) == ("unknown_code",
                                                                         "b.policy", 3)

    def test_bytes_and_bom(self) -> None:
        assert loads(("\ufeff" + rule("  deny")).encode()).ids == ("R1",)

    def test_policy_set(self) -> None:
        a, b = loads(rule("  deny", rid="A")), loads(rule("  deny", rid="B"))
        both = a + b
        assert (both.ids, len(both), both[1].id, both.get("B") is both[1], both.get("C")) == (
            ("A", "B"), 2, "B", True, None)
        assert isinstance(both, PolicySet) and repr(both) == "PolicySet(2 policies)"

    def test_indexed_and_one_by_one_agree(self) -> None:
        text = ("set CMT = 98940-98942\n"
                + rule("  for each line where procedure in CMT\n  require modifier AT",
                       rid="A")
                + rule("  for each line where procedure in {97140, 98941}\n"
                       "  require pointed dx in M99.00-M99.05", rid="B")
                + rule("  when any line where (procedure in 98940-98942)\n"
                       "  require age >= 18", rid="C")
                + rule("  for each line where units > 1\n  deny", rid="D"))
        rules = loads(text)
        c = make_claim(patient={"sex": "F", "age": 12}, diagnoses=["M54.50", "M99.01"],
                       service_lines=[line("98941", [1]), line("97140", [1], ("GP",), units=2),
                                      line("98942", [2], ("AT",))])
        indexed = Checker(policies=[rules]).check(c).findings
        flat = Checker(policies=rules).check(c).findings
        assert indexed == flat
        assert [(f.reference.split()[-1], f.location) for f in indexed
                if f.reference.startswith("test")] == [
            ("A]", ("service_lines", 0, "modifiers")),
            ("B]", ("service_lines", 0, "diagnosis_pointers")),
            ("B]", ("service_lines", 1, "diagnosis_pointers")),
            ("C]", ("patient",)),
            ("D]", ("service_lines", 1, "procedure_code"))]

    def test_profile_can_switch_off_or_change_policy_findings(self) -> None:
        from codekit.rules import builtin_profiles

        rules = loads(rule("  for each line\n  deny"))
        prof = builtin_profiles()["medicare-professional"]
        quiet = Checker(profile=prof.evolve(name="q", disable=[DEFAULT_FINDING]),
                        policies=[rules])
        assert DEFAULT_FINDING not in quiet.check(make_claim()).by_rule()
        soft = Checker(profile=prof.evolve(name="s", severities={DEFAULT_FINDING: "warning"}),
                       policies=[rules])
        assert soft.check(make_claim()).by_rule()[DEFAULT_FINDING][0].severity is \
            Severity.WARNING

    def test_pickling(self) -> None:
        rules = loads("set S = {M99.00-M99.05, E11.-} except E11.9\n" + rule(
            "  for each line where procedure in 98940-98942 and not modifier in {GA}\n"
            "  require first pointed dx in S and age between 18 and 120\n"
            "  example pass { on 2025-11-03 dx M99.01 line 98940 -> 1 }",
            header='  message: "{procedure}: {pointed_dx}"\n'))
        again = pickle.loads(pickle.dumps(rules))
        assert again == rules and again.ids == rules.ids
        c = make_claim(diagnoses=["M54.50"])
        assert (Checker(policies=[again]).check(c).findings
                == Checker(policies=[rules]).check(c).findings)
        checker = pickle.loads(pickle.dumps(Checker(policies=[rules])))
        assert len(checker.check(c).findings) >= 1

    def test_no_python_is_evaluated(self) -> None:
        """Braces in messages are placeholders from a fixed list, not format fields."""
        with pytest.raises(PolicyError) as e:
            loads(rule("  deny", header='  message: "{rule.__class__}"\n'))
        assert e.value.kind == "unknown_placeholder"
        with pytest.raises(PolicyError):
            loads("__import__('os').system('true')")


# -- the CLI functions --------------------------------------------------------------------


class TestCli:
    def run(self, *argv: str) -> int:
        import argparse

        p = argparse.ArgumentParser(prog="codekit")
        policy_cli.add_arguments(p.add_subparsers(dest="cmd", required=True))
        args = p.parse_args(list(argv))
        return int(args.fn(args))

    def test_check(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        good = tmp_path / "good.policy"
        good.write_text(TestExamples.TEXT, encoding="utf-8")
        assert self.run("policy", "check", str(good)) == 0
        assert capsys.readouterr().out == f"{good}: ok, 1 rule(s), 4 example(s)\n"
        bad = tmp_path / "bad.policy"
        bad.write_text(rule("  require dx in E11"), encoding="utf-8")
        assert self.run("policy", "check", str(good), str(bad)) == 3
        err = capsys.readouterr().err
        assert err.startswith(f"{bad}:3:17: 'E11' is a header (category)")
        assert self.run("policy", "check", str(tmp_path / "missing.policy")) == 3

    def test_test(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        f = tmp_path / "x.policy"
        f.write_text(TestExamples.TEXT, encoding="utf-8")
        assert self.run("policy", "test", str(f)) == 1
        out = capsys.readouterr().out
        assert out.count("FAIL CMT") == 3 and out.endswith("4 example(s): 1 passed, 3 failed\n")
        f.write_text(TestExamples.TEXT.split('  example fail "wrong')[0] + "end\n",
                     encoding="utf-8")
        assert self.run("policy", "test", "-v", str(f)) == 0
        assert capsys.readouterr().out == ("ok   CMT: pass 'ok'\n"
                                           "1 example(s): 1 passed, 0 failed\n")
        f.write_text("rule", encoding="utf-8")
        assert self.run("policy", "test", str(f)) == 3

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        import json

        f = tmp_path / "x.policy"
        f.write_text(rule("  deny\n  example fail { on 2025-11-03 }"), encoding="utf-8")
        assert self.run("policy", "test", "--json", str(f)) == 0
        data = json.loads(capsys.readouterr().out)
        assert (data["ok"], data["examples"], data["results"][0]["findings"][0]["rule"]) == (
            True, 1, DEFAULT_FINDING)
        f.write_text("rule R1 end", encoding="utf-8")
        assert self.run("policy", "check", "--json", str(f)) == 3
        data = json.loads(capsys.readouterr().out)
        assert data[0]["error"]["kind"] == "missing_field"

    def test_a_folder_without_policy_files_is_an_error(
            self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        # was "empty: ok, 0 rule(s), 0 example(s)" and "0 example(s): ..." with exit 0
        import json

        empty = tmp_path / "empty"
        empty.mkdir()
        (empty / "notes.txt").write_text("not a policy\n", encoding="utf-8")
        for cmd in ("check", "test"):
            assert self.run("policy", cmd, str(empty)) == 3
            assert capsys.readouterr().err == (
                f"{empty}: no .policy file in this folder or below it\n"
                "expected: a folder holding policy files (*.policy)\n")
        assert self.run("policy", "check", "--json", str(empty)) == 3
        error = json.loads(capsys.readouterr().out)[0]["error"]
        assert (error["kind"], error["reason"]) == (
            "read_error", "no .policy file in this folder or below it")
        assert self.run("policy", "test", "--json", str(empty)) == 3
        assert json.loads(capsys.readouterr().out)["error"]["kind"] == "read_error"

    def test_adds_to_an_existing_policy_parser(self) -> None:
        import argparse

        p = argparse.ArgumentParser()
        policy_cli.add_arguments(p)
        args = p.parse_args(["test", "-v", "a", "b"])
        assert (args.policy_cmd, args.paths, args.verbose) == ("test", ["a", "b"], True)


def test_grammar_has_no_lalr_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    """lark logs every shift/reduce or reduce/reduce conflict in debug mode: none."""
    import logging

    from lark import Lark

    from codekit._grammars import grammar_text

    with caplog.at_level(logging.DEBUG, logger="lark"):
        Lark(grammar_text("policy.lark"), parser="lalr", debug=True)
    assert not [r for r in caplog.records if "conflict" in r.getMessage().lower()]


def test_parser_tables_are_current() -> None:
    """The serialised LALR tables match the grammar and parse as the grammar does."""
    import json

    import lark

    from codekit._grammars import parser as grammar_parser
    from codekit.policies import _parser

    stored = json.loads(_parser.TABLES.read_text(encoding="utf-8"))
    assert stored["grammar_sha256"] == _parser.grammar_sha256(), \
        "grammar changed: run codekit.policies._parser.write_tables()"
    from_tables = _parser._from_tables()
    if from_tables is None:
        # Tables written by a newer lark do not load in an older one (lark < 1.3 on the
        # CI run of the declared minimum versions): the parser is then built from the
        # grammar, which only costs speed.
        assert _version(lark.__version__) < _version(stored["lark"]), lark.__version__
        assert _parser._lark().parse(_parser._SMOKE)
        return
    built = grammar_parser(_parser.GRAMMAR)
    for f in sorted(Path(__file__).resolve().parents[1].glob("data/policies/medicare/*.policy")):
        text = f.read_text(encoding="utf-8")
        assert from_tables.parse(text) == built.parse(text), f.name


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")[:3] if p.isdigit())


def test_stale_tables_fall_back_to_the_grammar(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from codekit.policies import _parser

    stale = tmp_path / "t.json"
    stale.write_text('{"grammar_sha256": "0", "data": {}, "memo": {}}', encoding="utf-8")
    monkeypatch.setattr(_parser, "TABLES", stale)
    assert _parser._from_tables() is None
    monkeypatch.setattr(_parser, "TABLES", tmp_path / "missing.json")
    assert _parser._from_tables() is None
    written = _parser.write_tables(tmp_path / "fresh.json")
    monkeypatch.setattr(_parser, "TABLES", written)
    assert _parser._from_tables() is not None


def test_a_code_set_pickles_without_its_remembered_answers() -> None:
    """The checking fast path remembers answers on a code set with ranges; shipping a
    checker to a worker must not ship them."""
    import pickle

    from codekit.policies._codesets import CodeSet

    s = CodeSet.of("icd10cm", exact=["E119"], ranges=[("M9900", "M9905")])
    s.seen.update({f"Z{i:04d}": False for i in range(3000)})
    again = pickle.loads(pickle.dumps(s))
    assert again == s and again.seen == {} and not again.flat
    assert "M99051" in again and "E119" in again and "M9906" not in again


# -- payer names, line ages, profiles, examples that test nothing (a payer-policy review)

PLAN_RULES = """
rule GEN-97140
  payer: commercial
  source: "plan RP-100"
  for each line where procedure in 97140
  require modifier in {59, XS}
end
rule ACME-CMT-AT
  payer: acme
  finding: COVERAGE_CRITERIA_NOT_MET
  source: "ACME RP-112"
  for each line where procedure in 98940-98942
  require modifier AT
  example fail "no AT" {
    on 2025-11-03
    dx M99.03
    line 98940 -> 1
    expect line 1
  }
end
"""


def _plan_claim(payer: str, **kw: Any) -> Claim:
    return make_claim(payer=payer, diagnoses=["M99.03"], service_lines=[
        line("98940", [1]), line("97140", [1], ("GP",))], **kw)


def _policy_ids(report: Any) -> list[str]:
    return [f.reference.split("[policy ")[-1].rstrip("]") for f in report.findings
            if "[policy " in f.reference]


class TestPayerNames:
    def test_every_name_of_the_claim_applies(self) -> None:
        """An 'acme' claim (family commercial) gets the rules of both names, in rule
        (file) order, each once: the set took the first name's index only."""
        rules = loads(PLAN_RULES)
        for c in (_plan_claim("acme"), _plan_claim("acme", filing_indicator="CI")):
            report = Checker(policies=[rules]).check(c)
            assert _policy_ids(report) == ["GEN-97140", "ACME-CMT-AT"]
            assert [(f.rule, f.location) for f in report.findings if "[policy" in f.reference
                    ] == [(DEFAULT_FINDING, ("service_lines", 1, "modifiers")),
                          ("COVERAGE_CRITERIA_NOT_MET", ("service_lines", 0, "modifiers"))]
            # the set agrees with its policies one by one
            assert _policy_ids(Checker(policies=list(rules)).check(c)) == [
                "GEN-97140", "ACME-CMT-AT"]
        # another commercial payer: the commercial rule only
        assert _policy_ids(Checker(policies=[rules]).check(_plan_claim("aetna"))) == [
            "GEN-97140"]

    def test_a_rule_that_fires_on_two_names_fires_once(self) -> None:
        rules = loads(rule("  for each line where procedure in 98940\n  require modifier AT",
                           header="  payer: commercial, acme\n"))
        report = Checker(policies=[rules]).check(_plan_claim("acme"))
        assert _policy_ids(report) == ["R1"]

    def test_routed_to_a_payer_id(self) -> None:
        """A name routed to a payer ID that is no family: checked as commercial with a
        notice; the rules for commercial and for the ID both apply."""
        from codekit.rules import PayerRouting

        rules = loads(PLAN_RULES)
        routed = Checker(policies=[rules],
                         routing=PayerRouting(names={"acme health plan": "acme"}))
        report = routed.check(_plan_claim("ACME Health Plan"))
        assert report.profile == "commercial"
        assert _policy_ids(report) == ["GEN-97140", "ACME-CMT-AT"]
        assert [(n.code, n.location) for n in report.notices] == [("PAYER_UNROUTED",
                                                                   ("payer",))]
        assert "routed to 'acme', which is no payer family" in report.notices[0].message
        ctx = routed.context(_plan_claim("ACME Health Plan"))
        assert (ctx.payer, ctx.payers) == ("commercial",
                                           ("commercial", "acme", "acme health plan"))
        strict = Checker(policies=[rules], routing=PayerRouting(
            names={"acme health plan": "acme"}, strict=True))
        assert [f.rule for f in strict.check(_plan_claim("ACME Health Plan")).findings
                if f.rule == "PAYER_UNKNOWN"] == ["PAYER_UNKNOWN"]
        # routed to a family: that family, no notice
        family = Checker(policies=[rules],
                         routing=PayerRouting(names={"acme health plan": "commercial"}))
        report = family.check(_plan_claim("ACME Health Plan"))
        assert (_policy_ids(report), report.notices) == (["GEN-97140"], ())

    def test_examples_run_through_the_set(self) -> None:
        """run_example goes through PolicySet.check, keeping the rule's own findings."""
        from codekit.policies import run_example

        rules = loads(PLAN_RULES)
        acme = rules.get("ACME-CMT-AT")
        assert acme is not None
        assert [(r.policy, r.ok) for r in run_tests(rules)] == [("ACME-CMT-AT", True)]
        result = run_example(acme, acme.examples[0], rules)
        assert [f.reference for f in result.findings] == ["ACME RP-112 [policy ACME-CMT-AT]"]

        class Blind(PolicySet):  # a set whose index never reaches acme's rules
            def check(self, ctx: Any) -> Any:
                return iter(())

        failed = run_example(acme, acme.examples[0], Blind(rules.policies))
        assert (failed.ok, failed.detail) == (False, "expected a finding, got none")


class TestLineAge:
    #: the claim's date 2025-01-10; the G0103 line's 2025-03-01; 50 on 2025-02-15
    TEXT = rule("  for each line where procedure in G0103\n  require age >= 50\n"
                '  message: "Line {line}: aged {age}"', header="  payer: medicare\n")

    def _claim(self, born: str) -> Claim:
        return make_claim(patient={"sex": "M", "birth_date": born},
                          date_of_service="2025-01-10", diagnoses=["Z12.5", "I10"],
                          service_lines=[line("99213", [2], date_of_service="2025-01-10"),
                                         line("G0103", [1], date_of_service="2025-03-01")])

    def test_a_line_rule_reads_the_age_on_the_lines_date(self) -> None:
        assert where(self.TEXT, self._claim("1975-02-15")) == []
        assert [f.message for f in findings(self.TEXT, self._claim("1975-03-02"))] == [
            "Line 2: aged 49"]

    def test_shipped_psa_rule(self) -> None:
        c = self._claim("1975-02-15")
        assert [f.reference for f in Checker().check(c).findings
                if "MCR-PSA-SCREENING-AGE" in f.reference] == []

    def test_a_claim_rule_reads_the_age_on_the_claims_date(self) -> None:
        text = rule("  when any line where (procedure in G0103)\n  require age >= 50",
                    header="  payer: medicare\n")
        assert [f.location for f in findings(text, self._claim("1975-02-15"))] == [
            ("patient",)]


class TestProfileSwitches:
    def _claim(self) -> Claim:  # 98940 without AT, the subluxation second: two findings
        return make_claim(diagnoses=["M54.50", "M99.03"],
                          service_lines=[line("98940", [1, 2])])

    def test_a_policy_rule_id_switches_one_policy_off(self) -> None:
        profile = Checker().profiles["medicare-professional"]
        both = ["MCR-CMT-SUBLUXATION-PRIMARY", "MCR-CMT-AT-MODIFIER"]
        assert _policy_ids(Checker().check(self._claim())) == both
        for off in both:
            checker = Checker(profile=profile.evolve(disable=[off]))
            assert _policy_ids(checker.check(self._claim())) == [r for r in both if r != off]
        # a finding ID still switches off every policy raising it
        checker = Checker(profile=profile.evolve(disable=["COVERAGE_CRITERIA_NOT_MET"]))
        assert _policy_ids(checker.check(self._claim())) == ["MCR-CMT-SUBLUXATION-PRIMARY"]

    def test_a_policy_rule_id_regrades_one_policy(self) -> None:
        profile = Checker().profiles["medicare-professional"].evolve(severities={
            "MCR-CMT-AT-MODIFIER": "info", "COVERAGE_CRITERIA_NOT_MET": "warning"})
        report = Checker(profile=profile).check(self._claim())
        assert [(f.rule, f.severity) for f in report.findings if "[policy" in f.reference
                ] == [("MED_NECESSITY_DX_NOT_COVERED", Severity.ERROR),
                      ("COVERAGE_CRITERIA_NOT_MET", Severity.INFO)]


class TestVacuousExamples:
    TEXT = """
rule PAD
  payer: medicare
  effective: 2024-01-01
  until: 2030-12-31
  source: "NCD 20.35 (a later effective date, for the test)"
  for each line where procedure in 93668
  require any pointed dx in {I70.211-I70.218}
  example pass "93688 is no code" { on 2025-11-03  dx I10  line 93688 -> 1 }
  example pass "before the rule" { on 2023-12-31  dx I10  line 93668 -> 1 }
  example pass "another procedure" { on 2025-11-03  dx I10  line 99213 -> 1 }
  example pass "claudication" { on 2024-01-01  dx I70.211  line 93668 -> 1 }
end
rule LDCT-AGE-2021
  payer: medicare
  effective: 2021-01-01
  until: 2022-02-09
  source: "NCD 210.14"
  when any line where (procedure in 71271)
  require age between 55 and 77
  example pass "after the rule" { on 2022-03-01  patient F age 52  dx Z87.891  line 71271 -> 1 }
  example pass "in its dates" { on 2022-02-09  patient F age 55  dx Z87.891  line 71271 -> 1 }
end
"""

    def test_a_pass_the_rule_never_saw_fails(self) -> None:
        results = run_tests(loads(self.TEXT))
        assert [(r.example, r.ok, r.detail) for r in results] == [
            ("93688 is no code", False, "the rule did not apply to this example: line 1's "
             "93688 is not a procedure code valid on 2025-11-03 (a line with an invalid "
             "code is skipped)"),
            ("before the rule", False, "the rule did not apply to this example: line 1 "
             "(93668) is dated 2023-12-31, before the rule's effective date 2024-01-01"),
            ("another procedure", True, ""),
            ("claudication", True, ""),
            ("after the rule", False, "the rule did not apply to this example: the claim is "
             "dated 2022-03-01, after the rule's until date 2022-02-09"),
            ("in its dates", True, "")]


# -- procedure ranges expanded at load: the same answers, one look-up --------------------


def _kind(code: str) -> str:
    """A procedure code's kind, as docs/policies.md defines it: CPT Category I (5 digits),
    a CPT code with a letter in 5th place (Category II F, III T, PLA U...), or HCPCS
    Level II by its letter."""
    if code[:1].isdigit():
        return "CPT-" + (code[4] if len(code) > 4 and code[4].isalpha() else "I")
    return "HCPCS-" + code[:1]


def _range_test(ranges: list[tuple[str, str]], code: str) -> bool:
    """What a range answers, as the language defines it: a code of the ends' kind, compared
    as text to the ends."""
    return any(_kind(code) == _kind(lo) and lo <= code[: len(lo)] and code[: len(hi)] <= hi
               for lo, hi in ranges)


#: Procedure ranges to check: the shipped policies' own, ranges whose text spans Category
#: III, PLA and Category II codes (00100-01999 holds 0100T-0199T as text, 10021-69990
#: holds 3008F), across a letter's section, and one whose ends are not codes of any
#: quarter.
PROC_RANGES = [
    [("98940", "98942")], [("G0008", "G0010")], [("99202", "99205"), ("99211", "99215")],
    [("00100", "01999")], [("0001U", "0999U")], [("10004", "69990")], [("0042T", "0999T")],
    [("10021", "69990")], [("0001F", "9007F")], [("0001M", "0020M")],
    [("3006F", "4563F")], [("J0120", "J9999")], [("90460", "90474"), ("G0402", "G0405")],
    [("99999", "99999")],
]


def test_procedure_ranges_answer_as_before_for_every_code() -> None:
    """A procedure range holds only codes of its ends' kind, and expanding a set's ranges
    into codes changes no answer: exhaustively over every code of every bundled quarter,
    the ranges' ends and their neighbours, codes of no quarter (9920F lies between 99202
    and 99215 as text, and is in no CPT Category I range) and strings that are no code;
    and a code of no quarter is answered by the ranges themselves."""
    from codekit import procedure

    known = sorted(procedure.known_codes())
    assert len(known) > 20_000 and all(len(c) == 5 for c in known)
    odd = ["9920F", "9920A", "0150A", "0150T", "99213X", "9921", "", "99203 ", "g0009",
           "G001", "G00091", "J999Z", "~~~~~", "00099", "70000"]
    for ranges in PROC_RANGES:
        s = CodeSet.of("procedure", exact=["G2211"], ranges=ranges)
        ends = {x for r in ranges for x in r}
        extra = {e[:4] + c for e in ends for c in "0123456789AFMTUZ"} | set(odd)
        assert s.known >= set(known) if s.ranges else not s.known  # one code: a prefix
        for code in [*known, *sorted(extra)]:
            assert (code in s) == (code == "G2211" or _range_test(ranges, code)), (ranges,
                                                                                 code)
        inside = [c for c in known if _range_test(ranges, c)]
        if s.ranges:
            assert s.members == {"G2211", *inside}  # each known code: one look-up


def test_a_cpt_range_holds_only_codes_of_its_kind() -> None:
    """A payer-policy review's repro (2026-12-06, item 3): 10021-69990 (CPT Category I
    surgery) compared as text held the Category II codes 3008F and 1036F, and 00100-01999
    (anesthesia) held 0100T (Category III) and 0101U (PLA): each line got a finding. Only
    the Category I lines do now."""
    lines = [line(c, [1]) for c in ("3008F", "1036F", "0500F", "0100T", "0101U", "27447",
                                    "00142")]
    c = make_claim(diagnoses=["M17.11"], service_lines=lines)
    surgery = rule("  for each line where procedure in 10021-69990\n"
                   "  require modifier in {RT, LT, 50}")
    anesthesia = rule("  for each line where procedure in 00100-01999\n"
                      "  require modifier in {AA, QK, QX, QY, QZ, AD}")
    assert where(surgery, c) == [("service_lines", 5, "modifiers")]
    assert where(anesthesia, c) == [("service_lines", 6, "modifiers")]
    cat2 = rule("  for each line where procedure in 3006F-4563F\n  deny")
    # 3008F only: 1036F and 0500F are below the range
    assert where(cat2, c) == [("service_lines", 0, "procedure_code")]


#: ICD-10-CM ranges and codes, as the tabular orders its categories (that review's item 4): C4A sits
#: between C43 and C44, M1A between M08 and M10; D3A comes after D36 and before D37; C7A
#: and C7B after C75 and before C76; Z3A between Z36 and Z37; U00-U85 after Z99.
TABULAR_CASES = [
    ("C43-C44", "C4A.10", True), ("M05-M14", "M1A.0110", True),
    ("D37-D49", "D3A.010", False), ("C76-C80", "C7A.00", False),
    ("D10-D36", "D3A.010", False), ("C00-C75", "C7A.00", False), ("C7A-C7B", "C7A.00", True),
    ("Z36-Z37", "Z3A.20", True), ("Z37-Z39", "Z3A.20", False), ("A00-Z99", "U07.1", False),
    ("C43-C44", "C44.91", True), ("C43-C44", "C45.0", False), ("M1A-M10", "M10.9", True),
]


@pytest.mark.parametrize(("rng", "code", "inside"), TABULAR_CASES)
def test_an_icd_range_follows_the_tabular(rng: str, code: str, inside: bool) -> None:
    """``require any pointed dx in RANGE`` on a Mohs line (17311) pointing to ``code``: a
    finding exactly when the code is not in the range in the tabular's order."""
    text = rule(f"  for each line where procedure in 17311\n  require any pointed dx in {rng}")
    c = make_claim(diagnoses=[code], service_lines=[line("17311", [1])])
    assert where(text, c) == ([] if inside else [("service_lines", 0, "diagnosis_pointers")])


@functools.lru_cache(maxsize=2)
def _order_file_codes(*name: str) -> tuple[str, ...]:
    """The codes of an order file of ``../shared`` (folder, file), in the file's order:
    read once for the tests that compare with it."""
    import gzip
    import lzma

    from .conftest import reference

    path = reference(*name)
    opener: Any = lzma.open if path.suffix == ".xz" else gzip.open
    with opener(path, "rt", encoding="latin-1") as f:
        return tuple(ln[6:14].strip() for ln in f if ln.strip())


ORDER_2026 = ("cms_icd10_order_files", "icd10cm_order_2026.txt.xz")


def test_icd_ranges_match_the_order_file_over_every_code() -> None:
    """Every code of the FY2026 order file (CMS icd10cm_order_2026.txt, ../shared), in or out
    of ranges across the categories the tabular puts out of ASCII order, answers as the
    order file's own order of categories says (the ranges here end on categories the
    tabular orders alphabetically inside, see the test after it); and codekit's category
    order is the order file's."""
    from codekit import icd10cm

    codes = _order_file_codes(*ORDER_2026)
    position: dict[str, int] = {}
    for c in codes:
        position.setdefault(c[:3], len(position))
    assert list(position) == sorted(position, key=icd10cm.tabular_key)

    def key(c: str) -> tuple[int, str]:
        return position[c[:3]], c[3:]

    # C4A, C7A and C7B; D3A; M1A; J4A; Z3A and U00-U85; ends below the category level
    ranges = [("C00", "C80"), ("D10", "D49"), ("M05", "M14"), ("J44", "J45"),
              ("R00", "Z99"), ("C4A0", "C4491")]
    for lo, hi in ranges:
        s = CodeSet.of("icd10cm", ranges=[(lo, hi)])
        want = {c for c in codes if key(lo) <= key(c[:len(lo)]) and key(c[:len(hi)]) <= key(hi)}
        got = {c for c in codes if c in s}
        assert got == want, (lo, hi, sorted(got ^ want)[:5])
    assert "C4A10" in CodeSet.of("icd10cm", ranges=[("C43", "C44")])


#: Inside a category, the tabular's order at every level (2026-12-06): a few letters come before
#: the "unspecified" 9s (C84.Z before C84.9, G40.A-G40.C between G40.3 and G40.4, D46.A-D46.C
#: between D46.2 and D46.4, S06.0XA before S06.0X9), as LCDs copy ranges from it.
INNER_CASES = [
    ("C84.00-C84.99", "C84.Z0", True), ("C84.00-C84.90", "C84.Z0", True),
    ("C84.00-C84.A9", "C84.90", False), ("S06.0X0A-S06.0X9S", "S06.0XAA", True),
    ("S06.0X0A-S06.0XAS", "S06.0X9A", False), ("G40.301-G40.919", "G40.C09", True),
    ("G40.301-G40.919", "G40.A01", True), ("G40.001-G40.419", "G40.A01", True),
    ("D46.0-D46.4", "D46.C", True), ("D46.A-D46.Z", "D46.4", True),
]


@pytest.mark.parametrize(("rng", "code", "inside"), INNER_CASES)
def test_an_icd_range_follows_the_tabular_inside_a_category(rng: str, code: str,
                                                             inside: bool) -> None:
    """``require any pointed dx in RANGE`` on a Mohs line (17311) pointing to ``code``
    (each valid on 2025-11-03): a finding exactly when the tabular's order puts the code
    outside the range (alphabetical order said the opposite in every case)."""
    text = rule(f"  for each line where procedure in 17311\n  require any pointed dx in {rng}")
    c = make_claim(diagnoses=[code], service_lines=[line("17311", [1])])
    assert where(text, c) == ([] if inside else [("service_lines", 0, "diagnosis_pointers")])


def test_a_code_no_release_has_follows_its_alphabetical_predecessor() -> None:
    """A code of a category the tabular reorders that no bundled release has (a user's
    release: G40.D01 were there one) goes right after its alphabetical predecessor among
    the siblings the tabular orders (G40.C, which comes before G40.4); one whose
    predecessor is in place stays alphabetical (C84.B0 between C84.A9 and C84.Z0)."""
    from codekit import icd10cm

    assert sorted(["G40401", "G40D01", "G40C09", "G40319"], key=icd10cm.tabular_key) == \
        ["G40319", "G40C09", "G40D01", "G40401"]
    assert sorted(["C84Z0", "C84B0", "C8490", "C84A9"], key=icd10cm.tabular_key) == \
        ["C84A9", "C84B0", "C84Z0", "C8490"]
    assert "G40D01" not in CodeSet.of("icd10cm", ranges=[("G40301", "G40319")])
    assert "G40D01" in CodeSet.of("icd10cm", ranges=[("G40C01", "G40409")])


@pytest.mark.parametrize("name", [
    ORDER_2026, ("icd10cm_fy2027", "icd10cm_order_2027_reconstructed.txt.gz")])
def test_icd_ranges_match_the_order_file_inside_categories(name: tuple[str, str]) -> None:
    """Every code of the FY2026 order file (and FY2027's, rebuilt from the official FY2026
    file and addenda) sorts by :func:`codekit.icd10cm.tabular_key` in the file's order
    inside its category, at every level; and ranges inside the 26 categories the tabular
    orders otherwise than alphabetically (plus K31 and K74 in FY2027) hold what the file's
    order says: a code (or header) is in ``lo-hi`` when the first line of its prefix of
    ``lo``'s length is not before ``lo``'s and that of its prefix of ``hi``'s length not
    after ``hi``'s."""
    from codekit import icd10cm

    codes = _order_file_codes(*name)
    first: dict[str, int] = {}
    for i, c in enumerate(codes):
        for n in range(3, len(c) + 1):
            first.setdefault(c[:n], i)
    by_category: dict[str, list[str]] = {}
    for c in codes:
        by_category.setdefault(c[:3], []).append(c)
    wrong = [cat for cat, cs in by_category.items() if sorted(cs, key=icd10cm.tabular_key) != cs]
    assert wrong == []
    ranges = [("C8400", "C8490"), ("C9100", "C91Z2"), ("D460", "D464"), ("D461", "D46Z"),
              ("G40301", "G40919"), ("G43001", "G43919"), ("I820", "I8291"), ("O0900", "O0990"),
              ("O3500X0", "O3509X9"), ("S060X0A", "S060X9S"), ("S0681", "S0689"),
              ("T50901A", "T50Z96S"), ("W44A", "W449"), ("Y9361", "Y9369"), ("Z910", "Z9189"),
              ("M3500", "M3509"), ("N8030", "N803C"), ("K310", "K319")]
    for lo, hi in ranges:
        s = CodeSet.of("icd10cm", ranges=[(lo, hi)])
        want = {c for c in codes if c[:3] == lo[:3]
                and first[lo] <= first.get(c[:len(lo)], -1) and c[:len(hi)] in first
                and first[c[:len(hi)]] <= first[hi]}
        got = {c for c in by_category[lo[:3]] if c in s}
        assert got == want, (lo, hi, sorted(got ^ want)[:5])


def test_an_icd_range_holds_codes_of_other_releases() -> None:
    """A range is written once for claims of many years: a category the newest tabular
    lacks (J4B, K6A of FY2027) goes right after the category before it in ASCII order, and
    codes of a category the tabular lists answer by that order whatever their release."""
    from codekit import icd10cm

    keys = sorted(["J4A", "J4B", "J45", "J44", "K68", "K6A", "K70"], key=icd10cm.tabular_key)
    assert keys == ["J44", "J4A", "J4B", "J45", "K68", "K6A", "K70"]
    s = CodeSet.of("icd10cm", ranges=[("J44", "J45")])
    assert ["J4B0" in s, "J4A0" in s, "J4590" in s, "J470" in s] == [True, True, True, False]


def test_a_procedure_range_is_one_look_up_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line's code in a procedure set written with ranges is answered by the set's
    codes, never by comparing the ranges' ends (which ran on every line before); the
    ends still answer for a code no bundled quarter has (a user's quarterly file)."""
    from codekit.policies import _codesets, _runtime

    text = rule("""  for each line where procedure in G2211
  forbid any other line where (procedure in {99202-99205, 99211-99215} and modifier 25)""",
                header="  claim_type: professional\n")
    rules = loads(text)
    c = make_claim(diagnoses=["M17.11"], service_lines=[
        line("99214", [1], ("25",)), line("G2211", [1]), line("20610", [1], ("RT",))])
    checker = Checker(policies=[rules])
    ctx = checker.context(c)

    def no_range_test(*_: object) -> bool:
        raise AssertionError("a range compared for a known code")

    monkeypatch.setattr(_codesets, "_in_ranges", no_range_test)
    monkeypatch.setattr(_runtime, "_in_ranges", no_range_test, raising=False)
    assert [f.location for f in rules.check(ctx)] == [("service_lines", 1)]
    em = rules[0].checks[0][1].cond.parts[0].codes
    assert em.members == {"99202", "99203", "99204", "99205", "99211", "99212", "99213",
                          "99214", "99215"}
    with pytest.raises(AssertionError, match="range compared"):
        _ = "9920F" in em  # no quarter has it: the ranges answer (no: not Category I)


def test_quantifiers_judge_only_the_lines_they_need() -> None:
    """``any other line where X`` stops at the first other line where X holds; each
    line is judged at most once per quantifier and claim however many lines ask (the
    G2211 rule asks once: the E/M visit with 25 on line 1 decides it)."""
    from codekit.policies._runtime import ProcIn

    text = rule("""  for each line where procedure in G2211
  forbid any other line where (procedure in {99213, 99214})""")
    rules = loads(text)
    quant = rules[0].checks[0][1]
    calls: list[int] = []

    class Counting(ProcIn):
        def test(self, v: Any, ln: Any) -> bool:
            calls.append(ln.index)
            return super().test(v, ln)

    object.__setattr__(quant, "cond", Counting(quant.cond.codes))
    lines = [line("99214", [1]), line("G2211", [1]), *[line("20610", [1])] * 5]
    c = make_claim(diagnoses=["M17.11"], service_lines=lines)
    assert [f.location for f in rules.check(Checker(policies=[rules]).context(c))] == [
        ("service_lines", 1)]
    assert calls == [0]
    calls.clear()
    many = [line("G2211", [1])] * 40 + [line("99214", [1])]
    c = make_claim(diagnoses=["M17.11"], service_lines=many)
    got = list(rules.check(Checker(policies=[rules]).context(c)))
    assert len(got) == 40 and sorted(calls) == list(range(41))


def _naive(quant: str, other: bool, truths: list[bool], i: int) -> bool:
    """What ``QUANT [other] line(s) where X`` means, on line ``i`` of lines where X has
    ``truths``."""
    rest = [t for k, t in enumerate(truths) if not (other and k == i)]
    if quant == "any":
        return any(rest)
    if quant == "no":
        return not any(rest)
    return bool(rest) and all(rest)


@pytest.mark.parametrize("quant", ["any", "all", "no"])
@pytest.mark.parametrize("other", [True, False])
def test_quantifiers_mean_what_they_say(quant: str, other: bool) -> None:
    """Every quantifier, with and without ``other``, on every claim of up to 5 lines
    whose lines are G2211 or not and 99214 or not: the lines found are those the
    quantifier's meaning gives (a claim of 0-5 lines, each of 3 kinds)."""
    import itertools

    word = "lines" if quant == "all" else "line"
    text = rule(f"""  for each line where procedure in {{G2211, 99214}}
  require {quant} {"other " if other else ""}{word} where (procedure in {{99214, 20610}})""")
    rules = loads(text)
    checker = Checker(policies=[rules])
    for n in range(1, 6):
        for kinds in itertools.product(["G2211", "99214", "20610"], repeat=n):
            c = make_claim(diagnoses=["M17.11"],
                           service_lines=[line(k, [1]) for k in kinds])
            truths = [k != "G2211" for k in kinds]
            want = [("service_lines", i) for i, k in enumerate(kinds)
                    if k in ("G2211", "99214") and not _naive(quant, other, truths, i)]
            assert [f.location for f in rules.check(checker.context(c))] == want, kinds


def test_messages_are_the_templates_text() -> None:
    """A compiled message is the template's text: a placeholder named twice, braces,
    texts alone and placeholders side by side."""
    from codekit.policies._runtime import FILL

    c = make_claim(diagnoses=["M99.03", "M54.50"], service_lines=[
        line("98941", [2, 1], ("AT", "GA"))])
    for message in ['"{procedure} {{x}} {procedure}{line}{modifiers}: {pointed_dx}."',
                    '"no placeholder {{ at all }}"', '"{rule}"', '"{dx} / {first_dx} '
                    '{age} {sex} {payer} {claim_type} {dos} {units} {first_pointed_dx}"']:
        rules = loads(rule(f"""  message: {message}
  for each line where procedure in 98941
  deny"""))
        p = rules[0]
        ctx = Checker(policies=[rules]).context(c)
        got = [f.message for f in rules.check(ctx)]
        from codekit.policies._runtime import View

        v = View(ctx)
        want = p.message.render(lambda name: FILL[name](p, v, v.infos[0]))  # noqa: B023
        assert got == [want]
    assert got == ["M99.03, M54.50 / M99.03 70 F medicare professional 2025-11-03 1 M54.50"]
