"""The exchange with BKN's systems, SBT and I'DIS (issue 19 item 2; docs/exchange.md): the referral package out
(referral.py), status exports in (statuses.py reads them, status_import.py applies them through the road's steps)."""
