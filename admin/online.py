"""The public form, /lapor (no login): a laporan filed online, or information given without reporting
(casework.public.online decides what it becomes). Bahasa Indonesia first; English through /bahasa/en.

Abuse, without outside services: submissions are counted per client address and hour in the database
(NETRA_ONLINE_REPORTS_PER_HOUR, default 5: 429 over it); the request is at most 20 MB (MAX_CONTENT_LENGTH; 413
otherwise) and each file is checked as at the desk; a field people never see (`website`) is a honeypot — a form
that fills it gets a thank-you and nothing is written; and a handler marks an online report as spam in one click
(casework.road.spam).
"""
from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from sqlalchemy import select

from admin.i18n import current_lang
from admin.intake import form_name
from admin.public import public_page, within_limit
from casework.adapters.db import transaction
from casework.errors import ValidationError
from casework.i18n.messages import field_label, message
from casework.models import Election, Province, Regency, utcnow
from casework.public.online import MAX_FILES, OnlineReport, Upload, file_online
from casework.road.intake import CHECKLIST, ReportedInput, ReporterInput
from casework.rules import violation_catalogue

bp = Blueprint("online", __name__)
PEOPLE_ROWS = 2
HONEYPOT = "website"
# problem locations of casework -> the public form's field names (the reported rows: admin.intake.form_name)
FIELDS = {"reporter": "reporter_name", "reporter.name": "reporter_name", "reporter.address": "reporter_address",
          "reporter.phone": "reporter_phone", "reporter.email": "reporter_email", "violations": "violation",
          "reported": "name0", "office": "regency", "received_on": "known_on"}


def _choices() -> dict:
    with current_app.extensions["netra_sessions"]() as session:
        provinces = session.scalars(select(Province).order_by(Province.name)).all()
        regencies = session.scalars(select(Regency).order_by(Regency.name)).all()
        today = utcnow().date()
        elections = session.scalars(select(Election).where(Election.ends_on >= today)
                                    .order_by(Election.kind, Election.name)).all()
        by_province: dict[str, list] = {}
        for r in regencies:
            by_province.setdefault(r.province_code, []).append((r.code, r.name))
        return {"provinces": [(p.code, p.name, by_province.get(p.code, [])) for p in provinces],
                "elections": [(e.code, e.name) for e in elections],
                "violations": [(code, item["label_id"]) for code, item in violation_catalogue().items()],
                "checklist": CHECKLIST, "rows": range(PEOPLE_ROWS), "max_files": MAX_FILES}


def _page(status: int = 200, **context):
    return public_page("public/lapor.html", status, indexed=True, lang=current_lang(), **context)


@bp.get("/lapor")
def form():
    return _page(form={"mode": request.args.get("mode", "laporan")}, errors={}, problems=[], **_choices())


@bp.post("/lapor")
def submit():
    form = request.form
    if form.get(HONEYPOT):  # a person never sees this field: a robot filled it in
        current_app.logger.info("online form: honeypot filled, nothing recorded")
        return public_page("public/lapor_done.html", lang=current_lang(), filed=None)
    per_hour = current_app.config["NETRA_SETTINGS"].online_reports_per_hour
    if not within_limit("online-report", per_hour, window=3600):
        return public_page("public/lapor.html", 429, retry_after=True, lang=current_lang(), form=form, errors={},
                           problems=[("", "", message("online.rate_limited", current_lang()))], **_choices())
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("evidence") if f and f.filename]
    rows = [i for i in range(PEOPLE_ROWS) if any(form.get(f"{k}{i}") for k in ("nip", "name", "position"))]
    data = OnlineReport(
        mode=form.get("mode", ""), consent=form.get("consent") == "yes", summary=form.get("summary", ""),
        chronology=form.get("chronology", ""), regency=form.get("regency", ""), place=form.get("place", ""),
        occurred_on=form.get("occurred_on", ""), known_on=form.get("known_on", ""),
        election=form.get("election", ""), violation=form.get("violation", ""),
        reporter=ReporterInput(name=form.get("reporter_name", ""), address=form.get("reporter_address", ""),
                               phone=form.get("reporter_phone", ""), email=form.get("reporter_email", "")),
        confidential=form.get("confidential") == "yes",
        reported=[ReportedInput(nip=form.get(f"nip{i}", ""), name=form.get(f"name{i}", ""),
                                position=form.get(f"position{i}", ""), agency=form.get(f"agency{i}", ""))
                  for i in rows],
        uploads=uploads)
    lang = current_lang()
    try:
        with transaction(current_app.extensions["netra_sessions"]) as session:
            filed = file_online(session, data, settings=current_app.config["NETRA_SETTINGS"])
    except ValidationError as exc:
        problems = [(form_name(p.where, rows, FIELDS), field_label(p.where, lang), p.render(lang))
                    for p in exc.problems]
        errors: dict[str, list[str]] = {}
        for name, _label, text in problems:
            errors.setdefault(name, []).append(text)
        note = _("Berkas yang dipilih tidak disimpan; pilih lagi sebelum mengirim.") if uploads else ""
        return _page(422, form=form, errors=errors, problems=problems, files_note=note, **_choices())
    return public_page("public/lapor_done.html", lang=lang, filed=filed)
