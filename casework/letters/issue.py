"""Formal letters (naskah dinas): kinds from casework/rules/letters.toml, Jinja2 templates in
casework/letters/templates, rendered to PDF/A by WeasyPrint.

A letter answers a request (casework.letters.requests): whoever issues it — the desk, Airflow, the CLI — calls
`issue_letter(request, principal)`, and the request is claimed once:

1. claim and reserve, one short transaction: `authorize(principal, ISSUE_LETTER)`, then
   `UPDATE letter_requests SET status='claimed' WHERE id=:id AND status='open'` — only the issuer whose UPDATE
   changes the row goes on; any other is told the number that was (or is being) issued, and writes nothing. The
   winner takes the next number (counter + letter row `reserved`, linked to the request);
2. render the PDF outside any transaction, sign it where its signer has a key (casework.letters.signatures: the
   plan is made in step 1, so a missing key refuses the issue before a number is taken), and store it;
3. finish, one transaction: the request becomes `issued` only if the claim is still this issuer's (`claims`
   unchanged), and the letter `issued`. A partial unique index (letters.request_id where status = 'issued')
   refuses a second live letter for a request whatever happens above.

Numbers never repeat: if anything fails after the reservation the letter is marked `void` — the number stays
recorded and is never handed out again, so a gap in a series is always a recorded void — and the request is put
back for the next issuer. A claim abandoned by an issuer that died mid-render (claimed for longer than
requests.STALE_CLAIM, its letter still reserved) is taken over by the next issuer: the abandoned number is voided
and the request put back first, in its own transaction. A correction (`correct_letter`, with a reason) claims an
issued request again, issues a new number and marks the earlier letter `superseded`."""
from __future__ import annotations

import hashlib
import os
import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import case as when
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound, Problem, ValidationError
from casework.i18n.dates import indonesian_date
from casework.letters.context import build_context
from casework.letters.kinds import format_number, get_kind
from casework.letters.links import close_waiting
from casework.letters.office import build_office_context
from casework.letters.render import render_pdf, verification_qr
from casework.letters.requests import abandoned, recipient_index, reserved_letter
from casework.letters.signatures import plan_signatures, record_signatures, sign_letter
from casework.letters.signers import choose_signer
from casework.models import Case, Letter, LetterRequest, Office, utcnow
from casework.numbering import next_value
from casework.reference.timezones import local_today
from casework.settings import Settings
from casework.textcheck import has_control_chars
from casework.webhooks.events import emit

REASON_MAX = 1000


class LetterBusy(CaseworkError):
    """The request was (or is being) answered by another issuer: said with the number, nothing written."""


def issue_letter(factory: sessionmaker[Session], request_id: int, principal: Principal, *, on: date | None = None,
                 settings: Settings, render=render_pdf, signer: int | str | None = None) -> Letter:
    """Claim the request, then number, render, store and record its letter (see the module docstring); `signer`:
    the signing official chosen (id or name; casework.letters.signers), else the default."""
    return _issue(factory, principal, request_id=request_id, on=on, settings=settings, render=render,
                  signer=signer)


def correct_letter(factory: sessionmaker[Session], number: str, principal: Principal, *, reason: str,
                   on: date | None = None, settings: Settings, render=render_pdf,
                   signer: int | str | None = None) -> Letter:
    """Issue an issued letter again under a new number, for a reason; the earlier one becomes `superseded` (its
    verification page names the new number, the date and the reason). An explicit act: never done by `deliver`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError([Problem("reason", "letter.correction_reason_required")])
    if len(reason) > REASON_MAX:
        raise ValidationError([Problem("reason", "too_long", {"max": REASON_MAX})])
    if has_control_chars(reason):
        raise ValidationError([Problem("reason", "text.control_chars")])
    return _issue(factory, principal, correcting=number, reason=reason, on=on, settings=settings, render=render,
                  signer=signer)


def _issue(factory: sessionmaker[Session], principal: Principal, *, request_id: int | None = None,
           correcting: str | None = None, reason: str = "", on: date | None = None,
           settings: Settings, render=render_pdf, signer: int | str | None = None) -> Letter:
    request_id = _take_over_if_abandoned(factory, principal, request_id=request_id, correcting=correcting)
    with transaction(factory) as session:  # 1. claim the request and reserve the number (short row locks)
        request, case, old = _load(session, request_id, correcting)
        kind = get_kind(old.kind if old is not None else request.kind)
        office = _authorize(session, principal, request, case, kind.code)  # before anything is said
        if old is not None and (request is None or old.status != "issued" or request.letter_id != old.id):
            raise CaseworkError("letter.not_correctable", number=old.number, status=old.status)
        now = utcnow()
        on = on or local_today(office.timezone, now)
        signed = choose_signer(session, office, on, signer, principal.username)
        plan = plan_signatures(session, settings, office, kind, signed, on, principal.username)
        for _ in range(3):  # a failed issuer may give the request back between our UPDATE and our look: again
            claimed = session.execute(
                update(LetterRequest)
                .where(LetterRequest.id == request.id,
                       *((LetterRequest.status == "issued", LetterRequest.letter_id == old.id) if old is not None
                         else (LetterRequest.status == "open",)))
                .values(status="claimed", claimed_by=principal.username, claimed_at=now,
                        claims=LetterRequest.claims + 1)
                .execution_options(synchronize_session=False)).rowcount
            if claimed == 1:
                break
            busy = _busy(session, request, old)
            if busy is not None:
                raise busy
        else:
            raise LetterBusy("letter.being_issued", number="-", actor="-")
        session.refresh(request)
        mine = request.claims
        context = build_context(session, case, kind, recipient_index(session, case, request, on), on,
                                base_url=settings.base_url) if case is not None \
            else build_office_context(session, office, kind, request, on, base_url=settings.base_url)
        context["signer"] = {"jabatan": signed.title, "name": signed.name, "nip": signed.nip}
        context["signature"] = plan.for_template() if plan is not None else None
        seq = next_value(session, f"letter:{office.code}:{kind.classification}:{on.year}")
        number = format_number(seq, kind.classification, context["unit"], on)
        token = secrets.token_urlsafe(18)
        letter = Letter(case_id=case.id if case is not None else None,
                        reported_asn_id=context["reported_asn_id"], kind=kind.code, office_code=office.code,
                        classification=kind.classification, year=on.year, seq=seq, number=number,
                        status="reserved", hal=context["letter"]["hal"][:300], recipient=context["recipient_label"],
                        issued_on=on, issued_by=principal.username, verify_token=token, request_id=request.id,
                        signer_id=signed.id, signer_name=signed.name, signer_title=signed.title)
        session.add(letter)
        session.flush()
        letter_id, case_id, old_id = letter.id, letter.case_id, old.id if old is not None else None
        audit.record(session, actor=principal.username, action="letter.reserved", entity="letter",
                     entity_id=letter_id, case_id=case_id,
                     after={"number": number, "kind": kind.code, "request": request.id,
                            **({"corrects": old.number, "reason": reason} if old is not None else {})})
    verify_url = f"{settings.base_url.rstrip('/')}/verifikasi/{token}"
    context["letter"]["number"] = number
    context.update(verification_qr(verify_url))
    path = None
    try:  # 2. render and store outside the transaction
        pdf, signatures = render(context), []
        if plan is not None:  # certified signatures, in order (casework.letters.signatures)
            pdf, signatures = sign_letter(pdf, plan, settings, number=number, now=utcnow())
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"{token}.pdf"
        path = settings.letters_dir / name
        _write_atomically(path, pdf)
        with transaction(factory) as session:  # 3. issued — if the claim is still ours
            won = session.execute(
                update(LetterRequest)
                .where(LetterRequest.id == request_id, LetterRequest.status == "claimed",
                       LetterRequest.claims == mine)
                .values(status="issued", letter_id=letter_id)
                .execution_options(synchronize_session=False)).rowcount
            if won != 1:
                raise LetterBusy("letter.claim_taken_over", number=number)
            if old_id is not None:  # first the earlier letter stops being the live one (the unique index)
                earlier = session.get(Letter, old_id)
                earlier.status, earlier.superseded_by_id, earlier.superseded_reason = "superseded", letter_id, reason
                close_waiting(session, old_id, utcnow(), status="cancelled",  # its addressee awaits the new one
                              actor=principal.username)
                session.flush()
                audit.record(session, actor=principal.username, action="letter.superseded", entity="letter",
                             entity_id=old_id, case_id=case_id, before={"status": "issued"},
                             after={"status": "superseded", "number": earlier.number, "superseded_by": number,
                                    "reason": reason})
            letter = session.get(Letter, letter_id)
            letter.status, letter.pdf_path, letter.sha256 = "issued", name, digest
            record_signatures(session, letter_id, case_id, signatures, principal.username)
            audit.record(session, actor=principal.username, action="letter.issued", entity="letter",
                         entity_id=letter_id, case_id=case_id,
                         after={"number": number, "sha256": digest, "request": request_id})
            if case_id is not None:  # subscribers follow cases; an office letter is on no case's feed
                case = session.get(Case, case_id)
                emit(session, "letter.issued", case, event_id=f"letter:{letter_id}", letter=letter,
                     data={"letter_id": letter_id, "number": number, "kind": letter.kind,
                           "url": f"/api/v1/cases/{case.number}/letters/{letter_id}/pdf"})
        return letter
    except LetterBusy:  # taken over while we rendered: the taker voided our number; our file answers nothing
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    except Exception as exc:
        _give_back(factory, principal, letter_id, request_id, mine, f"Gagal diterbitkan: {exc}")
        raise CaseworkError("letter.issue_failed", number=number, detail=str(exc)) from exc


def _load(session: Session, request_id: int | None, correcting: str | None
          ) -> tuple[LetterRequest | None, Case | None, Letter | None]:
    """The request (None: a letter voided before requests existed), its case (None: an office letter,
    casework.letters.office), and the letter being corrected."""
    if correcting is not None:
        old = get_letter(session, correcting)
        request = session.get(LetterRequest, old.request_id) if old.request_id else None
        return request, session.get(Case, old.case_id) if old.case_id is not None else None, old
    request = session.get(LetterRequest, request_id) if request_id is not None else None
    if request is None:
        raise NotFound("letter.request_not_found", id=request_id)
    return request, session.get(Case, request.case_id) if request.case_id is not None else None, None


def _authorize(session: Session, principal: Principal, request: LetterRequest | None, case: Case | None,
               kind: str) -> Office:
    """May `principal` issue this letter: a case's (ISSUE_LETTER on the case) or an office's (ISSUE_OFFICE_LETTER
    on its office)? Returns the office whose letter it is."""
    if case is not None:
        authorize(principal, Action.ISSUE_LETTER, case, letter_kind=kind,
                  addressee_key=request.addressee_key if request is not None else None)
        return case.office
    office = session.get(Office, request.office_id) if request is not None and request.office_id else None
    if office is None:
        raise NotFound("letter.request_not_found", id=request.id if request is not None else "-")
    authorize(principal, Action.ISSUE_OFFICE_LETTER, office=office, letter_kind=kind)
    return office


def _busy(session: Session, request: LetterRequest, old: Letter | None) -> LetterBusy | None:
    """Why this issuer lost: what the winner did, with its number (read after the lost UPDATE: committed); None
    when the request is claimable again (a failed issuer gave it back meanwhile)."""
    session.refresh(request)
    if (request.status == "open" and old is None) or (
            request.status == "issued" and old is not None and request.letter_id == old.id):
        return None
    if request.status == "issued" and request.letter_id:
        live = session.get(Letter, request.letter_id)
        return LetterBusy("letter.already_issued", number=live.number, date=indonesian_date(live.issued_on))
    if request.status == "claimed":
        reserved = reserved_letter(session, request)
        return LetterBusy("letter.being_issued", number=reserved.number if reserved else "-",
                          actor=request.claimed_by or "-")
    return LetterBusy("letter.not_owed", status=request.status)


def _take_over_if_abandoned(factory: sessionmaker[Session], principal: Principal, *, request_id: int | None,
                            correcting: str | None) -> int | None:
    """An issuer that claimed this request and then died (a killed worker mid-render) left it `claimed` with its
    number `reserved` for good. Once the claim is older than requests.STALE_CLAIM, void that number and put the
    request back where it was (open, or issued if it was a correction), in its own transaction; the caller then
    claims it like any other. Conditional on the claim seen (`claims`): of two issuers arriving at once only one
    takes over, and an issuer that was only slow finds its claim gone when it finishes (and writes nothing)."""
    with factory() as session:  # a look first: nearly always nothing is abandoned, and no write lock is needed
        if correcting is not None:
            letter = session.scalar(select(Letter).where(Letter.number == correcting))
            request_id = letter.request_id if letter is not None else None
        request = session.get(LetterRequest, request_id) if request_id is not None else None
        if request is None or not abandoned(request):
            return request_id
    with transaction(factory) as session:
        request = session.get(LetterRequest, request_id)
        if not abandoned(request):  # another issuer took it over meanwhile
            return request_id
        _authorize(session, principal, request,
                   session.get(Case, request.case_id) if request.case_id is not None else None, request.kind)
        released = session.execute(
            update(LetterRequest)
            .where(LetterRequest.id == request.id, LetterRequest.status == "claimed",
                   LetterRequest.claims == request.claims)
            .values(status=when((LetterRequest.letter_id.is_(None), "open"), else_="issued"))
            .execution_options(synchronize_session=False)).rowcount
        if released != 1:
            return request_id
        reason = (f"Penerbitan oleh {request.claimed_by} terhenti sejak {request.claimed_at:%Y-%m-%d %H:%M} UTC; "
                  f"diambil alih oleh {principal.username}")
        for letter in session.scalars(select(Letter).where(Letter.request_id == request.id,
                                                           Letter.status == "reserved")):
            letter.status, letter.void_reason = "void", reason
            audit.record(session, actor=principal.username, action="letter.voided", entity="letter",
                         entity_id=letter.id, case_id=letter.case_id,
                         after={"number": letter.number, "reason": reason, "request": request.id,
                                "taken_over_from": request.claimed_by})
    return request_id


def _give_back(factory: sessionmaker[Session], principal: Principal, letter_id: int, request_id: int, mine: int,
               reason: str) -> None:
    """After a failure: void our number and put the request back (open; issued again if this was a correction)
    — unless another issuer took the claim over meanwhile (then both are already theirs)."""
    with transaction(factory) as session:
        session.execute(update(LetterRequest)
                        .where(LetterRequest.id == request_id, LetterRequest.status == "claimed",
                               LetterRequest.claims == mine)
                        .values(status=when((LetterRequest.letter_id.is_(None), "open"), else_="issued"))
                        .execution_options(synchronize_session=False))
        letter = session.get(Letter, letter_id)
        if letter.status == "reserved":
            letter.status, letter.void_reason = "void", reason
            audit.record(session, actor=principal.username, action="letter.voided", entity="letter",
                         entity_id=letter_id, case_id=letter.case_id,
                         after={"number": letter.number, "reason": reason, "request": request_id})


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def get_letter(session: Session, number: str) -> Letter:
    letter = session.scalar(select(Letter).where(Letter.number == number))
    if letter is None:
        raise NotFound("letter.not_found", number=number)
    return letter


def void_letter(session: Session, number: str, *, actor: str, reason: str) -> Letter:
    """A void letter stays recorded with its number (never reused); verification says it is void."""
    letter = get_letter(session, number)
    if letter.status == "void":
        raise CaseworkError("letter.already_void", number=number)
    before = {"status": letter.status}
    letter.status, letter.void_reason = "void", reason
    close_waiting(session, letter.id, utcnow(), status="cancelled", actor=actor)
    # the case is owed that letter again: the request it answered is open for a new one
    reopened = session.execute(update(LetterRequest)
                               .where(LetterRequest.id == letter.request_id, LetterRequest.status == "issued",
                                      LetterRequest.letter_id == letter.id)
                               .values(status="open", letter_id=None)
                               .execution_options(synchronize_session=False)).rowcount if letter.request_id else 0
    audit.record(session, actor=actor, action="letter.voided", entity="letter", entity_id=letter.id,
                 case_id=letter.case_id, before=before,
                 after={"status": "void", "reason": reason, "request": letter.request_id,
                        "request_reopened": bool(reopened)})
    return letter


def stored_pdf(session: Session, letter: Letter, settings: Settings) -> bytes:
    """Exactly the stored bytes, checked against the recorded sha256."""
    if not letter.pdf_path:
        raise CaseworkError("letter.not_issued", number=letter.number, status=letter.status)
    data = (settings.letters_dir / letter.pdf_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise CaseworkError("letter.tampered", number=letter.number)
    return data
