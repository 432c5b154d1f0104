"""Search: the index built with the data, the ranking on queries whose answers were
written down beforehand (tests/search_queries.csv), the confidence, the bundled index
being what the build makes of the bundled tables."""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from pathlib import Path

import pytest

from codekit import DataError, InvalidArgument, _search, codesystem, hcpcs, icd10cm, modifiers
from codekit.codesystem import SearchHit, SearchResults

ROOT = Path(__file__).resolve().parents[1]
DOS = "2026-06-01"


def _queries() -> list[dict[str, str]]:
    with open(ROOT / "tests" / "search_queries.csv", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _top5_rate(system: str) -> tuple[float, list[str]]:
    mod = codesystem.get(system)
    rows = [r for r in _queries() if r["system"] == system]
    misses = []
    for r in rows:
        codes = [h.code for h in mod.search(r["query"], on=r["on"], limit=5)]
        if mod.compact(r["expected"]) not in codes:
            misses.append(f"{r['query']} -> {r['expected']}: {codes}")
    return 1 - len(misses) / len(rows), misses


def test_the_benchmark_has_enough_queries() -> None:
    rows = _queries()
    icd = [r for r in rows if r["system"] == "icd10cm"]
    assert len(icd) >= 258 and {r["who"] for r in icd} == {"lay", "clinician"}
    for r in rows:  # every expected code is a real code on its date
        assert codesystem.get(r["system"]).is_valid(r["expected"], on=r["on"]), r


@pytest.mark.parametrize("system", ["icd10cm", "hcpcs"])
def test_expected_code_in_the_top_5_for_90_percent(system: str) -> None:
    """80 % was the target of issue 15; 97 % of the ICD-10-CM queries and 95 % of the
    HCPCS ones are found now (2026-12-06): a fall below 90 % is a regression."""
    rate, misses = _top5_rate(system)
    assert rate >= 0.9, misses


@pytest.mark.parametrize(("query", "code"), [
    ("diabetes", "E119"), ("hypertension", "I10"), ("heart attack", "I219"),
    ("htn", "I10"), ("uti", "N390"), ("copd", "J449"), ("chf", "I509"), ("dm2", "E119"),
])
def test_the_issues_queries_come_first(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=DOS, limit=3)
    assert hits[0].code == code, [h.code for h in hits]
    assert hits[0].good and hits.good


@pytest.mark.parametrize(("query", "code"), [
    # chart abbreviations and lay terms the table lacked
    ("rlq pain", "R1031"), ("high bp", "I10"), ("pre-op exam", "Z01818"),
    ("lung nodule", "R911"), ("long covid", "U099"), ("former smoker", "Z87891"),
    ("itching", "L299"), ("poison ivy", "L237"), ("abnormal pap smear", "R87619"),
    ("heavy menstrual bleeding", "N920"), ("pressure ulcer sacrum stage 2", "L89152"),
    ("low back pain with sciatica", "M5440"), ("routine gyn exam", "Z01419"),
    ("status post cabg", "Z951"),
    # "bee sting" was read as hornets, wasps and bees alike: the hornets' code came first
    ("bee sting", "T63441A"),
    # a hip fracture is one of the neck of the femur (it found a broken hip prosthesis)
    ("broken hip left", "S72002A"), ("left hip fracture", "S72002A"),
    # a fracture not said to be open is closed: the closed fracture's initial encounter
    # before the sequela (S) and the open fracture (B)
    ("fracture of left clavicle", "S42002A"), ("nasal fracture", "S022XXA"),
    ("fracture of left patella", "S82002A"),
    # one word where the titles write two ("Pre-eclampsia", "Wax in ear")
    ("preeclampsia", "O1490"), ("earwax", "H6120"), ("bedsore", "L8990"),
    # the usual spelling, where the tabular writes "Pseudomembraneous"; C. diff by name
    ("pseudomembranous colitis", "A0472"), ("c diff colitis", "A0472"),
])
def test_coder_queries_find_the_code_first(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=DOS, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]


RED = "2025-11-03"  # the date of a certified coder's searches (review of 2026-12-06)


@pytest.mark.parametrize(("query", "code"), [
    # "history of" is a History entry of the Index (personal unless said family): I.C.9.e.4
    # old MI I25.2, not I21.9 acute; Z86.718, not I82; Z91.81, not W19 a current fall
    ("history of myocardial infarction", "I252"), ("hx MI", "I252"), ("h/o MI", "I252"),
    ("history of DVT", "Z86718"), ("history of falls", "Z9181"),
    ("history of stroke", "Z8673"),  # a bare "History" is personal: not Z82.3 (family)
    ("personal history of colon cancer", "Z85038"),  # "Conditions classifiable to C18"
    ("family history of colon cancer", "Z800"),  # "... to C15-C26"
    # status post a procedure: the status it leaves (I.C.21.c.3)
    ("status post knee replacement", "Z96659"), ("s/p total knee replacement left", "Z96652"),
    ("status post cholecystectomy", "Z9049"), ("s/p appendectomy", "Z9049"),
    # coder phrases
    ("diabetic foot ulcer right heel", "E11621"),  # not L89.619, a pressure ulcer
    ("DM2 uncontrolled", "E1165"),  # Index: uncontrolled meaning hyperglycemia
    ("routine prenatal visit first pregnancy", "Z3400"),  # I.C.15.b.2, not Z33.1
    ("HTN with CKD", "I129"),  # I.C.9.a.2, not I13.10 (heart and CKD)
    ("hypothyroid", "E039"),  # not E00.1 only
    ("hyponatremia", "E871"), ("syncope", "R55"),  # not P74.22 (newborn), T67.1 (heat)
    ("metastatic to bone", "C7951"), ("left breast cancer", "C50912"),  # not C50.A2
    # the side and the site a query names
    ("left knee osteoarthritis", "M1712"), ("OA right knee", "M1711"),
    ("DVT left leg", "I82402"), ("fx left hip initial encounter", "S72002A"),
    ("closed fracture of right distal radius initial encounter", "S52501A"),
])
def test_the_coder_red_team_s_queries_find_the_code_first(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=RED, limit=5)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]


def test_a_history_or_status_query_never_gets_another_reading_above_it() -> None:
    """"history of myocardial infarction" found I21.9 (acute) first and I25.2 fifth; the
    codes of the condition now come after the history, never a good match and never
    above the history's."""
    hits = icd10cm.search("history of myocardial infarction", on=RED, limit=5)
    assert [(h.code, h.confidence) for h in hits[:2]] == [("I252", 1.0), ("I219", 0.49)]
    hits = icd10cm.search("history of DVT", on=RED, limit=5)
    assert hits[0].code == "Z86718" and all(h.confidence < hits[0].confidence
                                            for h in hits[1:]), hits
    # the family's history is another reading than the patient's, and the other way round
    assert icd10cm.search("history of breast cancer", on=RED, limit=3)[0].code == "Z853"
    assert icd10cm.search("family history of breast cancer", on=RED,
                          limit=3)[0].code == "Z803"
    # a query that says no history gets no history code first ("diabetic foot ulcer" found
    # Z86.31, a personal history of one), an ulcer not said to be one no pressure ulcer
    assert icd10cm.search("diabetic foot ulcer", on=RED, limit=3)[0].code == "E11621"
    top = [h.code for h in icd10cm.search("diabetic foot ulcer right heel", on=RED, limit=5)]
    assert "L97419" in top and not [c for c in top if c.startswith("L89")], top
    assert [h.code for h in icd10cm.search("DM2 uncontrolled", on=RED, limit=2)] == [
        "E1165", "E11649"]
    # an ulcer not said to be a pressure ulcer is a non-pressure one (it found L89.629)
    assert icd10cm.search("ulcer of left heel", on=RED, limit=1)[0].code == "L97429"
    # uncontrolled is of diabetes only; a history of a procedure is the status it left;
    # status asthmaticus is no status; a family history is no hit of the condition
    assert icd10cm.search("uncontrolled hypertension", on=RED, limit=1)[0].code == "I10"
    assert icd10cm.search("history of hysterectomy", on=RED, limit=1)[0].code == "Z90710"
    assert icd10cm.search("history of asthma", on=RED, limit=1)[0].code == "J45909"
    assert [h.code for h in icd10cm.search("hyperthyroid", on=RED, limit=2)] == [
        "E0590", "P721"]


@pytest.mark.parametrize(("query", "code", "before"), [
    # two words the titles write as one: "Heatstroke and sunstroke", not a stroke (I63.9)
    ("heat stroke", "T6701XA", "I639"), ("sun stroke", "T6701XA", "I639"),
    # the lobe of a pneumonia is not coded, nor its side; a neoplasm is what a query says
    # is one (C34.32 has three of the four words)
    ("left lower lobe pneumonia", "J189", "C3432"),
    ("right upper lobe pneumonia", "J189", "C3411"),
    # a text's negated words are not matched: C22.9 is "not specified as primary or
    # secondary", R11.0 "Nausea without vomiting", A04.72 "not specified as recurrent"
    ("metastatic to liver", "C787", "C229"), ("nausea and vomiting", "R112", "R110"),
    ("recurrent c diff", "A0471", "A0472"),
    # chart abbreviations: N40.1's words; a DKA of no stated type is type 2 (I.C.4.a.2)
    ("BPH with LUTS", "N401", "N400"), ("DKA", "E1110", "E1310"),
    # a deficit after a stroke is its sequela (I.C.9.d: I69), not Z86.73 (history of a
    # cerebral infarction without residual deficits); status post an MI is an old MI
    ("s/p CVA with hemiparesis", "I69359", "Z8673"),
    ("s/p CVA with dysphagia", "I69391", "Z8673"), ("s/p MI", "I252", "I219"),
    # a leg is a lower limb in the titles that name no part of it
    ("cellulitis of left leg", "L03116", "L03012"), ("right leg swelling", "R2241", "R1903"),
    # D62 "Acute posthemorrhagic anemia" (D50.0 is the chronic blood loss); a drug a
    # patient is on as its class's long term use
    ("acute blood loss anemia", "D62", "D500"), ("on eliquis", "Z7901", "W9311XA"),
])
def test_s48_coder_phrases_find_the_code_first(query: str, code: str, before: str) -> None:
    """Chart phrases a coder searches (2026-12-06): each found ``before`` first until then."""
    hits = icd10cm.search(query, on=RED, limit=5)
    assert hits[0].code == code and hits[0].good, [(h.code, h.confidence) for h in hits]
    assert before not in [h.code for h in hits[:1]]


def test_a_negation_the_query_says_is_matched_and_one_it_does_not_is_not() -> None:
    """A text's negated words count only for a query that says a negation too."""
    assert [h.code for h in icd10cm.search("nausea without vomiting", on=RED, limit=1)] == \
        ["R110"]
    assert [h.code for h in icd10cm.search("BPH without LUTS", on=RED, limit=2)] == [
        "N400", "N401"]
    # "nstemi" is read "non st elevation ...": a negation of its own
    assert icd10cm.search("nstemi", on=RED, limit=1)[0].code == "I214"
    assert icd10cm.search("stemi", on=RED, limit=1)[0].code == "I213"
    assert icd10cm.search("do not resuscitate", on=RED, limit=1)[0].code == "Z66"
    # "sepsis due to E. coli" matched its bracketed name only (0.47, no good match)
    hit = icd10cm.search("sepsis due to E. coli", on=RED, limit=1)[0]
    assert (hit.code, hit.matched, hit.good) == \
        ("A4151", "Sepsis due to Escherichia coli", True)
    # an encounter for imaging, an arterial line: no diagnosis, no good match
    for query in ("chest ct", "arterial line"):
        assert not icd10cm.search(query, on=RED).good, query


def test_metastatic_to_a_site_is_a_secondary_neoplasm_and_only_to() -> None:
    """Index: metastatic to a site is a secondary neoplasm of it; "metastatic breast
    cancer" (from the breast) is no secondary neoplasm of the breast."""
    assert icd10cm.search("metastatic to bone", on=RED, limit=1)[0].code == "C7951"
    assert icd10cm.search("mets to brain", on=RED, limit=1)[0].code == "C7931"
    assert icd10cm.search("metastatic to lung", on=RED, limit=1)[0].code == "C7800"
    assert "C7981" not in [h.code for h in icd10cm.search("metastatic breast cancer", on=RED,
                                                           limit=5)]


def test_the_fracture_a_query_names_comes_first() -> None:
    """The closed fracture is the default, not a word the query must say: a query that
    says open or sequela still finds those."""
    assert icd10cm.search("open fracture of left clavicle", on=DOS)[0].code == "S42002B"
    assert icd10cm.search("closed fracture of left clavicle", on=DOS)[0].code == "S42002A"
    assert icd10cm.search("fracture of left clavicle sequela", on=DOS)[0].code == "S42002S"


@pytest.mark.parametrize(("query", "code"), [
    ("toradol", "J1885"), ("rocephin", "J0696"), ("zofran injection", "J2405"),
    ("depo provera", "J1050"), ("phenergan", "J2550"),
])
def test_a_drug_s_brand_name_finds_its_generic_code(query: str, code: str) -> None:
    hits = hcpcs.search(query, on="2025-06-01", limit=3)
    assert hits and hits[0].code == code, [(h.code, h.confidence) for h in hits]


def test_a_code_typed_into_search_comes_first() -> None:
    hits = icd10cm.search("e11.9", on=DOS, limit=3)
    assert (hits[0].code, hits[0].title, hits[0].matched, hits[0].confidence) == \
        ("E119", "Type 2 diabetes mellitus without complications",
         "Type 2 diabetes mellitus without complications", 1.0)
    assert hcpcs.search(" j1885 ", on="2025-06-01", limit=3)[0].code == "J1885"
    assert icd10cm.search("U07.1", on="2020-06-01", limit=3)[0].code == "U071"
    # a code not valid on the date is not found: U07.1 took effect on 2020-04-01
    assert "U071" not in [h.code for h in icd10cm.search("U07.1", on="2020-03-01")]


@pytest.mark.parametrize("query", [
    "diab\u200betes", "\ufeffdiabetes", "dia\x00betes", "diabetes\x1b",
    "\uff44\uff49\uff41\uff42\uff45\uff54\uff45\uff53",  # full-width
])
def test_invisible_control_and_full_width_characters_hide_no_word(query: str) -> None:
    hits = icd10cm.search(query, on=DOS, limit=3)
    assert hits[0].code == "E119" and hits[0].good, [(h.code, h.confidence) for h in hits]


def test_confidence() -> None:
    exact = icd10cm.search("essential hypertension", on=DOS)
    assert (exact[0].code, exact[0].confidence, exact[0].score) == ("I10", 1.0, 100.0)
    assert all(0 <= h.confidence <= 1 and 0 <= h.score <= 100 for h in exact)
    assert [h.confidence for h in exact] == sorted((h.confidence for h in exact), reverse=True)
    junk = icd10cm.search("quantum chromodynamics lattice", on=DOS)
    assert not junk.good and junk.confidence < _search.WEAK
    assert isinstance(junk, SearchResults) and isinstance(junk, list)
    partial = icd10cm.search("diabetes purple elephant", on=DOS)
    assert partial and partial.confidence < 0.5


def test_typos_and_prefixes() -> None:
    assert icd10cm.search("pnemonia", on=DOS, limit=3)[0].code == "J189"
    hits = icd10cm.search("pnemonia", on=DOS, limit=3)
    assert hits[0].confidence < 1.0  # a corrected word counts less
    assert "E119" in [h.code for h in icd10cm.search("diabet", on=DOS, limit=5)]


def test_hits_are_valid_on_the_date_and_titled_for_it() -> None:
    hits = icd10cm.search("multiple sclerosis", on="2025-06-01", limit=5)
    assert hits[0].code == "G35" and hits[0].title == "Multiple sclerosis"
    later = icd10cm.search("multiple sclerosis", on="2026-01-01", limit=10)
    assert "G35" not in [h.code for h in later]
    assert all(icd10cm.is_valid(h.code, on="2026-01-01") for h in later)
    assert all(type(h) is SearchHit for h in later)
    assert icd10cm.search("hypertension", on="2014-01-01") == []  # before ICD-10-CM


def test_hcpcs_and_modifiers() -> None:
    hits = hcpcs.search("ketorolac injection", on="2025-06-01", limit=3)
    assert hits[0].code == "J1885" and hits[0].title == "Ketorolac tromethamine inj"
    assert hits[0].matched == "Ketorolac tromethamine inj"
    assert "E0601" in [h.code for h in hcpcs.search("cpap", on="2025-06-01", limit=5)]
    assert modifiers.search("right side", on="2025-06-01", limit=3)[0].code == "RT"


def test_bad_arguments() -> None:
    for bad in ("", "   ", None, 42):
        with pytest.raises(InvalidArgument):
            icd10cm.search(bad, on=DOS)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        icd10cm.search("x" * 5000, on=DOS)
    with pytest.raises(InvalidArgument):
        hcpcs.search("x" * 5000, on=DOS)


def test_an_index_of_another_version_is_refused() -> None:
    meta, sections = _search.pack_index([("I10", "Essential hypertension", _search.TITLE)])
    with pytest.raises(DataError, match="rebuild"):
        _search.Index({**meta, "version": 0}, sections)


@pytest.mark.slow
def test_the_bundled_indexes_are_what_the_build_makes_of_the_bundled_tables() -> None:
    """After the tables change (a data rebuild), python -m codekit.build search must be
    run: this fails until it is."""
    from codekit.build.search import build_search

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for folder in ("icd10cm", "procedures"):
            (out / folder).mkdir()
            for f in (ROOT / "data" / folder).glob("*.ckt"):
                if f.name != "search.ckt":
                    (out / folder / f.name).symlink_to(f)
        records = build_search(out)
        for name, folder in (("icd10cm", "icd10cm"), ("hcpcs", "procedures")):
            built = (out / folder / "search.ckt").read_bytes()
            shipped = (ROOT / "data" / folder / "search.ckt").read_bytes()
            assert hashlib.sha256(built).hexdigest() == hashlib.sha256(shipped).hexdigest(), \
                f"data/{folder}/search.ckt is stale: run python -m codekit.build search"
            provenance = json.loads((ROOT / "data" / "PROVENANCE.json").read_text())
            assert provenance["search"][name]["sha256"] == records[name]["sha256"]


def test_codes_of_a_user_release_are_searched(tmp_path: Path) -> None:
    """A release added with codekit data add (here a made-up FY2099 with the code E11.Z)
    is searched: its codes the bundled index lacks are indexed on first search."""
    from codekit.build.user import add_release
    from codekit.icd10cm import Store
    from tests.test_icd10cm_userdata import ORDER, TABULAR

    tab = tmp_path / "icd10cm_tabular_2099.xml"
    tab.write_text(TABULAR, encoding="utf-8")
    order = tmp_path / "icd10cm_order_2099.txt"
    order.write_text(ORDER, encoding="latin-1")
    add_release(release_id="FY2099", effective="2098-10-01", tabular=tab, order=order,
                data_dir=tmp_path / "user")
    store = Store(user=tmp_path / "user")
    hits = icd10cm.search("type 2 diabetes mellitus future complication", on="2099-01-01",
                          store=store, limit=3)
    assert (hits[0].code, hits[0].title, hits[0].confidence) == \
        ("E11Z", "Type 2 diabetes mellitus, future complication", 1.0)
    assert "E11Z" not in [h.code for h in icd10cm.search(
        "type 2 diabetes future complication", on="2099-01-01", limit=3)]


# -- what answered, and whether the data covers the date ----------------------------------------

CM_AFTER = ("{day} is after the last date codekit's data describes (2027-03-31); answered "
            "with FY2027 (October 2026). Add newer CDC/CMS files with `codekit data add` "
            "(see docs/icd10cm.md).")
CM_BEFORE = ("{day} is before ICD-10-CM took effect (2015-10-01): no ICD-10-CM code is valid "
             "then (use ICD-9-CM); titles and notes from FY2016 (October 2015).")
PROC_AFTER = ("{day} is after the last quarter codekit's data describes (2026-04-01 to "
              "2026-06-30); answered as of that quarter. Load the CMS HCPCS file of a newer "
              "quarter with codekit.hcpcs.load_release() for Level II {what}.")
PROC_BEFORE = ("codekit's {what} data starts with the IOCE quarter of 2019-07-01; {day} is "
               "answered as of that quarter.")
PCS_AFTER = ("codekit bundles no FY{fy} ICD-10-PCS order file or tables (CMS files for "
             "FY{fy} were not available to its build): validity on {day} is from the CMS MCE "
             "table (to 2027-03-31), titles and axis meanings from FY2026. Add the CMS "
             "FY{fy} files with `codekit data add-pcs --id FY{fy} --effective {fy0}-10-01 "
             "--order icd10pcs_order_{fy}.txt --tables icd10pcs_tables_{fy}.xml`. {day} is "
             "after the last date codekit's ICD-10-PCS data describes (2027-03-31); the "
             "answer is that of the last period.")
PCS_BEFORE = ("{day} is before ICD-10-PCS took effect (2015-10-01): no ICD-10-PCS code may be "
              "reported then (inpatient procedures were ICD-9-CM volume 3 codes); titles from "
              "FY2016.")


def _said(found: SearchResults) -> tuple[object, ...]:
    return (str(found.on), found.release, found.covered, found.note)


def test_an_icd10cm_search_says_when_the_data_does_not_cover_the_date() -> None:
    """icd10cm.search("diabetes", on="2030-01-01") answered from FY2027 without a word
    (validate says covered=False and a note)."""
    later = icd10cm.search("diabetes", on="2030-01-01", limit=3)
    assert [h.code for h in later][:1] == ["E119"]  # answered as of FY2027 ...
    assert _said(later) == ("2030-01-01", "FY2027", False, CM_AFTER.format(day="2030-01-01"))
    # ... worded as validate's note for the date
    assert later.note == icd10cm.validate("E11.9", on="2030-01-01").note
    assert _said(icd10cm.search("diabetes", on="2027-03-31")) == \
        ("2027-03-31", "FY2027", True, None)  # the data's last day
    assert _said(icd10cm.search("diabetes", on="2027-04-01")) == \
        ("2027-04-01", "FY2027", False, CM_AFTER.format(day="2027-04-01"))
    for day in ("2010-01-01", "2015-09-30"):
        before = icd10cm.search("diabetes", on=day)
        assert before == [] and _said(before) == (day, "FY2016", False,
                                                  CM_BEFORE.format(day=day))
    assert _said(icd10cm.search("diabetes", on="2015-10-01")) == \
        ("2015-10-01", "FY2016", True, None)


def test_a_hcpcs_modifier_or_procedure_search_says_when_the_data_does_not_cover_the_date(
        ) -> None:
    """hcpcs.search("wheelchair", on="2010-01-01") answered from the 2019-07-01 quarter
    without a word."""
    early = hcpcs.search("wheelchair", on="2010-01-01", limit=3)
    assert early and _said(early) == ("2010-01-01", "IOCE 20.2.27", False,
                                      PROC_BEFORE.format(what="procedure", day="2010-01-01"))
    assert early.note == hcpcs.lookup("K0001", on="2010-01-01").note
    assert _said(hcpcs.search("wheelchair", on="2026-06-30")) == \
        ("2026-06-30", "IOCE 27.1.0", True, None)  # the last bundled quarter's last day
    assert _said(hcpcs.search("wheelchair", on="2026-07-01")) == \
        ("2026-07-01", "IOCE 27.1.0", False,
         PROC_AFTER.format(day="2026-07-01", what="codes"))
    assert _said(hcpcs.search("wheelchair", on="2015-09-30")) == \
        ("2015-09-30", "IOCE 20.2.27", False,
         PROC_BEFORE.format(what="procedure", day="2015-09-30"))
    mods = modifiers.search("right side", on="2030-01-01", limit=3)
    assert [h.code for h in mods][:1] == ["RT"]
    assert _said(mods) == ("2030-01-01", "IOCE 27.1.0", False,
                           PROC_AFTER.format(day="2030-01-01", what="modifiers"))
    assert mods.note == modifiers.lookup("RT", on="2030-01-01").note
    assert _said(modifiers.search("right side", on="2010-01-01")) == \
        ("2010-01-01", "IOCE 20.2.27", False,
         PROC_BEFORE.format(what="modifier", day="2010-01-01"))
    from codekit import procedure

    either = procedure.search("wheelchair", on="2030-01-01", limit=3)
    assert either and _said(either) == ("2030-01-01", "IOCE 27.1.0", False,
                                        PROC_AFTER.format(day="2030-01-01", what="codes"))
    assert either.note == procedure.lookup("K0001", on="2030-01-01").note
    assert _said(procedure.search("wheelchair", on="2025-06-01")) == \
        ("2025-06-01", "IOCE 26.1.4", True, None)


def test_a_cpt_search_says_when_the_data_does_not_cover_the_date(tmp_path: Path) -> None:
    """CPT (made-up descriptor text: no AMA text in tests): a HCPCS file carries no CPT
    codes, so the note points at a quarterly code list."""
    from codekit import cpt
    from codekit.procedure import ProcedureStore

    store = ProcedureStore()
    f = tmp_path / "mine.txt"
    f.write_text("99213\tcodekit test text, searchcov alpha\n", encoding="utf-8")
    cpt.load_descriptors(f, store=store)
    found = cpt.search("searchcov alpha", on="2030-01-01", store=store)
    assert [h.code for h in found] == ["99213"]
    assert _said(found) == (
        "2030-01-01", "IOCE 27.1.0", False,
        "2030-01-01 is after the last quarter codekit's data describes (2026-04-01 to "
        "2026-06-30); answered as of that quarter. Load a newer CMS quarterly code list "
        "with codekit.procedure.load_quarter() for CPT codes.")
    assert _said(cpt.search("searchcov alpha", on="2026-06-30", store=store)) == \
        ("2026-06-30", "IOCE 27.1.0", True, None)


def test_an_icd10pcs_search_says_when_the_data_does_not_cover_the_date() -> None:
    from codekit import icd10pcs

    later = icd10pcs.search("resection appendix", on="2030-01-01", limit=2)
    assert later and _said(later) == (
        "2030-01-01", "FY2026", False, PCS_AFTER.format(fy=2030, fy0=2029, day="2030-01-01"))
    assert later.note == icd10pcs.validate("0DTJ4ZZ", on="2030-01-01").note
    assert _said(icd10pcs.search("resection appendix", on="2027-03-31")) == \
        ("2027-03-31", "FY2026", True, None)
    assert _said(icd10pcs.search("resection appendix", on="2027-04-01")) == \
        ("2027-04-01", "FY2026", False,
         PCS_AFTER.format(fy=2027, fy0=2026, day="2027-04-01"))
    for day in ("2010-01-01", "2015-09-30"):
        before = icd10pcs.search("resection appendix", on=day)
        assert before == [] and _said(before) == (day, "FY2016", False,
                                                  PCS_BEFORE.format(day=day))


def test_search_results_keep_what_answered_when_pickled_or_copied() -> None:
    import copy
    import pickle

    found = icd10cm.search("diabetes", on="2030-01-01", limit=2)
    for again in (pickle.loads(pickle.dumps(found)), copy.copy(found)):
        # ICD-10-CM's results are SearchResults with the codes of other dates
        # (icd10cm.DatedSearchResults): pickled or copied, the same class
        assert type(again) is type(found) and isinstance(again, SearchResults)
        assert list(again) == list(found)
        assert (again.query, *_said(again)) == (found.query, *_said(found))
    assert found.as_dict() == {"query": "diabetes", "on": "2030-01-01", "release": "FY2027",
                               "covered": False, "note": CM_AFTER.format(day="2030-01-01")}
    with pytest.raises(AttributeError):
        found.covered = True  # type: ignore[misc]
    assert _said(SearchResults()) == ("None", None, True, None)  # the defaults


def test_suggest_lists_a_header_s_default_code_first() -> None:
    """R05 (a header since FY2022) listed R05.1-R05.8 and cut R05.9 off; E11. did not list
    E11.9 at all. The default is the one search uses (icd10cm._search.default_code)."""
    from codekit.icd10cm._search import default_code
    from codekit.icd10cm._store import default_store

    assert icd10cm.suggest("R05", on="2025-06-01") == \
        ["R05.9", "R05.1", "R05.2", "R05.3", "R05.4"]
    assert icd10cm.suggest("E11.", on="2025-06-01")[:2] == ["E11.9", "E11.00"]
    assert icd10cm.suggest("e11", on="2025-06-01", limit=1) == ["E11.9"]
    rel = default_store().release("FY2025-04")  # the release of 2025-06-01
    for header in ("I21", "S72", "W540", "J45"):
        default = default_code(rel, header)
        assert default is not None and icd10cm.suggest(header, on="2025-06-01", limit=1) == \
            [icd10cm.format(default)], header


# -- the index: header defaults, accents, descriptor abbreviations ------------------------------


@pytest.mark.parametrize(("header", "default"), [
    ("E050", "E0500"),  # Thyrotoxicosis with diffuse goiter: "without thyrotoxic crisis"
    ("C900", "C9000"),  # Multiple myeloma: "not having achieved remission" (its NOS)
    ("A047", "A0472"),  # C. difficile enterocolitis: "not specified as recurrent"
    ("B373", "B3731"),  # Candidiasis of vulva and vagina: B37.31's "... NOS"
    ("K40", "K4090"),  # Inguinal hernia: "Inguinal hernia NOS", not the bilateral K40.20
    ("E10", "E109"),  # without complications, not E10.A0 "presymptomatic, unspecified"
    ("I50", "I509"),  # Heart failure, unspecified, not I50.1 left ventricular failure
    ("M330", "M3300"),  # "organ involvement unspecified", not M33.03 "without myopathy"
    ("G435", "G43509"),  # not intractable, without status migrainosus
    ("S72", "S7290XA"),  # unspecified fracture, initial encounter for closed fracture
    ("T550X", "T550X1A"),  # a poisoning of unknown intent is accidental
    ("R11", None),  # Nausea and vomiting: no code says just that (R11.11 is without nausea)
    ("C509", None),  # female or male breast: the classification names no default
    ("T233", None),  # wrist and hand: "unspecified wrist" is only a part of the header
])
def test_a_header_points_to_the_code_a_coder_assigns_when_nothing_more_is_said(
        header: str, default: str | None) -> None:
    from codekit.icd10cm._search import default_code
    from codekit.icd10cm._store import default_store

    assert default_code(default_store().release("FY2026"), header) == default


@pytest.mark.parametrize(("query", "code", "matched"), [
    ("graves disease", "E0500", "Graves' disease"),  # was H05.839 only
    ("kahler disease", "C9000", "Kahler's disease"),
    ("myelomatosis", "C9000", "Myelomatosis"),
    ("vaginal thrush", "B3731", "Vaginal thrush"),
    ("pseudomembraneous colitis", "A0472", "Pseudomembraneous colitis"),
])
def test_a_header_s_inclusion_terms_reach_its_default_code(query: str, code: str,
                                                           matched: str) -> None:
    hits = icd10cm.search(query, on=DOS, limit=3)
    assert (hits[0].code, hits[0].matched, hits[0].confidence) == (code, matched, 0.9)


def test_accented_names_are_words_typed_without_accents() -> None:
    """The tabular writes "Waldenström", "Rosenmüller": the index held "waldenstr" and "m",
    and an ASCII query was found only by a corrected word."""
    assert _search.tokens("Waldenström macroglobulinemia") == \
        ["waldenstrom", "macroglobulinemia"]
    assert _search.tokens("Sjøgren Straße Behçet") == ["sjogren", "strasse", "behcet"]
    from codekit.icd10cm._search import index_for
    from codekit.icd10cm._store import default_store

    vocab = set(index_for(default_store()).vocab)
    assert {"waldenstrom", "rosenmuller", "meniere", "behcet"} <= vocab
    assert not {"waldenstr", "rosenm", "ller"} & vocab
    for query in ("waldenstrom macroglobulinemia", "Waldenström macroglobulinemia"):
        hit = icd10cm.search(query, on=DOS, limit=1)[0]
        assert (hit.code, hit.matched, hit.confidence) == \
            ("C8800", "Waldenström macroglobulinemia NOS", 1.0)
    hit = icd10cm.search("fossa of rosenmuller cancer", on=DOS, limit=1)[0]
    assert (hit.code, hit.confidence) == ("C112", 1.0)


def test_hcpcs_short_descriptor_abbreviations() -> None:
    """E0784 "Ext amb infusn pump insulin" (amb: ambulatory, not ambulance), E0431
    "Portable gaseous 02" (a zero for O), A0427 "Als1-emergency", J1100 "Dexamethasone
    sodium phos"; "ext" is external, but extremity in "lwr ext"."""
    def words(text: str) -> list[str]:
        return _search.tokens(text, expand=True)

    assert words("Ext amb infusn pump insulin") == \
        ["external", "ambulatory", "infusion", "pump", "insulin"]
    assert words("Portable gaseous 02") == ["portable", "gaseous", "oxygen"]
    assert words("Als1-emergency") == ["advanced", "life", "support", "1", "emergency"]
    assert words("Mra w/o cont, lwr ext") == ["mra", "without", "continuous", "lower",
                                              "extremity"]
    assert words("Adjust knee ext/flex device") == ["adjustable", "knee", "extension",
                                                    "flexion", "device"]
    for query, code in [("external insulin pump", "E0784"),
                        ("ambulatory infusion pump insulin", "E0784"),
                        ("portable gaseous oxygen", "E0431"),
                        ("als emergency ambulance", "A0427"),
                        ("dexamethasone sodium phosphate", "J1100")]:
        assert hcpcs.search(query, on=DOS, limit=1)[0].code == code, query
    assert {h.code for h in hcpcs.search("lower extremity mra", on=DOS, limit=3)} == \
        {"C8912", "C8913", "C8914"}


DME_RED = "2025-10-15"  # the date of a DME and drug coder's searches (2026-12-06)


@pytest.mark.parametrize(("query", "first"), [
    # "methylpred sod succ" in the short descriptors (J2919, J1010); the oral form (J7509)
    # is of another route than the query's
    ("methylprednisolone injection", "J2919"),
    ("methylprednisolone sodium succinate", "J2919"),
    # brands by their labels' generic names (DailyMed): the salt names which code
    ("solu-medrol", "J2919"), ("depo-medrol", "J1010"),
    ("cyanocobalamin", "J3420"),  # J3420 "Vitamin b12 injection"
    # a drug's salt costs nothing: the injection (J1100 "Dexamethasone sodium phos")
    # before the oral (J8540) and inhalation (J7638) forms
    ("dexamethasone", "J1100"), ("kenalog", "J3301"),
])
def test_the_dme_red_team_s_drug_queries_find_the_code_first(query: str, first: str) -> None:
    hits = hcpcs.search(query, on=DME_RED, limit=3)
    assert hits[0].code == first and hits.good, [(h.code, h.confidence) for h in hits]


def test_a_drug_query_s_route_and_an_item_s_attachments() -> None:
    """A route the query names weighs against a text of another route; a brand and the
    biosimilars of its drug; a walker before its attachments."""
    hits = hcpcs.search("methylprednisolone injection", on=DME_RED, limit=3)
    assert [h.code for h in hits] == ["J2919", "J1010", "J7509"]
    assert hits[2].confidence < _search.WEAK  # J7509 "Methylprednisolone oral"
    assert [h.code for h in hcpcs.search("avastin", on=DME_RED, limit=3)] == \
        ["C9257", "J9035"]
    assert {"Q5107", "Q5118", "Q5126", "Q5129"} <= \
        {h.code for h in hcpcs.search("bevacizumab", on=DME_RED, limit=6)}
    walkers = [h.code for h in hcpcs.search("walker", on=DME_RED, limit=6)]
    assert "E0135" in walkers[:3] and not {"E0154", "E0156", "E0157", "E0159"} & set(walkers)


#: A DME supplier's searches (2026-12-07), each with the codes whose coming first is right,
#: written before the item readings (``codekit._synonyms.ITEMS``, and the QUERY entries
#: glucometer, cpap humidifier, nasal mask, ankle foot orthosis): 18 of the 39 came first
#: then, 34 now (the list was tuned on). Left: "hospital bed" (a pediatric bed first: the
#: home beds' descriptors cut "mattress"), "enteral feeding pump" (B9002 "Enter nutr inf
#: pump"), and three where a text that says exactly the query comes first ("patient lift":
#: E0635 electric, "alternating pressure pad": A4640, "suction pump": K0743).
DME_ITEMS = [
    ("walker", "E0130 E0135 E0141 E0143"), ("rolling walker", "E0141 E0143"),
    ("wheeled walker", "E0141 E0143"), ("folding walker", "E0135 E0143"),
    ("wheelchair", "K0001"), ("standard wheelchair", "K0001"), ("cane", "E0100 E0105"),
    ("quad cane", "E0105"), ("crutches", "E0110 E0112 E0114 E0116"),
    ("commode", "E0163 E0165"), ("bedside commode", "E0163 E0165"),
    ("hospital bed", "E0250 E0255 E0260 E0265 E0290 E0291 E0292 E0293 E0294 E0295 E0296 "
     "E0297"),
    ("cpap", "E0601"), ("cpap mask", "A7030 A7034"), ("cpap nasal mask", "A7034"),
    ("cpap humidifier", "E0562"), ("cpap tubing", "A7037"), ("cpap filter", "A7038"),
    ("oxygen concentrator", "E1390"), ("portable oxygen concentrator", "E1392"),
    ("oxygen tank", "E0431 E0424 E0443"), ("nebulizer", "E0570"),
    ("glucose test strips", "A4253"), ("glucometer", "E0607"),
    ("blood glucose monitor", "E0607"), ("lancets", "A4259"),
    ("continuous glucose monitor", "E2102 E2103 A9276 A9277 A9278 A4238 A4239"),
    ("tens unit", "E0720 E0730"), ("insulin pump", "E0784"), ("breast pump", "E0602 E0603"),
    ("knee brace", "L1810 L1812 L1820 L1830 L1831 L1832 L1833 L1836 L1843 L1845 L1847 "
     "L1848 L1850 L1851 L1852"),
    ("ankle foot orthosis", "L1900 L1902 L1904 L1906 L1907 L1910 L1920 L1930 L1932 L1940 "
     "L1945 L1950 L1951 L1960 L1970 L1971 L1980 L1990"),
    ("diabetic shoes", "A5500"), ("patient lift", "E0630"), ("shower chair", "E0240"),
    ("raised toilet seat", "E0244"), ("alternating pressure pad", "E0181"),
    ("enteral feeding pump", "B9002"), ("suction pump", "E0600"),
]


#: More of a DME supplier's searches (2026-12-07), written with DME_ITEMS and held out: not
#: looked at while the readings were written. 8 of the 20 came first before them and
#: after (seat lift chair, bed rails, transfer board, wheelchair cushion, heating pad,
#: bone stimulator, lumbar brace, wrist brace, lymphedema pump, peak flow meter, inhaler
#: spacer and feeding tube do not): the readings fixed the items they name, nothing more.
DME_HELD_OUT = [
    ("seat lift chair", "E0627 E0629"), ("bed rails", "E0305 E0310"),
    ("trapeze", "E0910 E0911 E0912 E0940"), ("transfer board", "E0705"),
    ("wheelchair cushion", "E2601 E2602 E2603 E2604 E2605 E2606 E2607 E2608 E2622 E2623 "
     "E2624 E2625 K0669"),
    ("apnea monitor", "E0618 E0619"), ("pulse oximeter", "E0445"),
    ("heating pad", "E0210 E0215 E0217 E0249"), ("bone stimulator", "E0747 E0748 E0749 E0760"),
    ("cervical collar", "L0120 L0130 L0140 L0150 L0160 L0170 L0172 L0174"),
    ("lumbar brace", "L0625 L0626 L0627 L0628 L0630 L0631 L0632 L0633 L0634 L0635 L0636 "
     "L0637 L0638 L0639 L0640 L0641 L0642 L0643 L0648 L0649 L0650 L0651"),
    ("wrist brace", "L3906 L3908 L3915 L3916 L3917 L3918 L3923 L3924 L3929 L3930 L3931"),
    ("walking boot", "L4360 L4361 L4386 L4387"), ("lymphedema pump", "E0650 E0651 E0652"),
    ("peak flow meter", "A4614"), ("inhaler spacer", "A4627"),
    ("elevating leg rest", "E0990 K0195"), ("feeding tube", "B4081 B4082 B4083 B4087 B4088"),
    ("urinary catheter", "A4338 A4340 A4344 A4346 A4351 A4352 A4353"),
    ("suction catheter", "A4605 A4609 A4610 A4624 A4628"),
]


@pytest.mark.parametrize(("queries", "at_least"), [(DME_ITEMS, 34), (DME_HELD_OUT, 8)])
def test_a_dme_supplier_s_item_names_find_the_item_first(queries: list[tuple[str, str]],
                                                         at_least: int) -> None:
    right = [q for q, codes in queries
             if [h.code for h in hcpcs.search(q, on="2025-06-01", limit=1)][:1]
             in [[c] for c in codes.split()]]
    assert len(right) >= at_least, sorted({q for q, _ in queries} - set(right))


@pytest.mark.parametrize(("query", "first"), [
    # an item named alone is its standard model: "wheelchair" found G9156 (an evaluation
    # for a wheelchair), "cane" E2207 (a holder), "commode" E0968 (a wheelchair's seat)
    ("wheelchair", "K0001"), ("cane", "E0100"), ("commode", "E0163"), ("cpap", "E0601"),
    ("walker", "E0135"), ("rolling walker", "E0143"), ("nebulizer", "E0570"),
    ("oxygen tank", "E0431"),
    # the descriptors' words: "Blood glucose monitor home", "Afo", "Humidifier heated used
    # w pap", "Nasal application device" (nothing, a prosthesis, the device, a full face
    # mask came first)
    ("glucometer", "E0607"), ("ankle foot orthosis", "L1930"),
    ("cpap humidifier", "E0562"), ("cpap nasal mask", "A7034"),
])
def test_dme_item_names_and_their_descriptor_words(query: str, first: str) -> None:
    hits = hcpcs.search(query, on="2025-06-01", limit=3)
    assert hits[0].code == first, [(h.code, h.confidence) for h in hits]


@pytest.mark.parametrize(("query", "not_first"), [
    ("walker seat", "E0135"), ("wheelchair battery", "K0001"),
    ("wheelchair cushion", "K0001"), ("nebulizer tubing", "E0570"),
    ("oxygen tank carrier", "E0431"), ("pediatric walker", "E0135")])
def test_an_item_s_standard_model_is_not_read_inside_a_longer_query(query: str,
                                                                   not_first: str) -> None:
    """"walker seat" is a seat: the standard walker is read for "walker" alone."""
    assert hcpcs.search(query, on="2025-06-01", limit=1)[0].code != not_first


def test_an_item_s_standard_model_is_read_by_hcpcs_search_only() -> None:
    """The item readings (``codekit._synonyms.ITEMS``) are HCPCS Level II wording: an
    ICD-10-CM or modifier search does not read "nebulizer" as "nebulizer with compression"
    (it found S06.A1XA, traumatic brain compression with herniation, and the modifiers QX,
    GK, KS), nor "walker" as "walker folding adjustable fixed"."""
    assert not [h.code for h in icd10cm.search("nebulizer", on="2025-06-01")
                if h.code.startswith(("S06A1", "S22", "S32"))]
    assert [h.code for h in icd10cm.search("walker", on="2025-06-01")] == ["R620", "Q031"]
    assert modifiers.search("nebulizer") == [] and modifiers.search("cpap") == []
    assert hcpcs.search("nebulizer", on="2025-06-01", limit=1)[0].code == "E0570"


S57 = "2025-06-01"  # the date of the search quality queries (bench/search_quality.tsv)


@pytest.mark.parametrize(("british", "american"), [
    ("brain tumour", "brain tumor"), ("anaemia", "anemia"),
    ("iron deficiency anaemia", "iron deficiency anemia"), ("oedema", "edema"),
    ("oesophageal varices", "esophageal varices"), ("coeliac disease", "celiac disease"),
    ("paediatric feeding disorder", "pediatric feeding disorder"),
    ("septicaemia", "septicemia"), ("colour blindness", "color blindness"),
    ("haemodialysis status", "hemodialysis status"),
])
def test_a_british_spelling_is_read_as_the_american_word(british: str, american: str) -> None:
    """The classification writes American English; WHO's ICD-10 and British or Australian
    charts write "tumour", "anaemia", "oedema". A British word was only corrected, at a
    discount ("anaemia": 0.85), and never reached the tables: "brain tumour" found D49.9
    "tumor NOS" with 0.22, no good match ("brain tumor": C71.9, 0.80)."""
    said = icd10cm.search(british, on=S57, limit=3)
    meant = icd10cm.search(american, on=S57, limit=3)
    assert [(h.code, h.confidence) for h in said] == [(h.code, h.confidence) for h in meant]
    assert said.good


def test_a_british_spelling_rule_reads_only_words_the_index_does_not_know() -> None:
    """"toe", "four", "hour" are no British spellings; a word the index knows stays."""
    assert [_search.american(w) for w in ("toe", "four", "hour", "tumour", "centre")] == \
        ["toe", "four", "hour", "tumor", "center"]
    assert [h.code for h in icd10cm.search("stubbed toe", on=S57, limit=10)]
    assert icd10cm.search("gonorrhoea", on=S57, limit=1)[0].code == \
        icd10cm.search("gonorrhea", on=S57, limit=1)[0].code


@pytest.mark.parametrize(("query", "code"), [
    # chart abbreviations and lay terms the table lacked (each found nothing or a
    # poor match first)
    ("ards", "J80"), ("sbo", "K56609"), ("small bowel obstruction", "K56609"),
    ("bowel obstruction", "K56609"), ("ugib", "K922"), ("gi bleeding", "K922"),
    ("sars-cov-2", "U071"), ("sports physical", "Z025"),
    # Index: Overdose - see Table of Drugs and Chemicals, by drug, poisoning; acetaminophen
    # (paracetamol) is T39.1X- "4-Aminophenol derivatives"
    ("aspirin overdose", "T39011A"), ("tylenol overdose", "T391X1A"),
    ("acetaminophen overdose", "T391X1A"), ("paracetamol overdose", "T391X1A"),
    # a site's metastases are its secondary neoplasm
    ("lung mets", "C7800"), ("liver metastases", "C787"), ("brain metastasis", "C7931"),
    # a major depressive disorder not said recurrent: F32.9 ("Major depression NOS")
    ("mdd", "F329"), ("major depressive disorder", "F329"),
    ("major depressive disorder recurrent", "F339"),
    # an organ's adjective (Neoplasm Table: "cervix (cervical) (uteri) (uterus)")
    ("cervical cancer", "C539"), ("ovarian cancer", "C569"), ("testicular cancer", "C6290"),
    ("esophageal cancer", "C159"), ("uterine cancer", "C55"),
    ("endometrial cancer", "C541"),  # first before too (0.56): stays
    ("colonic polyp", "K635"), ("hepatic cyst", "K7689"),
    ("cervical radiculopathy", "M5412"),  # the adjective as written stays
    # Index: Diverticulitis K57.92 (of the intestine), not N30.80 (bladder) or Q43.8
    ("diverticulitis", "K5792"),
])
def test_the_search_red_team_s_queries_find_the_code_first(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=S57, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]
    assert hits.good


@pytest.mark.parametrize(("query", "first", "not_above"), [
    # congenital is a subterm of the Index, never the default (Ptosis H02.409, congenital
    # Q10.0), unless the query says it
    ("ptosis", "H02409", "Q100"), ("congenital ptosis", "Q100", None),
    ("torticollis", "M436", "Q680"),
    # but for a condition the Index calls congenital by default ("Clubfoot (congenital)
    # Q66.89 ... acquired M21.54-", "Talipes (congenital) Q66.89"): M21.549 "Acquired
    # clubfoot" and Q66.40 came first
    ("clubfoot", "Q6689", None), ("club foot", "Q6689", None), ("clubfeet", "Q6689", None),
    ("talipes", "Q6689", None), ("acquired clubfoot", "M21549", "Q6689"),
    # a malignant neoplasm is primary unless said secondary (C79.00 tied with C64.9)
    ("kidney cancer", "C649", "C7900"), ("lung cancer", "C3490", "C7800"),
    ("secondary hypertension", "I159", "I10"),
    # "not specified as primary or secondary" says no secondary: C22.9 stays above C78.7
    ("liver cancer", "C228", "C787"),
    # a family's history is a kind even when the text says "non-pressure" (Z84.0 came
    # first for "ulcer": the kinds left out every text that said "non")
    ("ulcer", None, "Z840"), ("family history of ulcer", "Z840", None),
])
def test_a_congenital_secondary_or_family_text_ranks_lower_unless_the_query_names_it(
        query: str, first: str | None, not_above: str | None) -> None:
    codes = [h.code for h in icd10cm.search(query, on=S57, limit=10)]
    if first is not None:
        assert codes[0] == first, codes
    if not_above is not None:
        assert not_above not in codes[:3], codes


def test_a_condition_congenital_by_default_is_a_good_match() -> None:
    """"Laryngomalacia (congenital) Q31.5" (the Index; no other code): the congenital kind
    left Q31.5 0.486 of its 0.811, "no good match"."""
    hits = icd10cm.search("laryngomalacia", on=S57, limit=3)
    assert hits[0].code == "Q315" and hits.good, [(h.code, h.confidence) for h in hits]


@pytest.mark.parametrize(("query", "code"), [
    ("osteoarthritis of both knees", "M170"), ("primary osteoarthritis both knees", "M170"),
    ("hearing loss both ears", "H9193"), ("carpal tunnel syndrome both hands", "G5603"),
    # a text that says "both" is matched by it still
    ("visual loss both eyes", "H543"), ("twins both liveborn", "Z372"),
    ("paralysis of both lower limbs", "G8220"),
])
def test_both_is_the_bilateral_side(query: str, code: str) -> None:
    """"both knees" found M17.9 (no side) first: "both" was a word, not the side I.B.13
    codes ("Bilateral primary osteoarthritis of knee")."""
    hits = icd10cm.search(query, on=S57, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]


def test_a_telehealth_originating_site_is_q3014() -> None:
    """Q3014's short descriptor says "Telehealth facility fee"; CMS's long one,
    "Telehealth originating site facility fee" (it found G2025, 0.16)."""
    hits = hcpcs.search("telehealth originating site", on=S57, limit=3)
    assert hits[0].code == "Q3014" and hits.good


def test_a_text_that_says_a_kind_negated_is_not_of_it() -> None:
    """C22.9 "Malignant neoplasm of liver, not specified as primary or secondary" says no
    secondary neoplasm: it stays second for "liver cancer", above the history Z85.05 (as
    a secondary text it fell to third)."""
    codes = [h.code for h in icd10cm.search("liver cancer", on=S57, limit=3)]
    assert codes[:2] == ["C228", "C229"], codes


def test_the_kinds_a_query_leaves_unnamed_are_remembered_for_a_few_sets_only() -> None:
    """One {document: factor} a set of kinds the queries leave unnamed: the sets are many
    (a subset of ten kinds), so no more than 16 are kept."""
    from codekit.icd10cm._search import index_for
    from codekit.icd10cm._store import default_store

    index = index_for(default_store())
    words = ["newborn", "heat", "pressure", "cancer", "congenital", "secondary", "family"]
    for i in range(1, 1 << len(words)):
        named = [w for b, w in enumerate(words) if i >> b & 1]
        icd10cm.search("ulcer " + " ".join(named), on=S57, limit=1)
    assert len(index._narrows) <= 16


@pytest.mark.parametrize(("query", "code"), [
    # a number inside a title's range (Z68 "Body mass index [BMI] 40.0-44.9, adult"): the
    # number is no word of it ("bmi 42": Z68.45, 0.24, no good match; "42.5" was read as
    # "42" and "5")
    ("bmi 42", "Z6841"), ("bmi 42.5", "Z6841"), ("bmi 19", "Z681"), ("bmi 70", "Z6845"),
    ("bmi 45", "Z6842"),
    # pediatric percentiles: "95th percentile for age to less than 120% of the 95th
    # percentile" (FY2025), "less than 5th percentile"
    ("bmi 96th percentile", "Z6854"), ("bmi 3rd percentile", "Z6851"),
    ("bmi 50th percentile", "Z6852"),
    # weeks of gestation, coma scale scores, burned body surface, blood alcohol
    ("pregnancy 5 weeks", "Z3A01"), ("43 weeks gestation", "Z3A49"),
    ("glasgow coma scale 14", "R402410"), ("burn 15% body surface", "T3110"),
    ("blood alcohol level 50", "Y902"),
])
def test_a_number_inside_a_title_s_range_finds_it(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=S57, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]
    assert hits.good


def test_a_decimal_no_range_holds_is_read_as_its_words() -> None:
    """A decimal is one word when a text's range holds it, else its words, as before (an
    index of texts that write no range; a code "e11.9" is no decimal)."""
    from codekit.icd10cm._search import index_for
    from codekit.icd10cm._store import default_store

    index = index_for(default_store())
    assert index.read("bmi 42.5").variants[-1] == ["body", "mass", "index", "42.5"]
    assert index.read("e11.9").variants[0] == ["e11", "9"]
    plain = _search.Index(*_search.pack_index([("A001", "Stage 3 of 7", _search.TITLE)]))
    plain.reading = _search.CLINICAL
    assert plain.read("stage 3.7").variants[0] == ["stage", "3", "7"]
    assert icd10cm.search("e11.9", on=S57, limit=1)[0].code == "E119"


@pytest.mark.parametrize(("query", "code"), [
    # Index: Disorder, depressive, major (single episode) F32.9 - in remission (full)
    # F32.5 - partial F32.4 - recurrent see Disorder, depressive, recurrent: F33.0 and
    # F33.40 came first, "single episode" counting against F32.0
    ("mdd mild", "F320"), ("mdd moderate", "F321"),
    ("major depressive disorder in remission", "F325"),
    ("mdd in partial remission", "F324"),
    # the recurrence said: F33, and its remission unspecified (F33.40), not full
    ("mdd recurrent mild", "F330"), ("major depressive disorder recurrent in remission", "F3340"),
    ("mdd", "F329"),
])
def test_a_major_depressive_disorder_is_a_single_episode_unless_said_recurrent(
        query: str, code: str) -> None:
    hits = icd10cm.search(query, on=S57, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]


@pytest.mark.parametrize(("query", "code"), [
    # "cervical" is of the neck too (it found the cervix uteri: N87.9, no good match), and
    # of the cervix as Z12.4 writes it (C53.9 came first)
    ("cervical strain", "S161XXA"), ("cervical cancer screening", "Z124"),
    ("cervical cancer", "C539"), ("cervical radiculopathy", "M5412"),
    # Index: Diverticulitis, colon - see Diverticulitis, intestine, large (Q43.8, a
    # congenital one, came first; "sigmoid diverticulitis" K57.92 with 0.35)
    ("diverticulitis of colon", "K5732"), ("colonic diverticulitis", "K5732"),
    ("sigmoid diverticulitis", "K5732"), ("diverticulitis", "K5792"),
    ("sigmoid colon cancer", "C187"),
    # a drug is its long term use only named alone: "insulin overdose" found Z79.4
    ("insulin overdose", "T383X1A"), ("metformin overdose", "T383X1A"),
    ("eliquis overdose", "T45511A"), ("insulin", "Z794"), ("on insulin", "Z794"),
    ("on eliquis", "Z7901"), ("plavix", "Z7902"),
    # Index: Overdose - see Table of Drugs and Chemicals, by drug: Drug NEC T50.90-
    ("overdose", "T50901A"),
    # Index: Infection, cytomegalovirus B25.9 ("Cytomegaloviral disease"); maternal care
    # O35.3 is a subterm (O35.3XX0 came first, then the congenital P35.1)
    ("cytomegalovirus infection", "B259"), ("cmv infection", "B259"),
    ("lyme infection", "A6920"), ("ebola infection", "A984"),
    # "unspecified as to cause" is the unspecified code's wording, no word it says
    ("partial small bowel obstruction", "K56600"),
    ("complete small bowel obstruction", "K56601"), ("sbo", "K56609"),
    # only a congenital text says the condition: its default (Q44.0 0.497, no good match)
    ("absence of gallbladder", "Q440"),
])
def test_the_second_pass_queries_find_the_code_first(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=S57, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]
    assert hits.good


def test_unspecified_as_to_a_word_does_not_say_it() -> None:
    """K56.609 "..., unspecified as to partial versus complete obstruction" says no
    partial obstruction: "partial sbo" is K56.600, K56.609 below the partial ones."""
    codes = [h.code for h in icd10cm.search("partial sbo", on=S57, limit=10)]
    assert codes[0] == "K56600" and codes.index("K56609") > codes.index("K56690"), codes
    # to the end of its clause: J96.00 "..., unspecified whether with hypoxia or
    # hypercapnia" says no hypoxia ("with" ends no such phrase)
    codes = [h.code for h in icd10cm.search("acute respiratory failure with hypoxia", on=S57,
                                            limit=3)]
    assert codes[:2] == ["J9601", "J9621"], codes


def test_a_default_wording_is_not_a_word_a_query_matched() -> None:
    """The default wording a text says ("single episode", "unspecified as to partial
    versus complete") is left out of its words, not counted as matched: the words of a
    query alone do not find it ("disorder of" found F32.5 "Major depressive disorder,
    single episode, in full remission" first, "other" K56.699, while they counted)."""
    assert icd10cm.search("disorder of", on=S57, limit=1)[0].code == "M629"
    assert icd10cm.search("other (or", on=S57, limit=1)[0].code != "K56699"
    assert icd10cm.search("unspecified bus", on=S57, limit=1)[0].code == "V793XXA"


def test_cervical_stenosis_is_the_spine_s_or_the_cervix_s() -> None:
    """Index: Stenosis, cervix, cervical (canal) N88.2; Stenosis, spinal, cervical region
    M48.02: both first, no neck of a bladder (Bladder-neck stenosis, N32.0)."""
    codes = [h.code for h in icd10cm.search("cervical stenosis", on=S57, limit=3)]
    assert set(codes[:2]) == {"N882", "M4802"}, codes


def test_ambulance_mileage_is_the_ground_mileage() -> None:
    """A0425 "Ground mileage" (the descriptor says no ambulance) before A0888, the
    non-covered mileage."""
    hits = hcpcs.search("ambulance mileage", on=S57, limit=3)
    assert [h.code for h in hits[:2]] == ["A0425", "A0888"] and hits.good


# -- a coder's queries, third pass (2026-12-07): tests/search_coder_queries.tsv ------------

def _coder_queries() -> list[dict[str, str]]:
    with open(ROOT / "tests" / "search_coder_queries.tsv", encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")),
                                   delimiter="\t"))


def _accepted(code: str, accepted: str) -> bool:
    return any(code.startswith(a[:-1]) if a.endswith("*") else code == a.replace(".", "")
               for a in accepted.split(","))


def test_the_coder_queries_are_many_and_their_codes_real() -> None:
    rows = _coder_queries()
    assert len(rows) >= 150 and {r["system"] for r in rows} == {"icd10cm", "icd10pcs",
                                                                 "hcpcs"}
    assert {r["first"] for r in rows} <= {"1", "5", "miss"}
    for r in rows:
        assert r["first"] == "1" or r["why"], r  # a wider answer says why
        mod = codesystem.get(r["system"])
        for a in r["accepted"].split(","):
            if not a.endswith("*"):
                assert mod.is_valid(a, on=r["on"]), r


@pytest.mark.parametrize("row", [r for r in _coder_queries() if r["first"] != "miss"],
                         ids=lambda r: f"{r['system']}:{r['query']}")
def test_a_coder_s_query_finds_the_code_first(row: dict[str, str]) -> None:
    """fhx, aom, pcos, poag, bppv, rls, bcc, cll, aaa, bka, acl, a lobe (rul), community
    acquired pneumonia, homeless, a gallstone, a renal failure (in the Index's word order
    too: "failure renal acute"), nsvd, a cataract with or without an IOL, opdivo, ippe, a
    Hoyer lift, a soft collar, frames: none found its code first before 2026-12-07."""
    hits = codesystem.get(row["system"]).search(row["query"], on=row["on"], limit=5)
    codes = [h.code for h in hits]
    found = codes[:1] if row["first"] == "1" else codes
    assert any(_accepted(c, row["accepted"]) for c in found), \
        [(h.code, h.confidence) for h in hits]


def test_a_side_word_alone_finds_no_condition() -> None:
    """A side word adds to the texts the query's other words found and seeds none: "s/p
    left bka" scored all 16,235 texts that say "left" when "bka" was unknown (90 ms, for
    weak hits of any left-sided code). A query of side words only is read as words."""
    found = icd10cm.search("s/p left qqzzv", on=DOS)
    assert list(found) == [] and not found.good
    assert icd10cm.search("qqzzv bilateral", on=DOS) == []
    assert icd10cm.search("left", on=DOS, limit=1)  # side words only: words to match
    # the side still counts where the condition's words found texts
    assert icd10cm.search("s/p left bka", on=DOS, limit=1)[0].code == "Z89512"


def test_a_type_the_query_states_is_not_overridden_by_the_default_type() -> None:
    """I.C.4.a.2 makes type 2 the default only when no type is documented: "dm1 with dka"
    was also read as "type 1 type 2 diabetes mellitus with ..." (eight readings)."""
    index = _search.Index(*_search.pack_index([("E1010", "Type 1 diabetes mellitus with "
                                                "ketoacidosis without coma", _search.TITLE)]))
    index.reading = _search.CLINICAL
    for query in ("dm1 with dka", "type 1 diabetes", "t1dm uncontrolled"):
        variants = index.read(query).variants
        assert all(v.count("type") == 1 and "2" not in v for v in variants), variants
    assert len(index.read("dm1 with dka").variants) == 3
    assert all("type" in v and "2" in v for v in index.read("dka").variants[1:2])
    assert icd10cm.search("dm1 with dka", on=DOS, limit=1)[0].code == "E1010"
