"""The search indexes of the bundled data (``data/icd10cm/search.ckt``,
``data/procedures/search.ckt``), built from the tables already in the data folder.

``python -m codekit.build search`` rebuilds them from whatever ``data/`` holds (run it
after the release tables change); ``python -m codekit.build bundled`` builds them last.
ICD-10-CM: every code ever billable, each of its titles and the notes of each bundled
tabular that has it, headers pointing to their default codes, Excludes notes that name one
code, every text with the releases whose dates it answers for (see
:mod:`codekit.icd10cm._search`). The same tables give the same bytes (the build is
reproducible: ``tests/test_search.py`` rebuilds it and compares). HCPCS Level II: every code of the
bundled quarters with its CMS short descriptors (see :mod:`codekit._procedures._search`).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from .. import _artifact
from ..hcpcs import pack_search as pack_hcpcs_search
from ..icd10cm import Store
from ..icd10cm._search import pack_search as pack_icd10cm_search
from ..procedure import ProcedureStore
from . import provenance

__all__ = ["build_search"]


def _record(path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    data = path.read_bytes()
    return {"file": f"{path.parent.name}/{path.name}", "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            **{k: meta[k] for k in ("documents", "codes", "words") if k in meta},
            **{k: meta[k] for k in ("releases", "tabular", "quarters") if k in meta}}


def build_search(out: Path) -> dict[str, Any]:
    """Write the search indexes into ``out`` (a data folder) and their provenance."""
    records = {}
    with tempfile.TemporaryDirectory() as no_user_data:  # bundled tables only
        meta, sections = pack_icd10cm_search(Store(out, Path(no_user_data)))
    path = out / "icd10cm" / "search.ckt"
    _artifact.write(path, meta, sections)
    records["icd10cm"] = _record(path, meta)
    meta, sections = pack_hcpcs_search(ProcedureStore(out))
    path = out / "procedures" / "search.ckt"
    _artifact.write(path, meta, sections)
    records["hcpcs"] = _record(path, meta)
    provenance.update(out, "search", records, [])
    return records
