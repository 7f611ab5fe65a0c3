"""The scenarios, step by step: each in a fresh context, visiting every page as one visitor would."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .banner import BannerConfig
from .observations import PhaseRecord, ScenarioRun, StoredItem
from .scenarios import Phase, Scenario
from .session import Timing, Visitor
from .standins import StandIns
from .target import SitePages

# progress(scenario, page, visits done, visits planned)
Progress = Callable[[str, str, int, int], None]


def visits_per_scenario(scenario: Scenario, pages: int) -> int:
    # Withdrawal visits every page twice: with consent, then after withdrawing it.
    return 2 * pages if scenario is Scenario.ACCEPT_THEN_WITHDRAW else pages


@dataclass
class ScenarioRunner:
    browser: Any
    site: SitePages
    banner: BannerConfig
    standins: StandIns
    timing: Timing
    is_optional: Callable[[StoredItem], bool]  # for the marker check: what withdrawal must stop
    banner_expected: bool  # the policy declares optional storage, so the site must have a banner
    progress: Progress | None = None
    planned: int = 0
    done: int = 0

    def run(self, scenario: Scenario) -> ScenarioRun:
        started = time.perf_counter()
        result = ScenarioRun(scenario)
        visitor = Visitor(self.browser, self.site, self.standins, self.timing, gpc=scenario is Scenario.GPC)
        try:
            if scenario in (Scenario.BEFORE_CONSENT, Scenario.GPC):
                self._visit_all(visitor, result, result.record(Phase.NO_CONSENT))
            elif scenario is Scenario.ACCEPT_ALL:
                accepted = result.record(Phase.ACCEPTED)
                self._answer(visitor, result, self.banner.accept, "accept", accepted)
                self._visit_all(visitor, result, accepted)
            elif scenario is Scenario.REJECT_ALL:
                rejected = result.record(Phase.NO_CONSENT)
                self._answer(visitor, result, self.banner.reject, "reject", rejected)
                self._visit_all(visitor, result, rejected)
            else:
                self._withdraw(visitor, result)
        finally:
            visitor.close()
        result.seconds = time.perf_counter() - started
        return result

    def _visit_all(self, visitor: Visitor, result: ScenarioRun, record: PhaseRecord) -> None:
        for page in self.site.pages:
            label = self.site.label(page)
            visitor.use(record, label)
            with visitor.step(page):  # one budget for the visit: loading, settling, looking
                problem = visitor.goto(page)
                if problem is not None:
                    result.page_errors.append((label, problem))
                else:
                    record.pages.append(label)
                    visitor.look(record, label)
            result.pages_visited += 1
            self.done += 1
            if self.progress is not None:
                self.progress(result.scenario.value, label, self.done, self.planned)

    def _answer(self, visitor: Visitor, result: ScenarioRun, selector: str, what: str, record: PhaseRecord) -> bool:
        """Open the first page and click ``selector``; what the click sets off goes into ``record``."""
        first = self.site.pages[0]
        label = self.site.label(first)
        visitor.use(result.record(Phase.NO_CONSENT, checked=False), label)
        problem = visitor.goto(first)
        if problem is None:
            visitor.use(record, label)
            problem = visitor.click(selector, self.banner.timeout_ms)
        if problem is not None:
            self._banner_problem(result, label, f"{what}: {problem}")
            return False
        return True

    def _banner_problem(self, result: ScenarioRun, label: str, problem: str) -> None:
        if self.banner_expected:
            result.banner_problems.append((label, problem))
        elif result.records:
            # No optional storage is declared, so a site without a banner is right: nothing to answer.
            result.records[-1].note(
                f"no banner to {problem} on {label}; none is needed: the policy declares nothing optional"
            )

    def _withdraw(self, visitor: Visitor, result: ScenarioRun) -> None:
        accepted = result.record(Phase.ACCEPTED)
        if not self._answer(visitor, result, self.banner.accept, "accept", accepted):
            return
        self._visit_all(visitor, result, accepted)
        first = self.site.pages[0]
        label = self.site.label(first)
        transition = result.record(Phase.WITHDRAWN, checked=False)
        visitor.use(transition, label)
        problem = visitor.goto(first)
        if problem is None:
            problem = self._reopen(visitor)
        if problem is None:
            problem = visitor.click(self.banner.reject, self.banner.timeout_ms)
            problem = None if problem is None else f"after {self.banner.describe_reopen()}, {problem}"
        if problem is not None:
            self._banner_problem(result, label, f"withdraw the consent: {problem}")
            return
        # What the withdrawal left in place: allowed if nothing writes it again. The marker check
        # clears it and visits every page: whatever comes back is still being written.
        present = visitor.look(transition, label)
        optional = {item.key: item for item in present if self.is_optional(item)}
        result.left_behind = sorted(optional.values(), key=lambda item: item.key)
        for seen in accepted.items.values():
            if self.is_optional(seen.item):
                optional.setdefault(seen.item.key, seen.item)
        visitor.remove(optional.values())
        self._visit_all(visitor, result, result.record(Phase.WITHDRAWN))

    def _reopen(self, visitor: Visitor) -> str | None:
        if self.banner.reopen is not None:
            problem = visitor.click(self.banner.reopen, self.banner.timeout_ms)
            return None if problem is None else f"to reopen the banner, {problem}"
        if self.banner.reopen_hash is not None:
            visitor.go_to_hash(self.banner.reopen_hash)
            return None
        return "no way to reopen the banner is configured (--reopen-selector)"
