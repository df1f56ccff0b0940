"""Peta: the map pages. On the desk, /dasbor/peta (DashboardView.map_page): a layer of casework.reports.map_layers
over Indonesia's provinces, or over one province's regencies (?provinsi=64), each region linked to its filtered
case list (a province on the national map to its own map), the layer switch as plain links, the same numbers in
a table beneath and the regions without a boundary listed. A provincial or regency office lands on its province.
On /statistik, the public map of the open statistics' (suppressed) case counts."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import gettext as _

from admin import maps
from admin.desk import principal
from admin.i18n import current_lang
from casework.reference.geometry import geometry
from casework.reports.map_layers import DEFAULT_LAYER, LAYERS, map_layer, public_case_layer


def _case_list():
    admin = current_app.extensions["admin"][0]
    return next(v for v in admin._views if v.endpoint == "cases")


def case_list_url(code: str) -> str:
    """The case list showing only the cases of region `code` (Flask-Admin's own filter arguments)."""
    return url_for("cases.index_view", **_case_list().region_args(code))


def _province_arg(default: str | None) -> tuple[str | None, str | None]:
    """(province code or None for Indonesia, an error message for a code that is no province)."""
    if "provinsi" not in request.args:
        return default, None
    code = request.args["provinsi"].strip()
    if not code:
        return None, None
    if code not in geometry().province_names:
        return None, _("Kode provinsi %(code)s tidak dikenal; ditampilkan peta seluruh Indonesia.", code=code[:10])
    return code, None


def desk_map(view):
    lang = current_lang()
    p = principal()
    geo = geometry()
    errors = []
    key = request.args.get("lapisan", DEFAULT_LAYER)
    if key not in LAYERS:
        errors.append(_("Lapisan peta %(name)s tidak dikenal; ditampilkan lapisan kasus berjalan.", name=key[:40]))
        key = DEFAULT_LAYER
    home = p.office.province_code if p.office is not None and p.office.kind != "bawaslu_ri" else None
    province, error = _province_arg(home)
    if error:
        errors.append(error)
    layer = map_layer(view.db, p, key, province=province, lang=lang)
    if province:
        shapes = geo.regency_shapes(province)
        place = geo.province_names[province]
        href = case_list_url
    else:
        shapes = geo.province_shapes()
        place = _("Indonesia")

        def href(code):
            return url_for(".map_page", lapisan=key, provinsi=code)
    title = f"{layer.label} — {place}"
    svg = maps.choropleth(shapes, layer, title=title, map_id="peta", km_per_unit=geo.km_per_unit, href=href,
                          unit=layer.unit)
    rows = sorted(layer.regions.values(), key=lambda r: r.code)
    missing = geo.without_geometry(province)
    return view.render("netra/map.html", layer=layer, layers=LAYERS, key=key, province=province, place=place,
                       svg=svg, legend=maps.legend(layer, map_id="peta", heading=layer.label), rows=rows,
                       missing=missing, drawn={s.code for s in shapes}, case_list_url=case_list_url,
                       errors=errors, lang=lang, national=url_for(".map_page", lapisan=key, provinsi="")), \
        400 if errors else 200


def public_map(stats, threshold: int) -> dict:
    """The context of the map on /statistik: the provinces, or a province's regencies (?provinsi=), coloured by
    the statistics' own suppressed counts (a 1 or 2 is "<3" and one grey, whatever it is)."""
    lang = current_lang()
    geo = geometry()
    province, error = _province_arg(None)
    if province:
        shapes = geo.regency_shapes(province)
        names = {c: n for c, n in geo.regency_names.items() if c[:2] == province}
        rows = stats.table("kabupaten_kota").rows
        place = geo.province_names[province]

        def href(code):
            return None
    else:
        shapes = geo.province_shapes()
        names = dict(geo.province_names)
        rows = stats.table("provinsi").rows
        place = _("Indonesia")

        def href(code):
            return url_for("open_data.page", provinsi=code, _anchor="peta")
    layer = public_case_layer([r for r in rows if r["kode"] in names], names, lang=lang, threshold=threshold)
    svg = maps.choropleth(shapes, layer, title=f"{layer.label} — {place}", map_id="peta-publik",
                          km_per_unit=geo.km_per_unit, href=href, unit=layer.unit)
    return {"map_svg": svg, "map_legend": maps.legend(layer, map_id="peta-publik", heading=layer.label),
            "map_place": place, "map_province": province, "map_error": error,
            "map_missing": geo.without_geometry(province) if province else []}
