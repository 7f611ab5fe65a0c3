"""The scenarios, step by step: each in a fresh context, visiting every page as one visitor would."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .autoconsent import MISSING, Autoconsent
from .banner import BannerConfig
from .cdn import ConsentLibraries
from .managers import SCRIPT_SOURCES, by_rule, loaded_by, not_exercised_message
from .observations import PhaseRecord, ScenarioRun, StoredItem
from .scenarios import Phase, Scenario
from .session import Timing, Visitor
from .standins import StandIns
from .target import LOCAL_HOSTS, SitePages

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
    libraries: ConsentLibraries | None = None
    autoconsent: Autoconsent | None = None  # answers other managers' banners when Material's is not there
    # The manager's name and how it was answered, once the accept is done (for the withdrawal).
    _answered: tuple[str, str | None] | None = None
    _missing_said: bool = False  # "autoconsent is not installed" is said once per audit

    def run(self, scenario: Scenario) -> ScenarioRun:
        started = time.perf_counter()
        result = ScenarioRun(scenario)
        answers = scenario not in (Scenario.BEFORE_CONSENT, Scenario.GPC)
        # autoconsent only when the banner was not described on the command line: the selectors say how.
        auto = self.autoconsent if answers and self.banner.name == "material" else None
        visitor = Visitor(self.browser, self.site, self.standins, self.timing, gpc=scenario is Scenario.GPC,
                          libraries=self.libraries, autoconsent=auto, detect_ms=self.banner.timeout_ms)
        self._answered = None
        try:
            if scenario in (Scenario.BEFORE_CONSENT, Scenario.GPC):
                self._visit_all(visitor, result, result.record(Phase.NO_CONSENT))
            elif scenario is Scenario.ACCEPT_ALL:
                accepted = result.record(Phase.ACCEPTED)
                self._answer(visitor, result, "accept", accepted)
                self._visit_all(visitor, result, accepted)
            elif scenario is Scenario.REJECT_ALL:
                rejected = result.record(Phase.NO_CONSENT)
                self._answer(visitor, result, "reject", rejected)
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

    def _answer(self, visitor: Visitor, result: ScenarioRun, what: str, record: PhaseRecord) -> bool:
        """Open the first page and answer the banner (``what``: accept or reject); what the answer sets off goes
        into ``record``."""
        first = self.site.pages[0]
        label = self.site.label(first)
        visitor.use(result.record(Phase.NO_CONSENT, checked=False), label)
        problem = visitor.goto(first)
        if problem is None:
            visitor.use(record, label)
            problem = self._respond(visitor, result, what, label, record)
        if problem is not None:
            self._banner_problem(result, label, f"{what}: {problem}")
            return False
        return not result.not_exercised

    def _respond(self, visitor: Visitor, result: ScenarioRun, what: str, label: str, record: PhaseRecord, *,
                 again: bool = False) -> str | None:
        """Answer the banner: Material's rule or the given selectors first, then autoconsent's rules.

        A problem is returned; a manager that cannot run here goes into ``result.not_exercised`` instead.
        """
        selector = self.banner.accept if what == "accept" else self.banner.reject
        driver = visitor.autoconsent
        material = self.banner.name == "material"
        if driver is None or visitor.exists(selector):
            if driver is None and material and self.autoconsent is None and not self._missing_said:
                self._missing_said = True
                record.note(MISSING)
            problem = visitor.click(selector, self.banner.timeout_ms)
            if problem is None:
                how = "Material's banner rule" if material else "the --accept/--reject selectors"
                self._answered = (self.banner.name, None)
                record.note(f"banner answered ({what}) by {how}")
            elif material and self._hosted(visitor, result, label, what):
                return None
            return problem
        if self._hosted(visitor, result, label, what, offsite_only=True):
            return None  # its script was stopped: no banner will come, however long autoconsent looks
        outcome = driver.answer(visitor.page, "optIn" if what == "accept" else "optOut", self.banner.timeout_ms,
                                again=again)
        manager = by_rule(outcome.rule)
        if outcome.result:
            name = manager.name if manager else outcome.rule or "?"
            self._answered = (name, outcome.rule)
            record.note(f"{name}: banner answered ({what}) by autoconsent's rule '{outcome.rule}'")
            visitor.settle()
            return None
        if not outcome.popup and self._hosted(visitor, result, label, what):
            return None
        return outcome.problem

    def _hosted(self, visitor: Visitor, result: ScenarioRun, label: str, what: str, *,
                offsite_only: bool = False) -> bool:
        """No banner appeared: when a hosted manager's script (stopped like every request off this machine) is
        why, the scenario is not exercised offline rather than failed. ``offsite_only``: only a script from
        another host that no stand-in answers counts (one the site serves itself may yet run)."""
        for found, url in loaded_by(visitor.links(SCRIPT_SOURCES)):
            offsite = urlsplit(url).hostname not in LOCAL_HOSTS and self.standins.find(url) is None
            if found.hosted and (offsite or not offsite_only):
                result.not_exercised.append((label, not_exercised_message(found, url, what)))
                return True
        return False

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
        if not self._answer(visitor, result, "accept", accepted):
            return
        self._visit_all(visitor, result, accepted)
        first = self.site.pages[0]
        label = self.site.label(first)
        transition = result.record(Phase.WITHDRAWN, checked=False)
        visitor.use(transition, label)
        problem = visitor.goto(first)
        answered = self._answered
        if problem is None and answered is not None and answered[1] is not None:
            problem = self._reopen_manager(visitor, result, label, transition, answered)
            if result.not_exercised:
                return
        elif problem is None:
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

    def _reopen_manager(self, visitor: Visitor, result: ScenarioRun, label: str, record: PhaseRecord,
                        answered: tuple[str, str | None]) -> str | None:
        """Reopen a banner autoconsent answered, through its manager's own call, and opt out."""
        name, rule = answered
        manager = by_rule(rule)
        if manager is None or manager.reopen is None or not visitor.evaluate(manager.reopen):
            result.not_exercised.append((label, (
                f"not exercised: the audit knows no way to reopen the banner of {name} (autoconsent's rule '{rule}') "
                "to withdraw the consent; check a withdrawal by hand or in the live audit."
            )))
            return None
        problem = self._respond(visitor, result, "reject", label, record, again=True)
        return None if problem is None else f"after reopening {name}'s banner, {problem}"

    def _reopen(self, visitor: Visitor) -> str | None:
        if self.banner.reopen is not None:
            problem = visitor.click(self.banner.reopen, self.banner.timeout_ms)
            return None if problem is None else f"to reopen the banner, {problem}"
        if self.banner.reopen_hash is not None:
            visitor.go_to_hash(self.banner.reopen_hash)
            return None
        return "no way to reopen the banner is configured (--reopen-selector)"
