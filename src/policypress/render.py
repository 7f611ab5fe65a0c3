"""Render the policy to HTML with Jinja2. Every string from the data is escaped here.

The result is an HTML fragment (the page body) and the headings for the table
of contents; a site builder (our MkDocs hooks) places it into its theme.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .buildcache import safe_folder
from .i18n import Lang, Text
from .model import Policy
from .scan.transparency import PLACEHOLDER as SCAN_NOTE_PLACEHOLDER
from .tables import Code, build_table
from .ui import ui
from .vocabulary import FactStatus

# A URL in running text; trailing punctuation belongs to the sentence, not the link.
_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)"
_ID = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class RenderedPage:
    title: str
    html: str
    headings: tuple[Heading, ...]

    @property
    def anchor_ids(self) -> frozenset[str]:
        """Every id in the page, so that links to ``#table-cookies`` can be checked."""
        return frozenset(_ID.findall(self.html))


def linkify(value: str) -> Markup:
    """Escape ``value`` and turn the URLs in it into links."""
    out = []
    pos = 0
    for match in _URL.finditer(value):
        url = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        out.append(escape(value[pos:start]))
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        pos = end
    out.append(escape(value[pos:]))
    return Markup("").join(out)


@cache
def template_environment() -> Environment:
    """The package's one Jinja2 environment: autoescaping on, templates compiled once per process."""
    env = Environment(
        loader=PackageLoader("policypress", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["linkify"] = linkify
    env.tests["code"] = lambda value: isinstance(value, Code)
    return env


def templates_fingerprint() -> str:
    """The sha256 of every template's source as the environment loads it, and of the versions of
    the libraries that render them: what a cached rendering was made with."""
    env = template_environment()
    assert env.loader is not None
    digest = hashlib.sha256()
    for dependency in ("jinja2", "markupsafe", "babel"):
        digest.update(f"{dependency}={package_version(dependency)}\n".encode())
    for name in sorted(env.loader.list_templates()):
        source, _, _ = env.loader.get_source(env, name)
        digest.update(f"{name}\n{len(source)}\n{source}".encode())
    return digest.hexdigest()


def use_cache_dir(cache_dir: Path) -> None:
    """Keep our compiled templates in ``cache_dir/jinja`` (a build's ``.cache/policypress``), so
    that a new process loads their bytecode instead of compiling them again. Jinja keys each
    entry by the template's name and checksums its source, and writes it atomically."""
    env = template_environment()
    current = env.bytecode_cache
    if isinstance(current, FileSystemBytecodeCache) and Path(current.directory) == cache_dir.absolute() / "jinja":
        return
    folder = safe_folder(cache_dir, "jinja")
    if folder is None:
        return  # a read-only checkout (or a symlinked cache) builds without the cache
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def _controller_facts(policy: Policy, lang: Lang) -> list[tuple[str, str]]:
    controller = policy.controller
    facts = [
        ("controller.organisation_number", controller.organisation_number),
        ("controller.address", controller.address),
        ("controller.email", controller.email),
        ("controller.phone", controller.phone),
        ("controller.website", controller.website),
    ]
    if controller.dpo is not None:
        dpo = ", ".join(part for part in (controller.dpo.name, controller.dpo.email, controller.dpo.phone) if part)
        facts.append(("controller.dpo", dpo))
    # Empty facts are left out of the page; `policypress check` and the lint report them.
    return [(ui(key, lang), value) for key, value in facts if value]


def render_template(name: str, **context: object) -> str:
    return template_environment().get_template(name).render(**context)


def render_policy_page(
    policy: Policy, lang: Lang, *, header: str = "", scan_note_slot: bool = False, preview: bool = False,
    added: frozenset[str] = frozenset(),
) -> RenderedPage:
    """The whole policy as one page in ``lang``. ``header`` is trusted HTML shown above it
    (the version line and notices, built from escaped parts by ``pages``). ``preview`` shows
    proposed facts and review notes, marked; ``added``: data paths the data owner added (provenance)."""
    def t(value: Text) -> str:
        return value.get(lang)

    headings: list[Heading] = []
    sections = []
    for section_id, section in policy.sections.items():
        headings.append(Heading(2, section_id, t(section.title)))
        subsections = []
        for sub_id, sub in section.subsections.items():
            anchor = f"{section_id}--{sub_id}"
            headings.append(Heading(3, anchor, t(sub.title)))
            subsections.append((anchor, sub, [build_table(kind, policy, lang, preview=preview, added=added) for kind in sub.tables]))
        tables = [build_table(kind, policy, lang, preview=preview, added=added) for kind in section.tables]
        sections.append((section_id, section, tables, subsections))
    headings.append(Heading(2, "controller", ui("controller.heading", lang)))

    html = template_environment().get_template("policy.html.j2").render(
        lang=lang.value,
        t=t,
        ui=lambda key: ui(key, lang),
        policy=policy,
        sections=sections,
        controller_facts=_controller_facts(policy, lang),
        header=Markup(header),
        scan_note_slot=Markup(SCAN_NOTE_PLACEHOLDER) if scan_note_slot else "",
        preview=preview,
        proposed_mark=FactStatus.PROPOSED.label(lang),
        review_title=ui("review.title", lang),
    )
    return RenderedPage(title=t(policy.meta.title), html=html, headings=tuple(headings))
