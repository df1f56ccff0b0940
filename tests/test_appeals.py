"""Objection and appeal against a PPK's decree (issue 18 item 3; PP 79/2021, rules/appeals.toml), on both databases:
a keberatan against a lighter penalty, a banding against a dismissal; filed late is recorded and said to be late;
the decision upholds, revises (a new decree, the old one marked revised) or annuls (the track ends as "Sanksi
dibatalkan"); refused when the revision contradicts the outcome; on the case page and in the export."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.access.view import case_view
from casework.adapters.db import transaction
from casework.errors import CaseworkError, ValidationError
from casework.models import Case, Deadline, utcnow
from casework.reports.dashboard import special_paths
from casework.road.workflow import take
from casework.spreadsheets.export import OPERATOR, export_cases
from tests.helpers import principal_of
from tests.test_sanctions import BKPSDM, HANDLER, PDF, Upload, at, decree, nip, referred_case, settings, step  # noqa: F401


def taken(sessions, number, name, actor, when, *, track, settings=None, **fields):
    """Take a step; the warnings it was taken with."""
    with transaction(sessions) as session:
        version = session.scalar(select(Case.version).where(Case.number == number))
        return take(session, name, case_number=number, principal=principal_of(session, actor),
                    expected_version=version, at=when, track=track, settings=settings, fields=fields).warnings


def person(sessions, number, n):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        p = case.reported[n - 1]
        rules = {(d.rule_id, d.status) for d in session.scalars(select(Deadline).where(
            Deadline.reported_asn_id == p.id)) if d.rule_id.startswith("appeal.")}
        return (p.track_stage, p.sanction, [(d.sanction, d.status) for d in p.decrees],
                [(a.kind, a.late, a.outcome) for a in p.appeals], rules)


def test_an_objection_revises_a_penalty_and_an_appeal_annuls_a_dismissal(demo_sessions, settings):
    number = referred_case(demo_sessions, ["pemkab-6402", "pemkab-6402"], recommend="disiplin.sedang.potong_tpk_12")
    step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(1), settings=settings,
         **decree("disiplin.sedang.potong_tpk_12"))
    step(demo_sessions, number, "record_sanction", BKPSDM, at("2024-04-02"), track=nip(2), settings=settings,
         **decree("disiplin.berat.pemberhentian_dengan_hormat", decree_number="800/99/BKPSDM/2024"))
    assert person(demo_sessions, number, 1)[0] == "sanctioned"

    # a keberatan against the medium penalty, within 14 working days of the decree (1 April 2024)
    assert taken(demo_sessions, number, "record_appeal", BKPSDM, at("2024-04-05"), track=nip(1)) == ()
    with pytest.raises(CaseworkError) as twice:  # one open objection at a time
        taken(demo_sessions, number, "record_appeal", BKPSDM, at("2024-04-05"), track=nip(1))
    assert twice.value.code == "appeal.already_open"
    _, _, _, appeals, rules = person(demo_sessions, number, 1)
    assert appeals == [("keberatan", False, None)] and rules == {("appeal.keberatan_decision", "open")}

    # a lightened outcome needs a lighter penalty; an upheld one takes none
    for outcome, fields, code in (
            ("lightened", {"sanction_level": "heavy", "sanction": "disiplin.berat.penurunan_jabatan",
                           "effective_from": "2024-05-01"}, "appeal.not_lightened"),
            ("upheld", {"sanction_level": "light", "sanction": "disiplin.ringan.teguran_tertulis"},
             "appeal.no_revision")):
        with pytest.raises(ValidationError) as refused:
            taken(demo_sessions, number, "record_appeal_decision", BKPSDM, at("2024-04-20"), track=nip(1),
                  outcome=outcome, decision_number="800/K/1/2024", **fields)
        assert code in [p.code for p in refused.value.problems]
    taken(demo_sessions, number, "record_appeal_decision", BKPSDM, at("2024-04-20"), track=nip(1), settings=settings,
          outcome="lightened", decision_number="800/K/1/2024", sanction_level="medium",
          sanction="disiplin.sedang.potong_tpk_6", effective_from="2024-05-01",
          decision_pdf=Upload("putusan.pdf", PDF))
    stage, sanction, decrees, appeals, rules = person(demo_sessions, number, 1)
    assert stage == "sanctioned" and sanction == "disiplin.sedang.potong_tpk_6"
    assert decrees == [("disiplin.sedang.potong_tpk_12", "revised"), ("disiplin.sedang.potong_tpk_6", "in_force")]
    assert appeals == [("keberatan", False, "lightened")] and rules == {("appeal.keberatan_decision", "met")}

    # a banding against the dismissal, filed a month later: recorded, and said to be late (PP 79/2021 Ps. 11 (3))
    [warning] = taken(demo_sessions, number, "record_appeal", HANDLER, at("2024-05-06"), track=nip(2))
    assert warning.code == "appeal.late" and "PP 79/2021 Ps. 11 ayat (3)" in warning.render("id")
    assert person(demo_sessions, number, 2)[3] == [("banding", True, None)]
    taken(demo_sessions, number, "record_appeal_decision", HANDLER, at("2024-07-01"), track=nip(2),
          outcome="annulled", decision_number="BPASN/12/2024", note="Pemeriksaan tidak memenuhi prosedur")
    stage, sanction, decrees, appeals, rules = person(demo_sessions, number, 2)
    assert (stage, sanction) == ("sanction_annulled", None)
    assert decrees == [("disiplin.berat.pemberhentian_dengan_hormat", "annulled")]
    assert rules == {("appeal.banding_decision", "met")}

    with demo_sessions() as session:  # the case page and the export say so
        seen = case_view(session, principal_of(session, HANDLER), number)
        [one, two] = seen["reported"]
        assert [d["status_label"] for d in one["decrees"]] == ["diganti putusan keberatan/banding", None]
        assert two["appeals"][0]["outcome_label"] == "SK dibatalkan" and two["appeals"][0]["late"]
        assert two["track_label"] == "Sanksi dibatalkan"
        paths = {b.key: b.value for b in special_paths(session, principal_of(session, HANDLER), now=utcnow())}
        assert paths["appeal_decided"] >= 2  # counted on the dashboard
        out = io.BytesIO()
        export_cases(session, out, "xlsx", OPERATOR)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(values_only=True) if number in r)
    assert row[header.index("Upaya administratif")] == "Keberatan: Diperingan; Banding administratif: SK dibatalkan"
    assert "Sanksi dibatalkan" in row[header.index("Tahap terlapor")]
