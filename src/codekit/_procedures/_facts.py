"""Procedure codes resolved for a date of service, remembered across claims.

The claim edits resolve every service line's code once per (code as written, date): its
entry when valid, else the validity error, and what the code may trigger (a sex or age
limit, a side). A stream of claims then pays a dictionary look-up a line; a code on a
date not seen before, copies of what another date of its bundled quarter answered when
the code's answer cannot differ between the two (see :func:`_quarter`).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import attrs

from .. import _cache
from ..errors import ValidationError
from ._codes import _parse
from ._codes import validate as _validate
from ._entries import ProcedureEntry
from ._format import Category
from ._sections import (
    ADVANCE_CARE_PLANNING,
    AMBULANCE_TRIPS,
    ANESTHESIA,
    COVID_VACCINES,
    CPT_AGE_LIMITS,
    DEFINITIVE_DRUG_TESTS,
    FRACTURE_TREATMENT,
    HOME_VACCINE_ADMINISTRATION,
    PART_B_VACCINES,
    PART_D_VACCINES,
    PREVENTIVE_VISITS,
    PROLONGED_STATUS_I,
    SCREENING_TURNED_DIAGNOSTIC,
    TELEMEDICINE_VISITS,
    VISIT_ADDONS,
    em_setting,
)
from ._store import default_store
from ._therapy import ALWAYS_THERAPY

__all__ = ["Resolved", "resolve"]


class _ResolvedFields(NamedTuple):
    # The fields of Resolved: a NamedTuple body may hold nothing but fields, so the
    # constants of ``bits`` live on the subclass.

    #: The compact code, when well formed.
    code: str | None
    #: The entry, when the code may be reported on the date.
    entry: ProcedureEntry | None
    #: The validity error otherwise (the most specific one).
    error: ValidationError | None
    #: What a valid code may trigger: :data:`Resolved.SEX`, ``AGE``, ``SIDED``,
    #: ``SCREENING``, ``MPFS``, ``THERAPY``, ``VACCINE``, ``ACP``, ``FRACTURE``,
    #: ``PREVENTIVE``, ``EM_OFFICE``, ``EM_FACILITY``, ``TELEMEDICINE``, ``ANESTHESIA``,
    #: ``AMBULANCE``, ``DATE_EDIT``, ``DRUG_TEST``, ``PERIOD``.
    bits: int


class Resolved(_ResolvedFields):
    """A procedure code as written, resolved for a date (see :func:`resolve`):
    ``(code, entry, error, bits)``."""

    __slots__ = ()

    #: ``bits``: limited to one sex (see :attr:`ProcedureEntry.sex`),
    SEX = 1
    #: an age range (IOCE data, or a CPT descriptor's: ``procedure.CPT_AGE_LIMITS``),
    AGE = 2
    #: may be done on either side (IOCE bilateral indicator conditional or independent),
    SIDED = 4
    #: a code of a Medicare screening that may turn diagnostic the same day (a flexible
    #: sigmoidoscopy or colonoscopy, a mammography: modifiers PT and GG; see
    #: ``procedure.SCREENING_TURNED_DIAGNOSTIC``).
    SCREENING = 8
    #: and has a row in a loaded MPFS RVU file (``ProcedureEntry.mpfs``: the payment
    #: indicators the fee schedule edits read), or is on a date no loaded MPFS file
    #: answers for (the edits list themselves as not run), or is a code whose MPFS status
    #: codekit knows without the file (``procedure.PROLONGED_STATUS_I``: 99417, 99418).
    MPFS = 16
    #: a Medicare "always therapy" code on some date (``procedure.ALWAYS_THERAPY``: it takes
    #: a therapy discipline modifier, GN, GO or GP; the rule checks the line's date).
    THERAPY = 32
    #: a vaccine Medicare Part B pays with its own administration code (influenza,
    #: pneumococcal, hepatitis B: ``procedure.PART_B_VACCINES``; COVID-19,
    #: ``procedure.COVID_VACCINES``) or that Part D covers (``procedure.PART_D_VACCINES``),
    #: or the add-on of a Part B vaccine administered at home
    #: (``procedure.HOME_VACCINE_ADMINISTRATION``, M0201).
    VACCINE = 64
    #: advance care planning (99497, 99498: ``procedure.ADVANCE_CARE_PLANNING``).
    ACP = 128
    #: a CPT fracture and/or dislocation treatment code (``procedure.FRACTURE_TREATMENT``),
    FRACTURE = 256
    #: a preventive medicine visit, 99381-99397 (``procedure.PREVENTIVE_VISITS``).
    PREVENTIVE = 512
    #: an E/M visit of a category CPT defines by where the patient is seen (see
    #: ``procedure.EM_SETTINGS``), which a place of service may contradict: an office or
    #: other outpatient visit (``EM_OFFICE``: the usual one, which few places contradict),
    #: a hospital, emergency department, nursing facility or home visit (``EM_FACILITY``),
    EM_OFFICE = 1024
    EM_FACILITY = 2048
    #: a telemedicine visit of 2025 (98000-98015: ``procedure.TELEMEDICINE_VISITS``),
    TELEMEDICINE = 4096
    #: an anesthesia code (CPT 00100-01999), which Medicare prices by a payment modifier.
    ANESTHESIA = 8192
    #: a code of the Medicare ambulance fee schedule (A0425-A0436:
    #: ``procedure.AMBULANCE_TRIPS``), whose lines carry the trip's origin and destination.
    AMBULANCE = 16384
    #: a Level II code valid by CMS's HCPCS file on a date its I/OCE date edit rejects
    #: (:attr:`ProcedureEntry.date_limit`: G0011 from 2024-07-01 to 2024-09-29, before its
    #: NCD approval; the outpatient edits ``PROC_BEFORE_*`` judge it).
    DATE_EDIT = 32768
    #: a CPT definitive drug test (80320-80377: ``procedure.DEFINITIVE_DRUG_TESTS``), which
    #: Medicare pays under G0480-G0483 or G0659 instead.
    DRUG_TEST = 65536
    #: a service billed for a period, a calendar month or 30 or 90 days (care management,
    #: remote monitoring, remote interrogation of an implanted cardiac device), or 12
    #: months (the IPPE and the annual wellness visit: :data:`PERIOD_SERVICES`), which
    #: Medicare pays once for its period.
    PERIOD = 131072
    #: a quality-data code (QDC): a CPT Category II code, or a code whose row in a loaded
    #: MPFS RVU file has status M ("measurement codes, used for reporting purposes only":
    #: the MIPS quality G-codes, G8427...). It reports a quality measure's action for the
    #: visit of its claim at a $0.00 charge, and Medicare pays it never (remark N365:
    #: "for reporting/information purposes only"): no service of its own. Without a loaded
    #: MPFS file a Level II QDC is not told apart (the I/OCE's status M holds payable
    #: practitioner codes too: G0181, G0519-G0531).
    QUALITY = 262144
    #: an add-on code reporting more of the E/M visit it is billed with, not a service of
    #: its own (``procedure.VISIT_ADDONS``: G2211, G2212, 99417, 99292...).
    VISIT_ADDON = 524288


#: The codes of services billed for a period rather than a date, which Medicare pays once
#: for it (``codekit.rules.professional_edits.ONCE_PER_PERIOD`` says each one's period):
#: chronic, principal and behavioral health care management 99424, 99426, 99484, 99487,
#: 99490-99493, G2214; advanced primary care management G0556-G0558 and its behavioral
#: health add-ons G0568-G0570 (from 2026, which ``PROC_PERIOD_ADDON_WITHOUT_BASE`` judges
#: too); community health integration G0019; principal illness navigation G0023, G0140;
#: transitional care management 99495, 99496 (the 30 days after a discharge, which
#: ``PROC_PERIOD_EXCLUSIVE`` judges); remote physiologic monitoring 99445, 99454, 99457,
#: 99470; remote therapeutic monitoring 98976-98980, 98984-98986; remote interrogation
#: device evaluations 93294-93298; Medicare's preventive visits G0402, G0438, G0439 (one
#: in 12 months). Numbers only, never a descriptor.
PERIOD_SERVICES: frozenset[str] = frozenset({
    "99424", "99426", "99484", "99487", "99490", "99491", "99492", "99493", "G2214",
    "G0556", "G0557", "G0558", "G0568", "G0569", "G0570", "G0019", "G0023", "G0140",
    "99495", "99496",
    "99445", "99454", "99457", "99470", "98976", "98977", "98978", "98979", "98980",
    "98984", "98985", "98986", "93294", "93295", "93296", "93297", "93298",
    "G0402", "G0438", "G0439"})


def _weigh(key: tuple[str, dt.date], value: Resolved) -> int:
    """What a remembered :class:`Resolved` costs: for a valid code, what
    :func:`_cache.weigh` would say, summed from the parts that vary (a test holds them
    equal), an error weighed. Lines on dates not seen before are frequent in a stream, and
    weighing was a good part of their cost."""
    if value.error is None:
        return _FIXED + _size(key[0]) + _size(value.code) + _size(value.entry) + \
            _size(value.bits)
    return _cache.entry_weight(key, value)


_size = sys.getsizeof
#: the parts of every valid entry's weight that do not vary: the key's tuple and date, the
#: Resolved tuple itself, the cache's overhead
_FIXED = _size(("", dt.date(2000, 1, 1))) + _size(dt.date(2000, 1, 1)) + \
    _size(Resolved(None, None, None, 0)) + _cache.ENTRY_OVERHEAD
#: (code as written, day) -> its Resolved. The cache's default bound (16 MB, about
#: 28,000 pairs): a stream of claims over several years meets a few hundred codes on each
#: of a thousand days, and the entries are forgotten oldest first, so a bound below the
#: stream's pairs resolves every line again (8 MB did: see tests/test_caches.py, streams
#: over several years).
_SEEN: _cache.BoundedCache[tuple[str, dt.date], Resolved] = \
    _cache.owned("procedure.resolved", _cache.BoundedCache(weigher=_weigh))


def resolve(raw: str, day: dt.date) -> Resolved:
    """``raw`` (a code as written) resolved for ``day``, remembered per (code, day)."""
    key = (raw, day)
    hit = _SEEN.get(key)
    if hit is None:
        since = _cache.changes()  # kept only if no data change began meanwhile
        quarter = _quarter(day)
        same = None if quarter is None else (raw, quarter)
        base = None if same is None else _SAME.get(same)
        if base is not None and base.entry is not None:  # (only valid answers are kept)
            hit = Resolved(base.code, _on(base.entry, day), None, base.bits)
        else:
            hit = _resolve(raw, day)
            if same is not None and hit.entry is not None and \
                    hit.entry.code not in default_store().day_precise:
                if len(_SAME) >= 65536:
                    _SAME.clear()
                _SAME.put(same, hit, since)
        if len(_SEEN) >= 65536:
            _SEEN.clear()
        _SEEN.put(key, hit, since)
    return hit


def _resolve(raw: str, day: dt.date) -> Resolved:
    try:
        entry = _validate(raw, on=day)
    except ValidationError as e:
        e = e.with_traceback(None)  # the traceback would keep frames alive
        e.__context__ = None
        try:
            code: str | None = _parse(raw, None).code
        except ValidationError:
            code = None
        return Resolved(code, None, e, 0)
    code = entry.code
    bits = (Resolved.SEX if entry.sex else 0) | \
        (Resolved.AGE if entry.min_age is not None or entry.max_age is not None
         or code in CPT_AGE_LIMITS else 0) | \
        (Resolved.SIDED if entry.bilateral in ("conditional", "independent") else 0) | \
        (Resolved.SCREENING if entry.code in SCREENING_TURNED_DIAGNOSTIC else 0) | \
        (Resolved.MPFS if entry.mpfs is not None or _mpfs_gap(day) else 0) | \
        _CODE_BITS.get(code, 0) | \
        _EM_BITS.get(em_setting(code) or "", 0) | \
        (Resolved.ANESTHESIA if entry.system == "cpt"
         and entry.section == ANESTHESIA else 0)  # type: ignore[attr-defined]
    if entry.category is Category.CATEGORY_II or (
            entry.mpfs is not None and entry.mpfs.status == "M"):
        bits |= Resolved.QUALITY
    limit = entry.date_limit
    if limit is not None and limit.violated_on(day):
        bits |= Resolved.DATE_EDIT
    return Resolved(code, entry, None, bits)


def _mpfs_gap(day: dt.date) -> bool:
    """MPFS files are loaded and none answers for ``day``: the edits that read one are
    planned, to list themselves as not run (:attr:`Resolved.MPFS`)."""
    s = default_store()
    return bool(s.mpfs) and s.mpfs_for(day) is None


#: The codes of :attr:`Resolved.VACCINE`.
_VACCINES = frozenset(PART_B_VACCINES) | PART_D_VACCINES | frozenset(COVID_VACCINES) \
    | {HOME_VACCINE_ADMINISTRATION}


#: The bits a code has by being in a list (``THERAPY``, ``VACCINE``, ``ACP``,
#: ``FRACTURE``, ``PREVENTIVE``, ``TELEMEDICINE``, ``AMBULANCE``, ``DRUG_TEST``,
#: ``PERIOD``, ``MPFS`` for the status codekit knows, ``VISIT_ADDON``), by code: one
#: look-up a code resolved instead of one a list.
_CODE_BITS: dict[str, int] = {}
for _bit, _codes in ((Resolved.THERAPY, ALWAYS_THERAPY), (Resolved.VACCINE, _VACCINES),
                     (Resolved.ACP, ADVANCE_CARE_PLANNING),
                     (Resolved.FRACTURE, FRACTURE_TREATMENT),
                     (Resolved.PREVENTIVE, PREVENTIVE_VISITS),
                     (Resolved.TELEMEDICINE, TELEMEDICINE_VISITS),
                     (Resolved.AMBULANCE, AMBULANCE_TRIPS),
                     (Resolved.DRUG_TEST, DEFINITIVE_DRUG_TESTS),
                     (Resolved.PERIOD, PERIOD_SERVICES),
                     (Resolved.MPFS, PROLONGED_STATUS_I),
                     (Resolved.VISIT_ADDON, VISIT_ADDONS)):
    for _code in _codes:
        _CODE_BITS[_code] = _CODE_BITS.get(_code, 0) | _bit
del _bit, _codes, _code

#: E/M category (``procedure.EM_SETTINGS``) -> its bit.
_EM_BITS = {"office": Resolved.EM_OFFICE, "hospital": Resolved.EM_FACILITY,
            "emergency": Resolved.EM_FACILITY, "nursing": Resolved.EM_FACILITY,
            "home": Resolved.EM_FACILITY}


def _quarter(day: dt.date) -> int | None:
    """The bundled quarter of ``day`` when a valid code that CMS did not approve or end
    mid-quarter answers every date of that quarter alike but for the entry's date: no
    loaded HCPCS release or quarterly file (they are exact to the day), and ``day`` inside
    the bundled quarters (outside, the entry's note names the date). None otherwise."""
    s = default_store()
    if s.releases or s.quarter_files or (s.mpfs and not s.mpfs_by_quarter()):
        return None
    qs = s.quarters
    if not qs.first <= day <= qs.last_known:
        return None
    return qs.index(day)


#: (code as written, bundled quarter) -> its Resolved on a date of that quarter (valid codes
#: only, never one dated to the day): see :func:`_quarter`. Weighed as the (code, date)
#: memo's entries (an int in the key where those have a date: 4 bytes over).
_SAME: _cache.BoundedCache[tuple[str, int], Resolved] = \
    _cache.owned("procedure.same", _cache.BoundedCache(max_bytes=8 << 20, weigher=_weigh))
#: entry class -> its copier (see :func:`_on`)
_COPIERS: dict[type, Callable[[ProcedureEntry, dt.date], ProcedureEntry]] = {}


def _on(entry: ProcedureEntry, day: dt.date) -> ProcedureEntry:
    """``entry`` for ``day``: a copy but for ``on`` (a field at a time, as attrs' own
    ``__init__`` sets a frozen class's fields; a third of what ``attrs.evolve`` costs)."""
    cls = type(entry)
    copy = _COPIERS.get(cls)
    if copy is None:
        copy = _COPIERS[cls] = _copier(cls)
    return copy(entry, day)


def _copier(cls: type) -> Callable[[ProcedureEntry, dt.date], ProcedureEntry]:
    """A function copying an entry of ``cls`` but for its ``on``: one statement a field,
    compiled once per class (as attrs writes a class's ``__init__``). Kept because it is
    measurably cheaper than plain code: the same copy of a CptEntry (24 fields) as a loop
    over the fields' names (``for name in names: _put(new, name, getattr(entry, name))``)
    took 38,984 instructions against 30,080 (callgrind, 20,000 copies, 2026-12-06), and a
    stream copies an entry for each line on a date it has not seen (576 copies over the
    first pass of 300 professional claims of ``tests/claims_gen``, about 17,000
    instructions a claim more with the loop); ``attrs.evolve`` costs three times as much."""
    names = [a.name for a in attrs.fields(cls) if a.name != "on"]
    source = "def copy(entry, day):\n    new = _new(_cls)\n" + "".join(
        f"    _put(new, {name!r}, entry.{name})\n" for name in names) + \
        "    _put(new, 'on', day)\n    return new\n"
    ns: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_put": object.__setattr__}
    exec(compile(source, f"<codekit procedure entry copier {cls.__name__}>", "exec"), ns)
    copy: Callable[[ProcedureEntry, dt.date], ProcedureEntry] = ns["copy"]
    return copy
