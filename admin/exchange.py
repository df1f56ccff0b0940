"""The SBT/I'DIS exchange on the desk (casework.exchange, docs/exchange.md): the status import's page — upload, the
dry run's listing, then apply — and the referral package's download from the case page.

The uploaded export is kept between the dry run and the apply (the browser cannot send a file twice), under the
user's name and the file's sha256 in the var directory; applying reads exactly that file and removes it. An upload
left behind is removed a day later (it may hold decree PDFs: personal data)."""
from __future__ import annotations

import time
from pathlib import Path, PurePath

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin.desk import attachment, principal
from admin.i18n import current_lang
from casework.access.policy import Action, permits
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound
from casework.exchange.referral import build
from casework.exchange.status_import import import_statuses

KEEP_SECONDS = 24 * 3600  # Netra's policy: an export not applied within a day is uploaded again
SUFFIXES = (".csv", ".xlsx", ".zip")
RESULTS = {"ready": _l("siap"), "applied": _l("diterapkan"), "unchanged": _l("sudah tercatat"),
           "unknown": _l("tidak dikenal"), "invalid": _l("ditolak")}
BADGES = {"ready": "badge-info", "applied": "badge-success", "unchanged": "badge-secondary",
          "unknown": "badge-light border", "invalid": "badge-danger"}


def _held_dir() -> Path:
    return current_app.config["NETRA_SETTINGS"].var_dir / "status-imports"


def _held(sha256: str, name: str) -> Path:
    suffix = PurePath(name).suffix.lower()
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256) or suffix not in SUFFIXES:
        abort(404)
    return _held_dir() / f"{principal().user_id}-{sha256}{suffix}"


def _sweep() -> None:
    now = time.time()
    for path in _held_dir().glob("*"):
        if now - path.stat().st_mtime > KEEP_SECONDS:
            path.unlink(missing_ok=True)


class StatusImportView(BaseView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and permits(principal(), Action.IMPORT_STATUSES)

    def inaccessible_callback(self, name, **kwargs):
        return abort(404) if current_user.is_authenticated else redirect(url_for("auth.login_page"))

    def _page(self, report=None, name: str = "", error: str = ""):
        return self.render("netra/status_import.html", report=report, name=name, error=error, lang=current_lang(),
                           results=RESULTS, badges=BADGES)

    @expose("/", methods=["GET", "POST"])
    def index(self):
        if request.method == "GET":
            return self._page()
        upload = request.files.get("file")
        name = PurePath(upload.filename or "").name if upload else ""
        if not name or PurePath(name).suffix.lower() not in SUFFIXES:
            return self._page(name=name, error=_("Pilih berkas CSV, XLSX atau ZIP.")), 400
        data = upload.read()
        report, status = self._run(data, name, dry_run=True)
        if report is not None and report.ok and report.count("ready"):
            _held_dir().mkdir(parents=True, exist_ok=True)
            _sweep()
            _held(report.sha256, name).write_bytes(data)
        return self._page(report, name), status

    @expose("/terapkan", methods=["POST"])
    def apply(self):
        sha256, name = request.form.get("sha256", ""), PurePath(request.form.get("name", "")).name
        path = _held(sha256, name)
        if not path.is_file():
            flash(_("Berkas uji coba tidak ada lagi; unggah dan uji ulang."), "warning")
            return redirect(url_for(".index"))
        report, status = self._run(path.read_bytes(), name, dry_run=False)
        if report is not None and report.done:
            path.unlink(missing_ok=True)
        return self._page(report, name), status

    def _run(self, data: bytes, name: str, *, dry_run: bool):
        try:
            report = import_statuses(current_app.extensions["netra_sessions"], data, name,
                                     actor=principal().username, settings=current_app.config["NETRA_SETTINGS"],
                                     dry_run=dry_run)
        except CaseworkError as exc:  # a file that cannot be read at all
            flash(exc.render(current_lang()), "danger")
            return None, 400
        return report, 200 if report.ok else 400


def referral_download(sessions, number: str):
    """The case page's download (admin.case_page.CaseView.referral): the package, or back to the case with why."""
    try:
        with transaction(sessions) as session:
            package = build(session, number, principal(), current_app.config["NETRA_SETTINGS"])
    except NotFound:
        abort(404)
    except CaseworkError as exc:
        flash(exc.render(current_lang()), "danger")
        return redirect(url_for("case.show", number=number))
    return attachment(package.data, package.name)
