"""Group E: the modifiers every line of an ambulance trip carries.

Medicare Claims Processing Manual ch.15 §30.A: on an ambulance claim, suppliers and
institutional providers report an origin/destination modifier for each ambulance trip, on
each of its HCPCS lines (two letters, origin first: ``RH`` residence to hospital; X, an
intermediate stop at a physician's office, is a destination only); institutional
providers add, on every HCPCS line, QM (the service provided under arrangement) or QN
(furnished directly). The lines judged are those of the Medicare ambulance fee schedule's
codes (``procedure.AMBULANCE_TRIPS``: A0425-A0436, base rates and mileage); other A0
transportation codes (A0080-A0210, A0888, A0998, A0999) are not.

The rules run under a profile with the option ``ambulance_modifiers``
(``medicare-professional``, ``medicare-dme``, ``medicare-outpatient``; ``commercial`` as
a warning, QM/QN off), never on an inpatient stay (a profile with the option
``inpatient``: an ambulance trip during a stay is Part A's, on no claim of its own).
Whether a pair that is written is valid, and where it may stand, is ``MOD_INVALID``'s;
whether a trip's mileage line carries its base rate line's pair,
``MOD_AMBULANCE_TRIP_MISMATCH``'s (a warning).
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import modifiers, procedure
from ..findings import Hit
from ..modifiers import origin_destination
from .context import ClaimContext, LineInfo
from .engine import rule

__all__ = ["ARRANGEMENT", "RULES", "SOURCE"]

SOURCE = ("Medicare Claims Processing Manual ch.15 §30.A (modifiers specific to ambulance "
          "service claims: origin/destination on each trip; QM or QN from institutional "
          "providers)")
#: The modifiers of an institutional provider's ambulance line: QM (provided under
#: arrangement), QN (furnished directly).
ARRANGEMENT = ("QM", "QN")


def _trips(ctx: ClaimContext) -> Iterator[LineInfo]:
    """The valid lines of an ambulance fee schedule code, on a claim that is not an
    inpatient stay."""
    if ctx.inpatient:
        return
    for ln in ctx.valid_lines:
        if ln.code in procedure.AMBULANCE_TRIPS:
            yield ln


@rule("MOD_AMBULANCE_TRIP_MISSING", "E", "error", SOURCE, when=["proc-ambulance"],
      options=["ambulance_modifiers"], supersedes=["LINE_DUPLICATE"])
def trip_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """A line of an ambulance fee schedule code (A0425-A0436) without an origin/destination
    modifier (``modifiers.origin_destination``: two of D, E, G, H, I, J, N, P, R, S, the
    origin first, X a destination only). The fix, when another line of the claim carries
    exactly one pair, is that pair (the trip's base rate and its mileage share it); else
    none: only the trip says where it began and ended. Not on a line whose pair is
    written with X first (:func:`_backwards`: XH; X is a destination only): that pair is
    ``MOD_INVALID``'s, one finding for one mistake."""
    pairs = {m for ln in ctx.lines for m in ln.modifiers if origin_destination(m)}
    same = tuple(pairs) if len(pairs) == 1 else ()
    for ln in _trips(ctx):
        if any(origin_destination(m) or _backwards(m, ln) for m in ln.modifiers):
            continue
        add = (f"add {same[0]}, the trip's pair on the claim's other lines" if same else
               "add the trip's pair, the origin's letter then the destination's (e.g. RH: "
               "residence to hospital; the letters: D, E, G, H, I, J, N, P, R, S, and X "
               "as a destination only)")
        yield Hit(f"Line {ln.line.line} ({ln.code}) is an ambulance service without an "
                  "origin/destination modifier, which Medicare requires on each line of "
                  f"a trip (Claims Processing Manual ch.15 §30.A): {add}.",
                  ("service_lines", ln.index, "modifiers"), (ln.code or "",), same)


def _backwards(m: str, ln: LineInfo) -> bool:
    """Whether modifier ``m`` of line ``ln`` is an origin/destination pair written with X
    (an intermediate stop, a destination only) first, ``XH``, and no modifier on the
    line's date: ``MOD_INVALID`` reports it (the pair is there, but invalid). XE, XP, XS
    and XU are modifiers of their own (distinct services), no pair."""
    return len(m) == 2 and m[0] == "X" and m[1] in modifiers.ORIGIN_DESTINATION and \
        not modifiers.is_valid(m, on=ln.day)


@rule("MOD_AMBULANCE_ARRANGEMENT_MISSING", "E", "error", SOURCE,
      when=["proc-ambulance"], options=["ambulance_modifiers"])
def arrangement_missing(ctx: ClaimContext) -> Iterator[Hit]:
    """On an institutional claim, a line of an ambulance fee schedule code (A0425-A0436)
    without QM (provided under arrangement) or QN (furnished directly), which an
    institutional provider reports on every ambulance HCPCS line. The fix: ``QN``,
    ``QM``."""
    if not ctx.claim.is_institutional:
        return
    for ln in _trips(ctx):
        if any(m in ARRANGEMENT for m in ln.modifiers):
            continue
        yield Hit(f"Line {ln.line.line} ({ln.code}) is an ambulance service on an "
                  "institutional claim without QM or QN, which a provider reports on "
                  "every ambulance line (Claims Processing Manual ch.15 §30.A): add QN "
                  "(furnished directly) or QM (provided under arrangement).",
                  ("service_lines", ln.index, "modifiers"), (ln.code or "",),
                  ("QN", "QM"))


@rule("MOD_AMBULANCE_TRIP_MISMATCH", "E", "warning",
      SOURCE + "; ch.15 §30.1.2 (coding instructions: the origin/destination modifier of "
      "the trip on its lines)", when=["proc-ambulance", "lines-several"],
      options=["ambulance_modifiers"])
def trip_mismatch(ctx: ClaimContext) -> Iterator[Hit]:
    """A mileage line (A0425 ground, A0435 fixed wing, A0436 rotary wing:
    ``procedure.AMBULANCE_MILEAGE``) whose origin/destination modifier is not that of the
    base rate line of its trip: judged only on a date with one base rate line of the
    mileage's kind and one mileage line of it, each with exactly one pair (two trips of
    a date, a round trip, pair their lines as the claim does not say), and neither pair
    ending at X (an intermediate stop at a physician's office, whose legs codekit does
    not pair). One trip's lines carry its pair (Claims Processing Manual ch.15 §30.A),
    so one of the two is wrong. Location: the mileage line's pair; fix: the base rate
    line's pair (or correct the base rate line, if it is that one)."""
    by_day: dict[object, list[LineInfo]] = {}
    for ln in _trips(ctx):
        by_day.setdefault(ln.day, []).append(ln)
    for lines in by_day.values():
        if len(lines) < 2:
            continue
        for mileage, bases in procedure.AMBULANCE_MILEAGE.items():
            miles = [ln for ln in lines if ln.code == mileage]
            base = [ln for ln in lines if ln.code in bases]
            if len(miles) != 1 or len(base) != 1:
                continue
            got, want = _pair(miles[0]), _pair(base[0])
            if got is None or want is None or got == want or "X" in (got[1], want[1]):
                continue
            ln, b = miles[0], base[0]
            yield Hit(f"Line {ln.line.line} ({ln.code}) bills the mileage of the trip whose "
                      f"base rate is line {b.line.line} ({b.code} {want}), with another "
                      f"origin/destination modifier, {got}: the lines of one trip carry "
                      "its pair (Claims Processing Manual ch.15 §30.A): replace "
                      f"{got} with {want}, or correct line {b.line.line}'s if {got} is the "
                      "trip's.", ("service_lines", ln.index, "modifiers",
                                  ln.modifiers.index(got)),
                      (ln.code or "", b.code or "", got, want), (want,))


def _pair(ln: LineInfo) -> str | None:
    """The line's origin/destination modifier, when it carries exactly one."""
    pairs = [m for m in ln.modifiers if origin_destination(m)]
    return pairs[0] if len(pairs) == 1 else None


RULES = (trip_missing, arrangement_missing, trip_mismatch)
