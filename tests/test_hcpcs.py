"""Tests for codekit.hcpcs: Level II codes by date, and the CMS quarterly HCPCS file.

Synthetic HCPCS files are built here in the CMS fixed-width layout with made-up
descriptions; the real October 2025 file is read from ``../shared/data/reference/`` when
present.
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from codekit import cpt, hcpcs, modifiers, procedure
from codekit.errors import DataError, InvalidFormat, NotValidOnDate, UnknownCode
from codekit.ncci import MalformedFile
from codekit.procedure import ProcedureStore
from tests.conftest import REFERENCE
from tests.fuzz.mutate import anweb_record as record

REF = REFERENCE
ANWEB = REF / "hcpcs_2025q4" / "HCPC2025_OCT_ANWEB.xlsx"
D = dt.date
DOS = "2025-02-01"


@pytest.fixture
def store() -> ProcedureStore:
    """A private store, so loaded files do not leak into the process default."""
    return ProcedureStore()




def anweb(tmp_path: Path, name: str, records: list[str], preamble: bool = True) -> Path:
    lines = ["Note regarding coverage and payment indicators (made-up preamble)", ""] \
        if preamble else []
    path = tmp_path / name
    path.write_text("\r\n".join([*lines, *records]) + "\r\n", encoding="latin-1")
    return path


class TestBundled:
    def test_g0121(self) -> None:
        """G0121 is a Level II code with its CMS short descriptor."""
        e = hcpcs.validate("g0121", on=DOS)
        assert (e.code, e.system, e.category) == ("G0121", "hcpcs", "level_ii")
        assert e.short_description == "Colon ca scrn not hi rsk ind"
        assert e.title == e.short_description
        assert e.long_description is None
        assert e.section == "procedures and professional services (temporary)"
        assert e.status_indicator == "T"

    def test_j3490(self) -> None:
        """J3490 is valid throughout the bundled quarters."""
        e = hcpcs.validate("J3490", on=DOS)
        assert e.valid_ranges == ((D(2019, 7, 1), None),)
        assert e.short_description == "Drugs unclassified injection"

    def test_format_and_unknown(self) -> None:
        """W1234 is malformed; G0000 is well formed but unknown."""
        with pytest.raises(InvalidFormat):
            hcpcs.validate("W1234", on=DOS)
        with pytest.raises(UnknownCode) as ei:
            hcpcs.validate("G0000", on=DOS)
        assert ei.value.system == "hcpcs"
        assert all(hcpcs.is_valid(c, on=DOS) for c in ei.value.suggestions)

    def test_terminated_mid_data(self) -> None:
        """M0246 is in the IOCE quarters from 2021-04-01 to 2023-12-31, and may be
        reported from its ADD DT, 2021-05-06, to its TERM DT, 2023-12-13, in CMS's HCPCS
        file (day precision; the I/OCE's approval period ends a day later, 2023-12-14,
        an outpatient edit)."""
        e = hcpcs.lookup("M0246", on=DOS)
        assert e.valid is False
        assert e.valid_ranges == ((D(2021, 5, 6), D(2023, 12, 13)),)
        with pytest.raises(NotValidOnDate, match="deleted after 2023-12-13"):
            hcpcs.validate("M0246", on="2024-01-01")
        with pytest.raises(NotValidOnDate, match="deleted after 2023-12-13"):
            hcpcs.validate("M0246", on="2023-12-14")
        assert hcpcs.is_valid("M0246", on="2023-12-13")
        assert procedure.date_limit("M0246", on="2023-12-14").terminated == D(2023, 12, 14)

    def test_dental_codes_have_no_text(self) -> None:
        """CDT (D) codes are known by number only: their ADA descriptors are not shipped."""
        e = hcpcs.lookup("D0120", on=DOS)
        assert e.short_description is None
        assert e.section.startswith("dental")

    def test_search(self) -> None:
        """search matches the short descriptors."""
        assert hcpcs.search("unclassified drugs injection", on=DOS)[0].code == "J3490"
        assert hcpcs.search("colon ca scrn not hi rsk", on=DOS)[0].code == "G0121"

    def test_suggest(self) -> None:
        """suggest fixes an l typed for a 1."""
        assert hcpcs.suggest("G012l", on=DOS)[0] == "G0121"
        assert all(c[0].isalpha() for c in hcpcs.suggest("G0000", on=DOS))

    @pytest.mark.parametrize(("typed", "meant"), [
        ("EO6O1", "E0601"), ("GO43B", "G0438"), ("KOOO1", "K0001")])
    def test_two_letters_typed_for_digits(self, typed: str, meant: str) -> None:
        """A DME biller's EO6O1 (two O's for zeros): no one-character change is a code, and
        the did-you-mean put E0161 first and E0601 (CPAP) fourth; the reading of every
        letter in a digit's place as that digit comes first, in the error's fix too."""
        assert hcpcs.suggest(typed, on=DOS)[0] == meant
        with pytest.raises(InvalidFormat) as ei:
            hcpcs.validate(typed, on=DOS)
        assert ei.value.fix[0] == meant

    def test_suggest_gives_no_level_ii_look_alike_of_a_cpt_code(self) -> None:
        """A DME and drug coder's review (2026-12-06), item 9: hcpcs.suggest("99213") put D9913 (a
        dental code) first. A CPT code is no typo of a Level II one (validate names codekit.cpt and
        proposes none): no suggestion; a CPT-shaped string no system knows keeps its look-alikes."""
        for code in ("99213", "0001U", "99213-25"):
            assert hcpcs.suggest(code, on=DOS) == [], code
        assert cpt.suggest("J1885", on=DOS) == []
        assert cpt.suggest("99213", on=DOS)[0] == "99213"
        assert hcpcs.suggest("60121", on=DOS)[0] == "G0121"  # 6 typed for G


class TestSyntheticRelease:
    """A made-up HCPCS file for July 2026 (after the bundled data ends)."""

    def file(self, tmp_path: Path) -> Path:
        return anweb(tmp_path, "HCPC2026_JUL_ANWEB.txt", [
            record("G0121", "3", "codekit test long text for g0121", "codekit g0121 short",
                   "19980101", "20260701", "20260930", "C"),
            record("Q5999", "3", "codekit test new code whose long description continues",
                   "codekit q5999 short", "20260701", "20260701", "", "A"),
            record("Q5999", "4", "on a second record", seq="00200"),
            record("J3490", "3", "codekit test drugs", "codekit j3490", "19960101",
                   "19960101"),
            record("JG", "7", "codekit test modifier jg", "codekit jg", "20180101",
                   "20250101", "20241231"),
            record("X9", "7", "codekit test new modifier", "codekit x9", "20260701",
                   "20260701", "", "A"),
            record("RT", "7", "codekit test right side", "codekit rt", "19840101",
                   "19970101"),
        ])

    def test_load(self, tmp_path: Path, store: ProcedureStore) -> None:
        """The fixed-width file loads: effective date from the name, continuation records."""
        rel = hcpcs.load_release(self.file(tmp_path), store=store)
        assert rel.effective == D(2026, 7, 1)
        assert sorted(rel.codes) == ["G0121", "J3490", "Q5999"]
        assert sorted(rel.modifiers) == ["JG", "RT", "X9"]
        assert rel.codes["Q5999"].long_description == \
            "codekit test new code whose long description continues on a second record"
        assert hcpcs.releases(store=store) == [rel]

    def test_newer_quarter(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A file newer than the bundled data answers from its effective date on."""
        hcpcs.load_release(self.file(tmp_path), store=store)
        assert not hcpcs.is_valid("Q5999", on="2026-06-30", store=store)
        e = hcpcs.validate("Q5999", on="2026-07-15", store=store)
        assert e.long_description.startswith("codekit test new code")
        assert e.release == "HCPC2026_JUL_ANWEB"
        assert e.valid_ranges == ((D(2026, 7, 1), None),)
        assert e.note is None
        # G0121 is terminated by the file on 2026-09-30.
        assert hcpcs.is_valid("G0121", on="2026-09-30", store=store)
        with pytest.raises(NotValidOnDate) as ei:
            hcpcs.validate("G0121", on="2026-10-01", store=store)
        assert ei.value.valid_ranges == ((D(2019, 7, 1), D(2026, 9, 30)),)
        # A Level II code absent from the file is not valid while the file answers.
        assert hcpcs.is_valid("A9999", on="2026-06-30", store=store)
        assert not hcpcs.is_valid("A9999", on="2026-08-01", store=store)
        # CPT codes are unaffected.
        from codekit import cpt

        assert cpt.is_valid("99213", on="2026-08-01", store=store)

    def test_modifiers_from_release(self, tmp_path: Path, store: ProcedureStore) -> None:
        """Level II modifiers take their dates and descriptions from the file."""
        hcpcs.load_release(self.file(tmp_path), store=store)
        m = modifiers.validate("X9", on="2026-07-02", store=store)
        assert m.description == "codekit test new modifier"
        assert not modifiers.is_valid("X9", on="2026-06-01", store=store)
        assert modifiers.lookup("RT", on="2026-08-01", store=store).description == \
            "codekit test right side"
        assert modifiers.is_valid("25", on="2026-08-01", store=store)  # CPT: bundled

    def test_unload(self, tmp_path: Path, store: ProcedureStore) -> None:
        """unload_releases returns to the bundled answers."""
        hcpcs.load_release(self.file(tmp_path), store=store)
        hcpcs.unload_releases(store=store)
        assert not hcpcs.is_valid("Q5999", on="2026-07-15", store=store)
        assert hcpcs.lookup("G0121", on=DOS, store=store).long_description is None

    def test_older_file_answers_its_quarter_only(self, tmp_path: Path,
                                                  store: ProcedureStore) -> None:
        """A file for a quarter the bundled data covers answers only until the next one."""
        f = anweb(tmp_path, "HCPC2025_OCT_ANWEB.txt", [
            record("Q5999", "3", "codekit test", "codekit", "20251001", "20251001")])
        hcpcs.load_release(f, store=store)
        assert hcpcs.is_valid("Q5999", on="2025-12-31", store=store)
        assert not hcpcs.is_valid("Q5999", on="2026-01-01", store=store)
        assert not hcpcs.is_valid("G0121", on="2025-11-01", store=store)  # not in the file
        assert hcpcs.is_valid("G0121", on="2026-02-01", store=store)
        # Long text is shown whatever the date.
        assert hcpcs.lookup("Q5999", on="2026-02-01", store=store).long_description == \
            "codekit test"

    def test_csv_export(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A CSV saved from the workbook reads by column name."""
        f = tmp_path / "hcpcs_export.csv"
        f.write_text("HCPC,SEQNUM,RECID,LONG DESCRIPTION,SHORT DESCRIPTION,ADD DT,"
                     "ACT EFF DT,TERM DT,ACTION CD\n"
                     "Q5999,0010,3,\"codekit test, csv\",codekit,20260701,20260701,,A\n"
                     "   X9,0010,7,codekit modifier,codekit,20260701,20260701,,A\n",
                     encoding="utf-8")
        rel = hcpcs.load_release(f, store=store)
        assert rel.effective == D(2026, 7, 1)  # quarter of the latest ACT EFF DT
        assert rel.codes["Q5999"].long_description == "codekit test, csv"
        assert "X9" in rel.modifiers

    def test_malformed(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A bad date names the file and line; errors='collect' keeps going."""
        f = anweb(tmp_path, "HCPC2026_JUL_ANWEB.txt", [
            record("Q5999", "3", "codekit test", "codekit", "20260701", "20260701"),
            record("Q5998", "3", "codekit test", "codekit", "2026O701", "20260701"),
        ])
        with pytest.raises(MalformedFile) as ei:
            hcpcs.load_release(f, store=store)
        assert ei.value.line == 4
        assert "HCPC2026_JUL_ANWEB.txt:4:" in str(ei.value)
        rel = hcpcs.load_release(f, errors="collect", store=store)
        assert [p.line for p in rel.problems] == [4]
        assert list(rel.codes) == ["Q5999"]
        # pickled (a spawned worker of check_many, a pickled store), it is read again as
        # it was read: the row problem collected, not a MalformedFile
        back = pickle.loads(pickle.dumps(rel))
        assert ([p.line for p in back.problems], list(back.codes)) == ([4], ["Q5999"])
        s2 = pickle.loads(pickle.dumps(store))
        assert hcpcs.is_valid("Q5999", on="2026-07-15", store=s2)

    def test_not_a_hcpcs_file(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A file without HCPCS records is a DataError."""
        f = tmp_path / "other.csv"
        f.write_text("a,b\n1,2\n", encoding="utf-8")
        with pytest.raises(DataError, match="no HCPCS header"):
            hcpcs.load_release(f, store=store)

    def test_pickle(self, tmp_path: Path, store: ProcedureStore) -> None:
        """A store with a release pickles by path and reloads the file."""
        hcpcs.load_release(self.file(tmp_path), store=store)
        s2 = pickle.loads(pickle.dumps(store))
        assert hcpcs.is_valid("Q5999", on="2026-07-15", store=s2)


@pytest.mark.slow
class TestRealAnweb:
    """The CMS HCPCS file of October 2025, exactly as CMS publishes it (xlsx)."""

    @pytest.fixture
    def loaded(self, store: ProcedureStore) -> ProcedureStore:
        if not ANWEB.exists():
            pytest.skip(f"reference file absent: {ANWEB}")
        hcpcs.load_release(ANWEB, store=store)
        return store

    def test_counts(self, loaded: ProcedureStore) -> None:
        """8,463 codes and 383 modifiers, effective 2025-10-01, no problems."""
        rel = hcpcs.releases(store=loaded)[0]
        assert (len(rel.codes), len(rel.modifiers)) == (8463, 383)
        assert rel.effective == D(2025, 10, 1)
        assert rel.problems == ()

    def test_long_descriptions(self, loaded: ProcedureStore) -> None:
        """Entries get the CMS long descriptor."""
        e = hcpcs.validate("G0121", on="2025-11-01", store=loaded)
        assert e.long_description == ("Colorectal cancer screening; colonoscopy on "
                                      "individual not meeting criteria for high risk")
        assert e.release == "HCPC2025_OCT_ANWEB"
        hits = hcpcs.search("colonoscopy individual not meeting criteria for high risk",
                            on="2025-11-01", store=loaded)
        assert hits[0].code == "G0121"

    def test_jg(self, loaded: ProcedureStore) -> None:
        """JG: TERM DT 20241231 in the file, the same end as the bundled data."""
        rec = hcpcs.releases(store=loaded)[0].modifiers["JG"]
        assert rec.terminated == D(2024, 12, 31)
        m = modifiers.lookup("JG", on="2025-11-01", store=loaded)
        assert m.valid is False
        assert m.description.startswith("Drug or biological acquired with 340b")
        assert modifiers.validate("TB", on="2025-11-01", store=loaded).valid

    def test_agrees_with_ioce_quarter(self, loaded: ProcedureStore) -> None:
        """Level II codes valid on 2025-10-01 by the file and by the IOCE quarter mostly
        agree (the IOCE also lists D codes and drops some codes CMS keeps)."""
        from codekit.procedure import default_store

        rel = hcpcs.releases(store=loaded)[0]
        by_file = {c for c, r in rel.codes.items() if r.valid_on(D(2025, 10, 1))}
        base = default_store()
        q = base.quarters.index(D(2025, 10, 1))
        by_ioce = {c for c in base.codes.codes_in(q) if c[0].isalpha() and c[0] != "D"}
        both = by_file & by_ioce
        assert len(both) / len(by_file | by_ioce) > 0.9


class TestFileWithoutCdtCodes:
    """The CMS HCPCS file leaves out the CDT (D) codes (the ADA's copyright): a loaded
    file says nothing of them, and the bundled quarters keep answering."""

    def test_synthetic_file(self, tmp_path: Path, store: ProcedureStore) -> None:
        f = anweb(tmp_path, "HCPC2025_OCT_ANWEB.txt", [
            record("G0121", "3", "codekit test long text for g0121", "codekit g0121 short",
                   "19980101", "19980101")])
        hcpcs.load_release(f, store=store)
        e = hcpcs.validate("D0120", on="2025-11-01", store=store)
        assert (e.valid, e.covered, e.release) == (True, True, "IOCE 26.3.2")
        assert e.valid_ranges == ((D(2019, 7, 1), None),)
        # a Level II code of another letter absent from the file is still not valid
        assert not hcpcs.is_valid("J3490", on="2025-11-01", store=store)

    def test_a_file_with_d_codes_answers_for_them(self, tmp_path: Path,
                                                  store: ProcedureStore) -> None:
        f = anweb(tmp_path, "HCPC2025_OCT_ANWEB.txt", [
            record("D0140", "3", "codekit test dental", "codekit d0140", "19950101",
                   "19950101")])
        hcpcs.load_release(f, store=store)
        assert hcpcs.is_valid("D0140", on="2025-11-01", store=store)
        assert not hcpcs.is_valid("D0120", on="2025-11-01", store=store)

    def test_real_file(self, store: ProcedureStore) -> None:
        if not ANWEB.exists():
            pytest.skip(f"reference file absent: {ANWEB}")
        rel = hcpcs.load_release(ANWEB, store=store)
        assert not rel.has_cdt
        for code in ("D0120", "D2740", "D7140"):
            e = hcpcs.validate(code, on="2025-11-01", store=store)
            assert (e.valid, e.covered) == (True, True)
            assert e.valid_ranges == ((D(2019, 7, 1), None),)
        # the file's own codes: long text, and the file answers
        e = hcpcs.validate("A2036", on="2025-10-01", store=store)
        assert (e.release, e.valid_ranges) == ("HCPC2025_OCT_ANWEB", ((D(2025, 10, 1), None),))
        assert e.long_description == rel.codes["A2036"].long_description
        # outside the file's quarter the bundled quarter answered: its release says so
        e = hcpcs.lookup("G0121", on="2025-09-30", store=store)
        assert (e.release, e.long_description[:27]) == ("IOCE 26.2.3",
                                                        "Colorectal cancer screening")
