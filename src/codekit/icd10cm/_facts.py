"""Facts of diagnosis codes for dates of service, remembered across claims.

A stream of claims repeats codes and dates. What a diagnosis code means on a date depends
on the date only through a few things: the validity period, the release that answers for
the date (and the order of the releases nearest it), and the MCE age bands in force (MCE
rows start and end on period boundaries). Dates that agree on all of them share a
:class:`DateView`, and a code resolved for one date of a class is answered for every
date of it: a quarter of claims resolves each valid code once, not once per day.

Errors keep their date (their messages name it) and are remembered per (code, date).
Everything here answers from the default data store; the public face is
:func:`codekit.icd10cm.date_view`, :class:`DateView` and :class:`Facts`. The claim rules
read diagnoses through it, so that a stream of claims costs a dictionary look-up a
diagnosis.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from .. import _cache
from .._dates import coerce_date
from ..errors import ValidationError
from . import _codes, _details, _ioce, guidelines
from ._store import ReleaseTable, default_store
from .entry import Entry, MceFlags

__all__ = ["ADDITIONAL_CODE", "ADDITIONAL_CODE_NOTES", "AGE_LIMIT", "AGE_NOTE", "AGE_NOTES",
           "BILATERAL", "BILATERAL_PREFIXES", "CAUSE_INITIAL", "CAUSE_SUBSEQUENT",
           "COMBINATION", "COMBINATION_CODES", "COMBINATION_COMPANION", "COMBINATION_COMPANIONS",
           "COMBINATION_REPLACED",
           "EXTERNAL_CAUSE", "FIRST_ONLY_Z", "GUIDELINE_AFTER", "GUIDELINE_DROP",
           "GUIDELINE_FIRST", "GUIDELINE_KIN", "GUIDELINE_PARTNER", "GUIDELINE_SAME",
           "INJURY_INITIAL", "INJURY_SEQUELA", "INJURY_SUBSEQUENT", "INVALID", "LAST_SEX_LISTS",
           "MANIFESTATION", "NOT_PRINCIPAL", "OBSTETRIC",
           "QUESTIONABLE_ADMISSION", "SEQUELA", "SEVERE_SEPSIS", "SEX_LIMIT", "SUPERFICIAL",
           "SYMPTOM_DISEASE", "SYMPTOM_INTEGRAL", "UNSPECIFIED_MCE", "DateView", "Facts",
           "NoteIndex", "date_view", "diagnosis_error", "facts", "preload", "resolve_diagnosis"]

#: What :func:`resolve_diagnosis` answers for a code that is not valid on the date.
INVALID = False
#: The last day of the last published MCE sex lists (CMS retired the edit on 2024-10-01).
LAST_SEX_LISTS = dt.date(2024, 9, 30)
_MAX_ANSWERS = 1 << 17  # remembered (raw diagnosis, date class) answers, all classes

# Guideline I.C.21.c.16: Z codes reported only as principal/first-listed.
FIRST_ONLY = ("Z00", "Z01", "Z02", "Z04", "Z3181", "Z3183", "Z3184", "Z332", "Z34", "Z38",
              "Z39", "Z40", "Z42", "Z510", "Z511", "Z52", "Z761", "Z762", "Z9912")
FIRST_ONLY_EXCEPT = ("Z006", "Z529")
#: Codes the classification allows only as additional codes, for every claim type.
SECONDARY_ONLY = ("B95", "B96", "B97", "Z37", "Z3A", "Z68")
#: Codes the guidelines never list first that the tabular does not mark: SIRS, R65.1-
#: after the injury or condition (I.C.18.g) and R65.2- after the infection
#: (I.C.1.d.1.a.ii); and underdosing, T36-T50 with 6th character 6 (I.C.19.e.5.c). An
#: adverse effect (6th character 5) is sequenced after its nature (I.C.19.e.5.a) too: it
#: carries :data:`NOT_PRINCIPAL` (``codekit.icd10cm.guidelines.adverse_effect``).
NEVER_FIRST = ("R651", "R652")
#: Categories whose tabular note gives its codes ages: Z68 (BMI adult codes 20 and older,
#: pediatric 2-19: ``codekit.rules.demographics.bmi_age_conflict``); their codes carry
#: :data:`AGE_NOTE` (and :data:`AGE_LIMIT`), so a claim without one does not run that
#: edit.
AGE_NOTES = ("Z68",)

#: :attr:`Facts.bits`: what a valid diagnosis may trigger, so that the claim context
#: can tell which rules have anything to look at (see ``ClaimContext.features``).
#: an MCE age band, or an I/OCE age limit where the I/OCE's differs, or a tabular age
#: note (:data:`AGE_NOTES`)
AGE_LIMIT = 1
SEX_LIMIT = 2  # a sex limit, on the date or in the last published lists
MANIFESTATION = 4
EXTERNAL_CAUSE = 8
FIRST_ONLY_Z = 16  # a Z code reported only first-listed
NOT_PRINCIPAL = 32  # secondary-only, never first, on the MCE or I/OCE unacceptable-principal list
ADDITIONAL_CODE = 64  # a "Use additional code" note the guidelines make mandatory (below)
COMBINATION = 128  # a code a combination may replace: I10-I13, E08-E13 "without complications"
#: a code that may call for a combination beside a :data:`COMBINATION` code (heart failure,
#: heart disease, CKD, I11-I13, a diabetes code but the "without complications" ones, a
#: condition the Index links to diabetes);
#: tested on the diagnoses' bits only (the claim context puts procedure bits from 256 up in
#: the bits it tests for "anything", never for this one)
COMBINATION_COMPANION = 256
#: a chapter 15 code (O00-O9A: pregnancy, childbirth and the puerperium), which has
#: sequencing priority over the codes of other chapters (Guideline I.C.15.a.1); tested on
#: the diagnoses' bits only, as :data:`COMBINATION_COMPANION`
OBSTETRIC = 512
#: a code a row of :data:`codekit.icd10cm.guidelines.CONFLICTS` may remove (``is_drop``:
#: Z20.822, A41.9, O80, a Z85 code of a site, O24.4-, a burn of a site, an injury for a
#: subsequent encounter, an adverse effect, Y93, Y99...), and one that may rule it out
#: (``is_partner``: U07.1, a malignancy of a Z85 site, a burn, an injury for the initial
#: encounter, a poisoning...; chapter 15 codes are :data:`OBSTETRIC`); a code a row of
#: :data:`codekit.icd10cm.guidelines.SEQUENCES` lists first (``goes_first``: a poisoning,
#: T36-T50 with 6th character 1-4; a burn or corrosion of a site, T20-T25; a sepsis code;
#: U07.1), and a code a
#: row may find first-listed before it (``AFTER_CODES``: a condition, A00-R99 but chapter
#: 15; T31, T32; a burn of a site). Derived from those tables, so a row added there marks
#: its codes. Tested on the diagnoses' bits only, as :data:`COMBINATION_COMPANION`.
GUIDELINE_DROP = 1024
GUIDELINE_PARTNER = 2048
GUIDELINE_FIRST = 4096
GUIDELINE_AFTER = 8192
#: a code a :data:`codekit.icd10cm.guidelines.CONFLICTS` row may remove only beside a
#: code of its own category (``drop_kinds``: a burn beside a deeper one of its site, an
#: injury's subsequent encounter beside its initial one, an adverse effect beside a
#: poisoning by its drug, a second Y93 or Y99 code), which a claim whose valid codes are
#: all of different categories cannot have (nor one whose codes share no
#: :attr:`Facts.guideline_kin` key); :data:`GUIDELINE_DROP` is the rows whose partners may
#: be of any category. Tested on the diagnoses' bits only.
GUIDELINE_SAME = 16384
#: severe sepsis (R65.2-), whose underlying systemic infection must be coded beside it
#: (Guideline I.C.1.d.1.b: ``DX_ETIOLOGY_MISSING``); tested on the diagnoses' bits only
SEVERE_SEPSIS = 32768
#: on the MCE's questionable-admission list on the date (MCE flag ``qadm``: I10, E11.9,
#: E66.9, R03.0, Z21...), which the MCE judges of the principal diagnosis only; tested
#: on the first diagnosis's bits only, as :data:`COMBINATION_COMPANION`
QUESTIONABLE_ADMISSION = 65536
#: a sign or symptom a row of :data:`codekit.icd10cm.guidelines.INTEGRAL` may remove beside
#: a disease it is routinely part of (``is_integral_symptom``: R07.9, R05.9, R10.9, R50.9,
#: R03.0...: ``DX_SYMPTOM_INTEGRAL``, Guideline I.B.5), and a disease beside which a row
#: removes one (``is_integral_disease``: I21.4, J18.9, K35.80, J11.1, I10...); tested on
#: the diagnoses' bits only
SYMPTOM_INTEGRAL = 131072
SYMPTOM_DISEASE = 262144
#: a code that may rule out one a row of its own category removes (``is_kin_partner``: an
#: injury for the initial encounter, a poisoning, a burn, a Y93 or Y99 code): beside a
#: :data:`GUIDELINE_SAME` code, the claim context asks whether the two share a key
#: (:attr:`Facts.guideline_kin`). Tested on the diagnoses' bits only.
GUIDELINE_KIN = 524288
#: a sequela of chapter 19 (S00-T88, 7th character S), whose residual condition is listed
#: first (Guidelines I.B.10, I.C.19.a): first-listed, the claim context plans
#: ``DX_GUIDELINE_SEQUENCE``; tested on the diagnoses' bits only
SEQUELA = 1048576
#: on the MCE's list of unspecified codes on the date (MCE flag ``unspecified``: edit 20,
#: "Unspecified code", from 2022-04-01, CR 12471: a code of unspecified side whose sided
#: codes exist, G81.00, H05.019...); tested on the diagnoses' bits only
UNSPECIFIED_MCE = 2097152
#: a code whose category's tabular note gives it ages (:data:`AGE_NOTES`: Z68, body mass
#: index), which carries :data:`AGE_LIMIT` too; tested on the diagnoses' bits only
AGE_NOTE = 4194304
#: a code of one side or both (:attr:`Facts.side`; H65.93 "Unspecified nonsuppurative
#: otitis media, bilateral" too) of a subcategory holding a code of one side and its bilateral
#: code (:data:`BILATERAL_PREFIXES`: H25.1-, H40.11-, H65.0-, M17.1-...;
#: :attr:`Facts.bilateral`; not H25.10, unspecified eye): two of them of one category,
#: the claim context plans ``DX_GUIDELINE_CONFLICT``'s bilateral edit
#: (Guideline I.B.13: the bilateral code where the classification has one); tested on the
#: diagnoses' bits only
BILATERAL = 8388608
#: a superficial injury (:data:`codekit.icd10cm.guidelines.SUPERFICIAL_INJURIES`: S00,
#: S10 ... S90), which is not coded beside a more severe injury of the same site
#: (Guideline I.C.19.b.1): beside another code of its body region (S80.01XA with
#: S82.001A), the claim context plans ``DX_GUIDELINE_CONFLICT``; tested on the diagnoses'
#: bits only
SUPERFICIAL = 16777216
#: the encounter of a code that is not an external cause (an injury of chapter 19, a
#: fracture of chapter 13) by its 7th character (:attr:`Facts.encounter`): initial,
#: subsequent, sequela; and of an external cause code (V00-Y38): initial, subsequent, a
#: sequela both (``CAUSE_INITIAL | CAUSE_SUBSEQUENT``: five bits where six would pass
#: 2**30, past which the bits are no longer one-digit integers). With them the claim
#: context tells from the diagnoses' bits alone that no external cause has another
#: encounter than every injury's (I.C.20.a.2) before it looks at the codes; a sequela
#: cause beside an initial and a subsequent one reads as "maybe", which the look then
#: answers. Tested on the diagnoses' bits only.
INJURY_INITIAL = 33554432
INJURY_SUBSEQUENT = 67108864
INJURY_SEQUELA = 134217728
CAUSE_INITIAL = 268435456
CAUSE_SUBSEQUENT = 536870912
#: not in the tabular whose notes its date reads, that tabular being another release's
#: (:meth:`DateView.untabulated`: I42.01, new in FY2027, against the FY2026 tabular): the
#: claim context says so (``ICD10CM_NOTES_NOT_COVERED``). The one bit past 2**30: set on
#: such codes only, so the bits of every other claim stay one-digit integers, and the
#: claim context tells a claim with such a code by one comparison of its OR-ed bits.
UNTABULATED = 1 << 30
#: Facts.encounter -> its bit, of a code that is not an external cause / of one that is
_INJURY_ENCOUNTER = {"A": INJURY_INITIAL, "D": INJURY_SUBSEQUENT, "S": INJURY_SEQUELA}
_CAUSE_ENCOUNTER = {"A": CAUSE_INITIAL, "D": CAUSE_SUBSEQUENT,
                    "S": CAUSE_INITIAL | CAUSE_SUBSEQUENT}
#: The first four characters of every code of one side (right or left) whose bilateral code
#: the classification has (:attr:`Facts.bilateral`), and of that bilateral code where it is
#: of another subcategory (M17.0 for M17.11), on the dates codekit covers:
#: ``tests/test_guidelines.py`` holds the table to the tabular. A code of one carries
#: :data:`BILATERAL`.
BILATERAL_PREFIXES = frozenset((
    "C796", "E083", "E093", "E103", "E113", "E133", "G513", "G560", "G561", "G562", "G563",
    "G564", "G568", "G569", "G570", "G571", "G572", "G573", "G574", "G575", "G576", "G577",
    "G578", "G579", "G905", "H022", "H024", "H040", "H041", "H042", "H043", "H044", "H045",
    "H046", "H048", "H050", "H051", "H052", "H053", "H054", "H055", "H058", "H100", "H101",
    "H102", "H103", "H104", "H105", "H108", "H110", "H111", "H112", "H113", "H114", "H118",
    "H150", "H151", "H158", "H160", "H161", "H162", "H163", "H164", "H170", "H171", "H178",
    "H180", "H181", "H182", "H183", "H184", "H185", "H186", "H187", "H188", "H200", "H201",
    "H202", "H208", "H210", "H211", "H212", "H213", "H214", "H215", "H250", "H251", "H252",
    "H258", "H260", "H261", "H262", "H263", "H264", "H270", "H271", "H300", "H301", "H302",
    "H308", "H309", "H310", "H311", "H313", "H314", "H330", "H331", "H332", "H333", "H334",
    "H340", "H341", "H342", "H348", "H350", "H351", "H352", "H353", "H354", "H356", "H357",
    "H368", "H400", "H401", "H402", "H408", "H430", "H431", "H432", "H433", "H438", "H440",
    "H441", "H442", "H443", "H444", "H445", "H446", "H447", "H448", "H460", "H461", "H470",
    "H471", "H472", "H473", "H490", "H491", "H492", "H493", "H494", "H498", "H512", "H520",
    "H521", "H522", "H525", "H530", "H531", "H534", "H570", "H571", "H578", "H590", "H591",
    "H592", "H593", "H598", "H600", "H601", "H602", "H603", "H604", "H605", "H606", "H608",
    "H609", "H610", "H611", "H612", "H613", "H618", "H619", "H624", "H628", "H650", "H651",
    "H652", "H653", "H654", "H659", "H660", "H661", "H662", "H663", "H664", "H669", "H680",
    "H681", "H690", "H698", "H699", "H700", "H701", "H702", "H708", "H709", "H710", "H711",
    "H712", "H713", "H719", "H720", "H721", "H722", "H728", "H729", "H730", "H731", "H732",
    "H738", "H739", "H740", "H741", "H742", "H743", "H744", "H748", "H749", "H750", "H758",
    "H800", "H801", "H802", "H808", "H809", "H810", "H811", "H812", "H813", "H814", "H818",
    "H819", "H830", "H831", "H832", "H833", "H838", "H839", "H900", "H901", "H903", "H904",
    "H906", "H907", "H910", "H911", "H912", "H918", "H919", "H920", "H921", "H922", "H930",
    "H931", "H932", "H933", "H938", "H939", "H93A", "H940", "H948", "H950", "H951", "H958",
    "I630", "I631", "I632", "I633", "I634", "I635", "I650", "I652", "I660", "I661", "I662",
    "I702", "I703", "I704", "I705", "I706", "I707", "I750", "I800", "I801", "I802", "I824",
    "I825", "I826", "I827", "I828", "I82A", "I82B", "I82C", "I838", "I839", "I870", "I873",
    "M160", "M161", "M162", "M163", "M164", "M165", "M170", "M171", "M172", "M173", "M180",
    "M181", "M182", "M183", "M184", "M185", "M266", "M925", "M930", "N612", "N801", "N802",
    "N803", "N80A", "Q650", "Q651", "Q653", "Q654", "Q710", "Q711", "Q713", "Q714", "Q715",
    "Q716", "Q718", "Q719", "Q720", "Q721", "Q723", "Q724", "Q725", "Q726", "Q728", "Q729",
    "R223", "R224", "R923", "R938", "S093", "S202", "S203", "Z901", "Z966", "Z971",
))

#: The codes of :data:`COMBINATION` (``codekit.rules.combinations``: hypertension I10-I13,
#: heart disease and CKD; the diabetes "without complications" codes .9).
COMBINATION_CODES = ("I10", "I11", "I12", "I13", "E089", "E099", "E109", "E119", "E139")
#: The companions a diabetes combination code says all of (``codekit.rules.combinations.
#: LINKS`` that replace their companion: I73.9 beside E11.51, G62.9 beside E11.42, E16.2,
#: R73.9, M14.6-), and systolic and diastolic heart failure (I50.2-, I50.3-), which
#: combined heart failure (I50.4-) replaces beside each other: codes a combination may
#: replace too, so they carry :data:`COMBINATION` as well as :data:`COMBINATION_COMPANION`.
COMBINATION_REPLACED = ("I739", "G629", "E162", "R739", "M146", "I502", "I503")
#: The codes of :data:`COMBINATION_COMPANION` (but E08.9, E09.9, E10.9, E11.9, E13.9):
#: those of the hypertensive combinations, and the conditions the Index links to diabetes
#: (``codekit.rules.combinations.LINKS``: peripheral angiopathy (I73.9, the
#: atherosclerosis of the extremities, I70.2-I70.7), polyneuropathy,
#: gastroparesis, ulcers, cataract, hypoglycemia, hyperglycemia, Charcot's joints,
#: periodontal disease, osteomyelitis: ``tests/test_combinations.py`` holds every code of
#: their prefixes carrying the bit).
COMBINATION_COMPANIONS = ("I11", "I12", "I13", "I50", "I51", "N18", "E08", "E09", "E10",
                          "E11", "E13", "I739", "I702", "I703", "I704", "I705", "I706",
                          "I707", "G629", "K3184", "L97", "L984",
                          "H25", "H269", "E162", "R739", "M146", "K052", "K053", "K054",
                          "K055", "K056", "M86")
#: Codes whose "Use additional code" note the guidelines make mandatory (the scopes of
#: ``codekit.rules.additional_codes.MANDATORY``, a test holds them equal): I11.0, I13.0,
#: I13.2 (the type of heart failure, I.C.9.a.1/3); I12, I13 (the CKD stage, I.C.9.a.2/3);
#: E08-E13 .22 (the CKD stage) and .621/.622 (the ulcer site), I.C.4.a; O98.7- (B20 or
#: Z21, I.C.1.a.2.f); O10.2-, O10.3- (I12 or I13, I.C.15.d); O24.0-, O24.1-, O24.3-,
#: O24.8- (the diabetes code, E08-E13, I.C.15.g); Z51.1- (the neoplasm treated, C00-D49,
#: I.C.2.e.2: its "Code also" note); I22 (the I21 code, I.C.9.e.4), D70.1 and the other
#: chapter 3 codes whose title names a drug as the cause (D52.1, D59.0, D59.2, D61.1,
#: D61.810, D61.811, D64.81, D70.2, D72.12, D75.82-, D84.821: the drug, T36-T50,
#: I.C.19.e.5.a, I.C.2.c.2) and the codes of other chapters whose title names a drug as the
#: cause and whose note is D70.1's (E16.0, G25.1, G62.0, L27.0, M10.2-, M87.1-...), which
#: the guidelines ask for where no note makes it mandatory.
ADDITIONAL_CODE_NOTES = ("I110", "I120", "I129", "I130", "I132", "I131", "E0822", "E0922",
                         "E1022", "E1122", "E1322", "E08621", "E08622", "E09621", "E09622",
                         "E10621", "E10622", "E11621", "E11622", "E13621", "E13622", "O987",
                         "O102", "O103", "O240", "O241", "O243", "O248", "Z511", "I22",
                         "D701", "D521", "D590", "D592", "D611", "D61811", "D702", "D7212",
                         "D84821", "D61810", "D6481", "D7582", "E064", "E160", "E231",
                         "E242", "E273", "E661", "G2119", "G240", "G251", "G254", "G2561",
                         "G257", "G444", "G620", "G7114", "G720", "H263", "H406", "I952",
                         "J702", "J703", "J704", "K1232", "K5903", "K853", "L105", "L1231",
                         "L233", "L244", "L251", "L270", "L271", "L432", "L560", "L561",
                         "L640", "M1A2", "M102", "M320", "M835", "M871", "N141", "N142",
                         "P938", "R330", "R502", "G2111")


def _guideline_bits(code: str) -> int:
    """:data:`GUIDELINE_DROP`, :data:`GUIDELINE_PARTNER`, :data:`GUIDELINE_FIRST`,
    :data:`GUIDELINE_AFTER`, :data:`GUIDELINE_SAME`, :data:`GUIDELINE_KIN`,
    :data:`SYMPTOM_INTEGRAL`, :data:`SYMPTOM_DISEASE` of compact ``code``."""
    after = GUIDELINE_AFTER if code.startswith(guidelines.AFTER_CODES) else 0
    if guidelines.rows_of(code) is guidelines.NO_ROWS:
        return after  # no row names the category (most codes): none of the others
    apart, own = guidelines.drop_kinds(code)
    return (GUIDELINE_DROP if apart else 0) | (GUIDELINE_SAME if own else 0) | \
        (GUIDELINE_PARTNER if guidelines.is_partner(code) else 0) | \
        (GUIDELINE_KIN if guidelines.is_kin_partner(code) else 0) | \
        (GUIDELINE_FIRST if guidelines.goes_first(code) else 0) | after | \
        (SYMPTOM_INTEGRAL if guidelines.is_integral_symptom(code) else 0) | \
        (SYMPTOM_DISEASE if guidelines.is_integral_disease(code) else 0)


class Facts:
    """What the rules need to know about one valid diagnosis: its titles and side (from
    its release), its MCE flags (from the MCE row of the date) and, read on first use, the
    code references of its Excludes1 and "Code first" notes.

    Facts are made once per code and :class:`DateView` (dates that answer alike), so a
    stream of claims over a quarter builds them once per code.

    >>> from codekit import icd10cm
    >>> f = icd10cm.facts("O80", on="2024-06-01")
    >>> f.dotted, f.sex, f.age_band, f.age_range, f.first_listed_only
    ('O80', 'F', 'maternity', (9, 64), False)
    >>> bool(f.bits & icd10cm.Facts.AGE_LIMIT), icd10cm.facts("E11.A", on="2024-06-01")
    (True, None)
    """

    #: :attr:`bits` (what a valid diagnosis may trigger): an MCE age band,
    AGE_LIMIT = AGE_LIMIT
    #: a sex limit (on the date or in the last published MCE lists),
    SEX_LIMIT = SEX_LIMIT
    #: a manifestation code,
    MANIFESTATION = MANIFESTATION
    #: an external-cause code (V00-Y99),
    EXTERNAL_CAUSE = EXTERNAL_CAUSE
    #: a Z code reported only first-listed,
    FIRST_ONLY_Z = FIRST_ONLY_Z
    #: secondary-only, never first, or on the MCE or I/OCE unacceptable-principal list.
    NOT_PRINCIPAL = NOT_PRINCIPAL
    #: a "Use additional code" note the guidelines make mandatory
    #: (:data:`ADDITIONAL_CODE_NOTES`).
    ADDITIONAL_CODE = ADDITIONAL_CODE
    #: a code a combination code may replace (:data:`COMBINATION_CODES`).
    COMBINATION = COMBINATION
    #: a code that may call for one beside it (:data:`COMBINATION_COMPANIONS`).
    COMBINATION_COMPANION = COMBINATION_COMPANION
    #: a chapter 15 code (O00-O9A).
    OBSTETRIC = OBSTETRIC
    #: a code a guideline does not report beside another (:data:`GUIDELINE_DROP`), one
    #: that rules such a code out, one a guideline sequences first.
    GUIDELINE_DROP = GUIDELINE_DROP
    GUIDELINE_PARTNER = GUIDELINE_PARTNER
    GUIDELINE_FIRST = GUIDELINE_FIRST
    GUIDELINE_AFTER = GUIDELINE_AFTER
    #: a code a guideline does not report beside another of its own category only.
    GUIDELINE_SAME = GUIDELINE_SAME
    #: a code that may rule out one of its own category (a burn, an initial injury...).
    GUIDELINE_KIN = GUIDELINE_KIN
    #: severe sepsis (R65.2-), which needs the code of its underlying infection.
    SEVERE_SEPSIS = SEVERE_SEPSIS
    #: on the MCE's questionable-admission list on the date (``qadm``).
    QUESTIONABLE_ADMISSION = QUESTIONABLE_ADMISSION
    #: a sign or symptom a guideline does not code beside a disease it is part of, and
    #: such a disease.
    SYMPTOM_INTEGRAL = SYMPTOM_INTEGRAL
    SYMPTOM_DISEASE = SYMPTOM_DISEASE
    #: a sequela of chapter 19 (7th character S).
    SEQUELA = SEQUELA
    #: on the MCE's list of unspecified codes on the date (``unspecified``: edit 20).
    UNSPECIFIED_MCE = UNSPECIFIED_MCE
    #: a code whose category's tabular note gives it ages (Z68).
    AGE_NOTE = AGE_NOTE
    #: a code of one side or both of a subcategory with a code of one side and its
    #: bilateral code (H25.11, H25.13; not H25.10).
    BILATERAL = BILATERAL
    #: a superficial injury (S00, S10 ... S90), not coded beside a more severe injury of
    #: the same site (I.C.19.b.1).
    SUPERFICIAL = SUPERFICIAL
    #: the encounter of an injury (7th character A, D or S) and of an external cause
    #: (A, D; a sequela both), for the claim context's I.C.20.a.2 test.
    INJURY_INITIAL = INJURY_INITIAL
    INJURY_SUBSEQUENT = INJURY_SUBSEQUENT
    INJURY_SEQUELA = INJURY_SEQUELA
    CAUSE_INITIAL = CAUSE_INITIAL
    CAUSE_SUBSEQUENT = CAUSE_SUBSEQUENT
    UNTABULATED = UNTABULATED

    __slots__ = ("_bilateral", "_dc", "_holder", "_notes", "_side", "_title", "age_band",
                 "age_range",
                 "bits", "category_bit", "code", "code_first_mask", "dotted", "encounter",
                 "excludes1_mask", "external_cause", "first_listed_only", "guideline_kin",
                 "ioce_unacceptable_principal", "ioce_unacceptable_principal_inpatient",
                 "last_listed_sex", "manifestation", "mce_manifestation", "never_first",
                 "requires_secondary", "secondary_only", "sex", "unacceptable_principal")

    def __init__(self, code: str, dc: DateView, mce: _MceFacts) -> None:
        self.code = code
        self.dotted = code if len(code) == 3 else code[:3] + "." + code[3:]
        self._dc = dc  # the dates these facts answer for
        #: The bit of the code's category in :attr:`NoteIndex.mask` (a note of another
        #: code names this one only if its mask has this bit).
        self.category_bit = _details.category_bit(code[:3])
        #: :attr:`NoteIndex.mask` of the code's Excludes1 / "Code first" notes; -1 (every
        #: bit) until they are read (:attr:`excludes1_index` reads them).
        self.excludes1_mask = self.code_first_mask = -1
        self._holder: tuple[ReleaseTable | None, int] | None = None  # found on first use
        self._title: str | None = None  # read on first use
        self._side: tuple[str | None, str | None] | None = None
        self._bilateral: Facts | bool | None = False  # worked out on first use
        (self.sex, self.age_band, self.age_range, self.mce_manifestation,
         self.unacceptable_principal, self.requires_secondary, self.last_listed_sex,
         bits) = mce
        self.external_cause = code[:1] in "VWXY"
        #: The encounter a code of chapter 19 or 20, or a fracture of chapter 13, is for by
        #: its 7th character (:func:`codekit.icd10cm.guidelines.encounter`: "A" initial,
        #: "D" subsequent, "S" sequela); None for the others.
        self.encounter = guidelines.encounter(code)
        #: "in diseases classified elsewhere" in its title, or on the MCE manifestation list
        self.manifestation = self.mce_manifestation or (
            code in (dc._titled or dc.titled())
            and _MANIFESTATION_WORDS in self.title.lower())
        self._notes: tuple[NoteIndex, NoteIndex] | None = None  # Excludes1, Code first; on use
        #: A Z code reported only as the principal/first-listed diagnosis (Guideline
        #: I.C.21.c.16).
        self.first_listed_only = code.startswith(FIRST_ONLY) and \
            not code.startswith(FIRST_ONLY_EXCEPT)
        #: A code the classification allows only as an additional code (B95-B97, Z37, Z3A,
        #: Z68), on every claim type.
        self.secondary_only = code.startswith(SECONDARY_ONLY)
        #: Never first by the guidelines (R65.1-, R65.2-, underdosing T36-T50 with 6th
        #: character 6: :data:`NEVER_FIRST`); the MCE and I/OCE lists have most of them,
        #: for the claims they edit.
        self.never_first = code.startswith(NEVER_FIRST) or _details.drug_intent(code) == "6"
        #: On the I/OCE's list of diagnoses unacceptable as the principal diagnosis of an
        #: outpatient claim on these dates (edit 113, from 2019-10-01): adverse effects and
        #: underdosing (T36-T50), coma scale (R40.2x), many Z codes... (the MCE's
        #: inpatient list is :attr:`unacceptable_principal`).
        self.ioce_unacceptable_principal = _ioce.on_list(code, dc.day)
        #: On the list's inpatient form, which the I/OCE runs on types of bill 12x, 22x, 81x
        #: and 82x: the outpatient list and, from 2025-04-01, F02-F07, F09, R53.81-R53.83,
        #: R54, R62.7 (its exclusion flag disregarded).
        self.ioce_unacceptable_principal_inpatient = self.ioce_unacceptable_principal or \
            _ioce.ioce_principal_inpatient().on_list(code, dc.day)
        #: What this diagnosis may trigger (:data:`AGE_LIMIT`, :data:`SEX_LIMIT`...)
        self.bits = bits | (MANIFESTATION if self.manifestation else 0) | \
            (EXTERNAL_CAUSE if self.external_cause else 0) | \
            (FIRST_ONLY_Z if self.first_listed_only else 0) | \
            (NOT_PRINCIPAL if self.secondary_only or self.never_first
             or self.ioce_unacceptable_principal_inpatient
             or _details.drug_intent(code) == "5" else 0) | \
            (AGE_LIMIT if _ioce.age_limit(code, dc.day) is not None else 0) | \
            (AGE_LIMIT | AGE_NOTE if code.startswith(AGE_NOTES) else 0) | \
            (ADDITIONAL_CODE if code.startswith(ADDITIONAL_CODE_NOTES) else 0) | \
            (COMBINATION if code.startswith(COMBINATION_CODES)
             or code.startswith(COMBINATION_REPLACED) else 0) | \
            (COMBINATION_COMPANION if code.startswith(COMBINATION_COMPANIONS)
             and code not in COMBINATION_CODES else 0) | \
            (OBSTETRIC if code[:1] == "O" else 0) | _guideline_bits(code) | \
            (SEVERE_SEPSIS if code.startswith("R652") else 0) | \
            (SEQUELA if self.encounter == "S" and code[0] in "ST" else 0) | \
            (SUPERFICIAL if code[:3] in guidelines.SUPERFICIAL_INJURIES else 0) | \
            (0 if self.encounter is None else (
                _CAUSE_ENCOUNTER if self.external_cause else _INJURY_ENCOUNTER)[
                    self.encounter]) | \
            (BILATERAL if code[:4] in BILATERAL_PREFIXES and self.side is not None else 0) | \
            (UNTABULATED if dc.untabulated(code) else 0)
        #: The keys under which a guideline row of one category may pair this code with
        #: another (:func:`codekit.icd10cm.guidelines.kin_keys`; () for a code with
        #: neither :data:`GUIDELINE_SAME` nor :data:`GUIDELINE_KIN`): two codes such a row
        #: pairs share one.
        self.guideline_kin: tuple[str, ...] = guidelines.kin_keys(code) \
            if self.bits & (GUIDELINE_SAME | GUIDELINE_KIN) else ()

    @staticmethod
    def category_bit_of(category: str) -> int:
        """The :attr:`category_bit` of the codes of a 3-character ``category``.

        >>> from codekit import icd10cm
        >>> wrong = icd10cm.facts("Y65.51", on="2025-01-01")
        >>> Facts.category_bit_of("Y65") == wrong.category_bit
        True
        """
        return _details.category_bit(category)

    @property
    def _held(self) -> tuple[ReleaseTable | None, int]:
        """(the release whose row describes the code -- the date's release, else the
        nearest that has it; None when none has --, and the row)."""
        held = self._holder
        if held is None:
            dc = self._dc
            rel: ReleaseTable | None = dc.release
            i = rel.row(self.code)  # type: ignore[union-attr]
            if i is None:
                rel = next((r for r in dc.releases if r.row(self.code) is not None), None)
                i = rel.row(self.code) if rel is not None else None
            held = self._holder = (rel, -1 if i is None else i)
        return held

    @property
    def title(self) -> str:
        """The long title ("" when no release codekit has describes the code)."""
        title = self._title
        if title is None:
            rel, i = self._held
            title = self._title = rel.long_title(i) if rel is not None and i >= 0 else ""
        return title

    @property
    def side(self) -> str | None:
        """"right", "left" or "bilateral" when the title names a side of the body
        ("bilateral" also beside an unspecified type: H65.93 "Unspecified nonsuppurative
        otitis media, bilateral"); None for a title of the unspecified side (H65.90), and
        for one whose "left" or "right" names a part of the heart, its vessels or the
        colon (I44.4 "Left anterior fascicular block", I21.11's right coronary artery,
        "ascending [right] colon": :data:`_NOT_A_SIDE`)."""
        if self._side is None:
            self._side = _side(self.title)
        return self._side[0]

    @property
    def detail(self) -> str | None:
        """The finger, toe or eyelid the title names, if any."""
        if self._side is None:
            self._side = _side(self.title)
        return self._side[1]

    @property
    def bilateral(self) -> Facts | None:
        """For a code of one side (right or left), the code of the same condition on both
        sides where the classification has one (Guideline I.B.13): the sibling (at the
        side's character, the code's last or the one before an extension character)
        whose title names "bilateral" and is otherwise the same but for "eye" and "ear"
        and the number of its nouns (H65.91, "Unspecified nonsuppurative otitis media,
        right ear": H65.93, the type unspecified is the same on both sides; I80.202, "...
        of left lower extremity": I80.203, "... of lower extremities, bilateral"); for a
        title saying "unilateral", the code of its category saying "bilateral" (M17.11,
        "Unilateral primary osteoarthritis, right knee": M17.0, "Bilateral primary
        osteoarthritis of knee"; H90.11, "Conductive hearing loss, unilateral, right ear,
        with unrestricted hearing on the contralateral side": H90.0, the other side's code
        denying the unrestricted hearing). None for a code of no side, of both, of "stage
        unspecified" (the two sides may be of two stages: I.C.7.a.2 asks for the same type
        and stage documented), of "restricted hearing on the contralateral side" (H90.A11:
        the other ear's loss may be of another type), or without one (C50.911: C50.919 is
        the unspecified breast).

        >>> from codekit import icd10cm
        >>> icd10cm.facts("H25.11", on="2025-11-03").bilateral
        Facts('H25.13')
        >>> icd10cm.facts("H40.1122", on="2025-11-03").bilateral
        Facts('H40.1132')
        >>> [icd10cm.facts(c, on="2025-11-03").bilateral for c in ("M17.11", "H65.92")]
        [Facts('M17.0'), Facts('H65.93')]
        >>> [icd10cm.facts(c, on="2025-11-03").bilateral for c in ("H40.1110", "H90.A11")]
        [None, None]
        >>> [icd10cm.facts(c, on="2025-11-03").bilateral for c in ("H90.11", "I80.202")]
        [Facts('H90.0'), Facts('I80.203')]
        """
        found = self._bilateral
        if found is False:
            found = self._bilateral = _bilateral(self)
        return found  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Facts({self.dotted!r})"

    @property
    def notes_caveat(self) -> str | None:
        """Where the Excludes1 and "Code first" notes these facts use come from when the
        release of the date came without a tabular (e.g. "notes of the FY2026 tabular:
        the FY2027 tabular XML ... is not available to codekit."); None when they are the
        date's own. Per code, :attr:`codekit.icd10cm.Entry.notes_note` says more."""
        return _notes_caveat(self._dc.release)

    @property
    def entry(self) -> Entry:
        """The code's entry on a date these facts answer for (notes, hierarchy...). Facts
        answer for a class of dates alike for the code, and the entry's ``on`` is the first
        date of the class this process asked about: for the entry of one date (its ``on``
        that date, whatever was asked before), call ``validate(code, on=date)``."""
        return _codes.validate(self.code, on=self._dc.day)

    def _read_notes(self) -> tuple[NoteIndex, NoteIndex]:
        notes = self._notes
        if notes is None:
            release = self._dc.release
            store = default_store()
            ex, cf = _details.note_groups(store, release, self._held[0] or release,
                                          self.code, "excludes1", "codeFirst")
            if cf and not _details.adverse_effect(self.code):
                cf = tuple(g for g in cf if not g.adverse_effects_only)
            # another year's tabular: its references are read by this year's codes
            year = None if _details.tabular_for(store, release) is release else release
            notes = self._notes = (NoteIndex(ex, year) if ex else _NO_NOTES,
                                   NoteIndex(cf, year) if cf else _NO_NOTES)
            self.excludes1_mask, self.code_first_mask = notes[0].mask, notes[1].mask
        return notes

    @property
    def excludes1(self) -> tuple[tuple[Any, str, str], ...]:
        """``(CodeRef, note text, origin)`` of every Excludes1 reference that applies (those
        of :attr:`codekit.icd10cm.Entry.excludes1`)."""
        return tuple(r for g in self._read_notes()[0].groups for r in g.refs)

    @property
    def code_first(self) -> tuple[tuple[Any, str, str], ...]:
        """``(CodeRef, note text, origin)`` of every "Code first" reference."""
        return tuple(r for g in self._read_notes()[1].groups for r in g.refs)

    @property
    def excludes1_index(self) -> NoteIndex:
        """The Excludes1 references indexed for "which note names this code"."""
        return (self._notes or self._read_notes())[0]

    @property
    def code_first_index(self) -> NoteIndex:
        """The "Code first" references indexed as :attr:`excludes1_index`."""
        return (self._notes or self._read_notes())[1]

    @property
    def has_code_first(self) -> bool:
        """Whether any "Code first" note applies to the code (:attr:`code_first` is not
        empty): a manifestation or a condition listed after its cause."""
        return bool(self._read_notes()[1].groups)

    def excludes1_note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of an Excludes1 note of this code naming ``code``."""
        return (self._notes or self._read_notes())[0].note(code)

    def code_first_note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of a "Code first" note of this code naming ``code``."""
        return (self._notes or self._read_notes())[1].note(code)


_CAVEATS: dict[str, str | None] = {}


def _notes_caveat(release: ReleaseTable) -> str | None:
    found = _CAVEATS.get(release.id, _UNSEEN)
    if found is _UNSEEN:
        tab = _details.tabular_for(default_store(), release)
        if tab is release:
            found = None
        elif tab is None:
            found = "no tabular notes are available"
        else:
            why = release.meta.get("notes_unavailable") or \
                f"{release.readable} came without a tabular XML."
            found = f"notes of the {tab.readable} tabular: {why}"
        _CAVEATS[release.id] = found
    return found  # type: ignore[return-value]


_UNSEEN = object()
_NO_NOTES: NoteIndex  # set below the class: the notes of a code without any


class NoteIndex:
    """One kind of note of a code (:attr:`Facts.excludes1_index`): its reference groups,
    and the answers to "which note names this other code" (most codes are of a category
    no reference names: one set look-up says so).

    ``mask`` has the :attr:`Facts.category_bit` of every category a reference may name
    (ranges included): diagnoses whose bits it lacks are named by none of these notes,
    which one integer AND tells for a whole claim's diagnoses at once.

    >>> from codekit import icd10cm
    >>> e11 = icd10cm.facts("E11.9", on="2025-06-01")
    >>> e10, i10 = (icd10cm.facts(c, on="2025-06-01") for c in ("E10.9", "I10"))
    >>> bool(e11.excludes1_index.mask & e10.category_bit), e11.excludes1_note("E109")[0]
    (True, 'type 1 diabetes mellitus (E10.-)')
    >>> bool(e11.excludes1_index.mask & i10.category_bit)
    False

    A note from another year's tabular (a release without its own) may name a code that
    the year of the date does not have: a later child of one of its codes (the FY2021
    tabular's "headache NOS (R51.9)" where FY2020 has R51, billable) or a code the year
    folded into its parent. Such a reference names the year's code it falls under, so
    notes apply by the year's own codes:

    >>> g44 = icd10cm.facts("G44.209", on="2020-05-01")   # notes of the FY2021-01 tabular
    >>> g44.excludes1_note("R51")
    ('headache NOS (R51.9)', 'G44')
    """

    __slots__ = ("categories", "groups", "mask", "memo", "ranges", "year")

    def __init__(self, groups: tuple[_details.RefGroup, ...],
                 year: ReleaseTable | None = None) -> None:
        self.groups = groups
        #: the release of the dates when the notes are another year's tabular, else None
        self.year = year
        if len(groups) == 1:
            self.categories, self.mask = groups[0].categories, groups[0].mask
        else:
            self.categories = frozenset().union(*(g.categories for g in groups))
            mask = 0
            for g in groups:
                mask |= g.mask
            self.mask = _details.shared_mask(mask)
        self.ranges = any(g.ranges for g in groups)
        self.memo: dict[str, tuple[str, str] | None] | None = None  # made on first use

    def note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of the first reference naming ``code``, or None."""
        if not self.ranges and code[:3] not in self.categories:
            return None
        memo = self.memo
        if memo is None:
            memo = self.memo = {}
        found = memo.get(code, _UNSEEN)
        if found is _UNSEEN:
            found = None
            for group in self.groups:
                ref = group.first(code)
                if ref is not None:
                    found = ref[1], ref[2]
                    break
            else:
                year = self.year
                if year is not None:  # a reference to a code below it, which year lacks
                    for group in self.groups:
                        ref = group.below(code, year)
                        if ref is not None:
                            found = ref[1], ref[2]
                            break
            if len(memo) < 4096:
                memo[code] = found
        return found  # type: ignore[return-value]


_NO_NOTES = NoteIndex(())


_SIDE_WORD = re.compile(r"\b(bilateral|left|right)\b[\s-]*")
#: What after "left"/"right" makes it the name of a part of an unpaired structure, which no
#: RT, LT or 50 on a procedure can contradict, rather than a side of the body (the rule:
#: the heart and its great vessels and the colon; a paired organ, a limb or a region of
#: the body wall -- a lung, a main bronchus, a carotid artery, an abdominal quadrant, a
#: flank -- keeps its side):
#:
#: - the heart's halves, chambers and conduction system: "left ventricular failure" (I50.1),
#:   "right heart failure" (I50.81-), "hypoplastic left heart syndrome" (Q23.4), "double
#:   outlet right ventricle" (Q20.1), "left bundle-branch block" (I44.7), "left anterior
#:   fascicular block" (I44.4), "left posterior fascicular block" (I44.5), "right
#:   fascicular block" (I45.0);
#: - the coronary arteries: "left main coronary artery" (I21.01), "left anterior descending
#:   coronary artery" (I21.02), "right coronary artery" (I21.11), "left circumflex coronary
#:   artery" (I21.21): vessels of the heart, as the coronary modifiers LC/LD/LM/RC name them;
#: - the great vessels' anomalies: "right aortic arch" (Q25.47), "persistent left superior
#:   vena cava" (Q26.1);
#: - the colon's segments: "left sided colitis" (K51.5-); "ascending [right] colon" is a
#:   bracketed gloss (below);
#: - the verb: "foreign body accidentally left in body" (T81.5-), "left during a procedure"
#:   (T81.6-).
_NOT_A_SIDE = re.compile(
    r"(?:heart|ventricle|ventricular|atrium|atrial|bundle|(?:anterior |posterior )?fascicular"
    r"|(?:main |anterior descending |circumflex )?coronary|aortic arch|superior vena cava"
    r"|sided|in|during|to)\b")
_BRACKETED = re.compile(r"\[[^\]]*\]")
_DETAILS = ("upper eyelid", "lower eyelid", "thumb", "index finger", "middle finger",
            "ring finger", "little finger", "great toe", "lesser toe")


def _side(title: str) -> tuple[str | None, str | None]:
    """(the side of the body the title names, the finger, toe or eyelid it names).

    >>> _side("Primary osteoarthritis, left knee")
    ('left', None)
    >>> _side("Left ventricular failure, unspecified")
    (None, None)
    >>> _side("Left anterior fascicular block"), _side("Right upper quadrant pain")
    ((None, None), ('right', None))
    >>> _side("Laceration without foreign body of right index finger")
    ('right', 'index finger')
    >>> _side("Unspecified nonsuppurative otitis media, bilateral")
    ('bilateral', None)
    """
    low = title.lower()
    # "[right] colon" glosses the ascending colon: a part of an organ, not a side
    plain = _BRACKETED.sub(" ", low) if "[" in low else low
    sides = {m.group(1) for m in _SIDE_WORD.finditer(plain)
             if not _NOT_A_SIDE.match(plain, m.end())}
    words = low.replace(",", " ").split()
    # "unspecified" with no side is the unspecified side (H65.90 "..., unspecified ear");
    # beside "bilateral" it is the unspecified type, of both sides (H65.93 "Unspecified
    # nonsuppurative otitis media, bilateral")
    if "unspecified" in words and not sides:
        return None, None
    side = "bilateral" if "bilateral" in sides or {"right", "left"} <= sides else \
        next(iter(sides), None)
    detail = next((d for d in _DETAILS if d in low), None)
    return side, detail


class DateView:
    """Dates on which every diagnosis code gets the same answer (see the module doc).

    ``answers`` maps a raw diagnosis string to its :class:`Facts` when valid on these
    dates, or :data:`INVALID`.
    """

    __slots__ = ("_tabular", "_titled", "_validity", "answers", "bands", "day", "exact",
                 "facts", "masks", "mce", "mce_rows", "period", "release", "releases")

    def __init__(self, day: dt.date, period: int, release: ReleaseTable, exact: bool,
                 releases: tuple[ReleaseTable, ...], bands: dict[str, tuple[int, int]]) -> None:
        self.day = day  # the first date seen of the class
        self.period = period
        self.release = release
        self.exact = exact  # the release covers the dates (not the nearest one)
        validity = default_store().validity
        self._validity = validity
        self.masks = validity.masks  # code -> the validity periods it is billable in
        self.mce_rows = validity.mce_rows
        self._titled: frozenset[str] | None = None
        self.releases = releases  # nearest the date first
        self.bands = bands
        self.mce: dict[object, _MceFacts] = {}  # see _mce_facts
        self.answers: dict[str, Facts | bool] = {}
        self.facts: dict[str, Facts] = {}  # compact code -> facts (E11.9 and E119 share)
        tab = _details.tabular_for(default_store(), release)
        #: the release whose tabular the notes of these dates come from, when not their own
        self._tabular = None if tab is release else tab

    def __repr__(self) -> str:
        return f"<DateView period {self.period} release {self.release.id} ({self.day})>"

    def untabulated(self, code: str) -> bool:
        """Whether ``code`` (compact, valid on these dates) is not in the tabular these
        dates' notes come from, when that is another release's (I42.01, new on 2026-10-01,
        is not in the FY2026 tabular FY2027 dates read): its own Excludes1, "Code first",
        "Use additional code" notes and 7th characters are not there, only those written
        above it (its categories, block and chapter). False on dates whose release has a
        tabular of its own.

        >>> dc = date_view("2026-11-10")
        >>> dc.untabulated("I4201"), dc.untabulated("I10")
        (True, False)
        >>> date_view("2026-05-01").untabulated("I4201")
        False
        """
        tab = self._tabular
        return tab is not None and tab.row(_details.stem(code, tab)) is None

    def untabulated_note(self, codes: list[str], day: dt.date) -> str:
        """What a claim report of ``day`` (one of these dates) says of its diagnoses
        ``codes`` (dotted) that :meth:`untabulated` holds: whose tabular the notes are and
        why; "" on dates whose release has a tabular of its own."""
        tab = self._tabular
        if tab is None:
            return ""
        why = self.release.meta.get("notes_unavailable") or \
            f"{self.release.readable} came without a tabular XML."
        one = len(codes) == 1
        above = ("it (its categories, block and chapter)" if one else
                 "them (their categories, blocks and chapters)")
        return (f"{_listed_and(codes)} {'is' if one else 'are'} not in the {tab.readable} "
                f"tabular, whose notes codekit reads on {day}: the convention edits "
                "(Excludes1, code first, use additional code, 7th characters) read only the "
                f"notes written above {above}, not {'its' if one else 'their'} own. "
                f"{why[:1].upper()}{why[1:]}")

    def error(self, raw: str, day: dt.date) -> ValidationError:
        """The validity error of ``raw`` on ``day`` (a date of this view) when
        :meth:`resolve` answered :data:`INVALID`: the one
        :func:`~codekit.icd10cm.validate` raises, returned, and remembered."""
        return diagnosis_error(raw, day)

    def resolve(self, raw: str) -> Facts | bool:
        """The :class:`Facts` of ``raw`` (a code as written) when it is valid on these
        dates, else :data:`INVALID` (False); remembered in :attr:`answers`, which callers
        on a hot path may read first."""
        hit = self.answers.get(raw)
        return hit if hit is not None else resolve_diagnosis(raw, self)

    def titled(self) -> frozenset[str]:
        """Codes that may be titled "... in diseases classified elsewhere" on these dates:
        those of the date's release when it covers them (a code valid on its dates is in
        it), else those of every release (the title then comes from the nearest one)."""
        found = self._titled
        if found is None:
            if self.exact:
                found = _titled(self.release)
            else:
                found = frozenset().union(*(_titled(r) for r in default_store().releases))
            self._titled = found
        return found


_CLASSES: dict[tuple[Any, ...], DateView] = {}
_BY_DAY: dict[dt.date, DateView] = {}
_SIZE = [0]  # answers held by all classes together


def date_view(day: object) -> DateView:
    """The class of ``day``: one object for all dates that answer alike. ``day`` is read
    as every ``on=`` is (a date, a datetime by its own date, an ISO string; None for
    today); anything else raises :class:`~codekit.InvalidArgument`."""
    if type(day) is not dt.date:
        day = coerce_date(day, "day")
    dc = _BY_DAY.get(day)
    if dc is None:
        store = default_store()
        v = store.validity
        period = v.period(day) if day >= _codes.ICD10_START else -1
        release, exact = store.release_for(day)
        releases = tuple(store.releases_by_distance(day))
        bands = _details.age_bands(store, day)
        # A code valid on a date is in the release covering it (the build checks every
        # release against the MCE), so the order of the other releases matters only when
        # no release covers the date. A date past the data is never in one class with a
        # date the data describes: an invalid answer then says it is past the data.
        key = (period, release.id, exact, () if exact else tuple(r.id for r in releases),
               tuple(sorted(bands.items())), _ioce.period(day), day > store.last_known)
        dc = _CLASSES.get(key)
        if dc is None:
            dc = _CLASSES[key] = DateView(day, period, release, exact, releases, bands)
        if len(_BY_DAY) >= 1 << 14:
            _BY_DAY.clear()
        _BY_DAY[day] = dc
    return dc


def _listed_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


#: (period of since, period of on) -> the codes valid in the second and not in the first
_NEW: dict[tuple[int, int], frozenset[str]] = _cache.owned("icd10cm.new_codes", {},
                                                           max_entries=64)


def new_codes(*, since: object, on: object) -> frozenset[str]:
    """The codes (compact) valid on ``on`` that were not valid on ``since``: for ``since``
    the first day of a fiscal year, what a mid-year (April) update added by ``on``.
    Worked out once per pair of validity periods (empty when both dates are in one).

    >>> sorted(new_codes(since="2021-10-01", on="2022-05-01"))  # April 2022
    ['Z28310', 'Z28311', 'Z2839']
    >>> new_codes(since="2025-10-01", on="2026-03-31")
    frozenset()
    """
    first, then = date_view(since), date_view(on)
    key = (first.period, then.period)
    found = _NEW.get(key)
    if found is None:
        if first.period == then.period or then.period < 0:
            found = frozenset()
        else:
            a, b = 1 << first.period if first.period >= 0 else 0, 1 << then.period
            found = frozenset(c for c, m in then.masks.items() if m & b and not m & a)
        _NEW[key] = found
    return found


#: What a code's MCE rows say on a class's dates: (sex, age band, age range, manifestation,
#: unacceptable principal, requires a secondary, sex in the last published lists, bits).
_MceFacts = tuple[str | None, str | None, tuple[int, int] | None, bool, bool, bool,
                  str | None, int]
_NO_MCE: _MceFacts = (None, None, None, False, False, False, None, 0)


def _mce_facts(rows: tuple[Any, ...], dc: DateView) -> _MceFacts:
    """What ``rows`` (a code's MCE rows) say on the dates of ``dc``; remembered per row
    sequence, which codes share."""
    # Once Validity.load_mce has run, equal row sequences are one object that lives as
    # long as the store (and the classes): its id is a key that needs no hashing.
    key: object = id(rows) if dc._validity._mce_all is not None else rows
    hit = dc.mce.get(key)
    if hit is None:
        day = dc.day
        row = _details.row_on(rows, day)
        mce = None if row is None else MceFlags.from_flags(row[2], row[0], row[1], dc.bands)
        last = _details.row_on(rows, LAST_SEX_LISTS)
        flags = last[2] if last is not None else ()
        last_sex = "M" if "male" in flags else "F" if "female" in flags else None
        if mce is None:
            hit = (*_NO_MCE[:6], last_sex, SEX_LIMIT if last_sex else 0)
        else:
            hit = (mce.sex, mce.age_band, mce.age_range, mce.manifestation,
                   mce.unacceptable_principal, "reqsdx" in mce.other, last_sex,
                   (AGE_LIMIT if mce.age_range is not None else 0)
                   | (SEX_LIMIT if mce.sex or last_sex else 0)
                   | (NOT_PRINCIPAL if mce.unacceptable_principal else 0)
                   | (QUESTIONABLE_ADMISSION if mce.questionable_admission else 0)
                   | (UNSPECIFIED_MCE if mce.unspecified else 0))
        if len(dc.mce) >= 4096:
            dc.mce.clear()
        dc.mce[key] = hit
    return hit


_MANIFESTATION_WORDS = "in diseases classified elsewhere"
_TITLED: dict[str, frozenset[str]] = {}  # release id -> codes titled a manifestation


def _titled(release: ReleaseTable) -> frozenset[str]:
    """Codes of ``release`` whose title says "in diseases classified elsewhere" (a few
    hundred): only these need their title read to tell a manifestation code."""
    found = _TITLED.get(release.id)
    if found is None:
        codes = release.codes
        found = _TITLED[release.id] = frozenset(
            codes[i] for i in release.rows_titled(_MANIFESTATION_WORDS))
    return found


def facts(code: str, day: dt.date) -> Facts | None:
    """The facts of ``code`` valid on ``day``, or None when it is not valid then."""
    hit = date_view(day).resolve(code)
    return None if hit is INVALID else hit  # type: ignore[return-value]


#: A stage the code does not give (H40.1110, H35.3110): two sides of such codes may be of
#: two stages, which the bilateral code of "stage unspecified" does not say (I.C.7.a.2
#: takes the bilateral code for glaucoma "documented as being the same type and stage").
_STAGE_UNSPECIFIED = re.compile(r"\bstage unspecified\b")
#: The words a title changes between the sides of one condition (:attr:`Facts.bilateral`).
_SIDE_WORDS = re.compile(r"\b(?:right|left|bilateral|eyes?|ears?)\b")


def _singular(word: str) -> str:
    """A title's word, a plural made singular ("extremities": "extremity", "joints":
    "joint"; not "-ss", "-us", "-is": "bypass", "tophus", "arthritis")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _side_free(title: str) -> list[str]:
    """A title's words without its side's (and "eye", "ear"), plurals made singular: a
    side's title and its bilateral code's differ in number ("of right lower extremity",
    "of lower extremities, bilateral": I80.201, I80.203; "right carotid artery",
    "bilateral carotid arteries": I65.21, I65.23)."""
    return _plain_words(_SIDE_WORDS.sub(" ", title.lower()))


#: The words a title of one side ("Unilateral primary osteoarthritis, right knee") and the
#: bilateral code of another subcategory ("Bilateral primary osteoarthritis of knee") do
#: not share (:func:`_unilateral_match`).
_UNILATERAL_WORDS = frozenset(("unilateral", "bilateral", "of", "right", "left"))


#: What a title of one side says of the other ear that the bilateral code of its category
#: says too (:func:`_unilateral_match`): H90.11, "Conductive hearing loss, unilateral, right
#: ear, with unrestricted hearing on the contralateral side", and H90.12 (the left ear's)
#: contradict each other's "unrestricted": coded together, the loss is of both ears, H90.0.
#: Not "with restricted hearing on the contralateral side" (H90.A-): the other ear's loss
#: may be of another type (H90.A11 with H90.A22), which no one code says.
_CONTRALATERAL = re.compile(r",? with unrestricted hearing on the contralateral side\b")


def _plain_words(title: str) -> list[str]:
    """A title's words without commas, plurals made singular ("joints": "joint")."""
    return [_singular(w) for w in title.lower().replace(",", " ").split()]


def _unilateral_match(f: Facts) -> Facts | None:
    """For a code of one side whose title says "unilateral" (M17.11 "Unilateral primary
    osteoarthritis, right knee"), the code of its category whose title says "bilateral"
    and is otherwise the same, the side's word and the one after it ("right knee", "right
    hand") aside (M17.0 "Bilateral primary osteoarthritis of knee"; M16.31 with M16.2
    "Bilateral osteoarthritis resulting from hip dysplasia"; M18.11 with M18.0 "...of first
    carpometacarpal joints"; Q65.01 "Congenital dislocation of right hip, unilateral" with
    Q65.1); H90.11 ("Conductive hearing loss, unilateral, right ear, with unrestricted
    hearing on the contralateral side") with H90.0 "Conductive hearing loss, bilateral":
    the other ear's unrestricted hearing aside (:data:`_CONTRALATERAL`), which the other
    side's code denies."""
    words = _plain_words(_CONTRALATERAL.sub("", f.title.lower()))
    at = next(k for k, w in enumerate(words) if w in ("right", "left"))
    kept = [w for w in words if w not in _UNILATERAL_WORDS]
    wants = (kept, [w for k, w in enumerate(words)
                    if w not in _UNILATERAL_WORDS and k != at + 1])
    day = f._dc.day
    try:
        below = list(_codes.lookup(f.code[:3], on=day).children)
    except ValidationError:
        return None
    for sub in below:
        g = facts(sub, day)
        if g is None or g.side != "bilateral":
            continue
        if [w for w in _plain_words(g.title) if w not in _UNILATERAL_WORDS] in wants:
            return g
    return None


def _bilateral(f: Facts) -> Facts | None:
    if f.side not in ("right", "left") or _STAGE_UNSPECIFIED.search(f.title.lower()):
        return None
    code, day = f.code, f._dc.day
    if "unilateral" in f.title.lower():
        return _unilateral_match(f)
    want = _side_free(f.title)
    for k in (len(code) - 1, len(code) - 2):  # the side's character
        if k < 4:
            break
        tail = code[k + 1:]
        if k == 6:  # a 7th character (E08.37X1): the values the code's entry has
            others = [code[:6] + c for c in f.entry.seventh_characters if c != code[6]]
        else:
            try:
                siblings = _codes.lookup(code[:k], on=day).children
            except ValidationError:  # a placeholder (E08.37X): no entry of its own
                continue
            others = [s + tail for s in siblings if s != code[:k + 1] and len(s) == k + 1]
        for other in others:
            g = facts(other, day)
            if g is not None and g.side == "bilateral" and _side_free(g.title) == want:
                return g
    return None


def preload() -> None:
    """Work out now what the resolver otherwise works out on first use."""
    for release in default_store().releases:
        _titled(release)


def _facts(code: str, dc: DateView) -> Facts:
    """Facts of ``code``, valid on the dates of ``dc`` (remembered there)."""
    facts = dc.facts.get(code)
    if facts is None:
        rows = dc.mce_rows(code)
        facts = dc.facts[code] = Facts(code, dc, _mce_facts(rows, dc) if rows else _NO_MCE)
    return facts


def resolve_diagnosis(raw: str, dc: DateView) -> Facts | bool:
    """The facts of ``raw`` when it is valid on the dates of ``dc``, else :data:`INVALID`
    (a blank string is INVALID too); remembered in ``dc.answers``."""
    hit = dc.answers.get(raw)
    if hit is not None:
        return hit
    hit = INVALID
    if raw.strip():
        masks = dc.masks
        # Written canonically (E1165 or E11.65)? Then it is its own key (what _key says).
        key = raw
        mask = masks.get(raw)
        if mask is None:
            if len(raw) > 4 and raw[3] == ".":
                key = raw[:3] + raw[4:]
                mask = masks.get(key)
            if mask is None:
                key = _codes._key(raw)
                mask = masks.get(key, 0) if key else 0
        if key:
            p = dc.period
            if p >= 0 and mask >> p & 1:
                hit = dc.facts.get(key) or _facts(key, dc)
        else:  # not in the fast path's shape: validate's own parser decides
            with contextlib.suppress(ValidationError):
                hit = _facts(_codes.validate(raw, on=dc.day).code, dc)
    if _SIZE[0] >= _MAX_ANSWERS:
        for c in _CLASSES.values():
            c.answers.clear()
            c.facts.clear()
            c.mce.clear()
        _SIZE[0] = 0
    if _cache.cacheable(raw):  # junk of any length is answered, not remembered
        _SIZE[0] += 1
        dc.answers[raw] = hit
    return hit


# bounded by count and bytes (an error with its suggestions is ~1-2 KB); junk not kept
_ERRORS: _cache.BoundedCache[tuple[str, dt.date], ValidationError] = \
    _cache.BoundedCache(1 << 16, 8 << 20)


def diagnosis_error(raw: str, day: dt.date) -> ValidationError:
    """The validity error of a diagnosis :func:`resolve_diagnosis` found INVALID on
    ``day``: the one :func:`~codekit.icd10cm.validate` raises (the most specific one,
    ``docs/catalog.md#precedence``), remembered and returned, not raised."""
    key = (raw, day)
    err = _ERRORS.get(key)
    if err is None:
        err = _codes.error_of(raw, day)
        if err is None:  # pragma: no cover - resolve_diagnosis and validate agree (tested)
            raise AssertionError(f"{raw!r} is valid on {day}")
        err.__context__ = None
        _ERRORS[key] = err
    return err


def _forget() -> None:
    _CAVEATS.clear()
    _CLASSES.clear()
    _BY_DAY.clear()
    _SIZE[0] = 0
    _TITLED.clear()
    _ERRORS.clear()


_cache.register("icd10cm.facts", _forget, lambda: _SIZE[0] + len(_ERRORS))
