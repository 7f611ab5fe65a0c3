"""The rules: what the pages do, compared with what cookies.yaml and recipients.yaml declare.

- observed but not declared: error (``undeclared``);
- declared with another category than the vendor's: error (``wrong-category``), or another
  storage type: error (``wrong-type``);
- a vendor that needs consent loads before the visitor gives it: error (``before-consent``);
- declared but never observed: warning, error when strict (``declared-not-observed``);
- a vendor that stores nothing but receives the visitor's IP address (fonts, CDNs), and
  another party's host no signature knows: see ``third_party`` (``ip-transfer-before-consent``,
  ``unknown-third-party``).
The same finding on many pages (a template) is reported once, at its first page, with a count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import CookieDeclaration, Policy
from ..trackers.names import NamePattern, names_overlap, parse_name
from ..trackers.signatures import Signatures, StorageEntry, Vendor
from ..vocabulary import CookieCategory, StorageType
from .findings import Finding, Rule, Severity, report_order
from .fixes import MATERIAL_ANALYTICS_FIX, declaration_snippet, hold_embed, hold_script, provider_for
from .folder import Observations, VendorSighting
from .gating import MATERIAL_UNGUARDED, rule_texts
from .seen import Seen, place_fields, vendor_fields
from .third_party import recipient_findings, site_hosts_of, stranger_findings


@dataclass(frozen=True)
class Declaration:
    name: str
    cookie: CookieDeclaration
    pattern: NamePattern


@dataclass
class _Item:
    """One cookie or storage key the pages set, from a vendor's signature or from the site's own code."""

    vendor_id: str | None
    vendor: Vendor | None
    entry: StorageEntry | None
    type: StorageType
    name: str
    seen: Seen
    via_page: str | None = None  # for the site's own script files: a page that loads the file

    @property
    def pattern(self) -> NamePattern:
        return parse_name(self.name)

    @property
    def categories(self) -> tuple[CookieCategory, ...] | None:
        if self.vendor is None or self.entry is None:
            return None
        return self.vendor.categories_of(self.entry)

    @property
    def display_name(self) -> str:
        return self.entry.suggested_name if self.entry is not None else self.name


class Comparison:
    def __init__(self, observations: Observations, policy: Policy, signatures: Signatures, *, strict: bool,
                 data_folder: str | None, declaration_lines: dict[str, int], site_hosts: Sequence[str] = ()) -> None:
        self.obs = observations
        self.policy = policy
        self.signatures = signatures
        self.strict = strict
        self.data_folder = data_folder
        self.declaration_lines = declaration_lines
        self.site_hosts = site_hosts_of(policy, site_hosts)
        self.declarations = [Declaration(name, cookie, parse_name(name)) for name, cookie in policy.cookies.items()]
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        items = self._items()
        self._storage(items)
        self.findings.extend(recipient_findings(self.obs, self.policy, strict=self.strict))
        self._before_consent()
        self._not_observed(items)
        self.findings.extend(stranger_findings(self.obs, self.site_hosts))
        return sorted(self.findings, key=report_order)

    # --- what the pages set -----------------------------------------------------------------

    def _items(self) -> list[_Item]:
        ItemKey = tuple[str | None, str, str]
        items: dict[ItemKey, _Item] = {}
        key: ItemKey
        for sighting in self.obs.vendors:
            vendor = sighting.compiled.vendor
            for entry in vendor.storage_set_by(sighting.compiled.detector):
                key = (sighting.vendor_id, entry.name, entry.type.value)
                if key not in items:
                    items[key] = _Item(sighting.vendor_id, vendor, entry, entry.type, entry.name, Seen(sighting.place))
                items[key].seen.add(sighting.place)
        for write in self.obs.storage:
            key = (None, write.name, write.type.value)
            if key not in items:
                items[key] = _Item(None, None, None, write.type, write.name, Seen(write.place), write.loaded_by)
            items[key].seen.add(write.place)
        return list(items.values())

    def _matching(self, pattern: NamePattern) -> list[Declaration]:
        return [d for d in self.declarations if names_overlap(pattern, d.pattern)]

    def _storage(self, items: list[_Item]) -> None:
        undeclared: dict[str | None, list[_Item]] = defaultdict(list)
        has_declared: set[str | None] = set()
        reported: set[tuple[Rule, str]] = set()
        for item in items:
            matches = self._matching(item.pattern)
            if not matches:
                if not (item.entry and (item.entry.optional or item.entry.server_only)):
                    undeclared[item.vendor_id].append(item)
                continue
            has_declared.add(item.vendor_id)
            same_type = [d for d in matches if d.cookie.type == item.type]
            if not same_type:
                declared = matches[0]
                if (Rule.WRONG_TYPE, declared.name) not in reported:
                    reported.add((Rule.WRONG_TYPE, declared.name))
                    self._wrong_type(item, declared)
                continue
            categories = item.categories
            if categories and not any(d.cookie.category in categories for d in same_type):
                for declared in same_type:
                    if (Rule.WRONG_CATEGORY, declared.name) not in reported:
                        reported.add((Rule.WRONG_CATEGORY, declared.name))
                        self._wrong_category(item, declared, categories)
        for vendor_id, missing in undeclared.items():
            if vendor_id is not None and vendor_id not in has_declared and len(missing) > 1:
                self._undeclared_vendor(missing)
            else:
                for item in missing:
                    self._undeclared_item(item)

    def _suggestion(self, item: _Item) -> str:
        provider, _ = provider_for(item.vendor_id, item.vendor, self.policy)
        categories = item.categories
        return declaration_snippet(item.display_name, item.entry, categories[0] if categories else None, provider,
                                   item.type.value)

    def _recipient_note(self, item: _Item) -> str:
        provider, known = provider_for(item.vendor_id, item.vendor, self.policy)
        return "" if known else f"\nand add '{provider}' (the company) to recipients.yaml."

    def _undeclared_vendor(self, missing: list[_Item]) -> None:
        first = min(missing, key=lambda item: (item.seen.first.page, item.seen.first.line or 0))
        vendor = first.vendor
        assert vendor is not None
        names = ", ".join(f"{item.display_name} ({item.type.value})" for item in missing)
        self.findings.append(
            Finding(
                rule=Rule.UNDECLARED,
                severity=Severity.ERROR,
                message=f"{vendor.name} is on the site, but none of what it stores is declared: {names}.",
                fix="Remove it from the pages, or declare each in cookies.yaml, e.g.\n  "
                + "\n  ".join(self._suggestion(item) for item in missing)
                + self._recipient_note(first),
                **place_fields(first.seen),
                **vendor_fields(first.vendor_id, vendor),
            )
        )

    def _undeclared_item(self, item: _Item) -> None:
        if item.vendor is not None:
            message = f"{item.vendor.name} stores '{item.display_name}' ({item.type.value}), which cookies.yaml does not declare."
            fix = f"Declare it in cookies.yaml, e.g.\n  {self._suggestion(item)}{self._recipient_note(item)}"
        else:
            loaded = f" (loaded by {item.via_page})" if item.via_page else ""
            message = (
                f"The site's own code{loaded} writes the {item.type.value} key '{item.name}', "
                "which cookies.yaml does not declare."
            )
            fix = f"Stop writing it, or declare it in cookies.yaml, e.g.\n  {self._suggestion(item)}"
        self.findings.append(
            Finding(
                rule=Rule.UNDECLARED, severity=Severity.ERROR, message=message, fix=fix,
                key=item.display_name, storage_type=item.type.value,
                **place_fields(item.seen), **vendor_fields(item.vendor_id, item.vendor),
            )
        )

    def _wrong_type(self, item: _Item, declared: Declaration) -> None:
        self.findings.append(
            Finding(
                rule=Rule.WRONG_TYPE, severity=Severity.ERROR,
                message=(
                    f"'{declared.name}' is declared as {declared.cookie.type.value}, but "
                    f"{item.vendor.name if item.vendor else 'the site'} stores '{item.display_name}' in {item.type.value}."
                ),
                fix=f"Set type: {item.type.value} for '{declared.name}' in cookies.yaml.",
                key=declared.name, storage_type=item.type.value,
                **place_fields(item.seen), **vendor_fields(item.vendor_id, item.vendor),
            )
        )

    def _wrong_category(self, item: _Item, declared: Declaration, categories: tuple[CookieCategory, ...]) -> None:
        expected = categories[0]
        accepted = " or ".join(c.value for c in categories)
        consent = "" if expected is CookieCategory.NECESSARY else " and consent_required: true"
        vendor_name = item.vendor.name if item.vendor else "the site"
        self.findings.append(
            Finding(
                rule=Rule.WRONG_CATEGORY, severity=Severity.ERROR,
                message=(
                    f"'{declared.name}' is declared as {declared.cookie.category.value}, but {vendor_name} uses "
                    f"'{item.display_name}' for {accepted}."
                ),
                fix=f"Set category: {expected.value}{consent} for '{declared.name}' in cookies.yaml.",
                key=declared.name, storage_type=item.type.value,
                declared_category=declared.cookie.category.value, expected_category=expected.value,
                **place_fields(item.seen), **vendor_fields(item.vendor_id, item.vendor),
            )
        )

    # --- vendors that load before consent ---------------------------------------------------

    def _before_consent(self) -> None:
        grouped: dict[tuple[str, str], tuple[Seen, VendorSighting]] = {}
        for sighting in self.obs.vendors:
            vendor = sighting.compiled.vendor
            if sighting.gate.held or (vendor.category is CookieCategory.NECESSARY
                                      and sighting.gate.rule is not Rule.LOADS_BEFORE_MANAGER):
                continue
            if not sighting.compiled.detector.runs_vendor_code:
                continue
            # One finding per way the vendor gets in (the same snippet on every page of a template).
            detector = sighting.compiled.detector
            key = (sighting.vendor_id, f"{detector.kind}:{detector.target}:{sighting.gate.how}:{sighting.via or ''}")
            if key not in grouped:
                grouped[key] = (Seen(sighting.place), sighting)
            grouped[key][0].add(sighting.place)
        for (vendor_id, _), (where, sighting) in grouped.items():
            self.findings.append(self._before_consent_finding(vendor_id, where, sighting))

    def _before_consent_finding(self, vendor_id: str, where: Seen, sighting: VendorSighting) -> Finding:
        vendor = sighting.compiled.vendor
        kind = sighting.compiled.detector.kind
        managers = self.obs.managers.get((where.first.folder, where.first.page), frozenset())
        via = f" (from {sighting.via})" if sighting.via else ""
        if sighting.gate.rule is not None:  # consent mode, undecided, before the manager: warnings (gating.py)
            message, fix = rule_texts(sighting.gate, vendor.name, via)
            return Finding(rule=sighting.gate.rule, severity=Severity.WARNING, message=message, fix=fix,
                           **place_fields(where), **vendor_fields(vendor_id, vendor))
        if sighting.gate == MATERIAL_UNGUARDED:
            fix = MATERIAL_ANALYTICS_FIX
        elif kind in ("script", "inline"):
            fix = hold_script(vendor_id, vendor.category, managers)
        else:
            fix = hold_embed(vendor_id, vendor.category, managers, "<noscript>" in sighting.gate.how)
        if vendor.fix:
            fix = f"{fix} {vendor.fix}"
        return Finding(
            rule=Rule.BEFORE_CONSENT, severity=Severity.ERROR,
            message=(
                f"{vendor.name} ({vendor.category.value}) runs before the visitor consents{via}: "
                f"{sighting.gate.how}."
            ),
            fix=fix, **place_fields(where), **vendor_fields(vendor_id, vendor),
        )

    # --- declared, never seen ---------------------------------------------------------------

    def _not_observed(self, items: list[_Item]) -> None:
        server_only = [
            (entry.pattern, entry.type) for vendor in self.signatures.vendors.values() for entry in vendor.storage
            if entry.server_only
        ]
        for declared in self.declarations:
            if any(names_overlap(item.pattern, declared.pattern) for item in items):
                continue
            if any(kind == declared.cookie.type and names_overlap(p, declared.pattern) for p, kind in server_only):
                continue
            line = self.declaration_lines.get(declared.name)
            self.findings.append(
                Finding(
                    rule=Rule.DECLARED_NOT_OBSERVED,
                    severity=Severity.ERROR if self.strict else Severity.WARNING,
                    message=(
                        f"'{declared.name}' ({declared.cookie.type.value}, {declared.cookie.category.value}, provider "
                        f"{declared.cookie.provider}) is declared, but no scanned page loads anything that sets it."
                    ),
                    fix=(
                        "If the site no longer sets it, delete it from cookies.yaml. If something the static scan "
                        "cannot see sets it (a server response, a name built at run time), confirm it with a "
                        "browser audit; if a page that sets it was not scanned, add its folder with --pages."
                    ),
                    folder=self.data_folder, page="cookies.yaml" if self.data_folder else None, line=line,
                    key=declared.name, storage_type=declared.cookie.type.value,
                    declared_category=declared.cookie.category.value,
                )
            )


def compare(observations: Observations, policy: Policy, signatures: Signatures, *, strict: bool = False,
            data_folder: str | None = None, declaration_lines: dict[str, int] | None = None,
            site_hosts: Sequence[str] = ()) -> list[Finding]:
    """``site_hosts``: the site's own hosts (or URLs), besides the controller's website; their
    registrable domains are not another party."""
    return Comparison(observations, policy, signatures, strict=strict, data_folder=data_folder,
                      declaration_lines=declaration_lines or {}, site_hosts=site_hosts).run()
