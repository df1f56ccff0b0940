"""End to end with a real Airflow: api-server, scheduler, dag-processor and triggerer (LocalExecutor, metadata in
SQLite) on loopback, Netra's database on the real PostgreSQL server, email read back from a real SMTP server.

A case is opened and decided through casework exactly as the desk does it; the clock is moved by setting the
case's deadlines in the past, never by sleeping. Airflow must pick the case up, send its letters, remind before
a deadline, escalate after it (up to a system escalation of the PPK with its letter), and end the run when the
case closes — each email exactly once.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import select, update

from casework.adapters.db import transaction
from casework.road.intake import ReporterInput, open_case
from casework.models import Case, Deadline, LifecycleRun, ReportedASN, utcnow
from casework.road.sanctions import Upload
from casework.settings import Settings
from casework.reference.timezones import local_today
from devtools.airflow_local import LocalAirflow, airflow_env
from tests.helpers import decide, invitation, owe_a_reminder_now, principal_of, wait_until
from devtools.mailsink import free_port
from tests.test_intake import valid_input

HANDLER = "penangan.kukar"
HEAD = "ketua.kukar"
OVERSIGHT = "pengawas.bkn"
BKPSDM = "bkpsdm.kukar"
WAIT = 180  # seconds for Airflow to react (it polls every second here; workers start in a few seconds)
_wait = partial(wait_until, timeout=WAIT)


@pytest.fixture
def airflow(tmp_path, databases, mail):
    netra_url = databases.url("postgresql", demo=True)
    from casework.adapters.db import make_engine, session_factory

    sessions = session_factory(make_engine(netra_url))
    with transaction(sessions) as session:  # the demo cases are not this test's: Airflow leaves them alone
        for case_id in session.scalars(select(Case.id)):
            session.add(LifecycleRun(case_id=case_id, run_id=f"demo-{case_id}", started_at=utcnow()))
        session.execute(update(Deadline).values(next_notice_at=None))
    home = tmp_path / "airflow"
    env = airflow_env(home, port=free_port(), extra={
        "NETRA_DATABASE_URL": netra_url, "NETRA_VAR_DIR": str(tmp_path / "var"), "NETRA_SMTP_PORT": str(mail.port),
        "NETRA_BASE_URL": "https://netra.test", "NETRA_WATCH_INTERVAL": "1", "NETRA_RECONCILE_INTERVAL": "5"})
    runner = LocalAirflow(home, int(env["AIRFLOW__API__PORT"]), env)
    try:
        runner.start()
        yield runner, sessions
    finally:
        runner.stop(grace=1)


def _due_in_past(sessions, number: str, rule_id: str, days: int) -> None:
    """Move the clock: the deadline fell due `days` ago and the sweep should look at it now."""
    with transaction(sessions) as session:
        deadline = session.scalars(select(Deadline).join(Case).where(Case.number == number,
                                                                     Deadline.rule_id == rule_id,
                                                                     Deadline.status == "open")).one()
        deadline.due_at = utcnow() - timedelta(days=days)
        deadline.due_date = local_today(deadline.timezone, deadline.due_at)
        deadline.next_notice_at = utcnow() - timedelta(minutes=1)


def test_airflow_carries_a_case_from_intake_to_closure_with_letters_reminders_and_escalation(airflow, mail, tmp_path):
    runner, sessions = airflow
    with transaction(sessions) as session:
        case = open_case(session, replace(valid_input(), reporter=ReporterInput(
            name="Contoh Pelapor", address="Jl. Contoh 1", email="pelapor@contoh.test")),
            principal=principal_of(session, "penangan.kukar"))
        number = case.number

    def mails(predicate):
        return [m for m in mail.received if number in m.subject + m.text and predicate(m)]

    # picked up by `reconcile`, its run records itself and sends the receipt to the reporter
    _wait(lambda: _run_of(sessions, number), "start a run for the new case")
    receipt = _wait(lambda: mails(lambda m: "Tanda Terima" in m.subject), "send the receipt")
    assert "pelapor@contoh.test" in receipt[0].rcpt_tos and receipt[0].attachments

    for name, actor, fields in [("begin_review", HANDLER, {}), ("register", HANDLER, {})]:
        decide(sessions, name, number, actor, **fields)

    # a reminder before the plenary deadline: it falls due soon (whatever the hour of the run)
    with transaction(sessions) as session:
        deadline = session.scalars(select(Deadline).join(Case).where(Case.number == number,
                                                                     Deadline.rule_id == "pilkada.decision",
                                                                     Deadline.status == "open")).one()
        owe_a_reminder_now(deadline, utcnow())
    reminder = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] Pengingat")), "send a reminder")
    assert "penangan.kukar@demo.netra.test" in reminder[0].rcpt_tos
    assert "WITA" in reminder[0].text and f"https://netra.test/kasus/{number}" in reminder[0].text

    for name, actor, fields in [("invite_clarification", HANDLER, invitation()),
                                ("record_clarification", HANDLER, {"minutes": "Terlapor hadir"}),
                                ("submit_study", HANDLER, {"conclusion": "Terbukti"}),
                                ("decide_plenary", HEAD, {"outcome": "violation", "reasoning": "Terbukti"}),
                                ("forward", HEAD, {})]:
        decide(sessions, name, number, actor, **fields)
    forwarded = _wait(lambda: mails(lambda m: "Penerusan" in m.subject and m.attachments),
                      "send the recommendation letter")
    assert forwarded[0].attachments
    # and the oversight body is told, in a notice of its own, what is due from it (issue 17)
    told = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] Penerusan")), "tell the oversight body")
    assert "netralitas@bkn.demo.test" in told[0].rcpt_tos and not told[0].attachments

    # the oversight body lets its deadline pass: the Bawaslu office that forwarded it hears about it
    _due_in_past(sessions, number, "oversight.recommendation", days=3)
    overdue = _wait(lambda: mails(lambda m: m.subject.startswith("[Netra] TERLAMBAT")
                                   and "Rekomendasi KASN/BKN" in m.subject), "send the overdue notice")
    assert "kukar@bawaslu.demo.test" in overdue[0].rcpt_tos

    nip = valid_input().reported[0].nip
    decide(sessions, "record_oversight_recommendation", number, OVERSIGHT, track=nip,
          outcome="sanction_recommended", sanction="moral.terbuka")
    # the PPK lets the follow-up deadline pass: the system escalates, with the ladder's first letter
    _due_in_past(sessions, number, "agency.follow_up", days=3)
    ppk_letter = _wait(lambda: mails(lambda m: m.key.startswith("letter:") and "Pengingat" in m.subject),
                        "send the escalation letter to the PPK")
    assert "bkpsdm@kukar.demo.test" in ppk_letter[0].rcpt_tos and ppk_letter[0].attachments
    with sessions() as session:
        person = session.scalars(select(ReportedASN).join(Case).where(Case.number == number)).one()
        assert person.escalation_step == 1 and person.escalations[0].actor == "netra-system"

    decide(sessions, "record_sanction", number, BKPSDM, track=nip, sanction_level="moral", sanction="moral.terbuka",
          decree_number="800/123/BKPSDM", decree_date=local_today("WITA", utcnow()).isoformat(),
          decree_signer_name="Bupati (uji)", decree_pdf=Upload("sk.pdf", b"%PDF-1.4\n%%EOF\n"),
          settings=Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")}))
    _wait(lambda: (run := _run_of(sessions, number)) and run.ended_at, "end the run of the closed case")

    token = runner.token()
    from casework.road.lifecycle import run_id_for

    _wait(lambda: runner.api(f"dags/case_lifecycle/dagRuns/{run_id_for(number)}", token)["state"] == "success",
           "mark the case's run successful")
    tasks = {t["task_id"]: t["state"] for t in runner.api(
        f"dags/case_lifecycle/dagRuns/{run_id_for(number)}/taskInstances", token)["task_instances"]}
    assert tasks["follow_up.wait_for_decision"] == tasks["close"] == "success"

    keys = [m.key for m in mail.received]
    assert len(keys) == len(set(keys)), "an email went out twice"


def _run_of(sessions, number: str) -> LifecycleRun | None:
    with sessions() as session:
        return session.scalar(select(LifecycleRun).join(Case, Case.id == LifecycleRun.case_id)
                              .where(Case.number == number))
