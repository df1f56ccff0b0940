"""`netra api`: tokens of the REST API (docs/api.md) — made for an account (a person's, or an integration's made
with `netra user create --integration`), listed, revoked. The secret is printed once, when it is made."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option, operator_name


@cli.group()
def api() -> None:
    """REST API /api/v1: token akses. (The REST API's access tokens.)"""


@api.group("token")
def token() -> None:
    """Token API: buat, daftar, cabut. (API tokens: create, list, revoke.)"""


@token.command("create")
@click.argument("username")
@click.option("--label", required=True, help="Untuk apa token ini, mis. nama sistemnya. (What it is for.)")
@click.option("--write", is_flag=True, help="Boleh mengambil langkah (bawaan: hanya membaca). (May take steps; "
                                            "default: read only.)")
@click.option("--days", type=int, default=None, help="Berlaku sekian hari (bawaan: sampai dicabut). (Expires after "
                                                     "so many days; default: until revoked.)")
@json_option
@click.pass_obj
def token_create(obj: Context, username: str, label: str, write: bool, days: int | None, as_json: bool) -> None:
    """Buat token untuk akun USERNAME; rahasianya dicetak sekali ini saja. (Make a token; its secret is printed
    this once only.)"""
    from casework.accounts.tokens import make_token
    from casework.adapters.db import transaction

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        made = make_token(session, username=username, label=label, write=write, actor=operator_name(), days=days)
        out = {"id": made.token.id, "user": username, "label": made.token.label, "prefix": made.token.prefix,
               "write": made.token.can_write, "expires_at": made.token.expires_at, "token": made.secret}
    if as_json:
        emit_json(out)
        return
    click.echo(f"Token #{out['id']} untuk (for) {username} — {'baca-tulis (read-write)' if write else 'baca (read)'}"
               f"{', berlaku s.d. (until) ' + out['expires_at'].isoformat()[:10] if out['expires_at'] else ''}.")
    click.echo("Simpan sekarang; tidak akan ditampilkan lagi (keep it now; it is not shown again):")
    click.echo(made.secret)


@token.command("list")
@click.option("--user", "username", default=None, help="Hanya token akun ini. (Only this account's tokens.)")
@json_option
@click.pass_obj
def token_list(obj: Context, username: str | None, as_json: bool) -> None:
    """Daftar token (tanpa rahasianya). (The tokens, never their secrets.)"""
    from casework.accounts.tokens import list_tokens

    obj.require_migrated()
    with obj.sessions() as session:
        rows = list_tokens(session, username)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']:>4} {r['prefix']}… {r['user']:<20} {'rw' if r['write'] else 'r '} {r['state']:<8} "
                   f"{r['label']}  (dipakai/used: {(r['last_used_at'] or '-')[:16]})")


@token.command("revoke")
@click.argument("token_id", type=int)
@json_option
@click.pass_obj
def token_revoke(obj: Context, token_id: int, as_json: bool) -> None:
    """Cabut token; berlaku seketika. (Revoke a token, at once.)"""
    from casework.accounts.tokens import revoke_token
    from casework.adapters.db import transaction

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        t = revoke_token(session, token_id, actor=operator_name())
        out = {"id": t.id, "prefix": t.prefix, "revoked_at": t.revoked_at, "revoked_by": t.revoked_by}
    if as_json:
        emit_json(out)
    else:
        click.echo(f"Token #{out['id']} ({out['prefix']}…) dicabut (revoked).")
