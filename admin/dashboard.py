"""Dasbor: the reports of casework.reports.dashboard over what the user may see, as server-side SVG charts and a heat table
of regencies. For every role that sees cases (Bawaslu, oversight officers, BKPSDM officers, auditor); a system
administrator, who sees no case content, gets 404 like any other page not theirs."""
from __future__ import annotations

from flask import Response, abort, redirect
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from admin import charts
from admin.i18n import current_lang
from admin.map_page import case_list_url, desk_map
from casework.prevention.warnings import flags as early_warning_flags
from casework.reports.dashboard import dashboard, has_dashboard
from admin.desk import login_url, principal


def _days(value: float, lang: str) -> str:
    """1,5 in Indonesian, 1.5 in English."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "id" else text


class DashboardView(BaseView):
    def __init__(self, db, **kwargs):
        super().__init__(**kwargs)
        self.db = db

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and has_dashboard(principal())

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(404)
        return redirect(login_url())

    @expose("/heat.css")
    def heat_css(self):
        """The heat table's colours as classes (the CSP allows no inline style)."""
        return Response(charts.heat_css(), mimetype="text/css", headers={"Cache-Control": "max-age=3600"})

    @expose("/peta")
    def map_page(self):
        """The map of cases, overdue deadlines, IKP and prevention by province and regency (admin/map_page.py)."""
        return desk_map(self)

    @expose("/")
    def index(self):
        lang = current_lang()
        d = dashboard(self.db, principal(), lang=lang)
        late = _("terlambat")
        none = _("Belum ada data.")
        svg = {
            "stage": charts.bar_chart(d.by_stage, title=_("Kasus per tahap"), chart_id="chart-stage", empty=none,
                                      overdue_word=late),
            "track": charts.bar_chart(d.by_track, title=_("Terlapor per tahap jalurnya"), chart_id="chart-track",
                                      empty=none),
            "special": charts.bar_chart(d.special_paths, title=_("Jalur khusus"), chart_id="chart-special",
                                        empty=none),
            "kind": charts.bar_chart(d.by_kind, title=_("Terlapor per jenis"), chart_id="chart-kind", empty=none),
            "criminal": charts.bar_chart(d.by_criminal, title=_("Dugaan tindak pidana per tahap"),
                                         chart_id="chart-criminal", empty=none),
            "election": charts.bar_chart(d.by_election, title=_("Kasus per pemilihan"), chart_id="chart-election",
                                         empty=none, overdue_word=late),
            "violation": charts.bar_chart(d.by_violation, title=_("Kasus per jenis pelanggaran"),
                                          chart_id="chart-violation", empty=none),
            "agency": charts.stacked_bars(
                [(a.name, [charts.Segment(a.reported, charts.BAR, "reported")],
                  _("%(n)s ASN · %(w)s menunggu PPK · %(s)s disanksi", n=a.reported, w=a.awaiting_ppk,
                    s=a.sanctioned) + (_(" · %(b)s diblokir BKN", b=a.blocked) if a.blocked else ""))
                 for a in d.by_agency],
                title=_("ASN terlapor per instansi"), chart_id="chart-agency", empty=none),
            "overdue_stage": charts.bar_chart(d.overdue_by_stage, title=_("Tenggat terlambat per tahap"),
                                              chart_id="chart-overdue-stage", color=charts.WARN,
                                              empty=_("Tidak ada tenggat yang terlambat.")),
            "overdue_body": charts.bar_chart(d.overdue_by_institution, title=_("Tenggat terlambat per lembaga"),
                                             chart_id="chart-overdue-institution", color=charts.WARN, empty=none),
            "median": charts.stacked_bars(
                [(b.label, [charts.Segment(b.value, charts.BAR, "days")],
                  _("%(d)s hari (%(n)s kali)", d=_days(b.value, lang), n=b.note)) for b in d.median_days],
                title=_("Median lama per tahap (hari)"), chart_id="chart-median", empty=none),
            "compliance": _compliance_chart(d.compliance, _("Kepatuhan tenggat rekomendasi"), "chart-compliance"),
            "ppk": _compliance_chart(d.ppk_compliance, _("Tindak lanjut PPK per instansi"), "chart-ppk"),
        }
        key = charts.legend([(charts.MET, _("tepat waktu")), (charts.MISSED, _("lewat tenggat")),
                             (charts.WARN, _("terbuka, terlambat")), (charts.PENDING, _("terbuka, belum jatuh tempo"))])
        return self.render("netra/dashboard.html", d=d, svg=svg, compliance_key=key, heat=charts.heat, lang=lang,
                           warnings=early_warning_flags(self.db, principal()), region_url=case_list_url,
                           top_open=d.max_regency("open_cases"), top_late=d.max_regency("overdue_cases"),
                           overdue_key=charts.legend([(charts.BAR, _("kasus")), (charts.WARN, _("terlambat"))]))


def _compliance_chart(rows, title: str, chart_id: str):
    data = []
    for c in rows:
        percent = c.on_time_percent
        text = _("%(p)s%% tepat waktu (%(met)s dari %(n)s)", p=percent, met=c.met, n=c.decided) \
            if percent is not None else _("belum jatuh tempo")
        data.append((c.label, [charts.Segment(c.met, charts.MET, "met"),
                               charts.Segment(c.missed, charts.MISSED, "missed"),
                               charts.Segment(c.overdue, charts.WARN, "overdue"),
                               charts.Segment(c.pending, charts.PENDING, "pending")], text))
    return charts.stacked_bars(data, title=title, chart_id=chart_id, empty=_("Belum ada data."))
