"""``codekit serve``: the FHIR HTTP front (:mod:`codekit.server`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._checker import add_checker_options, checker_of, checker_usage_problem

__all__ = ["add_parser"]

#: The options that make the checker (as ``codekit check``'s), by their argparse names.
_CHECKER_OPTIONS = ("profile", "ptp", "mue", "ncci", "require", "policies",
                    "no_default_policies", "route_payer", "route_filing_indicator",
                    "strict_routing")


def _cmd_serve(args: argparse.Namespace) -> int:
    from ..server import serve

    problem = checker_usage_problem(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 3
    checker = None  # the process's default checker, as codekit.server.create_app's
    if any(getattr(args, name) for name in _CHECKER_OPTIONS):
        try:  # the tables and policies read before the port opens: a bad one is exit 3
            checker = checker_of(args)
        except OSError as e:
            print(f"codekit: {e}", file=sys.stderr)
            return 3
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"codekit serve: listening on {args.host}: anyone who can reach this address "
              "can send claims (codekit has no authentication; put it behind your proxy)")
    serve(args.host, args.port, checker=checker, validate=not args.trusted,
          preload=not args.no_preload,
          log_level=args.log_level, body_timeout=args.body_timeout, max_body=args.max_body,
          max_records=args.max_records, max_issues=args.max_issues,
          max_checks=args.max_checks, max_queue=args.max_queue,
          limit_concurrency=args.limit_concurrency,
          timeout_keep_alive=args.timeout_keep_alive, access_log=not args.no_access_log,
          forwarded_allow_ips=args.forwarded_allow_ips)
    return 0


def _port(text: str) -> int:
    """A TCP port, 0 to 65535 (70000 was a traceback from the socket layer)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port}: expected 0 to 65535")
    return port


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text}: expected seconds above 0")
    return value


def _count(least: int) -> Any:
    """A parser of a whole number >= ``least``."""
    def count(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value}: expected a whole number >= {least}")
        return value
    return count


_UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": 1024 ** 2, "mib": 1024 ** 2,
          "g": 1024 ** 3, "gib": 1024 ** 3}


def _size(text: str) -> int:
    """A size in bytes: ``8388608``, ``8MiB``, ``512KiB`` (K, M, G are powers of 1024)."""
    number = text.strip().rstrip("BbIiKkMmGg")
    unit = text.strip()[len(number):].lower()
    if not number.isdigit() or not number.isascii() or unit not in _UNITS:
        raise argparse.ArgumentTypeError(f"invalid size: {text!r} (bytes, or with KiB, MiB "
                                         "or GiB: 8MiB)")
    value = int(number) * _UNITS[unit]
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: expected a size above 0")
    return value


def add_parser(sub: Any) -> None:
    from ..server import (
        BODY_TIMEOUT,
        DEFAULT_HOST,
        DEFAULT_PORT,
        MAX_BODY,
        MAX_CHECKS,
        MAX_ISSUES,
        MAX_QUEUE,
        MAX_RECORDS,
        TIMEOUT_KEEP_ALIVE,
    )

    sp = sub.add_parser("serve", help="serve FHIR Claim/$validate, CodeSystem/$validate-code "
                        "and $lookup over HTTP")
    sp.add_argument("--host", default=DEFAULT_HOST,
                    help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    sp.add_argument("--port", type=_port, default=DEFAULT_PORT,
                    help=f"port (default {DEFAULT_PORT})")
    sp.add_argument("--body-timeout", type=_seconds, default=BODY_TIMEOUT, metavar="SECONDS",
                    help=f"the most a client may take to send a request body (default "
                    f"{BODY_TIMEOUT:g}; then 408)")
    sp.add_argument("--max-body", type=_size, default=MAX_BODY, metavar="SIZE",
                    help=f"the largest request body, after gzip is undone (default "
                    f"{MAX_BODY // 2**20}MiB; then 413)")
    sp.add_argument("--max-records", type=_count(1), default=MAX_RECORDS, metavar="N",
                    help=f"the most claims (list items, Bundle entries) in one "
                    f"Claim/$validate body (default {MAX_RECORDS:,}; then 413)")
    sp.add_argument("--max-issues", type=_count(1), default=MAX_ISSUES, metavar="N",
                    help=f"the most issues in one answer (default {MAX_ISSUES:,}; then "
                    "413, the check stopped)")
    sp.add_argument("--max-checks", type=_count(1), default=MAX_CHECKS, metavar="N",
                    help=f"requests parsed and checked at once (default {MAX_CHECKS})")
    sp.add_argument("--max-queue", type=_count(0), default=MAX_QUEUE, metavar="N",
                    help=f"requests waiting for a check (default {MAX_QUEUE}; then 503 "
                    "with Retry-After)")
    sp.add_argument("--limit-concurrency", type=_count(1), default=None, metavar="N",
                    help="the most requests open at once (default: none; then 503 with "
                    "Retry-After; GET /metadata and /ready are not counted)")
    sp.add_argument("--timeout-keep-alive", type=_count(1), default=TIMEOUT_KEEP_ALIVE,
                    metavar="SECONDS", help="close an idle kept-alive connection after "
                    f"this long (default {TIMEOUT_KEEP_ALIVE})")
    add_checker_options(sp)
    sp.add_argument("--trusted", action="store_true",
                    help="skip fhir.resources model validation of incoming Claims (faster; "
                    "for senders whose FHIR is known to be valid)")
    sp.add_argument("--no-preload", action="store_true",
                    help="read the tables on first use (or the first GET /ready) instead "
                    "of before the port opens")
    sp.add_argument("--forwarded-allow-ips", default=None, metavar="ADDRESSES",
                    help="the proxies whose X-Forwarded-For and X-Forwarded-Proto are "
                    "believed, comma-separated (default: $FORWARDED_ALLOW_IPS, else "
                    "127.0.0.1,::1)")
    sp.add_argument("--no-access-log", action="store_true",
                    help="write no access line a request")
    sp.add_argument("--log-level", default="info",
                    choices=["critical", "error", "warning", "info", "debug"],
                    help="uvicorn's log level (default info)")
    sp.set_defaults(fn=_cmd_serve)
