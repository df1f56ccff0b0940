"""Early warning: the rules of casework/rules/early_warning.toml (all Netra's policy) applied to what a principal
may see — a flag on the dashboard, and once a day an email digest to each provincial Bawaslu of the flags in its
province. Each flag carries the numbers its rule compared, and says them in words, as a deadline explains itself.

Two kinds of rule:
- surge: a regency of high vulnerability (its latest IKP band, casework.prevention.figures) whose new cases in
  the last window reach a minimum and exceed its own baseline (the average per window over the weeks before);
- repeat: an agency whose employees are reported in several distinct cases within a window.
Counts use the dashboard's scope (casework.reports.dashboard.scope_ctes: what the principal sees, spam left out)
and the day a case was received (`received_on`), the act of receiving rather than the click that recorded it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, case as when, func, select
from sqlalchemy.orm import Session, sessionmaker

from casework.access.principal import SYSTEM, Principal
from casework.adapters.db import transaction
from casework.i18n.catalog import N_, translate
from casework.i18n.dates import format_day
from casework.mail import outbox
from casework.models import Agency, Case, Office, Regency, ReportedASN, User, utcnow
from casework.prevention.figures import latest_ikp
from casework.reports.dashboard import scope_ctes
from casework.rules import load
from casework.settings import Settings

BAND_LABELS = {"low": N_("rendah"), "medium": N_("sedang"), "high": N_("tinggi")}
POLICY = N_("kebijakan Netra, dasar hukum belum ada")
CASES_SHOWN = 10  # the case numbers a flag names (the rest are counted): the email lists them, the desk five


@cache
def rules() -> tuple[dict[str, Any], ...]:
    return tuple(load("early_warning")["rules"])


@dataclass(frozen=True)
class Flag:
    rule_id: str
    label_id: str  # the rule's name, a msgid
    subject: str  # "regency" or "agency"
    code: str  # the regency's code, or the agency's
    name: str
    province_code: str
    numbers: dict[str, Any] = field(default_factory=dict)  # what the rule compared (the explanation's data)
    cases: tuple[str, ...] = ()  # the newest case numbers behind it (at most CASES_SHOWN)
    case_count: int = 0  # how many cases are behind it

    @property
    def more(self) -> int:
        """Cases behind the flag beyond those named."""
        return max(0, self.case_count - len(self.cases))

    @property
    def key(self) -> str:
        return f"{self.rule_id}:{self.code}"

    def label(self, lang: str = "id") -> str:
        return translate(self.label_id, lang)

    def explain(self, lang: str = "id") -> str:
        """The flag in words: what was counted, against what, and that the threshold is Netra's policy."""
        n = self.numbers
        if self.subject == "regency":
            text = translate(N_("%(new)s kasus baru dalam %(window)s hari sampai %(today)s, sedangkan rata-rata "
                                "%(baseline)s per %(window)s hari dalam %(weeks)s minggu sebelumnya; IKP %(score)s "
                                "(%(band)s), %(source)s %(year)s"), lang) % {
                **n, "today": format_day(date.fromisoformat(n["today"]), lang),
                "baseline": _decimal(n["baseline"], lang), "weeks": n["baseline_days"] // 7,
                "score": _decimal(n["score"], lang), "band": translate(BAND_LABELS[n["band"]], lang)}
        else:
            text = translate(N_("pegawainya dilaporkan dalam %(count)s kasus berbeda dalam %(window)s hari sampai "
                                "%(today)s (ambang: %(min)s)"), lang) % {
                **n, "today": format_day(date.fromisoformat(n["today"]), lang)}
        return f"{text} — {translate(POLICY, lang)}."


def _decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "id" else text


def flags(session: Session, principal: Principal, *, today: date | None = None) -> list[Flag]:
    """Every flag the rules raise over what `principal` may see, on `today`."""
    today = today or utcnow().date()
    out: list[Flag] = []
    for rule in rules():
        if rule["kind"] == "surge":
            out += _surges(session, principal, rule, today)
        elif rule["kind"] == "repeat":
            out += _repeats(session, principal, rule, today)
        else:
            raise ValueError(f"early_warning.toml: unknown kind {rule['kind']!r}")
    return out


def _surges(session: Session, principal: Principal, rule: dict[str, Any], today: date) -> list[Flag]:
    vulnerable = {code: score for code, score in latest_ikp(session, theme=rule["theme"]).items()
                  if len(code) == 4 and score.band in rule["bands"]}
    if not vulnerable:
        return []
    window, baseline_days = rule["window_days"], rule["baseline_days"]
    start = today - timedelta(days=window - 1)
    base_start = start - timedelta(days=baseline_days)
    cases, _reported = scope_ctes(principal)
    in_window = and_(Case.received_on >= start, Case.received_on <= today)
    in_base = and_(Case.received_on >= base_start, Case.received_on < start)
    rows = session.execute(
        select(Case.regency_code, Regency.name, Regency.province_code,
               func.sum(when((in_window, 1), else_=0)), func.sum(when((in_base, 1), else_=0)))
        .join(Regency, Regency.code == Case.regency_code)
        .where(Case.id.in_(select(cases.c.case_id)), Case.regency_code.in_(vulnerable),
               Case.received_on >= base_start, Case.received_on <= today)
        .group_by(Case.regency_code, Regency.name, Regency.province_code)).all()
    out = []
    for code, name, province, new, base in rows:
        baseline = (base or 0) * window / baseline_days
        if (new or 0) >= rule["min_cases"] and new > rule["factor"] * baseline:
            score = vulnerable[code]
            numbers = {"new": int(new), "window": window, "baseline": round(baseline, 1),
                       "baseline_days": baseline_days, "today": today.isoformat(), "score": score.score,
                       "band": score.band, "source": score.source, "year": score.year}
            out.append(Flag(rule["id"], rule["label_id"], "regency", code, name, province, numbers, _case_numbers(
                session, and_(Case.regency_code == code, Case.id.in_(select(cases.c.case_id))), start, today),
                int(new)))
    return sorted(out, key=lambda f: (-f.numbers["new"], f.code))


def _repeats(session: Session, principal: Principal, rule: dict[str, Any], today: date) -> list[Flag]:
    start = today - timedelta(days=rule["window_days"] - 1)
    _cases, reported = scope_ctes(principal)
    visible = ReportedASN.id.in_(select(reported.c.reported_asn_id))  # the people seen (of the cases seen)
    counted = func.count(func.distinct(Case.id))
    # from the window's cases (received_on is indexed) to their people: testing both scope CTEs at once made
    # SQLite read the cases' list again per row (minutes at 100,000 cases; bench/bench_desk.py)
    rows = session.execute(
        select(Agency.id, Agency.code, Agency.name, Agency.province_code, counted)
        .select_from(Case).join(ReportedASN, ReportedASN.case_id == Case.id)
        .join(Agency, Agency.id == ReportedASN.agency_id)
        .where(Case.received_on >= start, Case.received_on <= today, visible)
        .group_by(Agency.id, Agency.code, Agency.name, Agency.province_code)
        .having(counted >= rule["min_cases"])).all()
    flagged = {agency_id for agency_id, *_rest in rows}
    newest: dict[int, list[str]] = {a: [] for a in flagged}
    if flagged:  # the newest cases of every flagged agency in one pass, by the same path
        for agency_id, number in session.execute(
                select(ReportedASN.agency_id, Case.number).select_from(Case)
                .join(ReportedASN, ReportedASN.case_id == Case.id)
                .where(Case.received_on >= start, Case.received_on <= today, ReportedASN.agency_id.in_(flagged),
                       visible).order_by(Case.received_on.desc(), Case.id.desc())):
            named = newest[agency_id]
            if len(named) < CASES_SHOWN and number not in named:
                named.append(number)
    out = []
    for agency_id, code, name, province, count in rows:
        numbers = {"count": int(count), "window": rule["window_days"], "min": rule["min_cases"],
                   "today": today.isoformat()}
        out.append(Flag(rule["id"], rule["label_id"], "agency", code, name, province or "", numbers,
                        tuple(newest[agency_id]), int(count)))
    return sorted(out, key=lambda f: (-f.numbers["count"], f.code))


def _case_numbers(session: Session, where, start: date, today: date) -> tuple[str, ...]:
    """The numbers of the cases `where` says (a condition that keeps to the principal's scope) in the window."""
    return tuple(session.scalars(select(Case.number).where(where, Case.received_on >= start, Case.received_on <= today)
                                 .order_by(Case.received_on.desc(), Case.id.desc()).limit(CASES_SHOWN)))


# --- the digest to each provincial Bawaslu ---------------------------------------------------------------------------
def queue_digests(factory: sessionmaker[Session], *, settings: Settings, now: datetime | None = None) -> int:
    """Once per provincial office and local day, when its province has any flag: the flags, explained, to the
    office's address and its handlers (casework.deadlines.notices' digest time and template style)."""
    from casework.deadlines.notices import digest_due, render

    now = now or utcnow()
    with factory() as session:
        offices = list(session.scalars(select(Office.id).where(Office.kind == "bawaslu_provinsi")))
    queued = 0
    for office_id in offices:
        with transaction(factory) as session:
            office = session.get(Office, office_id)
            today = digest_due(office, now)
            if today is None:
                continue
            key = f"early-warning:{office.code}:{today.isoformat()}"
            if outbox.already_queued(session, key):
                continue
            raised = [f for f in flags(session, SYSTEM, today=today)
                      if f.province_code == office.province_code]
            if not raised:
                continue
            subject, body = render("early_warning.txt", office=office, today=format_day(today, "id"),
                                   flags=[{"label": f.label(), "name": f.name, "why": f.explain(),
                                           "cases": f.cases, "more": f.more} for f in raised],
                                   desk=settings.base_url.rstrip("/") + "/dasbor/")
            handlers = session.scalars(select(User.email).where(
                User.is_active.is_(True), User.email != "", User.office_id == office.id,
                User.roles.any(code="bawaslu_handler")).order_by(User.id))
            queued += outbox.queue(session, dedup_key=key, purpose="early_warning",
                                   recipients=[office.email, *handlers], subject=subject, body=body) is not None
    return queued
