"""`netra ikp` and `netra asn-count`: a region's figures (casework.prevention.figures) — IKP scores and ASN
headcounts imported from a CSV or XLSX sheet (all rows or none; --dry-run writes nothing), and the IKP listed."""
from __future__ import annotations

from pathlib import Path

import click

from casework.cli.base import Context, Failure, cli, emit_json, json_option, operator_name

ACTOR_HELP = ("Pengguna desk yang mengimpor; hak aksesnya berlaku (tanpa ini: operator server, semua wilayah). "
              "(The desk user importing; their access applies. Without it: the server's operator, any region.)")


@cli.group("ikp")
def ikp_group() -> None:
    """Indeks Kerawanan Pemilu (IKP) per wilayah. (Election vulnerability index per region.)"""


@cli.group("asn-count")
def asn_group() -> None:
    """Jumlah ASN per wilayah. (ASN headcount per region.)"""


def _import(obj: Context, kind: str, file: str, dry_run: bool, actor: str | None, as_json: bool) -> None:
    from casework.access.principal import operator, principal_named
    from casework.prevention.figure_sheets import import_figures

    obj.require_migrated()
    if actor:
        with obj.sessions() as session:
            principal = principal_named(session, actor)
    else:
        principal = operator(operator_name())
    path = Path(file)
    report = import_figures(obj.sessions, kind, path.read_bytes(), path.name, principal=principal,
                            dry_run=dry_run)
    if as_json:
        emit_json(report.as_dict(obj.lang))
        if not report.ok:
            raise SystemExit(1)
        return
    for line in report.lines(obj.lang):
        click.echo(line)
    if not report.ok:
        raise Failure(report.summary(obj.lang))
    click.echo(report.summary(obj.lang))


DRY_RUN = click.option("--dry-run", is_flag=True, help="Uji coba: periksa dan laporkan, tidak menyimpan apa pun. "
                                                       "(Check and report, write nothing.)")
ACTOR = click.option("--actor", metavar="PENGGUNA", help=ACTOR_HELP)
FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False))


@ikp_group.command("import")
@FILE
@DRY_RUN
@ACTOR
@json_option
@click.pass_obj
def ikp_import(obj: Context, file: str, dry_run: bool, actor: str | None, as_json: bool) -> None:
    """Impor skor IKP dari CSV atau XLSX (kolom: kode_wilayah, tahun, pemilihan, tema, dimensi, skor, kategori,
    sumber, url_sumber): semua baris atau tidak sama sekali; impor ulang tidak mengubah apa pun.
    (Import IKP scores: all rows or none; importing again changes nothing.)"""
    _import(obj, "ikp", file, dry_run, actor, as_json)


@asn_group.command("import")
@FILE
@DRY_RUN
@ACTOR
@json_option
@click.pass_obj
def asn_import(obj: Context, file: str, dry_run: bool, actor: str | None, as_json: bool) -> None:
    """Impor jumlah ASN per wilayah dari CSV atau XLSX (kolom: kode_wilayah, tahun, jumlah_asn, sumber).
    (Import ASN headcounts per region: all rows or none.)"""
    _import(obj, "asn", file, dry_run, actor, as_json)


@ikp_group.command("list")
@click.option("--region", metavar="KODE", help="Provinsi (2 digit) dan kabupaten/kotanya. (A province and its "
                                               "regencies.)")
@json_option
@click.pass_obj
def ikp_list(obj: Context, region: str | None, as_json: bool) -> None:
    """Skor IKP yang tercatat, dengan sumbernya. (Recorded IKP scores with their source.)"""
    from casework.prevention.figures import list_scores, region_names, score_dict

    obj.require_migrated()
    with obj.sessions() as session:
        names = region_names(session)
        rows = [score_dict(r, names, obj.lang) for r in list_scores(session, region)]
    if region and len(region) == 4:  # a regency: its own figures only
        rows = [r for r in rows if r["region_code"] == region]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        what = " · ".join(x for x in (r["election"], r["theme"], r["dimension"]) if x)
        click.echo(f"{r['region_code']:<5} {r['region'][:30]:<30} {r['year']} {r['score']:>6.2f} "
                   f"{r['band_label']:<7} {what}  [{r['source']}]")
