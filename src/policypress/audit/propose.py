"""What an audit's findings ask of the data and of the site: proposed declarations, and an issue.

An undeclared cookie or storage key that a tracker signature knows becomes a draft entry of
``cookies.yaml``: its id, provider and category from the signature, its duration from the lifetime
the audit observed, and those facts and its purpose marked ``status: {…: proposed}`` (see
``policypress.proposed``): the lint lists them, previews mark them, and the draft cannot be released
until the data owner has confirmed each. The entry is added to the file as text, so every other
line and comment stays as it was.

Findings that only the site can fix (optional storage before consent, or written again after a
withdrawal) are no declarations: they go to an issue, one issue updated from run to run (``MARKER``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..diff import diff_policies, render_diff
from ..errors import DataError, UsageError
from ..escape import markdown
from ..init_site import REVIEW
from ..loader import display_path, load_policy
from ..versions import load_history
from .findings import AuditFinding, AuditReport, AuditRule
from .wording import CHROMIUM_MAX_COOKIE_DAYS, suggest_duration

DAY = 86400
MARKER = "<!-- policypress-live-audit -->"  # the one issue the weekly audit keeps up to date
SITE_FIXES = (AuditRule.BEFORE_CONSENT, AuditRule.NOT_WITHDRAWN)
_PLACEHOLDER = re.compile(r"<[^>]*>")
# The facts of a proposed entry that the data owner confirms: the signature's, and the observation's.
PROPOSED_FACTS = ("category", "duration", "purpose")


@dataclass(frozen=True)
class Proposal:
    name: str  # the id in cookies.yaml: the name, or the signature's pattern (_ga_*)
    provider: str
    party: str
    type: str
    category: str
    duration: str
    purpose: str  # the signature's wording of it, to be confirmed
    consent_required: bool
    finding: AuditFinding
    note: str = ""  # what the data owner should know about a fact, in the review comment

    def yaml_text(self, languages: tuple[str, ...], indent: str = "  ") -> str:
        vendor = self.finding.vendor_name or self.finding.vendor or "the site"
        inner = indent * 2
        lines = [
            f"{indent}# {REVIEW}: proposed from the browser audit ({vendor}; seen on {self.finding.page or '/'}). "
            f"Confirm each proposed fact, translate the purpose, then remove its 'status'.{self.note}",
            f"{indent}{_quote(self.name)}:",
            f"{inner}provider: {self.provider}",
            f"{inner}party: {self.party}",
            f"{inner}type: {self.type}",
            f"{inner}category: {self.category}",
            f"{inner}duration: {self.duration}",
            f"{inner}purpose:",
            *(f"{inner}{indent}{lang}: {_quote(self.purpose)}" for lang in languages),
            f"{inner}consent_required: {'true' if self.consent_required else 'false'}",
            f"{inner}status: {{{', '.join(f'{fact}: proposed' for fact in PROPOSED_FACTS)}}}",
        ]
        return "\n".join(lines) + "\n"


@dataclass
class Plan:
    proposals: list[Proposal] = field(default_factory=list)
    undecided: list[AuditFinding] = field(default_factory=list)  # undeclared, but no signature says what it is
    site_fixes: list[AuditFinding] = field(default_factory=list)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _snippet(finding: AuditFinding) -> dict[str, object] | None:
    """The entry the audit's fix suggests (``"name": {provider: …}``), read back; None without one."""
    match = re.search(r"e\.g\.\n  (.+)$", finding.fix, re.MULTILINE)
    if match is None:
        return None
    try:
        data = yaml.safe_load(match[1])
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or len(data) != 1:
        return None
    ((name, facts),) = data.items()
    return {"name": str(name), **facts} if isinstance(facts, dict) else None


def observed_duration(report: AuditReport, finding: AuditFinding) -> str | None:
    """The longest life the audit saw for the finding's item, as an ISO 8601 duration (or session, persistent)."""
    if finding.item_type == "localStorage":
        return "persistent"
    if finding.item_type == "sessionStorage":
        return "session"
    seen = [c for s in report.scenarios for c in s.cookies if c.name == finding.item and c.domain == finding.domain]
    if not seen:
        return None
    if all(c.expires is None for c in seen):
        return "session"
    longest = max(c.lifetime_days or 0.0 for c in seen)
    return suggest_duration(longest * DAY)


def plan(report: AuditReport) -> Plan:
    result = Plan()
    names: set[str] = set()
    for finding in report.findings:
        if finding.rule in SITE_FIXES:
            result.site_fixes.append(finding)
            continue
        if finding.rule is not AuditRule.UNDECLARED:
            continue
        facts = _snippet(finding) if finding.vendor else None
        if facts is None or any(_PLACEHOLDER.search(str(facts.get(key, "<>"))) for key in ("category", "provider")):
            result.undecided.append(finding)  # the site's own code, or a type mismatch: the data owner decides
            continue
        name = str(facts["name"])
        if name in names:
            continue
        names.add(name)
        purpose = facts.get("purpose")
        text = str(purpose.get("en", "")) if isinstance(purpose, dict) else ""
        if not text or _PLACEHOLDER.fullmatch(text):
            text = f"{REVIEW}: what {finding.vendor_name or name} stores it for"
        duration = observed_duration(report, finding) or str(facts.get("duration", ""))
        if not duration or _PLACEHOLDER.search(duration):
            result.undecided.append(finding)
            continue
        capped = duration.endswith("D") and duration[1:-1].isdigit() and int(duration[1:-1]) >= CHROMIUM_MAX_COOKIE_DAYS - 1
        note = (f" The duration is what Chromium kept, at most {CHROMIUM_MAX_COOKIE_DAYS} days: the site may ask for "
                "longer." if capped else "")
        result.proposals.append(Proposal(
            name=name, provider=str(facts["provider"]), party=str(facts.get("party", "first")),
            type=str(facts.get("type", finding.item_type)), category=str(facts["category"]), duration=duration,
            purpose=text, consent_required=bool(facts.get("consent_required", True)), finding=finding, note=note,
        ))
    return result


def apply_to_draft(data_dir: Path, proposals: list[Proposal]) -> None:
    """Add the proposed entries at the end of ``cookies.yaml``'s ``cookies:`` mapping, as text; the draft is
    read again, and left as it was when that fails (``DataError``)."""
    if not proposals:
        return
    path = data_dir / "cookies.yaml"
    try:
        original = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{display_path(path)}: cannot read it ({exc.strerror or exc})") from None
    policy = load_policy(data_dir)
    known = [p for p in proposals if p.name not in policy.cookies]
    if not known:
        return
    content = [line for line in original.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    top = [line for line in content if not line[:1].isspace()]
    if [line.split("#")[0].rstrip() for line in top] != ["cookies:"]:
        raise UsageError(f"{display_path(path)}: the proposals are added to a block 'cookies:' mapping, the file's "
                         "only key; this file is written another way: add them by hand")
    nested = next((line for line in content if line[:1].isspace()), "  ")
    indent = nested[: len(nested) - len(nested.lstrip(" "))] or "  "
    languages = tuple(lang.value for lang in policy.languages)
    blocks = "\n".join(p.yaml_text(languages, indent) for p in known)
    path.write_text(original.rstrip("\n") + "\n\n" + blocks, encoding="utf-8")
    try:
        load_policy(data_dir)
    except DataError:
        path.write_text(original, encoding="utf-8")
        raise


def legal_diff(data_dir: Path, today: dt.date | None = None) -> str:
    """``policypress diff`` between the release in effect and the draft, in Markdown (for the PR's body)."""
    history = load_history(data_dir)
    release = history.current(today or dt.date.today()) or history.latest
    if release is None:
        return "No release yet: the whole draft is new.\n"
    langs = history.draft.languages
    return render_diff(diff_policies(release.policy, history.draft), release.version, "draft", "markdown", langs)


def issue_body(report: AuditReport, findings: list[AuditFinding]) -> str:
    """The issue's Markdown: one list item per finding the site must fix, under the marker that finds it again."""
    noun = "page" if len(report.pages) == 1 else "pages"
    lines = [
        MARKER,
        f"The weekly browser audit of {markdown(report.target)} ({len(report.pages)} {noun}) found optional storage "
        "or requests without consent, or written again after a withdrawal. These are fixes on the site, not in "
        "the policy data.",
        "",
    ]
    if not findings:
        lines.append("Nothing to fix in the latest run: this issue can be closed.")
    for finding in findings:
        where = markdown(finding.page or "/")
        more = f" and {finding.pages_count - 1} more" if finding.pages_count > 1 else ""
        lines.append(f"- **{markdown(finding.rule.value)}** in {markdown(finding.scenario)} on {where}{more}: "
                     f"{markdown(finding.subject)}")
        lines.append(f"  - {markdown(finding.message)}")
        lines.append(f"  - fix: {markdown(finding.fix)}")
    return "\n".join(lines) + "\n"


def pr_body(plan_: Plan, diff_markdown: str) -> str:
    lines = [
        "Declarations proposed from the weekly browser audit. Each entry is marked `status: {…: proposed}`: "
        "the data owner confirms each fact (and translates the purpose) before the draft can be released.",
        "",
    ]
    for p in plan_.proposals:
        lines.append(f"- `{markdown(p.name)}` ({markdown(p.type)}, {markdown(p.finding.vendor_name or p.provider)}): "
                     f"{markdown(p.category)}, {markdown(p.duration)}")
    if plan_.undecided:
        lines += ["", "Not proposed (no tracker signature says what they are; declare them or stop them):", ""]
        lines += [f"- {markdown(f.subject)} on {markdown(f.page or '/')}" for f in plan_.undecided]
    lines += ["", "## What changes for the reader", "", diff_markdown]
    return "\n".join(lines)

