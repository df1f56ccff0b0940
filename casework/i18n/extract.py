"""A Babel extractor for the rules files: every `label_id`, `name_id` and `sanction_id` value of a TOML file in
casework/rules/ is a msgid of the `netra` catalog (its English lives in netra.po, never in the TOML).

Registered in babel.cfg as `[casework.i18n.extract.extract_toml: casework/rules/*.toml]`.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

TEXT_KEYS = ("label_id", "name_id", "sanction_id")


def texts(data: Any) -> Iterator[str]:
    """Every text of a parsed rules file, in file order."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield value
            else:
                yield from texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from texts(item)


def extract_toml(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple[int, None, str, list]]:
    raw = fileobj.read()
    lines = raw.decode("utf-8").splitlines()
    for value in texts(tomllib.loads(raw.decode("utf-8"))):
        # tomllib keeps no positions: the first line quoting the value (line 1 when it is written escaped)
        quoted = f'"{value}"'
        lineno = next((n for n, line in enumerate(lines, 1) if quoted in line), 1)
        yield lineno, None, value, []
