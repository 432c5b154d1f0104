"""``python -m codekit.build``: rebuild data tables (the same as ``codekit data``)."""

from ..cli.data import main

raise SystemExit(main())
