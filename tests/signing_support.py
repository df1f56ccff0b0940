"""Real parts for the signature tests: a throw-away CA (casework.signing.pki) with keys installed the way
`netra signing install` does, an RFC 3161 time-stamping authority on loopback (pyHanko's own TSA logic behind a
real HTTP server), poppler's `pdfsig` with an NSS trust store holding the CA, and a stand-in of BSrE's API shape."""
from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from casework.settings import Settings
from casework.signing.keystore import install_key
from casework.signing.pki import DemoCA


def install_keys(settings: Settings, officials: list[tuple[str, int, str]]) -> DemoCA:
    """A demo CA for `settings` (its root in trust/, its CRL in crl/) and a key for each (office code, official
    id, name)."""
    ca = DemoCA.open_or_make(settings.signing_path)
    for office, official_id, name in officials:
        p12, passphrase = ca.pkcs12_for(name, office)
        install_key(settings, office, official_id, p12, passphrase)
    return ca


class _Server:
    def __init__(self, handler):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _reply(handler: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def start_tsa(ca: DemoCA) -> _Server:
    """An RFC 3161 TSA on loopback, its certificate (EKU timeStamping) issued by `ca`; counts its requests."""
    from asn1crypto import keys, tsp, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps import DummyTimeStamper

    key, cert = ca.issue("Netra Test TSA", "Netra (uji)", timestamping=True)
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption())),
        certs_to_embed=[x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))])

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a TSA in production
        disable_nagle_algorithm = True  # headers and body go out as written, not 40 ms apart (delayed ACK)

        def do_POST(self):  # noqa: N802
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            server.requests += 1
            _reply(self, 200, "application/timestamp-reply", stamper.request_tsa_response(request).dump())

        def log_message(self, *args):
            pass

    server = _Server(Handler)
    server.requests = 0
    return server


def start_bsre(signer_settings: Settings, accounts: dict[str, tuple[str, str, int, str]]) -> _Server:
    """A stand-in of BSrE's sign API (casework.signing.remote's docstring): `accounts` maps NIK to (passphrase,
    office code, official id, name); it signs with that official's local key, and refuses a wrong passphrase with
    401 as the service does. What it received is kept in `.received`."""
    from casework.signing.pades import LocalSigner, SignatureRequest
    from casework.signing.placement import Box

    local = LocalSigner(signer_settings)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            server.received.append({k: v for k, v in body.items() if k != "file"})
            account = accounts.get(body.get("nik"))
            if self.path != "/api/v2/sign/pdf" or account is None or account[0] != body.get("passphrase"):
                return self._answer(401, {"error": "Passphrase anda salah"})
            prop = body["signatureProperties"][0]
            pdf = base64.b64decode(body["file"][0])
            height = 841.889764  # A4, as Netra's letters
            x, y, w, h = prop["originX"], prop["originY"], prop["width"], prop["height"]
            box = Box("BSrE", prop["page"] - 1, (x, height - y - h, x + w, height - y), height)
            signed, _ = local.sign(pdf, SignatureRequest("ttd", account[1], account[2], account[3], "-",
                                                         prop["location"], prop["reason"], "BSrE", True), box)
            return self._answer(200, {"file": [base64.b64encode(signed).decode()]})

        def _answer(self, status: int, data: dict):
            _reply(self, status, "application/json", json.dumps(data).encode())

        def log_message(self, *args):
            pass

    server = _Server(Handler)
    server.received = []
    return server


def nss_trusting(folder: Path, ca: DemoCA) -> Path:
    """An NSS database that trusts `ca` (what pdfsig checks certificate chains against)."""
    if shutil.which("certutil") is None or shutil.which("pdfsig") is None:
        raise RuntimeError("certutil (libnss3-tools) and pdfsig (poppler-utils) are needed: run `make test`, "
                           "which installs scripts/debian-packages.txt")
    folder.mkdir(parents=True, exist_ok=True)
    root = folder / "root.pem"
    root.write_bytes(ca.pem())
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", "netra-demo-root", "-t", "CT,C,C", "-i",
                    str(root)], check=True, capture_output=True)
    return folder


@dataclass(frozen=True)
class PdfsigSignature:
    field: str
    signer: str
    valid: bool  # "Signature is Valid."
    trusted: bool  # "Certificate is Trusted."
    verdict: str  # what pdfsig said of the signature
    kind: str  # "Signature Type": ETSI.CAdES.detached for a signature; "unknown" for a document timestamp, which
    # poppler 22 lists but cannot validate ("Unimplemented Feature")


def pdfsig(pdf: Path, nssdir: Path) -> list[PdfsigSignature]:
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nssdir}", str(pdf)], capture_output=True, text=True).stdout
    found = []
    for block in re.split(r"\nSignature #\d+:\n", out)[1:]:
        def field(label: str) -> str:
            match = re.search(rf"- {label}: (.*)", block)
            return match.group(1).strip() if match else ""
        verdict = field("Signature Validation")
        found.append(PdfsigSignature(field("Signature Field Name"), field("Signer Certificate Common Name"),
                                     verdict == "Signature is Valid.",
                                     field("Certificate Validation") == "Certificate is Trusted.", verdict,
                                     field("Signature Type")))
    return found


def flip_signed_byte(pdf: bytes) -> bytes:
    """The PDF with one byte changed inside the first revision (a content stream): what any signature covers."""
    data = bytearray(pdf)
    at = data.index(b"stream", data.index(b"/Contents")) + 40
    data[at] ^= 0x01
    return bytes(data)
