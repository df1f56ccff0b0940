"""The signer interface and its local implementation: one PAdES signature at a time, with pyHanko.

A signature is visible in the box the letter's layout left for it (casework.signing.placement), drawn with an
embedded font (the letter stays PDF/A-3b: every font in it is embedded), carries a timestamp from the TSA when one
is configured (NETRA_TSA_URL; PAdES B-T), and the letter's last signature adds the long-term validation data — the
chain and the revocation lists in the document security store — then, with a TSA, a document timestamp (B-LTA)."""
from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

from casework.errors import CaseworkError
from casework.settings import Settings
from casework.signing.keystore import CertificateInfo, certificate_of, has_key, load_signer, validation_context
from casework.signing.placement import Box

# pyHanko warns on every signature that it may not fetch revocation data: Netra gives it the lists it needs
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)
# room for the CMS container (chain, signature, timestamp token): reserving it skips pyHanko's trial signature
RESERVED_BYTES = 24_576
# Liberation Sans, the letters' own font (Debian fonts-liberation2, a package Netra installs)
STAMP_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf")


@dataclass(frozen=True)
class SignatureRequest:
    role: str  # "paraf" (the drafter's initials, first) | "ttd" (the signing official)
    office_code: str
    official_id: int
    name: str
    title: str
    location: str  # the office's city, as the signature's /Location
    reason: str
    stamp: str  # the text drawn in the box
    last: bool  # the letter's last signature: it adds the validation data (and a document timestamp with a TSA)


@dataclass(frozen=True)
class SignatureMade:
    role: str
    official_id: int
    name: str
    title: str
    certificate: CertificateInfo
    signed_at: datetime
    timestamped: bool


class DocumentSigner(Protocol):
    """What casework.letters.issue asks of a signer: the PDF with one more signature, in `box`."""

    def can_sign(self, office_code: str, official_id: int) -> bool: ...

    def sign(self, pdf: bytes, request: SignatureRequest, box: Box) -> tuple[bytes, SignatureMade]: ...


def signer_for(settings: Settings) -> DocumentSigner:
    """The configured implementation: `local` (the default; keys in NETRA_SIGNING_DIR) or `bsre` (a remote
    signing service, casework.signing.remote)."""
    if settings.signing_backend == "bsre":
        from casework.signing.remote import RemoteSigner

        return RemoteSigner(settings)
    return LocalSigner(settings)


class LocalSigner:
    def __init__(self, settings: Settings):
        self.settings = settings

    def can_sign(self, office_code: str, official_id: int) -> bool:
        return has_key(self.settings, office_code, official_id)

    def sign(self, pdf: bytes, request: SignatureRequest, box: Box) -> tuple[bytes, SignatureMade]:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
        from pyhanko.sign.general import SigningError

        signer = load_signer(self.settings, request.office_code, request.official_id)
        timestamper = _timestamper(self.settings.tsa_url) if self.settings.tsa_url else None
        meta = signers.PdfSignatureMetadata(
            field_name=box.field, subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256", name=request.name,
            reason=request.reason, location=request.location, embed_validation_info=request.last,
            validation_context=validation_context(self.settings) if request.last else None,
            use_pades_lta=request.last and timestamper is not None)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=_stamp_style(),
                                       new_field_spec=SigFieldSpec(box.field, on_page=box.page, box=box.rect))
        try:
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), bytes_reserved=RESERVED_BYTES,
                                      appearance_text_params={"netra": request.stamp})
        except SigningError as exc:
            raise CaseworkError("signing.failed", name=request.name, detail=str(exc)[:300]) from exc
        return out.getvalue(), SignatureMade(
            role=request.role, official_id=request.official_id, name=request.name, title=request.title,
            certificate=certificate_of(self.settings, request.office_code, request.official_id),
            signed_at=datetime.now(timezone.utc), timestamped=timestamper is not None)


@cache
def _timestamper(url: str):
    """An RFC 3161 client over one kept-alive HTTP session per process: pyHanko's own client opens a new session
    (and loads the system's CA bundle) for every request, some 40 ms each, three requests per two-signature letter."""
    import requests
    from asn1crypto import tsp
    from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
    from pyhanko.sign.timestamps.common_utils import set_tsp_headers

    class KeptAliveTimeStamper(TimeStamper):
        def __init__(self):
            super().__init__()
            self.session = requests.Session()

        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            try:  # in the signing thread: a signature waits for its timestamp anyway
                answer = self.session.post(url, req.dump(), headers=set_tsp_headers({}), timeout=10)
            except OSError as exc:
                raise TimestampRequestError(f"TSA {url}: {exc}") from exc
            if answer.headers.get("Content-Type") != "application/timestamp-reply":
                raise TimestampRequestError(f"TSA {url}: HTTP {answer.status_code}, not a timestamp reply")
            return tsp.TimeStampResp.load(answer.content)

    return KeptAliveTimeStamper()


@cache
def _stamp_style():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text="%(netra)s", border_width=1,
                          text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(_stamp_font()), font_size=7),
                                                      font_size=7, leading=9))


@cache
def _stamp_font() -> Path:
    """The stamp's font, cut once per process to the Latin letters and without its layout tables: pyHanko subsets
    the font it embeds at every signature, and the whole of Liberation Sans took 0.25 s of each (and at 1000 units
    per em, see below)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    if not STAMP_FONT.is_file():
        raise CaseworkError("signing.font_missing", path=str(STAMP_FONT))
    font = TTFont(str(STAMP_FONT))
    options = subset.Options()
    options.layout_features, options.hinting, options.notdef_outline = [], False, True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG"]
    options.name_IDs = ["*"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2013, 0x2014, 0x2019, 0x201C, 0x201D])
    cutter.subset(font)
    # pyHanko writes the glyph widths in font units, read as thousandths of an em: scale the font to 1000 units
    # per em, or every letter stands twice its width apart (Liberation's em is 2048)
    scale_upem(font, 1000)
    path = Path(tempfile.mkdtemp(prefix="netra-stamp-")) / "stamp.ttf"
    font.save(str(path))
    return path


def pkcs12_signer(data: bytes, passphrase: bytes | None):
    """A pyHanko signer for a PKCS#12 (casework.signing.keystore caches one per key file)."""
    return _signer_class().from_pkcs12(data, passphrase)


@cache
def _signer_class():
    """Made on first use: importing pyHanko is for processes that sign."""
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.signers.pdf_cms import SimpleSigner

    class CachedKeySigner(SimpleSigner):
        """pyHanko's SimpleSigner parses the private key again for every signature (~35 ms for RSA): parsed once."""

        _parsed = None

        @classmethod
        def from_pkcs12(cls, data: bytes, passphrase: bytes | None):
            base = SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
            signer = cls(signing_key=base.signing_key, signing_cert=base.signing_cert,
                         cert_registry=base.cert_registry)
            signer._parsed = serialization.load_der_private_key(base.signing_key.dump(), password=None)
            return signer

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
            from pyhanko.sign.general import get_pyca_cryptography_hash

            algo = self.get_signature_mechanism_for_digest(digest_algorithm)["algorithm"].native
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if isinstance(self._parsed, RSAPrivateKey) and (algo.endswith("rsa") or algo == "rsassa_pkcs1v15"):
                return self._parsed.sign(data, PKCS1v15(), hash_algo)
            if isinstance(self._parsed, EllipticCurvePrivateKey) and "ecdsa" in algo:
                return self._parsed.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)  # PSS and the rest: pyHanko's own way

    return CachedKeySigner


def warm_up(settings: Settings) -> None:
    """What a process's first signature would otherwise load — pyHanko and the stamp's font — only where some key
    is installed (an installation that signs nothing loads nothing). The keys themselves are not opened here:
    each costs some 75 ms (its key derivation and parse), every gunicorn worker would pay that for every official
    at start, and each is opened once, when it first signs (`netra signing status` says which do not open)."""
    from casework.signing.keystore import any_key

    if any_key(settings):
        _stamp_style()
        import pyhanko.sign.signers  # noqa: F401
        import pyhanko.sign.validation  # noqa: F401
