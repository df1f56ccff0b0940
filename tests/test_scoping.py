"""Who sees which case, from the demo data, on both databases (the desk and every export use this function)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.accounts.login import lock_duration, login
from casework.errors import CaseworkError
from casework.models import Case, OversightBody, User, utcnow
from casework.access.scope import find_visible_case, may_see_reporter, visible_cases, visible_people


def user(session, username) -> User:
    return session.scalar(select(User).where(User.username == username))


def visible(session, username) -> list[Case]:
    return list(session.scalars(visible_cases(user(session, username))))


def test_bawaslu_sees_by_level(demo_sessions):
    with demo_sessions() as session:
        total = session.scalar(select(func.count()).select_from(Case))
        kukar = visible(session, "penangan.kukar")
        kaltim = visible(session, "penangan.kaltim")
        assert len(visible(session, "penangan.ri")) == total
        assert kukar and {c.regency_code for c in kukar} == {"6402"}
        assert {c.regency_code[:2] for c in kaltim} == {"64"} and len(kaltim) > len(kukar)
        assert {c.regency_code for c in kaltim} >= {"6402", "6472", "6471"}
        assert len(visible(session, "ketua.kukar")) == len(kukar)
        assert len(visible(session, "auditor")) == total
        assert visible(session, "admin") == []  # the system administrator sees no case content


def test_oversight_sees_only_forwarded_cases_of_its_body(demo_sessions):
    with demo_sessions() as session:
        seen = visible(session, "pengawas.bkn")
        assert seen and all(any(p.oversight_body and p.oversight_body.code == "BKN" for p in c.reported)
                            for c in seen)
        assert {c.stage for c in seen} <= {"forwarded", "closed"}
        expected = session.scalar(select(func.count(func.distinct(Case.id))).select_from(Case)
                                  .join(Case.reported).where(Case.reported.any(oversight_body_id=session.scalar(
                                      select(OversightBody.id).where(OversightBody.code == "BKN")))))
        assert len(seen) == expected


def test_bkpsdm_sees_own_agency_only_after_referral(demo_sessions):
    with demo_sessions() as session:
        officer = user(session, "bkpsdm.kukar")
        seen = visible(session, "bkpsdm.kukar")
        assert seen
        for case in seen:
            assert any(p.agency_id == officer.agency_id and p.referred_to_agency_at for p in case.reported)
            assert all(p.agency_id == officer.agency_id for p in visible_people(officer, case))
        # a Kukar case still at Bawaslu (not referred) is invisible to the agency
        pending = session.scalar(select(Case).where(Case.regency_code == "6402", Case.stage == "study"))
        assert pending is not None and find_visible_case(session, officer, pending.number) is None


def test_another_regency_cannot_reach_a_case_by_number(demo_sessions):
    with demo_sessions() as session:
        samarinda = session.scalar(select(Case).where(Case.regency_code == "6472"))
        assert find_visible_case(session, user(session, "penangan.kukar"), samarinda.number) is None
        assert find_visible_case(session, user(session, "penangan.kaltim"), samarinda.number) is not None


def test_only_the_handling_office_handlers_see_the_reporter(demo_sessions):
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402", Case.reporter_id.is_not(None)))
        assert may_see_reporter(user(session, "penangan.kukar"), case)
        for other in ("ketua.kukar", "penangan.kaltim", "penangan.ri", "auditor", "pengawas.bkn", "bkpsdm.kukar"):
            assert not may_see_reporter(user(session, other), case), other


def test_login_with_lockout_and_backoff(demo_sessions):
    now = utcnow()
    with pytest.raises(CaseworkError) as raised:
        login(demo_sessions, "nobody", "x", now=now)
    assert raised.value.code == "auth.failed"
    assert login(demo_sessions, "penangan.kukar", "netra-demo", now=now).username == "penangan.kukar"
    for _ in range(5):
        with pytest.raises(CaseworkError) as raised:
            login(demo_sessions, "penangan.kukar", "wrong", now=now)
        assert raised.value.code == "auth.failed"
    # locked now, even with the right password — with the one generic answer, which never says so of this
    # account (it only says an account can be locked); the lock lifts after its time
    with pytest.raises(CaseworkError) as raised:
        login(demo_sessions, "penangan.kukar", "netra-demo", now=now + timedelta(seconds=30))
    assert raised.value.code == "auth.failed" and "dikunci sementara" in raised.value.render("id")
    assert login(demo_sessions, "penangan.kukar", "netra-demo", now=now + timedelta(minutes=2))
    assert [lock_duration(n).total_seconds() for n in (4, 5, 6, 7, 20)] == [0, 60, 120, 240, 3600]
