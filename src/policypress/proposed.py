"""Facts that await the data owner: proposed facts and questions for the legal review.

One list, used three ways: the lint reports each as a warning, a build that is not a
preview refuses a release that has any, and ``policypress release`` refuses to freeze
a draft that has any. Each is pinned to file:line, so the data owner finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import PolicyPressError
from .loader import DataDocuments
from .model import Policy, Subsection
from .versions import History
from .vocabulary import FactStatus
from .yamlsource import PathKey, format_path

PROPOSED = "proposed"  # a fact someone wrote for the data owner to confirm
REVIEW = "review"  # a question for the legal review on a paragraph


@dataclass(frozen=True)
class OpenFact:
    kind: str  # PROPOSED or REVIEW
    file: str  # the data file's name, such as recipients.yaml
    path: PathKey  # where in the file: the status entry, or the block's review note
    what: str  # the fact, as the data names it: recipients.mailchimp.transfer

    @property
    def shown_path(self) -> str:
        return format_path(self.path)


def _blocks(base: PathKey, part: Subsection) -> list[OpenFact]:
    found = []
    for i, block in enumerate(part.body):
        where = (*base, "body", i)
        if block.status is FactStatus.PROPOSED:
            found.append(OpenFact(PROPOSED, "sections.yaml", (*where, "status"), format_path(where)))
        if block.review is not None:
            found.append(OpenFact(REVIEW, "sections.yaml", (*where, "review"), format_path(where)))
    return found


def open_facts(policy: Policy) -> list[OpenFact]:
    """Every proposed fact and every review note of ``policy``, in file order."""
    found: list[OpenFact] = []
    for activity_id, activity in policy.activities.activities.items():
        for fact, state in activity.status.items():
            if state is FactStatus.PROPOSED:
                what = format_path(("activities", activity_id, fact.value))
                found.append(OpenFact(PROPOSED, "activities.yaml", ("activities", activity_id, "status", fact.value), what))
    for recipient_id, recipient in policy.recipients.items():
        for rfact, state in recipient.status.items():
            if state is FactStatus.PROPOSED:
                what = format_path(("recipients", recipient_id, rfact.value))
                found.append(OpenFact(PROPOSED, "recipients.yaml", ("recipients", recipient_id, "status", rfact.value), what))
    for name, cookie in policy.cookies.items():
        for cfact, state in cookie.status.items():
            if state is FactStatus.PROPOSED:
                what = format_path(("cookies", name, cfact.value))
                found.append(OpenFact(PROPOSED, "cookies.yaml", ("cookies", name, "status", cfact.value), what))
    for hfact, state in policy.rights.status.items():
        if state is FactStatus.PROPOSED:
            found.append(OpenFact(PROPOSED, "rights.yaml", ("status", hfact.value), hfact.value))
    for section_id, section in policy.sections.items():
        found += _blocks(("sections", section_id), section)
        for sub_id, sub in section.subsections.items():
            found += _blocks(("sections", section_id, "subsections", sub_id), sub)
    return found


class PositionedFacts:
    """Reads each data file once for the positions (the model keeps none)."""

    def __init__(self, data_dir: Path) -> None:
        self.files = DataDocuments(data_dir)

    def where(self, fact: OpenFact) -> str:
        doc = self.files.document(fact.file)
        pos = doc.position(fact.path)
        return f"{doc.file}:{pos.line}:{pos.column}"


def describe(fact: OpenFact) -> str:
    if fact.kind == REVIEW:
        return f"{fact.what}: has a review note for the legal review"
    return f"{fact.what}: proposed, not confirmed by the data owner"


def listing(policy: Policy, data_dir: Path) -> list[str]:
    """One line per open fact: ``file:line:column: what``."""
    positions = PositionedFacts(data_dir)
    return [f"{positions.where(fact)}: {describe(fact)}" for fact in open_facts(policy)]


class UnconfirmedFacts(PolicyPressError):
    """A release (or a draft about to be released) still holds proposed facts or review notes."""


def refuse_unconfirmed(policy: Policy, data_dir: Path, label: str, action: str) -> None:
    """Raise ``UnconfirmedFacts`` naming each open fact when ``policy`` has any.

    ``label`` names the edition ("release 2.0", "the draft"); ``action`` what is refused."""
    lines = listing(policy, data_dir)
    if not lines:
        return
    noun = "fact needs" if len(lines) == 1 else "facts need"
    raise UnconfirmedFacts(
        f"{action}: {label} has {len(lines)} {noun} the data owner's confirmation or the legal review "
        "(confirm each and remove its 'status: proposed', or resolve and remove the 'review' note):\n"
        + "\n".join(f"  {line}" for line in lines)
    )


def refuse_unconfirmed_releases(history: History) -> None:
    """A published site states every release as true: refuse one with an open fact (previews mark them)."""
    problems: list[str] = []
    for release in history.releases:
        try:
            refuse_unconfirmed(release.policy, release.path, f"release {release.version}", "cannot publish the site")
        except UnconfirmedFacts as exc:
            problems.append(str(exc))
    if problems:
        raise UnconfirmedFacts("\n".join(problems) + "\n(a preview build, `make preview`, shows them marked)")
