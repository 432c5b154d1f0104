"""What rules see: a claim with its codes already resolved for the date of service.

:class:`ClaimContext` validates every diagnosis and procedure once; rules then ask for
"the valid diagnoses", "the diagnoses this line points to" and so on, and never re-parse a
string. Facts derived from a code's entry (its Excludes1 references, whether it is a
manifestation code, its side) are remembered per (code, date) across claims.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from .. import icd10cm
from ..errors import ValidationError
from ..icd10cm.entry import Entry

if TYPE_CHECKING:
    from ..claims import Claim, ServiceLine
    from .engine import Checker, Profile

__all__ = ["ClaimContext", "DxFacts", "DxInfo", "LineInfo", "clear_caches"]


class DxFacts:
    """What the rules need to know about one valid diagnosis: its titles and side (from
    its release), its MCE flags (from the MCE row of the date) and, read on first use, the
    code references of its Excludes1 and "Code first" notes.

    Facts are shared by every date with the same release and MCE row, so a stream of claims
    over a quarter builds them once per code.
    """

    __slots__ = ("_cf_memo", "_code_first", "_entry", "_excludes1", "_last_sex", "_memo",
                 "age_band", "age_range",
                 "code", "detail", "dotted", "external_cause", "manifestation",
                 "requires_secondary", "sex", "side", "title", "unacceptable_principal")

    def __init__(self, entry: Entry) -> None:
        mce = entry.mce
        title = entry.title or ""
        self._entry = entry
        self.code = entry.code
        self.dotted = entry.dotted
        self.title = title
        self.manifestation = ("in diseases classified elsewhere" in title.lower()
                              or bool(mce and mce.manifestation))
        self.external_cause = entry.code[:1] in "VWXY"
        self.unacceptable_principal = bool(mce and mce.unacceptable_principal)
        #: MCE "reqsdx": acceptable as principal only with a secondary diagnosis (Z51.89)
        self.requires_secondary = bool(mce and "reqsdx" in mce.other)
        self.sex = mce.sex if mce else None
        self.age_band = mce.age_band if mce else None
        self.age_range = mce.age_range if mce else None
        self.side, self.detail = _side(title)
        self._excludes1: tuple[tuple[Any, str, str], ...] | None = None
        self._code_first: tuple[tuple[Any, str, str], ...] | None = None
        self._memo: dict[str, tuple[str, str] | None] = {}  # Excludes1 answers by code
        self._cf_memo: dict[str, tuple[str, str] | None] = {}  # Code-first answers
        self._last_sex: str | None = "?"

    def __repr__(self) -> str:
        return f"DxFacts({self.dotted!r})"

    @property
    def excludes1(self) -> tuple[tuple[Any, str, str], ...]:
        """``(CodeRef, note text, origin)`` of every Excludes1 reference that applies."""
        if self._excludes1 is None:
            self._excludes1 = tuple((r, n.text, getattr(n, "origin", ""))
                                    for n in self._entry.excludes1 for r in n.refs)
        return self._excludes1

    @property
    def code_first(self) -> tuple[tuple[Any, str, str], ...]:
        """``(CodeRef, note text, origin)`` of every "Code first" reference."""
        if self._code_first is None:
            self._code_first = tuple((r, n.text, getattr(n, "origin", ""))
                                     for n in self._entry.code_first for r in n.refs)
        return self._code_first

    def excludes1_note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of an Excludes1 note of this code naming ``code``."""
        try:
            return self._memo[code]
        except KeyError:
            found = self._note(self.excludes1, code)
            if len(self._memo) < 4096:
                self._memo[code] = found
            return found

    def code_first_note(self, code: str) -> tuple[str, str] | None:
        """``(note text, origin)`` of a "Code first" note of this code naming ``code``."""
        try:
            return self._cf_memo[code]
        except KeyError:
            found = self._note(self.code_first, code)
            if len(self._cf_memo) < 4096:
                self._cf_memo[code] = found
            return found

    @staticmethod
    def _note(refs: tuple[tuple[Any, str, str], ...], code: str) -> tuple[str, str] | None:
        for ref, text, origin in refs:
            if ref.matches(code):
                return text, origin
        return None

    @property
    def last_listed_sex(self) -> str | None:
        """The sex limit of the code in the last published MCE sex lists (2024-09-30)."""
        if self._last_sex == "?":
            from .demographics import last_listed_sex

            self._last_sex = last_listed_sex(self.code)
        return self._last_sex


_SIDE_WORDS = (("bilateral", "bilateral"), ("right", "right"), ("left", "left"))
_DETAILS = ("upper eyelid", "lower eyelid", "thumb", "index finger", "middle finger",
            "ring finger", "little finger", "great toe", "lesser toe")


def _side(title: str) -> tuple[str | None, str | None]:
    words = title.lower().replace(",", " ").split()
    sides = {s for w, s in _SIDE_WORDS if w in words}
    if "unspecified" in words and not sides - {"bilateral"}:
        return None, None
    side = "bilateral" if "bilateral" in sides or {"right", "left"} <= sides else \
        next(iter(sides), None)
    low = title.lower()
    detail = next((d for d in _DETAILS if d in low), None)
    return side, detail


_FACTS: dict[tuple[str, str, Any], DxFacts] = {}


def dx_facts(entry: Entry) -> DxFacts:
    """Facts of a valid entry, shared by all entries of the same code, release and MCE row."""
    mce = entry.mce
    key = (entry.code, entry.release, mce.start if mce is not None else None)
    facts = _FACTS.get(key)
    if facts is None:
        if len(_FACTS) >= 1 << 16:
            _FACTS.clear()
        facts = _FACTS[key] = DxFacts(entry)
    return facts


class DxInfo:
    """One diagnosis position: what was sent and what it resolved to."""

    __slots__ = ("code", "entry", "error", "facts", "index", "raw", "valid")

    def __init__(self, index: int, raw: str, entry: Entry | None,
                 error: ValidationError | None, facts: DxFacts | None = None) -> None:
        self.index = index  # 0-based position in claim.diagnoses
        self.raw = raw
        self.entry = entry
        self.error = error
        self.valid = entry is not None
        self.code: str | None = entry.code if entry is not None else None
        #: The facts of a valid diagnosis (rules read them only for valid ones).
        if facts is None and entry is not None:
            facts = dx_facts(entry)
        self.facts: DxFacts = facts  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DxInfo({self.index}, {self.raw!r}, valid={self.valid})"


@attrs.define
class LineInfo:
    """One service line and its resolved procedure code."""

    index: int
    line: ServiceLine
    day: dt.date
    code: str | None  # compact code when well formed
    entry: Any  # the procedure entry when valid on the date
    error: ValidationError | None
    modifiers: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.entry is not None


# (raw diagnosis, date) -> (entry, error, facts), for the default data
_DIAGNOSES: dict[tuple[str, dt.date],
                 tuple[Entry | None, ValidationError | None, DxFacts | None]] = {}
_PROCEDURES: dict[tuple[str, dt.date], tuple[str | None, Any, ValidationError | None]] = {}


def resolve_procedure(raw: str, day: dt.date) -> tuple[str | None, Any,
                                                        ValidationError | None]:
    """(compact code or None, entry or None, error or None), remembered per (code, day)."""
    key = (raw, day)
    hit = _PROCEDURES.get(key)
    if hit is None:
        from .. import procedure

        try:
            entry = procedure.validate(raw, on=day)
            hit = (entry.code, entry, None)
        except ValidationError as e:
            try:
                code: str | None = procedure.parse(raw).code
            except ValidationError:
                code = None
            hit = (code, None, e)
        if len(_PROCEDURES) >= 65536:
            _PROCEDURES.clear()
        _PROCEDURES[key] = hit
    return hit


def why_missing(profile: Profile, need: str) -> str:
    """Why a rule needing ``need`` cannot run under ``profile`` ("" when it simply does
    not apply, e.g. NCCI edits under a profile without them)."""
    if need == "ptp":
        if not profile.option("ncci", False):
            return ""
        return ("the NCCI practitioner PTP table is not bundled (CMS does not publish it "
                "on a registry): load the quarterly file with codekit.ncci.load_ptp() "
                "or --ptp FILE")
    if need == "mue":
        if not profile.option("ncci", False):
            return ""
        return ("no MUE table loaded: load the CMS quarterly MUE file with "
                "codekit.ncci.load_mue() or --mue FILE")
    if need == "addon":
        return "" if not profile.option("ncci", False) else "no add-on code table"
    if need == "policies":
        return ""
    return f"needs {need}"


def _forget() -> None:
    _DIAGNOSES.clear()
    _FACTS.clear()
    _PROCEDURES.clear()


def clear_caches() -> None:
    """Forget remembered answers: diagnosis facts, procedure look-ups, and the ICD-10-CM
    caches (:func:`codekit.icd10cm.clear_caches`, which calls back here)."""
    icd10cm.clear_caches()


icd10cm._codes.CLEAR_HOOKS.append(_forget)


class ClaimContext:
    """A claim resolved for its dates, with the checker's profile and tables."""

    def __init__(self, claim: Claim, profile: Profile, checker: Checker) -> None:
        self.claim = claim
        self.profile = profile
        self.checker = checker
        self.day = claim.date_of_service
        self.dx: list[DxInfo] = [self._resolve_dx(i, raw) for i, raw in
                                 enumerate(claim.diagnoses)]
        self.lines: list[LineInfo] = [self._resolve_line(i, line)
                                      for i, line in enumerate(claim.service_lines)]
        self.valid_lines: list[LineInfo] = [ln for ln in self.lines if ln.entry is not None]
        self.lines_by_day: dict[object, list[LineInfo]] | None = None  # see rules.lines
        self._age: tuple[int | None] | None = None
        self.valid_dx: list[DxInfo] = [d for d in self.dx if d.valid]
        #: rule ID -> the diagnoses whose validity error carries it
        self.dx_errors: dict[str, list[DxInfo]] = {}
        for d in self.dx:
            if d.error is not None:
                self.dx_errors.setdefault(d.error.code, []).append(d)
        self.features = self._features()

    def _features(self) -> frozenset[str]:
        """What the claim has, so rules that need something it lacks are not run: the
        validity error codes of its diagnoses and procedures (``DX_CODE_UNKNOWN``...),
        ``dx-invalid`` (a diagnosis failed validity or is blank), ``dx-several`` (two or
        more valid diagnoses), ``dx-repeat`` (a diagnosis written twice), ``lines``,
        ``lines-several``, ``proc-invalid``, ``modifiers``, ``pointer-odd`` (a line with
        no, repeated, too many or out-of-range pointers), ``patient-odd`` (sex not M/F/U,
        or an age outside 0-124 on the date)."""
        f = list(self.dx_errors)  # the validity error codes present (one edit each)
        dx = self.dx
        if any(not d.raw.strip() for d in dx[1:]):
            f.append("DX_FORMAT_INVALID")  # a blank position after the first
        if self.dx_errors or any(not d.raw.strip() for d in dx):
            f.append("dx-invalid")
        if len(self.valid_dx) > 1:
            f.append("dx-several")
        if len(dx) > 1 and len({d.code or d.raw.replace(".", "").strip().upper()
                                for d in dx}) < len(dx):
            f.append("dx-repeat")
        lines = self.claim.service_lines
        if lines:
            f.append("lines")
            if len(lines) > 1:
                f.append("lines-several")
            if any(ln.modifiers for ln in lines):
                f.append("modifiers")
            for ln in self.lines:
                if ln.error is not None:
                    f.append("proc-invalid")
                    f.append(ln.error.code)
            top = min(len(dx), 12)
            for ln in lines:
                p = ln.diagnosis_pointers
                if not p or len(p) > 4 or len(set(p)) < len(p) or min(p) < 1 or max(p) > top:
                    f.append("pointer-odd")
                    break
        patient = self.claim.patient
        if patient.sex not in ("M", "F", "U") or (
                patient.birth_date is not None and patient.birth_date > self.day):
            f.append("patient-odd")
        else:
            age = patient.age_on(self.day)
            if age is not None and not 0 <= age <= 124:
                f.append("patient-odd")
        return frozenset(f)

    # -- diagnoses -------------------------------------------------------------------------

    def _resolve_dx(self, i: int, raw: str) -> DxInfo:
        key = (raw, self.day)
        hit = _DIAGNOSES.get(key)
        if hit is None:
            if not raw.strip():
                hit = (None, None, None)
            else:
                try:
                    entry = icd10cm.validate(raw, on=self.day)
                    hit = (entry, None, dx_facts(entry))
                except ValidationError as e:
                    hit = (None, e, None)
            if len(_DIAGNOSES) >= 1 << 17:
                _DIAGNOSES.clear()
            _DIAGNOSES[key] = hit
        return DxInfo(i, raw, hit[0], hit[1], hit[2])

    def pointed(self, line: LineInfo) -> list[DxInfo]:
        """The diagnoses a line points to (valid pointers only), in pointer order."""
        out = []
        for p in line.line.diagnosis_pointers:
            if 1 <= p <= len(self.dx):
                out.append(self.dx[p - 1])
        return out

    # -- patient ---------------------------------------------------------------------------

    @property
    def age(self) -> int | None:
        """Age in whole years at the date of service; None when unknown or invalid."""
        if self._age is None:
            a = self.claim.patient.age_on(self.day)
            self._age = (a if a is not None and 0 <= a <= 124 else None,)
        return self._age[0]

    @property
    def sex(self) -> str:
        return self.claim.patient.sex

    # -- lines -----------------------------------------------------------------------------

    def _resolve_line(self, i: int, line: ServiceLine) -> LineInfo:
        day = self.claim.line_date(line)
        mods = tuple(m.strip().upper() for m in line.modifiers) if line.modifiers else ()
        code, entry, error = resolve_procedure(line.procedure_code, day)
        return LineInfo(i, line, day, code, entry, error, mods)

    # -- tables ----------------------------------------------------------------------------

    def has(self, need: str) -> bool:
        if need == "policies":
            return bool(self.checker.policy_sets())
        return self.table(need) is not None

    def why_missing(self, need: str) -> str:
        return why_missing(self.profile, need)

    def table(self, name: str) -> Any:
        return self.checker.tables_for(self.profile).get(name)
