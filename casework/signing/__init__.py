"""Certified electronic signatures of issued letters (PAdES), issue 22.

- `keystore`: where each signing official's PKCS#12 key and certificate live — files under NETRA_SIGNING_DIR,
  never in the database — with the trust roots and revocation lists a signature is checked against;
- `placement`: where on the page each signature goes (the letter's layout marks the boxes);
- `pades`: the signer interface and its local implementation (pyHanko): visible appearance, timestamp when a TSA is
  configured, long-term validation data; `remote`: the same interface over a BSrE-shaped signing service;
- `check`: what a signed PDF says about itself, in plain words — used by /verifikasi and `netra signing check`;
- `pki`: a throw-away CA and office certificates for the demo and the tests.

Which letters are signed, by whom and in which order is decided with the letter (casework.letters.signers); the
letter is rendered, then signed signature by signature, then stored (casework.letters.issue)."""
