"""``codekit check``: claims against the claim edits and payer policies."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_parser"]


def _cmd_check(args: argparse.Namespace) -> int:
    from ..checker import Checker
    from ..claims import Claim, ClaimFormatError

    try:
        if args.claim == "-":
            text: str | bytes = sys.stdin.read()
        else:
            with open(args.claim, "rb") as f:
                text = f.read()
    except OSError as e:
        print(f"codekit: cannot read {args.claim}: {e}", file=sys.stderr)
        return 3
    try:
        claim = Claim.from_json(text)
    except ClaimFormatError as e:
        if args.json:
            print(json.dumps({"ok": False, "format_errors": [
                {"path": list(p), "message": m} for p, m in e.problems]}, indent=2))
        else:
            print(e, file=sys.stderr)
        return 3
    kw: dict[str, Any] = {}
    if args.ptp:
        from .. import ncci

        kw["ptp"] = ncci.load_ptp(args.ptp if len(args.ptp) > 1 else args.ptp[0])
    if args.mue:
        from .. import ncci

        kw["mue"] = ncci.load_mue(args.mue)
    if args.policies:
        from .. import policies

        # one PolicySet per file/folder: a set keeps its index by payer and procedure
        kw["policies"] = [policies.load(path) for path in args.policies]
    report = Checker(profile=args.profile, **kw).check(claim)
    print(report.to_json(indent=2) if args.json else report)
    if report.errors:
        return 2
    return 1 if report.warnings else 0


def add_parser(sub: Any) -> None:
    sp = sub.add_parser("check", help="check a claim (JSON) against the claim edits")
    sp.add_argument("claim", help="claim JSON file ('-' for standard input)")
    sp.add_argument("--profile", help="medicare-professional, medicare-outpatient, "
                    "medicare-inpatient or commercial (default: chosen from the claim)")
    sp.add_argument("--ptp", action="append", default=[],
                    help="CMS NCCI PTP file (quarterly text or CSV); repeatable")
    sp.add_argument("--mue", help="CMS NCCI MUE file (CSV) or code,mue,mai CSV")
    sp.add_argument("--policies", action="append", default=[],
                    help="policy file or folder; repeatable")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=_cmd_check)
