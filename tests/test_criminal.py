"""The criminal part beside the road (issue 18 item 1, casework/road/criminal.py): the head declares a suspected
crime after the Sentra Gakkumdu discussion, the forward to the police is owed within 1 x 24 hours of that moment
(UU 7/2017 Ps. 476) — met or missed by the hour — and the police's, prosecutor's or court's answers move it on,
also after the case closed on its neutrality outcome. Only Bawaslu sees it. Walked on both databases."""
import io
from datetime import datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.access.view import case_view
from casework.errors import CaseworkError, ValidationError
from casework.letters.render import render_draft
from casework.models import Case, Deadline, utcnow
from casework.reference.timezones import local_today, zoneinfo
from casework.reports.dashboard import criminal_by_stage
from casework.road.worklist import my_work
from casework.spreadsheets.export import Audience, export_cases
from tests.builder import Builder, Person
from tests.helpers import owed_request, principal_of
from tests.test_letters import pdf_text

WITA = zoneinfo("WITA")


def criminal(sessions, number):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        deadlines = {(d.rule_id, d.reported_asn_id and next(p.nip for p in case.reported
                                                            if p.id == d.reported_asn_id), d.status): d.due_at
                     for d in session.scalars(select(Deadline).where(Deadline.case_id == case.id))
                     if d.rule_id.startswith("criminal.")}
        return case.stage, {p.nip: p.criminal_stage for p in case.reported}, deadlines


def test_a_suspected_crime_goes_to_the_police_within_24_hours_beside_the_neutrality_road(demo_sessions):
    today = local_today("WITA", utcnow())
    case = Builder(demo_sessions).laporan(Person("Satu"), Person("Dua"), received=today - timedelta(days=3)).register()
    one, two = case.nips
    yesterday = today - timedelta(days=1)
    with demo_sessions() as session:  # declaring is offered to the head, but puts no case on their Tugas saya
        assert case.number not in [w.number for w in my_work(session, principal_of(session, "ketua.kukar"))]
    with pytest.raises(ValidationError) as refused:  # the hour is asked for, and the offence
        case.step("declare_crime", case.head, track=one, reasoning="Unsur Ps. 494 terpenuhi", acted_on=yesterday)
    assert {p.field for p in refused.value.problems} == {"declared_time", "article"}
    case.step("declare_crime", case.head, track=one, declared_time="10:00", article="UU 7/2017 Ps. 494",
              reasoning="Unsur Ps. 494 terpenuhi", acted_on=yesterday.isoformat())
    declared = datetime.combine(yesterday, datetime.min.time().replace(hour=10), WITA)
    stage, parts, deadlines = criminal(demo_sessions, case.number)
    assert parts == {one: "criminal_declared", two: None} and stage == "registered"  # the road did not move
    assert deadlines == {("criminal.forward_pemilu", one, "open"): declared + timedelta(hours=24)}

    with demo_sessions() as session:  # the 24 hours wait on the handler
        [item] = [w for w in my_work(session, principal_of(session, "penangan.kukar")) if w.number == case.number]
        assert "Teruskan ke Kepolisian" in item.steps
        handler = case_view(session, principal_of(session, "penangan.kukar"), case.number)
        [part] = [p["criminal"] for p in handler["reported"] if p["criminal"]]
        assert part["stage_label"] == "Dugaan tindak pidana" and part["events"][0]["time"] == "10:00"

    with pytest.raises(ValidationError) as refused:  # a forward cannot precede the declaration
        case.step("forward_to_police", case.handler, track=one, sent_time="09:00", acted_on=yesterday.isoformat())
    assert [p.code for p in refused.value.problems] == ["criminal.forward_before_declaration"]
    # within 24 hours of 10:00 yesterday and not in the future, whatever the hour the test runs at: 09:30 today once
    # it has passed, else 23:00 yesterday
    now = utcnow().astimezone(WITA)
    sent_on, sent_time = (today, "09:30") if now.time() >= time(9, 31) else (yesterday, "23:00")
    case.step("forward_to_police", case.handler, track=one, sent_time=sent_time, acted_on=sent_on.isoformat())
    _, parts, deadlines = criminal(demo_sessions, case.number)
    assert parts[one] == "criminal_with_police"
    assert ("criminal.forward_pemilu", one, "met") in deadlines
    assert ("criminal.police_answer", one, "open") in deadlines  # Netra asks after the police's progress
    owed_request(demo_sessions, case.number, "forward_police")  # the letter is owed, once
    with demo_sessions() as session:
        letter = " ".join(pdf_text(render_draft(session, case.number, "forward_police",
                                                base_url="https://netra.test")).split())
    for words in ("Kepala Kepolisian Resor Kutai Kartanegara", "Pasal 476 ayat (1)", "UU 7/2017 Ps. 494", "Satu",
                  "pukul 10.00 WITA", "Sangat Segera"):
        assert words in letter, words

    # a second person, declared two days ago and forwarded today: taken, but late by the hour, and said so
    case.step("declare_crime", case.head, track=two, declared_time="08:00", article="UU 7/2017 Ps. 494",
              reasoning="Ikut kampanye", acted_on=(today - timedelta(days=2)).isoformat())
    case.step("forward_to_police", case.handler, track=two, sent_time="00:01", acted_on=today.isoformat())
    assert ("criminal.forward_pemilu", two, "missed") in criminal(demo_sessions, case.number)[2]

    # the neutrality road goes on and closes the case; the criminal parts go on with the police's answers
    case.invite()
    case.step("record_clarification", case.handler, minutes="Hadir", attended=[f"reported:{n}" for n in case.nips])
    case.step("submit_study", case.handler, conclusion="Terbukti melanggar netralitas")
    case.step("decide_plenary", case.head, outcome="violation", reasoning="Terbukti melanggar netralitas")
    case.step("forward", case.head)
    case.recommend(one)
    with demo_sessions() as session:  # BKN and the BKPSDM see the people's tracks, not their criminal parts
        for who, people in (("pengawas.bkn", 2), ("bkpsdm.kukar", 1)):
            seen = case_view(session, principal_of(session, who), case.number)
            assert [p["criminal"] for p in seen["reported"]] == [None] * people, who
            assert not [d for d in seen["deadlines"] if d["rule"].startswith("criminal.")], who
            assert not [x for x in seen["letters"] if x["kind"] == "forward_police"], who
    case.step("record_left_service", "bkpsdm.kukar", track=one, left_reason="retired")
    case.not_proven(two)
    assert criminal(demo_sessions, case.number)[0] == "closed"
    case.step("record_police_answer", case.handler, track=one, answer="to_prosecutor", answer_reference="B/12/2026")
    case.step("record_police_answer", case.handler, track=one, answer="verdict",
              answer_reference="12/Pid.Sus/2026/PN Tgr", note="Pidana percobaan")
    case.step("record_police_answer", case.handler, track=two, answer="stopped", answer_reference="SP3/3/2026")
    stage, parts, deadlines = criminal(demo_sessions, case.number)
    assert parts == {one: "criminal_verdict", two: "criminal_stopped"} and stage == "closed"
    assert not [k for k in deadlines if k[2] == "open"]  # ended: nothing more is asked of the police
    with pytest.raises(CaseworkError) as ended:
        case.step("record_police_answer", case.handler, track=one, answer="stopped", answer_reference="x")
    assert ended.value.code == "workflow.track_wrong_stage"

    with demo_sessions() as session:  # counted on Bawaslu's dashboard and in its export, under its own name
        bars = {b.key: (b.label, b.value) for b in criminal_by_stage(session, principal_of(session, "penangan.kukar"),
                                                                      now=utcnow())}
        assert bars["criminal_verdict"][0] == "Putusan pengadilan" and bars["criminal_stopped"][1] >= 1
        assert criminal_by_stage(session, principal_of(session, "bkpsdm.kukar"), now=utcnow()) == []
        sheets = {}
        for who in ("penangan.kukar", "bkpsdm.kukar"):
            out = io.BytesIO()
            export_cases(session, out, "xlsx", Audience(principal_of(session, who)))
            sheets[who] = load_workbook(io.BytesIO(out.getvalue())).active
    for who, expected in (("penangan.kukar", "Putusan pengadilan; Pidana dihentikan"), ("bkpsdm.kukar", "-")):  # the BKPSDM sees its one employee
        sheet = sheets[who]
        header = [c.value for c in sheet[1]]
        row = next(r for r in sheet.iter_rows(values_only=True) if case.number in r)
        assert row[header.index("Tahap pidana")] == expected, who
