"""The record says what really happened: act dates apart from when they were typed in, and the plenary's
decision per reported person (issue 16, items 1 and 3)."""
import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import ValidationError
from casework.letters.render import render_draft
from casework.models import AuditEvent, Case, LetterRequest
from casework.road.workflow import available_steps, take
from tests.helpers import client_as, csrf, fingerprint, invitation
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.test_letters import pdf_text
from tests.test_workflow import HANDLER, HEAD, NIPS, at, deadlines, new_case, stage_of, step, to_plenary, who


def pilkada_at_plenary(sessions) -> str:
    """A Pilkada case received on 29 Nov 2024: its decision is due 3 calendar days later, on 2 Dec."""
    number = new_case(sessions, election="pilkada-2024-6402", received="2024-11-29", known="2024-11-28")
    for name, fields in [("begin_review", {}), ("register", {}), ("invite_clarification", invitation("2024-11-30")),
                         ("record_clarification", {"minutes": "BA"}), ("submit_study", {"conclusion": "Tidak"})]:
        step(sessions, number, name, HANDLER, at("2024-11-30"), **fields)
    return number


def decide(sessions, number, when, **kwargs):
    with transaction(sessions) as session:
        version = session.scalar(select(Case.version).where(Case.number == number))
        return take(session, "decide_plenary", case_number=number, principal=who(session, HEAD),
                    expected_version=version, at=when, **kwargs).warnings


def test_a_plenary_held_on_time_and_typed_in_late_met_its_deadline(demo_sessions):
    """Held on Monday 2 Dec (the due day), typed in on Tuesday 3 Dec: met, and the record says both days."""
    number = pilkada_at_plenary(demo_sessions)
    warnings = decide(demo_sessions, number, at("2024-12-03", 19), acted_on="2024-12-02",
                      fields={"outcome": "not_violation", "reasoning": "Unsur keberpihakan tidak terbukti"})
    assert warnings == ()
    assert [(d.rule_id, d.status) for d in deadlines(demo_sessions, number)
            if d.rule_id != "pilkada.initial_review"] == [("pilkada.decision", "met")]
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        last = case.history[-1]
        assert (last.to_stage, last.acted_on, last.at.date()) == ("closed", date(2024, 12, 2), date(2024, 12, 3))
        assert case.plenary_decided_on == date(2024, 12, 2) and case.plenary_decided_by == HEAD
        event = session.scalar(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                        AuditEvent.action == "case.decide_plenary"))
        assert event.after["acted_on"] == "2024-12-02"


def test_an_act_after_its_deadline_is_taken_with_a_warning_naming_the_rule(demo_sessions):
    number = pilkada_at_plenary(demo_sessions)
    warnings = decide(demo_sessions, number, at("2024-12-04"), acted_on="2024-12-03",
                      fields={"outcome": "not_violation", "reasoning": "-"})
    assert [w.code for w in warnings] == ["act.after_deadline"]
    assert "3 Desember 2024 melewati tenggat" in warnings[0].render("id") and "(2 Desember 2024;" in warnings[0].render("id")
    english = warnings[0].render("en")  # dates and the rule's name in English too (issue 17)
    assert english.startswith("saved, but") and "3 December 2024" in english and "Putusan" not in english
    assert [(d.rule_id, d.status) for d in deadlines(demo_sessions, number)
            if d.rule_id != "pilkada.initial_review"] == [("pilkada.decision", "missed")]


@pytest.mark.parametrize("acted_on, code", [("2024-12-05", "act.in_future"), ("2024-11-29", "act.before_previous"),
                                            ("kemarin", "case.bad_date")])
def test_an_impossible_act_date_is_refused_and_changes_nothing(demo_engine, demo_sessions, acted_on, code):
    """Recorded on 4 Dec: 5 Dec is in the future; 29 Nov is before the study was submitted (30 Nov)."""
    number = pilkada_at_plenary(demo_sessions)
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as raised:
        decide(demo_sessions, number, at("2024-12-04"), acted_on=acted_on,
               fields={"outcome": "not_violation", "reasoning": "-"})
    assert raised.value.codes == [code] and raised.value.problems[0].field == "acted_on"
    assert "Tanggal peristiwa" in raised.value.render("id") and "Act date" in raised.value.render("en")
    assert fingerprint(demo_engine) == before


def test_deadlines_count_from_the_act_date_and_the_history_shows_both(demo_sessions):
    """The forward sent on 8 March and typed in on 12 March: the oversight body's 14 days count from 8 March."""
    number = new_case(demo_sessions)
    to_plenary(demo_sessions, number)
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), outcome="violation", reasoning="x")
    with transaction(demo_sessions) as session:
        version = session.scalar(select(Case.version).where(Case.number == number))
        take(session, "forward", case_number=number, principal=who(session, HEAD), expected_version=version,
             at=at("2024-03-12"), acted_on=date(2024, 3, 8))
    [oversight] = [d for d in deadlines(demo_sessions, number) if d.rule_id == "oversight.recommendation"]
    assert oversight.starts_on == date(2024, 3, 8)
    from casework.road.cases import case_detail
    with demo_sessions() as session:
        history = case_detail(session, number)["history"]
    forwarded = next(h for h in history if h["to"] == "forwarded")
    assert forwarded["acted_on"] == "2024-03-08" and forwarded["at"].startswith("2024-03-12")


def test_the_cli_takes_an_act_date_and_says_the_warning(demo_engine, demo_sessions, monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    number = pilkada_at_plenary(demo_sessions)
    result = CliRunner().invoke(cli, ["case", "step", "decide_plenary", number, "--actor", HEAD,
                                      "--acted-on", "2024-12-03", "--outcome", "not_violation",
                                      "--reasoning", "Tidak terbukti", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["acted_on"] == "2024-12-03" and out["stage"] == "closed"
    assert len(out["warnings"]) == 1 and "melewati tenggat" in out["warnings"][0]


# --- the plenary, per person ------------------------------------------------------------------------------------
def split_decision(sessions) -> str:
    number = new_case(sessions, two=True)
    to_plenary(sessions, number)
    step(sessions, number, "decide_plenary", HEAD, at("2024-03-08"), reasoning="Hanya terlapor satu terbukti",
         outcomes={NIPS[0]: {"outcome": "violation", "codes": ["etik.sosialisasi_medsos", "etik.deklarasi"]},
                   NIPS[1]: {"outcome": "not_violation"}})
    return number


def test_only_the_people_in_violation_are_forwarded(demo_sessions):
    number = split_decision(demo_sessions)
    assert stage_of(demo_sessions, number) == ("decided", {NIPS[0]: None, NIPS[1]: None})
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        offered = {o.command.name for o in available_steps(case, who(session, HEAD))}
    # the decided plenary is not offered again (declaring a suspected crime, beside the road, stays offered)
    assert offered == {"correct_plenary", "forward", "declare_crime"}
    step(demo_sessions, number, "forward", HEAD, at("2024-03-08", 14))
    assert stage_of(demo_sessions, number) == ("forwarded", {NIPS[0]: "oversight_review", NIPS[1]: None})
    assert [d.reported_asn_id is not None for d in deadlines(demo_sessions, number, "open")] == [True]
    with demo_sessions() as session:
        recommendation = pdf_text(render_draft(session, number, "recommendation_to_oversight", on=date(2024, 3, 8),
                                               base_url="https://netra.test"))
        announcement = pdf_text(render_draft(session, number, "status_announcement", on=date(2024, 3, 8),
                                             base_url="https://netra.test"))
    recommendation, announcement = " ".join(recommendation.split()), " ".join(announcement.split())
    assert "Terlapor Satu" in recommendation and "Terlapor Dua" not in recommendation
    assert "Menghadiri deklarasi bakal calon" in recommendation  # the violation types found for that person
    assert "Pelanggaran netralitas" in announcement and "Bukan pelanggaran" in announcement


def test_the_oversight_track_closes_the_case_with_the_cleared_person_untracked(demo_sessions):
    number = split_decision(demo_sessions)
    step(demo_sessions, number, "forward", HEAD, at("2024-03-08", 14))
    step(demo_sessions, number, "record_oversight_recommendation", "pengawas.kasn", at("2024-03-15"),
         track=NIPS[0], outcome="not_proven", reason="Bukti tidak cukup")
    assert stage_of(demo_sessions, number) == ("closed", {NIPS[0]: "not_proven", NIPS[1]: None})


def test_a_referral_to_another_institution_goes_per_institution(demo_sessions):
    number = new_case(demo_sessions, two=True)
    to_plenary(demo_sessions, number)
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), reasoning="Dua jalur",
         outcomes={NIPS[0]: {"outcome": "violation"},
                   NIPS[1]: {"outcome": "other_law", "to": "Sentra Gakkumdu Kabupaten Kutai Kartanegara"}})
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        owed = session.scalars(select(LetterRequest.addressee_label).where(
            LetterRequest.case_id == case.id, LetterRequest.kind == "forward_other_institution")).all()
        assert owed == ["Pimpinan Sentra Gakkumdu Kabupaten Kutai Kartanegara"]
        letter = pdf_text(render_draft(session, number, "forward_other_institution", on=date(2024, 3, 8),
                                       base_url="https://netra.test"))
    assert "Terlapor Dua" in letter and "Terlapor Satu" not in letter
    assert stage_of(demo_sessions, number)[0] == "decided"  # Terlapor Satu is still to be forwarded


def test_every_person_needs_an_outcome_and_unknown_people_are_refused(demo_engine, demo_sessions):
    number = new_case(demo_sessions, two=True)
    to_plenary(demo_sessions, number)
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), reasoning="x",
             outcomes={NIPS[0]: {"outcome": "violation"}, "199912312020121001": {"outcome": "violation"}})
    assert sorted(raised.value.codes) == ["plenary.outcome_missing", "plenary.unknown_person"]
    assert "Terlapor Dua" in raised.value.render("id")
    with pytest.raises(ValidationError) as raised:
        step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), reasoning="x",
             outcomes={NIPS[0]: {"outcome": "maybe"}, NIPS[1]: {"outcome": "violation", "codes": ["x.y"]}})
    assert sorted(raised.value.codes) == ["case.unknown_violation", "input.person_outcome"]
    assert fingerprint(demo_engine) == before


def test_a_correction_is_its_own_audited_step(demo_sessions):
    number = split_decision(demo_sessions)
    with pytest.raises(ValidationError) as raised:  # a correction says why
        step(demo_sessions, number, "correct_plenary", HEAD, at("2024-03-09"), reasoning="x",
             outcomes={NIPS[0]: {"outcome": "not_violation"}, NIPS[1]: {"outcome": "not_violation"}})
    assert raised.value.codes == ["required"]
    step(demo_sessions, number, "correct_plenary", HEAD, at("2024-03-09"), reasoning="Keduanya tidak terbukti",
         correction="Salah input: pleno memutus keduanya bukan pelanggaran",
         outcomes={NIPS[0]: {"outcome": "not_violation"}, NIPS[1]: {"outcome": "not_violation"}})
    assert stage_of(demo_sessions, number)[0] == "closed"
    with demo_sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "case.correct_plenary")
                               .order_by(AuditEvent.id.desc()))
        assert event.before["plenary_outcome"] == "violation" and event.after["plenary_outcome"] == "not_violation"
        assert event.after["fields"]["correction"].startswith("Salah input")


def test_the_case_page_shows_the_decision_and_both_dates(app, demo_sessions):
    """The head decides on the desk with the plenary's day; the page shows the decision per person, the
    reasoning, and the history's act date beside when it was typed in."""
    number = new_case(demo_sessions, two=True)
    to_plenary(demo_sessions, number)
    head = client_as(app, HEAD)
    page = head.get(f"/kasus/{number}").get_data(as_text=True)
    assert f'name="outcomes.{NIPS[0]}.outcome"' in page and f'name="outcomes.{NIPS[1]}.outcome"' in page
    version = page.split('name="version" value="')[1].split('"')[0]
    response = head.post(f"/kasus/{number}/langkah/decide_plenary", data={
        "csrf_token": csrf(page), "version": version, "acted_on": "2024-03-08", "reasoning": "Pertimbangan uji",
        f"outcomes.{NIPS[0]}.outcome": "violation", f"outcomes.{NIPS[0]}.codes": "etik.sosialisasi_medsos",
        f"outcomes.{NIPS[1]}.outcome": "not_violation"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tersimpan: Putusan pleno" in html
    assert 'data-outcome="violation"' in html and 'data-outcome="not_violation"' in html
    assert "Pertimbangan uji" in html and "8 Maret 2024" in html
    assert 'data-step="decide_plenary"' not in html and 'data-step="forward"' in html
    correction = html[html.index('data-step="correct_plenary"'):html.index('data-step="forward"')]
    assert 'value="violation" selected' in correction and 'value="not_violation" selected' in correction
    assert "Pertimbangan uji</textarea>" in correction  # a correction starts from the decision as recorded
    assert 'data-acted-on="2024-03-08"' in html and "dicatat" in html
    # Kukar's BKPSDM sees its own employee's track, not the reasoning, which may speak of a person they may not see
    step(demo_sessions, number, "forward", HEAD, at("2024-03-08", 14))
    step(demo_sessions, number, "record_oversight_recommendation", "pengawas.kasn", at("2024-03-15"),
         track=NIPS[0], outcome="sanction_recommended", sanction="moral.terbuka")
    bkpsdm = client_as(app, "bkpsdm.kukar").get(f"/kasus/{number}")
    assert bkpsdm.status_code == 200 and "Terlapor Satu" in bkpsdm.get_data(as_text=True)
    assert "Pertimbangan uji" not in bkpsdm.get_data(as_text=True)
    assert "Pertimbangan uji" in client_as(app, HANDLER).get(f"/kasus/{number}").get_data(as_text=True)


def test_a_correction_keeping_the_referral_owes_no_second_referral_letter(demo_sessions):
    number = new_case(demo_sessions, two=True)
    to_plenary(demo_sessions, number)
    referral = {"outcome": "other_law", "to": "Sentra Gakkumdu Kabupaten Kutai Kartanegara"}
    step(demo_sessions, number, "decide_plenary", HEAD, at("2024-03-08"), reasoning="Dua jalur",
         outcomes={NIPS[0]: {"outcome": "violation"}, NIPS[1]: referral})
    step(demo_sessions, number, "correct_plenary", HEAD, at("2024-03-09"), reasoning="Terlapor satu tidak terbukti",
         correction="Salah pilih untuk terlapor satu",
         outcomes={NIPS[0]: {"outcome": "not_violation"}, NIPS[1]: referral})
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        kinds = session.scalars(select(LetterRequest.kind).where(LetterRequest.case_id == case.id)).all()
        assert kinds.count("forward_other_institution") == 1 and kinds.count("status_announcement") == 1
        assert case.stage == "closed" and "Salah pilih" not in case.history[-1].reason
