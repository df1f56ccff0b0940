"""The deadline engine's throughput: due dates computed per second, one core, for the working-day rules (weekends,
national holidays and cuti bersama skipped), with `numpy.busday_offset` over the same inputs and the same holiday
list printed beside it — and every date compared: the two must agree on all of them.

What one computation is: `casework.deadlines.engine.compute(rule, start, zone)` — the due date, the due moment (23:59:59
in WIB/WITA/WIT) and the skipped days with their reasons (the explanation), as the workflow stores them. numpy
computes only the date, for a whole array at once. Inputs: the working-day rules of rules/deadlines.toml
(2 to 14 working days), start days spread over 2024–2026, the three zones; seeded, so every run sees the same.
Goal: >= 100,000/s.
"""
from __future__ import annotations

import random
import time
from datetime import date, timedelta

from casework.deadlines.engine import CALENDAR, all_rules, compute

ZONES = ("WIB", "WITA", "WIT")


def inputs(n: int, seed: int = 11) -> list[tuple]:
    rng = random.Random(seed)
    rules = [rule for rule in all_rules().values() if rule.day_kind == "working"]
    first = date(2024, 1, 1)
    return [(rng.choice(rules), first + timedelta(days=rng.randrange(3 * 365)), rng.choice(ZONES)) for _ in range(n)]


def _numpy_due_dates(items: list[tuple]):
    import numpy
    years = {start.year for _, start, _ in items}
    holidays = sorted(day for year in range(min(years) - 1, max(years) + 2) for day in CALENDAR._year(year))
    starts = numpy.array([start for _, start, _ in items], dtype="datetime64[D]")
    lengths = numpy.array([rule.length for rule, _, _ in items])
    calendar = numpy.busdaycalendar(weekmask="1111100", holidays=holidays)
    start = time.perf_counter()
    # day 0 may itself be a skipped day: numpy then counts from the working day before it ('backward')
    due = numpy.busday_offset(starts, lengths, roll="backward", busdaycal=calendar)
    return due, time.perf_counter() - start, len(holidays)


def run(quick: bool = False) -> list[dict]:
    n = 50_000 if quick else 300_000
    items = inputs(n)
    for rule, start, zone in items[:5000]:  # warm: the holiday index for these years is built once per process
        compute(rule, start, zone)
    best = float("inf")
    for _ in range(3):  # the best of three passes: the machine is shared, the engine's cost is the floor
        begin = time.perf_counter()
        for rule, start, zone in items:  # each result used and dropped, as the workflow stores one and moves on
            compute(rule, start, zone)
        best = min(best, time.perf_counter() - begin)
    rate = n / best
    results = [compute(rule, start, zone).due_date for rule, start, zone in items]  # for the comparison (untimed)
    rows = [{"figure": f"deadline engine: due dates per second (working days, holidays, cuti bersama; "
                       f"{n:,} inputs, 1 core, best of 3)", "value": f"{rate:,.0f}/s", "goal": ">= 100,000/s",
             "met": rate >= 100_000}]
    try:
        due, seconds, holidays = _numpy_due_dates(items)
    except ImportError:
        rows.append({"figure": "numpy.busday_offset, same inputs", "value": "numpy not installed (make bootstrap)",
                     "goal": "identical dates", "met": False})
        return rows
    mismatches = sum(1 for ours, theirs in zip(results, due.astype(object)) if ours != theirs)
    rows += [
        {"figure": f"numpy.busday_offset, same inputs and holiday list ({holidays} days), vectorised",
         "value": f"{n / seconds:,.0f}/s", "goal": "", "met": None},
        {"figure": "dates identical to numpy.busday_offset", "value": f"{n - mismatches:,} / {n:,}",
         "goal": "all", "met": mismatches == 0},
    ]
    return rows
