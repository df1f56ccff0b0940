"""reconcile: every minute or so, make the database and Airflow agree and keep every deadline on time.

- start a `case_lifecycle` run for every open case that has none (cases opened while Airflow was down included);
- sweep the deadline table once for every reminder and overdue notice due now (and escalate PPKs who let theirs
  pass), whatever the number of open cases;
- queue each office's daily digest once its local digest time has come;
- send the outbox, then issue and send the letters whose issuer died holding the claim (a worker killed
  mid-render) once the claim is stale; deliver the webhooks due (casework.webhooks). Each step is idempotent: a
  retried or re-run task queues and sends nothing twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import dag, task

from casework.road import lifecycle

from casework.deadlines import notices

from casework.mail import correspondence, outbox
from casework.webhooks import delivery
from netra_airflow.database import sessions, settings

START_PER_RUN = 500  # new case runs started per reconcile run (Airflow's mapped-task limit is 1,024)


@dag(
    dag_id="reconcile",
    schedule=timedelta(seconds=settings().reconcile_interval),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["netra"],
    doc_md=__doc__,
)
def reconcile():
    @task
    def cases_without_run() -> list[dict]:
        with sessions()() as session:
            numbers = lifecycle.cases_without_run(session, limit=START_PER_RUN)
        return [{"trigger_run_id": lifecycle.run_id_for(n), "conf": {"case_number": n}} for n in numbers]

    TriggerDagRunOperator.partial(
        task_id="start_case_runs", trigger_dag_id=lifecycle.DAG_ID, skip_when_already_exists=True,
        wait_for_completion=False,
    ).expand_kwargs(cases_without_run())

    @task
    def sweep_deadlines() -> dict:
        return notices.sweep(sessions(), settings=settings()).as_dict()

    @task
    def queue_digests() -> int:
        return notices.queue_digests(sessions(), settings=settings())

    @task
    def send_mail() -> dict:
        sent = outbox.send_pending(sessions(), settings=settings()).as_dict()
        # then the letters whose issuer died holding the claim, issued and sent here (in this task, not one of its
        # own: every task of a run every minute costs a worker start); a failure here comes after the outbox went
        return {**sent, "taken_over": correspondence.take_over_abandoned(sessions(), settings=settings())}

    @task
    def deliver_webhooks() -> dict:
        return delivery.send_pending(sessions(), settings=settings()).as_dict()

    swept = sweep_deadlines()
    [swept, queue_digests()] >> send_mail()
    swept >> deliver_webhooks()  # a missed deadline's event goes out in the same run


reconcile()
