"""The built-in profiles: which edits run, and how severe, for each kind of claim.

Severities follow ``docs/catalog.md#severity``: REJECT and DENY are ``error``, WARN
``warning``. Users build their own with :meth:`Profile.evolve` and
:meth:`Checker.with_profile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..findings import Severity
from .engine import Profile

if TYPE_CHECKING:
    from ..claims import Claim

__all__ = ["builtin_profiles", "profile_for"]

E, W = Severity.ERROR, Severity.WARNING


def builtin_profiles() -> dict[str, Profile]:
    professional = Profile(
        name="medicare-professional",
        description="Medicare 837P: NCCI edits with the practitioner tables; sex edits "
                    "keep the last published lists.",
        options={"ncci": True, "ptp_table": "practitioner", "sex_edits": "last-lists"},
    )
    outpatient = Profile(
        name="medicare-outpatient",
        description="Medicare 837I outpatient (I/OCE): NCCI edits with the bundled "
                    "hospital-outpatient tables; diagnosis sex conflicts reject (I/OCE 3).",
        severities={"DX_SEX_CONFLICT": E, "PROC_SEX_CONFLICT": E},
        options={"ncci": True, "ptp_table": "hospital", "sex_edits": "last-lists"},
    )
    inpatient = Profile(
        name="medicare-inpatient",
        description="Medicare 837I inpatient (MCE): the MCE lists; no sex edit after "
                    "2024-09-30; no NCCI (DRG payment).",
        severities={"DX_SECONDARY_ONLY_FIRST_LISTED": E, "DX_SEX_CONFLICT": E},
        options={"ncci": False, "inpatient": True, "sex_edits": "mce"},
    )
    commercial = Profile(
        name="commercial",
        description="Other payers: coding conventions as warnings; NCCI edits only when "
                    "configured (options ncci=True).",
        severities={"DX_MANIFESTATION_FIRST_LISTED": W, "LATERALITY_MISMATCH": W},
        options={"ncci": False, "ptp_table": "practitioner", "sex_edits": "last-lists"},
    )
    return {p.name: p for p in (professional, outpatient, inpatient, commercial)}


def profile_for(claim: Claim, profiles: Mapping[str, Profile]) -> Profile:
    """The profile of ``profiles`` for ``claim``: ``medicare-inpatient`` (Medicare,
    institutional, type of bill 11x), ``medicare-outpatient`` (other Medicare
    institutional), ``medicare-professional``, and ``commercial`` for any other payer."""
    if claim.payer == "medicare":
        if claim.is_inpatient:
            return profiles["medicare-inpatient"]
        if claim.is_institutional:
            return profiles["medicare-outpatient"]
        return profiles["medicare-professional"]
    return profiles["commercial"]
