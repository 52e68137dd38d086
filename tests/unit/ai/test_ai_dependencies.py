import ast
from pathlib import Path

import ai

FORBIDDEN = {"litestar", "psycopg", "redis", "dramatiq", "infra", "api", "projections"}


def imported_roots(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_ai_imports_no_infrastructure_or_framework():
    root = Path(ai.__file__).parent
    offenders = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        if path.name not in {"dispatch.py", "actors.py"}  # job wiring, as ARCHITECTURE allows
        for name in imported_roots(path)
        if name in FORBIDDEN
    }
    assert offenders == set()


def test_ai_never_reads_the_environment():
    root = Path(ai.__file__).parent
    assert not [
        p for p in root.rglob("*.py") if "os.environ" in p.read_text() or "getenv" in p.read_text()
    ]
