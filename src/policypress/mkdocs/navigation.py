"""Where the generated pages go in MkDocs' navigation, and one navigation per language."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from policypress import site
from policypress.i18n import Lang


def is_language_site(src_uris: Sequence[str], languages: Sequence[Lang]) -> bool:
    """Whether the site is laid out as one folder per policy language (``en/``, ``sv/``; an init
    project), at least two of them, with nothing else but root pages such as a language chooser.
    Only such a site gets one menu per language; any other keeps the navigation it has."""
    if len(languages) < 2:
        return False
    folders = {uri.split("/")[0] for uri in src_uris if "/" in uri}
    return folders == {lang.value for lang in languages}


def pages_of(section: Section) -> Iterator[Page]:
    for child in section.children:
        if isinstance(child, Page):
            yield child
        elif isinstance(child, Section):
            yield from pages_of(child)


def _find_section(items: Sequence[object], title: str) -> Section | None:
    for item in items:
        if isinstance(item, Section):
            if item.title == title:
                return item
            found = _find_section(item.children, title)
            if found is not None:
                return found
    return None


def place_pages(nav: Navigation, pages: Sequence[Page], section_title: str | None) -> None:
    """Add ``pages`` (absent from the site's own ``nav:``) to its top level, or to the section
    titled ``section_title`` (a new one at the end when the site has none of that name)."""
    if not pages:
        return
    if section_title is None:
        for page in pages:
            page.parent = None
        nav.items.extend(pages)
    else:
        section = _find_section(nav.items, section_title)
        if section is None:
            section = Section(section_title, [])
            nav.items.append(section)
        for page in pages:
            page.parent = section
        section.children.extend(pages)
    # nav.pages is the reading order (previous/next links): keep it that of the items.
    nav.pages[:] = [page for page in _all_pages(nav.items)]
    for previous, following in zip(nav.pages, nav.pages[1:]):
        previous.next_page, following.previous_page = following, previous


def _all_pages(items: Sequence[object]) -> Iterator[Page]:
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from pages_of(item)


def language_navs(nav: Navigation, languages: Sequence[Lang]) -> dict[Lang, Navigation]:
    """For each top-level section whose pages all live in one language folder (``en/``, ``sv/``):
    one flat menu of that language (home, policy, archive, ...), and previous/next links
    that stay within it. Sections mixing languages are left as the site wrote them."""
    navs: dict[Lang, Navigation] = {}
    for item in nav.items:
        if not isinstance(item, Section):
            continue
        pages = list(pages_of(item))
        folders = {page.file.src_uri.split("/")[0] for page in pages}
        if len(folders) != 1 or not folders <= {lang.value for lang in languages}:
            continue
        for previous, following in zip(pages, pages[1:]):
            previous.next_page, following.previous_page = following, previous
        pages[0].previous_page, pages[-1].next_page = None, None
        navs[site.page_language(pages[0].file.src_uri, languages)] = Navigation(pages, pages)
    return navs
