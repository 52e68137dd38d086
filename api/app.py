"""The Litestar application factory: routes under /v1, envelope errors, headers, lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from api.auth import (
    TokenService,
    bearer_principal,
    inactive_key,
    note_account_state,
    provide_optional_principal,
    provide_principal,
)
from api.errors import EXCEPTION_HANDLERS, ApiError
from api.health import health, ready
from api.security import request_context, security_headers
from infra.container import Container, build_container
from infra.db import open_query_pool
from infra.logging import configure_logging
from infra.redis import Batched, RateLimiter, async_client
from infra.settings import Settings, load_settings
from projections.catalog import SharedAnswers

UNLIMITED_PATHS = ("/v1/health", "/v1/ready")


def route_handlers() -> list[Any]:
    """Every controller of the API, mounted under /v1."""
    handlers: list[Any] = [health, ready]
    from api.accounts import AdminUsersController, AuthController, UsersController

    handlers += [AuthController, UsersController, AdminUsersController]
    from api.audit import AuditController
    from api.erasure import ErasureController

    handlers += [AuditController, ErasureController]
    from api.live import LiveController, live_socket
    from api.submissions import AdminSubmissionsController, SubmissionsController

    handlers += [SubmissionsController, AdminSubmissionsController, LiveController, live_socket]
    from api.admin_content import AdminContentController
    from api.languages import languages
    from api.lessons import LessonsController
    from api.problems import ProblemsController
    from api.quizzes import QuizzesController
    from api.topics import TopicsController

    handlers += [TopicsController, LessonsController, ProblemsController, QuizzesController]
    handlers += [AdminContentController, languages]
    from api.admin_stats import AdminStatsController
    from api.dashboard import DashboardController
    from api.leaderboard import LeaderboardController

    handlers += [DashboardController, LeaderboardController, AdminStatsController]
    from api.ai import AiReviewController, LearningPathController
    from api.notebook import NotebookController

    handlers += [AiReviewController, LearningPathController, NotebookController]
    from api.forum import ForumController
    from api.interviews import InterviewsController, MyInterviewsController
    from api.organizations import OrganizationsController

    handlers += [InterviewsController, MyInterviewsController, ForumController]
    handlers += [OrganizationsController]
    return handlers


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


async def global_rate_limit(request: Request[Any, Any, Any]) -> None:
    if request.scope["path"].startswith(UNLIMITED_PATHS):
        return
    state = request.app.state
    caller = bearer_principal(request)  # its account state comes back with the hit
    decision = await state.limiter.hit(
        state.settings.rate_limit("global"),
        "global",
        client_ip(request),
        flag=inactive_key(caller.user_id) if caller else None,
    )
    if caller is not None:
        note_account_state(request, caller, decision.flagged)
    if not decision.allowed:
        raise ApiError(
            429,
            "RATE_LIMITED",
            "Too many requests",
            headers={"Retry-After": str(decision.retry_after)},
        )


def _lifespan(settings: Settings, given: Container | None) -> Any:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        container = given or build_container(settings)
        assert settings.database_url and settings.redis_url
        app.state.container = container
        app.state.settings = settings
        app.state.tokens = TokenService(settings.jwt_secret, settings.access_token_ttl_s)
        app.state.pool = await open_query_pool(settings.database_url)
        app.state.redis = async_client(settings.redis_url)
        app.state.batch = Batched(settings.redis_url)  # hot-path reads and counters, pipelined
        app.state.limiter = RateLimiter(app.state.batch)
        app.state.catalog_answers = SharedAnswers(reader=app.state.batch)
        # everything built so far lives as long as the process: keep it out of the collector's
        # full passes, which otherwise pause every request in flight for tens of milliseconds
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await app.state.pool.close()
            await app.state.redis.aclose()
            await app.state.batch.aclose()
            if given is None:
                container.close()

    return lifespan


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    """The API for these settings; a container given by the caller is used and not closed."""
    settings = settings or load_settings()
    configure_logging(settings.log_format, settings.log_level)
    return Litestar(
        route_handlers=[Router(path="/v1", route_handlers=route_handlers())],
        lifespan=[_lifespan(settings, container)],
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers],
        before_request=global_rate_limit,
        middleware=[request_context],
        dependencies={
            "principal": Provide(provide_principal),
            "maybe_principal": Provide(provide_optional_principal),
        },
        openapi_config=OpenAPIConfig(
            title="CodeQuest API",
            version="0.2.0",
            path="/v1/schema",
            render_plugins=[SwaggerRenderPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
        ),
        request_max_body_size=4 * 1024 * 1024,
        debug=False,
    )


def create_app_from_env() -> Litestar:
    """Factory for server workers: settings (and server URLs) come from the environment."""
    return create_app(load_settings())
