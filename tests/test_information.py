"""A failed report taken up as a finding (issue 18 item 5, casework/road/information.py), on both databases: a
withdrawn laporan becomes a temuan of the same office with the same people, found on the day it was taken up, linked
to the laporan and without its reporter; once only; and the temuan goes down the road like any other."""
import pytest
from sqlalchemy import select

from casework.errors import CaseworkError
from casework.models import Case, Deadline
from casework.reference.timezones import local_today
from casework.models import utcnow
from tests.builder import Builder, BuiltCase, Person


def test_a_withdrawn_report_is_taken_up_as_a_finding_once(demo_sessions):
    builder = Builder(demo_sessions)
    laporan = builder.laporan(Person("Satu"), Person("Dua"), witnesses=("Saksi Satu",))
    laporan.step("withdraw", laporan.handler, reason="Pelapor mencabut laporan")
    with pytest.raises(CaseworkError) as refused:  # the supervisor who established it is asked for
        laporan.step("take_up_as_finding", laporan.handler)
    assert [p.field for p in refused.value.problems] == ["found_by"]
    laporan.step("take_up_as_finding", laporan.handler, found_by="Panwaslu Kecamatan Tenggarong",
                 note="Penelusuran membenarkan unggahan terlapor")
    today = local_today("WITA", utcnow())
    with demo_sessions() as session:
        old = session.scalar(select(Case).where(Case.number == laporan.number))
        new = session.scalar(select(Case).where(Case.linked_case_id == old.id))
        assert old.stage == "withdrawn" and old.history[-1].reason == f"Dijadikan temuan {new.number}"
        assert (new.source, new.stage, new.office_id, new.election_id) == ("temuan", "received", old.office_id,
                                                                           old.election_id)
        assert [(p.nip, p.name, p.agency_id) for p in new.reported] == \
            [(p.nip, p.name, p.agency_id) for p in old.reported]
        assert (new.known_on, new.received_on, new.occurred_on) == (today, today, old.occurred_on)
        assert new.reporter is None and new.witnesses == [] and new.receipt_code is None  # the reporter's stays
        assert f"Informasi awal dari laporan {old.number} (Dicabut)" in new.chronology
        assert new.found_by == "Panwaslu Kecamatan Tenggarong"
        assert {d.rule_id for d in session.scalars(select(Deadline).where(Deadline.case_id == new.id))} == \
            {"pemilu.initial_review"}
        number = new.number
    with pytest.raises(CaseworkError) as twice:
        laporan.step("take_up_as_finding", laporan.handler, found_by="Panwaslu Kecamatan Tenggarong")
    assert twice.value.code == "information.already_taken_up" and number in twice.value.render("id")
    # the finding goes down the road like any other: registered within its 7-day window from the day found
    BuiltCase(builder, number, laporan.people).register()
    with demo_sessions() as session:
        assert session.scalar(select(Case.stage).where(Case.number == number)) == "registered"
