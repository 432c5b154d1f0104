"""Option values the commands share, read by argparse: a bad one is a usage error that
names the option (``codekit: error: argument --on: ...``, exit 3), said before any table
is read."""

from __future__ import annotations

import argparse
import datetime as dt

from .._dates import coerce_date
from .._text import MAX_LIMIT, limit_arg
from ..errors import InvalidArgument

__all__ = ["date_option", "limit_option"]


def date_option(text: str) -> dt.date:
    """A date of service: ``YYYY-MM-DD`` (or the other ISO forms
    :func:`codekit._dates.coerce_date` reads).

    >>> date_option("2025-06-01")
    datetime.date(2025, 6, 1)
    >>> date_option("2025-13-01")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a date, 'YYYY-MM-DD' or an ISO date-time, got '2025-13-01'
    """
    try:
        return coerce_date(text)
    except InvalidArgument as e:  # "on='2025-13-01': expected ...": the option is named
        raise argparse.ArgumentTypeError(
            f"{str(e).partition(': ')[2]}, got {text[:40]!r}") from None


def limit_option(text: str) -> int:
    """The most hits or suggestions: a whole number from 1 to 1,000.

    >>> limit_option("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number from 1 to 1,000, got '0'
    """
    try:
        return limit_arg(int(text))
    except (ValueError, InvalidArgument):
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_LIMIT:,}, got {text[:40]!r}") from None
