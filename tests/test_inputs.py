"""Typed step inputs (casework/road/inputs.py), without a database: one declaration per step gives the parse with
every problem listed bilingually, the desk's form, the CLI's options and a JSON Schema — and they agree."""
from __future__ import annotations

from datetime import date

import jsonschema
import pytest
from click.testing import CliRunner

from casework.cli import cli
from casework.errors import ValidationError
from casework.road.inputs import MAX_TEXT, Kind, Upload, form_fields, json_schema
from casework.road.outcomes import PlenaryOutcome
from casework.road.plenary import DecidePlenary
from casework.road.steps import RecordSanction
from casework.road.workflow import COMMANDS

PDF = b"%PDF-1.4\n%%EOF\n"


def problems(input_type, raw) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        input_type.parse(raw)
    return {p.field: p.code for p in raised.value.problems}


def test_a_valid_input_is_typed():
    data = DecidePlenary.parse({"outcome": "violation", "reasoning": "  Terbukti  "})
    assert data.outcome is PlenaryOutcome.VIOLATION and data.reasoning == "Terbukti" and data.forwarded_to == ""
    sanction = RecordSanction.parse({"sanction_level": "moral", "sanction": "moral.terbuka", "decree_number": "1",
                                     "decree_date": "2026-01-05", "decree_signer_name": "Bupati",
                                     "decree_pdf": Upload("sk.pdf", PDF)})
    assert sanction.decree_date == date(2026, 1, 5) and sanction.effective_from is None
    assert DecidePlenary.parse({"outcome": "violation", "reasoning": "x"}).record() == {
        "outcome": "violation", "reasoning": "x"}


def test_every_problem_is_listed_at_once_unknown_fields_included():
    found = problems(DecidePlenary, {"outcome": "maybe", "reasoning": " ", "at": "2020-01-01", "actor": "root",
                                     "session": "x", "forwarded_to": "y" * 201})
    assert found == {"outcome": "bad_choice", "reasoning": "required", "at": "input.unknown_field",
                     "actor": "input.unknown_field", "session": "input.unknown_field", "forwarded_to": "too_long"}
    with pytest.raises(ValidationError) as raised:
        DecidePlenary.parse({"actor": "root"})
    text_id, text_en = raised.value.render("id"), raised.value.render("en")
    assert "isian 'actor' tidak dikenal" in text_id and "tidak ada yang disimpan" in text_id
    assert "'actor' is not a field of this step" in text_en and "nothing was saved" in text_en


def test_kinds_are_checked():
    found = problems(RecordSanction, {"sanction_level": "moral", "sanction": "nope", "decree_number": ["a"],
                                      "decree_date": "2026-13-01", "decree_signer_name": "\x00",
                                      "decree_pdf": "sk.pdf", "effective_from": "0024-01-01"})
    assert found == {"sanction": "workflow.unknown_sanction", "decree_number": "input.not_text",
                     "decree_date": "case.bad_date", "decree_signer_name": "text.control_chars",
                     "decree_pdf": "input.not_file", "effective_from": "case.date_too_old"}
    assert problems(DecidePlenary, {"outcome": "violation", "reasoning": "x" * (MAX_TEXT + 1)}) == {
        "reasoning": "too_long"}


def test_the_form_the_options_and_the_schema_come_from_the_same_declaration():
    for name, cmd in COMMANDS.items():
        specs = dict(cmd.input.specs())
        fields = form_fields(cmd.input, "en")
        # the desk's form: every field but those a finer one replaces there (the plenary's per-person outcomes)
        assert [f.name for f in fields] == [n for n, spec in specs.items() if spec.on_form], name
        schema = json_schema(cmd.input, title=name)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert set(schema["properties"]) == set(specs) and set(schema["required"]) == set(cmd.required), name
        for f in fields:
            if f.kind == Kind.CHOICE:
                assert [v for v, _label in f.choices] == schema["properties"][f.name]["enum"], name
        help_text = CliRunner().invoke(cli, ["case", "step", name, "--help"]).output
        for option in specs:
            assert f"--{option.replace('_', '-')}" in help_text, (name, option)
        assert ("--track" in help_text) == cmd.on_track, name


def test_the_schema_accepts_what_parse_accepts_and_refuses_unknown_fields():
    schema = json_schema(DecidePlenary)
    jsonschema.validate({"outcome": "violation", "reasoning": "x"}, schema)
    for bad in ({"outcome": "maybe", "reasoning": "x"}, {"outcome": "violation"},
                {"outcome": "violation", "reasoning": "x", "actor": "root"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with pytest.raises(ValidationError):
            DecidePlenary.parse(bad)


def test_choices_are_labelled_in_both_languages():
    fields = {f.name: f for f in form_fields(DecidePlenary, "id")}
    assert dict(fields["outcomes"].choices)["not_violation"] == "Bukan pelanggaran"
    assert dict({f.name: f for f in form_fields(DecidePlenary, "en")}["outcomes"].choices)["not_violation"] == \
        "Not a violation"
    assert str(Upload("sk.pdf", PDF)).startswith("sk.pdf (15 bytes, sha256 ")


# --- every choice of every step: empty and bogus, in both languages (issue 17 item 3) --------------------------------
def _choice_cases():
    for name, cmd in sorted(COMMANDS.items()):
        for field, spec in cmd.input.specs():
            if spec.kind is Kind.CHOICE:
                yield name, cmd.input, field, spec, "", ""
                yield name, cmd.input, field, spec, "bogus-xyz", "bogus-xyz"
            elif spec.kind is Kind.PEOPLE:
                yield name, cmd.input, field, spec, {"196801241996062024": {"outcome": ""}}, ""
                yield name, cmd.input, field, spec, {"196801241996062024": {"outcome": "bogus-xyz"}}, "bogus-xyz"


CHOICE_CASES = list(_choice_cases())


def test_the_registry_has_choices_to_walk():
    assert {field for _n, _i, field, *_rest in CHOICE_CASES} >= {"outcome", "sanction", "sanction_level", "reason"}


@pytest.mark.parametrize("step,input_type,field,spec,value,echo", CHOICE_CASES,
                         ids=[f"{c[0]}.{c[2]}={c[5] or 'empty'}" for c in CHOICE_CASES])
def test_an_empty_or_unknown_choice_is_named_in_the_user_s_language(step, input_type, field, spec, value, echo):
    """Generic over the command registry: a new step's choice is covered without a new test. Empty: asked for by
    its field's label, no '' echoed; unknown: refused by its field's label; the message in each language."""
    from casework.i18n.messages import field_label

    try:
        input_type.parse({field: value})
        found = []
    except ValidationError as exc:
        found = [p for p in exc.problems if p.field == field]
    if value == "" and not spec.required:
        assert found == [], (step, field)  # an optional choice left empty is no problem
        return
    assert len(found) == 1, (step, field, found)
    texts = {lang: found[0].render(lang) for lang in ("id", "en")}
    for lang, text in texts.items():
        label = field_label(field, lang)
        assert label != field and text.startswith(f"{label}: "), (lang, text)  # the field is named, in words
        if echo:
            assert f"'{echo}'" in text, (lang, text)
        else:
            assert "''" not in text, (lang, text)
    assert texts["id"] != texts["en"]
    assert any(w in texts["id"] for w in ("pilih", "tidak dikenal")), texts["id"]
    assert any(w in texts["en"].lower() for w in ("choose", "not known", "unknown", "not one of")), texts["en"]
