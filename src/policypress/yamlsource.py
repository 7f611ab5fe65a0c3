"""Reading a data file: its text, checked (size, encoding, characters), and its document, with
the position of every value and mapping key kept for error messages. A file over ``MAX_FILE_BYTES``
is not read.

The YAML itself is read by the strict loaders of yamlloader.py (libyaml's events where libyaml
and the pure parser agree); every problem becomes a ``DataIssue`` with file:line:column, nothing
else escapes. Valid files are kept by their text for the rest of the process.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import DataIssue
from .kept import Kept
from .yamlloader import (
    _FAST_LOADER,
    FORBIDDEN_CHARS,
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    MAX_INTEGER,
    MAX_STRING_CHARS,
    PathKey,
    _libyaml_differs,
    _PolicyLoader,
    _Refused,
    char_name,
    format_path,
)

__all__ = [
    "FORBIDDEN_CHARS", "MAX_DEPTH", "MAX_EXPANDED_NODES", "MAX_FILE_BYTES", "MAX_INTEGER", "MAX_ISSUES_PER_FILE",
    "MAX_STRING_CHARS", "PathKey", "Position", "YamlDocument", "format_path", "load_yaml", "read_source",
]

# The real files are under 40 KiB; 2 MiB is fifty times that and still parses in seconds.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Beyond this many problems in one file the rest are counted, not listed.
MAX_ISSUES_PER_FILE = 20


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class YamlDocument:
    """A parsed file: its data, and where each value (and each mapping key) stands."""

    file: str
    data: Any = None
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)
    empty: bool = False  # nothing but comments and blank lines

    def position(self, path: PathKey, *, prefer_key: bool = True) -> Position:
        """The position of ``path``, or of its nearest ancestor that exists.

        A value in a mapping is located at its key (where the entry's line
        starts), which is where a person looks for it; list items at the item.
        """
        probe = tuple(path)
        while probe:
            if prefer_key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))

    def issue(self, path: PathKey, message: str, *, prefer_key: bool = True) -> DataIssue:
        pos = self.position(path, prefer_key=prefer_key)
        return DataIssue(self.file, pos.line, pos.column, format_path(path), message)


def _pos(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _index(node: Node, path: PathKey, doc: YamlDocument) -> None:
    doc.values[path] = _pos(node.start_mark)
    if isinstance(node, MappingNode):
        first_seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = key_node.value if isinstance(key_node, ScalarNode) else "<a mapping or list as key>"
            where = _pos(key_node.start_mark)
            if key in first_seen:
                doc.issues.append(
                    DataIssue(
                        doc.file,
                        where.line,
                        where.column,
                        format_path(path + (key,)),
                        f"duplicate key '{key}' (first on line {first_seen[key].line}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            first_seen[key] = where
            doc.keys[path + (key,)] = where
            _index(value_node, path + (key,), doc)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), doc)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_source(path: Path, display_name: str) -> tuple[str | None, list[DataIssue]]:
    """The text of one data file, or the reasons it cannot be read as one.

    The file's kind and size are checked before it is opened: a FIFO would block the
    read forever and a symlink to ``/dev/zero`` would never end.
    """

    def whole_file(message: str) -> tuple[None, list[DataIssue]]:
        return None, [DataIssue(display_name, 0, 0, "", message)]

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return whole_file("file is missing")
    except OSError as exc:
        return whole_file(f"cannot be read: {exc.strerror}")
    if stat.S_ISDIR(info.st_mode):
        return whole_file("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        return whole_file("is not a regular file (a device, pipe or socket); policy data must be a plain file")
    if info.st_size > MAX_FILE_BYTES:
        return whole_file(f"is {info.st_size:,} bytes; the limit for a data file is {MAX_FILE_BYTES:,} bytes (2 MiB)")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # it may have grown since stat
    except OSError as exc:
        return whole_file(f"cannot be read: {exc.strerror}")
    if len(raw) > MAX_FILE_BYTES:
        return whole_file(f"is larger than the limit for a data file, {MAX_FILE_BYTES:,} bytes (2 MiB)")
    for bom, encoding in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                          (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            return whole_file(f"is {encoding} text; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line, column = _line_col(before, len(before))
        return None, [DataIssue(display_name, line, column, "", f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")]
    text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark is harmless
    issues: list[DataIssue] = []
    for found in FORBIDDEN_CHARS.finditer(text):
        if len(issues) == MAX_ISSUES_PER_FILE:
            rest = len(FORBIDDEN_CHARS.findall(text, found.start()))
            issues.append(DataIssue(display_name, 0, 0, "", f"and {rest:,} more control characters"))
            break
        line, column = _line_col(text, found.start())
        issues.append(
            DataIssue(display_name, line, column, "", f"contains the control character {char_name(found.group())}; remove it")
        )
    return (None, issues) if issues else (text, [])


def _capped(problems: list[DataIssue], file: str) -> list[DataIssue]:
    if len(problems) <= MAX_ISSUES_PER_FILE:
        return problems
    more = len(problems) - MAX_ISSUES_PER_FILE
    return [*problems[:MAX_ISSUES_PER_FILE], DataIssue(file, 0, 0, "", f"and {more:,} more problems of the same kinds")]


# Valid files parsed in this process, by name and text: a build reads a file again for the positions of
# its values, and `mkdocs serve` reads every file after each save of one. Each caller gets its own copy.
_PARSED_KEPT = 512
_parsed: Kept[tuple[str, bool, bytes], YamlDocument] = Kept(_PARSED_KEPT)


def load_yaml(path: Path, display_name: str) -> YamlDocument:
    """Parse one file. Problems are collected in ``issues``; ``data`` is None when unusable."""
    doc = YamlDocument(file=display_name)
    source, doc.issues = read_source(path, display_name)
    if source is None:
        return doc
    # Which reader is in use is part of the key: without libyaml (or with it switched off) the pure one reads.
    key = (display_name, _FAST_LOADER is not None, hashlib.blake2b(source.encode("utf-8"), digest_size=16).digest())
    if key in _parsed:
        kept = _parsed[key]
    else:
        kept = _load(source, doc)
        if kept.issues:
            return kept
        _parsed.put(key, kept)
    return YamlDocument(display_name, _copied(kept.data), dict(kept.values), dict(kept.keys), [], kept.empty)


def _copied(value: Any) -> Any:
    """A copy of parsed data, several times faster than ``copy.deepcopy``, which keeps a memo of every
    object for shared and cyclic ones. The loaders make only mappings, lists and immutable scalars
    (no tags), refuse a cycle and cap what aliases expand to: a value aliases share is copied for
    each of them, as bounded as the data itself."""
    if type(value) is dict:
        return {key: _copied(item) for key, item in value.items()}
    if type(value) is list:
        return [_copied(item) for item in value]
    return value


def _load(source: str, doc: YamlDocument) -> YamlDocument:
    if _FAST_LOADER is not None and not _libyaml_differs(source):
        fast = _parse(source, _FAST_LOADER, YamlDocument(file=doc.file))
        if not fast.issues:
            return fast
    # Invalid (or no libyaml): the pure loader, whose wording every message and test uses.
    return _parse(source, _PolicyLoader, doc)


def _parse(source: str, loader_class: type[_PolicyLoader], doc: YamlDocument) -> YamlDocument:
    display_name = doc.file
    loader = loader_class(source, display_name)
    try:
        node = loader.get_single_node()
        if loader.problems:
            doc.issues.extend(_capped(loader.problems, display_name))
            return doc
        if node is None:
            doc.empty = True
            return doc
        _index(node, (), doc)
        # With duplicate keys the data is still constructed, so that every other
        # problem is reported in the same run; the duplicates keep the load failing.
        doc.data = loader.construct_document(node)
    except _Refused as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        doc.issues = [*_capped(loader.problems, display_name), DataIssue(display_name, line, column, exc.path, str(exc.problem))]
        doc.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "not valid YAML"
        doc.issues.append(DataIssue(display_name, line, column, "", f"invalid YAML: {problem}"))
        doc.data = None
    except yaml.YAMLError as exc:
        doc.issues.append(DataIssue(display_name, 0, 0, "", f"invalid YAML: {exc}"))
        doc.data = None
    finally:
        loader.dispose()
    return doc
