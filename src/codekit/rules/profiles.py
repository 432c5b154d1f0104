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
    """The five built-in profiles, fresh (see the module doc and ``docs/catalog.md``).

    Diagnosis sex conflicts are warnings on the profiles other than
    ``medicare-inpatient``: no CMS outpatient editor raises them (the I/OCE sex edits 3
    and 8 are inactive in every version 2019-07 to 2026); a payer may raise them with
    :meth:`Profile.evolve`. Under ``medicare-inpatient`` (``sex_edits="mce"``, lists
    through 2024-09-30) ``DX_SEX_CONFLICT`` is an error, as ``PCS_SEX_CONFLICT``: the MCE
    raises its edit 5 on both, and a discharge through 2024-09-30 (a late bill, an
    adjustment) is still judged by that MCE.

    ``poa_required`` (``medicare-inpatient``: True) asks for a POA indicator on every
    diagnosis not on the CDC exempt list (``POA_MISSING``); False for a hospital exempt from
    POA reporting (paid outside the IPPS: critical access, long-term care, inpatient
    rehabilitation and psychiatric hospitals, cancer and children's hospitals, religious
    nonmedical health care institutions, VA/DoD hospitals): ``medicare_inpatient.evolve(
    options={"poa_required": False})``.
    """
    professional = Profile(
        name="medicare-professional",
        description="Medicare 837P: NCCI edits with the practitioner tables (the NCCI "
                    "manual's modifiers); sex edits keep the last published lists.",
        options={"ncci": True, "ncci_bypass": "manual", "sex_edits": "last-lists",
                 "telehealth_list": True, "screening_modifiers": True, "pfs": True,
                 "therapy_modifiers": True, "part_b_billing": True,
                 "medicare_pfs": True, "ambulance_modifiers": True,
                 # an ambulatory surgical center's facility claim (Claim.asc_facility):
                 # its own edits (rules/asc_facility.py, MOD_53_FACILITY)
                 "asc_edits": True},
        # ch.12 §40.7.B asks for one line with 1 unit; the MPFS prices 2 units too (its
        # bilateral indicator 1): a billing instruction, not a certain rejection
        severities={"BILATERAL_UNITS_WITH_50": W},
        # Medicare takes the physical-status modifiers P1-P6 as information only (the MACs'
        # anesthesia fact sheets): it prices anesthesia by its payment modifiers
        disabled=frozenset({"MOD_ANESTHESIA_PHYSICAL_STATUS_MISSING"}),
    )
    outpatient = Profile(
        name="medicare-outpatient",
        description="Medicare 837I outpatient (I/OCE): NCCI edits with the hospital "
                    "outpatient tables, bypassed as the I/OCE does (an NCCI-associated "
                    "modifier on either line); the I/OCE's unacceptable principal "
                    "diagnoses (edit 113) and add-on logic (by the claim's OPPS flag).",
        severities={"DX_SECONDARY_ONLY_FIRST_LISTED": E, "MOD_CS_AFTER_PHE": E,
                    "MOD_CS_NOT_ELIGIBLE": E, "MOD_PT_NOT_APPLICABLE": E},
        options={"ncci": True, "ncci_bypass": "ioce", "sex_edits": "last-lists",
                 "ioce": True, "screening_modifiers": True, "therapy_modifiers": True,
                 "part_b_billing": True, "ambulance_modifiers": True,
                 "post_acute_billing": True},
    )
    inpatient = Profile(
        name="medicare-inpatient",
        description="Medicare 837I inpatient (MCE): the MCE lists; no sex edit after "
                    "2024-09-30; no NCCI (DRG payment).",
        # the MCE raises edit 5 (sex conflict) on a diagnosis as on a procedure
        severities={"DX_SECONDARY_ONLY_FIRST_LISTED": E, "DX_SEX_CONFLICT": E},
        options={"ncci": False, "inpatient": True, "sex_edits": "mce",
                 "poa_required": True},
    )
    # Other payers. CPT's add-on convention holds for every payer (an add-on code is never
    # reported without its primary), so the add-on edit runs on professional claims, as a
    # warning: its primary lists are Medicare's (CMS's add-on table), and a payer may accept
    # others. Whether a payer applies the NCCI PTP and MUE edits is its own choice (many
    # do): they run once configured (ncci=True), and until then the report lists them as
    # not run, so a user is told they did not judge the claim.
    commercial = Profile(
        name="commercial",
        description="Other payers: coding conventions as warnings; the add-on code edit on "
                    "professional claims (a warning); the NCCI PTP and MUE edits "
                    "(practitioner or hospital tables by claim type) only when configured "
                    "(ncci=True), listed as not run until then.",
        severities={"DX_MANIFESTATION_FIRST_LISTED": W, "LATERALITY_MISMATCH": W,
                    "ADDON_WITHOUT_PRIMARY": W,
                    # many payers follow CMS's always-therapy list, not all
                    "MOD_THERAPY_MISSING": W, "MOD_THERAPY_WRONG_DISCIPLINE": W,
                    # payers require origin/destination modifiers widely, not all alike
                    "MOD_AMBULANCE_TRIP_MISSING": W},
        # QM and QN are Medicare's (a provider's ambulance under arrangement or directly)
        disabled=frozenset({"MOD_AMBULANCE_ARRANGEMENT_MISSING"}),
        options={"ncci": False, "ncci_bypass": "manual", "sex_edits": "last-lists",
                 "therapy_modifiers": True, "addon_edits": True, "ncci_not_run": True,
                 "ambulance_modifiers": True},
    )
    # A DMEPOS supplier's 837P to a DME MAC (Claim.dme_supplier): the professional edits,
    # with the DME supplier NCCI setting. CMS publishes MUEs for DME suppliers but no PTP
    # table (NCCI PTP edits are practitioner and outpatient hospital only), so the edits
    # that need a PTP table are off rather than "not run" for a table that does not exist.
    dme = Profile(
        name="medicare-dme",
        description="Medicare 837P from a DMEPOS supplier to a DME MAC (Claim.dme_supplier): "
                    "the professional edits, with the NCCI DME supplier MUE table (CMS "
                    "publishes no DME PTP table: the PTP edits are off).",
        disabled=frozenset({"NCCI_PTP_CONFLICT", "EM_MINOR_PROC_NO_MOD25"})
        | professional.disabled,
        # dme_modifiers: the DME MACs' RT/LT lines on orthoses (rules/dmepos.py)
        options={**professional.options, "ncci_setting": "dme", "pfs": False,
                 "dme_modifiers": True},
    )
    # the I/OCE's own date edits (67, 68, 69, 83, 110, 134, 136: rules/procedure_dates.py)
    outpatient = outpatient.evolve(options={"ioce_date_edits": True})
    return {p.name: p for p in (professional, outpatient, inpatient, commercial, dme)}


def profile_for(claim: Claim, profiles: Mapping[str, Profile]) -> Profile:
    """The profile of ``profiles`` for ``claim`` under the default payer routing
    (:mod:`codekit.rules.routing`): ``medicare-inpatient`` (Medicare, institutional, type
    of bill 11x), ``medicare-outpatient`` (other Medicare institutional), ``medicare-dme``
    (a Medicare professional claim of a DMEPOS supplier, ``Claim.dme_supplier``),
    ``medicare-professional``, and ``commercial`` for any other payer."""
    from .routing import route

    return route(claim, profiles).profile
