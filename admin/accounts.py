"""The system administrator's pages: users (roles, scope, activation, lock) and offices. No case content here, and
no way to it: the rules of casework.accounts.users keep the administrator from holding or handing themselves a
role that sees cases. Each change is audited; passwords are stored as argon2 hashes only and never shown."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request
from flask_admin.contrib.sqla import ModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, PasswordField
from wtforms.validators import Length, Optional
from wtforms.validators import ValidationError as FormError

from admin.desk import login_url
from admin.i18n import current_lang
from casework import audit
from casework.access.scope import role_codes
from casework.accounts.users import AccountState, save_account, sees_cases
from casework.errors import CaseworkError, ValidationError
from casework.models import Office, SigningOfficial, User
from casework.i18n.messages import message
from casework.road.nip import nip_problems, normalize_nip
from casework.rules import load


class SysadminOnly:
    list_template = "netra/model_list.html"  # rows become cards on a phone

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and "sysadmin" in role_codes(g.netra_user)

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(404)
        return redirect(login_url())


class UserAdminView(SysadminOnly, ModelView):
    """Users. The rules are casework.accounts.users.save_account's (this view only collects the form): sysadmin never
    with a role that sees cases; a password only for accounts without such a role (others get an emailed
    activation link and their owner sets it); the institution told of every change to an account that sees cases."""

    can_delete = False  # deactivate instead: the audit trail keeps naming the user
    column_list = ["username", "full_name", "roles", "office", "oversight_body", "agency", "is_active",
                   "failed_logins"]
    column_labels = {"username": _l("Nama pengguna"), "full_name": _l("Nama"), "roles": _l("Peran"),
                     "office": _l("Kantor"), "oversight_body": _l("Badan pengawas"), "agency": _l("Instansi"),
                     "is_active": _l("Aktif"), "failed_logins": _l("Gagal masuk"), "locale": _l("Bahasa")}
    column_searchable_list = ["username", "full_name"]
    form_columns = ["username", "full_name", "email", "roles", "office", "oversight_body", "agency", "is_active",
                    "locale", "new_password", "send_activation"]
    form_extra_fields = {
        # labelled here: Flask-Admin's column_labels do not reach extra fields
        "new_password": PasswordField(_l("Kata sandi baru"), validators=[Optional(), Length(min=10)], description=_l(
            "Hanya untuk akun tanpa peran yang melihat kasus (administrator sistem). Akun yang melihat kasus "
            "menerima tautan aktivasi lewat email dan pemiliknya sendiri yang membuat kata sandi.")),
        "send_activation": BooleanField(_l("Kirim tautan aktivasi baru"), description=_l(
            "Pemiliknya membuat kata sandi baru lewat tautan yang dikirim ke emailnya (misalnya bila lupa kata "
            "sandi). Kata sandi lama tetap berlaku sampai tautan dipakai.")),
    }

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and sees_cases(role_codes(obj)):
            del form.new_password  # not offered for an account whose owner sets the password
        return form

    def update_model(self, form, model):
        g.user_before = AccountState.of(model)  # before the form is copied onto it
        return super().update_model(form, model)

    def on_model_change(self, form, model, is_created):
        # a password posted although the form did not offer it goes to the rules too: refused, audited and told
        new_password = form.new_password.data if "new_password" in form else request.form.get("new_password")
        try:
            g.user_outcome = save_account(
                self.session, model, before=None if is_created else g.pop("user_before"),
                actor=g.netra_user.username, base_url=current_app.config["NETRA_SETTINGS"].base_url,
                new_password=new_password or None, send_activation=bool(form.send_activation.data))
        except ValidationError as exc:
            raise FormError("; ".join(p.render(current_lang()) for p in exc.problems)) from exc
        except CaseworkError as exc:
            raise FormError(exc.render(current_lang())) from exc

    def after_model_change(self, form, model, is_created):
        outcome = g.pop("user_outcome", None)
        if outcome is None:
            return
        if outcome.password_refused:
            flash(_("Kata sandi tidak disimpan: akun yang melihat kasus membuat kata sandinya sendiri lewat tautan "
                    "aktivasi."), "warning")
        if outcome.activation is not None and model.email:
            flash(_("Tautan aktivasi dikirim ke %(email)s (berlaku 72 jam).", email=model.email), "info")
        if outcome.notice_to:
            flash(_("Pemberitahuan dikirim ke %(to)s.", to=", ".join(outcome.notice_to)), "info")


class OfficeAdminView(SysadminOnly, ModelView):
    can_delete = False
    column_list = ["code", "name", "kind", "city", "letter_unit_code", "head_name", "email", "own_timezone"]
    column_labels = {"code": _l("Kode"), "name": _l("Nama"), "kind": _l("Jenis"), "city": _l("Kota"),
                     "letter_unit_code": _l("Kode unit surat"), "head_name": _l("Nama ketua"), "email": "Email",
                     "own_timezone": _l("Zona waktu sendiri (kantor luar negeri)")}
    form_columns = ["name", "city", "address", "email", "letter_unit_code", "head_name", "parent", "own_timezone"]
    # the zones of rules/timezones.toml; empty: the province's (WIB / WITA / WIT)
    form_choices = {"own_timezone": [("", "-")] + [(z, z) for z in load("timezones")["zones"]]}

    def on_model_change(self, form, model, is_created):
        audit.record(self.session, actor=g.netra_user.username, action="office.changed", entity="office",
                     entity_id=model.id, after={"code": model.code, "name": model.name,
                                                "letter_unit_code": model.letter_unit_code})


def _can_sign(model: SigningOfficial) -> bool:
    from casework.signing.pades import signer_for

    return model.office is not None and model.id is not None and signer_for(
        current_app.config["NETRA_SETTINGS"]).can_sign(model.office.code, model.id)


class SigningOfficialAdminView(SysadminOnly, ModelView):
    """Who may sign an office's letters (casework.letters.signers): its head and whoever acts for them. An official
    is never deleted — a letter names them — but given the last day of their term."""

    can_delete = False
    column_list = ["office", "name", "title", "nip", "signs_as", "acting", "valid_from", "valid_until", "key"]
    column_labels = {"office": _l("Kantor"), "name": _l("Nama"), "title": _l("Jabatan (seperti tercetak)"),
                     "nip": "NIP", "acting": _l("Plh./Plt."), "valid_from": _l("Mulai menjabat"),
                     "valid_until": _l("Akhir menjabat"), "user": _l("Akun desk"), "signs_as": _l("Peran"),
                     "key": _l("Sertifikat elektronik")}
    column_default_sort = ("office_id", False)
    form_columns = ["office", "name", "title", "nip", "signs_as", "acting", "valid_from", "valid_until", "user"]
    # a paraf official initials letters before the signer (casework.letters.signatures); never chosen as signer
    form_choices = {"signs_as": [("ttd", _l("Penanda tangan")), ("paraf", _l("Paraf (penyusun naskah)"))]}
    # whether the official's key is installed (casework.signing.keystore; `netra signing install`, never here)
    column_formatters = {"key": lambda view, context, model, name: _("terpasang") if _can_sign(model) else "-",
                         "signs_as": lambda view, context, model, name: (
                             _("Paraf") if model.signs_as == "paraf" else _("Penanda tangan"))}

    def on_model_change(self, form, model, is_created):
        problems = []
        if not (model.name or "").strip() or not (model.title or "").strip():
            problems.append(_("Nama dan jabatan wajib diisi."))
        model.nip = normalize_nip(model.nip) or None
        if model.nip:
            problems += [f"NIP: {message(code, current_lang(), **params)}" for code, params in nip_problems(model.nip)]
        if model.signs_as not in ("ttd", "paraf"):
            problems.append(_("Peran penanda tangan tidak dikenal."))
        if model.valid_from and model.valid_until and model.valid_until < model.valid_from:
            problems.append(_("Akhir menjabat lebih awal dari mulai menjabat."))
        if problems:
            raise FormError(" ".join(problems))
        audit.record(self.session, actor=g.netra_user.username, action="signer.changed", entity="signing_official",
                     entity_id=model.id or 0, after={"office": model.office.code if model.office else None,
                                                     "name": model.name, "title": model.title,
                                                     "acting": bool(model.acting), "signs_as": model.signs_as,
                                                     "valid_from": str(model.valid_from or ""),
                                                     "valid_until": str(model.valid_until or "")})


def add_views(admin, db) -> None:
    admin.add_view(UserAdminView(User, db, name=_l("Pengguna"), endpoint="users", url="/pengguna",
                                 category=_l("Administrasi")))
    admin.add_view(OfficeAdminView(Office, db, name=_l("Kantor"), endpoint="offices", url="/kantor",
                                   category=_l("Administrasi")))
    admin.add_view(SigningOfficialAdminView(SigningOfficial, db, name=_l("Pejabat penanda tangan"), endpoint="signers",
                                            url="/penanda-tangan", category=_l("Administrasi")))
    from admin.elections import ElectionsView
    elections = ElectionsView(name=_l("Pemilihan"), endpoint="elections", url="/pemilihan",
                              category=_l("Administrasi"))
    elections.db = db
    admin.add_view(elections)
