"""Loading policy files and folders into one :class:`PolicySet`, all or nothing."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from .. import _cache
from ..errors import InvalidArgument
from ..findings import Severity
from ._compile import compile_text
from ._errors import PolicyError, source_line
from ._runtime import Not, Policy, PolicySet

__all__ = ["EXTENSION", "default_policies", "files_of", "load", "loads"]

#: The extension of policy files in a folder.
EXTENSION = ".policy"


def loads(text: str, *, file: str = "<string>") -> PolicySet:
    """Compile policy text. Raises :class:`PolicyError` (and loads nothing) on any problem.

    >>> rules = loads('''
    ... rule PAD-SET
    ...   payer: medicare
    ...   source: "NCD 20.35"
    ...   for each line where procedure in 93668
    ...   require any pointed dx in I70.211-I70.218
    ... end''')
    >>> rules.ids, rules[0].finding
    (('PAD-SET',), 'MED_NECESSITY_DX_NOT_COVERED')
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise PolicyError(f"not UTF-8 text: {e}", kind="read_error", file=file) from None
    if not isinstance(text, str):
        raise PolicyError(f"policy text must be a string, not {type(text).__name__}",
                          kind="read_error", file=file)
    text = text.removeprefix("\ufeff")
    compiled = compile_text(text, file=file)
    _check_versions(compiled, {file: text})
    _check_contradictions(compiled, {file: text})
    return PolicySet(compiled)


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a policy file and what it was: its path, size and sha256 (of the bytes
    read once, then decoded and compiled)."""
    try:
        data = path.read_bytes()
        record = {"file": str(path), "bytes": len(data),
                  "sha256": hashlib.sha256(data).hexdigest()}
        return data.decode("utf-8").removeprefix("\ufeff"), record
    except UnicodeDecodeError as e:
        raise PolicyError(f"not UTF-8 text: {e}", kind="read_error", file=str(path)) from None
    except OSError as e:
        raise PolicyError(f"cannot read the file: {e.strerror or e}", kind="read_error",
                          file=str(path)) from None


def _path_arg(path: object, verb: str) -> Path:
    """``path`` as a :class:`~pathlib.Path`, or :class:`InvalidArgument` when it is not a
    non-empty ``str`` or ``os.PathLike`` of ``str``."""
    name: object = None
    if isinstance(path, str | os.PathLike):
        name = os.fspath(path)
    if not isinstance(name, str):
        hint = " (policy text goes to policies.loads)" if isinstance(
            path, bytes | bytearray) else ""
        raise InvalidArgument(f"policies.{verb}: expected the path of a policy file or folder "
                              f"(str or pathlib.Path), got {type(path).__name__}{hint}")
    if not name:
        raise InvalidArgument(f"policies.{verb}: the path is empty (give a policy file or "
                              "folder; '.' for the current folder)")
    return Path(name)


def files_of(path: str | os.PathLike[str]) -> list[Path]:
    """The policy files of ``path``: the file itself, or every ``*.policy`` below a folder
    (sorted, so rule order does not depend on the file system). A ``path`` that is not a
    non-empty ``str`` or path is an :class:`~codekit.errors.InvalidArgument`.

    >>> files_of(None)
    Traceback (most recent call last):
    ...
    codekit.errors.InvalidArgument: policies.load: expected the path of a policy file or \
folder (str or pathlib.Path), got NoneType
    """
    p = _path_arg(path, "load")
    if p.is_dir():
        return sorted(f for f in p.rglob(f"*{EXTENSION}") if f.is_file())
    if not p.exists():
        raise PolicyError("no such file or folder", kind="read_error", file=str(p))
    return [p]


def load(path: str | os.PathLike[str]) -> PolicySet:
    """Compile a policy file, or every ``*.policy`` file below a folder, into one set.

    Rule IDs must be unique across the files. Any problem in any file raises
    :class:`PolicyError` and nothing is loaded; a ``path`` that is not a ``str`` or
    ``os.PathLike`` (None, a number, bytes) or is empty is an
    :class:`~codekit.errors.InvalidArgument`. A folder without a single ``*.policy`` file
    (a mistyped path, files with another extension) is a :class:`PolicyError`, never a
    set of no rules that a checker would apply as if it were the payer's.
    """
    policies: list[Policy] = []
    first: dict[str, Policy] = {}
    texts: dict[str, str] = {}
    files = files_of(path)
    if not files:
        raise PolicyError(f"no {EXTENSION} file in this folder or below it", kind="read_error",
                          file=str(path), expected=f"a folder holding policy files "
                          f"(*{EXTENSION})")
    read: list[dict[str, Any]] = []
    for f in files:
        text, record = _read(f)
        texts[str(f)] = text
        read.append(record)
        for policy in compile_text(text, file=str(f)):
            if policy.id in first:
                where = first[policy.id]
                line = policy.line
                raise PolicyError(
                    f"duplicate rule ID {policy.id!r} (first defined in {where.file} line "
                    f"{where.line})", kind="duplicate_rule", file=str(f), line=line,
                    column=_id_column(text, line, policy.id), text=source_line(text, line),
                    expected="a rule ID used once across the loaded files")
            first[policy.id] = policy
            policies.append(policy)
    _check_versions(policies, texts)
    _check_contradictions(policies, texts)
    return PolicySet(policies, files=read)


def _check_versions(policies: list[Policy], texts: dict[str, str]) -> None:
    """``overlapping_versions`` when a version of a rule takes effect before the version it
    replaces ends. Versions are rules with the same finding, scope, trigger, payers, claim
    types and kinds of demands (``require age between ...``), one with an ``until`` and a
    later one with an ``effective`` date; both dates are inclusive, so on the days both
    apply a claim gets the finding twice. Rules without dates are separate demands that
    hold together, never versions; a gap between versions is allowed (a lapse in coverage)."""
    dated: dict[tuple[object, ...], list[Policy]] = {}
    for p in policies:
        if p.effective is not None or p.until is not None:
            key = (p.finding, p.scope, frozenset(p.payers), frozenset(p.claim_types),
                   tuple((c[0], c[3]) for c in p.checks))
            dated.setdefault(key, []).append(p)
    for group in dated.values():
        for old in group:
            if old.until is None:
                continue
            for new in group:
                start = new.effective
                if (new is old or start is None or old.trigger != new.trigger
                        or not (old.effective or dt.date.min) < start <= old.until):
                    continue
                text = texts.get(new.file, "")
                line, column = _field_position(text, new.line, "effective")
                last = min(old.until, new.until or dt.date.max)
                days = f"on {start}" if start == last else f"from {start} to {last}"
                where = f"line {old.line}" + ("" if old.file == new.file else f" of {old.file}")
                raise PolicyError(
                    f"rule {new.id!r} takes effect on {start}, and {old.id!r} ({where}), a "
                    f"version of it, runs until {old.until}: {days} a claim "
                    "gets both findings", kind="overlapping_versions", file=new.file,
                    line=line, column=column, text=source_line(text, line),
                    expected=f"until: {start - dt.timedelta(days=1)} in {old.id!r} (both "
                             "'until' and 'effective' are inclusive)")


def _negated(cond: object) -> object:
    """``not C`` (``not not C`` read as C)."""
    return cond.part if isinstance(cond, Not) else Not(cond)


def _check_contradictions(policies: list[Policy], texts: dict[str, str]) -> None:
    """``never_true`` when two demands can never both be met, so every claim the rule
    applies to gets a finding: ``require C`` and ``forbid C`` (or ``require not C``) in one
    rule, or in two rules that apply to the same claims (same scope, trigger, payers and
    claim types, dates that overlap): ``deny`` written the long way, or a contradiction
    between two policies. Two rules of which one is ``severity: info`` are no
    contradiction: an info finding fails no claim (``forbid modifier AT`` as a reminder
    beside ``require modifier AT``)."""
    groups: dict[tuple[object, ...], list[Policy]] = {}
    for p in policies:
        key = (p.scope, p.trigger, frozenset(p.payers), frozenset(p.claim_types))
        groups.setdefault(key, []).append(p)
    for group in groups.values():
        seen: list[tuple[Policy, int, object]] = []
        for p in group:
            for i, check in enumerate(p.checks):
                if check[0] == "deny":
                    continue
                # what a claim must meet for the demand to give no finding
                passes = _negated(check[1]) if check[0] == "forbid" else check[1]
                for q, j, other in seen:
                    if passes != _negated(other) and _negated(passes) != other:
                        continue
                    if q is not p and (not _overlap(p, q) or Severity.INFO in
                                       (p.severity, q.severity)):
                        continue
                    text, qtext = texts.get(p.file, ""), texts.get(q.file, "")
                    line, column = _statement_position(text, p.line, i)
                    qline = _statement_position(qtext, q.line, j)[0]
                    where = f"line {qline}" + ("" if q.file == p.file else f" of {q.file}")
                    if q is p:
                        reason = (f"rule {p.id!r}: {source_line(text, line).strip()!r} "
                                  f"contradicts {source_line(qtext, qline).strip()!r} "
                                  f"({where}): every claim the rule applies to gets its "
                                  "finding")
                        expected = "'deny' for a service never covered, else one of the two"
                    else:
                        days = _shared_days(p, q)
                        reason = (f"rule {p.id!r} contradicts rule {q.id!r} ({where}), which "
                                  f"applies to the same claims{days}: every claim they apply "
                                  "to gets one of their findings")
                        expected = ("one of the two rules, or a 'when' that tells their claims "
                                    "apart" + (", or dates that do not overlap ('until' and "
                                               "'effective' are inclusive)" if days else ""))
                    raise PolicyError(reason, kind="never_true", file=p.file, line=line,
                                      column=column, text=source_line(text, line),
                                      expected=expected)
                seen.append((p, i, passes))


def _overlap(p: Policy, q: Policy) -> bool:
    """Whether two rules' dates (``effective`` to ``until``, both included) share a day."""
    return ((p.effective or dt.date.min) <= (q.until or dt.date.max)
            and (q.effective or dt.date.min) <= (p.until or dt.date.max))


def _shared_days(p: Policy, q: Policy) -> str:
    """`` on the dates of service from A to B`` (or `` on A``, `` from A``, `` until B``)
    that two rules whose dates overlap both apply to; empty when both apply always."""
    dates = [d for d in (p.effective, q.effective) if d is not None]
    ends = [d for d in (p.until, q.until) if d is not None]
    start, last = (max(dates) if dates else None), (min(ends) if ends else None)
    if start is not None and start == last:
        return f" on the date of service {start}"
    if start is not None and last is not None:
        return f" on the dates of service from {start} to {last}"
    if start is not None:
        return f" on the dates of service from {start}"
    if last is not None:
        return f" on the dates of service until {last}"
    return ""


def _statement_position(text: str, line: int, index: int) -> tuple[int, int]:
    """(line, column) of the ``index``-th ``require``/``forbid``/``deny`` of the rule that
    starts on ``line``; the rule's line when not found before its ``end``."""
    lines = text.splitlines()
    pattern = re.compile(r"[ \t]*(require|forbid|deny)\b")
    found = 0
    for k in range(line, len(lines)):  # the lines after 'rule ID' (0-based index = line)
        m = pattern.match(lines[k])
        if m is not None:
            if found == index:
                return k + 1, m.start(1) + 1
            found += 1
        if lines[k].strip() == "end":
            break
    return line, 1


def _field_position(text: str, line: int, field: str) -> tuple[int, int]:
    """(line, column) of the value of ``field`` in the rule that starts on ``line``; the
    rule's line when the field is not found before its ``end``."""
    lines = text.splitlines()
    pattern = re.compile(rf"[ \t]*{field}[ \t]*:[ \t]*")
    for k in range(line, len(lines)):  # the lines after 'rule ID' (0-based index = line)
        m = pattern.match(lines[k])
        if m is not None:
            return k + 1, m.end() + 1
        if lines[k].strip() == "end":
            break
    return line, 1


def _id_column(text: str, line: int, rule_id: str) -> int:
    src = source_line(text, line)
    i = src.find(rule_id, src.find("rule") + 4 if "rule" in src else 0)
    return i + 1 if i >= 0 else 1


@functools.cache
def default_policies() -> PolicySet:
    """The Medicare policies shipped with codekit (``data/policies/medicare``), loaded once.

    They apply only to claims whose payer is ``medicare``. A :class:`~codekit.Checker`
    uses them unless given other policies (``policies=()`` for none).
    """
    from .._paths import bundled_data_dir

    return load(bundled_data_dir() / "policies" / "medicare")


_cache.owned("policies.default", default_policies, tables=True)
