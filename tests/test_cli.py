"""The `netra` command line, on both databases: clear output, JSON for scripts, non-zero exits on error."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casework.cli import cli

from demo.loader import demo_case_plan

DEMO_CASES = len(demo_case_plan())


@pytest.fixture
def run(monkeypatch, tmp_path):
    # the test's own var dir: `demo load` writes decree PDFs and demo signing keys there, never where other tests'
    # Settings.from_env() would find them
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "cli-var"))

    def invoke(url, *args, lang=None):
        monkeypatch.setenv("NETRA_DATABASE_URL", url)
        if lang:
            monkeypatch.setenv("NETRA_LANG", lang)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return invoke


@pytest.fixture
def demo_url(databases, backend):
    return databases.url(backend, demo=True)


def test_region_stats(run, demo_url):
    result = run(demo_url, "regions", "stats", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"provinces": 38, "regencies": 514, "districts": 7285}
    table = run(demo_url, "regions", "stats").output
    assert "Provinsi (provinces):" in table and "7,285" in table


def test_case_list_and_show(run, demo_url):
    rows = json.loads(run(demo_url, "case", "list", "--json").output)
    assert len(rows) >= 40
    assert set(rows[0]) >= {"number", "stage", "regency", "election", "days_left", "timezone"}
    forwarded = next(r for r in rows if r["stage"] == "forwarded")
    shown = run(demo_url, "case", "show", forwarded["number"])
    assert shown.exit_code == 0
    assert f"Kasus {forwarded['number']}  —  Diteruskan" in shown.output
    assert "ASN terlapor:" in shown.output and "NIP " in shown.output
    detail = json.loads(run(demo_url, "case", "show", forwarded["number"], "--json").output)
    assert detail["number"] == forwarded["number"] and detail["reported"][0]["track_stage"]
    # states as words in the reader's language, never their codes; --json keeps the codes (issue 17)
    assert {d["status"] for d in detail["deadlines"]} <= {"open", "met", "missed", "superseded", "cancelled"}
    english = run(demo_url, "--lang", "en", "case", "show", forwarded["number"]).output
    for out in (shown.output, english):
        assert not re.search(r"\((open|met|missed|issued|reserved)\)", out), out
    assert any(f"({w})" in shown.output for w in ("tepat waktu", "terlambat", "berjalan"))
    assert any(f"({w})" in english for w in ("on time", "late", "running"))
    table = run(demo_url, "case", "list").output
    assert table.splitlines()[0].split()[:2] == ["Nomor", "Tahap"]
    assert run(demo_url, "--lang", "en", "case", "list").output.splitlines()[0].split()[:2] == ["Number", "Stage"]


def test_unknown_case_is_a_clear_error_in_both_languages(run, demo_url):
    result = run(demo_url, "case", "show", "LP-0000-2024-9999")
    assert result.exit_code == 1
    assert "kasus 'LP-0000-2024-9999' tidak ditemukan." in result.output
    english = run(demo_url, "case", "show", "LP-0000-2024-9999", lang="en")
    assert english.exit_code == 1 and "case 'LP-0000-2024-9999' not found." in english.output


def test_an_unmigrated_database_is_named_not_crashed_on(run, tmp_path):
    result = run(f"sqlite:///{tmp_path / 'empty.db'}", "case", "list")
    assert result.exit_code == 1
    assert "belum dimigrasi" in result.output and "netra db upgrade" in result.output


def test_an_unreachable_database_is_a_clear_error(run, pg_server):
    url = pg_server.url("no_such_database")
    result = run(url, "regions", "stats")
    assert result.exit_code == 1
    assert "basis data tidak dapat dihubungi" in result.output and "no_such_database" in result.output


def test_demo_load_needs_regions_first(run, tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run(url, "db", "upgrade").exit_code == 0
    result = run(url, "demo", "load")
    assert result.exit_code == 1 and "netra regions load" in result.output


def test_the_whole_setup_from_an_empty_database(run, databases, backend, pg_admin):
    """What `make run` does: upgrade, load regions, load demo (twice), then list."""
    if backend == "sqlite":
        url = f"sqlite:///{databases.tmp_path / 'new.db'}"
    else:
        name = "setup_" + backend
        with pg_admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        databases.pg_databases.append(name)
        url = databases.pg_server.url(name)
    for args in (["db", "upgrade"], ["regions", "load"], ["demo", "load"]):
        result = run(url, *args)
        assert result.exit_code == 0, result.output
    assert f"Kasus demo baru (new demo cases): {DEMO_CASES}" in result.output
    assert "kunci tanda tangan demo baru (new demo signing keys): 13." in result.output  # every demo official
    again = run(url, "demo", "load").output
    assert "Kasus demo baru (new demo cases): 0" in again and "(new demo signing keys): 0." in again
    assert len(json.loads(run(url, "case", "list", "--json").output)) == DEMO_CASES


def test_help_is_indonesian_first():
    result = CliRunner().invoke(cli, ["--help"])
    assert "Netra — penanganan pelanggaran netralitas ASN" in result.output
    assert "Tampilkan bantuan ini. (Show this help.)" in result.output
    for group in ("db", "regions", "demo", "case"):
        assert group in result.output


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the console script's wiring, not SQL
def test_the_installed_console_script_runs(demo_url):
    netra = Path(sys.executable).with_name("netra")
    result = subprocess.run([str(netra), "regions", "stats", "--json"], capture_output=True, text=True,
                            env={**os.environ, "NETRA_DATABASE_URL": demo_url})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["districts"] == 7285
    missing = subprocess.run([str(netra), "case", "show", "NOPE"], capture_output=True, text=True,
                             env={**os.environ, "NETRA_DATABASE_URL": demo_url})
    assert missing.returncode == 1 and missing.stderr.startswith("Kesalahan (error): kasus 'NOPE'")


def test_mail_sweep_send_and_list_without_airflow(run, demo_url, monkeypatch, mail, tmp_path):
    """An office without Airflow can run the same sweep and outbox from cron."""
    monkeypatch.setenv("NETRA_SMTP_PORT", str(mail.port))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    swept = json.loads(run(demo_url, "mail", "sweep", "--json").output)
    assert swept["looked_at"] >= swept["queued"] > 0  # the demo has overdue cases at every stage
    sent = json.loads(run(demo_url, "mail", "send", "--json").output)
    assert sent["sent"] == len(mail.received) > 0 and sent["failed"] == 0
    assert json.loads(run(demo_url, "mail", "send", "--json").output)["sent"] == 0  # nothing goes twice
    listed = json.loads(run(demo_url, "mail", "list", "--status", "sent", "--json").output)
    assert len(listed) == sent["sent"] and all(r["sent_at"] for r in listed)
    assert json.loads(run(demo_url, "mail", "list", "--stuck", "--json").output) == []
