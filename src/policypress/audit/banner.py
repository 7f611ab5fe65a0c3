"""How the audit answers a consent banner: the controls to click, and how to bring the banner back."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class BannerConfig:
    """CSS selectors of a banner's controls.

    ``reopen`` is the control a visitor uses to change their mind (a "Cookie settings" link);
    a banner that is reopened through the address instead (Material's ``#__consent``) gives
    ``reopen_hash``. The first visible match of a selector is clicked.
    """

    name: str
    accept: str
    reject: str
    reopen: str | None = None
    reopen_hash: str | None = None
    # Material shows its banner 250 ms after the page loads; slower banners get this long.
    timeout_ms: int = 5000

    @property
    def can_reopen(self) -> bool:
        return self.reopen is not None or self.reopen_hash is not None

    def describe_reopen(self) -> str:
        if self.reopen is not None:
            return f"clicking {self.reopen}"
        if self.reopen_hash is not None:
            return f"going to #{self.reopen_hash}"
        return "(no way to reopen it is configured)"


# Material for MkDocs' banner (extra.consent, with our partials/consent.html): Accept without opening
# the settings accepts every category; Reject is the form's reset button; the footer link
# "Change cookie settings" is href="#__consent", which Material's bundle answers by showing the banner.
MATERIAL = BannerConfig(
    name="material",
    accept="form[name=consent] button:not([type=reset])",
    reject="form[name=consent] button[type=reset]",
    reopen_hash="__consent",
)


def custom_banner(accept: str | None, reject: str | None, reopen: str | None,
                  base: BannerConfig = MATERIAL) -> BannerConfig:
    """``base`` with the selectors given replaced; a reopen selector replaces the reopen hash."""
    if accept is None and reject is None and reopen is None:
        return base
    changed = replace(base, name="custom", accept=accept or base.accept, reject=reject or base.reject)
    if reopen is not None:
        changed = replace(changed, reopen=reopen, reopen_hash=None)
    return changed
