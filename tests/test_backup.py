"""`netra backup` and `netra restore` (issue 24 item 1): the drill on both databases — back up an installation
with cases, evidence, a decree and letters, destroy it, restore into an empty one: every row, file and hash equal,
the audit chain whole. A changed byte or a full installation is refused with nothing restored; an archive of an
older schema is migrated on the way in."""
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, select, text

from casework.adapters import migrate
from casework.adapters.db import make_engine, session_factory, transaction
from casework.backup.archive import prune
from casework.cli import cli
from casework.letters.issue import issue_letter
from casework.models import Case
from casework.road.evidence import add_evidence
from casework.settings import Settings
from tests.builder import Builder, Person
from tests.helpers import fingerprint, owed_request, principal_of

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=False)


def installation(monkeypatch, url: str, var: Path):
    """Point the CLI at one installation (a database and its var directory); `netra ARGS…` as a function."""
    monkeypatch.setenv("NETRA_DATABASE_URL", url)
    monkeypatch.setenv("NETRA_VAR_DIR", str(var))
    for name in ("NETRA_LETTERS_DIR", "NETRA_EVIDENCE_DIR", "NETRA_SIGNING_DIR"):
        monkeypatch.delenv(name, raising=False)
    return lambda *args: CliRunner().invoke(cli, list(args))


def tree(var: Path) -> dict[str, str]:
    return {p.relative_to(var).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(var.rglob("*")) if p.is_file()}


def with_files(url: str, var: Path) -> str:
    """A forwarded case with an evidence file, a letter issued (a stand-in PDF) and a decree recorded; a secret key
    and a signing key file as an installation has them."""
    settings = Settings.from_env({"NETRA_DATABASE_URL": url, "NETRA_VAR_DIR": str(var)})
    engine = make_engine(url)
    sessions = session_factory(engine)
    case = Builder(sessions, settings).laporan(Person("Lina Terlapor")).forward()
    with transaction(sessions) as session:
        add_evidence(session, session.scalar(select(Case).where(Case.number == case.number)), data=PNG,
                     filename="foto.png", principal=principal_of(session, "penangan.kukar"), settings=settings)
    with sessions() as session:
        handler = principal_of(session, "penangan.kukar")
    issue_letter(sessions, owed_request(sessions, case.number, "recommendation_to_oversight"), handler,
                 settings=settings, render=lambda context: b"%PDF-1.4\n% forward\n%%EOF\n")
    case.recommend(case.nips[0]).sanction(case.nips[0])
    (var / "secret_key").write_text("kunci-rahasia-uji")
    (var / "signing").mkdir(exist_ok=True)
    (var / "signing" / "ketua.p12").write_bytes(b"\x30\x82 not a real key")
    engine.dispose()
    return case.number


def test_backup_destroy_restore_every_row_file_and_hash_equal(monkeypatch, databases, backend, tmp_path):
    source_url, source_var = databases.url(backend, demo=True), tmp_path / "var"
    databases.demo_files(backend, source_var)
    number = with_files(source_url, source_var)
    before_rows, before_files = fingerprint(make_engine(source_url)), tree(source_var)
    assert {"secret_key", "signing/ketua.p12"} <= set(before_files)

    netra = installation(monkeypatch, source_url, source_var)
    made = netra("backup", "--out", str(tmp_path / "netra.tar"), "--json")
    assert made.exit_code == 0, made.output
    summary = json.loads(made.output)
    assert summary["revision"] == migrate.head_revision() and summary["files"] == len(before_files) + 1  # + db

    # the installation is lost: its database and its files
    shutil.rmtree(source_var)
    if backend == "postgresql":
        make_engine(source_url).dispose()
    target_url, target_var = databases.empty(backend), tmp_path / "new-var"
    netra = installation(monkeypatch, target_url, target_var)
    restored = netra("restore", str(tmp_path / "netra.tar"), "--json")
    assert restored.exit_code == 0, restored.output
    report = json.loads(restored.output)
    assert report["ok"] and report["migrations"] == [] and report["problems"] == []
    checked = report["checked"]
    assert checked["chain_ok"] and checked["audit_events"] == before_rows["audit_events"][0]
    # every file a row names, checked: this test's evidence, letter and decree, and the demo's decrees
    assert (checked["evidence"], checked["letters"]) == (1, 1) and checked["decrees"] > 1

    target = make_engine(target_url)
    assert fingerprint(target) == before_rows  # every row of every table
    assert tree(target_var) == before_files  # every file, byte for byte
    with target.connect() as conn:
        assert conn.execute(text("SELECT stage FROM cases WHERE number = :n"), {"n": number}).scalar_one() \
            == "closed"
    assert netra("audit", "verify").exit_code == 0
    # the restored installation is a working one: the next case gets the next number, nothing collides
    with transaction(session_factory(target)) as session:
        assert session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1))
    target.dispose()


@SQLITE
def test_a_changed_byte_or_a_full_installation_restores_nothing(monkeypatch, databases, backend, tmp_path):
    source_url, source_var = databases.url(backend, demo=True), tmp_path / "var"
    with_files(source_url, source_var)
    netra = installation(monkeypatch, source_url, source_var)
    assert netra("backup", "--out", str(tmp_path / "ok.tar")).exit_code == 0
    # one byte of the evidence changed inside the archive
    changed = tmp_path / "changed.tar"
    with tarfile.open(tmp_path / "ok.tar") as good, tarfile.open(changed, "w") as bad:
        for member in good.getmembers():
            data = good.extractfile(member).read()
            if member.name.startswith("files/evidence/") and member.name.endswith(".png"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            bad.addfile(member, io.BytesIO(data))
    target_url, target_var = databases.empty(backend), tmp_path / "new-var"
    netra = installation(monkeypatch, target_url, target_var)
    refused = netra("restore", str(changed))
    assert refused.exit_code != 0 and "tidak sama dengan sha256" in refused.output
    assert not inspect(make_engine(target_url)).get_table_names()  # nothing restored
    assert not target_var.exists() or not any(target_var.rglob("*.png"))
    # into an installation that already holds data: refused, nothing overwritten
    netra = installation(monkeypatch, source_url, source_var)
    full = netra("--lang", "en", "restore", str(tmp_path / "ok.tar"))
    assert full.exit_code != 0 and "not empty" in full.output, full.output
    not_tar = tmp_path / "x.tar"
    not_tar.write_bytes(b"nothing")
    assert "bukan arsip" in netra("restore", str(not_tar)).output


@SQLITE
def test_an_archive_of_an_older_schema_is_migrated_on_restore(monkeypatch, databases, backend, tmp_path):
    older = databases.empty(backend)
    migrate.upgrade(make_engine(older), "0024")
    netra = installation(monkeypatch, older, tmp_path / "old-var")
    made = netra("backup", "--out", str(tmp_path / "old.tar"), "--json")
    assert made.exit_code == 0 and json.loads(made.output)["revision"] == "0024", made.output
    netra = installation(monkeypatch, databases.empty(backend), tmp_path / "new-var")
    restored = netra("restore", str(tmp_path / "old.tar"), "--json")
    report = json.loads(restored.output)
    assert restored.exit_code == 0 and report["revision_from"] == "0024"
    head = migrate.head_revision()  # every migration after 0024, in order, up to this version's head
    assert report["migrations"] == [f"{n:04d}" for n in range(25, int(head) + 1)] and report["revision_to"] == head


def test_a_backup_directory_keeps_the_newest_archives(tmp_path):
    names = [f"netra-backup-2026120{d}-030000.tar" for d in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "other.tar").write_bytes(b"x")
    assert [p.name for p in prune(tmp_path, 2)] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == [*names[3:], "other.tar"]
