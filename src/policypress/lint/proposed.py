"""Facts awaiting the data owner or the legal review: one warning per proposed fact or review note."""

from __future__ import annotations

from ..proposed import REVIEW, open_facts
from . import rules
from .context import LintContext


def check_open_facts(ctx: LintContext) -> None:
    for fact in open_facts(ctx.policy):
        if fact.kind == REVIEW:
            ctx.report(
                rules.LEGAL_REVIEW_NOTE, fact.file, fact.path,
                f"{fact.what} has a note for the legal review",
                "have the lawyer decide: reword or strike the text, then remove the 'review' note",
            )
        else:
            ctx.report(
                rules.NEEDS_CONFIRMATION, fact.file, fact.path,
                f"{fact.what} is proposed, not confirmed",
                "have the data owner confirm the fact (then remove its 'proposed' status) or correct it",
                needs_input=True,
            )


CHECKS = (check_open_facts,)
