"""gunicorn settings for the desk in production: `gunicorn -c python:admin.gunicorn_conf "admin:create_app()"`.

Everything can still be overridden on the command line or with GUNICORN_CMD_ARGS. With NETRA_LOG_FORMAT=json
(the default when NETRA_ENV=production) gunicorn's own messages are JSON lines on stdout like the desk's, and
the desk writes one access line per request itself (with its request id), so gunicorn's access log is off.

No `preload_app`: each worker opens its own database pool after the fork (NETRA_DB_POOL_SIZE connections, plus
NETRA_DB_MAX_OVERFLOW at peaks), so PostgreSQL sees workers × (pool + overflow) connections at most. The same
`create_app` in each worker renders a made-up letter before it serves (NETRA_WARM_LETTERS): a worker's first letter
is as fast as its next (bench/README.md); `post_worker_init` below then compiles its pages, so its first page is too.
"""
import os

from casework.settings import Settings

_settings = Settings.from_env()

bind = os.environ.get("NETRA_DESK_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("NETRA_DESK_THREADS", "1"))
timeout = 60  # a letter render takes ~0.1-0.2 s (bench/README.md); a minute is a hung worker
graceful_timeout = 30
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat files off a container's overlay fs
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"

if _settings.log_format == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "casework.adapters.logs.JsonFormatter"}},
        "handlers": {"stdout": {"class": "casework.adapters.logs.StdoutHandler", "formatter": "json"}},
        "root": {"level": "INFO", "handlers": []},  # the desk's own records: casework.adapters.logs.configure (create_app)
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }


def post_worker_init(worker):
    """Before a worker serves: its first page as fast as its next (admin/warm.py; the letters warmed already in
    create_app). Here, not in create_app, so tests and the CLI building an app do not pay for it."""
    import logging

    from admin.warm import warm_pages
    try:
        warm_pages(worker.wsgi)
    except Exception:  # the worker still serves; its first page loads what failed here
        logging.getLogger(__name__).exception("desk: warm-up failed")
