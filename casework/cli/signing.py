"""`netra signing`: the certified signatures of letters — which officials have a key, installing one, the demo's
throw-away keys, and checking any signed PDF (docs/signatures.md)."""
from __future__ import annotations

from pathlib import Path

import click

from casework.cli.base import Context, cli, emit_json, json_option


@cli.group()
def signing() -> None:
    """Tanda tangan elektronik surat (PAdES). (Certified electronic signatures of letters.)"""


def _officials(obj: Context) -> list[dict]:
    from sqlalchemy import select

    from casework.models import Office, SigningOfficial
    from casework.signing.pades import signer_for

    backend = signer_for(obj.settings)
    with obj.sessions() as session:
        rows = session.execute(select(SigningOfficial, Office).join(Office, Office.id == SigningOfficial.office_id)
                               .order_by(Office.code, SigningOfficial.signs_as.desc(), SigningOfficial.id)).all()
        return [{"official_id": o.id, "office": office.code, "office_name": office.short_name, "name": o.name,
                 "title": o.title, "signs_as": o.signs_as, "valid_until": o.valid_until,
                 "has_key": backend.can_sign(office.code, o.id)} for o, office in rows]


@signing.command("status")
@json_option
@click.pass_obj
def signing_status(obj: Context, as_json: bool) -> None:
    """Pejabat penanda tangan dan apakah kuncinya terpasang. (Signing officials and whether their key is installed.)"""
    from casework.signing.keystore import installed

    obj.require_migrated()
    officials, keys = _officials(obj), {(k["office"], k["official_id"]): k for k in installed(obj.settings)}
    for row in officials:
        key = keys.get((row["office"], row["official_id"]), {})
        row.update(certificate=key.get("subject"), issuer=key.get("issuer"), not_after=key.get("not_after"),
                   problem=key.get("problem", ""))
    if as_json:
        emit_json({"signing_dir": str(obj.settings.signing_path), "backend": obj.settings.signing_backend,
                   "tsa_url": obj.settings.tsa_url, "officials": officials})
        return
    click.echo(f"Direktori kunci (key directory): {obj.settings.signing_path}  TSA: {obj.settings.tsa_url or '-'}")
    for row in officials:
        mark = "ya/yes" if row["has_key"] else "tidak/no"
        click.echo(f"{row['official_id']:>4} {row['office']:<16} {row['signs_as']:<5} {mark:<8} {row['name']} — "
                   f"{row['title']}" + (f"  [{row['certificate']}, s.d. {row['not_after'][:10]}]"
                                         if row.get("certificate") else ""))


@signing.command("install")
@click.argument("official_id", type=int)
@click.argument("p12", type=click.Path(exists=True, dir_okay=False))
@click.option("--passphrase-file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Berkas berisi frasa sandi PKCS#12. (A file holding the PKCS#12 passphrase.)")
@click.pass_obj
def signing_install(obj: Context, official_id: int, p12: str, passphrase_file: str) -> None:
    """Pasang kunci dan sertifikat (PKCS#12) seorang pejabat. (Install an official's key and certificate.)"""
    from casework.errors import NotFound
    from casework.models import Office, SigningOfficial
    from casework.signing.keystore import install_key

    obj.require_migrated()
    with obj.sessions() as session:
        official = session.get(SigningOfficial, official_id)
        if official is None:
            raise NotFound("signing.official_unknown", id=official_id)
        office = session.get(Office, official.office_id).code
    info = install_key(obj.settings, office, official_id, Path(p12).read_bytes(),
                       Path(passphrase_file).read_bytes().strip())
    click.echo(f"Terpasang (installed): {official.name} — {info.subject}, penerbit (issuer) {info.issuer}, "
               f"berlaku s.d. (valid until) {info.not_after:%Y-%m-%d}; sha256 {info.sha256}")


@signing.command("demo-keys")
@click.pass_obj
def signing_demo_keys(obj: Context) -> None:
    """Buat CA sekali pakai dan kunci demo bagi pejabat yang belum punya (BUKAN untuk surat sungguhan).
    (Make a throw-away CA and demo keys for officials without one — NOT for real letters.)"""
    made = install_demo_keys(obj)
    click.echo(f"Kunci demo dibuat (demo keys made): {made}; akar tepercaya (trust root): "
               f"{obj.settings.signing_path / 'trust'}")


def install_demo_keys(obj: Context) -> int:
    from casework.signing.keystore import install_key
    from casework.signing.pki import DemoCA

    obj.require_migrated()
    ca = DemoCA.open_or_make(obj.settings.signing_path)
    made = 0
    for row in _officials(obj):
        if not row["has_key"]:
            p12, passphrase = ca.pkcs12_for(row["name"], row["office_name"])
            install_key(obj.settings, row["office"], row["official_id"], p12, passphrase)
            made += 1
    return made


@signing.command("check")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@json_option
@click.pass_obj
def signing_check(obj: Context, pdf: str, as_json: bool) -> None:
    """Periksa tanda tangan sebuah PDF terhadap akar tepercaya. (Check a PDF's signatures against the trust roots.)
    Keluar 0 bila semua sah, 1 bila tidak. (Exit 0 when all are valid, 1 otherwise.)"""
    from casework.signing.check import check_pdf

    finding = check_pdf(Path(pdf).read_bytes(), obj.settings)
    if as_json:
        emit_json({"valid": finding.valid, "signed": finding.signed,
                   "signatures": [s.as_dict() for s in finding.signatures]})
    else:
        if not finding.signed:
            click.echo("Tidak ada tanda tangan elektronik. (No electronic signature.)")
        for s in finding.signatures:
            state = "SAH/VALID" if s.valid else "TIDAK SAH/INVALID"
            click.echo(f"{s.field}: {state} — {s.signer} ({s.issuer}), {s.signed_at or '-'}"
                       + (f", stempel waktu (timestamp) {s.timestamp}" if s.timestamp else "")
                       + (f"; {s.problem}" if s.problem else ""))
    raise SystemExit(0 if finding.valid else 1)
