"""The other endings of a track (issue 18 item 3, rules/track_outcomes.toml): the oversight body rejects or cancels
a forward with its reason; the oversight body or the BKPSDM records that the reported ASN left the service, which
cancels the track's deadlines. Each closes the track (and the case with its last track), and each is counted on
the dashboard and in the export under its own name."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.errors import CaseworkError, NotFound, ValidationError
from casework.models import Case, Deadline
from casework.reports.dashboard import tracks_by_stage
from casework.models import utcnow
from casework.spreadsheets.export import OPERATOR, export_cases
from tests.builder import Builder, Person
from tests.helpers import principal_of


def state(sessions, number):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        tracks = {p.nip: (p.track_stage, p.finding_reason) for p in case.reported}
        deadlines = {(d.rule_id, d.status) for d in session.scalars(select(Deadline).where(Deadline.case_id == case.id))
                     if d.reported_asn_id}
        return case.stage, tracks, deadlines


@pytest.mark.parametrize("outcome, label", [("rejected", "Ditolak"), ("cancelled", "Dibatalkan")])
@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the road's rules, not SQL
def test_the_oversight_body_rejects_or_cancels_with_its_reason(demo_sessions, outcome, label):
    case = Builder(demo_sessions).laporan(Person("Satu"), Person("Dua")).forward()
    one, two = case.nips
    with pytest.raises(ValidationError) as refused:  # the reason is required, a sanction makes no sense
        case.step("record_oversight_recommendation", "pengawas.bkn", track=one, outcome=outcome,
                  sanction="moral.terbuka")
    assert {p.field for p in refused.value.problems} == {"reason", "sanction"}
    case.step("record_oversight_recommendation", "pengawas.bkn", track=one, outcome=outcome,
              reason="Di luar kewenangan badan pengawas")
    stage, tracks, deadlines = state(demo_sessions, case.number)
    assert tracks[one] == (outcome, "Di luar kewenangan badan pengawas") and stage == "forwarded"
    assert ("oversight.recommendation", "met") in deadlines
    case.not_proven(two)  # the last open track closes: the case closes
    assert state(demo_sessions, case.number)[0] == "closed"
    with demo_sessions() as session:
        history = session.scalar(select(Case).where(Case.number == case.number)).history
        assert any(h.to_stage == outcome and h.reason.startswith(f"{label}: ") for h in history)


def test_left_service_is_recorded_by_the_bkpsdm_or_the_oversight_body_and_cancels_the_deadlines(demo_sessions):
    case = Builder(demo_sessions).laporan(Person("Satu"), Person("Dua"), Person("Tiga", agency="pemprov-64"))
    case.forward().recommend(case.nips[0])
    at_ppk, at_bkn, other_agency = case.nips
    with pytest.raises(ValidationError) as refused:  # which of the reasons is asked for
        case.step("record_left_service", "bkpsdm.kukar", track=at_ppk, left_reason="")
    assert [p.field for p in refused.value.problems] == ["left_reason"]
    with pytest.raises(CaseworkError) as other:  # another agency's employee is not this BKPSDM's to close
        case.step("record_left_service", "bkpsdm.kukar", track=other_agency, left_reason="retired")
    assert isinstance(other.value, NotFound) and other.value.code == "workflow.unknown_track"  # not even seen
    case.step("record_left_service", "bkpsdm.kukar", track=at_ppk, left_reason="retired", note="SK 800/12/2026")
    case.step("record_left_service", "pengawas.bkn", track=at_bkn, left_reason="deceased")
    stage, tracks, deadlines = state(demo_sessions, case.number)
    assert tracks[at_ppk] == ("left_service", "Pensiun: SK 800/12/2026")
    assert tracks[at_bkn] == ("left_service", "Meninggal dunia") and tracks[other_agency][0] == "oversight_review"
    # nobody owes the act any more: cancelled, neither met nor missed; the third track's deadline still runs
    assert ("agency.follow_up", "cancelled") in deadlines and ("oversight.recommendation", "cancelled") in deadlines
    assert ("oversight.recommendation", "open") in deadlines and stage == "forwarded"
    with pytest.raises(CaseworkError):  # a closed track takes no further step
        case.sanction(at_ppk)

    with demo_sessions() as session:  # counted under its own name on the dashboard and in the export
        bars = tracks_by_stage(session, principal_of(session, "penangan.kukar"), now=utcnow())
        counts = {bar.key: (bar.label, bar.value) for bar in bars}
        assert counts["left_service"][0] == "Tidak lagi ASN" and counts["left_service"][1] >= 2
        out = io.BytesIO()
        export_cases(session, out, "xlsx", OPERATOR)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(values_only=True) if case.number in r)
    assert "Tidak lagi ASN" in str(row[header.index("Tahap terlapor")])
