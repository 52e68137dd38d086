"""Generated notebook content (ai_generated_content_view), the notes view, and their queries."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import msgspec
from psycopg.types.json import Jsonb

from domain.notebook import GeneratedContent, Note
from projections.runtime import Batch, Projector

DDL = (
    """CREATE TABLE IF NOT EXISTS ai_generated_content_view (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        content_type text NOT NULL CHECK (content_type IN ('mindmap', 'summary', 'flashcards')),
        source_type text CHECK (source_type IN ('lesson', 'problem', 'notes', 'custom')),
        source_id uuid,
        title text NOT NULL DEFAULT '',
        generated_data jsonb NOT NULL,
        export_formats jsonb NOT NULL DEFAULT '[]',
        generator text NOT NULL,
        created_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_ai_content_user"
    " ON ai_generated_content_view (user_id, created_at DESC)",
    """CREATE TABLE IF NOT EXISTS notes_view (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        title text NOT NULL,
        content_markdown text NOT NULL,
        tags jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS idx_notes_user ON notes_view (user_id, created_at DESC)",
)


class NotebookProjector(Projector):
    """One row per generated mind map or summary, and one per note."""

    name = "ai_notebook"
    tables = ("ai_generated_content_view", "notes_view")
    ddl = DDL
    topics = (GeneratedContent.Generated, Note.Created)

    @singledispatchmethod
    def apply(self, event: object, batch: Batch) -> None:
        """Events of no interest are ignored."""

    @apply.register
    def _generated(self, event: GeneratedContent.Generated, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO ai_generated_content_view (id, user_id, content_type, source_type,"
            " source_id, title, generated_data, export_formats, generator, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (event.originator_id, event.user_id, event.content_type, event.source_type,
             event.source_id, event.title, Jsonb(event.generated_data),
             Jsonb(event.export_formats), event.generator, event.timestamp),
        )  # fmt: skip

    @apply.register
    def _note(self, event: Note.Created, batch: Batch) -> None:
        batch.cursor.execute(
            "INSERT INTO notes_view (id, user_id, title, content_markdown, tags, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (event.originator_id, event.user_id, event.title, event.content_markdown,
             Jsonb(event.tags), event.timestamp),
        )  # fmt: skip


class GeneratedItem(msgspec.Struct):
    id: UUID
    user_id: UUID
    content_type: str
    source_type: str
    source_id: UUID | None
    title: str
    generated_data: dict[str, Any]
    export_formats: list[str]
    generator: str
    created_at: datetime


async def get_generated(conn: Any, content_id: UUID) -> GeneratedItem | None:
    cur = await conn.execute("SELECT * FROM ai_generated_content_view WHERE id = %s", (content_id,))
    row = await cur.fetchone()
    return msgspec.convert(row, GeneratedItem) if row else None


async def list_generated(
    conn: Any, user_id: UUID, content_type: str | None, page: int, limit: int
) -> tuple[list[GeneratedItem], int]:
    """A page of the learner's generated content, newest first."""
    where, args = "user_id = %s", [user_id]
    if content_type is not None:
        where, args = where + " AND content_type = %s", [user_id, content_type]
    cur = await conn.execute(
        f"SELECT count(*) AS n FROM ai_generated_content_view WHERE {where}", args
    )
    total = (await cur.fetchone())["n"]
    cur = await conn.execute(
        f"SELECT * FROM ai_generated_content_view WHERE {where}"
        " ORDER BY created_at DESC, id LIMIT %s OFFSET %s",
        (*args, limit, (page - 1) * limit),
    )
    rows = await cur.fetchall()
    return [msgspec.convert(r, GeneratedItem) for r in rows], int(total)
