"""`netra case step STEP NUMBER --actor USER [--FIELD VALUE ...]`: take a step of the road from the command line,
as a named user, through the same command as the desk. Each step's options are built from its typed input
(casework.road.inputs), so the desk's form, these options and an API's schema never disagree."""
from __future__ import annotations

from pathlib import Path

import click

from casework.cli.base import Context, emit_json, json_option
from casework.cli.cases import case
from casework.i18n.messages import field_label
from casework.road.inputs import Kind, Spec, Upload
from casework.road.workflow import COMMANDS, Command


@case.group("step")
def step_group() -> None:
    """Ambil langkah pada kasus sebagai pengguna. (Take a step on a case as a user.)

    Contoh (example): netra case step register LP-6402-2026-0001 --actor penangan.kukar
    """


def _option(name: str, spec: Spec) -> click.Option:
    help_text = f"{field_label(name, 'id')} ({field_label(name, 'en')})" + ("" if spec.required else " [opsional]")
    kwargs: dict = {"default": None, "help": help_text}
    match spec.kind:
        case Kind.CHOICE:  # checked by the step's input, which lists the choices in the user's language
            kwargs["metavar"] = "[" + "|".join(spec.options()) + "]"
        case Kind.DATE:
            kwargs["metavar"] = "YYYY-MM-DD"
        case Kind.TIME:
            kwargs["metavar"] = "HH:MM"
        case Kind.LIST:  # repeated (--invitees reported:NIP --invitees reporter) or comma-separated
            kwargs |= {"multiple": True, "default": (), "metavar": "KODE"}
        case Kind.FILE:
            kwargs["type"] = click.Path(exists=True, dir_okay=False)
        case Kind.PEOPLE:  # the JSON body's shape: {"<NIP>": {"outcome": ..., "codes": [...], "to": ...}}
            kwargs["metavar"] = "JSON"
    # required fields are checked by the step's input, with the same message as the desk's, not by click
    return click.Option([f"--{name.replace('_', '-')}", name], **kwargs)


def _run(cmd: Command):
    @click.pass_obj
    def run(obj: Context, number: str, actor: str, version: int | None, track: str | None, as_json: bool,
            acted_on: str | None, **raw) -> None:
        from casework.access.principal import principal_named
        from casework.adapters.db import transaction
        from casework.road.workflow import take

        obj.require_migrated()
        fields = {}
        for name, spec in cmd.input.specs():
            value = raw.get(name)
            if spec.kind is Kind.LIST:
                value = list(value) or None
            if value is not None and spec.kind is Kind.FILE:
                value = Upload(Path(value).name, Path(value).read_bytes())
            if value is not None:
                fields[name] = value
        with transaction(obj.sessions) as session:
            taken = take(session, cmd.name, case_number=number, principal=principal_named(session, actor),
                         expected_version=version, track=track, settings=obj.settings, fields=fields,
                         acted_on=acted_on)
            case_ = taken.case
            result = {"number": case_.number, "step": cmd.name, "stage": case_.stage, "version": case_.version,
                      "tracks": {p.nip: p.track_stage for p in case_.reported},
                      "acted_on": taken.acted_on.isoformat(),
                      "warnings": [w.render(obj.lang) for w in taken.warnings]}
        if as_json:
            emit_json(result)
        else:
            click.echo(f"Tersimpan (saved): {cmd.label.pick(obj.lang)} — {result['number']}: {result['stage']}")
            for warning in result["warnings"]:
                click.echo(f"Perhatian (warning): {warning}", err=True)
    return run


def _register(cmd: Command) -> None:
    params = [click.Argument(["number"]),
              click.Option(["--actor"], required=True, metavar="PENGGUNA",
                           help="Pengguna yang mengambil langkah; hak aksesnya berlaku. (The user taking the step; "
                                "their access rules apply.)"),
              click.Option(["--version"], type=int, default=None,
                           help="Versi kasus yang Anda lihat; ditolak bila kasus telah berubah. (The case version "
                                "you saw; refused if the case has changed since.)")]
    if cmd.on_track:
        params.append(click.Option(["--track"], required=True, metavar="NIP",
                                   help="NIP ASN terlapor yang dituju langkah ini. (NIP of the reported ASN.)"))
    else:
        params.append(click.Option(["--track"], hidden=True, default=None))
    if cmd.act_field is None:
        params.append(click.Option(["--acted-on", "acted_on"], default=None, metavar="YYYY-MM-DD",
                                   help="Tanggal peristiwa terjadi (bawaan: hari ini). (The day the act happened; "
                                        "default: today.)"))
    else:  # the act's date is one of the step's own fields (the decree's date)
        params.append(click.Option(["--acted-on", "acted_on"], hidden=True, default=None))
    params += [_option(name, spec) for name, spec in cmd.input.specs()]
    command = click.Command(cmd.name, callback=_run(cmd), params=params,
                            help=f"{cmd.label.pick('id')} ({cmd.label.pick('en')})",
                            short_help=f"{cmd.label.pick('id')} ({cmd.label.pick('en')})")
    json_option(command)
    step_group.add_command(command)


for _cmd in COMMANDS.values():
    _register(_cmd)
