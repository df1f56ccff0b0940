"""Evidence files: stored outside the database and the web root under random names, sha256 recorded.

Only known types are accepted, and the content must be what the name says (a PDF starts with %PDF-, a PNG with
its signature, ...): a disguised file is refused. Files are always served back as attachments, never inline.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.errors import CaseworkError
from casework.models import Case, EvidenceFile
from casework.settings import Settings

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    signature: bytes
    offset: int = 0


TYPES = {
    "pdf": FileType("application/pdf", b"%PDF-"),
    "png": FileType("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": FileType("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": FileType("image/jpeg", b"\xff\xd8\xff"),
    "mp4": FileType("video/mp4", b"ftyp", 4),
}


def add_evidence(session: Session, case: Case, *, data: bytes, filename: str, principal: Principal,
                 settings: Settings, description: str = "") -> EvidenceFile:
    authorize(principal, Action.ADD_EVIDENCE, case)
    return store_evidence(session, case, data=data, filename=filename, actor=principal.username, settings=settings,
                          description=description)


def check_file(filename: str, data: bytes) -> tuple[str, str]:
    """(the name kept, its extension) of an acceptable file; CaseworkError saying why not otherwise."""
    name = Path(filename or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = TYPES.get(ext)
    if kind is None:
        raise CaseworkError("evidence.type", allowed=", ".join(sorted(TYPES)))
    if not data:
        raise CaseworkError("evidence.empty")
    if len(data) > MAX_BYTES:
        raise CaseworkError("evidence.too_large", max_mb=MAX_BYTES // (1024 * 1024))
    if data[kind.offset:kind.offset + len(kind.signature)] != kind.signature:
        raise CaseworkError("evidence.disguised", ext=ext)
    return name, ext


def keep_file(data: bytes, ext: str, settings: Settings) -> str:
    """Write a checked file under the evidence directory with a random name; that name."""
    stored = f"{secrets.token_hex(16)}.{ext}"
    path = settings.evidence_dir / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return stored


def store_evidence(session: Session, case: Case, *, data: bytes, filename: str, actor: str, settings: Settings,
                   description: str = "") -> EvidenceFile:
    """Check and keep one file on a case, recorded as `actor`'s (the caller decided that they may)."""
    name, ext = check_file(filename, data)
    stored = keep_file(data, ext, settings)
    evidence = EvidenceFile(case_id=case.id, original_name=name, stored_name=stored,
                            content_type=TYPES[ext].content_type, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), description=description.strip()[:300],
                            uploaded_by=actor)
    session.add(evidence)
    session.flush()
    audit.record(session, actor=actor, action="evidence.added", entity="evidence", entity_id=evidence.id,
                 case_id=case.id, after={"name": name, "sha256": evidence.sha256, "size": len(data)})
    return evidence


def evidence_bytes(evidence: EvidenceFile, settings: Settings) -> bytes:
    data = (settings.evidence_dir / evidence.stored_name).read_bytes()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise CaseworkError("evidence.tampered", name=evidence.original_name)
    return data
