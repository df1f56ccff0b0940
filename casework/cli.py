"""`netra`: the command line for operators and scripts. Help is Bahasa Indonesia first, English second.

Every command reads the database from NETRA_DATABASE_URL (default: the embedded SQLite file under var/) and exits
non-zero with a clear message when something is wrong.
"""
from __future__ import annotations

import json
import sys
from functools import cached_property
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from casework import migrate
from casework.db import make_engine, session_factory, transaction
from casework.errors import CaseworkError
from casework.messages import message
from casework.settings import Settings


class Failure(click.ClickException):
    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"Kesalahan (error): {self.format_message()}", err=True)


class NetraCommand(click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Tampilkan bantuan ini. (Show this help.)"
        return option


class Context:
    def __init__(self, lang: str) -> None:
        self.settings = Settings.from_env()
        self.lang = lang

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def require_migrated(self) -> None:
        if migrate.current_revision(self.engine) != migrate.head_revision():
            raise CaseworkError("db.not_migrated")

    def fail(self, code: str, **params: Any) -> Failure:
        return Failure(message(code, self.lang, **params))


class NetraGroup(NetraCommand, click.Group):
    """Turns domain and database errors into a one-paragraph message in the user's language and exit code 1."""

    command_class = NetraCommand
    group_class = type

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CaseworkError as exc:
            raise Failure(exc.render(_lang(ctx))) from exc
        except (OperationalError, ProgrammingError, DBAPIError) as exc:
            settings = Settings.from_env()
            url = make_engine_url_safe(settings.database_url)
            detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            raise Failure(message("db.unreachable", _lang(ctx), url=url, detail=detail)) from exc
        except OSError as exc:  # a file that cannot be read or written: say which and why, no traceback
            raise Failure(message("io.failed", _lang(ctx), path=exc.filename or "-",
                                  detail=exc.strerror or str(exc))) from exc


def _lang(ctx: click.Context) -> str:
    obj = ctx.find_object(Context)
    return obj.lang if obj else Settings.from_env().lang


def make_engine_url_safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Keluaran JSON. (JSON output.)")


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=NetraGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["id", "en"]), envvar="NETRA_LANG", default="id", show_default=True,
              help="Bahasa pesan (message language).")
@click.pass_context
def cli(ctx: click.Context, lang: str) -> None:
    """Netra — penanganan pelanggaran netralitas ASN dalam Pemilu dan Pilkada.

    (Netra — case management for the neutrality of civil servants in elections.)

    Basis data dibaca dari NETRA_DATABASE_URL (bawaan: SQLite di var/netra.db).
    """
    ctx.obj = Context(lang)


# --- db --------------------------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Basis data: migrasi skema. (Database: schema migrations.)"""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Migrasikan skema ke versi terbaru dan muat data rujukan. (Migrate to the latest schema, load reference data.)"""
    from casework.reference import sync_reference_data

    migrate.upgrade(obj.engine)
    with transaction(obj.sessions) as session:
        sync_reference_data(session)
    click.echo(f"Skema pada revisi {migrate.current_revision(obj.engine)} (schema at revision).")


# --- regions ---------------------------------------------------------------------------------------------------
@cli.group()
def regions() -> None:
    """Wilayah Kemendagri: provinsi, kabupaten/kota, kecamatan. (Kemendagri regions.)"""


@regions.command("load")
@click.pass_obj
def regions_load(obj: Context) -> None:
    """Muat kode wilayah dari data bawaan (idempoten). (Load region codes from the bundled data; idempotent.)"""
    from casework.regions import load_regions, region_stats

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        inserted = load_regions(session)
        stats = region_stats(session)
    click.echo(f"Ditambahkan (added): {inserted['provinces']} provinsi, {inserted['regencies']} kabupaten/kota, "
               f"{inserted['districts']} kecamatan.")
    click.echo(f"Jumlah (total): {stats['provinces']} / {stats['regencies']} / {stats['districts']}.")


@regions.command("stats")
@json_option
@click.pass_obj
def regions_stats(obj: Context, as_json: bool) -> None:
    """Hitung provinsi, kabupaten/kota dan kecamatan. (Count provinces, regencies and districts.)"""
    from casework.regions import region_stats

    obj.require_migrated()
    with obj.sessions() as session:
        stats = region_stats(session)
    if as_json:
        emit_json(stats)
    else:
        click.echo(f"Provinsi (provinces):            {stats['provinces']:>6,}")
        click.echo(f"Kabupaten/kota (regencies):      {stats['regencies']:>6,}")
        click.echo(f"Kecamatan (districts):           {stats['districts']:>6,}")


# --- demo ------------------------------------------------------------------------------------------------------
@cli.group()
def demo() -> None:
    """Data demo (tokoh fiktif, lembaga dan tempat nyata). (Demo data: fictitious people, real places.)"""


@demo.command("load")
@click.pass_obj
def demo_load(obj: Context) -> None:
    """Muat data demo; memuat dua kali tidak mengubah apa pun. (Load demo data; loading twice changes nothing.)"""
    from casework.demo import load_demo
    from casework.regions import region_stats

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        if region_stats(session)["regencies"] == 0:
            raise CaseworkError("regions.not_loaded")
        result = load_demo(session)
    click.echo(f"Kasus demo baru (new demo cases): {result['cases_added']}; "
               f"total kasus (total cases): {result['cases_total']}; pengguna demo (demo users): {result['users']}.")


@demo.command("logins")
@json_option
def demo_logins(as_json: bool) -> None:
    """Akun demo per peran. (Demo logins, one per role.)"""
    from casework.demo import demo_users

    users = demo_users()
    if as_json:
        emit_json(users)
        return
    for user in users:
        click.echo(f"{user['username']:<18} {user['password']:<12} {', '.join(user['roles'])}")


# --- deadline --------------------------------------------------------------------------------------------------
@cli.command("deadline")
@click.argument("rule_id")
@click.option("--start", "start", required=True, metavar="YYYY-MM-DD",
              help="Tanggal peristiwa awal (hari ke-0). (Start event date, day 0.)")
@click.option("--province", required=True, metavar="CODE",
              help="Kode provinsi kantor penanganan, mis. 64. (Handling office's province code, e.g. 64.)")
@json_option
@click.pass_obj
def deadline_cmd(obj: Context, rule_id: str, start: str, province: str, as_json: bool) -> None:
    """Hitung tenggat suatu aturan. (Compute the deadline of a rule.)

    Contoh (example): netra deadline pemilu.decision --start 2024-04-03 --province 64
    """
    from datetime import date

    from casework.deadlines import compute, get_rule, timezone_for_province

    rule = get_rule(rule_id)
    from casework.textcheck import EARLIEST, LATEST

    try:
        start_day = date.fromisoformat(start)
    except ValueError:
        raise obj.fail("case.bad_date", value=start) from None
    if not EARLIEST <= start_day <= LATEST:
        raise obj.fail("deadline.start_out_of_range", value=start, earliest=EARLIEST.isoformat(),
                       latest=LATEST.isoformat())
    result = compute(rule, start_day, timezone_for_province(province))
    if as_json:
        emit_json(result.as_dict())
        return
    from casework.dates import indonesian_date

    kind = {"working": ("hari kerja", "working days"), "calendar": ("hari kalender", "calendar days")}[rule.day_kind]
    basis = {"statute": ("batas hukum", "statutory limit"), "policy": ("target", "policy target")}[rule.basis]
    en = obj.lang == "en"
    click.echo(f"{rule.label(obj.lang)} [{rule.id}]")
    click.echo(f"  {'Start' if en else 'Mulai'} (0):  {indonesian_date(start_day)}")
    click.echo(f"  {'Length' if en else 'Lama'}:       {rule.length} {kind[en]}")
    click.echo(f"  {'Due' if en else 'Tenggat'}:    {indonesian_date(result.due_date)} 23:59:59 {result.timezone} "
               f"({result.due_at.isoformat()})")
    click.echo(f"  {'Basis' if en else 'Dasar'}:      {basis[en]} — {rule.citation}")
    for day, reason in result.skipped:
        click.echo(f"  {'skipped' if en else 'dilewati'}:   {indonesian_date(day)} — {reason}")


# --- workflow --------------------------------------------------------------------------------------------------
@cli.group()
def workflow() -> None:
    """Alur penanganan: langkah-langkah dan siapa yang boleh. (The road: steps and who may take them.)"""


@workflow.command("steps")
@json_option
@click.option("--markdown", is_flag=True, help="Tabel Markdown untuk dokumentasi. (Markdown table for the docs.)")
@click.pass_obj
def workflow_steps(obj: Context, as_json: bool, markdown: bool) -> None:
    """Daftar langkah, peran, tahap, isian dan surat. (Steps with roles, stages, fields and letters.)"""
    from casework.workflow import steps_table

    rows = steps_table(obj.lang)
    if as_json:
        emit_json(rows)
    elif markdown:
        click.echo("| step | label | roles | at stage | on track stage | required fields | letters |")
        click.echo("|---|---|---|---|---|---|---|")
        for r in rows:
            click.echo(f"| `{r['name']}` | {r['label']} | {', '.join(r['roles'])} | {', '.join(r['stages'])} | "
                       f"{', '.join(r['track_stages']) or '—'} | {', '.join(r['fields']) or '—'} | "
                       f"{', '.join(r['letters']) or '—'} |")
    else:
        for r in rows:
            click.echo(f"{r['name']:<34} {r['label']:<40} {', '.join(r['roles'])}")


# --- letters ---------------------------------------------------------------------------------------------------
@cli.group()
def letter() -> None:
    """Surat dinas: jenis, pratinjau, penerbitan. (Formal letters: kinds, preview, issuing.)"""


@letter.command("kinds")
@json_option
@click.pass_obj
def letter_kinds_cmd(obj: Context, as_json: bool) -> None:
    """Daftar jenis surat. (List the letter kinds.)"""
    from casework.letters import letter_kinds

    kinds = [{"kind": k.code, "label": k.label(obj.lang), "hal": k.hal, "classification": k.classification,
              "sifat": k.sifat, "recipient": k.recipient} for k in letter_kinds().values()]
    if as_json:
        emit_json(kinds)
        return
    for k in kinds:
        click.echo(f"{k['kind']:<28} {k['classification']:<9} {k['label']}")


@letter.command("render")
@click.argument("case_number")
@click.argument("kind")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas PDF keluaran. (Output PDF file.)")
@click.option("--issue", is_flag=True,
              help="Terbitkan: beri nomor dan catat (tanpa ini: draf tanpa nomor). (Issue: number and record it.)")
@click.option("--recipient", default=0, show_default=True,
              help="Nomor urut penerima bila lebih dari satu (0 = pertama). (Addressee index.)")
@click.option("--actor", default="netra-cli", show_default=True, help="Nama pengguna pencatat. (Who issues it.)")
@click.pass_obj
def letter_render(obj: Context, case_number: str, kind: str, out: str, issue: bool, recipient: int,
                  actor: str) -> None:
    """Buat surat suatu kasus sebagai PDF. (Render a case's letter to PDF.)"""
    from pathlib import Path

    from casework.letters import get_kind, issue_letter, render_draft, stored_pdf

    obj.require_migrated()
    get_kind(kind)
    if issue:
        issued = issue_letter(obj.sessions, case_number, kind, actor=actor, recipient=recipient,
                              settings=obj.settings)
        with obj.sessions() as session:
            data = stored_pdf(session, issued, obj.settings)
        Path(out).write_bytes(data)
        click.echo(f"Diterbitkan (issued): {issued.number}  sha256 {issued.sha256}  -> {out}")
        click.echo(f"Verifikasi (verify): {obj.settings.base_url.rstrip('/')}/verifikasi/{issued.verify_token}")
    else:
        with obj.sessions() as session:
            data = render_draft(session, case_number, kind, recipient=recipient)
        Path(out).write_bytes(data)
        click.echo(f"Draf (draft, no number used) -> {out}")


# --- case ------------------------------------------------------------------------------------------------------
@cli.group()
def case() -> None:
    """Kasus: daftar dan rincian. (Cases: list and detail.)"""


@case.command("list")
@json_option
@click.pass_obj
def case_list(obj: Context, as_json: bool) -> None:
    """Daftar kasus: nomor, tahap, wilayah, pemilihan, sisa hari. (List cases with stage, region, days left.)"""
    from casework.cases import list_cases

    obj.require_migrated()
    with obj.sessions() as session:
        rows = list_cases(session, lang=obj.lang)
    if as_json:
        emit_json([row.as_dict() for row in rows])
        return
    header = ("Nomor", "Tahap", "Wilayah", "Pemilihan", "Sisa hari") if obj.lang == "id" else \
             ("Number", "Stage", "Region", "Election", "Days left")
    table = [(r.number, r.stage_label, r.regency, r.election, _days(r.days_left, r.timezone, obj.lang))
             for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table, strict=True)]
    for line in (header, *table):
        click.echo("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    click.echo(f"\n{len(rows)} kasus (cases).")


def _days(days: int | None, zone: str, lang: str) -> str:
    if days is None:
        return "-"
    if days < 0:
        return f"{-days} hari terlambat ({zone})" if lang == "id" else f"{-days} days overdue ({zone})"
    return f"{days} hari ({zone})" if lang == "id" else f"{days} days ({zone})"


@case.command("show")
@click.argument("number")
@json_option
@click.pass_obj
def case_show(obj: Context, number: str, as_json: bool) -> None:
    """Rincian satu kasus. (Show one case.)"""
    from casework.cases import case_detail

    obj.require_migrated()
    with obj.sessions() as session:
        detail = case_detail(session, number, lang=obj.lang)
    if as_json:
        emit_json(detail)
        return
    _print_case(detail, obj.lang)


def _print_case(d: dict[str, Any], lang: str) -> None:
    en = lang == "en"
    label = (lambda i, e: e if en else i)
    click.echo(f"{label('Kasus', 'Case')} {d['number']}  —  {d['stage_label']}")
    if d["register_number"]:
        click.echo(f"  {label('Nomor register', 'Register number')}: {d['register_number']}")
    click.echo(f"  {label('Sumber', 'Source')}: {d['source']}")
    click.echo(f"  {label('Pemilihan', 'Election')}: {d['election']}")
    click.echo(f"  {label('Kantor', 'Office')}: {d['office']} ({d['timezone']})")
    click.echo(f"  {label('Wilayah', 'Region')}: {d['region']}" + (f", Kec. {d['district']}" if d["district"] else ""))
    click.echo(f"  {label('Tempat', 'Place')}: {d['place']}")
    click.echo(f"  {label('Kejadian / diketahui / diterima', 'Occurred / known / received')}: "
               f"{d['occurred_on']} / {d['known_on']} / {d['received_on']}")
    click.echo(f"  {label('Pokok perkara', 'Summary')}: {d['summary']}")
    click.echo(f"  {label('Jenis pelanggaran', 'Violations')}:")
    for v in d["violations"]:
        click.echo(f"    - {v['label']} [{v['code']}]")
    if d["reporter"]:
        click.echo(f"  {label('Pelapor', 'Reporter')}: {d['reporter']['name']}, {d['reporter']['address']}")
    if d["found_by"]:
        click.echo(f"  {label('Penemu', 'Found by')}: {d['found_by']}")
    click.echo(f"  {label('ASN terlapor', 'Reported ASN')}:")
    for p in d["reported"]:
        track = f" — {p['track_label']}" if p["track_label"] else ""
        click.echo(f"    - {p['name']} (NIP {p['nip']}), {p['position']}, {p['agency']}{track}")
    if d["deadlines"]:
        click.echo(f"  {label('Tenggat', 'Deadlines')}:")
        for dl in d["deadlines"]:
            left = f" — {_days(dl['days_left'], d['timezone'], lang)}" if dl["days_left"] is not None else ""
            click.echo(f"    - {dl['label']} [{dl['rule']}]: {dl['due_date']} ({dl['status']}){left}; "
                       f"{dl['basis']}: {dl['citation']}")
    click.echo(f"  {label('Kronologi', 'Chronology')}: {d['chronology']}")
    click.echo(f"  {label('Riwayat', 'History')}:")
    for h in d["history"]:
        who = f" [{h['reported_asn']}]" if h["reported_asn"] else ""
        click.echo(f"    {h['at'][:16].replace('T', ' ')} UTC  {h['to_label']:<22}{who} {h['actor']}  {h['reason']}")


# --- audit -------------------------------------------------------------------------------------------------------
@cli.group()
def audit() -> None:
    """Jejak audit: pemeriksaan rantai hash. (Audit trail: checking the hash chain.)"""


@audit.command("verify")
@json_option
@click.pass_obj
def audit_verify(obj: Context, as_json: bool) -> None:
    """Hitung ulang rantai hash jejak audit; sebutkan mata rantai pertama yang putus (kode keluar 1).
    (Recompute the audit trail's hash chain; name the first broken link, exit code 1.)"""
    from casework.audit import check_chain

    obj.require_migrated()
    with obj.sessions() as session:
        result = check_chain(session)
        broken = result.broken
        report = {"ok": result.ok, "checked": result.checked, "head": result.head,
                  "broken": None if broken is None else {
                      "id": broken.id, "at": broken.at.isoformat(), "actor": broken.actor, "action": broken.action,
                      "case_id": broken.case_id, "reason": result.reason}}
    if as_json:
        emit_json(report)
        if not result.ok:
            raise SystemExit(1)
        return
    if result.ok:
        click.echo(message("audit.intact", obj.lang, count=result.checked, head=result.head))
        return
    raise Failure(message("audit.broken_hash" if result.reason == "hash" else "audit.broken_link", obj.lang,
                          count=result.checked, **{k: v for k, v in report["broken"].items()
                                                   if k in ("id", "at", "actor", "action")}))


# --- spreadsheets ------------------------------------------------------------------------------------------------
@cli.group("export")
def export_group() -> None:
    """Ekspor ke spreadsheet (XLSX/CSV). (Export to spreadsheets.)"""


@export_group.command("cases")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="Format berkas. (File format.)")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas keluaran. (Output file.)")
@click.option("--actor", default="netra-cli", show_default=True,
              help="Nama pengguna yang dicatat di jejak audit. (Who exports, for the audit trail.)")
@click.pass_obj
def export_cases_cmd(obj: Context, fmt: str, out: str, actor: str) -> None:
    """Semua kasus, termasuk data pribadi (lingkup operator). (Every case, personal data included.)

    Satu baris per kasus; kolom dijelaskan di docs/import-template.md. (One row per case.)
    """
    from casework.messages import Bilingual
    from casework.spreadsheets import OPERATOR, export_cases, record_export

    obj.require_migrated()
    with obj.sessions() as session, open(out, "wb") as fh:
        count = export_cases(session, fh, fmt, OPERATOR)
    with transaction(obj.sessions) as session:
        record_export(session, actor=actor, audience=OPERATOR, fmt=fmt, count=count)
    click.echo(message("export.done", obj.lang, count=count, path=out, personal=Bilingual("ya", "yes")))


@cli.group("import")
def import_group() -> None:
    """Impor register kasus dari XLSX. (Import a case register from XLSX.)"""


@import_group.command("template")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas XLSX keluaran. (Output XLSX file.)")
@click.pass_obj
def import_template(obj: Context, out: str) -> None:
    """Templat impor kosong dengan satu baris contoh fiktif. (Empty import template with one fictitious row.)"""
    from casework.spreadsheets import write_template

    with open(out, "wb") as fh:
        write_template(fh)
    click.echo(message("template.done", obj.lang, path=out))


@import_group.command("cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True,
              help="Periksa setiap baris tanpa menyimpan apa pun. (Check every row, save nothing.)")
@click.option("--actor", default=None, help="Nama pengguna pencatat impor. (Who imports.)")
@click.pass_obj
def import_cases_cmd(obj: Context, file: str, dry_run: bool, actor: str | None) -> None:
    """Impor semua baris atau tidak sama sekali; baris yang sudah diimpor dilewati.
    (All rows or none; rows already imported are skipped.)
    """
    from casework.spreadsheets import import_register

    if not dry_run and not actor:
        raise obj.fail("import.actor_required")
    obj.require_migrated()
    report = import_register(obj.sessions, file, actor=actor or "dry-run", dry_run=dry_run)
    for line in report.lines(obj.lang):
        click.echo(line)
    if not report.ok:
        raise Failure(report.summary(obj.lang))
    click.echo(report.summary(obj.lang))


# --- mail: the notice sweep and the outbox (what Airflow's `reconcile` runs; also by hand or from cron) ---------
@cli.group()
def mail() -> None:
    """Pengingat, eskalasi dan kotak keluar email. (Reminders, escalation and the email outbox.)"""


@mail.command("sweep")
@json_option
@click.pass_obj
def mail_sweep(obj: Context, as_json: bool) -> None:
    """Antrekan pengingat, pemberitahuan terlambat dan ringkasan harian yang jatuh waktu sekarang.
    (Queue every reminder, overdue notice and daily digest due now.)"""
    from casework import notices

    obj.require_migrated()
    result = {**notices.sweep(obj.sessions, settings=obj.settings).as_dict(),
              "digests": notices.queue_digests(obj.sessions, settings=obj.settings)}
    if as_json:
        emit_json(result)
        return
    click.echo(f"Tenggat diperiksa (deadlines looked at): {result['looked_at']}; email diantrekan (queued): "
               f"{result['queued']}; eskalasi PPK (escalations): {result['escalated']}; ringkasan (digests): "
               f"{result['digests']}")


@mail.command("send")
@json_option
@click.pass_obj
def mail_send(obj: Context, as_json: bool) -> None:
    """Kirim email yang menunggu di kotak keluar. (Send the outbox's pending email.)"""
    from casework import outbox

    obj.require_migrated()
    result = outbox.send_pending(obj.sessions, settings=obj.settings).as_dict()
    if as_json:
        emit_json(result)
        return
    click.echo(f"Terkirim (sent): {result['sent']}; gagal, dicoba lagi nanti (failed, retried later): "
               f"{result['failed']}")


@mail.command("list")
@click.option("--stuck", is_flag=True, help="Hanya yang macet saat dikirim; periksa manual. (Only rows a sender "
                                           "left mid-send; check them by hand.)")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]), default=None,
              help="Saring menurut status. (Filter by status.)")
@json_option
@click.pass_obj
def mail_list(obj: Context, stuck: bool, status: str | None, as_json: bool) -> None:
    """Isi kotak keluar, terbaru dahulu. (The outbox, newest first.)"""
    from sqlalchemy import select

    from casework.models import OutboxMessage

    obj.require_migrated()
    with obj.sessions() as session:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
        if stuck or status:
            stmt = stmt.where(OutboxMessage.status == ("sending" if stuck else status))
        rows = [{"id": m.id, "status": m.status, "purpose": m.purpose, "to": m.recipients, "subject": m.subject,
                 "attempts": m.attempts, "error": m.last_error, "key": m.dedup_key,
                 "created_at": m.created_at.isoformat(), "sent_at": m.sent_at.isoformat() if m.sent_at else None}
                for m in session.scalars(stmt)]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']:>6} {r['status']:<8} {r['purpose']:<28} {', '.join(r['to'])[:50]:<50} {r['subject']}")
    click.echo(f"{len(rows)} email.")


def main() -> None:
    cli(prog_name="netra")


if __name__ == "__main__":
    sys.exit(main())
