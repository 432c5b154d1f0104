"""``Claim.from_json`` with ``orjson`` answers exactly as with ``json``.

``codekit._json.fast_loads`` (orjson, the ``fast`` extra) reads claim text about 2.8x
faster than ``json``. The two differ on text both accept in one way (orjson reads an integer
outside -2**63..2**64-1 as a float) and orjson rejects what json reads beyond the standard
(NaN, Infinity, 1e400, lone surrogates, a byte-order mark). ``Claim.from_json`` reads with
json again whenever that could show (an invalid claim, a big float in ``extra``): these
tests hold the two readers to the same claim, or the same problems, text by text.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codekit import Claim, ClaimFormatError, _json
from codekit import claims as claims_module

pytestmark = pytest.mark.skipif(_json.fast_loads is None, reason="orjson is not installed")

BASE: dict[str, Any] = {
    "claim_id": "PCN0000042", "payer": "medicare", "claim_type": "professional",
    "patient": {"sex": "F", "birth_date": "1950-04-02"}, "date_of_service": "2025-11-03",
    "diagnoses": ["M17.11", "I10"],
    "service_lines": [{"procedure_code": "20610", "modifiers": ["RT"], "units": 1,
                       "diagnosis_pointers": [1], "charge": 210.5, "line_id": "L1"},
                      {"procedure_code": "99213", "modifiers": ["25"], "units": 1,
                       "diagnosis_pointers": [1, 2], "charge": 95}],
}


def _with(**changes: Any) -> str:
    return json.dumps({**BASE, **changes})


def _read(text: str | bytes, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """The claim's dict, or the problems of its ClaimFormatError."""
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(_json, "fast_loads", None)
        try:
            return Claim.from_json(text).to_dict()
        except ClaimFormatError as e:
            return ("problems", e.problems)


TEXTS = [
    _with(),
    _with(extra={"batch": 7, "note": "rerun"}),
    # integers orjson reads as floats: in extra (kept as json reads them) and in fields
    # (errors either way, with json's message)
    _with(extra={"control": 123456789012345678901234567890}),
    _with(extra={"nested": [{"n": -9223372036854775809}]}),
    _with(extra={"ok": 18446744073709551615, "float": 9.3e18}),
    _with(claim_id=123456789012345678901234567890),
    _with(claim_id=12345),
    _with(total_charge=99999999999999999999999),
    _with(patient={"sex": "F", "age": 18446744073709551616}),
    # what json reads beyond the standard and orjson rejects
    _with(extra={"x": float("nan")}),
    _with(total_charge=float("inf")),
    _with(extra={"x": "\ud800"}),
    '{"payer": 1e400}',
    "\ufeff" + _with(),
    # not claims, not JSON
    "[]", "null", '"a claim"', "{", "", "{} {}", '{"payer": NaN',
    _with(service_lines=[{"procedure_code": "99213", "units": 10**30}]),
    _with(diagnoses=["E11.9", {"code": "I10", "poa": "Y"}], claim_type="institutional",
          bill_type="0111", payer="medicare"),
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
@pytest.mark.parametrize("as_bytes", [False, True])
def test_orjson_and_json_read_every_text_alike(text: str, as_bytes: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    given_text: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    assert _read(given_text, True, monkeypatch) == _read(given_text, False, monkeypatch)


def test_a_big_integer_in_extra_is_kept_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    claim = Claim.from_json(_with(extra={"control": 123456789012345678901234567890}))
    assert claim.extra["control"] == 123456789012345678901234567890
    assert type(claim.extra["control"]) is int


def test_a_bad_claim_gets_json_s_messages() -> None:
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_json(_with(claim_id=123456789012345678901234567890))
    # the number as sent (orjson alone would have shown 1.2345678901234568e+29)
    assert e.value.problems == ((("claim_id",), "must be text, got a number "
                                                "(123456789012345678901234567890)"),)
    with pytest.raises(ClaimFormatError) as e:
        Claim.from_json('{"payer": NaN')
    assert e.value.problems[0][1].startswith("not JSON: Expecting ',' delimiter")


def test_a_valid_claim_is_read_once_with_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is taken: json is not asked at all for a valid claim."""
    def no_json(*args: object, **kwargs: object) -> object:
        raise AssertionError("json.loads was called")

    monkeypatch.setattr(claims_module.json, "loads", no_json)
    claim = Claim.from_json(_with(extra={"batch": 7}).encode())
    assert claim.claim_id == "PCN0000042" and claim.extra == {"batch": 7}


numbers = st.one_of(st.integers(), st.integers(-(2**70), 2**70), st.floats(),
                    st.sampled_from([2**63, 2**64, -(2**63) - 1, 2**64 - 1, 10**18, 1e19]))
values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=6)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=8)
FIELDS = ("claim_id", "total_charge", "extra", "frequency_code", "place_of_service")
LINE_FIELDS = ("units", "charge", "line", "line_id", "diagnosis_pointers")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=3),
       st.dictionaries(st.sampled_from(LINE_FIELDS), values, max_size=2))
def test_random_numbers_anywhere_read_alike(top: dict[str, Any], line: dict[str, Any]) -> None:
    data = {**BASE, **top,
            "service_lines": [{**BASE["service_lines"][0], **line}]}
    text = json.dumps(data)  # NaN and Infinity as json writes them
    with pytest.MonkeyPatch.context() as m:
        fast = _read(text, True, m)
        slow = _read(text, False, m)
    assert fast == slow
