"""Clarification hearings (issue 16, item 2): a hearing's date, time, place and invitees, one invitation letter per
invitee printing them, rescheduling with new letters, minutes only once the hearing's date has come, dated by it,
with who came and who did not — on SQLite and PostgreSQL, through the commands, the letters and the desk."""
import io
from datetime import UTC, date, datetime, timedelta

import pypdf
import pytest
from sqlalchemy import select

from casework.access.principal import SYSTEM
from casework.errors import CaseworkError, ValidationError
from casework.i18n.dates import indonesian_day_date
from casework.letters.issue import issue_letter, stored_pdf
from casework.models import Case, Hearing, Letter, LetterRequest, utcnow
from casework.reference.timezones import local_today
from tests.builder import Builder, Person
from tests.helpers import client_as, csrf, invitation
from tests.test_desk import app  # noqa: F401  (the desk fixture)
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the hearing's rules and letters, not SQL)

TODAY = local_today("WITA", utcnow())


def text_of(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def wita(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def issue_all(sessions, settings, number: str, kind: str) -> dict[str, str]:
    """Issue every owed letter of `kind` as Netra itself: {addressee label: the PDF's text}."""
    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        rows = session.scalars(select(LetterRequest).where(LetterRequest.case_id == case_id,
                                                           LetterRequest.kind == kind,
                                                           LetterRequest.status == "open")).all()
        owed = [(r.id, r.addressee_label) for r in rows]
    out = {}
    for request_id, label in owed:
        letter = issue_letter(sessions, request_id, SYSTEM, settings=settings)
        with sessions() as session:
            out[label] = text_of(stored_pdf(session, letter, settings))
    return out


@pytest.fixture
def registered(demo_sessions, netra_settings):
    return Builder(demo_sessions, netra_settings).laporan(Person("Budi Hartono"), Person("Sari Wulandari"),
                                                          witnesses=("Wati Saksi",)).register()


def test_each_invitee_gets_a_letter_with_the_hearings_date_time_place_and_their_role(
        registered, demo_sessions, netra_settings):
    on = TODAY + timedelta(days=9)
    registered.invite(on, hearing_time="13.30", hearing_place="Aula Kantor Bawaslu Kukar, Tenggarong",
                      invitees=[f"reported:{registered.nips[0]}", "reporter"], others="Dr. Ahli Bahasa; ahli")
    letters = issue_all(demo_sessions, netra_settings, registered.number, "clarification_invitation")
    assert set(letters) == {"Sdr. Budi Hartono", "Sdr. Pelapor Uji", "Sdr. Dr. Ahli Bahasa"}  # not Sari: not invited
    for label, role in [("Sdr. Budi Hartono", "sebagai Terlapor"), ("Sdr. Pelapor Uji", "sebagai Pelapor"),
                        ("Sdr. Dr. Ahli Bahasa", "sebagai ahli")]:
        text = letters[label]
        assert indonesian_day_date(on) in text and "13.30 WITA" in text, text
        assert "Aula Kantor Bawaslu Kukar, Tenggarong" in text and role in text
        assert f"Saudara {label.removeprefix('Sdr. ')}" in text
    assert "Bupati Kutai Kartanegara" in letters["Sdr. Budi Hartono"]  # the PPK's copy: on the ASN's letter only
    assert "Bupati" not in letters["Sdr. Pelapor Uji"]
    with demo_sessions() as session:
        hearing = session.scalar(select(Hearing).join(Case).where(Case.number == registered.number))
        assert (hearing.scheduled_on, f"{hearing.scheduled_time:%H:%M}", hearing.status) == (on, "13:30", "scheduled")
        assert [(i.kind, i.name) for i in hearing.invitees] == [
            ("reported", "Budi Hartono"), ("reporter", "Pelapor Uji"), ("other", "Dr. Ahli Bahasa")]


@pytest.mark.parametrize("fields, field, code", [
    ({"hearing_date": (TODAY - timedelta(days=1)).isoformat()}, "hearing_date", "hearing.date_past"),
    ({"hearing_time": "25:00"}, "hearing_time", "input.bad_time"),
    ({"invitees": ["reported:199999999999999999"]}, "invitees", "hearing.unknown_invitee"),
    ({"invitees": [], "others": ""}, "invitees", "hearing.no_invitee"),
    ({"hearing_place": ""}, "hearing_place", "required"),
])
def test_an_invitation_is_refused_with_its_problem(registered, fields, field, code):
    with pytest.raises(ValidationError) as refused:
        registered.step("invite_clarification", registered.handler, **invitation(nips=registered.nips) | fields)
    assert (field, code) in [(p.field, p.code) for p in refused.value.problems]


def test_a_rescheduled_hearing_gets_new_letters_and_the_old_unissued_ones_go(registered, demo_sessions,
                                                                            netra_settings):
    registered.invite(TODAY + timedelta(days=2))
    first = issue_all(demo_sessions, netra_settings, registered.number, "clarification_invitation")
    assert set(first) == {"Sdr. Budi Hartono", "Sdr. Sari Wulandari"}
    registered.step("reschedule_clarification", registered.handler, hearing_date=(TODAY + timedelta(days=5)).isoformat(),
                    hearing_time="10:00", hearing_place="Kantor Bawaslu Kukar", reason="terlapor sedang dinas luar")
    registered.step("reschedule_clarification", registered.handler, hearing_date=(TODAY + timedelta(days=6)).isoformat(),
                    hearing_time="10:00", hearing_place="Kantor Bawaslu Kukar", reason="ruang dipakai")
    again = issue_all(demo_sessions, netra_settings, registered.number, "clarification_invitation")
    assert set(again) == {"Sdr. Budi Hartono", "Sdr. Sari Wulandari"}  # the second schedule's were never issued
    for text in again.values():
        assert "Penjadwalan Ulang" in text and "dijadwalkan ulang karena ruang dipakai" in text
        assert indonesian_day_date(TODAY + timedelta(days=6)) in text and "10.00 WITA" in text
    with demo_sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == registered.number))
        statuses = sorted(r.status for r in session.scalars(select(LetterRequest).where(
            LetterRequest.case_id == case_id, LetterRequest.kind == "clarification_invitation")))
        assert statuses == ["cancelled", "cancelled", "issued", "issued", "issued", "issued"]
        assert [h.status for h in session.scalars(select(Hearing).where(Hearing.case_id == case_id)
                                                  .order_by(Hearing.id))] == ["rescheduled", "rescheduled", "scheduled"]
        # the first letters stay valid records of what was sent (not superseded: they were right when sent)
        assert {x.status for x in session.scalars(select(Letter).where(Letter.case_id == case_id))} == {"issued"}


def test_minutes_wait_for_the_hearing_and_are_dated_by_it_with_who_came(registered, demo_sessions,
                                                                      netra_settings):
    on = TODAY + timedelta(days=3)
    registered.invite(on, invitees=[f"reported:{n}" for n in registered.nips] + ["witness:1"])
    with pytest.raises(CaseworkError) as early:
        registered.step("record_clarification", registered.handler, minutes="Terlapor hadir",
                        attended=[f"reported:{registered.nips[0]}"])
    assert early.value.code == "hearing.not_yet"
    with pytest.raises(ValidationError) as stranger:
        registered.step("record_clarification", registered.handler, minutes="x", attended=["reporter"],
                        at=wita(on + timedelta(days=1)))
    assert stranger.value.problems[0].code == "hearing.not_invited"
    # typed two days after the hearing: the minutes still say the hearing's day
    registered.step("record_clarification", registered.handler, minutes="Terlapor mengakui unggahan",
                    attended=[f"reported:{registered.nips[0]}", "witness:1"], at=wita(on + timedelta(days=2)))
    minutes = issue_all(demo_sessions, netra_settings, registered.number, "clarification_minutes")["Berita acara"]
    assert f"Pada hari ini, {indonesian_day_date(on)}, pukul 09.00 WITA" in minutes
    assert "Yang hadir: 1. Budi Hartono (Terlapor) 2. Wati Saksi (Saksi)" in minutes
    assert "Yang tidak hadir: 1. Sari Wulandari (Terlapor)" in minutes
    assert "Terlapor mengakui unggahan" in minutes
    with demo_sessions() as session:
        hearing = session.scalar(select(Hearing).join(Case).where(Case.number == registered.number))
        assert (hearing.status, hearing.minutes_recorded_on) == ("held", on + timedelta(days=2))
        assert [i.attended for i in hearing.invitees] == [True, False, True]


def test_the_desk_invites_with_checkboxes_and_shows_the_hearing(app, registered, demo_sessions):  # noqa: F811
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{registered.number}").get_data(as_text=True)
    assert 'type="time"' in page and f'value="reported:{registered.nips[0]}"' in page and 'value="reporter"' in page
    data = {"csrf_token": csrf(page), "version": str(registered.version()), "hearing_date": TODAY.isoformat(),
            "hearing_time": "9.5", "hearing_place": "Kantor", "invitees": [f"reported:{registered.nips[1]}", "reporter"]}
    refused = handler.post(f"/kasus/{registered.number}/langkah/invite_clarification", data=data)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "bukan jam yang valid" in body
    assert 'value="reporter" id="invite_clarification-invitees-' in body and "checked" in body  # kept as typed
    data["hearing_time"] = "09:15"
    assert handler.post(f"/kasus/{registered.number}/langkah/invite_clarification", data=data).status_code == 302
    page = handler.get(f"/kasus/{registered.number}").get_data(as_text=True)
    assert 'id="hearings"' in page and "09.15 WITA" in page and "Sari Wulandari (Terlapor)" in page
    assert "Pelapor Uji (Pelapor)" in page and 'data-step="reschedule_clarification"' in page
    assert 'data-step="record_clarification"' in page and 'name="attended"' in page
    # the head sees the hearing but not whom else it invited (the reporter's identity is the handlers')
    head = client_as(app, "ketua.kukar").get(f"/kasus/{registered.number}").get_data(as_text=True)
    assert "Sari Wulandari (Terlapor)" in head and "Pelapor Uji" not in head and "1 undangan lain dirahasiakan" in head
    assert head.count('data-letter="clarification_invitation"') == 1  # Sari's; the reporter's is not offered


def test_the_cli_takes_the_hearing_as_options(registered, demo_sessions, demo_engine, netra_settings, monkeypatch):
    from click.testing import CliRunner

    from casework.cli import cli

    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(netra_settings.var_dir))
    help_text = CliRunner().invoke(cli, ["case", "step", "invite_clarification", "--help"]).output
    assert "--hearing-time HH:MM" in help_text and "--invitees KODE" in help_text
    result = CliRunner().invoke(cli, [
        "case", "step", "invite_clarification", registered.number, "--actor", "penangan.kukar",
        "--hearing-date", TODAY.isoformat(), "--hearing-time", "08:00", "--hearing-place", "Kantor",
        "--invitees", f"reported:{registered.nips[0]}", "--invitees", "witness:1"])
    assert result.exit_code == 0, result.output
    with demo_sessions() as session:
        hearing = session.scalar(select(Hearing).join(Case).where(Case.number == registered.number))
        assert [i.kind for i in hearing.invitees] == ["reported", "witness"]


def test_a_case_merged_before_its_hearing_calls_the_hearing_off(registered, demo_sessions, netra_settings):
    """Merged during clarification: the hearing is cancelled and its invitations not yet issued are never sent."""
    target = Builder(demo_sessions, netra_settings).laporan(Person("Budi Hartono")).register()
    registered.invite(TODAY + timedelta(days=3))
    registered.step("merge", registered.handler, into=target.number, note="Peristiwa yang sama")
    with demo_sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == registered.number))
        assert [h.status for h in session.scalars(select(Hearing).where(Hearing.case_id == case_id))] == ["cancelled"]
        assert {r.status for r in session.scalars(select(LetterRequest).where(
            LetterRequest.case_id == case_id, LetterRequest.kind == "clarification_invitation"))} == {"cancelled"}
