"""The API's reads: cases (a page of the caller's list, with filters; one case as the caller may see it), deadlines,
letters and their PDFs, and who the token speaks for. Every answer is the access module's filtered view — the same
as the desk's case page and list (casework.access.view, casework.access.scope)."""
from __future__ import annotations

import re

from flask import Response, current_app, g, request, url_for

from admin.api import bp
from admin.api.problems import language
from admin.api.respond import arg, ok, page_args, query_problems
from admin.desk import note_read
from casework.access.policy import Action, authorize, letter_names_protected
from casework.access.view import case_view
from casework.adapters.db import transaction
from casework.exchange.referral import build as build_referral
from casework.errors import NotFound, Problem
from casework.letters.issue import stored_pdf
from casework.models import Letter
from casework.road.cases import get_case
from casework.road.pages import CaseFilter, page_of_cases, page_of_deadlines
from casework.road.stages import Stage
from casework.road.statuses import DeadlineStatus
from casework.road.workflow import steps_table

REGENCY, PROVINCE = re.compile(r"[0-9]{4}"), re.compile(r"[0-9]{2}")  # Kemendagri codes (fullmatch: ASCII only)
DEADLINE_STATUSES = tuple(DeadlineStatus)


def _db():
    return current_app.extensions["netra_db"]


@bp.get("/me")
def me():
    query_problems([], set(request.args))
    p = g.api.principal
    return ok({"username": p.username, "roles": sorted(p.role_codes),
               "office": p.office.code if p.office else None, "agency_id": p.agency_id,
               "oversight_body_id": p.oversight_body_id,
               "token": {"id": g.api.token_id, "write": g.api.can_write}})


@bp.get("/cases")
def cases():
    problems = []
    page, per_page = page_args(problems)
    args = request.args
    stage, regency, province, election = (arg(name, problems) for name in ("stage", "regency", "province",
                                                                             "election"))
    if stage is not None and stage not in set(Stage):
        problems.append(Problem("stage", "bad_choice", {"value": stage[:64], "choices": ", ".join(Stage)}))
    for name, value, pattern in (("regency", regency, REGENCY), ("province", province, PROVINCE)):
        if value is not None and not pattern.fullmatch(value):
            problems.append(Problem(name, "api.bad_code", {"value": value[:16]}))
    if election is not None and len(election) > 64:
        problems.append(Problem("election", "too_long", {"max": 64}))
    query_problems(problems, set(args) - {"page", "per_page", "stage", "regency", "province", "election"})
    filters = CaseFilter(stage=stage, regency=regency, province=province, election=election)
    rows, total = page_of_cases(_db(), g.api.principal, filters=filters, offset=(page - 1) * per_page,
                                limit=per_page, lang=language())
    items = [row.as_dict() | {"url": url_for("api.case", number=row.number)} for row in rows]
    return ok(paged(items, page, per_page, total, "api.cases", **{k: v for k, v in args.items()
                                                                   if k not in ("page", "per_page")}))


def paged(items: list, page: int, per_page: int, total: int, endpoint: str, **params) -> dict:
    last = max(1, -(-total // per_page))
    link = lambda n: url_for(endpoint, page=n, per_page=per_page, **params)  # noqa: E731
    return {"items": items, "page": page, "per_page": per_page, "total": total,
            "next": link(page + 1) if page < last else None, "prev": link(page - 1) if 1 < page <= last else None}


@bp.get("/cases/<number>")
def case(number: str):
    query_problems([], set(request.args))
    view = case_view(_db(), g.api.principal, number, lang=language())
    if view["reporter"]:  # the reporter's identity is in this answer: a read of it (docs/privacy.md)
        note_read(get_case(_db(), number).id, "reporter", channel="api", who=g.api.principal)
    return ok(view)


@bp.get("/cases/<number>/deadlines")
def case_deadlines(number: str):
    query_problems([], set(request.args))
    return ok({"items": case_view(_db(), g.api.principal, number, lang=language())["deadlines"]})


@bp.get("/cases/<number>/letters")
def case_letters(number: str):
    query_problems([], set(request.args))
    return ok({"items": case_view(_db(), g.api.principal, number, lang=language())["letters"]})


@bp.get("/cases/<number>/letters/<int(max=2147483647):letter_id>/pdf")  # a database integer
def letter_pdf(number: str, letter_id: int):
    query_problems([], set(request.args))
    db = _db()
    case_ = get_case(db, number)
    authorize(g.api.principal, Action.SEE_CASE, case_)
    letter = db.get(Letter, letter_id)
    authorize(g.api.principal, Action.READ_LETTER, case_, letter=letter)  # also: a letter of this case
    if letter.status not in ("issued", "superseded"):  # a draft has no file; a superseded one was sent
        raise NotFound("access.letter_not_found")
    data = stored_pdf(db, letter, current_app.config["NETRA_SETTINGS"])
    if letter_names_protected(letter):
        note_read(case_.id, "letter", item=letter.number, channel="api", who=g.api.principal)
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in letter.number)
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{safe}.pdf"',
                             "Cache-Control": "no-store"})


@bp.get("/cases/<number>/referral")
def referral(number: str):
    """The SBT/I'DIS referral package (casework.exchange.referral): a read that is an audit event."""
    query_problems([], set(request.args))
    with transaction(current_app.extensions["netra_sessions"]) as session:
        package = build_referral(session, number, g.api.principal, current_app.config["NETRA_SETTINGS"])
    return Response(package.data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{package.name}"',
                             "Cache-Control": "no-store"})


@bp.get("/deadlines")
def deadlines():
    problems = []
    page, per_page = page_args(problems)
    status = arg("status", problems)
    if status is not None and status not in DEADLINE_STATUSES:
        problems.append(Problem("status", "bad_choice", {"value": status[:64],
                                                         "choices": ", ".join(DEADLINE_STATUSES)}))
    overdue = arg("overdue", problems)
    if overdue not in (None, "true", "false"):
        problems.append(Problem("overdue", "bad_choice", {"value": overdue[:16], "choices": "true, false"}))
    query_problems(problems, set(request.args) - {"page", "per_page", "status", "overdue"})
    items, total = page_of_deadlines(_db(), g.api.principal, status=status, overdue=overdue == "true",
                                     offset=(page - 1) * per_page, limit=per_page, lang=language())
    params = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    items = [row | {"case_url": url_for("api.case", number=row["case"])} for row in items]
    return ok(paged(items, page, per_page, total, "api.deadlines", **params))


@bp.get("/steps")
def steps():
    query_problems([], set(request.args))
    return ok({"items": steps_table(language())})
