"""How an estate audit scales: 1 against 2 jobs, and 4 shards merged against one run, on a generated site.

Generates a site of N pages (default 1,000) with the generator of bench/audit_bench.py (the audit
fixtures' banner, Google Analytics after Accept, a YouTube player on every fifth page, a preference in
sessionStorage on every third), audits every page on its own (an estate audit, `policypress audit
--urls/--sitemap/--shard/--state`) with 1 job and with 2, then in 4 shards, and prints the seconds
and whether the 4 shards merged give the report of the one run. Nothing leaves the machine. Run
from the repository (a smaller --pages when the machine is busy: the time grows with the pages):
    .venv/bin/python bench/estate_bench.py [--pages 1000] [--scenario before-consent ...] [--shards 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_bench import FIXTURE, STANDINS, generate  # noqa: E402  (engineer D's generator, one of it)

from policypress.audit import custom_banner, load_standins  # noqa: E402
from policypress.audit.estate import audit_estate  # noqa: E402
from policypress.audit.findings import AuditReport  # noqa: E402
from policypress.audit.scenarios import Scenario  # noqa: E402
from policypress.audit.shards import Shard, merge_reports, without_timings  # noqa: E402
from policypress.loader import load_policy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages of the generated site (default 1000)")
    parser.add_argument("--scenario", dest="scenarios", action="append", choices=[s.value for s in Scenario],
                        help="the scenarios to run (repeatable; default: before-consent)")
    parser.add_argument("--shards", type=int, default=4, help="shards to merge (default 4)")
    args = parser.parse_args()
    scenarios = args.scenarios or [Scenario.BEFORE_CONSENT.value]
    policy = load_policy(FIXTURE / "policy_data")
    banner = custom_banner("#cookie-accept", "#cookie-reject", "#cookie-settings")
    answers = load_standins(STANDINS)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        generate(site, args.pages)

        def run(jobs: int, shard: Shard | None = None) -> tuple[AuditReport, float]:
            started = time.perf_counter()
            report = audit_estate(site, policy, scenarios=scenarios, banner=banner, standins=answers,
                                  max_pages=args.pages, jobs=jobs, shard=shard)
            return report, time.perf_counter() - started

        one, one_s = run(1)
        visits = len(one.pages) * len(scenarios)
        print(f"estate audit of {len(one.pages)} pages in {', '.join(scenarios)} ({visits} visits): "
              f"{len(one.errors)} errors, {len(one.warnings)} warnings")
        print(f"  1 job : {one_s:8.1f} s  ({one_s / visits:.2f} s per visit)")
        two, two_s = run(2)
        print(f"  2 jobs: {two_s:8.1f} s  ({two_s / visits:.2f} s per visit; x{one_s / two_s:.2f})")
        print(f"  2 jobs == 1 job: {'yes' if without_timings(two) == without_timings(one) else 'no'}")
        started = time.perf_counter()
        shards = [run(2, Shard(k, args.shards))[0] for k in range(1, args.shards + 1)]
        merged = merge_reports(shards)
        shards_s = time.perf_counter() - started
        sizes = "+".join(str(len(s.pages)) for s in shards)
        print(f"  {args.shards} shards of 2 jobs one after the other: {shards_s:8.1f} s (pages {sizes})")
        same = without_timings(merged) == without_timings(one)
        print(f"merged {args.shards} shards == one run: {'yes' if same else 'no'}")


if __name__ == "__main__":
    main()
