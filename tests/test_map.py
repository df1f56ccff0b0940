"""The map (issue 21 item 3): boundaries with Kemendagri codes, the layers over what a principal may see, the SVG
drawn on the server, each region linked to its filtered case list, and the public map's small counts suppressed.
Counts are taken here straight from the demo's cases, not from the reports the map reuses."""
import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from admin import create_app
from casework.access.principal import OPERATOR
from casework.adapters.db import transaction
from casework.models import AsnCount, Case, PreventionActivity, VulnerabilityScore
from casework.public.statistics import clear_cache
from casework.reference.geometry import GEO_DIR, WILAYAH_DIR, geometry
from casework.reports.map_layers import map_layer
from casework.road.stages import TERMINAL_STAGES, Stage
from casework.settings import Settings
from tests.helpers import client_as, sqlite_only  # noqa: F401

MISSING = {"1273", "1276", "1374", "1375", "3101", "3371", "3576"}  # no polygon in the source (its README)
ROW_LINK = re.compile(r'<a href="/kasus/((?:LP|TM)-\d{2,4}-\d{4}-\d{4})">')
REGION = re.compile(r'<(a href="([^"]*)"|g) data-code="(\d+)"><title>([^<]*)</title><path [^>]*fill="([^"]+)"[^>]*'
                    r'data-class="([^"]+)"')


@pytest.fixture
def app(demo_engine, tmp_path):
    clear_cache()
    settings = replace(Settings.from_env({"NETRA_VAR_DIR": str(tmp_path / "var")}), secret_key="test-secret",
                       database_url=demo_engine.url.render_as_string(hide_password=False))
    yield create_app(settings)
    clear_cache()


def svg_of(page: str, map_id: str = "peta") -> str:
    start = page.index(f'id="{map_id}" role=')
    return page[page.rindex("<svg", 0, start):page.index("</svg>", start) + 6]


def regions(svg: str) -> dict[str, dict]:
    """data-code -> its link (or None), title, fill and class, as drawn."""
    return {m[2]: {"href": html.unescape(m[1]) if m[1] else None, "title": html.unescape(m[3]), "fill": m[4],
                   "class": m[5]} for m in (x.groups() for x in REGION.finditer(svg))}


def legend_colours(page: str, map_id: str = "peta") -> dict[str, str]:
    block = page[page.index(f'id="{map_id}-legend"'):]
    block = block[:block.index("</ul>")]
    return dict(re.findall(r'<li data-class="([^"]+)"><svg[^>]*>(?:<defs>.*?</defs>)?<rect [^>]*fill="([^"]+)"',
                           block))


def open_cases(sessions, regency: str) -> set[str]:
    with sessions() as session:
        return set(session.scalars(select(Case.number).where(
            Case.regency_code == regency, Case.stage.not_in([s.value for s in TERMINAL_STAGES]),
            Case.stage != Stage.SPAM)))


def test_every_polygon_has_a_kemendagri_code_and_the_seven_without_one_are_known():
    geo = geometry()
    assert len(geo.provinces) == 38 and len(geo.regencies) == 507
    assert {r.code for r in geo.without_geometry()} == MISSING
    assert set(geo.regencies) | MISSING == set(geo.regency_names)
    # the spelling variants of the source, placed on the code list's names
    for code, words in {"3171": "Jakarta Pusat", "3175": "Jakarta Timur", "7310": "Pangkajene dan Kepulauan",
                        "7109": "Siau Tagulandang Biaro", "1277": "Padangsidimpuan", "6402": "Kutai Kartanegara",
                        "9301": "Merauke", "9601": "Sorong"}.items():
        assert words in geo.regencies[code].name, code
    # the provinces split in 2022 by name, not by the source's stale KODE_PROV (91/92)
    assert {"93", "94", "95", "96"} <= set(geo.provinces) and geo.provinces["93"].name == "Papua Selatan"
    assert all(geo.provinces[s.code[:2]] for s in geo.regencies.values())
    kaltim = geo.box_of(geo.regency_shapes("64"))
    kukar = geo.regencies["6402"].box
    assert kaltim[0] <= kukar[0] and kukar[0] + kukar[2] <= kaltim[0] + kaltim[2]  # Kukar lies inside Kaltim


@pytest.mark.skipif(not (Path(__file__).resolve().parents[2] / "shared/data/geo").is_dir(),
                    reason="the upstream GeoJSON is not beside the checkout")
def test_the_committed_shapes_are_what_the_script_makes_from_the_sources(tmp_path):
    from devtools.geo_simplify import main

    main(["--out", str(tmp_path / "shapes.json")])
    assert (tmp_path / "shapes.json").read_text() == (GEO_DIR / "shapes.json").read_text()
    assert (WILAYAH_DIR / "regencies.csv").exists() and (GEO_DIR / "LICENSE-provinces.md").exists()


def test_kukar_is_drawn_coloured_by_its_count_and_links_to_exactly_its_cases(app, demo_sessions):
    client = client_as(app, "penangan.kaltim")
    page = client.get("/dasbor/peta").get_data(as_text=True)  # a provincial handler lands on their province
    assert "Peta — Kalimantan Timur" in page
    svg = svg_of(page)
    assert "style=" not in svg and "<script" not in svg.lower() and "http://" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    drawn = regions(svg)
    kukar = drawn["6402"]
    expected = open_cases(demo_sessions, "6402")
    assert expected and kukar["title"].startswith(f"Kabupaten Kutai Kartanegara: {len(expected)} kasus")
    assert kukar["fill"] == legend_colours(page)[kukar["class"]] and kukar["class"] != "0"
    assert drawn["6401"]["class"] == "0" and drawn["6401"]["title"].endswith(": 0 kasus")  # Paser: no case
    assert re.search(r'<tr data-code="6402"[^>]*>.*?>' + str(len(expected)) + "<", page, re.S)  # the table too
    # every regency of the province is drawn or listed as without geometry
    codes = {c for c in geometry().regency_names if c[:2] == "64"}
    assert codes == set(drawn)
    # the link: Flask-Admin's own filter, a list of Kukar's cases and of nothing else
    listed = set()
    for number in range(3):
        listed |= set(ROW_LINK.findall(client.get(f"{kukar['href']}&page={number}").get_data(as_text=True)))
    with demo_sessions() as session:
        kukar_cases = set(session.scalars(select(Case.number).where(Case.regency_code == "6402",
                                                                    Case.stage != Stage.SPAM)))
    assert listed and listed <= kukar_cases and expected <= listed
    balikpapan = ROW_LINK.findall(client.get(drawn["6471"]["href"]).get_data(as_text=True))
    with demo_sessions() as session:
        assert set(balikpapan) == set(session.scalars(select(Case.number).where(Case.regency_code == "6471")))
    # the province filter of the national map's table, and the existing filters keep their URLs
    assert set(ROW_LINK.findall(client.get("/kasus-daftar/?flt0_0=received").get_data(as_text=True)))
    assert client.get("/kasus-daftar/?flt0_999=6402").status_code == 200


def test_regions_without_geometry_are_listed_and_bad_input_is_a_clear_400(app):
    client = client_as(app, "penangan.ri")
    page = client.get("/dasbor/peta").get_data(as_text=True)  # Bawaslu RI: Indonesia
    assert "Peta — Indonesia" in page
    drawn = regions(svg_of(page))
    assert set(drawn) == set(geometry().province_names)
    assert drawn["64"]["href"].startswith("/dasbor/peta?") and "provinsi=64" in drawn["64"]["href"]
    missing = page[page.index('id="map-missing"'):]
    assert {c for c in MISSING if f'data-code="{c}"' in missing[:missing.index("</ul>")]} == MISSING
    north = client.get("/dasbor/peta?provinsi=12").get_data(as_text=True)  # Sumatera Utara: Sibolga, Tebing Tinggi
    shown = set(regions(svg_of(north)))
    listed = set(re.findall(r'<li data-code="(\d+)"', north[north.index('id="map-missing"'):]))
    assert listed == {"1273", "1276"} and shown | listed == {c for c in geometry().regency_names if c[:2] == "12"}
    for bad, words in (("?lapisan=tidak-ada", "Lapisan peta tidak-ada tidak dikenal"),
                       ("?provinsi=99", "Kode provinsi 99 tidak dikenal"), ("?provinsi=<b>", "&lt;b&gt;")):
        response = client.get("/dasbor/peta" + bad)
        assert response.status_code == 400 and words in response.get_data(as_text=True), bad
    assert client.get("/kasus-daftar/?flt0_21=64x").status_code == 200  # an invalid region code: flashed, no 500


def test_layers_use_the_latest_figure_and_tell_no_data_from_zero(demo_sessions):
    """Over the demo's figures (demo/data/figures.toml, prevention.toml) and a later year added here."""
    with transaction(demo_sessions) as session:
        common = {"source": "uji", "entered_by": "uji"}
        session.add_all([
            VulnerabilityScore(region_code="6402", year=2099, theme="overall", score=12.5, band="low", **common),
            VulnerabilityScore(region_code="6402", year=2099, theme="overall", dimension="Partisipasi", score=99,
                               band="high", **common),  # a dimension is not the index
            VulnerabilityScore(region_code="6402", year=2099, theme="asn_neutrality", score=98, band="high",
                               **common),
            AsnCount(region_code="6402", year=2099, count=10000, **common)])
    with demo_sessions() as session:
        scored = set(session.scalars(select(VulnerabilityScore.region_code).where(
            VulnerabilityScore.theme == "overall", VulnerabilityScore.dimension == "")))
        counted = set(session.scalars(select(AsnCount.region_code)))
        cases = {c: len(session.scalars(select(Case.id).where(Case.regency_code == c, Case.stage != Stage.SPAM))
                        .all()) for c in ("6402", "6411")}
        activities = session.scalars(select(PreventionActivity)).all()
        ikp = map_layer(session, OPERATOR, "ikp", province="64")
        rate = map_layer(session, OPERATOR, "per-asn", province="63")
        rate_64 = map_layer(session, OPERATOR, "per-asn", province="64")
        cover = map_layer(session, OPERATOR, "pencegahan", province="64")
        national = map_layer(session, OPERATOR, "pencegahan")
    assert ikp.regions["6402"].value == 12.5 and ikp.regions["6402"].klass.key == "low"  # the latest year
    assert all((r.klass.key == "nodata") == (c not in scored) for c, r in ikp.regions.items())
    assert {k.key for k in ikp.classes} == {"low", "medium", "high", "nodata"}
    assert rate_64.regions["6402"].value == cases["6402"]  # n cases over 10,000 ASN: n per 10,000
    assert cases["6411"] == 0 and rate_64.regions["6411"].value == 0 and rate_64.regions["6411"].klass.key == "0"
    for code, region in rate.regions.items():  # Kalimantan Selatan: only two regencies have a headcount
        assert (region.value is None) == (code not in counted) and (region.klass.key == "nodata") == (
            code not in counted)
    assert "nodata" in {k.key for k in rate.classes} and rate.regions["6301"].text == "tidak ada data"
    signed = sum(a.signatories or 0 for a in activities if a.region_code == "6402"
                 and a.kind in ("pledge", "integrity_pact"))
    assert signed and "persen" in cover.unit
    assert cover.regions["6402"].value == round(100 * signed / 10000, 1)
    # no province has a headcount: the national map counts activities, and says so
    assert "kegiatan" in national.unit and national.regions["64"].value == len(
        [a for a in activities if a.region_code[:2] == "64"]) > 0 and national.regions["11"].value == 0


@pytest.mark.parametrize("backend", ["postgresql"])
def test_the_case_layers_count_the_same_on_postgresql(demo_sessions):
    kukar = open_cases(demo_sessions, "6402")
    with demo_sessions() as session:
        layer = map_layer(session, OPERATOR, "kasus", province="64")
        late = map_layer(session, OPERATOR, "terlambat")
    assert layer.regions["6402"].value == len(kukar) and late.regions["64"].value > 0


def test_the_public_map_suppresses_small_counts(app, demo_sessions):
    with transaction(demo_sessions) as session:  # one case moved to Kalimantan Barat: a province with one case
        moved = session.scalar(select(Case).where(Case.regency_code == "6402", Case.stage != Stage.SPAM).limit(1))
        moved.regency_code = "6171"
    client = app.test_client()
    page = client.get("/statistik").get_data(as_text=True)
    svg = svg_of(page, "peta-publik")
    assert "style=" not in svg and "<script" not in svg.lower() and "/kasus" not in svg
    drawn = regions(svg)
    with demo_sessions() as session:
        codes = [c[:2] for c in session.scalars(select(Case.regency_code).where(Case.stage != Stage.SPAM))]
    counts = {p: codes.count(p) for p in set(codes)}
    assert counts["61"] == 1
    assert drawn["61"]["class"] == "suppressed" and drawn["61"]["title"] == "Kalimantan Barat: <3"
    assert drawn["64"]["title"] == f"Kalimantan Timur: {counts['64']} kasus"
    assert not [r for r in drawn.values() if re.search(r": [12] kasus", r["title"])]
    # the statistics' second suppression (a lone small count takes the next smallest with it) holds on the map
    smallest = min((n for p, n in counts.items() if n >= 3))
    assert {p for p, r in drawn.items() if r["class"] == "suppressed"} == \
        {"61"} | {p for p, n in counts.items() if n == smallest}
    assert len({r["fill"] for r in drawn.values() if r["class"] == "suppressed"}) == 1  # one grey, no scale colour
    assert drawn["64"]["href"].endswith("provinsi=64#peta")
    regencies = client.get("/statistik?provinsi=61").get_data(as_text=True)
    kalbar = regions(svg_of(regencies, "peta-publik"))
    assert kalbar["6171"]["title"].endswith("<3") and all(r["href"] is None for r in kalbar.values())
    assert client.get("/statistik?provinsi=xx").status_code == 400
