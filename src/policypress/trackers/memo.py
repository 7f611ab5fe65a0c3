"""Signatures read and compiled once per process, as long as their files are unchanged.

A build scans its site after every page is written, ``mkdocs serve`` rebuilds many
times, and the audit classifies every page: each used to read and validate every
shipped YAML file and compile every pattern again. The key is each file's path, size
and modification time, so an edited signature file is read again; a file that fails
to load is never remembered (the next call reports it again).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Protocol, TypeVar

from ..kept import Kept

_T = TypeVar("_T")
_Result = TypeVar("_Result")
# A process sees the shipped set and a few --signatures combinations at most.
ENTRIES = 16

_Loaded = TypeVar("_Loaded", covariant=True)
FileKey = tuple[tuple[str, int, int], ...]


class FilesLoader(Protocol[_Loaded]):
    def __call__(self, extra_files: Sequence[Path] = ()) -> _Loaded: ...


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (str(path), -1, -1)  # missing now: the loader words it (and nothing is cached)
    return (str(path), info.st_size, info.st_mtime_ns)


def files_key(extra_files: Sequence[Path]) -> FileKey:
    packaged = Path(str(resources.files("policypress").joinpath("trackers", "data")))
    shipped = sorted(packaged.glob("*.yaml")) if packaged.is_dir() else []
    return tuple(_stamp(path) for path in [packaged, *shipped, *(Path(extra).absolute() for extra in extra_files)])


def memoized_on_files(load: FilesLoader[_T]) -> FilesLoader[_T]:
    """``load_signatures``, remembered per set of files (and their sizes and mtimes)."""
    remembered: Kept[FileKey, _T] = Kept(ENTRIES)

    @functools.wraps(load)
    def cached(extra_files: Sequence[Path] = ()) -> _T:
        return remembered.recall(files_key(extra_files), lambda: load(extra_files))

    cached.cache_clear = remembered.clear  # type: ignore[attr-defined]
    return cached


def memoized_on_identity(compile_: Callable[[_T], _Result]) -> Callable[[_T], _Result]:
    """``compile_signatures``, remembered per ``Signatures`` object (which the memo above returns
    again while the files are unchanged). Each entry keeps its argument, so its id stays unique."""
    remembered: Kept[int, tuple[_T, _Result]] = Kept(ENTRIES)

    @functools.wraps(compile_)
    def cached(signatures: _T) -> _Result:
        key = id(signatures)
        if key in remembered and remembered[key][0] is signatures:
            return remembered[key][1]
        return remembered.put(key, (signatures, compile_(signatures)))[1]

    cached.cache_clear = remembered.clear  # type: ignore[attr-defined]
    return cached
