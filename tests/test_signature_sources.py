"""Every shipped tracker signature names the documentation its facts come from (issue 12 item 2).

The YAML loader drops comments, so the signature files are read here as raw text, with the same
clause parser bench/verify_signatures.py uses to compare them with the Open Cookie Database. A
vendor added later without a ``# source:`` comment that cites a page (an address or a quoted
document title) fails this test.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import ROOT
from policypress.loader import load_policy
from policypress.scan import scan_site

DATA = ROOT / "src" / "policypress" / "trackers" / "data"
FILES = sorted(DATA.glob("*.yaml"))


def _bench() -> ModuleType:
    # bench/ is not a package: load the developer tool from its file, once.
    if "verify_signatures" not in sys.modules:
        spec = importlib.util.spec_from_file_location("verify_signatures", ROOT / "bench" / "verify_signatures.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["verify_signatures"] = module
        spec.loader.exec_module(module)
    return sys.modules["verify_signatures"]


BENCH = _bench()


def _vendors() -> list[tuple[str, str]]:
    return [(path.name, vid) for path in FILES for vid in (yaml.safe_load(path.read_text("utf-8"))["vendors"] or {})]


VENDORS = _vendors()


def test_the_signature_files_hold_the_vendors() -> None:
    assert len(VENDORS) >= 150


@pytest.mark.parametrize(("file", "vendor_id"), VENDORS)
def test_every_vendor_names_its_source(file: str, vendor_id: str) -> None:
    clauses = BENCH.vendor_clauses((DATA / file).read_text("utf-8"))
    source = clauses.get(vendor_id, {}).get("source:")
    assert source, f"{file}: {vendor_id} has no '# source:' comment"
    assert BENCH.cites_a_source(source), f"{file}: the source of {vendor_id} names no page or document: {source!r}"


SAMPLE = """\
vendors:

  documented:
    # source: docs.example.com/install "Install the tag" and the Open Cookie Database (Example).
    # hosts checked: cdn.example.com/tag.js in docs.example.com/install "Install the tag".
    # hosts unconfirmed: beacon.example.com was not found in docs.example.com.
    name: Documented
    detect:
      - script: cdn.example.com/tag.js
      - pixel: beacon.example.com/hit.gif

  from_memory:
    # source: the vendor's website.
    name: From memory
    detect:
      - script: cdn.memory.test/tag.js

  silent:
    name: No comment at all
    # A comment that is not a source.
    detect:
      - script: cdn.silent.test/
"""


def test_the_parser_tells_a_cited_source_from_a_missing_or_vague_one() -> None:
    # The checks above would pass for any vendor if the parser found nothing: this sample has one
    # good vendor and two bad ones, and each must come out as such.
    clauses = BENCH.vendor_clauses(SAMPLE)
    assert sorted(clauses) == ["documented", "from_memory", "silent"]
    assert BENCH.cites_a_source(clauses["documented"]["source:"])
    assert BENCH.vendor_platforms(SAMPLE)["documented"] == ["Example"]
    assert not BENCH.cites_a_source(clauses["from_memory"]["source:"])
    assert not BENCH.cites_a_source("the analytics.js snippet"), "a file name is not a page"
    assert "source:" not in clauses["silent"]


def test_a_host_is_sourced_only_where_the_hosts_checked_comment_names_it() -> None:
    clauses = BENCH.vendor_clauses(SAMPLE)
    checked = clauses["documented"]["hosts checked:"]
    assert BENCH.host_sourced("cdn.example.com/tag.js", checked)
    assert not BENCH.host_sourced("other.example.com/tag.js", checked)
    assert not BENCH.host_sourced("cdn.memory.test/tag.js", clauses["from_memory"].get("hosts checked:", ""))
    # A name inside a longer one does not count; a subdomain counts for a wildcard host only.
    assert not BENCH.host_sourced("t.co/i/adsct", 'businesshelp.snapchat.com "Install the pixel"')
    assert not BENCH.host_sourced("example.com/", checked)
    assert BENCH.host_sourced("*.example.com/", checked)
    # A host written inside a path is a folder there, not the host; a URL's "//" still names it.
    in_path = 's3.amazonaws.com/downloads.example.com/form.js in docs.example.org "Embed a form"'
    assert not BENCH.host_sourced("downloads.example.com/form.js", in_path)
    assert BENCH.host_sourced("s3.amazonaws.com/downloads.example.com/", in_path)
    assert BENCH.host_sourced("cdn.example.com/tag.js", 'https://cdn.example.com/tag.js in "Install the tag"')
    # Naming a host among the unconfirmed ones is no source for it.
    assert "beacon.example.com" not in checked
    assert not BENCH.host_sourced("beacon.example.com/hit.gif", checked)
    assert "beacon.example.com" in clauses["documented"]["hosts unconfirmed:"]


# Snippets the vendors' own pages (or real pages) show, which the first signatures missed: each
# host or path below was added when its source was checked (see the "# hosts checked:" comments).
OLDER_SNIPPETS = {
    # gist.github.com/zshannon/04b117e7e254fbb524b3: older Olark code loads loader0.js.
    "olark": '<script async src="https://static.olark.com/jsclient/loader0.js"></script>',
    # pastebin.com/MJcpjF2i: the older JivoSite code loads /script/widget/<id>.
    "jivochat": '<script async src="//code.jivosite.com/script/widget/fMYRYxfTIC"></script>',
    # github.com/segmentio/analytics.js src/providers/snapengage.js.
    "snapengage": '<script src="//commondatastorage.googleapis.com/code.snapengage.com/js/0c739ebb.js"></script>',
    # github.com/iubenda/cookie-law-solution-codesnippets configuration_banner_example.js.
    "iubenda": '<script src="//cdn.iubenda.com/cookie_solution/iubenda_cs.js"></script>',
}


@pytest.fixture(scope="module")
def empty_policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("policy") / "policy_data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "sites" / "undeclared-tracker" / "policy_data", data)
    (data / "cookies.yaml").write_text("cookies: {}\n", encoding="utf-8")
    (data / "recipients.yaml").write_text("recipients: {}\n", encoding="utf-8")
    return data


@pytest.mark.parametrize("vendor_id", sorted(OLDER_SNIPPETS))
def test_the_scan_names_the_vendor_of_an_older_snippet(
    tmp_path: Path, empty_policy: Path, vendor_id: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f"<!doctype html><html><head><title>t</title>{OLDER_SNIPPETS[vendor_id]}</head><body></body></html>\n",
        encoding="utf-8",
    )
    report = scan_site(site, load_policy(empty_policy), data_dir=empty_policy)
    assert vendor_id in report.vendors_seen
    assert any(f.vendor == vendor_id and f.page == "index.html" for f in report.findings)
