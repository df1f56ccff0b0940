"""The SBT/I'DIS exchange (issue 19 item 2; docs/exchange.md): the referral package of a forwarded case — one
record per reported ASN, the kajian and the letter as PDF read back, the evidence with its sha256, no reporter —
for whom the access module allows; and the status import — a dry run that changes nothing, then every row applied
through the desk's own steps or none at all, unknown rows listed, the same file twice changing nothing."""
import csv
import hashlib
import io
import json
import zipfile
from dataclasses import replace

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import select

from casework.access.policy import Forbidden
from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import CaseworkError, NotFound
from casework.exchange.referral import build
from casework.exchange.status_import import import_statuses
from casework.letters.issue import issue_letter
from casework.models import AuditEvent, Case, ReportedASN, utcnow
from casework.reference.timezones import local_today
from casework.road.evidence import add_evidence
from casework.settings import Settings
from tests.builder import PDF, Builder, Person
from tests.helpers import client_as, csrf, fingerprint, owed_request, principal_of
from tests.test_blocking import escalated_once
from tests.test_letters import pdf_text

# the acts' dates: today, as the forward's own is (an act cannot be dated before the step it follows)
DAY = local_today("WITA", utcnow())
TODAY, ISO = DAY.strftime("%d/%m/%Y"), DAY.isoformat()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64  # evidence bytes: what matters is that they come back equal
SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the same SQL either way: one backend


@pytest.fixture
def settings(tmp_path, demo_engine) -> Settings:
    return replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                   var_dir=tmp_path, letters_dir=tmp_path / "letters", evidence_dir=tmp_path / "evidence",
                   secret_key="test-secret")


def forwarded(sessions, settings, *people: Person, letter: bool = True):
    """A case forwarded to BKN, with one evidence file and (unless `letter` is False) its forward letter issued."""
    case = Builder(sessions, settings).laporan(*people).forward()
    with transaction(sessions) as session:
        add_evidence(session, session.scalar(select(Case).where(Case.number == case.number)), data=PNG,
                     filename="tangkapan layar.png", principal=principal_of(session, "penangan.kukar"),
                     description="Unggahan Facebook terlapor", settings=settings)
    if letter:
        with sessions() as session:
            handler = principal_of(session, "penangan.kukar")
        issue_letter(sessions, owed_request(sessions, case.number, "recommendation_to_oversight"), handler,
                     settings=settings)
    return case


def package_of(sessions, settings, number: str, who: str):
    with transaction(sessions) as session:
        return build(session, number, principal_of(session, who), settings)


@SQLITE
def test_the_referral_package_holds_each_person_the_kajian_the_letter_and_the_evidence(demo_sessions, settings):
    case = forwarded(demo_sessions, settings, Person("Andi Terlapor"), Person("Sari Terlapor", agency="pemprov-64"))
    package = package_of(demo_sessions, settings, case.number, "penangan.kukar")
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    assert archive.namelist()[0] == "rujukan.json"
    record = json.loads(archive.read("rujukan.json"))
    assert (record["format"], record["version"]) == ("netra.referral", 1)
    with demo_sessions() as session:
        row = session.scalar(select(Case).where(Case.number == case.number))
        register = row.register_number
    assert register and record["case"]["register_number"] == register
    assert [(p["nip"], p["nik"], p["name"], p["register_number"]) for p in record["reported"]] == [
        (case.nips[0], None, "Andi Terlapor", register), (case.nips[1], None, "Sari Terlapor", register)]
    assert record["reported"][1]["agency"]["code"] == "pemprov-64"
    assert record["reported"][0]["violations"][0]["code"] == "etik.sosialisasi_medsos"
    assert record["reported"][0]["violations"][0]["basis"]  # the article in force on the day of the act
    assert record["addressee"]["code"] == "BKN"
    # every file the record names is in the ZIP with that sha256
    named = [record["documents"]["kajian"], *record["documents"]["letters"], *record["evidence"]]
    assert sorted(f["path"] for f in named) == sorted(n for n in archive.namelist() if n != "rujukan.json")
    for entry in named:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    [evidence] = record["evidence"]
    assert archive.read(evidence["path"]) == PNG and evidence["name"] == "tangkapan layar.png"
    [letter] = record["documents"]["letters"]
    letter_text = pdf_text(archive.read(letter["path"]))
    assert "Penerusan Pelanggaran Netralitas" in letter_text and letter["number"] in letter_text
    kajian = pdf_text(archive.read("kajian.pdf"))
    for expected in (register, "Andi Terlapor", "Sari Terlapor", evidence["sha256"][:16], letter["number"],
                     "Terbukti melanggar netralitas"):
        assert expected in kajian.replace("\n", " "), expected
    # the reporter stays with the handling office: not in the record, not in the kajian
    assert "Pelapor Uji" not in json.dumps(record) and "Pelapor Uji" not in kajian
    with demo_sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.referral_exported")).all()[-1]
    assert event.actor == "penangan.kukar" and event.after["sha256"] == package.sha256
    assert event.after["nips"] == case.nips


@SQLITE
def test_the_package_is_for_the_handling_office_and_the_oversight_body_once_the_letter_is_issued(
        demo_sessions, settings):
    case = forwarded(demo_sessions, settings, Person("Budi Terlapor"), letter=False)
    with pytest.raises(CaseworkError) as early:
        package_of(demo_sessions, settings, case.number, "penangan.kukar")
    assert early.value.code == "referral.letter_not_issued"
    with demo_sessions() as session:
        handler = principal_of(session, "penangan.kukar")
    issue_letter(demo_sessions, owed_request(demo_sessions, case.number, "recommendation_to_oversight"), handler,
                 settings=settings)
    # BKN's officer receives it; they may download it too
    assert package_of(demo_sessions, settings, case.number, "pengawas.bkn").record["evidence_included"]
    # the province's handler sees the case (the level above) but does not handle it: refused, with the reason
    with pytest.raises(Forbidden) as refused:
        package_of(demo_sessions, settings, case.number, "penangan.kaltim")
    assert refused.value.code == "access.referral_not_allowed"
    with pytest.raises(NotFound):  # an agency that has not been referred the person does not see the case at all
        package_of(demo_sessions, settings, case.number, "bkpsdm.kukar")
    # the same through the API (docs/api.md): the package, a 404 for who may not see the case, a problem for the rest
    from admin import create_app
    from casework.accounts.tokens import make_token

    api = create_app(settings).test_client()
    with transaction(demo_sessions) as session:
        tokens = {who: make_token(session, username=who, label="uji", write=False, actor="uji").secret
                  for who in ("pengawas.bkn", "bkpsdm.kukar", "penangan.kaltim")}
    answers = {who: api.get(f"/api/v1/cases/{case.number}/referral", headers={"Authorization": f"Bearer {token}"})
               for who, token in tokens.items()}
    assert answers["pengawas.bkn"].status_code == 200 and answers["pengawas.bkn"].mimetype == "application/zip"
    assert json.loads(zipfile.ZipFile(io.BytesIO(answers["pengawas.bkn"].data)).read("rujukan.json"))[
        "reported"][0]["nip"] == case.nips[0]
    assert answers["bkpsdm.kukar"].status_code == 404
    assert (answers["penangan.kaltim"].status_code, answers["penangan.kaltim"].get_json()["code"]) == (
        403, "access.referral_not_allowed")
    not_forwarded = Builder(demo_sessions, settings).laporan(Person("Cici Terlapor")).to_plenary()
    with pytest.raises(CaseworkError) as before:
        package_of(demo_sessions, settings, not_forwarded.number, "penangan.kukar")
    assert before.value.code == "referral.not_forwarded"
    early = api.get(f"/api/v1/cases/{not_forwarded.number}/referral",
                    headers={"Authorization": f"Bearer {tokens['pengawas.bkn']}"})
    assert early.status_code in (404, 409)  # BKN does not see a case not yet forwarded to it


def sheet(rows: list[dict], fmt: str = "csv") -> bytes:
    headers = list(dict.fromkeys(k for row in rows for k in row))
    if fmt == "xlsx":
        wb = Workbook()
        wb.active.append(headers)
        for row in rows:
            wb.active.append([row.get(h, "") for h in headers])
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, headers, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def register_of(sessions, number: str) -> str:
    with sessions() as session:
        return session.scalar(select(Case.register_number).where(Case.number == number))


def tracks(sessions, number: str) -> dict[str, tuple]:
    with sessions() as session:
        return {p.nip: (p.track_stage, p.recommended_sanction, p.finding_reason)
                for p in session.scalars(select(ReportedASN).join(Case).where(Case.number == number))}


def test_a_status_export_is_dry_run_then_applied_once_unknown_rows_listed(demo_engine, demo_sessions, settings):
    case = forwarded(demo_sessions, settings, Person("Dedi Terlapor"), Person("Eka Terlapor"), letter=False)
    register = register_of(demo_sessions, case.number)
    a, b = case.nips
    data = sheet([
        {"NIP": a, "Nomor register": register, "Status": "Rekomendasi", "Tanggal": TODAY,
         "Sanksi": "Sanksi moral: pernyataan secara terbuka"},  # by its label
        {"NIP": b, "Nomor register": register.upper(), "Status": "tidak_terbukti", "Tanggal": ISO,  # as retyped
         "Alasan": "Akun bukan milik terlapor"},
        {"NIP": "199001012015011001", "Nomor register": register, "Status": "rekomendasi", "Tanggal": TODAY,
         "Sanksi": "moral.terbuka"},  # nobody Netra knows
        {"NIP": a, "Nomor register": register, "Status": "rekomendasi", "Tanggal": TODAY,
         "Sanksi": "moral.terbuka"},  # the same status again, further down
    ])
    before = fingerprint(demo_engine)
    dry = import_statuses(demo_sessions, data, "sbt.csv", actor="pengawas.bkn", settings=settings, dry_run=True)
    assert [r.result for r in dry.rows] == ["ready", "ready", "unknown", "unchanged"], dry.as_dict()
    assert dry.ok and not dry.done and fingerprint(demo_engine) == before  # a dry run keeps nothing
    assert dry.rows[2].case is None and dry.rows[2].name == ""  # an unknown row tells nothing of other cases

    done = import_statuses(demo_sessions, data, "sbt.csv", actor="pengawas.bkn", settings=settings)
    assert done.done and [r.result for r in done.rows] == ["applied", "applied", "unknown", "unchanged"]
    assert tracks(demo_sessions, case.number) == {
        a: ("agency_follow_up", "moral.terbuka", None), b: ("not_proven", None, "Akun bukan milik terlapor")}
    with demo_sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.id > 0).order_by(AuditEvent.id)).all()
        steps = [e for e in events if e.action == "case.record_oversight_recommendation"][-2:]
        [summary] = [e for e in events if e.action == "exchange.statuses_imported"]
        acted = {c.reason: c.acted_on.isoformat() for c in session.scalar(
            select(Case).where(Case.number == case.number)).history if c.reported_asn_id}
    # each person's change is the desk's step, as the importing user, dated by the export, not by the import
    assert [(e.actor, e.after["track"]) for e in steps] == [("pengawas.bkn", a), ("pengawas.bkn", b)]
    assert {e.after["acted_on"] for e in steps} == {ISO} and ISO in acted.values()
    assert summary.after["sha256"] == done.sha256 and [x["nip"] for x in summary.after["applied"]] == [a, b]

    again = fingerprint(demo_engine)
    twice = import_statuses(demo_sessions, data, "sbt.csv", actor="pengawas.bkn", settings=settings)
    assert [r.result for r in twice.rows] == ["unchanged", "unchanged", "unknown", "unchanged"]
    assert fingerprint(demo_engine) == again  # nothing to apply: not even an audit event


def test_one_refused_row_and_nothing_is_applied(demo_engine, demo_sessions, settings):
    case = forwarded(demo_sessions, settings, Person("Fajar Terlapor"), Person("Gita Terlapor"), letter=False)
    register = register_of(demo_sessions, case.number)
    data = sheet([
        {"NIP": case.nips[0], "Nomor register": register, "Status": "rekomendasi", "Tanggal": TODAY,
         "Sanksi": "moral.terbuka"},
        {"NIP": case.nips[1], "Nomor register": register, "Status": "rekomendasi", "Tanggal": TODAY,
         "Sanksi": "hukuman mati"},
        {"NIP": case.nips[1], "Nomor register": register, "Status": "dipecat", "Tanggal": TODAY},
        {"NIP": case.nips[1], "Nomor register": "", "Status": "blokir"},
    ], fmt="xlsx")
    before = fingerprint(demo_engine)
    report = import_statuses(demo_sessions, data, "idis.xlsx", actor="pengawas.bkn", settings=settings)
    assert not report.done and fingerprint(demo_engine) == before
    assert [r.result for r in report.rows] == ["ready", "invalid", "invalid", "invalid"]
    assert [(p.field, p.code) for p in report.rows[1].problems] == [("sanction", "workflow.unknown_sanction")]
    assert report.rows[2].problems[0].code == "exchange.unknown_status"
    assert {p.field for p in report.rows[3].problems} == {"register_number"}
    assert "tidak ada yang diterapkan" in report.summary("id") and "nothing" in report.summary("en")
    # a step the importing user may not take is refused with the access module's reason
    handler = import_statuses(demo_sessions, sheet([{"NIP": case.nips[0], "Nomor register": register,
                                                     "Status": "rekomendasi", "Tanggal": TODAY,
                                                     "Sanksi": "moral.terbuka"}]),
                              "sbt.csv", actor="penangan.kukar", settings=settings)
    assert [(r.result, r.problems[0].code) for r in handler.rows] == [("invalid", "workflow.role_not_allowed")]


@SQLITE
def test_decrees_come_with_their_pdf_in_a_zip_and_blocks_are_recorded(demo_sessions, settings):
    case = forwarded(demo_sessions, settings, Person("Hadi Terlapor"), letter=False)
    register, nip = register_of(demo_sessions, case.number), case.nips[0]
    case.recommend(nip)
    decree = {"NIP": nip, "Nomor register": register, "Status": "SK", "Tingkat hukuman": "moral",
              "Sanksi": "moral.terbuka", "Nomor SK": "800/12/BKPSDM/2026", "Tanggal SK": TODAY,
              "Penandatangan SK": "Pejabat Uji", "Berkas SK": "sk-hadi.pdf"}
    without = io.BytesIO()
    with zipfile.ZipFile(without, "w") as archive:
        archive.writestr("idis.csv", sheet([decree]))
    missing = import_statuses(demo_sessions, without.getvalue(), "idis.zip", actor="bkpsdm.kukar",
                              settings=settings)
    assert [(p.field, p.code) for p in missing.rows[0].problems] == [("decree_file", "exchange.file_missing")]
    # another agency's BKPSDM does not see this employee: the row is unknown to them, not refused
    with_pdf = io.BytesIO()
    with zipfile.ZipFile(with_pdf, "w") as archive:
        archive.writestr("idis.csv", sheet([decree]))
        archive.writestr("lampiran/sk-hadi.pdf", PDF)
    other = import_statuses(demo_sessions, with_pdf.getvalue(), "idis.zip", actor="bkpsdm.kaltim", settings=settings)
    assert [r.result for r in other.rows] == ["unknown"]
    done = import_statuses(demo_sessions, with_pdf.getvalue(), "idis.zip", actor="bkpsdm.kukar", settings=settings)
    assert done.done, done.as_dict()
    with demo_sessions() as session:
        person = session.scalar(select(ReportedASN).where(ReportedASN.nip == nip))
        assert person.track_stage == "sanctioned" and person.decree_number == "800/12/BKPSDM/2026"
        assert person.decree_file_sha256 == hashlib.sha256(PDF).hexdigest()
        assert person.decree_date.isoformat() == ISO

    blocked = forwarded(demo_sessions, settings, Person("Indra Terlapor"), letter=False)
    blocked.recommend(blocked.nips[0])
    escalated_once(demo_sessions, blocked)
    reg = register_of(demo_sessions, blocked.number)
    rows = [{"NIP": blocked.nips[0], "Nomor register": reg, "Status": "blokir", "Tanggal": TODAY,
             "Referensi": "B-1/BKN/XI/2026"},
            {"NIP": blocked.nips[0], "Nomor register": reg, "Status": "buka blokir", "Tanggal": TODAY,
             "Referensi": "B-2/BKN/XI/2026", "Alasan": "SK telah ditetapkan"}]
    report = import_statuses(demo_sessions, sheet(rows), "blokir.csv", actor="pengawas.bkn", settings=settings)
    assert report.done and [r.result for r in report.rows] == ["applied", "applied"], report.as_dict()
    with demo_sessions() as session:
        [block] = session.scalar(select(ReportedASN).where(ReportedASN.nip == blocked.nips[0])).blocks
        assert (block.blocked_on.isoformat(), block.unblocked_on.isoformat()) == (ISO, ISO)


@SQLITE
def test_a_file_that_is_not_an_export_is_refused_with_its_reason(demo_sessions, settings):
    for data, name, code in ((b"x", "notes.txt", "exchange.unknown_format"),
                             (b"not a zip", "export.zip", "import.bad_file")):
        with pytest.raises(CaseworkError) as refused:
            import_statuses(demo_sessions, data, name, actor="pengawas.bkn", settings=settings)
        assert refused.value.code == code
    report = import_statuses(demo_sessions, b"Nama;Tanggal\nx;y\n", "a.csv", actor="pengawas.bkn", settings=settings)
    assert {p.params["header"] for p in report.problems} == {"nip", "nomor register", "status"}
    assert not report.rows and not report.done


@SQLITE
def test_the_cli_writes_the_package_and_imports_dry_run_first(monkeypatch, demo_engine, demo_sessions, settings,
                                                              tmp_path):
    case = forwarded(demo_sessions, settings, Person("Joko Terlapor"))
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("NETRA_LETTERS_DIR", str(settings.letters_dir))
    monkeypatch.setenv("NETRA_EVIDENCE_DIR", str(settings.evidence_dir))
    netra = lambda *args: CliRunner().invoke(cli, list(args))  # noqa: E731
    out = tmp_path / "rujukan.zip"
    result = netra("exchange", "referral", case.number, "--actor", "penangan.kukar", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    assert written["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() and written["reported"] == case.nips

    export = tmp_path / "sbt.csv"
    export.write_bytes(sheet([{"NIP": case.nips[0], "Nomor register": register_of(demo_sessions, case.number),
                               "Status": "rekomendasi", "Tanggal": TODAY, "Sanksi": "moral.tertutup"}]))
    dry = netra("exchange", "import", str(export), "--actor", "pengawas.bkn", "--json")
    assert dry.exit_code == 0 and json.loads(dry.output)["counts"]["ready"] == 1
    assert tracks(demo_sessions, case.number)[case.nips[0]][0] == "oversight_review"
    applied = netra("--lang", "en", "exchange", "import", str(export), "--actor", "pengawas.bkn", "--apply")
    assert applied.exit_code == 0 and "applied" in applied.output, applied.output
    assert tracks(demo_sessions, case.number)[case.nips[0]][:2] == ("agency_follow_up", "moral.tertutup")


@SQLITE
def test_the_desk_downloads_the_package_and_imports_after_a_dry_run(demo_sessions, settings):
    from admin import create_app

    app = create_app(settings)
    case = forwarded(demo_sessions, settings, Person("Kiki Terlapor"))
    handler = client_as(app, "penangan.kukar")
    page = handler.get(f"/kasus/{case.number}").get_data(as_text=True)
    assert 'id="referral"' in page
    download = handler.post(f"/kasus/{case.number}/rujukan", data={"csrf_token": csrf(page)})
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert json.loads(zipfile.ZipFile(io.BytesIO(download.data)).read("rujukan.json"))["case"]["number"] == case.number
    bkpsdm = client_as(app, "bkpsdm.kukar")
    assert bkpsdm.get(f"/kasus/{case.number}").status_code == 404  # not referred to them yet

    officer = client_as(app, "pengawas.bkn")
    form = officer.get("/impor-status/")
    assert form.status_code == 200 and 'id="status-upload"' in form.get_data(as_text=True)
    data = sheet([{"NIP": case.nips[0], "Nomor register": register_of(demo_sessions, case.number),
                   "Status": "rekomendasi", "Tanggal": TODAY, "Sanksi": "moral.terbuka"}])
    dry = officer.post("/impor-status/", data={"csrf_token": csrf(form.get_data(as_text=True)),
                                               "file": (io.BytesIO(data), "sbt.csv")},
                       content_type="multipart/form-data")
    html = dry.get_data(as_text=True)
    assert dry.status_code == 200 and 'data-result="ready"' in html and 'id="status-apply"' in html
    assert tracks(demo_sessions, case.number)[case.nips[0]][0] == "oversight_review"
    applied = officer.post("/impor-status/terapkan", data={
        "csrf_token": csrf(html), "sha256": hashlib.sha256(data).hexdigest(), "name": "sbt.csv"})
    assert applied.status_code == 200 and 'data-result="applied"' in applied.get_data(as_text=True)
    assert tracks(demo_sessions, case.number)[case.nips[0]][0] == "agency_follow_up"
    assert not list((settings.var_dir / "status-imports").glob("*"))  # the held upload is gone once applied
    again = officer.post("/impor-status/terapkan", data={
        "csrf_token": csrf(html), "sha256": hashlib.sha256(data).hexdigest(), "name": "sbt.csv"})
    assert again.status_code == 302  # nothing held any more: upload again
    assert client_as(app, "auditor").get("/impor-status/").status_code == 404
