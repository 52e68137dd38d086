"""The languages the judge runs, with the runtime version installed on this machine."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import get

from api.envelope import Envelope, ok
from judge.languages import list_languages


class LanguageOut(msgspec.Struct):
    id: str
    name: str
    version: str
    source_file: str
    is_active: bool


def _languages() -> list[LanguageOut]:
    return [
        LanguageOut(lang.id, lang.display_name, lang.version, lang.source_file, lang.available)
        for lang in list_languages()
    ]


@get("/languages", operation_id="ListLanguages", tags=["languages"])
async def languages() -> Envelope[list[LanguageOut]]:
    """Versions are detected once per process (the first call runs each toolchain)."""
    return ok(await asyncio.to_thread(_languages))
