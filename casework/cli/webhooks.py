"""`netra webhook`: an account's webhook subscriptions (docs/webhooks.md) — add one (its secret printed once), list,
remove, show the secret again to the operator on the server, send what is due, list the deliveries."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option, operator_name


@cli.group()
def webhook() -> None:
    """Webhook: kabar kejadian kasus ke sistem lain. (Webhooks: case events to other systems.)"""


@webhook.command("add")
@click.argument("username")
@click.option("--url", required=True, help="Alamat penerima (https). (The receiver's URL, https.)")
@click.option("--event", "events", multiple=True, required=True,
              help="Kejadian, boleh berulang: case.opened, stage.changed, deadline.missed, letter.issued, "
                   "acknowledgement.received. (Event, repeatable.)")
@json_option
@click.pass_obj
def webhook_add(obj: Context, username: str, url: str, events: tuple[str, ...], as_json: bool) -> None:
    """Langganan untuk akun USERNAME; yang dikirim hanya kasus yang boleh dilihat akun itu. (A subscription for the
    account; it hears only of what that account may see.)"""
    from casework.adapters.db import transaction
    from casework.webhooks.subscriptions import subscribe

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        subscription, secret = subscribe(session, username=username, url=url, events=list(events),
                                         actor=operator_name(), settings=obj.settings)
        out = {"id": subscription.id, "user": username, "url": subscription.url, "events": subscription.events,
               "secret": secret}
    if as_json:
        emit_json(out)
        return
    click.echo(f"Langganan #{out['id']} (subscription) → {out['url']}: {', '.join(out['events'])}")
    click.echo("Rahasia penanda tangan (signing secret; keep it now):")
    click.echo(secret)


@webhook.command("list")
@json_option
@click.pass_obj
def webhook_list(obj: Context, as_json: bool) -> None:
    """Daftar langganan. (The subscriptions.)"""
    from casework.webhooks.subscriptions import listing

    obj.require_migrated()
    with obj.sessions() as session:
        rows = listing(session)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']:>4} {'aktif' if r['active'] else 'dihapus':<8} {r['user']:<20} {r['url']}  "
                   f"[{', '.join(r['events'])}]")


@webhook.command("remove")
@click.argument("subscription_id", type=int)
@json_option
@click.pass_obj
def webhook_remove(obj: Context, subscription_id: int, as_json: bool) -> None:
    """Hapus langganan; kiriman yang belum terkirim dibatalkan. (Remove it; deliveries not yet made are
    cancelled.)"""
    from casework.adapters.db import transaction
    from casework.webhooks.subscriptions import unsubscribe

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        cancelled = unsubscribe(session, subscription_id, actor=operator_name())
    if as_json:
        emit_json({"id": subscription_id, "cancelled": cancelled})
    else:
        click.echo(f"Langganan #{subscription_id} dihapus (removed); {cancelled} kiriman dibatalkan (cancelled).")


@webhook.command("secret")
@click.argument("subscription_id", type=int)
@click.pass_obj
def webhook_secret(obj: Context, subscription_id: int) -> None:
    """Tampilkan lagi rahasianya (operator di server). (Show its secret again: the operator on the server.)"""
    from casework.errors import NotFound
    from casework.models import WebhookSubscription
    from casework.webhooks.subscriptions import secret_of

    obj.require_migrated()
    with obj.sessions() as session:
        subscription = session.get(WebhookSubscription, subscription_id)
        if subscription is None:
            raise NotFound("webhook.unknown", id=subscription_id)
        click.echo(secret_of(subscription, obj.settings))


@webhook.command("send")
@json_option
@click.pass_obj
def webhook_send(obj: Context, as_json: bool) -> None:
    """Kirim kiriman yang jatuh tempo sekarang (Airflow melakukannya tiap menit). (Send what is due now; Airflow's
    reconcile does it every minute.)"""
    from casework.webhooks.delivery import send_pending

    obj.require_migrated()
    result = send_pending(obj.sessions, settings=obj.settings)
    if as_json:
        emit_json(result.as_dict())
    else:
        click.echo(f"Terkirim (delivered) {result.delivered}, gagal (failed, retried later) {result.failed}, "
                   f"berhenti (dead) {result.dead}.")


@webhook.command("deliveries")
@click.option("--status", default=None, help="pending, sending, sent, failed, dead, cancelled")
@json_option
@click.pass_obj
def webhook_deliveries(obj: Context, status: str | None, as_json: bool) -> None:
    """Kiriman terakhir, terbaru dulu. (The latest deliveries, newest first.)"""
    from sqlalchemy import select

    from casework.models import WebhookDelivery

    obj.require_migrated()
    with obj.sessions() as session:
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(200)
        if status:
            stmt = stmt.where(WebhookDelivery.status == status)
        rows = [{"id": d.id, "subscription": d.subscription_id, "event_id": d.event_id, "type": d.event_type,
                 "status": d.status, "attempts": d.attempts, "last_status": d.last_status,
                 "last_error": d.last_error, "next_attempt_at": d.next_attempt_at, "sent_at": d.sent_at}
                for d in session.scalars(stmt)]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']:>6} #{r['subscription']:<4} {r['type']:<26} {r['status']:<9} x{r['attempts']} "
                   f"{r['last_error'] or ''}")
