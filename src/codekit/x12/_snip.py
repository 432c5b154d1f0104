"""The WEDI SNIP level of every finding codekit reports on an 837.

1 integrity (X12 syntax), 2 implementation-guide requirements, 3 balancing, 4 situational
(inter-segment) rules, 5 external code sets, 6 product or line of service (clinical
coding), 7 trading partner (payer) rules.

>>> snip_level("X12_ELEMENT_LENGTH"), snip_level("X12_CLAIM_TOTAL_MISMATCH")
(1, 3)
>>> snip_level("DX_CODE_UNKNOWN", "A"), snip_level("DX_EXCLUDES1_CONFLICT", "B")
(5, 6)
>>> snip_level("NCCI_PTP_CONFLICT", "G"), snip_level("MED_NECESSITY_DX_NOT_COVERED")
(7, 7)
"""

from __future__ import annotations

__all__ = ["X12_RULES", "snip_level"]

#: The finding IDs of the X12 front door, their SNIP level and default severity.
X12_RULES: dict[str, tuple[int, str]] = {
    # 1: integrity -- the envelope, segment syntax, element formats
    "X12_INTERCHANGE_INVALID": (1, "error"),
    "X12_GROUP_INVALID": (1, "error"),
    "X12_TRANSACTION_INVALID": (1, "error"),
    "X12_ENCODING": (1, "warning"),
    "X12_SEGMENT_UNEXPECTED": (1, "error"),
    "X12_SEGMENT_SYNTAX": (1, "error"),
    "X12_SEGMENT_UNTERMINATED": (1, "error"),
    "X12_SEGMENT_TERMINATOR_MISSING": (1, "error"),
    "X12_SEGMENT_INDENTED": (1, "warning"),
    "X12_SEGMENT_TRAILING_SEPARATOR": (1, "warning"),
    "X12_HL_INVALID": (1, "error"),
    "X12_ELEMENT_CONDITIONAL": (1, "error"),
    "X12_ELEMENT_TOO_MANY": (1, "error"),
    "X12_ELEMENT_LENGTH": (1, "error"),
    "X12_ELEMENT_CHARACTER": (1, "error"),
    "X12_ELEMENT_DATE_INVALID": (1, "error"),
    "X12_VALIDATOR_FAILED": (1, "warning"),
    # 2: the implementation guide -- usage, repeats, code lists, versions
    "X12_VERSION_MISMATCH": (2, "error"),
    "X12_VERSION_SUBSTITUTED": (2, "warning"),
    "X12_SEGMENT_MISSING": (2, "error"),
    "X12_SEGMENT_NOT_USED": (2, "error"),
    "X12_SEGMENT_REPEAT_EXCEEDED": (2, "error"),
    "X12_LOOP_REPEAT_EXCEEDED": (2, "error"),
    "X12_LX_SEQUENCE": (2, "error"),
    "X12_ELEMENT_MISSING": (2, "error"),
    "X12_ELEMENT_CODE_INVALID": (2, "error"),
    "X12_ELEMENT_NOT_USED": (2, "error"),
    "X12_MODIFIER_IN_DESCRIPTION": (2, "warning"),
    "X12_ANESTHESIA_NOT_MINUTES": (2, "warning"),
    "X12_AMOUNT_NEGATIVE": (2, "error"),
    "X12_CODE_FORMAT": (2, "error"),
    # 3: balancing
    "X12_CLAIM_TOTAL_MISMATCH": (3, "error"),
    "X12_LINE_ADJUDICATION_MISMATCH": (3, "error"),
    "X12_PAYER_PAID_MISMATCH": (3, "error"),
    # 4: situational rules the edits need
    "X12_SERVICE_DATE_MISSING": (4, "error"),
    "X12_ADMISSION_DATE_MISSING": (4, "error"),
    "X12_ADMISSION_AFTER_DISCHARGE": (4, "error"),
    "X12_PATIENT_MISSING": (4, "error"),
    "X12_POINTER_NOT_DIAGNOSIS": (4, "error"),
    "X12_CLAIM_ID_DUPLICATE": (4, "warning"),
    # 5: external code sets
    "X12_DX_CODE_SET": (5, "error"),
    "X12_PROCEDURE_CODE_SET": (5, "info"),
}

#: codekit's own edits by ID, where the group letter does not say the level.
_BY_ID = {
    "PTR_MISSING": 4, "PTR_INVALID": 4, "PTR_TOO_MANY": 4, "PTR_DUPLICATE": 4,
    "PROC_FORMAT_INVALID": 5, "PROC_CODE_UNKNOWN": 5, "PROC_NOT_VALID_ON_DOS": 5,
    "MOD_INVALID": 5, "DX_MISSING": 5, "PATIENT_SEX_INVALID": 5,
    "PATIENT_AGE_INVALID": 6, "DX_COUNT_EXCEEDED": 6, "PCS_COUNT_EXCEEDED": 6,
    "MED_NECESSITY_DX_NOT_COVERED": 7, "COVERAGE_CRITERIA_NOT_MET": 7,
    "EM_MINOR_PROC_NO_MOD25": 7,
}
#: codekit's edit groups (docs/catalog.md): A diagnosis validity, H dates -> code sets;
#: B conventions, C demographics, D procedure units and sex/age, E modifiers, F laterality
#: -> clinical; G NCCI (CMS's edits, per payer profile) -> trading partner.
_BY_GROUP = {"A": 5, "H": 5, "B": 6, "C": 6, "D": 6, "E": 6, "F": 6, "G": 7}


def snip_level(rule: str, group: str | None = None) -> int:
    """The SNIP level of a finding ID: the X12 front door's own, codekit's built-in edits
    (by ID, then by their catalog group), and 7 for anything else (payer policies and the
    caller's own rules)."""
    hit = X12_RULES.get(rule)
    if hit is not None:
        return hit[0]
    level = _BY_ID.get(rule)
    if level is not None:
        return level
    if group is not None:
        return _BY_GROUP.get(group, 6)
    return 7
