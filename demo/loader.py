"""Demo data: real institutions and places in Kalimantan, fictitious people; loading twice changes nothing.

Cases go through `intake.open_case` and the workflow commands like any other, so their history, deadlines and
audit trail are what real use produces. Every stage and per-ASN track stage is represented, three times: for an
open stage, one case on time, one near its deadline and one overdue, whichever day the demo is loaded (dates are
placed relative to that day, in the office's time zone).
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

from casework.i18n.dates import indonesian_date
from casework.deadlines.engine import CALENDAR, get_rule, start_for_due
from casework.access.principal import OfficeRef, Principal, operator
from casework.access.principal import Role
from casework.reference.elections import ElectionInput, add_election, schedule_input
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, WitnessInput, open_case
from casework.models import (
    Agency, Case, District, Election, Office, OversightBody, Regency, SigningOfficial, User, utcnow,
)
from casework.road.hearings import code_of, current_hearing, party_options
from casework.models import Role as RoleRow
from casework.reference.sync import sync_reference_data
from casework.rules import violation_catalogue
from casework.road.sanctions import Upload
from casework.road.sanctions import kinds as sanction_kinds
from casework.settings import Settings
from casework.road.stages import CLOSED_TRACKS, TERMINAL_STAGES, Stage, TrackStage
from casework.reference.timezones import local_today, zoneinfo
from casework.road.workflow import COMMANDS, execute

DEMO_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "netra-demo"
ACTOR = "demo-loader"

# Target of each demo variant: the case stage and, once forwarded, the track stages of the reported ASN.
# Three cases per variant (copies 0, 1, 2: on time, near, overdue).
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
    (Stage.DECIDED, ()),  # the plenary decided; the forward is still to be sent
)
# How many days a finished case's history spans (scaled per copy); open cases are placed by their
# deadline instead (see _timeline).
STAGE_AGE = {Stage.RECEIVED: 1, Stage.INITIAL_REVIEW: 2, Stage.AWAITING_COMPLETION: 3, Stage.NOT_REGISTERED: 20,
             Stage.REGISTERED: 4, Stage.CLARIFICATION: 6, Stage.STUDY: 9, Stage.PLENARY: 12, Stage.DECIDED: 13,
             Stage.FORWARDED: 30,
             Stage.CLOSED: 120, Stage.WITHDRAWN: 15, Stage.MERGED: 5}
AGE_SCALE = (1, 2, 4)
REGENCIES = ("6402", "6472", "6471", "6571", "6371", "6302")
COPIES = len(AGE_SCALE)


def _toml(name: str) -> dict[str, Any]:
    with open(DEMO_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def load_demo(session: Session, *, settings: Settings, today: date | None = None) -> dict[str, int]:
    """Load organisations, elections, users and cases that are not there yet. `settings` says where the demo's
    decree PDFs go."""
    today = today or date.today()
    sync_reference_data(session)
    orgs = _toml("organisations.toml")
    _load_offices(session, orgs["offices"])
    _load_agencies(session, orgs["agencies"])
    _load_oversight_addresses(session, orgs.get("oversight_bodies", []))
    _load_elections(session, orgs, today)
    users = _load_users(session, orgs["users"])
    _load_signers(session, orgs.get("signers", []))
    added = _load_cases(session, today, settings)
    _load_information(session)
    from demo.figures import load_figures  # IKP scores and ASN headcounts (issue 21)
    load_figures(session)
    from demo.prevention import load_prevention  # the register of prevention work (issue 21)
    load_prevention(session, settings, today)
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
                           address=spec["address"], email=spec["email"], letter_unit_code=spec["letter_unit_code"],
                           head_name=spec.get("head_name", ""), own_timezone=spec.get("timezone")))
        session.flush()


def _load_agencies(session: Session, specs: list[dict]) -> None:
    for spec in specs:
        if _by_code(session, Agency, spec["code"]):
            continue
        session.add(Agency(code=spec["code"], name=spec["name"], level=spec["level"],
                           province_code=spec.get("province"), regency_code=spec.get("regency"),
                           ppk_title=spec["ppk_title"], ppk_supervisor=spec["ppk_supervisor"],
                           personnel_unit_name=spec["personnel_unit_name"],
                           personnel_unit_email=spec["personnel_unit_email"], ppk_email=spec.get("ppk_email", ""),
                           city=spec["city"]))
    session.flush()


def _load_oversight_addresses(session: Session, specs: list[dict]) -> None:
    """The oversight bodies' inboxes (fictitious), where the directory has none yet."""
    for spec in specs:
        body = _by_code(session, OversightBody, spec["code"])
        if body is not None and not body.email:
            body.email = spec["email"]
    session.flush()


# The simulated elections' dates, in days from the day the demo is loaded: the period covers the oldest demo case
# (a closed one, about 520 days back) and its campaign is running on the day the demo is loaded.
SIMULATED_PERIOD = {"starts_on": -560, "ends_on": 120, "voting_day": 14}
SIMULATED_STAGES = {"campaign": (-60, 10), "quiet": (11, 13), "counting": (14, 30)}


def _load_elections(session: Session, orgs: dict, today: date) -> None:
    """The real Pilkada 2024 of the demo's regions and the simulated elections the cases sit in, through the same
    checks as the administrator's form (casework.reference.elections.add_election)."""
    loader = operator(ACTOR)
    for spec in orgs["elections"]:
        if not _by_code(session, Election, spec["code"]):
            add_election(session, schedule_input(spec["schedule"], code=spec["code"], election_name=spec["name"],
                                                 province=spec.get("province"), regency=spec.get("regency")),
                         principal=loader)
    day = {key: today + timedelta(days=offset) for key, offset in SIMULATED_PERIOD.items()}
    for spec in orgs["simulated"]:
        if not _by_code(session, Election, spec["code"]):
            add_election(session, ElectionInput(
                code=spec["code"], kind=spec["kind"], name=spec["name"], province=spec.get("province"),
                regency=spec.get("regency"), basis="Simulasi untuk data demo (bukan pemilihan sungguhan)",
                stages={code: (today + timedelta(days=a), today + timedelta(days=b))
                        for code, (a, b) in SIMULATED_STAGES.items()}, **day), principal=loader)
    session.flush()


def _load_signers(session: Session, specs: list[dict]) -> None:
    """The offices' signing officials (fictitious): those listed, and every other office's head_name as its head."""
    have = {(o.office_id, o.name) for o in session.scalars(select(SigningOfficial))}
    for spec in specs:
        office = _by_code(session, Office, spec["office"])
        if (office.id, spec["name"]) in have:
            continue
        user = session.scalar(select(User).where(User.username == spec["user"])) if "user" in spec else None
        session.add(SigningOfficial(office_id=office.id, name=spec["name"], title=spec["title"],
                                    acting=spec.get("acting", False), user_id=user.id if user else None,
                                    signs_as=spec.get("signs_as", "ttd")))
        have.add((office.id, spec["name"]))
    signing = {office_id for office_id, _ in have}
    for office in session.scalars(select(Office).order_by(Office.id)):
        if office.id not in signing and office.head_name:
            session.add(SigningOfficial(office_id=office.id, name=office.head_name, title=office.head_title,
                                        acting=False))
    session.flush()


# initial information waiting in Kutai Kartanegara's inbox (fictitious senders; the WhatsApp one names its photo,
# not fetched: a demo has no WhatsApp account)
DEMO_INFORMATION = [
    {"channel": "whatsapp", "external_id": "demo-wamid-1", "sender_name": "Rina Contoh",
     "sender_contact": "+6281200000001",
     "body": "Selamat pagi Bawaslu. Tadi pagi di Kecamatan Tenggarong ada kepala sekolah yang mengajak guru-guru "
             "memakai kaos bergambar salah satu pasangan calon saat apel.",
     "media": [{"id": "demo-media-1", "mime": "image/jpeg", "name": ""}]},
    {"channel": "web", "external_id": "demo-web-1", "sender_name": "", "sender_contact": "",
     "subject": "Camat hadir di acara deklarasi",
     "body": "Seorang camat terlihat memberi sambutan di acara deklarasi dukungan pasangan calon di balai desa."},
]


def _load_information(session: Session) -> None:
    from casework.inbox.items import receive

    office = _by_code(session, Office, "bawaslu-6402")
    regency = session.get(Regency, "6402")
    for spec in DEMO_INFORMATION:
        receive(session, office=office, regency=regency, **spec)


def _demo_password_hash() -> str:
    """The demo logins' shared, published password, hashed once with argon2id at its lowest cost: a hash protects
    a secret, and this one is printed in the README, so the production cost (about 0.1 s of a core for every
    login: casework.accounts.passwords) would buy nothing. Every other account is hashed at full cost."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEMO_PASSWORD)


def _load_users(session: Session, specs: list[dict]) -> int:
    roles = {r.code: r for r in session.scalars(select(RoleRow))}
    demo_hash = _demo_password_hash()
    for spec in specs:
        if session.scalar(select(User).where(User.username == spec["username"])):
            continue
        user = User(username=spec["username"], full_name=spec["full_name"],
                    email=f"{spec['username']}@demo.netra.test", password_hash=demo_hash,
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
    agencies: tuple[str, ...] = ()  # the reported ASN's agencies (default: chosen by index)
    names: tuple[str, ...] = ()  # their names (default: drawn from people.toml)
    kinds: tuple[str, ...] = ()  # who they are (rules/person_kinds.toml; default: ASN)


# Cases the access rules are tried on (README: "Demo"): one forwarded case in Kukar whose two reported ASN belong to
# two agencies, each referred to its own PPK; and one whose two reported ASN share a name, one of them found not
# proven — each BKPSDM sees its own employee only, never the other's outcome or reason.
SHARED_CASES = (
    ((TrackStage.AGENCY_FOLLOW_UP, TrackStage.AGENCY_FOLLOW_UP), ("pemkab-6402", "pemprov-64"), ()),
    ((TrackStage.NOT_PROVEN, TrackStage.AGENCY_FOLLOW_UP), ("pemprov-64", "pemkab-6402"),
     ("Budi Santoso", "Budi Santoso")),
    # the other endings of BKN's count (rules/track_outcomes.toml): one rejected beside one still with the PPK; one
    # cancelled and one who left the service, which closes that case (two people each: a receipt stays one page)
    # ... and the first also has a criminal part with the police, the second one declared and still to forward
    # (casework.road.criminal)
    ((TrackStage.REJECTED, TrackStage.AGENCY_FOLLOW_UP), ("pemkab-6402", "pemprov-64"), ()),
    ((TrackStage.CANCELLED, TrackStage.LEFT_SERVICE), ("pemkab-6402", "pemkab-6402"), ()),
    # objection and appeal (casework.road.appeals): one sanctioned with an objection awaiting its decision, one
    # whose penalty was annulled on objection
    ((TrackStage.SANCTIONED, TrackStage.SANCTION_ANNULLED), ("pemkab-6402", "pemkab-6402"), ()),
    # people who are not ASN (rules/person_kinds.toml): a village head whose bupati has not answered yet, and a
    # soldier whose commander imposed a sanction — each forwarded to their own institution
    ((TrackStage.BODY_FOLLOW_UP, TrackStage.SANCTIONED), ("pemkab-6402", "kodim-0906"), (),
     ("village_head", "tni")),
)


CRIMINAL_CASE = (TrackStage.REJECTED, TrackStage.AGENCY_FOLLOW_UP)
# what the demo's head types as the offence (Netra does not choose it): as issue 18 names them
DEMO_ARTICLES = {"pemilu": "UU 7/2017 Ps. 494", "pilkada": "UU 10/2016 Ps. 71 ayat (1) jo. Ps. 188"}


def demo_case_plan() -> list[DemoCase]:
    plan = []
    for v, (stage, tracks) in enumerate(VARIANTS):
        for copy in range(COPIES):
            index = v * COPIES + copy
            # the on-time and overdue copies of every variant are in Kukar, whose office has the demo logins: its
            # handler and head find work at every stage; the near-deadline copies go round the other regencies
            regency = REGENCIES[0] if copy != 1 else REGENCIES[1 + v % (len(REGENCIES) - 1)]
            plan.append(DemoCase(ref=f"demo-{index + 1:03d}", index=index, regency=regency, stage=stage,
                                 tracks=tracks, age_days=STAGE_AGE[stage] * AGE_SCALE[copy] + copy))
    for tracks, agencies, names, *kinds in SHARED_CASES:
        index = len(plan)
        stage = Stage.CLOSED if set(tracks) <= CLOSED_TRACKS else Stage.FORWARDED  # the last track closes it
        plan.append(DemoCase(ref=f"demo-{index + 1:03d}", index=index, regency="6402", stage=stage,
                             tracks=tracks, age_days=STAGE_AGE[stage], agencies=agencies, names=names,
                             kinds=kinds[0] if kinds else ()))
    return plan


def _load_cases(session: Session, today: date, settings: Settings | None = None) -> int:
    people = _toml("people.toml")
    existing = set(session.scalars(select(Case.external_ref).where(Case.external_ref.like("demo-%"))))
    added = 0
    for item in demo_case_plan():
        if item.ref in existing:
            continue
        _create_case(session, item, people, today, settings)
        added += 1
    return added


def _election_for(session: Session, item: DemoCase) -> Election:
    """Alternate the simulated Pemilu and the simulated Pilkada of the regency (or of its province)."""
    if item.index % 2 == 0:
        return _by_code(session, Election, "simulasi-pemilu")
    return (_by_code(session, Election, f"simulasi-pilkada-{item.regency}")
            or _by_code(session, Election, f"simulasi-pilkada-{item.regency[:2]}"))


def two_reported(item: DemoCase) -> bool:
    """Every fourth case names a second ASN from another agency; so does the first copy of the decided and the
    forwarded-to-review variants, where the plenary finds only the first in violation (_script)."""
    if item.agencies:
        return len(item.agencies) == 2
    split = item.stage == Stage.DECIDED or item.tracks == (TrackStage.OVERSIGHT_REVIEW,)
    return item.index % 4 == 3 or split and item.index % COPIES == 0


def reported_count(item: DemoCase) -> int:
    """How many reported ASN the item's case names (_agencies_for)."""
    return len(item.agencies) if item.agencies else 1 + two_reported(item)


def _agencies_for(session: Session, item: DemoCase) -> list[Agency]:
    if item.agencies:
        return [_by_code(session, Agency, code) for code in item.agencies]
    local = session.scalar(select(Agency).where(Agency.regency_code == item.regency))
    if two_reported(item):
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


KIND_POSITIONS = {"village_head": "Kepala Desa", "village_official": "Sekretaris Desa",
                  "tni": "Bintara Pembina Desa", "polri": "Bhabinkamtibmas", "other": "Tenaga pendamping"}


def _fake_identifier(rng: random.Random, kind: str) -> str:
    """A fictitious NIK (East Kalimantan, Kutai Kartanegara) or NRP of the right shape."""
    if kind in ("tni", "polri"):
        return f"{rng.randint(10_000_000, 99_999_999)}"
    born = date(rng.randint(1966, 1994), rng.randint(1, 12), rng.randint(1, 28))
    return f"640201{born.day + 40 * rng.randint(0, 1):02d}{born:%m%y}{rng.randint(1, 9999):04d}"


def _create_case(session: Session, item: DemoCase, people: dict, today: date,
                 settings: Settings | None = None) -> Case:
    rng = random.Random(item.index * 7919 + 17)
    office = _by_code(session, Office, f"bawaslu-{item.regency}")
    election = _election_for(session, item)
    districts = session.scalars(select(District).where(District.regency_code == item.regency)
                                .order_by(District.code)).all()
    district = districts[item.index % len(districts)]
    violations = rng.sample(sorted(people["acts"]), k=1 + (item.index % 3 == 0))
    # a finding (temuan) cannot be asked to complete, so those variants are always reports
    source = "temuan" if item.index % 5 == 2 and item.stage != Stage.AWAITING_COMPLETION else "laporan"
    agencies = _agencies_for(session, item)
    actions = _script(item, election.kind, len(agencies))
    moments = _timeline(item, actions, local_today(office.timezone, utcnow()))
    received = local_today(office.timezone, moments[0])  # the office's date of it: after 16:00 UTC, WITA's is the next
    known = received - timedelta(days=rng.randint(0, 2))
    occurred = known - timedelta(days=rng.randint(0, 2))
    reported = []
    for n, agency in enumerate(agencies):
        position = rng.choice(people["positions"])
        drawn = f"{rng.choice(people['given_names'])} {rng.choice(people['family_names'])}"
        kind = item.kinds[n] if item.kinds else "asn"
        if kind != "asn":  # identified by NIK or NRP, in the position of their kind
            reported.append(ReportedInput(
                nip=_fake_identifier(rng, kind), name=item.names[n] if item.names else drawn,
                position=KIND_POSITIONS[kind], agency=agency.code, work_unit=agency.name, person_kind=kind,
                village=f"Desa {district.name.title()}" if kind.startswith("village") else ""))
            continue
        reported.append(ReportedInput(
            nip=_fake_nip(rng, today), name=item.names[n] if item.names else drawn,
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
    case = open_case(session, data, principal=_staff(office, "bawaslu_handler"), at=moments[0])
    for action, at in zip(actions[1:], moments[1:], strict=True):  # actions[0] is the intake itself
        _apply(session, case, action, at, settings)
    return case


# --- the demo's walk down the road, through the same commands the desk uses ------------------------------------
@dataclass(frozen=True)
class Action:
    command: str
    fields: tuple[tuple[str, Any], ...] = ()
    track: int | None = None  # index of the reported ASN for track commands
    anchor: str | None = None  # rule whose deadline this step starts, when it is the one the demo aims at


SANCTION_FOR = {"ethics": "moral.terbuka", "discipline": "disiplin.sedang.potong_tpk_6",
                "party": "pemberhentian_tidak_dengan_hormat"}


def _script(item: DemoCase, kind: str, n_reported: int) -> list[Action]:
    """The commands that take a new case to the item's target stage; `anchor` marks the step that starts the
    deadline still open at the end (its date is chosen so that deadline is on time, near or overdue)."""
    pemilu = kind == "pemilu"
    stage = item.stage
    intake_anchor = "pemilu.initial_review" if pemilu else "pilkada.decision"
    steps: list[Action] = []
    if stage == Stage.RECEIVED:
        return [Action("_intake", anchor=intake_anchor)]
    if stage == Stage.MERGED:
        return [Action("_intake"), Action("merge", (("into", "_target"),))]
    steps = [Action("_intake", anchor=intake_anchor), Action("begin_review")]
    if stage == Stage.INITIAL_REVIEW:
        return steps
    if stage == Stage.AWAITING_COMPLETION:
        return [Action("_intake"), Action("begin_review"),
                Action("request_completion", (("missing", "Alamat lengkap pelapor dan bukti asli"),),
                       anchor=f"{kind}.completion")]
    if stage == Stage.NOT_REGISTERED:
        return steps + [Action("decline_registration", (("reason", "late"),))]
    if stage == Stage.WITHDRAWN:
        return steps + [Action("withdraw", (("reason", "Laporan dicabut pelapor sebelum registrasi"),))]

    if pemilu:
        steps[0] = Action("_intake")
    steps.append(Action("register", anchor="pemilu.decision" if pemilu else None))
    road = [(Stage.CLARIFICATION, Action("invite_clarification", (
                ("hearing_date", "_today"), ("hearing_time", "09:00"), ("hearing_place", "_office"),
                ("invitees", "_everyone")))),
            (Stage.STUDY, Action("record_clarification", (("minutes", "Berita acara klarifikasi terlapor dan saksi"),
                                                          ("attended", "_everyone")))),
            (Stage.PLENARY, Action("submit_study", (("conclusion", "Unsur pelanggaran netralitas terpenuhi"),)))]
    for reached, action in road:
        if stage == Stage.REGISTERED:
            break
        steps.append(action)
        if stage == reached:
            if stage == Stage.STUDY and item.index % COPIES == 2:
                steps.append(Action("extend_study", (("reason", "Menunggu keterangan instansi"),)))
                # aim at the extended deadline, which is the one left open
                steps = [Action(a.command, a.fields, a.track, f"{a.anchor}_extended" if a.anchor else None)
                         for a in steps]
            return steps
    if stage == Stage.REGISTERED:
        return steps
    if stage == Stage.CLOSED and not item.tracks:
        return steps + [Action("decide_plenary", (("outcome", "not_violation"),
                                                  ("reasoning", "Unsur keberpihakan tidak terbukti")))]
    steps[0] = Action("_intake")
    steps = [Action(a.command, a.fields, a.track) for a in steps]  # the open deadline is now on the tracks
    # with two reported ASN and no track beyond the oversight body's review, the plenary finds the first in
    # violation and the second not (only the first is forwarded): the per-person decision, shown in the demo
    split = n_reported > 1 and set(item.tracks) <= {TrackStage.OVERSIGHT_REVIEW}
    steps.append(Action("decide_plenary", ((("outcomes", "_split"),) if split else (("outcome", "violation"),))
                        + (("reasoning", "Terbukti melanggar netralitas ASN"),)))
    if stage == Stage.DECIDED:
        return steps
    steps.append(Action("forward", anchor="oversight.recommendation"
                        if set(item.tracks) == {TrackStage.OVERSIGHT_REVIEW} else None))
    # with fewer ASN than track targets, keep the last targets (so a mixed case stays open)
    targets = list(item.tracks[-n_reported:]) + [item.tracks[-1]] * max(0, n_reported - len(item.tracks))
    for n, target in enumerate(targets):
        if item.kinds and item.kinds[n] != "asn":  # forwarded to their own institution, which answers (or not yet)
            if target == TrackStage.SANCTIONED:
                steps.append(Action("record_body_outcome", (
                    ("outcome", "sanctioned"), ("answer_reference", "B/112/XI/2026 (demo)"),
                    ("action", "Hukuman disiplin: teguran tertulis")), track=n))
            continue
        if target == TrackStage.OVERSIGHT_REVIEW:
            continue
        if target == TrackStage.NOT_PROVEN:
            steps.append(Action("record_oversight_recommendation", (
                ("outcome", "not_proven"),
                ("reason", "Bukti tidak cukup: unggahan tidak dapat dipastikan berasal dari akun terlapor")), track=n))
            continue
        if target in (TrackStage.REJECTED, TrackStage.CANCELLED):
            steps.append(Action("record_oversight_recommendation", (("outcome", target.value), (
                "reason", "Di luar kewenangan badan pengawas: terlapor tenaga honorer, bukan ASN"
                if target == TrackStage.REJECTED else "Diteruskan dua kali; penanganan digabung pada berkas pertama")),
                track=n))
            continue
        steps.append(Action("record_oversight_recommendation", (("outcome", "sanction_recommended"),
                                                                ("sanction", "_default")), track=n,
                            anchor="agency.follow_up" if target == TrackStage.AGENCY_FOLLOW_UP else None))
        if target in (TrackStage.SANCTIONED, TrackStage.SANCTION_ANNULLED):
            steps.append(Action("record_sanction", (
                ("sanction_level", "_default"), ("sanction", "_default"), ("decree_number", "_decree"),
                ("decree_date", "_today"), ("effective_from", "_today"), ("decree_signer_name", "_signer"),
                ("decree_pdf", "_pdf")), track=n))
            if TrackStage.SANCTION_ANNULLED in item.tracks:  # the employee objects; one objection is annulled
                steps.append(Action("record_appeal", (("note", "Terlapor menyatakan keberatan (demo)"),), track=n))
            if target == TrackStage.SANCTION_ANNULLED:
                steps.append(Action("record_appeal_decision", (
                    ("outcome", "annulled"), ("decision_number", "800/KBR/_case/2026"),
                    ("note", "Pemeriksaan tidak memberi kesempatan membela diri (demo)")), track=n))
        elif target == TrackStage.LEFT_SERVICE:  # recommended, then the BKPSDM says the person has retired
            steps.append(Action("record_left_service", (("left_reason", "retired"),
                                                        ("note", "SK pensiun 800/415/BKPSDM (demo)")), track=n))
        elif item.tracks == (TrackStage.AGENCY_FOLLOW_UP,) and item.index % COPIES == 2:
            steps.append(Action("escalate", (("note", "PPK belum menindaklanjuti rekomendasi"),), track=n))
    if item.tracks == CRIMINAL_CASE:  # the criminal part beside the road: one with the police, one still to forward
        declare = (("declared_time", "_now"), ("article", "_article"),
                   ("reasoning", "Sentra Gakkumdu: terlapor ikut serta sebagai pelaksana kampanye (demo)"))
        steps += [Action("declare_crime", declare, track=0), Action("forward_to_police", (("sent_time", "_now"),),
                                                                     track=0),
                  Action("declare_crime", declare, track=1)]
    return steps


def _timeline(item: DemoCase, actions: list[Action], today: date) -> list[datetime]:
    """One moment per action (intake first): the anchored step on the day that puts its deadline on time
    (copy 0), near (copy 1) or overdue (copy 2); steps before it a day apart, steps after it up to today.
    A case that has ended gets a history spread over past months instead."""
    ended = item.stage in TERMINAL_STAGES
    anchors = [] if ended else [i for i, a in enumerate(actions) if a.anchor]
    n = len(actions)
    if anchors:
        a = anchors[-1]
        rule = get_rule(actions[a].anchor)
        copy = item.index % COPIES
        if copy == 0:
            anchor_day = today
        elif copy == 1:
            near = today
            while rule.day_kind == "working" and CALENDAR.skip_reason(near):
                near += timedelta(days=1)
            anchor_day = start_for_due(rule, near)
        else:
            anchor_day = start_for_due(rule, today - timedelta(days=3))
    else:  # a finished case: spread its whole life over the past months
        a, anchor_day = 0, today - timedelta(days=item.age_days + 30)
    days = [anchor_day - timedelta(days=a - i) for i in range(a)] + [anchor_day]
    after = n - 1 - a
    span = (today - anchor_day).days if anchors else item.age_days
    days += [anchor_day + timedelta(days=round(span * k / (after + 1 if not anchors else after or 1)))
             for k in range(1, after + 1)]
    now = utcnow()
    moments = []
    for i, day in enumerate(days):  # 01:00 UTC = 08:00 WIB / 09:00 WITA / 10:00 WIT; never in the future
        latest = now - timedelta(minutes=2 * (n - i))
        moments.append(min(datetime.combine(day, time(1, 0), UTC) + timedelta(minutes=15 * i), latest))
    return moments


def _staff(office: Office, role: str) -> Principal:
    """The handling office's handler or head (a demo login where there is one, e.g. penangan.kukar): the demo acts
    through the same access rules as the desk."""
    area = office.code.removeprefix("bawaslu-")
    name = {"bawaslu_handler": "penangan", "bawaslu_head": "ketua"}[role]
    return Principal(f"{name}.{DEMO_AREA_NAMES.get(area, area)}", frozenset({Role(role)}), OfficeRef.of(office))


DEMO_AREA_NAMES = {"6402": "kukar", "64": "kaltim", "ri": "ri"}


def _apply(session: Session, case: Case, action: Action, at: datetime, settings: Settings | None = None) -> None:
    fields = dict(action.fields)
    person = case.reported[action.track] if action.track is not None else None
    if fields.get("into") == "_target":  # a duplicate is merged into a case of the same office
        fields["into"] = session.scalar(
            select(Case.number).where(Case.office_id == case.office_id, Case.id != case.id,
                                      Case.stage.in_(OPEN_BEFORE_FORWARD)).order_by(Case.id).limit(1))
    if fields.get("outcomes") == "_split":
        fields["outcomes"] = {p.nip: {"outcome": "violation" if n == 0 else "not_violation"}
                              for n, p in enumerate(case.reported)}
    if fields.get("sanction") == "_default":
        category = violation_catalogue()[case.violations[0].code]["category"]
        fields["sanction"] = SANCTION_FOR[category]
        if fields.get("sanction_level") == "_default":
            fields["sanction_level"] = sanction_kinds()[fields["sanction"]].level
    if isinstance(fields.get("decision_number"), str):
        fields["decision_number"] = fields["decision_number"].replace("_case", f"{case.id:03d}")
    if fields.get("decree_number") == "_decree":
        fields["decree_number"] = f"800.1.6.3/{case.id:03d}/BKPSDM/{at.year}"
    for name in ("decree_date", "effective_from", "hearing_date"):
        if fields.get(name) == "_today":
            fields[name] = local_today(case.office.timezone, at)
    if fields.get("article") == "_article":  # the offence an ASN commits by taking sides, per election law
        fields["article"] = DEMO_ARTICLES[case.election.kind]
    for name in ("declared_time", "sent_time"):  # the act's own hour: when the demo takes it, office time
        if fields.get(name) == "_now":
            fields[name] = at.astimezone(zoneinfo(case.office.timezone)).strftime("%H:%M")
    if fields.get("hearing_place") == "_office":
        fields["hearing_place"] = f"Kantor {case.office.short_name}, {case.office.address}"
    if fields.get("invitees") == "_everyone":  # the reported ASN, the reporter and the witnesses
        fields["invitees"] = [code for code, _, _ in party_options(case)]
    if fields.get("attended") == "_everyone":
        fields["attended"] = [code_of(i) for i in current_hearing(session, case).invitees]
    if fields.get("decree_signer_name") == "_signer":
        fields["decree_signer_name"] = "Pejabat Penanda Tangan (demo)"
    if fields.get("decree_pdf") == "_pdf":
        fields["decree_pdf"] = Upload(f"SK-{case.number}.pdf", demo_decree_pdf(fields["decree_number"]))
    cmd = COMMANDS[action.command]
    role = sorted(cmd.roles - {"system"})[0]
    if role in ("bawaslu_handler", "bawaslu_head"):
        principal = _staff(case.office, role)
    elif role == "oversight_officer":
        principal = Principal("pengawas.bkn", frozenset({Role.OVERSIGHT_OFFICER}),
                              oversight_body_id=person.oversight_body_id)
    else:
        principal = Principal(f"bkpsdm.{person.agency.code}", frozenset({Role.BKPSDM_OFFICER}),
                              agency_id=person.agency_id)
    execute(session, action.command, case_number=case.number, principal=principal, expected_version=case.version,
            at=at, track=person.nip if person else None, settings=settings, fields=fields,
            notify=False)  # backdated history: nobody is to be told today of a step "taken" months ago


OPEN_BEFORE_FORWARD = (Stage.RECEIVED, Stage.INITIAL_REVIEW, Stage.REGISTERED, Stage.CLARIFICATION, Stage.STUDY)


def demo_decree_pdf(number: str, title: str = "KEPUTUSAN") -> bytes:
    """A one-page PDF standing in for a decree (SK) — or another signed document, by `title` — in the demo:
    fictitious, marked as such."""
    text = f"{title} (CONTOH FIKTIF / DEMO) Nomor {number}".replace("(", "[").replace(")", "]")
    content = f"BT /F1 12 Tf 60 780 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
