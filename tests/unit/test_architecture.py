import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "commands", "projections", "api", "judge", "ai", "infra")
THIRD_PARTY_BANNED_IN_COMMANDS = {
    "litestar",
    "psycopg",
    "psycopg_pool",
    "redis",
    "dramatiq",
    "openai",
    "docker",
}


def imports_of(package: str) -> list[tuple[Path, str]]:
    found = []
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"relative import in {path}"
                found.append((path, node.module or ""))
    return found


def top(name: str) -> str:
    return name.split(".")[0]


def test_domain_imports_only_stdlib_eventsourcing_domain_and_itself():
    import sys

    for path, name in imports_of("domain"):
        if top(name) in sys.stdlib_module_names or top(name) == "domain" or name == "__future__":
            continue
        assert name == "eventsourcing.domain" or name.startswith("eventsourcing.domain."), (
            f"{path.relative_to(ROOT)} imports {name}"
        )


def test_commands_depend_only_on_domain_and_the_event_store():
    for path, name in imports_of("commands"):
        assert top(name) not in THIRD_PARTY_BANNED_IN_COMMANDS, (
            f"{path.relative_to(ROOT)} imports {name}"
        )
        assert top(name) not in {"projections", "api", "judge", "ai", "infra"}, (
            f"{path.relative_to(ROOT)} imports {name}"
        )


@pytest.mark.parametrize("package", ["projections", "judge", "ai"])
def test_outer_packages_never_import_the_api_or_infra(package):
    for path, name in imports_of(package):
        assert top(name) != "api", f"{path.relative_to(ROOT)} imports {name}"
        if top(name) == "infra":
            allowed = name in {"infra.broker", "infra.eventstore", "infra.logging"}
            assert allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_ai_stays_free_of_servers_and_frameworks():
    for path, name in imports_of("ai"):
        assert (
            top(name) not in {"litestar", "psycopg", "redis", "dramatiq"}
            or "dispatch" in path.name
            or "actors" in path.name
        ), f"{path.relative_to(ROOT)} imports {name}"


def test_api_uses_infra_only_in_its_composition_root():
    for path, name in imports_of("api"):
        if top(name) == "infra" and path.name not in {"app.py"}:
            assert name in {"infra.logging", "infra.eventstore", "infra.broker", "infra.crypto"}, (
                f"{path.relative_to(ROOT)} imports {name}"
            )


def test_nothing_outside_infra_reads_the_environment():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "infra" / "settings.py":
                continue
            text = path.read_text()
            assert "os.environ" not in text and "os.getenv" not in text, (
                f"{path.relative_to(ROOT)} reads the environment"
            )
