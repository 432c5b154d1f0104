"""Every fiscal year answered with its own official titles and headers (issue 10).

The official CMS order files of FY2016-FY2026, the FY2027 codes file and the rebuilt
FY2027 order file are read from ``../shared/data/reference`` (skipped when absent) and
compared with what codekit answers on a date of each year: all rows through the release
tables, and a sample of 2,500 codes a year through the public ``lookup``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import lzma
import random
from pathlib import Path

import pytest

from codekit import Checker, Claim, NotBillable, NotValidOnDate, SeventhCharacterMissing, icd10cm
from codekit.icd10cm import default_store

from .conftest import reference

D = dt.date.fromisoformat

#: A date inside each fiscal year, after its mid-year update (the order files are the
#: latest version of their year).
DAY = {2016: "2016-03-01", 2017: "2017-03-01", 2018: "2018-03-01", 2019: "2019-03-01",
       2020: "2020-05-01", 2021: "2021-06-01", 2022: "2022-06-01", 2023: "2023-06-01",
       2024: "2024-03-01", 2025: "2025-06-01", 2026: "2026-06-01", 2027: "2026-12-02"}
#: The release answering each of those dates.
RELEASE = {2016: "FY2016", 2017: "FY2017", 2018: "FY2018", 2019: "FY2019", 2020: "FY2020-04",
           2021: "FY2021-01", 2022: "FY2022-04", 2023: "FY2023-04", 2024: "FY2024",
           2025: "FY2025-04", 2026: "FY2026", 2027: "FY2027"}

Row = tuple[str, bool, str, str]


def _order(path: Path) -> list[Row]:
    raw = lzma.decompress(path.read_bytes()) if path.suffix == ".xz" else \
        gzip.decompress(path.read_bytes())
    return [(line[6:13].strip(), line[14] == "1", line[16:76].strip(), line[77:].strip())
            for line in raw.decode("latin-1").splitlines() if line.strip()]


def official(year: int) -> list[Row]:
    """The official order file of ``year`` (FY2027: long titles from the CMS codes file)."""
    if year < 2027:
        return _order(reference("cms_icd10_order_files", f"icd10cm_order_{year}.txt.xz"))
    rows = _order(reference("icd10cm_fy2027", "icd10cm_order_2027_reconstructed.txt.gz"))
    codes = gzip.decompress(reference("icd10cm_fy2027", "icd10cm_codes_2027.txt.gz")
                            .read_bytes()).decode("latin-1").splitlines()
    long = {line[:7].strip(): line[8:].strip() for line in codes}
    assert len(long) == 74_879
    assert {c for c, b, _, _ in rows if b} == set(long)
    return [(c, b, s, long[c] if b else t) for c, b, s, t in rows]


@pytest.mark.parametrize("year", sorted(DAY))
def test_every_title_and_header_is_the_official_files(year: int) -> None:
    rows = official(year)
    # the mid-year update codes (April 2020) are in the next year's file only
    rel = default_store().release(RELEASE[year])
    extra = {"U07", "U070", "U071"} if year == 2020 else set()
    assert set(rel.codes) - extra == {c for c, *_ in rows}
    bad = []
    for code, billable, short, long in rows:
        i = rel.row(code)
        assert i is not None
        if (rel.is_billable_row(i), rel.short_title(i), rel.long_title(i)) != \
                (billable, short, long):
            bad.append(code)
    assert bad == []


@pytest.mark.parametrize("year", sorted(DAY))
def test_a_sample_of_titles_through_lookup(year: int) -> None:
    rows = official(year)
    sample = random.Random(year).sample(rows, 2_500)
    day = DAY[year]
    for code, billable, short, long in sample:
        e = icd10cm.lookup(code, on=day)
        assert (e.title, e.short_title, e.billable, e.release) == \
            (long, short, billable, RELEASE[year]), code
        assert e.kind == ("category" if len(code) == 3 else "code" if billable
                          else "subcategory")
        assert e.covered and e.release_note is None


# -- titles that change meaning: each year answers with its own ---------------------------


def test_titles_of_the_date_not_of_a_neighbouring_year() -> None:
    for code, day in (("M92.51", "2019-11-15"), ("I71.51", "2023-01-01"),
                      ("M35.01", "2022-01-01")):
        year = int(day[:4]) + (day[5:7] >= "10")
        want = {c: t for c, _, _, t in official(year)}[code.replace(".", "")]
        assert icd10cm.lookup(code, on=day).title == want
    # M92.51 meant the tibia and fibula until FY2021 renamed the subcategory
    assert icd10cm.lookup("M92.51", on="2019-11-15").title == \
        "Juvenile osteochondrosis of tibia and fibula, right leg"
    assert icd10cm.lookup("M92.51", on="2021-11-15").title != \
        icd10cm.lookup("M92.51", on="2019-11-15").title


def test_fy2016_codes_all_have_titles() -> None:
    rel = default_store().release("FY2016")
    assert all(rel.long_title(i) and rel.short_title(i) for i in range(len(rel.codes)))
    # e.g. codes deleted on 2016-10-01 that no later release has
    e = icd10cm.validate("S06.377D", on="2016-06-01")
    assert e.title and e.release == "FY2016"


# -- mid-year updates take effect on their dates -------------------------------------------


@pytest.mark.parametrize(("update", "added", "headers"), [
    ("2020-04-01", ["U07.0", "U07.1"], []),
    ("2021-01-01", ["J12.82", "M35.81", "M35.89", "Z11.52", "Z20.822", "Z86.16"], ["M35.8"]),
    ("2022-04-01", ["Z28.310", "Z28.311", "Z28.39"], ["Z28.3"]),
    ("2023-04-01", ["T74.A1XA", "Y07.010", "Z55.6", "Z58.81", "Z59.10", "Z91.141"],
     ["Y07.01", "Z59.1", "Z91.14", "Z91.15"]),
])
def test_mid_year_codes_on_their_dates(update: str, added: list[str],
                                       headers: list[str]) -> None:
    after = D(update)
    before = after - dt.timedelta(days=1)
    for code in added:
        assert not icd10cm.is_valid(code, on=before)
        with pytest.raises(NotValidOnDate, match=f"takes effect on {update}"):
            icd10cm.validate(code, on=before)
        e = icd10cm.validate(code, on=after)
        assert e.title and e.release == icd10cm.lookup("E11.9", on=after).release
    for code in headers:
        e = icd10cm.validate(code, on=before)
        assert e.kind != "subcategory" and e.title
        with pytest.raises(NotValidOnDate) as info:
            icd10cm.validate(code, on=after)
        assert info.value.fix  # its new codes
        assert all(c.startswith(code) for c in info.value.fix)
    # headers only the update needs do not exist before it
    if update == "2023-04-01":
        for h in ("T74.A", "Z58.8", "Y07.05"):
            assert default_store().release("FY2023").row(h.replace(".", "")) is None
            assert icd10cm.lookup(h, on=after).kind == "subcategory"
            e = icd10cm.lookup(h, on=before)
            assert e.release == "FY2023"
            assert e.release_note.startswith(f"{h} is not in FY2023 (October 2022)")


def test_the_october_2022_release_is_the_fy2023_tabulars_code_set() -> None:
    """FY2023 before the April update, rebuilt from the April order file and the MCE,
    equals the code set of the October 2022 tabular (an independent CDC file)."""
    from codekit.build.icd10cm_sources import read_tabular, rows_from_tabular

    tab = read_tabular(gzip.decompress(
        reference("icd10cm_fy2023", "icd10cm_tabular_2023.xml.gz").read_bytes()))
    rows = rows_from_tabular(tab)
    rel = default_store().release("FY2023")
    assert {r.code for r in rows} == set(rel.codes)
    assert {r.code for r in rows if r.billable} == rel.billable_codes()


# -- FY2027, today (issue item 9) ---------------------------------------------------------


TODAY = "2026-12-02"


def test_new_fy2027_headers_are_headers_not_unknown() -> None:
    with pytest.raises(NotBillable) as info:
        icd10cm.validate("K6A", on=TODAY)
    assert info.value.code == "DX_NOT_BILLABLE"
    assert info.value.fix[:3] == ("K6A.01", "K6A.09", "K6A.8")
    e = icd10cm.lookup("K6A", on=TODAY)
    assert (e.kind, e.release, e.billable) == ("category", "FY2027", False)
    assert e.block is not None and e.block.id == "K65-K68"  # inferred: says so
    assert "inferred" in e.notes_note and e.chapter is not None and e.chapter.number == "11"
    with pytest.raises(SeventhCharacterMissing) as info2:
        icd10cm.validate("T52.811", on=TODAY)
    assert info2.value.allowed == {"A": "initial encounter", "D": "subsequent encounter",
                                   "S": "sequela"}
    titles = {c: t for c, _, _, t in official(2027)}
    assert icd10cm.validate("T52.811A", on=TODAY).title == titles["T52811A"] == \
        "Toxic effect of alkenes, accidental (unintentional), initial encounter"


FY2027_HEADERS = ["D69.1", "I42.0", "I42.8", "I49.8", "M72.2", "M86.8X1", "M86.8X2",
                  "M86.8X3", "M86.8X4", "M86.8X5", "M86.8X6", "M86.8X7", "M86.8X8", "Z68.1",
                  "Z87.890"]


@pytest.mark.parametrize("code", FY2027_HEADERS)
def test_codes_that_became_fy2027_headers_offer_their_children(code: str) -> None:
    assert icd10cm.is_valid(code, on="2026-09-30")
    with pytest.raises(NotValidOnDate) as info:
        icd10cm.validate(code, on=TODAY)
    err = info.value
    assert "header in FY2027" in str(err) and "deleted" not in str(err)
    kids = list(icd10cm.lookup(code, on=TODAY).children)
    assert kids and set(err.fix) == {k[:3] + "." + k[3:] for k in kids
                                     if icd10cm.is_valid(k, on=TODAY)}


def test_every_code_that_became_a_fy2027_header_is_listed() -> None:
    s = default_store()
    a, b = s.release("FY2026"), s.release("FY2027")
    became = [c for i, c in enumerate(b.codes) if not b.is_billable_row(i)
              and (j := a.row(c)) is not None and a.is_billable_row(j)]
    assert [c[:3] + "." + c[3:] for c in became] == FY2027_HEADERS


def test_fy2027_notes_are_borrowed_and_say_so() -> None:
    e = icd10cm.lookup("E11.9", on=TODAY)
    assert e.excludes1.matches("E10.9")  # the FY2026 tabular's note
    assert e.notes_source == "FY2026"
    assert "the FY2027 tabular XML" in e.notes_note
    assert "not available" in e.notes_note
    f = icd10cm.facts("E11.9", on=TODAY)
    assert f is not None and f.notes_caveat is not None
    assert icd10cm.facts("E11.9", on="2026-06-01").notes_caveat is None


# -- block_of (issue item 7) ---------------------------------------------------------------


def _tabular_releases() -> list:
    return [r for r in default_store().releases if r.has_tabular]


@pytest.mark.parametrize("release", ["FY2021-01", "FY2025-04", "FY2026"])
def test_every_category_has_its_block_and_chapter(release: str) -> None:
    rel = default_store().release(release)
    year = {"FY2021-01": 2021, "FY2025-04": 2025, "FY2026": 2026}[release]
    # the tabular order of the categories, from the official order file of the year
    order = [c for c, *_ in official(year) if len(c) == 3]
    assert order == [c for c in order if c in rel.codes] and len(order) == len(set(order))
    assert {c for c in rel.codes if len(c) == 3} == set(order)
    seen: set[str] = set()
    blocks = [b for b in rel.structure["blocks"] if b["categories"]]
    for cat in order:
        b = rel.block_of(cat)
        assert b is not None, cat
        assert cat in b["categories"]
        assert rel.chapter_of(b) is not None, cat
        assert cat not in seen
        seen.add(cat)
    # the blocks' categories, block after block, are the order file's categories in order
    assert [c for b in blocks for c in b["categories"]] == order
    for b in blocks:  # and each block's range holds its categories' first and last
        cats = b["categories"]
        assert (b["first"] <= cats[0] and cats[-1] <= b["last"]) or b["first"] == cats[0], \
            b["block"]


def test_the_categories_the_old_bisection_lost() -> None:
    lost = ["C4A", "C76", "C77", "C78", "C79", "D37", "D38", "D39", "M1A", "U07", "U09",
            "Z3A", *(f"Z{n}" for n in range(77, 100))]
    assert len(lost) == 35
    for rel in _tabular_releases():
        for cat in lost:
            if rel.row(cat) is None:
                continue
            e = icd10cm.lookup(cat, release=rel.id)
            assert e.block is not None and e.chapter is not None, (rel.id, cat)
    assert icd10cm.lookup("D39.2", on="2025-06-01").block.id == "D37-D48"


@pytest.mark.parametrize("day", ["2021-06-01", "2025-06-01", "2026-06-01", "2026-12-02"])
def test_block_level_excludes1_applies_to_every_category(day: str) -> None:
    def rules(*dx: str) -> list[str]:
        claim = Claim.from_dict({
            "claim_type": "professional", "payer": "medicare",
            "patient": {"sex": "F", "birth_date": "1980-01-01"}, "date_of_service": day,
            "diagnoses": list(dx),
            "service_lines": [{"procedure_code": "99213", "units": 1,
                               "diagnosis_pointers": [1]}]})
        return [f.rule for f in Checker().check(claim).findings]

    # the D37-D48 block says "Excludes1: neoplasms of unspecified behavior (D49.-)"
    assert rules("D48.7", "D49.59") == ["DX_EXCLUDES1_CONFLICT"]
    assert rules("D39.2", "D49.59") == ["DX_EXCLUDES1_CONFLICT"]


# -- the tabular's order inside categories (what policy ranges follow) --------------------


@pytest.mark.slow
def test_the_tabular_order_kept_is_every_order_files() -> None:
    """The order inside categories kept in ``titles.ckt`` is what the build derives from
    the order files FY2016-FY2027, and :func:`codekit.icd10cm.tabular_key` sorts every code
    of every year's file in that file's order inside its category, but for FY2021 alone:
    its file put V02.03 and V06.13 (standing micro-mobility conveyances, new that year)
    before V02.02 and V06.12, which FY2022 and every later file put after them, and the
    newer order wins."""
    from codekit.build.icd10cm import tabular_order

    codes = {year: [c for c, *_ in official(year)] for year in sorted(DAY)}
    assert default_store().titles.tabular_order == tabular_order(list(codes.values()))
    for year, cs in codes.items():
        by_category: dict[str, list[str]] = {}
        for c in cs:
            by_category.setdefault(c[:3], []).append(c)
        wrong = sorted(cat for cat, got in by_category.items()
                       if sorted(got, key=icd10cm.tabular_key) != got)
        assert wrong == (["V02", "V06"] if year == 2021 else []), year
