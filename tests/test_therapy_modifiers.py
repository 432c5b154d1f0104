"""The therapy discipline modifiers GN, GO, GP (a certified coder's review of 837P claims, section 2
item 12): ``MOD_THERAPY_MISSING`` and ``MOD_THERAPY_WRONG_DISCIPLINE``. Real codes and dates: the
14 discipline-specific codes of CMS CR 10176 (Transmittal 3814, effective 2018-01-01),
the always-therapy codes 92507, 92508, 92526 and those of the CMS therapy code list
(97110, 97140, 97530, the modalities, G0283...), and the revenue code edits of the Claims
Processing Manual ch.5 §20.1 (042x GP, 043x GO, 044x GN)."""

from __future__ import annotations

from typing import Any

import pytest

from codekit import Checker, Claim, procedure

DOS = "2025-06-10"
CHECKER = Checker(policies=())
RULES = ("MOD_THERAPY_MISSING", "MOD_THERAPY_WRONG_DISCIPLINE")


def claim(lines: list[tuple[Any, ...]], *, kind: str = "prof", payer: str = "medicare",
          dx: tuple[str, ...] = ("M54.50",)) -> Claim:
    """Lines ``(code, modifiers, units[, revenue code])``; ``kind`` "prof" (an 837P) or
    the type of bill of an 837I."""
    out: dict[str, Any] = {
        "claim_type": "professional" if kind == "prof" else "institutional",
        "payer": payer, "place_of_service": "11",
        "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": DOS,
        "diagnoses": list(dx), "service_lines": []}
    if kind != "prof":
        out["bill_type"] = kind
        del out["place_of_service"]
    for code, mods, units, *rev in lines:
        ln: dict[str, Any] = {"procedure_code": code, "modifiers": list(mods), "units": units}
        if kind == "prof":
            ln["diagnosis_pointers"] = [1]
        else:
            ln["revenue_code"] = rev[0]
        out["service_lines"].append(ln)
    return Claim.from_dict(out)


def therapy(c: Claim) -> list[tuple[Any, ...]]:
    """The therapy findings of ``c``: (rule, severity, location, codes, fix)."""
    return [(f.rule, f.severity.value, f.location, f.codes, f.fix)
            for f in CHECKER.check(c).findings if f.rule in RULES]


def test_the_always_therapy_table() -> None:
    on = "2025-06-10"
    specific = {"92521": "GN", "92522": "GN", "92523": "GN", "92524": "GN", "92597": "GN",
                "92607": "GN", "97165": "GO", "97166": "GO", "97167": "GO", "97168": "GO",
                "97161": "GP", "97162": "GP", "97163": "GP", "97164": "GP"}
    for code, mod in specific.items():
        row = procedure.always_therapy(code, on=on)
        assert row is not None and row.discipline == mod, code
    for code in ("92507", "92508", "92526"):
        row = procedure.always_therapy(code, on=on)
        assert row is not None and row.discipline is None, code
    # the CMS therapy code list's always-therapy codes of any discipline (a specialty coder)
    for code in ("97012", "97016", "97018", "97022", "97024", "97026", "97028", "97032",
                 "97033", "97034", "97035", "97036", "97110", "97112", "97113", "97116",
                 "97124", "97140", "97150", "97530", "97533", "97535", "97537", "97542",
                 "97750", "97755", "97760", "97761", "97763", "G0283"):
        row = procedure.always_therapy(code, on=on)
        assert row is not None and row.discipline is None, code
        assert procedure.always_therapy(code, on="2017-12-31") is None, code
    # sometimes therapy (wound care, range of motion, 92520), bundled (97010), not
    # Medicare's (97014: G0283), unlisted (97039, 97139), and codes no source at hand lists
    for code in ("97597", "97598", "97602", "97605", "95851", "96105", "92520", "97010",
                 "97014", "97039", "97139", "97129", "99213"):
        assert procedure.always_therapy(code, on=on) is None, code
    assert procedure.always_therapy("97161", on="2017-12-31") is None  # before CR 10176
    assert procedure.always_therapy("not a code", on=on) is None
    bit = procedure.Resolved.THERAPY
    assert procedure.resolve("97161", on=on).bits & bit
    assert procedure.resolve("92507", on=on).bits & bit
    assert procedure.resolve("97110", on=on).bits & bit
    assert procedure.resolve("G0283", on=on).bits & bit
    assert not procedure.resolve("97597", on=on).bits & bit
    assert procedure.THERAPY_REVENUE == {"042": "GP", "043": "GO", "044": "GN"}


def test_discipline_specific_code_without_its_modifier() -> None:
    report = CHECKER.check(claim([("97161", (), 1)]))
    [f] = [f for f in report.findings if f.rule in RULES]
    assert (f.rule, f.severity.value, f.location, f.codes, f.fix) == (
        "MOD_THERAPY_MISSING", "error", ("service_lines", 0, "modifiers"), ("97161",),
        ("GP",))
    assert f.message == (
        "Line 1 (97161) has no therapy modifier: 97161 is reported only under a physical "
        "therapy plan of care, with modifier GP (CMS CR 10176), and Medicare returns the "
        "claim without it as unprocessable: add GP (physical therapy).")
    assert therapy(claim([("97161", ("GP",), 1)])) == []


def test_discipline_specific_code_with_another_discipline() -> None:
    """97161-GO: a physical therapy evaluation under an occupational therapy modifier."""
    report = CHECKER.check(claim([("97161", ("GO",), 1)]))
    [f] = [f for f in report.findings if f.rule in RULES]
    assert (f.rule, f.severity.value, f.location, f.codes, f.fix) == (
        "MOD_THERAPY_WRONG_DISCIPLINE", "error", ("service_lines", 0, "modifiers", 0),
        ("97161", "GO"), ("GP",))
    assert f.message == (
        "Line 1 (97161) has modifier GO (occupational therapy), but 97161 is reported only "
        "under a physical therapy plan of care, with GP (CMS CR 10176: Medicare returns the "
        "claim): replace GO with GP.")
    assert therapy(claim([("97165", ("CO", "GP"), 1)])) == [
        ("MOD_THERAPY_WRONG_DISCIPLINE", "error", ("service_lines", 0, "modifiers", 1),
         ("97165", "GP"), ("GO",))]
    assert therapy(claim([("92521", ("GP",), 1)], dx=("F80.81",))) == [
        ("MOD_THERAPY_WRONG_DISCIPLINE", "error", ("service_lines", 0, "modifiers", 0),
         ("92521", "GP"), ("GN",))]


def test_always_therapy_code_of_any_discipline() -> None:
    assert therapy(claim([("92507", (), 1)], dx=("R47.1",))) == [
        ("MOD_THERAPY_MISSING", "error", ("service_lines", 0, "modifiers"), ("92507",),
         ("GN", "GO", "GP"))]
    assert therapy(claim([("92507", ("GN",), 1)], dx=("R47.1",))) == []
    # any discipline is right on it; a therapy assistant modifier says which one is missing
    assert therapy(claim([("92526", ("GO",), 1)], dx=("R13.12",))) == []
    assert therapy(claim([("97165", ("CO",), 1)])) == [
        ("MOD_THERAPY_MISSING", "error", ("service_lines", 0, "modifiers"), ("97165",),
         ("GO",))]


@pytest.mark.parametrize(("lines", "dx"), [
    ([("97110", ("GP",), 2)], "M54.50"),  # 97110-GP: the plan of care's modifier
    ([("97597", (), 1)], "L97.412"),  # sometimes therapy: a physician may bill it bare
    ([("95851", (), 1)], "M54.50"),
    ([("97161", ("GP", "GO"), 1)], "M54.50"),  # two disciplines: MOD_COMBINATION_INVALID's
])
def test_clean_lines(lines: list[tuple[Any, ...]], dx: str) -> None:
    assert therapy(claim(lines, dx=(dx,))) == []


def test_ss12_therapeutic_exercise_without_gp() -> None:
    """SS12 (97110 x 2, no GP, M54.50): 97110 is an always-therapy code of the CMS therapy
    code list, so the 837P line takes a discipline modifier whoever bills it (it was not
    judged before a specialty coder's review of 2026-12-06); under revenue code 0420 on an
    outpatient 837I the revenue code says which (every 042x line takes GP)."""
    report = CHECKER.check(claim([("97110", (), 2)]))
    [f] = [f for f in report.findings if f.rule in RULES]
    assert (f.rule, f.severity.value, f.location, f.codes, f.fix) == (
        "MOD_THERAPY_MISSING", "error", ("service_lines", 0, "modifiers"), ("97110",),
        ("GN", "GO", "GP"))
    assert f.message == (
        "Line 1 (97110) has no therapy modifier: 97110 is an \"always therapy\" code, which "
        "takes the modifier of its plan of care whoever furnishes it (Claims Processing "
        "Manual ch.5 §20.1), and Medicare returns the claim without it as unprocessable: "
        "add the modifier of the plan of care it was furnished under: GN (speech-language "
        "pathology), GO (occupational therapy) or GP (physical therapy).")
    report = CHECKER.check(claim([("97110", (), 2, "0420")], kind="131"))
    [f] = [f for f in report.findings if f.rule in RULES]
    assert (f.rule, f.severity.value, f.location, f.codes, f.fix) == (
        "MOD_THERAPY_MISSING", "error", ("service_lines", 0, "modifiers"),
        ("97110", "0420"), ("GP",))
    assert f.message == (
        "Line 1 (97110) has no therapy modifier: revenue code 0420 is physical therapy, "
        "whose lines take modifier GP (Claims Processing Manual ch.5 §20.1), and Medicare "
        "returns the claim without it as unprocessable: add GP (physical therapy).")
    assert therapy(claim([("97110", ("GP",), 2, "0420")], kind="131")) == []


def test_revenue_code_of_another_discipline() -> None:
    assert therapy(claim([("97110", ("GO",), 1, "0420")], kind="131")) == [
        ("MOD_THERAPY_WRONG_DISCIPLINE", "error", ("service_lines", 0, "modifiers", 0),
         ("97110", "GO"), ("GP",))]
    assert therapy(claim([("92507", ("GP",), 1, "0440")], kind="0851",
                         dx=("R47.1",))) == [
        ("MOD_THERAPY_WRONG_DISCIPLINE", "error", ("service_lines", 0, "modifiers", 0),
         ("92507", "GP"), ("GN",))]
    # the code's discipline wins over the revenue code's: 97161-GO under 0430 is told GP
    assert therapy(claim([("97161", ("GO",), 1, "0430")], kind="131")) == [
        ("MOD_THERAPY_WRONG_DISCIPLINE", "error", ("service_lines", 0, "modifiers", 0),
         ("97161", "GO"), ("GP",))]
    # right for the code, wrong revenue code: not this edit's to say
    assert therapy(claim([("97161", ("GP",), 1, "0430")], kind="131")) == []


def test_where_the_edits_run() -> None:
    line = [("97110", (), 1, "0420")]
    assert therapy(claim(line, kind="111")) == []  # an inpatient stay (Part A)
    assert therapy(claim(line, kind="321")) == []  # a home health plan of care
    # not a therapy revenue code, nor an always-therapy code: 97597 (sometimes therapy)
    assert therapy(claim([("97597", (), 1, "0510")], kind="131", dx=("L97.412",))) == []
    for kind in ("121", "221", "231", "341", "741", "751", "851"):
        assert [r for r, *_ in therapy(claim(line, kind=kind))] == ["MOD_THERAPY_MISSING"]
    # other payers: a warning (many follow CMS's always-therapy list, not all)
    assert therapy(claim([("97161", (), 1)], payer="aetna")) == [
        ("MOD_THERAPY_MISSING", "warning", ("service_lines", 0, "modifiers"), ("97161",),
         ("GP",))]
    assert therapy(claim(line, kind="131", payer="aetna")) == [
        ("MOD_THERAPY_MISSING", "warning", ("service_lines", 0, "modifiers"),
         ("97110", "0420"), ("GP",))]


# -- a specialty coder's review: the CMS therapy code list's always-therapy codes -----------

def test_redspec_3_common_pt_lines_without_a_discipline_modifier() -> None:
    """A specialty coder's review (2026-12-06), item 3: 97110 x 3 and 97140 on 2026-05-01, no GP,
    passed silently; Medicare returns them (Claims Processing Manual ch.5 §20.1; CMS therapy code
    list: always therapy). One finding a line, any discipline, or the one CQ/CO goes with."""
    c = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1950-03-01"}, "date_of_service": "2026-05-01",
        "diagnoses": ["M54.50"], "service_lines": [
            {"procedure_code": "97110", "units": 3, "diagnosis_pointers": [1]},
            {"procedure_code": "97140", "units": 1, "diagnosis_pointers": [1]},
            {"procedure_code": "G0283", "units": 1, "diagnosis_pointers": [1]},
            {"procedure_code": "97530", "modifiers": ["CQ"], "units": 2,
             "diagnosis_pointers": [1]},
            {"procedure_code": "97035", "modifiers": ["GP"], "units": 1,
             "diagnosis_pointers": [1]}]})
    assert therapy(c) == [
        ("MOD_THERAPY_MISSING", "error", ("service_lines", 0, "modifiers"), ("97110",),
         ("GN", "GO", "GP")),
        ("MOD_THERAPY_MISSING", "error", ("service_lines", 1, "modifiers"), ("97140",),
         ("GN", "GO", "GP")),
        ("MOD_THERAPY_MISSING", "error", ("service_lines", 2, "modifiers"), ("G0283",),
         ("GN", "GO", "GP")),
        ("MOD_THERAPY_MISSING", "error", ("service_lines", 3, "modifiers"), ("97530",),
         ("GP",))]
    # any one discipline is right on them; before 2018 (CR 10176's editing) not judged
    assert therapy(claim([("97110", ("GO",), 1), ("97140", ("GP",), 1),
                          ("97760", ("GO",), 1)])) == []
    old = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1950-03-01"}, "date_of_service": "2017-11-06",
        "diagnoses": ["M54.50"], "service_lines": [
            {"procedure_code": "97110", "units": 1, "diagnosis_pointers": [1]}]})
    assert therapy(old) == []


@pytest.mark.parametrize(("code", "dx"), [
    ("97597", "L97.412"), ("97602", "L97.412"), ("95851", "M62.81"), ("92520", "R49.0"),
    ("97010", "M54.50"), ("97014", "M54.50"), ("97139", "M54.50"), ("97129", "R41.844"),
])
def test_sometimes_therapy_and_left_out_codes_stay_clean(code: str, dx: str) -> None:
    """A physician may bill a sometimes-therapy code outside a therapy plan of care: no
    finding without a signal of one (none is read on an 837P); the bundled 97010, 97014
    (not Medicare's), the unlisted codes and codes no source at hand lists are left
    out."""
    assert therapy(claim([(code, (), 1)], dx=(dx,))) == []


def test_commercial_wording_is_not_medicare_s() -> None:
    """A specialty coder's item 7: commercial's warning said "Medicare returns the claim"."""
    report = CHECKER.check(claim([("97110", (), 1)], payer="aetna"))
    [f] = [f for f in report.findings if f.rule in RULES]
    assert (f.rule, f.severity.value, f.fix) == ("MOD_THERAPY_MISSING", "warning",
                                                 ("GN", "GO", "GP"))
    assert ("and Medicare returns a claim without it as unprocessable, and payers that "
            "follow Medicare's always-therapy list may too: add the modifier") in f.message
    medicare = [f for f in CHECKER.check(claim([("97110", (), 1)])).findings
                if f.rule in RULES]
    assert "and Medicare returns the claim without it as unprocessable: add" in \
        medicare[0].message


# -- MOD_THERAPY_ASSISTANT_EVALUATION -----------------------------------------------------

ASSISTANT_EVAL = ("Line 1 ({code}) is an evaluation with {m} (furnished in whole or in part "
                  "by {who}): the therapist evaluates, an assistant does not (Benefit Policy "
                  "Manual ch.15 §230.1, §230.2): if the therapist evaluated, remove {m}{cut}; "
                  "an evaluation an assistant furnished is not billed as the therapist's.")
PTA, OTA = "a physical therapist assistant", "an occupational therapy assistant"
CUT = " (with it Medicare pays 85 % of the line)"


def assistant(c: Claim) -> list[tuple[Any, ...]]:
    """(severity, location, codes, fix, message) of MOD_THERAPY_ASSISTANT_EVALUATION."""
    return [(f.severity.value, f.location, f.codes, f.fix, f.message)
            for f in CHECKER.check(c).findings if f.rule == "MOD_THERAPY_ASSISTANT_EVALUATION"]


@pytest.mark.parametrize(("code", "mods", "dx"), [
    ("97161", ("GP", "CQ"), "M54.50"), ("97164", ("CQ", "GP"), "M54.50"),
    ("97165", ("GO", "CO"), "M62.81"), ("97168", ("GO", "CO"), "M62.81"),
    ("92610", ("GO", "CO"), "R13.12"), ("92610", ("GP", "CQ"), "R13.12"),
])
def test_an_assistant_modifier_on_an_evaluation(code: str, mods: tuple[str, ...],
                                                dx: str) -> None:
    """A specialty coder's review's small miss (2026-12-06): CQ on 97161 passed. Assistants
    do not evaluate (Benefit Policy Manual ch.15 §230.1, §230.2)."""
    m = next(x for x in mods if x in ("CQ", "CO"))
    assert assistant(claim([(code, mods, 1)], dx=(dx,))) == [(
        "warning", ("service_lines", 0, "modifiers", mods.index(m)), (code, m), (),
        ASSISTANT_EVAL.format(code=code, m=m, who=PTA if m == "CQ" else OTA, cut=CUT))]


def test_an_assistant_modifier_on_an_evaluation_elsewhere() -> None:
    # before 2022 Medicare paid the line in full; another payer: no Medicare sentence
    old = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1950-03-01"}, "date_of_service": "2021-11-08",
        "diagnoses": ["M54.50"], "service_lines": [
            {"procedure_code": "97163", "modifiers": ["GP", "CQ"], "units": 1,
             "diagnosis_pointers": [1]}]})
    assert [x[4] for x in assistant(old)] == [
        ASSISTANT_EVAL.format(code="97163", m="CQ", who=PTA, cut="")]
    [(severity, *_, message)] = assistant(claim([("97163", ("GP", "CQ"), 1)], payer="aetna"))
    assert (severity, message) == (
        "warning", ASSISTANT_EVAL.format(code="97163", m="CQ", who=PTA, cut=""))
    # an SLP evaluation with CQ and no GN: GN is missing, and CQ is wrong there
    got = CHECKER.check(claim([("92522", ("CQ",), 1)], dx=("F80.0",))).findings
    assert [(f.rule, f.location) for f in got] == [
        ("MOD_THERAPY_MISSING", ("service_lines", 0, "modifiers")),
        ("MOD_THERAPY_ASSISTANT_EVALUATION", ("service_lines", 0, "modifiers", 0))]


@pytest.mark.parametrize(("code", "mods"), [
    ("97110", ("GP", "CQ")), ("97530", ("GO", "CO")), ("97161", ("GP",)),
    ("97140", ("CQ", "GP")), ("92507", ("GN",)),
])
def test_treatment_by_an_assistant_and_evaluations_without_one_are_clean(
        code: str, mods: tuple[str, ...]) -> None:
    assert assistant(claim([(code, mods, 1)])) == []


def test_a_contradiction_is_mod_combination_invalids_alone() -> None:
    """CQ with GN or GO, CO with GN or GP, CQ with CO: MOD_COMBINATION_INVALID says it."""
    for code, mods in (("92521", ("GN", "CQ")), ("97165", ("GP", "CO")),
                       ("97161", ("GP", "CQ", "CO"))):
        got = [f.rule for f in CHECKER.check(claim([(code, mods, 1)])).findings]
        assert "MOD_COMBINATION_INVALID" in got
        assert "MOD_THERAPY_ASSISTANT_EVALUATION" not in got


def test_the_evaluations_and_the_feature() -> None:
    from codekit.rules import ClaimContext

    assert frozenset(
        {"97161", "97162", "97163", "97164", "97165", "97166", "97167", "97168", "92521",
         "92522", "92523", "92524", "92610"}) == procedure.THERAPY_EVALUATIONS
    c = claim([("97161", ("GP", "CQ"), 1)])
    assert "mods-assistant" in ClaimContext(c, CHECKER.route(c).profile).features
    c = claim([("97161", ("GP",), 1)])
    assert "mods-assistant" not in ClaimContext(c, CHECKER.route(c).profile).features
