"""One settings object, read from NETRA_* environment variables; the defaults are the embedded ones."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
            secret_key=env.get("NETRA_SECRET_KEY", "dev-only-not-secret"),
            lang=env.get("NETRA_LANG", "id"),
            watch_interval=float(env.get("NETRA_WATCH_INTERVAL", "30")),
            reconcile_interval=float(env.get("NETRA_RECONCILE_INTERVAL", "60")),
        )
