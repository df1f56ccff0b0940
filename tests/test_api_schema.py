"""Schemathesis against the API's own OpenAPI 3.1 document, on both databases: every operation, with inputs the
document allows (positive) and inputs it forbids (negative), on real demo cases at every stage with a handler's
read-write token — no 5xx, every status documented, every body matching its schema and media type, every
forbidden input refused with a 4xx. Derandomized: the same examples on every run, so a failure here is a failure
on the next machine too."""
from __future__ import annotations

import os
from dataclasses import replace

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance, status_code_conformance)
from sqlalchemy import select

from admin import create_app
from casework.models import Case
from casework.road.workflow import COMMANDS
from casework.settings import Settings
from tests.test_api import token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
# examples per operation (the suite's time budget: the suite is CPU-bound, and each costs about 40 ms). Forbidden input is refused by the input's parser before any
# query, so it is sent on SQLite only; allowed input runs the steps' rules and their queries on both databases.
EXAMPLES = {"sqlite": {GenerationMode.POSITIVE: 1, GenerationMode.NEGATIVE: 1},
            "postgresql": {GenerationMode.POSITIVE: 1}}
# a longer, random search by hand: NETRA_API_FUZZ=200 pytest tests/test_api_schema.py (docs/api.md)
FUZZ = int(os.environ.get("NETRA_API_FUZZ", "0"))


def test_schemathesis_finds_no_failure(demo_engine, demo_sessions, tmp_path):
    netra = replace(Settings.from_env(), database_url=demo_engine.url.render_as_string(hide_password=False),
                    var_dir=tmp_path, letters_dir=tmp_path / "letters", evidence_dir=tmp_path / "evidence",
                    secret_key="test-secret", api_requests_per_minute=1_000_000)
    app = create_app(netra)
    # the token is this test's (a handler's, read-write), sent with every request; Schemathesis makes up no
    # Authorization header of its own (a missing or wrong token is tests/test_api.py's)
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    headers = token(demo_sessions, "penangan.kukar")
    with demo_sessions() as session:  # one Kukar case at each stage, and a case the handler may not see
        by_stage = {}
        for number, stage in session.execute(select(Case.number, Case.stage).where(Case.regency_code == "6402")
                                             .order_by(Case.id)):
            by_stage.setdefault(stage, number)
        numbers = [*by_stage.values(), session.scalar(select(Case.number).where(Case.regency_code != "6402"))]
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    reads = {"me", "cases", "cases/{number}", "cases/{number}/deadlines", "cases/{number}/letters",
             "cases/{number}/letters/{letter_id}/pdf", "deadlines", "steps"}
    assert {op.label for op in operations} >= {f"GET /api/v1/{path}" for path in reads} | {
        f"POST /api/v1/cases/{{number}}/steps/{name}" for name in COMMANDS}  # every read, one path per step
    for operation in operations:
        modes = {mode: FUZZ for mode in GenerationMode} if FUZZ else EXAMPLES[demo_engine.dialect.name]
        for mode, count in modes.items():
            @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate], derandomize=not FUZZ,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode), number=st.sampled_from(numbers))
            def run(case, number):
                if mode is GenerationMode.POSITIVE and "number" in (case.path_parameters or {}):
                    case.path_parameters["number"] = number  # a real case, so that steps reach their rules
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
            try:
                run()
            except Unsatisfiable:  # nothing to make wrong: an operation without parameters or body (/me)
                assert mode is GenerationMode.NEGATIVE and not operation.query and not operation.body
            except Exception as exc:  # noqa: BLE001 - every operation's failure is listed, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
