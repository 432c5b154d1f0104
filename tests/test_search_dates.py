"""ICD-10-CM search on a date matches the text the classification had then: the title of
the release in force on the date, and tabular terms only on the dates their tabular's
bracket covers (see codekit.icd10cm._search and docs/search.md)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

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


# -- codes of other dates: said when the date's search finds no good match --------------


def test_a_concept_with_no_code_yet_on_the_date_says_when_codes_come() -> None:
    """"COVID-19" on 2019-06-01 found nothing and said nothing: the results now name the
    codes of later releases that match, each with its first day."""
    results = icd10cm.search("COVID-19", on="2019-06-01", limit=3)
    assert list(results) == [] and results.earlier is None
    later = results.later
    assert later is not None
    assert (later.direction, later.on, later.release) == (
        "later", dt.date(2020, 4, 1), "FY2020-04")
    assert [(h.formatted, h.title, h.confidence) for h in later.hits] == [
        ("U07.1", "COVID-19", 1.0),
        ("J12.82", "Pneumonia due to coronavirus disease 2019", 0.819),
        ("Z11.52", "Encounter for screening for COVID-19", 0.817)]
    assert later.dates == (dt.date(2020, 4, 1), dt.date(2021, 1, 1), dt.date(2021, 1, 1))
    assert str(later) == ("codes valid from 2020-04-01 on (FY2020-04) match it: U07.1 "
                          "(2020-04-01), J12.82 (2021-01-01), Z11.52 (2021-01-01)")
    assert "later" not in results.as_dict()  # the fields every system's results have
    assert later.as_dict() == {
        "direction": "later", "on": "2020-04-01", "release": "FY2020-04", "codes": [
            {"code": "U07.1", "title": "COVID-19", "matched": "COVID-19", "confidence": 1.0,
             "date": "2020-04-01"},
            {"code": "J12.82", "title": "Pneumonia due to coronavirus disease 2019",
             "matched": "Pneumonia due to COVID-19", "confidence": 0.819,
             "date": "2021-01-01"},
            {"code": "Z11.52", "title": "Encounter for screening for COVID-19",
             "matched": "Encounter for screening for COVID-19", "confidence": 0.817,
             "date": "2021-01-01"}]}


def test_weak_hits_of_the_date_do_not_hide_a_later_code() -> None:
    """EVALI: "vaping related disorder" the day before U07.0 (2020-04-01) found only
    nicotine dependence codes, none a good match (F17.209 0.498), with no word of U07.0."""
    results = icd10cm.search("vaping related disorder", on="2020-03-31", limit=3)
    assert [(h.formatted, h.confidence) for h in results] == [
        ("F17.209", 0.498), ("F17.208", 0.478), ("F17.219", 0.429)]
    assert results.later is not None and results.earlier is None
    assert (results.later.on, results.later.codes) == (dt.date(2020, 4, 1), ("U07.0",))
    assert results.later.hits[0].title == "Vaping-related disorder"
    # from its first day U07.0 is a hit of the date: nothing to say
    on_day = icd10cm.search("vaping related disorder", on="2020-04-01", limit=3)
    assert on_day[0].formatted == "U07.0" and on_day.later is None


def test_a_code_no_longer_valid_is_named_with_its_last_day() -> None:
    """P74.2 "Disturbances of sodium balance of newborn" was expanded on 2018-10-01
    (P74.21, P74.22): its title on 2025-06-01 matched nothing, with no word why."""
    results = icd10cm.search("disturbances of sodium balance of newborn", on="2025-06-01")
    assert list(results) == [] and results.later is None
    assert results.earlier is not None
    assert (results.earlier.direction, results.earlier.on, results.earlier.release,
            results.earlier.codes) == ("earlier", dt.date(2018, 9, 30), "FY2018", ("P74.2",))
    assert str(results.earlier) == ("codes valid until 2018-09-30 (FY2018) match it: P74.2 "
                                    "(2018-09-30)")


def test_other_dates_are_looked_for_only_when_the_date_has_no_good_match(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A good match on the date costs nothing more: the search of other dates' codes is
    not run (here it would fail); nor before ICD-10, where the note says why."""

    def fail(*a: object, **k: object) -> None:
        raise AssertionError("other_dates ran")

    mp = monkeypatch
    mp.setattr(icd_search, "other_dates", fail)
    found = icd10cm.search("heart attack", on="2025-06-01", limit=3)
    assert found.good and found.later is None and found.earlier is None
    mp.undo()
    early = icd10cm.search("covid", on="2014-06-01")
    assert (list(early), early.later, early.earlier, early.covered) == ([], None, None, False)
    none = icd10cm.search("quantum chromodynamics", on="2025-06-01")
    assert (none.good, none.later, none.earlier) == (False, None, None)


def test_search_results_with_other_dates_pickle() -> None:
    found = icd10cm.search("covid", on="2020-03-01", limit=2)
    again = pickle.loads(pickle.dumps(found))
    assert (type(again), list(again), again.later, again.as_dict()) == (
        type(found), list(found), found.later, found.as_dict())
