"""Bahasa Indonesia first, English second: the one catalog of every user-facing text (catalog.py, domain `netra`,
locale/), the domain's messages and field labels by code (messages.py), Indonesian dates (dates.py)."""
