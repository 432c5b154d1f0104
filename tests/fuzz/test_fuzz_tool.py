"""``tools/fuzz.py``'s plan: a group gets at least the inputs asked for, whatever the
number of its targets, jobs and chunk size (the long runs once counted 999,987 for a
requested 1,000,000)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from .targets import targets_of

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("codekit_fuzz_tool", ROOT / "tools" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("group", ["codes", "claims", "frontdoors", "loaders", "policies"])
@pytest.mark.parametrize(("inputs", "jobs", "chunk"),
                         [(1_000_000, 2, 5000), (1_000_001, 1, 4999), (7, 2, 5000), (100, 3, 9)])
def test_a_group_gets_at_least_the_inputs_asked_for(
        group: str, inputs: int, jobs: int, chunk: int, tmp_path: Path) -> None:
    chunks = _tool().plan([group], inputs, jobs, 1, tmp_path, 10.0, 0, chunk)
    per_target: dict[str, int] = {}
    for c in chunks:
        assert 0 < c["count"] <= chunk
        per_target[c["target"]] = per_target.get(c["target"], 0) + c["count"]
    targets = [t.name for t in targets_of(group)]
    assert sorted(per_target) == sorted(targets)
    assert sum(per_target.values()) >= inputs
    assert max(per_target.values()) - min(per_target.values()) <= 1  # evenly
    assert len({c["seed"] for c in chunks}) == len(chunks)  # every chunk seeded apart
