"""Procedure validity exact to the day, the I/OCE date edits, the add-on codes the bundled
table lacked, and what the procedure data covers (issue 10, items 5 and 6, and "no
silent extrapolation").

The IOCE reference tables are read from ``../shared/data/reference/pyoce_ioce`` and the
CMS AOC file of June 2024 from ``northstar_2024q3`` (test input only; skipped when
absent).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import pickle
from typing import Any

import attrs
import pytest

from codekit import (
    Checker,
    Claim,
    DataError,
    NotValidOnDate,
    UnknownCode,
    cpt,
    hcpcs,
    modifiers,
    ncci,
    procedure,
)
from codekit.procedure import DATE_EDITS, DateLimit

from .conftest import reference

D = dt.date.fromisoformat
ONE = dt.timedelta(days=1)


# -- validity to the day ------------------------------------------------------------------


def test_the_issue_examples() -> None:
    assert not cpt.is_valid("0001A", on="2023-06-01")  # terminated 2023-04-17
    assert cpt.is_valid("0001A", on="2023-04-17")
    assert not cpt.is_valid("0031A", on="2021-01-04")  # marketed 2021-02-27
    assert cpt.is_valid("0031A", on="2021-02-27")
    assert not hcpcs.is_valid("J0175", on="2024-07-01")  # FDA approval 2024-07-02
    assert hcpcs.is_valid("J0175", on="2024-07-02")
    assert not cpt.is_valid("87450", on="2020-12-20")  # non-coverage NCD after 2020-10-05
    assert cpt.is_valid("87450", on="2020-10-05")
    assert procedure.lookup("0001A", on="2023-06-01").valid_ranges == (
        (D("2020-12-11"), D("2023-04-17")),)
    assert procedure.lookup("J0175", on="2025-01-01").valid_ranges == ((D("2024-07-02"), None),)
    with pytest.raises(NotValidOnDate) as info:
        cpt.validate("0001A", on="2023-06-01")
    assert "2023-04-17 (IOCE edit 134)" in str(info.value)
    assert tuple(info.value.valid_ranges) == ((D("2020-12-11"), D("2023-04-17")),)


def test_entries_carry_their_date_limit() -> None:
    e = procedure.lookup("0001A", on="2023-06-01")
    assert e.valid is False
    assert e.date_limit == DateLimit(134, D("2020-12-11"), D("2023-04-17"))
    assert e.date_limit.rule == "PROC_OUTSIDE_DESIGNATED_PERIOD"
    assert procedure.lookup("99213", on="2023-06-01").date_limit is None
    assert procedure.date_limit("0001A", on="2023-07-15").ioce_edit == 69
    assert procedure.date_limit("0001A", on="2022-07-15").ioce_edit == 110
    assert procedure.date_limit("not a code", on="2022-07-15") is None


def _ioce_rows() -> list[dict[str, str]]:
    path = reference("pyoce_ioce", "ioce_hcpcs.csv.gz")
    with gzip.open(path, "rt", newline="") as f:
        return list(csv.DictReader(f))


def _ymd(text: str) -> dt.date:
    return D(f"{text[:4]}-{text[4:6]}-{text[6:]}")


def _file_allows(code: str, day: dt.date) -> bool:
    """What CMS's HCPCS file (its bundled ADD DT and TERM DT) says of a Level II code on a
    day of a quarter listing it: after the file's quarter, nothing (the quarter answers)."""
    dates = procedure.default_store().hcpcs_dates
    if code in dates.unlisted:
        return False
    row = dates.rows.get(code)
    if row is None or day > dates.through:
        return True
    return (row[0] is None or row[0] <= day) and (row[1] is None or day <= row[1])


def test_every_ioce_date_limit_to_the_day() -> None:
    """For every IOCE row with a date edit, inside its quarters: a CPT code is valid
    exactly between the approval and termination dates, a Level II code by CMS's HCPCS
    file's dates (the I/OCE's edit is an outpatient edit, not the code's existence), and
    the limit names the IOCE's edit either way."""
    rows = [r for r in _ioce_rows() if r["mid_quarter_date_edit"] != "0"]
    assert len({r["code"] for r in rows}) == 240
    inside = set()
    differ = set()
    checked = 0
    for r in rows:
        start, end = _ymd(r["date_started"]), min(_ymd(r["date_ended"]), D("2026-06-30"))
        approved = _ymd(r["date_approved"]) if r["date_approved"] != "0" else None
        terminated = _ymd(r["date_terminated"]) if r["date_terminated"] != "0" else None
        days = {start, end}
        for d in (approved, terminated):
            if d is not None:
                days |= {d - ONE, d, d + ONE}
        for day in sorted(x for x in days if start <= x <= end):
            want = (approved is None or approved <= day) and \
                (terminated is None or day <= terminated)
            if not r["code"][0].isdigit():  # Level II (no CDT code has a date edit)
                file = _file_allows(r["code"], day)
                if file is not want:
                    differ.add(r["code"])
                want = file
            assert procedure.is_valid(r["code"], on=day) is want, (r["code"], day)
            limit = procedure.date_limit(r["code"], on=day)
            assert limit is not None and limit.ioce_edit == int(r["mid_quarter_date_edit"])
            assert (limit.approved, limit.terminated) == (approved, terminated)
            checked += 1
            if start < (approved or start) or (terminated or end) < end:
                inside.add(r["code"])
    assert checked > 1500
    # codes approved or ended strictly inside a quarter codekit used to treat as valid
    assert len(inside) >= 200
    # the Level II codes whose I/OCE dates are not the HCPCS file's (on these days: an
    # NCD approval, a marketing date, an approval period; C9818 and the like from
    # 2026-01-01, after the file's quarter, where the quarters answer alone)
    assert {"G0011", "J0751", "J9247", "Q0222", "Q5107", "G2010", "Q5121", "M0220",
            "C9818"} <= differ


def test_valid_ranges_match_the_ioce_rows() -> None:
    """The ranges of every code with an I/OCE date edit are the I/OCE's rows: its valid
    ranges for a CPT code, the store's ``ioce_ranges`` (what the I/OCE accepts) for a
    Level II code, whose validity follows CMS's HCPCS file."""
    store = procedure.default_store()
    rows = _ioce_rows()
    dated = {r["code"] for r in rows if r["mid_quarter_date_edit"] != "0"}
    never = D("9999-12-31")  # the IOCE's open end (2036-03-31) stands for none
    by_code: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for r in rows:
        if r["code"] not in dated:
            continue
        a = _ymd(r["date_started"])
        b = never if r["date_ended"] == "20360331" else _ymd(r["date_ended"])
        if r["date_approved"] != "0":
            a = max(a, _ymd(r["date_approved"]))
        if r["date_terminated"] != "0":  # G0310: terminated 2065-01-01, as CMS has it
            b = min(b, _ymd(r["date_terminated"]))
        if a <= b:
            by_code.setdefault(r["code"], []).append((a, b))
    bad = []
    for code, spans in by_code.items():
        merged: list[list[dt.date]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1] + ONE:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        want = tuple((a, None if b == never else b) for a, b in merged)
        got = tuple(store.ioce_ranges(code)) if not code[0].isdigit() else \
            procedure.lookup(code, on="2025-01-01").valid_ranges
        if got != want:
            bad.append(code)
    assert len(by_code) > 200
    assert bad == []


# -- the I/OCE date edits -----------------------------------------------------------------


def _claim(code: str, day: str, *, outpatient: bool = True) -> Claim:
    d: dict[str, Any] = {
        "payer": "medicare", "patient": {"sex": "F", "birth_date": "1960-01-01"},
        "date_of_service": day, "diagnoses": ["Z23"],
        "service_lines": [{"procedure_code": code, "units": 1}]}
    if outpatient:
        d.update(claim_type="institutional", bill_type="131")
        d["service_lines"][0]["revenue_code"] = "0300"
        if code in _DRUGS:  # with its administration: a drug alone is the I/OCE's edit 99
            d["service_lines"].append({"procedure_code": "96372", "units": 1,
                                       "revenue_code": "0510"})
    else:
        d["claim_type"] = "professional"
        d["service_lines"][0]["diagnosis_pointers"] = [1]
    return Claim.from_dict(d)


#: The drugs below: on an OPPS claim with no payable procedure beside them the I/OCE
#: returns the claim (edit 99, DRUG_WITHOUT_PAYABLE_PROCEDURE; pyoce 0.1.0 raises it on
#: J0175 alone on 2024-07-02 and not beside 96372).
_DRUGS = frozenset({"J0175"})


@pytest.mark.parametrize(("code", "bad", "good", "rule"), [
    ("J0175", "2024-07-01", "2024-07-02", "PROC_BEFORE_FDA_APPROVAL"),
    ("87635", "2020-03-12", "2020-03-13", "PROC_BEFORE_NCD_APPROVAL"),
    ("0001A", "2023-07-15", "2023-04-17", "PROC_OUTSIDE_APPROVAL_PERIOD"),
    ("87450", "2020-10-06", "2020-10-05", "PROC_AFTER_NCD_NONCOVERAGE"),
    ("0031A", "2021-02-26", "2021-02-27", "PROC_BEFORE_MARKETING_DATE"),
    ("0001A", "2023-04-18", "2023-04-17", "PROC_OUTSIDE_DESIGNATED_PERIOD"),
    ("90684", "2024-06-26", "2024-06-27", "PROC_BEFORE_ACIP_DATE"),
])
def test_each_date_edit_on_outpatient_claims(code: str, bad: str, good: str,
                                             rule: str) -> None:
    checker = Checker()
    report = checker.check(_claim(code, bad))
    assert [(f.rule, f.severity.value, f.location) for f in report.findings] == \
        [(rule, "error", ("service_lines", 0, "procedure_code"))]
    edit = next(n for n, (r, _, _) in DATE_EDITS.items() if r == rule)
    assert f"IOCE edit {edit}" in report.findings[0].message
    assert f"I/OCE edit {edit}" in report.findings[0].reference
    assert checker.check(_claim(code, good)).findings == ()
    # other profiles: the general validity edit says the same (J0175, a Level II code:
    # CMS's HCPCS file adds it on 2024-07-02 too, the date its message names)
    prof = checker.check(_claim(code, bad, outpatient=False))
    assert [f.rule for f in prof.findings] == ["PROC_NOT_VALID_ON_DOS"]
    assert (f"IOCE edit {edit}" if code[0].isdigit() else "takes effect on 2024-07-02") \
        in prof.findings[0].message


def test_every_ioce_date_edit_has_a_rule() -> None:
    from codekit.rules import builtin_rules

    ids = {r.id for r in builtin_rules()}
    assert {r for r, _, _ in DATE_EDITS.values()} <= ids
    edits = reference("pyoce_ioce", "ioce_edits.csv")
    with open(edits, newline="") as f:
        names = {int(r["edit"]): r["name"] for r in csv.DictReader(f)}
    for n in DATE_EDITS:
        assert "Service provided" in names[n], n


def test_a_date_edit_only_where_the_ioce_has_one() -> None:
    # 99201 deleted on 2021-01-01: no date edit, the general edit on every profile
    r = Checker().check(_claim("99201", "2021-06-01"))
    assert [f.rule for f in r.findings] == ["PROC_NOT_VALID_ON_DOS"]


# -- add-on codes (item 6) -----------------------------------------------------------------

MISSING = ["96361", "96366", "96367", "96368", "96370", "96371", "96375", "96376", "96411",
           "96415", "96417", "96423", "0836T", "0846T", "0852T"]


def _prof(*codes: str, day: str = "2024-07-15") -> list[str]:
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": day,
        "diagnoses": ["E86.0"],
        "service_lines": [{"procedure_code": c, "units": 1, "diagnosis_pointers": [1]}
                          for c in codes]})
    return [f.rule for f in Checker().check(claim).findings]


def test_drug_administration_add_ons() -> None:
    assert _prof("96375") == ["ADDON_WITHOUT_PRIMARY"]
    assert _prof("96374", "96375") == []
    assert _prof("96365", "96366") == []
    assert _prof("96366") == ["ADDON_WITHOUT_PRIMARY"]
    assert _prof("0836T") == ["ADDON_WITHOUT_PRIMARY"]
    assert _prof("88177", "0836T") == []


def test_the_add_on_table_matches_the_cms_aoc_file_of_june_2024() -> None:
    path = reference("northstar_2024q3", "ncci_aoc_2024-06.csv")
    aoc: dict[str, set[str]] = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["aoc_edit_type"] == "1":
                aoc.setdefault(r["add_on_code"], set()).add(r["primary_code"])
    table = ncci.addons()
    day = "2024-07-01"  # the quarter the June 2024 file is for
    for code in MISSING:
        e = table.get(code, on=day)
        assert e is not None and e.type == 1, code
        assert e.primaries & aoc[code], code  # at least the primaries CMS lists
    assert table.get("96375", on=day).primaries >= {"96374", "96360", "96365"}
    # every add-on code of the AOC file is an add-on code in the table on its date
    assert sorted(c for c in aoc if table.get(c, on=day) is None) == []


# -- what the procedure data covers ---------------------------------------------------------


def test_entries_say_whether_the_data_covers_the_date() -> None:
    assert procedure.lookup("99213", on="2025-06-01").covered
    e = procedure.lookup("99213", on="2018-01-01")
    assert e.covered is False and "starts with the IOCE quarter" in e.note
    e = procedure.lookup("99213", on="2026-12-02")
    assert e.covered is False and "after the last quarter" in e.note
    assert procedure.covers(on="2026-06-30") and not procedure.covers(on="2026-07-01")


def test_a_code_newer_than_the_data_is_unknown_and_says_why() -> None:
    with pytest.raises(UnknownCode) as info:
        cpt.validate("0650U", on="2026-12-02")
    assert "2019-07-01 to 2026-06-30" in str(info.value)
    assert "outside the data" in str(info.value)
    assert not procedure.covers("0650U", on="2026-12-02")


def test_a_loaded_hcpcs_file_covers_level_ii_codes_from_its_quarter() -> None:
    path = reference("hcpcs_2025q4", "HCPC2025_OCT_ANWEB.xlsx")
    # a file newer than the bundled quarters answers for Level II from its date on (here
    # the October 2025 file, told it is for the quarter after the bundled data)
    hcpcs.load_release(path, effective="2026-07-01")
    try:
        assert procedure.covers("G0121", on="2026-09-30")
        assert procedure.lookup("G0121", on="2026-09-30").covered
        assert not procedure.covers("99213", on="2026-09-30")  # CPT: no file for it
        assert procedure.covers("G0121", on="2026-06-30")  # the bundled quarters do
        # the file describes its quarter only (CMS publishes one every quarter): a later
        # date is answered from it, as the nearest data, and said; it was "covered" for good
        assert hcpcs.coverage() == (D("2019-07-01"), D("2026-09-30"))
        assert not procedure.covers("G0121", on="2026-12-02")
        e = procedure.lookup("G0121", on="2026-12-02")
        assert (e.valid, e.covered, e.release) == (True, False, "HCPC2025_OCT_ANWEB")
        assert e.note.startswith(
            "2026-12-02 is after the last quarter codekit's data describes (the loaded file "
            "HCPC2025_OCT_ANWEB, 2026-07-01 to 2026-09-30); answered as of that file.")
        m = modifiers.lookup("TB", on="2026-12-02")
        assert m.covered is False and "the loaded file HCPC2025_OCT_ANWEB" in (m.note or "")
        assert modifiers.lookup("TB", on="2026-09-30").covered
    finally:
        hcpcs.unload_releases()


# -- a newer quarter from the list CMS publishes (OPPS Addendum B) ---------------------------


ADDENDUM_B = """\
CPT codes and descriptions only are copyright 2025 American Medical Association.
,,,,
HCPCS Code,Short Descriptor,SI,APC,Payment Rate
99213,(descriptor),V,5012,120.00
G0121,Colon ca scrn not hi rsk ind,Q1,5311,600.00
0650U,(descriptor),A,,
J0175,Inj donanemab-azbt 2mg,K,9376,10.00
"""


@pytest.fixture
def addendum(tmp_path: Any) -> Any:
    path = tmp_path / "July 2026 Addendum B.csv"
    path.write_text(ADDENDUM_B, encoding="utf-8")
    yield path
    procedure.unload_quarters()


def test_a_quarterly_code_list_moves_answers_past_the_bundled_data(addendum: Any) -> None:
    assert not procedure.covers("99213", on="2026-09-02")
    with pytest.raises(UnknownCode):
        cpt.validate("0650U", on="2026-09-02")
    q = procedure.load_quarter(addendum)
    assert (q.effective, len(q.codes)) == (D("2026-07-01"), 4)
    assert procedure.covers("99213", on="2026-09-02")
    e = cpt.validate("0650U", on="2026-09-02")
    assert (e.covered, e.note, e.release, e.status_indicator) == \
        (True, None, "July 2026 Addendum B", "A")
    assert e.valid_ranges == ((D("2026-07-01"), None),)
    with pytest.raises(NotValidOnDate, match="takes effect on 2026-07-01"):
        cpt.validate("0650U", on="2026-06-30")
    assert cpt.is_valid("99213", on="2026-09-02")
    # a code the quarter does not list is no longer valid from its date
    assert cpt.is_valid("99214", on="2026-06-30")
    assert not cpt.is_valid("99214", on="2026-07-01")
    assert procedure.lookup("99214", on="2026-07-01").valid_ranges == (
        (D("2019-07-01"), D("2026-06-30")),)
    # the descriptors are not kept (only code, status indicator and dates)
    assert not hasattr(q.codes["99213"], "descriptor")
    procedure.unload_quarters()
    assert not procedure.covers("99213", on="2026-09-02")
    assert cpt.is_valid("99214", on="2026-07-01")


def test_a_quarterly_code_list_describes_no_modifier(addendum: Any) -> None:
    """A quarterly code list (Addendum B) lists codes, not modifiers: it made
    ``modifiers.coverage()`` reach 2026-09-30 and ``modifiers.covers(on="2026-09-02")``
    and that date's modifier search say covered, while every modifier's entry said
    covered=False with a note to load a CMS HCPCS file."""
    procedure.load_quarter(addendum)
    assert procedure.covers("99213", on="2026-09-02")
    assert modifiers.coverage() == (D("2019-07-01"), D("2026-06-30"))
    assert modifiers.covers(on="2026-09-02") is False
    assert modifiers.covers("RT", on="2026-09-02") is False
    e = modifiers.lookup("RT", on="2026-09-02")
    assert e.covered is False and "hcpcs.load_release()" in (e.note or "")
    found = modifiers.search("right side", on="2026-09-02")
    assert found.covered is False and found.note == e.note


def test_a_quarterly_code_list_describes_its_own_quarter_only(addendum: Any) -> None:
    """A July 2026 list made every later date "covered" (coverage to 9999-12-31), so a
    claim of 2027 or 2099 was answered from it with no note and no notice."""
    procedure.load_quarter(addendum)
    assert procedure.coverage() == cpt.coverage() == (D("2019-07-01"), D("2026-09-30"))
    assert procedure.covers("99213", on="2026-09-30") and cpt.covers(on="2026-09-30")
    assert not procedure.covers("99213", on="2027-01-04") and not cpt.covers(on="2099-01-01")
    e = cpt.validate("0650U", on="2027-01-04")  # answered from the list, the nearest data
    assert (e.valid, e.covered, e.release) == (True, False, "July 2026 Addendum B")
    assert e.note.startswith(
        "2027-01-04 is after the last quarter codekit's data describes (the loaded file July "
        "2026 Addendum B, 2026-07-01 to 2026-09-30); answered as of that file.")
    assert cpt.validate("0650U", on="2026-09-30").note is None


def test_a_quarterly_list_s_new_codes_are_did_you_means_on_their_dates(addendum: Any) -> None:
    # 0650U, added by the loaded Addendum B, was valid on 2026-12-02 but never suggested
    before = cpt.suggest("0650V", on="2026-12-02", limit=10)
    assert "0650U" not in before
    procedure.load_quarter(addendum)
    assert cpt.suggest("0650V", on="2026-12-02", limit=10)[0] == "0650U"
    assert "0650U" in procedure.suggest("650U", on="2026-12-02", limit=10)
    # not on a date before the list takes effect
    assert "0650U" not in cpt.suggest("0650V", on="2026-06-30", limit=10)
    procedure.unload_quarters()
    assert "0650U" not in cpt.suggest("0650V", on="2026-12-02", limit=10)


def test_a_quarterly_code_list_reports_bad_rows(tmp_path: Any) -> None:
    from codekit import MalformedFile

    path = tmp_path / "codes.csv"
    path.write_text("code,status_indicator\n99213,V\n9921,V\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=r"codes.csv:3: not a CPT or HCPCS code"):
        procedure.load_quarter(path, effective="2026-07-01")
    q = procedure.load_quarter(path, effective="2026-07-01", errors="collect")
    try:
        assert list(q.codes) == ["99213"] and q.problems[0].line == 3
        # pickled (a spawned worker of check_many), read again as it was read
        back = pickle.loads(pickle.dumps(q))
        assert (list(back.codes), [p.line for p in back.problems]) == (["99213"], [3])
    finally:
        procedure.unload_quarters()
    with pytest.raises(DataError, match="which quarter"):
        procedure.load_quarter(path, errors="collect")


def test_a_store_with_a_quarterly_list_pickles(addendum: Any) -> None:
    from codekit.procedure import ProcedureStore

    s = ProcedureStore()
    procedure.load_quarter(addendum, store=s)
    back = pickle.loads(pickle.dumps(s))
    assert procedure.is_valid("0650U", on="2026-12-02", store=back)


# -- a code on a date not seen before: what another date of its quarter answered -----------

Day = dt.date
#: around what changes an answer: 0001A approved 2020-12-11 and ended 2023-04-17 (exact to
#: the day, never shared), 99201 deleted 2021-01-01, G2211 added then, the first and last
#: bundled quarters (outside them the entry's note names the date)
_CODES = ("0001A", "99201", "G2211", "99213", " 99213 ", "g2211", "55700", "9921")
_DAYS = (Day(2019, 6, 30), Day(2019, 7, 1), Day(2019, 7, 2), Day(2020, 12, 10), Day(2020, 12, 11),
         Day(2020, 12, 31), Day(2021, 1, 1), Day(2021, 1, 2), Day(2023, 4, 1), Day(2023, 4, 17),
         Day(2023, 4, 18), Day(2025, 11, 3), Day(2025, 11, 4), Day(2026, 6, 30), Day(2026, 7, 1),
         Day(2026, 7, 2))


def test_resolve_answers_each_date_as_validate_does() -> None:
    """procedure.resolve copies the answer of another date of the same bundled quarter
    for a code not dated to the day; each date still gets what validate() says, its own
    date in the entry."""
    import codekit

    codekit.clear_caches()
    for raw in _CODES:
        for day in _DAYS:
            got = procedure.resolve(raw, on=day)
            if got.error is not None:
                with pytest.raises(codekit.ValidationError) as info:
                    procedure.validate(raw, on=day)
                e = info.value
                assert (got.entry, type(got.error), got.error.args) == (None, type(e), e.args)
                continue
            want = procedure.validate(raw, on=day)
            assert got.entry == want and got.entry.on == day, (raw, day)
            assert (got.code, got.error) == (want.code, None)
    assert procedure.resolve("0001A", on=Day(2020, 12, 10)).error.code == "PROC_NOT_VALID_ON_DOS"
    assert procedure.resolve("0001A", on=Day(2020, 12, 11)).entry.valid


def test_resolve_validates_a_code_once_a_quarter(monkeypatch: pytest.MonkeyPatch) -> None:
    import codekit
    from codekit._procedures import _facts

    codekit.clear_caches()
    calls: list[tuple[str, dt.date]] = []
    real = _facts._validate

    def counted(raw: str, *, on: dt.date) -> Any:
        calls.append((raw, on))
        return real(raw, on=on)

    monkeypatch.setattr(_facts, "_validate", counted)
    first = procedure.resolve("99213", on=Day(2025, 11, 3))
    again = procedure.resolve("99213", on=Day(2025, 12, 31))  # the same quarter: copied
    assert again.entry == attrs.evolve(first.entry, on=Day(2025, 12, 31))
    procedure.resolve("99213", on=Day(2026, 1, 1))  # another quarter
    procedure.resolve("0001A", on=Day(2021, 1, 4))  # dated to the day: each date validated
    procedure.resolve("0001A", on=Day(2021, 1, 5))
    procedure.resolve("99213", on=Day(2026, 7, 1))  # after the bundled quarters: a note
    procedure.resolve("99213", on=Day(2026, 7, 2))
    assert calls == [("99213", Day(2025, 11, 3)), ("99213", Day(2026, 1, 1)),
                     ("0001A", Day(2021, 1, 4)), ("0001A", Day(2021, 1, 5)),
                     ("99213", Day(2026, 7, 1)), ("99213", Day(2026, 7, 2))]
    # with a loaded HCPCS release or quarterly file (exact to the day), nothing is shared
    store = _facts.default_store()
    monkeypatch.setattr(store, "releases", [object()])
    assert _facts._quarter(Day(2025, 11, 3)) is None

