"""Domain errors that carry message codes; the text comes from casework.i18n.messages in the user's language."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casework.i18n.messages import field_label, message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    # where on a form it belongs when finer than `field` (one person's entry: "outcomes.<NIP>.to"); "" is `field`
    at: str = field(default="", compare=False)

    @property
    def where(self) -> str:
        return self.at or self.field

    def render(self, lang: str = "id") -> str:
        return f"{field_label(self.field, lang)}: {message(self.code, lang, **self.params)}"


class CaseworkError(Exception):
    """An error a user can act on. `render(lang)` gives the text in Bahasa Indonesia or English."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.render("en"))

    def render(self, lang: str = "id") -> str:
        return message(self.code, lang, **self.params)


class NotFound(CaseworkError):
    pass


class ValidationError(CaseworkError):
    """Input refused; lists every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("validation.failed", count=len(problems))

    def render(self, lang: str = "id") -> str:
        head = message("validation.failed", lang, count=len(self.problems))
        return "\n".join([head, *(f"  - {p.render(lang)}" for p in self.problems)])

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]
