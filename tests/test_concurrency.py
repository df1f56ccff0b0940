"""Two people deciding the same case at the same moment, over HTTP, on SQLite and PostgreSQL: one wins, the other is
told "kasus telah berubah, muat ulang", and nothing of the loser's decision is written — no history row, no
deadline change, no audit event, no half version bump. The audit chain stays one line throughout."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from casework.audit import verify_chain
from casework.adapters.db import transaction
from casework.road.intake import open_case
from casework.models import AuditEvent, Case, Deadline, StageChange
from tests.helpers import client_as, csrf, fingerprint, principal_of
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.test_intake import valid_input

ROUNDS = 6
# (step, form fields) pairs both available at "received" to a Bawaslu handler: the same step twice, or two
# different decisions that exclude each other
RACES = [(("begin_review", {}), ("begin_review", {})),
         (("begin_review", {}), ("withdraw", {"reason": "Pelapor mencabut laporannya.", "confirm": "1"})),
         (("withdraw", {"reason": "Dicabut.", "confirm": "1"}),
          ("merge", {"into": "{other}", "note": "Sama dengan kasus lain.", "confirm": "1"}))]


@dataclass
class Outcome:
    status: int
    said: str


def race(app, number: str, version: int, steps) -> list[Outcome]:
    """Two of the handling office's handlers (two sessions: the demo has one login per role) load the case page,
    then post their decisions at the same instant."""
    clients = [client_as(app, "penangan.kukar"), client_as(app, "penangan.kukar")]
    tokens = [csrf(c.get(f"/kasus/{number}").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(2)
    outcomes: list[Outcome | None] = [None, None]

    def decide(i: int) -> None:
        step, fields = steps[i]
        start.wait()
        response = clients[i].post(f"/kasus/{number}/langkah/{step}",
                                   data={"csrf_token": tokens[i], "version": str(version), **fields})
        with clients[i].session_transaction() as data:
            said = " ".join(t for _c, t in data.pop("_flashes", []))
        if response.status_code == 409:  # the loser's step still applies: the page again, its form as typed
            said = " ".join(response.get_data(as_text=True).split())
        outcomes[i] = Outcome(response.status_code, said)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def test_two_people_deciding_the_same_case_at_once_one_wins_the_other_reloads(app, demo_engine, demo_sessions):
    with demo_sessions() as session:
        other = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == "study"))
    for round_ in range(ROUNDS):
        with transaction(demo_sessions) as session:  # a fresh laporan at "received" for each round
            case = open_case(session, valid_input(), principal=principal_of(session, "penangan.kukar"))
            number, case_id, version = case.number, case.id, case.version
        steps = [(name, {k: v.format(other=other) for k, v in fields.items()})
                 for name, fields in RACES[round_ % len(RACES)]]
        with demo_sessions() as session:
            history = session.scalar(select(func.count()).where(StageChange.case_id == case_id))
            events = session.scalar(select(func.count()).where(AuditEvent.case_id == case_id))
        outcomes = race(app, number, version, steps)
        assert all(o is not None and o.status in (302, 409) for o in outcomes), outcomes  # no 500, no hang
        won = [i for i, o in enumerate(outcomes) if "Tersimpan" in o.said]
        lost = [i for i, o in enumerate(outcomes) if "kasus telah berubah, muat ulang" in o.said]
        assert len(won) == 1 and len(lost) == 1, outcomes
        winner = steps[won[0]][0]
        with demo_sessions() as session:
            case = session.get(Case, case_id)
            expected_stage = {"begin_review": "initial_review", "withdraw": "withdrawn", "merge": "merged"}[winner]
            assert case.stage == expected_stage
            assert session.scalar(select(func.count()).where(StageChange.case_id == case_id)) == history + 1
            actions = session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id)
                                      .order_by(AuditEvent.id).offset(events)).all()
            assert actions == [f"case.{winner}"]  # the loser left no event
            if winner != "begin_review":  # withdraw and merge stop every open deadline; begin_review none
                assert session.scalar(select(func.count()).where(Deadline.case_id == case_id,
                                                                 Deadline.status == "open")) == 0
            assert verify_chain(session) is None


def test_a_stale_form_changes_nothing_at_all(app, demo_engine, demo_sessions):
    """The loser's side alone: a decision posted with the version before someone else's leaves every table as it
    was (fingerprint), on both backends."""
    with transaction(demo_sessions) as session:
        case = open_case(session, valid_input(), principal=principal_of(session, "penangan.kukar"))
        number, version = case.number, case.version
    first, second = client_as(app, "penangan.kukar"), client_as(app, "penangan.kukar")
    tokens = [csrf(c.get(f"/kasus/{number}").get_data(as_text=True)) for c in (first, second)]
    first.post(f"/kasus/{number}/langkah/begin_review", data={"csrf_token": tokens[0], "version": str(version)})
    before = fingerprint(demo_engine)
    late = second.post(f"/kasus/{number}/langkah/withdraw", data={"csrf_token": tokens[1], "version": str(version),
                                                                  "reason": "Dicabut."}, follow_redirects=True)
    page = late.get_data(as_text=True)
    assert late.status_code == 409 and "kasus telah berubah, muat ulang" in page
    # the withdrawal still applies at the new stage: its form comes back as typed, ready to be sent again
    assert 'data-step="withdraw"' in page and "Dicabut." in page and "Isian Anda masih ada" in page
    assert fingerprint(demo_engine) == before


@pytest.mark.parametrize("writers", [2, 8])
def test_many_writers_on_one_case_through_casework_one_wins_per_version(demo_sessions, writers):
    """Below the desk: `writers` threads call workflow.execute on the same case with the same version."""
    from casework.errors import CaseworkError
    from casework.access.principal import principal_named
    from casework.road.workflow import execute
    with transaction(demo_sessions) as session:
        case = open_case(session, valid_input(), principal=principal_of(session, "penangan.kukar"))
        number, version = case.number, case.version
    start = threading.Barrier(writers)
    results: list[str] = []

    def write(n: int) -> None:
        start.wait()
        try:
            with transaction(demo_sessions) as session:
                execute(session, "begin_review", case_number=number,
                        principal=principal_named(session, "penangan.kukar"), expected_version=version)
            results.append("won")
        except CaseworkError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == ["case.stale"] * (writers - 1) + ["won"]
    with demo_sessions() as session:
        assert verify_chain(session) is None
