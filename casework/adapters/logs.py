"""Structured logs: in production (NETRA_LOG_FORMAT=json, the default with NETRA_ENV=production) every log record is
one JSON object on one line of stdout — timestamp (UTC, ISO 8601), level, logger, message, request_id — plus the
record's own fields (`extra=`), so a log collector needs no parsing rules. Plain text otherwise.

The request id is a context variable: the desk sets it per request (admin/ops.py); anything logged while the
request runs carries it, casework included, without passing it around.
"""
from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import datetime, timezone

request_id: ContextVar[str | None] = ContextVar("netra_request_id", default=None)

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_MARK = "_netra_handler"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the moment (a test's captured stdout included)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Install one stdout handler on the root logger (once per process; calling again changes its format)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, _MARK, False)), None)
    if handler is None:
        handler = StdoutHandler()
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
