"""The ``codekit`` command.

::

    codekit lookup E11.65 [--on 2025-06-01] [--json]
    codekit validate E11.65 G35 --on 2025-06-01      # exit 1 when any code is invalid
    codekit search "type 2 diabetes with hyperglycemia" [--system icd10pcs] [--limit 10]
    codekit suggest E11.6S 0DTJXZZ [--system icd10cm] [--limit 5]   # did you mean
    codekit releases
    codekit data add --id FY2027 --effective 2026-10-01 --addenda FILE --base FY2026
    codekit data list | codekit data remove --system icd10cm --id FY2027
    codekit data bundled                              # rebuild data/ from the carriers
    codekit policy check FILE... | codekit policy test DIR...

    codekit check claim.json [--profile medicare-professional] [--ptp FILE] [--mue FILE]
                             [--policies DIR] [--json]
    codekit serve [--host 127.0.0.1] [--port 8080] [--trusted]   # FHIR over HTTP

Exit codes: 0 all good; 1 some code invalid or not found (``check``: warnings only);
2 (``check``) errors on the claim; 3 usage, input or data error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import CodekitError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from . import check, codes, data, policy, serve

    p = argparse.ArgumentParser(prog="codekit", description="Medical-code validation by "
                                "date of service.")
    sub = p.add_subparsers(dest="cmd", required=True)
    codes.add_parsers(sub)
    check.add_parser(sub)
    policy.add_parser(sub)
    data.add_parser(sub)
    serve.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except CodekitError as e:
        print(f"codekit: {e}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # pragma: no cover - `codekit ... | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
