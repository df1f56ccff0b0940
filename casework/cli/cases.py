"""`netra case`: the case list and one case."""
from __future__ import annotations

from typing import Any

import click

from casework.cli.base import Context, cli, emit_json, json_option


# --- case ------------------------------------------------------------------------------------------------------
@cli.group()
def case() -> None:
    """Kasus: daftar dan rincian. (Cases: list and detail.)"""


as_option = click.option(
    "--as", "as_user", default=None, metavar="PENGGUNA",
    help="Tampilkan seperti yang dilihat pengguna ini (hak aksesnya). (Show what this user may see.)")


def reader(session, as_user: str | None):
    """Whose eyes: a named user (their access rules), or the operator at the server, who reads everything."""
    from casework.access.principal import OPERATOR, principal_named

    return principal_named(session, as_user) if as_user else OPERATOR


@case.command("list")
@as_option
@json_option
@click.pass_obj
def case_list(obj: Context, as_user: str | None, as_json: bool) -> None:
    """Daftar kasus: nomor, tahap, wilayah, pemilihan, sisa hari. (List cases with stage, region, days left.)"""
    from casework.road.cases import list_cases

    obj.require_migrated()
    with obj.sessions() as session:
        rows = list_cases(session, lang=obj.lang, principal=reader(session, as_user))
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
@as_option
@json_option
@click.pass_obj
def case_show(obj: Context, number: str, as_user: str | None, as_json: bool) -> None:
    """Rincian satu kasus. (Show one case.)"""
    from casework.access.view import case_view

    obj.require_migrated()
    with obj.sessions() as session:
        detail = case_view(session, reader(session, as_user), number, lang=obj.lang)
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
    if d["letters"]:
        click.echo(f"  {label('Surat', 'Letters')}:")
        for letter in d["letters"]:
            click.echo(f"    - {letter['number']} ({letter['status']}) {letter['label']} — {letter['recipient']}")
    if d["steps"]:
        click.echo(f"  {label('Langkah yang dapat diambil', 'Steps that can be taken')}:")
        for offer in d["steps"]:
            on = f" ({', '.join(offer['tracks'])})" if offer["tracks"] else ""
            click.echo(f"    - {offer['name']}: {offer['label']}{on}")


