"""The options that make the checker, shared by ``codekit check`` and ``codekit serve``
(one definition, so the batch and the HTTP front judge claims with the same tables,
policies, profile and required edits): the NCCI tables (``--ncci``, ``--ptp``, ``--mue``,
``--mue-effective``), the payer policies (``--policies``, ``--no-default-policies``),
``--profile``, ``--require`` and the payer routing (``--route-payer``,
``--route-filing-indicator``, ``--strict-routing``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import DataError, InvalidArgument
from ._options import date_option

__all__ = ["add_checker_options", "checker_of", "checker_usage_problem"]


def add_checker_options(sp: argparse.ArgumentParser) -> None:
    """Add the checker's options to the parser of a command."""
    sp.add_argument("--profile", metavar="NAME",
                    help="medicare-professional, medicare-dme (a DMEPOS supplier's claims), "
                    "medicare-outpatient, medicare-inpatient or commercial (default: chosen "
                    "from the payer)")
    sp.add_argument("--ptp", action="append", default=[], metavar="FILE",
                    help="CMS NCCI PTP file: the tab-delimited .txt as CMS publishes it "
                    "(unzipped), a .csv, an .xlsx, a .txt or .csv gzipped, or a .ckt saved "
                    "by codekit; repeatable: the four parts of the practitioner table "
                    "(ccipra-v321r0-f1.txt ... f4) make one table")
    sp.add_argument("--mue", action="append", default=[], metavar="FILE",
                    help="CMS NCCI MUE file: the .csv as CMS publishes it (or gzipped) or "
                    "the .xlsx; its quarter comes from the name (Eff_04-01-2026); "
                    "repeatable (practitioner, outpatient hospital, DME supplier)")
    sp.add_argument("--mue-effective", metavar="YYYY-MM-DD", type=date_option,
                    help="the first day the --mue files apply to (needed for a file whose "
                    "name gives no quarter)")
    sp.add_argument("--ncci", metavar="DIR",
                    help="a directory of CMS NCCI quarterly files (PTP, MUE, add-on), "
                    "each read for its kind, setting and quarter from its name")
    sp.add_argument("--require", action="append", default=[], metavar="ID_OR_GROUP",
                    help="an edit that must not be left not run on a claim (an ID such as "
                    "MUE_EXCEEDED, or a group: ncci, the PTP, MUE and add-on edits of "
                    "catalog group G; all): a claim it could not judge (no table for its "
                    "date...) gets an EDIT_REQUIRED_NOT_RUN error; repeatable")
    sp.add_argument("--policies", action="append", default=[], metavar="PATH",
                    help="policy file or folder, added to the shipped Medicare policies; "
                    "repeatable")
    sp.add_argument("--no-default-policies", action="store_true",
                    help="do not apply the shipped Medicare policies")
    sp.add_argument("--route-payer", action="append", default=[], type=_route,
                    metavar="NAME=TARGET",
                    help="send the claims of a payer name to a family (medicare, medicaid, "
                    "commercial), a profile, or a payer ID policies name: 'Noridian "
                    "Medicare=medicare'; repeatable (codekit.rules.PayerRouting names)")
    sp.add_argument("--route-filing-indicator", action="append", default=[], type=_route,
                    metavar="CODE=TARGET",
                    help="the same for an X12 claim filing indicator (SBR09): "
                    "'16=medicare' sends Medicare Advantage claims to the Medicare "
                    "profiles; repeatable")
    sp.add_argument("--strict-routing", action="store_true",
                    help="a payer nothing places is a PAYER_UNKNOWN error (default: checked "
                    "as commercial with a PAYER_UNROUTED notice)")


def _route(text: str) -> tuple[str, str]:
    """``NAME=TARGET`` of a routing option (split at the last ``=``: a target has none).

    >>> _route("Noridian Medicare=medicare")
    ('Noridian Medicare', 'medicare')
    >>> _route("medicare")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected NAME=TARGET (a payer or filing indicator, then ...
    """
    name, eq, target = text.rpartition("=")
    if not eq or not name.strip() or not target.strip():
        raise argparse.ArgumentTypeError(
            "expected NAME=TARGET (a payer or filing indicator, then a family, a profile "
            f"or a payer ID), got {text[:80]!r}")
    return name.strip(), target.strip()


def checker_usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the checker's options as a whole (a usage error: exit 3), else
    None."""
    if args.mue_effective is not None and not args.mue:  # it would be silently ignored
        return ("codekit: --mue-effective is the first day of the --mue files, and no --mue "
                "file is given (the MUE files of --ncci DIR take their quarter from their "
                "names)")
    return None


def _ncci_folder(folder: str) -> None:
    """Refuse a ``--ncci`` folder that is none, or from which no NCCI table would be read
    (every file skipped: a folder of other files, or the quarters' files one folder
    down): its claims would all have their NCCI edits "not run", the option said
    nowhere. A :class:`~codekit.errors.DataError` naming the option and what was
    skipped."""
    from .. import ncci

    try:
        found = ncci.TableLibrary(directory=folder)
    except InvalidArgument as e:  # "directory='x': not a directory": the option's words
        raise DataError(f"--ncci {folder}: {str(e).partition(': ')[2] or e}") from None
    if set(found.entries) <= set(ncci.TableLibrary().entries):  # the bundled ones only
        skipped = found.skipped
        said = "; ".join(f"{name}: {why}" for name, why in skipped[:3])
        more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        raise DataError(f"--ncci {folder}: no CMS NCCI file in this folder (PTP, MUE and "
                        "add-on files are told by their names, directly in the folder)"
                        + (f"; skipped {said}{more}" if skipped else ": it is empty"))


def checker_of(args: argparse.Namespace) -> Any:
    """The :class:`~codekit.Checker` the options ask for: its tables and policies read
    now, so that a file that cannot be read is said before any claim is (a
    :class:`~codekit.errors.CodekitError` or an ``OSError``)."""
    from .. import ncci
    from ..checker import Checker

    kw: dict[str, Any] = {}
    tables: list[Any] = []
    if args.ptp:
        tables.append(ncci.load_ptp(args.ptp if len(args.ptp) > 1 else args.ptp[0]))
    for path in args.mue:
        # a file whose name gives no quarter needs --mue-effective (it would answer for
        # every date otherwise); a CMS name (..._Eff_04-01-2026) gives its own
        try:
            tables.append(ncci.load_mue(path, effective=args.mue_effective))
        except DataError as e:
            # a name that gives no quarter (or not a real one): the option that gives it
            if args.mue_effective is None and ncci.quarter_of_name(Path(path).name) is None:
                raise DataError(f"{e}; on the command line: --mue-effective YYYY-MM-DD") \
                    from None
            raise
    if args.ncci:
        _ncci_folder(args.ncci)
    if args.ncci or tables:
        kw["tables"] = ncci.TableLibrary(tables, directory=args.ncci)
    if args.policies or args.no_default_policies:
        from .. import policies

        # one PolicySet per file/folder: a set keeps its index by payer and procedure
        # a folder without a single policy file is an error, as in `codekit policy check`
        sets = [policies.load(path) for path in args.policies]
        if not args.no_default_policies:
            sets.insert(0, policies.default_policies())
        kw["policies"] = sets
    if args.require:
        kw["require"] = args.require
    if args.route_payer or args.route_filing_indicator or args.strict_routing:
        from ..rules import PayerRouting

        kw["routing"] = PayerRouting(names=dict(args.route_payer),
                                     filing_indicators=dict(args.route_filing_indicator),
                                     strict=args.strict_routing)
    return Checker(profile=args.profile, **kw)
