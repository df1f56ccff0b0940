"""`netra letter`: letter kinds, drafts and issuing."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option


# --- letters ---------------------------------------------------------------------------------------------------
@cli.group()
def letter() -> None:
    """Surat dinas: jenis, pratinjau, penerbitan. (Formal letters: kinds, preview, issuing.)"""


@letter.command("kinds")
@json_option
@click.pass_obj
def letter_kinds_cmd(obj: Context, as_json: bool) -> None:
    """Daftar jenis surat. (List the letter kinds.)"""
    from casework.letters.kinds import letter_kinds

    kinds = [{"kind": k.code, "label": k.label(obj.lang), "hal": k.hal, "classification": k.classification,
              "sifat": k.sifat, "recipient": k.recipient} for k in letter_kinds().values()]
    if as_json:
        emit_json(kinds)
        return
    for k in kinds:
        click.echo(f"{k['kind']:<28} {k['classification']:<9} {k['label']}")


@letter.command("render")
@click.argument("case_number")
@click.argument("kind")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas PDF keluaran. (Output PDF file.)")
@click.option("--issue", is_flag=True,
              help="Terbitkan: beri nomor dan catat (tanpa ini: draf tanpa nomor). (Issue: number and record it.)")
@click.option("--recipient", default=0, show_default=True,
              help="Nomor urut penerima bila lebih dari satu (0 = pertama). (Addressee index.)")
@click.option("--actor", default="netra-cli", show_default=True, help="Nama pengguna pencatat. (Who issues it.)")
@click.pass_obj
def letter_render(obj: Context, case_number: str, kind: str, out: str, issue: bool, recipient: int,
                  actor: str) -> None:
    """Buat surat suatu kasus sebagai PDF. (Render a case's letter to PDF.)"""
    from pathlib import Path

    from casework.letters.issue import issue_letter, stored_pdf
    from casework.letters.kinds import get_kind
    from casework.letters.render import render_draft

    obj.require_migrated()
    get_kind(kind)
    if issue:
        issued = issue_letter(obj.sessions, case_number, kind, actor=actor, recipient=recipient,
                              settings=obj.settings)
        with obj.sessions() as session:
            data = stored_pdf(session, issued, obj.settings)
        Path(out).write_bytes(data)
        click.echo(f"Diterbitkan (issued): {issued.number}  sha256 {issued.sha256}  -> {out}")
        click.echo(f"Verifikasi (verify): {obj.settings.base_url.rstrip('/')}/verifikasi/{issued.verify_token}")
    else:
        with obj.sessions() as session:
            data = render_draft(session, case_number, kind, recipient=recipient)
        Path(out).write_bytes(data)
        click.echo(f"Draf (draft, no number used) -> {out}")


