"""Start many `case_lifecycle` runs from one task: `reconcile` starts the runs of new cases in a single worker run,
not one mapped `TriggerDagRunOperator` task (a worker run) per case.

It sends the same message to the task's supervisor that `TriggerDagRunOperator` sends (Airflow 3.3's Task SDK,
`TriggerDagRun`), once per run; a run that already exists is counted, not an error (its run id derives from
the case number, so it is that case's run).
"""
from __future__ import annotations

from airflow.sdk.exceptions import ErrorType


def start_runs(dag_id: str, runs: list[dict]) -> dict[str, int]:
    """`runs`: [{"run_id": ..., "conf": {...}}]. Returns how many were started and how many existed already."""
    from airflow.sdk.execution_time import task_runner
    from airflow.sdk.execution_time.comms import ErrorResponse, TriggerDagRun

    started = existed = 0
    for run in runs:
        reply = task_runner.SUPERVISOR_COMMS.send(
            TriggerDagRun(dag_id=dag_id, run_id=run["run_id"], conf=run["conf"], logical_date=None))
        if isinstance(reply, ErrorResponse):
            if reply.error != ErrorType.DAGRUN_ALREADY_EXISTS:
                raise RuntimeError(f"Airflow refused to start {run['run_id']}: {reply.error} {reply.detail}")
            existed += 1
        else:
            started += 1
    return {"started": started, "existed": existed}
