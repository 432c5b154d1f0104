"""Official CMS/CDC files in a reference directory, read as build inputs.

``python -m codekit.build bundled --reference DIR`` reads public-domain CMS/CDC files from
``DIR`` (the layout of ``../shared/data/reference``: ``cms_icd10_order_files/``,
``icd10cm_fy2027/`` ...). Files may be stored compressed (``.xz``, ``.gz``); each is pinned
by the sha256 of its *content* (the original CMS/CDC bytes), so a different file is an
error, and every file read is recorded (path, sha256 of the file as stored and of its
content) for ``data/PROVENANCE.json``. The files themselves are never copied into
``data/``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import lzma
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import CodekitError, DataError, InvalidArgument

__all__ = ["Reference", "checkout_defaults", "in_checkout", "run_step"]

#: the checkout holding ``src/codekit`` (its ``data/`` and the ``../shared`` beside it);
#: installed from a wheel, the environment's ``lib/pythonX.Y`` (see :func:`in_checkout`)
REPO = Path(__file__).resolve().parents[3]


def in_checkout() -> bool:
    """Whether this codekit runs from a source checkout: :data:`REPO` holds its
    ``pyproject.toml`` and ``src/codekit``. Only there do the build commands have default
    folders."""
    return (REPO / "pyproject.toml").is_file() and (REPO / "src" / "codekit").is_dir()


def checkout_defaults(args: argparse.Namespace, command: str) -> None:
    """Give the folders a build command was not given (``out``, ``cache``, ``reference``
    left None) the checkout's own: ``data/``, ``.cache/carriers``,
    ``../shared/data/reference``. Installed from a wheel there is no checkout (those paths
    would fall inside the environment's ``lib/``): :class:`~codekit.InvalidArgument`
    names the options to pass instead, before anything is read or written."""
    defaults = {"out": ("--out DIR", REPO / "data"),
                "cache": ("--cache DIR", REPO / ".cache" / "carriers"),
                "reference": ("--reference DIR", REPO.parent / "shared" / "data" / "reference")}
    missing = [k for k in defaults if hasattr(args, k) and getattr(args, k) is None]
    if missing and not in_checkout():
        raise InvalidArgument(
            f"{command} rebuilds the data/ of a source checkout, and this codekit is "
            f"installed ({Path(__file__).resolve().parents[1]}), not run from one: pass "
            + ", ".join(defaults[k][0] for k in missing))
    for k in missing:
        setattr(args, k, defaults[k][1])


class Reference:
    """A reference directory: reads pinned files and remembers what was read."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise DataError(f"reference directory not found: {self.root} (pass --reference "
                            "DIR: the folder holding cms_icd10_order_files/, "
                            "icd10cm_fy2027/ ...)")
        self.used: dict[str, dict[str, Any]] = {}

    def read(self, rel: str, *, pin: str | None) -> bytes:
        """The content of ``rel`` (decompressed when it ends in ``.xz`` or ``.gz``); a
        :class:`~codekit.DataError` when it is missing or its content's sha256 is not
        ``pin``."""
        path = self.root / rel
        try:
            stored = path.read_bytes()
        except OSError as e:
            raise DataError(f"cannot read reference file {path}: {e}") from e
        try:
            if rel.endswith(".xz"):
                data = lzma.decompress(stored)
            elif rel.endswith(".gz"):
                data = gzip.decompress(stored)
            else:
                data = stored
        except (lzma.LZMAError, OSError, EOFError) as e:
            raise DataError(f"{path}: cannot decompress: {e}") from e
        digest = hashlib.sha256(data).hexdigest()
        if pin is not None and digest != pin:
            raise DataError(f"{path}: content sha256 {digest} differs from the pinned {pin} "
                            "(not the official file this build expects)")
        self.used[rel] = {"path": rel, "bytes": len(stored),
                          "sha256": hashlib.sha256(stored).hexdigest(),
                          "content_bytes": len(data), "content_sha256": digest}
        return data

    def records(self) -> list[dict[str, Any]]:
        """What was read, by path (for ``data/PROVENANCE.json``)."""
        return [self.used[k] for k in sorted(self.used)]


def run_step(argv: Sequence[str] | None, *, prog: str, doc: str | None,
             build: Callable[[Path, Path], dict[str, Any]],
             summary: Callable[[dict[str, Any]], str]) -> int:
    """The command line of one build step that reads a reference directory and writes into
    a data folder (``python -m codekit.build.hcpcs_dates --reference DIR --out DIR``):
    ``build(reference, out)`` gives the step's provenance record, ``summary`` says it in a
    line. Exit 0, or 2 with the :class:`~codekit.CodekitError`'s message on stderr."""
    p = argparse.ArgumentParser(prog=prog, description=(doc or "").split("\n\n")[0])
    p.add_argument("--reference", type=Path,
                   help="folder of official CMS/CDC files (default in a checkout: "
                   "../shared/data/reference)")
    p.add_argument("--out", type=Path,
                   help="data folder to write (default in a checkout: its data/)")
    args = p.parse_args(argv)
    try:
        checkout_defaults(args, prog)
        rec = build(args.reference, args.out)
    except CodekitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(summary(rec))
    return 0
