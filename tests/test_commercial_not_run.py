"""What the ``commercial`` profile lists as not run, in order, and what it costs.

``commercial`` runs no NCCI PTP or MUE edit until configured (``ncci=True``) and lists
them in ``Report.not_run`` where they had lines to judge (option ``ncci_not_run``). The
edits that need a PTP or MUE table decide that from the claim's lines, without asking for
a table date by date (:class:`codekit.rules.NcciOffTables`): the report is the same as
when they asked, and a commercial claim pays for the look only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim
from codekit.rules import ClaimContext, NcciOffTables, modifier_edits, ncci_edits, ncci_off
from tests.claims_gen import loaded_mpfs, make_professional

OFF = ncci_off("commercial")
DOS = "2025-06-10"


def line(code: str, *mods: str, units: int = 1, day: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"procedure_code": code, "modifiers": list(mods), "units": units,
                           "diagnosis_pointers": [1]}
    if day is not None:
        out["date_of_service"] = day
    return out


def claim(*lines: dict[str, Any], dx: str = "M17.11") -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "aetna", "place_of_service": "11",
        "patient": {"sex": "F", "birth_date": "1970-03-02"}, "date_of_service": DOS,
        "diagnoses": [dx], "service_lines": list(lines)})


#: claim -> the edits its report lists as not run, in order (every reason is OFF)
CASES = {
    # NCCI-relevant lines: an E/M without 25 beside a procedure of its date
    "99213 + 20610": ((line("99213"), line("20610", "RT")),
                      ["EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT", "MUE_EXCEEDED"]),
    # 57 is no 25: the E/M edit still had the pair to judge
    "99213-57 + 20610": ((line("99213", "57"), line("20610", "RT")),
                         ["EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT", "MUE_EXCEEDED"]),
    "99213-25 + 20610": ((line("99213", "25"), line("20610", "RT")),
                         ["NCCI_PTP_CONFLICT", "MUE_EXCEEDED"]),
    "20610 + 11102": ((line("20610"), line("11102")), ["NCCI_PTP_CONFLICT", "MUE_EXCEEDED"]),
    # one line: no pair for the PTP edits, units for the MUE edit
    "99213 alone": ((line("99213"),), ["MUE_EXCEEDED"]),
    "20610 alone": ((line("20610"),), ["MUE_EXCEEDED"]),
    # two lines, one of them invalid (its code deleted): one valid line, no pair
    "20610 + J1030": ((line("20610"), line("J1030")), ["MUE_EXCEEDED"]),
    # two lines on two dates: no date with a pair
    "20610 + 11102 a day apart": ((line("20610"), line("11102", day="2025-06-11")),
                                  ["MUE_EXCEEDED"]),
    # GY: the MUE 0 edit had a line to judge too
    "99397-GY": ((line("99397", "GY"),), ["MUE_EXCEEDED", "MUE_ZERO_WITH_GY"]),
    # no NCCI-relevant line: nothing valid to judge, nothing listed
    "00000 + J1030": ((line("00000"), line("J1030")), []),
    "no lines": ((), []),
}


@pytest.fixture
def mpfs(tmp_path: Path) -> Iterator[None]:
    """Global days as the MPFS RVU file gives them (27447: a major surgery)."""
    yield from loaded_mpfs(tmp_path / "PPRRVU25_JAN.csv", "code,global_days\n20610,000\n"
                           "11102,000\n27447,090\n99213,XXX\n99214,XXX\n")


@pytest.mark.parametrize("name", list(CASES))
def test_commercial_not_run_is_exactly_the_edits_with_lines_to_judge(name: str) -> None:
    lines, expected = CASES[name]
    report = Checker(policies=()).check(claim(*lines))
    assert report.profile == "commercial"
    assert report.not_run == tuple((rule, OFF) for rule in expected)


def test_an_em_with_25_beside_a_major_surgery(mpfs: None) -> None:
    """With global days known, 25 (not 57) on an E/M beside a 090 surgery of its date is
    judged by the E/M edit (57 is the modifier there): listed; beside a minor one, not."""
    checker = Checker(policies=())
    major = checker.check(claim(line("99213", "25"), line("27447", "RT")))
    assert [rule for rule, _ in major.not_run] == [
        "EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT", "MUE_EXCEEDED"]
    minor = checker.check(claim(line("99213", "25"), line("20610", "RT")))
    assert [rule for rule, _ in minor.not_run] == ["NCCI_PTP_CONFLICT", "MUE_EXCEEDED"]


def test_the_listing_asks_for_no_ptp_or_mue_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PTP and MUE edits under ``commercial`` decide from the claim's lines that they
    did not run: no table is asked for date by date to learn what the profile says once
    (it was, for every date of every claim: 40 % of the listing's cost)."""
    asked: list[str] = []
    original = NcciOffTables.table

    def table(self: NcciOffTables, kind: str, setting: str | None, day: dt.date) -> Any:
        asked.append(kind)
        return original(self, kind, setting, day)

    monkeypatch.setattr(NcciOffTables, "table", table)
    checker = Checker(policies=())
    report = checker.check(claim(line("99213"), line("20610", "RT"), line("99397", "GY")))
    assert [rule for rule, _ in report.not_run] == [
        "EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT", "MUE_EXCEEDED", "MUE_ZERO_WITH_GY"]
    assert set(asked) <= {"addon", "mue"}  # the add-on edit's table; MUE 0's (GY only)
    asked.clear()
    checker.check(claim(line("99213"), line("20610", "RT")))
    assert asked == ["addon"]


def _claims() -> list[Claim]:
    """Typical claims, and the same with lines moved a day, codes made invalid, 25, 57
    and GY added or dropped: every way the listing depends on the lines."""
    rng = random.Random(46)
    out = []
    for d in make_professional(400, seed=46):
        d = {**d, "payer": "commercial"}
        lines = [dict(ln) for ln in d["service_lines"]]
        for ln in lines:
            r = rng.random()
            if r < 0.1:
                ln["procedure_code"] = rng.choice(("J1030", "00000", "99201", "27447"))
            elif r < 0.2:
                ln["date_of_service"] = "2025-12-31"
            elif r < 0.4:
                ln["modifiers"] = rng.choice((["25"], ["57"], ["GY"], [], ["25", "57"]))
        d["service_lines"] = lines
        out.append(Claim.from_dict(d))
    return out


def test_the_look_at_the_lines_agrees_with_asking_for_tables(mpfs: None) -> None:
    """What each edit lists, decided from the lines, is what it yielded when it asked the
    profile's tables for every date (the generators it still runs with tables)."""
    checker = Checker(policies=())
    steps = [(ncci_edits.ptp_conflict, ncci_edits._ptp_conflict),
             (ncci_edits.mue_exceeded, ncci_edits._mue_exceeded),
             (modifier_edits.em_without_25, modifier_edits._em_without_25)]
    listed = {rule.id: [0, 0] for rule, _ in steps}
    for c in _claims():
        ctx: ClaimContext = checker.context(c)
        assert type(ctx.tables) is NcciOffTables
        for rule, asking in steps:
            quick = {hit.reason for hit in rule.check(ctx)}
            slow = {hit.reason for hit in asking(ctx)}
            if rule is modifier_edits.em_without_25 and len(c.service_lines) < 2:
                slow = set()  # its `when`: lines-several (an E/M alone is not listed)
            assert quick == slow, (rule.id, c)
            listed[rule.id][bool(quick)] += 1
    assert all(no >= 5 and yes >= 25 for no, yes in listed.values()), listed
