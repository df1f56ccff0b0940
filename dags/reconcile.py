"""reconcile: every minute or so, make the database and Airflow agree and keep every deadline on time.

- start a `case_lifecycle` run for every open case that has none (cases opened while Airflow was down included),
  all in one task: a run's waits start in the triggerer, so a new case costs no worker run of its own;
- sweep the deadline table once for every reminder and overdue notice due now (and escalate PPKs who let theirs
  pass), whatever the number of open cases;
- queue each office's daily digest once its local digest time has come, and each provincial office's
  early-warning digest on a day its province has a flag (casework.prevention.warnings);
- send the outbox, then issue and send the letters whose issuer died holding the claim (a worker killed
  mid-render) once the claim is stale; deliver the webhooks due (casework.webhooks) and fetch the WhatsApp media
  received since (casework.inbox). Each step is idempotent: a retried or re-run task queues and sends nothing
  twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from casework.road import lifecycle

from casework.deadlines import notices

from casework.mail import correspondence, outbox
from casework.inbox import whatsapp
from casework.prevention import warnings
from casework.webhooks import delivery
from netra_airflow.database import sessions, settings
from netra_airflow.runs import start_runs

START_PER_RUN = 2_000  # new case runs started per reconcile run (≈ 20 ms each through the api-server)


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
    def start_case_runs() -> dict:
        with sessions()() as session:
            numbers = lifecycle.cases_without_run(session, limit=START_PER_RUN)
        started = start_runs(lifecycle.DAG_ID, [{"run_id": lifecycle.run_id_for(n), "conf": {"case_number": n}}
                                                for n in numbers])
        lifecycle.record_runs(sessions(), numbers)  # Airflow has them: the next reconcile does not ask again
        return started

    start_case_runs()

    @task
    def sweep_deadlines() -> dict:
        return notices.sweep(sessions(), settings=settings()).as_dict()

    @task
    def queue_digests() -> dict:
        # each office's deadline digest, and each provincial office's early-warning digest (casework.prevention)
        return {"digests": notices.queue_digests(sessions(), settings=settings()),
                "early_warning": warnings.queue_digests(sessions(), settings=settings())}

    @task
    def send_mail() -> dict:
        sent = outbox.send_pending(sessions(), settings=settings()).as_dict()
        # then the letters whose issuer died holding the claim, issued and sent here (in this task, not one of its
        # own: every task of a run every minute costs a worker start); a failure here comes after the outbox went
        return {**sent, "taken_over": correspondence.take_over_abandoned(sessions(), settings=settings())}

    @task
    def deliver_webhooks() -> dict:
        # and the WhatsApp media the webhook only named (casework.inbox.whatsapp): the other outward HTTP calls, in
        # this task rather than one of its own (a task every minute costs a worker start)
        return {**delivery.send_pending(sessions(), settings=settings()).as_dict(),
                "whatsapp_media": whatsapp.fetch_media(sessions(), settings=settings())}

    swept = sweep_deadlines()
    [swept, queue_digests()] >> send_mail()
    swept >> deliver_webhooks()  # a missed deadline's event goes out in the same run


reconcile()
