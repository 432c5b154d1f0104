"""``python -m codekit.build``: rebuild data tables. See :mod:`codekit.build`."""

from .cli import main

raise SystemExit(main())
