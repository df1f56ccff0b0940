"""Public announcements and open statistics (issue 20 items 3 and 4): what each office announces, as a page and an
Atom feed, without a name in it; and the statistics against the demo counted by hand, small counts suppressed."""
import csv
import html
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import select

from admin import create_app
from casework.models import Case, Hearing, ReportedASN, Reporter, Witness
from casework.public.statistics import THRESHOLD, clear_cache, compute, suppress
from casework.road.stages import TERMINAL_STAGES
from casework.settings import Settings
from tests.helpers import decide, sqlite_only  # noqa: F401

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(demo_engine, tmp_path):
    clear_cache()
    settings = replace(Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")}), secret_key="test-secret",
                       database_url=demo_engine.url.render_as_string(hide_password=False))
    yield create_app(settings).test_client()
    clear_cache()


def personal_names(sessions) -> set[str]:
    with sessions() as session:
        return {n for model in (ReportedASN, Reporter, Witness) for n in session.scalars(select(model.name)) if n}


def test_an_office_announces_status_schedule_and_outcome_without_a_name(client, demo_sessions):
    with demo_sessions() as session:
        registered = session.scalars(select(Case).where(Case.regency_code == "6402", Case.source == "laporan",
                                                        Case.register_number.is_not(None))).all()
        decided = [c for c in registered if c.plenary_outcome]
        hearing, heard = session.execute(select(Hearing, Case).join(Case, Case.id == Hearing.case_id)
                                         .where(Case.regency_code == "6402", Hearing.status == "held")).first()
        hearing_number = heard.register_number or heard.number
        received = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == "received",
                                                            Case.source == "laporan").limit(1))
    page = client.get("/pengumuman/bawaslu-6402").get_data(as_text=True)
    assert all(f"Laporan {c.number}: Diregistrasi" in page for c in registered)
    assert all(f"Putusan pleno {c.register_number}" in page for c in decided) and decided
    assert f"Klarifikasi {hearing_number}" in page and hearing.place in page
    assert received not in page  # not registered yet: nothing to announce
    names = personal_names(demo_sessions)
    assert names and not [n for n in names if n in page]

    feed = client.get("/pengumuman/bawaslu-6402/feed.atom")
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.data)
    entries = root.findall(f"{ATOM}entry")
    shown = re.findall(r"<h2>([^<]+)</h2>", page)
    assert len(entries) == len({e.find(f"{ATOM}id").text for e in entries}) == min(50, len(shown))
    assert [e.find(f"{ATOM}title").text for e in entries] == [html.unescape(t) for t in shown[:50]]
    assert not [n for n in names if n in feed.get_data(as_text=True)]

    # a registration recorded now is announced at once
    decide(demo_sessions, "begin_review", received, "penangan.kukar")
    decide(demo_sessions, "register", received, "penangan.kukar")
    assert f"Laporan {received}: Diregistrasi" in client.get("/pengumuman/bawaslu-6402").get_data(as_text=True)
    assert "bawaslu-6402" in client.get("/pengumuman/").get_data(as_text=True)
    assert client.get("/pengumuman/tidak-ada").status_code == 404
    assert client.get("/pengumuman/tidak-ada/feed.atom").status_code == 404


def test_suppression_hides_small_counts_and_a_lone_one_s_complement():
    rows = [{"n": v} for v in (1, 2, 5, 0, 9)]
    suppress(rows, "n")
    assert [r["n"] for r in rows] == [None, None, 5, 0, 9]
    rows = [{"n": v} for v in (2, 6, 4, 0)]  # a lone small one takes the next smallest with it
    suppress(rows, "n")
    assert [r["n"] for r in rows] == [None, 6, None, 0]
    rows = [{"n": v} for v in (3, 4)]
    suppress(rows, "n")
    assert [r["n"] for r in rows] == [3, 4]


def hand_counted(value: int) -> int | None:
    return None if 0 < value < THRESHOLD else value


def test_the_statistics_match_the_demo_counted_by_hand(client, demo_sessions):
    with demo_sessions() as session:
        cases = session.scalars(select(Case).where(Case.stage != "spam")).all()
        per_regency = Counter(c.regency_code for c in cases)
        open_per_regency = Counter(c.regency_code for c in cases if c.stage not in TERMINAL_STAGES)
        per_stage = Counter(c.stage for c in cases)
        stats = compute(session)
    assert stats.total_cases == len(cases)
    regencies = {r["kode"]: r for r in stats.table("kabupaten_kota").rows}
    assert set(regencies) == set(per_regency)
    column = {code: hand_counted(n) for code, n in per_regency.items()}
    if sum(v is None for v in column.values()) == 1:  # the complement: the next smallest goes too
        code = min((c for c, v in column.items() if v), key=lambda c: column[c])
        column[code] = None
    assert {code: r["kasus"] for code, r in regencies.items()} == column
    assert regencies["6402"]["kasus_berjalan"] == open_per_regency["6402"]  # Kukar's 40-odd: shown as counted
    assert any(r["kasus_berjalan"] is None for r in regencies.values())  # the demo's small towns: suppressed
    stages = {r["tahap"]: r["kasus"] for r in stats.table("tahap").rows}
    assert {s: n for s, n in stages.items() if n is not None} == \
        {s: n for s, n in per_stage.items() if stages.get(s) is not None}
    assert all(per_stage[s] < THRESHOLD or n is None for s, n in stages.items() if n is None)

    page = client.get("/statistik")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="computed"' in html and f"&lt;{THRESHOLD}" in html
    data = client.get("/statistik.json").get_json()
    assert data["total_cases"] == len(cases) and data["suppressed_below"] == THRESHOLD
    assert {t["name"] for t in data["tables"]} >= {"pemilihan", "provinsi", "kabupaten_kota", "tahap",
                                                   "jenis_pelanggaran", "jenis_instansi", "tindak_lanjut"}
    assert all(t["dictionary"] and set(t["dictionary"]) == set(t["rows"][0]) for t in data["tables"] if t["rows"])
    rows = list(csv.DictReader(io.StringIO(client.get("/statistik/kabupaten_kota.csv").get_data(as_text=True))))
    assert {r["kode"]: r["kasus"] for r in rows} == {c: str(v) if v is not None else f"<{THRESHOLD}"
                                                     for c, v in column.items()}
    names = personal_names(demo_sessions)
    assert not [n for n in names if n in html or n in str(data)]
    assert client.get("/statistik/tidak-ada.csv").status_code == 404
