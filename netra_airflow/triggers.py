"""`CaseMovedTrigger`: fires when a case's version changes, i.e. someone recorded a decision at the desk.

Thousands of cases can wait at once, so the triggers in one triggerer share one watch: a single query per poll
interval reads the versions of every watched case (in chunks), however many there are. A waiting case costs an
entry in a dict, not a query, a worker slot or a thread.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from casework.road.lifecycle import versions
from netra_airflow.database import sessions

CHUNK = 500


class SharedWatch:
    """Every case watched in this event loop, polled together."""

    def __init__(self) -> None:
        self.waiters: dict[str, list[tuple[int, asyncio.Future]]] = {}
        self.interval = 30.0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.poller: asyncio.Task | None = None
        self.polls = 0

    async def wait(self, number: str, seen: int, interval: float) -> int:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new event loop (dag.test runs each trigger in its own): start afresh
            self.waiters, self.loop, self.poller = {}, loop, None
        self.interval = min(self.interval, interval) if self.waiters else interval
        future = loop.create_future()
        entry = (seen, future)
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
            numbers = list(self.waiters)
            current: dict[str, int] = {}
            for start in range(0, len(numbers), CHUNK):
                current.update(await asyncio.to_thread(_read_versions, numbers[start:start + CHUNK]))
            self.polls += 1
            for number in numbers:
                version = current.get(number, -1)  # -1: the case is gone; let the task find out and fail loudly
                for seen, future in list(self.waiters.get(number, [])):
                    if version != seen and not future.done():
                        future.set_result(version)
            await asyncio.sleep(self.interval)


def _read_versions(numbers: list[str]) -> dict[str, int]:
    with sessions()() as session:
        return versions(session, numbers)


WATCH = SharedWatch()


class CaseMovedTrigger(BaseTrigger):
    def __init__(self, case_number: str, seen_version: int, poll_interval: float = 30.0) -> None:
        super().__init__()
        self.case_number = case_number
        self.seen_version = seen_version
        self.poll_interval = poll_interval

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return ("netra_airflow.triggers.CaseMovedTrigger",
                {"case_number": self.case_number, "seen_version": self.seen_version,
                 "poll_interval": self.poll_interval})

    async def run(self) -> AsyncIterator[TriggerEvent]:
        version = await WATCH.wait(self.case_number, self.seen_version, self.poll_interval)
        yield TriggerEvent({"case_number": self.case_number, "version": version})
