"""Opening a case: valid input is recorded with history and audit; every invalid input is refused with a clear
message in Bahasa Indonesia (English available), and the database is left exactly as it was."""
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from casework import audit
from casework.adapters.db import transaction
from casework.errors import ValidationError
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.models import AuditEvent, Case, StageChange, utcnow
from casework.reference.timezones import local_today
from casework.road.stages import Stage
from tests.helpers import fingerprint, principal_of

# The Kukar office is in WITA: "today" for its reports is the WITA date, which is not always the UTC one.
TODAY = local_today("WITA", utcnow())


def valid_input(**changes) -> IntakeInput:
    data = IntakeInput(
        source="laporan", election="simulasi-pilkada-6402", office="bawaslu-6402", regency="6402", district="640201",
        place="Halaman kantor desa", occurred_on=TODAY - timedelta(days=3), known_on=TODAY - timedelta(days=2),
        received_on=TODAY - timedelta(days=1), summary="ASN mengunggah ajakan memilih",
        chronology="Terlapor mengunggah ajakan memilih pasangan calon di media sosial.",
        violations=["etik.sosialisasi_medsos"],
        reported=[ReportedInput(nip="198503122010011003", name="Contoh Terlapor", position="Guru",
                                agency="pemkab-6402")],
        reporter=ReporterInput(name="Contoh Pelapor", address="Jl. Contoh No. 1, Tenggarong"),
        witnesses=[WitnessInput(name="Contoh Saksi")],
    )
    return replace(data, **changes)


def reported(**changes) -> list[ReportedInput]:
    return [replace(valid_input().reported[0], **changes)]


def test_a_valid_report_is_recorded_with_history_and_audit(demo_sessions):
    with transaction(demo_sessions) as session:
        case = open_case(session, valid_input(), principal=principal_of(session, "penangan.kukar"))
        number = case.number
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case.stage == Stage.RECEIVED
        assert number.startswith(f"LP-6402-{(TODAY - timedelta(days=1)).year}-")
        assert [(h.from_stage, h.to_stage, h.actor) for h in case.history] == [(None, "received", "penangan.kukar")]
        assert case.reporter.name == "Contoh Pelapor"
        assert [p.nip for p in case.reported] == ["198503122010011003"]
        event = session.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id))
        assert event.action == "case.opened" and event.after["number"] == number
        assert "reporter" not in event.after  # whistle-blower identity stays out of the trail
        assert audit.verify_chain(session) is None


def test_case_numbers_follow_a_sequence_per_office_and_year(demo_sessions):
    numbers = []
    for source in ("laporan", "temuan"):
        with transaction(demo_sessions) as session:
            numbers.append(open_case(session, valid_input(source=source, found_by="Panwaslu Kecamatan"),
                                     principal=principal_of(session, "penangan.kukar")).number)
    first, second = (int(n.rsplit("-", 1)[1]) for n in numbers)
    assert second == first + 1
    assert numbers[0].startswith("LP-") and numbers[1].startswith("TM-")


BAD_INPUTS = {
    "unknown regency": (dict(regency="9999", district=None), "regency", "case.unknown_region"),
    "unknown district": (dict(district="640299"), "district", "case.unknown_region"),
    "district of another regency": (dict(district="647201"), "district", "case.district_outside_regency"),
    "unknown election": (dict(election="pemilu-1999"), "election", "case.unknown_election"),
    "regency outside the pilkada": (dict(regency="6472", district=None), "regency", "case.region_outside_election"),
    "unknown office": (dict(office="bawaslu-0000"), "office", "case.unknown_office"),
    "malformed NIP": (dict(reported=reported(nip="19850312201001100")), "reported[0].nip", "nip.length"),
    "NIP with a bad birth date": (dict(reported=reported(nip="198513122010011003")), "reported[0].nip",
                                 "nip.birth_date"),
    "same NIP twice": (dict(reported=reported() * 2), "reported[1].nip", "case.duplicate_nip"),
    "unknown agency": (dict(reported=reported(agency="nowhere")), "reported[0].agency", "case.unknown_agency"),
    "unknown ASN kind": (dict(reported=reported(asn_kind="TNI")), "reported[0].asn_kind", "bad_choice"),
    "known before occurred": (dict(occurred_on=TODAY - timedelta(days=2), known_on=TODAY - timedelta(days=3),
                                   received_on=TODAY), "known_on", "case.known_before_occurred"),
    "received before known": (dict(known_on=TODAY - timedelta(days=1), received_on=TODAY - timedelta(days=2)),
                              "received_on", "case.received_before_known"),
    "date in the future": (dict(received_on=TODAY + timedelta(days=1)), "received_on", "case.date_in_future"),
    "not a date": (dict(occurred_on="31-02-2024"), "occurred_on", "case.bad_date"),
    "missing summary": (dict(summary="  "), "summary", "required"),
    "missing place": (dict(place=""), "place", "required"),
    "missing chronology": (dict(chronology=""), "chronology", "required"),
    "missing received date": (dict(received_on=None), "received_on", "required"),
    "report without reporter": (dict(reporter=None), "reporter", "case.reporter_required"),
    "reporter without address": (dict(reporter=ReporterInput(name="X", address="")), "reporter",
                                 "case.reporter_required"),
    "finding without finder": (dict(source="temuan", reporter=None, found_by=""), "found_by",
                               "case.finder_required"),
    "no reported ASN": (dict(reported=[]), "reported", "case.no_reported_asn"),
    "reported ASN without name": (dict(reported=reported(name="")), "reported[0].name", "required"),
    "no violation type": (dict(violations=[]), "violations", "case.no_violation"),
    "violation not in the SKB catalogue": (dict(violations=["etik.tidak_ada"]), "violations",
                                           "case.unknown_violation"),
    "unknown source": (dict(source="gosip"), "source", "bad_choice"),
    "summary too long": (dict(summary="x" * 301), "summary", "too_long"),
    "witness without name": (dict(witnesses=[WitnessInput(name="")]), "witness[0].name", "required"),
}


# refused by the intake's checks before any SQL is written: the same on both databases, so SQLite's run is enough
@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)
@pytest.mark.parametrize("case_name", list(BAD_INPUTS))
def test_bad_input_is_refused_and_changes_nothing(demo_engine, demo_sessions, case_name):
    changes, field, code = BAD_INPUTS[case_name]
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as raised:
        with transaction(demo_sessions) as session:
            open_case(session, valid_input(**changes), principal=principal_of(session, "penangan.kukar"))
    assert (field, code) in [(p.field, p.code) for p in raised.value.problems]
    text_id, text_en = raised.value.render("id"), raised.value.render("en")
    assert "tidak ada yang disimpan" in text_id and "nothing was saved" in text_en
    assert fingerprint(demo_engine) == before


def test_all_problems_are_listed_at_once_with_row_and_field(demo_sessions):
    bad = valid_input(regency="9999", district=None, summary="",
                      reported=[replace(valid_input().reported[0], nip="123")])
    with pytest.raises(ValidationError) as raised:
        with transaction(demo_sessions) as session:
            open_case(session, bad, principal=principal_of(session, "penangan.kukar"))
    text = raised.value.render("id")
    assert "Kabupaten/kota: kode wilayah '9999' tidak dikenal." in text
    assert "Pokok perkara: wajib diisi." in text
    assert "ASN terlapor #1 — NIP: NIP harus 18 digit, bukan 3." in text
    assert "Reported ASN #1 — NIP: NIP must be 18 digits, not 3." in raised.value.render("en")


def test_a_failure_after_the_writes_leaves_nothing_behind(demo_engine, demo_sessions, monkeypatch):
    """All or nothing: make the last step (the audit event) fail; the case, parties, history and number are gone."""
    before = fingerprint(demo_engine)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        with transaction(demo_sessions) as session:
            open_case(session, valid_input(), principal=principal_of(session, "penangan.kukar"))
    assert fingerprint(demo_engine) == before


def test_a_stale_version_is_refused(demo_sessions):
    """Optimistic locking: two people load the same case; the second to save loses."""
    with demo_sessions() as first, demo_sessions() as second:
        a = first.scalar(select(Case).order_by(Case.id).limit(1))
        b = second.get(Case, a.id)
        second.commit()  # the second user's page is loaded; the form is saved later, in a new transaction
        a.summary = "edited by the first"
        first.commit()
        b.summary = "edited by the second"
        with pytest.raises(StaleDataError):
            second.commit()
    with demo_sessions() as session:
        case = session.scalar(select(Case).order_by(Case.id).limit(1))
        assert case.summary == "edited by the first" and case.version == 2
        assert session.scalar(select(func.count()).select_from(StageChange)) > 0
