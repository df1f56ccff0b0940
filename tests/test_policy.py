"""The access rules on cases held in memory (no database): a fast check of casework/access/policy.py's decisions,
role by role. tests/test_access.py checks the same rules on both databases, and the SQL forms against them."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from casework.access.policy import Action, decide
from casework.access.principal import OPERATOR, SYSTEM, OfficeRef, Principal, Role
from casework.models import Case, Letter, Office, Regency, ReportedASN
from casework.road.workflow import COMMANDS

KUKAR = OfficeRef(1, "bawaslu-6402", "bawaslu_kabkota", "64", "6402")
KALTIM = OfficeRef(2, "bawaslu-64", "bawaslu_provinsi", "64", None)
RI = OfficeRef(3, "bawaslu-ri", "bawaslu_ri", "31", None)
SAMARINDA = OfficeRef(4, "bawaslu-6472", "bawaslu_kabkota", "64", "6472")
PEMKAB, PEMPROV = 10, 11
BKN, KASN = 2, 1


def who(*roles: Role, office=None, agency=None, body=None) -> Principal:
    return Principal("u", frozenset(roles), office, agency, body)


HANDLER, HEAD = who(Role.BAWASLU_HANDLER, office=KUKAR), who(Role.BAWASLU_HEAD, office=KUKAR)
PROVINCE, NATIONAL = who(Role.BAWASLU_HANDLER, office=KALTIM), who(Role.BAWASLU_HANDLER, office=RI)
OTHER_REGENCY = who(Role.BAWASLU_HANDLER, office=SAMARINDA)
OVERSIGHT, OLD_OVERSIGHT = who(Role.OVERSIGHT_OFFICER, body=BKN), who(Role.OVERSIGHT_OFFICER, body=KASN)
BKPSDM_KUKAR, BKPSDM_KALTIM = who(Role.BKPSDM_OFFICER, agency=PEMKAB), who(Role.BKPSDM_OFFICER, agency=PEMPROV)
AUDITOR, ADMIN = who(Role.AUDITOR), who(Role.SYSADMIN)


def shared_case() -> Case:
    """Kukar's case, forwarded to BKN: its Pemkab employee and its Pemprov employee both referred."""
    case = Case(id=1, number="LP-6402-2026-0001", office_id=KUKAR.id, regency_code="6402", stage="forwarded")
    case.office = Office(id=KUKAR.id, name="Bawaslu Kabupaten Kutai Kartanegara")
    case.regency = Regency(code="6402", province_code="64", name="Kabupaten Kutai Kartanegara")
    referred = datetime(2026, 11, 1, tzinfo=UTC)
    case.reported = [
        ReportedASN(id=101, nip="198503122010011001", name="Satu", agency_id=PEMKAB, oversight_body_id=BKN,
                    referred_to_agency_at=referred, track_stage="agency_follow_up"),
        ReportedASN(id=102, nip="198503122010011002", name="Dua", agency_id=PEMPROV, oversight_body_id=BKN,
                    referred_to_agency_at=referred, track_stage="agency_follow_up")]
    return case


def test_seeing_the_case_and_its_people():
    case = shared_case()
    own, other = case.reported
    for p in (HANDLER, HEAD, PROVINCE, NATIONAL, OVERSIGHT, AUDITOR, SYSTEM, OPERATOR, BKPSDM_KUKAR):
        assert decide(p, Action.SEE_CASE, case)
    for p in (OTHER_REGENCY, OLD_OVERSIGHT, ADMIN, who(Role.BKPSDM_OFFICER, agency=99)):
        assert decide(p, Action.SEE_CASE, case).hidden
    assert decide(BKPSDM_KUKAR, Action.SEE_PERSON, case, own)
    assert decide(BKPSDM_KUKAR, Action.SEE_PERSON, case, other).hidden
    assert decide(BKPSDM_KALTIM, Action.SEE_PERSON, case, other) and decide(PROVINCE, Action.SEE_PERSON, case, own)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_step_belongs_to_its_role_and_jurisdiction(name):
    case = shared_case()
    own, other = case.reported
    cmd = COMMANDS[name]
    person = own if cmd.on_track else None
    allowed = {"HANDLER": HANDLER, "HEAD": HEAD, "OVERSIGHT": OVERSIGHT, "BKPSDM": BKPSDM_KUKAR, "SYSTEM": SYSTEM}
    expected = {"HANDLER": "bawaslu_handler" in cmd.roles, "HEAD": "bawaslu_head" in cmd.roles,
                "OVERSIGHT": "oversight_officer" in cmd.roles, "BKPSDM": "bkpsdm_officer" in cmd.roles,
                "SYSTEM": "system" in cmd.roles}
    for key, p in allowed.items():
        assert bool(decide(p, Action.TAKE_STEP, case, person, command=cmd)) == expected[key], key
    # the levels above see the case and may not decide it; nobody acts on what they cannot see
    for p in (PROVINCE, NATIONAL, AUDITOR):
        d = decide(p, Action.TAKE_STEP, case, person, command=cmd)
        assert not d and not d.hidden
    if cmd.on_track:
        assert decide(BKPSDM_KUKAR, Action.TAKE_STEP, case, other, command=cmd).hidden
        assert not decide(OLD_OVERSIGHT, Action.TAKE_STEP, case, own, command=cmd)
    assert decide(ADMIN, Action.TAKE_STEP, case, person, command=cmd).hidden


def test_letters_follow_whom_they_name():
    case = shared_case()
    own, other = case.reported
    case_wide = Letter(case_id=1, kind="recommendation_to_oversight", reported_asn_id=None)
    to_own = Letter(case_id=1, kind="ppk_reminder", reported_asn_id=own.id)
    to_other = Letter(case_id=1, kind="ppk_reminder", reported_asn_id=other.id)
    receipt = Letter(case_id=1, kind="receipt", reported_asn_id=None)
    assert [bool(decide(BKPSDM_KUKAR, Action.READ_LETTER, case, letter=x))
            for x in (case_wide, to_own, to_other, receipt)] == [False, True, False, False]
    assert [bool(decide(HANDLER, Action.READ_LETTER, case, letter=x))
            for x in (case_wide, to_own, to_other, receipt)] == [True, True, True, True]
    assert [bool(decide(HEAD, Action.READ_LETTER, case, letter=x))
            for x in (case_wide, to_own, to_other, receipt)] == [True, True, True, False]
    assert decide(HEAD, Action.ISSUE_LETTER, case, letter_kind="ppk_reminder")
    assert decide(HEAD, Action.ISSUE_LETTER, case, letter_kind="receipt").hidden  # it names the reporter
    assert not decide(PROVINCE, Action.ISSUE_LETTER, case, letter_kind="ppk_reminder")
    assert not decide(BKPSDM_KUKAR, Action.READ_EVIDENCE, case) and decide(OVERSIGHT, Action.READ_EVIDENCE, case)


def test_opening_a_case_in_the_office_area():
    kukar = Regency(code="6402", province_code="64", name="Kabupaten Kutai Kartanegara")
    banjarmasin = Regency(code="6371", province_code="63", name="Kota Banjarmasin")
    samarinda = Regency(code="6472", province_code="64", name="Kota Samarinda")
    office = Office(id=KUKAR.id, code=KUKAR.code, kind=KUKAR.kind, province_code="64", regency_code="6402",
                    name="Bawaslu Kabupaten Kutai Kartanegara")
    assert decide(HANDLER, Action.OPEN_CASE, office=office, regency=kukar)
    refused = decide(HANDLER, Action.OPEN_CASE, office=office, regency=banjarmasin)
    assert refused.code == "access.regency_outside_office" and refused.params["regency"] == "Kota Banjarmasin"
    assert not decide(HANDLER, Action.OPEN_CASE, office=office, regency=samarinda)
    assert decide(PROVINCE, Action.OPEN_CASE, regency=samarinda) and decide(NATIONAL, Action.OPEN_CASE,
                                                                             regency=banjarmasin)
    assert not decide(PROVINCE, Action.OPEN_CASE, office=office, regency=samarinda)  # not in Kukar's name
    for p in (HEAD, AUDITOR, BKPSDM_KUKAR, OVERSIGHT, ADMIN):
        assert not decide(p, Action.OPEN_CASE, office=office, regency=kukar)
    # the operator's import: any office, but a case still lies in its office's area
    assert decide(OPERATOR, Action.OPEN_CASE, office=office, regency=kukar)
    assert not decide(OPERATOR, Action.OPEN_CASE, office=office, regency=banjarmasin)
