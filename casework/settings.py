"""One settings object, read from NETRA_* environment variables once at start-up; the defaults are the embedded
ones.

The desk's secret key: NETRA_SECRET_KEY when set; otherwise (not in production) a random key made once in
`<var_dir>/secret_key` (mode 0600) and read from there by every process of the install, so `make run` needs no
configuration and nobody can know its key. Production never makes one: it refuses to start without a strong key.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

# The source tree (sql/, dags/, var/). An installed copy (the Docker image: `pip install .`) is told where it is.
PROJECT_ROOT = Path(os.environ.get("NETRA_PROJECT_ROOT") or Path(__file__).resolve().parent.parent)
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY = 32


class ConfigurationError(RuntimeError):
    """A setting that production mode refuses; the message is bilingual (Bahasa Indonesia / English)."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path
    evidence_dir: Path
    letters_dir: Path
    smtp_host: str
    smtp_port: int
    mail_from: str
    base_url: str
    default_timezone: str
    secret_key: str
    lang: str
    # Airflow (dags/): how often a waiting case run looks at the database, and how often `reconcile` runs
    watch_interval: float
    reconcile_interval: float
    # Production (docker/README.md): NETRA_ENV=production refuses a missing or weak secret key, makes cookies Secure,
    # sends HSTS and logs JSON lines; pools for PostgreSQL (per process: size it to the gunicorn worker's threads)
    env: str = "development"
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_pool_recycle: int = 1800
    db_pool_timeout: float = 30
    behind_proxy: int = 0  # how many proxies in front set X-Forwarded-For/-Proto/-Host (werkzeug ProxyFix)
    log_format: str = "text"  # "json": one JSON object per line on stdout
    # The desk (admin/security.py): login attempts per client address and minute, a session's life in hours, and
    # the Host names it answers (empty: any; production should list its own, so a forged Host gets 400)
    login_attempts_per_minute: int = 20
    api_requests_per_minute: int = 120  # per API token (admin/api): Netra's policy, docs/api.md
    session_hours: float = 12
    trusted_hosts: tuple[str, ...] = ()
    # the desk renders a made-up letter at start (casework.letters.render.warm_up), so its first letter is not slow
    warm_letters: bool = True
    secret_key_problem: str = ""  # why no key could be had (an unwritable var dir): the desk refuses to start
    # Certified signatures of letters (casework.signing, docs/signatures.md): the keys, trust roots and revocation
    # lists (default <var_dir>/signing), the TSA's address (empty: no timestamp), whether revocation data may be
    # fetched online, and which signer: "local" (PKCS#12 files) or "bsre" (a remote signing service at bsre_url)
    signing_dir: Path | None = None
    tsa_url: str = ""
    signing_fetch: bool = False
    signing_backend: str = "local"
    bsre_url: str = ""
    # Airflow's REST API, for `netra airflow resync` (casework.road.resync): its address and an account on it
    airflow_api_url: str = ""
    airflow_username: str = "admin"
    airflow_password: str = ""
    # The public side (docs/public.md): WhatsApp Business Cloud API — the app secret that signs each webhook call
    # (X-Hub-Signature-256), the token Meta echoes when subscribing, the access token for media and replies, the
    # Graph API's address, and which office each WhatsApp number (its phone_number_id) belongs to. Empty: off.
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_token: str = ""
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_lines: tuple[tuple[str, str], ...] = ()  # (phone_number_id, office code)
    whatsapp_outbound: bool = False  # acknowledge each message by WhatsApp (casework.mail.notifiers); off by default
    # online reports (admin/online.py): submissions per client address and hour (Netra's policy)
    online_reports_per_hour: int = 5

    @property
    def signing_path(self) -> Path:
        return self.signing_dir or self.var_dir / "signing"

    @property
    def production(self) -> bool:
        return self.env == "production"

    def check(self) -> None:
        """Refuse to serve the desk without a secret key, or in production mode with one anyone can know."""
        key = self.secret_key
        if not key and not self.production:
            raise ConfigurationError(
                "Kunci rahasia desk tidak tersedia: NETRA_SECRET_KEY kosong dan berkas kuncinya tidak dapat dipakai. "
                "/ The desk has no secret key: NETRA_SECRET_KEY is empty and its key file cannot be used. "
                f"({self.secret_key_problem})")
        if self.production and (len(key) < MIN_SECRET_KEY or "change-me" in key.lower()):
            raise ConfigurationError(
                "NETRA_SECRET_KEY wajib diisi di mode produksi (NETRA_ENV=production): kunci kosong, contoh, atau "
                "yang lebih pendek dari 32 karakter ditolak; mode produksi tidak membuat kunci sendiri. / "
                "NETRA_SECRET_KEY is required in production mode (NETRA_ENV=production): a missing or example key, "
                "or one shorter than 32 characters, is refused; production never makes its own. Buat / generate: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        var_dir = Path(env.get("NETRA_VAR_DIR", PROJECT_ROOT / "var"))
        production = env.get("NETRA_ENV", "development") == "production"
        secret_key, problem = env.get("NETRA_SECRET_KEY", ""), ""
        if not secret_key and not production:  # production must be given its key: check() refuses it otherwise
            try:
                secret_key = secret_key_from_file(var_dir)
            except OSError as exc:  # e.g. a read-only checkout: commands that need no key still run
                problem = f"{var_dir / SECRET_KEY_FILE}: {exc.strerror or exc}"
        return cls(
            database_url=env.get("NETRA_DATABASE_URL", f"sqlite:///{var_dir / 'netra.db'}"),
            var_dir=var_dir,
            evidence_dir=Path(env.get("NETRA_EVIDENCE_DIR", var_dir / "evidence")),
            letters_dir=Path(env.get("NETRA_LETTERS_DIR", var_dir / "letters")),
            smtp_host=env.get("NETRA_SMTP_HOST", "127.0.0.1"),
            smtp_port=int(env.get("NETRA_SMTP_PORT", "8025")),
            mail_from=env.get("NETRA_MAIL_FROM", "netra@localhost"),
            base_url=default_base_url(env),
            default_timezone=env.get("NETRA_TIMEZONE", "Asia/Jakarta"),
            secret_key=secret_key,
            secret_key_problem=problem,
            lang=env.get("NETRA_LANG", "id"),
            watch_interval=float(env.get("NETRA_WATCH_INTERVAL", "10")),
            reconcile_interval=float(env.get("NETRA_RECONCILE_INTERVAL", "60")),
            env=env.get("NETRA_ENV", "development"),
            db_pool_size=int(env.get("NETRA_DB_POOL_SIZE", "5")),
            db_max_overflow=int(env.get("NETRA_DB_MAX_OVERFLOW", "10")),
            db_pool_recycle=int(env.get("NETRA_DB_POOL_RECYCLE", "1800")),
            db_pool_timeout=float(env.get("NETRA_DB_POOL_TIMEOUT", "30")),
            behind_proxy=int(env.get("NETRA_BEHIND_PROXY", "0")),
            log_format=env.get("NETRA_LOG_FORMAT",
                               "json" if env.get("NETRA_ENV") == "production" else "text"),
            login_attempts_per_minute=int(env.get("NETRA_LOGIN_ATTEMPTS_PER_MINUTE", "20")),
            api_requests_per_minute=int(env.get("NETRA_API_REQUESTS_PER_MINUTE", "120")),
            session_hours=float(env.get("NETRA_SESSION_HOURS", "12")),
            trusted_hosts=tuple(h.strip() for h in env.get("NETRA_TRUSTED_HOSTS", "").split(",") if h.strip()),
            warm_letters=env.get("NETRA_WARM_LETTERS", "1") != "0",
            signing_dir=Path(env["NETRA_SIGNING_DIR"]) if env.get("NETRA_SIGNING_DIR") else None,
            tsa_url=env.get("NETRA_TSA_URL", ""),
            signing_fetch=env.get("NETRA_SIGNING_FETCH", "0") == "1",
            signing_backend=env.get("NETRA_SIGNING_BACKEND", "local"),
            bsre_url=env.get("NETRA_BSRE_URL", ""),
            airflow_api_url=env.get("NETRA_AIRFLOW_API_URL", ""),
            airflow_username=env.get("NETRA_AIRFLOW_USER", "admin"),
            airflow_password=env.get("NETRA_AIRFLOW_PASSWORD", ""),
            whatsapp_app_secret=env.get("NETRA_WHATSAPP_APP_SECRET", ""),
            whatsapp_verify_token=env.get("NETRA_WHATSAPP_VERIFY_TOKEN", ""),
            whatsapp_token=env.get("NETRA_WHATSAPP_TOKEN", ""),
            whatsapp_api_url=env.get("NETRA_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0").rstrip("/"),
            whatsapp_lines=tuple(tuple(pair.split("=", 1)) for pair in  # type: ignore[misc]
                                 (p.strip() for p in env.get("NETRA_WHATSAPP_LINES", "").split(","))
                                 if "=" in pair),
            whatsapp_outbound=env.get("NETRA_WHATSAPP_OUTBOUND", "0") == "1",
            online_reports_per_hour=int(env.get("NETRA_ONLINE_REPORTS_PER_HOUR", "5")),
        )


def default_base_url(env: dict[str, str] | None = None) -> str:
    """The desk's address for links in emails (NETRA_BASE_URL), for a caller that was given no settings."""
    return (os.environ if env is None else env).get("NETRA_BASE_URL", "http://127.0.0.1:5000")


def secret_key_from_file(var_dir: Path) -> str:
    """The install's key in `<var_dir>/secret_key`, made on first use. Made atomically: written complete, mode 0600
    from its creation (never readable by others, whatever the umask), in a temporary file that is then hard-linked
    into place — a link never replaces an existing file, so when two processes race, the loser reads the winner's
    key and both sign with the same one."""
    path = var_dir / SECRET_KEY_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        temporary = var_dir / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(6)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: theirs is the key
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_text().strip()
    if len(key) < MIN_SECRET_KEY:  # emptied or edited by hand: never sign with it
        raise OSError(f"rusak / damaged: under {MIN_SECRET_KEY} characters; delete it to have it made again")
    return key
