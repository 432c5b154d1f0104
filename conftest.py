"""Collection: the optional front doors' doctests run only where their extra is installed
(``codekit.spark`` needs pyspark; its tests in tests/ skip and say so)."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("pyspark") else ["src/codekit/spark/*"]
