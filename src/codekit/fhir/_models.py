"""The fhir.resources side: validating a resource against its FHIR R4 (R4B models)
definition, and the models themselves, imported on first use."""

from __future__ import annotations

import functools
import re
from typing import Any

from .. import _cache
from .._show import json_kind, shown
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
    except RecursionError:
        # fhir.resources recurses in Python per level: nested extensions some 125 deep (or
        # Bundles some 60 deep in contained) pass Python's limit, far below the JSON the
        # reader takes: said, not raised (a 500 from the server, a traceback from the CLI)
        return [(root, "nested too deeply for FHIR model validation (fhir.resources "
                 "stops past about 100 levels of elements, extensions in extensions or "
                 "Bundles in contained): not validated; the elements codekit reads were "
                 "read and checked")]
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
        seen: set[str] = set()
        for err in items[:MAX_PROBLEMS]:
            where = root
            for part in err.get("loc", ()):
                if type(part) is int:
                    where += f"[{part}]"
                elif isinstance(part, str) and part not in _NOT_ELEMENTS and \
                        not part.startswith("function-"):
                    where += "." + ("resourceType" if part == "resource_type" else
                                    _element_name(part))
            if where in seen:  # one fault, one problem (a RootModel's own "root" too)
                continue
            seen.add(where)
            # the element's path in its resource, without indexes: Claim.item.traceNumber
            element = resource_type + re.sub(r"\[\d+\]", "", where[len(root):])
            out.append((where, " ".join(_message(err, element).split())[:300]))
        if len(items) > MAX_PROBLEMS:
            out.append((root, f"... and {len(items) - MAX_PROBLEMS} more problems"))
        return out
    return []


#: The longest element name a problem repeats (FHIR's longest is under 40 characters):
#: a property named with a million letters is not sent back whole.
_MAX_NAME = 64


def _element_name(name: str) -> str:
    """An element name as a problem's path says it: when it is longer than any FHIR
    element's (:data:`_MAX_NAME`), its first 40 characters and an ellipsis. The path is
    the issue's FHIRPath ``expression``, split at its dots into a location: no length is
    added (the message of a cut text says its length; a path holds element names only).

    >>> _element_name("traceNumber")
    'traceNumber'
    >>> _element_name("z" * 1_000_000) == "z" * 40 + "\u2026"
    True
    """
    if len(name) <= _MAX_NAME:
        return name
    return f"{name[:_MAX_NAME - 24]}\u2026"  # no dot: the path is split at dots


#: Parts of a pydantic error's location that name no FHIR element: a RootModel's value
#: (``root``: fhir.resources' complex types; FHIRPath has no such step) and the old name.
_NOT_ELEMENTS = frozenset({"root", "__root__"})


def _message(err: dict[str, Any], element: str) -> str:
    """A pydantic error as a problem of ``element`` (its path in the resource, without
    indexes: ``Claim.item.traceNumber``), in JSON's words (a value where an object
    belongs: ``must be a CodeableConcept (a JSON object), got a number (5)``, not
    pydantic's ``got type <class 'int'>``), FHIR STU3's and R5's elements named as
    theirs."""
    kind = err.get("type")
    given = err.get("input")
    if kind == "model_validation_format":  # a value where a complex type belongs
        ctx = err.get("ctx")
        model = ctx.get("model_class") if isinstance(ctx, dict) else None
        what = f"a {model} (a JSON object)" if isinstance(model, str) else "a JSON object"
        r5 = " (an R5 item.bodySite is a list of sites; R4's is one CodeableConcept)" \
            if isinstance(given, list) and element.endswith(".item.bodySite") else ""
        return f"must be {what}, got {json_kind(given)}{r5}"
    if kind == "json_invalid":  # a string where an object belongs, read as JSON text
        return f"must be a JSON object, got {json_kind(given)}"
    msg = str(err.get("msg", "invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if msg == "Extra inputs are not permitted":
        last = element.rsplit(".", 1)[-1]
        if last in STU3:
            msg += (f" ({last} is FHIR STU3's element; codekit reads FHIR R4, where it "
                    f"is {STU3[last]})")
        elif element.replace("ExplanationOfBenefit.", "Claim.", 1) in R5 or \
                last in R5_ANYWHERE:
            msg += f" ({last} is FHIR R5's element; codekit reads FHIR R4, which has none)"
    return msg


#: Elements of a FHIR R5 Claim (or ExplanationOfBenefit) that R4 does not have, by path
#: (resource type as ``Claim``): a resource written in R5 is said to be one, as an STU3
#: one is, not only to have "extra inputs".
R5 = frozenset({
    "Claim.encounter", "Claim.event", "Claim.careTeam.specialty", "Claim.item.request",
    "Claim.item.tax", "Claim.item.detail.tax", "Claim.item.detail.subDetail.tax",
    "Claim.item.bodySite.site", "Claim.item.bodySite.subSite",
})
#: Elements R5 added wherever they are (the claim's, its items', their details').
R5_ANYWHERE = frozenset({"traceNumber", "productOrServiceEnd", "patientPaid",
                         "diagnosisRelatedGroup"})
