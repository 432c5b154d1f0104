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
    assert len(icd) >= 50 and {r["who"] for r in icd} == {"lay", "clinician"}
    for r in rows:  # every expected code is a real code on its date
        assert codesystem.get(r["system"]).is_valid(r["expected"], on=r["on"]), r


@pytest.mark.parametrize("system", ["icd10cm", "hcpcs"])
def test_expected_code_in_the_top_5_for_80_percent(system: str) -> None:
    rate, misses = _top5_rate(system)
    assert rate >= 0.8, misses


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
])
def test_coder_queries_find_the_code_first(query: str, code: str) -> None:
    hits = icd10cm.search(query, on=DOS, limit=3)
    assert hits[0].code == code, [(h.code, h.confidence) for h in hits]


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
