"""`netra`: the command line for operators and scripts. Help is Bahasa Indonesia first, English second.

Every command reads the database from NETRA_DATABASE_URL (default: the embedded SQLite file under var/) and exits
non-zero with a clear message when something is wrong."""
from __future__ import annotations

import getpass
import json
from functools import cached_property
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from casework.adapters import migrate
from casework.adapters.db import make_engine, session_factory
from casework.errors import CaseworkError
from casework.i18n.messages import message
from casework.settings import Settings


class Failure(click.ClickException):
    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"Kesalahan (error): {self.format_message()}", err=True)


class NetraCommand(click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Tampilkan bantuan ini. (Show this help.)"
        return option


class Context:
    def __init__(self, lang: str) -> None:
        self.settings = Settings.from_env()
        self.lang = lang

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def require_migrated(self) -> None:
        if migrate.current_revision(self.engine) != migrate.head_revision():
            raise CaseworkError("db.not_migrated")

    def fail(self, code: str, **params: Any) -> Failure:
        return Failure(message(code, self.lang, **params))


class NetraGroup(NetraCommand, click.Group):
    """Turns domain and database errors into a one-paragraph message in the user's language and exit code 1."""

    command_class = NetraCommand
    group_class = type

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CaseworkError as exc:
            raise Failure(exc.render(_lang(ctx))) from exc
        except (OperationalError, ProgrammingError, DBAPIError) as exc:
            settings = Settings.from_env()
            url = make_engine_url_safe(settings.database_url)
            detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            raise Failure(message("db.unreachable", _lang(ctx), url=url, detail=detail)) from exc
        except OSError as exc:  # a file that cannot be read or written: say which and why, no traceback
            raise Failure(message("io.failed", _lang(ctx), path=exc.filename or "-",
                                  detail=exc.strerror or str(exc))) from exc


def _lang(ctx: click.Context) -> str:
    obj = ctx.find_object(Context)
    return obj.lang if obj else Settings.from_env().lang


def make_engine_url_safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Keluaran JSON. (JSON output.)")


def operator_name() -> str:
    """Who runs a command on the server, as the audit trail names them: the login name of the shell."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without passwd entry)
        return "cli"


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=NetraGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["id", "en"]), envvar="NETRA_LANG", default="id", show_default=True,
              help="Bahasa pesan (message language).")
@click.pass_context
def cli(ctx: click.Context, lang: str) -> None:
    """Netra — penanganan pelanggaran netralitas ASN dalam Pemilu dan Pilkada.

    (Netra — case management for the neutrality of civil servants in elections.)

    Basis data dibaca dari NETRA_DATABASE_URL (bawaan: SQLite di var/netra.db).
    """
    ctx.obj = Context(lang)


