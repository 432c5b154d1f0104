"""Code-system URIs: which FHIR ``Coding.system`` values codekit reads, and what the others
are called in a message.

One table, :data:`SYSTEMS`, says for each URI codekit knows which codekit code system
answers for it (``codekit.codesystem.get(name)``) and how it is named. Adding a code system
to the FHIR reader and to the terminology operations is one row here.
"""

from __future__ import annotations

import attrs

__all__ = ["CODEKIT", "SYSTEMS", "System", "label", "of"]

#: The prefix of the URIs codekit itself defines (rule IDs, extensions). Stable: clients
#: may match on them.
CODEKIT = "urn:codekit:fhir"


@attrs.frozen
class System:
    """A code system as FHIR names it: its ``uri``, what it is (``label``), and the codekit
    code system that answers for it (``codekit``, a name of ``codekit.codesystem.SYSTEMS``;
    None when codekit reads the codes but has no tables for them). ``kind`` is the role
    it plays on a claim: ``dx`` (ICD-10-CM diagnoses), ``proc`` (CPT/HCPCS lines and
    their modifiers), ``pcs`` (ICD-10-PCS procedures), or ``other``."""

    uri: str
    label: str
    kind: str
    codekit: str | None = None


ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
ICD10PCS = "http://www.cms.gov/Medicare/Coding/ICD10"
#: codekit's own URI for the CPT and HCPCS Level II modifiers together (FHIR has none:
#: CPT modifiers belong to CPT, HCPCS modifiers to HCPCS, and both are accepted).
MODIFIERS = f"{CODEKIT}:CodeSystem:modifiers"
NUBC_POA = "https://www.nubc.org/CodeSystem/PresentOnAdmissionIndicator"
#: The FHIR spec's example POA code system (codes y, n, u, w in lower case).
THO_POA = "http://terminology.hl7.org/CodeSystem/ex-diagnosis-on-admission"
#: Where a diagnosis's ``onAdmission`` is read from first (else its first coding).
POA_URIS = frozenset({NUBC_POA, THO_POA})
NUBC_BILL_TYPE = "https://www.nubc.org/CodeSystem/TypeOfBill"
NUBC_CONDITION = "https://www.nubc.org/CodeSystem/ConditionCodes"
NUBC_REVENUE = "https://www.nubc.org/CodeSystem/RevenueCodes"
#: NUBC occurrence codes (UB-04 FL 31-34) and occurrence span codes (FL 35-36) as HL7
#: Terminology (THO) publishes them: nubc-OccurrenceCode (OID 2.16.840.1.113883.6.301.7)
#: and nubc-OccurrenceSpan (OID 2.16.840.1.113883.6.301.8).
NUBC_OCCURRENCE = "http://terminology.hl7.org/CodeSystem/v2-0350"
NUBC_OCCURRENCE_SPAN = "http://terminology.hl7.org/CodeSystem/v2-0351"
#: NUBC value codes (UB-04 FL 39-41): THO's AHA NUBC Value Codes and Amounts (OID
#: 2.16.840.1.113883.6.301.6), of the family of the NUBC condition codes' URI. What
#: ``from_claim`` writes.
NUBC_VALUE = "https://www.nubc.org/CodeSystem/ValueCodesAndAmounts"
#: HL7 v2 table 0153 (Value code) as THO publishes it: its codes are the NUBC value codes
#: (the table defers to them), and a sender that writes occurrence codes in v2-0350 may
#: write value codes in it. Read as :data:`NUBC_VALUE`.
V2_VALUE = "http://terminology.hl7.org/CodeSystem/v2-0153"
#: The systems (URIs and OIDs) of each: which claim field a supportingInfo coding in one
#: of them fills.
NUBC_INFO = {**dict.fromkeys((NUBC_OCCURRENCE, "urn:oid:2.16.840.1.113883.6.301.7"),
                             "occurrence_codes"),
             **dict.fromkeys((NUBC_OCCURRENCE_SPAN, "urn:oid:2.16.840.1.113883.6.301.8"),
                             "occurrence_spans"),
             **dict.fromkeys((NUBC_VALUE, "urn:oid:2.16.840.1.113883.6.301.6", V2_VALUE),
                             "value_codes")}
#: NUBC patient discharge status (UB-04 FL 17; terminology.hl7.org AHANUBCPatientDischargeStatus)
NUBC_DISCHARGE_STATUS = "https://www.nubc.org/CodeSystem/PatDischargeStatus"
#: Blue Button's spelling of it (the CCW variable PTNT_DSCHRG_STUS_CD, codes without their
#: leading 0: ``1``)
BB_DISCHARGE_STATUS = "https://bluebutton.cms.gov/resources/variables/ptnt_dschrg_stus_cd"
DISCHARGE_STATUS_URIS = frozenset({NUBC_DISCHARGE_STATUS, BB_DISCHARGE_STATUS})
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
NDC = "http://hl7.org/fhir/sid/ndc"
NPI = "http://hl7.org/fhir/sid/us-npi"
X12_FILING_INDICATOR = "https://codesystem.x12.org/005010/1032"
X12_FREQUENCY = "https://codesystem.x12.org/005010/1325"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
#: Claim.related.relationship (``prior``: the claim this one replaces or voids).
RELATED_CLAIM = "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship"
DIAGNOSIS_TYPE = "http://terminology.hl7.org/CodeSystem/ex-diagnosistype"
C4BB_DIAGNOSIS_TYPE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType"
C4BB_INFO = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType"
C4BB_CARE_TEAM_ROLE = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole"
#: CARIN Blue Button's institutional claim subtype: ``inpatient`` or ``outpatient`` (HL7's
#: own ex-claimsubtype has neither: ``ortho``, ``emergency``).
C4BB_INSTITUTIONAL_SUBTYPE = \
    "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBInstitutionalClaimSubType"
INFO_CATEGORY = "http://terminology.hl7.org/CodeSystem/claiminformationcategory"
#: productOrService of a revenue-code-only line: code ``not-applicable``
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

_ROWS = (
    # Diagnoses: ICD-10-CM is what codekit checks; the others are named in findings.
    System(ICD10CM, "ICD-10-CM", "dx", "icd10cm"),
    System("urn:oid:2.16.840.1.113883.6.90", "ICD-10-CM", "dx", "icd10cm"),
    System("http://hl7.org/fhir/sid/icd-10", "ICD-10 (WHO)", "other"),
    System("urn:oid:2.16.840.1.113883.6.3", "ICD-10 (WHO)", "other"),
    System("http://hl7.org/fhir/sid/icd-9-cm", "ICD-9-CM", "other"),
    System("http://snomed.info/sct", "SNOMED CT", "other"),
    # Procedures on lines: CPT and HCPCS Level II (and the URIs CMS uses for them).
    System(CPT, "CPT", "proc", "cpt"),
    System("urn:oid:2.16.840.1.113883.6.12", "CPT", "proc", "cpt"),
    System(HCPCS, "HCPCS", "proc", "hcpcs"),
    System("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "HCPCS", "proc",
           "hcpcs"),
    System("urn:oid:2.16.840.1.113883.6.285", "HCPCS", "proc", "hcpcs"),
    System("https://bluebutton.cms.gov/resources/codesystem/hcpcs", "HCPCS (Blue Button)",
           "proc", "procedure"),
    System("http://terminology.hl7.org/CodeSystem/HCPCS-all-codes", "HCPCS (all codes)",
           "proc", "procedure"),
    System(MODIFIERS, "CPT/HCPCS modifiers", "mod", "modifiers"),
    # ICD-10-PCS: read for the inpatient edits; validated once codekit ships its tables.
    System(ICD10PCS, "ICD-10-PCS", "pcs", "icd10pcs"),
    System("urn:oid:2.16.840.1.113883.6.4", "ICD-10-PCS", "pcs", "icd10pcs"),
    System("http://www.cms.gov/Medicare/Coding/ICD9", "ICD-9-CM procedures", "other"),
    # Named in messages only.
    System("http://hl7.org/fhir/sid/cvx", "CVX (vaccines)", "other"),
    System(NDC, "NDC", "other"),
    System("http://www.nlm.nih.gov/research/umls/rxnorm", "RxNorm", "other"),
    System("http://loinc.org", "LOINC", "other"),
    System("http://www.ada.org/cdt", "CDT (dental)", "other"),
    System("http://codesystem.x12.org/005010/1365", "X12 service type", "other"),
    System("https://codesystem.x12.org/005010/1365", "X12 service type", "other"),
)

#: URI -> :class:`System`, for every URI codekit knows.
SYSTEMS: dict[str, System] = {row.uri: row for row in _ROWS}

#: The URIs whose codes are CPT or HCPCS procedure codes (or their modifiers).
PROC_URIS = frozenset(row.uri for row in _ROWS if row.kind == "proc")
DX_URIS = frozenset(row.uri for row in _ROWS if row.kind == "dx")
#: WHO ICD-10 (read as ICD-10-CM only when asked: ``icd10_who=True``).
WHO_URIS = frozenset(row.uri for row in _ROWS if row.label == "ICD-10 (WHO)")
PCS_URIS = frozenset(row.uri for row in _ROWS if row.kind == "pcs")
#: Where modifiers may be coded: any procedure URI, codekit's own, or THO's modifiers.
MODIFIER_URIS = PROC_URIS | {MODIFIERS, "http://terminology.hl7.org/CodeSystem/modifiers"}


def of(uri: object) -> System | None:
    """The row for ``uri`` (None for a URI codekit does not know)."""
    return SYSTEMS.get(uri) if isinstance(uri, str) else None


def label(uri: object) -> str:
    """How a message names the system of a coding: its label, or the URI itself.

    >>> label("http://snomed.info/sct"), label(None), label("http://example.org/x")
    ('SNOMED CT (http://snomed.info/sct)', 'no system', 'http://example.org/x')
    """
    if not isinstance(uri, str) or not uri:
        return "no system"
    row = SYSTEMS.get(uri)
    return f"{row.label} ({uri})" if row is not None else uri[:200]


def is_place_of_service(uri: object) -> bool:
    """A URI of the CMS place-of-service code set (CMS, THO, Blue Button and the spec
    examples each spell it their own way)."""
    if not isinstance(uri, str):
        return False
    u = uri.lower()
    return ("place" in u and "serv" in u) or "serviceplace" in u or "place_of_srvc" in u
