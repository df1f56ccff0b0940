"""'Tugas saya': exactly the visible cases where the user has a step now, nearest deadline first."""
from sqlalchemy import select

from casework.access.scope import visible_cases
from casework.models import Case
from casework.road.workflow import available_steps
from casework.road.worklist import my_work
from tests.helpers import principal_of


def test_my_work_is_exactly_the_actionable_cases_in_deadline_order(demo_sessions):
    with demo_sessions() as session:
        for username in ("penangan.kukar", "penangan.ri", "ketua.kukar", "pengawas.bkn", "bkpsdm.kukar", "auditor",
                         "admin"):
            user = principal_of(session, username)
            items = my_work(session, user)
            # a case waits on them when a step is owed by them: optional steps (declaring a crime) are not owed
            expected = {c.number for c in session.scalars(visible_cases(user))
                        if [o for o in available_steps(c, user) if not o.command.optional]}
            assert {i.number for i in items} == expected, username
            dues = [i.due_at for i in items if i.due_at]
            assert dues == sorted(dues) and all(i.due_at for i in items[:len(dues)]), username
        kukar = principal_of(session, "penangan.kukar")
        assert {session.scalar(select(Case.regency_code).where(Case.number == i.number))
                for i in my_work(session, kukar)} == {"6402"}
        assert any(i.overdue for i in my_work(session, principal_of(session, "penangan.kukar")))
