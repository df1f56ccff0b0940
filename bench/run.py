"""`make bench`: runs every benchmark and prints one table, each figure beside its goal.

Benchmarks measure; they never fail the build. Record results with the machine and date in bench/README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date

from bench import (
    bench_airflow, bench_deadlines, bench_decisions, bench_desk, bench_intake, bench_letters, bench_load,
    bench_numbers, bench_signing, bench_sweep, drill_faults,
)

BENCHMARKS = {"letters": bench_letters.run, "deadlines": bench_deadlines.run, "sweep": bench_sweep.run,
              "numbers": bench_numbers.run, "intake": bench_intake.run, "desk": bench_desk.run,
              "signing": bench_signing.run, "airflow": bench_airflow.run, "decisions": bench_decisions.run,
              "load": bench_load.run,
              "faults": drill_faults.run}
ON_REQUEST = {"faults"}  # a drill, not a speed figure: run when named (`python -m bench.run faults`)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("only", nargs="*", choices=[*BENCHMARKS, []], help="run only these")
    args = parser.parse_args()
    rows = []
    started = time.perf_counter()
    for name, run in BENCHMARKS.items():
        if (args.only and name not in args.only) or (not args.only and name in ON_REQUEST):
            continue
        for row in run(quick=args.quick):
            rows.append((name, row))
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"\nNetra benchmarks — {date.today()} — {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()} "
          f"({time.perf_counter() - started:.0f} s)\n")
    print("| bench | figure | value | goal | met |")
    print("|---|---|---|---|---|")
    for name, row in rows:
        met = {True: "yes", False: "**NO**", None: ""}[row["met"]]
        print(f"| {name} | {row['figure']} | {row['value']} | {row['goal']} | {met} |")


if __name__ == "__main__":
    main()
