"""What a deadline, a letter and a hearing are, as users read it: each stored status code with its label, a msgid of
the catalog (README: Languages). Every interface shows `label(code, lang)`, never the code; `--json` keeps the code."""
from __future__ import annotations

from casework.i18n.catalog import N_, NP_
from casework.road.inputs import Labelled


class DeadlineStatus(Labelled):
    OPEN = "open", NP_("deadline status", "berjalan")
    MET = "met", NP_("deadline status", "tepat waktu")
    MISSED = "missed", NP_("deadline status", "terlambat")  # the step came, after the due moment
    SUPERSEDED = "superseded", NP_("deadline status", "diganti")  # by a new count (an extension, a reschedule)
    CANCELLED = "cancelled", NP_("deadline status", "dihentikan")  # the case or track ended before it


class DeadlineBasis(Labelled):
    STATUTE = "statute", N_("batas hukum")
    POLICY = "policy", N_("target")


class LetterStatus(Labelled):
    RESERVED = "reserved", NP_("letter status", "sedang diterbitkan")  # number taken, PDF being made
    ISSUED = "issued", NP_("letter status", "berlaku")
    SUPERSEDED = "superseded", NP_("letter status", "diganti")
    VOID = "void", NP_("letter status", "batal")


class HearingStatus(Labelled):
    SCHEDULED = "scheduled", NP_("hearing status", "terjadwal")
    RESCHEDULED = "rescheduled", NP_("hearing status", "dijadwalkan ulang")
    HELD = "held", NP_("hearing status", "terlaksana")
    CANCELLED = "cancelled", NP_("hearing status", "batal")


def status_label(kind: type[Labelled], code: str, lang: str = "id") -> str:
    """The label of a stored code; an unknown code (a future status, an old row) shows as it is stored."""
    try:
        return kind(code).label(lang)
    except ValueError:
        return code
