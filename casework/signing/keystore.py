"""The signing keys, on disk: `<signing dir>/<office code>/<official id>.p12` with its passphrase in
`<official id>.pass` next to it (both mode 0600), the trust roots in `trust/*.pem`, revocation lists in `crl/*.crl`.
The database names the officials; the keys stay in files the operator controls (a mounted secret in production),
so a database dump never carries a private key."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from casework.errors import CaseworkError
from casework.settings import Settings

KEY_SUFFIX, PASS_SUFFIX = ".p12", ".pass"


@dataclass(frozen=True)
class CertificateInfo:
    subject: str  # the certificate's common name
    issuer: str
    serial: str  # hex
    sha256: str  # fingerprint of the DER certificate
    not_before: datetime
    not_after: datetime


def key_path(settings: Settings, office_code: str, official_id: int) -> Path:
    return settings.signing_path / office_code / f"{official_id}{KEY_SUFFIX}"


def _key_files(settings: Settings):
    root = settings.signing_path
    return root.glob(f"*/*{KEY_SUFFIX}") if root.is_dir() else iter(())


def any_key(settings: Settings) -> bool:
    """Whether this installation signs at all (some official's key is installed)."""
    return next(_key_files(settings), None) is not None


def has_key(settings: Settings, office_code: str, official_id: int | None) -> bool:
    return official_id is not None and key_path(settings, office_code, official_id).is_file()


def install_key(settings: Settings, office_code: str, official_id: int, p12: bytes, passphrase: bytes
                ) -> CertificateInfo:
    """Check that the PKCS#12 opens with the passphrase and holds a key with its certificate, then store both
    (mode 0600, written whole then renamed). Refused, with nothing written, otherwise."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, _ = pkcs12.load_key_and_certificates(p12, passphrase)
    except ValueError as exc:
        raise CaseworkError("signing.bad_p12", detail=str(exc)[:200]) from exc
    if key is None or cert is None:
        raise CaseworkError("signing.bad_p12", detail="no key or certificate / tanpa kunci atau sertifikat")
    path = key_path(settings, office_code, official_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for target, data in ((path.with_suffix(PASS_SUFFIX), passphrase), (path, p12)):
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    return describe(cert)


def describe(cert) -> CertificateInfo:
    """A `cryptography` certificate, as Netra records and shows it."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    def cn(name) -> str:
        found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return found[0].value if found else name.rfc4514_string()

    return CertificateInfo(subject=cn(cert.subject), issuer=cn(cert.issuer), serial=f"{cert.serial_number:x}",
                           sha256=hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
                           not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc)


def load_signer(settings: Settings, office_code: str, official_id: int):
    """The official's pyHanko signer; KeyMissing when no key is installed. Cached per process by file and mtime:
    opening a PKCS#12 (its key derivation) and parsing an RSA key cost tens of milliseconds each."""
    path = key_path(settings, office_code, official_id)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise CaseworkError("signing.key_missing", official=official_id, office=office_code) from None
    return _signer(str(path), stamp)


@cache
def _signer(path: str, _mtime: int):
    from casework.signing.pades import pkcs12_signer

    passphrase = Path(path).with_suffix(PASS_SUFFIX).read_bytes().strip() or None
    try:
        return pkcs12_signer(Path(path).read_bytes(), passphrase)
    except ValueError as exc:
        raise CaseworkError("signing.bad_p12", detail=str(exc)[:200]) from exc


def certificate_of(settings: Settings, office_code: str, official_id: int) -> CertificateInfo:
    from cryptography import x509

    signer = load_signer(settings, office_code, official_id)
    return describe(x509.load_der_x509_certificate(signer.signing_cert.dump()))


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in suffixes) if folder.is_dir() else []


def trust_roots(settings: Settings) -> list:
    """The certificates a signature's chain must end in (asn1crypto), from `trust/` (PEM or DER)."""
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([str(p) for p in _files(settings.signing_path / "trust",
                                                                 (".pem", ".crt", ".cer", ".der"))]))


def revocation_lists(settings: Settings) -> list:
    """The CRLs in `crl/` (DER or PEM): embedded in a letter as its long-term validation data when fetching them
    online is off (NETRA_SIGNING_FETCH=0, the default: the desk reaches no outside service unless told)."""
    from asn1crypto import crl, pem

    out = []
    for path in _files(settings.signing_path / "crl", (".crl", ".pem")):
        data = path.read_bytes()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        out.append(crl.CertificateList.load(data))
    return out


def validation_context(settings: Settings):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=trust_roots(settings), crls=revocation_lists(settings),
                             allow_fetching=settings.signing_fetch)


def installed(settings: Settings) -> list[dict]:
    """Every key installed: office, official id, certificate (for `netra signing status`)."""
    out = []
    for path in sorted(_key_files(settings)):
        try:
            info = certificate_of(settings, path.parent.name, int(path.stem))
            out.append({"office": path.parent.name, "official_id": int(path.stem), "subject": info.subject,
                        "issuer": info.issuer, "serial": info.serial, "sha256": info.sha256,
                        "not_after": info.not_after.isoformat(), "problem": ""})
        except (CaseworkError, ValueError, OSError) as exc:
            out.append({"office": path.parent.name, "official_id": path.stem, "problem": str(exc)[:200]})
    return out
