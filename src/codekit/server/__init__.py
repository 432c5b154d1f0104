"""An HTTP front for codekit in FHIR terms (``pip install 'codekit[server]'``: Starlette
and uvicorn). See ``docs/server.md``.

=====================================  ==========================================================
``POST /Claim/$validate``              a Claim, a Bundle of Claims, or a Parameters resource whose
                                       ``resource`` is one -> an OperationOutcome (a
                                       ``batch-response`` Bundle of them for a Bundle, or
                                       for several ``resource`` parameters); ``profile``
                                       and a ``mode`` but create or update: ``400``
``GET|POST /CodeSystem/$validate-code``  ``url`` (or ``system``), ``code``, ``display``, ``date``
                                       -> Parameters (``result``, ``message``, ``display``,
                                       ``suggestion``...)
``GET|POST /CodeSystem/$lookup``       ``system``, ``code``, ``date`` -> Parameters
``GET /metadata``                      the CapabilityStatement
``GET /ready``                         ``200`` and the data's releases once the tables are read
                                       and a first claim checked, else ``503``
=====================================  ==========================================================

Everything is FHIR JSON in and out (``application/fhir+json``); an error is an
OperationOutcome with the HTTP status that fits (400 bad input, 404 unknown code or path,
405 with ``Allow``, 406 a client that takes no JSON, 408 a body not sent in time, 413 too
large, 415 a body that is not UTF-8 JSON or is in an encoding other than gzip or deflate).
``codekit serve`` listens on 127.0.0.1 unless told otherwise.

>>> app = create_app()
>>> sorted(r.path for r in app.routes)  # doctest: +NORMALIZE_WHITESPACE
['/Claim/$validate', '/CodeSystem/$lookup', '/CodeSystem/$validate-code', '/metadata',
 '/ready']
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._show import json_kind
from ..errors import (
    CodekitError,
    ExtraNotInstalled,
    FhirFormatError,
    InvalidArgument,
    ValidationError,
)

if TYPE_CHECKING:
    from ..checker import Checker
    from ..fhir import Resolver

__all__ = ["ACCESS_LOG", "BODY_TIMEOUT", "DEFAULT_HOST", "DEFAULT_PORT", "MAX_BODY",
           "MAX_CHECKS", "MAX_ISSUES", "MAX_QUEUE", "MAX_RECORDS", "REQUEST_ID_HEADER",
           "RETRY_AFTER", "TIMEOUT_KEEP_ALIVE", "WARM_UP_RETRY", "create_app", "serve"]

#: The address ``codekit serve`` and :func:`serve` listen on: this machine only.
DEFAULT_HOST = "127.0.0.1"
#: The port ``codekit serve`` and :func:`serve` listen on.
DEFAULT_PORT = 8080
#: The largest request body accepted (bytes, after gzip or deflate is undone). It bounds
#: the bytes, not the cost: parsed, JSON takes up to 33 times its size in Python objects
#: (``[{"": {}}, ...]``), so 8 MiB parse to at most about 280 MB (32 MiB to 1 GB).
MAX_BODY = 8 * 1024 * 1024
#: The most records one ``Claim/$validate`` body may hold (``413`` past it, before any is
#: read): the items of a list, and in a Bundle each entry that holds a claim or no
#: resource at all: what the answer has an OperationOutcome or a fatal issue for.
MAX_RECORDS = 1_000
#: The most issues one answer may hold (``413`` past it, checking stopped): each costs
#: about 4 KB while the answer is built (0.8 KB sent); a claim of 999 lines with errors
#: on each has a few thousand.
MAX_ISSUES = 50_000
#: How many requests have their body parsed and checked at once (the rest wait).
MAX_CHECKS = 2
#: How many requests may wait for a check (``503`` with ``Retry-After`` past it). A
#: waiting request holds only its body: 100 of them at most 800 MiB at the 8 MiB body
#: limit (a single claim is about 3 KB, 1,000 claims 1.7 MB), and a client pool of 100
#: connections (httpx's and aiohttp's default) waits for its turn instead of a ``503``.
MAX_QUEUE = 100
#: The seconds a ``503`` asks the client to wait before trying again.
RETRY_AFTER = 1
#: The seconds after a failed warm-up (``GET /ready``) before a probe begins another: a
#: failure that stays (a data file that cannot be read) is tried, and its traceback logged,
#: twice a minute at most, not at each probe (a probe every 10 s, Kubernetes' default, or
#: every second from several balancers).
WARM_UP_RETRY = 30.0
#: The seconds uvicorn keeps an idle connection open for the client's next request.
TIMEOUT_KEEP_ALIVE = 5
#: The longest a client may take to send a request body (seconds): a client that stalls is
#: answered 408 and its connection closed, so it holds neither the server nor its shutdown.
BODY_TIMEOUT = 60.0
FHIR_JSON = "application/fhir+json"
#: The header a request's id is read from and sent back in.
REQUEST_ID_HEADER = "X-Request-ID"
# an incoming request id kept as it is: a token without spaces or control characters (it
# goes into the log line), at most 128 characters; anything else is replaced by a new one
_SANE_ID = re.compile(r"[A-Za-z0-9._:@+/=-]{1,128}")
# the characters of a path logged as they are (the rest %-escaped: no space or control
# character reaches the log line)
_PATH_SAFE = "/$:@!*'(),;=+&~"
# the id of the request being answered (set by the app's outermost layer)
_REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("codekit_request_id",
                                                                   default="")
#: Where the access log goes: one line a request (client, method, path without its
#: query, status, duration, request id); ``codekit serve`` writes it with uvicorn's
#: handlers and level.
ACCESS_LOG = logging.getLogger("codekit.access")
#: Sent with every answer (OWASP's REST Security Cheat Sheet, "Security headers"): an
#: answer names claims, members and diagnoses, so no cache keeps it, and a browser never
#: reads it as anything but its JSON (a 404 repeats the path it was asked).
ANSWER_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
#: The media types read (Content-Type) and written (Accept, ``_format``) as FHIR JSON.
JSON_TYPES = frozenset({FHIR_JSON, "application/json", "application/json+fhir"})
_FORMATS = JSON_TYPES | {"json"}
_ACCEPTS = JSON_TYPES | {"*/*", "application/*"}
#: Content-Encodings read (decoded with the size limit applied to the decoded body).
_ENCODINGS = ("gzip", "x-gzip", "deflate")
# a lone surrogate can only come from a \uD800-\uDFFF escape or its UTF-8 form (json
# reads bytes with surrogatepass); only a body holding one of those is walked
_SURROGATE = re.compile(rb"\\u[dD][89abcdefABCDEF]|\xed[\xa0-\xbf]")


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


def _status(out: dict[str, Any]) -> int:
    """The HTTP status of a ``Claim/$validate`` answer: ``400`` when the body held no claim
    (an OperationOutcome with a ``fatal`` issue), else ``200``, whatever the claims' own
    entries say (``422``, ``400`` in a ``batch-response``)."""
    fatal = out.get("resourceType") == "OperationOutcome" and any(
        i.get("severity") == "fatal" for i in out.get("issue", ()))
    return 400 if fatal else 200


def _no_claim(message: str) -> dict[str, Any]:
    """The OperationOutcome of a body that holds no claim: one ``fatal`` issue, as
    :func:`codekit.fhir.check` answers input without a Claim."""
    from ..fhir import Result

    return Result(None, error=FhirFormatError([("", message)])).to_outcome()


#: The ``Claim/$validate`` parameters (FHIR's Resource-validate) codekit does not answer,
#: and why: refused with a ``400``, never ignored (a ``200`` would read as "valid against
#: that profile").
UNANSWERED = {
    "profile": "codekit checks a Claim against the base FHIR R4 resource and its claim "
               "edits, not against a profile (Da Vinci PAS, CARIN Blue Button): send the "
               "Claim without profile, and validate the profile elsewhere",
}
#: The ``mode`` values answered: a Claim's content is checked the same way for a create
#: or an update; ``delete`` and ``profile`` ask something else.
MODES = frozenset({"create", "update"})


def _unanswered(name: str, value: Any) -> str | None:
    """Why a ``Claim/$validate`` parameter (from a ``Parameters`` body or the query) is
    not answered, or None when it is answered (or unknown: ignored, as FHIR says)."""
    if name in UNANSWERED:
        return f"{name}: {UNANSWERED[name]}"
    if name == "mode" and not (isinstance(value, str) and value in MODES):
        shown = repr(value) if isinstance(value, str) else json_kind(value)
        return (f"mode {shown}: codekit checks a Claim's content, which is the same for "
                f"mode create or update; it does not answer mode {shown}")
    return None


def _parameter_value(p: dict[str, Any]) -> Any:
    """The ``value[x]`` of a Parameters parameter (None when it has none)."""
    return next((v for k, v in p.items() if k.startswith("value")), None)


def _not_a_resource(k: int, resource: Any) -> tuple[str, str] | None:
    """(where, why) when the ``resource`` of parameter ``k`` of a Parameters body holds no
    resource: missing, or JSON that is not an object (``7``, or a string, which would
    otherwise be parsed as JSON text of its own); None for an object (or a list of them).
    """
    if isinstance(resource, dict | list):
        return None
    what = "the 'resource' parameter holds no resource (the Claim or Bundle to check)" \
        if resource is None else \
        f"expected a FHIR resource (a JSON object), got {json_kind(resource)}"
    return f"Parameters.parameter[{k}].resource", what


def _media(value: str) -> tuple[str, dict[str, str]]:
    """A media type (lower case) and its parameters (names lower case, quotes dropped)."""
    kind, *params = value.split(";")
    out = {}
    for p in params:
        k, _, v = p.partition("=")
        out[k.strip().lower()] = v.strip().strip('"')
    return kind.strip().lower(), out


def _content_type_problem(ctype: str) -> str | None:
    """Why a request's Content-Type is not FHIR JSON (None when it is, or is absent)."""
    if not ctype.strip():
        return None
    kind, params = _media(ctype)
    if kind not in JSON_TYPES:
        return f"content type {ctype!r}: send FHIR JSON ({FHIR_JSON})"
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        return f"charset {charset!r}: FHIR JSON is UTF-8 ({FHIR_JSON}; charset=utf-8)"
    version = _version_problem(params)
    if version:
        return f"content type {ctype!r}: {version}"
    return None


#: The ``fhirVersion`` values of a FHIR media type codekit reads and writes: R4 (FHIR's
#: mime-type parameter names the major.minor version; 4.0.1 is R4's full one).
FHIR_VERSIONS = frozenset({"4.0", "4.0.1"})


def _version_problem(params: dict[str, str]) -> str | None:
    """Why a media type's ``fhirVersion`` parameter is not one codekit speaks (None when
    it is R4, or absent)."""
    version = params.get("fhirversion")
    if version is None or version in FHIR_VERSIONS:
        return None
    return (f"fhirVersion {version!r}: codekit reads and writes FHIR R4 only "
            "(fhirVersion=4.0)")


def _accepts_json(accept: str) -> bool:
    """Whether an Accept header takes FHIR JSON (any type it names with q > 0 is JSON,
    ``*/*`` or ``application/*``); an absent or empty header takes anything."""
    if not accept.strip():
        return True
    for part in accept.split(","):
        kind, params = _media(part)
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        if q > 0 and kind in _ACCEPTS and _version_problem(params) is None:
            return True
    return False


def _lone_surrogate(data: Any) -> str | None:
    """The first text (a key or a value) of parsed JSON holding a lone surrogate, shown
    escaped; None when every text is Unicode. Walked without recursion."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return json.dumps(item[:40])
    return None


#: How many Bundles deep records are counted (codekit.fhir reads Claims four deep; a
#: deeper Bundle is one record, its error).
_COUNT_DEPTH = 5


def _entry_records(entry: Any, depth: int, cap: int) -> int:
    """The records of one Bundle entry: a claim, or an entry that holds no resource (its
    error), is one; another resource (the Patient a claim refers to) none; a Bundle its
    own records."""
    from ..fhir import CLAIM_RESOURCES

    res = entry.get("resource") if isinstance(entry, dict) else None
    if not isinstance(res, dict):
        return 1
    kind = res.get("resourceType")
    if kind == "Bundle":
        return _bundle_records(res, depth + 1, cap)
    return 1 if kind in CLAIM_RESOURCES or not isinstance(kind, str) or not kind else 0


def _bundle_records(bundle: dict[str, Any], depth: int, cap: int) -> int:
    """The records of a Bundle ``depth`` Bundles deep, counted to more than ``cap`` at
    most: its entries' (at least one: a Bundle without a claim is one error)."""
    entries = bundle.get("entry")
    if depth >= _COUNT_DEPTH or not isinstance(entries, list):
        return 1
    n = 0
    for e in entries:
        n += _entry_records(e, depth, cap)
        if n > cap:
            break
    return max(1, n)


def _records_in(data: Any, cap: int) -> int:
    """How many records parsed JSON holds, counted to more than ``cap`` at most (a list
    of ten million is not walked to its end): each item of a list (lists in it flattened)
    and each record of a Bundle (:func:`_bundle_records`); anything else is one. The
    results :func:`codekit.fhir.check` has, never fewer (an entry that holds only a
    ``request`` is counted, and not read)."""
    n = 0
    stack = [iter((data,))]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            n += _bundle_records(item, 0, cap - n) if isinstance(item, dict) and \
                item.get("resourceType") == "Bundle" else 1
            if n > cap:
                return n
        else:
            stack.pop()
    return n


def _issues(result: Any) -> int:
    """How many issues the OperationOutcome of a :class:`codekit.fhir.Result` has, counted
    without building it: one per problem, finding, notice and rule not run, and the
    "clean" issue of a claim without findings."""
    if result.read is None:
        return len(result.error.problems) if result.error is not None else 1
    found = len(result.read.findings)
    report = result.report
    if report is None:
        return max(found, 1)
    found += len(report.findings)
    return found + len(report.notices) + len(report.not_run) + (not found)


class _TooMany(Exception):  # a signal inside the server, never raised out of it
    """Checking stopped: the answer would hold more than ``max_issues`` issues."""

    def __init__(self, where: str, issues: int) -> None:
        super().__init__(where)
        self.where, self.issues = where, issues


class _Gone(Exception):  # a signal inside the server, never raised out of it
    """Checking stopped: the client closed its connection; nobody reads the answer."""


#: Where a request's failure is logged: uvicorn's error log, the one its own "Exception in
#: ASGI application" goes to.
_LOG = logging.getLogger("uvicorn.error")


def _log_crash(exc: BaseException, request: str) -> None:
    """Log a request's failure for whoever fixes it: its traceback's frames and the types
    of the exception and those chained to it, never a message or argument
    (:func:`codekit.batch.traceback_text`: an exception about a claim quotes it)."""
    from ..batch import traceback_text

    _LOG.error("Exception in %s, request %s (the messages are not logged: they may "
               "quote the claim)\n%s", request, _REQUEST_ID.get() or "-",
               traceback_text(exc))


def _failed_entries(out: dict[str, Any]) -> dict[str, Any]:
    """A ``batch-response`` (as :func:`codekit.fhir.check` builds it) with the request's id
    added to the diagnostics of each ``500`` entry (a claim whose check failed on a bug in
    codekit: its ``CLAIM_CHECK_FAILED`` error names a failure id, the log's), as every
    error answer says it; any other answer as it is."""
    if out.get("resourceType") != "Bundle":
        return out
    return {**out, "entry": [
        {**e, "resource": _with_request_id(e["resource"])}
        if e["response"]["status"].startswith("500") else e for e in out["entry"]]}


def _request_id(headers: Any) -> str:
    """The id of a request: its ``X-Request-ID`` when that is a sane token (the first
    one given), else a new one (32 hexadecimal digits)."""
    for k, v in headers:
        if k.lower() == b"x-request-id":
            text = v.decode("latin-1")
            return text if _SANE_ID.fullmatch(text) else uuid.uuid4().hex
    return uuid.uuid4().hex


def _with_request_id(body: dict[str, Any]) -> dict[str, Any]:
    """An error's OperationOutcome with the request's id in each issue's diagnostics, for
    the client to quote to the server's operators (and to find its access line)."""
    rid = _REQUEST_ID.get()
    if not rid or body.get("resourceType") != "OperationOutcome":
        return body
    issues = [{**i, "diagnostics": f"{i.get('diagnostics', '')} (request id {rid})"}
              for i in body.get("issue", ())]
    return {**body, "issue": issues}


def _dumps(data: dict[str, Any]) -> bytes:
    """FHIR JSON as sent (compact, UTF-8)."""
    return json.dumps(data, separators=(",", ":")).encode()


def _answer(status: int, body: dict[str, Any]) -> bytes:
    """The bytes of an answer of ``status``: every error answer (``4xx``, ``5xx``) says
    the request's id in its diagnostics; a ``200``'s entries (a ``400`` or ``422`` in a
    batch-response) are left as they are, but for its ``500`` entries, which
    :func:`_failed_entries` stamps."""
    return _dumps(_with_request_id(body) if status >= 400 else body)


def _outcome(status: int, code: str, message: str, *, rule: str | None = None,
             fix: tuple[str, ...] = ()) -> tuple[int, dict[str, Any]]:
    from ..fhir import RULE_SYSTEM, fix_extensions

    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": message}
    if rule:
        issue["details"] = {"coding": [{"system": RULE_SYSTEM, "code": rule}]}
    if fix:
        issue["extension"] = fix_extensions(fix)  # as codekit.fhir.check writes a fix
    return status, {"resourceType": "OperationOutcome", "issue": [issue]}


#: The answer to a client that closed its connection while its body waited or was checked
#: (nobody reads it; the log says 400, as for a client gone mid-body).
_GONE = (400, {"resourceType": "OperationOutcome", "issue": [{
    "severity": "error", "code": "incomplete",
    "diagnostics": "the client closed the connection before the answer"}]})


def _capabilities() -> dict[str, Any]:
    from .. import __version__

    return {
        "resourceType": "CapabilityStatement", "status": "active", "kind": "instance",
        "date": "2026-01-01", "fhirVersion": "4.0.1", "format": ["json"],
        "software": {"name": "codekit", "version": str(__version__)},
        # kind "instance" needs an implementation (FHIR invariant cpb-14)
        "implementation": {"description": "codekit serve: FHIR Claim/$validate, "
                           "CodeSystem/$validate-code and CodeSystem/$lookup"},
        "rest": [{"mode": "server", "resource": [
            {"type": "Claim", "operation": [{"name": "validate",
                                             "definition": "http://hl7.org/fhir/OperationDefinition/Resource-validate"}]},
            {"type": "CodeSystem", "operation": [
                {"name": "validate-code",
                 "definition": "http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code"},
                {"name": "lookup",
                 "definition": "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup"}]}]}]}


# The claim _WarmUp checks once, through the path a request takes (read from FHIR,
# checked, answered): the professional claim of codekit.claims' docstring example.
_FIRST_CLAIM = {"claim_type": "professional", "payer": "medicare",
                "patient": {"sex": "F", "birth_date": "1956-03-02"},
                "date_of_service": "2025-11-03", "diagnoses": ["E11.9", "I10"],
                "service_lines": [{"procedure_code": "99213", "units": 1,
                                   "diagnosis_pointers": [1, 2]}]}


class _WarmUp:
    """Whether an application is ready for traffic (``GET /ready``): every bundled table
    read (:func:`codekit.preload`), the checker's own tables opened
    (:meth:`codekit.Checker.preload`) and a first claim checked as a request is, so that
    no request pays for any of it. :meth:`run` does it now (``codekit serve``, before its
    port opens); :meth:`start` in a thread of its own (the first ``GET /ready`` of an
    application that was not warmed: ``--no-preload``, or mounted in your own server).
    A warm-up that failed is begun again by a :meth:`start` (a ``GET /ready``)
    :data:`WARM_UP_RETRY` seconds after it failed or later, one at a time: a failure that
    passes (a volume mounted late) does not leave a process that never takes traffic, and
    one that stays is not tried (and logged) at every probe."""

    def __init__(self, checker: Any, validate: bool) -> None:
        self.checker, self.validate = checker, validate
        self.lock = threading.Lock()
        # then "warming", then "ready" or "failed" (and "warming" again, once more)
        self.state = "cold"
        self.began = 0.0
        self.failure = ""  # the last warm-up's exception type, while none has succeeded
        self.failed = 0.0  # when it failed (time.monotonic())

    def _begin(self) -> bool:
        with self.lock:
            if self.state != "cold" and (self.state != "failed" or
                                         time.monotonic() - self.failed < WARM_UP_RETRY):
                return False
            self.state, self.began = "warming", time.monotonic()
            return True

    def start(self) -> None:
        """Warm up in a daemon thread, unless that is being done or done; again after a
        failure."""
        if self._begin():
            threading.Thread(target=self._work, name="codekit warm-up", daemon=True).start()

    def run(self) -> None:
        """Warm up now, in this thread (raising what fails), unless that was begun."""
        if self._begin():
            self._work(raising=True)

    def _work(self, raising: bool = False) -> None:
        from .. import fhir, preload
        from ..checker import default_checker
        from ..claims import Claim

        try:
            preload()
            # no checker given: the requests are checked by the process's default one
            checker = self.checker if self.checker is not None else default_checker()
            if callable(getattr(checker, "preload", None)):
                checker.preload()
            fhir.check(fhir.from_claim(Claim.from_dict(_FIRST_CLAIM)), checker=self.checker,
                       validate=self.validate)
            _readiness(self.checker)  # what it reads is read here, not in the first probe's
        except Exception as e:
            if not raising:  # logged before /ready says it failed
                _log_crash(e, "the warm-up (GET /ready)")
            self.failure, self.failed = type(e).__name__, time.monotonic()
            self.state = "failed"
            if raising:
                raise
        else:
            self.failure, self.state = "", "ready"


def _ncci_tables(checker: Any) -> list[dict[str, Any]]:
    """An ``ncci-table`` parameter for each NCCI table the served checker judges with
    (:meth:`codekit.ncci.TableLibrary.entries`: kind, setting, dates, source file), the
    bundled ones and those it was given (``codekit serve --ncci DIR``); none for a
    checker that has no NCCI tables to say."""
    from ..checker import default_checker

    if checker is None:
        checker = default_checker()
    library = getattr(checker, "library", None)
    if not callable(library):  # a checker of the caller's own making
        return []
    out = []
    for kind, setting, start, end, source in library().entries:
        parts: list[dict[str, Any]] = [{"name": "kind", "valueString": kind}]
        if setting:
            parts.append({"name": "setting", "valueString": setting})
        if start is not None:
            period = {"start": start.isoformat()}
            if end is not None:
                period["end"] = end.isoformat()
            parts.append({"name": "coverage", "valuePeriod": period})
        parts.append({"name": "source", "valueString": source})
        out.append({"name": "ncci-table", "part": parts})
    return out


def _readiness(checker: Any = None) -> dict[str, Any]:
    """The ``200`` of ``GET /ready``: codekit's version, the bundled data's id
    (:func:`codekit.data_id`), the data generation (how many times data was loaded or
    unloaded in this process), what each code system's data describes (its dates, its
    releases), as ``codekit --version`` says it, and the NCCI tables ``checker`` (the
    application's; None: the default one) judges with."""
    from .. import __version__, _cache, _data_facts, data_id

    def data(name: str, span: Any, releases: str) -> dict[str, Any]:
        parts: list[dict[str, Any]] = [{"name": "system", "valueString": name}]
        if span is not None:
            parts.append({"name": "coverage", "valuePeriod": {
                "start": span[0].isoformat(), "end": span[1].isoformat()}})
        if releases:
            parts.append({"name": "releases", "valueString": releases})
        return {"name": "data", "part": parts}

    facts = _data_facts()
    cm, years = facts["ICD-10-CM"][1], facts["POA exempt"][1]
    releases = {"ICD-10-CM": f"{cm[0].id} .. {cm[-1].id}",
                "CPT/HCPCS": ", ".join(f"HCPCS {r.label} (from {r.effective})"
                                       for r in facts["CPT/HCPCS"][1]),
                "POA exempt": f"FY{years[0]} .. FY{years[-1]}"}
    return {"resourceType": "Parameters", "parameter": [
        {"name": "ready", "valueBoolean": True},
        {"name": "version", "valueString": str(__version__)},
        {"name": "data-id", "valueString": data_id()},
        {"name": "generation", "valueInteger": _cache.generation()},
        *(data(name, span, releases.get(name, "")) for name, (span, _) in facts.items()),
        *_ncci_tables(checker)]}


def _whole(name: str, value: Any, least: int) -> int:
    """``value`` when it is a whole number >= ``least``, else :class:`InvalidArgument`."""
    if type(value) is not int or value < least:
        raise InvalidArgument(f"{name}={value!r}: expected a whole number >= {least}")
    return value


def create_app(*, checker: Checker | None = None, validate: bool = True,
               resolver: Resolver | None = None, max_body: int = MAX_BODY,
               body_timeout: float = BODY_TIMEOUT, max_records: int = MAX_RECORDS,
               max_issues: int = MAX_ISSUES, max_checks: int = MAX_CHECKS,
               max_queue: int = MAX_QUEUE, limit_concurrency: int | None = None,
               access_log: bool = True) -> Any:
    """The Starlette application. ``checker`` checks the claims (the default
    :class:`~codekit.Checker` if None); ``validate=False`` skips fhir.resources' model
    validation of incoming Claims (trusted senders: several times faster);
    ``resolver`` looks up references a Claim does not hold (see :func:`codekit.fhir.read`);
    ``max_body`` caps a request's size in bytes (after gzip or deflate is undone);
    ``body_timeout`` is the most seconds a client may take to send its body;
    ``max_records`` caps the records of one ``Claim/$validate`` body and ``max_issues``
    the issues of one answer (``413`` past either); ``max_checks`` requests have their
    body parsed and checked at once, ``max_queue`` more wait for their turn, and past
    that a request is answered ``503`` with ``Retry-After``. A client that closes its
    connection stops its check at the next record. ``limit_concurrency`` caps the
    requests open at once (a body being sent, waiting or checked; ``GET /metadata`` and
    ``GET /ready`` are not counted): past it a ``503`` with ``Retry-After`` (None: no
    cap). Every answer has an ``X-Request-ID`` (the request's own when it is a sane token,
    else a new one), and an error answer (``4xx``, ``5xx``) quotes it in its diagnostics;
    ``access_log`` writes one line a request to :data:`ACCESS_LOG`. ``GET /ready`` is
    ``200`` once the tables are read and a first claim checked: ``app.state.warm_up()``
    does that now (:func:`serve` calls it before its port opens), else the first ``GET
    /ready`` begins it in a thread and is ``503`` until it is done."""
    Starlette, run_in_threadpool, _, Response, Route = _imports()
    import anyio
    import anyio.to_thread
    from starlette.middleware import Middleware
    from starlette.requests import ClientDisconnect

    from .. import fhir
    from ..fhir import terminology

    _whole("max_body", max_body, 1)
    _whole("max_records", max_records, 1)
    _whole("max_issues", max_issues, 1)
    _whole("max_checks", max_checks, 1)
    _whole("max_queue", max_queue, 0)
    if limit_concurrency is not None:
        _whole("limit_concurrency", limit_concurrency, 1)
    # the threads that parse and check bodies: max_checks at once, the others wait
    slots = anyio.CapacityLimiter(max_checks)
    warm = _WarmUp(checker, validate)

    def reply(status: int, body: dict[str, Any] | bytes,
              headers: dict[str, str] | None = None) -> Any:
        return Response(body if isinstance(body, bytes) else _answer(status, body),
                        status_code=status, media_type=FHIR_JSON,
                        headers={**ANSWER_HEADERS, **(headers or {})})

    def unacceptable(request: Any) -> Any:
        """The 406 for a request whose ``_format`` or Accept takes no FHIR JSON (the
        ``_format`` parameter overrides Accept, as FHIR says), else None."""
        formats = request.query_params.getlist("_format")
        if formats:
            bad = [f for f in formats if _media(f)[0] not in _FORMATS
                   or _version_problem(_media(f)[1])]
            if not bad:
                return None
            why = f"_format {bad[0]!r}"
        else:
            accept = request.headers.get("accept", "")
            if _accepts_json(accept):
                return None
            why = f"Accept {accept!r}"
        return reply(*_outcome(406, "not-supported", f"{why}: codekit answers in FHIR R4 "
                               f"JSON only ({FHIR_JSON}; fhirVersion=4.0)"))

    def parse(raw: bytes, claims: bool = False) -> tuple[int, Any]:
        """In a thread: a large body is not parsed on the event loop. ``claims``: a
        ``Claim/$validate`` body, whose JSON that cannot be read is answered as
        :func:`codekit.fhir.check` answers it (a ``fatal`` issue: no claim)."""
        try:
            data = fhir.load(raw, unique=validate)
        except FhirFormatError as e:
            if claims:
                return 400, fhir.Result(None, error=e).to_outcome()
            return _outcome(400, "structure", str(e), rule=e.code)
        except CodekitError as e:
            return _outcome(400, "structure", str(e), rule=e.code)
        if b"\x00" in raw[:4] or _SURROGATE.search(raw):  # UTF-16/32, or an escape to look at
            bad = _lone_surrogate(data)
            if bad is not None:
                return _outcome(400, "structure", f"the text {bad} is not Unicode: it holds "
                                "a lone surrogate")
        return 0, data

    async def read_body(request: Any, decoder: Any) -> tuple[int, Any]:
        """(0, the body, decoded) or (status, OperationOutcome)."""
        chunks = []
        wire = size = 0
        async for chunk in request.stream():
            wire += len(chunk)
            if wire > max_body:
                return _outcome(413, "too-costly", f"the body is over {max_body:,} bytes")
            if decoder is not None and chunk:
                encoding = request.headers["content-encoding"]
                decoded = b""
                member = False  # decoding a gzip member after the first
                while chunk:
                    if decoder.eof:
                        # after a stream's end: the next member of a gzip file (gzip's
                        # multi-member files; zero padding skipped, as gzip does), else
                        # data the encoding does not hold -- said, never dropped
                        chunk = chunk.lstrip(b"\0") if encoding.strip().lower() != \
                            "deflate" else chunk
                        if not chunk:
                            break
                        if encoding.strip().lower() == "deflate":
                            return _outcome(400, "structure", f"the body is not the "
                                            f"{encoding} it says: data after its end")
                        decoder, member = zlib.decompressobj(wbits=31), True
                    room = max_body - size - len(decoded)
                    if room < 0:  # over already, and decompress(..., 0) has no limit
                        return _outcome(413, "too-costly", f"the body decoded is over "
                                        f"{max_body:,} bytes")
                    try:
                        decoded += decoder.decompress(chunk, room + 1)
                    except zlib.error as e:
                        why = "data after its end that is not another gzip member" \
                            if member else str(e)
                        return _outcome(400, "structure", f"the body is not the "
                                        f"{encoding} it says: {why}")
                    if decoder.unconsumed_tail:
                        return _outcome(413, "too-costly", f"the body decoded is over "
                                        f"{max_body:,} bytes")
                    chunk = decoder.unused_data if decoder.eof else b""
                chunk = decoded
            size += len(chunk)
            if size > max_body:
                return _outcome(413, "too-costly", f"the body decoded is over {max_body:,} "
                                "bytes" if decoder is not None else
                                f"the body is over {max_body:,} bytes")
            chunks.append(chunk)
        if decoder is not None and wire and not decoder.eof:
            return _outcome(400, "structure", "the body ends before its "
                            f"{request.headers['content-encoding']} stream does")
        return 0, b"".join(chunks)

    async def body_bytes(request: Any, empty: bool = False) -> tuple[int, Any]:
        """(0, the body's bytes, decoded) or (status, OperationOutcome); ``empty``: a body
        without a JSON value is the caller's to answer."""
        ctypes = request.headers.getlist("content-type")
        if len(ctypes) > 1:  # a singleton field (RFC 9110 §8.3): which one holds is a guess
            return _outcome(415, "not-supported", f"Content-Type given {len(ctypes)} times "
                            f"({', '.join(repr(c[:80]) for c in ctypes[:3])}): send one, "
                            f"{FHIR_JSON}")
        problem = _content_type_problem(ctypes[0] if ctypes else "")
        if problem:
            return _outcome(415, "not-supported", problem)
        # several Content-Encoding lines are one list, in the order applied (RFC 9110 §5.3,
        # §8.4): "identity" then "gzip" is not the gzip alone the first line would say
        encoding = ", ".join(request.headers.getlist("content-encoding")).strip().lower()
        if encoding not in ("", "identity", *_ENCODINGS):
            return _outcome(415, "not-supported", f"Content-Encoding {encoding!r}: send the "
                            "body as it is, or gzip or deflate it")
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > max_body:
            return _outcome(413, "too-costly", f"the body is {int(length):,} bytes; at most "
                            f"{max_body:,}")
        decoder = zlib.decompressobj(wbits=47) if encoding in _ENCODINGS else None
        try:
            with anyio.fail_after(body_timeout):
                status, raw = await read_body(request, decoder)
        except TimeoutError:
            return _outcome(408, "timeout", f"the body was not all sent within "
                            f"{body_timeout:g} s")
        except ClientDisconnect:  # nobody reads the answer; no traceback in the log
            return _outcome(400, "incomplete", "the client closed the connection before "
                            "the body ended")
        if status:
            return status, raw
        if not raw.strip() and not empty:
            return _outcome(400, "required", "the request has no body")
        return 0, raw

    async def in_turn(request: Any, work: Callable[..., tuple[int, Any]], *args: Any
                      ) -> tuple[int, Any]:
        """``work(stop, *args)`` in a thread when one of the ``max_checks`` slots is free
        (``503`` at once when ``max_queue`` requests wait already); ``stop`` (a
        ``threading.Event``) is set, and the wait given up, when the client closes its
        connection."""
        stats = slots.statistics()
        if stats.borrowed_tokens >= stats.total_tokens and stats.tasks_waiting >= max_queue:
            return _outcome(503, "throttled", f"the server is busy ({max_checks} checks "
                            f"running, {stats.tasks_waiting} waiting): try again in "
                            f"{RETRY_AFTER} s (the server's limits: codekit serve "
                            "--max-checks and --max-queue)")
        stop = threading.Event()
        done: list[tuple[int, Any]] = []
        failed: list[Exception] = []

        def run() -> None:
            try:
                done.append(work(stop, *args))
            except Exception as e:  # raised below as it is, not in an ExceptionGroup
                failed.append(e)

        async def watch(scope: Any) -> None:
            # the body is read: the next message is the client's disconnect (uvicorn and
            # Starlette's test client wait for it; anything else, and nothing is watched)
            if (await request.receive())["type"] == "http.disconnect":
                stop.set()
                scope.cancel()

        async with anyio.create_task_group() as group:
            group.start_soon(watch, group.cancel_scope)
            await anyio.to_thread.run_sync(run, limiter=slots)
            group.cancel_scope.cancel()
        if failed:
            raise failed[0]
        if stop.is_set() or not done:
            return _GONE
        return done[0]

    async def body_json(request: Any) -> tuple[int, Any]:
        """(0, data) or (status, OperationOutcome)."""
        status, raw = await body_bytes(request)
        if status:
            return status, raw
        return await in_turn(request, lambda stop, raw: parse(raw), raw)

    def guard(stop: threading.Event) -> Callable[[Any], None]:
        """What :func:`codekit.fhir.check` calls with each result: stops the check when the
        client has gone or the issues pass ``max_issues``."""
        issues = 0

        def seen(result: Any) -> None:
            nonlocal issues
            if stop.is_set():
                raise _Gone
            issues += _issues(result)
            if issues > max_issues:
                raise _TooMany(result.where, issues)
        return seen

    def run_batch(resources: list[tuple[int, Any]], each: Callable[[Any], None]
                  ) -> dict[str, Any]:
        """Several ``resource`` parameters: each checked as it would be alone (its
        FHIRPaths from its own root), all answered in one ``batch-response`` Bundle, as a
        Bundle or a JSON list is; a parameter that holds no claim is its ``400`` entry."""
        results = []
        for k, res in resources:
            problem = _not_a_resource(k, res)
            if problem is not None:
                results.append(fhir.Result(None, error=FhirFormatError([problem]),
                                           where=problem[0]))
                each(results[-1])
                continue
            results += fhir.check_each(res, checker=checker, resolver=resolver,
                                       validate=validate, on_result=each)
        return fhir.outcome(results)  # no parameter holds a claim: one fatal outcome, a 400

    def validate_claims(stop: threading.Event, raw: bytes) -> tuple[int, Any]:
        """In a thread: the answer to a ``Claim/$validate`` body, as (status, JSON bytes)
        or (status, OperationOutcome)."""
        status, data = parse(raw, claims=True)
        if status:
            return status, data
        if not isinstance(data, dict | list):
            # JSON that is no resource (null, 7, a string: even one holding JSON text,
            # which is not parsed again): the library's own answer to the same bytes
            out = fhir.check(raw, checker=checker, resolver=resolver, validate=validate)
            return _status(out), _answer(_status(out), out)
        found: list[tuple[int, Any]] = []
        if isinstance(data, dict) and data.get("resourceType") == "Parameters":
            params = data.get("parameter")
            params = params if isinstance(params, list) else []
            for p in params:
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    refused = _unanswered(p["name"], _parameter_value(p))
                    if refused:
                        return _outcome(400, "not-supported", refused)
            found = [(k, p.get("resource")) for k, p in enumerate(params)
                     if isinstance(p, dict) and p.get("name") == "resource"]
            if not found:
                return 400, _no_claim("Parameters: no 'resource' parameter holding the Claim")
            if len(found) == 1:
                problem = _not_a_resource(*found[0])
                if problem is not None:
                    return 400, fhir.Result(None, error=FhirFormatError([problem]),
                                            where=problem[0]).to_outcome()
                data, found = found[0][1], []
        records = _records_in([res for _, res in found] if found else data, max_records)
        if records > max_records:
            return _outcome(413, "too-costly", f"the body holds more than {max_records:,} "
                            "records (claims, list items, Bundle entries that hold no "
                            f"resource): send at most {max_records:,} a request (the "
                            "server's limit: codekit serve --max-records, "
                            "create_app(max_records=...))")
        each = guard(stop)
        try:
            out = run_batch(found, each) if found else \
                fhir.check(data, checker=checker, resolver=resolver, validate=validate,
                           on_result=each)
        except _TooMany as e:
            return _outcome(413, "too-costly", f"the answer would hold more than "
                            f"{max_issues:,} issues ({e.issues:,} once "
                            f"{e.where or 'the first record'} was checked): send fewer "
                            "claims a request (the server's limit: codekit serve "
                            "--max-issues, create_app(max_issues=...))")
        except _Gone:
            return _GONE
        out = _failed_entries(out)
        return _status(out), _answer(_status(out), out)

    def closing(status: int, body: dict[str, Any] | bytes) -> Any:
        """The reply to a body error: a 408 (a client that stalled) ends the connection.
        A 413 does not: uvicorn drops the rest of the body and the client, still sending,
        reads its 413 (a close would reset the connection under it). A 503 says when to
        try again."""
        return reply(status, body, {"Connection": "close"} if status == 408 else
                     {"Retry-After": str(RETRY_AFTER)} if status == 503 else None)

    async def claim_validate(request: Any) -> Any:
        refused = unacceptable(request)
        if refused is not None:
            return refused
        for name, value in request.query_params.multi_items():
            problem = _unanswered(name, value)
            if problem:  # said before the body is read, as a $validate-code one is
                return reply(*_outcome(400, "not-supported", problem))
        status, raw = await body_bytes(request, empty=True)
        if status:
            return closing(status, raw)
        return closing(*(await in_turn(request, validate_claims, raw)))

    async def inputs(request: Any) -> tuple[int, Any]:
        if request.method in ("GET", "HEAD"):
            q = request.query_params
            given = [(k, v) for k in terminology.INPUTS for v in q.getlist(k)]
            unanswered = [k for k in q if k in terminology.UNANSWERED]
            if unanswered:  # said, not ignored (version=FY2020 was answered for today)
                k = unanswered[0]
                return _outcome(400, "not-supported", f"{k}: {terminology.UNANSWERED[k]}")
        else:
            status, data = await body_json(request)
            if status:
                return status, data
            try:  # a parameter given twice, url and system that disagree: said there
                return 0, terminology.parameters(data)
            except InvalidArgument as e:
                return _outcome(400, "invalid", str(e), rule=e.code)
        problem = terminology.ambiguous(given)
        if problem:
            return _outcome(400, "invalid", problem, rule=InvalidArgument.code)
        return 0, {"system" if k == "url" else k: v for k, v in given}

    def term(op: Callable[..., dict[str, Any]], allowed: tuple[str, ...]) -> Any:
        async def endpoint(request: Any) -> Any:
            refused = unacceptable(request)
            if refused is not None:
                return refused
            status, kw = await inputs(request)
            if status:
                return closing(status, kw)
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
        return unacceptable(request) or reply(200, _capabilities())

    async def ready(request: Any) -> Any:
        """``200`` once the application is warmed up (:class:`_WarmUp`), else a ``503``
        with ``Retry-After`` (and the warm-up begun)."""
        refused = unacceptable(request)
        if refused is not None:
            return refused
        if warm.state == "ready":
            return reply(200, _readiness(warm.checker))
        warm.start()  # begun, or begun again a while after a failure (one at a time)
        if warm.failure:
            why = (f"reading the tables or checking a first claim failed ({warm.failure}; "
                   "the server's log says where), and is tried again at a probe "
                   f"{WARM_UP_RETRY:g} s after it failed")
        else:
            why = (f"reading the tables and checking a first claim (for "
                   f"{time.monotonic() - warm.began:.1f} s)")
        return reply(*_outcome(503, "transient", f"not ready: {why}; try again in "
                               f"{RETRY_AFTER} s"), {"Retry-After": str(RETRY_AFTER)})

    async def not_found(request: Any, exc: Exception) -> Any:
        status = getattr(exc, "status_code", 404)
        if status == 405:  # with the Allow header RFC 9110 asks of a 405 (in one order)
            allow = (getattr(exc, "headers", None) or {}).get("Allow", "")
            allow = ", ".join(sorted(m.strip() for m in allow.split(",") if m.strip()))
            return reply(*_outcome(405, "not-supported", f"{request.method} is not allowed "
                                   f"on {request.url.path}"), {"Allow": allow})
        return reply(*_outcome(status, "not-found", f"no operation at {request.url.path}: "
                               "see /metadata"))

    routes = [
        Route("/Claim/$validate", claim_validate, methods=["POST"]),
        Route("/CodeSystem/$validate-code", term(terminology.validate_code,
                                                 ("system", "code", "display", "date")),
              methods=["GET", "POST"]),
        Route("/CodeSystem/$lookup", term(terminology.lookup, ("system", "code", "date")),
              methods=["GET", "POST"]),
        Route("/metadata", metadata, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
    ]
    class OneFraming:
        """A request framed both by Content-Length and by Transfer-Encoding is refused
        before any route sees it, and its connection closed (RFC 9112 §6.3: "ought to be
        handled as an error ... the server MUST close the connection after responding"):
        uvicorn reads it by its chunks and keeps the connection, so a front that reads it
        by its length takes the rest for a second request (request smuggling)."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                names = {k.lower() for k, _ in scope.get("headers", ())}
                if b"transfer-encoding" in names and b"content-length" in names:
                    refused = reply(*_outcome(
                        400, "structure", "the request has both Content-Length and "
                        "Transfer-Encoding: which one frames the body cannot be told (RFC "
                        "9112, section 6.3); send one"), {"Connection": "close"})
                    await refused(scope, receive, send)
                    return
            await self.app(scope, receive, send)

    class Contained:
        """An exception out of a route (a bug) is answered here, a ``500``
        OperationOutcome naming its type, and logged by :func:`_log_crash` (its frames and
        types, never its message, which may quote the claim): Starlette's own handler
        re-raises it, and uvicorn logs the whole traceback with the message -- patient
        names, member ids and diagnoses in the server's log."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            started = False

            async def sending(message: Any) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await self.app(scope, receive, sending)
            except Exception as e:
                _log_crash(e, f"{scope.get('method', '')} {scope.get('path', '')}")
                if not started:  # else uvicorn closes the connection, the answer cut
                    await reply(*_outcome(500, "exception", "internal error: "
                                          f"{type(e).__name__}"))(scope, receive, send)

    class Traced:
        """The outermost layer: the request's id (``X-Request-ID``, kept when sane, else
        made) set for the layers below and sent back with every answer, and the access
        line: client, method, path without its query (a ``$validate-code`` query holds
        codes and displays: health data stays out of logs), status, duration, id."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            began = time.perf_counter()
            rid = _request_id(scope.get("headers", ()))
            token = _REQUEST_ID.set(rid)
            status: list[int] = []

            async def sending(message: Any) -> None:
                if message["type"] == "http.response.start":
                    status.append(message["status"])
                    message = {**message, "headers": [
                        *message.get("headers", ()),
                        (REQUEST_ID_HEADER.lower().encode(), rid.encode())]}
                await send(message)

            try:
                await self.app(scope, receive, sending)
            finally:
                _REQUEST_ID.reset(token)
                if access_log:
                    client = scope.get("client")
                    ACCESS_LOG.info(
                        '%s - "%s %s HTTP/%s" %s %.1f ms id=%s',
                        f"{client[0]}:{client[1]}" if client else "-",
                        scope.get("method", ""), quote(scope.get("root_path", "") +
                                                       scope.get("path", ""), _PATH_SAFE),
                        scope.get("http_version", ""), status[0] if status else "-",
                        (time.perf_counter() - began) * 1000, rid)

    class Capped:
        """At most ``limit_concurrency`` requests open at once, past it a ``503``
        OperationOutcome with ``Retry-After`` (uvicorn's own limit answered in plain text,
        without it, and counted idle kept-alive connections). ``GET /metadata`` and
        ``GET /ready`` are not counted: a health check answers while the server is full."""

        def __init__(self, app: Any) -> None:
            self.app = app
            self.open = 0  # on the event loop only: no lock

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if limit_concurrency is None or scope["type"] != "http" or (
                    scope.get("path") in ("/metadata", "/ready")
                    and scope.get("method") in ("GET", "HEAD")):
                await self.app(scope, receive, send)
                return
            if self.open >= limit_concurrency:
                busy = reply(*_outcome(
                    503, "throttled", f"the server is busy ({limit_concurrency} requests "
                    f"open): try again in {RETRY_AFTER} s (the server's limit: codekit "
                    "serve --limit-concurrency)"), {"Retry-After": str(RETRY_AFTER)})
                await busy(scope, receive, send)
                return
            self.open += 1
            try:
                await self.app(scope, receive, send)
            finally:
                self.open -= 1

    app = Starlette(routes=routes, middleware=[Middleware(Traced), Middleware(Capped),
                                               Middleware(OneFraming),
                                               Middleware(Contained)],
                    exception_handlers={404: not_found, 405: not_found})
    # /metadata/ is no path of ours: a 404 OperationOutcome, not an empty 307 to a
    # Location built from the request's Host header
    app.router.redirect_slashes = False
    # what codekit serve calls before its port opens (GET /ready begins it otherwise)
    app.state.warm_up = warm.run
    return app


def _check_bind(host: str, port: int) -> None:
    """Bind ``host:port`` as uvicorn will, and let go: a port in use or a host that is no
    address is said at once (before the tables are read) and at any log level."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as e:
        raise InvalidArgument(f"cannot listen on {host}:{port}: "
                              f"{getattr(e, 'strerror', None) or e}") from None
    for family, kind, proto, _, addr in infos:
        try:
            with socket.socket(family, kind, proto) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind(addr)
        except OSError as e:
            raise InvalidArgument(f"cannot listen on {host}:{port}: "
                                  f"{e.strerror or e}") from None


def _log_config(log_level: str) -> dict[str, Any]:
    """uvicorn's logging configuration with codekit's access log beside its error log
    (same format and stream as uvicorn's access lines, at ``log_level``)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["codekit.access"] = {"formatter": "default",
                                            "class": "logging.StreamHandler",
                                            "stream": "ext://sys.stdout"}
    config["loggers"][ACCESS_LOG.name] = {"handlers": ["codekit.access"],
                                          "level": log_level.upper(), "propagate": False}
    # a claim of a batch whose check failed on a bug (codekit.batch.FAILURE_LOG): its
    # traceback where uvicorn's own errors go
    config["loggers"]["codekit.check"] = {"handlers": ["default"],
                                          "level": log_level.upper(), "propagate": False}
    return config


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, preload: bool = True,
          log_level: str = "info", limit_concurrency: int | None = None,
          timeout_keep_alive: int = TIMEOUT_KEEP_ALIVE, access_log: bool = True,
          forwarded_allow_ips: str | None = None, **kw: Any) -> None:
    """Run the application with uvicorn until interrupted (the keywords of
    :func:`create_app`). ``preload`` reads every table and checks a first claim before the
    port opens, so no request pays for it (and ``GET /ready`` is ``200`` at once).
    ``limit_concurrency`` is :func:`create_app`'s (requests open at once; ``503`` with
    ``Retry-After`` past it). ``timeout_keep_alive`` and ``forwarded_allow_ips`` are
    uvicorn's: an idle kept-alive connection is closed after that many seconds; the
    addresses of the proxies whose ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are
    believed (None: ``$FORWARDED_ALLOW_IPS``, else ``127.0.0.1,::1``). The access log is
    codekit's (``access_log``: :data:`ACCESS_LOG`), uvicorn's is off, and no ``Server``
    header is sent. uvicorn has no timeout for a request's headers: see docs/server.md
    for the proxy that must stand in front."""
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - the extra is installed in the test suite
        raise ExtraNotInstalled("codekit serve needs uvicorn: pip install 'codekit[server]'",
                                extra="server", package="uvicorn") from None
    if not 0 <= port <= 65535:
        raise InvalidArgument(f"port {port}: expected 0 to 65535")
    _whole("timeout_keep_alive", timeout_keep_alive, 1)
    # a bad keyword is said before the tables are read
    app = create_app(limit_concurrency=limit_concurrency, access_log=access_log, **kw)
    _check_bind(host, port)
    if preload:  # the tables read and a first claim checked: GET /ready is 200 at once
        app.state.warm_up()
    # a request still running at shutdown gets this long; a stalled body is cut at
    # body_timeout anyway. No Server header (OWASP HTTP Headers Cheat Sheet: it names the
    # software to an attacker); codekit's access line replaces uvicorn's
    uvicorn.run(app, host=host, port=port, log_level=log_level,
                log_config=_log_config(log_level), access_log=False, server_header=False,
                forwarded_allow_ips=forwarded_allow_ips,
                timeout_graceful_shutdown=int(kw.get("body_timeout", BODY_TIMEOUT)) + 1,
                timeout_keep_alive=timeout_keep_alive)
