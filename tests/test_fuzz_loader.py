"""Fuzzing the loader: whatever a data file holds, loading gives a Policy or a DataError, nothing else.

Texts are random bytes, random unicode, and structured mutations of the real files in
``policy_data/`` (values swapped, keys deleted, odd scalars, tags, anchors, deep nesting
and control characters inserted). Deterministic (``derandomize``) and bounded.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from policypress.errors import DataError
from policypress.loader import DATA_FILES, load_policy
from policypress.model import Policy
from policypress.versions import load_history

NAMES = [spec.name for spec in DATA_FILES]
ORIGINAL = {name: (ROOT / "policy_data" / name).read_bytes() for name in NAMES}
PARSED = {name: yaml.safe_load(ORIGINAL[name]) for name in NAMES}

ODD_SCALARS = [
    None, True, False, 0, -1, 2**70, 1e400, "", " ", "\x00", "a\u202eb", "P\u0662Y", "P99999999999999999999Y",
    "PT0S", "session", "NO", "2026-01-01", "a/b", "../x", "x" * 300, [], {}, [[[[[]]]]], {"en": "x"},
]
INSERTIONS = [
    "!!binary aGVsbG8=", "!!python/object:os.system {}", "!custom x", "!!set {a}", "!!omap [a: 1]", "!!str x",
    "&a x", "*a", "*missing", "<<: *a", "[" * 200, "{" * 80, "\x00", "\x1b[31m", "\u2028", "\x85", "\ufeff",
    "\t", "'", '"', "? ", "- ", ": ", "---\n", "...\n", "%YAML 1.1\n", "0x" + "f" * 5000, "9" * 5000,
]

FAST = settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(derandomize=True, max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "policy_data"
    shutil.copytree(ROOT / "policy_data", target, ignore=shutil.ignore_patterns("releases"))
    return target


@pytest.fixture(scope="module")
def history_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz-history") / "policy_data"
    shutil.copytree(ROOT / "policy_data", target)
    return target


def paths_of(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_of(value, prefix + (i,))
    return found


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    get(data, path[:-1])[path[-1]] = value
    return data


@st.composite
def mutated_yaml(draw: st.DrawFn, name: str) -> bytes:
    """The real file with a few structural mutations, dumped, then a few textual insertions."""
    data = yaml.safe_load(ORIGINAL[name])
    for _ in range(draw(st.integers(0, 3))):
        paths = paths_of(data)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["odd", "delete", "swap", "nest"]))
        if action == "odd":
            data = put(data, path, copy.deepcopy(draw(st.sampled_from(ODD_SCALARS))))  # never share them
        elif action == "delete" and path:
            parent = get(data, path[:-1])
            del parent[path[-1]]
        elif action == "swap":
            other = draw(st.sampled_from(paths))
            if path and other and path[: len(other)] != other and other[: len(path)] != path:
                a, b = get(data, path), get(data, other)
                data = put(put(data, path, b), other, a)
        elif action == "nest":
            data = put(data, path, [get(data, path)] * draw(st.integers(1, 3)))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=draw(st.sampled_from([40, 100, 10_000])))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INSERTIONS)) + text[at:]
    return text.encode("utf-8")


def any_file_content(name: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=2_000),
        st.text(max_size=2_000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        mutated_yaml(name),
        mutated_yaml(name),
    )


def file_and_content() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.sampled_from(NAMES).flatmap(lambda name: st.tuples(st.just(name), any_file_content(name)))


def assert_policy_or_data_error(load: Any, folder: Path) -> None:
    try:
        result = load(folder)
    except DataError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.file and issue.message, issue
            assert "\n" not in str(issue), issue  # one line per problem, whatever the data held
    else:
        assert result is not None


@FAST
@given(file_and_content())
def test_any_single_file_gives_a_policy_or_a_data_error(draft, case):
    name, content = case
    try:
        (draft / name).write_bytes(content)
        assert_policy_or_data_error(load_policy, draft)
    finally:
        (draft / name).write_bytes(ORIGINAL[name])


@SLOW
@given(st.lists(file_and_content(), min_size=2, max_size=4, unique_by=lambda c: c[0]))
def test_several_broken_files_at_once(draft, cases):
    try:
        for name, content in cases:
            (draft / name).write_bytes(content)
        assert_policy_or_data_error(load_policy, draft)
    finally:
        for name, _ in cases:
            (draft / name).write_bytes(ORIGINAL[name])


@SLOW
@given(st.sampled_from(["1.0", "1.2"]), st.sampled_from([*NAMES, "manifest.yaml"]).flatmap(
    lambda name: st.tuples(st.just(name), any_file_content(name if name in ORIGINAL else "policy.yaml"))
))
def test_load_history_gives_a_history_or_a_data_error(history_dir, version, case):
    name, content = case
    path = history_dir / "releases" / version / name
    original = path.read_bytes()
    try:
        path.write_bytes(content)
        assert_policy_or_data_error(load_history, history_dir)
    finally:
        path.write_bytes(original)


def test_the_unmutated_copies_load(draft, history_dir):
    assert isinstance(load_policy(draft), Policy)
    assert [r.version for r in load_history(history_dir).releases] == ["1.0", "1.1", "1.2"]
