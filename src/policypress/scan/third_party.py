"""What goes to other parties without a cookie: IP addresses sent to font hosts and CDNs, and hosts no signature knows.

- ``ip-transfer-before-consent``: a vendor whose signature stores nothing in the browser but
  receives the visitor's IP address (``transfers_ip: true``: Google Fonts, a CDN, a captcha)
  loads before the visitor consents, and recipients.yaml does not name it. Naming the company
  there (the existing "recipients" of the signature) is the declaration and silences it. A
  warning: whether a font or a CDN may load before consent is disputed (a legitimate interest
  is often claimed), and self-hosting is the sure fix; an error with ``--strict``. The same
  vendor loaded only after consent, or through a form the visitor sends, is ``undeclared``
  with the same severity: the policy must still name who receives the data.
- ``unknown-third-party``: a script, frame, image, stylesheet (or preconnect) or form from a
  host off the site that no signature knows, grouped by registrable domain. An error when it
  runs code (a script or a frame) before consent: code from an unknown party may set any
  cookie and read the page, so it is treated as a tracker until a signature says otherwise. A
  warning otherwise: an image or stylesheet hands over the visitor's IP address, a form only
  what the visitor sends. The site's own hosts (the controller's website, and any the caller
  names) are not another party, nor their subdomains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Policy
from ..trackers.domains import is_third_party, registrable_domain
from ..trackers.matching import parse_url
from ..trackers.signatures import UrlKind, Vendor
from .findings import Finding, Rule, Severity
from .fixes import ip_transfer_fix, unknown_party_fix
from .folder import Observations, StrangerSighting
from .seen import Seen, place_fields, vendor_fields

_NOUNS = {
    UrlKind.SCRIPT: "a script",
    UrlKind.IFRAME: "a frame",
    UrlKind.PIXEL: "an image",
    UrlKind.STYLESHEET: "a stylesheet or link",
    UrlKind.FORM: "a form",
}
_RUNS_CODE = frozenset({UrlKind.SCRIPT, UrlKind.IFRAME})
TEMPLATE_HOST = "a host chosen by a template"


def _host_of(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if "//" not in text:
        text = "//" + text
    url = parse_url(text, "/")
    return url.host if url is not None else None


def site_hosts_of(policy: Policy, given: Iterable[str] = ()) -> tuple[str, ...]:
    """The site's own hosts: those given (hosts or URLs) and the host of the controller's website."""
    hosts = [_host_of(text) for text in (*given, policy.controller.website)]
    return tuple(dict.fromkeys(host for host in hosts if host))


# --- vendors that store nothing but receive the IP address -----------------------------------


def recipient_findings(observations: Observations, policy: Policy, *, strict: bool) -> list[Finding]:
    everywhere: dict[str, Seen] = {}
    early: dict[str, Seen] = {}
    how: dict[str, str] = {}
    vendors: dict[str, Vendor] = {}
    for sighting in observations.vendors:
        vendor = sighting.compiled.vendor
        if vendor.required_storage or not vendor.transfers_ip:
            continue
        vendor_id = sighting.vendor_id
        vendors[vendor_id] = vendor
        everywhere.setdefault(vendor_id, Seen(sighting.place)).add(sighting.place)
        if sighting.compiled.detector.runs_vendor_code and not sighting.gate.held:
            early.setdefault(vendor_id, Seen(sighting.place)).add(sighting.place)
            how.setdefault(vendor_id, sighting.gate.how)
    severity = Severity.ERROR if strict else Severity.WARNING
    findings: list[Finding] = []
    for vendor_id, where in everywhere.items():
        vendor = vendors[vendor_id]
        accepted = (vendor_id, *vendor.recipients)
        if any(candidate in policy.recipients for candidate in accepted):
            continue
        ids = ", ".join(accepted)
        if vendor_id in early:
            rule, seen = Rule.IP_TRANSFER_BEFORE_CONSENT, early[vendor_id]
            message = (
                f"{vendor.name} receives the IP address of every visitor of this page before any consent "
                f"({how[vendor_id]}), and recipients.yaml does not name it (accepted ids: {ids})."
            )
        else:
            rule, seen = Rule.UNDECLARED, where
            message = (
                f"{vendor.name} receives the IP address of the visitors who consent or send its form, but "
                f"recipients.yaml does not name it (accepted ids: {ids})."
            )
        findings.append(
            Finding(
                rule=rule, severity=severity, message=message, fix=ip_transfer_fix(vendor_id, vendor),
                **place_fields(seen), **vendor_fields(vendor_id, vendor),
            )
        )
    return findings


# --- hosts no signature knows -----------------------------------------------------------------


@dataclass
class _Party:
    seen: Seen
    hosts: dict[str, None] = field(default_factory=dict)  # in the order seen
    kinds: dict[UrlKind, None] = field(default_factory=dict)
    early_code: Seen | None = None  # where code runs before consent: the finding points there
    early: bool = False


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def stranger_findings(observations: Observations, site_hosts: Sequence[str]) -> list[Finding]:
    parties: dict[str | None, _Party] = {}
    for stranger in observations.strangers:
        templated = "*" in stranger.host
        if not templated and not is_third_party(stranger.host, site_hosts):
            continue
        domain = None if templated else registrable_domain(stranger.host)
        party = parties.setdefault(domain, _Party(Seen(stranger.place)))
        party.seen.add(stranger.place)
        party.hosts.setdefault(stranger.host)
        party.kinds.setdefault(stranger.kind)
        _note_timing(party, stranger)
    return [_stranger_finding(domain, party) for domain, party in parties.items()]


def _note_timing(party: _Party, stranger: StrangerSighting) -> None:
    if stranger.gate.held or stranger.kind is UrlKind.FORM:
        return
    party.early = True
    if stranger.kind in _RUNS_CODE:
        if party.early_code is None:
            party.early_code = Seen(stranger.place)
        party.early_code.add(stranger.place)


def _stranger_finding(domain: str | None, party: _Party) -> Finding:
    what = _join([_NOUNS[kind] for kind in party.kinds])
    what = what[0].upper() + what[1:]
    if domain is None:
        source = f"{TEMPLATE_HOST} ({', '.join(party.hosts)})"
    else:
        others = [host for host in party.hosts if host != domain]
        source = domain + (f" ({', '.join(others)})" if others else "")
    if party.early_code is not None:
        timing = "runs before the visitor consents"
    elif party.early:
        timing = "loads before the visitor consents, sending the visitor's IP address"
    elif party.kinds.keys() == {UrlKind.FORM}:
        timing = "receives what visitors send"
    else:
        timing = "loads only after consent"
    return Finding(
        rule=Rule.UNKNOWN_THIRD_PARTY,
        severity=Severity.ERROR if party.early_code is not None else Severity.WARNING,
        message=f"{what} from {source}, which no tracker signature knows, {timing}.",
        fix=unknown_party_fix(domain, party.early_code is not None),
        **place_fields(party.early_code or party.seen),
    )
