"""The stages of the road (domain.md §3): case-level stages, then one track per reported ASN."""
from __future__ import annotations

from enum import StrEnum

from casework.i18n.catalog import NP_, Text


class Stage(StrEnum):
    RECEIVED = "received"
    INITIAL_REVIEW = "initial_review"
    AWAITING_COMPLETION = "awaiting_completion"
    NOT_REGISTERED = "not_registered"
    REGISTERED = "registered"
    CLARIFICATION = "clarification"
    STUDY = "study"
    PLENARY = "plenary"
    DECIDED = "decided"  # the plenary found someone in violation; the forward follows
    FORWARDED = "forwarded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"
    SPAM = "spam"  # an online report a handler marked as spam: out of every count, kept and audited


class TrackStage(StrEnum):
    """Per reported ASN, from the forward on."""

    OVERSIGHT_REVIEW = "oversight_review"
    # someone who is not an ASN: the plenary's finding went to their own institution (rules/person_kinds.toml)
    BODY_FOLLOW_UP = "body_follow_up"
    AGENCY_FOLLOW_UP = "agency_follow_up"
    SANCTIONED = "sanctioned"
    NOT_PROVEN = "not_proven"
    # the other endings of the national pipeline (rules/track_outcomes.toml, Netra's policy)
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    LEFT_SERVICE = "left_service"
    # the penalty was annulled on objection or appeal and no other decree stands (casework.road.appeals)
    SANCTION_ANNULLED = "sanction_annulled"


class CriminalStage(StrEnum):
    """A reported person's criminal part (casework.road.criminal), beside the neutrality road."""

    DECLARED = "criminal_declared"  # Bawaslu declared a suspected crime after the Sentra Gakkumdu discussion
    WITH_POLICE = "criminal_with_police"  # forwarded to the police: investigation
    PROSECUTION = "criminal_prosecution"  # the file went to the public prosecutor
    STOPPED = "criminal_stopped"  # the investigation or prosecution was stopped
    VERDICT = "criminal_verdict"  # a court decided


TERMINAL_STAGES = frozenset({Stage.NOT_REGISTERED, Stage.CLOSED, Stage.WITHDRAWN, Stage.MERGED, Stage.SPAM})
CLOSED_TRACKS = frozenset({TrackStage.SANCTIONED, TrackStage.NOT_PROVEN, TrackStage.REJECTED, TrackStage.CANCELLED,
                           TrackStage.LEFT_SERVICE, TrackStage.SANCTION_ANNULLED})
CLOSED_CRIMINAL = frozenset({CriminalStage.STOPPED, CriminalStage.VERDICT})

# A stage's name in the catalog's context "stage" (a state: "Tidak diregistrasi" is "Not registered" here, and
# "Do not register" as the step's label).
LABELS: dict[str, Text] = {
    Stage.RECEIVED: NP_("stage", "Diterima"),
    Stage.INITIAL_REVIEW: NP_("stage", "Kajian awal"),
    Stage.AWAITING_COMPLETION: NP_("stage", "Menunggu kelengkapan"),
    Stage.NOT_REGISTERED: NP_("stage", "Tidak diregistrasi"),
    Stage.REGISTERED: NP_("stage", "Diregistrasi"),
    Stage.CLARIFICATION: NP_("stage", "Klarifikasi"),
    Stage.STUDY: NP_("stage", "Kajian"),
    Stage.PLENARY: NP_("stage", "Pleno"),
    Stage.DECIDED: NP_("stage", "Diputus pleno"),
    Stage.FORWARDED: NP_("stage", "Diteruskan"),
    Stage.CLOSED: NP_("stage", "Selesai"),
    Stage.WITHDRAWN: NP_("stage", "Dicabut"),
    Stage.MERGED: NP_("stage", "Digabung"),
    Stage.SPAM: NP_("stage", "Spam"),
    TrackStage.OVERSIGHT_REVIEW: NP_("stage", "Pemeriksaan KASN/BKN"),
    TrackStage.BODY_FOLLOW_UP: NP_("stage", "Tindak lanjut instansi terlapor"),
    TrackStage.AGENCY_FOLLOW_UP: NP_("stage", "Tindak lanjut PPK"),
    TrackStage.SANCTIONED: NP_("stage", "Sanksi dijatuhkan"),
    TrackStage.NOT_PROVEN: NP_("stage", "Tidak terbukti"),
    TrackStage.REJECTED: NP_("stage", "Ditolak"),
    TrackStage.CANCELLED: NP_("stage", "Dibatalkan"),
    TrackStage.LEFT_SERVICE: NP_("stage", "Tidak lagi ASN"),
    TrackStage.SANCTION_ANNULLED: NP_("stage", "Sanksi dibatalkan"),
    CriminalStage.DECLARED: NP_("stage", "Dugaan tindak pidana"),
    CriminalStage.WITH_POLICE: NP_("stage", "Penyidikan Kepolisian"),
    CriminalStage.PROSECUTION: NP_("stage", "Penuntutan"),
    CriminalStage.STOPPED: NP_("stage", "Pidana dihentikan"),
    CriminalStage.VERDICT: NP_("stage", "Putusan pengadilan"),
}


def label(stage: str, lang: str = "id") -> str:
    text = LABELS.get(stage)
    return text.pick(lang) if text is not None else stage
