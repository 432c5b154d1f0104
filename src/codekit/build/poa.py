"""Building ``data/poa/exempt.ckt``: the CDC lists of ICD-10-CM codes exempt from
present-on-admission (POA) reporting, FY2019-FY2026.

``python -m codekit.build pcs --reference DIR`` reads
``DIR/cdc_poa_exempt/POAexemptCodesFYyy.txt.xz`` (the tab-delimited list of the CDC zip of
each fiscal year: order number, dotted code, long title), checks every code against the
ICD-10-CM grammar, and writes every code that was ever exempt with an 8-bit mask of the
fiscal years whose list holds it. Titles are not kept (the ICD-10-CM tables have them).
The layout is read by :mod:`codekit.poa`.
"""

from __future__ import annotations

import hashlib
import lzma
import re
from array import array
from pathlib import Path
from typing import Any

from .. import _artifact
from ..errors import DataError, MalformedFile

__all__ = ["build_poa", "read_exempt_list"]

YEARS = tuple(range(2019, 2027))
_DX = re.compile(r"[A-Z][0-9A][0-9A-Z](?:\.[0-9A-Z]{1,4})?")


def read_exempt_list(text: str, path: str = "<POA exempt list>") -> list[str]:
    """The compact codes of one CDC POA-exempt list (header line first)."""
    lines = text.splitlines()
    if not lines or "POAexemptCode" not in lines[0]:
        raise MalformedFile(f"{path}: not a CDC POA-exempt list (no header)", path=path,
                            reason="header")
    codes = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        parts = line.split("\t")
        code = parts[1].strip() if len(parts) >= 2 else ""
        if not _DX.fullmatch(code):
            raise MalformedFile(f"{path}:{n}: {code!r} is not an ICD-10-CM code", path=path,
                                line=n, reason="code")
        codes.append(code.replace(".", ""))
    if not codes:
        raise MalformedFile(f"{path}: no codes", path=path, reason="empty")
    return codes


def build_poa(reference: Path, out: Path) -> dict[str, Any]:
    """Write ``out/poa/exempt.ckt``; returns its provenance record."""
    masks: dict[str, int] = {}
    files = []
    counts = {}
    for k, y in enumerate(YEARS):
        rel = f"cdc_poa_exempt/POAexemptCodesFY{y % 100:02d}.txt.xz"
        path = Path(reference) / rel
        if not path.is_file():
            raise DataError(f"{path}: missing (the reference directory must hold {rel})")
        raw = path.read_bytes()
        data = lzma.decompress(raw)
        codes = read_exempt_list(data.decode("latin-1"), rel)
        counts[f"FY{y}"] = len(set(codes))
        for c in codes:
            masks[c] = masks.get(c, 0) | 1 << k
        files.append({"file": rel, "what": f"CDC POA-exempt codes FY{y}",
                      "sha256": hashlib.sha256(raw).hexdigest(),
                      "sha256_uncompressed": hashlib.sha256(data).hexdigest()})
    codes = sorted(masks)
    out_path = Path(out) / "poa" / "exempt.ckt"
    meta = {"kind": "poa-exempt", "years": list(YEARS), "sources": files,
            "counts": {"codes": len(codes), **counts}}
    _artifact.write(out_path, meta, {"codes": _artifact.pack_strings(codes),
                                     "years": array("B", (masks[c] for c in codes)).tobytes()})
    return {"file": "poa/exempt.ckt", "years": list(YEARS), "counts": meta["counts"],
            "reference_files": files, "bytes": out_path.stat().st_size,
            "sha256": hashlib.sha256(out_path.read_bytes()).hexdigest()}
