"""Escaping by context, in one place.

Every value that comes from the policy data (or from a scanned page) and leaves
the program goes through one of these functions, chosen by where it lands:

- ``html``: text in HTML elements and attribute values (also what is handed to
  MkDocs as toc, nav and page titles, which Material renders unescaped);
- ``script_json``: JSON placed inside ``<script>``: ``<``, ``>``, ``&`` and
  U+2028/U+2029 become ``\\uXXXX`` so no text can close the script;
- ``safe_url``: URLs the data or the user supplies; only ``http``, ``https``,
  ``mailto`` and relative references pass;
- ``xml``: Atom/XML text and attributes; ``xml_text`` for an XML library that
  escapes itself (ElementTree): only the characters XML 1.0 cannot carry are dropped;
- ``script_regex``: a JavaScript regular expression literal for a generated config;
- ``markdown``: text in Markdown written for people (job summaries);
- ``terminal``: one line of terminal or CI output: control characters and line
  breaks are shown escaped, so no data value can start a line of its own (and so
  no GitHub workflow command such as ``::error::`` or ``::add-mask::``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from markupsafe import escape as _markup_escape

__all__ = ["html", "markdown", "safe_url", "script_json", "script_regex", "terminal", "xml", "xml_text", "UnsafeURL"]


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
_SCRIPT_TABLE = str.maketrans(_SCRIPT_ESCAPES)


def script_json(value: Any, *, indent: int | None = None, sort_keys: bool = False, compact: bool = False) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (and still valid JSON).

    ``compact`` drops the spaces after ``,`` and ``:`` (for JSON-LD inside pages)."""
    separators = (",", ":") if compact else None
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys, separators=separators)
    return text.translate(_SCRIPT_TABLE)  # one pass in C: a JSON-LD block is tens of KB per page


# Inside a regular expression literal these would end the literal, the line or the
# <script> element; \uXXXX matches the same character.
_REGEX_HEX = frozenset("<>&\n\r\u2028\u2029")


def script_regex(source: str) -> str:
    """A JavaScript regular expression literal ``/source/`` safe inside ``<script>``.

    ``source`` uses Python ``re.escape`` conventions (a backslash before a literal
    character); ``/``, line breaks, ``<``, ``>`` and ``&`` are rewritten so the
    literal can neither end early nor close the script element.
    """
    out = []
    chars = iter(source)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            if nxt in _REGEX_HEX:
                out.append(f"\\u{ord(nxt):04x}")
            else:
                out.append("\\" + (nxt or "\\"))
        elif ch in _REGEX_HEX:
            out.append(f"\\u{ord(ch):04x}")
        elif ch == "/":
            out.append("\\/")
        else:
            out.append(ch)
    return "/" + "".join(out) + "/"


class UnsafeURL(ValueError):
    """A URL whose scheme could run code or leave the allowed set (``javascript:``, ``data:``)."""


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_url(url: str) -> str:
    """The URL itself (trimmed) when its scheme is allowed; raises ``UnsafeURL`` otherwise.

    Browsers ignore control characters and whitespace inside a scheme
    (``java\\tscript:``), so those are refused outright instead of stripped.
    Protocol-relative URLs (``//host/path``) pass: they can only mean http or https.
    """
    if any(unicodedata.category(ch)[0] == "C" for ch in url):
        raise UnsafeURL(f"{terminal(url)}: a URL must not contain control characters")
    stripped = url.strip()
    try:
        scheme = urlsplit(stripped).scheme.lower()
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise UnsafeURL(f"{terminal(url)}: not a valid URL ({exc})") from None
    if scheme and scheme not in SAFE_SCHEMES:
        raise UnsafeURL(f"{terminal(url)}: only http, https, mailto and relative URLs are allowed, not '{terminal(scheme)}:'")
    if not scheme and ":" in re.split(r"[/?#]", stripped, maxsplit=1)[0]:
        # urlsplit gives no scheme for "java script:x" or "1javascript:x"; a colon
        # before the first slash still reads as a scheme to some parsers: refuse.
        raise UnsafeURL(f"{terminal(url)}: a relative URL must not have a ':' before its first '/'")
    return stripped


def xml_text(text: object) -> str:
    """Text for an XML library that escapes (ElementTree): the characters XML 1.0
    cannot carry at all, escaped or not, are dropped; the rest is left to the library."""
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or (0x20 <= ord(ch) < 0xFFFE and not 0xD800 <= ord(ch) < 0xE000) or ord(ch) > 0xFFFF)


def xml(text: object) -> str:
    """Text for XML element content or a double-quoted attribute (Atom feeds)."""
    value = xml_text(text)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&apos;")
    )


# Characters that start Markdown formatting anywhere in a line (GitHub-flavoured).
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
# ... and only at the start of a line: headings, lists, quotes, setext underlines.
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([#+=>.)-])")


def markdown(text: object) -> str:
    """Text for Markdown that people read (GitHub job summaries, PR bodies).

    HTML is entity-escaped (GitHub renders inline HTML in Markdown), the characters
    that format anywhere are backslash-escaped, and those that format only at the
    start of a line are escaped there. Line breaks become spaces: one value stays in
    one table cell or list item.
    """
    value = " ".join(str(text).splitlines())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_INLINE.sub(r"\\\1", value)
    # "1." and "1)" start an ordered list: the backslash goes before the punctuation.
    return _MD_LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}" if not m[2] or m[3] in ".)" else m[0], value)


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
