"""A region's figures (issue 21, item 1): IKP scores (Bawaslu's Indeks Kerawanan Pemilu, 0–100, overall or its
thematic index on ASN neutrality, the index itself or one of its dimensions) and ASN headcounts, each with its
source. One typed command per kind records a figure — from the desk's form, a row of an imported sheet
(casework.prevention.figure_sheets) or the CLI — checked whole, authorised for its region, and upserted on its
natural key: the same figure again changes nothing; a changed value updates the row and the audit trail keeps the
before and after. The map and the early warning read the rows (latest_ikp, latest_asn_counts)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework import audit
from casework.access.policy import Action, authorize
from casework.access.principal import Principal
from casework.errors import CaseworkError, Problem, ValidationError
from casework.i18n.catalog import N_
from casework.models import Election, Province, Regency
from casework.models.base import utcnow
from casework.models.prevention import IKP_BANDS, IKP_THEMES, AsnCount, VulnerabilityScore
from casework.rules import load

BAND_LABELS = {"low": N_("rendah"), "medium": N_("sedang"), "high": N_("tinggi")}
THEME_LABELS = {"overall": N_("IKP"), "asn_neutrality": N_("IKP tematik netralitas ASN")}
# what a sheet or a form may write for a choice (casefolded, "_" and "-" read as spaces) -> the code
THEME_WORDS = {"overall": "overall", "umum": "overall", "ikp": "overall", "keseluruhan": "overall",
               "asn neutrality": "asn_neutrality", "netralitas asn": "asn_neutrality", "netralitas": "asn_neutrality"}
BAND_WORDS = {"low": "low", "rendah": "low", "rawan rendah": "low", "medium": "medium", "sedang": "medium",
              "rawan sedang": "medium", "high": "high", "tinggi": "high", "rawan tinggi": "high"}
YEARS = (2000, 2100)
MAX_SOURCE, MAX_URL, MAX_DIMENSION = 300, 500, 100
RESULTS = ("insert", "update", "unchanged")


@dataclass(frozen=True)
class ScoreInput:
    """One IKP figure as typed or read: text is accepted everywhere and checked here."""

    region_code: Any
    year: Any
    score: Any
    source: Any
    election: Any = ""  # an election's code; "" when the source names only a year
    theme: Any = "overall"
    dimension: Any = ""  # "" for the index itself
    band: Any = ""  # "" to derive it from rules/ikp.toml
    source_url: Any = ""


@dataclass(frozen=True)
class CountInput:
    """How many ASN work in a region in a year, with its source."""

    region_code: Any
    year: Any
    count: Any
    source: Any


@dataclass
class Plan:
    """What recording a figure would do: insert, update or leave unchanged `row` (None: insert) with `values`."""

    kind: str  # "ikp" / "asn"
    key: tuple
    values: dict[str, Any]
    result: str
    row: VulnerabilityScore | AsnCount | None = None


# --- checking ------------------------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _word(value: Any) -> str:
    return " ".join(_text(value).replace("_", " ").replace("-", " ").split()).casefold()


def _region(session: Session, value: Any, problems: list[Problem]) -> str:
    code = _text(value).replace(".", "")
    if not code:
        problems.append(Problem("region_code", "required"))
    elif not re.fullmatch(r"\d{2}|\d{4}", code):
        problems.append(Problem("region_code", "figures.bad_region", {"value": _text(value)}))
    elif session.get(Province if len(code) == 2 else Regency, code) is None:
        problems.append(Problem("region_code", "figures.unknown_region", {"code": code}))
    return code


def _year(value: Any, problems: list[Problem]) -> int | None:
    text = _text(value)
    if not text:
        problems.append(Problem("year", "required"))
    elif not re.fullmatch(r"[0-9]{4}", text) or not YEARS[0] <= int(text) <= YEARS[1]:  # not isdigit(): "²"
        problems.append(Problem("year", "figures.bad_year", {"value": text}))
    else:
        return int(text)
    return None


def _source(values: dict, value: Any, problems: list[Problem]) -> None:
    values["source"] = _text(value)
    if not values["source"]:
        problems.append(Problem("source", "required"))
    elif len(values["source"]) > MAX_SOURCE:
        problems.append(Problem("source", "too_long", {"max": MAX_SOURCE}))


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = _text(value).replace(" ", "")
    if re.fullmatch(r"-?\d+([.,]\d+)?", text):  # 51,28 as Indonesians write it, or 51.28
        return float(text.replace(",", "."))
    return None


def band_for(score: float, region_code: str, theme: str = "overall") -> str:
    """The band rules/ikp.toml gives a score of a province (2-digit code) or regency (4)."""
    level = load("ikp")["levels"]["province" if len(region_code) == 2 else "regency"]
    reached = [b["band"] for b in sorted(level["bands"], key=lambda b: b["from"]) if score >= b["from"]]
    return reached[-1] if reached else level["bands"][0]["band"]


def check_score(session: Session, data: ScoreInput) -> tuple[dict[str, Any], list[Problem]]:
    """The figure's clean values and every problem with it (field names are ScoreInput's)."""
    problems: list[Problem] = []
    values: dict[str, Any] = {"region_code": _region(session, data.region_code, problems),
                              "year": _year(data.year, problems)}
    election = _text(data.election)
    found = session.scalar(select(Election).where(Election.code == election)) if election else None
    if election and found is None:
        problems.append(Problem("election", "figures.unknown_election", {"code": election}))
    elif found is not None and len(values["region_code"]) in (2, 4) and not found.covers(values["region_code"]):
        problems.append(Problem("election", "figures.election_elsewhere", {"code": election,
                                                                           "region": values["region_code"]}))
    values["election_code"] = election
    theme = THEME_WORDS.get(_word(data.theme) or "overall", _word(data.theme))
    if theme not in IKP_THEMES:
        problems.append(Problem("theme", "bad_choice", {"value": _text(data.theme), "choices": ", ".join(IKP_THEMES)}))
    values["theme"] = theme
    values["dimension"] = _text(data.dimension)
    if len(values["dimension"]) > MAX_DIMENSION:
        problems.append(Problem("dimension", "too_long", {"max": MAX_DIMENSION}))
    score = _number(data.score)
    if _text(data.score) == "":
        problems.append(Problem("score", "required"))
    elif score is None or math.isnan(score):
        problems.append(Problem("score", "figures.bad_score", {"value": _text(data.score)}))
    elif not 0 <= score <= 100:
        problems.append(Problem("score", "figures.score_range", {"value": _text(data.score)}))
    else:
        values["score"] = round(score, 2)
    band = BAND_WORDS.get(_word(data.band), _word(data.band))
    if band and band not in IKP_BANDS:
        problems.append(Problem("band", "bad_choice", {"value": _text(data.band), "choices": ", ".join(IKP_BANDS)}))
    elif not band and "score" in values and not any(p.field == "region_code" for p in problems):
        band = band_for(values["score"], values["region_code"], theme)
    values["band"] = band
    _source(values, data.source, problems)
    values["source_url"] = _text(data.source_url)
    if values["source_url"] and not re.fullmatch(r"https?://\S+", values["source_url"]):
        problems.append(Problem("source_url", "figures.bad_url", {"value": values["source_url"][:80]}))
    elif len(values["source_url"]) > MAX_URL:
        problems.append(Problem("source_url", "too_long", {"max": MAX_URL}))
    return values, problems


def check_count(session: Session, data: CountInput) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {"region_code": _region(session, data.region_code, problems),
                              "year": _year(data.year, problems)}
    number = _number(data.count)
    if _text(data.count) == "":
        problems.append(Problem("count", "required"))
    elif number is None or not number.is_integer() or number < 0 or number > 10_000_000:
        problems.append(Problem("count", "figures.bad_count", {"value": _text(data.count)}))
    else:
        values["count"] = int(number)
    _source(values, data.source, problems)
    return values, problems


# --- recording -----------------------------------------------------------------------------------------------------
SCORE_KEY = ("region_code", "year", "election_code", "theme", "dimension")
SCORE_VALUES = ("score", "band", "source", "source_url")
COUNT_KEY, COUNT_VALUES = ("region_code", "year"), ("count", "source")


def plan_score(session: Session, principal: Principal, data: ScoreInput) -> Plan:
    """Check, authorise (per region) and compare with what is recorded; writes nothing. ValidationError or the
    access module's refusal otherwise."""
    values, problems = check_score(session, data)
    if problems:
        raise ValidationError(problems)
    authorize(principal, Action.RECORD_FIGURES, region_code=values["region_code"])
    key = tuple(values[k] for k in SCORE_KEY)
    row = session.scalar(select(VulnerabilityScore).filter_by(**dict(zip(SCORE_KEY, key, strict=True))))
    return Plan("ikp", key, values, _result(row, values, SCORE_VALUES), row)


def plan_count(session: Session, principal: Principal, data: CountInput) -> Plan:
    values, problems = check_count(session, data)
    if problems:
        raise ValidationError(problems)
    authorize(principal, Action.RECORD_FIGURES, region_code=values["region_code"])
    key = (values["region_code"], values["year"])
    row = session.scalar(select(AsnCount).filter_by(region_code=key[0], year=key[1]))
    return Plan("asn", key, values, _result(row, values, COUNT_VALUES), row)


def _result(row, values: dict[str, Any], fields: tuple[str, ...]) -> str:
    if row is None:
        return "insert"
    return "unchanged" if all(getattr(row, f) == values[f] for f in fields) else "update"


def apply(session: Session, principal: Principal, plan: Plan, *, at: datetime | None = None
          ) -> VulnerabilityScore | AsnCount:
    """Write what `plan` says, audited: an insert with its values, an update with before and after."""
    model, fields, entity = ((VulnerabilityScore, SCORE_VALUES, "vulnerability_score") if plan.kind == "ikp"
                             else (AsnCount, COUNT_VALUES, "asn_count"))
    if plan.result == "unchanged":
        return plan.row
    when = at or utcnow()
    before = None if plan.row is None else {f: getattr(plan.row, f) for f in fields}
    row = plan.row or model(**plan.values)
    for name, value in plan.values.items():
        setattr(row, name, value)
    row.entered_by, row.entered_at = principal.username, when
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:  # the same figure inserted meanwhile by someone else (PostgreSQL)
        raise CaseworkError("figures.changed_meanwhile") from exc
    verb = "recorded" if plan.result == "insert" else "updated"
    audit.record(session, actor=principal.username, action=f"figures.{plan.kind}_{verb}", entity=entity,
                 entity_id=row.id, before=before, after={**plan.values}, at=when)
    return row


def record_score(session: Session, principal: Principal, data: ScoreInput, *, at: datetime | None = None) -> Plan:
    """The command: record one IKP figure (the desk's form, the CLI)."""
    plan = plan_score(session, principal, data)
    plan.row = apply(session, principal, plan, at=at)
    return plan


def record_count(session: Session, principal: Principal, data: CountInput, *, at: datetime | None = None) -> Plan:
    plan = plan_count(session, principal, data)
    plan.row = apply(session, principal, plan, at=at)
    return plan


# --- reading -------------------------------------------------------------------------------------------------------
def latest_ikp(session: Session, region_codes=None, theme: str = "overall") -> dict[str, VulnerabilityScore]:
    """Each region's index (not a dimension) of `theme` from its latest year; within a year, the one entered last
    (a Pemilu's and a Pilkada's IKP of the same year: the newer reading)."""
    query = select(VulnerabilityScore).where(VulnerabilityScore.theme == theme, VulnerabilityScore.dimension == "")
    if region_codes is not None:
        query = query.where(VulnerabilityScore.region_code.in_(list(region_codes)))
    rows = session.scalars(query.order_by(VulnerabilityScore.year, VulnerabilityScore.entered_at,
                                          VulnerabilityScore.id)).all()
    return {row.region_code: row for row in rows}  # later rows overwrite earlier ones


def latest_asn_counts(session: Session) -> dict[str, AsnCount]:
    """Each region's ASN headcount from its latest year."""
    rows = session.scalars(select(AsnCount).order_by(AsnCount.year, AsnCount.id)).all()
    return {row.region_code: row for row in rows}


def region_names(session: Session) -> dict[str, str]:
    """Code -> name of every province and regency (for listings)."""
    return dict(session.execute(select(Province.code, Province.name)).all()) | \
        dict(session.execute(select(Regency.code, Regency.name)).all())


def list_scores(session: Session, province: str | None = None) -> list[VulnerabilityScore]:
    """Every IKP figure (of one province and its regencies), by region, newest year first, the index before its
    dimensions."""
    query = select(VulnerabilityScore)
    if province:
        query = query.where(VulnerabilityScore.region_code.startswith(province[:2]))
    return list(session.scalars(query.order_by(
        VulnerabilityScore.region_code, VulnerabilityScore.year.desc(), VulnerabilityScore.election_code,
        VulnerabilityScore.theme, VulnerabilityScore.dimension != "", VulnerabilityScore.dimension)))


def list_counts(session: Session, province: str | None = None) -> list[AsnCount]:
    query = select(AsnCount)
    if province:
        query = query.where(AsnCount.region_code.startswith(province[:2]))
    return list(session.scalars(query.order_by(AsnCount.region_code, AsnCount.year.desc())))


def score_dict(row: VulnerabilityScore, names: dict[str, str], lang: str = "id") -> dict[str, Any]:
    return {"region_code": row.region_code, "region": names.get(row.region_code, ""), "year": row.year,
            "election": row.election_code, "theme": row.theme, "dimension": row.dimension, "score": row.score,
            "band": row.band, "band_label": BAND_LABELS[row.band].pick(lang), "source": row.source,
            "source_url": row.source_url, "entered_by": row.entered_by}


def count_dict(row: AsnCount, names: dict[str, str]) -> dict[str, Any]:
    return {"region_code": row.region_code, "region": names.get(row.region_code, ""), "year": row.year,
            "count": row.count, "source": row.source, "entered_by": row.entered_by}
