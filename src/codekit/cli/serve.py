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
          log_level=args.log_level, body_timeout=args.body_timeout)
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


def add_parser(sub: Any) -> None:
    from ..server import BODY_TIMEOUT, DEFAULT_HOST, DEFAULT_PORT

    sp = sub.add_parser("serve", help="serve FHIR Claim/$validate, CodeSystem/$validate-code "
                        "and $lookup over HTTP")
    sp.add_argument("--host", default=DEFAULT_HOST,
                    help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    sp.add_argument("--port", type=_port, default=DEFAULT_PORT,
                    help=f"port (default {DEFAULT_PORT})")
    sp.add_argument("--body-timeout", type=_seconds, default=BODY_TIMEOUT, metavar="SECONDS",
                    help=f"the most a client may take to send a request body (default "
                    f"{BODY_TIMEOUT:g}; then 408)")
    sp.add_argument("--trusted", action="store_true",
                    help="skip fhir.resources model validation of incoming Claims (faster; "
                    "for senders whose FHIR is known to be valid)")
    sp.add_argument("--no-preload", action="store_true",
                    help="load tables on first use instead of at start-up")
    sp.add_argument("--log-level", default="info",
                    choices=["critical", "error", "warning", "info", "debug"])
    sp.set_defaults(fn=_cmd_serve)
