"""`netra privacy`: the access log of personal data (casework.privacy, docs/privacy.md)."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option
from casework.i18n.messages import message


@cli.group("privacy")
def privacy_group() -> None:
    """Data pribadi (UU PDP): siapa membaca apa. (Personal data: who read what.)"""


@privacy_group.command("reads")
@click.option("--case", "case_number", default=None, metavar="NOMOR", help="Satu kasus. (One case.)")
@click.option("--nip", default=None, metavar="NIP",
              help="Satu terlapor: SK-nya, dan pelapor, bukti serta surat kasusnya. (One reported person.)")
@json_option
@click.pass_obj
def reads_cmd(obj: Context, case_number: str | None, nip: str | None, as_json: bool) -> None:
    """Setiap pembacaan identitas pelapor, berkas bukti, SK dan surat yang menyebut orang yang dilindungi.
    (Every read of a reporter's identity, evidence, a decree or a letter naming a protected person.)"""
    from casework.privacy.reads import reads

    if (case_number is None) == (nip is None):
        raise obj.fail("privacy.case_or_nip")
    obj.require_migrated()
    with obj.sessions() as session:
        rows = reads(session, case_number=case_number, nip=nip)
    if as_json:
        emit_json({"case": case_number, "nip": nip, "reads": rows})
        return
    for r in rows:
        click.echo(f"{r['at']}  {r['actor']}  {r['case']}  {r['kind']}  {r['item']}  ({r['channel']})")
    if not rows:
        click.echo(message("privacy.no_reads", obj.lang))


@privacy_group.command("pseudonymise")
@click.option("--apply", "apply_", is_flag=True,
              help="Laksanakan; tanpa ini hanya uji coba. (Carry it out; without it, a dry run.)")
@click.option("--actor", default=None, help="Nama pengguna pelaksana, untuk jejak audit. (Who carries it out.)")
@json_option
@click.pass_obj
def pseudonymise_cmd(obj: Context, apply_: bool, actor: str | None, as_json: bool) -> None:
    """Pseudonimkan kasus yang berakhir lebih lama dari masa retensi (rules/retention.toml): identitas, kontak dan
    berkas bukti/SK; jumlah untuk statistik tetap. Satu peristiwa audit per kasus.
    (Pseudonymise the cases past their retention; counts stay. One audit event per case.)"""
    from casework.adapters.db import transaction
    from casework.privacy.retention import due, pseudonymise, rule

    if apply_ and not actor:
        raise obj.fail("privacy.actor_required")
    obj.require_migrated()
    with obj.sessions() as session:
        cases = due(session)
    done = []
    for item in cases if apply_ else ():
        with transaction(obj.sessions) as session:  # one case at a time: each whole, or not at all
            pseudonymise(session, item.number, actor=actor, settings=obj.settings)
        done.append(item.number)
    if as_json:
        emit_json({"applied": apply_, "years": rule()["years"], "cases": [c.as_dict() for c in cases]})
        return
    for c in cases:
        click.echo(message("privacy.due_line", obj.lang, number=c.number, ended=c.ended_on.isoformat(),
                           people=c.people, files=c.files))
    code = "privacy.none_due" if not cases else "privacy.pseudonymised" if apply_ else "privacy.dry_run"
    click.echo(message(code, obj.lang, count=len(cases), years=rule()["years"]))
