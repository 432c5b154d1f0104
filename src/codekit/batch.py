"""Checking claims in bulk: a stream in, reports out, in order, on one core or several.

:func:`check_many` (also :meth:`codekit.Checker.check_many`) takes any iterable of
claims -- :class:`~codekit.claims.Claim` objects, dicts in the shape of
:meth:`~codekit.claims.Claim.from_dict`, or JSON text -- and yields one
:class:`~codekit.findings.Report` per item, in input order. It streams: items are read as
they are needed and memory stays flat however long the stream. A claim that cannot be
read is a result too: its report has one ``CLAIM_FORMAT_INVALID`` error per problem,
located where the problem is, and the stream goes on. So is a claim whose check fails on
a bug in codekit (a rule raising ``KeyError``, or a ``ValidationError`` it did not catch;
anything but what every claim would meet alike, :data:`FATAL`: a damaged data file...):
its report holds one ``CLAIM_CHECK_FAILED`` error naming the exception
(:func:`check_failed_report`), its traceback goes to the ``codekit.check`` log, and the
stream goes on. :meth:`codekit.Checker.check` of one claim raises it.

With ``processes=N`` the claims are checked in ``N`` worker processes (each opens the
tables once; at most one per CPU, and no more than there are chunks of claims); results
still come back in input order, and are those of one process (a chunk of items that
cannot be sent to a worker is checked in the calling process). Items go to the workers in
chunks, so a report comes once its chunk is checked: a caller whose source stalls (a pipe
fed as claims come) puts :data:`FLUSH` among the items, and gets every report of the
items before it, then ``FLUSH`` itself, before the next item is read. A caller's iterable
that fails, with an exception or an interrupt (``KeyboardInterrupt``), has the reports of
the items before it given first, then its error raised, as with one process.

A claim's cost is bounded before it is read: a claim dict whose diagnoses, service lines
or ICD-10-PCS procedures are more than the checker's :class:`~codekit.checker.ClaimLimits`
is reported ``CLAIM_TOO_LARGE`` from the length of its lists (only the lines up to the
limit are read); JSON text of more than :data:`MAX_CLAIM_BYTES` is not parsed at all (one
``CLAIM_FORMAT_INVALID``); and a report lists at most :data:`MAX_PROBLEMS` problems of a
claim that cannot be read, then one finding saying how many more there are.

>>> from codekit import Checker
>>> good = {"claim_id": "A", "claim_type": "professional", "payer": "commercial",
...         "patient": {"sex": "F", "age": 40}, "date_of_service": "2025-11-03",
...         "diagnoses": ["E11"], "service_lines": []}
>>> bad = {"claim_id": "B", "claim_type": "dental", "patient": {"sex": "F", "age": 40},
...        "date_of_service": "2025-11-03", "diagnoses": ["E11.9"]}
>>> [(r.claim_id, [(f.rule, f.path) for f in r.findings])
...  for r in check_many(Checker(), [good, bad])]
[('A', [('DX_NOT_BILLABLE', '$.diagnoses[0]')]), ('B', [('CLAIM_FORMAT_INVALID', '$.claim_type')])]
"""

from __future__ import annotations

import collections
import gc
import json
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar, overload

from ._show import shown
from .claims import MAX_TEXT, Claim, line_identity
from .errors import (
    CheckerError,
    ClaimFormatError,
    ConfigurationError,
    DataError,
    InvalidArgument,
    WorkerDied,
)
from .findings import Finding, Report, Severity

if TYPE_CHECKING:
    from .checker import Checker

__all__ = [
    "CHECK_FAILED",
    "FAILURE_LOG",
    "FATAL",
    "FLUSH",
    "MAX_CLAIM_BYTES",
    "MAX_PROBLEMS",
    "check_failed",
    "check_failed_report",
    "check_many",
    "cpus",
    "format_error_report",
    "report_of",
    "traceback_text",
]

FORMAT_RULE = "CLAIM_FORMAT_INVALID"
#: The finding of a claim whose check failed on a bug in codekit (docs/catalog.md).
CHECK_FAILED = "CLAIM_CHECK_FAILED"
#: Where the traceback of a claim whose check failed goes (:func:`check_failed_report`):
#: its frames and exception types, with the failure id its report quotes.
FAILURE_LOG = logging.getLogger("codekit.check")
#: The exceptions that end a batch instead of being one claim's ``CLAIM_CHECK_FAILED``
#: report (:func:`report_of`, in every front door): what every claim would meet alike, a
#: :class:`~codekit.errors.ConfigurationError` (a damaged or missing data file, an optional
#: dependency not installed, a checker or its policies configured wrongly) and
#: ``MemoryError``. Any other exception, a :class:`~codekit.errors.CodekitError` too (a
#: ``ValidationError`` a rule did not catch), is a bug met by that claim: its report, and
#: the batch goes on.
FATAL: tuple[type[BaseException], ...] = (ConfigurationError, MemoryError)

#: The most problems the report of a claim that cannot be read lists, in path order; past
#: them one more ``CLAIM_FORMAT_INVALID`` finding (at ``$``) says how many were left out.
MAX_PROBLEMS = 100

#: The longest JSON text of one claim codekit parses: 16 MiB (a claim at every limit of
#: :class:`~codekit.checker.ClaimLimits` takes far less; ``extra`` is the caller's). Longer
#: text is a claim that cannot be read, refused without parsing it (``codekit check``
#: skips such a line or object without holding it whole).
MAX_CLAIM_BYTES = 16 << 20

#: JSON text longer than this is parsed once more before the claim is read, so that its
#: lists are held against the checker's limits first (a claim of 999 lines takes more).
_LONG_TEXT = 16 << 10


class _Flush:
    """The type of :data:`FLUSH` (one object: pickled, it is the same one)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "codekit.batch.FLUSH"

    def __reduce__(self) -> str:
        return "FLUSH"


#: Not a claim: put among the items of :func:`check_many`, it asks for the reports of
#: every item before it now (their chunk is sent to a worker unfilled), and comes back
#: itself among the reports, after them. ``codekit check`` sends it when its input has
#: stalled for a quarter of a second.
FLUSH: Any = _Flush()


def format_error_report(error: ClaimFormatError, data: object = None) -> Report:
    """The report of a claim that cannot be read: one ``CLAIM_FORMAT_INVALID`` error per
    problem, at its path; the claim id kept when the input (``data``, the claim dict as
    given) had a readable one, and its service lines' numbers and ids
    (:func:`~codekit.claims.line_identity`), so that a finding on a line (``units`` of
    ``"x"``) names it as a checked claim's report would.

    >>> bad = {"claim_id": "C", "service_lines": [{"line": 7, "line_id": "L-7",
    ...                                            "units": "x"}]}
    >>> r = format_error_report(ClaimFormatError([(("service_lines", 0, "units"),
    ...                                           "must be a number")]), bad)
    >>> [(row["line"], row["line_id"], row["path"]) for row in r.rows()]
    [(7, 'L-7', '$.service_lines[0].units')]
    """
    claim_id = data.get("claim_id") if isinstance(data, Mapping) else None
    line_ids, line_numbers = line_identity(data)
    problems = error.problems
    findings = [Finding(FORMAT_RULE, Severity.ERROR, message, path, reference=_FORMAT_REF)
                for path, message in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:  # 200,000 bad lines are not a 90 MB report
        findings.append(Finding(
            FORMAT_RULE, Severity.ERROR, f"{len(problems) - MAX_PROBLEMS:,} more problems "
            f"in the claim are not listed (the first {MAX_PROBLEMS} are)", (),
            reference=_FORMAT_REF))
    return Report(findings=tuple(findings), profile="", claim_id=_id_text(claim_id),
                  line_ids=line_ids, line_numbers=line_numbers)


_FORMAT_REF = "codekit claim format (docs/catalog.md)"


def check_failed_report(item: object, error: BaseException) -> Report:
    """The report of an item (a Claim, a claim dict, JSON text) whose check raised
    ``error``, a bug in codekit: one ``CLAIM_CHECK_FAILED`` error at the claim (``$``)
    whose message names the exception's type and text and a failure id, with the claim's
    id and its lines' numbers and ids where they can be read; it is never ``ok``. The
    traceback is logged to :data:`FAILURE_LOG` (``ERROR``) with the failure id: its frames
    and exception types only (:func:`traceback_text`), as the claim's data may be in
    the message.

    >>> r = check_failed_report({"claim_id": "C-1"}, KeyError("E11.9"))
    >>> (r.claim_id, r.ok, r.findings[0].rule, r.findings[0].path)
    ('C-1', False, 'CLAIM_CHECK_FAILED', '$')
    >>> r.findings[0].message[:62]
    "codekit could not check this claim (KeyError: 'E11.9'): a bug "
    """
    failure = uuid.uuid4().hex[:16]
    FAILURE_LOG.error("codekit could not check a claim, failure id %s: a bug in codekit "
                      "(the messages are not logged: they may quote the claim)\n%s",
                      failure, traceback_text(error))
    text = f"{type(error).__name__}: {error}"
    text = text if len(text) <= 300 else text[:297] + "..."
    claim_id, line_ids, line_numbers = _identity(item)
    return Report(findings=(Finding(
        CHECK_FAILED, Severity.ERROR, f"codekit could not check this claim ({text}): a bug "
        "in codekit, not in the claim, which was not checked; please report it with the "
        f"claim and the failure id {failure} (the log holds its traceback)", (),
        reference="codekit.batch.check_failed_report"),),
        profile="", claim_id=claim_id, line_ids=line_ids, line_numbers=line_numbers)


def check_failed(report: object) -> bool:
    """Whether ``report`` (a :class:`~codekit.findings.Report`, or a door's report made
    from one: FHIR's reader findings first) is that of a claim whose check failed on a
    bug in codekit (:func:`check_failed_report`): it holds a ``CLAIM_CHECK_FAILED``."""
    findings = getattr(report, "findings", None)
    return type(findings) is tuple and any(
        getattr(f, "rule", None) == CHECK_FAILED for f in findings)


def _identity(item: object) -> tuple[str | None, tuple[str | None, ...], tuple[int, ...]]:
    """The claim id and lines' ids and numbers of an item, as far as they can be read
    (nothing that fails: the item is one whose check failed)."""
    try:
        if isinstance(item, Claim):
            lines = item.service_lines
            return (item.claim_id, tuple(ln.line_id for ln in lines),
                    tuple(ln.line for ln in lines))
        data = item
        if isinstance(item, str | bytes | bytearray) and len(item) <= MAX_CLAIM_BYTES:
            data = json.loads(item)
        if isinstance(data, Mapping):
            line_ids, line_numbers = line_identity(data)
            return _id_text(data.get("claim_id")), line_ids, line_numbers
    except Exception:  # what cannot be read is not said
        return None, (), ()
    return None, (), ()


def traceback_text(error: BaseException) -> str:
    """An exception's traceback for a log: its frames and the types of the exception and
    those chained to it, never a message or an argument (an exception about a claim may
    quote it: ``ValueError: ... name='SAMPLE, ANN'``; OWASP's Logging Cheat Sheet keeps
    health and personal data out of logs)."""
    parts, seen = [], set()
    e: BaseException | None = error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        frames = "".join(traceback.format_list(traceback.extract_tb(e.__traceback__)))
        kind = f"{type(e).__module__}.{type(e).__qualname__}"
        if isinstance(e, BaseExceptionGroup):
            kind += " of " + ", ".join(type(x).__qualname__ for x in e.exceptions)
        parts.append(f"Traceback (most recent call last):\n{frames}{kind}")
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    return "\n\nand then, while handling it:\n".join(reversed(parts))


def _id_text(value: object) -> str | None:
    """A claim id as :meth:`Claim.from_dict` reads it (text, or a whole number as its
    digits: ``5`` is ``'5'``), so the report of a claim that cannot be read joins back as
    a readable one's would; None for anything else."""
    if type(value) is str:
        return value if len(value) <= MAX_TEXT else None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10 ** 18:
        return str(value)
    return None


def report_of(checker: Checker, item: object) -> Report:
    """The report of one item: a Claim, a claim dict, or JSON text of one. A check that
    fails on a bug in codekit is the item's ``CLAIM_CHECK_FAILED`` report
    (:func:`check_failed_report`), a :class:`~codekit.errors.CodekitError` raised by a
    rule too; what every claim would meet alike (:data:`FATAL`: a damaged data file...) is
    raised."""
    try:
        return _report_of(checker, item)
    except FATAL:
        raise
    except Exception as e:  # a codekit bug met by this claim: its result, the batch goes on
        return check_failed_report(item, e)


def _report_of(checker: Checker, item: object) -> Report:
    if type(item) is str or type(item) is bytes:  # the usual item of a stream: one JSON
        # line (bytes from ``codekit check``'s reader): the general path's steps below,
        # without its tests of what the item is
        if len(item) > _LONG_TEXT:
            early = _long_text(checker, item)
            if early is not None:
                return early
        try:
            claim = Claim.from_json(item)
        except ClaimFormatError as e:
            try:
                data = json.loads(item)
            except (ValueError, RecursionError):
                data = None
            return format_error_report(e, data)
        try:
            return checker.check(claim)
        except ClaimFormatError as e:  # as below
            return format_error_report(e, {"claim_id": getattr(claim, "claim_id", None)})
    if isinstance(item, ClaimFormatError):  # a reader could not even make a claim dict
        return format_error_report(item)
    try:
        if isinstance(item, Claim):
            claim = item
        elif isinstance(item, str | bytes | bytearray):
            if len(item) > _LONG_TEXT:
                early = _long_text(checker, item)
                if early is not None:
                    return early
            claim = Claim.from_json(bytes(item) if isinstance(item, bytearray) else item)
        else:
            over = checker.limits.problem_before_reading(item)
            if over is not None:  # far over the limits: not read whole
                return _over_limits(checker, item, over)
            claim = Claim.from_dict(item)
    except ClaimFormatError as e:
        data = item
        if isinstance(item, str | bytes | bytearray):
            try:
                data = json.loads(item)
            except (ValueError, RecursionError):
                data = None
        return format_error_report(e, data)
    try:
        return checker.check(claim)
    except ClaimFormatError as e:  # a Claim built by hand with ill-typed fields
        return format_error_report(e, {"claim_id": getattr(claim, "claim_id", None)})


def _long_text(checker: Checker, text: str | bytes | bytearray) -> Report | None:
    """The report of JSON text too long to read (over :data:`MAX_CLAIM_BYTES`), or of the
    text of a claim over the checker's limits; None for anything else (read as usual)."""
    if len(text) > MAX_CLAIM_BYTES:
        unit = "characters" if isinstance(text, str) else "bytes"
        return format_error_report(ClaimFormatError([((), (
            f"the claim is {len(text):,} {unit} of JSON: codekit reads a claim of at most "
            f"{MAX_CLAIM_BYTES:,}, and did not read this one"))]))
    try:
        data = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return None  # the reader says what is wrong with it
    over = checker.limits.problem_before_reading(data)
    return None if over is None else _over_limits(checker, data, over)


def _over_limits(checker: Checker, data: Any, over: tuple[tuple[str | int, ...], str]
                 ) -> Report:
    """The ``CLAIM_TOO_LARGE`` report of a claim dict whose lists are ``over`` the
    checker's limits (:meth:`~codekit.checker.ClaimLimits.problem_before_reading`), read
    only up to them."""
    limits = checker.limits
    finding = limits.finding_of(*over)
    try:
        claim = Claim.from_dict(limits.cut(data))
        profile = checker.route(claim).profile.name
    except ClaimFormatError:  # its format problems are not listed: it is not read
        return Report(findings=(finding,), profile="", claim_id=_id_text(data.get("claim_id")))
    lines = claim.service_lines
    return Report(findings=(finding,), profile=profile, claim_id=claim.claim_id,
                  line_ids=tuple(ln.line_id for ln in lines),
                  line_numbers=tuple(ln.line for ln in lines))


# -- worker processes ---------------------------------------------------------------------------

_WORKER: list[Any] = []  # (checker, how to turn an item into a result) in a worker


def _init_worker(checker: Checker | _Unsent, render: Callable[[Report], Any] | None,
                 parent: int | None = None, main: bool = False) -> None:
    """A worker's start: the checker and ``render``; the signals it leaves to its parent;
    its end with the parent's (``parent``: the process id of the process that started it,
    None for the one it has now; ``main``: it was started by that process's main thread:
    see :func:`_end_with_parent`)."""
    _WORKER[:] = [checker, render]
    # Ctrl-C reaches every process of the terminal's group: the parent ends the batch
    # (and the pool); a worker printing its own KeyboardInterrupt traceback helps no one
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM and SIGHUP end a worker at once and quietly, whatever handler a forked
    # worker inherited (one that raises would fail its chunk instead): the pool stops the
    # workers left after one died by sending them SIGTERM (ignored, they would finish
    # their chunks into a pipe no one reads, and the pool wait for them for ever), and a
    # signal sent to the whole group (a service manager's stop, a closed terminal)
    # reaches the parent too, which says what happened
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            signal.signal(signum, signal.SIG_DFL)
    _end_with_parent(parent, main)
    # A forked worker shares the parent's tables and caches page by page until it writes
    # to them; the collector would write to every object it scans (and copy its page).
    # What the worker inherited lives as long as the worker: leave it out of collections.
    gc.freeze()


#: How often a worker the system cannot end with its parent looks whether the parent is
#: still there (seconds).
_WATCH = 0.5

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _end_with_parent(parent: int | None, main: bool) -> None:
    """Make this worker end when the process that started it ends, however it ends
    (SIGKILL, the out-of-memory killer, SIGHUP without a handler): a worker left behind
    waits for chunks that never come, holding its memory (about 100 MB) for good.

    On Linux the system ends it (``PR_SET_PDEATHSIG``, SIGKILL) when the parent's main
    thread started it: the signal comes when the *thread* that started a process ends,
    and a pool started by another thread (a server's worker thread) outlives it.
    Otherwise, or where ``prctl`` cannot be called, a daemon thread looks every
    :data:`_WATCH` seconds whether the parent is still there (on Windows it waits for the
    parent's process handle)."""
    expected = os.getppid() if parent is None else parent
    if not (main and _pdeathsig()):
        threading.Thread(target=_watch, args=(expected,), daemon=True,
                         name="codekit-parent-watch").start()
    if os.name != "nt" and os.getppid() != expected:  # it ended before this worker began
        os._exit(1)


def _pdeathsig() -> bool:
    """Ask Linux for SIGKILL when the parent ends; whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError, TypeError):  # no libc, no prctl
        return False


def _watch(parent: int) -> None:
    """End this process once ``parent`` is no longer its parent (a daemon thread)."""
    if os.name == "nt":  # no re-parenting there: the parent's process handle says it
        process = multiprocessing.parent_process()
        if process is not None:
            process.join()
            os._exit(1)
        return
    while os.getppid() == parent:
        time.sleep(_WATCH)
    os._exit(1)


def _work(items: list[object]) -> list[Any]:
    checker, render = _WORKER
    if isinstance(checker, _Unsent):
        raise _unsendable(multiprocessing.get_start_method(), checker.why,
                          data=checker.data)
    return _work_here(checker, render, items)


def _context() -> multiprocessing.context.BaseContext:
    # The start method the program chose (multiprocessing.set_start_method: a threaded
    # service avoids fork); else fork, which shares the opened tables with the workers for
    # free, where it exists.
    method = multiprocessing.get_start_method(allow_none=True)
    if method is None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def _init_sent(payload: bytes, parent: int | None = None, main: bool = False,
               files: bytes | None = None) -> None:
    """A worker not forked from the caller: the checker and ``render`` come pickled; one
    that cannot be rebuilt here (a rule whose function lives in no importable module) is
    said by the first chunk, not by the pool dying. ``files``: the procedure files the
    caller had loaded (:func:`_procedure_files`), loaded here too before any claim."""
    checker: Checker | _Unsent
    try:
        checker, render = pickle.loads(payload)
    except Exception as e:  # whatever unpickling raises, said as one error (a data file:
        # a table of the user's, changed or gone since the caller opened it)
        checker, render = _Unsent(f"{type(e).__name__}: {e}",
                                  data=isinstance(e, DataError)), None
    if files is not None and not isinstance(checker, _Unsent):
        try:
            _use_procedure_files(pickle.loads(files))
        except Exception as e:  # a file gone or changed since: said, not a dead pool
            checker, render = _Unsent(
                "the procedure files loaded in the calling process (HCPCS, CPT, quarterly "
                f"code lists, MPFS) could not be loaded again in a worker: "
                f"{type(e).__name__}: {e}", data=True), None
    _init_worker(checker, render, parent, main)


def _procedure_files() -> bytes | None:
    """The procedure files loaded in this process's default store (HCPCS releases, CPT
    descriptors, MPFS RVU files, quarterly code lists: what ``hcpcs.load_release``,
    ``cpt.load_descriptors``, ``procedure.load_mpfs`` and ``procedure.load_quarter``
    keep; :meth:`~codekit.procedure.ProcedureStore.user_files`), pickled as they pickle
    (their paths, dates and how they were read), or None when none are: a
    worker not forked from this process starts without them, and would answer as if
    they had never been loaded."""
    from .procedure import default_store

    files = default_store().user_files()
    return pickle.dumps(files) if any(files) else None


def _use_procedure_files(files: tuple[list[Any], list[Any], list[Any], list[Any]]) -> None:
    """In a worker: add the caller's procedure files (:func:`_procedure_files`) to this
    process's default store."""
    from .procedure import default_store

    default_store().add_user_files(files)


class _Unsent:
    """Stands for a checker a worker could not rebuild (``data``: the checker was, the
    caller's procedure files were not)."""

    def __init__(self, why: str, *, data: bool = False) -> None:
        self.why = why
        self.data = data


def _unsendable(method: str, why: str, *, data: bool = False) -> CheckerError:
    hint = ("keep the files where they were loaded from, unchanged, until the batch "
            "ends" if data else "define custom rules and render functions at the top "
            "level of an importable module")
    return CheckerError(
        f"check_many(processes=N): this checker cannot be sent to worker processes "
        f"(start method {method!r}): {why}; {hint}, or check with processes=1")


_T = TypeVar("_T")


@overload
def check_many(checker: Checker, claims: Iterable[object], *, processes: int = 1,
               chunk_size: int = 256, render: None = None) -> Iterator[Report]: ...
@overload
def check_many(checker: Checker, claims: Iterable[object], *, processes: int = 1,
               chunk_size: int = 256, render: Callable[[Report], _T]) -> Iterator[_T]: ...


def check_many(checker: Checker, claims: Iterable[object], *, processes: int = 1,
               chunk_size: int = 256, render: Callable[[Report], Any] | None = None
               ) -> Iterator[Any]:
    """One report per claim of ``claims``, in order (see the module doc): an iterator of
    :class:`~codekit.findings.Report`, or of what ``render`` makes of each.

    ``processes`` > 1 checks in that many worker processes, but never more than the CPUs
    the process may use (:func:`cpus`) nor than chunks of ``chunk_size`` items (3 claims
    start one worker); ``0`` means one per CPU. Anything but a whole number >= 0 is an
    :class:`~codekit.errors.InvalidArgument`.
    ``render``, a picklable function of a report (e.g. ``Report.to_json``), turns each
    report into what is yielded, in the worker: a stream meant for a file then crosses
    the process boundary as text instead of objects.
    """
    if not isinstance(processes, int) or isinstance(processes, bool) or processes < 0:
        raise InvalidArgument(f"processes={shown(processes)}: expected a whole number >= 0")
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise InvalidArgument(f"chunk_size={shown(chunk_size)}: expected a whole number >= 1")
    if processes == 0:
        processes = cpus()
    if processes == 1:
        for item in claims:
            if item is FLUSH:
                yield FLUSH
                continue
            report = report_of(checker, item)
            yield report if render is None else render(report)
        return
    # at most one worker per CPU: more only contend for the same cores (and a mistyped
    # 10**6 would fork until the machine stops)
    yield from _parallel(checker, claims, min(processes, cpus()), chunk_size, render)


def cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says it, else
    ``os.cpu_count()``): the most worker processes ``check_many`` starts.

    >>> cpus() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on every system
        return os.cpu_count() or 1


def _chunks(items: Iterable[object], size: int) -> Iterator[Any]:
    """``items`` in lists of ``size``; :data:`FLUSH` ends a chunk early and is given
    after it; when the iterable fails (an exception, or an interrupt such as
    ``KeyboardInterrupt`` raised while it is read), the items read before are given as a
    last chunk, then the error is raised."""
    chunk: list[object] = []
    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            break
        except BaseException as e:  # raised again once the chunk is given
            if chunk:
                yield chunk
            raise e
        if item is FLUSH:
            if chunk:
                yield chunk
                chunk = []
            yield FLUSH
            continue
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parallel(checker: Checker, claims: Iterable[object], processes: int, chunk_size: int,
              render: Callable[[Report], Any] | None) -> Iterator[Any]:
    """The reports of ``claims`` from at most ``processes`` workers, and never more
    workers than chunks: a batch of 3 claims starts one. When the caller's iterable fails
    (an ``Exception``, ``KeyboardInterrupt``, ``SystemExit``...), the items read before
    it get their reports first, as with one process, then its error is raised."""
    context = _context()
    method = context.get_start_method()
    initializer: Callable[..., None] = _init_worker
    # the workers end with this process (see _end_with_parent): its id (a forkserver's
    # workers are the server's children, and end with it) and whether its main thread
    # starts them (this generator's thread: every worker starts at the first chunks)
    parent = os.getpid() if method != "forkserver" else None
    main = method == "forkserver" or threading.current_thread() is threading.main_thread()
    initargs: tuple[Any, ...] = (checker, render, parent, main)
    if method != "fork":  # the checker travels pickled: say now if it cannot
        try:
            initargs = (pickle.dumps((checker, render)), parent, main)
        except Exception as e:  # PicklingError, TypeError, AttributeError...
            raise _unsendable(method, f"{type(e).__name__}: {e}") from e
        # and the procedure files loaded here (a forked worker has them already)
        initargs += (_procedure_files(),)
        initializer = _init_sent
    chunks = _chunks(claims, chunk_size)
    failed: BaseException | None = None
    ahead: list[list[object]] = []  # a chunk for each worker, read before any starts
    while len(ahead) < processes:
        try:
            chunk = next(chunks)
        except StopIteration:
            break
        except BaseException as e:  # the caller's: raised after the reports
            failed = e
            break
        if chunk is FLUSH:
            # the source stalls before there is a chunk for every worker (a trickle):
            # what was read is checked here, now, and no worker is started for it
            for part in ahead:
                yield from _work_here(checker, render, part)
            ahead.clear()
            yield FLUSH
            continue
        ahead.append(chunk)
    if failed is not None or not ahead:
        # nothing to check, or the caller's iterable failed (Ctrl-C...) before there was a
        # chunk for every worker: no worker is started, what was read is checked here
        for part in ahead:
            yield from _work_here(checker, render, part)
        if failed is not None:
            raise failed
        return
    workers = len(ahead)
    window = 2 * workers  # chunks in flight: memory stays flat, workers stay busy
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=initializer,
                               initargs=initargs)
    try:
        pending: collections.deque[tuple[list[object], Future[list[Any]]]] = \
            collections.deque()
        queued = collections.deque(ahead)
        del ahead
        # fewer chunks than workers asked for: the input ended while read ahead
        ended = workers < processes
        while True:
            if queued:
                chunk = queued.popleft()
            elif ended:
                break
            else:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except BaseException as e:
                    # the caller's iterable failed (or was interrupted): the claims read
                    # before it still get their reports, as with one process, then its
                    # error is raised
                    failed = e
                    break
            if chunk is FLUSH:  # the caller's source stalls: every report so far, now
                while pending:
                    yield from _results(checker, render, *pending.popleft())
                yield FLUSH
                continue
            try:
                future = pool.submit(_work, chunk)
            except BrokenProcessPool as e:  # a worker died while the caller read results
                raise _died(e) from e
            pending.append((chunk, future))
            if len(pending) >= window:
                yield from _results(checker, render, *pending.popleft())
        while pending:
            yield from _results(checker, render, *pending.popleft())
        if failed is not None:
            raise failed
    finally:
        # a batch ended early (the caller stopped reading, Ctrl-C, an error) checks none
        # of the chunks still queued
        pool.shutdown(wait=True, cancel_futures=True)


def _results(checker: Checker, render: Callable[[Report], Any] | None,
             chunk: list[object], future: Future[list[Any]]) -> list[Any]:
    """A chunk's results from its worker; a chunk that could not be sent to one (an item
    that does not pickle: a claim dict holding a lock, a memoryview, a dict nested
    thousands deep, an object whose ``__reduce__`` raises whatever it raises) is checked
    here instead, item by item, as with one process: one such item is a result, not the
    end of the batch. An error of the check itself is raised again by checking here, as
    with one process. What is raised in the caller's thread while it waits for the worker
    (by a signal handler: an interrupt, ``KeyboardInterrupt`` or an ``Exception`` of the
    caller's own) is not the chunk's: it is raised as it is, and the chunk is not checked
    again."""
    try:
        return future.result()
    except BrokenProcessPool as e:  # a worker died: not the chunk's doing
        raise _died(e) from e
    except CheckerError:  # the checker could not be rebuilt in the worker: said as such
        raise
    except Exception as e:
        if not _failed_with(future, e):  # raised here while waiting, not by the chunk
            raise
        # pickling the chunk (or its results) failed, whatever it raised; or the check
        # itself did, which checking here raises again
        return _work_here(checker, render, chunk)


def _failed_with(future: Future[Any], error: BaseException) -> bool:
    """Whether ``error`` is what ``future`` failed with, not an exception raised in the
    waiting thread (a signal handler's)."""
    return future.done() and not future.cancelled() and future.exception() is error


def _died(e: BaseException) -> WorkerDied:
    return WorkerDied(f"a worker process died ({e}): the claims after the reports given "
                      "were not checked; run again (with fewer processes if it ran out of "
                      "memory)")


def _work_here(checker: Checker, render: Callable[[Report], Any] | None,
               chunk: list[object]) -> list[Any]:
    out = []
    for item in chunk:
        report = report_of(checker, item)
        out.append(report if render is None else render(report))
    return out
