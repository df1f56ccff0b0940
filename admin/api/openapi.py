"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json. Each step's request body is its typed
command's own JSON Schema (casework.road.inputs.json_schema) — the schema the desk's form and the CLI's options come
from — so the API cannot drift from them; apispec assembles the document. The answers' schemas are here, beside
the routes that give them (cases.py, steps.py), and tests/test_api_schema.py holds every answer to them."""
from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from flask import current_app

from admin.api import bp
from admin.api.respond import DEFAULT_PER_PAGE, MAX_PER_PAGE, ok
from casework.road.inputs import json_schema
from casework.road.stages import Stage
from casework.road.statuses import DeadlineStatus
from casework.road.workflow import COMMANDS
from casework.webhooks.events import EVENTS

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None, *, closed: bool = False) -> dict:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})},
            "additionalProperties": not closed}


def listing(item: str) -> dict:
    return obj({"items": {"type": "array", "items": ref(item)}})


def paged(item: str) -> dict:
    return obj({"items": {"type": "array", "items": ref(item)}, "page": INT, "per_page": INT, "total": INT,
                "next": nullable(STR), "prev": nullable(STR)})


SCHEMAS = {
    "Problem": obj({"type": STR, "title": STR, "status": INT, "detail": STR, "instance": STR, "code": STR},
                   {"request_id": STR, "errors": {"type": "array", "items": obj(
                       {"field": STR, "code": STR, "detail": STR, "label": STR, "pointer": STR})}}),
    "Me": obj({"username": STR, "roles": {"type": "array", "items": STR}, "office": nullable(STR),
               "agency_id": nullable(INT), "oversight_body_id": nullable(INT),
               "token": obj({"id": INT, "write": BOOL})}),
    "CaseSummary": obj({"number": STR, "stage": {"type": "string", "enum": list(Stage)}, "stage_label": STR,
                        "regency": STR, "province": STR, "election": STR, "received_on": DATE, "timezone": STR,
                        "next_due": nullable(DATE), "days_left": nullable(INT), "url": STR}),
    "CasePage": paged("CaseSummary"),
    "Deadline": obj({"rule": STR, "label": STR, "due_date": DATE, "due_at": MOMENT, "status": STR,
                     "status_label": STR, "basis": STR, "basis_label": STR, "citation": STR,
                     "days_left": nullable(INT), "reported_asn_id": nullable(INT)}),
    "Deadlines": listing("Deadline"),
    "DeadlineRow": obj({"case": STR, "case_url": STR, "rule": STR, "label": STR, "due_date": DATE,
                        "status": STR, "days_left": nullable(INT), "reported_asn_id": nullable(INT)}),
    "DeadlinePage": paged("DeadlineRow"),
    "Letter": obj({"id": INT, "number": STR, "kind": STR, "label": STR, "hal": nullable(STR), "status": STR,
                   "status_label": STR, "recipient": nullable(STR), "issued_on": DATE, "issued_by": STR,
                   "reported_asn_id": nullable(INT), "void_reason": nullable(STR), "superseded_by": nullable(STR),
                   "superseded_reason": nullable(STR), "addressed": BOOL,
                   "signed_by": {"type": "array", "items": STR}, "link": {"type": ["object", "null"]}}),
    "Letters": listing("Letter"),
    "CaseDetail": obj({"number": STR, "register_number": nullable(STR), "source": STR,
                       "stage": {"type": "string", "enum": list(Stage)}, "stage_label": STR, "version": INT,
                       "election": STR, "office": STR, "timezone": STR, "region": STR, "received_on": DATE,
                       "summary": STR, "reporter": {"type": ["object", "null"]},
                       "channel": {"type": "string", "enum": ["desk", "online"]},
                       "reported": {"type": "array", "items": {"type": "object"}},
                       "deadlines": {"type": "array", "items": ref("Deadline")},
                       "letters": {"type": "array", "items": ref("Letter")},
                       "history": {"type": "array", "items": {"type": "object"}},
                       "steps": {"type": "array", "items": obj({"name": STR, "label": STR,
                                                                "tracks": {"type": "array", "items": STR}})}}),
    "Step": obj({"name": STR, "label": STR, "roles": {"type": "array", "items": STR},
                 "stages": {"type": "array", "items": STR}, "fields": {"type": "array", "items": STR},
                 "optional": {"type": "array", "items": STR}}),
    "Steps": listing("Step"),
    "Subscription": obj({"id": INT, "user": STR, "url": STR,
                         "events": {"type": "array", "items": {"type": "string", "enum": list(EVENTS)}},
                         "created_at": MOMENT, "active": BOOL}),
    "Subscriptions": listing("Subscription"),
    "NewSubscription": {"allOf": [ref("Subscription"), obj({"secret": STR})]},
    "RemovedSubscription": obj({"id": INT, "active": BOOL, "cancelled": INT}),
    "StepResult": obj({"number": STR, "step": STR, "stage": {"type": "string", "enum": list(Stage)},
                       "version": INT, "tracks": {"type": "object", "additionalProperties": nullable(STR)},
                       "acted_on": DATE, "warnings": {"type": "array", "items": STR}}),
}
PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}
ERRORS = {400: "Query tidak valid / bad query", 401: "Token tidak ada atau tidak berlaku / no valid token",
          404: "Tidak ditemukan atau tidak boleh dilihat / not found or not visible",
          429: "Terlalu banyak permintaan / rate limited"}
WRITE_ERRORS = {403: "Token hanya-baca atau tidak berwenang / read-only token or not allowed",
                409: "Ditolak oleh keadaan kasus / refused by the case's state",
                415: "Bukan application/json", 422: "Isian tidak valid / invalid input"}


def _answers(schema: str | None, *, media: str = "application/json", errors: dict[int, str] = ERRORS,
             status: str = "200") -> dict:
    good = {"description": "OK"}
    if schema:
        good["content"] = {media: {"schema": ref(schema) if media == "application/json" else
                                   {"type": "string", "contentMediaType": media}}}
    return {status: good, **{str(code): {"description": text, "content": PROBLEM} for code, text in errors.items()}}


def _param(name: str, where: str, schema: dict, required: bool = False, text: str = "") -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema,
            "description": text}


PAGE = [_param("page", "query", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
        _param("per_page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                     "default": DEFAULT_PER_PAGE})]
KEY = _param("Idempotency-Key", "header", {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
             required=True)
NUMBER = _param("number", "path", {"type": "string", "minLength": 1, "maxLength": 40},
                text="Nomor kasus (case number), mis. LP-6402-2026-0001")


def _get(summary: str, schema: str | None, params: list[dict], **kw) -> dict:
    return {"get": {"summary": summary, "parameters": params, "responses": _answers(schema, **kw)}}


def _step_body(cmd) -> dict:
    schema = json_schema(cmd.input, title=cmd.name)
    schema.pop("$schema", None)
    envelope = {"version": {"type": "integer", "minimum": 0, "description": "versi kasus yang dilihat (optional "
                                                                            "optimistic lock)"},
                "acted_on": {**DATE, "description": "tanggal peristiwa (the act's date; default today)"},
                "input": schema}
    if cmd.on_track:
        envelope["track"] = {"type": "string", "minLength": 1, "maxLength": 32,
                             "description": "NIP ASN terlapor (the reported person's NIP)"}
    return {"type": "object", "properties": envelope, "additionalProperties": False,
            "required": ["track"] if cmd.on_track else []}


@cache
def document(version: str = "1") -> dict:
    spec = APISpec(title="Netra API", version=version, openapi_version="3.1.0", info={
        "description": "Kasus netralitas ASN: baca kasus, tenggat dan surat; ambil langkah. docs/api.md. "
                       "(Cases, deadlines, letters, and the road's steps; errors are RFC 9457 problem details in "
                       "Indonesian or English by Accept-Language.)"})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "netra api token create (docs/api.md)"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    spec.path("/api/v1/me", operations=_get("Pemilik token (who the token speaks for)", "Me", []))
    spec.path("/api/v1/cases", operations=_get("Daftar kasus yang boleh dilihat (the caller's cases)", "CasePage",
                                               PAGE + [_param("stage", "query", {"type": "string",
                                                                                 "enum": list(Stage)}),
                                                       _param("regency", "query", {"type": "string",
                                                                                   "pattern": "^[0-9]{4}$"}),
                                                       _param("province", "query", {"type": "string",
                                                                                    "pattern": "^[0-9]{2}$"}),
                                                       _param("election", "query", {"type": "string", "minLength": 1,
                                                                                    "maxLength": 64})]))
    spec.path("/api/v1/cases/{number}", operations=_get("Satu kasus, sejauh boleh dilihat (one case, filtered)",
                                                         "CaseDetail", [NUMBER]))
    spec.path("/api/v1/cases/{number}/deadlines", operations=_get("Tenggat kasus (its deadlines)", "Deadlines",
                                                                   [NUMBER]))
    spec.path("/api/v1/cases/{number}/letters", operations=_get("Surat kasus (its letters)", "Letters", [NUMBER]))
    spec.path("/api/v1/cases/{number}/letters/{letter_id}/pdf", operations=_get(
        "Berkas PDF surat (the letter's PDF)", "pdf", [NUMBER, _param("letter_id", "path", {"type": "integer",
                                                                                             "minimum": 1,
                                                                                             "maximum": 2**31 - 1})],
        media="application/pdf"))
    spec.path("/api/v1/cases/{number}/referral", operations=_get(
        "Paket rujukan SBT/I'DIS (the referral package, docs/exchange.md; every download audited)", "zip", [NUMBER],
        media="application/zip", errors={**ERRORS, 403: "Tidak berwenang / not allowed",
                                         409: "Belum diteruskan atau surat belum terbit / not forwarded yet"}))
    spec.path("/api/v1/deadlines", operations=_get(
        "Tenggat di semua kasus yang boleh dilihat (deadlines across the caller's cases)", "DeadlinePage",
        PAGE + [_param("status", "query", {"type": "string", "enum": list(DeadlineStatus)}),
                _param("overdue", "query", {"type": "string", "enum": ["true", "false"]})]))
    spec.path("/api/v1/steps", operations=_get("Langkah jalur dan isiannya (the road's steps)", "Steps", []))
    for cmd in COMMANDS.values():
        spec.path(f"/api/v1/cases/{{number}}/steps/{cmd.name}", operations={"post": {
            "summary": f"{cmd.label.pick('id')} ({cmd.label.pick('en')})", "operationId": f"step_{cmd.name}",
            "parameters": [NUMBER, KEY],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _step_body(cmd)}}},
            "responses": _answers("StepResult", errors=ERRORS | WRITE_ERRORS)}})
    spec.path("/api/v1/webhooks", operations={
        **_get("Langganan webhook akun ini (this account's webhook subscriptions)", "Subscriptions", []),
        "post": {"summary": "Berlangganan kejadian (subscribe to events; the secret is in this answer only)",
                 "parameters": [KEY],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "additionalProperties": False, "required": ["url", "events"],
                     "properties": {"url": {"type": "string", "minLength": 1, "maxLength": 500},
                                    "events": {"type": "array", "minItems": 1, "uniqueItems": True,
                                               "items": {"type": "string", "enum": list(EVENTS)}}}}}}},
                 "responses": _answers("NewSubscription", errors=ERRORS | WRITE_ERRORS, status="201")}})
    spec.path("/api/v1/webhooks/{subscription_id}", operations={"delete": {
        "summary": "Berhenti berlangganan (unsubscribe; pending deliveries are cancelled)",
        "parameters": [_param("subscription_id", "path", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
                       KEY],
        "responses": _answers("RemovedSubscription", errors=ERRORS | WRITE_ERRORS)}})
    doc = spec.to_dict()
    doc["security"] = [{"bearer": []}]
    doc["paths"]["/api/v1/openapi.json"] = {"get": {"summary": "Dokumen ini (this document)", "security": [],
                                                    "responses": {"200": {"description": "OpenAPI 3.1"}}}}
    return doc


@bp.get("/openapi.json")
def openapi():
    return ok(document(current_app.config.get("NETRA_API_VERSION", "1")), headers={"Cache-Control": "no-cache"})
