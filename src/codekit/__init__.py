"""codekit: medical-code validation by date of service.

>>> import codekit
>>> codekit.icd10cm.is_valid("E11.65", on="2025-06-01")
True

Submodules load on first use; ``import codekit`` reads no data table.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    CheckerError,
    ClaimFormatError,
    CodekitError,
    ConfigurationError,
    DataError,
    ExtraNotInstalled,
    FhirFormatError,
    FileLimitExceeded,
    InvalidArgument,
    InvalidFormat,
    InvalidModifier,
    MalformedFile,
    ModifierNotValidOnDate,
    NotBillable,
    NoteParseError,
    NotValidOnDate,
    PlaceholderMissing,
    PolicyError,
    SeventhCharacterInvalid,
    SeventhCharacterMissing,
    UnknownCode,
    UnknownEdit,
    ValidationError,
    ValueNotAllowed,
    WorkerDied,
    X12ClaimUnreadable,
    X12Error,
    X12NotReadable,
    X12Unsupported,
)

if TYPE_CHECKING:
    # What the lazy names below are, for type checkers and IDEs (never run: ``import
    # codekit`` imports no submodule).
    from . import (
        batch,
        cells,
        checker,
        claims,
        codesystem,
        cpt,
        errors,
        findings,
        hcpcs,
        icd10cm,
        icd10pcs,
        modifiers,
        ncci,
        poa,
        policies,
        procedure,
        rules,
        x12,
    )
    from ._cache import clear_caches
    from ._files import FileLimits
    from .checker import Checker, check
    from .claims import Claim, Patient, ServiceLine
    from .findings import Finding, Report, Severity
    from .rules import Profile

    __version__: str

__all__ = [
    "Checker",
    "CheckerError",
    "Claim",
    "ClaimFormatError",
    "CodekitError",
    "ConfigurationError",
    "DataError",
    "ExtraNotInstalled",
    "FhirFormatError",
    "FileLimitExceeded",
    "FileLimits",
    "Finding",
    "InvalidArgument",
    "InvalidFormat",
    "InvalidModifier",
    "MalformedFile",
    "ModifierNotValidOnDate",
    "NotBillable",
    "NotValidOnDate",
    "NoteParseError",
    "Patient",
    "PlaceholderMissing",
    "PolicyError",
    "Profile",
    "Report",
    "ServiceLine",
    "SeventhCharacterInvalid",
    "SeventhCharacterMissing",
    "Severity",
    "UnknownCode",
    "UnknownEdit",
    "ValidationError",
    "ValueNotAllowed",
    "WorkerDied",
    "X12ClaimUnreadable",
    "X12Error",
    "X12NotReadable",
    "X12Unsupported",
    "__version__",
    "batch",
    "cells",
    "check",
    "checker",
    "claims",
    "clear_caches",
    "codesystem",
    "cpt",
    "data_id",
    "errors",
    "findings",
    "hcpcs",
    "icd10cm",
    "icd10pcs",
    "modifiers",
    "ncci",
    "poa",
    "policies",
    "preload",
    "procedure",
    "rules",
    "schema",
    "x12",
]

_LAZY_SUBMODULES = {"icd10cm", "icd10pcs", "poa", "cpt", "hcpcs", "modifiers", "procedure",
                    "ncci", "rules", "claims", "policies", "findings", "checker", "x12",
                    "cells", "batch", "codesystem"}
# Public names that live in submodules, imported on first use.
_LAZY_NAMES = {
    "Claim": "claims", "Patient": "claims", "ServiceLine": "claims",
    "Checker": "checker", "check": "checker",
    "Finding": "findings", "Report": "findings", "Severity": "findings",
    "Profile": "rules",
    "clear_caches": "_cache",
    "FileLimits": "_files",
}


def schema(name: str) -> dict[str, Any]:
    """The published JSON Schema ``"claim"`` (the dict :meth:`Claim.from_dict` reads) or
    ``"report"`` (what :meth:`Report.to_dict` writes), version 1.

    >>> schema("report")["title"]
    'codekit report (version 1)'
    """
    import json
    from pathlib import Path

    if name not in ("claim", "report"):
        raise InvalidArgument(f"schema {name!r}: expected 'claim' or 'report'")
    path = Path(__file__).with_name("schemas") / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def preload() -> None:
    """Read every bundled table now (ICD-10-CM releases and validity, ICD-10-PCS, the POA
    exempt lists, procedure codes and modifiers, the NCCI hospital PTP and add-on tables)
    instead of on first use: a service calls it once at start-up, so that no request pays
    for it."""
    from . import icd10cm, icd10pcs, ncci, poa, procedure

    icd10cm.preload()
    icd10pcs.preload()
    poa.fiscal_years()
    procedure.preload()
    ncci.hospital_ptp()
    ncci.addons()


def data_id() -> str:
    """The id of the bundled data that answers: 16 hexadecimal digits of the sha256 of
    the list of every bundled table and policy file with its sha256 (the ``files`` of
    ``data/PROVENANCE.json``). The data is rebuilt (a code list fixed, a table added)
    more often than the version changes: two installs of one version with different data
    have different ids, and the same files give the same id everywhere. ``codekit
    --version`` and the server's ``GET /ready`` say it; keep it with the reports of a
    batch, so that a report can be traced to the data that judged it. (Releases and
    files you add or load at run time are not part of it: ``codekit --version`` and
    ``GET /ready`` name those.)

    >>> i = data_id()
    >>> len(i), int(i, 16) >= 0, i == data_id()
    (16, True, True)
    """
    from ._artifact import bundled_id

    return bundled_id()


def _data_facts() -> dict[str, tuple[Any, tuple[Any, ...]]]:
    """What the data of each code system and table describes, for ``codekit --version``
    (``cli.codes.data_summary``) and the server's ``GET /ready`` to say, each in its own
    words: by name, in the order they are said, the dates it covers (None: it is not
    dated, the POA-exempt lists) and its releases: ICD-10-CM's (``icd10cm.releases()``),
    the HCPCS files loaded (``hcpcs.releases()``), the POA-exempt lists' fiscal years. The
    NCCI tables cover the bundled add-on table's dates, else the procedure codes'."""
    from . import cpt, hcpcs, icd10cm, icd10pcs, ncci, poa

    return {"ICD-10-CM": (icd10cm.coverage(), tuple(icd10cm.releases())),
            "ICD-10-PCS": (icd10pcs.coverage(), ()),
            "CPT/HCPCS": (cpt.coverage(), tuple(hcpcs.releases())),
            "NCCI": (ncci.addons().coverage() or cpt.coverage(), ()),
            "POA exempt": (None, tuple(poa.fiscal_years()))}


def __getattr__(name: str) -> Any:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY_NAMES[name]}"), name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("codekit")
        except PackageNotFoundError:  # running from a source tree without install
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
