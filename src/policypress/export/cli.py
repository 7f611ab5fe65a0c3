"""Serialising the exports, and ``policypress export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .jsonld import policy_jsonld
from .plain import policy_json
from .schema import POLICY_JSON_SCHEMA

# --- serialising -------------------------------------------------------------


def dumps(document: dict[str, Any]) -> str:
    """Stable text: UTF-8, two-space indent, keys in the order built, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def jsonld_script(document: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` element, safe to place in an HTML page:
    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text in the data can close the script."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/ld+json">{text}</script>'


# --- the command -------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    from ..site import DRAFT
    from ..sources import history_source, resolve_side

    if args.format == "schema":  # the same for every version: no data is read
        document = POLICY_JSON_SCHEMA
    else:
        with history_source(Path(args.data), None) as history:
            policy = resolve_side(history, args.version)
            release = None if args.version == DRAFT else history.get(args.version)
        effective = release.manifest.effective if release is not None else None
        if args.format == "jsonld":
            document = policy_jsonld(policy, version=args.version, effective=effective, url=args.url)
        else:
            document = policy_json(policy, version=args.version, effective=effective)
    output = dumps(document)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
        print(f"wrote {args.output} ({args.format}, {args.version})", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = subparsers.add_parser(
        "export",
        help="the policy as data: plain JSON (with a JSON Schema) or JSON-LD in the W3C Data Privacy Vocabulary",
        description="Write the facts of a release or of the draft as JSON (`--format json`, described by "
        "`--format schema`) or as JSON-LD using the W3C Data Privacy Vocabulary (`--format jsonld`). "
        "Texts are given in every language.",
    )
    export.add_argument("version", metavar="VERSION", help="a release version such as 1.1, or 'draft'")
    export.add_argument("--format", choices=("json", "jsonld", "schema"), default="json")
    export.add_argument(
        "--url", default="", metavar="URL",
        help="jsonld: the published address of this version, the base of its node ids (default: the document itself)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    export.set_defaults(run=_run)
