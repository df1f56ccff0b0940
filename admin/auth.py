"""Login and logout: argon2 hashes and lockout from casework.accounts; CSRF on the form; Flask-Login session."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from admin.i18n import current_lang
from casework.accounts import login
from casework.errors import CaseworkError
from casework.models import User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class DeskUser(UserMixin):
    def __init__(self, user: User) -> None:
        self.user = user
        self.id = str(user.id)


def init_app(app, db) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login_page"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.get(User, int(user_id), options=[selectinload(User.roles), selectinload(User.office)])
        if user is None or not user.is_active:
            return None
        g.netra_user = user
        return DeskUser(user)


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired()])
    password = PasswordField("Kata sandi", validators=[DataRequired()])


@bp.route("/login", methods=["GET", "POST"])
def login_page():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = login(current_app.extensions["netra_sessions"], form.username.data, form.password.data)
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
            return render_template("netra/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()  # a fresh session at login: no fixation
        if lang:
            session["lang"] = lang
        login_user(DeskUser(user))
        return redirect(_safe_next(request.args.get("next")) or url_for("admin.index"))
    return render_template("netra/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login_page"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


__all__ = ["DeskUser", "bp", "current_user", "init_app", "login_manager"]
