"""Bad input, on SQLite and PostgreSQL: hypothesis throws malformed and hostile values — over-long strings, control
characters, HTML and script, SQL fragments, odd Unicode, dates out of range, wrong NIPs, malformed versions — at the
intake form, a decision form, the XLSX register import and the CLI; then huge and disguised uploads. Whatever comes
in, the answer is a clear error in Bahasa Indonesia and a database exactly as it was (tests/helpers.fingerprint),
or — for a value that is merely odd, like a name with a quote or a tag in it — the value stored as typed and shown
escaped. Never a 500, never a traceback.
"""
from __future__ import annotations

import io
import itertools
import re
import time
import zipfile
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from casework.cli import cli
from casework.road.intake import LIMITS
from casework.models import Case, EvidenceFile, ReportedASN, StageChange, utcnow
from casework.road.nip import normalize_nip
from casework.spreadsheets.columns import BY_KEY
from casework.spreadsheets.importer import import_register
from casework.spreadsheets.reader import MAX_IMPORT_UNPACKED
from casework.spreadsheets.workbook import write_template
from casework.textcheck import EARLIEST, has_control_chars
from casework.reference.timezones import local_today
from casework.road.inputs import MAX_TEXT
from tests.helpers import client_as, csrf, fingerprint
from tests.test_desk import PDF, app, intake_form  # noqa: F401  (the desk fixture, both backends)

EXAMPLES = 20
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])
TRIED: dict[str, int] = {}  # inputs tried per target, for docs/security.md's figures


def tried(target: str) -> None:
    TRIED[target] = TRIED.get(target, 0) + 1


# --- the hostile values ------------------------------------------------------------------------------------------------
HTML = ["<script>alert(1)</script>", '"><img src=x onerror=alert(document.cookie)>', "</textarea><svg onload=alert(1)>",
        "javascript:alert(1)", "{{ 7*7 }}", "{% raw %}", "<b>tebal</b> & <i>miring</i>", "<!--", "]]>"]
SQL = ["'; DROP TABLE cases; --", "' OR '1'='1", "1; DELETE FROM audit_events", "\\'; UPDATE users SET is_active=0;--",
       "%", "_%_", "\\", "' UNION SELECT password_hash FROM users --", "LP-6402-2026-0001' --"]
ODD = ["\u202egnp.exe", "Nol\u200blebar", "😀" * 20, "e\u0301", "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "İstanbul ß ﬃ", "\ufeffBOM", "\u00a0",
       "Ω" * 199, "x" * 200, "x" * 201]
CONTROL = [chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\x7f", "\x85", "\x9f"]
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))


def hostile_text(*, control: bool = True, longest: int = MAX_TEXT + 500):
    kinds = [st.sampled_from(HTML + SQL + ODD),
             st.integers(min_value=1, max_value=longest).map(lambda n: ("Ab <b>'\"; " * (n // 10 + 1))[:n]),
             st.text(PRINTABLE, max_size=60),
             st.sampled_from(["", " ", "   \t ", "\n\n"])]
    if control:
        kinds.append(st.tuples(st.text(PRINTABLE, max_size=8), st.sampled_from(CONTROL),
                               st.text(PRINTABLE, max_size=8)).map("".join))
    return st.one_of(*kinds)


TODAY = local_today("WITA", utcnow())
BAD_DATES = ["0001-01-01", "1999-12-31", "9999-12-31", "2024-02-30", "2024-13-01", "24-01-01", "2024/01/01",
             "01-02-2024", "", "now()", "2024-01-01T00:00:00", "20240101", "2024-1-1", " ", "2024-01-01'; --",
             (TODAY + timedelta(days=1)).isoformat(), "١٢٣٤-٠١-٠١"]


def hostile_date():
    return st.one_of(st.sampled_from(BAD_DATES), st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
                     st.text(PRINTABLE, max_size=12))


def hostile_nip():
    return st.one_of(st.text("0123456789", min_size=0, max_size=24), st.text("0123456789 .-", max_size=24),
                     st.sampled_from(["198503122010011003'; --", "19850312 201001 1 003", "1985031220100110０３",
                                      "000000000000000000", "999999999999999999", "198513122010011003",
                                      "198503122010011903", "198503122010011000", "<script>", "１９８５"]),
                     st.text(PRINTABLE, max_size=20))


def must_refuse_text(raw: str, limit: int | None, required: bool) -> bool:
    value = raw.strip()
    return has_control_chars(raw) or (required and not value) or (limit is not None and len(value) > limit)


def out_of_range_iso(raw: str) -> bool:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return False
    return day < EARLIEST or day > TODAY


def must_refuse_date(raw: str) -> bool:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return True
    return day < EARLIEST or day > TODAY


INDONESIAN = re.compile(r"tidak ada yang disimpan", re.I)


# --- the intake form -----------------------------------------------------------------------------------------------
INTAKE_TEXT = {"summary": (LIMITS["summary"], True), "place": (LIMITS["place"], True),
               "chronology": (LIMITS["chronology"], True), "name0": (LIMITS["name"], True),
               "position0": (LIMITS["position"], True), "reporter_name": (LIMITS["name"], True),
               "reporter_address": (LIMITS["address"], True), "reporter_phone": (LIMITS["phone"], False)}
STORED = {"summary": lambda c: c.summary, "place": lambda c: c.place, "chronology": lambda c: c.chronology,
          "name0": lambda c: c.reported[0].name, "position0": lambda c: c.reported[0].position,
          "reporter_name": lambda c: c.reporter.name, "reporter_address": lambda c: c.reporter.address}


def intake_cases():
    text = st.tuples(st.sampled_from(sorted(INTAKE_TEXT)), hostile_text())
    dates = st.tuples(st.sampled_from(["occurred_on", "known_on", "received_on"]), hostile_date())
    nips = st.tuples(st.just("nip0"), hostile_nip())
    codes = st.tuples(st.sampled_from(["election", "regency", "district", "agency0", "source", "violations",
                                       "asn_kind0"]), hostile_text(longest=400))
    return st.one_of(text, text, dates, nips, codes)


def test_the_intake_form_refuses_bad_input_and_stores_odd_input_as_typed(app, demo_engine, demo_sessions):
    handler = client_as(app, "penangan.kukar")
    token = csrf(handler.get("/kasus-baru/").get_data(as_text=True))

    @PROPERTY
    @given(case=intake_cases())
    @example(case=("summary", "\x00"))  # PostgreSQL cannot store a NUL: refused before any view runs
    @example(case=("summary", "x" * 301))
    @example(case=("chronology", "x" * 20_001))
    @example(case=("summary", "<script>alert(1)</script>"))  # stored as typed, shown escaped
    @example(case=("name0", "O'Brien'; DROP TABLE cases; --"))
    @example(case=("occurred_on", "0001-01-01"))
    @example(case=("received_on", "9999-12-31"))
    @example(case=("nip0", "198513122010011003"))
    def attempt(case):
        field, value = case
        tried("intake form")
        before = fingerprint(demo_engine)
        response = handler.post("/kasus-baru/", data={**intake_form(**{field: value}), "csrf_token": token})
        html = response.get_data(as_text=True)
        assert response.status_code in (302, 400, 422), (response.status_code, html[:500])
        if field in INTAKE_TEXT and must_refuse_text(value, *INTAKE_TEXT[field]) \
                or field in ("occurred_on", "known_on", "received_on") and must_refuse_date(value) \
                or field == "nip0" and not re.fullmatch(r"\d{18}", normalize_nip(value)):
            assert response.status_code != 302, (field, value)
        if response.status_code != 302:
            assert INDONESIAN.search(html), html[:500]
            assert fingerprint(demo_engine) == before
            return
        number = response.headers["Location"].rsplit("/", 1)[-1]
        with demo_sessions() as session:
            stored = session.scalar(select(Case).where(Case.number == number))
            if field in STORED:
                assert STORED[field](stored) == value.strip()
        page = handler.get(f"/kasus/{number}").get_data(as_text=True)
        if "<" in value and "\n" not in value:
            assert value.strip() not in page and str(escape(value.strip())) in page

    attempt()


# --- a decision form ---------------------------------------------------------------------------------------------------
BAD_VERSIONS = ["abc", "", "-1", "1e3", "99999999999999999999", "' OR 1=1", "0x10", "None", "7.0"]


def test_a_decision_form_refuses_bad_input_and_nothing_half_happens(app, demo_engine, demo_sessions):
    """A laporan awaiting completion goes back and forth — request_completion (`missing`, required) and
    submit_completion (`note`, optional) — with a hostile value each time, sometimes with a hostile version."""
    with demo_sessions() as session:
        number = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.source == "laporan",
                                                          Case.stage == "awaiting_completion"))
    handler = client_as(app, "penangan.kukar")
    token = csrf(handler.get(f"/kasus/{number}").get_data(as_text=True))

    @PROPERTY
    @given(value=hostile_text(), version=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(BAD_VERSIONS)))
    @example(value="\x00", version=None)
    @example(value="y" * (MAX_TEXT + 1), version=None)
    @example(value="<script>alert(1)</script>", version=None)
    @example(value="'; DROP TABLE cases; --", version=None)
    @example(value="KTP", version="abc")
    @example(value="   ", version=None)
    def attempt(value, version):
        tried("decision form")
        with demo_sessions() as session:
            case = session.scalar(select(Case).where(Case.number == number))
            stage, current = case.stage, case.version
        step, field, required = ("submit_completion", "note", False) if stage == "awaiting_completion" else \
            ("request_completion", "missing", True)
        before = fingerprint(demo_engine)
        response = handler.post(f"/kasus/{number}/langkah/{step}", data={
            "csrf_token": token, "version": str(current) if version is None else version, field: value})
        with handler.session_transaction() as data:
            said = " ".join(text for _c, text in data.pop("_flashes", []))
        refuse = must_refuse_text(value, MAX_TEXT, required) or version is not None
        body = response.get_data(as_text=True)
        if refuse:
            assert "Tersimpan" not in said, (value, version, said)
            if has_control_chars(value):  # refused before any view, as a plain 400 page
                assert response.status_code == 400 and INDONESIAN.search(body)
            elif version is not None:  # a stale or malformed version: the form comes back as typed, to check
                assert response.status_code == 409, body[:300]
                assert "kasus telah berubah, muat ulang" in body and "Isian Anda masih ada" in body
                if value.strip() and field == "missing":
                    assert str(escape(value.strip()[:40])) in body  # what was typed is still there
            else:  # the form comes back (400) with what was typed and every problem
                assert response.status_code == 400, body[:300]
                assert "tidak ada yang disimpan" in body and ("wajib diisi" in body or "terlalu panjang" in body)
            assert fingerprint(demo_engine) == before
            return
        assert response.status_code == 302, body[:300]
        assert "Tersimpan" in said, (value, said)
        with demo_sessions() as session:
            case = session.scalar(select(Case).where(Case.number == number))
            assert case.version > current and case.stage != stage
            reason = session.scalar(select(StageChange.reason).where(StageChange.case_id == case.id)
                                    .order_by(StageChange.id.desc()).limit(1))
            assert value.strip() in reason

    attempt()


# --- the XLSX register import ------------------------------------------------------------------------------------------
ONE_PERSON = {"nip": "198503122010011003", "asn_name": "Terlapor Satu", "position": "Guru", "asn_kind": "PNS",
              "agency": "pemkab-6402"}
IMPORT_TEXT = ["summary", "place", "chronology", "asn_name", "position", "reporter_name", "reporter_address",
               "found_by", "witness_name", "violations", "regency", "district", "election", "office", "agency",
               "source", "asn_kind", "nip", "ref"]
IMPORT_DATES = ["occurred_on", "known_on", "received_on"]
ref_counter = itertools.count(1)


def good_import_row(ref: str) -> dict:
    from tests.test_spreadsheets import good_row
    return good_row(ref, **ONE_PERSON)


def register(rows: list[dict]) -> bytes:
    out = io.BytesIO()
    write_template(out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    ws = wb["Kasus"]
    columns = {cell.value: cell.column for cell in ws[1]}
    ws.delete_rows(2)
    for n, row in enumerate(rows, 2):
        for key, value in row.items():
            ws.cell(n, columns[BY_KEY[key].header], value)
    data = io.BytesIO()
    wb.save(data)
    return data.getvalue()


def xlsx_value():
    cell_text = hostile_text(control=False, longest=25_000).filter(lambda v: not ILLEGAL_CHARACTERS_RE.search(v))
    return st.one_of(cell_text, cell_text, st.integers(min_value=-10**12, max_value=10**18),
                     st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                     st.dates(min_value=date(1900, 1, 1)), st.sampled_from(BAD_DATES))


def test_the_register_import_refuses_bad_rows_all_or_nothing(demo_engine, demo_sessions):
    @PROPERTY
    @given(column=st.sampled_from(IMPORT_TEXT + IMPORT_DATES), value=xlsx_value())
    @example(column="summary", value="z" * 301)
    @example(column="nip", value="12345")
    @example(column="received_on", value="0001-01-01")
    @example(column="asn_name", value="<script>alert(1)</script>")
    def attempt(column, value):
        tried("XLSX import")
        ref = f"HOSTILE-{next(ref_counter)}"
        good = good_import_row(f"{ref}-OK")
        bad = {**good_import_row(ref), column: value}
        data = register([good, bad])
        before = fingerprint(demo_engine)
        report = import_register(demo_sessions, io.BytesIO(data), actor="penangan.kukar")
        lines = "\n".join(report.lines("id")) + "\n" + report.summary("id")
        if not report.ok:
            assert re.search(r"Baris 3, kolom [A-Z]+ \(", lines), lines
            assert "tidak ada yang diimpor" in lines, lines
            assert fingerprint(demo_engine) == before  # the good row 2 is not kept either: all or nothing
        else:
            with demo_sessions() as session:
                cases = session.scalar(select(func.count()).select_from(Case))
            assert report.count("imported") == 2 and cases == before["cases"][0] + 2, lines
        if isinstance(value, str) and column in ("summary", "place") and len(value.strip()) > LIMITS[column]:
            assert not report.ok
        if isinstance(value, str) and column in IMPORT_DATES and out_of_range_iso(value):
            assert not report.ok

    attempt()


# --- the CLI -----------------------------------------------------------------------------------------------------------
def cli_text():
    return hostile_text(control=False, longest=5_000).filter(lambda v: "\x00" not in v)


def cli_commands(tmp):
    pdf = str(tmp / "surat.pdf")
    return st.one_of(
        st.builds(lambda v: ["case", "show", "--", v], cli_text()),
        st.builds(lambda v: ["case", "show", "--json", "--", v], cli_text()),
        st.builds(lambda rule, start, province: ["deadline", f"--start={start}", f"--province={province}", "--", rule],
                  st.one_of(st.just("pemilu.decision"), cli_text()), hostile_date().filter(lambda v: "\x00" not in v),
                  st.one_of(st.just("64"), cli_text())),
        st.builds(lambda number, kind: ["letter", "render", f"--out={pdf}", "--", number, kind],
                  cli_text(), st.one_of(st.just("receipt"), cli_text())),
        st.builds(lambda data: ["import", "cases", "--dry-run", _write(tmp, data)],
                  st.one_of(st.binary(max_size=2000), st.just(b"PK\x03\x04" + b"\x00" * 100),
                            st.just(b"MZ\x90\x00\x03 an executable"), st.sampled_from(HTML + SQL).map(str.encode))),
        st.builds(lambda v: ["import", "cases", "--actor", v, _write(tmp, b"not a workbook")], cli_text()),
    )


def _write(tmp, data: bytes) -> str:
    path = tmp / f"impor-{next(ref_counter)}.xlsx"
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # click's parsing, before any SQL
def test_the_cli_answers_hostile_arguments_in_indonesian_and_changes_nothing(demo_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NETRA_LANG", raising=False)
    before = fingerprint(demo_engine)

    @PROPERTY
    @given(args=cli_commands(tmp_path))
    def attempt(args):
        tried("CLI")
        result = CliRunner().invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (args, result.output, result.exc_info)
        assert result.exit_code in (0, 1), (args, result.output)
        if result.exit_code == 1:
            assert result.output.startswith("Kesalahan (error): ") and "Traceback" not in result.output, result.output

    attempt()
    assert fingerprint(demo_engine) == before


# --- huge and disguised uploads ----------------------------------------------------------------------------------------
def zip_bomb(inner_name: str = "bom.txt", size: int = 256 * 1024 * 1024) -> bytes:
    """A small archive that unpacks to `size` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(inner_name, "w", force_zip64=True) as fh:
            chunk = b"\0" * (4 * 1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
DISGUISED = [  # (file name, content, what the desk says)
    ("bukti.pdf", EXE, "isi berkas bukan pdf"),
    ("bukti.png", ELF, "isi berkas bukan png"),
    ("bukti.jpg", PDF, "isi berkas bukan jpg"),
    ("bukti.mp4", b"\x00\x00\x00\x18ftpy" + b"\x00" * 32, "isi berkas bukan mp4"),
    ("bukti.pdf.exe", EXE, "jenis berkas tidak diterima"),
    ("bukti.html", b"<script>alert(1)</script>", "jenis berkas tidak diterima"),
    ("bukti.svg", b"<svg onload=alert(1)>", "jenis berkas tidak diterima"),
    ("bukti", PDF, "jenis berkas tidak diterima"),
    ("bukti.zip", None, "jenis berkas tidak diterima"),  # the zip bomb as it is
    ("bukti.pdf", None, "isi berkas bukan pdf"),  # the zip bomb renamed
    ("kosong.pdf", b"", "berkas kosong"),
]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the file's own checks, before any SQL
def test_disguised_and_oversized_evidence_is_refused_and_nothing_is_stored(app, demo_engine, demo_sessions):
    with demo_sessions() as session:
        number = session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == "study"))
    settings = app.config["NETRA_SETTINGS"]
    handler = client_as(app, "penangan.kukar")
    token = csrf(handler.get(f"/kasus/{number}").get_data(as_text=True))
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024  # 256 MB of zeros in well under 1 MB
    before = fingerprint(demo_engine)
    stored_before = set(settings.evidence_dir.glob("*")) if settings.evidence_dir.exists() else set()
    for name, content, says in DISGUISED:
        tried("uploads")
        response = handler.post(f"/kasus/{number}/bukti", data={
            "csrf_token": token, "file": (io.BytesIO(bomb if content is None else content), name)},
            content_type="multipart/form-data", follow_redirects=True)
        assert says in response.get_data(as_text=True), name
    tried("uploads")
    huge = handler.post(f"/kasus/{number}/bukti", data={
        "csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)), "besar.pdf")},
        content_type="multipart/form-data")
    assert huge.status_code == 413 and INDONESIAN.search(huge.get_data(as_text=True))
    assert fingerprint(demo_engine) == before
    after = set(settings.evidence_dir.glob("*")) if settings.evidence_dir.exists() else set()
    assert after == stored_before  # no file left behind either

    # a PDF that carries a zip bomb inside is only bytes to Netra: stored as sent (never unpacked) and served back
    # as an attachment, quickly
    tried("uploads")
    polyglot = b"%PDF-1.4\n" + bomb
    started = time.monotonic()
    page = handler.post(f"/kasus/{number}/bukti", data={"csrf_token": token,
                                                        "file": (io.BytesIO(polyglot), "poliglot.pdf")},
                        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Bukti tersimpan." in page
    with demo_sessions() as session:
        item = session.scalar(select(EvidenceFile).order_by(EvidenceFile.id.desc()))
    download = handler.get(f"/kasus/{number}/bukti/{item.id}")
    assert download.data == polyglot and download.headers["Content-Disposition"].startswith("attachment;")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the file's own checks, before any SQL
def test_a_disguised_or_oversized_decree_is_refused(app, demo_engine, demo_sessions):
    with demo_sessions() as session:
        person = session.scalar(select(ReportedASN).where(ReportedASN.track_stage == "agency_follow_up")
                                .join(Case).where(Case.regency_code == "6402"))
        number, nip, version = person.case.number, person.nip, person.case.version
    officer = client_as(app, "bkpsdm.kukar")
    token = csrf(officer.get(f"/kasus/{number}").get_data(as_text=True))
    form = {"csrf_token": token, "version": str(version), "track": nip, "sanction_level": "moral",
            "sanction": "moral.terbuka", "decree_number": "800/1/BKPSDM/2026", "decree_date": TODAY.isoformat(),
            "decree_signer_name": "Bupati (uji)"}
    before = fingerprint(demo_engine)
    for name, content, says in [("sk.pdf", EXE, "harus PDF"), ("sk.pdf", zip_bomb(size=64 * 1024 * 1024), "harus PDF"),
                                ("sk.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "terlalu besar (maksimal 10 MB)"),
                                ("sk.pdf", b"", "berkas kosong")]:
        tried("uploads")
        response = officer.post(f"/kasus/{number}/langkah/record_sanction",
                                data={**form, "decree_pdf": (io.BytesIO(content), name)},
                                content_type="multipart/form-data", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert says in html and "tidak ada yang disimpan" in html, (name, says)
    tried("uploads")
    bad_dates = officer.post(f"/kasus/{number}/langkah/record_sanction",
                             data={**form, "decree_date": "0024-05-01", "effective_from": "9999-01-01",
                                   "decree_pdf": (io.BytesIO(PDF), "sk.pdf")},
                             content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "terlalu lama (paling awal 2000-01-01)" in bad_dates and "tidak ada yang disimpan" in bad_dates
    assert fingerprint(demo_engine) == before


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # refused before the database is asked
def test_a_zip_bomb_or_an_executable_as_the_register_is_refused_before_it_is_unpacked(demo_engine, demo_sessions):
    from casework.errors import CaseworkError
    good = register([good_import_row("BOM-1")])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:  # a real workbook, one
        for name, data in parts.items():  # sheet padded to MAX_IMPORT_UNPACKED + 64 MB of whitespace
            if name != sheet:
                archive.writestr(name, data)
        with archive.open(sheet, "w", force_zip64=True) as fh:
            head, tail = parts[sheet].split(b"</sheetData>")
            fh.write(head)
            for _ in range((MAX_IMPORT_UNPACKED + 64 * 1024 * 1024) // (4 * 1024 * 1024)):
                fh.write(b" " * (4 * 1024 * 1024))
            fh.write(b"</sheetData>" + tail)
    bomb = out.getvalue()
    assert len(bomb) < 2 * 1024 * 1024
    before = fingerprint(demo_engine)
    for data, says in [(bomb, "terlalu besar untuk diimpor"), (EXE, "tidak dapat dibaca sebagai XLSX"),
                       (zip_bomb(), "terlalu besar untuk diimpor"), (b"", "tidak dapat dibaca sebagai XLSX")]:
        tried("XLSX import")
        started = time.monotonic()
        with pytest.raises(CaseworkError) as refused:
            import_register(demo_sessions, io.BytesIO(data), actor="penangan.kukar")
        assert says in refused.value.render("id") and time.monotonic() - started < 10
    assert fingerprint(demo_engine) == before


def test_tally_of_bad_inputs_tried():
    """Runs last in this file: prints how many hostile inputs the tests above threw (docs/security.md)."""
    print("bad inputs tried:", TRIED, "total", sum(TRIED.values()))
