"""The scenarios, step by step: each in a fresh context, visiting every page as one visitor would."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from .autoconsent import MISSING, Autoconsent
from .banner import BannerConfig, BannerWatch, Look, Verdict
from .cdn import ConsentLibraries
from .darkpatterns import DarkPatterns
from .managers import SCRIPT_SOURCES, by_rule, loaded_by, not_exercised_message
from .observations import PhaseRecord, ScenarioRun, StoredItem
from .parallel import run_parallel
from .scenarios import Phase, Scenario
from .session import Timing, Visitor, not_shown
from .standins import StandIns
from .target import LOCAL_HOSTS, SitePages
from .tcfsignals import ScenarioEnd

# progress(scenario, page, visits done, visits planned)
Progress = Callable[[str, str, int, int], None]


def visits_per_scenario(scenario: Scenario, pages: int) -> int:
    # Withdrawal visits every page twice: with consent, then after withdrawing it.
    return 2 * pages if scenario is Scenario.ACCEPT_THEN_WITHDRAW else pages


def _answer_of(scenario: Scenario) -> tuple[str, Phase]:
    """What an answering scenario does to the banner, and the phase its visits are recorded in (the withdrawal
    begins with an accept)."""
    return ("reject", Phase.NO_CONSENT) if scenario is Scenario.REJECT_ALL else ("accept", Phase.ACCEPTED)


@dataclass
class Tally:
    """The visits done by the scenarios of one audit, across their threads (for ``progress``)."""

    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


def timing_of(runs: Sequence[ScenarioRun], jobs: int) -> dict[str, float | int]:
    """What the waits cost, for the report's timing (never compared: it depends on the machine and the order)."""
    return {
        "jobs": jobs,
        "banner_waits": sum(run.banner_waits for run in runs),  # the first looks (each waits until it knows)
        "settles": sum(run.settles for run in runs),
        "unsettled": sum(run.unsettled for run in runs),  # settles cut short by their limit, the page never quiet
        "quiet_seconds": round(sum(run.quiet_seconds for run in runs), 3),
        "scenario_seconds": round(sum(run.seconds for run in runs), 3),
    }


def once_per_audit(runs: Sequence[ScenarioRun], note: str) -> None:
    """Keep ``note`` in the first run (in the order given) that has it: said once, whichever thread said it first."""
    said = False
    for run in runs:
        for record in run.records:
            if note in record.notes:
                if said:
                    record.notes.remove(note)
                said = True


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
    libraries: ConsentLibraries | None = None
    autoconsent: Autoconsent | None = None  # answers other managers' banners when Material's is not there
    # Shared by the copies of this runner that run_all gives each scenario: the banner learned once, the visits.
    watch: BannerWatch = field(default_factory=BannerWatch)
    tally: Tally = field(default_factory=Tally)
    # At the end of each scenario, its last page still open: the TCF signal, and the evidence (--evidence).
    at_end: ScenarioEnd = field(default_factory=ScenarioEnd)
    # The banner's dark patterns (darkpatterns.py): measured on the first before-consent page that shows it.
    dark_patterns: DarkPatterns | None = None
    # The manager's name and how it was answered, once the accept is done (for the withdrawal).
    _answered: tuple[str, str | None] | None = None
    _missing_said: bool = False  # "autoconsent is not installed" is said once per audit (once_per_audit)

    @property
    def done(self) -> int:
        return self.tally.done

    def run_all(self, scenarios: Sequence[Scenario], *, jobs: int = 1) -> list[ScenarioRun]:
        """Every scenario, each in a fresh context, on ``jobs`` browsers at once; the runs in the order given.

        Each scenario runs on a copy of this runner (its own answer to the banner), sharing the watch
        and the tally, so that what a run reports does not depend on which ran first.
        """
        def work(browser: Any, scenario: Scenario) -> ScenarioRun:
            return replace(self, browser=browser, _answered=None).run(scenario)

        runs = run_parallel(list(scenarios), work, jobs=jobs, browser=self.browser)
        once_per_audit(runs, MISSING)
        return runs

    def run(self, scenario: Scenario) -> ScenarioRun:
        started = time.perf_counter()
        result = ScenarioRun(scenario)
        answers = scenario not in (Scenario.BEFORE_CONSENT, Scenario.GPC)
        # The first look found no banner, and why: the same page would say the same again.
        verdict = self.watch.verdict if answers and self.at_end.evidence is None else None
        if verdict is not None:
            self._without_banner(result, verdict)
            result.seconds = time.perf_counter() - started
            return result
        # autoconsent only when the banner was not described on the command line: the selectors say how.
        auto = self.autoconsent if answers and self.banner.name == "material" else None
        visitor = Visitor(self.browser, self.site, self.standins, self.timing, gpc=scenario is Scenario.GPC,
                          libraries=self.libraries, autoconsent=auto, detect_ms=self.banner.timeout_ms)
        self._answered = None
        try:
            if scenario in (Scenario.BEFORE_CONSENT, Scenario.GPC):
                self._visit_all(visitor, result, result.record(Phase.NO_CONSENT))
            elif scenario in (Scenario.ACCEPT_ALL, Scenario.REJECT_ALL):
                # Only an answered banner makes the visits this scenario's: without one they repeat the
                # before-consent scenario's, and what they found would be said to follow an answer never given.
                what, phase = _answer_of(scenario)
                record = result.record(phase)
                if self._answer(visitor, result, what, record):
                    self._visit_all(visitor, result, record)
            else:
                self._withdraw(visitor, result)
            self.at_end(visitor, result)
        finally:
            result.settles, result.unsettled = visitor.settles, visitor.unsettled
            result.quiet_seconds = visitor.quiet_seconds
            visitor.close()
        result.seconds = time.perf_counter() - started
        return result

    def _without_banner(self, result: ScenarioRun, verdict: Verdict) -> None:
        """An answering scenario after the first look found no banner: its answer fails as the first look's
        did, and what that visit would have seen is the before-consent scenario's (no page is visited; with
        ``--evidence`` every scenario still visits, for its screenshot)."""
        what, phase = _answer_of(result.scenario)
        record = result.record(phase)
        label = self.site.label(self.site.pages[0])
        record.note("not visited: an earlier scenario's look at this page found no banner to answer")
        if verdict.hosted is not None:
            result.not_exercised.append((label, not_exercised_message(*verdict.hosted, what)))
            return
        selector = self.banner.accept if what == "accept" else self.banner.reject
        problem = not_shown(selector, self.banner.timeout_ms) if verdict.selector else verdict.said
        self._banner_problem(result, label, f"{what}: {problem}")

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
            if problem is None and self.dark_patterns is not None and result.scenario is Scenario.BEFORE_CONSENT:
                self.dark_patterns.visit(visitor, page, label)
            result.pages_visited += 1
            with self.tally.lock:  # one line of progress at a time, its count in order
                self.tally.done += 1
                if self.progress is not None:
                    self.progress(result.scenario.value, label, self.tally.done, self.planned)

    def _answer(self, visitor: Visitor, result: ScenarioRun, what: str, record: PhaseRecord) -> bool:
        """Open the first page and answer the banner (``what``: accept or reject); what the answer sets off goes
        into ``record``."""
        first = self.site.pages[0]
        label = self.site.label(first)
        unanswered = result.record(Phase.NO_CONSENT, checked=False)
        visitor.use(unanswered, label)
        problem = visitor.goto(first)
        if problem is None:
            unanswered.pages.append(label)  # loaded: a site whose banner is missing was still reached
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
        The first look of the audit waits for the banner; later ones wait only when it found one (``watch``).
        """
        if again:  # a banner reopened: it is there, and its wait is no look for whether the site has one
            return self._respond_with(visitor, result, what, label, record, Look(self.banner.timeout_ms, False),
                                      again=True)
        with self.watch.look(self.banner.timeout_ms) as look:
            result.banner_waits += look.first
            return self._respond_with(visitor, result, what, label, record, look)

    def _respond_with(self, visitor: Visitor, result: ScenarioRun, what: str, label: str, record: PhaseRecord,
                      look: Look, *, again: bool = False) -> str | None:
        selector = self.banner.accept if what == "accept" else self.banner.reject
        driver = visitor.autoconsent
        material = self.banner.name == "material"
        if driver is None or visitor.exists(selector):
            if driver is None and material and self.autoconsent is None and not self._missing_said:
                self._missing_said = True
                record.note(MISSING)
            problem = visitor.click(selector, self.banner.timeout_ms, wait_ms=look.wait_ms)
            none = problem == not_shown(selector, self.banner.timeout_ms)
            look.saw(not none)
            if problem is None:
                how = "Material's banner rule" if material else "the --accept/--reject selectors"
                self._answered = (self.banner.name, None)
                record.note(f"banner answered ({what}) by {how}")
            elif material and self._hosted(visitor, result, label, what, look):
                return None
            elif none:
                look.found_none(Verdict(selector=True))
            return problem
        if self._hosted(visitor, result, label, what, look, offsite_only=True):
            look.saw(False)
            return None  # its script was stopped: no banner will come, however long autoconsent looks
        outcome = driver.answer(visitor.page, "optIn" if what == "accept" else "optOut", self.banner.timeout_ms,
                                again=again, wait_ms=look.wait_ms)
        if outcome.popup or outcome.rule is None:
            # A manager autoconsent recognised whose banner has not shown yet (a slow page) teaches nothing:
            # the next look waits again rather than check at once for a banner that may still come.
            look.saw(outcome.popup, outcome.problem)
        if not outcome.popup and look.learned is not None:
            # Checked at once after the first look found none: its words, so the report does not depend on
            # whether autoconsent had recognised the manager yet in this context.
            outcome.problem = look.learned
        manager = by_rule(outcome.rule)
        if outcome.result:
            name = manager.name if manager else outcome.rule or "?"
            self._answered = (name, outcome.rule)
            record.note(f"{name}: banner answered ({what}) by autoconsent's rule '{outcome.rule}'")
            visitor.settle()
            return None
        if not outcome.popup and self._hosted(visitor, result, label, what, look):
            return None
        if not outcome.popup:
            look.found_none(Verdict(said=outcome.problem))
        return outcome.problem

    def _hosted(self, visitor: Visitor, result: ScenarioRun, label: str, what: str, look: Look | None = None, *,
                offsite_only: bool = False) -> bool:
        """No banner appeared: when a hosted manager's script (stopped like every request off this machine) is
        why, the scenario is not exercised offline rather than failed. ``offsite_only``: only a script from
        another host that no stand-in answers counts (one the site serves itself may yet run)."""
        for found, url in loaded_by(visitor.links(SCRIPT_SOURCES)):
            answered = self.standins.find(url) is not None
            offsite = urlsplit(url).hostname not in LOCAL_HOSTS and not answered
            # A script a stand-in answered did run: no banner from it is the banner's problem, not the network's.
            if found.hosted and not answered and (offsite or not offsite_only):
                result.not_exercised.append((label, not_exercised_message(found, url, what)))
                if look is not None:
                    look.found_none(Verdict(hosted=(found, url)))
                    if url in visitor.unloaded:
                        # Its script did not load (Complianz's, which a WordPress site serves itself, missing
                        # here): no scenario will see its banner, so the first look teaches the others. One
                        # that loaded and is merely slow is waited for again by each.
                        look.saw(False, look.said)
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
        if manager is not None and manager.withdraw is not None and visitor.evaluate(manager.withdraw):
            record.note(f"{name}: consent withdrawn through the manager's own call")
            visitor.settle()
            return None
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
