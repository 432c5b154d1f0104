"""``codekit lookup / validate / search / suggest`` on bad and edge-case input, for every
code system: each code goes to the system that can judge it, every JSON item says its
input, system and validity, and every system can be searched and asked for suggestions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

import codekit
from codekit.cli import main
from codekit.cli.codes import data_summary

ON = ["--on", "2025-11-03"]


def _json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_an_icd10cm_code_without_its_dot_is_not_a_service_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    """S72001A was HCPCS S7200 with modifier 1A: "PROC_CODE_UNKNOWN: S7200 is in no HCPCS
    Level II quarter", and lookup printed a service line."""
    assert main(["validate", "S72001A", "s72001a", "T7840XA", *ON, "--json"]) == 0
    assert [(i["system"], i["valid"], i["code"]) for i in _json(capsys)] == [
        ("icd10cm", True, "S72.001A"), ("icd10cm", True, "S72.001A"),
        ("icd10cm", True, "T78.40XA")]
    assert main(["lookup", "S72001A", *ON]) == 0
    out = capsys.readouterr().out
    assert out.startswith("S72.001A  Fracture of unspecified part of neck of right femur")
    assert "service line" not in out
    # a code and a modifier run together whose code codekit knows is still a line
    assert main(["validate", "G0438RT", "99213RT", *ON, "--json"]) == 0
    assert [(i["system"], i["code"]) for i in _json(capsys)] == [
        ("procedure", "G0438"), ("procedure", "99213")]


def test_a_pcs_table_or_a_pcs_code_cut_short_gets_the_pcs_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    """0DT was "DX_FORMAT_INVALID: not ICD-10-CM syntax", did you mean N80.D0."""
    assert main(["validate", "0DT", "0DTJ4", "0001U", *ON, "--json"]) == 1
    table, short, cpt = _json(capsys)
    assert (table["system"], table["error"]) == ("icd10pcs", "PCS_FORMAT_INVALID")
    assert "0DT is a table (section, body system, root operation)" in table["message"]
    assert table["fix"][:2] == ["0DT10ZZ", "0DT14ZZ"]
    assert (short["system"], short["error"]) == ("icd10pcs", "PCS_FORMAT_INVALID")
    assert "too short (5 characters)" in short["message"]
    assert short["fix"][0] == "0DTJ4ZZ"
    assert (cpt["system"], cpt["valid"]) == ("cpt", True)  # 0001U: a CPT PLA code


def test_every_lookup_json_item_says_its_input_system_and_validity(
        capsys: pytest.CaptureFixture[str]) -> None:
    """ICD-10-CM items had no system, valid or input; modifiers no system; service lines
    neither system nor valid."""
    codes = ["0DTJ4ZZ", "E11.65", "G35", "99213", "G0438", "25", "99213-25", "99213-ZZ",
             "ZZ"]
    main(["lookup", *codes, *ON, "--json"])
    items = _json(capsys)
    assert [(i["input"], i["system"], i["valid"]) for i in items] == [
        ("0DTJ4ZZ", "icd10pcs", True), ("E11.65", "icd10cm", True),
        ("G35", "icd10cm", False), ("99213", "cpt", True), ("G0438", "hcpcs", True),
        ("25", "modifiers", True), ("99213-25", "procedure", True),
        ("99213-ZZ", "procedure", False), ("ZZ", "modifiers", False)]
    assert items[1]["dotted"] == "E11.65" and items[6]["modifiers"][0]["code"] == "25"


def test_search_any_code_system(capsys: pytest.CaptureFixture[str]) -> None:
    """search answered ICD-10-CM only: "resection of appendix percutaneous endoscopic"
    found K38.9 Disease of appendix (confidence 0.039)."""
    assert main(["search", "resection appendix percutaneous endoscopic", "--system",
                 "icd10pcs", *ON, "--limit", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(
        "0DTJ4ZZ    94.1  Resection of Appendix, Percutaneous Endoscopic Approach")
    assert main(["search", "ambulance", "--system", "hcpcs", *ON, "--limit", "1",
                 "--json"]) == 0
    (hit,) = _json(capsys)
    assert hit["system"] == "hcpcs" and hit["code"].startswith("A0")
    # the default is still ICD-10-CM
    assert main(["search", "type 2 diabetes with hyperglycemia", *ON, "--limit", "1",
                 "--json"]) == 0
    assert [(h["system"], h["code"]) for h in _json(capsys)] == [("icd10cm", "E1165")]
    # nothing found: exit 1, and it says so (it printed nothing at all)
    assert main(["search", "(((", "--system", "icd10pcs", *ON]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "codekit: no icd10pcs code matches '((('\n")
    # CPT text is licensed: a usage error that says how to load it
    assert main(["search", "office visit", "--system", "cpt"]) == 3
    assert "load_descriptors" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["search", "x", "--system", "icd9"])


def test_suggest_command(capsys: pytest.CaptureFixture[str]) -> None:
    """There was no suggest command (argparse: invalid choice 'suggest')."""
    assert main(["suggest", "0DTJXZZ", "ODTJ4ZZ", "E11.6", "99999", "ZZ", *ON, "--limit",
                 "2"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "0DTJXZZ: 0DTJ0ZZ, 0DTJ4ZZ", "ODTJ4ZZ: 0DTJ4ZZ, 0DTJ4ZG", "E11.6: E11.69, E11.610",
        "99999: 29999, 49999", "ZZ: AZ, GZ"]
    assert main(["suggest", "S72001A", "99213", "--system", "icd10pcs", *ON,
                 "--json"]) == 1
    assert _json(capsys) == [
        {"input": "S72001A", "system": "icd10pcs", "on": "2025-11-03", "suggestions": [],
         "covered": True, "note": None},
        {"input": "99213", "system": "icd10pcs", "on": "2025-11-03", "suggestions": [],
         "covered": True, "note": None}]
    for command in ("suggest", "search"):  # a usage error naming the option, not limit=0
        with pytest.raises(SystemExit) as e:
            main([command, "0DTJXZZ", "--limit", "0"])
        assert e.value.code == 3
        assert capsys.readouterr().err.splitlines()[-1] == (
            f"codekit {command}: error: argument --limit: expected a whole number from 1 "
            "to 1,000, got '0'")


def test_search_says_which_later_codes_match_when_the_date_has_none(
        capsys: pytest.CaptureFixture[str]) -> None:
    """codekit search covid --on 2020-03-01 printed nothing but "no icd10cm code matches":
    the concept had no code yet; it now says when codes came (exit code still 1)."""
    assert main(["search", "covid", "--on", "2020-03-01", "--limit", "2"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "codekit: note: no good match on 2020-03-01; codes valid from 2020-04-01 on "
        "(FY2020-04) match it: U07.1 (2020-04-01), J12.82 (2021-01-01)\n"
        "codekit: no icd10cm code matches 'covid'\n")
    # a good match on the date: no note
    assert main(["search", "covid", "--on", "2021-06-01", "--limit", "1"]) == 0
    assert capsys.readouterr().err == ""


def test_search_says_on_stderr_when_the_data_does_not_cover_the_date(
        capsys: pytest.CaptureFixture[str]) -> None:
    """codekit search answered 2030-01-01 from FY2027 and 2010-01-01 from the 2019-07-01
    quarter without a word; the exit code stays that of the hits."""
    assert main(["search", "diabetes", "--on", "2030-01-01", "--limit", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("E11.9 ")
    assert captured.err == (
        "codekit: note: 2030-01-01 is after the last date codekit's data describes "
        "(2027-03-31); answered with FY2027 (October 2026). Add newer CDC/CMS files with "
        "`codekit data add` (see docs/icd10cm.md).\n")
    assert main(["search", "wheelchair", "--system", "hcpcs", "--on", "2010-01-01",
                 "--limit", "1", "--json"]) == 0
    captured = capsys.readouterr()
    (hit,) = json.loads(captured.out)
    note = ("codekit's procedure data starts with the IOCE quarter of 2019-07-01; "
            "2010-01-01 is answered as of that quarter.")
    assert (hit["system"], hit["on"], hit["release"], hit["covered"], hit["note"]) == \
        ("hcpcs", "2010-01-01", "IOCE 20.2.27", False, note)
    assert captured.err == f"codekit: note: {note}\n"
    # nothing found before ICD-10-CM: exit 1 as before, and both said
    assert main(["search", "diabetes", "--on", "2015-09-30"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "codekit: note: 2015-09-30 is before ICD-10-CM took effect (2015-10-01): no "
        "ICD-10-CM code is valid then (use ICD-9-CM); titles and notes from FY2016 "
        "(October 2015).", "codekit: no icd10cm code matches 'diabetes'"]
    # a covered date: nothing on stderr; the JSON says covered and no note
    assert main(["search", "resection appendix", "--system", "icd10pcs", "--on",
                 "2027-03-31", "--limit", "1", "--json"]) == 0
    captured = capsys.readouterr()
    (hit,) = json.loads(captured.out)
    assert (hit["on"], hit["release"], hit["covered"], hit["note"], captured.err) == \
        ("2027-03-31", "FY2026", True, None, "")


def test_suggest_says_on_stderr_when_the_data_does_not_cover_the_date(
        capsys: pytest.CaptureFixture[str]) -> None:
    """codekit suggest answered 2031-01-01 from FY2027 and the 2026-04-01 quarter, and
    2010-01-01 from the 2019-07-01 quarter, without a word (exit 0), where codekit search
    says it; each system's note is said once, and the JSON items carry covered and note."""
    assert main(["suggest", "E11.6X", "E11.6Y", "2X", "--on", "2031-01-01", "--limit",
                 "2"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["E11.6X: E11.36, E11.65", "E11.6Y: E11.36, E11.65",
                                         "2X: X2, 22"]
    past = ("2031-01-01 is after the last date codekit's ICD-10-CM data describes "
            "(2027-03-31): diagnoses are answered as of then; add the newer CDC/CMS "
            "release (codekit data add)")
    quarters = ("2031-01-01 is outside the dates codekit's CPT/HCPCS data describes "
                "(2019-07-01 to 2026-06-30): the codes near are those of the nearest data")
    assert captured.err.splitlines() == [f"codekit: note: {past}",
                                         f"codekit: note: {quarters}"]
    assert main(["suggest", "9921", "--system", "cpt", "--on", "2010-01-01", "--limit",
                 "1", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [
        {"input": "9921", "system": "cpt", "on": "2010-01-01", "suggestions": ["99211"],
         "covered": False, "note": quarters.replace("2031-01-01", "2010-01-01")}]
    assert captured.err == ""
    # before ICD-10-CM: no code is near, exit 1 as before, and the reason said
    assert main(["suggest", "E11.6X", "--on", "2015-09-30"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "E11.6X: no icd10cm code is near it\n"
    assert captured.err == ("codekit: note: 2015-09-30 is before ICD-10-CM took effect "
                            "(2015-10-01): ICD-10-CM codes are not valid then\n")
    # before ICD-10-PCS: none is near either; the note said "the codes near are those of
    # the nearest data" (there were none) where validate says ICD-10-PCS was not in effect
    assert main(["suggest", "0DTJ4Z", "--on", "2015-09-30"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "0DTJ4Z: no icd10pcs code is near it\n"
    assert captured.err == ("codekit: note: 2015-09-30 is before ICD-10-PCS took effect "
                            "(2015-10-01): ICD-10-PCS codes are not valid then\n")
    # a date the data describes: nothing on stderr
    assert main(["suggest", "E11.6X", "0DTJ4Z", "--on", "2027-03-31", "--limit", "1"]) == 0
    assert capsys.readouterr().err == ""


def test_releases_prints_each_release_s_last_day(capsys: pytest.CaptureFixture[str]) -> None:
    """Every row printed "<10" where the release's last day goes: a date's format spec is
    a strftime pattern."""
    assert main(["releases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and not [line for line in lines if "<10" in line]
    assert lines[0].startswith("FY2016     2015-10-01 .. 2016-09-30 bundled ")


def test_lookup_prints_the_parent_and_children_dotted(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``parent : E116`` and ``children : E1161, ...`` were printed undotted."""
    assert main(["lookup", "E11.65", "E11.6", *ON]) == 1  # E11.6: a header
    out = capsys.readouterr().out.splitlines()
    assert "  parent      : E11.6" in out
    assert "  parent      : E11" in out
    assert "  children    : E11.61, E11.62, E11.63, E11.64, E11.65, E11.69" in out


def test_lookup_says_whose_tabular_the_notes_are(capsys: pytest.CaptureFixture[str]) -> None:
    """On an FY2027 date the notes are the FY2026 tabular's: the plain output said only
    ``release : FY2027`` (the JSON had ``notes_note``); a release with its own tabular
    prints no such line."""
    assert main(["lookup", "I42.01", "--on", "2026-10-15"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "  release     : FY2027",
        "  tabular     : Notes and 7th characters from the FY2026 tabular: the FY2027 "
        "tabular XML (FY2027's own notes, 7th characters and blocks) is not available to "
        "codekit. I42.01 is not in the FY2026 tabular: only notes written above it (its "
        "categories, block and chapter) apply."]
    assert main(["lookup", "I42.9", "--on", "2026-05-01"]) == 0
    assert not any(line.startswith("  tabular") for line in capsys.readouterr().out.splitlines())


def test_version_names_the_dates_each_system_s_data_describes(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit --version`` did not exist: a support ticket or an audit trail had no way
    to say which data answered. It prints the version, then one line per system."""
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("codekit 0.1.0 (Python 3.")
    assert out[0].endswith(f"), bundled data {codekit.data_id()}")
    assert [line[:12].strip() for line in out[1:]] == [
        "ICD-10-CM", "ICD-10-PCS", "CPT/HCPCS", "NCCI", "POA exempt"]
    assert out[1].startswith("ICD-10-CM    2015-10-01 .. 2027-03-31  17 releases FY2016 .. "
                             "FY2027 (CDC/CMS), all bundled")
    assert out[3].startswith("CPT/HCPCS    2019-07-01 .. 2026-06-30  ")
    assert "; no HCPCS file loaded" in out[3]
    assert out[5].startswith("POA exempt   FY2019 .. FY2026          the CDC POA-exempt code "
                             "lists")
    assert out[1:] == data_summary()  # today's: what is past its data says so (below)


def test_the_data_id_names_the_bundled_files_and_changes_with_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled data changed in 37 commits under version 0.1.0 (30e91ee rebuilt
    modifiers.ckt: 3046F-1P stopped being MOD_INVALID), and ``codekit --version``,
    ``GET /ready`` and the reports said nothing that told the two apart. The data id is
    the sha256 of the files PROVENANCE.json lists with their sha256: the same files give
    the same id, one byte of one file another."""
    from codekit import _artifact, _cache

    root = Path(__file__).resolve().parents[1] / "data"
    files = json.loads((root / "PROVENANCE.json").read_text())["files"]
    listed = "".join(f"{name}\t{files[name]}\n" for name in sorted(files))
    assert codekit.data_id() == hashlib.sha256(listed.encode()).hexdigest()[:16]

    def id_of(policy: bytes) -> str:  # a data root of one policy file, as a build writes
        (tmp_path / "a.policy").write_bytes(policy)
        (tmp_path / "PROVENANCE.json").write_text(json.dumps(
            {"files": _artifact.manifest_of(tmp_path)}))
        _cache.clear_caches()  # the manifest read before is forgotten
        return codekit.data_id()

    monkeypatch.setattr(_artifact, "bundled_data_dir", lambda: tmp_path)
    try:
        first = id_of(b"# one\n")
        assert id_of(b"# one\n") == first
        assert id_of(b"# two\n") != first
    finally:
        monkeypatch.undo()
        _cache.clear_caches()


def test_the_summary_says_which_data_ends_before_today() -> None:
    """Today (2026-12-07) is FY2027: ``codekit releases`` and ``--version`` printed
    ``POA exempt FY2019 .. FY2026`` (and CPT/HCPCS and NCCI to 2026-06-30) without a word
    that today is past them. A line whose data ends before today now says so and how a
    later date is answered; on a date the data covers, nothing is added."""
    before = data_summary(today=dt.date(2026, 5, 1))
    assert len(before) == 5 and not [line for line in before if "today" in line]
    assert before[4] == "POA exempt   FY2019 .. FY2026          the CDC POA-exempt code lists"
    assert before[3].endswith("load the CMS quarterly files (--ptp, --mue, --ncci DIR)")
    now = data_summary(today=dt.date(2026, 12, 7))
    assert now[0] == before[0] and now[1] == before[1]  # ICD-10-CM and -PCS: to 2027-03-31
    assert now[2] == before[2] + (
        "; today (2026-12-07) is after 2026-06-30: later dates are answered as of its last "
        "quarter, and a claim's report says so")
    assert now[3] == before[3] + (
        "; today (2026-12-07) is after 2026-06-30: later dates are answered as of its last "
        "quarter, and a claim's report says so")
    assert now[4] == ("POA exempt   FY2019 .. FY2026          the CDC POA-exempt code lists; "
                      "today (2026-12-07) is in FY2027, which has no list: the POA edits of "
                      "its discharges are not run")
    assert data_summary(today=dt.date(2026, 9, 30))[4] == before[4]  # the last day of FY2026
    later = data_summary(today=dt.date(2027, 4, 1))
    assert later[0].endswith("; today (2027-04-01) is after 2027-03-31: later dates are "
                             "answered as of the newest release, and a claim's report says so")


def test_releases_and_version_name_a_loaded_hcpcs_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CMS HCPCS file the program loaded is named, with the date it answers from."""
    from codekit import hcpcs

    from .test_hcpcs import anweb, record

    hcpcs.load_release(anweb(tmp_path, "HCPC2026_JUL_ANWEB.txt", [
        record("Q5999", "3", "codekit test new code", "codekit q5999 short", "20260701",
               "20260701", "", "A")]))
    try:
        assert main(["releases"]) == 0
    finally:
        hcpcs.unload_releases()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("FY2016 ")
    (line,) = [line for line in out if line.startswith("CPT/HCPCS")]
    assert line.startswith("CPT/HCPCS    2019-07-01 .. 2026-06-30  ")
    assert "; HCPCS files you loaded: HCPC2026_JUL_ANWEB (from 2026-07-01)" in line


def test_lookup_of_a_block_or_chapter_says_it_is_no_code_and_names_its_categories(
        capsys: pytest.CaptureFixture[str]) -> None:
    """codekit lookup E08-E13 said "not ICD-10-CM syntax" (a certified coder's review
    of search, 2026-12-06, item 12a)."""
    assert main(["lookup", "E08-E13", "E00-E89", *ON]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("E08-E13: DX_FORMAT_INVALID: 'E08-E13': a block of ICD-10-CM (Diabetes "
                      "mellitus (E08-E13)), not a code: code from one of its categories: "
                      "E08, E09, E10, E11, E13")
    assert out[1].startswith("E00-E89: DX_FORMAT_INVALID: 'E00-E89': a chapter of ICD-10-CM "
                             "(4: Endocrine, nutritional and metabolic diseases (E00-E89)), "
                             "not a code: code from one of its categories: E00, E01, ")
    assert out[1].endswith("... (73 categories)")
    assert main(["lookup", "E08-E13", *ON, "--json"]) == 1
    (item,) = _json(capsys)
    assert (item["system"], item["error"], item["fix"]) == (
        "icd10cm", "DX_FORMAT_INVALID", ["E08", "E09", "E10", "E11", "E13"])


def test_search_says_when_no_hit_is_a_good_match(capsys: pytest.CaptureFixture[str]) -> None:
    """codekit search printed weak hits (all below 50) with no word that none is a good
    match, as SearchResults.good says (a certified
    coder's review of search, 2026-12-06, item 12b)."""
    assert main(["search", "quantum chromodynamics diabetes", *ON, "--limit", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("E11.9 ")
    assert captured.err == ("codekit: note: no good match: the best confidence is 0.17, "
                            "below 0.5 (the hits share few words with the query)\n")
    assert main(["search", "hx MI", *ON, "--limit", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("I25.2 ") and captured.err == ""


def test_lookup_of_a_cpt_code_prints_no_cpt_heading(capsys: pytest.CaptureFixture[str]) -> None:
    """A DME and drug coder's review (2026-12-06), item 9: ``codekit lookup 96413`` printed CPT's
    subsection heading of 96360-96549 verbatim (AMA text); codekit's own short words now."""
    assert main(["lookup", "96413", *ON]) == 0
    out = capsys.readouterr().out
    assert "CPT Category I, Medicine / Injections, infusions and chemotherapy " \
        "administration" in out
    assert "Highly Complex" not in out and "Prophylactic" not in out
