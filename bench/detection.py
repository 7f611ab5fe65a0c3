"""How well `policypress scan` sees the trackers of real pages: the real-world corpus against its key.

The corpus is tests/fixtures/realworld/: one folder per page taken unchanged from a public
repository (README.md there says which), and expected.yaml, written by reading each page by hand:
the vendors it loads, whether each is held until consent, and whether the page loads a tracker
that the empty cookie table of policy_data/ leaves undeclared.

Each page folder is scanned on its own with `scan_site`. Printed:
- recall: vendors the scan names / vendors the pages have, over the corpus;
- false alarms: error findings about a vendor or storage key the page does not have, and
  before-consent errors about a vendor the key says is held;
- missed failures: pages with an undeclared tracker whose scan still exits 0;
- per page, the expected and the found vendors.
A bench prints; it exits 0 whatever it finds (tests/test_realworld.py holds the thresholds).
This module is also where the judging lives, so that the test and the bench judge alike.
Run from the repository:
    .venv/bin/python bench/detection.py
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policypress.loader import load_policy
from policypress.scan import Finding, ScanReport, scan_site

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "realworld"
EXPECTED = CORPUS / "expected.yaml"
POLICY = CORPUS / "policy_data"


@dataclass
class PageResult:
    slug: str
    expected: dict[str, dict[str, Any]]  # vendor name -> its gating in expected.yaml
    found: set[str]  # signature ids the scan names on the page
    named: set[str]  # expected vendor names the scan named under one of their ids
    false_alarms: list[str]
    exit_code: int
    must_fail: bool
    report: ScanReport

    @property
    def missed(self) -> set[str]:
        return set(self.expected) - self.named

    @property
    def missed_failure(self) -> bool:
        return self.must_fail and self.exit_code != 1


@dataclass
class CorpusResult:
    pages: list[PageResult] = field(default_factory=list)

    @property
    def expected_count(self) -> int:
        return sum(len(page.expected) for page in self.pages)

    @property
    def named_count(self) -> int:
        return sum(len(page.named) for page in self.pages)

    @property
    def recall(self) -> float:
        return self.named_count / self.expected_count if self.expected_count else 1.0

    @property
    def false_alarms(self) -> list[str]:
        return [f"{page.slug}: {alarm}" for page in self.pages for alarm in page.false_alarms]

    @property
    def missed_failures(self) -> list[str]:
        return [page.slug for page in self.pages if page.missed_failure]

    def misses(self) -> list[str]:
        """One line per page that misses a vendor, with the ids the scan did find."""
        return [
            f"{page.slug}: missed {', '.join(sorted(page.missed))} (found: {', '.join(sorted(page.found)) or 'nothing'})"
            for page in self.pages
            if page.missed
        ]


def load_expected(path: Path = EXPECTED) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        data: dict[str, Any] = yaml.safe_load(stream)
    return data


def page_slugs(corpus: Path = CORPUS) -> list[str]:
    return sorted(p.name for p in corpus.iterdir() if p.is_dir() and p.name != "policy_data")


def _false_alarm(finding: Finding, vendor_ids: set[str], held_ids: set[str], storage: set[str]) -> str | None:
    """Why an error finding is about something the page does not have, or None when it is not."""
    what = f"{finding.rule.value} {finding.vendor or finding.key} at {finding.location}"
    if finding.vendor is not None and finding.vendor not in vendor_ids:
        return f"{what}: the page has no {finding.vendor}"
    if finding.vendor is None and finding.key is not None and finding.key not in storage:
        return f"{what}: the page's own code does not write {finding.key}"
    if finding.rule.value == "before-consent" and finding.vendor in held_ids:
        return f"{what}: the page holds it until consent"
    return None


def judge_page(slug: str, key: dict[str, Any], catalogue: dict[str, Any], report: ScanReport) -> PageResult:
    expected: dict[str, dict[str, Any]] = key.get("vendors") or {}
    ids_of = {name: set(catalogue[name]["ids"]) for name in expected}
    vendor_ids = set().union(*ids_of.values()) if ids_of else set()
    held_ids = set().union(*(ids_of[name] for name, gating in expected.items() if gating.get("gated") is True))
    storage = set(key.get("storage") or [])
    found = set(report.vendors_seen)
    alarms = [
        alarm
        for finding in report.errors
        if (alarm := _false_alarm(finding, vendor_ids, held_ids, storage)) is not None
    ]
    return PageResult(
        slug=slug,
        expected=expected,
        found=found,
        named={name for name, ids in ids_of.items() if ids & found},
        false_alarms=alarms,
        exit_code=report.exit_code,
        must_fail=bool(key.get("undeclared_tracker")),
        report=report,
    )


def judge_corpus(corpus: Path = CORPUS) -> CorpusResult:
    expected = load_expected(corpus / "expected.yaml")
    policy = load_policy(corpus / "policy_data")
    result = CorpusResult()
    for slug in page_slugs(corpus):
        report = scan_site(corpus / slug, policy, data_dir=corpus / "policy_data")
        result.pages.append(judge_page(slug, expected["pages"][slug], expected["vendors"], report))
    return result


def main() -> None:
    result = judge_corpus()
    print(f"real-world corpus: {len(result.pages)} pages, {result.expected_count} vendors expected")
    print(f"recall: {result.named_count}/{result.expected_count} = {result.recall:.1%} (target: at least 95 %)")
    alarms = result.false_alarms
    print(f"false alarms: {len(alarms)}")
    for alarm in alarms:
        print(f"  {alarm}")
    print(f"pages with an undeclared tracker that pass the scan: {len(result.missed_failures)}")
    for slug in result.missed_failures:
        print(f"  {slug}")
    print()
    width = max(len(page.slug) for page in result.pages)
    for page in result.pages:
        expected = ", ".join(sorted(page.expected)) or "-"
        found = ", ".join(sorted(page.found)) or "-"
        mark = "ok  " if not page.missed and not page.false_alarms and not page.missed_failure else "MISS"
        print(f"{mark} {page.slug:<{width}}  exit {page.exit_code}  expected: {expected}")
        print(f"     {'':<{width}}          found:    {found}")


if __name__ == "__main__":
    main()
