"""The DAGs, run by Airflow itself (`dag.test()`): structure, a case's run from start to a clean end, a run that
waits deferred until a decision is recorded, and exactly-once email when runs and tasks are repeated."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.access.principal import SYSTEM
from casework.adapters.db import transaction
from casework.letters.issue import issue_letter
from casework.models import Case, Letter, LetterRequest, LifecycleRun, utcnow
from casework.road import lifecycle
from casework.road.stages import Stage
from casework.settings import Settings
from tests.airflow_env import DAGS
from tests.helpers import decide

HEAD = "ketua.kukar"


@pytest.fixture(scope="module")
def dagbag(airflow_db_module):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(str(DAGS))


@pytest.fixture(scope="module")
def airflow_db_module(airflow_db):
    return airflow_db


@pytest.fixture
def netra_env(monkeypatch, netra_settings, databases, backend):
    """Point the DAGs (which read NETRA_* like every Airflow process) at a fresh demo database and the SMTP sink."""
    url = databases.url(backend, demo=True)
    monkeypatch.setenv("NETRA_DATABASE_URL", url)
    monkeypatch.setenv("NETRA_VAR_DIR", str(netra_settings.var_dir))
    monkeypatch.setenv("NETRA_SMTP_PORT", str(netra_settings.smtp_port))
    monkeypatch.setenv("NETRA_BASE_URL", netra_settings.base_url)
    monkeypatch.setenv("NETRA_WATCH_INTERVAL", "0.5")
    from netra_airflow.database import sessions

    return sessions()


def _case(sessions, stage: str, **where) -> str:
    with sessions() as session:
        return session.scalars(select(Case.number).where(Case.stage == stage).filter_by(**where)
                               .order_by(Case.id)).first()


class Killed(BaseException):
    """The issuing process dies mid-render (not an Exception: nothing of issue_letter's gets to clean up)."""


def _killed(context):
    raise Killed


def _states(run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_dags_import_cleanly_with_the_legs_of_the_road(dagbag):
    assert dagbag.import_errors == {}
    lifecycle_dag = dagbag.get_dag("case_lifecycle")
    assert lifecycle_dag.schedule is None or str(lifecycle_dag.timetable.summary) in ("None", "")
    assert lifecycle_dag.max_active_runs >= 10_000  # every open case has a live run
    assert [t.task_id for t in lifecycle_dag.topological_sort()] == [
        "intake.wait_for_decision", "recommendation.wait_for_decision", "referral.wait_for_decision",
        "follow_up.wait_for_decision", "close"]
    assert set(lifecycle_dag.task_group.children) >= {"intake", "recommendation", "referral", "follow_up"}
    assert all(t.retries >= 1 for t in lifecycle_dag.tasks)  # idempotent tasks, retried (apache/airflow#72716)
    # each leg's wait starts in the triggerer (no worker run), its trigger given the case number to render
    for leg in lifecycle.LEGS:
        wait = lifecycle_dag.get_task(f"{leg}.wait_for_decision")
        assert wait.start_from_trigger and "case_number" in wait.template_fields
        kwargs = wait.start_trigger_args.trigger_kwargs
        assert (kwargs["case_number"], kwargs["seen_version"], kwargs["leg"]) == ("{{ params.case_number }}", None, leg)
        assert wait.start_trigger_args.next_method == "execute_complete"
    reconcile = dagbag.get_dag("reconcile")
    assert reconcile.max_active_runs == 1
    assert set(reconcile.task_ids) == {"start_case_runs", "sweep_deadlines",
                                       "queue_digests", "send_mail", "deliver_webhooks"}
    assert reconcile.get_task("send_mail").upstream_task_ids == {"sweep_deadlines", "queue_digests"}


def test_run_ids_derive_from_the_case_number():
    assert lifecycle.run_id_for("LP-6402-2026-0007") == "case__LP-6402-2026-0007"
    assert lifecycle.run_id_for("a/b c") == "case__a_b_c"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)
def test_a_withdrawn_case_run_ends_cleanly_after_intake(dagbag, netra_env, mail):
    number = _case(netra_env, Stage.WITHDRAWN)
    run = dagbag.get_dag("case_lifecycle").test(run_conf={"case_number": number})
    assert str(run.state) == "success"
    assert _states(run) == {"intake.wait_for_decision": "success", "recommendation.wait_for_decision": "skipped",
                            "referral.wait_for_decision": "skipped", "follow_up.wait_for_decision": "skipped",
                            "close": "success"}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)
def test_a_closed_case_run_skips_the_legs_it_never_reached_and_ends_cleanly(dagbag, netra_env, mail):
    number = _case(netra_env, Stage.CLOSED, plenary_outcome="not_violation")
    run = dagbag.get_dag("case_lifecycle").test(run_conf={"case_number": number})
    assert str(run.state) == "success"
    states = _states(run)
    assert states["recommendation.wait_for_decision"] == "success"
    assert states["referral.wait_for_decision"] == "skipped"
    assert states["follow_up.wait_for_decision"] == "skipped"
    assert states["close"] == "success"
    with netra_env() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert session.get(LifecycleRun, case.id).ended_at is not None
        issued = session.scalars(select(Letter.kind).where(Letter.case_id == case.id,
                                                           Letter.status == "issued")).all()
        requests = session.scalars(select(LetterRequest).where(LetterRequest.case_id == case.id)).all()
    assert "status_announcement" in issued and "receipt" in issued
    # every letter its decisions asked for, issued by the run, once each
    assert requests and all(r.status == "issued" and r.claimed_by == "netra-system" for r in requests)
    assert len(issued) == len(requests)
    sent = [m.key for m in mail.received]
    assert len(sent) == len(set(sent)) > 0
    # the same case's run again (a cleared, re-run DAG run): nothing is issued or sent twice
    dagbag.get_dag("case_lifecycle").test(run_conf={"case_number": number})
    assert [m.key for m in mail.received] == sent


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # PostgreSQL: test_production_topology's whole road
def test_a_run_waits_deferred_until_the_plenary_decides(dagbag, netra_env, mail):
    number = _case(netra_env, Stage.PLENARY)

    def decide_at_the_desk():
        time.sleep(6)  # the run is deferred on its trigger by now
        decide(netra_env, "decide_plenary", number, HEAD, outcome="not_violation", reasoning="Bukti tidak cukup")

    desk = threading.Thread(target=decide_at_the_desk)
    desk.start()
    started = time.monotonic()
    run = dagbag.get_dag("case_lifecycle").test(run_conf={"case_number": number})
    desk.join()
    assert time.monotonic() - started >= 6
    states = _states(run)
    assert str(run.state) == "success"
    assert states["recommendation.wait_for_decision"] == "success"
    assert states["referral.wait_for_decision"] == "skipped"
    announcements = mail.wait_for(lambda m: "Pemberitahuan Status" in m.subject, timeout=5)
    assert len(announcements) == 1 and announcements[0].attachments
    with netra_env() as session:  # the plenary's decision asked for it: one request, answered by the run
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        [request] = session.scalars(select(LetterRequest).where(LetterRequest.case_id == case_id,
                                                                LetterRequest.kind == "status_announcement")).all()
    assert (request.status, request.cause, request.claimed_by) == ("issued", "case.decide_plenary", "netra-system")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)
def test_reconcile_starts_runs_sweeps_and_sends_each_email_once(dagbag, netra_env, mail):
    # a worker killed while it rendered a letter left its claim and reserved number behind, 11 minutes ago: the
    # case's run will not come back for it until the case moves, so reconcile does
    with netra_env() as session:
        request_id = session.scalars(select(LetterRequest.id).where(
            LetterRequest.status == "open", LetterRequest.kind == "receipt").order_by(LetterRequest.id)).first()
    with pytest.raises(Killed):
        issue_letter(netra_env, request_id, SYSTEM, settings=Settings.from_env(), render=_killed)
    with transaction(netra_env) as session:
        session.get(LetterRequest, request_id).claimed_at = utcnow() - timedelta(minutes=11)

    with netra_env() as session:
        without_run = lifecycle.cases_without_run(session, limit=1000)
    reconcile = dagbag.get_dag("reconcile")
    first = reconcile.test()
    assert str(first.state) == "success"
    states = _states(first)
    assert states["sweep_deadlines"] == states["send_mail"] == states["deliver_webhooks"] == "success"
    assert states["start_case_runs"] == "success"  # one task for every new case's run, not one per case
    with netra_env() as session:
        request = session.get(LetterRequest, request_id)
        letters = {x.status: x for x in session.scalars(select(Letter).where(Letter.request_id == request_id))}
        assert request.status == "issued" and set(letters) == {"issued", "void"}  # the abandoned number voided
    assert [m for m in mail.received if m.key == f"letter:{letters['issued'].id}"]
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        started = {r.run_id for r in session.scalars(select(DagRun).where(DagRun.dag_id == "case_lifecycle"))}
    assert without_run and {lifecycle.run_id_for(n) for n in without_run} <= started
    with netra_env() as session:  # recorded as started: the next reconcile does not ask Airflow again
        assert lifecycle.cases_without_run(session, limit=1000) == []
    sent = sorted(m.key for m in mail.received)
    assert sent and len(sent) == len(set(sent))  # the demo has overdue cases at every stage: notices went out
    # re-run the whole DAG and retry the sender by hand: nothing goes twice
    assert str(reconcile.test().state) == "success"
    from casework.mail import outbox

    outbox.send_pending(netra_env, settings=Settings.from_env())  # the DAG's NETRA_* environment
    assert sorted(m.key for m in mail.received) == sent


def test_a_celery_worker_imports_netra_s_task_code_once_before_its_tasks_fork():
    """netra_airflow/celery_config.py: Airflow's own Celery config; in `airflow celery worker` (and only there) the
    task code is imported at start, so each forked task process inherits it instead of importing it again."""
    import subprocess
    import sys

    probe = ("import sys; sys.argv = ['airflow', 'celery', 'worker']\n"
             "from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG\n"
             "import netra_airflow.celery_config as c\n"
             "print(c.CELERY_CONFIG is DEFAULT_CELERY_CONFIG, 'casework.road.lifecycle' in sys.modules,"
             " 'casework.mail.outbox' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1].split() == ["True", "True", "True"]  # (Airflow logs to stdout before it)
