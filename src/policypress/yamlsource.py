"""Reading YAML safely, with the position of every value kept for error messages.

Three things PyYAML does not do on its own:
- duplicate keys are an error (``safe_load`` silently keeps the last one, so
  a fact written twice would quietly lose one of its versions);
- anchors and aliases may not expand beyond ``MAX_EXPANDED_NODES`` (a
  "billion laughs" file is a few hundred bytes and expands to gigabytes);
- only ``true``/``false`` are booleans and dates stay strings (YAML 1.1 would
  read the country code ``NO`` as ``False`` and ``2025-01-01`` as a date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import DataIssue

# A real policy has a few thousand nodes; this leaves room for any honest use of anchors.
MAX_EXPANDED_NODES = 100_000

PathKey = tuple[str | int, ...]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _PolicyLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and no implicit dates."""


_PolicyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PolicyLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


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


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """Number of nodes ``node`` stands for once every alias is expanded."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_EXPANDED_NODES + 1  # a node that contains itself is treated as too large
    size = 1
    if isinstance(node, MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo) + _expanded_size(v, memo)
            if size > MAX_EXPANDED_NODES:
                break
    elif isinstance(node, SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo)
            if size > MAX_EXPANDED_NODES:
                break
    memo[key] = size
    return size


def _index(node: Node, path: PathKey, doc: YamlDocument) -> None:
    doc.values[path] = _pos(node.start_mark)
    if isinstance(node, MappingNode):
        first_seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = key_node.value if isinstance(key_node, ScalarNode) else repr(key_node)
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


def load_yaml(path: Path, display_name: str) -> YamlDocument:
    """Parse one file. Problems are collected in ``issues``; ``data`` is None when unusable."""
    doc = YamlDocument(file=display_name)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        doc.issues.append(DataIssue(display_name, 0, 0, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return doc
    loader = _PolicyLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return doc
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            doc.issues.append(
                DataIssue(
                    display_name,
                    1,
                    1,
                    "",
                    f"anchors and aliases expand to more than {MAX_EXPANDED_NODES:,} values; "
                    "refusing to read it (write the data out instead of nesting aliases)",
                )
            )
            return doc
        _index(node, (), doc)
        # With duplicate keys the data is still constructed, so that every other
        # problem is reported in the same run; the duplicates keep the load failing.
        doc.data = loader.construct_document(node)
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
