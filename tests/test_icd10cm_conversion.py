"""The CDC ICD-10-CM conversion table (``data/icd10cm/conversion.ckt``): a code used before
it took effect names its previous code(s) billable on the date, and a code deleted outright
whose successors the prefix rule does not find names the table's current codes -- in the
message and in the fix, of ``validate`` and of the claim's ``DX_NOT_VALID_ON_DOS``
finding. Only codes billable on the date are ever named.

The tests of the shipped table need nothing but the repository; the build test reads the
official workbook from ../shared and is skipped when it is absent."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, DataError, NotValidOnDate, icd10cm

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "data" / "reference"
WORKBOOK = REFERENCE / "icd10cm_fy2026" / "ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx"
PINNED = "9040e201d336180bc2f9b5824661a02899bb969d107f352aa81b2e44730d2479"


def _not_valid(code: str, on: str | None, release: str | None = None) -> NotValidOnDate:
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate(code, on=on, release=release)
    return info.value


# -- a code used before it took effect ---------------------------------------------------


@pytest.mark.parametrize(("code", "on", "first", "previous"), [
    ("G35.A", "2025-09-30", "2025-10-01", "G35"),
    ("E11.A", "2024-06-01", "2025-10-01", "E11.9"),
    ("U07.1", "2020-03-01", "2020-04-01", "B97.29"),  # the April 2020 update
])
def test_a_code_used_before_it_took_effect_names_its_previous_code(
        code: str, on: str, first: str, previous: str) -> None:
    err = _not_valid(code, on)
    until = {"2025-10-01": "2025-09-30", "2020-04-01": "2020-03-31"}[first]
    assert str(err) == (f"{code!r}: not valid on {on}: it takes effect on {first}; until "
                        f"{until} code it as {previous}. Valid: {first} to now")
    assert err.fix == err.replacements == (previous,)
    assert icd10cm.is_valid(previous, on=on)


def test_g35a_in_the_release_before_names_g35() -> None:
    err = _not_valid("G35.A", None, release="FY2025-04")
    assert str(err) == ("'G35.A': not valid in FY2025 (April 2025 update): it takes effect on "
                        "2025-10-01; until 2025-09-30 code it as G35. Valid: 2025-10-01 to now")
    assert err.fix == ("G35",)


def test_a_previous_code_that_is_a_header_names_its_billable_codes() -> None:
    """C44.131 (2018-10-01): the table's previous code is C44.19, a header on 2018-09-30."""
    assert icd10cm.lookup("C44.19", on="2018-09-30").billable is False
    err = _not_valid("C44.131", "2018-09-30")
    assert str(err) == (
        "'C44.131': not valid on 2018-09-30: it takes effect on 2018-10-01; until "
        "2018-09-30 code it with its previous codes in the CDC conversion table: C44.191, "
        "C44.192, C44.199. Valid: 2018-10-01 to now")
    assert err.fix == ("C44.191", "C44.192", "C44.199")


def test_several_previous_codes_and_spans() -> None:
    # "E11.69 and R40.20"
    err = _not_valid("E11.11", "2017-09-30")
    assert str(err) == (
        "'E11.11': not valid on 2017-09-30: it takes effect on 2017-10-01; until 2017-09-30 "
        "code it with its previous codes in the CDC conversion table: E11.69, R40.20. "
        "Valid: 2017-10-01 to now")
    assert err.fix == ("E11.69", "R40.20")
    # "S06.890D-S06.899S" (the table's slip for S06.890S-S06.899S): the span's codes of
    # the code's own 7th character
    assert _not_valid("S06.A0XS", "2021-09-30").fix == (
        "S06.890S", "S06.891S", "S06.892S", "S06.893S", "S06.894S", "S06.895S", "S06.896S",
        "S06.899S")
    # "Codes in Categories T15-T19": those of an initial encounter, 87 of them
    fix = _not_valid("W44.A0XA", "2023-09-30").fix
    assert len(fix) == 87 and fix[:3] == ("T15.00XA", "T15.01XA", "T15.02XA")
    assert all(f.endswith("A") and icd10cm.is_valid(f, on="2023-09-30") for f in fix)


def test_previous_codes_not_billable_on_the_date_are_not_named() -> None:
    # M97.8XXS: the table's previous code, T84.048D, is another encounter (a slip)
    err = _not_valid("M97.8XXS", "2016-09-30")
    assert err.fix == ()
    assert str(err) == ("'M97.8XXS': not valid on 2016-09-30: it takes effect on "
                        "2016-10-01. Valid: 2016-10-01 to now")
    # V29.811A: the table's "V29.80XA" is in no release
    assert _not_valid("V29.811A", "2022-09-30").fix == ()
    # a new code with previous code "None"
    assert _not_valid("M04.8", "2016-09-30").fix == ()


# -- a code deleted outright -------------------------------------------------------------


def test_w451xxa_names_w262xxa() -> None:
    err = _not_valid("W45.1XXA", "2016-11-01")
    assert str(err) == (
        "'W45.1XXA': not valid on 2016-11-01: it was deleted after 2016-09-30: use "
        "W26.2XXA, the code the CDC conversion table gives for it from 2016-10-01. Valid: "
        "2015-10-01 to 2016-09-30")
    assert err.fix == err.replacements == ("W26.2XXA",)
    assert _not_valid("W45.1XXD", "2016-10-01").fix == ("W26.2XXD",)
    assert _not_valid("W45.1XXA", None, release="FY2017").fix == ("W26.2XXA",)


def test_a_deleted_code_the_table_maps_to_several_codes() -> None:
    err = _not_valid("T84.048A", "2016-10-01")
    assert str(err) == (
        "'T84.048A': not valid on 2016-10-01: it was deleted after 2016-09-30: use one of "
        "the codes the CDC conversion table gives for it from 2016-10-01, M97.21XA, "
        "M97.22XA, M97.31XA, M97.32XA, M97.41XA, M97.42XA, M97.8XXA. Valid: 2015-10-01 to "
        "2016-09-30")
    assert err.fix == ("M97.21XA", "M97.22XA", "M97.31XA", "M97.32XA", "M97.41XA",
                       "M97.42XA", "M97.8XXA")
    # T84.048D: the table also lists it for M97.8XXS, another encounter: not named
    assert _not_valid("T84.048D", "2016-10-01").fix == (
        "M97.21XD", "M97.22XD", "M97.31XD", "M97.32XD", "M97.41XD", "M97.42XD", "M97.8XXD")


def test_the_prefix_rule_keeps_its_answers() -> None:
    err = _not_valid("S30.1XXA", "2025-10-01")
    assert str(err) == (
        "'S30.1XXA': not valid on 2025-10-01: it was deleted after 2025-09-30: use one of "
        "the codes that replaced it on 2025-10-01, S30.11XA, S30.12XA, S30.13XA. Valid: "
        "2015-10-01 to 2025-09-30")
    assert err.fix == ("S30.11XA", "S30.12XA", "S30.13XA")


#: What an error says when the bundled table (CDC's FY2026) predates the change.
AFTER_THE_TABLE = ("(codekit's CDC conversion table lists the changes up to 2025-10-01, not "
                   "those of 2026-10-01, so it cannot name {what}: see the CDC conversion "
                   "table of FY2027)")


@pytest.mark.parametrize(("code", "on", "message"), [
    # FY2027 changes: after the FY2026 table, which says so
    ("E89.830", "2026-09-30", "it takes effect on 2026-10-01 "
     + AFTER_THE_TABLE.format(what="its previous code") + ". Valid: 2026-10-01 to now"),
    ("S23.420A", "2026-10-01", "it was deleted after 2026-09-30 "
     + AFTER_THE_TABLE.format(what="the code that replaced it")
     + ". Valid: 2015-10-01 to 2026-09-30"),
    # deleted on 2016-10-01, named by no row of the table (which covers that date)
    ("S06.0X2A", "2016-10-01",
     "it was deleted after 2016-09-30. Valid: 2015-10-01 to 2016-09-30"),
])
def test_a_code_the_table_does_not_name(code: str, on: str, message: str) -> None:
    err = _not_valid(code, on)
    assert str(err) == f"{code!r}: not valid on {on}: {message}"
    assert err.fix == ()


@pytest.mark.parametrize(("code", "on", "previous"), [
    # FY2027 expansions (the FY2027 addenda delete the code and add it back as a header)
    ("D69.11", "2026-09-30", "D69.1"),
    ("I42.01", "2026-09-28", "I42.0"),
    ("M86.8X11", "2026-09-15", "M86.8X1"),
    ("Z87.8901", "2026-07-01", "Z87.890"),
    # FY2017's K85.8 over K85.80-K85.82, which the CDC table does not list
    ("K85.80", "2016-09-30", "K85.8"),
])
def test_a_code_the_table_does_not_list_names_the_code_it_was_expanded_from(
        code: str, on: str, previous: str) -> None:
    err = _not_valid(code, on)
    first = icd10cm.valid_ranges(code)[0][0]
    assert str(err) == (f"{code!r}: not valid on {on}: it takes effect on {first}; until "
                        f"{first - dt.timedelta(days=1)} code it as {previous}. Valid: "
                        f"{first} to now")
    assert err.fix == err.replacements == (previous,)
    assert icd10cm.is_valid(previous, on=on) and not icd10cm.is_valid(previous, on=first)


def test_a_code_added_below_a_new_header_names_no_previous_code() -> None:
    """T52.811A (FY2027) sits below the new T52.81: no ancestor was billable, and the
    code it replaced (T52.8X1A) is elsewhere, which only the FY2027 table would say."""
    assert _not_valid("T52.811A", "2026-09-30").fix == ()
    assert default_conversion_last() == dt.date(2025, 10, 1)


def default_conversion_last() -> dt.date | None:
    conv = icd10cm.default_store().conversion
    assert conv is not None
    return conv.last_effective


# -- the claim checker -------------------------------------------------------------------


PROFESSIONAL: dict[str, Any] = {
    "claim_type": "professional", "payer": "medicare",
    "patient": {"sex": "F", "birth_date": "1960-05-17"},
    "service_lines": [{"line": 1, "procedure_code": "99213", "units": 1,
                       "diagnosis_pointers": [1]}],
}


@pytest.mark.parametrize(("dx", "on", "fix", "said"), [
    ("G35.A", "2025-09-30", ("G35",), "until 2025-09-30 code it as G35"),
    ("W45.1XXA", "2016-11-01", ("W26.2XXA",),
     "use W26.2XXA, the code the CDC conversion table gives for it from 2016-10-01"),
    ("I42.01", "2026-09-28", ("I42.0",), "until 2026-09-30 code it as I42.0"),
])
def test_the_claim_finding_carries_the_same_fix(dx: str, on: str, fix: tuple[str, ...],
                                               said: str) -> None:
    # an injury first (W26.2XXA is an external cause: never first-listed)
    claim = {**PROFESSIONAL, "date_of_service": on, "diagnoses": ["S61.411A", dx]}
    report = Checker(policies=()).check(Claim.from_dict(claim))
    (f,) = report.findings
    assert (f.rule, f.location, f.codes, f.fix) == (
        "DX_NOT_VALID_ON_DOS", ("diagnoses", 1), (dx,), fix)
    assert f.message == f"Diagnosis 2 {_not_valid(dx, on)}"
    assert said in f.message
    # the same claim with the code named is clean
    clean = Checker(policies=()).check(Claim.from_dict(
        {**claim, "diagnoses": ["S61.411A", *fix]}))
    assert clean.findings == ()


# -- the shipped table and its provenance ------------------------------------------------


def _provenance() -> dict[str, Any]:
    return json.loads((DATA / "PROVENANCE.json").read_text("utf-8"))


def test_the_table_is_recorded_in_the_provenance() -> None:
    doc = _provenance()
    rec = doc["icd10cm_conversion"]
    data = (DATA / "icd10cm" / "conversion.ckt").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert rec["file"] == "icd10cm/conversion.ckt"
    assert rec["sha256"] == doc["files"]["icd10cm/conversion.ckt"] == digest
    assert rec["bytes"] == len(data) < 32 * 1024
    assert rec["source"] == {
        "path": "icd10cm_fy2026/ICD-10-CM-CONVERSION-TABLE-FY2026.xlsx",
        "bytes": 164_524, "sha256": PINNED, "content_bytes": 164_524,
        "content_sha256": PINNED}
    counts = rec["counts"]
    assert (counts["sheet_rows"], counts["duplicate_rows"], counts["rows"],
            counts["current_codes"], counts["rows_without_previous_code"],
            counts["previous_tokens"], counts["previous_spans"]) == (
        5892, 8, 5884, 5884, 125, 6133, 207)
    assert counts["by_effective_date"]["2025-10-01"] == 487
    assert counts["by_effective_date"]["2020-04-01"] == 2
    checks = rec["checks"]
    assert checks["effective_date_agrees"] == 5883
    assert checks["effective_date_differs"] == [
        {"code": "E113X11", "effective": "2016-10-01", "codekit": None}]
    assert checks["previous_codes_unknown_to_codekit"] == [
        "Q2512", "R3119", "T85198A", "V2980XA", "V2980XD", "V2980XS", "V2989XA", "V2989XD",
        "V2989XS"]
    conv = icd10cm.default_store().conversion
    assert conv is not None
    assert conv.meta["kind"] == "icd10cm-conversion"
    assert conv.meta["rows"] == 5884 and conv.meta["counts"] == counts
    assert conv.meta["source"]["sha256"] == PINNED


def test_the_table_reads_spans_and_categories() -> None:
    conv = icd10cm.default_store().conversion
    assert conv is not None
    D = dt.date
    assert conv.previous("K5903") == ((D(2016, 10, 1), ("K5909", "T36-T50")),)
    assert conv.previous("P91821") == ((D(2020, 10, 1), ("I63", "P9188")),)
    assert conv.previous("U071") == ((D(2020, 4, 1), ("B9729",)),)
    assert conv.previous("E119") == ()
    assert conv.replaced_by("W451XXA", D(2016, 10, 1)) == ["W262XXA"]
    assert conv.replaced_by("W451XXA", D(2017, 10, 1)) == []


def test_the_table_is_read_only_when_an_answer_needs_it() -> None:
    """Valid codes and clean claims never open it (a fresh process)."""
    script = (
        "import codekit\n"
        "from codekit import icd10cm\n"
        "icd10cm.validate('E11.9', on='2025-06-01')\n"
        "r = codekit.Checker().check(codekit.Claim.from_dict({'claim_type': 'professional', "
        "'payer': 'medicare', 'date_of_service': '2025-10-01', 'diagnoses': ['G35.A'], "
        "'patient': {'sex': 'F', 'birth_date': '1960-05-17'}, "
        "'service_lines': [{'procedure_code': '99213', 'units': 1, "
        "'diagnosis_pointers': [1]}]}))\n"
        "conv = icd10cm.default_store().conversion\n"
        "print(len(r.findings), conv._previous is None)\n"
        "icd10cm.why_invalid('G35.A', on='2025-09-30')\n"
        "print(conv._previous is None)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["0", "True", "False"]
    # a service reads it at start-up with the rest
    script = ("import codekit\nfrom codekit import icd10cm\ncodekit.preload()\n"
              "print(icd10cm.default_store().conversion._previous is None)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False"]


# -- the build ---------------------------------------------------------------------------


def test_a_previous_code_cell_the_build_cannot_read_is_an_error(tmp_path: Path) -> None:
    from codekit import _xlsx
    from codekit.build.conversion import HEADER, read_conversion

    path = tmp_path / "table.xlsx"
    _xlsx.write(path, HEADER, [["G35.A", "2025", "G35"], ["G35.B0", "2025", "see note"]])
    with pytest.raises(DataError, match="cannot read previous code\\(s\\) 'see note'"):
        read_conversion(path)
    _xlsx.write(path, HEADER, [["G35.A", "2025", "G35"]])
    rows, counts = read_conversion(path)
    assert [(c, str(e), t) for c, e, t in rows] == [("G35A", "2025-10-01", ["G35"])]
    assert counts["rows"] == 1


@pytest.mark.skipif(not WORKBOOK.exists(), reason="../shared reference data absent")
def test_the_build_reproduces_the_shipped_table(tmp_path: Path) -> None:
    from codekit.build.conversion import build_conversion

    out = tmp_path / "data"
    (out / "icd10cm").mkdir(parents=True)
    for table in (DATA / "icd10cm").glob("*.ckt"):
        if table.name != "conversion.ckt":
            (out / "icd10cm" / table.name).symlink_to(table)
    rec = build_conversion(REFERENCE, out)
    built = (out / "icd10cm" / "conversion.ckt").read_bytes()
    assert built == (DATA / "icd10cm" / "conversion.ckt").read_bytes()
    assert rec == _provenance()["icd10cm_conversion"]
    doc = json.loads((out / "PROVENANCE.json").read_text("utf-8"))
    assert doc["files"]["icd10cm/conversion.ckt"] == rec["sha256"]
    # a different workbook is not the official file
    bad = tmp_path / "ref" / "icd10cm_fy2026"
    bad.mkdir(parents=True)
    (bad / WORKBOOK.name).write_bytes(WORKBOOK.read_bytes() + b"\0")
    with pytest.raises(DataError, match="differs from the pinned"):
        build_conversion(tmp_path / "ref", out)
