"""The in-memory backend: rows held in memory, answered by query.select, kept in the cache
as one marshal blob (loads in well under a millisecond for the bundled data).

An entry is `marshal((MAGIC, FORMAT, key, digest, built_at, check, payload))` with
`payload = marshal((plain catalog, [row tuples]))`; `check` tells a whole payload from a
damaged one, and anything else wrong is a miss.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from pathlib import Path

from issfacts import cache, query
from issfacts.model import Catalog
from issfacts.rows import LazyCatalog, RefField, Row, count_refs


class MemoryStore:
    """Answers from compiled rows held in memory."""

    def __init__(self, catalog: LazyCatalog, rows: Sequence[Row]) -> None:
        self.lazy_catalog = catalog
        self.rows = rows

    @property
    def catalog(self) -> Catalog:
        return self.lazy_catalog.catalog

    def select(self, q: query.Query) -> list[Row]:
        return query.select(self.rows, q)

    def lines(self, q: query.Query) -> list[bytes]:
        return [row.line.encode() for row in query.select(self.rows, q)]

    def find(self, ident: str) -> Row:
        return query.find_event(ident, self.rows)

    def counts(self, field: RefField) -> dict[str, int]:
        return count_refs(self.rows, field)


def read_entry(path: Path, key: str) -> tuple[cache.EntryStamp, MemoryStore] | None:
    """The entry at `path` if it is whole and belongs to `key`; None otherwise."""
    try:
        magic, version, entry_key, content, built_at, check, payload = marshal.loads(path.read_bytes())
        if (magic, version, entry_key) != (cache.MAGIC, cache.FORMAT, key) or cache.payload_digest(payload) != check:
            return None
        plain, rows = marshal.loads(payload)
        return cache.EntryStamp(content, built_at), MemoryStore(LazyCatalog(plain=plain), [Row._make(r) for r in rows])
    except (OSError, EOFError, ValueError, TypeError, MemoryError, RecursionError):
        return None  # missing, truncated, foreign or garbage: a miss


def write_entry(directory: Path, key: str, stamp: cache.EntryStamp, store: MemoryStore) -> None:
    payload = marshal.dumps((store.lazy_catalog.plain(), [tuple(row) for row in store.rows]))
    blob = marshal.dumps((cache.MAGIC, cache.FORMAT, key, *stamp, cache.payload_digest(payload), payload))

    def write(tmp: Path) -> None:
        tmp.write_bytes(blob)

    cache.atomic_write(directory, directory / f"{key}.marshal", write, (OSError, ValueError))
