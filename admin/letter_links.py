"""The page a letter's addressee opens from the link in its email, without an account (casework.letters.links):
the letter — its identity, the PDF — and the form that confirms its receipt. Nothing else of Netra is reachable
from it: no menu, no case, no other letter. Every use is counted per client address (429 beyond
rules/acknowledgements.toml's `uses_per_minute`) and audited as the addressee."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, request
from sqlalchemy import select

from admin.public import public_page, within_limit
from casework.access.policy import Action, authorize
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound
from casework.i18n.dates import indonesian_date
from casework.i18n.messages import message
from casework.letters.issue import stored_pdf
from casework.letters.links import (
    LinkGone, acknowledge, follow_up_form, open_link, policy, record_follow_up, record_use,
)
from casework.models import Case, Office, utcnow
from casework.reference.timezones import local_today
from casework.road.inputs import Upload

bp = Blueprint("letter_links", __name__)


def _limited():
    if within_limit("letter-link", policy()["uses_per_minute"]):
        return None
    return _page(429, retry_after=True, problem=message("link.rate_limited"))


def _page(status: int = 200, **context):
    return public_page("letter_link.html", status, **context)


def _view(session, link, letter) -> dict:
    office = session.scalar(select(Office).where(Office.code == letter.office_code))
    case = session.get(Case, letter.case_id)
    return {"number": letter.number, "date": indonesian_date(letter.issued_on), "hal": letter.hal,
            "office": office.name if office else letter.office_code, "addressee": link.addressee,
            "status": letter.status, "acknowledged": link.acknowledged_at is not None,
            "acknowledged_by": link.acknowledged_by, "acknowledged_position": link.acknowledged_position,
            "acknowledged_on": indonesian_date(link.acknowledged_on) if link.acknowledged_on else None,
            "today": local_today(case.office.timezone, utcnow()).isoformat(),
            "issued_on": letter.issued_on.isoformat(), "verify_token": letter.verify_token,
            "starts_deadline": bool(policy().get("restarts", {}).get(letter.kind))}


def _gone(exc: CaseworkError):
    status = 404 if isinstance(exc, NotFound) else 410
    return _page(status, problem=exc.render("id"))


@bp.get("/tanggapan/<token>")
def show(token: str):
    if (limited := _limited()) is not None:
        return limited
    with transaction(current_app.extensions["netra_sessions"]) as session:
        try:
            link, letter, principal = open_link(session, token)
        except (NotFound, LinkGone) as exc:
            return _gone(exc)
        record_use(session, link, letter, principal, "opened")
        view = _view(session, link, letter)
        steps = follow_up_form(letter)
    return _page(letter=view, token=token, steps=steps)


@bp.get("/tanggapan/<token>/surat.pdf")
def pdf(token: str):
    if (limited := _limited()) is not None:
        return limited
    settings = current_app.config["NETRA_SETTINGS"]
    with transaction(current_app.extensions["netra_sessions"]) as session:
        try:
            link, letter, principal = open_link(session, token)
            authorize(principal, Action.READ_LETTER, session.get(Case, letter.case_id), letter=letter)
            if letter.status != "issued":  # replaced or voided: the page says so; the file is not handed out
                abort(404)
            data = stored_pdf(session, letter, settings)
        except (NotFound, LinkGone) as exc:
            return _gone(exc)
        except (CaseworkError, OSError):  # its file is gone or no longer the one recorded: nothing to hand out
            abort(404)
        record_use(session, link, letter, principal, "downloaded")
        name = letter.number.replace("/", "-")
    response = current_app.make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tanggapan/<token>/tindak-lanjut/<step>")
def follow_up(token: str, step: str):
    """A PPK's decree through the link: the desk's own step (record_sanction), its form drawn from the step."""
    if (limited := _limited()) is not None:
        return limited
    fields: dict = {k: v for k, v in request.form.items() if k != "csrf_token"}
    fields |= {k: Upload(f.filename or "", f.read()) for k, f in request.files.items() if f.filename}
    factory = current_app.extensions["netra_sessions"]
    try:
        with transaction(factory) as session:
            record_follow_up(session, token, step, fields, settings=current_app.config["NETRA_SETTINGS"])
    except (NotFound, LinkGone) as exc:
        return _gone(exc)
    except CaseworkError as exc:
        return _again(token, 400, follow_up_problem=exc.render("id"), values=dict(request.form.items()))
    return _again(token, recorded=True)


@bp.post("/tanggapan/<token>")
def confirm(token: str):
    if (limited := _limited()) is not None:
        return limited
    form = request.form
    try:  # a malformed day is no day: acknowledge() lists it with the form's other problems
        received = date.fromisoformat(form.get("received_on", "").strip())
    except ValueError:
        received = None
    try:
        with transaction(current_app.extensions["netra_sessions"]) as session:
            done = acknowledge(session, token, name=form.get("name", ""), position=form.get("position", ""),
                               received_on=received)
    except (NotFound, LinkGone) as exc:
        return _gone(exc)
    except CaseworkError as exc:
        return _again(token, 400, problem=exc.render("id"), values=form)
    return _again(token, confirmed=done)


def _again(token: str, status: int = 200, **context):
    """The link's page once more, as it is now, after an answer (refused: its problem and what was typed)."""
    with current_app.extensions["netra_sessions"]() as session:
        link, letter, _ = open_link(session, token)
        view, steps = _view(session, link, letter), follow_up_form(letter)
    return _page(status, letter=view, token=token, steps=steps, **context)
