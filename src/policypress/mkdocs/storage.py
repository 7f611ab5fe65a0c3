"""The browser storage Material for MkDocs writes itself, declared on the site's behalf.

Material keeps its state under keys prefixed with the site's scope, the path of
``site_url`` (``/`` without one): ``/.__consent``, ``/docs/.__palette``. Type and
lifetime come from the tracker signatures (``trackers/data/vendors.yaml``, vendor
``material``), so there is one list of these keys; the purposes, in every language, are ours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from policypress.locales import locale_text
from policypress.model import CookieDeclaration
from policypress.trackers.signatures import Signatures, load_signatures

VENDOR = "material"
# The purposes, in every language, are ours: storage.material.<key> in locales/<lang>.yaml.
# Looked up when a build declares them, so that a project's own locale (locales_dir) is included.
PURPOSE_KEYS = ("__consent", "__palette", "__tabs", "__announce", "__outdated", "__source")


def scope(site_url: str | None) -> str:
    """Material's ``__md_scope``: the path of ``site_url``, ending in a slash; ``/`` without one."""
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def theme_storage(site_url: str | None, provider: str, signatures: Signatures | None = None) -> dict[str, CookieDeclaration]:
    """Name -> declaration of every key Material writes under this site's scope (necessary, no consent)."""
    vendor = (signatures or load_signatures()).vendors[VENDOR]
    prefix = scope(site_url)
    declarations: dict[str, CookieDeclaration] = {}
    for entry in vendor.storage:
        suffix = entry.name.rsplit(".", 1)[-1]
        purpose = locale_text(f"storage.material.{suffix}") if suffix in PURPOSE_KEYS else None
        if purpose is None:
            continue  # a key added to the signatures without our texts yet: left to the data
        declarations[f"{prefix}.{suffix}"] = CookieDeclaration.model_validate({
            "provider": provider, "party": entry.party.value, "type": entry.type.value, "category": "necessary",
            "duration": entry.duration or "persistent", "purpose": purpose.as_dict(), "consent_required": False,
        })
    return declarations
