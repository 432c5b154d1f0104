"""Places of service (CMS POS code set, 837P SV105 / CLM05-1) and the E/M visit
categories that do not fit them.

CPT defines the E/M visit categories by where the patient is seen (CPT E/M guidelines, by
setting: office or other outpatient, hospital inpatient and observation care, emergency
department, nursing facility, home or residence; ``codekit.procedure.EM_SETTINGS``), and a
professional claim says where the service was furnished by its place of service (the
line's, else the claim's: Claims Processing Manual ch.26 §10.5, CR 7631 -- the setting of
the face-to-face encounter, except that a registered hospital inpatient or outpatient
keeps the hospital's place of service, 21, 22 or 19, wherever the practitioner saw them).

:data:`EM_POS_MISFITS` lists only the pairs that cannot both be right, whatever the
patient's registration:

- an office or other outpatient visit at an inpatient hospital (21), a skilled nursing
  facility (31) or a nursing facility (32): a visit there is a hospital inpatient or
  observation care visit (Claims Processing Manual ch.12 §30.6.9) or a nursing facility
  visit (§30.6.13); a nursing facility resident seen in the office is POS 11 (CR 7631).
  (A registered hospital inpatient seen in the practitioner's office keeps POS 21: the
  finding is a warning, and its message says so.) Likewise an office or other outpatient
  visit at an inpatient psychiatric facility (51), whose patients are hospital inpatients
  (CMS POS code set: inpatient psychiatric services on a 24-hour basis), or at a
  psychiatric residential treatment center (56), whose residents' visits are nursing
  facility visits (CPT's nursing facility codes include it; Claims Processing Manual ch.12
  §30.6.13: the CPT nursing facility definition includes POS 54 and 56); a registered
  inpatient of a psychiatric facility keeps 51 wherever seen (ch.26 §10.5: the inpatient
  place of service). An office code at an on-campus (22) or off-campus (19) outpatient
  hospital is right (the facility rate); at an emergency room (23) it is not judged (a
  hospital outpatient seen there by a practitioner not assigned to the emergency
  department);
- a hospital inpatient or observation care visit in an office (11);
- an emergency department visit in an office (11), a home (12) or an urgent care facility
  (20, by its definition "distinct from a hospital emergency room"): the emergency
  department codes are for a patient seen in a hospital's emergency department, never in
  an office or another setting (§30.6.11);
- a nursing facility visit in an office (11) or a home (12) (§30.6.13);
- a home or residence visit in an office (11), an emergency room (23), a skilled nursing
  or nursing facility or a psychiatric residential treatment center (31, 32, 56: CPT
  reports those residents' visits with the nursing facility codes; §30.6.14.1).

Left out, where a correctly coded claim may have the pair: hospital codes at a home (12:
a patient of an Acute Hospital Care at Home program is a registered inpatient), home
codes at 21, 22 or 19 (the same program; hospital outpatient departments in the home),
emergency department codes at 19, 21 or 22 (off-campus emergency departments, a patient
boarded in the emergency department), nursing facility codes at a hospital (swing beds).
"""

from __future__ import annotations

import datetime as dt
import re

from ..procedure import EM_SETTINGS

__all__ = ["EM_POS_MISFITS", "MISFIT_POS", "OFFICE_MISFITS", "POS_CODES", "POS_NAMES",
           "SETTING_NAMES", "pos_problem"]

#: The CMS Place of Service code set (837P CLM05-1 and SV105, CMS-1500 item 24B: "a
#: two-digit POS code"), code -> the first date of service it may be reported on where
#: CMS dated it after ICD-10 began (None: in the set before 2015-10-01, or not dated by a
#: source codekit could confirm: never judged by date). 52 codes, as HL7 THO's
#: CMSPlaceofServiceCodes 20240502 holds them; the other two-digit numbers (00, 28-30,
#: 35-40, 43-48, 59, 63, 64, 67-70, 73-80, 82-98) are unassigned. Dates: 02 telehealth
#: 2017-01-01 (CMS POS code set), 19 off-campus outpatient hospital 2016-01-01 (CR 9231),
#: 58 non-residential opioid treatment facility 2020-01-01 (CR 11353), 10 telehealth in
#: the patient's home 2022-01-01 (CMS POS code set; Medicare from 2022-04-01), 27 outreach
#: site/street 2023-10-01 (CR 13314). 66 (PACE center) is in the set of 2024-05 and not
#: dated here.
POS_CODES: dict[str, dt.date | None] = {
    **dict.fromkeys((f"{n:02d}" for n in (
        1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 25, 26,
        31, 32, 33, 34, 41, 42, 49, 50, 51, 52, 53, 54, 55, 56, 57, 60, 61, 62, 65, 66, 71,
        72, 81, 99)), None),
    "02": dt.date(2017, 1, 1), "19": dt.date(2016, 1, 1), "58": dt.date(2020, 1, 1),
    "10": dt.date(2022, 1, 1), "27": dt.date(2023, 10, 1),
}

#: A place of service written as a whole number that lost its leading zero or gained a
#: decimal part or spaces (``2``, `` 02``, ``2.0``): one reading, the two-digit code.
_NUMBER = re.compile(r"\s*0*([0-9]{1,2})(?:\.0*)?\s*", re.ASCII)


def pos_problem(pos: str, day: dt.date) -> tuple[str, str | None] | None:
    """What is wrong with the place of service ``pos`` on a service of ``day`` (None: a
    code of :data:`POS_CODES` in effect then): why, in words, and the code meant when it
    is written wrong but has one reading.

    >>> day = dt.date(2025, 11, 3)
    >>> pos_problem("11", day), pos_problem("2", day)[1], pos_problem(" 10 ", day)[1]
    (None, '02', '10')
    >>> pos_problem("30", day)[0]
    'is not a code of the CMS Place of Service code set (30 is unassigned)'
    >>> pos_problem("27", dt.date(2023, 9, 30))[0]
    'took effect on 2023-10-01, after the date of service 2023-09-30'
    """
    if pos in POS_CODES:
        since = POS_CODES[pos]
        if since is None or day >= since:
            return None
        return f"took effect on {since}, after the date of service {day}", None
    m = _NUMBER.fullmatch(pos) if len(pos) <= 20 else None
    if m is not None:
        code = m.group(1).zfill(2)
        if code in POS_CODES and code != pos:
            return "is not written as a two-digit place of service code", code
        if len(pos) == 2:
            return f"is not a code of the CMS Place of Service code set ({pos} is " \
                "unassigned)", None
    return "is not a place of service code (two digits of the CMS Place of Service code " \
        "set)", None

#: The places of service the rows below name, as the CMS POS code set calls them.
POS_NAMES: dict[str, str] = {
    "11": "an office", "12": "the patient's home", "20": "an urgent care facility",
    "21": "an inpatient hospital", "23": "a hospital emergency room",
    "31": "a skilled nursing facility", "32": "a nursing facility",
    "51": "an inpatient psychiatric facility", "56": "a psychiatric residential treatment center",
}

#: A category of :data:`codekit.procedure.EM_SETTINGS` in words (the CPT headings), with
#: the codes that report it today.
SETTING_NAMES: dict[str, str] = {
    "office": "an office or other outpatient visit (99202-99215)",
    "hospital": "a hospital inpatient or observation care visit (99221-99239)",
    "emergency": "an emergency department visit (99281-99285)",
    "nursing": "a nursing facility visit (99304-99316)",
    "home": "a home or residence visit (99341-99350)",
}

#: category -> {place of service it does not fit: the category of that place}.
EM_POS_MISFITS: dict[str, dict[str, str]] = {
    "office": {"21": "hospital", "31": "nursing", "32": "nursing", "51": "hospital",
               "56": "nursing"},
    "hospital": {"11": "office"},
    "emergency": {"11": "office", "12": "home", "20": "office"},
    "nursing": {"11": "office", "12": "home"},
    "home": {"11": "office", "23": "emergency", "31": "nursing", "32": "nursing",
             "56": "nursing"},
}

#: code -> the places of service its category does not fit (what the claim context tests
#: a line against: one dictionary read a line of an E/M visit).
_MISFITS = {kind: frozenset(places) for kind, places in EM_POS_MISFITS.items()}
#: The places of service an office or other outpatient visit does not fit (the claim
#: context looks at no line of a claim of office visits at another place).
OFFICE_MISFITS = _MISFITS["office"]
MISFIT_POS: dict[str, frozenset[str]] = {
    str(n): _MISFITS[kind]
    for kind, ranges in EM_SETTINGS.items() for a, b in ranges for n in range(a, b + 1)}
