"""Print the declared minimum version of every runtime dependency, and of the ``fast``
extra (orjson: its answers are held to json's, and its floor is a security floor), as a
pip constraint (``attrs>=23.2`` -> ``attrs==23.2``), so that CI can run the suite on the
floors."""

import re
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
for requirement in [*project["project"]["dependencies"],
                    *project["project"]["optional-dependencies"]["fast"]]:
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9a-z.]*)", requirement.strip())
    if m is None:
        raise SystemExit(f"no floor to pin in {requirement!r}: declare it as name>=version")
    print(f"{m.group(1)}=={m.group(2)}")
