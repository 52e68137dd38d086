"""The AI notebook: mind maps (JSON, PNG, PDF exports) and summaries, notes, owner-only files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.response import File

from ai.notebook import (
    Summary,
    build_mindmap,
    build_mindmap_with_model,
    render_pdf,
    render_png,
    summarize,
    summarize_with_model,
    to_json,
    to_structure,
)
from ai.openai_client import ChatClient
from api.ai import head_position
from api.auth import Principal, authenticated
from api.envelope import Envelope, Meta, error_responses, ok
from api.submissions import rate_limit
from commands.errors import InvalidInputError, NotFoundError
from commands.notebook import Notebook, Source
from projections import notebook as views
from projections.runtime import wait_for

BEARER = [{"BearerToken": []}]
SourceType = Literal["lesson", "problem", "note", "notes", "custom"]
Text = Annotated[str, msgspec.Meta(max_length=100_000)]
MEDIA_TYPES = {"png": "image/png", "pdf": "application/pdf", "json": "application/json"}
AI_LIMIT = rate_limit("ai", learners_only=True)


class SourceFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Design names (content_type/content_id/custom_text) and short ones are both accepted."""

    source_type: SourceType | None = None
    source_id: UUID | None = None
    text: Text | None = None
    content_type: SourceType | None = None
    content_id: UUID | None = None
    custom_text: Text | None = None


class GenerateMindMap(SourceFields, forbid_unknown_fields=True, kw_only=True):
    style: Literal["hierarchical", "radial", "tree"] = "hierarchical"


class GenerateSummary(SourceFields, forbid_unknown_fields=True, kw_only=True):
    length: Literal["brief", "standard", "detailed"] | None = None
    summary_length: Literal["brief", "standard", "detailed"] | None = None
    format: Literal["bullets", "paragraphs", "outline"] = "bullets"


class CreateNote(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    content_markdown: Annotated[str, msgspec.Meta(min_length=1, max_length=100_000)]
    tags: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=20)
    ] = []


class ExportUrls(msgspec.Struct):
    png: str
    pdf: str
    json: str


class MindMapBody(msgspec.Struct):
    id: UUID
    type: str
    style: str
    source_type: str
    source_id: UUID | None
    structure: dict[str, Any]
    node_count: int
    export_urls: ExportUrls
    created_at: Any


class SummaryBody(msgspec.Struct):
    id: UUID
    type: str
    source_type: str
    source_id: UUID | None
    summary_text: str
    word_count: int
    key_points: list[str]
    length: str
    format: str
    created_at: Any


class NoteCreated(msgspec.Struct):
    id: UUID
    title: str
    created_at: Any


def export_urls(content_id: UUID) -> ExportUrls:
    base = f"/v1/ai/exports/{content_id}"
    return ExportUrls(png=f"{base}.png", pdf=f"{base}.pdf", json=f"{base}.json")


def exports_dir(request: Request[Any, Any, Any]) -> Path:
    return Path(request.app.state.settings.data_dir) / "exports"


def chat_client(container: Any) -> ChatClient | None:
    """The container's chat client when a model is configured (one breaker per process)."""
    settings = container.settings
    if not settings.openai_api_key:
        return None
    if "ai_chat" not in container.extra:
        container.extra["ai_chat"] = ChatClient(
            settings.openai_api_key, settings.openai_base_url, settings.ai_model, 5.0,
            container.extra.get("ai_breaker"),
        )  # fmt: skip
    chat: ChatClient = container.extra["ai_chat"]
    return chat


def resolve(request: Request[Any, Any, Any], principal: Principal, data: SourceFields) -> Source:
    kind = data.source_type or data.content_type
    if kind is None:
        raise InvalidInputError("source_type is required", field="source_type")
    service: Notebook = request.app.state.container.notebook
    return service.source(
        UUID(principal.user_id),
        "notes" if kind == "note" else kind,
        data.source_id or data.content_id,
        data.text if data.text is not None else data.custom_text,
        see_drafts=principal.is_staff,
    )


def write_exports(folder: Path, content_id: UUID, files: dict[str, bytes]) -> None:
    """Write each file beside a temporary name, then rename (a reader never sees half a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    for ext, payload in files.items():
        partial = folder / f".{content_id}.{ext}.part"
        partial.write_bytes(payload)
        partial.replace(folder / f"{content_id}.{ext}")


def generator_name(chat: ChatClient | None) -> str:
    return f"openai:{chat.model}" if chat is not None else "offline"


class NotebookController(Controller):
    path = "/ai"
    tags = ["ai"]
    guards = [authenticated]
    security = BEARER

    @post(
        "/notebook/mindmap",
        status_code=200,
        sync_to_thread=True,
        guards=[AI_LIMIT],
        operation_id="GenerateMindMap",
        responses=error_responses(401, 404, 422, 429),
    )
    def generate_mindmap(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[GenerateMindMap],
    ) -> Envelope[MindMapBody]:
        container = request.app.state.container
        source = resolve(request, principal, data)
        chat = chat_client(container)
        if chat is not None:
            mindmap = build_mindmap_with_model(chat, source.markdown, source.title, data.style)
        else:
            mindmap = build_mindmap(source.markdown, source.title, data.style)
        content_id = uuid4()
        files = {"json": to_json(mindmap), "png": render_png(mindmap, data.style),
                 "pdf": render_pdf(mindmap, data.style)}  # fmt: skip
        write_exports(exports_dir(request), content_id, files)
        structure = to_structure(mindmap)
        generated = {"style": data.style, "central_topic": mindmap.central_topic,
                     "structure": structure}  # fmt: skip
        done = container.notebook.record(
            content_id, UUID(principal.user_id), "mindmap", source, generated,
            list(files), generator_name(chat),
        )  # fmt: skip
        return ok(MindMapBody(
            content_id, "mindmap", data.style, source.source_type, source.source_id, structure,
            mindmap.count(), export_urls(content_id), done.created_at,
        ))  # fmt: skip

    @post(
        "/notebook/summary",
        status_code=200,
        sync_to_thread=True,
        guards=[AI_LIMIT],
        operation_id="GenerateSummary",
        responses=error_responses(401, 404, 422, 429),
    )
    def generate_summary(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[GenerateSummary],
    ) -> Envelope[SummaryBody]:
        container = request.app.state.container
        source = resolve(request, principal, data)
        length = data.length or data.summary_length or "standard"
        chat = chat_client(container)
        summary: Summary = (
            summarize_with_model(chat, source.markdown, length, data.format)
            if chat is not None
            else summarize(source.markdown, length, data.format)
        )
        generated = {
            "summary_text": summary.summary,
            "word_count": summary.word_count,
            "key_points": summary.key_points,
            "length": length,
            "format": data.format,
        }
        done = container.notebook.record(
            uuid4(), UUID(principal.user_id), "summary", source, generated, [],
            generator_name(chat),
        )  # fmt: skip
        return ok(SummaryBody(
            done.content_id, "summary", source.source_type, source.source_id, summary.summary,
            summary.word_count, summary.key_points, length, data.format, done.created_at,
        ))  # fmt: skip

    @post("/notebook/notes", status_code=201, sync_to_thread=True, operation_id="CreateNote",
          responses=error_responses(401, 422))  # fmt: skip
    def create_note(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[CreateNote],
    ) -> Envelope[NoteCreated]:
        service: Notebook = request.app.state.container.notebook
        done = service.create_note(
            UUID(principal.user_id), data.title, data.content_markdown, list(data.tags)
        )
        return ok(NoteCreated(done.content_id, data.title, done.created_at))

    @get("/notebook", operation_id="ListGeneratedContent", responses=error_responses(401, 422))
    async def list_content(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        type: FromQuery[Literal["mindmap", "summary"] | None] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[views.GeneratedItem]]:
        pool = request.app.state.pool
        await wait_for(pool, views.NotebookProjector.name, await head_position(pool), 2.0)
        async with pool.connection() as conn:
            items, total = await views.list_generated(
                conn, UUID(principal.user_id), type, page, limit
            )
        return ok(items, Meta(page=page, limit=limit, total=total))

    @get("/exports/{filename:str}", operation_id="GetExport", responses=error_responses(401, 404),
         media_type="application/octet-stream")  # fmt: skip
    async def get_export(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        filename: FromPath[str],
    ) -> File:
        content_id, ext = parse_export_name(filename)
        item = await owned_item(request.app.state.pool, content_id, principal)
        path = exports_dir(request) / f"{content_id}.{ext}"
        if ext not in item.export_formats or not path.is_file():
            raise NotFoundError("export not found")
        return File(path=path, filename=f"mindmap-{content_id}.{ext}",
                    media_type=MEDIA_TYPES[ext], content_disposition_type="inline")  # fmt: skip


def parse_export_name(filename: str) -> tuple[UUID, str]:
    stem, _, ext = filename.rpartition(".")
    try:
        content_id = UUID(stem)
    except ValueError:
        raise NotFoundError("export not found") from None
    if ext not in MEDIA_TYPES:
        raise NotFoundError("export not found")
    return content_id, ext


async def owned_item(pool: Any, content_id: UUID, principal: Principal) -> views.GeneratedItem:
    """The generated item if the caller owns it; anyone else (staff too) gets 404."""
    async with pool.connection() as conn:
        item = await views.get_generated(conn, content_id)
    if item is None:
        head = await head_position(pool)
        if await wait_for(pool, views.NotebookProjector.name, head, 3.0):
            async with pool.connection() as conn:
                item = await views.get_generated(conn, content_id)
    if item is None or str(item.user_id) != principal.user_id:
        raise NotFoundError("export not found")
    return item
