"""The YAML readers: PyYAML's pure loader made strict, and the same on libyaml's events.

What PyYAML does not do on its own, and these loaders do:
- duplicate keys are an error (``safe_load`` silently keeps the last one, so
  a fact written twice would quietly lose one of its versions);
- only ``true``/``false`` are booleans and dates stay strings (YAML 1.1 would
  read the country code ``NO`` as ``False`` and ``2025-01-01`` as a date);
- only plain data: no tags at all (``!!binary``, ``!!python/object``, ``!custom``,
  ``!!set``, even ``!!str``): text, numbers, true/false, lists and mappings;
- limits, so that no file can hang or crash a build: ``MAX_DEPTH`` levels of nesting,
  ``MAX_EXPANDED_NODES`` values once anchors and aliases are expanded ("billion laughs"),
  ``MAX_STRING_CHARS`` per text, and no control characters (see ``FORBIDDEN_CHARS``),
  raw or written as escapes.
"""

from __future__ import annotations

import re
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
# The real data nests 6 levels deep; PyYAML's composer recurses and dies near 300.
MAX_DEPTH = 64
# The longest real text is about 1,000 characters.
MAX_STRING_CHARS = 100_000
# Numbers in policy data are small; a bigger one is a mistake (and Python refuses to
# print integers of more than 4,300 digits, which would crash an error message).
MAX_INTEGER = 2**63 - 1

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
