"""ICD-10-CM search on a date matches the text the classification had then: the title of
the release in force on the date, and tabular terms only on the dates their tabular's
bracket covers (see codekit.icd10cm._search and docs/search.md)."""

from __future__ import annotations

from codekit import _search, icd10cm
from codekit.icd10cm import _search as icd_search
from codekit.icd10cm._store import default_store


def _hits(query: str, on: str, limit: int = 5) -> list[tuple[str, str]]:
    return [(h.formatted, h.matched) for h in icd10cm.search(query, on=on, limit=limit)]


def test_covid_before_u07_1_matches_no_later_inclusion_term() -> None:
    # D68.8 "COVID-19 associated coagulopathy" (and D68.69, D65) are inclusion terms
    # first seen in the April 2025 tabular: not text of 2020-03-01 (FY2020), before the
    # January 2021 tabular's bracket ends.
    results = icd10cm.search("covid", on="2020-03-01")
    assert [h.formatted for h in results] == []
    assert results.good is False


def test_covid_finds_u07_1_first_from_2020_04_01_and_later_codes_on_their_dates() -> None:
    # 2020-04-01: U07.1 alone (the codes of January 2021 are not yet valid, and the
    # coagulopathy terms of the April 2025 tabular are not text of the date)
    assert _hits("covid", "2020-04-01") == [("U07.1", "COVID-19")]
    assert _hits("covid", "2025-06-01", limit=3) == [
        ("U07.1", "COVID-19"), ("J12.82", "Pneumonia due to COVID-19"),
        ("Z11.52", "Encounter for screening for COVID-19")]


def test_a_term_of_a_later_tabular_is_matched_from_the_bracket_on() -> None:
    # "COVID-19 associated coagulopathy": not in the January 2021 tabular, in April 2025's.
    # 2021-06-01 is in force under the January 2021 tabular: not matched; 2022-06-01 is
    # between the two tabulars: matched (codekit cannot tell when between them it came).
    assert "D68.8" not in [c for c, _ in _hits("covid coagulopathy", "2021-06-01")]
    assert _hits("covid coagulopathy", "2022-06-01", limit=1) == [
        ("D68.8", "COVID-19 associated coagulopathy")]


def test_a_term_the_later_tabulars_dropped_is_matched_only_before_them() -> None:
    # G31.83's "Dementia with Parkinsonism" is in the January 2021 tabular only.
    assert _hits("dementia with parkinsonism", "2021-06-01", limit=1) == [
        ("G31.83", "Dementia with Parkinsonism")]
    assert "G31.83" not in [c for c, _ in _hits("dementia with parkinsonism", "2025-06-01")]


def test_an_old_title_is_matched_on_its_dates_only() -> None:
    # G31.83 "Dementia with Lewy bodies" FY2016-FY2022-04, then "Neurocognitive disorder
    # with Lewy bodies" (FY2023 on).
    assert _hits("dementia with lewy bodies", "2022-06-01", limit=1) == [
        ("G31.83", "Dementia with Lewy bodies")]
    assert _hits("dementia with lewy bodies", "2025-06-01", limit=1) == [
        ("G31.83", "Lewy body dementia")]
    old = icd10cm.search("dementia with lewy bodies", on="2022-06-01")[0]
    new = icd10cm.search("dementia with lewy bodies", on="2025-06-01")[0]
    assert (old.title, old.confidence) == ("Dementia with Lewy bodies", 1.0)
    assert (new.title, new.confidence) == ("Neurocognitive disorder with Lewy bodies", 0.848)


def test_a_word_of_an_old_title_only_is_corrected_on_later_dates() -> None:
    # E67.1 "Hypercarotinemia" FY2016-FY2018, "Hypercarotenemia" from FY2019: the old
    # spelling matches the old title in 2017; later it is a misspelling, corrected.
    old = icd10cm.search("hypercarotinemia", on="2017-06-01")[0]
    new = icd10cm.search("hypercarotinemia", on="2025-06-01")[0]
    assert (old.formatted, old.matched, old.confidence) == ("E67.1", "Hypercarotinemia", 1.0)
    assert (new.formatted, new.matched, new.confidence) == ("E67.1", "Hypercarotenemia", 0.85)


def test_a_code_typed_on_an_old_date_shows_that_date_s_title() -> None:
    hit = icd10cm.search("e67.1", on="2017-06-01")[0]
    assert (hit.formatted, hit.matched) == ("E67.1", "Hypercarotinemia")


def test_each_tabular_answers_for_its_bracket_of_releases() -> None:
    store = default_store()
    ids = [r.id for r in store.releases]
    spans = [(tab.id, ids[first], ids[last])
             for tab, first, last in icd_search.tabular_slots(store)]
    assert spans == [("FY2021-01", "FY2016", "FY2025"), ("FY2025-04", "FY2022", "FY2025-04"),
                     ("FY2026", "FY2026", "FY2027")]
    index = icd_search.index_for(store)
    assert index.slots == len(ids) and index.meta["releases"] == ids
    assert icd_search.slot_of(index, store, store.release("FY2020")) == ids.index("FY2020")


def test_an_index_without_slots_matches_every_document_on_any_slot() -> None:
    meta, sections = _search.pack_index([("E671", "Hypercarotenemia", _search.TITLE)])
    index = _search.Index(meta, sections)
    assert index.slots == 0
    assert [c for c, _, _ in index.search("hypercarotenemia", slot=3)] == ["E671"]
