"""The codekit exception hierarchy.

Every error codekit raises derives from :class:`CodekitError`. Errors about a value the
caller passed (a code, a date, a claim field) also derive from :class:`ValueError`, so
generic ``except ValueError`` code keeps working.

Each validation error carries:

- ``value``: the input exactly as the caller passed it;
- ``code``: a stable identifier (the rules-catalog ID where one exists, such as
  ``DX_FORMAT_INVALID``), safe to branch on;
- a message that says what is wrong and what to do about it;
- extra fields specific to the error (suggestions, allowed 7th characters, valid ranges...).

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
from typing import Any

__all__ = [
    "CodekitError",
    "DataError",
    "InvalidArgument",
    "InvalidFormat",
    "InvalidModifier",
    "NotBillable",
    "NotValidOnDate",
    "PlaceholderMissing",
    "SeventhCharacterInvalid",
    "SeventhCharacterMissing",
    "UnknownCode",
    "ValidationError",
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


class DataError(CodekitError):
    """Bundled or user data is missing, corrupt, or names an unknown release."""

    code = "DATA_ERROR"


class InvalidArgument(CodekitError, ValueError):
    """An argument other than the code itself is wrong (a date, a limit, a release name)."""

    code = "INVALID_ARGUMENT"


class ValidationError(CodekitError, ValueError):
    """A code (or modifier) is not valid. Base class of the specific reasons below."""

    code = "INVALID"
    default_code: str = "INVALID"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None, **fields: Any
    ) -> None:
        self.value = value
        self.code = code or self.default_code
        text = f"{value!r}: {message}" if message else f"{value!r} is not valid"
        super().__init__(text, **fields)
        # Keep the constructor arguments (not the rendered text) for pickling.
        self._fields = {"value": value, "message": message, "code": self.code, **fields}
        self.reason = message


class InvalidFormat(ValidationError):
    """The text is not written like a code of this system (wrong length, letters, dots)."""

    default_code = "DX_FORMAT_INVALID"


class InvalidModifier(ValidationError):
    """A procedure modifier is unknown or not active on the date of service."""

    default_code = "MOD_INVALID"


class UnknownCode(ValidationError):
    """Well formed, but no release codekit knows contains the code.

    ``suggestions`` lists the nearest valid billable codes (computed on first access).
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
    ) -> None:
        super().__init__(
            value, message, code=code, system=system, on=on,
            suggestions=None if suggestions is None else tuple(suggestions),
        )
        self.system = system
        self.on = on
        self._suggestions = None if suggestions is None else tuple(suggestions)

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Nearest valid codes for the date, best first (may be empty)."""
        if self._suggestions is None:
            import importlib

            try:
                module = importlib.import_module(f"codekit.{self.system}")
                self._suggestions = tuple(module.suggest(str(self.value), on=self.on))
            except (CodekitError, ImportError, AttributeError):
                self._suggestions = ()
        return self._suggestions


class NotBillable(ValidationError):
    """The code exists but is a header (a category or subcategory with children).

    ``children`` lists the billable codes below it.
    """

    default_code = "DX_NOT_BILLABLE"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        children: Sequence[str] = (),
    ) -> None:
        super().__init__(value, message, code=code, children=tuple(children))
        self.children = tuple(children)


class _SeventhCharacterError(ValidationError):
    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        allowed: Mapping[str, str] | None = None,
    ) -> None:
        allowed = dict(allowed or {})
        super().__init__(value, message, code=code, allowed=allowed)
        #: The 7th characters that apply, with their meanings.
        self.allowed = allowed


class SeventhCharacterMissing(_SeventhCharacterError):
    """The code's category requires a 7th character and none was given."""

    default_code = "DX_SEVENTH_CHAR_MISSING"


class SeventhCharacterInvalid(_SeventhCharacterError):
    """A 7th character was given but it is not one the category defines."""

    default_code = "DX_SEVENTH_CHAR_INVALID"


class PlaceholderMissing(ValidationError):
    """A 7th character was added to a code shorter than 6 characters without placeholder X.

    ``suggestion`` is the code with the placeholders filled in (``T78.40XA``).
    """

    default_code = "DX_PLACEHOLDER_X_MISSING"

    def __init__(
        self, value: object, message: str = "", *, code: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(value, message, code=code, suggestion=suggestion)
        self.suggestion = suggestion


class NotValidOnDate(ValidationError):
    """The code is valid, but not on the date asked about.

    ``valid_ranges`` holds the ``(start, end)`` date ranges (``end`` inclusive, ``None`` for
    open) in which it is valid; ``replacements`` the codes to use on the date, if known.
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
    ) -> None:
        super().__init__(
            value, message, code=code, on=on, valid_ranges=tuple(valid_ranges),
            replacements=tuple(replacements),
        )
        self.on = on
        self.valid_ranges = tuple(valid_ranges)
        self.replacements = tuple(replacements)
