"""Airflow for the test session: its own AIRFLOW_HOME and metadata database, Netra's DAG folder."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAGS = ROOT / "dags"


def configure_airflow() -> Path:
    # one home per pytest-xdist worker: workers inherit the controller's environment, and two `airflow db migrate`
    # on one metadata file at once fail
    key = f"NETRA_TEST_AIRFLOW_HOME_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    home = Path(os.environ.get(key) or tempfile.mkdtemp(prefix="netra-airflow-"))
    os.environ[key] = str(home)
    os.environ.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    })
    return home


def migrate_airflow() -> None:
    airflow = Path(sys.executable).with_name("airflow")
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, env=os.environ.copy())
