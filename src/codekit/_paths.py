"""Where codekit's data lives: the bundled ``data/`` and the user data directory.

The user data directory holds releases users add themselves (``codekit data add``). It is
``$CODEKIT_DATA_DIR`` when set, else ``$XDG_DATA_HOME/codekit``, else
``~/.local/share/codekit``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_data_dir", "user_data_dir"]

_REPO_DATA = Path(__file__).resolve().parents[2] / "data"


def bundled_data_dir() -> Path:
    """``codekit/data`` inside an installed wheel, or ``data/`` of a source checkout."""
    packaged = Path(__file__).resolve().parent / "data"
    return packaged if packaged.is_dir() else _REPO_DATA


def user_data_dir() -> Path:
    """The directory for user-added releases (it need not exist)."""
    env = os.environ.get("CODEKIT_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "codekit"
