"""``codekit policy check FILE...`` and ``codekit policy test DIR...``.

``check`` compiles policy files (or folders) and reports the first problem of each, with
its line, column and what was expected; ``test`` also runs the example claims the
policies carry. The paths of one command are used together: a rule ID found in two of
them is an error (``duplicate_rule``) naming both files. Exit codes: 0 all good, 1 some
example failed, 3 a policy does not compile (or a file cannot be read, or two paths share a
rule ID).

Wire it into a parser with :func:`add_arguments` and dispatch with :func:`run`:

>>> import argparse
>>> p = argparse.ArgumentParser(prog="codekit")
>>> add_arguments(p.add_subparsers(dest="cmd"))
>>> args = p.parse_args(["policy", "check", "data/policies/medicare"])
>>> args.policy_cmd, args.paths
('check', ['data/policies/medicare'])
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ..errors import PolicyError

if TYPE_CHECKING:
    from ..policies import ExampleResult

__all__ = ["add_arguments", "run"]


def add_arguments(parser: Any) -> None:
    """Add the ``check`` and ``test`` sub-commands.

    ``parser`` is either the ``policy`` parser itself, or the sub-parsers object of the
    main parser (then the ``policy`` command is created, with ``fn`` set to :func:`run`).
    """
    if isinstance(parser, argparse._SubParsersAction):
        parser = parser.add_parser("policy", help="compile payer policy files and run their "
                                   "example claims")
        parser.set_defaults(fn=run)
    sub = parser.add_subparsers(dest="policy_cmd", required=True)
    c = sub.add_parser("check", help="compile policy files and report errors")
    c.add_argument("paths", nargs="+", metavar="PATH", help="policy files or folders")
    c.add_argument("--json", action="store_true", help="JSON: a list, an item a path")
    t = sub.add_parser("test", help="run the example claims of the policies")
    t.add_argument("paths", nargs="+", metavar="PATH", help="policy files or folders")
    t.add_argument("--verbose", "-v", action="store_true", help="list passing examples too")
    t.add_argument("--json", action="store_true",
                   help="JSON: ok, the counts, and a result per example")


def _error_dict(e: PolicyError) -> dict[str, Any]:
    return {"file": e.file, "line": e.line, "column": e.column, "kind": e.kind,
            "reason": e.reason, "expected": e.expected}


def _check(args: argparse.Namespace) -> int:
    from ..policies import check_unique_ids, load

    status = 0
    report: list[dict[str, Any]] = []
    loaded: list[Any] = []  # the sets that compiled: their IDs must differ across paths
    for path in args.paths:
        try:
            rules = load(path)
            check_unique_ids([*loaded, rules])
            loaded.append(rules)
        except PolicyError as e:
            status = 3
            report.append({"path": path, "ok": False, "error": _error_dict(e)})
            if not args.json:
                print(e, file=sys.stderr)
            continue
        examples = sum(len(p.examples) for p in rules)
        report.append({"path": path, "ok": True, "rules": len(rules), "examples": examples})
        if not args.json:
            print(f"{path}: ok, {len(rules)} rule(s), {examples} example(s)")
    if args.json:
        print(json.dumps(report, indent=2))
    return status


def _test(args: argparse.Namespace) -> int:
    from ..policies import check_unique_ids, load, run_tests

    results: list[ExampleResult] = []
    try:
        sets = [load(path) for path in args.paths]
        check_unique_ids(sets)  # one rule ID across every path tested together
    except PolicyError as e:
        if args.json:
            print(json.dumps({"ok": False, "error": _error_dict(e)}, indent=2))
        else:
            print(e, file=sys.stderr)
        return 3
    for rules in sets:
        results.extend(run_tests(rules))
    failed = [r for r in results if not r.ok]
    if args.json:
        print(json.dumps({"ok": not failed, "examples": len(results), "failed": len(failed),
                          "results": [{"policy": r.policy, "example": r.example,
                                       "expect": r.expect, "ok": r.ok, "detail": r.detail,
                                       "file": r.file, "line": r.line,
                                       "findings": [f.to_dict() for f in r.findings]}
                                      for r in results]}, indent=2, ensure_ascii=False))
    else:
        for r in results:
            if args.verbose or not r.ok:
                print(r)
        print(f"{len(results)} example(s): {len(results) - len(failed)} passed, "
              f"{len(failed)} failed")
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    """Run ``codekit policy check|test`` for parsed ``args``; returns the exit code."""
    if args.policy_cmd == "check":
        return _check(args)
    return _test(args)


def add_parser(sub: Any) -> None:
    sp = sub.add_parser("policy", help="compile or test payer policy files")
    add_arguments(sp)
    sp.set_defaults(fn=run)
