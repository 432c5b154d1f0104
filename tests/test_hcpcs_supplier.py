"""HCPCS Level II as a DME supplier's billing team uses it: discontinued codes and the
replacement CMS names for them, descriptors that changed over time, codes of the other
procedure system, codes written with a hyphen, and supplier search queries.

Synthetic CMS HCPCS files are written here in the CMS fixed-width layout with made-up
descriptions (real code numbers and dates); the real October 2025 file is read from
``../shared/data/reference/`` when present (test input only).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from codekit import Checker, Claim, cpt, hcpcs, procedure
from codekit.errors import InvalidFormat, NotValidOnDate
from codekit.procedure import ProcedureStore

from .conftest import reference, shipped_procedures_but

D = dt.date


def record(hcpc: str, long: str, short: str = "", add: str = "", term: str = "",
           xrefs: tuple[str, ...] = ()) -> str:
    """One 320-character code record (RECID 3) of the CMS ANWEB text file; the
    cross-reference codes XREF1-XREF5 are at positions 205-229 of the CMS layout."""
    line = [" "] * 320

    def put(pos: int, text: str, width: int) -> None:
        line[pos:pos + width] = list(text.ljust(width)[:width])

    put(0, hcpc, 5)
    put(5, "00100", 5)
    put(10, "3", 1)
    put(11, long, 80)
    put(91, short, 28)
    for k, x in enumerate(xrefs):
        put(204 + 5 * k, x, 5)
    put(268, add, 8)
    put(276, add, 8)
    put(284, term, 8)
    put(292, "N", 1)
    return "".join(line)


def anweb(tmp_path: Path, records: list[str], name: str = "HCPC2025_OCT_ANWEB.txt") -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join(records) + "\r\n", encoding="latin-1")
    return path


#: An October 2025 file: C9058 ended 2020-06-30 naming Q5120; C9027 (2015 only) naming
#: J9271; C9999 (made up) naming C9998, itself ended, naming J9271; M0201 with the
#: descriptor it has had since 2024.
RECORDS = [
    record("C9058", "codekit test pegfilgrastim-bmez, c code", "codekit c9058",
           "20191115", "20200630", ("Q5120",)),
    record("Q5120", "codekit test pegfilgrastim-bmez, q code", "codekit q5120", "20200701"),
    record("C9027", "codekit test pembrolizumab, c code", "codekit c9027", "20150101",
           "20151231", ("J9271",)),
    record("C9998", "codekit test made-up code", "codekit c9998", "20150101", "20151231",
           ("J9271",)),
    record("C9999", "codekit test made-up code", "codekit c9999", "20140101", "20141231",
           ("C9998",)),
    record("J9271", "codekit test pembrolizumab", "codekit j9271", "20160101"),
    record("M0201", "codekit test four vaccines given at home", "Pne flu hepb cov home admin",
           "20210608"),
    record("E0601", "codekit test cpap device", "Cont airway pressure device", "19880101"),
]


@pytest.fixture
def store(tmp_path: Path) -> ProcedureStore:
    s = ProcedureStore()
    hcpcs.load_release(anweb(tmp_path, RECORDS), store=s)
    return s


@pytest.fixture
def default_loaded(tmp_path: Path) -> Iterator[Path]:
    """The synthetic file loaded into the process-wide store (the claim checker's),
    unloaded after the test."""
    path = anweb(tmp_path, RECORDS)
    hcpcs.load_release(path)
    yield path
    hcpcs.unload_releases()


# -- replacements CMS names (XREF) ---------------------------------------------------------


def test_the_fixed_width_file_gives_the_cross_references(store: ProcedureStore) -> None:
    rel = hcpcs.releases(store=store)[0]
    assert rel.codes["C9058"].cross_references == ("Q5120",)
    assert rel.codes["Q5120"].cross_references == ()


def test_a_discontinued_code_names_its_replacement(store: ProcedureStore) -> None:
    with pytest.raises(NotValidOnDate) as info:
        hcpcs.validate("C9058", on="2025-10-15", store=store)
    e = info.value
    assert e.fix == e.replacements == ("Q5120",)
    assert str(e) == (
        "'C9058': not valid on 2025-10-15: it was deleted after 2020-06-30: use Q5120 (the "
        "cross-reference of CMS's HCPCS file HCPC2025_OCT_ANWEB). "
        "Valid: 2019-11-15 to 2020-06-30")
    # before it existed there is nothing to replace it with
    with pytest.raises(NotValidOnDate) as early:
        hcpcs.validate("C9058", on="2019-11-14", store=store)
    assert early.value.fix == ()
    assert "it takes effect on 2019-11-15" in str(early.value)  # the file's ADD DT


def test_a_code_listed_only_before_the_bundled_data_is_known(store: ProcedureStore) -> None:
    """C9027 (2015) is in the loaded file: not "in no quarter or loaded file"."""
    with pytest.raises(NotValidOnDate) as info:
        hcpcs.validate("C9027", on="2025-10-15", store=store)
    assert info.value.code == "PROC_NOT_VALID_ON_DOS"
    assert info.value.fix == ("J9271",)
    assert "lists it from 2015-01-01 to 2015-12-31" in str(info.value)
    assert hcpcs.lookup("C9027", on="2025-10-15", store=store).valid is False


def test_a_chain_of_replacements_is_followed(store: ProcedureStore) -> None:
    with pytest.raises(NotValidOnDate) as info:
        hcpcs.validate("C9999", on="2025-10-15", store=store)
    assert info.value.fix == ("J9271",)


def test_the_claim_finding_carries_the_replacement(default_loaded: Path) -> None:
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": "2025-10-15",
        "diagnoses": ["C50.911"],
        "service_lines": [{"procedure_code": "C9058", "units": 6, "diagnosis_pointers": [1]}]})
    found = [f for f in Checker().check(claim).findings if f.rule == "PROC_NOT_VALID_ON_DOS"]
    assert [(f.location, f.fix) for f in found] == \
        [(("service_lines", 0, "procedure_code"), ("Q5120",))]
    assert "use Q5120" in found[0].message


def test_the_real_file_names_replacements() -> None:
    path = reference("hcpcs_2025q4", "HCPC2025_OCT_ANWEB.xlsx")
    s = ProcedureStore()
    rel = hcpcs.load_release(path, store=s)
    assert rel.codes["C9058"].cross_references == ("Q5120",)
    assert rel.codes["E1130"].cross_references == ("K0001",)  # active: no error, no fix
    for code, day, fix in [("C9058", "2025-10-15", ("Q5120",)),
                           ("C9173", "2025-10-15", ("Q5148",)),
                           ("C9027", "2025-10-15", ("J9271",)),
                           ("M0222", "2025-10-15", ())]:
        with pytest.raises(NotValidOnDate) as info:
            hcpcs.validate(code, on=day, store=s)
        assert info.value.fix == fix, code


# -- the bundled cross-references (data/procedures/xref.ckt) -----------------------------


def _claim(code: str, day: str) -> Claim:
    return Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": day,
        "diagnoses": ["M54.50"],
        "service_lines": [{"procedure_code": code, "units": 1, "diagnosis_pointers": [1]}]})


def test_a_discontinued_code_names_its_successor_without_a_loaded_file() -> None:
    """G2012 (virtual check-in) ended 2024-12-31; CMS's October 2025 file gives 98016 in
    XREF1. The fix was () unless the user loaded that file (a certified coder's
    review of 837P claims, 2026-12-06, item 3.8)."""
    s = ProcedureStore()
    with pytest.raises(NotValidOnDate) as info:
        hcpcs.validate("G2012", on="2025-02-03", store=s)
    e = info.value
    assert e.fix == e.replacements == ("98016",)
    assert str(e) == (
        "'G2012': not valid on 2025-02-03: it was deleted after 2024-12-31: use 98016 (the "
        "cross-reference of CMS's HCPCS file HCPC2025_OCT_ANWEB). "
        "Valid: 2019-07-01 to 2024-12-31")
    assert hcpcs.lookup("G2012", on="2025-02-03", store=s).replacements == ("98016",)
    assert procedure.lookup("G2012", on="2025-02-03", store=s).replacements == ("98016",)
    assert hcpcs.lookup("G2012", on="2024-12-31", store=s).replacements == ()  # still valid
    with pytest.raises(NotValidOnDate) as old:  # C9058 ended 2020-06-30: Q5120
        hcpcs.validate("C9058", on="2020-07-01", store=s)
    assert old.value.fix == ("Q5120",)


def test_no_successor_where_cms_names_none() -> None:
    """J1020, J1030 and J1040 (methylprednisolone acetate 20/40/80 mg) ended 2024-03-31
    for J1010 (per 1 mg), but CMS's file gives them no cross-reference: no fix is made up."""
    s = ProcedureStore()
    for code in ("J1020", "J1030", "J1040"):
        with pytest.raises(NotValidOnDate) as info:
            hcpcs.validate(code, on="2024-04-01", store=s)
        assert info.value.fix == (), code
        assert str(info.value).endswith(
            "it was deleted after 2024-03-31. Valid: 2019-07-01 to 2024-03-31"), code
        assert hcpcs.lookup(code, on="2024-04-01", store=s).replacements == ()
    assert hcpcs.is_valid("J1010", on="2024-04-01", store=s)


def test_the_claim_finding_names_the_bundled_successor() -> None:
    found = [(f.rule, f.location, f.fix, f.message)
             for f in Checker().check(_claim("G2012", "2025-02-03")).findings]
    assert found == [(
        "PROC_NOT_VALID_ON_DOS", ("service_lines", 0, "procedure_code"), ("98016",),
        "Line 1: 'G2012': not valid on 2025-02-03: it was deleted after 2024-12-31: use "
        "98016 (the cross-reference of CMS's HCPCS file HCPC2025_OCT_ANWEB). "
        "Valid: 2019-07-01 to 2024-12-31")]
    assert [f.fix for f in Checker().check(_claim("J1030", "2024-04-01")).findings
            if f.rule == "PROC_NOT_VALID_ON_DOS"] == [()]
    assert Checker().check(_claim("G2012", "2024-12-31")).findings == ()


def test_a_newer_loaded_file_answers_before_the_bundled_one(tmp_path: Path) -> None:
    """A loaded file of a later quarter naming another code for G2012 wins; one of an
    earlier quarter does not."""
    later = [record("G2012", "codekit test check-in", "codekit g2012", "20190101", "20241231",
                    ("G2252",)),
             record("G2252", "codekit test check-in, longer", "codekit g2252", "20210101")]
    s = ProcedureStore()
    hcpcs.load_release(anweb(tmp_path, later, "HCPC2026_JAN_ANWEB.txt"), store=s)
    assert hcpcs.lookup("G2012", on="2026-01-15", store=s).replacements == ("G2252",)
    s = ProcedureStore()
    hcpcs.load_release(anweb(tmp_path, later, "HCPC2025_JAN_ANWEB.txt"), store=s)
    assert hcpcs.lookup("G2012", on="2025-02-03", store=s).replacements == ("98016",)


def test_the_build_reproduces_the_shipped_cross_references(tmp_path: Path) -> None:
    from codekit.build.hcpcs_xref import build_cross_references
    from codekit.errors import DataError

    ref = reference("hcpcs_2025q4", "HCPC2025_OCT_ANWEB.xlsx").parents[1]
    data, out = shipped_procedures_but(tmp_path, "xref.ckt")
    rec = build_cross_references(ref, out)
    assert (out / "procedures" / "xref.ckt").read_bytes() == \
        (data / "procedures" / "xref.ckt").read_bytes()
    shipped = json.loads((data / "PROVENANCE.json").read_text("utf-8"))
    assert rec == shipped["hcpcs_cross_references"]
    assert (rec["counts"]["kept"], rec["checks"]["termination_date_agrees_with_ioce"],
            rec["checks"]["termination_date_differs"]) == (62, 62, [])
    bad = tmp_path / "ref" / "hcpcs_2025q4"
    bad.mkdir(parents=True)
    (bad / "HCPC2025_OCT_ANWEB.xlsx").write_bytes(b"PK\0")
    with pytest.raises(DataError, match="differs from the pinned"):
        build_cross_references(tmp_path / "ref", out)


# -- descriptors by date -------------------------------------------------------------------


def test_a_changed_descriptor_is_not_shown_on_earlier_dates(store: ProcedureStore) -> None:
    """M0201 was a COVID-19 vaccine given at home until 2023; the file's long text (the
    code since 2024) is not its title on a 2021 date of service."""
    e = hcpcs.lookup("M0201", on="2021-06-10", store=store)
    assert (e.short_description, e.long_description, e.title) == \
        ("Covid-19 vaccine home admin", None, "Covid-19 vaccine home admin")
    e = hcpcs.lookup("M0201", on="2024-06-01", store=store)  # same descriptor: the file's
    assert (e.release, e.long_description) == \
        ("IOCE 25.1.8", "codekit test four vaccines given at home")
    hits = hcpcs.search("covid vaccine home", on="2021-06-10", store=store, limit=3)
    assert [(h.code, h.title) for h in hits][:1] == [("M0201", "Covid-19 vaccine home admin")]


# -- the other system's codes, hyphens ------------------------------------------------------


@pytest.mark.parametrize(("module", "code"), [
    (hcpcs, "99213"), (hcpcs, "0001U"), (hcpcs, "99201"), (cpt, "J1885"), (cpt, "E0601"),
    (cpt, "G2211")])
def test_a_code_of_the_other_system_gets_no_fix(module: object, code: str) -> None:
    """99213 through hcpcs is no mistyped G9213 (the fix was D9913, G9213 ...; J1885
    through cpt got 61885): the error says which module to use, and offers no code."""
    for verb in ("validate", "lookup"):
        with pytest.raises(InvalidFormat, match="use codekit") as info:
            getattr(module, verb)(code, on="2025-06-01")
        assert info.value.fix == ()
        assert info.value.on == dt.date(2025, 6, 1)


def test_a_mistyped_code_still_gets_one() -> None:
    with pytest.raises(InvalidFormat) as info:  # 6 typed for G; 60121 is no CPT code
        hcpcs.validate("60121", on="2025-06-01")
    assert info.value.fix[0] == "G0121"
    with pytest.raises(InvalidFormat) as info:
        hcpcs.validate("E06O1", on="2025-06-01")
    assert info.value.fix[0] == "E0601"


def test_a_hyphen_inside_a_code() -> None:
    with pytest.raises(InvalidFormat) as info:
        hcpcs.validate("E-0601", on="2025-06-01")
    assert str(info.value) == "'E-0601': procedure codes have no hyphen: write E0601"
    assert info.value.fix == ("E0601",)
    with pytest.raises(InvalidFormat, match=r"write J1885 \(J1885 is a HCPCS Level II code: "
                       r"use codekit.hcpcs\)"):
        cpt.parse("J-1885")
    claim = Claim.from_dict({
        "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": "2025-06-01",
        "diagnoses": ["M25.561"],
        "service_lines": [{"procedure_code": "j-1885", "units": 2, "diagnosis_pointers": [1]}]})
    found = Checker().check(claim).findings
    assert [(f.rule, f.fix) for f in found] == [("PROC_FORMAT_INVALID", ("J1885",))]


# -- supplier search -------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected", "top"), [
    ("bipap", {"E0470", "E0471", "E0472"}, 3),
    ("knee brace", {"L1810", "L1850", "L1860", "L1836", "L1843", "L1834"}, 3),
    ("continuous glucose monitor", {"A9276", "A9277", "A9278", "E2102", "E2103", "A4238",
                                    "A4239"}, 3),
    ("insulin pump", {"E0784"}, 1),
    ("tens unit", {"E0720", "E0730", "E0731", "A4595"}, 4),
    ("neulasta", {"J2506"}, 1),
    ("pegfilgrastim", {"J2506", "Q5108", "Q5111", "Q5120", "Q5122", "Q5127", "Q5130"}, 7),
])
def test_supplier_queries_on_the_bundled_short_descriptors(query: str, expected: set[str],
                                                           top: int) -> None:
    hits = hcpcs.search(query, on="2025-10-15", limit=top)
    assert {h.code for h in hits} <= expected, [h.code for h in hits]
    assert len(hits) == top
    assert hits.good  # a confident answer (0.5 or more), not a weak one


def test_procedure_search_finds_the_same() -> None:
    assert procedure.search("bipap", on="2025-10-15", limit=1)[0].code in \
        {"E0470", "E0471", "E0472"}
