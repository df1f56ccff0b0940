"""The organisations directory (issue 17 item 5): the addresses notices and letters are emailed to — each agency's
personnel unit (BKPSDM/BKD) and PPK, each oversight body. Bawaslu offices' addresses are on *Kantor*. Only the
system administrator edits it (casework.access.policy, Action.ADMINISTER); each change is audited. A case that owes
an institution without an address shows it as a task (casework.mail.notifications.missing_addresses), which goes
away as soon as the address is saved here."""
from __future__ import annotations

import re

from flask import abort, g, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import ValidationError as FormError

from admin.desk import principal
from casework import audit
from casework.access.policy import Action, permits
from casework.models import Agency, OversightBody

# one address, as people type it: local@domain.tld (the SMTP relay is the real judge)
ADDRESS = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


class DirectoryAccess:
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and permits(principal(), Action.ADMINISTER)

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(404)
        return redirect(url_for("auth.login_page", next=request.full_path))


def checked_address(label: str, value: str | None) -> str:
    value = (value or "").strip()
    if value and not ADDRESS.fullmatch(value):
        raise FormError(_("%(field)s: bukan alamat email yang sah (contoh: bkpsdm@kabupaten.go.id).", field=label))
    return value


class AgencyDirectoryView(DirectoryAccess, ModelView):
    can_create = False  # agencies come with the reference data; the directory completes their addresses
    can_delete = False
    column_list = ["code", "name", "personnel_unit_name", "personnel_unit_email", "ppk_title", "ppk_email"]
    column_labels = {"code": _l("Kode"), "name": _l("Instansi"), "personnel_unit_name": _l("Unit kepegawaian"),
                     "personnel_unit_email": _l("Email BKPSDM/BKD"), "ppk_title": "PPK", "ppk_email": _l("Email PPK"),
                     "ppk_supervisor": _l("Atasan PPK"), "city": _l("Kota"), "address": _l("Alamat")}
    column_searchable_list = ["code", "name", "personnel_unit_name"]
    form_columns = ["name", "personnel_unit_name", "personnel_unit_email", "ppk_title", "ppk_email", "ppk_supervisor",
                    "city", "address"]

    def on_model_change(self, form, model, is_created):
        model.personnel_unit_email = checked_address(_("Email BKPSDM/BKD"), model.personnel_unit_email)
        model.ppk_email = checked_address(_("Email PPK"), model.ppk_email)
        audit.record(self.session, actor=g.netra_user.username, action="agency.changed", entity="agency",
                     entity_id=model.id, after={"code": model.code, "personnel_unit_email": model.personnel_unit_email,
                                                "ppk_email": model.ppk_email})


class OversightBodyDirectoryView(DirectoryAccess, ModelView):
    can_create = False  # the bodies and their validity are rules data (casework/rules/oversight_bodies.toml)
    can_delete = False
    column_list = ["code", "name", "email"]
    column_labels = {"code": _l("Kode"), "name": _l("Nama"), "email": "Email", "address": _l("Alamat")}
    form_columns = ["email", "address"]

    def on_model_change(self, form, model, is_created):
        model.email = checked_address("Email", model.email)
        audit.record(self.session, actor=g.netra_user.username, action="oversight_body.changed",
                     entity="oversight_body", entity_id=model.id, after={"code": model.code, "email": model.email})


def add_directory_views(admin, db) -> None:
    admin.add_view(AgencyDirectoryView(Agency, db, name=_l("Instansi: BKPSDM dan PPK"), endpoint="directory_agencies",
                                       url="/direktori/instansi", category=_l("Direktori")))
    admin.add_view(OversightBodyDirectoryView(OversightBody, db, name=_l("Badan pengawas"),
                                              endpoint="directory_oversight", url="/direktori/badan-pengawas",
                                              category=_l("Direktori")))
