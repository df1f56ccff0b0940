"""A throw-away certificate authority for the demo and the tests — never for real letters: its root says so in
its name, and it is made on the machine at run time (nothing of it is committed). It issues an office
certificate per signing official, a time-stamping certificate for a test TSA, and an empty revocation list; the
root goes into the trust store and the list into `crl/`, where a real installation puts BSrE's."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT_NAME = "Netra Demo Root CA (bukan untuk surat sungguhan)"
# where a certificate says its revocation list is; nothing serves it: the list is read from crl/ instead
CRL_URL = "http://crl.netra.invalid/demo-root.crl"
KEY_BITS = 2048


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


@dataclass
class DemoCA:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @classmethod
    def open_or_make(cls, signing_dir: Path) -> DemoCA:
        """The demo CA of this installation (`<signing dir>/demo-ca/`), made on first use; its root written to
        `trust/` and a fresh empty revocation list to `crl/` each time."""
        folder = signing_dir / "demo-ca"
        key_file, cert_file = folder / "root.key.pem", folder / "root.pem"
        if key_file.is_file() and cert_file.is_file():
            ca = cls(serialization.load_pem_private_key(key_file.read_bytes(), None),
                     x509.load_pem_x509_certificate(cert_file.read_bytes()))
        else:
            key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
            name = _name(ROOT_NAME, "Netra (demo)")
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(_now() - dt.timedelta(days=1)).not_valid_after(_now() + dt.timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                   critical=True)
                    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                    .sign(key, hashes.SHA256()))
            ca = cls(key, cert)
            _write(key_file, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()), 0o600)
            _write(cert_file, ca.pem())
        _write(signing_dir / "trust" / "netra-demo-root.pem", ca.pem())
        _write(signing_dir / "crl" / "netra-demo-root.crl", ca.crl().public_bytes(serialization.Encoding.DER))
        return ca

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def crl(self, revoked: tuple[int, ...] = ()) -> x509.CertificateRevocationList:
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.cert.subject)
                   .last_update(_now() - dt.timedelta(hours=1)).next_update(_now() + dt.timedelta(days=30)))
        for serial in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(_now()).build())
        return builder.sign(self.key, hashes.SHA256())

    def issue(self, common_name: str, organisation: str, *, timestamping: bool = False
              ) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        builder = (x509.CertificateBuilder().subject_name(_name(common_name, organisation))
                   .issuer_name(self.cert.subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(_now() - dt.timedelta(days=1)).not_valid_after(_now() + dt.timedelta(days=730))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(True, not timestamping, False, False, False, False, False, False,
                                                False), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                                  critical=False)
                   .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                       [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), critical=False))
        if timestamping:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return key, builder.sign(self.key, hashes.SHA256())

    def pkcs12_for(self, common_name: str, organisation: str) -> tuple[bytes, bytes]:
        """A signing official's key and certificate as the PKCS#12 an office receives, and its passphrase."""
        key, cert = self.issue(common_name, organisation)
        passphrase = secrets.token_urlsafe(18).encode()
        data = pkcs12.serialize_key_and_certificates(common_name.encode()[:64], key, cert, [self.cert],
                                                     serialization.BestAvailableEncryption(passphrase))
        return data, passphrase
