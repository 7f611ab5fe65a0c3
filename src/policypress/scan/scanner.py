"""``scan_site``: scan the built site (and any other folders of pages) against the declarations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import UsageError
from ..loader import display_path
from ..model import Policy
from ..yamlsource import load_yaml
from .compare import compare
from .findings import ScanReport, report_order
from .folder import Observations, html_pages, scan_folder, skipped_findings
from .ledger import Ledger
from .pool import default_jobs
from ..trackers.matching import compile_signatures
from ..trackers.signatures import Signatures, load_signatures

Progress = Callable[[int, int], None]


def _pages_of(folder: Path, what: str) -> list[Path]:
    if not folder.is_dir():
        raise UsageError(f"{display_path(folder)}: no such folder ({what})")
    pages = html_pages(folder)
    if not pages:
        raise UsageError(
            f"{display_path(folder)}: no .html pages in this folder ({what}); a mirror made with wget needs "
            "--adjust-extension so that its pages end in .html"
        )
    return pages


def declaration_lines(data_dir: Path) -> dict[str, int]:
    """The line of each cookie in cookies.yaml, so that a finding about a declaration points at it."""
    path = data_dir / "cookies.yaml"
    if not path.is_file():
        return {}
    doc = load_yaml(path, display_path(path))
    return {str(key[1]): pos.line for key, pos in doc.keys.items() if len(key) == 2 and key[0] == "cookies"}


def scan_site(
    site_dir: Path | None,
    policy: Policy,
    *,
    extra_pages: Sequence[Path] = (),
    strict: bool = False,
    progress: Progress | None = None,
    signatures: Signatures | None = None,
    data_dir: Path | None = None,
    site_hosts: Sequence[str] = (),
    jobs: int | None = None,
    cache_dir: Path | None = None,
) -> ScanReport:
    """Scan every HTML page of ``site_dir`` and of each ``extra_pages`` folder against ``policy``.

    ``progress(done, total)`` is called after each page. ``signatures`` defaults to the packaged
    ones; ``data_dir`` (the folder ``policy`` was loaded from) lets findings about a declaration
    name its line in cookies.yaml. ``site_hosts``: the site's own hosts (or URLs), besides the
    controller's website, which are not another party. ``jobs``: processes that read and parse
    pages (default: one per CPU; 1: this process only); the report is the same whatever the number.
    ``cache_dir``: a build's ``.cache/policypress``, where each page's result is kept by its bytes for
    the next scan (ledger.py); the report is the same with or without it.
    """
    folders: list[tuple[Path, list[Path]]] = []
    if site_dir is not None:
        folders.append((Path(site_dir), _pages_of(Path(site_dir), "the built site; run `mkdocs build` first")))
    for extra in extra_pages:
        folders.append((Path(extra), _pages_of(Path(extra), "given with --pages")))
    if not folders:
        raise UsageError("nothing to scan: give the built site's folder, or folders of pages with --pages")
    signatures = signatures or load_signatures()
    matchers = compile_signatures(signatures)
    total = sum(len(pages) for _, pages in folders)
    ledger = Ledger.for_scan(cache_dir, matchers, total)
    observations = Observations()
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for folder, pages in folders:
        scan_folder(folder, display_path(folder), pages, matchers, observations, tick,
                    default_jobs() if jobs is None else jobs, ledger)
    if ledger is not None:
        ledger.save()
    findings = compare(
        observations,
        policy,
        signatures,
        strict=strict,
        data_folder=display_path(data_dir) if data_dir is not None else None,
        declaration_lines=declaration_lines(data_dir) if data_dir is not None else {},
        site_hosts=site_hosts,
    )
    findings = sorted([*findings, *skipped_findings(observations)], key=report_order)
    vendors_seen: dict[str, set[tuple[str, str]]] = {}
    for sighting in observations.vendors:
        vendors_seen.setdefault(sighting.vendor_id, set()).add((sighting.place.folder, sighting.place.page))
    return ScanReport(
        findings=findings,
        pages_scanned=observations.pages_scanned,
        folders=observations.folders,
        strict=strict,
        vendors_seen={vendor_id: len(pages) for vendor_id, pages in sorted(vendors_seen.items())},
    )
