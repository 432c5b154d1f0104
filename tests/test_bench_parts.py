"""The benches' own parts that reach into codekit's internals, run on a few claims: a bench
that breaks when the checker changes should fail here, not when someone times a target."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from codekit import Checker, Claim
from tests.claims_gen import make_inpatient

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_inpatient_floor_yardstick_agrees_and_its_rules_run_on_every_claim() -> None:
    floor = _bench("inpatient_floor")
    claims = [Claim.from_dict(d) for d in make_inpatient(200)]
    checker = Checker(profile="medicare-inpatient", policies=())
    # the bench's premise: its five rules are in the plan of (nearly) every claim, and
    # its one-pass yardstick finds what the checker finds, claim by claim
    assert set(floor.every_claim(checker, claims)) == set(floor.EVERY_CLAIM)
    assert floor.agreement(checker, claims) == 0
