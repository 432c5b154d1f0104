"""Tests for codekit.ncci: PTP edits (bundled hospital table and user files), MUE tables
and add-on code edits.

Synthetic files reproduce the CMS layouts with real code numbers; the real CMS files and
the reference extracts are read from ``../shared/data/reference/`` when present (the tests
that need them skip otherwise).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import pickle
import random
import time
from array import array
from collections import defaultdict
from pathlib import Path

import pytest

from codekit import ncci
from codekit._dates import OPEN
from codekit._paths import bundled_data_dir
from codekit.errors import DataError, InvalidArgument, InvalidFormat
from codekit.ncci._ptp import PtpTable, pack_ptp
from tests.conftest import REFERENCE
from tests.fuzz.mutate import xlsx_bytes

REF = REFERENCE
D = dt.date


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference file absent: {path}")
    return path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A minimal one-sheet workbook (inline strings and numbers)."""
    path.write_bytes(xlsx_bytes(rows))
    return path


# ---- the bundled hospital PTP table -----------------------------------------------------


@pytest.fixture(scope="module")
def ptp() -> PtpTable:
    return ncci.hospital_ptp()


class TestBundledPtp:
    def test_pairs(self, ptp: PtpTable) -> None:
        """Known pairs with their modifier indicators; the order of the codes matters."""
        e = ptp.pair("0001U", "0030U", on="2025-06-01")
        assert (e.column_1, e.column_2, e.modifier_indicator, e.modifier_allowed) == \
            ("0001U", "0030U", 1, True)
        assert ptp.pair("29881", "29877", on="2025-06-01").modifier_indicator == 0
        assert ptp.pair("93000", "93005", on="2025-06-01").modifier_indicator == 1
        assert ptp.pair("12002", "64450", on="2025-06-01").modifier_indicator == 1
        assert ptp.pair("93005", "93000", on="2025-06-01") is None
        assert ptp.indicator("29881", "29877", on="2025-06-01") == 0
        assert ptp.indicator("93005", "93000", on="2025-06-01") is None

    def test_dates(self, ptp: PtpTable) -> None:
        """Edits apply from their effective date through their deletion date."""
        e = ptp.pair("0001A", "0591T", on="2023-12-31")
        assert (e.effective, e.deletion) == (D(2022, 1, 1), D(2023, 12, 31))
        assert ptp.pair("0001A", "0591T", on="2024-01-01") is None
        assert ptp.pair("0001A", "0591T", on="2021-12-31") is None
        assert ptp.pair("99213", "99212", on="2020-09-30") is None
        assert ptp.pair("99213", "99212", on="2020-10-01").effective == D(2020, 10, 1)
        # the indicator of 0007U/0328U changed from 0 to 1 on 2023-07-01
        assert ptp.indicator("0007U", "0328U", on="2023-06-30") == 0
        assert ptp.indicator("0007U", "0328U", on="2023-07-01") == 1
        # an edit in the first IOCE quarter has no known effective date
        old = ptp.pair("0001U", "0030U", on="2015-01-01")
        assert old is not None and old.effective is None and old.deletion is None

    def test_inputs(self, ptp: PtpTable) -> None:
        """Lower case and spaces are accepted; malformed codes raise; unknown → None."""
        assert ptp.pair(" 29881", "29877 ", on=D(2025, 6, 1)).modifier_indicator == 0
        e = ptp.pair("g0121", "99213", on="2025-06-01")
        assert (e.column_1, e.effective, e.modifier_indicator) == ("G0121", D(2020, 10, 1), 1)
        assert ptp.pair("99999", "29877", on="2025-06-01") is None
        with pytest.raises(InvalidFormat):
            ptp.pair("9921", "29877", on="2025-06-01")
        for junk in (None, ["29881"], {}, 29881):
            with pytest.raises(InvalidFormat):
                ptp.pair(junk, "29877")  # type: ignore[arg-type]
            with pytest.raises(InvalidFormat):
                ptp.indicator("29881", junk)  # type: ignore[arg-type]
            with pytest.raises(InvalidFormat):
                ptp.among(["29881", junk])  # type: ignore[list-item]
            with pytest.raises(InvalidFormat):
                ncci.addons().get(junk)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument):
            ptp.pair("29881", "29877", on="06/01/2025")

    def test_edits_among_count(self, ptp: PtpTable) -> None:
        """edits() of a column-1 code, among() for a claim, count() for a date."""
        edits = ptp.edits("29881", on="2025-06-01")
        assert all(e.column_1 == "29881" for e in edits)
        assert ("29877", 0) in {(e.column_2, e.modifier_indicator) for e in edits}
        claim = ["29877", "29881", "99213", "J3490"]
        assert [(e.column_1, e.column_2) for e in ptp.among(claim, on="2025-06-01")][:1] == \
            [("29881", "29877")]
        assert len(ptp) == 1_594_456
        assert ptp.setting == "hospital"

    def test_among_is_pair_over_every_ordered_pair(self, ptp: PtpTable) -> None:
        """among() (the PTP edit's one call a date) gives exactly the edits pair() gives
        for every ordered pair of distinct codes, in column-1, column-2 order: across an
        edit's deletion (0001A/0591T), an indicator change (0007U/0328U), an edit's start
        (99213/99212), codes written loosely, repeated, unknown or never in column 1."""
        rng = random.Random(20261203)
        pool = ["0001A", "0591T", "0007U", "0328U", "99213", "99212", "29881", "29877",
                "93000", "93005", "36415", "0001U", "0030U", "G0121", "12002", "64450",
                "J3490", "99999", "A0021"]
        pool += rng.sample(ptp.codes, 40)
        days = ["2015-01-01", "2020-09-30", "2020-10-01", "2021-12-31", "2022-01-01",
                "2023-06-30", "2023-07-01", "2023-12-31", "2024-01-01", "2025-06-01"]
        for _ in range(300):
            codes = rng.sample(pool, rng.randint(0, 6))
            if codes and rng.random() < 0.3:
                codes.append(codes[0])  # a code on two lines
            if codes and rng.random() < 0.2:
                codes[-1] = f" {codes[-1].lower()}"
            on = rng.choice(days)
            canon = sorted({c.strip().upper() for c in codes})  # the table's order
            expected = [e for c1 in canon for c2 in canon if c1 != c2
                        if (e := ptp.pair(c1, c2, on=on)) is not None]
            assert ptp.among(codes, on=on) == expected, (codes, on)
        assert [(e.column_1, e.column_2, e.modifier_indicator) for e in ptp.among(
            ["0328U", "0007U", "0007U"], on="2023-06-30")] == [("0007U", "0328U", 0)]
        assert ptp.among(["0591T", "0001A"], on="2024-01-01") == []
        assert ptp.among(["29881"], on="2025-06-01") == []

    def test_among_remembers_per_table_and_date(self, tmp_path: Path) -> None:
        """among() remembers each set of codes per table and period: a second table with
        other edits for the same codes answers its own, a later period its own, and a
        caller changing the returned list changes no later answer."""
        f = write(tmp_path / "ptp.csv", "column_1,column_2,effective_date,deletion_date,"
                  "modifier_indicator\n29881,29877,20200101,20241231,0\n")
        mine = ncci.load_ptp(f)
        bundled = ncci.hospital_ptp()
        codes = ["29877", "99213", "29881"]
        for _ in range(2):  # the second time from the memo
            assert [(e.column_1, e.column_2, e.modifier_indicator, e.deletion)
                    for e in mine.among(codes, on="2024-06-01")] == \
                [("29881", "29877", 0, D(2024, 12, 31))]
            assert mine.among(codes, on="2025-06-01") == []  # deleted by then
            assert [(e.column_1, e.column_2, e.deletion)
                    for e in bundled.among(codes, on="2025-06-01")] == \
                [("29881", "29877", None)]
        # a table of the same codes and dates with another indicator: its own answer
        other = ncci.load_ptp(write(tmp_path / "other.csv", "column_1,column_2,"
                                    "effective_date,deletion_date,modifier_indicator\n"
                                    "29881,29877,20200101,20241231,1\n"))
        assert [e.modifier_indicator for e in other.among(codes, on="2024-06-01")] == [1]
        assert [e.modifier_indicator for e in mine.among(codes, on="2024-06-01")] == [0]
        found = mine.among(codes, on="2024-06-01")
        found.clear()
        assert len(mine.among(codes, on="2024-06-01")) == 1
        # codes the table does not know, and junk, answer as before (never remembered)
        assert mine.among(["29877", "29881", "J3490"], on="2024-06-01") == \
            mine.among(["29881", "29877"], on="2024-06-01")
        with pytest.raises(InvalidFormat):
            mine.among(["29881", "29877", ["x"]], on="2024-06-01")  # type: ignore[list-item]

    def test_counts_per_quarter(self, ptp: PtpTable) -> None:
        """Edits in effect per quarter equal the counts recorded by the build."""
        prov = json.loads((bundled_data_dir() / "PROVENANCE.json").read_text("utf-8"))
        files = {f["file"]: f for f in prov["procedures"]["files"]}
        counts = files["ncci/ptp_hospital.ckt"]["active_edits_by_quarter"]
        for start in ("2019-07-01", "2024-07-01", "2026-04-01"):
            assert ptp.count(on=start) == counts[start]
        assert 1_300_000 < counts["2024-07-01"] < 1_450_000

    def test_pickle_and_load_time(self) -> None:
        """The bundled table pickles as its path (its opening time is reported, not
        asserted: no timing assertions; `bench/bench_procedures.py` measures it)."""
        t0 = time.perf_counter()
        t = PtpTable.open(bundled_data_dir() / "ncci" / "ptp_hospital.ckt")
        print(f"opened in {time.perf_counter() - t0:.3f} s")
        blob = pickle.dumps(t)
        assert len(blob) < 500
        assert pickle.loads(blob).indicator("29881", "29877", on="2025-06-01") == 0


def _reference_rows() -> list[tuple[str, str, int, str, str]]:
    path = needs(REF / "pyoce_ioce" / "ioce_ncci_ptp_hospital.csv.gz")
    with gzip.open(path, "rt", newline="") as f:
        return [(r["column_1"], r["column_2"], int(r["modifier_indicator"]),
                 r["date_started"], r["date_ended"]) for r in csv.DictReader(f)]


def _ymd(s: str) -> D:
    return D(int(s[:4]), int(s[4:6]), int(s[6:]))


@pytest.mark.slow
class TestBundledAgainstReference:
    def test_quarter_counts(self, ptp: PtpTable) -> None:
        """Edits in effect on each quarter start match the IOCE extract."""
        rows = _reference_rows()
        for day in ("20190701", "20221001", "20240701", "20260401"):
            expected = sum(1 for r in rows if r[3] <= day <= r[4])
            assert ptp.count(on=_ymd(day)) == expected, day

    def test_random_sample(self, ptp: PtpTable) -> None:
        """10,000 random rows of the extract: the table answers each one on a date inside
        its range, and answers no edit the day after a deletion (unless re-added)."""
        rows = _reference_rows()
        by_pair = defaultdict(list)
        for r in rows:
            by_pair[(r[0], r[1])].append(r)
        rng = random.Random(7)
        for c1, c2, mi, start, end in rng.sample(rows, 10_000):
            day = _ymd(start) + (_ymd(end) - _ymd(start)) / 2 if end < "2036" else _ymd(start)
            assert ptp.indicator(c1, c2, on=day) == mi, (c1, c2, day)
            if end < "20360331":
                after = _ymd(end) + dt.timedelta(days=1)
                active = [r for r in by_pair[(c1, c2)] if r[3] <= after.strftime("%Y%m%d")
                          <= r[4]]
                assert ptp.indicator(c1, c2, on=after) == (active[0][2] if active else None)


# ---- loading CMS PTP files and CSVs -----------------------------------------------------

CMS_HEADER = ("Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
              "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
              "PTP Edit Rationale")
CMS_TXT = "\n".join([
    "CPT only copyright 2025 American Medical Association. All rights reserved.",
    "",
    CMS_HEADER,
    "29881\t29877\t\t20120101\t*\t0\tMutually exclusive procedures",
    "93000\t93005\t*\t19960101\t*\t1\tHCPCS/CPT procedure code definition",
    "11042\t97597\t\t20130101\t20231231\t1\tStandards of medical / surgical practice",
    "11042\t97597\t\t20240101\t*\t0\tStandards of medical / surgical practice",
    "20610\tJ1030\t\t20190101\t*\t9\tMisuse of column two code with column one code",
    "",
]) + "\n"


class TestLoadPtp:
    def test_cms_text(self, tmp_path: Path) -> None:
        """The CMS tab-delimited text file with its copyright line and header row."""
        f = write(tmp_path / "ccipra-v321r0-f1.txt", CMS_TXT, "latin-1")
        t = ncci.load_ptp(f)
        assert (len(t), t.setting, t.problems) == (5, "practitioner", ())
        e = t.pair("29881", "29877", on="2025-06-01")
        assert (e.modifier_indicator, e.effective, e.deletion, e.rationale) == \
            (0, D(2012, 1, 1), None, "Mutually exclusive procedures")
        assert t.pair("29881", "29877", on="2011-12-31") is None
        assert t.indicator("11042", "97597", on="2023-12-31") == 1
        assert t.indicator("11042", "97597", on="2024-01-01") == 0
        e = t.pair("20610", "J1030", on="2025-06-01")
        assert (e.modifier_indicator, e.applies) == (9, False)
        assert t.meta["overlapping_rows_resolved"] == 0

    def test_split_header_rows(self, tmp_path: Path) -> None:
        """A header spread over several rows (as in some CMS exports) is skipped."""
        text = ("Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit "
                "Rationale\n\t\tprior to 1996\tDate\tDate *=no data\t0=not allowed\t\n"
                "29881\t29877\t\t20120101\t*\t0\tMutually exclusive procedures\n")
        t = ncci.load_ptp(write(tmp_path / "ccioph-v321r0-f1.txt", text))
        assert t.setting == "hospital"
        assert t.indicator("29881", "29877", on="2025-01-01") == 0

    def test_no_header(self, tmp_path: Path) -> None:
        """Rows without any header are read in the CMS column order."""
        t = ncci.load_ptp(write(tmp_path / "x.txt", "29881\t29877\t\t20120101\t*\t0\n"))
        assert t.indicator("29881", "29877", on="2025-01-01") == 0

    def test_plain_csv(self, tmp_path: Path) -> None:
        """column_1,column_2,effective_date,deletion_date,modifier_indicator[,rationale]."""
        f = write(tmp_path / "ptp.csv",
                  "column_1,column_2,effective_date,deletion_date,modifier_indicator,"
                  "rationale\n29881,29877,2012-01-01,,0,\"Mutually exclusive, procedures\"\n"
                  "0001U,0029U,20180701,20260630,1,\n")
        t = ncci.load_ptp(f)
        assert t.pair("29881", "29877", on="2025-01-01").rationale == \
            "Mutually exclusive, procedures"
        assert t.pair("0001U", "0029U", on="2026-06-30").deletion == D(2026, 6, 30)
        assert t.pair("0001U", "0029U", on="2026-07-01") is None
        assert t.pair("0001U", "0029U", on="2018-06-30") is None

    def test_csv_without_effective(self, tmp_path: Path) -> None:
        """Without effective dates an edit applies to every date up to its deletion."""
        f = write(tmp_path / "ptp.csv", "column_1,column_2,deletion_date,modifier_indicator\n"
                  "29881,29877,,0\n0001A,0591T,2023-12-31,1\n")
        t = ncci.load_ptp(f)
        assert t.pair("29881", "29877", on="1990-01-01").effective is None
        assert t.indicator("0001A", "0591T", on="2023-12-31") == 1
        assert t.indicator("0001A", "0591T", on="2024-01-01") is None

    def test_xlsx_and_gzip(self, tmp_path: Path) -> None:
        """The CMS workbook (first sheet) and gzipped text read too."""
        f = xlsx(tmp_path / "ccipra-v321r0-f1.xlsx", [
            ["CPT only copyright 2025 American Medical Association."],
            ["Column 1", "Column 2", "*=in existence prior to 1996", "Effective Date",
             "Deletion Date *=no data", "Modifier 0=not allowed 1=allowed 9=not applicable",
             "PTP Edit Rationale"],
            ["29881", "29877", "", 20120101, "*", 0, "Mutually exclusive procedures"],
        ])
        assert ncci.load_ptp(f).indicator("29881", "29877", on="2025-01-01") == 0
        g = tmp_path / "ccipra.txt.gz"
        g.write_bytes(gzip.compress(CMS_TXT.encode("latin-1")))
        assert len(ncci.load_ptp(g)) == 5

    def test_several_files(self, tmp_path: Path) -> None:
        """The four practitioner files load as one table."""
        lines = CMS_TXT.splitlines()
        a = write(tmp_path / "ccipra-v321r0-f1.txt", "\n".join(lines[:5]) + "\n")
        b = write(tmp_path / "ccipra-v321r0-f2.txt", "\n".join(lines[:3] + lines[5:]) + "\n")
        t = ncci.load_ptp([a, b])
        assert len(t) == 5
        assert t.source == "ccipra-v321r0-f1.txt, ccipra-v321r0-f2.txt"

    def test_malformed_rows(self, tmp_path: Path) -> None:
        """Malformed rows name file and line; errors='collect' keeps the good rows."""
        text = CMS_TXT.replace("29881\t29877\t\t20120101\t*\t0",
                               "29881\t29877\t\t20120101\t*\t2") + \
            "99213\t9921\t\t20120101\t*\t1\tx\n93000\t93010\t\t2012-13-01\t*\t1\tx\n" \
            "93000\t93010\n"
        f = write(tmp_path / "bad.txt", text)
        with pytest.raises(ncci.MalformedFile) as ei:
            ncci.load_ptp(f)
        assert (ei.value.line, ei.value.path) == (4, str(f))
        assert "modifier indicator must be 0, 1 or 9" in str(ei.value)
        t = ncci.load_ptp(f, errors="collect")
        assert [p.line for p in t.problems] == [4, 10, 11, 12]  # line 9 is blank
        assert "not a CPT or HCPCS code: '9921'" in str(t.problems[1])
        assert len(t) == 4

    def test_not_a_ptp_file(self, tmp_path: Path) -> None:
        """A file with no PTP rows is a DataError."""
        with pytest.raises(DataError, match="no PTP edits"):
            ncci.load_ptp(write(tmp_path / "x.csv", "a,b\nc,d\n"))
        with pytest.raises(DataError):
            ncci.load_ptp(tmp_path / "missing.txt")
        with pytest.raises(InvalidArgument):
            ncci.load_ptp(tmp_path / "x.csv", errors="skip")

    def test_save_open_pickle(self, tmp_path: Path) -> None:
        """save() writes a .ckt that loads back equal; tables pickle."""
        t = ncci.load_ptp(write(tmp_path / "ccipra.txt", CMS_TXT))
        t.save(tmp_path / "ptp.ckt")
        t2 = ncci.load_ptp(tmp_path / "ptp.ckt")
        assert list(t2.rows()) == list(t.rows())
        assert pickle.loads(pickle.dumps(t2)).source == t.source
        t3 = pickle.loads(pickle.dumps(t))
        assert list(t3.rows()) == list(t.rows())


class TestOverlaps:
    def test_overlapping_rows(self, tmp_path: Path) -> None:
        """Rows of one pair that overlap in time: a later effective date wins from then on;
        rows with the same effective date follow one another; duplicates collapse."""
        f = write(tmp_path / "ptp.csv",
                  "column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
                  "29881,29877,2010-01-01,,0\n"
                  "29881,29877,2015-01-01,,1\n"
                  "93000,93005,,2020-12-31,1\n"
                  "93000,93005,,,0\n"
                  "93000,93005,,,0\n")
        t = ncci.load_ptp(f)
        assert t.indicator("29881", "29877", on="2014-12-31") == 0
        assert t.indicator("29881", "29877", on="2015-01-01") == 1
        assert t.indicator("93000", "93005", on="2020-12-31") == 1
        assert t.indicator("93000", "93005", on="2021-01-01") == 0
        assert t.meta["overlapping_rows_resolved"] == 3
        # rows() as the table answers them: the duplicate is one row (it was listed twice,
        # once "deleted 2020-12-31, effective 2021-01-01"), no row ends before it starts
        assert [(e.column_1, e.column_2, e.modifier_indicator, e.effective, e.deletion)
                for e in t.rows()] == [
            ("29881", "29877", 0, D(2010, 1, 1), D(2014, 12, 31)),
            ("29881", "29877", 1, D(2015, 1, 1), None),
            ("93000", "93005", 1, None, D(2020, 12, 31)),
            ("93000", "93005", 0, D(2021, 1, 1), None)]

    def test_random_tables_against_brute_force(self) -> None:
        """Random small tables: lookups equal a brute-force reading of the rule."""
        rng = random.Random(3)
        codes = ["10000", "10001", "10002", "G0001"]
        for _ in range(200):
            rows = []
            for _ in range(rng.randrange(1, 12)):
                a, b = rng.sample(range(4), 2)
                eff = rng.choice([0, *range(730000, 730010)])
                end = rng.choice([OPEN, *range(730000, 730012)])
                rows.append((a, b, eff, end, rng.choice([0, 1, 9])))
            cols = [array("I", [r[i] for r in rows]) for i in range(4)]
            meta, sections = pack_ptp(codes, *cols, bytes(r[4] for r in rows),
                                      array("I", [0] * len(rows)), [""], {})
            t = PtpTable(meta, sections)
            for day in range(729999, 730013):
                on = D.fromordinal(day)
                for a in range(4):
                    for b in range(4):
                        got = t.indicator(codes[a], codes[b], on=on)
                        assert got == _brute(rows, a, b, day), (rows, a, b, day)


def _brute(rows: list[tuple[int, int, int, int, int]], a: int, b: int, day: int) -> int | None:
    """The documented rule, applied to the rows of one pair in file order."""
    mine = sorted((r for r in rows if (r[0], r[1]) == (a, b)), key=lambda r: (r[2], r[3]))
    spans: list[list[int]] = []  # [start, end, mi] after resolution
    for _, _, eff, end, mi in mine:
        spans.append([eff, end, mi])
    alive = [True] * len(spans)
    anchor = -1
    for k in range(1, len(spans)):
        if anchor < 0:
            anchor = k - 1
        a0 = spans[anchor]
        cur = spans[k]
        if not alive[anchor] or a0[0] > a0[1] or a0[1] < cur[0]:
            anchor = k
            continue
        if cur[0] > a0[0]:
            a0[1] = cur[0] - 1
            anchor = k
        elif cur[1] > a0[1]:
            cur[0] = a0[1] + 1
            anchor = k
        else:
            alive[k] = False
    for (s, e, mi), ok in zip(spans, alive, strict=True):
        if ok and s <= day <= e:
            return mi
    return None


@pytest.mark.slow
class TestPractitionerFile:
    """The practitioner PTP edits of July 2024 (2.5 million rows)."""

    def test_random_sample(self) -> None:
        """ptp.pair answers match the file for 10,000 random pairs."""
        path = needs(REF / "northstar_2024q3" / "ncci_ptp_practitioner_2024q3.csv.gz")
        t = ncci.load_ptp(path)
        assert (len(t), t.problems) == (2_546_017, ())
        with gzip.open(path, "rt", newline="") as f:
            rows = [(r["column_1"], r["column_2"], r["deletion_date"],
                     int(r["modifier_indicator"]), r["rationale"]) for r in csv.DictReader(f)]
        by_pair = defaultdict(list)
        for r in rows:
            by_pair[(r[0], r[1])].append(r)
        rng = random.Random(11)
        sample = rng.sample(sorted(by_pair), 10_000)
        for day in (D(2024, 7, 1), D(2021, 3, 1)):
            iso = day.isoformat()
            for pair in sample:
                live = [r for r in by_pair[pair] if not r[2] or r[2] >= iso]
                got = t.pair(pair[0], pair[1], on=day)
                if not live:
                    assert got is None, pair
                    continue
                # the row deleted first answers first (rows share their unknown start)
                want = min(live, key=lambda r: r[2] or "9999")
                assert (got.modifier_indicator, got.rationale) == (want[3], want[4]), pair
                assert got.deletion == (D.fromisoformat(want[2]) if want[2] else None)
        assert t.count(on=D(2024, 7, 1)) == 1_669_820


# ---- MUE ------------------------------------------------------------------------------

MUE_CMS = REF / "ncci_mue_2026q2"


class TestMue:
    @pytest.mark.parametrize(("name", "rows", "setting"), [
        ("MCR_MUE_PractitionerServices_Eff_04-01-2026.csv", 15_095, "practitioner"),
        ("MCR_MUE_OutpatientHospitalServices_Eff_04-01-2026.csv", 15_045, "hospital"),
        ("MCR_MUE_DMESupplierServices_Eff_04-01-2026.csv", 3_083, "dme"),
    ])
    def test_cms_files(self, name: str, rows: int, setting: str) -> None:
        """The CMS MUE CSVs load as published (copyright notice, multi-line header)."""
        t = ncci.load_mue(needs(MUE_CMS / name))
        assert (len(t), t.setting, t.effective, t.problems) == \
            (rows, setting, D(2026, 4, 1), ())

    def test_cms_values(self) -> None:
        """0001U: 1 unit, MAI 2; values and rationales as in the file."""
        t = ncci.load_mue(needs(MUE_CMS / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"))
        e = t.get("0001U", on="2026-05-01")
        assert (e.units, e.mai, e.per_day, e.adjudication) == \
            (1, 2, True, "date of service edit: policy")
        assert e.rationale == "Code Descriptor / CPT Instruction"
        with pytest.raises(InvalidArgument, match="takes effect on 2026-04-01"):
            t.get("0001U", on="2026-03-31")
        assert t.get("0001u").code == "0001U"
        assert t.get("G9999") is None or t.get("G9999").units >= 0
        with pytest.raises(InvalidFormat):
            t.get("0001")

    def test_northstar_csv(self) -> None:
        """A CSV with columns hcpcs_code,mue_units,mue_mai,mue_rationale,... loads."""
        t = ncci.load_mue(needs(REF / "northstar_2024q3" / "ncci_mue_practitioner_2024q3.csv"))
        assert (len(t), t.effective, t.setting) == (14_677, D(2024, 7, 1), "practitioner")
        assert t.get("0002M").mai == 3

    def test_plain_csv(self, tmp_path: Path) -> None:
        """code,mue,mai[,rationale] with effective= given."""
        f = write(tmp_path / "mue.csv", "code,mue,mai,rationale\n17000,1,2,x\n"
                  "0009U,2,3,\n96372,4,1,Clinical: Data\n")
        t = ncci.load_mue(f, effective="2026-04-01")
        assert t.get("0009U").per_day and not t.get("96372").per_day
        assert t.covers("2026-04-01") and not t.covers("2026-03-31")
        assert pickle.loads(pickle.dumps(t)).get("17000").units == 1
        for _ in range(2):  # a code without an MUE is None, the second time remembered
            assert t.get("99213") is None and t.get(" 0009u").units == 2
        with pytest.raises(InvalidFormat):
            t.get("not a code")

    def test_malformed(self, tmp_path: Path) -> None:
        """Bad MAI, bad units, conflicting duplicates: file and line named."""
        f = write(tmp_path / "mue.csv", "code,mue,mai\n17000,1,2\n17003,x,2\n17004,1,4\n"
                  "17000,2,2\n17000,1,2\n")
        with pytest.raises(ncci.MalformedFile, match=r"mue\.csv:3: MUE value"):
            ncci.load_mue(f, effective="2026-04-01")
        t = ncci.load_mue(f, errors="collect", effective="2026-04-01")
        assert [p.line for p in t.problems] == [3, 4, 5]
        assert len(t) == 1
        with pytest.raises(DataError, match="no MUE header"):
            ncci.load_mue(write(tmp_path / "x.csv", "a,b\n"))


# ---- add-on codes ---------------------------------------------------------------------


class TestAddons:
    def test_bundled(self) -> None:
        """Type 1 lists, type 2 without primaries, types changing over time."""
        a = ncci.addons()
        assert a.get("17003", on="2025-06-01").primaries == frozenset({"17000"})
        assert a.get("99292", on="2025-06-01").primaries == frozenset({"99291"})
        e = a.get("64484", on="2025-06-01")
        assert (e.type, e.accepts("64483"), e.accepts("64490")) == (1, True, False)
        e = a.get("0054T", on="2025-06-01")
        assert (e.type, e.primaries, e.accepts("20610")) == (2, frozenset(), None)
        assert a.get("20701", on="2022-12-31").type == 1
        assert a.get("20701", on="2023-01-01").type == 3
        assert a.get("99213", on="2025-06-01") is None
        assert a.is_addon("17003", on="2025-06-01")
        assert a.has_primary("17003", ["17000", "99213"], on="2025-06-01") is True
        assert a.has_primary("17003", ["99213"], on="2025-06-01") is False
        assert a.has_primary("0054T", ["99213"], on="2025-06-01") is None
        assert a.any_of(["99213", "17003"]) and "17003" in a
        assert not a.any_of(["99213", "17000"]) and not a.any_of([])
        assert len(pickle.dumps(a)) < 500

    def test_against_cms_aoc_file(self) -> None:
        """The July 2024 CMS add-on code file agrees with the bundled lists for type 1."""
        t = ncci.load_addon(needs(REF / "northstar_2024q3" / "ncci_aoc_2024-06.csv"))
        assert t.problems == ()
        bundled = ncci.addons()
        day = "2024-06-15"
        agree = total = 0
        for code in t.codes:
            e = t.get(code, on=day)
            b = bundled.get(code, on=day)
            if e is None or e.type != 1:
                continue
            total += 1
            agree += b is not None and b.primaries == e.primaries
        assert total > 400 and agree / total > 0.9
        assert t.get("64484", on=day).primaries == frozenset({"64483"})

    def test_cms_layout_with_julian_dates(self, tmp_path: Path) -> None:
        """CMS columns with Julian dates and CCCCC for contractor-defined primaries."""
        f = write(tmp_path / "aoc.csv",
                  "Add-on Code,AOC Del Dt (Julian),Primary Code,Primary Code Del Dt (Julian),"
                  "AOC Edit Type,AOC Edit Eff Dt (Julian),AOC Edit Del Dt (Julian),"
                  "Special Instruction Notes\n"
                  "17003,,17000,,1,2013001,,\n"
                  "17003,,17004,,1,2013001,2019365,\n"
                  "0054T,,CCCCC,,2,2013001,,contractor defined\n")
        t = ncci.load_addon(f)
        assert t.primaries("17003", on="2019-12-31") == frozenset({"17000", "17004"})
        assert t.primaries("17003", on="2020-01-01") == frozenset({"17000"})
        assert t.get("17003", on="2012-12-31") is None
        assert t.get("0054T", on="2020-01-01").type == 2

    def test_malformed(self, tmp_path: Path) -> None:
        """A bad type names the file and line."""
        f = write(tmp_path / "aoc.csv", "add_on_code,primary_code,aoc_edit_type\n"
                  "17003,17000,1\n17003,17000,4\n")
        with pytest.raises(ncci.MalformedFile, match=r"aoc\.csv:3: add-on edit type"):
            ncci.load_addon(f)
        assert len(ncci.load_addon(f, errors="collect").problems) == 1
        with pytest.raises(DataError, match="no add-on code header"):
            ncci.load_addon(write(tmp_path / "x.csv", "copyright notice\n\n17003,17000,1\n"))


# ---- malformed rows the loaders must not take (or drop) silently ---------------------------

PTP_CSV_HEADER = "column_1,column_2,effective_date,deletion_date,modifier_indicator,rationale\n"


class TestLoadersSayEveryBadRow:
    def test_a_bad_first_ptp_row_is_reported_like_any_other(self, tmp_path: Path) -> None:
        """A typo in the first edit is a malformed row, not a preamble to skip."""
        f = write(tmp_path / "ptp.csv", PTP_CSV_HEADER + "9921,36415,2020-01-01,*,1,x\n"
                  "29881,29877,2020-01-01,*,0,x\n")
        with pytest.raises(ncci.MalformedFile, match=r"ptp\.csv:2: not a CPT or HCPCS code: "
                           "'9921'"):
            ncci.load_ptp(f)
        t = ncci.load_ptp(f, errors="collect")
        assert ([p.line for p in t.problems], len(t)) == ([2], 1)
        # without a header: a row shaped like a CMS edit is an edit too
        g = write(tmp_path / "cms.txt", "CPT only copyright 2025 American Medical "
                  "Association.\n9921\t36415\t\t20120101\t*\t1\tx\n"
                  "29881\t29877\t\t20120101\t*\t0\tx\n")
        t = ncci.load_ptp(g, errors="collect")
        assert ([p.line for p in t.problems], len(t)) == ([2], 1)
        # the CMS preamble and a header over two rows are still no edits
        assert ncci.load_ptp(write(tmp_path / "ccipra-v321r0-f1.txt", CMS_TXT)).problems == ()

    def test_an_edit_effective_after_its_deletion_is_reported(self, tmp_path: Path) -> None:
        f = write(tmp_path / "ptp.csv", PTP_CSV_HEADER + "93000,93005,2020-01-01,*,1,x\n"
                  "29881,29877,2025-01-01,2020-01-01,0,x\n")
        with pytest.raises(ncci.MalformedFile, match=r"ptp\.csv:3: effective date 2025-01-01 "
                           "is after the deletion date 2020-01-01"):
            ncci.load_ptp(f)
        t = ncci.load_ptp(f, errors="collect")
        assert [p.line for p in t.problems] == [3]
        assert [(e.column_1, e.column_2) for e in t.rows()] == [("93000", "93005")]
        # the same day is one day in effect, not reversed
        one = ncci.load_ptp(write(tmp_path / "one.csv", PTP_CSV_HEADER +
                                  "29881,29877,2025-01-01,2025-01-01,0,x\n"))
        assert one.indicator("29881", "29877", on="2025-01-01") == 0
        a = write(tmp_path / "aoc.csv", "add_on_code,primary_code,aoc_edit_type,"
                  "effective_date,deletion_date\n17003,17000,1,2020-01-01,\n"
                  "99292,99291,1,2025-01-01,2020-01-01\n")
        with pytest.raises(ncci.MalformedFile, match=r"aoc\.csv:3: effective date 2025-01-01 "
                           "is after the deletion date 2020-01-01"):
            ncci.load_addon(a)
        t = ncci.load_addon(a, errors="collect")
        assert ([p.line for p in t.problems], t.codes) == ([3], ("17003",))

    def test_a_pair_listed_again_with_another_indicator_is_reported(self, tmp_path: Path
                                                                    ) -> None:
        """Same pair, same dates, indicators 0 and 1: the first row wins, the second is a
        malformed row (as an MUE listed again with another value); exact duplicates and
        rows with other dates are not."""
        f = write(tmp_path / "ptp.csv", PTP_CSV_HEADER + "29881,29877,2020-01-01,*,0,x\n"
                  "93000,93005,2020-01-01,*,1,x\n93000,93005,2020-01-01,*,1,x\n"
                  "29881,29877,2020-01-01,*,1,y\n29881,29877,2024-01-01,*,1,z\n")
        with pytest.raises(ncci.MalformedFile) as ei:
            ncci.load_ptp(f)
        assert (ei.value.line, ei.value.path) == (5, str(f))
        assert "29881/29877 appears again with the same dates" in str(ei.value)
        assert "(1; 0 on line 2)" in str(ei.value)
        t = ncci.load_ptp(f, errors="collect")
        assert [p.line for p in t.problems] == [5]
        assert t.pair("29881", "29877", on="2022-06-01").modifier_indicator == 0
        assert t.pair("29881", "29877", on="2024-06-01").modifier_indicator == 1
        assert [(e.effective, e.deletion, e.modifier_indicator) for e in t.rows()
                if e.column_1 == "29881"] == [(D(2020, 1, 1), D(2023, 12, 31), 0),
                                              (D(2024, 1, 1), None, 1)]
        # across two files, out of order
        b = write(tmp_path / "b.csv", PTP_CSV_HEADER + "99213,36415,2020-01-01,*,0,x\n"
                  "29881,29877,2020-01-01,*,9,w\n")
        t = ncci.load_ptp([f, b], errors="collect")
        assert [(Path(p.path).name, p.line) for p in t.problems] == [("ptp.csv", 5),
                                                                   ("b.csv", 3)]
        assert "(9; 0 on ptp.csv:2)" in t.problems[1].reason
        a = write(tmp_path / "aoc.csv", "add_on_code,primary_code,aoc_edit_type,"
                  "effective_date,deletion_date\n99292,99291,1,2020-01-01,\n"
                  "99292,99291,3,2020-01-01,\n99292,99291,1,2020-01-01,\n")
        with pytest.raises(ncci.MalformedFile, match=r"aoc\.csv:3: 99292 with primary 99291 "
                           "appears again with a different add-on edit type"):
            ncci.load_addon(a)
        t = ncci.load_addon(a, errors="collect")
        assert [p.line for p in t.problems] == [3]
        assert t.get("99292", on="2025-01-01").type == 1

    def test_mue_values_and_indicators(self, tmp_path: Path) -> None:
        """A whole number over the cap says the cap; an MAI with trailing junk is refused;
        CMS's MAI texts are read."""
        f = write(tmp_path / "mue.csv", "code,mue,mai\n99213,1000000000,3\n"
                  "99214,1,1 garbage here\n99215,1,2 Line Edit\n17000,2,1 Line Edit\n"
                  "17003,0000000004,2 Date of Service Edit: Policy\n")
        t = ncci.load_mue(f, errors="collect", effective="2026-04-01")
        assert [(p.line, p.reason) for p in t.problems] == [
            (2, "MUE value 1000000000 is larger than the largest codekit accepts "
                "(999,999,999)"),
            (3, "MUE adjudication indicator must be 1, 2 or 3 (or CMS's text, '2 Date of "
                "Service Edit: Policy'), not '1 garbage here'"),
            (4, "MUE adjudication indicator must be 1, 2 or 3 (or CMS's text, '2 Date of "
                "Service Edit: Policy'), not '2 Line Edit'")]
        assert (t.get("17000").mai, t.get("17003").units, t.get("17003").mai) == (1, 4, 2)

    def test_a_type_1_addon_row_without_a_primary_is_reported(self, tmp_path: Path) -> None:
        f = write(tmp_path / "aoc.csv", "add_on_code,primary_code,aoc_edit_type\n"
                  "99292,,1\n17003,17000,1\n0054T,CCCCC,2\n17004,CCCCC,1\n")
        with pytest.raises(ncci.MalformedFile, match=r"aoc\.csv:2: a type 1 add-on code "
                           "lists its primary codes, but this row of 99292 has none"):
            ncci.load_addon(f)
        t = ncci.load_addon(f, errors="collect")
        assert [p.line for p in t.problems] == [2, 5]
        assert "CCCCC" in t.problems[1].reason
        assert t.codes == ("0054T", "17003")


class TestArguments:
    def test_a_missing_path_is_an_invalid_argument(self, tmp_path: Path) -> None:
        for load in (ncci.load_ptp, ncci.load_mue, ncci.load_addon):
            with pytest.raises(InvalidArgument, match="path=None"):
                load(None)  # type: ignore[operator]
        with pytest.raises(InvalidArgument, match=r"path\[\]=None"):
            ncci.load_ptp([tmp_path / "a.csv", None])  # type: ignore[list-item]

    def test_an_unknown_setting_is_an_invalid_argument(self, tmp_path: Path) -> None:
        ptp = write(tmp_path / "ptp.csv", PTP_CSV_HEADER + "29881,29877,2020-01-01,*,0,x\n")
        mue = write(tmp_path / "mue.csv", "code,mue,mai\n99213,1,3\n")
        for call in (lambda: ncci.load_ptp(ptp, setting="nursing"),
                     lambda: ncci.load_mue(mue, setting="nursing", effective="2026-04-01")):
            with pytest.raises(InvalidArgument, match="setting='nursing': expected "
                               "'practitioner', 'hospital' or 'dme'"):
                call()
        assert ncci.load_mue(mue, setting="dme", effective="2026-04-01").setting == "dme"


class TestUndatedMue:
    def test_an_mue_file_must_say_its_quarter(self, tmp_path: Path) -> None:
        """An MUE table holds one quarter: without a date it would answer for every date."""
        text = "code,mue,mai\n99213,1,3\n"
        f = write(tmp_path / "mue_practitioner_nodate.csv", text)
        with pytest.raises(DataError, match=r"says no effective date.*pass effective="):
            ncci.load_mue(f)
        t = ncci.load_mue(f, effective="2025-10-01")
        assert (t.effective, t.covers("1990-01-01")) == (D(2025, 10, 1), False)
        with pytest.raises(DataError, match=r"2019q5\) is not a quarter"):
            ncci.load_mue(write(tmp_path / "mue_practitioner_2019q5.csv", text))
        assert ncci.load_mue(write(tmp_path / "mue_practitioner_2019q4.csv", text)
                             ).effective == D(2019, 10, 1)
        # a table made by hand without a date covers no date and no library takes it
        bare = ncci.MueTable({"99213": (1, 3, "")}, {"setting": "practitioner"})
        assert not bare.covers("2025-10-01") and bare.get("99213").units == 1
        with pytest.raises(InvalidArgument, match="effective date is unknown"):
            bare.get("99213", on="2025-10-01")
        with pytest.raises(InvalidArgument, match="effective date is unknown"):
            ncci.TableLibrary([bare])


class TestClaimCodesAsWritten:
    """The claim's codes given to add-on and PTP queries are read as written, like the
    code asked about; a string where a list belongs is refused, not read a character at
    a time."""

    def test_has_primary_reads_codes_as_written(self) -> None:
        a = ncci.addons()
        # 64484 (type 1) needs 64483: written with blanks or lower case, it is there
        assert a.has_primary("64484", [" 64483", "99213"], on="2025-06-01") is True
        assert a.get("0214t", on="2025-06-01").accepts("0213t") is True
        assert a.has_primary("64484", ["99213"], on="2025-06-01") is False
        with pytest.raises(InvalidFormat, match="too short"):
            a.has_primary("64484", ["6448"], on="2025-06-01")
        with pytest.raises(InvalidArgument, match="not one string"):
            a.has_primary("64484", "64483", on="2025-06-01")

    def test_among_refuses_one_string(self) -> None:
        with pytest.raises(InvalidArgument, match="not one string"):
            ncci.hospital_ptp().among("29881", on="2025-06-01")


class TestMueQuarter:
    """An MUE table holds one quarter: a date after it is refused as one before it is
    (MUE values change every quarter), never answered silently."""

    def test_a_date_after_the_quarter(self, tmp_path: Path) -> None:
        p = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
        p.write_text("code,mue,mai\n0001U,1,2\n")
        t = ncci.load_mue(p)
        assert (t.effective, t.end) == (D(2026, 4, 1), D(2026, 6, 30))
        assert t.covers("2026-06-30") and t.get("0001U", on=dt.datetime(2026, 6, 30, 23)).units == 1
        assert not t.covers("2026-07-01")
        with pytest.raises(InvalidArgument, match="is for 2026-04-01 to 2026-06-30"):
            t.get("0001U", on="2026-07-01")
        with pytest.raises(InvalidArgument, match="takes effect on 2026-04-01"):
            t.get("0001U", on="2026-03-31")
        # without a date it answers (the checker asks the table its library chose)
        assert t.get("0001U").units == 1
        # the library still answers past the quarter, and says so
        table, note = ncci.TableLibrary([t], bundled=False).mue("practitioner",
                                                                D(2026, 7, 1))
        assert table is t and "after its last quarter" in note


class TestTablesSayWhatDatesTheyDescribe:
    """A table's look-ups answer any date from its rows (1900-01-01, 9999-12-31) without a
    note; ``covers(on=)`` and ``coverage()`` let a direct caller ask the table itself, as
    the library does, instead of being answered silently."""

    IOCE = (D(2019, 7, 1), D(2026, 6, 30))

    @pytest.mark.parametrize("table", [ncci.hospital_ptp, ncci.addons, ncci.ioce_addons])
    def test_the_bundled_tables_cover_the_ioce_quarters(self, table: object) -> None:
        t = table()  # type: ignore[operator]
        assert t.coverage() == self.IOCE
        assert pickle.loads(pickle.dumps(t)).coverage() == self.IOCE
        assert [t.covers(on=day) for day in ("1900-01-01", "2019-06-30", "2019-07-01",
                                             "2026-06-30", "2026-07-01", "9999-12-31")] \
            == [False, False, True, True, False, False]
        assert t.covers(on=dt.datetime(2026, 6, 30, 23, 59)) is True
        with pytest.raises(InvalidArgument, match="on='2026-13-01'"):
            t.covers(on="2026-13-01")

    def test_the_look_ups_still_answer_any_date(self) -> None:
        """What covers() is for: the first IOCE quarter's rows have no effective date, so
        1900-01-01 and 9999-12-31 are answered from the rows."""
        ptp = ncci.hospital_ptp()
        assert ptp.pair("29881", "29877", on="1900-01-01") is not None
        assert ptp.pair("29881", "29877", on="9999-12-31") is not None
        assert ncci.addons().get("99292", on="9999-12-31").primaries == frozenset({"99291"})
        assert not ptp.covers(on="9999-12-31") and not ncci.addons().covers(on="1900-01-01")

    def test_a_loaded_table_covers_the_quarter_its_name_names(self, tmp_path: Path) -> None:
        rows = ("column_1,column_2,effective_date,deletion_date,modifier_indicator\n"
                "20610,99213,2020-01-01,*,1\n")
        dated = ncci.load_ptp(write(tmp_path / "ptp_practitioner_2025q4.csv", rows))
        assert dated.coverage() == (D(2025, 10, 1), D(2025, 12, 31))
        assert (dated.covers(on="2025-09-30"), dated.covers(on="2025-10-01"),
                dated.covers(on="2025-12-31"), dated.covers(on="2026-01-01")) == \
            (False, True, True, False)
        parts = [write(tmp_path / f"ccipra-v321r0-f{i}.txt", rows) for i in (1, 2)]
        assert ncci.load_ptp(parts).coverage() == (D(2026, 4, 1), D(2026, 6, 30))
        saved = tmp_path / "saved.ckt"
        dated.save(saved)
        assert ncci.load_ptp(saved).coverage() == (D(2025, 10, 1), D(2025, 12, 31))
        aoc = ncci.load_addon(write(tmp_path / "AOC_V2026Q2-MCR.csv",
                                    "add_on_code,primary_code,aoc_edit_type\n17003,17000,1\n"))
        assert aoc.coverage() == (D(2026, 4, 1), D(2026, 6, 30)) and aoc.covers(on="2026-05-01")

    def test_a_table_whose_name_names_no_quarter_describes_no_date(self, tmp_path: Path
                                                                   ) -> None:
        """Its rows carry their own dates, but edits CMS added after the file are not in
        it: it covers no date (the library answers from it with a note for every date)."""
        ptp = ncci.load_ptp(write(
            tmp_path / "ptp_practitioner.csv", "column_1,column_2,effective_date,"
            "deletion_date,modifier_indicator\n20610,99213,2020-01-01,*,1\n"))
        aoc = ncci.load_addon(write(tmp_path / "aoc.csv",
                                    "add_on_code,primary_code,aoc_edit_type\n17003,17000,1\n"))
        for t in (ptp, aoc):
            assert t.coverage() is None
            assert not t.covers(on="2025-11-03") and not t.covers(on="2020-01-01")
        assert ptp.pair("20610", "99213", on="2025-11-03").modifier_indicator == 1
        # a name whose date is not one is undated too (as the library reads it)
        bad = ncci.load_ptp(write(tmp_path / "ptp_practitioner_2019q5.csv",
                                  (tmp_path / "ptp_practitioner.csv").read_text()))
        assert bad.coverage() is None

    def test_mue_coverage(self, tmp_path: Path) -> None:
        p = write(tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv",
                  "code,mue,mai\n0001U,1,2\n")
        t = ncci.load_mue(p)
        assert t.coverage() == (D(2026, 4, 1), D(2026, 6, 30))
        assert t.covers(on="2026-04-01") and not t.covers(on="2026-07-01")
        # the last quarter a date can have ends on 9999-12-31 (its end was a ValueError)
        late = ncci.load_mue(p, effective="9999-10-01")
        assert (late.end, late.coverage()) == (D(9999, 12, 31),
                                               (D(9999, 10, 1), D(9999, 12, 31)))
        assert late.get("0001U", on="9999-12-31").units == 1
        bare = ncci.MueTable({"99213": (1, 3, "")}, {"setting": "practitioner"})
        assert bare.coverage() is None and not bare.covers(on="2025-10-01")
