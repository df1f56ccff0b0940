"""A region's figures (issue 21, item 1): IKP scores and ASN headcounts imported from CSV or XLSX with a dry run,
every row checked per column, all or nothing, upserted on the natural key (again: unchanged; changed: updated and
audited), authorised per region; the CLI; the desk's page with its preview → confirm; the demo's figures."""
import csv
import hashlib
import io
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from casework.access.policy import Forbidden
from casework.access.principal import operator, principal_named
from casework.adapters.db import transaction
from casework.cli import cli
from casework.models import AuditEvent, AsnCount, VulnerabilityScore
from casework.prevention.figure_sheets import import_figures, read_sheet, template
from casework.prevention.figures import band_for, latest_asn_counts, latest_ikp
from casework.settings import Settings
from demo.figures import load_figures
from tests.helpers import client_as, csrf, fingerprint

SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the same SQL either way: one backend
OPERATOR = operator("cli:test")
SOURCE = "Bawaslu RI, IKP uji"


def sheet(rows: list[dict], fmt: str = "csv") -> bytes:
    headers = list(dict.fromkeys(k for row in rows for k in row))
    if fmt == "xlsx":
        wb = Workbook()
        wb.active.append(headers)
        for row in rows:
            wb.active.append([row.get(h) for h in headers])
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, headers, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def ikp(region="6502", score="40,5", **more) -> dict:
    return {"kode_wilayah": region, "tahun": 2024, "pemilihan": "pemilu-2024", "tema": "overall", "dimensi": "",
            "skor": score, "kategori": "", "sumber": SOURCE, "url_sumber": "", **more}


def results(report) -> dict[int, str]:
    return {r.row: r.result for r in report.rows}


def codes(report) -> dict[int, set[tuple[str, str]]]:
    return {r.row: {(p.field, p.code) for p in r.problems} for r in report.rows if r.problems}


# --- the upsert, on both databases ---------------------------------------------------------------------------------
def test_dry_run_then_import_once_again_unchanged_a_change_updated_and_audited(demo_engine, demo_sessions):
    rows = [ikp("6502", "40,5"), ikp("6502", "12.25", dimensi="Partisipasi"), ikp("65", "20,36", kategori="rendah"),
            {**ikp("6402", "51.28"), "pemilihan": "pilkada-2024-6402", "kategori": "high",  # the demo's own figure
             "sumber": "IKP Pilkada 2024 Kutai Kartanegara sebagaimana disampaikan Pjs Bupati Kukar (22 Nov 2024); "
                       "Bawaslu Kaltim menggolongkannya rawan tinggi",
             "url_sumber": "https://kaltimkita.com/detailpost/pemkab-kukar-sosialisasikan-netralitas-asn"}]
    before = fingerprint(demo_engine)
    dry = import_figures(demo_sessions, "ikp", sheet(rows), "ikp.csv", principal=OPERATOR, dry_run=True)
    assert dry.ok and not dry.done and results(dry) == {2: "insert", 3: "insert", 4: "update", 5: "unchanged"}
    assert fingerprint(demo_engine) == before  # the dry run wrote nothing

    done = import_figures(demo_sessions, "ikp", sheet(rows), "ikp.csv", principal=OPERATOR)
    assert done.done and results(done) == results(dry)  # what the dry run said is what happened
    with demo_sessions() as session:
        malinau = session.scalars(select(VulnerabilityScore).where(VulnerabilityScore.region_code == "6502")
                                  .order_by(VulnerabilityScore.dimension)).all()
        assert [(s.dimension, s.score, s.band, s.entered_by) for s in malinau] == [
            ("", 40.5, "medium", "cli:test"), ("Partisipasi", 12.25, "low", "cli:test")]  # bands from rules/ikp.toml
        assert latest_ikp(session, ["6502", "65"])["65"].band == "low"  # the source's band, as given

    settled = fingerprint(demo_engine)
    for fmt in ("csv", "xlsx"):  # the same rows as XLSX: the same reading, nothing to change
        again = import_figures(demo_sessions, "ikp", sheet(rows, fmt), f"ikp.{fmt}", principal=OPERATOR)
        assert again.done and set(results(again).values()) == {"unchanged"}
    assert fingerprint(demo_engine) == settled

    changed = import_figures(demo_sessions, "ikp", sheet([ikp("6502", "55")]), "ikp.csv", principal=OPERATOR)
    assert results(changed) == {2: "update"}
    counts = import_figures(demo_sessions, "asn", sheet([{"kode_wilayah": "6502", "tahun": 2024, "jumlah_asn": 2100,
                                                          "sumber": "BKN"}], "xlsx"), "asn.xlsx", principal=OPERATOR)
    assert results(counts) == {2: "insert"}
    with demo_sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "figures.ikp_updated")
                                .order_by(AuditEvent.id.desc())).first()
        assert (event.before["score"], event.before["band"]) == (40.5, "medium")
        assert (event.after["score"], event.after["band"], event.actor) == (55.0, "high", "cli:test")
        assert latest_asn_counts(session)["6502"].count == 2100


# --- the file and its rows -----------------------------------------------------------------------------------------
@SQLITE
def test_every_row_is_checked_per_column_and_a_file_with_any_problem_writes_nothing(demo_engine, demo_sessions):
    rows = [ikp("6502"), ikp("640"), ikp("6499"), ikp("6502", "120", dimensi="A"), ikp("6502", "abc", dimensi="B"),
            ikp("6502", pemilihan="pemilu-2099", dimensi="C"), ikp("6502", tema="ekonomi", dimensi="D"),
            ikp("6502"), ikp("6502", kategori="merah", dimensi="E", url_sumber="ftp://x"),
            ikp("6502", pemilihan="pilkada-2024-6402", dimensi="F"), ikp("6502", tahun="2024²", dimensi="G")]
    before = fingerprint(demo_engine)
    report = import_figures(demo_sessions, "ikp", sheet(rows), "ikp.csv", principal=OPERATOR)
    assert not report.ok and not report.done and fingerprint(demo_engine) == before
    assert results(report)[2] == "insert"  # a good row, not written: all or nothing
    assert codes(report) == {
        3: {("region_code", "figures.bad_region")}, 4: {("region_code", "figures.unknown_region")},
        5: {("score", "figures.score_range")}, 6: {("score", "figures.bad_score")},
        7: {("election", "figures.unknown_election")}, 8: {("theme", "bad_choice")},
        9: {("region_code", "figures.duplicate_key")},
        10: {("band", "bad_choice"), ("source_url", "figures.bad_url")},
        11: {("election", "figures.election_elsewhere")},
        12: {("year", "figures.bad_year")}}  # "²".isdigit(), yet no year: said, not a 500
    lines = report.lines("id")
    assert "Baris 5, kolom F (Skor): skor 120 di luar rentang 0–100." in lines
    assert "Baris 9, kolom A (Kode wilayah): angka yang sama (wilayah, tahun, pemilihan, tema, dimensi) sudah ada " \
           "di baris 2 berkas ini." in lines
    assert report.summary("id").startswith("10 baris bermasalah; tidak ada yang disimpan")


def test_the_file_itself_is_checked_before_any_row():
    def problems(data: bytes, name: str = "ikp.csv", kind: str = "ikp") -> list[str]:
        return [p.code for p in read_sheet(kind, data, name)[0].problems]

    assert problems(b"kode_wilayah;tahun;sumber\n6402;2024;x\n") == ["import.missing_column"]  # no skor
    assert problems(b"region_code,year,score,source\n") == ["import.no_rows"]  # English headers, no rows
    assert problems(b"") == ["import.missing_column"] * 4
    assert problems(b"Kode Wilayah;TAHUN;jumlah asn;Sumber;catatan\n6402;2024;10;BKN;-\n", kind="asn") == []
    for data, name, code in ((b"%PDF-1.4\n\xff\xfe", "ikp.xlsx", "import.bad_file"),
                             (b"\x89PNG\r\n\x1a\n\xff\x00", "ikp.csv", "import.bad_file"),
                             (b"%PDF-1.4", "ikp.pdf", "figures.unknown_format"),
                             (b"kode_wilayah,tahun\n6402," + b"x" * 200_000 + b"\n", "ikp.csv", "import.bad_file")):
        with pytest.raises(Exception) as exc:
            read_sheet("ikp", data, name)
        assert getattr(exc.value, "code", None) == code
    wb = load_workbook(io.BytesIO(template("ikp")))  # the template's headers are what the import reads
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:3] == ["kode_wilayah", "tahun", "pemilihan"] and "Keterangan" in wb.sheetnames
    assert problems(template("asn"), "templat.xlsx", "asn") == ["import.no_rows"]


def test_bands_come_from_the_rules_file_per_level():
    assert [band_for(s, "6402") for s in (13.46, 13.47, 49.32, 49.33)] == ["low", "medium", "medium", "high"]
    assert [band_for(s, "64") for s in (21.69, 21.7, 68.49, 68.5, 100)] == ["low", "medium", "medium", "high",
                                                                              "high"]


# --- who may record ------------------------------------------------------------------------------------------------
@SQLITE
def test_a_kukar_handler_records_kukar_only_and_the_cli_operator_anywhere(demo_engine, demo_sessions, monkeypatch,
                                                                          tmp_path):
    with demo_sessions() as session:
        kukar, auditor = principal_named(session, "penangan.kukar"), principal_named(session, "auditor")
    before = fingerprint(demo_engine)
    refused = import_figures(demo_sessions, "ikp", sheet([ikp("6402", dimensi="X"), ikp("6502")]), "ikp.csv",
                             principal=kukar)
    assert codes(refused) == {3: {("region_code", "access.region_outside_office")}} and not refused.done
    assert fingerprint(demo_engine) == before
    with pytest.raises(Forbidden):
        import_figures(demo_sessions, "ikp", sheet([ikp("6402")]), "ikp.csv", principal=auditor, dry_run=True)

    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    netra = lambda *args: CliRunner().invoke(cli, list(args))  # noqa: E731
    (tmp_path / "ikp.xlsx").write_bytes(sheet([ikp("6502")], "xlsx"))
    (tmp_path / "asn.csv").write_bytes(sheet([{"region_code": "6502", "year": 2024, "count": 2100, "source": "BKN"}]))
    as_kukar = netra("ikp", "import", str(tmp_path / "ikp.xlsx"), "--actor", "penangan.kukar")
    assert as_kukar.exit_code == 1 and "Baris 2, kolom A (Kode wilayah)" in as_kukar.output
    dry = netra("ikp", "import", str(tmp_path / "ikp.xlsx"), "--dry-run", "--json")
    assert dry.exit_code == 0 and json.loads(dry.output)["counts"]["insert"] == 1
    assert fingerprint(demo_engine) == before
    assert netra("ikp", "import", str(tmp_path / "ikp.xlsx")).exit_code == 0  # the server's operator: any region
    assert netra("asn-count", "import", str(tmp_path / "asn.csv")).exit_code == 0
    listed = json.loads(netra("ikp", "list", "--region", "6502", "--json").output)
    assert [(r["region_code"], r["score"], r["band"], r["source"]) for r in listed] == [
        ("6502", 40.5, "medium", SOURCE)]
    with demo_sessions() as session:
        assert session.scalar(select(AsnCount.count).where(AsnCount.region_code == "6502")) == 2100


# --- the desk ------------------------------------------------------------------------------------------------------
@SQLITE
def test_the_desk_previews_then_confirms_and_refuses_bad_input_without_a_500(demo_engine, tmp_path):
    from admin import create_app

    app = create_app(replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                             var_dir=tmp_path, secret_key="test-secret"))
    handler = client_as(app, "penangan.kukar")
    page = handler.get("/data-kerawanan/?provinsi=64")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-region="6402"' in html and "51,28" in html and 'id="upload-ikp"' in html
    assert 'data-region="6371"' not in html  # Banjarmasin is in another province
    token = csrf(html)

    def upload(data: bytes, name: str, kind: str = "ikp"):
        return handler.post("/data-kerawanan/unggah", data={"csrf_token": token, "kind": kind,
                                                            "file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")

    before = fingerprint(demo_engine)
    data = sheet([ikp("6402", "47", dimensi="Kontestasi")], "xlsx")
    preview = upload(data, "kukar.xlsx")
    assert preview.status_code == 200 and 'data-result="insert"' in preview.get_data(as_text=True)
    assert 'id="figures-confirm"' in preview.get_data(as_text=True) and fingerprint(demo_engine) == before
    for bad, name, status in ((b"teks biasa", "catatan.txt", 400), (b"%PDF-1.4\n\xff", "palsu.xlsx", 400),
                              (sheet([ikp("6502")]), "malinau.csv", 400), (b"", "kosong.csv", 400)):
        refused = upload(bad, name)
        assert refused.status_code == status and 'id="figures-confirm"' not in refused.get_data(as_text=True)
    assert fingerprint(demo_engine) == before
    confirm = {"csrf_token": token, "kind": "ikp", "sha256": hashlib.sha256(data).hexdigest(), "name": "kukar.xlsx"}
    assert handler.post("/data-kerawanan/terapkan", data={**confirm, "csrf_token": ""}).status_code == 400  # CSRF
    done = handler.post("/data-kerawanan/terapkan", data=confirm)
    assert done.status_code == 200 and 'data-result="insert"' in done.get_data(as_text=True)
    assert not list((tmp_path / "figure-imports").glob("*"))  # the held sheet is gone once saved
    assert handler.post("/data-kerawanan/terapkan", data=confirm).status_code == 302  # nothing held: upload again

    form = {"csrf_token": token, "region_code": "6402", "year": "2025", "score": "120", "source": "Bawaslu Kukar"}
    wrong = handler.post("/data-kerawanan/isi", data=form)
    assert wrong.status_code == 422 and "di luar rentang 0–100" in wrong.get_data(as_text=True)
    assert handler.post("/data-kerawanan/isi", data={**form, "region_code": "6502", "score": "5"}).status_code == 403
    assert handler.post("/data-kerawanan/isi", data={**form, "score": "33,3"}).status_code == 302
    assert handler.post("/data-kerawanan/isi-asn", data={**form, "count": "-1"}).status_code == 422
    with app.app_context(), transaction(app.extensions["netra_sessions"]) as session:
        kukar = {(s.year, s.dimension): (s.score, s.band, s.entered_by) for s in session.scalars(
            select(VulnerabilityScore).where(VulnerabilityScore.region_code == "6402",
                                             VulnerabilityScore.theme == "overall"))}
        assert kukar[(2024, "Kontestasi")] == (47.0, "medium", "penangan.kukar")
        assert kukar[(2025, "")] == (33.3, "medium", "penangan.kukar")

    auditor = client_as(app, "auditor")
    seen = auditor.get("/data-kerawanan/").get_data(as_text=True)
    assert 'data-region="6402"' in seen and 'id="record"' not in seen
    assert auditor.post("/data-kerawanan/unggah", data={"csrf_token": csrf(seen), "kind": "ikp"}).status_code == 404
    assert client_as(app, "admin").get("/data-kerawanan/").status_code == 404


# --- the demo ------------------------------------------------------------------------------------------------------
@SQLITE
def test_the_demo_has_kaltim_figures_with_their_sources_and_loading_again_adds_nothing(demo_engine, demo_sessions):
    with demo_sessions() as session:
        latest = latest_ikp(session)
        assert {f"64{n}" for n in ("01", "02", "03", "07", "08", "09", "11", "71", "72", "74")} <= latest.keys()
        assert (latest["6402"].score, latest["6402"].band, latest["6402"].election_code) == \
            (51.28, "high", "pilkada-2024-6402")
        assert latest_ikp(session, ["64"], theme="asn_neutrality")["64"].score == 6.01
        demo = [s for s in latest.values() if s.source.startswith("Data demo")]
        assert demo and all(not s.source_url for s in demo)  # invented figures say so, and link nowhere
        assert latest_asn_counts(session)["6402"].count > 0
    before = fingerprint(demo_engine)
    with transaction(demo_sessions) as session:
        assert load_figures(session) == 0
    assert fingerprint(demo_engine) == before
