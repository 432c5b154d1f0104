"""The did-you-mean prefilter (codekit._fuzzy) gives exactly what rapidfuzz gives unfiltered.

``FuzzyCodes.extract`` skips the codes that cannot reach the similarity floor and stops
once no code left can enter the answer; the answer must be the same list, in the same
order (ties by list position), as ``process.extract`` over every code.
"""

from __future__ import annotations

import datetime as dt
import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from codekit import icd10cm, icd10pcs, procedure
from codekit._fuzzy import FuzzyCodes

DAY = dt.date(2025, 11, 3)
ALNUM = string.ascii_uppercase + string.digits


def _plain(codes: list[str], text: str, limit: int, cutoff: float) -> list[str]:
    return [c for c, _s, _ in process.extract(text, codes, scorer=fuzz.ratio, limit=limit,
                                              score_cutoff=cutoff)]


def _queries(codes: list[str], count: int, seed: int) -> list[str]:
    """Random texts, codes with one to three characters changed, prefixes, long junk."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        kind = i % 4
        if kind == 0:
            out.append("".join(rnd.choices(ALNUM, k=rnd.randint(1, 9))))
        elif kind == 1:
            chars = list(rnd.choice(codes))
            for _ in range(rnd.randint(1, 3)):
                chars[rnd.randrange(len(chars))] = rnd.choice(ALNUM)
            out.append("".join(chars))
        elif kind == 2:
            code = rnd.choice(codes)
            out.append(code[:rnd.randint(1, len(code))])
        else:
            out.append("".join(rnd.choices(ALNUM + "%$.-ab ", k=rnd.randint(10, 64))))
    return out


def _code_lists() -> dict[str, list[str]]:
    from codekit._procedures._suggest import _active
    from codekit.icd10cm._store import default_store as cm_store
    from codekit.icd10cm._suggest import _INDEX
    from codekit.icd10pcs._store import default_store as pcs_store

    cm = cm_store()
    rel, _ = cm.release_for(DAY)
    pcs = pcs_store()
    return {
        "icd10cm": _INDEX.billable(cm, rel, DAY),
        "procedure": _active(procedure.default_store(), DAY, None),
        "icd10pcs": pcs.valid_list(pcs.validity.period(DAY)),
    }


@pytest.fixture(scope="module")
def code_lists() -> dict[str, list[str]]:
    return _code_lists()


@pytest.mark.parametrize("system", ["icd10cm", "procedure", "icd10pcs"])
@pytest.mark.parametrize(("limit", "cutoff"), [(5, 50), (1, 50), (15, 50), (5, 0), (5, 80)])
def test_same_answer_as_rapidfuzz_over_every_code(code_lists: dict[str, list[str]],
                                                  system: str, limit: int,
                                                  cutoff: float) -> None:
    codes = code_lists[system]
    assert len(codes) > 5_000
    fuzzy = FuzzyCodes(codes)
    queries = _queries(codes, 120, seed=limit * 1000 + int(cutoff))
    for text in queries:
        assert fuzzy.extract(text, limit=limit, cutoff=cutoff) == \
            _plain(codes, text, limit, cutoff), text


@pytest.mark.parametrize(("limit", "cutoff"), [(5, 50), (1, 50), (15, 0)])
def test_a_subset_answers_as_an_index_of_the_subset(code_lists: dict[str, list[str]],
                                                    limit: int, cutoff: float) -> None:
    """One index of every ICD-10-CM code, with a period's billable codes as ``allowed``,
    answers as rapidfuzz over that period's list (the suggester made an index per period,
    four kept at a time, and a column of dates over ten years made them again and again)."""
    every = sorted(icd10cm.default_store().validity.masks)
    period = code_lists["icd10cm"]
    fuzzy = FuzzyCodes(every)
    billable = set(period)
    allowed = fuzzy.allowed(c in billable for c in every)
    assert allowed.bit_count() == len(period) < len(every)
    for text in _queries(period, 120, seed=7 + limit):
        assert fuzzy.extract(text, limit=limit, cutoff=cutoff, allowed=allowed) == \
            _plain(period, text, limit, cutoff), text
    assert fuzzy.extract("E119", limit=3, cutoff=50, allowed=0) == []


def test_answers_for_known_typos(code_lists: dict[str, list[str]]) -> None:
    fuzzy = FuzzyCodes(code_lists["icd10cm"])
    # E11.6S: the S was a 5; two codes share the best score, in code order
    assert fuzzy.extract("E116S", limit=3, cutoff=50) == _plain(
        code_lists["icd10cm"], "E116S", 3, 50)
    assert fuzzy.extract("E116S", limit=3, cutoff=50)[:1] == ["E1136"]
    assert fuzzy.extract("%%%", limit=5, cutoff=50) == []
    assert fuzzy.extract("", limit=5, cutoff=50) == []
    assert FuzzyCodes([]).extract("E11", limit=5, cutoff=50) == []


# Few characters and short codes: many ties, many codes sharing every character.
_SMALL = st.text(alphabet="AB12", min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(codes=st.lists(_SMALL, min_size=1, max_size=80, unique=True),
       text=st.text(alphabet="AB12C", max_size=8), limit=st.integers(1, 12),
       cutoff=st.sampled_from([0, 30, 50, 66.6, 100]))
def test_ties_and_small_lists(codes: list[str], text: str, limit: int, cutoff: float) -> None:
    codes = sorted(codes)
    expected = _plain(codes, text, limit, cutoff) if text else []
    assert FuzzyCodes(codes).extract(text, limit=limit, cutoff=cutoff) == expected


def test_dense_and_sparse_unpacking_agree() -> None:
    from codekit import _fuzzy

    rnd = random.Random(5)
    for count in (0, 1, 63, 64, 65, _fuzzy._DENSE, _fuzzy._DENSE + 1, 20_000):
        positions = sorted(rnd.sample(range(80_000), count))
        bits = sum(1 << p for p in positions)
        assert _fuzzy._members(bits, count) == positions


def test_the_suggest_verbs_keep_their_answers() -> None:
    """The answers the verbs gave when they called rapidfuzz over every code."""
    assert icd10cm.suggest("E11.6S", on=DAY)[:1] == ["E11.65"]
    assert icd10cm.suggest("%%%", on=DAY) == []
    assert procedure.suggest("9921", on=DAY) == ["99211", "99212", "99213", "99214", "99215"]
    assert procedure.suggest("99Z13", on=DAY) == ["99213", "90913", "95913", "96913", "99135"]
    assert icd10pcs.suggest("0DTJ4ZY", on=DAY) == [
        "0DTJ4ZG", "0DTJ4ZZ", "0DTJ0ZZ", "0DTJ7ZZ", "0DTJ8ZZ"]


def test_icd10cm_suggestions_are_remembered_per_validity_period(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The suggestions of a mistyped diagnosis were worked out again for every day (the
    I/OCE cross-check's 6,000 claims over seven years redid 1,342 fuzzy searches on each
    later pass): they depend on the day only through its validity period and release, so
    another day of the same period answers from memory, and a day of another period
    does not."""
    from codekit.icd10cm import _suggest

    icd10cm.clear_caches()
    first = icd10cm.suggest("E11.6S", on="2025-11-03")
    assert first[:1] == ["E11.65"]

    def no_fuzzy(*_: object) -> None:
        raise AssertionError("searched again")

    monkeypatch.setattr(_suggest._INDEX, "fuzzy", no_fuzzy)
    assert icd10cm.suggest("E11.6S", on="2025-12-15") == first  # FY2026, as 2025-11-03
    with pytest.raises(AssertionError, match="searched again"):
        icd10cm.suggest("E11.6S", on="2024-11-03")  # FY2025: another period
