"""KASN's open tracks under SE Menpan-RB 4/2024 (issue 18 item 4): `netra handover kasn` plans first, then moves
every open KASN track once — to BKN when KASN had not recommended, to the Menteri PANRB's report when it had —
with history, audit and letters that follow; a closed track and a BKN track are left alone."""
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from casework.access.scope import sees_case
from casework.audit import verify_chain
from casework.cli import cli
from casework.letters.render import render_draft
from casework.models import utcnow
from casework.reports.dashboard import run, special_paths
from casework.spreadsheets.export import OPERATOR, export_cases
from casework.models import AuditEvent, Case, OutboxMessage, OversightBody, ReportedASN, StageChange
from tests.helpers import fingerprint, principal_of
from tests.test_letters import pdf_text
from tests.test_workflow import HEAD, NIPS, OVERSIGHT, at, forwarded_to_agency, new_case, step, to_plenary
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the handover's rules, not SQL)

KEPALA_BKN, KETUA_KASN = "Kepala Badan Kepegawaian Negara", "Ketua Komisi Aparatur Sipil Negara"
MENPAN = "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"


@pytest.fixture
def netra(monkeypatch, demo_engine):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    return lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)


def kasn_era_cases(sessions) -> tuple[str, str]:
    """Forwarded in March 2024, to KASN: one still waiting for its recommendation, one KASN recommended on."""
    waiting = new_case(sessions)
    to_plenary(sessions, waiting)
    step(sessions, waiting, "decide_plenary", HEAD, at("2024-03-08"), outcome="violation", reasoning="x")
    step(sessions, waiting, "forward", HEAD, at("2024-03-08", 14))
    return waiting, forwarded_to_agency(sessions)


def track(sessions, number) -> ReportedASN:
    with sessions() as session:
        person = session.scalar(select(ReportedASN).join(Case).where(Case.number == number))
        person.oversight_body  # noqa: B018 - loaded before the session closes
        return person


def test_kasn_tracks_are_planned_then_handed_over_once(demo_engine, demo_sessions, netra):
    waiting, recommended = kasn_era_cases(demo_sessions)
    assert track(demo_sessions, waiting).oversight_body.code == "KASN"
    with demo_sessions() as session:  # KASN's officer saw it; BKN's did not
        case = session.scalar(select(Case).where(Case.number == waiting))
        assert sees_case(principal_of(session, OVERSIGHT), case)
        assert not sees_case(principal_of(session, "pengawas.bkn"), case)
        versions = {n: session.scalar(select(Case.version).where(Case.number == n)) for n in (waiting, recommended)}

    before = fingerprint(demo_engine)
    dry = netra("handover", "kasn", "--json")  # the dry run: what would move, nothing written
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.output)
    assert fingerprint(demo_engine) == before
    ours = {t["case"]: t for t in planned["tracks"] if t["case"] in (waiting, recommended)}
    assert ours[waiting] | {"name": "-"} == {"case": waiting, "nip": NIPS[0], "name": "-",
                                             "track_stage": "oversight_review", "action": "bkn", "to": "BKN"}
    assert ours[recommended]["action"] == "menpanrb" and ours[recommended]["to"] == MENPAN
    assert planned["applied"] is False and planned["count"] == len(planned["tracks"])
    assert "Uji coba" in netra("handover", "kasn").output and fingerprint(demo_engine) == before

    refused = netra("handover", "kasn", "--apply")  # who does it must be named, for the audit trail
    assert refused.exit_code == 1 and "--actor" in refused.output and fingerprint(demo_engine) == before

    done = netra("handover", "kasn", "--apply", "--actor", "operator.pusat", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["tracks"] == planned["tracks"]  # exactly what the dry run said

    moved, kept = track(demo_sessions, waiting), track(demo_sessions, recommended)
    assert (moved.oversight_body.code, moved.oversight_handover) == ("BKN", "bkn")
    assert (kept.oversight_body.code, kept.oversight_handover) == ("KASN", "menpanrb")  # KASN's recommendation
    with demo_sessions() as session:
        for number, person in ((waiting, moved), (recommended, kept)):
            case = session.scalar(select(Case).where(Case.number == number))
            assert case.version > versions[number]  # a form opened before is stale
            row = session.scalar(select(StageChange).where(StageChange.reported_asn_id == person.id)
                                 .order_by(StageChange.id.desc()).limit(1))
            assert row.actor == "operator.pusat" and "Nomor 4 Tahun 2024" in row.reason, row.reason
            assert row.from_stage == row.to_stage == person.track_stage
            assert row.acted_on == date(2024, 9, 4)  # the SE's day: the act, whenever it is recorded
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "track.handover")).all()
        assert {(e.entity_id, e.after["handover"]) for e in events} >= {(str(moved.id), "bkn"),
                                                                       (str(kept.id), "menpanrb")}
        assert verify_chain(session) is None
        case = session.scalar(select(Case).where(Case.number == waiting))
        assert sees_case(principal_of(session, "pengawas.bkn"), case)  # BKN's officers have it now
        # counted on the dashboard and in the export
        paths = {b.key: b.value for b in special_paths(session, principal_of(session, "penangan.kukar"),
                                                         now=utcnow())}
        assert paths["handover_bkn"] >= 1 and paths["handover_menpanrb"] >= 1
        out = io.BytesIO()
        export_cases(session, out, "xlsx", OPERATOR)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    exported = {r[header.index("Nomor kasus")]: r[header.index("Peralihan berkas KASN")]
                for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert (exported[waiting], exported[recommended]) == ("bkn", "menpanrb")
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == waiting))
        assert not sees_case(principal_of(session, OVERSIGHT), case)

    after = fingerprint(demo_engine)  # a second run finds nothing left to do
    again = netra("handover", "kasn", "--apply", "--actor", "operator.pusat")
    assert again.exit_code == 0 and "Tidak ada jalur KASN" in again.output
    assert fingerprint(demo_engine) == after

    # BKN is told of the track it now holds (its inbox and its officers), once; nothing goes to KASN
    with demo_sessions() as session:
        told = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "notice.handover")).all()
        bkn_inbox = session.scalar(select(OversightBody.email).where(OversightBody.code == "BKN"))
    assert told and all(waiting in m.subject for m in told)
    assert bkn_inbox in {r for m in told for r in m.recipients} and len({m.dedup_key for m in told}) == len(told)
    assert "Sesuai Surat Edaran Menteri PANRB Nomor 4 Tahun 2024" in told[0].body

    # BKN records the recommendation KASN never made
    step(demo_sessions, waiting, "record_oversight_recommendation", "pengawas.bkn", at("2024-10-01"),
         track=NIPS[0], outcome="sanction_recommended", sanction="moral.terbuka", acted_on="2024-10-01")
    assert track(demo_sessions, waiting).track_stage == "agency_follow_up"
    # the handover's history row keeps the stage: it starts no new stay in the dashboard's median days
    with demo_sessions() as session:
        stays = run(session, principal_of(session, "pengawas.bkn"), "stage_durations")
    since = at("2024-10-01").replace(tzinfo=None)
    assert not [r for r in stays if r["stage"] == "agency_follow_up" and r["entered_at"].replace(tzinfo=None) == since]
    assert [r for r in stays if r["stage"] == "oversight_review" and r["left_at"].replace(tzinfo=None) == since]


def test_letters_on_a_handed_over_track_go_to_bkn_with_a_copy_to_the_menteri_panrb(demo_sessions, netra):
    waiting, recommended = kasn_era_cases(demo_sessions)
    with demo_sessions() as session:
        text = pdf_text(render_draft(session, recommended, "ppk_reminder", base_url="https://netra.test"))
    assert KETUA_KASN in " ".join(text.split())  # before: a copy to a body that no longer exists
    assert netra("handover", "kasn", "--apply", "--actor", "operator.pusat").exit_code == 0
    with demo_sessions() as session:
        reminder = " ".join(pdf_text(render_draft(session, recommended, "ppk_reminder",
                                                  base_url="https://netra.test")).split())
        block = " ".join(pdf_text(render_draft(session, recommended, "personnel_block_request",
                                               base_url="https://netra.test")).split())
    assert KEPALA_BKN in reminder and MENPAN in reminder and KETUA_KASN not in reminder
    assert block.count(KEPALA_BKN) >= 1 and KETUA_KASN not in block  # blocking is BKN's power
