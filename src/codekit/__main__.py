"""``python -m codekit``: the ``codekit`` command."""

from .cli import main

raise SystemExit(main())
