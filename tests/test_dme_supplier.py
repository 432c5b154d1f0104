"""A DMEPOS supplier's professional claim and the NCCI MUE tables; MUE 0 with modifier GY.

Two false positives a certified coder's review of 837P claims found (2026-12-06, FP1 and FP2):

- every DMEPOS line (E0601, L3908, L1833, E0114, A4253) of a Medicare 837P got the
  practitioner MUE of 0 as an error, even with the CMS DME supplier MUE file loaded: a
  claim had no way to say it is a supplier's (``Claim.dme_supplier``, the ``medicare-dme``
  profile, the ``dme`` NCCI setting);
- 99397, 92015, 99401 billed with GY (statutorily excluded, billed for the denial) were
  told to remove the line: ``MUE_ZERO_WITH_GY`` (info) says the line will be denied, as GY
  asks. GA and GZ keep the error (an ABN shifts no liability for an MUE denial, a coding
  denial: MLN MM8853).

The core tests build tiny MUE tables (rows copied by code number from the CMS files of
2026-04-01); the review's reproducers run on the CMS files in ``../shared`` and skip
when they are absent.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, ClaimFormatError, ncci
from codekit.findings import Severity
from tests.conftest import reference

#: Practitioner MUE rows of the CMS file of 2026-04-01 (MCR_MUE_PractitionerServices).
PRACTITIONER = """code,mue,mai,rationale
E0601,0,3,CMS Policy
L3908,0,3,CMS Policy
99397,0,3,CMS Policy
92015,0,3,CMS Policy
99401,0,3,CMS Policy
99213,1,2,Code Descriptor / CPT Instruction
"""
#: DME supplier MUE rows of the CMS file of 2026-04-01 (MCR_MUE_DMESupplierServices).
DME = """code,mue,mai,rationale
E0601,1,3,Nature of Equipment
L3908,2,2,Anatomic Consideration
"""
DAY = "2026-05-04"

E0601_PRACTITIONER = (
    "Line 1: 1 unit of E0601: its practitioner MUE is 0 (MAI 3, rationale: CMS Policy): CMS "
    "allows no units of E0601 on a practitioner's claim. E0601 is a DMEPOS item: a DMEPOS "
    "supplier bills it to the DME MAC, where the DME supplier MUE table applies. If this is a "
    'supplier\'s claim, mark it so ("dme_supplier": true; a Medicare claim then goes to the '
    "medicare-dme profile) and load the CMS DME supplier MUE file; otherwise remove the line.")


def gy_note(code: str) -> str:
    return (f"Line 1: {code} with GY: its practitioner MUE is 0 (MAI 3, rationale: CMS "
            "Policy), so the line will be denied, which is what GY (a service statutorily "
            "excluded, or no Medicare benefit) asks for: the denial lets the patient or a "
            "secondary payer be billed; nothing to correct.")


def claim_dict(code: str, *mods: str, dx: str = "G47.33", units: int = 1, day: str = DAY,
               **fields: Any) -> dict[str, Any]:
    return {"claim_type": "professional", "payer": "medicare", "place_of_service": "12",
            "patient": {"sex": "F", "birth_date": "1952-05-14"}, "date_of_service": day,
            "diagnoses": [dx], "service_lines": [
                {"procedure_code": code, "units": units, "diagnosis_pointers": [1],
                 "modifiers": list(mods)}], **fields}


def claim(code: str, *mods: str, **kw: Any) -> Claim:
    return Claim.from_dict(claim_dict(code, *mods, **kw))


def found(checker: Checker, c: Claim) -> list[tuple[str, Severity, tuple[Any, ...], str,
                                                    tuple[str, ...]]]:
    return [(f.rule, f.severity, f.location, f.message, f.fix)
            for f in checker.check(c).findings]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    folder = tmp_path_factory.mktemp("dme")
    (folder / "practitioner.csv").write_text(PRACTITIONER)
    (folder / "dme.csv").write_text(DME)
    return (ncci.load_mue(folder / "practitioner.csv", setting="practitioner",
                          effective="2026-04-01"),
            ncci.load_mue(folder / "dme.csv", setting="dme", effective="2026-04-01"))


@pytest.fixture(scope="module")
def both(tables: tuple[Any, Any]) -> Checker:
    return Checker(tables=ncci.TableLibrary(list(tables)), policies=())


@pytest.fixture(scope="module")
def practitioner_only(tables: tuple[Any, Any]) -> Checker:
    return Checker(tables=ncci.TableLibrary([tables[0]]), policies=())


# -- FP1: a DMEPOS supplier's claim ------------------------------------------------------------

def test_a_practitioner_claim_with_a_dmepos_line_says_how_suppliers_bill_it(
        both: Checker) -> None:
    """No dme_supplier: the practitioner table judges it (E0601: 0), and the message names
    the DME MAC and the way to mark a supplier's claim."""
    assert found(both, claim("E0601", "RR", "KX")) == [
        ("MUE_EXCEEDED", Severity.ERROR, ("service_lines", 0, "units"), E0601_PRACTITIONER,
         ())]
    assert both.route(claim("E0601", "RR", "KX")).profile.name == "medicare-professional"


def test_a_supplier_claim_is_judged_by_the_dme_supplier_table(both: Checker) -> None:
    c = claim("E0601", "RR", "KX", dme_supplier=True)
    report = both.check(c)
    assert (report.profile, report.findings, report.not_run) == ("medicare-dme", (), ())
    assert found(both, claim("E0601", "RR", "KX", units=2, dme_supplier=True)) == [
        ("MUE_EXCEEDED", Severity.ERROR, ("service_lines", 0, "units"),
         "Line 1: E0601: 2 units on 2026-05-04 exceed its MUE of 1 per day (MAI 3, "
         "appealable: the units of every line of the code on the date are summed, whatever "
         "their modifiers). To stay within it, bill at most 1 unit on line 1; more units "
         "are paid only on appeal, with the medical records.", ("1",))]
    assert found(both, claim("L3908", "RT", dx="S62.101A", dme_supplier=True)) == []


def test_a_supplier_claim_without_a_dme_table_is_not_run_never_the_practitioner_table(
        practitioner_only: Checker) -> None:
    report = practitioner_only.check(claim("E0601", "RR", "KX", dme_supplier=True))
    assert report.findings == ()
    assert report.not_run == (("MUE_EXCEEDED", (
        "no NCCI DME supplier MUE table covers 2026-05-04: load the quarterly CMS file with "
        "codekit.ncci.load_mue() or --mue FILE, or a directory of them with "
        "codekit.ncci.TableLibrary(directory=...) or --ncci DIR")),)


def test_the_setting_follows_the_claim_under_any_profile(both: Checker) -> None:
    """The claim says it is a supplier's: a profile chosen for every claim, or a commercial
    payer with NCCI on, still uses the DME supplier table (unless the profile names a
    setting, ncci_setting)."""
    c = claim("E0601", "RR", "KX", dme_supplier=True)
    forced = Checker(profile="medicare-professional", tables=both.tables, policies=())
    assert found(forced, c) == []
    commercial = Checker(tables=both.tables, policies=()).profiles["commercial"].evolve(
        name="acme", options={"ncci": True})
    acme = Checker(tables=both.tables, policies=()).with_profile(commercial)
    assert found(acme, claim("E0601", "RR", "KX", payer="acme", dme_supplier=True)) == []
    assert [f.rule for f in acme.check(claim("E0601", "RR", "KX", payer="acme")).findings] \
        == ["MUE_EXCEEDED"]
    practitioner = acme.profiles["acme"].evolve(name="acme-pra",
                                                options={"ncci_setting": "practitioner"})
    assert [f.rule for f in acme.with_profile(practitioner).check(c).findings] == \
        ["MUE_EXCEEDED"]


def test_routing_and_the_dme_profile(both: Checker) -> None:
    """Medicare + dme_supplier -> medicare-dme (the DME setting, no PTP edit: CMS publishes
    no DME supplier PTP table); another payer stays commercial."""
    checker = Checker()
    assert checker.route(claim("E0601", dme_supplier=True)).profile.name == "medicare-dme"
    assert checker.route(claim("E0601", dme_supplier=False)).profile.name == \
        "medicare-professional"
    assert checker.route(claim("E0601", payer="aetna", dme_supplier=True)).profile.name == \
        "commercial"
    dme = checker.profiles["medicare-dme"]
    assert dme.option("ncci_setting") == "dme" and dme.option("ncci") is True
    # and, as medicare-professional, the physical-status modifiers (information only)
    assert dme.disabled == {"NCCI_PTP_CONFLICT", "EM_MINOR_PROC_NO_MOD25",
                            "MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING"}
    two = Claim.from_dict({**claim_dict("E0601", "RR", dme_supplier=True), "service_lines": [
        {"procedure_code": "E0601", "modifiers": ["RR"], "diagnosis_pointers": [1]},
        {"procedure_code": "A7030", "diagnosis_pointers": [1]}]})
    assert [rule for rule, _ in both.check(two).not_run] == []
    # a profile table without medicare-dme (a caller's own): the professional profile,
    # still with the DME setting the claim gives
    own = {k: v for k, v in checker.profiles.items() if k != "medicare-dme"}
    assert Checker(profiles=own).route(claim("E0601", dme_supplier=True)).profile.name == \
        "medicare-professional"


def test_a_dme_ptp_table_that_does_not_exist_is_said_so() -> None:
    lib = ncci.TableLibrary()
    assert lib.why_none("ptp", "dme", "2026-05-04") == (
        "no NCCI DME supplier PTP table covers 2026-05-04: CMS publishes none (the NCCI PTP "
        "edits are for practitioner and outpatient hospital claims; a DME supplier's claim "
        "gets the DME MUE edits), so there is nothing to check; load a table of your own "
        "with setting='dme' to check one")


# -- the claim field through the doors ---------------------------------------------------------

def test_the_claim_field_reads_writes_and_refuses() -> None:
    d = claim_dict("E0601", dme_supplier=True)
    c = Claim.from_dict(d)
    assert c.dme_supplier is True and c.to_dict()["dme_supplier"] is True
    assert Claim.from_dict(c.to_dict()) == c and Claim.from_json(c.to_json()) == c
    assert Claim.from_dict(claim_dict("E0601")).dme_supplier is None
    assert "dme_supplier" not in Claim.from_dict(claim_dict("E0601")).to_dict()
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict(claim_dict("E0601", dme_supplier="yes"))
    assert e.value.problems == ((("dme_supplier",), "must be true or false, got 'yes'"),)
    inst = {**claim_dict("E0601", dme_supplier=True), "claim_type": "institutional",
            "bill_type": "131"}
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_dict(inst)
    assert e.value.problems == ((("dme_supplier",), (
        "is true on an institutional claim: a DMEPOS supplier bills the DME MAC on a "
        "professional claim (837P); give claim_type 'professional', or leave dme_supplier "
        "out")),)
    assert Claim.from_dict({**inst, "dme_supplier": False}).dme_supplier is False


@pytest.mark.parametrize("value", [True, False, None, 1, "true", [True]])
@pytest.mark.parametrize("kind", ["professional", "institutional"])
def test_the_reader_reads_dme_supplier_and_the_fast_path_leaves_it(value: object,
                                                                  kind: str) -> None:
    from codekit.claims import _fast_claim, _Reader

    d = {**claim_dict("E0601"), "claim_type": kind, "dme_supplier": value}
    fast = _fast_claim(d)
    try:
        careful: object = _Reader().claim(d)
    except ClaimFormatError as e:
        careful = e
    assert fast is None  # a rare field: the reader reads it (the fast path never looks)
    if value in (None, False) or (value is True and kind == "professional"):
        assert isinstance(careful, Claim) and careful.dme_supplier is value
    else:
        assert isinstance(careful, ClaimFormatError)
    del d["dme_supplier"]
    assert _fast_claim(d) == _Reader().claim(d)


def test_the_claim_schema_knows_dme_supplier() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import codekit

    schema = jsonschema.Draft202012Validator(codekit.schema("claim"))
    assert schema.is_valid(claim_dict("E0601", dme_supplier=True))
    assert not schema.is_valid(claim_dict("E0601", dme_supplier="yes"))
    inst = {**claim_dict("E0601", dme_supplier=True), "claim_type": "institutional"}
    assert not schema.is_valid(inst)
    assert schema.is_valid({**inst, "dme_supplier": False})


def test_the_fhir_door_carries_dme_supplier() -> None:
    pytest.importorskip("fhir.resources")
    from codekit import fhir

    c = claim("E0601", "RR", dme_supplier=True)
    resource = fhir.from_claim(c)
    assert {"url": "urn:codekit:fhir:dme-supplier", "valueBoolean": True} in \
        resource["extension"]
    (r,) = fhir.read(json.dumps(resource), validate=False)
    assert r.claim == c
    inst = copy.deepcopy(fhir.from_claim(claim("E0601", dme_supplier=False)))
    inst["type"]["coding"][0]["code"] = "institutional"
    for e in inst["extension"]:
        if e["url"] == "urn:codekit:fhir:dme-supplier":
            e["valueBoolean"] = True
    (r,) = fhir.read(json.dumps(inst), validate=False)
    assert r.claim is not None and r.claim.dme_supplier is None
    at = next(i for i, e in enumerate(inst["extension"])
              if e["url"] == "urn:codekit:fhir:dme-supplier")
    assert [(f.rule, f.severity, f.message) for f in r.findings
            if "dme-supplier" in f.message] == [
        ("FHIR_STRUCTURE_INVALID", Severity.WARNING,
         f"Claim.extension[{at}]: urn:codekit:fhir:dme-supplier is true on an institutional "
         "claim: a DMEPOS supplier bills the DME MAC on a professional claim; it is not read")]


def test_the_pandas_door_reads_a_dme_supplier_column() -> None:
    pd = pytest.importorskip("pandas")
    from codekit.pandas import claims_of

    lines = pd.DataFrame({
        "claim_id": ["S1", "S1", "P1"], "payer": "medicare", "sex": "F",
        "birth_date": "1952-05-14", "date_of_service": DAY, "dx1": "G47.33",
        "procedure_code": ["E0601", "A7030", "E0601"], "units": 1,
        "dme_supplier": [True, True, None]})
    got = claims_of(lines)
    assert [c.get("dme_supplier") if isinstance(c, dict) else c for c in got] == [True, None]


def test_spark_and_the_claim_dict_share_the_field_name() -> None:
    from codekit.claims import CLAIM_KEYS

    assert "dme_supplier" in CLAIM_KEYS  # the Spark door's nested and long columns


# -- FP2: MUE 0 with GY ------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "dx"), [("99397", "Z00.00"), ("92015", "H52.13"),
                                          ("99401", "Z71.89")])
def test_mue_0_with_gy_is_a_note_not_an_error(both: Checker, code: str, dx: str) -> None:
    c = claim(code, "GY", dx=dx)
    assert found(both, c) == [
        ("MUE_ZERO_WITH_GY", Severity.INFO, ("service_lines", 0, "modifiers", 0), gy_note(code),
         ())]
    assert both.check(c).ok


@pytest.mark.parametrize("abn", ["GA", "GZ"])
def test_ga_and_gz_keep_the_mue_error(both: Checker, abn: str) -> None:
    assert found(both, claim("99397", abn, dx="Z00.00")) == [
        ("MUE_EXCEEDED", Severity.ERROR, ("service_lines", 0, "units"),
         "Line 1: 1 unit of 99397: its practitioner MUE is 0 (MAI 3, rationale: CMS Policy): "
         "CMS allows no units of 99397 in this setting: Medicare does not cover a routine "
         "preventive visit (SSA §1862(a)(7); Benefit Policy Manual ch.16 §90). Its own are "
         "the initial preventive physical examination (G0402, in the first 12 months of Part "
         "B) and the annual wellness visit (G0438 the first, G0439 after; Claims Processing "
         "Manual ch.18 §80, §140): bill the one furnished in place of 99397, or bill 99397 "
         "with GY (statutorily excluded) for the denial, so that the patient or a secondary "
         f"payer pays; otherwise remove the line. {abn} does not change this: an MUE denial "
         "is a coding denial, for which an ABN shifts no liability to the patient; a service "
         "Medicare excludes by statute, billed for the denial, takes GY.", ())]


def test_gy_on_a_code_with_an_mue_above_0_is_not_the_note(both: Checker) -> None:
    assert found(both, claim("99213", "GY", dx="I10")) == []
    assert [f.rule for f in both.check(claim("99213", "GY", dx="I10", units=2)).findings] \
        == ["MUE_EXCEEDED"]


def test_gy_without_an_mue_table_is_not_run() -> None:
    report = Checker(policies=()).check(claim("99397", "GY", dx="Z00.00"))
    assert report.findings == ()
    assert [rule for rule, _ in report.not_run] == ["MUE_EXCEEDED", "MUE_ZERO_WITH_GY"]


# -- the review's reproducers on the CMS files (../shared) --------------------------------------

@pytest.fixture(scope="module")
def cms() -> dict[str, Any]:
    def load(*parts: str) -> Any:
        return ncci.load_mue(reference(*parts))

    return {"mue24": load("northstar_2024q3", "ncci_mue_practitioner_2024q3.csv"),
            "mue26": load("ncci_mue_2026q2", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"),
            "dme24": load("northstar_2024q3", "ncci_mue_dme_supplier_2024q3.csv"),
            "dme26": load("ncci_mue_2026q2", "MCR_MUE_DMESupplierServices_Eff_04-01-2026.csv")}


#: (L1833 carries its side: without RT or LT a supplier's claim gets MOD_DME_SIDE_MISSING)
RED_TEAM_DME = [("E0601", ("RR", "KX"), "G47.33"), ("L3908", ("RT",), "S62.101A"),
                ("A4253", ("KX",), "E11.9"), ("L1833", ("RT",), "M17.11"), ("E0114", (), "M17.11")]


@pytest.mark.parametrize(("code", "mods", "dx"), RED_TEAM_DME)
def test_red_team_dmepos_lines_on_the_cms_tables(cms: dict[str, Any], code: str,
                                                 mods: tuple[str, ...], dx: str) -> None:
    """FP1 as the review ran it: the practitioner MUE of 2024Q3 and 2026-04-01 loaded,
    2025-06-10 (answered by 2024Q3, past its quarter), then the DME supplier file added."""
    day = "2025-06-10"
    loaded = Checker(tables=ncci.TableLibrary([cms["mue24"], cms["mue26"]]), policies=())
    message = E0601_PRACTITIONER.replace("E0601", code)
    assert found(loaded, claim(code, *mods, dx=dx, day=day)) == [
        ("MUE_EXCEEDED", Severity.ERROR, ("service_lines", 0, "units"), message, ())]
    with_dme = Checker(tables=ncci.TableLibrary(
        [cms["mue24"], cms["mue26"], cms["dme26"]]), policies=())
    # the review's library: a supplier's claim of 2025 has no DME table (2026-04-01 on)
    report = with_dme.check(claim(code, *mods, dx=dx, day=day, dme_supplier=True))
    assert (report.profile, report.findings) == ("medicare-dme", ())
    assert report.not_run == (("MUE_EXCEEDED", (
        "no NCCI DME supplier MUE table covers 2025-06-10: the first one loaded takes effect "
        "on 2026-04-01")),)
    every = Checker(tables=ncci.TableLibrary(list(cms.values())), policies=())
    report = every.check(claim(code, *mods, dx=dx, day=day, dme_supplier=True))
    assert (report.findings, report.not_run) == ((), ())
    assert [n.code for n in report.notices] == ["NCCI_TABLE_PAST_QUARTER"]
    assert every.check(claim(code, *mods, dx=dx, dme_supplier=True)).findings == ()


@pytest.mark.parametrize(("code", "dx"), [("99397", "Z00.00"), ("92015", "H52.13"),
                                          ("99401", "Z71.89")])
def test_red_team_gy_lines_on_the_cms_tables(cms: dict[str, Any], code: str, dx: str) -> None:
    loaded = Checker(tables=ncci.TableLibrary([cms["mue24"], cms["mue26"]]), policies=())
    c = claim(code, "GY", dx=dx, day="2025-06-10")
    c = Claim.from_dict({**c.to_dict(), "place_of_service": "11"})
    assert found(loaded, c) == [
        ("MUE_ZERO_WITH_GY", Severity.INFO, ("service_lines", 0, "modifiers", 0),
         gy_note(code), ())]


def test_the_red_team_fp1_claim_as_written(cms: dict[str, Any]) -> None:
    """The FP1 claim JSON of the report, and the same with "dme_supplier": true."""
    text = ('{"claim_type":"professional","payer":"medicare","place_of_service":"12",'
            '"patient":{"sex":"F","birth_date":"1952-05-14"},"date_of_service":"2025-06-10",'
            '"diagnoses":["G47.33"],"service_lines":[{"procedure_code":"E0601","units":1,'
            '"diagnosis_pointers":[1],"modifiers":["RR","KX"]}]}')
    lib = ncci.TableLibrary(list(cms.values()))
    checker = Checker(tables=lib, policies=())
    assert [f.message for f in checker.check(Claim.from_json(text)).findings] == \
        [E0601_PRACTITIONER]
    supplier = Claim.from_json(text[:-1] + ',"dme_supplier":true}')
    assert checker.check(supplier).findings == ()


def test_the_x12_reader_leaves_the_field_unset(tmp_path: Path) -> None:
    """An 837P says nothing certain about a DME MAC: the reader never sets it."""
    from codekit import x12

    d = claim_dict("E0601", "RR", dme_supplier=True, claim_id="D1", total_charge=90)
    d["patient"] = {**d["patient"], "id": "MBR1", "name": "Doe, Ann"}
    d["service_lines"][0]["charge"] = 90
    text = x12.write_837([Claim.from_dict(d)])
    path = tmp_path / "c.837"
    path.write_text(text)
    (record,) = list(x12.read_claims(path))
    assert record.claim is not None and record.claim.dme_supplier is None
