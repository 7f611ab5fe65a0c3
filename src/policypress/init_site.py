"""``policypress init`` in a folder that already holds a MkDocs site (a ``mkdocs.yml``).

Nothing of the site is overwritten: init adds ``policy_data/`` (from the same skeleton as a
new project, the controller's facts marked ``TODO(fill in)``), a cookie table drafted from a
scan of the site as it is today (each drafted entry marked ``TODO(review)``), and one line
``- policypress`` under ``plugins:`` of mkdocs.yml (a text edit: every other line stays as
it was). On any failure policy_data/ is removed and mkdocs.yml is put back as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PolicyPressError
from .i18n import Lang, Text
from .loader import display_path, load_policy
from .model import Policy
from .release import create_release
from .scan import scan_site
from .trackers.names import names_overlap, parse_name
from .schema import write_schemas
from .siteconfig import SiteConfigError, SiteFacts, add_plugin, read_site
from .trackers.signatures import Signatures, StorageEntry, Vendor, load_signatures
from .versions import Release, ReleaseClass, build_date
from .vocabulary import CookieCategory

CONFIG = "mkdocs.yml"
DATA = "policy_data"
REVIEW = "TODO(review)"
# The theme's own storage is known to the plugin (policypress.mkdocs.storage): never drafted.
THEME_VENDORS = frozenset({"material"})
BARE_BUILD_TIMEOUT = 600
# The languages the skeleton policy is written in; init keeps those the site uses.
SKELETON_LANGUAGES = (Lang.EN, Lang.SV, Lang("de"))


@dataclass
class SiteInit:
    """What init did in an existing site, for the command to report."""

    release: Release
    languages: tuple[Lang, ...]
    unsupported: tuple[str, ...]
    drafted: list[str] = field(default_factory=list)  # cookie names drafted from the scan
    recipients: list[str] = field(default_factory=list)  # recipient ids drafted from the scan
    scan_note: str = ""  # why nothing could be drafted, when the bare build failed


def is_existing_site(target: Path) -> bool:
    return (target / CONFIG).is_file()


def choose_languages(facts: SiteFacts) -> tuple[tuple[Lang, ...], tuple[str, ...]]:
    """The policy's languages (the site's, in its order, the theme's first, where the skeleton has
    texts in them) and the site's others, whose visitors get the English pages."""
    known = {lang.value: lang for lang in SKELETON_LANGUAGES}
    wanted = [known[code] for code in facts.languages if code in known]
    unsupported = tuple(code for code in facts.languages if code not in known)
    if Lang.EN not in wanted and (unsupported or not wanted):
        wanted.append(Lang.EN)  # English for the site's other languages
    return tuple(wanted), unsupported


def keep_languages(text: str, languages: tuple[Lang, ...]) -> str:
    """A skeleton data file with the texts of ``languages`` only, comments and layout kept.

    The skeleton writes each text either on one line (``{en: ..., sv: ..., de: ...}``) or as one
    key per language, a value's continuation lines indented deeper; ``languages: [...]`` is set.
    ``load_policy`` checks the result right after init writes it."""
    drop = [lang.value for lang in SKELETON_LANGUAGES if lang not in languages]
    for code in drop:
        text = re.sub(rf", {code}: [^,}}\n]*(?=[,}}])", "", text)  # after another language
        text = re.sub(rf"{{{code}: [^,}}\n]*, ", "{", text)  # the first
    text = re.sub(r"^languages: \[.*\]$", f"languages: [{', '.join(lang.value for lang in languages)}]", text, flags=re.M)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = re.match(rf"^(\s*)(- )?({'|'.join(drop) or '(?!)'}): ", lines[i])
        if match is None:
            out.append(lines[i])
            i += 1
            continue
        column = len(match.group(1)) + len(match.group(2) or "")
        i += 1
        while i < len(lines) and lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) > column:
            i += 1  # the dropped value's continuation lines
        if match.group(2) and i < len(lines) and len(lines[i]) - len(lines[i].lstrip()) == column:
            lines[i] = match.group(1) + "- " + lines[i][column:]  # the next key starts the list item now
    return "\n".join(out)


def bare_build(site: Path, out: Path) -> str:
    """Build the site as it is (without policypress) into ``out``; '' or why it failed."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(site / CONFIG),
             "--site-dir", str(out)],
            cwd=site, env=env, capture_output=True, text=True, timeout=BARE_BUILD_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"mkdocs could not be run ({exc})"
    if proc.returncode != 0:
        last = [line for line in proc.stderr.splitlines() if line.strip()][-1:] or ["no message"]
        return f"`mkdocs build` of the site as it is failed: {last[0].strip()}"
    return ""


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _entry_text(name: str, entry: StorageEntry, vendor: Vendor, provider: str, languages: tuple[Lang, ...]) -> str:
    category = vendor.categories_of(entry)[0]
    duration = entry.duration if entry.duration else None
    lines = [
        f"  # {REVIEW}: drafted from a scan of the site: {vendor.name}. Check every fact, then remove this line.",
        f"  {_quote(name)}:",
        f"    provider: {provider}",
        f"    party: {entry.party.value}",
        f"    type: {entry.type.value}",
        f"    category: {category.value}",
        (f"    duration: {duration}" if duration else
         f"    duration: session  # {REVIEW}: the site's configuration decides how long; write it here"),
        "    purpose:",
        # The signatures' purposes are English: every other language starts as a copy to translate.
        *(f"      {lang.value}: {_quote(entry.purpose)}"
          + ("" if lang == Lang.EN else f"  # {REVIEW}: translate into {lang.english_name}") for lang in languages),
        f"    consent_required: {'false' if category is CookieCategory.NECESSARY else 'true'}",
    ]
    return "\n".join(lines) + "\n"


def _recipient_text(recipient_id: str, vendor: Vendor, languages: tuple[Lang, ...]) -> str:
    def same_in_each(value: str) -> str:  # a name reads the same in every language
        return "{" + ", ".join(f"{lang.value}: {_quote(value)}" for lang in languages) + "}"

    return "\n".join([
        f"  # {REVIEW}: drafted from a scan of the site ({vendor.name} is loaded by its pages). Write the company's",
        "  # legal name, its role, where it stores the data and the transfer safeguard; then remove this line.",
        f"  {recipient_id}:",
        f"    name: {same_in_each(vendor.name)}",
        "    role: processor",
        f"    service: {same_in_each(vendor.name)}",
        "    transfer: null",
    ]) + "\n"


def draft_from_scan(site_dir: Path, policy: Policy, signatures: Signatures) -> tuple[str, str, list[str], list[str]]:
    """cookies.yaml and recipients.yaml entries for every vendor the built site loads that ``policy``
    does not declare (from the signatures: each storage entry the vendor always sets):
    (cookies text, recipients text, cookie names, recipient ids)."""
    report = scan_site(site_dir, policy, signatures=signatures)
    declared = [parse_name(name) for name in policy.cookies]
    cookies: dict[str, str] = {}
    recipients: dict[str, str] = {}
    for vendor_id in report.vendors_seen:
        vendor = signatures.vendors.get(vendor_id)
        if vendor is None or vendor_id in THEME_VENDORS or not (vendor.storage or vendor.transfers_ip):
            continue
        recipient_id = next((r for r in (vendor_id, *vendor.recipients) if r in policy.recipients), None)
        if recipient_id is None:
            recipient_id = vendor.recipients[0] if vendor.recipients else vendor_id
            recipients.setdefault(recipient_id, _recipient_text(recipient_id, vendor, policy.languages))
        for entry in vendor.storage:
            name = entry.suggested_name
            if entry.optional or name in cookies or any(names_overlap(parse_name(name), d) for d in declared):
                continue
            cookies[name] = _entry_text(name, entry, vendor, recipient_id, policy.languages)
    return "".join(cookies.values()), "".join(recipients.values()), list(cookies), list(recipients)


def _append(path: Path, text: str) -> None:
    if text:
        current = path.read_text(encoding="utf-8")
        path.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")


class InitSiteRefused(PolicyPressError):
    """The site cannot be given a policy as asked; nothing was changed."""


def init_existing_site(
    target: Path, write_data: Callable[[Path, tuple[Lang, ...]], None], summary: Text, effective: dt.date | None = None,
) -> SiteInit:
    """Add policypress to the MkDocs site in ``target``. ``write_data(folder)`` writes the skeleton's
    policy_data/ into ``folder`` (init.py owns the skeleton)."""
    config_path = target / CONFIG
    data_dir = target / DATA
    if data_dir.exists():
        raise InitSiteRefused(
            f"{display_path(data_dir)} exists already; init writes a new policy_data/ only (nothing was changed)"
        )
    try:
        original, facts = read_site(config_path)
        languages, unsupported = choose_languages(facts)
        edited = add_plugin(original, ())  # the languages are in the data (policy.yaml)
    except SiteConfigError as exc:
        raise InitSiteRefused(f"{exc} (nothing was changed)") from None
    when = effective if effective is not None else build_date(dict(os.environ))
    signatures = load_signatures()
    try:
        write_data(data_dir, languages)
        policy = load_policy(data_dir)
        result_note = ""
        drafted: tuple[str, str, list[str], list[str]] = ("", "", [], [])
        with tempfile.TemporaryDirectory(prefix="policypress-init-") as scratch:
            bare = Path(scratch) / "site"
            result_note = bare_build(target, bare)
            if not result_note:
                drafted = draft_from_scan(bare, policy, signatures)
        cookies_text, recipients_text, names, recipient_ids = drafted
        _append(data_dir / "recipients.yaml", recipients_text)
        _append(data_dir / "cookies.yaml", cookies_text)
        write_schemas(data_dir / "schema")
        load_policy(data_dir)  # the drafted entries must be valid as written
        summary = Text({lang.value: summary.get(lang) for lang in languages})
        release = create_release(data_dir, "1.0", when, ReleaseClass.MATERIAL, summary)
        if edited != original:
            config_path.write_text(edited, encoding="utf-8", newline="")
    except BaseException:
        shutil.rmtree(data_dir, ignore_errors=True)
        if config_path.read_text(encoding="utf-8") != original:
            config_path.write_text(original, encoding="utf-8", newline="")
        raise
    return SiteInit(release, languages, unsupported, names, recipient_ids, result_note)
