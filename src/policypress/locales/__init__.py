"""The package's own texts (table headings, version lines, banner texts, vocabulary labels,
durations, page titles and slugs, the diff's words): one YAML file per language, one key space.

``en.yaml`` is the reference: every other file has exactly its keys and placeholders
(tests/test_languages.py). A project may add languages, or reword ours, with a folder of its
own (the plugin's ``locales_dir``): a file there overrides the shipped file of its language key
by key, and a language we do not ship must give every key.

The files are read once per process and cached; texts are looked up by key and language.
"""

from __future__ import annotations

import re
import stat
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import UsageError
from ..i18n import Lang, Text, languages_list

SHIPPED_DIR = Path(__file__).parent
REFERENCE = Lang.EN
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# The project's own locale folder, set by the builder for the build it runs (None: ours only).
_project_dir: Path | None = None


@lru_cache(maxsize=None)
def read_locale(path: Path, stamp: tuple[int, int] = (0, 0)) -> dict[str, str]:
    """One locale file: a flat mapping of key to text (``stamp``: its time and size, read again when they change)."""
    try:
        text = path.read_text(encoding="utf-8")
        try:  # libyaml for a valid file (a tenth of the time); the pure parser words an error
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: cannot read this locale file ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()):
        raise UsageError(f"{path}: a locale file maps each key to a non-empty text (key: text, one a line)")
    return data


def shipped_languages() -> tuple[Lang, ...]:
    """The reference first, then the others by tag."""
    others = sorted(path.stem for path in SHIPPED_DIR.glob("*.yaml") if path.stem != REFERENCE.value)
    return (REFERENCE, *(Lang(code) for code in others))


def use_project_dir(path: Path | None) -> None:
    """The builder's ``locales_dir`` for the build about to run (None for none)."""
    global _project_dir
    if path is not None and not path.is_dir():
        raise UsageError(f"locales_dir: {path}: no such folder (one <language>.yaml per language, such as fr.yaml)")
    _project_dir = path
    _found.clear()  # a build looks again: `mkdocs serve` sees a locale file added or edited since the last


# Each language's files as this build found them, with their times and sizes: every text looked up
# asks, thousands of times a build, and the files are looked at once per build (use_project_dir).
_found: dict[Lang, tuple[tuple[Path, tuple[int, int]], ...]] = {}


def _files(lang: Lang) -> tuple[tuple[Path, tuple[int, int]], ...]:
    if lang not in _found:
        files = [SHIPPED_DIR / f"{lang.value}.yaml"]
        if _project_dir is not None:
            files.append(_project_dir / f"{lang.value}.yaml")
        found = []
        for path in files:
            try:
                info = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((path, (info.st_mtime_ns, info.st_size)))
        _found[lang] = tuple(found)
    return _found[lang]


@lru_cache(maxsize=None)
def _catalog(lang: Lang, files: tuple[tuple[Path, tuple[int, int]], ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path, stamp in files:
        merged.update(read_locale(path, stamp))
    return merged


def catalog(lang: Lang | str) -> dict[str, str]:
    """Every text of one language (the project's file over ours)."""
    lang = Lang(lang)
    files = _files(lang)
    if not files:
        raise UsageError(missing_locale_message([lang]))
    return _catalog(lang, files)


def available_languages() -> tuple[Lang, ...]:
    langs = list(shipped_languages())
    if _project_dir is not None:
        langs += [Lang(path.stem) for path in sorted(_project_dir.glob("*.yaml")) if Lang(path.stem) not in langs]
    return tuple(langs)


def missing_locale_message(langs: list[Lang]) -> str:
    shown = ", ".join(f"'{lang}'" for lang in langs)
    return (
        f"no locale file for {shown}: policypress ships {languages_list(shipped_languages())}; "
        "give the project's own with the plugin option locales_dir (a folder with one <language>.yaml per language)"
    )


def locale_issues(lang: Lang) -> list[str]:
    """What a language's texts lack against the reference: missing keys, other placeholders."""
    reference = catalog(REFERENCE)
    texts = catalog(lang)
    problems = [f"no text for '{key}'" for key in reference if key not in texts]
    for key, value in texts.items():
        if key in reference and set(_PLACEHOLDER.findall(value)) != set(_PLACEHOLDER.findall(reference[key])):
            problems.append(f"'{key}' must use the placeholders of en.yaml: {reference[key]!r}")
    return problems


def message(key: str, lang: Lang | str, **values: object) -> str:
    """One text in one language, its ``{placeholders}`` filled when values are given."""
    try:
        value = catalog(lang)[key]
    except KeyError:
        raise KeyError(f"no locale text '{key}' for '{lang}'") from None
    return value.format(**values) if values else value


def locale_text(key: str) -> Text:
    """One key in every available language, as a ``Text`` (vocabulary labels, exports)."""
    return Text({lang.value: catalog(lang)[key] for lang in available_languages() if key in catalog(lang)})


def prefixed(prefix: str, lang: Lang | str) -> dict[str, str]:
    """The texts whose keys start with ``prefix``, keyed by the rest (Material's theme texts)."""
    return {key[len(prefix):]: value for key, value in catalog(lang).items() if key.startswith(prefix)}


def check_languages(langs: tuple[Lang, ...] | list[Lang]) -> None:
    """Every language of a policy needs a complete locale: raise one error naming all that lack one."""
    missing = [lang for lang in langs if not _files(lang)]
    if missing:
        raise UsageError(missing_locale_message(missing))
    problems = [f"{lang}.yaml: {problem}" for lang in langs for problem in locale_issues(lang)]
    if problems:
        raise UsageError("the locale texts are incomplete:\n  " + "\n  ".join(problems))
