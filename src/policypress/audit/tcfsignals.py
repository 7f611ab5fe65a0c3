"""The IAB TCF signal a page gives at the end of each scenario, and the rule it must keep.

A consent manager of the TCF keeps its TC string where the site's vendors read it: the
``euconsent-v2`` cookie, a localStorage key (each manager its own name, so every value shaped
like a v2 TC string is read), and the in-page API ``window.__tcfapi``. Without the visitor's
consent (before answering, after Reject, under GPC) no such string may signal consent
(``audit-tcf-consent-without-choice``); what each scenario's string grants goes into the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import TCStringError
from ..scan.findings import Severity
from .findings import AuditFinding, AuditRule
from .observations import ScenarioRun
from .scenarios import Scenario
from .tcf import TCString, decode, purpose_name, special_feature_name

if TYPE_CHECKING:
    from .evidence import Evidence
    from .session import Visitor

COOKIE = "euconsent-v2"  # the cookie name of the TCF v2 string (Open Cookie Database: Didomi, PrivacyPillar)
NO_CONSENT = (Scenario.BEFORE_CONSENT, Scenario.REJECT_ALL, Scenario.GPC)
# How long the page's __tcfapi may take to call back; the watchdog bounds the whole step besides.
API_WAIT_MS = 1500

# One evaluate: the localStorage values shaped like a v2 TC string (version 2 makes the first
# character "C"), and the tcString of __tcfapi: getTCData, or (it is deprecated since TCF v2.2, and
# some managers answer it with success false) addEventListener, whose first call carries the string.
READ_SIGNALS = r"""async (wait) => {
  const shape = /^C[A-Za-z0-9_-]{20,}(\.[A-Za-z0-9_-]+)*$/;
  const out = {storage: [], api: null};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i), value = localStorage.getItem(key);
      if (typeof value === "string" && shape.test(value)) out.storage.push([key, value]);
    }
  } catch (e) {}
  if (typeof window.__tcfapi !== "function") return out;
  const ask = (command) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve({error: `__tcfapi('${command}') did not call back within ${wait} ms`}), wait);
    try {
      window.__tcfapi(command, 2, (data, success) => {
        clearTimeout(timer);
        if (command === "addEventListener" && data && data.listenerId !== undefined) {
          try { window.__tcfapi("removeEventListener", 2, () => {}, data.listenerId); } catch (e) {}
        }
        if (success && data && typeof data.tcString === "string" && data.tcString) {
          resolve({command, tcString: data.tcString, eventStatus: data.eventStatus || null});
        } else {
          resolve({error: `__tcfapi('${command}') answered without a TC string (success: ${success})`});
        }
      });
    } catch (e) {
      clearTimeout(timer);
      resolve({error: `__tcfapi('${command}') failed: ${(e && e.message) || e}`});
    }
  });
  out.api = await ask("getTCData");
  if (out.api.error) {
    const second = await ask("addEventListener");
    out.api = second.error ? {error: out.api.error + "; " + second.error} : second;
  }
  return out;
}"""


@dataclass(frozen=True)
class TCFSignal:
    scenario: Scenario
    page: str  # where the scenario ended
    source: str  # "cookie euconsent-v2", "localStorage key …", "__tcfapi getTCData"
    text: str
    decoded: TCString | None
    error: str | None = None  # why the text is not a valid TC string

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"source": self.source, "page": self.page, "tc_string": self.text}
        if self.decoded is not None:
            data.update(self.decoded.grants())
        else:
            data["error"] = self.error
        return data


def _signal(scenario: Scenario, page: str, source: str, text: str) -> TCFSignal:
    try:
        return TCFSignal(scenario, page, source, text, decode(text))
    except TCStringError as exc:
        return TCFSignal(scenario, page, source, text, None, str(exc))


def read_signals(visitor: Visitor, scenario: Scenario, page: str) -> tuple[list[TCFSignal], list[str]]:
    """The TC strings the visitor's tab holds now, and notes (an API that did not answer)."""
    from playwright.sync_api import Error as PlaywrightError

    signals: list[TCFSignal] = []
    notes: list[str] = []
    for cookie in visitor.context.cookies():
        if cookie["name"] == COOKIE and cookie.get("value"):
            signals.append(_signal(scenario, page, f"cookie {COOKIE} ({cookie['domain'].lstrip('.')})", cookie["value"]))
    with visitor.watchdog.step(visitor.page.url):
        try:
            found: dict[str, Any] = visitor.page.evaluate(READ_SIGNALS, API_WAIT_MS)
        except PlaywrightError as exc:
            return signals, [f"could not read the TCF signal of {page}: {str(exc).strip().splitlines()[0]}"]
    for key, value in found.get("storage") or ():
        signals.append(_signal(scenario, page, f"localStorage key {key}", value))
    api = found.get("api")
    if isinstance(api, dict):
        if api.get("tcString"):
            signals.append(_signal(scenario, page, f"__tcfapi {api.get('command')}", str(api["tcString"])))
        elif api.get("error"):
            notes.append(f"TCF: {api['error']} on {page}")
    return signals, notes


def describe(signal: TCFSignal) -> str:
    """One line for the text report: what the string grants."""
    tc = signal.decoded
    if tc is None:
        return f"TCF signal ({signal.source}) is not a valid TC string: {signal.error}"
    purposes = ", ".join(purpose_name(p) for p in sorted(tc.purposes_consent)) or "none"
    line = f"TCF signal ({signal.source}, CMP {tc.cmp_id}): consent to purposes: {purposes}; " \
           f"{len(tc.vendor_consents)} vendor(s) with consent"
    if tc.special_feature_opt_ins:
        line += "; special features: " + ", ".join(special_feature_name(f) for f in sorted(tc.special_feature_opt_ins))
    return line


class ScenarioEnd:
    """The runner's hook at the end of each scenario (``ScenarioRunner.at_end``), its last page still open:
    reads the TCF signal into ``run.tcf`` and, with ``evidence`` (--evidence), files the scenario's evidence.

    Scenarios may run in threads at once: each call touches only its own run (and the evidence its own folder).
    """

    def __init__(self, evidence: Evidence | None = None) -> None:
        self.evidence = evidence

    def __call__(self, visitor: Visitor, run: ScenarioRun) -> None:
        if not run.records or visitor.page.url.startswith(("about:", "chrome-error:")):
            return  # no page was loaded: nothing holds a signal
        page = urlsplit(visitor.page.url).path or "/"
        signals, notes = read_signals(visitor, run.scenario, page)
        run.tcf.extend(signals)
        for text in [*notes, *(describe(signal) for signal in signals)]:
            run.records[-1].note(text)  # the report's notes of the scenario
        if self.evidence is not None:
            self.evidence.scenario_end(visitor, run)


def tcf_findings(runs: Sequence[ScenarioRun]) -> list[AuditFinding]:
    """``audit-tcf-consent-without-choice``: a TC string that grants any consent where the visitor gave none."""
    out: list[AuditFinding] = []
    for run in runs:
        for signal in run.tcf:
            tc = signal.decoded
            if run.scenario not in NO_CONSENT or tc is None or not tc.grants_consent:
                continue
            granted = [f"purpose {purpose_name(p)}" for p in sorted(tc.purposes_consent)]
            granted += [f"special feature {special_feature_name(f)}" for f in sorted(tc.special_feature_opt_ins)]
            if tc.vendor_consents:
                granted.append(f"{len(tc.vendor_consents)} vendor(s)")
            if tc.publisher_tc is not None and (tc.publisher_tc.purposes_consent or tc.publisher_tc.custom_purposes_consent):
                granted.append("the publisher's own purposes")
            out.append(AuditFinding(
                rule=AuditRule.TCF_CONSENT_WITHOUT_CHOICE, severity=Severity.ERROR, scenario=run.scenario.value,
                page=signal.page, item=signal.source, item_type="TCF signal",
                message=(
                    f"A TCF signal of consent the visitor did not give: the TC string in {signal.source} "
                    f"(CMP {tc.cmp_id}) grants consent {run.scenario.description}: {'; '.join(granted)}. "
                    "Every vendor that reads it takes it for the visitor's consent."
                ),
                fix=(
                    "Configure the consent manager to write a TC string with consent only after the visitor's "
                    "affirmative choice (IAB TCF: a string with positive consent signals must not be created before "
                    "it); before that, and after Reject or under GPC, its consent bits must all be 0."
                ),
            ))
    return out
