"""Test fixtures: every database test runs on SQLite and on a real PostgreSQL server.

Each backend gets a template database built once per session (migrations + regions + reference data, and a
second one with the demo data); each test gets its own copy, so tests commit for real and never see each other.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from casework.adapters import migrate
from casework.adapters.db import make_engine, session_factory, transaction
from demo.loader import load_demo
from casework.reference.sync import sync_reference_data
from casework.settings import Settings
from casework.reference.regions import load_regions
from tests.airflow_env import configure_airflow
from devtools.pgserver import start_server

configure_airflow()  # before anything imports airflow: its configuration is read once, at import
# Settings.from_env() in a test (or a server it starts) writes files — the secret key, evidence, letters — under
# NETRA_VAR_DIR: a temporary directory, never the checkout's var/ (which `make run` uses).
os.environ.setdefault("NETRA_VAR_DIR", tempfile.mkdtemp(prefix="netra-test-var-"))

BACKENDS = ["sqlite", "postgresql"]


def _prepare(engine: Engine) -> None:
    """The base template: migrations, reference data, regions."""
    migrate.upgrade(engine)
    with transaction(session_factory(engine)) as session:
        sync_reference_data(session)
        load_regions(session)
    engine.dispose()


def _add_demo(engine: Engine, var_dir: Path) -> None:
    """The demo template: a copy of the base one, plus the demo (its decree PDFs go to the session's temporary
    directory, not the checkout's var/)."""
    with transaction(session_factory(engine)) as session:
        load_demo(session, today=date.today(), settings=Settings.from_env({"NETRA_VAR_DIR": str(var_dir)}))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server():
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_admin(pg_server) -> Iterator[Engine]:
    engine = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory, worker_id, pg_server, pg_admin) -> dict[tuple[str, bool], str]:
    """(backend, with_demo) -> where the template lives (SQLite file path or PostgreSQL database name).

    Each worker has its own PostgreSQL server and builds its templates there; the SQLite templates are files that
    the workers of one run share: the first worker builds them (under a lock) while the others build their
    PostgreSQL ones first, and find them made (one demo load less per extra worker, about 8 s)."""
    out: dict[tuple[str, bool], str] = {}
    base = tmp_path_factory.mktemp("templates")

    def build_postgresql() -> None:
        with pg_admin.connect() as conn:
            conn.execute(text("CREATE DATABASE netra_template"))
        _prepare(make_engine(pg_server.url("netra_template")))
        with pg_admin.connect() as conn:  # the demo's template starts as a copy of the base one
            conn.execute(text("CREATE DATABASE netra_template_demo TEMPLATE netra_template"))
        _add_demo(make_engine(pg_server.url("netra_template_demo")), base / "var")
        out.update({("postgresql", False): "netra_template", ("postgresql", True): "netra_template_demo",
                    ("postgresql", "var"): str(base / "var")})

    shared = tmp_path_factory.getbasetemp().parent if worker_id != "master" else base  # one run's workers' root
    first = worker_id in ("master", "gw0")
    if not first:
        build_postgresql()
    with open(shared / "sqlite-templates.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for demo in (False, True):
            path = shared / f"template{'_demo' if demo else ''}.db"
            if not path.exists():  # built aside, then renamed: a template is whole or absent
                building = path.with_suffix(f".{worker_id}.tmp")
                if demo:  # a copy of the base template, plus the demo
                    shutil.copyfile(out[("sqlite", False)], building)
                    _add_demo(make_engine(f"sqlite:///{building}"), shared / "var")
                else:
                    _prepare(make_engine(f"sqlite:///{building}"))
                building.rename(path)
            out[("sqlite", demo)] = str(path)
        out[("sqlite", "var")] = str(shared / "var")
    if first:
        build_postgresql()
    return out


class Databases:
    """Makes fresh databases from the templates and cleans them up."""

    def __init__(self, tmp_path: Path, templates, pg_server, pg_admin) -> None:
        self.tmp_path, self.templates, self.pg_server, self.pg_admin = tmp_path, templates, pg_server, pg_admin
        self.engines: list[Engine] = []
        self.pg_databases: list[str] = []

    def url(self, backend: str, *, demo: bool = False) -> str:
        template = self.templates[(backend, demo)]
        if backend == "sqlite":
            path = self.tmp_path / f"netra-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"
        # FILE_COPY: a small database is copied as files, faster than PostgreSQL 15's default WAL_LOG (which writes
        # every block to the WAL; the test server runs without fsync, so its checkpoint costs little)
        return self._pg_database(f"TEMPLATE {template} STRATEGY FILE_COPY")

    def _pg_database(self, options: str = "") -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        with self.pg_admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} {options}"))
        self.pg_databases.append(name)
        return self.pg_server.url(name)

    def demo_files(self, backend: str, var_dir: Path) -> None:
        """The files the demo template's rows name (its decrees), copied into `var_dir`: a whole installation."""
        shutil.copytree(self.templates[(backend, "var")], var_dir, dirs_exist_ok=True)

    def empty(self, backend: str) -> str:
        """A database with nothing in it, not even a schema: a new installation before its first migration."""
        if backend == "sqlite":
            return f"sqlite:///{self.tmp_path / f'empty-{uuid.uuid4().hex[:8]}.db'}"
        return self._pg_database()

    def engine(self, backend: str, *, demo: bool = False) -> Engine:
        engine = make_engine(self.url(backend, demo=demo))
        self.engines.append(engine)
        return engine

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()
        with self.pg_admin.connect() as conn:
            for name in self.pg_databases:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def databases(tmp_path, templates, pg_server, pg_admin) -> Iterator[Databases]:
    dbs = Databases(tmp_path, templates, pg_server, pg_admin)
    yield dbs
    dbs.close()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def engine(databases, backend) -> Engine:
    """A migrated database with regions and reference data (no demo), on each backend."""
    return databases.engine(backend)


@pytest.fixture
def demo_engine(databases, backend) -> Engine:
    """A migrated database with the demo data loaded, on each backend."""
    return databases.engine(backend, demo=True)


@pytest.fixture
def sessions(engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def demo_sessions(demo_engine) -> sessionmaker[Session]:
    return session_factory(demo_engine)


@pytest.fixture
def mail():
    """A real SMTP server on loopback; `mail.received` holds what it got."""
    from devtools.mailsink import MailSink

    sink = MailSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def netra_settings(tmp_path, mail):
    """Settings pointing at this test's SMTP sink and its own letters directory."""
    from casework.settings import Settings

    return Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var"), "NETRA_SMTP_PORT": str(mail.port),
                              "NETRA_MAIL_FROM": "netra@bawaslu.test", "NETRA_BASE_URL": "https://netra.test"})


@pytest.fixture(scope="session")
def airflow_db():
    """Airflow's own metadata database (SQLite under the session's AIRFLOW_HOME), migrated once."""
    from tests.airflow_env import migrate_airflow

    migrate_airflow()


# --- tiers ------------------------------------------------------------------------------------------------------
# unit: no database, no server (make test-unit, under a minute); integration: SQLite and PostgreSQL; e2e: a browser,
# Airflow itself, the Celery topology, processes killed. `make test` runs all of them, e2e first: they are the
# longest, and starting them first keeps both workers busy to the end.
E2E_FILES = {"test_browser.py", "test_production_topology.py", "test_dags.py",
             "test_faults.py"}
DATABASE_FIXTURES = {"databases", "engine", "demo_engine", "sessions", "demo_sessions", "pg_server", "pg_admin",
                     "templates", "airflow_db"}
TIERS = ("e2e", "integration", "unit")


def tier_of(item) -> str:
    if item.path.name in E2E_FILES or "browser" in getattr(item, "fixturenames", ()):
        return "e2e"
    return "integration" if set(getattr(item, "fixturenames", ())) & DATABASE_FIXTURES else "unit"


# The tests that bring up a whole Airflow (api-server, scheduler, dag-processor, triggerer, workers) run one after
# the other on one worker (`--dist loadgroup`): two such stacks at once on two cores starve each other's scheduler.
# Today there is one (the end-to-end scenario runs on the production topology); a second one joins this group.
AIRFLOW_STACKS = {"test_production_topology.py"}


# Within a tier the longest files go first (measured, `--durations=0`): the two workers then end together instead
# of one waiting while the other runs a minute-long test that started last.
LONGEST_FIRST = ["test_production_topology.py", "test_authorization_matrix.py", "test_accessibility.py",
                 "test_dags.py", "test_api_schema.py", "test_bad_input.py"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(tier_of(item))
        if item.path.name in AIRFLOW_STACKS:
            item.add_marker(pytest.mark.xdist_group("airflow"))
    first = {name: i for i, name in enumerate(LONGEST_FIRST)}
    # stable: the other files keep their order within a tier
    items.sort(key=lambda item: (TIERS.index(tier_of(item)), first.get(item.path.name, len(first))))


# --- the browser (tests/browser_support.py) -------------------------------------------------------------------------
class _Chromium:
    """One Chromium per worker, started when a test first needs it (its driver and browser cost some 3.5 s of CPU
    each time: once per module was a dozen times a run); each test opens its own pages. Playwright's sync API keeps
    an event loop running while it is open, and Airflow's dag.test() (tests/test_dags.py) and asyncio.run()
    (tests/test_first_look.py) cannot run inside one: it is closed before their tests, and started again after."""

    def __init__(self) -> None:
        self.playwright = self.browser = None

    def get(self):
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            from tests.browser_support import ARGS, CHROMIUM

            if not Path(CHROMIUM).exists():
                raise RuntimeError(f"{CHROMIUM} missing: run scripts/bootstrap.sh (Debian package chromium)")
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        return self.browser

    def close(self) -> None:
        if self.playwright is not None:
            if self.browser is not None:
                self.browser.close()
            self.playwright.stop()
        self.playwright = self.browser = None


_CHROMIUM = _Chromium()
OWN_EVENT_LOOP = {"test_dags.py", "test_first_look.py"}


@pytest.fixture
def browser():
    return _CHROMIUM.get()


def pytest_runtest_setup(item):
    if item.path.name in OWN_EVENT_LOOP:
        _CHROMIUM.close()


def pytest_sessionfinish(session):
    _CHROMIUM.close()


@pytest.fixture
def live(databases, tmp_path):
    """The desk on loopback over a fresh copy of the demo database: (base URL, session factory)."""
    import threading

    from werkzeug.serving import make_server

    from admin import create_app

    url = databases.url("sqlite", demo=True)
    settings = replace(Settings.from_env(), database_url=url, var_dir=tmp_path, letters_dir=tmp_path / "letters",
                       secret_key="browser-test")
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", session_factory(make_engine(url))
    server.shutdown()
