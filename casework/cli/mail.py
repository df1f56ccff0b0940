"""`netra mail`: the notice sweep and the outbox (what Airflow's `reconcile` runs; also by hand or from cron)."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option, operator_name


@cli.group()
def mail() -> None:
    """Pengingat, eskalasi dan kotak keluar email. (Reminders, escalation and the email outbox.)"""


@mail.command("sweep")
@json_option
@click.pass_obj
def mail_sweep(obj: Context, as_json: bool) -> None:
    """Antrekan pengingat, pemberitahuan terlambat dan ringkasan harian yang jatuh waktu sekarang.
    (Queue every reminder, overdue notice and daily digest due now.)"""
    from casework.deadlines import notices
    from casework.prevention import warnings

    obj.require_migrated()
    result = {**notices.sweep(obj.sessions, settings=obj.settings).as_dict(),
              "digests": notices.queue_digests(obj.sessions, settings=obj.settings),
              "early_warning": warnings.queue_digests(obj.sessions, settings=obj.settings)}
    if as_json:
        emit_json(result)
        return
    click.echo(f"Tenggat diperiksa (deadlines looked at): {result['looked_at']}; email diantrekan (queued): "
               f"{result['queued']}; eskalasi PPK (escalations): {result['escalated']}; ringkasan (digests): "
               f"{result['digests']}; peringatan dini (early warning): {result['early_warning']}")


@mail.command("send")
@json_option
@click.pass_obj
def mail_send(obj: Context, as_json: bool) -> None:
    """Kirim email yang menunggu di kotak keluar. (Send the outbox's pending email.)"""
    from casework.mail import outbox

    obj.require_migrated()
    result = outbox.send_pending(obj.sessions, settings=obj.settings).as_dict()
    if as_json:
        emit_json(result)
        return
    click.echo(f"Terkirim (sent): {result['sent']}; gagal, dicoba lagi nanti (failed, retried later): "
               f"{result['failed']}")


@mail.command("list")
@click.option("--stuck", is_flag=True, help="Hanya yang macet saat dikirim; periksa manual. (Only rows a sender "
                                           "left mid-send; check them by hand.)")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]), default=None,
              help="Saring menurut status. (Filter by status.)")
@json_option
@click.pass_obj
def mail_list(obj: Context, stuck: bool, status: str | None, as_json: bool) -> None:
    """Isi kotak keluar, terbaru dahulu. (The outbox, newest first.)"""
    from sqlalchemy import select

    from casework.mail.outbox import message_id
    from casework.models import OutboxMessage

    obj.require_migrated()
    with obj.sessions() as session:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
        if stuck or status:
            stmt = stmt.where(OutboxMessage.status == ("sending" if stuck else status))
        rows = [{"id": m.id, "status": m.status, "purpose": m.purpose, "to": m.recipients, "subject": m.subject,
                 "attempts": m.attempts, "error": m.last_error, "key": m.dedup_key,
                 "message_id": message_id(m.dedup_key, obj.settings.mail_from),
                 "created_at": m.created_at.isoformat(), "sent_at": m.sent_at.isoformat() if m.sent_at else None}
                for m in session.scalars(stmt)]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']:>6} {r['status']:<8} {r['purpose']:<28} {', '.join(r['to'])[:50]:<50} {r['subject']}")
    click.echo(f"{len(rows)} email.")


@mail.command("resolve")
@click.argument("outbox_id", type=int)
@click.option("--sent", "went", flag_value=True, default=None,
              help="Sudah diterima server email (cari Message-ID-nya di log server). (The mail server has it: its "
                   "Message-ID is in the server's log.)")
@click.option("--resend", "went", flag_value=False,
              help="Belum diterima; kirim lagi. (The server does not have it: send it again.)")
@json_option
@click.pass_obj
def mail_resolve(obj: Context, outbox_id: int, went: bool | None, as_json: bool) -> None:
    """Jawab email yang macet saat dikirim (lihat `netra mail list --stuck`). (Answer for an email a sender left
    mid-send, after checking the mail server's log.)"""
    from casework.adapters.db import transaction
    from casework.i18n.messages import message
    from casework.mail.outbox import resolve_stuck

    if went is None:
        raise obj.fail("mail.resolve_how")
    obj.require_migrated()
    with transaction(obj.sessions) as session:
        row = resolve_stuck(session, outbox_id, went=went, actor=operator_name())
        result = {"id": row.id, "status": row.status, "key": row.dedup_key}
    if as_json:
        emit_json(result)
        return
    click.echo(message("mail.resolved_sent" if went else "mail.resolved_resend", obj.lang, id=outbox_id))
