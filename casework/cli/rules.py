"""`netra deadline`, `netra workflow steps`: the rules as data, asked from the command line."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option


# --- deadline --------------------------------------------------------------------------------------------------
@cli.command("deadline")
@click.argument("rule_id")
@click.option("--start", "start", required=True, metavar="YYYY-MM-DD[THH:MM]",
              help="Tanggal peristiwa awal (hari ke-0); aturan jam: juga pukulnya, waktu kantor. "
                   "(Start event date, day 0; an hour rule: its local time too.)")
@click.option("--province", required=True, metavar="CODE",
              help="Kode provinsi kantor penanganan, mis. 64. (Handling office's province code, e.g. 64.)")
@json_option
@click.pass_obj
def deadline_cmd(obj: Context, rule_id: str, start: str, province: str, as_json: bool) -> None:
    """Hitung tenggat suatu aturan. (Compute the deadline of a rule.)

    Contoh (example): netra deadline pemilu.decision --start 2024-04-03 --province 64
    """
    from datetime import date

    from casework.deadlines.engine import compute, get_rule, timezone_for_province

    rule = get_rule(rule_id)
    from casework.textcheck import EARLIEST, LATEST

    from datetime import datetime

    from casework.reference.timezones import zoneinfo

    try:  # an hour rule counts from a moment: "2024-03-05T14:00" (a bare date is its midnight), office time
        moment = datetime.fromisoformat(start) if rule.day_kind == "hours" else None
        start_day = moment.date() if moment else date.fromisoformat(start)
    except ValueError:
        raise obj.fail("case.bad_date", value=start) from None
    if not EARLIEST <= start_day <= LATEST:
        raise obj.fail("deadline.start_out_of_range", value=start, earliest=EARLIEST.isoformat(),
                       latest=LATEST.isoformat())
    zone = timezone_for_province(province)
    start_at = moment.replace(tzinfo=zoneinfo(zone)) if moment else None
    result = compute(rule, start_day, zone, start_at=start_at)
    if as_json:
        emit_json(result.as_dict())
        return
    from casework.i18n.dates import format_day
    from casework.rules import POLICY_LABEL

    from casework.i18n.catalog import N_, NP_

    lang = obj.lang
    kind = {"working": N_("hari kerja"), "calendar": N_("hari kalender"), "hours": N_("jam")}[rule.day_kind].pick(lang)
    basis = {"statute": N_("batas hukum"), "policy": N_("target")}[rule.basis].pick(lang)
    # marked here, not inside the f-strings below: pybabel does not look inside an f-string
    start_, length, due, basis_, skipped = (text.pick(lang) for text in (
        N_("Mulai"), N_("Lama"), NP_("netra deadline", "Tenggat"), N_("Dasar"), N_("dilewati")))
    click.echo(f"{rule.label(lang)} [{rule.id}]")
    click.echo(f"  {start_} (0):  {format_day(start_day, lang)}" + (f" {start_at:%H:%M}" if start_at else ""))
    click.echo(f"  {length}:       {rule.length} {kind}")
    click.echo(f"  {due}:    {format_day(result.due_date, lang)} {result.due_at:%H:%M:%S} {result.timezone} "
               f"({result.due_at.isoformat()})")
    # a policy rule says it is Netra's, as the case page does: never a citation such as "Target kebijakan"
    citation = POLICY_LABEL.pick(lang) if rule.basis == "policy" else rule.citation
    click.echo(f"  {basis_}:      {basis} — {citation}")
    for day, reason in result.skipped:
        click.echo(f"  {skipped}:   {format_day(day, lang)} — {reason}")


# --- workflow --------------------------------------------------------------------------------------------------
@cli.group()
def workflow() -> None:
    """Alur penanganan: langkah-langkah dan siapa yang boleh. (The road: steps and who may take them.)"""


@workflow.command("steps")
@json_option
@click.option("--markdown", is_flag=True, help="Tabel Markdown untuk dokumentasi. (Markdown table for the docs.)")
@click.pass_obj
def workflow_steps(obj: Context, as_json: bool, markdown: bool) -> None:
    """Daftar langkah, peran, tahap, isian dan surat. (Steps with roles, stages, fields and letters.)"""
    from casework.road.workflow import steps_table

    rows = steps_table(obj.lang)
    if as_json:
        emit_json(rows)
    elif markdown:
        click.echo("| step | label | roles | at stage | on track stage | required fields | optional fields | letters |")
        click.echo("|---|---|---|---|---|---|---|---|")
        for r in rows:
            click.echo(f"| `{r['name']}` | {r['label']} | {', '.join(r['roles'])} | {', '.join(r['stages'])} | "
                       f"{', '.join(r['track_stages'] or r['criminal_stages']) or '—'} | {', '.join(r['fields']) or '—'} | "
                       f"{', '.join(r['optional']) or '—'} | {', '.join(r['letters']) or '—'} |")
    else:
        for r in rows:
            click.echo(f"{r['name']:<34} {r['label']:<40} {', '.join(r['roles'])}")




# --- rules: the catalogue, sanctions and ladder with their bases ------------------------------------------------------
@cli.group("rules")
def rules_group() -> None:
    """Aturan hukum sebagai data, dengan dasar hukumnya. (The legal rules as data, with their basis.)"""


def _act_day(obj: Context, on: str | None):
    from datetime import date

    if on is None:
        return date.today()
    try:
        return date.fromisoformat(on)
    except ValueError:
        raise obj.fail("case.bad_date", value=on) from None


_ON = click.option("--on", "on", default=None, metavar="YYYY-MM-DD",
                   help="Tanggal perbuatan; dasar hukum yang berlaku hari itu (bawaan: hari ini). "
                        "(Day of the act: the basis in force that day; default today.)")


@rules_group.command("violations")
@_ON
@json_option
@click.pass_obj
def rules_violations(obj: Context, on: str | None, as_json: bool) -> None:
    """Katalog pelanggaran SKB 2022. (The SKB 2022 catalogue of violations.)

    Contoh (example): netra rules violations --on 2023-06-01
    """
    from casework.i18n.catalog import translate
    from casework.rules import load, violation_basis, violation_catalogue

    day, lang = _act_day(obj, on), obj.lang
    categories = load("violations")["categories"]
    rows = [{"code": code, "label": translate(item["label_id"], lang),
             "categories": [item["category"]] + ([item["also"]["category"]] if "also" in item else []),
             "default_sanctions": [item["default_sanction"]]
             + ([item["also"]["default_sanction"]] if "also" in item else []),
             "basis": violation_basis(code, day, lang)} for code, item in violation_catalogue().items()]
    if as_json:
        emit_json({"on": day.isoformat(), "violations": rows})
        return
    for r in rows:
        cats = " + ".join(translate(categories[c]["label_id"], lang) for c in r["categories"])
        click.echo(f"{r['code']:<28} {r['label']}\n{'':<28} {cats} — {r['basis']}")


@rules_group.command("sanctions")
@_ON
@json_option
@click.pass_obj
def rules_sanctions(obj: Context, on: str | None, as_json: bool) -> None:
    """Jenis sanksi dan dasar hukumnya. (Sanction kinds and their basis.)

    Contoh (example): netra rules sanctions --on 2023-11-01
    """
    from casework.road.sanctions import kinds

    day, lang = _act_day(obj, on), obj.lang
    rows = [{"code": k.code, "level": k.level, "slot": k.slot, "label": k.label(lang),
             "basis": k.basis_on(day, lang)} for k in kinds().values()]
    if as_json:
        emit_json({"on": day.isoformat(), "sanctions": rows})
        return
    for r in rows:
        click.echo(f"{r['code']:<44} {r['label']} — {r['basis']}")


@rules_group.command("escalation")
@json_option
@click.pass_obj
def rules_escalation(obj: Context, as_json: bool) -> None:
    """Tangga eskalasi: kewenangan siapa dan dasarnya. (The escalation ladder: whose power, and its basis.)"""
    from casework.road.escalation import ladder

    rows = ladder(obj.lang)
    if as_json:
        emit_json(rows)
        return
    for i, r in enumerate(rows, 1):
        click.echo(f"{i}. {r['label']} [{r['code']}]\n   {r['power_label']}\n   {r['basis']}")
