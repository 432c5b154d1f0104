"""Tests for codekit.modifiers: modifiers by date, anatomic meanings, NCCI association."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from codekit import modifiers
from codekit.errors import InvalidModifier, ValidationError
from codekit.procedure import default_store

D = dt.date
DOS = "2025-02-01"


class TestValidity:
    def test_jg(self) -> None:
        """JG (340B) is valid through 2024-12-31 and not after (replaced by TB)."""
        assert modifiers.is_valid("JG", on="2024-12-31")
        with pytest.raises(modifiers.ModifierNotValidOnDate) as ei:
            modifiers.validate("JG", on="2025-01-01")
        e = ei.value
        assert isinstance(e, InvalidModifier) and isinstance(e, ValidationError)
        assert (e.code, e.on) == ("MOD_INVALID", D(2025, 1, 1))
        assert e.valid_ranges == ((D(2019, 7, 1), D(2024, 12, 31)),)
        assert "discontinued after 2024-12-31" in str(e)
        e2 = pickle.loads(pickle.dumps(e))
        assert (e2.valid_ranges, e2.on) == (e.valid_ranges, e.on)
        assert modifiers.validate("TB", on="2025-01-01").valid

    def test_jg_after_2024_names_tb(self) -> None:
        """CMS ended JG on 2024-12-31 and every 340B-acquired drug takes TB from
        2025-01-01 (spec E1): the error's fix and the entry's ``replacements`` say TB, as a
        discontinued Level II code names its cross-reference (G2012 -> 98016); the fix was
        empty."""
        with pytest.raises(modifiers.ModifierNotValidOnDate) as ei:
            modifiers.validate("jg", on="2025-01-01")
        assert (ei.value.fix, ei.value.replacements) == (("TB",), ("TB",))
        assert "report TB in its place" in str(ei.value)
        assert pickle.loads(pickle.dumps(ei.value)).fix == ("TB",)
        assert modifiers.lookup("JG", on="2025-06-01").replacements == ("TB",)
        # valid (the last day), another ended modifier (MA: the AUC program ended), TB
        assert modifiers.lookup("JG", on="2024-12-31").replacements == ()
        assert modifiers.lookup("MA", on="2025-06-01").replacements == ()
        assert modifiers.lookup("TB", on="2025-06-01").replacements == ()

    def test_unknown(self) -> None:
        """88 is no modifier: InvalidModifier with MOD_INVALID."""
        with pytest.raises(InvalidModifier) as ei:
            modifiers.validate("88", on=DOS)
        assert ei.value.code == "MOD_INVALID"
        assert not isinstance(ei.value, modifiers.ModifierNotValidOnDate)

    @pytest.mark.parametrize("text", ["1", "ABC", "", "2 5 9", "R-T"])
    def test_format(self, text: str) -> None:
        """A modifier is 2 letters or digits."""
        with pytest.raises(InvalidModifier, match="2 letters or digits"):
            modifiers.validate(text, on=DOS)

    @pytest.mark.parametrize("junk", [None, 25, b"25", ["25"], object()])
    def test_junk(self, junk: object) -> None:
        """Non-text raises InvalidModifier; is_valid says False."""
        with pytest.raises(InvalidModifier):
            modifiers.validate(junk, on=DOS)
        assert modifiers.is_valid(junk) is False

    def test_clean_up(self) -> None:
        """Lower case, spaces and a leading hyphen are accepted."""
        assert modifiers.validate(" -rt ", on=DOS).code == "RT"
        assert modifiers.compact("xs") == "XS"
        assert modifiers.parse("xs") == modifiers.ModifierCode("XS")

    def test_levels(self) -> None:
        """CPT modifiers are digits (and 8P); the rest are Level II."""
        assert [modifiers.lookup(m, on=DOS).level for m in ("25", "8P", "RT", "XS")] == \
            ["cpt", "cpt", "hcpcs", "hcpcs"]

    def test_placeholders_are_not_modifiers(self) -> None:
        """IOCE-internal '#' rows are not shipped as modifiers."""
        assert not any(m.startswith("#") for m in default_store().modifiers.masks)
        assert len(default_store().modifiers.masks) == 417

    def test_category_ii_modifiers(self) -> None:
        """1P, 2P and 3P, the CPT Category II exclusion modifiers practitioners report with
        a Category II code (CPT Appendix A; CMS MLN Matters MM6514), are not in the IOCE
        list; the build adds them (``CPT_MODIFIERS``) in every quarter, as 8P is."""
        for day in ("2019-07-01", "2024-07-01", "2026-04-01"):
            assert [modifiers.is_valid(m, on=day) for m in ("1P", "2P", "3P", "8P")] == \
                [True] * 4
        entry = modifiers.lookup("2P", on=DOS)
        assert (entry.level, entry.ncci_associated, entry.flags, entry.valid_ranges) == \
            ("cpt", False, (), ((dt.date(2019, 7, 1), None),))
        assert entry.label == "performance measure exclusion, for the patient's reason"
        assert modifiers.validate("1p", on=DOS).code == "1P"
        with pytest.raises(InvalidModifier):
            modifiers.validate("4P", on=DOS)

    def test_every_cpt_modifier_of_the_cms_2024_list(self) -> None:
        """Each CPT modifier of the CMS 2024 modifier list (read from ``../shared``; the
        list gives no dates, and Level II modifiers it lists have ended) is valid in
        2024."""
        import csv

        from tests.conftest import reference

        with reference("northstar_2024q3", "modifiers_2024.csv").open() as f:
            cpt = {r["modifier"] for r in csv.DictReader(f) if r["type"] == "CPT"}
        assert len(cpt) == 49
        assert sorted(m for m in cpt if not modifiers.is_valid(m, on="2024-07-01")) == []


SIDES = {
    "RT": ("right", None), "LT": ("left", None), "50": ("bilateral", None),
    "E1": ("left", "eyelid"), "E2": ("left", "eyelid"), "E3": ("right", "eyelid"),
    "E4": ("right", "eyelid"), "FA": ("left", "hand"), "F5": ("right", "hand"),
    "TA": ("left", "foot"), "T5": ("right", "foot"), "LC": ("left", "coronary artery"),
    "LD": ("left", "coronary artery"), "LM": ("left", "coronary artery"),
    "RC": ("right", "coronary artery"), "RI": (None, "coronary artery"),
    **{f"F{i}": ("left", "hand") for i in range(1, 5)},
    **{f"F{i}": ("right", "hand") for i in range(6, 10)},
    **{f"T{i}": ("left", "foot") for i in range(1, 5)},
    **{f"T{i}": ("right", "foot") for i in range(6, 10)},
}


class TestMeanings:
    @pytest.mark.parametrize(("code", "side_region"), sorted(SIDES.items()))
    def test_anatomic(self, code: str, side_region: tuple[str | None, str | None]) -> None:
        """Every anatomic/laterality modifier carries its side and region."""
        m = modifiers.validate(code, on=DOS)
        assert (m.side, m.region) == side_region
        assert m.is_anatomic
        assert m.label

    @pytest.mark.parametrize(("code", "label"), [
        ("E1", "upper left eyelid"), ("E4", "lower right eyelid"),
        ("FA", "left hand, thumb"), ("F1", "left hand, second digit"),
        ("F9", "right hand, fifth digit"), ("TA", "left foot, great toe"),
        ("T5", "right foot, great toe"), ("T6", "right foot, second digit"),
        ("LD", "left anterior descending coronary artery"),
        ("RI", "ramus intermedius coronary artery"),
    ])
    def test_sites(self, code: str, label: str) -> None:
        """Sites as the CMS definitions give them."""
        assert modifiers.lookup(code, on=DOS).label == label

    @pytest.mark.parametrize(("code", "label"), [
        ("25", "significant, separately identifiable E/M service on the day of a procedure"),
        ("59", "distinct procedural service"), ("50", "bilateral procedure"),
        ("51", "multiple procedures"), ("XS", "separate structure or organ (a subset of 59)"),
    ])
    def test_functional_labels(self, code: str, label: str) -> None:
        """CPT modifiers get a short codekit-written label."""
        assert modifiers.lookup(code, on=DOS).label == label

    def test_every_active_cpt_modifier_has_a_label(self) -> None:
        """Each CPT modifier active today in the IOCE list has a codekit label."""
        s = default_store()
        q = s.quarters.index(D(2025, 2, 1))
        cpt_mods = [m for m in s.modifiers.codes_in(q) if modifiers.is_cpt_modifier(m)]
        assert len(cpt_mods) >= 40
        assert [m for m in cpt_mods if m not in modifiers.LABELS] == []


class TestNcci:
    def test_ncci_list_matches_ioce(self) -> None:
        """The NCCI-associated modifiers of the NCCI manual are those the IOCE flags."""
        s = default_store()
        q = s.quarters.index(D(2025, 2, 1))
        flagged = {m for m in s.modifiers.codes_in(q)
                   if modifiers.lookup(m, on=DOS).ncci_associated}
        assert flagged == modifiers.NCCI_ASSOCIATED
        assert len(flagged) == 44

    def test_flags(self) -> None:
        """Other IOCE flags are exposed (59 is NCCI-associated, 95 telehealth...)."""
        assert modifiers.lookup("59", on=DOS).ncci_associated
        assert not modifiers.lookup("JW", on=DOS).ncci_associated
        assert "telehealth" in modifiers.lookup("95", on=DOS).flags


def test_before_data() -> None:
    """Dates before 2019-07-01 are answered as of the first quarter, with a note."""
    m = modifiers.validate("RT", on="2015-01-01")
    assert m.note and "2019-07-01" in m.note
    assert not m.covered


def test_after_data() -> None:
    """A date after the last quarter is answered as of it, and says so, as a code's
    answer does (it was answered silently: no note, ``covered`` True)."""
    for code in ("25", "RT", "GA"):
        m = modifiers.lookup(code, on="2040-01-01")
        assert m.valid and not m.covered, code
        assert m.note is not None and m.note.startswith(
            "2040-01-01 is after the last quarter codekit's data describes (2026-04-01 to "
            "2026-06-30); answered as of that quarter."), code
    m = modifiers.validate("RT", on="2026-05-01")
    assert (m.covered, m.note) == (True, None)


def test_several_modifiers_in_one_place_are_cut_apart_and_junk_gets_no_fix() -> None:
    """25RT, 25,59 or RT-LT in one modifier place: the message says they may be several
    and the fix lists them (each active on the date); a procedure or diagnosis code
    written as a modifier gets no fix (G2211 got 22, 32, 52...); three characters try the
    modifiers one character less first (LTT: LT)."""
    cases = {"25RT": ("25", "RT"), "25,59": ("25", "59"), "RT-LT": ("RT", "LT"),
             "25 RT 59": ("25", "RT", "59"), "25,59,RT,LT": ("25", "59", "RT", "LT"),
             "25RT59LT50": (), "G2211": (), "E11.9": (), "0DTJ4ZZ": (),
             "E119": ()}  # E1 is a modifier, 19 none: no fix
    for raw, fix in cases.items():
        with pytest.raises(InvalidModifier) as info:
            modifiers.validate(raw, on="2025-11-03")
        assert info.value.fix == fix, raw
        if fix:
            assert f"if they are {len(fix)} modifiers ({', '.join(fix)}), give each its " \
                   "own place" in str(info.value), raw
    with pytest.raises(InvalidModifier) as info:
        modifiers.validate("LTT", on="2025-11-03")
    assert info.value.fix[0] == "LT"


def test_cms_x_shorthand_names_its_modifiers() -> None:
    """X{EPSU}, CMS's shorthand for XE/XP/XS/XU, is no modifier: the error says which
    modifiers it names, and they are its fix."""
    with pytest.raises(InvalidModifier, match="shorthand for the modifiers XE, XP, XS, XU") \
            as ei:
        modifiers.validate("X{EPSU}", on="2025-06-01")
    assert (ei.value.code, ei.value.fix) == ("MOD_INVALID", ("XE", "XP", "XS", "XU"))
    with pytest.raises(InvalidModifier) as ei:
        modifiers.validate(" x{ep} ", on="2025-06-01")
    assert ei.value.fix == ("XE", "XP")
    assert modifiers.suggest("X{SU}", on="2025-06-01") == ["XS", "XU"]


#: A coder's and a DME biller's modifier searches, each with the modifier meant, written
#: before the Level II labels were added (2026-12-07): 25 of the 35 came first then (MS, KR, FS,
#: CS, G0 were found by nothing: a Level II modifier without a codekit label had no text
#: to search without a loaded CMS file), 33 now. The two left: "telehealth" and "audio
#: video telehealth" find GQ/GT, whose texts say telehealth, before 95.
MODIFIER_QUERIES = [
    ("rental", "RR"), ("dme rental", "RR"), ("new equipment", "NU"),
    ("used equipment", "UE"), ("maintenance and servicing", "MS"), ("audio only", "93"),
    ("telehealth", "95"), ("audio video telehealth", "95"), ("drug wasted", "JW"),
    ("discarded drug", "JW"), ("no drug wasted", "JZ"), ("zero drug wasted", "JZ"),
    ("abn on file", "GA"), ("waiver of liability", "GA"), ("statutorily excluded", "GY"),
    ("not reasonable and necessary", "GZ"), ("requirements met", "KX"),
    ("documentation on file", "KX"), ("right side", "RT"), ("left side", "LT"),
    ("bilateral", "50"), ("separate encounter", "XE"), ("distinct procedural service", "59"),
    ("340b drug", "TB"), ("first month rental", "KH"), ("capped rental second month", "KI"),
    ("repeat procedure same physician", "76"),
    ("significant separately identifiable", "25"), ("split shared visit", "FS"),
    ("assistant surgeon", "80"), ("cost sharing waiver covid", "CS"),
    ("physical therapy", "GP"), ("clia waived test", "QW"), ("partial month rental", "KR"),
    ("telestroke", "G0"),
]


def test_modifier_search_finds_the_modifier_meant_first() -> None:
    first = [q for q, m in MODIFIER_QUERIES
             if [h.code for h in modifiers.search(q, on="2025-06-01", limit=1)] == [m]]
    assert len(first) >= 33, sorted({q for q, _ in MODIFIER_QUERIES} - set(first))


@pytest.mark.parametrize(("query", "code"), [
    ("maintenance and servicing", "MS"), ("partial month rental", "KR"),
    ("split shared visit", "FS"), ("telestroke", "G0"), ("cost sharing waiver covid", "CS"),
    ("documentation on file", "KX")])
def test_level_ii_modifiers_have_a_title_and_are_found(query: str, code: str) -> None:
    """Without a loaded CMS HCPCS file MS, KR, FS, G0, CS had no title (None) and no
    search found them."""
    assert [h.code for h in modifiers.search(query, on="2025-06-01", limit=1)] == [code]
    assert modifiers.lookup(code, on="2025-06-01").title
