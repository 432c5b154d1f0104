"""lookup(): titles, hierarchy, notes, 7th characters, MCE flags; suggest and search."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from codekit import InvalidArgument, UnknownCode, icd10cm

D = dt.date.fromisoformat
ON = "2025-06-01"


def test_lookup_billable_code() -> None:
    e = icd10cm.lookup("E11.65", on=ON)
    assert (e.code, e.dotted, e.billable, e.kind) == ("E1165", "E11.65", True, "code")
    assert e.title == "Type 2 diabetes mellitus with hyperglycemia"
    assert e.short_title == "Type 2 diabetes mellitus with hyperglycemia"
    assert e.parent == "E116"
    assert e.ancestors == ("E116", "E11")
    assert e.children == ()
    assert (e.chapter.number, e.chapter.first, e.chapter.last) == ("4", "E00", "E89")
    assert (e.block.id, e.block.title) == ("E08-E13", "Diabetes mellitus (E08-E13)")
    assert e.release == "FY2025-04"
    assert e.release_note is None
    assert e.valid_ranges == ((D("2015-10-01"), None),)
    assert e.on == D(ON)


def test_lookup_header_and_children() -> None:
    e = icd10cm.lookup("E11", on=ON)
    assert (e.billable, e.kind, e.parent) == (False, "category", None)
    assert e.children[:3] == ("E110", "E111", "E112")
    assert icd10cm.lookup("I25.1", on=ON).kind == "subcategory"
    assert icd10cm.lookup("S72", on=ON).children == (
        "S720", "S721", "S722", "S723", "S724", "S728", "S729")


def test_lookup_seventh_character_code() -> None:
    e = icd10cm.lookup("S52.521A", on=ON)
    assert e.title == ("Torus fracture of lower end of right radius, initial encounter for "
                       "closed fracture")
    assert e.ancestors == ("S52521", "S5252", "S525", "S52")
    # the subcategory S52.52 overrides the S52 list (no open-fracture characters)
    assert set(e.seventh_characters) == set("ADGKPS")
    assert set(icd10cm.lookup("S52.501A", on=ON).seventh_characters) >= set("ABC")
    t = icd10cm.lookup("T78.40XA", on=ON)
    assert t.parent == "T7840"
    assert t.dotted == "T78.40XA"


def test_notes_inherit_from_ancestors_block_and_chapter() -> None:
    e = icd10cm.lookup("E11.9", on=ON)
    origins = {n.origin for n in e.excludes1}
    assert {"E11", "chapter 4"} <= origins
    assert e.excludes1.matches("E10.9")  # E11 Excludes1: type 1 diabetes mellitus (E10.-)
    assert e.excludes1.matches("O24.410")  # gestational diabetes (O24.4-)
    assert not e.excludes1.matches("E11.65")
    assert not e.excludes2.matches("E10.9")
    g63 = icd10cm.lookup("G63", on=ON)
    assert g63.excludes1.matches("E11.42")  # diabetes mellitus (E08-E13 with .42)
    assert not g63.excludes1.matches("E11.40")
    assert g63.code_first.matches("E85.4")  # amyloidosis (E85.-)
    assert g63.mce.manifestation
    # M54.5 Excludes1 "lumbago with sciatica (M54.4-)"
    assert icd10cm.lookup("M54.50", on=ON).excludes1.matches("M54.42")
    # Excludes2 never makes an Excludes1 conflict: K21.9 + K44.9
    assert not icd10cm.lookup("K21.9", on=ON).excludes1.matches("K44.9")


def test_inclusion_terms_are_the_codes_own() -> None:
    assert icd10cm.lookup("M54.50", on=ON).inclusion_terms.texts == ("Loin pain", "Lumbago NOS")
    assert icd10cm.lookup("M54.5", on=ON).inclusion_terms.texts == ()
    # "includes" notes reach the codes below them
    assert "high blood pressure" in icd10cm.lookup("I10", on=ON).includes.texts
    assert "diabetes NOS" in icd10cm.lookup("E11.9", on=ON).includes.texts


@pytest.mark.parametrize(
    ("code", "on", "excludes1", "inclusion_terms"),
    [("Z91.0111", "2025-10-01", "Z91.0112", ()),
     ("Z91.0122", "2026-12-01", "Z91.0121", ()),
     ("G71.0341", "2025-10-01", None, ("Alpha sarcoglycanopathy",
                                       "Limb girdle muscular dystrophy type 2D",
                                       "Limb-girdle muscular dystrophy due to alpha-sarcoglycan "
                                       "deficiency")),
     ("J34.8201", "2025-06-01", None, ("Narrowing of the septum, head of the inferior turbinate "
                                       "and the upper lateral cartilage",))])
def test_a_seven_character_code_of_the_tabular_has_its_own_notes(
        code: str, on: str, excludes1: str | None, inclusion_terms: tuple[str, ...]) -> None:
    """Codes of seven characters that are not 7th-character extensions are nodes of the
    tabular with notes of their own (FY2026 Z91.0111 Excludes1 "Allergy to milk products
    with reactivity to baked milk (Z91.0112)"; the April 2025 tabular's J34.8201 inclusion
    term), on top of those of their ancestors."""
    e = icd10cm.lookup(code, on=on)
    assert e.seventh_characters == {}
    if excludes1 is not None:
        assert e.excludes1.matches(excludes1)
        assert (code.replace(".", ""), "excludes1") in {(n[0], n[1]) for n in e.raw_notes}
    assert tuple(sorted(e.inclusion_terms.texts)) == tuple(sorted(inclusion_terms))


def test_a_seven_character_code_keeps_the_notes_above_it() -> None:
    e = icd10cm.lookup("Z91.0111", on="2025-10-01")
    assert [(n.origin, n.text) for n in e.excludes1] == [
        ("Z910111", "Allergy to milk products with reactivity to baked milk (Z91.0112)"),
        ("Z91011", "lactose intolerance (E73.-)")]
    assert e.excludes1.matches("E73.9") and not e.excludes1.matches("Z91.0110")


@pytest.mark.parametrize(
    ("code", "band", "rng", "sex"),
    [("Z00.00", "adult", (15, 124), None), ("Z00.129", "pediatric", (0, 17), None),
     ("Z38.00", "newborn", (0, 0), None), ("O80", "maternity", (9, 64), "F"),
     ("N40.0", "adult", (15, 124), "M"), ("C61", None, None, "M"), ("C53.9", None, None, "F")],
)
def test_mce_flags_fy2024(code: str, band: str | None, rng: tuple | None, sex: str | None) -> None:
    mce = icd10cm.lookup(code, on="2024-06-01").mce
    assert (mce.age_band, mce.age_range, mce.sex) == (band, rng, sex)


def test_mce_sex_flags_end_on_2024_09_30() -> None:
    assert icd10cm.lookup("O80", on="2024-09-30").mce.sex == "F"
    mce = icd10cm.lookup("O80", on="2024-10-01").mce
    assert mce.sex is None
    assert mce.age_band == "maternity"
    assert mce.start == D("2024-10-01")


def test_mce_maternity_band_changed_in_fy2020() -> None:
    assert icd10cm.lookup("O80", on="2019-06-01").mce.age_range == (12, 55)
    assert icd10cm.lookup("O80", on="2019-10-01").mce.age_range == (9, 64)


def test_mce_other_flags() -> None:
    assert icd10cm.lookup("W19.XXXA", on=ON).mce.external_cause_principal
    assert icd10cm.lookup("Z37.0", on=ON).mce.unacceptable_principal
    assert icd10cm.lookup("F02.80", on=ON).mce.manifestation


def test_every_date_is_answered_by_its_own_release() -> None:
    e = icd10cm.lookup("E11.65", on="2018-06-01")
    assert e.release == "FY2018"
    assert e.billable
    assert e.release_note is None
    assert e.covered
    # notes: the FY2018 files came without a tabular, so the January 2021 one serves
    assert e.notes_source == "FY2021-01"
    assert e.notes_note == ("Notes and 7th characters from the FY2021 (January 2021 update) "
                            "tabular: FY2018 came without a tabular XML.")
    assert icd10cm.lookup("E11.65", on="2023-03-01").release == "FY2023"
    assert icd10cm.lookup("E11.65", on="2023-04-01").release == "FY2023-04"
    e = icd10cm.lookup("E11.65", on="2025-06-01")
    assert (e.release, e.notes_source, e.notes_note) == ("FY2025-04", "FY2025-04", None)


def test_lookup_code_absent_from_the_dates_release() -> None:
    e = icd10cm.lookup("Z86.010", on=ON)  # a header in FY2025, billable in FY2024
    assert e.billable is False
    assert e.release == "FY2025-04"
    e = icd10cm.lookup("S06.377D", on=ON)  # last in FY2017; titles from FY2021? no: deleted
    assert e.billable is False
    assert e.valid_ranges == ((D("2015-10-01"), D("2017-09-30")),)


def test_lookup_unknown_raises_with_suggestions() -> None:
    with pytest.raises(UnknownCode) as info:
        icd10cm.lookup("E11.99", on=ON)
    assert "E11.9" in info.value.suggestions


def test_entries_are_values() -> None:
    a = icd10cm.lookup("E11.65", on=ON)
    b = icd10cm.lookup("e1165", on=ON)
    assert a == b
    assert hash(a) == hash(b)
    back = pickle.loads(pickle.dumps(a))
    assert back == a
    assert back.title == a.title
    assert back.excludes1 == a.excludes1
    d = a.as_dict()
    assert d["dotted"] == "E11.65"
    assert d["block"]["id"] == "E08-E13"
    assert d["valid_ranges"] == [["2015-10-01", None]]
    with pytest.raises(AttributeError):
        a.code = "X"  # type: ignore[misc]


# -- suggest --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "first"),
    [("E11.6S", "E11.65"), ("I1O", "I10"), ("T78.40A", "T78.40XA"), ("Z0O.00", "Z00.00"),
     ("E1.165", "E11.65"), ("J45.9O9", "J45.909"), ("E11.56", "E11.65")],
)
def test_suggest(typo: str, first: str) -> None:
    s = icd10cm.suggest(typo, on=ON)
    assert first in s[:2], s
    assert all(icd10cm.is_valid(c, on=ON) for c in s)


@pytest.mark.parametrize(("typo", "first"), [
    ("I10.0", "I10"), ("J44.90", "J44.9"), ("O800", "O80"), ("K21.90", "K21.9"),
    ("Z00.000", "Z00.00"), ("E11.651", "E11.65")])
def test_suggest_puts_the_code_without_a_trailing_character_first(typo: str,
                                                                   first: str) -> None:
    """I10.0 got I01.0 (acute rheumatic pericarditis, a swap of neighbours) and I00 before
    I10; J44.90 got J44.0 before J44.9, O800 got O08.0 before O80 (a certified
    coder's review, 2026-12-06)."""
    assert icd10cm.suggest(typo, on=ON)[0] == first


def test_suggest_for_a_header_offers_its_codes() -> None:
    s = icd10cm.suggest("E11.6", on=ON, limit=3)
    assert len(s) == 3
    assert all(c.startswith("E11.6") for c in s)


def test_suggest_respects_the_date() -> None:
    assert "G35" not in icd10cm.suggest("G53", on="2025-10-01")
    assert "G35" in icd10cm.suggest("G53", on="2025-06-01")


def test_suggest_bad_arguments() -> None:
    assert icd10cm.suggest(None) == []
    # one character is no code's start worth guessing from ("0" got A09, A70, A90, B03)
    assert [icd10cm.suggest(t, on=ON) for t in ("0", "E", " r ", "9.")] == [[], [], [], []]
    assert icd10cm.suggest("I1", on=ON)[:1] == ["I10"]
    with pytest.raises(InvalidArgument):
        icd10cm.suggest("E11.9", limit=0)


# -- search ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [("type 2 diabetes with hyperglycemia", "E11.65"),
     ("essential hypertension", "I10"),
     ("multiple sclerosis", "G35"),
     ("torus fracture lower end right radius initial closed", "S52.521A")],
)
def test_search_ranks_the_right_code_in_the_top_3(text: str, code: str) -> None:
    day = "2025-06-01"
    hits = icd10cm.search(text, on=day, limit=10)
    assert code in [h.formatted for h in hits[:3]], \
        [(h.formatted, h.score, h.matched) for h in hits]


def test_search_uses_the_dates_code_set() -> None:
    hits = icd10cm.search("relapsing-remitting multiple sclerosis", on="2026-01-01", limit=5)
    assert hits[0].formatted.startswith("G35")
    assert "G35" not in [h.formatted for h in hits]  # a header since 2025-10-01


def test_search_bad_arguments() -> None:
    with pytest.raises(InvalidArgument):
        icd10cm.search("")
    with pytest.raises(InvalidArgument):
        icd10cm.search("diabetes", limit=-1)


def test_codes_within_a_category_a_block_or_a_chapter() -> None:
    """``icd10cm.codes``: a category's codes on a date (G35 became a header on 2025-10-01:
    its codes are G35.A...), a block's by its own categories (C76-C80 does not hold C7A,
    which sorts inside it), a chapter's; every code, or the headers too."""
    from codekit import InvalidFormat

    assert icd10cm.codes("G35", on="2025-09-30") == ["G35"]
    assert icd10cm.codes("g35", on="2025-10-01")[:3] == ["G35A", "G35B0", "G35B1"]
    assert icd10cm.codes("G35.A", on="2025-09-30") == []  # a code of later dates
    c76 = icd10cm.codes("C76-C80", on="2025-10-01")
    assert c76[0].startswith("C76") and not any(c.startswith("C7A") for c in c76)
    assert icd10cm.codes("C7A", on="2025-10-01")[0] == "C7A00"
    every = icd10cm.codes(on="2025-10-01")
    assert set(icd10cm.codes("E00-E89", on="2025-10-01")) == {
        c for c in every if "E00" <= c[:3] <= "E89"}
    assert all(icd10cm.is_valid(c, on="2025-10-01") for c in every[::500])
    headers = icd10cm.codes("E11", on="2025-10-01", billable=False)
    assert headers[:2] == ["E11", "E110"] and "E1165" in headers
    with pytest.raises(UnknownCode):
        icd10cm.codes("E11.99", on="2025-10-01")
    with pytest.raises(InvalidFormat):
        icd10cm.codes("250.00", on="2025-10-01")
