"""The bundled build writes into the checkout's own ``data/`` (``python -m codekit.build
bundled``), where every table it reads back is checked against ``data/PROVENANCE.json``.

Two orders made it fail there (and only there: built into a copy, nothing is checked):
a later step's store checked its tables against the manifest an earlier step had read,
which lacked the files written since (``conversion.ckt is not one of codekit's bundled
files``); and the I/OCE build wrote ``ioce_principal.ckt`` before opening the ICD-10-CM
store that checks every table of ``data/icd10cm`` (``ioce_principal.ckt is damaged``).
These tests run those steps on a small data root and on a copy of ``data/`` that codekit
reads as its bundled data, without the carriers (a whole build is minutes:
docs/icd10cm.md, "Rebuilding data/").
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import codekit
from codekit import DataError, _artifact, _paths, icd10cm
from codekit.build import ioce as ioce_build
from codekit.build import provenance
from codekit.build._ioce_tables import IoceTables

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def bundled_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``bundled_at(path)``: codekit reads ``path`` as its bundled data from then on."""

    def use(path: Path) -> Path:
        monkeypatch.setattr(_paths, "_REPO_DATA", path)
        assert _paths.bundled_data_dir() == path
        codekit.clear_caches()
        return path

    yield use
    monkeypatch.undo()
    codekit.clear_caches()


def _table(path: Path, codes: list[str]) -> None:
    _artifact.write(path, {"kind": "demo"}, {"codes": _artifact.pack_strings(codes)})


def test_each_manifest_written_is_the_one_the_next_step_checks_against(
        tmp_path: Path, bundled_at: Any) -> None:
    root = bundled_at(tmp_path / "data")
    _table(root / "icd10cm" / "a.ckt", ["A00"])
    provenance.update(root, "first", {"n": 1}, [])
    assert _artifact.Table(root / "icd10cm" / "a.ckt")._checked  # read the manifest
    _table(root / "icd10cm" / "b.ckt", ["B00"])
    provenance.update(root, "second", {"n": 2}, [])
    # checked against the manifest on disk, which lists it (not the one read before)
    assert _artifact.Table(root / "icd10cm" / "b.ckt")._checked
    doc = json.loads((root / "PROVENANCE.json").read_text("utf-8"))
    # with the folder's header index, rewritten with the manifest: both tables in it
    assert sorted(doc["files"]) == ["icd10cm/a.ckt", "icd10cm/b.ckt", "icd10cm/headers.ckt"]
    assert _artifact.bundled_headers(root / "icd10cm") == {"a.ckt": {"kind": "demo"},
                                                          "b.ckt": {"kind": "demo"}}
    assert (doc["first"], doc["second"]) == ({"n": 1}, {"n": 2})
    assert sorted(p.name for p in root.iterdir()) == ["PROVENANCE.json", "icd10cm"]  # no .tmp
    # a table written after the last manifest is still refused
    _table(root / "icd10cm" / "c.ckt", ["C00"])
    with pytest.raises(DataError, match=r"c\.ckt is not one of codekit's bundled files"):
        _artifact.Table(root / "icd10cm" / "c.ckt")


class _Sources:
    """The pinned pyoce carrier, not read: :class:`_Ioce` stands for its tables."""

    def __init__(self, cache: Path) -> None:
        self.used: dict[str, dict[str, Any]] = {}

    def read(self, spec: str, member: str) -> bytes:
        return b""

    def ref(self, spec: str, member: str) -> dict[str, str]:
        return {"package": spec, "member": member, "sha256": "0" * 64}


class _Ioce:
    """Three I/OCE versions (v24.3 2023-Q4, v25.0 2024-Q1, v25.1 2024-Q2) and a diagnosis
    table of two codes: Z02.84 limited to ages 0-17 from v25.0 (the MCE adds the same
    limit on 2024-04-01), B95.0 unacceptable as principal diagnosis."""

    _VERSIONS = ((1, "24.3", (2023, 10, 1), (2023, 12, 31)),
                 (2, "25.0", (2024, 1, 1), (2024, 3, 31)),
                 (3, "25.1", (2024, 4, 1), (2024, 6, 30)))
    _DX = ((b"Z0284|1", {"lo_age": None, "hi_age": 124, "lo_version": 1, "hi_version": 1}),
           (b"Z0284|2", {"lo_age": 0, "hi_age": 17, "lo_version": 2, "hi_version": 3}),
           (b"B950|1", {"lo_age": None, "hi_age": 124, "lo_version": 1, "hi_version": 3,
                        "unacceptable_pdx": True}))

    dates = IoceTables.dates

    def __init__(self, raw: bytes, tmp: Path) -> None:
        self.versions = [(n, v, dt.date(*a), dt.date(*b)) for n, v, a, b in self._VERSIONS]
        self.pos = {v[0]: i for i, v in enumerate(self.versions)}

    def rows(self, name: bytes) -> Iterator[tuple[bytes, dict[str, Any]]]:
        if name == b"data_dx10":
            for key, row in self._DX:
                yield key, {"unacceptable_pdx": False, "unacceptable_pdx_exclusion": False,
                            "mental_health": False, "code_first": False, **row}

    def close(self) -> None:
        pass


def test_the_ioce_build_reads_the_icd10cm_tables_before_it_writes_beside_them(
        tmp_path: Path, bundled_at: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = bundled_at(tmp_path / "data")
    shutil.copytree(DATA, out)
    monkeypatch.setattr(ioce_build, "Sources", _Sources)
    monkeypatch.setattr(ioce_build, "IoceTables", _Ioce)
    # ioce_principal.ckt gets other bytes than the manifest lists: written before the
    # ages' store opened data/icd10cm, it was "damaged"
    value = ioce_build.build_ioce(tmp_path / "no-carriers", out)
    assert [(f["file"], f["rows"]) for f in value["files"]] == [
        ("icd10cm/ioce_principal.ckt", 1), ("icd10cm/ioce_principal_inpatient.ckt", 0),
        ("icd10cm/ioce_age.ckt", 1), ("icd10cm/ioce_mental_health.ckt", 0),
        ("icd10cm/ioce_code_first.ckt", 0), ("ncci/addon_ioce.ckt", 0),
        ("procedures/cs_waiver.ckt", 0), ("procedures/revenue.ckt", 0),
        ("procedures/ioce_companion.ckt", 0)]
    rows = _artifact.Table(out / "icd10cm" / "ioce_age.ckt").section("rows").decode()
    assert rows == "\t".join(["Z0284", str(dt.date(2024, 1, 1).toordinal()),
                              str(dt.date(2024, 3, 31).toordinal()), "0", "17", "pediatric"])
    manifest = json.loads((out / "PROVENANCE.json").read_text("utf-8"))["files"]
    assert manifest == _artifact.manifest_of(out)
    # codekit answers from what was just built, every table checked against that manifest
    assert icd10cm.ioce_age_limit("Z02.84", on="2024-01-12") == (0, 17, "pediatric")
    assert icd10cm.ioce_age_limit("Z02.84", on="2023-12-31") is None
    assert icd10cm.ioce_age_limit("Z02.84", on="2024-04-01") is None  # the MCE agrees
    assert icd10cm.ioce_age_limit("Z13.32", on="2024-01-12") is None  # not in this table
