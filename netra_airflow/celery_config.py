"""The Celery configuration of Netra's Airflow (AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS): Airflow's own, unchanged —
and, in a Celery worker only, Netra's task code imported once at start.

Airflow 3 runs each task in a process forked from the worker (the Task SDK's supervisor, on Linux a bare fork),
which then imports its DAG file and everything under it: casework's models, rules and mail, for every task, some
seconds of CPU each time (reconcile runs five tasks a minute). Imported here, in the worker before its pool forks,
every task process inherits them and only runs its DAG file. The scheduler and the API server read this module
too (to send work): they import nothing more.
"""
from __future__ import annotations

import sys

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

CELERY_CONFIG = DEFAULT_CELERY_CONFIG

if sys.argv[1:3] == ["celery", "worker"]:  # `airflow celery worker`: what dags/*.py import
    import casework.deadlines.notices  # noqa: E402,F401
    import casework.inbox.whatsapp  # noqa: E402,F401
    import casework.letters.issue  # noqa: E402,F401
    import casework.mail.correspondence  # noqa: E402,F401
    import casework.mail.outbox  # noqa: E402,F401
    import casework.road.lifecycle  # noqa: E402,F401
    import casework.webhooks.delivery  # noqa: E402,F401
    import netra_airflow.database  # noqa: E402,F401
    import netra_airflow.operators  # noqa: E402,F401
    import netra_airflow.runs  # noqa: E402,F401
