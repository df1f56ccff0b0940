"""Alembic is the only way the schema changes: the migrations must produce exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from casework.adapters import migrate
from casework.models import Base
from tests.helpers import fingerprint


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_to_nothing_and_back(engine):
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_every_migration_runs_on_a_database_holding_data(demo_engine):
    """Going back to the first revision and up again keeps every row (SQLite rebuilds tables to alter them)."""
    before = fingerprint(demo_engine)
    migrate.downgrade(demo_engine, "0001")
    assert migrate.current_revision(demo_engine) == "0001"
    migrate.upgrade(demo_engine)
    after = fingerprint(demo_engine)
    changed = {t for t in before if before[t] != after[t]}
    # every row of the tables 0001 already had is still there (track_escalations, born in 0002, is dropped and
    # recreated empty by the round trip); the columns added later come back with their defaults
    # sanction_decrees, born in 0013, is filled from reported_asn's decree columns, which 0006/0002 drop on the
    # way down: it comes back empty like track_escalations; election_stages (0012) is refilled on the way up;
    # hearings, their invitees and the signing officials (0014) come back as 0014 backfills them: one hearing
    # per invited case, inviting its reported ASN (the demo's also invited reporters and witnesses, whose
    # invitation requests 0009 cannot write again from the audit trail)
    # criminal_events (0018) lose their people's criminal_stage on the way down, sanction_appeals (0019) their
    # decrees: they come back empty too; so do the inbox of initial information (0028) and the figures and
    # prevention register (0029), born after 0001
    kept = set(before) - {"track_escalations", "sanction_decrees", "election_stages", "hearings", "hearing_invitees",
                          "signing_officials", "letter_requests", "criminal_events", "sanction_appeals",
                          "information_items", "vulnerability_scores", "asn_counts", "prevention_activities"}
    assert {t: after[t][0] for t in kept} == {t: before[t][0] for t in kept}
    # (deadlines: 0005 sets an open deadline's next_notice_at to its creation time on the way up, by design — the
    # next sweep works out the notice owed; cases: 0006 gives every report a new receipt code; letter_requests: 0009
    # writes them again from the letters and the audit trail — as many rows, new ids and times; elections: 0012
    # gives the 2024 ones their legal dates and stages again, the demo's simulated ones a provisional period;
    # stage_changes: 0011's act dates are dropped on the way down and come back empty, read as the recorded day;
    # agencies: 0015's PPK addresses are dropped on the way down and come back empty, for the administrator to fill)
    assert changed <= {"agencies", "cases", "reported_asn", "offices", "letters", "track_escalations", "deadlines",
                       "letter_requests", "sanction_decrees", "elections", "election_stages", "stage_changes",
                       "hearings", "hearing_invitees", "signing_officials", "criminal_events", "sanction_appeals",
                       "information_items", "vulnerability_scores", "asn_counts", "prevention_activities"}


def test_0008_fills_next_due_at_from_the_open_deadlines(demo_engine):
    """Cases that exist before 0008 get next_due_at = the earliest due_at of their open deadlines (NULL without)."""
    from sqlalchemy import text
    earliest = ("SELECT c.number, c.next_due_at, (SELECT min(d.due_at) FROM deadlines d "
                "WHERE d.case_id = c.id AND d.status = 'open') FROM cases c ORDER BY c.id")
    migrate.downgrade(demo_engine, "0007")
    migrate.upgrade(demo_engine)
    with demo_engine.connect() as conn:
        rows = conn.execute(text(earliest)).all()
    assert len(rows) >= 40 and any(due is None for _, due, _ in rows) and any(due for _, due, _ in rows)
    assert [(number, due) for number, due, _ in rows] == [(number, first) for number, _, first in rows]


def test_0009_turns_issued_letters_and_what_the_audit_trail_still_owes_into_requests(demo_engine, tmp_path):
    """An existing database gets one issued request per issued letter and an open one per (kind, addressee) the old
    audit scan still finds owed — on the demo data, exactly the requests the decisions wrote themselves; on the way
    down a superseded letter becomes void, naming its replacement."""
    from sqlalchemy import select, text

    from casework.access.principal import principal_named
    from casework.adapters.db import session_factory
    from casework.letters.issue import correct_letter
    from casework.mail.correspondence import issue_owed
    from casework.models import Case, Letter, LetterRequest
    from casework.settings import Settings

    sessions = session_factory(demo_engine)
    settings = Settings.from_env({"NETRA_VAR_DIR": str(tmp_path)})
    with sessions() as session:  # some cases' letters issued (by Netra itself), the others' still owed
        numbers = list(session.scalars(select(Case.number).where(Case.regency_code == "6402").order_by(Case.id)))
    for number in numbers[:6]:
        issue_owed(sessions, number, settings=settings)
    with sessions() as session:
        receipt = session.scalars(select(Letter.number).where(Letter.kind == "receipt")).first()
        handler = principal_named(session, "penangan.kukar")
    new = correct_letter(sessions, receipt, handler, reason="Salah ketik", settings=settings,
                         render=lambda context: b"%PDF-1.4\n%%EOF\n").number

    def requests():
        with sessions() as session:
            return sorted([(r.case_id, r.kind, r.reported_asn_id, r.addressee_key, r.addressee_label, r.status,
                            r.letter_id) for r in session.scalars(select(LetterRequest))], key=repr)

    before = requests()
    assert {r[5] for r in before} == {"open", "issued"} and sum(r[5] == "issued" for r in before) >= 6
    migrate.downgrade(demo_engine, "0008")
    with demo_engine.connect() as conn:
        assert tuple(conn.execute(text("SELECT status, void_reason FROM letters WHERE number = :n"),
                                  {"n": receipt}).one()) == ("void", f"Diganti oleh {new}: Salah ketik")
    migrate.upgrade(demo_engine)
    # invitations are per hearing invitee since 0014: the round trip through 0008 keeps the reported ASN's
    # (their hearing and keys backfilled anew), not those to reporters and witnesses (0014's backfill can't know);
    # a forward to the police (0018) names a criminal part the round trip drops, so it cannot be found owed again
    # and so does a forward to a non-ASN person's institution (0021 drops who is not an ASN)
    rebuilt = {"clarification_invitation", "forward_police", "forward_to_body"}
    assert [r for r in requests() if r[1] not in rebuilt] == [r for r in before if r[1] not in rebuilt]


def test_0014_backfills_hearings_and_signers(demo_engine):
    """Each invited case gets a hearing as its old letter printed it (scheduled, held or cancelled by where the case
    went), inviting its reported ASN, whose invitation requests follow them; each office's head_name signs."""
    from sqlalchemy import select

    from casework.adapters.db import session_factory
    from casework.letters.addressees import addressees
    from casework.letters.kinds import get_kind
    from casework.models import Case, Hearing, LetterRequest, Office, SigningOfficial

    migrate.downgrade(demo_engine, "0010")
    migrate.upgrade(demo_engine)
    sessions = session_factory(demo_engine)
    with sessions() as session:
        officials = {(o.office.code, o.name, o.title) for o in session.scalars(select(SigningOfficial))}
        assert ("bawaslu-6402", "Hendra Saputro (demo)", "Ketua Bawaslu Kabupaten Kutai Kartanegara") in officials
        assert len(officials) == session.query(Office).filter(Office.head_name != "").count()
        seen = set()
        for hearing in session.scalars(select(Hearing)):
            case = session.get(Case, hearing.case_id)
            seen.add(hearing.status)
            assert hearing.status == {"clarification": "scheduled"}.get(case.stage, "held"), case.number
            assert f"{hearing.scheduled_time:%H:%M}" == "09:00" and hearing.place.startswith("Kantor Bawaslu")
            assert [i.reported_asn_id for i in hearing.invitees] == [p.id for p in case.reported]
            keys = {a.key for a in addressees(session, case, get_kind("clarification_invitation"), hearing.scheduled_on)}
            for request in session.scalars(select(LetterRequest).where(
                    LetterRequest.case_id == case.id, LetterRequest.kind == "clarification_invitation",
                    LetterRequest.addressee_key.like("%:reported"))):  # the demo's others: gone with 0014's down
                assert request.addressee_key in keys
        assert seen == {"scheduled", "held"}
