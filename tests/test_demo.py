"""Demo data: at least 40 cases over Kalimantan, every stage, both elections, fictitious people; idempotent."""
from collections import Counter

from sqlalchemy import select

from casework import audit
from casework.adapters.db import transaction
from casework.settings import Settings
from demo.loader import load_demo
from casework.models import Case, ReportedASN, Reporter, User
from casework.road.identifiers import identifier_problems
from casework.road.stages import Stage, TrackStage
from tests.helpers import fingerprint


def test_demo_covers_the_whole_road(demo_sessions):
    with demo_sessions() as session:
        cases = session.scalars(select(Case)).all()
        assert len(cases) >= 40
        # spam is off the road (an online report thrown away: tests/test_public_intake.py), not a demo case
        assert {c.stage for c in cases} == set(Stage) - {Stage.SPAM}
        tracks = {p.track_stage for p in session.scalars(select(ReportedASN)) if p.track_stage}
        assert tracks == set(TrackStage)
        assert {c.election.kind for c in cases} == {"pemilu", "pilkada"}
        assert {c.regency.name for c in cases} >= {
            "Kabupaten Kutai Kartanegara", "Kota Samarinda", "Kota Balikpapan", "Kota Tarakan",
            "Kota Banjarmasin", "Kabupaten Kotabaru"}
        assert {c.regency.province_code for c in cases} <= {"63", "64", "65"}  # Kalimantan
        assert Counter(c.source for c in cases).keys() == {"laporan", "temuan"}
        assert sum(len(c.reported) > 1 for c in cases) >= 5  # cases naming several ASN of different agencies


def test_demo_cases_are_consistent(demo_sessions):
    with demo_sessions() as session:
        for case in session.scalars(select(Case)):
            assert case.occurred_on <= case.known_on <= case.received_on
            assert case.history[0].to_stage == "received"
            assert case.history[-1].at >= case.history[0].at
            assert [h.at for h in case.history] == sorted(h.at for h in case.history)
            case_steps = [h.to_stage for h in case.history if h.reported_asn_id is None]
            assert case_steps[-1] == case.stage
            if case.stage in ("registered", "clarification", "study", "plenary", "forwarded", "closed"):
                assert case.register_number
            for person in case.reported:  # each identified as their kind: NIP, NIK or NRP
                assert identifier_problems(person.person_kind, person.nip) == []
                if person.track_stage and person.person_kind == "asn":  # the others go to their own institution
                    assert person.oversight_body.code == "BKN"  # forwarded after 4 Sept 2024
            if case.stage == "merged":
                assert case.merged_into_id and case.merged_into_id != case.id
        assert audit.verify_chain(session) is None


def test_demo_people_are_fictitious_and_unreachable(demo_sessions):
    with demo_sessions() as session:
        emails = [u.email for u in session.scalars(select(User))] + \
                 [r.email for r in session.scalars(select(Reporter)) if r.email]
        assert emails and all(e.endswith(".test") for e in emails)
        roles = {r.code for u in session.scalars(select(User)) for r in u.roles}
        assert roles == {"bawaslu_handler", "bawaslu_head", "oversight_officer", "bkpsdm_officer", "auditor",
                         "sysadmin"}


def test_loading_twice_changes_nothing(demo_engine, demo_sessions, tmp_path):
    before = fingerprint(demo_engine)
    with transaction(demo_sessions) as session:
        assert load_demo(session, settings=Settings.from_env({"NETRA_VAR_DIR": str(tmp_path)}))["cases_added"] == 0
    assert fingerprint(demo_engine) == before
