"""The one catalog of Netra's user-facing texts: gettext domain `netra`, msgids in Bahasa Indonesia.

`locale/netra.pot` is extracted from the code, the desk's templates and the rules files (`make catalog`);
`locale/en/LC_MESSAGES/netra.po` holds every English translation and is edited by hand. The domain reads the
`.po` itself (Babel's `read_po`, once per process), so it needs no compiled `.mo`; the desk's Flask-Babel reads
the same catalog compiled to `.mo` at start-up (admin/i18n.py).

    translate("Putusan pleno", "en")        -> "Plenary decision"
    N_("Putusan pleno")                     marks a msgid for extraction; a Text, whose .pick(lang) translates
    NP_("stage", "Tidak diregistrasi")      the same with a gettext context (msgctxt), for an Indonesian text
                                            that needs another English in another place
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

DOMAIN = "netra"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANG = "id"
LANGS = ("id", "en")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: str) -> dict[tuple[str | None, str], str]:
    from babel.messages.pofile import read_po  # here: a process that only speaks Indonesian never loads Babel

    path = po_path(lang)
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        catalog = read_po(fh)
    # fuzzy entries are not translations yet (msgfmt and Babel's write_mo leave them out too)
    return {(m.context, m.id): m.string for m in catalog if m.id and m.string and not m.fuzzy}


def translate(msgid: str, lang: str = SOURCE_LANG, context: str | None = None) -> str:
    """`msgid` (Bahasa Indonesia) in `lang`; the msgid itself when the catalog has no translation."""
    if lang == SOURCE_LANG or lang not in LANGS:
        return str(msgid)
    return _translations(lang).get((context, str(msgid))) or str(msgid)


class Text(str):
    """A msgid of the catalog, usable as the Indonesian text it is; `.pick(lang)` gives it in `lang`.

    Passed as a parameter of `message()`, it is shown in the message's language. The context is keyword-only so
    that an old two-language call, `Bilingual("ya", "yes")`, fails loudly instead of taking "yes" as a context.
    """

    context: str | None

    def __new__(cls, msgid: str, *, context: str | None = None) -> Text:
        text = super().__new__(cls, msgid)
        text.context = context
        return text

    def pick(self, lang: str = SOURCE_LANG) -> str:
        return translate(self, lang, self.context)


def N_(msgid: str) -> Text:  # noqa: N802 - the gettext convention, found by `pybabel extract`
    return Text(msgid)


def NP_(context: str, msgid: str) -> Text:  # noqa: N802 - extracted with the keyword spec NP_:1c,2
    return Text(msgid, context=context)
