"""The intake form (laporan or temuan) with the formal/material checklist: one POST, validated by casework, saved
all or nothing; on error the form comes back filled in, with every problem listed in the user's language."""
from __future__ import annotations

import re
from datetime import date

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from admin.i18n import current_lang
from casework.adapters.db import transaction
from casework.errors import CaseworkError, Problem, ValidationError
from casework.inbox.items import get_item, prefill, taken_up
from casework.road.identifiers import person_kinds
from casework.road.intake import CHECKLIST, IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.models import Agency, District, Election, Regency, utcnow
from casework.reference.elections import elections_for
from casework.reports.reporter_status import display
from casework.reference.timezones import local_today
from casework.rules import violation_catalogue
from admin.desk import principal
from casework.access.policy import Action, permits

ASN_ROWS = 3


FORM_NAMES = {"reporter": "reporter_name", "reporter.name": "reporter_name", "reporter.address": "reporter_address",
              "reporter.phone": "reporter_phone", "reporter.email": "reporter_name", "reported": "nip0",
              "office": "regency"}


def form_name(where: str, rows: list[int], names: dict[str, str] = FORM_NAMES) -> str:
    """The form field a problem belongs to: "reported[1].agency" is the agency of the second ASN row filled in
    (`rows`: the form's rows that were), "witness[0].name" the witness field; `names` maps the others (the public
    form, admin/online.py, has fields of its own)."""
    match = re.fullmatch(r"(reported|witness)\[(\d+)\]\.(\w+)", where)
    if match and match[1] == "witness":
        return "witness_name"
    if match:
        index = int(match[2])
        return f"{match[3]}{rows[index] if index < len(rows) else index}"
    return names.get(where, where)


class IntakeView(BaseView):
    def is_accessible(self) -> bool:
        # the access module answers for a case in the office's own area (the form offers only those regencies)
        return current_user.is_authenticated and permits(principal(), Action.OPEN_CASE)

    def inaccessible_callback(self, name, **kwargs):
        return abort(404) if current_user.is_authenticated else redirect(url_for("auth.login_page"))

    def _choices(self, form=None):
        office = g.netra_user.office
        regencies = select(Regency).order_by(Regency.name)
        if office.kind == "bawaslu_provinsi":
            regencies = regencies.where(Regency.province_code == office.province_code)
        elif office.kind != "bawaslu_ri":
            regencies = regencies.where(Regency.code == office.regency_code)
        regencies = self.db.scalars(regencies).all()
        codes = [r.code for r in regencies]
        elections = self.db.scalars(select(Election).where(or_(
            Election.kind == "pemilu", Election.regency_code.in_(codes),
            Election.province_code.in_({c[:2] for c in codes}))).order_by(Election.name)).all()
        # The elections that fit the incident's region and date come first (today's when no date is typed yet),
        # the others after them: intake refuses an incident outside the chosen election's period, naming the ones
        # that fit. netra.js narrows the list as the date and region are typed; without script this order stays.
        form = form or {}
        regency = form.get("regency") or (codes[0] if codes else "")
        try:
            day = date.fromisoformat(form.get("occurred_on") or "")
        except ValueError:
            day = local_today(office.timezone, utcnow())
        fitting = {e.code for e in elections_for(self.db, regency, day)} if regency else set()
        elections = sorted(elections, key=lambda e: (e.code not in fitting, -e.starts_on.toordinal(), e.name))
        districts = self.db.scalars(select(District).where(District.regency_code.in_(codes))
                                   .order_by(District.name)).all() if len(codes) <= 10 else []
        agencies = self.db.scalars(select(Agency).order_by(Agency.name)).all()
        return {"regencies": regencies, "elections": elections, "fitting": fitting, "districts": districts,
                "agencies": agencies, "violations": violation_catalogue(), "checklist": CHECKLIST,
                "person_kinds": person_kinds(),
                "rows": range(ASN_ROWS)}

    @expose("/", methods=["GET", "POST"])
    def index(self):
        lang = current_lang()
        if request.method == "POST":
            form = request.form
            reported = [ReportedInput(nip=form.get(f"nip{i}", ""), name=form.get(f"name{i}", ""),
                                      position=form.get(f"position{i}", ""), agency=form.get(f"agency{i}", ""),
                                      rank=form.get(f"rank{i}", ""), asn_kind=form.get(f"asn_kind{i}", "PNS"),
                                      person_kind=form.get(f"person_kind{i}", "asn"),
                                      village=form.get(f"village{i}", ""))
                        for i in range(ASN_ROWS) if any(form.get(f"{k}{i}") for k in ("nip", "name", "position"))]
            source = form.get("source", "")
            data = IntakeInput(
                source=source, election=form.get("election", ""), office=g.netra_user.office.code,
                regency=form.get("regency", ""), district=form.get("district") or None, place=form.get("place", ""),
                occurred_on=form.get("occurred_on", ""), known_on=form.get("known_on", ""),
                received_on=form.get("received_on", ""), summary=form.get("summary", ""),
                chronology=form.get("chronology", ""), violations=form.getlist("violations"), reported=reported,
                reporter=ReporterInput(name=form.get("reporter_name", ""), address=form.get("reporter_address", ""),
                                       phone=form.get("reporter_phone", ""), email=form.get("reporter_email", ""))
                if source == "laporan" else None,
                found_by=form.get("found_by", ""),
                witnesses=[WitnessInput(name=form["witness_name"])] if form.get("witness_name") else [],
                checklist={key: key in form.getlist("checklist") for key in CHECKLIST})
            try:
                with transaction(current_app.extensions["netra_sessions"]) as session:
                    case = open_case(session, data, principal=principal())
                    if form.get("information_id"):  # taken up from the inbox: the item says so, in this transaction
                        _taken_up(session, form, case)
                    number, code = case.number, display(case.receipt_code)
            except ValidationError as exc:
                rows = [i for i in range(ASN_ROWS) if any(form.get(f"{k}{i}") for k in ("nip", "name", "position"))]
                errors: dict[str, list[str]] = {}
                for problem in exc.problems:
                    errors.setdefault(form_name(problem.where, rows), []).append(problem.render(lang))
                return self.render("netra/intake.html", problems=[(form_name(p.where, rows), p.render(lang))
                                                                  for p in exc.problems], errors=errors,
                                   form=form, picked=set(form.getlist("violations")),
                                   ticked=set(form.getlist("checklist")), lang=lang, **self._choices(form)), 422
            flash(_("Kasus baru tercatat: %(number)s", number=number), "success")
            if code:  # the reporter's key to the public status page (also printed on the receipt letter)
                flash(_("Kode status untuk pelapor: %(code)s — berikan kepada pelapor; tercantum juga pada tanda "
                        "terima.", code=code), "info")
            return redirect(url_for("case.show", number=number))
        today = local_today(g.netra_user.office.timezone, utcnow()).isoformat()
        form = {"received_on": today}
        if request.args.get("information"):
            form = self._from_information(request.args["information"], request.args.get("source", "laporan"), today)
        return self.render("netra/intake.html", problems=[], errors={}, form=form,
                           picked=set(form.get("violations", [])), ticked=set(), lang=lang, **self._choices(form))

    def _from_information(self, item_id: str, source: str, today: str) -> dict:
        """The form filled in from an inbox item: a laporan received the day the item came in, a temuan found
        today (the day the office takes it up: its finding window runs from it)."""
        try:
            item = get_item(self.db, principal(), int(item_id))
        except (ValueError, CaseworkError):
            abort(404)
        form = prefill(item)
        zone = item.office.timezone if item.office else g.netra_user.office.timezone
        form.update(source="temuan" if source == "temuan" else "laporan",
                    received_on=local_today(zone, item.received_at).isoformat() if source != "temuan" else today)
        return form


def _taken_up(session, form, case) -> None:
    """Mark the inbox item the form was filled from as taken up by `case`; a problem with it (triaged meanwhile by
    someone else) is the form's problem, and nothing is saved."""
    try:
        item = get_item(session, principal(), int(form.get("information_id", "")))
        version = int(form.get("information_version") or item.version)
        taken_up(session, principal(), item, case, version=version)
    except (ValueError, CaseworkError) as exc:
        code = getattr(exc, "code", "information.not_found")
        raise ValidationError([Problem("information_id", code, getattr(exc, "params", {}))]) from exc
