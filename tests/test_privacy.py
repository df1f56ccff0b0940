"""Personal data under UU PDP (issue 24 item 3; docs/privacy.md): a reporter's identity, an evidence file, a decree
or a letter naming a protected person cannot be read at the desk or through the API without leaving a row in the
access log, and `netra privacy reads` lists them for a case or a person; a case past its retention is
pseudonymised on demand — a dry run first, identities and files gone, every count kept, one audit event."""
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from casework.accounts.tokens import make_token
from casework.adapters.db import transaction
from casework.cli import cli
from casework.models import AuditEvent, Case, EvidenceFile, PersonalDataRead, ReportedASN, Reporter, utcnow
from casework.privacy.retention import due
from casework.reports.dashboard import cases_by_agency
from casework.road.evidence import add_evidence
from tests.builder import Builder, Person
from tests.helpers import client_as, fingerprint, principal_of
from tests.test_desk import app  # noqa: F401  (the desk on both backends)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=False)


def closed_case(sessions, settings, *names: str):
    """A laporan with evidence, forwarded, recommended and sanctioned: closed, with a decree PDF on disk."""
    case = Builder(sessions, settings).laporan(*(Person(n) for n in names))
    with transaction(sessions) as session:
        add_evidence(session, session.scalar(select(Case).where(Case.number == case.number)), data=PNG,
                     filename="foto.png", principal=principal_of(session, "penangan.kukar"), settings=settings)
    case.forward()
    for nip in case.nips:
        case.recommend(nip).sanction(nip)
    return case


def reads_of(sessions, number: str) -> list[tuple[str, str, str]]:
    with sessions() as session:
        return [(r.actor, r.kind, r.channel) for r in session.scalars(
            select(PersonalDataRead).join(Case, Case.id == PersonalDataRead.case_id)
            .where(Case.number == number).order_by(PersonalDataRead.id))]


@SQLITE
def test_every_read_of_an_identity_evidence_or_a_decree_leaves_a_trace(app, demo_sessions, monkeypatch,  # noqa: F811
                                                                        demo_engine):
    settings = app.config["NETRA_SETTINGS"]
    case = closed_case(demo_sessions, settings, "Mira Terlapor")
    with demo_sessions() as session:
        row = session.scalar(select(Case).where(Case.number == case.number))
        evidence_id, person_id = row.evidence[0].id, row.reported[0].id
    handler = client_as(app, "penangan.kukar")
    assert "Pelapor Uji" in handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert handler.get(f"/kasus/{case.number}/bukti/{evidence_id}").status_code == 200
    assert handler.get(f"/kasus/{case.number}/sk/{person_id}").status_code == 200
    # the province's handler sees the case but not the reporter: nothing of the reporter was read
    assert "Pelapor Uji" not in client_as(app, "penangan.kaltim").get(f"/kasus/{case.number}").get_data(as_text=True)
    with transaction(demo_sessions) as session:
        secret = make_token(session, username="penangan.kukar", label="uji", write=False, actor="uji").secret
    api = app.test_client().get(f"/api/v1/cases/{case.number}", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200 and api.get_json()["reporter"]
    assert reads_of(demo_sessions, case.number) == [
        ("penangan.kukar", "reporter", "desk"), ("penangan.kukar", "evidence", "desk"),
        ("penangan.kukar", "decree", "desk"), ("penangan.kukar", "reporter", "api")]

    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    listed = CliRunner().invoke(cli, ["privacy", "reads", "--nip", case.nips[0], "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(r["actor"], r["kind"]) for r in json.loads(listed.output)["reads"]] == [
        ("penangan.kukar", "reporter"), ("penangan.kukar", "evidence"), ("penangan.kukar", "decree"),
        ("penangan.kukar", "reporter")]
    assert "tidak ditemukan" in CliRunner().invoke(cli, ["privacy", "reads", "--case", "LP-0000-0000-0000"]).output


def test_a_case_past_its_retention_is_pseudonymised_on_demand_counts_kept(demo_engine, demo_sessions,
                                                                            netra_settings, monkeypatch):
    settings = netra_settings
    case = closed_case(demo_sessions, settings, "Budi Santoso", "Budi")
    kept = closed_case(demo_sessions, settings, "Rina Terlapor")  # closed today: inside its retention
    with transaction(demo_sessions) as session:
        session.execute(update(Case).where(Case.number == case.number)
                        .values(stage_since=utcnow() - timedelta(days=6 * 366),
                                chronology="Budi Santoso dan Budi mengunggah ajakan; Pelapor Uji melihatnya."))
    with demo_sessions() as session:
        assert [d.number for d in due(session)] == [case.number]
        now = utcnow()
        counts = cases_by_agency(session, principal_of(session, "auditor"), now=now)
        files = [settings.evidence_dir / e.stored_name for e in session.scalars(
            select(EvidenceFile).join(Case).where(Case.number == case.number))]
    assert files and all(f.exists() for f in files)
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(settings.var_dir))
    netra = lambda *args: CliRunner().invoke(cli, list(args))  # noqa: E731

    before = fingerprint(demo_engine)
    dry = netra("privacy", "pseudonymise", "--json")
    assert dry.exit_code == 0 and [c["number"] for c in json.loads(dry.output)["cases"]] == [case.number]
    assert fingerprint(demo_engine) == before  # the dry run changes nothing
    done = netra("privacy", "pseudonymise", "--apply", "--actor", "admin")
    assert done.exit_code == 0, done.output

    with demo_sessions() as session:
        row = session.scalar(select(Case).where(Case.number == case.number))
        assert row.pseudonymised_at is not None
        assert [(p.name, p.position) for p in row.reported] == [("Terlapor 1", ""), ("Terlapor 2", "")]
        assert all(p.nip not in case.nips and p.nip.startswith("0") for p in row.reported)
        assert (row.reporter.name, row.reporter.address, row.reporter.email) == ("Pelapor", "", "")
        assert row.chronology == "Terlapor 1 dan Terlapor 2 mengunggah ajakan; Pelapor melihatnya."
        text = " ".join([row.summary, *(h.reason for h in row.history)])
        assert "Budi" not in text and "Pelapor Uji" not in text
        assert not row.evidence and all(p.decree_file is None for p in row.reported)
        assert all(p.decree_number for p in row.reported)  # the decree's record stays, its PDF is gone
        assert session.scalar(select(func.count()).select_from(ReportedASN).where(ReportedASN.case_id == row.id)) == 2
        # every count of the reports is what it was
        assert cases_by_agency(session, principal_of(session, "auditor"), now=now) == counts
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.pseudonymised")).one()
        assert event.actor == "admin" and len(event.after["files_removed"]) == 3  # evidence + two decrees
        untouched = session.scalar(select(Case).where(Case.number == kept.number))
        assert untouched.reported[0].name == "Rina Terlapor" and untouched.pseudonymised_at is None
        assert session.scalar(select(Reporter.name).where(Reporter.id == untouched.reporter_id)) == "Pelapor Uji"
    assert not any(f.exists() for f in files)
    again = netra("privacy", "pseudonymise", "--apply", "--actor", "admin")
    assert again.exit_code == 0 and "Tidak ada kasus" in again.output
