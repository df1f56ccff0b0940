"""The law corrected (issue 16, item 6), on both databases: the party-membership dismissal cites UU 5/2014 for an
act before 31 October 2023 and UU 20/2023 from that day, in the letter as rendered; a moral sanction and a
discipline penalty recommended and imposed together, the track closing only when both have their decree; a single
sanction through the CLI with its JSON fields as before; the escalation rungs labelled with whose power and basis
on the desk, in both languages; and no rules file says "to verify"."""
import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casework.access.principal import principal_named
from casework.adapters.db import transaction
from casework.cli import cli
from casework.errors import ValidationError
from casework.letters.render import render_draft
from casework.models import Case, utcnow
from casework.reference.timezones import local_today
from casework.road.intake import IntakeInput, ReportedInput, ReporterInput, open_case
from casework.road.sanctions import kinds
from casework.rules import RULES_DIR, violation_basis
from tests.helpers import client_as, invitation
from tests.test_desk import app  # noqa: F401  (the desk fixture, both backends)
from tests.test_letters import pdf_text
from tests.test_sanctions import BKPSDM, HANDLER, HEAD, OVERSIGHT, decree, nip, settings, step  # noqa: F401

OLD, NEW = "UU 5/2014 Ps. 87 ayat (4) huruf c", "UU 20/2023 Ps. 52 ayat (3) huruf j jo. ayat (4)"
PTDH = "pemberhentian_tidak_dengan_hormat"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def forwarded_case(sessions, occurred: date, violation: str, *, people: int = 1,
                   election: str = "pemilu-2024") -> str:
    """A Pemilu case about an act on `occurred`, reported the next day, walked to `forwarded`."""
    received = date.fromordinal(occurred.toordinal() + 1)
    data = IntakeInput(source="laporan", election=election, office="bawaslu-6402", regency="6402",
                       place="Tenggarong", occurred_on=occurred, known_on=occurred, received_on=received,
                       summary="Uji dasar hukum", chronology="Kronologi uji", violations=[violation],
                       reported=[ReportedInput(nip=nip(i + 1), name=f"Terlapor Uji {i + 1}", position="Guru",
                                               agency="pemkab-6402") for i in range(people)],
                       reporter=ReporterInput(name="Pelapor Uji", address="Tenggarong"))
    with transaction(sessions) as session:
        number = open_case(session, data, principal=principal_named(session, HANDLER), at=at(received, 1)).number
    for name, actor, fields in [("begin_review", HANDLER, {}), ("register", HANDLER, {}),
                                ("invite_clarification", HANDLER, invitation(received)),
                                ("record_clarification", HANDLER, {"minutes": "BA"}),
                                ("submit_study", HANDLER, {"conclusion": "Terbukti"}),
                                ("decide_plenary", HEAD, {"outcome": "violation", "reasoning": "Terbukti"}),
                                ("forward", HEAD, {})]:
        step(sessions, number, name, actor, at(received, 3), **fields)
    return number


def words(data: bytes) -> str:
    """The letter's words as read, without the DRAF watermark and with a line-broken word joined again."""
    return " ".join(w for w in pdf_text(data).split() if w not in {"D", "R", "A", "F"}).replace("- ", "-")


# --- no "(to verify)" left in the rules --------------------------------------------------------------------------
def test_no_rules_file_says_to_verify():
    files = sorted(RULES_DIR.glob("*.toml")) + [RULES_DIR / "README.md"]
    assert [f.name for f in files if "to verify" in f.read_text().lower() or "to_verify" in f.read_text()] == []


# --- dismissal: the basis in force on the day of the act -----------------------------------------------------------
def test_the_dismissal_basis_depends_on_the_day_of_the_act():
    ptdh = kinds()[PTDH]
    assert ptdh.basis_on(date(2023, 10, 30)) == OLD and ptdh.basis_on(date(2023, 10, 31)) == NEW
    assert violation_basis("partai.anggota_pengurus", date(2023, 10, 30)) == OLD
    assert violation_basis("partai.anggota_pengurus", date(2024, 2, 1)) == NEW
    # the SKB's social-media act is ethics and heavy discipline; the policy item says so in the user's language
    assert violation_basis("etik.sosialisasi_medsos", date(2024, 2, 1)) == \
        "PP 42/2004 Ps. 11 huruf c; PP 94/2021 Ps. 14 huruf i angka 3–4"
    assert violation_basis("disiplin.tim_kampanye", None, "en") == "Netra policy, no legal basis yet"
    for on, expected in (("2023-10-30", OLD), ("2023-10-31", NEW)):
        out = json.loads(CliRunner().invoke(cli, ["rules", "sanctions", "--on", on, "--json"]).output)
        assert next(r["basis"] for r in out["sanctions"] if r["code"] == PTDH) == expected


@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the rule's date, not the database's: one run
@pytest.mark.parametrize("occurred, cited, not_cited", [(date(2023, 10, 20), OLD, NEW), (date(2023, 11, 6), NEW, OLD)])
def test_the_letters_cite_the_dismissal_basis_of_the_act_s_day(demo_sessions, settings, occurred, cited, not_cited):
    number = forwarded_case(demo_sessions, occurred, "partai.anggota_pengurus")
    with demo_sessions() as session:
        forward = words(render_draft(session, number, "recommendation_to_oversight", base_url="https://netra.test"))
    assert f"Menjadi anggota dan/atau pengurus partai politik ({cited})" in forward and not_cited not in forward
    # the letter's general basis names the ASN law in force on the day of the act, too
    asn_law, repealed_or_later = ("Nomor 5 Tahun 2014", "Nomor 20 Tahun 2023") if cited == OLD else \
        ("Nomor 20 Tahun 2023", "Nomor 5 Tahun 2014")
    assert f"Undang-Undang {asn_law} tentang Aparatur Sipil Negara" in forward and repealed_or_later not in forward
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at(date(2023, 12, 1)), track=nip(1),
         outcome="sanction_recommended", sanction=PTDH)
    with demo_sessions() as session:
        # the table's label "Rekomendasi sanksi" wraps beside the value: read the value without it
        reminder = words(render_draft(session, number, "ppk_reminder", base_url="https://netra.test")) \
            .replace(" sanksi (", " (")
    assert f"Pemberhentian tidak dengan hormat ({cited})" in reminder and not_cited not in reminder


# --- a moral sanction and a discipline penalty together ----------------------------------------------------------
def tracks(sessions, number):
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        return case.stage, {p.nip: (p.track_stage, p.recommended_sanctions, [d.sanction for d in p.decrees],
                                    p.sanction) for p in case.reported}


def test_both_sanctions_are_recommended_and_imposed_and_the_track_closes_only_when_both_are(demo_sessions,
                                                                                             settings):
    heavy = "disiplin.berat.penurunan_jabatan"
    number = forwarded_case(demo_sessions, date(2024, 3, 1), "etik.sosialisasi_medsos")
    with pytest.raises(ValidationError) as same:  # two of a sort: refused, nothing recorded
        step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at(date(2024, 3, 11)),
             track=nip(1), outcome="sanction_recommended", sanction="moral.terbuka", second_sanction="moral.tertutup")
    assert [p.code for p in same.value.problems] == ["sanction.second_same_slot"]
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at(date(2024, 3, 11)), track=nip(1),
         outcome="sanction_recommended", sanction="moral.terbuka", second_sanction=heavy)
    assert tracks(demo_sessions, number)[1][nip(1)][:2] == ("agency_follow_up", ["moral.terbuka", heavy])

    step(demo_sessions, number, "record_sanction", BKPSDM, at(date(2024, 4, 2)), track=nip(1), settings=settings,
         **decree("moral.terbuka"))
    stage, by_nip = tracks(demo_sessions, number)
    assert stage == "forwarded" and by_nip[nip(1)] == \
        ("agency_follow_up", ["moral.terbuka", heavy], ["moral.terbuka"], "moral.terbuka")  # still owed the penalty
    with pytest.raises(ValidationError) as again:  # a second moral decree does not complete it
        step(demo_sessions, number, "record_sanction", BKPSDM, at(date(2024, 4, 2)), track=nip(1), settings=settings,
             **decree("moral.tertutup"))
    assert [p.code for p in again.value.problems] == ["sanction.slot_already_imposed"]

    step(demo_sessions, number, "record_sanction", BKPSDM, at(date(2024, 4, 2)), track=nip(1), settings=settings,
         **decree(heavy, decree_number="800.1.6.3/13/BKPSDM/2024"))
    stage, by_nip = tracks(demo_sessions, number)
    assert stage == "closed" and by_nip[nip(1)] == \
        ("sanctioned", ["moral.terbuka", heavy], ["moral.terbuka", heavy], "moral.terbuka")


# --- a single sanction through the CLI: the options and JSON fields as before ----------------------------------------
def test_a_single_sanction_through_the_cli_keeps_its_options_and_json(demo_engine, demo_sessions, monkeypatch,
                                                                       tmp_path):
    # forwarded two days ago, so to BKN (KASN's login is inactive since BKN took over on 4 Sept 2024)
    number = forwarded_case(demo_sessions, date.fromordinal(date.today().toordinal() - 3), "etik.sosialisasi_medsos",
                            election="simulasi-pemilu")  # the demo's election whose period is now
    monkeypatch.setenv("NETRA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("NETRA_VAR_DIR", str(tmp_path / "var"))
    pdf = tmp_path / "sk.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    def run(*args):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    out = run("case", "step", "record_oversight_recommendation", number, "--actor", "pengawas.bkn", "--track", nip(1),
              "--outcome", "sanction_recommended", "--sanction", "moral.tertutup", "--json")
    assert out["tracks"] == {nip(1): "agency_follow_up"}
    out = run("case", "step", "record_sanction", number, "--actor", BKPSDM, "--track", nip(1),
              "--sanction-level", "moral", "--sanction", "moral.tertutup", "--decree-number", "800/1/BKPSDM",
              # today in Kukar (WITA): the decree follows the recommendation recorded today there
              "--decree-date", local_today("WITA", utcnow()).isoformat(), "--decree-signer-name", "Pejabat Uji",
              "--decree-pdf", str(pdf), "--json")
    assert out["tracks"] == {nip(1): "sanctioned"} and out["stage"] == "closed"
    person = run("case", "show", number, "--json")["reported"][0]
    assert (person["recommended_sanction"], person["sanction"], person["decree_number"]) == \
        ("moral.tertutup", "moral.tertutup", "800/1/BKPSDM")
    assert [r["code"] for r in person["recommended_sanctions"]] == ["moral.tertutup"]
    assert [d["number"] for d in person["decrees"]] == ["800/1/BKPSDM"]


# --- the desk: both sanctions, and whose power each escalation rung is ----------------------------------------------
@pytest.mark.parametrize("backend", ["sqlite"], indirect=False)  # the page's words, not SQL
def test_the_desk_shows_both_sanctions_and_labels_each_rung(app, demo_sessions, settings):  # noqa: F811
    heavy = "disiplin.berat.penurunan_jabatan"
    number = forwarded_case(demo_sessions, date(2024, 3, 1), "etik.sosialisasi_medsos")
    step(demo_sessions, number, "record_oversight_recommendation", OVERSIGHT, at(date(2024, 3, 11)), track=nip(1),
         outcome="sanction_recommended", sanction="moral.terbuka", second_sanction=heavy)
    handler = client_as(app, HANDLER)
    page = handler.get(f"/kasus/{number}").get_data(as_text=True)
    # the next rung, offered with whose power it is and its basis — Netra's policy said so, never "(to verify)"
    assert 'data-next-rung="reminder"' in page and "Bawaslu: surat Bawaslu sendiri" in page
    assert "kebijakan Netra, dasar hukum belum ada" in page and "to verify" not in page
    assert 'data-recommended="moral.terbuka"' in page and f'data-recommended="{heavy}"' in page
    assert "Menunggu SK" in page
    for day in (date(2024, 12, 2), date(2024, 12, 9), date(2024, 12, 16)):  # reminder, warning, block request
        step(demo_sessions, number, "escalate", HANDLER, at(day), track=nip(1))
    page = handler.get(f"/kasus/{number}").get_data(as_text=True)
    assert 'data-rung="block_request"' in page and "BKN: Bawaslu hanya memohon, pemblokiran kewenangan BKN" in page
    assert "Peraturan BKN 1/2023" in page and 'data-next-rung="supervisor_report"' in page
    handler.get("/bahasa/en")
    page = handler.get(f"/kasus/{number}").get_data(as_text=True)
    assert "BKN: Bawaslu only requests it, blocking is BKN&#39;s power" in page
    assert "Netra policy, no legal basis yet" in page and "Awaiting decree" in page


# --- migration 0013: the decrees already recorded become rows ------------------------------------------------------
def test_0013_backfills_one_decree_row_per_recorded_decree(demo_engine):
    from sqlalchemy import text

    from casework.adapters import migrate

    migrate.downgrade(demo_engine, "0010")
    migrate.upgrade(demo_engine)
    with demo_engine.connect() as conn:
        rows = conn.execute(text("SELECT r.id, r.sanction, r.decree_number, d.sanction, d.number FROM reported_asn r "
                                 "JOIN sanction_decrees d ON d.reported_asn_id = r.id ORDER BY r.id")).all()
        # a penalty recorded with its decree (not a non-ASN's institution's answer, nor an annulled penalty: those
        # keep a number but no sanction of rules/sanctions.toml)
        recorded = conn.execute(text("SELECT count(*) FROM reported_asn WHERE decree_number IS NOT NULL "
                                     "AND sanction IS NOT NULL")).scalar()
    assert recorded > 0 and len(rows) == recorded
    assert all((sanction, number) == (row_sanction, row_number) for _, sanction, number, row_sanction, row_number in rows)


def test_a_deadline_started_before_a_correction_shows_the_rule_as_it_reads_now(demo_sessions):
    """Deadline rows keep the explanation they were computed with; the case shows its basis from the rule today:
    an old "(to verify)" never reaches a user, and a policy rule says it is Netra's in the user's language."""
    from casework.models import Deadline
    from casework.road.cases import case_detail
    with transaction(demo_sessions) as session:
        deadline = session.scalar(select(Deadline).where(Deadline.rule_id == "pemilu.completion").limit(1))
        deadline.explanation = {**deadline.explanation, "citation": "Perbawaslu 7/2022 Ps. 22 (to verify)"}
        number = session.get(Case, deadline.case_id).number
    with demo_sessions() as session:
        shown = {lang: [d["citation"] for d in case_detail(session, number, lang=lang)["deadlines"]
                        if d["rule"] == "pemilu.completion"] for lang in ("id", "en")}
    assert shown == {"id": ["kebijakan Netra, dasar hukum belum ada"], "en": ["Netra policy, no legal basis yet"]}
