"""The benchmarks stay runnable (their figures are measured by `make bench`, never asserted in tests)."""
import subprocess
import sys

from bench.bench_letters import percentile


def test_percentile_picks_ranks():
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95


def test_bench_runner_lists_its_benchmarks():
    result = subprocess.run([sys.executable, "-m", "bench.run", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "letters" in result.stdout


def test_the_runner_has_every_benchmark_of_issue_10():
    from bench.run import BENCHMARKS
    assert {"letters", "deadlines", "sweep", "numbers", "intake", "desk", "airflow", "signing"} <= set(BENCHMARKS)


def test_the_sweep_is_timed_at_the_next_eight_o_clock_wita():
    from datetime import UTC, datetime

    from bench.bench_sweep import morning_peak
    # 07:59 WITA (23:59 UTC the day before) -> 08:00:01 WITA the same local day; 08:00 itself -> the next day
    assert morning_peak(datetime(2026, 11, 23, 23, 59, tzinfo=UTC)).isoformat() == "2026-11-24T08:00:01+08:00"
    assert morning_peak(datetime(2026, 11, 24, 0, 0, tzinfo=UTC)).isoformat() == "2026-11-25T08:00:01+08:00"
