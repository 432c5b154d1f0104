"""Payer policies: coverage rules and custom edits written as data, in a small language.

A policy file holds named code sets and rules; each rule says which claims it is about,
what it demands of them, where it comes from and which claims show it working (see
``docs/policies.md`` for the language)::

    set SUBLUXATION = M99.00-M99.05

    rule MCR-CMT-SUBLUXATION
      payer:  medicare
      source: "Medicare Benefit Policy Manual (Pub. 100-02) ch. 15 §240.1.2"
      for each line where procedure in 98940-98942
      require first pointed dx in SUBLUXATION
    end

:func:`load` (a file or a folder) and :func:`loads` (text) compile rules into a
:class:`PolicySet`; nothing in a policy file is ever executed as Python. A checker given
the set reports each unmet rule as an ordinary :class:`~codekit.rules.Finding`:

>>> from codekit import Checker, Claim
>>> rules = loads('''
... set SUBLUXATION = M99.00-M99.05
... rule MCR-CMT-SUBLUXATION
...   payer:  medicare
...   source: "Medicare Benefit Policy Manual (Pub. 100-02) ch. 15 §240.1.2"
...   for each line where procedure in 98940-98942
...   require first pointed dx in SUBLUXATION
... end''')
>>> claim = Claim.from_dict({
...     "claim_type": "professional", "payer": "medicare",
...     "patient": {"sex": "F", "age": 70}, "date_of_service": "2025-11-03",
...     "diagnoses": ["M54.50", "M99.03"],
...     "service_lines": [{"procedure_code": "98941", "modifiers": ["AT"], "units": 1,
...                        "diagnosis_pointers": [1, 2]}]})
>>> [(f.rule, f.location) for f in Checker(policies=[rules]).check(claim).findings]
[('MED_NECESSITY_DX_NOT_COVERED', ('service_lines', 0, 'diagnosis_pointers', 0))]

Problems in a file raise :class:`PolicyError` with the file, line, column and what was
expected, and nothing is loaded. Policies carry example claims that :func:`run_tests`
(``codekit policy test DIR``) runs. :func:`default_policies` are the Medicare policies
shipped in ``data/policies/medicare``.
"""

from __future__ import annotations

from ._compile import DEFAULT_FINDING, FIELDS
from ._errors import KINDS, PolicyError
from ._examples import ExampleResult, run_example, run_tests
from ._load import EXTENSION, default_policies, files_of, load, loads
from ._runtime import PLACEHOLDERS, Example, Policy, PolicySet, check_unique_ids

__all__ = [
    "DEFAULT_FINDING",
    "EXTENSION",
    "FIELDS",
    "KINDS",
    "PLACEHOLDERS",
    "Example",
    "ExampleResult",
    "Policy",
    "PolicyError",
    "PolicySet",
    "check_unique_ids",
    "default_policies",
    "files_of",
    "load",
    "loads",
    "run_example",
    "run_tests",
]
