"""Coding problems: the filtered catalogue, one problem's statement, authoring, test cases."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.response.base import ASGIResponse

from api.admin_content import (
    BEARER,
    actor_of,
    content_service,
    given,
    run_command,
    sees_drafts,
    user_of,
)
from api.auth import Principal, requires
from api.envelope import (
    Envelope,
    Meta,
    encoded_response,
    error_responses,
    ok,
    ok_response,
    ok_spec,
)
from api.topics import ContentWritten, Name, Slug
from commands.content import ProblemFields, TestInput
from commands.errors import InvalidInputError, NotFoundError
from domain.shared import Permission
from judge.languages import UnknownLanguageError, get_language
from projections.catalog import (
    BadCursorError,
    ProblemDetail,
    ProblemPage,
    ProblemQuery,
    ProblemSummary,
    get_problem,
    list_problems,
    shared_problem,
    shared_problem_page,
    user_status,
    user_statuses,
    with_statuses,
)

Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9+#.-]*$")]
Text = Annotated[str, msgspec.Meta(max_length=20_000)]
Code = Annotated[str, msgspec.Meta(max_length=100_000)]
Checker = Literal["exact", "float", "unordered"]


class Example(msgspec.Struct, forbid_unknown_fields=True):
    input: Text
    output: Text
    explanation: Text = ""


class Hint(msgspec.Struct, forbid_unknown_fields=True):
    level: Annotated[int, msgspec.Meta(ge=1, le=10)]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class ParamBody(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
    type: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class HarnessBody(msgspec.Struct, forbid_unknown_fields=True):
    function_name: dict[str, Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z_]\w*$")]]
    params: Annotated[list[ParamBody], msgspec.Meta(max_length=20)]
    return_type: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class TestCaseBody(msgspec.Struct, forbid_unknown_fields=True):
    """Input and expected output together may hold at most 1 MiB (else 413)."""

    __test__ = False
    input: str
    expected_output: str
    is_sample: bool = False
    points: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 10
    group: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    explanation: Text = ""
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""


StarterCode = Annotated[dict[str, Code], msgspec.Meta(max_length=10)]
TopicIds = Annotated[list[UUID], msgspec.Meta(max_length=10)]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=20)]
Hints = Annotated[list[Hint], msgspec.Meta(max_length=10)]
Examples = Annotated[list[Example], msgspec.Meta(max_length=20)]
Related = Annotated[list[UUID], msgspec.Meta(max_length=20)]
TimeLimit = Annotated[int, msgspec.Meta(ge=100, le=20_000)]
MemoryKb = Annotated[int, msgspec.Meta(ge=16 * 1024, le=2 * 1024 * 1024)]
MemoryMb = Annotated[int, msgspec.Meta(ge=16, le=2048)]
Tolerance = Annotated[float, msgspec.Meta(gt=0, le=1)]
OutputKb = Annotated[int, msgspec.Meta(ge=1, le=64 * 1024)]
Statement = Annotated[str, msgspec.Meta(min_length=1, max_length=100_000)]


class ProblemCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Slug
    title: Name
    description_markdown: Statement
    difficulty: Annotated[int, msgspec.Meta(ge=1, le=3)]
    topic_ids: TopicIds = []
    tags: Tags = []
    time_limit_ms: TimeLimit = 2000
    memory_limit_kb: MemoryKb | None = None
    memory_limit_mb: MemoryMb | None = None
    test_cases: list[TestCaseBody] = []
    starter_code: StarterCode = {}
    is_premium: bool = False
    input_format: Text = ""
    output_format: Text = ""
    constraints: Text = ""
    examples: Examples = []
    hints: Hints = []
    related_problem_ids: Related = []
    checker: Checker = "exact"
    float_tolerance: Tolerance = 1e-6
    output_limit_kb: OutputKb = 1024
    harness: HarnessBody | None = None


U = msgspec.UnsetType


class ProblemUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay as they are; test cases change through their own endpoints."""

    slug: Slug | U = msgspec.UNSET
    title: Name | U = msgspec.UNSET
    description_markdown: Statement | U = msgspec.UNSET
    difficulty: Annotated[int, msgspec.Meta(ge=1, le=3)] | U = msgspec.UNSET
    topic_ids: TopicIds | U = msgspec.UNSET
    tags: Tags | U = msgspec.UNSET
    time_limit_ms: TimeLimit | U = msgspec.UNSET
    memory_limit_kb: MemoryKb | U = msgspec.UNSET
    memory_limit_mb: MemoryMb | U = msgspec.UNSET
    starter_code: StarterCode | U = msgspec.UNSET
    is_premium: bool | U = msgspec.UNSET
    input_format: Text | U = msgspec.UNSET
    output_format: Text | U = msgspec.UNSET
    constraints: Text | U = msgspec.UNSET
    examples: Examples | U = msgspec.UNSET
    hints: Hints | U = msgspec.UNSET
    related_problem_ids: Related | U = msgspec.UNSET
    checker: Checker | U = msgspec.UNSET
    float_tolerance: Tolerance | U = msgspec.UNSET
    output_limit_kb: OutputKb | U = msgspec.UNSET
    harness: HarnessBody | U | None = msgspec.UNSET


class TestCaseWritten(msgspec.Struct):
    __test__ = False
    problem_id: UUID
    test_id: str


def _language_id(name: str, field: str) -> str:
    try:
        return get_language(name).id
    except UnknownLanguageError:
        raise InvalidInputError(f"unknown language '{name}'", field=field) from None


def _problem_changes(data: msgspec.Struct) -> dict[str, Any]:
    """Body fields as ProblemFields values: languages resolved, memory in MB, plain dicts."""
    changes = given(data)
    changes.pop("test_cases", None)
    kb = changes.pop("memory_limit_kb", None)
    if changes.get("memory_limit_mb") is None:
        changes.pop("memory_limit_mb", None)
        if kb is not None:
            changes["memory_limit_mb"] = max(kb // 1024, 16)
    if "starter_code" in changes:
        changes["starter_code"] = {
            _language_id(k, "starter_code"): v for k, v in changes["starter_code"].items()
        }
    for key in ("examples", "hints"):
        if key in changes:
            changes[key] = [msgspec.structs.asdict(x) for x in changes[key]]
    if changes.get("harness") is not None:
        harness = msgspec.to_builtins(changes["harness"])
        names = harness["function_name"]
        harness["function_name"] = {_language_id(k, "harness"): v for k, v in names.items()}
        changes["harness"] = harness
    return changes


def _page_meta(query: ProblemQuery, found: ProblemPage) -> Meta:
    return Meta(
        page=None if query.cursor else query.page,
        limit=query.limit,
        total=found.total,
        cursor=query.cursor,
        next_cursor=found.next_cursor,
        has_more=found.has_more,
    )


def _finished_problem(problem: ProblemDetail) -> tuple[ProblemDetail, bytes]:
    """The problem and the whole response an anonymous caller gets, encoded once."""
    return problem, msgspec.json.encode(ok(problem))


def _test_input(body: TestCaseBody) -> TestInput:
    return TestInput(**msgspec.structs.asdict(body))


class ProblemsController(Controller):
    path = "/problems"
    tags = ["problems"]

    @get(
        "/",
        operation_id="ListProblems",
        responses=ok_spec(Envelope[list[ProblemSummary]], "A page of problems")
        | error_responses(400, 422),
    )
    async def list_all(
        self,
        request: Request[Any, Any, Any],
        maybe_principal: NamedDependency[Principal | None],
        topic_id: FromQuery[UUID | None] = None,
        difficulty: Annotated[int | None, Parameter(ge=1, le=3)] = None,
        status: FromQuery[Literal["not_attempted", "attempted", "solved"] | None] = None,
        tags: Annotated[str | None, Parameter(max_length=500)] = None,
        q: Annotated[str | None, Parameter(max_length=200)] = None,
        sort_by: FromQuery[Literal["created_at", "difficulty", "acceptance_rate", "title"]] = (
            "created_at"
        ),
        order: FromQuery[Literal["asc", "desc"]] = "desc",
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, Parameter(max_length=1000)] = None,
    ) -> ASGIResponse:
        wanted = [t.strip() for t in (tags or "").split(",") if t.strip()]
        query = ProblemQuery(
            topic_id, difficulty, status, wanted, q or None, sort_by, order, page, limit, cursor
        )
        state = request.app.state
        user = user_of(maybe_principal)
        try:
            if status is None and not sees_drafts(maybe_principal):
                # the page every caller shares, finished once; the caller's statuses on top
                found, body = await shared_problem_page(
                    state.pool,
                    state.redis,
                    state.catalog_answers,
                    query,
                    lambda found: (
                        found,
                        msgspec.json.encode(ok(found.items, _page_meta(query, found))),
                    ),
                )
                if user is None:
                    return encoded_response(body)
                ids = [p.id for p in found.items]
                statuses = await user_statuses(state.pool, user, ids)
                return ok_response(with_statuses(found.items, statuses), _page_meta(query, found))
            found = await list_problems(state.pool, query, user, sees_drafts(maybe_principal))
        except BadCursorError as exc:
            raise InvalidInputError(str(exc), field="cursor") from None
        return ok_response(found.items, _page_meta(query, found))

    @get(
        "/{problem_id:uuid}",
        operation_id="GetProblem",
        responses=ok_spec(Envelope[ProblemDetail], "A problem") | error_responses(404),
    )
    async def get_one(
        self,
        request: Request[Any, Any, Any],
        problem_id: FromPath[UUID],
        maybe_principal: NamedDependency[Principal | None],
    ) -> ASGIResponse:
        state = request.app.state
        user = user_of(maybe_principal)
        if sees_drafts(maybe_principal):
            problem = await get_problem(state.pool, state.redis, problem_id, user, True)
            if problem is None:
                raise NotFoundError("problem not found")
            return ok_response(problem)
        shared = await shared_problem(
            state.pool, state.redis, state.catalog_answers, problem_id, _finished_problem
        )
        if shared is None:
            raise NotFoundError("problem not found")
        problem, body = shared
        if user is None:
            return encoded_response(body)
        progress = await user_status(state.pool, user, problem_id)
        return ok_response(msgspec.structs.replace(problem, user_progress=progress))

    @post(
        "/",
        status_code=201,
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="CreateProblem",
        responses=error_responses(401, 403, 409, 413, 422),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ProblemCreate],
    ) -> Envelope[ContentWritten]:
        fields = ProblemFields(**_problem_changes(data))
        tests = [_test_input(t) for t in data.test_cases]
        service = content_service(request)
        done = await run_command(
            request, service.create_problem, actor_of(principal), fields, tests
        )
        return ok(ContentWritten(done.id, data.slug, done.created_at))

    @patch(
        "/{problem_id:uuid}",
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="UpdateProblem",
        responses=error_responses(401, 403, 404, 409, 422),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        problem_id: FromPath[UUID],
        data: JSONBody[ProblemUpdate],
    ) -> Envelope[ContentWritten]:
        service = content_service(request)
        done = await run_command(
            request, service.update_problem, actor_of(principal), problem_id, _problem_changes(data)
        )
        return ok(ContentWritten(done.id))

    @post(
        "/{problem_id:uuid}/test-cases",
        status_code=201,
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="AddTestCase",
        responses=error_responses(401, 403, 404, 413, 422),
    )
    async def add_test(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        problem_id: FromPath[UUID],
        data: JSONBody[TestCaseBody],
    ) -> Envelope[TestCaseWritten]:
        service = content_service(request)
        done = await run_command(
            request, service.add_test_case, actor_of(principal), problem_id, _test_input(data)
        )
        return ok(TestCaseWritten(problem_id, done.test_id))

    @put(
        "/{problem_id:uuid}/test-cases/{test_id:str}",
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="ReplaceTestCase",
        responses=error_responses(401, 403, 404, 413, 422),
    )
    async def replace_test(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        problem_id: FromPath[UUID],
        test_id: FromPath[str],
        data: JSONBody[TestCaseBody],
    ) -> Envelope[TestCaseWritten]:
        service = content_service(request)
        await run_command(
            request,
            service.replace_test_case,
            actor_of(principal),
            problem_id,
            test_id,
            _test_input(data),
        )
        return ok(TestCaseWritten(problem_id, test_id))

    @delete(
        "/{problem_id:uuid}/test-cases/{test_id:str}",
        status_code=200,
        guards=[requires(Permission.MANAGE_CONTENT)],
        security=BEARER,
        operation_id="RemoveTestCase",
        responses=error_responses(401, 403, 404),
    )
    async def remove_test(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        problem_id: FromPath[UUID],
        test_id: FromPath[str],
    ) -> Envelope[TestCaseWritten]:
        service = content_service(request)
        await run_command(
            request, service.remove_test_case, actor_of(principal), problem_id, test_id
        )
        return ok(TestCaseWritten(problem_id, test_id))
