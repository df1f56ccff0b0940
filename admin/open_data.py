"""Open statistics (casework.public.statistics): /statistik (a page), /statistik.json (every table with its data
dictionary) and /statistik/<table>.csv — aggregated, without personal data, small counts suppressed. No login."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, abort, current_app, jsonify

from admin.i18n import current_lang
from admin.public import public_page
from casework.public.statistics import CACHE_SECONDS, THRESHOLD, cached

bp = Blueprint("open_data", __name__)


def _stats():
    return cached(current_app.extensions["netra_sessions"])


def _cache(response):
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS // 3}"
    return response


@bp.get("/statistik")
def page():
    """The tables, and above them the map of cases per province (?provinsi=64: that province's regencies)."""
    from admin.map_page import public_map

    stats = _stats()
    drawn = public_map(stats, THRESHOLD)
    return _cache(public_page("public/statistics.html", 400 if drawn["map_error"] else 200, indexed=True,
                              lang=current_lang(), stats=stats, threshold=THRESHOLD, minutes=CACHE_SECONDS // 60,
                              **drawn))


@bp.get("/statistik.json")
def as_json():
    stats = _stats()
    return _cache(jsonify({
        "computed_at": stats.computed_at.isoformat(), "suppressed_below": THRESHOLD, "total_cases": stats.total_cases,
        "note": "null = suppressed (1 or 2, or the complement of a lone one); no personal data",
        "tables": [{"name": t.name, "title": t.title, "dictionary": dict(t.columns), "rows": t.rows}
                   for t in stats.tables]}))


@bp.get("/statistik/<name>.csv")
def as_csv(name: str):
    stats = _stats()
    table = next((t for t in stats.tables if t.name == name), None)
    if table is None:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column for column, _ in table.columns])
    for row in table.rows:  # a suppressed count is written "<3", as on the page
        writer.writerow([f"<{THRESHOLD}" if row[c] is None and c in (*table.counts, "persen_tepat_waktu") else row[c]
                         for c, _ in table.columns])
    response = current_app.make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="netra-{name}.csv"'
    return _cache(response)
