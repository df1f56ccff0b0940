"""`netra exchange`: the SBT/I'DIS exchange (casework.exchange, docs/exchange.md) — a forwarded case's referral
package out, a status export in (a dry run unless --apply)."""
from __future__ import annotations

from pathlib import Path

import click

from casework.adapters.db import transaction
from casework.cli.base import Context, Failure, cli, emit_json, json_option
from casework.i18n.messages import message

ACTOR_HELP = "Pengguna yang menjalankan; hak aksesnya berlaku. (The user running it; their access rules apply.)"


@cli.group("exchange")
def exchange_group() -> None:
    """Pertukaran data dengan sistem BKN (SBT, I'DIS). (Exchange with BKN's systems.)"""


@exchange_group.command("referral")
@click.argument("number")
@click.option("--actor", required=True, metavar="PENGGUNA", help=ACTOR_HELP)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas ZIP keluaran. (Output ZIP file.)")
@json_option
@click.pass_obj
def referral_cmd(obj: Context, number: str, actor: str, out: str, as_json: bool) -> None:
    """Paket rujukan kasus yang telah diteruskan: rujukan.json, kajian dan surat penerusan (PDF), bukti dengan
    sha256, dalam satu ZIP. Setiap unduhan tercatat di jejak audit.
    (A forwarded case's referral package in one ZIP; every download is audited.)"""
    from casework.access.principal import principal_named
    from casework.exchange.referral import build

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        package = build(session, number, principal_named(session, actor), obj.settings)
    Path(out).write_bytes(package.data)
    record = package.record
    result = {"file": out, "sha256": package.sha256, "size": len(package.data),
              "reported": [p["nip"] or p["nik"] for p in record["reported"]],
              "letters": [x["number"] for x in record["documents"]["letters"]],
              "evidence": len(record["evidence"]), "evidence_included": record["evidence_included"]}
    if as_json:
        emit_json(result)
        return
    click.echo(message("referral.written", obj.lang, path=out, people=len(result["reported"]),
                       evidence=result["evidence"], sha256=package.sha256))


@exchange_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", required=True, metavar="PENGGUNA", help=ACTOR_HELP)
@click.option("--apply", "apply_", is_flag=True,
              help="Terapkan perubahan; tanpa ini hanya uji coba. (Apply the changes; without it, a dry run.)")
@json_option
@click.pass_obj
def import_cmd(obj: Context, file: str, actor: str, apply_: bool, as_json: bool) -> None:
    """Impor ekspor status SBT/I'DIS (CSV, XLSX, atau ZIP berisi lembar dan PDF SK), dicocokkan dengan NIP dan
    nomor register: semua baris atau tidak sama sekali; baris yang tidak dikenal dicantumkan dan dilewati.
    (Import a status export matched on NIP and register number: all rows or none; unknown rows listed, skipped.)"""
    from casework.exchange.status_import import import_statuses

    obj.require_migrated()
    path = Path(file)
    report = import_statuses(obj.sessions, path.read_bytes(), path.name, actor=actor, settings=obj.settings,
                             dry_run=not apply_)
    if as_json:
        emit_json(report.as_dict(obj.lang))
        if not report.ok:
            raise SystemExit(1)
        return
    for problem in report.problems:
        click.echo(message(problem.code, obj.lang, **problem.params))
    if report.ignored_headers:
        click.echo(message("import.unknown_columns", obj.lang, headers=", ".join(report.ignored_headers)))
    for row in report.rows:
        where = message("import.row", obj.lang, row=row.row)
        who = " · ".join(x for x in (row.nip, row.register_number, row.name, row.case) if x)
        click.echo(f"{where} ({who}): {message('exchange.row_' + row.result, obj.lang, status=row.status)}")
        for problem in row.problems:
            click.echo(f"    {problem.render(obj.lang)}")
    if not report.ok:
        raise Failure(report.summary(obj.lang))
    click.echo(report.summary(obj.lang))
