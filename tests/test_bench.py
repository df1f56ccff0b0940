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
