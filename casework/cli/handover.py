"""`netra handover kasn`: KASN's open tracks under SE Menpan-RB 4/2024 (casework.road.handover), dry run first."""
from __future__ import annotations

import click

from casework.adapters.db import transaction
from casework.cli.base import Context, cli, emit_json, json_option
from casework.i18n.messages import message


@cli.group("handover")
def handover_group() -> None:
    """Pengalihan berkas antarlembaga. (Files passed from one institution to another.)"""


@handover_group.command("kasn")
@click.option("--apply", "apply_", is_flag=True,
              help="Laksanakan pengalihan; tanpa ini hanya uji coba. (Carry it out; without it, a dry run.)")
@click.option("--actor", default=None, help="Nama pengguna pelaksana, untuk jejak audit. (Who carries it out.)")
@json_option
@click.pass_obj
def handover_kasn(obj: Context, apply_: bool, actor: str | None, as_json: bool) -> None:
    """Alihkan jalur KASN yang masih terbuka sesuai SE Menpan-RB 4/2024: yang belum direkomendasikan KASN ke BKN;
    yang sudah, PPK-nya melapor kepada Menteri PANRB. Menjalankan dua kali tidak mengubah apa pun lagi.
    (Hand KASN's open tracks over under SE Menpan-RB 4/2024; running it twice changes nothing more.)"""
    from casework.road import handover
    from casework.road.stages import label

    if apply_ and not actor:
        raise obj.fail("handover.actor_required")
    obj.require_migrated()
    if apply_:
        with transaction(obj.sessions) as session:
            moves = handover.carry_out(session, actor=actor, base_url=obj.settings.base_url)
    else:
        with obj.sessions() as session:
            moves = handover.plan(session)
    counts = {"count": len(moves), "bkn": sum(m.action == handover.TO_BKN for m in moves),
              "menpanrb": sum(m.action == handover.TO_MENPANRB for m in moves)}
    if as_json:
        emit_json({"applied": apply_, **counts, "tracks": [m.as_dict() for m in moves]})
        return
    for m in moves:
        click.echo(message("handover.line", obj.lang, case=m.case, nip=m.nip, name=m.name,
                           stage=label(m.track_stage, obj.lang), to=m.to))
    if not moves:
        click.echo(message("handover.none", obj.lang))
    elif apply_:
        click.echo(message("handover.done", obj.lang, **counts))
    else:
        click.echo(message("handover.dry_run", obj.lang, **counts))
