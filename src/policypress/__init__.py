"""policypress: a privacy policy kept as data, built into a bilingual, consent-aware site."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policypress")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
