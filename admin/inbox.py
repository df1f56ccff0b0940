"""The desk's inbox of initial information (/informasi-awal): a handler's items, newest first, and one item's page
with its triage — take it up (the intake form, filled in from it), link it to a case, or dismiss it with a reason.
What may be seen and done is casework.inbox's, through the access module."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from admin.desk import principal
from admin.i18n import current_lang
from casework.access.policy import Action, permits
from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.i18n.catalog import N_
from casework.inbox.items import dismiss, get_item, inbox, link
from casework.models import INFORMATION_STATUSES

STATUS_LABELS = {"new": N_("Baru"), "taken_up": N_("Ditindaklanjuti"), "linked": N_("Dikaitkan ke kasus"),
                 "dismissed": N_("Ditutup"), "all": N_("Semua")}


class InboxView(BaseView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and permits(principal(), Action.TRIAGE_INFORMATION)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        return abort(404) if current_user.is_authenticated else redirect(url_for("auth.login_page"))

    @expose("/")
    def index(self):
        status = request.args.get("status", "new")
        if status not in (*INFORMATION_STATUSES, "all"):
            status = "new"
        with current_app.extensions["netra_sessions"]() as session:
            items = inbox(session, principal(), status=None if status == "all" else status)
            return self.render("netra/inbox.html", items=items, status=status, labels=STATUS_LABELS,
                               statuses=(*INFORMATION_STATUSES, "all"))

    def _item_page(self, item_id: int, problem: str = "", status: int = 200):
        with current_app.extensions["netra_sessions"]() as session:
            try:
                item = get_item(session, principal(), item_id)
            except CaseworkError:
                abort(404)
            return self.render("netra/inbox_item.html", item=item, labels=STATUS_LABELS, problem=problem,
                               form=request.form), status

    @expose("/<int:item_id>")
    def show(self, item_id: int):
        return self._item_page(item_id)

    @expose("/<int:item_id>/tutup", methods=["POST"])
    def dismiss(self, item_id: int):
        return self._triage(item_id, lambda s, p, v: dismiss(s, p, item_id, request.form.get("reason", ""),
                                                             version=v), _("Informasi awal ditutup."))

    @expose("/<int:item_id>/kaitkan", methods=["POST"])
    def link(self, item_id: int):
        return self._triage(item_id, lambda s, p, v: link(s, p, item_id, request.form.get("number", ""),
                                                          version=v), _("Informasi awal dikaitkan ke kasus."))

    def _triage(self, item_id: int, act, done: str):
        try:
            version = int(request.form.get("version", ""))
        except ValueError:
            version = None
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                act(session, principal(), version)
        except CaseworkError as exc:
            if exc.code == "information.not_found":
                abort(404)
            return self._item_page(item_id, problem=exc.render(current_lang()), status=422)
        flash(done, "success")
        return redirect(url_for(".show", item_id=item_id))
