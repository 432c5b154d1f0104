"""The facts resolver (codekit.icd10cm.date_view / facts) answers exactly as validate does.

The resolver remembers a code's answer per *date view* (dates with the same validity
period, releases and MCE age bands) instead of per date; these tests prove that the class
is a sound key: on random real codes and dates, and on dates other than the one a class
was first built from, validity, titles, MCE flags and notes equal those of
``icd10cm.validate``/``lookup`` on that very date, and errors are validate's own.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from codekit import icd10cm
from codekit.errors import ValidationError
from codekit.icd10cm import clear_caches, date_view, default_store

FIRST, LAST = dt.date(2015, 9, 1), dt.date(2027, 9, 30)
EDGES = [dt.date(y, m, d) for y in range(2015, 2028) for m, d in ((9, 30), (10, 1),
                                                                   (3, 31), (4, 1))]


def _codes(rng: random.Random) -> list[str]:
    store = default_store()
    out: list[str] = []
    for rel in store.releases:
        codes = rel.codes
        out += [codes[rng.randrange(len(codes))] for _ in range(120)]  # billable and headers
    v = store.validity
    flagged = [c for c in v.mce_codes() if v.mce_rows(c) and v.mce_rows(c)[-1][2]]
    out += rng.sample(flagged, 200)  # age, sex, manifestation, unacceptable principal...
    out += ["G63", "F02.80", "N08", "H42", "M14.60", "Z51.89",  # manifestations, reqsdx
            "I10", "E11.9", "e1165", " Z51.89 ", "G35", "G35.A", "F32.A", "U07.1", "S52",
            "T78.40A", "T7840XA", "S52.521", "250.00", "I1O", "", "E11.", "C7B00", "M1711",
            "Z00.00", "Q99.9", "O09.511", "P07.01", "N40.0", "C61", "B20", "A0001"]
    return out


def _day(rng: random.Random) -> dt.date:
    if rng.random() < 0.3:
        return rng.choice(EDGES)
    return FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days))


def _check(raw: str, day: dt.date) -> None:
    dc = date_view(day)
    hit = dc.resolve(raw)
    try:
        entry = icd10cm.validate(raw, on=day)
    except ValidationError as e:
        err = e
    else:
        err = None
    if err is not None:
        assert hit is False, (raw, day)
        if raw.strip():
            mine = icd10cm.why_invalid(raw, on=day)
            assert (type(mine), mine.code, str(mine)) == (type(err), err.code, str(err))
            assert mine.__traceback__ is None  # a cached error keeps no frames alive
        return
    assert isinstance(hit, icd10cm.Facts), (raw, day)
    assert (hit.code, hit.dotted) == (entry.code, entry.dotted)
    assert hit.title == (entry.title or "")
    mce = entry.mce
    assert hit.sex == (mce.sex if mce else None)
    assert hit.age_band == (mce.age_band if mce else None)
    assert hit.age_range == (mce.age_range if mce else None)
    assert hit.unacceptable_principal == bool(mce and mce.unacceptable_principal)
    assert hit.mce_manifestation == bool(mce and mce.manifestation)
    assert hit.manifestation == (bool(mce and mce.manifestation) or
                                 "in diseases classified elsewhere" in hit.title.lower())
    assert hit.requires_secondary == bool(mce and "reqsdx" in mce.other)
    assert list(hit.excludes1) == [(r, n.text, n.origin) for n in entry.excludes1
                                   for r in n.refs]
    # the T36-T50 block's "Code first, for adverse effects, ..." applies to adverse
    # effects only (6th character 5): a poisoning is listed before its manifestations
    assert list(hit.code_first) == [(r, n.text, n.origin) for n in entry.code_first
                                    for r in n.refs
                                    if n.origin != "T36-T50" or hit.code[5:6] == "5"]
    last = icd10cm.lookup(entry.code, on=icd10cm.LAST_SEX_LISTS).mce
    assert hit.last_listed_sex == (last.sex if last else None)


def test_mce_rows_start_and_end_on_period_boundaries() -> None:
    """The date classes rely on it: within one validity period a code has one MCE row."""
    v = default_store().validity
    starts = set(v.periods)
    for code in v.mce_codes()[::7]:
        for start, end, _ in v.mce_rows(code):
            assert start in starts, (code, start)
            assert end is None or end + dt.timedelta(days=1) in starts or end == v.table_end


def test_resolver_agrees_with_validate_on_random_codes_and_dates() -> None:
    rng = random.Random(20261126)
    codes = _codes(rng)
    clear_caches()
    for _ in range(4000):
        _check(rng.choice(codes), _day(rng))


def test_a_class_answers_for_its_other_dates() -> None:
    """Resolve on one date, then ask on other dates of the same class: same answers."""
    rng = random.Random(7)
    codes = _codes(rng)
    clear_caches()
    checked = 0
    for _ in range(300):
        a = _day(rng)
        raws = rng.sample(codes, 8)
        for raw in raws:
            date_view(a).resolve(raw)
        for step in (1, 17, 45, 90):
            b = a + dt.timedelta(days=step)
            if date_view(b) is date_view(a):
                for raw in raws:
                    _check(raw, b)
                    checked += 1
    assert checked > 1000


@pytest.mark.parametrize(("day", "other", "same"), [
    (dt.date(2025, 10, 1), dt.date(2025, 12, 31), True),   # one period, one release
    (dt.date(2025, 9, 30), dt.date(2025, 10, 1), False),   # FY2025 -> FY2026
    (dt.date(2024, 3, 31), dt.date(2024, 4, 1), False),    # the April update
    (dt.date(2014, 1, 1), dt.date(2015, 9, 30), True),     # before ICD-10-CM: all invalid
])
def test_date_classes(day: dt.date, other: dt.date, same: bool) -> None:
    assert (date_view(day) is date_view(other)) is same


def test_clear_caches_forgets_classes() -> None:
    dc = date_view(dt.date(2025, 11, 3))
    dc.resolve("I10")
    clear_caches()
    assert date_view(dt.date(2025, 11, 3)) is not dc


def test_titled_rows_are_exactly_those_a_title_scan_finds() -> None:
    """The packed-bytes search behind the manifestation shortcut misses no title."""
    words = "in diseases classified elsewhere"
    for rel in default_store().releases:
        titles = [rel.long_title(i) for i in range(len(rel.codes))]
        assert rel.rows_titled(words) == [i for i, t in enumerate(titles) if words in t.lower()]
        assert len(rel.rows_titled(words)) > 150


def test_a_valid_code_is_in_the_release_of_its_date() -> None:
    """DateView.titled() relies on it: on dates a bundled release covers, every code
    the validity table says is billable has a row in that release."""
    store = default_store()
    v = store.validity
    for rel in store.releases:
        p = v.period(rel.effective)
        valid = [c for c, m in v.masks.items() if m >> p & 1]
        assert all(rel.row(c) is not None for c in valid), rel.id


def test_indexed_note_lookup_equals_a_scan_of_the_references() -> None:
    """excludes1_note / code_first_note use an index by first code; they must find the
    note a plain scan of the references (in note order) finds."""
    rng = random.Random(3)
    store = default_store()
    rel = store.release("FY2026")
    dc = date_view(dt.date(2025, 11, 3))
    billable = [c for i, c in enumerate(rel.codes) if rel.is_billable_row(i)]
    checked = found = 0
    for x in rng.sample(billable, 400):
        facts = dc.resolve(x)
        assert isinstance(facts, icd10cm.Facts)
        for refs, lookup in ((facts.excludes1, facts.excludes1_note),
                             (facts.code_first, facts.code_first_note)):
            named = [r.start for r, _, _ in refs]  # codes the notes name, and others
            for y in [*rng.sample(billable, 10), *named,
                      *(n + "9" for n in named if len(n) < 7)]:
                scan = next(((t, o) for r, t, o in refs if r.matches(y)), None)
                assert lookup(y) == scan, (x, y)
                checked += 1
                found += scan is not None
    assert checked > 5000 and found > 1000


@pytest.mark.parametrize("day", ["2025-11-03", "2026-11-02"])  # FY2026, FY2027
@pytest.mark.parametrize(("code", "side"), [
    # "left"/"right" naming a part of the heart, its vessels or the colon: no body side a
    # procedure's RT, LT or 50 could contradict (Facts.side's docstring)
    ("I44.4", None), ("I44.5", None), ("I44.7", None), ("I45.0", None), ("I45.10", None),
    ("I50.1", None), ("I50.814", None), ("I27.22", None), ("I21.01", None),
    ("I21.02", None), ("I21.11", None), ("I21.21", None), ("Q23.4", None),
    ("Q20.1", None), ("Q25.47", None), ("Q26.1", None), ("K51.50", None),
    ("S36.530A", None),
    # sides of the body: paired organs and vessels, limbs, the brain's halves, regions of
    # the body wall (an abdominal quadrant, a flank)
    ("R10.11", "right"), ("R10.32", "left"), ("R19.01", "right"), ("C34.01", "right"),
    ("C34.12", "left"), ("I63.321", "right"), ("I65.22", "left"), ("S06.321A", "left"),
    ("H47.612", "left"), ("M17.12", "left"), ("O00.101", "right"), ("C50.412", "left"),
    # "bilateral" beside an unspecified type or stage is the side (spec F5: "bilateral"
    # from the title); "unspecified" alone is the unspecified side
    ("H65.93", "bilateral"), ("H10.33", "bilateral"), ("H35.3230", "bilateral"),
    ("I80.203", "bilateral"), ("S37.402D", "bilateral"), ("H65.90", None),
    ("H65.91", "right"), ("M17.9", None),
])
def test_a_side_is_the_bodys_not_a_structures(code: str, side: str | None, day: str) -> None:
    f = icd10cm.facts(code, on=day)
    assert f is not None and f.side == side, (code, f and f.title)
