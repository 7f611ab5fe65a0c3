"""What a build keeps of the draft, of the lint of the release in effect and of Babel's locale data
(``buildcache.draft_policy``, ``build._lint_report``, ``localefacts``): each kept answer equals a
fresh one, and a change of what it was made from is a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policypress import build, buildcache, versions
from policypress.errors import DataError


def draft_of(data_dir: Path, cache: Path) -> object:
    return versions.load_history(data_dir, cache_dir=cache).draft


def test_the_draft_is_kept_by_its_bytes_and_read_again_after_any_edit(data_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = draft_of(data_dir, cache)
    assert len(list((cache / "drafts").glob("*.pickle"))) == 1
    buildcache.clear_memory()  # a new process: the unchanged draft is not parsed again
    with monkeypatch.context() as patched:
        patched.setattr(versions, "load_policy", lambda path: pytest.fail(f"{path} was parsed again"))
        assert draft_of(data_dir, cache) == first
    # An edit, even one that keeps the size and the modification time, is a new key.
    cookies = data_dir / "cookies.yaml"
    text = cookies.read_text(encoding="utf-8")
    stamp = cookies.stat()
    cookies.write_text(text.replace("Set by Google Analytics.", "Set by Google AnalyticZ.", 1), encoding="utf-8")
    os.utime(cookies, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    edited = draft_of(data_dir, cache)
    assert edited != first and edited.cookies["_ga"].purpose.get("en").startswith("Set by Google AnalyticZ.")
    # An invalid draft is reported on every load, after a valid one was kept, and nothing is kept for it.
    cookies.write_text(text + "\n  broken: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match="invalid YAML"):
            draft_of(data_dir, cache)
    assert len(list((cache / "drafts").glob("*.pickle"))) == 2
    cookies.write_text(text, encoding="utf-8")
    assert draft_of(data_dir, cache) == first


def test_a_draft_saved_while_it_loads_is_not_kept_under_the_bytes_before(data_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cookies = data_dir / "cookies.yaml"
    text = cookies.read_text(encoding="utf-8")
    real = versions.load_policy

    def load_during_a_save(path: Path) -> object:
        policy = real(path)
        if Path(path) == data_dir:  # (the releases load through it too)
            cookies.write_text(text + "\n  broken: [\n", encoding="utf-8")  # the editor's save lands now
        return policy

    monkeypatch.setattr(versions, "load_policy", load_during_a_save)
    draft_of(data_dir, cache)
    monkeypatch.undo()
    assert not list((cache / "drafts").glob("*.pickle"))
    with pytest.raises(DataError, match="invalid YAML"):  # the bytes now there are read, and refused
        draft_of(data_dir, cache)


def test_a_kept_lint_report_is_the_report_of_a_fresh_lint(data_dir, tmp_path, monkeypatch):
    from policypress.lint import lint_policy

    cache = tmp_path / "cache"
    history = versions.load_history(data_dir, cache_dir=cache)
    current = history.releases[-1]
    lines = build.lint_phase(history, current, preview=False, fail_on="never")
    assert len(list((cache / "lint").glob("*.pickle"))) == 1
    fresh = lint_policy(current.policy, current.path, label=f"release {current.version}")
    assert lines == [f"policypress {build.lint_summary(fresh)} (release {current.version}): see `policypress lint` for details"]
    assert " errors, " in lines[0], lines  # release 1.2 is published with findings: the report is not empty
    monkeypatch.setattr("policypress.lint.engine.lint_policy", lambda *a, **k: pytest.fail("linted again"))
    buildcache.clear_memory()
    again = versions.load_history(data_dir, cache_dir=cache)
    assert build.lint_phase(again, again.releases[-1], preview=False, fail_on="never") == lines
    kept = build._lint_report(f"release {current.version}", current.policy, current.path, current, cache)
    assert kept == fresh
    # The draft is linted every time (it is no release): with no cache entry of its own.
    monkeypatch.undo()
    build.lint_phase(again, again.releases[-1], preview=True, fail_on="never")
    assert len(list((cache / "lint").glob("*.pickle"))) == 1


def test_babel_answers_are_kept_and_equal_babels_own(tmp_path, monkeypatch):
    import datetime as dt

    from babel.dates import format_date

    from policypress import localefacts
    from policypress.i18n import Lang

    day = dt.date(2025, 3, 7)
    monkeypatch.setattr(localefacts, "_cache_dir", tmp_path)
    localefacts.long_date.cache_clear()
    localefacts.display_name.cache_clear()
    buildcache.clear_memory()
    try:
        assert localefacts.long_date(day, "sv_SE") == format_date(day, format="long", locale="sv_SE") == "7 mars 2025"
        assert localefacts.long_date(day, "en_GB") == "7 March 2025"
        assert Lang("sv").native_name == "Svenska" and Lang("de").native_name == "Deutsch"
        assert len(list((tmp_path / "pages").glob("*.json"))) == 4
        localefacts.long_date.cache_clear()
        localefacts.display_name.cache_clear()
        buildcache.clear_memory()
        # A new process reads the kept texts back: Babel formats nothing.
        monkeypatch.setattr("babel.dates.format_date", lambda *a, **k: pytest.fail("formatted again"))
        assert localefacts.long_date(day, "sv_SE") == "7 mars 2025"
        assert Lang("sv").native_name == "Svenska"
    finally:
        localefacts.long_date.cache_clear()
        localefacts.display_name.cache_clear()
        buildcache.clear_memory()
