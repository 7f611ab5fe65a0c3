"""DPV's purpose taxonomy: the terms ``dpv_purpose`` in activities.yaml may take.

The list ships in ``data/dpv-purposes.txt`` (taken from W3C DPV 2.3, source in its
header), so checking the data never needs the network.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib.resources import files
from typing import Annotated

from pydantic import AfterValidator


@cache
def dpv_purposes() -> frozenset[str]:
    text = files("policypress").joinpath("data/dpv-purposes.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_dpv_purpose(term: str) -> str:
    if term in dpv_purposes():
        return term
    # People write the label (Direct Marketing) or leave out the prefix: compare without them.
    wanted = term.removeprefix("dpv:").replace(" ", "").replace("_", "").lower()
    by_key = {t.removeprefix("dpv:").lower(): t for t in dpv_purposes()}
    near = [by_key[k] for k in difflib.get_close_matches(wanted, list(by_key), n=1, cutoff=0.6)]
    suggestion = f" (did you mean {near[0]}?)" if near else ""
    raise ValueError(f"'{term}' is not a purpose in DPV 2.3{suggestion}; DPV 2.3 purposes are listed in {_LIST}")


_LIST = "policypress/data/dpv-purposes.txt"

DpvPurpose = Annotated[str, AfterValidator(check_dpv_purpose)]
