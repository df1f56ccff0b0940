"""Login and logout: argon2 hashes and lockout from casework.accounts; CSRF on the form; Flask-Login session.

A session is fresh at login (cleared, then logged in), limited per client address (admin/security.py), dropped
when replayed from another address or browser (Flask-Login "strong"), kept on the server (casework.accounts.sessions:
the cookie names a row that logout, a password change or NETRA_SESSION_HOURS end), and bound to the password: the
id kept in the cookie also carries a keyed tag of the password hash, so a changed password ends every session that
was opened with the old one, even one changed behind the desk's back.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Optional

from admin import security
from admin.i18n import current_lang
import segno

from casework.accounts import sessions as desk_sessions
from casework.accounts.links import (
    ACTIVATE, SIGNIN, live_user, request_signin_link, use_activation_link, use_signin_link,
)
from casework.accounts.login import enable_totp, login, new_totp_secret, totp_uri, verify_second_factor
from casework.adapters.db import transaction
from casework.errors import CaseworkError, ValidationError
from casework.i18n.messages import message
from casework.models import User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
PENDING_2FA_SECONDS = 5 * 60  # between the password and the authenticator code


def _password_tag(user: User) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:20]


class DeskUser(UserMixin):
    """The signed-in user as Flask-Login keeps it: the cookie holds the server-side session's random id and a keyed
    tag of the password hash (a password changed anywhere, even straight in the database, ends the session)."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user = user
        self.session_id = session_id
        self.id = f"{session_id}:{_password_tag(user)}"


def init_app(app, db) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login_page"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(cookie_id: str):
        session_id, _, tag = cookie_id.partition(":")
        if not session_id or not tag:
            return None
        max_age = timedelta(hours=app.config["NETRA_SETTINGS"].session_hours)
        factory = app.extensions["netra_sessions"]
        # its own short session, not the request's `db`: the row may be written (seen, expired) in a transaction
        # of its own, and on SQLite `db` must not hold a read snapshot from before that write (a later write
        # through `db`, Flask-Admin's forms, would find it stale and fail)
        with factory() as reader:
            user_id = desk_sessions.current(reader, factory, session_id, max_age=max_age)
        if user_id is None:
            return None
        user = db.get(User, user_id, options=[selectinload(User.roles), selectinload(User.office)])
        if user is None or not user.is_active or not hmac.compare_digest(tag, _password_tag(user)):
            return None
        g.netra_user = user
        return DeskUser(user, session_id)


def _sign_in(user: User, method: str) -> None:
    """Open the server-side session and put its id in the (fresh) cookie."""
    with transaction(current_app.extensions["netra_sessions"]) as session:
        session_id = desk_sessions.start(session, user.id, method)
    login_user(DeskUser(user, session_id))


def _fresh_session() -> None:
    """A fresh session at sign-in (nothing planted before it survives: no fixation); the language is kept."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    security.start_session()


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired()])
    password = PasswordField("Kata sandi", validators=[DataRequired()])


@bp.route("/login", methods=["GET", "POST"])
def login_page():
    form = LoginForm()
    if form.validate_on_submit():
        if not security.login_allowed():
            return security.error_page(429)
        try:
            user = login(current_app.extensions["netra_sessions"], form.username.data, form.password.data)
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
            return render_template("netra/login.html", form=form), 401
        _fresh_session()
        if user.totp_secret:  # second step before the session is logged in
            session["pending_2fa"] = {"user": user.id, "at": _now(), "tag": _password_tag(user)}
            session["pending_next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("auth.second_factor"))
        _sign_in(user, "password")
        return redirect(_safe_next(request.args.get("next")) or url_for("admin.index"))
    return render_template("netra/login.html", form=form)


class CodeForm(FlaskForm):
    code = StringField("Kode", validators=[DataRequired()])


def _now() -> int:
    return int(time.time())


def _pending_second_factor() -> int | None:
    """The user whose password was just given, if it was given here less than PENDING_2FA_SECONDS ago and is
    still their password; otherwise the marker is dropped. A bare user id (or anything else) is no marker."""
    marker = session.get("pending_2fa")
    if isinstance(marker, dict) and isinstance(marker.get("user"), int) and isinstance(marker.get("at"), int):
        if 0 <= _now() - marker["at"] <= PENDING_2FA_SECONDS:
            user = current_app.extensions["netra_db"].get(User, marker["user"])
            if user is not None and user.is_active and hmac.compare_digest(str(marker.get("tag")),
                                                                            _password_tag(user)):
                return user.id
    session.pop("pending_2fa", None)
    session.pop("pending_next", None)
    return None


@bp.route("/login/kode", methods=["GET", "POST"])
def second_factor():
    user_id = _pending_second_factor()
    if not user_id:
        return redirect(url_for("auth.login_page"))
    form = CodeForm()
    if form.validate_on_submit():
        if not security.login_allowed():
            return security.error_page(429)
        try:
            user = verify_second_factor(current_app.extensions["netra_sessions"], user_id, form.code.data)
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
            return render_template("netra/code.html", form=form), 401
        target = session.pop("pending_next", None)
        session.pop("pending_2fa", None)
        _sign_in(user, "totp")
        return redirect(target or url_for("admin.index"))
    return render_template("netra/code.html", form=form)


class AccountView(BaseView):
    """The user's own account: turning on the TOTP second factor (a Flask-Admin view, hidden from the menu)."""

    def is_visible(self) -> bool:
        return False

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login_page"))

    @expose("/")
    def index(self):
        return redirect(url_for("account.totp"))

    @expose("/2fa", methods=["GET", "POST"])
    def totp(self):
        user = current_user.user
        form = CodeForm()
        secret = session.get("totp_enrolment") or new_totp_secret()
        session["totp_enrolment"] = secret  # kept in the session only until confirmed
        if form.validate_on_submit():
            try:
                enable_totp(current_app.extensions["netra_sessions"], user.id, secret, form.code.data)
            except CaseworkError as exc:
                flash(exc.render(current_lang()), "danger")
            else:
                session.pop("totp_enrolment", None)
                flash(_("Verifikasi dua langkah aktif."), "success")
                return redirect(url_for("admin.index"))
        uri = totp_uri(secret, user.username)
        return self.render("netra/totp.html", form=form, secret=secret, enabled=bool(user.totp_secret),
                           qr=segno.make(uri, error="m").svg_data_uri(scale=5))


# --- the trusted path: a sign-in link by email (casework.accounts.links) -------------------------------------------
class LinkRequestForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired()])


class LinkSignInForm(FlaskForm):
    password = PasswordField("Kata sandi", validators=[DataRequired()])
    code = StringField("Kode", validators=[Optional()])


class ActivationForm(FlaskForm):
    password = PasswordField("Kata sandi baru", validators=[DataRequired()])
    confirm = PasswordField("Ulangi kata sandi baru", validators=[DataRequired()])


def _private(response, status: int = 200):
    """Pages carrying a link's token in their URL: never sent on as a referrer, never cached."""
    response = current_app.make_response((response, status))
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login/tautan", methods=["GET", "POST"])
def signin_link_request():
    form = LinkRequestForm()
    if form.validate_on_submit():
        if not security.link_request_allowed():
            return security.error_page(429)
        request_signin_link(current_app.extensions["netra_sessions"], form.username.data,
                            base_url=current_app.config["NETRA_SETTINGS"].base_url)
        return render_template("netra/link_sent.html")  # the same page whatever the account, or no account
    return render_template("netra/link_request.html", form=form)


@bp.route("/login/tautan/<token>", methods=["GET", "POST"])
def signin_with_link(token: str):
    user = live_user(current_app.extensions["netra_db"], token, SIGNIN)
    form = LinkSignInForm()
    if form.validate_on_submit():
        if not security.login_allowed():
            return security.error_page(429)
        try:
            user = use_signin_link(current_app.extensions["netra_sessions"], token, form.password.data,
                                   form.code.data or "")
        except CaseworkError as exc:
            if exc.code == "link.invalid":
                return _private(render_template("netra/link_invalid.html"), 404)
            flash(exc.render(current_lang()), "danger")
            return _private(render_template("netra/link_signin.html", form=form, user=user), 401)
        _fresh_session()
        _sign_in(user, "link")
        return redirect(url_for("admin.index"))
    if user is None:
        return _private(render_template("netra/link_invalid.html"), 404)
    return _private(render_template("netra/link_signin.html", form=form, user=user))


@bp.route("/aktivasi/<token>", methods=["GET", "POST"])
def activate(token: str):
    user = live_user(current_app.extensions["netra_db"], token, ACTIVATE)
    form = ActivationForm()
    if form.validate_on_submit():
        if not security.login_allowed():
            return security.error_page(429)
        try:
            use_activation_link(current_app.extensions["netra_sessions"], token, form.password.data,
                                form.confirm.data)
        except ValidationError as exc:
            for problem in exc.problems:  # one field on this page: the message alone, without its label
                text = message(problem.code, current_lang(), **problem.params)
                flash(text[:1].upper() + text[1:], "danger")
            return _private(render_template("netra/activate.html", form=form, user=user), 400)
        except CaseworkError:
            return _private(render_template("netra/link_invalid.html"), 404)
        flash(_("Kata sandi tersimpan. Silakan masuk dengan kata sandi baru Anda."), "success")
        return redirect(url_for("auth.login_page"))
    if user is None:
        return _private(render_template("netra/link_invalid.html"), 404)
    return _private(render_template("netra/activate.html", form=form, user=user))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:  # ended on the server: a copy of the cookie is worth nothing from now on
        desk_sessions.end(current_app.extensions["netra_sessions"], current_user.session_id)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login_page"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


__all__ = ["DeskUser", "bp", "current_user", "init_app", "login_manager"]
