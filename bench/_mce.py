"""What the benches say about the ``msdrg.MceEditor`` they time.

``MceEditor.edit`` sends each claim to its compiled library as JSON and reads the result
back as JSON, with ``orjson`` when it is installed (msdrg's optional accelerator; it does
not require it) and the standard ``json`` module otherwise: on this project's machines
``orjson`` 3.8.3 is there, and ``MceEditor`` runs about 1.5x slower without it (15.7-16.9
against 23.5-23.8 us a claim on the generated inpatient claims, 2026-12-04). A side by
side names the one it met, so its ratio can be read.
"""

from __future__ import annotations


def json_backend() -> str:
    """The JSON module ``msdrg`` uses: ``orjson`` when it can be imported (msdrg tries it
    first), else the standard library's ``json``."""
    try:
        import orjson
    except ImportError:
        return "json (standard library; msdrg is about 1.5x faster with orjson)"
    return f"orjson {orjson.__version__} (msdrg's optional accelerator)"
