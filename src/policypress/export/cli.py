"""Serialising the exports (the command itself is ``policypress.cli.export``)."""

from __future__ import annotations

import json
from typing import Any

from ..escape import script_json

# --- serialising -------------------------------------------------------------


def dumps(document: dict[str, Any]) -> str:
    """Stable text: UTF-8, two-space indent, keys in the order built, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def jsonld_script(document: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` element, safe to place in an HTML page:
    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text in the data can close the script."""
    return f'<script type="application/ld+json">{script_json(document, compact=True)}</script>'
