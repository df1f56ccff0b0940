"""Surat kantor: the office letters of casework.letters.office — the report of the PPKs that have not followed up
(sent from the PPK league table) and appeals (imbauan) to agencies' PPKs (from the prevention register). Asking
and issuing are one click: the request is written, then issued through the claim every letter goes through, so a
second click gets the letter already issued. Who may do what is the access module's (ISSUE_OFFICE_LETTER,
READ_OFFICE_LETTER)."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from admin.desk import login_url, principal
from admin.i18n import current_lang
from casework.access.policy import Action, permits
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.letters.issue import issue_letter, stored_pdf
from casework.letters.kinds import letter_kinds
from casework.letters.office import late_ppk_rows, office_letters, request_appeals, request_late_ppk_report
from casework.models import Agency, Election, Letter, Office


class OfficeLettersView(BaseView):
    def __init__(self, db, **kwargs):
        super().__init__(**kwargs)
        self.db = db

    def is_accessible(self) -> bool:  # each action asks the access module again (the domain authorizes)
        return current_user.is_authenticated and permits(principal(), Action.SEE_PREVENTION)

    def is_visible(self) -> bool:
        return False  # reached from the league table and the prevention register

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(404)
        return redirect(login_url())

    def _office(self) -> Office:
        """The user's own office: office letters are an office's (none for an oversight or BKPSDM officer)."""
        if principal().office_id is None:
            abort(404)
        return self.db.get(Office, principal().office_id)

    @expose("/")
    def index(self):
        office = self._office()
        kinds = letter_kinds()
        return self.render("netra/office_letters.html", office=office, rows=office_letters(self.db, office),
                           kinds=kinds, lang=current_lang())

    def _issue(self, request_ids: list[int]) -> None:
        lang = current_lang()
        for request_id in request_ids:
            try:
                letter = issue_letter(current_app.extensions["netra_sessions"], request_id, principal(),
                                      settings=current_app.config["NETRA_SETTINGS"])
            except CaseworkError as exc:  # already issued (a second click) or refused: said, nothing written
                flash(exc.render(lang), "warning")
            else:
                flash(_("Surat diterbitkan: %(number)s", number=letter.number), "success")

    @expose("/ppk", methods=["POST"])
    def late_ppk_report(self):
        """The late PPKs as this user's league table counts them now, frozen in the letter."""
        lang = current_lang()
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                rows = late_ppk_rows(session, principal())
                made = request_late_ppk_report(session, principal(), session.get(Office, self._office().id),
                                               rows, note=request.form.get("note", ""))
                request_id = made.id
        except ValidationError as exc:
            flash(" ".join(problem.render(lang) for problem in exc.problems), "danger")
            return redirect(url_for("league.index"))
        except CaseworkError as exc:
            flash(exc.render(lang), "danger")
            return redirect(url_for("league.index"))
        self._issue([request_id])
        return redirect(url_for(".index"))

    def _agencies(self) -> list[Agency]:
        """The agencies of the office's area, the way the directory names them."""
        office = self._office()
        query = select(Agency).order_by(Agency.level, Agency.name)
        if office.kind == "bawaslu_provinsi":
            query = query.where(Agency.province_code == office.province_code)
        elif office.kind != "bawaslu_ri":
            query = query.where(Agency.regency_code == office.regency_code)
        return list(self.db.scalars(query))

    @expose("/imbauan", methods=["GET", "POST"])
    def appeal(self):
        """Choose the agencies and the election; one appeal to each agency's PPK."""
        lang = current_lang()
        if not permits(principal(), Action.ISSUE_OFFICE_LETTER, office=self._office(),
                       letter_kind="neutrality_appeal"):
            abort(403)  # a head: the office's letters are its handlers' to write
        agencies = self._agencies()
        elections = list(self.db.scalars(select(Election).order_by(Election.voting_day.desc())))
        if request.method == "POST":
            chosen = {int(v) for v in request.form.getlist("agency") if v.isdigit()}
            election = next((e for e in elections if str(e.id) == request.form.get("election")), None)
            picked = [a for a in agencies if a.id in chosen]
            if election is None:
                flash(_("Pilih pemilihan yang dimaksud."), "danger")
            else:
                try:
                    with transaction(current_app.extensions["netra_sessions"]) as session:
                        made = request_appeals(session, principal(), session.get(Office, self._office().id),
                                               [session.get(Agency, a.id) for a in picked], election=election.name,
                                               note=request.form.get("note", ""))
                        ids = [r.id for r in made]
                except ValidationError as exc:
                    flash(" ".join(problem.render(lang) for problem in exc.problems), "danger")
                except CaseworkError as exc:
                    flash(exc.render(lang), "danger")
                else:
                    self._issue(ids)
                    return redirect(url_for(".index"))
        return self.render("netra/office_appeal.html", agencies=agencies, elections=elections,
                           chosen=set(request.form.getlist("agency")), election=request.form.get("election", ""),
                           note=request.form.get("note", ""))

    @expose("/<int:letter_id>.pdf")
    def pdf(self, letter_id: int):
        letter = self.db.get(Letter, letter_id)
        if letter is None or letter.case_id is not None or letter.status not in ("issued", "superseded"):
            abort(404)
        office = self.db.scalar(select(Office).where(Office.code == letter.office_code))
        if office is None or not permits(principal(), Action.READ_OFFICE_LETTER, office=office):
            abort(404)
        try:
            data = stored_pdf(self.db, letter, current_app.config["NETRA_SETTINGS"])
        except (NotFound, CaseworkError, OSError):
            abort(404)
        name = letter.number.replace("/", "-")
        return Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}.pdf"',
                                 "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})
