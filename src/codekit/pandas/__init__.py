"""codekit for pandas: whole columns validated at once, claims from a table, summaries.

Install with ``pip install 'codekit[pandas]'`` (pandas 2.2 or later, pyarrow-backed strings
welcome). Importing this module registers the ``.codekit`` accessor on Series and
DataFrames.

>>> import pandas as pd
>>> import codekit.pandas as ckpd
>>> df = pd.DataFrame({"dx": ["E11.9", "I10.", "E11", "G35", None],
...                    "dos": ["2025-06-01"] * 3 + ["2025-10-01", "2025-06-01"]})
>>> out = ckpd.validate(df["dx"], on=df["dos"])
>>> out[["code", "valid", "rule"]]
    code  valid                 rule
0  E11.9   True                 None
1    I10   True                 None
2    E11  False      DX_NOT_BILLABLE
3    G35  False  DX_NOT_VALID_ON_DOS
4   None  False         CODE_MISSING
>>> out.loc[1, "note"]
"read as I10: the trailing '.' was dropped"
>>> df.codekit.validate("dx", on="dos")["valid"].tolist()
[True, True, False, False, False]

See ``docs/pandas.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ExtraNotInstalled

try:
    import numpy  # noqa: F401 -- pandas' own, named when it is the one missing
    import pandas as _pd
except ImportError as _e:  # pragma: no cover -- the extra is installed in the test env
    _missing = (_e.name or "pandas").split(".")[0]
    raise ExtraNotInstalled(
        f"codekit.pandas needs pandas 2.2 or later ({_missing} is missing): "
        "pip install 'codekit[pandas]'", extra="pandas", package=_missing) from None

from . import _accessors, _claims, _columns, _export, _summary
from ._claims import FINDING_COLUMNS, SEVERITY, claims_of
from ._columns import COLUMNS
from ._summary import Summary

__all__ = ["COLUMNS", "FINDING_COLUMNS", "SEVERITY", "Summary", "check_claims", "claims_of",
           "summarize", "to_excel", "validate"]

del _accessors  # imported for its side effect: the .codekit accessors


def validate(codes: object, on: object = None, *, system: str = "icd10cm",
             suggest: bool = True) -> _pd.DataFrame:
    """Validate a column of codes against a column of dates of service (or one date).

    ``codes`` is a Series (its index is kept), a list or an array; ``on`` a Series or
    array of dates aligned with it (datetime64, dates, ISO text...), one date for every
    row, or None (today). A Series of dates goes with a Series of codes by index label,
    as pandas pairs two Series (by position when the indexes are the same); a code whose
    label it lacks raises :class:`~codekit.errors.InvalidArgument`. A list or array of
    dates goes by position. ``system`` is any code system of :mod:`codekit.codesystem`
    (``icd10cm``, ``icd10pcs``, ``cpt``, ``hcpcs``, ``modifiers``, ``procedure``...).

    Returns a DataFrame aligned with the input, one row per code, with the columns of
    :data:`COLUMNS`:

    - ``code``: the code read, as printed (``E11.9``; several joined by ``", "``);
    - ``valid``: the code may be reported on the date (every code, for a cell holding
      several); ``billable``: the same, ICD-10-CM's word for it (a header or a code deleted
      by the date is neither);
    - ``rule``, ``message``, ``fix``: why not (the code system's error code, e.g.
      ``DX_NOT_BILLABLE``, or ``CODE_MISSING``, ``DATE_INVALID``,
      ``DX_MODIFIER_ATTACHED``, ``PROC_MODIFIER_ATTACHED``), in words, and the codes to use
      instead (a tuple, best first);
    - ``title``, ``release``: the code's title and the release that answers for the date;
    - ``note``: what was forgiven to read the cell (``I10.``, ``E119,I10``), or why the
      answer needs care (no release of the date's fiscal year is bundled...).

    Every distinct (code, date) question is answered once (for ICD-10-CM, once per class
    of dates that answer alike), so a column of a million rows with realistic repetition
    takes well under a second. Nothing raises in the middle of a column: a missing value,
    a number, a 10 MB string, a bad date are each a row with a reason; the input is not
    changed. Codes stored as numbers (int, float, nullable ``Int64``, ``float32``, NumPy
    numbers in an object column) are read alike: ``99213`` as CPT 99213. With
    ``suggest=False`` unknown codes get no did-you-mean ``fix`` (it is the costly part: a
    few milliseconds a distinct unknown code).

    >>> validate(["M17.11RT", "E119,I10"], on="2025-06-01")[["valid", "rule", "fix"]]
       valid                  rule        fix
    0  False  DX_MODIFIER_ATTACHED  (M17.11,)
    1   True                  None         ()
    """
    return _columns.validate(codes, on, system=system, suggest=suggest)


def check_claims(lines: _pd.DataFrame, *, checker: Any = None,
                 columns: Mapping[str, str] | None = None, processes: int = 1,
                 diagnoses: _pd.DataFrame | None = None,
                 procedures: _pd.DataFrame | None = None,
                 progress: Any = False) -> _pd.DataFrame:
    """Check the claims of a long-format table (one row per service line, the claim's
    fields repeated on each of its lines, as claims sit in a warehouse) and return the
    findings: one row per finding (:data:`FINDING_COLUMNS`: claim and line ids kept, rule,
    severity, kind, path, codes, message, fix, catalog entry, the claim's payer, profile
    and date of service, ``policy``: the payer policy's rule ID, None for a built-in
    edit, and ``row``: the index label in ``lines`` of the row of the line a finding is
    at, to join back, None for one about the claim), and one row per notice of a claim's
    report (``kind``
    ``"notice"``: data that does not cover the date, a payer in no routing...; its code
    in ``rule``, no severity). ``attrs["codekit"]`` counts the claims, those with
    findings, errors, notices, judged outside the data (``claims_outside_data``: a
    coverage notice, :attr:`codekit.Report.outside_data`) and edits not run, and the
    edits not run (rule -> claims).

    Columns read (rename yours with ``columns={"procedure_code": "cpt", ...}``):
    ``claim_id`` (required), ``claim_type`` (default professional), ``payer``,
    ``date_of_service``, ``patient_id``, ``patient_name``, ``sex``, ``birth_date`` or
    ``age``, ``billing_provider``, ``rendering_provider``, the
    diagnoses as ``dx1``, ``dx2``... (or one ``diagnoses`` column, comma-separated),
    ``bill_type``, ``place_of_service``, ``total_charge``, ``frequency_code``,
    ``corrected_claim_id``, ``dme_supplier`` (true for a DMEPOS supplier's
    claim), ``asc_facility`` (true for an ambulatory surgical center's facility claim)...;
    per line ``procedure_code``, ``line_id``,
    ``units``, ``modifier1``... (or ``modifiers``), ``pointer1``... (or
    ``diagnosis_pointers``), ``line_date``, ``charge``, ``revenue_code``, ``ndc`` (a row
    with a revenue code and no procedure code is a revenue-code-only line). Institutional
    claims: ``statement_from`` and ``statement_through``, ``admission_date``,
    ``discharge_status``, ``opps``,
    ``poa1``... beside ``dx1``... (or ``poa`` beside ``diagnoses``),
    ``condition_codes``/``condition_code1``..., ``visit_reasons``/``visit_reason1``...,
    ICD-10-PCS ``procedures`` or ``pcs1``... with ``pcs_date1``..., occurrence codes
    ``occurrence_code1``... with ``occurrence_date1``..., occurrence spans
    ``occurrence_span_code1``... with ``occurrence_span_from1``... and
    ``occurrence_span_through1``..., value codes ``value_code1``... with
    ``value_amount1``...; or the diagnoses and
    procedures as tables of their own, one row per code (``diagnoses=``: ``claim_id``,
    ``code``, ``sequence``, ``poa``; ``procedures=``: ``claim_id``, ``code``,
    ``sequence``, ``date``), put with the claims by claim id. A named index level is read
    as the column of its name when no column has it (``lines.set_index("claim_id")``).
    A table with one of these
    fields under an export's usual name and not codekit's (``cpt``, ``diag1``, ``ptr1``,
    ``cpt_mod1``, ``dos``, ``gender``, ``dob``, ``qty``...) raises
    :class:`~codekit.errors.InvalidArgument` naming the ``columns=`` that reads it. A
    claim that cannot be read is a ``CLAIM_FORMAT_INVALID`` finding and the batch goes on
    (a row with line data and no code is such a line; a date written ``11/03/2025``, as
    ``20251103`` or as an Excel serial number is refused with the ``pd.to_datetime``
    call that reads the column): among
    them a claim whose rows give different values of a claim-level field (the finding
    names the column, the values and the rows; a blank cell is no disagreement), and
    each row without a claim id (a result of its own, never merged with other rows).
    ``checker`` is a :class:`codekit.Checker` (default: the bundled edits and policies);
    ``processes`` > 1 checks in worker processes. ``progress=True`` shows how far the
    check is on standard error (a terminal, a notebook): a bar and ``checked 250,000 of
    1,000,000 claims (4,100/s)``, written again at most twice a second and cleared at the
    end, as ``codekit check`` shows it; a function ``progress(done, total)`` is called
    instead, with the claims checked and the claims of the table, at most twice a second
    and once at the end (``(total, total)``). Each claim is read from the table as it is
    checked (its claim dict is not kept), so the progress covers the reading too.

    >>> lines = _pd.DataFrame({
    ...     "claim_id": ["C1", "C1", "C2"], "payer": "medicare", "sex": "F", "age": 70,
    ...     "date_of_service": "2025-11-03", "dx1": ["E11.9", "E11.9", "E11"],
    ...     "line_id": ["C1-1", "C1-2", "C2-1"], "procedure_code": ["99213", "G0439", "99213"],
    ...     "units": [1, 1, 1], "pointer1": 1})
    >>> found = check_claims(lines)
    >>> found[["claim_id", "line_id", "rule", "severity"]]
      claim_id line_id             rule severity
    0       C2    None  DX_NOT_BILLABLE    error
    """
    return _claims.check_claims(lines, checker=checker, columns=columns, processes=processes,
                                diagnoses=diagnoses, procedures=procedures,
                                progress=progress)


def summarize(findings: _pd.DataFrame) -> Summary:
    """Summarize a findings table of :func:`check_claims`: counts of claims and findings,
    findings by rule, payer and month of service (each split by severity), the claims
    judged with notices and with edits not run, shown as a compact table in a notebook;
    :meth:`Summary.plot` draws findings by month.

    >>> s = summarize(check_claims(_pd.DataFrame({
    ...     "claim_id": ["C1"], "payer": "medicare", "sex": "F", "age": 70,
    ...     "date_of_service": "2025-11-03", "dx1": ["E11"], "procedure_code": ["99213"],
    ...     "units": [1], "pointer1": 1})))
    >>> s.totals["claims"], s.totals["errors"], s.by_rule.index.tolist()
    (1, 1, ['DX_NOT_BILLABLE'])
    """
    return _summary.summarize(findings)


def to_excel(frame: _pd.DataFrame | _pd.Series, path: Any, *, index: bool = False,
             sheet: str = "codekit") -> None:
    """Write a findings table (or any DataFrame: a validated column, a summary's table) to
    an ``.xlsx`` workbook of one sheet, safe to open: every text is stored as text, never
    a formula, so a claim id, a code or a message that starts with ``=``, ``+``, ``-`` or
    ``@`` stays what it is (``DataFrame.to_excel`` with openpyxl stores ``=1+2`` as a
    formula, which Excel runs); such a cell also gets Excel's quote prefix, so it stays
    text when edited. Tuples (``codes``, ``fix``) are written as ``E11.9, E11.65``;
    missing values as empty cells; dates as ``YYYY-MM-DD``; a text longer than an Excel
    cell holds (32,767 characters) is cut, saying so at its end; characters a workbook
    cannot hold are dropped. ``path`` is a file name or a binary file object; with
    ``index=True`` the index is written first. Needs no Excel library.

    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> to_excel(_pd.DataFrame({"claim_id": ["=HYPERLINK(1)"], "fix": [("E11.9",)]}), buf)
    >>> sheet = zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml").decode()
    >>> "<f>" in sheet, "<t>E11.9</t>" in sheet
    (False, True)
    """
    _export.to_excel(frame, path, index=index, sheet=sheet)
