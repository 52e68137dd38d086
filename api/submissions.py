"""Submissions: submit, read results and code, run on custom input, and admin rejudges."""

from __future__ import annotations

import enum
from typing import Annotated, Any
from uuid import UUID

import anyio
import msgspec
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from api.auth import Principal, authenticated, require_principal, requires, requires_role
from api.envelope import Envelope, Meta, error_responses, ok
from api.errors import ApiError
from commands.errors import ForbiddenError, NotFoundError
from commands.submissions import Submissions
from domain.shared import Permission, Role
from judge import grading
from judge.actors import material, to_verdict
from projections import reviews
from projections import submission_status as views
from projections.runtime import wait_for

BEARER = [{"BearerToken": []}]
QUEUED = "Submission queued for evaluation. You'll receive real-time updates via WebSocket."
LanguageId = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]
Stdin = Annotated[str, msgspec.Meta(max_length=64 * 1024)]


class SubmissionStatus(enum.StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    ACCEPTED = "ACCEPTED"
    FAILED = "FAILED"
    ERROR = "ERROR"
    TIMEOUT = "TIMEOUT"
    COMPILATION_ERROR = "COMPILATION_ERROR"
    REVIEW_PENDING = "REVIEW_PENDING"
    REVIEW_COMPLETE = "REVIEW_COMPLETE"
    REVIEW_FAILED = "REVIEW_FAILED"


class SubmitCode(msgspec.Struct, forbid_unknown_fields=True):
    problem_id: UUID
    language: LanguageId
    code: Code
    contest_id: UUID | None = None


class RunCode(msgspec.Struct, forbid_unknown_fields=True):
    """Custom ``input`` (or, with a problem and no input, the problem's samples)."""

    language: LanguageId
    code: Code
    problem_id: UUID | None = None
    input: Stdin | None = None


class SubmissionQueued(msgspec.Struct):
    submission_id: UUID
    status: str
    message: str


class RunOutcome(msgspec.Struct):
    status: str
    stdout: str | None
    stderr: str | None
    runtime_ms: int
    memory_kb: int
    compilation_output: str | None
    test_results: list[views.TestResult] | None = None


class RejudgeQueued(msgspec.Struct):
    submission_ids: list[UUID]
    attempts: list[int]
    status: str = "PENDING"


def _service(connection: ASGIConnection[Any, Any, Any, Any]) -> Submissions:
    service: Submissions = connection.app.state.container.submissions
    return service


def rate_limit(rule: str, learners_only: bool) -> Any:
    """Guard factory: an exact per-user limit from ``settings.rate_limit(rule)``."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await require_principal(connection)
        if learners_only and principal.role != Role.LEARNER.value:
            return  # staff are unlimited; premium plans (also unlimited) do not exist yet
        state = connection.app.state
        decision = await state.limiter.hit(state.settings.rate_limit(rule), rule, principal.user_id)
        if not decision.allowed:
            raise ApiError(
                429,
                "RATE_LIMITED",
                f"Too many {rule} requests, try again later",
                headers={"Retry-After": str(decision.retry_after)},
            )

    guard.__name__ = f"{rule}_rate_limit"
    return guard


def may_see_all(principal: Principal) -> bool:
    return principal.can(Permission.VIEW_ALL_SUBMISSIONS)


async def fresh(pool: Any, fetch: Any) -> Any:
    """Read a row; when missing, let the view catch up with the log once and read again."""
    found = await fetch()
    if found is None:
        async with pool.connection() as conn:
            cur = await conn.execute("SELECT max(notification_id) AS head FROM codequest_events")
            head = (await cur.fetchone())["head"] or 0
        if await wait_for(pool, views.SubmissionStatusProjector.name, head, timeout=3.0):
            found = await fetch()
    return found


async def visible_state(
    connection: ASGIConnection[Any, Any, Any, Any], principal: Principal, submission_id: UUID
) -> views.SubmissionState:
    """The submission's state if the caller owns it or is staff; anyone else gets 404."""
    pool = connection.app.state.pool
    state = await fresh(pool, lambda: views.get_submission_state(pool, submission_id))
    if state is None or (str(state.user_id) != principal.user_id and not may_see_all(principal)):
        raise NotFoundError("submission not found")
    return state


def run_code(container: Any, data: RunCode) -> RunOutcome:
    """Judge-free run in this thread: custom input, or the problem's samples."""
    container.submissions.check_run(data.language, data.code, data.problem_id)
    spec, tests = grading.ProblemSpec(), []
    if data.problem_id is not None:
        spec, tests = material(container, data.problem_id)
    sandbox = container.sandbox()
    if data.problem_id is not None and data.input is None:
        samples = [t for t in tests if t.is_sample]
        return _sample_outcome(
            grading.judge(sandbox, data.language, data.code, spec, samples), samples
        )
    out = grading.run_custom(sandbox, data.language, data.code, data.input or "", spec)
    compiled = out.compile_output or None
    return RunOutcome(out.status, out.stdout, out.stderr, out.runtime_ms, out.memory_kb, compiled)


def _sample_outcome(result: grading.JudgeResult, samples: list[grading.TestCase]) -> RunOutcome:
    rows = [msgspec.convert(r, views.TestResult) for r in to_verdict(result, samples).results]
    return RunOutcome(
        status=result.status,
        stdout=None,
        stderr=None,
        runtime_ms=result.runtime_ms,
        memory_kb=result.memory_kb,
        compilation_output=result.compile_output or None,
        test_results=rows,
    )


class SubmissionsController(Controller):
    path = "/"
    tags = ["submissions"]
    guards = [authenticated]
    security = BEARER

    @post(
        "/submissions",
        status_code=202,
        sync_to_thread=True,
        guards=[requires(Permission.SUBMIT_CODE), rate_limit("submission", learners_only=True)],
        operation_id="SubmitCode",
        responses=error_responses(401, 403, 404, 422, 429),
    )
    def submit(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[SubmitCode],
    ) -> Envelope[SubmissionQueued]:
        done = _service(request).submit(
            UUID(principal.user_id), data.problem_id, data.language, data.code, data.contest_id
        )
        return ok(SubmissionQueued(done.submission_id, "PENDING", QUEUED))

    @post(
        "/submissions/run",
        status_code=200,
        sync_to_thread=True,
        guards=[requires(Permission.SUBMIT_CODE), rate_limit("run", learners_only=False)],
        operation_id="RunCode",
        responses=error_responses(401, 403, 404, 422, 429),
    )
    def run(self, request: Request[Any, Any, Any], data: JSONBody[RunCode]) -> Envelope[RunOutcome]:
        return ok(run_code(request.app.state.container, data))

    @get("/submissions/{submission_id:uuid}", operation_id="GetSubmission",
         responses=error_responses(401, 404))  # fmt: skip
    async def get_submission(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        submission_id: FromPath[UUID],
    ) -> Envelope[views.SubmissionDetail]:
        await visible_state(request, principal, submission_id)
        detail = await views.get_submission(request.app.state.pool, submission_id)
        if detail is None:
            raise NotFoundError("submission not found")
        async with request.app.state.pool.connection() as conn:
            review = await reviews.get_latest_review(conn, submission_id)
        if review is not None:  # the verdict stays in ``verdict``; ``status`` moves to the review
            detail.ai_review = msgspec.to_builtins(review)
            detail.status = reviews.REVIEW_STATUS[review.status]
        return ok(detail)

    @get("/submissions/{submission_id:uuid}/code", operation_id="GetSubmissionCode",
         responses=error_responses(401, 404))  # fmt: skip
    async def get_code(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        submission_id: FromPath[UUID],
    ) -> Envelope[dict[str, str]]:
        await visible_state(request, principal, submission_id)
        code = await views.get_submission_code(request.app.state.pool, submission_id)
        if code is None:
            raise NotFoundError("submission not found")
        return ok({"code": code.code, "language": code.language})

    @get("/problems/{problem_id:uuid}/submissions", operation_id="ListProblemSubmissions",
         responses=error_responses(401, 403, 422))  # fmt: skip
    async def list_for_problem(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        problem_id: FromPath[UUID],
        user_id: FromQuery[UUID | None] = None,
        status: FromQuery[SubmissionStatus | None] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 10,
    ) -> Envelope[list[views.SubmissionSummary]]:
        if user_id is not None and str(user_id) != principal.user_id and not may_see_all(principal):
            raise ForbiddenError("only instructors and admins may list other users' submissions")
        owner = user_id or UUID(principal.user_id)
        rows, total = await views.list_problem_submissions(
            request.app.state.pool, problem_id, owner, status.value if status else None, page, limit
        )
        return ok(rows, Meta(page=page, limit=limit, total=total))


class AdminSubmissionsController(Controller):
    path = "/admin"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER

    @post(
        "/submissions/{submission_id:uuid}/rejudge",
        status_code=202,
        sync_to_thread=True,
        operation_id="RejudgeSubmission",
        responses=error_responses(401, 403, 404),
    )
    def rejudge_one(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        submission_id: FromPath[UUID],
    ) -> Envelope[RejudgeQueued]:
        done = _service(request).rejudge([submission_id], principal.user_id)
        return ok(RejudgeQueued(done.submission_ids, done.attempts))

    @post(
        "/problems/{problem_id:uuid}/rejudge",
        status_code=202,
        operation_id="RejudgeProblem",
        responses=error_responses(401, 403),
    )
    async def rejudge_problem(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        problem_id: FromPath[UUID],
    ) -> Envelope[RejudgeQueued]:
        ids = await views.list_problem_submission_ids(request.app.state.pool, problem_id)
        service = _service(request)
        queued = RejudgeQueued([], [])
        for start in range(0, len(ids), 200):  # one commit per 200 submissions
            chunk = ids[start : start + 200]
            done = await anyio.to_thread.run_sync(service.rejudge, chunk, principal.user_id)
            queued.submission_ids += done.submission_ids
            queued.attempts += done.attempts
        return ok(queued)
