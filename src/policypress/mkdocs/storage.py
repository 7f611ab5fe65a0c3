"""The browser storage Material for MkDocs writes itself, declared on the site's behalf.

Material keeps its state under keys prefixed with the site's scope, the path of
``site_url`` (``/`` without one): ``/.__consent``, ``/docs/.__palette``. Type and
lifetime come from the tracker signatures (``trackers/data/vendors.yaml``, vendor
``material``), so there is one list of these keys; the purposes, in both languages, are ours.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from policypress.i18n import Text
from policypress.model import CookieDeclaration
from policypress.trackers.signatures import Signatures, load_signatures

VENDOR = "material"
PURPOSES = {
    "__consent": Text(
        en="Remembers your answer to the cookie banner of this website, per category.",
        sv="Kommer ihåg ditt svar i cookie-rutan på denna webbplats, för varje kategori.",
    ),
    "__palette": Text(en="Remembers the colour scheme shown (light or dark).",
                      sv="Kommer ihåg vilket färgschema som visas (ljust eller mörkt)."),
    "__tabs": Text(en="Remembers the content tabs you chose last.",
                   sv="Kommer ihåg vilka innehållsflikar du valde senast."),
    "__announce": Text(en="Remembers that you closed the announcement bar.",
                       sv="Kommer ihåg att du stängde meddelandefältet."),
    "__outdated": Text(en="Whether the documentation version shown is outdated, for the warning banner.",
                       sv="Om den visade versionen av dokumentationen är inaktuell, för varningsfältet."),
    "__source": Text(en="A copy of the repository's public facts (stars, forks, version) from the code host.",
                     sv="En kopia av kodförrådets offentliga uppgifter (stjärnor, forkar, version) från kodvärden."),
}


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
        purpose = PURPOSES.get(suffix)
        if purpose is None:
            continue  # a key added to the signatures without our texts yet: left to the data
        declarations[f"{prefix}.{suffix}"] = CookieDeclaration.model_validate({
            "provider": provider, "party": entry.party.value, "type": entry.type.value, "category": "necessary",
            "duration": entry.duration or "persistent", "purpose": purpose.model_dump(), "consent_required": False,
        })
    return declarations
