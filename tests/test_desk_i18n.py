"""No English leaks into the Indonesian desk, and the English desk is complete."""
from pathlib import Path

import flask_admin
from babel.messages.pofile import read_po

from casework.i18n.catalog import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent / "admin" / "translations"


def ids(path: Path) -> dict:
    with open(path, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(fh) if m.id}


def test_every_flask_admin_string_has_an_indonesian_translation():
    reference = Path(flask_admin.__file__).parent / "translations" / "de" / "LC_MESSAGES" / "admin.po"
    ours = ids(ROOT / "id" / "LC_MESSAGES" / "admin.po")
    missing = [k for k in ids(reference) if not ours.get(k)]
    assert missing == [] and len(ours) == len(ids(reference)) == 116


def test_every_desk_text_has_an_english_translation():
    template = ids(LOCALE_DIR / "netra.pot")
    english = ids(LOCALE_DIR / "en" / "LC_MESSAGES" / "netra.po")
    assert template and [k for k in template if not english.get(k)] == []
