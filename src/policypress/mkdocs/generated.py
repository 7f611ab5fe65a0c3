"""Our pages as MkDocs sees them: a file that knows whether it changed, and a page whose HTML is ours.

A dirty build (`mkdocs serve --dirty`, as `make serve` runs it) renders only the pages whose file
says ``is_modified()``. A page's body is rendered by the engine and handed over in
``on_page_content``; MkDocs' Markdown (a new converter with every configured extension, for each
page) would only convert the front matter's empty body, so our page skips it. MkDocs reuses a
``File.page`` set by a plugin (its navigation and the build look there first).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc


class GeneratedFile(File):
    """A generated page's file: modified when what the page shows has changed since the last build."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


class GeneratedPage(Page):
    """A generated page: the front matter is read as for any page (title, search exclusion), and
    the body is left empty until ``on_page_content`` puts in the engine's HTML, toc and anchors."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
