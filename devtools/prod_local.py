"""The production topology of docker/compose.yaml on this machine, without Docker: the same services as processes,
from the project's own files.

- PostgreSQL (Debian's server, initdb + pg_ctl; as the `postgres` user when run as root), password logins over
  loopback; Netra's database and Airflow's metadata database with separate owners, made by the compose file's
  own init script (docker/postgres/init-databases.sh);
- Redis (Debian's redis-server, started directly, password, no persistence): the Celery broker;
- the one-shots, side by side: `airflow db migrate` (airflow-init) and `netra db upgrade` + `netra regions load`
  (netra-migrate; `--demo` adds the demo data);
- Airflow 3 with the CeleryExecutor: api-server, scheduler, dag-processor, triggerer and a Celery worker
  (`airflow celery worker`); metadata and Celery results on PostgreSQL;
- the desk under gunicorn in production mode (NETRA_ENV=production: a generated secret key, Secure cookies,
  HSTS, JSON logs).

    python -m devtools.prod_local start [--demo]   # `make prod-local`; Ctrl-C stops everything
    python -m devtools.prod_local env              # the NETRA_* and AIRFLOW__* environment, for a shell

State lives in NETRA_PROD_DIR (default var/prod): the PostgreSQL cluster, generated secrets (secrets.env, 0600),
evidence and letters, Airflow's home and every log. Ports: NETRA_PROD_DESK_PORT (8000), NETRA_AIRFLOW_PORT
(8080), NETRA_PROD_PG_PORT (5433), NETRA_PROD_REDIS_PORT (6380). Mail goes to NETRA_SMTP_HOST/PORT; when
NETRA_SMTP_HOST is not set, a local SMTP sink keeps it in var/prod/mail (Maildir), as `make run` does.
"""
from __future__ import annotations

import os
import secrets as random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from casework.settings import PROJECT_ROOT
from devtools.airflow_local import COMPONENTS, LocalAirflow, airflow_env
from devtools.pgserver import _bindir  # the newest installed PostgreSQL's programs

INIT_SCRIPT = PROJECT_ROOT / "docker" / "postgres" / "init-databases.sh"
SECRET_NAMES = ("NETRA_DB_PASSWORD", "AIRFLOW_DB_PASSWORD", "REDIS_PASSWORD", "NETRA_SECRET_KEY",
                "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_FERNET_KEY")


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def load_secrets(path: Path) -> dict[str, str]:
    """The secrets of this topology, generated on first use and kept (0600) like docker/.env."""
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key] = value
    missing = [name for name in SECRET_NAMES if not values.get(name)]
    if missing:
        from cryptography.fernet import Fernet

        for name in missing:
            values[name] = Fernet.generate_key().decode() if name == "AIRFLOW_FERNET_KEY" \
                else random.token_urlsafe(48 if name == "NETRA_SECRET_KEY" else 24)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    return values


@dataclass
class Postgres:
    """One cluster in `base` (data/, the socket, server.log); kept across restarts. `fast` trades durability for
    speed (tests only): no fsync."""

    base: Path
    port: int
    fast: bool = False

    @property
    def data(self) -> Path:
        return self.base / "data"

    def _run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        cmd = [str(_bindir() / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)

    def url(self, user: str, password: str, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def start(self, secrets: dict[str, str]) -> Postgres:
        self.base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o700)
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth-local=trust",
                      "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                      *(["--no-sync"] if self.fast else []))
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-o", options, "-w",
                  "start")
        if fresh:  # the compose file's init script, as the postgres image runs it on an empty volume
            env = {**os.environ, "PGHOST": str(self.base), "PGPORT": str(self.port), "POSTGRES_USER": "postgres",
                   "POSTGRES_DB": "postgres", "PATH": f"{_bindir()}:{os.environ.get('PATH', '')}",
                   "NETRA_DB_PASSWORD": secrets["NETRA_DB_PASSWORD"],
                   "AIRFLOW_DB_PASSWORD": secrets["AIRFLOW_DB_PASSWORD"]}
            subprocess.run(["bash", str(INIT_SCRIPT)], check=True, capture_output=True, text=True, env=env)
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@dataclass
class Redis:
    base: Path
    port: int
    password: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20) -> Redis:
        server = shutil.which("redis-server")
        if not server:
            raise RuntimeError("redis-server not found: run scripts/bootstrap.sh (Debian's redis-server package)")
        self.base.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.base), "--requirepass", self.password, "--daemonize", "no"],
            stdout=open(self.base / "redis.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password, socket_timeout=2)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {self.base / 'redis.log'}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Topology:
    root: Path
    desk_port: int = 8000
    airflow_port: int = 8080
    pg_port: int = 5433
    redis_port: int = 6380
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    base_url: str | None = None
    demo: bool = False
    fast: bool = False  # tests: PostgreSQL without fsync, quick intervals come from `netra_extra`
    scheduler_health_port: int = 8974
    desk_workers: int = 2
    worker_concurrency: int = 4
    netra_extra: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    airflow: LocalAirflow | None = None
    postgres: Postgres | None = None
    redis: Redis | None = None

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.secrets = load_secrets(self.root / "secrets.env")
        self.postgres = Postgres(self.root / "postgres", self.pg_port, fast=self.fast)
        self.redis = Redis(self.root / "redis", self.redis_port, self.secrets["REDIS_PASSWORD"])
        self.logs.mkdir(parents=True, exist_ok=True)

    # --- what every process is told -------------------------------------------------------------------------------
    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def desk_url(self) -> str:
        return f"http://127.0.0.1:{self.desk_port}"

    @property
    def netra_database_url(self) -> str:
        return self.postgres.url("netra", self.secrets["NETRA_DB_PASSWORD"], "netra")

    @property
    def airflow_database_url(self) -> str:
        return self.postgres.url("airflow", self.secrets["AIRFLOW_DB_PASSWORD"], "airflow")

    def netra_env(self) -> dict[str, str]:
        data = self.root / "data"
        return {
            "NETRA_ENV": "production",
            "NETRA_DATABASE_URL": self.netra_database_url,
            "NETRA_SECRET_KEY": self.secrets["NETRA_SECRET_KEY"],
            "NETRA_VAR_DIR": str(data),
            "NETRA_EVIDENCE_DIR": str(data / "evidence"),
            "NETRA_LETTERS_DIR": str(data / "letters"),
            "NETRA_SMTP_HOST": self.smtp_host,
            "NETRA_SMTP_PORT": str(self.smtp_port),
            "NETRA_BASE_URL": self.base_url or self.desk_url,
            "NETRA_DB_POOL_SIZE": "2",
            "NETRA_DB_MAX_OVERFLOW": "3",
            **self.netra_extra,
        }

    def airflow_environment(self) -> dict[str, str]:
        home = self.root / "airflow"
        return airflow_env(home, port=self.airflow_port, password=self.secrets["AIRFLOW_ADMIN_PASSWORD"],
                           metadata_url=self.airflow_database_url, extra={
            **self.netra_env(),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CORE__FERNET_KEY": self.secrets["AIRFLOW_FERNET_KEY"],
            "AIRFLOW__CELERY__BROKER_URL": self.redis.url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + self.airflow_database_url,
            # Netra's task code imported once per worker, not once per task (netra_airflow/celery_config.py)
            "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "netra_airflow.celery_config.CELERY_CONFIG",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.worker_concurrency),
            # a task that holds a worker slot longer than this is handed to another worker (ours take seconds)
            "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT": "21600",
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(_free_port()),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE": "3",
            # the scheduler's own health endpoint, which the compose file's health check asks
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": "127.0.0.1",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(self.scheduler_health_port),
        })

    # --- starting and stopping ----------------------------------------------------------------------------------------
    def start_backing(self) -> Topology:
        """PostgreSQL and Redis."""
        self.postgres.start(self.secrets)
        self.redis.start()
        return self

    def migrate(self) -> Topology:
        """The one-shots side by side: airflow-init (`airflow db migrate`) and netra-migrate (`netra db upgrade`,
        `netra regions load`, and with `demo` `netra demo load`)."""
        netra = [["db", "upgrade"], ["regions", "load"]] + ([["demo", "load"]] if self.demo else [])
        env = {**os.environ, **self.netra_env()}
        with ThreadPoolExecutor(2) as pool:
            airflow = pool.submit(self._one_shot, "airflow-init", [[_bin("airflow"), "db", "migrate"]],
                                  self.airflow_environment())
            migrate = pool.submit(self._one_shot, "netra-migrate", [[_bin("netra"), *args] for args in netra], env)
            airflow.result(), migrate.result()
        return self

    def _one_shot(self, name: str, commands: list[list[str]], env: dict[str, str]) -> None:
        path = self.logs / f"{name}.log"
        with open(path, "ab") as log:
            for cmd in commands:
                if subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT).returncode:
                    tail = path.read_text(errors="replace").splitlines()[-15:]
                    raise RuntimeError(f"{name}: `{' '.join(cmd[-2:])}` failed; {path}:\n" + "\n".join(tail))

    def start_services(self, timeout: float = 240) -> Topology:
        """Airflow (CeleryExecutor: api-server, scheduler, dag-processor, triggerer, celery worker) and the desk."""
        self.processes["desk"] = subprocess.Popen(
            [_bin("gunicorn"), "-c", "python:admin.gunicorn_conf", "--bind", f"127.0.0.1:{self.desk_port}",
             "--workers", str(self.desk_workers), "admin:create_app()"],
            env={**os.environ, **self.netra_env(), "PYTHONUNBUFFERED": "1"}, cwd=PROJECT_ROOT, start_new_session=True,
            stdout=open(self.logs / "desk.log", "ab"), stderr=subprocess.STDOUT)
        env = self.airflow_environment()
        self.airflow = LocalAirflow(self.root / "airflow", self.airflow_port, env,
                                    components=(*COMPONENTS, "celery worker"),
                                    component_env={"celery worker": {"AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO"}})
        self.airflow.start(timeout=timeout, migrate=False)
        self.wait_for(self.worker_ready, "the Celery worker to be ready", timeout)
        self.wait_for(self.desk_healthy, "the desk to answer /healthz", timeout)
        return self

    def start(self) -> Topology:
        return self.start_backing().migrate().start_services()

    def worker_log(self) -> str:
        path = self.root / "airflow" / "logs" / "celery-worker.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def worker_ready(self) -> bool:
        return " ready." in self.worker_log()

    def desk_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.desk_url}/healthz", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_for(self, check, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            dead = [name for name, p in {**self.processes, **(self.airflow.processes if self.airflow else {})}
                    .items() if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise RuntimeError(f"waiting for {what}: {'exited: ' + str(dead) if dead else 'timed out'}; "
                                   f"see {self.logs} and {self.root / 'airflow' / 'logs'}")
            time.sleep(0.5)

    def alive(self) -> bool:
        return all(p.poll() is None for p in [*self.processes.values(), *self.airflow.processes.values()])

    def stop(self, *, graceful: bool = True) -> None:
        """`graceful`: the worker first, in a warm shutdown (its running tasks finish while the api-server still
        answers them). Otherwise (a throw-away topology, tests) the worker and its tasks are killed at once."""
        for process in self.processes.values():
            _stop(process)
        if self.airflow:
            _stop(self.airflow.processes.pop("celery worker", None), signal.SIGTERM if graceful else signal.SIGKILL)
            self.airflow.stop(grace=30 if graceful else 1)  # a throw-away topology waits for nobody
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()


def _stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def from_environment(demo: bool) -> Topology:
    env = os.environ
    return Topology(
        root=Path(env.get("NETRA_PROD_DIR", PROJECT_ROOT / "var" / "prod")).resolve(),
        desk_port=int(env.get("NETRA_PROD_DESK_PORT", "8000")),
        airflow_port=int(env.get("NETRA_AIRFLOW_PORT", "8080")),
        pg_port=int(env.get("NETRA_PROD_PG_PORT", "5433")),
        redis_port=int(env.get("NETRA_PROD_REDIS_PORT", "6380")),
        smtp_host=env.get("NETRA_SMTP_HOST", "127.0.0.1"),
        smtp_port=int(env.get("NETRA_SMTP_PORT", "8025")),
        base_url=env.get("NETRA_BASE_URL"),
        demo=demo,
    )


def main(argv: list[str]) -> int:
    topology = from_environment(demo="--demo" in argv)
    if argv[:1] == ["env"]:
        for key, value in sorted(topology.airflow_environment().items()):
            if key.startswith(("AIRFLOW", "NETRA_")):
                print(f"export {key}={value!r}")
        return 0
    if argv[:1] != ["start"]:
        print(__doc__)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sink = None
    if "NETRA_SMTP_HOST" not in os.environ:  # no relay given: keep the mail here, as `make run` does
        mail = topology.root / "mail"
        for sub in ("tmp", "new", "cur"):
            (mail / sub).mkdir(parents=True, exist_ok=True)
        sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{topology.smtp_port}",
                                 "-c", "aiosmtpd.handlers.Mailbox", str(mail)], start_new_session=True)
    try:
        print(f"Starting PostgreSQL :{topology.pg_port}, Redis :{topology.redis_port}, migrations ...", flush=True)
        topology.start_backing().migrate()
        print("Starting Airflow (CeleryExecutor) and the desk (gunicorn) ...", flush=True)
        topology.start_services()
        print(f"""
 Netra, production topology (state and logs in {topology.root})
   desk (gunicorn, NETRA_ENV=production): {topology.desk_url}/   health: {topology.desk_url}/healthz
   Airflow (CeleryExecutor):               http://127.0.0.1:{topology.airflow_port}/   login admin / see
                                           AIRFLOW_ADMIN_PASSWORD in {topology.root / 'secrets.env'}
   PostgreSQL 127.0.0.1:{topology.pg_port} (databases netra, airflow), Redis 127.0.0.1:{topology.redis_port}
   mail: {'Maildir ' + str(topology.root / 'mail') if sink else f'{topology.smtp_host}:{topology.smtp_port}'}
 Ctrl-C stops everything.""", flush=True)
        while topology.alive():
            time.sleep(2)
        return 1
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        topology.stop()
        _stop(sink)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
