"""`netra letter`: letter kinds, drafts and issuing."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option
from casework.i18n.catalog import N_


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


def _principal(obj: Context, actor: str):
    """--actor NAME: a desk user's username (their access rules apply), or else the server's operator, recorded
    under that name (the command line on the server may issue any office's letters, like Netra itself)."""
    from casework.access.principal import operator, principal_named
    from casework.errors import NotFound

    with obj.sessions() as session:
        try:
            return principal_named(session, actor)
        except NotFound:
            return operator(actor)


def _save(obj: Context, letter, out: str | None) -> None:
    from pathlib import Path

    from casework.letters.issue import stored_pdf

    if out:
        with obj.sessions() as session:
            Path(out).write_bytes(stored_pdf(session, letter, obj.settings))
    click.echo(f"Diterbitkan (issued): {letter.number}  sha256 {letter.sha256}" + (f"  -> {out}" if out else ""))
    if letter.signer_name:
        click.echo(f"Penanda tangan (signer): {letter.signer_name}, {letter.signer_title}")
    with obj.sessions() as session:
        signed = _signatures(session, letter.id)
    if signed:
        click.echo("Tanda tangan elektronik (certified signatures): " + " → ".join(signed))
    click.echo(f"Verifikasi (verify): {obj.settings.base_url.rstrip('/')}/verifikasi/{letter.verify_token}")


def _signatures(session, letter_id: int) -> list[str]:
    from sqlalchemy import select

    from casework.models import LetterSignature

    rows = session.scalars(select(LetterSignature).where(LetterSignature.letter_id == letter_id)
                           .order_by(LetterSignature.position))
    return [f"{'paraf' if row.role == 'paraf' else 'ttd'} {row.name}" for row in rows]


@letter.command("render")
@click.argument("case_number")
@click.argument("kind")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Berkas PDF keluaran. (Output PDF file.)")
@click.option("--issue", is_flag=True,
              help="Terbitkan surat yang terutang: beri nomor dan catat (tanpa ini: draf tanpa nomor). "
                   "(Issue the letter the case is owed: number and record it.)")
@click.option("--recipient", default=0, show_default=True,
              help="Nomor urut penerima bila lebih dari satu (0 = pertama). (Addressee index.)")
@click.option("--actor", default="netra-cli", show_default=True,
              help="Pengguna desk (aturannya berlaku) atau nama operator pencatat. "
                   "(A desk user, whose rules apply, or the operator's name as recorded.)")
@click.option("--signer", default=None, metavar="ID|NAMA",
              help="Pejabat penanda tangan kantor itu yang bertugas (nomor atau nama); bawaan: penerbit bila ia "
                   "pejabat penanda tangan, selain itu ketua yang bertugas. (The office's signing official on duty, "
                   "by id or name; default: the issuer if they sign, else the head on duty.)")
@click.pass_obj
def letter_render(obj: Context, case_number: str, kind: str, out: str, issue: bool, recipient: int,
                  actor: str, signer: str | None) -> None:
    """Buat surat suatu kasus sebagai PDF. (Render a case's letter to PDF.)

    Dengan --issue, permintaan surat yang terutang (jenis + penerima) diklaim sekali: surat yang sudah terbit
    tidak diberi nomor kedua. (With --issue the owed request is claimed once: never a second number.)"""
    from pathlib import Path

    from casework.letters.addressees import addressees
    from casework.letters.issue import issue_letter
    from casework.letters.kinds import get_kind
    from casework.letters.render import render_draft
    from casework.letters.requests import find_request
    from casework.models import Letter, utcnow
    from casework.reference.timezones import local_today
    from casework.road.cases import get_case

    obj.require_migrated()
    get_kind(kind)
    if issue:
        principal = _principal(obj, actor)
        with obj.sessions() as session:
            case = get_case(session, case_number)
            on = local_today(case.office.timezone, utcnow())
            request = find_request(session, case, kind, recipient, on)
            if request is None or request.status not in ("open", "claimed"):
                live = session.get(Letter, request.letter_id) if request is not None and request.letter_id else None
                addressee = addressees(session, case, get_kind(kind), on)[recipient].label
                if live is not None:
                    raise obj.fail("letter.none_owed_issued", case=case.number, kind=kind, addressee=addressee,
                                   number=live.number)
                raise obj.fail("letter.none_owed", case=case.number, kind=kind, addressee=addressee)
            request_id = request.id
        _save(obj, issue_letter(obj.sessions, request_id, principal, settings=obj.settings, signer=signer), out)
    else:
        with obj.sessions() as session:
            data = render_draft(session, case_number, kind, recipient=recipient,
                                base_url=obj.settings.base_url)
        Path(out).write_bytes(data)
        click.echo(f"Draf (draft, no number used) -> {out}")


@letter.command("owed")
@click.argument("case_number")
@json_option
@click.pass_obj
def letter_owed(obj: Context, case_number: str, as_json: bool) -> None:
    """Surat yang masih terutang pada suatu kasus. (The letters a case is still owed.)"""
    from casework.letters.requests import describe, owed
    from casework.road.cases import get_case

    obj.require_migrated()
    with obj.sessions() as session:
        case = get_case(session, case_number)
        rows = [describe(session, row, obj.lang) for row in owed(session, case)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Tidak ada surat terutang. (Nothing owed.)")
    for row in rows:
        if row["status"] == "open":
            state = OWED.pick(obj.lang)
        else:
            state = CLAIMED.pick(obj.lang).format(actor=row["claimed_by"], number=row["reserved_number"] or "-")
            state += f" — {ABANDONED.pick(obj.lang)}" if row["abandoned"] else ""
        click.echo(f"{row['id']:>6}  {row['kind']:<28} {row['addressee']:<40} {state}")


OWED = N_("terutang")
CLAIMED = N_("sedang diterbitkan oleh {actor} (nomor {number})")
ABANDONED = N_("terhenti")


@letter.command("correct")
@click.argument("number")
@click.option("--reason", required=True, help="Mengapa diterbitkan ulang (tampil pada verifikasi publik). "
                                              "(Why it is reissued; shown on the public verification page.)")
@click.option("--actor", required=True, help="Pengguna desk atau nama operator. (A desk user or the operator.)")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Simpan PDF surat baru. (Save the new letter's PDF.)")
@click.option("--signer", default=None, metavar="ID|NAMA",
              help="Pejabat penanda tangan (nomor atau nama); bawaan seperti render --issue. "
                   "(The signing official, by id or name; default as for render --issue.)")
@click.pass_obj
def letter_correct(obj: Context, number: str, reason: str, actor: str, out: str | None, signer: str | None) -> None:
    """Terbitkan ulang surat yang sudah terbit (koreksi) dengan nomor baru; surat lama ditandai diganti.
    (Reissue an issued letter under a new number; the earlier one is marked superseded.)"""
    from casework.letters.issue import correct_letter

    obj.require_migrated()
    new = correct_letter(obj.sessions, number, _principal(obj, actor), reason=reason, settings=obj.settings,
                         signer=signer)
    click.echo(f"{number} diganti oleh (superseded by) {new.number}")
    _save(obj, new, out)


@letter.command("link")
@click.argument("number")
@click.option("--reissue", is_flag=True, help="Cabut tautan yang berlaku dan buat yang baru (dikirim ke penerima). "
              "(Revoke the live link and make a new one, emailed to the addressee.)")
@click.option("--actor", default=None, help="Pengguna desk yang mencabut (wajib dengan --reissue). "
              "(The desk user revoking it; required with --reissue.)")
@json_option
@click.pass_obj
def letter_link(obj: Context, number: str, reissue: bool, actor: str | None, as_json: bool) -> None:
    """Tautan penerima surat: keadaannya dan alamatnya; --reissue membuat yang baru.
    (A letter's addressee link: its state and address; --reissue makes a new one.)"""
    from casework.adapters.db import transaction
    from casework.letters.issue import get_letter
    from casework.letters.links import link_state, live_link, reissue as reissue_link, url_of
    from casework.mail.correspondence import letter_recipients, queue_link_email
    from casework.models import Case

    obj.require_migrated()
    if reissue and not actor:
        raise click.UsageError("--reissue butuh --actor (needs --actor)")
    with transaction(obj.sessions) as session:
        letter = get_letter(session, number)
        if reissue:
            principal = _principal(obj, actor)
            reissue_link(session, letter, obj.settings, principal)
            case = session.get(Case, letter.case_id)
            queue_link_email(session, case, letter, letter_recipients(session, case, letter), settings=obj.settings,
                             actor=principal.username)
        state = link_state(session, letter.id) or {}
        live = live_link(session, letter.id)
        state["url"] = url_of(live, obj.settings) if live is not None else None
    if as_json:
        emit_json({"number": number, **state})
        return
    if not state.get("id"):
        click.echo(f"Surat {number} belum punya tautan penerima. (No addressee link yet.)")
        return
    said = ("dikonfirmasi (confirmed): " + f"{state['acknowledged_by']} ({state['acknowledged_position']}), "
            f"diterima (received) {state['acknowledged_on']}") if state["acknowledged"] else \
        ("dibuka (opened)" if state["opened"] else "belum dibuka (not opened)")
    click.echo(f"{number}: {said}; {'berlaku s.d.' if state['live'] else 'tidak berlaku (not live) —'} "
               f"{state['expires_on']}")
    if state["url"]:
        click.echo(f"Tautan (link): {state['url']}")
