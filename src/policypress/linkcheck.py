"""`python -m policypress.linkcheck SITE_DIR`: linkchecker on a built site served on 127.0.0.1.

Only links within the site are followed; every other URL is ignored, never requested.

LinkChecker spaces its requests to one host 0.1 to 0.6 s apart, unless the host answers with a
``LinkChecker`` header (the server's consent to be checked faster) and the configuration raises
``maxrequestspersecond``. The local server sends that header (it serves our own site to this
machine only), so the 62 URLs of this project's site take about a second where they took eight.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from .localserver import serve_directory

IGNORE_NON_LOCAL = "--ignore-url=^(?!http://127\\.0\\.0\\.1)"
# For a host that sent the header: at least 1 ms and at most 6 ms between two of its requests.
FULL_RATE = "[checking]\nmaxrequestspersecond=1000\n"


def run_linkchecker(url: str) -> subprocess.CompletedProcess[str]:
    linkchecker = Path(sys.executable).parent / "linkchecker"
    with tempfile.TemporaryDirectory(prefix="policypress-linkcheck-") as folder:
        config = Path(folder) / "linkcheckerrc"
        config.write_text(FULL_RATE, encoding="utf-8")
        return subprocess.run(
            [str(linkchecker), "--no-status", f"--config={config}", IGNORE_NON_LOCAL, url],
            capture_output=True, text=True, timeout=600,
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
