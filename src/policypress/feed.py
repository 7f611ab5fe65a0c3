"""An Atom 1.0 feed of the releases, one feed per language.

One entry per release, upcoming ones included (they are published before their
effective date so that readers are told in advance). Every date and id comes from
the release data, never from the clock: two builds of the same commit write the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .escape import UnsafeURL, safe_url, xml_text
from .i18n import Lang
from .locales import message
from .site import archive_slug, changes_slug, page_url, policy_src
from .ui import ui
from .versions import History

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CLASS_SCHEME = "urn:policypress:change-class"
STATUS_SCHEME = "urn:policypress:release-status"

# The feed's words are in locales/<lang>.yaml: feed.feed_title, feed.entry_title, feed.kind.*, feed.upcoming.


def _q(tag: str) -> str:
    # Atom elements are written unprefixed under the default namespace declared on <feed>
    # (ElementTree's default_namespace option refuses the unqualified attributes Atom uses).
    return tag


def rfc3339(day: dt.date) -> str:
    """Midnight UTC of ``day``: a release takes effect on a day, not at a time."""
    return f"{day.isoformat()}T00:00:00Z"


def site_urls(
    base_url: str, lang: Lang, *, use_directory_urls: bool = True
) -> Callable[[str, str], str]:
    """The default for ``changes_url``: ``(old, new)`` gives the absolute URL of the
    "what changed" page from ``old`` to ``new``, or of the release page of ``new``
    when ``old`` is ``""`` (the first release has nothing to compare with)."""
    base = base_url if base_url.endswith("/") else base_url + "/"

    def url(old: str, new: str) -> str:
        src = policy_src(lang, new) if not old else policy_src(lang, changes_slug(lang), f"{old}-{new}")
        return base + page_url(src, use_directory_urls=use_directory_urls)

    return url


def _feed_uri(url: str) -> bool:
    """Whether ``url`` may be offered to feed readers as a link; `policypress check` reports the others."""
    if not url:
        return False
    try:
        safe_url(url)
    except UnsafeURL:
        return False
    return True


def feed_path(lang: Lang) -> str:
    """Where the feed of ``lang`` is placed in the site: ``en/feed.xml``."""
    return f"{lang.value}/feed.xml"


def atom_feed(
    history: History,
    lang: Lang,
    *,
    today: dt.date,
    base_url: str,
    changes_url: Callable[[str, str], str] | None = None,
    use_directory_urls: bool = True,
) -> str:
    """The Atom feed of ``history`` in ``lang``, as a string (UTF-8 XML with its declaration).

    ``base_url`` is the absolute URL of the site's root (or ``"../"``, relative to the
    feed at ``<lang>/feed.xml``, when the site's address is not known). ``changes_url(old, new)`` gives
    the link of each entry (see ``site_urls``, the default). ``today`` (the build date)
    only marks which releases are upcoming: a ``<category>`` in the status scheme.
    """
    lang = Lang(lang)
    base = base_url if base_url.endswith("/") else base_url + "/"
    link_for = changes_url or site_urls(base, lang, use_directory_urls=use_directory_urls)
    releases = history.releases
    latest = history.latest
    first = releases[0] if releases else None

    # With no release yet the draft names the policy; the date is the build date, which
    # a reproducible build pins (POLICY_DATE or SOURCE_DATE_EPOCH).
    policy = latest.policy if latest is not None else history.draft
    controller = policy.controller
    year = first.effective.year if first is not None else today.year
    tag = f"tag:policypress,{year}:{controller.id}/{lang.value}"
    updated = max((r.effective for r in releases), default=today)

    feed = ET.Element(_q("feed"), {"xmlns": ATOM, XML_LANG: lang.value})
    ET.SubElement(feed, _q("id")).text = tag
    # ElementTree escapes markup; xml_text drops what XML cannot carry at all (so the feed parses).
    ET.SubElement(feed, _q("title")).text = xml_text(message("feed.feed_title", lang, title=policy.meta.title.get(lang)))
    ET.SubElement(feed, _q("updated")).text = rfc3339(updated)
    author = ET.SubElement(feed, _q("author"))
    ET.SubElement(author, _q("name")).text = xml_text(controller.legal_name)
    if _feed_uri(controller.website):
        ET.SubElement(author, _q("uri")).text = xml_text(controller.website.strip())
    ET.SubElement(feed, _q("link"), {"rel": "self", "type": "application/atom+xml", "href": base + feed_path(lang)})
    archive = base + page_url(policy_src(lang, archive_slug(lang)), use_directory_urls=use_directory_urls)
    ET.SubElement(feed, _q("link"), {"rel": "alternate", "type": "text/html", "href": archive})
    ET.SubElement(feed, _q("generator")).text = "policypress"

    previous: dict[str, str] = {}
    for older, newer in history.pairs():
        previous[newer.version] = older.version

    for release in reversed(releases):  # newest first
        manifest = release.manifest
        kind = manifest.change_class.value
        old = previous.get(release.version, "")
        entry = ET.SubElement(feed, _q("entry"))
        ET.SubElement(entry, _q("id")).text = f"{tag}/{release.version}"
        ET.SubElement(entry, _q("title")).text = message("feed.entry_title", lang, version=release.version, kind=message(f"feed.kind.{kind}", lang))
        ET.SubElement(entry, _q("published")).text = rfc3339(release.effective)
        ET.SubElement(entry, _q("updated")).text = rfc3339(release.effective)
        ET.SubElement(
            entry, _q("link"), {"rel": "alternate", "type": "text/html", "href": link_for(old, release.version)}
        )
        ET.SubElement(
            entry, _q("category"), {"scheme": CLASS_SCHEME, "term": kind, "label": ui(f"class.{kind}", lang)}
        )
        if release.effective > today:
            ET.SubElement(
                entry, _q("category"), {"scheme": STATUS_SCHEME, "term": "upcoming", "label": message("feed.upcoming", lang)}
            )
        ET.SubElement(entry, _q("summary"), {"type": "text"}).text = xml_text(manifest.summary.get(lang))

    ET.indent(feed, space="  ")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
