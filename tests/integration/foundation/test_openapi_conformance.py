import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def api_schema(live_server):
    return schemathesis.openapi.from_url(f"{live_server}/v1/schema/openapi.json")


@pytest.fixture(scope="session")
def admin_headers(container, app):
    """A real admin's bearer token, so guarded operations are exercised past their guards."""
    from api.auth import TokenService

    email = f"fuzz-admin-{uuid.uuid4().hex[:8]}@example.com"
    user_id = str(uuid.uuid4())
    if "accounts" in container.commands:
        user_id = str(
            container.accounts.create_user(
                email=email,
                password="Fuzz-pass-123",
                role="admin",
                verified=True,
                display_name="Fuzz",
            )
        )
    token = TokenService(container.settings.jwt_secret).issue(user_id, "admin", email)
    return {"Authorization": f"Bearer {token}"}


def check_operation(operation, live_server, headers):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        case.call_and_validate(
            base_url=live_server,
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance],
        )

    run()


def test_no_operation_answers_5xx_or_breaks_its_schema(api_schema, live_server, admin_headers):
    failures, checked = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        checked += 1
        try:
            check_operation(operation, live_server, admin_headers)
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert checked >= 2
    assert not failures, "\n\n".join(failures)
