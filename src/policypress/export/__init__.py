"""The policy as data for machines: plain JSON (with a JSON Schema) and JSON-LD in the
W3C Data Privacy Vocabulary (DPV 2).

``policy_json`` holds the facts of one version exactly as the YAML states them: ids as
keys, in the order of the data (which is the order on the page), every text as
``{"en": ..., "sv": ...}``, vocabulary terms as their ids with their labels listed once
under ``labels``. ``POLICY_JSON_SCHEMA`` describes it.

``policy_jsonld`` says the same in DPV 2.3: each processing activity is a
``dpv:Process`` with its purpose (a DPV purpose class where the data names one), legal
bases (DPV and GDPR article terms), personal data (DPV ``pd:`` terms where DPV has one, else the project's own
``policypress:`` term with its broader DPV term), recipients, storage duration and the
controller; transfers to third countries with their safeguard; cookies and other
browser storage as ``tech:`` technologies. Texts carry both languages as
language-tagged literals. Node ids are fragments (``#activity-newsletter``) of ``url``,
or of the document itself when no ``url`` is given (JSON-LD embedded in a page then
describes that page). ``export_jsonld`` is the standalone file: it needs a base URL
(or the site's ``site_url``) and refuses to write relative ids.

Nothing here reads the clock: the same data gives byte-identical output.
"""

from __future__ import annotations

from .cli import dumps, jsonld_script
from .jsonld import CONTEXT, DATA_CATEGORY_TERMS, LEGAL_BASIS_TERMS, TRANSFER_TERMS, export_jsonld, policy_jsonld
from .plain import FORMAT_VERSION, policy_json
from .schema import POLICY_JSON_SCHEMA

__all__ = [
    "CONTEXT",
    "DATA_CATEGORY_TERMS",
    "LEGAL_BASIS_TERMS",
    "TRANSFER_TERMS",
    "FORMAT_VERSION",
    "POLICY_JSON_SCHEMA",
    "dumps",
    "export_jsonld",
    "jsonld_script",
    "policy_json",
    "policy_jsonld",
]
