"""Check the shipped tracker signatures against the Open Cookie Database (a developer tool).

    .venv/bin/python bench/verify_signatures.py /path/to/open-cookie-database.csv [--only VENDOR ...]

For every storage entry of every vendor it looks the name up in the OCD (exactly, or through the
OCD's wildcard prefixes and our own placeholders) and prints one line:

    confirmed           the name is in the OCD under the vendor's platform, and the lifetimes agree
    duration mismatch   the name is there, but the OCD's retention differs from ours
    name only           the name is there, but the OCD gives no lifetime to compare ours with
    other platform      the name is in the OCD, but only under a platform we do not name for the vendor
    not found           the OCD does not know the name

and for every detection URL whether the OCD's Domain column knows its host, and whether the
vendor's ``# hosts checked:`` comment names it (``host unsourced`` when not, unless the OCD knows
the host and the source names the OCD): that comment says where the host was found, in the
vendor's documentation or, failing that, in real pages. The
platforms of a vendor are the ones its ``# source:`` comment names as "the Open Cookie Database
(A, B)", plus any OCD platform whose name matches the vendor's id or name. The OCD is read here
only, never by the package at run time (its descriptions are not ours to copy; only facts are
compared).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "policypress" / "trackers" / "data"
DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "min": 1 / 1440, "hour": 1 / 24, "day": 1.0,
        "week": 7.0, "month": 30.44, "year": 365.25}
# Lifetimes a tenth apart or less count as the same (13 months against 400 days, 1 year against 365 days).
TOLERANCE = 0.1


@dataclass(frozen=True)
class OcdRow:
    platform: str
    name: str
    domain: str
    retention: str
    wildcard: bool


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def read_ocd(path: Path) -> list[OcdRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            OcdRow(row["Platform"].strip(), row["Cookie / Data Key name"].strip(), row["Domain"].strip().lower(),
                   row["Retention period"].strip(), row["Wildcard match"].strip() == "1")
            for row in csv.DictReader(handle)
        ]


def ocd_days(text: str) -> float | None:
    """The OCD's free-text retention in days; None when it is not a fixed span (session, unknown, varies)."""
    low = text.lower()
    if not low or "session" in low or low in ("unknown", "varies", "local storage"):
        return None
    if low in ("forever", "unlimited", "persistent"):
        return float("inf")
    match = re.search(r"(\d+(?:\.\d+)?)\s*(second|minute|min|hour|day|week|month|year)", low)
    return float(match.group(1)) * DAYS[match.group(2)] if match else None


def our_days(duration: str | None) -> float | None:
    if duration is None or duration == "session":
        return None
    if duration == "persistent":
        return float("inf")
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
                         duration)
    if not match:
        return None
    y, mo, w, d, h, mi, s = (int(g or 0) for g in match.groups())
    return y * 365.25 + mo * 30.44 + w * 7 + d + h / 24 + mi / 1440 + s / 86400


def same_lifetime(ours: str | None, theirs: str) -> bool | None:
    """True or False when both sides give a comparable lifetime; None when one does not."""
    if ours is None:
        return None
    if ours == "session" or "session" in theirs.lower():
        return (ours == "session") == ("session" in theirs.lower())
    a, b = our_days(ours), ocd_days(theirs)
    if a is None or b is None:
        return None
    if a == float("inf") or b == float("inf"):
        return a == b
    return abs(a - b) <= TOLERANCE * max(a, b)


def _literal(name: str) -> str:
    """Our name with its variable parts cut away at the first of them (``_ga_<id>`` -> ``_ga_``)."""
    return re.split(r"[*<]", name, maxsplit=1)[0]


def name_matches(ours: str, row: OcdRow) -> bool:
    theirs = row.name
    if not theirs:
        return False
    variable = "*" in ours or "<" in ours
    prefix = _literal(ours)
    if not variable and ours == theirs:
        return True
    if row.wildcard:
        # The OCD's wildcard rows are prefixes: "_hjSession_" stands for "_hjSession_<site id>".
        if ours.startswith(theirs) and not variable:
            return True
        return variable and bool(prefix) and (prefix == theirs or prefix.startswith(theirs) or theirs.startswith(prefix))
    if variable and prefix:
        # An OCD row naming a concrete instance of our pattern (ph_phc_xxx_posthog for ph_<key>_posthog).
        pattern = re.escape(ours).replace(r"\*", ".*")
        pattern = re.sub(r"<[^>]*>", ".+", pattern.replace(r"\<", "<").replace(r"\>", ">"))
        return re.fullmatch(pattern, theirs) is not None
    return False


# The labelled comments of a vendor: "# source:" names the documentation its facts come from,
# "# hosts checked:" where each detection host was found, "# hosts unconfirmed:" the hosts no
# documentation or page was found for (kept apart, so naming them there sources nothing). A clause
# runs on over the comment lines right below it, up to the next label or a line that is no comment.
LABELS = ("source:", "hosts checked:", "hosts unconfirmed:")
# A documentation address (docs.example.com/page), a quoted document title ("Install the tag") or
# the Open Cookie Database by name.
# A file name (analytics.js) is not an address.
CITATION = re.compile(r"\bOpen Cookie Database\b|\"[^\"]{4,}\"|\b(?:[a-z0-9-]+\.)+"
                      r"(?!(?:js|mjs|css|html?|php|gif|png|json|ya?ml)\b)[a-z]{2,}\b(?:/\S*)?", re.IGNORECASE)


def vendor_clauses(text: str) -> dict[str, dict[str, str]]:
    """vendor id -> {label: the text of that labelled comment} for every vendor of a signature file."""
    found: dict[str, dict[str, str]] = {}
    current: str | None = None
    label: str | None = None
    for line in text.splitlines():
        header = re.fullmatch(r"  ([a-z0-9_]+):\s*", line)
        if header:
            current, label = header.group(1), None
            found[current] = {}
            continue
        stripped = line.strip()
        if current is None or not stripped.startswith("#"):
            label = None
            continue
        body = stripped.lstrip("#").strip()
        starts = next((name for name in LABELS if body.lower().startswith(name)), None)
        if starts is not None:
            label = starts
            found[current][label] = (found[current].get(label, "") + " " + body[len(starts):]).strip()
        elif label is not None:
            found[current][label] += " " + body
    return found


def cites_a_source(clause: str) -> bool:
    return CITATION.search(clause) is not None


def vendor_platforms(text: str) -> dict[str, list[str]]:
    """vendor id -> the OCD platforms its ``# source:`` comment names."""
    found: dict[str, list[str]] = {}
    for vid, clauses in vendor_clauses(text).items():
        platforms: list[str] = []
        for group in re.findall(r"Open\s+Cookie\s+Database\s*\(([^)]*)\)", clauses.get("source:", "")):
            platforms.extend(p.strip() for p in group.split(","))
        found[vid] = platforms
    return found


def host_sourced(target: str, checked: str) -> bool:
    """Whether the ``# hosts checked:`` text names the host of a detection URL (and cites something).

    The host must stand as a whole name there: t.co is not named by "snapchat.com". A wildcard host
    (*.example.com) is named by any of its subdomains too. A name inside a path
    (s3.amazonaws.com/downloads.example.com/) is a bucket or folder, not that host.
    """
    raw = target.split("/", 1)[0].lower()
    host = raw.removeprefix("*.")
    # "//host" (a URL) names the host; "segment/host" (a path) does not.
    in_path = r"(?<![a-z0-9.-]/)"
    before = in_path + (r"(?<![a-z0-9-])" if raw.startswith("*.") else r"(?<![a-z0-9.-])")
    named = re.search(before + re.escape(host) + r"(?![a-z0-9-]|\.[a-z0-9])", checked.lower())
    return cites_a_source(checked) and named is not None


def host_of(target: str) -> str | None:
    if target.startswith("/"):
        return None
    host = target.split("/", 1)[0].split("?", 1)[0].lower()
    return host.removeprefix("*.") if "*" not in host.removeprefix("*.") else None


def registrable(host: str) -> str:
    parts = host.split(".")
    # Good enough for a report: two labels, three under a two-letter second level (co.uk, com.au).
    keep = 3 if len(parts) > 2 and len(parts[-2]) <= 3 and len(parts[-1]) == 2 else 2
    return ".".join(parts[-keep:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ocd", type=Path, help="open-cookie-database.csv")
    parser.add_argument("--only", nargs="*", default=[], help="vendor ids to check (default: all)")
    parser.add_argument("--quiet", action="store_true", help="print only what is not confirmed")
    args = parser.parse_args(argv)
    rows = read_ocd(args.ocd)
    domains = {d.split(" ")[0].lstrip(".") for row in rows for d in [row.domain] if d}
    sites = {registrable(d) for d in domains}
    counts: Counter[str] = Counter()
    for path in sorted(DATA.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        platforms = vendor_platforms(text)
        clauses = vendor_clauses(text)
        for vid, vendor in (yaml.safe_load(text)["vendors"] or {}).items():
            if args.only and vid not in args.only:
                continue
            named = {_norm(p) for p in platforms.get(vid, [])}
            keys = {_norm(vid), _norm(vendor["name"].split(" ")[0])}

            def ours(platform: str) -> bool:
                p = _norm(platform)
                return bool(p) and (p in named or any(p == k or (len(p) > 3 and (p in k or k in p)) for k in keys)
                                    or any(len(n) > 3 and (n in p or p in n) for n in named))

            print(f"{path.name}: {vid} (OCD platforms named: {', '.join(platforms.get(vid, [])) or 'none'})")
            for entry in vendor.get("storage", []):
                hits = [row for row in rows if name_matches(entry["name"], row)]
                mine = [row for row in hits if ours(row.platform)]
                duration = entry.get("duration")
                if mine:
                    verdicts = [same_lifetime(duration, row.retention) for row in mine]
                    if any(v is True for v in verdicts) or (duration is None and all(v is None for v in verdicts)):
                        status = "confirmed"
                    elif all(v is None for v in verdicts):
                        # The OCD knows the name but gives no comparable lifetime (unknown, varies).
                        status = "name only"
                    else:
                        status = "duration mismatch"
                    detail = "; ".join(f"{r.platform}: {r.name}{'*' if r.wildcard else ''} {r.retention}" for r in mine)
                elif hits:
                    status, detail = "other platform", "; ".join(f"{r.platform}: {r.name} {r.retention}" for r in hits[:4])
                else:
                    status, detail = "not found", ""
                counts[status] += 1
                if not (args.quiet and status == "confirmed"):
                    print(f"    {status:18} {entry['name']} ({entry['type']}, ours {duration or '-'})"
                          f"{' -> ' + detail if detail else ''}")
            for detector in vendor.get("detect", []):
                for kind in ("script", "iframe", "pixel", "stylesheet", "form"):
                    host = host_of(str(detector.get(kind, ""))) if kind in detector else None
                    if host is None:
                        continue
                    known = host in domains or registrable(host) in sites
                    counts["host in OCD" if known else "host not in OCD"] += 1
                    if not (args.quiet and known):
                        print(f"    {'host in OCD' if known else 'host not in OCD':18} {kind}: {detector[kind]}")
                    # A host the OCD knows is sourced by it when the vendor's source names the OCD.
                    mine_clauses = clauses.get(vid, {})
                    sourced = host_sourced(str(detector[kind]), mine_clauses.get("hosts checked:", "")) or (
                        known and "open cookie database" in mine_clauses.get("source:", "").lower())
                    counts["host sourced" if sourced else "host unsourced"] += 1
                    if not (args.quiet and sourced):
                        print(f"    {'host sourced' if sourced else 'host unsourced':18} {kind}: {detector[kind]}")
    # Always printed, so that the last line says how many hosts still want a source (0 when done).
    counts.setdefault("host unsourced", 0)
    print()
    for status, number in sorted(counts.items()):
        print(f"{status}: {number}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
