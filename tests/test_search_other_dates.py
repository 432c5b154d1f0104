"""Every system that ships its titles says, when a search finds no good match on its date,
which codes of other dates match (``DatedSearchResults.later`` / ``.earlier``): ICD-10-CM
did (tests/test_search_dates.py); ICD-10-PCS and HCPCS Level II answered a plain
``SearchResults`` with only weak hits or none, and no word that the concept got its code
later (the COVID-19 drugs' XW0 codes, 2020-08-01; the COVID-19 specimen collection codes,
2020-03-01) or lost it. CPT (no descriptors shipped) is unchanged. See docs/search.md."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from codekit import codesystem, cpt, hcpcs, icd10cm, icd10pcs, procedure
from codekit._procedures import _suggest as proc_suggest
from codekit.cli import main
from codekit.codesystem import DatedSearchResults, OtherDates, SearchResults
from codekit.errors import DataError
from codekit.icd10pcs import _search as pcs_search

REMDESIVIR = ("Introduction of Remdesivir Anti-infective into Peripheral Vein, "
              "Percutaneous Approach, New Technology Group 5")
IDARUCIZUMAB = ("Introduction of Idarucizumab, Dabigatran Reversal Agent into Peripheral "
                "Vein, Percutaneous Approach, New Technology Group 1")


# -- one set of classes for every system ---------------------------------------------------


def test_the_classes_live_in_codesystem_and_icd10cm_still_names_them() -> None:
    assert icd10cm.DatedSearchResults is DatedSearchResults
    assert icd10cm.OtherDates is OtherDates
    assert issubclass(DatedSearchResults, SearchResults)
    assert {"DatedSearchResults", "OtherDates"} <= set(codesystem.__all__)


@pytest.mark.parametrize(("mod", "words"), [
    (icd10cm, "type 2 diabetes with hyperglycemia"),
    (icd10pcs, "resection appendix percutaneous endoscopic"),
    (hcpcs, "unclassified drugs injection")])
def test_the_systems_with_titles_answer_dated_results(mod: object, words: str) -> None:
    found = mod.search(words, on="2025-02-01", limit=3)  # type: ignore[attr-defined]
    assert type(found) is DatedSearchResults
    assert found.good and found.later is None and found.earlier is None


def test_cpt_and_procedure_search_stay_as_they_were(tmp_path: Path) -> None:
    """CPT ships no descriptors (AMA copyright): its search is unchanged, a plain
    SearchResults over the user's own file; so is procedure.search's."""
    with pytest.raises(DataError, match="load_descriptors"):
        cpt.search("contract alpha", on="2025-02-01")
    f = tmp_path / "mine.txt"
    f.write_text("99999\tcodekit test text contract alpha\n", encoding="utf-8")
    store = procedure.ProcedureStore()
    cpt.load_descriptors(f, store=store)
    assert type(cpt.search("contract alpha", on="2025-02-01", store=store)) is SearchResults
    assert type(procedure.search("covid specimen collection", on="2019-10-01")) \
        is SearchResults


# -- ICD-10-PCS ----------------------------------------------------------------------------


def test_pcs_a_new_technology_drug_before_its_code_says_when_it_came() -> None:
    """Remdesivir's XW033E5 is valid from 2020-08-01 (the FY2020 mid-year update); on
    2020-06-01 the search found only weak "Introduction of ... into Peripheral Vein"
    codes (0.219) and said nothing more."""
    found = icd10pcs.search("introduction of remdesivir into peripheral vein",
                            on="2020-06-01", limit=3)
    assert [(h.code, h.confidence) for h in found] == [
        ("3E030WK", 0.219), ("3E030WL", 0.219), ("3E033WK", 0.219)]
    assert (found.good, found.release, found.earlier) == (False, "FY2020", None)
    later = found.later
    assert later is not None
    assert (later.direction, later.on, later.release, later.codes, later.dates) == (
        "later", dt.date(2020, 8, 1), "FY2020", ("XW033E5",), (dt.date(2020, 8, 1),))
    assert [(h.title, h.matched, h.confidence, h.score) for h in later.hits] == [
        (REMDESIVIR, REMDESIVIR, 0.598, 59.8)]
    assert str(later) == ("codes valid from 2020-08-01 on (FY2020) match it: XW033E5 "
                          "(2020-08-01)")
    assert later.as_dict() == {
        "direction": "later", "on": "2020-08-01", "release": "FY2020", "codes": [
            {"code": "XW033E5", "title": REMDESIVIR, "matched": REMDESIVIR,
             "confidence": 0.598, "date": "2020-08-01"}]}
    assert "later" not in found.as_dict()  # the fields every system's results have
    # from its first day XW033E5 is a hit of the date: nothing to say
    on_day = icd10pcs.search("introduction of remdesivir into peripheral vein",
                             on="2020-08-01", limit=3)
    assert (on_day[0].code, on_day[0].confidence, on_day.later, on_day.earlier) == (
        "XW033E5", 0.598, None, None)


def test_pcs_a_deleted_code_is_named_with_its_last_day() -> None:
    """XW03331 (idarucizumab, New Technology Group 1) was valid 2015-10-01 to
    2021-09-30."""
    found = icd10pcs.search("introduction of idarucizumab into peripheral vein",
                            on="2025-06-01", limit=3)
    assert (found.good, found.confidence, found.later) == (False, 0.214, None)
    earlier = found.earlier
    assert earlier is not None
    assert (earlier.direction, earlier.on, earlier.release, earlier.codes) == (
        "earlier", dt.date(2021, 9, 30), "FY2021", ("XW03331",))
    assert [(h.title, h.confidence) for h in earlier.hits] == [(IDARUCIZUMAB, 0.576)]
    assert str(earlier) == ("codes valid until 2021-09-30 (FY2021) match it: XW03331 "
                            "(2021-09-30)")


def test_pcs_a_code_typed_on_a_date_it_is_not_valid_is_named_with_its_dates() -> None:
    found = icd10pcs.search("XW033E5", on="2020-06-01")
    assert list(found) == [] and found.earlier is None
    assert found.later is not None
    assert [(h.code, h.matched, h.confidence, h.title) for h in found.later.hits] == [
        ("XW033E5", "XW033E5", 1.0, REMDESIVIR)]
    gone = icd10pcs.search("x27k385", on="2025-06-01")
    assert gone.later is None and gone.earlier is not None
    assert (gone.earlier.on, gone.earlier.release, gone.earlier.codes) == (
        dt.date(2024, 9, 30), "FY2024", ("X27K385",))


def test_pcs_other_dates_are_looked_for_only_without_a_good_match(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*a: object, **k: object) -> None:
        raise AssertionError("other_dates ran")

    # search() imports the search module on first use and reads other_dates from it
    monkeypatch.setattr(pcs_search, "other_dates", fail)
    found = icd10pcs.search("resection appendix percutaneous endoscopic", on="2025-06-01")
    assert found.good and (found.later, found.earlier) == (None, None)
    assert icd10pcs.search("0dtj4zz", on="2025-06-01").later is None  # a code of the date
    monkeypatch.undo()
    # before ICD-10-PCS: the note says why there is nothing; no other dates
    early = icd10pcs.search("introduction of remdesivir into peripheral vein",
                            on="2014-06-01")
    assert (early.later, early.earlier, early.covered) == (None, None, False)
    none = icd10pcs.search("quantum chromodynamics", on="2025-06-01")
    assert (list(none), none.later, none.earlier) == ([], None, None)


# -- HCPCS Level II ------------------------------------------------------------------------


def test_hcpcs_codes_that_did_not_exist_yet_are_named_with_their_first_day() -> None:
    """G2023, C9803 and G2024 (COVID-19 specimen collection) are valid from 2020-03-01;
    on 2019-10-01 the search found P9615 (0.264) and H0048 (0.238) and said nothing."""
    found = hcpcs.search("covid specimen collection", on="2019-10-01", limit=3)
    assert [(h.code, h.confidence) for h in found] == [("P9615", 0.264), ("H0048", 0.238)]
    assert (found.good, found.release, found.earlier) == (False, "IOCE 20.3.26", None)
    later = found.later
    assert later is not None
    assert (later.on, later.release, later.codes, later.dates) == (
        dt.date(2020, 3, 1), "IOCE 21.0.25", ("G2023", "C9803", "G2024"),
        (dt.date(2020, 3, 1),) * 3)
    assert later.release == hcpcs.lookup("G2023", on=later.on).release
    assert later.as_dict() == {
        "direction": "later", "on": "2020-03-01", "release": "IOCE 21.0.25", "codes": [
            {"code": "G2023", "title": "Specimen collect COVID-19",
             "matched": "Specimen collect covid-19", "confidence": 0.95,
             "date": "2020-03-01"},
            {"code": "C9803", "title": "Hopd covid-19 spec collect",
             "matched": "Hopd covid-19 spec collect", "confidence": 0.809,
             "date": "2020-03-01"},
            {"code": "G2024", "title": "Spec coll SNF/Lab COVID-19",
             "matched": "Spec coll snf/lab covid-19", "confidence": 0.725,
             "date": "2020-03-01"}]}


def test_hcpcs_a_code_ended_mid_quarter_is_named_with_its_last_day() -> None:
    """M0239 (bamlanivimab infusion) ended on 2021-04-16, mid-quarter; on 2022-06-01 the
    search found only Q0245 (0.213)."""
    found = hcpcs.search("bamlanivimab infusion", on="2022-06-01", limit=3)
    assert [(h.code, h.confidence) for h in found] == [("Q0245", 0.213)]
    assert found.later is None and found.earlier is not None
    assert (found.earlier.on, found.earlier.release, found.earlier.codes) == (
        dt.date(2021, 4, 16), "IOCE 22.1.20", ("M0239",))
    assert str(found.earlier) == ("codes valid until 2021-04-16 (IOCE 22.1.20) match it: "
                                  "M0239 (2021-04-16)")
    # a good hit on the date (Q0245 0.621): nothing to say
    good = hcpcs.search("bamlanivimab", on="2022-06-01", limit=3)
    assert (good.good, good.later, good.earlier) == (True, None, None)


def test_hcpcs_other_dates_are_looked_for_only_without_a_good_match(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*a: object, **k: object) -> None:
        raise AssertionError("other_dates ran")

    monkeypatch.setattr(proc_suggest, "other_dates", fail)
    found = hcpcs.search("unclassified drugs injection", on="2025-02-01")
    assert found.good and (found.later, found.earlier) == (None, None)
    monkeypatch.undo()
    # before the bundled quarters (2019-07-01) codekit cannot tell what was valid
    early = hcpcs.search("covid specimen collection", on="2015-01-01")
    assert (early.later, early.earlier, early.covered) == (None, None, False)


def test_dated_results_of_every_system_pickle() -> None:
    for found in (icd10pcs.search("XW033E5", on="2020-06-01"),
                  hcpcs.search("bamlanivimab infusion", on="2022-06-01", limit=3)):
        again = pickle.loads(pickle.dumps(found))
        assert (type(again), list(again), again.later, again.earlier, again.as_dict()) == (
            DatedSearchResults, list(found), found.later, found.earlier, found.as_dict())


def test_results_pickled_before_the_move_still_load() -> None:
    from codekit.icd10cm import _results

    old = _results._rebuild([], "covid", dt.date(2020, 3, 1), "FY2020", None, None, None)
    assert type(old) is DatedSearchResults and old.query == "covid"


# -- the command line ----------------------------------------------------------------------


def test_cli_search_says_the_codes_of_other_dates_for_pcs_and_hcpcs(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "introduction of remdesivir into peripheral vein", "--system",
                 "icd10pcs", "--on", "2020-06-01", "--limit", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "3E030WK    21.9  Introduction of Immunostimulator into Peripheral Vein, Open\n")
    assert captured.err == (
        "codekit: note: no good match on 2020-06-01; codes valid from 2020-08-01 on "
        "(FY2020) match it: XW033E5 (2020-08-01)\n")
    assert main(["search", "remdesivir", "--system", "hcpcs", "--on", "2020-06-01"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "codekit: note: no good match on 2020-06-01; codes valid from 2021-12-23 on "
        "(IOCE 22.3.18) match it: J0248 (2021-12-23)\n"
        "codekit: no hcpcs code matches 'remdesivir'\n")
    # a good match on the date: no note
    assert main(["search", "remdesivir", "--system", "hcpcs", "--on", "2022-06-01",
                 "--limit", "1"]) == 0
    assert capsys.readouterr().err == ""
