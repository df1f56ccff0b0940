"""The system administrator's pages: users (roles, scope, password, lock) and offices. No case content here.
Each change is audited; passwords are stored as argon2 hashes only and never shown."""
from __future__ import annotations

from flask import abort, g, redirect, request, url_for
from flask_admin.contrib.sqla import ModelView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import Length, Optional

from casework import audit
from casework.models import Office, User
from casework.accounts.passwords import hash_password
from casework.access.scope import role_codes


class SysadminOnly:
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and "sysadmin" in role_codes(g.netra_user)

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(404)
        return redirect(url_for("auth.login_page", next=request.full_path))


class UserAdminView(SysadminOnly, ModelView):
    can_delete = False  # deactivate instead: the audit trail keeps naming the user
    column_list = ["username", "full_name", "roles", "office", "oversight_body", "agency", "is_active",
                   "failed_logins"]
    column_labels = {"username": _l("Nama pengguna"), "full_name": _l("Nama"), "roles": _l("Peran"),
                     "office": _l("Kantor"), "oversight_body": _l("Badan pengawas"), "agency": _l("Instansi"),
                     "is_active": _l("Aktif"), "failed_logins": _l("Gagal masuk"), "new_password": _l("Kata sandi baru")}
    column_searchable_list = ["username", "full_name"]
    form_columns = ["username", "full_name", "email", "roles", "office", "oversight_body", "agency", "is_active",
                    "locale", "new_password"]
    form_extra_fields = {"new_password": PasswordField(validators=[Optional(), Length(min=10)])}

    def on_model_change(self, form, model, is_created):
        if form.new_password.data:
            model.password_hash = hash_password(form.new_password.data)
            model.failed_logins, model.locked_until = 0, None
        elif is_created:
            model.password_hash = hash_password(hash_password("unusable"))  # no login until a password is set
        self.session.flush()
        audit.record(self.session, actor=g.netra_user.username, action="user.created" if is_created else "user.changed",
                     entity="user", entity_id=model.id,
                     after={"username": model.username, "roles": sorted(role_codes(model)),
                            "office": model.office.code if model.office else None, "is_active": model.is_active,
                            "password_changed": bool(form.new_password.data)})


class OfficeAdminView(SysadminOnly, ModelView):
    can_delete = False
    column_list = ["code", "name", "kind", "city", "letter_unit_code", "head_name", "email"]
    column_labels = {"code": _l("Kode"), "name": _l("Nama"), "kind": _l("Jenis"), "city": _l("Kota"),
                     "letter_unit_code": _l("Kode unit surat"), "head_name": _l("Nama ketua"), "email": "Email"}
    form_columns = ["name", "city", "address", "email", "letter_unit_code", "head_name", "parent"]

    def on_model_change(self, form, model, is_created):
        audit.record(self.session, actor=g.netra_user.username, action="office.changed", entity="office",
                     entity_id=model.id, after={"code": model.code, "name": model.name,
                                                "letter_unit_code": model.letter_unit_code})


def add_views(admin, db) -> None:
    admin.add_view(UserAdminView(User, db, name=_l("Pengguna"), endpoint="users", url="/pengguna",
                                 category=_l("Administrasi")))
    admin.add_view(OfficeAdminView(Office, db, name=_l("Kantor"), endpoint="offices", url="/kantor",
                                   category=_l("Administrasi")))
