"""Reading YAML safely, with the position of every value kept for error messages.

What PyYAML does not do on its own, and this module does:
- duplicate keys are an error (``safe_load`` silently keeps the last one, so
  a fact written twice would quietly lose one of its versions);
- only ``true``/``false`` are booleans and dates stay strings (YAML 1.1 would
  read the country code ``NO`` as ``False`` and ``2025-01-01`` as a date);
- only plain data: no tags at all (``!!binary``, ``!!python/object``, ``!custom``,
  ``!!set``, even ``!!str``): text, numbers, true/false, lists and mappings;
- limits, so that no file can hang or crash a build: ``MAX_FILE_BYTES`` per file,
  ``MAX_DEPTH`` levels of nesting, ``MAX_EXPANDED_NODES`` values once anchors and
  aliases are expanded ("billion laughs"), ``MAX_STRING_CHARS`` per text, and no
  control characters (see ``FORBIDDEN_CHARS``), raw or written as escapes.
Every problem becomes a ``DataIssue`` with file:line:column; nothing else escapes.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import hashlib
import os
import re
import stat
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml's parser, when PyYAML was built with it (else the pure parser reads everything).
try:
    import yaml.cyaml

    CParser: Any = getattr(yaml.cyaml, "CParser")  # noqa: B009  (the stubs do not export it)
except ImportError:
    CParser = None

from .errors import DataIssue

# A real policy has a few thousand nodes; this leaves room for any honest use of anchors.
MAX_EXPANDED_NODES = 100_000
# The real files are under 40 KiB; 2 MiB is fifty times that and still parses in seconds.
MAX_FILE_BYTES = 2 * 1024 * 1024
# The real data nests 6 levels deep; PyYAML's composer recurses and dies near 300.
MAX_DEPTH = 64
# The longest real text is about 1,000 characters.
MAX_STRING_CHARS = 100_000
# Numbers in policy data are small; a bigger one is a mistake (and Python refuses to
# print integers of more than 4,300 digits, which would crash an error message).
MAX_INTEGER = 2**63 - 1
# Beyond this many problems in one file the rest are counted, not listed.
MAX_ISSUES_PER_FILE = 20

# Unicode category Cc except tab, line feed and carriage return (NUL, the C0 and C1
# controls, DEL and NEL), the line and paragraph separators (YAML and editors disagree
# on whether they end a line, so line numbers would lie) and the two non-characters
# PyYAML refuses. None of them belongs in a privacy policy.
# U+FEFF is harmless as a byte order mark at the very start (read_source drops it) but anywhere else an
# invisible character that libyaml and PyYAML even count differently in a column.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")

PathKey = tuple[str | int, ...]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_VALUE_TAG = "tag:yaml.org,2002:value"  # a lone '=' would otherwise be an unconstructable tag
_INT_TAG = "tag:yaml.org,2002:int"


def char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


class _Refused(yaml.MarkedYAMLError):
    """A limit was exceeded: reading stops, with the place (and data path) where it happened."""

    path = ""


class _PolicyLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, no implicit dates, no tags, and the limits above.

    The checks run while composing (one pass, no second parse): each node's expanded
    size and depth are computed from its children's, which are always composed first,
    so even a chain of aliases is measured without recursing through it.
    """

    def __init__(self, stream: str, file: str) -> None:
        super().__init__(stream)
        self._start(file)

    def _start(self, file: str) -> None:
        self.file = file
        self.problems: list[DataIssue] = []
        self._path: list[str | int] = []  # where the node being composed sits
        self._open = 0  # nodes being composed around the current one
        self._composed = 0
        self._measure: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, depth)

    def _problem(self, mark: Any, message: str) -> None:
        where = format_path(tuple(self._path))
        self.problems.append(DataIssue(self.file, mark.line + 1, mark.column + 1, where, message))

    def _refuse(self, mark: Any, message: str) -> _Refused:
        refused = _Refused(None, None, message, mark)
        refused.path = format_path(tuple(self._path))
        return refused

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        # The composer passes a value's key node as ``index`` (None for the key itself).
        pushed = isinstance(index, (ScalarNode, int)) and parent is not None
        if pushed:
            self._path.append(index.value if isinstance(index, ScalarNode) else index)
        try:
            event = self.peek_event()
            if not isinstance(event, yaml.AliasEvent):
                self._check_event(event)
            self._open += 1
            try:
                node: Node = super().compose_node(parent, index)  # type: ignore[assignment]  # never None here
            finally:
                self._open -= 1
            self._measure_node(node)
        finally:
            if pushed:
                self._path.pop()
        return node

    def _check_event(self, event: yaml.events.Event) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
            self._problem(
                event.start_mark,
                f"the tag '{shown}' is not allowed: policy data is plain text, numbers, true/false, "
                "lists and mappings (put text in quotes instead of tagging it)",
            )
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) and self._open >= MAX_DEPTH:
            raise self._refuse(event.start_mark, f"nested more than {MAX_DEPTH} levels deep; refusing to read further")
        self._composed += 1
        if self._composed > MAX_EXPANDED_NODES:
            raise self._refuse(event.start_mark, f"more than {MAX_EXPANDED_NODES:,} values; refusing to read further")
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_STRING_CHARS:
                self._problem(
                    event.start_mark,
                    f"a text of {len(event.value):,} characters; the limit is {MAX_STRING_CHARS:,}",
                )
            bad = FORBIDDEN_CHARS.search(event.value)
            if bad:
                self._problem(
                    event.start_mark,
                    f"contains the control character {char_name(bad.group())} (written as an escape); "
                    "remove it",
                )

    def _measure_node(self, node: Node) -> None:
        if isinstance(node, ScalarNode):
            self._measure[id(node)] = (1, 0)
            return
        children: list[Node] = (
            [part for pair in node.value for part in pair] if isinstance(node, MappingNode) else list(node.value)
        )
        size, depth = 1, 0
        for child in children:
            measured = self._measure.get(id(child))
            if measured is None:  # an alias to a mapping or list that is still open
                raise self._refuse(node.start_mark, "an alias refers to a value that contains it (a structure without end)")
            size += measured[0]
            depth = max(depth, measured[1])
        depth += 1
        if size > MAX_EXPANDED_NODES:
            # Reported for the whole document, at its start: the blow-up is the file's, not one key's.
            raise _Refused(
                None, None,
                f"anchors and aliases expand to more than {MAX_EXPANDED_NODES:,} values; "
                "refusing to read it (write the data out instead of nesting aliases)",
                yaml.Mark(self.file, 0, 0, 0, "", 0),
            )
        if depth > MAX_DEPTH:
            raise self._refuse(node.start_mark, f"anchors and aliases nest values more than {MAX_DEPTH} levels deep")
        self._measure[id(node)] = (size, depth)

    def construct_bounded_int(self, node: ScalarNode) -> int:
        try:
            value = int(self.construct_yaml_int(node))
        except ValueError:
            value = MAX_INTEGER + 1
        if abs(value) > MAX_INTEGER:
            shown = node.value if len(node.value) <= 20 else node.value[:17] + "..."
            raise _Refused(None, None, f"the number {shown} is too large (the limit is {MAX_INTEGER:,})", node.start_mark)
        return value


_PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG, _VALUE_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PolicyLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_PolicyLoader.add_constructor(_INT_TAG, _PolicyLoader.construct_bounded_int)


def _fast_loader() -> type[_PolicyLoader] | None:
    if CParser is None:
        return None

    class FastPolicyLoader(CParser, _PolicyLoader):
        """``_PolicyLoader`` on libyaml's events: libyaml scans and parses (about nine tenths
        of the pure loader's time); the same Python composer and checks build the nodes.

        Not CSafeLoader's own composer: it has none of the limits above, and it recurses
        in C, so 100,000 nested brackets (100 KB, far under the file limit) crash the
        process. libyaml words syntax errors differently, so on any problem ``load_yaml``
        reads the file again with the pure loader: messages stay exactly its messages.
        """

        def __init__(self, stream: str, file: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._start(file)

        # The Python composer's entry points, in place of CParser's C ones.
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        check_node = Composer.check_node
        get_node = Composer.get_node

    return FastPolicyLoader


_FAST_LOADER = _fast_loader()
# Where libyaml reads what the pure parser refuses (a tab between tokens, '#' right after
# '|' or '>', '?' inside [...] or {...}) or marks an empty value at the end of a file
# without a final line end elsewhere: such texts go to the pure loader, so that libyaml
# never makes a file valid that was not, nor moves a position. Found by comparing both.
_LIBYAML_DIFFERS = re.compile(r"\t|[|>][-+0-9]{0,2}#|[^\n]\Z")
_FLOW_START = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_FLOW_END = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


def _libyaml_differs(source: str) -> bool:
    if _LIBYAML_DIFFERS.search(source):
        return True
    return "?" in source and ("[" in source or "{" in source) and _question_in_flow(source)


def _question_in_flow(source: str) -> bool:
    """A '?' inside [...] or {...}: in a plain text, or as an explicit key. Quoted texts
    (regular expressions in the tracker signatures) are read alike by both."""
    lines = source.splitlines()  # the line ends libyaml counts (the others are refused earlier)
    depth = 0
    try:
        for token in yaml.scan(source, Loader=yaml.CSafeLoader):
            if isinstance(token, _FLOW_START):
                depth += 1
            elif isinstance(token, _FLOW_END):
                depth -= 1
            elif depth and isinstance(token, yaml.ScalarToken) and token.plain and "?" in token.value:
                return True
            elif depth and isinstance(token, yaml.KeyToken):
                mark = token.start_mark
                if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "?":
                    return True
    except yaml.YAMLError:
        return True  # the pure loader words it
    return False


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


def format_path(path: PathKey) -> str:
    """``('cookies', '_ga', 'category')`` -> ``cookies._ga.category``; odd keys are quoted."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_*-]+", part):
            out += f".{part}" if out else part
        else:
            out += f'["{part}"]'
    return out


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
_parsed: OrderedDict[tuple[str, bool, bytes], YamlDocument] = OrderedDict()


def load_yaml(path: Path, display_name: str) -> YamlDocument:
    """Parse one file. Problems are collected in ``issues``; ``data`` is None when unusable."""
    doc = YamlDocument(file=display_name)
    source, doc.issues = read_source(path, display_name)
    if source is None:
        return doc
    # Which reader is in use is part of the key: without libyaml (or with it switched off) the pure one reads.
    key = (display_name, _FAST_LOADER is not None, hashlib.blake2b(source.encode("utf-8"), digest_size=16).digest())
    kept = _parsed.get(key)
    if kept is None:
        kept = _load(source, doc)
        if kept.issues:
            return kept
        _parsed[key] = kept
        if len(_parsed) > _PARSED_KEPT:
            _parsed.popitem(last=False)
    _parsed.move_to_end(key)
    return YamlDocument(display_name, _copied(kept.data), dict(kept.values), dict(kept.keys), [], kept.empty)


_IMMUTABLE = (str, int, float, bool, type(None), dt.date, bytes)


def _copied(value: Any) -> Any:
    """A copy of parsed data, several times faster than ``copy.deepcopy``, which keeps a memo of every
    object for shared and cyclic ones. The loader refuses a cycle and caps what aliases expand to,
    so a value that aliases share is copied for each of them, as bounded as the data itself."""
    if isinstance(value, _IMMUTABLE):
        return value
    if type(value) is dict:
        return {key: _copied(item) for key, item in value.items()}
    if type(value) is list:
        return [_copied(item) for item in value]
    return copy.deepcopy(value)  # a set or tuple of a YAML tag: rare


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
