"""Notebook display: every result renders compact, escaped HTML with no external assets."""

from __future__ import annotations

import re

import pytest

from codekit import Checker, Claim, cpt, hcpcs, icd10cm, icd10pcs, modifiers
from codekit.findings import Finding, Report, Severity

EVIL = '<script>alert("x")</script>'


def _clean(html: str) -> str:
    assert "<script" not in html.lower()
    assert not re.search(r"(src|href)\s*=", html, re.I), "no external assets"
    assert "http" not in html
    assert html.count("<table") == html.count("</table>")
    return html


def test_report_and_finding_escape_everything() -> None:
    f = Finding("DX_NOT_BILLABLE", Severity.ERROR, f"E11 is a header {EVIL}", ("diagnoses", 0),
                ("E11",), fix=("E11.9", "E11.65"))
    r = Report((f,), "commercial", claim_id=EVIL, line_ids=("L<1>",), line_numbers=(1,))
    html = _clean(r._repr_html_())
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "NOT OK" in html and "DX_NOT_BILLABLE" in html and "E11.65" in html
    assert _clean(f._repr_html_()).count("<tr>") == 2  # a header and the finding


def test_a_checked_claim() -> None:
    claim = Claim.from_dict({
        "claim_id": "PCN-9", "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "age": 70}, "date_of_service": "2025-11-03",
        "diagnoses": ["E11", "E10.9", "E11.9"],
        "service_lines": [{"line_id": "A1", "procedure_code": "99213", "units": 0,
                           "diagnosis_pointers": [1]}]})
    html = _clean(Checker().check(claim)._repr_html_())
    assert "PCN-9" in html and "line 1 (A1)" in html and "UNITS_INVALID" in html
    ok = Claim.from_dict({"claim_type": "professional", "patient": {"sex": "F", "age": 40},
                          "date_of_service": "2025-11-03", "diagnoses": ["E11.9"]})
    assert "no findings" in _clean(Checker().check(ok)._repr_html_())


def test_icd10cm_entry_shows_hierarchy_notes_and_dates() -> None:
    html = _clean(icd10cm.lookup("E11.65", on="2025-06-01")._repr_html_())
    for text in ("E11.65", "Type 2 diabetes mellitus with hyperglycemia", "valid on 2025-06-01",
                 "E08-E13", "hierarchy", "<code>E11.6</code>", "excludes1",
                 "2015-10-01 to now", "FY2025-04"):
        assert text in html, text
    header = _clean(icd10cm.lookup("E11", on="2025-06-01")._repr_html_())
    assert "not valid on 2025-06-01" in header and "children" in header
    fracture = _clean(icd10cm.lookup("S72.001A", on="2025-06-01")._repr_html_())
    assert "7th characters" in fracture


@pytest.mark.parametrize("entry", [
    lambda: icd10pcs.validate("0DTJ4ZZ", on="2025-02-01"),
    lambda: cpt.validate("99213", on="2025-02-01"),
    lambda: hcpcs.validate("J3490", on="2025-02-01"),
    lambda: modifiers.validate("RT", on="2025-02-01"),
])
def test_procedure_entries(entry: object) -> None:
    e = entry()  # type: ignore[operator]
    html = _clean(e._repr_html_())
    assert e.code in html and "valid on 2025-02-01" in html


def test_search_results() -> None:
    hits = icd10cm.search("heart attack", on="2025-06-01", limit=3)
    html = _clean(hits._repr_html_())
    assert "3 result(s) for <b>heart attack</b>" in html and "I21.9" in html
    assert "no good match" not in html
    weak = icd10cm.search("quantum chromodynamics", on="2025-06-01", limit=3)
    assert "no good match" in _clean(weak._repr_html_())
    assert "I21.9" in _clean(hits[0]._repr_html_())
    # what answered, and a date the data does not cover, are shown (they were not)
    assert "(FY2025-04)" in html and "date not covered" not in html
    late = _clean(icd10cm.search("heart attack", on="2030-01-01", limit=1)._repr_html_())
    assert "date not covered" in late and "2030-01-01 is after" in late
