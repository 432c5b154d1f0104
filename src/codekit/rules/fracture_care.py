"""Group I: a fracture coded for a subsequent encounter of routine healing (7th character
D, E or F) on a claim whose ICD-10-PCS procedures reduce that fracture, or on a
professional claim whose CPT fracture treatment line points to it
(``DX_ENCOUNTER_CHARACTER_CONFLICT``).

ICD-10-CM Official Guidelines I.C.19.a: the 7th character A (initial encounter) is used
"for each encounter where the patient is receiving active treatment for the condition",
surgical treatment the first example; D "for encounters after the patient has completed
active treatment of the condition and is receiving routine care for the condition during
the healing or recovery phase". I.C.19.c.1 restates it for fractures: a fracture treated
surgically is coded with the initial-encounter character of its kind (A closed, B open
type I or II or open unspecified, C open type IIIA-IIIC). The reduction of the bone
(root operation Reposition, ``0PS``/``0QS``) on the fracture's side is that treatment.
Delayed healing (G), nonunion (K) and malunion (P) are left alone: surgery is how they
are treated, coded with those characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .. import _cache, icd10cm, procedure
from ..findings import Hit
from .context import ClaimContext, is_bone_reposition
from .engine import rule
from .laterality import dx_regions, sided_part

FRACTURE_TREATMENT = procedure.FRACTURE_TREATMENT

#: the 7th characters of routine healing -> the initial-encounter characters of the same
#: kind of fracture (D closed -> A; E open I/II -> B; F open IIIA-C -> C). Where a
#: category has no E or F (S42: A closed, B open, D subsequent for either), D -> A or B:
#: the initial codes of the category valid on the date, as :func:`_initial` finds them.
_INITIAL = {"D": "AB", "E": "B", "F": "C"}

_Part = tuple[str, str, frozenset[str]]  # (body part label, side, regions)

#: (code, date) -> the initial-encounter codes of a routine-healing fracture code
_FIXES: dict[tuple[str, dt.date], tuple[str, ...]] = _cache.owned(
    "rules.fracture_initial", {}, max_entries=4096)


def _routine_healing(title: str) -> bool:
    """Whether an ICD-10-CM title is a fracture's subsequent encounter of routine healing
    ("..., subsequent encounter for closed fracture with routine healing")."""
    return "subsequent encounter for" in title and title.endswith("with routine healing") \
        and "fracture" in title


def _initial(code: str, title: str, day: dt.date) -> tuple[str, ...]:
    """The initial-encounter codes of the fracture ``code`` (dotted, 7th character D, E or
    F; ``title`` its title) valid on ``day``: A for a closed one when the category tells
    closed from open (its D title says "closed fracture"), else A and B. Remembered."""
    key = (code, day)
    found = _FIXES.get(key)
    if found is None:
        seventh = code[-1]
        chars = _INITIAL[seventh]
        if seventh == "D" and "closed fracture" in title:
            chars = "A"
        found = _FIXES[key] = tuple(
            code[:-1] + c for c in chars if icd10cm.is_valid(code[:-1] + c, on=day))
    return found


@rule("DX_ENCOUNTER_CHARACTER_CONFLICT", "I", "warning",
      "ICD-10-CM Guidelines I.C.19.a (7th characters: active treatment is the initial "
      "encounter), I.C.19.c.1 (fractures)", when=["fracture-treated"])
def encounter_character_conflict(ctx: ClaimContext) -> Iterable[Hit]:
    """A fracture coded as a subsequent encounter of routine healing (S72.001D) on a claim
    with a reduction (Reposition) of a bone of the same region and side (0QS604Z,
    Reposition of the Upper Femur, Right): the stay treats the fracture actively, which
    takes the initial-encounter 7th character. Once per diagnosis, at the diagnosis, with
    the first such procedure; the fix is the initial-encounter code(s). Not when a
    fracture coded for an initial encounter, of the reduction's region and of its side or
    none, is on the claim (S72.001A beside S72.301D): the reduction is that fracture's.

    On a professional claim, a line of a CPT fracture and/or dislocation treatment code
    (``procedure.FRACTURE_TREATMENT``: 25600-RT) that points to such a fracture (S52.501D):
    the line is the fracture's treatment, so the pointer ties the two (no region is
    compared). Not a line with modifier 55 (postoperative management only: the routine
    care of a fracture another physician treated, which takes D) nor 78 (a return to the
    operating room for a complication). Once per diagnosis, at the diagnosis."""
    reductions = None
    for n, r in enumerate(ctx.pcs_resolved):
        c = r.code
        if c is not None and r.entry is not None and is_bone_reposition(c):
            part = sided_part(r)
            if part is not None:
                if reductions is None:
                    reductions = []
                reductions.append((n, c, part))
    # a plain return for the claims without a reduction (nearly all): no generator made
    pcs = () if reductions is None else _conflicts(ctx, reductions)
    return pcs if ctx.claim.is_institutional else _line_conflicts(ctx, pcs)


def _initial_fractures(ctx: ClaimContext) -> list[tuple[str | None, frozenset[str]]]:
    """(side, regions) of every fracture of the claim coded for an initial encounter
    (``S72.001A``, ``M80.051A``: "initial encounter for (closed|open) fracture")."""
    return [(f.side, dx_regions(f.title)) for _, f in ctx.valid_hits
            if "initial encounter for" in f.title and "fracture" in f.title]


def _conflicts(ctx: ClaimContext, reductions: list[tuple[int, str, _Part]]) -> Iterator[Hit]:
    day = ctx.day
    initial: list[tuple[str | None, frozenset[str]]] | None = None
    for i, f in ctx.valid_hits:
        code = f.dotted
        if code[0] != "S" or len(code) != 8 or code[-1] not in "DEF" or \
                not _routine_healing(f.title):
            continue
        regions = dx_regions(f.title)
        for n, pcs, (label, side, proc_regions) in reductions:
            if regions.isdisjoint(proc_regions) or f.side not in (None, side):
                continue
            if initial is None:
                initial = _initial_fractures(ctx)
            if any(not r.isdisjoint(proc_regions) and s in (None, side)
                   for s, r in initial):
                continue  # the reduction treats that fracture, coded as active treatment
            fix = _initial(code, f.title, day)
            instead = " or ".join(fix) if fix else "the initial-encounter character"
            yield Hit(
                f"Diagnosis {i + 1} {code} is a subsequent encounter with routine healing "
                f"(7th character {code[-1]}), but procedure {n + 1} {pcs} reduces the "
                f"fracture (Reposition, {label}): an encounter of active treatment, surgery "
                f"included, takes the initial-encounter character: {instead} "
                "(Guidelines I.C.19.a).",
                ("diagnoses", i), (code, pcs), fix)
            break


#: Modifiers of a fracture treatment line that is no active treatment of the fracture:
#: 55 (postoperative management only), 78 (a return to the operating room for a
#: complication of the procedure).
_NOT_ACTIVE = frozenset({"55", "78"})


def _line_conflicts(ctx: ClaimContext, pcs: Iterable[Hit]) -> Iterator[Hit]:
    """Professional claims: the findings ``pcs`` of their ICD-10-PCS reductions (if any),
    then a fracture treatment line pointing to a routine-healing fracture code not found
    yet (see :func:`encounter_character_conflict`)."""
    done: set[int] = set()
    for hit in pcs:
        done.add(hit.location[1])  # type: ignore[arg-type]
        yield hit
    for ln in ctx.valid_lines:
        if ln.code not in FRACTURE_TREATMENT or not _NOT_ACTIVE.isdisjoint(ln.modifiers):
            continue
        for d in ctx.pointed(ln):
            f = d.facts
            if f is None or d.index in done:
                continue
            code = f.dotted
            if code[0] != "S" or len(code) != 8 or code[-1] not in "DEF" or \
                    not _routine_healing(f.title):
                continue
            done.add(d.index)
            fix = _initial(code, f.title, d.day)
            instead = " or ".join(fix) if fix else "the initial-encounter character"
            yield Hit(
                f"Diagnosis {d.index + 1} {code} is a subsequent encounter with routine "
                f"healing (7th character {code[-1]}), but line {ln.line.line} ({ln.code}) "
                "treats the fracture and points to it: an encounter of active treatment "
                f"takes the initial-encounter character: {instead} (Guidelines I.C.19.a, "
                "I.C.19.c.1).",
                ("diagnoses", d.index), (code, ln.code or ""), fix)


RULES = (encounter_character_conflict,)
