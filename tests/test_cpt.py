"""Tests for codekit.cpt: CPT codes by date, sections, flags, licensed descriptors.

The descriptor files written here hold made-up text (no AMA descriptor is ever used in
codekit's tests).
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from codekit import cpt
from codekit.errors import DataError, InvalidArgument, InvalidFormat, NotValidOnDate, UnknownCode
from codekit.ncci import MalformedFile
from codekit.procedure import ProcedureStore

D = dt.date
DOS = "2025-02-01"


@pytest.fixture
def store() -> ProcedureStore:
    """A private store, so loading descriptors does not touch the process default."""
    return ProcedureStore()


class TestVerbs:
    def test_compact_format(self) -> None:
        """compact and format give the upper-case 5-character code."""
        assert cpt.compact(" 0001u ") == "0001U"
        assert cpt.format("99213") == "99213"

    def test_parse_categories(self) -> None:
        """Each CPT layout parses into its category."""
        assert [cpt.parse(c).category for c in
                ("99213", "0001A", "0002M", "1036F", "0042T", "0001U")] == \
            ["category_i", "vaccine", "maaa", "category_ii", "category_iii", "pla"]

    def test_bare_code_with_modifier(self) -> None:
        """'99213-25' is not a bare CPT code."""
        with pytest.raises(InvalidFormat, match="modifier is attached"):
            cpt.validate("99213-25", on=DOS)

    def test_level_ii_rejected(self) -> None:
        """A Level II code is not a CPT code; is_valid says False."""
        with pytest.raises(InvalidFormat):
            cpt.validate("G0121", on=DOS)
        assert cpt.is_valid("G0121", on=DOS) is False


class TestDates:
    def test_99201(self) -> None:
        """99201: valid on 2020-06-01, NotValidOnDate from 2021-01-01."""
        assert cpt.is_valid("99201", on="2020-06-01")
        assert cpt.is_valid("99201", on="2020-12-31")
        with pytest.raises(NotValidOnDate) as ei:
            cpt.validate("99201", on="2021-01-01")
        assert ei.value.valid_ranges == ((D(2019, 7, 1), D(2020, 12, 31)),)

    @pytest.mark.parametrize("code", ["99241", "99220"])
    def test_deleted_2023(self, code: str) -> None:
        """99241 and 99220: valid through 2022, not from 2023-01-01."""
        assert cpt.validate(code, on="2022-12-31").valid
        with pytest.raises(NotValidOnDate) as ei:
            cpt.validate(code, on="2023-01-01")
        assert ei.value.valid_ranges == ((D(2019, 7, 1), D(2022, 12, 31)),)

    def test_added_later(self) -> None:
        """0001A (COVID-19 vaccine administration) is in the IOCE from the 2020-10-01
        quarter to 2023-12-31, but may be reported only from its marketing date,
        2020-12-11, to the end of its authorization, 2023-04-17 (day precision)."""
        with pytest.raises(NotValidOnDate, match="takes effect on 2020-12-11"):
            cpt.validate("0001A", on="2020-06-01")
        with pytest.raises(NotValidOnDate, match="initial marketing date on 2020-12-11"):
            cpt.validate("0001A", on="2020-10-01")
        e = cpt.lookup("0001A", on=DOS)
        assert e.valid is False
        assert e.valid_ranges == ((D(2020, 12, 11), D(2023, 4, 17)),)
        assert e.min_age == 12

    def test_lookup_keeps_old_codes(self) -> None:
        """lookup answers for a deleted code with valid=False."""
        e = cpt.lookup("99201", on=DOS)
        assert (e.valid, e.section, e.subsection) == \
            (False, "Evaluation and Management", "Office and outpatient visits")

    def test_unknown_with_suggestions(self) -> None:
        """00000 is in no quarter: UnknownCode, PROC_CODE_UNKNOWN, system cpt."""
        with pytest.raises(UnknownCode) as ei:
            cpt.validate("00000", on=DOS)
        err = ei.value
        assert (err.code, err.system, err.on) == ("PROC_CODE_UNKNOWN", "cpt", D(2025, 2, 1))
        assert isinstance(err.suggestions, tuple)


class TestEntries:
    @pytest.mark.parametrize(("code", "section", "subsection"), [
        ("00100", "Anesthesia", "Head"),
        ("27447", "Surgery", "Bones, joints and muscles"),
        ("17003", "Surgery", "Skin and breast"),
        ("36415", "Surgery", "Heart and vessels"),
        ("55250", "Surgery", "Male genital organs"),
        ("64484", "Surgery", "Nervous system"),
        ("70450", "Radiology", "Diagnostic imaging"),
        ("80053", "Pathology and Laboratory", "Lab panels"),
        ("93000", "Medicine", "Heart and vessels"),
        ("99213", "Evaluation and Management", "Office and outpatient visits"),
        ("99292", "Evaluation and Management", "Critical care"),
        ("0001U", "Pathology and Laboratory", "Proprietary lab tests"),
        ("1036F", "Category II (Performance Measurement)", "History"),
        ("0042T", "Category III (Emerging Technology)", None),
    ])
    def test_sections(self, code: str, section: str, subsection: str | None) -> None:
        """Sections and subsections by range."""
        e = cpt.validate(code, on=DOS)
        assert (e.section, e.subsection) == (section, subsection)

    def test_subsections_are_codekits_own_short_words(self) -> None:
        """A DME and drug coder's review (2026-12-06), item 9: ``codekit lookup 96413`` printed
        CPT's subsection heading of 96360-96549 verbatim (AMA text). The subsections are codekit's
        own short words, the ranges unchanged."""
        from codekit._procedures._sections import _CATEGORY_II, SUBSECTIONS
        e = cpt.validate("96413", on=DOS)
        assert e.subsection == "Injections, infusions and chemotherapy administration"
        assert ("96360", "96549", "Medicine",
                "Injections, infusions and chemotherapy administration") in SUBSECTIONS
        assert len(SUBSECTIONS) == 126  # every range kept
        names = [n for *_, n in SUBSECTIONS] + [n for *_, n in _CATEGORY_II]
        assert max(map(len, names)) <= 55
        for n in names:  # sentence case, none of CPT's heading punctuation
            assert n[:1].isupper() and n[1:] == n[1:].lower(), n
            assert not any(ch in n for ch in "()/"), n

    def test_flags(self) -> None:
        """Bilateral designation, add-on type, status indicator, age limits."""
        assert cpt.validate("27447", on=DOS).bilateral == "conditional"
        assert cpt.validate("55250", on=DOS).bilateral == "inherent"
        e = cpt.validate("99292", on=DOS)
        assert (e.addon_type, e.is_addon) == (1, True)
        assert cpt.validate("17003", on=DOS).addon_type == 1
        e = cpt.validate("99381", on=DOS)
        assert (e.min_age, e.max_age, e.status_indicator) == (None, 0, "E1")
        assert e.status_description
        assert "non_covered" in e.flags
        assert cpt.validate("99213", on=DOS).release == "IOCE 26.0.5"

    def test_no_title_without_licence(self, store: ProcedureStore) -> None:
        """Without a loaded descriptor file, CPT entries have no title."""
        assert cpt.validate("99213", on=DOS, store=store).title is None

    def test_search_needs_descriptors(self, store: ProcedureStore) -> None:
        """search explains that CPT text must be loaded by the user."""
        with pytest.raises(DataError, match="load_descriptors"):
            cpt.search("office visit", store=store)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class TestDescriptors:
    def test_tab_file(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A tab-separated file gives titles and makes search work."""
        f = _write(tmp_path / "mine.txt", "code\tdescriptor\n"
                   "99213\tcodekit test text, established patient alpha\n"
                   "27447\tcodekit test text, knee bravo\n")
        d = cpt.load_descriptors(f, store=store)
        assert len(d) == 2
        assert cpt.validate("99213", on=DOS, store=store).title == \
            "codekit test text, established patient alpha"
        hits = cpt.search("knee bravo", on=DOS, store=store)
        assert hits[0].code == "27447"
        cpt.unload_descriptors(store=store)
        assert cpt.validate("99213", on=DOS, store=store).title is None

    def test_comma_file_quoted(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A comma-separated file may quote descriptors that contain commas."""
        f = _write(tmp_path / "mine.csv",
                   '99213,"codekit test, with a comma"\n27447,codekit test, unquoted\n')
        cpt.load_descriptors(f, store=store)
        assert cpt.lookup("99213", store=store, on=DOS).title == "codekit test, with a comma"
        assert cpt.lookup("27447", store=store, on=DOS).title == "codekit test, unquoted"

    def test_space_separated(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A line of code, spaces, descriptor is read too."""
        f = _write(tmp_path / "mine.txt", "99213   codekit test spaced\n")
        cpt.load_descriptors(f, store=store)
        assert cpt.lookup("99213", store=store, on=DOS).title == "codekit test spaced"

    def test_malformed_row_names_file_and_line(self, tmp_path: Path,
                                               store: ProcedureStore) -> None:
        """A bad row raises MalformedFile with file and line, or is collected."""
        f = _write(tmp_path / "mine.txt", "99213\tcodekit test a\nG0121\tcodekit test b\n"
                   "27447\t\n")
        with pytest.raises(MalformedFile) as ei:
            cpt.load_descriptors(f, store=store)
        assert (ei.value.line, Path(ei.value.path).name) == (2, "mine.txt")
        assert "mine.txt:2:" in str(ei.value)
        d = cpt.load_descriptors(f, errors="collect", store=store)
        assert [(p.line, p.reason) for p in d.problems] == \
            [(2, "not a CPT code: 'G0121'"), (3, "no descriptor after 27447")]
        assert d.titles == {"99213": "codekit test a"}
        # pickled (a spawned worker, a pickled store), read again as it was read
        back = pickle.loads(pickle.dumps(d))
        assert ([p.line for p in back.problems], back.titles) == \
            ([2, 3], {"99213": "codekit test a"})
        s2 = pickle.loads(pickle.dumps(store))
        assert cpt.lookup("99213", on=DOS, store=s2).title == "codekit test a"

    def test_bad_errors_argument(self, tmp_path: Path, store: ProcedureStore) -> None:
        """errors= takes 'raise' or 'collect'."""
        with pytest.raises(InvalidArgument):
            cpt.load_descriptors(tmp_path / "x.txt", errors="ignore", store=store)

    def test_missing_file(self, store: ProcedureStore) -> None:
        """A missing file is a DataError."""
        with pytest.raises(DataError):
            cpt.load_descriptors("/nonexistent/cpt.txt", store=store)

    def test_store_pickles_with_descriptors(self, tmp_path: Path,
                                            store: ProcedureStore) -> None:
        """A store pickles by path and reloads the user's descriptor file on unpickling."""
        f = _write(tmp_path / "mine.txt", "99213\tcodekit test text\n")
        cpt.load_descriptors(f, store=store)
        blob = pickle.dumps(store)
        assert b"codekit test text" not in blob
        s2 = pickle.loads(blob)
        assert cpt.lookup("99213", on=DOS, store=s2).title == "codekit test text"


def test_suggest() -> None:
    """suggest returns valid CPT codes near a typo, best first."""
    assert cpt.suggest("99Z13", on=DOS)[0] == "99213"
    assert "99213" in cpt.suggest("92913", on=DOS)[:2]  # swapped neighbours
    assert all(cpt.is_valid(c, on=DOS) for c in cpt.suggest("2744", on=DOS))
    with pytest.raises(InvalidArgument):
        cpt.suggest("99213", limit=0)
