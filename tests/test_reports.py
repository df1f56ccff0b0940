"""Reporting SQL (sql/reports/ through casework.reports.dashboard) and the desk's dashboard, on SQLite and PostgreSQL.

Expected numbers are counted independently: from the demo's case table (demo.loader.demo_case_plan: stage,
regency and election of every demo case) or with plain ORM queries, never by running the report SQL again."""
import re
from collections import Counter, defaultdict
from statistics import median

from sqlalchemy import select

from admin import charts
from casework.reports import dashboard as reports
from demo.loader import demo_case_plan, reported_count
from casework.models import Case, CaseViolation, Deadline, Regency, ReportedASN, StageChange, User, utcnow
from casework.deadlines.schedule import stall_of
from casework.access.principal import Principal
from casework.access.scope import person_scope, visible_people
from casework.road.stages import TERMINAL_STAGES
from tests.helpers import client_as, principal_of
from tests.test_desk import app  # noqa: F401  (the desk fixture on both backends)

REPORTS = ["cases_by_agency", "cases_by_election", "cases_by_region", "cases_by_stage", "cases_by_violation",
           "criminal_by_stage", "overdue_deadlines", "ppk_league", "recommendation_compliance", "reported_by_kind",
           "special_paths", "stage_durations", "tracks_by_stage"]
# The demo alternates its simulated Pemilu (even case index) and the simulated Pilkada of the regency, or of its
# province when the regency has none (organisations.toml: Kukar, Samarinda and Kotabaru have their own).
OWN_PILKADA = {"6402", "6472", "6302"}


def user(session, username: str):
    return principal_of(session, username)


def plan_election(item) -> str:
    if item.index % 2 == 0:
        return "simulasi-pemilu"
    return f"simulasi-pilkada-{item.regency if item.regency in OWN_PILKADA else item.regency[:2]}"


# --- the files ---------------------------------------------------------------------------------------------------
def test_each_report_is_one_portable_select_with_a_header_and_is_documented():
    assert reports.report_names() == REPORTS
    readme = (reports.REPORTS_DIR / "README.md").read_text()
    for name in REPORTS:
        text = (reports.REPORTS_DIR / f"{name}.sql").read_text()
        assert text.startswith("-- ") and len(reports.report_description(name)) > 40, name
        query = reports.report_sql(name)
        assert query.startswith("SELECT") and "--" not in query, name  # scope CTEs go in front: no WITH here
        assert "visible_cases" in query or "visible_reported" in query, name  # always scoped
        assert not re.search(r"percentile|median|julianday|extract\s*\(|::|date_part|strftime", query, re.I), name
        assert f"`{name}.sql`" in readme, name


# --- against the demo, counted independently ---------------------------------------------------------------------
def test_reports_match_the_demo_counted_by_hand(demo_sessions):
    plan = demo_case_plan()
    now = utcnow()
    with demo_sessions() as session:
        auditor = user(session, "auditor")  # sees every case
        d = reports.dashboard(session, auditor, now=now)

        assert d.total_cases == len(plan)
        assert {b.key: b.value for b in d.by_stage} == dict(Counter(item.stage.value for item in plan))
        assert [b.key for b in d.by_stage][:3] == ["received", "initial_review", "awaiting_completion"]  # road order
        # every track, counted in Python (the plan's own track stages are aims: a track owing two decrees waits)
        tracks = Counter(p.track_stage for p in session.scalars(select(ReportedASN)) if p.track_stage)
        assert {b.key: b.value for b in d.by_track} == dict(tracks) and set(tracks) > {"sanctioned", "not_proven"}
        assert {b.key: b.value for b in d.by_election} == dict(Counter(plan_election(item) for item in plan))
        regencies = {r.code: r for p in d.by_region for r in p.regencies}
        assert {code: r.cases for code, r in regencies.items()} == dict(Counter(item.regency for item in plan))
        open_plan = Counter(item.regency for item in plan if item.stage not in TERMINAL_STAGES)
        assert {code: r.open_cases for code, r in regencies.items()} == dict(open_plan)
        assert d.open_cases == sum(open_plan.values()) > 0
        assert [(p.code, [r.code for r in p.regencies]) for p in d.by_region] == [
            (province, sorted({i.regency for i in plan if i.regency[:2] == province}))
            for province in sorted({i.regency[:2] for i in plan})]

        # overdue: an open deadline past due, counted per case, per stage and per institution that owes it
        late = session.scalars(select(Deadline).where(Deadline.status == "open", Deadline.due_at < now)).all()
        cases = {c.id: c for c in session.scalars(select(Case))}
        people = {p.id: p for p in session.scalars(select(ReportedASN))}
        late_cases = {dl.case_id for dl in late}
        assert d.overdue_cases == len(late_cases) > 0
        assert {b.key: b.overdue for b in d.by_stage if b.overdue} == \
            dict(Counter(cases[i].stage for i in late_cases))
        assert {r.code: r.overdue_cases for r in regencies.values() if r.overdue_cases} == \
            dict(Counter(cases[i].regency_code for i in late_cases))
        stage_of = {dl.id: people[dl.reported_asn_id].track_stage if dl.reported_asn_id else cases[dl.case_id].stage
                    for dl in late}
        assert {b.key: b.value for b in d.overdue_by_stage} == dict(Counter(stage_of.values()))
        owed = Counter(stall_of(dl.rule_id) for dl in late)
        assert {b.key: b.value for b in d.overdue_by_institution} == {
            "bawaslu": owed["bawaslu"], "oversight": owed["oversight"], "agency": owed["agency"]}

        codes = Counter(session.scalars(select(CaseViolation.code)))
        assert {b.key: b.value for b in d.by_violation} == dict(codes)
        assert all(b.label and b.label != b.key for b in d.by_violation)  # labels from violations.toml

        per_agency = Counter(p.agency.code for p in people.values())
        assert {a.code: a.reported for a in d.by_agency} == dict(per_agency)
        assert sum(per_agency.values()) == sum(reported_count(item) for item in plan)
        assert {a.code: a.sanctioned for a in d.by_agency if a.sanctioned} == \
            dict(Counter(p.agency.code for p in people.values() if p.track_stage == "sanctioned"))

        outcome = Counter()
        for dl in session.scalars(select(Deadline).where(
                Deadline.rule_id.in_(["oversight.recommendation", "agency.follow_up"]),
                Deadline.status.in_(["met", "missed", "open"]))):
            kind = dl.status if dl.status != "open" else ("overdue" if dl.due_at < now else "pending")
            outcome[(dl.rule_id, kind)] += 1
        assert {(c.key, k): getattr(c, k) for c in d.compliance for k in reports.OUTCOMES
                if getattr(c, k)} == dict(outcome)
        ppk = d.compliance[1]
        assert ppk.key == "agency.follow_up" and ppk.met + ppk.missed > 0
        assert ppk.on_time_percent == round(100 * ppk.met / (ppk.met + ppk.missed + ppk.overdue))

        stays = defaultdict(list)
        tracks = defaultdict(list)
        for change in session.scalars(select(StageChange).order_by(StageChange.at, StageChange.id)):
            if change.from_stage != change.to_stage:  # a row that keeps the stage (an appeal filed) is no new stay
                tracks[(change.case_id, change.reported_asn_id)].append(change)
        for history in tracks.values():
            for this, following in zip(history, history[1:]):
                stays[this.to_stage].append((following.at - this.at).total_seconds() / 86400)
        assert {b.key: (b.value, int(b.note)) for b in d.median_days} == {
            stage: (round(median(days), 1), len(days)) for stage, days in stays.items()}
        assert {"oversight_review", "agency_follow_up"} <= {b.key for b in d.median_days}  # track stages too


# --- scope -------------------------------------------------------------------------------------------------------
def test_a_kabkota_handler_counts_only_their_regency(demo_sessions):
    plan = demo_case_plan()
    with demo_sessions() as session:
        d = reports.dashboard(session, user(session, "penangan.kukar"))
        mine = [item for item in plan if item.regency == "6402"]
        assert [(p.code, [r.code for r in p.regencies]) for p in d.by_region] == [("64", ["6402"])]
        assert d.total_cases == sum(b.value for b in d.by_stage) == len(mine)
        assert {b.key: b.value for b in d.by_stage} == dict(Counter(item.stage.value for item in mine))
        assert {b.key: b.value for b in d.by_election} == dict(Counter(plan_election(item) for item in mine))
        kukar = select(Case.id).where(Case.regency_code == "6402")
        assert {b.key: b.value for b in d.by_violation} == \
            dict(Counter(session.scalars(select(CaseViolation.code).where(CaseViolation.case_id.in_(kukar)))))
        assert {a.code: a.reported for a in d.by_agency} == dict(Counter(
            p.agency.code for p in session.scalars(select(ReportedASN).where(ReportedASN.case_id.in_(kukar)))))
        per_rule = Counter(session.scalars(select(Deadline.rule_id).where(
            Deadline.case_id.in_(kukar), Deadline.rule_id.in_(reports.COMPLIANCE_RULES),
            Deadline.status.in_(["met", "missed", "open"]))))
        assert {c.key: c.met + c.missed + c.overdue + c.pending for c in d.compliance} == \
            {rule: per_rule[rule] for rule in reports.COMPLIANCE_RULES}

        province = reports.dashboard(session, user(session, "penangan.kaltim"))
        in_64 = select(Regency.code).where(Regency.province_code == "64")
        assert [p.code for p in province.by_region] == ["64"]
        assert province.total_cases == session.query(Case).filter(Case.regency_code.in_(in_64)).count() == \
            sum(item.regency[:2] == "64" for item in plan)

        # a BKPSDM officer: only their agency's employees, once referred to it
        bkpsdm = user(session, "bkpsdm.kukar")
        theirs = session.scalars(select(ReportedASN).where(ReportedASN.agency_id == bkpsdm.agency_id,
                                                           ReportedASN.referred_to_agency_at.is_not(None))).all()
        agency = reports.dashboard(session, bkpsdm)
        assert theirs and [(a.code, a.reported) for a in agency.by_agency] == [("pemkab-6402", len(theirs))]
        assert agency.total_cases == len({p.case_id for p in theirs})
        assert sum(c.met + c.missed + c.overdue + c.pending for c in agency.compliance) == len(
            session.scalars(select(Deadline).where(
                Deadline.reported_asn_id.in_([p.id for p in theirs]), Deadline.rule_id.in_(reports.COMPLIANCE_RULES),
                Deadline.status.in_(["met", "missed", "open"]))).all())

        # the system administrator sees no case content: nothing to count, and no dashboard
        admin_user = user(session, "admin")
        assert reports.dashboard(session, admin_user).total_cases == 0
        assert not reports.has_dashboard(admin_user) and reports.has_dashboard(user(session, "auditor"))


def test_person_scope_is_visible_people(demo_sessions):
    with demo_sessions() as session:
        for username in session.scalars(select(User.username)):
            person = user(session, username)
            for case in session.scalars(select(Case).where(Case.stage == "forwarded")):
                expected = {p.id for p in visible_people(person, case)}
                got = set(session.scalars(select(ReportedASN.id).where(ReportedASN.case_id == case.id,
                                                                       person_scope(person))))
                assert got == expected, (username, case.number)


def test_reports_run_on_an_empty_database(sessions):
    with sessions() as session:
        nobody = Principal("ri", frozenset())
        for name in reports.report_names():
            assert reports.run(session, nobody, name) == []


# --- the desk ----------------------------------------------------------------------------------------------------
def test_the_dashboard_page_shows_svg_charts_in_the_users_scope(app):  # noqa: F811
    handler = client_as(app, "penangan.kukar")
    response = handler.get("/dasbor/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1 class=\"h3\">Dasbor</h1>" in html
    for chart in ("chart-stage", "chart-election", "chart-violation", "chart-agency", "chart-overdue-stage",
                  "chart-overdue-institution", "chart-median", "chart-compliance", "chart-ppk"):
        assert re.search(rf'<svg [^>]*id="{chart}" role="img"', html), chart
    heat = html[html.index('id="heat-table"'):]
    assert 'data-regency="6402"' in heat and "Kabupaten Kutai Kartanegara" in heat
    assert "Kota Samarinda" not in html and "Simulasi Pilkada Wali Kota Samarinda" not in html
    assert re.search(rf'data-total="cases">{sum(i.regency == "6402" for i in demo_case_plan())}<', html)
    body = html[html.index("<h1"):html.index("</svg>", html.index('id="chart-agency"'))]
    assert "<script" not in body and not re.search(r"\son[a-z]+=", body)  # no script, no event handlers
    assert 'href="/dasbor/"' in html  # in the menu

    english = client_as(app, "auditor")
    english.get("/bahasa/en", headers={"Referer": "http://localhost/dasbor/"})
    page = english.get("/dasbor/").get_data(as_text=True)
    assert "Dashboard" in page and "Cases by stage" in page and "overdue" in page and "Kasus per tahap" not in page


def test_the_dashboard_is_refused_without_access(app):  # noqa: F811
    assert app.test_client().get("/dasbor/").status_code == 302  # not logged in: to the login page
    sysadmin = client_as(app, "admin")
    assert sysadmin.get("/dasbor/").status_code == 404
    assert 'href="/dasbor/"' not in sysadmin.get("/pengguna/").get_data(as_text=True)
    for username in ("pengawas.bkn", "bkpsdm.kukar", "ketua.kukar"):
        assert client_as(app, username).get("/dasbor/").status_code == 200, username


# --- the chart helper --------------------------------------------------------------------------------------------
def test_bar_chart_writes_counts_and_overdue_in_the_warning_colour():
    bars = [reports.Bar("a", "Diteruskan <b>", 9, 2), reports.Bar("b", "Selesai", 3)]
    svg = str(charts.bar_chart(bars, title="Kasus & tahap", chart_id="c", empty="-", overdue_word="terlambat"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>Kasus &amp; tahap</title>" in svg
    assert "Diteruskan &lt;b&gt;" in svg and "<b>" not in svg
    assert "9 · 2 terlambat" in svg and ">3</text>" in svg
    assert svg.count(f'fill="{charts.WARN}"') == 1  # only the overdue part of the first bar
    assert "script" not in svg
    assert "Belum" in str(charts.bar_chart([], title="t", chart_id="e", empty="Belum ada data."))
    assert charts.heat(0, 5, "warn") == "" and charts.heat(5, 5, "warn") == "heat-warn-9"
    assert ".heat-warn-9 { background-color: rgba(217, 72, 15, 0.60)" in charts.heat_css()
