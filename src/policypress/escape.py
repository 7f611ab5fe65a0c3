"""Escaping by context, in one place.

Every value that comes from the policy data (or from a scanned page) and leaves
the program goes through one of these functions, chosen by where it lands:

- ``html``: text in HTML elements and attribute values (also what is handed to
  MkDocs as toc, nav and page titles, which Material renders unescaped);
- ``script_json``: JSON placed inside ``<script>``: ``<``, ``>``, ``&`` and
  U+2028/U+2029 become ``\\uXXXX`` so no text can close the script;
- ``safe_url``: URLs the data or the user supplies; only ``http``, ``https``,
  ``mailto`` and relative references pass;
- ``xml``: Atom/XML text and attributes;
- ``markdown``: text in Markdown written for people (job summaries);
- ``terminal``: one line of terminal or CI output: control characters and line
  breaks are shown escaped, so no data value can start a line of its own (and so
  no GitHub workflow command such as ``::error::`` or ``::add-mask::``).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from markupsafe import escape as _markup_escape

__all__ = ["html", "markdown", "safe_url", "script_json", "terminal", "xml", "UnsafeURL"]


def html(text: object) -> Markup:
    """Text for HTML content or a quoted attribute value."""
    return _markup_escape(text)


_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (and still valid JSON)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text)


class UnsafeURL(ValueError):
    """A URL whose scheme could run code or leave the allowed set (``javascript:``, ``data:``)."""


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_url(url: str) -> str:
    """The URL itself when its scheme is allowed; raises ``UnsafeURL`` otherwise.

    Browsers ignore control characters and whitespace inside a scheme
    (``java\\tscript:``), so those are refused outright instead of stripped.
    """
    if any(unicodedata.category(ch)[0] == "C" for ch in url):
        raise UnsafeURL(f"{terminal(url)}: a URL must not contain control characters")
    stripped = url.strip()
    scheme = urlsplit(stripped).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        raise UnsafeURL(f"{terminal(url)}: only http, https, mailto and relative URLs are allowed, not '{scheme}:'")
    if not scheme and stripped.startswith("//"):
        # Protocol-relative: fine for http(s) pages, but never a relative link to our own site.
        return stripped
    return stripped


def xml(text: object) -> str:
    """Text for XML element content or a double-quoted attribute (Atom feeds)."""
    value = str(text)
    # XML 1.0 cannot carry most control characters at all, escaped or not.
    value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&apos;")
    )


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~")


def markdown(text: object) -> str:
    """Text for Markdown that people read (GitHub job summaries, PR bodies).

    Markdown punctuation is backslash-escaped and HTML is entity-escaped, since
    GitHub renders inline HTML in Markdown. Line breaks become spaces: one value
    stays in one table cell or list item.
    """
    value = " ".join(str(text).splitlines())
    out = []
    for ch in value:
        if ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch in _MARKDOWN_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def terminal(text: object) -> str:
    """One line for a terminal or CI log: control, bidi and line-break characters escaped.

    ``\\n`` shows as ``\\n``, other controls as ``\\xNN``/``\\uNNNN``; bidi overrides
    (which could reorder what a reviewer reads) are escaped too.
    """
    out = []
    for ch in str(text):
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\\":
            out.append("\\")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200d":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
