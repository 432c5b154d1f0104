"""``data/PROVENANCE.json``: one file, one key per code system, each written by its build,
and ``files``: the sha256 of every table in ``data/``, which codekit checks when it first
opens each table (:mod:`codekit._artifact`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._artifact import manifest_of

__all__ = ["update", "write_manifest"]


def _write(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def write_manifest(out: Path) -> dict[str, str]:
    """Set ``files`` in ``out/PROVENANCE.json``: the sha256 of every table under ``out``."""
    path = out / "PROVENANCE.json"
    doc: dict[str, Any] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    doc["files"] = manifest_of(out)
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
    doc["files"] = manifest_of(out)  # every build ends here: the manifest follows its files
    _write(path, doc)
    return doc
