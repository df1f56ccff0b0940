"""Demo data: real institutions and places in Kalimantan, fictitious people; loading twice changes nothing.

Cases go through `intake.open_case` like any other, then walk the road to a target stage so that every stage
(and every per-ASN track stage) is represented. Dates are relative to the day of loading, so there are cases
just received, cases mid-way and cases long closed whichever day the demo is loaded.
"""
from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import audit
from casework.dates import indonesian_date
from casework.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.models import (
    Agency, Case, District, Election, Office, OversightBody, Role, User,
)
from casework.numbering import next_register_number
from casework.oversight import body_valid_on
from casework.passwords import hash_password
from casework.reference import sync_reference_data
from casework.stages import MAIN_ROAD, Stage, TrackStage
from casework.workflow import move_to, move_track

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
DEMO_PASSWORD = "netra-demo"
ACTOR = "demo-loader"

# Target of each demo variant: the case stage and, once forwarded, the track stage of each reported ASN.
# Three cases per variant, each of a different age, so deadlines (issue "legal road") fall on time, near and late.
VARIANTS: tuple[tuple[Stage, tuple[TrackStage, ...]], ...] = (
    (Stage.RECEIVED, ()),
    (Stage.INITIAL_REVIEW, ()),
    (Stage.AWAITING_COMPLETION, ()),
    (Stage.NOT_REGISTERED, ()),
    (Stage.REGISTERED, ()),
    (Stage.CLARIFICATION, ()),
    (Stage.STUDY, ()),
    (Stage.PLENARY, ()),
    (Stage.FORWARDED, (TrackStage.OVERSIGHT_REVIEW,)),
    (Stage.FORWARDED, (TrackStage.AGENCY_FOLLOW_UP,)),
    (Stage.FORWARDED, (TrackStage.SANCTIONED, TrackStage.AGENCY_FOLLOW_UP)),
    (Stage.CLOSED, (TrackStage.SANCTIONED,)),
    (Stage.CLOSED, (TrackStage.NOT_PROVEN,)),
    (Stage.CLOSED, ()),  # plenary found no violation
    (Stage.WITHDRAWN, ()),
    (Stage.MERGED, ()),
)
# Rough age in days of a case at each stage (received -> now), scaled per copy to spread deadlines.
STAGE_AGE = {Stage.RECEIVED: 1, Stage.INITIAL_REVIEW: 2, Stage.AWAITING_COMPLETION: 3, Stage.NOT_REGISTERED: 20,
             Stage.REGISTERED: 4, Stage.CLARIFICATION: 6, Stage.STUDY: 9, Stage.PLENARY: 12, Stage.FORWARDED: 30,
             Stage.CLOSED: 120, Stage.WITHDRAWN: 15, Stage.MERGED: 5}
AGE_SCALE = (1, 2, 4)
REGENCIES = ("6402", "6472", "6471", "6571", "6371", "6302")
COPIES = len(AGE_SCALE)


def _toml(name: str) -> dict[str, Any]:
    with open(DEMO_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def load_demo(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Load organisations, elections, users and cases that are not there yet."""
    today = today or date.today()
    sync_reference_data(session)
    orgs = _toml("organisations.toml")
    _load_offices(session, orgs["offices"])
    _load_agencies(session, orgs["agencies"])
    _load_elections(session, orgs["elections"])
    users = _load_users(session, orgs["users"])
    added = _load_cases(session, today)
    total = session.scalar(select(func.count()).select_from(Case))
    return {"cases_added": added, "cases_total": total, "users": users}


def _by_code(session: Session, model, code: str):
    return session.scalar(select(model).where(model.code == code))


def _load_offices(session: Session, specs: list[dict]) -> None:
    for spec in specs:  # parents come first in the file
        if _by_code(session, Office, spec["code"]):
            continue
        parent = _by_code(session, Office, spec["parent"]) if "parent" in spec else None
        session.add(Office(code=spec["code"], kind=spec["kind"], name=spec["name"], province_code=spec["province"],
                           regency_code=spec.get("regency"), parent=parent, city=spec["city"],
                           address=spec["address"], email=spec["email"], letter_unit_code=spec["letter_unit_code"]))
        session.flush()


def _load_agencies(session: Session, specs: list[dict]) -> None:
    for spec in specs:
        if _by_code(session, Agency, spec["code"]):
            continue
        session.add(Agency(code=spec["code"], name=spec["name"], level=spec["level"],
                           province_code=spec.get("province"), regency_code=spec.get("regency"),
                           ppk_title=spec["ppk_title"], ppk_supervisor=spec["ppk_supervisor"],
                           personnel_unit_name=spec["personnel_unit_name"],
                           personnel_unit_email=spec["personnel_unit_email"], city=spec["city"]))
    session.flush()


def _load_elections(session: Session, specs: list[dict]) -> None:
    for spec in specs:
        if _by_code(session, Election, spec["code"]):
            continue
        session.add(Election(code=spec["code"], kind=spec["kind"], name=spec["name"], voting_day=spec["voting_day"],
                             province_code=spec.get("province"), regency_code=spec.get("regency")))
    session.flush()


def _load_users(session: Session, specs: list[dict]) -> int:
    roles = {r.code: r for r in session.scalars(select(Role))}
    for spec in specs:
        if session.scalar(select(User).where(User.username == spec["username"])):
            continue
        user = User(username=spec["username"], full_name=spec["full_name"],
                    email=f"{spec['username']}@demo.netra.test", password_hash=hash_password(DEMO_PASSWORD),
                    roles=[roles[code] for code in spec["roles"]])
        if "office" in spec:
            user.office = _by_code(session, Office, spec["office"])
        if "agency" in spec:
            user.agency = _by_code(session, Agency, spec["agency"])
        if "oversight_body" in spec:
            user.oversight_body = _by_code(session, OversightBody, spec["oversight_body"])
        session.add(user)
    session.flush()
    return len(specs)


def demo_users() -> list[dict[str, Any]]:
    """The demo logins, for `make run` and the README."""
    return [{"username": u["username"], "password": DEMO_PASSWORD, "roles": u["roles"]}
            for u in _toml("organisations.toml")["users"]]


# --- cases -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoCase:
    ref: str
    index: int
    regency: str
    stage: Stage
    tracks: tuple[TrackStage, ...]
    age_days: int


def demo_case_plan() -> list[DemoCase]:
    plan = []
    for v, (stage, tracks) in enumerate(VARIANTS):
        for copy in range(COPIES):
            index = v * COPIES + copy
            plan.append(DemoCase(ref=f"demo-{index + 1:03d}", index=index,
                                 regency=REGENCIES[index % len(REGENCIES)], stage=stage, tracks=tracks,
                                 age_days=STAGE_AGE[stage] * AGE_SCALE[copy] + copy))
    return plan


def _load_cases(session: Session, today: date) -> int:
    people = _toml("people.toml")
    existing = set(session.scalars(select(Case.external_ref).where(Case.external_ref.like("demo-%"))))
    added = 0
    for item in demo_case_plan():
        if item.ref in existing:
            continue
        _create_case(session, item, people, today)
        added += 1
    return added


def _election_for(session: Session, item: DemoCase) -> Election:
    """Alternate Pemilu 2024 and the Pilkada 2024 of the regency (or of its province)."""
    if item.index % 2 == 0:
        return _by_code(session, Election, "pemilu-2024")
    return (_by_code(session, Election, f"pilkada-2024-{item.regency}")
            or _by_code(session, Election, f"pilkada-2024-{item.regency[:2]}"))


def _agencies_for(session: Session, item: DemoCase) -> list[Agency]:
    local = session.scalar(select(Agency).where(Agency.regency_code == item.regency))
    if item.index % 4 == 3:  # every fourth case names a second ASN from another agency
        other = _by_code(session, Agency, f"pemprov-{item.regency[:2]}") or _by_code(session, Agency, "kemenag")
        return [local, other]
    if item.index % 7 == 5:
        return [_by_code(session, Agency, "kemenag")]
    return [local]


def _fake_nip(rng: random.Random, today: date) -> str:
    born = date(rng.randint(1966, 1994), rng.randint(1, 12), rng.randint(1, 28))
    appointed_year = min(born.year + rng.randint(22, 30), today.year - 1)
    return (f"{born:%Y%m%d}{appointed_year:04d}{rng.randint(1, 12):02d}"
            f"{rng.choice('12')}{rng.randint(1, 999):03d}")


def _create_case(session: Session, item: DemoCase, people: dict, today: date) -> Case:
    rng = random.Random(item.index * 7919 + 17)
    office = _by_code(session, Office, f"bawaslu-{item.regency}")
    election = _election_for(session, item)
    districts = session.scalars(select(District).where(District.regency_code == item.regency)
                                .order_by(District.code)).all()
    district = districts[item.index % len(districts)]
    violations = rng.sample(sorted(people["acts"]), k=1 + (item.index % 3 == 0))
    received = today - timedelta(days=item.age_days)
    known = received - timedelta(days=rng.randint(0, 3))
    occurred = known - timedelta(days=rng.randint(0, 2))
    source = "temuan" if item.index % 5 == 2 else "laporan"
    reported = []
    for agency in _agencies_for(session, item):
        position = rng.choice(people["positions"])
        reported.append(ReportedInput(
            nip=_fake_nip(rng, today), name=f"{rng.choice(people['given_names'])} {rng.choice(people['family_names'])}",
            position=f"{position['title']} ({agency.name})" if agency.level != "kabkota" else position["title"],
            rank=position["rank"], agency=agency.code, work_unit=agency.name))
    acts = "; ".join(people["acts"][code] for code in violations)
    names = " dan ".join(p.name for p in reported)
    place = f"Kecamatan {district.name}, {office.regency.name}"
    chronology = (f"Pada {indonesian_date(occurred)}, {names} diduga {acts}. Peristiwa terjadi di {place} "
                  f"dan diketahui pada {indonesian_date(known)}. Bukti berupa tangkapan layar dan foto terlampir.")
    reporter = None
    if source == "laporan":
        reporter = ReporterInput(name=f"{rng.choice(people['given_names'])} {rng.choice(people['family_names'])}",
                                 address=f"Jl. Merdeka No. {rng.randint(1, 120)}, {office.regency.name}",
                                 phone=f"08{rng.randint(100000000, 999999999)}")
    data = IntakeInput(
        source=source, election=election.code, office=office.code, regency=item.regency, district=district.code,
        place=place, occurred_on=occurred, known_on=known, received_on=received,
        summary=f"Dugaan pelanggaran netralitas ASN oleh {names}", chronology=chronology,
        violations=violations, reported=reported, reporter=reporter,
        found_by="" if reporter else f"Panwaslu Kecamatan {district.name}",
        witnesses=[WitnessInput(name=f"{rng.choice(people['given_names'])} {rng.choice(people['family_names'])}")],
        external_ref=item.ref,
    )
    opened_at = datetime.combine(received, time(2, 0), UTC)  # 09:00 WIB / 10:00 WITA
    case = open_case(session, data, actor=ACTOR, today=today, at=opened_at)
    _walk(session, case, item, opened_at, today)
    return case


def _road_to(stage: Stage) -> list[Stage]:
    """The stages a demo case passes through to reach `stage` (after `received`)."""
    detours = {
        Stage.AWAITING_COMPLETION: [Stage.INITIAL_REVIEW, Stage.AWAITING_COMPLETION],
        Stage.NOT_REGISTERED: [Stage.INITIAL_REVIEW, Stage.NOT_REGISTERED],
        Stage.WITHDRAWN: [Stage.INITIAL_REVIEW, Stage.WITHDRAWN],
        Stage.MERGED: [Stage.MERGED],
    }
    if stage in detours:
        return detours[stage]
    return list(MAIN_ROAD[1:MAIN_ROAD.index(stage) + 1])


def _walk(session: Session, case: Case, item: DemoCase, opened_at: datetime, today: date) -> None:
    road = _road_to(item.stage)
    no_violation = item.stage == Stage.CLOSED and not item.tracks
    if no_violation:
        road.remove(Stage.FORWARDED)
    # Spread the steps over the case's age in whole days, each a little later in the office day.
    steps = len(road) + (2 if item.tracks else 0)
    gap = timedelta(days=item.age_days / (steps + 1))
    at = forwarded_at = opened_at
    for k, stage in enumerate(road, start=1):
        at = _office_hours(opened_at, gap * k, k)
        if stage == Stage.REGISTERED:
            case.register_number = next_register_number(session, case.office, case.source, at.date())
        if stage == Stage.MERGED:
            case.merged_into_id = session.scalar(
                select(Case.id).where(Case.office_id == case.office_id, Case.id != case.id).order_by(Case.id))
        if stage == Stage.CLOSED and item.tracks:
            _walk_tracks(session, case, item, forwarded_at=forwarded_at, step=gap / 3)
        move_to(session, case, stage, actor=ACTOR, at=at, reason=_reason(stage, no_violation))
        if stage == Stage.FORWARDED:
            forwarded_at = at
    if item.stage == Stage.FORWARDED:
        _walk_tracks(session, case, item, forwarded_at=forwarded_at, step=gap)
    audit.record(session, actor=ACTOR, action="demo.walked", entity="case", entity_id=case.id, case_id=case.id,
                 after={"stage": case.stage, "tracks": [p.track_stage for p in case.reported]}, at=at)


def _office_hours(start: datetime, offset: timedelta, k: int) -> datetime:
    return start + timedelta(days=round(offset / timedelta(days=1)), minutes=20 * k)


def _walk_tracks(session: Session, case: Case, item: DemoCase, *, forwarded_at: datetime,
                 step: timedelta) -> None:
    body = body_valid_on(session, forwarded_at.date())
    for n, person in enumerate(case.reported):
        target = item.tracks[min(n, len(item.tracks) - 1)]
        at = forwarded_at
        days = max(1, round(step / timedelta(days=1)))
        person.oversight_body = body
        move_track(session, person, TrackStage.OVERSIGHT_REVIEW, actor=ACTOR, at=at,
                   reason=f"Rekomendasi Bawaslu diteruskan ke {body.code}")
        if target in (TrackStage.AGENCY_FOLLOW_UP, TrackStage.SANCTIONED):
            at += timedelta(days=days)
            person.referred_to_agency_at = at
            move_track(session, person, TrackStage.AGENCY_FOLLOW_UP, actor=ACTOR, at=at,
                       reason=f"Rekomendasi {body.code} kepada {person.agency.ppk_title}")
        if target in (TrackStage.SANCTIONED, TrackStage.NOT_PROVEN):
            at += timedelta(days=days)
            move_track(session, person, target, actor=ACTOR, at=at,
                       reason="Keputusan sanksi dicatat" if target == TrackStage.SANCTIONED
                       else f"{body.code}: pelanggaran tidak terbukti")


def _reason(stage: Stage, no_violation: bool) -> str:
    return {
        Stage.INITIAL_REVIEW: "Kajian awal dimulai",
        Stage.AWAITING_COMPLETION: "Pelapor diminta melengkapi syarat formal",
        Stage.NOT_REGISTERED: "Tidak memenuhi syarat formal (daluarsa)",
        Stage.REGISTERED: "Memenuhi syarat formal dan materiel",
        Stage.CLARIFICATION: "Undangan klarifikasi dikirim",
        Stage.STUDY: "Berita acara klarifikasi dicatat",
        Stage.PLENARY: "Kajian selesai, dibawa ke pleno",
        Stage.FORWARDED: "Pleno: pelanggaran netralitas ASN, rekomendasi diteruskan",
        Stage.CLOSED: "Pleno: bukan pelanggaran" if no_violation else "Semua ASN terlapor telah ditindaklanjuti",
        Stage.WITHDRAWN: "Laporan dicabut pelapor sebelum registrasi",
        Stage.MERGED: "Laporan yang sama digabung ke kasus lain",
    }.get(stage, "")
