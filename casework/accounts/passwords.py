"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


MIN_LENGTH = 10
MAX_LENGTH = 200


def password_problems(password: str, confirm: str, username: str) -> list[str]:
    """Message codes for a new password a user chooses (activation): long enough, typed twice alike, not the
    username. Length rather than composition rules (NIST SP 800-63B)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("password.too_short")
    if len(password) > MAX_LENGTH:
        problems.append("password.too_long")
    if password != confirm:
        problems.append("password.mismatch")
    if password.strip().lower() == username.strip().lower():
        problems.append("password.is_username")
    return problems
