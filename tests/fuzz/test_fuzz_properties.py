"""Promises the fuzz suite leans on, checked directly: a Checker shared by threads answers
as one thread does, a pickled Checker answers the same, reports round-trip through JSON,
checking never changes the claim dicts it is given, and XML entities in a user tabular are
refused (no expansion, no file read)."""

from __future__ import annotations

import copy
import json
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codekit import Checker, Claim
from codekit.errors import CodekitError
from tests.fuzz.targets import _claims

pytestmark = pytest.mark.fuzz


def _reports(checker: Checker, claims: list[dict]) -> list[str]:
    return [checker.check(Claim.from_dict(c)).to_json() for c in claims]


def test_threads_share_a_checker() -> None:
    """4 threads over one Checker give exactly the reports of one thread."""
    claims = _claims() * 3
    alone = _reports(Checker(), claims)
    shared = Checker()
    with ThreadPoolExecutor(4) as pool:
        parts = list(pool.map(lambda i: _reports(shared, claims[i::4]), range(4)))
    together = [None] * len(claims)
    for i, part in enumerate(parts):
        together[i::4] = part
    assert together == alone


def test_a_pickled_checker_answers_the_same() -> None:
    claims = _claims()
    checker = Checker()
    assert _reports(pickle.loads(pickle.dumps(checker)), claims) == _reports(checker, claims)


def test_reports_round_trip_and_claims_stay_unchanged() -> None:
    claims = _claims()
    before = copy.deepcopy(claims)
    for report in Checker().check_many(claims):
        d = report.to_dict()
        assert json.loads(report.to_json()) == json.loads(json.dumps(d))
    assert claims == before


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ICD10CM.tabular><version>2099</version><chapter><name>4</name><desc>&lol8;&xxe;</desc>
<section id="E08-E13"><desc>Diabetes mellitus (E08-E13)</desc>
<diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>
<diag><name>E11.9</name><desc>Type 2 diabetes mellitus</desc></diag></diag>
</section></chapter></ICD10CM.tabular>
"""


def test_xml_entities_in_a_user_tabular_are_refused(tmp_path: Path) -> None:
    from codekit.build.user import add_release

    tab = tmp_path / "icd10cm_tabular_2099.xml"
    tab.write_text(BOMB, encoding="utf-8")
    with pytest.raises(CodekitError):
        add_release(release_id="FY2099", effective="2098-10-01", tabular=tab,
                    data_dir=tmp_path / "user")
    assert not (tmp_path / "user").exists() or not any((tmp_path / "user").rglob("*.ckt"))
