"""What the public verification page (/verifikasi/<token>) says about a letter: its identity and state from the
record (never the parties' personal data), its certified signatures as recorded and as the stored PDF proves them
now, and — for a copy someone received — whether it is the very file Netra issued, and if not, what its own
signatures say."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError, NotFound
from casework.i18n.dates import indonesian_date
from casework.models import Letter, LetterSignature, Office
from casework.reference.timezones import zoneinfo
from casework.settings import Settings

UPLOAD_MAX = 10 * 1024 * 1024  # a letter is some tens of kilobytes; a copy larger than this is not one of them


def _letter(session: Session, token: str) -> Letter:
    letter = session.scalar(select(Letter).where(Letter.verify_token == token))
    if letter is None or letter.status == "reserved":
        raise NotFound("letter.not_found", number=token)
    return letter


def verification(session: Session, token: str) -> dict[str, Any]:
    """The letter's identity and state, and who signed it (recorded at issue)."""
    letter = _letter(session, token)
    office = session.scalar(select(Office).where(Office.code == letter.office_code))
    zone = office.timezone if office is not None else "WIB"
    replaced = session.get(Letter, letter.superseded_by_id) if letter.status == "superseded" else None
    signatures = session.scalars(select(LetterSignature).where(LetterSignature.letter_id == letter.id)
                                 .order_by(LetterSignature.position)).all()
    return {"number": letter.number, "date": indonesian_date(letter.issued_on), "issued_on": letter.issued_on,
            "office": office.name if office else letter.office_code, "hal": letter.hal, "sha256": letter.sha256,
            "status": letter.status, "void": letter.status == "void", "void_reason": letter.void_reason or "",
            "superseded": replaced is not None,
            "superseded_by": replaced.number if replaced else None,
            "superseded_on": indonesian_date(replaced.issued_on) if replaced else None,
            "superseded_reason": letter.superseded_reason or "",
            # the official who signed, in their public capacity (recorded from issue onwards; older letters: None)
            "signer_name": letter.signer_name, "signer_title": letter.signer_title,
            "signatures": [{"role": s.role, "name": s.name, "title": s.title, "issuer": s.cert_issuer,
                            "serial": s.cert_serial,
                            "signed_at": f"{s.signed_at.astimezone(zoneinfo(zone)):%d-%m-%Y %H:%M} {zone}",
                            "timestamped": s.timestamped} for s in signatures]}


_checked: dict[str, tuple[float, Any]] = {}  # stored letter's sha256 -> (when, finding): a page view is cheap
CHECK_TTL = 600.0


def stored_check(session: Session, token: str, settings: Settings) -> dict[str, Any]:
    """The stored PDF checked now (or in the last ten minutes, per process: the same bytes give the same answer
    until a trust root or revocation list changes): still the file issued (its sha256), and what its signatures
    say."""
    import time

    from casework.letters.issue import stored_pdf
    from casework.signing.check import check_pdf

    letter = _letter(session, token)
    try:
        data = stored_pdf(session, letter, settings)
    except (CaseworkError, OSError):  # the file is gone or no longer the one recorded: said, not hidden
        return {"stored_ok": False, "finding": None}
    seen = _checked.get(letter.sha256)
    if seen is None or time.monotonic() - seen[0] > CHECK_TTL:
        seen = _checked[letter.sha256] = (time.monotonic(), check_pdf(data, settings))
    return {"stored_ok": True, "finding": seen[1]}


def compare_copy(session: Session, token: str, data: bytes, settings: Settings) -> dict[str, Any]:
    """A copy someone received, against the record: `same` when it is byte for byte the issued file; otherwise
    the verdict from its own signatures, and whether they are the ones Netra recorded (by certificate serial)."""
    from casework.signing.check import check_pdf

    letter = _letter(session, token)
    digest = hashlib.sha256(data).hexdigest()
    if digest == letter.sha256:
        return {"verdict": "same", "sha256": digest, "finding": None}
    # whatever a stranger's file names (its CRL or OCSP addresses), the server fetches nothing for it
    finding = check_pdf(data, replace(settings, signing_fetch=False))
    # "ours": every signature of the stored letter is in the copy, container for container (not a certificate
    # with the same serial, which anyone can make), valid there
    stored = stored_check(session, token, settings)["finding"]
    recorded = {s.signature_sha256 for s in stored.signatures} if stored is not None else set()
    copy_valid = {s.signature_sha256 for s in finding.signatures if s.valid}
    ours = bool(recorded) and "" not in recorded and recorded <= copy_valid
    if not finding.readable or not finding.signed:
        verdict = "unsigned_different"
    elif not all(s.intact for s in finding.signatures):
        verdict = "altered"
    elif not all(s.whole for s in finding.signatures):
        verdict = "changed_after_signing"
    elif not ours:
        verdict = "other_signatures"
    else:  # the same signatures, intact, with something harmless added (a later signature, validation data)
        verdict = "signatures_intact"
    return {"verdict": verdict, "sha256": digest, "finding": finding}
