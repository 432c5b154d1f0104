"""X12 837P and 837I claims in, every finding pinned to its loop, segment and element.

``pip install codekit[x12]`` (it brings pyx12, the HIPAA X12 validator whose 837 maps
know every loop). Read the claims of an interchange -- a path, bytes, a binary or text
stream, X12 text in a ``str``, one or many ISA/GS/ST envelopes, any delimiters -- as
codekit claims::

    from codekit import x12

    for record in x12.read_claims("claims.837"):
        record.claim            # codekit.Claim (None when it could not be read)
        record.error            # why not (an X12Error), else None
        record.envelope         # ISA13 / GS06 / ST02, sender, receiver, version
        record.locate(("diagnoses", 1))   # Location: HI02-2, its line and byte

or check them at every WEDI SNIP level in one pass (pyx12's syntax and guide checks,
balancing, situational rules, then codekit's code-set, clinical and payer edits)::

    run = x12.check("claims.837")
    for result in run:
        print(result)           # the claim, its findings with SNIP level and location
        rows = result.rows()    # one flat row per finding
    print(run.summary)          # claims, accepted, rejected, judged outside the data...

Claims are read as a stream: memory stays flat however many claims the file holds.
:func:`write_837` writes claims back as an 837 (what the round-trip tests use; handy for
test files). See ``docs/x12.md``.

>>> text = write_837([_example()])
>>> [r.claim.diagnoses for r in read_claims(text.encode())]
[('E119', 'I10')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..batch import report_of
from ..errors import X12NotReadable
from ._model import Envelope, Location, Result, Summary, X12Claim, X12Finding
from ._snip import X12_RULES, snip_level
from ._source import looks_like_x12
from ._writer import write_837

if TYPE_CHECKING:
    from ..checker import Checker
    from ..claims import Claim

__all__ = ["X12_RULES", "Checked", "Envelope", "Location", "Result", "Summary", "X12Claim",
           "X12Finding", "check", "is_x12", "looks_like_x12", "read_claims", "snip_level",
           "write_837"]


def is_x12(path: Any) -> bool:
    """Whether the file at ``path`` starts like an X12 interchange (``ISA`` and a
    separator, after whitespace or a byte-order mark); False when it cannot be read.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".837", delete=False) as f:
    ...     _ = f.write(write_837([_example()]).encode())
    >>> is_x12(f.name)
    True
    >>> os.remove(f.name)
    """
    try:
        with open(path, "rb") as f:
            return looks_like_x12(f.read(256))
    except (OSError, TypeError, ValueError):
        return False


def read_claims(source: object) -> Iterator[X12Claim]:
    """Every claim (2300 loop) of an 837P/837I interchange, in file order, as an
    :class:`X12Claim`; plus ``kind="envelope"`` records for what is wrong outside any
    claim. ``source`` is a path, bytes, a binary or text stream, or X12 text (a ``str``
    that starts with an ISA header and names no file).

    A file that is not X12 at all raises :class:`~codekit.errors.X12NotReadable` (naming
    the line and byte) when iteration starts; a transaction codekit does not read (4010,
    837 dental) gives one record per claim with an :class:`~codekit.errors.X12Unsupported`
    error, and the claims of the other transactions are read.
    """
    from ._engine import Engine
    from ._mapper import Mapper
    from ._source import Source

    src = Source.open(source)
    try:
        engine = Engine(src)
        mapper = Mapper(src.name, src.delimiters, src.isa_problems, src.encoding)
        try:
            for event in engine.events():
                yield from mapper.feed(event)
        except X12NotReadable as e:
            # what was read before the unreadable part is reported, then the error; a
            # claim it cut is said to be cut
            mapper.cut(e)
            yield from mapper.finish([])
            raise
        yield from mapper.finish(engine.final)
    finally:
        src.close()


class Checked(Iterator[Result]):
    """The results of :func:`check`, one per claim (and per envelope record), as they are
    read; :attr:`summary` counts them so far (all of them once iteration is done)."""

    def __init__(self, records: Iterator[X12Claim], checker: Checker) -> None:
        self._records = records
        self.checker = checker
        self._groups = {r.id: r.group for r in checker.rules}
        self._claims = self._accepted = self._unreadable = self._envelopes = 0
        self._outside = 0
        self._by_rule: dict[str, int] = {}
        self._by_snip: dict[int, int] = {}

    def __iter__(self) -> Checked:
        return self

    def __next__(self) -> Result:
        record = next(self._records)
        result = self.result(record)
        self._count(result)
        return result

    def result(self, record: X12Claim) -> Result:
        """Check one record read by :func:`read_claims`; a claim whose check fails on a
        bug in codekit is rejected with one ``CLAIM_CHECK_FAILED`` error, and the
        interchange's other claims are checked."""
        report = None if record.claim is None else report_of(self.checker, record.claim)
        return record.result(report, self._groups)

    def _count(self, result: Result) -> None:
        if result.kind == "claim":
            self._claims += 1
            if result.ok:
                self._accepted += 1
            if result.report is not None and result.report.outside_data:
                self._outside += 1
            if result.error is not None:
                self._unreadable += 1
                self._by_rule[result.error.code] = self._by_rule.get(result.error.code, 0) + 1
        else:
            self._envelopes += 1
        for f in result.findings:
            self._by_rule[f.rule] = self._by_rule.get(f.rule, 0) + 1
            self._by_snip[f.snip] = self._by_snip.get(f.snip, 0) + 1

    @property
    def summary(self) -> Summary:
        """Claims, accepted (no error at any level), rejected, not readable, envelope
        records, findings by rule and by SNIP level, claims judged outside the data -- of
        the results yielded so far."""
        return Summary(self._claims, self._accepted, self._claims - self._accepted,
                       self._unreadable, self._envelopes, dict(self._by_rule),
                       dict(self._by_snip), self._outside)


def check(source: object, checker: Checker | None = None) -> Checked:
    """Check every claim of an 837 at SNIP levels 1-7 in one pass: pyx12's syntax and
    guide checks (1-2), balancing (3), situational rules (4), then ``checker`` (a
    :class:`~codekit.checker.Checker`, the default one when None: code sets, clinical
    and payer edits, 5-7). Iterate the returned :class:`Checked` for one :class:`Result`
    per claim; its ``summary`` counts them.

    >>> run = check(write_837([_example()]).encode())
    >>> [(r.claim_id, r.ok) for r in run]
    [('PCN-1', True)]
    >>> run.summary.claims, run.summary.accepted
    (1, 1)
    """
    if checker is None:
        from ..checker import Checker

        checker = Checker()
    return Checked(read_claims(source), checker)


def _example() -> Claim:
    from ..claims import Claim, Patient, ServiceLine

    return Claim(claim_type="professional", payer="acme health", claim_id="PCN-1",
                 patient=Patient("F", dt.date(1960, 1, 2), id="MBR1", name="DOE, JANE"),
                 date_of_service=dt.date(2025, 11, 3), diagnoses=("E11.9", "I10"),
                 service_lines=(ServiceLine(1, "99213", units=Decimal(1),
                                            diagnosis_pointers=(1, 2),
                                            date_of_service=dt.date(2025, 11, 3),
                                            charge=Decimal(125)),),
                 billing_provider="1234567893", place_of_service="11",
                 total_charge=Decimal(125), frequency_code="1", filing_indicator="CI")

