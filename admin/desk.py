"""What every desk page shares: who is asking (the access module's principal, built once per request from the
logged-in user), the login guard, and how stored files go out."""
from __future__ import annotations

from flask import Response, g, redirect, request, url_for
from flask_login import current_user

from casework.access.principal import Principal, principal_for


def principal() -> Principal:
    """The logged-in user as casework.access sees them (cached for the request)."""
    if "netra_principal" not in g:
        g.netra_principal = principal_for(g.netra_user)
    return g.netra_principal


class DeskAccess:
    """Flask-Admin views for logged-in users; the rest go to the login page."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(login_url())


def login_url() -> str:
    """The login page, with the page asked for as `next` (the login checks it is a same-site path). Not
    request.full_path: it always ends in "?", even with no query ("/login?next=/?"); and no `next` for the home
    page, where the login leads anyway."""
    target = request.full_path if request.query_string else request.path
    return url_for("auth.login_page", next=None if target == "/" else target)


def note_read(case, kind: str, *, person=None, item: str = "", channel: str = "desk", who=None) -> None:
    """The access log (casework.privacy.reads, docs/privacy.md §3): this request showed personal data."""
    from flask import current_app

    from casework.adapters.db import transaction
    from casework.privacy.reads import note_read as note

    with transaction(current_app.extensions["netra_sessions"]) as session:
        note(session, who or principal(), case if isinstance(case, int) else case.id, kind, person=person,
             item=item, channel=channel)


def attachment(data: bytes, filename: str) -> Response:
    """Exactly the stored bytes, always as a download (never rendered inline by the browser)."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename) or "berkas"
    return Response(data, mimetype="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"',
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})
