"""The desk's pages, as Flask-Admin views. Every query starts from casework.scoping; every decision goes through
casework.road.workflow.execute. Row scoping covers get_query, get_count_query and get_one together, so no hidden row
is reachable by URL."""
from __future__ import annotations

import io
import re

from flask import Response, abort, current_app, flash, g, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, BaseView, expose
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_admin.theme import Bootstrap4Theme
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import exists, func, select

from admin.i18n import TRANSLATIONS, current_lang
from casework.spreadsheets.columns import FORMATS, MIME_TYPES
from casework.spreadsheets.export import Audience, export_cases, record_export
from casework.road.cases import case_detail
from casework.adapters.db import transaction
from casework.errors import CaseworkError
from casework.models import Case, CaseViolation, Deadline, Letter, ReportedASN, utcnow
from casework.road.nip import normalize_nip
from casework.rules import violation_catalogue
from casework.mail.correspondence import pending_letters
from casework.road.evidence import add_evidence, evidence_bytes
from casework.letters.issue import issue_letter, stored_pdf
from casework.letters.kinds import get_kind, letter_kinds
from casework.letters.render import render_draft
from casework.models import EvidenceFile
from casework.road.sanctions import Upload, decree_pdf
from casework.access.scope import (
    actor_for, case_scope, find_visible_case, may_issue_letters, may_read_letter, may_see_reporter, role_codes,
    visible_people,
)
from casework.road.stages import LABELS, Stage, label
from casework.road.workflow import COMMANDS, available_commands, execute, form_fields
from casework.road.worklist import my_work


def desk_user():
    return g.netra_user


class DeskAccess:
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login_page", next=request.full_path))


class MyWorkView(DeskAccess, AdminIndexView):
    @expose("/")
    def index(self):
        items = my_work(self.db, desk_user(), lang=current_lang())
        return self.render("netra/my_work.html", items=items)


class OverdueFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        late = exists().where(Deadline.case_id == Case.id, Deadline.status == "open", Deadline.due_at < utcnow())
        return query.filter(late if value == "1" else ~late)

    def operation(self):
        return lazy_gettext("equals")


class ViolationFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        return query.filter(exists().where(CaseViolation.case_id == Case.id, CaseViolation.code == value))

    def operation(self):
        return lazy_gettext("equals")


CASE_NUMBER = re.compile(r"^[A-Za-z]{2}-[0-9A-Za-z]{2,4}-\d{4}-\d{4,7}$")


def _number_link(view, context, model, name):
    return Markup(f'<a href="{url_for("case.show", number=model.number)}">{escape(model.number)}</a>')


class CaseListView(DeskAccess, ModelView):
    can_create = can_edit = can_delete = False
    can_export = False  # Flask-Admin's export bypasses casework's rules; see export_cases
    list_template = "netra/case_list.html"
    page_size = 25
    column_list = ["number", "stage", "regency.name", "election.name", "received_on", "summary"]
    column_labels = {"number": _l("Nomor"), "stage": _l("Tahap"), "regency.name": _l("Kabupaten/kota"),
                     "election.name": _l("Pemilihan"), "received_on": _l("Diterima"), "summary": _l("Pokok perkara"),
                     "source": _l("Sumber"), "reported.nip": "NIP", "reported.name": _l("Nama terlapor"),
                     "reported.agency.name": _l("Instansi")}
    column_searchable_list = ["number", "reported.nip", "reported.name", "reported.agency.name"]
    column_default_sort = ("received_on", True)
    column_formatters = {"number": _number_link, "stage": lambda v, c, m, n: label(m.stage, current_lang())}

    def __init__(self, session, **kwargs):
        stages = [(s.value, LABELS[s][0]) for s in Stage]
        violations = [(code, item["label_id"]) for code, item in violation_catalogue().items()]
        self.column_filters = [
            _choice_filter(Case.stage, _l("Tahap"), stages), "election.name", "regency.name", "source",
            ViolationFilter(Case.id, _l("Jenis pelanggaran"), options=violations),
            OverdueFilter(Case.id, _l("Terlambat"), options=[("1", _l("Ya")), ("0", _l("Tidak"))]),
        ]
        super().__init__(Case, session, name=_l("Daftar kasus"), endpoint="cases", url="/kasus-daftar", **kwargs)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """A NIP or a case number is looked up exactly (indexed); names and agencies by substring (Flask-Admin)."""
        term = search.strip()
        compact = normalize_nip(term)
        if len(compact) == 18 and compact.isdigit():
            # IN (subquery), not a correlated EXISTS: the planner resolves the NIP by its index once
            match = Case.id.in_(select(ReportedASN.case_id).where(ReportedASN.nip == compact))
        elif CASE_NUMBER.match(term):
            match = Case.number == term.upper()
        else:
            return super()._apply_search(query, count_query, joins, count_joins, search)
        return query.filter(match), count_query.filter(match) if count_query is not None else None, joins, count_joins

    def get_query(self):
        return super().get_query().filter(case_scope(desk_user()))

    def get_count_query(self):
        return self.session.query(func.count(Case.id)).filter(case_scope(desk_user()))

    def get_one(self, id):
        return self.get_query().filter(Case.id == id).one_or_none()

    @expose("/ekspor/<fmt>")
    def export_cases(self, fmt: str):
        """The list as it is shown (scope, search, filters, sort; every page) as XLSX or CSV; which columns and
        people this user gets is casework.spreadsheets.export's decision, and the export is audited."""
        if fmt not in FORMATS:
            abort(404)
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort)
        _count, query = self.get_list(0, sort[0] if sort else None, args.sort_desc, args.search, args.filters,
                                      execute=False, page_size=0)
        ids = [case_id for (case_id,) in query.with_entities(Case.id)]
        user = desk_user()
        audience = Audience(user)
        out = io.BytesIO()
        count = export_cases(self.session, out, fmt, audience, case_ids=ids)
        with transaction(current_app.extensions["netra_sessions"]) as session:
            record_export(session, actor=user.username, audience=audience, fmt=fmt, count=count,
                                       criteria={"search": args.search or "",
                                                 "filters": [[str(name), value] for _i, name, value in
                                                             args.filters or []]})
        name = f"daftar-kasus-{utcnow():%Y-%m-%d}.{fmt}"
        return Response(out.getvalue(), mimetype=MIME_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def _choice_filter(column, name, options):
    from flask_admin.contrib.sqla.filters import FilterEqual
    return FilterEqual(column, name, options=options)


class CaseView(DeskAccess, BaseView):
    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("cases.index_view"))

    @expose("/<number>")
    def show(self, number: str):
        user = desk_user()
        case = find_visible_case(self.db, user, number)
        if case is None:
            abort(404)
        lang = current_lang()
        detail = case_detail(self.db, number, lang=lang)
        if not may_see_reporter(user, case):
            detail["reporter"] = detail["receipt_code"] = None
        people = visible_people(user, case)
        names = {p.nip for p in people}
        detail["reported"] = [p for p in detail["reported"] if p["nip"] in names]
        # a BKPSDM officer follows only their own agency's employees: other tracks' steps stay out of the timeline
        shown = {p.name for p in people}
        detail["history"] = [h for h in detail["history"] if not h["reported_asn"] or h["reported_asn"] in shown]
        steps = [(cmd, form_fields(cmd)) for cmd in available_commands(case, actor_for(user))]
        tracks = [p for p in case.reported if p.nip in names]
        letters = [letter for letter in self.db.scalars(select(Letter).where(Letter.case_id == case.id)
                                                        .order_by(Letter.id))
                   if may_read_letter(user, case, get_kind(letter.kind).recipient)]
        pending = []
        if may_issue_letters(user, case):
            owed: dict[str, list[str]] = {}
            for item in pending_letters(self.db, case):
                owed.setdefault(item.kind, []).append(item.label)
            pending = [(kind, labels) for code, labels in owed.items()
                       if may_read_letter(user, case, (kind := get_kind(code)).recipient)]
        return self.render("netra/case.html", case=case, d=detail, steps=steps, tracks=tracks, letters=letters,
                           pending_letters=pending, lang=lang,
                           may_upload="bawaslu_handler" in role_codes(user))

    def _case_or_404(self, number: str):
        case = find_visible_case(self.db, desk_user(), number)
        if case is None:
            abort(404)
        return case

    @expose("/<number>/bukti", methods=["POST"])
    def upload(self, number: str):
        case = self._case_or_404(number)
        upload = request.files.get("file")
        user = desk_user()
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                add_evidence(session, session.get(Case, case.id), data=upload.read() if upload else b"",
                             filename=upload.filename if upload else "", actor=user.username,
                             roles=role_codes(user), description=request.form.get("description", ""),
                             settings=current_app.config["NETRA_SETTINGS"])
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
        else:
            flash(_("Bukti tersimpan."), "success")
        return redirect(url_for("case.show", number=number))

    @expose("/<number>/bukti/<int:evidence_id>")
    def evidence(self, number: str, evidence_id: int):
        case = self._case_or_404(number)
        item = self.db.get(EvidenceFile, evidence_id)
        if item is None or item.case_id != case.id:
            abort(404)
        data = evidence_bytes(item, current_app.config["NETRA_SETTINGS"])
        return _attachment(data, item.original_name)

    @expose("/<number>/sk/<int:person_id>")
    def decree(self, number: str, person_id: int):
        """A reported ASN's sanction decree PDF, for whoever may see that person on this case."""
        case = self._case_or_404(number)
        person = next((p for p in visible_people(desk_user(), case) if p.id == person_id), None)
        if person is None or not person.decree_file:
            abort(404)
        return _attachment(decree_pdf(person, current_app.config["NETRA_SETTINGS"]), person.decree_file_name)

    def _letter_case_or_404(self, number: str, kind: str):
        """The case, if this user may prepare a letter of this kind on it (issue it, and read whom it names)."""
        case = self._case_or_404(number)
        user = desk_user()
        if kind not in letter_kinds() or not may_issue_letters(user, case) \
                or not may_read_letter(user, case, get_kind(kind).recipient):
            abort(404)
        return case, user

    @expose("/<number>/surat/draf/<kind>")
    def letter_preview(self, number: str, kind: str):
        self._letter_case_or_404(number, kind)
        try:
            data = render_draft(self.db, number, kind, recipient=request.args.get("penerima", 0, type=int))
        except CaseworkError:
            abort(404)
        return Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="draf-{kind}.pdf"'})

    @expose("/<number>/surat/<kind>", methods=["POST"])
    def letter_issue(self, number: str, kind: str):
        _case, user = self._letter_case_or_404(number, kind)
        try:
            letter = issue_letter(current_app.extensions["netra_sessions"], number, kind, actor=user.username,
                                  recipient=request.form.get("recipient", 0, type=int),
                                  settings=current_app.config["NETRA_SETTINGS"])
        except CaseworkError as exc:
            flash(exc.render(current_lang()), "danger")
        else:
            flash(_("Surat diterbitkan: %(number)s", number=letter.number), "success")
        return redirect(url_for("case.show", number=number))

    @expose("/<number>/surat/berkas/<int:letter_id>")
    def letter_file(self, number: str, letter_id: int):
        case = self._case_or_404(number)
        letter = self.db.get(Letter, letter_id)
        if letter is None or letter.case_id != case.id or letter.status != "issued" \
                or not may_read_letter(desk_user(), case, get_kind(letter.kind).recipient):
            abort(404)
        data = stored_pdf(self.db, letter, current_app.config["NETRA_SETTINGS"])
        return _attachment(data, f"{letter.number.replace('/', '-')}.pdf")

    @expose("/<number>/langkah/<step>", methods=["POST"])
    def take_step(self, number: str, step: str):
        user = desk_user()
        if find_visible_case(self.db, user, number) is None or step not in COMMANDS:
            abort(404)
        fields = {k: v for k, v in request.form.items() if k not in ("csrf_token", "version", "track")}
        fields |= {k: Upload(f.filename or "", f.read()) for k, f in request.files.items() if f.filename}
        lang = current_lang()
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                execute(session, step, case_number=number, actor=actor_for(user),
                        # a missing or malformed version is a stale form, never "no check" (None)
                        expected_version=request.form.get("version", -1, type=int),
                        track=request.form.get("track") or None, settings=current_app.config["NETRA_SETTINGS"],
                        **fields)
        except CaseworkError as exc:  # ValidationError included: it lists every problem
            flash(exc.render(lang), "danger")
        else:
            flash(_("Tersimpan: %(step)s", step=COMMANDS[step].label.pick(lang)), "success")
        self.db.expire_all()
        return redirect(url_for("case.show", number=number))


def _attachment(data: bytes, filename: str) -> Response:
    """Exactly the stored bytes, always as a download (never rendered inline by the browser)."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename) or "berkas"
    return Response(data, mimetype="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"',
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def init_admin(app, db) -> Admin:
    admin = Admin(app, name="Netra", url="/", translations_path=str(TRANSLATIONS),
                  theme=Bootstrap4Theme(base_template="netra/base.html", fluid=True),
                  index_view=MyWorkView(name=_l("Tugas saya"), url="/", endpoint="admin"))
    for view in (admin.index_view,):
        view.db = db
    case_list = CaseListView(db)
    case_view = CaseView(name=_l("Kasus"), endpoint="case", url="/kasus")
    case_view.db = db
    from admin.auth import AccountView
    from admin.intake import IntakeView
    admin.add_view(AccountView(name=_l("Verifikasi dua langkah"), endpoint="account", url="/akun"))
    intake = IntakeView(name=_l("Kasus baru"), endpoint="intake", url="/kasus-baru")
    intake.db = db
    admin.add_view(case_list)
    from admin.dashboard import DashboardView
    admin.add_view(DashboardView(db, name=_l("Dasbor"), endpoint="dashboard", url="/dasbor"))
    admin.add_view(intake)
    admin.add_view(case_view)
    from admin.accounts import add_views
    add_views(admin, db)
    return admin
