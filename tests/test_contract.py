"""The code-system contract (codekit.codesystem): one test, every code-system module.

Same verbs, the same keyword-only ``on=`` (a date, a datetime or an ISO string; None =
today), the same entry field names for the same ideas, one SearchHit, and one
machine-readable fix field on every validation error.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import pickle
from pathlib import Path
from types import ModuleType

import pytest

from codekit import CodekitError, DataError, InvalidArgument, ValidationError, codesystem
from codekit.codesystem import SYSTEMS, Entry, SearchHit

from .conftest import reference

DOS = dt.date(2025, 6, 1)

#: (a code valid on DOS as written by a person, its compact form, its printed form, a
#: well-formed code no release has, a typo with an obvious fix, words to search for)
CASES = {
    "icd10cm": ("e11.65 ", "E1165", "E11.65", "E11.99", "E11.6S", "diabetes hyperglycemia"),
    "cpt": (" 99213", "99213", "99213", "00000", "992l3", None),  # CPT text is not shipped
    "hcpcs": ("g0121", "G0121", "G0121", "G0000", "G012l", "unclassified drugs injection"),
    "modifiers": ("-rt", "RT", "RT", "88", "5O", "distinct procedural service"),
    "procedure": ("j3490", "J3490", "J3490", "00000", "J349O", "unclassified drugs"),
    "icd10pcs": (" 0dtj4zz", "0DTJ4ZZ", "0DTJ4ZZ", "0DTJXZZ", "ODTJ4ZZ",
                 "resection appendix percutaneous endoscopic"),
}
VERBS = ("compact", "format", "parse", "validate", "is_valid", "lookup", "suggest", "search",
         "covers", "coverage")
DATED = ("validate", "is_valid", "lookup", "suggest", "search", "covers")


@pytest.fixture(params=SYSTEMS)
def system(request: pytest.FixtureRequest) -> tuple[str, ModuleType]:
    return request.param, codesystem.get(request.param)  # type: ignore[return-value]


def test_every_system_is_listed() -> None:
    assert set(CASES) == set(SYSTEMS)


def test_same_verbs_with_keyword_only_on(system: tuple[str, ModuleType]) -> None:
    name, mod = system
    assert name == mod.SYSTEM
    for verb in VERBS:
        fn = getattr(mod, verb)
        assert callable(fn), (name, verb)
        if verb in DATED:
            on = inspect.signature(fn).parameters["on"]
            assert on.kind is inspect.Parameter.KEYWORD_ONLY, (name, verb)
            assert on.default is None, (name, verb)


#: The public functions of a code system that take a code and no date: they read its form
#: alone, or answer for every date (``valid_ranges``, ``tabular_key``: one order for codes of
#: every release).
DATELESS = frozenset({"compact", "format", "parse", "parse_line", "system_of", "valid_ranges",
                      "tabular_key",
                      "section_of", "em_setting", "is_em", "is_em_or_eye_exam",
                      "is_em_or_telemedicine",
                      "is_vaccine_product",
                      "is_cpt_modifier", "origin_destination",
                      # its date is in its status argument (hcpcs.lookup(code, on=...))
                      "level2_kind", "level2_kind_why"})


def test_every_public_function_of_a_code_takes_on_keyword_only(
        system: tuple[str, ModuleType]) -> None:
    """Not only the verbs: every public function of a module that takes a code (or text)
    first takes ``on=`` keyword-only, default today, unless it is one of :data:`DATELESS`
    (``icd10pcs.explain(code, tables)`` took an internal ``Tables`` and no ``on=``:
    ``explain("0DTJ4ZZ")`` was a TypeError)."""
    name, mod = system
    for fname in mod.__all__:
        fn = getattr(mod, fname)
        if not inspect.isfunction(fn):
            continue
        params = inspect.signature(fn).parameters
        on = params.get("on")
        assert on is None or on.kind is inspect.Parameter.KEYWORD_ONLY, (name, fname)
        first = next(iter(params.values()), None)
        if first is None or first.kind is inspect.Parameter.KEYWORD_ONLY or \
                first.name not in ("code", "modifier", "value", "text", "line") or \
                fname in DATELESS:
            continue
        assert on is not None and on.default is None, (name, fname)
        rest = [p for p in list(params.values())[1:] if p.name != "on"]
        assert all(p.default is not inspect.Parameter.empty for p in rest), (name, fname)


def test_compact_format_parse(system: tuple[str, ModuleType]) -> None:
    name, mod = system
    written, compact, printed, *_ = CASES[name]
    assert mod.compact(written) == compact
    assert mod.format(written) == printed == mod.format(compact)
    assert mod.parse(written).code == compact
    for junk in ("", None, 42, "!!"):
        with pytest.raises(ValidationError) as e:
            mod.parse(junk)
        assert e.value.fix == () and e.value.code


def test_on_takes_a_date_a_datetime_or_iso_text(system: tuple[str, ModuleType]) -> None:
    name, mod = system
    written = CASES[name][0]
    entries = [mod.validate(written, on=on)
               for on in (DOS, dt.datetime(2025, 6, 1, 14, 30), "2025-06-01")]
    assert {e.on for e in entries} == {DOS}
    assert all(e == entries[0] for e in entries)
    assert mod.validate(written).on == dt.date.today()  # None = today
    for verb in DATED:
        args = () if verb == "covers" else ("words",) if verb == "search" else (written,)
        with pytest.raises(InvalidArgument, match="on="):
            getattr(mod, verb)(*args, on="06/01/2025")


def test_every_system_says_what_dates_it_describes(system: tuple[str, ModuleType]) -> None:
    """``coverage()`` and ``covers(on=)``: the verbs that answer with a bool or a list
    carry no note, so a caller asks these first (CPT, HCPCS and modifiers had neither)."""
    _, mod = system
    first, last = mod.coverage()
    assert first <= DOS <= last and first in (dt.date(2015, 10, 1), dt.date(2019, 7, 1))
    assert mod.covers(on=DOS) is True
    assert mod.covers(on=first) is True and mod.covers(on=last) is True
    assert mod.covers(on=first - dt.timedelta(days=1)) is False
    assert mod.covers(on=last + dt.timedelta(days=1)) is False


#: The short text of each case's code on DOS, under the contract's name ``short_title``:
#: the order files' short titles, HCPCS's CMS short descriptor (``short_description``), a
#: modifier's label (``label``), none for CPT (codekit ships no CPT text).
SHORT_TITLES = {
    "icd10cm": "Type 2 diabetes mellitus with hyperglycemia",
    "cpt": None,
    "hcpcs": "Colon ca scrn not hi rsk ind",
    "modifiers": "right side of the body",
    "procedure": "Drugs unclassified injection",
    "icd10pcs": "Resection of Appendix, Percutaneous Endoscopic Approach",
}


def test_entries_share_field_names(system: tuple[str, ModuleType]) -> None:
    """The same text has one name in every system: ``title`` and ``short_title`` (HCPCS
    called its short text only ``short_description``, a modifier only ``label``; CPT had
    no ``short_title``), and every entry says itself as plain data with ``as_dict()``
    (ICD-10-CM and ICD-10-PCS only had one, without ``formatted``/``valid``/``note``, and
    ``covered``)."""
    name, mod = system
    written, compact, printed, *_ = CASES[name]
    for entry in (mod.validate(written, on=DOS), mod.lookup(written, on=DOS)):
        assert isinstance(entry, Entry)
        assert (entry.code, entry.formatted, entry.valid, entry.on) == \
            (compact, printed, True, DOS)
        assert entry.valid_ranges and entry.valid_ranges[0][0] <= DOS
        assert entry.title is None or isinstance(entry.title, str)
        assert entry.short_title == SHORT_TITLES[name], (name, entry.short_title)
        assert isinstance(entry.release, str) and entry.release
        assert entry.note is None or isinstance(entry.note, str)
        d = json.loads(json.dumps(entry.as_dict()))
        assert {k: d[k] for k in ("code", "formatted", "valid", "on", "title",
                                  "short_title", "release", "note", "covered")} == {
            "code": compact, "formatted": printed, "valid": True, "on": DOS.isoformat(),
            "title": entry.title, "short_title": SHORT_TITLES[name],
            "release": entry.release, "note": None, "covered": True}, name
        assert d["valid_ranges"][0][0] == entry.valid_ranges[0][0].isoformat()
    # the system's own names stay, as aliases of the contract's
    entry = mod.lookup(written, on=DOS)
    alias = {"hcpcs": "short_description", "procedure": "short_description",
             "modifiers": "label"}.get(name)
    if alias:
        assert getattr(entry, alias) == entry.short_title


#: The verbs that take a code first (``search`` takes text; ``covers`` optionally a code).
CODE_VERBS = ("validate", "is_valid", "lookup", "suggest")


def test_the_code_is_named_code_in_every_system(system: tuple[str, ModuleType]) -> None:
    """``hcpcs.validate(code="E0601")`` worked, ``modifiers.validate(code="RT")`` was a
    TypeError: the modifier verbs named their first parameter ``modifier``."""
    name, mod = system
    written, compact, _, _, typo, _ = CASES[name]
    for verb in CODE_VERBS:
        first = next(iter(inspect.signature(getattr(mod, verb)).parameters.values()))
        assert first.name == "code", (name, verb, first.name)
        assert first.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (name, verb)
    assert mod.validate(code=written, on=DOS).code == compact
    assert mod.lookup(code=written, on=DOS).code == compact
    assert mod.is_valid(code=written, on=DOS) is True
    assert mod.suggest(code=typo, on=DOS) == mod.suggest(typo, on=DOS) != []


def test_the_modifier_verbs_take_the_old_keyword_with_a_warning() -> None:
    """``modifier=`` (the modifier verbs' first parameter's name until 2026-12) still
    answers, with a DeprecationWarning; both names, or neither, is a TypeError."""
    from codekit import modifiers

    for verb, arg, want in (("validate", "RT", "RT"), ("lookup", "JG", "JG"),
                            ("is_valid", "RT", True), ("suggest", "5O", ["50"])):
        fn = getattr(modifiers, verb)
        with pytest.warns(DeprecationWarning, match=rf"modifiers\.{verb}\(modifier=\.\.\.\)"
                          " is deprecated"):
            got = fn(modifier=arg, on=DOS)
        got = got[:1] if verb == "suggest" else getattr(got, "code", got)
        assert got == want, (verb, got)
        with pytest.raises(TypeError, match="twice"):
            fn(arg, modifier=arg, on=DOS)
        with pytest.raises(TypeError, match="missing 1 required argument: 'code'"):
            fn(on=DOS)


#: The systems whose ``covers`` also takes a code, since a loaded CMS HCPCS file describes
#: its quarter for some of their codes only (the Level II codes and modifiers it lists: no
#: CPT code or modifier, no CDT code): (a code the file describes, one it does not).
COVERS_A_CODE = {"hcpcs": ("J3490", "D0120"), "procedure": ("G0121", "99213"),
                 "modifiers": ("RT", "25")}


def test_covers_takes_a_code_only_where_it_means_something(
        system: tuple[str, ModuleType]) -> None:
    """``covers(*, on=)`` is the contract; hcpcs and procedure also took a code, the others
    not, though ``modifiers.covers(on=)`` was True on a date a loaded HCPCS file describes
    where the entry of modifier 25 (a CPT modifier, in no HCPCS file) said covered=False."""
    name, mod = system
    params = inspect.signature(mod.covers).parameters
    first = next(iter(params.values()))
    if name not in COVERS_A_CODE:
        assert first.kind is inspect.Parameter.KEYWORD_ONLY, name
        return
    assert (first.name, first.default, first.kind) == (
        "code", None, inspect.Parameter.POSITIONAL_OR_KEYWORD), name
    from codekit import hcpcs
    from codekit.procedure import ProcedureStore

    store = ProcedureStore()
    # the October 2025 file, told it is for the quarter after the bundled data
    hcpcs.load_release(reference("hcpcs_2025q4", "HCPC2025_OCT_ANWEB.xlsx"),
                       effective="2026-07-01", store=store)
    described, not_described = COVERS_A_CODE[name]
    for day, code, want in (("2026-09-30", described, True),
                            ("2026-09-30", not_described, False),
                            ("2026-12-02", described, False), (DOS, not_described, True)):
        assert mod.covers(code, on=day, store=store) is want, (name, code, day)
        assert mod.lookup(code, on=day, store=store).covered is want, (name, code, day)
    # without a code (or with text that is no code): as the codes the file lists
    assert mod.covers(on="2026-09-30", store=store) is (name != "procedure")
    assert mod.covers("!!", on="2026-09-30", store=store) is \
        mod.covers(on="2026-09-30", store=store)


def test_is_valid_is_a_bool_and_catches_only_code_problems(
        system: tuple[str, ModuleType]) -> None:
    name, mod = system
    written, _, _, unknown, *_ = CASES[name]
    assert mod.is_valid(written, on=DOS) is True
    assert mod.is_valid(unknown, on=DOS) is False
    for junk in (None, 42, "", "x" * 10_000, ["E11.9"]):
        assert mod.is_valid(junk, on=DOS) is False


def test_text_as_pasted_is_the_code(system: tuple[str, ModuleType]) -> None:
    """Zero-width characters pasted with a code (web pages, word processors) and text of a
    ``str`` subclass (``numpy.str_`` from an array) are the code, in every system, for
    every verb: is_valid was False for both where validate said valid."""
    name, mod = system
    written, compact, printed, *_ = CASES[name]

    class Text(str):
        pass

    for text in (f"\u200b{written}\ufeff", f"{written[:2]}\u200d{written[2:]}\u2060",
                 Text(written)):
        assert mod.compact(text) == compact, (name, text)
        assert mod.is_valid(text, on=DOS) is True, (name, text)
        assert mod.validate(text, on=DOS).code == compact, (name, text)
        assert mod.format(text) == printed, (name, text)


def test_one_fix_field_on_every_validation_error(system: tuple[str, ModuleType]) -> None:
    name, mod = system
    _, _, _, unknown, typo, _ = CASES[name]
    with pytest.raises(ValidationError) as e:
        mod.validate(unknown, on=DOS)
    assert isinstance(e.value.fix, tuple) and all(isinstance(c, str) for c in e.value.fix)
    with pytest.raises(ValidationError) as e:
        mod.validate(typo, on=DOS)
    fix = e.value.fix
    assert fix and all(isinstance(c, str) for c in fix), (name, typo, e.value)
    assert all(mod.is_valid(c, on=DOS) for c in fix), (name, fix)
    again = pickle.loads(pickle.dumps(e.value))  # across processes, the fix goes along
    assert (type(again), again.code, again.fix, str(again)) == \
        (type(e.value), e.value.code, fix, str(e.value))
    assert mod.suggest(typo, on=DOS)[:1] == [mod.format(fix[0])] or \
        mod.compact(fix[0]) in {mod.compact(s) for s in mod.suggest(typo, on=DOS)}


def test_one_search_hit(system: tuple[str, ModuleType]) -> None:
    name, mod = system
    words = CASES[name][5]
    if words is None:  # CPT text is AMA-licensed: search needs the user's own file
        with pytest.raises(DataError, match="load_descriptors"):
            mod.search("office visit", on=DOS)
        return
    hits = mod.search(words, on=DOS, limit=3)
    assert hits and all(type(h) is SearchHit for h in hits)
    assert all(0 <= h.score <= 100 and h.title and h.formatted for h in hits)
    assert all(mod.is_valid(h.code, on=DOS) for h in hits)


def test_search_results_say_the_date_the_release_and_whether_the_data_covers_it(
        system: tuple[str, ModuleType], tmp_path: Path) -> None:
    """Every system's search results carry ``on``, ``release`` (named as its entries name
    it), ``covered`` (its ``covers(on=)``) and a ``note`` exactly when not covered: search
    answered silently for 2030-01-01 and 2010-01-01, where validate said covered=False
    with a note."""
    name, mod = system
    written, _, _, _, _, words = CASES[name]
    kw: dict[str, object] = {}
    if words is None:  # CPT: the user's licensed file; here made-up text, no AMA text
        from codekit.procedure import ProcedureStore

        f = tmp_path / "mine.txt"
        f.write_text(f"{written.strip()}\tcodekit test text contract alpha\n",
                     encoding="utf-8")
        kw["store"] = ProcedureStore()
        mod.load_descriptors(f, store=kw["store"])
        words = "contract alpha"
    first, last = mod.coverage()
    for day in (DOS, first, last, first - dt.timedelta(days=1), last + dt.timedelta(days=1),
                dt.date(2030, 1, 1), dt.date(2010, 1, 1), dt.date(2015, 9, 30)):
        found = mod.search(words, on=day.isoformat(), limit=3, **kw)
        assert isinstance(found, codesystem.SearchResults), (name, day)
        # the systems that ship their titles also say the codes of other dates
        assert isinstance(found, codesystem.DatedSearchResults) is (
            name in ("icd10cm", "icd10pcs", "hcpcs")), (name, day)
        assert found.on == day, (name, day)
        assert found.covered is mod.covers(on=day, **kw), (name, day)
        assert found.release == mod.lookup(written, on=day, **kw).release, (name, day)
        if found.covered:
            assert found.note is None, (name, day, found.note)
        else:
            assert isinstance(found.note, str) and str(day) in found.note, (name, day)
    assert mod.search(words, on=DOS, limit=3, **kw).covered is True
    assert mod.search(words, on="2030-01-01", limit=3, **kw).covered is False


def test_errors_are_codekit_errors_with_a_code(system: tuple[str, ModuleType]) -> None:
    name, mod = system
    for bad in ("", "??", CASES[name][3]):
        with pytest.raises(CodekitError) as e:
            mod.validate(bad, on=DOS)
        assert e.value.code and str(e.value)


#: The systems whose codes nest (ICD-10-CM's categories and subcategories, blocks and
#: chapters; ICD-10-PCS's sections, body systems and tables): what ``codes(within, on=)``
#: lists below a start, and one code among them. CPT, HCPCS and the modifiers are flat
#: lists in codekit's data: they have no such verb.
NESTED = {"icd10cm": ("e11.6", "E1165"), "icd10pcs": (" 0dtj", "0DTJ4ZZ")}


def test_codes_lists_the_codes_valid_within_a_start(system: tuple[str, ModuleType]) -> None:
    """A notebook user listing a category's codes had only ``lookup(code).children``, one
    level at a time; a block (``E08-E13``) was not a code to it."""
    name, mod = system
    if name not in NESTED:
        assert not hasattr(mod, "codes"), f"{name}.codes: add it to NESTED"
        return
    within, member = NESTED[name]
    on = inspect.signature(mod.codes).parameters["on"]
    assert (on.kind, on.default) == (inspect.Parameter.KEYWORD_ONLY, None)
    got = mod.codes(within, on=DOS)
    assert member in got and got == sorted(got) and len(got) > 1
    assert all(mod.is_valid(c, on=DOS) and mod.compact(c) == c for c in got)
    assert all(c.startswith(within.strip().upper().replace(".", "")) for c in got)
    assert set(got) < set(mod.codes(on=DOS))
    assert mod.codes(member, on=DOS) == [member]
    with pytest.raises(ValidationError):
        mod.codes(CASES[name][4], on=DOS)  # the typo is no start of any code
