"""A desk process for tests/test_faults.py to kill: the real desk (admin.create_app) served on loopback, which stops
inside a decision and waits there to be killed with SIGKILL.

NETRA_FAULT=before_commit: the decision has done all its writes (stage, history, deadlines, audit event: flushed to
the database, transaction open) and has not committed. NETRA_FAULT=after_commit: it has committed and not yet
answered. Either way it writes NETRA_FAULT_MARKER first, so the test knows when to kill. Prints its port.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from werkzeug.serving import make_server


def main() -> None:
    import admin.case_page
    from admin import create_app
    from casework import audit
    from casework.settings import Settings

    marker = Path(os.environ["NETRA_FAULT_MARKER"])
    point = os.environ["NETRA_FAULT"]
    record, flash = audit.record, admin.case_page.flash

    def record_then_stop(session, **kwargs):
        event = record(session, **kwargs)
        if point == "before_commit" and kwargs.get("action", "").startswith("case."):
            session.flush()
            marker.write_text("transaction open")
            time.sleep(600)
        return event

    def flash_then_stop(text, category="message"):
        if point == "after_commit" and category == "success":
            marker.write_text("committed")
            time.sleep(600)
        return flash(text, category)

    audit.record = record_then_stop  # casework.road.workflow calls audit.record through the module
    admin.case_page.flash = flash_then_stop
    app = create_app(replace(Settings.from_env(), secret_key="fault-desk"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
