from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_VARS = {
    "CODEQUEST_DATABASE_URL",
    "CODEQUEST_REDIS_URL",
    "CODEQUEST_BROKER_URL",
    "CODEQUEST_JWT_SECRET",
    "CODEQUEST_ENCRYPTION_KEY",
    "CODEQUEST_SANDBOX",
    "CODEQUEST_INLINE_WORKERS",
}


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_defines_every_service_of_the_scaled_out_system():
    assert {"postgres", "redis", "rabbitmq", "api", "worker", "projector"} <= set(
        compose()["services"]
    )


def test_application_services_are_wired_by_the_contract_variables():
    services = compose()["services"]
    for name in ("api", "worker", "projector"):
        env = services[name]["environment"]
        assert set(env) >= CONTRACT_VARS, name
        assert env["CODEQUEST_INLINE_WORKERS"] == "0"
        assert (
            env["CODEQUEST_DATABASE_URL"].startswith("postgresql://")
            and "@postgres:" in env["CODEQUEST_DATABASE_URL"]
        )
        assert "redis:6379" in env["CODEQUEST_REDIS_URL"]
        assert (
            env["CODEQUEST_BROKER_URL"].startswith("amqp://")
            and "@rabbitmq:" in env["CODEQUEST_BROKER_URL"]
        )


def test_each_role_runs_its_own_command():
    services = compose()["services"]
    assert services["api"]["command"][:2] == ["codequest", "serve"]
    assert services["worker"]["command"][:2] == ["codequest", "worker"]
    assert services["projector"]["command"][:2] == ["codequest", "project"]
    assert (ROOT / services["api"]["build"]["dockerfile"]).exists()
