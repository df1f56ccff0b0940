"""The road as commands: who may take each step, at which stage, what it starts and stops, and that a step
happens entirely or not at all."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from casework import audit
from casework.adapters.db import transaction
from casework.errors import CaseworkError, ValidationError
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, open_case
from casework.models import AuditEvent, Case, Deadline, TrackEscalation
from casework.access.principal import SYSTEM, principal_named
from casework.access.scope import sees_case
from casework.errors import NotFound
from casework.road.sanctions import Upload
from casework.settings import Settings
from casework.road.workflow import COMMANDS, available_steps, execute
from tests.helpers import fingerprint, invitation, principal_of

# the demo's logins: each step is taken as a real user, whose access rules apply. The cases here are forwarded in
# early 2024, to KASN (BKN took over on 4 Sept 2024): their oversight officer is KASN's.
HANDLER, HEAD, OVERSIGHT, BKPSDM = "penangan.kukar", "ketua.kukar", "pengawas.kasn", "bkpsdm.kukar"
ROLES = {HANDLER: {"bawaslu_handler"}, HEAD: {"bawaslu_head"}, OVERSIGHT: {"oversight_officer"},
         "pengawas.bkn": {"oversight_officer"}, BKPSDM: {"bkpsdm_officer"}, "auditor": {"auditor"},
         "admin": {"sysadmin"}, SYSTEM.username: {"system"}}
ALL_ROLES = list(ROLES)


who = principal_of
WITA = 8


def at(day: str, hour: int = 10) -> datetime:
    """A moment in Kukar's office hours (WITA), as UTC."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00").astimezone(UTC)


NIPS = ("198503122010011003", "199001012015032001")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def decree(tmp_path, level="moral", **fields):  # noqa: D103
    """What record_sanction needs besides the kind, number and date (the PDF stored under tmp_path)."""
    return {"sanction_level": level, "decree_signer_name": "Penjabat Bupati (uji)",
            "decree_pdf": Upload("sk.pdf", PDF), "settings": Settings.from_env({"NETRA_VAR_DIR": str(tmp_path)}),
            **fields}


def new_case(sessions, *, election="pemilu-2024", received="2024-03-04", known="2024-03-01", two=False,
             source="laporan") -> str:
    reported = [ReportedInput(nip=NIPS[0], name="Terlapor Satu", position="Guru", agency="pemkab-6402")]
    if two:
        reported.append(ReportedInput(nip=NIPS[1], name="Terlapor Dua", position="Staf", agency="pemprov-64"))
    data = IntakeInput(source=source, election=election, office="bawaslu-6402", regency="6402", place="Tenggarong",
                       occurred_on=date.fromisoformat(known), known_on=date.fromisoformat(known),
                       received_on=date.fromisoformat(received), summary="Uji", chronology="Kronologi uji",
                       violations=["etik.sosialisasi_medsos"], reported=reported,
                       reporter=ReporterInput(name="Pelapor Uji", address="Tenggarong") if source == "laporan" else None,
                       found_by="Panwaslu Kecamatan" if source == "temuan" else "")
    with transaction(sessions) as session:
        return open_case(session, data, principal=principal_named(session, HANDLER), at=at(received, 9)).number


def step(sessions, number, name, actor, when, *, track=None, settings=None, **fields):
    with transaction(sessions) as session:
        version = session.scalar(select(Case.version).where(Case.number == number))
        execute(session, name, case_number=number, principal=who(session, actor), expected_version=version,
                at=when, track=track, settings=settings, fields=fields)


def deadlines(sessions, number, status=None):
    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        stmt = select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.id)
        return [d for d in session.scalars(stmt) if status is None or d.status == status]


def stage_of(sessions, number):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        return case.stage, {p.nip: p.track_stage for p in case.reported}


def to_plenary(sessions, number, start="2024-03-05"):
    day = date.fromisoformat(start)
    for offset, (name, actor, fields) in enumerate([
        ("begin_review", HANDLER, {}), ("register", HANDLER, {}),
        ("invite_clarification", HANDLER, invitation(day + timedelta(days=1), NIPS[:1])),
        ("record_clarification", HANDLER, {"minutes": "BA klarifikasi"}),
        ("submit_study", HANDLER, {"conclusion": "Terbukti"}),
    ]):
        step(sessions, number, name, actor, at((day + timedelta(days=offset // 2)).isoformat(), 10 + offset),
             **fields)


def test_the_whole_pemilu_road_with_two_tracks(demo_sessions, tmp_path):
    number = new_case(demo_sessions, two=True)
    assert [d.rule_id for d in deadlines(demo_sessions, number, "open")] == ["pemilu.initial_review"]
    to_plenary(demo_sessions, number)
    assert [(d.rule_id, d.status) for d in deadlines(demo_sessions, number)] == [
        ("pemilu.initial_review", "met"), ("pemilu.decision", "open")]
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="violation", reasoning="Terbukti")
    step(demo_sessions, number, "forward", HEAD, at("2024-03-08", 14))
    stage, tracks = stage_of(demo_sessions, number)
    assert stage == "forwarded" and set(tracks.values()) == {"oversight_review"}
    per_track = [d for d in deadlines(demo_sessions, number, "open")]
    assert [d.rule_id for d in per_track] == ["oversight.recommendation"] * 2
    assert {d.reported_asn_id for d in per_track} != {None}

    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-15"), track=NIPS[0],
         outcome="sanction_recommended", sanction="moral.terbuka")
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-15", 11), track=NIPS[1],
         outcome="not_proven", reason="Bukti kurang")
    assert stage_of(demo_sessions, number) == ("forwarded", {NIPS[0]: "agency_follow_up", NIPS[1]: "not_proven"})
    step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-03-25"), track=NIPS[0],
         sanction="moral.terbuka", decree_number="800/1/BKPSDM/2024", decree_date="2024-03-25", **decree(tmp_path))
    # the last open track closed the case
    assert stage_of(demo_sessions, number) == ("closed", {NIPS[0]: "sanctioned", NIPS[1]: "not_proven"})
    assert deadlines(demo_sessions, number, "open") == []
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case.reported[0].decree_number == "800/1/BKPSDM/2024" and case.reported[0].sanction == "moral.terbuka"
        assert case.history[-1].to_stage == "closed"
        assert audit.verify_chain(session) is None
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case.id)
                                  .order_by(AuditEvent.id)).all()
        assert actions == ["case.opened", "case.begin_review", "case.register", "case.invite_clarification",
                           "case.record_clarification", "case.submit_study", "case.decide_plenary", "case.forward",
                           "case.record_oversight_recommendation", "case.record_oversight_recommendation",
                           "case.record_sanction"]
        forward = session.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                          AuditEvent.action == "case.forward"))
        assert forward.after["letters"] == ["recommendation_to_oversight", "status_announcement"]
        assert forward.before["stage"] == "decided" and forward.after["stage"] == "forwarded"


def test_pilkada_decision_runs_from_receipt_in_calendar_days(demo_sessions):
    number = new_case(demo_sessions, election="pilkada-2024-6402", received="2024-11-29", known="2024-11-28")
    review, decision = deadlines(demo_sessions, number, "open")
    assert (decision.rule_id, decision.due_date) == ("pilkada.decision", date(2024, 12, 2))
    assert decision.due_at == datetime(2024, 12, 2, 23, 59, 59, tzinfo=UTC) - timedelta(hours=WITA)
    # the initial review has a day (Netra's target: issue 18 item 5), from receipt like the decision
    assert (review.rule_id, review.due_date, review.basis) == ("pilkada.initial_review", date(2024, 11, 30), "policy")
    step(demo_sessions, number, "begin_review", HANDLER, at("2024-11-29", 11))
    step(demo_sessions, number, "register", HANDLER, at("2024-11-30"))
    assert [(d.rule_id, d.status) for d in deadlines(demo_sessions, number) if d.rule_id.endswith("review")] == \
        [("pilkada.initial_review", "met")]
    # registering starts nothing new under Pilkada: the clock has run since receipt
    assert [d.rule_id for d in deadlines(demo_sessions, number, "open")] == ["pilkada.decision"]
    step(demo_sessions, number, "invite_clarification", HANDLER, at("2024-11-30", 11),
         **invitation("2024-11-30", NIPS[:1]))
    step(demo_sessions, number, "extend_study", HANDLER, at("2024-12-01"), reason="Menunggu saksi")
    history = deadlines(demo_sessions, number)[1:]  # after the initial review's
    assert [(d.rule_id, d.status, d.due_date) for d in history] == [
        ("pilkada.decision", "superseded", date(2024, 12, 2)),
        ("pilkada.decision_extended", "open", date(2024, 12, 4))]
    assert history[0].superseded_by_id == history[1].id and history[1].starts_on == date(2024, 11, 29)
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, number, "extend_study", HANDLER, at("2024-12-01", 12), reason="Lagi")
    assert raised.value.code == "workflow.already_extended"


def test_a_late_decision_is_recorded_as_missed(demo_sessions):
    number = new_case(demo_sessions, election="pilkada-2024-6402", received="2024-11-29", known="2024-11-28")
    for name, fields in [("begin_review", {}), ("register", {}), ("invite_clarification", invitation("2024-11-30")),
                         ("record_clarification", {"minutes": "BA"}), ("submit_study", {"conclusion": "Tidak"})]:
        step(demo_sessions, number, name, HANDLER, at("2024-11-30"), **fields)
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-12-03"), outcome="not_violation", reasoning="-")
    assert [(d.rule_id, d.status) for d in deadlines(demo_sessions, number)] == [
        ("pilkada.initial_review", "met"), ("pilkada.decision", "missed")]
    assert stage_of(demo_sessions, number)[0] == "closed"


def test_the_oversight_body_depends_on_the_forward_date(demo_sessions):
    """A case forwarded in 2023 went to KASN; one forwarded after 4 Sept 2024 goes to BKN (both Pemilu 2024 cases,
    inside its period)."""
    bodies = {}
    for received in ("2023-06-05", "2024-10-15"):
        number = new_case(demo_sessions, received=received, known=received)
        day = date.fromisoformat(received) + timedelta(days=1)
        to_plenary(demo_sessions, number, day.isoformat())
        step(demo_sessions, number, "decide_plenary", HEAD, at((day + timedelta(days=3)).isoformat()),
             outcome="violation", reasoning="x")
        step(demo_sessions, number, "forward", HEAD, at((day + timedelta(days=3)).isoformat(), 15))
        with demo_sessions() as session:
            case = session.scalar(select(Case).where(Case.number == number))
            bodies[received[:4]] = case.reported[0].oversight_body.code
    assert bodies == {"2023": "KASN", "2024": "BKN"}


def test_a_report_outside_the_window_cannot_be_registered(demo_sessions):
    # known Thu 1 Feb 2024 + 7 working days, skipping Isra Mikraj (8), cuti Imlek (9), the weekends and Pemilu day
    # (14): Fri 2, Mon 5, Tue 6, Wed 7, Mon 12, Tue 13, Thu 15 -> a report received on 16 Feb is late.
    number = new_case(demo_sessions, received="2024-02-16", known="2024-02-01")
    step(demo_sessions, number, "begin_review", HANDLER, at("2024-02-16", 11))
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, number, "register", HANDLER, at("2024-02-16", 12))
    assert raised.value.code == "workflow.report_late"
    assert "tidak dapat diregistrasi" in raised.value.render("id")
    assert "melewati tenggat Batas penyampaian laporan (15 Februari 2024)" in raised.value.render("id")
    assert "15 February 2024" in raised.value.render("en")
    step(demo_sessions, number, "decline_registration", HANDLER, at("2024-02-16", 13), reason="late")
    assert stage_of(demo_sessions, number)[0] == "not_registered"
    assert deadlines(demo_sessions, number, "open") == []


def test_completion_round_trip_and_temuan_cannot_be_asked(demo_sessions):
    number = new_case(demo_sessions)
    step(demo_sessions, number, "begin_review", HANDLER, at("2024-03-04", 11))
    step(demo_sessions, number, "request_completion", HANDLER, at("2024-03-05"), missing="Alamat pelapor")
    assert [d.rule_id for d in deadlines(demo_sessions, number, "open")] == ["pemilu.completion"]
    step(demo_sessions, number, "submit_completion", HANDLER, at("2024-03-06"))
    assert [(d.rule_id, d.status, d.starts_on) for d in deadlines(demo_sessions, number)] == [
        ("pemilu.initial_review", "met", date(2024, 3, 4)), ("pemilu.completion", "met", date(2024, 3, 5)),
        ("pemilu.initial_review", "open", date(2024, 3, 6))]
    finding = new_case(demo_sessions, source="temuan")
    step(demo_sessions, finding, "begin_review", HANDLER, at("2024-03-04", 11))
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, finding, "request_completion", HANDLER, at("2024-03-05"), missing="x")
    assert raised.value.code == "workflow.completion_only_report"


def forwarded_to_agency(sessions) -> str:
    number = new_case(sessions)
    to_plenary(sessions, number)
    step(sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="violation", reasoning="x")
    step(sessions, number, "forward", HEAD, at("2024-03-08", 14))
    step(sessions, number, "record_oversight_recommendation", OVERSIGHT, at("2024-03-11"), track=NIPS[0],
         outcome="sanction_recommended", sanction="disiplin.sedang.potong_tpk_6")
    return number


def test_the_escalation_ladder_for_a_late_ppk(demo_sessions, tmp_path):
    number = forwarded_to_agency(demo_sessions)
    (follow_up,) = deadlines(demo_sessions, number, "open")
    # Mon 11 Mar + 14 working days, skipping cuti Nyepi (12 Mar), weekends and Good Friday (29 Mar) = Tue 2 Apr
    assert follow_up.rule_id == "agency.follow_up" and follow_up.due_date == date(2024, 4, 2)
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, number, "escalate", SYSTEM.username, at("2024-04-02", 20), track=NIPS[0])
    assert raised.value.code == "workflow.not_late_yet"
    # each repeat is 3 working days after the previous step: 3 Apr -> 16 Apr (Idul Fitri 8-15 Apr skipped),
    # 17 Apr -> 22 Apr, 23 Apr -> 26 Apr, 29 Apr -> 3 May (Labour Day skipped)
    moments = ["2024-04-03", "2024-04-17", "2024-04-23", "2024-04-29"]
    for day in moments:
        step(demo_sessions, number, "escalate", SYSTEM.username, at(day), track=NIPS[0])
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        steps = session.scalars(select(TrackEscalation.step).order_by(TrackEscalation.id)
                                .where(TrackEscalation.reported_asn_id == case.reported[0].id)).all()
        assert steps == ["reminder", "warning_letter", "block_request", "supervisor_report"]
        assert case.reported[0].escalation_step == 4
        letters = [e.after["letters"] for e in session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "case.escalate")
            .order_by(AuditEvent.id))]
        assert letters == [["ppk_reminder"], ["ppk_warning"], ["personnel_block_request"], ["ppk_supervisor_report"]]
    statuses = [(d.rule_id, d.status) for d in deadlines(demo_sessions, number)
                if d.rule_id in ("agency.follow_up", "escalation.repeat")]
    assert statuses == [("agency.follow_up", "missed")] + [("escalation.repeat", "missed")] * 3 + \
        [("escalation.repeat", "open")]
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, number, "escalate", SYSTEM.username, at("2024-05-06"), track=NIPS[0])
    assert raised.value.code == "workflow.ladder_exhausted"
    # the sanction, once recorded, stops the escalation clock
    step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-05-06"), track=NIPS[0],
         sanction="disiplin.sedang.potong_tpk_6", decree_number="SK-1", decree_date="2024-05-06",
         **decree(tmp_path, "medium", effective_from="2024-05-06"))
    assert deadlines(demo_sessions, number, "open") == []


def test_escalation_repeats_only_after_the_interval(demo_sessions):
    number = forwarded_to_agency(demo_sessions)
    step(demo_sessions, number, "escalate", SYSTEM.username, at("2024-04-03"), track=NIPS[0])
    with pytest.raises(CaseworkError) as raised:  # the next one waits 3 working days: 16 Apr, after Idul Fitri
        step(demo_sessions, number, "escalate", SYSTEM.username, at("2024-04-15"), track=NIPS[0])
    assert raised.value.code == "workflow.not_late_yet"


def test_withdraw_and_merge(demo_sessions):
    first, second = new_case(demo_sessions), new_case(demo_sessions)
    step(demo_sessions, second, "merge", HANDLER, at("2024-03-05"), into=first)
    with demo_sessions() as session:
        merged = session.scalar(select(Case).where(Case.number == second))
        assert merged.stage == "merged" and merged.merged_into_id is not None
    assert [d.status for d in deadlines(demo_sessions, second)] == ["cancelled"]
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, first, "merge", HANDLER, at("2024-03-05"), into=first)
    assert raised.value.problems[0].code == "workflow.merge_self"  # said beside the number typed
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, first, "merge", HANDLER, at("2024-03-05"), into=second)
    assert raised.value.problems[0].code == "workflow.merge_target_closed"
    step(demo_sessions, first, "withdraw", HANDLER, at("2024-03-05"), reason="Dicabut pelapor")
    assert stage_of(demo_sessions, first)[0] == "withdrawn"


# --- refusals -----------------------------------------------------------------------------------------------------
def case_ready_for(sessions, name) -> tuple[str, str | None]:
    """A demo case where command `name` may be taken now, and the NIP of a track it may act on."""
    cmd = COMMANDS[name]
    with sessions() as session:
        for case in session.scalars(select(Case).order_by(Case.id)):
            if case.stage not in cmd.stages:
                continue
            if name == "request_completion" and case.source != "laporan":
                continue
            if name == "forward" and case.plenary_outcome != "violation":
                continue
            if not cmd.on_track:
                return case.number, None
            person = next((p for p in case.reported if cmd.person_ready(p)), None)
            if person:
                return case.number, person.nip
    raise AssertionError(f"no demo case ready for {name}")


REFUSALS = {name: [actor for actor in ALL_ROLES if not ROLES[actor] & cmd.roles]
            for name, cmd in COMMANDS.items() if name != "forward"}


# the access module's answer on loaded rows (no SQL of its own): SQLite's run is enough; test_access checks the
# SQL scopes on both databases
@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)
@pytest.mark.parametrize("name", [n for n, actors in REFUSALS.items() if actors])
def test_a_role_that_may_not_take_a_step_is_refused(demo_engine, demo_sessions, name):
    """Every role without the step, one after the other on the case ready for it: refused with the reason when the
    user sees the case, "not found" when they may not even see it — and nothing written by any of them."""
    number, nip = case_ready_for(demo_sessions, name)
    before = fingerprint(demo_engine)
    wrong = {}
    for actor in REFUSALS[name]:
        with demo_sessions() as session:
            visible = sees_case(who(session, actor), session.scalar(select(Case).where(Case.number == number)))
        try:
            step(demo_sessions, number, name, actor, datetime.now(UTC), track=nip)
        except CaseworkError as exc:
            if visible and (exc.code != "workflow.role_not_allowed" or "tidak berwenang" not in exc.render("id")):
                wrong[actor] = exc.code
            elif not visible and not (isinstance(exc, NotFound) and exc.code == "case.not_found"):
                wrong[actor] = exc.code
        else:
            wrong[actor] = "taken"
    assert not wrong, wrong
    assert fingerprint(demo_engine) == before


def test_each_role_is_offered_only_its_own_steps(demo_sessions):
    with demo_sessions() as session:
        cases = session.scalars(select(Case)).all()
        offered = {actor: {o.command.name for case in cases for o in available_steps(case, who(session, actor))}
                   for actor in ALL_ROLES}
    # and the criminal part beside the road (the demo has one with the police, one still to forward)
    assert offered["ketua.kukar"] == {"decide_plenary", "correct_plenary", "forward", "declare_crime",
                                      "forward_to_police", "record_police_answer"}
    # BKN's blocking is recorded once a PPK is late (the demo escalates some): by the oversight body or the handler
    assert offered["pengawas.bkn"] == {"record_oversight_recommendation", "record_left_service", "record_block"}
    # and objections against its decrees (the demo has one open, one decided)
    assert offered["bkpsdm.kukar"] == {"record_sanction", "record_left_service", "record_appeal",
                                       "record_appeal_decision"}
    assert offered["auditor"] == offered["admin"] == set()
    assert "register" in offered["penangan.kukar"] and "forward" not in offered["penangan.kukar"]


def test_a_step_at_the_wrong_stage_is_refused(demo_engine, demo_sessions):
    number = new_case(demo_sessions)
    before = fingerprint(demo_engine)
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, number, "register", HANDLER, at("2024-03-05"))  # still `received`
    assert raised.value.code == "workflow.wrong_stage"
    assert raised.value.render("id") == "langkah 'Registrasi' tidak dapat dilakukan pada tahap Diterima."
    assert raised.value.render("en") == "the step 'Register' cannot be taken at stage Received."
    assert fingerprint(demo_engine) == before


def test_missing_and_invalid_fields_are_refused(demo_engine, demo_sessions, tmp_path):
    number = forwarded_to_agency(demo_sessions)
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-03-20"), track=NIPS[0], sanction="x")
    assert {p.field for p in raised.value.problems} == {"sanction_level", "sanction", "decree_number",
                                                        "decree_date", "decree_signer_name", "decree_pdf"}
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-03-20"), track=NIPS[0], sanction="x",
             decree_number="1", decree_date="2024-03-20", **decree(tmp_path))
    assert raised.value.codes == ["workflow.unknown_sanction"]
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-03-20"), track=NIPS[0],
             sanction="moral.terbuka", decree_number="1", decree_date="2024-03-21", **decree(tmp_path))
    assert raised.value.codes == ["case.date_in_future"]
    with pytest.raises(CaseworkError) as raised:
        step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-03-20"), track="000000000000000000",
             sanction="moral.terbuka", decree_number="1", decree_date="2024-03-20", **decree(tmp_path))
    assert raised.value.code == "workflow.unknown_track"
    assert fingerprint(demo_engine) == before


def test_a_stale_version_is_refused_with_reload_message(demo_engine, demo_sessions):
    number = new_case(demo_sessions)
    with demo_sessions() as session:
        seen = session.scalar(select(Case.version).where(Case.number == number))
    step(demo_sessions, number, "begin_review", HANDLER, at("2024-03-04", 11))  # someone else moved it
    before = fingerprint(demo_engine)
    with pytest.raises(CaseworkError) as raised:
        with transaction(demo_sessions) as session:
            execute(session, "request_completion", case_number=number, principal=who(session, HANDLER),
                    expected_version=seen, at=at("2024-03-05"), fields={"missing": "x"})
    assert raised.value.code == "case.stale"
    assert raised.value.render("id").startswith("kasus telah berubah, muat ulang")
    assert fingerprint(demo_engine) == before


def test_a_failing_last_step_leaves_the_database_exactly_as_it_was(demo_engine, demo_sessions, monkeypatch):
    """All or nothing: the forward moves the stage, opens two tracks and two deadlines — then the audit write
    fails, and none of it remains."""
    number = new_case(demo_sessions, two=True)
    to_plenary(demo_sessions, number)
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="violation", reasoning="x")
    before = fingerprint(demo_engine)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        step(demo_sessions, number, "forward", HEAD, at("2024-03-08", 14))
    assert fingerprint(demo_engine) == before
    assert stage_of(demo_sessions, number) == ("decided", {NIPS[0]: None, NIPS[1]: None})


# --- the demo data shows every state of a deadline ----------------------------------------------------------------
def test_demo_has_on_time_near_and_overdue_cases_at_each_open_stage(demo_sessions):
    from casework.road.cases import list_cases
    with demo_sessions() as session:
        rows = list_cases(session)
    by_stage: dict[str, list[int]] = {}
    for row in rows:
        if row.days_left is not None:
            by_stage.setdefault(row.stage, []).append(row.days_left)
    open_stages = {"received", "initial_review", "awaiting_completion", "registered", "clarification", "study",
                   "plenary", "forwarded"}
    # a closed case may still watch a deadline that outlives it (an objection awaiting its decision)
    assert set(by_stage) - {"closed"} == open_stages
    for stage, days in ((s, by_stage[s]) for s in open_stages):
        assert min(days) < 0, f"{stage}: no overdue case"
        assert any(0 <= d <= 2 for d in days), f"{stage}: no case near its deadline"
        assert max(days) > 2 or sorted(days)[-1] > sorted(days)[-2], f"{stage}: no case comfortably on time"


def test_the_documented_step_table_is_the_code():
    from pathlib import Path

    from click.testing import CliRunner

    from casework.cli import cli
    table = CliRunner().invoke(cli, ["workflow", "steps", "--markdown"]).output
    doc = (Path(__file__).parent.parent / "docs" / "workflow.md").read_text()
    assert table.strip() in doc, "docs/workflow.md is stale: regenerate with `netra workflow steps --markdown`"


def test_plenary_other_law_needs_the_institution_and_closes_for_netra(demo_sessions):
    number = new_case(demo_sessions)
    to_plenary(demo_sessions, number)
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="other_law", reasoning="x")
    assert [p.field for p in raised.value.problems] == ["forwarded_to"]
    with pytest.raises(ValidationError):
        step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="maybe", reasoning="x")
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="other_law",
         reasoning="Tindak pidana pemilu", forwarded_to="Sentra Gakkumdu")
    assert stage_of(demo_sessions, number)[0] == "closed"
    with demo_sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.decide_plenary")
                                .order_by(AuditEvent.id.desc())).first()
        assert event.after["letters"] == ["forward_other_institution", "status_announcement"]
        assert event.after["plenary_outcome"] == "other_law"


def test_a_track_step_at_the_same_moment_still_bumps_the_version(demo_sessions):
    """Two ASN: a track step leaves the case row's stage as it is; at the same instant as the last write it changes
    no case column either — the version must still move, or a stale form would be accepted."""
    number = new_case(demo_sessions, two=True)
    to_plenary(demo_sessions, number)
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="violation", reasoning="x")
    moment = at("2024-03-08", 14)
    step(demo_sessions, number, "forward", HEAD, moment)
    with demo_sessions() as session:
        version = session.scalar(select(Case.version).where(Case.number == number))
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, moment, track=NIPS[0],
         outcome="not_proven", reason="Tidak terbukti")
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert case.stage == "forwarded" and case.version == version + 1


# --- cases.next_due_at ----------------------------------------------------------------------------------------------
def next_due_checked(sessions, number):
    """The case's next_due_at is the earliest due moment of its open deadlines (None without one); returns it
    with the case's version."""
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        open_dues = [d.due_at for d in session.scalars(select(Deadline).where(Deadline.case_id == case.id,
                                                                              Deadline.status == "open"))]
        assert case.next_due_at == min(open_dues, default=None), number
        return case.next_due_at, case.version


def test_next_due_at_follows_the_open_deadlines_through_the_road(demo_sessions, tmp_path):
    """Started, met, superseded (extension), per-track, escalated, closed, merged, withdrawn: after every step
    next_due_at is the nearest open deadline."""
    def walk(number, steps):
        due, _ = next_due_checked(demo_sessions, number)
        assert due is not None  # intake started a deadline
        for name, actor, when, fields in steps:
            step(demo_sessions, number, name, actor, when, **fields)  # track and settings ride along in fields
            due, _ = next_due_checked(demo_sessions, number)
        return due

    number = new_case(demo_sessions, two=True)
    assert walk(number, [
        ("begin_review", HANDLER, at("2024-03-05"), {}), ("register", HANDLER, at("2024-03-05", 11), {}),
        ("invite_clarification", HANDLER, at("2024-03-06"), invitation("2024-03-06", NIPS)),
        ("record_clarification", HANDLER, at("2024-03-06", 11), {"minutes": "BA"}),
        ("submit_study", HANDLER, at("2024-03-07"), {"conclusion": "Terbukti"}),
        ("decide_plenary", HEAD, at("2024-03-08"), {"outcome": "violation", "reasoning": "x"}),
        ("forward", HEAD, at("2024-03-08", 14), {}),
        ("record_oversight_recommendation", OVERSIGHT, at("2024-03-11"),
         {"track": NIPS[0], "outcome": "sanction_recommended", "sanction": "disiplin.sedang.potong_tpk_6"}),
        ("escalate", SYSTEM.username, at("2024-04-03"), {"track": NIPS[0]}),
        ("record_oversight_recommendation", OVERSIGHT, at("2024-04-04"),
         {"track": NIPS[1], "outcome": "not_proven", "reason": "Bukti kurang"}),
        ("record_sanction", BKPSDM, at("2024-04-05"),
         {"track": NIPS[0], "sanction": "disiplin.sedang.potong_tpk_6", "decree_number": "SK-9",
          "decree_date": "2024-04-05", **decree(tmp_path, "medium", effective_from="2024-04-05")}),
    ]) is None
    assert stage_of(demo_sessions, number)[0] == "closed"

    pilkada = new_case(demo_sessions, election="pilkada-2024-6402", received="2024-11-29", known="2024-11-28")
    assert walk(pilkada, [
        ("begin_review", HANDLER, at("2024-11-29", 11), {}), ("register", HANDLER, at("2024-11-30"), {}),
        ("invite_clarification", HANDLER, at("2024-11-30", 11), invitation("2024-11-30", NIPS[:1])),
        ("extend_study", HANDLER, at("2024-12-01"), {"reason": "Menunggu saksi"}),
    ]) == datetime(2024, 12, 4, 23, 59, 59, tzinfo=UTC) - timedelta(hours=WITA)  # the extended decision

    first, second = new_case(demo_sessions), new_case(demo_sessions)
    assert walk(second, [("merge", HANDLER, at("2024-03-05"), {"into": first})]) is None
    assert walk(first, [("withdraw", HANDLER, at("2024-03-05"), {"reason": "Dicabut pelapor"})]) is None


def test_next_due_at_is_right_for_every_demo_case(demo_sessions):
    """The demo walks every case down the road through the workflow: each ends with the right next_due_at."""
    with demo_sessions() as session:
        numbers = session.scalars(select(Case.number)).all()
    assert len(numbers) >= 40
    for number in numbers:
        next_due_checked(demo_sessions, number)


def test_keeping_next_due_at_is_not_a_change_of_the_case(demo_sessions):
    """Derived: starting or stopping a deadline alone leaves the case's version (which the Airflow runs watch for
    decisions and the desk checks for stale forms) and updated_at as they were."""
    from casework.deadlines.records import start_deadline, stop
    from casework.deadlines.engine import get_rule
    number = new_case(demo_sessions)
    first, version = next_due_checked(demo_sessions, number)
    with demo_sessions() as session:
        updated = session.scalar(select(Case.updated_at).where(Case.number == number))
    with transaction(demo_sessions) as session:
        case = session.scalar(select(Case).where(Case.number == number))
        earlier = start_deadline(session, case, get_rule("pemilu.completion"), date(2024, 3, 1), at=at("2024-03-04"))
        assert earlier.due_at < first and case.next_due_at == earlier.due_at
        stop([earlier], at("2024-03-04", 11))
        assert case.next_due_at == first
    assert next_due_checked(demo_sessions, number) == (first, version)
    with demo_sessions() as session:
        assert session.scalar(select(Case.updated_at).where(Case.number == number)) == updated
