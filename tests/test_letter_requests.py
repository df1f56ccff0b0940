"""Letters owed are rows, claimed once by whoever issues them (desk, Airflow's deliverer, CLI): never a second
number for the same letter, however the issuers interleave. Both backends; real renders, real SMTP sink."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from admin import create_app
from casework.mail import correspondence
from casework.models import Case, Letter
from tests.builder import Builder, Person
from tests.helpers import client_as, csrf


@pytest.fixture
def app(demo_engine, netra_settings):
    settings = replace(netra_settings, database_url=demo_engine.url.render_as_string(hide_password=False),
                       secret_key="test-secret")
    return create_app(settings)


def issued(sessions, number: str, kind: str) -> list[str]:
    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
        return list(session.scalars(select(Letter.number).where(Letter.case_id == case_id, Letter.kind == kind,
                                                                Letter.status == "issued").order_by(Letter.id)))


def flashes(html: str) -> str:
    return " ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S))


def test_a_report_gets_one_receipt_when_the_system_and_a_handler_clicking_three_times_both_issue(
        app, demo_sessions, mail, netra_settings):
    """As tried by a user: one laporan, Airflow's run delivers, the handler clicks "Terbitkan surat" three times."""
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu"))
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)
    handler = client_as(app, "penangan.kukar")
    said = []
    for _ in range(3):
        page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
        html = handler.post(f"/kasus/{case.number}/surat/receipt", data={"csrf_token": csrf(page), "recipient": "0"},
                            follow_redirects=True).get_data(as_text=True)
        said.append(flashes(html))
    receipts = issued(demo_sessions, case.number, "receipt")
    assert len(receipts) == 1, receipts
    assert all(f"surat ini sudah diterbitkan: nomor {receipts[0]}" in s for s in said), said


def test_one_hearing_gets_one_set_of_minutes_when_airflow_and_the_handler_both_issue(
        app, demo_sessions, mail, netra_settings):
    case = Builder(demo_sessions, netra_settings).laporan(Person("Satu")).register()
    case.step("invite_clarification", case.handler)
    case.step("record_clarification", case.handler, minutes="Terlapor hadir")
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # netra-system, via Airflow
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    handler.post(f"/kasus/{case.number}/surat/clarification_minutes", data={"csrf_token": csrf(page),
                                                                          "recipient": "0"})
    correspondence.deliver(demo_sessions, case.number, settings=netra_settings)  # the run wakes again
    assert len(issued(demo_sessions, case.number, "clarification_minutes")) == 1
