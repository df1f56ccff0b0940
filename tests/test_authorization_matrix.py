"""The authorization matrix, over HTTP on both backends: every demo login × every scope of case (own regency, another
regency of the same province, another province; own agency referred, another agency referred, forwarded but not
yet referred) × every path of the desk that touches a case (list, search by number and by NIP, filter, export,
detail, the reporter's identity, evidence download and upload, letters — download, preview, issue — decree
download, each of the 16 decision forms), plus the pages and Flask-Admin's built-in endpoints per login.

The expected answer comes from an oracle written here from the rules in the README (who sees what), applied to the
demo data — not from casework.access.scope — and every cell is asserted against what the desk answers. Decision forms,
uploads and letter issuing are posted for real up to the commit, which is turned into a rollback, so every cell
sees the same data (the database is unchanged at the end: fingerprint). The result table is docs/security.md's
"Authorization matrix" section: the test fails if the file says anything else (NETRA_WRITE_DOCS=1 rewrites it).
"""
from __future__ import annotations

import csv
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import admin.views
from casework.adapters.db import WRITE_OPTION, transaction
from casework.errors import CaseworkError
from casework.road.evidence import add_evidence
from casework.letters.issue import issue_letter
from casework.models import AuditEvent, Case, ReportedASN, User, utcnow
from casework.road.sanctions import Upload
from casework.reference.timezones import local_today
from casework.road.workflow import COMMANDS, Actor, execute
from tests.helpers import client_as, csrf, fingerprint
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.test_security_web import materialise_demo_decrees

DOC = Path(__file__).resolve().parent.parent / "docs" / "security.md"
START, END = "<!-- authorization-matrix:start -->", "<!-- authorization-matrix:end -->"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FAKE_PDF = b"%PDF-1.4\n% matrix\n%%EOF\n"

USERS = ["penangan.kukar", "ketua.kukar", "penangan.kaltim", "penangan.ri", "pengawas.bkn", "bkpsdm.kukar", "auditor",
         "admin"]
ALLOW, HIDDEN, REFUSED, NA = "✓", "·", "✗", "–"


# --- the scopes: one demo case each, chosen by what it is, not by its number --------------------------------------
@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    regency: str
    stages: tuple[str, ...]
    referral: str  # "none": no reported ASN referred to an agency yet; "own": one of Pemkab Kukar's; "other": others'


SCOPES = [
    Scope("K1", "Kukar (own regency) · study", "6402", ("study",), "none"),
    Scope("K2", "Kukar · forwarded to BKN, not yet referred", "6402", ("forwarded",), "none"),
    Scope("K3", "Kukar · referred to own agency (Pemkab Kukar)", "6402", ("forwarded",), "own"),
    Scope("S1", "Samarinda (same province) · study", "6472", ("study",), "none"),
    Scope("S2", "Samarinda · referred to other agencies", "6472", ("forwarded", "closed"), "other"),
    Scope("B1", "Banjarmasin (other province) · plenary", "6371", ("plenary",), "none"),
    Scope("B2", "Banjarmasin · referred to another agency", "6371", ("forwarded",), "other"),
]
OWN_AGENCY = "pemkab-6402"


@dataclass
class Person:
    id: int
    nip: str
    agency_id: int
    referred: bool
    body_id: int | None
    decree: bool


@dataclass
class Target:
    scope: Scope
    number: str
    id: int
    regency: str
    office_id: int
    has_reporter: bool
    reporter_name: str
    stage: str
    version: int
    people: list[Person]
    evidence_id: int = 0
    letter_plain: int = 0
    letter_reporter: int = 0

    @property
    def decree_person(self) -> Person | None:
        return next((p for p in self.people if p.decree), None)


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


# --- the oracle: the README's rules, written out on plain data -----------------------------------------------------
def sees(u: Subject, t: Target) -> bool:
    if "auditor" in u.roles:
        return True
    if u.roles & {"bawaslu_handler", "bawaslu_head"} and u.office_kind:
        if u.office_kind == "bawaslu_ri":
            return True
        if u.office_kind == "bawaslu_provinsi" and t.regency[:2] == u.office_province:
            return True
        if u.office_kind == "bawaslu_kabkota" and t.regency == u.office_regency:
            return True
    if "oversight_officer" in u.roles and any(p.body_id == u.body_id for p in t.people):
        return True
    if "bkpsdm_officer" in u.roles and any(p.agency_id == u.agency_id and p.referred for p in t.people):
        return True
    return False


def sees_person(u: Subject, t: Target, p: Person) -> bool:
    if u.roles == {"bkpsdm_officer"}:
        return p.agency_id == u.agency_id and p.referred
    return sees(u, t)


def handling_handler(u: Subject, t: Target) -> bool:
    return "bawaslu_handler" in u.roles and u.office_id == t.office_id


def expected(u: Subject, t: Target) -> dict[str, str]:
    visible = sees(u, t)
    seen = ALLOW if visible else HIDDEN
    office = bool(u.roles & {"bawaslu_handler", "bawaslu_head"}) and u.office_id == t.office_id
    person = t.decree_person
    out = {"list": seen, "search": seen, "search_nip": seen, "filter": seen, "export": seen, "detail": seen,
           "reporter": NA if not t.has_reporter else ALLOW if visible and handling_handler(u, t) else HIDDEN,
           "evidence": seen,
           "upload": HIDDEN if not visible else ALLOW if "bawaslu_handler" in u.roles else REFUSED,
           "letter": seen,
           "letter_reporter": NA if not t.has_reporter else ALLOW if visible and handling_handler(u, t) else HIDDEN,
           "preview": ALLOW if visible and office else HIDDEN,
           "issue": ALLOW if visible and office else HIDDEN,
           "preview_reporter": NA if not t.has_reporter else ALLOW if visible and handling_handler(u, t) else HIDDEN,
           "issue_reporter": NA if not t.has_reporter else ALLOW if visible and handling_handler(u, t) else HIDDEN,
           "decree": NA if person is None else ALLOW if sees_person(u, t, person) else HIDDEN}
    for name, cmd in COMMANDS.items():
        out[f"step:{name}"] = HIDDEN if not visible else ALLOW if u.roles & cmd.roles else REFUSED
    return out


PATHS = [("list", "daftar"), ("search", "cari nomor"), ("search_nip", "cari NIP"), ("filter", "saring tahap"),
         ("export", "ekspor"), ("detail", "rincian"), ("reporter", "identitas pelapor"), ("evidence", "unduh bukti"),
         ("upload", "unggah bukti"), ("letter", "unduh surat"), ("letter_reporter", "unduh surat ke pelapor"),
         ("preview", "pratinjau surat"), ("issue", "terbitkan surat"), ("preview_reporter", "pratinjau surat ke pelapor"),
         ("issue_reporter", "terbitkan surat ke pelapor"), ("decree", "unduh SK")]


# --- setting the scene: evidence, letters and decrees on each chosen case -------------------------------------------
def choose_targets(sessions, settings) -> list[Target]:
    targets = []
    with sessions() as session:
        cases = session.scalars(select(Case).options(selectinload(Case.reported).selectinload(ReportedASN.agency))
                                .order_by(Case.id)).all()
        for scope in SCOPES:
            def fits(case: Case) -> bool:
                referred = [p for p in case.reported if p.referred_to_agency_at]
                if scope.referral == "none" and referred:
                    return False
                if scope.referral == "own" and not any(p.agency.code == OWN_AGENCY for p in referred):
                    return False
                if scope.referral == "other" and (not referred or any(p.agency.code == OWN_AGENCY for p in referred)):
                    return False
                return case.regency_code == scope.regency and case.stage in scope.stages
            found = [c for c in cases if fits(c)]
            assert found, scope
            case = next((c for c in found if c.source == "laporan"), found[0])  # with a reporter if there is one
            targets.append(Target(scope, case.number, case.id, case.regency_code, case.office_id,
                                  case.reporter is not None, case.reporter.name if case.reporter else "", case.stage,
                                  0, [Person(p.id, p.nip, p.agency_id, p.referred_to_agency_at is not None,
                                             p.oversight_body_id, bool(p.decree_file)) for p in case.reported]))
    for t in targets:
        with transaction(sessions) as session:
            case = session.get(Case, t.id)
            t.evidence_id = add_evidence(session, case, data=PNG, filename="bukti.png", actor="matrix",
                                         roles={"bawaslu_handler"}, settings=settings).id
            waiting = [p for p in case.reported if p.track_stage == "agency_follow_up"]
        if waiting and not t.decree_person:  # the PPK's decree for a referred person, recorded as the desk does
            with transaction(sessions) as session:
                execute(session, "record_sanction", case_number=t.number, actor=Actor.of("matrix", "bkpsdm_officer"),
                        expected_version=None, track=waiting[0].nip, settings=settings, sanction_level="moral",
                        sanction="moral.terbuka", decree_number=f"800/{t.id}/MATRIKS",
                        decree_date=local_today("WITA", utcnow()).isoformat(), decree_signer_name="Pejabat (uji)",
                        decree_pdf=Upload("sk.pdf", FAKE_PDF))
            next(p for p in t.people if p.id == waiting[0].id).decree = True
        fake = lambda context: FAKE_PDF  # noqa: E731 - the renderer is tested in test_letters; numbers are real
        t.letter_plain = issue_letter(sessions, t.number, "clarification_invitation", actor="matrix",
                                      settings=settings, render=fake).id
        if t.has_reporter:
            t.letter_reporter = issue_letter(sessions, t.number, "receipt", actor="matrix", settings=settings,
                                             render=fake).id
        with sessions() as session:
            case = session.get(Case, t.id)
            t.version, t.stage = case.version, case.stage
    return targets


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


# --- what the desk answers -------------------------------------------------------------------------------------------
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


NUMBER = re.compile(r"\b(?:LP|TM)-\d{2,4}-\d{4}-\d{4}\b")
ROW_LINK = re.compile(r'<a href="/kasus/((?:LP|TM)-\d{2,4}-\d{4}-\d{4})">')


def listed(client, url: str) -> set[str]:
    """Case numbers on every page of a case-list URL."""
    found: set[str] = set()
    for page in range(10):
        html = client.get(f"{url}{'&' if '?' in url else '?'}page={page}").get_data(as_text=True)
        numbers = set(ROW_LINK.findall(html))  # the rows' links, not the search box echoing the term
        if not numbers:
            break
        found |= numbers
    return found


def flashes(client) -> str:
    with client.session_transaction() as data:
        return " ".join(text for _category, text in data.pop("_flashes", []))


def observe(client, token: str, t: Target, everything: set[str], exported: set[str], issued: list) -> dict[str, str]:
    def ok(response) -> str:
        return ALLOW if response.status_code == 200 else HIDDEN if response.status_code == 404 else \
            f"?{response.status_code}"

    stage_filter = "flt0_0"  # the first filter of the case list is the stage
    out = {"list": ALLOW if t.number in everything else HIDDEN,
           "search": ALLOW if t.number in listed(client, f"/kasus-daftar/?search={t.number}") else HIDDEN,
           "search_nip": ALLOW if t.number in listed(client, f"/kasus-daftar/?search={t.people[0].nip}") else HIDDEN,
           "filter": ALLOW if t.number in listed(client, f"/kasus-daftar/?{stage_filter}={t.stage}") else HIDDEN,
           "export": ALLOW if t.number in exported else HIDDEN}
    detail = client.get(f"/kasus/{t.number}")
    out["detail"] = ok(detail)
    out["reporter"] = NA if not t.has_reporter else \
        ALLOW if t.reporter_name in detail.get_data(as_text=True) else HIDDEN
    out["evidence"] = ok(client.get(f"/kasus/{t.number}/bukti/{t.evidence_id}"))
    upload = client.post(f"/kasus/{t.number}/bukti", data={"csrf_token": token, "file": (io.BytesIO(PNG), "u.png")},
                         content_type="multipart/form-data")
    said = flashes(client)
    out["upload"] = HIDDEN if upload.status_code == 404 else ALLOW if "Bukti tersimpan" in said else \
        REFUSED if "hanya penangan" in said else f"?{said}"
    out["letter"] = ok(client.get(f"/kasus/{t.number}/surat/berkas/{t.letter_plain}"))
    out["letter_reporter"] = ok(client.get(f"/kasus/{t.number}/surat/berkas/{t.letter_reporter}")) \
        if t.has_reporter else NA
    for suffix, kind in (("", "clarification_invitation"), ("_reporter", "receipt")):
        if suffix and not t.has_reporter:
            out[f"preview{suffix}"] = out[f"issue{suffix}"] = NA
            continue
        out[f"preview{suffix}"] = ok(client.get(f"/kasus/{t.number}/surat/draf/{kind}"))
        before = len(issued)
        response = client.post(f"/kasus/{t.number}/surat/{kind}", data={"csrf_token": token, "recipient": "0"})
        flashes(client)
        out[f"issue{suffix}"] = HIDDEN if response.status_code == 404 else ALLOW if len(issued) > before else \
            f"?{response.status_code}"
    person = t.decree_person
    out["decree"] = NA if person is None else ok(client.get(f"/kasus/{t.number}/sk/{person.id}"))
    for name, cmd in COMMANDS.items():
        data = {"csrf_token": token, "version": str(t.version)}
        if cmd.on_track:
            data["track"] = t.people[0].nip
        response = client.post(f"/kasus/{t.number}/langkah/{name}", data=data)
        said = flashes(client)
        out[f"step:{name}"] = HIDDEN if response.status_code == 404 else REFUSED if "tidak berwenang" in said else \
            ALLOW if response.status_code == 302 and "kasus telah berubah" not in said else f"?{said}"
    return out


PAGES = [("/", "Tugas saya"), ("/dasbor/", "Dasbor"), ("/kasus-baru/", "Kasus baru"), ("/akun/2fa", "2FA"),
         ("/pengguna/", "Pengguna"), ("/kantor/", "Kantor")]
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
            "/pengguna/": ALLOW if sysadmin else HIDDEN, "/kantor/": ALLOW if sysadmin else HIDDEN}


# --- the test ---------------------------------------------------------------------------------------------------------
def test_every_login_scope_and_path_gets_exactly_what_the_rules_say(app, demo_engine, demo_sessions, monkeypatch):
    settings = app.config["NETRA_SETTINGS"]
    materialise_demo_decrees(demo_sessions, settings)
    targets = choose_targets(demo_sessions, settings)
    people = subjects(demo_sessions)
    with demo_sessions() as session:
        every_case = session.scalars(select(Case).options(selectinload(Case.reported))).all()
        all_targets = [Target(SCOPES[0], c.number, c.id, c.regency_code, c.office_id, c.reporter_id is not None, "",
                              c.stage, c.version, [Person(p.id, p.nip, p.agency_id, p.referred_to_agency_at is not None,
                                                          p.oversight_body_id, False) for p in c.reported])
                       for c in every_case]
    before = fingerprint(demo_engine)
    issued: list = []

    def issue_stub(factory, number, kind, **kwargs):  # the gate is the view's; issuing itself is test_letters'
        issued.append((number, kind))
        raise CaseworkError("letter.issue_failed", number="-", detail="matriks: tidak diterbitkan")

    monkeypatch.setattr(admin.views, "transaction", rolled_back)
    monkeypatch.setattr(admin.views, "issue_letter", issue_stub)
    monkeypatch.setattr(admin.views, "render_draft", lambda session, number, kind, **kw: FAKE_PDF)

    rows: dict[tuple[str, str], dict[str, str]] = {}
    pages: dict[str, dict[str, str]] = {}
    mismatches = []
    cells = 0
    for username in USERS:
        u = people[username]
        client = client_as(app, username)
        token = csrf(client.get("/akun/2fa").get_data(as_text=True))
        everything = listed(client, "/kasus-daftar/")
        visible = {c.number for c in all_targets if sees(u, c)}
        if everything != visible:  # the whole list, not only the chosen cases
            mismatches.append((username, "list (all cases)", sorted(everything ^ visible)))
        exported_csv = client.get("/kasus-daftar/ekspor/csv").get_data(as_text=True)
        exported = {row[0] for row in csv.reader(io.StringIO(exported_csv.lstrip("\ufeff")))
                    if row and NUMBER.fullmatch(row[0])}
        if exported != visible:
            mismatches.append((username, "export (all cases)", sorted(exported ^ visible)))
        for t in targets:
            want, got = expected(u, t), observe(client, token, t, everything, exported, issued)
            rows[(username, t.scope.key)] = got
            cells += len(want)
            mismatches += [(username, t.scope.key, path, want[path], got[path]) for path in want
                           if want[path] != got[path]]
        page_want = expected_pages(u)
        page_got = {}
        for path, _label in PAGES:
            response = client.get(path)
            page_got[path] = ALLOW if response.status_code == 200 else HIDDEN if response.status_code == 404 else \
                f"?{response.status_code}"
        work = set(NUMBER.findall(client.get("/").get_data(as_text=True)))
        page_got["my work ⊆ scope"] = ALLOW if work <= visible else f"?{sorted(work - visible)}"
        page_want["my work ⊆ scope"] = ALLOW
        if page_got["/dasbor/"] == ALLOW:
            total = re.search(r'data-total="cases">(\d+)<', client.get("/dasbor/").get_data(as_text=True)).group(1)
            page_got["dashboard counts = scope"] = ALLOW if int(total) == len(visible) else f"?{total}"
        else:
            page_got["dashboard counts = scope"] = NA
        page_want["dashboard counts = scope"] = NA if page_want["/dasbor/"] == HIDDEN else ALLOW
        hidden_case = next(c for c in all_targets if c.number not in visible) if len(visible) < len(all_targets) \
            else all_targets[0]
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
        # the pages, each built-in endpoint, the whole list and the whole export
        cells += len(page_want) - 1 + len(BUILTINS) + len(BUILTIN_POSTS) + 2
        pages[username] = page_got
        mismatches += [(username, "page", path, page_want[path], page_got[path]) for path in page_want
                       if page_want[path] != page_got[path]]
    assert mismatches == [], mismatches[:40]
    # every decision, upload and issue was rolled back or refused: only the logins left a trace (their audit events,
    # the login limiter's counter and their server-side sessions)
    after = fingerprint(demo_engine)
    assert {k: v for k, v in after.items() if k not in ("audit_events", "rate_limit_hits", "desk_sessions")} == \
        {k: v for k, v in before.items() if k not in ("audit_events", "rate_limit_hits", "desk_sessions")}
    with demo_sessions() as session:
        new = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id).offset(before["audit_events"][0]))
        assert set(new) == {"auth.login"}
    assert issued  # the letter gate let the handling office through

    table = render_matrix(rows, pages, cells, targets)
    check_doc(table)


def render_matrix(rows, pages, cells: int, targets: list[Target]) -> str:
    steps = list(COMMANDS)
    out = [f"Generated by `tests/test_authorization_matrix.py` from the demo data and checked over HTTP on SQLite "
           f"and PostgreSQL: **{len(USERS)} logins × {len(SCOPES)} scopes × {len(PATHS) + len(steps)} paths**, plus "
           f"{len(PAGES) + 3} page checks per login — **{cells} cells** asserted per backend. "
           f"{ALLOW} allowed · {HIDDEN} not found (404: the desk never says a case exists to someone who may not see "
           f"it) · {REFUSED} refused with a reason (\"tidak berwenang\", \"hanya penangan\") · "
           f"{NA} not applicable (a temuan has no reporter; no decree yet).", "",
           "Scopes (one demo case each, chosen by what it is):", ""]
    out += [f"- **{s.key}** — {s.label}" for s in SCOPES]
    out += ["", "| login | scope | " + " | ".join(label for _key, label in PATHS) + " | 16 decision forms |",
            "|---|---|" + "---|" * len(PATHS) + "---|"]
    for username in USERS:
        for scope in SCOPES:
            got = rows[(username, scope.key)]
            allowed = sum(got[f"step:{s}"] == ALLOW for s in steps)
            refused = sum(got[f"step:{s}"] == REFUSED for s in steps)
            decision = HIDDEN if not allowed and not refused else \
                " ".join(part for part in (f"{ALLOW} {allowed}" if allowed else "",
                                           f"{REFUSED} {refused}" if refused else "") if part)
            out.append(f"| `{username}` | {scope.key} | " + " | ".join(got[key] for key, _label in PATHS) +
                       f" | {decision} |")
    out += ["", "Each decision form (POSTed with the case's current version, up to the commit), per login: the scopes "
            f"where it is taken ({ALLOW}), {REFUSED} where the case is visible but the role may not take it "
            f"(\"tidak berwenang\"), {HIDDEN} where it is not visible at all (404):", "",
            "| decision form | " + " | ".join(f"`{u}`" for u in USERS) + " |", "|---|" + "---|" * len(USERS)]
    for step in steps:
        cells = []
        for username in USERS:
            marks = {scope.key: rows[(username, scope.key)][f"step:{step}"] for scope in SCOPES}
            taken = [key for key, mark in marks.items() if mark == ALLOW]
            if taken:
                cells.append(f"{ALLOW} " + (" ".join(taken) if len(taken) < len(SCOPES) else "all"))
            else:
                cells.append(REFUSED if REFUSED in marks.values() else HIDDEN)
        out.append(f"| `{step}` | " + " | ".join(cells) + " |")
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
