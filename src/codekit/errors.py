"""The codekit exception hierarchy.

Every error codekit raises derives from :class:`CodekitError`. Errors about a value the
caller passed (a code, a date, a claim field) also derive from :class:`ValueError`, so
generic ``except ValueError`` code keeps working.

Each validation error carries:

- ``value``: the input exactly as the caller passed it;
- ``code``: a stable identifier (the edit ID of ``docs/catalog.md`` where one exists,
  such as ``DX_FORMAT_INVALID``), safe to branch on;
- a message that says what is wrong and what to do about it;
- ``fix``: the machine-readable fix, a tuple of suggested codes (possibly empty), the same
  field on every validation error of every code system;
- extra fields specific to the error (allowed 7th characters, valid ranges...).

Three kinds of failure a caller can tell apart by type:

- the input: a :class:`ValidationError` (a code), :class:`ClaimFormatError` (a claim),
  :class:`X12Error`, :class:`FhirFormatError`, :class:`InvalidArgument` (an argument of a
  call): fix what was passed;
- the set-up: a :class:`ConfigurationError` (:class:`CheckerError`, :class:`DataError`,
  :class:`PolicyError`, :class:`ExtraNotInstalled`): the checker, its data, its policies or
  its extras are not what was asked for, and every claim would meet it alike: fix the
  deployment, not the claim (a service answers it as unavailable, not as a bad request);
- anything else, a bug in codekit (:func:`codekit.batch.report_of` turns it into a
  ``CLAIM_CHECK_FAILED`` report for that claim).

>>> issubclass(CheckerError, ConfigurationError), issubclass(ClaimFormatError,
...     ConfigurationError)
(True, False)

Every exception codekit defines lives in this module and is exported from :mod:`codekit`;
each has a stable ``code``.

Errors pickle with all their fields, so they cross process boundaries (multiprocessing,
Spark workers):

>>> import pickle
>>> e = InvalidFormat("250.00", "not an ICD-10-CM code")
>>> e2 = pickle.loads(pickle.dumps(e))
>>> (e2.value, e2.code, str(e2))
('250.00', 'DX_FORMAT_INVALID', "'250.00': not an ICD-10-CM code")
>>> isinstance(e2, ValueError) and isinstance(e2, CodekitError)
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any, Self

from ._show import shown

__all__ = [
    "CheckerError",
    "ClaimFormatError",
    "CodekitError",
    "ConfigurationError",
    "DataError",
    "ExtraNotInstalled",
    "FhirFormatError",
    "FileLimitExceeded",
    "InvalidArgument",
    "InvalidFormat",
    "InvalidModifier",
    "MalformedFile",
    "ModifierNotValidOnDate",
    "NotBillable",
    "NotValidOnDate",
    "NoteParseError",
    "PlaceholderMissing",
    "PolicyError",
    "SeventhCharacterInvalid",
    "SeventhCharacterMissing",
    "UnknownCode",
    "UnknownEdit",
    "ValidationError",
    "ValueNotAllowed",
    "WorkerDied",
    "X12ClaimUnreadable",
    "X12Error",
    "X12NotReadable",
    "X12Unsupported",
]


def _rebuild(cls: type[CodekitError], kwargs: dict[str, Any]) -> CodekitError:
    return cls(**kwargs)


class CodekitError(Exception):
    """Root of every error codekit raises."""

    code: str = "CODEKIT_ERROR"

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self._fields = {"message": message, **fields}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._fields))

    def __str__(self) -> str:
        return self.message


class ConfigurationError(CodekitError):
    """What codekit was set up with is wrong: the checker's configuration
    (:class:`CheckerError`), its data (:class:`DataError`), its policies
    (:class:`PolicyError`) or an extra it needs (:class:`ExtraNotInstalled`). Every claim
    would meet it alike, so it is the deployment to fix, not the claim; never raised itself."""

    code = "CONFIGURATION_ERROR"


class DataError(ConfigurationError):
    """Bundled or user data is missing, corrupt, or names an unknown release."""

    code = "DATA_ERROR"


class MalformedFile(DataError):
    """A row of a user-supplied file cannot be read; names the file and the line.

    >>> import pickle
    >>> e = MalformedFile("f.txt:3: bad date", path="f.txt", line=3, reason="bad date")
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> (e2.path, e2.line, e2.reason, str(e2))
    ('f.txt', 3, 'bad date', 'f.txt:3: bad date')
    """

    code = "DATA_MALFORMED_ROW"

    def __init__(self, message: str = "", *, path: str = "", line: int = 0,
                 reason: str = "") -> None:
        super().__init__(message, path=path, line=line, reason=reason)
        self.path = path
        self.line = line
        self.reason = reason


class FileLimitExceeded(DataError):
    """A file goes past one of the :class:`~codekit.FileLimits` a loader reads it with
    (decompressed size, expansion ratio, rows, row length, blank rows, problems, XML
    elements or depth): a decompression bomb, or a genuine file larger than the limits.
    ``limit`` names the :class:`~codekit.FileLimits` field and ``value`` its setting.

    >>> import pickle
    >>> e = FileLimitExceeded("f.csv.gz: too big", path="f.csv.gz", limit="max_bytes",
    ...                       value=10)
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> (e2.path, e2.limit, e2.value, e2.code)
    ('f.csv.gz', 'max_bytes', 10, 'DATA_FILE_LIMIT')
    """

    code = "DATA_FILE_LIMIT"

    def __init__(self, message: str = "", *, path: str = "", limit: str = "",
                 value: int = 0) -> None:
        super().__init__(message, path=path, limit=limit, value=value)
        self.path = path
        self.limit = limit
        self.value = value


class InvalidArgument(CodekitError, ValueError):
    """An argument other than the code itself is wrong (a date, a limit, a release name)."""

    code = "INVALID_ARGUMENT"


class CheckerError(InvalidArgument, ConfigurationError):
    """A checker was configured wrongly (unknown profile or rule, two rules with one ID)."""

    code = "CHECKER_INVALID"


class UnknownEdit(CheckerError):
    """An edit ID or group a checker does not have, given where it names edits
    (``Checker(require=...)``, ``codekit check --require``, a profile's ``disabled`` and
    ``severities``, ``Profile.evolve(enable=...)``). ``name`` is what was given;
    ``suggestions`` (also ``fix``) the checker's edit IDs and groups closest to it, best
    first (possibly empty).

    >>> import pickle
    >>> e = UnknownEdit("'MUE' is no edit", name="MUE", suggestions=("MUE_EXCEEDED",))
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> (e2.name, e2.fix, e2.code, isinstance(e2, CheckerError))
    ('MUE', ('MUE_EXCEEDED',), 'CHECKER_UNKNOWN_EDIT', True)
    """

    code = "CHECKER_UNKNOWN_EDIT"

    def __init__(self, message: str = "", *, name: str = "",
                 suggestions: Sequence[str] = ()) -> None:
        super().__init__(message, name=name, suggestions=tuple(suggestions))
        self.name = name
        self.suggestions = tuple(suggestions)

    @property
    def fix(self) -> tuple[str, ...]:
        """The suggestions, as every error with a did-you-mean calls them."""
        return self.suggestions


class WorkerDied(CodekitError, RuntimeError):
    """A worker process of ``check_many(processes=N)`` died (killed from outside, out of
    memory): the reports before it were given, the claims after them were not checked."""

    code = "WORKER_DIED"


class ValidationError(CodekitError, ValueError):
    """A code (or modifier) is not valid. Base class of the specific reasons below.

    ``fix`` is the machine-readable fix: the codes to use instead, best first (empty when
    codekit has none to offer). Errors raised for a date of service know their code
    ``system`` and ``on``; for those whose fix is a did-you-mean, the suggestions are
    computed on first access of ``fix``.
    """

    code = "INVALID"
    default_code: str = "INVALID"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        fix: Sequence[str] | None = None, **fields: Any
    ) -> None:
        self.value = value
        self.code = code or self.default_code
        shown = _shown(value)
        text = f"{shown}: {message}" if message else f"{shown} is not valid"
        super().__init__(text, **fields)
        self._fix = None if fix is None else tuple(fix)
        # Keep the constructor arguments (not the rendered text) for pickling.
        self._fields = {"value": value, "message": message, "code": self.code, **fields}
        if fix is not None:
            self._fields["fix"] = self._fix
        self.reason = message

    #: The code system whose suggestions make the fix (set by the verbs that know it).
    system: str | None = None
    #: The date of service the error is about, when there is one.
    on: _dt.date | None = None

    def suggest_from(self, system: str, on: _dt.date | None) -> Self:
        """Let ``fix`` be ``system``'s did-you-mean for the value on ``on`` (None: today;
        computed on first access); returns the error itself, so ``raise
        err.suggest_from(...)`` keeps its class."""
        self.system = system
        self.on = on
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_validation, (type(self), self._fields, self.system, self.on))

    @property
    def fix(self) -> tuple[str, ...]:
        """The codes to use instead, best first (possibly empty)."""
        if self._fix is None:
            self._fix = _suggestions(self.system, self.value, self.on) if self.system else ()
        return self._fix


_shown = shown  # a value in a message: cut to 80 characters, never raises


def _rebuild_validation(cls: type[ValidationError], fields: dict[str, Any],
                        system: str | None, on: _dt.date | None) -> ValidationError:
    err = cls(**fields)
    if system:
        err.suggest_from(system, on)
    return err


def _suggestions(system: str, value: object, on: _dt.date | None) -> tuple[str, ...]:
    import importlib

    if not isinstance(value, str):  # (over-long text: every suggest answers [] at once)
        return ()
    try:
        module = importlib.import_module(f"codekit.{system}")
        return tuple(module.suggest(value, on=on))
    except (CodekitError, ImportError, AttributeError):
        return ()


class InvalidFormat(ValidationError):
    """The text is not written like a code of this system (wrong length, letters, dots)."""

    default_code = "DX_FORMAT_INVALID"


class InvalidModifier(ValidationError):
    """A procedure modifier is unknown or not active on the date of service."""

    default_code = "MOD_INVALID"


class UnknownCode(ValidationError):
    """Well formed, but no release codekit knows contains the code.

    ``suggestions`` (also ``fix``) lists the nearest valid codes of the system on the date
    (computed on first access).
    """

    default_code = "DX_CODE_UNKNOWN"

    def __init__(
        self,
        value: object,
        message: str = "",
        *,
        code: str | None = None,
        system: str = "icd10cm",
        on: _dt.date | None = None,
        suggestions: Sequence[str] | None = None,
        fix: Sequence[str] | None = None,
    ) -> None:
        if suggestions is None:
            suggestions = fix
        super().__init__(value, message, code=code, fix=suggestions, system=system, on=on,
                         suggestions=None if suggestions is None else tuple(suggestions))
        self.suggest_from(system, on)

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Nearest valid codes for the date, best first (may be empty)."""
        return self.fix


class ValueNotAllowed(UnknownCode):
    """An ICD-10-PCS code no release has because one of its characters is not allowed
    where it stands: the table row of the characters before it allows other values only.

    ``position`` (1-7) and ``axis`` say which character (``"Approach"``), ``allowed`` maps
    each value the row allows to its meaning, and ``fix`` lists the nearest valid codes of
    the same table (computed on first access).

    >>> import pickle
    >>> e = ValueNotAllowed("0DTJXZZ", "character 5 ...", code="PCS_CODE_UNKNOWN",
    ...                     system="icd10pcs", position=5, axis="Approach",
    ...                     allowed={"0": "Open", "4": "Percutaneous Endoscopic"})
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> e2.position, e2.axis, e2.allowed["4"], isinstance(e2, UnknownCode)
    (5, 'Approach', 'Percutaneous Endoscopic', True)
    """

    default_code = "PCS_CODE_UNKNOWN"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        system: str = "icd10pcs", on: _dt.date | None = None,
        suggestions: Sequence[str] | None = None, fix: Sequence[str] | None = None,
        position: int = 0, axis: str = "", allowed: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(value, message, code=code, system=system, on=on,
                         suggestions=suggestions, fix=fix)
        self.position = position
        self.axis = axis
        self.allowed = dict(allowed or {})
        self._fields.update(system=system, on=on, position=position, axis=axis,
                            allowed=self.allowed)
        self._fields.pop("suggestions", None)
        if suggestions is not None or fix is not None:
            self._fields["suggestions"] = self._fix


class NotBillable(ValidationError):
    """The code exists but is a header (a category or subcategory with children).

    ``children`` (also ``fix``) lists the billable codes below it.
    """

    default_code = "DX_NOT_BILLABLE"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        children: Sequence[str] = (), fix: Sequence[str] | None = None,
    ) -> None:
        children = tuple(children if fix is None else fix)
        super().__init__(value, message, code=code, children=children)
        self.children = children
        self._fix = children


class _SeventhCharacterError(ValidationError):
    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        allowed: Mapping[str, str] | None = None, fix: Sequence[str] | None = None,
    ) -> None:
        allowed = dict(allowed or {})
        super().__init__(value, message, code=code, allowed=allowed, fix=fix)
        #: The 7th characters that apply, with their meanings.
        self.allowed = allowed


class SeventhCharacterMissing(_SeventhCharacterError):
    """The code's category requires a 7th character and none was given (``fix``: the
    complete codes)."""

    default_code = "DX_SEVENTH_CHAR_MISSING"


class SeventhCharacterInvalid(_SeventhCharacterError):
    """A 7th character was given but it is not one the category defines (``fix``: the
    codes with a 7th character that is)."""

    default_code = "DX_SEVENTH_CHAR_INVALID"


class PlaceholderMissing(ValidationError):
    """A 7th character was added to a code shorter than 6 characters without placeholder X.

    ``suggestion`` is the code with the placeholders filled in (``T78.40XA``); ``fix`` is
    that one code.
    """

    default_code = "DX_PLACEHOLDER_X_MISSING"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        suggestion: str | None = None, fix: Sequence[str] | None = None,
    ) -> None:
        if suggestion is None and fix:
            suggestion = fix[0]
        super().__init__(value, message, code=code, suggestion=suggestion)
        self.suggestion = suggestion
        self._fix = (suggestion,) if suggestion else ()


class NotValidOnDate(ValidationError):
    """The code is valid, but not on the date asked about.

    ``valid_ranges`` holds the ``(start, end)`` date ranges (``end`` inclusive, ``None`` for
    open) in which it is valid; ``replacements`` (also ``fix``) the codes to use on the
    date, if known.
    """

    default_code = "DX_NOT_VALID_ON_DOS"

    def __init__(
        self,
        value: object,
        message: str = "",
        *,
        code: str | None = None,
        on: _dt.date | None = None,
        valid_ranges: Sequence[tuple[_dt.date, _dt.date | None]] = (),
        replacements: Sequence[str] = (),
        fix: Sequence[str] | None = None,
    ) -> None:
        replacements = tuple(replacements if fix is None else fix)
        super().__init__(
            value, message, code=code, on=on, valid_ranges=tuple(valid_ranges),
            replacements=replacements,
        )
        self.on = on
        self.valid_ranges = tuple(valid_ranges)
        self.replacements = replacements
        self._fix = replacements


class ModifierNotValidOnDate(NotValidOnDate, InvalidModifier):
    """A known modifier that is not active on the date of service (e.g. JG after 2024).

    >>> import pickle
    >>> e = ModifierNotValidOnDate("JG", "deleted", on=_dt.date(2025, 1, 1),
    ...                            valid_ranges=[(_dt.date(2019, 7, 1), _dt.date(2024, 12, 31))])
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> e2.code, e2.on, e2.valid_ranges[0][1], isinstance(e2, NotValidOnDate)
    ('MOD_INVALID', datetime.date(2025, 1, 1), datetime.date(2024, 12, 31), True)
    """

    default_code = "MOD_INVALID"


class NoteParseError(CodekitError, ValueError):
    """A note contains something that looks like a code reference but does not parse.

    ``column`` is 1-based, into ``text``:

    >>> import pickle
    >>> err = pickle.loads(pickle.dumps(NoteParseError("a (E08-E13 with x)", 12, "no")))
    >>> err.column, err.reason, str(err)
    (12, 'no', "no at column 12: 'a (E08-E13 with x)'")
    """

    code = "NOTE_PARSE_ERROR"

    def __init__(self, text: str, column: int, reason: str) -> None:
        super().__init__(f"{reason} at column {column}: {text!r}")
        self._fields = {"text": text, "column": column, "reason": reason}
        self.text = text
        self.column = column
        self.reason = reason


ClaimPath = tuple[str | int, ...]


def format_path(path: ClaimPath) -> str:
    """A claim location as text: ``("service_lines", 0, "units")`` → ``service_lines[0].units``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(claim)"


class ClaimFormatError(CodekitError, ValueError):
    """A claim that cannot be read; ``problems`` lists ``(path, message)`` pairs.

    >>> import pickle
    >>> e = ClaimFormatError([(("patient", "sex"), "missing")])
    >>> print(pickle.loads(pickle.dumps(e)))
    1 problem in the claim:
      patient.sex: missing
    """

    code = "CLAIM_FORMAT_INVALID"

    def __init__(self, problems: Sequence[tuple[ClaimPath, str]]) -> None:
        self.problems = tuple((tuple(p), m) for p, m in problems)
        n = len(self.problems)
        lines = [f"  {format_path(p)}: {m}" for p, m in self.problems]
        head = "1 problem in the claim:" if n == 1 else f"{n} problems in the claim:"
        super().__init__("\n".join([head, *lines]), problems=self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ClaimFormatError, (self.problems,))


def _printable(text: str) -> str:
    """``text`` with its lone surrogates escaped (``\\ud800``): what a strict UTF-8 stream
    can print.

    >>> print(_printable("rule X \\ud800"))
    rule X \\ud800
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class PolicyError(ConfigurationError, ValueError):
    """A policy file that cannot be compiled. Nothing of the file (or folder) is loaded.

    Attributes: ``kind`` (see :data:`codekit.policies.KINDS`), ``reason``, ``file``,
    ``line`` and ``column`` (1-based), ``text`` (the source line), ``expected``. The text
    shows the line with a caret under the column:

    >>> import pickle
    >>> e = PolicyError("unknown code 'M99.99'", kind="unknown_code", file="chiro.policy",
    ...                 line=3, column=18, text="set SUBLUXATION = M99.99",
    ...                 expected="a code that exists in some ICD-10-CM release")
    >>> print(e)
    chiro.policy:3:18: unknown code 'M99.99'
      set SUBLUXATION = M99.99
                        ^
    expected: a code that exists in some ICD-10-CM release
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> (e2.kind, e2.line, e2.column, isinstance(e2, ValueError))
    ('unknown_code', 3, 18, True)
    """

    code = "POLICY_INVALID"

    def __init__(self, reason: str, *, kind: str = "syntax", file: str = "<string>",
                 line: int = 0, column: int = 0, text: str = "", expected: str = "") -> None:
        # the message quotes the file: a lone surrogate in it (a file name of bytes that
        # are not UTF-8, "\ud800" in the text) is escaped, so that it prints anywhere
        where = f"{file}:{line}:{column}" if line else file
        parts = [f"{_printable(where)}: {_printable(reason)}"]
        if text and line:
            shown = text.rstrip("\n")
            before = _printable(shown[: max(column - 1, 0)])  # the caret under the escape
            caret = "".join(ch if ch == "\t" else " " for ch in before)
            parts += [f"  {_printable(shown)}", f"  {caret}^"]
        if expected:
            parts.append(f"expected: {_printable(expected)}")
        super().__init__("\n".join(parts))
        self._fields: dict[str, Any] = {
            "reason": reason, "kind": kind, "file": file, "line": line, "column": column,
            "text": text, "expected": expected}
        self.reason = reason
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.text = text
        self.expected = expected


class ExtraNotInstalled(ConfigurationError, ImportError):
    """An optional part of codekit needs a package that is not installed; the message
    names the extra that brings it (``pip install codekit[x12]``).

    >>> e = ExtraNotInstalled("codekit.x12 needs pyx12: pip install 'codekit[x12]'",
    ...                       extra="x12", package="pyx12")
    >>> e.code, e.extra, isinstance(e, ImportError)
    ('EXTRA_NOT_INSTALLED', 'x12', True)
    """

    code = "EXTRA_NOT_INSTALLED"

    def __init__(self, message: str = "", *, extra: str = "", package: str = "") -> None:
        super().__init__(message, extra=extra, package=package)
        self.extra = extra
        self.package = package


class X12Error(CodekitError, ValueError):
    """An X12 837 input that codekit cannot read, with where: the ``source`` (file name),
    the ``line`` (1-based) and the byte ``offset`` of the segment, its ``segment`` ID, and
    the ``reason``. Subclasses say what kind of problem it is.

    >>> import pickle
    >>> e = X12NotReadable("no ISA header", source="claims.837", line=1, offset=0,
    ...                    segment="GS")
    >>> print(e)
    claims.837: line 1, byte 0 (GS): no ISA header
    >>> e2 = pickle.loads(pickle.dumps(e))
    >>> (e2.code, e2.line, e2.offset, e2.segment, isinstance(e2, X12Error))
    ('X12_NOT_READABLE', 1, 0, 'GS', True)
    """

    code = "X12_ERROR"

    def __init__(self, reason: str = "", *, source: str = "", line: int | None = None,
                 offset: int | None = None, segment: str = "") -> None:
        where = []
        if line is not None:
            where.append(f"line {line}")
        if offset is not None:
            where.append(f"byte {offset}")
        at = ", ".join(where)
        if segment:
            at = f"{at} ({segment})" if at else segment
        prefix = ": ".join(p for p in (source, at) if p)
        super().__init__(f"{prefix}: {reason}" if prefix else reason, reason=reason,
                         source=source, line=line, offset=offset, segment=segment)
        self.reason = reason
        self.source = source
        self.line = line
        self.offset = offset
        self.segment = segment

    def __reduce__(self) -> tuple[Any, ...]:
        fields = dict(self._fields)
        fields.pop("message", None)
        return (_rebuild, (type(self), fields))


class X12NotReadable(X12Error):
    """The input is not a readable X12 interchange: no ISA header, delimiters that cannot
    be told apart, binary data, a segment with no terminator, an encoding X12 does not
    use."""

    code = "X12_NOT_READABLE"


class X12Unsupported(X12Error):
    """Readable X12, but not an 837P (005010X222) or 837I (005010X223) transaction: a 4010
    interchange, an 837 dental, another transaction set."""

    code = "X12_UNSUPPORTED"


class X12ClaimUnreadable(X12Error):
    """One claim (2300 loop) of an 837 that cannot be made into a codekit claim, e.g. no
    service date anywhere on it; the other claims of the file are read."""

    code = "X12_CLAIM_UNREADABLE"


class FhirFormatError(CodekitError, ValueError):
    """FHIR input that holds no claim to check: not JSON, not a FHIR resource, a resource
    other than a Claim (a Patient where a Claim is expected), a Bundle without a Claim.
    ``problems`` lists ``(expression, message)`` pairs, the expression a FHIRPath
    (``Bundle.entry[2].resource``) or ``""`` for the input as a whole.

    >>> import pickle
    >>> e = FhirFormatError([("", "expected a Claim or a Bundle of Claims, got a Patient")])
    >>> print(pickle.loads(pickle.dumps(e)))
    expected a Claim or a Bundle of Claims, got a Patient
    >>> e.code, e.problems[0][1][:11]
    ('FHIR_FORMAT_INVALID', 'expected a ')
    """

    code = "FHIR_FORMAT_INVALID"

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple((str(x), str(m)) for x, m in problems)
        text = "; ".join(f"{x}: {m}" if x else m for x, m in self.problems)
        super().__init__(text or "not a FHIR Claim", problems=self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FhirFormatError, (self.problems,))
