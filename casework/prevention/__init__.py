"""Prevention and early warning (issue 21): a region's figures (IKP scores, ASN headcounts: figures.py), the
register of prevention work (register.py), and the early-warning rules (warnings.py)."""
