"""Typed input for the steps of the road: each step declares what it takes once, as a frozen dataclass whose
fields carry their kind (text, long text, choice, date, time, list, file), whether they are required, their length and their
choices. From that one declaration:

- `Input.parse(raw)` turns a form, CLI options or a JSON body into the typed value, listing every problem at
  once (missing, unknown field, not a choice, not a date, too long, control characters): ValidationError;
- the desk builds the step's form (`form_fields`), the CLI its options, and `json_schema` an API's schema.

Values are checked for their shape here; what a value means for the case (a decree dated in the future, a penalty
outside its level) is the step's own rule, checked by its handler.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum, StrEnum
from pathlib import PurePath
from typing import Any, ClassVar, Self

from casework.errors import Problem, ValidationError
from casework.i18n.catalog import Text
from casework.textcheck import EARLIEST, LATEST, has_control_chars

MAX_TEXT = 20_000  # a long text (minutes, reasoning): what a column of type TEXT holds without surprise
MAX_ITEMS = 100  # a list's items: more than any hearing invites
CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


class Kind(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    CHOICE = "choice"
    DATE = "date"
    TIME = "time"  # HH:MM (also HH.MM, as Indonesians write it), a local time
    LIST = "list"  # several short codes (a form's checkboxes, a repeated CLI option, a JSON array)
    FILE = "file"
    PEOPLE = "people"  # one entry per reported person: {nip: {"outcome": choice, "codes": [...], "to": text}}


class Labelled(StrEnum):
    """A choice whose values are codes and whose label is a msgid of the catalog (`N_("...")`): `label(lang)`."""

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.labels = label if isinstance(label, Text) else Text(label or value)
        return member

    def label(self, lang: str = "id") -> str:
        return self.labels.pick(lang)


@dataclass(frozen=True)
class Upload:
    """A file as it came in (desk upload, CLI path, API). Its text form, which the audit trail keeps, names it by
    its hash, never its bytes."""

    filename: str
    data: bytes = dataclasses.field(repr=False)

    def __str__(self) -> str:
        if not self.data:
            return ""
        return f"{PurePath(self.filename or '').name} ({len(self.data)} bytes, sha256 {self.sha256})"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Spec:
    kind: Kind
    required: bool
    max_length: int | None = None
    # choices: an enum of Labelled values, or a function giving {value: Text label} (rules data)
    choices: type[Labelled] | Callable[[], Mapping[str, Text]] | None = None
    bad_choice: str = "bad_choice"  # the message code for a value that is not a choice
    codes: Callable[[], Mapping[str, Text]] | None = None  # PEOPLE: the codes an entry may list (e.g. violations)
    on_form: bool = True  # False: kept for scripts and the API, the desk's form offers a finer field instead

    def options(self) -> dict[str, Text]:
        if self.choices is None:
            return {}
        if isinstance(self.choices, type) and issubclass(self.choices, Enum):
            return {member.value: member.labels for member in self.choices}
        return dict(self.choices())


def _field(spec: Spec) -> Any:
    if spec.required:
        return dataclasses.field(metadata={"netra": spec})
    if spec.kind is Kind.LIST:
        return dataclasses.field(default=(), metadata={"netra": spec})
    default = None if spec.kind in (Kind.CHOICE, Kind.DATE, Kind.TIME, Kind.FILE) else ""
    return dataclasses.field(default=default, metadata={"netra": spec})


def text(*, required: bool = True, max_length: int = 200, on_form: bool = True) -> Any:
    return _field(Spec(Kind.TEXT, required, max_length, on_form=on_form))


def long_text(*, required: bool = True, max_length: int = MAX_TEXT) -> Any:
    return _field(Spec(Kind.TEXTAREA, required, max_length))


def choice(choices, *, required: bool = True, bad_choice: str = "bad_choice", on_form: bool = True) -> Any:
    return _field(Spec(Kind.CHOICE, required, choices=choices, bad_choice=bad_choice, on_form=on_form))


def day(*, required: bool = True) -> Any:
    return _field(Spec(Kind.DATE, required))


def clock(*, required: bool = True) -> Any:
    return _field(Spec(Kind.TIME, required))


def codes(*, required: bool = True, max_length: int = 64) -> Any:
    """A list of short codes whose meaning the step resolves (e.g. who is invited: "reported:<NIP>")."""
    return _field(Spec(Kind.LIST, required, max_length))


def upload(*, required: bool = True) -> Any:
    return _field(Spec(Kind.FILE, required))


def per_person(outcomes: type[Labelled], codes: Callable[[], Mapping[str, Text]], *, max_length: int = 200) -> Any:
    """One entry per reported person, by NIP: an outcome (a choice), the codes found (e.g. violation types) and a
    text (to whom it is referred). Whether every NIP is one of the case's is the step's own rule."""
    return dataclasses.field(default_factory=dict, metadata={
        "netra": Spec(Kind.PEOPLE, False, max_length, choices=outcomes, codes=codes)})


@dataclass(frozen=True)
class PersonEntry:
    outcome: Labelled
    codes: tuple[str, ...] = ()
    to: str = ""

    def record(self) -> dict[str, Any]:
        return {"outcome": str(self.outcome), "codes": list(self.codes), "to": self.to}


@dataclass(frozen=True)
class Input:
    """The base of every step's input. A step that takes nothing uses `Input` itself."""

    ENVELOPE: ClassVar[frozenset[str]] = frozenset()  # names the caller handles itself (never a field)

    @classmethod
    def specs(cls) -> list[tuple[str, Spec]]:
        return [(f.name, f.metadata["netra"]) for f in dataclasses.fields(cls)]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Self:
        """The typed input, or ValidationError listing every problem. Empty strings count as absent."""
        specs = dict(cls.specs())
        problems = [Problem(str(name)[:64], "input.unknown_field", {"name": str(name)[:64]})
                    for name in raw if name not in specs]
        values: dict[str, Any] = {}
        for name, spec in specs.items():
            value, found = _parse_value(name, spec, raw.get(name))
            problems += found
            if not found and value is not None:
                values[name] = value
        if problems:
            raise ValidationError(problems)
        return cls(**values)

    def record(self) -> dict[str, Any]:
        """What the audit trail keeps of it: plain JSON values (files by name and hash), empty values left out."""
        out = {}
        for name, _spec in self.specs():
            value = getattr(self, name)
            if value is None or value == "" or value == {} or value == ():
                continue
            if isinstance(value, dict):
                value = {k: v.record() if isinstance(v, PersonEntry) else v for k, v in value.items()}
            out[name] = value.isoformat() if isinstance(value, (date, time)) else str(value) \
                if isinstance(value, (Upload, Enum)) else list(value) if isinstance(value, tuple) else value
        return out


def _parse_value(name: str, spec: Spec, value: Any) -> tuple[Any, list[Problem]]:
    if spec.kind is Kind.PEOPLE:
        return _parse_people(name, spec, value)
    if isinstance(value, str):
        value = value.strip()
    if spec.kind is Kind.LIST:
        return _parse_list(name, spec, value)
    if value is None or value == "" or isinstance(value, Upload) and not value.filename and not value.data:
        # an empty choice is asked for as a choice ("Jenis sanksi: pilih salah satu."), never echoed as ''
        missing = "choice.missing" if spec.kind is Kind.CHOICE else "required"
        return None, [Problem(name, missing)] if spec.required else []
    match spec.kind:
        case Kind.TEXT | Kind.TEXTAREA:
            if not isinstance(value, str):
                return None, [Problem(name, "input.not_text")]
            if spec.max_length and len(value) > spec.max_length:
                return None, [Problem(name, "too_long", {"max": spec.max_length})]
            if has_control_chars(value):
                return None, [Problem(name, "text.control_chars")]
            return value, []
        case Kind.CHOICE:
            options = spec.options()
            if not isinstance(value, str) or value not in options:
                shown = value if isinstance(value, str) else type(value).__name__
                return None, [Problem(name, spec.bad_choice, {"value": shown[:64], "code": shown[:64],
                                                              "choices": ", ".join(options)})]
            if isinstance(spec.choices, type):
                return spec.choices(value), []
            return value, []
        case Kind.DATE:
            if isinstance(value, datetime):
                value = value.date()
            if not isinstance(value, date):
                try:
                    value = date.fromisoformat(str(value))
                except ValueError:
                    return None, [Problem(name, "case.bad_date", {"value": str(value)[:32]})]
            if not EARLIEST <= value <= LATEST:
                return None, [Problem(name, "case.date_too_old", {"value": value.isoformat(),
                                                                  "earliest": EARLIEST.isoformat()})]
            return value, []
        case Kind.TIME:
            if isinstance(value, time):
                return value.replace(second=0, microsecond=0, tzinfo=None), []
            match = CLOCK.fullmatch(value) if isinstance(value, str) else None
            if match is None:
                return None, [Problem(name, "input.bad_time", {"value": str(value)[:32]})]
            return time(int(match[1]), int(match[2])), []
        case Kind.FILE:
            if not isinstance(value, Upload):
                return None, [Problem(name, "input.not_file")]
            return value, []
    raise ValueError(spec.kind)


def _parse_people(name: str, spec: Spec, value: Any) -> tuple[dict[str, PersonEntry], list[Problem]]:
    """A mapping NIP -> entry (a JSON body; the desk and the CLI build it from their fields), or its JSON text."""
    if value is None or value == "" or value == {}:
        return {}, []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}, [Problem(name, "input.not_people")]
    if not isinstance(value, Mapping):
        return {}, [Problem(name, "input.not_people")]
    options, known = spec.options(), dict(spec.codes()) if spec.codes else {}
    entries, problems = {}, []
    for nip, entry in value.items():
        nip = str(nip).strip()[:32]
        if isinstance(entry, str):
            entry = {"outcome": entry}
        if not isinstance(entry, Mapping) or set(entry) - {"outcome", "codes", "to"}:
            problems.append(Problem(name, "input.not_people"))
            continue
        outcome = entry.get("outcome")
        if outcome is None or isinstance(outcome, str) and not outcome.strip():
            problems.append(Problem(name, "input.person_outcome_missing", {"nip": nip}))
            continue
        if not isinstance(outcome, str) or outcome.strip() not in options:
            shown = outcome if isinstance(outcome, str) else type(outcome).__name__
            problems.append(Problem(name, "input.person_outcome", {"nip": nip, "value": shown[:64],
                                                                    "choices": ", ".join(options)}))
            continue
        codes = entry.get("codes") or []
        codes = [c.strip() for c in codes.split(",")] if isinstance(codes, str) else codes
        if not isinstance(codes, list) or any(not isinstance(c, str) for c in codes):
            problems.append(Problem(name, "input.not_people"))
            continue
        unknown = [c for c in codes if c and c not in known]
        problems += [Problem(name, "case.unknown_violation", {"code": c[:64]}) for c in unknown]
        to = entry.get("to") or ""
        if not isinstance(to, str) or len(to.strip()) > (spec.max_length or MAX_TEXT) or has_control_chars(to):
            problems.append(Problem(name, "input.person_to", {"nip": nip, "max": spec.max_length}))
            continue
        entries[nip] = PersonEntry(spec.choices(outcome.strip()), tuple(dict.fromkeys(c for c in codes if c)),
                                   to.strip())
    return entries, problems


def _parse_list(name: str, spec: Spec, value: Any) -> tuple[Any, list[Problem]]:
    """A list as a form (getlist), the CLI (a repeated option) or JSON gives it, or one string of items separated
    by commas or new lines; blanks dropped, duplicates once, order kept."""
    if isinstance(value, str):
        value = re.split(r"[,\n]", value)
    if value is None:
        value = []
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return None, [Problem(name, "input.not_text")]
    items = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if not items:
        return None, [Problem(name, "required")] if spec.required else []
    if len(items) > MAX_ITEMS:
        return None, [Problem(name, "too_many", {"max": MAX_ITEMS})]
    for item in items:
        if spec.max_length and len(item) > spec.max_length or has_control_chars(item):
            return None, [Problem(name, "input.bad_item", {"value": item[:64]})]
    return tuple(items), []


# --- what the desk, the CLI and an API build from a declaration --------------------------------------------------
@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # text / textarea / choice / date / time / list / file (the desk adds "track" for a step on one person)
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # (value, label in the asked language)
    max_length: int | None = None
    codes: tuple[tuple[str, str], ...] = ()  # PEOPLE: the codes an entry may list, with their labels


def form_fields(input_type: type[Input], lang: str = "id") -> list[FormField]:
    return [FormField(name, spec.kind.value, spec.required,
                      tuple((value, label.pick(lang)) for value, label in spec.options().items()), spec.max_length,
                      tuple((code, label.pick(lang)) for code, label in (spec.codes() if spec.codes else {}).items()))
            for name, spec in input_type.specs() if spec.on_form]


def json_schema(input_type: type[Input], *, title: str = "") -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the input as a JSON body: files as base64 objects {filename, content}."""
    properties: dict[str, Any] = {}
    for name, spec in input_type.specs():
        match spec.kind:
            case Kind.TEXT | Kind.TEXTAREA:
                prop: dict[str, Any] = {"type": "string", "minLength": 1 if spec.required else 0}
                if spec.max_length:
                    prop["maxLength"] = spec.max_length
            case Kind.CHOICE:
                prop = {"type": "string", "enum": list(spec.options())}
            case Kind.DATE:
                prop = {"type": "string", "format": "date"}
            case Kind.PEOPLE:
                entry = {"type": "object", "additionalProperties": False, "required": ["outcome"],
                         "properties": {"outcome": {"type": "string", "enum": list(spec.options())},
                                        "codes": {"type": "array", "items": {"type": "string",
                                                                             "enum": list(spec.codes() if spec.codes
                                                                                          else {})}},
                                        "to": {"type": "string", "maxLength": spec.max_length}}}
                prop = {"type": "object", "additionalProperties": entry,
                        "description": "per reported person, by NIP"}
            case Kind.TIME:
                prop = {"type": "string", "pattern": "^([01]?[0-9]|2[0-3])[:.][0-5][0-9]$"}
            case Kind.LIST:
                prop = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": spec.max_length},
                        "minItems": 1 if spec.required else 0, "maxItems": MAX_ITEMS}
            case Kind.FILE:
                prop = {"type": "object", "required": ["filename", "content"], "additionalProperties": False,
                        "properties": {"filename": {"type": "string"},
                                       "content": {"type": "string", "contentEncoding": "base64"}}}
        properties[name] = prop
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title or input_type.__name__,
            "type": "object", "properties": properties, "additionalProperties": False,
            "required": [name for name, spec in input_type.specs() if spec.required]}
