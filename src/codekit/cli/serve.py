"""``codekit serve``: the FHIR HTTP front (:mod:`codekit.server`)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser"]


def _cmd_serve(args: argparse.Namespace) -> int:
    from ..server import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"codekit serve: listening on {args.host}: anyone who can reach this address "
              "can send claims (codekit has no authentication; put it behind your proxy)")
    serve(args.host, args.port, validate=not args.trusted, preload=not args.no_preload,
          log_level=args.log_level)
    return 0


def add_parser(sub: Any) -> None:
    from ..server import DEFAULT_HOST, DEFAULT_PORT

    sp = sub.add_parser("serve", help="serve FHIR Claim/$validate, CodeSystem/$validate-code "
                        "and $lookup over HTTP")
    sp.add_argument("--host", default=DEFAULT_HOST,
                    help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    sp.add_argument("--port", type=int, default=DEFAULT_PORT,
                    help=f"port (default {DEFAULT_PORT})")
    sp.add_argument("--trusted", action="store_true",
                    help="skip fhir.resources model validation of incoming Claims (faster; "
                    "for senders whose FHIR is known to be valid)")
    sp.add_argument("--no-preload", action="store_true",
                    help="load tables on first use instead of at start-up")
    sp.add_argument("--log-level", default="info",
                    choices=["critical", "error", "warning", "info", "debug"])
    sp.set_defaults(fn=_cmd_serve)
