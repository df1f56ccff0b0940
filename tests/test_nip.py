"""NIP validation: each way a NIP can be wrong has its own clear message (pure, no database)."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.i18n.messages import message
from casework.road.nip import nip_problems, normalize_nip, parse_nip

TODAY = date(2026, 11, 23)


def codes(nip: str) -> list[str]:
    return [code for code, _ in nip_problems(nip, TODAY)]


def test_a_valid_nip_has_no_problem_and_parses():
    assert codes("198503122010011003") == []
    info = parse_nip("19850312 201001 1 003", TODAY)
    assert info.birth_date == date(1985, 3, 12)
    assert info.appointed == (2010, 1)
    assert info.sex == "L"
    assert info.serial == 3


def test_spaces_and_dots_in_grouped_writing_are_ignored():
    assert normalize_nip(" 19850312 201001.2 003 ") == "198503122010012003"
    assert codes("19850312 201001 2 003") == []


@pytest.mark.parametrize("nip, expected", [
    ("", ["required"]),
    ("1985031220100110", ["nip.length"]),                 # 16 digits
    ("1985031220100110031", ["nip.length"]),              # 19 digits
    ("19850312201001100X", ["nip.digits"]),
    ("１９８５０３１２２０１００１１００３", ["nip.digits"]),  # full-width digits are not ASCII digits
    ("198502302010011003", ["nip.birth_date"]),           # 30 February
    ("193005122010011003", ["nip.birth_year"]),           # born 1930: outside the plausible range
    ("198503122010131003", ["nip.appointment"]),          # month 13
    ("198503122027011003", ["nip.appointment_future"]),   # appointed after today
    ("198503122000011003", ["nip.appointment_age"]),      # appointed at 14
    ("198503122010013003", ["nip.sex"]),
    ("198503122010011000", ["nip.serial"]),
    ("198502302010013000", ["nip.birth_date", "nip.sex", "nip.serial"]),  # every problem, not only the first
])
def test_each_way_to_be_wrong_has_its_code(nip, expected):
    assert codes(nip) == expected


def test_messages_are_indonesian_first_and_english_available():
    (code, params), = nip_problems("198503122010013003", TODAY)
    assert message(code, "id", **params) == \
        "digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan 3."
    assert message(code, "en", **params) == "digit 15 of the NIP (sex) must be 1 (male) or 2 (female), not 3."


@st.composite
def valid_nips(draw):
    born = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)))
    year = draw(st.integers(min_value=born.year + 19, max_value=2025))
    month = draw(st.integers(min_value=1, max_value=12))
    sex = draw(st.sampled_from("12"))
    serial = draw(st.integers(min_value=1, max_value=999))
    return f"{born:%Y%m%d}{year:04d}{month:02d}{sex}{serial:03d}"


@given(valid_nips())
def test_every_well_formed_nip_is_accepted_and_round_trips(nip):
    info = parse_nip(nip, TODAY)
    assert f"{info.birth_date:%Y%m%d}" == nip[:8]
    assert codes(nip) == []


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_any_eighteen_digits_either_pass_or_name_a_reason(nip):
    problems = codes(nip)
    assert all(code.startswith("nip.") for code in problems)
    if not problems:
        parse_nip(nip, TODAY)  # no exception
