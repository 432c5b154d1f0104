"""The progress line of long runs: ``codekit check`` over a large input, and
:func:`codekit.pandas.check_claims` with ``progress=``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

__all__ = ["Progress"]

#: How often the line is written again (or the caller's function called), in seconds.
EVERY = 0.5
#: The width of the bar drawn when the number of claims is known.
BAR = 20


class Progress:
    """A progress line on standard error, written again at most twice a second:
    ``checked 12,000 claims (4,100/s)``; with the number of claims known, a bar before it
    (``[#####               ] checked 250,000 of 1,000,000 claims (4,100/s)``). Given a
    function (``report``), it is called instead with the claims done and the total, at
    most twice a second and once at the end (:meth:`done`), and nothing is written.

    >>> seen = []
    >>> p = Progress(True, total=3, report=lambda n, total: seen.append((n, total)))
    >>> p.done(3)
    >>> seen
    [(3, 3)]
    >>> Progress(True, total=4).line(1, 0.5)
    '[#####               ] checked 1 of 4 claims (2/s)'
    """

    def __init__(self, enabled: bool, total: int | None = None,
                 report: Callable[[int, int | None], object] | None = None) -> None:
        self.enabled = enabled or report is not None
        self.total = total
        self.report = report
        self.start = self.last = time.monotonic()
        self.width = 0

    def update(self, n: int) -> None:
        """``n`` claims done."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= EVERY:
            self.last = now
            if self.report is not None:
                self.report(n, self.total)
                return
            text = self.line(n, now - self.start)
            self.width = max(self.width, len(text))
            sys.stderr.write("\r" + text)
            sys.stderr.flush()

    def line(self, n: int, seconds: float) -> str:
        """The line after ``n`` claims in ``seconds``."""
        rate = n / max(seconds, 1e-9)
        if self.total is None:
            return f"checked {n:,} claims ({rate:,.0f}/s)"
        bar = "#" * round(BAR * (n / self.total if self.total else 1.0))
        return f"[{bar:<{BAR}}] checked {n:,} of {self.total:,} claims ({rate:,.0f}/s)"

    def done(self, n: int | None = None) -> None:
        """The run is over (``n`` claims done): the line is cleared; the caller's function
        is called a last time with ``n``."""
        if self.report is not None:
            if n is not None:
                self.report(n, self.total)
            return
        if self.enabled and self.last != self.start:
            sys.stderr.write("\r" + " " * max(self.width, 60) + "\r")
