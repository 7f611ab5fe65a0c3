"""The build's caches: frozen releases by checksum, signatures per file set, template bytecode."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent
from policypress import buildcache, versions
from policypress.errors import DataError
from policypress.render import template_environment, use_cache_dir
from policypress.trackers.matching import compile_signatures
from policypress.trackers.signatures import SignatureError, load_signatures


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policy_data"
    shutil.copytree(ROOT / "policy_data", target)
    buildcache.clear_memory()
    yield target
    buildcache.clear_memory()


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


def test_a_build_fills_the_cache_and_a_second_build_gives_the_same_site(project_copy):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2030-01-01"}
    env.pop("POLICYPRESS_GA_PROPERTY", None)
    sites = []
    for n in (1, 2):
        site = project_copy / f"site{n}"
        result = subprocess.run(
            [str(BIN / "mkdocs"), "build", "-q", "-d", str(site)], cwd=project_copy, env=env,
            capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        sites.append({p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    cache = project_copy / ".cache" / "policypress"
    assert len(list((cache / "releases").glob("*.pickle"))) == 3
    assert list((cache / "jinja-theme").glob("*.cache")) and list((cache / "jinja").glob("*.cache"))
    differing = sorted(str(path) for path in sites[0] if sites[0][path] != sites[1].get(path))
    assert sites[0].keys() == sites[1].keys() and not differing
