"""Who signs a letter: one of the issuing office's signing officials on duty on the letter's date — the head
(Ketua) or whoever acts for them (Plh./Plt.) — chosen when it is issued, else by default: the issuer themself when
they are one of them (the head who decided and issues), else the head on duty, else an acting official. The
signer's name and title are frozen on the letter (printed under the signature, shown on its verification page).

An office without officials (an install from before they existed, an office nobody configured) signs with its
`head_name` as before; such a letter records the name and title but no official."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import CaseworkError
from casework.i18n.dates import indonesian_date
from casework.models import Office, SigningOfficial, User


@dataclass(frozen=True)
class Signer:
    id: int | None  # the SigningOfficial; None: the office's head_name (no official configured)
    name: str
    title: str
    nip: str | None = None

    @classmethod
    def of(cls, official: SigningOfficial) -> Signer:
        return cls(official.id, official.name, official.title, official.nip)


def on_duty(session: Session, office: Office, on: date, signs_as: str = "ttd") -> list[SigningOfficial]:
    """The office's officials who may sign on `on`: heads first, then acting ones, each by seniority of record
    (`signs_as="paraf"`: those who initial letters before they are signed)."""
    rows = session.scalars(select(SigningOfficial).where(SigningOfficial.office_id == office.id,
                                                         SigningOfficial.signs_as == signs_as)
                           .order_by(SigningOfficial.acting, SigningOfficial.id))
    return [row for row in rows if row.on_duty(on)]


def default_signer(session: Session, office: Office, on: date, username: str | None = None) -> Signer:
    officials = on_duty(session, office, on)
    if username:
        user_id = session.scalar(select(User.id).where(User.username == username))
        mine = next((o for o in officials if user_id is not None and o.user_id == user_id), None)
        if mine is not None:
            return Signer.of(mine)
    if officials:
        return Signer.of(officials[0])
    return Signer(None, office.head_name or "(nama pejabat)", office.head_title)


def choose_signer(session: Session, office: Office, on: date, chosen: int | str | None = None,
                  username: str | None = None) -> Signer:
    """The official `chosen` (their id, or their name as written) if they sign for `office` on `on`; the default
    when nothing is chosen. Anyone else — another office's official, one whose term is over — is refused."""
    if chosen is None or str(chosen).strip() == "":
        return default_signer(session, office, on, username)
    wanted = str(chosen).strip()
    for official in on_duty(session, office, on):
        if wanted == str(official.id) or wanted.casefold() == official.name.casefold():
            return Signer.of(official)
    raise CaseworkError("signer.unknown", signer=wanted[:100], office=office.short_name, date=indonesian_date(on))
