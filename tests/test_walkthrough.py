"""The README's walk-through of a page with Cookiebot ("Check another site's cookies") is what the tools print.

Each ```console block of the section is run as written (the command line, in this process, from the
repository's root; the evidence folder goes to a temporary one), and every line the README shows must be
in the output: a line is cut at "…", and each of its pieces must appear, in order, within one line of it.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from clirun import cli, cli_browser  # noqa: F401
from conftest import ROOT

SECTION = "### Walk-through: a page with Cookiebot, end to end"


def _blocks() -> list[tuple[list[str], list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    section = text[start:text.index("\n### ", start + len(SECTION))]
    found = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        lines = block.splitlines()
        command = lines.pop(0)
        while command.endswith("\\"):
            command = command[:-1] + " " + lines.pop(0).strip()
        assert command.startswith("$ policypress ")
        found.append((shlex.split(command[2:])[1:], lines))
    return found


def _shown_in(line: str, output: list[str]) -> bool:
    pieces = [piece.strip() for piece in line.split("…") if piece.strip()]
    for candidate in output:
        at = 0
        for piece in pieces:
            at = candidate.find(piece, at)
            if at < 0:
                break
            at += len(piece)
        else:
            return True
    return False


def test_the_section_has_the_three_steps() -> None:
    commands = [args[0] for args, _ in _blocks()]
    assert commands == ["scan", "audit", "audit"]


@pytest.mark.browser
@pytest.mark.parametrize("step", [0, 1, 2])
def test_each_step_prints_what_the_readme_shows(cli_browser, tmp_path: Path, step: int) -> None:  # noqa: F811
    args, shown = _blocks()[step]
    args = [str(tmp_path / "evidence") if a == "evidence/" else a for a in args]
    code, out, err = cli_browser(*args, cwd=ROOT)

    assert code == 1, err  # Hotjar runs before consent: the run fails
    output = out.splitlines()
    missing = [line for line in shown if not _shown_in(line, output)]
    assert missing == [], out
    if "--evidence" in args:
        evidence = tmp_path / "evidence"
        checked = subprocess.run(["sha256sum", "-c", "--quiet", "MANIFEST.sha256"], cwd=evidence,
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert (evidence / "accept-all" / "cookies.json").is_file()
