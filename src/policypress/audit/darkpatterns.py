"""The consent banner's dark patterns, measured in the browser once per audit (``--no-dark-patterns`` skips it).

On the first page where a banner shows in the before-consent scenario, one script (``MEASURE``)
reads its first layer: the accept and reject controls (Material's selectors or the
``--accept/--reject`` ones, then the single-click opt-in/opt-out selectors of autoconsent's rules
for the page, then the controls' texts from ``data/darkpatterns.yaml`` inside the banner's
container), every button and link in the container with its box, font, text colour, fill and the
backgrounds it is drawn on, and the container's checkboxes and switches with their states. The
rules are in ``darkpatterns_rules.py``.

Clicks to reject are counted by clicking, not guessed: only when the first layer has no reject
control but a settings one, a fresh browser context (the audit's locked-down network, nothing
recorded) loads the page, clicks "settings" and looks for a reject or save control on the layer
that opens. With a reject control on the first layer, rejecting and accepting both take one click,
so nothing more is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import AuditTimeout
from .autoconsent import Autoconsent
from .banner import BannerConfig
from .browser import wait_until_still
from .darkpatterns_rules import Banner, Words, judge, load_words, parse
from .findings import AuditFinding
from .session import Visitor

MARK = "data-policypress-dark"  # set on the controls in the fresh context only, to click them there
STILL_MS = 3000  # a banner still fading after this is measured as it stands
# How long the first page waits for a banner (when the policy calls for one). Material shows its
# banner 250 ms after the load, most managers at once; a slower one is measured on a later page,
# which is looked at without waiting. A site without a banner costs this once, not the banner's timeout.
FIRST_WAIT_MS = 1500
# The first wait ends early once the page's DOM has not changed for this long with no banner shown: a banner
# is drawn by changing the DOM, so a still page without one shows none (a static page costs this, not 1.5 s).
QUIET_DOM_MS = 500

# ``arg``: {selectors: [[exists, accept, reject], …], words: {kind: [phrases]}, probe, mark, anywhere}.
# probe: only whether a banner with an accept control is shown. anywhere: every banner-like part of the
# page (a second layer opened in a dialog of its own), without needing an accept control.
MEASURE = r"""(arg) => {
  const W = arg.words;
  const norm = (s) => (s || "").normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const has = (t, p) => (" " + t + " ").includes(" " + p + " ");
  const kind = (t) => {
    if (!t || t.length > 60) return "other";  // a sentence is not a button's label
    for (const k of ["reject", "save", "settings", "accept"]) if (W[k].some((p) => has(t, p))) return k;
    return W.vague_accept.includes(t) ? "accept" : "other";
  };
  const roots = [document];
  for (let i = 0; i < roots.length; i++)
    for (const el of roots[i].querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
  const all = (sel) => {
    const out = [];
    for (const r of roots) { try { out.push(...r.querySelectorAll(sel)); } catch (e) { /* not CSS we know */ } }
    return out;
  };
  const up = (el) => el.parentElement || (el.getRootNode && el.getRootNode().host) || null;
  const within = (outer, el) => { for (let e = el; e; e = up(e)) if (e === outer) return true; return false; };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    return el.checkVisibility ? el.checkVisibility({opacityProperty: true, visibilityProperty: true}) : true;
  };
  // A banner is a dialog or a layer fixed over the page; failing that, a part named like one.
  const layer = (el) => {
    const role = el.getAttribute("role");
    if (role === "dialog" || role === "alertdialog" || el.getAttribute("aria-modal") === "true") return true;
    if (el.tagName === "DIALOG") return true;
    const pos = getComputedStyle(el).position;
    return pos === "fixed" || pos === "sticky";
  };
  const named = (el) => /cookie|consent|gdpr|cmp|klaro|(^|\s)cc[-_]/i.test(
    (el.id || "") + " " + (typeof el.className === "string" ? el.className : ""));
  const containerOf = (el) => {
    for (const test of [layer, named])
      for (let e = up(el); e && e !== document.body && e !== document.documentElement; e = up(e))
        if (test(e)) return e;
    return null;
  };
  const firstVisible = (sels) => {
    for (const s of sels) if (s) for (const el of all(s)) if (visible(el)) return el;
    return null;
  };
  const CONTROL = "button, a[href], [role=button], input[type=button], input[type=submit]";
  const label = (el) => (el.innerText || el.value || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim();
  const known = arg.selectors.filter(([exists]) => !exists || all(exists).length);
  let accept = arg.anywhere ? null : firstVisible(known.map((s) => s[1]));
  let reject = arg.anywhere ? null : firstVisible(known.map((s) => s[2]));
  const chosen = new Set([accept, reject].filter(Boolean));
  let container = null;
  if (accept || reject) {
    const one = accept || reject, other = accept && reject ? reject : null;
    container = containerOf(one);
    while (container && other && !within(container, other)) container = containerOf(container);
    container = container || up(one);
  } else if (!arg.anywhere) {
    for (const el of all(CONTROL)) {
      if (!visible(el) || kind(norm(label(el))) !== "accept") continue;
      const c = containerOf(el);
      if (c && W.topic.some((p) => has(norm(c.innerText), p))) { accept = el; container = c; break; }
    }
    if (!accept) return null;
  }
  if (arg.probe) return true;
  const inside = (el) => (container ? within(container, el) : containerOf(el) !== null);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const cx = canvas.getContext("2d", {willReadFrequently: true});
  const px = (c) => {  // any CSS colour, as the browser paints it: [r, g, b, a] in 0-255
    cx.clearRect(0, 0, 1, 1);
    cx.fillStyle = "rgba(0, 0, 0, 0)";
    cx.fillStyle = c;
    cx.fillRect(0, 0, 1, 1);
    return Array.from(cx.getImageData(0, 0, 1, 1).data);
  };
  const backdrop = (el) => {
    const layers = [];
    for (let e = up(el); e; e = up(e)) {
      const c = px(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] === 255) break;
    }
    return layers;
  };
  const controls = [];
  const seen = new Set();
  for (const el of [...chosen, ...all(CONTROL)]) {
    if (seen.has(el) || !visible(el) || !inside(el)) continue;
    seen.add(el);
    const text = label(el).slice(0, 200);
    const role = el === accept ? "accept" : el === reject ? "reject" : kind(norm(text));
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (arg.mark) el.setAttribute("data-policypress-dark", role);
    controls.push({role, via: chosen.has(el) ? "selector" : "text", text, norm: norm(text), w: r.width, h: r.height,
      fontSize: parseFloat(cs.fontSize) || 0, fontWeight: parseFloat(cs.fontWeight) || 400,
      color: px(cs.color), fill: px(cs.backgroundColor), backdrop: backdrop(el)});
  }
  const boxes = [];
  for (const el of all("input[type=checkbox], [role=checkbox], [role=switch]")) {
    if (!inside(el)) continue;
    const named = el.getAttribute("aria-labelledby");
    const text = ((el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute("aria-label")
      || (named && document.getElementById(named) && document.getElementById(named).innerText)
      || (el.closest("label") && el.closest("label").innerText) || (el.parentElement && el.parentElement.innerText)
      || "").replace(/\s+/g, " ").trim().slice(0, 120);
    const n = norm(text);
    if (kind(n) === "settings") continue;  // the toggle that opens the settings (Material's #__settings)
    boxes.push({label: text, checked: el.tagName === "INPUT" ? el.checked : el.getAttribute("aria-checked") === "true",
      disabled: !!el.disabled || el.getAttribute("aria-disabled") === "true" || el.getAttribute("aria-readonly") === "true",
      necessary: W.necessary.some((p) => has(n, p))});
  }
  const describe = (el) => !el ? "the page" : el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/)[0] : "");
  return {lang: document.documentElement.lang || null, container: describe(container), controls, boxes};
}"""

# MEASURE's probe, or "quiet": the DOM unchanged for arg.quiet ms since the first poll (an observer counts).
SHOWN_OR_QUIET = r"""(arg) => {
  let q = window.__policypressDomQuiet;
  if (!q) {
    q = window.__policypressDomQuiet = {last: performance.now()};
    new MutationObserver(() => { q.last = performance.now(); })
      .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  if ((""" + MEASURE + r""")(arg)) return "shown";
  return performance.now() - q.last >= arg.quiet ? "quiet" : false;
}"""


# [exists, accept, reject] of managers autoconsent answers with coded rules (not in its rules.json), as those
# rules click them (lib/cmps/klaro.ts, lib/cmps/onetrust.ts of @duckduckgo/autoconsent).
CODED_RULES = (
    [".klaro > .cookie-notice", ".klaro .cookie-notice .cm-btn-success", ".klaro .cn-decline"],
    ["#onetrust-banner-sdk", "#onetrust-accept-btn-handler", "#onetrust-reject-all-handler"],
)


def _clicks(steps: Any) -> list[str] | None:
    """The selectors an autoconsent rule's steps click, in order; None when a step is beyond a plain reading."""
    out: list[str] = []
    for step in steps if isinstance(steps, list) else ():
        if not isinstance(step, dict):
            return None
        if "if" in step:
            inner = _clicks(step.get("then"))
            if inner is None:
                return None
            out.extend(inner)
            continue
        target = step.get("click", step.get("waitForThenClick"))
        if target is not None:
            if not isinstance(target, str):
                return None  # a chain through frames or shadow roots
            out.append(target)
    return out


def rule_selectors(autoconsent: Autoconsent | None, url: str) -> list[list[str]]:
    """[exists, accept, reject] for autoconsent's rules that apply to ``url`` and answer with one click each."""
    found: list[list[str]] = []
    for rule in autoconsent.rules_for(url) if autoconsent else ():
        exists = next((s["exists"] for s in rule.get("detectCmp") or () if isinstance(s, dict)
                       and isinstance(s.get("exists"), str)), None)
        accept, reject = _clicks(rule.get("optIn")), _clicks(rule.get("optOut"))
        if exists and accept and reject and len(accept) == 1 and len(reject) == 1:
            found.append([exists, accept[0], reject[0]])
    return found


@dataclass
class DarkPatterns:
    """The check for one audit: ``visit`` after each before-consent page until a banner was measured."""

    banner: BannerConfig
    autoconsent: Autoconsent | None = None
    wait: bool = True  # the policy declares optional storage: wait for the banner on the first page
    words: Words = field(default_factory=load_words)
    measured: Banner | None = None
    findings: list[AuditFinding] = field(default_factory=list)
    _visits: int = 0

    def selectors(self, url: str) -> list[list[str]]:
        coded = [list(rule) for rule in CODED_RULES] if self.autoconsent else []
        return [["", self.banner.accept, self.banner.reject], *coded, *rule_selectors(self.autoconsent, url)]

    def visit(self, visitor: Visitor, page: str, label: str) -> None:
        if self.measured is not None:
            return
        self._visits += 1
        wait_ms = min(self.banner.timeout_ms, FIRST_WAIT_MS) if self.wait and self._visits == 1 else 0
        selectors = self.selectors(visitor.page.url)
        measured = measure(visitor, label, selectors, self.words, wait_ms=wait_ms)
        if measured is None:
            return
        self.measured = measured
        if measured.first("accept") and not measured.first("reject") and measured.first("settings"):
            count_reject_clicks(visitor, page, measured, selectors, self.words, self.banner.timeout_ms)
        self.findings = judge(measured, self.words)
        if visitor.record is not None:
            roles = ", ".join(f"{c.role} '{c.text}'" for c in measured.controls if c.role != "other")
            visitor.record.note(f"dark patterns: measured the banner ({measured.container}) on {label}: {roles}")


def measure(visitor: Visitor, label: str, selectors: list[list[str]], words: Words, *, wait_ms: float = 0,
            mark: bool = False, anywhere: bool = False) -> Banner | None:
    """The banner shown in ``visitor``'s page (its frames too), or None when none is shown."""
    from playwright.sync_api import Error as PlaywrightError

    page = visitor.page
    arg: dict[str, Any] = {"selectors": selectors, "words": words.detection(), "probe": True, "mark": mark,
                           "anywhere": anywhere}
    with visitor.watchdog.step(page.url):
        frame = None
        if wait_ms > 0 and not anywhere:
            try:  # Playwright's driver keeps this timeout, so a busy page cannot stall it
                shown = page.wait_for_function(SHOWN_OR_QUIET, arg={**arg, "quiet": QUIET_DOM_MS}, polling=100,
                                               timeout=min(wait_ms, visitor.watchdog.remaining_ms()))
                if shown.json_value() == "shown":
                    frame = page.main_frame
            except PlaywrightError:
                pass  # none came on the main frame: a frame may hold it
        for candidate in () if frame is not None else page.frames:
            if candidate.is_detached() or candidate.url.startswith("chrome-error:"):
                continue
            try:
                if anywhere or candidate.evaluate(MEASURE, arg):
                    frame = candidate
                    break
            except PlaywrightError:
                continue  # a frame that went away, or one that refuses scripts
        if frame is None:
            return None
        try:
            wait_until_still(page, min(STILL_MS, visitor.watchdog.remaining_ms()))
        except AuditTimeout:
            pass  # measured as it stands: a banner that keeps moving is judged by one moment of it
        try:
            raw = frame.evaluate(MEASURE, {**arg, "probe": False})  # the one measurement
        except PlaywrightError:
            return None  # the page went on to another document meanwhile: nothing left to measure
    return parse(raw, label) if raw else None


def count_reject_clicks(visitor: Visitor, page: str, measured: Banner, selectors: list[list[str]], words: Words,
                        timeout_ms: int) -> None:
    """Click the first layer's settings control in a fresh context and count what rejecting takes from there."""
    fresh = Visitor(visitor.context.browser, visitor.site, visitor.standins, visitor.timing,
                    libraries=visitor.libraries)
    note = visitor.record.note if visitor.record is not None else (lambda _text: None)
    try:
        if fresh.goto(page) is not None:
            return
        first = measure(fresh, measured.page, selectors, words, wait_ms=timeout_ms, mark=True)
        settings = first.first("settings") if first else None
        if settings is None:
            return
        problem = fresh.click(f"[{MARK}=settings]", timeout_ms)
        if problem is not None:
            note(f"dark patterns: could not count the clicks to reject: {problem}")
            return
        second = measure(fresh, measured.page, selectors, words, anywhere=True)
    except AuditTimeout as exc:
        note(f"dark patterns: could not count the clicks to reject: {exc}")
        return
    finally:
        fresh.close()
    if second is None:
        return
    known = {box.label for box in measured.boxes}
    measured.boxes.extend(box for box in second.boxes if box.label not in known)
    reject, save = second.first("reject"), second.first("save")
    opened = f"'{settings.text}'"
    if reject is not None:
        measured.reject_clicks, measured.reject_route = 2, f"{opened}, then '{reject.text}'"
    elif save is not None:
        ticked = len(second.pre_ticked)
        untick = f", unticking {ticked} categor{'y' if ticked == 1 else 'ies'}" if ticked else ""
        measured.reject_clicks = 2 + ticked
        measured.reject_route = f"{opened}{untick}, then '{save.text}'"
    else:
        measured.reject_clicks, measured.reject_route = 0, f"clicking {opened}"
