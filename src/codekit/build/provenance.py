"""``data/PROVENANCE.json``: one file, one key per code system, each written by its build,
and ``files``: the sha256 of every table in ``data/``, which codekit checks when it first
opens each table (:mod:`codekit._artifact`).

The bundled build writes into ``data/`` in place, and its later steps read what the earlier
ones wrote (through the same stores that check every table against ``files``). Two rules
keep that working: every step ends with :func:`update`, which lists the files on disk
*and* makes the process forget the manifest it read before
(:func:`codekit._artifact.forget_manifests`); and a step that opens tables of ``data/``
does so before it writes any file of its own (a file written and not yet listed is
refused: :func:`codekit.build.ioce.build_ioce`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .._artifact import forget_manifests, manifest_of, write_headers

__all__ = ["INDEXED", "update", "write_manifest"]

#: The folders of ``data/`` given a header index (:func:`codekit._artifact.write_headers`),
#: rewritten with every manifest: ICD-10-CM's store opens its 20 tables from their recorded
#: headers, each file hashed only when it is first read.
INDEXED = ("icd10cm",)


def _files(out: Path) -> dict[str, str]:
    """The header indexes of :data:`INDEXED` rewritten from the tables on disk, then the
    ``files`` manifest (which lists the indexes too)."""
    for name in INDEXED:
        if (out / name).is_dir():
            write_headers(out / name)
    return manifest_of(out)


def _write(path: Path, doc: dict[str, Any]) -> None:
    """Write ``doc`` to ``path`` whole (a temporary file renamed into place: a process
    reading the manifest meanwhile reads the old one or the new one) and make this
    process check tables against it from now on."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)
    forget_manifests()


def write_manifest(out: Path) -> dict[str, str]:
    """Set ``files`` in ``out/PROVENANCE.json``: the sha256 of every table under ``out``."""
    path = out / "PROVENANCE.json"
    doc: dict[str, Any] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    doc["files"] = _files(out)
    _write(path, doc)
    return doc["files"]


def update(out: Path, key: str, value: Any, carriers: list[dict[str, Any]]) -> dict[str, Any]:
    """Set ``key`` in ``out/PROVENANCE.json`` (keeping other keys) and merge ``carriers``."""
    path = out / "PROVENANCE.json"
    doc: dict[str, Any] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    doc["generated_by"] = "python -m codekit.build bundled"
    doc["licence"] = ("CDC/NCHS and CMS publications: US-government works in the public "
                      "domain. No CPT descriptor is included.")
    # Each carrier says which builds read it: a build re-declares what it reads, so a
    # carrier no build reads any more drops out (as do entries of the older layout).
    merged = {}
    for c in doc.get("carriers", []):
        users = [u for u in c.get("used_by", []) if u != key]
        if users:
            merged[(c["package"], c["version"])] = {**c, "used_by": users}
    for c in carriers:
        old = merged.get((c["package"], c["version"]))
        if old is not None:
            c = {**old, **c, "members": {**old.get("members", {}), **c.get("members", {})},
                 "used_by": sorted({*old["used_by"], key})}
        else:
            c = {**c, "used_by": [key]}
        merged[(c["package"], c["version"])] = c
    doc["carriers"] = [merged[k] for k in sorted(merged)]
    doc[key] = value
    doc["files"] = _files(out)  # every build ends here: the manifest follows its files
    _write(path, doc)
    return doc
