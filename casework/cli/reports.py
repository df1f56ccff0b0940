"""`netra reports`: reports over the cases, on the command line. `ppk-league`: the PPK league table
(casework.reports.league) as text, JSON or CSV — the desk's /liga-ppk/ table and download."""
from __future__ import annotations

import sys

import click

from casework.cli.base import Context, cli, emit_json, json_option
from casework.cli.cases import as_option, reader
from casework.reports.league import COLUMNS, SORTS


@cli.group("reports")
def reports_group() -> None:
    """Laporan atas kasus. (Reports over the cases.)"""


@reports_group.command("ppk-league")
@click.option("--election", "election_code", default=None, metavar="KODE",
              help="Hanya satu pemilihan (kodenya). (One election only, by its code.)")
@click.option("--sort", "sort", type=click.Choice(SORTS), default="overdue", show_default=True,
              help="Urutkan menurut kolom ini. (Sort by this column.)")
@click.option("--ascending", is_flag=True, help="Terkecil dahulu (bawaan: terbesar dahulu). (Smallest first.)")
@click.option("--csv", "as_csv", is_flag=True, help="Keluaran CSV, seperti unduhan desk. (CSV output.)")
@as_option
@json_option
@click.pass_obj
def ppk_league(obj: Context, election_code: str | None, sort: str, ascending: bool, as_csv: bool,
               as_user: str | None, as_json: bool) -> None:
    """Liga PPK: tindak lanjut rekomendasi per instansi. (The PPK league table: follow-up per agency.)"""
    from sqlalchemy import select

    from casework.errors import CaseworkError
    from casework.models import Election
    from casework.reports.league import export_league, league_table

    obj.require_migrated()
    with obj.sessions() as session:
        if election_code and session.scalar(select(Election.id).where(Election.code == election_code)) is None:
            raise CaseworkError("case.unknown_election", code=election_code)
        league = league_table(session, reader(session, as_user), election_code=election_code, sort=sort,
                              descending=not ascending)
    if as_csv:
        export_league(league, sys.stdout.buffer, "csv", lang=obj.lang)
        return
    if as_json:
        emit_json([{"agency_code": r.code, **{c.key: r.value(c.key) for c in COLUMNS},
                    "decrees": len(r.decree_days), "oldest_overdue_due": r.oldest_overdue_due}
                   for r in league.rows])
        return
    header = [c.label.pick(obj.lang) for c in COLUMNS[1:]]  # the PPK names the row; its agency is in --json/--csv
    table = [["-" if (v := r.value(c.key)) is None else str(v) for c in COLUMNS[1:]] for r in league.rows]
    widths = [max(len(x) for x in col) for col in zip(header, *table, strict=True)]
    for line in (header, *table):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    click.echo(f"\n{len(league.rows)} instansi (agencies).")
