"""The signer interface over a remote signing service shaped like BSrE's eSign API (v2) — the service that signs
government documents in SRIKANDI: the place to plug it (NETRA_SIGNING_BACKEND=bsre, NETRA_BSRE_URL).

    POST {url}/api/v2/sign/pdf   {"nik", "passphrase", "signatureProperties": [{"tampilan": "VISIBLE", "page",
                                  "originX", "originY", "width", "height", "location", "reason"}], "file": [base64]}
                                 -> 200 {"file": [base64 of the signed PDF]}; otherwise {"error" | "message"}
    POST {url}/api/v2/verify/pdf {"file": base64} -> the service's own verdict (Netra checks signatures itself)

Each official's credentials are a file beside where a local key would be, `<office>/<official id>.bsre.json`
({"nik": ..., "passphrase": ...}, mode 0600), and the client's own credentials `bsre-client.json` ({"username",
"password"}, HTTP basic) in the signing directory. The origin is the page's top-left corner, in points.

The shape follows public client code of that API; Netra cannot reach the live service, so this client is tested
against a loopback service of the same shape that signs with local keys (tests/test_signing.py) — the local signer
remains the tested implementation of the signature itself."""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from casework.errors import CaseworkError
from casework.settings import Settings
from casework.signing.keystore import describe
from casework.signing.pades import SignatureMade, SignatureRequest
from casework.signing.placement import Box

TIMEOUT = 30


class RemoteSigner:
    def __init__(self, settings: Settings):
        self.settings = settings

    def _credentials(self, office_code: str, official_id: int) -> Path:
        return self.settings.signing_path / office_code / f"{official_id}.bsre.json"

    def can_sign(self, office_code: str, official_id: int) -> bool:
        return bool(self.settings.bsre_url) and self._credentials(office_code, official_id).is_file()

    def sign(self, pdf: bytes, request: SignatureRequest, box: Box) -> tuple[bytes, SignatureMade]:
        creds = json.loads(self._credentials(request.office_code, request.official_id).read_text())
        x, y, width, height = box.from_top_left()
        body = {"nik": creds["nik"], "passphrase": creds["passphrase"], "file": [base64.b64encode(pdf).decode()],
                "signatureProperties": [{"tampilan": "VISIBLE", "page": box.page + 1, "originX": round(x, 2),
                                         "originY": round(y, 2), "width": round(width, 2),
                                         "height": round(height, 2), "location": request.location,
                                         "reason": request.reason}]}
        answer = self._post("/api/v2/sign/pdf", body, request.name)
        try:
            signed = base64.b64decode(answer["file"][0])
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise CaseworkError("signing.failed", name=request.name, detail=f"jawaban tanpa berkas: {exc}") from exc
        return signed, SignatureMade(role=request.role, official_id=request.official_id, name=request.name,
                                     title=request.title, certificate=_last_signer(signed),
                                     signed_at=datetime.now(timezone.utc), timestamped=False)

    def _post(self, path: str, body: dict, name: str) -> dict:
        headers = {"Content-Type": "application/json"}
        client = self.settings.signing_path / "bsre-client.json"
        if client.is_file():
            auth = json.loads(client.read_text())
            token = base64.b64encode(f"{auth['username']}:{auth['password']}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        req = urllib.request.Request(self.settings.bsre_url.rstrip("/") + path, data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as response:  # noqa: S310 (the configured service)
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                said = json.loads(exc.read())
                detail = said.get("error") or said.get("message") or str(said)
            except ValueError:
                detail = exc.reason
            raise CaseworkError("signing.failed", name=name, detail=f"HTTP {exc.code}: {detail}"[:300]) from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise CaseworkError("signing.failed", name=name, detail=str(exc)[:300]) from exc


def _last_signer(pdf: bytes):
    """The certificate of the PDF's last signature, as the service made it."""
    from cryptography import x509
    from pyhanko.pdf_utils.reader import PdfFileReader

    signatures = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures
    if not signatures:
        raise CaseworkError("signing.failed", name="-", detail="layanan mengembalikan PDF tanpa tanda tangan")
    return describe(x509.load_der_x509_certificate(signatures[-1].signer_cert.dump()))
