"""`CaseMovedTrigger`: fires when a case's version changes, i.e. someone recorded a decision at the desk.

Thousands of cases can wait at once, so the triggers in one triggerer share one watch: a single query per poll
interval reads the versions of every watched case (in chunks), however many there are. A waiting case costs an
entry in a dict, not a query, a worker slot or a thread.

A wait that starts in the triggerer (`WaitForLeg` starts from it, no worker first) has no version yet: its first
poll takes the case's first look for it (`lifecycle.first_look`, many cases per query) and fires at once only
if the case needs a worker — it left the leg, or something is owed to it.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from casework.road.lifecycle import first_look, versions
from netra_airflow.database import sessions

CHUNK = 500
log = logging.getLogger(__name__)


class SharedWatch:
    """Every case watched in this event loop, polled together."""

    def __init__(self) -> None:
        # case number -> [seen version (None: not looked at yet), leg, future] per trigger waiting on it
        self.waiters: dict[str, list[list]] = {}
        self.interval = 30.0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.poller: asyncio.Task | None = None
        self.polls = 0

    async def wait(self, number: str, seen: int | None, interval: float, leg: str | None = None) -> int:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new event loop (dag.test runs each trigger in its own): start afresh
            self.waiters, self.loop, self.poller = {}, loop, None
        self.interval = min(self.interval, interval) if self.waiters else interval
        future = loop.create_future()
        entry = [seen, leg, future]
        self.waiters.setdefault(number, []).append(entry)
        if self.poller is None or self.poller.done():
            self.poller = loop.create_task(self._poll())
        try:
            return await future
        finally:
            entries = self.waiters.get(number, [])
            if entry in entries:
                entries.remove(entry)
            if not entries:
                self.waiters.pop(number, None)

    async def _poll(self) -> None:
        while self.waiters:
            try:
                await self._look_once()
            except Exception:  # noqa: BLE001 — the database away for a moment: every waiter stays, next poll retries
                log.exception("watching %d cases failed; retrying in %.0f s", len(self.waiters), self.interval)
            await asyncio.sleep(self.interval)

    async def _look_once(self) -> None:
        new = {number: entry[1] for number, entries in self.waiters.items() for entry in entries if entry[0] is None}
        numbers = list(new)
        for start in range(0, len(numbers), CHUNK):
            looked = await asyncio.to_thread(_first_look, {n: new[n] for n in numbers[start:start + CHUNK]})
            for number, version in looked.items():
                for entry in self.waiters.get(number, []):
                    if entry[0] is None:
                        if version is None:  # needs a worker now
                            _fire(entry, -1)
                        else:
                            entry[0] = version
        numbers = list(self.waiters)
        current: dict[str, int] = {}
        for start in range(0, len(numbers), CHUNK):
            current.update(await asyncio.to_thread(_read_versions, numbers[start:start + CHUNK]))
        self.polls += 1
        for number in numbers:
            version = current.get(number, -1)  # -1: the case is gone; let the task find out and fail loudly
            for entry in list(self.waiters.get(number, [])):
                if entry[0] is not None and version != entry[0]:
                    _fire(entry, version)


def _fire(entry: list, version: int) -> None:
    if not entry[2].done():
        entry[2].set_result(version)


def _shed_start_context(trigger: BaseTrigger) -> None:
    """For a wait started in the triggerer, Airflow 3.3.2 builds a task instance to render the trigger's template
    fields — with its own deserialized copy of the DAG and a full template context — and keeps both referenced
    for the whole wait, though it needs them only before `run()` starts: about 60 KiB per waiting case, 1.25 GiB
    for scheduler + triggerer at 10,000 (bench/README.md). Rendering is done by now, so let them go."""
    ti = trigger.task_instance
    context = getattr(ti, "_cached_template_context", None)
    if isinstance(context, dict):
        context.clear()
    if ti is not None and getattr(ti, "task", None) is not None:
        ti.__dict__["task"] = None  # the operator and, through it, the DAG copy


def _first_look(legs: dict[str, str]) -> dict[str, int | None]:
    return first_look(sessions(), legs)


def _read_versions(numbers: list[str]) -> dict[str, int]:
    with sessions()() as session:
        return versions(session, numbers)


WATCH = SharedWatch()


class CaseMovedTrigger(BaseTrigger):
    """`seen_version` None: the wait starts here, not on a worker — the first poll looks at the case for `leg`."""

    def __init__(self, case_number: str, seen_version: int | None, poll_interval: float = 30.0,
                 leg: str | None = None) -> None:
        super().__init__()
        if seen_version is None and leg is None:
            raise ValueError("a wait started in the triggerer needs its leg")
        self.case_number = case_number
        self.seen_version = seen_version
        self.poll_interval = poll_interval
        self.leg = leg

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return ("netra_airflow.triggers.CaseMovedTrigger",
                {"case_number": self.case_number, "seen_version": self.seen_version,
                 "poll_interval": self.poll_interval, "leg": self.leg})

    async def run(self) -> AsyncIterator[TriggerEvent]:
        _shed_start_context(self)
        version = await WATCH.wait(self.case_number, self.seen_version, self.poll_interval, self.leg)
        yield TriggerEvent({"case_number": self.case_number, "version": version})
