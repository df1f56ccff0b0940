"""What a restore checks in the installation it made (and `netra backup check` in a live one): the audit trail's
hash chain, and every file the database names — evidence, decrees, letters — present with its recorded sha256."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from casework.audit import check_chain
from casework.models import EvidenceFile, Letter, ReportedASN, SanctionDecree
from casework.road.sanctions import decree_dir
from casework.settings import Settings


@dataclass
class Checked:
    audit_events: int = 0
    chain_ok: bool = True
    evidence: int = 0
    decrees: int = 0
    letters: int = 0
    problems: list[str] = field(default_factory=list)  # "<kind> <id>: missing" / "... changed"

    @property
    def ok(self) -> bool:
        return self.chain_ok and not self.problems

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def check_installation(settings: Settings, engine: Engine) -> Checked:
    checked = Checked()
    with Session(engine) as session:
        chain = check_chain(session)
        checked.audit_events, checked.chain_ok = chain.checked, chain.ok
        if not chain.ok:
            checked.problems.append(f"audit {chain.broken.id}: {chain.reason}")
        for row in session.scalars(select(EvidenceFile)):
            checked.evidence += _check(checked, f"evidence {row.id}", settings.evidence_dir / row.stored_name,
                                       row.sha256)
        files = {(d.file, d.file_sha256) for d in session.scalars(select(SanctionDecree)) if d.file}
        # a decree recorded before decrees had their own rows is kept on the person's row only
        files |= {(p.decree_file, p.decree_file_sha256) for p in session.scalars(
            select(ReportedASN).where(ReportedASN.decree_file.is_not(None)))}
        for name, digest in sorted(files):
            checked.decrees += _check(checked, f"decree {name}", decree_dir(settings) / name, digest)
        for row in session.scalars(select(Letter).where(Letter.pdf_path.is_not(None))):
            checked.letters += _check(checked, f"letter {row.number}", settings.letters_dir / row.pdf_path,
                                      row.sha256)
    return checked


def file_sha256(path: Path) -> str:
    """A file's sha256, read a megabyte at a time (an evidence video need not fit in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(checked: Checked, what: str, path: Path, sha256: str | None) -> int:
    if not path.is_file():
        checked.problems.append(f"{what}: missing")
    elif sha256 and file_sha256(path) != sha256:
        checked.problems.append(f"{what}: changed")
    return 1
