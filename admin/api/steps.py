"""The API's writes: a step of the road, the same typed command as the desk's form and `netra case step`
(casework.road.workflow.take): POST /api/v1/cases/<number>/steps/<step> with its input as JSON. Every write carries
an Idempotency-Key; its answer is kept with the step, in the same transaction (casework.adapters.idempotency), so a
retried request never takes a step twice."""
from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import current_app, g, request
from sqlalchemy.exc import IntegrityError

from admin.api import bp
from admin.api.problems import language
from admin.api.respond import ok
from casework.access.scope import visible_people
from casework.adapters.db import transaction
from casework.adapters.idempotency import check_key, digest, earlier, remember
from casework.errors import CaseworkError, Problem, ValidationError
from casework.road.inputs import Kind, Upload
from casework.road.workflow import get_command, take

ENVELOPE = {"version", "track", "acted_on", "input"}


class BodyError(ValidationError):
    """The body's envelope is wrong (an unknown member, a version that is no number), with every problem of its
    input listed too: 422, each pointing where it is in the body."""

    def __init__(self, envelope: list[Problem], inputs: list[Problem]) -> None:
        super().__init__(envelope + inputs)
        self.in_input = {id(p) for p in inputs}

    def pointer_for(self, problem: Problem) -> str:
        return ("/input/" if id(problem) in self.in_input else "/") + problem.where.replace(".", "/")


def _body(cmd) -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise CaseworkError("api.not_json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise CaseworkError("api.bad_json")
    problems = [Problem(str(k)[:64], "api.unknown_member", {"name": str(k)[:64]}) for k in body if k not in ENVELOPE]
    version, track, acted_on = body.get("version"), body.get("track"), body.get("acted_on")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 0):
        problems.append(Problem("version", "api.bad_version"))
    for name, value in (("track", track), ("acted_on", acted_on)):
        if value is not None and not isinstance(value, str):
            problems.append(Problem(name, "input.not_text"))
    inputs = body.get("input", {})
    if not isinstance(inputs, dict):
        problems.append(Problem("input", "api.not_object"))
    if problems:
        try:  # the input's own shape, so that one answer lists everything (what it means is the step's, later)
            cmd.input.parse(_fields(cmd, inputs) if isinstance(inputs, dict) else {})
        except ValidationError as exc:
            raise BodyError(problems, exc.problems) from None
        raise BodyError(problems, [])
    return body


def _fields(cmd, raw: dict[str, Any]) -> dict[str, Any]:
    """The JSON input as the command's parser takes it: a file is {filename, content (base64)}."""
    fields, problems = dict(raw), []
    for name, spec in cmd.input.specs():
        value = raw.get(name)
        if spec.kind is not Kind.FILE or value is None:
            continue
        if not isinstance(value, dict) or set(value) != {"filename", "content"} \
                or not all(isinstance(v, str) for v in value.values()):
            problems.append(Problem(name, "api.bad_file"))
            continue
        try:
            fields[name] = Upload(value["filename"], base64.b64decode(value["content"], validate=True))
        except (binascii.Error, ValueError):
            problems.append(Problem(name, "api.bad_file"))
    if problems:
        raise ValidationError(problems)
    return fields


@bp.post("/cases/<number>/steps/<step>")
def take_step(number: str, step: str):
    cmd = get_command(step)  # an unknown step: 404
    key = check_key(request.headers.get("Idempotency-Key"))
    body = _body(cmd)
    request_sha = digest("POST", request.path, body)
    sessions, api = current_app.extensions["netra_sessions"], g.api
    try:
        with transaction(sessions) as session:
            kept = earlier(session, api.token_id, key, request_sha)
            if kept is not None:
                return _replay(kept)
            taken = take(session, cmd.name, case_number=number, principal=api.principal,
                         expected_version=body.get("version"), track=body.get("track"),
                         settings=current_app.config["NETRA_SETTINGS"], fields=_fields(cmd, body.get("input") or {}),
                         acted_on=body.get("acted_on"))
            case = taken.case
            answer = {"number": case.number, "step": cmd.name, "stage": case.stage, "version": case.version,
                      "tracks": {p.nip: p.track_stage for p in case.reported if p.id in _visible(case)},
                      "acted_on": taken.acted_on.isoformat(),
                      "warnings": [w.render(language()) for w in taken.warnings]}
            remember(session, api.token_id, key, request_sha, 200, answer)
    except IntegrityError:  # the same key, sent twice at once: the first one's answer, once it is kept
        with sessions() as session:
            kept = earlier(session, api.token_id, key, request_sha)
        if kept is None:
            raise CaseworkError("api.idempotency_in_flight") from None
        return _replay(kept)
    return ok(answer)


def _visible(case) -> set[int]:
    return {p.id for p in visible_people(g.api.principal, case)}  # the answer names no one the caller may not see


def _replay(kept: tuple[int, dict]):
    status, answer = kept
    return ok(answer, status, headers={"Idempotent-Replayed": "true"})
