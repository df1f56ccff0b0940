"""case_lifecycle: one run per case keeps time for it along the road (see dags/README.md).

Four task groups — intake → Bawaslu recommendation → KASN/BKN referral → agency follow-up — then close. In each
leg the run waits, deferred, for the case to move; decisions are recorded at the desk in Netra's database, never
here. Reminders and escalations after deadlines are the `reconcile` DAG's sweep, not per-case timers.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, TaskGroup, dag, task

from casework.mail import correspondence

from casework.road import lifecycle
from netra_airflow.database import sessions, settings
from netra_airflow.operators import WaitForLeg

LEG_NAMES = {
    "intake": "Penerimaan dan registrasi (intake)",
    "recommendation": "Kajian dan rekomendasi Bawaslu (recommendation)",
    "referral": "Penerusan ke KASN/BKN (referral)",
    "follow_up": "Tindak lanjut PPK (agency follow-up)",
}


@dag(
    dag_id=lifecycle.DAG_ID,
    schedule=None,  # started by `reconcile`, one run per case, run_id = lifecycle.run_id_for(case number)
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=100_000,  # every open case has a live run; waiting runs hold no worker slot
    max_active_tasks=1_024,
    # The default "" is never valid (minLength 1: a run without a case number fails), but it must be there: each
    # wait starts in the triggerer, which renders the trigger's case number from the *serialized* DAG, and Airflow
    # 3.3.2 cannot resolve a serialized Param without a default there — the whole trigger runner dies.
    params={"case_number": Param("", type="string", minLength=1, description="Nomor kasus (case number)")},
    # Every task is idempotent (casework issues and sends nothing twice), so a retry is always safe. Airflow 3.3
    # can fail a deferred task whose trigger fired at once: the stale "success" of its defer-exit is read after
    # the resumed attempt is running (apache/airflow#72716, fix open in #72767) — seen here under load. A retry
    # looks at the case again and waits or moves on.
    default_args={"retries": 2, "retry_delay": timedelta(seconds=15)},
    tags=["netra"],
    doc_md=__doc__,
)
def case_lifecycle():
    @task(trigger_rule="none_failed")
    def close(params=None) -> dict:
        """The case is closed, withdrawn, merged or not registered: send what is left and end cleanly."""
        delivered = correspondence.deliver(sessions(), params["case_number"], settings=settings())
        lifecycle.end_run(sessions(), params["case_number"])
        return delivered

    previous = None
    for leg, name in LEG_NAMES.items():
        with TaskGroup(group_id=leg, tooltip=name) as group:
            # waits deferred; on every wake (the last one included) it first issues and sends the letters owed
            WaitForLeg(task_id="wait_for_decision", leg=leg)
        if previous is not None:
            previous >> group
        previous = group
    previous >> close()


case_lifecycle()
