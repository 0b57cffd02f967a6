"""Settings from the environment, with defaults that are safe for one group on one box."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_RETENTION_DAYS = 30


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_path() -> Path:
    """Where keys and the SQLite file live: AID_INSTANCE_PATH or ./instance."""
    return Path(os.environ.get("AID_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def read_or_create_secret(path: Path, nbytes: int, create: bool = True) -> bytes | None:
    """Read a secret file, or create it with mode 0600; never print or log it."""
    if path.exists():
        return path.read_bytes()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_bytes(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(value)
    return value


def from_environment(inst: Path) -> dict:
    """Build the configuration mapping from environment variables."""
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{inst / 'aid.db'}"
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(db_url),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "AID_MASTER_KEY": os.environ.get("AID_MASTER_KEY") or None,
        "AID_AUTO_MIGRATE": _bool("AID_AUTO_MIGRATE", True),
        # The daily jobs (the retention purge) run by themselves in each serving process;
        # 0 when cron or an RQ worker runs them instead (see README).
        "AID_SCHEDULER": _bool("AID_SCHEDULER", True),
        "AID_RETENTION_DAYS": int(os.environ.get("AID_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS),
        "AID_HTTPS": _bool("AID_HTTPS", False),
        # The host names this app answers to; a request naming another Host gets a 400.
        "TRUSTED_HOSTS": [h.strip() for h in (os.environ.get("AID_HOSTS") or
                                              "localhost,127.0.0.1,[::1]").split(",")
                          if h.strip()],
        "REDIS_URL": redis_url,
        "AID_QUEUE": os.environ.get("AID_QUEUE") or "aid",  # the RQ queue background jobs use
        "RATELIMIT_ENABLED": _bool("AID_RATELIMIT", True),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "AID_SESSION_IDLE_MINUTES": int(os.environ.get("AID_SESSION_IDLE_MINUTES") or 30),
        "AID_SESSION_MAX_HOURS": int(os.environ.get("AID_SESSION_MAX_HOURS") or 12),
        "AID_LOG_LEVEL": os.environ.get("AID_LOG_LEVEL", "INFO"),
        # Where people reach the app: links printed by the command line (invitations).
        "AID_PUBLIC_URL": os.environ.get("AID_PUBLIC_URL") or "http://127.0.0.1:5000",
        # The group's own time zone: dates and times on every page, delivery windows.
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("AID_TIMEZONE") or "UTC",
        # The ledger's currency (ISO 4217); amounts are integer cents of it.
        "AID_CURRENCY": (os.environ.get("AID_CURRENCY") or "USD").strip().upper(),
        # How many reverse proxies stand in front (X-Forwarded-For/-Proto); 0: none, trust none.
        "AID_TRUSTED_PROXIES": int(os.environ.get("AID_TRUSTED_PROXIES", "0")),
    }


BASE = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # Statement parameters are personal data or ciphertext: never in a log or an exception.
    "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "aid",
    "REMEMBER_COOKIE_DURATION": 0,
    "WTF_CSRF_TIME_LIMIT": 4 * 3600,
    # Strict mode demands a Referer over HTTPS, which Referrer-Policy: no-referrer forbids;
    # the token and the SameSite cookie carry the protection.
    "WTF_CSRF_SSL_STRICT": False,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "BABEL_DEFAULT_LOCALE": "en",
    "DEBUG": False,
    "PROPAGATE_EXCEPTIONS": False,
    "RATELIMIT_HEADERS_ENABLED": False,
}
