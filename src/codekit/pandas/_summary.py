"""Summaries of a findings table: by rule, severity, payer and month; and their plot."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._dates import coerce_date
from ..errors import ExtraNotInstalled, InvalidArgument
from ..findings import COVERAGE_NOTICES
from ._claims import NOTICE
from ._columns import local_time

__all__ = ["Summary", "summarize"]

_SEVERITIES = ["error", "warning", "info"]


@attrs.frozen(eq=False)
class Summary:
    """What a batch of claims came to (:func:`codekit.pandas.summarize`).

    Each table is a DataFrame with one column per severity (``error``, ``warning``,
    ``info``) and a ``total``: :attr:`by_rule`, :attr:`by_payer`, :attr:`by_month` (the
    month of the claim's date of service). :attr:`totals` counts claims and findings, and
    the claims judged with notices, outside the data (``claims_outside_data``: a coverage
    notice, :data:`codekit.findings.COVERAGE_NOTICES`) and with edits not run:
    :attr:`notices` (notice code -> claims) and :attr:`not_run` (rule -> claims it could
    not run on) say which.
    Shown as a compact table in a notebook; :meth:`plot` draws findings by month.
    """

    totals: dict[str, int]
    by_rule: pd.DataFrame
    by_severity: pd.Series
    by_payer: pd.DataFrame
    by_month: pd.DataFrame
    #: rule x month (number of findings), for :meth:`plot`.
    rule_month: pd.DataFrame
    #: notice code (``ICD10CM_DATE_NOT_COVERED``, ``PAYER_UNROUTED``...) -> claims with it.
    notices: pd.Series = attrs.field(factory=lambda: _per_claim(pd.DataFrame(), "notice"))
    #: rule -> claims it could not run on (``check_claims``' ``attrs``; empty without them).
    not_run: pd.Series = attrs.field(factory=lambda: _per_claim(pd.DataFrame(), "rule"))

    def _repr_html_(self) -> str:
        from .. import _html

        def rows(frame: pd.DataFrame) -> list[list[object]]:
            return [[str(i), *(int(v) for v in r)] for i, r in
                    zip(frame.index, frame.to_numpy(), strict=True)]

        cols = [*self.by_rule.columns]
        return _html.summary("codekit batch summary", list(self.totals.items()), [
            ("findings by rule", ["rule", *cols], rows(self.by_rule)),
            ("findings by payer", ["payer", *cols], rows(self.by_payer)),
            ("findings by month", ["month", *cols], rows(self.by_month)),
            ("notices (how claims were judged)", ["notice", "claims"],
             [[str(k), int(v)] for k, v in self.notices.items()]),
            ("edits not run", ["rule", "claims"],
             [[str(k), int(v)] for k, v in self.not_run.items()]),
        ])

    def __repr__(self) -> str:
        t = self.totals
        more = "".join(f"; {t[key]:,} {what}" for key, what in (
            ("claims_with_notices", "with notices"),
            ("claims_outside_data", "judged outside the data"),
            ("claims_with_rules_not_run", "with edits not run"))
            if t.get(key))
        return (f"<Summary: {t.get('findings', 0):,} findings on "
                f"{t.get('claims_with_findings', 0):,} of {t.get('claims', 0):,} claims"
                f"{more}>")

    def plot(self, by: str = "severity", *, top: int = 8, ax: Any = None) -> Any:
        """Findings by month, stacked by ``severity`` or by ``rule`` (the ``top`` rules,
        the rest as "other"); returns the matplotlib Axes (needs matplotlib)."""
        if by not in ("severity", "rule"):
            raise InvalidArgument(f"by={by!r}: expected 'severity' or 'rule'")
        try:
            import matplotlib

            if ax is None:
                import matplotlib.pyplot as plt

                _, ax = plt.subplots(figsize=(8, 3.5))
        except ImportError:  # matplotlib is in the pandas extra; pandas alone lacks it
            raise ExtraNotInstalled("Summary.plot draws with matplotlib, which is not "
                                    "installed: pip install 'codekit[pandas]'",
                                    extra="pandas", package="matplotlib") from None
        del matplotlib
        if by == "severity":
            data = self.by_month[[c for c in _SEVERITIES if c in self.by_month.columns]]
            colors = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
            color = [colors[c] for c in data.columns]
        else:
            data = self.rule_month.T
            if data.shape[1] > top:
                keep = data.sum().sort_values(ascending=False).index[:top]
                other = data.drop(columns=keep).sum(axis=1)
                data = data[keep].assign(other=other)
            color = None
        if data.empty:
            ax.set_title("no findings")
            return ax
        data.index = [str(i) for i in data.index]
        data.plot.bar(stacked=True, ax=ax, color=color, width=0.85)
        ax.set_xlabel("month of service")
        ax.set_ylabel("findings")
        ax.set_title(f"Findings by month and {by}")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return ax


def _months(days: pd.Series) -> pd.Series:
    """The month (``2025-11``) of each date of service, ``unknown`` where there is none:
    datetimes (in their own time zone), Periods, dates and ISO text, mixed as they come
    (text of dates and date-times together, time zones that differ)."""
    if isinstance(days.dtype, pd.PeriodDtype):
        days = days.dt.start_time
    days = local_time(days)  # each date in its own time zone
    if pd.api.types.is_datetime64_any_dtype(days.dtype) and \
            not isinstance(days.dtype, pd.ArrowDtype):
        return days.dt.to_period("M").astype(str).where(days.notna(), "unknown")
    try:
        idx, uniq = pd.factorize(days.astype(object), use_na_sentinel=True)
    except TypeError:  # an unhashable cell: no date
        return pd.Series("unknown", index=days.index, dtype=object)
    months = np.empty(len(uniq) + 1, dtype=object)
    months[:] = [*(_month(v) for v in uniq), "unknown"]
    return pd.Series(months[np.asarray(idx, dtype=np.int64)], index=days.index)


def _month(value: object) -> str:
    if isinstance(value, pd.Period):
        value = value.start_time
    try:
        day = coerce_date(value, "date_of_service")
    except Exception:  # not a date (or a hostile object's own exception)
        return "unknown"
    return f"{day.year:04d}-{day.month:02d}"


def _counts(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    if frame.empty:
        out = pd.DataFrame(columns=[*_SEVERITIES, "total"], dtype="int64")
        out.index.name = key
        return out
    table = pd.crosstab(frame[key], frame["severity"])
    for s in _SEVERITIES:
        if s not in table.columns:
            table[s] = 0
    table = table[_SEVERITIES]
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.astype("int64")


def _claims(ids: pd.Series) -> int:
    """The number of claims of these rows' claim ids: a row without one is a claim of its
    own (``check_claims`` reports each row without a claim id on its own)."""
    return int(ids.nunique()) + int(ids.isna().sum())


def _per_claim(frame: pd.DataFrame, name: str) -> pd.Series:
    """Rule or notice code -> the number of claims with it, most first."""
    if frame.empty:
        return pd.Series([], dtype="int64", name="claims", index=pd.Index([], name=name))
    out = frame.groupby("rule", sort=True)["claim_id"].nunique(dropna=False)
    out = out.sort_values(ascending=False, kind="stable").astype("int64")
    out.index.name, out.name = name, "claims"
    return out


def summarize(findings: pd.DataFrame) -> Summary:
    """See :func:`codekit.pandas.summarize`."""
    if not isinstance(findings, pd.DataFrame):
        raise InvalidArgument(f"findings: expected the DataFrame of check_claims, got "
                              f"{type(findings).__name__}")
    needed = {"claim_id", "rule", "severity"}
    if not needed <= set(findings.columns):
        raise InvalidArgument("findings: expected the DataFrame of check_claims (columns "
                              f"{', '.join(sorted(needed))}...)")
    kind = findings["kind"] if "kind" in findings.columns else \
        pd.Series(None, index=findings.index, dtype=object)
    is_notice = (kind == NOTICE).to_numpy(dtype=bool)
    notices = findings[is_notice]
    frame = findings[~is_notice].copy()  # the findings (a table without kind: every row)
    if "payer" not in frame.columns:
        frame["payer"] = "unknown"
    frame["payer"] = frame["payer"].fillna("unknown")
    if "date_of_service" in frame.columns:
        frame["month"] = _months(frame["date_of_service"])
    else:
        frame["month"] = "unknown"
    by_rule = _counts(frame, "rule").sort_values("total", ascending=False)
    counts = dict(findings.attrs.get("codekit", {}))
    skipped = dict(counts.get("not_run") or {})  # rule -> claims it could not run on
    not_run = pd.Series({str(k): int(v) for k, v in skipped.items()}, dtype="int64",
                        name="claims").sort_values(ascending=False, kind="stable")
    not_run.index.name = "rule"
    totals = {"claims": int(counts.get("claims", _claims(findings["claim_id"]))),
              "claims_with_findings": _claims(frame["claim_id"]),
              "claims_with_errors": _claims(frame.loc[frame["severity"] == "error",
                                                      "claim_id"]),
              "findings": len(frame)}
    for s in _SEVERITIES:
        totals[f"{s}s"] = int((frame["severity"] == s).sum())
    totals["notices"] = len(notices)
    totals["claims_with_notices"] = _claims(notices["claim_id"])
    totals["claims_outside_data"] = _claims(
        notices.loc[notices["rule"].isin(COVERAGE_NOTICES), "claim_id"])
    if "claims_with_rules_not_run" in counts:
        totals["claims_with_rules_not_run"] = int(counts["claims_with_rules_not_run"])
    rule_month = pd.crosstab(frame["rule"], frame["month"]) if not frame.empty else \
        pd.DataFrame()
    return Summary(
        totals=totals, by_rule=by_rule,
        by_severity=frame["severity"].value_counts().reindex(_SEVERITIES, fill_value=0),
        by_payer=_counts(frame, "payer").sort_values("total", ascending=False),
        by_month=_counts(frame, "month").sort_index(), rule_month=rule_month,
        notices=_per_claim(notices, "notice"), not_run=not_run)
