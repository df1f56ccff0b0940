"""Liga PPK (/liga-ppk/): the PPK league table of casework.reports.league over what the user may see — sorted by
any column through plain links (?urut=<column>&arah=naik|turun, on the server, no script), filtered by election,
the slow PPKs' overdue cells in the heat table's warning colours — and its download as CSV or XLSX, exactly the
table shown. For whoever may SEE_PREVENTION (everyone with a dashboard); others get 404.

The download is a GET link, not the case list's confirmed POST: it holds counts per agency and no personal data,
so there is nothing to confirm; it is audited all the same (who took which table out), as the case list's is."""
from __future__ import annotations

import io

from flask import Response, abort, current_app, redirect, request
from flask_admin import BaseView, expose
from flask_login import current_user

from admin import charts
from admin.desk import login_url, principal
from admin.i18n import current_lang
from casework import audit
from casework.access.policy import Action, permits
from casework.adapters.db import transaction
from casework.deadlines.engine import get_rule
from casework.models import utcnow
from casework.reports.league import COLUMNS, FORMATS, MIME_TYPES, SORTS, League, export_league, late_of, \
    league_table

DEFAULT_SORT = "overdue"
DIRECTIONS = {"naik": False, "turun": True}  # ascending, descending
TEXT_COLUMNS = {c.key for c in COLUMNS if not c.numeric}


def _choice(args) -> dict:
    """The table asked for; anything unknown falls back to the default (a normal page, never an error)."""
    sort = args.get("urut", "")
    sort = sort if sort in SORTS else DEFAULT_SORT
    direction = args.get("arah", "")
    if direction not in DIRECTIONS:
        direction = "naik" if sort in TEXT_COLUMNS else "turun"
    return {"sort": sort, "direction": direction, "election": args.get("pemilihan", "").strip()[:64]}


class LeagueView(BaseView):
    def __init__(self, db, **kwargs):
        super().__init__(**kwargs)
        self.db = db

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and permits(principal(), Action.SEE_PREVENTION)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(404)
        return redirect(login_url())

    def _league(self, choice: dict) -> League:
        descending = DIRECTIONS[choice["direction"]]
        league = league_table(self.db, principal(), election_code=choice["election"] or None, sort=choice["sort"],
                              descending=descending)
        if league.election_code and league.election_code not in dict(league.elections):
            # an election with nothing in the user's scope, or no such code: the whole table, as with none
            league = league_table(self.db, principal(), sort=choice["sort"], descending=descending)
        return league

    @expose("/")
    def index(self):
        choice = _choice(request.args)
        league = self._league(choice)
        lang = current_lang()
        tops = {key: max((r.value(key) for r in league.rows), default=0) for key in ("overdue", "late")}
        # the PPKs behind on their follow-up, across elections (the letter lists these), whatever the filter
        late = late_of(league.rows) if league.election_code is None else late_of(
            league_table(self.db, principal()).rows)
        rule = get_rule("agency.follow_up")
        return self.render("netra/league.html", league=league, columns=COLUMNS, lang=lang, heat=charts.heat,
                           tops=tops, late=late, formats=FORMATS, links=_links(choice), query=_query(league),
                           cell=lambda row, key: _cell(row.value(key), key, lang), rule=rule,
                           rule_days=rule.length if rule.day_kind == "working" else None)

    @expose("/ekspor/<fmt>")
    def export(self, fmt: str):
        if fmt not in FORMATS:
            abort(404)
        choice = _choice(request.args)
        league = self._league(choice)
        out = io.BytesIO()
        count = export_league(league, out, fmt, lang=current_lang())
        with transaction(current_app.extensions["netra_sessions"]) as session:
            audit.record(session, actor=principal().username, action="league.exported", entity="export",
                         entity_id=fmt, after={"format": fmt, "rows": count, "election": league.election_code,
                                               "sort": league.sort, "descending": league.descending})
        name = f"liga-ppk-{utcnow():%Y-%m-%d}.{fmt}"
        return Response(out.getvalue(), mimetype=MIME_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def _cell(value, key: str, lang: str) -> str:
    if value is None:
        return "–"
    if key == "on_time_share":
        return f"{value}%"
    if key == "median_days":
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "id" else text
    return str(value)


def _query(league: League) -> dict[str, str]:
    """The table shown, as query arguments (for its download links)."""
    return {"urut": league.sort, "arah": "turun" if league.descending else "naik",
            **({"pemilihan": league.election_code} if league.election_code else {})}


def _links(choice: dict) -> dict[str, dict]:
    """Each column header's link: sort by it (the other way round if it is the current sort), the election kept."""
    links = {}
    for key in SORTS:
        if key == choice["sort"]:
            direction = "naik" if choice["direction"] == "turun" else "turun"
        else:
            direction = "naik" if key in TEXT_COLUMNS else "turun"
        links[key] = {"urut": key, "arah": direction, **({"pemilihan": choice["election"]}
                                                          if choice["election"] else {})}
    return links
