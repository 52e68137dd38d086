"""The notebook: a learner's notes and the content generated for them (mind maps, summaries)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.shared import DomainError

CONTENT_TYPES = ("mindmap", "summary")
SOURCE_TYPES = ("lesson", "problem", "notes", "custom")
EXPORT_FORMATS = ("json", "png", "pdf")


class InvalidGeneratedContentError(DomainError):
    """An unknown content type, source type or export format."""


class Note(Aggregate):
    """A learner's private markdown note, a source for mind maps and summaries."""

    @event("Created")
    def __init__(
        self, id: UUID, user_id: UUID, title: str, content_markdown: str, tags: list[str]
    ) -> None:
        self.user_id, self.title, self.content_markdown = user_id, title, content_markdown
        self.tags = list(tags)


class GeneratedContent(Aggregate):
    """A mind map or summary generated for one learner from one source; immutable."""

    @event("Generated")
    def __init__(
        self,
        id: UUID,
        user_id: UUID,
        content_type: str,
        source_type: str,
        source_id: UUID | None,
        title: str,
        generated_data: dict[str, Any],
        export_formats: list[str],
        generator: str,
    ) -> None:
        _check(content_type, source_type, export_formats)
        self.user_id, self.content_type, self.title = user_id, content_type, title
        self.source_type, self.source_id = source_type, source_id
        self.generated_data, self.export_formats = dict(generated_data), list(export_formats)
        self.generator = generator


def _check(content_type: str, source_type: str, export_formats: list[str]) -> None:
    if content_type not in CONTENT_TYPES:
        raise InvalidGeneratedContentError(f"content_type must be one of {CONTENT_TYPES}")
    if source_type not in SOURCE_TYPES:
        raise InvalidGeneratedContentError(f"source_type must be one of {SOURCE_TYPES}")
    if any(f not in EXPORT_FORMATS for f in export_formats):
        raise InvalidGeneratedContentError(f"export formats must be among {EXPORT_FORMATS}")
