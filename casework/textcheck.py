"""Text that can be stored and shown: no control characters.

A NUL cannot be stored by PostgreSQL at all, and the other C0/C1 control characters (everything below a space but
tab, line feed and carriage return; DEL; U+0080–U+009F) have no business in a case file: they hide text, break
exports and confuse terminals. Intake, the decision forms and the register import refuse them field by field; the
desk refuses them in any request before a view runs (admin/security.py).
"""
from __future__ import annotations

import re
from datetime import date

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The earliest date a case file may carry (occurred, known, received, a decree): anything older is a typing error
# (0024 for 2024), and the deadline engine's holiday calendars start long after year 1.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)  # the latest day the deadline engine is asked about (its calendars are finite too)


def has_control_chars(value: object) -> bool:
    return isinstance(value, str) and CONTROL.search(value) is not None
