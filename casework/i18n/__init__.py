"""Bahasa Indonesia first, English second: the message catalog (messages.py) and Indonesian dates (dates.py)."""
