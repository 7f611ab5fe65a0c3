"""An existing site's ``mkdocs.yml``: read the facts ``init`` needs, and add the plugin as a text edit.

The file belongs to the site: its comments, order, quoting and tags (``!ENV``,
``!!python/name:``) must survive, so the plugin is added by inserting one line
into the text, never by loading and dumping YAML. The result is read back and
compared with the original, so a file this edit does not understand is refused
rather than damaged. No MkDocs import: the file is read as plain YAML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import PolicyPressError

PLUGIN = "policypress"
# MkDocs enables `search` only while `plugins:` is absent; a list we write must name it.
DEFAULT_PLUGINS = ("search",)


class SiteConfigError(PolicyPressError):
    """mkdocs.yml cannot be read, or the plugin cannot be added to it safely."""


class _TolerantLoader(yaml.SafeLoader):
    """Reads any tag as its plain value: init needs facts, not Python objects."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # `!ENV [NAME, default]` / `!ENV NAME`: what a build without NAME gets.
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node, deep=True)
        return values[-1] if len(values) > 1 else None
    return None


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_multi_constructor("", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def read_config_text(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise SiteConfigError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SiteConfigError(f"{where}: expected a mapping of settings at the top")
    return data


@dataclass(frozen=True)
class SiteFacts:
    """What init reads from an existing site's configuration."""

    site_name: str
    theme_language: str | None
    alternate_languages: tuple[str, ...]
    has_plugin: bool

    @property
    def languages(self) -> tuple[str, ...]:
        """The site's languages, the theme's first, each once."""
        found = [self.theme_language] if self.theme_language else []
        found += self.alternate_languages
        return tuple(dict.fromkeys(lang.lower() for lang in found))


def plugin_names(plugins: object) -> list[str]:
    if isinstance(plugins, Mapping):
        return [str(name) for name in plugins]
    if isinstance(plugins, list):
        return [str(next(iter(item))) if isinstance(item, Mapping) and item else str(item) for item in plugins]
    return []


def site_facts(config: Mapping[str, Any]) -> SiteFacts:
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, Mapping) else None
    extra = config.get("extra") if isinstance(config.get("extra"), Mapping) else {}
    alternates = extra.get("alternate") if isinstance(extra, Mapping) else None
    langs = tuple(
        str(alt["lang"]) for alt in (alternates if isinstance(alternates, list) else [])
        if isinstance(alt, Mapping) and alt.get("lang")
    )
    return SiteFacts(
        site_name=str(config.get("site_name") or ""),
        theme_language=str(language) if language else None,
        alternate_languages=langs,
        has_plugin=PLUGIN in plugin_names(config.get("plugins")),
    )


_TOP_KEY = re.compile(r"^plugins[ \t]*:(?P<rest>[^\n]*)$", re.MULTILINE)


def _strip_comment(rest: str) -> str:
    return re.sub(r"(^|\s)#.*$", "", rest).strip()


def _block_end(lines: list[str], start: int) -> tuple[int, str | None, bool]:
    """Index after the last content line of the block under ``lines[start]`` (``plugins:``), the
    indentation of its items, and whether they are list items (``- x``) or mapping keys."""
    last = start
    indent: str | None = None
    is_list = True
    for i in range(start + 1, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        # A block sequence may sit at the key's own column (`- search` at column 0).
        if not line[:1].isspace() and not line.startswith("-"):
            break
        if indent is None:
            indent = line[: len(line) - len(line.lstrip())]
            is_list = line.lstrip().startswith("-")
        last = i
    return last + 1, indent, is_list


def add_plugin(text: str, option_lines: tuple[str, ...] = ()) -> str:
    """``text`` with ``- policypress`` (and ``option_lines`` under it) added to ``plugins``; every
    other line stays as it was. Raises ``SiteConfigError`` where that cannot be done safely."""
    before = read_config_text(text, "mkdocs.yml")
    if PLUGIN in plugin_names(before.get("plugins")):
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    match = _TOP_KEY.search(text)
    if match is None:
        tail = "" if not text or text.endswith(("\n", "\r")) else newline
        block = [f"# Added by `policypress init`: MkDocs uses `search` by default only while `plugins:` is absent.",
                 "plugins:", *(f"  - {name}" for name in DEFAULT_PLUGINS), *_entry("  ", True, option_lines)]
        result = text + tail + newline.join(block) + newline
    else:
        rest = _strip_comment(match.group("rest"))
        if rest.startswith("[") and rest.endswith("]"):
            inner = rest[1:-1].strip()
            if option_lines:
                raise SiteConfigError("mkdocs.yml lists plugins: [...] on one line; add the policypress options by hand")
            new_rest = match.group("rest").replace(rest, f"[{inner + ', ' if inner else ''}{PLUGIN}]", 1)
            result = text[: match.start("rest")] + new_rest + text[match.end("rest"):]
        elif rest:
            raise SiteConfigError(f"mkdocs.yml: 'plugins: {rest}' is not a list this edit understands; add `- {PLUGIN}` by hand")
        else:
            lines = text.splitlines(keepends=True)
            start = text[: match.start()].count("\n")
            end, indent, is_list = _block_end(lines, start)
            indent = "  " if indent is None else indent
            insert = "".join(line + newline for line in _entry(indent, is_list, option_lines))
            if end > 0 and not lines[end - 1].endswith(("\n", "\r")):
                lines[end - 1] += newline
            result = "".join(lines[:end]) + insert + "".join(lines[end:])
    after = read_config_text(result, "mkdocs.yml (after the edit)")
    _check_same_but_plugins(before, after)
    return result


def _entry(indent: str, is_list: bool, option_lines: tuple[str, ...]) -> list[str]:
    if not is_list:
        return [f"{indent}{PLUGIN}:" + ("" if option_lines else " {}"), *(f"{indent}  {o}" for o in option_lines)]
    return [f"{indent}- {PLUGIN}" + (":" if option_lines else ""), *(f"{indent}    {o}" for o in option_lines)]


def _check_same_but_plugins(before: dict[str, Any], after: dict[str, Any]) -> None:
    others_before = {k: v for k, v in before.items() if k != "plugins"}
    others_after = {k: v for k, v in after.items() if k != "plugins"}
    names_before, names_after = plugin_names(before.get("plugins")), plugin_names(after.get("plugins"))
    expected = (names_before or list(DEFAULT_PLUGINS)) + [PLUGIN]
    if others_before != others_after or names_after != expected:
        raise SiteConfigError(
            f"mkdocs.yml: adding `- {PLUGIN}` under plugins: would change more than that in this file; add it by hand"
        )


def read_site(path: Path) -> tuple[str, SiteFacts]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigError(f"{path}: cannot read it ({exc})") from None
    return text, site_facts(read_config_text(text, str(path)))
