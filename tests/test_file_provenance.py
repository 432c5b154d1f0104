"""What a table loaded from a user's file says of the file: its size and sha256, of the
bytes its rows were parsed from, taken in the same read.

The procedure files (MPFS, quarterly code lists, HCPCS files, CPT descriptors) recorded
a ``FileIdentity`` by reading the file again after parsing it (a file replaced between
the two was recorded with the new file's digest), after reading its start two or three
times more to tell its encoding and delimiter; the NCCI tables (``load_ptp``,
``load_mue``, ``load_addon``, a ``TableLibrary`` folder's files) recorded no digest.
The CMS NCCI extracts are read from ``../shared`` (skipped when absent).
"""

from __future__ import annotations

import builtins
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codekit import cpt, hcpcs, ncci, procedure
from tests.conftest import reference

MPFS = "code,status,pctc,bilateral,assistant,global_days\n99213,A,0,0,1,XXX\n" \
       "G2211,B,9,9,9,XXX\n20610,A,0,1,1,000\n"


def digest(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"file": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, int]:
    """How many times each file under ``tmp_path`` is opened."""
    real = builtins.open
    count: dict[str, int] = {}

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | os.PathLike):
            name = os.path.abspath(file)
            if name.startswith(str(tmp_path)):
                count[name] = count.get(name, 0) + 1
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting)
    return count


@pytest.fixture
def unload() -> Iterator[None]:
    try:
        yield
    finally:
        procedure.unload_mpfs()
        procedure.unload_quarters()
        cpt.unload_descriptors()


def test_a_procedure_file_is_hashed_in_the_read_that_parses_it(
        tmp_path: Path, opens: dict[str, int], unload: None) -> None:
    """One open to tell a workbook by its first bytes, one read of the content (the rows
    and the sha256 from the same bytes); it was 6 opens for an MPFS CSV."""
    rvu = tmp_path / "PPRRVU23_JAN.csv"
    rvu.write_text(MPFS)
    quarter = tmp_path / "October 2026 Addendum B.csv"
    quarter.write_text("code,status_indicator\n99213,V\nG2211,N\n")
    descriptors = tmp_path / "cpt_descriptors.txt"
    descriptors.write_text("99213\tAn office visit (a test text, not AMA's)\n")
    for path, load in ((rvu, procedure.load_mpfs), (quarter, procedure.load_quarter),
                       (descriptors, cpt.load_descriptors)):
        opens.clear()
        table = load(path)
        assert table.source.record() == digest(path), path.name
        assert table.source.path == str(path)
        assert opens == {str(path): 2}, path.name


def test_a_cms_hcpcs_workbook_is_read_once(tmp_path: Path, opens: dict[str, int]) -> None:
    path = tmp_path / "HCPC2025_OCT_ANWEB.xlsx"
    shutil.copyfile(reference("hcpcs_2025q4", path.name), path)
    opens.clear()
    release = hcpcs.load_release(path)
    try:
        assert release.source.record() == digest(path)
        assert opens == {str(path): 1}  # (a .xlsx name: no first bytes to look at)
    finally:
        hcpcs.unload_releases()


def test_ncci_tables_say_the_files_they_were_read_from(
        tmp_path: Path, opens: dict[str, int]) -> None:
    folder = reference("northstar_2024q3")
    names = ("ncci_mue_practitioner_2024q3.csv", "ncci_aoc_2024-06.csv",
             "ncci_ptp_outpatient_hospital_2024q3.csv.gz")
    for name in names:
        shutil.copyfile(folder / name, tmp_path / name)
    mue, aoc, ptp = (tmp_path / n for n in names)
    for path, load in ((mue, ncci.load_mue), (aoc, ncci.load_addon), (ptp, ncci.load_ptp)):
        opens.clear()
        table = load(path)
        assert table.meta["files"] == [digest(path)], path.name
        assert opens == {str(path): 2}, path.name
    # the parts of one PTP table, each (a CMS practitioner release comes in four)
    part = tmp_path / "ptp_hospital_2024q3_f2.csv"
    part.write_text("column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
                    "20610,99213,2020-01-01,*,1\n")
    table = ncci.load_ptp([ptp, part])
    assert table.meta["files"] == [digest(ptp), digest(part)]
    # and the files a library finds in a folder
    lib = ncci.TableLibrary(directory=tmp_path, bundled=False)
    found, note = lib.mue("practitioner", "2024-08-01")
    assert note is None and found.meta["files"] == [digest(mue)]


def test_a_policy_set_says_the_files_it_was_compiled_from(tmp_path: Path) -> None:
    """``policies.load`` of a folder: each file's path, size and sha256 of the bytes
    compiled (read once); the shipped Medicare set's are the manifest's."""
    import json

    from codekit import policies
    from tests.conftest import ROOT

    rule = 'rule {id}\n  payer: medicare\n  source: "s"\n  for each line where procedure ' \
           'in 98940-98942\n  require first pointed dx in M99.00-M99.05\nend\n'
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a.policy", tmp_path / "b" / "c.policy"
    first.write_text(rule.format(id="X-A"))
    second.write_bytes(b"\xef\xbb\xbf" + rule.format(id="X-B").encode())  # a BOM, hashed too
    loaded = policies.load(tmp_path)
    assert loaded.ids == ("X-A", "X-B")
    assert [(f["file"], f["bytes"], f["sha256"]) for f in loaded.files] == [
        (str(p), d["bytes"], d["sha256"]) for p, d in ((first, digest(first)),
                                                        (second, digest(second)))]
    assert policies.loads(rule.format(id="X-C")).files == ()
    both = policies.load(first) + policies.load(second)
    assert [f["file"] for f in both.files] == [str(first), str(second)]
    manifest = json.loads((ROOT / "data" / "PROVENANCE.json").read_text("utf-8"))["files"]
    shipped = {Path(f["file"]).relative_to(ROOT / "data").as_posix(): f["sha256"]
               for f in policies.default_policies().files}
    assert shipped == {k: v for k, v in manifest.items() if k.endswith(".policy")}
