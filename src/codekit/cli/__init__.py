"""The ``codekit`` command.

::

    codekit lookup E11.65 [--on 2025-06-01] [--json]
    codekit validate E11.65 G35 --on 2025-06-01      # exit 1 when any code is invalid
    codekit search "type 2 diabetes with hyperglycemia" [--system icd10pcs] [--limit 10]
    codekit suggest E11.6S 0DTJXZZ [--system icd10cm] [--limit 5]   # did you mean
    codekit releases                                  # and the dates each system covers
    codekit --version                                 # the version and its data
    codekit data add --id FY2028 --effective 2027-10-01 --addenda FILE --base FY2027
    codekit data list | codekit data remove --system icd10cm --id FY2028
    codekit data bundled                              # rebuild data/ from the carriers
    codekit policy check FILE... | codekit policy test DIR...

    codekit check claim.json [--profile medicare-professional] [--ptp FILE] [--mue FILE]
                             [--policies DIR] [--require ID_OR_GROUP] [--format text|json|jsonl]
                             [--quiet]
    codekit serve [--host 127.0.0.1] [--port 8080] [--trusted]   # FHIR over HTTP

Exit codes: 0 all good; 1 some code invalid or not found (``check``: warnings only, or a
claim judged outside the data); 2 (``check``) errors on the claim; 3 usage, input or data
error (or standard output that cannot be written: a full disk); 130 interrupted (Ctrl-C),
143 (``check``) ended by SIGTERM, 129 (``check``) by SIGHUP. A closed pipe (``codekit
check ... | head``) ends the command quietly with 0.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO, cast

from ..errors import CodekitError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, with the documented exit code of a usage error: 3 (argparse's own 2 is
    ``check``'s "a claim with errors", so `codekit check --formt jsonl` read as findings)."""

    #: Whether this is the ``codekit`` parser itself, not a command's.
    top = False

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(3, f"{self.prog}: error: {message}\n")

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        """A command's parser says the words it does not know itself, with its own usage
        (argparse leaves them to the ``codekit`` parser, whose usage lists no option of
        the command: ``codekit check x.json -o out`` showed ``usage: codekit [-h]
        [--version] {lookup,...}``)."""
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and not self.top:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


class _Version(argparse.Action):
    """``codekit --version``: the version and the bundled data's id
    (:func:`codekit.data_id`), then one line per code system and table (the data is what
    answers; a version alone does not say which releases a report used)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        import platform

        from .. import __version__, data_id
        from .codes import data_summary

        # the data is rebuilt more often than the version moves: its id says which
        print(f"codekit {__version__} (Python {platform.python_version()}), bundled data "
              f"{data_id()}")
        for line in data_summary():
            print(line)
        sys.stdout.flush()  # a full disk is said by main, not at exit
        parser.exit(0)


def _parser() -> argparse.ArgumentParser:
    from . import check, codes, data, policy, serve

    p = _Parser(prog="codekit", description="Medical-code validation by date of service.",
                epilog="exit codes: 0 done, nothing to report; 1 a code not valid, no hit, "
                "a failed policy example, or (check) warnings only; 2 (check) a claim with "
                "an error; 3 a usage, input or data error. Every command's: docs/cli.md, "
                "the command line reference")
    p.top = True
    p.add_argument("--version", action=_Version, nargs=0,
                   help="show codekit's version, its data's id and the dates its data describes, "
                   "and exit")
    sub = p.add_subparsers(dest="cmd", required=True)  # its parsers are _Parsers too
    codes.add_parsers(sub)
    check.add_parser(sub)
    policy.add_parser(sub)
    data.add_parser(sub)
    serve.add_parser(sub)
    return p


def _escape(error: UnicodeError) -> tuple[str, int]:
    """What an output writes for characters its encoding lacks: their JSON escapes
    (``\\u00e9``; a pair past U+FFFF), which keep JSON output valid and text readable."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return json.dumps(error.object[error.start:error.end])[1:-1], error.end


_ESCAPE = "codekit.escape"
codecs.register_error(_ESCAPE, _escape)

#: Commands whose work is what they write on standard output.
_WRITERS = frozenset({"lookup", "validate", "search", "suggest", "releases", "check",
                      "policy"})


class _OutputFailed(Exception):
    """Standard output could not be written (a full disk, an I/O error): not a closed
    pipe, which is a reader that has what it wanted."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class _Output:
    """Standard output for the life of :func:`main`: what it writes, as the stream does,
    except that an error writing it (``codekit check ... > /dev/full``) is
    :class:`_OutputFailed`, told apart from every other ``OSError`` of a command (a claim
    file that cannot be read is an input error)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _OutputFailed(e) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _OutputFailed(e) from None

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding...
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is None:  # `2>&-`: messages go nowhere, the reports and exit code stand
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    for stream in (sys.stdout, sys.stderr):
        # an output that is not UTF-8 (a Latin-1 locale, PYTHONIOENCODING=ascii): a claim
        # id or a code written with a character it lacks is shown escaped (Jos\u00e9), not
        # a traceback in the middle of the reports; under the C locale (surrogateescape) a
        # byte of an argument that is not UTF-8 is shown escaped (\udcff), not written raw
        # into JSON, which then is not UTF-8
        if isinstance(stream, io.TextIOWrapper) and \
                stream.errors in ("strict", "surrogateescape"):
            stream.reconfigure(errors=_ESCAPE)
    stdout = sys.stdout
    if stdout is not None:
        sys.stdout = cast(TextIO, _Output(stdout))
    try:
        return _main(argv)
    except _OutputFailed as e:  # a full disk: the results are not all written
        _discard_stdout()
        print(f"codekit: cannot write to standard output: {e.error.strerror or e.error} "
              "(what was written is incomplete)", file=sys.stderr)
        return 3
    finally:
        sys.stdout = stdout


def _main(argv: Sequence[str] | None) -> int:
    try:
        # parsing imports the commands' modules and runs --version (which reads the
        # tables): a closed pipe, Ctrl-C or a damaged table there is answered as in a command
        args = _parser().parse_args(argv)
        if sys.stdout is None and args.cmd in _WRITERS:  # `>&-`: not a silent success
            print("codekit: standard output is closed: nowhere to write the results "
                  "(redirect it to a file, or to /dev/null)", file=sys.stderr)
            return 3
        code = int(args.fn(args))
        if sys.stdout is not None:  # what is still buffered: an error writing it is said
            sys.stdout.flush()
        return code
    except CodekitError as e:
        print(f"codekit: {e}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # `codekit ... | head`: the reader has what it wanted
        _discard_stdout()
        return 0
    except KeyboardInterrupt:  # Ctrl-C: a message, not a traceback; 128 + SIGINT
        print("codekit: interrupted", file=sys.stderr)
        return 130
    except _OutputFailed:  # said by main(): standard output cannot be written
        raise
    except Exception as e:  # a bug: Python's own exit code (1) would read "warnings only"
        traceback.print_exc(file=sys.stderr)
        print(f"codekit: internal error ({type(e).__name__}: {e}): a bug in codekit, not in "
              "the input; the results above may be incomplete. Please report it with the "
              "traceback above.", file=sys.stderr)
        return 3


def _discard_stdout() -> None:
    """Point standard output at /dev/null: what is still buffered for the closed pipe
    would fail again at exit ("Exception ignored ... BrokenPipeError")."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
