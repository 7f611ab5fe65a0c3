"""``policypress export``: the policy as data, plain JSON (with its JSON Schema) or JSON-LD (DPV)."""

from __future__ import annotations

from pathlib import Path

import click

from ..escape import terminal
from ..site import DRAFT
from ..sources import history_source, resolve_side
from .errors import EXIT_OK
from .options import data_option, emit, format_option, output_option


@click.command(
    "export",
    short_help="the policy as data: plain JSON (with a JSON Schema) or JSON-LD in the W3C Data Privacy Vocabulary",
    help="Write the facts of a release or of the draft as JSON (`--format json`, described by "
    "`--format schema`) or as JSON-LD using the W3C Data Privacy Vocabulary (`--format jsonld`). "
    "Texts are given in every language. VERSION: a release version such as 1.1, or 'draft'.",
)
@click.argument("version", metavar="VERSION")
@format_option(("json", "jsonld", "schema"), default="json")
@click.option(
    "--base-url", "--url", "base_url", default=None, metavar="URL",
    help="jsonld: the address this file is published at, the base of its node ids (required unless --site-url)",
)
@click.option(
    "--site-url", default=None, metavar="URL", envvar="POLICYPRESS_SITE_URL",
    help="jsonld: the site's address (mkdocs.yml site_url, env POLICYPRESS_SITE_URL): its /vocab# holds our own terms",
)
@output_option()
@data_option
def command(
    version: str, fmt: str, base_url: str | None, site_url: str | None, output: Path | None, data_dir: Path
) -> int:
    from ..export import POLICY_JSON_SCHEMA, dumps, export_jsonld, policy_json

    if fmt == "schema":  # the same for every version: no data is read
        document = POLICY_JSON_SCHEMA
    else:
        with history_source(data_dir, None) as history:
            policy = resolve_side(history, version)
            release = None if version == DRAFT else history.get(version)
        effective = release.manifest.effective if release is not None else None
        if fmt == "jsonld":
            document = export_jsonld(policy, version=version, effective=effective, base_url=base_url, site_url=site_url)
        else:
            document = policy_json(policy, version=version, effective=effective)
    text = dumps(document)
    emit(text, output, f" ({fmt}, {terminal(version)})")
    return EXIT_OK
