"""Spreadsheets in and out, on both databases: exports are scoped like the desk (cases, reported ASN, reporter and
witnesses), the desk exports exactly the filtered list, and importing a register is checked row by row, all or
nothing, and never creates a case twice."""
import csv
import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from admin import create_app
from casework.cli import cli
from casework.adapters.db import make_engine, session_factory, transaction
from casework.road.intake import open_case
from casework.models import AuditEvent, Case, User, utcnow
from casework.access.scope import visible_cases
from casework.settings import Settings
from casework.spreadsheets.columns import BY_KEY
from casework.spreadsheets.export import OPERATOR, Audience, export_cases
from casework.spreadsheets.importer import import_register
from casework.spreadsheets.columns import WITHHELD
from casework.reference.timezones import local_today
from tests.helpers import client_as, csrf, fingerprint, principal_of
from tests.test_intake import valid_input

from demo.loader import demo_case_plan

DEMO_CASES = len(demo_case_plan())

PERSONAL = {"Nama pelapor", "Alamat pelapor", "Telepon pelapor", "Email pelapor", "Nama saksi", "Alamat saksi",
            "Telepon saksi"}
TODAY = local_today("WITA", utcnow())


def sheet(data: bytes) -> tuple[list[str], list[dict]]:
    ws = load_workbook(io.BytesIO(data))["Kasus"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, row, strict=False)) for row in rows[1:]]


def export_for(session, username: str | None, fmt: str = "xlsx") -> bytes:
    audience = OPERATOR if username is None else Audience(principal_of(session, username))
    out = io.BytesIO()
    export_cases(session, out, fmt, audience)
    return out.getvalue()


def test_export_is_scoped_and_personal_columns_follow_the_desk(demo_sessions):
    with demo_sessions() as session:
        kukar_numbers = {c.number for c in session.scalars(visible_cases(principal_of(session, "penangan.kukar")))}
        header, rows = sheet(export_for(session, "penangan.kukar"))
        assert {r["Nomor kasus"] for r in rows} == kukar_numbers and len(rows) == len(kukar_numbers)
        assert {r["Kode kabupaten/kota"] for r in rows} == {"6402"}
        assert PERSONAL <= set(header)  # the handling office's handler sees reporters and witnesses
        laporan = session.scalar(select(Case).where(Case.regency_code == "6402", Case.source == "laporan")
                                 .order_by(Case.id))
        row = next(r for r in rows if r["Nomor kasus"] == laporan.number)
        assert row["Nama pelapor"] == laporan.reporter.name
        assert row["NIP terlapor"] == "; ".join(p.nip for p in laporan.reported)
        assert row["Tanggal diterima"].date() == laporan.received_on and row["Tahap"]

        # the head of the same office sees the same cases, but no reporter or witness at all
        header, head_rows = sheet(export_for(session, "ketua.kukar"))
        assert not PERSONAL & set(header) and {r["Nomor kasus"] for r in head_rows} == kukar_numbers
        flat = str([list(r.values()) for r in head_rows])
        assert laporan.reporter.name not in flat and laporan.witnesses[0].name not in flat
        header, audit_rows = sheet(export_for(session, "auditor"))
        assert not PERSONAL & set(header) and len(audit_rows) == session.scalar(select(func.count(Case.id)))

        # a province handler has the columns, but other offices' reporters are withheld
        header, kaltim = sheet(export_for(session, "penangan.kaltim"))
        assert PERSONAL <= set(header) and {r["Kode kabupaten/kota"][:2] for r in kaltim} == {"64"}
        assert {r["Nama pelapor"] for r in kaltim if r["Sumber"] == "laporan"} == {WITHHELD}
        # a BKPSDM officer sees only their own referred employees of a case
        bkpsdm = session.scalar(select(User).filter_by(username="bkpsdm.kukar"))
        header, agency_rows = sheet(export_for(session, "bkpsdm.kukar"))
        assert agency_rows and not PERSONAL & set(header)
        assert {code for r in agency_rows for code in r["Kode instansi terlapor"].split("; ")} == {bkpsdm.agency.code}
        assert sheet(export_for(session, "admin"))[1] == []  # no case content for the system administrator


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the cells; the SQL: below, both
def test_csv_has_the_same_rows_and_never_carries_a_formula(demo_sessions):
    with transaction(demo_sessions) as session:
        number = open_case(session, valid_input(summary="=HYPERLINK(\"http://x.test\",\"klik\")"),
                           principal=principal_of(session, "penangan.kukar")).number
    with demo_sessions() as session:
        header, rows = sheet(export_for(session, "penangan.kukar"))
        data = export_for(session, "penangan.kukar", "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == header and [r[0] for r in table[1:]] == [r["Nomor kasus"] for r in rows]
    ours = next(r for r in table[1:] if r[0] == number)
    assert ours[header.index("Pokok perkara")].startswith("'=")
    assert ours[header.index("Tanggal diterima")] == (TODAY - timedelta(days=1)).isoformat()
    xlsx = next(r for r in rows if r["Nomor kasus"] == number)
    assert xlsx["Pokok perkara"].startswith("=HYPERLINK")  # kept as text, not turned into a formula


@pytest.fixture
def run(monkeypatch):
    def invoke(url, *args, lang=None):
        monkeypatch.setenv("NETRA_DATABASE_URL", url)
        monkeypatch.setenv("NETRA_LANG", lang or "id")
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return invoke


def test_cli_export_is_everything_with_personal_data_and_is_audited(run, databases, backend, tmp_path):
    url = databases.url(backend, demo=True)
    out = tmp_path / "kasus.xlsx"
    result = run(url, "export", "cases", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0 and f"{DEMO_CASES} kasus ditulis" in result.output
    header, rows = sheet(out.read_bytes())
    assert len(rows) == DEMO_CASES and PERSONAL <= set(header) and WITHHELD not in str(rows)
    assert run(url, "export", "cases", "--format", "csv", "--out", str(tmp_path / "k.csv")).exit_code == 0
    table = list(csv.reader(io.StringIO((tmp_path / "k.csv").read_text(encoding="utf-8-sig"))))
    assert table[0] == header and len(table) == DEMO_CASES + 1
    engine = make_engine(url)
    with session_factory(engine)() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "cases.exported")).all()
        assert [(e.actor, e.after["cases"], e.after["personal_columns"]) for e in events] == \
               [("netra-cli", DEMO_CASES, True), ("netra-cli", DEMO_CASES, True)]
    engine.dispose()


# --- import ------------------------------------------------------------------------------------------------------
def good_row(ref: str, **changes) -> dict:
    row = {"ref": ref, "source": "laporan", "election": "simulasi-pilkada-6402", "office": "bawaslu-6402",
           "regency": "6402", "district": "640201", "place": "Balai desa", "occurred_on": TODAY - timedelta(days=3),
           "known_on": (TODAY - timedelta(days=2)).strftime("%d/%m/%Y"),
           "received_on": (TODAY - timedelta(days=1)).isoformat(), "summary": "ASN mengajak memilih",
           "chronology": "Terlapor mengirim ajakan memilih di grup percakapan.",
           "violations": "etik.interaksi_medsos; etik.sosialisasi_medsos", "reporter_name": "Pelapor Impor",
           "reporter_address": "Tenggarong", "nip": "198503122010011003; 199001152015032002",
           "asn_name": "Terlapor Satu; Terlapor Dua", "position": "Guru; Staf", "asn_kind": "PNS; PPPK",
           "agency": "pemkab-6402; pemkab-6402", "witness_name": "Saksi Impor"}
    row.update(changes)
    return row


def fill_template(run, url: str, path, rows: list[dict]) -> None:
    assert run(url, "import", "template", "--out", str(path)).exit_code == 0
    wb = load_workbook(path)
    ws = wb["Kasus"]
    columns = {cell.value: cell.column for cell in ws[1]}
    assert ws.cell(2, columns["Nomor referensi"]).value.startswith("CONTOH")  # the example row
    ws.delete_rows(2)
    for n, row in enumerate(rows, 2):
        for key, value in row.items():
            ws.cell(n, columns[BY_KEY[key].header], value)
    wb.save(path)


def test_dry_run_lists_every_problem_by_row_and_column_and_imports_nothing(run, databases, backend, tmp_path):
    url = databases.url(backend, demo=True)
    path = tmp_path / "register.xlsx"
    fill_template(run, url, path, [
        good_row("REG-01"),
        good_row("REG-02", nip="19850312201001100; 199001152015032002"),
        good_row("REG-03", regency="9999", district=None),
        good_row("REG-04", received_on=(TODAY + timedelta(days=5)).isoformat()),
        good_row("REG-05", nip=198503122010011003, asn_name="Satu", position="Guru", asn_kind="PNS",
                 agency="pemkab-6402"),
        good_row("REG-01", asn_name="Hanya Satu"),
    ])
    engine = make_engine(url)
    before = fingerprint(engine)
    result = run(url, "import", "cases", str(path), "--dry-run")
    out = result.output
    assert result.exit_code == 1
    assert "Baris 2 (REG-01): siap diimpor." in out
    assert re.search(r"Baris 3, kolom [A-Z]+ \(NIP terlapor\), terlapor ke-1: NIP harus 18 digit, bukan 17\.", out)
    assert re.search(r"Baris 4, kolom [A-Z]+ \(Kode kabupaten/kota\): kode wilayah '9999' tidak dikenal\.", out)
    future = (TODAY + timedelta(days=5)).isoformat()
    assert re.search(rf"Baris 5, kolom [A-Z]+ \(Tanggal diterima\): tanggal {future} ada di masa depan\.", out)
    assert re.search(r"Baris 6, kolom [A-Z]+ \(NIP terlapor\): NIP tertulis sebagai angka", out)
    assert "Baris 7, kolom A (Nomor referensi): nomor referensi 'REG-01' sudah dipakai di baris 2." in out
    assert re.search(r"Baris 7, kolom [A-Z]+ \(Nama terlapor\): berisi 1 nilai", out)
    assert "Uji coba: 1 baris siap diimpor, 5 baris bermasalah, 0 sudah ada; tidak ada yang disimpan." in out
    english = run(url, "import", "cases", str(path), "--dry-run", lang="en").output
    assert "Row 4, column" in english and "unknown region code '9999'" in english
    # without --dry-run: all or nothing, so nothing either
    refused = run(url, "import", "cases", str(path), "--actor", "penangan.kukar")
    assert refused.exit_code == 1 and "tidak ada yang diimpor" in refused.output
    assert "--actor" in run(url, "import", "cases", str(path)).output
    assert fingerprint(engine) == before
    engine.dispose()


def test_a_good_register_imports_all_and_a_second_import_changes_nothing(run, databases, backend, tmp_path):
    url = databases.url(backend, demo=True)
    path = tmp_path / "register.xlsx"
    fill_template(run, url, path, [
        good_row("001/LP/PB/Kab/23.02/X/2024"),
        good_row("002/TM/PB/Kab/23.02/X/2024", source="temuan", reporter_name=None, reporter_address=None,
                 found_by="Panwaslu Kecamatan Tenggarong", nip="198503122010011003", asn_name="Satu",
                 position="Guru", asn_kind=None, agency="pemkab-6402", witness_name=None,
                 occurred_on=(TODAY - timedelta(days=2)).strftime("%d-%m-%Y")),
    ])
    first = run(url, "import", "cases", str(path), "--actor", "penangan.kukar")
    assert first.exit_code == 0, first.output
    assert "2 kasus diimpor; 0 sudah ada dan dilewati." in first.output
    engine = make_engine(url)
    with session_factory(engine)() as session:
        case = session.scalar(select(Case).where(Case.external_ref == "001/LP/PB/Kab/23.02/X/2024"))
        assert case.stage == "received" and case.reporter.name == "Pelapor Impor"
        assert [(p.nip, p.asn_kind) for p in case.reported] == [("198503122010011003", "PNS"),
                                                                ("199001152015032002", "PPPK")]
        assert [w.name for w in case.witnesses] == ["Saksi Impor"] and len(case.violations) == 2
        assert case.history[0].actor == "penangan.kukar" and case.known_on == TODAY - timedelta(days=2)
        finding = session.scalar(select(Case).where(Case.external_ref.like("002/TM/%")))
        assert finding.source == "temuan" and finding.reporter is None and finding.number.startswith("TM-6402-")
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "cases.imported"))
        assert event.actor == "penangan.kukar" and sorted(event.after["cases"]) == sorted([case.number,
                                                                                          finding.number])
    before = fingerprint(engine)
    again = run(url, "import", "cases", str(path), "--actor", "penangan.kukar")
    assert again.exit_code == 0 and again.output.count("sudah ada (already imported) sebagai kasus") == 2
    assert "0 kasus diimpor; 2 sudah ada dan dilewati." in again.output
    assert fingerprint(engine) == before
    engine.dispose()


def test_an_export_of_the_demo_imports_again(demo_sessions):
    with demo_sessions() as session:
        data = export_for(session, None)
    same = import_register(demo_sessions, io.BytesIO(data), actor="t", dry_run=True)
    assert same.ok and same.count("existing") == DEMO_CASES
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Kasus"]
    for (cell,) in ws.iter_rows(min_col=2, max_col=2, min_row=2):
        cell.value = f"salinan-{cell.value}"
    copy = io.BytesIO()
    wb.save(copy)
    report = import_register(demo_sessions, io.BytesIO(copy.getvalue()), actor="t", dry_run=True)
    assert report.ok and report.count("ready") == DEMO_CASES, report.lines()


# --- the desk ----------------------------------------------------------------------------------------------------
@pytest.fixture
def app(demo_engine, tmp_path):
    settings = replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                       var_dir=tmp_path, letters_dir=tmp_path / "letters", secret_key="test-secret")
    return create_app(settings)


def export_links(client, query: str) -> dict[str, str]:
    """The list page's download forms (a POST each, with the form's CSRF token): format -> action URL."""
    html = client.get(f"/kasus-daftar/{query}").get_data(as_text=True)
    assert "Unduh" in html
    return {fmt: link.replace("&amp;", "&")
            for link, fmt in re.findall(r'<form method="post" action="([^"]+/ekspor/(xlsx|csv)[^"]*)"', html)}


def download(client, url: str):
    """Post a download form as the browser does (the token from the list page)."""
    token = csrf(client.get("/kasus-daftar/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def audit_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "cases.exported"))


def test_the_desk_exports_the_filtered_list_in_the_users_scope(app, demo_sessions):
    with demo_sessions() as session:
        kukar = session.scalar(select(Case).where(Case.regency_code == "6402", Case.stage == "study")
                               .order_by(Case.id))
        number, nip = kukar.number, kukar.reported[0].nip
        samarinda = session.scalar(select(Case.number).where(Case.regency_code != "6402", Case.stage == "study",
                                                             Case.regency_code.like("64%")))  # same province
    handler = client_as(app, "penangan.kukar")
    links = export_links(handler, "?flt0_0=study")
    response = download(handler, links["xlsx"])
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, rows = sheet(response.data)
    assert number in {r["Nomor kasus"] for r in rows} and samarinda not in response.data.decode("latin-1")
    assert {r["Tahap"] for r in rows} == {"Kajian"} and {r["Kode kabupaten/kota"] for r in rows} == {"6402"}
    assert PERSONAL <= set(header)
    found = download(handler, export_links(handler, f"?search={nip}")["csv"])
    table = list(csv.reader(io.StringIO(found.data.decode("utf-8-sig"))))
    assert found.mimetype == "text/csv" and [r[0] for r in table[1:]] == [number]
    # the province sees Samarinda's case too; the head gets no personal columns
    header, rows = sheet(download(client_as(app, "penangan.kaltim"), "/kasus-daftar/ekspor/xlsx?flt0_0=study").data)
    assert samarinda in {r["Nomor kasus"] for r in rows}
    head_header, _ = sheet(download(client_as(app, "ketua.kukar"), "/kasus-daftar/ekspor/xlsx").data)
    assert not PERSONAL & set(head_header)
    assert handler.get("/kasus-daftar/ekspor/pdf").status_code == 404
    assert app.test_client().get("/kasus-daftar/ekspor/xlsx").status_code == 302  # login first
    # the download is a POST: a GET (an old link, a prefetch, an <img>) writes nothing and asks to confirm
    events = audit_count(demo_sessions)
    confirm = handler.get(links["csv"])
    assert confirm.status_code == 200 and 'method="post"' in confirm.get_data(as_text=True)
    assert confirm.mimetype == "text/html" and audit_count(demo_sessions) == events
    assert handler.post(links["csv"]).status_code == 400  # no CSRF token: refused, nothing written
    assert audit_count(demo_sessions) == events
    with demo_sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "cases.exported",
                                                        AuditEvent.actor == "penangan.kukar")
                               .order_by(AuditEvent.id))
        assert event.after["format"] == "xlsx" and event.after["personal_columns"] is True
        assert event.after["criteria"]["filters"] and event.after["cases"] == len(
            [c for c in session.scalars(select(Case).where(Case.regency_code == "6402", Case.stage == "study"))])


def test_template_has_the_import_columns_and_a_legend(run, databases, backend, tmp_path):
    url = databases.url(backend)
    path = tmp_path / "templat.xlsx"
    result = run(url, "import", "template", "--out", str(path))
    assert result.exit_code == 0 and "hapus baris contoh" in result.output
    wb = load_workbook(path)
    header = [c.value for c in wb["Kasus"][1]]
    assert header[:4] == ["Nomor referensi", "Sumber", "Kode pemilihan", "Kode kantor"]
    assert "Nomor kasus" not in header and "NIP terlapor" in header
    legend = {row[0]: row[1] for row in wb["Keterangan"].iter_rows(values_only=True) if row and row[0]}
    assert legend["NIP terlapor"] == "Reported NIP"
    example = dict(zip(header, next(wb["Kasus"].iter_rows(min_row=2, values_only=True)), strict=False))
    assert example["Tanggal diterima"].date() == date(2024, 1, 22) and "fiktif" in example["Nama terlapor"]


def test_the_docs_list_every_column():
    from pathlib import Path

    from casework.spreadsheets.columns import COLUMNS
    docs = (Path(__file__).resolve().parent.parent / "docs" / "import-template.md").read_text()
    rows = {line.split("|")[1].replace("🔒", "").strip(): line.split("|")[2].strip()
            for line in docs.splitlines() if line.startswith("| ") and not line.startswith("| kolom")}
    assert {c.header: c.english for c in COLUMNS} == rows
