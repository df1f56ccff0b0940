"""docker/: the compose file against the Compose specification (no Docker engine here), and the Dockerfile it builds.

`docker-compose config` (Debian's docker-compose 1.29, installed by scripts/bootstrap.sh) interpolates the file
with docker/env.example and validates it; the same package's compose-spec JSON schema validates it again with
`jsonschema`. Then what the issue asks of the topology is checked on the resolved file.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
SPEC = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")  # Debian's docker-compose
ONE_SHOTS = {"airflow-init", "netra-migrate"}
AIRFLOW = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer", "airflow-worker"}
SERVICES = {"postgres", "redis", "desk", "netra-backup"} | ONE_SHOTS | AIRFLOW
WEASYPRINT_PACKAGES = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-liberation2",
                       "fonts-dejavu-core"}


def _docker_compose() -> str:
    found = shutil.which("docker-compose")
    assert found, "docker-compose is missing: run scripts/bootstrap.sh (Debian package docker-compose)"
    return found


@pytest.fixture(scope="module")
def resolved() -> dict:
    result = subprocess.run([_docker_compose(), "--env-file", str(DOCKER / "env.example"), "-f", str(COMPOSE),
                             "config"], capture_output=True, text=True, cwd=DOCKER)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_against_the_compose_specification(resolved):
    assert SPEC.exists(), "compose_spec.json comes with Debian's docker-compose: run scripts/bootstrap.sh"
    schema = json.loads(SPEC.read_text())
    validator = jsonschema.Draft201909Validator(schema)  # the schema's own draft
    validator.validate(yaml.safe_load(COMPOSE.read_text()))  # as written (anchors merged)
    validator.validate(resolved)  # and as docker-compose resolved it


def test_without_secrets_compose_refuses_to_start_and_names_what_is_missing(tmp_path):
    env = tmp_path / "empty.env"
    env.write_text("")
    result = subprocess.run([_docker_compose(), "--env-file", str(env), "-f", str(COMPOSE), "config"],
                            capture_output=True, text=True, cwd=DOCKER)
    assert result.returncode != 0 and "in docker/.env" in result.stderr


def test_services_health_checks_and_start_order(resolved):
    services = resolved["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        assert "container_name" not in service, f"{name}: a fixed name would forbid --scale"
        if name in ONE_SHOTS:
            assert service["restart"] == "no" and "healthcheck" not in service
        else:
            assert service["healthcheck"]["test"], f"{name} has no health check"
            assert service["restart"] == "unless-stopped"
    for name in AIRFLOW:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"
        assert depends["airflow-init"]["condition"] == "service_completed_successfully"
        assert depends["netra-migrate"]["condition"] == "service_completed_successfully"
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"
    assert services["desk"]["depends_on"]["netra-migrate"]["condition"] == "service_completed_successfully"
    for name in ("airflow-worker", "airflow-triggerer"):  # scalable: no host port to collide on
        assert "ports" not in services[name]
    assert services["airflow-worker"]["command"] == ["airflow", "celery", "worker"]
    assert services["desk"]["command"][0] == "gunicorn" and "admin:create_app()" in services["desk"]["command"]
    assert services["netra-migrate"]["command"][-1].startswith("netra db upgrade")
    assert services["airflow-init"]["command"] == ["airflow", "db", "migrate"]
    # the scheduled backup: `netra backup` into a directory with a retention count, after the migrations
    backup = services["netra-backup"]
    assert "netra backup --dir /backups --keep 14" in backup["command"][-1]
    assert backup["depends_on"]["netra-migrate"]["condition"] == "service_completed_successfully"
    targets = {v["target"] if isinstance(v, dict) else v.split(":")[1] for v in backup["volumes"]}
    assert targets >= {"/var/lib/netra/evidence", "/var/lib/netra/letters", "/backups"}


def test_airflow_runs_on_celery_with_redis_and_separate_databases(resolved):
    services = resolved["services"]
    for name in AIRFLOW | {"airflow-init"}:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://") and "@redis:6379" in env[
            "AIRFLOW__CELERY__BROKER_URL"]
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql")
        assert "airflow:" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow")
        assert env["NETRA_DATABASE_URL"].endswith("@postgres:5432/netra") and "netra:" in env["NETRA_DATABASE_URL"]
    desk = services["desk"]["environment"]
    assert desk["NETRA_ENV"] == "production" and desk["NETRA_BEHIND_PROXY"] == "1"
    assert desk["NETRA_SMTP_HOST"] and desk["NETRA_SMTP_PORT"]
    script = next(source for source, target in _volumes(services["postgres"])
                  if target.startswith("/docker-entrypoint-initdb.d/"))
    assert Path(script) == DOCKER / "postgres" / "init-databases.sh"
    assert os.access(script, os.X_OK)  # the postgres image runs it (it would source it otherwise)


def test_named_volumes_hold_the_database_evidence_and_letters(resolved):
    services = resolved["services"]
    assert set(resolved["volumes"]) >= {"pgdata", "evidence", "letters"}

    def mounts(name):
        return dict(_volumes(services[name]))

    desk_env = services["desk"]["environment"]
    assert mounts("postgres")["pgdata"] == "/var/lib/postgresql/data"
    assert mounts("desk")["evidence"] == desk_env["NETRA_EVIDENCE_DIR"]
    assert mounts("desk")["letters"] == desk_env["NETRA_LETTERS_DIR"]
    assert mounts("airflow-worker")["letters"] == services["airflow-worker"]["environment"]["NETRA_LETTERS_DIR"]
    # whoever issues letters (the desk, a case's run on a worker) reads the signing keys from the operator's
    # host directory, where NETRA_SIGNING_DIR says
    for name in ("desk", "airflow-worker"):
        signing = services[name]["environment"]["NETRA_SIGNING_DIR"]
        assert [source for source, target in _volumes(services[name]) if target == signing] \
            and not Path(signing).is_relative_to("/var/lib/netra/letters")


def _volumes(service: dict) -> list[tuple[str, str]]:
    """(source, target) of each mount, short ("src:dst:mode") or long syntax."""
    out = []
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume["source"], volume["target"]
        out.append((source, target))
    return out


def test_secrets_live_only_in_the_uncommitted_env_file():
    text = "\n".join(line.split(" #")[0] for line in COMPOSE.read_text().splitlines() if not line.startswith("#"))
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    example = dict(line.split("=", 1) for line in (DOCKER / "env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert required <= set(example), f"env.example lacks {required - set(example)}"
    literal = re.findall(r"^\s*([A-Z0-9_]*(?:PASSWORD|SECRET|_KEY)): (?!\$\{)", text, flags=re.M)
    assert "change-me" not in text and literal == [], f"secrets written into compose.yaml: {literal}"
    ignored = subprocess.run(["git", "check-ignore", "-q", "docker/.env"], cwd=ROOT)
    assert ignored.returncode == 0, "docker/.env must be ignored by git"


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (DOCKER / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_dockerfile_builds_from_the_lock_with_weasyprint_packages(resolved):
    build = resolved["services"]["desk"]["build"]
    assert Path(build["context"]) == ROOT and (ROOT / build["dockerfile"]) == DOCKER / "Dockerfile"
    steps = _dockerfile()
    assert steps[0] == ("FROM", "python:3.11-slim-bookworm")
    runs = " && ".join(args for op, args in steps if op == "RUN")
    installed = set(shlex.split(runs.split("--no-install-recommends", 1)[1].split("&&")[0]))
    assert installed == WEASYPRINT_PACKAGES | {"postgresql-client"}  # pg_dump and pg_restore: netra backup
    debian = set((ROOT / "scripts" / "debian-packages.txt").read_text().split())
    assert WEASYPRINT_PACKAGES <= debian  # the same names as on a bare machine (which has the server: postgresql)
    assert "pip install -r requirements.lock" in runs and "pip install --no-deps ." in runs
    assert runs.index("requirements.lock") < runs.index("--no-deps .")
    env = " ".join(args for op, args in steps if op == "ENV")
    assert "NETRA_PROJECT_ROOT=/opt/netra" in env and "AIRFLOW__CORE__DAGS_FOLDER=/opt/netra/dags" in env
    assert any(op == "USER" and args != "root" for op, args in steps)


def test_dockerfile_copies_only_files_that_exist_and_are_not_ignored():
    ignored = [line.strip() for line in (DOCKER / "Dockerfile.dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    copies = [shlex.split(args) for op, args in _dockerfile() if op == "COPY"]
    copied = {source for *sources, _target in copies for source in sources}
    assert {"requirements.lock", "pyproject.toml", "casework", "admin", "netra_airflow", "dags", "sql"} <= copied
    for source in copied:
        assert (ROOT / source).exists(), f"COPY {source}: no such file in the build context"
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), f"{source} is dockerignored"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"translations/**/*"' in pyproject  # the desk's catalogs travel with `pip install .`
    entrypoint = DOCKER / "entrypoint.sh"
    assert os.access(entrypoint, os.X_OK) and "exec \"$@\"" in entrypoint.read_text()
