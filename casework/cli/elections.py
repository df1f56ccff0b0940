"""`netra election`: the elections cases are recorded under — list them, and add one (Pemilu 2029, a region's
Pilkada, a re-vote) through the same checks as the system administrator's desk page
(casework.reference.elections)."""
from __future__ import annotations

import click

from casework.access.principal import operator
from casework.adapters.db import transaction
from casework.cli.base import Context, cli, emit_json, json_option, operator_name
from casework.errors import Problem, ValidationError
from casework.models import ELECTION_KINDS, ELECTION_STAGES
from casework.reference.elections import ElectionInput, add_election, list_elections, summary


@cli.group()
def election() -> None:
    """Pemilihan: daftar dan penambahan (Pemilu, Pilkada per daerah, pemungutan suara ulang). (Elections: list
    and add.)"""


@election.command("list")
@json_option
@click.pass_obj
def election_list(obj: Context, as_json: bool) -> None:
    """Semua pemilihan dengan masa dan wilayahnya, terbaru dahulu. (Every election with its period and area.)"""
    obj.require_migrated()
    with obj.sessions() as session:
        rows = [summary(e) for e in list_elections(session)]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        area = row["regency"] or row["province"] or "nasional"
        click.echo(f"{row['code']:<28} {row['kind']:<8} {row['starts_on']} s.d. {row['ends_on']}  "
                   f"coblos {row['voting_day']}  {area:<9} {row['name']}")


def _stage(value: str) -> tuple[str, tuple[str, str]]:
    # CODE=YYYY-MM-DD..YYYY-MM-DD; a malformed one becomes the domain's own "bad date" message
    code, _, span = value.partition("=")
    first, _, last = span.partition("..")
    return code.strip(), (first.strip(), last.strip())


@election.command("add")
@click.option("--code", required=True, help="Kode unik, mis. pemilu-2029. (Unique code.)")
@click.option("--kind", required=True, help=f"Jenis: {', '.join(ELECTION_KINDS)}. (Kind.)")
@click.option("--name", required=True, help="Nama, mis. \"Pemilu 2029\". (Name.)")
@click.option("--voting-day", required=True, help="Hari pemungutan suara, YYYY-MM-DD. (Voting day.)")
@click.option("--starts-on", required=True, help="Awal masa (tahapan), YYYY-MM-DD. (First day of its stages.)")
@click.option("--ends-on", required=True, help="Akhir masa (tahapan), YYYY-MM-DD. (Last day of its stages.)")
@click.option("--province", default=None, help="Pilkada gubernur: kode provinsi, mis. 64. (A governor's Pilkada.)")
@click.option("--regency", default=None, help="Pilkada bupati/wali kota: kode, mis. 6402. (A regent's or mayor's.)")
@click.option("--stage", "stages", multiple=True,
              help=f"Tahapan, boleh berulang: KODE=YYYY-MM-DD..YYYY-MM-DD; kode: {', '.join(ELECTION_STAGES)}. "
                   "(Named stage, repeatable.)")
@click.option("--parent", default=None, help="Pemungutan suara ulang (PSU): kode pemilihan induknya. (A re-vote's "
                                             "parent election.)")
@click.option("--basis", default="", help="Dasar hukum jadwal, mis. \"PKPU 1/2028\". (The regulation.)")
@json_option
@click.pass_obj
def election_add(obj: Context, code: str, kind: str, name: str, voting_day: str, starts_on: str, ends_on: str,
                 province: str | None, regency: str | None, stages: tuple[str, ...], parent: str | None, basis: str,
                 as_json: bool) -> None:
    """Tambah pemilihan; semua isian diperiksa dahulu (urutan tanggal, tumpang tindih dengan pemilihan sejenis di
    wilayah yang sama) dan tidak ada yang disimpan bila ada masalah. (Add an election, checked first; nothing is
    saved on any problem.)"""
    obj.require_migrated()
    parsed = [_stage(s) for s in stages]
    repeated = sorted({c for c, _ in parsed if sum(c == d for d, _ in parsed) > 1})
    if repeated:
        raise ValidationError([Problem("stages", "election.unknown_stage", {"code": c, "choices": ", ".join(
            ELECTION_STAGES)}) for c in repeated])
    data = ElectionInput(code=code, kind=kind, name=name, voting_day=voting_day, starts_on=starts_on,
                         ends_on=ends_on, province=province, regency=regency, stages=dict(parsed), parent=parent,
                         basis=basis)
    with transaction(obj.sessions) as session:
        added = summary(add_election(session, data, principal=operator(operator_name())))
    if as_json:
        emit_json(added)
    else:
        click.echo(f"Pemilihan {added['code']} ditambahkan (added): {added['name']}, {added['starts_on']} s.d. "
                   f"{added['ends_on']}.")
