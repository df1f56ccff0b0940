"""BKN's blocking of a late PPK's employee's personnel data, recorded (issue 18 item 3): asked on the ladder,
recorded as done with BKN's reference, lifted with its reason — also after the case closed — and shown on the case
page, the dashboard and the export."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from casework.adapters.db import transaction
from casework.errors import ValidationError
from casework.letters.issue import issue_letter
from casework.letters.requests import request_letters
from casework.models import Case, PersonnelBlock, ReportedASN, utcnow
from casework.reports.dashboard import cases_by_agency, special_paths
from casework.road.commands import available_steps
from casework.spreadsheets.export import OPERATOR, export_cases
from tests.builder import Builder, Person
from tests.helpers import client_as, principal_of
from tests.test_desk import app  # noqa: F401  (the desk on both backends)


def offered(sessions, number, who) -> set[str]:
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        return {o.command.name for o in available_steps(case, principal_of(session, who))}


def escalated_once(sessions, case) -> None:
    """The PPK let its deadline pass and one rung was taken (tests/test_workflow walks the ladder for real)."""
    with sessions.begin() as session:
        session.execute(update(ReportedASN).where(ReportedASN.nip == case.nips[0]).values(escalation_step=3))


def test_a_block_is_recorded_then_lifted_after_the_case_closed(app, demo_sessions):  # noqa: F811
    case = Builder(demo_sessions, app.config["NETRA_SETTINGS"]).laporan(Person("Satu")).forward()
    nip = case.nips[0]
    case.recommend(nip)
    assert "record_block" not in offered(demo_sessions, case.number, "penangan.kukar")  # the PPK is not late
    escalated_once(demo_sessions, case)
    assert "record_block" in offered(demo_sessions, case.number, "penangan.kukar")
    assert "record_block" in offered(demo_sessions, case.number, "pengawas.bkn")
    assert "record_block" not in offered(demo_sessions, case.number, "bkpsdm.kukar")  # BKN's act, told by them

    with pytest.raises(ValidationError) as refused:  # BKN's reference is what makes it a record
        case.step("record_block", "pengawas.bkn", track=nip, reference="")
    assert [p.field for p in refused.value.problems] == ["reference"]
    # the rung's letter that asked BKN, issued (a stand-in PDF: its number is the point), is named with the block
    with transaction(demo_sessions) as session:
        row = session.scalar(select(Case).where(Case.number == case.number))
        [request] = request_letters(session, row, ["personnel_block_request"], actor="penangan.kukar",
                                    cause="test.block_request", person=row.reported[0])
        request_id = request.id
    with demo_sessions() as session:
        handler_principal = principal_of(session, "penangan.kukar")
    asked = issue_letter(demo_sessions, request_id, handler_principal, settings=app.config["NETRA_SETTINGS"],
                         render=lambda context: b"%PDF-1.4\n%%EOF\n").number
    case.step("record_block", "pengawas.bkn", track=nip, reference="B-123/SIASN/XII/2026")
    assert "record_block" not in offered(demo_sessions, case.number, "pengawas.bkn")  # one open block at a time
    assert "record_unblock" in offered(demo_sessions, case.number, "penangan.kukar")

    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert 'id="blocks"' in page and "B-123/SIASN/XII/2026" in page and "masih diblokir" in page
    assert f"diminta dengan surat {asked}" in page  # the letter that asked
    with demo_sessions() as session:
        row = next(a for a in cases_by_agency(session, principal_of(session, "auditor"), now=utcnow())
                   if a.code == "pemkab-6402")
        assert row.blocked >= 1
        paths = {b.key: b.value for b in special_paths(session, principal_of(session, "auditor"), now=utcnow())}
        assert paths["blocked"] >= 1

    case.sanction(nip)  # the PPK acts; the case closes; BKN then lifts the block
    with demo_sessions() as session:
        assert session.scalar(select(Case.stage).where(Case.number == case.number)) == "closed"
    with pytest.raises(ValidationError) as early:  # not before it began
        case.step("record_unblock", "penangan.kukar", track=nip, reference="B-200", reason="PPK sudah menjatuhkan",
                  acted_on="2020-01-01")
    assert {p.field for p in early.value.problems} >= {"acted_on"}
    case.step("record_unblock", "penangan.kukar", track=nip, reference="B-200/SIASN/XII/2026",
              reason="PPK telah menjatuhkan hukuman")
    with demo_sessions() as session:
        (block,) = session.scalars(select(PersonnelBlock).join(ReportedASN).where(ReportedASN.nip == nip)).all()
        assert block.unblocked_on is not None and block.unblocked_by == "penangan.kukar"
        closed = session.scalar(select(Case).where(Case.number == case.number))
        assert closed.stage == "closed" and [h.to_stage for h in closed.history].count("closed") == 1
        out = io.BytesIO()
        export_cases(session, out, "xlsx", OPERATOR)
    assert "record_unblock" not in offered(demo_sessions, case.number, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert "PPK telah menjatuhkan hukuman" in page and "masih diblokir" not in page
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(values_only=True) if case.number in r)
    assert row[header.index("Diblokir BKN sejak")] == "-"  # lifted: no block in force
