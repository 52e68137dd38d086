"""`codequest admin create-user` against the session's servers; the account signs in over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import unique_email
from tests.integration.accounts.conftest import PASSWORD


def create_user(tmp_path: Path, pg_url: str, redis_url: str, *args: str) -> Any:
    env = dict(os.environ)
    env.update(
        CODEQUEST_DATA_DIR=str(tmp_path),
        CODEQUEST_DATABASE_URL=pg_url,
        CODEQUEST_REDIS_URL=redis_url,
        CODEQUEST_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "infra.cli", "admin", "create-user", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_create_an_admin_and_sign_in(
    client: Any, settings: Any, tmp_path: Path, pg_url: str, redis_url: str
) -> None:
    email = unique_email("admin")
    base = ["--email", email, "--password", PASSWORD]
    done = create_user(
        tmp_path, pg_url, redis_url, *base, "--role", "admin", "--verified",
        "--display-name", "Root",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    assert login.json()["data"]["user"]["role"] == "admin"
    assert login.json()["data"]["user"]["id"] == done.stdout.strip()

    again = create_user(tmp_path, pg_url, redis_url, *base)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    weak = create_user(tmp_path, pg_url, redis_url, "--email", unique_email(), "--password", "x")
    assert weak.returncode == 2 and "password" in weak.stderr
