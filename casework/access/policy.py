"""Who may do what: the one place every command, intake, letter, download, upload and page asks.

`decide(principal, action, case, person, ...)` answers with a Decision: allowed; or refused with a reason the
user may read ("tidak berwenang: …"); or hidden — the thing must look absent (404), because saying "you may not"
would tell someone who may not see a case that it exists. `authorize` raises the matching error; `permits` is
the yes/no form for templates and lists.

Netra's policy (not law; docs/security.md has the table):
- The handling office decides: a case's Bawaslu steps, its letters and its evidence belong to the office that
  handles it; the levels above supervise (they see the case) but do not decide on it.
- An oversight officer acts on the tracks forwarded to their own body; a BKPSDM officer on their own agency's
  employees once referred — never on another agency's employee on a shared case.
- The reporter's identity is protected: only the handling office's handlers see it, and letters addressed to them.
- A person's criminal part (the suspected crime forwarded to the police) is Bawaslu's: the oversight body and the
  BKPSDM, who see that person's neutrality track, do not see it (nor its letter, which names it).
- Whatever names every reported person (a case-wide letter, evidence) is read only by whoever sees them all.
- The auditor reads everything and decides nothing; the system administrator reads no case at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from casework.access.principal import BAWASLU, CASE_ROLES, CRIMINAL_READERS, OfficeRef, Principal, Role
from casework.access.scope import in_area, region_in_area, is_own_employee, sees_case, sees_every_person, sees_person
from casework.errors import CaseworkError, NotFound
from casework.letters.kinds import get_kind
from casework.models import Case, InformationItem, Letter, Office, Regency, ReportedASN


class Action(StrEnum):
    SEE_CASE = "see_case"
    SEE_REPORTER = "see_reporter"
    SEE_PERSON = "see_person"
    SEE_CRIMINAL = "see_criminal"  # a person's criminal part (casework.road.criminal)
    OPEN_CASE = "open_case"
    TAKE_STEP = "take_step"
    ISSUE_LETTER = "issue_letter"  # also: preview it, correct it
    READ_LETTER = "read_letter"
    ADD_EVIDENCE = "add_evidence"
    READ_EVIDENCE = "read_evidence"
    READ_DECREE = "read_decree"
    ADMINISTER = "administer"  # users and offices
    MANAGE_ELECTIONS = "manage_elections"  # add an election (reference data every case points at)
    ACKNOWLEDGE_LETTER = "acknowledge_letter"  # confirm receipt of a letter: its addressee, through its link
    EXPORT_REFERRAL = "export_referral"  # a forwarded case's SBT/I'DIS package (casework.exchange.referral)
    IMPORT_STATUSES = "import_statuses"  # an SBT/I'DIS status export; each row is still its step's own decision
    TRIAGE_INFORMATION = "triage_information"  # the inbox of initial information (casework.inbox): see and triage
    # Prevention (issue 21): a region's figures (IKP scores, ASN headcount), the register of prevention work, and
    # letters that belong to an office rather than a case (an appeal, the list of PPKs that have not followed up)
    SEE_PREVENTION = "see_prevention"  # the map, the register, the league table: whoever has a dashboard
    RECORD_FIGURES = "record_figures"  # import or enter IKP scores and ASN headcounts of a region
    RECORD_PREVENTION = "record_prevention"  # record prevention work in a region
    ISSUE_OFFICE_LETTER = "issue_office_letter"  # ask for and issue an office letter of one's own office
    READ_OFFICE_LETTER = "read_office_letter"  # an office letter: its office's staff, the offices above, auditor


class Forbidden(CaseworkError):
    """Refused with a reason the user may read (the case is visible to them)."""


class StepLike(Protocol):
    """What the policy needs of a command of the road (casework.road.workflow.Command)."""

    roles: frozenset[str]
    label: Any

    @property
    def on_track(self) -> bool: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hidden: bool = False
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.allowed

    def error(self) -> CaseworkError:
        return NotFound(self.code, **self.params) if self.hidden else Forbidden(self.code, **self.params)


ALLOWED = Decision(True)
# who records what BKN's systems say (docs/exchange.md): each row is then decided as its own step
STATUS_IMPORTERS = frozenset({Role.BAWASLU_HANDLER, Role.OVERSIGHT_OFFICER, Role.BKPSDM_OFFICER})


def _hidden(code: str, **params: Any) -> Decision:
    return Decision(False, hidden=True, code=code, params=params)


def _refused(code: str, **params: Any) -> Decision:
    return Decision(False, code=code, params=params)


def _case_hidden(case: Case) -> Decision:
    return _hidden("case.not_found", number=case.number)


def handles(p: Principal, case: Case) -> bool:
    """`p` works for the office that handles the case (as handler or head)."""
    return bool(p.roles & BAWASLU) and p.office_id is not None and p.office_id == case.office_id


def decide(p: Principal, action: Action, case: Case | None = None, person: ReportedASN | None = None, *,
           command: StepLike | None = None, letter: Letter | None = None, letter_kind: str | None = None,
           addressee_key: str | None = None, office: Office | None = None, regency: Regency | None = None,
           item: InformationItem | None = None, region_code: str | None = None) -> Decision:
    if action is Action.ADMINISTER:
        return ALLOWED if Role.SYSADMIN in p.roles else _hidden("access.page_not_found")
    if action is Action.MANAGE_ELECTIONS:  # the system administrator, or the operator on the server (CLI)
        return ALLOWED if p.roles & {Role.SYSADMIN, Role.OPERATOR} else _refused("access.elections_sysadmin_only")
    if action is Action.OPEN_CASE:
        return _open_case(p, office, regency)
    if action is Action.TRIAGE_INFORMATION:
        return _triage(p, item)
    if action in PREVENTION_ACTIONS:
        return _prevention(p, action, region_code, office, letter_kind)
    if action is Action.IMPORT_STATUSES:  # those who record what BKN's systems say; every row is then a step
        return ALLOWED if p.roles & STATUS_IMPORTERS else _hidden("access.page_not_found")
    assert case is not None, action
    if Role.ADDRESSEE in p.roles:  # a link's holder: what its grant names; nothing else exists for them
        return ALLOWED if _link_allows(p, action, case, person, letter, command) else _hidden("access.letter_not_found")
    if action is Action.ACKNOWLEDGE_LETTER:  # nobody else confirms an addressee's receipt for them
        return _refused("access.acknowledge_addressee_only") if sees_case(p, case) else _case_hidden(case)
    if not sees_case(p, case):
        return _case_hidden(case)
    match action:
        case Action.SEE_CASE:
            return ALLOWED
        case Action.SEE_REPORTER:
            return ALLOWED if _sees_reporter(p, case) else _refused("access.reporter_protected")
        case Action.SEE_PERSON | Action.READ_DECREE:
            return ALLOWED if person is not None and sees_person(p, case, person) else _person_hidden(person)
        case Action.SEE_CRIMINAL:  # Bawaslu's and the police's business: not the oversight body's nor the agency's
            if person is None or not sees_person(p, case, person):
                return _person_hidden(person)
            return ALLOWED if sees_criminal_parts(p) else _refused("access.criminal_bawaslu_only")
        case Action.TAKE_STEP:
            return _take_step(p, case, person, command)
        case Action.ISSUE_LETTER:
            if letter_kind and _names_protected(letter_kind, addressee_key) and not _sees_reporter(p, case):
                return _hidden("access.letter_not_found")
            if handles(p, case) or p.roles & {Role.SYSTEM, Role.OPERATOR}:
                return ALLOWED
            return _refused("access.letters_handling_office", office=case.office.name)
        case Action.READ_LETTER:
            return ALLOWED if _reads_letter(p, case, letter) else _hidden("access.letter_not_found")
        case Action.ADD_EVIDENCE:
            if Role.BAWASLU_HANDLER in p.roles and p.office_id == case.office_id:
                return ALLOWED
            return _refused("evidence.not_allowed", office=case.office.name)
        case Action.READ_EVIDENCE:
            return ALLOWED if sees_every_person(p, case) else _hidden("access.evidence_not_found")
        case Action.EXPORT_REFERRAL:  # the sender and the receiver of the forward: not the level above, no agency
            if handles(p, case) or p.roles & {Role.SYSTEM, Role.OPERATOR, Role.OVERSIGHT_OFFICER}:
                return ALLOWED
            return _refused("access.referral_not_allowed", office=case.office.name)
    raise ValueError(action)


def permits(p: Principal, action: Action, case: Case | None = None, person: ReportedASN | None = None,
            **context: Any) -> bool:
    return decide(p, action, case, person, **context).allowed


def authorize(p: Principal, action: Action, case: Case | None = None, person: ReportedASN | None = None,
              **context: Any) -> None:
    """Raise NotFound (hidden) or Forbidden (refused, with its reason) unless `p` may."""
    decision = decide(p, action, case, person, **context)
    if not decision:
        raise decision.error()


# --- the rules ----------------------------------------------------------------------------------------------------
def _link_allows(p: Principal, action: Action, case: Case, person: ReportedASN | None, letter: Letter | None,
                 command: StepLike | None) -> bool:
    """A letter's link (casework.letters.links): that letter, to read and acknowledge; with follow-up steps
    granted (a letter to a PPK about one person), the case and that person, to record those steps on them."""
    grant = p.link
    if grant is None or case.id != grant.case_id:
        return False
    match action:
        case Action.READ_LETTER | Action.ACKNOWLEDGE_LETTER:
            return letter is not None and letter.id == grant.letter_id
        case Action.SEE_CASE:
            return bool(grant.steps)
        case Action.SEE_PERSON | Action.READ_DECREE:
            return bool(grant.steps) and person is not None and person.id == grant.person_id
        case Action.TAKE_STEP:
            return person is not None and person.id == grant.person_id \
                and getattr(command, "name", None) in grant.steps
    return False


def sees_criminal_parts(p: Principal) -> bool:
    """Whether `p` sees criminal parts at all (each person still by Action.SEE_CRIMINAL)."""
    return bool(p.roles & CRIMINAL_READERS)


def _sees_reporter(p: Principal, case: Case) -> bool:
    if p.roles & {Role.SYSTEM, Role.OPERATOR}:
        return True
    return Role.BAWASLU_HANDLER in p.roles and p.office_id is not None and p.office_id == case.office_id


def sees_reporters_at_all(p: Principal) -> bool:
    """Whether `p` can see any reporter at all: decides whether reporter fields exist for them (an export's
    reporter and witness columns); each case is still decided by Action.SEE_REPORTER."""
    return bool(p.roles & {Role.SYSTEM, Role.OPERATOR}) or Role.BAWASLU_HANDLER in p.roles and p.office is not None


def _person_hidden(person: ReportedASN | None) -> Decision:
    return _hidden("workflow.unknown_track", nip=person.nip if person else "-")


def _open_case(p: Principal, office: Office | None, regency: Regency | None) -> Decision:
    """A handler records cases for their own office, in its area; Netra itself and the server's operator (an
    import of a register) for any office — but a case always lies in its handling office's area. The public form
    files with the Bawaslu of the regency or city where it happened (Perbawaslu 7/2022 Ps. 10 ayat (1) huruf a:
    "sesuai dengan tempat terjadinya dugaan pelanggaran"), and nowhere else."""
    if Role.PUBLIC in p.roles:
        if office is None or regency is None or office.kind != "bawaslu_kabkota" \
                or office.regency_code != regency.code:
            return _refused("access.online_office_of_place")
        return ALLOWED
    if p.roles & {Role.SYSTEM, Role.OPERATOR}:
        area = OfficeRef.of(office) if office is not None else None
    elif Role.BAWASLU_HANDLER not in p.roles or p.office is None:
        return _refused("access.intake_handlers_only")
    elif office is not None and office.id != p.office_id:
        return _refused("access.intake_own_office", office=p.office.code)
    else:
        area = p.office
    if regency is not None and area is not None and not in_area(area, regency):
        return _refused("access.regency_outside_office", regency=regency.name,
                        office=office.name if office is not None else area.code)
    return ALLOWED


PREVENTION_ACTIONS = frozenset({Action.SEE_PREVENTION, Action.RECORD_FIGURES, Action.RECORD_PREVENTION,
                                Action.ISSUE_OFFICE_LETTER, Action.READ_OFFICE_LETTER})


def _prevention(p: Principal, action: Action, region_code: str | None, office: Office | None,
                letter_kind: str | None) -> Decision:
    """Netra's policy for prevention work. Everyone with a dashboard sees the map, the register and the league
    table (counts and public activities, no case content). Bawaslu's handlers record figures and prevention work
    in their office's area (a region_code of two digits is a province: in the area of RI and of that province's
    office; of four, a regency: also of its own office); the server's operator (an import) anywhere. An office
    letter is its office's: its handlers (and Netra itself) issue it; its office's Bawaslu staff, the offices above
    it and whoever reads everything read it."""
    if action is Action.SEE_PREVENTION:
        return ALLOWED if p.roles & (CASE_ROLES | {Role.SYSTEM, Role.OPERATOR}) else _hidden("access.page_not_found")
    if action is Action.READ_OFFICE_LETTER:
        if p.roles & {Role.AUDITOR, Role.SYSTEM, Role.OPERATOR}:
            return ALLOWED
        if office is not None and p.roles & BAWASLU and p.office is not None and _oversees(p.office.id, office):
            return ALLOWED
        return _hidden("access.letter_not_found")
    if action is Action.ISSUE_OFFICE_LETTER:
        if Role.SYSTEM in p.roles or Role.OPERATOR in p.roles:
            return ALLOWED
        if Role.BAWASLU_HANDLER not in p.roles or p.office is None:
            return _refused("access.office_letters_handlers_only")
        if office is not None and office.id != p.office_id:
            return _refused("access.office_letter_own_office", office=office.name)
        levels = get_kind(letter_kind).issuers if letter_kind else ()
        if levels and p.office.kind not in levels:  # e.g. the report to the ministers: a province's or RI's
            return _refused("access.office_letter_level", kind=get_kind(letter_kind).label_id)
        return ALLOWED
    if Role.OPERATOR in p.roles:
        return ALLOWED
    if Role.BAWASLU_HANDLER not in p.roles or p.office is None:
        return _refused("access.prevention_handlers_only")
    if region_code is not None and not region_in_area(p.office, region_code):
        return _refused("access.region_outside_office", region=region_code, office=p.office.code)
    return ALLOWED


def _oversees(office_id: int, office: Office) -> bool:
    """`office_id` is `office` or one of the offices above it (its parents: kab/kota → provinsi → RI)."""
    seen = 0
    while office is not None and seen < 8:  # a loop in bad data ends here, refused
        if office.id == office_id:
            return True
        office, seen = office.parent, seen + 1
    return False


def _triage(p: Principal, item: InformationItem | None) -> Decision:
    """Initial information is seen and triaged by the handlers of the office it reached; what reached no office (a
    WhatsApp number no office is named for) by Bawaslu RI's handlers, who pass it on. Without an item: whether the
    principal has an inbox at all."""
    if Role.BAWASLU_HANDLER not in p.roles or p.office is None:
        return _hidden("access.page_not_found")
    if item is None:
        return ALLOWED
    if item.office_id is None:
        return ALLOWED if p.office.kind == "bawaslu_ri" else _hidden("information.not_found", id=item.id)
    return ALLOWED if item.office_id == p.office_id else _hidden("information.not_found", id=item.id)


def _take_step(p: Principal, case: Case, person: ReportedASN | None, command: StepLike | None) -> Decision:
    assert command is not None
    if person is not None and not sees_person(p, case, person):  # first: a person one may not see is not there
        return _person_hidden(person)
    roles = {Role(r) for r in command.roles if r in Role.__members__.values()} & p.roles
    if not roles:
        return _refused("workflow.role_not_allowed", command=command.label)
    if Role.SYSTEM in roles:
        return ALLOWED
    if roles & BAWASLU and handles(p, case):
        return ALLOWED
    if Role.OVERSIGHT_OFFICER in roles and person is not None and p.oversight_body_id is not None \
            and person.oversight_body_id == p.oversight_body_id:
        return ALLOWED
    if Role.BKPSDM_OFFICER in roles and person is not None and is_own_employee(p, person):
        return ALLOWED
    if command.on_track and person is None:
        return _refused("workflow.track_required", command=command.label)
    if roles & BAWASLU:
        return _refused("access.not_handling_office", number=case.number, office=case.office.name)
    if Role.OVERSIGHT_OFFICER in roles:
        return _refused("access.track_other_body", name=person.name if person else "-")
    return _person_hidden(person)


def _names_protected(letter_kind: str, addressee_key: str | None) -> bool:
    """A letter to the reporter, or an invitation to anyone but a reported ASN (the reporter, a witness, another
    person: the hearing's invitees, kept like the reporter and the witnesses), names someone protected."""
    recipient = get_kind(letter_kind).recipient
    if recipient == "invitee":
        return addressee_key is not None and not addressee_key.endswith(":reported")
    return recipient == "reporter"


def letter_names_protected(letter: Letter) -> bool:
    """Whether a letter names the reporter, a witness or another invitee: each read of it is noted in the access
    log (casework.privacy.reads)."""
    return _names_protected(letter.kind, None if letter.reported_asn_id is not None else "invitee:?:other")


def _reads_letter(p: Principal, case: Case, letter: Letter | None) -> bool:
    if letter is None or letter.case_id != case.id:
        return False
    protected = _names_protected(letter.kind, None if letter.reported_asn_id is not None else "invitee:?:other")
    if protected and not _sees_reporter(p, case):
        return False
    if get_kind(letter.kind).recipient == "police" and not sees_criminal_parts(p):
        return False
    if letter.reported_asn_id is not None:  # a letter about one person
        person = next((x for x in case.reported if x.id == letter.reported_asn_id), None)
        return person is not None and sees_person(p, case, person)
    return sees_every_person(p, case)  # a case-wide letter names everyone
