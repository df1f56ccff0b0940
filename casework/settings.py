"""One settings object, read from NETRA_* environment variables; the defaults are the embedded ones."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The source tree (sql/, dags/, var/). An installed copy (the Docker image: `pip install .`) is told where it is.
PROJECT_ROOT = Path(os.environ.get("NETRA_PROJECT_ROOT") or Path(__file__).resolve().parent.parent)
DEFAULT_SECRET_KEY = "dev-only-not-secret"


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
    # Production (docker/README.md): NETRA_ENV=production refuses the default secret key, makes cookies Secure,
    # sends HSTS and logs JSON lines; pools for PostgreSQL (per process: size it to the gunicorn worker's threads)
    env: str = "development"
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_pool_recycle: int = 1800
    db_pool_timeout: float = 30
    behind_proxy: int = 0  # how many proxies in front set X-Forwarded-For/-Proto/-Host (werkzeug ProxyFix)
    log_format: str = "text"  # "json": one JSON object per line on stdout

    @property
    def production(self) -> bool:
        return self.env == "production"

    def check_production(self) -> None:
        """Refuse to serve in production mode with a secret key anyone can know."""
        key = self.secret_key
        if self.production and (key == DEFAULT_SECRET_KEY or len(key) < 32 or "change-me" in key.lower()):
            raise ConfigurationError(
                "NETRA_SECRET_KEY wajib diisi di mode produksi (NETRA_ENV=production): kunci bawaan, contoh, atau "
                "yang lebih pendek dari 32 karakter ditolak. / NETRA_SECRET_KEY is required in production mode "
                "(NETRA_ENV=production): the default key, the example one, or one shorter than 32 characters is "
                "refused. Buat / generate: python -c 'import secrets; print(secrets.token_urlsafe(48))'")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        var_dir = Path(env.get("NETRA_VAR_DIR", PROJECT_ROOT / "var"))
        return cls(
            database_url=env.get("NETRA_DATABASE_URL", f"sqlite:///{var_dir / 'netra.db'}"),
            var_dir=var_dir,
            evidence_dir=Path(env.get("NETRA_EVIDENCE_DIR", var_dir / "evidence")),
            letters_dir=Path(env.get("NETRA_LETTERS_DIR", var_dir / "letters")),
            smtp_host=env.get("NETRA_SMTP_HOST", "127.0.0.1"),
            smtp_port=int(env.get("NETRA_SMTP_PORT", "8025")),
            mail_from=env.get("NETRA_MAIL_FROM", "netra@localhost"),
            base_url=env.get("NETRA_BASE_URL", "http://127.0.0.1:5000"),
            default_timezone=env.get("NETRA_TIMEZONE", "Asia/Jakarta"),
            secret_key=env.get("NETRA_SECRET_KEY", DEFAULT_SECRET_KEY),
            lang=env.get("NETRA_LANG", "id"),
            watch_interval=float(env.get("NETRA_WATCH_INTERVAL", "30")),
            reconcile_interval=float(env.get("NETRA_RECONCILE_INTERVAL", "60")),
            env=env.get("NETRA_ENV", "development"),
            db_pool_size=int(env.get("NETRA_DB_POOL_SIZE", "5")),
            db_max_overflow=int(env.get("NETRA_DB_MAX_OVERFLOW", "10")),
            db_pool_recycle=int(env.get("NETRA_DB_POOL_RECYCLE", "1800")),
            db_pool_timeout=float(env.get("NETRA_DB_POOL_TIMEOUT", "30")),
            behind_proxy=int(env.get("NETRA_BEHIND_PROXY", "0")),
            log_format=env.get("NETRA_LOG_FORMAT",
                               "json" if env.get("NETRA_ENV") == "production" else "text"),
        )
