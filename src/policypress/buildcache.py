"""The build's caches: frozen releases parsed once, by their checksums.

A released folder never changes (its files' sha256 are in its manifest, the manifest's
in ``SEALS``), so the ``Policy`` read from it can be kept: in memory for the life of
the process (``mkdocs serve`` rebuilds), and on disk under ``.cache/policypress/``
beside the data for separate builds. A cached policy is only looked up after
``load_history`` has verified the seal and every file checksum, and its key is made of
those checksums, so it can only stand for the bytes that were just verified. The key
also holds the package version and a fingerprint of the engine's source, so a changed
model never reads an old pickle. Anything unreadable in the cache is ignored and
written again: the cache can always be deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from . import __version__
from .model import Policy

CACHE_DIR = Path(".cache") / "policypress"
# Far more releases than a policy will ever have; each entry is a few hundred KB.
MEMORY_ENTRIES = 512
_memory: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], Policy] = OrderedDict()


def cache_dir_for(data_dir: Path) -> Path:
    """``.cache/policypress/`` of the project that holds ``data_dir`` (the folder beside it)."""
    return Path(data_dir).absolute().parent / CACHE_DIR


def theme_bytecode_dir(data_dir: Path) -> Path | None:
    """Where the site builder's own templates keep their compiled bytecode (made if missing);
    None when it cannot be made (a read-only checkout builds without the cache)."""
    folder = cache_dir_for(data_dir) / "jinja-theme"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


@cache
def engine_fingerprint() -> str:
    """The package version and the size and mtime of every module of it: an edited model
    (an editable install keeps its version) must not read policies pickled by the old one."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
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
        _memory.move_to_end(memory_key)
        return _memory[memory_key]
    key = release_key(manifest_sha256, files)
    entry = cache_dir / "releases" / f"{key}.pickle" if cache_dir is not None else None
    policy = _read(entry, key) if entry is not None else None
    if policy is None:
        policy = load()  # a DataError propagates: nothing invalid is cached
        if entry is not None:
            _write(entry, key, policy)
    _memory[memory_key] = policy
    if len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)
    return policy


def _read(entry: Path, key: str) -> Policy | None:
    try:
        stored = pickle.loads(entry.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001  (a truncated or foreign file: any unpickling error)
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key and isinstance(stored[1], Policy):
        return stored[1]
    return None


def _write(entry: Path, key: str, policy: Policy) -> None:
    """Atomically (parallel builds share the folder); a cache that cannot be written is no error."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=entry.parent, prefix=entry.name, suffix=".tmp", delete=False) as out:
            out.write(pickle.dumps((key, policy), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(out.name, entry)
    except OSError:
        try:
            os.unlink(out.name)
        except (OSError, UnboundLocalError):
            pass


def clear_memory() -> None:
    """Forget the in-memory entries (tests, and a process that wants to re-read everything)."""
    _memory.clear()
