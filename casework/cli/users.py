"""`netra user`: desk accounts from the server's command line — above all the first system administrator of a
production install, which has no desk user yet. The same rules as the desk's user form (casework.accounts.users)."""
from __future__ import annotations


import click
from sqlalchemy import select

from casework.accounts.users import AccountState, create_account, save_account, sees_cases
from casework.adapters.db import transaction
from casework.cli.base import Context, cli, emit_json, json_option, operator_name
from casework.errors import CaseworkError
from casework.models import User


@cli.group()
def user() -> None:
    """Akun desk: membuat akun dan tautan aktivasinya. (Desk accounts: creating them and their activation links.)"""


@user.command("create")
@click.argument("username")
@click.option("--full-name", required=True, help="Nama lengkap. (Full name.)")
@click.option("--email", default="", help="Alamat email; wajib untuk peran yang melihat kasus. (Email address; "
                                          "required for a role that sees cases.)")
@click.option("--role", "roles", multiple=True, required=True,
              help="Peran, boleh berulang: sysadmin, bawaslu_handler, bawaslu_head, oversight_officer, "
                   "bkpsdm_officer, auditor. (Role, repeatable.)")
@click.option("--office", default=None, help="Kode kantor Bawaslu, mis. bawaslu-6402. (Bawaslu office code.)")
@click.option("--agency", default=None, help="Kode instansi, mis. pemkab-6402. (Agency code.)")
@click.option("--oversight-body", default=None, help="Kode badan pengawas: KASN atau BKN. (Oversight body code.)")
@click.option("--integration", is_flag=True, help="Akun untuk sistem lain: hanya token API, tanpa masuk desk dan "
                                                  "tanpa email (docs/api.md). (An account for another system: API "
                                                  "tokens only, no desk sign-in, no email.)")
@json_option
@click.pass_obj
def user_create(obj: Context, username: str, full_name: str, email: str, roles: tuple[str, ...], office: str | None,
                agency: str | None, oversight_body: str | None, integration: bool, as_json: bool) -> None:
    """Buat akun. Akun yang melihat kasus menerima tautan aktivasi lewat email (dikirim oleh `netra mail send` atau
    Airflow) dan tautannya tidak dicetak; akun administrator sistem mendapat tautannya di layar, karena operator
    menjalankan perintah ini di server. (Create an account. An account that sees cases gets its activation link by
    email only; a system administrator's link is printed here, for the operator on the server.)"""
    obj.require_migrated()
    with transaction(obj.sessions) as session:
        account, outcome = create_account(
            session, username=username, full_name=full_name, email=email, roles=list(roles), actor=operator_name(),
            base_url=obj.settings.base_url, office=office, agency=agency, oversight_body=oversight_body,
            integration=integration)
        _report(account, outcome, as_json, created=True)


@user.command("activate")
@click.argument("username")
@json_option
@click.pass_obj
def user_activate(obj: Context, username: str, as_json: bool) -> None:
    """Kirim tautan aktivasi baru (lupa kata sandi, atau kata sandi yang pernah diatur orang lain); kata sandi lama
    berlaku sampai tautan dipakai. (A new activation link: a forgotten password, or one someone else once set.)"""
    obj.require_migrated()
    with transaction(obj.sessions) as session:
        account = session.scalar(select(User).where(User.username == username))
        if account is None:
            raise CaseworkError("user.unknown", username=username)
        outcome = save_account(session, account, before=AccountState.of(account), actor=operator_name(),
                               base_url=obj.settings.base_url, send_activation=True)
        _report(account, outcome, as_json, created=False)


def _report(account: User, outcome, as_json: bool, *, created: bool) -> None:
    """What happened; the activation URL only for an account that does not see cases."""
    roles = sorted(r.code for r in account.roles)
    printable = outcome.activation is not None and not sees_cases(roles)
    if as_json:
        emit_json({"username": account.username, "created": created, "roles": roles,
                   "activation_emailed_to": account.email if outcome.activation and account.email else None,
                   "activation_url": outcome.activation.url if printable else None,
                   "expires_at": outcome.activation.link.expires_at if outcome.activation else None,
                   "notice_to": outcome.notice_to})
        return
    done = "dibuat (created)" if created else "diperbarui (updated)"
    click.echo(f"Akun {account.username} {done}; peran (roles): {', '.join(roles) or '-'}.")
    if outcome.activation is not None and account.email:
        click.echo(f"Tautan aktivasi diantrekan ke {account.email}; `netra mail send` (atau Airflow) mengirimnya. "
                   f"(Activation link queued to {account.email}.)")
    if printable:
        click.echo("Tautan aktivasi (berlaku 72 jam, sekali pakai; simpan hanya sampai dipakai) / activation link "
                   "(72 hours, single use):")
        click.echo(outcome.activation.url)
    elif outcome.activation is not None:
        click.echo("Tautan tidak dicetak: akun yang melihat kasus membuat kata sandinya sendiri. (Not printed: an "
                   "account that sees cases sets its own password.)")
    if outcome.notice_to:
        click.echo(f"Pemberitahuan diantrekan ke (notice queued to): {', '.join(outcome.notice_to)}")
