"""``policypress export-consent``: consent manager configuration for other sites."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..consent_export import ConsentFormat, export_consent
from ..sources import history_source, resolve_side
from ..versions import build_date
from .errors import EXIT_OK
from .options import data_option, emit, format_option, output_option


@click.command(
    "export-consent",
    short_help="consent manager configuration for other sites, from the same declarations",
    help="Write the configuration of a consent manager (vanilla-cookieconsent, Klaro or Material's "
    "extra.consent) for other sites, from the same cookie declarations as the policy.",
)
@format_option([f.value for f in ConsentFormat], required=True)
@click.option("--version", metavar="VERSION", help="a release or 'draft' (default: the release in effect)")
@click.option("--policy-url", default="", metavar="URL", help="the published policy, linked from the banner")
@output_option()
@data_option
def command(fmt: str, version: str | None, policy_url: str, output: Path | None, data_dir: Path) -> int:
    with history_source(data_dir, None) as history:
        if version:
            policy = resolve_side(history, version)
        else:
            current = history.current(build_date(dict(os.environ)))
            policy = current.policy if current is not None else history.draft
    text = export_consent(policy, fmt, policy_url=policy_url)
    emit(text, output, f" ({fmt})")
    return EXIT_OK
