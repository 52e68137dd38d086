"""The async psycopg pool that query handlers read the views with."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool


async def open_query_pool(
    database_url: str, *, min_size: int = 1, max_size: int = 10
) -> AsyncConnectionPool:
    """Open a pool of autocommit connections returning dict rows."""
    pool = AsyncConnectionPool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        kwargs={"autocommit": True, "row_factory": dict_row},
    )
    await pool.open(wait=True, timeout=15)
    return pool


@asynccontextmanager
async def snapshot(pool: AsyncConnectionPool) -> AsyncIterator[AsyncConnection[Any]]:
    """A connection whose statements all read one consistent snapshot of the views.

    A handler that reads several views with separate statements would otherwise see a
    projector's commit land between two of them (e.g. a profile's counters from before a
    verdict and its recent list from after it).
    """
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn
