"""Surat: a case's letters on the desk — the letters it is owed (preview, issue) and the issued ones (download).
Who may issue and read which letter is casework.access's decision; numbering, rendering and storing is
casework.letters'. Served under the case's URL (/kasus/<number>/surat/...)."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from admin.desk import DeskAccess, attachment, principal
from admin.i18n import current_lang
from casework.access.policy import Action, authorize, permits
from casework.access.principal import Principal
from casework.errors import CaseworkError, NotFound
from casework.letters.issue import issue_letter, stored_pdf
from casework.letters.kinds import get_kind, letter_kinds
from casework.letters.render import render_draft
from casework.mail.correspondence import pending_letters
from casework.models import Case, Letter
from casework.road.cases import get_case


def owed_letters(session: Session, p: Principal, case: Case) -> list:
    """(kind, addressee labels) the case is owed and `p` may issue."""
    if not permits(p, Action.ISSUE_LETTER, case):
        return []
    owed: dict[str, list[str]] = {}
    for item in pending_letters(session, case):
        owed.setdefault(item.kind, []).append(item.label)
    return [(get_kind(code), labels) for code, labels in owed.items()
            if permits(p, Action.ISSUE_LETTER, case, letter_kind=code)]


class CaseLettersView(DeskAccess, BaseView):
    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):  # Flask-Admin wants a default view; /kasus/ itself is the case page's (it lists the cases)
        return redirect(url_for("cases.index_view"))

    def _case(self, number: str, kind: str | None = None) -> Case:
        """The case, if this user may prepare a letter of this kind on it (issue it, and read whom it names)."""
        if kind is not None and kind not in letter_kinds():
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

    @expose("/<number>/surat/draf/<kind>")
    def letter_preview(self, number: str, kind: str):
        self._case(number, kind)
        try:
            data = render_draft(self.db, number, kind, recipient=request.args.get("penerima", 0, type=int))
        except CaseworkError:
            abort(404)
        return Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="draf-{kind}.pdf"'})

    @expose("/<number>/surat/<kind>", methods=["POST"])
    def letter_issue(self, number: str, kind: str):
        self._case(number, kind)
        try:
            letter = issue_letter(current_app.extensions["netra_sessions"], number, kind,
                                  actor=principal().username, recipient=request.form.get("recipient", 0, type=int),
                                  settings=current_app.config["NETRA_SETTINGS"])
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
        else:
            flash(_("Surat diterbitkan: %(number)s", number=letter.number), "success")
        return redirect(url_for("case.show", number=number))

    @expose("/<number>/surat/berkas/<int:letter_id>")
    def letter_file(self, number: str, letter_id: int):
        case = self._case(number)
        letter = self.db.get(Letter, letter_id)
        try:
            authorize(principal(), Action.READ_LETTER, case, letter=letter)
        except (NotFound, CaseworkError):
            abort(404)
        if letter.status != "issued":
            abort(404)
        data = stored_pdf(self.db, letter, current_app.config["NETRA_SETTINGS"])
        return attachment(data, f"{letter.number.replace('/', '-')}.pdf")
