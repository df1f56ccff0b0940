"""`netra inbox`: initial information (casework.inbox) — an email handed over by the mail server, WhatsApp media
fetched, the inbox listed and triaged as a handler (--actor)."""
from __future__ import annotations

import sys

import click

from casework.cli.base import Context, cli, emit_json, json_option


@cli.group()
def inbox() -> None:
    """Informasi awal: email, WhatsApp, formulir publik. (Initial information: email, WhatsApp, the public form.)"""


def _item(item) -> dict:
    return {"id": item.id, "channel": item.channel, "office": item.office.code if item.office else None,
            "received_at": item.received_at.isoformat(), "sender": item.sender_name, "contact": item.sender_contact,
            "subject": item.subject, "status": item.status, "case": item.case.number if item.case else None,
            "reason": item.reason, "files": [m.get("name") for m in item.media]}


@inbox.command("mail")
@click.option("--office", default=None, metavar="KODE", help="Kantor penerima; tanpa ini: menurut alamat tujuan. "
                                                             "(The receiving office; default: by the To address.)")
@json_option
@click.pass_obj
def inbox_mail(obj: Context, office: str | None, as_json: bool) -> None:
    """Terima satu email (RFC 5322) dari stdin sebagai informasi awal. (Receive one email from stdin.)"""
    from casework.adapters.db import transaction
    from casework.inbox.mail import receive_email

    obj.require_migrated()
    raw = sys.stdin.buffer.read()
    with transaction(obj.sessions) as session:
        item = _item(receive_email(session, raw, settings=obj.settings, office_code=office))
    if as_json:
        emit_json(item)
        return
    click.echo(f"Informasi awal #{item['id']} diterima (received) — {item['office'] or 'belum ditujukan (unrouted)'}")


@inbox.command("fetch-media")
@json_option
@click.pass_obj
def inbox_fetch_media(obj: Context, as_json: bool) -> None:
    """Unduh media WhatsApp yang belum diambil. (Download WhatsApp media not fetched yet.)"""
    from casework.inbox.whatsapp import fetch_media

    obj.require_migrated()
    result = fetch_media(obj.sessions, settings=obj.settings)
    if as_json:
        emit_json(result)
        return
    click.echo(f"Diambil (fetched): {result['fetched']}; ditolak (refused): {result['refused']}; gagal, dicoba lagi "
               f"(failed, retried): {result['failed']}")


@inbox.command("list")
@click.option("--actor", required=True, metavar="PENGGUNA", help="Penangan yang melihat. (The handler looking.)")
@click.option("--status", type=click.Choice(["new", "taken_up", "linked", "dismissed", "all"]), default="new")
@json_option
@click.pass_obj
def inbox_list(obj: Context, actor: str, status: str, as_json: bool) -> None:
    """Kotak masuk informasi awal seorang penangan. (A handler's inbox.)"""
    from casework.access.principal import principal_named
    from casework.inbox.items import inbox as items

    obj.require_migrated()
    with obj.sessions() as session:
        rows = [_item(i) for i in items(session, principal_named(session, actor),
                                        status=None if status == "all" else status)]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        click.echo(f"#{row['id']}  {row['received_at'][:16]}  {row['channel']:<8} {row['status']:<9} "
                   f"{row['sender'] or row['contact']}: {row['subject'] or ''}")


def _triage(obj: Context, actor: str, act, as_json: bool, said: str) -> None:
    """One triage as `actor` (casework.inbox.items: `act(session, principal)`), in its own transaction."""
    from casework.access.principal import principal_named
    from casework.adapters.db import transaction

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        row = _item(act(session, principal_named(session, actor)))
    if as_json:
        emit_json(row)
        return
    click.echo(said.format(**row))


@inbox.command("dismiss")
@click.argument("item_id", type=int)
@click.option("--actor", required=True, metavar="PENGGUNA")
@click.option("--reason", required=True, help="Alasan, mis. spam. (The reason, e.g. spam.)")
@json_option
@click.pass_obj
def inbox_dismiss(obj: Context, item_id: int, actor: str, reason: str, as_json: bool) -> None:
    """Tutup satu informasi awal dengan alasan. (Dismiss an item with a reason.)"""
    from casework.inbox.items import dismiss

    _triage(obj, actor, lambda session, who: dismiss(session, who, item_id, reason), as_json,
            "Informasi awal #{id}: {status}")


@inbox.command("link")
@click.argument("item_id", type=int)
@click.argument("number")
@click.option("--actor", required=True, metavar="PENGGUNA")
@json_option
@click.pass_obj
def inbox_link(obj: Context, item_id: int, number: str, actor: str, as_json: bool) -> None:
    """Kaitkan satu informasi awal ke kasus yang ada. (Link an item to an existing case.)"""
    from casework.inbox.items import link

    _triage(obj, actor, lambda session, who: link(session, who, item_id, number), as_json,
            "Informasi awal #{id} dikaitkan ke (linked to) {case}")
