"""The REST API (/api/v1, docs/api.md) on both databases, as an integrating system uses it: tokens (hashed at rest,
read-only unless made for writing, revoked at once, dead with their account), the caller's own list and case
(the desk's filtered view), pages and filters, deadlines and a letter's PDF, a step taken once however often it is
sent (Idempotency-Key), and every refusal as an RFC 9457 problem in the caller's language that changes nothing."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from admin import create_app
from casework.access.principal import operator, principal_named
from casework.accounts.tokens import make_token, revoke_token
from casework.adapters.db import transaction
from casework.cli import cli
from casework.letters.issue import issue_letter
from casework.models import ApiToken, AuditEvent, Case, StageChange, User
from casework.road.cases import list_cases
from tests.helpers import fingerprint, owed_request
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.helpers import sqlite_only  # noqa: F401  (SQLite only: the API's wiring, not SQL)

PDF = b"%PDF-1.4\n% api\n%%EOF\n"


def token(sessions, username: str, *, write: bool = True, days: int | None = None) -> dict[str, str]:
    with transaction(sessions) as session:
        made = make_token(session, username=username, label="uji", write=write, actor="test", days=days)
    return {"Authorization": f"Bearer {made.secret}"}


def numbers(client, headers, query: str = "") -> tuple[list[str], list[dict]]:
    """Every case of the caller's list, page by page, following `next`."""
    found, pages, url = [], [], f"/api/v1/cases?per_page=7{query}"
    while url:
        body = client.get(url, headers=headers).get_json()
        pages.append(body)
        found += [row["number"] for row in body["items"]]
        url = body["next"]
    return found, pages


def received_case(sessions, regency: str = "6402") -> str:
    with sessions() as session:
        return session.scalar(select(Case.number).where(Case.regency_code == regency, Case.stage == "received")
                              .order_by(Case.id))


def test_a_token_is_kept_hashed_reads_only_unless_made_to_write_and_dies_when_revoked(app, demo_sessions):
    client = app.test_client()
    with transaction(demo_sessions) as session:
        made = make_token(session, username="penangan.kukar", label="SIPP Kukar", write=False, actor="test")
    headers = {"Authorization": f"Bearer {made.secret}"}
    with demo_sessions() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.id == made.token.id))
        assert row.token_sha256 == hashlib.sha256(made.secret.encode()).hexdigest()
        assert made.secret not in json.dumps([str(v) for v in row.__dict__.values()])  # only its hash and prefix
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.get_json()["username"] == "penangan.kukar"
    assert me.get_json()["token"] == {"id": made.token.id, "write": False}
    assert "Set-Cookie" not in me.headers  # no desk session comes out of a token

    number = received_case(demo_sessions)
    refused = client.post(f"/api/v1/cases/{number}/steps/begin_review", json={},
                          headers=headers | {"Idempotency-Key": "a1"})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["code"] == "api.read_only"

    for bad in ({}, {"Authorization": "Bearer netra_bukan-token"}, {"Authorization": "Basic dXNlcjpwdw=="}):
        answer = client.get("/api/v1/me", headers=bad)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert answer.mimetype == "application/problem+json"
    with transaction(demo_sessions) as session:
        revoke_token(session, made.token.id, actor="test")
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    # a token dies with its account, and an expired one is refused
    live = token(demo_sessions, "penangan.kaltim")
    with transaction(demo_sessions) as session:
        session.scalar(select(User).where(User.username == "penangan.kaltim")).is_active = False
    assert client.get("/api/v1/me", headers=live).status_code == 401
    with demo_sessions() as session:
        events = set(session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "api_token")))
    assert events == {"api.token_created", "api.token_revoked"}


def test_the_list_is_the_callers_own_page_by_page_and_filtered(app, demo_sessions):
    client = app.test_client()
    for username in ("penangan.kukar", "bkpsdm.kukar", "pengawas.bkn", "admin"):
        headers = token(demo_sessions, username, write=False)
        found, pages = numbers(client, headers)
        with demo_sessions() as session:
            want = [row.number for row in list_cases(session, principal=principal_named(session, username))]
        assert found == want, username  # the same cases, in the desk's order, each once
        assert all(len(p["items"]) == 7 for p in pages[:-1]) and pages[0]["total"] == len(want)
        assert pages[0]["prev"] is None and (len(pages) == 1 or pages[1]["prev"])
    headers = token(demo_sessions, "penangan.kaltim", write=False)
    everything, _ = numbers(client, headers)
    kukar, _ = numbers(client, headers, "&regency=6402&stage=received")
    with demo_sessions() as session:
        want = set(session.scalars(select(Case.number).where(Case.regency_code == "6402", Case.stage == "received")))
    assert set(kukar) == want and want < set(everything)
    bad = client.get("/api/v1/cases?per_page=500&stage=terbang&nama=x", headers=headers)
    body = bad.get_json()
    assert bad.status_code == 400 and {e["pointer"] for e in body["errors"]} == {
        "/query/per_page", "/query/stage", "/query/nama"}
    assert body["type"] == "urn:netra:problem:validation.failed" and body["detail"].startswith("Data tidak valid")


def test_a_case_its_deadlines_and_letters_are_the_desks_filtered_view(app, demo_sessions):
    client = app.test_client()
    settings = app.config["NETRA_SETTINGS"]
    number = received_case(demo_sessions)
    # a letter on the case: its receipt, to the reporter
    letter = issue_letter(demo_sessions, owed_request(demo_sessions, number, "receipt"), operator("test"),
                          settings=settings, render=lambda context: PDF)
    handler, other = token(demo_sessions, "penangan.kukar", write=False), token(demo_sessions, "penangan.kaltim",
                                                                                   write=False)
    detail = client.get(f"/api/v1/cases/{number}", headers=handler).get_json()
    assert detail["number"] == number and detail["reporter"] is not None  # the handling handler sees the reporter
    seen_above = client.get(f"/api/v1/cases/{number}", headers=other).get_json()
    assert seen_above["reporter"] is None and seen_above["receipt_code"] is None  # the province does not
    assert client.get(f"/api/v1/cases/{number}/deadlines", headers=handler).get_json()["items"] == detail["deadlines"]
    letters = client.get(f"/api/v1/cases/{number}/letters", headers=handler).get_json()["items"]
    assert [x["id"] for x in letters] == [letter.id]
    pdf = client.get(f"/api/v1/cases/{number}/letters/{letter.id}/pdf", headers=handler)
    assert pdf.status_code == 200 and pdf.data == PDF and pdf.mimetype == "application/pdf"
    # the letter to the reporter is the handling office's handlers' only: 404, as if it did not exist
    assert client.get(f"/api/v1/cases/{number}/letters/{letter.id}/pdf", headers=other).status_code == 404
    hidden = client.get(f"/api/v1/cases/{number}", headers=token(demo_sessions, "bkpsdm.kaltim", write=False))
    assert hidden.status_code == 404 and hidden.get_json()["code"] == "case.not_found"
    rows = client.get("/api/v1/deadlines?status=open&per_page=100", headers=handler).get_json()
    assert rows["total"] > 0 and all(r["status"] == "open" for r in rows["items"])
    with demo_sessions() as session:
        visible = {row.number for row in list_cases(session, principal=principal_named(session, "penangan.kukar"))}
    assert {r["case"] for r in rows["items"]} <= visible


def test_a_step_is_taken_once_per_key_and_every_refusal_is_a_problem_that_changes_nothing(app, demo_sessions,
                                                                                           demo_engine):
    client = app.test_client()
    headers = token(demo_sessions, "penangan.kukar")
    number = received_case(demo_sessions)
    url = f"/api/v1/cases/{number}/steps/begin_review"
    first = client.post(url, json={}, headers=headers | {"Idempotency-Key": "kunci-1"})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["stage"] == "initial_review"
    again = client.post(url, json={}, headers=headers | {"Idempotency-Key": "kunci-1"})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    with demo_sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        moves = session.scalar(select(func.count()).select_from(StageChange).where(StageChange.case_id == case.id,
                                                                                   StageChange.to_stage ==
                                                                                   "initial_review"))
    assert moves == 1 and case.version == first.get_json()["version"]

    before = fingerprint(demo_engine)
    step = f"/api/v1/cases/{number}/steps/request_completion"
    refusals = {
        "no key": (client.post(step, json={"input": {"missing": "KTP"}}, headers=headers), 400,
                   "api.idempotency_missing"),
        "key reused": (client.post(url, json={"version": 1}, headers=headers | {"Idempotency-Key": "kunci-1"}), 422,
                       "api.idempotency_reused"),
        "not json": (client.post(step, data="missing=KTP", headers=headers | {"Idempotency-Key": "k2"}), 415,
                     "api.not_json"),
        "bad input": (client.post(step, json={"input": {"missing": "", "lain": 1}, "versi": 2},
                                  headers=headers | {"Idempotency-Key": "k3"}), 422, "validation.failed"),
        "wrong stage": (client.post(url, json={}, headers=headers | {"Idempotency-Key": "k4"}), 409,
                        "workflow.wrong_stage"),
        "stale": (client.post(step, json={"version": 0, "input": {"missing": "KTP"}},
                              headers=headers | {"Idempotency-Key": "k5"}), 409, "case.stale"),
        "other office": (client.post(step, json={"input": {"missing": "KTP"}},
                                     headers=token(demo_sessions, "penangan.kaltim") | {"Idempotency-Key": "k6"}),
                         403, "access.not_handling_office"),
        "unknown step": (client.post(f"/api/v1/cases/{number}/steps/terbang", json={},
                                     headers=headers | {"Idempotency-Key": "k7"}), 404, "workflow.unknown_command"),
        "unknown route": (client.get("/api/v1/tidak-ada", headers=headers), 404, "api.not_found"),
        "method": (client.delete(f"/api/v1/cases/{number}", headers=headers), 405, "api.method"),
        "control character": (client.get("/api/v1/cases?stage=%00", headers=headers), 400, "api.control_chars"),
    }
    for what, (answer, status, code) in refusals.items():
        assert answer.status_code == status, (what, answer.status_code, answer.get_data(as_text=True)[:300])
        body = answer.get_json()
        assert answer.mimetype == "application/problem+json" and body["code"] == code, (what, body)
        assert body["status"] == status and body["title"] and body["detail"], what
    errors = refusals["bad input"][0].get_json()["errors"]
    assert {e["pointer"] for e in errors} == {"/input/missing", "/input/lain", "/versi"}
    after = fingerprint(demo_engine)
    quiet = ("rate_limit_hits", "api_tokens", "audit_events")  # the last: the other office's token was made
    assert {k: v for k, v in after.items() if k not in quiet} == {k: v for k, v in before.items() if k not in quiet}

    english = client.post(step, json={"input": {"missing": ""}},
                          headers=headers | {"Idempotency-Key": "k8", "Accept-Language": "en-GB,en;q=0.9"})
    assert english.headers["Content-Language"] == "en" and english.get_json()["title"] == "Invalid input"
    assert english.get_json()["detail"].startswith("Invalid data")


def test_the_limit_counts_per_token(demo_engine, demo_sessions, tmp_path, monkeypatch):
    import casework.reports.reporter_status
    from casework.models import utcnow
    from casework.settings import Settings

    frozen = utcnow().replace(second=1)  # one counting window for the whole test, whenever it runs
    monkeypatch.setattr(casework.reports.reporter_status, "utcnow", lambda: frozen)
    settings = replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                       var_dir=tmp_path, secret_key="test-secret", api_requests_per_minute=3)
    client = create_app(settings).test_client()
    one, two = token(demo_sessions, "auditor", write=False), token(demo_sessions, "auditor", write=False)
    assert [client.get("/api/v1/me", headers=one).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get("/api/v1/me", headers=one)
    assert limited.headers["Retry-After"] == "60" and limited.get_json()["code"] == "api.rate_limited"
    assert client.get("/api/v1/me", headers=two).status_code == 200  # another token has its own count


def test_tokens_from_the_command_line(demo_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    runner = CliRunner()
    made = runner.invoke(cli, ["api", "token", "create", "penangan.kukar", "--label", "SIPP", "--write", "--days",
                               "30", "--json"])
    assert made.exit_code == 0, made.output
    out = json.loads(made.output)
    assert out["token"].startswith("netra_") and out["write"] is True and out["expires_at"]
    listed = runner.invoke(cli, ["api", "token", "list", "--json"])
    assert out["token"] not in listed.output and json.loads(listed.output)[0]["state"] == "active"
    revoked = runner.invoke(cli, ["api", "token", "revoke", str(out["id"])])
    assert revoked.exit_code == 0 and "dicabut" in revoked.output
    assert json.loads(runner.invoke(cli, ["api", "token", "list", "--json"]).output)[0]["state"] == "revoked"
    bad = runner.invoke(cli, ["api", "token", "create", "penangan.kukar", "--label", "x", "--days", "9999"])
    assert bad.exit_code == 1 and "hari" in bad.output


def test_an_integration_account_acts_only_through_its_tokens(app, demo_engine, demo_sessions, monkeypatch, tmp_path):
    """An account for another system: no email, no activation link, refused at the desk's login; its token sees
    what its roles and office see."""
    from casework.accounts.login import login
    from casework.errors import CaseworkError
    from casework.models import OutboxMessage

    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    with demo_sessions() as session:
        queued = set(session.scalars(select(OutboxMessage.id)))
    made = CliRunner().invoke(cli, ["user", "create", "sipp.kukar", "--integration", "--full-name", "SIPP Kukar",
                                    "--role", "bawaslu_handler", "--office", "bawaslu-6402", "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["activation_url"] is None
    with demo_sessions() as session:
        # no activation link; the office is told, as of any account that sees its cases
        assert set(session.scalars(select(OutboxMessage.purpose).where(OutboxMessage.id.not_in(queued)))) == {
            "account.notice"}
        assert session.scalar(select(User.is_integration).where(User.username == "sipp.kukar")) is True
    with pytest.raises(CaseworkError):
        login(demo_sessions, "sipp.kukar", "")
    client = app.test_client()
    found, _ = numbers(client, token(demo_sessions, "sipp.kukar", write=False))
    with demo_sessions() as session:
        assert found == [row.number for row in list_cases(session, principal=principal_named(session, "penangan.kukar"))]
    refused = CliRunner().invoke(cli, ["user", "create", "sipp.admin", "--integration", "--full-name", "x",
                                       "--role", "sysadmin"])
    assert refused.exit_code == 1 and "integrasi" in refused.output
