"""How the API answers: JSON (dates as ISO 8601, never Flask's HTTP dates), and the query string checked — a page
and its size, and no parameter it does not know (a typo in a filter would otherwise return everything)."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from flask import Response, request

from casework.errors import Problem, ValidationError

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


class QueryError(ValidationError):
    """A bad query string: 400, each problem pointing into the query."""

    status = 400
    pointer = "/query/"


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=_plain)


def ok(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(data), status=status, mimetype="application/json", headers=headers or {})


def arg(name: str, problems: list[Problem]) -> str | None:
    """A query parameter; None when absent. Given empty it is a problem: the document says what each one takes,
    and an empty filter is a mistake to say, not to read as "any"."""
    value = request.args.get(name)
    if value == "":
        problems.append(Problem(name, "api.empty_parameter", {"name": name}))
        return None
    return value


def page_args(problems: list[Problem]) -> tuple[int, int]:
    """`page` and `per_page` from the query; a bad one is added to `problems` (every problem is said at once)."""
    values = {}
    for name, default, top in (("page", 1, 1_000_000), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = arg(name, problems)
        values[name] = default
        if raw is None:
            continue
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= top:
            problems.append(Problem(name, "api.bad_number", {"value": raw[:16], "max": top}))
        else:
            values[name] = int(raw)
    return values["page"], values["per_page"]


def query_problems(problems: list[Problem], unknown: set[str]) -> None:
    problems = problems + [Problem(str(name)[:64], "api.unknown_parameter", {"name": str(name)[:64]})
                           for name in sorted(unknown)]
    if problems:
        raise QueryError(problems)
