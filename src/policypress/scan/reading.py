"""Reading a scanned folder's files safely, and decoding pages as a browser would.

A scanned folder may be a mirror of someone else's site, or a folder with odd entries:
a FIFO named ``index.html`` would block a plain ``open()`` forever, a symlink to
``/dev/zero`` would be read without end, a symlink may point anywhere on the machine.
So only regular files are read, symlinks only when they resolve inside the folder, every
open is non-blocking and re-checked on the open descriptor (the entry may be swapped between
the check and the open), and never more than a cap is read.

Decoding follows the HTML spec's order: a byte order mark, then a ``<meta charset>`` (or
``http-equiv="Content-Type"``) in the first 1024 bytes, then UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

# Far above any real page; a bigger "page" is a data dump or an attack, and is reported instead of read.
MAX_PAGE_BYTES = 10 * 1024 * 1024
PRESCAN_BYTES = 1024


class SkippedFile(Exception):
    """A file the scan did not read; the message says why, for the report."""


class TooLarge(SkippedFile):
    """A file over the cap: for a page a finding, for a bundled script library nothing to report."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_bytes(path: Path, root: Path, limit: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of ``path``, a file inside ``root`` (already resolved); raises ``SkippedFile``."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                raise SkippedFile("a symbolic link to a place outside the scanned folder")
            path = resolved
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise SkippedFile(f"{_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLarge(f"{info.st_size} bytes, more than the {limit} a file may have to be scanned")
        # O_NONBLOCK: if a FIFO was put here after the check, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except SkippedFile:
        raise
    except OSError as exc:
        raise SkippedFile(f"cannot be read ({exc.strerror})") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise SkippedFile(f"{_kind(opened.st_mode)}, not a regular file")
        chunks: list[bytes] = []
        size = 0
        # One byte past the cap tells a file that grew since the stat from one that fits.
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLarge(f"more than the {limit} bytes a file may have to be scanned")
        return b"".join(chunks)
    except OSError as exc:
        raise SkippedFile(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)


_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels the Encoding Standard maps to another encoding than Python's codec of the same name.
_WHATWG_LABELS = {
    "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "l1": "cp1252", "cp819": "cp1252", "iso-ir-100": "cp1252", "x-user-defined": "cp1252",
    "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
}

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_META = re.compile(rb"<meta[\s/]([^>]*)", re.I)
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_CHARSET_IN_CONTENT = re.compile(rb"""charset\s*=\s*["']?([^\s"';]+)""", re.I)


def _codec(label: bytes) -> str | None:
    name = label.strip().decode("ascii", "replace").lower()
    name = _WHATWG_LABELS.get(name, name)
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    # The spec: a meta that claims UTF-16/32 cannot be right (the meta itself was read as ASCII): UTF-8.
    return "utf-8" if found.startswith(("utf-16", "utf-32")) else found


def _meta_charset(head: bytes) -> str | None:
    """The HTML spec's prescan, simplified: the first meta in the head that names a known encoding."""
    head = _COMMENT.sub(b"", head)
    for meta in _META.finditer(head):
        attrs: dict[bytes, bytes] = {}
        for match in _ATTRIBUTE.finditer(meta.group(1)):
            attrs.setdefault(match.group(1).lower(), match.group(2) or match.group(3) or match.group(4) or b"")
        label: bytes | None = None
        if b"charset" in attrs:
            label = attrs[b"charset"]
        elif attrs.get(b"http-equiv", b"").lower() == b"content-type":
            found = _CHARSET_IN_CONTENT.search(attrs.get(b"content", b""))
            label = found.group(1) if found else None
        if label:
            codec = _codec(label)
            if codec is not None:
                return codec
    return None


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def decode_html(data: bytes) -> str:
    """A page's text: by its byte order mark, else its meta charset, else UTF-8 (bad bytes replaced)."""
    found = _bom(data)
    if found is not None:
        return data[found[1] :].decode(found[0], errors="replace")
    codec = _meta_charset(data[:PRESCAN_BYTES]) or "utf-8"
    return data.decode(codec, errors="replace")


def decode_text(data: bytes) -> str:
    """A script's or stylesheet's text: by its byte order mark, else UTF-8 (bad bytes replaced)."""
    found = _bom(data)
    if found is not None:
        return data[found[1] :].decode(found[0], errors="replace")
    return data.decode("utf-8", errors="replace")
