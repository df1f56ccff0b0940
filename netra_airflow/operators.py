"""`WaitForLeg`: a case's run waits here, deferred (no worker slot), until the case leaves a leg of the road.

It starts in the triggerer (Airflow's `start_from_trigger`), not on a worker: the trigger's first poll looks at
the case (`lifecycle.first_look`), so a new case, or one entering a new leg with nothing owed, costs no worker
run. Each time the case moves it wakes briefly on a worker, has casework issue and send the letters the move
asked for, and either finishes (the case left the leg), skips (the case ended before ever reaching the leg), or
waits again. Running it twice does nothing twice: casework's delivery is idempotent. `dag.test()` does not start
tasks from the triggerer: there the first look runs on the worker (`execute`), as it did before.
"""
from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowSkipException
from airflow.triggers.base import StartTriggerArgs

from casework.mail import correspondence

from casework.road import lifecycle
from netra_airflow.database import sessions, settings
from netra_airflow.triggers import CaseMovedTrigger


class WaitForLeg(BaseOperator):
    template_fields = ("case_number",)
    ui_color = "#fdf1d6"
    start_from_trigger = True

    def __init__(self, *, leg: str, case_number: str = "{{ params.case_number }}", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if leg not in lifecycle.LEGS:
            raise ValueError(f"unknown leg {leg!r}; legs: {', '.join(lifecycle.LEGS)}")
        self.leg = leg
        self.case_number = case_number
        # the triggerer renders case_number (a template field of the same name) before the trigger runs
        self.start_trigger_args = StartTriggerArgs(
            trigger_cls="netra_airflow.triggers.CaseMovedTrigger",
            trigger_kwargs={"case_number": case_number, "seen_version": None,
                            "poll_interval": settings().watch_interval, "leg": leg},
            next_method="execute_complete", next_kwargs=None, timeout=None)

    def execute(self, context: Any) -> dict:
        return self._look(context)

    def execute_complete(self, context: Any, event: dict | None = None) -> dict:
        return self._look(context)

    def _look(self, context: Any) -> dict:
        factory = sessions()
        lifecycle.record_run(factory, self.case_number, context["run_id"])  # `reconcile` stops starting one
        delivered = correspondence.deliver(factory, self.case_number, settings=settings())
        self.log.info("case %s: letters and mail %s", self.case_number, delivered)
        with factory() as session:
            here = lifecycle.position(session, self.case_number)
        if here.past(self.leg):
            if self.leg not in here.visited:
                raise AirflowSkipException(f"case {here.number} ended at {here.stage} before the {self.leg} leg")
            self.log.info("case %s left the %s leg: now %s", here.number, self.leg, here.stage)
            return here.as_dict()
        self.log.info("case %s at %s (version %s): waiting for a decision", here.number, here.stage, here.version)
        self.defer(trigger=CaseMovedTrigger(here.number, here.version, settings().watch_interval),
                   method_name="execute_complete")
