"""`netra early-warning`: the flags of casework/rules/early_warning.toml over what a user (--actor) or the
operator sees, on a day (--on), with why each was raised."""
from __future__ import annotations

from datetime import date

import click

from casework.cli.base import Context, cli, emit_json, json_option


@cli.command("early-warning")
@click.option("--actor", default=None, metavar="PENGGUNA",
              help="Lihat sebagai pengguna ini; tanpa ini: semua wilayah. (As this user; default: everything.)")
@click.option("--on", "on", default=None, metavar="YYYY-MM-DD", help="Pada tanggal ini. (On this day; default: today.)")
@json_option
@click.pass_obj
def early_warning(obj: Context, actor: str | None, on: str | None, as_json: bool) -> None:
    """Tanda peringatan dini dan alasannya. (Early-warning flags and why each was raised.)"""
    from casework.access.principal import OPERATOR, principal_named
    from casework.prevention.warnings import flags

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise click.BadParameter(f"tanggal tidak sah (not a date): {on}", param_hint="--on") from None
    obj.require_migrated()
    with obj.sessions() as session:
        raised = flags(session, principal_named(session, actor) if actor else OPERATOR, today=day)
    rows = [{"rule": f.rule_id, "subject": f.subject, "code": f.code, "name": f.name, "province": f.province_code,
             "numbers": f.numbers, "cases": list(f.cases), "case_count": f.case_count, "why": f.explain()}
            for f in raised]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Tidak ada tanda peringatan dini. (No early-warning flag.)")
    for f in raised:
        more = f" (+{f.more})" if f.more else ""
        click.echo(f"{f.label()}: {f.name} ({f.code})\n  {f.explain()}\n  {', '.join(f.cases)}{more}")
