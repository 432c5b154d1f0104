"""Procedure code modifiers (CPT and HCPCS Level II) by date of service.

Which modifiers exist on a date comes from the IOCE modifier list bundled with codekit
(2019-07-01 on); a CMS HCPCS file loaded with :func:`codekit.hcpcs.load_release` adds the
Level II descriptions and newer quarters. Anatomic and laterality modifiers carry their
side and site; NCCI-associated modifiers (those that may bypass a PTP edit with modifier
indicator 1) are flagged:

>>> from codekit import modifiers
>>> m = modifiers.validate("rt", on="2025-02-01")
>>> m.code, m.side, m.ncci_associated
('RT', 'right', True)
>>> modifiers.lookup("E1", on="2025-02-01").label
'upper left eyelid'
>>> modifiers.is_valid("JG", on="2024-12-31"), modifiers.is_valid("JG", on="2025-01-01")
(True, False)
>>> modifiers.validate("88", on="2025-02-01")
Traceback (most recent call last):
...
codekit.errors.InvalidModifier: '88': 88 is not a CPT or HCPCS modifier codekit knows ...

CPT modifiers get a short functional label written for codekit (``"distinct procedural
service"`` for 59), not the AMA's descriptor.
"""

from __future__ import annotations

from ._procedures._entries import ModifierEntry
from ._procedures._format import parse_modifier as parse
from ._procedures._modifiers import is_valid, lookup, validate
from ._procedures._modmeta import ANATOMIC, LABELS, NCCI_ASSOCIATED, Anatomy, is_cpt_modifier
from .errors import ModifierNotValidOnDate

__all__ = [
    "ANATOMIC",
    "LABELS",
    "NCCI_ASSOCIATED",
    "Anatomy",
    "ModifierEntry",
    "ModifierNotValidOnDate",
    "is_cpt_modifier",
    "is_valid",
    "lookup",
    "parse",
    "validate",
]
