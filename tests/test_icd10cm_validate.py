"""ICD-10-CM validity by date of service: the must-show cases of the first issue."""

from __future__ import annotations

import datetime as dt
import itertools
import pickle

import pytest

import codekit
from codekit import (
    InvalidFormat,
    NotBillable,
    NotValidOnDate,
    PlaceholderMissing,
    SeventhCharacterInvalid,
    SeventhCharacterMissing,
    UnknownCode,
    icd10cm,
)
from codekit.icd10cm import default_store

D = dt.date.fromisoformat


# -- counts and whole releases -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "count"),
    [("2022-10-01", 73_639), ("2023-10-01", 74_044), ("2024-10-01", 74_260),
     ("2025-10-01", 74_719), ("2026-10-01", 74_879)],
)
def test_counts_of_valid_codes(day: str, count: int) -> None:
    v = default_store().validity
    p = v.period(D(day))
    assert sum(1 for m in v.masks.values() if m >> p & 1) == count


RELEASE_DAYS = [
    ("FY2016", "2015-10-01"), ("FY2017", "2017-09-30"), ("FY2018", "2017-10-01"),
    ("FY2019", "2019-06-01"), ("FY2020", "2020-03-31"), ("FY2020-04", "2020-04-01"),
    ("FY2021", "2020-12-31"), ("FY2021-01", "2021-01-01"), ("FY2022", "2021-10-01"),
    ("FY2022-04", "2022-04-01"), ("FY2023", "2023-03-31"), ("FY2023-04", "2023-04-01"),
    ("FY2024", "2023-10-01"), ("FY2025", "2024-10-01"), ("FY2025-04", "2025-04-01"),
    ("FY2026", "2025-10-01"), ("FY2026", "2026-09-30"), ("FY2027", "2026-10-01"),
    ("FY2027", "2027-03-31"),
]


@pytest.mark.parametrize(("release", "day"), RELEASE_DAYS)
def test_every_billable_code_of_a_release_validates_inside_it(release: str, day: str) -> None:
    rel = default_store().release(release)
    billable = [c for i, c in enumerate(rel.codes) if rel.is_billable_row(i)]
    assert len(billable) == rel.counts["billable"]
    bad = [c for c in billable if not icd10cm.is_valid(c, on=day)]
    assert bad == []
    # validate() too, on every 25th code (and its dotted form)
    for c in billable[::25]:
        entry = icd10cm.validate(c[:3] + "." + c[3:] if len(c) > 3 else c, on=day)
        assert entry.code == c
        assert entry.billable


def test_release_counts() -> None:
    counts = {r.id: (r.codes, r.billable) for r in icd10cm.releases()}
    # the CMS order files' counts (README of ../shared/data/reference); the releases before
    # a mid-year update lack its codes
    assert counts == {
        "FY2016": (91_737, 69_823), "FY2017": (93_830, 71_486), "FY2018": (94_127, 71_704),
        "FY2019": (94_444, 71_932), "FY2020": (94_765, 72_184),
        "FY2020-04": (94_768, 72_186), "FY2021": (95_352, 72_616),
        "FY2021-01": (95_358, 72_621), "FY2022": (95_524, 72_748),
        "FY2022-04": (95_528, 72_750), "FY2023": (96_745, 73_639),
        "FY2023-04": (96_795, 73_674), "FY2024": (97_296, 74_044),
        "FY2025": (97_584, 74_260), "FY2025-04": (97_584, 74_260),
        "FY2026": (98_186, 74_719), "FY2027": (98_403, 74_879),
    }
    infos = icd10cm.releases()
    assert [str(r.effective) for r in infos] == [
        "2015-10-01", "2016-10-01", "2017-10-01", "2018-10-01", "2019-10-01", "2020-04-01",
        "2020-10-01", "2021-01-01", "2021-10-01", "2022-04-01", "2022-10-01", "2023-04-01",
        "2023-10-01", "2024-10-01", "2025-04-01", "2025-10-01", "2026-10-01"]
    # no gap and no overlap from 2015-10-01 to 2027-09-30
    for a, b in itertools.pairwise(infos):
        assert a.until is not None and a.until + dt.timedelta(days=1) == b.effective
    assert str(infos[-1].until) == "2027-09-30"
    assert all(r.source == "bundled" for r in infos)


@pytest.mark.parametrize("header", ["E11", "I25.1", "M17.1", "S72.00", "Z00"])
def test_header_billable_in_no_release_is_not_billable(header: str) -> None:
    for day in ("2016-06-01", "2021-06-01", "2024-06-01", "2025-06-01", "2026-06-01"):
        with pytest.raises(NotBillable) as info:
            icd10cm.validate(header, on=day)
        assert info.value.code == "DX_NOT_BILLABLE"
        assert info.value.children, header
        assert all(c.startswith(header) for c in info.value.children)
        assert "use one of its codes" in str(info.value)


def test_not_billable_lists_billable_children() -> None:
    with pytest.raises(NotBillable) as info:
        icd10cm.validate("I25.1", on="2025-06-01")
    assert info.value.children[:6] == ("I25.10", "I25.110", "I25.111", "I25.112", "I25.118",
                                       "I25.119")
    assert all(icd10cm.is_valid(c, on="2025-06-01") for c in info.value.children)


# -- transitions (catalog section H and 0.3) ---------------------------------------------


def test_g35_became_a_header_on_2025_10_01() -> None:
    assert icd10cm.validate("G35", on="2025-09-30").title == "Multiple sclerosis"
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate("G35", on="2025-10-01")
    err = info.value
    assert err.code == "DX_NOT_VALID_ON_DOS"
    assert err.valid_ranges == ((D("2015-10-01"), D("2025-09-30")),)
    assert err.replacements[:3] == ("G35.A", "G35.B0", "G35.B1")
    assert "header" in str(err)
    assert "G35.A" in str(err)


@pytest.mark.parametrize("code", ["G35.A", "E11.A"])
def test_new_fy2026_codes_are_not_valid_before_2025_10_01(code: str) -> None:
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate(code, on="2025-09-30")
    assert info.value.valid_ranges == ((D("2025-10-01"), None),)
    assert "takes effect on 2025-10-01" in str(info.value)
    assert icd10cm.validate(code, on="2025-10-01").billable


def test_z86_010_expanded_on_2024_10_01() -> None:
    assert icd10cm.is_valid("Z86.010", on="2024-09-30")
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate("Z86.010", on="2024-10-01")
    assert info.value.valid_ranges == ((D("2015-10-01"), D("2024-09-30")),)
    assert "Z86.0100" in info.value.replacements


@pytest.mark.parametrize("code", ["E11.9", "I10", "S72.001A", "G35", "E11"])
def test_any_code_before_icd10_took_effect(code: str) -> None:
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate(code, on="2015-09-30")
    assert "ICD-9-CM" in str(info.value)
    assert not icd10cm.is_valid(code, on="2015-09-30")


def test_deleted_code_says_when() -> None:
    # S06.377D was valid until FY2017, when the tabular forbade D/S after 6th character 7.
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate("S06.377D", on="2025-10-01")
    assert "deleted after 2017-09-30" in str(info.value)


def test_date_after_the_last_known_release_is_answered_and_says_so() -> None:
    entry = icd10cm.validate("E11.65", on="2030-01-01")
    assert entry.billable
    assert entry.release == "FY2027"
    assert "after the last date" in entry.release_note
    assert "2027-03-31" in entry.release_note
    assert entry.covered is False
    # inside FY2027 but past the MCE table: the April 2027 update is unknown
    assert icd10cm.lookup("E11.65", on="2027-04-01").covered is False
    assert icd10cm.lookup("E11.65", on="2027-03-31").covered is True
    assert icd10cm.lookup("E11.65", on="2014-01-01").covered is False


def test_fy2027_dates_have_fy2027_titles_and_headers() -> None:
    # C78.31 is new on 2026-10-01
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate("C78.31", on="2026-09-30")
    assert "takes effect on 2026-10-01" in str(info.value)
    entry = icd10cm.validate("C78.31", on="2026-10-01")
    assert entry.billable
    assert entry.title == "Secondary malignant neoplasm of larynx"
    assert entry.release == "FY2027"
    assert entry.release_note is None
    assert entry.parent == "C783"
    # notes are the FY2026 tabular's, said per code
    assert entry.notes_source == "FY2026"
    assert "FY2027 tabular XML" in entry.notes_note
    assert "C78.31 is not in the FY2026 tabular" in entry.notes_note
    assert "C78.3" not in icd10cm.lookup("C78.30", on="2026-10-01").notes_note
    # D69.1 becomes a header on 2026-10-01
    assert icd10cm.is_valid("D69.1", on="2026-09-30")
    assert not icd10cm.is_valid("D69.1", on="2026-10-01")
    assert icd10cm.lookup("D69.1", on="2026-10-01").kind == "subcategory"
    e = icd10cm.validate("E11.65", on="2026-11-26")
    assert e.title == "Type 2 diabetes mellitus with hyperglycemia"
    assert e.release_note is None


# -- the most specific error wins ---------------------------------------------------------


def test_placeholder_missing() -> None:
    with pytest.raises(PlaceholderMissing) as info:
        icd10cm.validate("T78.40A", on="2025-06-01")
    assert info.value.suggestion == "T78.40XA"
    assert info.value.code == "DX_PLACEHOLDER_X_MISSING"
    with pytest.raises(PlaceholderMissing) as info:
        icd10cm.validate("T15.02A", on="2025-06-01")
    assert info.value.suggestion == "T15.02XA"


def test_seventh_character_missing() -> None:
    with pytest.raises(SeventhCharacterMissing) as info:
        icd10cm.validate("S52.521", on="2025-06-01")
    assert set(info.value.allowed) == set("ADGKPS")
    assert info.value.code == "DX_SEVENTH_CHAR_MISSING"
    with pytest.raises(SeventhCharacterMissing) as info:
        icd10cm.validate("W19", on="2025-06-01")
    assert "W19.XXXA" in str(info.value)
    # trailing X are placeholders: T78.40X still lacks its 7th character
    with pytest.raises(SeventhCharacterMissing):
        icd10cm.validate("T78.40X", on="2025-06-01")


@pytest.mark.parametrize(("code", "said"), [
    # a code of 6 characters takes its 7th character as it is: no placeholder X
    ("S72.001", "S72.001 needs a 7th character, e.g. S72.001A; one of: A ("),
    ("O36.593", "O36.593 needs a 7th character, e.g. O36.5930; one of: 0 (not applicable "
                "or unspecified), 1 (fetus 1)"),
    # shorter: X fills it to 6 characters first
    ("T78.40", "T78.40 needs a 7th character after placeholder X to fill 6 characters, e.g. "
               "T78.40XA; one of: A (initial encounter)"),
    ("W19", "W19 needs a 7th character after placeholder X to fill 6 characters, e.g. "
            "W19.XXXA; one of: A (initial encounter)"),
])
def test_the_seventh_character_message_says_x_only_where_it_goes(code: str, said: str) -> None:
    with pytest.raises(SeventhCharacterMissing) as info:
        icd10cm.validate(code, on="2025-11-03")
    assert str(info.value).startswith(f"{code!r}: {said}"), str(info.value)


@pytest.mark.parametrize(("code", "allowed"), [("S93.401B", "ADS"), ("M80.08XB", "ADGKPS"),
                                                ("T40.1X1K", "ADS")])
def test_seventh_character_invalid(code: str, allowed: str) -> None:
    with pytest.raises(SeventhCharacterInvalid) as info:
        icd10cm.validate(code, on="2025-06-01")
    assert set(info.value.allowed) == set(allowed)
    assert info.value.code == "DX_SEVENTH_CHAR_INVALID"


def test_seventh_character_exception_from_a_tabular_note() -> None:
    # S06: 7th characters D and S do not apply with 6th character 7 (since FY2018)
    with pytest.raises(NotValidOnDate):  # it was valid in FY2016-FY2017
        icd10cm.validate("S06.377D", on="2024-06-01")
    assert icd10cm.is_valid("S06.377A", on="2024-06-01")


@pytest.mark.parametrize(("code", "cls"), [
    ("250.00", InvalidFormat), ("E1.165", InvalidFormat), ("4019", InvalidFormat),
    ("E11.99", UnknownCode), ("I1O", UnknownCode), ("J06.9XXA", UnknownCode),
])
def test_format_and_unknown(code: str, cls: type) -> None:
    with pytest.raises(cls):
        icd10cm.validate(code, on="2025-06-01")
    assert not icd10cm.is_valid(code, on="2025-06-01")


def test_unknown_code_suggests() -> None:
    with pytest.raises(UnknownCode) as info:
        icd10cm.validate("I1O", on="2025-06-01")
    assert info.value.suggestions[0] == "I10"
    assert info.value.code == "DX_CODE_UNKNOWN"


@pytest.mark.parametrize(("code", "header", "codes"), [
    ("Z91.0113", "Z91.011", ("Z91.0110", "Z91.0111", "Z91.0112")),
    ("G71.0343", "G71.034", ("G71.0340", "G71.0341", "G71.0342", "G71.0349")),
    ("Z91.011A", "Z91.011", ("Z91.0110", "Z91.0111", "Z91.0112")),
])
def test_an_unknown_code_below_a_header_of_seven_character_codes(
        code: str, header: str, codes: tuple[str, ...]) -> None:
    """The header's codes have seven characters of their own (no 7th-character
    extension): the error names the header and its codes, not "takes no 7th character;
    use Z91.011 itself" (a header) nor another category's codes."""
    with pytest.raises(UnknownCode) as info:
        icd10cm.validate(code, on="2025-10-01")
    assert str(info.value) == (f"{code!r}: {code} is not a code: {header} is a header "
                               f"(subcategory); use one of its codes, {', '.join(codes)}")
    assert info.value.suggestions == codes
    # a billable code with a character too many still "takes no 7th character"
    with pytest.raises(UnknownCode, match=r"I25\.110 takes no 7th character"):
        icd10cm.validate("I25.110A", on="2025-10-01")


def test_errors_pickle_with_their_fields() -> None:
    cases = ["250.00", "E11.99", "E11", "S52.521", "S93.401B", "T78.40A", "G35"]
    for code in cases:
        with pytest.raises(codekit.ValidationError) as info:
            icd10cm.validate(code, on="2025-10-01")
        err = info.value
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert (back.value, back.code, str(back)) == (err.value, err.code, str(err))
        for attr in ("children", "allowed", "suggestion", "valid_ranges", "replacements"):
            if hasattr(err, attr):
                assert getattr(back, attr) == getattr(err, attr)


def test_repeated_errors_are_fresh_objects() -> None:
    errors = []
    for _ in range(2):
        with pytest.raises(UnknownCode) as info:
            icd10cm.lookup("E11.99", on="2025-06-01")
        errors.append(info.value)
    assert errors[0] is not errors[1]
    assert str(errors[0]) == str(errors[1])


def test_every_error_class_is_importable_from_codekit() -> None:
    for name in ("CodekitError", "ValidationError", "InvalidFormat", "UnknownCode",
                 "NotBillable", "SeventhCharacterMissing", "SeventhCharacterInvalid",
                 "PlaceholderMissing", "NotValidOnDate", "DataError", "InvalidArgument",
                 "InvalidModifier"):
        cls = getattr(codekit, name)
        assert issubclass(cls, codekit.CodekitError)


# -- is_valid never raises -------------------------------------------------------------


@pytest.mark.parametrize("junk", [None, 0, 3.14, b"E11.9", ["E11.9"], {"E11.9"}, object(),
                                  "", "   ", "€", "E11.9\x00", "E" * 1000, "²³"])
def test_is_valid_false_for_junk(junk: object) -> None:
    assert icd10cm.is_valid(junk) is False
    assert icd10cm.is_valid(junk, on="2025-06-01") is False


@pytest.mark.parametrize("on", ["junk", "2025-13-01", 20250601, ["2025-06-01"], object()])
def test_is_valid_raises_for_junk_dates(on: object) -> None:
    """A bad date is the caller's mistake, not the code's: told apart from a bad code."""
    with pytest.raises(codekit.InvalidArgument, match="on="):
        icd10cm.is_valid("E11.9", on=on)


def test_validate_rejects_junk_dates_with_a_typed_error() -> None:
    with pytest.raises(codekit.InvalidArgument):
        icd10cm.validate("E11.9", on="06/01/2025")


def test_on_accepts_dates_datetimes_and_strings() -> None:
    for on in (dt.date(2025, 6, 1), dt.datetime(2025, 6, 1, 13, 30), "2025-06-01"):
        assert icd10cm.validate("E11.65", on=on).on == dt.date(2025, 6, 1)


def test_release_argument() -> None:
    assert icd10cm.is_valid("G35", release="FY2025")
    assert not icd10cm.is_valid("G35", release="FY2026")
    assert icd10cm.validate("Z86.010", release="FY2024").title.startswith("Personal history")
    with pytest.raises(NotValidOnDate):
        icd10cm.validate("G35", release="FY2026")
    with pytest.raises(codekit.DataError):
        icd10cm.validate("E11.9", release="FY1999")


def test_a_code_of_another_system_gets_no_diagnosis_as_its_fix() -> None:
    """A code of another system gets only look-alike readings as its fix, never a fuzzy
    match (it was G40.019, an epilepsy code, for ICD-9 401.9 -- essential hypertension --,
    O99.213 for the office visit 99213, D46.Z for the appendectomy 0DTJ4ZZ, and E85.89,
    amyloidosis, for the ICD-9 external cause E885.9, a fall from slipping); an
    ICD-10-CM code mistyped keeps its suggestions: a look-alike, a transposition, a
    dropped first letter (14153D: S14.153D)."""
    for raw in ("401.9", "250.00", "25000", "99213", "0001F", "0DTJ4ZZ", "E885.9", "E888.1"):
        with pytest.raises(InvalidFormat) as info:
            icd10cm.validate(raw, on="2025-11-03")
        assert (info.value.code, info.value.fix) == ("DX_FORMAT_INVALID", ()), raw
        assert icd10cm.suggest(raw, on="2025-11-03") == [], raw
    for raw, first in (("20000", "Z00.00"), ("566829A", "S66.829A"), ("0S0462S", "S00.462S"),
                       ("14153D", "S14.153D"), ("1929XS", "V19.29XS"), ("E1.165", "E11.65")):
        with pytest.raises(InvalidFormat) as info:
            icd10cm.validate(raw, on="2025-11-03")
        assert info.value.fix[0] == first, raw
    report = codekit.Checker().check(codekit.Claim.from_dict({
        "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
        "patient": {"sex": "F", "age": 70}, "diagnoses": ["99213"],
        "service_lines": [{"procedure_code": "99213", "diagnosis_pointers": [1]}]}))
    (f,) = [f for f in report.findings if f.rule == "DX_FORMAT_INVALID"]
    assert f.fix == () and "belongs on a service line" in f.message


def test_a_code_with_more_after_it_gets_the_code_first() -> None:
    """Text too long for a code: the longest valid code it starts with comes first (E11.9
    was missing from E11.9123456's fix, which began with E11.36 and H11.123, an eyelid
    code)."""
    for raw, first in (("E11.9123456", "E11.9"), ("S72001A7", "S72.001A"),
                       ("I10XX", "I10")):
        with pytest.raises(codekit.ValidationError) as info:
            icd10cm.validate(raw, on="2025-11-03")
        assert info.value.fix[0] == first, raw


@pytest.mark.parametrize(("raw", "fix"), [
    ("T36.01A", "T36.0X1A"), ("T3601A", "T36.0X1A"),  # the X inside the code left out
    ("W19.XA", "W19.XXXA"),  # one X of the padding left out
    ("T78.40A", "T78.40XA"), ("W19A", "W19.XXXA"),
])
def test_a_placeholder_x_left_out_anywhere_is_said(raw: str, fix: str) -> None:
    """T36.01A and W19.XA were DX_CODE_UNKNOWN, with a burn code (T23.601A) first."""
    with pytest.raises(codekit.PlaceholderMissing) as info:
        icd10cm.validate(raw, on="2025-11-03")
    assert (info.value.code, info.value.fix) == ("DX_PLACEHOLDER_X_MISSING", (fix,))
    assert str(info.value) == (f"{raw!r}: a 7th character needs placeholder X to fill 6 "
                               f"characters: did you mean {fix}?")


@pytest.mark.parametrize(("raw", "header", "level"), [
    ("S72.00XA", "S72.00", "subcategory"), ("S72.0XXA", "S72.0", "subcategory"),
    ("S72.XXXA", "S72", "category"),
])
def test_a_header_padded_to_take_a_7th_character_is_not_billable(
        raw: str, header: str, level: str) -> None:
    """S72.00XA was '7th character 'A' is not defined for S72.00; use one of: ' with no
    fix: S72.00 is a header, and A is a 7th character of the codes below it."""
    with pytest.raises(NotBillable) as info:
        icd10cm.validate(raw, on="2025-11-03")
    assert info.value.code == "DX_NOT_BILLABLE"
    assert info.value.fix[:3] == ("S72.001A", "S72.002A", "S72.009A")
    assert str(info.value).startswith(
        f"{raw!r}: {header} is a header ({level}), so {raw} is not a code: use one of the "
        "codes below it with its 7th character, e.g. S72.001A, S72.002A, S72.009A")


@pytest.mark.parametrize(("code", "said"), [
    ("4019", "'4019': looks like an ICD-9-CM code, the code set of 2014-06-01 (ICD-10-CM "
             "took effect on 2015-10-01); codekit checks ICD-10-CM only"),
    ("250.00", "'250.00': looks like an ICD-9-CM code, the code set of 2014-06-01 (ICD-10-CM "
               "took effect on 2015-10-01); codekit checks ICD-10-CM only"),
    ("25000", "'25000': looks like an ICD-9-CM code without its dot (or a CPT code, which "
              "belongs on a service line), the code set of 2014-06-01 (ICD-10-CM took effect "
              "on 2015-10-01); codekit checks ICD-10-CM only")])
def test_an_icd9_code_before_icd10_is_not_told_to_convert(code: str, said: str) -> None:
    """On a date before 2015-10-01 ICD-9-CM is the code set: 4019 was told "convert it
    with a GEM/crosswalk first" and offered ICD-10-CM look-alikes, while J02.0 on the
    same date was told to use ICD-9-CM."""
    with pytest.raises(InvalidFormat) as e:
        icd10cm.validate(code, on="2014-06-01")
    assert (str(e.value), e.value.fix) == (said, ())
    with pytest.raises(InvalidFormat) as later:
        icd10cm.validate(code, on="2016-06-01")
    assert "Convert it with a GEM/crosswalk first" in str(later.value) or \
        "convert it with a GEM/crosswalk" in str(later.value)


# -- a cold process's first answers: no dict of every code ---------------------------------


def test_the_validity_bisection_answers_as_the_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the dict of 75,909 codes is made, :meth:`Validity.mask` bisects the sorted
    codes section: the same mask for the first and last codes, codes of 3 to 7 characters,
    a sample of every 97th code, headers and codes the table lacks; None for other text.
    :data:`PROBES` is raised so that every answer here is the bisection's."""
    from codekit.icd10cm import _store

    monkeypatch.setattr(_store, "PROBES", 10**9)
    v = default_store().validity
    masks = v.masks
    codes = sorted(masks)
    probe = _store.Validity(v.table)  # a new one: nothing made yet
    assert probe.made_masks is None
    sample = [codes[0], codes[-1], *codes[::97], "E119", "E11", "A00", "A000", "Z9989",
              "ZZZZZZZ", "A", "0", "E1165X", "e119", "E11.9", "E11 9", "E11\n9", ""]
    for code in sample:
        assert probe.mask(code) == masks.get(code), code
    assert (probe.mask("E119"), probe.mask("E11"), probe.mask("G35A")) == (
        masks["E119"], None, masks["G35A"])
    assert probe.made_masks is None  # all of that without making the dict


def test_the_dict_is_made_from_the_sections_the_bisection_read() -> None:
    """The first look-ups read (decompress and check) the codes and masks sections;
    the dict of 75,909 codes made after them reads neither again."""
    from codekit.icd10cm import _store

    table = default_store().validity.table
    read: list[str] = []

    class Counting:
        meta, path = table.meta, table.path

        def section(self, name: str) -> bytes:
            read.append(name)
            return table.section(name)

    v = _store.Validity(Counting())  # type: ignore[arg-type]
    assert v.mask("E119") is not None and sorted(read) == ["codes", "masks"]
    assert v.masks == _store.Validity(table).masks
    assert sorted(read) == ["codes", "masks"]


def test_a_first_is_valid_does_not_make_the_dict_of_every_code() -> None:
    """A process's first ``is_valid`` answers (E11.9 on 2025-11-03, G35 either side of
    its FY2026 expansion) without making the dict of every code (262 M instructions of a
    cold start); after :data:`PROBES` look-ups the dict is made and answers."""
    from codekit.icd10cm import _store

    codekit.clear_caches()
    assert icd10cm.is_valid("E11.9", on=dt.date(2025, 11, 3))
    assert icd10cm.is_valid("G35", on="2025-09-30")
    assert not icd10cm.is_valid("G35", on="2025-10-01")
    assert not icd10cm.is_valid("E11", on="2025-10-01")
    assert default_store().validity.made_masks is None
    codes = [c for c in default_store().releases[-2].codes if c.startswith("S72")]
    answers = [icd10cm.is_valid(c, on="2025-11-03") for c in codes[:_store.PROBES]]
    assert default_store().validity.made_masks is not None
    masks, p = default_store().validity.masks, default_store().validity.period(D("2025-11-03"))
    assert answers == [bool(masks.get(c, 0) >> p & 1) for c in codes[:_store.PROBES]]
    assert icd10cm.is_valid("S72.001A", on="2025-11-03")
