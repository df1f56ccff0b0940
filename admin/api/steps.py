"""The API's steps: a step of the road, the same typed command as the desk's form and `netra case step`
(casework.road.workflow.take): POST /api/v1/cases/<number>/steps/<step> with its input as JSON, made once per
Idempotency-Key (admin/api/once.py), so a retried request never takes a step twice."""
from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import current_app, g, request

from admin.api import bp
from admin.api.once import key, once
from admin.api.problems import language
from casework.access.scope import visible_people
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


def json_body() -> dict[str, Any]:
    """The request's JSON object: 415 unless application/json, 400 unless an object."""
    if request.mimetype != "application/json":
        raise CaseworkError("api.not_json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise CaseworkError("api.bad_json")
    return body


def unknown_members(body: dict[str, Any], members: set[str]) -> list[Problem]:
    return [Problem(str(k)[:64], "api.unknown_member", {"name": str(k)[:64], "members": ", ".join(sorted(members))})
            for k in body if k not in members]


def _envelope(cmd) -> dict[str, Any]:
    body = json_body()
    problems = unknown_members(body, ENVELOPE)
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
    idempotency_key = key()
    body = _envelope(cmd)

    def write(session):
        taken = take(session, cmd.name, case_number=number, principal=g.api.principal,
                     expected_version=body.get("version"), track=body.get("track"),
                     settings=current_app.config["NETRA_SETTINGS"], fields=_fields(cmd, body.get("input") or {}),
                     acted_on=body.get("acted_on"))
        case = taken.case
        seen = {p.id for p in visible_people(g.api.principal, case)}  # the answer names no one else
        return 200, {"number": case.number, "step": cmd.name, "stage": case.stage, "version": case.version,
                     "tracks": {p.nip: p.track_stage for p in case.reported if p.id in seen},
                     "acted_on": taken.acted_on.isoformat(),
                     "warnings": [w.render(language()) for w in taken.warnings]}
    return once(idempotency_key, body, write)
