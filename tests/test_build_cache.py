"""The build's caches: frozen releases by checksum, signatures per file set, template bytecode."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent
from jinja2 import FileSystemLoader

import policypress
from policypress import build, buildcache, locales, pages, versions
from policypress.errors import DataError
from policypress.render import template_environment, use_cache_dir
from policypress.trackers.matching import compile_signatures
from policypress.trackers.signatures import SignatureError, load_signatures


def releases_loaded(data_dir: Path, cache: Path | None) -> list[object]:
    return [release.policy for release in versions.load_history(data_dir, cache_dir=cache).releases]


def test_a_second_build_reads_frozen_releases_from_the_cache(data_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = releases_loaded(data_dir, cache)
    entries = sorted((cache / "releases").glob("*.pickle"))
    assert len(entries) == len(first) == 3
    buildcache.clear_memory()  # a new process

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(versions, "load_policy", no_parsing)
    assert releases_loaded(data_dir, cache) == first


def test_the_same_process_keeps_them_in_memory(data_dir, monkeypatch):
    first = [release.policy for release in versions.load_history(data_dir).releases]
    monkeypatch.setattr(versions, "load_policy", lambda path: pytest.fail(f"{path} was parsed again"))
    assert [r.policy for r in versions.load_history(data_dir).releases] == first


def test_a_corrupt_cache_entry_is_ignored_and_written_again(data_dir, tmp_path):
    cache = tmp_path / "cache"
    first = releases_loaded(data_dir, cache)
    entries = sorted((cache / "releases").glob("*.pickle"))
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(pickle.dumps(("another key", first[1])))
    buildcache.clear_memory()
    assert releases_loaded(data_dir, cache) == first
    for entry in entries[:2]:
        key, policy = pickle.loads(entry.read_bytes())
        assert key == entry.stem and policy in first


def test_checksums_are_verified_even_when_the_release_is_cached(data_dir, tmp_path):
    cache = tmp_path / "cache"
    releases_loaded(data_dir, cache)
    frozen = data_dir / "releases" / "1.0" / "cookies.yaml"
    frozen.write_text(frozen.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        releases_loaded(data_dir, cache)
    assert "file was edited after release 1.0" in str(caught.value)


def test_signatures_are_read_and_compiled_once_while_their_files_are_unchanged(tmp_path):
    assert load_signatures() is load_signatures()
    assert compile_signatures(load_signatures()) is compile_signatures(load_signatures())
    extra = tmp_path / "extra.yaml"
    extra.write_text("version: 1\nvendors: {}\n", encoding="utf-8")
    first = load_signatures([extra])
    assert load_signatures([extra]) is first
    extra.write_text("version: 1\nvendors: {}\n# changed\n", encoding="utf-8")
    os.utime(extra, ns=(1, 1))
    assert load_signatures([extra]) is not first


def test_a_broken_signature_file_is_reported_every_time(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(SignatureError, match="Input should be 1"):
            load_signatures([broken])


def test_template_bytecode_is_kept_in_the_cache_folder(tmp_path):
    env = template_environment()
    previous = env.bytecode_cache
    try:
        use_cache_dir(tmp_path)
        env.cache.clear() if env.cache is not None else None  # a new process compiles from scratch
        env.get_template("policy.html.j2")
        assert list((tmp_path / "jinja").glob("__jinja2_*.cache"))
    finally:
        env.bytecode_cache = previous


# --- rendered outputs of frozen releases ---------------------------------------------

ENV = {"POLICY_DATE": "2030-01-01"}


def rendered_site(data_dir: Path, cache: Path | None, *, preview: bool = False) -> dict[str, build.PageOutput]:
    """Every generated page of the data, rendered as a build renders it."""
    history, today, current = build.load_edition(data_dir, ENV)
    plan = build.plan(history, today, preview=preview, languages=history.draft.languages, cache_dir=cache)
    outputs = {page.src_uri: build.render_page(page, plan, site_url="https://example.org/") for page in plan.pages}
    outputs.update({
        path: build.PageOutput(text, [])
        for path, text in build.artifacts(plan, current, site_url=None, languages=history.draft.languages).items()
    })
    return outputs


@pytest.fixture
def spy(monkeypatch):
    """How many times the policy pages and the diffs were really rendered."""
    calls = {"policy": 0, "diff": 0}
    real_page, real_diff = pages.render_policy_page, pages.diff_policies

    def page(*args, **kwargs):
        calls["policy"] += 1
        return real_page(*args, **kwargs)

    def diff(*args, **kwargs):
        calls["diff"] += 1
        return real_diff(*args, **kwargs)

    monkeypatch.setattr(pages, "render_policy_page", page)
    monkeypatch.setattr(pages, "diff_policies", diff)
    return calls


def test_a_cached_release_page_is_byte_identical_to_a_fresh_render(data_dir, tmp_path, spy):
    cache = tmp_path / "cache"
    fresh = rendered_site(data_dir, None)
    buildcache.clear_memory()
    first = rendered_site(data_dir, cache)
    assert list((cache / "pages").glob("*.json"))
    buildcache.clear_memory()  # a new process: read from the disk
    spy.update(policy=0, diff=0)
    cached = rendered_site(data_dir, cache)
    assert spy == {"policy": 0, "diff": 0}  # three releases, two languages: none rendered again
    assert cached == first == fresh
    changes = [uri for uri in fresh if "changes" in uri]
    assert changes and all(fresh[uri].toc for uri in changes)


def test_the_draft_is_rendered_by_every_build(data_dir, tmp_path, spy):
    cache = tmp_path / "cache"
    rendered_site(data_dir, cache, preview=True)
    spy.update(policy=0, diff=0)
    sections = data_dir / "sections.yaml"
    text = sections.read_text(encoding="utf-8")
    sentence = "Our product is hosted in a datacenter near Stockholm in Sweden."
    assert sentence in text
    sections.write_text(text.replace(sentence, "Our product is hosted in Gothenburg."), encoding="utf-8")
    after = rendered_site(data_dir, cache, preview=True)
    assert "Gothenburg" in after["en/privacy-policy/draft.md"].html
    # Only the draft's pages: a page per language, and one diff (against the latest release) for both.
    assert spy == {"policy": 2, "diff": 1}


def test_a_changed_option_text_or_template_renders_again(data_dir, tmp_path, spy, monkeypatch):
    cache = tmp_path / "cache"
    before = rendered_site(data_dir, cache)
    spy.update(policy=0, diff=0)
    rendered_site(data_dir, cache, preview=True)  # an option the pages depend on
    assert spy["policy"] >= 8  # the current page and every release page, in both languages

    locales_dir = tmp_path / "locales"
    locales_dir.mkdir()
    (locales_dir / "en.yaml").write_text(
        "controller.heading: Who is responsible\nvocabulary.cookie_category.analytics: Statistics\n"
        "vocabulary.data_category.support_history: Support tickets\n", encoding="utf-8"
    )
    monkeypatch.setattr(locales, "_project_dir", None)  # restored after the test
    locales.use_project_dir(locales_dir)
    reworded = rendered_site(data_dir, cache)
    release_en = next(uri for uri in before if uri.startswith("en/") and "/1.0" in uri and "changes" not in uri)
    assert "Who is responsible" in reworded[release_en].html and "Who is responsible" not in before[release_en].html
    # A release's policy.json and JSON-LD hold the labels of every language of the policy.
    exported = json.loads(reworded["releases/1.0/policy.json"].html)
    assert exported["labels"]["cookie_categories"]["analytics"]["en"] == "Statistics"
    assert '"Support tickets"' in reworded[release_en].html.rsplit("application/ld+json", 1)[1]
    locales.use_project_dir(None)

    templates = tmp_path / "templates"
    shutil.copytree(Path(policypress.__file__).parent / "templates", templates)
    policy_template = templates / "policy.html.j2"
    policy_template.write_text(policy_template.read_text(encoding="utf-8") + "<p>edited template</p>\n", encoding="utf-8")
    monkeypatch.setattr(template_environment(), "loader", FileSystemLoader(str(templates)))
    edited = rendered_site(data_dir, cache)
    assert "edited template" in edited[release_en].html


def test_a_corrupt_rendered_entry_is_ignored_and_written_again(data_dir, tmp_path, spy):
    cache = tmp_path / "cache"
    good = rendered_site(data_dir, cache)
    entries = sorted((cache / "pages").glob("*.json"))
    assert len(entries) >= 6
    entries[0].write_bytes(b"\x00 not JSON")
    entries[1].write_text(json.dumps({"key": "another key", "value": "<p>wrong</p>"}), encoding="utf-8")
    entries[2].write_text(json.dumps({"key": entries[2].stem, "value": 5}), encoding="utf-8")  # a foreign shape
    entries[3].write_bytes(entries[3].read_bytes()[:40])  # truncated
    buildcache.clear_memory()
    spy.update(policy=0, diff=0)
    assert rendered_site(data_dir, cache) == good
    assert spy["policy"] + spy["diff"] >= 1
    for entry in entries[:4]:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        assert stored["key"] == entry.stem and stored["value"] != 5


def test_a_symlinked_cache_folder_is_not_followed(data_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project_cache = buildcache.cache_dir_for(data_dir)
    project_cache.parent.mkdir()
    project_cache.symlink_to(elsewhere, target_is_directory=True)
    first = rendered_site(data_dir, project_cache)
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    buildcache.clear_memory()
    assert rendered_site(data_dir, project_cache) == first


# --- whole builds ----------------------------------------------------------------------

def mkdocs_build(project: Path, site: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2030-01-01"}
    env.pop("POLICYPRESS_GA_PROPERTY", None)
    return subprocess.Popen(
        [str(BIN / "mkdocs"), "build", "-q", "-d", str(site)], cwd=project, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def site_files(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_parallel_builds_share_the_cache_and_a_warm_build_equals_one_without(project_copy, tmp_path):
    # The same project where no cache can be made (a file is in the way): every page rendered afresh.
    uncached = tmp_path / "uncached"
    shutil.copytree(project_copy, uncached)
    (uncached / ".cache").write_text("not a folder\n", encoding="utf-8")
    # Two builds at once fill the same empty cache; then one reads it.
    builds = [mkdocs_build(project_copy, project_copy / "site1"), mkdocs_build(project_copy, project_copy / "site2"),
              mkdocs_build(uncached, uncached / "site")]
    for process in builds:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    warm = mkdocs_build(project_copy, project_copy / "site3")
    _, stderr = warm.communicate(timeout=300)
    assert warm.returncode == 0, stderr
    cache = project_copy / ".cache" / "policypress"
    assert len(list((cache / "releases").glob("*.pickle"))) == 3
    assert list((cache / "pages").glob("*.json"))
    assert list((cache / "jinja-theme").glob("*.cache")) and list((cache / "jinja").glob("*.cache"))
    assert not list(cache.rglob("*.tmp"))  # every write was renamed into place
    assert (uncached / ".cache").is_file()
    reference = site_files(uncached / "site")
    for name in ("site1", "site2", "site3"):
        built = site_files(project_copy / name)
        differing = sorted(str(path) for path in reference if reference[path] != built.get(path))
        assert built.keys() == reference.keys() and not differing, (name, differing[:5])


def acme(name: str) -> str:
    return f"version: 1\nvendors:\n  acme:\n    name: {name}\n    category: analytics\n    detect:\n      - inline: 'acmeTrack'\n"


def test_validated_signatures_are_kept_on_disk_until_a_file_changes(tmp_path, monkeypatch):
    from policypress.trackers import signatures

    validated: list[str] = []
    real_read = signatures._read
    monkeypatch.setattr(signatures, "_read", lambda path, display: (validated.append(display), real_read(path, display))[1])
    extra = tmp_path / "extra.yaml"
    extra.write_text(acme("Acme"), encoding="utf-8")
    load_signatures.cache_clear()  # type: ignore[attr-defined]
    fresh = load_signatures([extra])  # no cache folder: read and validated
    shipped_and_extra = len(validated)
    cache = tmp_path / ".cache" / "policypress"
    monkeypatch.setattr(signatures, "_cache_dir", cache)

    def new_process() -> signatures.Signatures:
        load_signatures.cache_clear()  # type: ignore[attr-defined]
        buildcache.clear_memory()
        return load_signatures([extra])

    assert new_process() == fresh
    entries = sorted((cache / "signatures").glob("*.pickle"))
    assert len(entries) == 1 and len(validated) == 2 * shipped_and_extra
    cached = new_process()
    assert cached == fresh and cached is not fresh
    assert len(validated) == 2 * shipped_and_extra  # read from the cache: nothing validated again
    assert cached.vendors["acme"].name == "Acme" and cached.sources[-1].endswith("extra.yaml")

    extra.write_text(acme("Acme Analytics"), encoding="utf-8")
    changed = new_process()
    assert changed.vendors["acme"].name == "Acme Analytics"
    assert len(validated) == 3 * shipped_and_extra
    assert len(list((cache / "signatures").glob("*.pickle"))) == 2

    newest = max((cache / "signatures").glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
    newest.write_bytes(b"not a pickle")
    assert new_process() == changed  # a corrupt entry is ignored ...
    assert len(validated) == 4 * shipped_and_extra
    assert pickle.loads(newest.read_bytes())[1] == changed  # ... and written again


def test_a_symlinked_signatures_cache_is_not_followed(tmp_path, monkeypatch):
    from policypress.trackers import signatures

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / ".cache" / "policypress"
    cache.mkdir(parents=True)
    (cache / "signatures").symlink_to(elsewhere)
    monkeypatch.setattr(signatures, "_cache_dir", cache)
    load_signatures.cache_clear()  # type: ignore[attr-defined]
    assert load_signatures() == load_signatures.__wrapped__()  # type: ignore[attr-defined]
    assert list(elsewhere.iterdir()) == []


def test_importing_the_plugin_leaves_what_a_build_does_not_use_unloaded():
    probe = (
        "import sys, policypress.mkdocs.plugin, policypress\n"
        "print(sorted(m for m in ('rdflib', 'playwright', 'axe_playwright_python', 'jsonschema',"
        " 'policypress.audit', 'policypress.cli', 'mkdocs.livereload', 'watchdog') if m in sys.modules))\n"
        "print(policypress._version.cache_info().currsize)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert (proc.returncode, proc.stdout.split("\n")[:2], proc.stderr) == (0, ["[]", "0"], "")


def test_the_version_is_read_from_the_package_metadata_when_asked():
    probe = "import sys, policypress\nprint('importlib.metadata' in sys.modules, policypress.__version__)\n"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    from importlib.metadata import version

    assert (proc.returncode, proc.stdout.strip()) == (0, f"False {version('policypress')}")
