"""Reported people who are not ASN (issue 18 item 2, rules/person_kinds.toml), on both databases: a village head
(NIK, village), a police officer (NRP) and an ASN on one case — each identified and checked as their kind, the ASN
forwarded to the oversight body and the others to their own institution with its letter, whose answer closes
their track; the BKPSDM sees only its ASN; counted on the dashboard and in the export."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.access.view import case_view
from casework.errors import ValidationError
from casework.letters.render import render_draft
from casework.models import Case, Deadline, utcnow
from casework.reports.dashboard import reported_by_kind
from casework.spreadsheets.export import OPERATOR, export_cases
from tests.builder import Builder, Person
from tests.helpers import owed_request, principal_of
from tests.test_letters import pdf_text

NIK = "6402015503850001"  # Kutai Kartanegara, a woman born 15 March 1985
NRP = "85031234"


def test_each_kind_is_identified_as_its_law_does():
    from casework.road.identifiers import identifier_problems
    assert identifier_problems("village_head", NIK) == []
    assert [c for c, _ in identifier_problems("village_head", "640201550385001")] == ["nik.length"]
    assert [c for c, _ in identifier_problems("village_official", "9902013213850000")] == \
        ["nik.province", "nik.birth_date", "nik.serial"]
    assert [c for c, _ in identifier_problems("polri", "8503-12A")] == ["nrp.digits"]
    assert identifier_problems("tni", NRP) == [] and identifier_problems("asn", NIK)  # an ASN needs a NIP


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the road's rules, not SQL
def test_a_village_head_and_a_police_officer_go_to_their_own_institutions(demo_sessions):
    builder = Builder(demo_sessions)
    with pytest.raises(ValidationError) as refused:  # a village head needs a NIK and a village
        builder.laporan(Person("Kades Tanpa Desa", kind="village_head", nip="123"))
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("reported[0].nip", "nik.length"), ("reported[0].village", "case.village_required")}
    asn, head, officer = (Person("Satu Asn"), Person("Dua Kades", position="Kepala Desa", kind="village_head",
                                                     nip=NIK, village="Desa Loa Ipuh"),
                          Person("Tiga Polisi", position="Bhabinkamtibmas", agency="polres-kukar", kind="polri",
                                 nip=NRP))
    case = builder.laporan(asn, head, officer).to_plenary()
    case.step("decide_plenary", case.head, outcome="violation", reasoning="Terbukti tidak netral")
    case.step("forward", case.head)
    with demo_sessions() as session:
        row = session.scalar(select(Case).where(Case.number == case.number))
        assert {p.name: (p.person_kind, p.track_stage, p.oversight_body_id is not None) for p in row.reported} == {
            "Satu Asn": ("asn", "oversight_review", True), "Dua Kades": ("village_head", "body_follow_up", False),
            "Tiga Polisi": ("polri", "body_follow_up", False)}
        rules = sorted(d.rule_id for d in session.scalars(select(Deadline).where(Deadline.case_id == row.id,
                                                                                 Deadline.status == "open")))
        assert rules == ["body.follow_up", "body.follow_up", "oversight.recommendation"]
        to_head = " ".join(pdf_text(render_draft(session, case.number, "forward_to_body", recipient=0,
                                                 base_url="https://netra.test")).split())
        to_police = " ".join(pdf_text(render_draft(session, case.number, "forward_to_body", recipient=1,
                                                   base_url="https://netra.test")).split())
        to_bkn = " ".join(pdf_text(render_draft(session, case.number, "recommendation_to_oversight",
                                                base_url="https://netra.test")).split())
    for words in ("Bupati Kutai Kartanegara", "UU 6/2014 Ps. 29 huruf j", f"NIK : {NIK}", "Kepala desa Desa Loa Ipuh",
                  "Dua Kades"):
        assert words in to_head, words
    for words in ("Kepala Kepolisian Resor Kutai Kartanegara", "UU 2/2002 Ps. 28 ayat (1)", f"NRP : {NRP}"):
        assert words in to_police, words
    assert "Satu Asn" in to_bkn and "Dua Kades" not in to_bkn and "Tiga Polisi" not in to_bkn
    owed_request(demo_sessions, case.number, "forward_to_body", 1)  # one letter each

    case.recommend(asn.nip)
    with demo_sessions() as session:  # Kukar's BKPSDM sees its ASN, never the village head of its regency
        seen = case_view(session, principal_of(session, "bkpsdm.kukar"), case.number)
        assert [p["name"] for p in seen["reported"]] == ["Satu Asn"]
    with pytest.raises(ValidationError) as refused:  # a sanction says what it was
        case.step("record_body_outcome", case.handler, track=NIK, outcome="sanctioned", answer_reference="B/1")
    assert [p.field for p in refused.value.problems] == ["action"]
    case.step("record_body_outcome", case.handler, track=NIK, outcome="sanctioned",
              answer_reference="141/12/DPMD/2026", action="Teguran tertulis (UU 6/2014 Ps. 30)")
    case.step("record_body_outcome", case.handler, track=NRP, outcome="not_sanctioned",
              answer_reference="B/7/XII/2026/Propam", note="Hadir atas perintah tugas pengamanan")
    case.step("record_left_service", "bkpsdm.kukar", track=asn.nip, left_reason="retired")
    with demo_sessions() as session:
        row = session.scalar(select(Case).where(Case.number == case.number))
        assert row.stage == "closed"
        assert {p.name: (p.track_stage, p.finding_reason) for p in row.reported if p.person_kind != "asn"} == {
            "Dua Kades": ("sanctioned", "Teguran tertulis (UU 6/2014 Ps. 30)"),
            "Tiga Polisi": ("not_proven", "Hadir atas perintah tugas pengamanan")}
        kinds = {b.key: b.value for b in reported_by_kind(session, principal_of(session, "penangan.kukar"),
                                                          now=utcnow())}
        assert kinds["village_head"] >= 1 and kinds["polri"] >= 1 and kinds["asn"] > 1
        out = io.BytesIO()
        export_cases(session, out, "xlsx", OPERATOR)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    exported = next(r for r in sheet.iter_rows(values_only=True) if case.number in r)
    assert exported[header.index("Jenis terlapor")] == "asn; village_head; polri"
    assert exported[header.index("Desa terlapor")] == "-; Desa Loa Ipuh; -"
    assert exported[header.index("NIP terlapor")] == f"{asn.nip}; {NIK}; {NRP}"
