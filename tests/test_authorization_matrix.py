"""The authorization matrix, over HTTP: every demo login × every scope of case × every path of the
desk that reads or writes a case — the list, searches (number, NIP, NIP prefix, name), a filter, the export, the
detail page per person and the reporter, evidence and letters (per person, case-wide, to the reporter), decrees, and
a decision form on every person's track for each distinct access rule of the steps (POSTED): the writes.

The scopes are cases built for the purpose through the real commands (tests/builder.py), not demo rows picked by
stage: Kukar's own cases at Bawaslu, forwarded, **shared by two agencies** (Pemkab Kukar and Pemprov Kaltim, each
referred), and with **two reported people of the same name** in two agencies (one found not proven); a Samarinda
case (the same province) at Bawaslu and one referred to its own city's agency; a Banjarmasin case (another
province). The expected answer comes from an oracle written here from the README's rules — not from
casework.access — and every cell is compared with what the desk answers. Uploads and exports run for real up to the
commit, which becomes a rollback, so every cell sees the same data; a decision carries a field no step has (PROBE),
so its cell is the access rule's answer and an allowed one stops at the step's own rules; the database is unchanged
at the end.
The REST API (admin/api) is asked the same questions with each login's token — the list, a filter, the case, its
reporter, evidence and letters, each person, and the decisions (rolled back the same way) — against the same oracle.
Every cell is asked on SQLite; on PostgreSQL each login's whole list, export and pages, and the API's reads (the SQL
scopes behind lists, searches and counts are checked equal to the rules on both databases by tests/test_access.py).
The table is docs/security.md's "Authorization matrix" section: the test fails if the file says anything else
(NETRA_WRITE_DOCS=1 rewrites it).
"""
from __future__ import annotations

import csv
import io
import os
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import admin.api.once
import admin.case_list
import admin.case_page
import admin.exchange
import admin.letters
from casework.access.principal import operator
from casework.accounts.tokens import make_token
from casework.adapters.db import WRITE_OPTION, transaction
from casework.errors import CaseworkError
from casework.letters.issue import issue_letter
from casework.models import AuditEvent, Case, Letter, User
from casework.road.evidence import add_evidence
from casework.road.workflow import COMMANDS
from tests.builder import Builder, Person
from tests.helpers import client_as, csrf, fingerprint, owed_request, principal_of
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
START, END = "<!-- authorization-matrix:start -->", "<!-- authorization-matrix:end -->"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FAKE_PDF = b"%PDF-1.4\n% matrix\n%%EOF\n"

USERS = ["penangan.kukar", "ketua.kukar", "penangan.kaltim", "penangan.ri", "pengawas.bkn", "bkpsdm.kukar",
         "bkpsdm.kaltim", "auditor", "admin"]
ALLOW, HIDDEN, REFUSED, NA = "✓", "·", "✗", "–"
# what an access refusal says (casework/i18n/messages.py): the role, the handling office, the oversight body
REFUSAL = re.compile(r"tidak berwenang|ditangani .*; langkah ini hanya|badan pengawas lain|hanya penangan")


# --- the scopes -------------------------------------------------------------------------------------------------
@dataclass
class Scope:
    key: str
    label: str


SCOPES = [Scope("K1", "Kukar · kajian (at Bawaslu)"), Scope("K2", "Kukar · forwarded to BKN, not yet referred"),
          Scope("K3", "Kukar · shared: Pemkab Kukar + Pemprov Kaltim, both referred"),
          Scope("K4", "Kukar · two people named Budi Santoso: Pemprov's not proven, Pemkab's sanctioned"),
          Scope("S1", "Samarinda (same province) · kajian"), Scope("S2", "Samarinda · referred to Pemkot Samarinda"),
          Scope("B1", "Banjarmasin (another province) · pleno")]


@dataclass
class Person_:
    id: int
    nip: str
    name: str
    agency: str
    agency_id: int
    referred: bool
    body_id: int | None
    decree: bool
    finding_reason: str | None


@dataclass
class Target:
    scope: Scope
    number: str
    id: int
    regency: str
    province: str
    office_id: int
    stage: str
    version: int
    reporter_name: str
    people: list[Person_]
    evidence_id: int = 0
    letters: dict[str, int] = field(default_factory=dict)  # "case" / "reporter" / "person:<nip>" -> letter id


def build_scopes(sessions, settings) -> dict[str, object]:
    """The seven cases, through the commands, as each office's staff."""
    kukar, samarinda, banjarmasin = (Builder(sessions, settings, office) for office in
                                     ("bawaslu-6402", "bawaslu-6472", "bawaslu-6371"))

    def at_study(builder, person):
        case = builder.laporan(person).register()
        case.invite()
        case.step("record_clarification", case.handler, minutes="Terlapor hadir")
        return case

    built = {"K1": at_study(kukar, Person("Arif Kurniawan")),
             "K2": kukar.laporan(Person("Dewi Anggraini")).forward()}
    k3 = kukar.laporan(Person("Hendra Gunawan"), Person("Sri Wahyuni", agency="pemprov-64")).forward()
    built["K3"] = k3.recommend(k3.nips[0]).recommend(k3.nips[1])
    k4 = kukar.laporan(Person("Budi Santoso", agency="pemprov-64"), Person("Budi Santoso")).forward()
    built["K4"] = k4.not_proven(k4.nips[0], "Akun yang mengunggah bukan milik terlapor").recommend(k4.nips[1]) \
        .sanction(k4.nips[1])
    built["S1"] = at_study(samarinda, Person("Yudi Pratama", agency="pemkot-6472"))
    s2 = samarinda.laporan(Person("Lina Marlina", agency="pemkot-6472")).forward()
    built["S2"] = s2.recommend(s2.nips[0])
    built["B1"] = banjarmasin.laporan(Person("Rizal Hakim", agency="pemkot-6371")).to_plenary()
    return built


def materialise(sessions, settings, built: dict) -> list[Target]:
    """Evidence and letters on each case — a case-wide one, one to the reporter, one per reported person — then
    each case as plain data for the oracle."""
    fake = lambda context: FAKE_PDF  # noqa: E731 - the renderer is test_letters'; numbers and rows are real
    targets = []
    for scope in SCOPES:
        case_ = built[scope.key]
        number = case_.number
        with transaction(sessions) as session:
            case = session.scalar(select(Case).where(Case.number == number))
            evidence = add_evidence(session, case, data=PNG, filename="bukti.png", settings=settings,
                                    principal=principal_of(session, case_.handler)).id
        def issue(kind: str) -> int:  # the letter the case's steps asked for (its open request)
            return issue_letter(sessions, owed_request(sessions, number, kind), operator("matrix"),
                                settings=settings, render=fake).id

        letters = {"case": issue("clarification_minutes"), "reporter": issue("receipt")}
        for nip in case_.nips:  # the invitation's requests are one per reported person, in order
            letters[f"person:{nip}"] = issue("clarification_invitation")
        with sessions() as session:
            case = session.scalar(select(Case).where(Case.number == number).options(
                selectinload(Case.reported), selectinload(Case.regency), selectinload(Case.reporter)))
            by_id = {p.id: p.nip for p in case.reported}
            for nip in case_.nips:  # the addressee order is the letters module's: check it is the case's
                assert by_id[session.get(Letter, letters[f"person:{nip}"]).reported_asn_id] == nip
            targets.append(Target(scope, number, case.id, case.regency_code, case.regency.province_code,
                                  case.office_id, case.stage, case.version, case.reporter.name,
                                  [Person_(p.id, p.nip, p.name, p.agency.code, p.agency_id,
                                           p.referred_to_agency_at is not None, p.oversight_body_id,
                                           bool(p.decree_file), p.finding_reason) for p in case.reported],
                                  evidence, letters))
    return targets


# --- the oracle: the README's rules on plain data ----------------------------------------------------------------
@dataclass
class Subject:
    username: str
    roles: set[str]
    office_id: int | None
    office_kind: str | None
    office_regency: str | None
    office_province: str | None
    agency_id: int | None
    body_id: int | None


BAWASLU = {"bawaslu_handler", "bawaslu_head"}


def sees_whole(u: Subject, t: Target) -> bool:
    if "auditor" in u.roles:
        return True
    if u.roles & BAWASLU and u.office_kind:
        if u.office_kind == "bawaslu_ri" or u.office_kind == "bawaslu_provinsi" and t.province == u.office_province:
            return True
        if u.office_kind == "bawaslu_kabkota" and t.regency == u.office_regency:
            return True
    return "oversight_officer" in u.roles and any(p.body_id == u.body_id for p in t.people)


def own(u: Subject, p: Person_) -> bool:
    return "bkpsdm_officer" in u.roles and p.agency_id == u.agency_id and p.referred


def sees(u: Subject, t: Target) -> bool:
    return sees_whole(u, t) or any(own(u, p) for p in t.people)


def sees_person(u: Subject, t: Target, p: Person_) -> bool:
    return sees_whole(u, t) or own(u, p)


def handling_handler(u: Subject, t: Target) -> bool:
    return "bawaslu_handler" in u.roles and u.office_id == t.office_id


def handling_office(u: Subject, t: Target) -> bool:
    return bool(u.roles & BAWASLU) and u.office_id == t.office_id


def may_step(u: Subject, t: Target, cmd, p: Person_ | None) -> str:
    if not sees(u, t) or p is not None and not sees_person(u, t, p):
        return HIDDEN
    roles = u.roles & cmd.roles
    if not roles:
        return REFUSED
    if roles & BAWASLU:
        return ALLOW if u.office_id == t.office_id else REFUSED
    if "oversight_officer" in roles:
        return ALLOW if p is not None and p.body_id == u.body_id else REFUSED
    return ALLOW if p is not None and own(u, p) else HIDDEN


def expected(u: Subject, t: Target) -> dict[str, str]:
    seen = ALLOW if sees(u, t) else HIDDEN
    whole = all(sees_person(u, t, p) for p in t.people)
    out = {"list": seen, "search number": seen, "filter": seen, "export": seen, "detail": seen,
           "reporter": ALLOW if seen == ALLOW and handling_handler(u, t) else HIDDEN,
           "evidence": ALLOW if seen == ALLOW and whole else HIDDEN,
           "upload": HIDDEN if seen == HIDDEN else ALLOW if handling_handler(u, t) else REFUSED,
           "letter case-wide": ALLOW if seen == ALLOW and whole else HIDDEN,
           "letter to reporter": ALLOW if seen == ALLOW and handling_handler(u, t) else HIDDEN,
           "preview": ALLOW if seen == ALLOW and handling_office(u, t) else HIDDEN,
           "issue": ALLOW if seen == ALLOW and handling_office(u, t) else HIDDEN,
           "preview to reporter": ALLOW if seen == ALLOW and handling_handler(u, t) else HIDDEN,
           "issue to reporter": ALLOW if seen == ALLOW and handling_handler(u, t) else HIDDEN,
           # the SBT/I'DIS package: the forward's sender and its receiver (docs/exchange.md)
           "referral": HIDDEN if seen == HIDDEN else ALLOW if handling_office(u, t) or "oversight_officer" in u.roles
           else REFUSED}
    for i, p in enumerate(t.people, 1):
        person = ALLOW if sees_person(u, t, p) else HIDDEN
        # a search matches a substring: what it finds is any person the user sees whose NIP or name contains it
        out |= {f"#{i} shown": person, f"#{i} search NIP": person,
                f"#{i} search NIP prefix": ALLOW if any(sees_person(u, t, x) and p.nip[:12] in x.nip
                                                       for x in t.people) else HIDDEN,
                f"#{i} search name": ALLOW if any(sees_person(u, t, x) and x.name == p.name for x in t.people)
                else HIDDEN,
                f"#{i} letter": person, f"#{i} decree": person if p.decree else NA,
                f"#{i} not-proven reason": NA if not p.finding_reason else person}
    for name, cmd in COMMANDS.items():
        if cmd.on_track:
            for i, p in enumerate(t.people, 1):
                out[f"step {name} #{i}"] = may_step(u, t, cmd, p)
        else:
            out[f"step {name}"] = may_step(u, t, cmd, None)
    return out


# --- what the desk answers ---------------------------------------------------------------------------------------
@contextmanager
def rolled_back(factory):
    """transaction() up to the commit, which becomes a rollback: the request runs for real, nothing stays."""
    with factory() as session:
        session.begin()
        session.connection(execution_options={WRITE_OPTION: True})
        try:
            yield session
            session.flush()
        finally:
            session.rollback()


ROW_LINK = re.compile(r'<a href="/kasus/((?:LP|TM)-\d{2,4}-\d{4}-\d{4})">')
NUMBER = re.compile(r"\b(?:LP|TM)-\d{2,4}-\d{4}-\d{4}\b")


def listed(client, url: str) -> set[str]:
    found: set[str] = set()
    for page in range(10):
        html = client.get(f"{url}{'&' if '?' in url else '?'}page={page}").get_data(as_text=True)
        numbers = set(ROW_LINK.findall(html))
        found |= numbers
        if len(numbers) < admin.case_list.CaseListView.page_size:  # a page that is not full is the last one
            break
    return found


def flashes(client) -> str:
    with client.session_transaction() as data:
        return " ".join(text for _category, text in data.pop("_flashes", []))


# A decision carries a field no step has (PROBE): the access module answers first — not found, or refused with a
# reason — and a step it allows stops at its own rules (its input, its stage), so the cell is the access rule's
# answer and nothing is written; taking each step for real, with valid input, is test_workflow's and the browser's.
PROBE = "matrix_probe"


def decisions():
    """The steps posted (POSTED: one per access rule), each with its command."""
    for name in POSTED:
        yield name, COMMANDS[name]


def observe(client, token: str, t: Target, everything: set[str], exported: set[str]) -> dict:
    """What the desk answers to one login on one target (SQLite's run): every read, and a decision form posted per
    access rule (POSTED); test_workflow and test_concurrency take the steps on both databases."""
    def ok(response) -> str:
        return ALLOW if response.status_code == 200 else HIDDEN if response.status_code == 404 else \
            f"?{response.status_code}"

    def found(term: str) -> str:
        return ALLOW if t.number in listed(client, f"/kasus-daftar/?search={term}") else HIDDEN

    detail = client.get(f"/kasus/{t.number}")
    html = detail.get_data(as_text=True)
    out = {"list": ALLOW if t.number in everything else HIDDEN, "search number": found(t.number),
           "filter": ALLOW if t.number in listed(client, f"/kasus-daftar/?flt0_0={t.stage}") else HIDDEN,
           "export": ALLOW if t.number in exported else HIDDEN, "detail": ok(detail),
           "reporter": ALLOW if t.reporter_name in html else HIDDEN,
           "evidence": ok(client.get(f"/kasus/{t.number}/bukti/{t.evidence_id}")),
           "letter case-wide": ok(client.get(f"/kasus/{t.number}/surat/berkas/{t.letters['case']}")),
           "letter to reporter": ok(client.get(f"/kasus/{t.number}/surat/berkas/{t.letters['reporter']}"))}
    upload = client.post(f"/kasus/{t.number}/bukti", data={"csrf_token": token, "file": (io.BytesIO(PNG), "u.png")},
                         content_type="multipart/form-data")
    said = flashes(client)
    out["upload"] = HIDDEN if upload.status_code == 404 else ALLOW if "Bukti tersimpan" in said else \
        REFUSED if REFUSAL.search(said) else f"?{said}"
    for suffix, kind in (("", "clarification_invitation"), (" to reporter", "receipt")):
        out[f"preview{suffix}"] = ok(client.get(f"/kasus/{t.number}/surat/draf/{kind}"))
        response = client.post(f"/kasus/{t.number}/surat/{kind}", data={"csrf_token": token, "recipient": "0"})
        said = flashes(client)
        out[f"issue{suffix}"] = HIDDEN if response.status_code == 404 else ALLOW if "matriks" in said else \
            f"?{response.status_code} {said}"
    # the referral package: none of these cases has its forward letter out, so an allowed download stops there
    response = client.post(f"/kasus/{t.number}/rujukan", data={"csrf_token": token})
    said = flashes(client)
    out["referral"] = HIDDEN if response.status_code == 404 else REFUSED if "paket rujukan kasus ini hanya" in said \
        else ALLOW if "belum" in said or response.status_code == 200 else f"?{response.status_code} {said}"
    for i, p in enumerate(t.people, 1):
        out[f"#{i} shown"] = ALLOW if p.nip in html else HIDDEN
        out[f"#{i} search NIP"] = found(p.nip)
        out[f"#{i} search NIP prefix"] = found(p.nip[:12])
        out[f"#{i} search name"] = found(p.name.replace(" ", "+"))
        out[f"#{i} letter"] = ok(client.get(f"/kasus/{t.number}/surat/berkas/{t.letters[f'person:{p.nip}']}"))
        out[f"#{i} decree"] = ok(client.get(f"/kasus/{t.number}/sk/{p.id}")) if p.decree else NA
        out[f"#{i} not-proven reason"] = NA if not p.finding_reason else \
            ALLOW if p.finding_reason in html else HIDDEN
    for name, cmd in decisions():
        for i, p in (enumerate(t.people, 1) if cmd.on_track else [(0, None)]):
            form = {"csrf_token": token, "version": str(t.version), PROBE: "x"} | ({"track": p.nip} if p else {})
            response = client.post(f"/kasus/{t.number}/langkah/{name}", data=form,
                                   content_type="multipart/form-data")
            said = flashes(client)
            key = f"step {name} #{i}" if p is not None else f"step {name}"
            out[key] = HIDDEN if response.status_code == 404 else REFUSED if REFUSAL.search(said) else \
                ALLOW if response.status_code in (302, 400) and "kasus telah berubah" not in said else \
                f"?{response.status_code} {said}"
    return out


# --- what the API answers (admin/api): the same questions, the same oracle ----------------------------------------
API_READS = {"list": "list", "filter": "filter", "detail": "detail", "reporter": "reporter", "evidence": "evidence",
             "letter case-wide": "letter case-wide", "letter to reporter": "letter to reporter"}
API_PER_PERSON = ("shown", "letter")


def api_listed(client, headers, query: str = "") -> set[str]:
    found, url = set(), f"/api/v1/cases?per_page=100{query}"
    while url:
        body = client.get(url, headers=headers).get_json()
        found |= {row["number"] for row in body["items"]}
        url = body["next"]
    return found


def observe_api(client, headers, t: Target, everything: set[str], *, every_post: bool) -> dict:
    """What the API answers to one login's token on one target, under the desk's keys prefixed "api ": the reads on
    PostgreSQL (`every_post` False), the decisions on SQLite (the desk's split, the suite's time budget)."""
    def ok(response) -> str:
        return ALLOW if response.status_code == 200 else HIDDEN if response.status_code == 404 else \
            f"?{response.status_code}"

    if every_post:
        return {f"api {k}": v for k, v in api_decisions(client, headers, t).items()} | {
            "api list": ALLOW if t.number in everything else HIDDEN}
    detail = client.get(f"/api/v1/cases/{t.number}", headers=headers)
    body = detail.get_json() if detail.status_code == 200 else {}
    pdf = lambda key: ok(client.get(f"/api/v1/cases/{t.number}/letters/{t.letters[key]}/pdf",  # noqa: E731
                                    headers=headers))
    out = {"list": ALLOW if t.number in everything else HIDDEN,
           "filter": ALLOW if t.number in api_listed(client, headers, f"&stage={t.stage}") else HIDDEN,
           "detail": ok(detail), "reporter": ALLOW if body.get("reporter") else HIDDEN,
           "evidence": ALLOW if any(e["id"] == t.evidence_id for e in body.get("evidence", [])) else HIDDEN,
           "letter case-wide": pdf("case"), "letter to reporter": pdf("reporter")}
    shown = {p["nip"] for p in body.get("reported", [])}
    for i, p in enumerate(t.people, 1):
        out[f"#{i} shown"] = ALLOW if p.nip in shown else HIDDEN
        out[f"#{i} letter"] = pdf(f"person:{p.nip}")
    return {f"api {k}": v for k, v in out.items()}


def api_decisions(client, headers, t: Target) -> dict[str, str]:
    out = {}
    for name, cmd in decisions():  # with PROBE: 404, 403, or the step's 422 / 409
        for i, p in (enumerate(t.people, 1) if cmd.on_track else [(0, None)]):
            payload = {"version": t.version, "input": {PROBE: "x"}} | (
                {"track": p.nip} if p is not None else {})
            response = client.post(f"/api/v1/cases/{t.number}/steps/{name}", json=payload,
                                   headers=headers | {"Idempotency-Key": uuid.uuid4().hex})
            code = (response.get_json() or {}).get("code")
            key = f"step {name} #{i}" if p is not None else f"step {name}"
            out[key] = HIDDEN if response.status_code == 404 else REFUSED if response.status_code == 403 else \
                ALLOW if response.status_code in (409, 422) and code != "case.stale" else \
                f"?{response.status_code} {code}"
    return out


def api_expected(want: dict[str, str], *, reads: bool) -> dict[str, str]:
    """The oracle's answers for the questions the API is asked: the reads, or the decisions (and the list)."""
    keys = (set(API_READS) | {k for k in want if k.startswith("#") and k.split(" ", 1)[1] in API_PER_PERSON}
            if reads else {"list"} | {k for k in want if k.startswith("step ")})
    return {f"api {k}": want[k] for k in keys if k in want}


PAGES = [("/", "Tugas saya"), ("/dasbor/", "Dasbor"), ("/kasus-baru/", "Kasus baru"), ("/akun/2fa", "2FA"),
         ("/pengguna/", "Pengguna"), ("/kantor/", "Kantor"), ("/pemilihan/", "Pemilihan"),
         # prevention (issue 21): region figures and public activities, seen by whoever has a dashboard; office
         # letters by the staff of a Bawaslu office
         ("/dasbor/peta", "Peta"), ("/liga-ppk/", "Liga PPK"), ("/data-kerawanan/", "Data kerawanan"),
         ("/pencegahan/", "Pencegahan"), ("/surat-kantor/", "Surat kantor")]
BUILTINS = ["/kasus-daftar/details/?id={id}", "/kasus-daftar/edit/?id={id}", "/kasus-daftar/new/",
            "/kasus-daftar/export/csv/", "/kasus-daftar/ajax/lookup/?name=election&query=a"]
BUILTIN_POSTS = [("/kasus-daftar/delete/", {"id": "{id}"}), ("/kasus-daftar/action/", {"action": "delete",
                                                                                      "rowid": "{id}"}),
                 ("/kasus-daftar/ajax/update/", {"list_form_pk": "{id}", "summary": "diubah"}),
                 ("/kasus-daftar/edit/?id={id}", {"summary": "diubah"}), ("/kasus-daftar/new/", {"summary": "baru"})]


def expected_pages(u: Subject) -> dict[str, str]:
    sysadmin = "sysadmin" in u.roles
    return {"/": ALLOW, "/dasbor/": HIDDEN if sysadmin else ALLOW,
            "/kasus-baru/": ALLOW if "bawaslu_handler" in u.roles else HIDDEN, "/akun/2fa": ALLOW,
            "/pengguna/": ALLOW if sysadmin else HIDDEN, "/kantor/": ALLOW if sysadmin else HIDDEN,
            "/pemilihan/": ALLOW if sysadmin else HIDDEN,
            **{path: HIDDEN if sysadmin else ALLOW
               for path in ("/dasbor/peta", "/liga-ppk/", "/data-kerawanan/", "/pencegahan/")},
            "/surat-kantor/": ALLOW if u.office_id and u.roles & {"bawaslu_handler", "bawaslu_head"} else HIDDEN}


def subjects(sessions) -> dict[str, Subject]:
    out = {}
    with sessions() as session:
        for user in session.scalars(select(User).where(User.username.in_(USERS))
                                    .options(selectinload(User.roles), selectinload(User.office))):
            office = user.office
            out[user.username] = Subject(user.username, {r.code for r in user.roles}, user.office_id,
                                         office.kind if office else None, office.regency_code if office else None,
                                         office.province_code if office else None, user.agency_id,
                                         user.oversight_body_id)
    return out


def all_cases(sessions) -> list[Target]:
    with sessions() as session:
        return [Target(SCOPES[0], c.number, c.id, c.regency_code, c.regency.province_code, c.office_id, c.stage,
                       c.version, "", [Person_(p.id, p.nip, p.name, "", p.agency_id,
                                               p.referred_to_agency_at is not None, p.oversight_body_id, False, None)
                                       for p in c.reported])
                for c in session.scalars(select(Case).options(selectinload(Case.reported),
                                                              selectinload(Case.regency)))]


# --- the test -----------------------------------------------------------------------------------------------------
def test_every_login_scope_and_path_reads_and_writes_exactly_what_the_rules_say(app, demo_engine, demo_sessions,
                                                                               monkeypatch):
    settings = app.config["NETRA_SETTINGS"]
    targets = materialise(demo_sessions, settings, build_scopes(demo_sessions, settings))
    people = subjects(demo_sessions)
    cases = all_cases(demo_sessions)
    tokens = {}  # each login's API token (read-write: the API's answer is the access module's, not the token's)
    with transaction(demo_sessions) as session:
        for username in USERS:
            made = make_token(session, username=username, label="matriks", write=True, actor="matrix")
            tokens[username] = {"Authorization": f"Bearer {made.secret}"}
    app.config["NETRA_SETTINGS"] = replace(settings, api_requests_per_minute=1_000_000)
    before = fingerprint(demo_engine)
    sqlite = demo_engine.dialect.name == "sqlite"

    def issue_stub(factory, request_id, principal, **kwargs):  # the gate is the view's; issuing is test_letters'
        raise CaseworkError("letter.issue_failed", number="-", detail="matriks: tidak diterbitkan")

    for module in (admin.case_page, admin.case_list, admin.api.once, admin.exchange):
        monkeypatch.setattr(module, "transaction", rolled_back)
    monkeypatch.setattr(admin.letters, "issue_letter", issue_stub)
    monkeypatch.setattr(admin.letters, "render_draft", lambda session, number, kind, **kw: FAKE_PDF)

    rows: dict[tuple[str, str], dict[str, str]] = {}
    pages: dict[str, dict[str, str]] = {}
    mismatches: list = []
    cells = api_cells = 0
    for username in USERS:
        u = people[username]
        client = client_as(app, username)
        token = csrf(client.get("/akun/2fa").get_data(as_text=True))
        everything = listed(client, "/kasus-daftar/")
        visible = {c.number for c in cases if sees(u, c)}
        if everything != visible:  # the whole list and its count, not only the chosen cases
            mismatches.append((username, "list (all cases)", sorted(everything ^ visible)))
        exported_csv = client.post("/kasus-daftar/ekspor/csv", data={"csrf_token": token}).get_data(as_text=True)
        exported = {row[0] for row in csv.reader(io.StringIO(exported_csv.lstrip("\ufeff")))
                    if row and NUMBER.fullmatch(row[0])}
        if exported != visible:
            mismatches.append((username, "export (all cases)", sorted(exported ^ visible)))
        api_everything = api_listed(client, tokens[username])
        if api_everything != visible:
            mismatches.append((username, "API list (all cases)", sorted(api_everything ^ visible)))
        cells += 3
        for t in targets:
            want = expected(u, t)
            if sqlite:
                got = observe(client, token, t, everything, exported)
                rows[(username, t.scope.key)] = got
                want = {path: mark for path, mark in want.items() if not path.startswith("step ")
                        or path.split()[1] in POSTED}
                want |= api_expected(want, reads=False)
            else:  # the desk's SQL scopes are test_access's on both databases; here the API's reads on PostgreSQL
                got, want = {}, api_expected(want, reads=True)
            got = got | observe_api(client, tokens[username], t, api_everything, every_post=sqlite)
            cells += len(want)
            api_cells += sum(1 for path in want if path.startswith("api "))
            mismatches += [(username, t.scope.key, path, want[path], got.get(path)) for path in want
                           if want[path] != got.get(path)]
        page_want, page_got = expected_pages(u), {}
        for path, _label in PAGES:
            response = client.get(path)
            page_got[path] = ALLOW if response.status_code == 200 else HIDDEN if response.status_code == 404 else \
                f"?{response.status_code}"
        work = set(NUMBER.findall(client.get("/").get_data(as_text=True)))
        page_got["my work ⊆ scope"], page_want["my work ⊆ scope"] = (ALLOW if work <= visible else
                                                                     f"?{sorted(work - visible)}"), ALLOW
        if page_got["/dasbor/"] == ALLOW:
            total = re.search(r'data-total="cases">(\d+)<', client.get("/dasbor/").get_data(as_text=True)).group(1)
            page_got["dashboard counts = scope"] = ALLOW if int(total) == len(visible) else f"?{total}"
        else:
            page_got["dashboard counts = scope"] = NA
        page_want["dashboard counts = scope"] = NA if page_want["/dasbor/"] == HIDDEN else ALLOW
        hidden_case = next((c for c in cases if c.number not in visible), cases[0])
        leaked = []
        for url in BUILTINS:
            response = client.get(url.format(id=hidden_case.id))
            if response.status_code not in (302, 404) or hidden_case.number in response.get_data(as_text=True):
                leaked.append(url)
        for url, data in BUILTIN_POSTS:
            response = client.post(url.format(id=hidden_case.id),
                                   data={k: v.format(id=hidden_case.id) for k, v in data.items()} | {
                                       "csrf_token": token})
            flashes(client)
            if response.status_code not in (302, 404):
                leaked.append(f"POST {url}")
        page_got["Flask-Admin built-ins: no case content"] = ALLOW if not leaked else f"?{leaked}"
        page_want["Flask-Admin built-ins: no case content"] = ALLOW
        cells += len(page_want)
        pages[username] = page_got
        mismatches += [(username, "page", path, page_want[path], page_got[path]) for path in page_want
                       if page_want[path] != page_got[path]]
    assert mismatches == [], mismatches[:40]
    # every decision, upload and export was rolled back or refused: only the logins left a trace (their audit
    # events, the login limiter's counter and their server-side sessions)
    after = fingerprint(demo_engine)
    quiet = ("audit_events", "rate_limit_hits", "desk_sessions", "api_tokens")  # the last: when each was used
    assert {k: v for k, v in after.items() if k not in quiet} == {k: v for k, v in before.items() if k not in quiet}
    with demo_sessions() as session:
        new = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id).offset(before["audit_events"][0]))
        assert set(new) <= {"auth.login"}
    if sqlite:  # the table is SQLite's, where every cell is posted
        check_doc(render_matrix(rows, pages, cells, targets, api_cells))


# The access module decides a step by who may take it (its roles) and on what (the case, or one person): steps that
# share both share every decision, so the desk is asked once per such rule — the first step of each, in the
# registry's order — instead of once per step (the steps' own rules are test_workflow's).
POSTED = sorted({(cmd.roles, cmd.on_track): name for name, cmd in reversed(COMMANDS.items())}.values(),
                key=list(COMMANDS).index)


# --- the table ------------------------------------------------------------------------------------------------------
READS = ["list", "search number", "filter", "export", "detail", "reporter", "evidence", "upload", "letter case-wide",
         "letter to reporter", "preview", "issue", "preview to reporter", "issue to reporter", "referral"]
PER_PERSON = ["shown", "search NIP", "search NIP prefix", "search name", "letter", "decree", "not-proven reason"]


def render_matrix(rows, pages, cells: int, targets: list[Target], api_cells: int) -> str:
    steps = list(POSTED)
    out = [f"Generated by `tests/test_authorization_matrix.py` and checked over HTTP on SQLite (on PostgreSQL: "
           f"each login's whole list, export and pages, and the API's reads; the SQL scopes behind lists, searches "
           f"and counts are checked equal to these rules on both databases by `tests/test_access.py`): "
           f"**{len(USERS)} logins × {len(SCOPES)} scopes**, each with {len(READS)} case paths, "
           f"{len(PER_PERSON)} paths per reported person and a decision form on every person's track for each "
           f"distinct access rule of the steps (who may take it, on a case or on a person: {len(steps)} of the "
           f"{len(COMMANDS)} steps, the first of each rule), plus {len(PAGES) + 3} page checks and the whole list and export per login — "
           f"**{cells} cells** asserted on SQLite. {ALLOW} allowed (a decision: it reached the step's own rules) · "
           f"{HIDDEN} not found (404: the desk never says a case or a person exists to someone who may not see "
           f"it) · {REFUSED} refused with a reason (\"tidak berwenang\", \"ditangani …\", \"hanya penangan\") · "
           f"{NA} not applicable. The REST API (`/api/v1`, docs/api.md) is asked the same questions with each "
           f"login's token and must answer as the table says: on SQLite the whole list and every decision (403 is "
           f"{REFUSED}, 404 {HIDDEN}) — **{api_cells}** of the cells above — and on PostgreSQL the whole list, a "
           f"filter, the case, its reporter and evidence, each letter's PDF and each person shown.", "",
           "Scopes (cases built through the commands for the test):", ""]
    out += [f"- **{s.key}** — {s.label}" for s in SCOPES]
    out += ["", "Case paths:", "", "| login | scope | " + " | ".join(READS) + " |", "|---|---|" + "---|" * len(READS)]
    for username in USERS:
        for scope in SCOPES:
            got = rows[(username, scope.key)]
            out.append(f"| `{username}` | {scope.key} | " + " | ".join(got[k] for k in READS) + " |")
    out += ["", "Per reported person (#1, #2 on the shared cases K3 and K4):", "",
            "| login | scope | " + " | ".join(PER_PERSON) + " |", "|---|---|" + "---|" * len(PER_PERSON)]
    for username in USERS:
        for t in targets:
            got = rows[(username, t.scope.key)]
            cells_ = [" ".join(got[f"#{i} {k}"] for i in range(1, len(t.people) + 1)) for k in PER_PERSON]
            out.append(f"| `{username}` | {t.scope.key} | " + " | ".join(cells_) + " |")
    out += ["", "Decision forms, per login: the scopes (and persons) where the step passes the access rules "
            f"({ALLOW}), where the case is visible but the step is refused ({REFUSED}); elsewhere {HIDDEN}:", "",
            "| decision form | " + " | ".join(f"`{u}`" for u in USERS) + " |", "|---|" + "---|" * len(USERS)]
    for step in steps:
        line = []
        for username in USERS:
            taken, refused = [], []
            for scope in SCOPES:
                for key, mark in rows[(username, scope.key)].items():
                    if key == f"step {step}" or key.startswith(f"step {step} #"):
                        where = scope.key + key.removeprefix(f"step {step}").strip()
                        (taken if mark == ALLOW else refused if mark == REFUSED else []).append(where)
            parts = ([f"{ALLOW} " + " ".join(taken)] if taken else []) + \
                    ([f"{REFUSED} " + " ".join(refused)] if refused else [])
            line.append("; ".join(parts) or HIDDEN)
        out.append(f"| `{step}` | " + " | ".join(line) + " |")
    page_paths = list(next(iter(pages.values())))
    out += ["", "Pages and built-in endpoints per login (Flask-Admin's details/edit/new/delete/action/export/ajax "
            "endpoints of the case list, GET and POST, with a case the login may not see):", "",
            "| login | " + " | ".join(f"`{p}`" if p.startswith("/") else p for p in page_paths) + " |",
            "|---|" + "---|" * len(page_paths)]
    for username in USERS:
        out.append(f"| `{username}` | " + " | ".join(pages[username][p] for p in page_paths) + " |")
    return "\n".join(out) + "\n"


def check_doc(table: str) -> None:
    text = DOC.read_text() if DOC.exists() else ""
    if START not in text:
        raise AssertionError(f"{DOC} has no {START} … {END} section")
    head, rest = text.split(START, 1)
    current, tail = rest.split(END, 1)
    if current.strip() != table.strip():
        if os.environ.get("NETRA_WRITE_DOCS") == "1":
            DOC.write_text(f"{head}{START}\n{table}{END}{tail}")
        else:
            raise AssertionError("docs/security.md's authorization matrix differs from what the desk does; rerun "
                                 "with NETRA_WRITE_DOCS=1 to rewrite it, and review the diff")

