"""The first sight of a code: what a process pays for a diagnosis or procedure it has not
met before (a cold worker, a rare code), with every answer as before.

Each test holds one saving to what it replaced: weighing a remembered answer without a
``sys.getsizeof`` call per part, the guideline rows of a code's category only, the notes of
a code without any read without its details, a PCS code's axes shared by its table, its
title from its own year's file without a search of the others, and so on. Real codes and
dates throughout.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from typing import Any

import attrs
import pytest

from codekit import _cache, icd10cm, icd10pcs, procedure
from codekit._procedures import _facts as procedure_facts
from codekit.errors import InvalidFormat
from codekit.icd10cm import _details, default_store, guidelines
from codekit.icd10cm._store import ReleaseTable
from codekit.icd10pcs import _store as pcs_store
from codekit.icd10pcs.entry import Axis, axes_of
from codekit.rules import laterality

DAY = dt.date(2025, 11, 3)


# -- weighing a remembered answer --------------------------------------------------------


def _shallow(x: object) -> int:
    """A part's size as weighing counts it (the reference: sys.getsizeof throughout)."""
    if type(x) in (str, int, float, bytes):
        return sys.getsizeof(x)
    if type(x) in (bool, type(None)) or isinstance(x, type):
        return 0
    n = sys.getsizeof(x)
    if isinstance(x, (tuple, list, frozenset, set)) and len(x) < 64:
        n += sum(map(sys.getsizeof, x))
    elif isinstance(x, dict) and len(x) < 64:
        n += sum(map(sys.getsizeof, x)) + sum(map(sys.getsizeof, x.values()))
    elif isinstance(x, BaseException):
        n += sum(map(sys.getsizeof, x.args)) + sys.getsizeof(getattr(x, "__dict__", {}))
    return n


def _weigh(x: object) -> int:
    """What ``_cache.weigh`` says, by its documented rule, with sys.getsizeof."""
    if type(x) is str:
        return sys.getsizeof(x)
    n = sys.getsizeof(x)
    if isinstance(x, tuple):
        return n + sum(map(_shallow, x))
    if isinstance(x, BaseException):
        fields = getattr(x, "__dict__", {})
        return n + sys.getsizeof(x.args) + sum(map(_shallow, x.args)) + (
            sys.getsizeof(fields) + sum(map(_shallow, fields.values())) if fields else 0)
    if attrs.has(type(x)):
        return n + sum(_shallow(getattr(x, f.name)) for f in attrs.fields(type(x)))
    return n


@attrs.frozen
class _Answer:
    code: str
    title: str | None
    on: dt.date
    valid: bool
    parts: tuple[str, ...] = ()


def _objects() -> list[Any]:
    rng = random.Random(20251103)
    atoms: list[Any] = ["E119", "S72.001A", "é" * 3, "\U0001f600", "", "x" * 80, None, True,
                        False, 0, 7, 10 ** 40, -3, 1.5, b"ab", DAY, dt.datetime(2025, 1, 2, 3),
                        int, frozenset({"a", "b"}), ["a", None], {"a": None}, ("a", None),
                        ("E119", ("RT", "LT"))]
    out = list(atoms)
    for _ in range(400):
        out.append(tuple(rng.choice(atoms) for _ in range(rng.randint(0, 6))))
        out.append(_Answer(rng.choice(["I10", "é"]), rng.choice([None, "Essential", "ü"]),
                           DAY, rng.random() < 0.5, tuple(rng.choice(["a", "bé"])
                                                          for _ in range(rng.randint(0, 3)))))
    return out


def test_weighing_says_what_getsizeof_says_of_every_kind_of_part() -> None:
    """Sizes worked out without the call (ASCII strings, dates, objects of a class whose
    objects all have one size) are the very sizes sys.getsizeof gives: strings of every
    width, big and small integers, None and bools (free as parts), nested tuples, attrs
    objects, errors."""
    for x in _objects():
        assert _cache.weigh(x) == _weigh(x), repr(x)
    for make in (lambda: InvalidFormat("E11.9X", "bad é", code="ICD10_FORMAT_INVALID",
                                       fix=("E11.9",)), lambda: ValueError("m", None, 3)):
        assert _cache.weigh(make()) == _weigh(make())


def test_a_key_is_weighed_and_checked_for_length_in_one_look() -> None:
    for x in _objects():
        for limit in (None, 3, _cache.MAX_KEY):
            long = limit is not None and _cache._too_long(x, limit)
            assert _cache._key_cost(x, limit) == (-1 if long else _cache.weigh(x)), (x, limit)


def test_weighing_a_usual_entry_calls_no_getsizeof(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream writes an entry for every answer new to it: its key (a code, a date) and an
    answer of codekit's own classes are weighed without a sys.getsizeof call (about 1,400
    instructions each, four to ten an entry before)."""
    answer = _Answer("E119", "Type 2 diabetes mellitus without complications", DAY, True,
                     ("E11",))
    key = ("E11.9", DAY)
    _cache.weigh(answer), _cache.weigh(key)  # the classes' sizes learnt once
    calls = []

    def counted(x: object, *default: int) -> int:
        calls.append(x)
        return sys.getsizeof(x, *default)

    monkeypatch.setattr(_cache, "_size", counted)
    cache: _cache.BoundedCache[Any, Any] = _cache.BoundedCache()
    cache[key] = answer
    assert calls == []
    assert cache.nbytes == _weigh(key) + _weigh(answer) + _cache.ENTRY_OVERHEAD


# -- the guideline rows of a code's category ---------------------------------------------


def test_a_codes_guideline_rows_are_those_its_category_may_meet() -> None:
    """guidelines.rows_of: the rows of each table whose prefixes a code of the category may
    start with, in table order; NO_ROWS for the categories no row names (E11, I10 as a
    removed code...). Every guideline test on a code answers as it does over every row."""
    assert [len(rows) for rows in guidelines.rows_of("S72001D")] == [1, 5, 1, 0, 0, 0]
    assert guidelines.rows_of("E119") is guidelines.NO_ROWS
    drops = [r for r in guidelines.CONFLICTS if r.drops("T424X5A")]
    assert len(drops) == 1 and drops[0] in guidelines.rows_of("T424X5A")[0]
    every = {
        "is_drop": lambda c: any(r.drops(c) for r in guidelines.CONFLICTS),
        "is_partner": lambda c: c.startswith(guidelines.PARTNER_CODES) and any(
            r.partner(c) for r in guidelines.CONFLICTS),
        "is_kin_partner": lambda c: any(
            r.partner(c) for r in guidelines.CONFLICTS if r.own_category),
        "goes_first": lambda c: any(r.goes_first(c) for r in guidelines.SEQUENCES),
        "is_integral_symptom": lambda c: any(r.drops(c) for r in guidelines.INTEGRAL),
        "is_integral_disease": lambda c: any(r.partner(c) for r in guidelines.INTEGRAL),
        "kin_keys": lambda c: tuple(dict.fromkeys(
            r.kin(c) for r in guidelines.CONFLICTS
            if r.own_category and (r.drops(c) or r.partner(c)))),
        "drop_kinds": lambda c: (
            any(r.drops(c) and not r.own_category for r in guidelines.CONFLICTS),
            any(r.drops(c) and r.own_category for r in guidelines.CONFLICTS)),
    }
    codes = [*sorted(default_store().validity.masks)[::23],
             "S72001D", "S72001A", "T22211D", "T424X5A", "T424X1A", "Y9301", "Y999", "Z20822",
             "A419", "O80", "Z853", "C50911", "U071", "J189", "R079", "I214", "R030", "I10",
             "O10011", "J208", "S", "T2"]
    for code in codes:
        for name, plain in every.items():
            assert getattr(guidelines, name)(code) == plain(code), (name, code)


# -- notes: a code without any is answered without its details --------------------------


def test_the_codes_with_notes_of_a_kind_are_those_whose_details_name_it() -> None:
    tab = default_store().release("FY2026")
    for kind in ("excludes1", "codeFirst"):
        plain = {c for c in tab.codes if f'"{kind}"' in tab.details_text(c)}
        assert tab.noted(kind) == plain, kind
    assert "E11" in tab.noted("excludes1") and "M1711" not in tab.noted("excludes1")
    assert default_store().release("FY2025").noted("excludes1") == frozenset()  # no tabular


def test_a_new_codes_notes_read_no_details_of_nodes_without_notes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither M17.11's node nor its ancestors M17.1 and M17 carry an Excludes1 or "Code
    first" note: reading its notes, new to the process, reads none of their details (a
    bisect, a decode and a substring test each before); S72.001A's reads S72's, which has
    Excludes1 notes, and no other node's."""
    icd10cm.clear_caches()
    read: list[str] = []
    plain = ReleaseTable.details_text

    def counted(self: ReleaseTable, code: str) -> str:
        read.append(code)
        return plain(self, code)

    monkeypatch.setattr(ReleaseTable, "details_text", counted)
    facts = icd10cm.facts("M17.11", on=DAY)
    assert facts is not None
    assert facts.excludes1_index.groups == () and read == []
    fracture = icd10cm.facts("S72.001A", on=DAY)
    assert fracture is not None
    assert [g.refs[0][2] for g in fracture.excludes1_index.groups][:1] == ["S72"]
    assert set(read) == {"S72"}


def test_the_notes_above_a_code_are_counted_as_weighing_them_would() -> None:
    for code in ("M17.11", "S72.001A", "E11.9", "T42.4X5A", "I10", "O24.410"):
        facts = icd10cm.facts(code, on=DAY)
        assert facts is not None
        facts.excludes1_index  # noqa: B018 - reads the notes
    held = [(k, v) for c in _details._ABOVE.caches() for k, v in dict.items(c)]
    assert len(held) >= 6
    for key, value in held:
        assert _details._weigh_above(key, value) == _cache.entry_weight(key, value), key


# -- ICD-10-PCS: axes shared by a table, titles from the year's own file -----------------


def _axes_plain(code: str, tables: Any) -> tuple[Axis, ...]:
    """The axes worked out afresh (the reference: every row scanned, no memo)."""
    t = tables.table(code[:3])
    assert t is not None
    defs = tables.definitions()

    def definition(pos: int, label: str | None) -> dict[str, Any]:
        if not label:
            return {}
        terms = defs.get(code[0], {}).get(str(pos), {})
        system = t["labels"][1]
        return terms.get(label) or terms.get(f"{label} in {system}") or {}

    axes = []
    for pos in (1, 2, 3):
        label = t["labels"][pos - 1]
        d = definition(pos, label)
        text = (t.get("definition") or d.get("definition")) if pos == 3 else d.get(
            "definition")
        axes.append(Axis(pos, t["titles"][pos - 1], code[pos - 1], label, text or None,
                         d.get("explanation"), tuple(d.get("includes", ()))))
    scores = [next((k for k in range(4) if code[3 + k] not in row[k][1]), 4)
              for row in t["rows"]]
    best = t["rows"][scores.index(max(scores))] if scores else None
    for k in range(4):
        value = code[3 + k]
        name, label = ("", None) if best is None else (best[k][0], best[k][1].get(value))
        if label is None:
            name, label = next(((row[k][0], row[k][1][value]) for row in t["rows"]
                                if value in row[k][1]), (name, None))
        d = definition(4 + k, label)
        axes.append(Axis(4 + k, name, value, label, d.get("definition"),
                         d.get("explanation"), tuple(d.get("includes", ()))))
    return tuple(axes)


def test_a_pcs_codes_axes_are_its_tables_and_shared_with_its_siblings() -> None:
    tables = pcs_store.default_store().tables_for(DAY)
    knee, other = axes_of("0SRC0J9", tables), axes_of("0SRD0J9", tables)
    assert knee[:3] == other[:3] and all(a is b for a, b in zip(knee[:3], other[:3], strict=True))
    assert knee[3].label == "Knee Joint, Right" and other[3].label == "Knee Joint, Left"
    assert knee[4] is other[4]  # the approach of one row: one object
    rng = random.Random(7)
    values = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    codes = sorted(pcs_store.default_store().validity.masks)[::97]
    codes += [c[:3] + "".join(rng.choice(values) for _ in range(4)) for c in codes[::3]]
    for code in codes:
        if tables.table(code[:3]) is not None:
            assert axes_of(code, tables) == _axes_plain(code, tables), code


def test_a_pcs_title_from_its_own_years_file_searches_no_other_year(
        monkeypatch: pytest.MonkeyPatch) -> None:
    titles = pcs_store.default_store().titles
    searched: list[str] = []
    plain = pcs_store.Titles.years_of

    def counted(self: pcs_store.Titles, code: str) -> list[int]:
        searched.append(code)
        return plain(self, code)

    monkeypatch.setattr(pcs_store.Titles, "years_of", counted)
    long, _, year = titles.titles("0DTJ4ZZ", 2026) or ("", "", 0)
    assert (long, year) == ("Resection of Appendix, Percutaneous Endoscopic Approach", 2026)
    assert searched == []
    # a code first in the FY2018 file: the nearest year that has it, found by a search
    found = titles.titles("00HV4YZ", 2016)
    assert found is not None and found[2] == 2018 and searched == ["00HV4YZ"]
    assert icd10pcs.lookup("0DTJ4ZZ", on="2016-06-01").title == long


# -- the rules' helpers -------------------------------------------------------------------


def test_a_title_naming_no_region_is_searched_once() -> None:
    """laterality.dx_regions first asks one pattern of every region's words: a title
    without any (half of them) is not searched once a region."""
    tab = default_store().release("FY2026")
    for i in range(0, len(tab.codes), 11):
        low = tab.long_title(i).lower()
        named = any(p.search(low) for p, _ in laterality._DX_REGIONS)
        assert bool(laterality._ANY_DX_REGION.search(low)) == named, low
    assert laterality.dx_regions("Type 2 diabetes mellitus without complications") == \
        frozenset()
    assert laterality.dx_regions("Unilateral primary osteoarthritis, left knee") == \
        frozenset({"knee"})


def test_a_procedure_entry_copied_for_another_day_is_the_entry_of_that_day() -> None:
    day = dt.date(2025, 6, 7)
    for code in ("99213", "G0438", "J3490", "A0425", "0001U", "27447"):
        entry = procedure.lookup(code, on="2025-06-01")
        copy = procedure_facts._on(entry, day)
        assert type(copy) is type(entry) and copy == attrs.evolve(entry, on=day), code
        assert all(getattr(copy, f.name) is getattr(entry, f.name)
                   for f in attrs.fields(type(entry)) if f.name != "on")
    assert procedure_facts._COPIERS  # one copier a class, made once
