"""Registrable domains ("eTLD+1"), from the Public Suffix List, offline.

``static.hotjar.com`` and ``script.hotjar.com`` are one party (``hotjar.com``); ``a.github.io``
and ``b.github.io`` are two, because ``github.io`` is a public suffix. The list comes with the
``publicsuffixlist`` package (a snapshot inside the wheel, MPL-2.0, no dependencies): it is
never fetched, so a scan gives the same answer offline and in CI. ``tldextract`` was the other
candidate; measured here, importing and loading it took about 380 ms against about 150 ms, and
it pulls in requests and filelock for a download this project must never make.

Loading the list costs that 150 ms, so it happens on the first question, not on import.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from publicsuffixlist import PublicSuffixList


@lru_cache(maxsize=1)
def _list() -> PublicSuffixList:
    # accept_unknown: a name under a suffix the list does not know (an intranet's .local) is
    # judged by its last label, as browsers do.
    return PublicSuffixList(accept_unknown=True)


def _plain(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):  # an IPv6 literal, as URLs write it
        host = host[1:-1]
    return host


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=16384)
def registrable_domain(host: str) -> str:
    """The part of ``host`` a company registers: ``www.googletagmanager.com`` → ``googletagmanager.com``.

    An IP address, a single label (``localhost``) or a public suffix itself (``github.io``) is
    returned as it is: there is no larger party to group it under.
    """
    plain = _plain(host)
    if not plain or _is_address(plain):
        return plain
    return _list().privatesuffix(plain) or plain


def is_third_party(host: str, site_hosts: Iterable[str]) -> bool:
    """Whether ``host`` belongs to another party than the site, whose own hosts are ``site_hosts``.

    A host under the same registrable domain as one of the site's (``cdn.cmt.se`` for ``cmt.se``)
    is the site's own. With no site hosts known, every host is another party's.
    """
    domain = registrable_domain(host)
    return all(registrable_domain(own) != domain for own in site_hosts if own.strip())
