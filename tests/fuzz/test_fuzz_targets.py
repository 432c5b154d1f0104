"""The fuzz suite, briefly (CI): every target of :mod:`tests.fuzz.targets` -- codes of
every system, claims under every profile, policies, the X12 and FHIR front doors, every
file loader -- fed hypothesis-driven inputs from the same generators ``tools/fuzz.py`` runs
at length. The oracle (:func:`~tests.fuzz.targets.check_one`): only ``CodekitError``
comes out, the input is never changed, the result round-trips through JSON.

Derandomized (the same examples every run) and without shrinking (a failure shows the
target, the escape and a reproducer at once). ``CODEKIT_FUZZ_EXAMPLES`` scales the
example counts (e.g. ``=10`` for a run ten times as long).
"""

from __future__ import annotations

import datetime as dt
import os
import random

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.fuzz.mutate import nested
from tests.fuzz.targets import LOADERS, SYSTEMS, TARGETS, Target, check_one, reproducer

SCALE = float(os.environ.get("CODEKIT_FUZZ_EXAMPLES", "1"))
pytestmark = pytest.mark.fuzz


def fast(n: int) -> settings:
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, derandomize=True,
                    database=None, phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=list(HealthCheck))


def holds(target: Target, inp: object) -> None:
    esc = check_one(target, inp)
    assert esc is None, f"{esc.site}: {esc.error}\n\n{reproducer(target, inp, esc)}"


# -- the shared generators (mutated real inputs and junk) ----------------------------------

EXAMPLES = {"codes": 60, "claims": 40, "policies": 60, "frontdoors": 30, "loaders": 15}


def _make(name: str) -> object:
    target = TARGETS[name]

    @fast(EXAMPLES[target.group])
    @given(rng=st.randoms(use_true_random=False))
    def run(rng: random.Random) -> None:
        holds(target, target.gen(rng))

    return run


@pytest.mark.parametrize("name", list(TARGETS))
def test_generated_inputs(name: str) -> None:
    """Mutated real inputs and junk from the target's own generator."""
    _make(name)()


# -- plain hypothesis strategies -----------------------------------------------------------

DATES = st.one_of(st.none(), st.dates(), st.dates().map(dt.date.isoformat), st.text(max_size=12),
                  st.integers(), st.datetimes())
VALUES = st.one_of(st.text(max_size=30), st.none(), st.integers(), st.binary(max_size=12),
                   st.floats(), st.lists(st.text(max_size=5), max_size=3),
                   st.from_regex(r"[A-Z][0-9]{2}\.?[0-9A-Z]{0,4}", fullmatch=True),
                   st.from_regex(r"[0-9A-HJ-NP-Z]{7}", fullmatch=True),
                   st.from_regex(r"[0-9A-Z]{5}(-[0-9A-Z]{2}){0,5}", fullmatch=True))


@pytest.mark.parametrize("system", SYSTEMS)
@fast(80)
@example(verb="validate", value=10**5000, on=None)  # repr of an int past 4,300 digits
@example(verb="search", value=10**5000, on="2025-06-01")
@example(verb="suggest", value="E11.9", on="2010-01-01")  # before ICD-10
@given(verb=st.sampled_from(["is_valid", "validate", "compact", "format", "parse", "lookup",
                             "suggest", "search"]), value=VALUES, on=DATES)
def test_code_verbs(system: str, verb: str, value: object, on: object) -> None:
    """Every verb of every code system on any value and any date argument."""
    inp = {"verb": verb, "value": value}
    if verb not in ("compact", "format", "parse"):
        inp["on"] = on
    holds(TARGETS[f"codes.{system}"], inp)


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("verb", ["is_valid", "validate", "lookup", "suggest", "search"])
def test_code_verbs_on_deep_nesting(system: str, verb: str) -> None:
    """A list nested 3,000 deep (its repr raises RecursionError) as the code. Not a
    hypothesis example: hypothesis's own printer cannot show such a value."""
    holds(TARGETS[f"codes.{system}"], {"verb": verb, "value": nested(3000), "on": "2025-06-01"})


CLAIM_FIELDS = st.dictionaries(
    st.sampled_from(["claim_type", "payer", "patient", "date_of_service", "diagnoses",
                     "service_lines", "bill_type", "admission_date", "procedures", "claim_id",
                     "x"]),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
                 lambda inner: st.one_of(st.lists(inner, max_size=4),
                                         st.dictionaries(st.text(max_size=8), inner,
                                                         max_size=4)),
                 max_leaves=12),
    max_size=8)


KNOWN_CLAIM = {"claim_type": "professional", "payer": "medicare",
               "patient": {"sex": "F", "birth_date": "1948-11-23"},
               "date_of_service": "2025-10-10", "diagnoses": ["F41.9"],
               "service_lines": [{"procedure_code": "99203", "diagnosis_pointers": [1]}]}


@fast(60)
@example(claim={**KNOWN_CLAIM, "claim_type": None}, mode="check")
@example(claim={**KNOWN_CLAIM, "date_of_service": None}, mode="check")
@example(claim={**KNOWN_CLAIM, "date_of_service": 10**5000}, mode="check")
@example(claim={**KNOWN_CLAIM, "patient": {"sex": "F", "age": 10**5000}}, mode="check_many")
@example(claim={**KNOWN_CLAIM, "diagnoses": "[" * 100_000}, mode="check")
@given(claim=CLAIM_FIELDS, mode=st.sampled_from(["check", "check_many"]))
def test_claims_of_any_shape(claim: dict, mode: str) -> None:
    """A claim dict of any shape, under automatic routing."""
    holds(TARGETS["claims.auto"], {"mode": mode, "claim": claim})


@pytest.mark.parametrize("mode", ["check", "check_many"])
def test_a_line_nested_3000_deep(mode: str) -> None:
    """A service line field nested 3,000 deep (repr raises RecursionError)."""
    claim = {**KNOWN_CLAIM, "service_lines": [{"procedure_code": "99203", "line": nested(3000)}]}
    holds(TARGETS["claims.auto"], {"mode": mode, "claim": claim})


@pytest.mark.parametrize("kind", LOADERS)
@fast(15)
@given(data=st.binary(max_size=600), gz=st.booleans())
def test_loaders_on_any_bytes(kind: str, data: bytes, gz: bool) -> None:
    """Every loader on arbitrary bytes, plain or as a (usually corrupt) .gz."""
    name = {"hcpcs": "HCPC2025_OCT_ANWEB.txt", "icd10cm_release": "order.txt",
            "icd10pcs_release": "order.txt"}.get(kind, "file.csv")
    holds(TARGETS[f"loaders.{kind}"], (name + (".gz" if gz else ""), data))


@fast(40)
@given(text=st.text(max_size=400))
def test_x12_any_text(text: str) -> None:
    holds(TARGETS["frontdoors.x12"], text.encode("utf-8", "replace"))


@fast(40)
@given(text=st.text(max_size=300))
def test_fhir_any_text(text: str) -> None:
    holds(TARGETS["frontdoors.fhir"], text)


# -- escapes the long run of 2026-12-02 found after the fixes (each failed before its fix) --

def _fhir_claim() -> dict:
    from codekit import Claim, fhir

    return fhir.from_claim(Claim.from_dict(KNOWN_CLAIM))


def test_fhir_resources_in_lists_nested_5000_deep() -> None:
    """A JSON array nested 5,000 deep around a Claim (was RecursionError in the walk)."""
    data: object = [_fhir_claim()]
    for _ in range(5000):
        data = [data]
    holds(TARGETS["frontdoors.fhir"], data)


@pytest.mark.parametrize("rtype", [10**5000, nested(3000), ["Claim"]],
                         ids=["huge-int", "nested", "list"])
def test_fhir_resource_type_of_any_kind(rtype: object) -> None:
    """A resourceType that is a huge integer, deep nesting or a list, alone and in a Bundle
    (its message quoted it with ``str``: ValueError, RecursionError)."""
    holds(TARGETS["frontdoors.fhir"], {"resourceType": rtype})
    holds(TARGETS["frontdoors.fhir"], {"resourceType": "Bundle", "type": "collection",
                                       "entry": [{"resource": {"resourceType": rtype}}]})


def test_fhir_procedure_coding_whose_system_is_an_empty_list() -> None:
    """``system: []`` on a procedure coding (falsy, so it passed a type check: TypeError)."""
    claim = _fhir_claim()
    claim["procedure"] = [{"sequence": 1, "procedureCodeableConcept": {
        "coding": [{"system": [], "code": "0DTJ4ZZ"}]}}]
    holds(TARGETS["frontdoors.fhir"], claim)


def test_fhir_diagnosis_sequence_past_4300_digits() -> None:
    """An item's diagnosisSequence that is a 5,000-digit integer (its message: ValueError)."""
    claim = _fhir_claim()
    claim["item"][0]["diagnosisSequence"] = [10**5000]
    holds(TARGETS["frontdoors.fhir"], claim)


def test_a_tabular_declaring_an_unknown_encoding_is_a_data_error(tmp_path) -> None:
    """``<?xml version="1.0" encoding="utf-0"?>`` (was LookupError from the XML parser)."""
    from codekit.build.icd10cm_sources import read_tabular
    from codekit.errors import DataError

    with pytest.raises(DataError, match="encoding it cannot be read in: unknown encoding"):
        read_tabular(b'<?xml version="1.0" encoding="utf-0"?><ICD10CM.tabular/>')
