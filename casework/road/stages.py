"""The stages of the road (domain.md §3): case-level stages, then one track per reported ASN."""
from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    RECEIVED = "received"
    INITIAL_REVIEW = "initial_review"
    AWAITING_COMPLETION = "awaiting_completion"
    NOT_REGISTERED = "not_registered"
    REGISTERED = "registered"
    CLARIFICATION = "clarification"
    STUDY = "study"
    PLENARY = "plenary"
    FORWARDED = "forwarded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class TrackStage(StrEnum):
    """Per reported ASN, from the forward on."""

    OVERSIGHT_REVIEW = "oversight_review"
    AGENCY_FOLLOW_UP = "agency_follow_up"
    SANCTIONED = "sanctioned"
    NOT_PROVEN = "not_proven"


TERMINAL_STAGES = frozenset({Stage.NOT_REGISTERED, Stage.CLOSED, Stage.WITHDRAWN, Stage.MERGED})
CLOSED_TRACKS = frozenset({TrackStage.SANCTIONED, TrackStage.NOT_PROVEN})

LABELS: dict[str, tuple[str, str]] = {
    Stage.RECEIVED: ("Diterima", "Received"),
    Stage.INITIAL_REVIEW: ("Kajian awal", "Initial review"),
    Stage.AWAITING_COMPLETION: ("Menunggu kelengkapan", "Awaiting completion"),
    Stage.NOT_REGISTERED: ("Tidak diregistrasi", "Not registered"),
    Stage.REGISTERED: ("Diregistrasi", "Registered"),
    Stage.CLARIFICATION: ("Klarifikasi", "Clarification"),
    Stage.STUDY: ("Kajian", "Study"),
    Stage.PLENARY: ("Pleno", "Plenary"),
    Stage.FORWARDED: ("Diteruskan", "Forwarded"),
    Stage.CLOSED: ("Selesai", "Closed"),
    Stage.WITHDRAWN: ("Dicabut", "Withdrawn"),
    Stage.MERGED: ("Digabung", "Merged"),
    TrackStage.OVERSIGHT_REVIEW: ("Pemeriksaan KASN/BKN", "Oversight review"),
    TrackStage.AGENCY_FOLLOW_UP: ("Tindak lanjut PPK", "PPK follow-up"),
    TrackStage.SANCTIONED: ("Sanksi dijatuhkan", "Sanctioned"),
    TrackStage.NOT_PROVEN: ("Tidak terbukti", "Not proven"),
}


def label(stage: str, lang: str = "id") -> str:
    pair = LABELS.get(stage)
    if pair is None:
        return stage
    return pair[1] if lang == "en" else pair[0]
