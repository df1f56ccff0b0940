"""The PPK league table (sql/reports/ppk_league.sql through casework.reports.league), its desk page /liga-ppk/, its
download and `netra reports ppk-league`.

Expected numbers are counted independently of the SQL: with plain ORM reads of each reported ASN, their track and
deadline rows, the stage history and the decrees, put in the demo's plan's terms (the track a person is on says
whether the PPK still owes the decree); and tied to the dashboard's own PPK compliance counts."""
import csv
import json
import io
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from statistics import median

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from casework.models import (
    AuditEvent, Case, Deadline, PersonnelBlock, ReportedASN, SanctionDecree, StageChange, TrackEscalation, utcnow,
)
from casework.reports import dashboard as reports
from casework.reports.league import COLUMNS, SORTS, late_ppks, league_table, sort_rows
from demo.loader import COPIES, demo_case_plan
from casework.road.stages import TrackStage
from tests.helpers import client_as, principal_of

SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the page, not the SQL


# --- counted by hand ---------------------------------------------------------------------------------------------
def expected_rows(session, now, where=()):
    """Per agency code: the league's counts, from each visible ASN's own rows (not from the report's SQL)."""
    people = session.scalars(select(ReportedASN).join(Case).where(Case.stage != "spam",
                                                                  ReportedASN.person_kind == "asn", *where)).all()
    rows: dict[str, Counter] = defaultdict(Counter)
    days: dict[str, list[int]] = defaultdict(list)
    oldest: dict[str, date] = {}
    for p in people:
        row = rows[p.agency.code]
        row["reported"] += 1
        row["recommended"] += p.recommended_sanction is not None
        row["blocks_requested"] += any(e.step == "block_request" for e in p.escalations)
        row["blocked"] += bool(p.blocks)
        live = session.scalars(select(Deadline).where(
            Deadline.reported_asn_id == p.id, Deadline.rule_id == "agency.follow_up",
            Deadline.status.not_in(["superseded", "cancelled"])).order_by(Deadline.id.desc())).first()
        if live is not None:
            if p.track_stage == TrackStage.AGENCY_FOLLOW_UP:  # the PPK still owes the decree
                kind = "overdue" if live.due_at < now else "pending"
            else:
                kind = "on_time" if live.status == "met" else "late"
            row[kind] += 1
            if kind == "overdue" and (p.agency.code not in oldest or live.due_date < oldest[p.agency.code]):
                oldest[p.agency.code] = live.due_date
        first = session.scalars(select(SanctionDecree.signed_on).where(SanctionDecree.reported_asn_id == p.id)
                                .order_by(SanctionDecree.signed_on)).first()
        recommended = session.scalars(select(StageChange.acted_on).where(
            StageChange.reported_asn_id == p.id, StageChange.from_stage == TrackStage.OVERSIGHT_REVIEW,
            StageChange.to_stage == TrackStage.AGENCY_FOLLOW_UP)).first()
        if first and recommended:
            days[p.agency.code].append((first - recommended).days)
    return rows, days, oldest


def as_counts(league):
    keys = ("reported", "recommended", "on_time", "late", "overdue", "pending", "blocks_requested", "blocked")
    return {r.code: {k: r.value(k) for k in keys if r.value(k)} for r in league.rows}


def assert_sorted(rows, key, descending):
    """Pairwise: by `key` (empty last), ties by agency name then code — whatever the direction."""
    for a, b in zip(rows, rows[1:]):
        va, vb = a.value(key), b.value(key)
        va, vb = (va.casefold(), vb.casefold()) if isinstance(va, str) else (va, vb)
        if va is None:
            assert vb is None and (a.name.casefold(), a.code) < (b.name.casefold(), b.code), (key, a, b)
        elif vb is not None and va == vb:
            assert (a.name.casefold(), a.code) < (b.name.casefold(), b.code), (key, a, b)
        else:
            assert vb is None or (va > vb if descending else va < vb), (key, descending, a.code, b.code)


# --- the SQL on both backends ------------------------------------------------------------------------------------
def test_the_league_matches_the_demo_counted_by_hand(demo_sessions):
    now = utcnow()
    with demo_sessions() as session:
        auditor = principal_of(session, "auditor")
        # one block asked for (the ladder's third rung) and one made, so those columns count something
        kukar = session.scalars(select(ReportedASN).join(ReportedASN.agency).where(
            ReportedASN.track_stage == "agency_follow_up", ReportedASN.agency.has(code="pemkab-6402"))
            .order_by(ReportedASN.id)).first()
        kukar.escalations.append(TrackEscalation(step="block_request", at=now, actor="test"))
        province = session.scalars(select(ReportedASN).where(ReportedASN.agency.has(code="pemprov-64"),
                                                             ReportedASN.recommended_sanction.is_not(None))
                                   .order_by(ReportedASN.id)).first()
        province.blocks.append(PersonnelBlock(blocked_on=now.date(), reference="BKN/1/demo", recorded_by="test",
                                              recorded_at=now))
        session.flush()

        league = league_table(session, auditor, now=now)
        counts, days, oldest = expected_rows(session, now)
        assert as_counts(league) == {code: {k: n for k, n in c.items() if n} for code, c in counts.items()}
        assert {r.code: sorted(r.decree_days) for r in league.rows if r.decree_days} == \
            {code: sorted(d) for code, d in days.items()}

        # Pemkab Kutai Kartanegara, number by number
        row = next(r for r in league.rows if r.code == "pemkab-6402")
        c = counts["pemkab-6402"]
        assert (row.name, row.ppk_title) == ("Pemerintah Kabupaten Kutai Kartanegara", "Bupati Kutai Kartanegara")
        assert row.reported == c["reported"] > row.recommended == c["recommended"] > 0
        assert (row.on_time, row.late, row.overdue, row.pending) == (c["on_time"], c["late"], c["overdue"],
                                                                      c["pending"])
        assert row.on_time > 0 and row.late > 0 and row.overdue > 0 and row.pending > 0
        assert row.on_time_share == round(100 * c["on_time"] / (c["on_time"] + c["late"] + c["overdue"]))
        assert row.median_days == median(days["pemkab-6402"])
        assert (row.blocks_requested, row.blocked) == (1, 0) and row.oldest_overdue_due == oldest["pemkab-6402"]
        assert next(r for r in league.rows if r.code == "pemprov-64").blocked == 1
        # the plan: its escalated track (Kukar's overdue copy of "with the PPK") is still owed, not "late"; the
        # one who left the service was recommended and is in no follow-up column
        plan = demo_case_plan()
        escalated = [i for i in plan if i.tracks == (TrackStage.AGENCY_FOLLOW_UP,) and i.index % COPIES == 2]
        assert len(escalated) == 1 and escalated[0].regency == "6402"
        left = sum(TrackStage.LEFT_SERVICE in i.tracks for i in plan)
        assert row.recommended - (row.on_time + row.late + row.overdue + row.pending) == left == 1

        # the same deadlines as the dashboard's PPK compliance, but an escalated one still owed is overdue here
        ppk = {x.key: x for x in reports.compliance(session, auditor, now=now)[1]}
        owed_missed = Counter(p.agency.code for p in session.scalars(select(ReportedASN).where(
            ReportedASN.track_stage == "agency_follow_up", ReportedASN.id.in_(
                select(Deadline.reported_asn_id).where(Deadline.rule_id == "agency.follow_up",
                                                       Deadline.status == "missed")))))
        assert owed_missed == {"pemkab-6402": 1}
        for r in league.rows:
            x = ppk.get(r.code)
            assert (r.on_time, r.late + owed_missed[r.code], r.overdue - owed_missed[r.code], r.pending) == \
                ((x.met, x.missed, x.overdue, x.pending) if x else (0, 0, 0, 0)), r.code

        # late_ppks: every agency with a follow-up late or overdue, most overdue first
        late = late_ppks(session, auditor, now=now)
        assert {p.code: (p.overdue, p.late, p.oldest_overdue_due) for p in late} == {
            code: (n["overdue"], n["late"], oldest.get(code)) for code, n in counts.items()
            if n["overdue"] or n["late"]}
        assert [p.overdue for p in late] == sorted((p.overdue for p in late), reverse=True)
        assert late[0].code == "pemkab-6402" and late[0].ppk_title == "Bupati Kutai Kartanegara"

        # one election: only that election's ASN
        pemilu = league_table(session, auditor, now=now, election_code="simulasi-pemilu")
        counts, _days, _oldest = expected_rows(session, now, [Case.election.has(code="simulasi-pemilu")])
        assert as_counts(pemilu) == {code: {k: n for k, n in c.items() if n} for code, c in counts.items()}
        assert pemilu.elections == league.elections and "simulasi-pemilu" in dict(league.elections)
        session.rollback()


def test_the_league_is_scoped_sorted_and_tie_broken(demo_sessions):
    now = utcnow()
    with demo_sessions() as session:
        # a Kukar handler: only Kukar's cases
        kukar = league_table(session, principal_of(session, "penangan.kukar"), now=now)
        counts, _days, _oldest = expected_rows(session, now, [Case.regency_code == "6402"])
        assert as_counts(kukar) == {code: {k: n for k, n in c.items() if n} for code, c in counts.items()}
        assert set(kukar.elections) < set(league_table(session, principal_of(session, "auditor"), now=now).elections)

        # a BKPSDM officer: only their agency's employees, once referred
        officer = principal_of(session, "bkpsdm.kukar")
        theirs = session.scalars(select(ReportedASN).where(ReportedASN.agency_id == officer.agency_id,
                                                           ReportedASN.referred_to_agency_at.is_not(None))).all()
        mine = league_table(session, officer, now=now)
        assert [(r.code, r.reported) for r in mine.rows] == [("pemkab-6402", len(theirs))]
        assert late_ppks(session, officer, now=now)[0].code == "pemkab-6402"

        # every column, both ways; ties (and empty cells, last) by agency name, then code
        rows = league_table(session, principal_of(session, "auditor"), now=now).rows
        for key in SORTS:
            for descending in (True, False):
                ordered = league_table(session, principal_of(session, "auditor"), now=now, sort=key,
                                       descending=descending).rows if key in ("overdue", "agency") else \
                    sort_rows(rows, key, descending)
                assert_sorted(ordered, key, descending)
                assert sorted(r.code for r in ordered) == sorted(r.code for r in rows)
        by_name = [r.code for r in sorted(rows, key=lambda r: r.name.casefold())]
        assert len({r.blocked for r in rows}) == 1  # nobody blocked in the demo: a tie everywhere
        assert [r.code for r in sort_rows(rows, "blocked", True)] == by_name == \
            [r.code for r in sort_rows(rows, "blocked", False)]
        assert [r.code for r in sort_rows(rows, "agency", True)] == by_name[::-1]
        assert sort_rows(rows, "on_time_share", True)[-1].on_time_share is None  # empty last
        assert sort_rows(rows, "on_time_share", False)[-1].on_time_share is None


# --- the desk and the command line (SQLite) ----------------------------------------------------------------------
@pytest.fixture
def app(demo_engine, tmp_path):
    from admin import create_app
    from casework.settings import Settings

    settings = replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                       var_dir=tmp_path, letters_dir=tmp_path / "letters", evidence_dir=tmp_path / "evidence",
                       secret_key="test-secret")
    return create_app(settings)


def _order(html: str) -> list[str]:
    table = html[html.index('id="league"'):]
    return [part.split('"', 1)[0] for part in table.split('<tr data-agency="')[1:]]


@SQLITE
def test_the_page_sorts_filters_and_exports_the_table_shown(app, demo_sessions):
    handler = client_as(app, "penangan.kaltim")
    with demo_sessions() as session:
        person = principal_of(session, "penangan.kaltim")
        default = league_table(session, person)
        ascending = league_table(session, person, sort="reported", descending=False)
        pemilu = league_table(session, person, sort="late", descending=False, election_code="simulasi-pemilu")
    html = handler.get("/liga-ppk/").get_data(as_text=True)
    assert _order(html) == [r.code for r in default.rows] and len(default.rows) > 3
    assert 'data-column="overdue" aria-sort="descending"' in html and html.count("aria-sort") == 1
    assert 'href="/liga-ppk/?urut=overdue&amp;arah=naik"' in html  # the sorted header turns it round
    assert 'id="late-ppks"' in html and 'class="text-md-right heat-warn-' in html  # the slow PPKs in view
    assert all(c.note in html for c in COLUMNS[2:])  # how each column is counted
    html = handler.get("/liga-ppk/?urut=reported&arah=naik").get_data(as_text=True)
    assert _order(html) == [r.code for r in ascending.rows]
    assert 'data-column="reported" aria-sort="ascending"' in html

    # bad arguments: the default table, a normal page
    for query in ("urut=%3Cscript%3E&arah=sideways", "urut=&pemilihan=tidak-ada", "arah=naik&urut=__class__"):
        response = handler.get(f"/liga-ppk/?{query}")
        assert response.status_code == 200 and _order(response.get_data(as_text=True)) == \
            [r.code for r in (default.rows if "naik" not in query else sort_rows(default.rows, "overdue", False))]

    # the downloads: exactly the table shown (its order, its election), audited
    shown = "?urut=late&arah=naik&pemilihan=simulasi-pemilu"
    assert _order(handler.get(f"/liga-ppk/{shown}").get_data(as_text=True)) == [r.code for r in pemilu.rows]
    table = [[c.label for c in COLUMNS]] + [[r.value(c.key) for c in COLUMNS] for r in pemilu.rows]
    body = handler.get(f"/liga-ppk/ekspor/csv{shown}").get_data()
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == \
        [["" if v is None else str(v) for v in row] for row in table]
    workbook = load_workbook(io.BytesIO(handler.get(f"/liga-ppk/ekspor/xlsx{shown}").get_data()))
    assert [list(r) for r in workbook["Liga PPK"].iter_rows(values_only=True)] == table
    assert handler.get("/liga-ppk/ekspor/pdf").status_code == 404
    with demo_sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "league.exported")
                                .order_by(AuditEvent.id)).all()
        assert [(e.actor, e.entity_id, e.after["election"]) for e in events] == [
            ("penangan.kaltim", "csv", "simulasi-pemilu"), ("penangan.kaltim", "xlsx", "simulasi-pemilu")]

    assert 'href="/liga-ppk/"' in handler.get("/dasbor/").get_data(as_text=True)  # linked from the dashboard
    assert client_as(app, "admin").get("/liga-ppk/").status_code == 404  # no case content, no league
    assert app.test_client().get("/liga-ppk/").status_code == 302  # to the login


@SQLITE
def test_the_command_line_prints_the_same_table(demo_engine, demo_sessions, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from casework.cli import cli

    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    with demo_sessions() as session:
        kukar = league_table(session, principal_of(session, "penangan.kukar"), sort="agency", descending=False)
    result = CliRunner().invoke(cli, ["reports", "ppk-league", "--as", "penangan.kukar", "--sort", "agency",
                                      "--ascending", "--json"], catch_exceptions=False)
    assert [(r["agency_code"], r["overdue"], r["median_days"]) for r in json.loads(result.output)] == \
        [(r.code, r.overdue, r.median_days) for r in kukar.rows]
    result = CliRunner().invoke(cli, ["reports", "ppk-league", "--csv"], catch_exceptions=False)
    assert result.output.lstrip("\ufeff").splitlines()[0].startswith("Instansi,PPK,ASN terlapor")
    result = CliRunner().invoke(cli, ["reports", "ppk-league", "--election", "tidak-ada"])
    assert result.exit_code == 1 and "tidak-ada" in result.output


def test_an_export_never_turns_a_name_into_a_formula():
    from casework.reports.league import League, LeagueRow, export_league

    league = League([LeagueRow("x", "=HYPERLINK(\"http://evil\")", "+Bupati", reported=1)], [], None, "overdue", True)
    out = io.BytesIO()
    export_league(league, out, "csv")
    assert "'=HYPERLINK" in out.getvalue().decode("utf-8-sig") and "'+Bupati" in out.getvalue().decode("utf-8-sig")
    out = io.BytesIO()
    export_league(league, out, "xlsx")
    cell = load_workbook(io.BytesIO(out.getvalue())).active["A2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://evil\")"
