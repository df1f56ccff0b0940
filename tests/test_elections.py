"""Elections as data (issue 16, item 4), on SQLite and PostgreSQL: adding one is checked (dates in order, no
overlap of the same kind and area, a re-vote may overlap its parent) and audited; intake refuses an incident
outside the chosen election's period; `netra election`; the administrator's desk page; migration 0012."""
import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from casework.access.policy import Forbidden
from casework.access.principal import operator
from casework.adapters import migrate
from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import ValidationError
from casework.models import AuditEvent, Case, Election
from casework.reference.elections import ElectionInput, add_election, elections_for
from casework.road.intake import open_case
from tests.helpers import client_as, csrf, fingerprint, principal_of
from tests.test_desk import app, intake_form  # noqa: F401  (the desk fixture on both backends)
from tests.test_intake import TODAY, valid_input
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the election's rules, not SQL)

ADMIN = operator("uji")


def pemilu_2029(**changes) -> ElectionInput:
    data = ElectionInput(code="pemilu-2029", kind="pemilu", name="Pemilu 2029", voting_day="2029-02-14",
                         starts_on="2027-06-14", ends_on="2029-10-20",
                         stages={"campaign": ("2028-11-28", "2029-02-10")}, basis="PKPU (uji)")
    return replace(data, **changes)


def pilkada(code: str, **changes) -> ElectionInput:
    data = ElectionInput(code=code, kind="pilkada", name=f"Pilkada {code}", voting_day="2029-11-28",
                         starts_on="2029-01-15", ends_on="2030-02-20", regency="6402")
    return replace(data, **changes)


def problems(sessions, data: ElectionInput) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as raised, transaction(sessions) as session:
        add_election(session, data, principal=ADMIN)
    return [(p.field, p.code) for p in raised.value.problems]


# --- the domain --------------------------------------------------------------------------------------------------
def test_an_election_is_added_with_its_stages_and_audited(sessions):
    with transaction(sessions) as session:
        add_election(session, pemilu_2029(), principal=ADMIN)
    with sessions() as session:
        added = session.scalar(select(Election).where(Election.code == "pemilu-2029"))
        assert (added.starts_on, added.ends_on, added.voting_day) == (date(2027, 6, 14), date(2029, 10, 20),
                                                                     date(2029, 2, 14))
        assert [(s.code, s.starts_on) for s in added.stages] == [("campaign", date(2028, 11, 28))]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "election.added"))
        assert event.actor == "uji" and event.after["code"] == "pemilu-2029" and event.after["basis"] == "PKPU (uji)"
        assert [e.code for e in elections_for(session, "6402", date(2028, 1, 1))] == ["pemilu-2029"]
        assert elections_for(session, "6402", date(2027, 6, 13)) == []


def test_dates_must_be_in_order_and_every_problem_is_listed(engine, sessions):
    before = fingerprint(engine)
    found = problems(sessions, pemilu_2029(code="Pemilu 2029", ends_on="2027-01-01", voting_day="2029-13-01",
                                           stages={"campaign": ("2029-02-01", "2029-01-01"), "rally": ("", "")}))
    assert found == [("code", "election.bad_code"), ("voting_day", "case.bad_date"),
                     ("ends_on", "election.ends_before_start"), ("stages", "election.stage_reversed"),
                     ("stages", "election.unknown_stage")]
    assert problems(sessions, pemilu_2029(voting_day="2029-11-01")) == [("voting_day",
                                                                         "election.voting_outside_period")]
    assert problems(sessions, pemilu_2029(stages={"campaign": ("2028-11-28", "2029-02-14")})) == [
        ("stages", "election.stage_after_voting")]
    assert problems(sessions, pemilu_2029(province="64")) == [("province", "election.pemilu_national")]
    assert problems(sessions, pilkada("pilkada-x", regency=None)) == [("province", "election.pilkada_area")]
    assert problems(sessions, pemilu_2029(code="pemilu-2024")) == [("code", "election.code_taken")]
    assert fingerprint(engine) == before  # nothing written


def test_no_overlap_of_the_same_kind_and_area_but_other_regions_and_a_re_vote_may(engine, sessions):
    with transaction(sessions) as session:
        add_election(session, pemilu_2029(), principal=ADMIN)
        add_election(session, pilkada("pilkada-2029-6402"), principal=ADMIN)
    # a second Pemilu overlapping the first, a second Kukar Pilkada overlapping the first: refused, named
    assert problems(sessions, pemilu_2029(code="pemilu-lain", starts_on="2029-10-01", ends_on="2030-06-01",
                                          voting_day="2030-01-01", stages={})) == [("starts_on", "election.overlaps")]
    with pytest.raises(ValidationError) as raised, transaction(sessions) as session:
        add_election(session, pilkada("pilkada-lain-6402", starts_on="2030-02-20", ends_on="2030-05-01",
                                      voting_day="2030-04-01"), principal=ADMIN)
    assert "Pilkada pilkada-2029-6402 (2029-01-15 s.d. 2030-02-20)" in raised.value.render("id")
    assert "overlaps Pilkada pilkada-2029-6402" in raised.value.render("en")
    with transaction(sessions) as session:
        # the next day is fine; other regions and the governor's Pilkada of the same province may overlap
        add_election(session, pilkada("pilkada-2030-6402", starts_on="2030-02-21", ends_on="2030-05-01",
                                      voting_day="2030-04-01"), principal=ADMIN)
        add_election(session, pilkada("pilkada-2029-6472", regency="6472"), principal=ADMIN)
        add_election(session, pilkada("pilkada-2029-64", regency=None, province="64"), principal=ADMIN)
        # a re-vote (PSU) of the Kukar Pilkada overlaps its parent
        add_election(session, pilkada("psu-2029-6402", parent="pilkada-2029-6402", voting_day="2030-01-20",
                                      starts_on="2029-12-20", ends_on="2030-02-10"), principal=ADMIN)
    assert problems(sessions, pilkada("psu-salah", parent="pemilu-2029")) == [("parent", "election.parent_mismatch")]
    assert problems(sessions, pilkada("psu-awal", parent="pilkada-2029-6402", voting_day="2029-11-01")) == [
        ("voting_day", "election.psu_before_parent")]
    with sessions() as session:
        psu = session.scalar(select(Election).where(Election.code == "psu-2029-6402"))
        assert psu.parent.code == "pilkada-2029-6402" and psu.kind == "pilkada"
        assert {e.code for e in elections_for(session, "6402", date(2030, 1, 5))} == {
            "pilkada-2029-6402", "pilkada-2029-64", "psu-2029-6402"}


def test_only_a_system_administrator_or_the_operator_adds_an_election(demo_sessions):
    for who in ("penangan.kukar", "auditor"):
        with pytest.raises(Forbidden), transaction(demo_sessions) as session:
            add_election(session, pemilu_2029(), principal=principal_of(session, who))
    with transaction(demo_sessions) as session:
        add_election(session, pemilu_2029(), principal=principal_of(session, "admin"))


# --- intake ------------------------------------------------------------------------------------------------------
def test_intake_refuses_an_incident_outside_the_election_s_period(demo_engine, demo_sessions):
    """The case the issue names: an incident of these days recorded under Pemilu 2024 is refused, nothing written,
    the message naming the election, its period and the elections that do fit."""
    before = fingerprint(demo_engine)
    with pytest.raises(ValidationError) as raised, transaction(demo_sessions) as session:
        open_case(session, valid_input(election="pemilu-2024"), principal=principal_of(session, "penangan.kukar"))
    assert raised.value.codes == ["case.outside_election_period"]
    said = raised.value.render("id")
    occurred = (TODAY - timedelta(days=3)).isoformat()
    assert f"Tanggal kejadian: tanggal {occurred} berada di luar masa Pemilu 2024 (2022-06-14 s.d. 2024-10-20)" in said
    assert "Simulasi Pemilu (data demo)" in said and "Simulasi Pilkada Bupati Kutai Kartanegara" in said
    assert f"Date occurred: {occurred} is outside the period of Pemilu 2024" in raised.value.render("en")
    # a date before any election of the area: told there is none
    with pytest.raises(ValidationError) as raised, transaction(demo_sessions) as session:
        open_case(session, valid_input(election="pilkada-2024-6402", occurred_on=date(2022, 1, 10)),
                  principal=principal_of(session, "penangan.kukar"))
    assert raised.value.codes == ["case.outside_any_election"]
    assert "tidak ada pemilihan di Kabupaten Kutai Kartanegara" in raised.value.render("id")
    assert fingerprint(demo_engine) == before
    with transaction(demo_sessions) as session:  # inside the period: recorded (the first and last day count)
        handler = principal_of(session, "penangan.kukar")
        open_case(session, valid_input(election="pilkada-2024-6402", occurred_on=date(2025, 2, 20),
                                       known_on=date(2025, 2, 20), received_on=date(2025, 2, 21)), principal=handler)


def test_the_intake_form_refuses_it_in_the_user_s_language_and_orders_the_elections(app, demo_engine):  # noqa: F811
    handler = client_as(app, "penangan.kukar")
    page = handler.get("/kasus-baru/").get_data(as_text=True)
    options = page[page.index('id="election"'):page.index("</select>", page.index('id="election"'))]
    assert 'data-starts="2022-06-14" data-ends="2024-10-20"' in options  # periods for netra.js
    assert "Pemilu 2024 (14 Juni 2022 – 20 Oktober 2024)" in options
    assert options.index("simulasi-") < options.index("pemilu-2024")  # what fits today first
    before = fingerprint(demo_engine)
    response = handler.post("/kasus-baru/", data={**intake_form(election="pemilu-2024"), "csrf_token": csrf(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "berada di luar masa Pemilu 2024 (2022-06-14 s.d. 2024-10-20)" in html
    assert fingerprint(demo_engine) == before
    handler.get("/bahasa/en")
    response = handler.post("/kasus-baru/", data={**intake_form(election="pemilu-2024"), "csrf_token": csrf(page)})
    assert response.status_code == 422 and "is outside the period of Pemilu 2024" in response.get_data(as_text=True)


# --- netra election ----------------------------------------------------------------------------------------------
def run(monkeypatch, url: str, *args: str):
    monkeypatch.setenv("NETRA_DATABASE_URL", url)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_netra_election_add_and_list(monkeypatch, databases, backend, engine):
    url = databases.url(backend)
    add = ["election", "add", "--code", "pilkada-2029-6402", "--kind", "pilkada", "--name", "Pilkada 2029 Kukar",
           "--voting-day", "2029-11-28", "--starts-on", "2029-01-15", "--ends-on", "2030-02-20", "--regency", "6402",
           "--stage", "campaign=2029-09-26..2029-11-24", "--basis", "PKPU (uji)"]
    before = fingerprint(engine)
    bad = run(monkeypatch, url, *add[:-8], "--ends-on", "2028-12-31", "--regency", "6402", "--stage", "kampanye=x..y")
    assert bad.exit_code == 1 and "Data tidak valid (2 masalah); tidak ada yang disimpan." in bad.output
    assert "Akhir masa: akhir masa (2028-12-31) lebih awal dari awal masa (2029-01-15)." in bad.output
    assert "tahapan 'kampanye' tidak dikenal" in bad.output and "Traceback" not in bad.output
    english = run(monkeypatch, url, "--lang", "en", *add[:-8], "--ends-on", "2028-12-31", "--regency", "6402")
    assert english.exit_code == 1 and "End of period: the period ends (2028-12-31) before it starts" in english.output
    assert fingerprint(engine) == before
    added = run(monkeypatch, url, *add, "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output) == {
        "code": "pilkada-2029-6402", "kind": "pilkada", "name": "Pilkada 2029 Kukar", "voting_day": "2029-11-28",
        "starts_on": "2029-01-15", "ends_on": "2030-02-20", "province": None, "regency": "6402", "parent": None,
        "basis": "PKPU (uji)", "stages": {"campaign": ["2029-09-26", "2029-11-24"]}}
    again = run(monkeypatch, url, *add)
    assert again.exit_code == 1 and "kode 'pilkada-2029-6402' sudah dipakai" in again.output
    listed = json.loads(run(monkeypatch, url, "election", "list", "--json").output)
    assert [e["code"] for e in listed] == ["pilkada-2029-6402", "pemilu-2024"]  # newest first
    assert listed[1]["stages"]["campaign"] == ["2023-11-28", "2024-02-10"]
    table = run(monkeypatch, url, "election", "list").output
    assert "pemilu-2024" in table and "2022-06-14 s.d. 2024-10-20" in table


# --- the desk ----------------------------------------------------------------------------------------------------
def test_the_administrator_lists_and_adds_elections_on_the_desk(app, demo_engine, demo_sessions):  # noqa: F811
    admin = client_as(app, "admin")
    page = admin.get("/pemilihan/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pemilu 2024" in html and "PKPU 3/2022" in html
    assert "Simulasi Pemilu (data demo)" in html and "Masa kampanye" in html
    form = {"csrf_token": csrf(html), "code": "pemilu-2029", "kind": "pemilu", "name": "Pemilu 2029",
            "starts_on": "2027-06-14", "voting_day": "2029-02-14", "ends_on": "2027-01-01",
            "campaign_starts_on": "2028-11-28", "campaign_ends_on": "2029-02-10"}
    before = fingerprint(demo_engine)
    refused = admin.post("/pemilihan/", data=form)
    text_ = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "akhir masa (2027-01-01) lebih awal dari awal masa" in text_
    assert 'value="pemilu-2029"' in text_  # the form comes back as typed
    assert fingerprint(demo_engine) == before
    done = admin.post("/pemilihan/", data={**form, "ends_on": "2029-10-20"})
    assert done.status_code == 302
    assert "Pemilu 2029" in admin.get("/pemilihan/").get_data(as_text=True)
    with demo_sessions() as session:
        added = session.scalar(select(Election).where(Election.code == "pemilu-2029"))
        assert added.ends_on == date(2029, 10, 20) and added.stage("campaign").ends_on == date(2029, 2, 10)
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "election.added",
                                                             AuditEvent.entity_id == str(added.id))) == "admin"
    for who in ("penangan.kukar", "auditor"):  # no one else sees the page, nor can post to it
        client = client_as(app, who)
        assert client.get("/pemilihan/").status_code == 404
        assert client.post("/pemilihan/", data={**form, "code": "x-1"}).status_code in (400, 404)
    with demo_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Election).where(Election.code == "x-1")) == 0
        assert session.scalar(select(func.count()).select_from(Case).where(Case.election_id == added.id)) == 0


# --- migration 0012 ----------------------------------------------------------------------------------------------
def test_0012_gives_the_2024_elections_their_legal_dates(engine):
    migrate.downgrade(engine, "0010")
    with engine.begin() as conn:  # rows as they stood before: no period, no stages
        conn.execute(text("INSERT INTO elections (code, kind, name, voting_day, province_code) VALUES "
                          "('pilkada-2024-64', 'pilkada', 'Pilkada 2024 Gubernur Kalimantan Timur', '2024-11-27', "
                          "'64'), ('lain', 'pilkada', 'Pilkada lain', '2020-12-09', '63')"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = {code: (str(a), str(b), basis) for code, a, b, basis in conn.execute(
            text("SELECT code, starts_on, ends_on, basis FROM elections"))}
        stages = conn.execute(text("SELECT s.code, s.starts_on, s.ends_on FROM election_stages s JOIN elections e "
                                   "ON e.id = s.election_id WHERE e.code = 'pilkada-2024-64' ORDER BY s.starts_on"))
        stages = [(c, str(a), str(b)) for c, a, b in stages]
    assert rows["pemilu-2024"][:2] == ("2022-06-14", "2024-10-20") and rows["pemilu-2024"][2].startswith("PKPU 3/2022")
    assert rows["pilkada-2024-64"][:2] == ("2024-01-26", "2025-02-20")
    assert rows["pilkada-2024-64"][2].startswith("PKPU 2/2024")
    assert stages == [("campaign", "2024-09-25", "2024-11-23"), ("quiet", "2024-11-24", "2024-11-26"),
                      ("counting", "2024-11-27", "2024-12-16")]
    assert rows["lain"] == ("2019-12-10", "2021-12-09", "")  # unknown: a provisional period around its voting day
