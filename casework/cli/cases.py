"""`netra case`: the case list and one case."""
from __future__ import annotations

from typing import Any

import click

from casework.cli.base import Context, cli, emit_json, json_option
from casework.i18n.catalog import N_, NP_


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
    header = tuple(text.pick(obj.lang) for text in (N_("Nomor"), N_("Tahap"), N_("Wilayah"), N_("Pemilihan"),
                                                    N_("Sisa hari")))
    table = [(r.number, r.stage_label, r.regency, r.election, _days(r.days_left, r.timezone, obj.lang))
             for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table, strict=True)]
    for line in (header, *table):
        click.echo("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    click.echo(f"\n{len(rows)} kasus (cases).")


def _days(days: int | None, zone: str, lang: str) -> str:
    """Days left as the desk's Tugas saya says them ("hari ini", "besok", "terlambat 2 hari"), in `zone`."""
    from casework.i18n.dates import days_left

    return "-" if days is None else f"{days_left(days, lang)} ({zone})"


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


# `netra case show`'s headings (marked here, not inside the f-strings, where pybabel does not look); where its
# English differs from the desk's (plural headings), a context says so
HEADINGS = {
    "case": N_("Kasus"), "register_number": N_("Nomor register"), "source": N_("Sumber"), "election": N_("Pemilihan"),
    "office": N_("Kantor"), "region": N_("Wilayah"), "place": N_("Tempat"),
    "dates": N_("Kejadian / diketahui / diterima"), "summary": N_("Pokok perkara"),
    "violations": NP_("netra case show", "Jenis pelanggaran"), "reporter": N_("Pelapor"), "found_by": N_("Penemu"),
    "reported": N_("ASN terlapor"), "deadlines": NP_("netra case show", "Tenggat"), "chronology": N_("Kronologi"),
    "history": N_("Riwayat"), "plenary": N_("Putusan pleno"), "letters": NP_("netra case show", "Surat"), "steps": N_("Langkah yang dapat diambil"),
}


def _print_case(d: dict[str, Any], lang: str) -> None:
    from casework.i18n.dates import format_day

    head = {key: text.pick(lang) for key, text in HEADINGS.items()}
    click.echo(f"{head['case']} {d['number']}  —  {d['stage_label']}")
    if d["register_number"]:
        click.echo(f"  {head['register_number']}: {d['register_number']}")
    from casework.road.steps import SOURCES

    source = SOURCES.get(d["source"])
    click.echo(f"  {head['source']}: {source.pick(lang) if source else d['source']}")
    click.echo(f"  {head['election']}: {d['election']}")
    click.echo(f"  {head['office']}: {d['office']} ({d['timezone']})")
    click.echo(f"  {head['region']}: {d['region']}" + (f", Kec. {d['district']}" if d["district"] else ""))
    click.echo(f"  {head['place']}: {d['place']}")
    click.echo(f"  {head['dates']}: "
               f"{d['occurred_on']} / {d['known_on']} / {d['received_on']}")
    click.echo(f"  {head['summary']}: {d['summary']}")
    click.echo(f"  {head['violations']}:")
    for v in d["violations"]:
        click.echo(f"    - {v['label']} [{v['code']}]")
    if d["reporter"]:
        click.echo(f"  {head['reporter']}: {d['reporter']['name']}, {d['reporter']['address']}")
    if d["found_by"]:
        click.echo(f"  {head['found_by']}: {d['found_by']}")
    click.echo(f"  {head['reported']}:")
    for p in d["reported"]:
        track = f" — {p['track_label']}" if p["track_label"] else ""
        click.echo(f"    - {p['name']} (NIP {p['nip']}), {p['position']}, {p['agency']}{track}")
    if d["plenary"]:
        click.echo(f"  {head['plenary']}: {d['plenary']['decided_on'] or '-'} ({d['plenary']['decided_by'] or '-'})")
        for p in d["reported"]:
            found = f": {'; '.join(p['plenary_violations'])}" if p["plenary_violations"] else ""
            to = f" — {p['plenary_referred_to']}" if p["plenary_referred_to"] else ""
            click.echo(f"    - {p['name']}: {p['plenary_label'] or '-'}{found}{to}")
        if d["plenary"]["reasoning"]:
            click.echo(f"    {d['plenary']['reasoning']}")
    if d["deadlines"]:
        click.echo(f"  {head['deadlines']}:")
        for dl in d["deadlines"]:
            left = f" — {_days(dl['days_left'], d['timezone'], lang)}" if dl["days_left"] is not None else ""
            click.echo(f"    - {dl['label']} [{dl['rule']}]: {format_day(dl['due_date'], lang)} ({dl['status_label']}){left}; "
                       f"{dl['basis_label']}: {dl['citation']}")
    click.echo(f"  {head['chronology']}: {d['chronology']}")
    click.echo(f"  {head['history']}:")
    for h in d["history"]:
        who = f" [{h['reported_asn']}]" if h["reported_asn"] else ""
        # the act's day, then when it was recorded
        click.echo(f"    {h['acted_on']}  ({h['at'][:16].replace('T', ' ')} UTC)  {h['to_label']:<22}{who} {h['actor']}"
                   f"  {h['reason']}")
    if d["letters"]:
        click.echo(f"  {head['letters']}:")
        for letter in d["letters"]:
            click.echo(f"    - {letter['number']} ({letter['status_label']}) {letter['label']} — {letter['recipient']}")
    if d["steps"]:
        click.echo(f"  {head['steps']}:")
        for offer in d["steps"]:
            on = f" ({', '.join(offer['tracks'])})" if offer["tracks"] else ""
            click.echo(f"    - {offer['name']}: {offer['label']}{on}")


