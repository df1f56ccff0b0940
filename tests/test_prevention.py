"""The register of prevention work (issue 21, item 2): each kind recorded and audited, every problem listed with
nothing written, the recorder's area, the signed PDF checked like evidence, versioned edits, deletion, the pledges
beside a reported ASN (agency-wide or their unit, before or after the incident), the desk's pages and forms, and
`netra prevention`. SQLite, but for the register's list and a change under its version on both databases."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.access.policy import Forbidden
from casework.access.view import case_view
from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import CaseworkError, ValidationError
from casework.models import Agency, AuditEvent, Case, PreventionActivity, ReportedASN
from casework.prevention.reads import activities, pledges_for
from casework.prevention.register import ActivityInput, delete_activity, edit_activity, record_activity
from casework.road.inputs import Upload
from casework.settings import Settings
from demo.loader import demo_decree_pdf
from tests.helpers import client_as, csrf, fingerprint, principal_of
from tests.helpers import sqlite_only  # noqa: F401  (SQLite unless a test says otherwise)
from tests.test_desk import app  # noqa: F401  (the desk on the demo database)

PDF = demo_decree_pdf("1/IKRAR/2024", title="IKRAR NETRALITAS ASN")
TODAY = date.today() - timedelta(days=1)  # yesterday: never "in the future" in any Indonesian time zone
PLEDGE = ActivityInput(kind="pledge", agency="pemkab-6402", region="6402", held_on=TODAY - timedelta(days=30),
                       signatories="1.250", unit_asn="1500", unit="Dinas Pendidikan",
                       document=Upload("ikrar.pdf", PDF))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.from_env({"NETRA_VAR_DIR": str(tmp_path)})


def record(sessions, data: ActivityInput, who: str, settings: Settings) -> int:
    with transaction(sessions) as session:
        return record_activity(session, data, principal=principal_of(session, who), settings=settings).id


def problems(sessions, data: ActivityInput, who: str, settings: Settings) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as raised, transaction(sessions) as session:
        record_activity(session, data, principal=principal_of(session, who), settings=settings)
    return [(p.field, p.code) for p in raised.value.problems]


# --- recording ----------------------------------------------------------------------------------------------------
def test_each_kind_is_recorded_with_its_fields_and_audited(demo_sessions, settings):
    ids = {
        "pledge": record(demo_sessions, PLEDGE, "penangan.kukar", settings),
        "socialisation": record(demo_sessions, ActivityInput(
            kind="socialisation", title="Sosialisasi di Tenggarong", region="6402", held_on=TODAY.isoformat(),
            participants="120"), "penangan.kukar", settings),
        "integrity_pact": record(demo_sessions, ActivityInput(
            kind="integrity_pact", agency="pemprov-64", held_on=TODAY, signatories=900), "penangan.kaltim",
            settings),
        "task_force": record(demo_sessions, ActivityInput(
            kind="task_force", agency="pemprov-64", region="64", held_on=TODAY, sk_number="800/123/2024"),
            "penangan.kaltim", settings),
    }
    with demo_sessions() as session:
        pledge = session.get(PreventionActivity, ids["pledge"])
        assert (pledge.signatories, pledge.unit_asn, round(pledge.share, 4)) == (1250, 1500, 0.8333)
        assert pledge.office.code == "bawaslu-6402" and pledge.recorded_by == "penangan.kukar"
        assert pledge.title == "Ikrar netralitas Dinas Pendidikan, Pemerintah Kabupaten Kutai Kartanegara"
        stored = settings.evidence_dir / pledge.document_file
        assert stored.read_bytes() == PDF and pledge.document_sha256 == PLEDGE.document.sha256
        assert pledge.document_file != "ikrar.pdf" and pledge.document_name == "ikrar.pdf"
        pact = session.get(PreventionActivity, ids["integrity_pact"])
        assert pact.region_code == "64" and pact.share is None  # the agency's region; no ASN count, no share
        assert session.get(PreventionActivity, ids["socialisation"]).participants == 120
        assert session.get(PreventionActivity, ids["task_force"]).reference == "800/123/2024"
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "prevention.recorded",
                                                          AuditEvent.entity_id.in_([str(i) for i in ids.values()])))
        assert {e.after["kind"]: e.actor for e in events} == {
            "pledge": "penangan.kukar", "socialisation": "penangan.kukar", "integrity_pact": "penangan.kaltim",
            "task_force": "penangan.kaltim"}


def test_every_problem_is_listed_and_nothing_is_written(demo_engine, demo_sessions, settings):
    before = fingerprint(demo_engine)
    found = problems(demo_sessions, replace(
        PLEDGE, signatories="2000", unit_asn="1500", held_on=date.today() + timedelta(days=3),
        unit="Dinas\x00Pendidikan", participants="10", notes="x" * 5001), "penangan.kukar", settings)
    assert set(found) == {("signatories", "prevention.more_than_asn"), ("held_on", "case.date_in_future"),
                          ("unit", "text.control_chars"), ("participants", "prevention.not_for_kind"),
                          ("notes", "too_long")}
    assert set(problems(demo_sessions, ActivityInput(kind="socialisation", region="9999", held_on="kemarin",
                                                     participants="-3", agency="tidak-ada"),
                        "penangan.kukar", settings)) == {
        ("title", "required"), ("region", "case.unknown_region"), ("held_on", "case.bad_date"),
        ("participants", "prevention.bad_count"), ("agency", "prevention.unknown_agency")}
    # Samarinda's government does not work in Kukar; a task force needs its decree number
    assert set(problems(demo_sessions, ActivityInput(kind="task_force", agency="pemkot-6472", region="6402",
                                                     held_on=TODAY), "penangan.kukar", settings)) == {
        ("agency", "prevention.agency_region"), ("sk_number", "required")}
    assert problems(demo_sessions, replace(PLEDGE, kind="banner"), "penangan.kukar", settings) == [
        ("kind", "bad_choice")]
    assert fingerprint(demo_engine) == before and not list(settings.evidence_dir.glob("*.pdf"))


def test_only_handlers_record_and_only_in_their_area(demo_engine, demo_sessions, settings):
    before = fingerprint(demo_engine)
    assert problems(demo_sessions, replace(PLEDGE, agency="", region="6502", document=None), "penangan.kukar",
                    settings) == [("agency", "required"), ("region", "access.region_outside_office")]
    for who in ("bkpsdm.kukar", "auditor", "pengawas.bkn"):
        with pytest.raises(Forbidden) as refused, transaction(demo_sessions) as session:
            record_activity(session, PLEDGE, principal=principal_of(session, who), settings=settings)
        assert refused.value.code == "access.prevention_handlers_only"
    assert fingerprint(demo_engine) == before


def test_a_disguised_or_other_file_is_refused(demo_engine, demo_sessions, settings):
    before = fingerprint(demo_engine)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    assert problems(demo_sessions, replace(PLEDGE, document=Upload("ikrar.pdf", png)), "penangan.kukar",
                    settings) == [("document", "evidence.disguised")]
    assert problems(demo_sessions, replace(PLEDGE, document=Upload("ikrar.png", png)), "penangan.kukar",
                    settings) == [("document", "prevention.document_pdf")]
    assert fingerprint(demo_engine) == before
    assert not list(settings.evidence_dir.glob("*.p*"))  # no file kept either


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_list_filters_and_a_change_needs_the_version_read(demo_sessions, settings, backend):
    pledge = record(demo_sessions, PLEDGE, "penangan.kukar", settings)
    with transaction(demo_sessions) as session:
        kukar = principal_of(session, "penangan.kukar")
        ours = [a.id for a in activities(session, kukar, region_code="64", kind="pledge")]
        assert pledge in ours and all(a.region_code.startswith("64") for a in activities(session, kukar,
                                                                                          region_code="64"))
        assert pledge not in [a.id for a in activities(session, kukar, region_code="6472")]
        assert {a.kind for a in activities(session, kukar, kind="task_force")} == {"task_force"}
        kaltim = session.scalar(select(Agency.id).where(Agency.code == "pemprov-64"))
        assert {a.agency_id for a in activities(session, kukar, agency_id=kaltim)} == {kaltim}
        first_file = session.get(PreventionActivity, pledge).document_file
        edit_activity(session, pledge, replace(PLEDGE, signatories="1300", document=Upload("baru.pdf", PDF + b"\n")),
                      version=1, principal=kukar, settings=settings)
    with pytest.raises(CaseworkError) as stale, transaction(demo_sessions) as session:
        edit_activity(session, pledge, replace(PLEDGE, signatories="1"), version=1,
                      principal=principal_of(session, "penangan.kukar"), settings=settings)
    assert stale.value.code == "prevention.stale"
    assert not (settings.evidence_dir / first_file).exists()  # replaced: the old file went with the commit
    with transaction(demo_sessions) as session:
        row = session.get(PreventionActivity, pledge)
        assert (row.signatories, row.version, row.document_name) == (1300, 2, "baru.pdf")
        second_file = row.document_file
        delete_activity(session, pledge, version=2, principal=principal_of(session, "penangan.kukar"),
                        settings=settings)
    with demo_sessions() as session:
        assert session.get(PreventionActivity, pledge) is None
        trail = {e.action: e for e in session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "prevention_activity", AuditEvent.entity_id == str(pledge)))}
        assert trail["prevention.edited"].before["signatories"] == 1250
        assert trail["prevention.edited"].after["signatories"] == 1300
        assert trail["prevention.deleted"].before["document"]["name"] == "baru.pdf"
    assert not (settings.evidence_dir / second_file).exists()


# --- pledges beside a reported person -----------------------------------------------------------------------------
def test_pledges_for_a_person_are_agency_wide_or_their_unit_before_or_after_the_incident(demo_sessions, settings):
    with demo_sessions() as session:
        person = session.scalars(select(ReportedASN).join(Case).join(Agency, ReportedASN.agency_id == Agency.id)
                                 .where(Agency.code == "pemkab-6402", Case.occurred_on <= TODAY - timedelta(days=2))
                                 .order_by(ReportedASN.id)).first()
        occurred, unit, person_id = person.case.occurred_on, person.work_unit, person.id
    wide = record(demo_sessions, replace(PLEDGE, unit="", held_on=occurred - timedelta(days=10)), "penangan.kukar",
                  settings)
    own = record(demo_sessions, replace(PLEDGE, unit=f"  {unit.upper()} ", held_on=occurred + timedelta(days=1),
                                        document=None), "penangan.kukar", settings)
    same = record(demo_sessions, replace(PLEDGE, unit="", held_on=occurred, document=None), "penangan.kukar", settings)
    other_unit = record(demo_sessions, replace(PLEDGE, unit="Dinas Kesehatan"), "penangan.kukar", settings)
    other_agency = record(demo_sessions, replace(PLEDGE, agency="pemprov-64", unit=""), "penangan.kukar", settings)
    social = record(demo_sessions, ActivityInput(kind="socialisation", title="Sosialisasi", region="6402",
                                                 agency="pemkab-6402", held_on=TODAY, participants=40),
                    "penangan.kukar", settings)
    with demo_sessions() as session:
        found = {p.activity_id: p.when for p in pledges_for(session, session.get(ReportedASN, person_id))}
    assert {wide: "before", own: "after", same: "same_day"}.items() <= found.items()
    assert not {other_unit, other_agency, social} & set(found)


def test_the_case_page_says_when_the_agency_signed_its_pledge(app, demo_sessions):  # noqa: F811
    with demo_sessions() as session:
        demo_pledge = session.scalar(select(PreventionActivity).where(PreventionActivity.kind == "pledge"))
        case = session.scalars(select(Case).join(ReportedASN).join(Agency, ReportedASN.agency_id == Agency.id)
                               .where(Agency.code == "pemkab-6402", Case.regency_code == "6402",
                                      Case.occurred_on > demo_pledge.held_on).order_by(Case.id)).first()
        number, pledge_id = case.number, demo_pledge.id
    page = client_as(app, "penangan.kukar").get(f"/kasus/{number}").get_data(as_text=True)
    assert "Instansi ini menandatangani ikrar netralitas pada" in page and "sebelum kejadian" in page
    assert f'href="/pencegahan/{pledge_id}"' in page and "11.240 penanda tangan, 83,2%" in page
    with demo_sessions() as session:  # the same in the case's data (`netra case show --json`, the API)
        people = case_view(session, principal_of(session, "penangan.kukar"), number)["reported"]
        assert any(g["activity_id"] == pledge_id and g["when"] == "before" for p in people for g in p["pledges"])


# --- the desk -----------------------------------------------------------------------------------------------------
def test_the_desk_lists_records_serves_the_document_and_refuses_bad_input(app, demo_engine):  # noqa: F811
    handler = client_as(app, "penangan.kukar")
    listing = handler.get("/pencegahan/?kind=pledge&region=6402").get_data(as_text=True)
    assert "Ikrar netralitas ASN Pemerintah Kabupaten Kutai Kartanegara" in listing and "83,2%" in listing
    assert "Satgas netralitas ASN" not in listing
    for odd in ("/pencegahan/?region=%3Cscript%3E&agency=x&kind=zz", "/pencegahan/?agency=pemprov-64"):
        assert handler.get(odd).status_code == 200
    form = handler.get("/pencegahan/baru/pledge").get_data(as_text=True)
    assert 'name="signatories"' in form and 'name="participants"' not in form and 'name="document"' in form
    fields = {"agency": "pemkab-6402", "region": "6402", "held_on": TODAY.isoformat(), "signatories": "300",
              "unit_asn": "310", "unit": "Kecamatan Tenggarong"}
    assert handler.post("/pencegahan/baru/pledge", data=fields).status_code == 400  # no CSRF token
    before = fingerprint(demo_engine)
    bad = handler.post("/pencegahan/baru/pledge", data=fields | {
        "csrf_token": csrf(form), "signatories": "banyak", "held_on": "2999-01-01", "region": "6502",
        "participants": "5"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "tidak ada yang disimpan" in text and "bukan jumlah orang yang valid" in text
    assert fingerprint(demo_engine) == before
    done = handler.post("/pencegahan/baru/pledge", data=fields | {"csrf_token": csrf(form), "document": (
        io.BytesIO(PDF), "ikrar kecamatan.pdf")}, content_type="multipart/form-data")
    assert done.status_code == 302
    page = handler.get(done.headers["Location"]).get_data(as_text=True)
    assert "96,8%" in page and "ikrar kecamatan.pdf" in page
    activity_id = int(done.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    download = handler.get(f"/pencegahan/{activity_id}/dokumen")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")
    with Session(demo_engine) as session:  # the stored file changed, then gone: nothing served, no 500
        stored = app.config["NETRA_SETTINGS"].evidence_dir / session.get(PreventionActivity, activity_id).document_file
    stored.write_bytes(PDF + b"%changed")
    assert handler.get(f"/pencegahan/{activity_id}/dokumen").status_code == 404
    stored.unlink()
    assert handler.get(f"/pencegahan/{activity_id}/dokumen").status_code == 404
    stored.write_bytes(PDF)
    stale = handler.post(f"/pencegahan/{activity_id}/ubah", data=fields | {"csrf_token": csrf(page), "version": "0"})
    assert stale.status_code == 409 and "telah diubah orang lain" in stale.get_data(as_text=True)
    changed = handler.post(f"/pencegahan/{activity_id}/ubah", data=fields | {"csrf_token": csrf(page), "version": "1",
                                                                           "signatories": "305"})
    assert changed.status_code == 302
    assert handler.post(f"/pencegahan/{activity_id}/hapus", data={"csrf_token": csrf(page), "version": "2"}) \
        .status_code == 302
    assert handler.get(f"/pencegahan/{activity_id}").status_code == 404
    assert handler.get("/pencegahan/baru/spanduk").status_code == 404


def test_who_sees_the_register_and_who_may_record(app):  # noqa: F811
    officer = client_as(app, "bkpsdm.kukar")
    listing = officer.get("/pencegahan/").get_data(as_text=True)
    assert "Ikrar netralitas ASN" in listing and "/pencegahan/baru/" not in listing
    refused = officer.get("/pencegahan/baru/pledge")
    assert refused.status_code == 403 and "hanya penangan Bawaslu" in refused.get_data(as_text=True)
    assert client_as(app, "admin").get("/pencegahan/").status_code == 404  # no case content, no dashboard
    assert app.test_client().get("/pencegahan/").status_code == 302  # to the login


# --- the command line ---------------------------------------------------------------------------------------------
def test_netra_prevention_add_and_list(demo_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    pdf = tmp_path / "pakta.pdf"
    pdf.write_bytes(PDF)
    run = lambda *args: CliRunner().invoke(cli, list(args))  # noqa: E731
    added = run("prevention", "add", "--kind", "integrity_pact", "--agency", "pemprov-64", "--date",
                TODAY.isoformat(), "--signatories", "50", "--unit-asn", "80", "--document", str(pdf), "--json")
    assert added.exit_code == 0, added.output
    row = json.loads(added.output)
    assert (row["region"], row["office"], row["share"], row["document"]["name"]) == ("64", "bawaslu-64", 0.625,
                                                                                      "pakta.pdf")
    listed = json.loads(run("prevention", "list", "--region", "64", "--kind", "integrity_pact", "--json").output)
    assert row["id"] in [x["id"] for x in listed] and {x["kind"] for x in listed} == {"integrity_pact"}
    refused = run("prevention", "add", "--kind", "pledge", "--actor", "penangan.kukar", "--agency", "pemprov-64",
                  "--region", "64", "--date", TODAY.isoformat(), "--signatories", "5")
    assert refused.exit_code == 1 and "di luar wilayah kantor" in refused.output
