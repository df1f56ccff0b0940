"""The access module (casework/access): who sees which case and which person, and who may do what — on both
databases. The SQL forms (lists, searches, counts, reports) and the Python forms (one loaded case) are checked
equal for every demo case and every demo login; the rules themselves on cases built for them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from casework.access.policy import Action, Forbidden, decide, permits, sees_criminal_parts
from casework.access.principal import ASSIGNABLE, OPERATOR, SYSTEM, Role, principal_for
from casework.access.scope import (
    case_scope, deadline_scope, find_visible_case, person_scope, search_clause, sees_case, visible_cases,
    visible_people,
)
from casework.access.view import case_view
from casework.adapters.db import transaction
from casework.errors import NotFound, ValidationError
from casework.models import Case, Deadline, Letter, OversightBody, Regency, ReportedASN, User
from casework.road.evidence import add_evidence
from casework.road.inputs import Upload
from casework.road.intake import open_case
from casework.road.workflow import COMMANDS, available_steps
from tests.builder import Builder, Person, as_user
from tests.helpers import decide as step, fingerprint, owed_request, principal_of
from tests.test_intake import valid_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def everyone(session):
    users = session.scalars(select(User).options(selectinload(User.roles), selectinload(User.office))).all()
    return [principal_for(u) for u in users] + [SYSTEM, OPERATOR]


def visible(session, username) -> list[Case]:
    return list(session.scalars(visible_cases(principal_of(session, username))))


# --- the SQL and the Python forms agree --------------------------------------------------------------------------
def test_sql_scopes_equal_the_python_predicates_for_every_case_and_login(demo_sessions):
    with demo_sessions() as session:
        cases = session.scalars(select(Case).options(selectinload(Case.reported))).all()
        for p in everyone(session):
            in_sql = set(session.scalars(select(Case.id).where(case_scope(p))))
            assert in_sql == {c.id for c in cases if sees_case(p, c)}, p.username
            people = set(session.scalars(select(ReportedASN.id).where(person_scope(p))))
            assert people == {x.id for c in cases if sees_case(p, c) for x in visible_people(p, c)}, p.username
            deadlines = set(session.scalars(select(Deadline.id).where(deadline_scope(p))))
            # a person's criminal part's deadlines only for whoever sees criminal parts (the policy's rule)
            expected = {d.id for d in session.scalars(select(Deadline)) if d.reported_asn_id is None
                        or d.reported_asn_id in people and (sees_criminal_parts(p)
                                                            or not d.rule_id.startswith("criminal."))}
            assert deadlines == expected, p.username


# --- who sees what ------------------------------------------------------------------------------------------------
def test_bawaslu_sees_by_level_the_auditor_all_the_administrator_nothing(demo_sessions):
    with demo_sessions() as session:
        total = session.scalar(select(func.count()).select_from(Case))
        kukar, kaltim = visible(session, "penangan.kukar"), visible(session, "penangan.kaltim")
        assert len(visible(session, "penangan.ri")) == total == len(visible(session, "auditor"))
        assert kukar and {c.regency_code for c in kukar} == {"6402"}
        assert {c.regency_code[:2] for c in kaltim} == {"64"} and len(kaltim) > len(kukar)
        assert len(visible(session, "ketua.kukar")) == len(kukar)
        assert visible(session, "admin") == []


def test_oversight_sees_only_the_cases_forwarded_to_its_body(demo_sessions):
    with demo_sessions() as session:
        bkn = session.scalar(select(OversightBody.id).where(OversightBody.code == "BKN"))
        seen = visible(session, "pengawas.bkn")
        assert seen and all(any(p.oversight_body_id == bkn for p in c.reported) for c in seen)
        assert {c.stage for c in seen} <= {"forwarded", "closed"}


def test_a_bkpsdm_officer_sees_only_their_referred_employees_on_a_shared_case(demo_sessions):
    with demo_sessions() as session:
        kukar, kaltim = principal_of(session, "bkpsdm.kukar"), principal_of(session, "bkpsdm.kaltim")
        shared = [c for c in visible(session, "bkpsdm.kukar") if {p.agency.code for p in c.reported} ==
                  {"pemkab-6402", "pemprov-64"} and all(p.referred_to_agency_at for p in c.reported)]
        assert shared, "the demo carries a forwarded case shared by Pemkab Kukar and Pemprov Kaltim"
        case = shared[0]
        assert [p.agency.code for p in visible_people(kukar, case)] == ["pemkab-6402"]
        assert [p.agency.code for p in visible_people(kaltim, case)] == ["pemprov-64"]
        view = case_view(session, kukar, case.number)
        assert [p["agency"] for p in view["reported"]] == ["Pemerintah Kabupaten Kutai Kartanegara"]
        other = next(p for p in case.reported if p.agency.code == "pemprov-64")
        assert all(h["reported_asn_id"] != other.id for h in view["history"])
        assert all(d["reported_asn_id"] != other.id for d in view["deadlines"])
        assert view["evidence"] == [] and view["reporter"] is None
        # a case still at Bawaslu is not the agency's yet
        pending = session.scalar(select(Case).where(Case.regency_code == "6402", Case.stage == "study"))
        assert find_visible_case(session, kukar, pending.number) is None


def test_people_of_the_same_name_are_told_apart_by_id(demo_sessions):
    with demo_sessions() as session:
        case = next(c for c in visible(session, "bkpsdm.kukar") if len({p.name for p in c.reported}) == 1
                    and len(c.reported) == 2)
        other = next(p for p in case.reported if p.agency.code != "pemkab-6402")
        assert other.track_stage == "not_proven" and other.finding_reason
        view = case_view(session, principal_of(session, "bkpsdm.kukar"), case.number)
        assert len(view["reported"]) == 1 and view["reported"][0]["finding_reason"] is None
        assert other.finding_reason not in str(view)
        assert other.nip not in str(view)


def test_only_the_handling_office_handlers_see_the_reporter(demo_sessions):
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.regency_code == "6402", Case.reporter_id.is_not(None)))
        assert permits(principal_of(session, "penangan.kukar"), Action.SEE_REPORTER, case)
        for other in ("ketua.kukar", "penangan.kaltim", "penangan.ri", "auditor", "pengawas.bkn", "bkpsdm.kukar"):
            assert not permits(principal_of(session, other), Action.SEE_REPORTER, case), other


def test_a_search_matches_people_only_among_those_the_user_may_see(demo_sessions):
    """A BKPSDM officer's search cannot tell whether another agency's employee is on a shared case: not by name,
    not by NIP, not by NIP prefix (the ~50 requests that used to spell a NIP out)."""
    with demo_sessions() as session:
        kukar = principal_of(session, "bkpsdm.kukar")
        case = next(c for c in visible(session, "bkpsdm.kukar")
                    if {p.agency.code for p in c.reported} == {"pemkab-6402", "pemprov-64"})
        own = next(p for p in case.reported if p.agency.code == "pemkab-6402")
        other = next(p for p in case.reported if p.agency.code == "pemprov-64")

        def found(term):
            return case.id in set(session.scalars(select(Case.id).where(case_scope(kukar), search_clause(kukar, term))))

        assert found(own.nip) and found(own.name) and found(own.nip[:6])
        assert not found(other.nip) and not found(other.nip[:10])
        if other.name != own.name:
            assert not found(other.name)
        handler = principal_of(session, "penangan.kukar")  # who sees the whole case finds it by anyone on it
        assert case.id in set(session.scalars(select(Case.id).where(search_clause(handler, other.nip))))


# --- who may do what ----------------------------------------------------------------------------------------------
def test_the_handling_office_decides_the_levels_above_only_see(demo_sessions):
    case = Builder(demo_sessions).laporan(Person("Satu"))
    with demo_sessions() as session:
        loaded = session.scalar(select(Case).where(Case.number == case.number))
        begin = COMMANDS["begin_review"]
        assert permits(principal_of(session, "penangan.kukar"), Action.TAKE_STEP, loaded, command=begin)
        for upper in ("penangan.kaltim", "penangan.ri"):
            d = decide(principal_of(session, upper), Action.TAKE_STEP, loaded, command=begin)
            assert not d and not d.hidden and d.code == "access.not_handling_office"
        assert not available_steps(loaded, principal_of(session, "penangan.kaltim"))
    with pytest.raises(Forbidden) as refused:
        step(demo_sessions, "begin_review", case.number, "penangan.kaltim")
    assert "ditangani" in refused.value.render("id") and "handled by" in refused.value.render("en")
    with pytest.raises(NotFound):  # another regency's handler: the case does not exist for them
        step(demo_sessions, "begin_review", case.number, principal_of_office(demo_sessions, "bawaslu-6472"))


def principal_of_office(sessions, office_code):
    from casework.access.principal import OfficeRef, Principal
    from casework.models import Office
    with sessions() as session:
        office = session.scalar(select(Office).where(Office.code == office_code))
        return Principal(f"penangan.{office_code}", frozenset({Role.BAWASLU_HANDLER}), OfficeRef.of(office))


def test_a_bkpsdm_officer_acts_on_their_own_employee_only(demo_engine, demo_sessions, tmp_path):
    from casework.settings import Settings
    settings = Settings.from_env({"NETRA_VAR_DIR": str(tmp_path)})
    case = Builder(demo_sessions, settings).laporan(Person("Satu"), Person("Dua", agency="pemprov-64")).forward()
    own, other = case.nips
    case.recommend(own).recommend(other)
    before = fingerprint(demo_engine)
    with pytest.raises(NotFound) as hidden:  # the other agency's employee "is not on this case" for them
        step(demo_sessions, "record_sanction", case.number, "bkpsdm.kukar", track=other, settings=settings,
             sanction_level="moral", sanction="moral.terbuka", decree_number="800/X", decree_date="2026-01-05",
             decree_signer_name="Bupati", decree_pdf=Upload("sk.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert hidden.value.code == "workflow.unknown_track"
    assert fingerprint(demo_engine) == before
    case.sanction(own)  # their own: recorded
    case.sanction(other)  # the province's officer records theirs
    with demo_sessions() as session:
        loaded = session.scalar(select(Case).where(Case.number == case.number))
        assert loaded.stage == "closed"
        assert {p.agency.code: p.decree_number for p in loaded.reported} == {
            "pemkab-6402": f"800/{own[-3:]}/BKPSDM", "pemprov-64": f"800/{other[-3:]}/BKPSDM"}


def test_an_oversight_officer_of_another_body_is_refused(demo_sessions):
    case = Builder(demo_sessions).laporan(Person("Satu")).forward()  # forwarded now: to BKN
    with pytest.raises(NotFound):  # KASN's officer does not see BKN's cases
        step(demo_sessions, "record_oversight_recommendation", case.number, "pengawas.kasn", track=case.nips[0],
             outcome="not_proven", reason="x")


def test_intake_accepts_only_the_office_s_own_area(demo_engine, demo_sessions):
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as raised, transaction(demo_sessions) as session:
        open_case(session, valid_input(regency="6371", district=None, election="simulasi-pemilu"),
                  principal=principal_of(session, "penangan.kukar"))
    assert [p.code for p in raised.value.problems] == ["access.regency_outside_office"]
    assert "Kota Banjarmasin berada di luar wilayah" in raised.value.render("id")
    with pytest.raises(Forbidden), transaction(demo_sessions) as session:  # another office's name
        open_case(session, valid_input(office="bawaslu-6472"), principal=principal_of(session, "penangan.kukar"))
    for who in ("ketua.kukar", "auditor", "bkpsdm.kukar", "admin"):
        with pytest.raises(Forbidden), transaction(demo_sessions) as session:
            open_case(session, valid_input(), principal=principal_of(session, who))
    assert fingerprint(demo_engine) == before
    with transaction(demo_sessions) as session:  # the province's handler: any regency of the province
        principal = principal_of(session, "penangan.kaltim")
        assert open_case(session, valid_input(office="bawaslu-64", regency="6472", district=None,
                                              election="simulasi-pemilu"), principal=principal).regency_code == "6472"


def test_a_merge_target_outside_the_office_is_not_found_and_tells_nothing(demo_engine, demo_sessions):
    b = Builder(demo_sessions)
    mine, other_office = b.laporan(Person("Satu")), None
    with demo_sessions() as session:
        other_office = session.scalar(select(Case.number).where(Case.regency_code == "6472"))
        closed = session.scalar(select(Case.number).where(Case.regency_code != "6402", Case.stage == "closed"))
    before = fingerprint(demo_engine)
    said = []
    for target in (other_office, closed, "LP-6402-2099-9999"):
        with pytest.raises(ValidationError) as raised:
            step(demo_sessions, "merge", mine.number, "penangan.kukar", into=target)
        said.append(raised.value.render("id").replace(target, "X"))
    assert len(set(said)) == 1 and "Selesai" not in said[0]  # the same words whatever the other case is
    assert fingerprint(demo_engine) == before


def test_letters_and_evidence_follow_the_people_they_name(demo_sessions, tmp_path):
    from casework.letters.issue import issue_letter
    from casework.settings import Settings
    settings = Settings.from_env({"NETRA_VAR_DIR": str(tmp_path)})
    case = Builder(demo_sessions, settings).laporan(Person("Satu"), Person("Dua", agency="pemprov-64")).forward()
    own, other = case.nips
    case.recommend(own).recommend(other)
    fake = lambda context: b"%PDF-1.4\n%%EOF\n"  # noqa: E731 - the renderer is test_letters'
    handler = as_user(demo_sessions, "penangan.kukar")
    issue_letter(demo_sessions, owed_request(demo_sessions, case.number, "recommendation_to_oversight"), handler,
                 settings=settings, render=fake)
    for _ in (0, 1):  # one invitation to each reported ASN
        issue_letter(demo_sessions, owed_request(demo_sessions, case.number, "clarification_invitation"), handler,
                     settings=settings, render=fake)
    with transaction(demo_sessions) as session:
        loaded = session.scalar(select(Case).where(Case.number == case.number))
        add_evidence(session, loaded, data=PNG, filename="bukti.png", principal=principal_of(session, "penangan.kukar"),
                     settings=settings)
    with demo_sessions() as session:
        loaded = session.scalar(select(Case).where(Case.number == case.number))
        letters = session.scalars(select(Letter).where(Letter.case_id == loaded.id)).all()
        people = {p.id: p.nip for p in loaded.reported}
        kukar = principal_of(session, "bkpsdm.kukar")
        readable = {(x.kind, people.get(x.reported_asn_id)) for x in letters
                    if permits(kukar, Action.READ_LETTER, loaded, letter=x)}
        assert readable == {("clarification_invitation", own)}  # not the case-wide one, not the other's
        assert not permits(kukar, Action.READ_EVIDENCE, loaded)
        handler = principal_of(session, "penangan.kukar")
        assert all(permits(handler, Action.READ_LETTER, loaded, letter=x) for x in letters)
        assert permits(handler, Action.READ_EVIDENCE, loaded)
        with pytest.raises(Forbidden):  # the province sees the case but the evidence is the handling office's
            add_evidence(session, loaded, data=PNG, filename="x.png", principal=principal_of(session, "penangan.kaltim"),
                         settings=settings)


def test_the_system_administrator_is_refused_everything_on_a_case(demo_sessions):
    with demo_sessions() as session:
        admin = principal_of(session, "admin")
        case = session.scalar(select(Case).order_by(Case.id))
        for action in (Action.SEE_CASE, Action.SEE_REPORTER, Action.READ_EVIDENCE, Action.ISSUE_LETTER):
            assert decide(admin, action, case).hidden
        assert permits(admin, Action.ADMINISTER) and not permits(principal_of(session, "auditor"), Action.ADMINISTER)


def test_roles_in_code_are_the_roles_in_the_rules():
    from casework.rules import load
    assert {r["code"] for r in load("roles")["roles"]} == {r.value for r in ASSIGNABLE}


def test_a_regency_is_in_an_office_s_area_by_level(demo_sessions):
    from casework.access.scope import in_area
    with demo_sessions() as session:
        for who, inside, outside in [("penangan.kukar", "6402", "6472"), ("penangan.kaltim", "6472", "6371"),
                                     ("penangan.ri", "6371", None)]:
            office = principal_of(session, who).office
            assert in_area(office, session.get(Regency, inside))
            if outside:
                assert not in_area(office, session.get(Regency, outside))
