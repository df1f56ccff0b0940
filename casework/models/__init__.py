"""SQLAlchemy 2 typed models of the domain (domain.md). Import from here."""
from casework.models.accounts import LINK_PURPOSES, AccountLink, DeskSession
from casework.models.api import ApiToken, IdempotentWrite
from casework.models.base import Base, UTCDateTime, utcnow
from casework.models.cases import (
    ASN_KINDS, CHANNELS, SOURCES, Case, CaseViolation, CriminalEvent, EvidenceFile, Reporter, ReportedASN,
    SanctionAppeal,
    SanctionDecree, StageChange, PersonnelBlock, TrackEscalation, Witness,
)
from casework.models.elections import ELECTION_KINDS, ELECTION_STAGES, Election, ElectionStage
from casework.models.links import LetterLink
from casework.models.information import INFORMATION_CHANNELS, INFORMATION_STATUSES, InformationItem
from casework.models.hearings import HEARING_STATUSES, INVITEE_KINDS, Hearing, HearingInvitee
from casework.models.organisations import OFFICE_KINDS, Agency, Office, OversightBody, SigningOfficial
from casework.models.records import (
    AuditEvent, Deadline, Letter, LetterRequest, LetterSignature, LifecycleRun, NumberSequence, OutboxMessage,
    RateLimitHit,
)
from casework.models.privacy import PersonalDataRead
from casework.models.prevention import (
    IKP_BANDS, IKP_THEMES, PREVENTION_KINDS, AsnCount, PreventionActivity, VulnerabilityScore,
)
from casework.models.regions import District, Province, Regency
from casework.models.users import Role, User, user_roles
from casework.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "ASN_KINDS", "CHANNELS", "ELECTION_KINDS", "INFORMATION_CHANNELS", "INFORMATION_STATUSES", "InformationItem",
    "ELECTION_STAGES", "LINK_PURPOSES", "OFFICE_KINDS", "SOURCES",
    "AccountLink", "Agency", "ApiToken", "AuditEvent", "Base", "Case", "CaseViolation", "CriminalEvent", "Deadline", "DeskSession", "District",
    "Election", "ElectionStage", "EvidenceFile", "HEARING_STATUSES", "Hearing", "HearingInvitee", "INVITEE_KINDS", "IdempotentWrite",
    "Letter", "LetterLink", "LetterRequest", "LetterSignature", "LifecycleRun", "NumberSequence", "Office", "OutboxMessage", "OversightBody", "PersonalDataRead",
    "Province",
    "RateLimitHit", "Regency", "Reporter", "ReportedASN", "Role", "SanctionAppeal", "SanctionDecree",
    "SigningOfficial", "StageChange",
    "PersonnelBlock", "TrackEscalation", "User",
    "UTCDateTime", "VulnerabilityScore", "AsnCount", "PreventionActivity", "IKP_BANDS", "IKP_THEMES",
    "PREVENTION_KINDS", "WebhookDelivery", "WebhookSubscription", "Witness", "user_roles", "utcnow",
]
