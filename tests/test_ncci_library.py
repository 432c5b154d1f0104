"""NCCI tables by setting and quarter, payer routing, and the edit semantics of issue 10.

The NCCI files are the CMS July 2024 practitioner and outpatient hospital extracts in
``../shared`` (skipped when absent); the claims use real codes and dates.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, CheckerError, Claim, DataError, InvalidArgument, ncci, procedure
from codekit.rules import PayerRouting
from tests.claims_gen import loaded_mpfs
from tests.conftest import reference

D = dt.date
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    folder = reference("northstar_2024q3")
    return {
        "ptp": ncci.load_ptp(folder / "ncci_ptp_practitioner_2024q3.csv.gz"),
        "mue": ncci.load_mue(folder / "ncci_mue_practitioner_2024q3.csv"),
        "mue_op": ncci.load_mue(folder / "ncci_mue_outpatient_hospital_2024q3.csv"),
    }


@pytest.fixture(scope="module")
def library(tables: dict[str, Any]) -> ncci.TableLibrary:
    return ncci.TableLibrary([tables["ptp"], tables["mue"], tables["mue_op"]])


def claim(lines: list[dict[str, Any]], *, institutional: bool = False,
          day: str = "2024-08-01", dx: tuple[str, ...] = ("M16.11",), **extra: Any) -> Claim:
    d: dict[str, Any] = {
        "claim_type": "institutional" if institutional else "professional",
        "payer": "medicare", "patient": {"sex": "F", "birth_date": "1950-02-01"},
        "date_of_service": day, "diagnoses": list(dx),
        "service_lines": [{"units": 1, "diagnosis_pointers": [1], **ln} for ln in lines],
        **extra}
    if institutional:
        d["bill_type"] = "131"
    return Claim.from_dict(d)


def rules(report: Any) -> list[str]:
    return [f.rule for f in report.findings]


def test_tables_know_their_setting_and_quarter(library: ncci.TableLibrary) -> None:
    kinds = {(k, s): (a, b) for k, s, a, b, _ in library.entries}
    q3 = (D(2024, 7, 1), D(2024, 9, 30))
    assert kinds[("ptp", "practitioner")] == q3
    assert kinds[("mue", "practitioner")] == kinds[("mue", "hospital")] == q3
    assert kinds[("ptp", "hospital")] == (D(2019, 7, 1), D(2026, 6, 30))  # bundled (IOCE)
    back = pickle.loads(pickle.dumps(library))
    assert back.entries == library.entries


def test_a_practitioner_ptp_is_never_applied_to_an_outpatient_claim(
        library: ncci.TableLibrary) -> None:
    """00100 + 36010-59: practitioner modifier indicator 0, hospital indicator 1."""
    checker = Checker(tables=library, policies=())
    lines = [{"procedure_code": "00100"}, {"procedure_code": "36010", "modifiers": ["59"]}]
    prof = checker.check(claim(lines, dx=("I10",)))
    (f,) = [f for f in prof.findings if f.rule == "NCCI_PTP_CONFLICT"]
    assert f.codes == ("00100", "36010") and "practitioner PTP" in f.message
    assert "NCCI_PTP_CONFLICT" not in rules(checker.check(claim(lines, institutional=True,
                                                                dx=("I10",))))


def test_each_setting_gets_its_own_mue(library: ncci.TableLibrary) -> None:
    """11043 + 11046 x 8: the outpatient MUE of 11046 is 4 (MAI 3), the practitioner 10."""
    checker = Checker(tables=library, policies=())
    lines = [{"procedure_code": "11043"}, {"procedure_code": "11046", "units": 8}]
    op = checker.check(claim(lines, institutional=True, dx=("L97.412",)))
    (f,) = [f for f in op.findings if f.rule == "MUE_EXCEEDED"]
    assert f.location == ("service_lines", 1, "units") and f.fix == ("4",)
    assert "MUE_EXCEEDED" not in rules(checker.check(claim(lines, dx=("L97.412",))))


@pytest.mark.parametrize("institutional", [False, True])
def test_an_ncci_modifier_on_the_column_1_line_bypasses(library: ncci.TableLibrary,
                                                        institutional: bool) -> None:
    """11042-59 + 97597 (indicator 1): the I/OCE accepts the modifier on either line."""
    checker = Checker(tables=library, policies=())
    lines = [{"procedure_code": "11042", "modifiers": ["59"]}, {"procedure_code": "97597"}]
    assert "NCCI_PTP_CONFLICT" not in rules(checker.check(
        claim(lines, institutional=institutional, dx=("L97.412",))))
    plain = [{"procedure_code": "11042"}, {"procedure_code": "97597"}]
    assert "NCCI_PTP_CONFLICT" in rules(checker.check(
        claim(plain, institutional=institutional, dx=("L97.412",))))


def test_modifier_57_with_a_major_surgery(library: ncci.TableLibrary) -> None:
    """99223-57 + 27130-RT (PTP 27130/99223, indicator 1): 57 is right, nothing to say."""
    checker = Checker(tables=library, policies=())
    lines = [{"procedure_code": "99223", "modifiers": ["57"]},
             {"procedure_code": "27130", "modifiers": ["RT"]}]
    report = checker.check(claim(lines))
    assert not {"EM_MINOR_PROC_NO_MOD25", "NCCI_PTP_CONFLICT"} & set(rules(report))
    # without 57 or 25 (and no MPFS file): told to use 25 or 57
    bare = checker.check(claim([{"procedure_code": "99223"}, lines[1]]))
    (f,) = [f for f in bare.findings if f.rule == "EM_MINOR_PROC_NO_MOD25"]
    assert f.fix == ("25", "57") and "57" in f.message


@pytest.fixture
def mpfs(tmp_path: Path) -> Any:
    """An MPFS RVU extract in the CMS layout: 20610 is a minor procedure (000 global days),
    27130 a major one (090); descriptions blank (CPT text is not ours to write)."""
    yield from loaded_mpfs(
        tmp_path / "PPRRVU24_JUL.csv",
        "Medicare physician fee schedule, relative value file (test extract)\n"
        "HCPCS,MOD,DESCRIPTION,CODE,PAYMENT,GLOB DAYS\n"
        "20610,,,A,,000\n27130,,,A,,090\n27130,62,,A,,090\n99223,,,A,,XXX\n")


def test_global_days_tell_25_from_57(library: ncci.TableLibrary, mpfs: Any) -> None:
    assert procedure.validate("27130", on="2024-08-01").global_days == "090"
    checker = Checker(tables=library, policies=())
    major = checker.check(claim([{"procedure_code": "99223"},
                                 {"procedure_code": "27130", "modifiers": ["RT"]}]))
    (f,) = major.findings  # the PTP edit, which names 57; no E/M-with-25 finding
    assert (f.rule, f.fix) == ("NCCI_PTP_CONFLICT", ("57",)) and "57" in f.message
    minor = [{"procedure_code": "99213", "modifiers": ["57"]},
             {"procedure_code": "20610", "modifiers": ["RT"]}]
    report = checker.check(claim(minor, dx=("M17.11",)))
    (f,) = [f for f in report.findings if f.rule == "EM_MINOR_PROC_NO_MOD25"]
    assert f.fix == ("25",) and "minor procedure (000 global days)" in f.message


def test_a_date_past_the_last_quarter_is_said(library: ncci.TableLibrary,
                                              tables: dict[str, Any]) -> None:
    lines = [{"procedure_code": "00100"}, {"procedure_code": "36010", "modifiers": ["59"]}]
    late = claim(lines, day="2025-11-03", dx=("I10",))
    report = Checker(tables=library, policies=()).check(late)
    assert "NCCI_PTP_CONFLICT" in rules(report)
    (n,) = [n for n in report.notices if n.code == "NCCI_TABLE_PAST_QUARTER" and
            "PTP" in n.message]
    assert "2025-11-03" in n.message and "2024-09-30" in n.message
    # the library remembers the table of a date: a second claim of the date still gets
    # the edit and the notice
    again = Checker(tables=library, policies=()).check(late)
    assert "NCCI_PTP_CONFLICT" in rules(again) and again.notices == report.notices
    strict = ncci.TableLibrary([tables["ptp"]], extrapolate=False)
    report = Checker(tables=strict, policies=()).check(late)
    assert "NCCI_PTP_CONFLICT" not in rules(report)
    assert "last one loaded ends on 2024-09-30" in dict(report.not_run)["NCCI_PTP_CONFLICT"]
    early = Checker(tables=library, policies=()).check(claim(lines, day="2024-05-01",
                                                             dx=("I10",)))
    assert "first one loaded takes effect on 2024-07-01" in \
        dict(early.not_run)["NCCI_PTP_CONFLICT"]


def test_a_directory_of_cms_files(tmp_path: Path) -> None:
    for f in reference("ncci_mue_2026q2").iterdir():
        (tmp_path / f.name).symlink_to(f)
    lib = ncci.TableLibrary(directory=tmp_path, bundled=False)
    assert sorted((k, s, a) for k, s, a, _, _ in lib.entries) == [
        ("mue", "dme", D(2026, 4, 1)), ("mue", "hospital", D(2026, 4, 1)),
        ("mue", "practitioner", D(2026, 4, 1))]
    table, note = lib.mue("hospital", D(2026, 5, 1))
    assert note is None and table.setting == "hospital" and table.get("11046").units == 4
    assert pickle.loads(pickle.dumps(lib)).mue("dme", D(2026, 5, 1))[0] is not None


def test_a_quarter_missing_from_a_directory_is_said(tmp_path: Path) -> None:
    """A folder's file covers its own quarter: with the 2024 Q3 and 2026 Q2 practitioner
    MUE files only, a claim of 2025-06-02 is judged by the 2024 Q3 values with the notice
    NCCI_TABLE_PAST_QUARTER (the file's end was stretched to 2026-03-31, and the claim got
    no word); with extrapolate=False the edit is not run, and the reason names the gap."""
    for f in (reference("northstar_2024q3", "ncci_mue_practitioner_2024q3.csv"),
              reference("ncci_mue_2026q2", "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv")):
        (tmp_path / f.name).symlink_to(f)
    lib = ncci.TableLibrary(directory=tmp_path, bundled=False)
    assert [(s, a, b) for _, s, a, b, _ in lib.entries] == [
        ("practitioner", D(2024, 7, 1), D(2024, 9, 30)),
        ("practitioner", D(2026, 4, 1), D(2026, 6, 30))]
    assert lib.mue("practitioner", D(2024, 9, 30))[1] is None
    gap = claim([{"procedure_code": "20610", "modifiers": ["RT"], "units": 3}],
                day="2025-06-02", dx=("M17.11",))
    report = Checker(tables=lib, policies=()).check(gap)
    assert rules(report) == ["MUE_EXCEEDED"]  # 2 units a day in 2024 Q3
    assert [(n.code, n.message) for n in report.notices] == [(
        "NCCI_TABLE_PAST_QUARTER", "the NCCI practitioner MUE table "
        "(ncci_mue_practitioner_2024q3.csv, 2024-07-01 to 2024-09-30) answers for "
        "2025-06-02, after its last quarter: load the CMS file of the quarter of the date "
        "of service")]
    strict = ncci.TableLibrary(directory=tmp_path, bundled=False, extrapolate=False)
    report = Checker(tables=strict, policies=()).check(gap)
    assert rules(report) == [] and report.notices == ()
    assert dict(report.not_run)["MUE_EXCEEDED"] == (
        "no NCCI practitioner MUE table covers 2025-06-02: the one before it ends on "
        "2024-09-30 and the next takes effect on 2026-04-01; load the quarterly CMS file of "
        "that date with codekit.ncci.load_mue() or --mue FILE")


def test_a_directory_given_by_a_relative_path_is_found_after_a_chdir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files of TableLibrary(directory="ncci") are opened on first use, in the calling
    process or in a spawned worker of check_many, by the path the directory was given
    by: after an os.chdir the first MUE look-up was DataError "no such file:
    ncci/mue_practitioner_2026q2.csv" (which ends a batch), or another folder's file of
    that name. The directory is the one named when the library was made."""
    here, there = tmp_path / "here", tmp_path / "there"
    for folder, units in ((here, 1), (there, 9)):
        (folder / "ncci").mkdir(parents=True)
        (folder / "ncci" / "mue_practitioner_2026q2.csv").write_text(
            f"code,mue,mai\n17000,{units},2\n")
    monkeypatch.chdir(here)
    lib = ncci.TableLibrary(directory="ncci", bundled=False)
    monkeypatch.chdir(there)
    for library in (lib, pickle.loads(pickle.dumps(lib))):
        assert library.mue("practitioner", D(2026, 5, 1))[0].get("17000").units == 1


def test_a_table_opened_from_a_user_ckt_file_is_opened_again_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PTP or add-on table opened from a .ckt file the user saved pickled as the path it
    was opened by, opened again in a spawned worker of check_many: after an os.chdir the
    worker found no file ("no such file") or another one, and a file saved again since
    gave it another table than the caller's. It is opened again by its absolute path and
    must be the content opened (the header's section digests), else a DataError names
    the file."""
    ptp = tmp_path / "ptp.csv"
    ptp.write_text("column_1,column_2,deletion_date,modifier_indicator\n20610,99213,,1\n")
    addon = tmp_path / "aoc.csv"
    addon.write_text("addon,primary,type\n99292,99291,1\n")
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    monkeypatch.chdir(here)
    ncci.load_ptp(ptp, setting="practitioner").save("ptp.ckt")
    ncci.load_addon(addon).save("aoc.ckt")
    tables = [ncci.load_ptp("ptp.ckt"), ncci.load_addon("aoc.ckt")]
    sent = [pickle.dumps(t) for t in tables]
    assert max(map(len, sent)) < 1000  # by path, not rows
    monkeypatch.chdir(there)
    again = [pickle.loads(s) for s in sent]
    assert again[0].indicator("20610", "99213", on="2025-06-01") == 1
    assert again[1].get("99292", on="2025-06-01").primaries == frozenset({"99291"})
    ptp.write_text("column_1,column_2,deletion_date,modifier_indicator\n20610,99213,,0\n")
    ncci.load_ptp(ptp, setting="practitioner").save(here / "ptp.ckt")  # saved again
    addon.write_text("addon,primary,type\n99292,99291,2\n")
    ncci.load_addon(addon).save(here / "aoc.ckt")
    for name, s in zip(("ptp.ckt", "aoc.ckt"), sent, strict=True):
        with pytest.raises(DataError, match=re.escape(
                f"{here / name}: not the table that was opened (changed or replaced "
                "since): its content id is now ")):
            pickle.loads(s)
    # a spawned worker given a checker with such a table: said as a file changed, with
    # its hint (not as a custom rule to define at the top level of a module)
    from codekit import batch

    started: list[Any] = []
    monkeypatch.setattr(batch, "_init_worker", lambda *args: started.append(args[0]))
    batch._init_sent(pickle.dumps((Checker(ptp=tables[0], policies=()), None)))
    error = batch._unsendable("spawn", started[0].why, data=started[0].data)
    assert str(error).startswith(
        "check_many(processes=N): this checker cannot be sent to worker processes (start "
        f"method 'spawn'): DataError: {here / 'ptp.ckt'}: not the table that was opened")
    assert str(error).endswith("; keep the files where they were loaded from, unchanged, "
                               "until the batch ends, or check with processes=1")


def test_an_undated_table_of_unknown_setting_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "ptp.csv"
    f.write_text("column_1,column_2,deletion_date,modifier_indicator\n20610,99213,,1\n")
    with pytest.raises(InvalidArgument, match="setting"):
        Checker(ptp=ncci.load_ptp(f)).library()


# -- payer routing ---------------------------------------------------------------------------


@pytest.mark.parametrize(("payer", "indicator", "profile"), [
    ("Medicare Part B", None, "medicare-professional"),
    ("MCR", None, "medicare-professional"),
    ("", "MB", "medicare-professional"),
    ("Aetna", "CI", "commercial"),
    ("Some Medicaid plan", "MC", "commercial"),
])
def test_payers_are_routed(payer: str, indicator: str | None, profile: str) -> None:
    c = claim([{"procedure_code": "99213"}], dx=("I10",), payer=payer,
              **({"filing_indicator": indicator} if indicator else {}))
    report = Checker().check(c)
    assert report.profile == profile
    assert not [n for n in report.notices if n.code == "PAYER_UNROUTED"]


def test_an_unknown_payer_is_said_never_silent() -> None:
    c = claim([{"procedure_code": "99213"}], dx=("I10",), payer="Acme Health")
    report = Checker().check(c)
    assert report.profile == "commercial"
    (n,) = report.notices
    assert n.code == "PAYER_UNROUTED" and "'acme health'" in n.message
    strict = Checker(routing=PayerRouting(strict=True)).check(c)
    assert [f.rule for f in strict.errors] == ["PAYER_UNKNOWN"]
    routed = Checker(routing=PayerRouting(names={"Acme Health": "medicare"})).check(c)
    assert routed.profile == "medicare-professional" and not routed.notices


def test_the_command_line_routes_payers(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A nightly ``codekit check`` (or ``codekit serve``) had no way to route a payer:
    "Noridian Medicare", a Medicare contractor's name as an EHR sends it, was checked as
    commercial without the Medicare edits and policies, and the notice said to "add it
    to the checker's PayerRouting", which only Python could. ``--route-payer``,
    ``--route-filing-indicator`` and ``--strict-routing`` make the routing, and the
    notice names them."""
    from codekit.cli import main

    src = tmp_path / "claim.json"
    src.write_text(json.dumps({
        "claim_id": "N-1", "claim_type": "professional", "payer": "Noridian Medicare",
        "patient": {"sex": "F", "birth_date": "1951-04-12"}, "date_of_service": "2025-11-03",
        "diagnoses": ["I10"], "service_lines": [
            {"procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}]}))

    def checked(*options: str) -> tuple[int, dict[str, Any]]:
        status = main(["check", str(src), "--format", "json", *options])
        return status, json.loads(capsys.readouterr().out)

    status, report = checked()
    assert (status, report["profile"]) == (0, "commercial")
    assert report["notices"][0]["message"].endswith(
        "add it to the checker's PayerRouting (codekit check and serve: --route-payer "
        "NAME=FAMILY) to choose")
    status, report = checked("--route-payer", "Noridian Medicare=medicare")
    assert (status, report["profile"], report["notices"]) == (0, "medicare-professional", [])
    status, report = checked("--strict-routing")
    assert status == 2 and [f["rule"] for f in report["findings"]] == ["PAYER_UNKNOWN"]
    assert "--route-payer or --route-filing-indicator" in report["findings"][0]["message"]
    src.write_text(src.read_text().replace('"Noridian Medicare"', '"Humana Gold Plus", '
                                           '"filing_indicator": "16"'))
    assert checked()[1]["profile"] == "commercial"  # Medicare Advantage: a private plan
    assert checked("--route-filing-indicator", "16=medicare")[1]["profile"] == \
        "medicare-professional"
    with pytest.raises(SystemExit) as ended:
        main(["check", str(src), "--route-payer", "medicare"])
    assert ended.value.code == 3
    assert "argument --route-payer: expected NAME=TARGET" in capsys.readouterr().err


def test_an_ncci_folder_the_command_reads_no_table_from_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit check --ncci DIR`` (and ``codekit serve``) with a folder holding no NCCI
    file -- the claims' folder, an empty one, or the folder above the quarter's files --
    ran as if no option were given: every claim's NCCI edits "not run", the mistake said
    nowhere (``TableLibrary.skipped`` listed the files, which the command never shows).
    It is exit 3 naming the option and what was skipped; a folder that is none was
    "directory='...': not a directory", the Python keyword, not the option."""
    from codekit.cli import main

    knee = str(ROOT / "docs" / "examples" / "knee_injection.json")
    quarter = tmp_path / "ncci" / "2025q4"
    quarter.mkdir(parents=True)
    # rows of the CMS practitioner MUE file (MCR_MUE_PractitionerServices)
    (quarter / "MCR_MUE_PractitionerServices_Eff_10-01-2025.csv").write_text(
        "code,mue,mai,rationale\n99213,1,2,Code Descriptor / CPT Instruction\n")
    (tmp_path / "empty").mkdir()
    said = {
        str(tmp_path / "none"): "not a directory",
        str(ROOT / "docs" / "examples"): "no CMS NCCI file in this folder (PTP, MUE and "
        "add-on files are told by their names, directly in the folder); skipped claims.837: "
        "not an NCCI file name: a name holds the word ptp (or is a CMS ccipra-/ccioph- "
        "part), mue, or aoc/addon; claims.json: ",
        str(tmp_path / "empty"): "no CMS NCCI file in this folder (PTP, MUE and add-on files "
        "are told by their names, directly in the folder): it is empty",
        str(tmp_path / "ncci"): "no CMS NCCI file in this folder (PTP, MUE and add-on files "
        "are told by their names, directly in the folder); skipped 2025q4/: not a file: "
        "only the files directly in the directory are read"}
    for folder, why in said.items():
        assert main(["check", knee, "--ncci", folder, "--quiet"]) == 3
        assert capsys.readouterr().err.startswith(f"codekit: --ncci {folder}: {why}")
    assert main(["check", knee, "--ncci", str(quarter), "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert "MUE_EXCEEDED" not in [n["rule"] for n in report["not_run"]]  # the table judged


def test_a_claim_without_a_payer_is_told_so_not_named_unknown() -> None:
    # a claim dict without "payer" was told "payer 'unknown' is in no payer routing", as
    # if its payer were named "unknown"
    c = claim([{"procedure_code": "99213"}], dx=("I10",), payer="")
    (n,) = Checker().check(c).notices
    assert (n.code, n.location, n.message) == (
        "PAYER_UNROUTED", ("payer",), "the claim names no payer nor X12 filing indicator: "
        "checked as commercial (commercial); give its payer (or X12 filing indicator) to "
        "choose its profile")
    (f,) = Checker(routing=PayerRouting(strict=True)).check(c).errors
    assert (f.rule, f.message) == ("PAYER_UNKNOWN", "the claim names no payer nor X12 "
                                   "filing indicator: give its payer (or X12 filing "
                                   "indicator) to choose its profile")


def test_a_profile_for_837i_claims_given_a_professional_claim_says_so() -> None:
    # Checker(profile="medicare-inpatient") on an 837P claim reported OK with nothing
    # said: none of its edits for institutional claims could apply
    c = claim([{"procedure_code": "99213"}], dx=("I10",))
    for name, kind in (("medicare-inpatient", "hospital inpatient"),
                       ("medicare-outpatient", "outpatient")):
        report = Checker(profile=name).check(c)
        assert [(n.code, n.location) for n in report.notices] == [
            ("PROFILE_CLAIM_MISMATCH", ("claim_type",))]
        assert report.notices[0].message == (
            f"the profile {name} judges {kind} 837I claims, and this is a professional "
            "claim: its edits for institutional claims do not apply to it, and the edits of a "
            "professional profile may differ; check it under medicare-professional or "
            "commercial")
    for name in ("medicare-professional", "commercial"):
        assert Checker(profile=name).check(c).notices == ()
    # routed by its payer, a claim gets the profile of its kind: nothing to say
    assert Checker().check(c).notices == ()


@pytest.mark.parametrize(("bill_type", "said"), [
    ("211", True), ("0181", True), ("411", True), ("0131", False), ("851", False),
    ("322", False), ("111", False), (None, False)])
def test_a_type_of_bill_no_cms_editor_takes_is_said(bill_type: str | None,
                                                    said: bool) -> None:
    """A Medicare SNF (21x), swing-bed (18x) or religious nonmedical (41x) claim went to
    medicare-outpatient, the I/OCE's edits, without a word: CMS runs neither the MCE nor
    the I/OCE on those types of bill."""
    c = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "date_of_service": "2025-11-03",
        **({"bill_type": bill_type} if bill_type else {}),
        "statement_period": ["2025-11-01", "2025-11-03"], "admission_date": "2025-11-01",
        "patient": {"sex": "F", "birth_date": "1950-01-01"},
        "diagnoses": [{"code": "I10", "poa": "Y"}],
        "service_lines": [{"procedure_code": "", "revenue_code": "0120", "units": 3}]})
    report = Checker().check(c)
    notices = [(n.code, n.location) for n in report.notices]
    assert notices == ([("BILL_TYPE_NOT_EDITED_BY_CMS", ("bill_type",))] if said else [])
    if said:
        assert report.notices[0].message.startswith(
            f"type of bill {bill_type}: CMS runs neither the MCE (11x) nor the I/OCE")


def test_medicare_policies_follow_the_routing() -> None:
    """A Medicare coverage policy applies to a claim whose payer says 'Medicare Part B'."""
    lines = [{"procedure_code": "98941", "modifiers": ["AT"], "diagnosis_pointers": [1]}]
    for payer in ("medicare", "Medicare Part B"):
        c = claim(lines, day="2025-11-03", dx=("M54.50",), payer=payer)
        assert "MED_NECESSITY_DX_NOT_COVERED" in rules(Checker().check(c)), payer


# -- what a directory holds besides NCCI tables -------------------------------------------------


MUE_CSV = "code,mue,mai\n99213,1,3\n36415,2,2\n"
PTP_CSV = ("column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
           "99213,36415,2020-01-01,*,1\n")


def test_a_directory_says_what_it_does_not_read(tmp_path: Path) -> None:
    """Files that are not NCCI tables, folders and tables replaced by another of the same
    kind, setting and first day are listed in ``skipped`` and the repr, never dropped
    without a word."""
    (tmp_path / "mue_practitioner_2025q4.csv").write_text(MUE_CSV)
    (tmp_path / "practitioner_edits_2025q4.csv").write_text(MUE_CSV)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mue_practitioner_2026q1.csv").write_text(MUE_CSV)
    (tmp_path / "ptp_practitioner_a.csv").write_text(PTP_CSV)
    (tmp_path / "ptp_practitioner_b.csv").write_text(PTP_CSV)
    lib = ncci.TableLibrary(directory=tmp_path, bundled=False)
    assert [(k, s, a) for k, s, a, _, _ in lib.entries] == [
        ("mue", "practitioner", D(2025, 10, 1)), ("ptp", "practitioner", None)]
    assert [name for name, _ in lib.skipped] == [
        "practitioner_edits_2025q4.csv", "sub/", "ptp_practitioner_a.csv"]
    assert "not an NCCI file name" in lib.skipped[0][1]
    assert "replaced by ptp_practitioner_b.csv" in lib.skipped[2][1]
    assert "skipped sub/" in repr(lib) and "skipped practitioner_edits_2025q4.csv" in repr(lib)
    assert pickle.loads(pickle.dumps(lib)).skipped == lib.skipped


def test_a_checker_refuses_tables_that_are_not_tables(tmp_path: Path) -> None:
    """A folder's path as ``tables`` (what ``--ncci DIR`` takes) was accepted, and then
    every claim's check failed on it (``AttributeError: 'str' object has no attribute
    'table'``, each claim of a batch a CLAIM_CHECK_FAILED): a CheckerError when made, as
    for ``routing`` and ``limits``."""
    (tmp_path / "mue_practitioner_2025q4.csv").write_text(MUE_CSV)
    with pytest.raises(CheckerError, match=re.escape(
            f"tables={str(tmp_path)!r}: expected a TableLibrary "
            "(codekit.ncci.TableLibrary(directory=...)) or None")):
        Checker(tables=str(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(CheckerError, match=re.escape(
            "mue='mue_practitioner_2025q4.csv': expected a MueTable "
            "(codekit.ncci.load_mue(path)) or None")):
        Checker(mue="mue_practitioner_2025q4.csv")  # type: ignore[arg-type]
    mue = ncci.load_mue(tmp_path / "mue_practitioner_2025q4.csv")
    with pytest.raises(CheckerError, match=r"ptp=<MueTable.*: expected a PtpTable"):
        Checker(ptp=mue)  # type: ignore[arg-type]
    library = ncci.TableLibrary(directory=tmp_path, bundled=False)
    c = claim([{"procedure_code": "99213", "units": 2, "diagnosis_pointers": [1]}],
              day="2025-11-03", dx=("I10",))
    assert rules(Checker(tables=library, policies=()).check(c)) == ["MUE_EXCEEDED"]
    assert rules(Checker(mue=mue, policies=()).check(c)) == ["MUE_EXCEEDED"]


def test_setting_words_are_whole_words_of_the_name(tmp_path: Path) -> None:
    """readme_mue.txt holds no setting (its 'dme' is inside 'readme'): said, not guessed."""
    (tmp_path / "readme_mue.txt").write_text("x\n")
    with pytest.raises(DataError, match=r"readme_mue\.txt: cannot tell the setting"):
        ncci.TableLibrary(directory=tmp_path, bundled=False)


@pytest.mark.parametrize(("name", "match"), [
    ("mue_practitioner_nodate.csv", "says no effective date"),
    ("mue_practitioner_2019q5.csv", r"\(2019q5\) is not a quarter"),
    ("MCR_MUE_PractitionerServices_Eff_13-01-2026.csv", r"\(Eff_13-01-2026\) is not a date"),
])
def test_an_mue_file_without_a_quarter_is_refused(tmp_path: Path, name: str,
                                                  match: str) -> None:
    """An undated MUE table would answer for every date (a claim of 2019 got MUE_EXCEEDED
    from it, with no notice): the library refuses it, naming the file."""
    (tmp_path / name).write_text(MUE_CSV)
    with pytest.raises(DataError, match=match):
        ncci.TableLibrary(directory=tmp_path)


def test_a_table_that_names_no_quarter_is_said_on_the_claims_it_answers(
        tmp_path: Path) -> None:
    """An undated PTP table (a file whose name has no quarter) covers every date by its
    rows' own dates: it answered silently; now each claim it answers says so."""
    path = tmp_path / "ptp_practitioner.csv"
    path.write_text("column_1,column_2,effective_date,deletion_date,modifier_indicator,"
                    "rationale\n20610,99213,2020-01-01,*,1,x\n")
    claim = Claim.from_json((Path(__file__).parent.parent / "docs" / "examples" /
                             "knee_injection.json").read_text())
    report = Checker(ptp=ncci.load_ptp(path)).check(claim)
    (notice,) = [n for n in report.notices if n.code == "NCCI_TABLE_PAST_QUARTER"]
    assert notice.message.startswith(
        "the NCCI practitioner PTP table (ptp_practitioner.csv) names no quarter: its rows' "
        "own dates were read for 2025-11-03, but edits CMS added after the file was made "
        "are not in it")
    dated = tmp_path / "ptp_practitioner_2025q4.csv"
    dated.write_text(path.read_text())
    report = Checker(ptp=ncci.load_ptp(dated)).check(claim)
    assert not [n for n in report.notices if n.code == "NCCI_TABLE_PAST_QUARTER"]


@pytest.mark.parametrize("day", [D(1900, 1, 1), D(2019, 6, 30), D(2019, 7, 1), D(2025, 11, 3),
                                 D(2026, 6, 30), D(2026, 7, 1), D(9999, 12, 31)])
def test_a_table_covers_the_dates_the_library_answers_without_a_note(
        tmp_path: Path, day: dt.date) -> None:
    """``covers(on=)`` agrees with the library: a date the table covers is answered
    without a note; any other is not run (before it) or answered with the note of the
    notice NCCI_TABLE_PAST_QUARTER (after it, or every date for a file that names no
    quarter)."""
    rows = ("column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
            "20610,99213,2020-01-01,*,1\n")
    (tmp_path / "ptp_practitioner.csv").write_text(rows)
    (tmp_path / "ptp_practitioner_2025q4.csv").write_text(rows)
    undated = ncci.load_ptp(tmp_path / "ptp_practitioner.csv")
    dated = ncci.load_ptp(tmp_path / "ptp_practitioner_2025q4.csv")
    assert dated.coverage() == (D(2025, 10, 1), D(2025, 12, 31))
    cases = [(ncci.TableLibrary(), "hospital", ncci.hospital_ptp()),
             # the bundled table given by hand is the bundled table (it was undated)
             (ncci.TableLibrary([ncci.hospital_ptp()], bundled=False), "hospital",
              ncci.hospital_ptp()),
             (ncci.TableLibrary([undated], bundled=False), "practitioner", undated),
             (ncci.TableLibrary([dated], bundled=False), "practitioner", dated)]
    for lib, setting, table in cases:
        got, note = lib.ptp(setting, day)
        if got is None:  # before the table's first day: not run, and never covered
            assert not table.covers(on=day) and "table covers" in note
            continue
        assert got is table
        assert (note is None) is table.covers(on=day), (table, day, note)
    addon, note = ncci.TableLibrary().addon(day)
    assert (addon is not None and note is None) is ncci.addons().covers(on=day)


class TestLibraryArguments:
    """What the library is asked with: a date as the rest of codekit takes it, and a
    kind and setting it knows (a typo was answered as 'no table', a datetime or an ISO
    string raised a bare TypeError)."""

    def test_dates_as_codekit_takes_them(self) -> None:
        lib = ncci.TableLibrary()
        by_date = lib.ptp("hospital", D(2025, 10, 1))
        assert by_date[0] is not None and by_date[1] is None
        for day in ("2025-10-01", dt.datetime(2025, 10, 1, 9, 30),
                    "2025-10-01T09:30:00-05:00"):
            assert lib.ptp("hospital", day) == by_date
            assert lib.addon(day)[0] is ncci.addons()
        # quarter boundaries of the bundled data: before it no table, after it a notice
        assert lib.ptp("hospital", "2019-06-30")[0] is None
        assert "takes effect on 2019-07-01" in lib.ptp("hospital", "2019-06-30")[1]
        table, note = lib.ptp("hospital", dt.datetime(2026, 7, 1, 0, 1))
        assert table is ncci.hospital_ptp() and "after its last quarter" in note
        with pytest.raises(InvalidArgument, match="day='2025-13-01'"):
            lib.ptp("hospital", "2025-13-01")
        with pytest.raises(InvalidArgument, match="day='2025-13-01'"):
            lib.why_none("ptp", "hospital", "2025-13-01")

    @pytest.mark.parametrize(("kind", "setting", "match"), [
        ("ptp", "Hospital", "setting='Hospital'"),
        ("ptp", "outpatient", "setting='outpatient'"),
        ("mue", None, "setting=None"),
        ("ptpx", "hospital", "kind='ptpx'"),
    ])
    def test_an_unknown_kind_or_setting_is_refused(self, kind: str, setting: Any,
                                                   match: str) -> None:
        with pytest.raises(InvalidArgument, match=match):
            ncci.TableLibrary().table(kind, setting, D(2025, 10, 1))
        # an add-on table serves every setting
        assert ncci.TableLibrary().table("addon", "hospital", D(2025, 10, 1))[0] \
            is ncci.addons()
