"""Kasus: one case's page — what the user may see of it (casework.access.view), the steps they may take now with
their forms (built from each step's typed input), evidence and decree downloads. Every decision goes through
casework.road.workflow.execute; nothing here decides who may do what."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.desk import DeskAccess, attachment, note_read, principal
from admin.exchange import referral_download
from admin.i18n import current_lang
from casework.access.policy import Action, authorize, permits
from casework.access.view import filtered
from casework.adapters.db import transaction
from casework.errors import CaseworkError, NotFound, ValidationError
from casework.exchange.referral import offered as referral_offered
from casework.i18n.messages import message
from casework.models import Case, EvidenceFile, utcnow
from casework.reference.timezones import local_today
from casework.road.cases import get_case
from casework.road.evidence import add_evidence, evidence_bytes
from casework.road.hearings import code_of, current_hearing, hearings_of, party_options
from casework.road.inputs import FormField, Kind, Upload, form_fields
from casework.road.sanctions import decree_pdf, kinds, missing_slots
from casework.road.statuses import HearingStatus, status_label
from casework.road.workflow import Command, available_steps, get_command, take

ENVELOPE = ("csrf_token", "version", "track", "confirm")  # what a step's form carries besides the step's own input
FILE_PROBLEMS = frozenset({"evidence.type", "evidence.empty", "evidence.too_large", "evidence.disguised"})


def per_person_fields(form) -> dict[str, dict[str, dict[str, Any]]]:
    """A per-person field as the desk's form sends it — `outcomes.<NIP>.outcome`, `outcomes.<NIP>.codes` (ticked
    boxes), `outcomes.<NIP>.to` — as the step's input takes it: {"outcomes": {NIP: {...}}}. A person whose
    outcome is left at "-" is left out (the step then asks for it)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for key in form:
        name, _, rest = key.partition(".")
        nip, _, part = rest.partition(".")
        if not (name and nip and part in ("outcome", "codes", "to")):
            continue
        entry = out.setdefault(name, {}).setdefault(nip, {})
        entry[part] = form.getlist(key) if part == "codes" else form.get(key, "")
    return {name: {nip: e for nip, e in people.items() if e.get("outcome")} for name, people in out.items()}


@dataclass
class StepForm:
    """One step's form on the page: its fields, the people it may act on, and — after a refused try — what was
    typed and what was wrong, so nothing the user typed is lost."""

    command: Command
    fields: list[FormField]
    people: list[tuple[str, str]]  # (NIP, name) for a step on one person's track
    values: dict[str, Any] = field(default_factory=dict)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # a list field's checkboxes
    summary: str = ""  # "Data tidak valid (2 masalah); tidak ada yang disimpan."
    problems: list[tuple[str, str]] = field(default_factory=list)  # (the field's element id or "", the text)
    errors: dict[str, list[str]] = field(default_factory=dict)  # by where on the form ("reason", "outcomes.<NIP>.to")
    resend: dict[str, str] = field(default_factory=dict)  # a file field whose file was sent but not kept: its name
    levels: dict[str, str] = field(default_factory=dict)  # the decree form: each penalty's level (netra.js filters)
    recommended: dict[str, str] = field(default_factory=dict)  # the decree form: each track's recommended penalty

    def anchor(self, where: str) -> str:
        """The id of the element a problem at `where` belongs to: `decide_plenary-<NIP>-to` for "outcomes.<NIP>.to"."""
        name, _, rest = where.partition(".")
        if rest:
            nip, _, part = rest.partition(".")
            return f"{self.command.name}-{nip}-{part}"
        return f"{self.command.name}-{name}"


ROLE_LABELS = {"reported": _l("Terlapor"), "reporter": _l("Pelapor"), "witness": _l("Saksi")}


def list_options(session, case: Case, fields: list[FormField]) -> dict[str, list[tuple[str, str]]]:
    """The checkboxes of a step's list fields: whom an invitation may invite (the case's parties: only handlers
    invite, and they see them all), who of the hearing in force came (the minutes)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for f in fields:
        if f.name == "invitees":
            out[f.name] = [(code, f"{name} ({ROLE_LABELS[kind]})") for code, name, kind in party_options(case)]
        elif f.name == "attended" and (hearing := current_hearing(session, case)) is not None:
            out[f.name] = [(code_of(i), f"{i.name} ({ROLE_LABELS.get(i.kind) or i.role or _('Undangan lain')})")
                           for i in hearing.invitees]
    return out


def hearings_shown(session, p, case: Case, d: dict) -> list[dict[str, Any]]:
    """The case's hearings as this user may see them: the reporter, witnesses and other invitees only for those
    who see the reporter (the handling office's handlers), a reported ASN only for those who see that person."""
    protected = permits(p, Action.SEE_REPORTER, case)
    visible = {x["id"] for x in d["reported"]}
    out = []
    for h in hearings_of(session, case):
        people = [{"name": i.name, "role": str(ROLE_LABELS.get(i.kind) or i.role or _("Undangan lain")),
                   "attended": i.attended} for i in h.invitees
                  if (i.reported_asn_id in visible if i.kind == "reported" else protected)]
        clock = f"{h.scheduled_time:%H:%M}" if current_lang() == "en" else f"{h.scheduled_time:%H.%M}"
        out.append({"id": h.id, "date": h.scheduled_on, "time": f"{clock} {h.timezone}",
                    "place": h.place, "status": h.status,
                    "status_label": status_label(HearingStatus, h.status, current_lang()), "reason": h.reschedule_reason, "invitees": people,
                    "withheld": len(h.invitees) - len(people)})
    return out


def decree_start(form: StepForm, people: list) -> None:
    """The decree form starts from what the oversight body recommended for the person (the first penalty still
    without its decree), level and penalty chosen; netra.js follows the track picked and filters the penalties."""
    form.levels = {code: kind.level for code, kind in kinds().items()}
    for person in people:
        waiting = missing_slots(person) or person.recommended_sanctions
        if waiting and waiting[0] in form.levels:
            form.recommended[person.nip] = waiting[0]
    first = form.recommended.get(people[0].nip) if people else None
    if first:
        form.values |= {"sanction": first, "sanction_level": form.levels[first]}


def correction_start(case: Case) -> dict[str, Any]:
    return {"reasoning": case.plenary_reasoning or "",
            "outcomes": {p.nip: {"outcome": p.plenary_outcome, "codes": p.plenary_violations or [],
                                 "to": p.plenary_referred_to or ""} for p in case.reported if p.plenary_outcome}}


class CaseView(DeskAccess, BaseView):
    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        return redirect(url_for("cases.index_view"))

    def _case_or_404(self, number: str) -> Case:
        try:
            case = get_case(self.db, number)
            authorize(principal(), Action.SEE_CASE, case)
        except NotFound:
            abort(404)
        return case

    @expose("/<number>")
    def show(self, number: str):
        return self._page(self._case_or_404(number))

    def _page(self, case: Case, *, refused: str | None = None, values: dict | None = None,
              summary: str = "", problems: list | None = None, resend: dict | None = None,
              upload: dict | None = None, status: int = 200):
        p, lang = principal(), current_lang()
        d = filtered(self.db, p, case, lang=lang)
        if d["reporter"]:  # the reporter's identity is on this page: a read of it (docs/privacy.md)
            note_read(case.id, "reporter")
        names = {x["nip"]: x["name"] for x in d["reported"]}
        forms = []
        for offer in available_steps(case, p):
            form = StepForm(offer.command, form_fields(offer.command.input, lang),
                            [(x.nip, names.get(x.nip, x.name)) for x in offer.people])
            form.options = list_options(self.db, case, form.fields)
            # a new invitation invites the reported ASN unless unticked; a new minutes form, everyone invited
            form.values = {f.name: [code for code, _ in form.options.get(f.name, ())
                                    if f.name == "attended" or code.startswith("reported:")]
                           for f in form.fields if f.kind == "list"}
            if offer.command.name == "record_sanction":
                decree_start(form, list(offer.people))
            if offer.command.name == refused:  # what was typed, every problem beside its field and at the top
                form.values, form.summary, form.resend = values or {}, summary, resend or {}
                for problem in problems or []:
                    form.errors.setdefault(problem.where, []).append(problem.render(lang))
                shown = {f.name for f in form.fields} | {"acted_on", "track", "confirm"} | {
                    f"{f.name}.{nip}.{part}" for f in form.fields if f.kind == "people"
                    for nip in names for part in ("outcome", "codes", "to")}
                form.problems = [(form.anchor(x.where) if x.where in shown else "", x.render(lang))
                                 for x in problems or []]
            elif offer.command.name == "correct_plenary":  # a correction starts from the decision as recorded
                form.values = correction_start(case)
            forms.append(form)
        from admin.letters import letters_section  # the letters section's data (admin/letters.py)
        return self.render("netra/case.html", case=case, d=d, forms=forms, lang=lang,
                           referral=referral_offered(self.db, case, p),
                           today=local_today(d["timezone"], utcnow()).isoformat(),
                           hearings=hearings_shown(self.db, p, case, d),
                           letters=letters_section(self.db, p, case), upload=upload or {},
                           see_prevention=permits(p, Action.SEE_PREVENTION)), status

    @expose("/<number>/langkah/<step>", methods=["POST"])
    def take_step(self, number: str, step: str):
        try:  # the case itself is read (and who may see it decided) by `take`, once; the page reads it on error only
            get_command(step)
        except NotFound:
            abort(404)
        fields: dict[str, Any] = {k: v for k, v in request.form.items() if k not in ENVELOPE and "." not in k}
        for name, spec in get_command(step).input.specs():  # checkboxes: every ticked value, none when none is
            if spec.kind is Kind.LIST:
                fields[name] = request.form.getlist(name)
        fields |= {k: Upload(f.filename or "", f.read()) for k, f in request.files.items() if f.filename}
        fields |= per_person_fields(request.form)
        lang = current_lang()
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                taken = take(session, step, case_number=number, principal=principal(),
                             # a missing or malformed version is a stale form, never "no check" (None)
                             expected_version=request.form.get("version", -1, type=int),
                             track=request.form.get("track") or None, settings=current_app.config["NETRA_SETTINGS"],
                             fields=fields, confirmed="confirm" in request.form)
        except ValidationError as exc:  # the form comes back as it was typed, with every problem: 400
            self.db.expire_all()
            case = self._case_or_404(number)
            kept = {k: v for k, v in fields.items() if isinstance(v, (str, list, dict))} | {
                "track": request.form.get("track"), "confirm": "confirm" in request.form}
            # a file is not held between tries: the form names it and asks for it again beside its field
            resend = {k: PurePath(v.filename).name for k, v in fields.items() if isinstance(v, Upload) and v.filename}
            return self._page(case, refused=step, values=kept, summary=exc.render(lang).splitlines()[0],
                              problems=exc.problems, resend=resend, status=400)
        except NotFound:
            abort(404)
        except CaseworkError as exc:  # stale, wrong stage, not this role or office: said, nothing written
            self.db.expire_all()
            fresh = self._case_or_404(number) if exc.code == "case.stale" else None  # read again only when stale
            if fresh is not None and any(o.command.name == step for o in available_steps(fresh, principal())):
                # someone else moved the case first, and this step still applies: the page as it is now, with the
                # form as it was typed (409) — a hurried user reads the change before sending it again
                kept = {k: v for k, v in fields.items() if isinstance(v, (str, list, dict))} | {
                    "track": request.form.get("track"), "confirm": "confirm" in request.form}
                resend = {k: PurePath(v.filename).name for k, v in fields.items()
                          if isinstance(v, Upload) and v.filename}
                return self._page(fresh, refused=step, values=kept, resend=resend, status=409,
                                  summary=f"{exc.render(lang)} {message('case.stale_kept', lang)}")
            flash(exc.render(lang), "danger")
        else:
            flash(_("Tersimpan: %(step)s", step=get_command(step).label.pick(lang)), "success")
            for warning in taken.warnings:
                flash(warning.render(lang), "warning")
        self.db.expire_all()
        return redirect(url_for("case.show", number=number))

    @expose("/<number>/rujukan", methods=["POST"])
    def referral(self, number: str):
        """The SBT/I'DIS referral package (admin/exchange.py): a download that is an audit event, so a POST."""
        return referral_download(current_app.extensions["netra_sessions"], number)

    @expose("/<number>/bukti", methods=["POST"])
    def upload(self, number: str):
        case = self._case_or_404(number)
        upload = request.files.get("file")
        try:
            with transaction(current_app.extensions["netra_sessions"]) as session:
                add_evidence(session, session.get(Case, case.id), data=upload.read() if upload else b"",
                             filename=upload.filename if upload else "", principal=principal(),
                             description=request.form.get("description", ""),
                             settings=current_app.config["NETRA_SETTINGS"])
        except NotFound:
            abort(404)
        except CaseworkError as exc:
            if exc.code in FILE_PROBLEMS:  # about the file: said beside it, the description kept
                self.db.expire_all()
                return self._page(case, upload={"error": exc.render(current_lang()),
                                                "description": request.form.get("description", ""),
                                                "file": PurePath(upload.filename or "").name if upload else ""},
                                  status=400)
            flash(exc.render(current_lang()), "danger")
        else:
            flash(_("Bukti tersimpan."), "success")
        return redirect(url_for("case.show", number=number))

    @expose("/<number>/bukti/<int:evidence_id>")
    def evidence(self, number: str, evidence_id: int):
        case = self._case_or_404(number)
        item = self.db.get(EvidenceFile, evidence_id)
        try:
            authorize(principal(), Action.READ_EVIDENCE, case)
        except CaseworkError:
            abort(404)
        if item is None or item.case_id != case.id:
            abort(404)
        data = evidence_bytes(item, current_app.config["NETRA_SETTINGS"])
        note_read(case.id, "evidence", item=f"{item.id} {item.original_name}")
        return attachment(data, item.original_name)

    @expose("/<number>/sk/<int:person_id>")
    def decree(self, number: str, person_id: int):
        """A reported ASN's sanction decree PDF, for whoever may see that person on this case."""
        case = self._case_or_404(number)
        person = next((x for x in case.reported if x.id == person_id), None)
        try:
            authorize(principal(), Action.READ_DECREE, case, person)
        except CaseworkError:
            abort(404)
        if person is None or not person.decree_file:
            abort(404)
        # ?sk=<id>: one of the track's decrees (a moral sanction and a discipline penalty have one each)
        wanted = request.args.get("sk", type=int)
        decree = next((x for x in person.decrees if x.id == wanted), None) if wanted is not None else None
        if wanted is not None and decree is None:
            abort(404)
        name = decree.file_name if decree is not None else person.decree_file_name
        data = decree_pdf(person, current_app.config["NETRA_SETTINGS"], decree)
        note_read(case.id, "decree", person=person, item=decree.number if decree is not None else person.decree_number)
        return attachment(data, name)
