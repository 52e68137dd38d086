import stat

import pytest

from infra.settings import SettingsError, export_environ, load_settings


def test_embedded_default_when_no_urls(tmp_path):
    s = load_settings({"CODEQUEST_DATA_DIR": str(tmp_path)})
    assert s.embedded and s.inline_workers
    assert s.sandbox == "auto" and s.ai_model == "gpt-4o-mini"
    assert s.rate_limit("login") == "5/15 minutes" and s.rate_limit("global") == "100/minute"


def test_real_servers_turn_inline_workers_off_by_default(tmp_path):
    s = load_settings(
        {
            "CODEQUEST_DATA_DIR": str(tmp_path),
            "CODEQUEST_DATABASE_URL": "postgresql://db/x",
            "CODEQUEST_REDIS_URL": "redis://r:6379/0",
        }
    )
    assert not s.embedded and not s.inline_workers
    assert s.broker_url == "redis://r:6379/0"


def test_generated_secrets_are_kept_private_and_reused(tmp_path):
    first = load_settings({"CODEQUEST_DATA_DIR": str(tmp_path)})
    second = load_settings({"CODEQUEST_DATA_DIR": str(tmp_path)})
    assert first.jwt_secret == second.jwt_secret and len(first.jwt_secret) >= 32
    assert first.encryption_key == second.encryption_key != first.jwt_secret
    for name in ("jwt_secret", "encryption_key"):
        mode = stat.S_IMODE((tmp_path / "secrets" / name).stat().st_mode)
        assert mode == 0o600


def test_secrets_from_the_environment_win(tmp_path):
    s = load_settings({"CODEQUEST_DATA_DIR": str(tmp_path), "CODEQUEST_JWT_SECRET": "x" * 40})
    assert s.jwt_secret == "x" * 40
    assert not (tmp_path / "secrets" / "jwt_secret").exists()


@pytest.mark.parametrize(
    "env",
    [
        {"CODEQUEST_SANDBOX": "vm"},
        {"CODEQUEST_INLINE_WORKERS": "maybe"},
        {"CODEQUEST_RATE_LIMITS": "nonsense=1/minute"},
    ],
)
def test_bad_values_are_refused(tmp_path, env):
    with pytest.raises(SettingsError):
        load_settings({"CODEQUEST_DATA_DIR": str(tmp_path), **env})


def test_exported_environment_rebuilds_the_same_settings(tmp_path):
    s = load_settings(
        {
            "CODEQUEST_DATA_DIR": str(tmp_path),
            "CODEQUEST_DATABASE_URL": "postgresql://db/x",
            "CODEQUEST_REDIS_URL": "redis://r:6379/0",
            "CODEQUEST_RATE_LIMITS": "login=3/minute",
        }
    )
    assert load_settings(export_environ(s)) == s
