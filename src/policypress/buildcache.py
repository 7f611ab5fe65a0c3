"""The build's caches: frozen releases parsed once, and their pages rendered once, by their checksums.

A released folder never changes (its files' sha256 are in its manifest, the manifest's
in ``SEALS``), so the ``Policy`` read from it can be kept: in memory for the life of
the process (``mkdocs serve`` rebuilds), and on disk under ``.cache/policypress/``
beside the data for separate builds. A cached policy is only looked up after
``load_history`` has verified the seal and every file checksum, and its key is made of
those checksums, so it can only stand for the bytes that were just verified. The key
also holds the package version and a fingerprint of the engine's source, so a changed
model never reads an old pickle. Anything unreadable in the cache is ignored and
written again: the cache can always be deleted.

What a frozen release renders to (its page body, its "what changed" fragment against the
release before it, its policy.json) is as immutable as its files, given the same texts and
options: ``rendered`` keeps those outputs under ``pages/``, keyed by the sha256 of the release
seals, the engine's fingerprint, the templates' and the locale's contents and every option the
output depends on. A key that does not match is a miss, never a wrong page. ``pickled`` keeps any
other value the same way (the validated tracker signatures, under ``signatures/``), keyed by the
sha256 of the bytes it was made from.

Folders are made one level at a time and must be real folders (a symlink anywhere in
``.cache/policypress/...`` turns the disk cache off: the build writes nowhere it did not mean to);
entries are read without following symlinks and written to a temporary file then renamed, so
two builds sharing the folder never see half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from babel import __version__ as babel_version

from . import _version
from .kept import Kept
from .model import Policy
from .yamlsource import MAX_FILE_BYTES

CACHE_DIR = Path(".cache") / "policypress"
# Far more releases than a policy will ever have; each entry is a few hundred KB.
MEMORY_ENTRIES = 512
_memory: Kept[tuple[str, tuple[tuple[str, str], ...]], Policy] = Kept(MEMORY_ENTRIES)
# Rendered outputs: a few per release and language, each some tens of KB.
RENDERED_ENTRIES = 4096
_rendered: Kept[str, Any] = Kept(RENDERED_ENTRIES)
T = TypeVar("T")


def cache_dir_for(data_dir: Path) -> Path:
    """``.cache/policypress/`` of the project that holds ``data_dir`` (the folder beside it)."""
    return Path(data_dir).absolute().parent / CACHE_DIR


def theme_bytecode_dir(data_dir: Path) -> Path | None:
    """Where the site builder's own templates keep their compiled bytecode (made if missing);
    None when it cannot be made (a read-only checkout builds without the cache)."""
    return safe_folder(cache_dir_for(data_dir), "jinja-theme")


def safe_folder(cache_dir: Path, *names: str) -> Path | None:
    """``cache_dir/names...``, made if missing (with ``.cache/`` above ``cache_dir``), each level a
    real folder and not a symlink; None when that cannot be had (read-only checkout, a symlink,
    a file in the way): the build then runs without the disk cache."""
    folder = Path(cache_dir).absolute()
    levels = [folder.parent, folder]
    for name in names:
        folder = folder / name
        levels.append(folder)
    for level in levels:
        try:
            os.mkdir(level, 0o755)
        except FileExistsError:
            pass
        except OSError:
            return None
        try:
            if not stat.S_ISDIR(os.lstat(level).st_mode):
                return None
        except OSError:
            return None
    return folder


@cache
def engine_fingerprint() -> str:
    """The package version and the size and mtime of every module of it: an edited model
    (an editable install keeps its version) must not read policies pickled by the old one."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(_version().encode())
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def release_key(manifest_sha256: str, files: Mapping[str, str]) -> str:
    parts = [engine_fingerprint(), manifest_sha256, sorted(files.items())]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def frozen_policy(
    manifest_sha256: str, files: Mapping[str, str], load: Callable[[], Policy], cache_dir: Path | None
) -> Policy:
    """The policy of a verified release: from memory, else from ``cache_dir``, else ``load()``."""
    memory_key = (manifest_sha256, tuple(sorted(files.items())))
    if memory_key in _memory:
        return _memory[memory_key]
    key = release_key(manifest_sha256, files)
    entry = cache_dir / "releases" / f"{key}.pickle" if cache_dir is not None else None
    policy = _read(entry, key, Policy) if entry is not None else None
    if policy is None:
        policy = load()  # a DataError propagates: nothing invalid is cached
        if entry is not None:
            _write(entry, key, policy)
    return _memory.put(memory_key, policy)


def draft_policy(data_dir: Path, names: Sequence[str], load: Callable[[], Policy], cache_dir: Path) -> Policy:
    """The draft's policy: ``load()``, kept by the bytes of its files ``names`` in ``data_dir``.

    Unlike a release the draft is not sealed, so the key is made of what is read here: each file's
    name and sha256 (or that it is missing), with Babel's version (which judges language tags and
    countries) and the engine's fingerprint. Loading reads nothing else. The files are read again
    after loading, and the policy is kept only when they are unchanged: a save in between (an
    editor writing, ``mkdocs serve``) must not file a policy under the bytes before it. Only a
    policy that loaded without a problem is kept: an invalid draft is read and reported every time."""
    before = _draft_digest(data_dir, names)
    if before is None:
        return load()  # a file the loader refuses (a symlink, a folder, too large): it words why
    memory_key = ("draft", ((str(Path(data_dir).absolute()), before),))
    if memory_key in _memory:
        return _memory[memory_key]
    kept = read_pickle("drafts", before, Policy, cache_dir)
    if kept is not None:
        return _memory.put(memory_key, kept)
    policy = load()  # a DataError propagates: nothing invalid is kept
    if _draft_digest(data_dir, names) == before:
        write_pickle("drafts", before, policy, cache_dir)
        _memory.put(memory_key, policy)
    return policy


def _draft_digest(data_dir: Path, names: Sequence[str]) -> str | None:
    parts = [f"babel {babel_version}"]
    for name in names:
        path = Path(data_dir) / name
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            parts.append(f"{name}:missing")
            continue
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        raw = _read_bytes(path)
        if raw is None:
            return None
        parts.append(f"{name}:{hashlib.sha256(raw).hexdigest()}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _read_bytes(entry: Path) -> bytes | None:
    """The entry's bytes; None when missing, unreadable or a symlink (never followed)."""
    try:
        handle = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as stream:
            return stream.read()
    except OSError:
        return None


def _read(entry: Path, key: str, kind: type[T]) -> T | None:
    """The ``kind`` pickled in ``entry`` under ``key`` (only ever a file we wrote: see ``_write``);
    None for anything else, which the caller computes and writes again."""
    raw = _read_bytes(entry)
    if raw is None:
        return None
    try:
        stored = pickle.loads(raw)
    except Exception:  # noqa: BLE001  (a truncated or foreign file: any unpickling error)
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key and isinstance(stored[1], kind):
        return stored[1]
    return None


def _write(entry: Path, key: str, value: object) -> None:
    _write_bytes(entry, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))


def pickled(folder: str, key: str, kind: type[T], compute: Callable[[], T], cache_dir: Path | None) -> T:
    """``compute()``, kept in ``cache_dir/folder/`` as a pickle named by ``key`` (a sha256 naming every
    input; the engine fingerprint is added here). No ``cache_dir``: computed. An exception from
    ``compute`` propagates and nothing is written."""
    if cache_dir is None:
        return compute()
    value = read_pickle(folder, key, kind, cache_dir)
    if value is None:
        value = compute()
        write_pickle(folder, key, value, cache_dir)
    return value


def _pickle_entry(folder: str, key: str, cache_dir: Path) -> tuple[Path, str]:
    key = hashlib.sha256(f"{engine_fingerprint()}\n{key}".encode()).hexdigest()
    return Path(cache_dir) / folder / f"{key}.pickle", key


def read_pickle(folder: str, key: str, kind: type[T], cache_dir: Path) -> T | None:
    """The ``kind`` that ``write_pickle`` kept under ``key`` (with this engine), or None."""
    entry, full_key = _pickle_entry(folder, key, cache_dir)
    return _read(entry, full_key, kind)


def write_pickle(folder: str, key: str, value: object, cache_dir: Path) -> None:
    entry, full_key = _pickle_entry(folder, key, cache_dir)
    _write(entry, full_key, value)


def _write_bytes(entry: Path, data: bytes) -> None:
    """Atomically (parallel builds share the folder); a cache that cannot be written is no error."""
    folder = safe_folder(entry.parent.parent, entry.parent.name)
    if folder is None:
        return
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=entry.name, suffix=".tmp", delete=False) as out:
            out.write(data)
        os.replace(out.name, entry)
    except OSError:
        try:
            os.unlink(out.name)
        except (OSError, UnboundLocalError):
            pass


def rendered(
    kind: str, parts: Sequence[object], compute: Callable[[], T], cache_dir: Path | None,
    *, encode: Callable[[T], Any], decode: Callable[[Any], T],
) -> T:
    """What ``compute()`` renders for a frozen release, from memory, else ``cache_dir/pages``, else
    computed and kept. ``parts`` must name everything the output depends on besides the engine
    (fingerprinted here); ``encode`` makes the value JSON, ``decode`` reads it back (and may raise
    on a foreign shape: that is a miss)."""
    key = key_of(kind, parts)
    if key in _rendered:
        return decode(_rendered[key])
    entry = cache_dir / "pages" / f"{key}.json" if cache_dir is not None else None
    stored = _read_rendered(entry, key) if entry is not None else None
    if stored is not None:
        try:
            result = decode(stored)
        except (TypeError, ValueError, KeyError, IndexError):  # a well-formed file of another shape
            stored = None
    if stored is None:
        result = compute()
        stored = encode(result)
        if entry is not None:
            _write_bytes(entry, json.dumps({"key": key, "value": stored}, ensure_ascii=False).encode())
    _rendered.put(key, stored)
    return result


def key_of(kind: str, parts: Sequence[object]) -> str:
    """The key of an output of ``kind`` that depends on ``parts`` and on the engine."""
    return hashlib.sha256(json.dumps([kind, engine_fingerprint(), *parts], default=str).encode()).hexdigest()


def _read_rendered(entry: Path, key: str) -> Any:
    raw = _read_bytes(entry)
    if raw is None:
        return None
    try:
        stored = json.loads(raw)
    except ValueError:  # truncated, not UTF-8, not JSON
        return None
    if isinstance(stored, dict) and stored.get("key") == key and "value" in stored:
        return stored["value"]
    return None


def as_text(stored: Any) -> str:
    """``decode`` of a cached text (a page fragment, a JSON file): anything else is a miss."""
    if not isinstance(stored, str):
        raise TypeError("not a text")
    return stored


def texts_fingerprint(texts: Mapping[str, str]) -> str:
    """The sha256 of one language's texts as the build uses them (ours merged with the project's)."""
    return hashlib.sha256(json.dumps(sorted(texts.items()), ensure_ascii=False).encode()).hexdigest()


def clear_memory() -> None:
    """Forget the in-memory entries (tests, and a process that wants to re-read everything)."""
    _memory.clear()
    _rendered.clear()
