"""``codekit lookup``, ``validate``, ``search``, ``suggest`` and ``releases``: questions
about codes, of every code system (ICD-10-CM, ICD-10-PCS, CPT, HCPCS, modifiers and
service lines), each routed by how it is written (:func:`_system_for`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any

from .._json import jsonable
from ..codesystem import WEAK
from ..errors import ValidationError

__all__ = ["add_parsers"]


def _ranges(ranges: Sequence[tuple[dt.date, dt.date | None]]) -> str:
    return ", ".join(f"{a}..{b or ''}" for a, b in ranges) or "never"


def _print_entry(e: Any) -> None:
    """An ICD-10-CM entry; its parent and children dotted, as every code it prints."""
    from ..icd10cm import format as _dotted
    from ..icd10cm import releases

    print(f"{e.dotted}  {e.title or '(no title)'}")
    if e.short_title and e.short_title != e.title:
        print(f"  short title : {e.short_title}")
    print(f"  billable    : {'yes' if e.billable else 'no'} on {e.on} ({e.kind})")
    print(f"  valid       : {_ranges(e.valid_ranges)}")
    if e.chapter:
        print(f"  chapter     : {e.chapter.number} {e.chapter.title}")
    if e.block:
        print(f"  block       : {e.block.id} {e.block.title}")
    if e.parent:
        print(f"  parent      : {_dotted(e.parent)}")
    if e.children:
        more = f" (+{len(e.children) - 12} more)" if len(e.children) > 12 else ""
        print(f"  children    : {', '.join(map(_dotted, e.children[:12]))}{more}")
    if e.seventh_characters:
        print("  7th chars   : " + ", ".join(f"{k}={v}" for k, v in e.seventh_characters.items()))
    if e.mce:
        flags = [f for f in ("manifestation", "external_cause_principal",
                             "unacceptable_principal", "questionable_admission", "unspecified")
                 if getattr(e.mce, f)]
        parts = ([f"age {e.mce.age_band} {e.mce.age_range}"] if e.mce.age_band else []) + \
            ([f"sex {e.mce.sex}"] if e.mce.sex else []) + flags + list(e.mce.other)
        if parts:
            print(f"  MCE         : {', '.join(parts)}")
    for attr in ("excludes1", "excludes2", "code_first", "use_additional_code", "code_also"):
        notes = getattr(e, attr)
        for n in notes:
            print(f"  {attr:<12}: {n.text}")
    readable = next((r.readable for r in releases() if r.id == e.release), e.release)
    print("  release     : " + (f"{readable}, id {e.release}"
                                 if readable not in ("", e.release) else e.release))
    if e.notes_note:  # notes, 7th characters and blocks of another year's tabular
        print(f"  tabular     : {e.notes_note}")
    if e.release_note:
        print(f"  note        : {e.release_note}")


def _day(on: dt.date | None) -> dt.date:
    """The date a command answers for: ``--on``, else today, read once (every code of the
    command is judged on the same date, and the JSON items say which: ``on``)."""
    from .._dates import coerce_date

    return coerce_date(on)


def _procedure(code: str, on: dt.date) -> dict[str, Any] | None:
    """The procedure/modifier/line description of ``code``, or None when it is not one
    (a letter and four digits is also ICD-10-CM-shaped: E1165 falls through to ICD)."""
    from .. import procedure
    from ..errors import UnknownCode

    kind = procedure.system_of(code)
    if kind is None:
        return None
    try:
        return procedure.describe(code, on=on)
    except UnknownCode:
        if kind == "hcpcs":
            return None
        raise


def _print_procedure(d: dict[str, Any]) -> None:
    if d["kind"] == "line":
        print(f"{d['input']}  (service line on {d['on']})")
        for part in [d["code"], *d["modifiers"]]:
            _print_procedure(part)
        return
    title = d.get("title") or d.get("label") or ""
    print(f"{d['code']}  {title}".rstrip())
    what = d.get("category_label") or ("modifier" if d["kind"] == "modifier" else d["kind"])
    print(f"  kind        : {what}" + (f", {d['section']}" if d.get("section") else "")
          + (f" / {d['subsection']}" if d.get("subsection") else ""))
    print(f"  valid       : {'yes' if d['valid'] else 'no'} on {d['on']}; "
          f"{_ranges([tuple(r) for r in d.get('valid_ranges', [])])}")
    for key in ("status_indicator", "min_age", "max_age", "bilateral", "addon_type", "side",
                "region", "ncci_associated", "problem", "note"):
        if d.get(key) not in (None, False, [], ""):
            print(f"  {key.replace('_', ' '):<12}: {d[key]}")
    if d.get("kind") == "procedure" and d.get("system") == "cpt" and not d.get("title"):
        print("  descriptor  : (CPT text is AMA-licensed: load yours with "
              "codekit.cpt.load_descriptors)")


def _is_pcs(code: str) -> bool:
    """Whether ``code`` is written as an ICD-10-PCS code: PCS syntax, and known to PCS
    (or starting with a digit, which no ICD-10-CM code does). A 7-character ICD-10-CM code
    such as S72001A is also PCS-shaped: it goes to ICD-10-CM unless PCS knows it. A code
    PCS cannot read goes to PCS when it starts with a digit and is six to eight characters
    long without dots and hyphens (0OTJ4ZZ, 0DTJ.4ZZ, 0DTJ4Z: PCS's error names the
    mistake; no ICD-10-CM code starts with a digit, and CPT codes and ICD-9 codes are
    shorter), or when reading the letters O and I as 0 and 1 makes a PCS code (ODTJ4ZZ).
    Text no PCS table knows that reads as a service line (:func:`_is_line`) is one. A
    digit then three to five letters and digits, no CPT code, is a PCS table or a code cut
    short (0DT, 0DTJ4): PCS says so."""
    from .. import icd10pcs, procedure

    store = icd10pcs.default_store()
    try:
        pc = icd10pcs.compact(code)
    except ValidationError:
        if _is_line(code):
            return False
        text = "".join(code.split()).upper() if isinstance(code, str) else ""
        bare = text.replace(".", "").replace("-", "")
        if text[:1].isdigit() and 6 <= len(bare) <= 8:
            return True
        # 0DT, 0DTJ4: a PCS table, a code cut short (a digit, then letters and digits: no
        # ICD-10-CM code starts with a digit; CPT codes such as 0001U are procedures)
        if text[:1].isdigit() and 3 <= len(text) <= 5 and text.isascii() and \
                text.isalnum() and not text.isdigit() and procedure.system_of(code) is None:
            return True
        # ODTJ4ZZ: the letter O for zero; PCS says so (and proposes 0DTJ4ZZ)
        fixed = text.replace("O", "0").replace("I", "1")
        return len(text) == 7 and fixed != text and bool(store.validity.masks.get(fixed))
    if store.validity.masks.get(pc) or store.titles.row(pc) is not None:
        return True
    return not _is_line(code) and pc[0].isdigit()


def _is_line(code: str) -> bool:
    """Whether ``code`` is a procedure code with modifiers: written apart (99213-25,
    99213 RT, G0438/59), or run together when its first five characters are a code
    codekit's procedure data knows (99213RT; 0DTJ4ZZ is PCS-shaped text, not a line)."""
    from .. import procedure

    if procedure.system_of(code) != "line":
        return False
    text = code.strip()
    if any(sep in text for sep in "-,;:/ "):
        return True
    try:
        procedure.lookup(text[:5])
    except ValidationError:
        return False
    return True


def _print_pcs(e: Any) -> None:
    print(f"{e.code}  {e.title or '(no title)'}")
    if e.short_title and e.short_title != e.title:
        print(f"  short title : {e.short_title}")
    print(f"  valid       : {'yes' if e.valid else 'no'} on {e.on}; "
          f"{_ranges(e.valid_ranges)}")
    for a in e.axes:
        print(f"  {a.position} {a.name or '?':<18}: {a.value} {a.label or '(no label)'}")
        if a.definition:
            print(f"    {'':<18}  {a.definition}")
    if e.mce.flags:
        print(f"  MCE         : {', '.join(e.mce.flags)}")
    print(f"  release     : {e.release}")
    if e.note:
        print(f"  note        : {e.note}")


def _cmd_lookup(args: argparse.Namespace) -> int:
    from .. import icd10cm, icd10pcs

    status = 0
    out: list[dict[str, Any]] = []
    day = _day(args.on)
    for code in args.codes:
        try:
            system = _system_for(code)
            if system == "icd10pcs":
                pcs = icd10pcs.lookup(code, on=day)
                out.append({"input": code, "system": "icd10pcs", **pcs.as_dict()})
                status = status if pcs.valid else 1
                if not args.json:
                    _print_pcs(pcs)
                continue
            proc = _procedure(code, day) if system != "icd10cm" else None
            if proc is not None:
                parts = [proc["code"], *proc["modifiers"]] if proc["kind"] == "line" else []
                valid = bool(proc.get("valid", True)) and all(
                    p.get("valid", True) for p in parts)
                # every item says input, system and valid (a line's and a modifier's
                # had no system, a line's no valid)
                out.append({"input": code, "system": proc.get("system") or _SYSTEM_OF.get(
                    proc.get("kind", ""), "procedure"), "valid": valid, **proc})
                if not valid:
                    status = 1
                if not args.json:
                    _print_procedure(proc)
                continue
            entry = icd10cm.lookup(code, on=day)
            # a header or a code not in effect on the date: exit 1, as for every system
            status = status if entry.valid else 1
        except ValidationError as e:
            status = 1
            out.append({"input": code, "system": e.system, "valid": False, "error": e.code,
                        "message": str(e), "fix": list(e.fix)})
            if not args.json:
                print(f"{code}: {e.code}: {e}")
            continue
        if args.json:
            out.append({"input": code, "system": "icd10cm", "valid": entry.valid,
                        **entry.as_dict()})
        else:
            _print_entry(entry)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    return status


#: procedure.system_of's kinds -> the code system names of codekit.codesystem.SYSTEMS
_SYSTEM_OF = {"cpt": "cpt", "hcpcs": "hcpcs", "modifier": "modifiers", "line": "procedure"}


def _system_for(code: str) -> str:
    """The code system (a name of :data:`codekit.codesystem.SYSTEMS`) that judges
    ``code``, by how it is written: ICD-10-PCS for PCS-shaped text (:func:`_is_pcs`),
    CPT, HCPCS, a modifier or a service line (a code with modifiers) by
    :func:`codekit.procedure.system_of`, else ICD-10-CM. Seven characters run together
    that read as a code and a modifier but whose first five are no code codekit's
    procedure data knows, and that ICD-10-CM can read (S72001A, T7840XA), are an
    ICD-10-CM code, not HCPCS S7200 with modifier 1A."""
    from .. import icd10cm, procedure

    if _is_pcs(code):
        return "icd10pcs"
    kind = procedure.system_of(code)
    if kind == "line" and not _is_line(code):
        try:
            icd10cm.compact(code)
        except ValidationError:
            pass
        else:
            return "icd10cm"
    return _SYSTEM_OF.get(kind or "", "icd10cm")


def _valid(code: str, on: dt.date) -> dict[str, Any]:
    """``codekit validate``'s answer for one valid ``code``, or the :class:`ValidationError`
    of the system that judged it, with its ``system`` set: ICD-10-PCS for PCS-shaped text
    (see :func:`_is_pcs`), CPT/HCPCS for a procedure code, a modifier or a code with
    modifiers (as ``codekit lookup``: a letter and four digits no HCPCS data knows, such as
    E1165, goes on to ICD-10-CM), else ICD-10-CM. ``note`` says when the date is outside
    what codekit's data describes (the answer is then as of the nearest release)."""
    from .. import icd10cm, icd10pcs, modifiers, procedure
    from ..errors import UnknownCode

    # the names of codekit.codesystem.SYSTEMS (a code with modifiers: "procedure")
    system = _system_for(code)
    try:
        if system == "icd10pcs":
            p = icd10pcs.validate(code, on=on)
            return {"input": code, "system": system, "valid": True, "code": p.code,
                    "title": p.title, "note": p.note}
        if system in ("cpt", "hcpcs"):
            try:
                e = procedure.validate(code, on=on)
                return {"input": code, "system": system, "valid": True, "code": e.code,
                        "title": e.title or e.category.label, "note": e.note}
            except UnknownCode:
                if system == "cpt":
                    raise
                system = "icd10cm"  # E1165: no HCPCS code, an ICD-10-CM one
        if system == "modifiers":
            m = modifiers.validate(code, on=on)
            return {"input": code, "system": system, "valid": True, "code": m.code,
                    "title": m.title, "note": m.note}
        if system == "procedure":
            line = procedure.validate_line(code, on=on)
            return {"input": code, "system": system, "valid": True, "code": line.code.code,
                    "modifiers": [m.code for m in line.modifiers],
                    "title": line.code.title or line.code.category.label,
                    "note": line.code.note}
        d = icd10cm.validate(code, on=on)
        return {"input": code, "system": "icd10cm", "valid": True, "code": d.dotted,
                "title": d.title, "note": d.release_note if not d.covered else None}
    except ValidationError as err:
        err.system = err.system or system
        raise


def _cmd_validate(args: argparse.Namespace) -> int:
    status = 0
    results = []
    day = _day(args.on)
    for code in args.codes:
        try:
            item = _valid(code, day)
            if not args.json:
                shown = "-".join([item["code"], *item.get("modifiers", ())])
                print(f"{code}: valid  {shown} {item['title'] or ''}".rstrip())
                if item["note"]:
                    print(f"  note: {item['note']}")
        except ValidationError as err:
            status = 1
            # ``fix``: the machine-readable fix of every code system (codes to use
            # instead, best first; empty when there is none), as on a finding
            item = {"input": code, "system": err.system, "valid": False, "error": err.code,
                    "message": str(err), "fix": list(err.fix)}
            for extra in ("suggestions", "children", "allowed", "suggestion", "valid_ranges",
                          "position", "axis"):
                if hasattr(err, extra):
                    item[extra] = jsonable(getattr(err, extra))
            if not args.json:
                print(f"{code}: {err.code}: {err}")
                sugg = getattr(err, "suggestions", None) or err.fix
                if sugg:
                    print(f"  did you mean: {', '.join(sugg)}")
        item["on"] = day.isoformat()  # the date judged (today when --on is not given)
        results.append(item)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return status


def _cmd_search(args: argparse.Namespace) -> int:
    from .. import codesystem

    hits = codesystem.get(args.system).search(args.text, on=_day(args.on), limit=args.limit)
    if args.json:
        # every hit says the date, the release that answered, covered and note (as
        # codekit validate's items say note)
        found = hits.as_dict()
        print(json.dumps([{"system": args.system, **jsonable(h), "on": found["on"],
                           "release": found["release"], "covered": found["covered"],
                           "note": found["note"]} for h in hits], indent=2,
                         ensure_ascii=False))
    else:
        for h in hits:
            print(f"{h.formatted:<9} {h.score:5.1f}  {h.title}"
                  + (f"  [{h.matched}]" if h.matched != h.title else ""))
    if not hits.covered:  # never answer silently from data that does not cover the date
        print(f"codekit: note: {hits.note}", file=sys.stderr)
    # no good match on the date, but codes of other dates match (the concept had no code
    # yet, or no more): ICD-10-CM, ICD-10-PCS and HCPCS Level II (DatedSearchResults)
    others = [o for o in (getattr(hits, "later", None), getattr(hits, "earlier", None))
              if o is not None]
    for other in others:
        print(f"codekit: note: no good match on {hits.on}; {other}", file=sys.stderr)
    if hits and not hits.good and not others:  # weak hits only: say so, as .good does
        print(f"codekit: note: no good match: the best confidence is {hits.confidence:.2f}, "
              f"below {WEAK} (the hits share few words with the query)", file=sys.stderr)
    if not hits and not args.json:
        print(f"codekit: no {args.system} code matches {args.text!r}", file=sys.stderr)
    return 0 if hits else 1


def _cmd_suggest(args: argparse.Namespace) -> int:
    """Codes close to each mistyped code, of the system given or the one that judges it
    (as ``codekit validate``: :func:`_system_for`); exit 1 when some code got none."""
    from .. import codesystem

    status = 0
    out = []
    day = _day(args.on)
    said: dict[str, str | None] = {}  # a system's note for the date, said once
    for code in args.codes:
        system = args.system or _system_for(code)
        mod = codesystem.get(system)
        found = list(mod.suggest(code, on=day, limit=args.limit))
        status = status if found else 1
        if system not in said:
            said[system] = _outside(mod, day)
            if said[system] and not args.json:
                print(f"codekit: note: {said[system]}", file=sys.stderr)
        # on: the date whose codes are near (today when --on is not given); covered and
        # note as codekit search's hits say them
        out.append({"input": code, "system": system, "on": day.isoformat(),
                    "suggestions": found, "covered": said[system] is None,
                    "note": said[system]})
        if not args.json:
            print(f"{code}: {', '.join(found) if found else f'no {system} code is near it'}")
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    return status


#: How a note names the data of each system (as ``codekit --version`` does).
_DATA_NAMES = {"icd10cm": "ICD-10-CM", "icd10pcs": "ICD-10-PCS", "cpt": "CPT/HCPCS",
               "hcpcs": "CPT/HCPCS", "procedure": "CPT/HCPCS", "modifiers": "CPT/HCPCS"}


def _outside(mod: Any, day: dt.date) -> str | None:
    """What is said of ``day`` when ``mod``'s data does not describe it (its ``covers``),
    else None: the bool and list verbs (``suggest``) carry no note of their own, so the
    command says it (ICD-10-CM in the words of the claim report's notice; ICD-10-PCS before
    it took effect as its validity errors say it)."""
    if mod.covers(on=day):
        return None
    if mod.SYSTEM == "icd10cm":
        note = mod.coverage_note(on=day)
        if note:
            return str(note)
    first, last = mod.coverage()
    if mod.SYSTEM == "icd10pcs" and day < first:  # no data is nearer: no code was valid
        return (f"{day} is before ICD-10-PCS took effect ({first}): ICD-10-PCS codes are "
                "not valid then")
    return (f"{day} is outside the dates codekit's {_DATA_NAMES[mod.SYSTEM]} data describes "
            f"({first} to {last}): the codes near are those of the nearest data")


def _cmd_releases(args: argparse.Namespace) -> int:
    from .. import icd10cm

    for r in icd10cm.releases():
        # !s: a date's format spec is a strftime pattern (it printed "<10")
        print(f"{r.id:<10} {r.effective} .. {r.until or ''!s:<10} {r.source:<7} "
              f"{r.codes:>6} codes {r.billable:>6} billable  {r.label}")
    print()
    for line in data_summary():
        print(line)
    return 0


def data_summary(today: dt.date | None = None) -> list[str]:
    """One line per code system and table: the dates its data describes and where it
    comes from (what a support ticket or an audit trail needs besides the version). A
    table whose data ends before ``today`` (default the date today) says so, and how a
    later date is answered.

    >>> for line in data_summary(today=dt.date(2026, 5, 1)):
    ...     print(line)  # doctest: +ELLIPSIS
    ICD-10-CM    2015-10-01 .. 2027-03-31  17 releases FY2016 .. FY2027 (CDC/CMS), ...
    ICD-10-PCS   2015-10-01 .. 2027-03-31  validity: the CMS MCE table; titles and tables: ...
    CPT/HCPCS    2019-07-01 .. 2026-06-30  the quarters of the CMS I/OCE (code numbers only ...
    NCCI         2019-07-01 .. 2026-06-30  bundled: add-on codes and hospital outpatient PTP ...
    POA exempt   FY2019 .. FY2026          the CDC POA-exempt code lists
    >>> data_summary(today=dt.date(2026, 12, 7))[4]  # doctest: +NORMALIZE_WHITESPACE
    'POA exempt   FY2019 .. FY2026          the CDC POA-exempt code lists; today (2026-12-07)
    is in FY2027, which has no list: the POA edits of its discharges are not run'
    """
    from .. import _data_facts
    from .._dates import fiscal_year

    day = today or dt.date.today()
    facts = _data_facts()
    span, cm = facts["ICD-10-CM"]
    user = sum(1 for r in cm if r.source != "bundled")
    lines = [_summary("ICD-10-CM", span,
                      f"{len(cm)} releases {cm[0].id} .. {cm[-1].id} (CDC/CMS), "
                      f"{user} of them added by you" if user else
                      f"{len(cm)} releases {cm[0].id} .. {cm[-1].id} (CDC/CMS), all bundled",
                      day, "the newest release")]
    lines.append(_summary("ICD-10-PCS", facts["ICD-10-PCS"][0],
                          "validity: the CMS MCE table; titles and tables: the CMS files "
                          "of each fiscal year", day, "the newest data"))
    span, loaded = facts["CPT/HCPCS"]
    files = ("; HCPCS files you loaded: " + ", ".join(
        f"{r.label} (from {r.effective})" for r in loaded) if loaded
        else "; no HCPCS file loaded")
    lines.append(_summary("CPT/HCPCS", span,
                          f"the quarters of the CMS I/OCE (code numbers only for CPT){files}",
                          day, "its last quarter"))
    lines.append(_summary("NCCI", facts["NCCI"][0],
                          "bundled: add-on codes and hospital outpatient PTP edits; "
                          "practitioner PTP and every MUE table: load the CMS quarterly "
                          "files (--ptp, --mue, --ncci DIR)", day, "its last quarter"))
    years = facts["POA exempt"][1]
    year = fiscal_year(day)
    late = (f"; today ({day}) is in FY{year}, which has no list: the POA edits of its "
            "discharges are not run") if year > years[-1] else ""
    lines.append(f"{'POA exempt':<12} {f'FY{years[0]} .. FY{years[-1]}':<24}  "
                 f"the CDC POA-exempt code lists{late}")
    return lines


def _summary(name: str, span: tuple[dt.date, dt.date], what: str, today: dt.date,
             newest: str) -> str:
    """The line of ``name``; when its data ends before ``today``, what a later date is
    answered from (``newest``)."""
    late = (f"; today ({today}) is after {span[1]}: later dates are answered as of "
            f"{newest}, and a claim's report says so") if span[1] < today else ""
    return f"{name:<12} {f'{span[0]} .. {span[1]}':<24}  {what}{late}"


def add_parsers(sub: Any) -> None:
    from ._options import date_option, limit_option

    for name, fn, helptext in (("lookup", _cmd_lookup, "show everything about codes"),
                               ("validate", _cmd_validate, "check codes for a date")):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("codes", nargs="+", metavar="CODE",
                        help="codes of any system: ICD-10-CM, ICD-10-PCS, CPT, HCPCS, a "
                        "modifier, or a code with modifiers (99213-25)")
        sp.add_argument("--on", metavar="YYYY-MM-DD", type=date_option,
                        help="date of service YYYY-MM-DD (default today)")
        sp.add_argument("--json", action="store_true", help="JSON: a list, an item a code")
        sp.set_defaults(fn=fn)
    from ..codesystem import SYSTEMS

    sp = sub.add_parser("search", help="search the titles of a code system (default "
                        "ICD-10-CM: titles and inclusion terms)")
    sp.add_argument("text", help="words to search for (quote them: one argument)")
    sp.add_argument("--system", choices=SYSTEMS, default="icd10cm",
                    help="the code system to search (default icd10cm)")
    sp.add_argument("--on", metavar="YYYY-MM-DD", type=date_option,
                    help="date of service: codes valid then (default today)")
    sp.add_argument("--limit", type=limit_option, default=10, metavar="N",
                    help="the most hits (default 10)")
    sp.add_argument("--json", action="store_true", help="JSON: a list, an item a hit")
    sp.set_defaults(fn=_cmd_search)
    sp = sub.add_parser("suggest", help="codes close to mistyped codes (did you mean)")
    sp.add_argument("codes", nargs="+", metavar="CODE", help="mistyped or incomplete codes")
    sp.add_argument("--system", choices=SYSTEMS, default=None,
                    help="the code system to suggest from (default: the one that judges "
                    "each code, as codekit validate)")
    sp.add_argument("--on", metavar="YYYY-MM-DD", type=date_option,
                    help="date of service YYYY-MM-DD (default today)")
    sp.add_argument("--limit", type=limit_option, default=5, metavar="N",
                    help="the most suggestions a code (default 5)")
    sp.add_argument("--json", action="store_true", help="JSON: a list, an item a code")
    sp.set_defaults(fn=_cmd_suggest)
    sp = sub.add_parser("releases", help="list the ICD-10-CM releases and the dates every "
                        "code system and table describes")
    sp.set_defaults(fn=_cmd_releases)
