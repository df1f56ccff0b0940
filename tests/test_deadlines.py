"""The deadline engine, with dates checked by hand against the 2024/25 calendar (SKB cuti bersama 2024/2025)."""
import json
from datetime import date, datetime, timedelta, UTC

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import rules
from casework.cli import cli
from casework.deadlines.engine import CALENDAR, HolidayCalendar, all_rules, compute, get_rule, start_for_due
from casework.errors import CaseworkError

D = date.fromisoformat


@pytest.mark.parametrize("rule, start, zone, due, skipped", [
    # Idul Fitri 2024: 10-11 Apr, cuti bersama 8, 9, 12 and 15 Apr. Wed 3 Apr + 7 working days = Mon 22 Apr.
    ("pemilu.decision", "2024-04-03", "WITA", "2024-04-22",
     ["2024-04-06", "2024-04-07", "2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12",
      "2024-04-13", "2024-04-14", "2024-04-15", "2024-04-20", "2024-04-21"]),
    # Pemilu day, Wed 14 Feb 2024, is a national holiday: Tue 13 Feb + 2 working days = Fri 16 Feb.
    ("pemilu.initial_review", "2024-02-13", "WIB", "2024-02-16", ["2024-02-14"]),
    # Isra Mikraj Thu 8 Feb, cuti bersama Imlek Fri 9 Feb, weekend, Pemilu Wed 14 Feb: Wed 7 Feb + 7 = Wed 21 Feb.
    ("pemilu.report_window", "2024-02-07", "WIB", "2024-02-21",
     ["2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-14", "2024-02-17", "2024-02-18"]),
    # Pilkada day Wed 27 Nov 2024 is a holiday, but Pilkada rules count calendar days: 26 Nov + 3 = 29 Nov.
    ("pilkada.decision", "2024-11-26", "WITA", "2024-11-29", []),
    # ... whereas a working-day rule skips it: Tue 26 Nov + 2 working days = Fri 29 Nov (27 Nov skipped).
    ("pemilu.initial_review", "2024-11-26", "WITA", "2024-11-29", ["2024-11-27"]),
    # Christmas 25 Dec, cuti bersama 26 Dec 2024, new year 1 Jan 2025. Fri 20 Dec + 7 working days = Fri 3 Jan.
    ("pemilu.decision", "2024-12-20", "WIT", "2025-01-03",
     ["2024-12-21", "2024-12-22", "2024-12-25", "2024-12-26", "2024-12-28", "2024-12-29", "2025-01-01"]),
    # A calendar-day Pilkada rule across a weekend: Fri 29 Nov 2024 + 3 = Mon 2 Dec, nothing skipped.
    ("pilkada.decision", "2024-11-29", "WIT", "2024-12-02", []),
    ("pilkada.decision_extended", "2024-11-29", "WIB", "2024-12-04", []),
    # Extended Pemilu decision: Mon 5 Feb 2024 + 14 working days = Wed 28 Feb.
    ("pemilu.decision_extended", "2024-02-05", "WIB", "2024-02-28",
     ["2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-14", "2024-02-17", "2024-02-18",
      "2024-02-24", "2024-02-25"]),
])
def test_hand_checked_due_dates(rule, start, zone, due, skipped):
    result = compute(rule, D(start), zone)
    assert result.due_date == D(due)
    assert [d.isoformat() for d, _ in result.skipped] == skipped


def test_due_moment_is_end_of_day_in_the_office_zone():
    offsets = {"WIB": 7, "WITA": 8, "WIT": 9}
    for zone, hours in offsets.items():
        due = compute("pilkada.decision", D("2024-11-29"), zone).due_at
        assert due.utcoffset() == timedelta(hours=hours)
        assert (due.hour, due.minute, due.second) == (23, 59, 59)
    # the same moment is a different instant in Papua (WIT) and in Jakarta (WIB)
    wit = compute("pilkada.decision", D("2024-11-29"), "WIT").due_at
    wib = compute("pilkada.decision", D("2024-11-29"), "WIB").due_at
    assert wib - wit == timedelta(hours=2)
    assert wit.astimezone(UTC) == datetime(2024, 12, 2, 14, 59, 59, tzinfo=UTC)


def test_every_result_explains_itself():
    result = compute("pemilu.initial_review", D("2024-02-13"), "WIB")
    explanation = result.explanation()
    assert explanation["citation"] == "Perbawaslu 7/2022 Ps. 15 ayat (1)"
    assert explanation["basis"] == "statute" and explanation["day_kind"] == "working"
    assert explanation["skipped"] == [{"date": "2024-02-14", "reason": "Hari Pemilihan Umum"}]
    assert get_rule("agency.follow_up").basis == "policy"


def test_reminders_default_to_h3_h1_h0_at_eight_local_time():
    result = compute("pemilu.decision", D("2024-04-03"), "WITA")
    assert [m.isoformat() for m in result.reminder_moments()] == [
        "2024-04-19T08:00:00+08:00", "2024-04-21T08:00:00+08:00", "2024-04-22T08:00:00+08:00"]


def test_every_rule_of_domain_md_is_in_the_data():
    assert set(all_rules()) >= {
        "pemilu.report_window", "pemilu.finding_window", "pemilu.initial_review", "pemilu.completion",
        "pemilu.decision", "pemilu.decision_extended", "pilkada.report_window", "pilkada.decision",
        "pilkada.decision_extended", "oversight.recommendation", "agency.follow_up", "escalation.repeat",
        "criminal.forward_pemilu"}
    for rule in all_rules().values():
        assert rule.citation and rule.basis in ("statute", "policy")
        assert rule.day_kind in ("working", "calendar", "hours")


def test_an_hour_rule_counts_hours_from_the_moment_in_the_office_zone():
    """The criminal forward: 1 x 24 hours from the declaration's moment (UU 7/2017 Ps. 476 ayat (1)), not to the
    end of a day; a weekend or holiday is not skipped, and the moment is needed."""
    from datetime import datetime

    from casework.reference.timezones import zoneinfo

    declared = datetime(2024, 3, 8, 21, 15, tzinfo=zoneinfo("WIT"))  # a Friday evening in Papua
    result = compute("criminal.forward_pemilu", declared.date(), "WIT", start_at=declared)
    assert result.due_at == datetime(2024, 3, 9, 21, 15, tzinfo=zoneinfo("WIT")) and result.due_date == date(2024, 3, 9)
    assert result.explanation()["day_kind"] == "hours" and result.skipped == ()
    with pytest.raises(ValueError):
        compute("criminal.forward_pemilu", declared.date(), "WIT")


def test_editing_the_rules_file_changes_the_dates(tmp_path, monkeypatch):
    """No rule lives in code: edit the length in (a copy of) the rules file and the date moves."""
    import shutil

    from casework.deadlines import engine as deadlines
    for source in rules.RULES_DIR.glob("*.toml"):
        shutil.copy(source, tmp_path / source.name)
    edited = (tmp_path / "deadlines.toml").read_text().replace(
        '[rules."pemilu.decision"]\nstart_event = "registered"\nlength = 7',
        '[rules."pemilu.decision"]\nstart_event = "registered"\nlength = 8')
    assert "length = 8" in edited
    (tmp_path / "deadlines.toml").write_text(edited)
    monkeypatch.setattr(rules, "RULES_DIR", tmp_path)
    rules.load.cache_clear()
    deadlines.all_rules.cache_clear()
    try:
        assert compute("pemilu.decision", D("2024-04-03"), "WITA").due_date == D("2024-04-23")
    finally:
        monkeypatch.undo()
        rules.load.cache_clear()
        deadlines.all_rules.cache_clear()
    assert compute("pemilu.decision", D("2024-04-03"), "WITA").due_date == D("2024-04-22")


def test_per_year_corrections_add_and_remove_days(monkeypatch):
    from casework.deadlines import engine as deadlines
    corrections = {"add": [{"date": D("2024-04-16"), "name": "Cuti bersama tambahan (uji)"}],
                   "remove": [{"date": D("2024-04-15")}]}
    real = deadlines.load
    monkeypatch.setattr(deadlines, "load", lambda name: corrections if name == "holidays" else real(name))
    calendar = HolidayCalendar()
    assert calendar.skip_reason(D("2024-04-16")) == "Cuti bersama tambahan (uji)"
    assert calendar.skip_reason(D("2024-04-15")) is None
    result = compute("pemilu.initial_review", D("2024-04-12"), "WIB", calendar)
    assert result.due_date == D("2024-04-17")  # Mon 15 is now a working day, Tue 16 is not


# --- properties ---------------------------------------------------------------------------------------------------
starts = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))
working_rules = [r for r in all_rules().values() if r.day_kind == "working"]
calendar_rules = [r for r in all_rules().values() if r.day_kind == "calendar"]
zones = st.sampled_from(["WIB", "WITA", "WIT"])


@given(st.sampled_from(working_rules), starts, zones)
def test_a_working_day_deadline_never_falls_on_a_skipped_day(rule, start, zone):
    result = compute(rule, start, zone)
    assert CALENDAR.skip_reason(result.due_date) is None
    counted = [start + timedelta(days=i) for i in range(1, (result.due_date - start).days + 1)]
    assert len([d for d in counted if not CALENDAR.skip_reason(d)]) == rule.length
    assert [d for d, _ in result.skipped] == [d for d in counted if CALENDAR.skip_reason(d)]


@given(st.sampled_from(list(all_rules().values())), starts, st.integers(min_value=1, max_value=30))
def test_a_longer_length_is_never_earlier(rule, start, extra):
    from dataclasses import replace
    from datetime import datetime, time

    from casework.reference.timezones import zoneinfo
    longer = replace(rule, length=rule.length + extra)
    moment = datetime.combine(start, time(10), zoneinfo("WIB"))  # an hour rule counts from it
    assert compute(longer, start, "WIB", start_at=moment).due_at > compute(rule, start, "WIB", start_at=moment).due_at


@given(st.sampled_from(calendar_rules), starts, zones)
def test_calendar_day_rules_are_plain_date_arithmetic(rule, start, zone):
    result = compute(rule, start, zone)
    assert result.due_date == start + timedelta(days=rule.length) and result.skipped == ()


def _day_by_day(start, length, calendar):
    """The counting as first written (one day at a time): the reference for the indexed count."""
    due, counted, skipped = start, 0, []
    while counted < length:
        due += timedelta(days=1)
        reason = calendar.skip_reason(due)
        if reason:
            skipped.append((due, reason))
        else:
            counted += 1
    return due, tuple(skipped)


@settings(max_examples=300, deadline=None)  # a fresh calendar loads its years from the holidays package
@given(st.lists(st.tuples(st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
                          st.integers(min_value=0, max_value=400)), min_size=1, max_size=5))
def test_the_indexed_count_is_the_day_by_day_count(cases):
    calendar = HolidayCalendar()  # fresh: its index grows from whichever years come first, both ways
    for start, length in cases:
        assert calendar.count_working_days(start, length) == _day_by_day(start, length, calendar)


@settings(max_examples=300, deadline=None)  # a year's first use loads it from the holidays package
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2029, 12, 31)), st.integers(min_value=1, max_value=60))
def test_working_days_agree_with_numpy_busday_offset(start, length):
    import numpy
    holidays = [day for year in range(start.year - 1, start.year + 2) for day in CALENDAR._year(year)]
    # numpy counts from the working day at or before day 0 ('backward'), which is what day 0 means here
    expected = numpy.busday_offset(numpy.datetime64(start), length, roll="backward", weekmask="1111100",
                                   holidays=holidays)
    assert CALENDAR.count_working_days(start, length)[0] == expected.astype(object)


@settings(max_examples=200)
@given(st.sampled_from([r for r in all_rules().values() if r.day_kind != "hours"]), starts)
def test_start_for_due_inverts_compute(rule, start):
    due = compute(rule, start, "WIB").due_date
    back = start_for_due(rule, due)
    assert compute(rule, back, "WIB").due_date == due
    if rule.day_kind == "calendar":
        assert back == start
    else:  # the latest counted day at or before `start`: only skipped days lie between them
        assert back <= start
        assert all(CALENDAR.skip_reason(back + timedelta(days=i)) for i in range(1, (start - back).days + 1))


# --- command line -------------------------------------------------------------------------------------------------
def test_cli_prints_one_json_object():
    result = CliRunner().invoke(cli, ["deadline", "pemilu.decision", "--start", "2024-04-03", "--province", "64",
                                      "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["due_date"] == "2024-04-22" and data["due_at"] == "2024-04-22T23:59:59+08:00"
    assert data["timezone"] == "WITA" and data["basis"] == "statute" and data["rule"] == "pemilu.decision"
    assert data["citation"] == "UU 7/2017 Ps. 454 ayat (7)" and data["start"] == "2024-04-03"
    assert {"date": "2024-04-10", "reason": "Hari Raya Idul Fitri"} in data["skipped"]


def test_cli_papua_is_wit():
    data = json.loads(CliRunner().invoke(cli, ["deadline", "pilkada.decision", "--start", "2024-11-29",
                                               "--province", "94", "--json"]).output)
    assert data["timezone"] == "WIT" and data["due_at"] == "2024-12-02T23:59:59+09:00"


def test_cli_says_every_rule_in_the_reader_s_language():
    """`netra deadline` in English: English dates; a policy rule is Netra's policy, never "Target kebijakan"."""
    from casework.deadlines.engine import all_rules

    for rule_id in all_rules():
        for lang in ("id", "en"):
            out = CliRunner().invoke(cli, ["--lang", lang, "deadline", rule_id, "--start", "2024-12-02",
                                           "--province", "64"]).output
            assert "Target kebijakan" not in out and "to verify" not in out, (rule_id, lang, out)
            assert ("December" in out and "Desember" not in out) if lang == "en" else "Desember" in out, out


@pytest.mark.parametrize("args, text", [
    (["nope", "--start", "2024-01-01", "--province", "64"], "aturan tenggat 'nope' tidak dikenal"),
    (["pemilu.decision", "--start", "2024-13-01", "--province", "64"], "'2024-13-01' bukan tanggal yang valid"),
    (["pemilu.decision", "--start", "2024-01-01", "--province", "99"], "kode provinsi '99' tidak dikenal"),
])
def test_cli_errors_are_clear_and_non_zero(args, text):
    result = CliRunner().invoke(cli, ["deadline", *args])
    assert result.exit_code == 1 and text in result.output


def test_unknown_rule_raises_a_domain_error():
    with pytest.raises(CaseworkError) as raised:
        get_rule("pemilu.nothing")
    assert raised.value.code == "deadline.unknown_rule"
