"""Airflow on this machine, from the project's own files: api-server, scheduler, dag-processor and triggerer
with the LocalExecutor, its metadata in SQLite under var/airflow (or any URL given), Netra's DAG folder.

    python -m devtools.airflow_local start   # `make run` starts it this way; Ctrl-C stops all four
    python -m devtools.airflow_local env     # the environment the components get, for a shell

Netra's own settings reach the DAGs the same way as everywhere else: the NETRA_* environment variables.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from casework.settings import PROJECT_ROOT

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
ADMIN_USER = "admin"


def airflow_env(home: Path, *, port: int = 8080, password: str = "netra-demo", metadata_url: str | None = None,
                extra: dict[str, str] | None = None) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({ADMIN_USER: password}))
    secret_file = home / "jwt_secret"
    if not secret_file.exists():
        secret_file.write_text(os.urandom(48).hex())
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__AUTH_MANAGER":
            "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__API_AUTH__JWT_SECRET": secret_file.read_text(),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url or f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "20",
        "AIRFLOW__TRIGGERER__CAPACITY": "20000",  # every waiting case is one cheap trigger (netra_airflow.triggers)
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


@dataclass
class LocalAirflow:
    home: Path
    port: int = 8080
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    component_env: dict[str, dict[str, str]] = field(default_factory=dict)  # e.g. a debug log for one of them
    components: tuple[str, ...] = COMPONENTS  # + "celery worker" with the CeleryExecutor (devtools.prod_local)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def airflow(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([_airflow_bin(), *args], env=self.env, check=True, capture_output=True, text=True,
                              **kwargs)

    def start(self, *, timeout: float = 240, migrate: bool = True) -> LocalAirflow:
        if migrate:
            self.airflow("db", "migrate")
        for name in self.components:
            self.start_component(name)
        self.wait_healthy(timeout)
        return self

    def start_component(self, name: str) -> subprocess.Popen:
        """One component in its own process group (so that it can be stopped or killed with its children)."""
        logs = self.home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        out = open(logs / f"{name.replace(' ', '-')}.log", "ab")
        env = {**self.env, **self.component_env.get(name, {})}
        self.processes[name] = subprocess.Popen([_airflow_bin(), *name.split()], env=env, stdout=out,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        return self.processes[name]

    def health(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/api/v2/monitor/health", timeout=5) as response:
            return json.load(response)

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"Airflow component(s) exited: {dead}; see {self.home / 'logs'}")
            try:
                last = self.health()
                if all(last.get(c, {}).get("status") == "healthy"
                       for c in ("metadatabase", "scheduler", "triggerer", "dag_processor")):
                    return
            except OSError as exc:
                last = exc
            time.sleep(2)
        raise RuntimeError(f"Airflow not healthy after {timeout:.0f}s: {last}; see {self.home / 'logs'}")

    def token(self, password: str = "netra-demo") -> str:
        request = urllib.request.Request(f"{self.url}/auth/token", method="POST",
                                         data=json.dumps({"username": ADMIN_USER, "password": password}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["access_token"]

    def api(self, path: str, token: str) -> dict:
        request = urllib.request.Request(f"{self.url}/api/v2/{path.lstrip('/')}",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def stop(self, grace: float = 30) -> None:
        """SIGTERM every component, SIGKILL what has not ended after `grace` seconds (a test's throw-away stack
        needs no graceful shutdown: one component waiting out its 30 s cost every suite run that much)."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _airflow_bin() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def main(argv: list[str]) -> int:
    home = Path(os.environ.get("NETRA_AIRFLOW_HOME", PROJECT_ROOT / "var" / "airflow"))
    port = int(os.environ.get("NETRA_AIRFLOW_PORT", "8080"))
    runner = LocalAirflow(home, port, airflow_env(home, port=port))
    if argv[:1] == ["env"]:
        for key, value in sorted(runner.env.items()):
            if key.startswith("AIRFLOW"):
                print(f"export {key}={value!r}")
        return 0
    if argv[:1] != ["start"]:
        print(__doc__)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the components on `kill` as on Ctrl-C
    runner.start()
    print(f"Airflow: {runner.url}  (login {ADMIN_USER} / netra-demo; logs in {home / 'logs'})", flush=True)
    try:
        while all(p.poll() is None for p in runner.processes.values()):
            time.sleep(2)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        runner.stop()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
