"""Personal data under UU PDP (docs/privacy.md): the access log of reads (reads.py)."""
