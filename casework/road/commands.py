"""The road's commands: each step's name, label, who may take it at which stage, what it takes (its typed input),
the letters it asks for and its handler — registered by the step modules (casework.road.steps) — and, for a case
and a principal, the steps they may take now (the access module's answer for each). Running one is
casework.road.workflow's."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casework.access.policy import Action, decide
from casework.access.principal import Principal
from casework.errors import NotFound
from casework.i18n.catalog import Text
from casework.models import Case, ReportedASN
from casework.road.inputs import Input
from casework.road.stages import Stage

if TYPE_CHECKING:
    from casework.road.workflow import Step

__all__ = ["COMMANDS", "Command", "Offer", "available_steps", "command", "get_command", "steps_table"]


@dataclass(frozen=True)
class Command:
    name: str
    label: Text  # a msgid of the catalog: .pick(lang)
    roles: frozenset[str]
    stages: frozenset[str]
    handler: Callable[[Step], None]
    input: type[Input] = Input
    track_stages: frozenset[str] = frozenset()  # non-empty: the command acts on one reported ASN's track
    letters: tuple[str, ...] = ()  # letter kinds it always asks for (handlers may add more)
    act_field: str | None = None  # the input field that is the act's date (else the generic `acted_on`)
    # when, besides stage and role, the step can be taken at all: a step its handler would always refuse now (a
    # forward before anyone is found in violation, a second extension) is not offered. The handler still checks.
    offered: Callable[[Case, ReportedASN | None], bool] | None = None
    # a step that ends the case (withdraw, merge, decline): the desk asks for its reason and an explicit confirmation
    ends_case: str | None = None  # the input field that is its reason
    # non-empty: the command acts on one reported person's criminal part (casework.road.criminal) at these of its
    # stages; NO_CRIMINAL_PART stands for a person without one yet
    criminal_stages: frozenset[str] = frozenset()
    # a step one may take but nobody waits for (declaring a suspected crime; the police's answer, which is the
    # police's move): offered on the case page, but it puts no case on anyone's Tugas saya
    optional: bool = False

    def can_take(self, case: Case, person: ReportedASN | None = None) -> bool:
        return self.offered is None or self.offered(case, person)

    @property
    def on_track(self) -> bool:
        """It acts on one reported person: their neutrality track, or their criminal part."""
        return bool(self.track_stages or self.criminal_stages)

    def person_stage(self, person: ReportedASN) -> str | None:
        """Where `person` is on the road this step belongs to."""
        if self.criminal_stages:
            return person.criminal_stage or NO_CRIMINAL_PART
        return person.track_stage

    def person_ready(self, person: ReportedASN) -> bool:
        return self.person_stage(person) in (self.criminal_stages or self.track_stages)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.input.specs() if spec.required)


COMMANDS: dict[str, Command] = {}
NO_CRIMINAL_PART = "none"


def command(name: str, label: str, *, roles: frozenset[str], stages: frozenset[str] | set,
            input: type[Input] = Input, track_stages: frozenset[str] | set = frozenset(),
            letters: tuple[str, ...] = (), act_field: str | None = None,
            offered: Callable[[Case, ReportedASN | None], bool] | None = None,
            ends_case: str | None = None, criminal_stages: frozenset[str] | set = frozenset(),
            optional: bool = False) -> Callable:
    """Register a step; `label` is its Indonesian name, marked N_() so that `make catalog` finds it."""
    def register_command(handler: Callable[[Step], None]) -> Callable[[Step], None]:
        text = label if isinstance(label, Text) else Text(label)
        COMMANDS[name] = Command(name, text, frozenset(roles), frozenset(stages), handler, input,
                                 frozenset(track_stages), letters, act_field, offered, ends_case,
                                 frozenset(criminal_stages), optional)
        return handler
    return register_command


def get_command(name: str) -> Command:
    cmd = COMMANDS.get(name)
    if cmd is None:
        raise NotFound("workflow.unknown_command", command=str(name)[:64])
    return cmd


@dataclass(frozen=True)
class Offer:
    """A step `principal` may take now, and on whom when it is a step on one person's track."""

    command: Command
    people: tuple[ReportedASN, ...] = ()


def available_steps(case: Case, principal: Principal) -> list[Offer]:
    """The steps this principal may take now — what the desk offers and Tugas saya counts: the access module's
    answer for each command at the case's stage, and for a track step each person at the track's stage; a step
    whose own rule would refuse it now (`Command.offered`) is left out."""
    offers = []
    for cmd in COMMANDS.values():
        if case.stage not in cmd.stages or not set(cmd.roles) & principal.role_codes:
            continue
        if not cmd.on_track and not cmd.can_take(case):
            continue
        if cmd.on_track:
            people = tuple(p for p in case.reported if cmd.person_ready(p) and cmd.can_take(case, p)
                           and decide(principal, Action.SEE_PERSON, case, p)
                           and decide(principal, Action.TAKE_STEP, case, p, command=cmd))
            if people:
                offers.append(Offer(cmd, people))
        elif decide(principal, Action.TAKE_STEP, case, command=cmd):
            offers.append(Offer(cmd))
    return offers


def steps_table(lang: str = "id") -> list[dict[str, Any]]:
    """Every command as plain data (for `netra workflow steps` and docs/workflow.md)."""
    return [{"name": c.name, "label": c.label.pick(lang), "roles": sorted(c.roles),
             "stages": sorted(c.stages, key=list(Stage).index), "track_stages": sorted(c.track_stages),
             "criminal_stages": sorted(c.criminal_stages), "optional_step": c.optional,
             "fields": list(c.required), "optional": [n for n, s in c.input.specs() if not s.required],
             "letters": list(c.letters)} for c in COMMANDS.values()]
