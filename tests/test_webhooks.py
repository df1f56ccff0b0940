"""Webhooks (docs/webhooks.md) delivered to a real HTTP receiver on loopback, on both databases: each event once per
subscriber, only what the subscriber's account may see, signed (HMAC-SHA256 over the timestamp and the body)
and checked by the receiver as an integrator would, retried with back-off after a refusal, cancelled with their
subscription; the command line; the URL rule."""
from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casework.access.principal import operator, principal_named
from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import CaseworkError
from casework.letters.issue import issue_letter
from casework.models import Case, WebhookDelivery, utcnow
from casework.reference.timezones import local_today
from casework.road.workflow import take
from casework.settings import Settings
from casework.webhooks import delivery
from casework.webhooks.signature import sign, verify
from casework.webhooks.subscriptions import check_url, subscribe, unsubscribe
from tests.helpers import owed_request
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)

PDF = b"%PDF-1.4\n% webhook\n%%EOF\n"


class Receiver:
    """An HTTP server on loopback that keeps every POST and answers with the next of `statuses` (then 204)."""

    def __init__(self, statuses=()):
        self.received: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/netra"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def settings(tmp_path):
    return Settings.from_env({"NETRA_VAR_DIR": str(tmp_path), "NETRA_SECRET_KEY": "webhook-test-secret-key"})


def kukar_case(sessions, stage="received") -> str:
    with sessions() as session:
        return session.scalar(select(Case.number).where(Case.regency_code == "6402", Case.stage == stage)
                              .order_by(Case.id))


def test_each_event_reaches_each_subscriber_that_may_see_it_once_signed(demo_sessions, receiver, settings):
    with transaction(demo_sessions) as session:
        kukar, kukar_secret = subscribe(session, username="penangan.kukar", url=receiver.url + "/kukar",
                                        events=["stage.changed", "letter.issued"], actor="test", settings=settings)
        other, _ = subscribe(session, username="bkpsdm.kaltim", url=receiver.url + "/bkpsdm",
                             events=["stage.changed", "letter.issued"], actor="test", settings=settings)
    number = kukar_case(demo_sessions)
    with transaction(demo_sessions) as session:
        take(session, "begin_review", case_number=number, expected_version=None, settings=settings,
             principal=principal_named(session, "penangan.kukar"))
    letter = issue_letter(demo_sessions, owed_request(demo_sessions, number, "receipt"), operator("test"),
                          settings=settings, render=lambda context: PDF)
    sent = delivery.send_pending(demo_sessions, settings=settings)
    assert sent.as_dict() == {"delivered": 2, "failed": 0, "dead": 0}
    assert delivery.send_pending(demo_sessions, settings=settings).delivered == 0  # nothing twice
    assert {r["path"] for r in receiver.received} == {"/netra/kukar"}  # the other agency sees nothing of it
    events = {}
    for r in receiver.received:
        assert verify(kukar_secret, r["body"], r["headers"]["Netra-Signature"])
        body = json.loads(r["body"])
        assert body["id"] == r["headers"]["Netra-Event-Id"] and body["case"]["number"] == number
        events[body["type"]] = body
    assert events["stage.changed"]["data"] == {"from": "received", "to": "initial_review", "person": None}
    assert events["letter.issued"]["data"]["letter_id"] == letter.id
    assert "reporter" not in json.dumps(events)  # thin: what happened and where the API has the rest
    # the same event emitted again (a retried task) is still once per subscriber
    from casework.webhooks.events import emit
    with transaction(demo_sessions) as session:
        case = session.scalar(select(Case).where(Case.number == number))
        assert emit(session, "letter.issued", case, event_id=events["letter.issued"]["id"], data={}) == 0
    with demo_sessions() as session:
        assert session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == other.id)) is None
    assert kukar.id != other.id


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the claim's SQL runs on both in the test above
def test_a_refused_delivery_is_retried_later_each_time_later_then_given_up(demo_sessions, settings):
    receiver = Receiver(statuses=[500, 503])
    try:
        with transaction(demo_sessions) as session:
            subscribe(session, username="penangan.kukar", url=receiver.url, events=["stage.changed"], actor="test",
                      settings=settings)
            take(session, "begin_review", case_number=kukar_case(demo_sessions), expected_version=None,
                 principal=principal_named(session, "penangan.kukar"), settings=settings)
        now = utcnow()
        assert delivery.send_pending(demo_sessions, settings=settings, now=now).failed == 1
        assert delivery.send_pending(demo_sessions, settings=settings, now=now).as_dict() == {
            "delivered": 0, "failed": 0, "dead": 0}  # not before its time
        assert delivery.send_pending(demo_sessions, settings=settings, now=now + timedelta(minutes=1)).failed == 1
        with demo_sessions() as session:
            row = session.scalar(select(WebhookDelivery))
            assert (row.status, row.attempts, row.last_status) == ("failed", 2, 503)
            assert row.next_attempt_at - now == timedelta(minutes=1 + 2)  # then twice as long
        later = now + timedelta(minutes=3)
        assert delivery.send_pending(demo_sessions, settings=settings, now=later).delivered == 1
        assert len(receiver.received) == 3 and len({r["headers"]["Netra-Event-Id"] for r in receiver.received}) == 1
        with transaction(demo_sessions) as session:  # a delivery failing MAX_ATTEMPTS times is given up
            row = session.scalar(select(WebhookDelivery))
            row.status, row.attempts, row.next_attempt_at = "failed", delivery.MAX_ATTEMPTS - 1, None
        receiver.statuses = [500]
        assert delivery.send_pending(demo_sessions, settings=settings, now=later).dead == 1
    finally:
        receiver.stop()
    assert delivery.backoff(30) == delivery.LONGEST_WAIT


def test_the_signature_refuses_a_changed_body_another_secret_and_an_old_timestamp():
    body, now = b'{"id": "stage:1"}', 1_800_000_000
    header = sign("whsec_a", body, now)
    assert verify("whsec_a", body, header, now=now + 299)
    assert not verify("whsec_a", body + b" ", header, now=now)
    assert not verify("whsec_b", body, header, now=now)
    assert not verify("whsec_a", body, header, now=now + 301)  # a replay outside the window
    assert not verify("whsec_a", body, "t=x,v1=00", now=now) and not verify("whsec_a", body, "", now=now)


def test_urls_are_https_or_this_machine_outside_production(settings):
    assert check_url("https://sipp.kukarkab.go.id/netra", settings)
    assert check_url("http://127.0.0.1:9000/x", settings)
    production = Settings.from_env({"NETRA_ENV": "production", "NETRA_SECRET_KEY": "x" * 40,
                                    "NETRA_VAR_DIR": str(settings.var_dir)})
    for url, code in (("http://sipp.kukarkab.go.id/x", "webhook.not_https"), ("ftp://x.id/", "webhook.not_https"),
                      ("https://user:pw@x.id/", "webhook.bad_url"), ("not a url", "webhook.bad_url")):
        with pytest.raises(CaseworkError) as refused:
            check_url(url, settings)
        assert refused.value.code == code, url
    with pytest.raises(CaseworkError):
        check_url("http://127.0.0.1:9000/x", production)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the commands' rules are the domain's, tested above
def test_the_command_line_adds_lists_and_removes_and_removal_cancels(demo_engine, demo_sessions, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path))
    runner = CliRunner()
    made = runner.invoke(cli, ["webhook", "add", "penangan.kukar", "--url", "https://sipp.example.id/hook",
                               "--event", "stage.changed", "--event", "case.opened", "--json"])
    assert made.exit_code == 0, made.output
    out = json.loads(made.output)
    assert out["secret"].startswith("whsec_")
    listed = json.loads(runner.invoke(cli, ["webhook", "list", "--json"]).output)
    assert listed[0]["events"] == ["stage.changed", "case.opened"] and out["secret"] not in json.dumps(listed)
    assert runner.invoke(cli, ["webhook", "secret", str(out["id"])]).output.strip() == out["secret"]
    with transaction(demo_sessions) as session:
        take(session, "begin_review", case_number=kukar_case(demo_sessions), expected_version=None,
             principal=principal_named(session, "penangan.kukar"))
    removed = json.loads(runner.invoke(cli, ["webhook", "remove", str(out["id"]), "--json"]).output)
    assert removed == {"id": out["id"], "cancelled": 1}
    bad = runner.invoke(cli, ["webhook", "add", "penangan.kukar", "--url", "https://x.id/", "--event", "semua"])
    assert bad.exit_code == 1 and "semua" in bad.output
    with transaction(demo_sessions) as session:
        with pytest.raises(CaseworkError):
            unsubscribe(session, 999, actor="test")


def test_a_new_case_a_missed_deadline_and_an_acknowledgement_are_events_too(app, receiver):
    """The other three kinds, each from where it happens: intake, the notice sweep, the addressee's link."""
    from casework.deadlines import notices
    from casework.letters.links import acknowledge
    from casework.models import Deadline, OutboxMessage
    from casework.road.intake import open_case
    from tests.test_intake import valid_input
    from casework.mail.correspondence import queue_letter_emails
    from tests.test_letter_links import _forward_with_running_deadline

    sessions, settings = app.extensions["netra_sessions"], app.config["NETRA_SETTINGS"]
    with transaction(sessions) as session:
        _, secret = subscribe(session, username="penangan.kukar", url=receiver.url, actor="test", settings=settings,
                              events=["case.opened", "deadline.missed", "acknowledgement.received"])
        opened = open_case(session, valid_input(), principal=principal_named(session, "penangan.kukar"))
        number = opened.number
    with sessions() as session:  # the forward to the oversight body, issued (a stand-in PDF) and emailed
        request_id, forwarded = _forward_with_running_deadline(session)
    letter = issue_letter(sessions, request_id, operator("test"), settings=settings, render=lambda context: PDF)
    queue_letter_emails(sessions, forwarded, settings=settings)
    with transaction(sessions) as session:
        body = session.scalar(select(OutboxMessage.body).where(OutboxMessage.purpose == "letter.link"))
        token = re.search(r"/tanggapan/([\w-]+)", body).group(1)
        # received "today" in the office's zone (WITA): the letter is dated by it, so UTC's date may be the day before
        acknowledge(session, token, name="Dra. Contoh (fiktif)", position="Direktur",
                    received_on=local_today("WITA", utcnow()))
        overdue = session.scalar(select(Deadline).join(Case).where(Case.number == number, Deadline.status == "open")
                                 .order_by(Deadline.id))
        overdue.due_date, overdue.due_at = utcnow().date() - timedelta(days=5), utcnow() - timedelta(days=5)
        overdue.next_notice_at = utcnow() - timedelta(minutes=1)
    notices.sweep(sessions, settings=settings)
    notices.sweep(sessions, settings=settings, now=utcnow() + timedelta(days=1))  # a second overdue notice: no event
    delivery.send_pending(sessions, settings=settings)
    got: dict[str, list[dict]] = {}
    for r in receiver.received:
        assert verify(secret, r["body"], r["headers"]["Netra-Signature"])
        event = json.loads(r["body"])
        got.setdefault(event["type"], []).append(event)
    assert [e["case"]["number"] for e in got["case.opened"]] == [number]
    assert got["case.opened"][0]["data"]["source"] == "laporan"
    # the demo's other overdue deadlines in Kukar were missed too: each once, ours among them
    missed = [e["id"] for e in got["deadline.missed"]]
    assert len(missed) == len(set(missed)) and f"missed:{overdue.id}" in missed
    ours = next(e for e in got["deadline.missed"] if e["id"] == f"missed:{overdue.id}")
    assert ours["case"]["number"] == number and ours["data"]["rule"] == overdue.rule_id
    assert [(e["case"]["number"], e["data"]["letter_id"]) for e in got["acknowledgement.received"]] == [
        (forwarded, letter.id)]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the API's wiring; the rules are tested above
def test_an_integration_subscribes_through_the_api_with_its_own_token(app, receiver):
    from tests.test_api import token

    sessions, settings = app.extensions["netra_sessions"], app.config["NETRA_SETTINGS"]
    client, mine, other = app.test_client(), token(sessions, "penangan.kukar"), token(sessions, "penangan.kaltim")
    body = {"url": receiver.url, "events": ["stage.changed"]}
    made = client.post("/api/v1/webhooks", json=body, headers=mine | {"Idempotency-Key": "langganan-1"})
    assert made.status_code == 201, made.get_json()
    secret = made.get_json()["secret"]
    again = client.post("/api/v1/webhooks", json=body, headers=mine | {"Idempotency-Key": "langganan-1"})
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == made.get_json()
    with sessions() as session:  # the kept answer holds no secret: it is derived again for the replay
        from casework.models import IdempotentWrite
        assert all(secret not in row.body for row in session.scalars(select(IdempotentWrite)))
    listed = client.get("/api/v1/webhooks", headers=mine).get_json()["items"]
    assert [s["id"] for s in listed] == [made.get_json()["id"]] and "secret" not in listed[0]
    assert client.get("/api/v1/webhooks", headers=other).get_json()["items"] == []  # each account its own
    refused = client.post("/api/v1/webhooks", json={"url": "http://sipp.example.id/", "events": ["semua"]},
                          headers=mine | {"Idempotency-Key": "langganan-2"})
    assert refused.status_code == 422 and refused.get_json()["code"] in ("webhook.not_https", "webhook.bad_events")
    with transaction(sessions) as session:
        take(session, "begin_review", case_number=kukar_case(sessions), expected_version=None,
             principal=principal_named(session, "penangan.kukar"))
    assert delivery.send_pending(sessions, settings=settings).delivered == 1
    assert verify(secret, receiver.received[0]["body"], receiver.received[0]["headers"]["Netra-Signature"])
    url = f"/api/v1/webhooks/{made.get_json()['id']}"
    assert client.delete(url, headers=other | {"Idempotency-Key": "hapus"}).status_code == 404  # not theirs
    removed = client.delete(url, headers=mine | {"Idempotency-Key": "hapus"})
    assert removed.status_code == 200 and removed.get_json()["active"] is False
    assert client.get("/api/v1/webhooks", headers=mine).get_json()["items"][0]["active"] is False


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the access module's rule, no SQL of its own
def test_an_event_about_a_criminal_part_reaches_bawaslu_only(demo_sessions, settings):
    """As the case page hides a criminal part's deadlines from the oversight body, so do the events."""
    from casework.models import ReportedASN, User
    from casework.webhooks.events import emit

    with transaction(demo_sessions) as session:
        body_id = session.scalar(select(User.oversight_body_id).where(User.username == "pengawas.bkn"))
        person = session.scalar(select(ReportedASN).join(Case).where(Case.regency_code == "6402",
                                                                      ReportedASN.oversight_body_id == body_id)
                                .order_by(ReportedASN.id))
        for username in ("penangan.kukar", "pengawas.bkn"):
            subscribe(session, username=username, url="https://sipp.example.id/hook", events=["deadline.missed"],
                      actor="test", settings=settings)
        assert emit(session, "deadline.missed", person.case, event_id="missed:t1", person=person, data={}) == 2
        assert emit(session, "deadline.missed", person.case, event_id="missed:t2", person=person, data={},
                    criminal=True) == 1
