"""The one catalog (casework/i18n/locale, domain netra): complete, fresh, and what every mechanism renders from it.

A text that is not in the catalog shows in Bahasa Indonesia to an English reader, silently; these tests make it
loud: the committed netra.pot must be what `make catalog` extracts now, every msgid must have an English
translation that keeps its placeholders, and every text the code looks up at run time must be in the catalog.
"""
import ast
import re
import string
import subprocess
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from casework.i18n import catalog
from casework.i18n.catalog import LOCALE_DIR, N_, NP_, Text, translate
from casework.i18n.extract import extract_toml
from casework.errors import ValidationError
from casework.i18n.messages import FIELD_LABELS, MESSAGES, Bilingual, field_label, message
from casework.road.plenary import DecidePlenary

ROOT = Path(__file__).resolve().parent.parent
POT = LOCALE_DIR / "netra.pot"
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "netra.po"
RULES = ROOT / "casework" / "rules"


def entries(path: Path) -> dict:
    with open(path, "rb") as fh:
        return {(m.context, m.id): m for m in read_po(fh) if m.id}


def english() -> dict:
    return catalog._translations("en")


# --- complete and fresh --------------------------------------------------------------------------------------------
def test_every_msgid_has_an_english_translation_and_none_is_fuzzy():
    template, po = entries(POT), entries(PO)
    assert len(template) > 400
    untranslated = [key for key in template if key not in po or not po[key].string]
    fuzzy = [key for key, m in po.items() if m.fuzzy]
    stale = [key for key in po if key not in template]
    assert untranslated == [], f"give these an English msgstr in {PO.relative_to(ROOT)}"
    assert fuzzy == [], "check these translations and drop their '#, fuzzy' line"
    assert stale == [], "run `make catalog`"


def test_the_committed_template_is_a_fresh_extraction(tmp_path):
    """The same `pybabel extract` as `make catalog` (read from the Makefile); only the creation date may differ."""
    commands = subprocess.run(["make", "-n", "catalog"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(c for c in commands.replace("\\\n", " ").splitlines() if "pybabel extract" in c)
    fresh = tmp_path / "netra.pot"
    line = re.sub(r"-o \S+", f"-o {fresh}", line)
    subprocess.run(line, shell=True, cwd=ROOT, check=True, capture_output=True)

    def body(path: Path) -> str:
        return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", path.read_text())

    assert body(fresh) == body(POT), "a text was added, changed or removed: run `make catalog` and translate it"


def test_texts_marked_in_the_code_are_in_the_catalog():
    """N_()/NP_() anywhere, including inside an f-string, where pybabel does not look (it would miss the text)."""
    template = entries(POT)
    missing = []
    for path in [*ROOT.glob("casework/**/*.py"), *ROOT.glob("admin/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "NP_"):
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                key = (None, args[0]) if node.func.id == "N_" else (args[0], args[1])
                if len(args) == len(node.args) and key not in template:
                    missing.append((str(path.relative_to(ROOT)), key))
    assert missing == [], "marked but not extracted: inside an f-string? mark it outside, then `make catalog`"


def test_translations_keep_their_placeholders():
    def placeholders(text: str) -> set[str]:
        braces = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        return braces | set(re.findall(r"%\((\w+)\)s", text))

    wrong = [(key, m.string) for key, m in entries(PO).items()
             if m.string and placeholders(m.id) != placeholders(m.string)]
    assert wrong == []


def test_rules_files_hold_no_english():
    def english_keys(data, where=""):
        if isinstance(data, dict):
            for key, value in data.items():
                if key.endswith("_en"):
                    yield f"{where}.{key}"
                yield from english_keys(value, f"{where}.{key}")
        elif isinstance(data, list):
            for n, item in enumerate(data):
                yield from english_keys(item, f"{where}[{n}]")

    found = [f"{path.name}{key}" for path in RULES.glob("*.toml")
             for key in english_keys(tomllib.loads(path.read_text()))]
    assert found == [], "a rules file's English goes into netra.po (label_id is the msgid)"


def test_messages_and_field_labels_are_catalog_msgids():
    """An (Indonesian, English) pair still renders, transitionally; here it is listed, to be moved: write
    `"code": N_("Indonesian")`, run `make catalog`, put the English as its msgstr in netra.po."""
    pairs = [code for table in (MESSAGES, FIELD_LABELS) for code, entry in table.items() if isinstance(entry, tuple)]
    assert pairs == []


# --- every text looked up at run time is in the catalog -----------------------------------------------------------
def runtime_texts() -> dict[str, list[Text | str]]:
    from casework.deadlines.engine import all_rules
    from casework.letters.kinds import letter_kinds
    from casework.reports.dashboard import INSTITUTIONS
    from casework.road.inputs import Labelled
    from casework.road.intake import CHECKLIST
    from casework.road.sanctions import kinds, levels
    from casework.road.stages import LABELS
    from casework.road.steps import SOURCES
    from casework.road.workflow import COMMANDS
    from casework.rules import POLICY_LABEL, load, violation_catalogue

    return {
        "messages": list(MESSAGES.values()), "field labels": list(FIELD_LABELS.values()),
        "stages": list(LABELS.values()), "steps": [c.label for c in COMMANDS.values()],
        "choices": [m.labels for cls in Labelled.__subclasses__() for m in cls],
        "sources": list(SOURCES.values()), "checklist": list(CHECKLIST.values()),
        "institutions": list(INSTITUTIONS.values()),
        "deadline rules": [r.label_id for r in all_rules().values()],
        "letter kinds": [k.label_id for k in letter_kinds().values()],
        "sanctions": [x.label_id for x in [*levels().values(), *kinds().values()]],
        "violations": [v["label_id"] for v in violation_catalogue().values()],
        "escalation": [s["label_id"] for s in load("escalation")["steps"]],
        "escalation powers": [x["label_id"] for x in load("escalation")["powers"].values()],
        "violation categories": [x["label_id"] for x in load("violations")["categories"].values()],
        "policy label": [POLICY_LABEL],
        "roles": [r["name_id"] for r in load("roles")["roles"]],
    }


@pytest.mark.parametrize("kind", list(runtime_texts()))
def test_every_text_looked_up_at_run_time_has_english(kind):
    missing = [text for text in runtime_texts()[kind]
               if (getattr(text, "context", None), str(text)) not in english()]
    assert missing == []


# --- rendered in both languages --------------------------------------------------------------------------------------
def test_messages_render_in_both_languages():
    assert message("case.stale", "id", expected=3, current=4) == \
        "kasus telah berubah, muat ulang (versi Anda 3, versi terkini 4)."
    assert message("case.stale", "en", expected=3, current=4) == \
        "the case has changed, reload (your version 3, current version 4)."
    assert message("no.such.code", "en") == "no.such.code"


def test_stage_and_step_labels_and_their_context():
    from casework.road.stages import label
    from casework.road.workflow import get_command, stage_label

    step = get_command("decline_registration").label
    assert (step.pick("id"), step.pick("en")) == ("Tidak diregistrasi", "Do not register")
    assert (label("not_registered", "id"), label("not_registered", "en")) == ("Tidak diregistrasi", "Not registered")
    assert label("sanctioned", "en") == "Sanctioned" and label("nope", "en") == "nope"
    # a Text as a message parameter is shown in the message's language
    assert message("workflow.wrong_stage", "en", command=step, stage=stage_label("plenary")) == \
        "the step 'Do not register' cannot be taken at stage Plenary."
    assert message("workflow.wrong_stage", "id", command=step, stage=stage_label("plenary")) == \
        "langkah 'Tidak diregistrasi' tidak dapat dilakukan pada tahap Pleno."


def test_choice_labels_and_the_case_source():
    from casework.errors import CaseworkError
    from casework.road.inputs import form_fields
    from casework.road.outcomes import PlenaryOutcome
    from casework.road.plenary import DecidePlenary
    from casework.road.steps import SOURCES, DeclineReason

    assert (DeclineReason.LATE.label("id"), DeclineReason.LATE.label("en")) == \
        ("daluarsa", "late (past the reporting window)")
    assert PlenaryOutcome.VIOLATION.label("en") == "Violation of neutrality"
    outcome = next(f for f in form_fields(DecidePlenary, "en") if f.name == "outcomes")
    assert ("other_law", "Violation of other law (forwarded)") in outcome.choices
    late = CaseworkError("workflow.report_late", source=SOURCES["laporan"], received="2024-04-20",
                         rule="pemilu.report_window", due="2024-04-12")
    assert late.render("id").startswith("Laporan diterima 2024-04-20, melewati tenggat pemilu.report_window")
    assert late.render("en").startswith("laporan received 2024-04-20, past the deadline pemilu.report_window")


def test_rule_labels_render_in_both_languages():
    from casework.deadlines.engine import get_rule
    from casework.letters.kinds import get_kind
    from casework.road.sanctions import kinds, levels, sanction_label

    assert (get_rule("pemilu.decision").label("id"), get_rule("pemilu.decision").label("en")) == \
        ("Putusan pleno", "Plenary decision")
    assert get_rule("oversight.recommendation").label("en") == "Oversight recommendation"
    assert (get_kind("receipt").label("id"), get_kind("receipt").label("en")) == \
        ("Tanda terima laporan", "Receipt of report")
    assert levels()["heavy"].label("en") == "Heavy discipline (PP 94/2021)"
    assert kinds()["moral.terbuka"].label("en") == "Moral sanction: statement in public"
    assert sanction_label("moral.terbuka", "id") == "Sanksi moral: pernyataan secara terbuka"


def test_field_labels_render_in_both_languages():
    assert field_label("reported[2].nip", "id") == "ASN terlapor #3 — NIP"
    assert field_label("reported[2].nip", "en") == "Reported ASN #3 — NIP"
    assert (field_label("decree_pdf", "id"), field_label("decree_pdf", "en")) == ("Berkas SK (PDF)", "Decree file (PDF)")
    assert field_label("not_a_field", "en") == "not_a_field"
    # an unknown field whose name only looks like a row (Schemathesis sent "a[" to the API: it raised: a 500)
    for odd in ("a[", "a[x]", "[1]", "a]1[", "a[99999]"):
        assert field_label(odd, "id") == odd
    with pytest.raises(ValidationError) as raised:
        DecidePlenary.parse({"x[": "1"})
    assert "x[" in raised.value.render("en")


def test_an_old_pair_entry_still_renders(monkeypatch):
    monkeypatch.setitem(MESSAGES, "test.pair", ("{n} baris", "{n} rows"))
    monkeypatch.setitem(FIELD_LABELS, "test_field", ("Kolom", "Column"))
    assert message("test.pair", "id", n=2) == "2 baris" and message("test.pair", "en", n=2) == "2 rows"
    assert field_label("test_field", "en") == "Column"


# --- the module itself --------------------------------------------------------------------------------------------
def test_translate_falls_back_to_the_msgid():
    assert translate("Putusan pleno", "en") == "Plenary decision"
    assert translate("Putusan pleno", "id") == translate("Putusan pleno", "fr") == "Putusan pleno"
    assert translate("Teks yang tidak ada di katalog", "en") == "Teks yang tidak ada di katalog"
    assert translate("Tidak diregistrasi", "en", context="stage") == "Not registered"
    assert type(translate(N_("Putusan pleno"), "id")) is str


def test_text_is_the_indonesian_string_and_picks_a_language():
    text = NP_("stage", "Tidak diregistrasi")
    assert text == "Tidak diregistrasi" and isinstance(text, str) and text.context == "stage"
    assert text.pick("en") == "Not registered" and text.pick() == "Tidak diregistrasi"
    assert Bilingual is Text
    with pytest.raises(TypeError):
        Bilingual("ya", "yes")  # an old two-language call fails loudly instead of taking "yes" as a context


def test_fuzzy_entries_are_not_used(tmp_path, monkeypatch):
    po = tmp_path / "en" / "LC_MESSAGES" / "netra.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Satu"\nmsgstr "One"\n\n#, fuzzy\nmsgid "Dua"\nmsgstr "Two"\n')
    monkeypatch.setattr(catalog, "LOCALE_DIR", tmp_path)
    catalog._translations.cache_clear()
    try:
        assert translate("Satu", "en") == "One" and translate("Dua", "en") == "Dua"
    finally:
        monkeypatch.undo()
        catalog._translations.cache_clear()


def test_the_toml_extractor_finds_every_label(tmp_path):
    source = (b'# a rules file\n[a]\nlabel_id = "Satu"\ncode = "x"\n\n[[items]]\nname_id = "Dua"\n'
              b'inline = { label_id = "Tiga", other = "no" }\nsanction_id = "Empat"\n')
    found = [(line, text) for line, _func, text, _comments in extract_toml(__import__("io").BytesIO(source),
                                                                           [], [], {})]
    assert found == [(3, "Satu"), (7, "Dua"), (8, "Tiga"), (9, "Empat")]
