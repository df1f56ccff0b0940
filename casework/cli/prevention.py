"""`netra prevention`: the register of prevention work (casework.prevention) — list it, and record an activity
through the same checks as the desk's form (/pencegahan/)."""
from __future__ import annotations

from pathlib import Path

import click

from casework.adapters.db import transaction
from casework.cli.base import Context, cli, emit_json, json_option, operator_name
from casework.models.prevention import PREVENTION_KINDS

ACTOR_HELP = ("Pengguna desk yang mencatat; hak aksesnya berlaku (tanpa ini: operator server, di wilayah mana pun). "
              "(The desk user recording it; without it, the server's operator.)")


def _who(session, actor: str | None):
    from casework.access.principal import operator, principal_named

    return principal_named(session, actor) if actor else operator(operator_name())


@cli.group("prevention")
def prevention_group() -> None:
    """Pencegahan: sosialisasi, ikrar netralitas, pakta integritas, satgas netralitas. (The register of prevention
    work.)"""


@prevention_group.command("list")
@click.option("--region", default=None, help="Kode wilayah: provinsi (64, termasuk kabupatennya) atau kabupaten/kota "
                                             "(6402). (A province or regency code.)")
@click.option("--kind", type=click.Choice(PREVENTION_KINDS), default=None, help="Jenis kegiatan. (Kind.)")
@click.option("--actor", default=None, help=ACTOR_HELP)
@json_option
@click.pass_obj
def list_cmd(obj: Context, region: str | None, kind: str | None, actor: str | None, as_json: bool) -> None:
    """Daftar kegiatan pencegahan, terbaru dahulu. (The register, newest first.)"""
    from casework.prevention.reads import activities
    from casework.prevention.register import summary

    obj.require_migrated()
    with obj.sessions() as session:
        rows = [summary(a) for a in activities(session, _who(session, actor), region_code=region, kind=kind)]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        count = row["participants"] or row["signatories"] or ""
        share = f" ({row['signatories'] / row['unit_asn']:.1%})" if row["share"] is not None else ""
        click.echo(f"#{row['id']:<5} {row['held_on']} {row['kind']:<15} {row['region']:<5} "
                   f"{row['agency'] or '-':<14} {count}{share}  {row['title']}")


@prevention_group.command("add")
@click.option("--kind", required=True, type=click.Choice(PREVENTION_KINDS), help="Jenis kegiatan. (Kind.)")
@click.option("--actor", default=None, help=ACTOR_HELP)
@click.option("--title", default="", help="Judul (wajib untuk sosialisasi). (Title; required for a socialisation.)")
@click.option("--region", default="", help="Kode wilayah (bawaan: wilayah instansi). (Region code; default: the "
                                           "agency's.)")
@click.option("--date", "held_on", required=True, help="Tanggal kegiatan, YYYY-MM-DD. (Date.)")
@click.option("--agency", default="", help="Kode instansi, mis. pemkab-6402. (The agency's code.)")
@click.option("--unit", default="", help="Unit kerja; kosong: seluruh instansi. (Work unit; empty: whole agency.)")
@click.option("--participants", default="", help="Jumlah peserta (sosialisasi). (Attendance.)")
@click.option("--signatories", default="", help="Jumlah penanda tangan (ikrar, pakta). (Signatories.)")
@click.option("--unit-asn", default="", help="Jumlah ASN unit saat itu (untuk cakupan). (The unit's ASN.)")
@click.option("--sk-number", default="", help="Nomor SK pembentukan (satgas). (A task force's decree number.)")
@click.option("--notes", default="", help="Keterangan. (Notes.)")
@click.option("--document", "document", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Dokumen yang ditandatangani, PDF (ikrar, pakta). (The signed document, a PDF.)")
@json_option
@click.pass_obj
def add_cmd(obj: Context, kind: str, actor: str | None, title: str, region: str, held_on: str, agency: str,
            unit: str, participants: str, signatories: str, unit_asn: str, sk_number: str, notes: str,
            document: str | None, as_json: bool) -> None:
    """Catat satu kegiatan; semua isian diperiksa dahulu dan tidak ada yang disimpan bila ada masalah. (Record an
    activity, checked first; nothing is saved on any problem.)"""
    from casework.prevention.register import ActivityInput, record_activity, summary
    from casework.road.inputs import Upload

    obj.require_migrated()
    upload = Upload(Path(document).name, Path(document).read_bytes()) if document else None
    data = ActivityInput(kind=kind, title=title, region=region, held_on=held_on, agency=agency, unit=unit,
                         participants=participants, signatories=signatories, unit_asn=unit_asn,
                         sk_number=sk_number, notes=notes, document=upload)
    with transaction(obj.sessions) as session:
        added = summary(record_activity(session, data, principal=_who(session, actor), settings=obj.settings))
    if as_json:
        emit_json(added)
    else:
        click.echo(f"Kegiatan #{added['id']} dicatat (recorded): {added['title']}, {added['held_on']}.")
