"""The system administrator's Pemilihan page: every election with its period, area and stages, and a form to add
one (Pemilu 2029, a region's Pilkada, a re-vote). The checks are casework.reference.elections.add_election's; a
refused form comes back as it was typed, with every problem listed, nothing saved."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from sqlalchemy import select

from admin.accounts import SysadminOnly
from admin.desk import principal
from admin.i18n import current_lang
from casework.adapters.db import transaction
from casework.errors import ValidationError
from casework.models import ELECTION_KINDS, ELECTION_STAGES, Province
from casework.reference.elections import KIND_LABELS, STAGE_LABELS, ElectionInput, add_election, list_elections


class ElectionsView(SysadminOnly, BaseView):
    def _page(self, *, form, problems, status: int = 200):
        lang = current_lang()
        return self.render("netra/elections.html", elections=list_elections(self.db), form=form, problems=problems,
                           kinds=[(k, KIND_LABELS[k].pick(lang)) for k in ELECTION_KINDS],
                           stages=[(s, STAGE_LABELS[s].pick(lang)) for s in ELECTION_STAGES],
                           kind_labels={k: v.pick(lang) for k, v in KIND_LABELS.items()},
                           stage_labels={k: v.pick(lang) for k, v in STAGE_LABELS.items()},
                           provinces=self.db.scalars(select(Province).order_by(Province.name)).all()), status

    @expose("/", methods=["GET"])
    def index(self):
        return self._page(form={}, problems=[])

    @expose("/", methods=["POST"])
    def add(self):
        form = request.form
        stages = {code: (form.get(f"{code}_starts_on", ""), form.get(f"{code}_ends_on", ""))
                  for code in ELECTION_STAGES if form.get(f"{code}_starts_on") or form.get(f"{code}_ends_on")}
        data = ElectionInput(code=form.get("code", ""), kind=form.get("kind", ""), name=form.get("name", ""),
                             voting_day=form.get("voting_day", ""), starts_on=form.get("starts_on", ""),
                             ends_on=form.get("ends_on", ""), province=form.get("province") or None,
                             regency=form.get("regency") or None, stages=stages, parent=form.get("parent") or None,
                             basis=form.get("basis", ""))
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                name = add_election(session, data, principal=principal()).name
        except ValidationError as exc:
            return self._page(form=form, problems=[p.render(current_lang()) for p in exc.problems], status=422)
        flash(_("Pemilihan ditambahkan: %(name)s", name=name), "success")
        return redirect(url_for(".index"))
