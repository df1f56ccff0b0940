"""What a PDF's signatures say, in plain words: for each one, whether the bytes it covers are unchanged, whether
the document was changed afterwards beyond what a later signature or validation data may add, who signed (the
certificate), when (the signer's clock and, with a TSA, the timestamp), and whether the certificate chains up to a
configured trust root. One check for the verification page, `netra signing check` and the tests."""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from io import BytesIO

from casework.settings import Settings

# pyHanko logs a traceback for every chain it cannot build; the finding says so in words instead
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class SignatureFinding:
    field: str
    signer: str  # the certificate's common name
    issuer: str
    serial: str
    signed_at: datetime | None  # the time the signer's software claimed
    timestamp: datetime | None  # the TSA's time, when the signature carries one
    intact: bool  # the signed bytes hash to what was signed, and the signature over that hash is good
    whole: bool  # nothing was changed after it but later signatures, form filling and validation data
    trusted: bool  # the certificate chains to a configured trust root, valid at the signing time
    problem: str  # empty when all is well; otherwise what failed, for people
    signature_sha256: str = ""  # of the signature container itself: the same only in a copy of the same signing

    @property
    def valid(self) -> bool:
        return self.intact and self.whole and self.trusted

    def as_dict(self) -> dict:
        out = asdict(self)
        out.update(valid=self.valid, signed_at=_iso(self.signed_at), timestamp=_iso(self.timestamp))
        return out


@dataclass(frozen=True)
class DocumentFinding:
    readable: bool  # a PDF that could be read at all
    signatures: tuple[SignatureFinding, ...]
    after_last: bool  # bytes were appended after the last signature's revision (not validation data)

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def valid(self) -> bool:
        return self.readable and self.signed and all(s.valid for s in self.signatures)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def check_pdf(pdf: bytes, settings: Settings) -> DocumentFinding:
    """Validate every signature of `pdf` against the trust roots and revocation lists in NETRA_SIGNING_DIR."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

    from casework.signing.keystore import validation_context

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:  # noqa: BLE001 — any file someone uploads: a hostile PDF gets a verdict, never a 500
        return DocumentFinding(False, (SignatureFinding("-", "-", "-", "-", None, None, False, False, False,
                                                        f"PDF tidak terbaca / unreadable PDF: {exc}"[:300]),), True)
    findings = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, validation_context(settings))
        except Exception as exc:  # a damaged signature dictionary: said, never a 500
            findings.append(SignatureFinding(sig.field_name, "-", "-", "-", None, None, False, False, False,
                                             f"Tanda tangan rusak / damaged signature: {exc}"[:300]))
            continue
        cert = status.signing_cert
        whole = status.coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION) \
            and status.modification_level is not None \
            and status.modification_level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False
        stamp = status.timestamp_validity
        problems = []
        if not status.intact or not status.valid:
            problems.append("isi yang ditandatangani telah berubah / the signed content was altered")
        if not whole:
            problems.append("dokumen diubah setelah ditandatangani / the document was changed after signing")
        if status.intact and status.valid and not status.trusted:  # an altered signature says nothing of its chain
            problems.append("sertifikat tidak berantai ke akar tepercaya / the certificate does not chain to a "
                            "trusted root")
        findings.append(SignatureFinding(
            field=sig.field_name, signer=_cn(cert.subject), issuer=_cn(cert.issuer), serial=f"{cert.serial_number:x}",
            signed_at=status.signer_reported_dt, timestamp=stamp.timestamp if stamp is not None else None,
            intact=bool(status.intact and status.valid), whole=bool(whole), trusted=bool(status.trusted),
            problem="; ".join(problems), signature_sha256=_container_sha(sig)))
    return DocumentFinding(True, tuple(findings), False)


def _container_sha(sig) -> str:
    """The sha256 of the signature's CMS container (/Contents): it holds the signed digest and the signature
    value, so only a copy of that very signing has it — a forger's certificate with the same serial does not."""
    import hashlib

    try:
        return hashlib.sha256(sig.signed_data.dump()).hexdigest()
    except Exception:  # noqa: BLE001 — a damaged container: no fingerprint, never a match
        return ""


def _cn(name) -> str:
    native = name.native
    return native.get("common_name") or name.human_friendly
