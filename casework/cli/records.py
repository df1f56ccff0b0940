"""`netra audit`, `netra export`, `netra import`: the audit trail and the case register in and out."""
from __future__ import annotations

import click

from casework.adapters.db import transaction
from casework.cli.base import Context, Failure, cli, emit_json, json_option
from casework.i18n.messages import message


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
    from casework.i18n.catalog import N_
    from casework.spreadsheets.export import OPERATOR, export_cases, record_export

    obj.require_migrated()
    with obj.sessions() as session, open(out, "wb") as fh:
        count = export_cases(session, fh, fmt, OPERATOR)
    with transaction(obj.sessions) as session:
        record_export(session, actor=actor, audience=OPERATOR, fmt=fmt, count=count)
    click.echo(message("export.done", obj.lang, count=count, path=out, personal=N_("ya")))


@cli.group("import")
def import_group() -> None:
    """Impor register kasus dari XLSX. (Import a case register from XLSX.)"""


@import_group.command("template")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas XLSX keluaran. (Output XLSX file.)")
@click.pass_obj
def import_template(obj: Context, out: str) -> None:
    """Templat impor kosong dengan satu baris contoh fiktif. (Empty import template with one fictitious row.)"""
    from casework.spreadsheets.workbook import write_template

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
    from casework.spreadsheets.importer import import_register

    if not dry_run and not actor:
        raise obj.fail("import.actor_required")
    obj.require_migrated()
    report = import_register(obj.sessions, file, actor=actor or "dry-run", dry_run=dry_run)
    for line in report.lines(obj.lang):
        click.echo(line)
    if not report.ok:
        raise Failure(report.summary(obj.lang))
    click.echo(report.summary(obj.lang))


