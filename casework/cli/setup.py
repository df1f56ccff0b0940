"""`netra db`, `netra regions`, `netra demo`: setting an installation up."""
from __future__ import annotations

import click

from casework.adapters import migrate
from casework.adapters.db import transaction
from casework.cli.base import Context, cli, emit_json, json_option
from casework.errors import CaseworkError


# --- db --------------------------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Basis data: migrasi skema. (Database: schema migrations.)"""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Migrasikan skema ke versi terbaru dan muat data rujukan. (Migrate to the latest schema, load reference data.)"""
    from casework.reference.sync import sync_reference_data

    migrate.upgrade(obj.engine)
    with transaction(obj.sessions) as session:
        sync_reference_data(session)
    click.echo(f"Skema pada revisi {migrate.current_revision(obj.engine)} (schema at revision).")


# --- regions ---------------------------------------------------------------------------------------------------
@cli.group()
def regions() -> None:
    """Wilayah Kemendagri: provinsi, kabupaten/kota, kecamatan. (Kemendagri regions.)"""


@regions.command("load")
@click.pass_obj
def regions_load(obj: Context) -> None:
    """Muat kode wilayah dari data bawaan (idempoten). (Load region codes from the bundled data; idempotent.)"""
    from casework.reference.regions import load_regions, region_stats

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        inserted = load_regions(session)
        stats = region_stats(session)
    click.echo(f"Ditambahkan (added): {inserted['provinces']} provinsi, {inserted['regencies']} kabupaten/kota, "
               f"{inserted['districts']} kecamatan.")
    click.echo(f"Jumlah (total): {stats['provinces']} / {stats['regencies']} / {stats['districts']}.")


@regions.command("stats")
@json_option
@click.pass_obj
def regions_stats(obj: Context, as_json: bool) -> None:
    """Hitung provinsi, kabupaten/kota dan kecamatan. (Count provinces, regencies and districts.)"""
    from casework.reference.regions import region_stats

    obj.require_migrated()
    with obj.sessions() as session:
        stats = region_stats(session)
    if as_json:
        emit_json(stats)
    else:
        click.echo(f"Provinsi (provinces):            {stats['provinces']:>6,}")
        click.echo(f"Kabupaten/kota (regencies):      {stats['regencies']:>6,}")
        click.echo(f"Kecamatan (districts):           {stats['districts']:>6,}")


# --- demo ------------------------------------------------------------------------------------------------------
@cli.group()
def demo() -> None:
    """Data demo (tokoh fiktif, lembaga dan tempat nyata). (Demo data: fictitious people, real places.)"""


def _demo():
    """The demo loader lives beside casework in a source checkout (demo/), not in the installed package: a
    production installation has no demo to load."""
    import importlib
    import sys

    from casework.settings import PROJECT_ROOT

    if str(PROJECT_ROOT) not in sys.path and (PROJECT_ROOT / "demo" / "loader.py").exists():
        sys.path.append(str(PROJECT_ROOT))
    try:
        return importlib.import_module("demo.loader")
    except ModuleNotFoundError:
        raise CaseworkError("demo.not_available", root=str(PROJECT_ROOT)) from None


@demo.command("load")
@click.pass_obj
def demo_load(obj: Context) -> None:
    """Muat data demo; memuat dua kali tidak mengubah apa pun. (Load demo data; loading twice changes nothing.)"""
    from casework.reference.regions import region_stats

    load_demo = _demo().load_demo

    obj.require_migrated()
    with transaction(obj.sessions) as session:
        if region_stats(session)["regencies"] == 0:
            raise CaseworkError("regions.not_loaded")
        result = load_demo(session, settings=obj.settings)
    # the demo's letters are signed too: a throw-away CA and a key per signing official (casework.signing.pki)
    from casework.cli.signing import install_demo_keys

    keys = install_demo_keys(obj) if obj.settings.signing_backend == "local" else 0
    click.echo(f"Kasus demo baru (new demo cases): {result['cases_added']}; "
               f"total kasus (total cases): {result['cases_total']}; pengguna demo (demo users): {result['users']}; "
               f"kunci tanda tangan demo baru (new demo signing keys): {keys}.")


@demo.command("logins")
@json_option
def demo_logins(as_json: bool) -> None:
    """Akun demo per peran. (Demo logins, one per role.)"""
    users = _demo().demo_users()
    if as_json:
        emit_json(users)
        return
    for user in users:
        click.echo(f"{user['username']:<18} {user['password']:<12} {', '.join(user['roles'])}")


