"""Reports: the SQL files in sql/reports/, run over what one user may see, and shaped for the desk's dashboard.

Each report is one plain SQL query (sql/reports/<name>.sql, portable to SQLite and PostgreSQL, a header comment
saying what it answers). The query reads two relations that this module puts in front of it as CTEs, compiled by
SQLAlchemy from casework.access.scope, so a report is always one statement, with bound parameters, on either backend:

    visible_cases(case_id)             select(Case.id).where(case_scope(principal)), spam left out
    visible_reported(reported_asn_id)  the reported ASN of those cases the user may see (person_scope: a BKPSDM
                                       officer only their own agency's employees, once referred)

and takes the parameters `now` (aware UTC moment; "overdue" = an open deadline whose due_at is before it) and
`terminal` (the terminal stages, casework.road.stages.TERMINAL_STAGES). A report file is a single SELECT (its own
sub-steps are subqueries, not a WITH clause, since the scope CTEs come first).

Done here rather than in SQL, to stay portable: the median days per stage (SQLite has no median/percentile
function; stage_durations.sql returns each stay's start and end and Python subtracts and takes the median), and
the institution owing an overdue deadline, which is casework.deadlines.schedule.stall_of(rule_id), the rule the
reminders use, applied to the report's rule_id column. Flask-free: the desk renders what `dashboard()` returns.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from statistics import median

from sqlalchemy import Date, bindparam, select, text
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from casework.deadlines.engine import get_rule
from casework.i18n.catalog import N_, Text, translate
from casework.models import Case, ReportedASN, UTCDateTime, utcnow
from casework.deadlines.schedule import stall_of
from casework.rules import violation_catalogue
from casework.access.policy import sees_criminal_parts
from casework.road.identifiers import person_kinds
from casework.access.principal import CASE_ROLES, Principal
from casework.access.scope import case_scope, person_scope
from casework.settings import PROJECT_ROOT
from casework.road.stages import TERMINAL_STAGES, CriminalStage, Stage, TrackStage, label

REPORTS_DIR = PROJECT_ROOT / "sql" / "reports"
# Typed result columns, so both backends return the same Python values (SQLite keeps dates as text).
COLUMN_TYPES = {"entered_at": UTCDateTime, "left_at": UTCDateTime, "voting_day": Date}
# Who owes a deadline (notice_schedule.stall_of), in the order the road meets them, with its label.
INSTITUTIONS: dict[str, Text] = {"bawaslu": N_("Bawaslu"), "oversight": N_("KASN/BKN"), "agency": N_("PPK")}
COMPLIANCE_RULES = ("oversight.recommendation", "agency.follow_up")
OUTCOMES = ("met", "missed", "overdue", "pending")
ROAD = [s.value for s in Stage] + [s.value for s in TrackStage]


def report_names() -> list[str]:
    return sorted(p.stem for p in REPORTS_DIR.glob("*.sql"))


@cache
def _read(name: str) -> tuple[str, str]:
    """(header comment, query without its full-line comments) of sql/reports/<name>.sql."""
    if name not in report_names():
        raise KeyError(f"no report {name!r} in {REPORTS_DIR}")
    lines = (REPORTS_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    header = []
    for line in lines:  # the first paragraph of the leading comment
        if not line.startswith("--") or not line.removeprefix("--").strip():
            break
        header.append(line.removeprefix("--").strip())
    query = "\n".join(line for line in lines if line.strip() and not line.strip().startswith("--"))
    return " ".join(header), query


def report_sql(name: str) -> str:
    return _read(name)[1]


def report_description(name: str) -> str:
    """The header comment of the report: what it answers."""
    return _read(name)[0]


def scope_ctes(principal: Principal):
    """visible_cases and visible_reported for `principal`, as SQLAlchemy CTEs (rendered with bound parameters).
    A case marked as spam (casework.road.spam) is in no count."""
    cases = select(Case.id.label("case_id")).where(case_scope(principal), Case.stage != Stage.SPAM) \
        .cte("visible_cases")
    reported = (select(ReportedASN.id.label("reported_asn_id"))
                .where(ReportedASN.case_id.in_(select(cases.c.case_id)), person_scope(principal))
                .cte("visible_reported"))
    return cases, reported


def statement(name: str, principal: Principal, *, now: datetime):
    """The report as one executable statement: the scope CTEs, then the file's query, parameters bound."""
    query = report_sql(name)
    params = {"now": bindparam("now", now, type_=UTCDateTime),
              "terminal": bindparam("terminal", sorted(s.value for s in TERMINAL_STAGES), expanding=True)}
    used = [p for n, p in params.items() if re.search(rf"(?<![:\w]):{n}\b", query)]
    types = {c: t for c, t in COLUMN_TYPES.items() if re.search(rf"\bAS {c}\b", query)}
    return text(query).bindparams(*used).columns(**types).add_cte(*scope_ctes(principal))


def run(session: Session, principal: Principal, name: str, *, now: datetime | None = None) -> list[RowMapping]:
    """The rows of report `name` over what `principal` may see."""
    return list(session.execute(statement(name, principal, now=now or utcnow())).mappings())


# --- shaped for the dashboard ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a count (or days), with the part of it that is overdue (shown in a warning colour)."""

    key: str
    label: str
    value: float
    overdue: int = 0
    note: str = ""  # e.g. how many stays a median is taken over


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    reported: int
    cases: int
    awaiting_ppk: int  # tracks waiting on the agency's PPK (agency_follow_up)
    sanctioned: int
    blocked: int = 0  # employees whose personnel data BKN blocked and has not unblocked (casework.road.blocking)


@dataclass(frozen=True)
class RegencyRow:
    code: str
    name: str
    cases: int
    open_cases: int
    overdue_cases: int


@dataclass
class ProvinceRows:
    code: str
    name: str
    regencies: list[RegencyRow] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(r.cases for r in self.regencies)

    @property
    def open_cases(self) -> int:
        return sum(r.open_cases for r in self.regencies)

    @property
    def overdue_cases(self) -> int:
        return sum(r.overdue_cases for r in self.regencies)


@dataclass(frozen=True)
class Compliance:
    """Deadlines of one rule (or one rule and agency) by outcome; on-time rate over those whose time has come."""

    key: str
    label: str
    met: int = 0
    missed: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def decided(self) -> int:
        return self.met + self.missed + self.overdue

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.met / self.decided) if self.decided else None


@dataclass
class Dashboard:
    total_cases: int
    open_cases: int
    overdue_cases: int
    by_stage: list[Bar]
    by_track: list[Bar]
    by_criminal: list[Bar]
    by_kind: list[Bar]
    special_paths: list[Bar]
    by_election: list[Bar]
    by_region: list[ProvinceRows]
    by_violation: list[Bar]
    by_agency: list[AgencyRow]
    overdue_by_stage: list[Bar]
    overdue_by_institution: list[Bar]
    median_days: list[Bar]
    compliance: list[Compliance]
    ppk_compliance: list[Compliance]

    def max_regency(self, column: str) -> int:
        """The largest open_cases or overdue_cases of any regency: the top of the heat table's colour scale."""
        return max((getattr(r, column) for p in self.by_region for r in p.regencies), default=0)


def cases_by_stage(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    rows = {r["stage"]: r for r in run(session, principal, "cases_by_stage", now=now)}
    return [Bar(s, label(s, lang), rows[s]["cases"], rows[s]["overdue_cases"]) for s in ROAD if s in rows]


def tracks_by_stage(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    """Reported ASN per track stage, every ending under its own name (tracks_by_stage.sql)."""
    rows = {r["track_stage"]: r["reported"] for r in run(session, principal, "tracks_by_stage", now=now)}
    return [Bar(s.value, label(s, lang), rows[s]) for s in TrackStage if s in rows]


def criminal_by_stage(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    """Reported persons per criminal stage (criminal_by_stage.sql); nothing for whoever may not see them."""
    if not sees_criminal_parts(principal):
        return []
    rows = {r["criminal_stage"]: r["reported"] for r in run(session, principal, "criminal_by_stage", now=now)}
    return [Bar(s.value, label(s, lang), rows[s]) for s in CriminalStage if s in rows]


def reported_by_kind(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    """Reported persons per kind (reported_by_kind.sql), in the order of rules/person_kinds.toml."""
    rows = {r["person_kind"]: r["reported"] for r in run(session, principal, "reported_by_kind", now=now)}
    return [Bar(code, kind.label(lang), rows[code]) for code, kind in person_kinds().items() if code in rows]


SPECIAL_PATHS = {"handover_bkn": N_("Berkas KASN dialihkan ke BKN (SE Menpan-RB 4/2024)"),
                 "handover_menpanrb": N_("Berkas KASN dilaporkan PPK ke Menteri PANRB"),
                 "appeal_open": N_("Keberatan/banding menunggu putusan"),
                 "appeal_decided": N_("Keberatan/banding sudah diputus"),
                 "blocked": N_("Data kepegawaian sedang diblokir BKN")}


def special_paths(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    """Reported persons on the roads beside the ordinary one (special_paths.sql), each path that has someone."""
    rows = {r["path"]: r["reported"] for r in run(session, principal, "special_paths", now=now)}
    return [Bar(key, text.pick(lang), rows[key]) for key, text in SPECIAL_PATHS.items() if rows.get(key)]


def cases_by_election(session: Session, principal: Principal, *, now: datetime) -> list[Bar]:
    return [Bar(r["election_code"], r["election"], r["cases"], r["overdue_cases"])
            for r in run(session, principal, "cases_by_election", now=now)]


def cases_by_region(session: Session, principal: Principal, *, now: datetime) -> list[ProvinceRows]:
    provinces: dict[str, ProvinceRows] = {}
    for r in run(session, principal, "cases_by_region", now=now):
        group = provinces.setdefault(r["province_code"], ProvinceRows(r["province_code"], r["province"]))
        group.regencies.append(RegencyRow(r["regency_code"], r["regency"], r["cases"], r["open_cases"],
                                          r["overdue_cases"]))
    return list(provinces.values())


def cases_by_violation(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    catalogue = violation_catalogue()
    return [Bar(r["code"], translate(catalogue[r["code"]]["label_id"], lang) if r["code"] in catalogue else r["code"],
                r["cases"])
            for r in run(session, principal, "cases_by_violation", now=now)]


def cases_by_agency(session: Session, principal: Principal, *, now: datetime) -> list[AgencyRow]:
    return [AgencyRow(r["agency_code"], r["agency"], r["reported"], r["cases"], r["awaiting_ppk"], r["sanctioned"],
                     r["blocked"] or 0)
            for r in run(session, principal, "cases_by_agency", now=now)]


def overdue(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> tuple[list[Bar], list[Bar]]:
    """Overdue deadlines per stage, and per institution that owes them (stall_of(rule_id); every institution
    listed, zero included)."""
    per_stage: dict[str, int] = defaultdict(int)
    per_body: dict[str, int] = dict.fromkeys(INSTITUTIONS, 0)
    for r in run(session, principal, "overdue_deadlines", now=now):
        per_stage[r["stage"]] += r["overdue"]
        per_body[stall_of(r["rule_id"])] += r["overdue"]
    return ([Bar(s, label(s, lang), n, n) for s in ROAD if (n := per_stage.get(s))],
            [Bar(b, INSTITUTIONS[b].pick(lang), n, n) for b, n in per_body.items()])


def median_days(session: Session, principal: Principal, *, now: datetime, lang: str = "id") -> list[Bar]:
    """Median days spent in each stage, over the finished stays (stage_durations.sql)."""
    stays: dict[str, list[float]] = defaultdict(list)
    for r in run(session, principal, "stage_durations", now=now):
        stays[r["stage"]].append((r["left_at"] - r["entered_at"]).total_seconds() / 86400)
    return [Bar(s, label(s, lang), round(median(stays[s]), 1), note=str(len(stays[s]))) for s in ROAD if s in stays]


def compliance(session: Session, principal: Principal, *, now: datetime,
               lang: str = "id") -> tuple[list[Compliance], list[Compliance]]:
    """Per rule (oversight recommendation, PPK follow-up; both always listed), and the PPK follow-up per agency."""
    per_rule: dict[str, dict[str, int]] = {r: dict.fromkeys(OUTCOMES, 0) for r in COMPLIANCE_RULES}
    per_agency: dict[tuple[str, str], dict[str, int]] = {}
    for r in run(session, principal, "recommendation_compliance", now=now):
        per_rule[r["rule_id"]][r["outcome"]] += r["deadlines"]
        if r["rule_id"] == "agency.follow_up":
            counts = per_agency.setdefault((r["agency_code"], r["agency"]), dict.fromkeys(OUTCOMES, 0))
            counts[r["outcome"]] += r["deadlines"]
    return ([Compliance(rule, get_rule(rule).label(lang), **counts) for rule, counts in per_rule.items()],
            [Compliance(code, name, **counts) for (code, name), counts in per_agency.items()])


def dashboard(session: Session, principal: Principal, *, now: datetime | None = None, lang: str = "id") -> Dashboard:
    """Every report for the principal's dashboard, each one query over what they may see."""
    now = now or utcnow()
    regions = cases_by_region(session, principal, now=now)
    late_stage, late_body = overdue(session, principal, now=now, lang=lang)
    rules, agencies = compliance(session, principal, now=now, lang=lang)
    return Dashboard(
        total_cases=sum(p.cases for p in regions), open_cases=sum(p.open_cases for p in regions),
        overdue_cases=sum(p.overdue_cases for p in regions),
        by_stage=cases_by_stage(session, principal, now=now, lang=lang),
        by_track=tracks_by_stage(session, principal, now=now, lang=lang),
        by_criminal=criminal_by_stage(session, principal, now=now, lang=lang),
        by_kind=reported_by_kind(session, principal, now=now, lang=lang),
        special_paths=special_paths(session, principal, now=now, lang=lang),
        by_election=cases_by_election(session, principal, now=now), by_region=regions,
        by_violation=cases_by_violation(session, principal, now=now, lang=lang),
        by_agency=cases_by_agency(session, principal, now=now),
        overdue_by_stage=late_stage, overdue_by_institution=late_body,
        median_days=median_days(session, principal, now=now, lang=lang), compliance=rules, ppk_compliance=agencies)


def has_dashboard(principal: Principal) -> bool:
    """Everyone who sees cases has a dashboard over them; a system administrator (no case content) has none."""
    return bool(principal.roles & CASE_ROLES)
