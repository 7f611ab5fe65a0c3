"""Hostile data, end to end: a markup/script/workflow-command payload in every string
field of the policy data, released, built by MkDocs, opened in Chromium, and every
other output parsed. Nothing may run, and every output must carry the payload as text.

One build and one browser context for the whole module keep it affordable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, run_mkdocs_build
from policypress.a11y import keep_local
from policypress.consent_export import ConsentFormat, export_consent
from policypress.diff import diff_policies, render_diff
from policypress.errors import DataError, UsageError
from policypress.i18n import Text
from policypress.loader import DATA_FILES, load_policy
from policypress.localserver import serve_directory
from policypress.release import create_release
from policypress.versions import ReleaseClass, load_history

# U+2028 is refused by the loader (a control character in the data), so it is not in
# the data payload; test_escape covers it in every escaper.
PAYLOAD = (
    "'\"><img src=x onerror=alert(1)><script>alert(2)</script></script>"
    "\n::error title=X::owned ]]> {{7*7}} javascript:alert(3)"
)
URL_PAYLOAD = "javascript:alert(1)"
EFFECTIVE = dt.date(2026, 12, 1)
ATOM = "{http://www.w3.org/2005/Atom}"

Path_ = tuple[Any, ...]


def _leaves(node: yaml.Node, path: Path_ = ()) -> Iterator[tuple[Path_, int, int]]:
    """(path, line, column) of every scalar value (not key), 1-based like DataIssue."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _leaves(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yield from _leaves(value, (*path, index))
    elif isinstance(node, yaml.ScalarNode):
        yield path, node.start_mark.line + 1, node.start_mark.column + 1


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: Path_, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _string_paths(value: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))
    elif isinstance(value, str):
        yield path


def poison(data_dir: Path) -> int:
    """Write PAYLOAD into every string value of the draft that accepts it (ids, codes,
    durations and other formatted fields are put back when the loader refuses them),
    and ``javascript:`` into the URL fields. Returns how many fields carry it."""
    originals = {spec.name: yaml.safe_load((data_dir / spec.name).read_text(encoding="utf-8")) for spec in DATA_FILES}
    data = {name: json.loads(json.dumps(doc)) for name, doc in originals.items()}
    for name, doc in data.items():
        for path in _string_paths(doc):
            _set(doc, path, URL_PAYLOAD if path[-1] == "website" else PAYLOAD)
    for _ in range(6):
        for name, doc in data.items():
            (data_dir / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            load_policy(data_dir)
        except DataError as exc:
            refused = exc.issues
        else:
            break
        for issue in refused:
            name = Path(issue.file).name
            positions = list(_leaves(yaml.compose((data_dir / name).read_text(encoding="utf-8"))))
            matches = [p for p, line, col in positions if (line, col) == (issue.line, issue.column)]
            matches = matches or [p for p, line, _ in positions if line == issue.line]
            assert matches, f"cannot place the issue {issue}"
            for path in matches:
                _set(data[name], path, _get(originals[name], path))
    else:
        pytest.fail("the poisoned data never became valid")
    return sum(_get(doc, p) in (PAYLOAD, URL_PAYLOAD) for doc in data.values() for p in _string_paths(doc))


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A project copy whose draft carries the payload, released as 2.0."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    project.mkdir()
    for part in ("mkdocs.yml", "docs", "hooks", "policy_data"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    data_dir = project / "policy_data"
    fields = poison(data_dir)
    # A release may hold no proposed fact and no review note: release the poisoned draft as the
    # data owner would once everything is confirmed, then put the draft's marks (poisoned too)
    # back, so the preview build shows them beside the release.
    poisoned = {spec.name: (data_dir / spec.name).read_text(encoding="utf-8") for spec in DATA_FILES}
    for name, text in poisoned.items():
        confirmed = _without_marks(yaml.safe_load(text))
        (data_dir / name).write_text(yaml.safe_dump(confirmed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    create_release(data_dir, "2.0", EFFECTIVE, ReleaseClass.MATERIAL, Text(en=PAYLOAD, sv=PAYLOAD))
    for name, text in poisoned.items():
        (data_dir / name).write_text(text, encoding="utf-8")
    load_policy(data_dir)
    return {"project": project, "data": data_dir, "fields": fields}


def _without_marks(value: Any) -> Any:
    """The data with every ``status`` (proposed facts) and ``review`` (notes for the lawyer) removed."""
    if isinstance(value, dict):
        return {k: _without_marks(v) for k, v in value.items() if k not in ("status", "review")}
    if isinstance(value, list):
        return [_without_marks(v) for v in value]
    return value


@pytest.fixture(scope="module")
def hostile(hostile_data: dict[str, Any]) -> dict[str, Any]:
    """... and its site, built by MkDocs with our hooks."""
    site = hostile_data["project"] / "site"
    # A preview: the draft's page with its proposed facts and review notes is built too.
    result = run_mkdocs_build(
        hostile_data["project"], site, env={"POLICY_DATE": EFFECTIVE.isoformat(), "POLICYPRESS_PREVIEW": "1"}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {**hostile_data, "site": site}


def test_the_payload_reaches_many_fields(hostile_data: dict[str, Any]) -> None:
    # Titles, purposes, names, prose, locations, the controller's name: far more than a handful.
    assert hostile_data["fields"] >= 50
    draft = load_history(hostile_data["data"]).get("2.0")
    assert draft is not None and draft.policy.meta.title.get("en") == PAYLOAD


def _html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


_DOM_CHECK = """() => ({
  imgs: document.querySelectorAll('img[src="x"]').length,
  scripts: [...document.scripts].filter(s => /^alert\\(\\d\\)$/.test(s.textContent.trim())).length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
  onerror: document.querySelectorAll('[onerror]').length,
  shown: document.body.innerText.includes('onerror=alert(1)'),
})"""


def test_no_page_runs_the_payload_in_chromium(hostile: dict[str, Any], browser) -> None:
    site: Path = hostile["site"]
    pages = _html_pages(site)
    # Current, release and "what changed" pages in both languages carry the data.
    for expected in ("en/privacy-policy/index.html", "sv/integritetspolicy/2.0/index.html",
                     "en/privacy-policy/changes/1.2-2.0/index.html", "sv/integritetspolicy/arkiv/index.html"):
        assert expected in pages
    dialogs: list[str] = []
    with serve_directory(site) as url:
        context = browser.new_context(reduced_motion="reduce")
        context.route("**/*", keep_local(url))
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        shown = []
        for path in pages:
            page.goto(url.rstrip("/") + "/" + path, wait_until="load")
            found = page.evaluate(_DOM_CHECK)
            assert (found["imgs"], found["scripts"], found["jsLinks"], found["onerror"]) == (0, 0, 0, 0), (path, found)
            shown.append(found["shown"])
        # Material's search renders its results from the index: search for the payload.
        page.goto(url.rstrip("/") + "/en/privacy-policy/", wait_until="load")
        page.keyboard.press("s")
        page.fill("input.md-search__input", "onerror")
        page.wait_for_selector(".md-search-result__item")
        found = page.evaluate(_DOM_CHECK)
        assert (found["imgs"], found["scripts"], found["onerror"]) == (0, 0, 0), found
        context.close()
    assert dialogs == []
    # The payload is on the pages as text, not lost.
    assert sum(shown) >= 8


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _page_text(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_toc_and_titles_show_the_payload_as_text(hostile: dict[str, Any]) -> None:
    html = _page_text(hostile["site"], "en/privacy-policy/index.html")
    assert "<img src=x" not in html and "<script>alert" not in html
    nav = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', html, re.S)
    assert nav is not None and "&lt;img src=x onerror=alert(1)&gt;" in nav.group(0)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "&lt;/script&gt;" in title.group(1)


def test_json_outputs_round_trip_the_payload(hostile: dict[str, Any]) -> None:
    site: Path = hostile["site"]
    for path in ("policy.json", "releases/2.0/policy.json"):
        assert PAYLOAD in set(_strings(json.loads(_page_text(site, path))))
    html = _page_text(site, "en/privacy-policy/index.html")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1 and "<" not in scripts[0]
    assert PAYLOAD in set(_strings(json.loads(scripts[0])))


def test_feeds_parse_and_carry_the_payload_as_text(hostile: dict[str, Any]) -> None:
    for lang in ("en", "sv"):
        root = ET.parse(hostile["site"] / lang / "feed.xml").getroot()
        summaries = [entry.findtext(f"{ATOM}summary") for entry in root.iter(f"{ATOM}entry")]
        assert PAYLOAD in summaries
        assert PAYLOAD in (root.findtext(f"{ATOM}title") or "")
        # A javascript: website is not offered to feed readers as the author's link.
        assert root.find(f"{ATOM}author/{ATOM}uri") is None


def _js_object(text: str) -> Any:
    """The object literal of an exported config, as JSON (regular expressions become strings)."""
    body = re.split(r"^(?:var klaroConfig =|export default)", text, flags=re.M)[1].strip().rstrip(";")
    return json.loads(re.sub(r"(?<=[\[,\s])/\^.*?\$/(?=[,\s\]])", '"regex"', body))


def test_export_consent_escapes_for_each_library(hostile_data: dict[str, Any]) -> None:
    policy = load_policy(hostile_data["data"])
    for fmt in (ConsentFormat.COOKIECONSENT_V3, ConsentFormat.KLARO):
        out = export_consent(policy, fmt, policy_url="https://example.com/privacy/")
        assert "</script" not in out.lower() and "<img" not in out
        config = _js_object(out)
        texts = json.dumps(config, ensure_ascii=False)
        # The descriptions (HTML in both libraries) carry the payload escaped, once.
        assert "&lt;img src=x onerror=alert(1)&gt;" in texts and "&amp;lt;" not in texts
    cookieconsent = _js_object(export_consent(policy, "cookieconsent-v3"))
    rows = cookieconsent["language"]["translations"]["en"]["preferencesModal"]["sections"][0]["cookieTable"]["body"]
    assert any("&lt;script&gt;" in row["purpose"] for row in rows)
    material = yaml.safe_load(export_consent(policy, "material", policy_url="/privacy/"))
    description = material["extra"]["consent"]["description"]
    assert "<img" not in description and "&lt;img src=x" in description and '<a href="/privacy/#table-cookies">' in description


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "data:text/html,x"])
def test_export_consent_refuses_a_script_policy_url(hostile_data: dict[str, Any], url: str) -> None:
    policy = load_policy(hostile_data["data"])
    for fmt in ConsentFormat:
        with pytest.raises(UsageError, match="--policy-url"):
            export_consent(policy, fmt, policy_url=url)


def test_diff_markdown_and_text_carry_no_markup_or_workflow_command(hostile_data: dict[str, Any]) -> None:
    history = load_history(hostile_data["data"])
    old, new = history.get("1.2"), history.get("2.0")
    assert old is not None and new is not None
    diff = diff_policies(old.policy, new.policy)
    markdown = render_diff(diff, "1.2", "2.0", "markdown")
    assert "<img" not in markdown and "<script" not in markdown and "&lt;img src=x" in markdown
    for fmt in ("markdown", "text"):
        lines = render_diff(diff, "1.2", "2.0", fmt).splitlines()
        assert not [line for line in lines if line.lstrip().startswith("::")]
    assert "owned" in markdown


def test_check_prints_no_workflow_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from policypress.cli import main

    data = tmp_path / "policy_data"
    shutil.copytree(ROOT / "policy_data", data)
    text = (data / "cookies.yaml").read_text(encoding="utf-8")
    # An invalid category is quoted in the message; so is a purpose that lint may quote.
    text = text.replace("category: necessary", 'category: "necessary\\n::error title=X::owned\\n::add-mask::x"', 1)
    (data / "cookies.yaml").write_text(text, encoding="utf-8")
    code = main(["check", str(data)])
    out = capsys.readouterr()
    assert code == 2
    lines = (out.out + out.err).splitlines()
    assert any("owned" in line for line in lines)  # reported, on the issue's own line
    assert not [line for line in lines if line.lstrip().startswith("::")]
