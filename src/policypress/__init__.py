"""policypress: a privacy policy kept as data, built into a bilingual, consent-aware site."""

from __future__ import annotations

from functools import cache

__all__ = ["__version__"]


@cache
def _version() -> str:
    # Reading the installed metadata costs ~0.1 s (importlib.metadata scans every distribution):
    # paid only by what prints or records the version, not by every build and `make site` step.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policypress")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    """PEP 562: ``policypress.__version__`` (and ``from policypress import __version__``), on demand."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
