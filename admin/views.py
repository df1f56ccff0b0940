"""The desk's views, registered in one place: Tugas saya, the case list, the dashboard, intake, the case page and
its letters, the account and administration pages. Each area is its own module; every rule comes from casework
(the access module decides who sees and does what, the road's commands what a step takes)."""
from __future__ import annotations

from flask_admin import Admin, AdminIndexView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from admin.desk import DeskAccess, principal
from admin.i18n import TRANSLATIONS, current_lang
from casework.road.worklist import my_work


class MyWorkView(DeskAccess, AdminIndexView):
    """Tugas saya: the cases waiting on this user, nearest deadline first."""

    @expose("/")
    def index(self):
        return self.render("netra/my_work.html", items=my_work(self.db, principal(), lang=current_lang()))


def init_admin(app, db) -> Admin:
    from admin.accounts import add_views
    from admin.auth import AccountView
    from admin.case_list import CaseListView
    from admin.case_page import CaseView
    from admin.dashboard import DashboardView
    from admin.exchange import StatusImportView
    from admin.intake import IntakeView
    from admin.letters import CaseLettersView

    admin = Admin(app, name="Netra", url="/", translations_path=str(TRANSLATIONS),
                  theme=Bootstrap4Theme(base_template="netra/base.html", fluid=True),
                  index_view=MyWorkView(name=_l("Tugas saya"), url="/", endpoint="admin"))
    admin.index_view.db = db
    admin.add_view(AccountView(name=_l("Verifikasi dua langkah"), endpoint="account", url="/akun"))
    admin.add_view(CaseListView(db))
    admin.add_view(DashboardView(db, name=_l("Dasbor"), endpoint="dashboard", url="/dasbor"))
    from admin.league import LeagueView  # Liga PPK: the PPK league table (issue 21)
    admin.add_view(LeagueView(db, name=_l("Liga PPK"), endpoint="league", url="/liga-ppk"))
    from admin.figures import FiguresView  # Data kerawanan: IKP scores, ASN headcounts (issue 21)
    admin.add_view(FiguresView(db, name=_l("Data kerawanan"), endpoint="figures", url="/data-kerawanan"))
    for view in (IntakeView(name=_l("Kasus baru"), endpoint="intake", url="/kasus-baru"),
                 CaseView(name=_l("Kasus"), endpoint="case", url="/kasus"),
                 CaseLettersView(name=_l("Surat"), endpoint="case_letters", url="/kasus")):
        view.db = db
        admin.add_view(view)
    from admin.inbox import InboxView
    admin.add_view(InboxView(name=_l("Informasi awal"), endpoint="inbox", url="/informasi-awal"))
    admin.add_view(StatusImportView(name=_l("Impor status SBT/I'DIS"), endpoint="status_import", url="/impor-status"))
    add_views(admin, db)
    from admin.directory import add_directory_views
    add_directory_views(admin, db)
    from admin.prevention import PreventionView
    admin.add_view(PreventionView(name=_l("Pencegahan"), endpoint="prevention", url="/pencegahan"))
    from admin.office_letters import OfficeLettersView
    admin.add_view(OfficeLettersView(db, name=_l("Surat kantor"), endpoint="office_letters", url="/surat-kantor"))
    return admin
