"""The notebook service: resolve a source (lesson, problem, note, text), record what was made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from commands.app import CodeQuest
from commands.errors import InvalidInputError, NotFoundError
from domain.content import Lesson, Problem
from domain.notebook import GeneratedContent, Note

MAX_SOURCE_CHARS = 100_000
PROBLEM_PARTS = (
    ("description_markdown", ""),
    ("input_format", "## Input\n"),
    ("output_format", "## Output\n"),
    ("constraints", "## Constraints\n"),
)


@dataclass(frozen=True)
class Source:
    """Markdown to generate from, and where it came from."""

    source_type: str
    source_id: UUID | None
    title: str
    markdown: str


@dataclass(frozen=True)
class Recorded:
    content_id: UUID
    position: int
    created_at: datetime


class Notebook:
    """Generated content and notes on the one log; each belongs to one learner."""

    def __init__(self, app: CodeQuest) -> None:
        self.app = app

    def source(
        self,
        user_id: UUID,
        source_type: str,
        source_id: UUID | None,
        text: str | None,
        see_drafts: bool = False,
    ) -> Source:
        """The source's markdown; drafts only for staff, notes only for their owner.

        Raises:
            NotFoundError: no such (visible) lesson, problem or note.
            InvalidInputError: custom without text, or another type without source_id.
        """
        if source_type == "custom":
            if not text or not text.strip():
                raise InvalidInputError("text is required for custom content", field="text")
            return Source("custom", None, "", text[:MAX_SOURCE_CHARS])
        if source_id is None:
            raise InvalidInputError("source_id is required", field="source_id")
        found = self.app.find(source_id)
        if source_type == "lesson" and isinstance(found, Lesson) and _visible(found, see_drafts):
            return Source("lesson", source_id, found.title, found.content_markdown)
        if source_type == "problem" and isinstance(found, Problem) and _visible(found, see_drafts):
            return Source("problem", source_id, found.title, _problem_markdown(found))
        if source_type == "notes" and isinstance(found, Note) and found.user_id == user_id:
            return Source("notes", source_id, found.title, found.content_markdown)
        raise NotFoundError(f"{source_type} not found")

    def record(
        self,
        content_id: UUID,
        user_id: UUID,
        content_type: str,
        source: Source,
        generated_data: dict[str, Any],
        export_formats: list[str],
        generator: str,
    ) -> Recorded:
        """Store a generated mind map or summary for its owner."""
        content = GeneratedContent(
            id=content_id, user_id=user_id, content_type=content_type,
            source_type=source.source_type, source_id=source.source_id, title=source.title,
            generated_data=generated_data, export_formats=export_formats, generator=generator,
        )  # fmt: skip
        return Recorded(content.id, self.app.commit(content), content.created_on)

    def create_note(
        self, user_id: UUID, title: str, content_markdown: str, tags: list[str]
    ) -> Recorded:
        """A private note of the learner's."""
        note = Note(id=uuid4(), user_id=user_id, title=title, content_markdown=content_markdown,
                    tags=tags)  # fmt: skip
        return Recorded(note.id, self.app.commit(note), note.created_on)


def _visible(found: Lesson | Problem, see_drafts: bool) -> bool:
    return bool(found.published) or see_drafts


def _problem_markdown(problem: Problem) -> str:
    parts = [f"# {problem.title}"]
    for key, heading in PROBLEM_PARTS:
        text = str(problem.statement.get(key) or "").strip()
        if text:
            parts.append(f"{heading}{text}")
    return "\n\n".join(parts)
