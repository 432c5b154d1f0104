"""ICD-10-PCS releases a user adds (``codekit data add-pcs``): the files a user may give
by mistake, the data directories, ids and dates that must not load quietly, and answers
that change at once. The order files are written here from the bundled data (every code
valid on 2026-10-01, with made-up titles), so no test needs ``../shared``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from codekit import DataError, InvalidArgument, MalformedFile, _cache, icd10pcs
from codekit.build.icd10pcs import add_pcs_release
from codekit.icd10pcs import Store

D = dt.date.fromisoformat
NEW, GONE, RETITLED = "0DTJ3ZZ", "02163Z7", "0DTJ4ZZ"


def _line(n: int, code: str, valid: bool, short: str, long: str) -> str:
    return f"{n:05d} {code:<7} {int(valid)} {short[:60]:<60} {long}"


@pytest.fixture(scope="module")
def fy2027_lines() -> list[str]:
    """A stand-in FY2027 order file: the codes the bundled MCE table has on 2026-10-01,
    plus 0DTJ3ZZ, without 02163Z7, 0DTJ4ZZ retitled; a header line per table."""
    v = Store().base_validity
    p = v.period(D("2026-10-01"))
    codes = {c for c, m in v.masks.items() if m >> p & 1}
    codes = (codes | {NEW}) - {GONE}
    lines: list[str] = []
    for c in sorted(codes | {c[:3] for c in codes}):
        long = "Resection of Appendix, Laparoscopic FY2027" if c == RETITLED else f"Title {c}"
        lines.append(_line(len(lines) + 1, c, len(c) == 7, long, long))
    return lines


@pytest.fixture
def order(tmp_path: Path, fy2027_lines: list[str]) -> Path:
    path = tmp_path / "icd10pcs_order_2027.txt"
    path.write_bytes(("\r\n".join(fy2027_lines) + "\r\n").encode("latin-1"))
    return path


@pytest.fixture
def fresh() -> object:
    """Forget the opened stores before and after (the tests add to their own folders)."""
    _cache.data_changed(reopen=True)
    yield None
    _cache.data_changed(reopen=True)


def test_an_order_file_with_a_bom_or_utf8_titles_is_decoded(
        tmp_path: Path, fy2027_lines: list[str], fresh: object) -> None:
    """A UTF-8 byte order mark was "column 15 must be 1 (code) or 0 (header)"; UTF-8
    titles were read as Latin-1: 'ResecciÃ³n'."""
    lines = [_line(int(x[:5]), RETITLED, True, "Resección del apéndice",
                   "Resección del apéndice") if x[6:13] == RETITLED else x
             for x in fy2027_lines]
    text = "\n".join(lines)
    for name, data in (("bom", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("utf8", text.encode("utf-8")), ("latin1", text.encode("latin-1"))):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=path,
                        data_dir=tmp_path / name)
        store = Store(user=tmp_path / name)
        assert icd10pcs.lookup(RETITLED, on="2026-11-01", store=store).title == \
            "Resecci\u00f3n del ap\u00e9ndice", name
        assert icd10pcs.lookup("0016070", on="2026-11-01", store=store).title == \
            "Title 0016070", name  # the first code, after the BOM


def test_a_release_answers_from_its_dates_and_says_so(
        tmp_path: Path, order: Path, fresh: object) -> None:
    rec = add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                          data_dir=tmp_path / "u")
    assert rec["warnings"] == [
        "no tables XML: axis meanings come from the bundled FY2026 tables",
        "on 2026-10-01 the MCE table has 79256 codes, this release 79256 (1 only here, 1 "
        "only in the MCE); this release decides from 2026-10-01"]
    store = Store(user=str(tmp_path / "u"))  # a str folder was a TypeError
    new = icd10pcs.validate(NEW, on="2026-11-01", store=store)
    assert (new.release, new.title, new.note) == ("FY2027", f"Title {NEW}", None)
    e = icd10pcs.validate(RETITLED, on="2026-11-01", store=store)
    assert (e.release, e.title) == ("FY2027", "Resection of Appendix, Laparoscopic FY2027")
    old = icd10pcs.validate(RETITLED, on="2026-09-30", store=store)
    assert (old.release, old.title) == \
        ("FY2026", "Resection of Appendix, Percutaneous Endoscopic Approach")
    assert not icd10pcs.is_valid(GONE, on="2026-11-01", store=store)
    assert icd10pcs.is_valid(GONE, on="2026-09-30", store=store)
    # a code the release dropped: said as the user's release (the note told the user to
    # add the FY2027 files they had just added)
    gone = icd10pcs.lookup(GONE, on="2026-11-01", store=store)
    assert (gone.valid, gone.release) == (False, "FY2026")
    assert gone.note == f"{GONE} is not in the user release FY2027 covering 2026-11-01; " \
        "title from FY2026"
    assert icd10pcs.suggest("0DTJ3ZX", on="2026-11-01", store=store)[0] == NEW
    assert NEW not in icd10pcs.suggest("0DTJ3ZX", on="2026-09-30", store=store)


def test_a_file_cut_short_is_refused(tmp_path: Path, fy2027_lines: list[str],
                                     fresh: object) -> None:
    """Half an order file (a download cut short) loaded: every code of the other half
    was invalid from its effective date on."""
    half = tmp_path / "half.txt"
    half.write_text("\n".join(fy2027_lines[:40_000]) + "\n", encoding="latin-1")
    with pytest.raises(MalformedFile, match="a file cut short") as info:
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=half,
                        data_dir=tmp_path / "u")
    assert str(info.value).startswith(f"{half}: lists 39639 codes, and 39618 of the 79256 "
                                      "codes the CMS MCE table has on 2026-10-01 are not")
    assert not (tmp_path / "u" / "icd10pcs").exists()


def test_the_icd10cm_order_file_given_as_pcs_says_so(tmp_path: Path) -> None:
    cm = tmp_path / "icd10cm_order_2027.txt"
    cm.write_text(_line(1, "A00", False, "Cholera", "Cholera") + "\n"
                  + _line(2, "A000", True, "Cholera due to Vibrio cholerae",
                          "Cholera due to Vibrio cholerae") + "\n")
    with pytest.raises(MalformedFile, match="is this the ICD-10-CM order file") as info:
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=cm,
                        data_dir=tmp_path / "u")
    assert info.value.line == 2


def test_a_line_out_of_the_order_file_layout_is_refused(tmp_path: Path) -> None:
    """The order number and the spaces between fields were not read: a codes file line
    or a garbled order number loaded."""
    bad = tmp_path / "bad.txt"
    bad.write_text(_line(1, "0DT", False, "Resection", "Resection") + "\n"
                   + "ABCDE" + _line(2, "0DTJ4ZZ", True, "x", "y")[5:] + "\n")
    with pytest.raises(MalformedFile, match="order number 'ABCDE' is not 5 digits") as info:
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=bad,
                        data_dir=tmp_path / "u")
    assert info.value.line == 2


def test_missing_files_and_folders_say_which(tmp_path: Path, order: Path) -> None:
    """Both were 'empty or missing' MalformedFile; a folder is neither."""
    with pytest.raises(DataError, match=r"nope\.txt: no such file: give the CMS order file"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01",
                        order=tmp_path / "nope.txt", data_dir=tmp_path / "u")
    with pytest.raises(DataError, match="is a folder: give the CMS tables XML"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                        tables=tmp_path, data_dir=tmp_path / "u")


def test_an_unreadable_file_is_a_data_error(tmp_path: Path, order: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # a file the process may not read (root reads any file, so the refusal is simulated
    # where the builder opens it) was a raw PermissionError
    import builtins

    from codekit.build import icd10pcs as builder

    def refuse(file: object, *args: object, **kw: object) -> object:
        if Path(str(file)) == order:
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(builder, "open", refuse, raising=False)
    with pytest.raises(DataError, match=r"cannot read .*: Permission denied"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                        data_dir=tmp_path / "u")


def test_a_data_dir_that_is_a_file_or_cannot_be_written(
        tmp_path: Path, order: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were NotADirectoryError, FileExistsError and PermissionError."""
    with pytest.raises(InvalidArgument, match="is a file, not a folder"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                        data_dir=order)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "icd10pcs").write_text("")
    with pytest.raises(InvalidArgument, match="holds icd10pcs, which is a file"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                        data_dir=tmp_path / "d")

    def denied(*args: object, **kw: object) -> None:
        raise PermissionError(13, "Permission denied")

    from codekit import _artifact

    monkeypatch.setattr(_artifact, "write", denied)
    with pytest.raises(DataError, match=r"cannot write the release to .*FY2027\.ckt: "
                       r"Permission denied"):
        add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                        data_dir=tmp_path / "ro")
    assert not list((tmp_path / "ro" / "icd10pcs").iterdir())  # no temporary file left


def test_an_id_of_a_bundled_year_is_refused(tmp_path: Path, order: Path) -> None:
    """FY2026 effective 2026-10-01 loaded, and every FY2027 answer said FY2026, as the
    bundled ones do."""
    with pytest.raises(InvalidArgument, match="release id FY2026 names a bundled "
                       "ICD-10-PCS release \\(FY2016-FY2026\\)"):
        add_pcs_release(release_id="FY2026", effective="2026-10-01", order=order,
                        data_dir=tmp_path / "u")


def test_adding_twice_and_overlapping_releases_are_said(
        tmp_path: Path, order: Path, fresh: object) -> None:
    u = tmp_path / "u"
    add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order, data_dir=u)
    again = add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                            data_dir=u)
    assert again["warnings"][-1] == \
        f"replaces the release FY2027 added before ({u / 'icd10pcs' / 'FY2027.ckt'})"
    later = add_pcs_release(release_id="FY2027-04", effective="2027-04-01", order=order,
                            data_dir=u)
    assert later["warnings"][-1] == (
        "overlaps the release FY2027 (2026-10-01 to open): on the dates both cover, the "
        "one starting later decides (the later id on a tie)")
    store = Store(user=u)
    assert icd10pcs.lookup(NEW, on="2027-03-31", store=store).release == "FY2027"
    assert icd10pcs.lookup(NEW, on="2027-04-01", store=store).release == "FY2027-04"


def test_a_damaged_release_fails_for_its_own_dates_only(
        tmp_path: Path, order: Path, fresh: object) -> None:
    """A release file cut short made every ICD-10-PCS answer a DataError, 2025's too."""
    u = tmp_path / "u"
    rec = add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                          data_dir=u)
    path = Path(rec["path"])
    path.write_bytes(path.read_bytes()[:5000])
    store = Store(user=u)
    assert icd10pcs.validate(RETITLED, on="2025-06-01", store=store).release == "FY2025"
    with pytest.raises(DataError, match=r"FY2027\.ckt: cannot read section"):
        icd10pcs.validate(RETITLED, on="2026-11-01", store=store)
    with pytest.raises(DataError, match=r"FY2027\.ckt"):
        icd10pcs.is_valid(RETITLED, on="2026-11-01", store=store)
    # the release can be added again over it
    add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order, data_dir=u)
    assert icd10pcs.validate(RETITLED, on="2026-11-01", store=Store(user=u)).release == \
        "FY2027"


def test_two_processes_adding_the_same_release_at_once(
        tmp_path: Path, order: Path, monkeypatch: pytest.MonkeyPatch, fresh: object) -> None:
    """Both wrote FY2027.ckt.tmp: the second truncated and renamed the first's file, whose
    own rename then failed (FileNotFoundError). Here the second 'process' runs whole
    between the first's write and its rename."""
    u = tmp_path / "u"
    real = os.replace
    calls: list[str] = []

    def interleaved(src: object, dst: object) -> None:
        calls.append(str(src))
        if len(calls) == 1:
            add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order,
                            data_dir=u)
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", interleaved)
    add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order, data_dir=u)
    monkeypatch.undo()
    assert sorted(p.name for p in (u / "icd10pcs").iterdir()) == ["FY2027.ckt"]
    assert icd10pcs.validate(NEW, on="2026-11-01", store=Store(user=u)).release == "FY2027"


def test_every_answer_changes_at_once_after_adding(
        tmp_path: Path, order: Path, monkeypatch: pytest.MonkeyPatch, fresh: object) -> None:
    """One owner for caches: the default store, the remembered answers, the search index
    and a checker made before see the release the moment it is added."""
    from codekit import Checker, Claim

    u = tmp_path / "live"
    monkeypatch.setenv("CODEKIT_DATA_DIR", str(u))
    _cache.data_changed(reopen=True)
    day = "2026-11-01"
    checker = Checker(profile="medicare-inpatient")
    claim = Claim.from_dict({
        "claim_type": "institutional", "payer": "medicare", "bill_type": "111",
        "patient": {"sex": "F", "birth_date": "1960-01-01"}, "date_of_service": day,
        "diagnoses": [{"code": "K35.80", "poa": "Y"}], "procedures": [NEW, GONE],
        "admitting_diagnosis": "R10.31"})

    def answers() -> tuple[object, ...]:
        return (icd10pcs.is_valid(NEW, on=day), icd10pcs.is_valid(GONE, on=day),
                icd10pcs.lookup(RETITLED, on=day).release,
                icd10pcs.resolve(RETITLED, on=day).entry.title,  # type: ignore[union-attr]
                icd10pcs.suggest("0DTJ3ZX", on=day)[0],
                icd10pcs.search(f"title {NEW.lower()}", on=day, limit=1)[0].code
                if icd10pcs.search(f"title {NEW.lower()}", on=day, limit=1) else None,
                sorted(f.rule for f in checker.check(claim).findings))

    assert answers() == (False, True, "FY2026",
                         "Resection of Appendix, Percutaneous Endoscopic Approach", "0DTJ0ZZ",
                         None, ["PCS_CODE_UNKNOWN"])
    add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order, data_dir=u)
    assert answers() == (True, False, "FY2027", "Resection of Appendix, Laparoscopic FY2027",
                         NEW, NEW, ["PCS_NOT_VALID_ON_DOS"])
    monkeypatch.undo()
    _cache.data_changed(reopen=True)
    assert icd10pcs.is_valid(NEW, on=day) is False


def test_releases_are_listed_and_removed(tmp_path: Path, order: Path, fresh: object,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """There was no command to see or undo what was added (the docs said: delete the file
    by hand, and restart every process)."""
    import json

    from codekit.cli import main

    data = tmp_path / "u"
    assert main(["data", "list", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out == ("no user releases (the bundled data answers for every "
                                       "date)\n")
    add_pcs_release(release_id="FY2027", effective="2026-10-01", order=order, data_dir=data)
    (data / "icd10pcs" / "BROKEN.ckt").write_bytes(b"junk")
    assert main(["data", "list", "--data-dir", str(data), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["system"], r["id"], r.get("effective"), "error" in r) for r in listed] == [
        ("icd10pcs", "FY2027", "2026-10-01", False), ("icd10pcs", "BROKEN", None, True)]
    with pytest.MonkeyPatch.context() as mp:  # the default user data directory
        mp.setenv("CODEKIT_DATA_DIR", str(data))
        _cache.data_changed(reopen=True)
        with pytest.raises(DataError, match=r"BROKEN\.ckt: not a codekit table"):
            icd10pcs.is_valid(NEW, on="2026-11-01")  # a damaged file whose dates are unknown
        assert main(["data", "remove", "--system", "icd10pcs", "--id", "BROKEN"]) == 0
        capsys.readouterr()
        assert icd10pcs.is_valid(NEW, on="2026-11-01")
        assert main(["data", "remove", "--system", "icd10pcs", "--id", "FY2027"]) == 0
        assert capsys.readouterr().out == \
            f"removed icd10pcs FY2027 ({data / 'icd10pcs' / 'FY2027.ckt'})\n"
        assert not icd10pcs.is_valid(NEW, on="2026-11-01")  # at once, in this process
        assert main(["data", "remove", "--system", "icd10pcs", "--id", "FY2027"]) == 3
        assert f"no icd10pcs release 'FY2027' in {data} (user releases there: none)" in \
            capsys.readouterr().err
        assert main(["data", "remove", "--system", "icd10cm", "--id", "FY2026"]) == 3
        assert "the bundled releases cannot be removed" in capsys.readouterr().err
