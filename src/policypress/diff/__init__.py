"""Differences between two versions of a policy, and the reports a reviewer reads.

``diff_policies`` compares by id and returns every ``Change``; ``render_diff``
writes the report for the CLI (text, markdown, html, json);
``render_changes_fragment`` and ``fragment_headings`` give the body and the
table of contents of a site's "what changed" page.
"""

from __future__ import annotations

from .describe import ChangeDescription, Subject, describe_change
from .html import fragment_headings, render_changes_fragment, segments_html
from .model import Action, Change, Entity, PolicyDiff, format_path
from .prose import Op, ParagraphDiff, ProseDiff, SectionDiff, Segment, Status, prose_diff, word_diff
from .report import DiffFormat, render_diff
from .structured import diff_policies

__all__ = [
    "Action",
    "Change",
    "ChangeDescription",
    "DiffFormat",
    "Entity",
    "Op",
    "ParagraphDiff",
    "PolicyDiff",
    "ProseDiff",
    "SectionDiff",
    "Segment",
    "Status",
    "Subject",
    "describe_change",
    "diff_policies",
    "format_path",
    "fragment_headings",
    "prose_diff",
    "render_changes_fragment",
    "render_diff",
    "segments_html",
    "word_diff",
]
