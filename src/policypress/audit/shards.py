"""Shards of an estate and the merge of their reports into the one report a single run gives.

A page belongs to shard K of N when the sha256 of its path (as reports name it, ``/en/``), read as a
number, is K-1 modulo N: the same on every machine and in every run (Python's ``hash`` is salted per
process), so shards are disjoint and together are the whole.

The merge is also how a single estate run builds its report from its (page, scenario) visits, so
"the shards merged" and "one run" are one computation, whatever the order the parts come in.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..loader import display_path
from .findings import (
    MAX_OTHER_PAGES,
    PER_SCENARIO,
    AuditFinding,
    AuditReport,
    AuditRule,
    ScenarioSummary,
    SeenCookie,
    SeenRequest,
    SeenStorage,
    Severity,
    report_order,
)
from .scenarios import Scenario
from .target import page_order

_ORDER = {scenario.value: i for i, scenario in enumerate(Scenario)}
_SEEN_IN = re.compile(r" Seen in: [^.]*\.$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written: --shard 2/4
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, label: str) -> bool:
        return shard_of(label, self.count) == self.index


def parse_shard(text: str) -> Shard:
    match = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise UsageError(f"--shard {text}: write K/N with 1 <= K <= N, such as 2/4")
    return Shard(int(match[1]), int(match[2]))


def shard_of(label: str, count: int) -> int:
    """The 1-based shard of the page ``label`` (a path such as ``/en/``) among ``count``."""
    path = "/" + label.lstrip("/")
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest(), "big") % count + 1


def _by_page(finding: AuditFinding) -> tuple[object, ...]:
    return (page_order(finding.page or ""), _ORDER.get(finding.scenario, len(_ORDER)))


def merge_findings(findings: Iterable[AuditFinding]) -> list[AuditFinding]:
    """One finding per fingerprint (page-free: ``AuditFinding.identity``), on every page any of them was seen on,
    in the report's order."""
    groups: dict[str, list[AuditFinding]] = {}
    for finding in findings:
        groups.setdefault(finding.fingerprint, []).append(finding)
    merged = []
    for group in groups.values():
        group.sort(key=_by_page)
        first = group[0]  # the first page's: its message names what was seen there
        listed = {page for f in group if f.page for page in (f.page, *f.other_pages)}
        # Pages a report counted but did not list (beyond MAX_OTHER_PAGES) are on no other report's list:
        # the parts merged are disjoint by page (see merge_reports).
        hidden = sum(max(0, f.pages_count - 1 - len(f.other_pages)) for f in group if f.page)
        pages = sorted(listed, key=page_order)
        scenarios = sorted({s for f in group for s in (f.scenario, *f.also_in)}, key=lambda s: _ORDER.get(s, 99))
        changes: dict[str, Any] = {
            "page": pages[0] if pages else None, "other_pages": tuple(pages[1:MAX_OTHER_PAGES + 1]),
            "pages_count": max(1, len(pages) + hidden),
        }
        if first.rule not in PER_SCENARIO:
            changes.update(scenario=scenarios[0], also_in=tuple(scenarios[1:]))
            if first.rule is AuditRule.UNDECLARED:
                changes["message"] = _SEEN_IN.sub(f" Seen in: {', '.join(scenarios)}.", first.message)
        merged.append(replace(first, **changes))
    return sorted(merged, key=report_order)


def _first_by_page(items: Iterable[Any], key: Any) -> list[Any]:
    chosen: dict[Any, Any] = {}
    for item in sorted(items, key=lambda i: (page_order(i.page), str(i))):
        chosen.setdefault(key(item), item)
    return list(chosen.values())


def merge_summaries(parts: Iterable[ScenarioSummary]) -> list[ScenarioSummary]:
    """Per scenario (in the audit's order): the visits and seconds added up, each thing stored kept where it
    was first seen (the first page in the report's order), each request with all its pages."""
    by_scenario: dict[str, list[ScenarioSummary]] = {}
    for part in parts:
        by_scenario.setdefault(part.scenario, []).append(part)
    result = []
    for scenario in sorted(by_scenario, key=lambda s: _ORDER.get(s, 99)):
        group = by_scenario[scenario]
        requests: dict[tuple[str, str, str, str], SeenRequest] = {}
        for request in sorted((r for s in group for r in s.requests), key=lambda r: (page_order(r.pages[0] if r.pages else ""), r.url)):
            key = (request.host_path, request.phase, request.answered, request.resource_type)
            known = requests.get(key)
            pages = set(request.pages) | set(known.pages if known else ())
            requests[key] = replace(known or request, pages=tuple(sorted(pages, key=page_order)))
        result.append(ScenarioSummary(
            scenario=scenario,
            pages_visited=sum(s.pages_visited for s in group),
            seconds=round(sum(s.seconds for s in group), 3),
            cookies=_first_by_page((c for s in group for c in s.cookies), lambda c: (c.name, c.domain, c.path, c.phase)),
            storage=_first_by_page((c for s in group for c in s.storage), lambda c: (c.type, c.name, c.origin, c.phase)),
            requests=sorted(requests.values(), key=lambda r: (page_order(r.pages[0] if r.pages else ""), r.host_path, r.phase)),
            left_behind=sorted({item for s in group for item in s.left_behind}),
            notes=sorted({note for s in group for note in s.notes}),
            tcf=_unique_dicts(t for s in group for t in s.tcf),
        ))
    return result


def _unique_dicts(items: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    texts = {json.dumps(item, sort_keys=True, ensure_ascii=False, default=str): item for item in items}
    return [texts[text] for text in sorted(texts)]


def _timing(reports: Sequence[AuditReport]) -> dict[str, float | int]:
    total: dict[str, float | int] = {}
    for report in reports:
        for key, value in report.timing.items():
            total[key] = total.get(key, 0) + value
    return total


def merge_reports(reports: Sequence[AuditReport], *, names: Sequence[str] | None = None) -> AuditReport:
    """The reports of disjoint parts of one audit (shards, or single visits) as one report."""
    if not reports:
        raise UsageError("no report to merge")
    names = list(names or (f"report {i + 1}" for i in range(len(reports))))
    owner: dict[str, str] = {}
    for name, report in zip(names, reports):
        for page in report.pages:
            if page in owner and owner[page] != name:
                raise UsageError(
                    f"{page} is in both {owner[page]} and {name}: merge the shards of one audit, each once "
                    "(a page audited twice would be counted twice)"
                )
            owner[page] = name
    targets = list(dict.fromkeys(report.target for report in reports))
    return AuditReport(
        target=targets[0] if len(targets) == 1 else ", ".join(targets),
        base_url=reports[0].base_url,
        pages=sorted(owner, key=page_order),
        findings=merge_findings(f for report in reports for f in report.findings),
        scenarios=merge_summaries(s for report in reports for s in report.scenarios),
        pages_skipped=max(report.pages_skipped for report in reports),
        seconds=sum(report.seconds for report in reports),
        timing=_timing(reports),
    )


def without_timings(report: AuditReport) -> dict[str, Any]:
    """The report as JSON without what differs from run to run whatever the pages hold: the seconds and
    the waits, the port the folder was served on, and each cookie's expiry date (a moment, not a lifetime)."""
    data = report.as_dict()
    for key in ("seconds", "base_url", "timing"):
        data.pop(key, None)
    for scenario in data["scenarios"]:  # type: ignore[attr-defined]
        scenario.pop("seconds", None)
        for cookie in scenario["cookies"]:
            cookie.pop("expires", None)
    return data


# --- reading a report back (audit --format json, a state file's lines) -------------------------------


def _finding(data: dict[str, Any]) -> AuditFinding:
    known = {f.name for f in fields(AuditFinding)}
    values = {k: v for k, v in data.items() if k in known}
    values["rule"] = AuditRule(values["rule"])
    values["severity"] = Severity(values["severity"])
    values["other_pages"] = tuple(values.get("other_pages", ()))
    values["also_in"] = tuple(values.get("also_in", ()))
    return AuditFinding(**values)


def _summary(data: dict[str, Any]) -> ScenarioSummary:
    return ScenarioSummary(
        scenario=data["scenario"], pages_visited=data["pages_visited"], seconds=data["seconds"],
        cookies=[SeenCookie(**c) for c in data.get("cookies", [])],
        storage=[SeenStorage(**s) for s in data.get("storage", [])],
        requests=[SeenRequest(**{**r, "pages": tuple(r["pages"])}) for r in data.get("requests", [])],
        left_behind=list(data.get("left_behind", [])), notes=list(data.get("notes", [])),
        tcf=list(data.get("tcf", [])),
    )


def report_from_dict(data: dict[str, Any]) -> AuditReport:
    """The report ``AuditReport.as_dict`` wrote; KeyError, TypeError or ValueError when it is not one."""
    return AuditReport(
        target=data["target"], base_url=data["base_url"], pages=list(data["pages"]),
        findings=[_finding(f) for f in data["findings"]], scenarios=[_summary(s) for s in data["scenarios"]],
        pages_skipped=int(data.get("pages_skipped", 0)), seconds=float(data.get("seconds", 0.0)),
        timing=dict(data.get("timing", {})),
    )


def read_report(path: Path) -> AuditReport:
    """A report written by ``policypress audit --format json`` (a shard's), or a usage error saying why not."""
    try:
        return report_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise UsageError(f"{display_path(path)}: cannot read it ({exc.strerror or exc})") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(
            f"{display_path(path)}: not a report of `policypress audit --format json`"
        ) from None
