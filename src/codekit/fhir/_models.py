"""The fhir.resources side: validating a resource against its FHIR R4 (R4B models)
definition, and the models themselves, imported on first use."""

from __future__ import annotations

import functools
from typing import Any

from .. import _cache
from .._show import shown
from ..errors import ExtraNotInstalled

__all__ = ["MAX_PROBLEMS", "model_class", "problems"]

#: The most structure problems reported for one resource (the rest are counted).
MAX_PROBLEMS = 50


def _model_class(resource_type: str) -> Any:
    """The fhir.resources R4B model class of a resource type (R4B is the models' FHIR R4
    line: R4 content validates with them)."""
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError:  # pragma: no cover - the extra is installed in the test suite
        raise ExtraNotInstalled(
            "codekit.fhir validates resources with fhir.resources: pip install "
            "'codekit[fhir]' (or pass validate=False for trusted input)",
            extra="fhir", package="fhir.resources") from None
    return get_fhir_model_class(resource_type)


model_class = _cache.owned("fhir.models", functools.lru_cache(maxsize=64)(_model_class))


#: Elements of a Claim in FHIR STU3 that R4 renamed: a resource written in the older
#: version is said to be so, not only to have "extra inputs".
STU3 = {"service": "productOrService", "diagnosisLinkId": "diagnosisSequence",
        "careTeamLinkId": "careTeamSequence", "informationLinkId": "informationSequence",
        "procedureLinkId": "procedureSequence"}


def problems(resource: dict[str, Any], resource_type: str, root: str
             ) -> list[tuple[str, str]]:
    """``(FHIRPath, message)`` for each way ``resource`` breaks its FHIR definition
    (fhir.resources' validation); empty when it is valid."""
    try:
        cls = model_class(resource_type)
    except KeyError:
        return [(root, f"unknown resource type {resource_type!r}")]
    try:
        cls.model_validate(resource)
    except (KeyError, TypeError):
        # fhir.resources looks a contained resource's model up by its resourceType
        # unchecked: "x", "" or a number is a KeyError or a TypeError, not a finding
        for i, inner in enumerate(resource.get("contained") or ()):
            kind = inner.get("resourceType") if isinstance(inner, dict) else None
            try:
                known = isinstance(kind, str) and model_class(kind) is not None
            except (KeyError, ValueError):  # "x is not a valid FHIR Model"
                known = False
            if not known:
                return [(f"{root}.contained[{i}].resourceType",
                         f"unknown resource type {shown(kind, 40)}")]
        return [(root, "fhir.resources cannot validate it (a resource inside it has no "
                 "resource type it knows)")]
    except ValueError as e:  # pydantic.ValidationError
        errors = getattr(e, "errors", None)
        if not callable(errors):
            return [(root, str(e)[:500])]
        out: list[tuple[str, str]] = []
        items = errors(include_url=False)
        for err in items[:MAX_PROBLEMS]:
            where = root
            for part in err.get("loc", ()):
                if type(part) is int:
                    where += f"[{part}]"
                elif isinstance(part, str) and part not in ("__root__",) and \
                        not part.startswith("function-"):
                    where += "." + ("resourceType" if part == "resource_type" else part)
            msg = str(err.get("msg", "invalid"))
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            last = where.rsplit(".", 1)[-1]
            if last in STU3 and msg == "Extra inputs are not permitted":
                msg += (f" ({last} is FHIR STU3's element; codekit reads FHIR R4, where it "
                        f"is {STU3[last]})")
            out.append((where, " ".join(msg.split())[:300]))
        if len(items) > MAX_PROBLEMS:
            out.append((root, f"... and {len(items) - MAX_PROBLEMS} more problems"))
        return out
    return []
