"""Consent managers the audit knows by name: how to reopen the open-source ones, and which cannot run offline.

A hosted manager (Cookiebot, OneTrust, Usercentrics, …) draws its banner with a script from its
own servers. The audit lets no request leave the machine, so that banner never appears: the
scenarios that need an answer are reported as not exercised offline (a warning, never an error
of the site), naming the manager, and the live audit is what answers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..findings import Severity
from .findings import AuditFinding, AuditRule
from .observations import ScenarioRun

SCRIPT_SOURCES = (
    "() => Array.from(document.querySelectorAll('script[src], script[data-src]'),"
    " (s) => s.src || new URL(s.dataset.src, location.href).href)"
)


@dataclass(frozen=True)
class Manager:
    name: str
    scripts: tuple[str, ...] = ()  # host/path prefixes of its script; a path alone (/wp-…) is on the site
    hosted: bool = False  # its code comes from the vendor's servers only
    rules: tuple[str, ...] = ()  # autoconsent's names for it
    reopen: str | None = None  # JavaScript that shows the banner again; true when it did
    # JavaScript that withdraws the consent through the manager's own call, for a manager whose banner,
    # once answered, is not offered to autoconsent again (Cookiebot's rule asks for no answer yet).
    withdraw: str | None = None

    def loads(self, url: str) -> bool:
        parts = urlsplit(url)
        host, path = (parts.hostname or "").lower(), parts.path
        for prefix in self.scripts:
            if prefix.startswith("/"):
                if path.startswith(prefix):
                    return True
                continue
            want_host, _, want_path = prefix.partition("/")
            if (host == want_host or host.endswith("." + want_host)) and path.startswith("/" + want_path):
                return True
        return False


def _reopen(condition: str, call: str) -> str:
    return f"() => {{ if ({condition}) {{ {call}; return true; }} return false; }}"


# Script addresses as the vendors document them in their installation instructions.
MANAGERS: tuple[Manager, ...] = (
    # The reopening and withdrawing calls are each vendor's documented JavaScript API.
    Manager("Cookiebot", ("consent.cookiebot.com/", "consent.cookiebot.eu/"), hosted=True, rules=("Cybotcookiebot",),
            withdraw=_reopen("window.Cookiebot && typeof Cookiebot.withdraw === 'function'", "Cookiebot.withdraw()")),
    Manager("OneTrust", ("cdn.cookielaw.org/", "optanon.blob.core.windows.net/", "cookie-cdn.cookiepro.com/"),
            hosted=True, rules=("Onetrust",),
            reopen=_reopen("window.OneTrust && typeof OneTrust.ToggleInfoDisplay === 'function'",
                           "OneTrust.ToggleInfoDisplay()")),
    Manager("Usercentrics", ("app.usercentrics.eu/", "web.cmp.usercentrics.eu/", "privacy-proxy.usercentrics.eu/"),
            hosted=True, rules=("usercentrics-api", "usercentrics-button"),
            reopen=_reopen("window.UC_UI && typeof UC_UI.showSecondLayer === 'function'", "UC_UI.showSecondLayer()")),
    Manager("Didomi", ("sdk.privacy-center.org/",), hosted=True, rules=("didomi",),
            reopen=_reopen("window.Didomi && Didomi.notice && typeof Didomi.notice.show === 'function'",
                           "Didomi.notice.show()")),
    Manager("Quantcast Choice", ("cmp.quantcast.com/", "quantcast.mgr.consensu.org/"), hosted=True,
            rules=("quantcast",)),
    Manager("TrustArc", ("consent.trustarc.com/", "consent.truste.com/"), hosted=True, rules=("trustarc-newcm",)),
    Manager("Osano (hosted)", ("cmp.osano.com/",), hosted=True, rules=("osano",),
            reopen=_reopen("window.Osano && Osano.cm && typeof Osano.cm.showDialog === 'function'",
                           "Osano.cm.showDialog()")),
    # A WordPress plugin: its script is served by the site (wp-content), not by any CDN; when the site's
    # copy does not run, nothing else can stand in for it.
    Manager("Complianz (WordPress plugin)", ("/wp-content/plugins/complianz-gdpr/",), hosted=True,
            rules=("Complianz banner",),
            reopen=_reopen("document.querySelector('.cmplz-manage-consent')",
                           "document.querySelector('.cmplz-manage-consent').click()")),
    Manager("Klaro", ("cdn.kiprotect.com/klaro/", "cdn.jsdelivr.net/npm/klaro", "unpkg.com/klaro"), rules=("Klaro",),
            reopen=_reopen("window.klaro && typeof klaro.show === 'function'", "klaro.show(undefined, true)")),
    Manager("CookieConsent v3 (orestbida, vanilla-cookieconsent)",
            ("cdn.jsdelivr.net/gh/orestbida/cookieconsent", "cdn.jsdelivr.net/npm/vanilla-cookieconsent",
             "unpkg.com/vanilla-cookieconsent"),
            rules=("cookieconsent3", "cookieconsent2"),
            reopen=_reopen("window.CookieConsent && typeof CookieConsent.show === 'function'",
                           "CookieConsent.show(true)")),
    # Osano's open-source cookieconsent: autoconsent knows its markup (aria-describedby="cookieconsent:desc")
    # under the names of Complianz's older banner, which was built on it.
    Manager("Cookie Consent v2 (Osano's open-source cookieconsent)",
            ("cdn.jsdelivr.net/npm/cookieconsent", "cdnjs.cloudflare.com/ajax/libs/cookieconsent2/",
             "unpkg.com/cookieconsent"),
            rules=("Complianz optin", "Complianz opt-out", "Complianz categories", "Complianz notice"),
            reopen=_reopen("document.querySelector('.cc-revoke')", "document.querySelector('.cc-revoke').click()")),
)


def by_rule(rule: str | None) -> Manager | None:
    return next((m for m in MANAGERS if rule is not None and rule in m.rules), None)


def loaded_by(script_urls: list[str]) -> list[tuple[Manager, str]]:
    """The known managers whose scripts the page asks for, each with the first such URL."""
    found: list[tuple[Manager, str]] = []
    for manager in MANAGERS:
        url = next((u for u in script_urls if manager.loads(u)), None)
        if url is not None:
            found.append((manager, url))
    return found


def not_exercised_message(manager: Manager, url: str, what: str) -> str:
    where = "the site's own copy did not run" if urlsplit(url).hostname in ("127.0.0.1", "localhost") else (
        "it cannot be had offline")
    return (
        f"not exercised offline: run the live audit. The page loads {manager.name} from {url}; {where}, so its "
        f"banner never appeared and the audit could not {what}."
    )


def not_exercised_findings(runs: list[ScenarioRun]) -> list[AuditFinding]:
    findings = []
    for run in runs:
        for label, message in run.not_exercised:
            findings.append(AuditFinding(
                rule=AuditRule.NOT_EXERCISED, severity=Severity.WARNING, scenario=run.scenario.value, page=label,
                message=f"{run.scenario.value} on {label}: {message}",
                fix=(
                    "Nothing to change on the site for this: audit it live (the weekly live audit workflow) to see "
                    "what it stores once the banner is answered, or give the manager's script as a stand-in "
                    "(--standins)."
                ),
            ))
    return findings
