"""An HTTP front for codekit in FHIR terms (``pip install 'codekit[server]'``: Starlette
and uvicorn). See ``docs/server.md``.

=====================================  ==========================================================
``POST /Claim/$validate``              a Claim, a Bundle of Claims, or a Parameters resource whose
                                       ``resource`` is one -> an OperationOutcome (a
                                       ``batch-response`` Bundle of them for a Bundle, or
                                       for several ``resource`` parameters)
``GET|POST /CodeSystem/$validate-code``  ``url`` (or ``system``), ``code``, ``display``, ``date``
                                       -> Parameters (``result``, ``message``, ``display``,
                                       ``suggestion``...)
``GET|POST /CodeSystem/$lookup``       ``system``, ``code``, ``date`` -> Parameters
``GET /metadata``                      the CapabilityStatement
=====================================  ==========================================================

Everything is FHIR JSON in and out (``application/fhir+json``); an error is an
OperationOutcome with the HTTP status that fits (400 bad input, 404 unknown code or path,
405, 413 too large, 415). ``codekit serve`` listens on 127.0.0.1 unless told otherwise.

>>> app = create_app()
>>> sorted(r.path for r in app.routes)  # doctest: +NORMALIZE_WHITESPACE
['/Claim/$validate', '/CodeSystem/$lookup', '/CodeSystem/$validate-code', '/metadata']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import CodekitError, ExtraNotInstalled, InvalidArgument, ValidationError

if TYPE_CHECKING:
    from ..checker import Checker
    from ..fhir import Resolver

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "MAX_BODY", "create_app", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
#: The largest request body accepted (bytes).
MAX_BODY = 32 * 1024 * 1024
FHIR_JSON = "application/fhir+json"


def _imports() -> tuple[Any, ...]:
    try:
        from starlette.applications import Starlette
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route
    except ImportError:  # pragma: no cover - the extra is installed in the test suite
        raise ExtraNotInstalled("codekit.server needs Starlette and uvicorn: pip install "
                                "'codekit[server]'", extra="server",
                                package="starlette") from None
    return Starlette, run_in_threadpool, Request, Response, Route


def _holds_any(data: list[Any]) -> bool:
    """Whether a JSON list (lists in it nested to any depth) holds anything but lists:
    ``[]`` and ``[[]]`` hold nothing to check, which the server answers as it does an
    empty Bundle (400), not as an empty batch."""
    stack = [data]
    while stack:
        for item in stack.pop():
            if not isinstance(item, list):
                return True
            stack.append(item)
    return False


def _outcome(status: int, code: str, message: str, *, rule: str | None = None,
             fix: tuple[str, ...] = ()) -> tuple[int, dict[str, Any]]:
    from ..fhir import RULE_SYSTEM, fix_extensions

    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": message}
    if rule:
        issue["details"] = {"coding": [{"system": RULE_SYSTEM, "code": rule}]}
    if fix:
        issue["extension"] = fix_extensions(fix)  # as codekit.fhir.check writes a fix
    return status, {"resourceType": "OperationOutcome", "issue": [issue]}


def _capabilities() -> dict[str, Any]:
    from .. import __version__

    return {
        "resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
        "date": "2026-01-01", "fhirVersion": "4.0.1", "format": ["json"],
        "software": {"name": "codekit", "version": str(__version__)},
        "rest": [{"mode": "server", "resource": [
            {"type": "Claim", "operation": [{"name": "validate",
                                             "definition": "http://hl7.org/fhir/OperationDefinition/Resource-validate"}]},
            {"type": "CodeSystem", "operation": [
                {"name": "validate-code",
                 "definition": "http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code"},
                {"name": "lookup",
                 "definition": "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup"}]}]}]}


def create_app(*, checker: Checker | None = None, validate: bool = True,
               resolver: Resolver | None = None, max_body: int = MAX_BODY) -> Any:
    """The Starlette application. ``checker`` checks the claims (the default
    :class:`~codekit.Checker` if None); ``validate=False`` skips fhir.resources' model
    validation of incoming Claims (trusted senders: several times faster);
    ``resolver`` looks up references a Claim does not hold (see :func:`codekit.fhir.read`);
    ``max_body`` caps a request's size in bytes."""
    Starlette, run_in_threadpool, _, Response, Route = _imports()
    from .. import fhir
    from ..fhir import terminology

    def reply(status: int, body: dict[str, Any]) -> Any:
        return Response(json.dumps(body, separators=(",", ":")), status_code=status,
                        media_type=FHIR_JSON)

    async def body_json(request: Any) -> tuple[int, Any]:
        """(0, data) or (status, OperationOutcome)."""
        ctype = request.headers.get("content-type", "")
        if ctype and "json" not in ctype:
            return _outcome(415, "not-supported", f"content type {ctype!r}: send FHIR JSON "
                            f"({FHIR_JSON})")
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > max_body:
            return _outcome(413, "too-costly", f"the body is {int(length):,} bytes; at most "
                            f"{max_body:,}")
        chunks = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                return _outcome(413, "too-costly", f"the body is over {max_body:,} bytes")
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw.strip():
            return _outcome(400, "required", "the request has no body")
        try:
            return 0, fhir.load(raw)
        except CodekitError as e:
            return _outcome(400, "structure", str(e), rule=e.code)

    def run_check(data: Any) -> tuple[int, dict[str, Any]]:
        out = fhir.check(data, checker=checker, resolver=resolver, validate=validate)
        fatal = out.get("resourceType") == "OperationOutcome" and any(
            i.get("severity") == "fatal" for i in out.get("issue", ()))
        return (400 if fatal else 200), out

    def run_batch(resources: list[Any]) -> tuple[int, dict[str, Any]]:
        """Several ``resource`` parameters: each checked as it would be alone (its
        FHIRPaths from its own root), all answered in one ``batch-response`` Bundle, as a
        Bundle or a JSON list is; a parameter that holds no claim is its ``400`` entry."""
        results = [r for res in resources for r in fhir.check_each(
            res, checker=checker, resolver=resolver, validate=validate)]
        return 200, fhir.outcome(results)

    async def claim_validate(request: Any) -> Any:
        status, data = await body_json(request)
        if status:
            return reply(status, data)
        if isinstance(data, dict) and data.get("resourceType") == "Parameters":
            params = data.get("parameter")
            found = [p.get("resource") for p in params if isinstance(p, dict) and
                     p.get("name") == "resource"] if isinstance(params, list) else []
            if not found:
                return reply(*_outcome(400, "required", "Parameters: no 'resource' parameter "
                                       "holding the Claim"))
            if len(found) > 1:
                return reply(*(await run_in_threadpool(run_batch, found)))
            data = found[0]
        if isinstance(data, list) and not _holds_any(data):
            return reply(*_outcome(400, "required", "the body holds no Claim (an empty "
                                   "list)"))
        return reply(*(await run_in_threadpool(run_check, data)))

    async def inputs(request: Any) -> tuple[int, Any]:
        if request.method == "GET":
            q = request.query_params
            kw = {k: q[k] for k in ("system", "code", "display", "date") if k in q}
            if "url" in q:
                kw.setdefault("system", q["url"])
            unanswered = [k for k in q if k in terminology.UNANSWERED]
            if unanswered:  # said, not ignored (version=FY2020 was answered for today)
                k = unanswered[0]
                return _outcome(400, "not-supported", f"{k}: {terminology.UNANSWERED[k]}")
            return 0, kw
        status, data = await body_json(request)
        if status:
            return status, data
        try:
            return 0, terminology.parameters(data)
        except InvalidArgument as e:
            return _outcome(400, "invalid", str(e), rule=e.code)

    def term(op: Callable[..., dict[str, Any]], allowed: tuple[str, ...]) -> Any:
        async def endpoint(request: Any) -> Any:
            status, kw = await inputs(request)
            if status:
                return reply(status, kw)
            kw = {k: v for k, v in kw.items() if k in allowed}
            try:
                out = await run_in_threadpool(lambda: op(kw.pop("system", None),
                                                         kw.pop("code", None), **kw))
            except ValidationError as e:
                return reply(*_outcome(404, "not-found", str(e), rule=e.code, fix=e.fix))
            except InvalidArgument as e:
                return reply(*_outcome(400, "invalid", str(e), rule=e.code))
            return reply(200, out)
        return endpoint

    async def metadata(request: Any) -> Any:
        return reply(200, _capabilities())

    async def not_found(request: Any, exc: Exception) -> Any:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return reply(*_outcome(405, "not-supported", f"{request.method} is not allowed "
                                   f"on {request.url.path}"))
        return reply(*_outcome(status, "not-found", f"no operation at {request.url.path}: "
                               "see /metadata"))

    async def crashed(request: Any, exc: Exception) -> Any:  # pragma: no cover - a bug
        return reply(*_outcome(500, "exception", f"internal error: {type(exc).__name__}"))

    routes = [
        Route("/Claim/$validate", claim_validate, methods=["POST"]),
        Route("/CodeSystem/$validate-code", term(terminology.validate_code,
                                                 ("system", "code", "display", "date")),
              methods=["GET", "POST"]),
        Route("/CodeSystem/$lookup", term(terminology.lookup, ("system", "code", "date")),
              methods=["GET", "POST"]),
        Route("/metadata", metadata, methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found,
                                                        500: crashed})


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, preload: bool = True,
          log_level: str = "info", **kw: Any) -> None:
    """Run the application with uvicorn until interrupted (the keywords of
    :func:`create_app`). ``preload`` reads every table first, so no request pays for it."""
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - the extra is installed in the test suite
        raise ExtraNotInstalled("codekit serve needs uvicorn: pip install 'codekit[server]'",
                                extra="server", package="uvicorn") from None
    if preload:
        from .. import preload as load_all

        load_all()
    uvicorn.run(create_app(**kw), host=host, port=port, log_level=log_level)
