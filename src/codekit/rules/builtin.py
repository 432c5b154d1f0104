"""Every built-in edit of ``docs/catalog.md``, in the order the engine runs them."""

from __future__ import annotations

from . import (
    additional_codes,
    ambulance,
    asc_facility,
    claim_form,
    code_text,
    combinations,
    conventions,
    demographics,
    diagnosis_codes,
    dmepos,
    fee_schedule,
    fracture_care,
    guideline_pairs,
    inpatient,
    ioce_billing,
    ioce_status,
    laterality,
    modifier_edits,
    ncci_edits,
    part_b,
    pointers,
    post_acute,
    procedure_codes,
    procedure_dates,
    professional_edits,
    screening_modifiers,
    therapy_modifiers,
)
from .engine import Rule

__all__ = ["builtin_rules"]


def builtin_rules() -> tuple[Rule, ...]:
    """A fresh tuple of the built-in rules (a checker holds its own)."""
    return (*diagnosis_codes.RULES, *code_text.RULES, *conventions.RULES,
            *additional_codes.RULES, *combinations.RULES, *guideline_pairs.RULES,
            *demographics.RULES,
            *procedure_codes.RULES, *claim_form.RULES, *ioce_status.RULES, *ioce_billing.RULES,
            *post_acute.RULES,
            *procedure_dates.RULES, *modifier_edits.RULES, *dmepos.RULES,
            *screening_modifiers.RULES,
            *fee_schedule.RULES, *therapy_modifiers.RULES, *ambulance.RULES,
            *part_b.RULES,
            *professional_edits.RULES, *asc_facility.RULES, *pointers.RULES,
            *laterality.RULES, *ncci_edits.RULES,
            *inpatient.RULES, *fracture_care.RULES)
