"""Debian's Chromium, as every browser of policypress starts it (the audit, the PDF, the test suite).

One list of switches, so that what the tests measure is what the commands see.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    # Nothing of Chromium's own (updates, sync, safe browsing lists) may call home.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # ImprovedCookieControls: Playwright's contexts are private windows, where Chromium denies
    # third-party frames their localStorage; a visitor's ordinary window allows it, and the audit must
    # see what they would. (Unpartitioned third-party cookies stay blocked whatever the switches:
    # vendors in frames are caught by their requests and their frames' storage.)
    # The other three: each new tab of Chromium 156 starts a renderer for the address bar's popups
    # (pages of their own, never shown headless) and keeps a spare renderer ready for the next site.
    # Without them a fresh context's first page costs about 0.26 s of this machine's CPU instead of
    # 0.39 s, on every visit of every scenario.
    # One switch: Chromium keeps only the last --disable-features it is given.
    "--disable-features=ImprovedCookieControls,WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess",
)


def chromium_path() -> Path:
    path = Path(os.environ.get("POLICYPRESS_CHROMIUM") or DEFAULT_CHROMIUM)
    if not path.is_file():
        raise UsageError(
            f"Chromium not found at {path} (set POLICYPRESS_CHROMIUM to use another): run `make browser`, "
            "which installs Debian's chromium package"
        )
    return path
