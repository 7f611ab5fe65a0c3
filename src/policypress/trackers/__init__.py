"""Tracker knowledge, shared by the static scan and the browser audit.

- ``signatures``: the vendors' signatures (how each shows itself in a page, what it stores),
  shipped as YAML files in ``trackers/data/`` and loaded with file:line errors;
- ``matching``: signatures compiled into matchers for URLs, inline code and elements;
- ``names``: storage-name patterns (``_ga_*``, ``<id>.__consent``) and how they compare.
"""

from .signatures import SignatureError, Signatures, load_signatures

__all__ = ["SignatureError", "Signatures", "load_signatures"]
