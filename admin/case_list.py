"""Daftar kasus: the case list (Flask-Admin's list view, read-only), its search, filters and counts, and its
download as XLSX or CSV. Every row, count, search match and filter goes through casework.access: get_query,
get_count_query and get_one share the principal's scope, so no hidden row is reachable by URL, search or count."""
from __future__ import annotations

import io

from flask import Response, abort, current_app, request
from flask_admin import expose
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import exists, func

from admin.desk import DeskAccess, principal
from admin.i18n import current_lang
from casework.access.scope import case_scope, deadline_scope, search_clause
from casework.adapters.db import transaction
from casework.models import Case, CaseViolation, Deadline, utcnow
from casework.i18n.dates import format_day
from casework.road.stages import Stage, label
from casework.rules import violation_catalogue
from casework.spreadsheets.columns import FORMATS, MIME_TYPES
from casework.spreadsheets.export import Audience, export_cases, record_export


class OverdueFilter(BaseSQLAFilter):
    """Cases with an open deadline past due — among the deadlines the user may see (a BKPSDM officer's filter must
    not tell them about another agency's employee on a shared case)."""

    def apply(self, query, value, alias=None):
        late = exists().where(Deadline.case_id == Case.id, Deadline.status == "open", Deadline.due_at < utcnow(),
                              deadline_scope(principal()))
        return query.filter(late if value == "1" else ~late)

    def operation(self):
        return lazy_gettext("equals")


class ViolationFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        return query.filter(exists().where(CaseViolation.case_id == Case.id, CaseViolation.code == value))

    def operation(self):
        return lazy_gettext("equals")


class RegionFilter(BaseSQLAFilter):
    """Cases whose place of the incident lies in a region, by its Kemendagri code: a regency or city (4 digits) or a
    province (2: its regencies' codes start with it). The map links each region here (admin/maps.py)."""

    def __init__(self, column, name, digits: int):
        super().__init__(column, name)
        self.digits = digits

    def validate(self, value):
        return len(value) == self.digits and value.isdigit()

    def apply(self, query, value, alias=None):
        return query.filter(Case.regency_code == value if self.digits == 4 else Case.regency_code.startswith(value))

    def operation(self):
        return lazy_gettext("equals")


def _number_link(view, context, model, name):
    from flask import url_for
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
    # shown as the search box's hint; the search itself is casework.access.scope.search_clause (_apply_search)
    column_searchable_list = ["number", "reported.nip", "reported.name", "reported.agency.name"]
    column_default_sort = ("received_on", True)
    column_formatters = {"number": _number_link, "stage": lambda v, c, m, n: label(m.stage, current_lang()),
                         "received_on": lambda v, c, m, n: format_day(m.received_on, current_lang())}

    def __init__(self, session, **kwargs):
        stages = [(s.value, label(s)) for s in Stage]
        violations = [(code, item["label_id"]) for code, item in violation_catalogue().items()]
        self.column_filters = [
            FilterEqual(Case.stage, _l("Tahap"), options=stages), "election.name", "regency.name", "source",
            ViolationFilter(Case.id, _l("Jenis pelanggaran"), options=violations),
            OverdueFilter(Case.id, _l("Terlambat"), options=[("1", _l("Ya")), ("0", _l("Tidak"))]),
            # appended last, so that the filter URLs above (flt0_<index>) keep their meaning
            RegionFilter(Case.regency_code, _l("Kode kabupaten/kota"), 4),
            RegionFilter(Case.regency_code, _l("Kode provinsi"), 2),
        ]
        super().__init__(Case, session, name=_l("Daftar kasus"), endpoint="cases", url="/kasus-daftar", **kwargs)

    def region_args(self, code: str) -> dict[str, str]:
        """The list's URL arguments that show only the cases of region `code` (a province or a regency)."""
        index = next(i for i, f in enumerate(self._filters)
                     if isinstance(f, RegionFilter) and f.digits == len(code))
        return self._get_filters([(index, str(self._filters[index].name), code)])

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """Whatever column is sorted, the case id breaks ties: many cases share a date or a stage, and without a
        total order PostgreSQL may put a case on two pages and none on another while one pages through."""
        query, joins = super()._apply_sorting(query, joins, sort_column, sort_desc)
        return query.order_by(Case.id.desc()), joins

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """The access module's search: people are matched only among those the user may see."""
        match = search_clause(principal(), search)
        return query.filter(match), count_query.filter(match) if count_query is not None else None, joins, count_joins

    def get_query(self):
        return super().get_query().filter(case_scope(principal()))

    def get_count_query(self):
        return self.session.query(func.count(Case.id)).filter(case_scope(principal()))

    def get_one(self, id):
        return self.get_query().filter(Case.id == id).one_or_none()

    @expose("/ekspor/<fmt>", methods=["GET", "POST"])
    def export_cases(self, fmt: str):
        """The list as it is shown (scope, search, filters, sort; every page) as XLSX or CSV. A download is a POST
        (it is audited: personal data leaves Netra); the old GET link shows the button to confirm it."""
        if fmt not in FORMATS:
            abort(404)
        if request.method == "GET":
            return self.render("netra/export_confirm.html", fmt=fmt, args=request.args)
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort)
        _count, query = self.get_list(0, sort[0] if sort else None, args.sort_desc, args.search, args.filters,
                                      execute=False, page_size=0)
        ids = [case_id for (case_id,) in query.with_entities(Case.id)]
        audience = Audience(principal())
        out = io.BytesIO()
        count = export_cases(self.session, out, fmt, audience, case_ids=ids)
        with transaction(current_app.extensions["netra_sessions"]) as session:
            record_export(session, actor=audience.principal.username, audience=audience, fmt=fmt, count=count,
                          criteria={"search": args.search or "",
                                    "filters": [[str(name), value] for _i, name, value in args.filters or []]})
        name = f"daftar-kasus-{utcnow():%Y-%m-%d}.{fmt}"
        return Response(out.getvalue(), mimetype=MIME_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

