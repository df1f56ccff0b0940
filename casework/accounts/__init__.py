"""Desk accounts: login with argon2 hashes and a lockout with back-off, the second factor (login.py), passwords."""
