"""The five situations a visitor can be in, each audited in a fresh browser context."""

from __future__ import annotations

from enum import StrEnum


class Scenario(StrEnum):
    BEFORE_CONSENT = "before-consent"  # the visitor has not answered the banner
    ACCEPT_ALL = "accept-all"
    REJECT_ALL = "reject-all"
    ACCEPT_THEN_WITHDRAW = "accept-then-withdraw"  # accepts, then reopens the banner and rejects
    GPC = "gpc"  # Global Privacy Control on, no answer to the banner

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Scenario.BEFORE_CONSENT: "before the visitor answers the banner",
    Scenario.ACCEPT_ALL: "after the visitor accepts all",
    Scenario.REJECT_ALL: "after the visitor rejects all",
    Scenario.ACCEPT_THEN_WITHDRAW: "after the visitor accepts, then withdraws the consent",
    Scenario.GPC: "with Global Privacy Control on (Sec-GPC: 1, navigator.globalPrivacyControl)",
}

ALL: tuple[Scenario, ...] = tuple(Scenario)


class Phase(StrEnum):
    """What the visitor has said when something is observed; the checks depend on it."""

    NO_CONSENT = "no-consent"  # nothing, a rejection, or GPC: only necessary storage is allowed
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"  # after withdrawing, with the optional storage cleared: may it come back?
