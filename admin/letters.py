"""Surat: a case's letters on the desk — the letters it is owed (its open letter requests: preview, issue), the
issued ones (download; reissue as a correction, with a reason). Who may issue and read which letter is
casework.access's decision; claiming, numbering, rendering and storing is casework.letters'. Served under the
case's URL (/kasus/<number>/surat/...).

Issuing posts the request's id (`request`) to /kasus/<number>/surat/<kind>; a form of the earlier desk that posts
only the addressee's index (`recipient`) still works: it names the request of that kind for that addressee."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.desk import DeskAccess, attachment, note_read, principal
from admin.i18n import current_lang
from casework.access.policy import Action, authorize, letter_names_protected, permits
from casework.access.principal import Principal
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.letters.addressees import addressees
from casework.adapters.db import transaction
from casework.letters.issue import correct_letter, issue_letter, stored_pdf
from casework.letters.links import grant_of, live_link, reissue, url_of
from casework.mail.correspondence import letter_recipients, queue_link_email
from casework.letters.kinds import LetterKind, case_letter_kinds, get_kind
from casework.letters.render import render_draft
from casework.letters.signers import default_signer, on_duty
from casework.letters.requests import abandoned, find_request, owed, recipient_index, reserved_letter
from casework.models import Case, Letter, LetterRequest, utcnow
from casework.reference.timezones import local_today
from casework.road.cases import get_case


@dataclass
class OwedLetter:
    """One letter request still owed, as the letters section shows it."""

    request_id: int
    kind: LetterKind
    addressee: str
    status: str  # open / claimed
    recipient: int | None  # the addressee's index today (the draft's ?penerima=); None: no longer on the case
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    reserved_number: str | None = None
    abandoned: bool = False  # claimed by an issuer that is gone: issuing now takes it over


@dataclass
class LettersSection:
    owed: list[OwedLetter] = field(default_factory=list)
    correctable: set[int] = field(default_factory=set)  # ids of issued letters this user may reissue
    signers: list[tuple[int, str]] = field(default_factory=list)  # the office's signing officials on duty today
    signer: int | None = None  # the default one (the issuer, if they sign; else the head on duty)
    # issued letters' live links to their addressee (casework.letters.links), for the handler to pass on when the
    # addressee has no email address — and only a link that confirms receipt: one that also records a decree is
    # the PPK's alone (a handler holding it could record as the PPK): letter id -> URL
    link_urls: dict[int, str] = field(default_factory=dict)


def letters_section(session: Session, p: Principal, case: Case) -> LettersSection:
    """What the case still owes that `p` may issue, and which issued letters `p` may correct."""
    section = LettersSection()
    if not permits(p, Action.ISSUE_LETTER, case):
        return section
    may = {code for code in case_letter_kinds() if permits(p, Action.ISSUE_LETTER, case, letter_kind=code)}
    today = local_today(case.office.timezone, utcnow())
    for row in owed(session, case):
        if row.kind not in may or not permits(p, Action.ISSUE_LETTER, case, letter_kind=row.kind,
                                              addressee_key=row.addressee_key):
            continue
        try:
            index = recipient_index(session, case, row, today)
        except CaseworkError:
            index = None
        reserved = reserved_letter(session, row) if row.status == "claimed" else None
        section.owed.append(OwedLetter(row.id, get_kind(row.kind), row.addressee_label, row.status, index,
                                       row.claimed_by, row.claimed_at, reserved.number if reserved else None,
                                       abandoned(row)))
    officials = on_duty(session, case.office, today)
    section.signers = [(o.id, f"{o.name} — {o.title}") for o in officials]
    section.signer = default_signer(session, case.office, today, p.username).id
    section.correctable = set(session.scalars(select(Letter.id).where(
        Letter.case_id == case.id, Letter.status == "issued", Letter.kind.in_(may))))
    settings = current_app.config["NETRA_SETTINGS"]
    for letter_id in section.correctable:
        link = live_link(session, letter_id)
        letter = session.get(Letter, letter_id)
        if link is None or grant_of(letter).steps or letter_recipients(session, case, letter):
            continue
        url = url_of(link, settings)
        if url is not None:
            section.link_urls[letter_id] = url
    return section


class CaseLettersView(DeskAccess, BaseView):
    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):  # Flask-Admin wants a default view; /kasus/ itself is the case page's (it lists the cases)
        return redirect(url_for("cases.index_view"))

    def _case(self, number: str, kind: str | None = None) -> Case:
        """The case, if this user may prepare a letter of this kind on it (issue it, and read whom it names)."""
        if kind is not None and kind not in case_letter_kinds():
            abort(404)
        try:
            case = get_case(self.db, number)
            if kind is not None:
                authorize(principal(), Action.ISSUE_LETTER, case, letter_kind=kind)
            else:
                authorize(principal(), Action.SEE_CASE, case)
        except CaseworkError:
            abort(404)
        return case

    def _back(self, number: str):
        self.db.expire_all()
        return redirect(url_for("case.show", number=number))

    @expose("/<number>/surat/draf/<kind>")
    def letter_preview(self, number: str, kind: str):
        case = self._case(number, kind)
        index = request.args.get("penerima", 0, type=int)
        try:
            targets = addressees(self.db, case, get_kind(kind), local_today(case.office.timezone, utcnow()))
            authorize(principal(), Action.ISSUE_LETTER, case, letter_kind=kind,
                      addressee_key=targets[index].key if 0 <= index < len(targets) else None)
        except CaseworkError:
            abort(404)
        try:
            data = render_draft(self.db, number, kind, recipient=request.args.get("penerima", 0, type=int),
                                base_url=current_app.config["NETRA_SETTINGS"].base_url)
        except CaseworkError:
            abort(404)
        return Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="draf-{kind}.pdf"'})

    @expose("/<number>/surat/<kind>", methods=["POST"])
    def letter_issue(self, number: str, kind: str):
        """Issue the letter a request asks for: the request is claimed once, so a second click, a second handler
        or Airflow's run issuing at the same moment gets the number already issued, never a second one."""
        case = self._case(number, kind)
        lang = current_lang()
        request_id = request.form.get("request", type=int)
        if request_id is not None:
            row = self.db.get(LetterRequest, request_id)
            if row is None or row.case_id != case.id or row.kind != kind:
                abort(404)
            try:  # the request's addressee may be someone this user may not know of (an invited witness)
                authorize(principal(), Action.ISSUE_LETTER, case, letter_kind=kind, addressee_key=row.addressee_key)
            except CaseworkError:
                abort(404)
        else:  # an earlier form: the addressee's index
            try:
                row = find_request(self.db, case, kind, request.form.get("recipient", 0, type=int),
                                   local_today(case.office.timezone, utcnow()))
            except CaseworkError as exc:
                flash(exc.render(lang), "danger")
                return self._back(number)
            if row is None:
                flash(_("Kasus ini tidak sedang menunggu surat ini; tidak ada yang diterbitkan."), "danger")
                return self._back(number)
            request_id = row.id
        try:
            letter = issue_letter(current_app.extensions["netra_sessions"], request_id, principal(),
                                  settings=current_app.config["NETRA_SETTINGS"],
                                  signer=request.form.get("signer") or None)
        except NotFound:
            abort(404)
        except CaseworkError as exc:
            flash(exc.render(lang), "danger")
        else:
            flash(_("Surat diterbitkan: %(number)s", number=letter.number), "success")
        return self._back(number)

    def _issued_letter(self, number: str, letter_id: int) -> Letter:
        """An issued letter of this case that this user may issue (correct, reissue its link); else 404."""
        letter = self.db.get(Letter, letter_id)
        if letter is None or letter.case_id != self._case(number, letter.kind).id:
            abort(404)
        return letter

    @expose("/<number>/surat/koreksi/<int:letter_id>", methods=["POST"])
    def letter_correct(self, number: str, letter_id: int):
        """Reissue an issued letter under a new number, for a reason (required): the earlier one is superseded."""
        lang = current_lang()
        letter = self._issued_letter(number, letter_id)
        try:
            new = correct_letter(current_app.extensions["netra_sessions"], letter.number, principal(),
                                 reason=request.form.get("reason", ""),
                                 settings=current_app.config["NETRA_SETTINGS"],
                                 signer=request.form.get("signer") or None)
        except NotFound:
            abort(404)
        except ValidationError as exc:
            flash(" ".join(problem.render(lang) for problem in exc.problems), "danger")
        except CaseworkError as exc:
            flash(exc.render(lang), "danger")
        else:
            flash(_("Surat diterbitkan ulang: %(new)s menggantikan %(old)s", new=new.number, old=letter.number),
                  "success")
        return self._back(number)

    @expose("/<number>/surat/tautan/<int:letter_id>", methods=["POST"])
    def letter_link_reissue(self, number: str, letter_id: int):
        """Revoke a letter's link to its addressee and make another, emailed to them (a lost or misdirected
        email): whoever may issue the letter."""
        letter = self._issued_letter(number, letter_id)
        settings = current_app.config["NETRA_SETTINGS"]
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                fresh = session.get(Letter, letter_id)
                reissue(session, fresh, settings, principal())
                kase = session.get(Case, fresh.case_id)
                queue_link_email(session, kase, fresh, letter_recipients(session, kase, fresh), settings=settings,
                                 actor=principal().username)
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
        else:
            flash(_("Tautan baru untuk surat %(number)s dibuat; tautan lama tidak berlaku lagi.",
                    number=letter.number), "success")
        return self._back(number)

    @expose("/<number>/surat/berkas/<int:letter_id>")
    def letter_file(self, number: str, letter_id: int):
        case = self._case(number)
        letter = self.db.get(Letter, letter_id)
        try:
            authorize(principal(), Action.READ_LETTER, case, letter=letter)
        except (NotFound, CaseworkError):
            abort(404)
        if letter.status not in ("issued", "superseded"):  # a superseded letter was sent: its file stays readable
            abort(404)
        data = stored_pdf(self.db, letter, current_app.config["NETRA_SETTINGS"])
        if letter_names_protected(letter):  # it names the reporter or an invitee: a read of them (docs/privacy.md)
            note_read(case.id, "letter", item=letter.number)
        return attachment(data, f"{letter.number.replace('/', '-')}.pdf")
