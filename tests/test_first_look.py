"""A case's wait starts in the triggerer (issue 23 item 1): the trigger's first poll looks at many cases at once
(`lifecycle.first_look`) and calls a worker only for a case that needs one — it left the leg, or a letter or an
email is owed to it. SQLite, the real trigger in an event loop, the real SMTP sink; on PostgreSQL the same look
runs in the real triggerer of test_production_topology."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from casework.mail import correspondence
from casework.models import Case, LifecycleRun
from casework.road import lifecycle
from casework.road.stages import Stage
from tests.builder import Builder, Person
from tests.helpers import decide, sqlite_only  # noqa: F401 — see the module's docstring

HANDLER = "penangan.kukar"


def _quiet_laporan(sessions, settings) -> str:
    """A new laporan at intake whose receipt was issued and sent: nothing owed, nothing to do until it moves."""
    number = Builder(sessions, settings).laporan(Person("Tenang")).number
    correspondence.deliver(sessions, number, settings=settings)
    return number


def _runs(sessions, number: str) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(LifecycleRun.run_id).join(Case, Case.id == LifecycleRun.case_id)
                                    .where(Case.number == number)))


def test_first_look_waits_for_a_quiet_case_and_wakes_a_worker_for_one_that_is_owed_or_moved(
        demo_sessions, netra_settings, mail):
    quiet = _quiet_laporan(demo_sessions, netra_settings)
    owed = Builder(demo_sessions, netra_settings).laporan(Person("Berutang")).number  # its receipt not yet issued
    with demo_sessions() as session:
        registered = session.scalars(select(Case.number).where(Case.stage == Stage.REGISTERED)).first()
        version = session.scalar(select(Case.version).where(Case.number == quiet))

    looked = lifecycle.first_look(demo_sessions, {quiet: "intake", owed: "intake", registered: "intake",
                                                  "LP-0000-0000-9999": "intake"})

    assert looked == {quiet: version, owed: None, registered: None, "LP-0000-0000-9999": None}
    # the runs are on record as the worker's look records them, once however often the trigger looks
    lifecycle.first_look(demo_sessions, {quiet: "intake", owed: "intake"})
    assert _runs(demo_sessions, quiet) == [lifecycle.run_id_for(quiet)]
    assert _runs(demo_sessions, owed) == [lifecycle.run_id_for(owed)]
    with demo_sessions() as session:
        assert quiet not in lifecycle.cases_without_run(session, limit=100_000)
    # a registered case waiting for its recommendation leg, with nothing owed, waits too
    correspondence.deliver(demo_sessions, registered, settings=netra_settings)
    assert lifecycle.first_look(demo_sessions, {registered: "recommendation"})[registered] is not None


def test_undelivered_names_a_case_with_an_unsent_email(demo_sessions, netra_settings, mail):
    number = Builder(demo_sessions, netra_settings).laporan(Person("Surel")).number
    with demo_sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
    correspondence.issue_owed(demo_sessions, number, settings=netra_settings)
    with demo_sessions() as session:
        assert correspondence.undelivered(session, [case_id]) == {case_id}  # issued, its email not queued
    correspondence.queue_letter_emails(demo_sessions, number, settings=netra_settings)
    with demo_sessions() as session:
        assert correspondence.undelivered(session, [case_id]) == {case_id}  # queued, not sent
    correspondence.deliver(demo_sessions, number, settings=netra_settings)
    with demo_sessions() as session:
        assert correspondence.undelivered(session, [case_id]) == set()
        assert correspondence.undelivered(session, []) == set()


def test_a_trigger_started_without_a_worker_fires_only_when_the_case_needs_one(
        monkeypatch, demo_engine, demo_sessions, netra_settings, mail):
    from netra_airflow import database
    from netra_airflow.triggers import CaseMovedTrigger

    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(netra_settings.var_dir))
    database._factory.cache_clear()
    quiet = _quiet_laporan(demo_sessions, netra_settings)
    owed = Builder(demo_sessions, netra_settings).laporan(Person("Berutang")).number

    async def first_event(trigger, timeout):
        async def one():
            async for event in trigger.run():
                return event.payload
        return await asyncio.wait_for(one(), timeout)

    async def scenario():
        waiting = asyncio.create_task(first_event(CaseMovedTrigger(quiet, None, 0.2, leg="intake"), 30))
        fired = await first_event(CaseMovedTrigger(owed, None, 0.2, leg="intake"), 10)
        await asyncio.sleep(1.0)  # five polls: the quiet case's trigger has not fired
        assert not waiting.done()
        await asyncio.to_thread(decide, demo_sessions, "begin_review", quiet, HANDLER)
        return fired, await waiting

    try:
        fired, moved = asyncio.run(scenario())
    finally:
        database._factory.cache_clear()
    assert fired["case_number"] == owed
    with demo_sessions() as session:
        assert moved == {"case_number": quiet,
                         "version": session.scalar(select(Case.version).where(Case.number == quiet))}
        assert session.scalar(select(func.count()).select_from(LifecycleRun)) >= 2


def test_a_trigger_started_in_the_triggerer_needs_its_leg():
    from netra_airflow.triggers import CaseMovedTrigger

    with pytest.raises(ValueError):
        CaseMovedTrigger("LP-1", None, 1.0)
    assert CaseMovedTrigger("LP-1", None, 1.0, leg="intake").serialize()[1]["leg"] == "intake"


def test_a_wait_started_in_the_triggerer_lets_go_of_what_rendering_needed():
    """Airflow 3.3.2 keeps the task instance it built to render the trigger (its DAG copy, its template context)
    for the whole wait; the trigger drops them when it starts (the triggerer's memory at 10,000: bench/README.md)."""
    from types import SimpleNamespace

    from netra_airflow.triggers import _shed_start_context

    dag = object()
    context = {"dag": dag, "params": {"case_number": "LP-1"}}
    ti = SimpleNamespace(task=SimpleNamespace(dag=dag), _cached_template_context=context, run_id="case__LP-1")
    trigger = SimpleNamespace(task_instance=ti)
    _shed_start_context(trigger)
    assert context == {} and ti.task is None and ti.run_id == "case__LP-1"
    _shed_start_context(SimpleNamespace(task_instance=None))  # a wait deferred by a worker: nothing to drop
