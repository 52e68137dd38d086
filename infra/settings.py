"""The one Settings object, loaded from the CODEQUEST_* environment; no other module reads it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import msgspec

SANDBOX_KINDS = ("auto", "docker", "process")
DEFAULT_RATE_LIMITS = {
    "global": "100/minute",
    "login": "5/15 minutes",
    "submission": "10/minute",
    "ai": "20/hour",
    "run": "20/minute",
}


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the process needs to know about its surroundings."""

    data_dir: Path
    database_url: str | None = None
    redis_url: str | None = None
    broker_url: str | None = None
    jwt_secret: str = ""
    encryption_key: str = ""
    smtp_url: str | None = None
    sandbox: str = "auto"
    inline_workers: bool = True
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    ai_model: str = "gpt-4o-mini"
    log_format: str = "auto"
    log_level: str = "INFO"
    access_token_ttl_s: int = 3600
    refresh_token_ttl_s: int = 30 * 24 * 3600
    public_url: str = "http://127.0.0.1:8000"
    environment: str = "production"
    rate_limits: dict[str, str] = msgspec.field(default_factory=dict)

    def rate_limit(self, name: str) -> str:
        """The rule for a limiter (``global``, ``login``, ``submission``, ``ai``, ``run``)."""
        return self.rate_limits.get(name) or DEFAULT_RATE_LIMITS[name]

    @property
    def embedded(self) -> bool:
        return self.database_url is None or self.redis_url is None

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def with_servers(self, database_url: str, redis_url: str) -> Settings:
        """The same settings, pointed at servers the launcher has started."""
        return msgspec.structs.replace(
            self,
            database_url=database_url,
            redis_url=redis_url,
            broker_url=self.broker_url or redis_url,
        )


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"expected 0 or 1, got {value!r}")


def _secret(data_dir: Path, name: str, given: str | None) -> str:
    """A secret from the environment, else one generated once and kept in the data dir (0600)."""
    if given:
        return given
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)
    return value


def _rate_limits(value: str | None) -> dict[str, str]:
    """``CODEQUEST_RATE_LIMITS="global=1000/minute,login=5/15 minutes"`` overrides defaults."""
    rules: dict[str, str] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        name, _, rule = part.partition("=")
        if name.strip() not in DEFAULT_RATE_LIMITS or not rule.strip():
            raise SettingsError(f"bad CODEQUEST_RATE_LIMITS entry {part!r}")
        rules[name.strip()] = rule.strip()
    return rules


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from the environment (or the mapping given)."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("CODEQUEST_DATA_DIR") or ".codequest").resolve()
    database_url = env.get("CODEQUEST_DATABASE_URL") or None
    redis_url = env.get("CODEQUEST_REDIS_URL") or None
    sandbox = env.get("CODEQUEST_SANDBOX") or "auto"
    if sandbox not in SANDBOX_KINDS:
        raise SettingsError(f"CODEQUEST_SANDBOX must be one of {', '.join(SANDBOX_KINDS)}")
    embedded = database_url is None or redis_url is None
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        broker_url=env.get("CODEQUEST_BROKER_URL") or redis_url,
        jwt_secret=_secret(data_dir, "jwt_secret", env.get("CODEQUEST_JWT_SECRET")),
        encryption_key=_secret(data_dir, "encryption_key", env.get("CODEQUEST_ENCRYPTION_KEY")),
        smtp_url=env.get("CODEQUEST_SMTP_URL") or None,
        sandbox=sandbox,
        inline_workers=_flag(env.get("CODEQUEST_INLINE_WORKERS"), embedded),
        openai_api_key=env.get("OPENAI_API_KEY") or None,
        openai_base_url=env.get("OPENAI_BASE_URL") or None,
        ai_model=env.get("CODEQUEST_AI_MODEL") or "gpt-4o-mini",
        log_format=env.get("CODEQUEST_LOG_FORMAT") or "auto",
        log_level=env.get("CODEQUEST_LOG_LEVEL") or "INFO",
        public_url=env.get("CODEQUEST_PUBLIC_URL") or "http://127.0.0.1:8000",
        environment=env.get("CODEQUEST_ENV") or "production",
        rate_limits=_rate_limits(env.get("CODEQUEST_RATE_LIMITS")),
    )


def export_environ(settings: Settings) -> dict[str, str]:
    """The environment a child process needs to rebuild these settings."""
    pairs = {
        "CODEQUEST_DATA_DIR": str(settings.data_dir),
        "CODEQUEST_DATABASE_URL": settings.database_url,
        "CODEQUEST_REDIS_URL": settings.redis_url,
        "CODEQUEST_BROKER_URL": settings.broker_url,
        "CODEQUEST_JWT_SECRET": settings.jwt_secret,
        "CODEQUEST_ENCRYPTION_KEY": settings.encryption_key,
        "CODEQUEST_SMTP_URL": settings.smtp_url,
        "CODEQUEST_SANDBOX": settings.sandbox,
        "CODEQUEST_INLINE_WORKERS": "1" if settings.inline_workers else "0",
        "CODEQUEST_AI_MODEL": settings.ai_model,
        "CODEQUEST_RATE_LIMITS": ",".join(f"{k}={v}" for k, v in settings.rate_limits.items()),
        "OPENAI_API_KEY": settings.openai_api_key,
        "OPENAI_BASE_URL": settings.openai_base_url,
        "CODEQUEST_LOG_FORMAT": settings.log_format,
        "CODEQUEST_PUBLIC_URL": settings.public_url,
    }
    return {k: v for k, v in pairs.items() if v}


def apply_environ(values: Mapping[str, str]) -> None:
    """Publish settings to child processes (uvicorn workers re-load them from the environment)."""
    os.environ.update(values)
