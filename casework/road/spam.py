"""Spam: an online report a handler marks, in one click, as not a report at all (issue 20).

Only a laporan that came through the public form, and only while it is still `received`: a report a person filed
at the desk, or one already under review, ends by withdrawal or non-registration, with their letters. The case
moves to the terminal stage `spam`: its deadlines are cancelled, the letters it was owed (the receipt) are not
written, and every count leaves it out (casework.reports.dashboard's scope, the public statistics) — while the
case, its history and the audit trail keep it, for whoever asks later what was thrown away and by whom.
"""
from __future__ import annotations

from casework.errors import CaseworkError
from casework.i18n.catalog import N_
from casework.letters.requests import cancel_owed
from casework.road.stages import Stage
from casework.road.workflow import Step, command

HANDLER = frozenset({"bawaslu_handler"})


@command("mark_spam", N_("Tandai spam"), roles=HANDLER, stages={Stage.RECEIVED},
         offered=lambda case, _person: case.channel == "online", optional=True)
def mark_spam(step: Step) -> None:
    if step.case.channel != "online":
        raise CaseworkError("online.spam_only_online", number=step.case.number)
    step.stop_everything()
    cancel_owed(step.session, step.case, actor=step.principal.username)
    step.move(Stage.SPAM, "Ditandai spam (laporan daring)")
