"""Finding (or making) a Python >= 3.12 with ``pyoce`` 0.1.0 for the I/OCE cross-check.

pyoce, the CMS I/OCE port, needs Python 3.12; codekit supports 3.11. The cross-check runs
``tests/ioce_oracle.py`` in a separate interpreter:

1. ``$CODEKIT_IOCE_PYTHON``, when set (an interpreter that imports pyoce);
2. the project's ``.cache/ioce-venv``, when it imports pyoce;
3. else that venv is made from the first Python >= 3.12 found (this interpreter, then
   ``python3.1x`` / ``python3`` on PATH, then pyenv's and the usual install prefixes --
   each asked for its version, so a pyenv shim that fails outside its version is passed
   over) and ``pyoce==0.1.0`` is installed into it with pip, network permitting.

:func:`ioce_python` returns the interpreter, or raises :class:`Unavailable` with the reason
(no Python >= 3.12, no network for pip...), which the tests turn into a skip.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".cache" / "ioce-venv"
ORACLE = Path(__file__).resolve().with_name("ioce_oracle.py")
PYOCE = "pyoce==0.1.0"


class Unavailable(Exception):
    """No interpreter with pyoce can be had here (the message says why)."""


def _answers(exe: str, code: str, timeout: float = 30) -> str | None:
    try:
        done = subprocess.run([exe, "-c", code], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _has_pyoce(exe: str) -> bool:
    return _answers(exe, "import pyoce; print(pyoce.__version__)") == "0.1.0"


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _candidates() -> list[str]:
    found = [sys.executable]
    for name in ("python3.14", "python3.13", "python3.12", "python3"):
        exe = shutil.which(name)
        if exe:
            found.append(exe)
    home = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found += sorted(glob.glob(str(home / "versions" / "3.1[2-9]*" / "bin" / "python3")),
                    reverse=True)
    for prefix in ("/usr/local/bin", "/usr/bin", "/opt/homebrew/bin"):
        found += [f"{prefix}/python3.{m}" for m in (14, 13, 12)]
    return list(dict.fromkeys(found))


def base_python() -> str:
    """The first Python >= 3.12 that runs (not a shim that fails)."""
    for exe in _candidates():
        if not (os.path.isabs(exe) and os.path.exists(exe)) and shutil.which(exe) is None:
            continue
        if _answers(exe, "import sys; print(sys.version_info >= (3, 12))") == "True":
            return exe
    raise Unavailable("no Python >= 3.12 found (pyoce, the I/OCE port, needs it); set "
                      "CODEKIT_IOCE_PYTHON to an interpreter with pyoce==0.1.0")


def ioce_python() -> str:
    """An interpreter that imports pyoce 0.1.0 (see the module doc)."""
    given = os.environ.get("CODEKIT_IOCE_PYTHON")
    if given:
        if _has_pyoce(given):
            return given
        raise Unavailable(f"CODEKIT_IOCE_PYTHON={given} does not import pyoce 0.1.0")
    exe = _venv_python(VENV)
    if exe.exists() and _has_pyoce(str(exe)):
        return str(exe)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with _made_alone(VENV.with_name("ioce-venv.lock")):
        # another test process (pytest -n) may have made it while this one waited
        if exe.exists() and _has_pyoce(str(exe)):
            return str(exe)
        return _make_venv(exe)


@contextlib.contextmanager
def _made_alone(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (where the platform has ``fcntl``): the test
    processes of ``pytest -n`` that all need the venv make it once, one after another."""
    try:
        import fcntl
    except ImportError:  # Windows: one process at a time is the user's to arrange
        yield
        return
    with open(lock, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _make_venv(exe: Path) -> str:
    """Make :data:`VENV` (if missing) and install pyoce into it; its interpreter."""
    base = base_python()
    try:
        if not exe.exists():
            subprocess.run([base, "-m", "venv", str(VENV)], check=True, capture_output=True,
                           timeout=300)
        subprocess.run([str(exe), "-m", "pip", "install", "--quiet", PYOCE], check=True,
                       capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as e:
        err = getattr(e, "stderr", b"") or b""
        tail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
        raise Unavailable(f"could not install {PYOCE} into {VENV} with {base}: "
                          f"{tail[0] if tail else e}") from None
    if not _has_pyoce(str(exe)):
        raise Unavailable(f"{VENV} was made but does not import pyoce")
    return str(exe)


def call(command: str, payload: Any = None, *args: str, timeout: float = 1800) -> Any:
    """Run ``ioce_oracle.py command *args`` with ``payload`` (JSON) on stdin; its JSON
    answer."""
    exe = ioce_python()
    done = subprocess.run([exe, str(ORACLE), command, *args], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ioce_oracle.py {command} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def pools() -> dict[str, Any]:
    """What the I/OCE tables know (``ioce_oracle.py pools``), cached in ``.cache`` (per
    version of the oracle script)."""
    tag = hashlib.sha256(ORACLE.read_bytes()).hexdigest()[:12]
    path = ROOT / ".cache" / "ioce" / f"pools-{tag}.json"
    if path.exists():
        return json.loads(path.read_text())
    data = call("pools")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")))
    tmp.replace(path)
    return data  # type: ignore[no-any-return]
