"""`netra backup` and `netra restore` (issue 24 item 1; docker/README.md): one archive holds Netra's database,
the evidence and decree files, the letters, the signing keys and the secret key, with a manifest of each file's
sha256. A restore goes into an empty installation only, checks every file against the manifest first, loads the
database, runs the migrations an older archive needs, and then checks what it restored: every table's row count
against the manifest, the audit trail's hash chain, and the hash of every evidence file, decree and letter the
database names.

The database is copied first and the files after it: a file is written before the row that names it commits, so
every file the copy names is there; a file newer than the copy is carried but named by nothing. The archive holds
personal data and the keys — it is as secret as the server (docker/README.md says where to keep it)."""
from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory

from casework.adapters import migrate
from casework.adapters.db import make_engine
from casework.backup import database
from casework.backup.verify import Checked, check_installation, file_sha256
from casework.errors import CaseworkError
from casework.models import utcnow
from casework.settings import Settings

FORMAT, VERSION = "netra.backup", 1
MANIFEST = "manifest.json"


def _trees(settings: Settings) -> dict[str, Path]:
    """What a backup carries besides the database, by its name in the archive (decrees live under evidence)."""
    return {"evidence": settings.evidence_dir, "letters": settings.letters_dir, "signing": settings.signing_path,
            "secret_key": settings.var_dir / "secret_key"}


@dataclass
class Restored:
    archive: str
    created_at: str
    revision_from: str | None
    revision_to: str
    migrations: list[str]
    tables: dict[str, int]
    files: int
    checked: Checked
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.checked.ok

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok, "checked": self.checked.as_dict()}


def create(settings: Settings, out: Path, *, at: datetime | None = None) -> dict:
    """Write the archive to `out` (atomically: a half-written archive never has the final name); its manifest."""
    at = at or utcnow()
    engine = make_engine(settings.database_url)
    with tempfile.TemporaryDirectory(prefix="netra-backup-") as tmp:
        stage = Path(tmp)
        (stage / "database").mkdir()
        try:
            revision = migrate.current_revision(engine)
            db_file, rows = database.dump(engine, stage / "database")
        finally:
            engine.dispose()
        members = {f"database/{db_file}": stage / "database" / db_file}
        for name, source in _trees(settings).items():
            if source.is_file():
                members[f"files/{name}"] = source
            elif source.is_dir():
                members |= {f"files/{name}/{p.relative_to(source).as_posix()}": p
                            for p in sorted(source.rglob("*")) if p.is_file()}
        manifest = {"format": FORMAT, "version": VERSION, "created_at": at.isoformat().replace("+00:00", "Z"),
                    "database": {"dialect": engine.dialect.name, "revision": revision, "file": f"database/{db_file}",
                                 "tables": rows},
                    "files": [{"path": path, "size": src.stat().st_size, "sha256": file_sha256(src)}
                              for path, src in members.items()]}
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(at.timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
            for path, src in members.items():
                archive.add(src, arcname=path, recursive=False, filter=_private)
        partial.replace(out)
    return manifest


def restore(settings: Settings, source: Path) -> Restored:
    """Restore `source` into this installation, which must be empty; what was restored and checked."""
    engine = make_engine(settings.database_url)
    try:
        with tempfile.TemporaryDirectory(prefix="netra-restore-") as tmp:
            stage = Path(tmp)
            manifest = _unpack(source, stage)
            db = manifest["database"]
            if db["dialect"] != engine.dialect.name:
                raise CaseworkError("restore.other_database", archive=db["dialect"], target=engine.dialect.name)
            trees = _trees(settings)
            full = [name for name, path in trees.items() if name in ("evidence", "letters") and _has_files(path)]
            if not database.is_empty(engine) or full:
                raise CaseworkError("restore.not_empty", where=", ".join(
                    (["database"] if not database.is_empty(engine) else []) + full))
            database.load(engine, stage / db["file"])
            loaded = database.counts(engine)
            problems = [f"{table}: {db['tables'].get(table)} → {count}" for table, count in loaded.items()
                        if db["tables"].get(table) != count]
            problems += [f"{table}: {count} → -" for table, count in db["tables"].items() if table not in loaded]
            files = 0
            for name, target in trees.items():
                unpacked = stage / "files" / name
                if unpacked.is_file():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(unpacked, target)
                    target.chmod(0o600)
                    files += 1
                elif unpacked.is_dir():
                    shutil.copytree(unpacked, target, dirs_exist_ok=True)
                    files += sum(1 for p in unpacked.rglob("*") if p.is_file())
            migrations = _pending(db["revision"])
            migrate.upgrade(engine)
            checked = check_installation(settings, engine)
            return Restored(source.name, manifest["created_at"], db["revision"], migrate.head_revision(),
                            migrations, loaded, files, checked, problems)
    finally:
        engine.dispose()


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives this command wrote in `directory` (by name: they sort by time)."""
    archives = sorted(directory.glob("netra-backup-*.tar"))
    gone = archives[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone


def archive_name(at: datetime) -> str:
    return f"netra-backup-{at:%Y%m%d-%H%M%S}.tar"


# --- reading an archive -------------------------------------------------------------------------------------------
def _unpack(source: Path, stage: Path) -> dict:
    """The manifest, with every member unpacked under `stage` and checked against it first: a member missing, one
    not in the manifest, a path that leaves the archive or a changed byte — and nothing is restored."""
    try:
        with tarfile.open(source, "r") as archive:
            manifest_member = archive.getmember(MANIFEST)
            manifest = json.load(archive.extractfile(manifest_member))
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise CaseworkError("restore.not_an_archive", name=source.name)
            listed = {f["path"]: f for f in manifest["files"]}
            seen = set()
            for member in archive.getmembers():
                if member.name == MANIFEST:
                    continue
                path = PurePosixPath(member.name)
                if member.name not in listed or not member.isfile() or path.is_absolute() or ".." in path.parts:
                    raise CaseworkError("restore.unexpected_member", name=member.name)
                target = stage / path
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as data, open(target, "wb") as fh:
                    shutil.copyfileobj(data, fh)
                if file_sha256(target) != listed[member.name]["sha256"]:
                    raise CaseworkError("restore.changed", name=member.name)
                seen.add(member.name)
            missing = sorted(set(listed) - seen)
            if missing:
                raise CaseworkError("restore.missing", name=missing[0], count=len(missing))
            return manifest
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError) as exc:
        raise CaseworkError("restore.not_an_archive", name=source.name) from exc


def _pending(revision: str | None) -> list[str]:
    """The migrations an archive at `revision` needs, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [r.revision for r in reversed(list(script.iterate_revisions("head", revision or "base")))]


def _has_files(path: Path) -> bool:
    return path.is_dir() and any(p.is_file() for p in path.rglob("*"))


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info
