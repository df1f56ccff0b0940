"""The signature of a webhook delivery: `Netra-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` under
the subscription's secret. A receiver recomputes it over the raw body and refuses a timestamp outside its replay
window (WINDOW, five minutes: Netra's policy, as Stripe's and Slack's) — so a captured delivery cannot be replayed
later, nor its body changed."""
from __future__ import annotations

import hashlib
import hmac
import time

WINDOW = 300  # seconds either side of the receiver's clock


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None, window: int = WINDOW) -> bool:
    """True when `header` signs `body` under `secret` and its time is within `window` of `now`."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > window:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
