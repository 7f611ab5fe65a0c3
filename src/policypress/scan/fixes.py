"""How to fix each finding, in the syntax of the consent manager the page already uses."""

from __future__ import annotations

from ..consent import consent_key
from ..model import Policy
from ..vocabulary import CookieCategory
from ..trackers.signatures import StorageEntry, Vendor

# Each manager's name for our categories.
_COOKIEBOT = {"analytics": "statistics", "marketing": "marketing", "preferences": "preferences"}
MANAGER_ORDER = ("material", "cookiebot", "vanilla_cookieconsent", "klaro")


def _manager(managers: frozenset[str]) -> str | None:
    return next((m for m in MANAGER_ORDER if m in managers), None)


def hold_script(vendor_id: str, category: CookieCategory, managers: frozenset[str]) -> str:
    """How to keep a script back until the visitor consents to ``category``."""
    value = category.value
    manager = _manager(managers)
    if manager == "material":
        return (
            f"Load it from a script that checks Material's consent first: "
            f'<script>var consent = __md_get("__consent"); if (consent && consent.{consent_key(category)}) '
            f"{{ /* load the vendor here */ }}</script> ('{consent_key(category)}' must be a cookie of extra.consent)."
        )
    if manager == "cookiebot":
        return f'Hold it back for Cookiebot: <script type="text/plain" data-cookieconsent="{_COOKIEBOT[value]}" …>.'
    if manager == "vanilla_cookieconsent":
        return f'Hold it back for CookieConsent: <script type="text/plain" data-category="{value}" …>.'
    if manager == "klaro":
        return (
            f'Hold it back for Klaro: <script type="text/plain" data-type="text/javascript" data-name="{vendor_id}" …> '
            f"and a Klaro service named '{vendor_id}' with purpose '{value}'."
        )
    return (
        "The page has no consent manager. Add one (Material's extra.consent, vanilla-cookieconsent, Cookiebot or "
        f'Klaro) and hold the script back until consent, e.g. <script type="text/plain" data-category="{value}" …>.'
    )


def hold_embed(vendor_id: str, category: CookieCategory, managers: frozenset[str], in_noscript: bool) -> str:
    """How to keep a frame, pixel or stylesheet from loading until the visitor consents."""
    if in_noscript:
        return "Remove the <noscript> fallback: a visitor without JavaScript cannot consent through the banner."
    manager = _manager(managers)
    value = category.value
    if manager == "cookiebot":
        return f'Let Cookiebot load it: data-cookieblock-src="…" (instead of src) and data-cookieconsent="{_COOKIEBOT[value]}".'
    if manager == "klaro":
        return f"Let Klaro load it: data-src=\"…\" (instead of src) and data-name=\"{vendor_id}\", with a Klaro service of that name."
    if manager == "material":
        return (
            "Write the address as data-src (not src) and copy it to src from a script that checks "
            f'__md_get("__consent").{consent_key(category)} first.'
        )
    if manager == "vanilla_cookieconsent":
        return "Replace it with a placeholder that inserts it after consent (CookieConsent's iframemanager does this)."
    return "Replace it with a placeholder that loads it only after the visitor consents (a consent manager can do this)."


MATERIAL_ANALYTICS_FIX = (
    "Set extra.consent in mkdocs.yml with an 'analytics' cookie (the policypress hooks do this), so that Material "
    "loads Google Analytics only after that consent."
)


def provider_for(vendor_id: str | None, vendor: Vendor | None, policy: Policy) -> tuple[str, bool]:
    """The recipient id to write as ``provider``, and whether recipients.yaml already has it."""
    # Code that stores in the site's own origin and sends nothing away (the site's code, its theme, its
    # CMS) is the controller's own doing.
    if vendor is None or vendor_id is None or not (vendor.transfers_ip or vendor.recipients):
        return policy.controller.id, True
    for candidate in (vendor_id, *vendor.recipients):
        if candidate in policy.recipients:
            return candidate, True
    return (vendor.recipients[0] if vendor.recipients else vendor_id), False


def declaration_snippet(name: str, entry: StorageEntry | None, category: CookieCategory | None, provider: str,
                        storage_type: str) -> str:
    """One cookies.yaml entry to start from: the facts known, the rest to fill in."""
    duration = entry.duration if entry and entry.duration and entry.duration != "persistent" else "<how long>"
    party = entry.party.value if entry else "first"
    purpose = entry.purpose.replace('"', "'") if entry else "<what it is for>"
    chosen = category.value if category else "<necessary|preferences|analytics|marketing>"
    consent = "false" if category is CookieCategory.NECESSARY else "true"
    return (
        f'"{name}": {{provider: {provider}, party: {party}, type: {storage_type}, category: {chosen}, '
        f'duration: {duration}, purpose: {{en: "{purpose}", sv: "…"}}, consent_required: {consent}}}'
    )


def ip_transfer_fix(vendor_id: str, vendor: Vendor) -> str:
    """How to stop a vendor that stores nothing from receiving visitors' IP addresses, or to say that it does."""
    recipient = (vendor.recipients or (vendor_id,))[0]
    return (
        "Serve the files from the site itself (download them once and link the copies), or, on a MkDocs "
        "site with Material, add Material's privacy plugin (plugins: [privacy]), which downloads external "
        "scripts, stylesheets, images and fonts at build time and links the copies. If the transfer is "
        f"meant, name the company in recipients.yaml as '{recipient}' (name, role, service, storage), so "
        "that the policy tells visitors; that silences this finding."
        + (f" {vendor.fix}" if vendor.fix else "")
    )


def unknown_party_fix(domain: str | None, runs_code: bool) -> str:
    """What to do about another party's host that no signature knows (``domain`` None: a template chose it)."""
    if domain is None:
        first = (
            "Find the host the template puts there (the site's configuration or build variables) and what "
            "it serves; scan the built pages to see the real address."
        )
    else:
        first = f"Find out who runs {domain} and what it stores and receives (its documentation, or a browser audit)."
    hold = " Until then, hold it back until consent unless it is necessary." if runs_code else ""
    return (
        f"{first} Then add a signature with --signatures FILE (what it loads and stores, and the recipient "
        "id of the company), and declare the recipient in recipients.yaml and its cookies in cookies.yaml; "
        f"or remove it from the pages.{hold}"
    )
