"""Pencegahan (/pencegahan/): the register of prevention work — the list, filtered by kind, region and agency with
each pledge's coverage; one activity with its signed document; and, for Bawaslu's handlers in their area, the
form of each kind (the kind chosen first, by a link: no script) to record or change one, or delete it. Who may see
and record is the access module's; what a form must hold is casework.prevention.register's."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from admin.desk import attachment, principal
from admin.i18n import current_lang
from casework.access.policy import Action, decide, permits
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.models import Agency, PreventionActivity, Province, Regency
from casework.models.prevention import PREVENTION_KINDS
from casework.prevention.reads import activities, document_bytes, get_activity
from casework.prevention.register import (
    FIELDS, KIND_LABELS, REQUIRED, ActivityInput, delete_activity, edit_activity, record_activity,
)
from casework.road.inputs import Upload

FORM_FIELDS = ("title", "region", "held_on", "participants", "agency", "unit", "signatories", "unit_asn",
               "sk_number", "notes")


class PreventionView(BaseView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and permits(principal(), Action.SEE_PREVENTION)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        return abort(404) if current_user.is_authenticated else redirect(url_for("auth.login_page"))

    def _sessions(self):
        return current_app.extensions["netra_sessions"]

    def _common(self) -> dict:
        lang = current_lang()
        return {"lang": lang, "kind_labels": {k: v.pick(lang) for k, v in KIND_LABELS.items()},
                "kinds": PREVENTION_KINDS, "may_record": permits(principal(), Action.RECORD_PREVENTION)}

    # --- the list -------------------------------------------------------------------------------------------------
    @expose("/")
    def index(self):
        args = request.args
        kind = args.get("kind", "") if args.get("kind", "") in PREVENTION_KINDS else ""
        region = args.get("region", "").strip()
        region = region if region.isdigit() and len(region) in (2, 4) else ""
        with self._sessions()() as session:
            agency = session.scalar(select(Agency).where(Agency.code == args.get("agency", "").strip()[:64]))
            rows = activities(session, principal(), region_code=region or None, kind=kind or None,
                              agency_id=agency.id if agency else None)
            used = sorted(set(session.scalars(select(PreventionActivity.region_code).distinct())))
            agencies = session.scalars(select(Agency).where(Agency.id.in_(
                select(PreventionActivity.agency_id).distinct())).order_by(Agency.name)).all()
            return self.render("netra/prevention/list.html", rows=rows, regions=_region_names(session, used),
                               agencies=agencies, chosen={"kind": kind, "region": region,
                                                          "agency": agency.code if agency else ""},
                               **self._common())

    # --- one activity ---------------------------------------------------------------------------------------------
    @expose("/<int:activity_id>")
    def show(self, activity_id: int):
        with self._sessions()() as session:
            activity = self._activity(session, activity_id)
            return self.render("netra/prevention/show.html", a=activity,
                               regions=_region_names(session, [activity.region_code]),
                               may_change=permits(principal(), Action.RECORD_PREVENTION,
                                                  region_code=activity.region_code), **self._common())

    @expose("/<int:activity_id>/dokumen")
    def document(self, activity_id: int):
        with self._sessions()() as session:
            try:
                data, name = document_bytes(session, principal(), activity_id, current_app.config["NETRA_SETTINGS"])
            except (CaseworkError, OSError):  # not theirs, none, missing on disk or changed: nothing to give
                abort(404)
        return attachment(data, name)

    def _activity(self, session, activity_id: int) -> PreventionActivity:
        try:
            return get_activity(session, principal(), activity_id)
        except NotFound:
            abort(404)

    # --- recording and changing -----------------------------------------------------------------------------------
    @expose("/baru/<kind>", methods=["GET"])
    def new(self, kind: str):
        return self._form(kind, values={})

    @expose("/baru/<kind>", methods=["POST"])
    def record(self, kind: str):
        if kind not in PREVENTION_KINDS:
            abort(404)
        try:
            with transaction(self._sessions()) as session:
                activity_id = record_activity(session, _input(kind), principal=principal(),
                                              settings=current_app.config["NETRA_SETTINGS"]).id
        except ValidationError as exc:
            return self._form(kind, values=request.form, problems=exc.problems, status=422)
        except CaseworkError as exc:  # refused outright (not a handler)
            return self._form(kind, values=request.form, refused=exc.render(current_lang()), status=403)
        flash(_("Kegiatan pencegahan dicatat."), "success")
        return redirect(url_for(".show", activity_id=activity_id))

    @expose("/<int:activity_id>/ubah", methods=["GET"])
    def edit(self, activity_id: int):
        with self._sessions()() as session:
            a = self._activity(session, activity_id)
            values = {"title": a.title, "region": a.region_code, "held_on": a.held_on.isoformat(),
                      "participants": a.participants or "", "agency": a.agency.code if a.agency else "",
                      "unit": a.unit, "signatories": a.signatories or "", "unit_asn": a.unit_asn or "",
                      "sk_number": a.reference, "notes": a.notes, "version": a.version}
            return self._form(a.kind, values=values, activity=a)

    @expose("/<int:activity_id>/ubah", methods=["POST"])
    def change(self, activity_id: int):
        with self._sessions()() as session:
            kind = self._activity(session, activity_id).kind
        try:
            with transaction(self._sessions()) as session:
                edit_activity(session, activity_id, _input(kind), version=_version(), principal=principal(),
                              settings=current_app.config["NETRA_SETTINGS"])
        except ValidationError as exc:
            return self._refused_edit(activity_id, problems=exc.problems)
        except NotFound:
            abort(404)
        except CaseworkError as exc:  # stale, or outside the area
            return self._refused_edit(activity_id, refused=exc.render(current_lang()), status=409
                                      if exc.code == "prevention.stale" else 403)
        flash(_("Kegiatan pencegahan diubah."), "success")
        return redirect(url_for(".show", activity_id=activity_id))

    @expose("/<int:activity_id>/hapus", methods=["POST"])
    def delete(self, activity_id: int):
        try:
            with transaction(self._sessions()) as session:
                delete_activity(session, activity_id, version=_version(), principal=principal(),
                                settings=current_app.config["NETRA_SETTINGS"])
        except NotFound:
            abort(404)
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
            return redirect(url_for(".show", activity_id=activity_id))
        flash(_("Kegiatan pencegahan dihapus."), "success")
        return redirect(url_for(".index"))

    def _refused_edit(self, activity_id: int, *, problems=(), refused: str = "", status: int = 422):
        with self._sessions()() as session:
            activity = self._activity(session, activity_id)
            return self._form(activity.kind, values=request.form, activity=activity, problems=problems,
                              refused=refused, status=status)

    def _form(self, kind: str, *, values, activity: PreventionActivity | None = None, problems=(),
              refused: str = "", status: int = 200):
        if kind not in PREVENTION_KINDS:
            abort(404)
        p, lang = principal(), current_lang()
        decision = decide(p, Action.RECORD_PREVENTION)
        if not decision:  # refused with its reason (a BKPSDM officer, the auditor): no form to fill in
            refused, status = decision.error().render(lang), 403
        with self._sessions()() as session:
            regions = _region_names(session, _area_regions(session, p))
            agencies = session.scalars(select(Agency).order_by(Agency.name)).all()
            return self.render("netra/prevention/form.html", kind=kind, fields=FIELDS[kind],
                               required=REQUIRED[kind], values=values, activity=activity, regions=regions,
                               agencies=agencies, errors=_by_field(problems, lang),
                               problems=[x.render(lang) for x in problems], refused=refused,
                               **self._common()), status


def _input(kind: str) -> ActivityInput:
    form = request.form
    upload = request.files.get("document")
    document = Upload(upload.filename or "", upload.read()) if upload and upload.filename else None
    # only the kind's own fields are read: a field of another kind sent by hand is not this form's
    return ActivityInput(kind=kind, document=document,
                         **{name: form.get(name, "") for name in FORM_FIELDS if name in FIELDS[kind]})


def _version() -> int | None:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return None


def _by_field(problems, lang: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(problem.field, []).append(problem.render(lang))
    return out


def _area_regions(session, p) -> list[str]:
    """The regions the user may record in (a province, then its regencies), as the access module decides."""
    codes = [c for c in session.scalars(select(Province.code).order_by(Province.code))]
    codes += [c for c in session.scalars(select(Regency.code).order_by(Regency.code))]
    allowed = [c for c in codes if permits(p, Action.RECORD_PREVENTION, region_code=c)]
    return sorted(allowed, key=lambda c: (c[:2], len(c), c))


def _region_names(session, codes) -> list[tuple[str, str]]:
    codes = list(codes)
    names = dict(session.execute(select(Province.code, Province.name).where(Province.code.in_(
        [c for c in codes if len(c) == 2]))).all())
    names |= dict(session.execute(select(Regency.code, Regency.name).where(Regency.code.in_(
        [c for c in codes if len(c) == 4]))).all())
    return [(c, names.get(c, c)) for c in codes]
