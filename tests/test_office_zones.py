"""Offices abroad and Aceh's names (issue 18 item 5): a Panwaslu LN works in its own time zone — its deadlines end
at midnight in Kuala Lumpur, its letters are dated there — and every office's short name follows
rules/office_names.toml (Panwaslih in Aceh, Panwaslu LN abroad)."""
from datetime import UTC

import pytest
from sqlalchemy import select

from casework.letters.render import render_draft
from casework.models import Case, Deadline, Office
from tests.builder import Builder, Person
from tests.test_letters import pdf_text


@pytest.mark.unit
@pytest.mark.parametrize("name, short", [
    ("Badan Pengawas Pemilihan Umum Republik Indonesia", "Bawaslu RI"),
    ("Badan Pengawas Pemilihan Umum Kabupaten Kutai Kartanegara", "Bawaslu Kabupaten Kutai Kartanegara"),
    ("Panitia Pengawas Pemilihan Aceh", "Panwaslih Aceh"),
    ("Panitia Pengawas Pemilihan Kabupaten Aceh Besar", "Panwaslih Kabupaten Aceh Besar"),
    ("Panitia Pengawas Pemilihan Umum Luar Negeri Kuala Lumpur", "Panwaslu LN Kuala Lumpur"),
    ("Panitia Pengawas Pemilihan Umum Kecamatan Tenggarong", "Panwaslu Kecamatan Tenggarong"),
])
def test_each_office_is_named_short_as_its_law_names_it(name, short):
    office = Office(name=name)
    assert office.short_name == short and office.head_title == f"Ketua {short}"


def test_an_office_abroad_keeps_its_own_time_zone(demo_sessions):
    case = Builder(demo_sessions, office="panwaslu-ln-kuala-lumpur").laporan(Person("Satu"), regency="3171")
    with demo_sessions() as session:
        office = session.scalar(select(Office).where(Office.code == "panwaslu-ln-kuala-lumpur"))
        assert (office.province.timezone, office.timezone) == ("WIB", "MYT")  # Jakarta's province, its own zone
        row = session.scalar(select(Case).where(Case.number == case.number))
        [review] = session.scalars(select(Deadline).where(Deadline.case_id == row.id)).all()
        # the deadline ends at 23:59:59 in Kuala Lumpur (UTC+8), not in Jakarta (UTC+7): 15:59:59 UTC
        assert review.timezone == "MYT"
        assert (review.due_at.astimezone(UTC).hour, review.due_at.astimezone(UTC).minute) == (15, 59)
        text = " ".join(pdf_text(render_draft(session, case.number, "receipt", base_url="https://netra.test")).split())
    assert "Ketua Panwaslu LN Kuala Lumpur" in text and "Kuala Lumpur, " in text
