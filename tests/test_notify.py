"""Everyone concerned is told (issue 17 item 5), on both databases, by real SMTP on loopback: the oversight body's
officers at a forward, the BKPSDM and the PPK at a recommendation, the handling office at a decree, the reporter at
registration and at the close — each exactly once, whatever is re-run — and a missing address is a task on the
case page until the administrator fills the directory."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from casework.access.view import case_view
from casework.adapters.db import transaction
from casework.mail import correspondence, outbox
from casework.models import Agency, Case, OutboxMessage, OversightBody
from casework.settings import Settings
from tests.builder import Builder, Person, as_user
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: who is told, not SQL)

REPORTER = "pelapor.uji@warga.test"
KUKAR = {"inbox": "kukar@bawaslu.demo.test", "handler": "penangan.kukar@demo.netra.test"}
BKN = {"inbox": "netralitas@bkn.demo.test", "officer": "pengawas.bkn@demo.netra.test"}
PEMKAB = {"bkpsdm": "bkpsdm@kukar.demo.test", "officer": "bkpsdm.kukar@demo.netra.test",
          "ppk": "bupati@kukarkab.demo.test"}
PEMPROV = {"bkpsdm": "bkd@kaltimprov.demo.test", "officer": "bkpsdm.kaltim@demo.netra.test",
           "ppk": "gubernur@kaltimprov.demo.test"}


def notices(mail, number: str) -> list:
    return [m for m in mail.received if number in m.subject and m.key.startswith("notify:")]


def send_twice(sessions, settings: Settings, case_id: int) -> None:
    """The outbox worker, then a re-run of it (a retried Airflow task): the second sends nothing."""
    outbox.send_pending(sessions, settings=settings, case_id=case_id)
    assert outbox.send_pending(sessions, settings=settings, case_id=case_id).sent == 0


def case_id_of(sessions, number: str) -> int:
    with sessions() as session:
        return session.scalar(select(Case.id).where(Case.number == number))


def test_everyone_concerned_is_told_once_per_event(demo_sessions, mail, netra_settings):
    builder = Builder(demo_sessions, netra_settings)
    case = builder.laporan(Person("Budi Terlapor"), Person("Sari Terlapor", agency="pemprov-64"),
                           reporter_email=REPORTER)
    case_id = case_id_of(demo_sessions, case.number)
    budi, sari = case.nips

    case.register()  # the reporter: their report is registered
    send_twice(demo_sessions, netra_settings, case_id)
    [registered] = notices(mail, case.number)
    assert registered.rcpt_tos == [REPORTER] and "Diregistrasi" in registered.subject
    assert "https://netra.test/status" in registered.text and "Budi" not in registered.text  # nothing personal

    case.invite()  # then on to the plenary and the forward (as Builder.forward, registration done)
    case.step("record_clarification", case.handler, minutes="Terlapor hadir", attended=[f"reported:{budi}"])
    case.step("submit_study", case.handler, conclusion="Unsur pelanggaran terpenuhi")
    case.step("decide_plenary", case.head, outcome="violation", reasoning="Terbukti melanggar netralitas")
    case.step("forward", case.head)  # the oversight body's inbox and its officer
    send_twice(demo_sessions, netra_settings, case_id)
    forwarded = [m for m in notices(mail, case.number) if ":oversight:" in m.key]
    assert sorted(r for m in forwarded for r in m.rcpt_tos) == sorted(BKN.values())
    text = forwarded[0].text
    assert "Yth. Badan Kepegawaian Negara" in text and "Budi Terlapor" in text and "Sari Terlapor" in text
    assert "Batas waktu :" in text and "target kebijakan" in text and f"https://netra.test/kasus/{case.number}" in text
    # the reporter heard of the forward by its status letter (not doubled by a notice)
    assert not [m for m in notices(mail, case.number) if m.rcpt_tos == [REPORTER] and m is not registered]

    case.recommend(budi)
    case.recommend(sari, sanction="moral.tertutup")  # each agency's BKPSDM (inbox and officer) and its PPK
    send_twice(demo_sessions, netra_settings, case_id)
    recommended = [m for m in notices(mail, case.number) if ":bkpsdm:" in m.key or ":ppk:" in m.key]
    assert sorted(r for m in recommended for r in m.rcpt_tos) == sorted([*PEMKAB.values(), *PEMPROV.values()])
    to_bupati = next(m for m in recommended if m.rcpt_tos == [PEMKAB["ppk"]])
    assert "Yth. Bupati Kutai Kartanegara" in to_bupati.text and "Budi Terlapor" in to_bupati.text
    assert "Sari" not in to_bupati.text  # a notice about one employee names only them
    assert "Pernyataan secara terbuka".lower() in to_bupati.text.lower() and "Batas waktu :" in to_bupati.text

    case.sanction(budi)
    case.sanction(sari, sanction="moral.tertutup")  # the handling office at each decree; the reporter at the close
    send_twice(demo_sessions, netra_settings, case_id)
    decrees = [m for m in notices(mail, case.number) if ":office:" in m.key]
    assert Counter(r for m in decrees for r in m.rcpt_tos) == Counter({a: 2 for a in KUKAR.values()})
    [closed] = [m for m in notices(mail, case.number) if m.rcpt_tos == [REPORTER] and m is not registered]
    assert "Selesai" in closed.subject and "Sari" not in closed.text and "Terlapor 1" in closed.text
    last = next(m for m in decrees if m.rcpt_tos == [KUKAR["inbox"]] and "Sari" in m.subject)
    assert "kasus selesai" in last.text and "800/" in last.text

    # every recipient got each event once: re-running the whole delivery (letters too) sends no notice again
    before = len(notices(mail, case.number))
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    assert len(notices(mail, case.number)) == before
    keyed = Counter((m.key, tuple(m.rcpt_tos)) for m in notices(mail, case.number))
    assert set(keyed.values()) == {1}
    with demo_sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case_id,
                                                           OutboxMessage.dedup_key.like("notify:%"))).all()
        assert len(rows) == before and {r.status for r in rows} == {"sent"}


def test_a_missing_address_is_a_task_until_the_directory_has_it(demo_sessions, mail, netra_settings):
    builder = Builder(demo_sessions, netra_settings)
    case = builder.laporan(Person("Budi Terlapor"))
    with transaction(demo_sessions) as session:  # the directory lacks the BKPSDM's and the PPK's addresses
        agency = session.scalar(select(Agency).where(Agency.code == "pemkab-6402"))
        agency.personnel_unit_email = agency.ppk_email = ""
    case.forward()
    case.recommend(case.nips[0])
    handler = as_user(demo_sessions, "penangan.kukar")

    def tasks(who=handler):
        with demo_sessions() as session:
            return [(t["kind"], t["name"]) for t in case_view(session, who, case.number)["address_tasks"]]

    assert tasks() == [("bkpsdm", "BKPSDM Kabupaten Kutai Kartanegara"), ("ppk", "Bupati Kutai Kartanegara")]
    assert tasks(as_user(demo_sessions, "bkpsdm.kukar")) == []  # a task for the handling office only
    outbox.send_pending(demo_sessions, settings=netra_settings, case_id=case_id_of(demo_sessions, case.number))
    told = [r for m in notices(mail, case.number) if "rekomendasi" in m.subject.lower() for r in m.rcpt_tos]
    assert told == [PEMKAB["officer"]]  # the officer's desk account is still told; no inbox, no PPK

    with transaction(demo_sessions) as session:  # the administrator fills the directory
        agency = session.scalar(select(Agency).where(Agency.code == "pemkab-6402"))
        agency.personnel_unit_email, agency.ppk_email = PEMKAB["bkpsdm"], PEMKAB["ppk"]
    assert tasks() == []


def test_an_oversight_body_without_address_is_a_task_and_sync_keeps_the_admins_address(demo_sessions,
                                                                                      netra_settings):
    from casework.reference.sync import sync_reference_data

    with transaction(demo_sessions) as session:
        session.scalar(select(OversightBody).where(OversightBody.code == "BKN")).email = ""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Budi Terlapor")).forward()
    handler = as_user(demo_sessions, "penangan.kukar")
    with demo_sessions() as session:
        assert [t["kind"] for t in case_view(session, handler, case.number)["address_tasks"]] == ["oversight"]
    with transaction(demo_sessions) as session:
        session.scalar(select(OversightBody).where(OversightBody.code == "BKN")).email = "bkn@direktori.test"
    with transaction(demo_sessions) as session:
        sync_reference_data(session)  # a later sync (every `netra setup`) does not undo the administrator's edit
    with demo_sessions() as session:
        assert session.scalar(select(OversightBody.email).where(OversightBody.code == "BKN")) == "bkn@direktori.test"
        assert case_view(session, handler, case.number)["address_tasks"] == []


def test_invitations_go_to_their_invitee_never_to_the_agency(demo_sessions, mail, netra_settings):
    """The reported ASN has no email in Netra: their invitation is for the office to deliver by hand (never mailed
    to their BKPSDM); the reporter's goes to the reporter's own address."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Budi Terlapor"), reporter_email=REPORTER)
    case.register().invite(invitees=[f"reported:{case.nips[0]}", "reporter"])
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    invitations = [m for m in mail.received if "Undangan Klarifikasi" in m.subject]
    assert len(invitations) == 2
    [to_budi] = [m for m in invitations if "Yth. Sdr. Budi Terlapor" in m.text]
    [to_reporter] = [m for m in invitations if "Yth. Sdr. Pelapor Uji" in m.text]
    assert to_budi.rcpt_tos == [KUKAR["inbox"]] and PEMKAB["bkpsdm"] not in str(to_budi.message["To"])
    assert "diantar langsung" in to_budi.text
    assert sorted(to_reporter.rcpt_tos) == sorted([REPORTER, KUKAR["inbox"]])
    assert "diantar langsung" not in to_reporter.text


def test_the_administrator_completes_the_directory_and_the_task_goes(demo_engine, demo_sessions, tmp_path,
                                                                    netra_settings):
    """Kementerian Agama's PPK has no address in the demo: its case shows the task to the handling office; the
    administrator fills it in on the desk (Direktori → Instansi), a bad address refused with nothing changed; nobody
    else reaches the directory."""
    from dataclasses import replace

    from admin import create_app
    from casework.models import AuditEvent
    from tests.helpers import client_as, csrf

    case = Builder(demo_sessions, netra_settings).laporan(Person("Budi Terlapor", agency="kemenag")).forward()
    case.recommend(case.nips[0])
    app = create_app(replace(netra_settings, database_url=demo_engine.url.render_as_string(hide_password=False),
                             secret_key="test-secret"))
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert 'id="address-tasks"' in page and "Alamat email PPK (Menteri Agama) belum ada" in page
    assert "kirim manual / lengkapi di Direktori" in page
    for who in ("penangan.kukar", "pengawas.bkn", "auditor"):
        assert client_as(app, who).get("/direktori/instansi/").status_code == 404

    admin = client_as(app, "admin")
    with demo_sessions() as session:
        agency = session.scalar(select(Agency).where(Agency.code == "kemenag"))
        url = f"/direktori/instansi/edit/?id={agency.id}"
        fields = {"name": agency.name, "personnel_unit_name": agency.personnel_unit_name,
                  "personnel_unit_email": agency.personnel_unit_email, "ppk_title": agency.ppk_title,
                  "ppk_email": "menteri", "ppk_supervisor": agency.ppk_supervisor, "city": agency.city,
                  "address": agency.address}
    refused = admin.post(url, data={**fields, "csrf_token": csrf(admin.get(url).get_data(as_text=True))})
    assert "bukan alamat email yang sah" in refused.get_data(as_text=True)
    with demo_sessions() as session:
        assert session.scalar(select(Agency.ppk_email).where(Agency.code == "kemenag")) == ""
    admin.post(url, data={**fields, "ppk_email": " ppk@kemenag.demo.test ",
                          "csrf_token": csrf(admin.get(url).get_data(as_text=True))})
    with demo_sessions() as session:
        assert session.scalar(select(Agency.ppk_email).where(Agency.code == "kemenag")) == "ppk@kemenag.demo.test"
        assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "agency.changed"
    assert 'id="address-tasks"' not in handler.get(f"/kasus/{case.number}").get_data(as_text=True)
