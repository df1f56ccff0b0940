"""Data kerawanan: a region's figures (casework.prevention.figures) on the desk — the IKP scores and ASN headcounts
with their sources, filtered by province, for whoever has a dashboard; for those who record figures (Bawaslu's
handlers, in their area) an import — upload, the dry run's listing, then confirm — and a form for one figure.

The uploaded sheet is kept between the dry run and the confirmation (the browser cannot send a file twice), under
the user's id, the kind and the file's sha256 in the var directory; confirming reads exactly that file and removes
it. An upload left behind is removed a day later."""
from __future__ import annotations

import time
from pathlib import Path, PurePath

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from admin.desk import login_url, principal
from admin.i18n import current_lang
from casework.access.policy import Action, Forbidden, permits
from casework.adapters.db import transaction
from casework.errors import CaseworkError, ValidationError
from casework.models import Election, Province
from casework.models.prevention import IKP_BANDS, IKP_THEMES
from casework.prevention.figure_sheets import KINDS, import_figures, template
from casework.prevention.figures import (
    BAND_LABELS, THEME_LABELS, CountInput, ScoreInput, list_counts, list_scores, record_count, record_score,
    region_names,
)

KEEP_SECONDS = 24 * 3600  # Netra's policy: a sheet not confirmed within a day is uploaded again
SUFFIXES = (".csv", ".xlsx")
RESULTS = {"insert": _l("baru"), "update": _l("diperbarui"), "unchanged": _l("tidak berubah"),
           "invalid": _l("bermasalah")}
BADGES = {"insert": "badge-info", "update": "badge-warning", "unchanged": "badge-secondary",
          "invalid": "badge-danger", "low": "badge-success", "medium": "badge-warning", "high": "badge-danger"}
KIND_TITLES = {"ikp": _l("Skor IKP"), "asn": _l("Jumlah ASN")}
SCORE_FIELDS = ("region_code", "year", "election", "theme", "dimension", "score", "band", "source", "source_url")
COUNT_FIELDS = ("region_code", "year", "count", "source")


def _held(kind: str, sha256: str, name: str) -> Path:
    suffix = PurePath(name).suffix.lower()
    if kind not in KINDS or len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256) \
            or suffix not in SUFFIXES:
        abort(404)
    return _held_dir() / f"{principal().user_id}-{kind}-{sha256}{suffix}"


def _held_dir() -> Path:
    return current_app.config["NETRA_SETTINGS"].var_dir / "figure-imports"


def _sweep() -> None:
    now = time.time()
    for path in _held_dir().glob("*"):
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another request's sweep or confirmation took it first
            continue


def number(value: float | int, lang: str, decimals: int = 2) -> str:
    """51,28 and 11.800 in Indonesian; 51.28 and 11,800 in English."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


class FiguresView(BaseView):
    def __init__(self, db, **kwargs):
        super().__init__(**kwargs)
        self.db = db

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and permits(principal(), Action.SEE_PREVENTION)

    def inaccessible_callback(self, name, **kwargs):
        return abort(404) if current_user.is_authenticated else redirect(login_url())

    def _recorder(self) -> None:
        if not permits(principal(), Action.RECORD_FIGURES):
            abort(404)

    def _page(self, *, status: int = 200, report=None, name: str = "", error: str = "", form=None,
              problems=None, form_kind: str = ""):
        lang = current_lang()
        province = request.values.get("provinsi", "")
        province = province if province.isdigit() and len(province) == 2 else ""
        names = region_names(self.db)
        elections = dict(self.db.execute(select(Election.code, Election.name).order_by(Election.voting_day)).all())
        return self.render(
            "netra/figures.html", lang=lang, province=province, report=report, name=name, error=error,
            form=form or {}, problems=problems or [], form_kind=form_kind, names=names, elections=elections,
            scores=list_scores(self.db, province or None), counts=list_counts(self.db, province or None),
            provinces=self.db.scalars(select(Province).order_by(Province.name)).all(),
            can_record=permits(principal(), Action.RECORD_FIGURES), number=number, results=RESULTS, badges=BADGES,
            kind_titles=KIND_TITLES, themes=[(t, THEME_LABELS[t].pick(lang)) for t in IKP_THEMES],
            bands=[(b, BAND_LABELS[b].pick(lang)) for b in IKP_BANDS],
            band_labels={b: v.pick(lang) for b, v in BAND_LABELS.items()},
            theme_labels={t: v.pick(lang) for t, v in THEME_LABELS.items()}), status

    @expose("/")
    def index(self):
        return self._page()

    @expose("/templat/<kind>.xlsx")
    def template_file(self, kind: str):
        if kind not in KINDS:
            abort(404)
        name = {"ikp": "templat-ikp.xlsx", "asn": "templat-jumlah-asn.xlsx"}[kind]
        return Response(template(kind), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

    # --- import: upload (dry run), then confirm ------------------------------------------------------------------
    @expose("/unggah", methods=["POST"])
    def upload(self):
        self._recorder()
        kind = request.form.get("kind", "")
        if kind not in KINDS:
            abort(404)
        upload = request.files.get("file")
        name = PurePath(upload.filename or "").name if upload else ""
        if not name or PurePath(name).suffix.lower() not in SUFFIXES:
            return self._page(name=name, error=_("Pilih berkas CSV atau XLSX."), status=400)
        data = upload.read()
        report, status = self._run(kind, data, name, dry_run=True)
        if report is not None and report.ok and report.changes:
            _held_dir().mkdir(parents=True, exist_ok=True)
            _sweep()
            _held(kind, report.sha256, name).write_bytes(data)
        return self._page(report=report, name=name, status=status)

    @expose("/terapkan", methods=["POST"])
    def confirm(self):
        self._recorder()
        kind, sha256 = request.form.get("kind", ""), request.form.get("sha256", "")
        name = PurePath(request.form.get("name", "")).name
        path = _held(kind, sha256, name)
        if not path.is_file():
            flash(_("Berkas uji coba tidak ada lagi; unggah dan uji ulang."), "warning")
            return redirect(url_for(".index"))
        report, status = self._run(kind, path.read_bytes(), name, dry_run=False)
        if report is not None and report.done:
            path.unlink(missing_ok=True)
        return self._page(report=report, name=name, status=status)

    def _run(self, kind: str, data: bytes, name: str, *, dry_run: bool):
        try:
            report = import_figures(current_app.extensions["netra_sessions"], kind, data, name,
                                    principal=principal(), dry_run=dry_run)
        except CaseworkError as exc:  # a file that cannot be read at all
            flash(exc.render(current_lang()), "danger")
            return None, 400
        return report, 200 if report.ok else 400

    # --- one figure by hand --------------------------------------------------------------------------------------
    @expose("/isi", methods=["POST"])
    def enter_score(self):
        self._recorder()
        form = {k: request.form.get(k, "") for k in SCORE_FIELDS}
        return self._enter("ikp", form, lambda s: record_score(s, principal(), ScoreInput(**form)))

    @expose("/isi-asn", methods=["POST"])
    def enter_count(self):
        self._recorder()
        form = {k: request.form.get(k, "") for k in COUNT_FIELDS}
        return self._enter("asn", form, lambda s: record_count(s, principal(), CountInput(**form)))

    def _enter(self, kind: str, form: dict, command):
        lang = current_lang()
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                plan = command(session)
        except ValidationError as exc:
            return self._page(form=form, form_kind=kind, problems=[p.render(lang) for p in exc.problems],
                              status=422)
        except CaseworkError as exc:  # the region lies outside the user's area, or was recorded meanwhile
            return self._page(form=form, form_kind=kind, problems=[exc.render(lang)],
                              status=403 if isinstance(exc, Forbidden) else 409)
        flash({"insert": _("Angka dicatat."), "update": _("Angka diperbarui; nilai lamanya tercatat di jejak audit."),
               "unchanged": _("Angka ini sudah tercatat; tidak ada yang berubah.")}[plan.result], "success")
        return redirect(url_for(".index", provinsi=plan.values["region_code"][:2]))
