"""`python -m policypress.linkcheck SITE_DIR`: linkchecker on a built site served on 127.0.0.1.

Only links within the site are followed; every other URL is ignored, never requested.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .localserver import serve_directory

IGNORE_NON_LOCAL = "--ignore-url=^(?!http://127\\.0\\.0\\.1)"


def run_linkchecker(url: str) -> subprocess.CompletedProcess[str]:
    linkchecker = Path(sys.executable).parent / "linkchecker"
    return subprocess.run(
        [str(linkchecker), "--no-status", IGNORE_NON_LOCAL, url], capture_output=True, text=True, timeout=600
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m policypress.linkcheck SITE_DIR", file=sys.stderr)
        return 2
    with serve_directory(Path(args[0])) as url:
        result = run_linkchecker(url)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
