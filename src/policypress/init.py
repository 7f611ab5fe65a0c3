"""``policypress init``: a new policy project for another organisation, ready to build.

init writes configuration and data only: ``mkdocs.yml`` (with ``plugins: [search,
policypress]``), the hand-written pages of ``docs/`` and ``policy_data/``, from the
templates with ``@@KEY@@`` placeholders under ``skeleton/`` (package data). The engine,
theme partials and stylesheets stay in the installed package (``policypress.mkdocs``),
so a project never holds a copy to keep up to date. The example policy is valid as
written, and a first release 1.0 is made from it, so that ``mkdocs build --strict``
and the consent scan pass in the new folder at once; the facts to replace are
marked ``TODO(fill in)``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import PolicyPressError, UsageError
from .i18n import DEFAULT_LANGUAGES, Lang, Text
from .loader import display_path, load_policy
from .release import create_release
from .schema import write_schemas
from .init_site import SiteInit, init_existing_site, is_existing_site, keep_languages
from .versions import Release, ReleaseClass, build_date

DEFAULT_NAME = "Example Organisation AB"
FIRST_VERSION = "1.0"
TODO = "TODO(fill in)"
# Files whose text has placeholders; every other file is copied byte for byte.
TEMPLATE_SUFFIXES = {".md": "markdown", ".yml": "yaml", ".yaml": "yaml"}
# Ids the example data uses for recipients: the controller's id must differ from them.
EXAMPLE_RECIPIENT_IDS = frozenset({"email_provider"})
FIRST_SUMMARY = Text(
    en="The first version of the privacy policy.",
    sv="Den första versionen av integritetspolicyn.",
    de="Die erste Version der Datenschutzerklärung.",
)


class InitRefused(PolicyPressError):
    """The project cannot be written where asked; nothing was written."""


def skeleton() -> Traversable:
    return files("policypress").joinpath("skeleton")


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    """(relative path, file) for every file of the skeleton, in a stable order."""
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, relative + "/")
        else:
            yield relative, entry


def controller_id(name: str) -> str:
    """An id (``^[a-z][a-z0-9_]*$``) made from the organisation's name: 'Org AB' -> 'org_ab'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:32].strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"org_{slug}".strip("_")
    # Cookies name their provider by id, and the controller shares the namespace with recipients.
    return f"{slug}_org" if slug in EXAMPLE_RECIPIENT_IDS else slug


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise UsageError("--name: the organisation's name is empty")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise UsageError("--name: write the name on one line, without control characters")
    return name


def placeholders(name: str, *, named: bool) -> dict[str, dict[str, str]]:
    """The value of each placeholder, per kind of file (escaped as that kind needs)."""
    quoted = json.dumps(name, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
    todo = "" if named else f"  # {TODO}: the registered name of the organisation"
    return {
        # In YAML templates @@NAME@@ stands only inside block scalars, where any one-line text is safe.
        "yaml": {
            "@@NAME_YAML@@": quoted,
            "@@NAME_TODO@@": todo,
            "@@DESCRIPTION_YAML@@": json.dumps(f"Privacy policy of {name}", ensure_ascii=False),
            "@@ID@@": controller_id(name),
            "@@NAME@@": name,
        },
        "markdown": {"@@NAME@@": html.escape(name, quote=False)},
    }


def _render(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    leftover = re.search(r"@@[A-Z_]+@@", text)
    if leftover:  # a skeleton bug, not the user's: say so plainly
        raise RuntimeError(f"skeleton placeholder {leftover.group(0)} has no value")
    return text


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise InitRefused(f"{display_path(target)} exists and is not a folder; choose a new folder")
    if target.is_dir() and any(target.iterdir()):
        raise InitRefused(
            f"{display_path(target)} is not empty and holds no mkdocs.yml; init writes a new project into a new "
            "or empty folder, or adds a policy to an existing MkDocs site (a folder with mkdocs.yml)"
        )


def _write_skeleton(
    target: Path, name: str, *, named: bool, only: str = "", languages: tuple[Lang, ...] = DEFAULT_LANGUAGES
) -> None:
    """The skeleton's files (those under ``only``, e.g. ``policy_data/``, when given) into ``target``,
    the policy's texts in ``languages``."""
    values = placeholders(name, named=named)
    for relative, source in _walk(skeleton()):
        if not relative.startswith(only):
            continue
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = TEMPLATE_SUFFIXES.get(Path(relative).suffix)
        if kind is None:
            path.write_bytes(source.read_bytes())
        else:
            text = _render(source.read_text(encoding="utf-8"), values[kind])
            if relative.startswith("policy_data/"):
                text = keep_languages(text, languages)
            path.write_text(text, encoding="utf-8")


def _undo(target: Path, created: bool) -> None:
    if created:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def init_project(
    target: Path, name: str = DEFAULT_NAME, effective: dt.date | None = None, *, named: bool = True
) -> Release:
    """Write a new project into ``target`` (new or empty) and release its example policy as 1.0.

    On any failure the folder is left as it was found.
    """
    name = check_name(name)
    when = effective if effective is not None else build_date(dict(os.environ))
    _check_target(target)
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InitRefused(f"{display_path(target)}: cannot create the folder ({exc.strerror})") from None
    try:
        _write_skeleton(target, name, named=named)
        data_dir = target / "policy_data"
        write_schemas(data_dir / "schema")
        load_policy(data_dir)  # the example must be valid as written, whatever the name
        summary = Text({lang.value: FIRST_SUMMARY.get(lang) for lang in DEFAULT_LANGUAGES})
        return create_release(data_dir, FIRST_VERSION, when, ReleaseClass.MATERIAL, summary)
    except BaseException:
        _undo(target, created)
        raise


def init_site(
    target: Path, name: str = DEFAULT_NAME, effective: dt.date | None = None, *, named: bool = True
) -> SiteInit:
    """Add a policy to the existing MkDocs site in ``target`` (see ``policypress.init_site``)."""
    name = check_name(name)

    def write_data(data_dir: Path, languages: tuple[Lang, ...]) -> None:
        _write_skeleton(data_dir.parent, name, named=named, only="policy_data/", languages=languages)

    return init_existing_site(target, write_data, FIRST_SUMMARY, effective)

