"""`netra backup` and `netra restore` (casework.backup; docker/README.md): one archive out, into an empty
installation in, checked."""
from __future__ import annotations

from pathlib import Path

import click

from casework.cli.base import Context, Failure, cli, emit_json, json_option
from casework.i18n.messages import message


@cli.command("backup")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Berkas arsip keluaran (.tar). (The archive to write.)")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Tulis arsip bernama waktu ke direktori ini. (Write a time-named archive into this directory.)")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Dengan --dir: simpan hanya N arsip terbaru. (With --dir: keep only the newest N archives.)")
@json_option
@click.pass_obj
def backup_cmd(obj: Context, out: str | None, directory: str | None, keep: int | None, as_json: bool) -> None:
    """Cadangkan basis data, bukti, SK, surat, kunci tanda tangan dan kunci rahasia ke satu arsip dengan manifest
    sha256 setiap berkas. (Back up the database, evidence, decrees, letters, signing keys and secret key into one
    archive with a manifest of every file's sha256.)"""
    from casework.backup.archive import archive_name, create, prune
    from casework.models import utcnow

    if (out is None) == (directory is None) or keep is not None and directory is None:
        raise obj.fail("backup.where")
    # no require_migrated(): an installation is backed up before it is upgraded, at whatever revision it is
    at = utcnow()
    path = Path(out) if out else Path(directory) / archive_name(at)
    manifest = create(obj.settings, path, at=at)
    removed = prune(Path(directory), keep) if keep else []
    db = manifest["database"]
    result = {"file": str(path), "created_at": manifest["created_at"], "revision": db["revision"],
              "rows": sum(db["tables"].values()), "tables": len(db["tables"]), "files": len(manifest["files"]),
              "removed": [str(p) for p in removed]}
    if as_json:
        emit_json(result)
        return
    click.echo(message("backup.written", obj.lang, path=path, rows=result["rows"], tables=result["tables"],
                       files=result["files"], revision=db["revision"]))
    for gone in removed:
        click.echo(message("backup.pruned", obj.lang, path=gone))


@cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@json_option
@click.pass_obj
def restore_cmd(obj: Context, archive: str, as_json: bool) -> None:
    """Pulihkan arsip `netra backup` ke instalasi kosong, jalankan migrasi yang dibutuhkan arsip lama, lalu periksa
    jumlah baris, rantai jejak audit dan hash setiap berkas. (Restore into an empty installation, migrate, check.)"""
    from casework.backup.archive import restore

    restored = restore(obj.settings, Path(archive))
    if as_json:
        emit_json(restored.as_dict())
        if not restored.ok:
            raise SystemExit(1)
        return
    checked = restored.checked
    click.echo(message("restore.done", obj.lang, archive=restored.archive, created=restored.created_at,
                       rows=sum(restored.tables.values()), tables=len(restored.tables), files=restored.files))
    click.echo(message("restore.migrated", obj.lang, start=restored.revision_from or "-", end=restored.revision_to,
                       count=len(restored.migrations)))
    click.echo(message("restore.checked", obj.lang, events=checked.audit_events, evidence=checked.evidence,
                       decrees=checked.decrees, letters=checked.letters))
    if not restored.ok:
        raise Failure("\n".join([*restored.problems, *checked.problems]))
