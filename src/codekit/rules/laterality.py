"""Group F5: the side a modifier names against the side of the diagnoses the line points to."""

from __future__ import annotations

from collections.abc import Iterator

from .. import modifiers as _modifiers
from ..findings import Hit
from .context import ClaimContext, DxInfo
from .engine import rule

ANATOMIC = _modifiers.ANATOMIC
#: The region of the coronary modifiers (LC, LD, LM, RC, RI), as ``modifiers.ANATOMIC``
#: names it, and the word of the diagnosis titles that name one.
_CORONARY = "coronary artery"
#: The side modifier of a diagnosis's side (the fix of a RT/LT/50 mismatch).
_SIDE_MODIFIER = {"right": "RT", "left": "LT", "bilateral": "50"}


def _compatible(mod: str, dxs: list[DxInfo]) -> bool:
    anatomy = ANATOMIC[mod]
    sides = {d.facts.side for d in dxs}
    if mod == "50":
        return "bilateral" in sides or {"right", "left"} <= sides
    for d in dxs:
        if d.facts.side not in (anatomy.side, "bilateral"):
            continue
        detail = d.facts.detail
        if detail and anatomy.region in ("eyelid", "hand", "foot"):
            site = anatomy.site
            # finer sides: upper/lower eyelid, thumb/fingers, great/lesser toes
            if detail in ("upper eyelid", "lower eyelid") and detail.split()[0] not in site:
                continue
            if detail == "thumb" and "thumb" not in site:
                continue
            if detail in ("index finger", "middle finger", "ring finger", "little finger") \
                    and "thumb" in site:
                continue
            if detail == "great toe" and "great toe" not in site:
                continue
            if detail == "lesser toe" and "great toe" in site:
                continue
        return True
    return False


@rule("LATERALITY_MISMATCH", "F", "error",
      "ICD-10-CM Guidelines I.B.13; CPT/HCPCS anatomic modifiers", when=["mods-side"])
def laterality_mismatch(ctx: ClaimContext) -> Iterator[Hit]:
    """A side modifier none of whose pointed diagnoses (with a stated side) fits. A
    coronary modifier (LC, LD, LM, RC) is compared only with pointed diagnoses that name
    a coronary artery (I21.02, I21.11...): the side of any other title is not the side of
    a coronary artery."""
    for ln in ctx.valid_lines:
        pointed = [d for d in ctx.pointed(ln) if d.valid and d.facts.side]
        if not pointed:
            continue
        for j, m in enumerate(ln.modifiers):
            if m not in ANATOMIC or ANATOMIC[m].side is None:
                continue
            sided = pointed
            if ANATOMIC[m].region == _CORONARY:
                # LC/LD/LM/RC name a coronary artery: only a diagnosis naming one can
                # contradict it ("Left anterior fascicular block", I44.4, is a conduction
                # pathway, "left ... cerebral artery" a side of the brain)
                sided = [d for d in pointed if _CORONARY in d.facts.title.lower()]
                if not sided:
                    continue
            if not _compatible(m, sided):
                # a diagnosis the line points to twice (pointers 1 and 3 to one code) is
                # named once
                sided = list({d.facts.dotted: d for d in sided}.values())
                dx = ", ".join(f"{d.facts.dotted} ({d.facts.side}"
                               + (f" {d.facts.detail}" if d.facts.detail else "") + ")"
                               for d in sided)
                sides = {d.facts.side or "" for d in sided}
                side = sides.pop() if len(sides) == 1 else ""
                fix = (_SIDE_MODIFIER[side],) if side in _SIDE_MODIFIER and \
                    m in _SIDE_MODIFIER.values() else ()
                codes = (ln.code or "", m, *(d.facts.dotted for d in sided))
                at = ("service_lines", ln.index, "modifiers", j)
                if m == "50":
                    yield Hit(_bilateral_message(ln.line.line, sided, side, fix), at, codes,
                              fix)
                    continue
                yield Hit(f"Line {ln.line.line}: modifier {m} ({ANATOMIC[m].site}) does not "
                          f"match the diagnoses it points to: {dx}. Correct the modifier or "
                          "the diagnosis.", at, codes, fix)


def _bilateral_message(number: int, sided: list[DxInfo], side: str,
                       fix: tuple[str, ...]) -> str:
    """Modifier 50 on a line whose diagnoses name one side only, in one sentence that
    advises what ``fix`` holds (the side's modifier), when it holds one."""
    dx = ", ".join(d.facts.dotted for d in sided)
    what = f"the diagnosis it points to ({dx}) names" if len(sided) == 1 else \
        f"the diagnoses it points to ({dx}) name"
    if not fix:
        return (f"Line {number}: modifier 50 means both sides, but {what} no bilateral "
                "condition, nor a right and a left one: correct the modifier or the "
                "diagnoses.")
    other = "left" if side == "right" else "right"
    return (f"Line {number}: modifier 50 means both sides, but {what} the {side} side only: "
            f"bill {fix[0]} instead of 50, or point the line to a diagnosis of the {other} "
            "side too.")


RULES = (laterality_mismatch,)
