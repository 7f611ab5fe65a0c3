"""The tracker signatures: their schema, and loading them with errors that point into the file.

The signatures ship in the package as YAML files in ``policypress/trackers/data/`` (one per
group of vendors, read in name order; an id may appear in only one of them); a user may add files
of their own (``--signatures FILE``) whose vendors replace shipped ones of the same id.

Reading and validating them costs a build ~0.15 s; unpickling ~5 ms. So a process remembers them
while their files are unchanged (``memo.memoized_on_files``), and a build (``use_cache_dir``) also
keeps them in ``.cache/policypress/signatures/``, keyed by the sha256 of every file read, the
names they are shown by and the engine (``buildcache.pickled``). The CLI scan has no project
cache folder: memory only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    ValidationError,
    model_validator,
)

from .. import buildcache
from ..durations import parse_duration
from ..errors import DataIssue, PolicyPressError
from ..i18n import NonEmptyStr
from ..loader import display_path
from ..model import ID_PATTERN, Id
from ..schema_errors import issues_from_validation
from ..vocabulary import CookieCategory, Party, StorageType
from ..yamlsource import load_yaml
from .memo import memoized_on_files
from .names import NamePattern, parse_name

PACKAGED = "trackers/data"
# Where validated signatures are kept between processes; None (the default): memory only.
_cache_dir: Path | None = None


class SignatureError(PolicyPressError):
    """A signatures file is missing or invalid. Carries every problem found in it."""

    def __init__(self, issues: list[DataIssue]) -> None:
        self.issues = sorted(issues)
        noun = "error" if len(self.issues) == 1 else "errors"
        lines = "\n".join(str(issue) for issue in self.issues)
        super().__init__(f"{len(self.issues)} {noun} in the tracker signatures:\n{lines}")


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"'{value}' is not a valid regular expression: {exc}") from None
    return value


def _duration(value: str) -> str:
    if value.strip().lower() != "persistent":
        parse_duration(value)
    return value


def _one_or_more(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Regex = Annotated[str, StringConstraints(min_length=1), AfterValidator(_regex)]
UrlPattern = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^\s]+$")]
StorageName = Annotated[str, StringConstraints(pattern=r"^[^\s]+$")]
SignatureDuration = Annotated[str, AfterValidator(_duration)]
Categories = Annotated[tuple[CookieCategory, ...], BeforeValidator(_one_or_more)]


class ConsentManager(StrEnum):
    """The consent banners the signatures know; each names one vendor of consent-managers.yaml."""

    COOKIEBOT = "cookiebot"
    KLARO = "klaro"
    VANILLA_COOKIECONSENT = "vanilla-cookieconsent"
    ONETRUST = "onetrust"
    USERCENTRICS = "usercentrics"
    DIDOMI = "didomi"
    QUANTCAST_CHOICE = "quantcast-choice"
    TRUSTARC = "trustarc"
    OSANO = "osano"
    COOKIECONSENT_V2 = "cookieconsent-v2"
    COMPLIANZ = "complianz"
    BORLABS = "borlabs"
    COOKIEYES = "cookieyes"
    COOKIE_LAW_INFO = "cookie-law-info"
    TERMLY = "termly"
    IUBENDA = "iubenda"
    AXEPTIO = "axeptio"
    SOURCEPOINT = "sourcepoint"
    CONSENTMANAGER = "consentmanager"
    COOKIE_SCRIPT = "cookie-script"
    COOKIEFIRST = "cookiefirst"


class Model(BaseModel):
    # defer_build: the validators are built when a file is first validated, not at import (~25 ms):
    # a build whose signatures come from the cache never validates any.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class StorageEntry(Model):
    name: StorageName
    type: StorageType
    duration: SignatureDuration | None = None
    party: Party
    category: Categories | None = None
    purpose: NonEmptyStr
    optional: StrictBool = False
    server_only: StrictBool = False
    example: StorageName | None = None

    @property
    def pattern(self) -> NamePattern:
        return parse_name(self.name)

    @property
    def suggested_name(self) -> str:
        return self.example or self.pattern.glob


class UrlKind(StrEnum):
    """Where in a page a URL is looked for."""

    SCRIPT = "script"
    IFRAME = "iframe"
    PIXEL = "pixel"
    FORM = "form"
    STYLESHEET = "stylesheet"


_KINDS = (*(kind.value for kind in UrlKind), "inline", "element")


class Detector(Model):
    script: UrlPattern | None = None
    iframe: UrlPattern | None = None
    pixel: UrlPattern | None = None
    form: UrlPattern | None = None
    stylesheet: UrlPattern | None = None
    inline: Regex | None = None
    element: Annotated[str, StringConstraints(pattern=r"^(\*|[a-z][a-z0-9-]*)$")] | None = None
    attributes: dict[str, Regex] = {}
    sets: tuple[StorageName, ...] | None = None
    loads: StrictBool | None = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Detector:
        given = [kind for kind in _KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(f"write exactly one of {', '.join(_KINDS)} (found {', '.join(given) or 'none'})")
        if self.element is not None and not self.attributes:
            raise ValueError("an 'element' needs 'attributes' ({name: regex}) to tell it apart")
        if self.element is None and self.attributes:
            raise ValueError("'attributes' belongs to an 'element' item")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in _KINDS if getattr(self, kind) is not None)

    @property
    def target(self) -> str:
        return str(getattr(self, self.kind))

    @property
    def runs_vendor_code(self) -> bool:
        if self.loads is not None:
            return self.loads
        return self.kind not in ("form", "element")


class Vendor(Model):
    name: NonEmptyStr
    category: CookieCategory
    recipients: tuple[Id, ...] = ()
    transfers_ip: StrictBool = False
    consent_manager: ConsentManager | None = None
    fix: NonEmptyStr | None = None
    detect: tuple[Detector, ...]
    storage: tuple[StorageEntry, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Vendor:
        if not self.detect:
            raise ValueError("'detect' needs at least one item")
        names = [entry.name for entry in self.storage]
        seen: set[tuple[str, str]] = set()
        for entry in self.storage:
            key = (entry.name, entry.type.value)
            if key in seen:
                raise ValueError(f"storage '{entry.name}' ({entry.type.value}) is listed twice")
            seen.add(key)
        for detector in self.detect:
            for name in detector.sets or ():
                if name not in names:
                    raise ValueError(
                        f"'sets' names '{name}', which is not in this vendor's storage "
                        f"(known: {', '.join(names) or 'none'})"
                    )
        return self

    def categories_of(self, entry: StorageEntry) -> tuple[CookieCategory, ...]:
        return entry.category or (self.category,)

    def storage_set_by(self, detector: Detector) -> tuple[StorageEntry, ...]:
        if detector.sets is None:
            return self.storage
        return tuple(entry for entry in self.storage if entry.name in detector.sets)

    @property
    def required_storage(self) -> tuple[StorageEntry, ...]:
        return tuple(entry for entry in self.storage if not entry.optional and not entry.server_only)


class SignaturesFile(Model):
    version: Literal[1]
    vendors: dict[Annotated[str, StringConstraints(pattern=ID_PATTERN)], Vendor]


@dataclass(frozen=True)
class Signatures:
    """Every vendor known to the scan, by id, and the files they came from."""

    vendors: dict[str, Vendor]
    sources: tuple[str, ...]
    # The sha256 of the files' names and bytes ("" when one could not be read): what a scan's
    # ledger of pages is kept under (scan/ledger.py).
    digest: str = ""


def _read(path: Path, display: str) -> SignaturesFile:
    if not path.is_file():
        raise SignatureError([DataIssue(display, 0, 0, "", "file not found")])
    doc = load_yaml(path, display)
    if doc.issues:
        raise SignatureError(doc.issues)
    if doc.data is None:
        raise SignatureError([DataIssue(display, 0, 0, "", "the file is empty; expected 'version: 1' and 'vendors:'")])
    try:
        return SignaturesFile.model_validate(doc.data)
    except ValidationError as exc:
        raise SignatureError(issues_from_validation(exc, doc, SignaturesFile)) from None


def use_cache_dir(cache_dir: Path | None) -> None:
    """Keep validated signatures in ``cache_dir/signatures`` (a build's ``.cache/policypress``)
    from now on in this process; None: in memory only."""
    global _cache_dir
    _cache_dir = cache_dir


def _packaged() -> list[tuple[str, Traversable]]:
    packaged = resources.files("policypress").joinpath("trackers", "data")
    entries = sorted((e for e in packaged.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    return [(f"policypress/{PACKAGED}/{entry.name}", entry) for entry in entries]


def _files_digest(packaged: list[tuple[str, Traversable]], extra: list[tuple[str, Path]]) -> str | None:
    """The sha256 of every file's name and bytes, in reading order; None when one cannot be read
    (the loader then says why, and nothing is cached)."""
    digest = hashlib.sha256()
    try:
        for display, source in [*packaged, *extra]:
            data = source.read_bytes()
            digest.update(f"{display}\n{len(data)}\n".encode())
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


@memoized_on_files
def load_signatures(extra_files: Sequence[Path] = ()) -> Signatures:
    """The packaged signatures, then each extra file in turn (a vendor id given again replaces the earlier one)."""
    packaged = _packaged()
    extra = [(display_path(Path(path)), Path(path)) for path in extra_files]
    key = _files_digest(packaged, extra)
    if key is None or _cache_dir is None:
        return _load(packaged, extra, key or "")
    return buildcache.pickled("signatures", key, Signatures, lambda: _load(packaged, extra, key), _cache_dir)


def _load(packaged: list[tuple[str, Traversable]], extra: list[tuple[str, Path]], digest: str) -> Signatures:
    vendors: dict[str, Vendor] = {}
    sources: list[str] = []
    issues: list[DataIssue] = []
    for display, entry in packaged:
        with resources.as_file(entry) as path:
            shipped = _read(path, display).vendors
        # Shipped files are split by kind of vendor only for reading; an id is defined once.
        issues.extend(
            DataIssue(display, 0, 0, f"vendors.{vid}", "this vendor id is already defined in another shipped file")
            for vid in shipped if vid in vendors
        )
        vendors.update(shipped)
        sources.append(display)
    if issues:
        raise SignatureError(issues)
    for display, path in extra:
        vendors.update(_read(path, display).vendors)
        sources.append(display)
    return Signatures(vendors=vendors, sources=tuple(sources), digest=digest)
