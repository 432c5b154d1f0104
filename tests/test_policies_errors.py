"""Every kind of PolicyError, with the exact line and column, the caret excerpt and what was
expected; errors pickle; a file with an error loads nothing."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from codekit import InvalidArgument
from codekit.policies import (
    KINDS,
    PolicyError,
    check_unique_ids,
    default_policies,
    load,
    loads,
    run_tests,
)

OK_RULE = 'rule R1\n  source: "s"\n  deny\nend\n'

# (kind, text, line, column, reason starts with, expected contains)
CASES: list[tuple[str, str, int, int, str, str]] = [
    # -- syntax ---------------------------------------------------------------------------
    ("syntax", 'rule R1\n  source: "s"\n  require dx in {I10\nend', 4, 1,
     "unexpected keyword 'end'", "',' or '}'"),
    ("syntax", 'rule R1\n  source: "s"\n  require dx in I10', 3, 20,
     "unexpected end of file", "'end'"),
    ("syntax", 'rule R1\n  source: "s"\n  require dx ∈ I10\nend', 3, 14,
     "unexpected character '∈'", ""),
    ("syntax", 'rule R1\n  title: "no end\n  deny\nend', 2, 10,
     "a text in double quotes must end on the same line", ""),
    ("syntax", "foo", 1, 1, "unexpected word 'foo'", "'rule' or 'set'"),
    ("syntax", 'rule R1\n  title "x"\nend', 2, 9, "unexpected text '\"x\"'", "':'"),
    # a misspelt field or statement is named, not the word after it (was: 2:9 "unexpected
    # text '"x"'", expected ':')
    ("syntax", 'rule R1\n  titel "x"\nend', 2, 3,
     "unknown statement or field 'titel' (did you mean 'title'?)", "a field followed by ':'"),
    ("syntax", 'rule R1\n  source: "s"\n  require age >= \nend', 4, 4,
     "unexpected end of file", "'end'"),  # 'end' was read as the value
    # -- codes ----------------------------------------------------------------------------
    ("bad_code", "set S = E1165x\n", 1, 9, "'E1165x' is not written like a code", "E11.65X"),
    ("unknown_set", "set S = Sublux\n", 1, 9, "unknown set 'Sublux'", "or a code"),
    ("bad_code", "set S = {I10, E11.}\n", 1, 15, "'E11.' is not a code: not ICD-10-CM syntax",
     "a code (M99.03"),
    ("bad_code", "set S = E119\n", 1, 9, "'E119' is not written like a code", "E11.9"),
    ("bad_code", "set S = E11\n", 1, 9, "'E11' is a header (category)", "E11.-"),
    ("bad_code", "set S = 9894-\n", 1, 9, "'9894-' is not a prefix", "use a range"),
    ("bad_code", "set S = M99.00-M99.01-M99.02\n", 1, 9, "'M99.00-M99.01-M99.02' is not a range",
     "one hyphen"),
    ("unknown_code", "set S = {M99.00, M99.99}\n", 1, 18, "unknown ICD-10-CM code 'M99.99'",
     "exists in some ICD-10-CM release"),
    ("unknown_code", "set S = M99.00-M99.0Z\n", 1, 16, "unknown ICD-10-CM code 'M99.0Z'", ""),
    ("unknown_code", "set S = 99999\n", 1, 9, "unknown procedure code '99999'", "CPT or HCPCS"),
    ("unknown_code", "set S = E1165\n", 1, 9,
     "unknown procedure code 'E1165' (if you meant the ICD-10-CM code, write E11.65)", ""),
    ("unknown_code", 'rule R1\n  source: "s"\n  for each line\n  require modifier ZZ\nend', 4, 20,
     "unknown modifier 'ZZ'", "modifier codekit knows (did you mean AZ, GZ, HZ?)"),
    # a modifier's place: no ICD-9-CM talk for a 3-character word (was "looks like an
    # ICD-9-CM code ... GEM/crosswalk")
    ("unknown_code", 'rule R1\n  source: "s"\n  for each line where procedure in 95810\n'
     "  require modifier 259\nend", 4, 20, "unknown modifier '259': a modifier has 2 "
     "characters", "a CPT or HCPCS modifier codekit knows (did you mean 25, 59, 22?)"),
    ("unknown_code", 'rule R1\n  source: "s"\n  for each line where procedure in 95810 and '
     "modifier in {25, 2590}\n  deny\nend", 3, 63, "unknown modifier '2590': a modifier has 2 "
     "characters", "(did you mean 25, 90?)"),
    ("bad_range", "set S = M99.05-M99.00\n", 1, 16, "range 'M99.05-M99.00' runs backwards",
     "M99.00-M99.05"),
    ("bad_range", "set S = 98942-98940\n", 1, 15, "range '98942-98940' runs backwards", ""),
    ("bad_range", "set S = M99.00-98940\n", 1, 16,
     "range 'M99.00-98940' mixes an ICD-10-CM code and a CPT/HCPCS code", "one code system"),
    ("bad_range", "set S = 98940-G0121\n", 1, 15,
     "range '98940-G0121' mixes a CPT code and a HCPCS Level II code", ""),
    ("bad_range", "set S = 0001U-0042T\n", 1, 15, "range '0001U-0042T' mixes CPT categories", ""),
    ("bad_range", 'rule R1\n  source: "s"\n  for each line where procedure in 99213-0001F\n'
     "  deny\nend", 3, 42, "range '99213-0001F' mixes CPT categories (99213: Category I, "
     "0001F: Category II)", "a range holds only codes of its ends' kind"),
    ("bad_range", "set S = {98940, 0042T-0100F}\n", 1, 23,
     "range '0042T-0100F' mixes CPT categories (0042T: Category III, 0100F: Category II)", ""),
    # ICD-10-CM ranges run in the tabular's order: M1A comes before M10, C4A before C44
    ("bad_range", "set S = M10-M1A\n", 1, 13, "range 'M10-M1A' runs backwards: M10 comes "
     "after M1A", "M1A-M10"),
    ("bad_range", "set S = C44.00-C4A.0\n", 1, 16, "range 'C44.00-C4A.0' runs backwards", ""),
    # ... and inside a category: C84.Z before C84.9, S06.0XA before S06.0X9
    ("bad_range", "set S = C84.90-C84.Z0\n", 1, 16, "range 'C84.90-C84.Z0' runs backwards: "
     "C84.90 comes after C84.Z0", "C84.Z0-C84.90"),
    ("bad_range", "set S = S06.0X9A-S06.0XAA\n", 1, 18, "range 'S06.0X9A-S06.0XAA' runs "
     "backwards", ""),
    ("bad_range", "set S = A0021-J9999\n", 1, 15,
     "range 'A0021-J9999' spans HCPCS Level II sections A to J", "one letter's section"),
    ("bad_range", "set S = {59-XS}\n", 1, 10, "'59-XS': modifiers have no ranges", ""),
    ("bad_range", 'rule R1\n  source: "s"\n  require age between 77 and 50\nend', 3, 30,
     "'between 77 and 50' is empty", ""),
    # -- an "and" no claim can meet: a coder's flipped comparison -------------------------
    ("never_true", 'rule R1\n  source: "s"\n  require age >= 65 and age < 18\nend', 3, 11,
     "'age >= 65 and age < 18' is never true: no age meets both", "did you flip < and >?"),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where age > 64 and units >= 1\n'
     '    and (age < 65)\n  require units <= 2\nend', 3, 23,
     "'age > 64 and age < 65' is never true: no age meets both", ""),  # ages are whole
    ("never_true", 'rule R1\n  source: "s"\n  for each line\n  require age >= 18 and '
     'units > 2 and age between 0 and 17\nend', 4, 11,
     "'age >= 18 and age between 0 and 17' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  for each line\n  require units > 1 and units < 1\n'
     'end', 4, 11, "'units > 1 and units < 1' is never true: no number of units meets both",
     ""),
    ("never_true", 'rule R1\n  source: "s"\n  when dos >= 2025-01-01 and dos < 2025-01-01\n'
     '  deny\nend', 3, 8, "'dos >= 2025-01-01 and dos < 2025-01-01' is never true: no date of "
     "service meets both", ""),
    # -- "and" written for "or" on a value a line or claim has one of (loaded, never fired) --
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 95810 and '
     "procedure in 95811\n  require dx in {G47.33, G47.30}\nend", 3, 23,
     "'procedure in 95810 and procedure in 95811' is never true: a line has one procedure "
     "code, in no set of both", "'or' for either of them: procedure in 95810 or procedure "
     "in 95811"),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where (procedure in 99202-99205 '
     "and modifier 25) and procedure in 99211-99215\n  deny\nend", 3, 24,
     "'procedure in 99202-99205 and procedure in 99211-99215' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require first dx in E11.- and first dx in '
     "{E10.9, I10}\nend", 3, 11, "'first dx in E11.- and first dx in {E10.9, I10}' is never "
     "true: the first-listed diagnosis is one code", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require first dx in C76-C80 and first dx in '
     "C7A.00\nend", 3, 11, "'first dx in C76-C80 and first dx in C7A.00' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
     "  require first pointed dx in I10 and first pointed dx in E11.9\nend", 4, 11,
     "'first pointed dx in I10 and first pointed dx in E11.9' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require pos = 11 and pos = 22\nend', 3, 11,
     "'pos = 11 and pos = 22' is never true: the place of service is one code", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require sex = F and sex in {M, U}\nend', 3, 11,
     "'sex = F and sex in {M, U}' is never true: a patient has one sex", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require bill_type in {13x, 85x} and bill_type '
     "= 121\nend", 3, 11, "'bill_type in {13x, 85x} and bill_type = 121' is never true: a "
     "claim has one type of bill", ""),
    # what the rule looks at against its 'when' and its demands (loaded: never applied,
    # or a finding on every line it looks at, or never one)
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 95810\n'
     "  when procedure in 95811\n  deny\nend", 4, 3, "'procedure in 95810' (for each line "
     "where) and 'procedure in 95811' (when) are never true together: a line has one "
     "procedure code, in no set of both: the rule never applies", "one test"),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 95810\n'
     "  require procedure in 95811\nend", 4, 3, "'procedure in 95811' never holds where the "
     "rule looks ('procedure in 95810': a line has one procedure code), so this 'require' "
     "fails on every line the rule looks at", "'deny' for a service never covered"),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99202-99215\n'
     "  when pos = 11\n  forbid pos = 22 and procedure in 99213\nend", 5, 3,
     "'pos = 22' never holds where the rule looks ('pos = 11': the place of service is one "
     "code), so this 'forbid' never fails: the rule gives no finding", ""),
    ("never_true", 'rule R1\n  source: "s"\n  when sex = F\n  require sex = M\nend', 4, 3,
     "'sex = M' never holds where the rule looks ('sex = F': a patient has one sex), so "
     "this 'require' fails on every claim the rule looks at", ""),  # a claim rule: no lines
    # a test against the rule's own header: claim type, dates, payer family (loaded, never
    # applied or failing every line)
    ("never_true", 'rule R1\n  claim_type: professional\n  source: "s"\n'
     "  for each line where procedure in 95810\n  when claim_type = institutional\n  deny\n"
     "end", 5, 3, "'claim_type = institutional' (when) and 'claim_type: professional' (line 2) "
     "are never true together: a claim has one claim type: the rule never applies",
     "a test that can hold on what the rule's header takes (claim_type: professional)"),
    ("never_true", 'rule R1\n  effective: 2026-01-01\n  source: "s"\n'
     "  for each line where procedure in 95810 and dos < 2025-01-01\n  deny\nend", 4, 3,
     "'dos < 2025-01-01' (for each line where) and 'effective: 2026-01-01' (line 2) are never "
     "true together: no date of service meets both: the rule never applies", ""),
    ("never_true", 'rule R1\n  until: 2024-12-31\n  source: "s"\n  when (dos >= 2025-01-01 '
     "and age >= 65)\n  deny\nend", 4, 3, "'dos >= 2025-01-01' (when) and 'until: 2024-12-31' "
     "(line 2) are never true together: no date of service meets both", ""),
    ("never_true", 'rule R1\n  payer: medicaid\n  source: "s"\n'
     "  for each line where procedure in 95810\n  when payer = medicare\n  deny\nend", 5, 3,
     "'payer = medicare' (when) and 'payer: medicaid' (line 2) are never true together: a "
     "claim is routed to one payer family: the rule never applies", "(payer: medicaid)"),
    # two payer families in one 'and', as against the header: a claim is routed to one
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 95810\n'
     "  when payer = medicare and payer = medicaid\n  deny\nend", 4, 8,
     "'payer = medicare and payer = medicaid' is never true: a claim is routed to one payer "
     "family, in no set of both", "'or' for either of them: payer = medicare or payer = "
     "medicaid"),
    ("never_true", 'rule R1\n  source: "s"\n  when payer in {medicare, medicaid} and '
     "payer = commercial\n  deny\nend", 3, 8, "'payer in {medicaid, medicare} and payer = "
     "commercial' is never true: a claim is routed to one payer family", ""),
    ("never_true", 'rule R1\n  payer: medicare\n  source: "s"\n  when payer != medicare\n'
     "  deny\nend", 4, 3, "'payer != medicare' (when) and 'payer: medicare' (line 2) are never "
     "true together: it excludes every payer the rule is for", ""),
    ("never_true", 'rule R1\n  claim_type: professional\n  source: "s"\n'
     "  for each line where procedure in 95810\n  require claim_type = institutional\nend",
     5, 3, "'claim_type = institutional' never holds where the rule looks ('claim_type: "
     "professional', line 2: a claim has one claim type), so this 'require' fails on every "
     "line the rule looks at", "'deny' for a service never covered"),
    # 'not in' against 'in' of the same one value: every code of the 'in' set left out
    ("never_true", 'rule R1\n  source: "s"\n  when first dx not in {I10} and first dx in '
     "{I10}\n  deny\nend", 3, 8, "'first dx not in I10 and first dx in I10' is never true: "
     "the first-listed diagnosis is one code, and 'not in' leaves out every code of the "
     "other set", "an 'in' set with a code the 'not in' set leaves"),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
     "  require first pointed dx not in E11.- and first pointed dx in {E11.9, E11.65}\nend",
     4, 11, "'first pointed dx not in E11.- and first pointed dx in {E11.9, E11.65}' is never "
     "true: a line's first pointed diagnosis is one code, and 'not in'", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require first dx not in E11.- except E11.9 and '
     "first dx in E11.8\nend", 3, 11, "'first dx not in E11.- except E11.9 and first dx in "
     "E11.8' is never true", ""),
    # a test and a negated test of one 'and' whose 'not' leaves out every value the other
    # allows (all loaded silently until 2026-12): never true, whatever the claim
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213 and '
     "procedure not in 99213\n  require dx in E11.9\nend", 3, 23, "'procedure in 99213 and "
     "procedure not in 99213' is never true: 'procedure not in 99213' leaves out every "
     "procedure code 'procedure in 99213' allows", "one of the two tests"),
    ("never_true", 'set S = 99213 + G2211\nrule R1\n  source: "s"\n  for each line where '
     "not procedure in S and procedure in S\n  deny\nend", 4, 23, "'procedure not in S and "
     "procedure in S' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213 and '
     "procedure not in 99202-99215\n  deny\nend", 3, 23, "'procedure in 99213 and procedure "
     "not in 99202-99215' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213 and '
     "modifier 25 and modifier not in {25, 59}\n  deny\nend", 3, 23, "'modifier in 25 and "
     "modifier not in {25, 59}' is never true: 'modifier not in {25, 59}' leaves out every "
     "modifier 'modifier in 25' allows", ""),
    ("never_true", 'rule R1\n  source: "s"\n  when dx in E11.9 and no dx in E11.-\n  deny\n'
     "end", 3, 14, "'dx in E11.9 and no dx in E11.-' is never true: 'no dx in E11.-' leaves "
     "out every diagnosis 'dx in E11.9' allows", ""),
    ("never_true", 'rule R1\n  source: "s"\n  when all dx in {I10} and not dx in {I10, '
     "E11.9}\n  deny\nend", 3, 8, "'all dx in I10 and not dx in {I10, E11.9}' is never "
     "true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
     "  require first pointed dx in I10 and no dx in I10\nend", 4, 11, "'first pointed dx "
     "in I10 and no dx in I10' is never true", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require sex != F and sex = F\nend', 3, 11,
     "'sex != F and sex = F' is never true: 'sex != F' leaves out every sex 'sex = F' "
     "allows", ""),
    ("never_true", 'rule R1\n  source: "s"\n  require bill_type = 131 and bill_type not in '
     "{13x}\nend", 3, 11, "'bill_type = 131 and bill_type != 13x' is never true: "
     "'bill_type != 13x' leaves out every type of bill 'bill_type = 131' allows", ""),
    # ... and against what the rule looks at: the demand fails on every line
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure not in 99213\n'
     "  require procedure in 99213\nend", 4, 3, "'procedure in 99213' never holds where the "
     "rule looks ('procedure not in 99213': 'procedure not in 99213' leaves out every "
     "procedure code 'procedure in 99213' allows), so this 'require' fails on every line",
     ""),
    ("never_true", 'rule R1\n  source: "s"\n  when dx in I10\n  require no dx in I10\nend',
     4, 3, "'no dx in I10' never holds where the rule looks ('dx in I10': 'no dx in I10' "
     "leaves out every diagnosis 'dx in I10' allows), so this 'require' fails on every "
     "claim", ""),
    # -- demands no claim can meet together: every claim gets the finding (loaded) --------
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 95810\n'
     "  require dx in {G47.33}\n  forbid dx in {G47.33}\nend", 5, 3,
     "rule 'R1': 'forbid dx in {G47.33}' contradicts 'require dx in {G47.33}' (line 4): "
     "every claim the rule applies to gets its finding", "'deny' for a service never covered"),
    ("never_true", 'rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
     "  require modifier 25\n  require not modifier 25\nend", 5, 3,
     "rule 'R1': 'require not modifier 25' contradicts 'require modifier 25' (line 4)", ""),
    ("never_true", 'rule R1\n  payer: acme\n  source: "s"\n  for each line where procedure '
     'in 95810\n  require dx in {G47.33}\nend\nrule R2\n  payer: acme\n  source: "s"\n'
     "  for each line where procedure in 95810\n  forbid dx in {G47.33}\nend", 11, 3,
     "rule 'R2' contradicts rule 'R1' (line 5), which applies to the same claims: every "
     "claim they apply to gets one of their findings", "a 'when' that tells their claims"),
    # dated rules: the days both apply to are said, and dates as a way out
    ("never_true", 'rule R1\n  payer: acme\n  until: 2025-03-31\n  source: "s"\n'
     "  for each line where procedure in 95810\n  require dx in {G47.33}\nend\nrule R2\n"
     '  payer: acme\n  effective: 2025-01-01\n  source: "s"\n'
     "  for each line where procedure in 95810\n  forbid dx in {G47.33}\nend", 13, 3,
     "rule 'R2' contradicts rule 'R1' (line 6), which applies to the same claims on the "
     "dates of service from 2025-01-01 to 2025-03-31: every claim they apply to gets one of "
     "their findings", "dates that do not overlap ('until' and 'effective' are inclusive)"),
    ("wrong_system", 'rule R1\n  source: "s"\n  require dx in 98940\nend', 3, 17,
     "'98940' is a CPT/HCPCS code; ICD-10-CM codes are needed here", "ICD-10-CM codes"),
    ("wrong_system", 'rule R1\n  source: "s"\n  require dx in G0121\nend', 3, 17,
     "'G0121' is a CPT/HCPCS code; ICD-10-CM codes are needed here (for the ICD-10-CM code "
     "write G01.21)", ""),
    ("wrong_system", 'rule R1\n  source: "s"\n  for each line where procedure in M99.00\n'
     "  deny\nend", 3, 36, "'M99.00' is an ICD-10-CM code; CPT/HCPCS codes are needed here",
     ""),
    ("wrong_system", "set CMT = 98940-98942\nrule R1\n  source: \"s\"\n  require dx in CMT\nend",
     4, 17, "set 'CMT' holds CPT/HCPCS codes", ""),
    ("wrong_system", "set S = {M99.00, 98940}\n", 1, 18, "'98940' is a CPT/HCPCS code", ""),
    # -- sets -----------------------------------------------------------------------------
    ("unknown_set", 'set SUBLUX = M99.00\nrule R1\n  source: "s"\n  require dx in SUBLUXX\nend',
     4, 17, "unknown set 'SUBLUXX' (did you mean SUBLUX?)", "(SUBLUX)"),
    ("unknown_set", 'rule R1\n  source: "s"\n  require dx in LATER\nend\nset LATER = I10', 3, 17,
     "unknown set 'LATER'", "defined earlier"),
    ("duplicate_set", "set S = I10\nset S = I11.9\n", 2, 5, "set 'S' is already defined on line 1",
     ""),
    ("bad_value", "set E11 = E11.9\n", 1, 5, "'E11' cannot name a set",
     "does not look like a code"),
    # -- values ---------------------------------------------------------------------------
    ("bad_value", 'rule R1\n  source: "s"\n  effective: 2025-13-01\n  deny\nend', 3, 14,
     "'2025-13-01' is not a date", "YYYY-MM-DD"),
    ("bad_value", 'rule R1\n  source: "s"\n  effective: "2025-01-01"\n  deny\nend', 3, 14,
     "'effective' takes a date YYYY-MM-DD, not a quoted text", ""),
    ("bad_value", 'rule R1\n  source: s\n  deny\nend', 2, 11,
     "'source' needs a text in double quotes", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  until: 2025-01-01, 2026-01-01\n  deny\nend', 3, 22,
     "'until' takes one value", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  severity: fatal\n  deny\nend', 3, 13,
     "unknown severity 'fatal'", "error, warning or info"),
    ("bad_value", 'rule R1\n  source: "s"\n  finding: my_edit\n  deny\nend', 3, 12,
     "'my_edit' cannot be a finding ID", "capitals"),
    ("bad_value", 'rule R1\n  source: "s"\n  claim_type: dental\n  deny\nend', 3, 15,
     "unknown claim type 'dental'", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  require age >= old\nend', 3, 18,
     "'old' is not an age", "0 to 130"),
    ("bad_value", 'rule R1\n  source: "s"\n  for each line\n  require units > lots\nend', 4,
     19, "'lots' is not a number of units", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  require sex = X\nend', 3, 17, "'X' is not a sex",
     "M, F or U"),
    ("bad_value", 'rule R1\n  source: "s"\n  require sex > F\nend', 3, 15,
     "'sex' is compared with = or != only", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  require age in {65}\nend', 3, 11,
     "'age in {...}' is not a test", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  require sex between F and M\nend', 3, 11,
     "'sex between' is not a test", ""),
    ("syntax", 'rule R1!\n  source: "s"\n  deny\nend', 1, 8, "unexpected character '!'", ""),
    ("bad_value", 'rule 1R\n  source: "s"\n  deny\nend', 1, 6, "'1R' cannot be a rule ID", ""),
    ("reversed_dates", 'rule R1\n  source: "s"\n  effective: 2025-01-01\n  until: 2024-12-31\n'
     "  deny\nend", 4, 10, "the rule ends (2024-12-31) before it takes effect (2025-01-01)",
     "on or after 2025-01-01"),
    # -- rules ----------------------------------------------------------------------------
    ("duplicate_rule", OK_RULE + OK_RULE, 5, 6, "duplicate rule ID 'R1' (first defined on line 1)",
     "once"),
    ("unknown_field", 'rule R1\n  sourse: "s"\n  deny\nend', 2, 3,
     "unknown field 'sourse' (did you mean 'source'?)", "one of title, finding"),
    # a name other tools give the field: no spelling is near, so the alias says it
    ("unknown_field", 'rule R1\n  end_date: 2025-12-31\n  source: "s"\n  deny\nend', 2, 3,
     "unknown field 'end_date' (did you mean 'until'?)", "until"),
    ("unknown_field", 'rule R1\n  Start: 2025-01-01\n  source: "s"\n  deny\nend', 2, 3,
     "unknown field 'Start' (did you mean 'effective'?)", "effective"),
    # 'end' as a field closes the rule; the error says what the last date is written as
    ("syntax", 'rule R1\n  source: "s"\n  end: 2025-12-31\n  deny\nend', 3, 3,
     "'end' closes a rule: it is not a field", "'until: YYYY-MM-DD'"),
    ("duplicate_field", 'rule R1\n  source: "s"\n  source: "t"\n  deny\nend', 3, 3,
     "field 'source' is given twice (first on line 2)", ""),
    ("duplicate_field", 'rule R1\n  source: "s"\n  for each line\n  for each line\n  deny\nend',
     4, 3, "'for each line' is given twice (first on line 3)", "'and'"),
    ("duplicate_field", 'rule R1\n  source: "s"\n  when age > 1\n  when age > 2\n  deny\nend',
     4, 3, "'when' is given twice", ""),
    ("duplicate_field", 'rule R1\n  source: "s"\n  deny\n  example pass {\n    on 2025-01-01\n'
     "    on 2025-01-02\n  }\nend", 6, 8, "'on' is given twice in one example", ""),
    ("missing_field", "rule R1\n  deny\nend", 1, 6, "rule 'R1' has no 'source'", "a source:"),
    ("missing_field", 'rule R1\n  source: "s"\nend', 1, 6, "rule 'R1' demands nothing",
     "'require CONDITION'"),
    ("misplaced", 'rule R1\n  source: "s"\n  require pointed dx in I10\nend', 3, 11,
     "'pointed dx' is about a service line, and there is none here", "for each line"),
    ("misplaced", 'rule R1\n  source: "s"\n  when procedure in 99213\n  deny\nend', 3, 8,
     "'procedure' is about a service line", ""),
    ("misplaced", 'rule R1\n  source: "s"\n  require modifier 25\nend', 3, 11,
     "'modifier' is about a service line", ""),
    ("misplaced", 'rule R1\n  source: "s"\n  require units > 1\nend', 3, 11,
     "'units' is about a service line", ""),
    ("misplaced", 'rule R1\n  source: "s"\n  require no other line where (units > 1)\nend', 3, 14,
     "'other line' is about a service line", ""),
    ("misplaced", 'rule R1\n  source: "s"\n  require no line on the same day where (units > 1)'
     "\nend", 3, 11, "'on the same day' is about a service line", ""),
    ("misplaced", 'rule R1\n  source: "s"\n  for each line\n  deny\n  example pass {\n'
     "    on 2025-01-01\n    expect line 1\n  }\nend", 7, 5,
     "'expect line' belongs to a fail example", ""),
    ("misplaced", 'rule R1\n  source: "s"\n  deny\n  example fail {\n    on 2025-01-01\n'
     "    expect line 1\n  }\nend", 6, 5, "'expect line' belongs to a fail example", ""),
    # -- messages -------------------------------------------------------------------------
    ("unknown_placeholder", 'rule R1\n  source: "s"\n  message: "Line {line}: {procedur}"\n'
     "  for each line\n  deny\nend", 3, 26, "unknown placeholder {procedur} (did you mean "
     "{procedure}?)", "{rule}"),
    ("unknown_placeholder", 'rule R1\n  source: "s"\n  message: "a" "b {procedure}"\n  deny\nend',
     3, 19, "{procedure} needs a line, and this rule is about the whole claim", "{dx}"),
    ("unknown_placeholder", 'rule R1\n  source: "s"\n  message: "x } y"\n  deny\nend', 3, 15,
     "a lone '}' in a message", "{{ or }}"),
    # -- examples -------------------------------------------------------------------------
    ("bad_example", 'rule R1\n  source: "s"\n  deny\n  example pass "x" { dx I10 }\nend', 4, 3,
     "example 'x' has no date of service", "on YYYY-MM-DD"),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  example pass { on 2025-01-01 line 99213 '
     "-> 0 }\nend", 4, 46, "'0' is not a diagnosis pointer", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  example pass { on 2025-01-01 patient X }'
     "\nend", 4, 40, "'X' is not a sex", ""),
    ("too_deep", 'rule R1\n  source: "s"\n  require ' + "not " * 40 + "dx in I10\nend", 3, 143,
     "conditions nested more than 32 deep", ""),
    # -- a field's value in words the parser read as a new field (was: "unknown statement or
    # field 'rule'", "... '20.35'", "... 'Part'", at the second word) ----------------------
    ("bad_value", 'rule R1\n  title: chiropractic rule\n  source: "s"\n  deny\nend', 2, 10,
     "'title' needs a text in double quotes", 'title: "chiropractic rule"'),
    ("bad_value", 'rule R1\n  source: NCD 20.35\n  deny\nend', 2, 11,
     "'source' needs a text in double quotes", 'source: "NCD 20.35"'),
    ("bad_value", 'rule R1\n  source: BPM ch. 15 §240.1.2\n  deny\nend', 2, 11,
     "'source' needs a text in double quotes", 'source: "BPM ch. 15 §240.1.2"'),
    # curly quotes from a word processor: the fix has straight ones only (was: source:
    # "“NCD 20.35”")
    ("bad_value", 'rule R1\n  source: \u201cNCD 20.35\u201d\n  deny\nend', 2, 11,
     "'source' needs a text in double quotes (straight ones", 'source: "NCD 20.35"'),
    ("bad_value", 'rule R1\n  payer: Medicare Part B\n  source: "s"\n  deny\nend', 2, 10,
     "payer 'Medicare Part B' is another name of the medicare payer family", "payer: medicare"),
    ("bad_value", 'rule R1\n  payer: Acme Health Plan\n  source: "s"\n  deny\nend', 2, 10,
     "a payer ID is one word, and 'Acme Health Plan' is not", "PayerRouting(names="),
    ("bad_value", 'rule R1\n  source: "s"\n  until: 12/31/2025\n  deny\nend', 3, 10,
     "'until' takes a date: '12/31/2025' is not one", "YYYY-MM-DD"),
    ("bad_value", 'rule R1\n  source: "s"\n  claim_type: professional institutional\n  deny\n'
     "end", 3, 15, "'claim_type' takes words separated by commas",
     "claim_type: professional, institutional"),
    # -- a routing's other name of a payer family matched only claims named so -------------
    ("bad_value", 'rule R1\n  payer: mcr\n  source: "s"\n  deny\nend', 2, 10,
     "payer 'mcr' is another name of the medicare payer family", "payer: medicare"),
    ("bad_value", 'rule R1\n  payer: "Medicare Part B"\n  source: "s"\n  deny\nend', 2, 10,
     "payer 'Medicare Part B' is another name of the medicare payer family", "payer: medicare"),
    ("bad_value", 'rule R1\n  source: "s"\n  require payer = CMS\nend', 3, 19,
     "payer 'CMS' is another name of the medicare payer family", "payer: medicare"),
    # -- a word where a test starts: every test, complete (was cut off after 'payer') ------
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in 97140\n'
     "  require specialty = 35\nend", 4, 11,
     "unknown test 'specialty': policies cannot test the provider's specialty",
     "claim_type = professional, payer = medicare, dos >= DATE, pos in {02, 10}, "
     "bill_type = 131, revenue_code in {0450, 045x}, any | all | no [other] line "
     "where (...), not ..., or (...)"),
    # -- the place of service, type of bill and revenue code (was: "unknown test 'pos':
    # policies cannot test the place of service"): other names, values not written so --
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in 97140\n'
     "  require place_of_service = 11\nend", 4, 11,
     "unknown test 'place_of_service' (did you mean 'pos'?)", "pos in {02, 10}"),
    ("syntax", 'rule R1\n  source: "s"\n  require POS = 11\nend', 3, 11,
     "unknown test 'POS' (did you mean 'pos'?)", "pos in {02, 10}"),
    ("syntax", 'rule R1\n  source: "s"\n  require tob = 131\nend', 3, 11,
     "unknown test 'tob' (did you mean 'bill_type'?)", "bill_type = 131"),
    ("bad_value", 'rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
     "  forbid pos in {21, 2}\nend", 4, 22, "'2' is not a place of service",
     "a place of service code of two digits, e.g. 11 (office), 02 or 10 (telehealth)"),
    ("bad_value", 'rule R1\n  source: "s"\n  require pos = 011\nend', 3, 17,
     "'011' is not a place of service", "two digits"),
    ("bad_value", 'rule R1\n  source: "s"\n  require pos >= 11\nend', 3, 15,
     "'pos' is compared with = or != only", "= or !=, or pos in {...}"),
    ("bad_value", 'rule R1\n  source: "s"\n  require bill_type in {13x, 13}\nend', 3, 30,
     "'13' is not a type of bill", "3 digits (131), or 4 with its leading zero (0131); x for "
     "any last digit (13x)"),
    ("bad_value", 'rule R1\n  source: "s"\n  require bill_type = 1311\nend', 3, 23,
     "'1311' is not a type of bill", "(0131)"),
    ("bad_value", 'rule R1\n  source: "s"\n  for each line where revenue_code = 450\n'
     "  deny\nend", 3, 38, "'450' is not a revenue code",
     "a revenue code of 4 digits, e.g. 0450; x for any last digit (045x: 0450-0459)"),
    ("bad_value", 'rule R1\n  source: "s"\n  for each line where revenue_code = 04x\n'
     "  deny\nend", 3, 38, "'04x' is not a revenue code", "4 digits"),
    ("misplaced", 'rule R1\n  source: "s"\n  require revenue_code = 0450\nend', 3, 11,
     "'revenue_code' is about a service line, and there is none here", "for each line"),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  example fail { on 2025-11-03 claim pos 2 '
     "}\nend", 4, 42, "'2' is not a place of service", "two digits"),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  example fail { on 2025-11-03 bill 13x }\n'
     "end", 4, 37, "'13x' is not a type of bill", "(0131)"),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  example fail { on 2025-11-03 line 99213 '
     "revenue_code 045x }\nend", 4, 56, "'045x' is not a revenue code", "4 digits, e.g. 0450"),
    ("syntax", 'rule R1\n  source: "s"\n  require diagnsis in I10\nend', 3, 11,
     "unknown test 'diagnsis' (did you mean 'diagnosis'?)", "a test: procedure in SET"),
    # -- set names that look like codes (was: "unknown ICD-10-CM code 'PAD' (did you mean
    # P04.1A?)", "'EM' is a modifier code", "... e.g. T2D.M") --------------------------
    ("unknown_set", 'rule R1\n  source: "s"\n  require dx in PAD\nend', 3, 17,
     "unknown set 'PAD': no set of that name is defined, and 'PAD' is no ICD-10-CM code",
     "a set's name cannot look like a code (e.g. PAD_SET)"),
    ("unknown_set", 'set OFFICE_EM = 99202-99215\nrule R1\n  source: "s"\n'
     "  for each line where procedure in EM\n  deny\nend", 4, 36,
     "unknown set 'EM': no set of that name is defined, and 'EM' is a modifier code, not a "
     "CPT/HCPCS one", "(OFFICE_EM)"),
    ("unknown_set", 'rule R1\n  source: "s"\n  require dx in T2DM\nend\nset T2DM = E11.9', 3, 17,
     "unknown set 'T2DM': no set of that name is defined, and T2D.M is no ICD-10-CM code",
     "'set T2DM' comes after its use"),
    # -- empty sets, a range ending above its start, a finding two letters off -----------
    ("empty_set", 'rule R1\n  source: "s"\n  require dx in {I10} except {I10}\nend', 3, 23,
     "'I10 except I10' is empty: every code of I10 is in I10", "a set that keeps some code"),
    ("empty_set", "set S = I70.211-I70.218 + I70.21- except {I70.2-, I10}\n", 1, 35,
     "'I70.211-I70.218 + I70.21- except {I70.2-, I10}' is empty", ""),
    ("bad_range", "set S = I70.218-I70.21\n", 1, 17,
     "range 'I70.218-I70.21' ends at I70.21, a header above its start I70.218",
     "I70.21-I70.218"),
    ("bad_value", 'rule R1\n  finding: COVERGE_CRITERIA_NOT_MEET\n  source: "s"\n  deny\nend', 2,
     12, "finding 'COVERGE_CRITERIA_NOT_MEET' is no finding codekit has (did you mean "
     "'COVERAGE_CRITERIA_NOT_MET'?)", "not one or two letters away"),
    # -- versions of a rule whose dates overlap: both findings on the shared day ---------
    ("overlapping_versions", "rule OLD\n  finding: COVERAGE_CRITERIA_NOT_MET\n"
     '  until: 2022-02-10\n  source: "v1"\n  for each line where procedure in 71271\n'
     "  require age between 55 and 77\nend\nrule NEW\n  finding: COVERAGE_CRITERIA_NOT_MET\n"
     '  effective: 2022-02-10\n  source: "v2"\n  for each line where procedure in 71271\n'
     "  require age between 50 and 77\nend\n", 10, 14,
     "rule 'NEW' takes effect on 2022-02-10, and 'OLD' (line 1), a version of it, runs until "
     "2022-02-10: on 2022-02-10 a claim gets both findings", "until: 2022-02-09 in 'OLD'"),
]


@pytest.mark.parametrize(("kind", "text", "line", "column", "reason", "expected"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_error(kind: str, text: str, line: int, column: int, reason: str,
               expected: str) -> None:
    with pytest.raises(PolicyError) as info:
        loads(text, file="t.policy")
    e = info.value
    assert (e.kind, e.line, e.column) == (kind, line, column), str(e)
    assert e.reason.startswith(reason), e.reason
    assert expected in e.expected
    src = text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""
    shown = str(e).splitlines()
    assert shown[0] == f"t.policy:{line}:{column}: {e.reason}"
    if src:
        assert shown[1] == f"  {src}"
        assert shown[2] == "  " + " " * (column - 1) + "^"
    assert e.file == "t.policy" and e.text == src
    assert isinstance(e, ValueError)


def test_every_kind_is_tested() -> None:
    tested = {c[0] for c in CASES} | {"read_error"}
    assert tested == set(KINDS)


def test_errors_pickle() -> None:
    with pytest.raises(PolicyError) as info:
        loads("set S = M99.05-M99.00\n", file="x.policy")
    e = pickle.loads(pickle.dumps(info.value))
    assert (type(e), e.kind, e.line, e.column, e.reason, e.expected, str(e)) == (
        PolicyError, "bad_range", 1, 16, info.value.reason, info.value.expected, str(info.value))


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load(tmp_path / "nope.policy")
    assert (info.value.kind, info.value.reason) == ("read_error", "no such file or folder")
    latin = tmp_path / "latin.policy"
    latin.write_bytes('rule R1\n  source: "caf\xe9"\n  deny\nend\n'.encode("latin-1"))
    with pytest.raises(PolicyError) as info:
        load(latin)
    assert info.value.kind == "read_error" and info.value.reason.startswith("not UTF-8 text")
    with pytest.raises(PolicyError) as info:
        loads(b"\xff\xfe")
    assert info.value.kind == "read_error"
    with pytest.raises(PolicyError):
        loads(42)  # type: ignore[arg-type]


def test_a_lone_surrogate_is_escaped_in_the_message(tmp_path: Path) -> None:
    """A lone surrogate (text read with surrogateescape, a file name of bytes that are not
    UTF-8) was kept raw in str(e): printing the error to a UTF-8 stream raised
    UnicodeEncodeError. It is escaped in the message, the caret under it still under the
    column; the attributes keep the text as it was."""
    with pytest.raises(PolicyError) as info:
        loads("set A = \ud800E11.9\n")
    e = info.value
    assert str(e).splitlines()[:3] == [
        "<string>:1:9: unexpected character '\\ud800'",
        "  set A = \\ud800E11.9",
        "          ^"]
    assert e.text == "set A = \ud800E11.9" and str(e).encode("utf-8")
    with pytest.raises(PolicyError) as info:
        loads('rule "\ud800"\n')
    assert str(info.value).splitlines()[3] == "expected: rule \\ud800"
    if not os.path.supports_unicode_filenames:  # POSIX: a name is bytes
        bad = tmp_path / os.fsdecode(b"caf\xe9.policy")
        bad.write_text("set A = M99.99\n", encoding="utf-8")
        with pytest.raises(PolicyError) as info:
            load(bad)
        assert info.value.file == str(bad)
        assert str(info.value).splitlines()[0] == (
            f"{tmp_path}/caf\\udce9.policy:1:9: unknown ICD-10-CM code 'M99.99'")


def test_duplicate_rule_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.policy").write_text(OK_RULE, encoding="utf-8")
    (tmp_path / "b.policy").write_text("# another file\n" + OK_RULE, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load(tmp_path)
    e = info.value
    assert (e.kind, Path(e.file).name, e.line, e.column) == ("duplicate_rule", "b.policy", 2, 6)
    assert e.reason == (f"duplicate rule ID 'R1' (first defined in {tmp_path / 'a.policy'} "
                        "line 1)")


def test_a_file_never_half_loads() -> None:
    """Good rules before the bad one are not returned either."""
    with pytest.raises(PolicyError) as info:
        loads(OK_RULE + 'rule R2\n  source: "s"\n  require dx in M99.99\nend\n')
    assert info.value.line == 7


# -- arguments that are not policies; one rule ID across the sets used together ---------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: load(None), "policies.load: expected the path of a policy file or folder (str or "
     "pathlib.Path), got NoneType"),
    (lambda: load(123), "got int"),
    (lambda: load(b"pol/a"), "got bytes (policy text goes to policies.loads)"),
    (lambda: load(""), "policies.load: the path is empty"),
    (lambda: run_tests(None), "policies.run_tests: expected a policy file or folder (str or "
     "pathlib.Path), a PolicySet or policies, got NoneType"),
    (lambda: run_tests(["x"]), "policies.run_tests: item 0 is a str ('x'), not a Policy or "
     "PolicySet"),
])
def test_arguments_that_are_not_paths_or_policies_are_invalid_arguments(
        call: Any, message: str) -> None:
    # they were TypeError (None, 123, bytes), AttributeError (['x']), and '' loaded every
    # policy below the current folder
    with pytest.raises(InvalidArgument) as info:
        call()
    assert message in str(info.value)


def _two_files(tmp_path: Path, second: str = OK_RULE) -> tuple[Path, Path]:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.policy").write_text(OK_RULE, encoding="utf-8")
    (tmp_path / "b" / "two.policy").write_text("# b\n" + second, encoding="utf-8")
    return tmp_path / "a", tmp_path / "b"


def test_one_rule_id_across_the_sets_used_together(tmp_path: Path) -> None:
    a, b = _two_files(tmp_path)
    first, second = load(a), load(b)
    with pytest.raises(PolicyError) as info:
        first + second  # was PolicySet with ids ('R1', 'R1')
    e = info.value
    assert (e.kind, e.file, e.line, e.column) == ("duplicate_rule", str(b / "two.policy"), 2,
                                                  6)
    assert e.reason == f"duplicate rule ID 'R1' (first defined in {a / 'one.policy'} line 1)"
    with pytest.raises(PolicyError, match="duplicate rule ID 'R1'"):
        check_unique_ids([first, second])
    with pytest.raises(PolicyError, match="the same file used twice"):
        check_unique_ids([first, first])
    with pytest.raises(PolicyError, match="duplicate rule ID 'R1'"):
        run_tests([first, second])
    # a user's rule with a shipped rule's ID
    mine = loads('rule MCR-CMT-SUBLUXATION-PRIMARY\n  source: "mine"\n  deny\nend\n',
                 file="mine.policy")
    with pytest.raises(PolicyError) as info:
        check_unique_ids([default_policies(), mine])
    assert info.value.file == "mine.policy"
    assert "first defined in " in info.value.reason
    shipped = default_policies().get("MCR-CMT-SUBLUXATION-PRIMARY")
    assert info.value.reason.endswith(f"chiropractic.policy line {shipped.line})")
    assert shipped.line == 1 + Path(shipped.file).read_text("utf-8").splitlines().index(
        "rule MCR-CMT-SUBLUXATION-PRIMARY")
    # a checker given both: the same finding would come twice on a claim
    from codekit import Checker

    with pytest.raises(PolicyError, match="duplicate rule ID 'MCR-CMT-SUBLUXATION-PRIMARY'"):
        Checker(policies=[default_policies(), mine])
    with pytest.raises(PolicyError, match="duplicate rule ID 'R1'"):
        Checker(policies=[first, second])
    assert Checker(policies=[first]).policy_sets() == (first,)


# -- messages that say what is wrong -----------------------------------------------------


@pytest.mark.parametrize(("kind", "text", "line", "column", "reason", "expected"), [
    # 'deny' on the next line was taken as the payer: "rule 'R1' demands nothing"
    ("bad_value", 'rule R1\n  source: "s"\n  payer:\n  deny\nend', 3, 9, "'payer' has no value",
     "after 'payer:' on the same line"),
    # a field left empty before another field, or before 'end': the next line's first word
    # was read as its value (was: "unexpected symbol ':'" or "unexpected end of file" on the
    # next line)
    ("bad_value", 'rule R1\n  until:\n  source: "s"\n  deny\nend', 2, 9,
     "'until' has no value", "a date YYYY-MM-DD after 'until:' on the same line"),
    ("bad_value", 'rule R1\n  source: "s"\n  title:   # later\n\n  payer: acme\n  deny\nend',
     3, 9, "'title' has no value", "after 'title:' on the same line"),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  effective:\nend', 4, 13,
     "'effective' has no value", "after 'effective:' on the same line"),
    # "a text in double quotes must end on the same line"
    ("syntax", 'rule R1\n  source: "a\\qb"\n  deny\nend', 2, 13,
     "unknown escape '\\q' in a text in double quotes", "the only escapes"),
    # accepted, though required
    ("missing_field", 'rule R1\n  source: ""\n  deny\nend', 2, 11,
     "rule 'R1' has an empty 'source'", "a source:"),
    ("missing_field", 'rule R1\n  source: "  "\n  deny\nend', 2, 11,
     "rule 'R1' has an empty 'source'", ""),
    # compiled, then the fail example said "expected a finding, got none"
    ("bad_example", 'rule R1\n  source: "s"\n  for each line\n  deny\n  example fail {\n'
     "    on 2025-01-01\n    dx I10\n    line 9X213 -> 1\n  }\nend", 8, 10,
     "the example's line code '9X213' is not a code: a CPT code is 5 digits",
     "a CPT or HCPCS code"),
    ("bad_example", 'rule R1\n  source: "s"\n  deny\n  example fail { on 2025-01-01  dx ZZZ }\n'
     "end", 4, 36, "the example's diagnosis 'ZZZ' is not a code", "an ICD-10-CM code"),
    # -- a keyword written against the next word: it was split silently, and 'ruleR1'
    # -- loaded rule R1, 'setS' set S, 'patientF' a female patient ------------------------
    ("syntax", 'ruleR1\n  source: "s"\n  deny\nend', 1, 1,
     "unexpected word 'ruleR1' (did you mean 'rule'?)", "'rule' as a word of its own"),
    ("syntax", 'setS = I10\nrule R1\n  source: "s"\n  require dx in S\nend', 1, 1,
     "unexpected word 'setS' (did you mean 'set'?)", "'set' as a word of its own"),
    ("syntax", 'rule R1\n  source: "s"\n  for eachline where procedure in 99213\n  deny\nend',
     3, 7, "unexpected word 'eachline'", "'each' as a word of its own"),
    ("syntax", 'rule R1\n  source: "s"\n  require dx in{I10}\n  deny\n  example fail {\n'
     "    on 2025-01-01 patientF\n  }\nend", 6, 19,
     "unexpected word 'patientF' (did you mean 'patient'?)", "'patient' as a word"),
    # was "unexpected word 't'" at the 't' of 'nott'
    ("syntax", 'rule R1\n  source: "s"\n  require nott dx in I10\nend', 3, 11,
     "unexpected word 'nott' (did you mean 'not'?)", "'not' as a word of its own"),
    # -- misspelt statements and keywords are named (was: "unexpected keyword 'dx'",
    # -- expected ':' after 'requre'; no hint for 'proceedure') ----------------------------
    ("syntax", 'rule R1\n  source: "s"\n  requre dx in I10\nend', 3, 3,
     "unknown statement or field 'requre' (did you mean 'require'?)", "a statement (require"),
    ("syntax", 'rule R1\n  source: "s"\n  deny\nendd\n', 4, 1,
     "unknown statement or field 'endd' (did you mean 'end'?)", "end"),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where proceedure in 99213\n  deny\nend',
     3, 23, "unknown test 'proceedure' (did you mean 'procedure'?)", "modifier in SET"),
    # -- example claims that are not what they seem (all loaded silently) ----------------
    # 'unitss 2' became the modifiers UNITSS and 2
    ("bad_example", 'rule R1\n  source: "s"\n  for each line\n  deny\n  example fail {\n'
     "    on 2025-01-01 line 99213 unitss 2\n  }\nend", 6, 30,
     "the example's modifier 'unitss' is not a modifier codekit knows (not two letters or "
     "digits)", "'units N'"),
    ("bad_example", 'rule R1\n  source: "s"\n  for each line\n  deny\n  example fail {\n'
     "    on 2025-01-01 line 99213 ZZ\n  }\nend", 6, 30,
     "the example's modifier 'ZZ' is not a modifier codekit knows (unknown modifier 'ZZ')",
     ""),
    ("bad_example", 'rule R1\n  source: "s"\n  for each line\n  deny\n  example fail {\n'
     "    on 2025-01-01 dx I10 line 99213 -> 1, 2\n  }\nend", 6, 43,
     "pointer 2 points past the example's diagnoses (1 listed)", "a pointer from 1 to 1"),
    ("bad_example", 'rule R1\n  source: "s"\n  for each line\n  deny\n  example fail {\n'
     "    on 2025-01-01 dx I10 line 99213 -> 1 expect line 2\n  }\nend", 6, 54,
     "'expect line 2': the example has 1 line(s)", "a line number from 1 to 1"),
    # -- payers that match no claim ------------------------------------------------------
    ("bad_value", 'rule R1\n  source: "s"\n  payer: acme, medicaer\n  deny\nend', 3, 16,
     "payer 'medicaer' matches no claim (did you mean 'medicare'?)", "medicare, or a payer"),
    ("bad_value", 'rule R1\n  source: "s"\n  forbid payer = Comercial\nend', 3, 18,
     "payer 'comercial' matches no claim (did you mean 'commercial'?)", ""),
    ("bad_value", 'rule R1\n  source: "s"\n  deny\n  example fail { on 2025-01-01 payer medicre }'
     "\nend", 4, 38, "payer 'medicre' matches no claim (did you mean 'medicare'?)", ""),
    # -- numbers: Decimal reads '6_5' as 65 -----------------------------------------------
    ("bad_value", 'rule R1\n  source: "s"\n  require age >= 6_5\nend', 3, 18,
     "'6_5' is not an age", ""),
    # -- keywords in capitals (was "unknown statement or field 'AND'", no hint; then that
    # -- with the hint: after a test on its line no statement or field stands) -----------
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in 95810 AND '
     "modifier 26\n  deny\nend", 3, 42, "unexpected word 'AND' (keywords are lower case: "
     "write 'and')", "'and', in lower case"),
    ("syntax", 'rule R1\n  source: "s"\n  require dx in {G47.33} OR dx in {G47.30}\nend', 3,
     26, "unexpected word 'OR' (keywords are lower case: write 'or')", "'or', in lower case"),
    ("syntax", 'rule R1\n  source: "s"\n  REQUIRE dx in {G47.33}\nend', 3, 3,
     "unknown statement or field 'REQUIRE' (keywords are lower case: write 'require')", ""),
    ("syntax", 'rule R1\n  source: "s"\n  require NOT dx in {G47.33}\nend', 3, 11,
     "unknown test 'NOT' (keywords are lower case: write 'not')", "a test:"),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure IN {95810}\n  deny\n'
     "end", 3, 33, "unexpected word 'IN' (keywords are lower case: write 'in')", "'in'"),
    # -- operators of other languages (was "unexpected symbol '>'", expected "a word") -----
    ("syntax", 'rule R1\n  source: "s"\n  require age => 18\nend', 3, 15,
     "unknown operator '=>': write '>='", "one of =, !=, <, <=, >, >="),
    ("syntax", 'rule R1\n  source: "s"\n  when age =< 17\n  deny\nend', 3, 12,
     "unknown operator '=<': write '<='", ""),
    ("syntax", 'rule R1\n  source: "s"\n  require pos == 11\nend', 3, 15,
     "unknown operator '==': write '='", ""),
    ("syntax", 'rule R1\n  source: "s"\n  when payer <> medicaid\n  deny\nend', 3, 14,
     "unknown operator '<>': write '!='", ""),
    ("syntax", 'rule R1\n  source: "s"\n  require age \u2265 18\nend', 3, 15,
     "unexpected character '\u2265': write '>='", ""),
    # a code test written as a comparison (was: expected "a word (code, range, ...)")
    ("syntax", 'rule R1\n  source: "s"\n  require first dx = G47.33\nend', 3, 20,
     "'dx' is tested with 'in' (a set of codes), not '='", "dx in {G47.33, G47.30}"),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
     "  require modifier = 25\nend", 4, 20,
     "'modifier' is tested with 'in' (a set of codes), not '='", "modifier 25, or modifier"),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure == 95810\n  deny\n'
     "end", 3, 33, "'procedure' is tested with 'in' (a set of codes), not '=='",
     "procedure in {"),
    # -- what the language cannot say, said (was "unknown statement or field 'per' (did
    # -- you mean 'payer'?)", "unknown test 'prior_auth'") ---------------------------------
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in J0897\n'
     "  forbid units > 1 per 180 days\nend", 4, 20, "unexpected word 'per': policies cannot "
     "test a frequency over time (it needs the patient's earlier claims", "What a policy "
     "cannot say"),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in J0897\n'
     "  require units <= 1 within 180 days\nend", 4, 22, "unexpected word 'within': policies "
     "cannot test a frequency over time", "forbid units > 1"),
    ("syntax", 'rule R1\n  source: "s"\n  every line where procedure in 95810\n  deny\nend',
     3, 3, "unknown statement or field 'every' (a line rule starts 'for each line')", ""),
    ("unknown_field", 'rule R1\n  source: "s"\n  frequency: 180 days\n  deny\nend', 3, 3,
     "unknown field 'frequency': policies cannot test a frequency over time", ""),
    ("unknown_field", 'rule R1\n  source: "s"\n  frequency: 1\n  deny\nend', 3, 3,
     "unknown field 'frequency': policies cannot test a frequency over time", ""),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in 95810\n'
     "  require prior_auth\nend", 4, 11, "unknown test 'prior_auth': policies cannot test a "
     "prior authorization or referral number (the claim model carries none)", "a test:"),
    ("unknown_field", 'rule R1\n  source: "s"\n  prior_auth: required\n  deny\nend', 3, 3,
     "unknown field 'prior_auth': policies cannot test a prior authorization", ""),
    ("syntax", 'rule R1\n  source: "s"\n  for each line where procedure in J0897\n'
     "  require ndc in {55513-0710-01}\nend", 4, 11,
     "unknown test 'ndc': policies cannot test a line's NDC", ""),
    # -- a rule's head and end (was "unexpected symbol ':'" at 'source:', "unknown statement
    # -- or field 'rule'" at the next rule, "unexpected end of file") ----------------------
    ("syntax", 'rule\n  source: "s"\n  deny\nend', 1, 1,
     "'rule' has no ID ('source' was read as one)", "an ID after 'rule'"),
    ("syntax", "rule\n  for each line where procedure in 95810\n  deny\nend", 1, 1,
     "'rule' has no ID ('for' was read as one)", ""),
    ("syntax", 'rule "PSG 1"\n  source: "s"\n  deny\nend', 1, 6,
     "a rule ID is written without quotes", "rule PSG-1"),
    ("syntax", 'rule R1\n  source: "s"\n  deny\nrule R2\n  source: "s"\n  deny\nend', 4, 1,
     "'rule' inside rule 'R1' (line 1), which has no 'end'", "'end' to close rule 'R1'"),
    ("syntax", 'rule R1\n  source: "s"\n  deny\nset S = I10\n', 4, 1,
     "'set' inside rule 'R1' (line 1), which has no 'end'", ""),
    ("syntax", 'set S = I10\nrule R1\n  source: "s"\n  require dx in S\n', 5, 1,
     "unexpected end of file: rule 'R1' (line 2) has no 'end'", "'end' to close rule 'R1'"),
    # -- an HCPCS code short of a character (was: expected "ICD-10-CM codes with their dot,
    # -- e.g. J08.9", after 'procedure in') -----------------------------------------------
    ("bad_code", 'rule R1\n  source: "s"\n  for each line where procedure in {J089}\n'
     "  deny\nend", 3, 37, "'J089' is not a CPT/HCPCS code",
     "CPT/HCPCS codes of 5 characters (95810, J0897)"),
])
def test_messages_say_what_is_wrong(kind: str, text: str, line: int, column: int, reason: str,
                                    expected: str) -> None:
    with pytest.raises(PolicyError) as info:
        loads(text, file="t.policy")
    e = info.value
    assert (e.kind, e.line, e.column) == (kind, line, column), str(e)
    assert e.reason.startswith(reason)
    assert expected in e.expected


def test_a_failed_example_says_which_codes_are_not_valid_on_its_date() -> None:
    rules = loads('rule R1\n  source: "s"\n  for each line where procedure in 99213\n'
                  "  require pointed dx in I10\n"
                  "  example fail { on 2025-01-01  dx I10  line 99201 -> 1 }\n"
                  "  example pass { on 2025-01-01  dx E11  line 99213 -> 1 }\nend")
    fail, pass_ = run_tests(rules)
    assert not fail.ok and not pass_.ok
    assert fail.detail == ("expected a finding, got none (not valid on 2025-01-01: line 1's "
                           "99201; a line with an invalid code is skipped, an invalid "
                           "diagnosis is in no set)")
    assert pass_.detail.endswith("(not valid on 2025-01-01: diagnosis E11; a line with an "
                                 "invalid code is skipped, an invalid diagnosis is in no set)")


def test_a_failed_example_the_rule_cannot_judge_says_why() -> None:
    """A fail example out of the rule's dates, payer or claim type got "expected a finding,
    got none" alone."""
    rules = loads('rule ACME-J0897\n  finding: PAYER_UNITS_EXCEEDED\n  payer: acme\n'
                  "  claim_type: professional\n  effective: 2026-01-01\n  until: 2026-12-31\n"
                  '  source: "s"\n  for each line where procedure in J0897\n  forbid units > 1\n'
                  "  example fail { on 2025-06-01 payer acme dx M81.0 line J0897 units 2 -> 1 }\n"
                  "  example fail { on 2026-06-01 payer beta dx M81.0 line J0897 units 2 -> 1 }\n"
                  "  example fail { on 2026-06-01 payer acme type institutional dx M81.0\n"
                  "                 line J0897 units 2 }\n"
                  "  example fail { on 2026-06-01 payer acme dx M81.0 line J0897 units 2 -> 1 }\n"
                  "end")
    assert [(r.ok, r.detail) for r in run_tests(rules)] == [
        (False, "expected a finding, got none: the rule did not apply to this example: "
                "line 1 (J0897) is dated 2025-06-01, before the rule's effective date "
                "2026-01-01"),
        (False, "expected a finding, got none: the rule did not apply to this example: its "
                "payer 'beta' is none of the rule's (acme)"),
        (False, "expected a finding, got none: the rule did not apply to this example: its "
                "claim type 'institutional' is not the rule's (professional)"),
        (True, "")]


@pytest.mark.parametrize(("finding", "meant"), [
    ("MED_NECESITY_DX_NOT_COVERED", "MED_NECESSITY_DX_NOT_COVERED"),
    ("COVERAGE_CRITERIA_NOT_MT", "COVERAGE_CRITERIA_NOT_MET"),
    ("NCCI_PTP_CONFLCT", "NCCI_PTP_CONFLICT"),
])
def test_a_misspelt_built_in_finding_id_is_refused(finding: str, meant: str) -> None:
    # it loaded: profile severity overrides and the catalog link then missed its findings
    text = ('rule ACME-1\n  title: "t"\n  source: "s"\n  payer: acme\n'
            f"  finding: {finding}\n  deny\nend\n")
    with pytest.raises(PolicyError) as e:
        loads(text)
    assert str(e.value).splitlines()[0] == (
        f"<string>:5:12: finding {finding!r} is no finding codekit has (did you mean "
        f"{meant!r}?)")
    for own in ("ACME_PRIOR_AUTH", "MED_NECESSITY_DX_NOT_COVERED2", meant):
        assert loads(text.replace(finding, own))


def test_loading_a_folder_without_policies_is_an_error(tmp_path: Path) -> None:
    # a mistyped or wrong folder gave a set of no rules, applied as if it were the payer's
    (tmp_path / "rules.txt").write_text(OK_RULE, encoding="utf-8")
    with pytest.raises(PolicyError) as e:
        load(tmp_path)
    assert (e.value.kind, str(e.value).splitlines()[0]) == (
        "read_error", f"{tmp_path}: no .policy file in this folder or below it")
    (tmp_path / "r.policy").write_text(OK_RULE, encoding="utf-8")
    assert [p.id for p in load(tmp_path)] == ["R1"]


def test_what_the_new_checks_leave_alone(tmp_path: Path) -> None:
    """The diagnostics of a payer-policy review (2026-12-06) refuse only what is surely a
    mistake."""
    rule = 'rule R{n}\n  {head}\n  source: "s"\n  {body}\nend\n'
    for n, (head, body) in enumerate([
        ("finding: MOD_59_MISSING", "deny"),  # two off MOD_26_MISSING: one short word differs
        ("payer: acme, bcbs", "deny"),  # a plan's own IDs
        ("title: \"t\"", "require dx in E11.- except {E11.9}"),
        ("title: \"t\"", "require dx in I70.211-I70.218 except I70.218"),
        ("title: \"t\"", "require dx in I70.21-I70.218"),
        ("payer: medicare", "deny\n  example fail { on 2025-01-01 payer mcr }"),  # a claim's name
    ]):
        assert loads(rule.format(n=n, head=head, body=body)).ids == (f"R{n}",)
    # tests of one value whose sets share a code: no never_true
    for n, body in enumerate([
        "for each line where procedure in 99202-99215 and procedure in 99213\n  deny",
        "for each line where procedure in 99202-99215 except {99213} and procedure in "
        "99213-99215\n  deny",
        "for each line where procedure in 95810 and any other line where (procedure in "
        "95811)\n  deny",
        "require first dx in E11.- and first dx in E11.9",
        "require first dx in C84.00-C84.99 and first dx in C84.Z0",  # C84.Z before C84.9
        "require first dx in C43-C44 and first dx in C4A.10",
        "require first dx in {A00-Z99, U07-U09} and first dx in U07.1",
        "require first dx not in {I10} and first dx in {E11.9}",
        "require no first dx in {I10} and first dx in {E11.9}",
        "require first dx in {I10} and dx in {E11.9}",  # dx: any diagnosis of the claim
        "require pos in {11, 22} and pos = 22",
        "require bill_type in {13x} and bill_type = 131",
        "require sex in {F, U} and sex != F",
        "require payer = acme and payer = commercial",  # a claim goes by several names
        "require payer in {medicare, medicaid} and payer = medicaid",
        "require payer = medicare and payer != medicaid",
        "require first dx not in {I10} and first dx in {I10, E11.9}",  # E11.9 is left
        "require first dx not in E11.6- and first dx in E11.-",
        "require first dx not in E11.- except E11.9 and first dx in E11.9",
        "require first dx not in {I10} and first dx not in {E11.9}",
        # a 'not' that leaves some of the other test's values: no never_true
        "for each line where procedure in 99202-99215 and procedure not in 99213\n  deny",
        "for each line where procedure in 99213 and modifier 25 and modifier not in {59}\n"
        "  deny",
        "for each line where procedure in 99213 and modifier in {25, 59} and not modifier "
        "25\n  deny",
        "require dx in E11.- and no dx in E11.9",
        "for each line where procedure in 99213\n  require pointed dx in {I10} and no first "
        "pointed dx in {I10}",
        "for each line where procedure in 99213\n  require dx in {I10} and no pointed dx in "
        "{I10}",
        "require not all dx in {I10} and dx in {I10}",
        "require dx not in {I10} and no dx in {I10}",
        "require sex in {F, U} and sex != U",
        "require bill_type in {13x} and bill_type != 131",
        # demands and 'when' that can hold on what the rule looks at
        "for each line where procedure in 99202-99215\n  when pos = 11\n"
        "  require procedure in 99213 or pos = 22\n  forbid procedure in 99211",
        "for each line where procedure in 99202-99215 or procedure in 95810\n"
        "  require procedure in 95810",
    ]):
        assert loads(rule.format(n=n, head='title: "t"', body=body)).ids == (f"R{n}",), body
    # tests narrower than the rule's header, or that a claim it takes may meet
    for n, (head, body) in enumerate([
        ("effective: 2026-01-01", "for each line where procedure in 95810 and dos >= "
         "2026-06-01\n  deny"),
        ("until: 2025-12-31", "when dos between 2025-01-01 and 2025-12-31\n  deny"),
        # a claim rule is dated by its first line; another line may be later
        ("until: 2025-12-31", "when any line where (dos >= 2026-01-01)\n  deny"),
        ("claim_type: professional, institutional", "when claim_type = institutional\n  deny"),
        ("claim_type: professional", "when claim_type != institutional\n  deny"),
        # a plan's own ID: its claims are routed to a family too (filing indicator MB)
        ("payer: acme", "when payer = medicare\n  deny"),
        ("payer: medicare", "when payer != medicaid\n  deny"),
        ("payer: medicare, medicaid", "require payer = medicaid"),
    ]):
        assert loads(rule.format(n=n, head=head, body=body)).ids == (f"R{n}",), (head, body)
    # opposite demands of rules that never apply to the same claim: other dates (versions),
    # another trigger, other payers
    opposite = ('rule A\n  {a}\n  source: "s"\n  for each line where procedure in 95810\n'
                '  require dx in {{G47.33}}\nend\nrule B\n  {b}\n  source: "s"\n'
                '  for each line where procedure in {code}\n  forbid dx in {{G47.33}}\nend\n')
    for a, b, code in [("until: 2025-12-31", "effective: 2026-01-01", "95810"),
                       ('title: "t"', 'title: "t"', "95811"),
                       ("payer: acme", "payer: beta", "95810"),
                       # an info finding fails no claim: a reminder beside the demand
                       ('title: "t"', "severity: info", "95810")]:
        assert loads(opposite.format(a=a, b=b, code=code)).ids == ("A", "B")
    with pytest.raises(PolicyError) as info:  # a code's typo is still about the code
        loads('rule R1\n  source: "s"\n  require dx in I1O\nend')
    assert (info.value.kind, info.value.reason) == ("unknown_code", "unknown ICD-10-CM code 'I1O'")
    # versions that hand over on consecutive days, and undated demands that hold together
    versions = ('rule OLD\n  until: 2022-02-09\n  source: "v1"\n  for each line where procedure '
                'in 71271\n  require age between 55 and 77\nend\n'
                'rule NEW\n  effective: 2022-02-10\n  source: "v2"\n  for each line where '
                'procedure in 71271\n  require age between 50 and 77\nend\n')
    together = ('rule LOW\n  source: "s"\n  for each line where procedure in 81528\n'
                '  require age >= 45\nend\nrule HIGH\n  source: "s"\n  for each line where '
                'procedure in 81528\n  require age <= 85\nend\n')
    assert loads(versions + together).ids == ("OLD", "NEW", "LOW", "HIGH")
    # across the files of a folder, the version that starts too early is named
    (tmp_path / "a.policy").write_text(versions.split("rule NEW")[0], encoding="utf-8")
    (tmp_path / "b.policy").write_text("rule NEW" + versions.split("rule NEW")[1].replace(
        "2022-02-10", "2022-02-01"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load(tmp_path)
    e = info.value
    assert (e.kind, Path(e.file).name, e.line, e.column) == ("overlapping_versions",
                                                             "b.policy", 2, 14)
    assert e.reason == ("rule 'NEW' takes effect on 2022-02-01, and 'OLD' (line 1 of "
                        f"{tmp_path / 'a.policy'}), a version of it, runs until 2022-02-09: "
                        "from 2022-02-01 to 2022-02-09 a claim gets both findings")
